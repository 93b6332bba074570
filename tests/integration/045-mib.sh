#!/bin/bash
# 045-mib: mibs/CARPD-MIB.txt is clean SMIv2 (smilint -l 9: no error, no
# warning, no name longer than 32 characters), loads into net-snmp
# (snmptranslate), and every OID the daemon uses (agent/snmp_oids.h,
# compiled) is the OID the MIB gives that name.
here=$(cd "$(dirname "$0")" && pwd)
REPO=$(cd "$here/../.." && pwd)
SHARED=${SHARED:-$REPO/../shared}
BASE=$SHARED/mibs/base
MIB=$REPO/mibs/CARPD-MIB.txt
fail() { printf 'FAIL: %s\n' "$*" >&2; exit 1; }
skip() { printf 'SKIP: %s\n' "$*" >&2; exit 77; }
for c in smilint snmptranslate cc; do
	command -v $c >/dev/null 2>&1 || skip "missing $c"
done
[ -f "$BASE/SNMPv2-SMI.txt" ] || skip "no $BASE"
tmp=$(mktemp -d) || fail mktemp
trap 'rm -rf "$tmp"' EXIT

# smilint at level 9: not one line of output.
SMIPATH=$BASE smilint -l 9 -s "$MIB" >"$tmp/smilint" 2>&1
[ -s "$tmp/smilint" ] && { cat "$tmp/smilint"; fail "smilint -l 9 complains"; }
echo "smilint -l 9: clean"

# snmptranslate, as the brief loads it, and the tree.
snmptranslate -M "+$BASE:$REPO/mibs" -m +CARPD-MIB -On CARPD-MIB::carpdMIB \
    2>"$tmp/err" | grep -qx '.1.3.6.1.4.1.8072.9999.9999.112' ||
    fail "snmptranslate: $(cat "$tmp/err")"
grep -i 'carpd' "$tmp/err" && fail "snmptranslate warns about CARPD-MIB"
snmptranslate -M "$BASE:$REPO/mibs" -m CARPD-MIB -Tp -IR carpdMIB \
    >"$tmp/tree" 2>"$tmp/err" || fail "snmptranslate -Tp: $(cat "$tmp/err")"
[ -s "$tmp/err" ] && { cat "$tmp/err"; fail "snmptranslate -Tp warns"; }
echo "snmptranslate: $(grep -c '^ *[+|].*--' "$tmp/tree") nodes"

# The daemon's OIDs, as compiled, against the MIB's.
cat >"$tmp/oids.c" <<'CEOF'
#include <stdio.h>
#include "agent/snmp_oids.h"
#define P(name, ...) do {						\
	static const unsigned long o[] = { __VA_ARGS__ };		\
	size_t i;							\
	printf("%s ", #name);						\
	for (i = 0; i < sizeof(o) / sizeof(o[0]); i++)			\
		printf(".%lu", o[i]);					\
	printf("\n");							\
} while (0);
int
main(void)
{
	CARPD_MIB_OBJECTS(P)
	return 0;
}
CEOF
cc -std=c11 -Wall -Werror -I"$REPO" -o "$tmp/oids" "$tmp/oids.c" ||
    fail "cannot compile agent/snmp_oids.h"
"$tmp/oids" >"$tmp/code.txt"
n=0
while read -r name oid; do
	want=$(snmptranslate -M "$BASE:$REPO/mibs" -m CARPD-MIB -On \
	    "CARPD-MIB::$name" 2>&1)
	[ "$want" = "$oid" ] || fail "$name: code $oid, MIB $want"
	n=$((n + 1))
done <"$tmp/code.txt"
# And the other way: every MIB node is in the code's table.
snmptranslate -M "$BASE:$REPO/mibs" -m CARPD-MIB -Tz 2>/dev/null |
    awk -F'"' '$2 ~ /^carpd/ && $2 !~ /(Compliance|Compliances|Groups|Group|Conformance)$/ { print $2 }' |
    sort >"$tmp/mib-names"
cut -d' ' -f1 "$tmp/code.txt" | sort >"$tmp/code-names"
missing=$(comm -23 "$tmp/mib-names" "$tmp/code-names")
[ -z "$missing" ] || fail "in the MIB, not in agent/snmp_oids.h: $missing"
echo "agent/snmp_oids.h: $n OIDs match the MIB"
printf 'PASS: %s\n' "$(basename "$0")" >&2
