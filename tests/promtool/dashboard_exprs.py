#!/usr/bin/python3
"""Every PromQL query of a Grafana dashboard, as a Prometheus rules file.

    dashboard_exprs.py DASHBOARD.json [RULES.yml]

Loads the dashboard (it must be valid JSON), checks its shape (a title, a
uid, unique panel ids, every panel but a row with at least one target and
every target with an expression) and writes each query (panels, rows'
panels, annotations, template variables' label_values() excepted) as a
recording rule, Grafana's variables replaced by values PromQL parses, so
that `promtool check rules` parses them all.  Without RULES.yml, prints the
expressions one per line (for a real Prometheus to run).  Exit 1 on error.
"""
import json
import sys

SUBST = [("$__rate_interval", "1m"), ("$__interval", "1m"),
         ("$__range", "1h"), ("${cluster}", ".*"), ("$cluster", ".*"),
         ("${datasource}", "x")]


def fail(msg):
    print("dashboard_exprs: " + msg, file=sys.stderr)
    sys.exit(1)


def walk(panels, out, ids):
    for p in panels:
        if "id" not in p:
            fail("a panel without an id: %r" % p.get("title"))
        if p["id"] in ids:
            fail("panel id %r used twice" % p["id"])
        ids.add(p["id"])
        if p.get("type") == "row":
            walk(p.get("panels", []), out, ids)
            continue
        targets = p.get("targets") or []
        if not targets:
            fail("panel %r has no query" % p.get("title"))
        for t in targets:
            e = t.get("expr", "").strip()
            if not e:
                fail("panel %r: target %r has no expr" %
                     (p.get("title"), t.get("refId")))
            out.append((p.get("title"), e))


def main():
    try:
        with open(sys.argv[1]) as f:
            d = json.load(f)
    except ValueError as e:
        fail("%s: not JSON: %s" % (sys.argv[1], e))
    for k in ("title", "uid", "panels"):
        if not d.get(k):
            fail("no %s" % k)
    out = []
    walk(d["panels"], out, set())
    for a in d.get("annotations", {}).get("list", []):
        if a.get("expr"):
            out.append(("annotation " + a.get("name", ""), a["expr"]))
    exprs = []
    for title, e in out:
        for a, b in SUBST:
            e = e.replace(a, b)
        if "$" in e:
            fail("panel %r: unknown variable in %s" % (title, e))
        exprs.append((title, e))
    if len(sys.argv) < 3:
        for _, e in exprs:
            print(" ".join(e.split()))
        return
    with open(sys.argv[2], "w") as f:
        f.write("groups:\n  - name: dashboard\n    rules:\n")
        for i, (title, e) in enumerate(exprs):
            f.write("      # %s\n      - record: dashboard:query%d\n"
                    "        expr: %s\n" % (title, i, json.dumps(e)))
    print("%d queries from %d panels" % (len(exprs), len(d["panels"])))


main()
