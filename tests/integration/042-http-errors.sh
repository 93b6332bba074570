#!/bin/bash
# 042-http-errors: every error status with its JSON body and headers, and
# the token file's permission check (0644: TCP actions disabled with a
# log line, reads still served; 0600 after a reload: accepted).  401 and
# 403 bodies say nothing of the token file (path, mode, owner): the log
# has that, with the client's address, rate-limited.  A token shorter than
# 16 bytes gets a warning.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/carpd.sh"
. "$(dirname "$0")/http.sh"
lab_need curl python3

http_pair
tok=$(cat "$(http_token a)")
U=$(hurl a)
# expect CODE ERROR-REGEX CURL-ARGS...: status, {"error"} body, headers.
expect() {
	local want=$1 re=$2 code; shift 2
	code=$(hcurl c -D "$LAB_DIR/hdr.txt" -o "$LAB_DIR/body.json" \
	    -w '%{http_code}' "$@")
	[ "$code" = "$want" ] ||
	    fail "$* -> $code, want $want: $(cat "$LAB_DIR/body.json")"
	python3 -c '
import json, re, sys
e = json.load(open(sys.argv[1]))["error"]
assert re.search(sys.argv[2], e), e
' "$LAB_DIR/body.json" "$re" || fail "$* -> body $(cat "$LAB_DIR/body.json")"
	echo "$want $(cat "$LAB_DIR/body.json" | tr -d '\n')"
}
A=(-H "Authorization: Bearer $tok")
J=(-H 'Content-Type: application/json')
D=$U/v1/vhids/1/demote

expect 400 'bad JSON' -X POST "${A[@]}" "${J[@]}" --data '{"reason":' "$D"
expect 400 'unknown key "colour"' -X POST "${A[@]}" "${J[@]}" \
    --data '{"reason": "x", "colour": "red"}' "$D"
expect 400 '"reason" must be a string' -X POST "${A[@]}" "${J[@]}" \
    --data '{"reason": 7}' "$D"
expect 400 '"enabled" must be true or false' -X PUT "${A[@]}" "${J[@]}" \
    --data '{"enabled": "yes", "reason": "x"}' "$U/v1/maintenance"
expect 400 '"value" must be an integer' -X PUT "${A[@]}" "${J[@]}" \
    --data '{"value": 1.5, "reason": "x"}' "$U/v1/demotion"
expect 401 'Authorization: Bearer' -X POST "${J[@]}" --data '{"reason": "x"}' "$D"
grep -qi '^WWW-Authenticate: Bearer' "$LAB_DIR/hdr.txt" ||
    fail "401 without WWW-Authenticate"
expect 401 'wrong token' -X POST -H "Authorization: Bearer x$tok" "${J[@]}" \
    --data '{"reason": "x"}' "$D"
grep -qi '^WWW-Authenticate: Bearer.*invalid_token' "$LAB_DIR/hdr.txt" ||
    fail "401 (wrong token) without WWW-Authenticate"
grep -q 'http: 401 for actions from 192.0.2.110: no bearer token (1 refused' \
    "$(carpd_log a)" || fail "no log line for the 401 with the client address"
# One line per 10 s at most: the second 401 was counted, not logged.
[ "$(grep -c 'http: 401 for' "$(carpd_log a)")" = 1 ] ||
    fail "the 401 log lines are not rate-limited"
expect 404 'no vhid 9' -X POST "${A[@]}" "${J[@]}" --data '{"reason": "x"}' \
    "$U/v1/vhids/9/demote"
expect 404 'no vhid 1 on eth7' -X POST "${A[@]}" "${J[@]}" \
    --data '{"reason": "x"}' "$U/v1/vhids/eth7/1/demote"
expect 404 'no such path' "$U/v1/nothing"
expect 404 'no such path' "$U/v1/vhids/256/demote"
expect 405 'allowed: POST' "${A[@]}" "$D"
grep -qi '^Allow: POST' "$LAB_DIR/hdr.txt" || fail "405 without Allow"
expect 405 'allowed: GET, HEAD' -X DELETE "$U/metrics"
grep -qi '^Allow: GET, HEAD' "$LAB_DIR/hdr.txt" || fail "405 without Allow"
big=$(head -c 5000 /dev/zero | tr '\0' a)
expect 413 'larger than 4096' -X POST "${A[@]}" "${J[@]}" \
    --data "{\"reason\": \"$big\"}" "$D"
expect 415 'application/json' -X POST "${A[@]}" \
    -H 'Content-Type: text/plain' --data '{"reason": "x"}' "$D"
# None of these changed anything; the rejections are counted.
[ "$(carpd_state a 1)" = MASTER ] || fail "an error changed the state"
sockcurl a http://x/metrics | grep -q \
    '^carp_api_requests_total{action="demote",result="unauthorized"} 2$' ||
    fail "unauthorized not counted"

# The state file cannot be written (moved to /proc by a reload): 500, and
# the action took effect all the same.
conf=$LAB_DIR/carpd-a.conf
sed -i "s|^state-file .*|state-file /proc/carpd-test.state|" "$conf"
kill -HUP "${CARPD_PID[a]}"
wait_for 3 eval '[ $(grep -c "configuration reloaded" "$(carpd_log a)") -ge 1 ]' ||
    fail "reload"
expect 500 'state file /proc/carpd-test.state could not be written' \
    -X PUT "${A[@]}" "${J[@]}" --data '{"value": 10, "reason": "ro"}' \
    "$U/v1/demotion"
sockcurl a http://x/metrics | grep -qx 'carp_admin_demotion 10' ||
    fail "the demotion did not take effect despite the 500"
sed -i "s|^state-file .*|state-file $LAB_DIR/a.state|" "$conf"
kill -HUP "${CARPD_PID[a]}"
wait_for 3 eval '[ $(grep -c "configuration reloaded" "$(carpd_log a)") -ge 2 ]' ||
    fail "reload"

# Token file open to others at start (a reload would keep the token read
# before): TCP actions disabled, logged, reads served.
carpd_stop a
chmod 0644 "$(http_token a)"
carpd_start a
wait_for 3 grep -q 'is open to others than its owner (mode 0644' \
    "$(carpd_log a)" || fail "no log line for the 0644 token file"
grep -q 'actions over TCP disabled (reads still served)' "$(carpd_log a)" ||
    fail "log line does not say actions are disabled"
expect 403 '^actions over TCP are disabled \(the reason is in carpd.s log\)$' \
    -X POST "${A[@]}" "${J[@]}" --data '{"reason": "x"}' "$D"
grep -Eq "$(http_token a)|0644|uid" "$LAB_DIR/body.json" &&
    fail "the 403 body leaks the token file's details"
grep -q "http: 403 for actions from 192.0.2.110: http-token-file $(http_token a) is open to others" \
    "$(carpd_log a)" || fail "no log line with the 403's reason and client"
code=$(hcurl c -o /dev/null -w '%{http_code}' "$U/metrics")
[ "$code" = 200 ] || fail "reads refused with the 0644 token ($code)"
chmod 0600 "$(http_token a)"
kill -HUP "${CARPD_PID[a]}"
wait_for 3 eval '[ $(grep -c "actions over TCP enabled" "$(carpd_log a)") -ge 1 ]' ||
    fail "token not accepted again at 0600"
code=$(act a PUT /v1/demotion '{"value": 0, "reason": "token ok"}')
[ "$code" = 200 ] || fail "0600 token refused: $code"
echo "token file: 0644 refused (403, logged), 0600 accepted"
grep -q 'shorter than 16' "$(carpd_log a)" &&
    fail "a warning for a token of 16 bytes or more"

# http-auth-reads: reads need the token too.
http_conf a 0 "http-auth-reads yes"
kill -HUP "${CARPD_PID[a]}"
sleep 0.5
expect 401 'reads need' "$U/metrics"
code=$(hcurl c -o /dev/null -w '%{http_code}' "${A[@]}" "$U/v1/status")
[ "$code" = 200 ] || fail "authorized read refused: $code"
( umask 077; echo short-token >"$(http_token a)" )
kill -HUP "${CARPD_PID[a]}"
wait_for 3 grep -q "http: the token in $(http_token a) is 11 bytes long, shorter than 16" \
    "$(carpd_log a)" || fail "no warning for an 11-byte token"
pass
