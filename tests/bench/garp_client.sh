#!/bin/bash
# tests/bench/garp_client.sh [RUNS [IMPL...]]: failover as seen by a client
# that ignores gratuitous ARP (as many PLCs, HMIs and embedded stacks do),
# for the virtual MAC and the interface's own MAC, in the namespace lab.
#
#   RUNS  repetitions (default: $BENCH_RUNS, else 1).  One run of all five
#         takes about 5 minutes: each own-MAC case waits 25-55 s per event
#         for the client's ARP entry to expire.
#   IMPL  any of (default: all, in this order)
#         carpd-vmac            carpd, mac-mode virtual (the default)
#         carpd-ifmac           carpd, mac-mode interface (the VIP on eth0,
#                               answered with the NIC's own MAC)
#         keepalived            keepalived, no use_vmac
#         keepalived-vmac       keepalived, use_vmac (adverts sent and
#                               received on the macvlan, from the vMAC)
#         keepalived-vmac-xmit  keepalived, use_vmac + vmac_xmit_base
#                               (adverts from eth0 with the NIC's MAC)
#   GARP_CAP=60   seconds to wait for the client's replies to resume after
#                 each event; beyond that the figure is ">60000" (CAP s)
#   CARPD=path    (default build/carpd; carpd is skipped if missing)
#   BENCH_VERBOSE=1  daemon command lines and logs, the client's ARP
#                    entries and the ARP frames it received
#
# Set-up: as tests/bench/failover.sh (nodes a 192.0.2.1 / b 192.0.2.2,
# advbase / advert_int 1 s, advskew 0 / 100 = priority 100 / 50, preemption
# on, VIP 192.0.2.111/24, vhid / VRID 1, the same keepalived command line),
# plus: the client c (192.0.2.10) drops every gratuitous ARP for the VIP
#   nft: table arp ... arp saddr ip VIP arp daddr ip VIP counter drop
# (tests/integration/vmac.sh, vmac_ignore_garp) and pings the VIP every
# 10 ms.  It learns the VIP's MAC only from ARP replies to its own requests.
# A fresh lab per implementation and run; the daemons run only inside its
# namespaces.  Its directory is /var/tmp/carpgarp.*, not /tmp/carplab.*.
#
# Events and figures (one RESULT line each; times in ms):
#   pull  a's switch port goes down (cable pull), b takes over.
#         garp_pull_outage_ms = longest gap between the client's ping
#           replies, from 1 s before the pull until they flow again;
#         noholder_ms = pull -> VIP added on b (address monitor): the time
#           nobody answered for the VIP;
#         garps_dropped = gratuitous ARPs the client dropped (counted 2 s
#           after the replies resumed, so a repeated GARP is included).
#   plug  a's port comes back up; a preempts, b releases the VIP.
#         garp_plugback_gap_ms = longest gap between replies, from 1 s
#           before the plug until they flow again;
#         release_ms = plug -> VIP deleted on b (address monitor).
# Each wait for the replies is capped at GARP_CAP seconds: ">60000".
# Besides the RESULT lines (stdout), one readable line per implementation
# and event goes to stderr.
[ -n "$BASH_VERSION" ] || exec bash "$0" "$@"

BENCH_DIR=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$BENCH_DIR/../.." && pwd)
. "$ROOT/tests/integration/lib.sh"
. "$ROOT/tests/integration/vmac.sh"

VIP=192.0.2.111
PASS=test123
CAP=${GARP_CAP:-60}
CARPD=${CARPD:-$ROOT/build/carpd}
IMPLS_ALL="carpd-vmac carpd-ifmac keepalived keepalived-vmac keepalived-vmac-xmit"
declare -A NODE_IP=([a]=192.0.2.1 [b]=192.0.2.2 [c]=192.0.2.10)
declare -A LABEL=(
	[carpd-vmac]="carpd, mac-mode virtual"
	[carpd-ifmac]="carpd, mac-mode interface"
	[keepalived]="keepalived, no use_vmac"
	[keepalived-vmac]="keepalived, use_vmac"
	[keepalived-vmac-xmit]="keepalived, use_vmac + vmac_xmit_base"
)

#
# carpd (through tests/integration/carpd.sh: own control socket, no AgentX)
#
impl_check_carpd() { [ -x "$CARPD" ] || skip "carpd binary $CARPD missing (make first)"; }
impl_start_carpd() {	# NODE ADVSKEW MACMODE
	local n=$1 skew=$2 mode=$3
	carpd_conf "$n" <<EOF
mac-mode $mode
net.inet.carp.preempt=1
ifconfig eth0 inet vhid 1 advbase 1 advskew $skew pass $PASS alias $VIP/24
EOF
	carpd_start "$n"
	echo "CMD $n: ip netns exec ${LAB_NS[$n]} $CARPD -d -f $LAB_DIR/carpd-$n.conf" >&2
	sed 's/^/CONF '"$n"': /' "$LAB_DIR/carpd-$n.conf" >&2
}

#
# keepalived (VRRPv2), started as tests/bench/failover.sh does; MODE is
# "" (no use_vmac), "vmac" or "vmac-xmit".  advskew 0 -> priority 100,
# advskew 100 -> 50.
#
impl_check_keepalived() { command -v keepalived >/dev/null || skip "keepalived not installed"; }
impl_start_keepalived() {	# NODE ADVSKEW MODE
	local n=$1 skew=$2 mode=$3 d="$LAB_DIR/keepalived-$1"
	local vmac= dev=" dev eth0"
	case $mode in
	vmac)		vmac="use_vmac"; dev= ;;
	vmac-xmit)	vmac="use_vmac
	vmac_xmit_base"; dev= ;;
	esac
	mkdir -p "$d"
	cat >"$d/keepalived.conf" <<EOF
global_defs {
	router_id bench_$n
	script_user root
}
vrrp_instance VI_1 {
	state BACKUP
	interface eth0
	$vmac
	virtual_router_id 1
	priority $(( 100 - skew / 2 ))
	advert_int 1
	authentication {
		auth_type PASS
		auth_pass ${PASS:0:8}
	}
	virtual_ipaddress {
		$VIP/24$dev
	}
}
EOF
	lab_bg "$n" "$d/log" keepalived -n -l -D -G -P -f "$d/keepalived.conf" \
	    -p "$d/keepalived.pid" -r "$d/vrrp.pid" -c "$d/checkers.pid" \
	    -b "$d/bfd.pid"
	echo "CMD $n: ip netns exec ${LAB_NS[$n]} keepalived -n -l -D -G -P -f $d/keepalived.conf -p $d/keepalived.pid -r $d/vrrp.pid -c $d/checkers.pid -b $d/bfd.pid" >&2
	sed 's/^/CONF '"$n"': /' "$d/keepalived.conf" >&2
}

impl_start() {	# NODE ADVSKEW
	case $IMPL in
	carpd-vmac)		impl_start_carpd "$1" "$2" virtual ;;
	carpd-ifmac)		impl_start_carpd "$1" "$2" interface ;;
	keepalived)		impl_start_keepalived "$1" "$2" "" ;;
	keepalived-vmac)	impl_start_keepalived "$1" "$2" vmac ;;
	keepalived-vmac-xmit)	impl_start_keepalived "$1" "$2" vmac-xmit ;;
	esac
}

#
# measuring
#
result() {	# EVENT-METRIC VALUE [extra]
	echo "RESULT impl=$IMPL metric=$1 value=$2 run=$RUN${3:+ $3}"
}

no_vip() { ! lab_has_addr "$1" "$VIP"; }
add() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.6f", a + b }'; }

# replies_after T: the client's ping replies received after epoch T
replies_after() {
	awk -v t="$1" -F'[][]' '/bytes from/ && $2 > t { n++ } END { print n + 0 }' \
	    "$LAB_PING_LOG"
}
_resumed() {
	[ -f "$LAB_PING_LOG" ] || fail "$LAB_PING_LOG is gone"
	[ "$(replies_after "$1")" -ge 5 ]
}

# resume_wait MARK DEADLINE: wait (until epoch DEADLINE) for 5 replies after
# epoch MARK; 1 if they never came.
resume_wait() {
	local left
	left=$(awk -v d="$2" -v n="$(lab_now)" 'BEGIN { s = d - n; printf "%.1f", (s > 0.1 ? s : 0.1) }')
	wait_for "$left" _resumed "$1"
}

# first_on NODE AFTER: start of NODE's first VIP interval at/after AFTER;
# last_off NODE AFTER: end of the interval that ends first at/after AFTER
first_on() {
	lab_addr_intervals "$VIP" "$1" | awk -v t="$2" \
	    '{ for (i = 2; i < NF; i += 2) if ($i >= t) { print $i; exit } }'
}
first_off() {
	lab_addr_intervals "$VIP" "$1" | awk -v t="$2" \
	    '{ for (i = 3; i <= NF; i += 2) if ($i >= t && $i != "inf") { print $i; exit } }'
}
ms_or_na() { if [ -n "$2" ]; then lab_ms "$1" "$2"; else echo NA; fi; }

verbose_state() {	# TAG: the client's ARP entry and where the bridge put the MACs
	echo "STATE $1: client $(lab_exec c ip neigh show "$VIP" 2>/dev/null)" >&2
	echo "STATE $1: fdb $(bridge -n "$LAB_SW" fdb show br br0 2>/dev/null |
	    grep -v permanent | tr '\n' ';')" >&2
	local n
	for n in a b; do
		echo "STATE $1: $n $(lab_exec $n ip -br addr show 2>/dev/null | grep -v '^lo' | tr '\n' ';')" >&2
	done
}

one() {
	lab_need nft bridge
	lab_init
	# Out of /tmp/carplab.*, which other sessions on a shared host sweep
	# for leftovers (as tests/chaos/chaos.sh does); the trap still
	# removes it.
	rmdir "$LAB_DIR"
	LAB_DIR=$(mktemp -d "/var/tmp/carpgarp.$LAB_P.XXXXXX") || fail "mktemp"
	lab_switch
	lab_node a "${NODE_IP[a]}/24"
	lab_node b "${NODE_IP[b]}/24"
	lab_node c "${NODE_IP[c]}/24"
	vmac_ignore_garp c "$VIP"
	# What the client receives (before its nft rule): ARP, as text.
	lab_bg c "$LAB_DIR/client-arp.txt" tcpdump -i eth0 -n -e -tt -l \
	    --immediate-mode arp
	wait_for 5 grep -qs 'listening on' "$LAB_DIR/client-arp.txt" ||
	    fail "tcpdump on c did not start"
	lab_addr_monitor_start a
	lab_addr_monitor_start b
	sleep 0.2
	impl_start a 0
	impl_start b 100
	wait_for 15 lab_has_addr a "$VIP" || fail "a never became master"
	sleep 3	# several adverts: b surely BACKUP
	no_vip b || fail "VIP on b too after the election"
	lab_ping_start c "$VIP"
	lab_ping_flowing 5 || fail "no ping replies from the VIP on a"
	sleep 1
	verbose_state start

	# Cable pull.
	local t_pull t_mark t_end d0 d1 gap nh
	d0=$(vmac_drops c)
	t_pull=$(lab_now)
	lab_cable_pull a
	wait_for 20 lab_has_addr b "$VIP" || fail "b did not take over after the pull"
	t_mark=$(lab_now)
	if resume_wait "$t_mark" "$(add "$t_pull" "$CAP")"; then
		t_end=$(lab_now)
		gap=$(lab_ping_gap "$LAB_PING_LOG" "$(add "$t_pull" -1)" "$t_end")
	else
		t_end=$(lab_now)
		gap=">$((CAP * 1000))"
	fi
	sleep 2	# the repeated GARPs, before counting the drops
	d1=$(vmac_drops c)
	nh=$(ms_or_na "$t_pull" "$(first_on b "$t_pull")")
	verbose_state pull
	result garp_pull_outage_ms "$gap" "noholder_ms=$nh garps_dropped=$((d1 - d0))"

	# Plug back: a preempts.
	local t_plug rel
	d0=$d1
	t_plug=$(lab_now)
	lab_cable_plug a
	wait_for 20 lab_has_addr a "$VIP" || fail "a did not take the VIP back"
	wait_for 20 no_vip b || fail "b kept the VIP after the plug"
	t_mark=$(lab_now)
	if resume_wait "$t_mark" "$(add "$t_plug" "$CAP")"; then
		t_end=$(lab_now)
		gap=$(lab_ping_gap "$LAB_PING_LOG" "$(add "$t_plug" -1)" "$t_end")
	else
		t_end=$(lab_now)
		gap=">$((CAP * 1000))"
	fi
	sleep 2
	d1=$(vmac_drops c)
	rel=$(ms_or_na "$t_plug" "$(first_off b "$t_plug")")
	verbose_state plug
	result garp_plugback_gap_ms "$gap" "release_ms=$rel garps_dropped=$((d1 - d0))"
	lab_ping_stop
	[ "$(vmac_drops c)" -ge 1 ] ||
	    echo "NOTE: the client dropped no gratuitous ARP at all" >&2
	echo "INTERVALS $(lab_addr_intervals "$VIP" a b | tr '\n' ';')" >&2
	if [ -n "$BENCH_VERBOSE" ]; then
		local f
		for f in "$LAB_DIR"/client-arp.txt "$LAB_DIR"/carpd-?.log "$LAB_DIR"/keepalived-?/log; do
			[ -f "$f" ] && sed "s|^|LOG ${f#$LAB_DIR/}: |" "$f" >&2
		done
	fi
	return 0
}

if [ "$1" = --one ]; then	# internal: one implementation, one run, own lab
	IMPL=$2 RUN=$3
	case $IMPL in
	carpd-*)	impl_check_carpd; . "$ROOT/tests/integration/carpd.sh" ;;
	keepalived*)	impl_check_keepalived ;;
	esac
	one
	exit 0
fi
[ "$1" = --one ] && exit 1	# a shell error aborted the block above

RUNS=${1:-${BENCH_RUNS:-1}}
shift $(( $# > 0 ? 1 : 0 ))
IMPLS=${*:-$IMPLS_ALL}
[ "$(id -u)" = 0 ] || { echo "needs root" >&2; exit 77; }
for IMPL in $IMPLS; do
	[ -n "${LABEL[$IMPL]}" ] || { echo "unknown impl $IMPL (one of: $IMPLS_ALL)" >&2; exit 2; }
done
echo "COMMAND $0 $RUNS${*:+ $*}"
[ -x "$CARPD" ] && echo "INFO carpd=$CARPD $("$CARPD" -V 2>&1 | head -1)"
rc=0 ran=0
for RUN in $(seq 1 "$RUNS"); do
	for IMPL in $IMPLS; do
		log=$(mktemp "/var/tmp/carpd-bench.garp.$IMPL.XXXXXX")
		timeout --kill-after=10 $((2 * CAP + 120)) bash "$0" --one "$IMPL" \
		    "$RUN" >"$log" 2>&1
		r=$?
		grep '^RESULT ' "$log"
		# One readable line per event.
		grep '^RESULT ' "$log" | awk -v l="${LABEL[$IMPL]}" '
			{ for (i = 2; i <= NF; i++) { split($i, kv, "="); f[kv[1]] = substr($i, length(kv[1]) + 2) } }
			f["metric"] == "garp_pull_outage_ms" {
				printf "%-40s cable pull: client outage %s ms (nobody held the VIP %s ms, %s GARPs dropped)\n", l, f["value"], f["noholder_ms"], f["garps_dropped"] }
			f["metric"] == "garp_plugback_gap_ms" {
				printf "%-40s plug-back:  client outage %s ms (b released the VIP %s ms after the plug, %s GARPs dropped)\n", l, f["value"], f["release_ms"], f["garps_dropped"] }' >&2
		if [ $r = 77 ]; then
			echo "SKIP impl=$IMPL: $(grep '^SKIP' "$log")" >&2
			rm -f "$log"
			continue
		fi
		if [ $r != 0 ]; then
			echo "ERROR impl=$IMPL run=$RUN exit=$r log=$log" >&2
			tail -n 30 "$log" >&2
			rc=1
			continue
		fi
		ran=1
		if [ -n "$BENCH_VERBOSE" ]; then
			grep -v '^RESULT ' "$log" >&2
		fi
		rm -f "$log"
	done
done
[ $rc = 0 ] && [ $ran = 0 ] && exit 77
exit $rc
