#!/bin/bash
# 092-ledger-snmp: the demotion ledger over SNMP, with a real snmpd
# (master agentx) and snmptrapd.  A single carpd node A, its snmpd on
# 127.0.0.1, traps to C.
#  - an entry added with carpctl is a row of carpdDemotionTable, indexed
#    by its name (an OCTET STRING index), with its source, weight,
#    reason, since, expires, origin and persistence; a walk lists it;
#    carpdDemotionEntryChange arrives (added, name, weight, total);
#  - a cable pull adds the row link:eth0 (source link(1), weight 240);
#    the plug removes it;
#  - del: carpdDemotionEntryChange (removed), the table is empty and
#    carpdDemotion 0;
#  - an SNMP SET of carpdDemotionWeight."snmp" (agentx-writable yes) is the
#    entry snmp (source snmp, audit line, state file); a SET back to 0
#    removes it and the total returns to 0; a SET of another row is
#    refused, and so is one out of range.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/carpd.sh"
. "$(dirname "$0")/snmp.sh"
[ -x "$CARPCTL" ] || skip "no $CARPCTL (run make)"
VIP=192.0.2.111
R=$CARPD_ROOT
E=$R.1.6.1		# carpdDemotionEntry

lab_init
lab_switch
lab_node a 192.0.2.61/24
lab_node c 192.0.2.110/24
snmptrapd_start c 192.0.2.110
{ echo "ifconfig_eth0_alias0=\"inet vhid 1 advskew 0 pass test123 alias $VIP/24\""
  echo "state-file $LAB_DIR/a.state"
  echo "agentx-writable yes"
  carpd_conf_agentx a; } | carpd_conf a
snmpd_start a 127.0.0.1 192.0.2.110
carpd_start a
carpd_wait a 1 MASTER 6 || fail "A did not become MASTER"
wait_for 10 eval '[ "$(snmp_get a 127.0.0.1 carpdDemotion.0 2>/dev/null)" = 0 ]' ||
    fail "carpd is not in snmpd's tree"
C=(-s "$(carpd_sock a)")

# idx NAME: the OCTET STRING index of a name, as OID sub-identifiers.
idx() {
	local s=$1 i out=${#1}
	for ((i = 0; i < ${#s}; i++)); do
		out="$out.$(printf '%d' "'${s:i:1}")"
	done
	echo "$out"
}
walk() { snmp_q a snmpwalk -c public -On 127.0.0.1 "$E" >"$LAB_DIR/walk.txt"; }
# has FILE OID VALUE
has() {
	grep -qxF "$2 = $3" "$1" || { cat "$1" >&2; fail "no $2 = $3"; }
}

"$CARPCTL" "${C[@]}" demotion add rack 50 -r "rack move" --for 1h --persist \
    >/dev/null || fail "carpctl demotion add"
i=$(idx rack)
wait_for 5 eval 'walk; grep -q "^$E.3.$i " "$LAB_DIR/walk.txt"' ||
    { cat "$LAB_DIR/walk.txt"; fail "no row for rack"; }
cat "$LAB_DIR/walk.txt"
has "$LAB_DIR/walk.txt" "$E.2.$i" "INTEGER: api(6)"
has "$LAB_DIR/walk.txt" "$E.3.$i" "INTEGER: 50"
has "$LAB_DIR/walk.txt" "$E.4.$i" 'STRING: rack move'
has "$LAB_DIR/walk.txt" "$E.8.$i" "INTEGER: true(1)"
grep -Eq "^$E\.7\.$i = STRING: uid=[0-9]+ pid=[0-9]+$" "$LAB_DIR/walk.txt" ||
    fail "origin column"
# DateAndTime, as net-snmp shows it: 2026-12-3,9:15:46.0,+0:0
since=$(sed -nE "s/^$E\.5\.$i = STRING: (.*)$/\1/p" "$LAB_DIR/walk.txt")
exp=$(sed -nE "s/^$E\.6\.$i = STRING: (.*)$/\1/p" "$LAB_DIR/walk.txt")
[ -n "$since" ] && [ -n "$exp" ] || fail "since/expires columns"
d=$("$PY" -c '
import calendar, re, sys, time
def t(s):
    y, mo, d, h, mi, se = map(int, re.match(r"(\d+)-(\d+)-(\d+),(\d+):(\d+):(\d+)", s).groups())
    return calendar.timegm((y, mo, d, h, mi, se))
assert abs(t(sys.argv[1]) - time.time()) < 60, sys.argv[1]
print(t(sys.argv[2]) - t(sys.argv[1]))' "$since" "$exp") || fail "since: $since"
[ "$d" -ge 3599 ] && [ "$d" -le 3601 ] || fail "expires - since = $d s, want 3600"
# The MIB's names, through snmpd.
snmp_q a snmpwalk -c public 127.0.0.1 CARPD-MIB::carpdDemotionTable \
    >"$LAB_DIR/walk-named.txt" || fail "named walk"
grep -q 'carpdDemotionSource\."rack" = INTEGER: api(6)' "$LAB_DIR/walk-named.txt" ||
    { cat "$LAB_DIR/walk-named.txt"; fail "named walk: source"; }
[ "$(snmp_get a 127.0.0.1 carpdDemotion.0)" = 50 ] || fail "carpdDemotion"
# The notification.
wait_for 5 eval 'snmp_traps $R.0.6 | grep -q "$R.1.5.18.0 = STRING: \"rack\""' ||
    { cat "$TRAP_LOG"; fail "no carpdDemotionEntryChange for rack"; }
line=$(snmp_traps $R.0.6 | grep "$R.1.5.18.0 = STRING: \"rack\"" | tail -1)
for vb in "$R.1.5.19.0 = INTEGER: 6" "$R.1.5.20.0 = INTEGER: 50" \
    "$R.1.5.21.0 = INTEGER: 1" "$R.1.5.22.0 = STRING: \"rack move\"" \
    "$R.1.1.4.0 = INTEGER: 50"; do
	case "$line" in *", $vb"*) ;; *) echo "$line" >&2; fail "trap lacks $vb";; esac
done
echo "rack: a row, walked; carpdDemotionEntryChange (added)"

# The automatic link entry.
lab_cable_pull a
l=$(idx link:eth0)
wait_for 5 eval 'walk; grep -qxF "$E.3.$l = INTEGER: 240" "$LAB_DIR/walk.txt"' ||
    { cat "$LAB_DIR/walk.txt"; fail "no row link:eth0"; }
has "$LAB_DIR/walk.txt" "$E.2.$l" "INTEGER: link(1)"
has "$LAB_DIR/walk.txt" "$E.8.$l" "INTEGER: false(2)"
[ "$(snmp_get a 127.0.0.1 carpdDemotion.0)" = 290 ] || fail "carpdDemotion 290"
lab_cable_plug a
wait_for 5 eval 'walk; ! grep -q "^$E\.3\.$l " "$LAB_DIR/walk.txt"' ||
    fail "link:eth0 stays after the plug"
echo "link:eth0: a row while the cable is out"

# Removal.
"$CARPCTL" "${C[@]}" demotion del rack >/dev/null || fail "carpctl del"
wait_for 5 eval 'walk; [ ! -s "$LAB_DIR/walk.txt" ] || ! grep -q "^$E\." "$LAB_DIR/walk.txt"' ||
    { cat "$LAB_DIR/walk.txt"; fail "rows stay after del"; }
[ "$(snmp_get a 127.0.0.1 carpdDemotion.0)" = 0 ] || fail "carpdDemotion 0"
wait_for 5 eval 'snmp_traps $R.0.6 | grep "$R.1.5.18.0 = STRING: \"rack\"" | grep -q "$R.1.5.21.0 = INTEGER: 3"' ||
    { cat "$TRAP_LOG"; fail "no carpdDemotionEntryChange (removed)"; }
echo "del: no rows, carpdDemotion 0, carpdDemotionEntryChange (removed)"

# SNMP SET: the entry "snmp", and back.
sn=$(idx snmp)
snmp_q a snmpset -c private 127.0.0.1 "$E.3.$sn" i 60 >/dev/null ||
    fail "SET carpdDemotionWeight.\"snmp\" 60"
walk
has "$LAB_DIR/walk.txt" "$E.2.$sn" "INTEGER: snmp(7)"
has "$LAB_DIR/walk.txt" "$E.3.$sn" "INTEGER: 60"
has "$LAB_DIR/walk.txt" "$E.4.$sn" "STRING: SNMP SET"
[ "$(snmp_get a 127.0.0.1 carpdDemotion.0)" = 60 ] || fail "carpdDemotion 60"
grep -q 'audit: origin=snmp action=demotion-set name=snmp source=snmp reason="SNMP SET" before=0 after=60 persist' \
    "$(carpd_log a)" || fail "no audit line for the SET"
grep -q '"name": "snmp"' "$LAB_DIR/a.state" || fail "the SET is not in the state file"
"$CARPCTL" "${C[@]}" demotion | grep -q '^  snmp snmp 60 .* persist by snmp: SNMP SET$' ||
    fail "carpctl does not list the SET's entry"
snmp_q a snmpset -c private 127.0.0.1 "$E.3.$(idx rack)" i 5 \
    >"$LAB_DIR/set.txt" 2>&1 && fail "a SET of another row was accepted"
snmp_q a snmpset -c private 127.0.0.1 "$E.3.$sn" i 1000001 \
    >"$LAB_DIR/set.txt" 2>&1 && fail "a SET out of range was accepted"
snmp_q a snmpset -c private 127.0.0.1 "$E.3.$sn" i 0 >/dev/null ||
    fail "SET back to 0"
walk
grep -q "^$E\.3\.$sn " "$LAB_DIR/walk.txt" && fail "the entry snmp stays"
[ "$(snmp_get a 127.0.0.1 carpdDemotion.0)" = 0 ] || fail "carpdDemotion after the SET back"
grep -q '"name": "snmp"' "$LAB_DIR/a.state" && fail "the entry stays in the state file"
echo "SET carpdDemotionWeight.\"snmp\": the entry snmp, and back to 0"
pass
