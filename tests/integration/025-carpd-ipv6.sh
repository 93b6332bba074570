#!/bin/bash
# 025-carpd-ipv6: an IPv6 VHID, 2001:db8::111/64.
# Nodes have their own 2001:db8:: addresses and link-local ones (DAD is off
# in the lab, so both are usable at once; CARP over IPv6 advertises from the
# link-local address to ff02::12).  Election; the client pings the VIP;
# A's cable pulled: B takes over and announces the VIP with an unsolicited
# neighbour advertisement to ff02::1 with the Override flag from its own
# MAC; the VIP is never "tentative" (carpd adds it without DAD).
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/carpd.sh"
lab_need tshark
VIP=2001:db8::111

lab_init
lab_switch
lab_node a 192.0.2.61/24 2001:db8::61/64
lab_node b 192.0.2.51/24 2001:db8::51/64
lab_node c 192.0.2.110/24 2001:db8::110/64
for n in a b; do
	skew=0; [ $n = b ] && skew=100
	carpd_conf $n <<CONF
net.inet.carp.preempt=1
# The interface's own MAC, exactly as before the virtual MAC (034 has it).
mac-mode interface
ifconfig_eth0_ipv6="inet6 vhid 1 advskew $skew pass test123 alias $VIP/64"
CONF
done
mac_b=$(lab_exec b cat /sys/class/net/eth0/address)
ll() { lab_exec "$1" ip -6 -o addr show dev eth0 scope link |
    sed -nE 's/.*inet6 ([0-9a-f:]+)\/64.*/\1/p'; }
wait_for 3 eval '[ -n "$(ll a)" ] && [ -n "$(ll b)" ]' || fail "no link-local addresses"
ll_a=$(ll a) ll_b=$(ll b)

lab_capture_start
carpd_start a
carpd_start b
lab_ping_start c "$VIP"
carpd_wait a 1 MASTER 6 || fail "A did not become MASTER"
carpd_wait b 1 BACKUP 1 || fail "B is not BACKUP"
lab_has_addr a "$VIP" || fail "A is MASTER without the VIP"
lab_has_addr b "$VIP" && fail "B holds the VIP as BACKUP"
lab_exec a ip -6 -o addr show dev eth0 | grep -F " $VIP/64 " | grep -q tentative &&
    fail "the VIP is tentative on A"
lab_ping_flowing 5 || fail "no ping6 replies from the VIP on A"
echo "election: A MASTER, B BACKUP; $(lab_exec a ip -6 -o addr show dev eth0 | grep -F "$VIP" | awk '{ $1 = ""; print }')"

t_pull=$(lab_now)
lab_cable_pull a
carpd_wait b 1 MASTER 6 || fail "B did not take over"
wait_for 2 eval '! lab_has_addr a "$VIP"' || fail "A kept the VIP"
lab_has_addr b "$VIP" || fail "B MASTER without the VIP"
flags=$(lab_exec b ip -6 -o addr show dev eth0 | grep -F " $VIP/64 ")
echo "$flags" | grep -q tentative && fail "the VIP is tentative on B: $flags"
echo "$flags" | grep -q dadfailed && fail "DAD failed on B: $flags"
lab_ping_flowing 5 || fail "no ping6 replies from the VIP on B"
echo "pull: B MASTER after $(lab_ms "$t_pull" "$(lab_now)") ms (polled)"
lab_capture_stop

# IPv6 adverts: from the link-local addresses, to ff02::12, hop limit 255.
tshark -r "$LAB_CAP_FILE" -Y 'ipv6.nxt == 112' -T fields -e ipv6.src \
    -e ipv6.dst -e ipv6.hlim 2>/dev/null | sort | uniq -c >"$LAB_DIR/adv6.txt"
cat "$LAB_DIR/adv6.txt" | sed 's/^/adverts: /'
grep -qE " $ll_a	ff02::12	255$" "$LAB_DIR/adv6.txt" || fail "no advert from A's link-local to ff02::12"
grep -qE " $ll_b	ff02::12	255$" "$LAB_DIR/adv6.txt" || fail "no advert from B's link-local to ff02::12"
# B's unsolicited NA for the VIP after the pull: Override set, Solicited
# clear, to ff02::1, target link-layer address B's MAC.
tshark -r "$LAB_CAP_FILE" -Y "icmpv6.type == 136 && icmpv6.nd.na.target_address == $VIP" \
    -T fields -e frame.time_epoch -e eth.src -e ipv6.dst -e icmpv6.nd.na.flag.o \
    -e icmpv6.nd.na.flag.s -e icmpv6.opt.linkaddr 2>/dev/null >"$LAB_DIR/na.txt"
sed 's/^/NA: /' "$LAB_DIR/na.txt"
awk -v t="$t_pull" -v m="$mac_b" -F '\t' '$1 > t && $2 == m && $3 == "ff02::1" &&
	($4 == 1 || $4 == "True") && ($5 == 0 || $5 == "False") && $6 == m { ok = 1 }
	END { exit !ok }' "$LAB_DIR/na.txt" ||
    fail "no unsolicited NA with Override from B ($mac_b) for $VIP after the pull"
pass
