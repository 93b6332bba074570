#!/bin/bash
# tests/integration/demo.sh: the seed scenario, narrated, for `make demo`.
#
# Two controllers share the virtual address 192.0.2.111 (vhid 1, password
# test123, preemption on): A 192.0.2.61 (advskew 0, preferred) and B
# 192.0.2.51 (advskew 100).  A laptop 192.0.2.110 pings the VIP.  We pull
# A's cable, watch B take over, plug it back and watch A take the address
# back.  Everything runs in network namespaces (tests/integration/lib.sh)
# and is torn down at the end.  About 30 seconds; needs root.
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

section "carpd demo: two controllers share $VIP"
lab_init
lab_switch
lab_node a 192.0.2.61/24
lab_node b 192.0.2.51/24
lab_node laptop 192.0.2.110/24
say lab "switch + A 192.0.2.61, B 192.0.2.51, laptop 192.0.2.110"
for n in a b; do
	skew=0; [ $n = b ] && skew=100
	carpd_conf $n <<CONF
net.inet.carp.preempt=1
control-socket $LAB_DIR/$n.sock
http-listen $(demo_ip $n):10112
ifconfig_eth0_alias0="inet vhid 1 advskew $skew pass test123 alias $VIP/24"
CONF
	say "${n^^}" "carpd.conf: $(tail -1 "$LAB_DIR/carpd-$n.conf")"
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

# --- SNMP: show the carp MIB from A here (snmpwalk), added later ---
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

# --- SNMP: the trap receiver's log of the two transitions, added later ---
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
