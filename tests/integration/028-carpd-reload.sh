#!/bin/bash
# 028-carpd-reload: SIGHUP.
# A (advskew 0) and B (advskew 100) share vhid 1 (192.0.2.111) and vhid 2
# (192.0.2.112), preempt 1; the client pings vhid 1's VIP.
#  (a) SIGHUP of the master with the same file: no transition logged, A
#      stays MASTER, the VIP is never deleted (address monitor), longest
#      ping gap <= 100 ms;
#  (b) B's advskew 100 -> 50 and SIGHUP of B: no transition on either node;
#  (c) a file with an error and SIGHUP of A: "reload of ... failed: keeping
#      the running configuration", A keeps running as MASTER;
#  (d) vhid 2 removed from both: A releases 192.0.2.112, vhid 1 untouched;
#  (e) vhid 3 (192.0.2.113) added to both: it starts, A becomes its MASTER.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/carpd.sh"
V1=192.0.2.111 V2=192.0.2.112 V3=192.0.2.113
GAP_MAX=100

lab_init
lab_switch
lab_node a 192.0.2.61/24
lab_node b 192.0.2.51/24
lab_node c 192.0.2.110/24

conf() {	# NODE ADVSKEW VHID...
	local n=$1 skew=$2 vh; shift 2
	{
		echo "net.inet.carp.preempt=1"
		for vh in "$@"; do
			echo "ifconfig_eth0_alias$vh=\"inet vhid $vh advskew $skew pass test$vh alias 192.0.2.11$vh/24\""
		done
	} | carpd_conf "$n"
}
ntrans() {	# NODE: transitions of vhids 1 and 2, from carpctl
	local v s t n=0
	for v in 1 2; do
		for s in INIT BACKUP MASTER; do
			t=$(vhid_transitions "$1" $v $s)
			[ "$t" = NONE ] || n=$((n + t))
		done
	done
	echo $n
}
nreload() { grep -c "configuration reloaded" "$(carpd_log "$1")"; }
hup() {		# NODE: SIGHUP and wait for the reload to be logged
	local n=$1 want=$(( $(nreload "$1") + 1 ))
	kill -HUP "${CARPD_PID[$n]}" || fail "HUP $n"
	wait_for 2 eval '[ "$(nreload '"$n"')" -ge '"$want"' ]' ||
	    fail "$n did not log 'configuration reloaded'"
}
alive() { kill -0 "${CARPD_PID[$1]}" 2>/dev/null || fail "carpd on $1 died"; }

conf a 0 1 2
conf b 100 1 2
lab_addr_monitor_start a
sleep 0.2
carpd_start a
carpd_start b
lab_ping_start c "$V1"
carpd_wait a 1 MASTER 6 && carpd_wait a 2 MASTER 1 || fail "A is not MASTER of 1 and 2"
carpd_wait b 1 BACKUP 1 && carpd_wait b 2 BACKUP 1 || fail "B is not BACKUP of 1 and 2"
lab_ping_flowing 5 || fail "no replies from $V1"
echo "election: A MASTER of vhid 1 and 2"

# (a)
ta=$(ntrans a) tb=$(ntrans b)
t0=$(lab_now)
hup a
sleep 2
t1=$(lab_now)
[ "$(ntrans a)" = "$ta" ] && [ "$(ntrans b)" = "$tb" ] || fail "(a) a transition after the reload"
[ "$(carpd_state a 1)" = MASTER ] || fail "(a) A is no longer MASTER"
grep -qE "^\[[^]]*\] *[0-9]+: [^ ]+ +inet $V1/" "$LAB_DIR/addrmon-a.log" ||
    fail "(a) the address monitor did not see the VIP added"
grep -E "Deleted.* inet $V1/" "$LAB_DIR/addrmon-a.log" && fail "(a) the VIP was deleted on A"
lab_has_addr a "$V1" || fail "(a) A lost the VIP"
gap=$(lab_ping_gap "$LAB_PING_LOG" "$(awk -v t="$t0" 'BEGIN { printf "%.6f", t - 0.5 }')" "$t1")
echo "(a) same file: no transition, VIP kept, longest ping gap ${gap} ms"
[ "$gap" != inf ] && [ "$gap" -le $GAP_MAX ] || fail "(a) ping gap ${gap} ms, want <= $GAP_MAX"

# (b)
conf b 50 1 2
hup b
sleep 2
[ "$(ntrans a)" = "$ta" ] && [ "$(ntrans b)" = "$tb" ] || fail "(b) a transition after the reload"
[ "$(carpd_state a 1)" = MASTER ] && [ "$(carpd_state b 1)" = BACKUP ] || fail "(b) roles changed"
lab_has_addr b "$V1" && fail "(b) B holds the VIP"
echo "(b) B's advskew 100 -> 50: no flap"

# (c)
cp "$LAB_DIR/carpd-a.conf" "$LAB_DIR/good-a.conf"
echo 'ifconfig_eth0_alias9="inet vhid 9 advskew 300 alias 192.0.2.119/24"' >>"$LAB_DIR/carpd-a.conf"
kill -HUP "${CARPD_PID[a]}"
wait_for 2 grep -q "reload of .*carpd-a.conf failed: keeping the running configuration" \
    "$(carpd_log a)" || fail "(c) no 'reload ... failed' line"
grep -q "advskew 300 out of range" "$(carpd_log a)" || fail "(c) the error itself is not logged"
sleep 1.5
alive a
[ "$(ntrans a)" = "$ta" ] && [ "$(ntrans b)" = "$tb" ] || fail "(c) a transition after the failed reload"
lab_has_addr a "$V1" && lab_has_addr a "$V2" || fail "(c) A lost a VIP"
lab_ping_flowing 3 || fail "(c) no replies after the failed reload"
echo "(c) bad file: $(grep -m1 "out of range" "$(carpd_log a)" | cut -d' ' -f2-)"
echo "    $(grep -m1 "failed: keeping" "$(carpd_log a)" | cut -d' ' -f2-)"
cp "$LAB_DIR/good-a.conf" "$LAB_DIR/carpd-a.conf"

# (d) the backup first, so that B never takes vhid 2 over.
conf b 50 1
hup b
conf a 0 1
t0=$(lab_now)
hup a
wait_for 1 eval '! lab_has_addr a "$V2"' || fail "(d) A kept $V2"
echo "(d) vhid 2 removed: $V2 released $(lab_ms "$t0" "$(lab_now)") ms after SIGHUP (polled)"
sleep 1
lab_has_addr b "$V2" && fail "(d) B holds $V2"
# vhid 1 on A: still only INIT -> BACKUP and BACKUP -> MASTER.
[ "$(vhid_transitions a 1 BACKUP)/$(vhid_transitions a 1 MASTER)" = 1/1 ] ||
    fail "(d) vhid 1 changed state"
lab_has_addr a "$V1" || fail "(d) A lost $V1"
alive a; alive b

# (e)
conf a 0 1 3
conf b 50 1 3
hup a
hup b
carpd_wait a 3 MASTER 6 || fail "(e) vhid 3 did not start on A"
carpd_wait b 3 BACKUP 1 || fail "(e) vhid 3 is not BACKUP on B"
wait_for 1 lab_has_addr a "$V3" || fail "(e) A lacks $V3"
lab_has_addr b "$V3" && fail "(e) B holds $V3"
[ "$(carpd_state a 1)" = MASTER ] || fail "(e) vhid 1 moved"
lab_ping_flowing 3 || fail "(e) no replies from $V1"
echo "(e) vhid 3 added: A MASTER"
pass
