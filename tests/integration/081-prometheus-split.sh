#!/bin/bash
# 081-prometheus-split: a real Prometheus with contrib/prometheus/carpd-rules.yml
# against two lab pairs, both VHID 1 on eth0, told apart by the target
# label cluster (line1: a1, b1; line2: a2, b2).  The pairs share the lab's
# one LAN, so each advertises by unicast to its peer.  Prometheus (in C)
# scrapes every second and evaluates every second; the test's copy of the
# rules has every `for:` cut to 2 s, nothing else changed.
#   - steady: no alert fires; every query of the Grafana dashboard runs
#     without error and the info series name the master each node hears;
#   - line1 partitioned (nft on b1 drops CARP): b1 takes over, both are
#     MASTER, and /api/v1/alerts has CarpTwoMasters firing for line1 only;
#   - healed: b1 steps down and the alert resolves.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/carpd.sh"
lab_need curl prometheus promtool nft python3
REPO=$(cd "$(dirname "$0")/../.." && pwd)
PORT=10112
PROM=192.0.2.110:9090
declare -A IP=([a1]=192.0.2.61 [b1]=192.0.2.51 [a2]=192.0.2.62 [b2]=192.0.2.52)
declare -A PEER=([a1]=b1 [b1]=a1 [a2]=b2 [b2]=a2)
declare -A VIP=([1]=192.0.2.111 [2]=192.0.2.112)

lab_init
lab_switch
for n in a1 b1 a2 b2; do lab_node $n "${IP[$n]}/24"; done
lab_node c 192.0.2.110/24
for n in a1 b1 a2 b2; do
	skew=0; [ "${n:0:1}" = b ] && skew=100
	( umask 077; echo "tok-$n-$RANDOM$RANDOM" >"$LAB_DIR/$n.token" )
	carpd_conf $n <<CONF
net.inet.carp.preempt=1
http-listen ${IP[$n]}:$PORT
http-token-file $LAB_DIR/$n.token
ifconfig_eth0_alias0="inet vhid 1 advskew $skew pass line${n:1} peer ${IP[${PEER[$n]}]} alias ${VIP[${n:1}]}/24"
CONF
	carpd_start $n
done
for p in 1 2; do
	carpd_wait a$p 1 MASTER 6 || fail "a$p did not become MASTER"
	carpd_wait b$p 1 BACKUP 1 || fail "b$p is not BACKUP"
done

# The rules as shipped, `for:` cut to 2 s.
sed -E 's/^( +for: ).*/\12s/' "$REPO/contrib/prometheus/carpd-rules.yml" \
    >"$LAB_DIR/rules.yml"
grep -q 'for: 30s' "$LAB_DIR/rules.yml" && fail "for: not replaced"
cat >"$LAB_DIR/prometheus.yml" <<YML
global:
  scrape_interval: 1s
  evaluation_interval: 1s
rule_files: ['$LAB_DIR/rules.yml']
scrape_configs:
  - job_name: carpd
    static_configs:
      - targets: ['${IP[a1]}:$PORT', '${IP[b1]}:$PORT']
        labels: { cluster: line1 }
      - targets: ['${IP[a2]}:$PORT', '${IP[b2]}:$PORT']
        labels: { cluster: line2 }
YML
promtool check config "$LAB_DIR/prometheus.yml" >/dev/null ||
    fail "promtool check config"
lab_bg c "$LAB_DIR/prometheus.log" prometheus \
    --config.file="$LAB_DIR/prometheus.yml" \
    --storage.tsdb.path="$LAB_DIR/tsdb" --web.listen-address=$PROM

pcurl() { lab_exec c curl -sS --max-time 5 "$@"; }
# query EXPR: the result as "labels=value" lines, sorted.
query() {
	pcurl -G "http://$PROM/api/v1/query" --data-urlencode "query=$1" |
	    /usr/bin/python3 -c '
import json, sys
d = json.load(sys.stdin)
assert d["status"] == "success", d
for r in sorted(d["data"]["result"], key=lambda r: sorted(r["metric"].items())):
    print(",".join("%s=%s" % kv for kv in sorted(r["metric"].items())
                   if kv[0] != "job") + "=" + r["value"][1])'
}
# firing [NAME]: the firing alerts, "NAME cluster=... vhid=..." lines.
firing() {
	pcurl "http://$PROM/api/v1/alerts" | /usr/bin/python3 -c '
import json, sys
for a in json.load(sys.stdin)["data"]["alerts"]:
    if a["state"] == "firing" and (len(sys.argv) < 2 or a["labels"]["alertname"] == sys.argv[1]):
        l = a["labels"]
        print(l["alertname"], "cluster=%s" % l.get("cluster"), "vhid=%s" % l.get("vhid"),
              "interface=%s" % l.get("interface"))' "$@" 2>/dev/null
}
targets_up() {
	[ "$(query 'count(up{job="carpd"} == 1)' 2>/dev/null)" = "=4" ]
}
wait_for 40 targets_up || { tail -20 "$LAB_DIR/prometheus.log"; fail "Prometheus does not scrape the 4 nodes"; }
# The rules are loaded and evaluated.
wait_for 10 eval 'pcurl "http://$PROM/api/v1/rules" | grep -q "\"name\":\"CarpTwoMasters\".*\"health\":\"ok\""' ||
    fail "Prometheus did not load the rules"
sleep 4		# a few evaluations past every for: of 2 s
[ -z "$(firing)" ] || fail "alerts fire in the steady state: $(firing)"
echo "steady: 4 targets up, 8 rules loaded, nothing fires"

# The dashboard's queries against this Prometheus: all run, the main ones
# return series.
/usr/bin/python3 "$REPO/tests/promtool/dashboard_exprs.py" \
    "$REPO/contrib/grafana/carpd-dashboard.json" >"$LAB_DIR/exprs" ||
    fail "dashboard queries"
n=0
while IFS= read -r e; do
	query "$e" >"$LAB_DIR/q.out" 2>"$LAB_DIR/q.err" ||
	    { cat "$LAB_DIR/q.err"; fail "dashboard query failed: $e"; }
	n=$((n + 1))
done <"$LAB_DIR/exprs"
echo "dashboard: $n queries run on Prometheus"
m=$(query 'carp_vhid_master_info')
for n in a1 b1; do
	echo "$m" | grep -q "cluster=line1,instance=${IP[$n]}:$PORT,interface=eth0,master=${IP[a1]},vhid=1=1" ||
	    fail "$n does not name a1 as line1's master: $m"
done
echo "$m" | grep -q "cluster=line2,instance=${IP[b2]}:$PORT,interface=eth0,master=${IP[a2]},vhid=1=1" ||
    fail "b2 does not name a2 as line2's master: $m"
[ "$(query 'count by (cluster) (carp_vhid_state == 2)')" = "$(printf 'cluster=line1=1\ncluster=line2=1')" ] ||
    fail "one master per cluster: $(query 'count by (cluster) (carp_vhid_state == 2)')"
echo "info series: each node names its pair's master"

# Partition line1: b1 drops every CARP packet.
t0=$(date +%s.%N)
lab_exec b1 nft -f - <<'NFT' || fail "nft"
table inet carptest {
	chain in {
		type filter hook input priority 0;
		ip protocol 112 drop
	}
}
NFT
carpd_wait b1 1 MASTER 8 || fail "b1 did not take over behind the filter"
[ "$(carpd_state a1 1)" = MASTER ] || fail "a1 is $(carpd_state a1 1)"
[ "$(carpd_state a2 1)" = MASTER ] && [ "$(carpd_state b2 1)" = BACKUP ] ||
    fail "line2 moved: a2 $(carpd_state a2 1), b2 $(carpd_state b2 1)"
wait_for 20 eval '[ -n "$(firing CarpTwoMasters)" ]' ||
    { pcurl "http://$PROM/api/v1/alerts"; fail "CarpTwoMasters did not fire"; }
sleep 3		# had line2 been counted, it would show by now
f=$(firing CarpTwoMasters)
[ "$f" = "CarpTwoMasters cluster=line1 vhid=1 interface=eth0" ] ||
    fail "CarpTwoMasters: want line1 only, got: $f"
other=$(firing | grep -v '^CarpTwoMasters ')
[ -z "$other" ] || fail "other alerts fire: $other"
echo "partitioned: $f, after $(lab_ms "$t0" "$(date +%s.%N)") ms; line2 not alerted"

# Heal: b1 hears a1 again and steps down; the alert resolves.
t0=$(date +%s.%N)
lab_exec b1 nft delete table inet carptest || fail "nft delete"
carpd_wait b1 1 BACKUP 6 || fail "b1 did not step down after the heal"
wait_for 20 eval '[ -z "$(firing CarpTwoMasters)" ]' ||
    fail "CarpTwoMasters still fires: $(firing CarpTwoMasters)"
[ -z "$(firing)" ] || fail "alerts fire after the heal: $(firing)"
echo "healed: CarpTwoMasters resolved after $(lab_ms "$t0" "$(date +%s.%N)") ms"
pass
