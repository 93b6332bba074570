#!/bin/bash
# tests/bench/snmp_walk.sh: time a bulk walk of carpd's VHID table with 255
# VHIDs through snmpd (master agentx) and carpd's subagent, and the same
# walk of keepalived's VRRPv3-MIB with 255 VRRP instances, side by side.
#
#   snmpbulkwalk -v2c -c public -Cr50 -t 5 -r 0 -On 127.0.0.1 TABLE
#
#   carpd       TABLE = CARPD-MIB::carpdVhidTable (255 VHIDs, 198.18.1.N/16)
#   keepalived  TABLE = VRRPv3-MIB::vrrpv3OperationsTable, 1.3.6.1.2.1.207.
#               1.1.1 (255 vrrp_instances, VRRPv3, enable_snmp_rfcv3; 11
#               columns: 2805 rows)
#
# Each has a node of its own with its own snmpd, started by snmp.sh's
# snmpd_start (the tests' configuration), on 127.0.0.1 in the node's
# namespace.  Both nodes run during the whole benchmark; the walks
# alternate (carpd, keepalived, carpd, ...) so that both see the same
# machine.  Each walk is timed inside the node's namespace, from the
# start of snmpbulkwalk to its exit (`ip netns exec` itself takes 40-70 ms
# on a loaded machine: not part of the walk).  RUNS (9) walks each;
# prints every time and the median, and per row the median time and the
# CPU time the master (snmpd) and the subagent (carpd; keepalived's
# processes) spent over all the walks:
#
#   RESULT impl=carpd metric=snmp_walk_us_per_row value=.. rows=..
#   RESULT impl=carpd metric=snmp_walk_ms value=.. rows=..
#   RESULT impl=carpd metric=snmp_walk_snmpd_cpu_us_per_row value=..
#   RESULT impl=carpd metric=snmp_walk_agent_cpu_us_per_row value=..
#   (the same with impl=keepalived)
#
# net-snmp's master agent asks a subagent one AgentX GetNext per row
# (it maps a GETBULK to GetNexts, one repetition at a time), so the time
# per row is one AgentX round trip: snmpd's share, the subagent's, and
# two wake-ups.  KEEPALIVED=0 skips keepalived.
#
# carpd's memory (VmRSS, and VmHWM, its peak, in MiB, from /proc/PID/
# status) once its AgentX session is open and before any request, after
# one full walk of CARPD-MIB (snmpbulkwalk of CARPD_ROOT: every subtree
# indexed and read once), at the end, after all the timed walks (the 255
# VHIDs have become MASTER meanwhile, and sent their notifications), and
# idle, 3 s later:
#
#   RESULT impl=carpd metric=snmp_rss_mib phase=connected value=.. hwm=..
#   RESULT impl=carpd metric=snmp_rss_mib phase=full_walk value=.. hwm=..
#   RESULT impl=carpd metric=snmp_rss_mib phase=end value=.. hwm=..
#   RESULT impl=carpd metric=snmp_rss_mib phase=idle value=.. hwm=..
#
# CARPD=path picks the carpd binary; SMAPS=prefix also keeps carpd's
# /proc/PID/smaps at each phase, in prefix.PHASE.
[ -n "$BASH_VERSION" ] || exec bash "$0" "$@"
here=$(cd "$(dirname "$0")/../integration" && pwd)
. "$here/lib.sh"
. "$here/carpd.sh"
. "$here/snmp.sh"
RUNS=${RUNS:-9}
N=255
KEEPALIVED=${KEEPALIVED:-1}
command -v keepalived >/dev/null 2>&1 || KEEPALIVED=0
declare -A TABLE=([carpd]="$CARPD_ROOT.1.2" [keepalived]=.1.3.6.1.2.1.207.1.1.1)
declare -A NODE=([carpd]=a [keepalived]=k)
declare -A ROWS TIMES AGENT_PIDS CPU_SNMPD CPU_AGENT

# walk_cmd IMPL: the command, as an array in $cmd.
walk_cmd() {
	cmd=(snmpbulkwalk -v2c -c public -Cr50 -t 5 -r 0 -On 127.0.0.1
	    "${TABLE[$1]}")
}

# timed_walk IMPL: one walk, timed inside the namespace; prints us.
timed_walk() {
	local cmd; walk_cmd "$1"
	# shellcheck disable=SC2016
	lab_exec "${NODE[$1]}" bash -c 't0=$EPOCHREALTIME
	    "$@" >/dev/null || exit 1
	    t1=$EPOCHREALTIME
	    echo $(( ${t1//[.,]/} - ${t0//[.,]/} ))' _ "${cmd[@]}"
}

# cpu_ticks PID...: utime + stime of the processes, in clock ticks.
cpu_ticks() {
	local p t=0 s
	for p in "$@"; do
		s=$(awk '{ print $14 + $15 }' "/proc/$p/stat" 2>/dev/null)
		t=$(( t + ${s:-0} ))
	done
	echo "$t"
}

median() { sort -n | sed -n "$(( (RUNS + 1) / 2 ))p"; }

# rss PHASE: carpd's VmRSS and VmHWM now, as a RESULT line.
rss() {
	local p=${CARPD_PID[a]}
	[ -n "$SMAPS" ] && cp "/proc/$p/smaps" "$SMAPS.$1"
	awk -v phase="$1" '
	/^VmRSS:/ { rss = $2 } /^VmHWM:/ { hwm = $2 }
	END {
		if (rss == "")
			exit 1
		printf "RESULT impl=carpd metric=snmp_rss_mib phase=%s value=%.1f hwm=%.1f\n",
		    phase, rss / 1024, hwm / 1024
	}' "/proc/$p/status" || fail "carpd: no /proc/$p/status"
}

lab_init
lab_switch

# carpd: 255 VHIDs on one node.
lab_node a 192.0.2.61/24
{ for v in $(seq 1 $N); do
	echo "ifconfig_eth0_alias$v=\"inet vhid $v pass bench alias 198.18.1.$v/16\""
  done
  carpd_conf_agentx a; } | carpd_conf a
snmpd_start a 127.0.0.1 127.0.0.1
carpd_start a
AGENT_PIDS[carpd]=${CARPD_PID[a]}
impls=(carpd)
wait_for 10 grep -q "AgentX session .* open" "$(carpd_log a)" ||
    fail "carpd: no AgentX session"
sleep 1
rss connected

# keepalived: 255 VRRPv3 instances on another node, its own snmpd.
if [ "$KEEPALIVED" = 1 ]; then
	lab_node k 192.0.2.62/24
	# VRRP and CARP share IP protocol 112 and 224.0.0.18, and both use
	# ids 1-255: k gets a bridge of its own in the switch namespace.
	ip -n "$LAB_SW" link add br1 type bridge mcast_snooping 0 stp_state 0 \
	    forward_delay 0 || fail "br1"
	ip -n "$LAB_SW" link set br1 up
	ip -n "$LAB_SW" link set "${LAB_SWPORT[k]}" master br1 ||
	    fail "k on br1"
	{
		cat <<EOF
global_defs {
	router_id k
	vrrp_version 3
	enable_snmp_rfcv3
	snmp_socket unix:$LAB_DIR/agentx-k
}
EOF
		for v in $(seq 1 $N); do
			cat <<EOF
vrrp_instance v$v {
	state BACKUP
	interface eth0
	virtual_router_id $v
	priority 100
	advert_int 1
	virtual_ipaddress { 198.18.2.$v/16 dev eth0 }
}
EOF
		done
	} >"$LAB_DIR/keepalived.conf"
	snmpd_start k 127.0.0.1 127.0.0.1
	lab_bg k "$LAB_DIR/keepalived.log" keepalived -n -l -D -x \
	    -f "$LAB_DIR/keepalived.conf" -p "$LAB_DIR/ka.pid" \
	    -r "$LAB_DIR/ka-vrrp.pid" -c "$LAB_DIR/ka-chk.pid" \
	    -b "$LAB_DIR/ka-bfd.pid"
	impls+=(keepalived)
fi

# Every row served (keepalived: every instance MASTER, its rows stable).
wait_for 10 eval '[ "$(snmp_get a 127.0.0.1 carpdVhidCount.0)" = $N ]' ||
    fail "$N VHIDs not served"
if [ "$KEEPALIVED" = 1 ]; then
	kwalk() { local cmd; walk_cmd keepalived; lab_exec k "${cmd[@]}" 2>/dev/null; }
	wait_for 20 eval '[ "$(kwalk | grep -c "207\.1\.1\.1\.1\.6\..* = INTEGER: 3")" = $N ]' ||
	    fail "keepalived: not $N instances MASTER in VRRPv3-MIB"
	AGENT_PIDS[keepalived]=$(cat "$LAB_DIR"/ka*.pid 2>/dev/null | tr '\n' ' ')
fi

full=$(lab_exec a snmpbulkwalk -v2c -c public -Cr50 -t 5 -r 0 -On 127.0.0.1 \
    "$CARPD_ROOT" | wc -l)
echo "carpd: full walk of $CARPD_ROOT: $full rows"
rss full_walk
for impl in "${impls[@]}"; do
	walk_cmd "$impl"
	ROWS[$impl]=$(lab_exec "${NODE[$impl]}" "${cmd[@]}" | wc -l)
	echo "$impl: ${cmd[*]}   (${ROWS[$impl]} rows)"
	CPU_SNMPD[$impl]=0
	CPU_AGENT[$impl]=0
done
for i in $(seq "$RUNS"); do
	for impl in "${impls[@]}"; do
		s0=$(cpu_ticks "${SNMPD_PID[${NODE[$impl]}]}")
		# shellcheck disable=SC2086
		a0=$(cpu_ticks ${AGENT_PIDS[$impl]})
		us=$(timed_walk "$impl") || fail "$impl: walk $i"
		s1=$(cpu_ticks "${SNMPD_PID[${NODE[$impl]}]}")
		# shellcheck disable=SC2086
		a1=$(cpu_ticks ${AGENT_PIDS[$impl]})
		TIMES[$impl]="${TIMES[$impl]} $us"
		CPU_SNMPD[$impl]=$(( CPU_SNMPD[$impl] + s1 - s0 ))
		CPU_AGENT[$impl]=$(( CPU_AGENT[$impl] + a1 - a0 ))
	done
done

rss end
sleep 3
rss idle
hz=$(getconf CLK_TCK)
for impl in "${impls[@]}"; do
	rows=${ROWS[$impl]}
	# shellcheck disable=SC2086
	times=$(printf '%s\n' ${TIMES[$impl]})
	med=$(median <<<"$times")
	echo "$impl: walks (ms):$(awk '{ printf " %d", $1 / 1000 + 0.5 }' \
	    <<<"$times")   median $(( med / 1000 )) ms"
	awk -v impl="$impl" -v rows="$rows" -v med="$med" -v runs="$RUNS" \
	    -v s="${CPU_SNMPD[$impl]}" -v a="${CPU_AGENT[$impl]}" -v hz="$hz" '
	BEGIN {
		printf "RESULT impl=%s metric=snmp_walk_us_per_row value=%.1f rows=%d\n",
		    impl, med / rows, rows
		printf "RESULT impl=%s metric=snmp_walk_ms value=%.0f rows=%d\n",
		    impl, med / 1000, rows
		printf "RESULT impl=%s metric=snmp_walk_snmpd_cpu_us_per_row value=%.1f\n",
		    impl, s * 1e6 / hz / runs / rows
		printf "RESULT impl=%s metric=snmp_walk_agent_cpu_us_per_row value=%.1f\n",
		    impl, a * 1e6 / hz / runs / rows
	}'
done
