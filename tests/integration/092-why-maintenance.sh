#!/bin/bash
# 092-why-maintenance: soft maintenance, the hold, and carpctl why, on two
# carpd nodes (A advskew 0 with preempt, B advskew 100 without preempt:
# the hand-over must not need the peer's preempt) and a real snmptrapd on
# C (docs/protocol.md, decision 21).
#   - `maintenance on` on A: the VIP moves to B at once (A's bow-out);
#     `carpctl why` on A names the ledger entry "maintenance", the master
#     B (192.0.2.51) and the last transition's reason ("maintenance
#     mode"); on B it says B is the master and why it became one
#   - B killed: A takes over as the last resort (master timed out), soft
#     maintenance still on
#   - `maintenance on --hold`: A hands over to B again and is held; B
#     killed: A stays BACKUP, logs that no master is heard, sends
#     carpdNoMaster (carpdVhidNoMaster true, the hold, the silent time),
#     shows carp_vhid_no_master 1 and carpdVhidNoMaster true, and `why`
#     says it; maintenance off clears it all and A takes over
#   - GET /v1/vhids/{vhid}/why: 404 JSON for an unknown VHID, 400 for a
#     bad one
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/carpd.sh"
. "$(dirname "$0")/snmp.sh"
lab_need curl
VIP=192.0.2.111
declare -A IP=([a]=192.0.2.61 [b]=192.0.2.51)
R=$CARPD_ROOT

lab_init
lab_switch
lab_node a "${IP[a]}/24"
lab_node b "${IP[b]}/24"
lab_node c 192.0.2.110/24
snmptrapd_start c 192.0.2.110
{ echo "net.inet.carp.preempt=1"
  echo "ifconfig_eth0_alias0=\"inet vhid 1 advskew 0 pass test123 alias $VIP/24\""
  carpd_conf_agentx a; } | carpd_conf a
carpd_conf b <<CONF
net.inet.carp.preempt=0
ifconfig_eth0_alias0="inet vhid 1 advskew 100 pass test123 alias $VIP/24"
CONF
snmpd_start a 127.0.0.1 192.0.2.110
carpd_start a
carpd_start b
carpd_wait a 1 MASTER 6 || fail "A did not become MASTER"
carpd_wait b 1 BACKUP 2 || fail "B not BACKUP"
ia=$(snmp_ifindex a)

ctl() { local n=$1; shift; "$CARPCTL" -s "$(carpd_sock "$n")" "$@"; }
metrics() { curl -s --max-time 5 --unix-socket "$(carpd_sock "$1")" http://x/metrics; }
# why NODE: carpctl why 1 into $LAB_DIR/why-NODE.txt, printed.
why() {
	ctl "$1" why 1 >"$LAB_DIR/why-$1.txt" || fail "carpctl why on $1"
	sed "s/^/  $1: /" "$LAB_DIR/why-$1.txt"
}
has() { grep -qF -- "$2" "$LAB_DIR/why-$1.txt" || fail "why on $1 lacks: $2"; }

# Soft maintenance on A: B (preempt off) takes over at once.
ctl a maintenance on -r "rack move" >"$LAB_DIR/out.txt" ||
    fail "maintenance on"
grep -qx 'maintenance on' "$LAB_DIR/out.txt" || fail "maintenance output"
carpd_wait b 1 MASTER 2 || fail "B did not take over for soft maintenance"
carpd_wait a 1 BACKUP 1 || fail "A not BACKUP"
grep -q 'audit: origin=socket action=maintenance reason="rack move" before=off after=on.* mode=soft' \
    "$(carpd_log a)" || fail "soft maintenance audit line"
ctl a --json status | "$PY" -c '
import json, sys
n = json.load(sys.stdin)["node"]
assert n["maintenance"]["enabled"] and n["maintenance"]["mode"] == "soft", n
assert n["demotion"] == 240, n
' || fail "A's status in soft maintenance"
sleep 1.5	# an advert or two from B
why a
has a "VHID 1 on eth0 (CARP) is BACKUP"
has a ": maintenance mode, from MASTER."
has a "The master is ${IP[b]}: advbase 1, advskew 100, demotion 0"
has a "maintenance 240 (maintenance: 'rack move'"
has a "In soft maintenance"
has a "Takes over if ${IP[b]} is silent for 3.00 s"
has a "Preempt is on: would take over if our advskew + demotion (now 0 + 240) drops below 100."
why b
has b "is MASTER since"
has b ": master will time out, from BACKUP."
has b "This node is the master (advertising from ${IP[b]})."
has b "Demotion 0: no ledger entry."
ctl a --json why 1 | "$PY" -c '
import json, sys
d = json.load(sys.stdin)
assert d["master"]["address"] == sys.argv[1] and d["master"]["advskew"] == 100, d
assert [e["name"] for e in d["demotion"]["entries"]] == ["maintenance"], d
assert d["demotion"]["entries"][0]["source"] == "maintenance", d
assert d["changes"][0]["if"] == "master_silent", d
' "${IP[b]}" || fail "why JSON on A"

# Errors: JSON, with the right status.
code=$(curl -s -o "$LAB_DIR/e.json" -w '%{http_code}' --unix-socket \
    "$(carpd_sock a)" http://x/v1/vhids/7/why)
[ "$code" = 404 ] && grep -q '"error"' "$LAB_DIR/e.json" ||
    fail "unknown VHID: $code $(cat "$LAB_DIR/e.json")"
for bad in abc 0 256 eth0/x; do
	code=$(curl -s -o "$LAB_DIR/e.json" -w '%{http_code}' --unix-socket \
	    "$(carpd_sock a)" "http://x/v1/vhids/$bad/why")
	[ "$code" = 400 ] && grep -q '"error"' "$LAB_DIR/e.json" ||
	    fail "bad VHID $bad: $code $(cat "$LAB_DIR/e.json")"
done
rc=0; ctl a why 9 2>"$LAB_DIR/err.txt" || rc=$?
[ $rc = 1 ] && grep -q 'no vhid 9' "$LAB_DIR/err.txt" || fail "carpctl why 9: $rc"
echo "why: 404 and 400 as JSON"

# B dies: A, soft, takes over as the last resort.
carpd_stop b KILL
carpd_wait a 1 MASTER 6 || fail "A did not take over as the last resort"
[ "$(vhid_reason a 1)" = "master timed out" ] ||
    fail "last resort: $(vhid_reason a 1)"
why a
has a "is MASTER since"
has a ": master timed out, from BACKUP."
has a "In soft maintenance"
echo "soft: A took over as the last resort"

# B back (no preempt: stays BACKUP); the hold: A hands over and is held.
carpd_start b
carpd_wait b 1 BACKUP 6 || fail "B not BACKUP after its restart"
ctl a maintenance on --hold -r "rack move" >/dev/null ||
    fail "maintenance on --hold"
carpd_wait b 1 MASTER 2 || fail "B did not take over for the hold"
carpd_wait a 1 BACKUP 1 || fail "A not BACKUP with the hold"
grep -q 'action=maintenance .* mode=hold' "$(carpd_log a)" ||
    fail "hold audit line"
metrics a | grep -qx 'carp_vhid_no_master{interface="eth0",vhid="1"} 0' ||
    fail "carp_vhid_no_master not 0 with a master"

# B dies: A stays BACKUP and says there is no master.
carpd_stop b KILL
wait_for 6 grep -q 'carp: 1@eth0: no master heard for 3.00 s and held in BACKUP, maintenance hold (rack move)' \
    "$(carpd_log a)" || fail "no no-master log line"
[ "$(carpd_state a 1)" = BACKUP ] || fail "held A left BACKUP"
metrics a | grep -qx 'carp_vhid_no_master{interface="eth0",vhid="1"} 1' ||
    fail "carp_vhid_no_master not 1"
[ "$(snmp_get a 127.0.0.1 "carpdVhidNoMaster.$ia.1")" = true ] ||
    fail "carpdVhidNoMaster not true"
wait_for 5 eval 'snmp_traps $R.0.7 "${IP[a]}" | grep -q "$R.1.2.1.40.$ia.1 = INTEGER: 1"' ||
    { cat "$TRAP_LOG"; fail "no carpdNoMaster"; }
line=$(snmp_traps $R.0.7 "${IP[a]}" | tail -1)
for v in "$R.1.5.4.0 = INTEGER: 1" "$R.1.2.1.2.$ia.1 = STRING: \"eth0\"" \
    "$R.1.5.26.0 = STRING: \"maintenance hold (rack move)\"" \
    "$R.1.5.27.0 = Gauge32: 3000"; do
	case "$line" in *", $v"*) ;; *) echo "$line"; fail "carpdNoMaster lacks $v" ;; esac
done
sleep 4	# another master-down interval: still one episode
[ "$(grep -c 'no master heard for' "$(carpd_log a)")" = 1 ] ||
    fail "no-master logged more than once"
[ "$(snmp_traps $R.0.7 "${IP[a]}" | wc -l)" = 1 ] ||
    fail "carpdNoMaster sent more than once"
why a
has a "Held by maintenance ("
has a "'rack move'"
has a "nobody serves the addresses"
has a "until maintenance ends"
echo "hold: A stays BACKUP, logs, carpdNoMaster, carp_vhid_no_master 1"

# The hold ends: the episode ends (carpdNoMaster false) and A takes over.
ctl a maintenance off >/dev/null || fail "maintenance off"
carpd_wait a 1 MASTER 6 || fail "A did not take over after the hold"
metrics a | grep -qx 'carp_vhid_no_master{interface="eth0",vhid="1"} 0' ||
    fail "carp_vhid_no_master not 0 after the hold"
wait_for 5 eval 'snmp_traps $R.0.7 "${IP[a]}" | grep -q "$R.1.2.1.40.$ia.1 = INTEGER: 2"' ||
    { cat "$TRAP_LOG"; fail "no carpdNoMaster (false)"; }
grep -q 'carp: 1@eth0: no longer without a master' "$(carpd_log a)" ||
    fail "no end-of-episode log line"
pass
