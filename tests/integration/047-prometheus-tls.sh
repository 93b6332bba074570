#!/bin/bash
# 047-prometheus-tls: a real Prometheus scrapes carpd over TLS with
# tls_config (ca_file, cert_file, key_file), as exporter-toolkit's
# endpoints are scraped; carpd asks for RequireAndVerifyClientCert.
#   - the job with the client certificate: both targets up, and the
#     master/backup states read through Prometheus' API;
#   - a job without a client certificate: both targets down, the scrape
#     error names the TLS refusal, and carpd logs it with the address;
#   - a job over plain http: down too, carpd logs "http request".
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/carpd.sh"
. "$(dirname "$0")/http.sh"
. "$(dirname "$0")/tls.sh"
lab_need curl openssl prometheus promtool python3
PROM=192.0.2.110:9090

lab_init
T=$LAB_DIR/tls
tls_certs "$T"
http_pair "http-tls-cert $T/server.pem
http-tls-key $T/server.key
http-tls-client-ca $T/ca.pem
http-tls-client-auth RequireAndVerifyClientCert
http-action-auth both"

targets="['${HTTP_ADDR[a]}:$HTTP_PORT', '${HTTP_ADDR[b]}:$HTTP_PORT']"
cat >"$LAB_DIR/prometheus.yml" <<YML
global:
  scrape_interval: 1s
scrape_configs:
  - job_name: carpd
    scheme: https
    tls_config:
      ca_file: $T/ca.pem
      cert_file: $T/client.pem
      key_file: $T/client.key
    static_configs:
      - targets: $targets
        labels: { cluster: line1 }
  - job_name: nocert
    scheme: https
    tls_config:
      ca_file: $T/ca.pem
    static_configs:
      - targets: $targets
  - job_name: plain
    static_configs:
      - targets: $targets
YML
promtool check config "$LAB_DIR/prometheus.yml" >/dev/null ||
    fail "promtool check config"
lab_bg c "$LAB_DIR/prometheus.log" prometheus \
    --config.file="$LAB_DIR/prometheus.yml" \
    --storage.tsdb.path="$LAB_DIR/tsdb" --web.listen-address=$PROM

pcurl() { lab_exec c curl -sS --max-time 5 "$@"; }
# query EXPR: "instance=value" lines, sorted.
query() {
	pcurl -G "http://$PROM/api/v1/query" --data-urlencode "query=$1" |
	    /usr/bin/python3 -c '
import json, sys
d = json.load(sys.stdin)
assert d["status"] == "success", d
for r in sorted(d["data"]["result"], key=lambda r: r["metric"]["instance"]):
    print(r["metric"]["instance"] + "=" + r["value"][1])'
}
A=${HTTP_ADDR[a]}:$HTTP_PORT B=${HTTP_ADDR[b]}:$HTTP_PORT
want_up="$B=1
$A=1"
wait_for 20 eval '[ "$(query "up{job=\"carpd\"}" 2>/dev/null)" = "$want_up" ]' ||
    fail "carpd over TLS not up: $(query 'up{job="carpd"}')"
echo "Prometheus with tls_config: both targets up"
want="$B=1
$A=2"
wait_for 10 eval '[ "$(query "carp_vhid_state{job=\"carpd\",vhid=\"1\"}")" = "$want" ]' ||
    fail "states over TLS: $(query 'carp_vhid_state{job="carpd",vhid="1"}')"
echo "carp_vhid_state over TLS: a MASTER (2), b BACKUP (1)"

want_down="$B=0
$A=0"
for job in nocert plain; do
	wait_for 10 eval '[ "$(query "up{job=\"$job\"}")" = "$want_down" ]' ||
	    fail "job $job is not down: $(query "up{job=\"$job\"}")"
done
pcurl "http://$PROM/api/v1/targets" | /usr/bin/python3 -c '
import json, sys
for t in json.load(sys.stdin)["data"]["activeTargets"]:
    if t["labels"]["job"] == "nocert":
        e = t["lastError"]
        assert "certificate" in e or "tls" in e, e
        print("nocert:", e)
' || fail "the nocert scrape error"
grep -q "http: TLS handshake with 192.0.2.110 failed: peer did not return a certificate" \
    "$(carpd_log a)" || fail "carpd did not log the scrape without a certificate"
wait_for 12 grep -q "http: TLS handshake with 192.0.2.110 failed: http request" \
    "$(carpd_log a)" || fail "carpd did not log the plain scrape"
echo "without a client certificate or TLS: down, refused in the handshake, logged"
pass
