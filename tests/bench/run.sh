#!/bin/bash
# tests/bench/run.sh: every benchmark, in one run on one machine, written to
# docs/benchmarks.md (the raw RESULT lines go to build/bench/results.txt).
#
#   make bench                       everything (about 40 minutes; the vrrp
#                                    section about 4)
#   BENCH_RUNS=3                     failover runs per implementation
#   BENCH_SCALE_SECS=120             CPU measuring window at 255 VHIDs
#   BENCH_ONLY="codec failover garp scale vrrp snmp metrics"   a subset
#   BENCH_VRRP_RUNS=5                cable pulls per implementation, VRRPv3
#                                    at 10 ms (tests/bench/vrrp.sh outage)
#   BENCH_VRRP_SECS=30               CPU window at 255 VRRPv3 groups, per
#                                    implementation and interval (10 ms, 1 s)
#   VRRP_JITTER_SECS=5               capture for the jitter at 255 x 10 ms
#   BENCH_GARP_RUNS=1                runs of the GARP-ignoring client bench
#                                    (default: BENCH_RUNS if set, else 1;
#                                    about 5 minutes a run)
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
ONLY=${BENCH_ONLY:-codec failover garp scale vrrp snmp metrics}
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
if want garp; then
	# A client that ignores gratuitous ARP: carpd (virtual and interface
	# MAC) and keepalived (with and without use_vmac) in the same run.
	run tests/bench/garp_client.sh "${BENCH_GARP_RUNS:-${BENCH_RUNS:-1}}"
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
if want vrrp; then
	# VRRPv3, carpd and keepalived configured alike (tests/bench/vrrp.sh):
	# one group's cable-pull outage at 10 ms, then 255 groups at 10 ms
	# and at 1 s.  A run that fails (a master that never held every
	# address) runs once more, and both commands stay in the list.
	for impl in carpd keepalived; do
		run tests/bench/vrrp.sh outage "$impl" "${BENCH_VRRP_RUNS:-5}"
	done
	for cs in 1 100; do
		for impl in carpd keepalived; do
			run tests/bench/vrrp.sh scale "$impl" 255 "$cs" \
			    "${BENCH_VRRP_SECS:-30}" ||
			    run tests/bench/vrrp.sh scale "$impl" 255 "$cs" \
			    "${BENCH_VRRP_SECS:-30}"
		done
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
[ -f "$OUT" ] && cp "$OUT" "$OUT.prev"
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
	if (metric ~ /^(garp|vrrp)_/) next	# their own sections, below
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
if grep -q '^RESULT .* metric=garp_' "$RES"; then
cat <<'EOF'

## Failover with a GARP-ignoring client

tests/bench/garp_client.sh: the failover set-up above (a preferred, b
backup, advbase 1, advskews 0 and 100 or priorities 100 and 50,
preemption, VIP 192.0.2.111/24), with a client that drops every
gratuitous ARP for the VIP (nft `arp saddr ip VIP arp daddr ip VIP drop`,
as many PLCs and HMIs do) and pings the VIP every 10 ms, so it learns the
VIP's MAC only from replies to its own ARP requests.  A fresh lab for each
implementation and run.  Values in ms, one per run:

* cable pull: a's switch port goes down.  Client outage: the longest gap
  between ping replies until they flow again; nobody held the VIP: pull ->
  VIP added on b (address monitor).  The difference is what the client's
  ARP cache costs.
* plug-back: the port comes up again and a preempts.  Client outage as
  above; b released the VIP: plug -> VIP deleted on b.
* ">60000": the replies had not resumed 60 s after the event.

With the node's own MAC the client keeps sending to the old master's MAC
until its ARP entry expires: REACHABLE for 15-45 s (random) after the last
reply confirmed it, then 5 s DELAY, three unicast probes 1 s apart, then a
broadcast request, 23-53 s in all.  keepalived's use_vmac answers ARP
with the virtual MAC but sets no arp_announce: the master's own ARP
requests for the client ("who-has client tell VIP", from eth0 with the
node's MAC) overwrite the client's entry for the VIP with the node's MAC,
so after a failover the client still needs its unicast probes (about 3 s)
and a broadcast request.  carpd's virtual MAC sets arp_announce 2 on the
parent, and the client's entry stays at 00:00:5e:00:01:VHID throughout.

EOF
awk '
function app(c, im, x,   k) {
	k = c SUBSEP im
	if (k in v) v[k] = v[k] ", " x; else v[k] = x
}
BEGIN {
	label["carpd-vmac"] = "carpd, mac-mode virtual (default)"
	label["carpd-ifmac"] = "carpd, mac-mode interface"
	label["keepalived"] = "keepalived, no use_vmac"
	label["keepalived-vmac"] = "keepalived, use_vmac"
	label["keepalived-vmac-xmit"] = "keepalived, use_vmac + vmac_xmit_base"
}
/^COMMAND .*garp_client/ {
	sub(/^COMMAND /, "")
	if (!($0 in cseen)) { cseen[$0] = 1; cmds[++nc] = $0 }
	next
}
/^RESULT / && / metric=garp_/ {
	split("", f)
	for (i = 2; i <= NF; i++) {
		k = $i; sub(/=.*/, "", k); f[k] = substr($i, length(k) + 2)
	}
	im = f["impl"]
	if (!(im in iseen)) { iseen[im] = 1; impls[++ni] = im }
	if (f["metric"] == "garp_pull_outage_ms") {
		app("pull", im, f["value"]); app("nh", im, f["noholder_ms"])
		app("dp", im, f["garps_dropped"])
	} else if (f["metric"] == "garp_plugback_gap_ms") {
		app("plug", im, f["value"]); app("rel", im, f["release_ms"])
		app("dg", im, f["garps_dropped"])
	}
}
END {
	print "| implementation | cable pull: client outage | cable pull: nobody held the VIP | plug-back: client outage | plug-back: b released the VIP | GARPs the client dropped (pull; plug-back) |"
	print "|---|---|---|---|---|---|"
	for (j = 1; j <= ni; j++) {
		im = impls[j]
		printf "| %s | %s | %s | %s | %s | %s; %s |\n", (im in label ? label[im] : im),
		    v["pull", im], v["nh", im], v["plug", im], v["rel", im],
		    v["dp", im], v["dg", im]
	}
	printf "\nCommand:\n\n"
	for (c = 1; c <= nc; c++) printf "    %s\n", cmds[c]
}' "$RES"
fi
if grep -q '^RESULT .* metric=vrrp_' "$RES"; then
cat <<'EOF'

## VRRPv3: carpd and keepalived

tests/bench/vrrp.sh, both implementations configured alike: VRRPv3,
multicast, node a priority 150, node b priority 100, preemption on, one
IPv4 VIP per group (VRID = group); carpd `carpver 3 vrrpprio P
vrrpinterval CS` (mac-mode virtual, its default), keepalived 2.2.7
`vrrp_version 3`, `advert_int` = CS / 100, no use_vmac; no SNMP, no HTTP.
Values one per run, or per statistic; times in ms.

* cable-pull outage: one group at 10 ms, a client pinging the VIP every
  1 ms; the longest gap between its replies around the pull of the
  master's switch port (and around the plug-back, the master preempting).
  Bar: 3 x 10 + 6.09 (Skew_Time of priority 100) + 20 = 56.1 ms.
* 255 groups, all masters on a, all backups on b: CPU seconds a minute
  (utime + stime of every process of the implementation in the node:
  carpd's one; keepalived's parent and VRRP child) and VmRSS.  Bar at
  10 ms: carpd's CPU at most half of keepalived's.  backup flaps: VIPs the
  backup added during the CPU window (0 when the backup keeps up).
* jitter, 255 x 10 ms: |gap - 10 ms| between consecutive adverts of each
  group, captured on a's switch port for VRRP_JITTER_SECS: p99 and max
  over every gap, the worst group's p99, and the gaps more than 2 ms off.
  Bar: every group within +-2 ms.
* take-over, 255 x 10 ms: per group, b's first advert - a's last advert
  after a cable pull of a (capture on the bridge): p50 and max over the
  groups.  Bar: 3 x 10 + 6.09 + 5 = 41.1 ms.

EOF
awk '
/^COMMAND .*vrrp\.sh/ {
	sub(/^COMMAND /, "")
	if (!($0 in cseen)) { cseen[$0] = 1; cmds[++nc] = $0 }
	next
}
/^RESULT / && / metric=vrrp_/ {
	split("", f)
	for (i = 2; i <= NF; i++) {
		k = $i; sub(/=.*/, "", k); if (!(k in f)) f[k] = substr($i, length(k) + 2)
	}
	im = f["impl"]; m = f["metric"]
	if (!(im in iseen)) { iseen[im] = 1; impls[++ni] = im }
	iv = (f["interval_cs"] == 100 ? "1 s" : f["interval_cs"] * 10 " ms")
	if (m == "vrrp_pull_outage_ms") row = "cable-pull outage, 1 group, " iv
	else if (m == "vrrp_plug_outage_ms") row = "plug-back outage, 1 group, " iv
	else if (m == "vrrp_cpu_s_per_min") row = "CPU s/min, " f["side"] ", " f["groups"] " x " iv
	else if (m == "vrrp_rss_mib") row = "RSS MiB, " f["side"] ", " f["groups"] " x " iv
	else if (m == "vrrp_backup_flaps") row = "backup flaps, " f["groups"] " x " iv
	else if (m == "vrrp_jitter_ms") row = "jitter " f["stat"] ", " f["groups"] " x " iv
	else if (m == "vrrp_jitter_out_2ms") row = "gaps > 2 ms off, " f["groups"] " x " iv
	else if (m == "vrrp_takeover_ms") row = "take-over " f["stat"] ", " f["groups"] " x " iv
	else row = m
	val = f["value"]
	if (m == "vrrp_jitter_out_2ms") val = val " of " f["gaps"]
	if (!(row in rseen)) { rseen[row] = 1; rows[++nr] = row }
	k = row SUBSEP im
	if (k in v) v[k] = v[k] ", " val
	else v[k] = val
	if (m == "vrrp_cpu_s_per_min" && f["interval_cs"] == 1) cpu[im, f["side"]] += f["value"]
}
END {
	printf "| figure |"
	for (j = 1; j <= ni; j++) printf " %s |", impls[j]
	printf "\n|---|"
	for (j = 1; j <= ni; j++) printf "---|"
	printf "\n"
	for (r = 1; r <= nr; r++) {
		printf "| %s |", rows[r]
		for (j = 1; j <= ni; j++) printf " %s |", v[rows[r], impls[j]]
		printf "\n"
	}
	if (cpu["keepalived", "master"] > 0 && cpu["keepalived", "backup"] > 0)
		printf "\ncarpd / keepalived CPU at 255 x 10 ms (sums over the runs): master %.2f, backup %.2f (bar: 0.5)\n",
		    cpu["carpd", "master"] / cpu["keepalived", "master"],
		    cpu["carpd", "backup"] / cpu["keepalived", "backup"]
	printf "\nCommands:\n\n"
	for (c = 1; c <= nc; c++) printf "    %s\n", cmds[c]
}' "$RES"
fi
# Sections written by hand (the fuzzing figures, notes between full runs)
# follow the marker and are kept from the previous file.
if [ -f "$OUT.prev" ] && grep -q '^<!-- kept by make bench -->$' "$OUT.prev"; then
	echo
	sed -n '/^<!-- kept by make bench -->$/,$p' "$OUT.prev"
fi
} >"$OUT.new"
rm -f "$OUT.prev"
mv "$OUT.new" "$OUT"
say "done: $OUT"
