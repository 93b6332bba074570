#!/bin/bash
# tests/chaos/run.sh: run the chaos scenarios (make chaos), each under a
# timeout.  Prints every scenario's RESULT lines, then "PASS name (Ns)",
# "FAIL name (Ns)" with the tail of its log, or "SKIP name" with the reason;
# finally "N passed, N failed" (and the skipped count).  Exit 1 if any
# scenario failed; a scenario exiting 77 is skipped.
#
#   tests/chaos/run.sh [NAME...]     only these scenarios (loss, partition,
#                                    flaps, killrestart, load)
#   CHAOS_LOSS_SECS=600              seconds per loss level in loss.sh
#   CHAOS_KILLS=100                  kill/restart cycles in killrestart.sh
#   LOG_TAIL=40   LOG_DIR=dir (keep every log there; default: a temp dir,
#                 removed when everything passed)
[ -n "$BASH_VERSION" ] || exec bash "$0" "$@"

here=$(cd "$(dirname "$0")" && pwd)
LOG_TAIL=${LOG_TAIL:-40}
export CHAOS_LOSS_SECS=${CHAOS_LOSS_SECS:-600}
logdir=${LOG_DIR:-$(mktemp -d /tmp/carpd-chaos.XXXXXX)}
mkdir -p "$logdir"
names=${*:-loss partition flaps killrestart load}

# Per-scenario time bound in seconds.
bound() {
	case $1 in
	loss)		echo $((3 * CHAOS_LOSS_SECS + 180)) ;;
	killrestart)	echo $((${CHAOS_KILLS:-100} * 12 + 120)) ;;
	*)		echo 300 ;;
	esac
}

npass=0 nfail=0 nskip=0
for name in $names; do
	t="$here/$name.sh"
	[ -f "$t" ] || { echo "FAIL $name (no $t)"; nfail=$((nfail + 1)); continue; }
	log="$logdir/$name.log"
	start=$(date +%s)
	timeout --kill-after=10 "$(bound "$name")" bash "$t" >"$log" 2>&1 </dev/null
	rc=$?
	secs=$(( $(date +%s) - start ))
	grep '^RESULT ' "$log" | sed 's/^/  /'
	case $rc in
	0)	echo "PASS $name (${secs}s)"; npass=$((npass + 1)) ;;
	77)	echo "SKIP $name"; nskip=$((nskip + 1))
		sed -n 's/^SKIP: /  reason: /p' "$log" | tail -1 ;;
	*)	[ $rc = 124 ] || [ $rc = 137 ] &&
		    echo "  (timeout after $(bound "$name")s)" >>"$log"
		echo "FAIL $name (${secs}s)"; nfail=$((nfail + 1))
		echo "--- last $LOG_TAIL lines of $log (exit $rc) ---"
		tail -n "$LOG_TAIL" "$log" | sed 's/^/  /'
		echo "---" ;;
	esac
done
[ -z "$LOG_DIR" ] && [ $nfail = 0 ] && rm -rf "$logdir"
echo "$npass passed, $nfail failed${nskip:+, $nskip skipped}"
[ $nfail = 0 ]
