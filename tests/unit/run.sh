#!/bin/sh
# Run each cmocka unit-test binary, then close with cmocka's summary lines
# for the whole tier (the sum over every binary).
run=0 passed=0 failed=0 bins_failed=""
for t in "$@"; do
	# stdbuf keeps cmocka's stdout and stderr lines in order; ASan must
	# then accept a preloaded library ahead of its runtime.
	out=$(ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}verify_asan_link_order=0" \
	    stdbuf -o0 -e0 "$t" 2>&1)
	rc=$?
	printf '%s\n' "$out"
	r=$(printf '%s\n' "$out" | sed -n 's/^\[==========\] \([0-9]*\) test(s) run\./\1/p' | tail -1)
	p=$(printf '%s\n' "$out" | sed -n 's/^\[  PASSED  \] \([0-9]*\) test(s)\./\1/p' | tail -1)
	f=$(printf '%s\n' "$out" | sed -n 's/^\[  FAILED  \] \([0-9]*\) test(s), listed below:/\1/p' | tail -1)
	run=$((run + ${r:-0})); passed=$((passed + ${p:-0})); failed=$((failed + ${f:-0}))
	if [ $rc -ne 0 ]; then
		bins_failed="$bins_failed $(basename "$t")"
		[ -n "$f" ] || failed=$((failed + 1))
	fi
done
echo "[==========] $run test(s) run (all unit binaries)."
echo "[  PASSED  ] $passed test(s)."
if [ -n "$bins_failed" ]; then
	echo "[  FAILED  ] $failed test(s), in:$bins_failed"
	exit 1
fi
