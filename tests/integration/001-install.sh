#!/bin/sh
# 001-install.sh: "make install" puts every file where it belongs.
#
# Runs make install DESTDIR=<temporary directory> PREFIX=/usr and checks:
# carpd (and carpctl, if there is one) in /usr/sbin (both are in section
# 8), every man page of docs/ in its section, every MIB of mibs/, the
# systemd unit with @SBINDIR@ replaced by /usr/sbin; that the installed carpd -V prints the
# Makefile's version; that mandoc -Tlint has nothing to say about the
# installed man pages (and groff no warning, if it is installed); that
# systemd-analyze verify accepts the unit, if it is installed.
#
# Needs no root and touches nothing outside the temporary directory and
# the build directory (B, default build/, as make install builds first).
# Exit status: 0 pass, 1 fail, 77 skip (no make or cc; no mandoc, which
# "make deps" installs).

set -u

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
D=
T=
FAILS=0

skip() { echo "SKIP: $*"; exit 77; }
pass() { echo "ok   - $*"; }
fail() { echo "FAIL - $*"; FAILS=$((FAILS + 1)); }

command -v make >/dev/null 2>&1 || skip "needs make"
command -v cc >/dev/null 2>&1 || skip "needs cc"

# shellcheck disable=SC2317 # called by the trap
cleanup() {
	[ -n "$D" ] && rm -rf "$D"
	[ -n "$T" ] && rm -rf "$T"
}
trap cleanup EXIT
trap 'exit 1' INT TERM HUP

D=$(mktemp -d /tmp/carpd-install.XXXXXX) || exit 1
T=$(mktemp -d /tmp/carpd-install-tmp.XXXXXX) || exit 1

# The layout for PREFIX=/usr, as the Makefile defines it.
SBINDIR=/usr/sbin
MANDIR=/usr/share/man
MIBDIR=/usr/share/snmp/mibs
UNITDIR=/lib/systemd/system
VERSION=$(sed -n 's/^VERSION[[:space:]]*=[[:space:]]*//p' "$ROOT/Makefile")
[ -n "$VERSION" ] || fail "no VERSION in the Makefile"

echo "# make install DESTDIR=$D PREFIX=/usr"
if ! make -C "$ROOT" --no-print-directory install DESTDIR="$D" \
    PREFIX=/usr >"$T/make.log" 2>&1; then
	tail -n 30 "$T/make.log"
	fail "make install failed"
	exit 1
fi
pass "make install"

# want FILE MODE: FILE (relative to DESTDIR) is a regular file of MODE.
want() {
	if [ ! -f "$D$1" ]; then
		fail "$1 not installed"
		return 1
	fi
	m=$(stat -c %a "$D$1")
	if [ "$m" != "$2" ]; then
		fail "$1 has mode $m, not $2"
		return 1
	fi
	pass "$1 ($2)"
}

want "$SBINDIR/carpd" 755
if [ -f "$ROOT/exporters/carpctl.c" ]; then
	want "$SBINDIR/carpctl" 755
fi

# Every man page in docs/, in its section; carpd(8) and carpd.conf(5) at
# least.
[ -f "$ROOT/docs/carpd.8" ] || fail "docs/carpd.8 missing from the source"
[ -f "$ROOT/docs/carpd.conf.5" ] ||
    fail "docs/carpd.conf.5 missing from the source"
PAGES=
for src in "$ROOT"/docs/*.[158]; do
	[ -f "$src" ] || continue
	base=$(basename "$src")
	sec=${base##*.}
	if want "$MANDIR/man$sec/$base" 644; then
		cmp -s "$src" "$D$MANDIR/man$sec/$base" ||
		    fail "$MANDIR/man$sec/$base differs from docs/$base"
		PAGES="$PAGES $D$MANDIR/man$sec/$base"
	fi
done

# Every MIB, if there are any.
nmib=0
for src in "$ROOT"/mibs/*.txt; do
	[ -f "$src" ] || continue
	nmib=$((nmib + 1))
	want "$MIBDIR/$(basename "$src")" 644
done
[ $nmib = 0 ] && echo "# no MIB in mibs/, none to check"

# The unit, with the path substituted.
U="$UNITDIR/carpd.service"
if [ -f "$ROOT/agent/carpd.service" ]; then
	if want "$U" 644; then
		before=$FAILS
		grep -q '@SBINDIR@' "$D$U" && fail "$U still has @SBINDIR@"
		grep -q "^ExecStart=$SBINDIR/carpd " "$D$U" ||
		    fail "$U: ExecStart does not run $SBINDIR/carpd"
		grep -q '^ExecReload=.*-HUP' "$D$U" ||
		    fail "$U: no SIGHUP reload"
		[ $FAILS = "$before" ] &&
		    pass "$U: ExecStart=$SBINDIR/carpd, reload by SIGHUP"
	fi
else
	fail "agent/carpd.service missing from the source"
fi

# Nothing installed that the checks above do not know of.
find "$D" -type f | sed "s|^$D||" | sort >"$T/files"
known="^($SBINDIR/carpd|$SBINDIR/carpctl|$MANDIR/man[158]/[^/]+|$MIBDIR/[^/]+\.txt|$U)\$"
if grep -Ev "$known" "$T/files" >"$T/extra"; then
	fail "unexpected files installed: $(tr '\n' ' ' <"$T/extra")"
fi

# The installed binary runs and knows its version.
if [ -x "$D$SBINDIR/carpd" ]; then
	out=$("$D$SBINDIR/carpd" -V 2>&1)
	if [ "$out" = "carpd $VERSION" ]; then
		pass "carpd -V: $out"
	else
		fail "carpd -V printed '$out', not 'carpd $VERSION'"
	fi
fi

# systemd-analyze verify, with the unit pointing at the installed binary.
if [ -f "$D$U" ] && command -v systemd-analyze >/dev/null 2>&1; then
	sed "s|$SBINDIR/carpd|$D$SBINDIR/carpd|g" "$D$U" >"$T/carpd.service"
	if (cd "$T" && systemd-analyze verify --man=no ./carpd.service) \
	    >"$T/verify.log" 2>&1; then
		pass "systemd-analyze verify $U"
	else
		sed 's/^/    /' "$T/verify.log"
		fail "systemd-analyze verify $U"
	fi
else
	echo "# systemd-analyze not available, unit not verified"
fi

# groff, if present: no warning either (lines that cannot be broken...).
if command -v groff >/dev/null 2>&1; then
	for p in $PAGES; do
		if groff -mdoc -ww -z -Tutf8 "$p" >"$T/groff.log" 2>&1 &&
		    [ ! -s "$T/groff.log" ]; then
			pass "groff -ww: $(basename "$p")"
		else
			sed 's/^/    /' "$T/groff.log"
			fail "groff -ww: $(basename "$p")"
		fi
	done
fi

# mandoc -Tlint on the installed pages.  "referenced manual not found" is
# about the manuals installed on this machine, not the page (mandoc looks
# only in the system's manual path, never in DESTDIR): a reference to one
# of the pages just installed is fine, any other is reported, not failed.
# Every other message fails.
if ! command -v mandoc >/dev/null 2>&1; then
	[ $FAILS = 0 ] || { echo "$FAILS check(s) failed"; exit 1; }
	skip "needs mandoc for the lint (make deps installs it)"
fi
for p in $PAGES; do
	name=$(basename "$p")
	mandoc -Tlint "$p" >"$T/lint.log" 2>&1
	bad=0
	while IFS= read -r line; do
		case $line in
		*"referenced manual not found: Xr "*)
			ref=${line##*Xr }
			ref=${ref%% (*}
			rname=${ref% *}
			rsec=${ref#* }
			if [ -f "$D$MANDIR/man$rsec/$rname.$rsec" ]; then
				continue
			fi
			echo "# $name: $rname($rsec) is not installed here"
			;;
		*"outdated mandoc.db"*)
			;;
		*)
			echo "    $line"
			bad=1
			;;
		esac
	done <"$T/lint.log"
	if [ $bad = 0 ]; then
		pass "mandoc -Tlint: $name"
	else
		fail "mandoc -Tlint: $name"
	fi
done

if [ $FAILS != 0 ]; then
	echo "$FAILS check(s) failed"
	exit 1
fi
echo "all checks passed"
exit 0
