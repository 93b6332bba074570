/*
 * test_carp_fsm.c: the state machine on a fake clock.
 *
 * Each scenario is a table of steps: at a time (microseconds), an event
 * goes in (a peer's advert, the VHID's timer, a link change, an
 * administrative request); then the VHID's state, the reason of its last
 * transition, its armed deadline, the node's demotion and the kinds of
 * actions that came out are checked.
 */
#include <sys/types.h>
#include <sys/socket.h>
#include <arpa/inet.h>

#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "carp/carp.h"

#define S	1000000ULL		/* one second in microseconds */
#define SKEW(x)	((uint64_t)(x) * S / 256)
#define ANY	(-1)

/* Action kinds, as bits, for the expectations. */
#define A_SEND		0x01
#define A_BOWOUT	0x02
#define A_HOLD		0x04
#define A_RELEASE	0x08
#define A_ARP		0x10
#define A_NA		0x20
#define A_STATE		0x40
#define A_DEMOTION	0x80

enum ev {
	EV_END = 0,
	EV_RX,		/* a valid advert from the peer: a = advbase, b = skew */
	EV_FIRE,	/* the timer callback, at the step's time */
	EV_LINK_DOWN,
	EV_LINK_UP,
	EV_DEMOTE,
	EV_PROMOTE,	/* a = force_master */
	EV_MAINT,	/* a = on */
	EV_DEMOTION,	/* set the admin demotion to a */
	EV_SHUTDOWN,
	EV_SENDERR,	/* sends fail (a = 1) or succeed (a = 0) from now on */
	EV_ADDR,	/* add a second address to the VHID */
	EV_REKEY,	/* change the password */
};

struct step {
	uint64_t		 at;
	enum ev			 ev;
	int			 a, b;
	int			 state;		/* enum carp_state or ANY */
	int			 reason;	/* enum carp_reason or ANY */
	int64_t			 timer;		/* deadline, 0 none, ANY */
	int			 acts;		/* exact set of action kinds */
	int			 demotion;	/* node total or ANY */
};

struct scenario {
	const char		*name;
	bool			 preempt;
	uint8_t			 advbase;
	uint8_t			 advskew;
	struct step		 steps[16];
};

/* The fake host: it records the kinds of actions and the last advert. */
static struct {
	int		 acts;
	int		 send_err;
	int		 nsent;
	uint8_t		 last_pkt[CARP_HDR_LEN];
	struct carp_action last_state;
	struct carp_vhid_info state_info; /* carp_vhid_info() at last_state */
	int		 last_demotion_delta;
	const char	*last_demotion_reason;
	uint64_t	 timer;
	int		 holds_lifetime;
	uint64_t	 now;		/* set by tests that track holds */
	uint64_t	 hold_expiry;	/* when the last hold lapses */
	uint64_t	 last_send;
	char		 order[32];	/* action letters, in emit order */
	size_t		 norder;
	int		 sent_by[CARP_MAXVHID + 1];	/* adverts per VHID */
	int		 announces;	/* CARP_ACT_ANNOUNCE actions */
	int		 send_err6;	/* returned for IPv6 adverts */
} host;

static int
fake_emit(void *arg, const struct carp_action *a)
{
	(void)arg;
	if (host.norder + 1 < sizeof(host.order))
		host.order[host.norder++] = "SHRATXD"[a->type];
	switch (a->type) {
	case CARP_ACT_SEND:
		host.acts |= a->a.send.bowout ? A_BOWOUT : A_SEND;
		host.last_send = host.now;
		memcpy(host.last_pkt, a->a.send.pkt, CARP_HDR_LEN);
		host.nsent++;
		host.sent_by[a->vhid]++;
		if (a->a.send.dst.family == AF_INET6 && host.send_err6 != 0)
			return host.send_err6;
		return host.send_err;
	case CARP_ACT_HOLD:
		host.acts |= A_HOLD;
		host.holds_lifetime = (int)a->a.hold.lifetime_s;
		host.hold_expiry = host.now + a->a.hold.lifetime_s * S;
		break;
	case CARP_ACT_RELEASE:
		host.acts |= A_RELEASE;
		break;
	case CARP_ACT_ANNOUNCE:
		host.acts |= (a->a.announce.arp ? A_ARP : 0) |
		    (a->a.announce.na ? A_NA : 0);
		host.announces++;
		break;
	case CARP_ACT_TIMER:
		host.timer = a->a.timer.at_us;
		break;
	case CARP_ACT_STATE:
		host.acts |= A_STATE;
		host.last_state = *a;
		carp_vhid_info(a->vh, &host.state_info);
		break;
	case CARP_ACT_DEMOTION:
		host.acts |= A_DEMOTION;
		host.last_demotion_delta = a->a.demotion.delta;
		host.last_demotion_reason = a->a.demotion.reason;
		break;
	case CARP_ACT_NO_MASTER:
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

/* A VHID 1 on ifindex 2 with 192.0.2.111, password test123. */
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

/* A fresh fake host, a node with FreeBSD's defaults and VHID 1 on it. */
static struct carp_vhid *
new_vhid(struct carp_node_conf *nc, struct carp_vhid_conf *c,
    struct carp_node **n, uint8_t advbase, uint8_t advskew)
{
	struct carp_vhid	*vh;

	memset(&host, 0, sizeof(host));
	carp_node_conf_default(nc);
	assert_non_null(*n = carp_node_new(nc, &fake_host));
	vhid_conf(c, advbase, advskew);
	assert_non_null(vh = carp_vhid_add(*n, c, true, NULL, at(0)));
	return vh;
}

/* Feed an advert from the peer 192.0.2.51 with the given timing. */
static enum carp_drop
peer_advert(struct carp_node *n, const struct carp_vhid_conf *c,
    uint8_t advbase, uint8_t advskew, uint64_t counter, uint8_t ttl,
    uint64_t now)
{
	struct carp_hmac	*h = carp_hmac_new();
	uint8_t			 pkt[CARP_HDR_LEN];
	struct carp_rx		 rx;
	enum carp_drop		 d;

	carp_hmac_prepare(h, c->key, c->keylen, c->vhid, c->addrs, c->naddrs);
	carp_pkt_encode(h, c->vhid, advbase, advskew, counter, pkt);
	carp_hmac_free(h);
	memset(&rx, 0, sizeof(rx));
	rx.data = pkt;
	rx.len = sizeof(pkt);
	rx.src.family = AF_INET;
	inet_pton(AF_INET, "192.0.2.51", &rx.src.a.v4);
	rx.dst.family = AF_INET;
	inet_pton(AF_INET, "224.0.0.18", &rx.dst.a.v4);
	rx.ttl = ttl;
	rx.ifindex = c->ifindex;
	d = carp_input(n, &rx, at(now));
	return d;
}

/* Run one scenario table. */
static void
run_scenario(const struct scenario *sc)
{
	struct carp_node_conf	 nc;
	struct carp_vhid_conf	 c;
	struct carp_node	*n;
	struct carp_vhid	*vh;
	struct carp_vhid_info	 vi;
	struct carp_node_info	 ni;
	const struct step	*st;
	int			 i;

	memset(&host, 0, sizeof(host));
	carp_node_conf_default(&nc);
	nc.preempt = sc->preempt;
	assert_non_null(n = carp_node_new(&nc, &fake_host));
	vhid_conf(&c, sc->advbase, sc->advskew);
	assert_non_null(vh = carp_vhid_add(n, &c, true, NULL, at(0)));
	carp_vhid_info(vh, &vi);
	assert_int_equal(vi.state, CARP_ST_BACKUP);
	assert_int_equal(vi.last_reason, CARP_RS_INIT_COMPLETE);

	for (i = 0; sc->steps[i].ev != EV_END; i++) {
		st = &sc->steps[i];
		host.acts = 0;
		switch (st->ev) {
		case EV_RX:
			assert_int_equal(peer_advert(n, &c, (uint8_t)st->a,
			    (uint8_t)st->b, 77, 255, st->at), CARP_DROP_NONE);
			break;
		case EV_FIRE:
			carp_vhid_timeout(vh, at(st->at));
			break;
		case EV_LINK_DOWN:
			carp_link_change(n, c.ifindex, false, at(st->at));
			break;
		case EV_LINK_UP:
			carp_link_change(n, c.ifindex, true, at(st->at));
			break;
		case EV_DEMOTE:
			assert_int_equal(carp_vhid_demote(vh, "test",
			    at(st->at)), 1);
			break;
		case EV_PROMOTE:
			carp_vhid_promote(vh, st->a != 0, at(st->at));
			break;
		case EV_MAINT:
			carp_maintenance(n, st->a != 0, "test", at(st->at));
			break;
		case EV_DEMOTION:
			carp_demotion_set(n, st->a, "test", at(st->at));
			break;
		case EV_SHUTDOWN:
			carp_shutdown(n, at(st->at));
			break;
		case EV_SENDERR:
			host.send_err = st->a ? ENOBUFS : 0;
			break;
		case EV_ADDR:
			c.naddrs = 2;
			c.addrs[1] = c.addrs[0];
			inet_pton(AF_INET, "192.0.2.112", &c.addrs[1].a.v4);
			assert_int_equal(carp_vhid_update(vh, &c, at(st->at)),
			    1);
			break;
		case EV_REKEY:
			memcpy(c.key, "other12", 7);
			assert_int_equal(carp_vhid_update(vh, &c, at(st->at)),
			    1);
			break;
		case EV_END:
			break;
		}
		carp_vhid_info(vh, &vi);
		carp_node_info(n, &ni);
		if (st->state != ANY && (int)vi.state != st->state)
			fail_msg("%s step %d: state %s, want %s", sc->name, i,
			    carp_state_names[vi.state],
			    carp_state_names[st->state]);
		if (st->reason != ANY && (int)vi.last_reason != st->reason)
			fail_msg("%s step %d: reason \"%s\", want \"%s\"",
			    sc->name, i, carp_reason_names[vi.last_reason],
			    carp_reason_names[st->reason]);
		if (st->timer != ANY && (int64_t)vi.timer_at_us != st->timer)
			fail_msg("%s step %d: timer %llu, want %lld", sc->name,
			    i, (unsigned long long)vi.timer_at_us,
			    (long long)st->timer);
		if (st->timer != ANY && (int64_t)host.timer != st->timer)
			fail_msg("%s step %d: host timer %llu, want %lld",
			    sc->name, i, (unsigned long long)host.timer,
			    (long long)st->timer);
		if (st->acts != ANY && host.acts != st->acts)
			fail_msg("%s step %d: actions 0x%x, want 0x%x",
			    sc->name, i, host.acts, st->acts);
		if (st->demotion != ANY && ni.demotion != st->demotion)
			fail_msg("%s step %d: demotion %d, want %d", sc->name,
			    i, ni.demotion, st->demotion);
	}
	carp_node_free(n);
}

#define MASTER	CARP_ST_MASTER
#define BACKUP	CARP_ST_BACKUP
#define INIT	CARP_ST_INIT
#define TAKE	(A_STATE | A_HOLD | A_SEND | A_ARP)	/* takeover */
#define ADV	(A_SEND | A_HOLD)			/* periodic advert */

static const struct scenario scenarios[] = {
	{ "election: a lone node waits 3 x advbase, then advertises", false,
	    1, 0, {
		/* One microsecond early: still BACKUP, deadline unchanged. */
		{ 3 * S - 1, EV_FIRE, 0, 0, BACKUP, CARP_RS_INIT_COMPLETE,
		    3 * S, 0, 0 },
		{ 3 * S, EV_FIRE, 0, 0, MASTER, CARP_RS_MASTER_TIMED_OUT,
		    4 * S, TAKE, 0 },
		/* Held until 6 s: still 2 s left, no refresh needed yet. */
		{ 4 * S, EV_FIRE, 0, 0, MASTER, ANY, 5 * S, ADV, 0 },
		/* The repeated gratuitous ARP after two adverts; 1 s left:
		 * the hold is refreshed. */
		{ 5 * S, EV_FIRE, 0, 0, MASTER, ANY, 6 * S, ADV | A_ARP, 0 },
		{ 6 * S, EV_FIRE, 0, 0, MASTER, ANY, 7 * S, ADV, 0 },
		{ 7 * S, EV_FIRE, 0, 0, MASTER, ANY, 8 * S, ADV, 0 },
		{ 0, EV_END, 0, 0, 0, 0, 0, 0, 0 } } },
	{ "master-down with advskew 100 is 3 s + 100/256 s, exactly", false,
	    1, 100, {
		{ 3 * S + SKEW(100) - 1, EV_FIRE, 0, 0, BACKUP, ANY,
		    3 * S + SKEW(100), 0, 0 },
		{ 3 * S + SKEW(100), EV_FIRE, 0, 0, MASTER,
		    CARP_RS_MASTER_TIMED_OUT, 4 * S + 2 * SKEW(100), TAKE, 0 },
		{ 0, EV_END, 0, 0, 0, 0, 0, 0, 0 } } },
	{ "a backup hearing its master restarts master-down", false, 1, 100, {
		{ 1 * S, EV_RX, 1, 0, BACKUP, ANY, 4 * S + SKEW(100), 0, 0 },
		{ 2 * S, EV_RX, 1, 0, BACKUP, ANY, 5 * S + SKEW(100), 0, 0 },
		/* The master goes silent (cable pulled). */
		{ 5 * S + SKEW(100), EV_FIRE, 0, 0, MASTER,
		    CARP_RS_MASTER_TIMED_OUT, ANY, TAKE, 0 },
		{ 0, EV_END, 0, 0, 0, 0, 0, 0, 0 } } },
	{ "preempt on: a backup takes over a slower master", true, 1, 0, {
		{ 1 * S, EV_RX, 1, 100, MASTER, CARP_RS_PREEMPT, 2 * S,
		    TAKE, 0 },
		{ 0, EV_END, 0, 0, 0, 0, 0, 0, 0 } } },
	{ "preempt off: a slower master keeps the role", false, 1, 0, {
		{ 1 * S, EV_RX, 1, 100, BACKUP, CARP_RS_INIT_COMPLETE, 4 * S,
		    0, 0 },
		{ 2 * S, EV_RX, 1, 100, BACKUP, ANY, 5 * S, 0, 0 },
		{ 0, EV_END, 0, 0, 0, 0, 0, 0, 0 } } },
	{ "a tie makes the master step down; no address tie-break", false,
	    1, 0, {
		{ 3 * S, EV_FIRE, 0, 0, MASTER, ANY, 4 * S, TAKE, 0 },
		{ 3 * S + 500000, EV_RX, 1, 0, BACKUP, CARP_RS_MORE_FREQUENT,
		    6 * S + 500000, A_STATE | A_RELEASE, 0 },
		{ 0, EV_END, 0, 0, 0, 0, 0, 0, 0 } } },
	{ "a master ignores slower adverts", false, 1, 0, {
		{ 3 * S, EV_FIRE, 0, 0, MASTER, ANY, 4 * S, TAKE, 0 },
		{ 3 * S + 10, EV_RX, 1, 100, MASTER, CARP_RS_MASTER_TIMED_OUT,
		    4 * S, 0, 0 },
		{ 3 * S + 20, EV_RX, 2, 0, MASTER, ANY, 4 * S, 0, 0 },
		{ 3 * S + 30, EV_RX, 1, 1, MASTER, ANY, 4 * S, 0, 0 },
		{ 0, EV_END, 0, 0, 0, 0, 0, 0, 0 } } },
	{ "a faster advert makes the master step down", false, 1, 100, {
		{ 3 * S + SKEW(100), EV_FIRE, 0, 0, MASTER, ANY, ANY, TAKE,
		    0 },
		{ 4 * S, EV_RX, 1, 99, BACKUP, CARP_RS_MORE_FREQUENT,
		    7 * S + SKEW(100), A_STATE | A_RELEASE, 0 },
		{ 0, EV_END, 0, 0, 0, 0, 0, 0, 0 } } },
	{ "bow-out (255/255) is taken over at once, preempt off", false,
	    1, 100, {
		{ 1 * S, EV_RX, 1, 0, BACKUP, ANY, ANY, 0, 0 },
		{ 2 * S, EV_RX, 255, 255, MASTER, CARP_RS_MASTER_WILL_TIME_OUT,
		    3 * S + SKEW(100), TAKE, 0 },
		{ 0, EV_END, 0, 0, 0, 0, 0, 0, 0 } } },
	{ "an advert slower than 3 x advbase is taken over at once", false,
	    1, 0, {
		{ 1 * S, EV_RX, 3, 1, MASTER, CARP_RS_MASTER_WILL_TIME_OUT,
		    ANY, TAKE, 0 },
		{ 0, EV_END, 0, 0, 0, 0, 0, 0, 0 } } },
	{ "an advert of exactly 3 x advbase is not", false, 1, 0, {
		{ 1 * S, EV_RX, 3, 0, BACKUP, CARP_RS_INIT_COMPLETE, 4 * S,
		    0, 0 },
		{ 0, EV_END, 0, 0, 0, 0, 0, 0, 0 } } },
	{ "demotion up makes a backup yield to a slower master", true, 1, 0, {
		{ 1 * S, EV_DEMOTION, 240, 0, BACKUP, ANY, 3 * S, A_DEMOTION,
		    240 },
		/* 1 + 100/256 s is now faster than our 1 + 240/256 s. */
		{ 2 * S, EV_RX, 1, 100, BACKUP, CARP_RS_INIT_COMPLETE, 5 * S,
		    0, 240 },
		/* Demotion down: the next slower advert is preempted. */
		{ 3 * S, EV_DEMOTION, 0, 0, BACKUP, ANY, 5 * S, A_DEMOTION,
		    0 },
		{ 4 * S, EV_RX, 1, 100, MASTER, CARP_RS_PREEMPT, ANY, TAKE,
		    0 },
		{ 0, EV_END, 0, 0, 0, 0, 0, 0, 0 } } },
	{ "demotion of a master: an immediate advert, new interval", false,
	    1, 0, {
		{ 3 * S, EV_FIRE, 0, 0, MASTER, ANY, 4 * S, TAKE, 0 },
		{ 3 * S + 100, EV_DEMOTION, 50, 0, MASTER, ANY,
		    4 * S + 100 + SKEW(50), A_DEMOTION | ADV, 50 },
		{ 0, EV_END, 0, 0, 0, 0, 0, 0, 0 } } },
	{ "link down: INIT, addresses released, demoted 240; up: BACKUP",
	    false, 1, 0, {
		{ 3 * S, EV_FIRE, 0, 0, MASTER, ANY, 4 * S, TAKE, 0 },
		{ 3 * S + 1, EV_LINK_DOWN, 0, 0, INIT, CARP_RS_IF_DOWN, 0,
		    A_STATE | A_RELEASE | A_DEMOTION, 240 },
		/* Adverts are ignored in INIT. */
		{ 4 * S, EV_RX, 1, 100, INIT, CARP_RS_IF_DOWN, 0, 0, 240 },
		{ 5 * S, EV_LINK_UP, 0, 0, BACKUP, CARP_RS_INIT_COMPLETE,
		    8 * S, A_STATE | A_DEMOTION, 0 },
		{ 0, EV_END, 0, 0, 0, 0, 0, 0, 0 } } },
	{ "three send errors demote by 240, three good sends lift it",
	    false, 1, 0, {
		{ 3 * S, EV_FIRE, 0, 0, MASTER, ANY, 4 * S, TAKE, 0 },
		{ 3 * S, EV_SENDERR, 1, 0, MASTER, ANY, 4 * S, 0, 0 },
		{ 4 * S, EV_FIRE, 0, 0, MASTER, ANY, 5 * S, ADV, 0 },
		{ 5 * S, EV_FIRE, 0, 0, MASTER, ANY, 6 * S, ADV | A_ARP, 0 },
		{ 6 * S, EV_FIRE, 0, 0, MASTER, ANY, 7 * S + SKEW(240),
		    ADV | A_DEMOTION, 240 },
		{ 7 * S, EV_SENDERR, 0, 0, MASTER, ANY, ANY, 0, 240 },
		{ 7 * S + SKEW(240), EV_FIRE, 0, 0, MASTER, ANY, ANY, ADV,
		    240 },
		{ 8 * S + 2 * SKEW(240), EV_FIRE, 0, 0, MASTER, ANY,
		    9 * S + 3 * SKEW(240), ADV, 240 },
		{ 9 * S + 3 * SKEW(240), EV_FIRE, 0, 0, MASTER, ANY,
		    10 * S + 3 * SKEW(240), ADV | A_DEMOTION, 0 },
		{ 0, EV_END, 0, 0, 0, 0, 0, 0, 0 } } },
	{ "a new address list re-keys and restarts through INIT", false,
	    1, 0, {
		{ 3 * S, EV_FIRE, 0, 0, MASTER, ANY, 4 * S, TAKE, 0 },
		{ 3 * S + 5, EV_ADDR, 0, 0, BACKUP, CARP_RS_INIT_COMPLETE,
		    6 * S + 5, A_STATE | A_RELEASE, 0 },
		{ 0, EV_END, 0, 0, 0, 0, 0, 0, 0 } } },
	{ "a new password re-keys without a flap", false, 1, 0, {
		{ 3 * S, EV_FIRE, 0, 0, MASTER, ANY, 4 * S, TAKE, 0 },
		{ 3 * S + 5, EV_REKEY, 0, 0, MASTER, CARP_RS_MASTER_TIMED_OUT,
		    4 * S, 0, 0 },
		{ 0, EV_END, 0, 0, 0, 0, 0, 0, 0 } } },
	{ "demote: bow-out advert, release, held in BACKUP until promoted",
	    true, 1, 0, {
		{ 3 * S, EV_FIRE, 0, 0, MASTER, ANY, 4 * S, TAKE, 0 },
		{ 3 * S + 1, EV_DEMOTE, 0, 0, BACKUP, CARP_RS_ADMIN_DEMOTE,
		    6 * S + 1, A_BOWOUT | A_STATE | A_RELEASE, 0 },
		/* Held: no preemption, no take-over at master-down. */
		{ 4 * S, EV_RX, 1, 100, BACKUP, CARP_RS_ADMIN_DEMOTE, 7 * S,
		    0, 0 },
		{ 7 * S, EV_FIRE, 0, 0, BACKUP, CARP_RS_ADMIN_DEMOTE, 10 * S,
		    0, 0 },
		/* Promoted: the next slower advert is preempted. */
		{ 8 * S, EV_PROMOTE, 0, 0, BACKUP, ANY, 10 * S, 0, 0 },
		{ 9 * S, EV_RX, 1, 100, MASTER, CARP_RS_PREEMPT, ANY, TAKE,
		    0 },
		{ 0, EV_END, 0, 0, 0, 0, 0, 0, 0 } } },
	{ "promote with force_master takes over now", false, 1, 100, {
		{ 1 * S, EV_RX, 1, 0, BACKUP, ANY, ANY, 0, 0 },
		{ 2 * S, EV_PROMOTE, 1, 0, MASTER, CARP_RS_USER,
		    3 * S + SKEW(100), TAKE, 0 },
		{ 0, EV_END, 0, 0, 0, 0, 0, 0, 0 } } },
	{ "maintenance hands over and holds; off resumes", false, 1, 0, {
		{ 3 * S, EV_FIRE, 0, 0, MASTER, ANY, 4 * S, TAKE, 0 },
		{ 3 * S + 1, EV_MAINT, 1, 0, BACKUP, CARP_RS_MAINTENANCE,
		    6 * S + 1, A_BOWOUT | A_STATE | A_RELEASE, 0 },
		{ 6 * S + 1, EV_FIRE, 0, 0, BACKUP, CARP_RS_MAINTENANCE,
		    9 * S + 1, 0, 0 },
		/* Promote cannot force a VHID out of node maintenance. */
		{ 7 * S, EV_PROMOTE, 1, 0, BACKUP, CARP_RS_MAINTENANCE, ANY,
		    0, 0 },
		{ 8 * S, EV_MAINT, 0, 0, BACKUP, ANY, 9 * S + 1, 0, 0 },
		{ 9 * S + 1, EV_FIRE, 0, 0, MASTER, CARP_RS_MASTER_TIMED_OUT,
		    ANY, TAKE, 0 },
		{ 0, EV_END, 0, 0, 0, 0, 0, 0, 0 } } },
	{ "shutdown: bow-out advert, release, INIT", false, 1, 0, {
		{ 3 * S, EV_FIRE, 0, 0, MASTER, ANY, 4 * S, TAKE, 0 },
		{ 3 * S + 1, EV_SHUTDOWN, 0, 0, INIT, CARP_RS_SHUTDOWN, 0,
		    A_BOWOUT | A_STATE | A_RELEASE, 0 },
		{ 0, EV_END, 0, 0, 0, 0, 0, 0, 0 } } },
	{ "advskew 250 goes out as 240; master-down keeps 250", false,
	    1, 250, {
		{ 3 * S + SKEW(250) - 1, EV_FIRE, 0, 0, BACKUP, ANY,
		    3 * S + SKEW(250), 0, 0 },
		{ 3 * S + SKEW(250), EV_FIRE, 0, 0, MASTER, ANY, ANY, TAKE,
		    0 },
		{ 0, EV_END, 0, 0, 0, 0, 0, 0, 0 } } },
	/*
	 * FreeBSD 14's carp_send_ad_error: a good send between errors does
	 * not clear them; only three good sends in a row do.  The third
	 * error demotes, and the demotion makes the MASTER advertise again
	 * at once (the second advert of that step, on the new interval).
	 */
	{ "error, error, good, error demotes (FreeBSD 14)", false, 1, 0, {
		{ 3 * S, EV_FIRE, 0, 0, MASTER, ANY, 4 * S, TAKE, 0 },
		{ 3 * S, EV_SENDERR, 1, 0, MASTER, ANY, 4 * S, 0, 0 },
		{ 4 * S, EV_FIRE, 0, 0, MASTER, ANY, 5 * S, ADV, 0 },
		{ 5 * S, EV_FIRE, 0, 0, MASTER, ANY, 6 * S, ADV | A_ARP, 0 },
		{ 5 * S, EV_SENDERR, 0, 0, MASTER, ANY, 6 * S, 0, 0 },
		{ 6 * S, EV_FIRE, 0, 0, MASTER, ANY, 7 * S, ADV, 0 },
		{ 6 * S, EV_SENDERR, 1, 0, MASTER, ANY, 7 * S, 0, 0 },
		{ 7 * S, EV_FIRE, 0, 0, MASTER, ANY, 8 * S + SKEW(240),
		    ADV | A_DEMOTION, 240 },
		{ 0, EV_END, 0, 0, 0, 0, 0, 0, 0 } } },
	/*
	 * Re-announce: a MASTER hearing a slower master (a healed
	 * partition) sends its gratuitous ARP again, at most once per
	 * advbase, the take-over's announcement included.
	 */
	{ "a master hearing a slower master re-announces, once per advbase",
	    false, 1, 0, {
		{ 3 * S, EV_FIRE, 0, 0, MASTER, ANY, 4 * S, TAKE, 0 },
		/* Within advbase of the take-over's GARP: nothing. */
		{ 3 * S + S / 2, EV_RX, 1, 100, MASTER,
		    CARP_RS_MASTER_TIMED_OUT, 4 * S, 0, 0 },
		{ 4 * S, EV_FIRE, 0, 0, MASTER, ANY, 5 * S, ADV, 0 },
		{ 4 * S + S / 5, EV_RX, 1, 100, MASTER, ANY, 5 * S, A_ARP,
		    0 },
		{ 4 * S + 7 * S / 10, EV_RX, 1, 100, MASTER, ANY, 5 * S, 0,
		    0 },
		{ 5 * S + S / 5, EV_RX, 1, 100, MASTER, ANY, 5 * S, A_ARP,
		    0 },
		/* A bow-out (slower than 3 x advbase) too, still once. */
		{ 5 * S + S / 2, EV_RX, 255, 255, MASTER, ANY, 5 * S, 0, 0 },
		{ 6 * S + S / 2, EV_RX, 255, 255, MASTER, ANY, 5 * S, A_ARP,
		    0 },
		{ 0, EV_END, 0, 0, 0, 0, 0, 0, 0 } } },
	{ "after take-over the first interval uses the raw advskew", false,
	    1, 0, {
		{ 1 * S, EV_DEMOTION, 100, 0, BACKUP, ANY, 3 * S, A_DEMOTION,
		    100 },
		{ 3 * S, EV_FIRE, 0, 0, MASTER, ANY, 4 * S, TAKE, 100 },
		{ 4 * S, EV_FIRE, 0, 0, MASTER, ANY, 5 * S + SKEW(100), ADV,
		    100 },
		{ 0, EV_END, 0, 0, 0, 0, 0, 0, 0 } } },
};

static void
test_scenarios(void **state)
{
	size_t	 i;

	(void)state;
	for (i = 0; i < sizeof(scenarios) / sizeof(scenarios[0]); i++) {
		print_message("  scenario: %s\n", scenarios[i].name);
		run_scenario(&scenarios[i]);
	}
}

/* The advert bytes: skew with demotion, the bow-out, counter increments. */
static void
test_advert_bytes(void **state)
{
	struct carp_node_conf	 nc;
	struct carp_vhid_conf	 c;
	struct carp_node	*n;
	struct carp_vhid	*vh;
	struct carp_vhid_info	 vi;
	struct carp_hdr		 h;

	(void)state;
	vh = new_vhid(&nc, &c, &n, 2, 30);
	carp_vhid_timeout(vh, at(6 * S + SKEW(30)));
	assert_int_equal(carp_vhid_state(vh), CARP_ST_MASTER);
	assert_int_equal(host.holds_lifetime, 5);	/* 3 x advbase - 1 */
	assert_int_equal(carp_pkt_decode(host.last_pkt, CARP_HDR_LEN, &h), 0);
	assert_int_equal(h.advbase, 2);
	assert_int_equal(h.advskew, 30);
	assert_true(h.counter == 0x1001);	/* random start, then +1 */

	carp_demotion_set(n, 300, "x", at(7 * S));
	assert_int_equal(carp_pkt_decode(host.last_pkt, CARP_HDR_LEN, &h), 0);
	assert_int_equal(h.advskew, CARP_MAXSKEW);
	assert_true(h.counter == 0x1002);
	carp_demotion_set(n, -100, "x", at(7 * S));
	assert_int_equal(carp_pkt_decode(host.last_pkt, CARP_HDR_LEN, &h), 0);
	assert_int_equal(h.advskew, 0);		/* clamped at zero */

	/* A valid advert's counter is adopted; ours continues from it. */
	assert_int_equal(peer_advert(n, &c, 1, 0, 0xabcdef, 255, 8 * S), 0);
	carp_vhid_info(vh, &vi);
	assert_true(vi.counter == 0xabcdef);
	assert_int_equal(vi.state, CARP_ST_BACKUP);
	carp_vhid_promote(vh, true, at(9 * S));
	assert_int_equal(carp_pkt_decode(host.last_pkt, CARP_HDR_LEN, &h), 0);
	assert_true(h.counter == 0xabcdf0);

	carp_vhid_demote(vh, "x", at(10 * S));
	assert_int_equal(carp_pkt_decode(host.last_pkt, CARP_HDR_LEN, &h), 0);
	assert_int_equal(h.advbase, 255);
	assert_int_equal(h.advskew, 255);
	/* Idempotent: demoting again changes nothing and sends nothing. */
	host.nsent = 0;
	assert_int_equal(carp_vhid_demote(vh, "x", at(11 * S)), 0);
	assert_int_equal(host.nsent, 0);
	assert_int_equal(carp_vhid_promote(vh, false, at(12 * S)), 1);
	assert_int_equal(carp_vhid_promote(vh, false, at(12 * S)), 0);
	carp_node_free(n);
}

/*
 * The order of a take-over, as FreeBSD's carp_master_down_locked: state,
 * the advert, then the addresses and their announcement, then the timer.
 * A bow-out goes out before the addresses are released.
 */
static void
test_action_order(void **state)
{
	struct carp_node_conf	 nc;
	struct carp_vhid_conf	 c;
	struct carp_node	*n;
	struct carp_vhid	*vh;

	(void)state;
	vh = new_vhid(&nc, &c, &n, 1, 0);
	host.norder = 0;
	carp_vhid_timeout(vh, at(3 * S));
	host.order[host.norder] = '\0';
	assert_string_equal(host.order, "XSHAT");	/* state send hold ... */
	host.norder = 0;
	carp_shutdown(n, at(4 * S));
	host.order[host.norder] = '\0';
	assert_string_equal(host.order, "SRXT");	/* bow-out, release */
	carp_node_free(n);
}

/*
 * A state change is complete when emitted: the time, and into BACKUP on
 * an advert its source as the master, which carp_vhid_info() already
 * shows; the state before it is kept; readers never see the password.
 */
static void
test_state_event_complete(void **state)
{
	struct carp_node_conf	 nc;
	struct carp_vhid_conf	 c;
	struct carp_node	*n;
	struct carp_vhid	*vh;
	struct carp_vhid_info	 vi;
	struct in_addr		 peer;
	static const uint8_t	 nokey[CARP_KEY_MAX];

	(void)state;
	vh = new_vhid(&nc, &c, &n, 1, 100);
	carp_vhid_timeout(vh, at(4 * S));
	assert_int_equal(host.last_state.a.state.to, CARP_ST_MASTER);
	assert_int_equal(host.last_state.a.state.at.mono_us, 4 * S);
	assert_int_equal(host.last_state.a.state.master.family, 0);
	/* A more frequent advert: back to BACKUP, the peer is the master. */
	assert_int_equal(peer_advert(n, &c, 1, 0, 7, 255, 5 * S),
	    CARP_DROP_NONE);
	inet_pton(AF_INET, "192.0.2.51", &peer);
	assert_int_equal(host.last_state.a.state.to, CARP_ST_BACKUP);
	assert_int_equal(host.last_state.a.state.reason,
	    CARP_RS_MORE_FREQUENT);
	assert_int_equal(host.last_state.a.state.at.mono_us, 5 * S);
	assert_int_equal(host.last_state.a.state.master.family, AF_INET);
	assert_memory_equal(&host.last_state.a.state.master.a.v4, &peer,
	    sizeof(peer));
	assert_int_equal(host.state_info.master.family, AF_INET);
	assert_memory_equal(&host.state_info.master.a.v4, &peer,
	    sizeof(peer));
	carp_vhid_info(vh, &vi);
	assert_int_equal(vi.prev_state, CARP_ST_MASTER);
	assert_int_equal(vi.conf.keylen, 7);
	assert_memory_equal(vi.conf.key, nokey, sizeof(nokey));
	carp_node_free(n);
}

/*
 * The node's generation: bumped by every change but an advert's.  An
 * advert that changes nothing (a BACKUP hearing the same master, a
 * MASTER's own) leaves it.
 */
static void
test_gen(void **state)
{
	struct carp_node_conf	 nc;
	struct carp_vhid_conf	 c;
	struct carp_node	*n;
	struct carp_vhid	*vh;
	struct carp_node_info	 ni;
	uint64_t		 g;

	(void)state;
	vh = new_vhid(&nc, &c, &n, 1, 100);
	carp_node_info(n, &ni);
	assert_true(ni.gen > 0);
	assert_true(ni.gen == carp_node_gen(n));
	/* The first advert names the master; the same one again does not. */
	g = carp_node_gen(n);
	assert_int_equal(peer_advert(n, &c, 1, 0, 7, 255, 1 * S),
	    CARP_DROP_NONE);
	assert_true(carp_node_gen(n) > g);
	g = carp_node_gen(n);
	assert_int_equal(peer_advert(n, &c, 1, 0, 8, 255, 2 * S),
	    CARP_DROP_NONE);
	assert_true(carp_node_gen(n) == g);
	/* A drop is a change. */
	assert_int_equal(peer_advert(n, &c, 1, 0, 9, 64, 2 * S),
	    CARP_DROP_BADTTL);
	assert_true(carp_node_gen(n) > g);
	/* The master goes silent: MASTER is a change, its adverts are not. */
	g = carp_node_gen(n);
	carp_vhid_timeout(vh, at(6 * S));
	assert_int_equal(carp_vhid_state(vh), CARP_ST_MASTER);
	assert_true(carp_node_gen(n) > g);
	g = carp_node_gen(n);
	carp_vhid_timeout(vh, at(host.timer));
	carp_vhid_timeout(vh, at(host.timer));
	assert_true(host.nsent >= 3);
	assert_true(carp_node_gen(n) == g);
	/* A send error is one. */
	host.send_err = ENOBUFS;
	carp_vhid_timeout(vh, at(host.timer));
	assert_true(carp_node_gen(n) > g);
	host.send_err = 0;
	/*
	 * So are a hold set and lifted (the /metrics cache shows who set it
	 * by this), maintenance on and off, a link and a demotion of the
	 * node.
	 */
	g = carp_node_gen(n);
	assert_int_equal(carp_vhid_demote(vh, "test", at(20 * S)), 1);
	assert_true(carp_node_gen(n) > g);
	g = carp_node_gen(n);
	assert_int_equal(carp_vhid_promote(vh, false, at(20 * S)), 1);
	assert_true(carp_node_gen(n) > g);
	g = carp_node_gen(n);
	assert_int_equal(carp_maintenance(n, true, "test", at(20 * S)), 1);
	assert_true(carp_node_gen(n) > g);
	g = carp_node_gen(n);
	assert_int_equal(carp_maintenance(n, false, NULL, at(20 * S)), 1);
	assert_true(carp_node_gen(n) > g);
	g = carp_node_gen(n);
	assert_int_equal(carp_vhid_demote(vh, "test", at(20 * S)), 1);
	assert_true(carp_node_gen(n) > g);
	g = carp_node_gen(n);
	carp_link_change(n, c.ifindex, false, at(21 * S));
	assert_true(carp_node_gen(n) > g);
	g = carp_node_gen(n);
	assert_int_equal(carp_demotion_set(n, 5, "test", at(22 * S)), 1);
	assert_true(carp_node_gen(n) > g);
	carp_node_free(n);
}

/* Every drop reason from a crafted packet, counted per node and VHID. */
static void
test_input_drops(void **state)
{
	struct carp_node_conf	 nc;
	struct carp_vhid_conf	 c, c6, wrong;
	struct carp_node	*n;
	struct carp_vhid	*vh;
	struct carp_node_info	 ni;
	struct carp_vhid_info	 vi;
	struct carp_hmac	*h;
	struct carp_rx		 rx;
	uint8_t			 pkt[CARP_HDR_LEN + 4];

	(void)state;
	vh = new_vhid(&nc, &c, &n, 1, 0);

	/* TTL below 255 on a multicast VHID. */
	assert_int_equal(peer_advert(n, &c, 1, 0, 1, 254, S),
	    CARP_DROP_BADTTL);
	/* A different password. */
	wrong = c;
	memcpy(wrong.key, "test124", 7);
	assert_int_equal(peer_advert(n, &wrong, 1, 0, 1, 255, S),
	    CARP_DROP_BADAUTH);
	/* A VHID we do not have on that interface. */
	wrong = c;
	wrong.vhid = 2;
	assert_int_equal(peer_advert(n, &wrong, 1, 0, 1, 255, S),
	    CARP_DROP_BADVHID);
	/* An interface without CARP. */
	wrong = c;
	wrong.ifindex = 3;
	assert_int_equal(peer_advert(n, &wrong, 1, 0, 1, 255, S),
	    CARP_DROP_BADIF);

	/* An IPv6 advert for a VHID without IPv6 addresses. */
	h = carp_hmac_new();
	carp_hmac_prepare(h, c.key, c.keylen, 1, c.addrs, c.naddrs);
	carp_pkt_encode(h, 1, 1, 0, 5, pkt);
	memset(&rx, 0, sizeof(rx));
	rx.data = pkt;
	rx.len = CARP_HDR_LEN;
	rx.src.family = AF_INET6;
	inet_pton(AF_INET6, "2001:db8::51", &rx.src.a.v6);
	rx.ttl = 255;
	rx.ifindex = 2;
	assert_int_equal(carp_input(n, &rx, at(S)), CARP_DROP_BADVHID);

	/* Our own packet looped back. */
	rx.src.family = AF_INET;
	inet_pton(AF_INET, "192.0.2.61", &rx.src.a.v4);
	rx.looped = true;
	assert_int_equal(carp_input(n, &rx, at(S)), CARP_DROP_BADIF);
	rx.looped = false;

	/* Short, long, bad version, bad checksum. */
	rx.len = 35;
	assert_int_equal(carp_input(n, &rx, at(S)), CARP_DROP_BADLEN);
	rx.len = CARP_HDR_LEN + 4;
	assert_int_equal(carp_input(n, &rx, at(S)), CARP_DROP_BADLEN);
	rx.len = CARP_HDR_LEN;
	pkt[10] ^= 1;
	assert_int_equal(carp_input(n, &rx, at(S)), CARP_DROP_BADSUM);
	pkt[10] ^= 1;
	pkt[0] = 0x31;
	assert_int_equal(carp_input(n, &rx, at(S)), CARP_DROP_BADVER);
	pkt[0] = 0x21;
	assert_int_equal(carp_input(n, &rx, at(S)), CARP_DROP_NONE);

	carp_node_info(n, &ni);
	carp_vhid_info(vh, &vi);
	assert_int_equal(ni.stats.badttl, 1);
	assert_int_equal(ni.stats.badauth, 1);
	assert_int_equal(ni.stats.badvhid, 2);
	assert_int_equal(ni.stats.badif, 2);
	assert_int_equal(ni.stats.badlen, 2);
	assert_int_equal(ni.stats.badsum, 1);
	assert_int_equal(ni.stats.badver, 1);
	assert_int_equal(ni.stats.ipackets, 10);
	assert_int_equal(ni.stats.ipackets6, 1);
	assert_int_equal(ni.drops[CARP_DROP_BADLEN], 2);
	assert_int_equal(vi.drops[CARP_DROP_BADTTL], 1);
	assert_int_equal(vi.drops[CARP_DROP_BADAUTH], 1);
	assert_int_equal(vi.adverts_received, 1);
	assert_int_equal(vi.state, CARP_ST_BACKUP);

	/* A unicast peer: no TTL check (FreeBSD), any hop count passes. */
	c6 = c;
	c6.peer4.family = AF_INET;
	inet_pton(AF_INET, "192.0.2.51", &c6.peer4.a.v4);
	assert_int_equal(carp_vhid_update(vh, &c6, at(2 * S)), 1);
	assert_int_equal(peer_advert(n, &c6, 1, 0, 1, 62, 2 * S),
	    CARP_DROP_NONE);

	/* net.inet.carp.allow=0: silent drop, every VHID in INIT. */
	nc.allow = false;
	carp_node_configure(n, &nc, at(3 * S));
	assert_int_equal(carp_vhid_state(vh), CARP_ST_INIT);
	assert_int_equal(peer_advert(n, &c6, 1, 0, 1, 255, 3 * S),
	    CARP_DROP_DISABLED);
	nc.allow = true;
	carp_node_configure(n, &nc, at(4 * S));
	assert_int_equal(carp_vhid_state(vh), CARP_ST_BACKUP);
	carp_node_info(n, &ni);
	assert_int_equal(ni.demotion, 0);
	carp_hmac_free(h);
	carp_node_free(n);
}

/* Dual-stack VHIDs send one advert per family; the send goes to the peer. */
static void
test_dual_stack_and_unicast(void **state)
{
	struct carp_node_conf	 nc;
	struct carp_vhid_conf	 c;
	struct carp_node	*n;
	struct carp_vhid	*vh;
	struct carp_node_info	 ni;

	(void)state;
	memset(&host, 0, sizeof(host));
	carp_node_conf_default(&nc);
	n = carp_node_new(&nc, &fake_host);
	vhid_conf(&c, 1, 0);
	c.naddrs = 2;
	c.addrs[1].family = AF_INET6;
	c.addrs[1].prefixlen = 64;
	inet_pton(AF_INET6, "2001:db8::111", &c.addrs[1].a.v6);
	vh = carp_vhid_add(n, &c, true, NULL, at(0));
	carp_vhid_timeout(vh, at(3 * S));
	assert_int_equal(host.acts, A_STATE | A_HOLD | A_SEND | A_ARP | A_NA);
	assert_int_equal(host.nsent, 2);
	carp_node_info(n, &ni);
	assert_int_equal(ni.stats.opackets, 1);
	assert_int_equal(ni.stats.opackets6, 1);
	carp_node_free(n);
}

/* Several VHIDs: sorted iteration, duplicates refused, removal. */
static void
test_vhid_set(void **state)
{
	struct carp_node_conf	 nc;
	struct carp_vhid_conf	 c;
	struct carp_node	*n;
	struct carp_vhid	*vh, *v1;
	struct carp_node_info	 ni;
	int			 i, last = -1;

	(void)state;
	memset(&host, 0, sizeof(host));
	carp_node_conf_default(&nc);
	n = carp_node_new(&nc, &fake_host);
	for (i = 255; i >= 1; i -= 7) {
		vhid_conf(&c, 1, 0);
		c.vhid = (uint8_t)i;
		assert_non_null(carp_vhid_add(n, &c, true, NULL, at(0)));
	}
	vhid_conf(&c, 1, 0);
	c.vhid = 255;
	assert_null(carp_vhid_add(n, &c, true, NULL, at(0)));
	assert_int_equal(errno, EEXIST);
	c.vhid = 0;
	assert_null(carp_vhid_add(n, &c, true, NULL, at(0)));
	assert_int_equal(errno, EINVAL);
	c.vhid = 1;
	c.advskew = 255;
	assert_null(carp_vhid_add(n, &c, true, NULL, at(0)));

	for (vh = carp_vhid_next(n, NULL); vh != NULL;
	    vh = carp_vhid_next(n, vh)) {
		struct carp_vhid_info vi;

		carp_vhid_info(vh, &vi);
		assert_true(vi.conf.vhid > last);
		last = vi.conf.vhid;
	}
	/* A link down on a VHID being removed: its demotion goes with it. */
	v1 = carp_vhid_find(n, 2, 3);
	assert_non_null(v1);
	carp_link_change(n, 2, false, at(S));
	carp_node_info(n, &ni);
	assert_int_equal(ni.demotion, 240 * (int)ni.nvhids);
	carp_vhid_remove(v1, at(2 * S));
	carp_node_info(n, &ni);
	assert_int_equal(ni.demotion, 240 * (int)ni.nvhids);
	assert_null(carp_vhid_find(n, 2, 3));
	carp_node_free(n);
}

/*
 * The addresses' lifetime: while MASTER they never lapse before the next
 * advert, whatever the timing and demotion changes, as long as the advert
 * comes within the lease (at advbase 1 an interval near 2 s plus a late
 * timer does not: that is the price of the next property); and even with
 * the kernel removing an expired address up to a second late, they never
 * outlive the last advert by 3 x advbase (a dead master's VIP is gone
 * before any backup's master-down deadline).
 */
static void
test_hold_coverage(void **state)
{
	struct carp_node_conf	 nc;
	struct carp_vhid_conf	 c;
	struct carp_node	*n;
	struct carp_vhid	*vh;
	struct carp_vhid_info	 vi;
	uint64_t		 seed = 12345, t;
	int			 base, skew, i, nholds = 0, nadv = 0;

	(void)state;
	for (base = 1; base <= 3; base++) {
		for (skew = 0; skew <= 254; skew += 50) {
			memset(&host, 0, sizeof(host));
			carp_node_conf_default(&nc);
			n = carp_node_new(&nc, &fake_host);
			vhid_conf(&c, (uint8_t)base, (uint8_t)skew);
			vh = carp_vhid_add(n, &c, true, NULL, at(0));
			host.now = 3 * S * (uint64_t)base + SKEW(skew);
			carp_vhid_timeout(vh, at(host.now));
			assert_int_equal(carp_vhid_state(vh), CARP_ST_MASTER);
			for (i = 0; i < 400; i++) {
				carp_vhid_info(vh, &vi);
				t = vi.timer_at_us;
				/* Sometimes a demotion change comes first. */
				seed = seed * 6364136223846793005ULL + 1;
				if ((seed >> 33) % 7 == 0) {
					host.now += ((seed >> 20) % 1000) * 1000;
					if (host.now < t) {
						carp_demotion_set(n,
						    (int)((seed >> 40) % 300),
						    "x", at(host.now));
						carp_vhid_info(vh, &vi);
						t = vi.timer_at_us;
					}
				}
				/* Timers fire late, by up to 100 ms. */
				seed = seed * 6364136223846793005ULL + 1;
				t += (seed >> 40) % 100000;
				if (host.hold_expiry <= t && t - host.last_send <
				    (uint64_t)CARP_HOLD_S(base) * S)
					fail_msg("advbase %d skew %d: hold "
					    "lapses at %llu before the advert "
					    "at %llu", base, skew,
					    (unsigned long long)host.hold_expiry,
					    (unsigned long long)t);
				host.now = t;
				host.acts = 0;
				carp_vhid_timeout(vh, at(t));
				nadv++;
				if (host.acts & A_HOLD)
					nholds++;
				/* The kernel's rounding: under a second. */
				assert_true(host.hold_expiry + S <=
				    host.last_send + 3 * S * (uint64_t)base);
			}
			carp_node_free(n);
		}
	}
	/* Renewed with every advert. */
	assert_int_equal(nholds, nadv);
}

/*
 * Moving the next advert forward: only a MASTER, only earlier than it was
 * due and later than now, only at the interval given; nothing is sent,
 * and once it has gone the next one is a whole interval later.
 */
static void
test_advertise_at(void **state)
{
	struct carp_node_conf	 nc;
	struct carp_vhid_conf	 c;
	struct carp_node	*n;
	struct carp_vhid	*vh;

	(void)state;
	vh = new_vhid(&nc, &c, &n, 1, 0);
	/* BACKUP: its deadline is the take-over, never moved. */
	assert_int_equal(carp_vhid_advertise_at(vh, at(S), 2 * S, S), 0);
	assert_true(host.timer == 3 * S);
	carp_vhid_timeout(vh, at(3 * S));
	assert_int_equal(carp_vhid_state(vh), CARP_ST_MASTER);
	assert_true(host.timer == 4 * S);
	host.nsent = 0;
	/* Later than due, equal, in the past, at another interval: no. */
	assert_int_equal(carp_vhid_advertise_at(vh, at(3 * S + 1000),
	    4 * S + 1, S), 0);
	assert_int_equal(carp_vhid_advertise_at(vh, at(3 * S + 1000),
	    4 * S, S), 0);
	assert_int_equal(carp_vhid_advertise_at(vh, at(3 * S + 1000),
	    3 * S + 1000, S), 0);
	assert_int_equal(carp_vhid_advertise_at(vh, at(3 * S + 1000),
	    4 * S - 30000, S + SKEW(1)), 0);
	assert_true(host.timer == 4 * S);
	/* Earlier, in the future, at its interval: re-armed, nothing sent. */
	assert_int_equal(carp_vhid_advertise_at(vh, at(3 * S + 1000),
	    4 * S - 30000, S), 1);
	assert_true(host.timer == 4 * S - 30000);
	assert_int_equal(host.nsent, 0);
	/* It goes then, and the next is a whole interval after it. */
	carp_vhid_timeout(vh, at(4 * S - 30000));
	assert_int_equal(host.nsent, 1);
	assert_true(host.timer == 5 * S - 30000);
	carp_node_free(n);
}

/*
 * Early adverts: a MASTER due within the window, at the interval given,
 * sends now and its next advert is a whole interval from now; outside the
 * window, at another interval, or as BACKUP (whose deadline is the
 * take-over), nothing happens.
 */
static void
test_advertise_early(void **state)
{
	struct carp_node_conf	 nc;
	struct carp_vhid_conf	 c;
	struct carp_node	*n;
	struct carp_vhid	*vh;

	(void)state;
	vh = new_vhid(&nc, &c, &n, 1, 0);
	/* BACKUP, master-down at 3 s: never early, however wide. */
	assert_int_equal(carp_vhid_advertise_early(vh, at(2 * S), 2 * S, S), 0);
	assert_int_equal(carp_vhid_state(vh), CARP_ST_BACKUP);
	assert_int_equal(host.nsent, 0);
	carp_vhid_timeout(vh, at(3 * S));
	assert_int_equal(carp_vhid_state(vh), CARP_ST_MASTER);
	assert_true(host.timer == 4 * S);
	host.nsent = 0;
	/* 20 ms before the deadline, with a 10 ms window: not yet. */
	assert_int_equal(carp_vhid_advertise_early(vh, at(4 * S - 20000),
	    10000, S), 0);
	assert_int_equal(host.nsent, 0);
	assert_true(host.timer == 4 * S);
	/* 8 ms before it, at another interval: no. */
	assert_true(carp_vhid_interval(vh) == S);
	assert_int_equal(carp_vhid_advertise_early(vh, at(4 * S - 8000),
	    10000, S + SKEW(1)), 0);
	assert_int_equal(host.nsent, 0);
	/* At its own: now, and the next one a second later. */
	assert_int_equal(carp_vhid_advertise_early(vh, at(4 * S - 8000),
	    10000, S), 1);
	assert_int_equal(host.nsent, 1);
	assert_true(host.timer == 5 * S - 8000);
	/* Just sent: the next is a second away. */
	assert_int_equal(carp_vhid_advertise_early(vh, at(4 * S - 7000),
	    10000, S), 0);
	assert_int_equal(host.nsent, 1);
	carp_node_free(n);
}

/*
 * A host that queues its sends: nothing is counted until carp_send_done();
 * three queued failures in a row demote, three good ones lift it.
 */
static void
test_send_queued(void **state)
{
	struct carp_node_conf	 nc;
	struct carp_vhid_conf	 c;
	struct carp_node	*n;
	struct carp_vhid	*vh;
	struct carp_vhid_info	 vi;
	struct carp_node_info	 ni;
	int			 i;

	(void)state;
	vh = new_vhid(&nc, &c, &n, 1, 0);
	host.send_err = CARP_SEND_QUEUED;
	carp_vhid_timeout(vh, at(3 * S));
	assert_int_equal(carp_vhid_state(vh), CARP_ST_MASTER);
	assert_int_equal(host.nsent, 1);
	carp_vhid_info(vh, &vi);
	assert_true(vi.adverts_sent == 0);
	carp_send_done(vh, AF_INET, 0);
	carp_vhid_info(vh, &vi);
	assert_true(vi.adverts_sent == 1);
	carp_node_info(n, &ni);
	assert_true(ni.stats.opackets == 1);

	for (i = 0; i < 3; i++) {
		host.nsent = 0;
		carp_vhid_timeout(vh, at(host.timer));
		assert_int_equal(host.nsent, 1);
		carp_node_info(n, &ni);
		assert_int_equal(ni.demotion, 0);	/* not yet known */
		host.acts = 0;
		carp_send_done(vh, AF_INET, ENOBUFS);
	}
	carp_node_info(n, &ni);
	assert_int_equal(ni.demotion, nc.senderr_factor);
	assert_true(ni.stats.onomem == 3);
	assert_true(host.acts & A_DEMOTION);
	carp_vhid_info(vh, &vi);
	assert_true(vi.send_errors == 3);
	assert_true(vi.adverts_sent == 1);
	for (i = 0; i < 3; i++) {
		carp_node_info(n, &ni);
		assert_int_equal(ni.demotion, nc.senderr_factor);
		host.nsent = 0;
		carp_vhid_timeout(vh, at(host.timer));
		assert_int_equal(host.nsent, 1);
		carp_send_done(vh, AF_INET, 0);
	}
	carp_node_info(n, &ni);
	assert_int_equal(ni.demotion, 0);
	carp_node_free(n);
}

/* Feed a valid advert of one family (1 + 100/256 s) for VHID c. */
static void
family_advert(struct carp_node *n, const struct carp_vhid_conf *c, int af,
    uint64_t now)
{
	struct carp_hmac	*h = carp_hmac_new();
	uint8_t			 pkt[CARP_HDR_LEN];
	struct carp_rx		 rx;

	carp_hmac_prepare(h, c->key, c->keylen, c->vhid, c->addrs, c->naddrs);
	carp_pkt_encode(h, c->vhid, 1, 100, 77, pkt);
	carp_hmac_free(h);
	memset(&rx, 0, sizeof(rx));
	rx.data = pkt;
	rx.len = sizeof(pkt);
	rx.src.family = rx.dst.family = (sa_family_t)af;
	if (af == AF_INET) {
		inet_pton(AF_INET, "192.0.2.51", &rx.src.a.v4);
		inet_pton(AF_INET, "224.0.0.18", &rx.dst.a.v4);
	} else {
		inet_pton(AF_INET6, "fe80::51", &rx.src.a.v6);
		inet_pton(AF_INET6, "ff02::12", &rx.dst.a.v6);
	}
	rx.ttl = 255;
	rx.ifindex = c->ifindex;
	assert_int_equal(carp_input(n, &rx, at(now)), CARP_DROP_NONE);
}

/*
 * Per-family master-down timers (FreeBSD's sc_md_tmo, sc_md6_tmo): on a
 * dual-stack VHID an IPv4 advert resets only the IPv4 deadline.  When
 * one family falls silent, its deadline makes the backup MASTER, though
 * the other family's adverts still arrive; the host still sees one timer,
 * at the earlier deadline.
 */
static void
test_md_per_family(void **state)
{
	struct carp_node_conf	 nc;
	struct carp_vhid_conf	 c;
	struct carp_node	*n;
	struct carp_vhid	*vh;
	struct carp_vhid_info	 vi;
	int			 silent, talks;
	uint64_t		 t;

	(void)state;
	for (silent = 0; silent < 2; silent++) {
		talks = silent ? AF_INET : AF_INET6;
		vh = new_vhid(&nc, &c, &n, 1, 0);
		carp_vhid_remove(vh, at(0));
		c.naddrs = 2;
		c.addrs[1].family = AF_INET6;
		c.addrs[1].prefixlen = 64;
		inet_pton(AF_INET6, "2001:db8::111", &c.addrs[1].a.v6);
		assert_non_null(vh = carp_vhid_add(n, &c, true, NULL, at(0)));
		assert_int_equal(host.timer, 3 * S);
		/* Both families at 1 s: both deadlines at 4 s. */
		family_advert(n, &c, AF_INET, 1 * S);
		family_advert(n, &c, AF_INET6, 1 * S);
		assert_int_equal(host.timer, 4 * S);
		/* Then only one family: the host timer stays at 4 s. */
		for (t = 2 * S; t < 4 * S; t += S / 2) {
			family_advert(n, &c, talks, t);
			carp_vhid_info(vh, &vi);
			assert_int_equal(vi.state, CARP_ST_BACKUP);
			assert_int_equal(vi.timer_at_us, 4 * S);
			assert_int_equal(host.timer, 4 * S);
		}
		carp_vhid_timeout(vh, at(4 * S));
		carp_vhid_info(vh, &vi);
		assert_int_equal(vi.state, CARP_ST_MASTER);
		assert_int_equal(vi.last_reason, CARP_RS_MASTER_TIMED_OUT);
		carp_node_free(n);
	}

	/* Back in BACKUP, both deadlines start again from the step-down. */
	vh = new_vhid(&nc, &c, &n, 1, 0);
	for (t = 1 * S; t <= 20 * S; t += S) {
		family_advert(n, &c, AF_INET, t);
		assert_int_equal(host.timer, t + 3 * S);
	}
	assert_int_equal(carp_vhid_state(vh), CARP_ST_BACKUP);
	carp_node_free(n);
}

/*
 * Any demotion change makes every MASTER advertise at once, the
 * send-error one included: VHID 1's third failed send makes VHID 2 send
 * out of its schedule, on the demoted interval; with a host that queues
 * its sends, carp_send_done() reporting the third failure does the same.
 */
static void
test_senderr_sendall(void **state)
{
	struct carp_node_conf	 nc;
	struct carp_vhid_conf	 c, c2;
	struct carp_node	*n;
	struct carp_vhid	*v1, *v2;
	struct carp_vhid_info	 vi;
	int			 queued, i;

	(void)state;
	for (queued = 0; queued < 2; queued++) {
		v1 = new_vhid(&nc, &c, &n, 1, 0);
		c2 = c;
		c2.vhid = 2;
		inet_pton(AF_INET, "192.0.2.112", &c2.addrs[0].a.v4);
		assert_non_null(v2 = carp_vhid_add(n, &c2, true, NULL,
		    at(0)));
		carp_vhid_timeout(v1, at(3 * S));
		carp_vhid_timeout(v2, at(3 * S));
		assert_int_equal(carp_vhid_state(v1), CARP_ST_MASTER);
		assert_int_equal(carp_vhid_state(v2), CARP_ST_MASTER);
		host.send_err = queued ? CARP_SEND_QUEUED : ENOBUFS;
		for (i = 0; i < 3; i++) {
			host.sent_by[2] = 0;
			carp_vhid_timeout(v1, at((uint64_t)(4 + i) * S));
			if (queued)
				carp_send_done(v1, AF_INET, ENOBUFS);
			/* VHID 2 advertises only with the demotion. */
			assert_int_equal(host.sent_by[2], i == 2 ? 1 : 0);
		}
		carp_vhid_info(v2, &vi);
		assert_int_equal(vi.eff_advskew, 240);
		assert_int_equal(vi.timer_at_us, 7 * S + SKEW(240));
		carp_node_free(n);
	}
}

/*
 * FreeBSD 14 counting on a dual-stack VHID whose IPv6 adverts fail while
 * the IPv4 ones go out: never three good sends in a row, so the third
 * IPv6 error demotes.
 */
static void
test_senderr_dual_stack(void **state)
{
	struct carp_node_conf	 nc;
	struct carp_vhid_conf	 c;
	struct carp_node	*n;
	struct carp_vhid	*vh;
	struct carp_node_info	 ni;
	int			 i;

	(void)state;
	vh = new_vhid(&nc, &c, &n, 1, 0);
	carp_vhid_remove(vh, at(0));
	c.naddrs = 2;
	c.addrs[1].family = AF_INET6;
	c.addrs[1].prefixlen = 64;
	inet_pton(AF_INET6, "2001:db8::111", &c.addrs[1].a.v6);
	assert_non_null(vh = carp_vhid_add(n, &c, true, NULL, at(0)));
	host.send_err6 = ENETUNREACH;
	carp_vhid_timeout(vh, at(3 * S));	/* take-over: error 1 */
	for (i = 0; i < 2; i++) {
		carp_node_info(n, &ni);
		assert_int_equal(ni.demotion, 0);
		carp_vhid_timeout(vh, at(host.timer));	/* errors 2, 3 */
	}
	carp_node_info(n, &ni);
	assert_int_equal(ni.demotion, nc.senderr_factor);
	carp_node_free(n);
}

/*
 * Send errors before the link-down event (the carrier is reported later
 * than the sends fail): the interface-down demotion replaces the
 * send-error one, and the link's return lifts it all, so the node can
 * preempt again.
 */
static void
test_senderr_then_ifdown(void **state)
{
	struct carp_node_conf	 nc;
	struct carp_vhid_conf	 c;
	struct carp_node	*n;
	struct carp_vhid	*vh;
	struct carp_node_info	 ni;
	int			 i;

	(void)state;
	vh = new_vhid(&nc, &c, &n, 1, 0);
	carp_vhid_timeout(vh, at(3 * S));
	assert_int_equal(carp_vhid_state(vh), CARP_ST_MASTER);
	host.send_err = ENETDOWN;
	for (i = 0; i < 3; i++)
		carp_vhid_timeout(vh, at(host.timer));
	carp_node_info(n, &ni);
	assert_int_equal(ni.demotion, nc.senderr_factor);
	host.send_err = 0;
	carp_link_change(n, c.ifindex, false, at(host.timer));
	carp_node_info(n, &ni);
	assert_int_equal(ni.demotion, nc.ifdown_factor);
	carp_link_change(n, c.ifindex, true, at(host.timer + S));
	carp_node_info(n, &ni);
	assert_int_equal(ni.demotion, 0);
	carp_node_free(n);
}

/* The control path's accessors agree with carp_vhid_info. */
static void
test_accessors(void **state)
{
	struct carp_node_conf	 nc;
	struct carp_vhid_conf	 c;
	struct carp_vhid_info	 vi;
	struct carp_node	*n;
	struct carp_vhid	*vh;

	(void)state;
	vh = new_vhid(&nc, &c, &n, 1, 0);
	assert_int_equal(carp_vhid_id(vh), 1);
	assert_string_equal(carp_vhid_ifname(vh), "eth0");
	assert_false(carp_vhid_admin_demoted(vh));
	assert_int_equal(carp_vhid_demote(vh, "test", at(S)), 1);
	assert_true(carp_vhid_admin_demoted(vh));
	assert_int_equal(carp_vhid_auto_demotion(vh, CARP_AUTO_IFDOWN), 0);
	carp_link_change(n, c.ifindex, false, at(2 * S));
	carp_vhid_info(vh, &vi);
	assert_int_not_equal(vi.ifdown_applied, 0);
	assert_int_equal(carp_vhid_auto_demotion(vh, CARP_AUTO_IFDOWN),
	    vi.ifdown_applied);
	assert_int_equal(carp_vhid_auto_demotion(vh, CARP_AUTO_SENDERR),
	    vi.senderr_applied);
	carp_link_change(n, c.ifindex, true, at(3 * S));
	assert_int_equal(carp_vhid_auto_demotion(vh, CARP_AUTO_IFDOWN), 0);
	assert_int_equal(carp_vhid_promote(vh, false, at(4 * S)), 1);
	assert_false(carp_vhid_admin_demoted(vh));
	carp_node_free(n);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_scenarios),
		cmocka_unit_test(test_hold_coverage),
		cmocka_unit_test(test_action_order),
		cmocka_unit_test(test_state_event_complete),
		cmocka_unit_test(test_gen),
		cmocka_unit_test(test_advert_bytes),
		cmocka_unit_test(test_input_drops),
		cmocka_unit_test(test_dual_stack_and_unicast),
		cmocka_unit_test(test_vhid_set),
		cmocka_unit_test(test_accessors),
		cmocka_unit_test(test_advertise_at),
		cmocka_unit_test(test_advertise_early),
		cmocka_unit_test(test_send_queued),
		cmocka_unit_test(test_md_per_family),
		cmocka_unit_test(test_senderr_sendall),
		cmocka_unit_test(test_senderr_dual_stack),
		cmocka_unit_test(test_senderr_then_ifdown),
	};

	return cmocka_run_group_tests_name("carp_fsm", tests, NULL, NULL);
}
