# tests/integration/snmp.sh: net-snmp helpers for the namespace lab; source
# it after lib.sh and carpd.sh.
#
#   snmpd_start NODE ADDR TRAPHOST  snmpd (master agentx) in NODE, listening
#                                   on ADDR:161, its AgentX socket
#                                   $LAB_DIR/agentx-NODE, trap2sink to
#                                   TRAPHOST:162; pid in SNMPD_PID[NODE]
#   snmpd_stop NODE [SIG]           stop it (TERM) and wait
#   snmptrapd_start NODE ADDR       snmptrapd in NODE on ADDR:162, logging
#                                   "TRAP <sender> <varbinds>" lines to
#                                   $TRAP_LOG
#   snmp_q NODE CMD ARGS...         run an snmp command in NODE with the
#                                   MIBs loaded (CMD: snmpget, snmpwalk...)
#   snmp_get NODE HOST OBJ          the value (-Oqv) of OBJ, community public
#   snmp_traps OID [FROM]           TRAP lines whose snmpTrapOID is OID
#                                   (from the address FROM)
#   snmp_ifindex NODE               ifIndex of the node's eth0
#   snmp_hex ADDR                   an IPv4 address as net-snmp prints
#                                   InetAddress octets ("C0 00 02 3D")
#   snmp_date_epoch HEX...          a DateAndTime's octets -> epoch s
#   carpd_conf_agentx NODE          the agentx lines for carpd's config
#
# MIBs are loaded explicitly: -M +$REPO/mibs:$SHARED/mibs/base -m +CARPD-MIB.
REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
SHARED=${SHARED:-$REPO/../shared}
SNMP_MIBDIRS="$REPO/mibs:$SHARED/mibs/base"
CARPD_ROOT=.1.3.6.1.4.1.8072.9999.9999.112
TRAP_LOG=
declare -A SNMPD_PID

lab_need snmpd snmptrapd snmpget snmpwalk snmpset
[ -f "$SHARED/mibs/base/SNMPv2-SMI.txt" ] || skip "no $SHARED/mibs/base"

carpd_conf_agentx() {
	printf 'agentx-socket unix:%s/agentx-%s\nagentx-ping-interval %s\n' \
	    "$LAB_DIR" "$1" "${AGENTX_PING:-1}"
}

snmpd_start() {
	local n=$1 addr=$2 trap=$3
	local conf="$LAB_DIR/snmpd-$n.conf"
	mkdir -p "$LAB_DIR/persist-snmpd-$n"
	cat >"$conf" <<EOF
master agentx
agentXSocket unix:$LAB_DIR/agentx-$n
agentXTimeout 2
agentXRetries 0
agentaddress udp:$addr:161
rocommunity public
rwcommunity private
trap2sink $trap:162 public
[snmp] persistentDir $LAB_DIR/persist-snmpd-$n
EOF
	rm -f "$LAB_DIR/snmpd-$n.pid"
	lab_bg "$n" "$LAB_DIR/snmpd-$n.out" snmpd -f -C -c "$conf" \
	    -Lf "$LAB_DIR/snmpd-$n.log" -p "$LAB_DIR/snmpd-$n.pid" \
	    -M "+$SNMP_MIBDIRS" -m +CARPD-MIB
	SNMPD_PID[$n]=$LAB_LASTPID
	wait_for 5 test -S "$LAB_DIR/agentx-$n" ||
	    { cat "$LAB_DIR/snmpd-$n.log" >&2; fail "snmpd on $n did not start"; }
}

snmpd_stop() {
	local n=$1 sig=${2:-TERM}
	kill -"$sig" "${SNMPD_PID[$n]}" 2>/dev/null
	_lab_wait_gone 5 "${SNMPD_PID[$n]}" || fail "snmpd on $n did not exit"
}

snmptrapd_start() {
	local n=$1 addr=$2
	local conf="$LAB_DIR/snmptrapd-$n.conf"
	TRAP_LOG="$LAB_DIR/traps.log"
	mkdir -p "$LAB_DIR/persist-trapd-$n"
	cat >"$conf" <<EOF
disableAuthorization yes
doNotRetainNotificationLogs yes
format2 TRAP %b %#v\n
[snmp] persistentDir $LAB_DIR/persist-trapd-$n
EOF
	lab_bg "$n" "$LAB_DIR/snmptrapd-$n.out" snmptrapd -f -C -c "$conf" \
	    -Lf "$TRAP_LOG" -On -p "$LAB_DIR/snmptrapd-$n.pid" "udp:$addr:162"
	wait_for 5 grep -qs "NET-SNMP version" "$TRAP_LOG" ||
	    fail "snmptrapd did not start"
}

snmp_q() {
	local n=$1 cmd=$2; shift 2
	lab_exec "$n" "$cmd" -v2c -t 1 -r 1 -M "+$SNMP_MIBDIRS" -m +CARPD-MIB \
	    "$@" 2> >(grep -Ev '^(Cannot find module|Did not find|MIB search path)' >&2)
}

snmp_get() {
	snmp_q "$1" snmpget -c public -Oqv "$2" "CARPD-MIB::$3"
}

snmp_traps() {
	grep "^TRAP .*\[${2:-}.*\.1\.3\.6\.1\.6\.3\.1\.1\.4\.1\.0 = OID: $1," \
	    "$TRAP_LOG" 2>/dev/null
}

snmp_ifindex() {
	lab_exec "$1" cat /sys/class/net/eth0/ifindex
}

snmp_hex() {
	local IFS=.
	# shellcheck disable=SC2086
	printf '%02X %02X %02X %02X' $1
}

snmp_date_epoch() {
	"$PY" - "$@" <<'PYEOF'
import calendar, sys
b = [int(x, 16) for x in " ".join(sys.argv[1:]).split()]
y = b[0] * 256 + b[1]
print("%.1f" % (calendar.timegm((y, b[2], b[3], b[4], b[5], b[6])) + b[7] / 10))
PYEOF
}
