#!/bin/bash
# 029-carpd-three: three carpd nodes on the bridge.
# A (advskew 0), B (advskew 50), D (advskew 100), vhid 1, preempt 1.
# A wins; A's cable pulled: B (master-down 3 + 50/256 s) takes over, not D
# (3 + 100/256 s), and D stays BACKUP; B's cable pulled too: D takes over.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/carpd.sh"
VIP=192.0.2.111

lab_init
lab_switch
lab_node a 192.0.2.61/24
lab_node b 192.0.2.51/24
lab_node d 192.0.2.41/24
lab_node c 192.0.2.110/24
for n in a b d; do
	case $n in a) skew=0;; b) skew=50;; d) skew=100;; esac
	carpd_conf $n <<CONF
net.inet.carp.preempt=1
ifconfig_eth0_alias0="inet vhid 1 advskew $skew pass test123 alias $VIP/24"
CONF
done

holders() {	# the nodes holding the VIP, e.g. "a"
	local n out=
	for n in a b d; do lab_has_addr $n "$VIP" && out="$out$n"; done
	echo "${out:-none}"
}
nmaster() { vhid_transitions "$1" 1 MASTER; }

carpd_start a
carpd_start b
carpd_start d
lab_ping_start c "$VIP"
carpd_wait a 1 MASTER 6 || fail "A did not become MASTER"
carpd_wait b 1 BACKUP 1 && carpd_wait d 1 BACKUP 1 || fail "B or D not BACKUP"
[ "$(holders)" = a ] || fail "VIP on '$(holders)', want a"
lab_ping_flowing 5 || fail "no replies from the VIP on A"
echo "election: A MASTER; B, D BACKUP"

lab_cable_pull a
carpd_wait b 1 MASTER 6 || fail "B (advskew 50) did not take over"
sleep 1		# D's deadline (0.2 s after B's) has passed: B's advert reset it
[ "$(carpd_state d 1)" = BACKUP ] || fail "D is $(carpd_state d 1) after A's pull"
[ "$(nmaster d)" = 0 ] || fail "D became MASTER after A's pull"
[ "$(holders)" = b ] || fail "VIP on '$(holders)', want b"
lab_ping_flowing 5 || fail "no replies from the VIP on B"
echo "A pulled: B MASTER, D BACKUP"

lab_cable_pull b
carpd_wait d 1 MASTER 6 || fail "D did not take over"
[ "$(vhid_reason d 1)" = "master timed out" ] || fail "D's takeover reason"
wait_for 2 eval '[ "$(holders)" = d ]' || fail "VIP on '$(holders)', want d"
lab_ping_flowing 5 || fail "no replies from the VIP on D"
echo "B pulled too: D MASTER"
pass
