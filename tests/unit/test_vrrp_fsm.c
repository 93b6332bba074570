/*
 * test_vrrp_fsm.c: the VRRPv3 state machine (carp_fsm.c in VRRP mode,
 * docs/protocol.md, decision 18) on a fake clock: RFC 5798's timing to
 * the microsecond, interval adoption, the owner, priority 0, preemption,
 * the address tie-break, the demotion mapping, shutdown, the receive
 * checks and vrrp_pkt_finalize().
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

#define MS	1000ULL
#define T0	(1000 * 1000000ULL)	/* the fake monotonic clock's start */

/* What the fake host saw. */
static struct {
	int		 nsend;
	int		 nbowout;
	uint8_t		 pkt[VRRP_PKT_MAX];	/* the last advert, finalised */
	size_t		 len;
	struct carp_addr dst;
	uint64_t	 timer;
	int		 nstate;
	struct carp_action last_state;
	int		 nrelease;
	int		 nhold;
	uint32_t	 lifetime;
} host;

/* Our own primary address, the source the fake host sends from. */
static struct carp_addr	 me4;
/* Our link-local address, the IPv6 adverts' source (all zero but fe80). */
static struct carp_addr	 me6 = { .family = AF_INET6,
			    .a.v6.s6_addr = { 0xfe, 0x80 } };

static int
fake_emit(void *arg, const struct carp_action *a)
{
	(void)arg;
	switch (a->type) {
	case CARP_ACT_SEND:
		assert_true(a->a.send.vrrp);
		assert_true(a->a.send.len <= sizeof(host.pkt));
		memcpy(host.pkt, a->a.send.data, a->a.send.len);
		host.len = a->a.send.len;
		host.dst = a->a.send.dst;
		assert_int_equal(vrrp_pkt_finalize(host.pkt, host.len,
		    a->a.send.dst.family == AF_INET6 ? &me6 : &me4,
		    &a->a.send.dst), 0);
		host.nsend++;
		host.nbowout += a->a.send.bowout;
		break;
	case CARP_ACT_TIMER:
		host.timer = a->a.timer.at_us;
		break;
	case CARP_ACT_STATE:
		host.nstate++;
		host.last_state = *a;
		break;
	case CARP_ACT_RELEASE:
		host.nrelease++;
		break;
	case CARP_ACT_HOLD:
		host.nhold++;
		host.lifetime = a->a.hold.lifetime_s;
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
	return 7;
}

static const struct carp_host fake_host = { fake_emit, fake_random, NULL };

static struct carp_time
at(uint64_t us)
{
	struct carp_time t = { T0 + us, (int64_t)(T0 + us) };

	return t;
}

static void
addr4(struct carp_addr *a, const char *s)
{
	memset(a, 0, sizeof(*a));
	a->family = AF_INET;
	a->prefixlen = 32;
	assert_int_equal(inet_pton(AF_INET, s, &a->a.v4), 1);
}

/* VRID 1 on ifindex 2, 192.0.2.111, VRRPv3. */
static void
vrrp_conf(struct carp_vhid_conf *c, uint8_t prio, uint16_t interval)
{
	memset(c, 0, sizeof(*c));
	c->vhid = 1;
	c->ifindex = 2;
	strcpy(c->ifname, "eth0");
	c->proto = CARP_PROTO_VRRP3;
	c->vrrp_prio = prio;
	c->vrrp_interval = interval;
	c->naddrs = 1;
	addr4(&c->addrs[0], "192.0.2.111");
	c->addrs[0].prefixlen = 24;
}

static struct carp_node	*node;
static struct carp_vhid	*vh;

/* A fresh host, a node (preempt as given) and the VHID, at time 0. */
static void
setup_vhid(bool preempt, uint8_t prio, uint16_t interval)
{
	struct carp_node_conf	 nc;
	struct carp_vhid_conf	 c;

	memset(&host, 0, sizeof(host));
	addr4(&me4, "192.0.2.50");
	carp_node_conf_default(&nc);
	nc.preempt = preempt;
	assert_non_null(node = carp_node_new(&nc, &fake_host));
	vrrp_conf(&c, prio, interval);
	assert_non_null(vh = carp_vhid_add(node, &c, true, NULL, at(0)));
}

static int
teardown(void **state)
{
	(void)state;
	carp_node_free(node);
	node = NULL;
	vh = NULL;
	return 0;
}

/* A peer's advert from src (local: our address, NULL unknown). */
static enum carp_drop
peer_rx(const char *src, const char *local, uint8_t vrid, uint8_t prio,
    uint16_t interval, uint8_t ttl, uint64_t now)
{
	struct carp_rx		 rx;
	struct carp_addr	 vip;
	uint8_t			 pkt[64];
	size_t			 len;

	memset(&rx, 0, sizeof(rx));
	addr4(&rx.src, src);
	addr4(&rx.dst, "224.0.0.18");
	if (local != NULL)
		addr4(&rx.local, local);
	addr4(&vip, "192.0.2.111");
	len = vrrp_pkt_encode(&rx.src, &rx.dst, vrid, prio, interval, &vip,
	    1, pkt, sizeof(pkt));
	assert_true(len == 12);
	rx.data = pkt;
	rx.len = len;
	rx.ttl = ttl;
	rx.ifindex = 2;
	return carp_input_vrrp(node, &rx, at(now));
}

static enum carp_drop
peer(uint8_t prio, uint16_t interval, uint64_t now)
{
	return peer_rx("192.0.2.51", "192.0.2.50", 1, prio, interval, 255,
	    now);
}

/* Fire the VHID's timer at its deadline; returns that time (us from 0). */
static uint64_t
fire(void)
{
	uint64_t	 t = host.timer - T0;

	assert_true(host.timer != 0);
	carp_vhid_timeout(vh, at(t));
	return t;
}

static void
assert_state(enum carp_state st, enum carp_reason rs)
{
	assert_int_equal(carp_vhid_state(vh), st);
	assert_int_equal(host.last_state.a.state.to, st);
	assert_int_equal(host.last_state.a.state.reason, rs);
}

/* RFC 5798 6.1 in microseconds, truncated. */
static void
test_timing_values(void **state)
{
	(void)state;
	/* 1 cs, priority 100: skew 156 x 10000 / 256 = 6093.75 us. */
	assert_int_equal(carp_vrrp_skew_us(100, 1), 6093);
	assert_int_equal(carp_vrrp_md_us(100, 1), 36093);
	assert_int_equal(carp_vrrp_skew_us(255, 1), 39);	/* 39.0625 */
	assert_int_equal(carp_vrrp_md_us(255, 1), 30039);
	assert_int_equal(carp_vrrp_skew_us(1, 1), 9960);	/* 9960.9375 */
	assert_int_equal(carp_vrrp_md_us(1, 1), 39960);
	assert_int_equal(carp_vrrp_skew_us(254, 10), 781);	/* 781.25 */
	assert_int_equal(carp_vrrp_md_us(200, 1), 32187);	/* 2187.5 */
	assert_int_equal(carp_vrrp_skew_us(100, 100), 609375);
	assert_int_equal(carp_vrrp_md_us(100, 100), 3609375);
	assert_int_equal(carp_vrrp_md_us(200, 4095), 131807812);
}

/* A new backup arms Master_Down_Interval from its own interval. */
static void
test_backup_start(void **state)
{
	(void)state;
	setup_vhid(false, 100, 1);
	assert_state(CARP_ST_BACKUP, CARP_RS_INIT_COMPLETE);
	assert_int_equal(host.timer, T0 + 36093);
	assert_int_equal(host.nsend, 0);
	/* No advert: MASTER exactly at the deadline. */
	assert_int_equal(fire(), 36093);
	assert_state(CARP_ST_MASTER, CARP_RS_MASTER_TIMED_OUT);
	assert_int_equal(host.nsend, 1);
	assert_int_equal(host.pkt[0], 0x31);
	assert_int_equal(host.pkt[2], 100);
	assert_int_equal(host.pkt[5], 1);
	/* Adverts every 10 ms, each checksum good for our source. */
	assert_int_equal(host.timer, T0 + 36093 + 10 * MS);
	assert_int_equal(vrrp_cksum(&me4, &host.dst, host.pkt, host.len), 0);
	fire();
	assert_int_equal(host.nsend, 2);
	assert_int_equal(host.timer, T0 + 36093 + 20 * MS);
	assert_int_equal(host.lifetime, 1);
}

/*
 * The host reads its sockets 80 ms after adding the VHID: the first
 * Master_Down_Interval counts from then (carp_vhid_listening), and an
 * advert heard within it keeps the VHID BACKUP.  A MASTER is left alone.
 */
static void
test_listening(void **state)
{
	(void)state;
	setup_vhid(false, 100, 1);
	assert_int_equal(host.timer, T0 + 36093);
	carp_vhid_listening(vh, at(80 * MS));
	assert_int_equal(carp_vhid_state(vh), CARP_ST_BACKUP);
	assert_int_equal(host.timer, T0 + 80 * MS + 36093);
	/* The first deadline passes without a take-over. */
	carp_vhid_timeout(vh, at(36093));
	assert_int_equal(carp_vhid_state(vh), CARP_ST_BACKUP);
	assert_int_equal(host.timer, T0 + 80 * MS + 36093);
	assert_int_equal(peer(150, 1, 90 * MS), CARP_DROP_NONE);
	assert_int_equal(host.timer, T0 + 90 * MS + 36093);
	assert_int_equal(host.nsend, 0);
	/* No master: it takes over one interval after its last advert. */
	assert_int_equal(fire(), 90 * MS + 36093);
	assert_state(CARP_ST_MASTER, CARP_RS_MASTER_TIMED_OUT);
	carp_vhid_listening(vh, at(200 * MS));
	assert_int_equal(carp_vhid_state(vh), CARP_ST_MASTER);
	assert_int_equal(host.timer, T0 + 90 * MS + 36093 + 10 * MS);
}

/* The lease: 3 x interval - 1 s, whole seconds, at least 1 s. */
static void
test_lease(void **state)
{
	static const struct { uint16_t cs; uint32_t s; } v[] = {
		{ 1, 1 }, { 33, 1 }, { 34, 1 }, { 66, 1 }, { 99, 1 }, { 100, 2 },
		{ 150, 3 }, { 4095, 121 },
	};
	size_t	 i;

	(void)state;
	for (i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		setup_vhid(false, 255, v[i].cs);
		assert_int_equal(host.nhold, 1);
		assert_int_equal(host.lifetime, v[i].s);
		/* It ends before the best backup's master-down. */
		assert_true(v[i].cs < 34 ||
		    v[i].s * 1000000ULL < carp_vrrp_md_us(254, v[i].cs));
		carp_node_free(node);
		node = NULL;
	}
}

/* The backup takes the master's interval from its adverts. */
static void
test_interval_adoption(void **state)
{
	struct carp_vhid_info	 vi;

	(void)state;
	setup_vhid(false, 100, 1);
	assert_int_equal(peer(200, 50, 1000), CARP_DROP_NONE);
	/* 3 x 500 ms + 156 x 500 ms / 256 (304687.5). */
	assert_int_equal(host.timer, T0 + 1000 + 1500000 + 304687);
	carp_vhid_info(vh, &vi);
	assert_int_equal(vi.master_interval, 50);
	assert_int_equal(vi.eff_prio, 100);
	assert_int_equal(vi.master.a.v4.s_addr, htonl(0xc0000233));
	/* A MASTER stepping down adopts it too. */
	assert_int_equal(peer(200, 7, 2000), CARP_DROP_NONE);
	assert_int_equal(host.timer, T0 + 2000 + carp_vrrp_md_us(100, 7));
	assert_int_equal(carp_vhid_state(vh), CARP_ST_BACKUP);
	fire();
	assert_int_equal(carp_vhid_state(vh), CARP_ST_MASTER);
	/* Our own interval on the wire, whatever we adopted. */
	assert_int_equal(host.pkt[5], 1);
	assert_int_equal(peer(201, 20, 100000), CARP_DROP_NONE);
	assert_state(CARP_ST_BACKUP, CARP_RS_MORE_FREQUENT);
	assert_int_equal(host.timer, T0 + 100000 + carp_vrrp_md_us(100, 20));
}

/* Priority 255 is MASTER at once and ignores every advert. */
static void
test_owner(void **state)
{
	(void)state;
	setup_vhid(false, 255, 1);
	assert_state(CARP_ST_MASTER, CARP_RS_INIT_COMPLETE);
	assert_int_equal(host.last_state.a.state.from, CARP_ST_INIT);
	assert_int_equal(host.nstate, 1);
	assert_int_equal(host.nsend, 1);
	assert_int_equal(host.pkt[2], 255);
	assert_int_equal(host.timer, T0 + 10 * MS);
	assert_int_equal(peer(254, 1, 5000), CARP_DROP_NONE);
	assert_int_equal(peer(255, 1, 6000), CARP_DROP_NONE);
	assert_int_equal(carp_vhid_state(vh), CARP_ST_MASTER);
	assert_int_equal(host.nstate, 1);
	/* Demotion never touches the owner. */
	carp_demotion_set(node, 240, "test", at(7000));
	assert_int_equal(host.pkt[2], 255);
}

/* Priority 0 from the master: take over after Skew_Time. */
static void
test_prio_zero(void **state)
{
	(void)state;
	setup_vhid(false, 100, 1);
	peer(200, 1, 5000);
	assert_int_equal(host.timer, T0 + 5000 + 36093);
	assert_int_equal(peer(0, 1, 10000), CARP_DROP_NONE);
	assert_int_equal(host.timer, T0 + 10000 + 6093);
	assert_int_equal(carp_vhid_state(vh), CARP_ST_BACKUP);
	assert_int_equal(fire(), 16093);
	assert_state(CARP_ST_MASTER, CARP_RS_MASTER_WILL_TIME_OUT);
	/* A MASTER answers priority 0 with an advert at once. */
	host.nsend = 0;
	peer(0, 1, 20000);
	assert_int_equal(host.nsend, 1);
	assert_int_equal(host.timer, T0 + 20000 + 10 * MS);
	assert_int_equal(carp_vhid_state(vh), CARP_ST_MASTER);
}

/* Preempt off: a higher priority backup leaves a live master alone. */
static void
test_preempt_off(void **state)
{
	uint64_t	 t;

	(void)state;
	setup_vhid(false, 200, 1);
	for (t = 1000; t < 1000000; t += 10 * MS) {
		assert_int_equal(peer(100, 1, t), CARP_DROP_NONE);
		/* Accepted: the timer restarts from each advert. */
		assert_int_equal(host.timer, T0 + t + 32187);
	}
	assert_int_equal(carp_vhid_state(vh), CARP_ST_BACKUP);
	assert_int_equal(host.nsend, 0);
	assert_int_equal(host.nstate, 1);
}

/* Preempt on: lower adverts are discarded; the timer's end preempts. */
static void
test_preempt_on(void **state)
{
	uint64_t	 t;

	(void)state;
	setup_vhid(true, 200, 1);
	for (t = 1000; t < 32187; t += 10 * MS) {
		peer(100, 1, t);
		assert_int_equal(host.timer, T0 + 32187);
	}
	assert_int_equal(fire(), 32187);
	assert_state(CARP_ST_MASTER, CARP_RS_PREEMPT);
	assert_int_equal(host.pkt[2], 200);
	carp_node_free(node);
	/* A higher or equal priority restarts the timer even with preempt. */
	setup_vhid(true, 200, 1);
	peer(200, 1, 1000);
	assert_int_equal(host.timer, T0 + 1000 + 32187);
	peer(100, 1, 2000);
	assert_int_equal(host.timer, T0 + 1000 + 32187);
	fire();
	assert_state(CARP_ST_MASTER, CARP_RS_PREEMPT);
	carp_node_free(node);
	/* An advert accepted after a discarded one: a plain timeout. */
	setup_vhid(true, 200, 1);
	peer(100, 1, 1000);
	peer(201, 1, 2000);
	fire();
	assert_state(CARP_ST_MASTER, CARP_RS_MASTER_TIMED_OUT);
}

/* Equal priority: the higher primary address wins (RFC 5798 6.4.3). */
static void
test_tie_break(void **state)
{
	(void)state;
	setup_vhid(false, 100, 1);
	fire();
	assert_int_equal(carp_vhid_state(vh), CARP_ST_MASTER);
	/* Sender 192.0.2.51 below us (192.0.2.60): we stay. */
	peer_rx("192.0.2.51", "192.0.2.60", 1, 100, 1, 255, 40000);
	assert_int_equal(carp_vhid_state(vh), CARP_ST_MASTER);
	/* Our address unknown: we stay too (FreeBSD keeps both). */
	peer_rx("192.0.2.51", NULL, 1, 100, 1, 255, 41000);
	assert_int_equal(carp_vhid_state(vh), CARP_ST_MASTER);
	/* Sender above us (192.0.2.50): we step down. */
	peer_rx("192.0.2.51", "192.0.2.50", 1, 100, 1, 255, 42000);
	assert_state(CARP_ST_BACKUP, CARP_RS_MORE_FREQUENT);
	assert_int_equal(host.timer, T0 + 42000 + 36093);
	assert_int_equal(host.nrelease, 1);
}

/* The demotion lowers the priority: 255 kept, others clamped 1..254. */
static void
test_demotion_mapping(void **state)
{
	struct carp_vhid_info	 vi;

	(void)state;
	assert_int_equal(carp_vrrp_prio(100, 0), 100);
	assert_int_equal(carp_vrrp_prio(100, 30), 70);
	assert_int_equal(carp_vrrp_prio(100, 99), 1);
	assert_int_equal(carp_vrrp_prio(100, 240), 1);
	assert_int_equal(carp_vrrp_prio(100, -500), 254);
	assert_int_equal(carp_vrrp_prio(254, -1), 254);
	assert_int_equal(carp_vrrp_prio(255, 240), 255);
	assert_int_equal(carp_vrrp_prio(255, -5), 255);

	setup_vhid(false, 100, 1);
	fire();
	host.nsend = 0;
	/* A demotion makes the MASTER advertise its new priority now. */
	assert_int_equal(carp_demotion_set(node, 30, "test", at(40000)), 1);
	assert_int_equal(host.nsend, 1);
	assert_int_equal(host.pkt[2], 70);
	carp_vhid_info(vh, &vi);
	assert_int_equal(vi.eff_prio, 70);
	/* And it compares with it: 80 now wins. */
	peer(80, 1, 41000);
	assert_state(CARP_ST_BACKUP, CARP_RS_MORE_FREQUENT);
	/* The skew stays the configured priority's, as FreeBSD's. */
	assert_int_equal(host.timer, T0 + 41000 + carp_vrrp_md_us(100, 1));
	/* An interface going down demotes by 240: priority 1. */
	carp_demotion_set(node, 240, "test", at(42000));
	carp_vhid_info(vh, &vi);
	assert_int_equal(vi.eff_prio, 1);
}

/* Shutdown and hand-over send priority 0 before letting go. */
static void
test_shutdown_prio0(void **state)
{
	(void)state;
	setup_vhid(false, 100, 1);
	fire();
	host.nsend = 0;
	carp_shutdown(node, at(50000));
	assert_int_equal(host.nsend, 1);
	assert_int_equal(host.nbowout, 1);
	assert_int_equal(host.pkt[2], 0);
	assert_int_equal(host.pkt[5], 1);
	assert_int_equal(vrrp_cksum(&me4, &host.dst, host.pkt, host.len), 0);
	assert_state(CARP_ST_INIT, CARP_RS_SHUTDOWN);
	assert_int_equal(host.nrelease, 1);
	assert_int_equal(host.timer, 0);
	carp_node_free(node);

	setup_vhid(false, 100, 1);
	fire();
	host.nsend = 0;
	assert_int_equal(carp_vhid_demote(vh, "test", at(50000)), 1);
	assert_int_equal(host.nbowout, 1);
	assert_int_equal(host.pkt[2], 0);
	assert_state(CARP_ST_BACKUP, CARP_RS_ADMIN_DEMOTE);
	/* Held: its master-down passes without a take-over. */
	fire();
	assert_int_equal(carp_vhid_state(vh), CARP_ST_BACKUP);
}

/* A peer's advert of type type for the addresses given, finalised. */
static enum carp_drop
peer_pkt(uint8_t type, uint8_t prio, uint16_t interval,
    const struct carp_addr *vips, size_t nvips, uint64_t now)
{
	struct carp_rx		 rx;
	uint8_t			 pkt[64];

	memset(&rx, 0, sizeof(rx));
	addr4(&rx.src, "192.0.2.51");
	addr4(&rx.dst, "224.0.0.18");
	addr4(&rx.local, "192.0.2.50");
	rx.len = vrrp_pkt_encode(&rx.src, &rx.dst, 1, prio, interval, vips,
	    nvips, pkt, sizeof(pkt));
	assert_true(rx.len > 0);
	pkt[0] = (uint8_t)(VRRP_VERSION << 4 | type);
	assert_int_equal(vrrp_pkt_finalize(pkt, rx.len, &rx.src, &rx.dst), 0);
	rx.data = pkt;
	rx.ttl = 255;
	rx.ifindex = 2;
	return carp_input_vrrp(node, &rx, at(now));
}

/*
 * RFC 6527's statistics: priority 0 in and out, interval, type and
 * address list errors (counted, still accepted), the reason of the last
 * take-over, the last drop, the node's VRRPv3 drops.
 */
static void
test_rfc6527_counters(void **state)
{
	struct carp_vhid_info	 vi;
	struct carp_node_info	 ni;
	struct carp_vhid_conf	 c;
	struct carp_addr	 v[3];
	uint64_t		 gen;

	(void)state;
	setup_vhid(false, 100, 1);
	vrrp_conf(&c, 100, 1);
	c.naddrs = 2;
	addr4(&c.addrs[1], "192.0.2.112");
	assert_true(carp_vhid_update(vh, &c, at(0)) != -1);
	carp_vhid_info(vh, &vi);
	assert_int_equal(vi.master_reason, CARP_RS_NONE);
	assert_int_equal(vi.last_drop, CARP_DROP_NONE);
	assert_int_equal(vi.run_since_mono_us, T0);
	addr4(&v[0], "192.0.2.111");
	addr4(&v[1], "192.0.2.112");
	addr4(&v[2], "192.0.2.113");
	/* Good: both addresses, in order or not. */
	assert_int_equal(peer_pkt(1, 200, 1, v, 2, 1000), CARP_DROP_NONE);
	assert_int_equal(peer_pkt(1, 200, 1, (struct carp_addr[]){ v[1],
	    v[0] }, 2, 2000), CARP_DROP_NONE);
	carp_vhid_info(vh, &vi);
	assert_int_equal(vi.adverts_received, 2);
	assert_int_equal(vi.vrrp_addr_errors, 0);
	assert_int_equal(vi.vrrp_interval_errors, 0);
	assert_int_equal(vi.vrrp_type_errors, 0);
	/* Address list errors: one short, one other, one more. */
	assert_int_equal(peer_pkt(1, 200, 1, v, 1, 3000), CARP_DROP_NONE);
	assert_int_equal(peer_pkt(1, 200, 1, &v[1], 2, 4000), CARP_DROP_NONE);
	assert_int_equal(peer_pkt(1, 200, 1, v, 3, 5000), CARP_DROP_NONE);
	/* An interval of 2 cs, a type 2: counted, and accepted. */
	carp_node_info(node, &ni);
	gen = ni.gen;
	assert_int_equal(peer_pkt(1, 200, 2, v, 2, 6000), CARP_DROP_NONE);
	/* The adopted interval changed: the views' generation moves. */
	carp_node_info(node, &ni);
	assert_true(ni.gen > gen);
	gen = ni.gen;
	assert_int_equal(peer_pkt(1, 200, 2, v, 2, 6500), CARP_DROP_NONE);
	carp_node_info(node, &ni);
	assert_true(ni.gen == gen);
	assert_int_equal(peer_pkt(2, 200, 2, v, 2, 7000), CARP_DROP_NONE);
	carp_vhid_info(vh, &vi);
	assert_int_equal(vi.adverts_received, 8);
	assert_int_equal(vi.vrrp_addr_errors, 3);
	assert_int_equal(vi.vrrp_interval_errors, 3);
	assert_int_equal(vi.vrrp_type_errors, 1);
	assert_int_equal(vi.master_interval, 2);
	assert_int_equal(vi.vrrp_rx_prio0, 0);
	/* Priority 0: counted; Skew_Time later MASTER, "will time out". */
	assert_int_equal(peer_pkt(1, 0, 1, v, 2, 8000), CARP_DROP_NONE);
	carp_vhid_info(vh, &vi);
	assert_int_equal(vi.vrrp_rx_prio0, 1);
	fire();
	carp_vhid_info(vh, &vi);
	assert_int_equal(vi.state, CARP_ST_MASTER);
	assert_int_equal(vi.master_reason, CARP_RS_MASTER_WILL_TIME_OUT);
	/* Back to BACKUP: the reason stays the last take-over's. */
	assert_int_equal(peer_pkt(1, 200, 1, v, 2, 60000), CARP_DROP_NONE);
	carp_vhid_info(vh, &vi);
	assert_int_equal(vi.state, CARP_ST_BACKUP);
	assert_int_equal(vi.master_reason, CARP_RS_MASTER_WILL_TIME_OUT);
	fire();
	carp_vhid_info(vh, &vi);
	assert_int_equal(vi.master_reason, CARP_RS_MASTER_TIMED_OUT);
	assert_int_equal(vi.vrrp_tx_prio0, 0);
	/* A drop: the VHID's last, and the node's VRRPv3 count. */
	assert_int_equal(peer_rx("192.0.2.51", NULL, 1, 100, 1, 254, 200000),
	    CARP_DROP_BADTTL);
	assert_int_equal(peer_rx("192.0.2.51", NULL, 9, 100, 1, 255, 200000),
	    CARP_DROP_BADVHID);
	carp_vhid_info(vh, &vi);
	assert_int_equal(vi.last_drop, CARP_DROP_BADTTL);
	carp_node_info(node, &ni);
	assert_int_equal(ni.vrrp_drops[CARP_DROP_BADTTL], 1);
	assert_int_equal(ni.vrrp_drops[CARP_DROP_BADVHID], 1);
	assert_int_equal(ni.vrrp_drops[CARP_DROP_BADSUM], 0);
	/* Out of INIT since the start, through both changes. */
	assert_int_equal(vi.run_since_mono_us, T0);
	/* Priority 0 sent: one per advert of the shutdown. */
	carp_shutdown(node, at(300000));
	carp_vhid_info(vh, &vi);
	assert_int_equal(vi.vrrp_tx_prio0, 1);
	assert_int_equal(vi.run_since_mono_us, 0);
}

/*
 * A dual-stack VHID names the master of each family, as its adverts of
 * that family give it; a change moves the generation, a repeat does not;
 * a take-over forgets them.
 */
static void
test_master_per_family(void **state)
{
	struct carp_vhid_info	 vi;
	struct carp_node_info	 ni;
	struct carp_vhid_conf	 c;
	struct carp_addr	 v6, ll;
	struct carp_rx		 rx;
	uint8_t			 pkt[64];
	uint64_t		 gen;

	(void)state;
	setup_vhid(false, 100, 100);
	vrrp_conf(&c, 100, 100);
	c.naddrs = 2;
	memset(&v6, 0, sizeof(v6));
	v6.family = AF_INET6;
	v6.prefixlen = 64;
	assert_int_equal(inet_pton(AF_INET6, "2001:db8::fe", &v6.a.v6), 1);
	c.addrs[1] = v6;
	assert_true(carp_vhid_update(vh, &c, at(0)) != -1);
	assert_int_equal(peer(200, 100, 1000), CARP_DROP_NONE);
	carp_vhid_info(vh, &vi);
	assert_int_equal(vi.master_af[0].family, AF_INET);
	assert_int_equal(vi.master_af[1].family, 0);
	/* Its IPv6 advert, from its link-local address. */
	memset(&rx, 0, sizeof(rx));
	memset(&ll, 0, sizeof(ll));
	ll.family = AF_INET6;
	assert_int_equal(inet_pton(AF_INET6, "fe80::51", &ll.a.v6), 1);
	rx.src = ll;
	rx.dst.family = AF_INET6;
	assert_int_equal(inet_pton(AF_INET6, "ff02::12", &rx.dst.a.v6), 1);
	rx.len = vrrp_pkt_encode(&rx.src, &rx.dst, 1, 200, 100, &v6, 1, pkt,
	    sizeof(pkt));
	assert_int_equal(rx.len, 8 + 16);
	rx.data = pkt;
	rx.ttl = 255;
	rx.ifindex = 2;
	carp_node_info(node, &ni);
	gen = ni.gen;
	assert_int_equal(carp_input_vrrp(node, &rx, at(2000)), CARP_DROP_NONE);
	carp_vhid_info(vh, &vi);
	assert_int_equal(vi.master_af[0].family, AF_INET);
	assert_int_equal(vi.master_af[1].family, AF_INET6);
	assert_memory_equal(&vi.master_af[1].a.v6, &ll.a.v6, 16);
	assert_int_equal(vi.master.family, AF_INET6);
	carp_node_info(node, &ni);
	assert_true(ni.gen > gen);
	/* The same two again: the IPv4 one moves master back, not ours. */
	assert_int_equal(carp_input_vrrp(node, &rx, at(3000)), CARP_DROP_NONE);
	carp_node_info(node, &ni);
	gen = ni.gen;
	assert_int_equal(carp_input_vrrp(node, &rx, at(4000)), CARP_DROP_NONE);
	carp_node_info(node, &ni);
	assert_true(ni.gen == gen);
	/* Silence: MASTER, and no master of either family. */
	fire();
	carp_vhid_info(vh, &vi);
	assert_int_equal(vi.state, CARP_ST_MASTER);
	assert_int_equal(vi.master_af[0].family, 0);
	assert_int_equal(vi.master_af[1].family, 0);
}

/* The receive checks, in FreeBSD's order. */
static void
test_input_checks(void **state)
{
	struct carp_node_info	 ni;
	struct carp_vhid_conf	 c;
	struct carp_rx		 rx;
	struct carp_addr	 vip;
	uint8_t			 pkt[64];

	(void)state;
	setup_vhid(false, 100, 1);
	assert_int_equal(peer_rx("192.0.2.51", NULL, 9, 100, 1, 255, 1000),
	    CARP_DROP_BADVHID);
	assert_int_equal(peer_rx("192.0.2.51", NULL, 1, 100, 1, 254, 1000),
	    CARP_DROP_BADTTL);
	/* A bad checksum: encoded for another source. */
	memset(&rx, 0, sizeof(rx));
	addr4(&rx.src, "192.0.2.51");
	addr4(&rx.dst, "224.0.0.18");
	addr4(&vip, "192.0.2.111");
	rx.len = vrrp_pkt_encode(&rx.dst, &rx.dst, 1, 100, 1, &vip, 1, pkt,
	    sizeof(pkt));
	rx.data = pkt;
	rx.ttl = 255;
	rx.ifindex = 2;
	assert_int_equal(carp_input_vrrp(node, &rx, at(1000)),
	    CARP_DROP_BADSUM);
	/* A CARP advert for a VRRP VHID: bad version. */
	memset(pkt, 0, sizeof(pkt));
	pkt[0] = 0x21;
	pkt[1] = 1;
	pkt[6] = (uint8_t)(carp_cksum(pkt, CARP_HDR_LEN) >> 8);
	pkt[7] = (uint8_t)carp_cksum(pkt, CARP_HDR_LEN);
	rx.len = CARP_HDR_LEN;
	assert_int_equal(carp_input(node, &rx, at(1000)), CARP_DROP_BADVER);
	carp_node_info(node, &ni);
	assert_int_equal(ni.stats.badver, 1);
	assert_int_equal(ni.stats.badsum, 1);
	assert_int_equal(ni.stats.badttl, 1);
	assert_int_equal(ni.stats.badvhid, 1);
	assert_int_equal(carp_vhid_state(vh), CARP_ST_BACKUP);
	assert_int_equal(host.timer, T0 + 36093);
	/* A VRRP advert for a CARP VHID: bad version. */
	memset(&c, 0, sizeof(c));
	c.vhid = 2;
	c.ifindex = 2;
	c.advbase = 1;
	c.naddrs = 1;
	addr4(&c.addrs[0], "192.0.2.112");
	assert_non_null(carp_vhid_add(node, &c, true, NULL, at(0)));
	assert_int_equal(peer_rx("192.0.2.51", NULL, 2, 100, 1, 255, 1000),
	    CARP_DROP_BADVER);
}

/* VRRP configuration ranges; the protocol is fixed at creation. */
static void
test_conf(void **state)
{
	struct carp_vhid_conf	 c;

	(void)state;
	setup_vhid(false, 100, 1);
	vrrp_conf(&c, 0, 1);
	c.vhid = 2;
	assert_null(carp_vhid_add(node, &c, true, NULL, at(0)));
	assert_int_equal(errno, EINVAL);
	vrrp_conf(&c, 100, 0);
	c.vhid = 2;
	assert_null(carp_vhid_add(node, &c, true, NULL, at(0)));
	vrrp_conf(&c, 100, 4096);
	c.vhid = 2;
	assert_null(carp_vhid_add(node, &c, true, NULL, at(0)));
	vrrp_conf(&c, 100, 4095);
	c.vhid = 2;
	assert_non_null(carp_vhid_add(node, &c, true, NULL, at(0)));
	/* No version change on a live VHID (FreeBSD: EINVAL). */
	vrrp_conf(&c, 100, 1);
	c.proto = CARP_PROTO_CARP;
	c.advbase = 1;
	assert_int_equal(carp_vhid_update(vh, &c, at(10)), -1);
	/* A new priority re-arms the master-down with its skew. */
	vrrp_conf(&c, 200, 1);
	assert_int_equal(carp_vhid_update(vh, &c, at(1000)), 1);
	assert_int_equal(host.timer, T0 + 1000 + 32187);
}

/* vrrp_pkt_finalize: the checksum for the source the host picks. */
static void
test_finalize(void **state)
{
	static const uint8_t ka[] = {	/* keepalived 2.2.7, captured */
		0x31, 0x07, 0x96, 0x01, 0x00, 0x64, 0xd3, 0x03,
		0xc0, 0x00, 0x02, 0xfe
	};
	struct carp_addr	 src, any, dst, vip, src6;
	uint8_t			 p[32], q[32];
	size_t			 len;

	(void)state;
	addr4(&src, "192.0.2.1");
	addr4(&dst, "224.0.0.18");
	addr4(&vip, "192.0.2.254");
	memset(&any, 0, sizeof(any));
	any.family = AF_INET;
	len = vrrp_pkt_encode(&any, &dst, 7, 150, 100, &vip, 1, p, sizeof(p));
	assert_int_equal(len, sizeof(ka));
	assert_memory_not_equal(p, ka, len);
	assert_int_equal(vrrp_pkt_finalize(p, len, &src, &dst), 0);
	assert_memory_equal(p, ka, len);
	assert_int_equal(vrrp_cksum(&src, &dst, p, len), 0);
	/* The same as encoding with the source; idempotent. */
	assert_int_equal(vrrp_pkt_encode(&src, &dst, 7, 150, 100, &vip, 1, q,
	    sizeof(q)), len);
	assert_int_equal(vrrp_pkt_finalize(p, len, &src, &dst), 0);
	assert_memory_equal(p, q, len);
	/* Refused: a short packet, mixed families. */
	assert_int_equal(vrrp_pkt_finalize(p, 7, &src, &dst), -1);
	memset(&src6, 0, sizeof(src6));
	src6.family = AF_INET6;
	assert_int_equal(vrrp_pkt_finalize(p, len, &src6, &dst), -1);
	assert_memory_equal(p, ka, len);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_timing_values),
		cmocka_unit_test_teardown(test_backup_start, teardown),
		cmocka_unit_test_teardown(test_listening, teardown),
		cmocka_unit_test(test_lease),
		cmocka_unit_test_teardown(test_interval_adoption, teardown),
		cmocka_unit_test_teardown(test_owner, teardown),
		cmocka_unit_test_teardown(test_prio_zero, teardown),
		cmocka_unit_test_teardown(test_preempt_off, teardown),
		cmocka_unit_test_teardown(test_preempt_on, teardown),
		cmocka_unit_test_teardown(test_tie_break, teardown),
		cmocka_unit_test_teardown(test_demotion_mapping, teardown),
		cmocka_unit_test_teardown(test_shutdown_prio0, teardown),
		cmocka_unit_test_teardown(test_input_checks, teardown),
		cmocka_unit_test_teardown(test_rfc6527_counters, teardown),
		cmocka_unit_test_teardown(test_master_per_family, teardown),
		cmocka_unit_test_teardown(test_conf, teardown),
		cmocka_unit_test(test_finalize),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
