#!/bin/bash
# 051-snmp-traps: notifications in snmptrapd's log (client namespace C),
# each with its varbinds.  A (advskew 0) is MASTER, B (advskew 100)
# BACKUP, preempt on; each node runs snmpd with trap2sink to C.
#   - A's configuration is reloaded with net.inet.carp.demotion=200:
#     carpdDemotionChange from A (200, "configuration reloaded"), then
#     the failover: carpdStateChange from B (backup -> master, preempting,
#     master B) and from A (master -> backup, more frequent advert, master
#     B), each row object carrying the VHID's index (ifIndex.1), and
#     the VHID number, interface name and first virtual address as
#     values (carpdNotifVhid, carpdVhidIfName, carpdNotifAddress)
#   - maintenance switched on by an SNMP SET on A: carpdAdminAction
#     (maintenanceOn, origin snmp, reason "SNMP SET")
# Every notification carries carpdNotifEventTime, within a second of now.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/carpd.sh"
. "$(dirname "$0")/snmp.sh"
VIP=192.0.2.111
declare -A IP=([a]=192.0.2.61 [b]=192.0.2.51)
R=$CARPD_ROOT

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
	  echo "agentx-writable yes"
	  carpd_conf_agentx $n; } | carpd_conf $n
	snmpd_start $n 127.0.0.1 192.0.2.110
done
carpd_start a
carpd_start b
carpd_wait a 1 MASTER 6 || fail "A did not become MASTER"
ia=$(snmp_ifindex a); ib=$(snmp_ifindex b)
# The election's own notification, from A.
wait_for 5 eval 'snmp_traps $R.0.1 "${IP[a]}" | grep -q "$R.1.2.1.3.$ia.1 = INTEGER: 3"' ||
    { cat "$TRAP_LOG"; fail "no carpdStateChange for A's election"; }

# has LINE OID VALUE: the trap line has the varbind OID = VALUE.
has() {
	case "$1" in
	*", $2 = $3"*) return 0 ;;
	esac
	printf '%s\n' "$1" >&2
	fail "varbind $2 = $3 missing"
}
# fresh LINE: carpdNotifEventTime is within 5 s of now.
fresh() {
	local hex t
	hex=$(printf '%s\n' "$1" | sed -nE "s/.*$R\.1\.5\.1\.0 = Hex-STRING: ([0-9A-F ]+).*/\1/p")
	[ -n "$hex" ] || fail "no carpdNotifEventTime in $1"
	t=$(snmp_date_epoch $hex)
	"$PY" -c 'import sys, time; sys.exit(0 if abs(time.time() - float(sys.argv[1])) < 5 else 1)' "$t" ||
	    fail "event time $t is not now"
}

# Demotion by reload: A hands over to B.
t0=$(date +%s)
{ echo "net.inet.carp.preempt=1"
  echo "net.inet.carp.demotion=200"
  echo "ifconfig_eth0_alias0=\"inet vhid 1 advskew 0 pass test123 alias $VIP/24\""
  echo "agentx-writable yes"
  carpd_conf_agentx a; } | carpd_conf a
kill -HUP "${CARPD_PID[a]}"
carpd_wait b 1 MASTER 6 || fail "B did not take over from the demoted A"
carpd_wait a 1 BACKUP 2 || fail "A did not step down"

wait_for 5 eval 'snmp_traps $R.0.2 "${IP[a]}" | grep -q .' ||
    { cat "$TRAP_LOG"; fail "no carpdDemotionChange from A"; }
line=$(snmp_traps $R.0.2 "${IP[a]}" | tail -1)
has "$line" "$R.1.1.4.0" "INTEGER: 200"
has "$line" "$R.1.5.2.0" 'STRING: "configuration reloaded"'
fresh "$line"
echo "carpdDemotionChange: demotion 200, configuration reloaded"

hb=$(snmp_hex "${IP[b]}")
wait_for 5 eval 'snmp_traps $R.0.1 "${IP[b]}" | grep -q "$R.1.2.1.3.$ib.1 = INTEGER: 3"' ||
    { cat "$TRAP_LOG"; fail "no carpdStateChange backup -> master from B"; }
line=$(snmp_traps $R.0.1 "${IP[b]}" | grep "$R.1.2.1.3.$ib.1 = INTEGER: 3" | tail -1)
has "$line" "$R.1.2.1.3.$ib.1" "INTEGER: 3"
has "$line" "$R.1.2.1.4.$ib.1" "INTEGER: 2"
has "$line" "$R.1.2.1.17.$ib.1" "INTEGER: 4"
has "$line" "$R.1.2.1.10.$ib.1" "INTEGER: 1"
has "$line" "$R.1.2.1.11.$ib.1" "Hex-STRING: $hb "
# The VHID, the interface name and the first virtual address as values.
has "$line" "$R.1.5.4.0" "INTEGER: 1"
has "$line" "$R.1.2.1.2.$ib.1" 'STRING: "eth0"'
has "$line" "$R.1.5.13.0" "INTEGER: 1"
has "$line" "$R.1.5.14.0" "Hex-STRING: $(snmp_hex $VIP) "
fresh "$line"
echo "carpdStateChange from B: master, was backup, preempting a slower master, master $hb"

wait_for 5 eval 'snmp_traps $R.0.1 "${IP[a]}" | grep -q "$R.1.2.1.3.$ia.1 = INTEGER: 2"' ||
    { cat "$TRAP_LOG"; fail "no carpdStateChange master -> backup from A"; }
line=$(snmp_traps $R.0.1 "${IP[a]}" | grep "$R.1.2.1.3.$ia.1 = INTEGER: 2" | tail -1)
has "$line" "$R.1.2.1.4.$ia.1" "INTEGER: 3"
has "$line" "$R.1.2.1.17.$ia.1" "INTEGER: 3"
has "$line" "$R.1.2.1.11.$ia.1" "Hex-STRING: $hb "
fresh "$line"
echo "carpdStateChange from A: backup, was master, more frequent advertisement, master $hb"

# An administrative action by SNMP SET.
snmp_q a snmpset -c private 127.0.0.1 CARPD-MIB::carpdMaintenance.0 i 1 \
    >/dev/null || fail "SET carpdMaintenance.0 = true"
wait_for 5 eval 'snmp_traps $R.0.4 "${IP[a]}" | grep -q .' ||
    { cat "$TRAP_LOG"; fail "no carpdAdminAction from A"; }
line=$(snmp_traps $R.0.4 "${IP[a]}" | tail -1)
has "$line" "$R.1.5.9.0" "INTEGER: 3"
has "$line" "$R.1.5.10.0" 'STRING: "snmp"'
has "$line" "$R.1.5.11.0" 'STRING: "SNMP SET"'
has "$line" "$R.1.5.3.0" "INTEGER: 0"
has "$line" "$R.1.5.4.0" "INTEGER: 0"
fresh "$line"
grep -q 'audit: origin=snmp action=maintenance reason="SNMP SET" before=off after=on' \
    "$(carpd_log a)" || fail "no audit line for the SET"
[ "$(grep -c 'audit:' "$(carpd_log a)")" = 1 ] || fail "audit lines: want one"
[ "$(snmp_traps $R.0.4 | wc -l)" = 1 ] || fail "carpdAdminAction: want one"
echo "carpdAdminAction: maintenanceOn by snmp, one audit line"
echo "traps since the reload: $(awk -v R="$R" 'index($0, R ".0.")' "$TRAP_LOG" | wc -l)"
pass
