#!/bin/bash
# 090-ledger: the demotion ledger on two carpd nodes (a advskew 0, b
# advskew 100, preempt on).
#  (a) PUT /v1/demotions/NAME with expires_in over TCP: the entry shows in
#      /v1/status (name, source, weight, reason, since, expires, origin,
#      persist) and /metrics (carp_demotion_entry, promtool clean), A's
#      adverts carry advskew 200 on the wire, B takes over; when it
#      expires A logs it, the total is 0 and A takes the VIP back;
#  (b) carpctl demotion add/list/del over the control socket; the old
#      `carpctl demotion VALUE` is the entry "admin", 0 removes it;
#  (c) persistence: a --persist entry survives a restart, a plain one
#      does not, and neither does an entry that expired while carpd was
#      down;
#  (d) the automatic entry link:eth0 comes with a cable pull and goes with
#      the plug, and cannot be removed (409);
#  (e) a JSON error with the right status for each bad request;
#  (f) net.inet.carp.demotion is the entry config: a reload adds it, the
#      next one without it removes it.
# Each source returns the total to 0 when its cause goes.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/carpd.sh"
. "$(dirname "$0")/http.sh"
lab_need curl python3 promtool tcpdump
[ -x "$CARPCTL" ] || skip "no $CARPCTL (run make)"

# total NODE: the ledger's total in the node's /v1/status.
total() {
	sockcurl "$1" http://x/v1/status | python3 -c '
import json, sys
print(json.load(sys.stdin)["node"]["demotions"]["total"])'
}
# entry NODE NAME EXPR: EXPR on the entry "e" of /v1/status; NONE if absent.
entry() {
	sockcurl "$1" http://x/v1/status | python3 -c '
import json, sys
d = json.load(sys.stdin)["node"]["demotions"]
for e in d["entries"]:
    if e["name"] == sys.argv[1]:
        print(eval(sys.argv[2])); break
else:
    print("NONE")' "$2" "$3"
}
# status CODE METHOD PATH [BODY] [CONTENT-TYPE]: a request over TCP with
# A's token; fails unless the status is CODE and the body a JSON error.
# Over the control socket when SOCK=1 (A's cable may be out).
expect() {
	local want=$1 m=$2 p=$3 body=$4 ct=${5:-application/json} got
	if [ -n "$SOCK" ]; then
		got=$(sockcurl a -o "$LAB_DIR/err.json" -w '%{http_code}' \
		    -X "$m" -H "Content-Type: $ct" ${body:+--data "$body"} \
		    "http://x$p")
	else
		got=$(hcurl c -o "$LAB_DIR/err.json" -w '%{http_code}' \
		    -X "$m" -H "Authorization: Bearer $(cat "$(http_token a)")" \
		    -H "Content-Type: $ct" ${body:+--data "$body"} \
		    "$(hurl a "$p")")
	fi
	[ "$got" = "$want" ] || fail "$m $p $body: $got, want $want:" \
	    "$(cat "$LAB_DIR/err.json")"
	python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
assert isinstance(d["error"], str) and d["error"], d' "$LAB_DIR/err.json" ||
	    fail "$m $p: not a JSON error: $(cat "$LAB_DIR/err.json")"
	echo "$m $p -> $got: $(cat "$LAB_DIR/err.json")"
}

http_pair
S=(-s "$(http_sock a)")
lab_capture_start

# (a) An API entry that expires: B takes over, then A takes back.
t0=$(date +%s)
code=$(act a PUT /v1/demotions/maint-window \
    '{"weight": 200, "reason": "switch firmware", "expires_in": 6}')
[ "$code" = 200 ] || fail "PUT: $code $(cat "$LAB_DIR/resp.json")"
python3 -c '
import json, sys, time
d = json.load(open(sys.argv[1]))
assert d["changed"] is True, d
l = d["node"]["demotions"]
assert l["total"] == 200 and d["node"]["demotion"] == 200, l
e, = l["entries"]
assert e["name"] == "maint-window" and e["source"] == "api", e
assert e["weight"] == 200 and e["reason"] == "switch firmware", e
assert e["origin"] == "client=192.0.2.110" and e["persist"] is False, e
assert abs(e["since"]["epoch"] - time.time()) < 30, e
assert 5 <= e["expires"]["epoch"] - e["since"]["epoch"] <= 7, e
assert e["automatic"] is False, e
' "$LAB_DIR/resp.json" || fail "PUT response: $(cat "$LAB_DIR/resp.json")"
carpd_wait b 1 MASTER 3 || fail "(a) B did not take over"
[ "$(vhid_state a 1)" = BACKUP ] || fail "(a) A is not BACKUP"
grep -q 'audit: origin=http action=demotion-set name=maint-window source=api reason="switch firmware" before=0 after=200 expires=' \
    "$(carpd_log a)" || fail "(a) no audit line"
sockcurl a http://x/metrics >"$LAB_DIR/m.txt" || fail "GET /metrics"
grep -qx 'carp_demotion_entry{name="maint-window",source="api"} 200' \
    "$LAB_DIR/m.txt" || fail "(a) carp_demotion_entry: $(grep demotion "$LAB_DIR/m.txt")"
grep -qx 'carp_demotion 200' "$LAB_DIR/m.txt" || fail "(a) carp_demotion"
promtool check metrics <"$LAB_DIR/m.txt" || fail "(a) promtool check metrics"
echo "(a) entry listed; B MASTER; metrics promtool clean"
# Expiry: A logs it, the total returns to 0, A preempts back.
wait_for 10 grep -q 'ledger: maint-window expired: source api, weight 200' \
    "$(carpd_log a)" || fail "(a) no expiry logged"
t1=$(date +%s)
[ $((t1 - t0)) -ge 5 ] || fail "(a) expired after $((t1 - t0)) s, want 6"
[ "$(total a)" = 0 ] || fail "(a) total after expiry $(total a)"
[ "$(entry a maint-window 1)" = NONE ] || fail "(a) the entry stays"
carpd_wait a 1 MASTER 3 || fail "(a) A did not take the VIP back"
sockcurl a http://x/metrics | grep -q '^carp_demotion_entry' &&
    fail "(a) carp_demotion_entry stays after the expiry"
echo "(a) expired after $((t1 - t0)) s; A MASTER again"
# On the wire: A's adverts said 200 while the entry held.
sleep 1
lab_capture_stop
lab_adverts "$LAB_CAP_FILE" --src 192.0.2.61 >"$LAB_DIR/adverts.txt" ||
    fail "pcap_adverts.py"
awk '$2 == "carp" && $4 == 1 && $6 == 200 { n++ } END { exit n == 0 }' \
    "$LAB_DIR/adverts.txt" ||
    fail "(a) no advert with advskew 200: $(awk '{ print $6 }' "$LAB_DIR/adverts.txt" | uniq -c)"
awk 'END { exit $6 != 0 }' "$LAB_DIR/adverts.txt" ||
    fail "(a) A's last advert is not advskew 0"
echo "(a) A's adverts: advskew 0, 200, then 0 on the wire"

# (b) carpctl: add, list, del; the old single value.
"$CARPCTL" "${S[@]}" demotion add rack 50 -r "rack move" --for 2h \
    >"$LAB_DIR/out.txt" || fail "(b) add: $(cat "$LAB_DIR/out.txt")"
head -1 "$LAB_DIR/out.txt" | grep -qx 'demotion 50' || fail "(b) add output"
"$CARPCTL" "${S[@]}" demotion add fieldbus 30 -r "eth1 flaps" \
    >/dev/null || fail "(b) add fieldbus"
"$CARPCTL" "${S[@]}" demotion >"$LAB_DIR/out.txt" || fail "(b) list"
cat "$LAB_DIR/out.txt"
head -1 "$LAB_DIR/out.txt" | grep -qx 'demotion 80' || fail "(b) list total"
grep -Eq '^  rack api 50 since 20[0-9T:.-]+Z expires 20[0-9T:.-]+Z by uid=[0-9]+ pid=[0-9]+: rack move$' \
    "$LAB_DIR/out.txt" || fail "(b) list: rack"
grep -Eq '^  fieldbus api 30 since .* by uid=.*: eth1 flaps$' \
    "$LAB_DIR/out.txt" || fail "(b) list: fieldbus"
# Bash completion: the subcommands, and the entries from carpd itself.
COMPL=$(cd "$(dirname "$0")/../.." && pwd)/contrib/bash-completion/carpctl.bash
comp() {	# WORDS...: the completions of the last word
	bash -c '. "$1"; shift; COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1));
	    _carpctl; printf "%s\n" "${COMPREPLY[@]}"' _ "$COMPL" "$@" | sort | tr '\n' ' '
}
[ "$(comp "$CARPCTL" "${S[@]}" demotion "")" = "add del list " ] ||
    fail "(b) completion of demotion: $(comp "$CARPCTL" "${S[@]}" demotion "")"
[ "$(comp "$CARPCTL" "${S[@]}" demotion del "")" = "fieldbus rack " ] ||
    fail "(b) completion of entries: $(comp "$CARPCTL" "${S[@]}" demotion del "")"
comp "$CARPCTL" "${S[@]}" demotion add x 1 --p | grep -qw -- --persist ||
    fail "(b) completion of --persist"
exp=$(entry a rack 'int(e["expires"]["epoch"] - e["since"]["epoch"])')
[ "$exp" -ge 7199 ] && [ "$exp" -le 7201 ] || fail "(b) --for 2h: $exp s"
"$CARPCTL" "${S[@]}" demotion list --json >"$LAB_DIR/out.json" &&
    python3 -c 'import json,sys; assert json.load(open(sys.argv[1]))["total"] == 80' \
    "$LAB_DIR/out.json" || fail "(b) list --json"
"$CARPCTL" "${S[@]}" demotion del rack >/dev/null || fail "(b) del"
"$CARPCTL" "${S[@]}" demotion del rack >"$LAB_DIR/out.txt" 2>&1
[ $? = 1 ] || fail "(b) del of an absent entry is not refused"
grep -q 'no demotion entry rack' "$LAB_DIR/out.txt" || fail "(b) del message"
"$CARPCTL" "${S[@]}" demotion del fieldbus -r "fixed" >/dev/null ||
    fail "(b) del fieldbus"
grep -q 'audit: origin=socket action=demotion-del name=fieldbus source=api reason="eth1 flaps" before=30 after=0 by="uid=' \
    "$(carpd_log a)" || fail "(b) del audit line"
[ "$(total a)" = 0 ] || fail "(b) total after del"
"$CARPCTL" "${S[@]}" demotion add x 1 >/dev/null 2>&1
[ $? = 2 ] || fail "(b) add without -r is not a usage error"
"$CARPCTL" "${S[@]}" demotion add 'a b' 1 -r x >/dev/null 2>&1
[ $? = 2 ] || fail "(b) a bad name is not a usage error"
"$CARPCTL" "${S[@]}" demotion add x 1 -r x --for 2w >/dev/null 2>&1
[ $? = 2 ] || fail "(b) a bad duration is not a usage error"
# The old single value is the entry "admin"; 0 removes it.
"$CARPCTL" "${S[@]}" demotion 20 -r "old style" >"$LAB_DIR/out.txt" ||
    fail "(b) demotion 20"
grep -qx 'demotion 20' "$LAB_DIR/out.txt" || fail "(b) demotion 20 output"
[ "$(entry a admin 'e["source"], e["weight"], e["persist"]')" = \
    "('api', 20, True)" ] || fail "(b) admin entry: $(entry a admin e)"
"$CARPCTL" "${S[@]}" demotion 0 -r "done" >/dev/null || fail "(b) demotion 0"
[ "$(entry a admin 1)" = NONE ] || fail "(b) demotion 0 left the entry"
[ "$(total a)" = 0 ] || fail "(b) total after demotion 0"
echo "(b) carpctl add/list/del and the old demotion VALUE"

# (c) Persistence across a restart.
"$CARPCTL" "${S[@]}" demotion add db 30 -r "db replica lag" --persist \
    >/dev/null || fail "(c) add db"
"$CARPCTL" "${S[@]}" demotion add soon 5 -r "soon gone" --persist --for 2 \
    >/dev/null || fail "(c) add soon"
"$CARPCTL" "${S[@]}" demotion add tmp 7 -r "not kept" >/dev/null ||
    fail "(c) add tmp"
python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
names = sorted(e["name"] for e in d["demotions"])
assert names == ["db", "soon"], d
' "$LAB_DIR/a.state" || fail "(c) state file: $(cat "$LAB_DIR/a.state")"
carpd_stop a
# --for 2 expires 2 s after the next whole second (never early): at most
# 3 s after the add, which was before the stop.
sleep 3.5
carpd_start a
grep -q 'demotion entry db (api, weight 30) restored' "$(carpd_log a)" ||
    fail "(c) db not restored"
grep -q 'ledger: soon expired' "$(carpd_log a)" ||
    fail "(c) the expired entry was not logged as expired"
[ "$(entry a db 'e["weight"], e["persist"], e["reason"]')" = \
    "(30, True, 'db replica lag')" ] || fail "(c) db: $(entry a db e)"
[ "$(entry a tmp 1)" = NONE ] || fail "(c) tmp survived the restart"
[ "$(entry a soon 1)" = NONE ] || fail "(c) soon survived its expiry"
[ "$(total a)" = 30 ] || fail "(c) total after restart $(total a)"
"$CARPCTL" "${S[@]}" demotion del db >/dev/null || fail "(c) del db"
grep -q '"demotions"' "$LAB_DIR/a.state" && fail "(c) db stays in the file"
[ "$(total a)" = 0 ] || fail "(c) total after del"
carpd_wait a 1 MASTER 6 || fail "(c) A not MASTER again"
echo "(c) persistent entries survive a restart, others don't"

# (d) The automatic link entry: with the cause, not removable.
lab_cable_pull a
wait_for 5 eval '[ "$(entry a link:eth0 "e[\"source\"], e[\"weight\"], e[\"automatic\"]")" = "('"'link'"', 240, True)" ]' ||
    fail "(d) no link:eth0 entry: $(entry a link:eth0 e)"
[ "$(total a)" = 240 ] || fail "(d) total with the cable out"
SOCK=1 expect 409 DELETE /v1/demotions/link:eth0
SOCK=1 expect 409 PUT /v1/demotions/link:eth0 '{"weight": 0, "reason": "x"}'
"$CARPCTL" "${S[@]}" demotion del link:eth0 >/dev/null 2>&1
[ $? = 1 ] || fail "(d) carpctl del link:eth0 was not refused"
grep -q 'ledger: link:eth0 added: weight 240 (interface eth0 down)' \
    "$(carpd_log a)" || fail "(d) no log line for link:eth0"
lab_cable_plug a
wait_for 5 eval '[ "$(entry a link:eth0 1)" = NONE ]' ||
    fail "(d) link:eth0 stays after the plug"
[ "$(total a)" = 0 ] || fail "(d) total after the plug"
expect 404 DELETE /v1/demotions/link:eth0
carpd_wait a 1 MASTER 6 || fail "(d) A not MASTER after the plug"
echo "(d) link:eth0 came and went with the cable"

# (e) Bad requests: JSON errors with the right status.
expect 400 PUT /v1/demotions/x '{"weight": 1, "reason": "x"'
expect 400 PUT /v1/demotions/x '[1]'
expect 400 PUT /v1/demotions/x '{"weight": "1", "reason": "x"}'
expect 400 PUT /v1/demotions/x '{"weight": 1.5, "reason": "x"}'
expect 400 PUT /v1/demotions/x '{"weight": 1000001, "reason": "x"}'
expect 400 PUT /v1/demotions/x '{"reason": "x"}'
expect 400 PUT /v1/demotions/x '{"weight": 1}'
expect 400 PUT /v1/demotions/x '{"weight": 1, "reason": ""}'
expect 400 PUT /v1/demotions/x '{"weight": 1, "reason": "x", "colour": 1}'
expect 400 PUT /v1/demotions/x '{"weight": 1, "reason": "x", "expires_in": 0}'
expect 400 PUT /v1/demotions/x '{"weight": 1, "reason": "x", "expires_in": "1h"}'
expect 400 PUT /v1/demotions/x '{"weight": 1, "reason": "x", "expires_in": 31622401}'
expect 400 PUT /v1/demotions/x '{"weight": 1, "reason": "x", "persist": 1}'
expect 400 PUT /v1/demotions/a%20b '{"weight": 1, "reason": "x"}'
expect 400 PUT /v1/demotions/$(printf 'n%.0s' $(seq 64)) '{"weight": 1, "reason": "x"}'
expect 400 DELETE /v1/demotions/x '{"colour": 1}'
expect 415 PUT /v1/demotions/x '{"weight": 1, "reason": "x"}' text/plain
expect 404 DELETE /v1/demotions/nothing-here
expect 404 PUT /v1/demotions/ '{"weight": 1, "reason": "x"}'
expect 405 POST /v1/demotions/x '{"weight": 1, "reason": "x"}'
code=$(hcurl c -o "$LAB_DIR/err.json" -w '%{http_code}' -X PUT \
    -H 'Content-Type: application/json' --data '{"weight": 1, "reason": "x"}' \
    "$(hurl a /v1/demotions/x)")
[ "$code" = 401 ] || fail "(e) no token: $code"
[ "$(total a)" = 0 ] || fail "(e) a refused request changed the total"
echo "(e) bad requests refused with JSON errors"

# (f) The configured demotion is the entry config; a reload moves it.
http_conf a 0 "net.inet.carp.demotion=30"
kill -HUP "${CARPD_PID[a]}"
wait_for 5 eval '[ "$(entry a config "e[\"source\"], e[\"weight\"], e[\"persist\"]")" = "('"'config'"', 30, False)" ]' ||
    fail "(f) no config entry after the reload: $(entry a config e)"
[ "$(total a)" = 30 ] || fail "(f) total with the config entry"
grep -q 'ledger: config added: weight 30 (configuration reloaded)' \
    "$(carpd_log a)" || fail "(f) no log line for the config entry"
http_conf a 0
kill -HUP "${CARPD_PID[a]}"
wait_for 5 eval '[ "$(entry a config 1)" = NONE ]' ||
    fail "(f) the config entry stays after the reload"
[ "$(total a)" = 0 ] || fail "(f) total after the reload"
echo "(f) net.inet.carp.demotion is the entry config, and goes with it"
pass
