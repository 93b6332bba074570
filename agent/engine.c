/*
 * engine.c: runs the carp/ engine on Linux.
 *
 * The engine is pure; this file feeds it (packets from the raw sockets,
 * link changes from netlink, timer expiries) and carries out what it asks
 * for (adverts, VIPs held with a lifetime, gratuitous ARP and NA, timers)
 * and hands its state changes and dropped packets to dispatch.c.  One
 * libevent timer per VHID, armed as tmr.c decides; the clocks are read in
 * clock.c and nowhere in carp/.  Adverts and VIP renewals are queued
 * (txq.c, netlink.c) and leave together once the callbacks due in a round
 * of the event loop have run (eng_flush).  The multicast memberships are
 * joins.c's, the advert sources ifaddr.c's, a graceful stop's hand-over
 * handover.c's.
 */
#include <sys/types.h>
#include <sys/socket.h>
#include <arpa/inet.h>
#include <netinet/in.h>

#include <sys/resource.h>

#include <errno.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <event2/event.h>

#include "agent/arp.h"
#include "agent/clock.h"
#include "agent/dispatch.h"
#include "agent/engine.h"
#include "agent/handover.h"
#include "agent/ifaddr.h"
#include "agent/joins.h"
#include "agent/log.h"
#include "agent/netlink.h"
#include "agent/notify.h"
#include "agent/raw.h"
#include "agent/tmr.h"
#include "agent/txq.h"
#include "agent/vmac.h"
#include "agent/xmalloc.h"

#define ENG_ADDRS_S		10	/* seconds between address re-reads */
#define ENG_NA_AGAIN_MS		50	/* a vMAC NA's follow-up */
#define ENG_HOLD_EVERY_US	250000	/* VIP lease renewals at most */
#define ENG_RT_BELOW_CS		100	/* real-time below 1 s VRRPv3 */
#define ENG_RT_PRIO		1
#define ENG_RX_DEFER_US		1000	/* sub-second VRRPv3: reads batched */
#define ENG_RX_STALE_US		(2 * ENG_RX_DEFER_US)	/* eng_timer_cb */
#define ENG_ANN_ARP		0x01	/* gratuitous ARPs due (announce) */
#define ENG_ANN_NA		0x02	/* unsolicited NAs due */

/* The longest VRRPv3 advert a configuration allows fits a queue slot. */
_Static_assert(VRRP_HDR_LEN + 4 * CARP_MAX_ADDRS <= RAW_PAYLOAD_MAX &&
    40 + VRRP_HDR_LEN + 16 * CONF_VRRP_MAX_ADDRS6 <= RAW_PAYLOAD_MAX,
    "RAW_PAYLOAD_MAX cannot hold a VRRPv3 advert");

/* The daemon's side of one VHID. */
struct eng_vhost {
	struct carp_vhid	*vh;
	struct carp_vhid_conf	 conf;
	struct tmr_slot		 t;		/* its timer; t.impl: the event */
	struct carp_addr	 src[2];	/* IPv4, IPv6 advert sources */
	unsigned int		 src_gen[2];	/* ifaddr_gen() they match */
	bool			 vmac_want;	/* mac-mode virtual */
	struct event		*ev_na;		/* the NA's follow-up */
	struct vmac		 vmac[2];	/* up while MASTER; eng_vmi */
	uint32_t		 hold_s;	/* the last hold's lifetime */
	uint64_t		 held_at;	/* when, 0: not held */
	bool			 deaf;		/* added, sockets not read since */
	uint8_t			 announce;	/* ENG_ANN_*: after the flush */
	struct eng_vhost	*next;
};

static struct {
	struct event_base	*base;
	struct carpd_conf	*conf;
	struct carp_node	*node;
	struct eng_vhost	*vhosts;
	int			 fd[2];		/* IPv4, IPv6 raw sockets */
	struct event		*ev_raw[2];
	struct event		*ev_nl;
	struct event		*ev_hold;	/* failed VIP holds */
	struct event		*ev_addrs;	/* address list re-read */
	struct event		*ev_flush;	/* queued adverts and holds */
	struct event		*ev_announce;	/* GARPs/NAs of take-overs */
	bool			 announcing;	/* a VHID's announce is set */
	struct event		*ev_listen;	/* first read after adding */
	struct event		*ev_rx;		/* the batched read (eng_rx_*) */
	bool			 rx_batch;	/* reads wait ENG_RX_DEFER_US */
	bool			 rx_due[2];	/* a socket waits for ev_rx */
	uint64_t		 rx_at;		/* the sockets' last read */
	int			 pfd;		/* packet socket (vMAC IPv6) */
	bool			 stopping;	/* eng_shutdown() ran */
	bool			 taking;	/* a VHID became MASTER */
	int64_t			 start_wall;
} eng = { .fd = { -1, -1 }, .pfd = -1 };

static int	 eng_emit(void *, const struct carp_action *);
static uint64_t	 eng_random(void *);
static int	 eng_send(struct eng_vhost *, const struct carp_action *);
static void	 eng_timer_cb(evutil_socket_t, short, void *);
static void	 eng_tmr_arm(struct tmr_slot *, uint64_t);
static void	 eng_tmr_cancel(struct tmr_slot *);
static bool	 eng_tmr_pending(const struct tmr_slot *);
static void	 eng_raw_cb(evutil_socket_t, short, void *);
static void	 eng_raw_read(int);
static void	 eng_rx_cb(evutil_socket_t, short, void *);
static void	 eng_rx_drain(void);
static void	 eng_listen_cb(evutil_socket_t, short, void *);
static void	 eng_announce(struct eng_vhost *, uint8_t);
static void	 eng_announce_due(void);
static void	 eng_sched(void);
static void	 eng_nl_cb(evutil_socket_t, short, void *);
static void	 eng_nl_link(void *, const struct nl_link *, bool);
static void	 eng_nl_addr(void *, const struct nl_addr *, bool);
static void	 eng_nl_resync(void *);
static void	 eng_vip_deleted(const struct nl_addr *);
static void	 eng_hold_cb(evutil_socket_t, short, void *);
static void	 eng_addrs_cb(evutil_socket_t, short, void *);
static void	 eng_release(struct eng_vhost *);
static void	 eng_na_again(struct eng_vhost *);
static void	 eng_na_cb(evutil_socket_t, short, void *);
static int	 eng_vmi(const struct eng_vhost *, int);
static bool	 eng_vm_needed(const struct eng_vhost *, int);
static bool	 eng_vmac_missing(const struct eng_vhost *);
static bool	 eng_vmac_any(const struct eng_vhost *);
static void	 eng_vmac_destroy(struct eng_vhost *);
static unsigned int eng_vip_if(const struct eng_vhost *, int);
static struct carp_addr eng_vip(const struct eng_vhost *, size_t);
static void	 eng_vmac_up(struct eng_vhost *);
static void	 eng_vmac_create(struct eng_vhost *);
static void	 eng_vmac_switch(struct eng_vhost *, bool);
static struct eng_vhost *eng_vmac_find(unsigned int, int *);
static void	 eng_send_failed(void *, const struct carp_addr *, int);
static void	 eng_send_done(void *, int, int);
static void	 eng_release_cb(void *);
static void	 eng_build_vips(void);
static void	 eng_sync_joins(void);
static struct eng_vhost *eng_vhost_add(const struct carp_vhid_conf *, bool);
static void	 eng_vhost_free(struct eng_vhost *);
static int	 eng_fam(int);
static void	 eng_flush(void);
static void	 eng_event_free(struct event **);
static void	 eng_flush_io(void);
static void	 eng_flush_cb(evutil_socket_t, short, void *);
static void	 eng_announce_cb(evutil_socket_t, short, void *);
static const struct nl_cbs eng_nl_cbs = {
	eng_nl_link, eng_nl_addr, eng_nl_resync, NULL
};

/* Index 0 for IPv4, 1 for IPv6. */
static int
eng_fam(int family)
{
	return family == AF_INET6 ? 1 : 0;
}

struct carp_node *
eng_node(void)
{
	return eng.node;
}

const struct carpd_conf *
eng_conf(void)
{
	return eng.conf;
}

int64_t
eng_start_time(void)
{
	return eng.start_wall;
}

/* 64 random bits for the counter's start. */
static uint64_t
eng_random(void *arg)
{
	uint64_t	 r;

	(void)arg;
	arc4random_buf(&r, sizeof(r));
	return r;
}

/* Every configured VIP, for source selection and loop detection. */
static void
eng_build_vips(void)
{
	struct eng_vhost	*v;
	struct carp_addr	*vips = NULL;
	size_t			 n = 0, i;

	for (v = eng.vhosts; v != NULL; v = v->next) {
		vips = xreallocarray(vips, n + v->conf.naddrs + 1,
		    sizeof(*vips));
		for (i = 0; i < v->conf.naddrs; i++)
			vips[n++] = v->conf.addrs[i];
	}
	ifaddr_set_vips(vips, n);
	free(vips);
}

/*
 * Join 224.0.0.18 / ff02::12 on every interface with a VHID of that
 * family, and leave the groups nothing needs any more.
 */
static void
eng_sync_joins(void)
{
	struct eng_vhost	*v;
	size_t			 i;

	joins_begin();
	for (v = eng.vhosts; v != NULL; v = v->next)
		for (i = 0; i < v->conf.naddrs; i++)
			joins_want(v->conf.ifindex, v->conf.addrs[i].family);
	joins_sync();
}

/* Create the daemon's side of a VHID and add it to the engine. */
static struct eng_vhost *
eng_vhost_add(const struct carp_vhid_conf *c, bool vmac)
{
	struct eng_vhost	*v;
	bool			 up = false;
	int			 n;

	v = xcalloc(1, sizeof(*v));
	v->conf = *c;
	if ((v->t.impl = evtimer_new(eng.base, eng_timer_cb, v)) == NULL ||
	    (v->ev_na = evtimer_new(eng.base, eng_na_cb, v)) == NULL) {
		log_warnx("%d@%s: cannot add vhid: no timer", c->vhid,
		    c->ifname);
		if (v->t.impl != NULL)
			event_free(v->t.impl);
		free(v);
		return NULL;
	}
	tmr_add(&v->t);
	/* A crashed carpd's VIPs: remove exact matches, nothing else. */
	if ((n = nl_addr_purge(c->ifindex, c->addrs, c->naddrs)) > 0)
		log_info("%d@%s: removed %d address(es) left behind",
		    c->vhid, c->ifname, n);
	v->vmac_want = vmac;
	eng_vmac_switch(v, vmac);
	if (nl_link_query(c->ifindex, &up) == -1)
		up = false;
	v->vh = carp_vhid_add(eng.node, c, up, v, clock_now());
	if (v->vh == NULL) {
		log_warn("%d@%s: cannot add vhid", c->vhid, c->ifname);
		eng_vmac_destroy(v);
		tmr_remove(&v->t);
		event_free(v->t.impl);
		event_free(v->ev_na);
		free(v);
		return NULL;
	}
	v->deaf = true;
	if (eng.ev_listen != NULL)
		event_active(eng.ev_listen, EV_TIMEOUT, 0);
	v->next = eng.vhosts;
	eng.vhosts = v;
	return v;
}

/* Free the daemon's side of a VHID (the engine's side is gone). */
static void
eng_vhost_free(struct eng_vhost *v)
{
	/* A hand-over still waiting for this VHID's backup ends now. */
	handover_forget(v);
	eng_vmac_destroy(v);
	tmr_remove(&v->t);
	event_free(v->t.impl);
	event_free(v->ev_na);
	free(v);
}

/*
 * A VHID's macvlans: [0] for CARP (both families, 00:00:5e:00:01:VHID,
 * as FreeBSD) and for VRRPv3 over IPv4; [1] for VRRPv3 over IPv6, whose
 * virtual MAC is 00:00:5e:00:02:VRID (RFC 5798 7.3; docs/protocol.md,
 * decision 18).  The macvlan serving a family's VIPs.
 */
static int
eng_vmi(const struct eng_vhost *v, int family)
{
	return v->conf.proto == CARP_PROTO_VRRP3 && family == AF_INET6;
}

/* Does the VHID need macvlan k (it has addresses it serves)? */
static bool
eng_vm_needed(const struct eng_vhost *v, int k)
{
	size_t	 i;

	if (v->conf.proto != CARP_PROTO_VRRP3)
		return k == 0;
	for (i = 0; i < v->conf.naddrs; i++)
		if (eng_vmi(v, v->conf.addrs[i].family) == k)
			return true;
	return false;
}

/* A macvlan the VHID needs is missing (never made, or deleted). */
static bool
eng_vmac_missing(const struct eng_vhost *v)
{
	int	 k;

	for (k = 0; k < 2; k++)
		if (eng_vm_needed(v, k) && v->vmac[k].ifindex == 0)
			return true;
	return false;
}

/* The VHID has a macvlan. */
static bool
eng_vmac_any(const struct eng_vhost *v)
{
	return v->vmac[0].ifindex != 0 || v->vmac[1].ifindex != 0;
}

static void
eng_vmac_destroy(struct eng_vhost *v)
{
	vmac_destroy(&v->vmac[0]);
	vmac_destroy(&v->vmac[1]);
}

/*
 * Where a VHID's VIPs of a family live: their macvlan while that is up
 * (MASTER in mac-mode virtual), else the interface itself.
 */
static unsigned int
eng_vip_if(const struct eng_vhost *v, int family)
{
	const struct vmac	*m = &v->vmac[eng_vmi(v, family)];

	return m->ifindex != 0 && m->up ? m->ifindex : v->conf.ifindex;
}

/*
 * A VIP as it is added: on a macvlan as /32 or /128, so that no prefix
 * route sends the host's own traffic out of the virtual MAC.
 */
static struct carp_addr
eng_vip(const struct eng_vhost *v, size_t i)
{
	struct carp_addr	 a = v->conf.addrs[i];

	if (eng_vip_if(v, a.family) != v->conf.ifindex)
		a.prefixlen = a.family == AF_INET ? 32 : 128;
	return a;
}

/* Bring a VHID's macvlans up (taking over); create those that went away. */
static void
eng_vmac_up(struct eng_vhost *v)
{
	struct vmac	*m;
	int		 k;

	if (!v->vmac_want)
		return;
	if (eng_vmac_missing(v))
		eng_vmac_create(v);
	for (k = 0; k < 2; k++) {
		m = &v->vmac[k];
		/* Queued: it goes first in the flush, before the advert. */
		if (m->ifindex != 0 && !m->up &&
		    vmac_set_up_queued(m) == -1 && vmac_set_up(m, true) == -1)
			log_warnx("%d@%s: the virtual MAC is unavailable, "
			    "this term uses the interface's own",
			    v->conf.vhid, v->conf.ifname);
	}
}

/*
 * Create or remove a VHID's macvlans (start, reload, or a macvlan someone
 * deleted).  A MASTER moves its VIPs over and announces them again.
 */
static void
eng_vmac_switch(struct eng_vhost *v, bool want)
{
	bool		 master = v->vh != NULL &&
			    carp_vhid_state(v->vh) == CARP_ST_MASTER;
	unsigned int	 vif;
	size_t		 i;

	v->vmac_want = want;
	if (want ? !eng_vmac_missing(v) : !eng_vmac_any(v))
		return;
	if (master)
		eng_release(v);
	if (!want)
		eng_vmac_destroy(v);
	else
		eng_vmac_create(v);
	if (!master)
		return;
	eng_vmac_up(v);
	for (i = 0; i < v->conf.naddrs; i++) {
		struct carp_addr a = eng_vip(v, i);

		nl_addr_hold(eng_vip_if(v, a.family), &a, v->hold_s);
	}
	v->held_at = clock_mono_us();
	eng_flush_io();
	for (i = 0; i < v->conf.naddrs; i++) {
		const struct carp_addr *ca = &v->conf.addrs[i];

		vif = eng_vip_if(v, ca->family);
		if (ca->family == AF_INET)
			arp_garp(vif, &ca->a.v4);
		else if (vif != v->conf.ifindex)
			arp_na_from(vif, &ca->a.v6, &ca->a.v6);
		else
			arp_na(v->conf.ifindex, &ca->a.v6);
	}
}

/*
 * Create a VHID's missing macvlans, down; on failure the interface's MAC
 * serves.
 */
static void
eng_vmac_create(struct eng_vhost *v)
{
	bool	 vrrp = v->conf.proto == CARP_PROTO_VRRP3, v6 = false;
	size_t	 i;
	int	 k;

	for (i = 0; i < v->conf.naddrs; i++)
		if (v->conf.addrs[i].family == AF_INET6)
			v6 = true;
	for (k = 0; k < 2; k++) {
		if (!eng_vm_needed(v, k) || v->vmac[k].ifindex != 0)
			continue;
		if (vmac_create_kind(&v->vmac[k], v->conf.ifindex,
		    v->conf.vhid, k ? VMAC_KIND_IP6 : VMAC_KIND_IP4,
		    vrrp ? k == 1 : v6) == -1)
			log_warnx("%d@%s: no virtual MAC%s: answering with "
			    "the interface's own (mac-mode interface "
			    "silences this)", v->conf.vhid, v->conf.ifname,
			    !vrrp ? "" : k ? " for IPv6" : " for IPv4");
	}
}

/* The VHID whose macvlan this is (*k: which one), or NULL. */
static struct eng_vhost *
eng_vmac_find(unsigned int ifindex, int *k)
{
	struct eng_vhost	*v;

	for (v = eng.vhosts; v != NULL; v = v->next)
		for (*k = 0; *k < 2; (*k)++)
			if (v->vmac[*k].ifindex == ifindex)
				return v;
	return NULL;
}

/* Start the engine. */
int
eng_init(struct event_base *base, struct carpd_conf *conf)
{
	static const struct carp_host host = { eng_emit, eng_random, NULL };
	static const struct tmr_backend tb = { clock_now, eng_tmr_arm,
	    eng_tmr_cancel, eng_tmr_pending, txq_pending };
	size_t		 i;
	int		 fam, need[2] = { 0, 0 };

	eng.base = base;
	eng.conf = conf;
	tmr_init(&tb);
	handover_init(base, eng_release_cb);
	eng.start_wall = clock_now().wall_us;
	if (nl_open() == -1)
		return -1;
	if (ifaddr_reload() == -1)
		return -1;
	if (arp_open() == -1)
		log_warnx("announcements unavailable: no gratuitous ARP or NA");
	/* An earlier carpd's macvlans go: ours are created down below. */
	vmac_cleanup();
	eng.pfd = raw_open_packet();
	txq_set_fd(TXQ_PKT6, eng.pfd);
	txq_set_fd(TXQ_PKT4, eng.pfd);

	for (i = 0; i < conf->nvhids; i++) {
		const struct carp_vhid_conf *c = &conf->vhids[i].cv_conf;
		size_t j;

		for (j = 0; j < c->naddrs; j++)
			need[eng_fam(c->addrs[j].family)] = 1;
	}
	/* Both families: a reload may add the other one. */
	for (fam = 0; fam < 2; fam++) {
		eng.fd[fam] = raw_open(fam ? AF_INET6 : AF_INET,
		    (uint8_t)conf->dscp);
		if (eng.fd[fam] == -1) {
			if (need[fam])
				return -1;
			continue;
		}
		txq_set_fd(fam ? TXQ_IP6 : TXQ_IP4, eng.fd[fam]);
		joins_set_fd(fam ? AF_INET6 : AF_INET, eng.fd[fam]);
		eng.ev_raw[fam] = event_new(base, eng.fd[fam],
		    EV_READ | EV_PERSIST, eng_raw_cb, (void *)(intptr_t)fam);
		if (eng.ev_raw[fam] == NULL || event_add(eng.ev_raw[fam],
		    NULL) == -1)
			fatalx("%s: raw socket event", __func__);
	}
	eng.ev_nl = event_new(base, nl_monitor_fd(), EV_READ | EV_PERSIST,
	    eng_nl_cb, NULL);
	if (eng.ev_nl == NULL || event_add(eng.ev_nl, NULL) == -1)
		fatalx("%s: netlink event", __func__);
	eng.ev_hold = event_new(base, nl_hold_fd(), EV_READ | EV_PERSIST,
	    eng_hold_cb, NULL);
	if (eng.ev_hold == NULL || event_add(eng.ev_hold, NULL) == -1)
		fatalx("%s: netlink hold event", __func__);
	/*
	 * A master refreshes its VIPs with every other advert; following
	 * address events would mostly hear those, so only removals are
	 * heard (a VIP someone else deleted is put back at once).  The
	 * interfaces' own addresses (advert sources, loop detection) are
	 * re-read every ENG_ADDRS_S seconds, on link changes and on send
	 * errors.
	 */
	if (nl_monitor_deletions() == -1)
		nl_monitor_addrs(false);
	eng.ev_addrs = event_new(base, -1, EV_PERSIST, eng_addrs_cb, NULL);
	if (eng.ev_addrs == NULL || event_add(eng.ev_addrs,
	    &(struct timeval){ ENG_ADDRS_S, 0 }) == -1)
		fatalx("%s: address timer", __func__);
	/* The engine's priority: it runs after the callbacks already due. */
	/*
	 * Run first in the loop's first round, before any timer: the VHIDs
	 * added below start listening then (eng_listen_cb).
	 */
	if ((eng.ev_listen = event_new(base, -1, 0, eng_listen_cb, NULL)) ==
	    NULL)
		fatalx("%s: listen event", __func__);
	if ((eng.ev_flush = event_new(base, -1, 0, eng_flush_cb, NULL)) ==
	    NULL)
		fatalx("%s: flush event", __func__);
	if ((eng.ev_rx = evtimer_new(base, eng_rx_cb, NULL)) == NULL)
		fatalx("%s: read event", __func__);
	/*
	 * After the engine's own events (priority 2, with HTTP's): the
	 * timers that came due while a round of take-overs flushed run
	 * first, and their adverts leave before these announcements.
	 */
	if ((eng.ev_announce = event_new(base, -1, 0, eng_announce_cb,
	    NULL)) == NULL || event_priority_set(eng.ev_announce, 2) == -1)
		fatalx("%s: announce event", __func__);

	notify_init(base, conf->notify_script, conf->notify_timeout);
	if ((eng.node = carp_node_new(&conf->node, &host)) == NULL)
		fatal("%s: carp_node_new", __func__);
	for (i = 0; i < conf->nvhids; i++)
		if (eng_vhost_add(&conf->vhids[i].cv_conf,
		    conf_vhid_vmac(conf, &conf->vhids[i])) == NULL)
			return -1;
	eng_build_vips();
	eng_sync_joins();
	return 0;
}

/*
 * Sub-second VRRPv3 intervals need a prompt wake-up, whatever else the
 * host runs: with such a VHID the event loop's thread runs SCHED_RR at
 * the lowest real-time priority, else normally.  A timer 10 ms away is
 * otherwise late by the scheduler's slices on a busy host (13-25 ms gaps
 * at load 7 on 2 cores, 037).  SCHED_RESET_ON_FORK: threads started later
 * (SNMP's) and notify scripts run normally.  A reload may need
 * RLIMIT_RTPRIO once the privileges are gone (eng_sched_init).
 */
static void
eng_sched(void)
{
	static int		 cur = -1;
	struct sched_param	 sp;
	struct eng_vhost	*v;
	int			 want = 0;

	for (v = eng.vhosts; v != NULL; v = v->next)
		if (v->conf.proto == CARP_PROTO_VRRP3 &&
		    v->conf.vrrp_interval < ENG_RT_BELOW_CS)
			want = 1;
	eng.rx_batch = want;
	if (!want)
		eng_rx_drain();
	if (want == cur || (cur == -1 && !want))
		return;
	memset(&sp, 0, sizeof(sp));
	sp.sched_priority = want ? ENG_RT_PRIO : 0;
	if (sched_setscheduler(0, (want ? SCHED_RR : SCHED_OTHER) |
	    SCHED_RESET_ON_FORK, &sp) == -1) {
		if (want)
			log_warn("sub-second VRRPv3 intervals: cannot run "
			    "real-time (SCHED_RR), adverts may be late under "
			    "load");
		return;
	}
	log_info("event loop: %s", want ? "real-time (SCHED_RR priority 1) "
	    "for sub-second VRRPv3 intervals" : "normal scheduling");
	cur = want;
}

/*
 * Before the privileges go: the scheduling the configuration asks for,
 * and RLIMIT_RTPRIO for a reload that asks for it later (best effort).
 */
void
eng_sched_init(void)
{
	struct rlimit	 rl;

	if (getrlimit(RLIMIT_RTPRIO, &rl) == 0 &&
	    rl.rlim_cur < ENG_RT_PRIO) {
		rl.rlim_cur = ENG_RT_PRIO;
		if (rl.rlim_max < ENG_RT_PRIO)
			rl.rlim_max = ENG_RT_PRIO;
		(void)setrlimit(RLIMIT_RTPRIO, &rl);
	}
	eng_sched();
}

/* Apply a new configuration without disturbing unchanged VHIDs. */
int
eng_reload(struct carpd_conf *nc)
{
	struct carpd_conf	*old = eng.conf;
	struct eng_vhost	*v, **vp;
	struct carp_time	 now = clock_now();
	size_t			 i;
	int			 fam, rv = 0;
	bool			 found;

	/* Removed VHIDs release and go. */
	for (vp = &eng.vhosts; *vp != NULL; ) {
		v = *vp;
		found = false;
		for (i = 0; i < nc->nvhids && !found; i++)
			found = conf_vhid_same(&v->conf,
			    &nc->vhids[i].cv_conf) != 0;
		if (found) {
			vp = &v->next;
			continue;
		}
		log_info("%d@%s: removed by reload", v->conf.vhid,
		    v->conf.ifname);
		*vp = v->next;
		carp_vhid_remove(v->vh, now);
		txq_forget(v);
		eng_vhost_free(v);
	}
	/*
	 * Node settings; a changed starting demotion is the ledger's entry
	 * "config" (ctl_restore(), after the reload).
	 */
	carp_node_configure(eng.node, &nc->node, now);
	if (nc->dscp != old->dscp)
		for (fam = 0; fam < 2; fam++)
			if (eng.fd[fam] != -1)
				raw_set_dscp(eng.fd[fam],
				    fam ? AF_INET6 : AF_INET,
				    (uint8_t)nc->dscp);

	/* Changed VHIDs update in place, new ones start. */
	for (i = 0; i < nc->nvhids; i++) {
		const struct carp_vhid_conf *c = &nc->vhids[i].cv_conf;
		bool vm = conf_vhid_vmac(nc, &nc->vhids[i]);

		for (v = eng.vhosts; v != NULL; v = v->next)
			if (conf_vhid_same(&v->conf, c))
				break;
		if (v == NULL) {
			log_info("%d@%s: added by reload", c->vhid, c->ifname);
			if (eng_vhost_add(c, vm) == NULL)
				rv = -1;
			continue;
		}
		if (!conf_vhid_equal(&v->conf, c)) {
			log_info("%d@%s: changed by reload", c->vhid,
			    c->ifname);
			/* The old addresses are released under the old conf. */
			carp_vhid_update(v->vh, c, now);
			v->conf = *c;
		}
		if (vm != v->vmac_want) {
			log_info("%d@%s: mac-mode %s by reload", c->vhid,
			    c->ifname, vm ? "virtual" : "interface");
			eng_vmac_switch(v, vm);
		}
	}
	eng.conf = nc;
	notify_init(eng.base, nc->notify_script, nc->notify_timeout);
	eng_build_vips();
	eng_sync_joins();
	eng_sched();
	conf_free(old);
	return rv;
}

/* Graceful stop: the engine bows out and releases. */
void
eng_shutdown(void)
{
	if (eng.node == NULL || eng.stopping)
		return;
	eng.stopping = true;
	carp_shutdown(eng.node, clock_now());
	eng_flush();		/* the bow-outs leave now */
	handover_start();
}

/* Addresses still handed over (not yet released) after eng_shutdown(). */
bool
eng_handing_over(void)
{
	return handover_pending();
}

/*
 * Remove a VHID's addresses (after the queued adverts and holds).  A
 * macvlan goes down first: removing an IPv6 address from an up one sends
 * an MLD report from the virtual MAC, which would pull the switch's entry
 * back to this port (docs/protocol.md, decision 12).  Both are sent by
 * the renewal thread, in that order: a link down waits for the RTNL lock
 * and an RCU grace period, and 255 of them held the event loop for 4 s.
 * Any later request for the kernel, a take-over's included, waits until
 * they are done.
 */
static void
eng_release(struct eng_vhost *v)
{
	struct carp_addr	 a;
	unsigned int		 vif[2];
	size_t			 i;
	int			 k;

	eng_flush_io();
	v->held_at = 0;
	vif[0] = eng_vip_if(v, AF_INET);
	vif[1] = eng_vip_if(v, AF_INET6);
	for (k = 0; k < 2; k++)
		if (v->vmac[k].ifindex != 0 && v->vmac[k].up &&
		    vmac_set_down_hold(&v->vmac[k]) == -1)
			vmac_set_up(&v->vmac[k], false);
	for (i = 0; i < v->conf.naddrs; i++) {
		a = v->conf.addrs[i];
		k = eng_fam(a.family);
		if (vif[k] != v->conf.ifindex)
			a.prefixlen = a.family == AF_INET ? 32 : 128;
		nl_addr_del_hold(vif[k], &a);
	}
	nl_hold_flush_bg();
}

/* A hand-over's end (agent/handover.c). */
static void
eng_release_cb(void *who)
{
	eng_release(who);
}

/* Free everything. */
void
eng_free(void)
{
	struct eng_vhost	*v, *next;
	int			 fam;

	/* Events not handed on yet are not: no script runs at exit. */
	dispatch_free();
	eng_flush();
	handover_free();
	for (v = eng.vhosts; v != NULL; v = next) {
		next = v->next;
		eng_vhost_free(v);
	}
	eng.vhosts = NULL;
	carp_node_free(eng.node);
	eng.node = NULL;
	for (fam = 0; fam < 2; fam++) {
		eng_event_free(&eng.ev_raw[fam]);
		if (eng.fd[fam] != -1)
			close(eng.fd[fam]);
		eng.fd[fam] = -1;
	}
	eng_event_free(&eng.ev_nl);
	eng_event_free(&eng.ev_hold);
	eng_event_free(&eng.ev_addrs);
	eng_event_free(&eng.ev_flush);
	eng_event_free(&eng.ev_announce);
	eng_event_free(&eng.ev_listen);
	eng_event_free(&eng.ev_rx);
	eng.rx_due[0] = eng.rx_due[1] = false;
	if (eng.pfd != -1)
		close(eng.pfd);
	eng.pfd = -1;
	txq_free();
	notify_shutdown();
	nl_close();
	arp_close();
	ifaddr_free();
	joins_free();
	conf_free(eng.conf);
	eng.conf = NULL;
}

/* Free an event if there is one, and forget it. */
static void
eng_event_free(struct event **ev)
{
	if (*ev != NULL)
		event_free(*ev);
	*ev = NULL;
}

/* The address carpd sends a VHID's adverts of a family from. */
int
eng_vhid_source(const struct carp_vhid *vh, int family, struct carp_addr *out)
{
	struct eng_vhost	*v = carp_vhid_arg(vh);
	const struct carp_addr	*peer;
	int			 f = eng_fam(family);

	if (v == NULL)
		return -1;
	if (v->src_gen[f] != ifaddr_gen() || v->src[f].family == 0) {
		peer = f ? &v->conf.peer6 : &v->conf.peer4;
		memset(&v->src[f], 0, sizeof(v->src[f]));
		/* IPv6 adverts to ff02::12 leave from the link-local one. */
		if (ifaddr_choose(v->conf.ifindex, family, peer->family == 0,
		    &v->src[f]) == -1)
			return -1;
		v->src_gen[f] = ifaddr_gen();
	}
	*out = v->src[f];
	return 0;
}

/* Queue one advert, from the interface's own address, for eng_flush. */
static int
eng_send(struct eng_vhost *v, const struct carp_action *a)
{
	struct carp_addr	 src;
	struct raw_msg		*m;
	const struct carp_addr	*dst = &a->a.send.dst;
	unsigned int		 ifindex = a->ifindex;
	int			 fam = eng_fam(dst->family), qi = fam, rc;
	bool			 mcast;

	if (eng.fd[fam] == -1)
		return EAFNOSUPPORT;
	if (eng_vhid_source(v->vh, dst->family, &src) == -1) {
		/*
		 * No address of our own yet: let the kernel choose, for
		 * CARP.  A VRRPv3 checksum covers the source (RFC 5798
		 * 5.2.8): without one, nothing valid can leave.
		 */
		if (a->a.send.vrrp)
			return EADDRNOTAVAIL;
		memset(&src, 0, sizeof(src));
	}
	/*
	 * VRRPv3 (RFC 5798 5.1.1.1, 5.1.2.2): from the interface's primary
	 * IPv4 address or its IPv6 link-local one, the source the checksum
	 * is completed for here.
	 */
	if (a->a.send.vrrp && vrrp_pkt_finalize(a->a.send.data,
	    a->a.send.len, &src, dst) == -1)
		return EINVAL;
	/*
	 * A master's multicast adverts leave from the virtual MAC, so the
	 * switch learns the master's port from each of them; unicast ones
	 * from the interface's own, as FreeBSD 14's carp_output.
	 */
	mcast = fam ? IN6_IS_ADDR_MULTICAST(&dst->a.v6) :
	    IN_MULTICAST(ntohl(dst->a.v4.s_addr));
	if (mcast && eng_vip_if(v, dst->family) != v->conf.ifindex) {
		ifindex = eng_vip_if(v, dst->family);
		/* An IPv6 raw socket refuses the parent's link-local. */
		if (fam == 1 && txq_fd(TXQ_PKT6) != -1 &&
		    src.family == AF_INET6)
			qi = TXQ_PKT6;
		/* VRRPv3 over IPv4: no route lookup per advert (raw.c). */
		else if (fam == 0 && a->a.send.vrrp &&
		    txq_fd(TXQ_PKT4) != -1 && src.family == AF_INET)
			qi = TXQ_PKT4;
	}
	m = txq_slot(qi);
	if (qi == TXQ_PKT6)
		rc = raw_msg_init_ll6(m, ifindex, &src, dst,
		    (uint8_t)eng.conf->dscp, a->a.send.data, a->a.send.len);
	else if (qi == TXQ_PKT4)
		rc = raw_msg_init_ll4(m, ifindex, &src, dst,
		    (uint8_t)eng.conf->dscp, a->a.send.data, a->a.send.len);
	else
		rc = raw_msg_init(m, ifindex, &src, dst, a->a.send.data,
		    a->a.send.len);
	if (rc == -1)
		return errno;
	txq_commit(qi, v);
	eng_flush_later();
	return CARP_SEND_QUEUED;
}

/* Send what is queued at the end of this round of callbacks. */
void
eng_flush_later(void)
{
	if (eng.ev_flush != NULL)
		event_active(eng.ev_flush, EV_TIMEOUT, 0);
	else
		eng_flush_io();
}

static void
eng_flush_cb(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	(void)what;
	(void)arg;
	eng_flush();
}

/*
 * Send the queued adverts and holds (eng_flush_io), then report each
 * advert's outcome to the engine, then hand the round's events to the
 * notify script and SNMP (dispatch_flush).  The flush event is activated
 * by the first advert, hold or event queued in a round of the event loop;
 * libevent appends it to the round's active callbacks, so every timer
 * due in that round has queued its advert by then.
 */
static void
eng_flush(void)
{
	eng_flush_io();
	if (eng.ev_announce != NULL && eng.announcing)
		event_active(eng.ev_announce, EV_TIMEOUT, 0);
	else
		eng_announce_due();
	if (txq_report(eng_send_done))
		eng_flush_later();
	dispatch_flush();
	/*
	 * libevent computes the next poll timeout from the time it cached
	 * for this round (or eng_tmr_arm's update), before these sends.  A
	 * round of 255 adverts and their netlink holds takes 4-20 ms under
	 * load: every timer then fired that much late, and each MASTER's
	 * interval, re-armed from its callback, stretched to 14-33 ms at
	 * 255 VHIDs x 10 ms (the adverts at half their rate; the backups
	 * timed out).  Bring the cache up to now.
	 */
	event_base_update_cache_time(eng.base);
}

/*
 * The announcements of the VHIDs that took over in this round, after
 * their macvlans, addresses and adverts went in one flush.  Each
 * take-over used to flush on its own: 255 VRRPv3 groups taking over at
 * once waited for the RTNL lock 255 times, one after another, and the
 * last advertised 12 ms after the first (tests/bench/vrrp.sh, cut
 * partition).  They wait for the engine's events due meanwhile
 * (eng.ev_announce, a lower priority): 255 groups whose deadlines fall
 * within 2 ms take over in two or three rounds, and a round's gratuitous
 * ARPs held the next round's take-overs, and their first adverts, up by
 * as long as they took.  The advert from the virtual MAC has already
 * moved the switch's entry; the ARPs follow it by a few milliseconds.
 */
static void
eng_announce_due(void)
{
	struct eng_vhost	*v;
	uint8_t			 ann;

	if (!eng.announcing)
		return;
	eng.announcing = false;
	for (v = eng.vhosts; v != NULL; v = v->next) {
		if ((ann = v->announce) == 0)
			continue;
		v->announce = 0;
		/* Released in the same round: nothing to announce. */
		if (carp_vhid_state(v->vh) == CARP_ST_MASTER)
			eng_announce(v, ann);
	}
}

/* The announcements of the rounds flushed meanwhile (eng_flush). */
static void
eng_announce_cb(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	(void)what;
	(void)arg;
	eng_announce_due();
}

/* A VHID's gratuitous ARPs and unsolicited NAs for its addresses. */
static void
eng_announce(struct eng_vhost *v, uint8_t ann)
{
	size_t	 i;

	for (i = 0; i < v->conf.naddrs; i++) {
		const struct carp_addr *ca = &v->conf.addrs[i];

		if (ca->family == AF_INET && (ann & ENG_ANN_ARP))
			arp_garp(eng_vip_if(v, AF_INET), &ca->a.v4);
		else if (ca->family == AF_INET6 && (ann & ENG_ANN_NA) &&
		    eng_vip_if(v, AF_INET6) != v->conf.ifindex) {
			/* No link-local there: from the VIP itself. */
			arp_na_from(eng_vip_if(v, AF_INET6), &ca->a.v6,
			    &ca->a.v6);
			eng_na_again(v);
		}
		else if (ca->family == AF_INET6 && (ann & ENG_ANN_NA))
			arp_na(v->conf.ifindex, &ca->a.v6);
	}
}

/* An advert's outcome, for the engine's send-error counting. */
static void
eng_send_done(void *who, int family, int err)
{
	struct eng_vhost	*v = who;

	carp_send_done(v->vh, family, err);
}

/* A failed send, at debug level (the engine counts them). */
static void
eng_send_failed(void *who, const struct carp_addr *dst, int err)
{
	struct eng_vhost	*v = who;
	char			 buf[INET6_ADDRSTRLEN];

	log_debug("carp: %d@%s: send to %s: %s", v != NULL ? v->conf.vhid : 0,
	    v != NULL ? v->conf.ifname : "?",
	    carp_addr_ntop(dst, buf, sizeof(buf)), strerror(err));
}

/*
 * Send what is queued, without calling the engine (this runs inside its
 * actions too: before an announcement, before a release): the adverts
 * with one sendmmsg(2) per family, then the holds in one netlink datagram.
 */
static void
eng_flush_io(void)
{
	bool	 failed;

	nl_link_flush();		/* macvlans up before their adverts */
	/*
	 * A takeover's addresses go before its advert.  The advert leaves
	 * from the virtual MAC and moves the switch's entry to this port:
	 * frames for the VIP arrive from then on, and without the address
	 * the kernel drops them.  The kernel adds the addresses within the
	 * send, which waits for the RTNL lock; under load that took 20 ms to
	 * 0.5 s, a gap the clients saw in full (033, 034).  Renewals, the
	 * usual case, still go after the adverts, which they must not delay,
	 * and from the renewal thread: waiting for the RTNL lock here would
	 * hold up every advert due meanwhile (10 ms VRRPv3 ones missed their
	 * backups' deadlines while another VHID took over, 037).
	 */
	if (eng.taking) {
		nl_hold_flush();
		eng.taking = false;
	}
	failed = txq_send(eng_send_failed);
	nl_hold_flush_bg();
	/* Perhaps our source address went away: look again. */
	if (failed)
		ifaddr_reload();
}

/* The timers' backend (agent/tmr.h): libevent's. */
static void
eng_tmr_arm(struct tmr_slot *s, uint64_t d)
{
	struct timeval	 tv;

	tv.tv_sec = (time_t)(d / 1000000);
	tv.tv_usec = (suseconds_t)(d % 1000000);
	/*
	 * libevent adds tv to the time it cached before this round's
	 * callbacks, which is older than now: the timer would fire early by
	 * the time the round has taken, find its deadline not yet come and be
	 * armed again, one wake-up per VHID.  Bring the cache up to now.
	 */
	event_base_update_cache_time(eng.base);
	evtimer_add((struct event *)s->impl, &tv);
}

static void
eng_tmr_cancel(struct tmr_slot *s)
{
	evtimer_del((struct event *)s->impl);
}

static bool
eng_tmr_pending(const struct tmr_slot *s)
{
	return evtimer_pending((struct event *)s->impl, NULL);
}

static void
eng_timer_cb(evutil_socket_t fd, short what, void *arg)
{
	struct eng_vhost	*v = arg;

	(void)fd;
	(void)what;
	if (eng.rx_due[0] || eng.rx_due[1])
		eng_rx_drain();
	else if (eng.rx_batch && carp_vhid_state(v->vh) == CARP_ST_BACKUP &&
	    clock_mono_us() - eng.rx_at > ENG_RX_STALE_US) {
		/*
		 * The loop was held up (a take-over's netlink send waited
		 * for the RTNL lock): the timers due meanwhile run in the
		 * same round as the adverts that came, before their
		 * socket's event.  Read them first.
		 */
		eng_raw_read(0);
		eng_raw_read(1);
	}
	tmr_fire(&v->t);
}

/*
 * A MASTER's unsolicited NA from the virtual MAC goes once more
 * ENG_NA_AGAIN_MS later.  The node it preempted renews its VIP's lease
 * right after the advert that triggered the preemption, and in the first
 * seconds of its term the kernel answers that renewal with MLD reports
 * from the virtual MAC, some 10-30 ms later: after our take-over.  The
 * switch then learns the virtual MAC on the old master's port, which no
 * longer answers, until our next frame from it (0.3-0.8 s in 034).
 * docs/protocol.md, decision 12.
 */
static void
eng_na_again(struct eng_vhost *v)
{
	struct timeval	 tv = { 0, ENG_NA_AGAIN_MS * 1000 };

	if (!evtimer_pending(v->ev_na, NULL))
		evtimer_add(v->ev_na, &tv);
}

static void
eng_na_cb(evutil_socket_t fd, short what, void *arg)
{
	struct eng_vhost	*v = arg;
	size_t			 i;

	(void)fd;
	(void)what;
	if (v->vh == NULL || carp_vhid_state(v->vh) != CARP_ST_MASTER ||
	    eng_vip_if(v, AF_INET6) == v->conf.ifindex)
		return;
	for (i = 0; i < v->conf.naddrs; i++) {
		const struct carp_addr *ca = &v->conf.addrs[i];

		if (ca->family == AF_INET6)
			arp_na_from(eng_vip_if(v, AF_INET6), &ca->a.v6,
			    &ca->a.v6);
	}
}

/* Carry out one of the engine's actions. */
static int
eng_emit(void *arg, const struct carp_action *a)
{
	struct eng_vhost	*v = a->vh != NULL ? carp_vhid_arg(a->vh) : NULL;
	uint64_t		 now_us;
	size_t			 i;

	(void)arg;
	switch (a->type) {
	case CARP_ACT_SEND:
		return eng_send(v, a);
	case CARP_ACT_HOLD:
		/*
		 * A lease renewed with every advert, at most every
		 * ENG_HOLD_EVERY_US: below that only VRRPv3 advertises,
		 * whose lease is then 1 s (CARP_ACT_HOLD), so it ends
		 * at most 1.25 s after the last advert instead of 1 s, and
		 * a 10 ms master does not renew its addresses 100 times a
		 * second, a netlink round in the kernel each.
		 */
		now_us = clock_mono_us();
		if (v->held_at != 0 && a->a.hold.lifetime_s == v->hold_s &&
		    now_us - v->held_at < ENG_HOLD_EVERY_US)
			break;
		v->hold_s = a->a.hold.lifetime_s;
		for (i = 0; i < v->conf.naddrs; i++) {
			struct carp_addr va = eng_vip(v, i);

			nl_addr_hold(eng_vip_if(v, va.family), &va,
			    v->hold_s);
		}
		v->held_at = now_us;
		eng_flush_later();
		break;
	case CARP_ACT_RELEASE:
		if (eng.stopping) {
			/* Released when the backup has spoken. */
			handover_add(a->ifindex, a->vhid, v);
			break;
		}
		eng_release(v);
		break;
	case CARP_ACT_ANNOUNCE:
		/*
		 * The advert and the addresses first, as FreeBSD: at the
		 * round's flush, with those of every VHID that took over in
		 * the same round (eng_announce_due).
		 */
		v->announce |= (a->a.announce.arp ? ENG_ANN_ARP : 0) |
		    (a->a.announce.na ? ENG_ANN_NA : 0);
		eng.announcing = true;
		if (eng.ev_flush == NULL) {
			eng_flush_io();
			eng_announce_due();
		} else
			eng_flush_later();
		break;
	case CARP_ACT_TIMER:
		tmr_set(&v->t, a->vh, a->a.timer.at_us);
		break;
	case CARP_ACT_STATE:
		/* Up before the first advert: it leaves from the vMAC. */
		if (a->a.state.to == CARP_ST_MASTER) {
			eng_vmac_up(v);
			eng.taking = true;
			tmr_took_over(&v->t);
		}
		dispatch_state(a, &v->conf);
		break;
	case CARP_ACT_DEMOTION:
		dispatch_demotion(a);
		break;
	case CARP_ACT_NO_MASTER:
		dispatch_no_master(a, &v->conf);
		break;
	}
	return 0;
}

/* Packets on a raw socket: read them all, feed the engine. */
static void
eng_raw_cb(evutil_socket_t fd, short what, void *arg)
{
	struct timeval	 tv = { 0, ENG_RX_DEFER_US };
	int		 fam = (int)(intptr_t)arg;

	(void)fd;
	(void)what;
	/*
	 * With sub-second VRRPv3 VHIDs a backup hears thousands of adverts
	 * a second, which its master sends in batches (one sendmmsg a
	 * round): woken by the first of each, it read 4.3 adverts a wake-up
	 * at 255 groups x 10 ms, and the wake-ups and reads were most of
	 * its CPU.  The socket is read ENG_RX_DEFER_US after it becomes
	 * readable instead, the batch then in it, and before any VHID's
	 * timer runs (eng_timer_cb): a master-down deadline is never acted
	 * on with an advert waiting.  A deadline learnt that way is at most
	 * ENG_RX_DEFER_US later (docs/protocol.md, decision 8).
	 */
	if (eng.rx_batch && eng.ev_rx != NULL) {
		event_del(eng.ev_raw[fam]);
		eng.rx_due[fam] = true;
		if (!evtimer_pending(eng.ev_rx, NULL)) {
			event_base_update_cache_time(eng.base);
			evtimer_add(eng.ev_rx, &tv);
		}
		return;
	}
	eng_raw_read(fam);
}

/* The batched read's time has come. */
static void
eng_rx_cb(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	(void)what;
	(void)arg;
	eng_rx_drain();
}

/* Read the sockets whose batched read is due, and listen again. */
static void
eng_rx_drain(void)
{
	int	 fam;

	if (eng.ev_rx != NULL && evtimer_pending(eng.ev_rx, NULL))
		evtimer_del(eng.ev_rx);
	for (fam = 0; fam < 2; fam++) {
		if (!eng.rx_due[fam])
			continue;
		eng.rx_due[fam] = false;
		eng_raw_read(fam);
		event_add(eng.ev_raw[fam], NULL);
	}
}

/* Read what a raw socket holds and feed it to the engine. */
static void
eng_raw_read(int fam)
{
	static struct raw_batch	 b;	/* 33 KiB: not on the stack */
	struct carp_rx		*rx;
	struct carp_time	 now;
	enum carp_drop		 d;
	int			 fd = eng.fd[fam], i, rounds = 16;

	if (fd == -1)
		return;
	/* One system call per wake-up in the usual case of one packet. */
	do {
		if (raw_recv_batch(fd, fam ? AF_INET6 : AF_INET, &b) == -1)
			break;
		now = clock_now();	/* the read's, for all it brought */
		for (i = 0; i < b.n; i++) {
			rx = &b.rx[i];
			rx->looped = ifaddr_is_local(&rx->src);
			/*
			 * Protocol 112 is CARP's and VRRP's: the version
			 * nibble tells them apart, as in FreeBSD's
			 * carp_input.
			 */
			if (rx->len > 0 && rx->data[0] >> 4 == VRRP_VERSION) {
				ifaddr_rx_local(rx);
				d = carp_input_vrrp(eng.node, rx, now);
			} else
				d = carp_input(eng.node, rx, now);
			if (d == CARP_DROP_NONE) {
				if (rx->len > 1 && handover_pending())
					handover_heard(rx->ifindex,
					    rx->data[1]);
				continue;
			}
			dispatch_drop(rx, d, now);
		}
	} while (b.more && --rounds > 0);
	eng.rx_at = clock_mono_us();
}

/*
 * The first round after VHIDs were added (start, reload): their
 * master-down timers count from now, when the sockets are first read, not
 * from their carp_vhid_add().  Adding 255 VHIDs builds their macvlans, one
 * after another, and the multicast groups are joined after the last: a
 * 10 ms VRRPv3 backup's 36 ms Master_Down_Interval ran out before it
 * could hear its master, and a backup started beside a live master took
 * every group over for a moment (037).  Then what came meanwhile is read.
 */
static void
eng_listen_cb(evutil_socket_t fd, short what, void *arg)
{
	struct eng_vhost	*v;
	struct carp_time	 now = clock_now();
	int			 fam;

	(void)fd;
	(void)what;
	(void)arg;
	for (v = eng.vhosts; v != NULL; v = v->next) {
		if (!v->deaf)
			continue;
		v->deaf = false;
		carp_vhid_listening(v->vh, now);
	}
	for (fam = 0; fam < 2; fam++)
		if (eng.fd[fam] != -1)
			eng_raw_read(fam);
}

/* Netlink monitor readable. */
static void
eng_nl_cb(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	(void)what;
	(void)arg;
	nl_monitor_read(&eng_nl_cbs);
}

/* A link changed: the cable pull and plug of the seed scenario. */
static void
eng_nl_link(void *arg, const struct nl_link *l, bool deleted)
{
	struct eng_vhost	*v;
	int			 k;

	(void)arg;
	/* Our own macvlans: their ups and downs are ours. */
	if ((v = eng_vmac_find(l->ifindex, &k)) != NULL) {
		if (!deleted)
			return;
		log_warnx("%d@%s: %s was deleted; carpd makes it again",
		    v->conf.vhid, v->conf.ifname, v->vmac[k].name);
		vmac_gone(&v->vmac[k]);
		if (carp_vhid_state(v->vh) == CARP_ST_MASTER)
			eng_vmac_switch(v, true);
		return;
	}
	ifaddr_reload();
	carp_link_change(eng.node, l->ifindex, deleted ? false : l->up,
	    clock_now());
}

/* An address changed: keep the cache that picks advert sources. */
static void
eng_nl_addr(void *arg, const struct nl_addr *a, bool deleted)
{
	(void)arg;
	ifaddr_update(a, deleted);
	if (deleted && ifaddr_is_vip(&a->addr))
		eng_vip_deleted(a);
}

/*
 * A VIP went away.  carpd removes its own only when it is no longer
 * MASTER (or from an interface it no longer uses): a MASTER's VIP removed
 * by someone else (a network manager, "ip addr flush") is put back now,
 * rather than at the next renewal, and logged.
 */
static void
eng_vip_deleted(const struct nl_addr *a)
{
	struct eng_vhost	*v;
	struct carp_addr	 va;
	char			 buf[INET6_ADDRSTRLEN];
	size_t			 i;

	for (v = eng.vhosts; v != NULL; v = v->next) {
		if (carp_vhid_state(v->vh) != CARP_ST_MASTER ||
		    eng_vip_if(v, a->addr.family) != a->ifindex ||
		    v->hold_s == 0)
			continue;
		for (i = 0; i < v->conf.naddrs; i++) {
			if (carp_addr_cmp(&v->conf.addrs[i], &a->addr) != 0)
				continue;
			log_warnx("%d@%s: VIP %s was removed by someone else; "
			    "put back", v->conf.vhid, v->conf.ifname,
			    carp_addr_ntop(&a->addr, buf, sizeof(buf)));
			va = eng_vip(v, i);
			nl_addr_hold(a->ifindex, &va, v->hold_s);
			eng_flush_later();
			return;
		}
	}
}

/* Every ENG_ADDRS_S seconds. */
static void
eng_addrs_cb(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	(void)what;
	(void)arg;
	ifaddr_reload();
}

/* A VIP hold failed (logged by nl_hold_read). */
static void
eng_hold_cb(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	(void)what;
	(void)arg;
	nl_hold_read();
}

/* The monitor overran: read every link and address again. */
static void
eng_nl_resync(void *arg)
{
	struct eng_vhost	*v;
	bool			 up;

	(void)arg;
	log_warnx("netlink monitor overrun: re-reading links and addresses");
	ifaddr_reload();
	for (v = eng.vhosts; v != NULL; v = v->next)
		if (nl_link_query(v->conf.ifindex, &up) == 0)
			carp_link_change(eng.node, v->conf.ifindex, up,
			    clock_now());
}
