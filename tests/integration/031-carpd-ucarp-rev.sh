#!/bin/bash
# 031-carpd-ucarp-rev: interop with ucarp, ucarp preferred.
# A runs ucarp (advskew 0, -P), B runs carpd (advskew 100, preempt 1),
# one-address VHID 1, pass test123, advbase 1; the client pings the VIP.
#  (a) ucarp MASTER, carpd BACKUP;
#  (b) A's cable pulled: carpd takes over ("master timed out");
#  (c) plugged back: ucarp (which looks at its link again only 10 s after
#      losing it) returns and takes the VIP back; carpd steps down ("more
#      frequent advertisement received") and releases the VIP.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/carpd.sh"
VIP=192.0.2.111
. "$(dirname "$0")/ucarp.sh"
IP_A=192.0.2.61 IP_B=192.0.2.51

lab_init
lab_switch
lab_node a $IP_A/24
lab_node b $IP_B/24
lab_node c 192.0.2.110/24
carpd_conf b <<CONF
net.inet.carp.preempt=1
ifconfig_eth0_alias0="inet vhid 1 advskew 100 pass test123 alias $VIP/24"
CONF

ucarp_start a $IP_A 0 test123 -P
carpd_start b
lab_ping_start c "$VIP"

# (a)
ucarp_wait a MASTER 6 || fail "(a) ucarp did not become MASTER"
carpd_wait b 1 BACKUP 1 || fail "(a) carpd is not BACKUP"
sleep 2
[ "$(carpd_state b 1)" = BACKUP ] || fail "(a) carpd is $(carpd_state b 1), want BACKUP"
grep -q "incorrect hash" "$(carpd_log b)" && fail "(a) carpd rejects ucarp's adverts"
lab_has_addr a "$VIP" || fail "(a) ucarp MASTER without the VIP"
lab_has_addr b "$VIP" && fail "(a) carpd BACKUP holds the VIP"
lab_ping_flowing 5 || fail "(a) no replies from the VIP on ucarp"
echo "(a) ucarp MASTER, carpd BACKUP"

# (b)
t=$(lab_now)
lab_cable_pull a
carpd_wait b 1 MASTER 6 || fail "(b) carpd did not take over"
[ "$(vhid_reason b 1)" = "master timed out" ] || fail "(b) carpd's takeover reason"
lab_has_addr b "$VIP" || fail "(b) carpd MASTER without the VIP"
wait_for 3 eval '! lab_has_addr a "$VIP"' || fail "(b) ucarp kept the VIP without carrier"
lab_ping_flowing 5 || fail "(b) no replies from the VIP on carpd"
echo "(b) pull: carpd MASTER after $(lab_ms "$t" "$(lab_now)") ms (polled)"

# (c)
t=$(lab_now)
lab_cable_plug a
carpd_wait b 1 BACKUP 15 || fail "(c) carpd did not step down"
[ "$(vhid_reason b 1)" = "more frequent advertisement received" ] ||
    fail "(c) carpd's step-down reason"
wait_for 2 eval '! lab_has_addr b "$VIP"' || fail "(c) carpd kept the VIP"
ucarp_wait a MASTER 1 || fail "(c) ucarp is not MASTER"
lab_has_addr a "$VIP" || fail "(c) ucarp MASTER without the VIP"
lab_ping_flowing 5 || fail "(c) no replies after ucarp's return"
echo "(c) plug: ucarp MASTER again, carpd BACKUP after $(lab_ms "$t" "$(lab_now)") ms (polled)"
pass
