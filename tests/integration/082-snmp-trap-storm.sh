#!/bin/bash
# 082-snmp-trap-storm: snmp-trap-rate.  Node A alone runs 8 VHIDs with
# snmp-trap-rate 3; its snmpd sends traps to its own snmptrapd.  All 8 become MASTER
# together, then its cable is pulled and all 8 go INIT: each time
# snmptrapd gets 3 carpdStateChange and one carpdStateChangeSummary for
# the other 5 (carpdNotifToMaster 5, then carpdNotifToInit 5), and carpd
# counts the 10 folded in carpdNotificationsFolded and
# carp_snmp_notifications_folded_total.  A reload that adds a VHID sets
# carpdCounterDiscontinuityTime (0 until then).  With snmpd away, 300
# notifications for a queue of 256 count 44 lost in
# carp_snmp_notifications_dropped_total and carpdNotificationsDropped.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/carpd.sh"
. "$(dirname "$0")/snmp.sh"
lab_need curl
R=$CARPD_ROOT
IP=192.0.2.61

lab_init
lab_switch
lab_node a $IP/24
# The traps stay on A (its cable is pulled below).
snmptrapd_start a 127.0.0.1
snmpd_start a 127.0.0.1 127.0.0.1
conf() {	# VHIDS: the config with VHIDs 1..VHIDS
	local v
	{ echo "snmp-trap-rate 3"
	  for v in $(seq "$1"); do
		echo "ifconfig_eth0_alias$v=\"inet vhid $v pass test$v alias 192.0.2.$((100 + v))/24\""
	  done
	  carpd_conf_agentx a; } | carpd_conf a
}
conf 8
carpd_start a
for v in $(seq 8); do
	carpd_wait a $v MASTER 8 || fail "VHID $v did not become MASTER"
done
ia=$(snmp_ifindex a)
# traps_to STATE: carpdStateChange traps from A into STATE (1 init, 3 master).
traps_to() {
	snmp_traps "$R.0.1" 127.0.0.1 | grep -c "$R\.1\.2\.1\.3\.$ia\.[0-9]* = INTEGER: $1,"
}
summaries() { snmp_traps "$R.0.5" 127.0.0.1; }
# has LINE OID VALUE
has() {
	case "$1" in *", $2 = $3"*) return 0 ;; esac
	printf '%s\n' "$1" >&2
	fail "varbind $2 = $3 missing"
}
wait_for 10 eval '[ "$(summaries | wc -l)" -ge 1 ]' ||
    { cat "$TRAP_LOG"; fail "no carpdStateChangeSummary for the election"; }
sleep 2.5	# anything more would have come by now
[ "$(traps_to 3)" = 3 ] || { cat "$TRAP_LOG"; fail "carpdStateChange to master: $(traps_to 3), want 3"; }
[ "$(summaries | wc -l)" = 1 ] || { cat "$TRAP_LOG"; fail "summaries: $(summaries | wc -l), want 1"; }
s1=$(summaries | tail -1)
has "$s1" "$R.1.5.15.0" "Gauge32: 5"
has "$s1" "$R.1.5.16.0" "Gauge32: 0"
has "$s1" "$R.1.5.17.0" "Gauge32: 0"
has "$s1" "$R.1.4.19.0" "Counter64: 5"
echo "election: 3 carpdStateChange, one summary of 5 to MASTER"

# The cable: all 8 go INIT at once.
lab_cable_pull a
for v in $(seq 8); do
	carpd_wait a $v INIT 3 || fail "VHID $v did not go INIT"
done
wait_for 10 eval '[ "$(summaries | wc -l)" -ge 2 ]' ||
    { cat "$TRAP_LOG"; fail "no carpdStateChangeSummary for the link loss"; }
sleep 2.5
[ "$(traps_to 1)" = 3 ] || { cat "$TRAP_LOG"; fail "carpdStateChange to init: $(traps_to 1), want 3"; }
[ "$(summaries | wc -l)" = 2 ] || fail "summaries: $(summaries | wc -l), want 2"
s2=$(summaries | tail -1)
has "$s2" "$R.1.5.17.0" "Gauge32: 5"
has "$s2" "$R.1.5.15.0" "Gauge32: 0"
has "$s2" "$R.1.4.19.0" "Counter64: 10"
echo "link lost: 3 carpdStateChange, one summary of 5 to INIT"

[ "$(snmp_get a 127.0.0.1 carpdNotificationsFolded.0)" = 10 ] ||
    fail "carpdNotificationsFolded.0: $(snmp_get a 127.0.0.1 carpdNotificationsFolded.0)"
[ "$(snmp_get a 127.0.0.1 carpdNotificationsDropped.0)" = 0 ] ||
    fail "carpdNotificationsDropped.0"
[ "$(snmp_get a 127.0.0.1 carpdInitCount.0)" = 8 ] ||
    fail "carpdInitCount.0: $(snmp_get a 127.0.0.1 carpdInitCount.0)"
m=$(curl -sS --max-time 5 --unix-socket "$LAB_DIR/ctl-a.sock" http://localhost/metrics) ||
    fail "GET /metrics"
echo "$m" | grep -qx 'carp_snmp_notifications_folded_total 10' ||
    fail "carp_snmp_notifications_folded_total: $(echo "$m" | grep folded)"
echo "$m" | grep -qx 'carp_agentx_enabled 1' || fail "carp_agentx_enabled"
echo "$m" | grep -qx 'carp_agentx_connected 1' || fail "carp_agentx_connected"
grep -q 'snmp: 5 to MASTER, 0 to BACKUP, 0 to INIT past snmp-trap-rate 3/s' "$(carpd_log a)" ||
    fail "no log line for the summary"
echo "counted: carpdNotificationsFolded 10, carp_snmp_notifications_folded_total 10"

# Discontinuity: 0 until a reload adds a VHID.
[ "$(snmp_get a 127.0.0.1 carpdCounterDiscontinuityTime.0)" = "0:0:00:00.00" ] ||
    fail "carpdCounterDiscontinuityTime before: $(snmp_get a 127.0.0.1 carpdCounterDiscontinuityTime.0)"
conf 9
kill -HUP "${CARPD_PID[a]}"
wait_for 5 grep -q 'configuration reloaded' "$(carpd_log a)" || fail "no reload"
wait_for 5 eval '[ "$(snmp_get a 127.0.0.1 carpdVhidCount.0)" = 9 ]' ||
    fail "VHID 9 was not added"
wait_for 5 eval '[ "$(snmp_get a 127.0.0.1 carpdCounterDiscontinuityTime.0)" != "0:0:00:00.00" ]' ||
    fail "carpdCounterDiscontinuityTime is still 0 after VHID 9 was added"
echo "reload adding VHID 9: carpdCounterDiscontinuityTime $(snmp_get a 127.0.0.1 carpdCounterDiscontinuityTime.0)"

# Overflow: snmpd away, 150 demotion changes queue 450 notifications
# (carpdDemotionEntryChange, carpdDemotionChange and carpdAdminAction each:
# the value is the ledger's entry "admin") for a queue of 256: 194 dropped,
# the oldest first.
NOTIFS_PER=3 QUEUE=256
DROPPED=$((150 * NOTIFS_PER - QUEUE))
metric() {
	curl -sS --max-time 5 --unix-socket "$LAB_DIR/ctl-a.sock" http://localhost/metrics |
	    sed -n "s/^$1 //p"
}
snmpd_stop a
wait_for 10 eval '[ "$(metric carp_agentx_connected)" = 0 ]' ||
    fail "carpd did not notice snmpd was gone"
for i in $(seq 150); do
	curl -sS --max-time 5 --unix-socket "$LAB_DIR/ctl-a.sock" -o /dev/null \
	    -X PUT -H 'Content-Type: application/json' \
	    -d "{\"value\": $i, \"reason\": \"flood\"}" http://localhost/v1/demotion ||
	    fail "PUT /v1/demotion"
done
wait_for 5 eval '[ "$(metric carp_snmp_notifications_dropped_total)" = $DROPPED ]' ||
    fail "carp_snmp_notifications_dropped_total: $(metric carp_snmp_notifications_dropped_total), want $DROPPED"
grep -q 'snmp: notification queue full: 1 dropped' "$(carpd_log a)" ||
    fail "no log line for the overflow"
snmpd_start a 127.0.0.1 127.0.0.1
wait_for 10 eval '[ "$(snmp_get a 127.0.0.1 carpdNotificationsDropped.0 2>/dev/null)" = $DROPPED ]' ||
    fail "carpdNotificationsDropped.0: $(snmp_get a 127.0.0.1 carpdNotificationsDropped.0)"
# The 256 kept are delivered, the newest last.
wait_for 15 eval 'snmp_traps "$R.0.4" 127.0.0.1 | grep -q "$R.1.5.12.0 = INTEGER: 150,"' ||
    fail "the last carpdAdminAction (demotion 150) was not delivered"
n=$(snmp_traps "$R.0.4" 127.0.0.1 | grep -c '"flood"')
# The newest QUEUE notifications hold QUEUE / NOTIFS_PER actions (+1 for
# the partial one); a few may be lost while the session comes back.
kept=$((QUEUE / NOTIFS_PER + 1))
[ "$n" -ge $((kept - 8)) ] && [ "$n" -le "$kept" ] ||
    fail "carpdAdminAction delivered: $n, want $kept less what was lost"
echo "overflow: $DROPPED dropped (carp_snmp_notifications_dropped_total, carpdNotificationsDropped), the rest delivered"
pass
