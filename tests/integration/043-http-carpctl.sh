#!/bin/bash
# 043-http-carpctl: carpctl over the control socket and over TCP with a
# token file; exit status 0 done, 1 refused, 2 usage.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/carpd.sh"
. "$(dirname "$0")/http.sh"
lab_need curl python3
[ -x "$CARPCTL" ] || skip "no $CARPCTL (run make)"

http_pair
S=(-s "$(http_sock a)")
T=(-u "$(hurl a)" -t "$(http_token a)")
# rc WANT CMD...: run, check the exit status, keep the output.
rc() {
	local want=$1 got; shift
	"$@" >"$LAB_DIR/out.txt" 2>"$LAB_DIR/err.txt"
	got=$?
	[ "$got" = "$want" ] || fail "$* -> exit $got, want $want:" \
	    "$(cat "$LAB_DIR/out.txt" "$LAB_DIR/err.txt")"
}

rc 0 "$CARPCTL" "${S[@]}" status
grep -qx 'eth0: carp: MASTER vhid 1 advbase 1 advskew 0' "$LAB_DIR/out.txt" ||
    fail "status line: $(cat "$LAB_DIR/out.txt")"
grep -qx 'demotion 0' "$LAB_DIR/out.txt" && grep -qx 'maintenance off' \
    "$LAB_DIR/out.txt" || fail "node lines: $(cat "$LAB_DIR/out.txt")"
cat "$LAB_DIR/out.txt"
rc 0 "$CARPCTL" -s "$(http_sock b)" status
grep -qx 'eth0: carp: BACKUP vhid 1 advbase 1 advskew 100' "$LAB_DIR/out.txt" ||
    fail "B's status line"
rc 0 "$CARPCTL" "${S[@]}" --json status
python3 -c 'import json,sys; assert json.load(open(sys.argv[1]))["vhids"][0]["state"] == "MASTER"' \
    "$LAB_DIR/out.txt" || fail "--json"

# Usage errors: 2.
rc 2 "$CARPCTL" "${S[@]}"
rc 2 "$CARPCTL" "${S[@]}" frobnicate
rc 2 "$CARPCTL" "${S[@]}" demote 1
rc 2 "$CARPCTL" "${S[@]}" maintenance maybe -r x
rc 2 "$CARPCTL" "${S[@]}" demotion ten -r x
rc 2 "$CARPCTL" "${S[@]}" status --force-master
# Refused: 1, with the reason.
rc 1 "$CARPCTL" "${S[@]}" demote 9 -r test
grep -q 'refused (404): no vhid 9' "$LAB_DIR/err.txt" ||
    fail "message: $(cat "$LAB_DIR/err.txt")"
rc 1 "$CARPCTL" -s "$LAB_DIR/nothing.sock" status
rc 1 lab_exec c "$CARPCTL" -u "$(hurl a)" demote 1 -r test
grep -q 'refused (401)' "$LAB_DIR/err.txt" || fail "401 message"
echo wrong >"$LAB_DIR/wrong.token"
rc 1 lab_exec c "$CARPCTL" -u "$(hurl a)" -t "$LAB_DIR/wrong.token" \
    demote 1 -r test
grep -q 'wrong token' "$LAB_DIR/err.txt" || fail "wrong token message"

# Demote all over TCP: B takes over; again: already in effect, exit 0.
rc 0 lab_exec c "$CARPCTL" "${T[@]}" demote all -r "carpctl test"
carpd_wait b 1 MASTER 2 || fail "B did not take over"
rc 0 lab_exec c "$CARPCTL" "${T[@]}" demote eth0/1 -r "carpctl test"
grep -q 'already in effect' "$LAB_DIR/out.txt" || fail "idempotent demote"
rc 0 "$CARPCTL" "${S[@]}" status
grep -q 'demoted by administrator: carpctl test' "$LAB_DIR/out.txt" ||
    fail "status shows no admin demotion"
rc 0 "$CARPCTL" "${S[@]}" promote 1 --force-master
carpd_wait a 1 MASTER 2 || fail "A not MASTER after promote"
rc 0 "$CARPCTL" "${S[@]}" maintenance on -r "carpctl maint"
grep -qx 'maintenance on' "$LAB_DIR/out.txt" || fail "maintenance output"
carpd_wait b 1 MASTER 2 || fail "B did not take over for maintenance"
rc 0 lab_exec c "$CARPCTL" "${T[@]}" maintenance off
carpd_wait a 1 MASTER 4 || fail "A did not come back"
rc 0 "$CARPCTL" "${S[@]}" demotion 20 -r "carpctl demotion"
grep -qx 'demotion 20' "$LAB_DIR/out.txt" || fail "demotion output"
grep -c 'audit: origin=socket' "$(carpd_log a)" | grep -qx 3 ||
    fail "socket audit lines"
grep -c 'audit: origin=http' "$(carpd_log a)" | grep -qx 2 ||
    fail "http audit lines"
pass
