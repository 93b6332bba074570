#!/bin/bash
# 093-auth-diag-ucarp: ucarp hashes its one IPv4 address only (§8.2 of
# the protocol notes), so a carpd VHID with an IPv6 address beside the
# same IPv4 one cannot verify ucarp's adverts.  carpd's diagnosis names
# what ucarp lacks: "carp: incorrect hash for VHID 1@eth0 from 192.0.2.51
# (the peer's address list differs: it lacks 2001:db8::111)", also in
# /v1/status.  Same password, so nothing else differs.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/carpd.sh"
VIP=192.0.2.111 V6=2001:db8::111
. "$(dirname "$0")/ucarp.sh"
IP_A=192.0.2.61 IP_B=192.0.2.51

lab_init
lab_switch
lab_node a $IP_A/24 2001:db8::61/64
lab_node b $IP_B/24
carpd_conf a <<CONF
ifconfig_eth0_alias0="inet vhid 1 advskew 100 pass test123 alias $VIP/24"
ifconfig_eth0_alias1="inet6 vhid 1 alias $V6/64"
CONF
carpd_start a
ucarp_start b $IP_B 0 test123
want="carp: incorrect hash for VHID 1@eth0 from $IP_B (the peer's address list differs: it lacks $V6)"
wait_for 8 grep -qF "$want" "$(carpd_log a)" ||
    { grep -F "incorrect hash" "$(carpd_log a)" | tail -3 >&2; fail "carpd's log does not name $V6"; }
echo "carpd: $(grep -m1 -F "$want" "$(carpd_log a)")"
[ "$(_vhid_json a 1 'v["auth_diagnosis"]["lacks"]')" = "$V6" ] ||
    fail "/v1/status: $(_vhid_json a 1 'v["auth_diagnosis"]')"
[ "$(_vhid_json a 1 'v["auth_diagnosis"]["from"]')" = "$IP_B" ] ||
    fail "/v1/status names another peer"
pass
