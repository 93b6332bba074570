#!/bin/bash
# tests/sim/mutate.sh: check that the simulation tier can fail.  Each
# mutation edits a copy of carp/ or tests/sim/ in a temporary directory
# (the tree is not touched), builds libcarp.a and the sim binaries from
# the copy and runs them; a mutation must make at least one scenario fail.
# Prints one line per mutation with the scenarios that caught it; exits 1
# if a mutation survived or its edit no longer matches the source.
#   sh tests/sim/mutate.sh            (about 3 s of CPU per mutation)
cd "$(dirname "$0")/../.." || exit 1
TOP=$PWD
TMP=$(mktemp -d /tmp/carpsim-mutate.XXXXXX) || exit 1
trap 'rm -rf "$TMP"' EXIT
CC=${CC:-cc}
bad=0

# mutate NAME FILE SED-EXPRESSION: what the mutation changes, in words,
# is the comment above each call.
mutate() {
	local name=$1 file=$2 expr=$3 w=$TMP/$1 c out caught
	mkdir -p "$w/carp" "$w/tests/sim"
	cp "$TOP"/carp/*.[ch] "$w/carp/"
	cp "$TOP"/tests/sim/*.[ch] "$w/tests/sim/"
	sed -i "$expr" "$w/$file"
	if cmp -s "$w/$file" "$TOP/$file"; then
		echo "$name: the edit did not apply (source changed?)"
		bad=1
		return
	fi
	for c in "$w"/carp/*.c "$w"/tests/sim/*.c; do
		$CC -std=c11 -D_GNU_SOURCE -O2 -I"$w" -c -o "${c%.c}.o" "$c" ||
		    { echo "$name: does not build"; bad=1; return; }
	done
	ar rcs "$w/libcarp.a" "$w"/carp/*.o
	out=
	for t in sim_carp sim_loss; do
		$CC -o "$w/$t" "$w/tests/sim/$t.o" "$w/tests/sim/sim.o" \
		    "$w/libcarp.a" -lcmocka -lcrypto || { bad=1; return; }
		out="$out$("$w/$t" 2>&1)"$'\n'
	done
	caught=$(printf '%s' "$out" | sed -n 's/^\[  FAILED  \] \(test_[a-z0-9_]*\)$/\1/p' |
	    sort -u | tr '\n' ' ')
	if [ -n "$caught" ]; then
		echo "$name: caught by $caught"
	else
		echo "$name: SURVIVED"
		bad=1
	fi
}

# Expectations made wrong, one per scenario.
mutate exp-election-winner tests/sim/sim_carp.c \
    '0,/EXPECT(sim_state(&sim, A, 1), CARP_ST_MASTER);/s//EXPECT(sim_state(\&sim, B, 1), CARP_ST_MASTER);/'
mutate exp-order-highest-wins tests/sim/sim_carp.c \
    's/if (skew\[i\] < skew\[best\])/if (skew[i] > skew[best])/'
mutate exp-order-two-masters tests/sim/sim_carp.c \
    's/EXPECT(masters, 1);/EXPECT(masters, 2);/'
mutate exp-pull-deadline-skew99 tests/sim/sim_carp.c \
    's/md = 3 \* S + SIM_SKEW(100);/md = 3 * S + SIM_SKEW(99);/'
mutate exp-plug-reason tests/sim/sim_carp.c \
    's/EXPECT(reason_of(A, CARP_ST_MASTER, plug), CARP_RS_PREEMPT);/EXPECT(reason_of(A, CARP_ST_MASTER, plug), CARP_RS_MORE_FREQUENT);/'
mutate exp-nopreempt-a-retakes tests/sim/sim_carp.c \
    's/EXPECT(count_into(A, CARP_ST_MASTER, plug, 120 \* S), 0);/EXPECT(count_into(A, CARP_ST_MASTER, plug, 120 * S), 1);/'
mutate exp-sigkill-overlap tests/sim/sim_carp.c \
    's/EXPECT_TRUE(lapse < tb);/EXPECT_TRUE(lapse > tb);/'
mutate exp-bowout-1us-late tests/sim/sim_carp.c \
    's/EXPECT(when(B, CARP_ST_MASTER, stop), stop + D);/EXPECT(when(B, CARP_ST_MASTER, stop), stop + D + 1);/'
mutate exp-three-d-wins tests/sim/sim_carp.c \
    's/EXPECT(tb, last_advert(A, pa) + D + 3 \* S + SIM_SKEW(50));/EXPECT(tb, last_advert(A, pa) + D + 3 * S + SIM_SKEW(100));/'
mutate exp-partition-no-delay tests/sim/sim_carp.c \
    's/EXPECT(sim_two_us(&sim, 1), aadv + D - tb);/EXPECT(sim_two_us(\&sim, 1), aadv - tb);/'
mutate exp-dup-two-takeovers tests/sim/sim_carp.c \
    '/test_dup_jitter/,$ s/EXPECT(count_into(B, CARP_ST_MASTER, 0, 60 \* S), 1);/EXPECT(count_into(B, CARP_ST_MASTER, 0, 60 * S), 2);/'
mutate exp-multi-vhid2-overlap tests/sim/sim_carp.c \
    's/EXPECT(sim_two_us(\&sim, 2), 0);/EXPECT(sim_two_us(\&sim, 2), 1);/'
mutate exp-ipv6-announce-arp tests/sim/sim_carp.c \
    's/EXPECT_TRUE(r->t == tb \&\& r->a == 0 \&\& r->b == 1);/EXPECT_TRUE(r->t == tb \&\& r->a == 1 \&\& r->b == 0);/'
# The loss prediction with 2 lost adverts instead of 3.
mutate exp-loss-formula tests/sim/sim_loss.c \
    's/double\t\t\t q = (1 - p) \* p \* p \* p;/double\t\t\t q = (1 - p) * p * p;/'

# The engine made wrong.
# Master-down 4 x advbase instead of 3.
mutate eng-master-down-4 carp/carp_fsm.c \
    's/return 3 \* vh->conf.advbase \* USEC + SKEW_US(vh->conf.advskew);/return 4 * vh->conf.advbase * USEC + SKEW_US(vh->conf.advskew);/'
# A BACKUP does not restart its timer on a slower advert.
mutate eng-no-rearm-on-slower carp/carp_fsm.c \
    's/{ CARP_ST_BACKUP, CARP_EV_RX_SLOWER, FSM_REARM, ST_SAME, CARP_RS_NONE },/{ CARP_ST_BACKUP, CARP_EV_RX_SLOWER, FSM_NONE, ST_SAME, CARP_RS_NONE },/'
# A MASTER does not step down on a more frequent advert.
mutate eng-master-never-steps-down carp/carp_fsm.c \
    's/{ CARP_ST_MASTER, CARP_EV_RX_BETTER, FSM_NONE, CARP_ST_BACKUP,/{ CARP_ST_MASTER, CARP_EV_RX_BETTER, FSM_NONE, ST_SAME,/'
# One master-down deadline for both families: any advert restarts both.
mutate eng-one-deadline-for-both-families carp/carp_fsm.c \
    's/carp_setrun_backup(vh, now, vh->rx_family);/carp_setrun_backup(vh, now, 0);/'
# The VIP lease 3 x advbase + 1: it outlives a dead master's backup deadline.
mutate eng-lease-too-long carp/carp.h \
    's/(3U \* (unsigned int)(advbase) - 1U)/(3U * (unsigned int)(advbase) + 1U)/'
# The VIP lease 3 x advbase - 2 = 1 s: it lapses between adverts.
mutate eng-lease-too-short carp/carp.h \
    's/(3U \* (unsigned int)(advbase) - 1U)/(3U * (unsigned int)(advbase) - 2U)/'

exit $bad
