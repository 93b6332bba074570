#!/bin/bash
# 026-carpd-multi: three VHIDs on one interface at once.
#   vhid 1  192.0.2.111               A advskew 0,   B advskew 100
#   vhid 2  192.0.2.112               A advskew 100, B advskew 0
#   vhid 3  192.0.2.113 2001:db8::113 A advskew 0,   B advskew 100 (dual stack)
# preempt 1 on both.  Election: A masters 1 and 3, B masters 2.  A's cable
# pulled: all three on B.  Plugged back: A takes 1 and 3 back, 2 stays on B.
# The client pings every VIP.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/carpd.sh"
V1=192.0.2.111 V2=192.0.2.112 V3=192.0.2.113 V3B=2001:db8::113

lab_init
lab_switch
lab_node a 192.0.2.61/24 2001:db8::61/64
lab_node b 192.0.2.51/24 2001:db8::51/64
lab_node c 192.0.2.110/24 2001:db8::110/64
for n in a b; do
	s1=0 s2=100; [ $n = b ] && s1=100 s2=0
	carpd_conf $n <<CONF
net.inet.carp.preempt=1
ifconfig_eth0_alias0="inet vhid 1 advskew $s1 pass test123 alias $V1/24"
ifconfig_eth0_alias1="inet vhid 2 advskew $s2 pass secret2 alias $V2/24"
ifconfig_eth0_alias2="inet vhid 3 advskew $s1 pass third3 alias $V3/24"
ifconfig_eth0_ipv6="inet6 vhid 3 alias $V3B/64"
CONF
done

# expect M1 M2 M3: the node that must be MASTER of vhid 1, 2, 3 ("a"/"b").
expect() {
	local vh m o v
	for vh in 1 2 3; do
		m=$1; shift
		o=a; [ $m = a ] && o=b
		carpd_wait $m $vh MASTER 6 || fail "vhid $vh: $m is $(carpd_state $m $vh), want MASTER"
		carpd_wait $o $vh BACKUP 2 || fail "vhid $vh: $o is $(carpd_state $o $vh), want BACKUP"
		case $vh in 1) v=$V1;; 2) v=$V2;; 3) v="$V3 $V3B";; esac
		for v in $v; do
			wait_for 2 lab_has_addr $m "$v" || fail "vhid $vh: $m MASTER without $v"
			wait_for 2 eval '! lab_has_addr $o "$v"' || fail "vhid $vh: $o BACKUP with $v"
		done
	done
}
pings_ok() {
	local v
	for v in $V1 $V2 $V3 $V3B; do
		lab_ping_flowing 5 20 "$LAB_DIR/ping-c-$v.log" || fail "no replies from $v $*"
	done
}

carpd_start a
carpd_start b
for v in $V1 $V2 $V3 $V3B; do lab_ping_start c "$v"; done
expect a b a
pings_ok "after the election"
echo "election: vhid 1 A, vhid 2 B, vhid 3 A (dual stack)"

lab_cable_pull a
expect_b() {
	local vh
	for vh in 1 2 3; do
		carpd_wait b $vh MASTER 6 || fail "vhid $vh: B is $(carpd_state b $vh) after the pull"
		[ "$(carpd_state a $vh)" = INIT ] || fail "vhid $vh: A is $(carpd_state a $vh), want INIT"
	done
	for v in $V1 $V2 $V3 $V3B; do
		lab_has_addr b "$v" || fail "B lacks $v after the pull"
		lab_has_addr a "$v" && fail "A kept $v after the pull"
	done
	return 0
}
expect_b
pings_ok "after the pull"
echo "pull: all three on B"

lab_cable_plug a
carpd_wait a 1 MASTER 6 || fail "vhid 1: A did not preempt"
carpd_wait a 3 MASTER 2 || fail "vhid 3: A did not preempt"
sleep 4		# A's master-down for vhid 2 (3.39 s) is over: no takeover
expect a b a
[ "$(vhid_transitions a 2 MASTER)" = 0 ] ||
    fail "vhid 2: A became MASTER at some point"
[ "$(vhid_transitions b 2 BACKUP)" = 1 ] || fail "vhid 2: B stepped down"
pings_ok "after the plug"
echo "plug: vhid 1 and 3 back on A, vhid 2 stays on B"
pass
