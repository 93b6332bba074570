#!/bin/bash
# 044-http-limits: 300 idle connections and a burst of requests cannot
# starve the engine (B never takes over from A), carpd holds at most 64
# connections at once, idle ones are dropped after 5 s, and /metrics is
# served again afterwards.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/carpd.sh"
. "$(dirname "$0")/http.sh"
lab_need curl python3

http_pair "http-max-per-source 1024"
cat >"$LAB_DIR/flood.py" <<'PY'
import socket, sys, time
host, port, n = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
socks = []
for i in range(n):
    s = socket.socket()
    s.setblocking(False)
    try:
        s.connect((host, port))
    except BlockingIOError:
        pass
    socks.append(s)
time.sleep(float(sys.argv[4]))
PY
lab_bg c "$LAB_DIR/flood.log" python3 "$LAB_DIR/flood.py" 192.0.2.61 \
    "$HTTP_PORT" 300 9
sleep 1
# Accepted ones show the carpd process; the rest wait in the backlog.
open=$(lab_exec a ss -Htnp | grep "192.0.2.61:$HTTP_PORT " | grep -c carpd)
echo "connections carpd holds with 300 clients waiting: $open"
[ "$open" -le 64 ] || fail "$open connections open, cap is 64"
# Meanwhile a burst of real requests on the control socket still works.
for i in $(seq 50); do sockcurl a -o /dev/null http://x/metrics || fail "socket"; done
sleep 6
# Idle ones were dropped after 5 s: the backlog drains, requests work.
wait_for 5 eval 'hcurl c -o /dev/null "$(hurl a /metrics)"' ||
    fail "/metrics not served after the idle connections timed out"
grep -q 'not accepting more' "$(carpd_log a)" || fail "no log line at the cap"
[ "$(carpd_state a 1)" = MASTER ] && [ "$(carpd_state b 1)" = BACKUP ] ||
    fail "the flood disturbed the election"
[ "$(vhid_transitions b 1 MASTER)" = 0 ] || fail "B took over during the flood"
pass
