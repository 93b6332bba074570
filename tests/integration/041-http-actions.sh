#!/bin/bash
# 041-http-actions: demote, promote and maintenance over HTTP move the VIP
# for real: the peer is MASTER within 100 ms of the request, measured from
# the audit line's timestamp in carpd's log (the request as carpd acts on
# it) to the peer's last transition as carpctl --json reports it (both the
# machine's wall clock, in ms); the client-side time, which adds
# curl's start in the namespace, is printed and bounded at 1 s.  Each action writes one audit
# line, is idempotent (a repeat answers 200, "changed": false), counts in
# carp_api_requests_total, and survives a carpd restart (state file),
# with when and by whom it was set in /v1/status and /metrics (gone from
# /metrics once lifted).
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/carpd.sh"
. "$(dirname "$0")/http.sh"
lab_need curl python3

# check_lag WHAT PEER STATE AUDIT: the peer's transition to STATE against A's
# audit line (<= 100 ms) and against t0, the client's start (<= 1000 ms).
# The audit line is written after the engine acted (bow-out, releases,
# state file), so the peer may log its transition before it: by a
# millisecond on an idle machine, by more under load or a sanitizer; only
# a peer slower than 100 ms after it fails.
check_lag() {
	local peer srv cli
	[ "$(vhid_state "$2" 1)" = "$3" ] || fail "$1: $2 is not $3"
	peer=$(_vhid_json "$2" 1 'int(round(v["last_transition"]["time"]["epoch"] * 1000))')
	srv=$(( peer - $(log_ms a "audit: origin=http $4") ))
	cli=$(( peer - t0 ))
	echo "$1: $2 $3 ${srv} ms after carpd got the request" \
	    "(${cli} ms after the client started)"
	[ "$srv" -ge -250 ] && [ "$srv" -le 100 ] ||
	    fail "$1: peer ${srv} ms after the request, want <= 100"
	[ "$cli" -le 1000 ] || fail "$1: ${cli} ms from the client, want <= 1000"
}

# held WHAT FAMILY LABELS: A's /metrics has FAMILY_info{LABELS,by="the
# client"} and FAMILY_since_timestamp_seconds{LABELS} within a minute;
# lifted: neither the who nor a since but 0.
held() {
	local m=$LAB_DIR/m-held.txt v since=$2_since_timestamp_seconds
	[ -z "$3" ] || since="$since{$3}"
	sockcurl a http://x/metrics >"$m" || fail "$1: GET /metrics"
	grep -qx "$2_info{$3${3:+,}by=\"client=192.0.2.110\"} 1" "$m" ||
	    fail "$1: $2_info: $(grep "^$2_info" "$m")"
	v=$(awk -v k="$since" '$1 == k { print $2 }' "$m")
	[ -n "$v" ] && [ $(( $(date +%s) - v )) -le 60 ] &&
	    [ $(( $(date +%s) - v )) -ge 0 ] || fail "$1: $2_since $v"
}
lifted() {
	local m=$LAB_DIR/m-lifted.txt since=$2_since_timestamp_seconds
	[ -z "$3" ] || since="$since{$3}"
	sockcurl a http://x/metrics >"$m" || fail "$1: GET /metrics"
	grep -q "^$2_info{" "$m" && fail "$1: $2_info stays"
	grep -qxF "$since 0" "$m" ||
	    fail "$1: $2_since_timestamp_seconds not 0"
}
L='interface="eth0",vhid="1"'

http_pair
lab_ping_start c "$VIP"

# Demote A: B takes over at once (A's bow-out advert).
t0=$(now_ms)
code=$(act a POST /v1/vhids/1/demote '{"reason": "kernel upgrade"}')
[ "$code" = 200 ] || fail "demote: $code $(cat "$LAB_DIR/resp.json")"
carpd_wait b 1 MASTER 2 || fail "B did not take over after the demote"
check_lag demote b MASTER 'action=demote'

python3 -c '
import json, sys, time
d = json.load(open(sys.argv[1]))
assert d["changed"] is True and d["vhid"]["state"] == "BACKUP", d
a = d["vhid"]["admin"]
assert a["demoted"] is True and a["reason"] == "kernel upgrade", a
# When and by whom the hold was set.
assert a["by"] == "client=192.0.2.110", a
assert abs(a["since"]["epoch"] - time.time()) < 60, a
' "$LAB_DIR/resp.json" || fail "demote response"
held demote carp_vhid_admin "$L"
wait_for 2 eval '! lab_has_addr a "$VIP"' || fail "A kept the VIP"
lab_has_addr b "$VIP" || fail "B MASTER without the VIP"
grep -q 'audit: origin=http action=demote vhid=1@eth0 reason="kernel upgrade" before=MASTER after=BACKUP' \
    "$(carpd_log a)" || fail "audit line"
code=$(act a POST /v1/vhids/eth0/1/demote '{"reason": "kernel upgrade"}')
[ "$code" = 200 ] && grep -q '"changed": false' "$LAB_DIR/resp.json" ||
    fail "repeated demote: $code $(cat "$LAB_DIR/resp.json")"
[ "$(grep -c 'audit: origin=http action=demote' "$(carpd_log a)")" = 1 ] ||
    fail "the repeat wrote an audit line"
lab_ping_flowing 5 || fail "VIP unreachable on B"

# Restart A: the demotion holds (state file), B stays MASTER.
carpd_stop a
carpd_start a
grep -q 'demotion restored' "$(carpd_log a)" || fail "demotion not restored"
sleep 4
[ "$(carpd_state b 1)" = MASTER ] || fail "B lost MASTER after A's restart"
sockcurl a http://x/v1/status | python3 -c '
import json, sys
v = json.load(sys.stdin)["vhids"][0]
assert v["state"] == "BACKUP" and v["admin"]["demoted"], v
assert v["admin"]["by"] == "client=192.0.2.110", v
' || fail "A's status after restart"
held "demote, restarted" carp_vhid_admin "$L"
echo "restart: A stays BACKUP and demoted"

# Promote A with force_master: A MASTER at once, B steps down.
t0=$(now_ms)
code=$(act a POST /v1/vhids/1/promote '{"reason": "done", "force_master": true}')
[ "$code" = 200 ] || fail "promote: $code $(cat "$LAB_DIR/resp.json")"
carpd_wait a 1 MASTER 2 || fail "A not MASTER after promote"
carpd_wait b 1 BACKUP 3 || fail "B did not step down"
check_lag promote b BACKUP 'action=promote'
lifted promote carp_vhid_admin "$L"

code=$(act a POST /v1/vhids/1/promote '{"force_master": true}')
[ "$code" = 200 ] && grep -q '"changed": false' "$LAB_DIR/resp.json" ||
    fail "repeated promote: $code"

# Maintenance on A: B takes over at once; off: A preempts back.
t0=$(now_ms)
code=$(act a PUT /v1/maintenance '{"enabled": true, "reason": "rack move"}')
[ "$code" = 200 ] || fail "maintenance: $code $(cat "$LAB_DIR/resp.json")"
carpd_wait b 1 MASTER 2 || fail "B did not take over for maintenance"
check_lag maintenance b MASTER 'action=maintenance'

grep -q 'audit: origin=http action=maintenance reason="rack move" before=off after=on' \
    "$(carpd_log a)" || fail "maintenance audit line"
carpd_stop a
carpd_start a
grep -q 'maintenance restored' "$(carpd_log a)" || fail "maintenance not restored"
# When and by whom, kept in the state file across the restart.
sockcurl a http://x/v1/status | python3 -c '
import json, sys, time
m = json.load(sys.stdin)["node"]["maintenance"]
assert m["enabled"] and m["by"] == "client=192.0.2.110", m
assert abs(m["since"]["epoch"] - time.time()) < 60, m
' || fail "maintenance since and by after the restart"
held "maintenance, restarted" carp_maintenance ""
code=$(act a PUT /v1/maintenance '{"enabled": false}')
[ "$code" = 200 ] || fail "maintenance off: $code"
carpd_wait a 1 MASTER 4 || fail "A did not preempt after maintenance"
carpd_wait b 1 BACKUP 2 || fail "B did not step down after maintenance"
lifted "maintenance off" carp_maintenance ""

# Demotion value over the control socket (origin socket).
code=$(sockcurl a -o "$LAB_DIR/resp.json" -w '%{http_code}' -X PUT \
    -H 'Content-Type: application/json' \
    --data '{"value": 50, "reason": "test"}' http://x/v1/demotion)
[ "$code" = 200 ] || fail "demotion: $code"
grep -q 'audit: origin=socket action=demotion reason="test" before=0 after=50' \
    "$(carpd_log a)" || fail "demotion audit line"
sockcurl a http://x/metrics >"$LAB_DIR/m.txt"
grep -qx 'carp_admin_demotion 50' "$LAB_DIR/m.txt" || fail "demotion metric"
grep -qx 'carp_api_requests_total{action="demotion",result="changed"} 1' \
    "$LAB_DIR/m.txt" || fail "api counter"
lab_ping_flowing 5 || fail "VIP unreachable at the end"
pass
