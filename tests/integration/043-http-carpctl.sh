#!/bin/bash
# 043-http-carpctl: carpctl over the control socket and over TCP with a
# token file (from -u/-t or CARPCTL_URL/CARPCTL_TOKEN_FILE); exit status
# 0 done, 1 refused, 2 usage, 3 unreachable; -h/--help and --version on
# stdout with 0; status -v shows the master heard, the last change, the
# link and the demotion; contrib/bash-completion/carpctl.bash completes
# commands, options and VHIDs.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/carpd.sh"
. "$(dirname "$0")/http.sh"
lab_need curl python3
[ -x "$CARPCTL" ] || skip "no $CARPCTL (run make)"

http_pair
S=(-s "$(http_sock a)")
T=(-u "$(hurl a)" -t "$(http_token a)")
# rc WANT CMD...: run, check the exit status, keep the output.
rc() {
	local want=$1 got; shift
	"$@" >"$LAB_DIR/out.txt" 2>"$LAB_DIR/err.txt"
	got=$?
	[ "$got" = "$want" ] || fail "$* -> exit $got, want $want:" \
	    "$(cat "$LAB_DIR/out.txt" "$LAB_DIR/err.txt")"
}

rc 0 "$CARPCTL" "${S[@]}" status
grep -qx 'eth0: carp: MASTER vhid 1 advbase 1 advskew 0' "$LAB_DIR/out.txt" ||
    fail "status line: $(cat "$LAB_DIR/out.txt")"
grep -qx 'demotion 0' "$LAB_DIR/out.txt" && grep -qx 'maintenance off' \
    "$LAB_DIR/out.txt" || fail "node lines: $(cat "$LAB_DIR/out.txt")"
cat "$LAB_DIR/out.txt"
rc 0 "$CARPCTL" -s "$(http_sock b)" status
grep -qx 'eth0: carp: BACKUP vhid 1 advbase 1 advskew 100' "$LAB_DIR/out.txt" ||
    fail "B's status line"
rc 0 "$CARPCTL" "${S[@]}" --json status
python3 -c 'import json,sys; assert json.load(open(sys.argv[1]))["vhids"][0]["state"] == "MASTER"' \
    "$LAB_DIR/out.txt" || fail "--json"

# Help and version: stdout, 0, nothing on stderr.
for h in -h --help; do
	rc 0 "$CARPCTL" $h
	grep -q '^usage: carpctl' "$LAB_DIR/out.txt" || fail "$h: no usage on stdout"
	grep -q '3 carpd unreachable' "$LAB_DIR/out.txt" || fail "$h: no exit codes"
	[ -s "$LAB_DIR/err.txt" ] && fail "$h writes to stderr"
done
rc 0 "$CARPCTL" status --help
grep -q '^usage: carpctl' "$LAB_DIR/out.txt" || fail "status --help"
rc 0 "$CARPCTL" --version
grep -Eqx 'carpctl [0-9][^ ]*' "$LAB_DIR/out.txt" || fail "--version: $(cat "$LAB_DIR/out.txt")"
[ -s "$LAB_DIR/err.txt" ] && fail "--version writes to stderr"

# status -v: the master heard, the last change, link and demotion.
rc 0 "$CARPCTL" -s "$(http_sock b)" status -v
grep -qx '	master 192.0.2.61' "$LAB_DIR/out.txt" || fail "B's -v master: $(cat "$LAB_DIR/out.txt")"
grep -Eqx '	last change 20[0-9-]+T[0-9:.]+Z \(initialization complete\)' "$LAB_DIR/out.txt" ||
    fail "B's -v last change: $(cat "$LAB_DIR/out.txt")"
grep -qx '	link up, advskew 100, effective advskew 100' "$LAB_DIR/out.txt" ||
    fail "B's -v link: $(cat "$LAB_DIR/out.txt")"
grep -qx '	addresses 192.0.2.111/24' "$LAB_DIR/out.txt" || fail "-v addresses"
grep -qx 'demotion 0 (administrative 0)' "$LAB_DIR/out.txt" || fail "-v demotion"
rc 0 "$CARPCTL" -v "${S[@]}" status
grep -qx '	master 192.0.2.61 (this node)' "$LAB_DIR/out.txt" ||
    fail "A's -v master: $(cat "$LAB_DIR/out.txt")"
grep -q '(master timed out)' "$LAB_DIR/out.txt" || fail "A's -v reason"
cat "$LAB_DIR/out.txt"

# The environment names the endpoint and the token; -s still wins.
rc 0 lab_exec c env CARPCTL_URL="$(hurl b)" CARPCTL_TOKEN_FILE="$(http_token b)" \
    "$CARPCTL" status
grep -qx 'eth0: carp: BACKUP vhid 1 advbase 1 advskew 100' "$LAB_DIR/out.txt" ||
    fail "CARPCTL_URL: $(cat "$LAB_DIR/out.txt")"
rc 0 env CARPCTL_URL="$(hurl b)" "$CARPCTL" "${S[@]}" status
grep -q 'MASTER' "$LAB_DIR/out.txt" || fail "-s does not win over CARPCTL_URL"
# An unreadable token file is a usage error.
rc 2 lab_exec c env CARPCTL_URL="$(hurl b)" CARPCTL_TOKEN_FILE="$LAB_DIR/none" \
    "$CARPCTL" demote 1 -r test
rc 0 lab_exec c env CARPCTL_URL="$(hurl b)" CARPCTL_TOKEN_FILE="$(http_token b)" \
    "$CARPCTL" demotion 0 -r "env token"
grep -qx 'demotion 0' "$LAB_DIR/out.txt" || fail "action with CARPCTL_TOKEN_FILE"

# Bash completion: commands, options, and the VHIDs from carpd itself.
COMPL=$(cd "$(dirname "$0")/../.." && pwd)/contrib/bash-completion/carpctl.bash
comp() {	# WORDS...: the completions of the last word
	bash -c '. "$1"; shift; COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1));
	    _carpctl; printf "%s\n" "${COMPREPLY[@]}"' _ "$COMPL" "$@" | sort | tr '\n' ' '
}
[ "$(comp "$CARPCTL" "")" = "demote demotion maintenance promote status why " ] ||
    fail "completion of commands: $(comp "$CARPCTL" "")"
[ "$(comp "$CARPCTL" "${S[@]}" demote "")" = "1 all eth0/1 " ] ||
    fail "completion of VHIDs: $(comp "$CARPCTL" "${S[@]}" demote "")"
[ "$(comp "$CARPCTL" maintenance "")" = "off on " ] || fail "completion of maintenance"
comp "$CARPCTL" maintenance on --h | grep -qw -- --hold || fail "completion of --hold"
[ "$(comp "$CARPCTL" "${S[@]}" why "")" = "1 eth0/1 " ] ||
    fail "completion of why: $(comp "$CARPCTL" "${S[@]}" why "")"
comp "$CARPCTL" status - | grep -qw -- -v || fail "completion of status -v"
comp "$CARPCTL" "${S[@]}" promote 1 --f | grep -qw -- --force-master ||
    fail "completion of --force-master"
echo "completion: commands, VHIDs from carpd, options"

# Usage errors: 2.
rc 2 "$CARPCTL" "${S[@]}"
rc 2 "$CARPCTL" --frobnicate
grep -q '^usage:' "$LAB_DIR/err.txt" || fail "usage not on stderr"
[ -s "$LAB_DIR/out.txt" ] && fail "usage error on stdout"
rc 2 "$CARPCTL" "${S[@]}" demote 1 -v -r x
rc 2 "$CARPCTL" -u "$(hurl a)" -t "$LAB_DIR/none" status
rc 2 "$CARPCTL" "${S[@]}" frobnicate
rc 2 "$CARPCTL" "${S[@]}" demote 1
rc 2 "$CARPCTL" "${S[@]}" maintenance maybe -r x
rc 2 "$CARPCTL" "${S[@]}" demotion ten -r x
rc 2 "$CARPCTL" "${S[@]}" status --force-master
# Refused: 1, with the reason.
rc 1 "$CARPCTL" "${S[@]}" demote 9 -r test
grep -q 'refused (404): no vhid 9' "$LAB_DIR/err.txt" ||
    fail "message: $(cat "$LAB_DIR/err.txt")"
# Unreachable: 3.
rc 3 "$CARPCTL" -s "$LAB_DIR/nothing.sock" status
rc 3 "$CARPCTL" -s "$LAB_DIR/nothing.sock" demote all -r test
rc 3 "$CARPCTL" -s "$LAB_DIR/nothing.sock" maintenance off
rc 3 lab_exec c "$CARPCTL" -u http://192.0.2.110:1 status
rc 3 lab_exec c env CARPCTL_URL=http://192.0.2.110:1 "$CARPCTL" status
rc 1 lab_exec c "$CARPCTL" -u "$(hurl a)" demote 1 -r test
grep -q 'refused (401)' "$LAB_DIR/err.txt" || fail "401 message"
echo wrong >"$LAB_DIR/wrong.token"
rc 1 lab_exec c "$CARPCTL" -u "$(hurl a)" -t "$LAB_DIR/wrong.token" \
    demote 1 -r test
grep -q 'wrong token' "$LAB_DIR/err.txt" || fail "wrong token message"

# Demote all over TCP: B takes over; again: already in effect, exit 0.
rc 0 lab_exec c "$CARPCTL" "${T[@]}" demote all -r "carpctl test"
carpd_wait b 1 MASTER 2 || fail "B did not take over"
rc 0 lab_exec c "$CARPCTL" "${T[@]}" demote eth0/1 -r "carpctl test"
grep -q 'already in effect' "$LAB_DIR/out.txt" || fail "idempotent demote"
rc 0 "$CARPCTL" "${S[@]}" status
grep -q 'demoted by administrator: carpctl test' "$LAB_DIR/out.txt" ||
    fail "status shows no admin demotion"
rc 0 "$CARPCTL" "${S[@]}" promote 1 --force-master
carpd_wait a 1 MASTER 2 || fail "A not MASTER after promote"
rc 0 "$CARPCTL" "${S[@]}" maintenance on -r "carpctl maint"
grep -qx 'maintenance on' "$LAB_DIR/out.txt" || fail "maintenance output"
carpd_wait b 1 MASTER 2 || fail "B did not take over for maintenance"
rc 0 lab_exec c "$CARPCTL" "${T[@]}" maintenance off
carpd_wait a 1 MASTER 4 || fail "A did not come back"
rc 0 "$CARPCTL" "${S[@]}" demotion 20 -r "carpctl demotion"
grep -qx 'demotion 20' "$LAB_DIR/out.txt" || fail "demotion output"
grep -c 'audit: origin=socket' "$(carpd_log a)" | grep -qx 3 ||
    fail "socket audit lines"
grep -c 'audit: origin=http' "$(carpd_log a)" | grep -qx 2 ||
    fail "http audit lines"
pass
