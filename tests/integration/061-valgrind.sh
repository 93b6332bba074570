#!/bin/bash
# 061-valgrind: one failover scenario with carpd under valgrind memcheck on
# the master: election, cable pull, plug back and preemption, a reload, a
# graceful stop.  Zero errors, and zero bytes definitely, indirectly or
# possibly lost at exit: valgrind's exit status says so (99 on any, by
# --error-exitcode), read through a wrapper that forwards the signals.
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
# The wrapper is the process carpd.sh knows: it passes HUP and TERM on to
# valgrind and writes valgrind's exit status to vg.rc.
cat >"$LAB_DIR/vgwrap" <<EOF
#!/bin/bash
valgrind --quiet --leak-check=full --show-leak-kinds=definite,indirect,possible \\
    --errors-for-leak-kinds=definite,indirect,possible --error-exitcode=99 \\
    --log-file=$VG "\$@" &
child=\$!
trap 'kill -HUP \$child' HUP
trap 'kill -TERM \$child' TERM
while :; do
	wait \$child; rc=\$?
	kill -0 \$child 2>/dev/null || break
done
echo \$rc >"$LAB_DIR/vg.rc"
EOF
chmod 755 "$LAB_DIR/vgwrap"
CARPD_WRAP="$LAB_DIR/vgwrap" carpd_start a
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
kill -TERM "${CARPD_PID[a]}"
# valgrind's leak check at exit takes a few seconds.
wait_for 60 test -s "$LAB_DIR/vg.rc" || fail "carpd under valgrind did not exit"
rc=$(cat "$LAB_DIR/vg.rc")
if [ "$rc" != 0 ] || [ -s "$VG" ]; then
	cat "$VG" >&2
	fail "valgrind exited $rc: errors or leaks (see above)"
fi
grep -q "carpd exiting" "$(carpd_log a)" || fail "carpd did not exit cleanly"
echo "valgrind: no error, no leak"
pass
