#!/bin/bash
# tests/integration/demo.sh: the seed scenario, narrated, for `make demo`.
#
# Two controllers share the virtual address 192.0.2.111 (vhid 1, password
# test123, preemption on): A 192.0.2.61 (advskew 0, preferred) and B
# 192.0.2.51 (advskew 100).  A laptop 192.0.2.110 pings the VIP.  We pull
# A's cable, watch B take over, plug it back and watch A take the address
# back.  Everything runs in network namespaces (tests/integration/lib.sh)
# and is torn down at the end.  With net-snmp installed, A and B also run
# snmpd (carpd is its AgentX subagent) and the laptop a trap receiver: the
# laptop walks A's VHID table before the failover and shows the
# carpdStateChange traps that came with it.  About 30 seconds; needs root.
[ -n "$BASH_VERSION" ] || exec bash "$0" "$@"
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib.sh"
. "$here/carpd.sh"
VIP=192.0.2.111
T0=$(date +%s.%N)

# Narration: elapsed time, a tag, the text.
say() { printf '%7s  %-8s %s\n' "$(awk -v a="$T0" -v b="$(date +%s.%N)" \
    'BEGIN { printf "+%.1fs", b - a }')" "$1" "$2"; }
section() { printf '\n== %s\n' "$*"; }
states() {	# each node's state, from its last transition line in the log
	local n line
	for n in a b; do
		line=$(grep -E 'carp: 1@eth0: [A-Z]+ -> ' "$(carpd_log $n)" | tail -1)
		say "${n^^}" "$(printf '%-7s %-36s (log %s)' "$(carpd_state $n 1)" \
		    "$(echo "$line" | sed -E 's/^[^ ]+ carp: 1@eth0: //')" "${line%% *}")"
	done
}
holder() {
	local n out=
	for n in a b; do lab_has_addr $n "$VIP" && out="$out${out:+ and }${n^^}"; done
	echo "${out:-nobody}"
}
die() { say "error" "$*"; exit 1; }
# --- HTTP (exporters): helpers ---
demo_ip() { [ "$1" = a ] && echo 192.0.2.61 || echo 192.0.2.51; }
CARPCTL="$here/../../build/carpctl"
demo_http() {	# the laptop's curl of /metrics and carpctl status, per node
	local n
	for n in a b; do
		lab_exec laptop curl -s "http://$(demo_ip $n):10112/metrics" |
		    grep -E "^carp_vhid_($1)" | while read -r l; do
			say "${n^^}" "/metrics: $l"
		done
		[ -n "$2" ] || continue
		"$CARPCTL" -s "$LAB_DIR/$n.sock" status | while read -r l; do
			say "${n^^}" "carpctl status: $l"
		done
	done
}
# --- end HTTP ---
# --- SNMP: helpers (tests/integration/snmp.sh) ---
SNMP=0
if command -v snmpd >/dev/null && command -v snmptrapd >/dev/null &&
    command -v snmpwalk >/dev/null &&
    [ -f "${SHARED:-$here/../../../shared}/mibs/base/SNMPv2-SMI.txt" ]; then
	. "$here/snmp.sh"
	SNMP=1
fi
demo_node() {	# an address -> A, B or the address
	case $1 in 192.0.2.61) echo A ;; 192.0.2.51) echo B ;; *) echo "$1" ;; esac
}
demo_walk() {	# the laptop walks A's carpdVhidTable, a few columns
	say laptop "snmpwalk -v2c -c public 192.0.2.61 CARPD-MIB::carpdVhidTable"
	snmp_q laptop snmpwalk -c public -Os 192.0.2.61 CARPD-MIB::carpdVhidTable |
	    grep -E '^carpdVhid(State|AdvSkew|MasterAddress|TransitionsTo(Master|Backup))\.' |
	    while read -r l; do
		# InetAddress octets, as net-snmp prints them: dotted too
		if [[ $l == *"Hex-STRING: "* ]]; then
			# shellcheck disable=SC2046
			l="$l (= $(printf '%d.%d.%d.%d' $(printf ' 0x%s' \
			    ${l##*Hex-STRING: })))"
		fi
		say A "  $l"
	done
}
demo_traps() {	# carpdStateChange traps after line $1 of the trap log
	tail -n +"$(( $1 + 1 ))" "$TRAP_LOG" | demo_trap_fields |
	    while read -r from to was why; do
		say laptop "trap from $(demo_node "$from"): vhid 1 $was -> $to ($why)"
	done
}
demo_trap_fields() {	# TRAP lines -> "sender state previous reason"
	awk -v st="$CARPD_ROOT.1.2.1." '
	BEGIN {
		split("init backup master", S, " ")
		split("none initializationComplete moreFrequentAdvertisement " \
		    "preemptingSlowerMaster masterWillTimeOut masterTimedOut " \
		    "interfaceDown interfaceUp userRequested adminDemoted " \
		    "maintenance shuttingDown addressListChanged carpDisabled " \
		    "vhidRemoved", R, " ")
		sub(/^\./, "", st)
	}
	/^TRAP / && index($0, st "3.") {
		from = $0; sub(/^TRAP UDP: \[/, "", from); sub(/\].*/, "", from)
		n = split($0, f, ", ")
		to = was = why = "?"
		for (i = 1; i <= n; i++) {
			v = f[i]; sub(/.*INTEGER: /, "", v); v += 0
			if (index(f[i], st "3.")) to = S[v]
			if (index(f[i], st "4.")) was = S[v]
			if (index(f[i], st "17.")) why = R[v]
		}
		print from, to, was, why
	}'
}
# --- end SNMP ---

section "carpd demo: two controllers share $VIP"
lab_init
lab_switch
lab_node a 192.0.2.61/24
lab_node b 192.0.2.51/24
lab_node laptop 192.0.2.110/24
say lab "switch + A 192.0.2.61, B 192.0.2.51, laptop 192.0.2.110"
# --- SNMP: snmpd on A and B (carpd is their AgentX subagent), traps to
# the laptop ---
if [ "$SNMP" = 1 ]; then
	snmptrapd_start laptop 192.0.2.110
	snmpd_start a 192.0.2.61 192.0.2.110
	snmpd_start b 192.0.2.51 192.0.2.110
	say lab "snmpd on A and B (master agentx, traps to the laptop), snmptrapd on the laptop"
else
	say lab "(no net-snmp or MIBs: the SNMP part is left out)"
fi
# --- end SNMP ---
for n in a b; do
	skew=0; [ $n = b ] && skew=100
	carpd_conf $n <<CONF
net.inet.carp.preempt=1
control-socket $LAB_DIR/$n.sock
http-listen $(demo_ip $n):10112
ifconfig_eth0_alias0="inet vhid 1 advskew $skew pass test123 alias $VIP/24"
$([ "$SNMP" = 1 ] && carpd_conf_agentx $n)
CONF
	say "${n^^}" "carpd.conf: $(grep ^ifconfig "$LAB_DIR/carpd-$n.conf")"
done

section "Start carpd on both; every VHID waits one master-down interval"
carpd_start a
carpd_start b
say "" "both started; A waits 3.0 s, B 3.39 s (3 x advbase + advskew/256)"
lab_ping_start laptop "$VIP"
carpd_wait a 1 MASTER 8 || die "A did not become MASTER"
carpd_wait b 1 BACKUP 2 || die "B is not BACKUP"
states
lab_ping_flowing 5 || die "the laptop gets no replies"
say laptop "ping $VIP: replies from $(holder)"

# --- SNMP: the laptop walks A's VHID table ---
if [ "$SNMP" = 1 ]; then
	section "SNMP: the VHID table of A, walked from the laptop"
	demo_walk
	TRAP_MARK=$(wc -l <"$TRAP_LOG")
fi
# --- end SNMP ---
# --- HTTP (exporters): /metrics from the laptop, carpctl on each node ---
section "HTTP: curl /metrics from the laptop, carpctl status on A and B"
demo_http 'state\{' status
# --- end HTTP ---

section "Pull A's cable"
t_pull=$(lab_now)
lab_cable_pull a
say A "cable pulled"
carpd_wait b 1 MASTER 8 || die "B did not take over"
states
lab_ping_flowing 5 || die "the laptop gets no replies from B"
t_b=$(lab_now)
say laptop "ping $VIP: replies from $(holder), outage $(lab_ping_gap "$LAB_PING_LOG" "$t_pull" "$t_b") ms"
say "" "(B waited its master-down interval: 3 x 1 s + 100/256 s after A's last advert)"

section "Plug A back in: A is preferred and preempts"
sleep 1
t_plug=$(lab_now)
lab_cable_plug a
say A "cable plugged"
carpd_wait a 1 MASTER 8 || die "A did not take the VIP back"
wait_for 2 eval '[ "$(carpd_state b 1)" = BACKUP ]' || die "B did not step down"
states
lab_ping_flowing 5 || die "the laptop gets no replies after preemption"
sleep 1
say laptop "ping $VIP: replies from $(holder), longest gap $(lab_ping_gap "$LAB_PING_LOG" "$t_plug" "$(lab_now)") ms"

# --- SNMP: the traps of the failover and of the preemption ---
if [ "$SNMP" = 1 ]; then
	section "SNMP: carpdStateChange traps the laptop received since the pull"
	wait_for 3 eval 'demo_traps $TRAP_MARK | grep -q "from A: .* -> master"'
	demo_traps "$TRAP_MARK"
	demo_traps "$TRAP_MARK" | grep -q "from A: .* -> init" ||
	    say "" "(A's own trap for the pull left while its cable was out: lost)"
fi
# --- end SNMP ---
# --- HTTP (exporters): the counters after the failover ---
section "HTTP: /metrics after the failover and preemption"
demo_http 'state\{|transitions_total\{.*to="master"'
# --- end HTTP ---

section "Tear down"
lab_ping_stop
carpd_stop a
carpd_stop b
say "" "carpd stopped on A and B (each bowed out and released the VIP)"
say "" "$(lab_ping_replies "$LAB_PING_LOG") ping replies in all; namespaces removed on exit"
printf '\ndone in %s\n' "$(awk -v a="$T0" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f s", b - a }')"
