/*
 * sim_carp.c: election, failover, preemption, graceful stop, SIGKILL,
 * partition and three-node scenarios on virtual time (tests/sim/sim.h),
 * the same set-ups as tests/integration/020-023 and 029: A advskew 0,
 * B advskew 100 (D 100 and B 50 with three nodes), vhid 1, advbase 1,
 * password test123, VIP 192.0.2.111.  Every time is checked to the
 * microsecond: a master-down deadline is 3 x advbase + advskew/256 after
 * the advert that last reached the backup, which arrived one link delay
 * after it left.
 *
 * SIM_SEED (default 1) picks the link delay (50..2000 us) and the hosts'
 * clock offsets; SIM_TRACE=1 prints every event.  A failure names the seed.
 */
#include <sys/types.h>

#include <inttypes.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "tests/sim/sim.h"

#define S	SIM_S
#define MS	SIM_MS
#define A	0
#define B	1
#define D3	2		/* the third node, "d" */

static struct sim	 sim;
static uint64_t		 D;	/* one-way link delay, us */
static uint64_t		 seed_now;	/* the seed of the current run */
static const char	*repro = "";	/* more to set to reproduce it */

#define EXPECT(got, want) do {						\
	uint64_t g_ = (uint64_t)(got), w_ = (uint64_t)(want);		\
	if (g_ != w_)							\
		fail_msg("%s = %" PRIu64 ", want %s = %" PRIu64		\
		    " (reproduce: SIM_SEED=%" PRIu64 "%s SIM_TRACE=1)",	\
		    #got, g_, #want, w_, seed_now, repro);			\
} while (0)

#define EXPECT_TRUE(c) do {						\
	if (!(c))							\
		fail_msg("%s is false (reproduce: SIM_SEED=%" PRIu64	\
		    "%s SIM_TRACE=1)", #c, seed_now, repro);			\
} while (0)

/* The first STATE record of node's vhid (0: any) into `to` at or after t. */
static const struct sim_rec *
state_at_v(int node, uint8_t vhid, enum carp_state to, uint64_t after)
{
	size_t	 i;

	for (i = 0; i < sim.ntrace; i++) {
		const struct sim_rec	*r = &sim.trace[i];

		if (r->t >= after && r->ev == SIM_EV_STATE &&
		    r->node == node && r->b == (int)to &&
		    (vhid == 0 || r->vhid == vhid))
			return r;
	}
	return NULL;
}

static const struct sim_rec *
state_at(int node, enum carp_state to, uint64_t after)
{
	return state_at_v(node, 0, to, after);
}

/* The last advert of node's vhid at or before t (0: none). */
static uint64_t
last_advert_v(int node, uint8_t vhid, uint64_t before)
{
	size_t	 i;

	for (i = sim.ntrace; i > 0; i--) {
		const struct sim_rec	*r = &sim.trace[i - 1];

		if (r->t <= before && r->ev == SIM_EV_SEND &&
		    r->node == node && r->vhid == vhid)
			return r->t;
	}
	return 0;
}

/* Transitions of node into `to` in [t0, t1). */
static size_t
count_into(int node, enum carp_state to, uint64_t t0, uint64_t t1)
{
	size_t	 i, c = 0;

	for (i = 0; i < sim.ntrace; i++) {
		const struct sim_rec	*r = &sim.trace[i];

		if (r->t >= t0 && r->t < t1 && r->ev == SIM_EV_STATE &&
		    r->node == node && r->b == (int)to)
			c++;
	}
	return c;
}

/* When node took the state `to` (at or after t), failing if it did not. */
static uint64_t
when(int node, enum carp_state to, uint64_t after)
{
	const struct sim_rec	*r = state_at(node, to, after);

	if (r == NULL)
		fail_msg("%c never entered %s after %" PRIu64 " us "
		    "(reproduce: SIM_SEED=%" PRIu64 "%s SIM_TRACE=1)",
		    sim.n[node].name, carp_state_names[to], after, seed_now,
		    repro);
	return r->t;
}

static int
reason_of(int node, enum carp_state to, uint64_t after)
{
	const struct sim_rec	*r = state_at(node, to, after);

	return r != NULL ? r->c : -1;
}

/* The last advert node put on the segment at or before t. */
static uint64_t
last_advert(int node, uint64_t before)
{
	const struct sim_rec	*r = sim_last(&sim, node, SIM_EV_SEND, before);

	if (r == NULL)
		fail_msg("%c sent no advert before %" PRIu64 " us",
		    sim.n[node].name, before);
	return r->t;
}

/* A fresh simulation: nodes with these advskews, all started at 0. */
static void
setup(uint64_t seed, bool preempt, const uint8_t *skews, int n)
{
	struct carp_node_conf	 nc;
	int			 i;

	sim_init(&sim, seed);
	seed_now = seed;
	D = 50 + sim_rand(&sim) % 1951;
	sim_link_all(&sim, D, 0, 0, 0);
	carp_node_conf_default(&nc);
	nc.preempt = preempt;
	for (i = 0; i < n; i++) {
		assert_int_equal(sim_node_add(&sim, "abd"[i], &nc), i);
		assert_non_null(sim_vhid_add(&sim, i, 1, 1, skews[i]));
	}
}

static void
setup_pair(bool preempt)
{
	static const uint8_t	 skews[] = { 0, 100 };

	setup(sim_env_seed(1), preempt, skews, 2);
}

/* Invariants of every scenario: no lease ran out under a MASTER. */
static void
teardown_checks(void)
{
	int	 i;

	for (i = 0; i < sim.nn; i++)
		EXPECT(sim.n[i].lapsed_master, 0);
	sim_free(&sim);
}

/*
 * Election: both start at 0; A's master-down (3 s) runs out first, it
 * becomes MASTER and advertises every second; B (3.390625 s) hears it
 * first and stays BACKUP.  The VIP is held by A alone and never lapses.
 */
static void
test_election(void **state)
{
	(void)state;
	setup_pair(true);
	sim_run_until(&sim, 60 * S);
	EXPECT(when(A, CARP_ST_MASTER, 0), 3 * S);
	EXPECT(reason_of(A, CARP_ST_MASTER, 0), CARP_RS_MASTER_TIMED_OUT);
	EXPECT(count_into(B, CARP_ST_MASTER, 0, 60 * S), 0);
	EXPECT(sim_state(&sim, A, 1), CARP_ST_MASTER);
	EXPECT(sim_state(&sim, B, 1), CARP_ST_BACKUP);
	EXPECT_TRUE(sim_holds(&sim, A, 1) && !sim_holds(&sim, B, 1));
	/* Adverts at 3, 4, ..., 59 s; B, a BACKUP, sends none. */
	EXPECT(sim_count(&sim, A, SIM_EV_SEND, 0, 60 * S), 57);
	EXPECT(last_advert(A, 59 * S + 999999), 59 * S);
	EXPECT(sim_count(&sim, B, SIM_EV_SEND, 0, 60 * S), 0);
	EXPECT(sim_count(&sim, A, SIM_EV_HOLD_END, 0, 60 * S), 0);
	EXPECT(sim_two_us(&sim, 1), 0);
	teardown_checks();
}

/*
 * Election from any start order, over many seeds: three hosts with
 * distinct random advskews start at random times within 5 s.  With
 * preempt on, the lowest advskew is the one MASTER 30 s later and the
 * only holder of the VIP; with preempt off exactly one host is MASTER
 * and holds the VIP.  Seeds SIM_SEED (default 1000) on, SIM_ORDER_SEEDS
 * (100) of them.
 */
static void
election_order(bool preempt)
{
	struct carp_node_conf	 nc;
	uint64_t		 start[3], base = sim_env_seed(1000),
				 seeds = (uint64_t)sim_env_long("SIM_ORDER_SEEDS", 100),
				 seed;
	uint8_t			 skew[3];
	int			 i, k, order[3], best, masters, holders;

	repro = " SIM_ORDER_SEEDS=1";
	for (seed = 0; seed < seeds; seed++) {
		sim_init(&sim, base + seed);
		seed_now = base + seed;
		D = 50 + sim_rand(&sim) % 1951;
		sim_link_all(&sim, D, 0, 0, 0);
		carp_node_conf_default(&nc);
		nc.preempt = preempt;
		best = 0;
		for (i = 0; i < 3; i++) {
			do {
				skew[i] = (uint8_t)(sim_rand(&sim) % 241);
				for (k = 0; k < i && skew[k] != skew[i]; k++)
					;
			} while (k < i);
			if (skew[i] < skew[best])
				best = i;
			start[i] = sim_rand(&sim) % (5 * S);
			order[i] = i;
			assert_int_equal(sim_node_add(&sim, "abd"[i], &nc), i);
		}
		for (i = 0; i < 3; i++)		/* start in time order */
			for (k = i + 1; k < 3; k++)
				if (start[order[k]] < start[order[i]]) {
					int t = order[i];

					order[i] = order[k];
					order[k] = t;
				}
		for (i = 0; i < 3; i++) {
			sim_run_until(&sim, start[order[i]]);
			assert_non_null(sim_vhid_add(&sim, order[i], 1, 1,
			    skew[order[i]]));
		}
		sim_run_until(&sim, 30 * S);
		masters = holders = 0;
		for (i = 0; i < 3; i++) {
			masters += sim_state(&sim, i, 1) == CARP_ST_MASTER;
			holders += sim_holds(&sim, i, 1);
		}
		EXPECT(masters, 1);
		EXPECT(holders, 1);
		if (preempt) {
			EXPECT(sim_state(&sim, best, 1), CARP_ST_MASTER);
			EXPECT_TRUE(sim_holds(&sim, best, 1));
		}
		teardown_checks();
	}
	repro = "";
}

static void
test_election_order_preempt(void **state)
{
	(void)state;
	election_order(true);
}

static void
test_election_order_nopreempt(void **state)
{
	(void)state;
	election_order(false);
}

/*
 * Cable pull (020): A's cable pulled at several phases of its advert
 * interval.  A goes INIT (interface down) and releases the VIP at once,
 * demoted by 240; B takes over exactly at A's last advert + delay +
 * 3 + 100/256 s ("master timed out"), holds the VIP and announces it
 * then and once more after two of its own adverts (1.390625 s each).
 * The VIP has no holder from the pull to the takeover, never two.
 */
static void
test_cable_pull(void **state)
{
	uint64_t	 pull, last, md, tb;
	int		 k;
	const struct sim_rec *r;

	(void)state;
	for (k = 0; k < 10; k++) {
		setup_pair(true);
		pull = 20 * S + (uint64_t)k * 100 * MS + 1;
		sim_run_until(&sim, pull);
		last = last_advert(A, pull);
		EXPECT(last, 20 * S);
		sim_cable(&sim, A, false);
		EXPECT(when(A, CARP_ST_INIT, pull), pull);
		EXPECT(reason_of(A, CARP_ST_INIT, pull), CARP_RS_IF_DOWN);
		EXPECT_TRUE(!sim_holds(&sim, A, 1));
		r = sim_last(&sim, A, SIM_EV_DEMOTION, pull);
		EXPECT_TRUE(r != NULL && r->t == pull && r->a == 240 &&
		    r->b == 240);
		sim_run_until(&sim, 30 * S);
		md = 3 * S + SIM_SKEW(100);
		tb = when(B, CARP_ST_MASTER, pull);
		EXPECT(tb, last + D + md);
		EXPECT(reason_of(B, CARP_ST_MASTER, pull),
		    CARP_RS_MASTER_TIMED_OUT);
		EXPECT_TRUE(sim_holds(&sim, B, 1));
		EXPECT(sim_count(&sim, B, SIM_EV_ANNOUNCE, tb, 30 * S), 2);
		r = sim_last(&sim, B, SIM_EV_ANNOUNCE, 30 * S);
		EXPECT(r->t, tb + 2 * (S + SIM_SKEW(100)));
		EXPECT(sim_none_us(&sim, 1), tb - pull);
		EXPECT(sim_two_us(&sim, 1), 0);
		EXPECT(sim_count(&sim, A, SIM_EV_SEND, pull, 30 * S), 0);
		teardown_checks();
	}
}

/*
 * Plug back with preempt on (020): A comes up BACKUP ("initialization
 * complete"), its demotion lifted; B's next advert (slower than A's
 * interval) makes A preempt at its arrival, and A's first advert makes B
 * step down one delay later.  Both hold the VIP for exactly that delay.
 */
static void
test_plug_preempt(void **state)
{
	uint64_t	 pull = 20500 * MS, plug = 40250 * MS, tb, badv, ta,
			 two;
	const struct sim_rec *r;

	(void)state;
	setup_pair(true);
	sim_run_until(&sim, pull);
	sim_cable(&sim, A, false);
	sim_run_until(&sim, plug);
	tb = when(B, CARP_ST_MASTER, pull);
	two = sim_two_us(&sim, 1);
	EXPECT(two, 0);
	sim_cable(&sim, A, true);
	EXPECT(when(A, CARP_ST_BACKUP, plug), plug);
	EXPECT(reason_of(A, CARP_ST_BACKUP, plug), CARP_RS_INIT_COMPLETE);
	r = sim_last(&sim, A, SIM_EV_DEMOTION, plug);
	EXPECT_TRUE(r != NULL && r->t == plug && r->a == -240 && r->b == 0);
	sim_run_until(&sim, 60 * S);
	r = sim_first(&sim, B, SIM_EV_SEND, plug);
	assert_non_null(r);
	badv = r->t;
	/* B advertises every 1.390625 s from its takeover. */
	EXPECT((badv - tb) % (S + SIM_SKEW(100)), 0);
	ta = when(A, CARP_ST_MASTER, plug);
	EXPECT(ta, badv + D);
	EXPECT(reason_of(A, CARP_ST_MASTER, plug), CARP_RS_PREEMPT);
	EXPECT(when(B, CARP_ST_BACKUP, plug), ta + D);
	EXPECT(reason_of(B, CARP_ST_BACKUP, plug), CARP_RS_MORE_FREQUENT);
	EXPECT(sim_two_us(&sim, 1), D);
	EXPECT(sim_state(&sim, A, 1), CARP_ST_MASTER);
	EXPECT(sim_state(&sim, B, 1), CARP_ST_BACKUP);
	EXPECT_TRUE(sim_holds(&sim, A, 1) && !sim_holds(&sim, B, 1));
	EXPECT(count_into(A, CARP_ST_MASTER, 0, 60 * S), 2);
	EXPECT(count_into(B, CARP_ST_MASTER, 0, 60 * S), 1);
	teardown_checks();
}

/*
 * Plug back with preempt off (021): A returns to BACKUP and stays there;
 * B's adverts (1.390625 s) keep A's 3 s master-down from running out; A
 * sends nothing after the plug; B stays MASTER with the VIP.
 */
static void
test_plug_nopreempt(void **state)
{
	uint64_t	 pull = 20500 * MS, plug = 40250 * MS;

	(void)state;
	setup_pair(false);
	sim_run_until(&sim, pull);
	sim_cable(&sim, A, false);
	sim_run_until(&sim, plug);
	EXPECT(when(B, CARP_ST_MASTER, pull),
	    last_advert(A, pull) + D + 3 * S + SIM_SKEW(100));
	sim_cable(&sim, A, true);
	sim_run_until(&sim, 120 * S);
	EXPECT(when(A, CARP_ST_BACKUP, plug), plug);
	EXPECT(count_into(A, CARP_ST_MASTER, plug, 120 * S), 0);
	EXPECT(count_into(B, CARP_ST_BACKUP, plug, 120 * S), 0);
	EXPECT(sim_count(&sim, A, SIM_EV_SEND, plug, 120 * S), 0);
	EXPECT_TRUE(sim_count(&sim, B, SIM_EV_SEND, plug, 120 * S) >= 50);
	EXPECT(sim_state(&sim, A, 1), CARP_ST_BACKUP);
	EXPECT(sim_state(&sim, B, 1), CARP_ST_MASTER);
	EXPECT_TRUE(!sim_holds(&sim, A, 1) && sim_holds(&sim, B, 1));
	EXPECT(sim_two_us(&sim, 1), 0);
	teardown_checks();
}

/*
 * SIGKILL of the MASTER (022), at 50 phases spread over 2 s.  Nobody
 * renews A's VIP: it lapses at the end of the lease A last took (the
 * lifetime the engine asked for, counted from that HOLD); B takes over at
 * A's last advert + delay + 3.390625 s.  Measured per kill: the lease
 * left after A's last advert, the overlap (both hold the VIP) and the gap
 * (nobody does).  Asserted: the lease ends where the host was told, and
 * before B's deadline (the engine's claim: the lease, 3 x advbase - 1 s
 * renewed with every advert, ends before any backup's deadline), so no
 * overlap.  This is exact virtual time; a real kernel expires lifetimes
 * up to ~1 s late (ADDRCONF_TIMER_FUZZ_MAX), which 022 allows for and
 * this does not model.
 */
static void
test_sigkill(void **state)
{
	uint64_t	 kill, last, lapse, tb, gap, left, gmin = UINT64_MAX,
			 gmax = 0, lmin = UINT64_MAX, lmax = 0, overlap = 0;
	const struct sim_rec *r, *h;
	int		 k;

	(void)state;
	for (k = 0; k < 50; k++) {
		setup_pair(true);
		kill = 20 * S + (uint64_t)k * 40 * MS;
		sim_run_until(&sim, kill);
		last = last_advert(A, kill);
		h = sim_last(&sim, A, SIM_EV_HOLD, kill);
		assert_non_null(h);
		sim_kill(&sim, A);
		sim_run_until(&sim, 30 * S);
		r = sim_first(&sim, A, SIM_EV_HOLD_END, kill);
		assert_non_null(r);
		EXPECT(r->a, 1);		/* lapsed, not released */
		lapse = r->t;
		EXPECT(lapse, h->t + (uint64_t)h->a * S);
		left = lapse - last;
		tb = when(B, CARP_ST_MASTER, kill);
		EXPECT(tb, last + D + 3 * S + SIM_SKEW(100));
		EXPECT(reason_of(B, CARP_ST_MASTER, kill),
		    CARP_RS_MASTER_TIMED_OUT);
		overlap += sim_two_us(&sim, 1);
		EXPECT_TRUE(lapse < tb);
		gap = tb - lapse;
		EXPECT(sim_none_us(&sim, 1), gap);
		if (gap < gmin)
			gmin = gap;
		if (gap > gmax)
			gmax = gap;
		if (left < lmin)
			lmin = left;
		if (left > lmax)
			lmax = left;
		teardown_checks();
	}
	EXPECT(overlap, 0);
	print_message("sigkill: 50 kills; lease left after the last advert "
	    "%" PRIu64 "..%" PRIu64 " us; B's deadline 3390625 us + delay %"
	    PRIu64 " us after it; overlap 0 us; VIP gap %" PRIu64 "..%"
	    PRIu64 " us\n", lmin, lmax, D, gmin, gmax);
}

/*
 * Graceful stop (023): A bows out (advbase 255, advskew 255), goes INIT
 * ("shutting down") and releases the VIP at once; B takes over when the
 * bow-out arrives, one delay later: "preempting a slower master" with
 * preempt on, "master will time out" with it off.  Nobody holds the VIP
 * for exactly the delay, never two.
 */
static void
bowout(bool preempt)
{
	uint64_t	 stop = 20500 * MS;
	const struct sim_rec *r;

	setup_pair(preempt);
	sim_run_until(&sim, stop);
	sim_stop(&sim, A);
	r = sim_last(&sim, A, SIM_EV_SEND, stop);
	EXPECT_TRUE(r != NULL && r->t == stop && r->a == 1);
	EXPECT(when(A, CARP_ST_INIT, stop), stop);
	EXPECT(reason_of(A, CARP_ST_INIT, stop), CARP_RS_SHUTDOWN);
	EXPECT_TRUE(!sim_holds(&sim, A, 1));
	sim_run_until(&sim, 30 * S);
	EXPECT(when(B, CARP_ST_MASTER, stop), stop + D);
	EXPECT(reason_of(B, CARP_ST_MASTER, stop), preempt ?
	    CARP_RS_PREEMPT : CARP_RS_MASTER_WILL_TIME_OUT);
	EXPECT(sim_count(&sim, A, SIM_EV_SEND, stop + 1, 30 * S), 0);
	EXPECT(sim_none_us(&sim, 1), D);
	EXPECT(sim_two_us(&sim, 1), 0);
	EXPECT_TRUE(sim_holds(&sim, B, 1));
	teardown_checks();
}

static void
test_bowout_preempt(void **state)
{
	(void)state;
	bowout(true);
}

static void
test_bowout_nopreempt(void **state)
{
	(void)state;
	bowout(false);
}

/*
 * Three nodes (029): A 0, B 50, D 100.  A wins; A's cable pulled: B
 * (3 + 50/256 s) takes over, its first advert resets D (3 + 100/256 s)
 * in time; B's cable pulled too: D takes over at B's last advert + delay
 * + 3.390625 s.
 */
static void
test_three(void **state)
{
	static const uint8_t	 skews[] = { 0, 50, 100 };
	uint64_t		 pa = 20500 * MS, pb = 40500 * MS, tb, td;

	(void)state;
	setup(sim_env_seed(1), true, skews, 3);
	sim_run_until(&sim, pa);
	EXPECT(when(A, CARP_ST_MASTER, 0), 3 * S);
	EXPECT(count_into(B, CARP_ST_MASTER, 0, pa), 0);
	EXPECT(count_into(D3, CARP_ST_MASTER, 0, pa), 0);
	sim_cable(&sim, A, false);
	sim_run_until(&sim, pb);
	tb = when(B, CARP_ST_MASTER, pa);
	EXPECT(tb, last_advert(A, pa) + D + 3 * S + SIM_SKEW(50));
	EXPECT(count_into(D3, CARP_ST_MASTER, 0, pb), 0);
	EXPECT(sim_state(&sim, D3, 1), CARP_ST_BACKUP);
	EXPECT_TRUE(sim_holds(&sim, B, 1) && !sim_holds(&sim, A, 1) &&
	    !sim_holds(&sim, D3, 1));
	sim_cable(&sim, B, false);
	sim_run_until(&sim, 60 * S);
	td = when(D3, CARP_ST_MASTER, pb);
	EXPECT(td, last_advert(B, pb) + D + 3 * S + SIM_SKEW(100));
	EXPECT(reason_of(D3, CARP_ST_MASTER, pb), CARP_RS_MASTER_TIMED_OUT);
	EXPECT_TRUE(sim_holds(&sim, D3, 1) && !sim_holds(&sim, A, 1) &&
	    !sim_holds(&sim, B, 1));
	EXPECT(sim_two_us(&sim, 1), 0);
	teardown_checks();
}

/*
 * Partition and heal (chaos partition): both sides cut; B becomes MASTER
 * at its deadline, A stays MASTER: two masters.  Healed, A's next advert
 * makes B step down one delay later; A never changes state.
 */
static void
test_partition(void **state)
{
	uint64_t	 cut = 20500 * MS, heal = 30250 * MS, tb, aadv;
	const struct sim_rec *r;

	(void)state;
	setup_pair(true);
	sim_run_until(&sim, cut);
	sim_partition(&sim, A, B, true);
	sim_run_until(&sim, heal);
	tb = when(B, CARP_ST_MASTER, cut);
	EXPECT(tb, last_advert(A, cut) + D + 3 * S + SIM_SKEW(100));
	sim_partition(&sim, A, B, false);
	sim_run_until(&sim, 40 * S);
	r = sim_first(&sim, A, SIM_EV_SEND, heal);
	assert_non_null(r);
	aadv = r->t;
	EXPECT_TRUE(aadv - heal <= S);
	EXPECT(when(B, CARP_ST_BACKUP, heal), aadv + D);
	EXPECT(reason_of(B, CARP_ST_BACKUP, heal), CARP_RS_MORE_FREQUENT);
	EXPECT(sim_two_us(&sim, 1), aadv + D - tb);
	EXPECT(count_into(A, CARP_ST_MASTER, cut, 40 * S), 0);
	EXPECT(count_into(A, CARP_ST_BACKUP, cut, 40 * S), 0);
	EXPECT_TRUE(sim_holds(&sim, A, 1) && !sim_holds(&sim, B, 1));
	teardown_checks();
}

/*
 * Every advert delivered twice, with 0..5 ms of jitter (so copies and
 * adverts reorder within that): the cable pull and plug-back go as
 * without: one takeover by B at its deadline (within the jitter), one
 * preemption by A, and the VIP never held by two hosts longer than the
 * jitter plus the delay.
 */
static void
test_dup_jitter(void **state)
{
	uint64_t	 pull = 20500 * MS, plug = 40250 * MS, last, tb, j;

	(void)state;
	setup_pair(true);
	j = 5 * MS;
	sim_link_all(&sim, D, j, 0, 1.0);
	sim_run_until(&sim, pull);
	last = last_advert(A, pull);
	sim_cable(&sim, A, false);
	sim_run_until(&sim, plug);
	tb = when(B, CARP_ST_MASTER, pull);
	EXPECT_TRUE(tb >= last + D + 3 * S + SIM_SKEW(100) &&
	    tb <= last + D + j + 3 * S + SIM_SKEW(100));
	sim_cable(&sim, A, true);
	sim_run_until(&sim, 60 * S);
	EXPECT_TRUE(sim.duplicated > 50);
	EXPECT(count_into(A, CARP_ST_MASTER, 0, 60 * S), 2);
	EXPECT(count_into(B, CARP_ST_MASTER, 0, 60 * S), 1);
	EXPECT(count_into(B, CARP_ST_BACKUP, plug, 60 * S), 1);
	EXPECT_TRUE(sim_two_us(&sim, 1) <= D + j);
	EXPECT(sim_state(&sim, A, 1), CARP_ST_MASTER);
	teardown_checks();
}

/*
 * Two VHIDs on the same hosts (026, IPv4 only): vhid 1 A 0 / B 100,
 * vhid 2 A 100 / B 0, preempt on.  A masters 1, B masters 2; A's cable
 * pulled: B masters both, vhid 1 at A's last vhid-1 advert + delay +
 * 3.390625 s; plugged back: A takes 1 back, 2 stays on B all along.
 */
static void
test_multi(void **state)
{
	struct carp_node_conf	 nc;
	uint64_t		 pull = 20500 * MS, plug = 40250 * MS, t;
	const struct sim_rec	*r;
	int			 i;

	(void)state;
	seed_now = sim_env_seed(1);
	sim_init(&sim, seed_now);
	D = 50 + sim_rand(&sim) % 1951;
	sim_link_all(&sim, D, 0, 0, 0);
	carp_node_conf_default(&nc);
	nc.preempt = true;
	for (i = 0; i < 2; i++) {
		assert_int_equal(sim_node_add(&sim, "ab"[i], &nc), i);
		assert_non_null(sim_vhid_add(&sim, i, 1, 1, i == A ? 0 : 100));
		assert_non_null(sim_vhid_add(&sim, i, 2, 1, i == A ? 100 : 0));
	}
	sim_run_until(&sim, pull);
	EXPECT(sim_state(&sim, A, 1), CARP_ST_MASTER);
	EXPECT(sim_state(&sim, B, 1), CARP_ST_BACKUP);
	EXPECT(sim_state(&sim, A, 2), CARP_ST_BACKUP);
	EXPECT(sim_state(&sim, B, 2), CARP_ST_MASTER);
	EXPECT_TRUE(sim_holds(&sim, A, 1) && sim_holds(&sim, B, 2) &&
	    !sim_holds(&sim, B, 1) && !sim_holds(&sim, A, 2));
	sim_cable(&sim, A, false);
	sim_run_until(&sim, plug);
	r = state_at_v(B, 1, CARP_ST_MASTER, pull);
	EXPECT_TRUE(r != NULL);
	EXPECT(r->t, last_advert_v(A, 1, pull) + D + 3 * S + SIM_SKEW(100));
	EXPECT_TRUE(sim_holds(&sim, B, 1) && sim_holds(&sim, B, 2) &&
	    !sim_holds(&sim, A, 1) && !sim_holds(&sim, A, 2));
	sim_cable(&sim, A, true);
	sim_run_until(&sim, 60 * S);
	r = state_at_v(A, 1, CARP_ST_MASTER, plug);
	EXPECT_TRUE(r != NULL);
	t = r->t;
	EXPECT(r->c, CARP_RS_PREEMPT);
	r = state_at_v(B, 1, CARP_ST_BACKUP, plug);
	EXPECT_TRUE(r != NULL);
	EXPECT(r->t, t + D);
	EXPECT(sim_state(&sim, A, 1), CARP_ST_MASTER);
	EXPECT(sim_state(&sim, B, 2), CARP_ST_MASTER);
	EXPECT(sim_state(&sim, A, 2), CARP_ST_BACKUP);
	EXPECT_TRUE(state_at_v(B, 2, CARP_ST_BACKUP, 1) == NULL);
	EXPECT_TRUE(state_at_v(A, 2, CARP_ST_MASTER, 0) == NULL);
	EXPECT(sim_two_us(&sim, 2), 0);
	EXPECT(sim_two_us(&sim, 1), D);
	teardown_checks();
}

/*
 * An IPv6 VHID (025's protocol part): 2001:db8::111, adverts from fe80::
 * to ff02::12.  A's cable pulled: B takes over at the exact deadline and
 * announces the VIP with one unsolicited neighbour advertisement, no ARP.
 */
static void
test_ipv6(void **state)
{
	struct carp_node_conf	 nc;
	uint64_t		 pull = 20500 * MS, tb;
	const struct sim_rec	*r;
	int			 i;

	(void)state;
	seed_now = sim_env_seed(1);
	sim_init(&sim, seed_now);
	D = 50 + sim_rand(&sim) % 1951;
	sim_link_all(&sim, D, 0, 0, 0);
	carp_node_conf_default(&nc);
	nc.preempt = true;
	for (i = 0; i < 2; i++) {
		assert_int_equal(sim_node_add(&sim, "ab"[i], &nc), i);
		assert_non_null(sim_vhid_add_af(&sim, i, 1, 1,
		    i == A ? 0 : 100, SIM_AF6));
	}
	sim_run_until(&sim, pull);
	EXPECT(when(A, CARP_ST_MASTER, 0), 3 * S);
	r = sim_last(&sim, A, SIM_EV_SEND, pull);
	EXPECT_TRUE(r != NULL && r->c == 6);
	sim_cable(&sim, A, false);
	sim_run_until(&sim, 30 * S);
	tb = when(B, CARP_ST_MASTER, pull);
	EXPECT(tb, last_advert(A, pull) + D + 3 * S + SIM_SKEW(100));
	EXPECT(sim_count(&sim, B, SIM_EV_ANNOUNCE, tb, 30 * S), 1);
	r = sim_first(&sim, B, SIM_EV_ANNOUNCE, tb);
	EXPECT_TRUE(r->t == tb && r->a == 0 && r->b == 1);
	EXPECT_TRUE(sim_holds(&sim, B, 1) && !sim_holds(&sim, A, 1));
	EXPECT(sim_count(&sim, B, SIM_EV_SEND, 0, 30 * S),
	    sim_count(&sim, B, SIM_EV_SEND, tb, 30 * S));
	teardown_checks();
}

/*
 * A dual-stack VHID (docs/protocol.md, decision 14: one master-down
 * deadline per family).  Both families through: A advertises once per
 * family per second and B never moves.  Then every IPv6 advert from A to
 * B is lost (a filter, MLD snooping) while IPv4 gets through: B's IPv6
 * deadline runs out at A's last IPv6 advert + delay + 3.390625 s and B
 * takes over ("master timed out") although A's IPv4 adverts arrive; A's
 * next IPv4 advert makes B step down, which restarts both deadlines, so
 * the pair flaps every 4 s exactly, B MASTER 0.609375 s each time, as the
 * decision says a FreeBSD pair would.  A never changes state.  Healed,
 * the flapping stops.
 */
static void
test_dual_stack(void **state)
{
	struct carp_node_conf	 nc;
	uint64_t		 block = 20500 * MS, heal = 62 * S, t0, t;
	const struct sim_rec	*r, *e;
	size_t			 i, n = 0;

	(void)state;
	seed_now = sim_env_seed(1);
	sim_init(&sim, seed_now);
	D = 50 + sim_rand(&sim) % 1951;
	sim_link_all(&sim, D, 0, 0, 0);
	carp_node_conf_default(&nc);
	nc.preempt = true;
	for (i = 0; i < 2; i++) {
		assert_int_equal(sim_node_add(&sim, "ab"[i], &nc), (int)i);
		assert_non_null(sim_vhid_add_af(&sim, (int)i, 1, 1,
		    i == A ? 0 : 100, SIM_AF4 | SIM_AF6));
	}
	sim_run_until(&sim, block);
	EXPECT(when(A, CARP_ST_MASTER, 0), 3 * S);
	EXPECT(sim_count(&sim, A, SIM_EV_SEND, 0, block), 2 * 18);
	EXPECT(count_into(B, CARP_ST_MASTER, 0, block), 0);
	sim_link(&sim, A, B)->drop6 = true;
	sim_run_until(&sim, heal);
	sim_link(&sim, A, B)->drop6 = false;
	sim_run_until(&sim, 90 * S);
	EXPECT(last_advert(A, block), 20 * S);
	t0 = 20 * S + D + 3 * S + SIM_SKEW(100);
	for (i = 0; i < sim.ntrace; i++) {
		r = &sim.trace[i];
		if (r->node != B || r->ev != SIM_EV_STATE ||
		    r->b != CARP_ST_MASTER || r->t < block)
			continue;
		t = t0 + n * 4 * S;
		EXPECT(r->t, t);
		EXPECT(r->c, CARP_RS_MASTER_TIMED_OUT);
		e = state_at(B, CARP_ST_BACKUP, r->t);
		EXPECT_TRUE(e != NULL);
		EXPECT(e->t - r->t, SIM_SKEW(256) - SIM_SKEW(100));
		EXPECT(e->c, CARP_RS_MORE_FREQUENT);
		n++;
	}
	/* 23.39 + D, 27.39 + D, ..., 59.39 + D: every 4 s until the heal. */
	EXPECT(n, 10);
	EXPECT(sim_two_us(&sim, 1), n * (SIM_SKEW(256) - SIM_SKEW(100)));
	EXPECT(count_into(A, CARP_ST_BACKUP, 1, 90 * S), 0);
	EXPECT(count_into(A, CARP_ST_MASTER, 0, 90 * S), 1);
	EXPECT(count_into(B, CARP_ST_MASTER, heal, 90 * S), 0);
	teardown_checks();
}

/*
 * Random faults, over many seeds: three hosts with distinct random
 * advskews (preempt on) live 300 s of random cable pulls and plugs,
 * partitions and heals, per-direction loss up to 60 %, duplication and
 * jitter up to 20 ms, one every 1..9 s.  Then everything heals at once.
 * Asserted: 15 s later exactly one MASTER, the lowest advskew, the only
 * holder of the VIP; and, all along, no lease ran out under a MASTER.
 * Reported: the longest time from the heal to the last transition.
 * Seeds SIM_SEED (default 2000) on, SIM_FAULT_SEEDS (100) of them.
 */
static void
test_random_faults(void **state)
{
	struct carp_node_conf	 nc;
	struct sim_link		*l;
	uint64_t		 base = sim_env_seed(2000),
				 seeds = (uint64_t)sim_env_long("SIM_FAULT_SEEDS",
				     100), seed, t, heal = 300 * S, conv,
				 conv_max = 0, faults = 0;
	uint8_t			 skew[3];
	int			 i, k, best, x, y, masters;
	const struct sim_rec	*r;

	(void)state;
	repro = " SIM_FAULT_SEEDS=1";
	for (seed = base; seed < base + seeds; seed++) {
		sim_init(&sim, seed);
		seed_now = seed;
		D = 50 + sim_rand(&sim) % 1951;
		sim_link_all(&sim, D, 0, 0, 0);
		carp_node_conf_default(&nc);
		nc.preempt = true;
		best = 0;
		for (i = 0; i < 3; i++) {
			do {
				skew[i] = (uint8_t)(sim_rand(&sim) % 241);
				for (k = 0; k < i && skew[k] != skew[i]; k++)
					;
			} while (k < i);
			if (skew[i] < skew[best])
				best = i;
			assert_int_equal(sim_node_add(&sim, "abd"[i], &nc), i);
			assert_non_null(sim_vhid_add(&sim, i, 1, 1, skew[i]));
		}
		for (t = 5 * S;;) {
			t += S + sim_rand(&sim) % (8 * S);
			if (t >= heal)
				break;
			sim_run_until(&sim, t);
			faults++;
			x = (int)(sim_rand(&sim) % 3);
			y = (x + 1 + (int)(sim_rand(&sim) % 2)) % 3;
			l = sim_link(&sim, x, y);
			switch (sim_rand(&sim) % 5) {
			case 0:
				sim_cable(&sim, x, !sim.n[x].cable);
				break;
			case 1:
				sim_partition(&sim, x, y, !l->cut);
				break;
			case 2:
				l->loss = (double)(sim_rand(&sim) % 61) / 100;
				break;
			case 3:
				l->jitter_us = sim_rand(&sim) % (20 * MS);
				l->dup = sim_rand(&sim) % 2 ? 0.5 : 0;
				break;
			default:
				sim_link_all(&sim, D, 0, 0, 0);
				for (i = 0; i < 3; i++)
					for (k = 0; k < 3; k++)
						sim.link[i][k].cut = false;
				break;
			}
		}
		sim_run_until(&sim, heal);
		sim_link_all(&sim, D, 0, 0, 0);
		for (i = 0; i < 3; i++) {
			for (k = 0; k < 3; k++)
				sim.link[i][k].cut = false;
			if (!sim.n[i].cable)
				sim_cable(&sim, i, true);
		}
		sim_run_until(&sim, heal + 15 * S);
		masters = 0;
		for (i = 0; i < 3; i++)
			masters += sim_state(&sim, i, 1) == CARP_ST_MASTER;
		EXPECT(masters, 1);
		EXPECT(sim_state(&sim, best, 1), CARP_ST_MASTER);
		for (i = 0; i < 3; i++)
			EXPECT(sim_holds(&sim, i, 1), i == best);
		r = sim_last(&sim, -1, SIM_EV_STATE, heal + 15 * S);
		conv = r != NULL && r->t > heal ? r->t - heal : 0;
		if (conv > conv_max)
			conv_max = conv;
		teardown_checks();
	}
	repro = "";
	print_message("random faults: %" PRIu64 " seeds, %" PRIu64 " faults; "
	    "the lowest advskew alone MASTER after every heal; longest heal "
	    "-> last transition %" PRIu64 " us\n", seeds, faults, conv_max);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_election),
		cmocka_unit_test(test_election_order_preempt),
		cmocka_unit_test(test_election_order_nopreempt),
		cmocka_unit_test(test_cable_pull),
		cmocka_unit_test(test_plug_preempt),
		cmocka_unit_test(test_plug_nopreempt),
		cmocka_unit_test(test_sigkill),
		cmocka_unit_test(test_bowout_preempt),
		cmocka_unit_test(test_bowout_nopreempt),
		cmocka_unit_test(test_three),
		cmocka_unit_test(test_partition),
		cmocka_unit_test(test_dup_jitter),
		cmocka_unit_test(test_multi),
		cmocka_unit_test(test_ipv6),
		cmocka_unit_test(test_dual_stack),
		cmocka_unit_test(test_random_faults),
	};

	/* SIM_TEST=test_sigkill (a glob) runs only the matching tests. */
	if (getenv("SIM_TEST") != NULL)
		cmocka_set_test_filter(getenv("SIM_TEST"));
	return cmocka_run_group_tests(tests, NULL, NULL);
}
