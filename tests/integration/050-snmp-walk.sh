#!/bin/bash
# 050-snmp-walk: CARPD-MIB through a real snmpd master during the seed
# failover.  A (advskew 0) and B (advskew 100) share vhid 1, preempt on;
# each runs snmpd (master agentx, on 127.0.0.1) with carpd as its AgentX
# subagent.  After the election, after A's cable is pulled and after it is
# plugged back, a walk of the whole MIB on each node must agree with
# carpd's own view: the transition lines of its log (state, reason, time),
# the number of transitions, the master's address and the counters.
# Holds set with carpctl on B's control socket (as sudo runs it) show who
# set them and when (carpdVhidAdminSetBy/Time, carpdMaintenanceSetBy/Time),
# empty once lifted.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/carpd.sh"
. "$(dirname "$0")/snmp.sh"
VIP=192.0.2.111
declare -A IP=([a]=192.0.2.61 [b]=192.0.2.51)
export TZ=UTC	# carpd's log times and DateAndTime compare directly

lab_init
lab_switch
lab_node a "${IP[a]}/24"
lab_node b "${IP[b]}/24"
lab_node c 192.0.2.110/24
for n in a b; do
	skew=0; [ $n = b ] && skew=100
	{ echo "net.inet.carp.preempt=1"
	  echo "ifconfig_eth0_alias0=\"inet vhid 1 advskew $skew pass test123 alias $VIP/24\""
	  carpd_conf_agentx $n; } | carpd_conf $n
	snmpd_start $n 127.0.0.1 192.0.2.110
done
carpd_start a
carpd_start b

# walk NODE: the whole MIB, one "name.index value" line per instance.
walk() {
	snmp_q "$1" snmpwalk -c public -OQsU 127.0.0.1 CARPD-MIB::carpdMIB \
	    >"$LAB_DIR/walk-$1.txt" || fail "walk of $1"
	[ -s "$LAB_DIR/walk-$1.txt" ] || fail "empty walk of $1"
}
# val NODE NAME.INDEX: a value from the last walk of NODE.
val() {
	sed -n "s/^$2 = //p" "$LAB_DIR/walk-$1.txt"
}
# check NODE NAME.INDEX WANT
check() {
	local got; got=$(val "$1" "$2")
	[ "$got" = "$3" ] || { cat "$LAB_DIR/walk-$1.txt" >&2;
	    fail "$1: $2 is '$got', want '$3'"; }
}
# agree NODE ROW REASON: the row of vhid 1 agrees with what carpctl --json
# says of it: state, reason and time of the last transition (to the tenth
# of a second).
agree() {
	local n=$1 r=$2 state reason epoch t logt snmpt
	state=$(vhid_state "$n" 1 | tr 'A-Z' 'a-z')
	reason=$(vhid_reason "$n" 1)
	epoch=$(_vhid_json "$n" 1 'v["last_transition"]["time"]["epoch"]')
	check "$n" "carpdVhidState.$r" "$state"
	check "$n" "carpdVhidLastChangeReason.$r" "$3"
	echo "$n: $state ($reason) = $(val "$n" "carpdVhidLastChangeReason.$r")"
	# 2026-11-26,8:11:8.1,+0:0 in the MIB, local time.
	t=$(val "$n" "carpdVhidLastChangeDate.$r" | cut -d, -f2)
	snmpt=$("$PY" -c 'import sys
h, m, s = sys.argv[1].split(":"); print("%.1f" % (int(h) * 3600 + int(m) * 60 + float(s)))' "$t")
	logt=$("$PY" -c 'import sys, time
e = float(sys.argv[1]); l = time.localtime(e)
print("%.2f" % (l.tm_hour * 3600 + l.tm_min * 60 + l.tm_sec + e % 1))' "$epoch")
	"$PY" -c 'import sys; sys.exit(0 if abs(float(sys.argv[1]) - float(sys.argv[2])) <= 0.15 else 1)' \
	    "$snmpt" "$logt" || fail "$n: last change $t, carpctl says $epoch"
}
# count NODE STATE: transitions of vhid 1 into STATE, as carpctl says.
count() { vhid_transitions "$1" 1 "$2"; }

ia=$(snmp_ifindex a); ib=$(snmp_ifindex b)
ra="$ia.1"; rb="$ib.1"

# Election.
carpd_wait a 1 MASTER 6 || fail "A did not become MASTER"
carpd_wait b 1 BACKUP 1 || fail "B is not BACKUP"
wait_for 5 eval '[ "$(snmp_get a 127.0.0.1 carpdVhidState.'"$ra"')" = master ]' ||
    fail "A's carpdVhidState is not master"
sleep 2.2	# adverts each way, and a snapshot taken since
walk a; walk b
agree a "$ra" masterTimedOut
agree b "$rb" initializationComplete
check a "carpdVhidPreviousState.$ra" backup
check a "carpdVhidIfName.$ra" eth0
check a "carpdVhidAdvSkew.$ra" 0
check b "carpdVhidAdvSkew.$rb" 100
check b "carpdVhidEffectiveAdvSkew.$rb" 100
check a "carpdVhidMasterAddressType.$ra" ipv4
check a "carpdVhidMasterAddress.$ra" "\"$(snmp_hex "${IP[a]}") \""
check b "carpdVhidMasterAddress.$rb" "\"$(snmp_hex "${IP[a]}") \""
check a "carpdVhidTransitionsToMaster.$ra" "$(count a MASTER)"
check b "carpdVhidTransitionsToMaster.$rb" 0
check a "carpdVhidAddressCount.$ra" 1
check a "carpdAddressPrefixLength.$ra.ipv4.\"$VIP\"" 24
check a "carpdVhidCount.0" 1
check a "carpdPreempt.0" true
check a "carpdDemotion.0" 0
check a "carpdMaintenance.0" false
check a "carpdVersion.0" "$("$CARPD" -V | cut -d' ' -f2)"
# The node's counts by state, the discontinuity time, the 32-bit twins.
check a "carpdMasterCount.0" 1
check a "carpdBackupCount.0" 0
check a "carpdInitCount.0" 0
check b "carpdMasterCount.0" 0
check b "carpdBackupCount.0" 1
check a "carpdCounterDiscontinuityTime.0" 0:0:00:00.00
check a "carpdVhidTransitionsToMaster32.$ra" "$(count a MASTER)"
check a "carpdTransitionsToMaster32.0" "$(count a MASTER)"
check a "carpdNotificationsDropped.0" 0
check a "carpdNotificationsFolded.0" 0
# An SNMPv1 poller sees the Counter32 twins (and no Counter64).
v1=$(lab_exec a snmpget -v1 -c public -t 1 -r 1 -On 127.0.0.1 \
    "$CARPD_ROOT.1.2.1.32.$ra" "$CARPD_ROOT.1.4.17.0" 2>&1) ||
    fail "SNMPv1 get of the Counter32 twins: $v1"
echo "$v1" | grep -q "^$CARPD_ROOT.1.2.1.32.$ra = Counter32: $(count a MASTER)\$" ||
    fail "SNMPv1 carpdVhidTransitionsToMaster32: $v1"
echo "$v1" | grep -q "^$CARPD_ROOT.1.4.17.0 = Counter32: $(count a MASTER)\$" ||
    fail "SNMPv1 carpdTransitionsToMaster32: $v1"
# net-snmp loads no MIB file in carpd, so it never complains of one.
for n in a b; do
	grep -E 'Cannot find module|MIB search path' "$(carpd_log $n)" &&
	    fail "carpd on $n logs net-snmp's MIB loading"
done
sent=$(val a "carpdVhidAdvertsSent.$ra")
[ "$sent" -ge 2 ] || fail "A sent $sent adverts"
recv=$(val b "carpdVhidAdvertsReceived.$rb")
[ "$recv" -ge 1 ] || fail "B received $recv adverts"
[ "$(val a carpdIpPktsSent.0)" -ge "$sent" ] || fail "carpdIpPktsSent"
[ "$(val b carpdIpPktsRecv.0)" -ge "$recv" ] || fail "carpdIpPktsRecv"
echo "election: walks agree (A sent $sent adverts, B received $recv)"

# Cable pull: B takes over, A goes INIT with the interface-down demotion.
lab_cable_pull a
carpd_wait b 1 MASTER 6 || fail "B did not take over"
carpd_wait a 1 INIT 2 || fail "A did not go INIT"
sleep 1.2
walk a; walk b
agree b "$rb" masterTimedOut
agree a "$ra" interfaceDown
check a "carpdVhidPreviousState.$ra" master
check a "carpdVhidLinkUp.$ra" false
check a "carpdInitCount.0" 1
check a "carpdMasterCount.0" 0
check b "carpdMasterCount.0" 1
check a "carpdDemotion.0" 240
check a "carpdVhidEffectiveAdvSkew.$ra" 240
check a "carpdVhidMasterAddressType.$ra" unknown
check b "carpdVhidMasterAddress.$rb" "\"$(snmp_hex "${IP[b]}") \""
check b "carpdVhidTransitionsToMaster.$rb" "$(count b MASTER)"
sent2=$(val a "carpdVhidAdvertsSent.$ra")
[ "$sent2" -ge "$sent" ] || fail "A's adverts sent went back"
echo "cable pulled: walks agree"

# Plug back: A preempts B.
lab_cable_plug a
carpd_wait a 1 MASTER 8 || fail "A did not take the VIP back"
carpd_wait b 1 BACKUP 3 || fail "B did not step down"
sleep 1.2
walk a; walk b
agree a "$ra" preemptingSlowerMaster
agree b "$rb" moreFrequentAdvertisement
check a "carpdVhidTransitionsToMaster.$ra" "$(count a MASTER)"
check a "carpdVhidTransitionsToBackup.$ra" "$(count a BACKUP)"
check b "carpdVhidTransitionsToBackup.$rb" "$(count b BACKUP)"
check b "carpdVhidTransitionsToBackup32.$rb" "$(count b BACKUP)"
check b "carpdVhidMasterAddress.$rb" "\"$(snmp_hex "${IP[a]}") \""
check a "carpdDemotion.0" 0
check a "carpdTransitionsToMaster.0" "$(count a MASTER)"
echo "plugged back: walks agree"

# Holds on B (BACKUP: nothing moves): who and when, as the audit line.
# recent NODE OBJECT: a DateAndTime within a minute of now.
# 2026-12-3,6:10:7.0,+0:0 as net-snmp shows it.
recent() {
	local d
	d=$(snmp_get "$1" 127.0.0.1 "$2") || fail "get $2"
	"$PY" -c 'import calendar, re, sys, time
y, mo, d, h, mi, s = re.match(r"(\d+)-(\d+)-(\d+),(\d+):(\d+):(\d+)\.\d,\+0:0$",
    sys.argv[1]).groups()
t = calendar.timegm((int(y), int(mo), int(d), int(h), int(mi), int(s)))
sys.exit(0 if 0 <= time.time() - t < 60 else 1)' "$d" ||
	    fail "$2 is $d, not now"
}
check b "carpdVhidAdminSetBy.$rb" ''
check b "carpdVhidAdminSetTime.$rb" 0-0-0,0:0:0.0
check b "carpdMaintenanceSetBy.0" ''
SUDO_USER=alice "$CARPCTL" -s "$(carpd_sock b)" demote 1 -r "who test" \
    >/dev/null || fail "carpctl demote on B"
SUDO_USER=alice "$CARPCTL" -s "$(carpd_sock b)" maintenance on -r "who test" \
    >/dev/null || fail "carpctl maintenance on B"
sleep 1.2	# a snapshot taken since
walk b
for o in "carpdVhidAdminSetBy.$rb" carpdMaintenanceSetBy.0; do
	by=$(val b "$o")
	[[ $by =~ ^\"?uid=0\ pid=[0-9]+\ sudo_user=alice\"?$ ]] ||
	    { cat "$LAB_DIR/walk-b.txt" >&2; fail "$o is '$by'"; }
	echo "held: $o = $by"
done
recent b "carpdVhidAdminSetTime.$rb"
recent b carpdMaintenanceSetTime.0
"$CARPCTL" -s "$(carpd_sock b)" promote 1 >/dev/null || fail "carpctl promote"
"$CARPCTL" -s "$(carpd_sock b)" maintenance off >/dev/null ||
    fail "carpctl maintenance off"
sleep 1.2
walk b
check b "carpdVhidAdminSetBy.$rb" ''
check b "carpdMaintenanceSetBy.0" ''
check b "carpdVhidAdminSetTime.$rb" 0-0-0,0:0:0.0
check b "carpdMaintenanceSetTime.0" 0-0-0,0:0:0.0
echo "lifted: set-by empty, set-time zero"
pass
