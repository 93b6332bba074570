/*
 * test_why_fsm.c: what the engine records for "why" on a fake clock: the
 * master as heard (address, advbase, advskew, OpenBSD's demote byte, the
 * time of its last advert), the soft maintenance's hand-over and its
 * last-resort take-over, and a held VHID's no-master episodes.
 */
#include <sys/types.h>
#include <sys/socket.h>
#include <arpa/inet.h>

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "carp/carp.h"

#define S	1000000ULL
#define SKEW(x)	((uint64_t)(x) * S / 256)

/* The fake host: timer, states, no-master actions, bow-outs. */
static struct {
	uint64_t	 timer;
	int		 nm_on, nm_off;	/* CARP_ACT_NO_MASTER each way */
	int		 bowouts;
	int		 states;
	enum carp_reason last_reason;
} host;

static int
fake_emit(void *arg, const struct carp_action *a)
{
	(void)arg;
	switch (a->type) {
	case CARP_ACT_SEND:
		if (a->a.send.bowout)
			host.bowouts++;
		break;
	case CARP_ACT_TIMER:
		host.timer = a->a.timer.at_us;
		break;
	case CARP_ACT_STATE:
		host.states++;
		host.last_reason = a->a.state.reason;
		break;
	case CARP_ACT_NO_MASTER:
		if (a->a.no_master.on)
			host.nm_on++;
		else
			host.nm_off++;
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
	return 0x1000;
}

static const struct carp_host fake_host = { fake_emit, fake_random, NULL };

static struct carp_time
at(uint64_t us)
{
	struct carp_time t = { us, (int64_t)(1700000000 * S + us) };

	return t;
}

static void
vhid_conf(struct carp_vhid_conf *c, uint8_t advbase, uint8_t advskew)
{
	memset(c, 0, sizeof(*c));
	c->vhid = 1;
	c->ifindex = 2;
	strcpy(c->ifname, "eth0");
	c->advbase = advbase;
	c->advskew = advskew;
	memcpy(c->key, "test123", 7);
	c->keylen = 7;
	c->naddrs = 1;
	c->addrs[0].family = AF_INET;
	c->addrs[0].prefixlen = 24;
	inet_pton(AF_INET, "192.0.2.111", &c->addrs[0].a.v4);
}

static struct carp_vhid *
new_vhid(struct carp_node **n, struct carp_vhid_conf *c, bool preempt,
    uint8_t advskew)
{
	struct carp_node_conf	 nc;
	struct carp_vhid	*vh;

	memset(&host, 0, sizeof(host));
	carp_node_conf_default(&nc);
	nc.preempt = preempt;
	assert_non_null(*n = carp_node_new(&nc, &fake_host));
	vhid_conf(c, 1, advskew);
	assert_non_null(vh = carp_vhid_add(*n, c, true, NULL, at(0)));
	return vh;
}

/* An advert from 192.0.2.61 with byte 4 (OpenBSD's demote) set. */
static enum carp_drop
advert(struct carp_node *n, const struct carp_vhid_conf *c, uint8_t advbase,
    uint8_t advskew, uint8_t demote, uint64_t now)
{
	struct carp_hmac	*h = carp_hmac_new();
	uint8_t			 pkt[CARP_HDR_LEN];
	struct carp_rx		 rx;
	uint16_t		 sum;

	carp_hmac_prepare(h, c->key, c->keylen, c->vhid, c->addrs, c->naddrs);
	carp_pkt_encode(h, c->vhid, advbase, advskew, 7, pkt);
	carp_hmac_free(h);
	/* The digest does not cover byte 4; the checksum does. */
	pkt[4] = demote;
	pkt[6] = pkt[7] = 0;
	sum = carp_cksum(pkt, sizeof(pkt));
	pkt[6] = sum >> 8;
	pkt[7] = sum & 0xff;
	memset(&rx, 0, sizeof(rx));
	rx.data = pkt;
	rx.len = sizeof(pkt);
	rx.src.family = AF_INET;
	inet_pton(AF_INET, "192.0.2.61", &rx.src.a.v4);
	rx.dst.family = AF_INET;
	inet_pton(AF_INET, "224.0.0.18", &rx.dst.a.v4);
	rx.ttl = 255;
	rx.ifindex = c->ifindex;
	return carp_input(n, &rx, at(now));
}

/* Fire the VHID's timer at its deadline. */
static uint64_t
fire(struct carp_vhid *vh)
{
	uint64_t	 t = host.timer;

	assert_true(t != 0);
	carp_vhid_timeout(vh, at(t));
	return t;
}

/* A BACKUP records what the master's advert said, per family. */
static void
test_heard(void **state)
{
	struct carp_vhid_conf	 c;
	struct carp_vhid_info	 vi;
	struct carp_node	*n;
	struct carp_vhid	*vh;
	char			 buf[64];

	(void)state;
	vh = new_vhid(&n, &c, false, 100);
	carp_vhid_info(vh, &vi);
	assert_int_equal(vi.heard[0].src.family, 0);
	assert_int_equal(vi.md_us, 3 * S + SKEW(100));
	assert_int_equal(advert(n, &c, 1, 20, 7, 500000), CARP_DROP_NONE);
	carp_vhid_info(vh, &vi);
	assert_int_equal(vi.state, CARP_ST_BACKUP);
	assert_int_equal(vi.heard[0].src.family, AF_INET);
	assert_string_equal(carp_addr_ntop(&vi.heard[0].src, buf,
	    sizeof(buf)), "192.0.2.61");
	assert_int_equal(vi.heard[0].advbase, 1);
	assert_int_equal(vi.heard[0].advskew, 20);
	assert_int_equal(vi.heard[0].demote, 7);
	assert_int_equal(vi.heard[0].at_us, 500000);
	assert_int_equal(vi.heard[1].src.family, 0);
	/* The next advert moves the time and the fields. */
	assert_int_equal(advert(n, &c, 1, 30, 0, 1500000), CARP_DROP_NONE);
	carp_vhid_info(vh, &vi);
	assert_int_equal(vi.heard[0].advskew, 30);
	assert_int_equal(vi.heard[0].demote, 0);
	assert_int_equal(vi.heard[0].at_us, 1500000);
	/* MASTER after the master went silent: the record is gone. */
	fire(vh);
	carp_vhid_info(vh, &vi);
	assert_int_equal(vi.state, CARP_ST_MASTER);
	assert_int_equal(vi.heard[0].src.family, 0);
	carp_node_free(n);
}

/*
 * Soft maintenance: demotion 240 and the hand-over.  The MASTER bows out
 * and is BACKUP at once, not held; a peer's advert keeps it there; when
 * the peer falls silent it takes over as the last resort.
 */
static void
test_soft_last_resort(void **state)
{
	struct carp_vhid_conf	 c;
	struct carp_vhid_info	 vi;
	struct carp_node	*n;
	struct carp_vhid	*vh;
	uint64_t		 t;

	(void)state;
	vh = new_vhid(&n, &c, true, 0);
	t = fire(vh);
	assert_int_equal(carp_vhid_state(vh), CARP_ST_MASTER);
	assert_int_equal(carp_demotion_set(n, 240, "maintenance", at(t + 1)),
	    1);
	assert_int_equal(carp_handover(n, at(t + 2)), 1);
	assert_int_equal(host.bowouts, 1);
	carp_vhid_info(vh, &vi);
	assert_int_equal(vi.state, CARP_ST_BACKUP);
	assert_int_equal(vi.last_reason, CARP_RS_MAINTENANCE);
	assert_int_equal(vi.eff_advskew, 240);
	/* Nothing more to hand over. */
	assert_int_equal(carp_handover(n, at(t + 3)), 0);
	/* The peer took over at advskew 100: we stay BACKUP, preempt or not. */
	assert_int_equal(advert(n, &c, 1, 100, 0, t + 100000), CARP_DROP_NONE);
	assert_int_equal(carp_vhid_state(vh), CARP_ST_BACKUP);
	assert_int_equal(host.timer, t + 100000 + 3 * S);
	assert_int_equal(advert(n, &c, 1, 100, 0, t + 1100000),
	    CARP_DROP_NONE);
	assert_int_equal(carp_vhid_state(vh), CARP_ST_BACKUP);
	/* The peer dies: master-down, and we take over (not held). */
	t = fire(vh);
	carp_vhid_info(vh, &vi);
	assert_int_equal(vi.state, CARP_ST_MASTER);
	assert_int_equal(vi.last_reason, CARP_RS_MASTER_TIMED_OUT);
	assert_int_equal(host.nm_on, 0);
	carp_node_free(n);
}

/* With the hold instead, the same silence raises no-master, once. */
static void
test_no_master_hold(void **state)
{
	struct carp_vhid_conf	 c;
	struct carp_vhid_info	 vi;
	struct carp_node	*n;
	struct carp_vhid	*vh;
	uint64_t		 t;

	(void)state;
	vh = new_vhid(&n, &c, false, 0);
	t = fire(vh);
	assert_int_equal(carp_maintenance(n, true, "rack move", at(t + 1)), 1);
	assert_int_equal(carp_vhid_state(vh), CARP_ST_BACKUP);
	assert_int_equal(advert(n, &c, 1, 100, 0, t + 100000), CARP_DROP_NONE);
	carp_vhid_info(vh, &vi);
	assert_false(vi.no_master);
	/* The master dies: held, so BACKUP, and no-master is raised. */
	t = fire(vh);
	carp_vhid_info(vh, &vi);
	assert_int_equal(vi.state, CARP_ST_BACKUP);
	assert_true(vi.no_master);
	assert_int_equal(vi.no_master_since_us, t);
	assert_int_equal(host.nm_on, 1);
	/* Once per episode: the next master-down adds nothing. */
	fire(vh);
	assert_int_equal(host.nm_on, 1);
	/* A bow-out advert is no master. */
	assert_int_equal(advert(n, &c, 255, 255, 0, host.timer - 1),
	    CARP_DROP_NONE);
	assert_int_equal(host.nm_off, 0);
	/* A master is heard: cleared, once. */
	assert_int_equal(advert(n, &c, 1, 100, 0, host.timer - 1),
	    CARP_DROP_NONE);
	carp_vhid_info(vh, &vi);
	assert_false(vi.no_master);
	assert_int_equal(host.nm_off, 1);
	/* Silent again: raised again; the hold ends: cleared. */
	t = fire(vh);
	assert_int_equal(host.nm_on, 2);
	assert_int_equal(carp_maintenance(n, false, NULL, at(t + 1)), 1);
	carp_vhid_info(vh, &vi);
	assert_false(vi.no_master);
	assert_int_equal(host.nm_off, 2);
	/* Not held now: the next master-down takes over, no episode. */
	fire(vh);
	assert_int_equal(carp_vhid_state(vh), CARP_ST_MASTER);
	assert_int_equal(host.nm_on, 2);
	carp_node_free(n);
}

/* A VHID demoted by hand: the same; the promote clears it. */
static void
test_no_master_demote(void **state)
{
	struct carp_vhid_conf	 c;
	struct carp_vhid_info	 vi;
	struct carp_node	*n;
	struct carp_vhid	*vh;
	uint64_t		 t;

	(void)state;
	vh = new_vhid(&n, &c, false, 0);
	assert_int_equal(carp_vhid_demote(vh, "kernel", at(1)), 1);
	t = fire(vh);
	carp_vhid_info(vh, &vi);
	assert_int_equal(vi.state, CARP_ST_BACKUP);
	assert_true(vi.no_master);
	assert_int_equal(host.nm_on, 1);
	/* Maintenance on top: still held, still the same episode. */
	assert_int_equal(carp_maintenance(n, true, "m", at(t + 1)), 1);
	assert_int_equal(carp_maintenance(n, false, NULL, at(t + 2)), 1);
	carp_vhid_info(vh, &vi);
	assert_true(vi.no_master);
	assert_int_equal(host.nm_off, 0);
	/* Promote with force_master: the hold ends and the state changes. */
	assert_int_equal(carp_vhid_promote(vh, true, at(t + 3)), 1);
	carp_vhid_info(vh, &vi);
	assert_false(vi.no_master);
	assert_int_equal(vi.state, CARP_ST_MASTER);
	assert_int_equal(host.nm_off, 1);
	carp_node_free(n);
}

/* A link going down ends the episode too (the state changes). */
static void
test_no_master_link(void **state)
{
	struct carp_vhid_conf	 c;
	struct carp_vhid_info	 vi;
	struct carp_node	*n;
	struct carp_vhid	*vh;
	uint64_t		 t;

	(void)state;
	vh = new_vhid(&n, &c, false, 0);
	assert_int_equal(carp_vhid_demote(vh, "x", at(1)), 1);
	t = fire(vh);
	assert_int_equal(host.nm_on, 1);
	carp_link_change(n, c.ifindex, false, at(t + 1));
	carp_vhid_info(vh, &vi);
	assert_int_equal(vi.state, CARP_ST_INIT);
	assert_false(vi.no_master);
	assert_int_equal(host.nm_off, 1);
	carp_node_free(n);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_heard),
		cmocka_unit_test(test_soft_last_resort),
		cmocka_unit_test(test_no_master_hold),
		cmocka_unit_test(test_no_master_demote),
		cmocka_unit_test(test_no_master_link),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
