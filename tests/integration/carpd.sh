# tests/integration/carpd.sh: carpd helpers for the namespace lab; source it
# after lib.sh.
#
#   carpd_conf NODE            write the node's config from stdin (plus a
#                              control-socket in $LAB_DIR, agentx-socket off,
#                              unless the config sets them)
#   carpd_start NODE [ARGS]    start carpd -d on it (pid in CARPD_PID[NODE])
#   carpd_stop NODE [SIG]      send SIG (TERM) and wait for the exit
#   carpd_state NODE VHID      the VHID's state from carpd's log (FreeBSD's
#                              "carp: 1@eth0: BACKUP -> MASTER (...)" lines)
#   carpd_wait NODE VHID STATE TIMEOUT
#   carpd_log NODE             the log file
CARPD=${CARPD:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)/build/carpd}
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

carpd_state() {
	local s
	s=$(grep -E "carp: $2@[^:]+: [A-Z]+ -> [A-Z]+ " "$(carpd_log "$1")" |
	    tail -1 | sed -E 's/.* -> ([A-Z]+) .*/\1/')
	echo "${s:-NONE}"
}

carpd_wait() {
	wait_for "$4" eval '[ "$(carpd_state '"$1"' '"$2"')" = '"$3"' ]'
}
