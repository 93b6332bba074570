# tests/integration/carpd.sh: carpd helpers for the namespace lab; source it
# after lib.sh.
#
#   carpd_conf NODE            write the node's config from stdin (plus a
#                              control-socket in $LAB_DIR, agentx-socket off,
#                              unless the config sets them)
#   carpd_start NODE [ARGS]    start carpd -d on it (pid in CARPD_PID[NODE])
#   carpd_stop NODE [SIG]      send SIG (TERM) and wait for the exit
#   vhid_state NODE VHID[@IF]  the VHID's state, as `carpctl --json status`
#                              on the node's control socket says; NONE when
#                              carpd does not answer or has no such VHID
#   vhid_reason NODE VHID[@IF] the reason of its last transition
#   vhid_transitions NODE VHID[@IF] STATE
#                              how many times it entered STATE
#   carpd_state NODE VHID      the same as vhid_state (the log's wording is
#                              not an interface: no test reads state there)
#   carpd_wait NODE VHID STATE TIMEOUT
#   carpd_sock NODE            the node's control socket, from its config
#   carpd_log NODE             the log file
CARPD=${CARPD:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)/build/carpd}
CARPCTL=${CARPCTL:-$(dirname "$CARPD")/carpctl}
declare -A CARPD_PID

[ -x "$CARPD" ] || skip "no $CARPD (run make)"

carpd_log() { echo "$LAB_DIR/carpd-$1.log"; }

# Nodes share the filesystem: unless the test says otherwise, each gets its
# own control socket, and no AgentX (there is no snmpd).
carpd_conf() {
	local f=$LAB_DIR/carpd-$1.conf
	cat >"$f"
	grep -q '^control-socket' "$f" ||
	    echo "control-socket $LAB_DIR/ctl-$1.sock" >>"$f"
	grep -q '^agentx-socket' "$f" || echo "agentx-socket off" >>"$f"
}

# carpd_conf_groups NODE N PRIO [FIRST PRIO_FIRST]: NODE's conf of N
# VRRPv3 groups at 10 ms (VRID i, VIP 198.18.1.i/32) as FreeBSD's rc.conf
# lines, preempting; priority PRIO, or PRIO_FIRST for VRIDs 1..FIRST.
carpd_conf_groups() {
	local i p
	{
		echo "net.inet.carp.preempt=1"
		for i in $(seq 1 "$2"); do
			p=$3
			[ -n "$4" ] && [ "$i" -le "$4" ] && p=$5
			echo "ifconfig_eth0_alias$i=\"inet vhid $i carpver 3 vrrpprio $p vrrpinterval 1 alias 198.18.1.$i/32\""
		done
	} | carpd_conf "$1"
}
# carpd_nvips NODE: how many of those VIPs NODE holds.
carpd_nvips() { lab_exec "$1" ip -4 -o addr show | grep -c ' 198\.18\.1\.'; }

carpd_start() {
	local n=$1; shift
	lab_bg "$n" "$(carpd_log "$n")" $CARPD_WRAP "$CARPD" -d \
	    -f "$LAB_DIR/carpd-$n.conf" "$@"
	CARPD_PID[$n]=$LAB_LASTPID
	# Started once it logs its banner (or dies).
	wait_for 5 grep -q "started" "$(carpd_log "$n")" ||
	    { cat "$(carpd_log "$n")" >&2; fail "carpd on $n did not start"; }
}

carpd_stop() {
	local n=$1 sig=${2:-TERM} i
	kill -"$sig" "${CARPD_PID[$n]}" 2>/dev/null
	for i in $(seq 100); do
		kill -0 "${CARPD_PID[$n]}" 2>/dev/null || return 0
		sleep 0.05
	done
	fail "carpd on $n did not exit after SIG$sig"
}

carpd_sock() {
	sed -n 's/^control-socket[[:space:]]*//p' "$LAB_DIR/carpd-$1.conf" |
	    tail -1
}

# _vhid_json NODE VHID[@IF] EXPR: EXPR evaluated (Python) on the VHID's
# object "v" of the node's status; NONE if there is none.
_vhid_json() {
	"$CARPCTL" -s "$(carpd_sock "$1")" --json status 2>/dev/null |
	    "$PY" -c '
import json, sys
want, expr = sys.argv[1], sys.argv[2]
vhid, _, ifname = want.partition("@")
try:
    doc = json.load(sys.stdin)
except ValueError:
    print("NONE"); sys.exit(0)
for v in doc.get("vhids", []):
    if v["vhid"] == int(vhid) and ifname in ("", v["interface"]):
        print(eval(expr)); break
else:
    print("NONE")
' "$2" "$3"
}
vhid_state() { _vhid_json "$1" "$2" 'v["state"]'; }
vhid_reason() { _vhid_json "$1" "$2" 'v["last_transition"]["reason"]'; }
vhid_transitions() {
	_vhid_json "$1" "$2" 'v["counters"]["transitions"]["'"${3,,}"'"]'
}
carpd_state() { vhid_state "$@"; }

carpd_wait() {
	wait_for "$4" eval '[ "$(carpd_state '"$1"' '"$2"')" = '"$3"' ]'
}
