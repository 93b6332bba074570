#!/bin/bash
# 055-snmp-sigstop: snmpd frozen (SIGSTOP) for 30 s while carpd A is
# MASTER and its subagent is connected, with GETs and a SET piling up
# against it.  A's adverts (captured on the bridge) keep their 1 s
# interval within +-20 ms, B never takes over; after SIGCONT the objects
# are served again.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/carpd.sh"
. "$(dirname "$0")/snmp.sh"
VIP=192.0.2.111
AGENTX_PING=2

lab_init
lab_switch
lab_node a 192.0.2.61/24
lab_node b 192.0.2.51/24
lab_node c 192.0.2.110/24
for n in a b; do
	skew=0; [ $n = b ] && skew=100
	{ echo "net.inet.carp.preempt=1"
	  echo "ifconfig_eth0_alias0=\"inet vhid 1 advskew $skew pass test123 alias $VIP/24\""
	  carpd_conf_agentx $n; } | carpd_conf $n
done
snmpd_start a 127.0.0.1 192.0.2.110
carpd_start a
carpd_start b
carpd_wait a 1 MASTER 6 || fail "A did not become MASTER"
ia=$(snmp_ifindex a)
wait_for 5 eval '[ "$(snmp_get a 127.0.0.1 carpdVhidState.'"$ia"'.1)" = master ]' ||
    fail "objects not served"
lab_capture_start

t0=$(lab_now)
kill -STOP "${SNMPD_PID[a]}"
# Requests against the frozen master agent, in the background.
lab_bg a "$LAB_DIR/frozen-get.log" snmpget -v2c -c public -t 5 -r 5 \
    127.0.0.1 "$CARPD_ROOT.1.1.4.0"
sleep 30
t1=$(lab_now)
kill -CONT "${SNMPD_PID[a]}"
sleep 2
lab_capture_stop
[ "$(carpd_state a 1)" = MASTER ] || fail "A left MASTER"
[ "$(vhid_transitions b 1 MASTER)" = 0 ] || fail "B took over"

lab_adverts "$LAB_CAP_FILE" >"$LAB_DIR/adverts.txt" || fail "pcap_adverts.py"
res=$(awk -v lo="$t0" -v hi="$t1" '$2 == "carp" && $3 == "192.0.2.61" &&
	$1 >= lo - 1 && $1 <= hi + 1 {
		if (prev) { d = ($1 - prev) * 1000; n++
			if (d < min || n == 1) min = d; if (d > max) max = d }
		prev = $1 }
	END { printf "%d %.1f %.1f", n, min, max }' "$LAB_DIR/adverts.txt")
set -- $res
echo "snmpd stopped 30 s: $1 advert intervals from A, min $2 ms, max $3 ms"
[ "$1" -ge 29 ] || fail "only $1 intervals"
"$PY" -c 'import sys; sys.exit(0 if 980 <= float(sys.argv[1]) and float(sys.argv[2]) <= 1020 else 1)' "$2" "$3" ||
    fail "advert interval out of 1000 +- 20 ms"

wait_for $((AGENTX_PING * 4 + 10)) eval \
    '[ "$(snmp_get a 127.0.0.1 carpdVhidState.'"$ia"'.1 2>/dev/null)" = master ]' ||
    fail "objects not served after SIGCONT"
echo "after SIGCONT: objects served again"
pass
