#!/bin/bash
# Run every tests/integration/[0-9][0-9][0-9]-*.sh in order, each under a
# timeout.  Prints "PASS name (Ns)", "FAIL name (Ns)" or "SKIP name" per
# test, the tail of the log of each failed test (logs of passing tests are
# discarded), and finally the line "N passed, N failed, N skipped".
# Exit 1 if any test failed, or if none passed (every test skipped, e.g.
# without root, or no test matching PATTERN): a run that tested nothing
# must not pass.  A test exiting 77 is skipped.
#
#   tests/integration/run.sh [PATTERN]	  only tests whose name contains PATTERN
#   TEST_TIMEOUT=120 (seconds per test)   LOG_TAIL=40 (lines shown on failure)
#   LOG_DIR=dir: keep failed logs there (default: a temp dir, path printed)
[ -n "$BASH_VERSION" ] || exec bash "$0" "$@"

here=$(cd "$(dirname "$0")" && pwd)
TEST_TIMEOUT=${TEST_TIMEOUT:-120}
LOG_TAIL=${LOG_TAIL:-40}
pattern=${1:-}
logdir=${LOG_DIR:-$(mktemp -d /tmp/carpd-integration.XXXXXX)}
mkdir -p "$logdir"

# Under a sanitized carpd (make integration-san), every sanitizer report
# lands in SAN_LOG_DIR; a test after which a new report appears fails.
if [ -n "$SAN_LOG_DIR" ]; then
	mkdir -p "$SAN_LOG_DIR"
	export ASAN_OPTIONS="log_path=$SAN_LOG_DIR/asan:detect_leaks=1${ASAN_OPTIONS:+:$ASAN_OPTIONS}"
	export UBSAN_OPTIONS="log_path=$SAN_LOG_DIR/ubsan:print_stacktrace=1:halt_on_error=1${UBSAN_OPTIONS:+:$UBSAN_OPTIONS}"
	# A leak inside net-snmp itself, explained in the file.
	export LSAN_OPTIONS="suppressions=$here/lsan.supp:print_suppressions=0${LSAN_OPTIONS:+:$LSAN_OPTIONS}"
fi
san_reports() { [ -n "$SAN_LOG_DIR" ] && ls "$SAN_LOG_DIR" 2>/dev/null | wc -l || echo 0; }

npass=0 nfail=0 nskip=0
for t in "$here"/[0-9][0-9][0-9]-*.sh; do
	[ -e "$t" ] || continue
	name=$(basename "$t" .sh)
	[ -n "$pattern" ] && [[ $name != *"$pattern"* ]] && continue
	log="$logdir/$name.log"
	start=$(date +%s)
	# --kill-after: a test ignoring TERM is killed; its EXIT trap cleans up.
	nsan=$(san_reports)
	timeout --kill-after=10 "$TEST_TIMEOUT" bash "$t" >"$log" 2>&1 </dev/null
	rc=$?
	if [ "$rc" != 77 ] && [ "$(san_reports)" != "$nsan" ]; then
		echo "sanitizer reports in $SAN_LOG_DIR:" >>"$log"
		cat "$SAN_LOG_DIR"/* >>"$log"
		mkdir -p "$SAN_LOG_DIR.seen"
		mv "$SAN_LOG_DIR"/* "$SAN_LOG_DIR.seen/"
		rc=1
	fi
	secs=$(( $(date +%s) - start ))
	case $rc in
	0)	echo "PASS $name (${secs}s)"; npass=$((npass + 1)); rm -f "$log" ;;
	77)	echo "SKIP $name"; nskip=$((nskip + 1))
		sed -n 's/^SKIP: /  reason: /p' "$log" | tail -1; rm -f "$log" ;;
	*)	[ $rc = 124 ] || [ $rc = 137 ] && echo "  (timeout after ${TEST_TIMEOUT}s)" >>"$log"
		echo "FAIL $name (${secs}s)"; nfail=$((nfail + 1))
		echo "--- last $LOG_TAIL lines of $log (exit $rc) ---"
		tail -n "$LOG_TAIL" "$log" | sed 's/^/  /'
		echo "---" ;;
	esac
done
[ -z "$LOG_DIR" ] && [ $nfail = 0 ] && rmdir "$logdir" 2>/dev/null
echo "$npass passed, $nfail failed, $nskip skipped"
if [ $npass = 0 ] && [ $nfail = 0 ]; then
	echo "FAIL: no test passed (every one skipped, or none matched)"
	exit 1
fi
[ $nfail = 0 ]
