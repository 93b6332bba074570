#!/bin/bash
# 083-carpctl-docs: carpctl(8) renders its JSON as written (mdoc ate the
# quotes of `.Li {"reason": "..."}`): every JSON body of the HTTP API
# section, as mandoc prints it, parses as JSON once "..." is filled in;
# the page documents exit status 3 and the environment; mandoc -Tlint
# finds no error or warning; the bash completion is valid bash.
# No namespace, no root.
here=$(cd "$(dirname "$0")" && pwd)
REPO=$(cd "$here/../.." && pwd)
fail() { printf 'FAIL: %s\n' "$*" >&2; exit 1; }
skip() { printf 'SKIP: %s\n' "$*" >&2; exit 77; }
command -v mandoc >/dev/null 2>&1 || skip "missing mandoc"
[ -x /usr/bin/python3 ] || skip "missing python3"
MAN=$REPO/docs/carpctl.8

lint=$(mandoc -Tlint -W warning "$MAN" 2>&1 | grep -v 'mandoc.db')
[ -z "$lint" ] || { echo "$lint"; fail "mandoc -Tlint warns"; }
MANWIDTH=200 mandoc -Tascii -O width=200 "$MAN" | col -b >"/tmp/carpctl8.$$.txt"
trap 'rm -f "/tmp/carpctl8.$$.txt"' EXIT
/usr/bin/python3 - "/tmp/carpctl8.$$.txt" <<'PY' || fail "JSON in carpctl(8)"
import json, re, sys
text = open(sys.argv[1]).read()
api = text[text.index("HTTP API"):text.index("EXIT STATUS")]
bodies = re.findall(r"\{[^{}]*\}", api)
assert len(bodies) >= 6, bodies
for b in bodies:
    j = b.replace('"..."', '"x"').replace("true|false", "true")
    try:
        json.loads(j)
    except ValueError:
        sys.exit("does not parse as JSON: %s" % b)
for want in ('{"reason": "..."}', '{"enabled": true, "reason": "..."}',
             '{"changed": true|false}', '{"error": "..."}'):
    assert want in api, "missing " + want
print("%d JSON bodies render with their quotes" % len(bodies))
PY
grep -Eq '^[[:space:]]+3[[:space:]]+Unreachable' "/tmp/carpctl8.$$.txt" || fail "exit status 3 undocumented"
grep -q 'CARPCTL_TOKEN_FILE' "/tmp/carpctl8.$$.txt" || fail "CARPCTL_TOKEN_FILE undocumented"
bash -n "$REPO/contrib/bash-completion/carpctl.bash" || fail "bash completion: syntax"
printf 'PASS: %s\n' "$(basename "$0")" >&2
