#!/bin/bash
# 023-carpd-sigterm: graceful stop of the MASTER.
# SIGTERM to carpd on A: it sends a bow-out advert (advbase 255, advskew
# 255), releases the VIP and exits 0; B takes over on the bow-out ("master
# will time out" or, with preempt 1, "preempting a slower master") at once:
# B's first advert within 100 ms of the bow-out in the capture.  The client's
# longest ping gap is reported.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/carpd.sh"
VIP=192.0.2.111
LAG_MAX=100		# ms, bow-out -> B's first advert
GAP_MAX=100		# ms, longest ping gap (the benchmark target is 30)

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

# carpd_start runs `ip netns exec NS $CARPD_WRAP carpd ...`: this wrapper
# keeps carpd's exit status.  Signals go to carpd itself (its pid file).
cat >"$LAB_DIR/wrap" <<'SH'
#!/bin/sh
rcfile=$1; shift
"$@" &
echo $! >"$rcfile.pid"
wait $!
echo $? >"$rcfile"
SH
chmod +x "$LAB_DIR/wrap"

lab_capture_start
CARPD_WRAP="$LAB_DIR/wrap $LAB_DIR/rc-a" carpd_start a
CARPD_PID[a]=$(cat "$LAB_DIR/rc-a.pid")
carpd_start b
lab_ping_start c "$VIP"
carpd_wait a 1 MASTER 6 || fail "A did not become MASTER"
carpd_wait b 1 BACKUP 1 || fail "B is not BACKUP"
lab_ping_flowing 5 || fail "no replies from the VIP on A"
sleep 1		# the gap window below starts 0.5 s before the signal

t_term=$(lab_now)
carpd_stop a TERM
wait_for 2 test -s "$LAB_DIR/rc-a" || fail "no exit status from A's carpd"
rc=$(cat "$LAB_DIR/rc-a")
echo "A's carpd exited with status $rc"
[ "$rc" = 0 ] || fail "carpd exit status $rc after SIGTERM, want 0"
grep -q "carp: 1@eth0: MASTER -> INIT (shutting down)" "$(carpd_log a)" ||
    fail "A's shutdown line"
lab_has_addr a "$VIP" && fail "A kept the VIP after exiting"
carpd_wait b 1 MASTER 1 || fail "B did not take over at once"
lab_has_addr b "$VIP" || fail "B MASTER without the VIP"
lab_ping_flowing 5 50 || fail "no replies from the VIP on B"
sleep 1
t_end=$(lab_now)
lab_ping_stop
lab_capture_stop

lab_adverts "$LAB_CAP_FILE" >"$LAB_DIR/adverts.txt" || fail "pcap_adverts.py"
bow=$(awk -v t="$t_term" '$1 > t && $3 == "192.0.2.61" && $5 == "255.000000" &&
	$6 == 255 { print $1; exit }' "$LAB_DIR/adverts.txt")
[ -n "$bow" ] || fail "no bow-out advert (advbase 255 advskew 255) from A"
# Nothing from A after the bow-out.
awk -v t="$bow" '$1 > t && $3 == "192.0.2.61"' "$LAB_DIR/adverts.txt" | grep -q . &&
    fail "A advertised after its bow-out"
bfirst=$(awk -v t="$bow" '$1 > t && $3 == "192.0.2.51" { print $1; exit }' \
    "$LAB_DIR/adverts.txt")
[ -n "$bfirst" ] || fail "no advert from B after the bow-out"
lag=$(lab_ms "$bow" "$bfirst")
gap=$(lab_ping_gap "$LAB_PING_LOG" \
    "$(awk -v t="$t_term" 'BEGIN { printf "%.6f", t - 0.5 }')" "$t_end")
echo "SIGTERM -> bow-out $(lab_ms "$t_term" "$bow") ms; bow-out -> B's first advert ${lag} ms"
echo "longest ping gap ${gap} ms"
[ "$lag" -le $LAG_MAX ] || fail "B's first advert ${lag} ms after the bow-out, want <= $LAG_MAX"
[ "$gap" != inf ] && [ "$gap" -le $GAP_MAX ] || fail "ping gap ${gap} ms, want <= $GAP_MAX"
pass
