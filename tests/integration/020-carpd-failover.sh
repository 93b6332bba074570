#!/bin/bash
# 020-carpd-failover: the seed scenario with two carpd nodes.
# A (advskew 0) and B (advskew 100), vhid 1, pass test123, preempt on,
# a client pinging the VIP.  Election; A's cable pulled: B takes over at its
# master-down deadline (3 + 100/256 s after A's last advert), A releases the
# VIP; plugged back: A preempts B and B releases the VIP.
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
net.inet.carp.preempt=1
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
# The log line's format itself (FreeBSD's); states are read from carpctl.
grep -q "carp: 1@eth0: BACKUP -> MASTER (master timed out)" "$(carpd_log a)" ||
    fail "A's log lacks FreeBSD's transition line"
lab_ping_flowing 5 || fail "no replies from the VIP on A"
# The VIP is held with a finite lifetime (3 x advbase), refreshed per advert.
lft=$(lab_exec a ip -o addr show | grep "$VIP" |
    sed -nE 's/.*valid_lft ([0-9]+)sec.*/\1/p')
[ -n "$lft" ] && [ "$lft" -le 3 ] || fail "VIP lifetime '$lft', want <= 3 s"
echo "election: A MASTER, B BACKUP, VIP lifetime ${lft}s"

# Cable pull.
lab_cable_pull a
carpd_wait b 1 MASTER 6 || fail "B did not take over"
[ "$(vhid_reason b 1)" = "master timed out" ] || fail "B's takeover reason"
carpd_wait a 1 INIT 2 || fail "A did not go INIT on link down"
grep -q "carp: demoted by 240 to 240 (interface down)" "$(carpd_log a)" ||
    fail "A's demotion line"
wait_for 2 eval '! lab_has_addr a "$VIP"' || fail "A kept the VIP"
lab_has_addr b "$VIP" || fail "B MASTER without the VIP"
lab_ping_flowing 5 || fail "no replies from the VIP on B"

# Plug back: A preempts.
lab_cable_plug a
carpd_wait a 1 MASTER 8 || fail "A did not take the VIP back"
[ "$(vhid_reason a 1)" = "preempting a slower master" ] ||
    fail "A's preemption reason: $(vhid_reason a 1)"
carpd_wait b 1 BACKUP 3 || fail "B did not step down"
[ "$(vhid_reason b 1)" = "more frequent advertisement received" ] ||
    fail "B's step-down reason: $(vhid_reason b 1)"
wait_for 2 eval '! lab_has_addr b "$VIP"' || fail "B kept the VIP"
lab_ping_flowing 5 || fail "no replies after preemption"
grep -q "carp: demoted by -240 to 0 (interface up)" "$(carpd_log a)" ||
    fail "A's demotion not lifted"

lab_capture_stop
lab_adverts "$LAB_CAP_FILE" >"$LAB_DIR/adverts.txt" || fail "pcap_adverts.py"
# Takeover lag: B's first advert after the pull minus (A's last advert
# before it + B's master-down interval 3 + 100/256 s).
lag=$(awk '$2 == "carp" && $3 == "192.0.2.61" { if (!done) last = $1 }
	   $2 == "carp" && $3 == "192.0.2.51" && last && !done {
		done = 1; printf "%d", ($1 - (last + 3 + 100/256)) * 1000 }' \
    "$LAB_DIR/adverts.txt")
echo "takeover lag ${lag} ms"
[ -n "$lag" ] && [ "$lag" -ge -1 ] && [ "$lag" -le 30 ] ||
    fail "takeover lag ${lag} ms, want 0..30"
pass
