#!/bin/bash
# load: carpd's control plane under load while failing over.  For
# CHAOS_LOAD_SECS (default 40) seconds:
#  - snmpd (AgentX master for carpd on A) is SIGKILLed and restarted in a
#    loop (up ~1 s, down ~0.3 s);
#  - wrk floods /metrics on A and on B over http-listen (namespace
#    addresses, port 10112, bearer token, http-auth-reads yes);
#  - wrk sends ~600 bad action requests a second to A (PUT /v1/demotion,
#    half with a wrong token -> 401, half with a good token and a bad body
#    -> 400), so none may change anything;
#  - 150 slow clients from 3 more addresses of C trickle a request header
#    to A one byte a second (tests/integration/http_slow.py), reconnecting
#    when closed: A holds http-max-per-source (12 here) of them per address
#    and closes each at http-request-timeout (10 s);
#  - every second `carpctl status` on A's control socket, and a scrape of
#    A from B (an address in no flood) while A's cable is in, must answer
#    within 1 s;
#  - A's cable is pulled and plugged CHAOS_LOAD_CYCLES (default 2) times:
#    B takes over, A preempts it back.
# Asserted from the bridge capture: within each master run every gap
# between two adverts of the master is its interval (A 1 s, B 1 +
# 100/256 s) within +-20 ms, and each node has exactly the expected runs;
# from the logs: no transition but those the failovers cause.
# Skipped (77) without the HTTP exporter, snmpd or wrk.
. "$(dirname "$0")/chaos.sh"
[ -f "$CHAOS_LIB/../../exporters/http.c" ] || skip "no exporters/http.c"
lab_need snmpd wrk curl
. "$CHAOS_LIB/../integration/snmp.sh"
SECS=${CHAOS_LOAD_SECS:-40}
CYCLES=${CHAOS_LOAD_CYCLES:-2}
PORT=10112
TOL_MS=20

SLOW_ADDRS="192.0.2.121 192.0.2.122 192.0.2.123"

tok() { echo "$LAB_DIR/$1.token"; }
extra() {
	printf 'http-listen %s:%s\nhttp-token-file %s\nhttp-auth-reads yes\n' \
	    "${ADDR[$1]}" $PORT "$(tok "$1")"
	# C's wrk connections to A (8 + 4) fit; 3 slow addresses x 12 + 12 < 64.
	echo "http-max-per-source 12"
	[ "$1" = a ] && carpd_conf_agentx a
}

chaos_pair
for n in a b; do
	( umask 077; echo "tok-$n-$RANDOM$RANDOM" >"$(tok $n)" )
done
chaos_conf a 0 "$(extra a)"
chaos_conf b 100 "$(extra b)"
snmpd_start a "${ADDR[a]}" "${ADDR[c]}"
chaos_start_pair
na=$(chaos_ntrans a)
nb=$(chaos_ntrans b)
lab_exec c curl -sf -o /dev/null -H "Authorization: Bearer $(cat "$(tok a)")" \
    "http://${ADDR[a]}:$PORT/metrics" || fail "no /metrics on A"

# snmpd: killed and restarted in a loop until $LAB_DIR/stop exists.
(
	while [ ! -e "$LAB_DIR/stop" ]; do
		sleep 1
		snmpd_stop a KILL
		echo kill >>"$LAB_DIR/snmpd-kills"
		sleep 0.3
		snmpd_start a "${ADDR[a]}" "${ADDR[c]}"
	done
) >"$LAB_DIR/snmpd-loop.log" 2>&1 &
loop=$!

cat >"$LAB_DIR/bad.lua" <<EOF
-- Bad action requests: wrong token, or good token and a bad body.
local n = 0
local good = "Bearer $(cat "$(tok a)")"
local bodies = { '{"value": "x"}', '{bad json', '{"value": 1}',
    '{"value": 1, "reason": "r", "extra": 1}' }
request = function()
	n = n + 1
	local h = { ["Content-Type"] = "application/json" }
	if n % 2 == 0 then
		h["Authorization"] = "Bearer wrong-token"
		return wrk.format("PUT", "/v1/demotion", h, '{"value": 50, "reason": "x"}')
	end
	h["Authorization"] = good
	return wrk.format("PUT", "/v1/demotion", h, bodies[n % 4 + 1])
end
-- 8 connections, each one request every 6 ms after the last answer:
-- about 600 a second on this 2-CPU host under the /metrics floods.
delay = function() return 6 end
EOF
lab_bg c "$LAB_DIR/wrk-bad.log" wrk -t1 -c8 -d"${SECS}s" -s "$LAB_DIR/bad.lua" \
    "http://${ADDR[a]}:$PORT"
for s in $SLOW_ADDRS; do lab_exec c ip addr add "$s/24" dev eth0 || fail "addr $s"; done
lab_bg c "$LAB_DIR/slow.log" "$PY" "$CHAOS_LIB/../integration/http_slow.py" \
    trickle "${ADDR[a]}" $PORT "$SECS" 150 $SLOW_ADDRS
# The operator's view: carpctl on the socket, a scrape from B ("-" while
# A's cable is out), in ms, one line a second.
(
	while [ ! -e "$LAB_DIR/stop" ]; do
		s=$(date +%s%3N)
		"$CARPCTL" -s "$(chaos_sock a)" status >/dev/null 2>&1 || echo fail
		c=$(( $(date +%s%3N) - s ))
		m=-
		if [ ! -e "$LAB_DIR/pulled" ]; then
			s=$(date +%s%3N) ok=1
			lab_exec b curl -sf -o /dev/null --max-time 5 \
			    -H "Authorization: Bearer $(cat "$(tok a)")" \
			    "http://${ADDR[a]}:$PORT/metrics" || ok=0
			m=$(( $(date +%s%3N) - s ))
			# A pull during the scrape: not counted.
			[ -e "$LAB_DIR/pulled" ] && m=- ok=1
			[ $ok = 1 ] || echo fail
		fi
		echo "$c $m"
		sleep 1
	done
) >"$LAB_DIR/operator.log" 2>&1 &
oper=$!
for n in a b; do
	lab_bg c "$LAB_DIR/wrk-metrics-$n.log" wrk -t1 -c4 -d"${SECS}s" \
	    -H "Authorization: Bearer $(cat "$(tok $n)")" \
	    "http://${ADDR[$n]}:$PORT/metrics"
done
t_load=$(lab_now)

sleep 5
for i in $(seq "$CYCLES"); do
	touch "$LAB_DIR/pulled"
	lab_cable_pull a
	carpd_wait b 1 MASTER 6 || fail "cycle $i: B did not take over"
	sleep 4
	lab_cable_plug a
	rm -f "$LAB_DIR/pulled"
	carpd_wait a 1 MASTER 8 || fail "cycle $i: A did not preempt"
	carpd_wait b 1 BACKUP 3 || fail "cycle $i: B did not step down"
	sleep 4
done
# Until the load ends.
while [ "$(lab_ms "$t_load" "$(lab_now)")" -lt $((SECS * 1000 + 1000)) ]; do
	sleep 0.5
done
touch "$LAB_DIR/stop"
wait "$loop"
wait "$oper"
lab_capture_stop
chaos_running a || fail "carpd on A does not answer"
chaos_running b || fail "carpd on B does not answer"

ta=$(( $(chaos_ntrans a) - na ))
tb=$(( $(chaos_ntrans b) - nb ))
kills=$(wc -l <"$LAB_DIR/snmpd-kills")
rps() { sed -nE 's/^Requests\/sec: *([0-9.]+).*/\1/p' "$1"; }
non2xx() { sed -nE 's/.*Non-2xx or 3xx responses: *([0-9]+).*/\1/p' "$1"; }
bad_rps=$(rps "$LAB_DIR/wrk-bad.log")
bad_non2xx=$(non2xx "$LAB_DIR/wrk-bad.log")
m_rps="$(rps "$LAB_DIR/wrk-metrics-a.log")/$(rps "$LAB_DIR/wrk-metrics-b.log")"
demotion=$(ctl a http://x/v1/status | "$PY" -c \
    'import json, sys; print(json.load(sys.stdin)["node"]["demotion"])')
read -r ctl_worst scrape_worst nsamples < <(awk '
	$1 == "fail" || $2 == "fail" { print "fail fail " NR; exit }
	{ if ($1 > c) c = $1; if ($2 != "-" && $2 > m) m = $2; n++ }
	END { if (n) print c + 0, m + 0, n }' "$LAB_DIR/operator.log")
slow_held=$(awk '$1 == "closed" && $3 >= 5' "$LAB_DIR/slow.log" | wc -l)
slow_refused=$(awk '$1 == "closed" && $3 < 5' "$LAB_DIR/slow.log" | wc -l)

lab_adverts "$LAB_CAP_FILE" >"$LAB_DIR/adverts.txt" || fail "pcap_adverts.py"
read -r dev runs_a runs_b ngaps < <("$PY" - "$LAB_DIR/adverts.txt" \
    "${ADDR[a]}" "${ADDR[b]}" "$t_load" <<'EOF'
import sys
adv = [l.split() for l in open(sys.argv[1])]
a, b, t0 = sys.argv[2], sys.argv[3], float(sys.argv[4])
ival = {a: 1.0, b: 1.0 + 100 / 256}
dev, runs, n = 0.0, {a: 0, b: 0}, 0
for src in (a, b):
    ts = [float(f[0]) for f in adv if f[1] == "carp" and f[2] == src]
    runs[src] = 1 if ts else 0
    for x, y in zip(ts, ts[1:]):
        g = y - x
        if g > 1.5 * ival[src]:		# another master run
            runs[src] += 1
            continue
        if x >= t0:
            dev = max(dev, abs(g - ival[src]))
            n += 1
print(round(dev * 1000, 1), runs[a], runs[b], n)
EOF
)
result "secs=$SECS failovers=$CYCLES snmpd_kills=$kills" \
    "bad_action_req_per_s=$bad_rps bad_action_non2xx=$bad_non2xx" \
    "metrics_req_per_s_a/b=$m_rps advert_gaps=$ngaps" \
    "max_advert_deviation_ms=$dev a_runs=$runs_a b_runs=$runs_b" \
    "a_transitions=$ta b_transitions=$tb demotion=$demotion" \
    "carpctl_worst_ms=$ctl_worst scrape_worst_ms=$scrape_worst" \
    "operator_samples=$nsamples slow_held=$slow_held slow_refused=$slow_refused"
[ "$ctl_worst" != fail ] || fail "carpctl status or a scrape failed: $(cat "$LAB_DIR/operator.log")"
[ "$ctl_worst" -le 1000 ] || fail "carpctl status took $ctl_worst ms under the load"
[ "$scrape_worst" -le 1000 ] || fail "a scrape from B took $scrape_worst ms under the load"
[ "$slow_held" -gt 0 ] && [ "$slow_refused" -gt 0 ] ||
    fail "the slow clients were not held ($slow_held) and refused ($slow_refused)"
grep -q 'no complete request from 192.0.2.12[1-3] within 10 s' "$(carpd_log a)" ||
    fail "A closed no slow client at the deadline"
[ "$demotion" = 0 ] || fail "a bad action changed the demotion to $demotion"
[ "$ta" = $((3 * CYCLES)) ] && [ "$tb" = $((2 * CYCLES)) ] ||
    fail "transitions: A $ta (want $((3 * CYCLES))), B $tb (want $((2 * CYCLES)))"
[ "$runs_a" = $((CYCLES + 1)) ] && [ "$runs_b" = "$CYCLES" ] ||
    fail "master runs: A $runs_a, B $runs_b (an advert gap > 1.5 intervals?)"
"$PY" -c 'import sys; sys.exit(float(sys.argv[1]) > float(sys.argv[2]))' \
    "$dev" $TOL_MS || fail "an advert gap was off by $dev ms, want <= $TOL_MS"
pass
