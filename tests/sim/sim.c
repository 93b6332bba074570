/*
 * sim.c: the simulator of sim.h.  One binary heap of events ordered by
 * (time, insertion number), so events at the same microsecond run in the
 * order they were made and a seed gives the same run every time.
 */
#include <sys/types.h>
#include <sys/socket.h>
#include <arpa/inet.h>

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tests/sim/sim.h"

enum sim_etype {
	SIM_E_TIMER,		/* a VHID's timer */
	SIM_E_DELIVER,		/* an advert arrives at a host */
	SIM_E_LEASE,		/* a VIP's lease runs out */
};

struct sim_event {
	uint64_t		 t;
	uint64_t		 seq;
	enum sim_etype		 type;
	int			 node;		/* receiver or owner */
	int			 from;		/* sender (DELIVER) */
	int			 v;		/* VHID slot */
	uint64_t		 gen;
	int			 family;	/* DELIVER: AF_INET, AF_INET6 */
	uint8_t			 pkt[CARP_HDR_LEN];	/* a VRRP one fits */
	size_t			 len;
};

#define SIM_VIP4	0xc000026fU	/* 192.0.2.111 */
#define SIM_EPOCH_US	1796083200000000LL	/* wall clock at time 0 */

static void	 sim_push(struct sim *, const struct sim_event *);
static int	 sim_pop(struct sim *, struct sim_event *);
static void	 sim_rec(struct sim *, int, uint8_t, enum sim_ev, int, int,
		    int);
static void	 sim_vip_change(struct sim *, uint8_t, int);
static int	 sim_emit(void *, const struct carp_action *);
static uint64_t	 sim_random64(void *);
static void	 sim_conf(struct carp_vhid_conf *, uint8_t, uint8_t, uint8_t,
		    int);
static void	 sim_src(const struct sim *, int, int, struct carp_addr *);
static void	 sim_group(int, struct carp_addr *);

/* splitmix64: seeds xoshiro256**. */
static uint64_t
splitmix64(uint64_t *x)
{
	uint64_t	 z = (*x += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static uint64_t
rotl(uint64_t x, int k)
{
	return (x << k) | (x >> (64 - k));
}

/* xoshiro256** (Blackman and Vigna). */
uint64_t
sim_rand(struct sim *s)
{
	uint64_t	*r = s->rng, res = rotl(r[1] * 5, 7) * 9, t = r[1] << 17;

	r[2] ^= r[0];
	r[3] ^= r[1];
	r[1] ^= r[2];
	r[0] ^= r[3];
	r[2] ^= t;
	r[3] = rotl(r[3], 45);
	return res;
}

double
sim_uniform(struct sim *s)
{
	return (double)(sim_rand(s) >> 11) * (1.0 / 9007199254740992.0);
}

void
sim_init(struct sim *s, uint64_t seed)
{
	uint64_t	 x = seed;
	int		 i, j;

	memset(s, 0, sizeof(*s));
	s->seed = seed;
	for (i = 0; i < 4; i++)
		s->rng[i] = splitmix64(&x);
	for (i = 0; i < SIM_MAX_NODES; i++)
		for (j = 0; j < SIM_MAX_NODES; j++)
			s->link[i][j].delay_us = 100;
	s->keep_trace = true;
	s->print = sim_env_long("SIM_TRACE", 0) != 0;
}

void
sim_free(struct sim *s)
{
	int	 i;

	for (i = 0; i < s->nn; i++)
		carp_node_free(s->n[i].cn);
	free(s->heap);
	free(s->trace);
	memset(s, 0, sizeof(*s));
}

struct carp_time
sim_time(const struct sim *s, int node)
{
	struct carp_time	 t;

	t.mono_us = s->now + s->n[node].mono_off;
	t.wall_us = SIM_EPOCH_US + (int64_t)s->now;
	return t;
}

int
sim_node_add(struct sim *s, char name, const struct carp_node_conf *conf)
{
	struct sim_node		*n;
	struct carp_host	 host;
	int			 i = s->nn;

	if (i >= SIM_MAX_NODES)
		return -1;
	n = &s->n[i];
	memset(n, 0, sizeof(*n));
	n->sim = s;
	n->idx = i;
	n->name = name;
	n->alive = true;
	n->cable = true;
	/* Each host's monotonic clock starts somewhere else (1..2^40 s). */
	n->mono_off = SIM_S * (1 + sim_rand(s) % (1ULL << 20)) +
	    sim_rand(s) % SIM_S;
	n->addr = 0xc0000200U + 10 + (uint32_t)i;	/* 192.0.2.10+i */
	host.emit = sim_emit;
	host.random64 = sim_random64;
	host.arg = n;
	if ((n->cn = carp_node_new(conf, &host)) == NULL)
		return -1;
	s->nn++;
	return i;
}

struct carp_vhid *
sim_vhid_add(struct sim *s, int node, uint8_t vhid, uint8_t advbase,
    uint8_t advskew)
{
	return sim_vhid_add_af(s, node, vhid, advbase, advskew, SIM_AF4);
}

struct carp_vhid *
sim_vhid_add_af(struct sim *s, int node, uint8_t vhid, uint8_t advbase,
    uint8_t advskew, int afs)
{
	struct carp_vhid_conf	 c;

	sim_conf(&c, vhid, advbase, advskew, afs);
	return sim_vhid_add_conf(s, node, &c);
}

struct carp_vhid *
sim_vrrp_add(struct sim *s, int node, uint8_t vrid, uint8_t prio,
    uint16_t interval_cs, int afs)
{
	struct carp_vhid_conf	 c;

	sim_conf(&c, vrid, 1, 0, afs);
	c.keylen = 0;
	memset(c.key, 0, sizeof(c.key));
	c.proto = CARP_PROTO_VRRP3;
	c.vrrp_prio = prio;
	c.vrrp_interval = interval_cs;
	return sim_vhid_add_conf(s, node, &c);
}

struct carp_vhid *
sim_vhid_add_conf(struct sim *s, int node, const struct carp_vhid_conf *c)
{
	struct sim_node		*n = &s->n[node];
	struct sim_vhid		*sv;

	if (n->nv >= SIM_MAX_VHIDS)
		return NULL;
	sv = &n->v[n->nv];
	memset(sv, 0, sizeof(*sv));
	sv->sim = s;
	sv->node = node;
	sv->vhid = c->vhid;
	n->nv++;
	sv->vh = carp_vhid_add(n->cn, c, n->cable, sv, sim_time(s, node));
	if (sv->vh == NULL)
		n->nv--;
	return sv->vh;
}

/* The configuration sim_vhid_add_af gives a VHID. */
static void
sim_conf(struct carp_vhid_conf *cp, uint8_t vhid, uint8_t advbase,
    uint8_t advskew, int afs)
{
	struct carp_vhid_conf	 c;

	memset(&c, 0, sizeof(c));
	c.vhid = vhid;
	c.ifindex = 1;
	strcpy(c.ifname, "eth0");
	c.advbase = advbase;
	c.advskew = advskew;
	memcpy(c.key, "test123", 7);
	c.keylen = 7;
	if (afs & SIM_AF4) {
		c.addrs[c.naddrs].family = AF_INET;
		c.addrs[c.naddrs].prefixlen = 24;
		c.addrs[c.naddrs].a.v4.s_addr = htonl(SIM_VIP4 + vhid - 1);
		c.naddrs++;
	}
	if (afs & SIM_AF6) {
		/* 2001:db8::111 */
		c.addrs[c.naddrs].family = AF_INET6;
		c.addrs[c.naddrs].prefixlen = 64;
		c.addrs[c.naddrs].a.v6.s6_addr[0] = 0x20;
		c.addrs[c.naddrs].a.v6.s6_addr[1] = 0x01;
		c.addrs[c.naddrs].a.v6.s6_addr[2] = 0x0d;
		c.addrs[c.naddrs].a.v6.s6_addr[3] = 0xb8;
		c.addrs[c.naddrs].a.v6.s6_addr[14] = 0x01;
		c.addrs[c.naddrs].a.v6.s6_addr[15] = (uint8_t)(0x11 + vhid - 1);
		c.naddrs++;
	}
	*cp = c;
}

struct sim_link *
sim_link(struct sim *s, int from, int to)
{
	return &s->link[from][to];
}

void
sim_link_all(struct sim *s, uint64_t delay_us, uint64_t jitter_us,
    double loss, double dup)
{
	int	 i, j;

	for (i = 0; i < SIM_MAX_NODES; i++)
		for (j = 0; j < SIM_MAX_NODES; j++) {
			s->link[i][j].delay_us = delay_us;
			s->link[i][j].jitter_us = jitter_us;
			s->link[i][j].loss = loss;
			s->link[i][j].dup = dup;
		}
}

void
sim_partition(struct sim *s, int a, int b, bool cut)
{
	s->link[a][b].cut = cut;
	s->link[b][a].cut = cut;
}

/* The heap. */
static bool
sim_before(const struct sim_event *a, const struct sim_event *b)
{
	return a->t < b->t || (a->t == b->t && a->seq < b->seq);
}

static void
sim_push(struct sim *s, const struct sim_event *ev)
{
	struct sim_event	 tmp;
	size_t			 i;

	if (s->nheap == s->heapcap) {
		s->heapcap = s->heapcap ? 2 * s->heapcap : 64;
		s->heap = realloc(s->heap, s->heapcap * sizeof(*s->heap));
		if (s->heap == NULL)
			abort();
	}
	i = s->nheap++;
	s->heap[i] = *ev;
	s->heap[i].seq = s->seq++;
	while (i > 0 && sim_before(&s->heap[i], &s->heap[(i - 1) / 2])) {
		tmp = s->heap[i];
		s->heap[i] = s->heap[(i - 1) / 2];
		s->heap[(i - 1) / 2] = tmp;
		i = (i - 1) / 2;
	}
}

static int
sim_pop(struct sim *s, struct sim_event *out)
{
	struct sim_event	 tmp;
	size_t			 i = 0, l, m;

	if (s->nheap == 0)
		return 0;
	*out = s->heap[0];
	s->heap[0] = s->heap[--s->nheap];
	for (;;) {
		l = 2 * i + 1;
		m = i;
		if (l < s->nheap && sim_before(&s->heap[l], &s->heap[m]))
			m = l;
		if (l + 1 < s->nheap && sim_before(&s->heap[l + 1], &s->heap[m]))
			m = l + 1;
		if (m == i)
			break;
		tmp = s->heap[i];
		s->heap[i] = s->heap[m];
		s->heap[m] = tmp;
		i = m;
	}
	return 1;
}

/* The trace. */
static void
sim_rec(struct sim *s, int node, uint8_t vhid, enum sim_ev ev, int a, int b,
    int c)
{
	struct sim_rec	 r;

	r.t = s->now;
	r.node = node;
	r.vhid = vhid;
	r.ev = ev;
	r.a = a;
	r.b = b;
	r.c = c;
	if (s->print)
		sim_print_rec(s, &r);
	if (!s->keep_trace)
		return;
	if (s->ntrace == s->tracecap) {
		s->tracecap = s->tracecap ? 2 * s->tracecap : 256;
		s->trace = realloc(s->trace, s->tracecap * sizeof(*s->trace));
		if (s->trace == NULL)
			abort();
	}
	s->trace[s->ntrace++] = r;
}

void
sim_print_rec(const struct sim *s, const struct sim_rec *r)
{
	char	 what[160];

	switch (r->ev) {
	case SIM_EV_SEND:
		snprintf(what, sizeof(what), "send IPv%d advskew %d%s", r->c,
		    r->b, r->a ? " (bow-out)" : "");
		break;
	case SIM_EV_STATE:
		snprintf(what, sizeof(what), "%s -> %s (%s)",
		    carp_state_names[r->a], carp_state_names[r->b],
		    carp_reason_names[r->c]);
		break;
	case SIM_EV_HOLD_START:
		snprintf(what, sizeof(what), "VIP held");
		break;
	case SIM_EV_HOLD:
		snprintf(what, sizeof(what), "VIP lease %d s", r->a);
		break;
	case SIM_EV_HOLD_END:
		snprintf(what, sizeof(what), "VIP %s",
		    r->a ? "lapsed (lease ran out)" : "released");
		break;
	case SIM_EV_ANNOUNCE:
		snprintf(what, sizeof(what), "announce%s%s",
		    r->a ? " ARP" : "", r->b ? " NA" : "");
		break;
	case SIM_EV_DEMOTION:
		snprintf(what, sizeof(what), "demoted by %d to %d", r->a,
		    r->b);
		break;
	case SIM_EV_LINK:
		snprintf(what, sizeof(what), "cable %s",
		    r->a ? "plugged" : "pulled");
		break;
	case SIM_EV_KILL:
		snprintf(what, sizeof(what), "%s",
		    r->a ? "stopped (carp_shutdown)" : "killed");
		break;
	}
	fprintf(stderr, "sim seed %" PRIu64 " t=%" PRIu64 ".%06" PRIu64
	    " %c vhid %u: %s\n", s->seed, r->t / SIM_S, r->t % SIM_S,
	    s->n[r->node].name, r->vhid, what);
}

/* The VIP's holder count changes by delta now; account the time before. */
static void
sim_vip_change(struct sim *s, uint8_t vhid, int delta)
{
	struct sim_vip	*v = &s->vip[vhid];
	uint64_t	 d = s->now - v->since;

	if (v->holders >= 2)
		v->two_us += d;
	else if (v->holders == 0 && v->ever)
		v->none_us += d;
	v->holders += delta;
	if (delta > 0)
		v->ever = true;
	v->since = s->now;
}

uint64_t
sim_two_us(struct sim *s, uint8_t vhid)
{
	sim_vip_change(s, vhid, 0);
	return s->vip[vhid].two_us;
}

uint64_t
sim_none_us(struct sim *s, uint8_t vhid)
{
	sim_vip_change(s, vhid, 0);
	return s->vip[vhid].none_us;
}

static uint64_t
sim_random64(void *arg)
{
	struct sim_node	*n = arg;

	return sim_rand(n->sim);
}

/* Put one advert on the segment: to every other host, unless lost. */
static void
sim_send(struct sim *s, int from, int family, const uint8_t *pkt, size_t len)
{
	struct sim_event	 ev;
	struct sim_link		*l;
	int			 to, copies, k;

	if (!s->n[from].cable)
		return;
	for (to = 0; to < s->nn; to++) {
		if (to == from)
			continue;
		l = &s->link[from][to];
		if (l->cut || (family == AF_INET6 && l->drop6))
			continue;
		if (l->loss > 0 && sim_uniform(s) < l->loss) {
			s->lost++;
			continue;
		}
		copies = 1;
		if (l->dup > 0 && sim_uniform(s) < l->dup) {
			copies = 2;
			s->duplicated++;
		}
		for (k = 0; k < copies; k++) {
			memset(&ev, 0, sizeof(ev));
			ev.type = SIM_E_DELIVER;
			ev.node = to;
			ev.from = from;
			ev.family = family;
			ev.t = s->now + l->delay_us + (l->jitter_us > 0 ?
			    sim_rand(s) % (l->jitter_us + 1) : 0);
			memcpy(ev.pkt, pkt, len);
			ev.len = len;
			sim_push(s, &ev);
		}
	}
}

/* The host side: carry out one action of node n's engine. */
static int
sim_emit(void *arg, const struct carp_action *a)
{
	struct sim_node		*n = arg;
	struct sim		*s = n->sim;
	struct sim_vhid		*sv = a->vh != NULL ? carp_vhid_arg(a->vh) : NULL;
	struct sim_event	 ev;
	struct carp_addr	 src;
	uint8_t			 buf[CARP_HDR_LEN];

	switch (a->type) {
	case CARP_ACT_SEND:
		n->sent++;
		if (a->a.send.vrrp) {
			/* The host's part: the checksum for its source. */
			if (a->a.send.len > sizeof(buf))
				abort();
			memcpy(buf, a->a.send.data, a->a.send.len);
			sim_src(s, n->idx, a->a.send.dst.family, &src);
			if (vrrp_pkt_finalize(buf, a->a.send.len, &src,
			    &a->a.send.dst) == -1)
				abort();
			sim_rec(s, n->idx, a->vhid, SIM_EV_SEND,
			    a->a.send.bowout, buf[2],
			    a->a.send.dst.family == AF_INET6 ? 6 : 4);
			sim_send(s, n->idx, a->a.send.dst.family, buf,
			    a->a.send.len);
			return 0;
		}
		sim_rec(s, n->idx, a->vhid, SIM_EV_SEND, a->a.send.bowout,
		    a->a.send.pkt[2], a->a.send.dst.family == AF_INET6 ? 6 : 4);
		sim_send(s, n->idx, a->a.send.dst.family, a->a.send.pkt,
		    CARP_HDR_LEN);
		return 0;
	case CARP_ACT_TIMER:
		sv->timer_gen++;
		if (a->a.timer.at_us == 0) {
			sv->timer_at = 0;
			break;
		}
		sv->timer_at = a->a.timer.at_us - n->mono_off;
		if (sv->timer_at < s->now)
			sv->timer_at = s->now;
		memset(&ev, 0, sizeof(ev));
		ev.type = SIM_E_TIMER;
		ev.t = sv->timer_at;
		ev.node = n->idx;
		ev.v = (int)(sv - n->v);
		ev.gen = sv->timer_gen;
		sim_push(s, &ev);
		break;
	case CARP_ACT_HOLD:
		if (!sv->held) {
			sim_vip_change(s, sv->vhid, 1);
			sim_rec(s, n->idx, sv->vhid, SIM_EV_HOLD_START, 0, 0, 0);
		}
		sim_rec(s, n->idx, sv->vhid, SIM_EV_HOLD,
		    (int)a->a.hold.lifetime_s, 0, 0);
		sv->held = true;
		sv->hold_until = s->now + a->a.hold.lifetime_s * SIM_S;
		sv->hold_gen++;
		memset(&ev, 0, sizeof(ev));
		ev.type = SIM_E_LEASE;
		ev.t = sv->hold_until;
		ev.node = n->idx;
		ev.v = (int)(sv - n->v);
		ev.gen = sv->hold_gen;
		sim_push(s, &ev);
		break;
	case CARP_ACT_RELEASE:
		sv->hold_gen++;
		if (sv->held) {
			sv->held = false;
			sim_vip_change(s, sv->vhid, -1);
			sim_rec(s, n->idx, sv->vhid, SIM_EV_HOLD_END, 0, 0, 0);
		}
		break;
	case CARP_ACT_ANNOUNCE:
		sim_rec(s, n->idx, a->vhid, SIM_EV_ANNOUNCE, a->a.announce.arp,
		    a->a.announce.na, 0);
		break;
	case CARP_ACT_STATE:
		s->stats_states[n->idx]++;
		sim_rec(s, n->idx, a->vhid, SIM_EV_STATE, a->a.state.from,
		    a->a.state.to, a->a.state.reason);
		break;
	case CARP_ACT_DEMOTION:
		sim_rec(s, n->idx, 0, SIM_EV_DEMOTION, a->a.demotion.delta,
		    a->a.demotion.total, 0);
		break;
	case CARP_ACT_NO_MASTER:
		break;
	}
	return 0;
}

/* Run one event. */
static void
sim_dispatch(struct sim *s, const struct sim_event *ev)
{
	struct sim_node		*n = &s->n[ev->node];
	struct sim_vhid		*sv;
	struct carp_rx		 rx;

	switch (ev->type) {
	case SIM_E_TIMER:
		sv = &n->v[ev->v];
		if (!n->alive || ev->gen != sv->timer_gen)
			return;
		sv->timer_at = 0;
		carp_vhid_timeout(sv->vh, sim_time(s, ev->node));
		break;
	case SIM_E_DELIVER:
		if (!n->alive || !n->cable)
			return;
		s->delivered++;
		memset(&rx, 0, sizeof(rx));
		rx.data = ev->pkt;
		rx.len = ev->len;
		sim_src(s, ev->from, ev->family, &rx.src);
		sim_group(ev->family, &rx.dst);
		sim_src(s, ev->node, ev->family, &rx.local);
		rx.ttl = CARP_DFLTTL;
		rx.ifindex = 1;
		/* The version nibble picks the protocol, as FreeBSD's. */
		if (ev->pkt[0] >> 4 == VRRP_VERSION)
			carp_input_vrrp(n->cn, &rx, sim_time(s, ev->node));
		else
			carp_input(n->cn, &rx, sim_time(s, ev->node));
		break;
	case SIM_E_LEASE:
		sv = &n->v[ev->v];
		if (ev->gen != sv->hold_gen || !sv->held)
			return;
		sv->held = false;
		if (n->alive && carp_vhid_state(sv->vh) == CARP_ST_MASTER)
			n->lapsed_master++;
		sim_vip_change(s, sv->vhid, -1);
		sim_rec(s, ev->node, sv->vhid, SIM_EV_HOLD_END, 1, 0, 0);
		break;
	}
}

/* A node's advert source: 192.0.2.10+i, or fe80::10+i. */
static void
sim_src(const struct sim *s, int node, int family, struct carp_addr *a)
{
	memset(a, 0, sizeof(*a));
	if (family == AF_INET6) {
		a->family = AF_INET6;
		a->prefixlen = 128;
		a->a.v6.s6_addr[0] = 0xfe;
		a->a.v6.s6_addr[1] = 0x80;
		a->a.v6.s6_addr[15] = (uint8_t)(s->n[node].addr & 0xff);
	} else {
		a->family = AF_INET;
		a->prefixlen = 32;
		a->a.v4.s_addr = htonl(s->n[node].addr);
	}
}

/* 224.0.0.18 or ff02::12. */
static void
sim_group(int family, struct carp_addr *a)
{
	memset(a, 0, sizeof(*a));
	if (family == AF_INET6) {
		a->family = AF_INET6;
		a->prefixlen = 128;
		a->a.v6.s6_addr[0] = 0xff;
		a->a.v6.s6_addr[1] = 0x02;
		a->a.v6.s6_addr[15] = 0x12;
	} else {
		a->family = AF_INET;
		a->prefixlen = 32;
		a->a.v4.s_addr = htonl(CARP_GROUP4);
	}
}

void
sim_run_until(struct sim *s, uint64_t t)
{
	struct sim_event	 ev;

	while (s->nheap > 0 && s->heap[0].t <= t) {
		sim_pop(s, &ev);
		s->now = ev.t;
		sim_dispatch(s, &ev);
	}
	if (t > s->now)
		s->now = t;
}

void
sim_cable(struct sim *s, int node, bool up)
{
	s->n[node].cable = up;
	sim_rec(s, node, 0, SIM_EV_LINK, up, 0, 0);
	if (s->n[node].alive)
		carp_link_change(s->n[node].cn, 1, up, sim_time(s, node));
}

void
sim_kill(struct sim *s, int node)
{
	sim_rec(s, node, 0, SIM_EV_KILL, 0, 0, 0);
	s->n[node].alive = false;
}

void
sim_stop(struct sim *s, int node)
{
	sim_rec(s, node, 0, SIM_EV_KILL, 1, 0, 0);
	carp_shutdown(s->n[node].cn, sim_time(s, node));
	s->n[node].alive = false;
}

static struct sim_vhid *
sim_sv(const struct sim *s, int node, uint8_t vhid)
{
	const struct sim_node	*n = &s->n[node];
	int			 i;

	for (i = 0; i < n->nv; i++)
		if (n->v[i].vhid == vhid)
			return (struct sim_vhid *)&n->v[i];
	return NULL;
}

struct carp_vhid *
sim_vh(const struct sim *s, int node, uint8_t vhid)
{
	struct sim_vhid	*sv = sim_sv(s, node, vhid);

	return sv != NULL ? sv->vh : NULL;
}

enum carp_state
sim_state(const struct sim *s, int node, uint8_t vhid)
{
	struct sim_vhid	*sv = sim_sv(s, node, vhid);

	return sv != NULL ? carp_vhid_state(sv->vh) : CARP_ST_MAX;
}

bool
sim_holds(const struct sim *s, int node, uint8_t vhid)
{
	struct sim_vhid	*sv = sim_sv(s, node, vhid);

	return sv != NULL && sv->held;
}

const struct sim_rec *
sim_last(const struct sim *s, int node, enum sim_ev ev, uint64_t before)
{
	size_t	 i;

	for (i = s->ntrace; i > 0; i--) {
		const struct sim_rec	*r = &s->trace[i - 1];

		if (r->t <= before && r->ev == ev &&
		    (node < 0 || r->node == node))
			return r;
	}
	return NULL;
}

const struct sim_rec *
sim_first(const struct sim *s, int node, enum sim_ev ev, uint64_t after)
{
	size_t	 i;

	for (i = 0; i < s->ntrace; i++) {
		const struct sim_rec	*r = &s->trace[i];

		if (r->t >= after && r->ev == ev &&
		    (node < 0 || r->node == node))
			return r;
	}
	return NULL;
}

size_t
sim_count(const struct sim *s, int node, enum sim_ev ev, uint64_t t0,
    uint64_t t1)
{
	size_t	 i, c = 0;

	for (i = 0; i < s->ntrace; i++) {
		const struct sim_rec	*r = &s->trace[i];

		if (r->t >= t0 && r->t < t1 && r->ev == ev &&
		    (node < 0 || r->node == node))
			c++;
	}
	return c;
}

long
sim_env_long(const char *name, long dflt)
{
	const char	*v = getenv(name);
	char		*end;
	long		 l;

	if (v == NULL || *v == '\0')
		return dflt;
	errno = 0;
	l = strtol(v, &end, 0);
	if (errno != 0 || *end != '\0')
		return dflt;
	return l;
}

uint64_t
sim_env_seed(uint64_t dflt)
{
	const char	*v = getenv("SIM_SEED");
	char		*end;
	unsigned long long u;

	if (v == NULL || *v == '\0')
		return dflt;
	errno = 0;
	u = strtoull(v, &end, 0);
	if (errno != 0 || *end != '\0')
		return dflt;
	return u;
}
