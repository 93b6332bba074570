#!/bin/bash
# 062-secrets: the CARP password and the API token never appear in carpd's
# logs (at the highest verbosity, through failover, bad packets, a reload
# and actions), in `carpd -n`'s output, in /v1/status, in /metrics, in
# carpctl's output, in an SNMP walk of CARPD-MIB or in the traps, or in the
# notify script's arguments and environment.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/carpd.sh"
. "$(dirname "$0")/snmp.sh"
CARPCTL=${CARPCTL:-$REPO/build/carpctl}
VIP=192.0.2.111
PASS=Zq9pwSECRETx		# 12 bytes, no regex metacharacters
LONGPASS=LongSecret0123456789abcdef	# over 19 bytes: truncated, warned
TOKEN=TokSECRET4242abcdef

lab_init
lab_switch
lab_node a 192.0.2.61/24
lab_node b 192.0.2.51/24
lab_node c 192.0.2.110/24
( umask 077; echo "$TOKEN" >"$LAB_DIR/a.token"; echo "$TOKEN" >"$LAB_DIR/b.token" )
cat >"$LAB_DIR/notify" <<EOF2
#!/bin/sh
{ echo "\$@"; env; } >>"$LAB_DIR/notify.out"
EOF2
chmod 755 "$LAB_DIR/notify"
for n in a b; do
	skew=0; addr=192.0.2.61; [ $n = b ] && { skew=100; addr=192.0.2.51; }
	carpd_conf $n <<CONF
net.inet.carp.preempt=1
net.inet.carp.log=7
$(carpd_conf_agentx $n)
http-listen $addr:10112
http-token-file $LAB_DIR/$n.token
state-file $LAB_DIR/$n.state
notify-script $LAB_DIR/notify
ifconfig eth0 inet vhid 1 advskew $skew pass $PASS alias $VIP/24
ifconfig eth0 inet vhid 2 advskew $skew pass $LONGPASS alias 192.0.2.112/24
CONF
done

leaks() {	# FILE...: fail if any contains a secret (or its 19-byte cut)
	local f
	for f in "$@"; do
		if grep -aq -e "$PASS" -e "${LONGPASS:0:19}" -e "$TOKEN" "$f"; then
			grep -a -n -e "$PASS" -e "${LONGPASS:0:19}" -e "$TOKEN" "$f" >&2
			fail "a secret appears in $(basename "$f")"
		fi
	done
}

# carpd -n: masked.
"$CARPD" -n -f "$LAB_DIR/carpd-a.conf" >"$LAB_DIR/n.out" 2>&1 ||
    fail "carpd -n rejected the config"
grep -q "pass \*\*\*\*\*\*\*\*" "$LAB_DIR/n.out" || fail "no masked password"
grep -q "truncated" "$LAB_DIR/n.out" || fail "no warning for the long password"
leaks "$LAB_DIR/n.out"

snmptrapd_start c 192.0.2.110
snmpd_start a 192.0.2.61 192.0.2.110
snmpd_start b 192.0.2.51 192.0.2.110
carpd_start a -v
carpd_start b -v
carpd_wait a 1 MASTER 6 || fail "a did not become MASTER"
carpd_wait b 1 BACKUP 1 || fail "b is not BACKUP"

# A failover, wrong-password adverts from a third host, a reload, actions.
lab_cable_pull a
carpd_wait b 1 MASTER 6 || fail "b did not take over"
lab_cable_plug a
carpd_wait a 1 MASTER 8 || fail "a did not preempt"
lab_exec c /usr/bin/python3 - <<'PY'
import hashlib, hmac, struct, logging
logging.getLogger("scapy.runtime").setLevel(logging.ERROR)
from scapy.all import Ether, IP, Raw, conf, get_if_hwaddr
def cksum(b):
    s = sum((b[i] << 8) + b[i + 1] for i in range(0, len(b), 2))
    while s >> 16: s = (s & 0xffff) + (s >> 16)
    return ~s & 0xffff
msg = bytes([2, 1, 1]) + bytes([192, 0, 2, 111]) + struct.pack(">Q", 7)
md = hmac.new(b"wrongpassword", msg, hashlib.sha1).digest()
h = bytearray(bytes([0x21, 1, 0, 7, 0, 1, 0, 0]) + struct.pack(">Q", 7) + md)
c = cksum(bytes(h)); h[6] = c >> 8; h[7] = c & 0xff
s = conf.L2socket(iface="eth0")
for _ in range(5):
    s.send(Ether(src=get_if_hwaddr("eth0"), dst="01:00:5e:00:00:12") /
           IP(src="192.0.2.110", dst="224.0.0.18", ttl=255, proto=112) /
           Raw(bytes(h)))
s.close()
PY
wait_for 3 grep -q "incorrect hash" "$(carpd_log a)" ||
    fail "the wrong-password adverts were not logged"
kill -HUP "${CARPD_PID[a]}"
wait_for 5 grep -q "configuration reloaded" "$(carpd_log a)" || fail "reload"
"$CARPCTL" -s "$LAB_DIR/ctl-a.sock" demote 2 -r "maintenance test" \
    >"$LAB_DIR/ctl.out" 2>&1 || fail "carpctl demote"
"$CARPCTL" -s "$LAB_DIR/ctl-a.sock" promote 2 >>"$LAB_DIR/ctl.out" 2>&1 ||
    fail "carpctl promote"
"$CARPCTL" -s "$LAB_DIR/ctl-a.sock" status >>"$LAB_DIR/ctl.out" 2>&1
"$CARPCTL" -s "$LAB_DIR/ctl-a.sock" --json status >>"$LAB_DIR/ctl.out" 2>&1
lab_exec c curl -sS --max-time 5 -H "Authorization: Bearer wrong-token" \
    -X PUT -H 'Content-Type: application/json' \
    --data '{"enabled": true, "reason": "x"}' \
    http://192.0.2.61:10112/v1/maintenance >"$LAB_DIR/bad-token.out" 2>&1

# Every read-side surface.
curl -sS --max-time 5 --unix-socket "$LAB_DIR/ctl-a.sock" \
    http://localhost/v1/status >"$LAB_DIR/status.json" || fail "status"
grep -q '"vhid"' "$LAB_DIR/status.json" || fail "no VHID in the status"
lab_exec c curl -sS --max-time 5 http://192.0.2.61:10112/metrics \
    >"$LAB_DIR/metrics.txt" || fail "metrics"
grep -q carp_vhid_state "$LAB_DIR/metrics.txt" || fail "no metrics"
wait_for 5 eval 'snmp_q c snmpwalk -c public 192.0.2.61 CARPD-MIB::carpdMIB \
    >"$LAB_DIR/walk.txt" 2>/dev/null && grep -q carpdVhidState "$LAB_DIR/walk.txt"' ||
    fail "no SNMP walk"
carpd_stop a
carpd_stop b
leaks "$(carpd_log a)" "$(carpd_log b)" "$LAB_DIR/ctl.out" \
    "$LAB_DIR/bad-token.out" "$LAB_DIR/status.json" "$LAB_DIR/metrics.txt" \
    "$LAB_DIR/walk.txt" "$TRAP_LOG" "$LAB_DIR/notify.out" \
    "$LAB_DIR/a.state" "$LAB_DIR/snmpd-a.log"
echo "no secret in: carpd -n, logs (log=7, -v), carpctl, /v1/status," \
    "/metrics, the MIB walk ($(wc -l <"$LAB_DIR/walk.txt") lines)," \
    "$(grep -c '^TRAP' "$TRAP_LOG") traps, notify arguments and environment," \
    "the state file"
pass
