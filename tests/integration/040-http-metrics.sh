#!/bin/bash
# 040-http-metrics: /metrics and /v1/status on two carpd nodes.  promtool
# checks the exposition; a real Prometheus server in the client namespace
# scrapes both nodes every second, and its query API names the master
# (carp_vhid_state == 2) before and after a failover.  Holds set with
# carpctl on the control socket (as sudo would run it) show when and by
# whom in the exposition, still promtool-clean, and go when lifted.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/carpd.sh"
. "$(dirname "$0")/http.sh"
lab_need curl promtool prometheus python3
[ -x "$CARPCTL" ] || skip "no $CARPCTL (run make)"

http_pair

# The exposition: content type, promtool, every family, zero series.
hdr=$(hcurl c -D - -o "$LAB_DIR/metrics.txt" "$(hurl a /metrics)") ||
    fail "GET /metrics"
echo "$hdr" | grep -qi '^Content-Type: text/plain; version=0.0.4; charset=utf-8' ||
    fail "content type: $hdr"
promtool check metrics <"$LAB_DIR/metrics.txt" ||
    fail "promtool check metrics"
[ "$(tail -c1 "$LAB_DIR/metrics.txt" | od -An -c | tr -d ' ')" = '\n' ] ||
    fail "no trailing newline"
m=$LAB_DIR/metrics.txt
grep -qx 'carp_vhid_state{interface="eth0",vhid="1"} 2' "$m" || fail "state"
grep -qx 'carp_vhid_advskew{interface="eth0",vhid="1"} 0' "$m" || fail "advskew"
grep -qx 'carp_vhid_advbase_seconds{interface="eth0",vhid="1"} 1' "$m" ||
    fail "advbase"
for r in bad_length bad_version bad_checksum bad_interface bad_vhid bad_ttl \
    bad_auth; do
	grep -qx "carp_vhid_packets_dropped_total{interface=\"eth0\",vhid=\"1\",reason=\"$r\"} 0" "$m" ||
	    fail "drop reason $r missing"
done
for to in init backup master; do
	grep -q "^carp_vhid_transitions_total{interface=\"eth0\",vhid=\"1\",to=\"$to\"} " "$m" ||
	    fail "transitions to $to"
done
n=$(grep -c '^carp_api_requests_total{' "$m")
[ "$n" = 20 ] || fail "carp_api_requests_total has $n series, want 20"
grep -qx 'carp_agentx_connected 0' "$m" || fail "agentx_connected"
grep -qx 'carp_agentx_enabled 0' "$m" || fail "agentx_enabled (agentx-socket off)"
# The info series: addresses, the master heard, the last reason, the link.
grep -qx 'carp_vhid_info{interface="eth0",vhid="1",protocol="carp",addresses="192.0.2.111/24"} 1' "$m" ||
    fail "carp_vhid_info"
grep -qx 'carp_vhid_master_info{interface="eth0",vhid="1",master="192.0.2.61"} 1' "$m" ||
    fail "A's carp_vhid_master_info is not its own address"
grep -qx 'carp_vhid_last_transition_info{interface="eth0",vhid="1",reason="master_timed_out"} 1' "$m" ||
    fail "carp_vhid_last_transition_info"
grep -qx 'carp_vhid_link_up{interface="eth0",vhid="1"} 1' "$m" || fail "link_up"
# No hold: since 0, no who.
grep -qx 'carp_vhid_admin_since_timestamp_seconds{interface="eth0",vhid="1"} 0' "$m" ||
    fail "carp_vhid_admin_since_timestamp_seconds without a hold"
grep -qx 'carp_maintenance_since_timestamp_seconds 0' "$m" ||
    fail "carp_maintenance_since_timestamp_seconds without maintenance"
grep -Eq '^carp_(vhid_admin|maintenance)_info\{' "$m" && fail "who, without a hold"
mb=$(hcurl c "$(hurl b /metrics)") || fail "GET B's /metrics"
echo "$mb" | grep -qx 'carp_vhid_master_info{interface="eth0",vhid="1",master="192.0.2.61"} 1' ||
    fail "B's carp_vhid_master_info does not name A"
echo "$mb" | grep -qx 'carp_vhid_last_transition_info{interface="eth0",vhid="1",reason="initialization_complete"} 1' ||
    fail "B's carp_vhid_last_transition_info"
grep -q '^carp_build_info{version="' "$m" || fail "build_info"
n=$(grep -c '^# TYPE ' "$m"); u=$(grep '^# TYPE ' "$m" | sort -u | wc -l)
[ "$n" = "$u" ] || fail "a TYPE line repeats"
echo "metrics: $(grep -vc '^#' "$m") samples, $n families, promtool clean"

# Status JSON: never the password.
st=$(hcurl c "$(hurl a /v1/status)") || fail "GET /v1/status"
echo "$st" | python3 -c '
import json, sys
d = json.load(sys.stdin)
v = d["vhids"][0]
assert v["state"] == "MASTER" and v["vhid"] == 1, v
assert v["master"] == "192.0.2.61", v["master"]
assert v["addresses"] == ["192.0.2.111/24"], v
assert v["last_transition"]["time"]["iso8601"].endswith("Z")
assert v["last_transition"]["reason"] == "master timed out"
assert d["node"]["maintenance"]["enabled"] is False
' || fail "status document: $st"
echo "$st" | grep -q test123 && fail "the password shows in /v1/status"
hcurl c "$(hurl b /v1/status)" | python3 -c '
import json, sys
v = json.load(sys.stdin)["vhids"][0]
assert v["state"] == "BACKUP" and v["master"] == "192.0.2.61", v
' || fail "B's status"

# Holds on B (BACKUP, so nothing moves) with carpctl on the control
# socket, as sudo runs it: who (uid, pid, SUDO_USER) and since when.
# since_ok FILE NAME: the sample is within a minute of now.
since_ok() {
	local v
	v=$(grep -E "^$2 [0-9]+$" "$1" | awk '{ print $2 }')
	[ -n "$v" ] && [ $(( $(date +%s) - v )) -ge 0 ] &&
	    [ $(( $(date +%s) - v )) -le 60 ]
}
SUDO_USER=alice "$CARPCTL" -s "$(http_sock b)" demote 1 -r "who test" \
    >/dev/null || fail "carpctl demote on B"
SUDO_USER=alice "$CARPCTL" -s "$(http_sock b)" maintenance on -r "who test" \
    >/dev/null || fail "carpctl maintenance on B"
m=$LAB_DIR/metrics-held.txt
hcurl c -o "$m" "$(hurl b /metrics)" || fail "GET B's /metrics, held"
promtool check metrics <"$m" || fail "promtool check metrics, held"
grep -Eqx 'carp_vhid_admin_info\{interface="eth0",vhid="1",by="uid=0 pid=[0-9]+ sudo_user=alice"\} 1' "$m" ||
    fail "carp_vhid_admin_info: $(grep admin_info "$m")"
since_ok "$m" 'carp_vhid_admin_since_timestamp_seconds\{interface="eth0",vhid="1"\}' ||
    fail "carp_vhid_admin_since: $(grep admin_since "$m")"
grep -Eqx 'carp_maintenance_info\{by="uid=0 pid=[0-9]+ sudo_user=alice"\} 1' "$m" ||
    fail "carp_maintenance_info: $(grep maintenance_info "$m")"
since_ok "$m" carp_maintenance_since_timestamp_seconds ||
    fail "carp_maintenance_since: $(grep maintenance_since "$m")"
# /v1/status says the same.
hcurl c "$(hurl b /v1/status)" | python3 -c '
import json, re, sys
d = json.load(sys.stdin)
for h in (d["vhids"][0]["admin"], d["node"]["maintenance"]):
    assert re.fullmatch(r"uid=0 pid=[0-9]+ sudo_user=alice", h["by"]), h
' || fail "B's status, held"
echo "held: $(grep -E '^carp_(vhid_admin|maintenance)_info' "$m" | tr '\n' ' ')"
"$CARPCTL" -s "$(http_sock b)" promote 1 >/dev/null || fail "carpctl promote"
"$CARPCTL" -s "$(http_sock b)" maintenance off >/dev/null ||
    fail "carpctl maintenance off"
hcurl c -o "$m" "$(hurl b /metrics)" || fail "GET B's /metrics, lifted"
grep -q '^carp_vhid_admin_info{' "$m" && fail "carp_vhid_admin_info stays"
grep -q '^carp_maintenance_info{' "$m" && fail "carp_maintenance_info stays"
grep -qx 'carp_vhid_admin_since_timestamp_seconds{interface="eth0",vhid="1"} 0' "$m" ||
    fail "carp_vhid_admin_since not 0 once lifted"
grep -qx 'carp_maintenance_since_timestamp_seconds 0' "$m" ||
    fail "carp_maintenance_since not 0 once lifted"
grep -qx 'carp_vhid_state{interface="eth0",vhid="1"} 1' "$m" ||
    fail "B not BACKUP after the holds"
echo "lifted: no who, since 0"

# Prometheus in the client namespace, scraping both every second.
cat >"$LAB_DIR/prometheus.yml" <<YML
global:
  scrape_interval: 1s
  evaluation_interval: 1s
scrape_configs:
  - job_name: carpd
    static_configs:
      - targets: ['192.0.2.61:$HTTP_PORT', '192.0.2.51:$HTTP_PORT']
YML
lab_bg c "$LAB_DIR/prometheus.log" prometheus \
    --config.file="$LAB_DIR/prometheus.yml" \
    --storage.tsdb.path="$LAB_DIR/tsdb" \
    --web.listen-address=192.0.2.110:9090
master() {	# the instances Prometheus says are MASTER
	hcurl c 'http://192.0.2.110:9090/api/v1/query?query=carp_vhid_state==2' 2>/dev/null |
	    python3 -c '
import json, sys
r = json.load(sys.stdin)["data"]["result"]
print(",".join(sorted(x["metric"]["instance"] for x in r)))' 2>/dev/null
}
wait_for 30 eval '[ "$(master)" = "192.0.2.61:$HTTP_PORT" ]' ||
    { tail -20 "$LAB_DIR/prometheus.log"; fail "Prometheus: master '$(master)', want A"; }
echo "prometheus: master $(master)"

lab_cable_pull a
carpd_wait b 1 MASTER 6 || fail "B did not take over"
# A's link is down: its cached exposition must not hide it.
wait_for 5 eval 'sockcurl a http://localhost/metrics | grep -qx "carp_vhid_link_up{interface=\"eth0\",vhid=\"1\"} 0"' ||
    fail "A's carp_vhid_link_up is not 0 with the cable pulled"
sockcurl a http://localhost/metrics | grep -qx 'carp_vhid_last_transition_info{interface="eth0",vhid="1",reason="interface_down"} 1' ||
    fail "A's last transition is not interface_down"
# A is unreachable now (cable pulled): only B's series is fresh.
wait_for 10 eval '[ "$(master)" = "192.0.2.51:$HTTP_PORT" ]' ||
    fail "Prometheus: master '$(master)' after failover, want B"
echo "prometheus: master after failover $(master)"
lab_cable_plug a
carpd_wait a 1 MASTER 8 || fail "A did not take the VIP back"
wait_for 10 eval '[ "$(master)" = "192.0.2.61:$HTTP_PORT" ]' ||
    fail "Prometheus: master '$(master)' after preemption, want A"
echo "prometheus: master after preemption $(master)"
pass
