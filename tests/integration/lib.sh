# tests/integration/lib.sh: network-namespace lab for carpd integration tests
# and benchmarks.  Source it from bash (not sh):
#
#	. "$(dirname "$0")/lib.sh"
#	lab_init
#	lab_switch
#	lab_node a 192.0.2.1/24 2001:db8::1/64
#	lab_exec a ip -br addr
#
# Topology: one "switch" namespace holding br0 (a Linux bridge with multicast
# snooping off, STP off) and, per node, a namespace whose eth0 is one end of a
# veth pair; the other end sits in the switch namespace, enslaved to br0.
# Nothing is created in the root network namespace and nothing is connected
# to a real interface, so no packet can leave the machine.  All names carry a
# per-run prefix (PID in hex + random suffix) so concurrent runs cannot
# collide.  Cleanup (kill every process in our namespaces, delete them,
# remove the temp dir) is trapped on EXIT, INT and TERM.
#
# Use only documentation/benchmark addresses: 192.0.2.0/24, 198.51.100.0/24,
# 198.18.0.0/15, 2001:db8::/32.
#
# Environment: LAB_KEEP=1 keeps the temp dir ($LAB_DIR) after exit.
#              LAB_VERBOSE=1 traces lab commands on stderr.

PY=/usr/bin/python3
LAB_LIBDIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)

declare -A LAB_NS=()	# node name -> netns name
declare -A LAB_SWPORT=()	# node name -> switch-side veth name
declare -a LAB_BGPIDS=()	# background pids started through lab_bg
LAB_NODES=0
LAB_CAP_PID=
LAB_CAP_FILE=
LAB_INITED=

lab_log() { printf '%s lab: %s\n' "$(date +%T.%3N)" "$*" >&2; }
fail() { printf 'FAIL: %s\n' "$*" >&2; exit 1; }
pass() { printf 'PASS: %s\n' "${*:-$(basename "$0")}" >&2; exit 0; }
skip() { printf 'SKIP: %s\n' "$*" >&2; exit 77; }
lab_now() { date +%s.%N; }

# lab_need CMD...: skip the test (exit 77) unless every command exists and
# we are root.
lab_need() {
	[ "$(id -u)" = 0 ] || skip "needs root"
	local c
	for c in "$@"; do
		command -v "$c" >/dev/null 2>&1 || skip "missing $c"
	done
}

# lab_init: prefix, temp dir, cleanup trap.
lab_init() {
	lab_need ip tcpdump ping
	local rnd
	rnd=$(od -An -N2 -tx1 /dev/urandom | tr -d ' \n')
	# "c" + pid in hex (<= 6 digits with pid_max 2^22) + 4 hex = <= 11 chars
	LAB_P=$(printf 'c%x%s' $$ "$rnd")
	LAB_DIR=$(mktemp -d "/tmp/carplab.$LAB_P.XXXXXX") || fail "mktemp"
	LAB_SW="${LAB_P}sw"
	LAB_INITED=1
	trap lab_cleanup EXIT
	trap 'lab_cleanup; trap - EXIT; exit 130' INT
	trap 'lab_cleanup; trap - EXIT; exit 143' TERM
	[ -n "$LAB_VERBOSE" ] && lab_log "prefix $LAB_P dir $LAB_DIR"
	return 0
}

# lab_cleanup: idempotent; called by the trap.
lab_cleanup() {
	local rc=$? ns p pids i
	[ -n "$LAB_INITED" ] || return $rc
	LAB_INITED=
	trap - INT TERM
	# Processes we started ourselves (ping, tcpdump, monitors ...).
	for p in "${LAB_BGPIDS[@]}" $LAB_CAP_PID; do
		kill "$p" 2>/dev/null
	done
	# Everything still running inside our namespaces: TERM, then KILL.
	for i in 1 2; do
		pids=
		for ns in "${LAB_NS[@]}" "$LAB_SW"; do
			[ -e "/run/netns/$ns" ] || continue
			pids="$pids $(ip netns pids "$ns" 2>/dev/null)"
		done
		pids=$(echo $pids)
		[ -n "$pids" ] || break
		if [ $i = 1 ]; then
			kill -TERM $pids 2>/dev/null
			_lab_wait_gone 2 $pids
		else
			kill -KILL $pids 2>/dev/null
			_lab_wait_gone 2 $pids
		fi
	done
	for ns in "${LAB_NS[@]}" "$LAB_SW"; do
		[ -e "/run/netns/$ns" ] && ip netns del "$ns" 2>/dev/null
	done
	# A failed test shows how its daemons saw it (CI keeps no lab dir).
	if [ "$rc" != 0 ] && [ "$rc" != 77 ]; then
		for p in "$LAB_DIR"/carpd-*.log; do
			[ -s "$p" ] || continue
			printf -- '--- last lines of %s\n' "${p##*/}" >&2
			tail -n 20 "$p" >&2
		done
	fi
	if [ -z "$LAB_KEEP" ]; then
		rm -rf "$LAB_DIR"
	else
		lab_log "kept $LAB_DIR"
	fi
	return $rc
}

_lab_wait_gone() {	# TIMEOUT_S PID...: bounded wait for pids to exit
	local t=$1; shift
	local end=$(( $(date +%s%N) + t * 1000000000 ))
	while [ "$(date +%s%N)" -lt $end ]; do
		local alive=0 p
		for p in "$@"; do kill -0 "$p" 2>/dev/null && alive=1; done
		[ $alive = 0 ] && return 0
		sleep 0.05
	done
	return 1
}

_lab_ns() {	# NODE -> netns name (or the switch)
	if [ "$1" = switch ]; then echo "$LAB_SW"; return; fi
	[ -n "${LAB_NS[$1]}" ] || fail "unknown node '$1'"
	echo "${LAB_NS[$1]}"
}

# lab_switch: the switch namespace with br0 (snooping off, STP off).
lab_switch() {
	ip netns add "$LAB_SW" || fail "netns add $LAB_SW"
	ip -n "$LAB_SW" link set lo up
	# The bridge must stay silent: no IPv6 (no RS/MLD/DAD from br0).
	ip netns exec "$LAB_SW" sysctl -qw net.ipv6.conf.all.disable_ipv6=1 \
	    net.ipv6.conf.default.disable_ipv6=1 2>/dev/null
	# A switch, not a firewall: no br_netfilter pass of every bridged
	# frame through the switch namespace's iptables (per namespace).
	ip netns exec "$LAB_SW" sysctl -qw net.bridge.bridge-nf-call-iptables=0 \
	    net.bridge.bridge-nf-call-ip6tables=0 \
	    net.bridge.bridge-nf-call-arptables=0 2>/dev/null
	ip -n "$LAB_SW" link add br0 type bridge mcast_snooping 0 stp_state 0 \
	    forward_delay 0 || fail "bridge"
	ip -n "$LAB_SW" link set br0 up
}

# lab_node NAME IPV4/LEN [IPV6/LEN]: node namespace, eth0 bridged to br0.
lab_node() {
	local name=$1 v4=$2 v6=$3
	local ns="${LAB_P}${name}"
	[ ${#ns} -le 15 ] || fail "node name '$name' too long for netns (${#ns} > 15)"
	LAB_NODES=$((LAB_NODES + 1))
	local sp="${LAB_P}s${LAB_NODES}"
	ip netns add "$ns" || fail "netns add $ns"
	LAB_NS[$name]=$ns
	LAB_SWPORT[$name]=$sp
	ip -n "$ns" link set lo up
	ip netns exec "$ns" sysctl -qw net.ipv6.conf.all.accept_dad=0 \
	    net.ipv6.conf.default.accept_dad=0 \
	    net.ipv6.conf.all.dad_transmits=0 \
	    net.ipv6.conf.default.dad_transmits=0 2>/dev/null
	# Created inside the switch ns, peer directly inside the node ns:
	# nothing ever appears in the root namespace.
	ip -n "$LAB_SW" link add "$sp" type veth peer name eth0 netns "$ns" \
	    || fail "veth for $name"
	ip -n "$LAB_SW" link set "$sp" master br0
	ip -n "$LAB_SW" link set "$sp" up
	[ -n "$v4" ] && { ip -n "$ns" addr add "$v4" dev eth0 || fail "addr $v4"; }
	[ -n "$v6" ] && { ip -n "$ns" addr add "$v6" dev eth0 nodad || fail "addr $v6"; }
	ip -n "$ns" link set eth0 up
	wait_for 5 lab_carrier "$name" || fail "eth0 of $name has no carrier"
}

# lab_exec NODE CMD...: run CMD inside the node (or "switch") namespace.
lab_exec() {
	local ns; ns=$(_lab_ns "$1") || exit 1; shift
	ip netns exec "$ns" "$@"
}

# lab_bg NODE LOG CMD...: start CMD in the background inside NODE, output to
# LOG; the pid (of CMD itself: ip netns exec execs it) is in $LAB_LASTPID.
lab_bg() {
	local ns; ns=$(_lab_ns "$1") || exit 1
	local log=$2; shift 2
	ip netns exec "$ns" "$@" >"$log" 2>&1 </dev/null &
	LAB_LASTPID=$!
	disown "$LAB_LASTPID"	# no "Killed" job notices; we never `wait`
	LAB_BGPIDS+=("$LAB_LASTPID")
}

# lab_carrier NODE: true if the node's eth0 has LOWER_UP.
lab_carrier() {
	ip -n "$(_lab_ns "$1")" -br link show dev eth0 2>/dev/null | grep -q LOWER_UP
}

# lab_cable_pull NODE / lab_cable_plug NODE: switch-side veth down/up, so
# the node's eth0 loses/regains carrier (LOWER_UP), like a pulled cable.
lab_cable_pull() {
	ip -n "$LAB_SW" link set "${LAB_SWPORT[$1]}" down || fail "pull $1"
}
lab_cable_plug() {
	ip -n "$LAB_SW" link set "${LAB_SWPORT[$1]}" up || fail "plug $1"
}

# wait_for TIMEOUT_S CMD...: poll CMD every 50 ms until it succeeds; 1 on
# timeout.  TIMEOUT_S may be fractional.
wait_for() {
	local t=$1; shift
	local end now
	end=$(( $(date +%s%N) + ${t%.*} * 1000000000 ))
	case $t in *.*) local f=${t#*.}000; end=$((end + 10#${f:0:3} * 1000000));; esac
	while :; do
		"$@" && return 0
		now=$(date +%s%N)
		[ "$now" -ge $end ] && return 1
		sleep 0.05
	done
}

# lab_has_addr NODE ADDR: ADDR (no prefix length) is configured in NODE.
lab_has_addr() {
	ip -n "$(_lab_ns "$1")" -o addr show 2>/dev/null |
	    grep -Eq "inet6? $2/"
}

# lab_capture_start [FILE]: tcpdump on br0 in the switch ns (CARP/VRRP,
# ARP, ICMPv6); waits until it is listening.  File in $LAB_CAP_FILE.
lab_capture_start() {
	LAB_CAP_FILE=${1:-$LAB_DIR/capture.pcap}
	ip netns exec "$LAB_SW" tcpdump -i br0 -U --immediate-mode -n -s 256 -w "$LAB_CAP_FILE" \
	    'ip proto 112 or ip6 proto 112 or arp or icmp6' \
	    >"$LAB_DIR/tcpdump.log" 2>&1 </dev/null &
	LAB_CAP_PID=$!
	wait_for 5 grep -q 'listening on' "$LAB_DIR/tcpdump.log" ||
	    fail "tcpdump did not start: $(cat "$LAB_DIR/tcpdump.log")"
}

# lab_capture_stop: stop tcpdump (immediate mode + -U: nothing is lost).
lab_capture_stop() {
	[ -n "$LAB_CAP_PID" ] || return 0
	kill -INT "$LAB_CAP_PID" 2>/dev/null
	_lab_wait_gone 5 "$LAB_CAP_PID" || kill -KILL "$LAB_CAP_PID" 2>/dev/null
	wait "$LAB_CAP_PID" 2>/dev/null
	LAB_CAP_PID=
}

# lab_adverts [PCAP] [pcap_adverts.py options]: adverts and GARPs as text,
# one per line: TIME KIND SRC VHID ADVBASE ADVSKEW (see pcap_adverts.py).
lab_adverts() {
	local f=${1:-$LAB_CAP_FILE}; shift
	"$PY" "$LAB_LIBDIR/pcap_adverts.py" "$@" "$f"
}

# lab_ping_start CLIENT VIP [LOG]: ping every 10 ms with -D timestamps;
# log path in $LAB_PING_LOG, pid in $LAB_PING_PID.
lab_ping_start() {
	LAB_PING_LOG=${3:-$LAB_DIR/ping-$1-$2.log}
	lab_bg "$1" "$LAB_PING_LOG" ping -n -D -i 0.01 -W 1 "$2"
	LAB_PING_PID=$LAB_LASTPID
}

lab_ping_stop() {
	[ -n "$LAB_PING_PID" ] || return 0
	kill -INT "$LAB_PING_PID" 2>/dev/null
	_lab_wait_gone 3 "$LAB_PING_PID"
	LAB_PING_PID=
}

# lab_ping_gap LOG [FROM [TO]]: longest gap in ms between consecutive
# successful replies (optionally only replies with FROM <= t <= TO, epoch s).
# A window that starts or ends without replies counts from FROM / to TO.
# Prints an integer; "inf" if there was no reply at all in the window.
lab_ping_gap() {
	"$PY" - "$@" <<'EOF'
import re, sys
log = sys.argv[1]
lo = float(sys.argv[2]) if len(sys.argv) > 2 else None
hi = float(sys.argv[3]) if len(sys.argv) > 3 else None
ts = []
for line in open(log, errors="replace"):
    m = re.match(r"\[(\d+\.\d+)\] \d+ bytes from", line)
    if m:
        t = float(m.group(1))
        if (lo is None or t >= lo) and (hi is None or t <= hi):
            ts.append(t)
if not ts:
    print("inf"); sys.exit(0)
pts = ([lo] if lo is not None else []) + ts + ([hi] if hi is not None else [])
gap = max((b - a for a, b in zip(pts, pts[1:])), default=0.0)
print(int(round(gap * 1000)))
EOF
}

# lab_ping_replies LOG: number of successful replies so far.
lab_ping_replies() {
	grep -c 'bytes from' "$1" 2>/dev/null || true
}

# lab_ping_flowing [TIMEOUT_S [N [LOG]]]: wait until N (default 20) more
# replies than now arrive in LOG (default $LAB_PING_LOG).
lab_ping_flowing() {
	local t=${1:-5} n=${2:-20} log=${3:-$LAB_PING_LOG}
	local want=$(( $(lab_ping_replies "$log") + n ))
	wait_for "$t" _lab_ping_atleast "$log" "$want"
}
_lab_ping_atleast() { [ "$(lab_ping_replies "$1")" -ge "$2" ]; }

# lab_addr_monitor_start NODE: timestamped `ip monitor address` in NODE,
# to $LAB_DIR/addrmon-NODE.log (see lab_addr_intervals).
lab_addr_monitor_start() {
	lab_bg "$1" "$LAB_DIR/addrmon-$1.log" ip -ts -o monitor address
}

# lab_addr_intervals ADDR NODE[=INITIAL]...: from the monitors, print one
# line per node "NODE ON OFF ..." listing [on,off] intervals (epoch s) of
# ADDR.  INITIAL=1 if the node already had ADDR when its monitor started.
lab_addr_intervals() {
	local addr=$1; shift
	local spec
	for spec in "$@"; do
		local n=${spec%%=*} init=0
		[ "$spec" != "$n" ] && init=${spec#*=}
		"$PY" - "$addr" "$n" "$init" "$LAB_DIR/addrmon-$n.log" <<'EOF'
import re, sys, datetime
addr, node, init, log = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4]
out, on = [], None
if init == "1":
    on = 0.0
for line in open(log, errors="replace"):
    m = re.match(r"\[(\d{4}-\d\d-\d\dT[\d:.]+)\]\s*(Deleted\s+)?.*\sinet6?\s+(\S+)/", line)
    if not m or m.group(3) != addr:
        continue
    t = datetime.datetime.fromisoformat(m.group(1)).timestamp()
    if m.group(2):
        if on is not None:
            out.append((on, t)); on = None
    elif on is None:
        on = t
if on is not None:
    out.append((on, float("inf")))
print(node, " ".join("%.6f %.6f" % iv for iv in out))
EOF
	done
}

# lab_ms A B: (B - A) in integer milliseconds, A and B epoch seconds.
lab_ms() {
	"$PY" -c 'import sys; print(int(round((float(sys.argv[2]) - float(sys.argv[1])) * 1000)))' "$1" "$2"
}
