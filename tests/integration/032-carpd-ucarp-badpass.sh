#!/bin/bash
# 032-carpd-ucarp-badpass: carpd (pass test123) and ucarp (pass wrong123)
# on one VHID: each rejects the other's adverts, both become MASTER, and
# each says why: ucarp "Bad digest - md2=[...] md=[...] - Check vhid,
# password and virtual IP address", carpd "carp: incorrect hash for VHID
# 1@eth0 from 192.0.2.51 (wrong password or address list)".
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/carpd.sh"
VIP=192.0.2.111
. "$(dirname "$0")/ucarp.sh"
IP_A=192.0.2.61 IP_B=192.0.2.51

lab_init
lab_switch
lab_node a $IP_A/24
lab_node b $IP_B/24
carpd_conf a <<CONF
ifconfig_eth0_alias0="inet vhid 1 advskew 0 pass test123 alias $VIP/24"
CONF
carpd_start a
ucarp_start b $IP_B 100 wrong123
carpd_wait a 1 MASTER 6 || fail "carpd did not become MASTER"
ucarp_wait b MASTER 8 || fail "ucarp did not become MASTER (it cannot check carpd's adverts)"
sleep 2
[ "$(carpd_state a 1)" = MASTER ] && [ "$(ucarp_state b)" = MASTER ] ||
    fail "not both MASTER: carpd $(carpd_state a 1), ucarp $(ucarp_state b)"
lab_has_addr a "$VIP" && lab_has_addr b "$VIP" || fail "not both hold the VIP"
grep -q "Bad digest - md2=\[[0-9a-f]*\.\.\.\] md=\[[0-9a-f]*\.\.\.\]" "$(ucarp_log b)" ||
    fail "ucarp's log lacks 'Bad digest'"
grep -qF "carp: incorrect hash for VHID 1@eth0 from $IP_B (wrong password or address list)" \
    "$(carpd_log a)" || fail "carpd's log lacks the incorrect-hash line"
echo "both MASTER"
echo "  ucarp: $(grep -m1 "Bad digest" "$(ucarp_log b)")"
echo "  carpd: $(grep -m1 "incorrect hash" "$(carpd_log a)")"
pass
