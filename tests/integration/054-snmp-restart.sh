#!/bin/bash
# 054-snmp-restart: the subagent and its master agent's life cycle.
# carpd (A, MASTER; B BACKUP) starts before snmpd: A's objects appear once
# snmpd comes, within the ping interval (2 s here).  snmpd is stopped;
# while it is away A's demotion changes (reload with demotion 200, a
# failover follows); snmpd starts again: the objects are back within the
# ping interval and the notifications raised during the outage arrive,
# with their original event time.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/carpd.sh"
. "$(dirname "$0")/snmp.sh"
VIP=192.0.2.111
R=$CARPD_ROOT
AGENTX_PING=2

lab_init
lab_switch
lab_node a 192.0.2.61/24
lab_node b 192.0.2.51/24
lab_node c 192.0.2.110/24
snmptrapd_start c 192.0.2.110
conf_a() {
	{ echo "net.inet.carp.preempt=1"
	  [ -n "$1" ] && echo "net.inet.carp.demotion=$1"
	  echo "ifconfig_eth0_alias0=\"inet vhid 1 advskew 0 pass test123 alias $VIP/24\""
	  carpd_conf_agentx a; } | carpd_conf a
}
conf_a
{ echo "net.inet.carp.preempt=1"
  echo "ifconfig_eth0_alias0=\"inet vhid 1 advskew 100 pass test123 alias $VIP/24\""; } |
    carpd_conf b
carpd_start a
carpd_start b
carpd_wait a 1 MASTER 6 || fail "A did not become MASTER"
ia=$(snmp_ifindex a)
grep -q "no AgentX master agent at" "$(carpd_log a)" || fail "no 'not yet' line"

# snmpd comes after carpd.
t0=$(lab_now)
snmpd_start a 127.0.0.1 192.0.2.110
wait_for $((AGENTX_PING + 2)) eval \
    '[ "$(snmp_get a 127.0.0.1 carpdVhidState.'"$ia"'.1 2>/dev/null)" = master ]' ||
    fail "objects not served after snmpd started"
echo "snmpd started after carpd: objects after $(lab_ms "$t0" "$(lab_now)") ms"

# snmpd restarted; a demotion change and a failover while it is away.
snmpd_stop a
wait_for 3 grep -q "AgentX session to .* lost" "$(carpd_log a)" ||
    fail "carpd did not notice snmpd leaving"
n0=$(snmp_traps $R.0.2 | wc -l)
outage=$(date +%s.%N)
conf_a 200
kill -HUP "${CARPD_PID[a]}"
carpd_wait a 1 BACKUP 6 || fail "A did not hand over"
sleep 1
t0=$(lab_now)
snmpd_start a 127.0.0.1 192.0.2.110
wait_for $((AGENTX_PING + 2)) eval \
    '[ "$(snmp_get a 127.0.0.1 carpdVhidState.'"$ia"'.1 2>/dev/null)" = backup ]' ||
    fail "objects not back after the restart"
echo "snmpd restarted: objects back after $(lab_ms "$t0" "$(lab_now)") ms"
wait_for 5 eval '[ "$(snmp_traps $R.0.2 | wc -l)" -gt '"$n0"' ]' ||
    { cat "$TRAP_LOG"; fail "the demotion change raised in the outage was lost"; }
line=$(snmp_traps $R.0.2 | tail -1)
case "$line" in *"$R.1.1.4.0 = INTEGER: 200"*) ;; *) fail "demotion varbind: $line";; esac
hex=$(printf '%s\n' "$line" | sed -nE "s/.*$R\.1\.5\.1\.0 = Hex-STRING: ([0-9A-F ]+).*/\1/p")
ev=$(snmp_date_epoch $hex)
"$PY" -c 'import sys; sys.exit(0 if float(sys.argv[2]) - 0.2 <= float(sys.argv[1]) <= float(sys.argv[3]) else 1)' \
    "$ev" "$outage" "$(lab_now)" || fail "event time $ev is not in the outage ($outage)"
snmp_traps $R.0.1 | grep -q "$R.1.2.1.3.$ia.1 = INTEGER: 2" ||
    fail "the state change raised in the outage was lost"
echo "notifications raised during the outage delivered, event time $ev (outage from $outage)"
pass
