#!/bin/bash
# flaps: a storm of CHAOS_FLAPS (default 100) link flaps in about 10 s on
# the master's cable (switch-side veth down, up).  Afterwards carpd on A
# still runs and answers on its control socket, its demotion is back to its
# base (the last "demoted by N to M" line has M = 0, /v1/status says 0,
# and every "interface down" demotion was lifted by an "interface up"
# one), and A is the master again (preempting B, which took over during
# the storm), B BACKUP, the VIP on A only.
. "$(dirname "$0")/chaos.sh"
FLAPS=${CHAOS_FLAPS:-100}
STORM_MS=${CHAOS_FLAP_MS:-10000}	# the storm's length

# sleep_until NS: sleep until date +%s%N reaches NS (no sleep if past it).
sleep_until() {
	local d=$(( $1 - $(date +%s%N) ))
	[ $d -gt 0 ] && sleep "$(printf '%d.%09d' $((d / 1000000000)) \
	    $((d % 1000000000)))"
	return 0
}

chaos_pair
chaos_start_pair
lab_ping_start c "$VIP"
lab_ping_flowing 5 || fail "no replies from the VIP"

# Flap i: down at i * STORM_MS / FLAPS, up half a period later.
t0=$(lab_now)
start=$(date +%s%N)
per=$((STORM_MS * 1000000 / FLAPS))
for i in $(seq 0 $((FLAPS - 1))); do
	sleep_until $((start + i * per))
	lab_cable_pull a
	sleep_until $((start + i * per + per / 2))
	lab_cable_plug a
done
t1=$(lab_now)
storm_ms=$(lab_ms "$t0" "$t1")
echo "$FLAPS flaps in $storm_ms ms"

wait_for 2 lab_carrier a || fail "A has no carrier after the storm"
chaos_running a || fail "carpd on A is dead or does not answer"
chaos_running b || fail "carpd on B is dead or does not answer"
# Back to MASTER: master-down (3 s) or preemption at B's next advert.
carpd_wait a 1 MASTER 8 || fail "A did not become MASTER again"
t_master=$(lab_now)
carpd_wait b 1 BACKUP 3 || fail "B did not step down"
wait_for 2 eval '! lab_has_addr b "$VIP"' || fail "B kept the VIP"
lab_has_addr a "$VIP" || fail "A is MASTER without the VIP"
lab_ping_flowing 5 || fail "no replies from the VIP after the storm"
sleep 2
[ "$(carpd_state a 1)" = MASTER ] || fail "A left MASTER again"

log=$(carpd_log a)
downs=$(grep -c 'carp: demoted by [0-9-]* to [0-9]* (interface down)' "$log")
ups=$(grep -c 'carp: demoted by [0-9-]* to [0-9]* (interface up)' "$log")
last=$(grep -E 'carp: demoted by -?[0-9]+ to -?[0-9]+' "$log" | tail -1 |
    sed -E 's/.*demoted by (-?[0-9]+) to (-?[0-9]+).*/\2/')
ctl a http://x/v1/status >"$LAB_DIR/status-a.json" || fail "status"
read -r dem st < <("$PY" -c 'import json, sys
d = json.load(open(sys.argv[1]))
print(d["node"]["demotion"], d["vhids"][0]["state"])' "$LAB_DIR/status-a.json") ||
    fail "status JSON"
trans=$(chaos_ntrans a)
result "flaps=$FLAPS storm_ms=$storm_ms demotion_down_lines=$downs" \
    "demotion_up_lines=$ups last_demotion=$last status_demotion=$dem" \
    "status_state=$st a_transitions=$trans" \
    "storm_end_to_master_ms=$(lab_ms "$t1" "$t_master")"
[ "$storm_ms" -le $((STORM_MS + 1000)) ] || fail "the storm took $storm_ms ms"
[ "$downs" -ge 1 ] && [ "$downs" = "$ups" ] ||
    fail "demotion lines: $downs down, $ups up"
[ "$last" = 0 ] || fail "last demotion line says $last, want 0"
[ "$dem" = 0 ] || fail "/v1/status demotion $dem, want 0"
[ "$st" = MASTER ] || fail "/v1/status state $st, want MASTER"
pass
