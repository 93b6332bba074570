#!/bin/bash
# 030-carpd-ucarp: interop with ucarp, carpd preferred.
# A runs carpd (advskew 0, preempt 1), B runs ucarp (advskew 100, no -P),
# one-address VHID 1, pass test123, advbase 1; the client pings the VIP.
#  (a) carpd MASTER, ucarp BACKUP;
#  (b) A's cable pulled: ucarp takes over;
#  (c) plugged back: carpd preempts, ucarp goes back to BACKUP;
#  (d) SIGTERM of carpd: on its bow-out ucarp takes over at once ("Putting
#      MASTER DOWN (going to time out)"), within 1.5 s (ucarp reacts to the
#      advert, but only acts on it in its ~1 s poll loop).
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/carpd.sh"
VIP=192.0.2.111
. "$(dirname "$0")/ucarp.sh"
IP_A=192.0.2.61 IP_B=192.0.2.51

lab_init
lab_switch
lab_node a $IP_A/24
lab_node b $IP_B/24
lab_node c 192.0.2.110/24
carpd_conf a <<CONF
net.inet.carp.preempt=1
ifconfig_eth0_alias0="inet vhid 1 advskew 0 pass test123 alias $VIP/24"
CONF

lab_capture_start
carpd_start a
ucarp_start b $IP_B 100 test123
lab_ping_start c "$VIP"

# (a)
carpd_wait a 1 MASTER 6 || fail "(a) carpd did not become MASTER"
sleep 2
[ "$(ucarp_state b)" = BACKUP ] || fail "(a) ucarp is '$(ucarp_state b)', want BACKUP"
grep -q "Bad digest" "$(ucarp_log b)" && fail "(a) ucarp rejects carpd's adverts"
lab_has_addr a "$VIP" || fail "(a) carpd MASTER without the VIP"
lab_has_addr b "$VIP" && fail "(a) ucarp BACKUP holds the VIP"
lab_ping_flowing 5 || fail "(a) no replies from the VIP on carpd"
echo "(a) carpd MASTER, ucarp BACKUP"

# (b)
t=$(lab_now)
lab_cable_pull a
ucarp_wait b MASTER 8 || fail "(b) ucarp did not take over"
wait_for 2 lab_has_addr b "$VIP" || fail "(b) ucarp MASTER without the VIP"
lab_has_addr a "$VIP" && fail "(b) carpd kept the VIP"
lab_ping_flowing 5 || fail "(b) no replies from the VIP on ucarp"
echo "(b) pull: ucarp MASTER after $(lab_ms "$t" "$(lab_now)") ms (polled)"

# (c)
t=$(lab_now)
lab_cable_plug a
carpd_wait a 1 MASTER 6 || fail "(c) carpd did not preempt"
[ "$(vhid_reason a 1)" = "preempting a slower master" ] ||
    fail "(c) carpd's preemption reason"
ucarp_wait b BACKUP 3 || fail "(c) ucarp did not step down"
grep -q "Preferred master advertised: going back to BACKUP state" "$(ucarp_log b)" ||
    fail "(c) ucarp's step-down reason"
wait_for 2 eval '! lab_has_addr b "$VIP"' || fail "(c) ucarp kept the VIP"
lab_has_addr a "$VIP" || fail "(c) carpd MASTER without the VIP"
lab_ping_flowing 5 || fail "(c) no replies after preemption"
echo "(c) plug: carpd MASTER again after $(lab_ms "$t" "$(lab_now)") ms (polled)"

# (d)
sleep 1
t_term=$(lab_now)
carpd_stop a TERM
wait_for 3 grep -q "Putting MASTER DOWN (going to time out)" "$(ucarp_log b)" ||
    fail "(d) ucarp did not react to the bow-out"
ucarp_wait b MASTER 1 || fail "(d) ucarp not MASTER"
wait_for 1 lab_has_addr b "$VIP" || fail "(d) ucarp MASTER without the VIP"
lab_ping_flowing 5 || fail "(d) no replies from the VIP on ucarp"
sleep 0.5
lab_capture_stop
lab_adverts "$LAB_CAP_FILE" >"$LAB_DIR/adverts.txt" || fail "pcap_adverts.py"
bow=$(awk -v t="$t_term" '$1 > t && $3 == "'$IP_A'" && $5 == "255.000000" && $6 == 255 {
	print $1; exit }' "$LAB_DIR/adverts.txt")
[ -n "$bow" ] || fail "(d) no bow-out advert from carpd"
bfirst=$(awk -v t="$bow" '$1 > t && $3 == "'$IP_B'" { print $1; exit }' "$LAB_DIR/adverts.txt")
[ -n "$bfirst" ] || fail "(d) no advert from ucarp after the bow-out"
lag=$(lab_ms "$bow" "$bfirst")
echo "(d) SIGTERM: bow-out -> ucarp's first advert ${lag} ms"
[ "$lag" -le 1500 ] || fail "(d) ucarp took ${lag} ms, want <= 1500"
pass
