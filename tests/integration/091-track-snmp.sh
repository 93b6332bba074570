#!/bin/bash
# 091-track-snmp: the trackers in CARPD-MIB's carpdTrackTable (through a
# real snmpd master) and in /metrics (promtool clean), agreeing with
# /v1/status: a track-script, a track-interface and the startup gate, up
# and down.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/carpd.sh"
. "$(dirname "$0")/snmp.sh"
lab_need curl promtool
VIP=192.0.2.111
export TZ=UTC

lab_init
lab_switch
lab_node a 192.0.2.61/24
lab_exec a ip link add fb0 type veth peer name fb1 || fail "fb0 veth"
lab_exec a ip link set fb0 up
lab_exec a ip link set fb1 up
HEALTH=$LAB_DIR/healthy
touch "$HEALTH"
{ echo "ifconfig eth0 inet vhid 1 pass test123 alias $VIP/24"
  echo "track-script health \"/bin/sh -c 'test -e $HEALTH'\" interval 1 fall 1 rise 1 weight 30"
  echo "track-interface fb0 weight 20"
  echo "startup-demotion 50 for 300 or until health"
  carpd_conf_agentx a; } | carpd_conf a
snmpd_start a 127.0.0.1 192.0.2.110
carpd_start a

walk() {
	snmp_q a snmpwalk -c public -OQsU 127.0.0.1 CARPD-MIB::carpdTrackTable \
	    >"$LAB_DIR/walk.txt" || fail "walk"
}
val() { sed -n "s/^$1 = //p" "$LAB_DIR/walk.txt"; }
check() {
	local got; got=$(val "$1")
	[ "$got" = "$2" ] || { cat "$LAB_DIR/walk.txt" >&2;
	    fail "$1 is '$got', want '$2'"; }
}
metrics() {
	lab_exec a curl -sf --unix-socket "$(carpd_sock a)" \
	    http://localhost/metrics >"$LAB_DIR/metrics.txt" ||
	    fail "GET /metrics"
	promtool check metrics <"$LAB_DIR/metrics.txt" ||
	    fail "promtool check metrics"
}
metric() { awk -v k="$1" '$1 == k { print $2 }' "$LAB_DIR/metrics.txt"; }
demotion() {
	"$CARPCTL" -s "$(carpd_sock a)" --json status |
	    "$PY" -c 'import json, sys; print(json.load(sys.stdin)["node"]["demotion"])'
}

# The gate opens on health's first pass; every tracker is up.
wait_for 5 eval '[ "$(demotion)" = 0 ]' || fail "demotion $(demotion), want 0"
wait_for 10 eval 'walk; [ "$(val carpdTrackUp.script.\"health\")" = true ]' ||
    { cat "$LAB_DIR/walk.txt" >&2; fail "no up row for health"; }
check 'carpdTrackUp.interface."fb0"' true
check 'carpdTrackUp.startup."startup"' true
check 'carpdTrackLastResult.startup."startup"' passed
check 'carpdTrackLastResult.script."health"' pass
check 'carpdTrackLastExitStatus.script."health"' 0
check 'carpdTrackLastResult.interface."fb0"' up
check 'carpdTrackLedgerEntry.script."health"' track-script:health
check 'carpdTrackWeight.interface."fb0"' 20
check 'carpdTrackDemotion.script."health"' 0
rows=$(grep -c '^carpdTrackUp\.' "$LAB_DIR/walk.txt")
[ "$rows" = 3 ] || fail "$rows rows, want 3"
metrics
[ "$(metric 'carp_track_up{name="health",kind="script"}')" = 1 ] ||
    fail "carp_track_up of health"
[ "$(metric 'carp_track_up{name="startup",kind="startup"}')" = 1 ] ||
    fail "carp_track_up of the gate"
echo "up: 3 rows, every carpdTrackUp true, carp_track_up 1"

# Both down.
rm -f "$HEALTH"
lab_exec a ip link set fb1 down
wait_for 5 eval '[ "$(demotion)" = 50 ]' || fail "demotion $(demotion), want 50"
walk
check 'carpdTrackUp.script."health"' false
check 'carpdTrackLastResult.script."health"' fail
check 'carpdTrackLastExitStatus.script."health"' 1
check 'carpdTrackDemotion.script."health"' 30
check 'carpdTrackUp.interface."fb0"' false
check 'carpdTrackLastResult.interface."fb0"' down
check 'carpdTrackDemotion.interface."fb0"' 20
f=$(val 'carpdTrackFailures.script."health"')
[ "${f:-0}" -ge 1 ] || fail "carpdTrackFailures of health '$f'"
metrics
[ "$(metric 'carp_track_up{name="health",kind="script"}')" = 0 ] ||
    fail "carp_track_up of health, down"
[ "$(metric 'carp_track_demotion{name="fb0",kind="interface"}')" = 20 ] ||
    fail "carp_track_demotion of fb0"
[ "$(metric 'carp_track_last_exit_status{name="health",kind="script"}')" = 1 ] ||
    fail "carp_track_last_exit_status of health"
echo "down: carpdTrackUp false, demotion 30 + 20, metrics agree, promtool clean"

# Back up: the total returns to 0.
touch "$HEALTH"
lab_exec a ip link set fb1 up
wait_for 5 eval '[ "$(demotion)" = 0 ]' || fail "demotion $(demotion) after recovery"
walk
check 'carpdTrackUp.script."health"' true
check 'carpdTrackUp.interface."fb0"' true
pass
