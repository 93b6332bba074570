#!/bin/bash
# tests/bench/scale.sh IMPL [VHIDS] [SECONDS]: resource use at scale.
#
# VHIDS (default 255) virtual addresses 198.18.1.1 ... on one bridge: node a
# is master of all of them (advskew 0), node b backup of all (advskew 100),
# advbase 1.  Once a holds every address, the CPU time (utime + stime of
# every process of IMPL in the node's namespace, from /proc/PID/stat) is
# measured over SECONDS (default 60) and scaled to CPU seconds per minute;
# resident memory is the sum of VmRSS of those processes at the end.
#
# IMPL: carpd (one process, all VHIDs), keepalived (one instance per VHID in
# one configuration), ucarp (one process per VHID, as ucarp requires).
# Prints "RESULT impl=.. metric=.. value=.. side=master|backup" lines.
[ -n "$BASH_VERSION" ] || exec bash "$0" "$@"
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../integration/lib.sh"
IMPL=${1:?usage: $0 carpd|keepalived|ucarp [VHIDS] [SECONDS]}
N=${2:-255}
SECS=${3:-60}
CARPD=${CARPD:-$here/../../build/carpd}
HZ=$(getconf CLK_TCK)

lab_init
lab_switch
lab_node a 198.18.0.1/16
lab_node b 198.18.0.2/16

vip() { echo "198.18.1.$1"; }

start_carpd() {	# NODE SKEW
	local n=$1 skew=$2 i conf=$LAB_DIR/carpd-$1.conf
	[ -x "$CARPD" ] || skip "no $CARPD"
	{
		# Configured as keepalived and ucarp are: no SNMP, no HTTP.
		echo "net.inet.carp.preempt=1"
		echo "agentx-socket off"
		echo "control-socket off"
		for i in $(seq 1 "$N"); do
			echo "ifconfig eth0 inet vhid $i advskew $skew pass pw$i alias $(vip "$i")/32"
		done
	} >"$conf"
	lab_bg "$n" "$LAB_DIR/carpd-$n.log" "$CARPD" -d -f "$conf"
}

start_keepalived() {	# NODE SKEW
	local n=$1 skew=$2 i prio conf=$LAB_DIR/keepalived-$1.conf
	prio=$(( skew == 0 ? 100 : 50 ))
	{
		echo "global_defs { router_id $n }"
		for i in $(seq 1 "$N"); do
			cat <<EOF
vrrp_instance v$i {
	state BACKUP
	interface eth0
	virtual_router_id $i
	priority $prio
	advert_int 1
	authentication { auth_type PASS auth_pass pw$i }
	virtual_ipaddress { $(vip "$i")/32 dev eth0 }
}
EOF
		done
	} >"$conf"
	lab_bg "$n" "$LAB_DIR/keepalived-$n.log" keepalived -n -l -D -f "$conf" \
	    -p "$LAB_DIR/ka-$n.pid" -r "$LAB_DIR/vrrp-$n.pid" \
	    -c "$LAB_DIR/chk-$n.pid" -b "$LAB_DIR/bfd-$n.pid"
}

start_ucarp() {	# NODE SKEW
	local n=$1 skew=$2 i src
	src=198.18.0.1; [ "$n" = b ] && src=198.18.0.2
	cat >"$LAB_DIR/up" <<'EOF'
#!/bin/sh
ip addr add "$2"/32 dev "$1"
EOF
	cat >"$LAB_DIR/down" <<'EOF'
#!/bin/sh
ip addr del "$2"/32 dev "$1" 2>/dev/null
exit 0
EOF
	chmod +x "$LAB_DIR/up" "$LAB_DIR/down"
	for i in $(seq 1 "$N"); do
		lab_bg "$n" /dev/null ucarp -i eth0 -s "$src" -v "$i" \
		    -p "pw$i" -a "$(vip "$i")" -b 1 -k "$skew" -P \
		    -u "$LAB_DIR/up" -d "$LAB_DIR/down" -f none
	done
}

pids_of() {	# NODE: the implementation's processes in that namespace
	local p comm
	for p in $(ip netns pids "$(_lab_ns "$1")" 2>/dev/null); do
		comm=$(cat "/proc/$p/comm" 2>/dev/null) || continue
		[ "$comm" = "$IMPL" ] && echo "$p"
	done
}

cpu_ticks() {	# PIDS...: utime + stime, summed
	local p t=0 f
	for p in "$@"; do
		f=$(cut -d' ' -f14,15 "/proc/$p/stat" 2>/dev/null) || continue
		t=$(( t + ${f% *} + ${f#* } ))
	done
	echo "$t"
}

rss_kib() {	# PIDS...: VmRSS, summed
	local p t=0 v
	for p in "$@"; do
		v=$(awk '/^VmRSS:/ { print $2 }' "/proc/$p/status" 2>/dev/null)
		t=$(( t + ${v:-0} ))
	done
	echo "$t"
}

nvips() { lab_exec "$1" ip -4 -o addr show | grep -c ' 198\.18\.1\.'; }

case $IMPL in
carpd) [ -x "$CARPD" ] || skip "no $CARPD" ;;
keepalived|ucarp) lab_need "$IMPL" ;;
*) fail "unknown implementation $IMPL" ;;
esac
echo "COMMAND $0 $*"
start_"$IMPL" a 0
sleep 0.5
start_"$IMPL" b 100
wait_for 180 eval '[ "$(nvips a)" -ge '"$N"' ]' ||
    fail "a holds $(nvips a) of $N addresses after 180 s"
sleep 5
[ "$(nvips b)" = 0 ] || fail "b holds $(nvips b) addresses as backup"

pa=$(pids_of a); pb=$(pids_of b)
[ -n "$pa" ] && [ -n "$pb" ] || fail "no $IMPL processes found"
ta0=$(cpu_ticks $pa); tb0=$(cpu_ticks $pb); t0=$(date +%s.%N)
sleep "$SECS"
ta1=$(cpu_ticks $pa); tb1=$(cpu_ticks $pb); t1=$(date +%s.%N)
[ "$(nvips a)" -ge "$N" ] || fail "a lost addresses during the measurement"
[ "$(nvips b)" = 0 ] || fail "b took addresses during the measurement"
ra=$(rss_kib $pa); rb=$(rss_kib $pb)
awk -v i="$IMPL" -v n="$N" -v ta=$((ta1 - ta0)) -v tb=$((tb1 - tb0)) \
    -v hz="$HZ" -v t0="$t0" -v t1="$t1" -v ra="$ra" -v rb="$rb" \
    -v na="$(echo $pa | wc -w)" -v nb="$(echo $pb | wc -w)" 'BEGIN {
	el = t1 - t0
	printf "RESULT impl=%s metric=cpu_s_per_min value=%.3f side=master vhids=%d procs=%d\n", i, ta / hz * 60 / el, n, na
	printf "RESULT impl=%s metric=cpu_s_per_min value=%.3f side=backup vhids=%d procs=%d\n", i, tb / hz * 60 / el, n, nb
	printf "RESULT impl=%s metric=rss_mib value=%.1f side=master\n", i, ra / 1024
	printf "RESULT impl=%s metric=rss_mib value=%.1f side=backup\n", i, rb / 1024
}'
pass "scale $IMPL"
