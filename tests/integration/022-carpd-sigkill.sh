#!/bin/bash
# 022-carpd-sigkill: SIGKILL of carpd on the MASTER.
# The master holds its VIP with a lifetime of 3 x advbase - 1 = 2 s,
# renewed with every advert (docs/protocol.md, decision 10).  Killed,
# nobody renews it and the kernel removes it by itself, before B takes over
# at its master-down deadline (3 + 100/256 s after A's last advert), and
# before any backup could (3 s).  Measured with the address monitors
# against A's last advert in the capture:
#   lease   = VIP deleted on A - A's last refresh  (2 s + granularity)
#   B's lag = VIP added on B - A's last advert     (3 + 100/256 s)
#   overlap = time both A and B hold the VIP       (none)
# A's last advert is the last one in the capture: one may leave after
# t_kill is read (the signal takes a moment), and the kill may come
# between that advert and its refresh, which the renewal thread sends
# after the adverts; the lease then counts from the refresh before.
# The kernel checks IPv4 lifetimes from a delayed work that runs at the
# earliest expiry but at least 1 s (ADDRCONF_TIMER_FUZZ_MAX) after its
# previous run, so the lease may run up to ~1 s past the lifetime.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/carpd.sh"
VIP=192.0.2.111
LEASE_MAX=2999		# ms: 2 s lifetime + < 1 s expiry granularity
OVERLAP_MAX=0		# ms: never two holders

lab_init
lab_switch
lab_node a 192.0.2.61/24
lab_node b 192.0.2.51/24
lab_node c 192.0.2.110/24
for n in a b; do
	skew=0; [ $n = b ] && skew=100
	carpd_conf $n <<CONF
net.inet.carp.preempt=1
ifconfig_eth0_alias0="inet vhid 1 advskew $skew pass test123 alias $VIP/24"
CONF
done

lab_capture_start
lab_addr_monitor_start a
lab_addr_monitor_start b
sleep 0.2
carpd_start a
carpd_start b
lab_ping_start c "$VIP"
carpd_wait a 1 MASTER 6 || fail "A did not become MASTER"
carpd_wait b 1 BACKUP 1 || fail "B is not BACKUP"
lab_ping_flowing 5 || fail "no replies from the VIP on A"
sleep 2.5	# a few adverts: the lifetime refreshes are in their steady state

t_kill=$(lab_now)
kill -KILL "${CARPD_PID[a]}" || fail "kill"
wait_for 6 eval '! lab_has_addr a "$VIP"' || fail "the VIP stayed on A > 6 s"
carpd_wait b 1 MASTER 3 || fail "B did not take over"
lab_has_addr b "$VIP" || fail "B MASTER without the VIP"
lab_ping_flowing 5 || fail "no replies from the VIP on B"
sleep 0.5
lab_capture_stop

lab_adverts "$LAB_CAP_FILE" >"$LAB_DIR/adverts.txt" || fail "pcap_adverts.py"
t_last=$(awk '$3 == "192.0.2.61" { l = $1 } END { print l }' \
    "$LAB_DIR/adverts.txt")
[ -n "$t_last" ] || fail "no advert from A"
# A's interval holding the VIP at the kill, B's first interval after it.
ivs=$(lab_addr_intervals "$VIP" a b)
echo "$ivs" | sed 's/^/intervals: /'
a_off=$(echo "$ivs" | awk -v t="$t_kill" '$1 == "a" {
	for (i = 2; i < NF; i += 2) if ($i < t && $(i+1) >= t) print $(i+1) }')
b_on=$(echo "$ivs" | awk -v t="$t_kill" '$1 == "b" {
	for (i = 2; i < NF; i += 2) if ($i >= t) { print $i; exit } }')
[ -n "$a_off" ] && [ "$a_off" != inf ] || fail "no deletion of the VIP on A seen"
[ -n "$b_on" ] || fail "no VIP on B seen"
# No other interval on A after the kill.
echo "$ivs" | awk -v t="$t_kill" '$1 == "a" { for (i = 2; i < NF; i += 2)
	if ($i >= t) exit 1 }' || fail "A took the VIP again after the kill"
# The last lifetime refresh, before the VIP went (each shows in the monitor).
t_hold=$("$PY" - "$LAB_DIR/addrmon-a.log" "$VIP" "$a_off" <<'PYEOF'
import datetime, re, sys
last = None
for line in open(sys.argv[1], errors="replace"):
    m = re.match(r"\[([\d\-T:.]+)\]\s*(Deleted\s+)?.*\sinet\s+(\S+)/", line)
    if m and not m.group(2) and m.group(3) == sys.argv[2]:
        t = datetime.datetime.fromisoformat(m.group(1)).timestamp()
        if t < float(sys.argv[3]):
            last = t
print("%.6f" % last if last else "")
PYEOF
)
[ -n "$t_hold" ] || fail "no VIP refresh on A seen"
lease=$(lab_ms "$t_hold" "$a_off")
echo "A's last VIP refresh -> VIP removed on A: ${lease} ms (lifetime 2000 ms)"
echo "A's last VIP refresh -> A's last advert: $(lab_ms "$t_hold" "$t_last") ms"
b_lag=$(lab_ms "$t_last" "$b_on")
overlap=$(lab_ms "$b_on" "$a_off")
nobody=$(( overlap < 0 ? -overlap : 0 ))
[ "$overlap" -lt 0 ] && overlap=0
echo "A's last advert -> VIP added on B:   ${b_lag} ms (master-down 3391 ms)"
echo "both hold the VIP: ${overlap} ms; nobody: ${nobody} ms; SIGKILL -> VIP gone on A: $(lab_ms "$t_kill" "$a_off") ms"
[ "$lease" -ge 1950 ] || fail "VIP removed ${lease} ms after the last refresh: before its lifetime?"
[ "$lease" -le $LEASE_MAX ] || fail "VIP stayed ${lease} ms after the last refresh, want <= $LEASE_MAX"
[ "$b_lag" -ge 3350 ] && [ "$b_lag" -le 3500 ] ||
    fail "B took the VIP ${b_lag} ms after A's last advert, want ~3391"
[ "$overlap" -le $OVERLAP_MAX ] || fail "both held the VIP for ${overlap} ms, want <= $OVERLAP_MAX"
pass
