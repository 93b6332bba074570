#!/bin/sh
# Run each libFuzzer target for $1 seconds on its seed corpus
# (tests/fuzz/corpus/<name>); new inputs go to a scratch directory, crashes
# to build/fuzz/artifacts/.  Prints executions per target.
set -u
secs=$1; shift
fail=0
mkdir -p build/fuzz/artifacts
for bin in "$@"; do
	name=$(basename "$bin"); name=${name#fuzz_}
	seeds=tests/fuzz/corpus/$name
	work=$(mktemp -d)
	dict=""
	[ -f "tests/fuzz/$name.dict" ] && dict="-dict=tests/fuzz/$name.dict"
	out=$("$bin" -max_total_time="$secs" -print_final_stats=1 \
	    -artifact_prefix=build/fuzz/artifacts/"$name"- $dict \
	    "$work" "$seeds" 2>&1)
	rc=$?
	execs=$(printf '%s\n' "$out" | sed -n 's/^stat::number_of_executed_units: *//p')
	rate=$(printf '%s\n' "$out" | sed -n 's/^stat::average_exec_per_sec: *//p')
	if [ $rc -eq 0 ]; then
		echo "fuzz $name: ${execs:-?} executions in ${secs}s (${rate:-?}/s), no crash"
	else
		echo "fuzz $name: FAILED (exit $rc)"
		printf '%s\n' "$out" | tail -40
		fail=1
	fi
	rm -rf "$work"
done
exit $fail
