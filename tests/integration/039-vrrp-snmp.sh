#!/bin/bash
# 039-vrrp-snmp: the views of a VRRPv3 VHID, read by real clients.  Nodes
# A (vrrpprio 200) and B (vrrpprio 100) run VRID 5 (carpver 3, 100 ms,
# VIPs 192.0.2.254, 192.0.2.253 and 2001:db8::fe: an IPv4 and an IPv6
# row) with preempt on; A also has CARP VHID 1.  Each runs
# snmpd (master agentx, trap2sink to C, where snmptrapd logs).
#   - the standard VRRPV3-MIB (RFC 6527), loaded from its MIB text so the
#     names resolve: vrrpv3OperationsTable and vrrpv3StatisticsTable
#     walked on both nodes; status master/backup, priority, interval,
#     address count, the master's address of each family as B hears it
#     (A's IPv4 address, A's link-local address), the virtual
#     MAC, RowStatus active, the associated address, the statistics; no
#     row for the CARP VHID; a SET refused notWritable; CARPD-MIB's
#     carpdVhidProtocol and VRRP priorities
#   - an advert with TTL 254 from C: vrrpv3ProtoError (ipTtlError) from
#     both, beside carpdProtocolError; the row's reason and counter
#   - vrrpv3NewMaster from A at its election (masterNoResponse), then
#     A stops (priority 0): vrrpv3NewMaster from B with B's address, and
#     B counts the priority 0 advert
#   - snmpd restarted on B: VRRPV3-MIB is registered again
#   - /metrics through promtool with the VRRPv3 families; carpctl status
#     in FreeBSD's words ("vrrp: MASTER vrid 5 prio 100 interval 10")
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/carpd.sh"
. "$(dirname "$0")/snmp.sh"
lab_need curl promtool python3
[ -x "$CARPCTL" ] || skip "no $CARPCTL (run make)"
# The RFC's MIB text: the shared base, or keepalived's copy.
VRMIBS=
for d in "$SHARED/mibs/base" /usr/share/snmp/mibs; do
	[ -f "$d/VRRPv3-MIB.txt" ] && { VRMIBS=$d; break; }
done
[ -n "$VRMIBS" ] || skip "no VRRPv3-MIB.txt"
VIP=192.0.2.254
VIP2=192.0.2.253
VIP6=2001:db8::fe
declare -A IP=([a]=192.0.2.61 [b]=192.0.2.51) PRIO=([a]=200 [b]=100)
VR=.1.3.6.1.2.1.207
R=$CARPD_ROOT

lab_init
lab_switch
lab_node a "${IP[a]}/24" 2001:db8::61/64
lab_node b "${IP[b]}/24" 2001:db8::51/64
lab_node c 192.0.2.110/24
snmptrapd_start c 192.0.2.110
for n in a b; do
	{ echo "net.inet.carp.preempt=1"
	  echo "ifconfig_eth0_alias0=\"inet $VIP/24 vhid 5 carpver 3 vrrpprio ${PRIO[$n]} vrrpinterval 10\""
	  echo "ifconfig_eth0_alias1=\"inet $VIP2/24 vhid 5 carpver 3 vrrpprio ${PRIO[$n]} vrrpinterval 10\""
	  echo "ifconfig_eth0_ipv6=\"inet6 $VIP6/64 vhid 5 carpver 3 vrrpprio ${PRIO[$n]} vrrpinterval 10\""
	  [ $n = a ] && echo "ifconfig_eth0_alias2=\"inet vhid 1 pass test123 alias 192.0.2.111/24\""
	  carpd_conf_agentx $n; } | carpd_conf $n
	snmpd_start $n 127.0.0.1 192.0.2.110
done
# The adverts of IPv6 leave from the link-local addresses.
ll() { lab_exec "$1" ip -6 -o addr show dev eth0 scope link |
    sed -nE 's/.*inet6 ([0-9a-f:]+)\/64.*/\1/p'; }
wait_for 3 eval '[ -n "$(ll a)" ] && [ -n "$(ll b)" ]' || fail "no link-local addresses"
carpd_start a
carpd_start b
carpd_wait a 5 MASTER 6 || fail "A did not become MASTER of VRID 5"
carpd_wait b 5 BACKUP 2 || fail "B is not BACKUP of VRID 5"
ia=$(snmp_ifindex a); ib=$(snmp_ifindex b)

# vq NODE CMD ARGS...: a net-snmp command with VRRPV3-MIB and CARPD-MIB.
vq() {
	local n=$1 cmd=$2; shift 2
	lab_exec "$n" "$cmd" -v2c -c public -t 1 -r 1 \
	    -M "+$SNMP_MIBDIRS:$VRMIBS" -m +CARPD-MIB:VRRPV3-MIB "$@" \
	    2> >(grep -Ev '^(Cannot find module|Did not find|MIB search path)' >&2)
}
# vget NODE OBJ: the value (-Oqv) of a VRRPV3-MIB object.
vget() { vq "$1" snmpget -Oqv 127.0.0.1 "VRRPV3-MIB::$2"; }
# expect NODE OBJ VALUE
expect() {
	local got
	got=$(vget "$1" "$2")
	[ "$got" = "$3" ] || fail "$1: $2 is '$got', not '$3'"
}

# The walks: every name resolves in the RFC's module.
for n in a b; do
	vq $n snmpwalk 127.0.0.1 VRRPV3-MIB::vrrpv3OperationsTable \
	    >"$LAB_DIR/oper-$n.txt" || fail "$n: walk vrrpv3OperationsTable"
	vq $n snmpwalk 127.0.0.1 VRRPV3-MIB::vrrpv3StatisticsTable \
	    >"$LAB_DIR/stats-$n.txt" || fail "$n: walk vrrpv3StatisticsTable"
	# Rows of VRID 5, IPv4 and IPv6: 11 columns, 13 statistics each;
	# nothing else.
	for f in ipv4 ipv6; do
		[ "$(grep -c "^VRRPV3-MIB::vrrpv3Operations[A-Za-z]*\.[0-9]*\.5\.$f = " \
		    "$LAB_DIR/oper-$n.txt")" = 11 ] ||
		    { cat "$LAB_DIR/oper-$n.txt"; fail "$n: operations row $f"; }
		[ "$(grep -c "^VRRPV3-MIB::vrrpv3Statistics[A-Za-z]*\.[0-9]*\.5\.$f = " \
		    "$LAB_DIR/stats-$n.txt")" = 13 ] ||
		    { cat "$LAB_DIR/stats-$n.txt"; fail "$n: statistics row $f"; }
	done
	[ "$(grep -c '' "$LAB_DIR/oper-$n.txt")" = 22 ] ||
	    { cat "$LAB_DIR/oper-$n.txt"; fail "$n: rows other than VRID 5's"; }
done
echo "walks: VRID 5's IPv4 and IPv6 rows, 11 + 13 columns each, names resolved"

expect a "vrrpv3OperationsStatus.$ia.5.ipv4" master
expect b "vrrpv3OperationsStatus.$ib.5.ipv4" backup
expect a "vrrpv3OperationsPriority.$ia.5.ipv4" 200
expect b "vrrpv3OperationsPriority.$ib.5.ipv4" 100
expect a "vrrpv3OperationsAdvInterval.$ia.5.ipv4" "10 centiseconds"
expect b "vrrpv3OperationsAddrCount.$ib.5.ipv4" 2
expect b "vrrpv3OperationsAddrCount.$ib.5.ipv6" 1
expect b "vrrpv3OperationsStatus.$ib.5.ipv6" backup
expect a "vrrpv3OperationsStatus.$ia.5.ipv6" master
expect a "vrrpv3OperationsPreemptMode.$ia.5.ipv4" true
expect a "vrrpv3OperationsRowStatus.$ia.5.ipv4" active
mac=$(vget a "vrrpv3OperationsVirtualMacAddr.$ia.5.ipv4")
case "$mac" in
0:0:5e:0:1:5|00:00:5e:00:01:05|"0 0 5E 0 1 5"*|"00 00 5E 00 01 05"*) ;;
*) fail "A: virtual MAC is '$mac'" ;;
esac
# The master's address: B hears A (the subagent's copy is at most a
# second old); A names itself.
bmaster() {
	vq b snmpget -Oqv -Ox 127.0.0.1 \
	    "VRRPV3-MIB::vrrpv3OperationsMasterIpAddr.$ib.5.ipv4" |
	    grep -qi "$(snmp_hex "${IP[a]}")"
}
wait_for 3 bmaster || fail "B: master is not ${IP[a]}"
# Of IPv6: A's link-local address, the source of its IPv6 adverts.
lla=$("$PY" -c 'import socket, sys; print(socket.inet_pton(socket.AF_INET6, sys.argv[1]).hex().upper())' "$(ll a)")
bmaster6() {
	[ "$(vq b snmpget -Oqv -Ox 127.0.0.1 \
	    "VRRPV3-MIB::vrrpv3OperationsMasterIpAddr.$ib.5.ipv6" |
	    tr -d ' \n"')" = "$lla" ]
}
wait_for 3 bmaster6 || fail "B: IPv6 master is not $(ll a)"
m=$(vq a snmpget -Oqv -Ox 127.0.0.1 "VRRPV3-MIB::vrrpv3OperationsMasterIpAddr.$ia.5.ipv4")
echo "$m" | grep -qi "$(snmp_hex "${IP[a]}")" || fail "A: master is '$m'"
m=$(vq a snmpget -Oqv -Ox 127.0.0.1 "VRRPV3-MIB::vrrpv3OperationsPrimaryIpAddr.$ia.5.ipv4")
echo "$m" | grep -qi "$(snmp_hex "${IP[a]}")" || fail "A: primary is '$m'"
# The associated addresses: both, active.
vq a snmpwalk -On 127.0.0.1 VRRPV3-MIB::vrrpv3AssociatedIpAddrTable \
    >"$LAB_DIR/assoc-a.txt" || fail "walk vrrpv3AssociatedIpAddrTable"
for v in $VIP $VIP2; do
	grep -q "^$VR\.1\.1\.2\.1\.2\.$ia\.5\.1\.4\.$v = INTEGER: active(1)$" \
	    "$LAB_DIR/assoc-a.txt" || { cat "$LAB_DIR/assoc-a.txt"; fail "no row for $v"; }
done
# 2001:db8::fe as the index's 16 octets.
v6=32.1.13.184.0.0.0.0.0.0.0.0.0.0.0.254
grep -q "^$VR\.1\.1\.2\.1\.2\.$ia\.5\.2\.16\.$v6 = INTEGER: active(1)$" \
    "$LAB_DIR/assoc-a.txt" || { cat "$LAB_DIR/assoc-a.txt"; fail "no row for $VIP6"; }
[ "$(grep -c '' "$LAB_DIR/assoc-a.txt")" = 3 ] ||
    { cat "$LAB_DIR/assoc-a.txt"; fail "associated addresses other than 3"; }
# The statistics.
expect a "vrrpv3StatisticsMasterTransitions.$ia.5.ipv4" 1
expect a "vrrpv3StatisticsNewMasterReason.$ia.5.ipv4" masterNoResponse
expect b "vrrpv3StatisticsNewMasterReason.$ib.5.ipv4" notMaster
expect b "vrrpv3StatisticsProtoErrReason.$ib.5.ipv4" noError
expect b "vrrpv3StatisticsRefreshRate.$ib.5.ipv4" "1000 milliseconds"
r=$(vget b "vrrpv3StatisticsRcvdAdvertisements.$ib.5.ipv4")
[ "$r" -gt 5 ] 2>/dev/null || fail "B: $r adverts received"
expect b "vrrpv3StatisticsAdvIntervalErrors.$ib.5.ipv4" 0
expect b "vrrpv3StatisticsAddressListErrors.$ib.5.ipv4" 0
vget a vrrpv3RouterChecksumErrors.0 | grep -qx 0 || fail "checksum errors"
# Read-only: a SET is refused notWritable, the priority unchanged.
out=$(lab_exec a snmpset -v2c -c private -t 1 -r 0 -M "+$SNMP_MIBDIRS:$VRMIBS" \
    -m +CARPD-MIB:VRRPV3-MIB 127.0.0.1 \
    "VRRPV3-MIB::vrrpv3OperationsPriority.$ia.5.ipv4" u 150 2>&1) &&
    fail "SET vrrpv3OperationsPriority succeeded: $out"
echo "$out" | grep -q notWritable || fail "SET refused, but not notWritable: $out"
expect a "vrrpv3OperationsPriority.$ia.5.ipv4" 200
# No row for the CARP VHID.
vget a "vrrpv3OperationsStatus.$ia.1.ipv4" | grep -qi "No Such Instance" ||
    fail "a row for CARP VHID 1"
# CARPD-MIB's columns.
[ "$(snmp_get a 127.0.0.1 "carpdVhidProtocol.$ia.5")" = vrrp3 ] ||
    fail "carpdVhidProtocol of VRID 5"
[ "$(snmp_get a 127.0.0.1 "carpdVhidProtocol.$ia.1")" = carp ] ||
    fail "carpdVhidProtocol of VHID 1"
[ "$(snmp_get a 127.0.0.1 "carpdVhidVrrpPriority.$ia.5")" = 200 ] ||
    fail "carpdVhidVrrpPriority"
[ "$(snmp_get a 127.0.0.1 "carpdVhidVrrpEffectivePriority.$ia.5")" = 200 ] ||
    fail "carpdVhidVrrpEffectivePriority"
[ "$(snmp_get b 127.0.0.1 "carpdVhidVrrpMasterInterval.$ib.5")" = "10 centiseconds" ] ||
    fail "carpdVhidVrrpMasterInterval: $(snmp_get b 127.0.0.1 "carpdVhidVrrpMasterInterval.$ib.5")"
echo "values: A master 200, B backup 100 hearing ${IP[a]} and $(ll a), interval 10, reasons, counters"

# /metrics and carpctl on A.
curl -sS --max-time 5 --unix-socket "$(carpd_sock a)" http://localhost/metrics \
    >"$LAB_DIR/metrics-a.txt" || fail "GET /metrics"
promtool check metrics <"$LAB_DIR/metrics-a.txt" || fail "promtool check metrics"
L='{interface="eth0",vhid="5"}'
for want in "carp_vhid_vrrp_priority$L 200" "carp_vhid_vrrp_effective_priority$L 200" \
    "carp_vhid_vrrp_interval_seconds$L 0.10" "carp_vhid_vrrp_master_interval_seconds$L 0.10" \
    "carp_vhid_vrrp_new_master_reason$L 3" "carp_vhid_state$L 2"; do
	grep -qxF "$want" "$LAB_DIR/metrics-a.txt" || fail "/metrics: no '$want'"
done
grep -q '^carp_vhid_info{interface="eth0",vhid="5",protocol="vrrp",' \
    "$LAB_DIR/metrics-a.txt" || fail "/metrics: protocol label"
grep -q '^carp_vhid_vrrp_priority{interface="eth0",vhid="1"}' \
    "$LAB_DIR/metrics-a.txt" && fail "/metrics: VRRP series for CARP VHID 1"
st=$("$CARPCTL" -s "$(carpd_sock a)" status) || fail "carpctl status"
echo "$st" | grep -qx "eth0: vrrp: MASTER vrid 5 prio 200 interval 10" ||
    { echo "$st"; fail "carpctl status: the VRRPv3 line"; }
echo "$st" | grep -qxE "eth0: carp: (MASTER|BACKUP) vhid 1 advbase 1 advskew 0" ||
    { echo "$st"; fail "carpctl status: the CARP line"; }
st=$("$CARPCTL" -s "$(carpd_sock a)" status -v) || fail "carpctl status -v"
echo "$st" | grep -qxF "	link up, prio 200, effective prio 200, master interval 10, accept on" ||
    { echo "$st"; fail "carpctl status -v: the VRRPv3 line"; }
echo "/metrics promtool-clean with the VRRPv3 families; carpctl: $(echo "$st" | grep vrrp)"

# A VRRPv3 advert for VRID 5 with TTL 254, from C: dropped by both nodes
# (bad TTL), one vrrpv3ProtoError each (ipTtlError) beside
# carpdProtocolError, and the row's reason and counter say so.
lab_exec c "$PY" - <<'PYEOF' || fail "send the TTL 254 advert"
import socket, struct
src, dst = "192.0.2.110", "224.0.0.18"
def csum(b):
    if len(b) % 2:
        b += b"\0"
    s = sum(struct.unpack("!%dH" % (len(b) // 2), b))
    while s >> 16:
        s = (s & 0xffff) + (s >> 16)
    return ~s & 0xffff
msg = struct.pack("!BBBBHH", 0x31, 5, 50, 1, 10, 0) + socket.inet_aton("192.0.2.254")
ph = socket.inet_aton(src) + socket.inet_aton(dst) + struct.pack("!BBH", 0, 112, len(msg))
msg = msg[:6] + struct.pack("!H", csum(ph + msg)) + msg[8:]
s = socket.socket(socket.AF_INET, socket.SOCK_RAW, 112)
s.setsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_TTL, 254)
s.setsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_IF, socket.inet_aton(src))
s.sendto(msg, (dst, 0))
PYEOF
for n in a b; do
	i=$(snmp_ifindex $n)
	wait_for 5 eval 'snmp_traps $VR.0.2 "${IP[$n]}" | grep -q "$VR.1.2.5.1.6.$i.5.1 = INTEGER: 1"' ||
	    { cat "$TRAP_LOG"; fail "no vrrpv3ProtoError (ipTtlError) from $n"; }
	wait_for 5 eval 'snmp_traps $R.0.3 "${IP[$n]}" | grep -q .' ||
	    { cat "$TRAP_LOG"; fail "no carpdProtocolError from $n"; }
	wait_for 3 eval '[ "$(vget $n "vrrpv3StatisticsProtoErrReason.$i.5.ipv4")" = ipTtlError ]' ||
	    fail "$n: vrrpv3StatisticsProtoErrReason is not ipTtlError"
	expect $n "vrrpv3StatisticsIpTtlErrors.$i.5.ipv4" 1
done
expect b "vrrpv3OperationsStatus.$ib.5.ipv4" backup
echo "vrrpv3ProtoError: ipTtlError from both nodes, beside carpdProtocolError"

# vrrpv3NewMaster from A at its election.
ha=$(snmp_hex "${IP[a]}"); hb=$(snmp_hex "${IP[b]}")
wait_for 5 eval 'snmp_traps $VR.0.1 "${IP[a]}" | grep -q .' ||
    { cat "$TRAP_LOG"; fail "no vrrpv3NewMaster from A"; }
line=$(snmp_traps $VR.0.1 "${IP[a]}" | tail -1)
case "$line" in
*"$VR.1.1.1.1.3.$ia.5.1 = Hex-STRING: $ha "*) ;;
*) echo "$line"; fail "A's vrrpv3NewMaster: master address" ;;
esac
case "$line" in
*"$VR.1.2.5.1.2.$ia.5.1 = INTEGER: 3"*) ;;
*) echo "$line"; fail "A's vrrpv3NewMaster: reason" ;;
esac

# A stops: its priority 0 advert makes B MASTER at once.
carpd_stop a
carpd_wait b 5 MASTER 2 || fail "B did not take over"
wait_for 5 eval 'snmp_traps $VR.0.1 "${IP[b]}" | grep -q .' ||
    { cat "$TRAP_LOG"; fail "no vrrpv3NewMaster from B"; }
line=$(snmp_traps $VR.0.1 "${IP[b]}" | tail -1)
case "$line" in
*"$VR.1.1.1.1.3.$ib.5.1 = Hex-STRING: $hb "*) ;;
*) echo "$line"; fail "B's vrrpv3NewMaster: master address" ;;
esac
case "$line" in
*"$VR.1.2.5.1.2.$ib.5.1 = INTEGER: 3"*) ;;
*) echo "$line"; fail "B's vrrpv3NewMaster: reason" ;;
esac
echo "vrrpv3NewMaster: from A ($ha) at the election, from B ($hb) after A stopped"
wait_for 3 eval '[ "$(vget b "vrrpv3OperationsStatus.$ib.5.ipv4")" = master ]' ||
    fail "B's status is not master"
r=$(vget b "vrrpv3StatisticsRcvdPriZeroPackets.$ib.5.ipv4")
[ "$r" -ge 1 ] 2>/dev/null || fail "B counted $r priority 0 adverts"
expect b "vrrpv3StatisticsMasterTransitions.$ib.5.ipv4" 1
st=$("$CARPCTL" -s "$(carpd_sock b)" status) || fail "carpctl status on B"
echo "$st" | grep -qx "eth0: vrrp: MASTER vrid 5 prio 100 interval 10" ||
    { echo "$st"; fail "carpctl status on B"; }

# snmpd restarts: carpd registers VRRPV3-MIB again with CARPD-MIB.
snmpd_stop b
snmpd_start b 127.0.0.1 192.0.2.110
wait_for 10 eval '[ "$(vget b "vrrpv3OperationsStatus.$ib.5.ipv4")" = master ]' ||
    fail "no VRRPV3-MIB after snmpd restarted"
echo "snmpd restarted: VRRPV3-MIB served again"
pass
