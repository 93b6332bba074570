#!/bin/bash
# 052-snmp-set: SETs of carpdVhidAdminDemoted through snmpd.  A (advskew
# 0) is MASTER, B (advskew 100) BACKUP, preempt on.  With the read-only
# community the SET is refused and nothing changes; with the read-write
# one A is demoted (B takes over, one audit line origin=snmp, the row says
# adminDemoted true) and promoted again (A takes the VIP back).  A SET on
# a VHID that does not exist fails.  Only A has agentx-writable yes: on B
# (the default, no) a SET with the read-write community fails with
# notWritable and changes nothing, also after a reload turns it on and off.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/carpd.sh"
. "$(dirname "$0")/snmp.sh"
VIP=192.0.2.111

lab_init
lab_switch
lab_node a 192.0.2.61/24
lab_node b 192.0.2.51/24
lab_node c 192.0.2.110/24
for n in a b; do
	skew=0; [ $n = b ] && skew=100
	{ echo "net.inet.carp.preempt=1"
	  echo "ifconfig_eth0_alias0=\"inet vhid 1 advskew $skew pass test123 alias $VIP/24\""
	  echo "state-file $LAB_DIR/state-$n.json"
	  [ $n = a ] && echo "agentx-writable yes"
	  carpd_conf_agentx $n; } | carpd_conf $n
	snmpd_start $n 127.0.0.1 192.0.2.110
done
carpd_start a
carpd_start b
carpd_wait a 1 MASTER 6 || fail "A did not become MASTER"
ia=$(snmp_ifindex a)
obj="CARPD-MIB::carpdVhidAdminDemoted.$ia.1"
wait_for 5 eval '[ "$(snmp_get a 127.0.0.1 carpdVhidAdminDemoted.'"$ia"'.1)" = false ]' ||
    fail "A's row not served"

# Read-only community: refused.
if out=$(snmp_q a snmpset -c public 127.0.0.1 "$obj" i 1 2>&1); then
	fail "SET with the read-only community succeeded: $out"
fi
echo "read-only community: $(echo "$out" | grep -i -m1 'error\|reason\|timeout')"
sleep 0.5
[ "$(carpd_state a 1)" = MASTER ] || fail "A changed state after a refused SET"
grep -q 'audit:' "$(carpd_log a)" && fail "audit line after a refused SET"

# No such VHID: refused.
if snmp_q a snmpset -c private 127.0.0.1 \
    "CARPD-MIB::carpdVhidAdminDemoted.$ia.77" i 1 >/dev/null 2>&1; then
	fail "SET on VHID 77 succeeded"
fi
# Wrong value: refused.
if snmp_q a snmpset -c private 127.0.0.1 "$obj" i 3 >/dev/null 2>&1; then
	fail "SET to 3 succeeded"
fi

# Read-write community: demote, B takes over.
t0=$(lab_now)
snmp_q a snmpset -c private 127.0.0.1 "$obj" i 1 >/dev/null ||
    fail "SET demote with the read-write community failed"
carpd_wait b 1 MASTER 5 || fail "B did not take over after the SET"
carpd_wait a 1 BACKUP 1 || fail "A is not BACKUP"
echo "demoted by SET: B MASTER after $(lab_ms "$t0" "$(lab_now)") ms"
grep -q 'audit: origin=snmp action=demote vhid=1@eth0 reason="SNMP SET" before=MASTER after=BACKUP' \
    "$(carpd_log a)" || fail "no audit line for the demote"
[ "$(snmp_get a 127.0.0.1 "carpdVhidAdminDemoted.$ia.1")" = true ] ||
    fail "carpdVhidAdminDemoted is not true right after the SET"
r=$(snmp_get a 127.0.0.1 "carpdVhidAdminReason.$ia.1")
[ "$r" = "SNMP SET" ] || [ "$r" = "\"SNMP SET\"" ] ||
    fail "carpdVhidAdminReason"
# A SET names nobody: no who, but the time it was set, within a minute.
r=$(snmp_get a 127.0.0.1 "carpdVhidAdminSetBy.$ia.1")
[ "$r" = "" ] || [ "$r" = '""' ] || fail "carpdVhidAdminSetBy is '$r'"
r=$(snmp_get a 127.0.0.1 "carpdVhidAdminSetTime.$ia.1")
"$PY" -c 'import calendar, re, sys, time
y, mo, d, h, mi, s = re.match(r"(\d+)-(\d+)-(\d+),(\d+):(\d+):(\d+)\.\d,\+0:0$",
    sys.argv[1]).groups()
t = calendar.timegm((int(y), int(mo), int(d), int(h), int(mi), int(s)))
sys.exit(0 if 0 <= time.time() - t < 60 else 1)' "$r" ||
    fail "carpdVhidAdminSetTime is '$r', not now"
grep -q '"demoted"' "$LAB_DIR/state-a.json" || fail "state file lacks the demotion"
lab_has_addr b "$VIP" || fail "B MASTER without the VIP"

# Promote: A preempts again.
snmp_q a snmpset -c private 127.0.0.1 "$obj" i 2 >/dev/null ||
    fail "SET promote failed"
carpd_wait a 1 MASTER 6 || fail "A did not take the VIP back"
carpd_wait b 1 BACKUP 2 || fail "B did not step down"
grep -q 'audit: origin=snmp action=promote vhid=1@eth0 reason="SNMP SET"' \
    "$(carpd_log a)" || fail "no audit line for the promote"
[ "$(grep -c 'audit:' "$(carpd_log a)")" = 2 ] || fail "want two audit lines"
[ "$(snmp_get a 127.0.0.1 "carpdVhidAdminDemoted.$ia.1")" = false ] ||
    fail "carpdVhidAdminDemoted is not false"
# Repeating it changes nothing: no third audit line.
snmp_q a snmpset -c private 127.0.0.1 "$obj" i 2 >/dev/null ||
    fail "repeated SET failed"
sleep 0.3
[ "$(grep -c 'audit:' "$(carpd_log a)")" = 2 ] || fail "repeat was audited"
echo "promoted by SET: A MASTER again"

# B: agentx-writable no (the default), the read-write community refused.
ib=$(snmp_ifindex b)
out=$(snmp_q b snmpset -c private 127.0.0.1 "CARPD-MIB::carpdMaintenance.0" i 1 2>&1) &&
    fail "SET on B without agentx-writable succeeded: $out"
echo "$out" | grep -q 'notWritable' || fail "want notWritable: $out"
out=$(snmp_q b snmpset -c private 127.0.0.1 "CARPD-MIB::carpdVhidAdminDemoted.$ib.1" i 1 2>&1) &&
    fail "SET of B's row without agentx-writable succeeded: $out"
echo "$out" | grep -q 'notWritable' || fail "want notWritable: $out"
[ "$(snmp_get b 127.0.0.1 carpdMaintenance.0)" = false ] || fail "B's maintenance changed"
grep -q 'audit:' "$(carpd_log b)" && fail "audit line on B"
grep -q 'snmp: SET refused: agentx-writable is no' "$(carpd_log b)" || fail "no log line on B"
echo "B, agentx-writable no: notWritable"
# A reload turns it on (the next SET works), and off again.
sed -i 's/^state-file .*/&\nagentx-writable yes/' "$LAB_DIR/carpd-b.conf"
kill -HUP "${CARPD_PID[b]}"
wait_for 5 eval 'snmp_q b snmpset -c private 127.0.0.1 CARPD-MIB::carpdMaintenance.0 i 2 >/dev/null 2>&1' ||
    fail "SET on B after agentx-writable yes by reload"
sed -i '/^agentx-writable yes$/d' "$LAB_DIR/carpd-b.conf"
kill -HUP "${CARPD_PID[b]}"
wait_for 5 eval '! snmp_q b snmpset -c private 127.0.0.1 CARPD-MIB::carpdMaintenance.0 i 2 >/dev/null 2>&1' ||
    fail "SET on B still works after agentx-writable went by reload"
echo "B: agentx-writable follows a reload"
pass
