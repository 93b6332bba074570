/*
 * dispatch.c: the one dispatcher of carpd's events (see dispatch.h).
 *
 * An event is complete when it arrives: the engine records a new master
 * before it reports the transition, so nothing here reads the engine
 * again to fix an event up.  What the later consumers need is copied
 * into the queue; the engine's flush hands it on in the order raised.
 */
#include <sys/types.h>
#include <sys/socket.h>
#include <netinet/in.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "agent/clock.h"
#include "agent/control.h"
#include "agent/dispatch.h"
#include "agent/engine.h"
#include "agent/log.h"
#include "agent/notify.h"
#include "agent/service.h"
#include "agent/snmp.h"
#include "agent/xmalloc.h"

#define DISPATCH_KEEP	64	/* queue entries kept allocated */

static struct {
	struct dispatch_event	*q;
	size_t			 n, cap;
	/* Bad-packet logging: at most log-rate lines a second. */
	uint64_t		 log_window;
	int			 log_count;
	uint64_t		 log_suppressed;
	/* No-master lines: the same limit, counted apart. */
	uint64_t		 nm_window;
	int			 nm_count;
	uint64_t		 nm_suppressed;
	bool			 status;	/* systemd's STATUS= is stale */
} dispatch;

static struct dispatch_event *dispatch_new(enum dispatch_type,
		    struct carp_time);
static void	dispatch_log_drop(const struct carp_rx *, enum carp_drop);
static bool	dispatch_nm_log_ok(void);

/* A new event at the queue's end; the engine's flush will hand it on. */
static struct dispatch_event *
dispatch_new(enum dispatch_type type, struct carp_time at)
{
	struct dispatch_event	*ev;

	if (dispatch.n == dispatch.cap) {
		dispatch.cap = dispatch.cap == 0 ? 8 : dispatch.cap * 2;
		dispatch.q = xreallocarray(dispatch.q, dispatch.cap,
		    sizeof(*dispatch.q));
	}
	ev = &dispatch.q[dispatch.n++];
	memset(ev, 0, sizeof(*ev));
	ev->type = type;
	ev->at = at;
	/* SNMP hears what is raised while it runs, not the start-up's. */
	ev->snmp = snmp_running();
	eng_flush_later();
	return ev;
}

/* A VHID changed state: the log line in FreeBSD's words, then the rest. */
void
dispatch_state(const struct carp_action *a, const struct carp_vhid_conf *c)
{
	struct dispatch_event	*ev;
	const struct carpd_conf	*conf = eng_conf();
	int			 fam;

	if (conf->log_level >= 1)
		log_info("carp: %d@%s: %s -> %s (%s)", a->vhid,
		    a->ifname, carp_state_names[a->a.state.from],
		    carp_state_names[a->a.state.to],
		    carp_reason_names[a->a.state.reason]);
	/*
	 * Told to systemd once the round's transitions are all in
	 * (dispatch_flush): 255 VHIDs taking over at once counted the
	 * states of all 255, and sent a datagram, 255 times.
	 */
	dispatch.status = true;

	ev = dispatch_new(DISPATCH_STATE, a->a.state.at);
	ev->ifindex = a->ifindex;
	ev->vhid = a->vhid;
	snprintf(ev->ifname, sizeof(ev->ifname), "%s", a->ifname);
	ev->from = a->a.state.from;
	ev->to = a->a.state.to;
	ev->reason = a->a.state.reason;
	ev->vrrp = c->proto == CARP_PROTO_VRRP3;
	if (c->naddrs > 0)
		ev->vip = c->addrs[0];
	fam = c->naddrs > 0 ? c->addrs[0].family : AF_INET;
	if (ev->to != CARP_ST_MASTER)
		ev->master = a->a.state.master;
	else if (eng_vhid_source(a->vh, fam, &ev->master) == -1)
		memset(&ev->master, 0, sizeof(ev->master));
	/* Only the notify script needs the whole list. */
	if (conf->notify_script != NULL) {
		ev->addrs = xreallocarray(NULL, c->naddrs > 0 ? c->naddrs : 1,
		    sizeof(*ev->addrs));
		memcpy(ev->addrs, c->addrs, c->naddrs * sizeof(*ev->addrs));
		ev->naddrs = c->naddrs;
	}
}

/*
 * Whether a no-master line may be logged now: at most log-rate a second,
 * the rest counted and summed up in the next second's first line.
 */
static bool
dispatch_nm_log_ok(void)
{
	uint64_t	 sec = clock_mono_us() / 1000000;

	if (sec != dispatch.nm_window) {
		if (dispatch.nm_suppressed > 0)
			log_info("carp: %llu no-master messages suppressed",
			    (unsigned long long)dispatch.nm_suppressed);
		dispatch.nm_window = sec;
		dispatch.nm_count = 0;
		dispatch.nm_suppressed = 0;
	}
	if (dispatch.nm_count >= eng_conf()->log_rate) {
		dispatch.nm_suppressed++;
		return false;
	}
	dispatch.nm_count++;
	return true;
}

/*
 * A held VHID heard no master for its master-down interval (once per
 * episode, from the engine), or the episode ended: logged (rate-limited),
 * then carpdNoMaster after the round.  carp_vhid_no_master and
 * carpdVhidNoMaster read the engine's flag from the snapshot.
 */
void
dispatch_no_master(const struct carp_action *a, const struct carp_vhid_conf *c)
{
	struct dispatch_event	*ev;
	struct carp_vhid_info	 vi;
	struct carp_node_info	 ni;
	char			 held[CARP_REASON_LEN + 32];

	carp_vhid_info(a->vh, &vi);
	carp_node_info(eng_node(), &ni);
	if (vi.admin_demoted)
		snprintf(held, sizeof(held), "demoted by administrator (%s)",
		    vi.admin_reason);
	else if (ni.maintenance)
		snprintf(held, sizeof(held), "maintenance hold (%s)",
		    ni.maintenance_reason);
	else
		snprintf(held, sizeof(held), "no hold");
	if (eng_conf()->log_level >= 1 && dispatch_nm_log_ok()) {
		if (a->a.no_master.on)
			log_warnx("carp: %d@%s: no master heard for %llu.%02llu s "
			    "and held in BACKUP, %s: nobody serves the "
			    "addresses", a->vhid, a->ifname,
			    (unsigned long long)(vi.md_us / 1000000),
			    (unsigned long long)(vi.md_us % 1000000 / 10000),
			    held);
		else
			log_info("carp: %d@%s: no longer without a master: "
			    "one is heard, the hold ended or the state "
			    "changed", a->vhid, a->ifname);
	}
	ev = dispatch_new(DISPATCH_NO_MASTER, a->a.no_master.at);
	ev->ifindex = a->ifindex;
	ev->vhid = a->vhid;
	snprintf(ev->ifname, sizeof(ev->ifname), "%s", a->ifname);
	ev->value = a->a.no_master.on;
	if (c->naddrs > 0)
		ev->vip = c->addrs[0];
	ev->silent_ms = (uint32_t)(vi.md_us / 1000);
	snprintf(ev->text, sizeof(ev->text), "%.*s", (int)sizeof(ev->text) - 1,
	    held);
}

/* The node's demotion changed. */
void
dispatch_demotion(const struct carp_action *a)
{
	struct dispatch_event	*ev;

	if (eng_conf()->log_level >= 1)
		log_info("carp: demoted by %d to %d (%s)",
		    a->a.demotion.delta, a->a.demotion.total,
		    a->a.demotion.reason);
	ev = dispatch_new(DISPATCH_DEMOTION, clock_now());
	ev->value = a->a.demotion.total;
	snprintf(ev->text, sizeof(ev->text), "%s",
	    a->a.demotion.reason != NULL ? a->a.demotion.reason : "");
}

/* An administrative action changed something (control.c audits it). */
void
dispatch_admin(int action, const char *origin, const char *reason,
    struct carp_vhid *vh, int value, struct carp_time at)
{
	struct dispatch_event	*ev;
	struct carp_vhid_info	 vi;

	ev = dispatch_new(DISPATCH_ADMIN, at);
	ev->action = action;
	ev->value = value;
	snprintf(ev->origin, sizeof(ev->origin), "%s",
	    origin != NULL ? origin : "");
	snprintf(ev->text, sizeof(ev->text), "%s",
	    reason != NULL ? reason : "");
	if (vh != NULL) {
		carp_vhid_info(vh, &vi);
		ev->ifindex = vi.conf.ifindex;
		ev->vhid = vi.conf.vhid;
	}
}

/* A ledger entry changed (control.c logged it). */
void
dispatch_ledger(enum ledger_change what, const struct ledger_entry *e,
    const char *origin, struct carp_time at)
{
	struct dispatch_event	*ev;

	ev = dispatch_new(DISPATCH_LEDGER, at);
	ev->change = what;
	ev->entry = *e;
	ev->value = ledger_total();
	snprintf(ev->text, sizeof(ev->text), "%s", e->reason);
	snprintf(ev->origin_full, sizeof(ev->origin_full), "%s",
	    origin != NULL ? origin : "");
}

/* A dropped packet: logged (rate-limited) and told to SNMP at once. */
void
dispatch_drop(const struct carp_rx *rx, enum carp_drop d, struct carp_time now)
{
	dispatch_log_drop(rx, d);
	snmp_feed_drop(rx, d, now);
}

/*
 * Hand the queued events to the notify script and SNMP, in the order
 * raised; then SNMP takes a snapshot that shows them.
 */
void
dispatch_flush(void)
{
	struct dispatch_event	*ev;
	size_t			 i;
	bool			 snmp = false;

	if (dispatch.status) {
		dispatch.status = false;
		service_status(false);
	}
	/* The engine's automatic demotions as ledger entries, first. */
	ctl_ledger_sync();
	for (i = 0; i < dispatch.n; i++) {
		ev = &dispatch.q[i];
		if (ev->type == DISPATCH_STATE && ev->addrs != NULL)
			notify_transition((uint8_t)ev->vhid, ev->ifname,
			    ev->to, ev->from, ev->reason, ev->addrs,
			    ev->naddrs);
		if (ev->snmp) {
			snmp_feed(ev);
			snmp = true;
		}
		free(ev->addrs);
		ev->addrs = NULL;
	}
	dispatch.n = 0;
	if (dispatch.cap > DISPATCH_KEEP) {
		free(dispatch.q);
		dispatch.q = NULL;
		dispatch.cap = 0;
	}
	if (snmp)
		snmp_feed_done();
}

void
dispatch_free(void)
{
	size_t	 i;

	for (i = 0; i < dispatch.n; i++)
		free(dispatch.q[i].addrs);
	free(dispatch.q);
	dispatch.q = NULL;
	dispatch.n = dispatch.cap = 0;
}

/*
 * Log a dropped packet, in FreeBSD's words, at most log-rate lines a
 * second.  net.inet.carp.log 1 logs authentication failures (a wrong
 * password or address list is a configuration error worth seeing), 2 and
 * up every drop.  Every drop is counted by the engine regardless.
 */
static void
dispatch_log_drop(const struct carp_rx *rx, enum carp_drop d)
{
	const struct carp_diag	*dg;
	struct carp_vhid	*vh;
	char		 src[INET6_ADDRSTRLEN], ifn[IF_NAMESIZE];
	uint64_t	 sec = clock_mono_us() / 1000000;
	int		 level = eng_conf()->log_level;
	unsigned int	 vhid = rx->len > 1 ? rx->data[1] : 0;

	if (d == CARP_DROP_DISABLED || level < 1 ||
	    (level < 2 && d != CARP_DROP_BADAUTH))
		return;
	if (sec != dispatch.log_window) {
		if (dispatch.log_suppressed > 0)
			log_info("carp: %llu bad-packet messages suppressed",
			    (unsigned long long)dispatch.log_suppressed);
		dispatch.log_window = sec;
		dispatch.log_count = 0;
		dispatch.log_suppressed = 0;
	}
	if (dispatch.log_count >= eng_conf()->log_rate) {
		dispatch.log_suppressed++;
		return;
	}
	dispatch.log_count++;
	carp_addr_ntop(&rx->src, src, sizeof(src));
	if (if_indextoname(rx->ifindex, ifn) == NULL)
		snprintf(ifn, sizeof(ifn), "?");
	switch (d) {
	case CARP_DROP_BADAUTH:
		/* The engine's diagnosis, when it names the difference. */
		if ((vh = eng_node() != NULL ? carp_vhid_find(eng_node(),
		    rx->ifindex, (uint8_t)vhid) : NULL) != NULL &&
		    (dg = carp_vhid_diag(vh, rx->src.family))->kind >
		    CARP_DIAG_UNKNOWN &&
		    carp_addr_cmp(&dg->src, &rx->src) == 0)
			log_info("carp: incorrect hash for VHID %u@%s from %s "
			    "(%s)", vhid, ifn, src, dg->text);
		else
			log_info("carp: incorrect hash for VHID %u@%s from %s "
			    "(wrong password or address list)", vhid, ifn,
			    src);
		break;
	case CARP_DROP_BADTTL:
		log_info("carp: received ttl %u != 255 on %s from %s",
		    rx->ttl, ifn, src);
		break;
	case CARP_DROP_BADLEN:
		log_info("carp: packet length %zu != 36 on %s from %s",
		    rx->len, ifn, src);
		break;
	case CARP_DROP_BADSUM:
		log_info("carp: checksum failed on %s from %s", ifn, src);
		break;
	case CARP_DROP_BADVER:
		log_info("carp: invalid version %u on %s from %s",
		    rx->len > 0 ? rx->data[0] >> 4 : 0, ifn, src);
		break;
	case CARP_DROP_BADVHID:
		log_info("carp: no VHID %u on %s for %s", vhid, ifn, src);
		break;
	case CARP_DROP_BADIF:
		log_info("carp: dropping packet on %s from %s "
		    "(no CARP there, or looped)", ifn, src);
		break;
	default:
		break;
	}
}
