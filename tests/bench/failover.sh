#!/bin/bash
# tests/bench/failover.sh IMPL [RUNS]: failover baselines in the namespace lab.
#
#   IMPL = ucarp | keepalived | carpd     RUNS = repetitions (default 1)
#   SCENARIOS="pull stop kill" (default: all three)
#   CARPD=path (default build/carpd; carpd is skipped, exit 77, if missing)
#
# Topology (tests/integration/lib.sh): nodes a (192.0.2.1, advskew 0 /
# VRRP priority 100) and b (192.0.2.2, advskew 100 / priority 50), both with
# preemption, VIP 192.0.2.111/24 on eth0, advbase / advert_int 1 s, client
# c (192.0.2.10) pinging the VIP every 10 ms; capture on the bridge;
# `ip -ts monitor address` in a and b timestamps every VIP add/delete.
#
# Scenarios and metrics (one "RESULT impl=.. metric=.. value=.. run=.." line
# each; times in ms):
#   pull  cable pull of the master a (its switch port goes down), then plug
#         back.
#         takeover_lag_ms  = b's first advert - (a's last advert before the
#                            pull + master-down interval of b), from the
#                            capture.  Master-down: CARP (ucarp, carpd)
#                            3*advbase + advskew/256 = 3.390625 s;
#                            VRRPv2 (keepalived) 3*advert_int +
#                            (256-priority)/256*advert_int = 3.8047 s.
#         pull_vip_ms      = pull -> VIP added on b (address monitor)
#         pull_ping_gap_ms = longest gap between ping replies, pull..plug
#         plugback_dual_vip_ms = after the plug, time during which the VIP
#                            is configured on a and b at once (from the two
#                            address monitors: overlap of a's new interval
#                            with b's interval)
#         plugback_vip_ms  = plug -> VIP added on a again
#         plugback_ping_gap_ms = longest ping gap after the plug
#   stop  SIGTERM to the master's daemon (graceful stop)
#         stop_ping_gap_ms = longest gap between ping replies
#         stop_vip_ms      = SIGTERM -> VIP added on b
#   kill  SIGKILL to every process of the master's daemon (crash)
#         kill_vip_stays_ms = how long the VIP stays on the dead a (bounded
#                            at 15 s: ">15000" = never removed)
#         kill_vip_ms      = SIGKILL -> VIP added on b
#         kill_ping_gap_ms = longest gap between ping replies
#
# Adding an implementation X: write impl_start_X NODE ADVSKEW PREEMPT (start
# the daemon in the node's namespace, set IMPL_PID[NODE]), impl_proc_X (the
# process name), impl_masterdown_X ADVSKEW (seconds) and impl_check_X
# (exit 77 if unavailable).  carpd is already wired in below.
[ -n "$BASH_VERSION" ] || exec bash "$0" "$@"

BENCH_DIR=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$BENCH_DIR/../.." && pwd)
. "$ROOT/tests/integration/lib.sh"

VIP=192.0.2.111
PASS=test123
declare -A IMPL_PID=() NODE_IP=([a]=192.0.2.1 [b]=192.0.2.2 [c]=192.0.2.10)
CARPD=${CARPD:-$ROOT/build/carpd}
KILL_BOUND=15

#
# ucarp
#
impl_check_ucarp() { command -v ucarp >/dev/null || skip "ucarp not installed"; }
impl_proc_ucarp() { echo ucarp; }
impl_masterdown_ucarp() { awk -v s="$1" 'BEGIN { printf "%.6f", 3 + s / 256 }'; }
impl_start_ucarp() {	# NODE ADVSKEW PREEMPT
	local n=$1 skew=$2 pre=$3
	if [ ! -x "$LAB_DIR/up" ]; then
		printf '#!/bin/sh\nip addr add "$2"/24 dev "$1"\n' >"$LAB_DIR/up"
		printf '#!/bin/sh\nip addr del "$2"/24 dev "$1" 2>/dev/null\nexit 0\n' \
		    >"$LAB_DIR/down"
		chmod +x "$LAB_DIR/up" "$LAB_DIR/down"
	fi
	local p=; [ "$pre" = 1 ] && p=-P
	lab_bg "$n" "$LAB_DIR/ucarp-$n.log" ucarp -i eth0 -s "${NODE_IP[$n]}" \
	    -v 1 -p "$PASS" -a "$VIP" -b 1 -k "$skew" $p -u "$LAB_DIR/up" \
	    -d "$LAB_DIR/down" -z -f none
	IMPL_PID[$n]=$LAB_LASTPID
	echo "CMD $n: ip netns exec ${LAB_NS[$n]} ucarp -i eth0 -s ${NODE_IP[$n]} -v 1 -p $PASS -a $VIP -b 1 -k $skew $p -u up -d down -z -f none" >&2
}

#
# keepalived (VRRPv2): advskew 0 -> priority 100, advskew 100 -> 50
#
impl_check_keepalived() { command -v keepalived >/dev/null || skip "keepalived not installed"; }
impl_proc_keepalived() { echo keepalived; }
impl_prio_keepalived() { echo $(( 100 - $1 / 2 )); }
impl_masterdown_keepalived() {
	awk -v p="$(impl_prio_keepalived "$1")" \
	    'BEGIN { printf "%.6f", 3 + (256 - p) / 256 }'
}
impl_start_keepalived() {	# NODE ADVSKEW PREEMPT
	local n=$1 skew=$2 pre=$3 d="$LAB_DIR/keepalived-$1"
	mkdir -p "$d"
	local np=; [ "$pre" = 1 ] || np="nopreempt"
	cat >"$d/keepalived.conf" <<EOF
global_defs {
	router_id bench_$n
	script_user root
}
vrrp_instance VI_1 {
	state BACKUP
	interface eth0
	virtual_router_id 1
	priority $(impl_prio_keepalived "$skew")
	advert_int 1
	$np
	authentication {
		auth_type PASS
		auth_pass ${PASS:0:8}
	}
	virtual_ipaddress {
		$VIP/24 dev eth0
	}
}
EOF
	lab_bg "$n" "$d/log" keepalived -n -l -D -G -P -f "$d/keepalived.conf" \
	    -p "$d/keepalived.pid" -r "$d/vrrp.pid" -c "$d/checkers.pid" \
	    -b "$d/bfd.pid"
	IMPL_PID[$n]=$LAB_LASTPID
	echo "CMD $n: ip netns exec ${LAB_NS[$n]} keepalived -n -l -D -G -P -f $d/keepalived.conf -p $d/keepalived.pid -r $d/vrrp.pid -c $d/checkers.pid -b $d/bfd.pid" >&2
}

#
# carpd: the hook.  Works once build/carpd exists (or CARPD=path).
#
impl_check_carpd() { [ -x "$CARPD" ] || skip "carpd binary $CARPD missing (make first)"; }
impl_proc_carpd() { basename "$CARPD"; }
impl_masterdown_carpd() { impl_masterdown_ucarp "$1"; }
impl_start_carpd() {	# NODE ADVSKEW PREEMPT
	local n=$1 skew=$2 pre=$3 d="$LAB_DIR/carpd-$1"
	mkdir -p "$d"
	cat >"$d/carpd.conf" <<EOF
net.inet.carp.preempt=$pre
ifconfig eth0 inet vhid 1 advbase 1 advskew $skew pass $PASS alias $VIP/24
EOF
	lab_bg "$n" "$d/log" "$CARPD" -d -f "$d/carpd.conf"
	IMPL_PID[$n]=$LAB_LASTPID
	echo "CMD $n: ip netns exec ${LAB_NS[$n]} $CARPD -d -f $d/carpd.conf" >&2
}

#
# generic
#
impl_pids() {	# NODE: every process of the implementation in NODE's ns
	local p name; name=$(impl_proc_$IMPL)
	for p in $(ip netns pids "${LAB_NS[$1]}"); do
		[ "$(cat /proc/$p/comm 2>/dev/null)" = "$name" ] && echo $p
	done
}

result() {	# METRIC VALUE [extra]
	echo "RESULT impl=$IMPL metric=$1 value=$2 run=$RUN${3:+ $3}"
}

no_vip() { ! lab_has_addr "$1" "$VIP"; }

setup() {
	lab_init
	lab_switch
	lab_node a "${NODE_IP[a]}/24"
	lab_node b "${NODE_IP[b]}/24"
	lab_node c "${NODE_IP[c]}/24"
	lab_capture_start
	lab_addr_monitor_start a
	lab_addr_monitor_start b
	sleep 0.2
	impl_start_$IMPL a 0 1
	impl_start_$IMPL b 100 1
	lab_ping_start c "$VIP"
	wait_for 15 lab_has_addr a "$VIP" || fail "a never became master"
	# Settle: several adverts, b surely in BACKUP, pings flowing.
	sleep 3
	no_vip b || fail "VIP on b too after the election"
	lab_ping_flowing 5 || fail "no ping replies from the VIP on a"
}

# first_on NODE AFTER: start of the first VIP interval of NODE at/after AFTER
first_on() {
	lab_addr_intervals "$VIP" "$1" | awk -v t="$2" \
	    '{ for (i = 2; i < NF; i += 2) if ($i >= t) { print $i; exit } }'
}

scenario_pull() {
	setup
	local t_pull t_plug t_end md
	t_pull=$(lab_now)
	lab_cable_pull a
	wait_for 20 lab_has_addr b "$VIP" || fail "b did not take over after the pull"
	sleep 3
	t_plug=$(lab_now)
	lab_cable_plug a
	wait_for 40 lab_has_addr a "$VIP" || fail "a did not take the VIP back"
	wait_for 10 no_vip b || fail "b kept the VIP after preemption"
	sleep 2
	t_end=$(lab_now)
	lab_ping_stop
	lab_capture_stop
	md=$(impl_masterdown_$IMPL 100)
	lab_adverts "$LAB_CAP_FILE" >"$LAB_DIR/adverts.txt"
	local lag
	lag=$(awk -v tp="$t_pull" -v md="$md" -v a="${NODE_IP[a]}" -v b="${NODE_IP[b]}" '
		$3 == a && $1 < tp { alast = $1 }
		$3 == b && $1 > tp && !bfirst { bfirst = $1 }
		END { if (!alast || !bfirst) print "NA";
		      else printf "%.0f", (bfirst - (alast + md)) * 1000 }' \
	    "$LAB_DIR/adverts.txt")
	result takeover_lag_ms "$lag" "masterdown_s=$md"
	result pull_vip_ms "$(lab_ms "$t_pull" "$(first_on b "$t_pull")")"
	result pull_ping_gap_ms "$(lab_ping_gap "$LAB_PING_LOG" "$t_pull" "$t_plug")"
	local ivs dual
	ivs=$(lab_addr_intervals "$VIP" a b)
	dual=$(echo "$ivs" | awk -v t="$t_plug" -v end="$t_end" '
		$1 == "a" { for (i = 2; i < NF; i += 2) if ($i >= t) { aon = $i; aoff = $(i+1); break } }
		$1 == "b" { for (i = 2; i < NF; i += 2) if ($(i+1) >= t) { bon = $i; boff = $(i+1); break } }
		END {
			if (!aon) { print "NA"; exit }
			if (!bon) { print 0; exit }
			if (aoff == "inf") aoff = end; if (boff == "inf") boff = end
			s = (aon > bon ? aon : bon); e = (aoff < boff ? aoff : boff)
			printf "%.0f", (e > s ? (e - s) * 1000 : 0)
		}')
	result plugback_dual_vip_ms "$dual"
	result plugback_vip_ms "$(lab_ms "$t_plug" "$(first_on a "$t_plug")")"
	result plugback_ping_gap_ms "$(lab_ping_gap "$LAB_PING_LOG" "$t_plug" "$t_end")"
	echo "$ivs" | sed 's/^/INTERVALS /' >&2
}

scenario_stop() {
	setup
	local t0 t_end
	t0=$(lab_now)
	kill -TERM "${IMPL_PID[a]}"
	wait_for 20 lab_has_addr b "$VIP" || fail "b did not take over after SIGTERM"
	lab_ping_flowing 10 50 || fail "pings did not resume after SIGTERM"
	sleep 1
	t_end=$(lab_now)
	lab_ping_stop
	lab_capture_stop
	# From 1 s before the stop, so the last reply before it is included.
	result stop_ping_gap_ms "$(lab_ping_gap "$LAB_PING_LOG" \
	    "$(awk -v t="$t0" 'BEGIN { printf "%.6f", t - 1 }')" "$t_end")"
	result stop_vip_ms "$(lab_ms "$t0" "$(first_on b "$t0")")"
}

scenario_kill() {
	setup
	local t0 t_end pids stays
	pids=$(impl_pids a)
	[ -n "$pids" ] || fail "no $IMPL process found in a"
	t0=$(lab_now)
	kill -KILL $pids
	if wait_for $KILL_BOUND no_vip a; then
		stays=$(lab_ms "$t0" "$(lab_now)")
	else
		stays=">$((KILL_BOUND * 1000))"
	fi
	wait_for 10 lab_has_addr b "$VIP" || fail "b did not take over after SIGKILL"
	sleep 1
	t_end=$(lab_now)
	lab_ping_stop
	lab_capture_stop
	result kill_vip_stays_ms "$stays" "bound_ms=$((KILL_BOUND * 1000))"
	result kill_vip_ms "$(lab_ms "$t0" "$(first_on b "$t0")")"
	result kill_ping_gap_ms "$(lab_ping_gap "$LAB_PING_LOG" \
	    "$(awk -v t="$t0" 'BEGIN { printf "%.6f", t - 1 }')" "$t_end")"
}

if [ "$1" = --one ]; then	# internal: one scenario in its own lab
	IMPL=$2 RUN=$4
	impl_check_$IMPL
	scenario_$3
	exit 0
fi

IMPL=${1:?usage: $0 ucarp|keepalived|carpd [RUNS]}
RUNS=${2:-1}
declare -F "impl_start_$IMPL" >/dev/null || { echo "unknown impl $IMPL" >&2; exit 2; }
[ "$(id -u)" = 0 ] || { echo "needs root" >&2; exit 77; }
( impl_check_$IMPL ) || exit 77
echo "COMMAND $0 $*"
rc=0
for RUN in $(seq 1 "$RUNS"); do
	for s in ${SCENARIOS:-pull stop kill}; do
		log=$(mktemp "/tmp/carpd-bench.$IMPL.$s.XXXXXX")
		timeout --kill-after=10 150 bash "$0" --one "$IMPL" "$s" "$RUN" \
		    >"$log" 2>&1
		r=$?
		grep '^RESULT ' "$log"
		if [ $r != 0 ]; then
			echo "ERROR impl=$IMPL scenario=$s run=$RUN exit=$r log=$log" >&2
			tail -n 20 "$log" >&2
			rc=1
		elif [ -n "$BENCH_VERBOSE" ]; then
			grep -v '^RESULT ' "$log" >&2; rm -f "$log"
		else
			rm -f "$log"
		fi
	done
done
exit $rc
