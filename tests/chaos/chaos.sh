# tests/chaos/chaos.sh: helpers shared by the chaos scenarios; source it
# from bash after setting nothing.  It sources the integration lab
# (tests/integration/lib.sh, carpd.sh), so every process runs inside the
# lab's namespaces and the lab's EXIT trap cleans up.
#
#   chaos_pair [EXTRA]      lab with nodes a (192.0.2.61, advskew 0),
#                           b (192.0.2.51, advskew 100) and c (client,
#                           192.0.2.110); A and B share vhid 1, VIP
#                           192.0.2.111, preempt on; each carpd has its
#                           own control socket ($LAB_DIR/ctl-NODE.sock),
#                           AgentX off (unless EXTRA sets it); EXTRA
#                           lines go in both configs
#   chaos_nft NODE          load the nft ruleset on stdin in NODE
#   chaos_loss NODE PCT     drop PCT % of the CARP packets NODE receives
#                           from others (its own looped-back multicast
#                           adverts are not counted)
#   chaos_block NODE        drop every CARP packet NODE receives from others
#   chaos_heal NODE         remove NODE's chaos rules
#   chaos_counts NODE       "SEEN DROPPED" CARP packets of the loss rule
#   chaos_ntrans NODE       vhid 1's transitions on NODE, as carpctl --json
#                           status counts them (the log's wording is no
#                           interface)
#   ctl NODE CURL-ARGS      curl through the node's control socket
#   result KEY=VALUE...     one "RESULT <scenario> ..." line on stdout
#
# Packet loss: this kernel has no netem, so loss and partitions are
# nftables rules in the input hook of the node's namespace.  carpd reads
# adverts on a raw IPPROTO_CARP socket, which the kernel feeds after the
# input hook (ip_local_deliver), so a dropped packet never reaches carpd
# while the capture on the bridge still sees it.
CHAOS_LIB=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
. "$CHAOS_LIB/../integration/lib.sh"
. "$CHAOS_LIB/../integration/carpd.sh"

VIP=192.0.2.111
declare -A ADDR=([a]=192.0.2.61 [b]=192.0.2.51 [c]=192.0.2.110)
CHAOS_NAME=$(basename "$0" .sh)

result() { printf 'RESULT %s %s\n' "$CHAOS_NAME" "$*"; }

chaos_sock() { echo "$LAB_DIR/ctl-$1.sock"; }

chaos_conf() {	# NODE SKEW EXTRA
	carpd_conf "$1" <<CONF
net.inet.carp.preempt=1
control-socket $(chaos_sock "$1")
$(case $3 in *agentx-socket*) ;; *) echo agentx-socket off;; esac)
ifconfig_eth0_alias0="inet vhid 1 advskew $2 pass chaos12 alias $VIP/24"
$3
CONF
}

# chaos_init: lab_init, with the lab's directory moved out of
# /tmp/carplab.*: other sessions on a shared host sweep that glob for
# leftovers, which removed a running scenario's logs (the lab's trap still
# removes $LAB_DIR at exit).
chaos_init() {
	lab_init
	rmdir "$LAB_DIR"
	LAB_DIR=$(mktemp -d "/var/tmp/carpchaos.$LAB_P.XXXXXX") || fail "mktemp"
}

chaos_pair() {
	lab_need nft
	chaos_init
	lab_switch
	lab_node a "${ADDR[a]}/24"
	lab_node b "${ADDR[b]}/24"
	lab_node c "${ADDR[c]}/24"
	chaos_conf a 0 "$1"
	chaos_conf b 100 "$1"
}

chaos_nft() {
	lab_exec "$1" nft -f - || fail "nft on $1"
}

chaos_loss() {
	local m="ip protocol 112 ip saddr != ${ADDR[$1]}"
	chaos_heal "$1"
	chaos_nft "$1" <<EOF
table inet chaos {
	chain input {
		type filter hook input priority filter - 10; policy accept;
		$m counter numgen random mod 100 < $2 counter drop
	}
}
EOF
}

chaos_block() {
	local m="ip protocol 112 ip saddr != ${ADDR[$1]}"
	chaos_heal "$1"
	chaos_nft "$1" <<EOF
table inet chaos {
	chain input {
		type filter hook input priority filter - 10; policy accept;
		$m counter drop
	}
}
EOF
}

chaos_heal() {
	lab_exec "$1" nft delete table inet chaos 2>/dev/null
	return 0
}

chaos_counts() {
	lab_exec "$1" nft list table inet chaos | sed -nE \
	    's/.*counter packets ([0-9]+) .*counter packets ([0-9]+) .*/\1 \2/p'
}

chaos_ntrans() {
	local s t n=0
	for s in INIT BACKUP MASTER; do
		t=$(vhid_transitions "$1" 1 $s)
		[ "$t" = NONE ] && { echo NONE; return; }
		n=$((n + t))
	done
	echo $n
}

ctl() {
	local n=$1; shift
	curl -sS --max-time 5 --unix-socket "$(chaos_sock "$n")" "$@"
}

# chaos_running NODE: carpd on NODE is alive and answers on its socket.
chaos_running() {
	kill -0 "${CARPD_PID[$1]}" 2>/dev/null &&
	    ctl "$1" -o /dev/null -w '%{http_code}' http://x/v1/status |
	    grep -qx 200
}

# chaos_start_pair: capture, address monitors, carpd on A then B; A MASTER.
chaos_start_pair() {
	lab_capture_start
	lab_addr_monitor_start a
	lab_addr_monitor_start b
	sleep 0.2
	carpd_start a
	carpd_start b
	carpd_wait a 1 MASTER 6 || fail "A did not become MASTER"
	carpd_wait b 1 BACKUP 1 || fail "B is not BACKUP"
}
