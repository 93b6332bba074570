#!/bin/bash
# 027-carpd-unicast: unicast adverts (FreeBSD 14's "peer").
# A (advskew 0, peer 192.0.2.51) and B (advskew 100, peer 192.0.2.61):
# every advert in the capture goes to the peer, none to 224.0.0.18; the
# election and a cable-pull failover work as with multicast.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/carpd.sh"
lab_need tshark
VIP=192.0.2.111
IP_A=192.0.2.61 IP_B=192.0.2.51

lab_init
lab_switch
lab_node a $IP_A/24
lab_node b $IP_B/24
lab_node c 192.0.2.110/24
carpd_conf a <<CONF
net.inet.carp.preempt=1
ifconfig_eth0_alias0="inet vhid 1 advskew 0 pass test123 peer $IP_B alias $VIP/24"
CONF
carpd_conf b <<CONF
net.inet.carp.preempt=1
ifconfig_eth0_alias0="inet vhid 1 advskew 100 pass test123 peer $IP_A alias $VIP/24"
CONF

lab_capture_start
carpd_start a
carpd_start b
lab_ping_start c "$VIP"
carpd_wait a 1 MASTER 6 || fail "A did not become MASTER"
carpd_wait b 1 BACKUP 1 || fail "B is not BACKUP"
sleep 2		# a few adverts A -> B; B must stay BACKUP (it hears them)
[ "$(carpd_state b 1)" = BACKUP ] || fail "B is $(carpd_state b 1): it does not hear A's unicast adverts"
lab_has_addr a "$VIP" || fail "A is MASTER without the VIP"
lab_has_addr b "$VIP" && fail "B holds the VIP as BACKUP"
lab_ping_flowing 5 || fail "no replies from the VIP on A"
echo "election: A MASTER, B BACKUP"

lab_cable_pull a
carpd_wait b 1 MASTER 6 || fail "B did not take over"
wait_for 2 eval '! lab_has_addr a "$VIP"' || fail "A kept the VIP"
lab_has_addr b "$VIP" || fail "B MASTER without the VIP"
lab_ping_flowing 5 || fail "no replies from the VIP on B"
sleep 1.5	# an advert or two from B
lab_capture_stop
echo "pull: B MASTER"

tshark -r "$LAB_CAP_FILE" -Y 'ip.proto == 112' -T fields -e ip.src -e ip.dst \
    -e ip.ttl -e eth.dst 2>/dev/null | sort | uniq -c >"$LAB_DIR/dst.txt"
sed 's/^/adverts: /' "$LAB_DIR/dst.txt"
mac_a=$(lab_exec a cat /sys/class/net/eth0/address)
mac_b=$(lab_exec b cat /sys/class/net/eth0/address)
grep -qP "^ *\d+ $IP_A\t$IP_B\t255\t$mac_b$" "$LAB_DIR/dst.txt" || fail "no unicast advert A -> B"
grep -qP "^ *\d+ $IP_B\t$IP_A\t255\t$mac_a$" "$LAB_DIR/dst.txt" || fail "no unicast advert B -> A"
[ "$(wc -l <"$LAB_DIR/dst.txt")" = 2 ] || fail "adverts other than A -> B and B -> A"
grep -q 224.0.0.18 "$LAB_DIR/dst.txt" && fail "multicast adverts"
pass
