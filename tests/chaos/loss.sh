#!/bin/bash
# loss: random loss of 5 %, 20 % and 50 % of A's adverts at B, each level
# for CHAOS_LOSS_SECS seconds (default 600), measured against what the
# protocol predicts.
#
# The loss is an nft rule on B's input (CARP from A only).  Loss at A's
# input would change nothing: A is the faster master and ignores B's
# slower adverts whether it hears them or not, so only A -> B matters.
#
# Prediction (A: advbase 1, advskew 0, an advert every 1 s; B: master-down
# 3 + 100/256 = 3.390625 s, restarted by every advert it receives).  After
# an advert B received at t, the next ones come at t+1, t+2, t+3 (inside
# the window) and t+4 (outside), so B times out exactly when the 3 adverts
# after a received one are all lost: per advert slot the chance is
# (1-p) p^3, i.e. 60 (1-p) p^3 false takeovers a minute, each at
# t + 3.390625.  B (now MASTER) steps down at the next advert of A it
# receives, at t+4 with chance 1-p, t+5 with p(1-p), ...: the false master
# lasts 0.609375 + k s (k adverts lost after the takeover), on average
# 0.609375 + p/(1-p) s.  A never changes state.  Per takeover, 2 flaps
# (B: BACKUP -> MASTER -> BACKUP).
. "$(dirname "$0")/chaos.sh"
SECS=${CHAOS_LOSS_SECS:-600}
LEVELS=${CHAOS_LOSS_LEVELS:-5 20 50}

chaos_pair
chaos_start_pair
lab_ping_start c "$VIP"
: >"$LAB_DIR/windows"
for p in $LEVELS; do
	na=$(chaos_ntrans a)
	nb=$(chaos_ntrans b)
	t0=$(lab_now)
	chaos_loss b "$p"
	echo "loss $p %: $SECS s"
	sleep "$SECS"
	counts=$(chaos_counts b)
	chaos_heal b
	t1=$(lab_now)
	# Let a false master (if any) step down before the next level.
	carpd_wait b 1 BACKUP 3 || fail "B still MASTER after the $p % level"
	wait_for 2 eval '! lab_has_addr b "$VIP"' || fail "B kept the VIP"
	sleep 0.2
	ta=$(( $(chaos_ntrans a) - na ))
	tb=$(( $(chaos_ntrans b) - nb ))
	echo "$p $t0 $t1 $counts $ta $tb" >>"$LAB_DIR/windows"
done
lab_ping_stop
kill -0 "${CARPD_PID[a]}" && kill -0 "${CARPD_PID[b]}" || fail "carpd died"
[ "$(carpd_state a 1)" = MASTER ] || fail "A is not MASTER at the end"
lab_has_addr a "$VIP" || fail "A without the VIP at the end"

lab_addr_intervals "$VIP" a | cut -d' ' -f2- >"$LAB_DIR/a-iv"
lab_addr_intervals "$VIP" b | cut -d' ' -f2- >"$LAB_DIR/b-iv"
"$PY" - "$LAB_DIR/windows" "$LAB_DIR/a-iv" "$LAB_DIR/b-iv" <<'EOF' \
    >"$LAB_DIR/loss.txt" || fail "analysis"
import math, sys

def ivs(f):
    v = [float(x) for x in open(f).read().split()]
    return list(zip(v[0::2], v[1::2]))

A, B = ivs(sys.argv[2]), ivs(sys.argv[3])
bad = 0
for line in open(sys.argv[1]):
    f = line.split()
    pct, t0, t1 = int(f[0]), float(f[1]), float(f[2])
    seen, dropped, ta, tb = int(f[3]), int(f[4]), int(f[5]), int(f[6])
    secs = t1 - t0
    p = pct / 100.0
    pm = dropped / seen if seen else 0.0
    # B's VIP intervals starting inside the window (+0.5 s for the heal).
    bw = [(s, e) for s, e in B if t0 <= s <= t1 + 0.5]
    takeovers = len(bw)
    both = 0.0
    for s, e in bw:
        for sa, ea in A:
            both += max(0.0, min(e, ea) - max(s, sa))
    # Each false master lasts 0.609375 + k s: its length modulo 1 s.
    odd = [e - s for s, e in bw
           if abs((e - s) % 1.0 - 0.609375) > 0.1]
    pred = secs * (1 - p) * p ** 3
    pred_m = secs * (1 - pm) * pm ** 3
    pred_both = pred * (0.609375 + p / (1 - p))
    tol = 4 * math.sqrt(pred) + 2
    ok = (abs(takeovers - pred) <= tol and ta == 0 and tb == 2 * takeovers
          and not odd)
    bad += not ok
    print("RESULT loss loss_pct=%d secs=%.0f measured_loss_pct=%.1f "
          "takeovers=%d predicted=%.2f predicted_at_measured_loss=%.2f "
          "flaps=%d predicted_flaps=%.2f a_transitions=%d "
          "two_master_s=%.3f predicted_two_master_s=%.2f "
          "longest_false_master_s=%.3f odd_lengths=%d %s" %
          (pct, secs, 100 * pm, takeovers, pred, pred_m, ta + tb, 2 * pred,
           ta, both, pred_both, max([e - s for s, e in bw], default=0),
           len(odd), "ok" if ok else "OUT-OF-BOUNDS"))
    if odd:
        print("odd false-master lengths (s):",
              " ".join("%.3f" % d for d in odd))
sys.exit(1 if bad else 0)
EOF
rc=$?
cat "$LAB_DIR/loss.txt"
[ $rc = 0 ] || fail "measured outside the prediction (or A flapped, or a \
false master did not end at an advert of A)"
pass
