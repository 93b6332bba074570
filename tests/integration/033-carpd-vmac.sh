#!/bin/bash
# 033-carpd-vmac: the seed scenario with the virtual MAC (the default
# mac-mode), seen by a client that drops gratuitous ARP for the VIP, as
# many PLCs and HMIs do.  A (advskew 0) and B (advskew 100), vhid 1.
#   - the client learns the VIP at 00:00:5e:00:01:01 and keeps it;
#   - the bridge learns the vMAC on the master's port only;
#   - B sends not one frame from the vMAC while BACKUP (start-up included);
#   - A's multicast adverts leave from the vMAC with A's own address;
#   - cable pull: the client's outage is at most the time nobody holds the
#     VIP (A's last advert to B's first) + 150 ms;
#   - plug-back (A preempts): the client's gap is at most 100 ms, and
#     every request that reaches A after its first advert is answered (the
#     VIP is in place before the advert moves the switch's port).
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/carpd.sh"
. "$(dirname "$0")/vmac.sh"
lab_need nft bridge
VIP=192.0.2.111
VMAC=$(vmac_of 1)

lab_init
lab_switch
lab_node a 192.0.2.61/24
lab_node b 192.0.2.51/24
lab_node c 192.0.2.110/24
vmac_ignore_garp c "$VIP"
for n in a b; do
	skew=0; [ $n = b ] && skew=100
	carpd_conf $n <<CONF
net.inet.carp.preempt=1
ifconfig_eth0_alias0="inet vhid 1 advskew $skew pass test123 alias $VIP/24"
CONF
done

lab_capture_start
port_capture_start b bkp1 "ether src $VMAC"
port_capture_start a mst1 "ether src $VMAC"
carpd_start a
carpd_start b
carpd_wait a 1 MASTER 6 || fail "A did not become MASTER"
carpd_wait b 1 BACKUP 1 || fail "B is not BACKUP"
lab_ping_start c "$VIP"
lab_ping_flowing 5 || fail "no replies from the VIP on A"

# Each node has its macvlan; only the master's is up, with the VIP on it.
lab_exec a ip -d -o link show type macvlan | grep -q "link/ether $VMAC" ||
    fail "A has no macvlan with $VMAC"
lab_exec a ip -o link show type macvlan | grep -q 'state UP\|,UP' ||
    fail "A's macvlan is not up"
lab_exec b ip -o link show type macvlan | grep -q '<BROADCAST,MULTICAST>' ||
    fail "B's macvlan is not down: $(lab_exec b ip -o link show type macvlan)"
lab_exec a ip -o addr show | grep -q "vmac1-.* inet $VIP/32" ||
    fail "the VIP is not on A's macvlan: $(lab_exec a ip -o addr show)"
lab_has_addr b "$VIP" && fail "B holds the VIP as BACKUP"
[ "$(neigh_mac c "$VIP")" = "$VMAC" ] ||
    fail "client learned $VIP at $(neigh_mac c "$VIP"), want $VMAC"
[ "$(fdb_ports "$VMAC")" = a ] ||
    fail "bridge has $VMAC on '$(fdb_ports "$VMAC")', want a"
# The node's own address is still answered with the physical MAC.
amac=$(lab_exec a cat /sys/class/net/eth0/address)
lab_exec c ping -c1 -W1 192.0.2.61 >/dev/null || fail "A's own address"
[ "$(neigh_mac c 192.0.2.61)" = "$amac" ] ||
    fail "A's own address at $(neigh_mac c 192.0.2.61), want $amac"
# Someone deletes the VIP from the macvlan: it is back at once.  (Not
# "ip addr flush", which gives up when the address keeps coming back.)
lab_exec a ip addr del "$VIP/32" dev "$(lab_exec a ip -o link show \
    type macvlan | awk -F': ' '{ print $2 }' | cut -d@ -f1)" ||
    fail "ip addr del"
wait_for 1 eval 'lab_exec a ip -o addr show | grep -q "vmac1-.* inet $VIP/32"' ||
    fail "the deleted VIP was not put back"
grep -q "VIP $VIP was removed by someone else; put back" "$(carpd_log a)" ||
    fail "no log line for the deleted VIP"
sleep 2
port_capture_stop bkp1
port_capture_stop mst1
n=$(port_frames bkp1)
[ "$n" = 0 ] || fail "B sent $n frames from $VMAC while BACKUP: $(tcpdump -n -e -r "$LAB_DIR/port-bkp1.pcap" 2>/dev/null | head -5)"
# A's adverts leave from the vMAC, with A's address as the IP source.
n=$(port_frames mst1 "ip proto 112 and src host 192.0.2.61")
[ "$n" -ge 2 ] || fail "only $n adverts from $VMAC with source 192.0.2.61"
echo "election: A MASTER on $VMAC; B silent as BACKUP; $n vMAC adverts from A"

# Cable pull: the client never hears B's gratuitous ARP.
t_pull=$(lab_now)
lab_cable_pull a
carpd_wait b 1 MASTER 6 || fail "B did not take over"
lab_ping_flowing 5 || fail "no replies from the VIP on B"
t_up=$(lab_now)
[ "$(neigh_mac c "$VIP")" = "$VMAC" ] || fail "client's entry changed"
[ "$(fdb_ports "$VMAC")" = b ] ||
    fail "bridge has $VMAC on '$(fdb_ports "$VMAC")', want b"
lab_exec b ip -o addr show | grep -q "vmac1-.* inet $VIP/32" ||
    fail "the VIP is not on B's macvlan"

# Plug back: A preempts, B steps down and falls silent.
node_capture a plug "icmp or ip proto 112"
t_plug=$(lab_now)
lab_cable_plug a
carpd_wait a 1 MASTER 8 || fail "A did not take the VIP back"
carpd_wait b 1 BACKUP 3 || fail "B did not step down"
port_capture_start b bkp2 "ether src $VMAC"
lab_ping_flowing 5 || fail "no replies after preemption"
sleep 2
t_end=$(lab_now)
port_capture_stop bkp2
port_capture_stop plug
lab_capture_stop
n=$(port_frames bkp2)
[ "$n" = 0 ] || fail "B sent $n frames from $VMAC after stepping down"
[ "$(fdb_ports "$VMAC")" = a ] ||
    fail "bridge has $VMAC on '$(fdb_ports "$VMAC")', want a"
# A held the VIP before its first advert moved the switch's port to it.
read -r n m seqs < <(unanswered plug 192.0.2.61)
[ "$m" -ge 50 ] || fail "only $m requests reached A after its advert"
[ "$n" = 0 ] || fail "A left $n of $m requests unanswered after its advert (seq $seqs)"
echo "plug-back: all $m requests that reached A after its first advert answered"
drops=$(vmac_drops c)
[ "$drops" -ge 2 ] || fail "the client dropped $drops GARPs: not a GARP-ignoring client"

lab_adverts "$LAB_CAP_FILE" >"$LAB_DIR/adverts.txt" || fail "pcap_adverts.py"
read -r a_last b_first < <(awk -v t="$t_pull" '
	$2 == "carp" && $3 == "192.0.2.61" && $1 < t { al = $1 }
	$2 == "carp" && $3 == "192.0.2.51" && $1 > t && !bf { bf = $1 }
	END { printf "%s %s\n", al, bf }' "$LAB_DIR/adverts.txt")
[ -n "$a_last" ] && [ -n "$b_first" ] || fail "adverts not found in capture"
noholder=$(lab_ms "$a_last" "$b_first")
gap_pull=$(lab_ping_gap "$LAB_PING_LOG" "$t_pull" "$t_up")
gap_plug=$(lab_ping_gap "$LAB_PING_LOG" "$t_plug" "$t_end")
echo "cable pull: outage ${gap_pull} ms, nobody held the VIP ${noholder} ms"
echo "plug-back: longest gap ${gap_plug} ms; client dropped $drops GARPs"
[ "$gap_pull" != inf ] && [ "$gap_pull" -le $((noholder + 150)) ] ||
    fail "cable-pull outage ${gap_pull} ms > ${noholder} + 150 ms"
[ "$gap_plug" != inf ] && [ "$gap_plug" -le 100 ] ||
    fail "plug-back gap ${gap_plug} ms > 100 ms"
pass
