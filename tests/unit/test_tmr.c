/*
 * test_tmr.c: the host's timer policy (agent/tmr.c) on a fake clock, with
 * the real engine (carp/) behind it: the grid for far deadlines, a timer
 * kept when a later deadline comes, take-overs exactly on time, and the
 * batching of MASTERs' adverts (the alignment after a take-over and the
 * early join when a timer fires).  A fake event loop plays libevent's
 * part: every timer due runs in one round, and a round that sends is a
 * wake-up of the daemon.
 */
#include <sys/types.h>
#include <sys/socket.h>
#include <arpa/inet.h>
#include <netinet/in.h>

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "agent/tmr.h"
#include "carp/carp.h"

#define MS		1000ULL
#define S		1000000ULL
#define NV		64		/* VHIDs at most */
#define NSENT		2048		/* adverts recorded per VHID */

struct tvh {
	struct tmr_slot		 t;
	struct carp_vhid_conf	 c;
	struct carp_vhid	*vh;
	bool			 armed;
	uint64_t		 fire;		/* fake time it fires at */
	uint64_t		 asked;		/* the engine's last deadline */
	uint64_t		 master_at;	/* when it took over, 0: not */
	size_t			 nsent;
	uint64_t		 sent[NSENT];
};

static struct {
	uint64_t	 now;
	size_t		 queued;	/* adverts sent so far */
	size_t		 arms;		/* timers (re)armed */
	size_t		 rounds;	/* rounds that sent, since reset */
	size_t		 round_max;	/* most adverts in one round */
	struct tvh	 v[NV];
	size_t		 nv;
	struct carp_node *node;
} fk;

static struct carp_time
fake_now(void)
{
	struct carp_time t = { fk.now, (int64_t)(1700000000 * S + fk.now) };

	return t;
}

static void
fake_arm(struct tmr_slot *s, uint64_t d)
{
	struct tvh	*v = s->impl;

	v->armed = true;
	v->fire = fk.now + d;
	fk.arms++;
}

static void
fake_cancel(struct tmr_slot *s)
{
	((struct tvh *)s->impl)->armed = false;
}

static bool
fake_pending(const struct tmr_slot *s)
{
	return ((const struct tvh *)s->impl)->armed;
}

static size_t
fake_queued(void)
{
	return fk.queued;
}

static const struct tmr_backend fake_be = { fake_now, fake_arm, fake_cancel,
	fake_pending, fake_queued };

static int
fake_emit(void *arg, const struct carp_action *a)
{
	struct tvh	*v = a->vh != NULL ? carp_vhid_arg(a->vh) : NULL;

	(void)arg;
	switch (a->type) {
	case CARP_ACT_SEND:
		fk.queued++;
		if (v->nsent < NSENT)
			v->sent[v->nsent++] = fk.now;
		return 0;
	case CARP_ACT_TIMER:
		v->asked = a->a.timer.at_us;
		tmr_set(&v->t, a->vh, a->a.timer.at_us);
		break;
	case CARP_ACT_STATE:
		if (a->a.state.to == CARP_ST_MASTER) {
			v->master_at = fk.now;
			tmr_took_over(&v->t);
		}
		break;
	default:
		break;
	}
	return 0;
}

static uint64_t
fake_random(void *arg)
{
	(void)arg;
	return 0x0123456789abcdefULL;
}

static const struct carp_host fake_host = { fake_emit, fake_random, NULL };

static int
setup(void **state)
{
	struct carp_node_conf	 nc;

	(void)state;
	memset(&fk, 0, sizeof(fk));
	fk.now = 5 * S + 123457;	/* off any grid */
	tmr_init(&fake_be);
	carp_node_conf_default(&nc);
	assert_non_null(fk.node = carp_node_new(&nc, &fake_host));
	return 0;
}

static int
teardown(void **state)
{
	size_t	 i;

	(void)state;
	for (i = 0; i < fk.nv; i++) {
		carp_vhid_remove(fk.v[i].vh, fake_now());
		tmr_remove(&fk.v[i].t);
	}
	carp_node_free(fk.node);
	return 0;
}

/* VHID vhid on ifindex 2 with 192.0.2.vhid: CARP, or VRRPv3 if ival_cs. */
static struct tvh *
add(uint8_t vhid, uint8_t advbase, uint8_t advskew, uint16_t ival_cs)
{
	struct carp_vhid_conf	 c;
	struct tvh		*v = &fk.v[fk.nv++];
	char			 buf[32];

	memset(&c, 0, sizeof(c));
	c.vhid = vhid;
	c.ifindex = 2;
	strcpy(c.ifname, "eth0");
	if (ival_cs != 0) {
		c.proto = CARP_PROTO_VRRP3;
		c.vrrp_prio = 100;
		c.vrrp_interval = ival_cs;
	} else {
		c.advbase = advbase;
		c.advskew = advskew;
		memcpy(c.key, "test123", 7);
		c.keylen = 7;
	}
	c.naddrs = 1;
	c.addrs[0].family = AF_INET;
	c.addrs[0].prefixlen = 24;
	snprintf(buf, sizeof(buf), "192.0.2.%u", vhid);
	assert_int_equal(inet_pton(AF_INET, buf, &c.addrs[0].a.v4), 1);
	v->c = c;
	v->t.impl = v;
	tmr_add(&v->t);
	assert_non_null(v->vh = carp_vhid_add(fk.node, &c, true, v,
	    fake_now()));
	return v;
}

/* A CARP advert from the peer 192.0.2.200 for v, now. */
static void
peer_advert(struct tvh *v, uint8_t advbase, uint8_t advskew, uint64_t ctr)
{
	struct carp_hmac	*h = carp_hmac_new();
	uint8_t			 pkt[CARP_HDR_LEN];
	struct carp_rx		 rx;

	carp_hmac_prepare(h, v->c.key, v->c.keylen, v->c.vhid, v->c.addrs,
	    v->c.naddrs);
	carp_pkt_encode(h, v->c.vhid, advbase, advskew, ctr, pkt);
	carp_hmac_free(h);
	memset(&rx, 0, sizeof(rx));
	rx.data = pkt;
	rx.len = sizeof(pkt);
	rx.src.family = rx.dst.family = AF_INET;
	inet_pton(AF_INET, "192.0.2.200", &rx.src.a.v4);
	inet_pton(AF_INET, "224.0.0.18", &rx.dst.a.v4);
	rx.ttl = 255;
	rx.ifindex = 2;
	assert_int_equal(carp_input(fk.node, &rx, fake_now()), CARP_DROP_NONE);
}

/*
 * Run the fake loop until the fake time end: each round runs every timer
 * due, earliest first, as libevent does.
 */
static void
run_until(uint64_t end)
{
	struct tvh	*v;
	uint64_t	 next;
	size_t		 i, before;

	for (;;) {
		next = UINT64_MAX;
		for (i = 0; i < fk.nv; i++)
			if (fk.v[i].armed && fk.v[i].fire < next)
				next = fk.v[i].fire;
		if (next > end)
			break;
		fk.now = next;
		before = fk.queued;
		for (;;) {
			v = NULL;
			for (i = 0; i < fk.nv; i++)
				if (fk.v[i].armed && fk.v[i].fire <= fk.now &&
				    (v == NULL || fk.v[i].fire < v->fire))
					v = &fk.v[i];
			if (v == NULL)
				break;
			v->armed = false;
			tmr_fire(&v->t);
		}
		if (fk.queued > before) {
			fk.rounds++;
			if (fk.queued - before > fk.round_max)
				fk.round_max = fk.queued - before;
		}
	}
	fk.now = end;
}

/*
 * A BACKUP's far deadline (3 s) is checked on the 250 ms grid, below it;
 * from within 1 s it is armed exactly, and the take-over comes exactly at
 * the deadline the engine asked for.
 */
static void
test_grid_then_exact(void **state)
{
	struct tvh	*v;
	uint64_t	 deadline;

	(void)state;
	v = add(1, 1, 0, 0);
	assert_int_equal(carp_vhid_state(v->vh), CARP_ST_BACKUP);
	deadline = v->asked;
	assert_true(deadline > fk.now + TMR_EXACT_US);
	assert_true(v->armed);
	assert_int_equal(v->fire % TMR_GRID_US, 0);
	assert_true(v->fire <= deadline && v->fire + TMR_GRID_US > deadline);
	run_until(deadline - 1);
	assert_int_equal(carp_vhid_state(v->vh), CARP_ST_BACKUP);
	assert_true(v->armed);
	assert_int_equal(v->fire, deadline);		/* exact now */
	run_until(deadline + 10 * MS);
	assert_int_equal(carp_vhid_state(v->vh), CARP_ST_MASTER);
	assert_int_equal(v->master_at, deadline);
	/* It advertised at the take-over. */
	assert_true(v->nsent >= 1);
	assert_int_equal(v->sent[0], deadline);
}

/*
 * A BACKUP hearing its master every second: the timer already due earlier
 * is kept (no re-arming per advert, one early check a second or less),
 * and when the master goes silent it takes over exactly 3 s (3 x advbase
 * + advskew / 256) after the last advert.
 */
static void
test_keep_then_takeover(void **state)
{
	struct tvh	*v;
	uint64_t	 last = 0;
	size_t		 arms;
	int		 i;

	(void)state;
	v = add(1, 1, 0, 0);
	run_until(fk.now + 500 * MS);
	arms = fk.arms;
	for (i = 0; i < 20; i++) {
		peer_advert(v, 1, 0, (uint64_t)i + 1);
		last = fk.now;
		run_until(fk.now + S);
		assert_int_equal(carp_vhid_state(v->vh), CARP_ST_BACKUP);
	}
	/* At most one arming per advert heard: the early check's. */
	assert_true(fk.arms - arms <= 20);
	assert_int_equal(fk.rounds, 0);
	run_until(last + 3 * S - 1);
	assert_int_equal(carp_vhid_state(v->vh), CARP_ST_BACKUP);
	run_until(last + 3 * S + 100 * MS);
	assert_int_equal(carp_vhid_state(v->vh), CARP_ST_MASTER);
	assert_int_equal(v->master_at, last + 3 * S);
}

/*
 * 40 CARP VHIDs take over in 40 successive rounds, 3 ms apart (as on a
 * busy loop): each one's first advert joins the others', so that after
 * the first interval all 40 leave in one round a second; each VHID's
 * interval is shortened at most once, by less than half of it.
 */
static void
test_align_carp(void **state)
{
	uint64_t	 start, gap;
	size_t		 i, j, shorter;

	(void)state;
	for (i = 0; i < 40; i++) {
		add((uint8_t)(i + 1), 1, 0, 0);
		run_until(fk.now + 3 * MS);
	}
	run_until(fk.now + 5 * S);
	for (i = 0; i < 40; i++)
		assert_int_equal(carp_vhid_state(fk.v[i].vh), CARP_ST_MASTER);
	start = fk.now;
	fk.rounds = fk.round_max = 0;
	run_until(start + 10 * S);
	/* 10 s of 40 VHIDs at 1 s: 400 adverts, in 10 wake-ups. */
	assert_int_equal(fk.rounds, 10);
	assert_int_equal(fk.round_max, 40);
	for (i = 0; i < 40; i++) {
		struct tvh *v = &fk.v[i];

		for (shorter = 0, j = 1; j < v->nsent; j++) {
			gap = v->sent[j] - v->sent[j - 1];
			assert_true(gap <= S);
			if (gap < S) {
				assert_true(gap > S / 2);
				shorter++;
			}
		}
		assert_true(shorter <= 1);
	}
}

/*
 * 20 VRRPv3 groups at 10 ms take over 0.7 ms apart, 14 ms in all: they
 * end up advertising in few rounds per interval; no advert comes more
 * than an eighth of the interval early after the one alignment, and each
 * group keeps its rate (100 adverts a second, none late).
 */
static void
test_vrrp_10ms(void **state)
{
	uint64_t	 start, gap, deadline;
	size_t		 i, j, n, shorter;
	struct tvh	*v;

	(void)state;
	for (i = 0; i < 20; i++) {
		v = add((uint8_t)(i + 1), 0, 0, 1);
		deadline = v->asked;
		/* Near deadlines are armed exactly, never on the grid. */
		assert_int_equal(v->fire, deadline);
		run_until(fk.now + 700);
	}
	run_until(fk.now + 200 * MS);
	for (i = 0; i < 20; i++) {
		v = &fk.v[i];
		assert_int_equal(carp_vhid_state(v->vh), CARP_ST_MASTER);
		/* Each took over exactly at its master-down deadline. */
		assert_int_equal(v->master_at, v->sent[0]);
	}
	start = fk.now;
	fk.rounds = fk.round_max = 0;
	run_until(start + S);
	/* Grouped: at most two rounds per interval, not 20. */
	assert_true(fk.rounds <= 200);
	assert_true(fk.round_max >= 10);
	for (i = 0; i < 20; i++) {
		v = &fk.v[i];
		for (n = 0, j = 0; j < v->nsent; j++)
			if (v->sent[j] > start)
				n++;
		assert_true(n >= 100 && n <= 101);
		for (shorter = 0, j = 1; j < v->nsent; j++) {
			gap = v->sent[j] - v->sent[j - 1];
			assert_true(gap <= 10 * MS);
			if (gap < 10 * MS - tmr_early_us(10 * MS))
				shorter++;
		}
		assert_true(shorter <= 1);
	}
}

/*
 * 16 VRRPv3 groups at 10 ms advertise in one round; then 8 of them are
 * moved 6 ms forward, as after take-overs in rounds more than half an
 * interval apart (the bench saw three such rounds for good).  They drift
 * back to the anchor's round, an eighth of the interval an interval, and
 * within 100 ms all 16 leave in one round again.  Meanwhile no group's
 * gap is shorter than the interval less an eighth, or longer than the
 * interval: the jitter stays within 1.25 ms.
 */
static void
test_drift(void **state)
{
	uint64_t	 split, gap, early = tmr_early_us(10 * MS);
	size_t		 i, j;
	struct tvh	*v;

	(void)state;
	for (i = 0; i < 16; i++)
		add((uint8_t)(i + 1), 0, 0, 1);
	run_until(fk.now + 200 * MS);
	fk.rounds = 0;
	run_until(fk.now + 100 * MS);
	assert_true(fk.rounds <= 11);
	/* Half of them 6 ms early, from their next advert on. */
	for (i = 0; i < 8; i++) {
		v = &fk.v[i];
		assert_int_equal(carp_vhid_state(v->vh), CARP_ST_MASTER);
		assert_int_equal(carp_vhid_advertise_at(v->vh, fake_now(),
		    v->fire - 6 * MS, 10 * MS), 1);
	}
	split = fk.now;
	for (i = 0; i < 16; i++)
		fk.v[i].nsent = 0;
	run_until(split + 100 * MS);
	fk.rounds = fk.round_max = 0;
	run_until(split + 1100 * MS);
	/* One round an interval again: 100 in the second. */
	assert_true(fk.rounds <= 101);
	assert_int_equal(fk.round_max, 16);
	for (i = 0; i < 16; i++) {
		v = &fk.v[i];
		assert_true(v->nsent >= 110);
		for (j = 1; j < v->nsent; j++) {
			gap = v->sent[j] - v->sent[j - 1];
			assert_true(gap <= 10 * MS);
			assert_true(gap >= 10 * MS - early);
		}
	}
}

/* The early join's bound. */
static void
test_early_bound(void **state)
{
	(void)state;
	assert_int_equal(tmr_early_us(10 * MS), 1250);
	assert_int_equal(tmr_early_us(S), TMR_EARLY_US);
	assert_int_equal(tmr_early_us(80 * MS), TMR_EARLY_US);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_grid_then_exact, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_keep_then_takeover, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_align_carp, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_vrrp_10ms, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_drift, setup, teardown),
		cmocka_unit_test(test_early_bound),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
