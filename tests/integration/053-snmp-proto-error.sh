#!/bin/bash
# 053-snmp-proto-error: a flood of adverts with a wrong HMAC (scapy, from
# C: vhid 1, TTL 255, good checksum, random digest), 50 a second for 4 s,
# at A (MASTER) and B (BACKUP).  Each node sends one carpdProtocolError
# at once (badAuth, source C, suppressed 0), nothing more during the flood,
# and when the minute is over one more with the number it held back, which
# with the first makes the node's carpdVhidDropsBadAuth.  Neither node
# changes state.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/carpd.sh"
. "$(dirname "$0")/snmp.sh"
VIP=192.0.2.111
declare -A IP=([a]=192.0.2.61 [b]=192.0.2.51)
R=$CARPD_ROOT
"$PY" -c 'import scapy.all' 2>/dev/null || skip "no scapy"

lab_init
lab_switch
lab_node a "${IP[a]}/24"
lab_node b "${IP[b]}/24"
lab_node c 192.0.2.110/24
snmptrapd_start c 192.0.2.110
for n in a b; do
	skew=0; [ $n = b ] && skew=100
	{ echo "net.inet.carp.preempt=1"
	  echo "ifconfig_eth0_alias0=\"inet vhid 1 advskew $skew pass test123 alias $VIP/24\""
	  carpd_conf_agentx $n; } | carpd_conf $n
	snmpd_start $n 127.0.0.1 192.0.2.110
done
carpd_start a
carpd_start b
carpd_wait a 1 MASTER 6 || fail "A did not become MASTER"
carpd_wait b 1 BACKUP 1 || fail "B is not BACKUP"
sleep 1

t0=$(date +%s)
lab_exec c "$PY" - <<'PYEOF' || fail "scapy flood"
import os, socket, struct, time
from scapy.all import Ether, IP, Raw, conf
from scapy.utils import checksum
conf.verb = 0
mac = open("/sys/class/net/eth0/address").read().strip()
pkts = []
for i in range(200):
    hdr = struct.pack("!BBBBBBH", 0x21, 1, 0, 7, 0, 1, 0) + \
        struct.pack("!Q", i + 1) + os.urandom(20)
    ck = checksum(hdr)
    hdr = hdr[:6] + struct.pack("!H", ck) + hdr[8:]
    pkts.append(Ether(src=mac, dst="01:00:5e:00:00:12") /
        IP(src="192.0.2.110", dst="224.0.0.18", ttl=255, proto=112) /
        Raw(hdr))
# A source MAC is needed: a bridge drops frames from 00:00:00:00:00:00.
sock = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
sock.bind(("eth0", 0))
for p in pkts:
    sock.send(bytes(p))
    time.sleep(0.02)
PYEOF
t1=$(date +%s)
sleep 1
ch=$(snmp_hex 192.0.2.110)
for n in a b; do
	lines=$(snmp_traps $R.0.3 "${IP[$n]}")
	[ "$(printf '%s\n' "$lines" | grep -c .)" = 1 ] ||
	    { cat "$TRAP_LOG"; fail "$n: want exactly one carpdProtocolError during the flood"; }
	for vb in "$R.1.5.4.0 = INTEGER: 1" "$R.1.5.5.0 = INTEGER: 9" \
	    "$R.1.5.6.0 = INTEGER: 1" "$R.1.5.7.0 = Hex-STRING: $ch " \
	    "$R.1.5.8.0 = Gauge32: 0"; do
		case "$lines" in *"$vb"*) ;; *) echo "$lines"; fail "$n: no $vb";; esac
	done
	drops=$(snmp_get $n 127.0.0.1 "carpdVhidDropsBadAuth.$(snmp_ifindex $n).1")
	echo "$n: one carpdProtocolError (badAuth from 192.0.2.110) for $drops drops"
	[ "$drops" -ge 150 ] || fail "$n: only $drops drops counted"
done
[ "$(carpd_state a 1)" = MASTER ] && [ "$(carpd_state b 1)" = BACKUP ] ||
    fail "the flood changed states"

# The held-back count, when the minute is over.
for n in a b; do
	wait_for $((t0 + 80 - $(date +%s))) eval \
	    '[ "$(snmp_traps $R.0.3 "${IP[$n]}" | wc -l)" -ge 2 ]' ||
	    fail "$n: no second carpdProtocolError after the minute"
	line=$(snmp_traps $R.0.3 "${IP[$n]}" | sed -n 2p)
	sup=$(printf '%s\n' "$line" | sed -nE "s/.*$R\.1\.5\.8\.0 = Gauge32: ([0-9]+).*/\1/p")
	drops=$(snmp_get $n 127.0.0.1 "carpdVhidDropsBadAuth.$(snmp_ifindex $n).1")
	[ "$((sup + 1))" = "$drops" ] ||
	    fail "$n: suppressed $sup + 1 != $drops drops"
	echo "$n: after the minute, carpdNotifSuppressed $sup (+1 notified = $drops drops)"
done
[ "$(snmp_traps $R.0.3 | wc -l)" = 4 ] || fail "want 4 carpdProtocolError in all"
pass
