#!/bin/sh
# Run each libFuzzer target on its seed corpus (tests/fuzz/corpus/<name>);
# new inputs go to a scratch directory, crashes to build/fuzz/artifacts/.
# Prints executions per target.
#
#   run.sh SECS BIN...
#
# SECS 10 or less (make fuzz-short, in make test): each target runs SECS
# seconds.  More (make fuzz, FUZZ_TIME=60 by default): a full run, each
# target until it has executed FUZZ_MIN_RUNS inputs (10,000,000 by
# default), however long that takes (at most FUZZ_MAX_SECS, 3600 s); a
# target that stops short of FUZZ_MIN_RUNS fails the run.  At the rates
# measured on the 2-core build host (docs/benchmarks.md, "Fuzzing") that
# is 1 to 20 minutes a target.
#
# Per target: a dictionary tests/fuzz/<name>.dict if there is one, and the
# options in fuzz_opts below.  ASan keeps no allocation stacks
# (malloc_context_size=0: a report still shows where it happened), which
# makes the allocation-heavy targets faster.
set -u
secs=$1; shift
fail=0
min_runs=${FUZZ_MIN_RUNS:-10000000}
max_secs=${FUZZ_MAX_SECS:-3600}
mkdir -p build/fuzz/artifacts
ASAN_OPTIONS="malloc_context_size=0${ASAN_OPTIONS:+:$ASAN_OPTIONS}"
export ASAN_OPTIONS

# fuzz_opts NAME: extra libFuzzer options.  conf: inputs up to 1 KB (a
# whole configuration of every key fits; longer ones only repeat lines,
# and each costs three parses and two printouts).
fuzz_opts() {
	case $1 in
	conf)	echo "-max_len=1024" ;;
	*)	echo "" ;;
	esac
}

for bin in "$@"; do
	name=$(basename "$bin"); name=${name#fuzz_}
	seeds=tests/fuzz/corpus/$name
	# New inputs on tmpfs when there is one: early on, a target writes
	# thousands of them.
	work=$(mktemp -d -p /dev/shm 2>/dev/null || mktemp -d)
	dict=""
	[ -f "tests/fuzz/$name.dict" ] && dict="-dict=tests/fuzz/$name.dict"
	if [ "$secs" -le 10 ]; then
		limit="-max_total_time=$secs"
	else
		limit="-runs=$min_runs -max_total_time=$max_secs"
	fi
	start=$(date +%s)
	# shellcheck disable=SC2046
	out=$("$bin" $limit -print_final_stats=1 \
	    -artifact_prefix=build/fuzz/artifacts/"$name"- $dict \
	    $(fuzz_opts "$name") "$work" "$seeds" 2>&1)
	rc=$?
	took=$(( $(date +%s) - start ))
	execs=$(printf '%s\n' "$out" | sed -n 's/^stat::number_of_executed_units: *//p')
	rate=$(printf '%s\n' "$out" | sed -n 's/^stat::average_exec_per_sec: *//p')
	if [ $rc -ne 0 ]; then
		echo "fuzz $name: FAILED (exit $rc)"
		printf '%s\n' "$out" | tail -40
		fail=1
	elif [ "$secs" -gt 10 ] && [ "${execs:-0}" -lt "$min_runs" ]; then
		echo "fuzz $name: only ${execs:-?} executions in ${took}s" \
		    "(${rate:-?}/s), want $min_runs: FAILED"
		fail=1
	else
		echo "fuzz $name: ${execs:-?} executions in ${took}s (${rate:-?}/s), no crash"
	fi
	rm -rf "$work"
done
exit $fail
