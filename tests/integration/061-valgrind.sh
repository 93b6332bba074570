#!/bin/bash
# 061-valgrind: one failover scenario with carpd under valgrind memcheck on
# the master: election, cable pull, plug back and preemption, a reload, a
# graceful stop.  Zero errors, and zero bytes definitely, indirectly or
# possibly lost at exit.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/carpd.sh"
lab_need valgrind
# valgrind cannot run a carpd built with AddressSanitizer.
nm "$CARPD" 2>/dev/null | grep -q __asan_init && skip "sanitized carpd"
VIP=192.0.2.111

lab_init
lab_switch
lab_node a 192.0.2.61/24
lab_node b 192.0.2.51/24
for n in a b; do
	skew=0; [ $n = b ] && skew=100
	carpd_conf $n <<CONF
net.inet.carp.preempt=1
state-file $LAB_DIR/state-$n.json
ifconfig eth0 inet vhid 1 advskew $skew pass test123 alias $VIP/24
ifconfig eth0 inet6 vhid 2 advskew $skew pass test123 alias 2001:db8::111/64
CONF
done
VG="$LAB_DIR/vg.log"
CARPD_WRAP="valgrind --quiet --leak-check=full --show-leak-kinds=definite,indirect,possible --errors-for-leak-kinds=definite,indirect,possible --error-exitcode=99 --log-file=$VG" \
    carpd_start a
carpd_start b

carpd_wait a 1 MASTER 15 || fail "a (under valgrind) did not become MASTER"
lab_cable_pull a
carpd_wait b 1 MASTER 8 || fail "b did not take over"
carpd_wait a 1 INIT 5 || fail "a did not go INIT"
lab_cable_plug a
carpd_wait a 1 MASTER 15 || fail "a did not preempt"
kill -HUP "${CARPD_PID[a]}"
wait_for 10 grep -q "configuration reloaded" "$(carpd_log a)" ||
    fail "no reload"
carpd_stop a TERM
# valgrind reports at exit; the wrapper's exit status says errors.
wait_for 10 grep -q "" "$VG" 2>/dev/null
if [ -s "$VG" ]; then
	cat "$VG" >&2
	fail "valgrind reported errors or leaks (see above)"
fi
grep -q "carpd exiting" "$(carpd_log a)" || fail "carpd did not exit cleanly"
echo "valgrind: no error, no leak"
pass
