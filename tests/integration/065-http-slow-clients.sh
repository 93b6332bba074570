#!/bin/bash
# 065-http-slow-clients: 200 clients from 5 addresses trickle a request
# header one byte a second, for 25 s.  Meanwhile `carpctl status` on the
# control socket and a scrape from an address not in the flood each answer
# within 1 s, every second; carpd holds at most http-max-per-source (8,
# the default) connections per flooding address and closes each held one
# at http-request-timeout (10 s, the default), not later, whatever it
# trickles; the accept queue never overflows (the kernel drops a SYN
# then, and the client retries a second later).  Then, with the cap per address raised by a reload, 64
# keep-alive clients that each got one answer and went silent fill the
# TCP pool: a new scrape is answered within 1 s all the same (idle
# connections are closed first), not after evhttp's 5 s idle timeout.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/carpd.sh"
. "$(dirname "$0")/http.sh"
lab_need curl python3

http_pair
# The control socket is created 0600 by bind itself (no chmod after it,
# which would follow a symlink put in its place).
[ "$(stat -c %a "$(http_sock a)")" = 600 ] ||
    fail "control socket mode $(stat -c %a "$(http_sock a)"), want 600"
FLOOD="192.0.2.121 192.0.2.122 192.0.2.123 192.0.2.124 192.0.2.125"
for a in $FLOOD; do lab_exec c ip addr add "$a/24" dev eth0 || fail "addr $a"; done
SECS=25
lab_bg c "$LAB_DIR/trickle.log" python3 "$LAB_LIBDIR/http_slow.py" trickle \
    "${HTTP_ADDR[a]}" "$HTTP_PORT" $SECS 200 $FLOOD
flood=$LAB_LASTPID
t0=$(now_ms)
sleep 2
worst_ctl=0 worst_scrape=0 maxper=0 n=0
while kill -0 "$flood" 2>/dev/null && [ $(( $(now_ms) - t0 )) -lt $(( (SECS - 2) * 1000 )) ]; do
	s=$(now_ms)
	"$CARPCTL" -s "$(http_sock a)" status >"$LAB_DIR/ctl.out" 2>&1 ||
	    fail "carpctl status failed under the flood: $(cat "$LAB_DIR/ctl.out")"
	e=$(( $(now_ms) - s )); [ $e -gt $worst_ctl ] && worst_ctl=$e
	s=$(now_ms)
	hcurl c --interface 192.0.2.110 -o /dev/null "$(hurl a /metrics)" ||
	    fail "scrape from 192.0.2.110 failed under the flood"
	e=$(( $(now_ms) - s )); [ $e -gt $worst_scrape ] && worst_scrape=$e
	# Connections carpd holds, per flooding address.
	# (accepted ones show the carpd process; the rest wait in the backlog)
	# Two samples 50 ms apart, a connection counted only if in both: one
	# accepted beyond the cap lives until carpd closes it in the same
	# callback, and a single sample caught it once (CI: 9, cap 8).
	held() {
		lab_exec a ss -Htnp state established "( sport = :$HTTP_PORT )" |
		    awk '/carpd/ { print $4 }' | sort
	}
	h1=$(held); sleep 0.05; h2=$(held)
	m=$(comm -12 <(printf '%s\n' "$h1") <(printf '%s\n' "$h2") |
	    awk 'NF { split($1, p, ":"); n[p[1]]++ }
	    END { m = 0; for (a in n) if (n[a] > m) m = n[a]; print m }')
	[ "${m:-0}" -gt $maxper ] && maxper=$m
	n=$((n + 1))
	sleep 1
done
echo "under the flood ($n rounds): carpctl status worst ${worst_ctl} ms," \
    "scrape worst ${worst_scrape} ms, at most $maxper connections from one address"
[ $n -ge 15 ] || fail "only $n rounds"
[ $worst_ctl -le 1000 ] || fail "carpctl status took $worst_ctl ms"
[ $worst_scrape -le 1000 ] || fail "a scrape took $worst_scrape ms"
[ $maxper -le 8 ] || fail "$maxper connections from one address, cap 8"
# A full accept queue drops SYNs, and a dropped SYN is retried after 1 s.
ovf=$(lab_exec a nstat -asz TcpExtListenOverflows |
    awk '$1 == "TcpExtListenOverflows" { print $2 }')
echo "accept queue overflows on A: ${ovf:-?}"
[ "${ovf:-1}" = 0 ] || fail "the accept queue overflowed ${ovf:-?} times"
_lab_wait_gone 5 "$flood"
# Held connections end at the deadline: 10 s after they connected.
read -r held maxlife refused < <(awk '$1 == "closed" {
	if ($3 >= 5) { h++; if ($3 > m) m = $3 } else r++ }
	END { printf "%d %.2f %d\n", h, m, r }' "$LAB_DIR/trickle.log")
echo "flood: $held connections held then closed (longest ${maxlife} s), $refused closed at once (over the cap per address)"
[ "$held" -ge 40 ] || fail "only $held connections were held to the deadline"
[ "$refused" -ge 100 ] || fail "only $refused connections refused by the cap per address"
awk -v m="$maxlife" 'BEGIN { exit !(m >= 9.5 && m <= 11.5) }' ||
    fail "a trickling connection lived ${maxlife} s, want the 10 s deadline"
grep -q 'no complete request from 192.0.2.12[1-5] within 10 s' "$(carpd_log a)" ||
    fail "no log line for the deadline"
grep -q 'http: 192.0.2.12[1-5] holds 8 connections (http-max-per-source)' \
    "$(carpd_log a)" || fail "no log line for the cap per address"

# The pool full of idle keep-alive connections.
http_conf a 0 "http-max-per-source 64"
kill -HUP "${CARPD_PID[a]}"
wait_for 3 eval '[ $(grep -c "configuration reloaded" "$(carpd_log a)") -ge 1 ]' ||
    fail "reload"
lab_bg c "$LAB_DIR/idle.log" python3 "$LAB_LIBDIR/http_slow.py" idle \
    "${HTTP_ADDR[a]}" "$HTTP_PORT" 8 64 $FLOOD
wait_for 3 grep -q '^served 64' "$LAB_DIR/idle.log" ||
    fail "64 keep-alive clients not served: $(cat "$LAB_DIR/idle.log")"
s=$(now_ms)
hcurl c --interface 192.0.2.110 -o /dev/null "$(hurl a /metrics)" ||
    fail "scrape with the pool full of idle connections failed"
e=$(( $(now_ms) - s ))
echo "pool full of 64 idle keep-alive connections: a new scrape took $e ms"
[ $e -le 1000 ] || fail "the scrape waited $e ms for a free connection"
grep -q 'not accepting more' "$(carpd_log a)" || fail "the pool was not full"
[ "$(carpd_state a 1)" = MASTER ] && [ "$(carpd_state b 1)" = BACKUP ] ||
    fail "the flood disturbed the election"
pass
