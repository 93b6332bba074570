#!/bin/bash
# 021-carpd-nopreempt: preemption off on both nodes.
# A (advskew 0) and B (advskew 100), vhid 1, net.inet.carp.preempt=0.  A wins
# the election; A's cable pulled: B takes over; plugged back: A returns to
# BACKUP and stays there (B's adverts are slower than A's but preempt is 0,
# and frequent enough not to "time out"), B stays MASTER and keeps the VIP.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/carpd.sh"
VIP=192.0.2.111

lab_init
lab_switch
lab_node a 192.0.2.61/24
lab_node b 192.0.2.51/24
lab_node c 192.0.2.110/24
for n in a b; do
	skew=0; [ $n = b ] && skew=100
	carpd_conf $n <<CONF
net.inet.carp.preempt=0
ifconfig_eth0_alias0="inet vhid 1 advskew $skew pass test123 alias $VIP/24"
CONF
done

lab_capture_start
carpd_start a
carpd_start b
lab_ping_start c "$VIP"

carpd_wait a 1 MASTER 6 || fail "A did not become MASTER"
carpd_wait b 1 BACKUP 1 || fail "B is not BACKUP"
lab_has_addr a "$VIP" || fail "A is MASTER without the VIP"
lab_has_addr b "$VIP" && fail "B holds the VIP as BACKUP"
lab_ping_flowing 5 || fail "no replies from the VIP on A"
echo "election: A MASTER, B BACKUP"

lab_cable_pull a
carpd_wait b 1 MASTER 6 || fail "B did not take over"
wait_for 2 eval '! lab_has_addr a "$VIP"' || fail "A kept the VIP"
lab_ping_flowing 5 || fail "no replies from the VIP on B"
echo "pull: B MASTER"

t_plug=$(lab_now)
lab_cable_plug a
carpd_wait a 1 BACKUP 3 || fail "A did not return to BACKUP after the plug"
# A's master-down interval is 3 s: give it that and 2 s more to misbehave.
sleep 5
[ "$(carpd_state a 1)" = BACKUP ] || fail "A is $(carpd_state a 1), want BACKUP"
[ "$(carpd_state b 1)" = MASTER ] || fail "B is $(carpd_state b 1), want MASTER"
[ "$(vhid_transitions a 1 MASTER)" = 1 ] ||
    fail "A became MASTER again after the plug"
[ "$(vhid_transitions b 1 BACKUP)" = 1 ] || fail "B stepped down"
lab_has_addr a "$VIP" && fail "A holds the VIP as BACKUP"
lab_has_addr b "$VIP" || fail "B lost the VIP"
lab_ping_flowing 5 || fail "no replies from the VIP on B after the plug"

lab_capture_stop
lab_adverts "$LAB_CAP_FILE" >"$LAB_DIR/adverts.txt" || fail "pcap_adverts.py"
# After the plug only B advertises: not one advert from A.
na=$(awk -v t="$t_plug" '$1 > t && $3 == "192.0.2.61"' "$LAB_DIR/adverts.txt" | wc -l)
nb=$(awk -v t="$t_plug" '$1 > t && $3 == "192.0.2.51"' "$LAB_DIR/adverts.txt" | wc -l)
echo "after the plug: $nb adverts from B, $na from A"
[ "$na" = 0 ] || fail "A sent $na adverts after the plug"
[ "$nb" -ge 3 ] || fail "B sent only $nb adverts after the plug"
pass
