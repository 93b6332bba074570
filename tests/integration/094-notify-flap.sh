#!/bin/bash
# 094-notify-flap: notify scripts that can be trusted.  A node with two
# VHIDs and a slow notify-script (0.5 s a run; it takes a lock per VHID
# with mkdir, and writes "overlap" if the lock is held).  VHID 1 flaps:
# carpctl demotes and promotes it (--force-master) 12 times as fast as
# carpctl goes, then demotes it once more, 25 transitions in well under
# the time one run takes per transition.  Then:
# - no two runs of one VHID ever overlap, and each start has its end
#   before the next start of that VHID;
# - the last run of VHID 1 reports its final state, BACKUP;
# - runs plus coalesced transitions account for every transition of VHID
#   1 (none dropped: carp_notify_coalesced_total > 0 and runs < transitions);
# - VHID 2's scripts were not held back behind VHID 1's queue (its run
#   starts before VHID 1's last one ends);
# - /metrics is promtool-clean, the counters are there, and the queue
#   ends empty; CARPD-MIB's carpdNotifyRuns and carpdNotifyCoalesced,
#   through a real snmpd, agree with them.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/carpd.sh"
. "$(dirname "$0")/snmp.sh"
lab_need curl
V1=192.0.2.111 V2=192.0.2.112
FLAPS=12

lab_init
lab_switch
lab_node a 192.0.2.61/24
cat >"$LAB_DIR/notify" <<SH
#!/bin/sh
mkdir "$LAB_DIR/lock.\$1" 2>/dev/null || echo "\$1 overlap" >>"$LAB_DIR/runs"
echo "\$1 start \$3 \$4" >>"$LAB_DIR/runs"
sleep 0.5
echo "\$1 end \$3" >>"$LAB_DIR/runs"
rmdir "$LAB_DIR/lock.\$1"
SH
chmod 0755 "$LAB_DIR/notify"
{ cat <<CONF
notify-script $LAB_DIR/notify
notify-timeout 10
ifconfig_eth0_alias0="inet vhid 1 pass test123 alias $V1/24"
ifconfig_eth0_alias1="inet vhid 2 pass test456 alias $V2/24"
CONF
  carpd_conf_agentx a; } | carpd_conf a
snmpd_start a 127.0.0.1 192.0.2.110
carpd_start a
carpd_wait a 1 MASTER 6 || fail "VHID 1 did not become MASTER"
carpd_wait a 2 MASTER 1 || fail "VHID 2 did not become MASTER"
metric() {
	curl -sS --max-time 5 --unix-socket "$(carpd_sock a)" \
	    http://localhost/metrics | sed -n "s/^$1 //p"
}
idle() { [ "$(metric carp_notify_running)" = 0 ] && [ "$(metric carp_notify_queued)" = 0 ]; }
wait_for 10 idle || fail "the start-up scripts did not finish"
ctl() { "$CARPCTL" -s "$(carpd_sock a)" "$@" >/dev/null || fail "carpctl $*"; }

t0=$(lab_now)
for i in $(seq $FLAPS); do
	ctl demote 1 -r flap
	ctl promote 1 --force-master -r flap
	# VHID 2 once, in the middle of the storm.
	[ "$i" = 6 ] && ctl demote 2 -r other
done
ctl demote 1 -r final
t1=$(lab_now)
echo "$((2 * FLAPS + 1)) transitions of VHID 1 in $(echo "$t1 - $t0" | bc) s"
[ "$(carpd_state a 1)" = BACKUP ] || fail "VHID 1 is $(carpd_state a 1), not BACKUP"
wait_for 30 idle || fail "the scripts did not finish: $(metric carp_notify_queued) waiting"

runs=$LAB_DIR/runs
grep -q overlap "$runs" && { cat "$runs" >&2; fail "two runs of one VHID overlapped"; }
# Per VHID: start, end, start, end ... with the same state in each pair.
for v in 1 2; do
	grep "^$v " "$runs" | awk -v v=$v '
	    $2 == "start" { if (open) { print "VHID " v ": start before end: " $0; bad = 1 } open = 1; st = $3 }
	    $2 == "end" { if (!open || $3 != st) { print "VHID " v ": stray end: " $0; bad = 1 } open = 0 }
	    END { if (open) { print "VHID " v ": no end"; bad = 1 } exit bad }' >&2 ||
	    { cat "$runs" >&2; fail "VHID $v's runs are not in order"; }
done
last=$(grep '^1 end ' "$runs" | tail -1)
[ "$last" = "1 end BACKUP" ] || { cat "$runs" >&2; fail "VHID 1's last run is '$last', not its final state"; }
grep -q '^2 start BACKUP' "$runs" || { cat "$runs" >&2; fail "VHID 2's run is missing"; }
l2=$(grep -n '^2 start BACKUP' "$runs" | head -1 | cut -d: -f1)
l1=$(grep -n '^1 end ' "$runs" | tail -1 | cut -d: -f1)
[ "$l2" -lt "$l1" ] || { cat "$runs" >&2; fail "VHID 2's run waited for VHID 1's queue"; }

# Nothing lost: VHID 1's runs and its coalesced transitions are all of its
# transitions (VHID 2 had no more than it could run).
nrun=$(grep -c '^1 start ' "$runs")
ntr=$(_vhid_json a 1 'sum(v["counters"]["transitions"].values())')
coal=$(metric carp_notify_coalesced_total)
echo "VHID 1: $ntr transitions, $nrun runs, $coal coalesced"
[ "$coal" -gt 0 ] || fail "nothing was coalesced: the storm was too slow to test it"
[ "$nrun" -lt "$ntr" ] || fail "$nrun runs for $ntr transitions"
[ $((nrun + coal)) -eq "$ntr" ] || fail "$nrun runs + $coal coalesced != $ntr transitions"
[ "$(metric carp_notify_runs_total)" -eq "$(grep -c ' start ' "$runs")" ] ||
    fail "carp_notify_runs_total $(metric carp_notify_runs_total) != the runs logged"
[ "$(metric carp_notify_timeouts_total)" = 0 ] || fail "a run timed out"
[ "$(metric carp_notify_failures_total)" = 0 ] || fail "a run failed"
grep -q "notify: 1@eth0: transitions arrive faster than notify-script runs" \
    "$(carpd_log a)" || fail "the coalescing is not logged"
# The MIB: the same counters, once the subagent's snapshot has them.
for o in Runs:carp_notify_runs_total Coalesced:carp_notify_coalesced_total \
    Timeouts:carp_notify_timeouts_total Failures:carp_notify_failures_total; do
	want=$(metric "${o#*:}")
	wait_for 5 eval '[ "$(snmp_get a 127.0.0.1 carpdNotify${o%%:*}.0)" = "$want" ]' ||
	    fail "carpdNotify${o%%:*}.0 is '$(snmp_get a 127.0.0.1 carpdNotify${o%%:*}.0)', not $want"
done
echo "MIB: carpdNotifyRuns.0 $(snmp_get a 127.0.0.1 carpdNotifyRuns.0)," \
    "carpdNotifyCoalesced.0 $(snmp_get a 127.0.0.1 carpdNotifyCoalesced.0)"
if command -v promtool >/dev/null; then
	curl -sS --max-time 5 --unix-socket "$(carpd_sock a)" http://localhost/metrics |
	    promtool check metrics || fail "promtool check metrics"
	echo "promtool: clean"
fi
pass
