#!/bin/bash
# tests/bench/run.sh: every benchmark, in one run on one machine, written to
# docs/benchmarks.md (the raw RESULT lines go to build/bench/results.txt).
#
#   make bench                       everything (about half an hour)
#   BENCH_RUNS=3                     failover runs per implementation
#   BENCH_SCALE_SECS=120             CPU measuring window at 255 VHIDs
#   BENCH_ONLY="codec failover scale snmp metrics"   a subset
#   BENCH_OUT=docs/benchmarks.md
#   BENCH_APPEND=1                   keep earlier RESULT lines (a later run
#                                    of some sections adds to the report;
#                                    BENCH_ONLY=none rewrites the report)
[ -n "$BASH_VERSION" ] || exec bash "$0" "$@"
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
cd "$top" || exit 1
RUNS=${BENCH_RUNS:-3}
SCALE_SECS=${BENCH_SCALE_SECS:-120}
ONLY=${BENCH_ONLY:-codec failover scale snmp metrics}
OUT=${BENCH_OUT:-docs/benchmarks.md}
RES=build/bench/results.txt
mkdir -p build/bench
[ -n "$BENCH_APPEND" ] || : >"$RES"

want() { [[ " $ONLY " == *" $1 "* ]]; }
say() { printf '%s bench: %s\n' "$(date +%T)" "$*" >&2; }
# run CMD...: log the command, keep its RESULT lines
run() {
	say "$*"
	echo "COMMAND $*" >>"$RES"
	"$@" 2>>build/bench/stderr.txt | tee -a "$RES" | grep '^RESULT' >&2
}

if want codec; then
	run build/tests/bench_carp_codec 2000000
	# Allocations per packet: the heap calls of 10 and of 10000
	# iterations must be the same.
	for n in 10 10000; do
		echo "COMMAND valgrind build/tests/bench_carp_codec $n" >>"$RES"
		a=$(valgrind build/tests/bench_carp_codec "$n" 2>&1 |
		    sed -n 's/.*total heap usage: \([0-9,]*\) allocs.*/\1/p' |
		    tr -d ,)
		echo "RESULT impl=carpd metric=heap_allocs value=$a iterations=$n" |
		    tee -a "$RES" >&2
	done
fi
if want failover; then
	for impl in carpd keepalived ucarp; do
		run tests/bench/failover.sh "$impl" "$RUNS"
	done
fi
if want scale; then
	# A run whose master never held every address (keepalived, now and
	# then, on this machine) has no figure: it runs once more, and both
	# commands stay in the list.
	for impl in carpd keepalived ucarp; do
		run tests/bench/scale.sh "$impl" 255 "$SCALE_SECS" ||
		    run tests/bench/scale.sh "$impl" 255 "$SCALE_SECS"
	done
fi
if want snmp && [ -x tests/bench/snmp_walk.sh ]; then
	run tests/bench/snmp_walk.sh
fi
if want metrics && [ -x build/tests/bench_prom ]; then
	run build/tests/bench_prom
fi
if want metrics && [ -x tests/bench/metrics_wrk.sh ]; then
	run tests/bench/metrics_wrk.sh 255 10
fi

say "writing $OUT"
{
cat <<EOF
# carpd benchmarks

Written by \`make bench\` (tests/bench/run.sh) on $(date -u +%Y-%m-%d).
Every figure below comes from the RESULT lines of the commands listed under
"Commands"; carpd, ucarp and keepalived ran the same way, one after the
other, on this machine.  Raw lines: build/bench/results.txt.  How each
failover figure is measured: docs/benchmarks-baseline.md.

## Machine

| | |
|---|---|
| CPU | $(nproc) x $(sed -n 's/^model name[^:]*: //p' /proc/cpuinfo | head -1) |
| Memory | $(free -h | awk '/^Mem:/ { print $2 }') |
| Kernel | $(uname -r) |
| OS | $(. /etc/os-release; echo "$PRETTY_NAME") ($(cat /etc/debian_version 2>/dev/null)) |
| carpd | $(build/carpd -V 2>/dev/null), $(git rev-parse --short HEAD 2>/dev/null) |
| ucarp | $(dpkg-query -W -f '${Version}' ucarp 2>/dev/null) |
| keepalived | $(dpkg-query -W -f '${Version}' keepalived 2>/dev/null) |
| net-snmp | $(dpkg-query -W -f '${Version}' snmpd 2>/dev/null) |

EOF
awk '
function show(title, unit) { printf "\n## %s\n\n", title }
# run() and the scripts themselves both log a command: list it once.
/^COMMAND / {
	sub(/^COMMAND /, ""); cmd = $0
	if (ncmd == 0 || cmds[ncmd] != cmd) cmds[++ncmd] = cmd
	next
}
/^RESULT / {
	impl = ""; metric = ""; value = ""; extra = ""
	for (i = 2; i <= NF; i++) {
		split($i, kv, "=")
		if (kv[1] == "impl") impl = kv[2]
		else if (kv[1] == "metric") metric = kv[2]
		else if (kv[1] == "value") value = substr($i, 7)
		else if (kv[1] != "run") extra = extra " " $i
	}
	key = metric (extra ~ /side=/ ? " (" substr(extra, index(extra, "side=") + 5) ")" : "")
	sub(/ vhids=.*\)/, ")", key); sub(/ procs=.*\)/, ")", key)
	if (!(key in seen)) { seen[key] = 1; keys[++nkeys] = key }
	if (!(impl in iseen)) { iseen[impl] = 1; impls[++nimpl] = impl }
	v[key, impl] = (v[key, impl] == "" ? "" : v[key, impl] ", ") value
	src[key] = cmd
}
END {
	printf "## Results\n\n| metric |"
	for (j = 1; j <= nimpl; j++) printf " %s |", impls[j]
	printf "\n|---|"
	for (j = 1; j <= nimpl; j++) printf "---|"
	printf "\n"
	for (k = 1; k <= nkeys; k++) {
		printf "| %s |", keys[k]
		for (j = 1; j <= nimpl; j++) printf " %s |", v[keys[k], impls[j]]
		printf "\n"
	}
	printf "\n## Commands\n\n"
	for (c = 1; c <= ncmd; c++) printf "    %s\n", cmds[c]
}' "$RES"
cat <<'EOF'

## Reading the table

* Failover (tests/bench/failover.sh; values in ms, one per run), two nodes
  and a client pinging the VIP every 10 ms, advbase 1, advskews 0 and 100
  (keepalived: priorities 100 and 50), preemption on:
  * takeover_lag_ms: the new master's first advert minus (the old master's
    last advert + the backup's master-down interval), from a capture on
    the bridge, after a cable pull of the master;
  * stop_ping_gap_ms: longest gap between ping replies around a graceful
    stop (SIGTERM) of the master;
  * plugback_dual_vip_ms: time the VIP is on both hosts when the preferred
    node's cable is plugged back and it preempts (address monitors);
  * kill_vip_stays_ms: how long the VIP stays on a master killed with
    SIGKILL (">15000": never removed);
* Scale (tests/bench/scale.sh): 255 VHIDs, all masters on one host and all
  backups on the other; CPU seconds per minute (utime + stime from /proc)
  and resident memory of the implementation's processes on each side.
  ucarp needs one process per VHID.  No SNMP, no HTTP: configured alike.
* SNMP (tests/bench/snmp_walk.sh): `snmpbulkwalk -v2c -Cr50` of carpd's
  VHID table (255 VHIDs) and of keepalived's vrrpv3OperationsTable (255
  instances) through snmpd; median µs a row, and the CPU snmpd and the
  subagent spent per row.  snmp_rss_mib: carpd's resident memory with
  SNMP on, once connected, after a full walk of CARPD-MIB, at the end of
  the walks and 3 s later.
* Codec (tests/bench/bench_carp_codec.c): ns per build + HMAC of one
  advert, per parse + verify of one, per carp_input() of a valid advert;
  heap_allocs: valgrind's count for 10 and 10000 iterations (equal: nothing
  on the packet path allocates).
EOF
} >"$OUT"
say "done: $OUT"
