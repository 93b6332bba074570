#!/bin/bash
# 039-vrrp-release: a carpd master that releases many 10 ms VRRPv3 groups
# at once keeps advertising, and keeps the addresses of, those it still
# holds.
#
# A (vrrpprio 150) runs VRID_N groups (default 64) at vrrpinterval 1, one
# IPv4 VIP each, mac-mode virtual, and holds them all.  B then starts with
# priority 200 in the first half of the groups and the default 100 in the
# rest, and preempts the first half.  A releases them: each release takes
# a macvlan down, which holds the kernel's RTNL lock for an RCU grace
# period (16 ms here).  A sent those from its event loop, one after the
# other, and stopped advertising for ~0.5 s (2 s at 255 groups): B took over
# the second half too, and A took it back.  The releases now go from the
# renewal thread (agent/netlink.c), and the renewals of the groups A keeps
# go before them (their 1 s lease must not run out behind the releases):
#   - in the second half B logs no take-over and adds no VIP, and A
#     releases none and loses no VIP, for 3 s after (VRID_FLAPS_MAX,
#     default 2, tolerates a loaded host's late delivery; the bug flapped
#     all of them);
#   - A released every group of the first half, B holds them and A the
#     others.
# A may take a few first-half groups back for a moment, printed, not
# failed: B's take-over waits for the RTNL lock, which A's releases hold
# 16 ms at a time, because the lab's namespaces share one kernel (two
# hosts do not), and a sanitized B can then miss A's Master_Down_Interval.
# Runs after 038: the kernel tears the namespaces' macvlans down for
# seconds after a test with many groups ends, and 038 times one take-over.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/carpd.sh"
N=${VRID_N:-64}
H=$((N / 2))
FLAPS_MAX=${VRID_FLAPS_MAX:-2}

lab_init
lab_switch
lab_node a 198.18.0.1/16
lab_node b 198.18.0.2/16

# conf NODE PRIO_FIRST_HALF PRIO_REST: the groups as rc.conf lines.
conf() { carpd_conf_groups "$1" "$N" "$3" "$H" "$2"; }
nvips() { carpd_nvips "$1"; }
# second NODE FILE PATTERN: lines of a carpd log naming a VRID above H.
second() {
	grep -- "$3" "$2" | awk -v h="$H" '
	    { for (i = 1; i <= NF; i++) if ($i ~ /^[0-9]+@/) {
		split($i, v, "@"); if (v[1] + 0 > h) n++; break } }
	    END { print n + 0 }'
}
# vip_events NODE WHAT: VIPs of the second half added (WHAT=add) or
# deleted (WHAT=del) in NODE's address monitor.
vip_events() {
	awk -v h="$H" -v what="$2" '
	    / inet 198\.18\.1\./ {
		del = ($0 ~ /Deleted/)
		if ((what == "del") != del) next
		for (i = 1; i <= NF; i++) if ($i ~ /^198\.18\.1\./) {
		    split($i, q, "[./]"); if (q[4] + 0 > h) n++ } }
	    END { print n + 0 }' "$LAB_DIR/addrmon-$1.log"
}

conf a 150 150
conf b 200 100
carpd_start a
wait_for 30 eval '[ "$(nvips a)" = '"$N"' ]' ||
    fail "a holds $(nvips a) of $N VIPs"
lab_addr_monitor_start a
lab_addr_monitor_start b
carpd_start b
wait_for 30 eval '[ "$(nvips b)" -ge '"$H"' ] && [ "$(nvips a)" -le '"$((N - H))"' ]' ||
    fail "after b's start b holds $(nvips b) and a $(nvips a) VIPs, want $H and $((N - H))"
sleep 3
down=$(grep -c "MASTER -> BACKUP" "$(carpd_log a)")
down2=$(second a "$(carpd_log a)" "MASTER -> BACKUP")
flaps=$(second b "$(carpd_log b)" "BACKUP -> MASTER")
adds=$(vip_events b add)
lost=$(vip_events a del)
lab_log "a released $down group(s), $((down - down2 - H)) of them again after taking them back; in the other $((N - H)): a released $down2, lost $lost VIP(s); b took over $flaps, added $adds VIP(s)"
[ "$flaps" -le "$FLAPS_MAX" ] ||
    fail "b took over $flaps groups a still held while a released $H: $(grep "BACKUP -> MASTER" "$(carpd_log b)" | tail -3 | tr '\n' ';')"
[ "$adds" -le "$FLAPS_MAX" ] || fail "b added $adds VIPs of groups a still held"
[ "$lost" -le "$FLAPS_MAX" ] || fail "a lost $lost VIPs of groups it still held"
[ "$down2" -le "$FLAPS_MAX" ] ||
    fail "a released $down2 groups of the half b does not preempt"
[ "$((down - down2))" -ge "$H" ] ||
    fail "a logged $((down - down2)) MASTER -> BACKUP in the first half, want $H"
[ "$(nvips a)" = "$((N - H))" ] || fail "a holds $(nvips a) VIPs, want $((N - H))"
[ "$(nvips b)" = "$H" ] || fail "b holds $(nvips b) VIPs, want $H"
pass
