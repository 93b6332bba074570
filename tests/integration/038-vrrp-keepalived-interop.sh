#!/bin/bash
# 038-vrrp-keepalived-interop: carpd and Debian's keepalived in one VRRPv3
# virtual router each way round, in namespaces (issue 15).
#
# Node a has priority 150, node b 100 (the default), preemption on both
# (keepalived's default; carpd net.inet.carp.preempt=1), multicast, VRID 7
# with 192.0.2.254 (IPv4) and VRID 8 with 2001:db8::fe (IPv6); keepalived
# runs one instance per VRID (vrrp_version 3, advert_int = interval / 100),
# carpd one VHID each (carpver 3, vrrpprio, vrrpinterval).  Cases:
#
#   carpd on a (master), keepalived on b (backup), 10 ms: all four steps
#   keepalived on a (master), carpd on b (backup), 10 ms: all four steps
#   carpd master, keepalived backup, 1 s:   election, graceful stop
#   keepalived master, carpd backup, 1 s:   election, cable pull
#
# The 1 s cases add the other encoding of the interval (100 cs) and a
# master-down timer and a Skew_Time in the range where a wrong unit or a
# truncation would show (3.61 s and 0.61 s); pull and stop take the same
# code path at both intervals, so each runs once at 1 s.
#
# Steps, each for both families, timed from a capture on the switch:
#   election    a holds both VIPs, b none, a advertises (priority 150,
#               the configured interval), and b stays quiet while a's
#               adverts come on time: the backup accepted them (after a
#               silence of 3 intervals b may speak: see unprovoked);
#   cable pull  a's switch port goes down: b's first advert comes within
#               Master_Down_Interval of b (3 x I + (256-100)/256 x I)
#               + margin after a's last advert;
#   plug-back   the port comes up: a (higher priority, preempting) takes
#               back within Master_Down_Interval of a + link-up + margin
#               after the plug, and b falls silent within one interval +
#               margin + 50 ms of a's first advert;
#   stop        SIGTERM to a's daemon: it sends priority 0 and b's first
#               advert follows within Skew_Time of b + margin.
# Margins, for the side that acts (takes over, takes back, steps down):
#   carpd at 10 ms: 20 ms, the issue's cable-pull bar (3 x I + skew +
#     20 ms): the backup adds its addresses before its advert (RTNL,
#     shared with every other namespace on the host), a timer can fire a
#     scheduler tick (4 ms at HZ 250) late, and the two cores are shared
#     with the rest of the suite;
#   keepalived at 10 ms: 60 ms.  Its timing is not under test (only that
#     it kept carpd's 10 ms interval: a wrong unit or interval would show
#     as 3.6 s), and it is slower than the RFC's bound: its IPv6 take-over
#     came 45-61 ms after the master's last advert on this host under
#     load (IPv4 36-51 ms).  Its VRRP process runs SCHED_RR
#     (vrrp_rt_priority, with vrrp_rlimit_rttime raised so that its start
#     is not killed): at nice 0 or -10 on a loaded host it stalled 40-70 ms
#     between adverts as master and flapped as backup, which tested the
#     host, not carpd.  carpd runs as any daemon does, at nice 0;
#   both at 1 s: 150 ms, the same loads against keepalived's coarser
#     timer thread.
# The link-up allowance is 100 ms: carrier comes back through netlink
# (both daemons), and keepalived leaves FAULT only then.
#
# Neither side may count a protocol error: carpd's node drop counters
# (carpctl --json status) stay 0 and keepalived's log has none of its
# receive-check messages (bad checksum, TTL, version, length, address
# count or list).
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/carpd.sh"
lab_need keepalived
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
GAPS=$ROOT/tests/bench/vrrp_gaps.py
VIP4=192.0.2.254 VIP6=2001:db8::fe
declare -A PRIO=([a]=150 [b]=100) IMPL=() KA_PID=()

lab_init
lab_switch
lab_node a 192.0.2.1/24 2001:db8::1/64
lab_node b 192.0.2.2/24 2001:db8::2/64
ll() { lab_exec "$1" ip -6 -o addr show dev eth0 scope link | awk '{ print $4 }' | cut -d/ -f1; }
declare -A SRC4=([a]=192.0.2.1 [b]=192.0.2.2) SRC6=([a]=$(ll a) [b]=$(ll b))
[ -n "${SRC6[a]}" ] && [ -n "${SRC6[b]}" ] || fail "no link-local addresses"

ka_start() {	# NODE CS
	local n=$1 d="$LAB_DIR/keepalived-$1" ai
	ai=$(awk -v c="$2" 'BEGIN { printf "%.2f", c / 100 }')
	mkdir -p "$d"
	cat >"$d/keepalived.conf" <<KA
global_defs {
	router_id lab_$n
	vrrp_version 3
	vrrp_rt_priority 50
	vrrp_rlimit_rttime 2000000
}
vrrp_instance V4 {
	state BACKUP
	interface eth0
	virtual_router_id 7
	priority ${PRIO[$n]}
	advert_int $ai
	virtual_ipaddress {
		$VIP4/24 dev eth0
	}
}
vrrp_instance V6 {
	state BACKUP
	interface eth0
	virtual_router_id 8
	priority ${PRIO[$n]}
	advert_int $ai
	virtual_ipaddress {
		$VIP6/64 dev eth0
	}
}
KA
	lab_bg "$n" "$d/log.$CASE" keepalived -n -l -D -f "$d/keepalived.conf" \
	    -p "$d/keepalived.pid" -r "$d/vrrp.pid" -c "$d/checkers.pid" \
	    -b "$d/bfd.pid"
	KA_PID[$n]=$LAB_LASTPID
}

cd_start() {	# NODE CS
	carpd_conf "$1" <<EOF
net.inet.carp.preempt=1
ifconfig_eth0_alias0="inet vhid 7 carpver 3 vrrpprio ${PRIO[$1]} vrrpinterval $2 alias $VIP4/24"
ifconfig_eth0_alias1="inet6 vhid 8 carpver 3 vrrpprio ${PRIO[$1]} vrrpinterval $2 alias $VIP6/64"
EOF
	carpd_start "$1"
}

start() {	# NODE IMPL CS
	IMPL[$1]=$2
	case $2 in
	carpd)		cd_start "$1" "$3" ;;
	keepalived)	ka_start "$1" "$3" ;;
	esac
}

stop() {	# NODE [SIG]
	case ${IMPL[$1]} in
	carpd)		carpd_stop "$1" "${2:-TERM}" ;;
	keepalived)
		kill -"${2:-TERM}" "${KA_PID[$1]}" 2>/dev/null
		_lab_wait_gone 10 "${KA_PID[$1]}" ||
		    fail "keepalived on $1 did not stop" ;;
	esac
	IMPL[$1]=
}

holds() { lab_has_addr "$1" $VIP4 && lab_has_addr "$1" $VIP6; }
holds_none() { ! lab_has_addr "$1" $VIP4 && ! lab_has_addr "$1" $VIP6; }
now() { lab_now; }
# margin IMPL CS: the allowance over the RFC's bound for the side that acts
# (see the head comment)
margin() {
	if [ "$2" -ge 100 ]; then echo 150
	elif [ "$1" = carpd ]; then echo 20
	else echo 60
	fi
}
fadd() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", a + b }'; }

# The capture as lines "TIME FAMILY SRC VRID PRIO INTERVAL COUNT".
adverts() { "$PY" "$GAPS" list "$LAB_CAP_FILE"; }
# first NODE FAM AFTER [PRIO-TEST]: time of NODE's first advert of family
# FAM at or after epoch AFTER ("" if none); last NODE FAM BEFORE likewise.
src_of() { if [ "$2" = 4 ]; then echo "${SRC4[$1]}"; else echo "${SRC6[$1]}"; fi; }
first() {
	adverts | awk -v s="$(src_of "$1" "$2")" -v f="$2" -v t="$3" -v p="${4:-any}" \
	    '$2 == f && $3 == s && $1 >= t && (p == "any" || (p == "zero") == ($5 == 0)) { print $1; exit }'
}
last() {
	adverts | awk -v s="$(src_of "$1" "$2")" -v f="$2" -v t="$3" -v p="${4:-any}" \
	    '$2 == f && $3 == s && $1 <= t && (p == "any" || (p == "zero") == ($5 == 0)) { x = $1 } END { print x }'
}
maxgap() {	# NODE FAM FROM TO: longest gap between NODE's adverts, ms
	adverts | awk -v s="$(src_of "$1" "$2")" -v f="$2" -v a="$3" -v b="$4" \
	    '$2 == f && $3 == s && $1 >= a && $1 <= b { if (p != "" && $1 - p > g) g = $1 - p; p = $1 }
	    END { printf "%.1f", g * 1000 }'
}
# unprovoked FAM FROM TO GAP_MS: b's adverts in [FROM, TO] that came less
# than GAP_MS (3 intervals) after a's last advert.  A backup that speaks
# after a longer silence of the master does what the protocol says (the
# master stalled: under load keepalived's did, 40-100 ms, even at
# SCHED_RR); one that speaks while the master's adverts come did not
# accept them.
unprovoked() {
	adverts | awk -v sa="$(src_of a "$1")" -v sb="$(src_of b "$1")" \
	    -v f="$1" -v a="$2" -v b="$3" -v g="$4" '
	    $2 != f || $1 > b { next }
	    $3 == sa { la = $1 }
	    $3 == sb && $1 >= a && la != "" && ($1 - la) * 1000 < g { n++ }
	    END { print n + 0 }'
}
count() {	# NODE FAM FROM TO: adverts of NODE in [FROM, TO]
	adverts | awk -v s="$(src_of "$1" "$2")" -v f="$2" -v a="$3" -v b="$4" \
	    '$2 == f && $3 == s && $1 >= a && $1 <= b { n++ } END { print n + 0 }'
}
# stepdown FAM A_FIRST GAP_MS: b's last advert (ms after A_FIRST, a's first
# advert after the plug-back) while a advertises without a gap longer than
# GAP_MS (3 intervals).  After such a gap b may rightly take over again:
# keepalived's first adverts as master come irregularly, and b's timer runs
# from the advert's arrival, which the capture sees a little earlier
# (printed, not counted).
stepdown() {
	adverts | awk -v sa="$(src_of a "$1")" -v sb="$(src_of b "$1")" \
	    -v f="$1" -v t="$2" -v mdi="$3" '
	    $2 != f || $1 < t { next }
	    $3 == sa { if (pa != "" && ($1 - pa) * 1000 > mdi && !stall) stall = pa; pa = $1 }
	    $3 == sb && !stall { lb = $1 }
	    $3 == sb && stall { again++ }
	    END {
		if (again) printf "(b advertised %d times after a %.1f ms gap in a'"'"'s adverts) ", again, (stall - t) * 1000 > "/dev/stderr"
		printf "%.1f", lb == "" ? -1 : (lb - t) * 1000
	    }'
}
ms() { awk -v a="$1" -v b="$2" 'BEGIN { if (a == "" || b == "") print "NA"; else printf "%.1f", (b - a) * 1000 }'; }
# check WHAT MS BOUND_MS
check() {
	echo "$CASE: $1: $2 ms (bound $3 ms)"
	awk -v v="$2" -v b="$3" 'BEGIN { exit !(v != "NA" && v + 0 <= b + 0) }' ||
	    fail "$CASE: $1: $2 ms, bound $3 ms"
}
# skew PRIO CS / mdi PRIO CS: Skew_Time and Master_Down_Interval in ms
skew() { awk -v p="$1" -v c="$2" 'BEGIN { printf "%.2f", (256 - p) / 256 * c * 10 }'; }
mdi() { awk -v p="$1" -v c="$2" 'BEGIN { printf "%.2f", 3 * c * 10 + (256 - p) / 256 * c * 10 }'; }

# No protocol error on either side.
errors() {
	local n
	for n in a b; do
		case ${IMPL[$n]} in
		carpd)
			local d
			d=$("$CARPCTL" -s "$(carpd_sock "$n")" --json status |
			    "$PY" -c 'import json, sys
d = json.load(sys.stdin)["node"]["counters"]["dropped"]
print(" ".join("%s=%d" % kv for kv in sorted(d.items()) if kv[1]))')
			[ -z "$d" ] || fail "$CASE: carpd on $n dropped adverts: $d" ;;
		keepalived)
			! grep -E 'Invalid VRRPv3 checksum|invalid TTL|wrong version|Invalid packet type|unexpected ip number count|ip_tot_len mismatch|not present in MASTER advert|packet too (long|short)|Expected (multicast|unicast)' \
			    "$LAB_DIR/keepalived-$n/log.$CASE" ||
			    fail "$CASE: keepalived on $n logged protocol errors" ;;
		esac
	done
}

run_case() {	# MASTER-IMPL CS STEPS...
	local ia=$1 cs=$2 ib fam t t0 x y
	shift 2
	ib=keepalived; [ "$ia" = keepalived ] && ib=carpd
	CASE="$ia-a,$ib-b,${cs}cs"
	local iv=$((cs * 10)) linkup=100
	declare -gA MARGIN=()
	MARGIN[a]=$(margin "$ia" "$cs"); MARGIN[b]=$(margin "$ib" "$cs")
	lab_capture_start "$LAB_DIR/cap-${ia}-$cs.pcap"
	start a "$ia" "$cs"
	start b "$ib" "$cs"

	# Election.
	wait_for $((5 + cs / 10)) holds a || fail "$CASE: a never held both VIPs"
	t0=$(now)
	sleep $(awk -v c="$cs" 'BEGIN { print (c < 10 ? 0.5 : 4 * c / 100) }')
	t=$(now)
	holds_none b || fail "$CASE: b holds a VIP as backup"
	for fam in 4 6; do
		x=$(count a $fam "$t0" "$t"); y=$(count b $fam "$t0" "$t")
		echo "$CASE: election: IPv$fam adverts a $x, b $y; a's longest gap $(maxgap a $fam "$t0" "$t") ms"
		[ "$x" -ge 3 ] || fail "$CASE: a sent $x IPv$fam adverts"
		y=$(unprovoked $fam "$t0" "$t" $((3 * cs * 10)))
		[ "$y" = 0 ] || fail "$CASE: b advertised IPv$fam $y times as backup while a's adverts came on time"
	done
	adverts | awk -v s="${SRC4[a]} ${SRC6[a]}" -v t="$t0" -v c="$cs" '
	    $1 >= t && index(" " s " ", " " $3 " ") && ($5 != 150 || $6 != c || $7 != 1) { print; bad++ }
	    END { exit bad > 0 }' || fail "$CASE: a's adverts: wrong fields"
	if [ "$ib" = carpd ]; then
		[ "$(vhid_state b 7)" = BACKUP ] && [ "$(vhid_state b 8)" = BACKUP ] ||
		    fail "$CASE: carpd on b: $(vhid_state b 7) $(vhid_state b 8)"
	fi
	errors

	local step
	for step in "$@"; do
		case $step in
		pull)
			t=$(now)
			lab_cable_pull a
			wait_for $((2 + cs / 20)) holds b || fail "$CASE: b did not take over"
			sleep 0.3
			for fam in 4 6; do
				x=$(last a $fam "$t"); y=$(first b $fam "$t")
				echo "$CASE: a's longest IPv$fam gap in the 0.5 s before the pull: $(maxgap a $fam "$(fadd "$t" -0.5)" "$t") ms"
				check "cable pull IPv$fam: b's first advert after a's last" \
				    "$(ms "$x" "$y")" "$(fadd "$(mdi 100 "$cs")" "${MARGIN[b]}")"
			done
			errors ;;
		plug)
			t=$(now)
			lab_cable_plug a
			wait_for $((2 + cs / 20)) holds a || fail "$CASE: a did not take back"
			wait_for 2 holds_none b || fail "$CASE: b kept a VIP"
			sleep 0.3
			for fam in 4 6; do
				x=$(first a $fam "$t")
				check "plug-back IPv$fam: a's first advert after the plug" \
				    "$(ms "$t" "$x")" "$(fadd "$(mdi 150 "$cs")" $((MARGIN[a] + linkup)))"
				y=$(stepdown "$fam" "$x" $((3 * iv)))
				# One interval + margin + 50 ms: in CI, with
				# carpd under ASan on b after the rest of the
				# suite, b's last advert came 32-47 ms after
				# a's first at 10 ms (2 runs of 3); not
				# explained yet (issue 15's notes).  A b that
				# ignored a's priority would advertise on.
				check "plug-back IPv$fam: b's last advert after a's first" \
				    "$y" "$(fadd $((iv + 50)) "${MARGIN[b]}")"
			done
			errors ;;
		stop)
			errors	# carpd's counters before it goes
			t=$(now)
			stop a
			wait_for $((2 + cs / 20)) holds b || fail "$CASE: b did not take over"
			sleep 0.3
			for fam in 4 6; do
				x=$(first a $fam "$t" zero)
				[ -n "$x" ] || fail "$CASE: no priority-0 IPv$fam advert from a"
				y=$(first b $fam "$x")
				check "stop IPv$fam: b's first advert after a's priority 0" \
				    "$(ms "$x" "$y")" "$(fadd "$(skew 100 "$cs")" "${MARGIN[b]}")"
			done
			errors ;;
		esac
	done
	lab_capture_stop
	[ -n "${IMPL[a]}" ] && stop a
	stop b
	for n in a b; do
		lab_exec $n ip addr del $VIP4/24 dev eth0 2>/dev/null
		lab_exec $n ip addr del $VIP6/64 dev eth0 2>/dev/null
	done
	lab_cable_plug a
	wait_for 5 lab_carrier a || fail "a has no carrier"
	echo "$CASE: done"
}

run_case carpd 1 pull plug stop
run_case keepalived 1 pull plug stop
run_case carpd 100 stop
run_case keepalived 100 pull
pass
