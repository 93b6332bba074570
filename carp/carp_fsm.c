/*
 * carp_fsm.c: the node, its VHIDs and their state machine, following
 * FreeBSD's sys/netinet/ip_carp.c (carp_input_c, carp_setrun,
 * carp_master_down_locked, carp_sc_state, carp_demote_adj).
 *
 * Each VHID is driven by events (enum carp_event).  carp_fsm() looks the
 * (state, event) pair up in carp_fsm_table and is the only function that
 * changes a VHID's state; entering or leaving MASTER and BACKUP carries out
 * the actions the protocol attaches to it.  Time is an argument, actions
 * leave through the host's emit callback.
 *
 * A VHID whose conf says CARP_PROTO_VRRP3 runs RFC 5798's state machine
 * instead (vrrp_fsm_table, docs/protocol.md, decision 18), through the
 * same dispatcher, the same actions and the same API.
 */
#include <sys/types.h>
#include <sys/socket.h>

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "carp/carp_impl.h"

#define USEC		1000000ULL
#define SKEW_US(s)	((uint64_t)(s) * USEC / 256)	/* FreeBSD's timeval */
#define CS_US		10000ULL			/* a centisecond */
#define IS_VRRP(vh)	((vh)->conf.proto == CARP_PROTO_VRRP3)

enum carp_event {
	CARP_EV_MASTER_DOWN,	/* BACKUP's master-down timer expired */
	CARP_EV_ADV_TIMER,	/* MASTER's advertisement timer expired */
	CARP_EV_RX_BETTER,	/* valid advert as frequent as ours or more */
	CARP_EV_RX_SLOWER,	/* valid advert, slower than ours */
	CARP_EV_RX_PREEMPT,	/* slower, and preempt is on */
	CARP_EV_RX_TIMEOUT,	/* slower than our master-down interval */
	CARP_EV_LINK_DOWN,
	CARP_EV_DEMOTE,		/* administrative demotion of this VHID */
	CARP_EV_MAINTENANCE,	/* node maintenance switched on */
	CARP_EV_FORCE_MASTER,	/* promote with force_master */
	CARP_EV_SHUTDOWN,
	CARP_EV_ADDR_CHANGE,
	CARP_EV_DISABLE,	/* net.inet.carp.allow=0 */
	CARP_EV_START,		/* link up, allow=1 or re-keyed: run if we can */
	CARP_EV_REMOVE,
	/* VRRPv3 only. */
	CARP_EV_RX_ZERO,	/* priority 0: the master resigns */
	CARP_EV_RX_TIE_HIGHER,	/* our priority, sender's address higher */
	CARP_EV_RX_TIE_LOWER,	/* our priority, sender's address lower */
	CARP_EV_PREEMPT_DOWN,	/* master-down after a discarded advert */
	CARP_EV_RESIGN_DOWN,	/* master-down after a priority 0 advert */
	CARP_EV_MAX
};

#define ST_ANY		CARP_ST_MAX	/* a row for every state */
#define ST_SAME		CARP_ST_MAX	/* a row that keeps the state */

/* What a row does besides changing state. */
enum carp_fsm_act {
	FSM_NONE,		/* nothing: the event is ignored */
	FSM_REARM,		/* BACKUP: restart the master-down timer */
	FSM_ADVERTISE,		/* MASTER: send the periodic advertisement */
	FSM_BOWOUT,		/* bow-out advert first, then leave MASTER */
	FSM_REANNOUNCE,		/* MASTER: announce again, once per advbase */
	FSM_RESTART,		/* via INIT back to BACKUP if it can run */
	FSM_ADOPT,		/* VRRP: adopt the interval; BACKUP: rearm */
	FSM_SKEW,		/* VRRP BACKUP: master-down in Skew_Time */
	FSM_DISCARD,		/* VRRP BACKUP: lower priority, preempting */
};

struct carp_fsm_row {
	enum carp_state		 state;
	enum carp_event		 event;
	enum carp_fsm_act	 act;
	enum carp_state		 next;
	enum carp_reason	 reason;
};

/*
 * The transition table; the first matching row wins.  A MASTER never
 * leaves that state on its own timer; a BACKUP that is held (demoted by an
 * administrator, or in maintenance) never enters MASTER except when forced:
 * carp_fsm() turns those rows into FSM_REARM.
 */
static const struct carp_fsm_row carp_fsm_table[] = {
	/*
	 * FreeBSD carp_master_down: no advert for 3 x advbase + advskew/256.
	 */
	{ CARP_ST_BACKUP, CARP_EV_MASTER_DOWN, FSM_NONE, CARP_ST_MASTER,
	    CARP_RS_MASTER_TIMED_OUT },
	{ CARP_ST_MASTER, CARP_EV_ADV_TIMER, FSM_ADVERTISE, ST_SAME,
	    CARP_RS_NONE },
	/*
	 * carp_input_c, MASTER: an advert as frequent as ours or more makes
	 * us step down.  A tie too: FreeBSD has no address tie-break, both
	 * step down and the master-down timers settle it.
	 */
	{ CARP_ST_MASTER, CARP_EV_RX_BETTER, FSM_NONE, CARP_ST_BACKUP,
	    CARP_RS_MORE_FREQUENT },
	/*
	 * A MASTER keeps its role on slower adverts: the other side steps
	 * down on our next advert.  carpd announces its addresses again, at
	 * most once per advbase (docs/protocol.md, decision 13): after a
	 * healed partition the neighbours may hold the other master's MAC.
	 * FreeBSD does nothing here (its vMAC-sourced adverts refresh the
	 * switches); ucarp sends a gratuitous ARP on every such advert.
	 */
	{ CARP_ST_MASTER, CARP_EV_RX_SLOWER, FSM_REANNOUNCE, ST_SAME,
	    CARP_RS_NONE },
	{ CARP_ST_MASTER, CARP_EV_RX_PREEMPT, FSM_REANNOUNCE, ST_SAME,
	    CARP_RS_NONE },
	{ CARP_ST_MASTER, CARP_EV_RX_TIMEOUT, FSM_REANNOUNCE, ST_SAME,
	    CARP_RS_NONE },
	/*
	 * carp_input_c, BACKUP: with net.inet.carp.preempt a strictly slower
	 * master is taken over; one so slow that it must time out (3 x our
	 * advbase + our skew, e.g. a bow-out advert) is taken over at once;
	 * any other valid advert restarts the master-down timer.
	 */
	{ CARP_ST_BACKUP, CARP_EV_RX_PREEMPT, FSM_NONE, CARP_ST_MASTER,
	    CARP_RS_PREEMPT },
	{ CARP_ST_BACKUP, CARP_EV_RX_TIMEOUT, FSM_NONE, CARP_ST_MASTER,
	    CARP_RS_MASTER_WILL_TIME_OUT },
	{ CARP_ST_BACKUP, CARP_EV_RX_BETTER, FSM_REARM, ST_SAME, CARP_RS_NONE },
	{ CARP_ST_BACKUP, CARP_EV_RX_SLOWER, FSM_REARM, ST_SAME, CARP_RS_NONE },
	/* carp_sc_state: link down or allow=0 stops everything. */
	{ CARP_ST_MASTER, CARP_EV_LINK_DOWN, FSM_NONE, CARP_ST_INIT,
	    CARP_RS_IF_DOWN },
	{ CARP_ST_BACKUP, CARP_EV_LINK_DOWN, FSM_NONE, CARP_ST_INIT,
	    CARP_RS_IF_DOWN },
	{ CARP_ST_MASTER, CARP_EV_DISABLE, FSM_NONE, CARP_ST_INIT,
	    CARP_RS_DISABLED },
	{ CARP_ST_BACKUP, CARP_EV_DISABLE, FSM_NONE, CARP_ST_INIT,
	    CARP_RS_DISABLED },
	/* carp_setrun, INIT: never INIT -> MASTER, a fresh node waits. */
	{ CARP_ST_INIT, CARP_EV_START, FSM_RESTART, ST_SAME, CARP_RS_NONE },
	/*
	 * carpd's administrative hand-over: an OpenBSD-style bow-out advert
	 * (advbase 255, advskew 255) makes any backup take over at once
	 * ("master will time out"), then we release the addresses.
	 */
	{ CARP_ST_MASTER, CARP_EV_DEMOTE, FSM_BOWOUT, CARP_ST_BACKUP,
	    CARP_RS_ADMIN_DEMOTE },
	{ CARP_ST_MASTER, CARP_EV_MAINTENANCE, FSM_BOWOUT, CARP_ST_BACKUP,
	    CARP_RS_MAINTENANCE },
	{ CARP_ST_MASTER, CARP_EV_SHUTDOWN, FSM_BOWOUT, CARP_ST_INIT,
	    CARP_RS_SHUTDOWN },
	{ CARP_ST_BACKUP, CARP_EV_SHUTDOWN, FSM_NONE, CARP_ST_INIT,
	    CARP_RS_SHUTDOWN },
	/* As "ifconfig ... state master" (carp_ioctl_set). */
	{ CARP_ST_BACKUP, CARP_EV_FORCE_MASTER, FSM_NONE, CARP_ST_MASTER,
	    CARP_RS_USER },
	/*
	 * carp_attach/carp_detach: a new address list re-keys the VHID and
	 * runs carp_sc_state, so a MASTER goes through INIT back to BACKUP.
	 */
	{ CARP_ST_MASTER, CARP_EV_ADDR_CHANGE, FSM_NONE, CARP_ST_INIT,
	    CARP_RS_ADDR_CHANGE },
	{ CARP_ST_BACKUP, CARP_EV_ADDR_CHANGE, FSM_NONE, CARP_ST_INIT,
	    CARP_RS_ADDR_CHANGE },
	{ ST_ANY, CARP_EV_REMOVE, FSM_NONE, CARP_ST_INIT, CARP_RS_REMOVED },
};

/*
 * VRRPv3 (RFC 5798 section 6.4; docs/protocol.md, decision 18).  The
 * priorities compared are the demoted ones (carp_vrrp_prio).  The rows
 * for the link, the administrator and the configuration are CARP's, a
 * hand-over advert being one of priority 0.
 */
static const struct carp_fsm_row vrrp_fsm_table[] = {
	/* 6.4.2: Master_Down_Timer fired. */
	{ CARP_ST_BACKUP, CARP_EV_MASTER_DOWN, FSM_NONE, CARP_ST_MASTER,
	    CARP_RS_MASTER_TIMED_OUT },
	{ CARP_ST_BACKUP, CARP_EV_PREEMPT_DOWN, FSM_NONE, CARP_ST_MASTER,
	    CARP_RS_PREEMPT },
	/* Skew_Time after the master resigned: CARP's bow-out words. */
	{ CARP_ST_BACKUP, CARP_EV_RESIGN_DOWN, FSM_NONE, CARP_ST_MASTER,
	    CARP_RS_MASTER_WILL_TIME_OUT },
	{ CARP_ST_MASTER, CARP_EV_ADV_TIMER, FSM_ADVERTISE, ST_SAME,
	    CARP_RS_NONE },
	/*
	 * 6.4.2, BACKUP: priority 0 sets the timer to Skew_Time.  With
	 * Preempt_Mode off, or a priority at least ours, the advert is
	 * accepted: adopt its interval and restart the timer.  Otherwise
	 * (preempt on, lower priority) discard it: the timer runs on and
	 * its expiry is a preemption.  FreeBSD takes over at once there.
	 */
	{ CARP_ST_BACKUP, CARP_EV_RX_ZERO, FSM_SKEW, ST_SAME, CARP_RS_NONE },
	{ CARP_ST_BACKUP, CARP_EV_RX_BETTER, FSM_ADOPT, ST_SAME, CARP_RS_NONE },
	{ CARP_ST_BACKUP, CARP_EV_RX_TIE_HIGHER, FSM_ADOPT, ST_SAME,
	    CARP_RS_NONE },
	{ CARP_ST_BACKUP, CARP_EV_RX_TIE_LOWER, FSM_ADOPT, ST_SAME,
	    CARP_RS_NONE },
	{ CARP_ST_BACKUP, CARP_EV_RX_SLOWER, FSM_ADOPT, ST_SAME, CARP_RS_NONE },
	{ CARP_ST_BACKUP, CARP_EV_RX_PREEMPT, FSM_DISCARD, ST_SAME,
	    CARP_RS_NONE },
	/*
	 * 6.4.3, MASTER: priority 0 asks for an advert now.  A higher
	 * priority, or ours from a higher primary address, wins: adopt its
	 * interval and become BACKUP.  A lower one is discarded; carpd
	 * re-announces, at most once per interval, as for CARP (decision
	 * 13).  FreeBSD also yields to a shorter interval; RFC 5798 does
	 * not, and neither does carpd.
	 */
	{ CARP_ST_MASTER, CARP_EV_RX_ZERO, FSM_ADVERTISE, ST_SAME,
	    CARP_RS_NONE },
	{ CARP_ST_MASTER, CARP_EV_RX_BETTER, FSM_ADOPT, CARP_ST_BACKUP,
	    CARP_RS_MORE_FREQUENT },
	{ CARP_ST_MASTER, CARP_EV_RX_TIE_HIGHER, FSM_ADOPT, CARP_ST_BACKUP,
	    CARP_RS_MORE_FREQUENT },
	{ CARP_ST_MASTER, CARP_EV_RX_TIE_LOWER, FSM_REANNOUNCE, ST_SAME,
	    CARP_RS_NONE },
	{ CARP_ST_MASTER, CARP_EV_RX_SLOWER, FSM_REANNOUNCE, ST_SAME,
	    CARP_RS_NONE },
	{ CARP_ST_MASTER, CARP_EV_RX_PREEMPT, FSM_REANNOUNCE, ST_SAME,
	    CARP_RS_NONE },
	{ CARP_ST_MASTER, CARP_EV_LINK_DOWN, FSM_NONE, CARP_ST_INIT,
	    CARP_RS_IF_DOWN },
	{ CARP_ST_BACKUP, CARP_EV_LINK_DOWN, FSM_NONE, CARP_ST_INIT,
	    CARP_RS_IF_DOWN },
	{ CARP_ST_MASTER, CARP_EV_DISABLE, FSM_NONE, CARP_ST_INIT,
	    CARP_RS_DISABLED },
	{ CARP_ST_BACKUP, CARP_EV_DISABLE, FSM_NONE, CARP_ST_INIT,
	    CARP_RS_DISABLED },
	/* 6.4.1: INIT goes to BACKUP, or to MASTER for the owner. */
	{ CARP_ST_INIT, CARP_EV_START, FSM_RESTART, ST_SAME, CARP_RS_NONE },
	/* Hand-over and shutdown: an advert of priority 0 (6.4.3). */
	{ CARP_ST_MASTER, CARP_EV_DEMOTE, FSM_BOWOUT, CARP_ST_BACKUP,
	    CARP_RS_ADMIN_DEMOTE },
	{ CARP_ST_MASTER, CARP_EV_MAINTENANCE, FSM_BOWOUT, CARP_ST_BACKUP,
	    CARP_RS_MAINTENANCE },
	{ CARP_ST_MASTER, CARP_EV_SHUTDOWN, FSM_BOWOUT, CARP_ST_INIT,
	    CARP_RS_SHUTDOWN },
	{ CARP_ST_BACKUP, CARP_EV_SHUTDOWN, FSM_NONE, CARP_ST_INIT,
	    CARP_RS_SHUTDOWN },
	{ CARP_ST_BACKUP, CARP_EV_FORCE_MASTER, FSM_NONE, CARP_ST_MASTER,
	    CARP_RS_USER },
	{ CARP_ST_MASTER, CARP_EV_ADDR_CHANGE, FSM_NONE, CARP_ST_INIT,
	    CARP_RS_ADDR_CHANGE },
	{ CARP_ST_BACKUP, CARP_EV_ADDR_CHANGE, FSM_NONE, CARP_ST_INIT,
	    CARP_RS_ADDR_CHANGE },
	{ ST_ANY, CARP_EV_REMOVE, FSM_NONE, CARP_ST_INIT, CARP_RS_REMOVED },
};

static const struct carp_fsm_row *carp_fsm_lookup(const struct carp_vhid *,
		    enum carp_event);
static void	carp_fsm(struct carp_vhid *, enum carp_event, struct carp_time);
static void	carp_set_state(struct carp_vhid *, enum carp_state,
		    enum carp_reason, struct carp_time);
static void	carp_enter_master(struct carp_vhid *, struct carp_time);
static void	carp_setrun_backup(struct carp_vhid *, struct carp_time, int);
static int	carp_emit(struct carp_node *, struct carp_action *);
static void	carp_diag_badauth(struct carp_node *, struct carp_vhid *,
		    const struct carp_rx *, const struct carp_hdr *,
		    struct carp_time);
static enum carp_drop carp_input_check(struct carp_node *,
		    const struct carp_rx *, struct carp_time);
static void	carp_action_init(struct carp_action *, enum carp_action_type,
		    struct carp_vhid *);
static void	carp_arm(struct carp_vhid *, uint64_t);
static void	carp_hold(struct carp_vhid *, struct carp_time);
static void	carp_release(struct carp_vhid *);
static void	carp_announce(struct carp_vhid *, bool, bool);
static void	carp_send_ad(struct carp_vhid *, bool);
static void	carp_advertise(struct carp_vhid *, struct carp_time);
static void	carp_send_count(struct carp_vhid *, int, int);
static void	carp_send_result(struct carp_vhid *, int);
static void	carp_demote_adj(struct carp_node *, int, const char *);
static void	carp_send_ad_all(struct carp_node *, struct carp_time);
static void	carp_sendall(struct carp_node *, struct carp_time);
static int	carp_total_demotion(const struct carp_node *);
static uint8_t	carp_eff_skew(const struct carp_vhid *);
static uint64_t	carp_adv_us(const struct carp_vhid *, uint8_t);
static uint64_t	carp_md_us(const struct carp_vhid *);
static bool	carp_held(const struct carp_vhid *);
static bool	carp_can_run(const struct carp_vhid *);
static void	carp_vhid_rekey(struct carp_vhid *);
static bool	carp_addrs_equal(const struct carp_vhid_conf *,
		    const struct carp_vhid_conf *);
static int	carp_conf_valid(const struct carp_vhid_conf *);
static void	carp_reason_copy(char *, const char *);
static void	carp_ifdown_apply(struct carp_vhid *, bool);
static uint64_t	carp_ival_us(const struct carp_vhid *);
static uint64_t	carp_reannounce_us(const struct carp_vhid *);
static uint32_t	carp_hold_s(const struct carp_vhid *);
static enum carp_state carp_start_state(struct carp_vhid *);
static uint8_t	vrrp_eff_prio(const struct carp_vhid *);
static void	vrrp_send_ad(struct carp_vhid *, uint8_t);
static void	vrrp_setrun_skew(struct carp_vhid *, struct carp_time);
static int	vrrp_conf_valid(const struct carp_vhid_conf *);
static enum carp_event vrrp_classify(const struct carp_vhid *,
		    const struct vrrp_hdr *, const struct carp_rx *);
static enum carp_drop vrrp_drop(struct carp_node *, struct carp_vhid *,
		    enum carp_drop);
static enum carp_drop vrrp_input_check(struct carp_node *,
		    const struct carp_rx *, struct carp_time);
static void	carp_rx_master(struct carp_vhid *, const struct carp_rx *);
static void	carp_heard_rx(struct carp_vhid *, const struct carp_rx *,
		    const struct carp_heard *, bool, struct carp_time);
static void	carp_no_master(struct carp_vhid *, bool, struct carp_time);
static void	vrrp_rx_count(struct carp_vhid *, const struct vrrp_hdr *,
		    int);
static bool	vrrp_addrs_match(const struct carp_vhid *,
		    const struct vrrp_hdr *, int);

/* Fill a node configuration with FreeBSD's defaults. */
void
carp_node_conf_default(struct carp_node_conf *c)
{
	memset(c, 0, sizeof(*c));
	c->allow = true;
	c->preempt = false;
	c->demotion = 0;
	c->ifdown_factor = CARP_DFLT_FACTOR;
	c->senderr_factor = CARP_DFLT_FACTOR;
}

/* Create a node; the host callbacks must outlive it. */
struct carp_node *
carp_node_new(const struct carp_node_conf *conf, const struct carp_host *host)
{
	struct carp_node	*n;

	if (host == NULL || host->emit == NULL || host->random64 == NULL) {
		errno = EINVAL;
		return NULL;
	}
	if ((n = calloc(1, sizeof(*n))) == NULL)
		return NULL;
	n->conf = *conf;
	n->host = *host;
	n->admin_demotion = conf->demotion;
	return n;
}

/* Free a node and its VHIDs without emitting anything. */
void
carp_node_free(struct carp_node *n)
{
	struct carp_vhid	*vh, *next;
	size_t			 i;

	if (n == NULL)
		return;
	for (vh = n->vhids; vh != NULL; vh = next) {
		next = vh->next;
		free(vh->vrrp_buf);
		explicit_bzero(vh, sizeof(*vh));
		free(vh);
	}
	for (i = 0; i < n->nifidx; i++)
		free(n->ifidx[i]);
	free(n->ifidx);
	free(n);
}

/*
 * Apply new node settings.  allow=0 puts every VHID in INIT with the
 * ifdown demotion, as FreeBSD's carp_allow_sysctl does; allow=1 restarts
 * them.  The starting demotion is not applied again (see carp_demotion_set).
 */
int
carp_node_configure(struct carp_node *n, const struct carp_node_conf *conf,
    struct carp_time now)
{
	struct carp_vhid	*vh;
	bool			 was = n->conf.allow;

	n->gen++;
	n->conf.preempt = conf->preempt;
	n->conf.ifdown_factor = conf->ifdown_factor;
	n->conf.senderr_factor = conf->senderr_factor;
	n->conf.demotion = conf->demotion;
	n->conf.allow = conf->allow;
	if (was == conf->allow)
		return 0;
	for (vh = n->vhids; vh != NULL; vh = vh->next) {
		if (!conf->allow) {
			carp_fsm(vh, CARP_EV_DISABLE, now);
			carp_ifdown_apply(vh, true);
		} else {
			carp_fsm(vh, CARP_EV_START, now);
			if (vh->link_up)
				carp_ifdown_apply(vh, false);
		}
	}
	carp_sendall(n, now);
	return 1;
}

/* The node's generation: bumped by every change but an advert's. */
uint64_t
carp_node_gen(const struct carp_node *n)
{
	return n->gen;
}

/* Copy the node's state out. */
void
carp_node_info(const struct carp_node *n, struct carp_node_info *ni)
{
	memset(ni, 0, sizeof(*ni));
	ni->conf = n->conf;
	ni->demotion = carp_total_demotion(n);
	ni->admin_demotion = n->admin_demotion;
	ni->maintenance = n->maintenance;
	memcpy(ni->maintenance_reason, n->maintenance_reason,
	    sizeof(ni->maintenance_reason));
	ni->nvhids = n->nvhids;
	ni->gen = n->gen;
	ni->stats = n->stats;
	memcpy(ni->drops, n->drops, sizeof(ni->drops));
	memcpy(ni->diags, n->diags, sizeof(ni->diags));
	ni->diag_skipped = n->diag_skipped;
	memcpy(ni->vrrp_drops, n->vrrp_drops, sizeof(ni->vrrp_drops));
}

/* Check a VHID configuration's ranges. */
static int
carp_conf_valid(const struct carp_vhid_conf *c)
{
	size_t	 i;

	if (c->proto == CARP_PROTO_VRRP3)
		return vrrp_conf_valid(c);
	if (c->proto != CARP_PROTO_CARP)
		return -1;
	if (c->vhid < 1 || c->advbase < 1 || c->advskew > CARP_MAXADVSKEW ||
	    c->naddrs < 1 || c->naddrs > CARP_MAX_ADDRS ||
	    c->keylen > CARP_KEY_MAX || c->ifindex == 0)
		return -1;
	for (i = 0; i < c->naddrs; i++)
		if (c->addrs[i].family != AF_INET &&
		    c->addrs[i].family != AF_INET6)
			return -1;
	return 0;
}

/*
 * Recompute the HMAC states and the families the VHID speaks; forget the
 * diagnoses (docs/protocol.md, decision 22).
 */
static void
carp_vhid_rekey(struct carp_vhid *vh)
{
	size_t	 i;

	carp_hmac_prepare(&vh->hmac, vh->conf.key, vh->conf.keylen,
	    vh->conf.vhid, vh->conf.addrs, vh->conf.naddrs);
	/* A diagnosis of the old key or list no longer holds. */
	memset(vh->diag, 0, sizeof(vh->diag));
	memset(vh->diag_tried, 0, sizeof(vh->diag_tried));
	vh->has4 = vh->has6 = false;
	for (i = 0; i < vh->conf.naddrs; i++) {
		if (vh->conf.addrs[i].family == AF_INET)
			vh->has4 = true;
		else
			vh->has6 = true;
	}
}

/*
 * The receive index (struct carp_ifidx): the interface's slot by binary
 * search; *pos is where it is or would go.
 */
static struct carp_ifidx *
carp_ifidx_lookup(const struct carp_node *n, unsigned int ifindex,
    size_t *pos)
{
	size_t	 lo = 0, hi = n->nifidx, mid;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (n->ifidx[mid]->ifindex == ifindex) {
			if (pos != NULL)
				*pos = mid;
			return n->ifidx[mid];
		}
		if (n->ifidx[mid]->ifindex < ifindex)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (pos != NULL)
		*pos = lo;
	return NULL;
}

/* Enter a VHID in the index; -1 (ENOMEM) leaves the index as it was. */
static int
carp_ifidx_insert(struct carp_node *n, struct carp_vhid *vh)
{
	struct carp_ifidx	*ix, **na;
	size_t			 pos, cap;

	if ((ix = carp_ifidx_lookup(n, vh->conf.ifindex, &pos)) == NULL) {
		if (n->nifidx == n->ifidx_cap) {
			cap = n->ifidx_cap == 0 ? 4 : n->ifidx_cap * 2;
			if ((na = reallocarray(n->ifidx, cap,
			    sizeof(*na))) == NULL)
				return -1;
			n->ifidx = na;
			n->ifidx_cap = cap;
		}
		if ((ix = calloc(1, sizeof(*ix))) == NULL)
			return -1;
		ix->ifindex = vh->conf.ifindex;
		memmove(&n->ifidx[pos + 1], &n->ifidx[pos],
		    (n->nifidx - pos) * sizeof(*n->ifidx));
		n->ifidx[pos] = ix;
		n->nifidx++;
	}
	ix->vhid[vh->conf.vhid] = vh;
	ix->nvhids++;
	return 0;
}

/* Take a VHID out of the index; an interface left without any goes. */
static void
carp_ifidx_delete(struct carp_node *n, const struct carp_vhid *vh)
{
	struct carp_ifidx	*ix;
	size_t			 pos;

	if ((ix = carp_ifidx_lookup(n, vh->conf.ifindex, &pos)) == NULL ||
	    ix->vhid[vh->conf.vhid] != vh)
		return;
	ix->vhid[vh->conf.vhid] = NULL;
	if (--ix->nvhids > 0)
		return;
	free(ix);
	n->nifidx--;
	memmove(&n->ifidx[pos], &n->ifidx[pos + 1],
	    (n->nifidx - pos) * sizeof(*n->ifidx));
}

/* Add a VHID; it enters BACKUP at once when its link is up. */
struct carp_vhid *
carp_vhid_add(struct carp_node *n, const struct carp_vhid_conf *conf,
    bool link_up, void *arg, struct carp_time now)
{
	struct carp_vhid	*vh, **pp;

	if (carp_conf_valid(conf) == -1) {
		errno = EINVAL;
		return NULL;
	}
	if (carp_vhid_find(n, conf->ifindex, conf->vhid) != NULL) {
		errno = EEXIST;
		return NULL;
	}
	if ((vh = calloc(1, sizeof(*vh))) == NULL)
		return NULL;
	if (conf->proto == CARP_PROTO_VRRP3 &&
	    (vh->vrrp_buf = malloc(VRRP_PKT_MAX)) == NULL) {
		free(vh);
		return NULL;
	}
	vh->node = n;
	vh->arg = arg;
	vh->conf = *conf;
	vh->conf.ifname[sizeof(vh->conf.ifname) - 1] = '\0';
	if (carp_ifidx_insert(n, vh) == -1) {
		free(vh->vrrp_buf);
		free(vh);
		return NULL;
	}
	vh->state = CARP_ST_INIT;
	vh->link_up = link_up;
	/*
	 * docs/protocol.md, decision 7: the counter starts random and
	 * counts up from there.
	 */
	vh->counter = n->host.random64(n->host.arg);
	vh->vrrp_mai = conf->vrrp_interval;
	carp_vhid_rekey(vh);

	/* Keep the list sorted by (ifindex, vhid), the MIB's index order. */
	for (pp = &n->vhids; *pp != NULL; pp = &(*pp)->next) {
		if ((*pp)->conf.ifindex > conf->ifindex ||
		    ((*pp)->conf.ifindex == conf->ifindex &&
		    (*pp)->conf.vhid > conf->vhid))
			break;
	}
	vh->next = *pp;
	*pp = vh;
	n->nvhids++;
	n->gen++;

	if (!link_up || !n->conf.allow)
		carp_ifdown_apply(vh, true);
	else
		carp_fsm(vh, CARP_EV_START, now);
	carp_sendall(n, now);
	return vh;
}

/* Compare two address lists as sets, the way the HMAC sees them. */
static bool
carp_addrs_equal(const struct carp_vhid_conf *a, const struct carp_vhid_conf *b)
{
	uint8_t		 ma[3 + CARP_MAX_ADDRS * 16], mb[sizeof(ma)];
	size_t		 la, lb;

	la = carp_hmac_message(a->vhid, a->addrs, a->naddrs, ma, sizeof(ma));
	lb = carp_hmac_message(b->vhid, b->addrs, b->naddrs, mb, sizeof(mb));
	return la == lb && memcmp(ma, mb, la) == 0;
}

/* Reconfigure a VHID in place (SIGHUP). */
int
carp_vhid_update(struct carp_vhid *vh, const struct carp_vhid_conf *conf,
    struct carp_time now)
{
	bool	 addrs, key, timing, other;

	if (carp_conf_valid(conf) == -1 || conf->vhid != vh->conf.vhid ||
	    conf->ifindex != vh->conf.ifindex || conf->proto != vh->conf.proto) {
		errno = EINVAL;
		return -1;
	}
	vh->node->gen++;
	addrs = !carp_addrs_equal(&vh->conf, conf);
	key = conf->keylen != vh->conf.keylen ||
	    memcmp(conf->key, vh->conf.key, conf->keylen) != 0;
	timing = conf->advbase != vh->conf.advbase ||
	    conf->advskew != vh->conf.advskew;
	if (conf->proto == CARP_PROTO_VRRP3)
		timing = conf->vrrp_prio != vh->conf.vrrp_prio ||
		    conf->vrrp_interval != vh->conf.vrrp_interval;
	other = memcmp(&vh->conf, conf, sizeof(*conf)) != 0;

	/* Leave with the old addresses, come back with the new ones. */
	if (addrs)
		carp_fsm(vh, CARP_EV_ADDR_CHANGE, now);
	vh->conf = *conf;
	vh->conf.ifname[sizeof(vh->conf.ifname) - 1] = '\0';
	if (addrs || key)
		carp_vhid_rekey(vh);
	if (addrs)
		carp_fsm(vh, CARP_EV_START, now);
	else if (timing && vh->state == CARP_ST_MASTER) {
		/* A new advbase changes the lifetime too: hold again now. */
		carp_hold(vh, now);
		carp_arm(vh, now.mono_us + carp_ival_us(vh));
	}
	else if (timing && vh->state == CARP_ST_BACKUP)
		carp_setrun_backup(vh, now, 0);
	carp_sendall(vh->node, now);
	return addrs || key || timing || other ? 1 : 0;
}

/* Remove a VHID: release, cancel, undo its demotion, free. */
void
carp_vhid_remove(struct carp_vhid *vh, struct carp_time now)
{
	struct carp_node	*n = vh->node;
	struct carp_vhid	**pp;

	n->gen++;
	carp_fsm(vh, CARP_EV_REMOVE, now);
	carp_arm(vh, 0);
	if (vh->ifdown_applied != 0) {
		n->ifdown_demotion -= vh->ifdown_applied;
		carp_demote_adj(n, -vh->ifdown_applied, "vhid removed");
	}
	if (vh->senderr_applied != 0) {
		n->senderr_demotion -= vh->senderr_applied;
		carp_demote_adj(n, -vh->senderr_applied, "vhid removed");
	}
	for (pp = &n->vhids; *pp != NULL; pp = &(*pp)->next) {
		if (*pp == vh) {
			*pp = vh->next;
			n->nvhids--;
			break;
		}
	}
	carp_ifidx_delete(n, vh);
	free(vh->vrrp_buf);
	explicit_bzero(vh, sizeof(*vh));
	free(vh);
	carp_sendall(n, now);
}

/* Find a VHID by interface and number, in the index. */
struct carp_vhid *
carp_vhid_find(const struct carp_node *n, unsigned int ifindex, uint8_t vhid)
{
	struct carp_ifidx	*ix;

	if ((ix = carp_ifidx_lookup(n, ifindex, NULL)) == NULL)
		return NULL;
	return ix->vhid[vhid];
}

/* Iterate over the VHIDs in (ifindex, vhid) order. */
struct carp_vhid *
carp_vhid_next(const struct carp_node *n, const struct carp_vhid *vh)
{
	return vh == NULL ? n->vhids : vh->next;
}

/* Return a VHID's state. */
enum carp_state
carp_vhid_state(const struct carp_vhid *vh)
{
	return vh->state;
}

uint8_t
carp_vhid_id(const struct carp_vhid *vh)
{
	return vh->conf.vhid;
}

const char *
carp_vhid_ifname(const struct carp_vhid *vh)
{
	return vh->conf.ifname;
}

bool
carp_vhid_admin_demoted(const struct carp_vhid *vh)
{
	return vh->admin_demoted;
}

int
carp_vhid_auto_demotion(const struct carp_vhid *vh, int which)
{
	return which == CARP_AUTO_IFDOWN ? vh->ifdown_applied :
	    vh->senderr_applied;
}

/* Return the host pointer. */
void *
carp_vhid_arg(const struct carp_vhid *vh)
{
	return vh->arg;
}

/* Copy a VHID's state and counters out. */
void
carp_vhid_info(const struct carp_vhid *vh, struct carp_vhid_info *vi)
{
	memset(vi, 0, sizeof(*vi));
	vi->conf = vh->conf;
	/* Readers never hold the password; keylen says there is one. */
	explicit_bzero(vi->conf.key, sizeof(vi->conf.key));
	vi->state = vh->state;
	vi->eff_advskew = carp_eff_skew(vh);
	if (IS_VRRP(vh)) {
		vi->eff_advskew = 0;
		vi->eff_prio = vrrp_eff_prio(vh);
		vi->master_interval = vh->vrrp_mai;
	}
	vi->admin_demoted = vh->admin_demoted;
	memcpy(vi->admin_reason, vh->admin_reason, sizeof(vi->admin_reason));
	vi->link_up = vh->link_up;
	vi->ifdown_applied = vh->ifdown_applied;
	vi->senderr_applied = vh->senderr_applied;
	vi->master = vh->master;
	vi->counter = vh->counter;
	vi->adverts_sent = vh->adverts_sent;
	vi->adverts_received = vh->adverts_received;
	vi->send_errors = vh->send_errors;
	memcpy(vi->transitions, vh->transitions, sizeof(vi->transitions));
	memcpy(vi->drops, vh->drops, sizeof(vi->drops));
	vi->last_reason = vh->last_reason;
	vi->prev_state = vh->prev_state;
	vi->last_change_mono_us = vh->last_change_mono;
	vi->last_change_wall_us = vh->last_change_wall;
	vi->timer_at_us = vh->timer_at;
	vi->master_reason = vh->master_reason;
	vi->last_drop = vh->last_drop;
	vi->run_since_mono_us = vh->run_since_mono;
	memcpy(vi->master_af, vh->master_af, sizeof(vi->master_af));
	vi->vrrp_rx_prio0 = vh->vrrp_rx_prio0;
	vi->vrrp_tx_prio0 = vh->vrrp_tx_prio0;
	vi->vrrp_interval_errors = vh->vrrp_interval_errors;
	vi->vrrp_type_errors = vh->vrrp_type_errors;
	vi->vrrp_addr_errors = vh->vrrp_addr_errors;
	memcpy(vi->heard, vh->heard, sizeof(vi->heard));
	vi->md_us = carp_md_us(vh);
	vi->no_master = vh->no_master;
	if (vh->no_master) {
		vi->no_master_since_us = vh->no_master_since.mono_us;
		vi->no_master_since_wall_us = vh->no_master_since.wall_us;
	}
	vi->diag = *carp_vhid_diag(vh, 0);
}

/* The last HMAC failure diagnosis of a family, or of either (0). */
const struct carp_diag *
carp_vhid_diag(const struct carp_vhid *vh, int family)
{
	if (family == AF_INET)
		return &vh->diag[0];
	if (family == AF_INET6)
		return &vh->diag[1];
	return vh->diag[1].at_mono_us > vh->diag[0].at_mono_us ?
	    &vh->diag[1] : &vh->diag[0];
}

/*
 * Timing.  FreeBSD's DEMOTE_ADVSKEW: the configured advskew plus the
 * node's demotion, clamped to 0..CARP_MAXSKEW; so a configured 241..254
 * also goes out as 240.
 */
static int
carp_total_demotion(const struct carp_node *n)
{
	return n->admin_demotion + n->ifdown_demotion + n->senderr_demotion;
}

static uint8_t
carp_eff_skew(const struct carp_vhid *vh)
{
	int	 s = vh->conf.advskew + carp_total_demotion(vh->node);

	if (s < 0)
		s = 0;
	if (s > CARP_MAXSKEW)
		s = CARP_MAXSKEW;
	return (uint8_t)s;
}

/* The advertisement interval for a skew: advbase + skew/256 seconds. */
static uint64_t
carp_adv_us(const struct carp_vhid *vh, uint8_t skew)
{
	return vh->conf.advbase * USEC + SKEW_US(skew);
}

/* Master-down: 3 x advbase + the raw, undemoted advskew/256 (carp_setrun). */
static uint64_t
carp_md_us(const struct carp_vhid *vh)
{
	/*
	 * RFC 5798 6.1: from the master's interval, with our configured
	 * priority, as FreeBSD's carp_setrun (and the raw advskew for
	 * CARP): a demotion changes what we advertise and compare, not
	 * how long we wait (decision 18).
	 */
	if (IS_VRRP(vh))
		return carp_vrrp_md_us(vh->conf.vrrp_prio, vh->vrrp_mai);
	return 3 * vh->conf.advbase * USEC + SKEW_US(vh->conf.advskew);
}

/* A held VHID stays BACKUP until promoted or maintenance ends. */
static bool
carp_held(const struct carp_vhid *vh)
{
	return vh->admin_demoted || vh->node->maintenance;
}

/* carp_setrun's INIT condition: link up and net.inet.carp.allow. */
static bool
carp_can_run(const struct carp_vhid *vh)
{
	return vh->link_up && vh->node->conf.allow;
}

/* Find the row for a state and an event. */
static const struct carp_fsm_row *
carp_fsm_lookup(const struct carp_vhid *vh, enum carp_event ev)
{
	const struct carp_fsm_row	*t = carp_fsm_table;
	size_t				 i, nt;

	nt = sizeof(carp_fsm_table) / sizeof(carp_fsm_table[0]);
	if (IS_VRRP(vh)) {
		t = vrrp_fsm_table;
		nt = sizeof(vrrp_fsm_table) / sizeof(vrrp_fsm_table[0]);
	}
	for (i = 0; i < nt; i++) {
		if (t[i].event == ev &&
		    (t[i].state == vh->state || t[i].state == ST_ANY))
			return &t[i];
	}
	return NULL;
}

/* The dispatcher: the one place that decides a VHID's next state. */
static void
carp_fsm(struct carp_vhid *vh, enum carp_event ev, struct carp_time now)
{
	const struct carp_fsm_row	*row;
	enum carp_fsm_act		 act;
	enum carp_state			 next;

	if ((row = carp_fsm_lookup(vh, ev)) == NULL)
		return;		/* not meaningful in this state */
	act = row->act;
	next = row->next == ST_SAME ? vh->state : row->next;

	/* A held VHID does not become MASTER unless forced. */
	if (next == CARP_ST_MASTER && vh->state == CARP_ST_BACKUP &&
	    ev != CARP_EV_FORCE_MASTER && carp_held(vh)) {
		act = FSM_REARM;
		next = vh->state;
		/* A whole master-down interval without a master. */
		if (ev == CARP_EV_MASTER_DOWN)
			carp_no_master(vh, true, now);
	}

	switch (act) {
	case FSM_REARM:
		/* An advert resets its own family's timer; else both. */
		carp_setrun_backup(vh, now, vh->rx_family);
		break;
	case FSM_REANNOUNCE:
		if (now.mono_us >= vh->reannounce_at) {
			carp_announce(vh, vh->has4, vh->has6);
			vh->reannounce_at = now.mono_us + carp_reannounce_us(vh);
		}
		break;
	case FSM_ADVERTISE:
		/*
		 * The repeated GARP goes out just before the advert, not
		 * after it: a backup preempting us on this advert announces
		 * the VIPs with its own MAC, and our GARP must not overtake
		 * its GARP, or neighbours keep our MAC after we step down.
		 */
		if (vh->delayed_arp > 0 && --vh->delayed_arp == 0)
			carp_announce(vh, true, false);
		carp_advertise(vh, now);
		break;
	case FSM_BOWOUT:
		carp_send_ad(vh, true);
		break;
	case FSM_ADOPT:
		/* RFC 5798 6.4.2/6.4.3: Master_Adver_Interval := Adver. */
		if (vh->vrrp_mai != vh->rx_interval)
			vh->node->gen++;	/* a change the views show */
		vh->vrrp_mai = vh->rx_interval;
		if (next == vh->state)
			carp_setrun_backup(vh, now, vh->rx_family);
		break;
	case FSM_SKEW:
		vrrp_setrun_skew(vh, now);
		break;
	case FSM_DISCARD:
		vh->vrrp_preempting = true;
		break;
	case FSM_NONE:
	case FSM_RESTART:
		break;
	}

	if (next != vh->state)
		carp_set_state(vh, next, row->reason, now);

	if (act == FSM_RESTART && vh->state == CARP_ST_INIT &&
	    carp_can_run(vh))
		carp_set_state(vh, carp_start_state(vh),
		    CARP_RS_INIT_COMPLETE, now);
}

/*
 * Where INIT leads: BACKUP, as FreeBSD always does; in VRRPv3 mode the
 * address owner (priority 255) goes straight to MASTER unless held, and
 * Master_Adver_Interval starts as our own interval (RFC 5798 6.4.1).
 */
static enum carp_state
carp_start_state(struct carp_vhid *vh)
{
	if (!IS_VRRP(vh))
		return CARP_ST_BACKUP;
	vh->vrrp_mai = vh->conf.vrrp_interval;
	if (vrrp_eff_prio(vh) == VRRP_PRIO_OWNER && !carp_held(vh))
		return CARP_ST_MASTER;
	return CARP_ST_BACKUP;
}

/*
 * Change state, count and report it, and carry out what leaving the old
 * state and entering the new one mean.
 */
static void
carp_set_state(struct carp_vhid *vh, enum carp_state to, enum carp_reason rs,
    struct carp_time now)
{
	struct carp_action	 a;
	enum carp_state		 from = vh->state;

	if (from == CARP_ST_MASTER)
		carp_release(vh);
	carp_no_master(vh, false, now);
	memset(vh->heard, 0, sizeof(vh->heard));
	vh->state = to;
	vh->prev_state = from;
	vh->node->gen++;
	vh->transitions[to]++;
	vh->last_reason = rs;
	vh->last_change_mono = now.mono_us;
	vh->last_change_wall = now.wall_us;
	if (to == CARP_ST_INIT)
		vh->run_since_mono = 0;
	else if (from == CARP_ST_INIT)
		vh->run_since_mono = now.mono_us;
	/* An advert that makes us BACKUP names the new master. */
	memset(vh->master_af, 0, sizeof(vh->master_af));
	if (to == CARP_ST_BACKUP && vh->rx_family != 0) {
		vh->master = vh->rx_src;
		vh->master_af[vh->rx_family == AF_INET6] = vh->rx_src;
	} else
		memset(&vh->master, 0, sizeof(vh->master));
	memset(vh->md_at, 0, sizeof(vh->md_at));
	vh->vrrp_preempting = vh->vrrp_resigned = false;
	if (to == CARP_ST_MASTER) {
		vh->node->stats.preempt++;
		vh->master_reason = rs;
	}

	carp_action_init(&a, CARP_ACT_STATE, vh);
	a.a.state.from = from;
	a.a.state.to = to;
	a.a.state.reason = rs;
	a.a.state.master = vh->master;
	a.a.state.at = now;
	carp_emit(vh->node, &a);

	switch (to) {
	case CARP_ST_MASTER:
		carp_enter_master(vh, now);
		break;
	case CARP_ST_BACKUP:
		carp_setrun_backup(vh, now, 0);
		break;
	case CARP_ST_INIT:
	case CARP_ST_MAX:
		vh->delayed_arp = 0;
		carp_arm(vh, 0);
		break;
	}
}

/*
 * carp_master_down_locked: advertise first, as FreeBSD does, so a master
 * we preempt steps down as early as possible and a dead one's backup
 * speaks at its deadline; then take the addresses and announce them (one
 * gratuitous ARP per IPv4 address now and one more after two adverts, one
 * unsolicited NA per IPv6 address); then schedule the next advert.
 * FreeBSD's carp_setrun(MASTER) re-arms that first interval with the raw
 * advskew; the demoted one applies from the next advert on.
 */
static void
carp_enter_master(struct carp_vhid *vh, struct carp_time now)
{
	carp_send_ad(vh, false);
	carp_hold(vh, now);
	carp_announce(vh, vh->has4, vh->has6);
	vh->reannounce_at = now.mono_us + carp_reannounce_us(vh);
	vh->delayed_arp = vh->has4 ? CARP_DELAYED_ARP : 0;
	if (IS_VRRP(vh))
		carp_arm(vh, now.mono_us + carp_ival_us(vh));
	else
		carp_arm(vh, now.mono_us + carp_adv_us(vh,
		    vh->conf.advskew > CARP_MAXSKEW ? CARP_MAXSKEW :
		    vh->conf.advskew));
}

/*
 * carp_setrun(BACKUP): restart the master-down timer of family af
 * (AF_INET or AF_INET6), or of every family the VHID has (0), as FreeBSD
 * keeps sc_md_tmo and sc_md6_tmo (docs/protocol.md, decision 14); the
 * VHID's one timer goes to the earlier deadline, and whichever family's
 * runs out first makes it MASTER ("master timed out"), as either of
 * FreeBSD's callouts does.
 */
static void
carp_setrun_backup(struct carp_vhid *vh, struct carp_time now, int af)
{
	uint64_t	 at = now.mono_us + carp_md_us(vh), next = 0;
	int		 i;

	vh->vrrp_preempting = vh->vrrp_resigned = false;
	if ((af == 0 || af == AF_INET) && vh->has4)
		vh->md_at[0] = at;
	if ((af == 0 || af == AF_INET6) && vh->has6)
		vh->md_at[1] = at;
	for (i = 0; i < 2; i++)
		if (vh->md_at[i] != 0 && (next == 0 || vh->md_at[i] < next))
			next = vh->md_at[i];
	carp_arm(vh, next != 0 ? next : at);
}

/* Hand an action to the host. */
static int
carp_emit(struct carp_node *n, struct carp_action *a)
{
	return n->host.emit(n->host.arg, a);
}

/* Start an action for a VHID (or for the node when vh is NULL). */
static void
carp_action_init(struct carp_action *a, enum carp_action_type type,
    struct carp_vhid *vh)
{
	memset(a, 0, sizeof(*a));
	a->type = type;
	a->vh = vh;
	if (vh != NULL) {
		a->vhid = vh->conf.vhid;
		a->ifindex = vh->conf.ifindex;
		a->ifname = vh->conf.ifname;
	}
}

/* Arm the VHID's timer at an absolute time, or cancel it with 0. */
static void
carp_arm(struct carp_vhid *vh, uint64_t at)
{
	struct carp_action	 a;

	if (at == 0 && vh->timer_at == 0)
		return;
	vh->timer_at = at;
	carp_action_init(&a, CARP_ACT_TIMER, vh);
	a.a.timer.at_us = at;
	carp_emit(vh->node, &a);
}

/*
 * Hold the addresses for 3 x advbase - 1 seconds (docs/protocol.md,
 * decision 10): longer than any advertisement interval, never past a
 * backup's master-down deadline.
 */
static void
carp_hold(struct carp_vhid *vh, struct carp_time now)
{
	struct carp_action	 a;

	carp_action_init(&a, CARP_ACT_HOLD, vh);
	a.a.hold.lifetime_s = carp_hold_s(vh);
	vh->hold_until = now.mono_us + a.a.hold.lifetime_s * USEC;
	carp_emit(vh->node, &a);
}

/* Give the addresses up. */
static void
carp_release(struct carp_vhid *vh)
{
	struct carp_action	 a;

	carp_action_init(&a, CARP_ACT_RELEASE, vh);
	vh->hold_until = 0;
	carp_emit(vh->node, &a);
}

/* Announce the addresses: GARP for IPv4, unsolicited NA for IPv6. */
static void
carp_announce(struct carp_vhid *vh, bool arp, bool na)
{
	struct carp_action	 a;

	if (!arp && !na)
		return;
	carp_action_init(&a, CARP_ACT_ANNOUNCE, vh);
	a.a.announce.arp = arp;
	a.a.announce.na = na;
	carp_emit(vh->node, &a);
}

/*
 * Send one advertisement per address family the VHID has, each with the
 * next counter value (FreeBSD's carp_prepare_ad), to the group or to the
 * unicast peer.  A bow-out advert says advbase 255, advskew 255.
 */
static void
carp_send_ad(struct carp_vhid *vh, bool bowout)
{
	struct carp_node	*n = vh->node;
	struct carp_action	 a;
	uint8_t			 base, skew;
	int			 fam, rc;

	if (IS_VRRP(vh)) {
		vrrp_send_ad(vh, bowout ? 0 : vrrp_eff_prio(vh));
		return;
	}
	base = bowout ? CARP_BOWOUT_ADVBASE : vh->conf.advbase;
	skew = bowout ? CARP_BOWOUT_ADVSKEW : carp_eff_skew(vh);
	for (fam = 0; fam < 2; fam++) {
		if ((fam == 0 && !vh->has4) || (fam == 1 && !vh->has6))
			continue;
		carp_action_init(&a, CARP_ACT_SEND, vh);
		a.a.send.bowout = bowout;
		if (fam == 0) {
			if (vh->conf.peer4.family == AF_INET)
				a.a.send.dst = vh->conf.peer4;
			else {
				a.a.send.dst.family = AF_INET;
				a.a.send.dst.a.v4.s_addr = htonl(CARP_GROUP4);
			}
		} else {
			if (vh->conf.peer6.family == AF_INET6)
				a.a.send.dst = vh->conf.peer6;
			else {
				a.a.send.dst.family = AF_INET6;
				a.a.send.dst.a.v6.s6_addr[0] = 0xff;
				a.a.send.dst.a.v6.s6_addr[1] = 0x02;
				a.a.send.dst.a.v6.s6_addr[15] = 0x12;
			}
		}
		vh->counter++;
		carp_pkt_encode(&vh->hmac, vh->conf.vhid, base, skew,
		    vh->counter, a.a.send.pkt);
		a.a.send.data = a.a.send.pkt;
		a.a.send.len = CARP_HDR_LEN;
		rc = carp_emit(n, &a);
		if (rc != CARP_SEND_QUEUED)
			carp_send_count(vh, fam ? AF_INET6 : AF_INET, rc);
	}
}

/*
 * The outcome of an advert the host queued.  A send-error demotion it
 * causes makes every MASTER advertise now, timed from the latest event.
 */
void
carp_send_done(struct carp_vhid *vh, int family, int err)
{
	struct carp_node	*n = vh->node;

	carp_send_count(vh, family, err);
	carp_sendall(n, n->now);
}

/* Count an advert's outcome; feed the send-error demotion. */
static void
carp_send_count(struct carp_vhid *vh, int family, int err)
{
	struct carp_node	*n = vh->node;

	if (err == 0) {
		vh->adverts_sent++;
		if (family == AF_INET6)
			n->stats.opackets6++;
		else
			n->stats.opackets++;
	} else {
		vh->send_errors++;
		n->stats.onomem++;
		n->gen++;
	}
	carp_send_result(vh, err);
}

/*
 * A MASTER's advertisement: send it, refresh the addresses' lifetime if it
 * could lapse before the next one, arm the timer for the next one.
 */
/*
 * The re-announcements of a MASTER hearing a lower priority (decision 13):
 * at most once per interval, and at most once a second.  A VRRPv3 backup
 * that times out under load at 10 ms would otherwise draw 100 GARPs a
 * second per VHID, each looped by the kernel to every other macvlan of the
 * parent (mode bridge): at 255 VHIDs that took the master's CPU and kept
 * the backups timing out.
 */
#define CARP_REANNOUNCE_MIN_US	1000000

static uint64_t
carp_reannounce_us(const struct carp_vhid *vh)
{
	uint64_t	 ival = carp_ival_us(vh);

	return ival > CARP_REANNOUNCE_MIN_US ? ival : CARP_REANNOUNCE_MIN_US;
}

static void
carp_advertise(struct carp_vhid *vh, struct carp_time now)
{
	uint64_t	 ival, base;

	carp_send_ad(vh, false);
	/* After the send: a third send error has just changed the skew. */
	ival = carp_ival_us(vh);
	/*
	 * Renewed with every advert: the lease then ends no later than
	 * CARP_HOLD_S after the last advert, plus the kernel's rounding of
	 * less than a second, before any backup's master-down deadline
	 * (docs/protocol.md, decision 10).  The host renews a sub-second
	 * VRRPv3 lease at most every 250 ms (agent/engine.c).
	 */
	carp_hold(vh, now);
	/*
	 * The next advert is due one interval after this one was due, not
	 * after the host got round to it: a wake-up 1-2 ms late each time
	 * (a busy loop, a loaded host) stretched every 10 ms interval by as
	 * much.  Not when this one was more than an interval late: then from
	 * now, rather than a burst to catch up.  VRRPv3 only: CARP keeps
	 * FreeBSD's way (the next advert an interval after this one), where
	 * at 1 s and more the drift is nothing and every interval stays
	 * whole (the batching of 064).
	 */
	base = now.mono_us;
	if (vh->conf.proto == CARP_PROTO_VRRP3 &&
	    vh->adv_due != 0 && vh->adv_due <= base &&
	    base - vh->adv_due < ival)
		base = vh->adv_due;
	carp_arm(vh, base + ival);
}

/*
 * FreeBSD 14's carp_send_ad_error (docs/protocol.md, decision 15): any
 * error clears the run of good sends; the third error since the error
 * count was last cleared adds the send-error demotion factor; only
 * CARP_SENDAD_MIN_SUCCESS good sends in a row clear the error count, and
 * lift the demotion if it was added.  So error, error, good, error
 * demotes.  A BACKUP sends nothing, so a demotion taken as MASTER stays
 * until it is MASTER again (as in FreeBSD).
 */
static void
carp_send_result(struct carp_vhid *vh, int err)
{
	struct carp_node	*n = vh->node;
	int			 f;

	if (err != 0) {
		if (vh->sendad_errors < CARP_SENDAD_MAX_ERRORS &&
		    ++vh->sendad_errors == CARP_SENDAD_MAX_ERRORS &&
		    vh->senderr_applied == 0) {
			f = n->conf.senderr_factor;
			vh->senderr_applied = f;
			n->senderr_demotion += f;
			carp_demote_adj(n, f, "send error");
		}
		vh->sendad_success = 0;
		return;
	}
	if (vh->sendad_errors == 0)
		return;
	if (++vh->sendad_success >= CARP_SENDAD_MIN_SUCCESS) {
		f = vh->senderr_applied;
		vh->senderr_applied = 0;
		n->senderr_demotion -= f;
		vh->sendad_errors = 0;
		vh->sendad_success = 0;
		carp_demote_adj(n, -f, "send ok");
	}
}

/* Apply (down) or lift (up) a VHID's interface-down demotion, once. */
static void
carp_ifdown_apply(struct carp_vhid *vh, bool down)
{
	struct carp_node	*n = vh->node;
	int			 f;

	/*
	 * Send errors that the link's loss explains are forgotten: the
	 * kernel reports the carrier through netlink some time after the
	 * first sends fail, and at a 10 ms VRRPv3 interval the third error
	 * came first (a cable pull under load in 038).  The send-error
	 * demotion then stayed after the link came back, since a BACKUP
	 * sends nothing, and the node never preempted again.  FreeBSD sees
	 * the link go down before its next send and never counts these.
	 */
	if (down) {
		if ((f = vh->senderr_applied) != 0) {
			vh->senderr_applied = 0;
			n->senderr_demotion -= f;
			carp_demote_adj(n, -f, "interface down");
		}
		vh->sendad_errors = 0;
		vh->sendad_success = 0;
	}
	if (down && vh->ifdown_applied == 0) {
		f = n->conf.ifdown_factor;
		if (f == 0)
			return;
		vh->ifdown_applied = f;
		n->ifdown_demotion += f;
		carp_demote_adj(n, f, "interface down");
	} else if (!down && vh->ifdown_applied != 0) {
		f = vh->ifdown_applied;
		vh->ifdown_applied = 0;
		n->ifdown_demotion -= f;
		carp_demote_adj(n, -f, "interface up");
	}
}

/*
 * FreeBSD's carp_demote_adj: report "demoted by N to M (reason)".  The
 * caller has already changed the total.  Every MASTER then advertises at
 * once so peers see the new skew, whatever changed the demotion (an
 * administrator, an interface, send errors): FreeBSD queues
 * carp_send_ad_all on a task; carpd runs it when the event is done
 * (carp_sendall), never from inside a send.
 */
static void
carp_demote_adj(struct carp_node *n, int delta, const char *reason)
{
	struct carp_action	 a;

	if (delta == 0)
		return;
	n->gen++;
	n->sendall_pending = true;
	carp_action_init(&a, CARP_ACT_DEMOTION, NULL);
	a.a.demotion.delta = delta;
	a.a.demotion.total = carp_total_demotion(n);
	a.a.demotion.reason = reason;
	carp_emit(n, &a);
}

/* carp_send_ad_all: an advert now from every MASTER, timer re-armed. */
static void
carp_send_ad_all(struct carp_node *n, struct carp_time now)
{
	struct carp_vhid	*vh;

	for (vh = n->vhids; vh != NULL; vh = vh->next)
		if (vh->state == CARP_ST_MASTER)
			carp_advertise(vh, now);
}

/*
 * The end of every event: note its time and, if the demotion changed,
 * advertise from every MASTER.  Sends in that round may change it again
 * (a third error, a third good send): bounded, as each VHID's send-error
 * demotion is added and lifted only once per run of errors.
 */
static void
carp_sendall(struct carp_node *n, struct carp_time now)
{
	n->now = now;
	if (n->in_sendall)
		return;
	n->in_sendall = true;
	while (n->sendall_pending) {
		n->sendall_pending = false;
		carp_send_ad_all(n, now);
	}
	n->in_sendall = false;
}

/*
 * Receive one advertisement.  The checks run in FreeBSD's order
 * (docs/protocol.md, decision 1): allow, length, version, checksum,
 * interface and VHID, TTL (multicast only), HMAC.  Each drop is counted
 * by reason.
 */
enum carp_drop
carp_input(struct carp_node *n, const struct carp_rx *rx, struct carp_time now)
{
	enum carp_drop	 d;

	/* A drop is counted: a change (an accepted advert is not). */
	if ((d = carp_input_check(n, rx, now)) != CARP_DROP_NONE)
		n->gen++;
	return d;
}

/*
 * An advert failed HMAC: find out why (docs/protocol.md, decision 22),
 * unless this VHID tried for the advert's family within
 * CARP_DIAG_EVERY_US (a dual-stack peer's adverts of each family come
 * from different sources, each diagnosed on its own) or the node's
 * CARP_DIAG_BUDGET HMACs of this second could not cover the worst case
 * (the last diagnosis then stands).  The good path never comes here.
 */
static void
carp_diag_badauth(struct carp_node *n, struct carp_vhid *vh,
    const struct carp_rx *rx, const struct carp_hdr *h, struct carp_time now)
{
	struct carp_diag	*d;
	uint64_t		 sec = now.mono_us / USEC;
	unsigned int		 worst = (unsigned int)vh->conf.naddrs + 2;
	int			 f = rx->src.family == AF_INET6;

	if (sec != n->diag_window) {
		n->diag_window = sec;
		n->diag_used = 0;
	}
	if ((vh->diag_tried[f] != 0 &&
	    now.mono_us - vh->diag_tried[f] < CARP_DIAG_EVERY_US) ||
	    n->diag_used + worst > CARP_DIAG_BUDGET) {
		n->diag_skipped++;
		return;
	}
	d = &vh->diag[f];
	vh->diag_tried[f] = now.mono_us != 0 ? now.mono_us : 1;
	n->diag_used += carp_pkt_diagnose(vh->conf.key, vh->conf.keylen,
	    vh->conf.vhid, vh->conf.addrs, vh->conf.naddrs, h, d);
	d->src = rx->src;
	d->src.prefixlen = 0;
	d->at_mono_us = now.mono_us;
	d->at_wall_us = now.wall_us;
	n->diags[d->kind]++;
}

/* carp_input: check a packet, count a drop, feed an advert to the FSM. */
static enum carp_drop
carp_input_check(struct carp_node *n, const struct carp_rx *rx,
    struct carp_time now)
{
	struct carp_hdr		 h;
	struct carp_heard	 heard;
	struct carp_ifidx	*ix;
	struct carp_vhid	*vh;
	enum carp_drop		 drop;
	enum carp_event		 ev;
	uint64_t		 sc_tv, ch_tv;
	bool			 mcast;

	if (!n->conf.allow) {
		n->drops[CARP_DROP_DISABLED]++;
		return CARP_DROP_DISABLED;
	}
	if (rx->src.family == AF_INET6)
		n->stats.ipackets6++;
	else
		n->stats.ipackets++;

	if ((drop = carp_pkt_decode(rx->data, rx->len, &h)) != CARP_DROP_NONE) {
		if (drop == CARP_DROP_BADLEN)
			n->stats.badlen++;
		else if (drop == CARP_DROP_BADVER)
			n->stats.badver++;
		else
			n->stats.badsum++;
		n->drops[drop]++;
		return drop;
	}

	/* The index: an interface without VHIDs has no slot. */
	if ((ix = carp_ifidx_lookup(n, rx->ifindex, NULL)) == NULL ||
	    rx->looped) {
		n->stats.badif++;
		n->drops[CARP_DROP_BADIF]++;
		return CARP_DROP_BADIF;
	}
	vh = ix->vhid[h.vhid];
	/* carp_find_ifa: an address of the packet's family on that VHID. */
	if (vh == NULL || (rx->src.family == AF_INET6 ? !vh->has6 : !vh->has4)) {
		n->stats.badvhid++;
		n->drops[CARP_DROP_BADVHID]++;
		return CARP_DROP_BADVHID;
	}
	/* A CARP advert for a VRRPv3 VHID: FreeBSD's "invalid version". */
	if (IS_VRRP(vh)) {
		n->stats.badver++;
		n->drops[CARP_DROP_BADVER]++;
		n->vrrp_drops[CARP_DROP_BADVER]++;
		vh->drops[CARP_DROP_BADVER]++;
		vh->last_drop = CARP_DROP_BADVER;
		return CARP_DROP_BADVER;
	}
	/* FreeBSD enforces TTL 255 only when the destination is multicast. */
	mcast = rx->src.family == AF_INET6 ?
	    vh->conf.peer6.family != AF_INET6 :
	    vh->conf.peer4.family != AF_INET;
	if (mcast && rx->ttl != CARP_DFLTTL) {
		n->stats.badttl++;
		n->drops[CARP_DROP_BADTTL]++;
		vh->drops[CARP_DROP_BADTTL]++;
		vh->last_drop = CARP_DROP_BADTTL;
		return CARP_DROP_BADTTL;
	}
	if (carp_pkt_verify(&vh->hmac, &h) != 0) {
		n->stats.badauth++;
		n->drops[CARP_DROP_BADAUTH]++;
		vh->drops[CARP_DROP_BADAUTH]++;
		carp_diag_badauth(n, vh, rx, &h, now);
		vh->last_drop = CARP_DROP_BADAUTH;
		return CARP_DROP_BADAUTH;
	}

	vh->adverts_received++;
	/* FreeBSD adopts a valid peer's counter (no replay protection). */
	vh->counter = h.counter;
	if (vh->state == CARP_ST_INIT)
		return CARP_DROP_NONE;

	/* Compare the advertised intervals as FreeBSD's timevals. */
	sc_tv = carp_adv_us(vh, carp_eff_skew(vh));
	ch_tv = h.advbase * USEC + SKEW_US(h.advskew);
	if (ch_tv <= sc_tv)
		ev = CARP_EV_RX_BETTER;
	else if (n->conf.preempt)
		ev = CARP_EV_RX_PREEMPT;
	else if (ch_tv > 3 * vh->conf.advbase * USEC +
	    SKEW_US(carp_eff_skew(vh)))
		ev = CARP_EV_RX_TIMEOUT;
	else
		ev = CARP_EV_RX_SLOWER;
	/*
	 * With preempt on, FreeBSD tests "slower" before "will time out", so
	 * a bow-out then reads as a slower master, with the same outcome.
	 */
	vh->rx_family = rx->src.family;
	vh->rx_src = rx->src;
	carp_fsm(vh, ev, now);
	vh->rx_family = 0;
	carp_rx_master(vh, rx);
	memset(&heard, 0, sizeof(heard));
	heard.advbase = h.advbase;
	heard.advskew = h.advskew;
	heard.demote = h.demote;
	carp_heard_rx(vh, rx, &heard, h.advbase == CARP_BOWOUT_ADVBASE &&
	    h.advskew == CARP_BOWOUT_ADVSKEW, now);
	carp_sendall(n, now);
	return CARP_DROP_NONE;
}

/* A BACKUP names the source of the advert it just took as the master. */
static void
carp_rx_master(struct carp_vhid *vh, const struct carp_rx *rx)
{
	struct carp_addr	*m = &vh->master_af[rx->src.family == AF_INET6];

	/* Each family's, for the views (a change moves the generation). */
	if (vh->state == CARP_ST_BACKUP && (m->family != rx->src.family ||
	    memcmp(&m->a, &rx->src.a, rx->src.family == AF_INET6 ?
	    sizeof(rx->src.a.v6) : sizeof(rx->src.a.v4)) != 0)) {
		*m = rx->src;
		vh->node->gen++;
	}
	if (vh->state == CARP_ST_BACKUP &&
	    (vh->master.family != rx->src.family ||
	    memcmp(&vh->master.a, &rx->src.a, rx->src.family == AF_INET6 ?
	    sizeof(rx->src.a.v6) : sizeof(rx->src.a.v4)) != 0)) {
		vh->master = rx->src;
		vh->node->gen++;
	}
}

/*
 * A BACKUP records what the master's advert said (per family) and, unless
 * it was a bow-out (CARP advbase 255 advskew 255, VRRPv3 priority 0), that
 * a master is there again.  The record moves no generation: adverts
 * do not.
 */
static void
carp_heard_rx(struct carp_vhid *vh, const struct carp_rx *rx,
    const struct carp_heard *h, bool bowout, struct carp_time now)
{
	struct carp_heard	*r;

	if (vh->state != CARP_ST_BACKUP)
		return;
	r = &vh->heard[rx->src.family == AF_INET6 ? 1 : 0];
	*r = *h;
	r->src = rx->src;
	r->at_us = now.mono_us;
	if (!bowout)
		carp_no_master(vh, false, now);
}

/*
 * A held BACKUP's "no master" episode begins (on) or ends (off): reported
 * once each way.  An episode ends when a master is heard, the hold ends,
 * or the state changes.
 */
static void
carp_no_master(struct carp_vhid *vh, bool on, struct carp_time now)
{
	struct carp_action	 a;

	if (vh->no_master == on)
		return;
	vh->no_master = on;
	vh->no_master_since = on ? now : (struct carp_time){ 0, 0 };
	vh->node->gen++;
	carp_action_init(&a, CARP_ACT_NO_MASTER, vh);
	a.a.no_master.on = on;
	a.a.no_master.at = now;
	carp_emit(vh->node, &a);
}

/* The VHID's timer fired: master-down in BACKUP, next advert in MASTER. */
void
carp_vhid_timeout(struct carp_vhid *vh, struct carp_time now)
{
	uint64_t	 at = vh->timer_at;

	if (at == 0)
		return;
	if (now.mono_us < at) {
		/* Early: ask the host to arm the same deadline again. */
		vh->timer_at = 0;
		carp_arm(vh, at);
		return;
	}
	vh->timer_at = 0;
	if (vh->state == CARP_ST_BACKUP)
		carp_fsm(vh, vh->vrrp_resigned ? CARP_EV_RESIGN_DOWN :
		    vh->vrrp_preempting ? CARP_EV_PREEMPT_DOWN :
		    CARP_EV_MASTER_DOWN, now);
	else if (vh->state == CARP_ST_MASTER) {
		vh->adv_due = at;
		carp_fsm(vh, CARP_EV_ADV_TIMER, now);
		vh->adv_due = 0;
	}
	carp_sendall(vh->node, now);
}

/*
 * The host could not hear anything between carp_vhid_add() and its first
 * read: building 255 macvlans took longer than a 10 ms VRRPv3 backup's
 * Master_Down_Interval, and every backup took over from a live master.
 */
void
carp_vhid_listening(struct carp_vhid *vh, struct carp_time now)
{
	if (vh->state != CARP_ST_BACKUP)
		return;
	carp_setrun_backup(vh, now, 0);
	carp_sendall(vh->node, now);
}

/* The interval a MASTER advertises at now, demotion included. */
uint64_t
carp_vhid_interval(const struct carp_vhid *vh)
{
	return carp_ival_us(vh);
}

/* A MASTER's advert due within early_us, at interval ival_us, goes now. */
int
carp_vhid_advertise_early(struct carp_vhid *vh, struct carp_time now,
    uint64_t early_us, uint64_t ival_us)
{
	if (vh->state != CARP_ST_MASTER || vh->timer_at == 0 ||
	    vh->timer_at > now.mono_us + early_us ||
	    carp_vhid_interval(vh) != ival_us)
		return 0;
	vh->timer_at = 0;
	carp_fsm(vh, CARP_EV_ADV_TIMER, now);
	carp_sendall(vh->node, now);
	return 1;
}

/* A MASTER's next advert, at interval ival_us, moves forward to at. */
int
carp_vhid_advertise_at(struct carp_vhid *vh, struct carp_time now,
    uint64_t at, uint64_t ival_us)
{
	if (vh->state != CARP_ST_MASTER || vh->timer_at == 0 ||
	    at >= vh->timer_at || at <= now.mono_us ||
	    carp_vhid_interval(vh) != ival_us)
		return 0;
	carp_arm(vh, at);
	return 1;
}

/* An interface's link went down or came up (FreeBSD carp_linkstate). */
void
carp_link_change(struct carp_node *n, unsigned int ifindex, bool up,
    struct carp_time now)
{
	struct carp_vhid	*vh;

	for (vh = n->vhids; vh != NULL; vh = vh->next) {
		if (vh->conf.ifindex != ifindex || vh->link_up == up)
			continue;
		n->gen++;
		vh->link_up = up;
		if (!up) {
			carp_fsm(vh, CARP_EV_LINK_DOWN, now);
			carp_ifdown_apply(vh, true);
		} else {
			carp_fsm(vh, CARP_EV_START, now);
			if (n->conf.allow)
				carp_ifdown_apply(vh, false);
		}
	}
	carp_sendall(n, now);
}

/* Copy an administrative reason, truncating. */
static void
carp_reason_copy(char *dst, const char *src)
{
	if (src == NULL)
		src = "";
	strncpy(dst, src, CARP_REASON_LEN - 1);
	dst[CARP_REASON_LEN - 1] = '\0';
}

/* Demote one VHID: hand it over now and hold it in BACKUP. */
int
carp_vhid_demote(struct carp_vhid *vh, const char *reason, struct carp_time now)
{
	if (vh->admin_demoted)
		return 0;
	vh->admin_demoted = true;
	vh->node->gen++;
	carp_reason_copy(vh->admin_reason, reason);
	carp_fsm(vh, CARP_EV_DEMOTE, now);
	carp_sendall(vh->node, now);
	return 1;
}

/* Lift a VHID's demotion; with force_master take the addresses now. */
int
carp_vhid_promote(struct carp_vhid *vh, bool force_master,
    struct carp_time now)
{
	int	 changed = 0;

	vh->node->gen++;
	if (vh->admin_demoted) {
		vh->admin_demoted = false;
		vh->admin_reason[0] = '\0';
		changed = 1;
		if (!carp_held(vh))
			carp_no_master(vh, false, now);
	}
	if (force_master && vh->state == CARP_ST_BACKUP && !carp_held(vh)) {
		carp_fsm(vh, CARP_EV_FORCE_MASTER, now);
		changed = 1;
	}
	carp_sendall(vh->node, now);
	return changed;
}

/* Node maintenance: every VHID handed over and held while on. */
int
carp_maintenance(struct carp_node *n, bool on, const char *reason,
    struct carp_time now)
{
	struct carp_vhid	*vh;

	if (n->maintenance == on)
		return 0;
	n->maintenance = on;
	n->gen++;
	if (on)
		carp_reason_copy(n->maintenance_reason, reason);
	else
		n->maintenance_reason[0] = '\0';
	for (vh = n->vhids; vh != NULL; vh = vh->next) {
		if (on)
			carp_fsm(vh, CARP_EV_MAINTENANCE, now);
		else if (!carp_held(vh))
			carp_no_master(vh, false, now);
	}
	carp_sendall(n, now);
	return 1;
}

/*
 * The soft maintenance's hand-over (docs/protocol.md, decision 21):
 * every MASTER bows out and becomes BACKUP, as maintenance does, but is
 * not held; so a backup takes over at once whatever its preempt, and this
 * node takes over again as the last resort when nobody else advertises.
 */
int
carp_handover(struct carp_node *n, struct carp_time now)
{
	struct carp_vhid	*vh;
	int			 changed = 0;

	for (vh = n->vhids; vh != NULL; vh = vh->next)
		if (vh->state == CARP_ST_MASTER) {
			carp_fsm(vh, CARP_EV_MAINTENANCE, now);
			changed = 1;
		}
	carp_sendall(n, now);
	return changed;
}

/* Set the administrative demotion to a value. */
int
carp_demotion_set(struct carp_node *n, int value, const char *reason,
    struct carp_time now)
{
	int	 delta = value - n->admin_demotion;

	if (delta == 0)
		return 0;
	n->admin_demotion = value;
	carp_demote_adj(n, delta, reason != NULL ? reason : "sysctl");
	carp_sendall(n, now);
	return 1;
}

/* Add to the administrative demotion (a net.inet.carp.demotion write). */
int
carp_demotion_adjust(struct carp_node *n, int delta, const char *reason,
    struct carp_time now)
{
	return carp_demotion_set(n, n->admin_demotion + delta, reason, now);
}

/* Graceful stop: bow out of every MASTER VHID, release, go to INIT. */
void
carp_shutdown(struct carp_node *n, struct carp_time now)
{
	struct carp_vhid	*vh;

	for (vh = n->vhids; vh != NULL; vh = vh->next)
		carp_fsm(vh, CARP_EV_SHUTDOWN, now);
	carp_sendall(n, now);
}

/*
 * VRRPv3 mode (RFC 5798; docs/protocol.md, decision 18).
 */

/* Skew_Time, in microseconds, truncated: (256 - prio) x interval / 256. */
uint64_t
carp_vrrp_skew_us(uint8_t prio, uint16_t interval_cs)
{
	return (uint64_t)(256 - prio) * interval_cs * CS_US / 256;
}

/* Master_Down_Interval: 3 x interval + Skew_Time, in microseconds. */
uint64_t
carp_vrrp_md_us(uint8_t prio, uint16_t interval_cs)
{
	return 3 * (uint64_t)interval_cs * CS_US +
	    carp_vrrp_skew_us(prio, interval_cs);
}

/*
 * FreeBSD's DEMOTE_VRRP_PRIO (main, 2026): the owner is never demoted,
 * any other priority goes down by the demotion; carpd clamps to 1..254
 * where FreeBSD clamps to 0..254, so that 0 keeps its one meaning.
 */
uint8_t
carp_vrrp_prio(uint8_t prio, int demotion)
{
	int	 p;

	if (prio == VRRP_PRIO_OWNER)
		return prio;
	p = (int)prio - demotion;
	if (p < 1)
		p = 1;
	if (p > VRRP_PRIO_OWNER - 1)
		p = VRRP_PRIO_OWNER - 1;
	return (uint8_t)p;
}

/* The priority the VHID advertises and compares now. */
static uint8_t
vrrp_eff_prio(const struct carp_vhid *vh)
{
	return carp_vrrp_prio(vh->conf.vrrp_prio,
	    carp_total_demotion(vh->node));
}

/* A MASTER's interval between adverts. */
static uint64_t
carp_ival_us(const struct carp_vhid *vh)
{
	if (IS_VRRP(vh))
		return vh->conf.vrrp_interval * CS_US;
	return carp_adv_us(vh, carp_eff_skew(vh));
}

/*
 * The addresses' lease (decision 10).  VRRPv3: 3 x interval - 1 s in
 * whole seconds, at least 1 s: from 1 s on it ends before any backup's
 * master-down deadline, as CARP's; below 0.34 s intervals the lease (1 s)
 * outlives the deadline (decision 18).
 */
static uint32_t
carp_hold_s(const struct carp_vhid *vh)
{
	uint32_t	 cs3;

	if (!IS_VRRP(vh))
		return CARP_HOLD_S(vh->conf.advbase);
	cs3 = 3U * vh->conf.vrrp_interval;
	return cs3 < 200 ? 1 : (cs3 - 100) / 100;
}

/* A VRRPv3 VHID's ranges: FreeBSD's vrrpprio and vrrpinterval. */
static int
vrrp_conf_valid(const struct carp_vhid_conf *c)
{
	size_t	 i;

	if (c->vhid < 1 || c->vrrp_prio < 1 || c->vrrp_interval < 1 ||
	    c->vrrp_interval > VRRP_MAX_INTERVAL || c->naddrs < 1 ||
	    c->naddrs > CARP_MAX_ADDRS || c->keylen > CARP_KEY_MAX ||
	    c->ifindex == 0)
		return -1;
	for (i = 0; i < c->naddrs; i++)
		if (c->addrs[i].family != AF_INET &&
		    c->addrs[i].family != AF_INET6)
			return -1;
	return 0;
}

/*
 * One advert per family, priority prio (0: resigning), always to the
 * group (FreeBSD's VRRP mode has no unicast).  The engine does not know
 * the source, so the checksum is the unspecified address's until the
 * host calls vrrp_pkt_finalize().
 */
static void
vrrp_send_ad(struct carp_vhid *vh, uint8_t prio)
{
	struct carp_action	 a;
	struct carp_addr	 src;
	int			 fam, rc;

	for (fam = 0; fam < 2; fam++) {
		if ((fam == 0 && !vh->has4) || (fam == 1 && !vh->has6))
			continue;
		carp_action_init(&a, CARP_ACT_SEND, vh);
		a.a.send.bowout = prio == 0;
		a.a.send.vrrp = true;
		if (fam == 0) {
			a.a.send.dst.family = AF_INET;
			a.a.send.dst.a.v4.s_addr = htonl(CARP_GROUP4);
		} else {
			a.a.send.dst.family = AF_INET6;
			a.a.send.dst.a.v6.s6_addr[0] = 0xff;
			a.a.send.dst.a.v6.s6_addr[1] = 0x02;
			a.a.send.dst.a.v6.s6_addr[15] = 0x12;
		}
		memset(&src, 0, sizeof(src));
		src.family = a.a.send.dst.family;
		a.a.send.data = vh->vrrp_buf;
		a.a.send.len = vrrp_pkt_encode(&src, &a.a.send.dst,
		    vh->conf.vhid, prio, vh->conf.vrrp_interval,
		    vh->conf.addrs, vh->conf.naddrs, vh->vrrp_buf,
		    VRRP_PKT_MAX);
		if (prio == 0)
			vh->vrrp_tx_prio0++;
		rc = carp_emit(vh->node, &a);
		if (rc != CARP_SEND_QUEUED)
			carp_send_count(vh, fam ? AF_INET6 : AF_INET, rc);
	}
}

/*
 * RFC 5798 6.4.2: a priority 0 advert sets the Master_Down_Timer of its
 * family to Skew_Time; its expiry is a take-over from a resigned master.
 */
static void
vrrp_setrun_skew(struct carp_vhid *vh, struct carp_time now)
{
	uint64_t	 next = 0;
	int		 i;

	i = vh->rx_family == AF_INET6 ? 1 : 0;
	vh->md_at[i] = now.mono_us +
	    carp_vrrp_skew_us(vh->conf.vrrp_prio, vh->vrrp_mai);
	for (i = 0; i < 2; i++)
		if (vh->md_at[i] != 0 && (next == 0 || vh->md_at[i] < next))
			next = vh->md_at[i];
	vh->vrrp_preempting = false;
	vh->vrrp_resigned = true;
	carp_arm(vh, next);
}

/*
 * The event an accepted advert is: priority 0, higher, ours (the
 * tie-break on the primary addresses, RFC 5798 6.4.3: the higher one
 * wins; unknown local address: ours wins, both stay MASTER as on
 * FreeBSD), or lower, which preempt turns into a preemption.
 */
static enum carp_event
vrrp_classify(const struct carp_vhid *vh, const struct vrrp_hdr *h,
    const struct carp_rx *rx)
{
	uint8_t	 ours = vrrp_eff_prio(vh);

	if (h->prio == 0)
		return CARP_EV_RX_ZERO;
	if (h->prio > ours)
		return CARP_EV_RX_BETTER;
	if (h->prio == ours)
		return rx->local.family == rx->src.family &&
		    carp_addr_cmp(&rx->src, &rx->local) > 0 ?
		    CARP_EV_RX_TIE_HIGHER : CARP_EV_RX_TIE_LOWER;
	return vh->node->conf.preempt ? CARP_EV_RX_PREEMPT : CARP_EV_RX_SLOWER;
}

/* Receive one VRRPv3 advert. */
enum carp_drop
carp_input_vrrp(struct carp_node *n, const struct carp_rx *rx,
    struct carp_time now)
{
	enum carp_drop	 d;

	if ((d = vrrp_input_check(n, rx, now)) != CARP_DROP_NONE)
		n->gen++;
	return d;
}

/* Count a drop of reason d, for the node and (if known) the VHID. */
static enum carp_drop
vrrp_drop(struct carp_node *n, struct carp_vhid *vh, enum carp_drop d)
{
	switch (d) {
	case CARP_DROP_BADLEN:
		n->stats.badlen++;
		break;
	case CARP_DROP_BADVER:
		n->stats.badver++;
		break;
	case CARP_DROP_BADSUM:
		n->stats.badsum++;
		break;
	case CARP_DROP_BADIF:
		n->stats.badif++;
		break;
	case CARP_DROP_BADVHID:
		n->stats.badvhid++;
		break;
	case CARP_DROP_BADTTL:
		n->stats.badttl++;
		break;
	default:
		break;
	}
	n->drops[d]++;
	n->vrrp_drops[d]++;
	if (vh != NULL) {
		vh->drops[d]++;
		vh->last_drop = d;
	}
	return d;
}

/*
 * FreeBSD's carp_input and vrrp_input_c: the checks in its order, then
 * the VHID's state machine.  The owner ignores every advert.
 */
static enum carp_drop
vrrp_input_check(struct carp_node *n, const struct carp_rx *rx,
    struct carp_time now)
{
	struct vrrp_hdr		 h;
	struct carp_heard	 heard;
	struct carp_ifidx	*ix;
	struct carp_vhid	*vh;
	enum carp_drop		 d;

	if (!n->conf.allow) {
		n->drops[CARP_DROP_DISABLED]++;
		return CARP_DROP_DISABLED;
	}
	if (rx->src.family == AF_INET6)
		n->stats.ipackets6++;
	else
		n->stats.ipackets++;
	if ((d = vrrp_pkt_decode(rx->data, rx->len, &h)) != CARP_DROP_NONE)
		return vrrp_drop(n, NULL, d);
	if ((ix = carp_ifidx_lookup(n, rx->ifindex, NULL)) == NULL ||
	    rx->looped)
		return vrrp_drop(n, NULL, CARP_DROP_BADIF);
	vh = ix->vhid[h.vrid];
	if (vh == NULL || (rx->src.family == AF_INET6 ? !vh->has6 : !vh->has4))
		return vrrp_drop(n, NULL, CARP_DROP_BADVHID);
	if (!IS_VRRP(vh))
		return vrrp_drop(n, vh, CARP_DROP_BADVER);
	/* VRRP is multicast only: TTL or hop limit 255, always. */
	if (rx->ttl != CARP_DFLTTL)
		return vrrp_drop(n, vh, CARP_DROP_BADTTL);
	if ((d = vrrp_pkt_verify(&rx->src, &rx->dst, rx->data, &h)) !=
	    CARP_DROP_NONE)
		return vrrp_drop(n, vh, d);

	vh->adverts_received++;
	vrrp_rx_count(vh, &h, rx->src.family);
	if (vh->state == CARP_ST_INIT ||
	    vrrp_eff_prio(vh) == VRRP_PRIO_OWNER)
		return CARP_DROP_NONE;
	vh->rx_family = rx->src.family;
	vh->rx_src = rx->src;
	/* An interval of 0 would make the master-down 0: read it as 1. */
	vh->rx_interval = h.interval != 0 ? h.interval : 1;
	carp_fsm(vh, vrrp_classify(vh, &h, rx), now);
	vh->rx_family = 0;
	carp_rx_master(vh, rx);
	memset(&heard, 0, sizeof(heard));
	heard.prio = h.prio;
	heard.interval = h.interval;
	carp_heard_rx(vh, rx, &heard, h.prio == 0, now);
	carp_sendall(n, now);
	return CARP_DROP_NONE;
}

/*
 * RFC 6527's statistics of a valid advert: priority 0, an interval other
 * than ours, a type other than advertisement, an address list other
 * than ours.  Counted only: FreeBSD accepts all of them.
 */
static void
vrrp_rx_count(struct carp_vhid *vh, const struct vrrp_hdr *h, int af)
{
	if (h->prio == 0)
		vh->vrrp_rx_prio0++;
	if (h->interval != vh->conf.vrrp_interval)
		vh->vrrp_interval_errors++;
	if (h->type != VRRP_TYPE_ADVERT)
		vh->vrrp_type_errors++;
	if (!vrrp_addrs_match(vh, h, af))
		vh->vrrp_addr_errors++;
}

/*
 * Whether an advert lists the VHID's addresses of family af, in any
 * order: in the same order costs one pass (the usual case: FreeBSD and
 * keepalived send them in configuration order), any other order one
 * pass per address.
 */
static bool
vrrp_addrs_match(const struct carp_vhid *vh, const struct vrrp_hdr *h, int af)
{
	const struct carp_vhid_conf	*c = &vh->conf;
	struct carp_addr		 a;
	size_t				 i, j, n = 0, alen;
	bool				 inorder = true;

	alen = af == AF_INET6 ? sizeof(a.a.v6) : sizeof(a.a.v4);
	for (j = 0; j < c->naddrs; j++) {
		if (c->addrs[j].family != af)
			continue;
		if (vrrp_pkt_addr(h, af, n, &a) == -1)
			return false;
		if (memcmp(&a.a, &c->addrs[j].a, alen) != 0)
			inorder = false;
		n++;
	}
	if (n != h->naddrs)
		return false;
	if (inorder)
		return true;
	for (i = 0; i < n; i++) {
		if (vrrp_pkt_addr(h, af, i, &a) == -1)
			return false;
		for (j = 0; j < c->naddrs; j++)
			if (c->addrs[j].family == af &&
			    memcmp(&a.a, &c->addrs[j].a, alen) == 0)
				break;
		if (j == c->naddrs)
			return false;
	}
	return true;
}
