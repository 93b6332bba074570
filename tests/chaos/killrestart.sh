#!/bin/bash
# killrestart: SIGKILL carpd on the master and restart it, CHAOS_KILLS
# times (default 100).
#
# Each cycle: A is MASTER; a demotion action (0 <-> 1, which makes carpd
# rewrite its state file) goes to A's control socket and A is killed 20 to
# 60 ms later (curl needs ~20 ms to connect), so some kills land inside
# the write; A stays dead for 0.1,
# 1, 2.5 or 4.5 s (in turn: restarts before B's master-down, around it,
# and after the VIP's 3 s lease ran out), is restarted and must become
# MASTER again (master timed out, or preempting B).
#
# Asserted:
#  - never two hosts holding the VIP beyond the lease: every overlap of
#    A's and B's VIP intervals (address monitors) is <= LEASE_MS + the
#    kernel's lifetime granularity (see 022-carpd-sigkill); the max is
#    reported, with the number above 750 ms (4.1 s - 3.39 s master-down);
#  - the state file (it starts with a demoted VHID 42 that is not
#    configured, which carpd keeps) parses after every kill and is either
#    byte-identical to the previous copy or a valid newer version (version
#    1, VHID 42 still demoted, demotion 0 or 1);
#  - carpd starts every time (the file is never refused).
. "$(dirname "$0")/chaos.sh"
KILLS=${CHAOS_KILLS:-100}
LEASE_MS=2000		# 3 x advbase - 1 (docs/protocol.md, decision 10)
GRAIN_MS=1100		# kernel lifetime check (>= 1 s apart) + slack
DOWNS=(0.1 1 2.5 4.5)

chaos_pair
mkdir -m 0700 "$LAB_DIR/state"
SF=$LAB_DIR/state/state-a.json
cat >"$SF" <<'EOF'
{
  "version": 1,
  "demoted": [
    { "interface": "eth0", "vhid": 42, "reason": "chaos: not configured",
      "since": 1700000000 }
  ]
}
EOF
chmod 0600 "$SF"
echo "state-file $SF" >>"$LAB_DIR/carpd-a.conf"
cp "$SF" "$LAB_DIR/state-prev.json"

# state_check: the file parses and is the previous copy or a valid newer one.
state_check() {
	cmp -s "$SF" "$LAB_DIR/state-prev.json" && return 0
	"$PY" - "$SF" <<'EOF' || return 1
import json, sys
d = json.load(open(sys.argv[1]))
assert d["version"] == 1, "version"
assert any(v["vhid"] == 42 and v["interface"] == "eth0"
           for v in d["demoted"]), "VHID 42 lost"
assert d.get("demotion", {}).get("value", 0) in (0, 1), "demotion value"
EOF
	cp "$SF" "$LAB_DIR/state-prev.json"
	changed=$((changed + 1))
}

chaos_start_pair
lab_ping_start c "$VIP"
changed=0
t_start=$(lab_now)
for i in $(seq "$KILLS"); do
	carpd_wait a 1 MASTER 10 || fail "cycle $i: A is not MASTER"
	ctl a -o /dev/null -w '%{http_code}\n' -X PUT \
	    -H 'Content-Type: application/json' \
	    --data "{\"value\": $((i % 2)), \"reason\": \"chaos $i\"}" \
	    http://x/v1/demotion >>"$LAB_DIR/codes" 2>/dev/null &
	req=$!
	sleep "0.0$((2 + RANDOM % 5))"
	kill -KILL "${CARPD_PID[a]}" || fail "cycle $i: kill"
	lab_now >>"$LAB_DIR/kills"
	_lab_wait_gone 3 "${CARPD_PID[a]}" || fail "cycle $i: A survived SIGKILL"
	wait "$req"
	state_check || { cat "$SF"; fail "cycle $i: state file corrupt"; }
	sleep "${DOWNS[$((i % ${#DOWNS[@]}))]}"
	cat "$(carpd_log a)" >>"$LAB_DIR/carpd-a.all.log"
	carpd_start a
done
carpd_wait a 1 MASTER 10 || fail "A is not MASTER at the end"
carpd_wait b 1 BACKUP 3 || fail "B is not BACKUP at the end"
sleep 1
secs=$(lab_ms "$t_start" "$(lab_now)")
chaos_running a || fail "carpd on A does not answer"
actions=$(grep -c '^200$' "$LAB_DIR/codes")
stray=$(find "$LAB_DIR/state" -name '.state-a.json.*' | wc -l)

lab_addr_intervals "$VIP" a | cut -d' ' -f2- >"$LAB_DIR/a-iv"
lab_addr_intervals "$VIP" b | cut -d' ' -f2- >"$LAB_DIR/b-iv"
# An overlap where B took the VIP after a kill while the dead A still held
# it is the lease's to prevent; others are hand-overs between live nodes
# (a restarted A preempting B, or both taking over at once after a
# restart, when their deadlines fall together).
read -r max n750 nov kmax < <("$PY" - "$LAB_DIR/a-iv" "$LAB_DIR/b-iv" \
    "$LAB_DIR/kills" <<'EOF'
import sys
def ivs(f):
    v = [float(x) for x in open(f).read().split()]
    return list(zip(v[0::2], v[1::2]))
kills = [float(x) for x in open(sys.argv[3]).read().split()]
ov, kill = [], []
for s, e in ivs(sys.argv[1]):
    for sb, eb in ivs(sys.argv[2]):
        o = min(e, eb) - max(s, sb)
        if o > 0:
            ov.append(o * 1000)
            if any(s < k < e and k < sb for k in kills):
                kill.append(o * 1000)
print(round(max(ov, default=0)), sum(o > 750 for o in ov), len(ov),
      round(max(kill, default=0)))
EOF
)
b_takeovers=$(vhid_transitions b 1 MASTER)
result "kills=$KILLS secs=$((secs / 1000)) b_takeovers=$b_takeovers" \
    "overlaps=$nov max_overlap_ms=$max overlaps_over_750ms=$n750" \
    "max_kill_overlap_ms=$kmax" \
    "limit_ms=$((LEASE_MS + GRAIN_MS)) actions_ok=$actions" \
    "state_file_versions=$changed" \
    "state_file_corrupt=0 stray_temp_files=$stray"
[ -n "$max" ] && [ "$max" -le $((LEASE_MS + GRAIN_MS)) ] ||
    fail "both hosts held the VIP for $max ms"
[ "$kmax" = 0 ] || fail "B took the VIP while the killed A held it ($kmax ms)"
# A save interrupted by a kill leaves a temporary, which the next start
# removes: after the last (clean) start none is left.
[ "$stray" = 0 ] || fail "$stray stray temporary state files"
pass
