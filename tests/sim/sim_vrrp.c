/*
 * sim_vrrp.c: VRRPv3 VHIDs (docs/protocol.md, decision 18) on virtual
 * time (tests/sim/sim.h): election, master loss, preemption, graceful
 * stop with priority 0, three nodes and a loss property, all at 10 ms
 * intervals (1 cs), VRID 1, VIP 192.0.2.111.  Nodes: A priority 200,
 * B 100 (C 150 with three).  Times are checked to the microsecond:
 * Master_Down_Interval is 3 x 10 ms + (256 - prio) x 10 ms / 256,
 * truncated to the microsecond (A 32187, B 36093, C 34140 us), after the
 * advert that last reached the backup, one link delay after it left.
 *
 * SIM_SEED (default 1) picks the link delay (50..1049 us); SIM_TRACE=1
 * prints every event.  A failure names the seed.
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
#define C	2
#define MD_A	32187		/* priority 200 */
#define MD_B	36093		/* priority 100 */
#define MD_C	34140		/* priority 150 */
#define SKEW_B	6093

static struct sim	 sim;
static uint64_t		 D;
static uint64_t		 seed_now;

#define EXPECT(got, want) do {						\
	uint64_t g_ = (uint64_t)(got), w_ = (uint64_t)(want);		\
	if (g_ != w_)							\
		fail_msg("%s = %" PRIu64 ", want %s = %" PRIu64		\
		    " (reproduce: SIM_SEED=%" PRIu64 " SIM_TRACE=1)",	\
		    #got, g_, #want, w_, seed_now);			\
} while (0)

/* The first transition of node into `to` at or after t (fails if none). */
static const struct sim_rec *
into(int node, enum carp_state to, uint64_t after)
{
	size_t	 i;

	for (i = 0; i < sim.ntrace; i++) {
		const struct sim_rec	*r = &sim.trace[i];

		if (r->t >= after && r->ev == SIM_EV_STATE &&
		    r->node == node && r->b == (int)to)
			return r;
	}
	fail_msg("%c never entered %s after %" PRIu64 " us (reproduce: "
	    "SIM_SEED=%" PRIu64 " SIM_TRACE=1)", sim.n[node].name,
	    carp_state_names[to], after, seed_now);
	return NULL;
}

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

static uint64_t
last_advert(int node, uint64_t before)
{
	const struct sim_rec	*r = sim_last(&sim, node, SIM_EV_SEND, before);

	if (r == NULL)
		fail_msg("%c sent no advert", sim.n[node].name);
	return r->t;
}

/* A and B (and C with three), VRRP VRID 1 at 1 cs, started at 0. */
static void
setup(uint64_t seed, bool preempt, int nodes)
{
	struct carp_node_conf	 nc;
	static const uint8_t	 prio[] = { 200, 100, 150 };
	int			 i;

	seed_now = seed;
	sim_init(&sim, seed);
	D = 50 + sim_rand(&sim) % 1000;
	sim_link_all(&sim, D, 0, 0, 0);
	carp_node_conf_default(&nc);
	nc.preempt = preempt;
	for (i = 0; i < nodes; i++) {
		assert_int_equal(sim_node_add(&sim, (char)('a' + i), &nc), i);
		assert_non_null(sim_vrrp_add(&sim, i, 1, prio[i], 1, SIM_AF4));
	}
}

/* Every scenario: no lease ran out under a MASTER. */
static void
teardown_checks(void)
{
	int	 i;

	for (i = 0; i < sim.nn; i++)
		EXPECT(sim.n[i].lapsed_master, 0);
	sim_free(&sim);
}

/* A (200) times out first, exactly at its Master_Down_Interval. */
static void
test_election(void **state)
{
	(void)state;
	setup(sim_env_seed(1), false, 2);
	sim_run_until(&sim, 2 * S);
	EXPECT(into(A, CARP_ST_MASTER, 0)->t, MD_A);
	EXPECT(into(A, CARP_ST_MASTER, 0)->c, CARP_RS_MASTER_TIMED_OUT);
	EXPECT(count_into(B, CARP_ST_MASTER, 0, 2 * S), 0);
	EXPECT(sim_state(&sim, B, 1), CARP_ST_BACKUP);
	/* Every 10 ms from the take-over; B sends nothing. */
	EXPECT(sim_count(&sim, A, SIM_EV_SEND, 0, 2 * S),
	    (2 * S - MD_A) / (10 * MS) + 1);
	EXPECT(sim_count(&sim, B, SIM_EV_SEND, 0, 2 * S), 0);
	EXPECT(sim_holds(&sim, A, 1), true);
	EXPECT(sim_holds(&sim, B, 1), false);
	EXPECT(sim_two_us(&sim, 1), 0);
	teardown_checks();
}

/* A dies: B is MASTER 3 x 10 ms + its skew after A's last advert. */
static void
test_master_loss(void **state)
{
	uint64_t	 kill, last, tb;
	int		 phase;

	(void)state;
	for (phase = 0; phase < 10; phase++) {
		setup(sim_env_seed(1), false, 2);
		kill = 500 * MS + (uint64_t)phase * MS + 17;
		sim_run_until(&sim, kill);
		sim_kill(&sim, A);
		sim_run_until(&sim, kill + 200 * MS);
		last = last_advert(A, kill);
		tb = into(B, CARP_ST_MASTER, kill)->t;
		EXPECT(tb, last + D + MD_B);
		EXPECT(tb - (last + D) <= 3 * 10 * MS + SKEW_B, 1);
		EXPECT(into(B, CARP_ST_MASTER, kill)->c,
		    CARP_RS_MASTER_TIMED_OUT);
		EXPECT(sim_holds(&sim, B, 1), true);
		/* 10 ms adverts: A's 1 s lease outlives the deadline. */
		sim.n[A].lapsed_master = 0;
		teardown_checks();
	}
}

/* B (100) is MASTER alone; A (200) joins and preempts, or does not. */
static void
run_preempt(bool preempt)
{
	uint64_t	 join = 300 * MS + 123, ta;

	setup(sim_env_seed(1), preempt, 2);
	/* A's cable is out until it joins: B wins alone. */
	sim_cable(&sim, A, false);
	sim_run_until(&sim, join);
	EXPECT(into(B, CARP_ST_MASTER, 0)->t, MD_B);
	sim_cable(&sim, A, true);
	sim_run_until(&sim, join + 2 * S);
	if (!preempt) {
		EXPECT(count_into(A, CARP_ST_MASTER, 0, join + 2 * S), 0);
		EXPECT(sim_state(&sim, B, 1), CARP_ST_MASTER);
		EXPECT(count_into(B, CARP_ST_BACKUP, join, join + 2 * S), 0);
		teardown_checks();
		return;
	}
	/* B's lower adverts are discarded: A's timer from its start runs
	 * out and is a preemption; B yields on A's first advert. */
	ta = into(A, CARP_ST_MASTER, join)->t;
	EXPECT(ta, join + MD_A);
	EXPECT(into(A, CARP_ST_MASTER, join)->c, CARP_RS_PREEMPT);
	EXPECT(into(B, CARP_ST_BACKUP, join)->t, ta + D);
	EXPECT(into(B, CARP_ST_BACKUP, join)->c, CARP_RS_MORE_FREQUENT);
	EXPECT(sim_two_us(&sim, 1), D);
	EXPECT(count_into(B, CARP_ST_MASTER, join, join + 2 * S), 0);
	teardown_checks();
}

static void
test_preempt(void **state)
{
	(void)state;
	run_preempt(true);
}

static void
test_nopreempt(void **state)
{
	(void)state;
	run_preempt(false);
}

/* A stops: priority 0, and B is MASTER Skew_Time after it arrives. */
static void
test_graceful_stop(void **state)
{
	uint64_t	 stop = 700 * MS + 4321;
	const struct sim_rec *r;

	(void)state;
	setup(sim_env_seed(1), false, 2);
	sim_run_until(&sim, stop);
	sim_stop(&sim, A);
	sim_run_until(&sim, stop + S);
	r = sim_last(&sim, A, SIM_EV_SEND, stop);
	EXPECT(r->t, stop);
	EXPECT(r->a, 1);	/* bow-out */
	EXPECT(r->b, 0);	/* priority 0 */
	EXPECT(into(B, CARP_ST_MASTER, stop)->t, stop + D + SKEW_B);
	EXPECT(into(B, CARP_ST_MASTER, stop)->c,
	    CARP_RS_MASTER_WILL_TIME_OUT);
	EXPECT(sim_none_us(&sim, 1), D + SKEW_B);
	EXPECT(sim_two_us(&sim, 1), 0);
	teardown_checks();
}

/* Three nodes: A, then C (150) at its deadline, B (100) never. */
static void
test_three(void **state)
{
	uint64_t	 kill = 400 * MS + 77, last, tc;

	(void)state;
	setup(sim_env_seed(1), false, 3);
	sim_run_until(&sim, kill);
	EXPECT(into(A, CARP_ST_MASTER, 0)->t, MD_A);
	sim_kill(&sim, A);
	sim_run_until(&sim, kill + S);
	last = last_advert(A, kill);
	tc = into(C, CARP_ST_MASTER, kill)->t;
	EXPECT(tc, last + D + MD_C);
	EXPECT(count_into(B, CARP_ST_MASTER, 0, kill + S), 0);
	EXPECT(sim_state(&sim, B, 1), CARP_ST_BACKUP);
	/* C stops too: B's turn, Skew_Time after C's priority 0. */
	sim_stop(&sim, C);
	sim_run_until(&sim, kill + 2 * S);
	EXPECT(into(B, CARP_ST_MASTER, kill + S)->t, kill + S + D + SKEW_B);
	sim.n[A].lapsed_master = 0;
	teardown_checks();
}

/* A square root without libm (Newton's method). */
static double
root(double x)
{
	double	 r = x > 1 ? x : 1;
	int	 i;

	for (i = 0; i < 64; i++)
		r = (r + x / r) / 2;
	return r;
}

/*
 * Loss of A's adverts to B with probability p: B takes over exactly when
 * three in a row are lost (its deadline, 36.093 ms after the last one it
 * got, falls between the third and the fourth), and yields to A's next
 * advert.  Takeovers over N adverts: E = N (1 - p) p^3, variance about
 * N q (1 - 7q) with q = (1 - p) p^3; within 4 standard deviations + 2.
 * A never leaves MASTER.
 */
static void
test_loss(void **state)
{
	struct carp_vhid_info	 vi;
	static const double	 lv[] = { 0.2, 0.5 };
	uint64_t		 seeds = 20, secs = 60, sd, i;
	double			 p, q, n, e, tol, got;	/* n: lossy adverts */
	size_t			 l;

	(void)state;
	for (l = 0; l < sizeof(lv) / sizeof(lv[0]); l++) {
		p = lv[l];
		got = n = 0;
		for (i = 0; i < seeds; i++) {
			sd = sim_env_seed(1) + 100 + i;
			setup(sd, false, 2);
			sim.keep_trace = false;
			sim_run_until(&sim, S);
			sim_link(&sim, A, B)->loss = p;
			n -= (double)sim.n[A].sent;
			sim_run_until(&sim, (secs + 1) * S);
			n += (double)sim.n[A].sent;
			carp_vhid_info(sim_vh(&sim, B, 1), &vi);
			got += (double)vi.transitions[CARP_ST_MASTER];
			carp_vhid_info(sim_vh(&sim, A, 1), &vi);
			EXPECT(vi.transitions[CARP_ST_MASTER], 1);
			EXPECT(vi.transitions[CARP_ST_BACKUP], 1);
			teardown_checks();
		}
		q = (1 - p) * p * p * p;
		e = n * q;
		tol = 4 * root(n * q * (1 - 7 * q)) + 2;
		print_message("loss %.0f %%: %.0f adverts, %.0f takeovers, "
		    "predicted %.1f (+-%.1f)\n", p * 100, n, got, e, tol);
		if (got - e > tol || e - got > tol)
			fail_msg("loss %.2f: %.0f takeovers, want %.1f +- %.1f",
			    p, got, e, tol);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_election),
		cmocka_unit_test(test_master_loss),
		cmocka_unit_test(test_preempt),
		cmocka_unit_test(test_nopreempt),
		cmocka_unit_test(test_graceful_stop),
		cmocka_unit_test(test_three),
		cmocka_unit_test(test_loss),
	};

	if (getenv("SIM_TEST") != NULL)
		cmocka_set_test_filter(getenv("SIM_TEST"));
	return cmocka_run_group_tests(tests, NULL, NULL);
}
