#!/bin/bash
# 093-auth-diag: the diagnosis of adverts that fail authentication
# (docs/protocol.md, decision 22).  A and B share the password of VHID 1,
# but B's address list lacks one of A's IPv6 addresses, 2001:db8::112:
# neither can verify the other's adverts, both become MASTER, and A, whose
# own key over its list without 2001:db8::112 verifies B's adverts, names
# the missing address in its log ("carp: incorrect hash for VHID 1@eth0
# from <B> (the peer's address list differs: it lacks 2001:db8::112)"),
# in /v1/status (vhids[].auth_diagnosis) and in /metrics
# (carp_auth_diagnoses_total{result="lacks_address"}) and in CARPD-MIB
# (carpdAuthAddrListDiffers, through a real snmpd).  B cannot name an
# address it does not have: "password or address list differ", and its
# log line keeps FreeBSD's "(wrong password or address list)"; it counts
# in carpdAuthUnexplained.  Nothing
# of the password appears in either node's status or log.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/carpd.sh"
. "$(dirname "$0")/snmp.sh"
lab_need curl
V4=192.0.2.111 V6A=2001:db8::111 V6B=2001:db8::112
PASS=diag-secret-93

lab_init
lab_switch
lab_node a 192.0.2.61/24 2001:db8::61/64
lab_node b 192.0.2.51/24 2001:db8::51/64
{ cat <<CONF
ifconfig_eth0_alias0="inet vhid 1 advskew 0 pass $PASS alias $V4/24"
ifconfig_eth0_alias1="inet6 vhid 1 alias $V6A/64"
ifconfig_eth0_alias2="inet6 vhid 1 alias $V6B/64"
CONF
  carpd_conf_agentx a; } | carpd_conf a
{ cat <<CONF
ifconfig_eth0_alias0="inet vhid 1 advskew 100 pass $PASS alias $V4/24"
ifconfig_eth0_alias1="inet6 vhid 1 alias $V6A/64"
CONF
  carpd_conf_agentx b; } | carpd_conf b
snmpd_start a 127.0.0.1 192.0.2.110
snmpd_start b 127.0.0.1 192.0.2.110

t_start=$(lab_now)
carpd_start a
carpd_start b
carpd_wait a 1 MASTER 6 || fail "A did not become MASTER"
carpd_wait b 1 MASTER 6 || fail "B did not become MASTER (it cannot verify A)"

want="(the peer's address list differs: it lacks $V6B)"
wait_for 5 grep -qF "$want" "$(carpd_log a)" ||
    { grep -F "incorrect hash" "$(carpd_log a)" | tail -3 >&2; fail "A's log does not name $V6B"; }
line=$(grep -m1 -F "$want" "$(carpd_log a)")
echo "A: $line"
case $line in
*"carp: incorrect hash for VHID 1@eth0 from "*) ;;
*) fail "A's line is not the incorrect-hash line" ;;
esac

# /v1/status on A: the text, the kind, the address, the peer, the time.
diag() { _vhid_json "$1" 1 'json.dumps(v.get("auth_diagnosis"))'; }
wait_for 3 eval '[ "$(_vhid_json a 1 "v[\"auth_diagnosis\"][\"lacks\"]")" = "$V6B" ]' ||
    fail "A's /v1/status: $(diag a)"
echo "A /v1/status: $(diag a)"
[ "$(_vhid_json a 1 'v["auth_diagnosis"]["kind"]')" = lacks_address ] ||
    fail "A's diagnosis kind: $(diag a)"
[ "$(_vhid_json a 1 'v["auth_diagnosis"]["text"]')" = \
    "the peer's address list differs: it lacks $V6B" ] || fail "A's text: $(diag a)"
from=$(_vhid_json a 1 'v["auth_diagnosis"]["from"]')
case $from in
192.0.2.51|fe80:*) ;;
*) fail "A's diagnosis names the advert from '$from', not B" ;;
esac
# carpctl why says it in words.
"$CARPCTL" -s "$(carpd_sock a)" why 1 >"$LAB_DIR/why.txt" || fail "carpctl why on A"
grep -qE "An advert from (192\.0\.2\.51|fe80:[0-9a-f:]+) failed authentication .*it lacks $V6B\." \
    "$LAB_DIR/why.txt" || { cat "$LAB_DIR/why.txt"; fail "A's why does not name $V6B"; }
_vhid_json a 1 'v["auth_diagnosis"]["time"]["epoch"] > 0' | grep -qx True ||
    fail "A's diagnosis has no time"

# B: what it can say.
wait_for 3 eval '[ "$(_vhid_json b 1 "v[\"auth_diagnosis\"][\"kind\"]")" = password_or_addresses ]' ||
    fail "B's /v1/status: $(diag b)"
echo "B /v1/status: $(diag b)"
grep -qF "carp: incorrect hash for VHID 1@eth0 from 192.0.2.61 (wrong password or address list)" \
    "$(carpd_log b)" || fail "B's log lacks the plain incorrect-hash line"

# /metrics on A over the control socket.
m=$(curl -sS --max-time 5 --unix-socket "$(carpd_sock a)" http://localhost/metrics) ||
    fail "no /metrics from A"
n=$(printf '%s\n' "$m" | sed -n 's/^carp_auth_diagnoses_total{result="lacks_address"} //p')
[ -n "$n" ] && [ "$n" -ge 1 ] || fail "carp_auth_diagnoses_total{result=\"lacks_address\"} is '$n'"
echo "A /metrics: carp_auth_diagnoses_total{result=\"lacks_address\"} $n"

# The MIB, through snmpd: A explained, B could not.
wait_for 5 eval '[ "$(snmp_get a 127.0.0.1 carpdAuthAddrListDiffers.0)" -ge 1 ]' ||
    fail "carpdAuthAddrListDiffers.0 on A: $(snmp_get a 127.0.0.1 carpdAuthAddrListDiffers.0)"
[ "$(snmp_get a 127.0.0.1 carpdAuthUnexplained.0)" = 0 ] ||
    fail "carpdAuthUnexplained.0 on A: $(snmp_get a 127.0.0.1 carpdAuthUnexplained.0)"
wait_for 5 eval '[ "$(snmp_get b 127.0.0.1 carpdAuthUnexplained.0)" -ge 1 ]' ||
    fail "carpdAuthUnexplained.0 on B: $(snmp_get b 127.0.0.1 carpdAuthUnexplained.0)"
[ "$(snmp_get b 127.0.0.1 carpdAuthAddrListDiffers.0)" = 0 ] ||
    fail "carpdAuthAddrListDiffers.0 on B"
echo "MIB: A carpdAuthAddrListDiffers.0 $(snmp_get a 127.0.0.1 carpdAuthAddrListDiffers.0)," \
    "B carpdAuthUnexplained.0 $(snmp_get b 127.0.0.1 carpdAuthUnexplained.0)"

# B's IPv6 adverts come from its link-local address: diagnosed on their
# own, and their log lines name the address too.
wait_for 5 grep -qE "incorrect hash for VHID 1@eth0 from fe80:[0-9a-f:]+ \(the peer's address list differs: it lacks $V6B\)" \
    "$(carpd_log a)" || fail "A's log does not name $V6B for B's IPv6 adverts"

# Rate limit: at most one diagnosis a second per VHID and family, however
# many adverts fail.
sleep 2
m=$(curl -sS --max-time 5 --unix-socket "$(carpd_sock a)" http://localhost/metrics)
nd=$(printf '%s\n' "$m" | sed -n 's/^carp_auth_diagnoses_total{[^}]*} //p' | paste -sd+ | bc)
nb=$(printf '%s\n' "$m" | sed -n 's/^carp_packets_dropped_total{reason="bad_auth"} //p')
up=$(echo "$(lab_now) - $t_start" | bc | cut -d. -f1)
echo "A: $nb adverts failed HMAC in ${up} s, $nd diagnosed"
[ "$nd" -ge 2 ] && [ "$nd" -le "$nb" ] && [ "$nd" -le $((2 * (up + 1))) ] ||
    fail "$nd diagnoses for $nb failures in $up s"

# The password is never shown.
for n in a b; do
	"$CARPCTL" -s "$(carpd_sock $n)" --json status | grep -qF "$PASS" &&
	    fail "$n's status shows the password"
	"$CARPCTL" -s "$(carpd_sock $n)" --json why 1 | grep -qF "$PASS" &&
	    fail "$n's why shows the password"
	grep -qF "$PASS" "$(carpd_log $n)" && fail "$n's log shows the password"
done
pass
