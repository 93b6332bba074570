#!/bin/bash
# tests/bench/vrrp_http_jitter.sh [VRIDS] [SECONDS]: does HTTP or the
# control socket delay a 10 ms VRRPv3 advert?  One carpd master with VRIDS
# (default 50) VRRPv3 VRIDs at vrrpinterval 1 (10 ms); the gaps between
# each VRID's adverts, captured on the lab's bridge, for SECONDS (5) idle,
# then for SECONDS while a client fetches /metrics and /v1/status and
# carpctl reads the status in a loop.  Not part of `make bench` (run.sh);
# prints "RESULT phase=idle|loaded ..." lines.  The gaps include the lab's
# own delivery delays (veth, bridge, softirq) on a busy host.
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../integration/lib.sh"
. "$here/../integration/carpd.sh"
N=${1:-50} SECS=${2:-5}
lab_init
lab_switch
lab_node a 192.0.2.61/24
lab_node c 192.0.2.110/24
{
	echo "http-listen 192.0.2.61:10112"
	for i in $(seq 1 "$N"); do
		echo "ifconfig eth0 inet vhid $i carpver 3 vrrpprio 200 vrrpinterval 1 alias 198.18.0.$i/32"
	done
} | carpd_conf a
carpd_start a
carpd_wait a "$N" MASTER 5 || fail "VRID $N not MASTER"
sleep 1
gaps() {	# PHASE PCAP
	"$PY" "$LAB_LIBDIR/pcap_adverts.py" "$2" | awk -v ph="$1" '
	    $2 == "vrrp3" { if (p[$4]) { g = ($1 - p[$4]) * 1000; n++; s += g
		if (g > mx) mx = g; if (g > 12) o12++; if (g > 15) o15++ }
		p[$4] = $1 }
	    END { printf "RESULT phase=%s adverts=%d mean_gap_ms=%.2f " \
		"max_gap_ms=%.2f over_12ms=%d over_15ms=%d\n", ph, n,
		n ? s / n : 0, mx, o12, o15 }'
}
lab_capture_start "$LAB_DIR/idle.pcap"
sleep "$SECS"
lab_capture_stop
gaps idle "$LAB_DIR/idle.pcap"
lab_capture_start "$LAB_DIR/load.pcap"
(
	end=$((SECONDS + SECS))
	while [ $SECONDS -lt "$end" ]; do
		lab_exec c curl -s -o /dev/null http://192.0.2.61:10112/metrics
		lab_exec c curl -s -o /dev/null http://192.0.2.61:10112/v1/status
		"$CARPCTL" -s "$(carpd_sock a)" --json status >/dev/null
	done
) &
wait $!
lab_capture_stop
gaps loaded "$LAB_DIR/load.pcap"
pass
