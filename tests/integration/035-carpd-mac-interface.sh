#!/bin/bash
# 035-carpd-mac-interface: mac-mode interface is carpd as before the
# virtual MAC: no macvlan, the VIP on eth0 with its prefix, answered and
# announced with the node's own MAC; a client that accepts gratuitous ARP
# follows the master.  Also: a VIP that someone else deletes while carpd is
# MASTER is put back at once, and logged.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/carpd.sh"
. "$(dirname "$0")/vmac.sh"
lab_need tshark
VIP=192.0.2.111

lab_init
lab_switch
lab_node a 192.0.2.61/24
lab_node b 192.0.2.51/24
lab_node c 192.0.2.110/24
for n in a b; do
	skew=0; [ $n = b ] && skew=100
	carpd_conf $n <<CONF
net.inet.carp.preempt=1
mac-mode interface
ifconfig_eth0_alias0="inet vhid 1 advskew $skew pass test123 alias $VIP/24"
CONF
done
mac_a=$(lab_exec a cat /sys/class/net/eth0/address)
mac_b=$(lab_exec b cat /sys/class/net/eth0/address)

lab_capture_start
carpd_start a
carpd_start b
carpd_wait a 1 MASTER 6 || fail "A did not become MASTER"
carpd_wait b 1 BACKUP 1 || fail "B is not BACKUP"
lab_ping_start c "$VIP"
lab_ping_flowing 5 || fail "no replies from the VIP on A"
for n in a b; do
	[ -z "$(lab_exec $n ip -o link show type macvlan)" ] ||
	    fail "$n has a macvlan in mac-mode interface"
done
lab_exec a ip -o addr show dev eth0 | grep -q " $VIP/24 " ||
    fail "the VIP is not on A's eth0 with its prefix"
[ "$(neigh_mac c "$VIP")" = "$mac_a" ] ||
    fail "client has $VIP at $(neigh_mac c "$VIP"), want A's $mac_a"

# Someone deletes the VIP under carpd: it is back well before a renewal.
t0=$(lab_now)
lab_exec a ip addr del "$VIP/24" dev eth0 || fail "ip addr del"
wait_for 1 lab_has_addr a "$VIP" || fail "the deleted VIP was not put back"
echo "VIP put back after $(lab_ms "$t0" "$(lab_now)") ms (polled)"
grep -q "VIP $VIP was removed by someone else; put back" "$(carpd_log a)" ||
    fail "no log line for the deleted VIP"

# Cable pull: B announces with its own MAC; the client follows.
t_pull=$(lab_now)
lab_cable_pull a
carpd_wait b 1 MASTER 6 || fail "B did not take over"
lab_ping_flowing 5 || fail "no replies from the VIP on B"
[ "$(neigh_mac c "$VIP")" = "$mac_b" ] ||
    fail "client has $VIP at $(neigh_mac c "$VIP"), want B's $mac_b"
lab_capture_stop
lab_adverts "$LAB_CAP_FILE" --garp >"$LAB_DIR/garp.txt" || fail "pcap_adverts.py"
awk -v t="$t_pull" -v m="$mac_b" -v ip="$VIP" '$2 == "garp" && $1 > t &&
	$3 == ip && $5 == m { ok = 1 } END { exit !ok }' "$LAB_DIR/garp.txt" ||
    fail "no gratuitous ARP from B's own MAC: $(cat "$LAB_DIR/garp.txt")"
pass
