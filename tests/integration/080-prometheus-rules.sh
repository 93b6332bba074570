#!/bin/bash
# 080-prometheus-rules: the shipped Prometheus content, offline.
#   - contrib/prometheus/carpd-rules.yml passes `promtool check rules` and
#     its unit tests (tests/promtool/carpd-rules.test.yml: two masters, no
#     master, flapping, auth failures while master, maintenance and holds
#     left on, AgentX disconnected, carpd down);
#   - contrib/prometheus/prometheus.yml.example passes `promtool check
#     config` (with the rules file where it says);
#   - contrib/grafana/carpd-dashboard.json is valid JSON, every panel has
#     a query, and every query parses (promtool check rules on a rules
#     file of them); a dashboard with a broken query is caught.
# No namespace, no root: promtool and python3 only.
here=$(cd "$(dirname "$0")" && pwd)
REPO=$(cd "$here/../.." && pwd)
fail() { printf 'FAIL: %s\n' "$*" >&2; exit 1; }
skip() { printf 'SKIP: %s\n' "$*" >&2; exit 77; }
command -v promtool >/dev/null 2>&1 || skip "missing promtool"
[ -x /usr/bin/python3 ] || skip "missing python3"
tmp=$(mktemp -d) || fail mktemp
trap 'rm -rf "$tmp"' EXIT
RULES=$REPO/contrib/prometheus/carpd-rules.yml
DASH=$REPO/contrib/grafana/carpd-dashboard.json
EXPRS=$REPO/tests/promtool/dashboard_exprs.py

promtool check rules "$RULES" >"$tmp/out" 2>&1 ||
    { cat "$tmp/out"; fail "promtool check rules $RULES"; }
grep -q 'SUCCESS: 11 rules found' "$tmp/out" || { cat "$tmp/out"; fail "want 11 rules"; }
(cd "$REPO/tests/promtool" && promtool test rules carpd-rules.test.yml) \
    >"$tmp/out" 2>&1 || { cat "$tmp/out"; fail "promtool test rules"; }
echo "rules: 11 alerts, unit tests pass"

# The example configuration, the rules where it expects them.
sed "s|/etc/prometheus/carpd-rules.yml|$RULES|" \
    "$REPO/contrib/prometheus/prometheus.yml.example" >"$tmp/prometheus.yml"
promtool check config "$tmp/prometheus.yml" >"$tmp/out" 2>&1 ||
    { cat "$tmp/out"; fail "promtool check config (example)"; }
echo "prometheus.yml.example: valid"

# The dashboard: JSON, its shape, every query parsed.
/usr/bin/python3 -c 'import json, sys; json.load(open(sys.argv[1]))' "$DASH" ||
    fail "$DASH is not valid JSON"
/usr/bin/python3 "$EXPRS" "$DASH" "$tmp/dash-rules.yml" >"$tmp/n" ||
    fail "dashboard shape"
promtool check rules "$tmp/dash-rules.yml" >"$tmp/out" 2>&1 ||
    { cat "$tmp/out"; fail "a dashboard query does not parse"; }
echo "dashboard: $(cat "$tmp/n"), every one parses"
for m in carp_vhid_state carp_vhid_transitions_total carp_demotion \
    carp_packets_sent_total carp_packets_dropped_total \
    carp_api_requests_total carp_vhid_master_info; do
	grep -q "$m" "$tmp/dash-rules.yml" || fail "the dashboard does not show $m"
done

# The check catches a broken query and a panel without one.
/usr/bin/python3 - "$DASH" "$tmp/bad.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
for p in d["panels"]:
    if p.get("targets"):
        p["targets"][0]["expr"] = "rate(carp_vhid_state[5m]"
        break
json.dump(d, open(sys.argv[2], "w"))
PY
/usr/bin/python3 "$EXPRS" "$tmp/bad.json" "$tmp/bad-rules.yml" >/dev/null ||
    fail "dashboard_exprs.py refused the broken dashboard itself"
promtool check rules "$tmp/bad-rules.yml" >/dev/null 2>&1 &&
    fail "promtool accepted a broken dashboard query"
echo '{"title": "x", "uid": "x", "panels": [{"id": 1, "type": "stat", "targets": []}]}' \
    >"$tmp/empty.json"
/usr/bin/python3 "$EXPRS" "$tmp/empty.json" "$tmp/x.yml" 2>/dev/null &&
    fail "a panel without a query passed"
echo '{"title": "x",' >"$tmp/notjson.json"
/usr/bin/python3 "$EXPRS" "$tmp/notjson.json" "$tmp/x.yml" 2>/dev/null &&
    fail "invalid JSON passed"
echo "the checks catch a broken query, an empty panel, invalid JSON"
printf 'PASS: %s\n' "$(basename "$0")" >&2
