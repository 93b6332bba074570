#!/bin/bash
# 091-ledger-ucarp: ucarp sees carpd's demotion through the advskew on the
# wire.  A runs carpd (advskew 0, preempt on), B ucarp (advskew 100, -P:
# preempt), one VHID.  carpd is MASTER; an entry of weight 200 with an
# expiry makes A advertise advskew 200: ucarp, now the better, takes over;
# when the entry expires A advertises 0 again and preempts back.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/carpd.sh"
VIP=192.0.2.111
. "$(dirname "$0")/ucarp.sh"
[ -x "$CARPCTL" ] || skip "no $CARPCTL (run make)"
IP_A=192.0.2.61 IP_B=192.0.2.51

lab_init
lab_switch
lab_node a $IP_A/24
lab_node b $IP_B/24
carpd_conf a <<CONF
net.inet.carp.preempt=1
ifconfig_eth0_alias0="inet vhid 1 advskew 0 pass test123 alias $VIP/24"
CONF

lab_capture_start
carpd_start a
carpd_wait a 1 MASTER 6 || fail "carpd did not become MASTER"
ucarp_start b $IP_B 100 test123 -P
sleep 3
[ "$(ucarp_state b)" = BACKUP ] || fail "ucarp is '$(ucarp_state b)', want BACKUP"
grep -q "Bad digest" "$(ucarp_log b)" && fail "ucarp rejects carpd's adverts"

t=$(lab_now)
"$CARPCTL" -s "$(carpd_sock a)" demotion add upgrade 200 -r "upgrade" \
    --for 8 >/dev/null || fail "carpctl demotion add"
ucarp_wait b MASTER 6 || fail "ucarp did not take over from the demoted carpd"
carpd_wait a 1 BACKUP 3 || fail "carpd did not step down"
echo "ucarp MASTER $(lab_ms "$t" "$(lab_now)") ms after the entry (polled)"
wait_for 15 grep -q 'ledger: upgrade expired' "$(carpd_log a)" ||
    fail "the entry did not expire"
carpd_wait a 1 MASTER 6 || fail "carpd did not preempt back"
ucarp_wait b BACKUP 6 || fail "ucarp did not go back to BACKUP"
lab_capture_stop
# The wire: carpd's advskew 0, then 200 while the entry held, then 0.
lab_adverts "$LAB_CAP_FILE" --src $IP_A >"$LAB_DIR/adverts.txt" ||
    fail "pcap_adverts.py"
seq=$(awk '$2 == "carp" { print $6 }' "$LAB_DIR/adverts.txt" | uniq | tr '\n' ' ')
echo "carpd's advskew on the wire, in turn: $seq"
[ "$seq" = "0 200 0 " ] || fail "advskew sequence '$seq', want '0 200 0 '"
pass
