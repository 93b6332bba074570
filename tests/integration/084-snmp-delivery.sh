#!/bin/bash
# 084-snmp-delivery: carpd's notifications through snmpd's sinks, as
# carpd(8) documents them.
#   - SNMPv3: snmpd sends as user "carptrap" (SHA, AES, authPriv) with
#     `trapsess -v 3`; snmptrapd in C knows the user for snmpd's engine ID
#     only: carpdStateChange of A's election arrives, decrypted, as v3.
#   - An inform that survives a restart of its receiver: the second
#     snmptrapd (C, port 1162) is stopped, A's demotion is changed
#     (carpdDemotionChange, carpdAdminAction), snmptrapd starts again 3 s
#     later, and snmpd's retries (`trapsess -Ci -r 10 -t 1`) deliver both.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/carpd.sh"
. "$(dirname "$0")/snmp.sh"
lab_need curl
R=$CARPD_ROOT
C=192.0.2.110
ENGINE_TEXT=carpdtest
ENGINE=0x80001f8804$(printf %s "$ENGINE_TEXT" | od -An -tx1 | tr -d ' \n')

lab_init
lab_switch
lab_node a 192.0.2.61/24
lab_node c $C/24

# trapd NAME PORT EXTRA: an snmptrapd in C logging to $LAB_DIR/NAME.log.
trapd() {
	local name=$1 port=$2 extra=$3
	mkdir -p "$LAB_DIR/persist-$name"
	cat >"$LAB_DIR/$name.conf" <<CONF
$extra
doNotRetainNotificationLogs yes
format2 TRAP %b %P %#v\\n
[snmp] persistentDir $LAB_DIR/persist-$name
CONF
	lab_bg c "$LAB_DIR/$name.out" snmptrapd -f -C -c "$LAB_DIR/$name.conf" \
	    -Lf "$LAB_DIR/$name.log" -On -p "$LAB_DIR/$name.pid" "udp:$C:$port"
	TRAPD_PID=$LAB_LASTPID
	wait_for 5 grep -qs "NET-SNMP version" "$LAB_DIR/$name.log" ||
	    fail "snmptrapd $name did not start"
}
# v3: only this user, for snmpd's engine ID, may send.
trapd v3 162 "createUser -e $ENGINE carptrap SHA carp-auth-pass AES carp-priv-pass
authUser log carptrap priv"
trapd inform 1162 "disableAuthorization yes"
INFORM_PID=$TRAPD_PID

mkdir -p "$LAB_DIR/persist-snmpd-a"
cat >"$LAB_DIR/snmpd-a.conf" <<CONF
master agentx
agentXSocket unix:$LAB_DIR/agentx-a
agentaddress udp:127.0.0.1:161
rocommunity public
engineID $ENGINE_TEXT
createUser carptrap SHA carp-auth-pass AES carp-priv-pass
trapsess -v 3 -u carptrap -l authPriv -a SHA -A carp-auth-pass -x AES -X carp-priv-pass $C:162
trapsess -Ci -r 10 -t 1 -v 2c -c public $C:1162
[snmp] persistentDir $LAB_DIR/persist-snmpd-a
CONF
lab_bg a "$LAB_DIR/snmpd-a.out" snmpd -f -C -c "$LAB_DIR/snmpd-a.conf" \
    -Lf "$LAB_DIR/snmpd-a.log" -p "$LAB_DIR/snmpd-a.pid"
wait_for 5 test -S "$LAB_DIR/agentx-a" || fail "snmpd did not start"
{ echo 'ifconfig_eth0_alias0="inet vhid 1 pass test123 alias 192.0.2.111/24"'
  carpd_conf_agentx a; } | carpd_conf a
carpd_start a
carpd_wait a 1 MASTER 6 || fail "A did not become MASTER"

# v3: the election, authenticated and decrypted.
wait_for 10 eval 'grep -q "OID: $R.0.1, .*$R.1.2.1.3.[0-9]*.1 = INTEGER: 3" "$LAB_DIR/v3.log"' ||
    { cat "$LAB_DIR/v3.log"; fail "no SNMPv3 carpdStateChange"; }
line=$(grep "OID: $R.0.1," "$LAB_DIR/v3.log" | tail -1)
case "$line" in
*"SNMP v3, user carptrap"*) ;;
*) fail "not from the v3 user carptrap: $line" ;;
esac
echo "SNMPv3 (authPriv, user carptrap): carpdStateChange delivered"
# The inform receiver got it too.
wait_for 5 eval 'grep -q "OID: $R.0.1," "$LAB_DIR/inform.log"' ||
    fail "no inform of the election"

# The inform receiver goes away; an event; it comes back 3 s later.
kill "$INFORM_PID"
_lab_wait_gone 5 "$INFORM_PID" || fail "snmptrapd did not stop"
mv "$LAB_DIR/inform.log" "$LAB_DIR/inform-1.log"
curl -sS --max-time 5 --unix-socket "$LAB_DIR/ctl-a.sock" -o /dev/null \
    -X PUT -H 'Content-Type: application/json' \
    -d '{"value": 17, "reason": "inform test"}' http://localhost/v1/demotion ||
    fail "PUT /v1/demotion"
sleep 3
trapd inform 1162 "disableAuthorization yes"
wait_for 12 eval 'grep -q "OID: $R.0.2, .*$R.1.1.4.0 = INTEGER: 17," "$LAB_DIR/inform.log"' ||
    { cat "$LAB_DIR/inform.log"; fail "the carpdDemotionChange inform did not survive the restart"; }
wait_for 5 eval 'grep -q "OID: $R.0.4, .*$R.1.5.11.0 = STRING: \"inform test\"" "$LAB_DIR/inform.log"' ||
    fail "the carpdAdminAction inform did not survive the restart"
# And the v3 trap of the same event (sent once, its receiver was up).
grep -q "OID: $R.0.2, .*$R.1.1.4.0 = INTEGER: 17," "$LAB_DIR/v3.log" ||
    fail "no v3 carpdDemotionChange"
echo "inform: carpdDemotionChange and carpdAdminAction delivered after snmptrapd's restart"
pass
