#!/bin/bash
# tests/bench/snmp_walk.sh: time a bulk walk of carpdVhidTable with 255
# VHIDs through snmpd (master agentx) and carpd's subagent, in the lab.
#
#   snmpbulkwalk -v2c -c public -Cr50 127.0.0.1 CARPD-MIB::carpdVhidTable
#
# One node, 255 VHIDs (198.18.1.N/16), snmpd on 127.0.0.1 in the node's
# namespace.  Prints the rows walked and each of RUNS (5) wall times, then
# the median.  Reference: keepalived 2.2.7 walks its VRRPv3-MIB (255
# instances, 6379 rows) in 345 ms.
here=$(cd "$(dirname "$0")/../integration" && pwd)
. "$here/lib.sh"
. "$here/carpd.sh"
. "$here/snmp.sh"
RUNS=${RUNS:-5}

lab_init
lab_switch
lab_node a 192.0.2.61/24
{ for v in $(seq 1 255); do
	echo "ifconfig_eth0_alias$v=\"inet vhid $v pass bench alias 198.18.1.$v/16\""
  done
  carpd_conf_agentx a; } | carpd_conf a
snmpd_start a 127.0.0.1 127.0.0.1
carpd_start a
wait_for 10 eval '[ "$(snmp_get a 127.0.0.1 carpdVhidCount.0)" = 255 ]' ||
    fail "255 VHIDs not served"
cmd=(snmpbulkwalk -v2c -c public -Cr50 -t 5 -r 0 -On 127.0.0.1
    "$CARPD_ROOT.1.2")
rows=$(lab_exec a "${cmd[@]}" | wc -l)
echo "command: ${cmd[*]}   (= CARPD-MIB::carpdVhidTable)"
echo "rows: $rows"
times=()
for i in $(seq "$RUNS"); do
	t0=$(date +%s%N)
	lab_exec a "${cmd[@]}" >/dev/null || fail "walk $i"
	t1=$(date +%s%N)
	times+=($(( (t1 - t0) / 1000000 )))
done
echo "runs (ms): ${times[*]}"
med=$(printf '%s\n' "${times[@]}" | sort -n | sed -n "$(( (RUNS + 1) / 2 ))p")
echo "median: $med ms for $rows rows (keepalived 2.2.7 VRRPv3-MIB: 345 ms, 6379 rows)"
