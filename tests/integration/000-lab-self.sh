#!/bin/bash
# 000-lab-self: the lab library itself, without any CARP implementation.
# Root namespace untouched, nodes reach each other (v4 + v6), cable pull
# drops carrier, capture + analysers work, cleanup removes everything.
. "$(dirname "$0")/lib.sh"

root_links() { ip -o link show | awk -F': ' '{ print $2 }' | sort | tr '\n' ' '; }
before=$(root_links)

# Cleanup check in a child: processes in the namespaces die, ns are gone.
out=$(bash -c '
	. "'"$LAB_LIBDIR"'/lib.sh"
	lab_init; lab_switch; lab_node x 198.51.100.1/24
	lab_bg x /dev/null sleep 300
	echo "$LAB_P $LAB_LASTPID $LAB_DIR"
	exit 0')
read -r p pid dir <<<"$out"
[ -n "$pid" ] || fail "child lab did not start"
wait_for 3 eval '! kill -0 '"$pid"' 2>/dev/null' || fail "process $pid survived cleanup"
ip netns list | grep -q "^$p" && fail "namespaces of $p survived cleanup"
[ -e "$dir" ] && fail "temp dir $dir survived cleanup"

lab_init
lab_switch
lab_node a 198.51.100.1/24 2001:db8:1::1/64
lab_node b 198.51.100.2/24 2001:db8:1::2/64
[ "$(root_links)" = "$before" ] || fail "root namespace links changed: $(root_links)"
lab_exec a ip -br link show dev eth0 | grep -q '^eth0' || fail "no eth0 in a"

lab_capture_start
lab_exec a ping -n -c 2 -i 0.2 -W 1 198.51.100.2 >/dev/null || fail "v4 a -> b"
lab_exec a ping -n -c 2 -i 0.2 -W 1 2001:db8:1::2 >/dev/null || fail "v6 a -> b"
lab_has_addr a 198.51.100.1 || fail "lab_has_addr v4"
lab_has_addr a 2001:db8:1::1 || fail "lab_has_addr v6"
lab_has_addr a 198.51.100.2 && fail "lab_has_addr false positive"

# Cable pull: carrier off in the node, traffic stops; plug: back.
lab_cable_pull a
wait_for 2 eval '! lab_carrier a' || fail "carrier still up after pull"
lab_exec a ping -n -c 1 -W 1 198.51.100.2 >/dev/null && fail "ping works with cable pulled"
lab_cable_plug a
wait_for 2 lab_carrier a || fail "no carrier after plug"
wait_for 5 lab_exec a ping -n -c 1 -W 1 198.51.100.2 >/dev/null || fail "no ping after plug"

# wait_for is bounded.
t0=$(lab_now)
wait_for 0.3 false && fail "wait_for false succeeded"
ms=$(lab_ms "$t0" "$(lab_now)")
[ "$ms" -ge 250 ] && [ "$ms" -lt 1500 ] || fail "wait_for 0.3 took $ms ms"

# Gap analyser on a synthetic log.
printf '%s\n' 'PING x' '[100.000] 64 bytes from x: icmp_seq=1' \
    '[100.010] 64 bytes from x: icmp_seq=2' '[100.530] 64 bytes from x: icmp_seq=3' \
    '[100.540] 64 bytes from x: icmp_seq=4' >"$LAB_DIR/p.log"
[ "$(lab_ping_gap "$LAB_DIR/p.log")" = 520 ] || fail "gap analyser"
[ "$(lab_ping_gap "$LAB_DIR/p.log" 100.5 100.6)" = 60 ] || fail "gap analyser window"

# A forged CARP advert (vhid 7, advbase 2, advskew 9) and a GARP, seen on
# the bridge by the capture analyser.
lab_exec a "$PY" - <<'EOF' || fail "scapy send"
import logging; logging.getLogger("scapy.runtime").setLevel(logging.ERROR)
from scapy.all import Ether, IP, ARP, Raw, sendp, get_if_hwaddr
mac = get_if_hwaddr("eth0")
carp = bytes([0x21, 7, 9, 7, 0, 2, 0, 0]) + bytes(28)
sendp(Ether(src=mac, dst="01:00:5e:00:00:12") /
      IP(src="198.51.100.1", dst="224.0.0.18", ttl=255, proto=112) / Raw(carp),
      iface="eth0", verbose=False)
sendp(Ether(src=mac, dst="ff:ff:ff:ff:ff:ff") /
      ARP(op=1, hwsrc=mac, psrc="198.51.100.9", pdst="198.51.100.9"),
      iface="eth0", verbose=False)
EOF
sleep 0.3
lab_capture_stop
adv=$(lab_adverts "$LAB_CAP_FILE" --garp)
echo "$adv"
echo "$adv" | grep -q ' carp 198.51.100.1 7 2.000000 9$' || fail "advert not decoded"
echo "$adv" | grep -q ' garp 198.51.100.9 ' || fail "GARP not listed"
pass "000-lab-self"
