#!/bin/bash
# 036-vrrp-keepalived: carpd's VRRPv3 codec (carp/vrrp_pkt.c) against the
# adverts of an independent implementation.  Two keepalived 2.2.7 nodes run
# VRRPv3 (VRID 7, 500 ms, one IPv4 and one IPv6 instance); a capture on the
# switch records their adverts, including the priority-0 adverts that the
# master sends when it stops, and the new master's.  Every captured advert
# must be accepted by carpd's decoder and verifier (pseudo-header checksum,
# address count), decode to the configured VRID, priority, interval and
# address, carry TTL/hop limit 255, and be rebuilt byte for byte by carpd's
# encoder from the decoded fields.  A corrupted copy is refused.
. "$(dirname "$0")/lib.sh"
lab_need keepalived cc
ROOT=$(cd "$(dirname "$0")/../.." && pwd)

lab_init
lab_switch
lab_node a 192.0.2.1/24 2001:db8::1/64
lab_node b 192.0.2.2/24 2001:db8::2/64
VIP4=192.0.2.254 VIP6=2001:db8::fe

cc -std=c11 -D_GNU_SOURCE -Wall -Wextra -Werror -I"$ROOT" \
    -o "$LAB_DIR/vrrptool" "$ROOT/tests/integration/vrrptool.c" \
    "$ROOT/carp/vrrp_pkt.c" || fail "cannot build vrrptool"
VT=$LAB_DIR/vrrptool

declare -A KA_PID=()
ka_start() {	# NODE PRIORITY
	local n=$1 d="$LAB_DIR/keepalived-$1"
	mkdir -p "$d"
	cat >"$d/keepalived.conf" <<KA
global_defs {
	router_id lab_$n
	vrrp_version 3
}
vrrp_instance V4 {
	state BACKUP
	interface eth0
	virtual_router_id 7
	priority $2
	advert_int 0.5
	virtual_ipaddress {
		$VIP4/24 dev eth0
	}
}
vrrp_instance V6 {
	state BACKUP
	interface eth0
	virtual_router_id 7
	priority $2
	advert_int 0.5
	virtual_ipaddress {
		$VIP6/64 dev eth0
	}
}
KA
	lab_bg "$n" "$d/log" keepalived -n -l -D -P -f "$d/keepalived.conf" \
	    -p "$d/keepalived.pid" -r "$d/vrrp.pid" -c "$d/checkers.pid" \
	    -b "$d/bfd.pid"
	KA_PID[$n]=$LAB_LASTPID
}

lab_capture_start
ka_start a 150
ka_start b 100
wait_for 10 lab_has_addr a $VIP4 || fail "keepalived on A never took $VIP4"
wait_for 5 lab_has_addr a $VIP6 || fail "keepalived on A never took $VIP6"
sleep 3
kill -TERM "${KA_PID[a]}"
_lab_wait_gone 5 "${KA_PID[a]}" || fail "keepalived on A did not stop"
wait_for 5 lab_has_addr b $VIP4 || fail "keepalived on B never took $VIP4"
wait_for 5 lab_has_addr b $VIP6 || fail "keepalived on B never took $VIP6"
sleep 2
lab_capture_stop

# The adverts as captured: TIME SRC DST TTL HEX, bytes straight off the
# frame (no dissector rebuilds them).
"$PY" - "$LAB_CAP_FILE" >"$LAB_DIR/vrrp.txt" <<'PY' || fail "pcap read"
import ipaddress, logging, sys
logging.getLogger("scapy.runtime").setLevel(logging.ERROR)
from scapy.utils import RawPcapReader
for data, meta in RawPcapReader(sys.argv[1]):
    t = meta.sec + meta.usec / 1e6 if hasattr(meta, "sec") else meta[0] + meta[1] / 1e6
    et = int.from_bytes(data[12:14], "big")
    ip = data[14:]
    if et == 0x0800 and ip[9] == 112:
        ihl = (ip[0] & 15) * 4
        tot = int.from_bytes(ip[2:4], "big")
        src, dst = ipaddress.ip_address(ip[12:16]), ipaddress.ip_address(ip[16:20])
        ttl, msg = ip[8], ip[ihl:tot]
    elif et == 0x86dd and ip[6] == 112:
        plen = int.from_bytes(ip[4:6], "big")
        src, dst = ipaddress.ip_address(ip[8:24]), ipaddress.ip_address(ip[24:40])
        ttl, msg = ip[7], ip[40:40 + plen]
    else:
        continue
    if not msg or msg[0] >> 4 != 3:
        continue
    print("%.6f %s %s %d %s" % (t, src, dst, ttl, msg.hex()))
PY
n=$(wc -l <"$LAB_DIR/vrrp.txt")
[ "$n" -ge 10 ] || fail "only $n VRRPv3 adverts captured"
ll_a=$(lab_exec a ip -6 -o addr show dev eth0 scope link | awk '{ print $4 }' | cut -d/ -f1)
ll_b=$(lab_exec b ip -6 -o addr show dev eth0 scope link | awk '{ print $4 }' | cut -d/ -f1)
declare -A seen=()
bad=0
while read -r t src dst ttl hex; do
	out=$("$VT" "$src" "$dst" "$hex") || { echo "refused: $src $dst $hex: $out"; bad=$((bad + 1)); continue; }
	[ "$ttl" = 255 ] || { echo "TTL $ttl: $src $hex"; bad=$((bad + 1)); }
	case $out in *" same=yes") ;; *) echo "not rebuilt byte for byte: $src $hex: $out"; bad=$((bad + 1)) ;; esac
	set -- $out
	prio=${3#prio=}
	case $src in
	192.0.2.1|"$ll_a") node=a ;;
	192.0.2.2|"$ll_b") node=b ;;
	*) echo "advert from $src"; bad=$((bad + 1)); continue ;;
	esac
	case $src in *:*) fam=6 want=$VIP6 ;; *) fam=4 want=$VIP4 ;; esac
	[ "$2 $4 $5" = "vrid=7 interval=50 addrs=$want" ] ||
	    { echo "fields: $src: $out"; bad=$((bad + 1)); }
	seen[$node$fam$prio]=$(( ${seen[$node$fam$prio]:-0} + 1 ))
done <"$LAB_DIR/vrrp.txt"
for k in "${!seen[@]}"; do echo "adverts node/family/priority $k: ${seen[$k]}"; done | sort
[ "$bad" = 0 ] || fail "$bad of $n adverts refused or misread"
for k in a4150 a6150 b4100 b6100; do
	[ "${seen[$k]:-0}" -ge 2 ] || fail "no adverts for $k"
done
[ "${seen[a40]:-0}" -ge 1 ] && [ "${seen[a60]:-0}" -ge 1 ] ||
    fail "no priority-0 advert from the stopping master"
echo "$n keepalived adverts: each accepted, decoded and rebuilt byte for byte"

# A corrupted copy of the first one is refused by the checksum.
read -r t src dst ttl hex < "$LAB_DIR/vrrp.txt"
last=${hex: -2}
flip=$(printf '%02x' $(( 0x$last ^ 1 )))
out=$("$VT" "$src" "$dst" "${hex%??}$flip") && fail "a corrupted advert was accepted: $out"
[ "$out" = "drop=badsum" ] || fail "a corrupted advert: $out"
pass
