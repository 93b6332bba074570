#!/bin/bash
# 091-track: the trackers of carpd.conf(5) move the master.
# A (advskew 0) and B (advskew 100), vhid 1, preempt on.
#  - track-script on A (interval 1, fall 2, rise 2) tests for a file: the
#    file removed, B takes over within fall x interval + one advert (the
#    measured lag asserted, from the removal to B's BACKUP -> MASTER line);
#    the file back, A takes over again; A's demotion back to 0.
#  - track-interface fb0 on A, one end of a second veth pair in A's
#    namespace: the peer's link down moves the VIP to B, up brings it back.
#  - a reload that drops a tracker while it is down takes its entry away.
#  - startup-demotion 240 for 5: A restarted while B is MASTER does not
#    preempt before the 5 s have passed, then does.
#  - a track-script that is not executable: carpd refuses to start, naming
#    file:line.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/carpd.sh"
VIP=192.0.2.111
INTERVAL=1
FALL=2
RISE=2
ADVBASE=1

lab_init
lab_switch
lab_node a 192.0.2.61/24
lab_node b 192.0.2.51/24
# A's fieldbus: a veth pair inside A's namespace.
lab_exec a ip link add fb0 type veth peer name fb1 || fail "fb0 veth"
lab_exec a ip link set fb0 up
lab_exec a ip link set fb1 up
HEALTH=$LAB_DIR/a-healthy
touch "$HEALTH"

conf_a() {	# extra lines for A on stdin
	carpd_conf a <<CONF
net.inet.carp.preempt=1
ifconfig eth0 inet vhid 1 advbase $ADVBASE advskew 0 pass test123 alias $VIP/24
$(cat)
CONF
}
conf_a <<CONF
track-script health "/bin/sh -c 'test -e $HEALTH'" interval $INTERVAL timeout 1 rise $RISE fall $FALL weight 240
track-interface fb0
CONF
carpd_conf b <<CONF
net.inet.carp.preempt=1
ifconfig eth0 inet vhid 1 advbase $ADVBASE advskew 100 pass test123 alias $VIP/24
CONF

# node_json NODE EXPR: EXPR (Python) on the node's whole status "d".
node_json() {
	"$CARPCTL" -s "$(carpd_sock "$1")" --json status 2>/dev/null |
	    "$PY" -c 'import json, sys
d = json.load(sys.stdin)
t = {x["name"]: x for x in d.get("trackers", [])}
print(eval(sys.argv[1]))' "$2"
}
demotion() { node_json "$1" 'd["node"]["demotion"]'; }
# log_s NODE PATTERN: the time of day (s) of the last log line matching.
log_s() {
	grep -- "$2" "$(carpd_log "$1")" | tail -1 |
	    awk '{ split($1, t, ":"); printf "%.3f", t[1]*3600 + t[2]*60 + t[3] }'
}
now_s() { date +%T.%3N | awk '{ split($1, t, ":"); printf "%.3f", t[1]*3600 + t[2]*60 + t[3] }'; }

carpd_start a
carpd_start b
carpd_wait a 1 MASTER 6 || fail "A did not become MASTER"
carpd_wait b 1 BACKUP 2 || fail "B is not BACKUP"
[ "$(demotion a)" = 0 ] || fail "A's demotion $(demotion a) at start"
[ "$(node_json a 't["health"]["up"] and t["fb0"]["up"]')" = True ] ||
    fail "A's trackers not up: $(node_json a 't')"
wait_for 3 eval '[ "$(node_json a "t[\"health\"][\"last_result\"]")" = pass ]' ||
    fail "the track-script did not pass"
"$CARPCTL" -s "$(carpd_sock a)" status | grep -q '^track script health: up (pass' ||
    fail "carpctl status: $("$CARPCTL" -s "$(carpd_sock a)" status)"

# 1. The track-script fails: B takes over.
t_rm=$(now_s)
rm -f "$HEALTH"
carpd_wait b 1 MASTER $((FALL * INTERVAL + 5)) || fail "B did not take over"
carpd_wait a 1 BACKUP 2 || fail "A did not step down"
t_down=$(log_s a 'track-script:health down')
t_b=$(log_s b 'BACKUP -> MASTER')
lag=$(awk -v a="$t_rm" -v b="$t_b" 'BEGIN { printf "%d", (b - a) * 1000 }')
det=$(awk -v a="$t_rm" -v b="$t_down" 'BEGIN { printf "%d", (b - a) * 1000 }')
# fall x interval: the failing runs; one advert: A advertises its demotion
# at once and B preempts on it, at most one advbase (+ skew) later if that
# advert were lost; 500 ms: two forks of sh, the log lines, a shared and
# noisy 2-core machine.
bound=$(( (FALL * INTERVAL + ADVBASE) * 1000 + 500 ))
echo "track-script: failing ${det} ms after the removal, B MASTER after ${lag} ms (bound ${bound} ms)"
[ -n "$lag" ] && [ "$lag" -gt 0 ] && [ "$lag" -le "$bound" ] ||
    fail "takeover ${lag} ms after the file went, want 0..${bound}"
# Not before fall failures: at least (fall - 1) intervals.
[ "$det" -ge $(( (FALL - 1) * INTERVAL * 1000 - 100 )) ] ||
    fail "down after ${det} ms: fewer than $FALL failures?"
[ "$(demotion a)" = 240 ] || fail "A's demotion $(demotion a), want 240"
[ "$(node_json a 't["health"]["consecutive_failures"] >= 2 and not t["health"]["up"]')" = True ] ||
    fail "tracker state: $(node_json a 't["health"]')"
"$CARPCTL" -s "$(carpd_sock a)" --json status | grep -q '"track-script:health"' ||
    fail "the entry is not in /v1/status"

# The file back: rise passes and A takes the VIP back.
touch "$HEALTH"
carpd_wait a 1 MASTER $((RISE * INTERVAL + 5)) || fail "A did not take back"
carpd_wait b 1 BACKUP 2 || fail "B did not step down"
[ "$(demotion a)" = 0 ] || fail "A's demotion $(demotion a) after recovery"
echo "track-script: recovered, demotion 0"

# 2. track-interface: fb0 loses its carrier.
lab_exec a ip link set fb1 down
carpd_wait b 1 MASTER 5 || fail "B did not take over on fb0 down"
[ "$(demotion a)" = 240 ] || fail "A's demotion $(demotion a) with fb0 down"
[ "$(node_json a 't["fb0"]["last_result"]')" = down ] ||
    fail "fb0: $(node_json a 't["fb0"]')"
grep -q 'track-interface:fb0 down (link down)' "$(carpd_log a)" ||
    fail "A's log lacks fb0's down line"
lab_exec a ip link set fb1 up
carpd_wait a 1 MASTER 6 || fail "A did not take back on fb0 up"
[ "$(demotion a)" = 0 ] || fail "A's demotion $(demotion a) with fb0 up"
echo "track-interface: down moved the VIP, up brought it back"

# 3. Reload without fb0 while it is down: its entry goes with it.
lab_exec a ip link set fb1 down
wait_for 3 eval '[ "$(demotion a)" = 240 ]' || fail "fb0 down not seen"
conf_a <<CONF
track-script health "/bin/sh -c 'test -e $HEALTH'" interval $INTERVAL timeout 1 rise $RISE fall $FALL weight 240
CONF
runs=$(node_json a 't["health"]["counters"]["results"]')
kill -HUP "${CARPD_PID[a]}"
wait_for 3 eval '[ "$(demotion a)" = 0 ]' || fail "fb0's entry stayed after the reload"
[ "$(node_json a '"fb0" in t')" = False ] || fail "fb0 still tracked"
[ "$(node_json a 't["health"]["counters"]["results"] >= '"$runs"'')" = True ] ||
    fail "the unchanged tracker lost its counts"
carpd_wait a 1 MASTER 6 || fail "A not MASTER after the reload"
lab_exec a ip link set fb1 up
echo "reload: fb0 removed, entry gone, health kept its counts"

# 4. startup-demotion: A restarted while B is MASTER waits 5 s.
carpd_stop a
carpd_wait b 1 MASTER 5 || fail "B did not take over when A stopped"
conf_a <<CONF
startup-demotion 240 for 5
CONF
t_start=$(now_s)
carpd_start a
carpd_wait a 1 BACKUP 5 || fail "A did not come up BACKUP"
[ "$(demotion a)" = 240 ] || fail "A's startup demotion $(demotion a)"
carpd_wait a 1 MASTER 12 || fail "A never preempted after the gate"
t_m=$(log_s a 'BACKUP -> MASTER')
held=$(awk -v a="$t_start" -v b="$t_m" 'BEGIN { printf "%d", (b - a) * 1000 }')
echo "startup-demotion: A preempted ${held} ms after its start (gate 5000 ms)"
[ "$held" -ge 4900 ] || fail "A preempted ${held} ms after start, before the gate's 5 s"
[ "$held" -le $((5000 + 3000)) ] || fail "A preempted ${held} ms after start"
[ "$(demotion a)" = 0 ] || fail "A's demotion $(demotion a) after the gate"
[ "$(node_json a 't["startup"]["last_result"]')" = elapsed ] ||
    fail "startup: $(node_json a 't["startup"]')"

# 5. A script that cannot run: refused at start, naming file:line.
printf '#!/bin/sh\nexit 0\n' >"$LAB_DIR/noexec.sh"
chmod 0644 "$LAB_DIR/noexec.sh"
carpd_conf x <<CONF
ifconfig eth0 inet vhid 1 pass test123 alias $VIP/24
track-script plc $LAB_DIR/noexec.sh
CONF
out=$(lab_exec a timeout 5 "$CARPD" -d -f "$LAB_DIR/carpd-x.conf" 2>&1) &&
    fail "carpd started with a non-executable track-script"
echo "$out" | grep -q "carpd-x.conf:2: track-script plc: $LAB_DIR/noexec.sh is not executable" ||
    fail "no file:line message: $out"
echo "non-executable script: refused ($out)"
pass
