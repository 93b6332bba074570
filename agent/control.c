/*
 * control.c: administrative actions, audited and persisted.
 */
#include <sys/types.h>

#include <errno.h>
#include <event2/event.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "agent/clock.h"
#include "agent/control.h"
#include "agent/dispatch.h"
#include "agent/engine.h"
#include "agent/ledger.h"
#include "agent/log.h"
#include "agent/state.h"
#include "agent/xmalloc.h"

const char *const ctl_action_names[CTL_ACTION_MAX] = {
	"demote", "promote", "maintenance-on", "maintenance-off", "demotion"
};

static struct {
	char		*path;
	struct state	 st;
	/* The ledger. */
	bool		 restored;	/* the state file's entries are in */
	int		 conf_demotion;	/* the configured one, last seen */
	const char	*channel;	/* the audit line's origin, or NULL */
	bool		 quiet;		/* the caller writes the audit line */
	struct event	*expiry_ev;
} ctl;

static int	 ctl_save(void);
static void	 ctl_ledger_hooks(void);
static void	 ctl_ledger_restore(void);
static void	 ctl_timer_arm(void);
static const char *ctl_quote(const char *, char *, size_t);
static const char *ctl_by(const char *, char *, size_t);

/* Load the state file. */
int
ctl_init(const char *state_file)
{
	state_init(&ctl.st);
	ctl_ledger_hooks();
	ctl_set_path(state_file);
	if (ctl.path != NULL && state_load(ctl.path, &ctl.st) == -1)
		return -1;
	return 0;
}

/* The administrative state as set and saved: since when, by whom. */
const struct state *
ctl_state(void)
{
	return &ctl.st;
}

/* Change where the state is saved. */
void
ctl_set_path(const char *state_file)
{
	free(ctl.path);
	ctl.path = state_file != NULL ? xstrdup(state_file) : NULL;
}

void
ctl_free(void)
{
	state_free(&ctl.st);
	free(ctl.path);
	ctl.path = NULL;
	if (ctl.expiry_ev != NULL)
		event_free(ctl.expiry_ev);
	ctl.expiry_ev = NULL;
	ctl.restored = false;
	ledger_free();
}

/* Put the saved administrative state back into the engine. */
void
ctl_restore(void)
{
	struct carp_node	*n = eng_node();
	struct carp_time	 now = clock_now();
	struct carp_vhid	*vh;
	const struct ledger_entry *e;
	size_t			 i;

	ctl_ledger_restore();
	if ((e = ledger_find(CTL_MAINT_ENTRY)) != NULL &&
	    e->source == LEDGER_MAINTENANCE && !ctl.st.maintenance)
		log_info("maintenance restored from %s (%s): soft, the last "
		    "resort still", ctl.path, e->reason);
	if (ctl.st.maintenance &&
	    carp_maintenance(n, true, ctl.st.maintenance_reason, now) == 1)
		log_info("maintenance restored from %s (%s)", ctl.path,
		    ctl.st.maintenance_reason);
	for (i = 0; i < ctl.st.ndemoted; i++) {
		const struct state_vhid *sv = &ctl.st.demoted[i];

		for (vh = carp_vhid_next(n, NULL); vh != NULL;
		    vh = carp_vhid_next(n, vh)) {
			if (carp_vhid_id(vh) == sv->vhid &&
			    strcmp(carp_vhid_ifname(vh), sv->ifname) == 0)
				break;
		}
		if (vh == NULL) {
			log_warnx("%s: demoted VHID %u@%s is not configured; "
			    "kept in the file", ctl.path, sv->vhid,
			    sv->ifname);
			continue;
		}
		if (carp_vhid_demote(vh, sv->reason, now) == 1)
			log_info("%u@%s: demotion restored from %s (%s)",
			    sv->vhid, sv->ifname, ctl.path, sv->reason);
	}
}

/* Save the state, if there is a state file. */
static int
ctl_save(void)
{
	if (ctl.path == NULL)
		return 0;
	state_from_ledger(&ctl.st);
	if (state_save(ctl.path, &ctl.st) == -1) {
		if (errno == 0)
			errno = EIO;
		return -1;
	}
	return 0;
}

/* The audit line's end: ' by="..."', or nothing. */
static const char *
ctl_by(const char *by, char *buf, size_t len)
{
	char	 q[CTL_BY_LEN * 2];

	if (by == NULL || *by == '\0')
		return "";
	snprintf(buf, len, " by=\"%s\"", ctl_quote(by, q, sizeof(q)));
	return buf;
}

/* Quote a reason for the audit line: printable ASCII, quotes escaped. */
static const char *
ctl_quote(const char *s, char *buf, size_t len)
{
	size_t	 o = 0;

	if (s == NULL)
		s = "";
	for (; *s != '\0' && o + 3 < len; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '"' || c == '\\') {
			buf[o++] = '\\';
			buf[o++] = (char)c;
		} else if (c < 0x20 || c == 0x7f)
			buf[o++] = '?';
		else
			buf[o++] = (char)c;
	}
	buf[o] = '\0';
	return buf;
}

/* Demote one VHID. */
int
ctl_vhid_demote(struct carp_vhid *vh, const char *reason, const char *origin,
    const char *by)
{
	struct carp_time	 now = clock_now();
	enum carp_state		 before;
	struct state_vhid	*sv;
	const char		*ifname = carp_vhid_ifname(vh);
	uint8_t			 id = carp_vhid_id(vh);
	char			 q[CARP_REASON_LEN * 2], b[CTL_BY_LEN * 2 + 8];
	int			 rc;

	before = carp_vhid_state(vh);
	if ((rc = carp_vhid_demote(vh, reason, now)) == 0)
		return 0;
	log_info("audit: origin=%s action=demote vhid=%d@%s reason=\"%s\" "
	    "before=%s after=%s%s", origin, id, ifname,
	    ctl_quote(reason, q, sizeof(q)), carp_state_names[before],
	    carp_state_names[carp_vhid_state(vh)], ctl_by(by, b, sizeof(b)));
	state_set_demoted(&ctl.st, ifname, id, true, reason,
	    now.wall_us / 1000000);
	if ((sv = state_find_demoted(&ctl.st, ifname, id)) != NULL)
		snprintf(sv->by, sizeof(sv->by), "%s", by != NULL ? by : "");
	dispatch_admin(CTL_DEMOTE, origin, reason, vh, 0, now);
	return ctl_save() == -1 ? -1 : 1;
}

/* Promote one VHID. */
int
ctl_vhid_promote(struct carp_vhid *vh, bool force, const char *reason,
    const char *origin, const char *by)
{
	struct carp_time	 now = clock_now();
	enum carp_state		 before = carp_vhid_state(vh);
	bool			 demoted = carp_vhid_admin_demoted(vh);
	const char		*ifname = carp_vhid_ifname(vh);
	uint8_t			 id = carp_vhid_id(vh);
	char			 q[CARP_REASON_LEN * 2], b[CTL_BY_LEN * 2 + 8];

	if (carp_vhid_promote(vh, force, now) == 0)
		return 0;
	log_info("audit: origin=%s action=promote%s vhid=%d@%s reason=\"%s\" "
	    "before=%s%s after=%s%s", origin,
	    force ? " force_master=true" : "", id, ifname,
	    ctl_quote(reason, q, sizeof(q)), carp_state_names[before],
	    demoted ? ",demoted" : "", carp_state_names[carp_vhid_state(vh)],
	    ctl_by(by, b, sizeof(b)));
	state_set_demoted(&ctl.st, ifname, id, false, NULL, 0);
	dispatch_admin(CTL_PROMOTE, origin, reason, vh, force, now);
	return ctl_save() == -1 ? -1 : 1;
}

/* The kind of maintenance in effect. */
enum ctl_maint_mode
ctl_maintenance_mode(void)
{
	const struct ledger_entry	*e;
	struct carp_node_info		 ni;

	carp_node_info(eng_node(), &ni);
	if (ni.maintenance)
		return CTL_MAINT_HOLD;
	if ((e = ledger_find(CTL_MAINT_ENTRY)) != NULL &&
	    e->source == LEDGER_MAINTENANCE)
		return CTL_MAINT_SOFT;
	return CTL_MAINT_OFF;
}

/*
 * Node maintenance on (soft, or with hold) or off (docs/protocol.md,
 * decision 21).  Soft: the ledger entry "maintenance" (weight 240, source
 * maintenance, persistent), then every MASTER hands over; the node still
 * takes over as the last resort.  Hold: the engine's maintenance, every
 * VHID held in BACKUP, saved as the state file's "maintenance" as before.
 * Off lifts either.  One audit line, as before, ending in the new mode.
 */
int
ctl_maintenance(bool on, bool hold, const char *reason, const char *origin,
    const char *by)
{
	static const char *const mode_names[] = { "off", "soft", "hold" };
	struct carp_time	 now = clock_now();
	enum ctl_maint_mode	 before = ctl_maintenance_mode(), after;
	char			 q[CARP_REASON_LEN * 2], b[CTL_BY_LEN * 2 + 8];
	int			 rc = 0, saved = 0;

	after = !on ? CTL_MAINT_OFF : hold ? CTL_MAINT_HOLD : CTL_MAINT_SOFT;
	if (before == after)
		return 0;
	ctl.quiet = true;
	ctl.channel = origin;
	errno = 0;
	/* The new kind first, then the old one goes: never a gap. */
	if (after == CTL_MAINT_SOFT) {
		rc = ledger_set(CTL_MAINT_ENTRY, LEDGER_MAINTENANCE,
		    CARP_MAXSKEW, reason, 0, true, by);
		saved = rc == -1 ? errno : 0;
		if (rc == -1 && ledger_find(CTL_MAINT_ENTRY) == NULL) {
			ctl.quiet = false;
			ctl.channel = NULL;
			errno = saved == EIO ? EINVAL : saved;
			return -1;
		}
	}
	if (after == CTL_MAINT_HOLD)
		carp_maintenance(eng_node(), true, reason, now);
	if (before == CTL_MAINT_HOLD)
		carp_maintenance(eng_node(), false, NULL, now);
	if (before == CTL_MAINT_SOFT &&
	    ledger_del(CTL_MAINT_ENTRY, LEDGER_MAINTENANCE, by) == -1 &&
	    saved == 0)
		saved = errno;
	if (after == CTL_MAINT_SOFT)
		carp_handover(eng_node(), now);
	ctl.quiet = false;
	ctl.channel = NULL;
	log_info("audit: origin=%s action=maintenance reason=\"%s\" "
	    "before=%s after=%s%s mode=%s", origin,
	    ctl_quote(reason, q, sizeof(q)), before != CTL_MAINT_OFF ? "on" :
	    "off", on ? "on" : "off", ctl_by(by, b, sizeof(b)),
	    mode_names[after]);
	snprintf(ctl.st.maintenance_by, sizeof(ctl.st.maintenance_by), "%s",
	    after == CTL_MAINT_HOLD && by != NULL ? by : "");
	ctl.st.maintenance = after == CTL_MAINT_HOLD;
	state_copy_reason(ctl.st.maintenance_reason,
	    after == CTL_MAINT_HOLD ? reason : "");
	ctl.st.maintenance_since = after == CTL_MAINT_HOLD ?
	    now.wall_us / 1000000 : 0;
	dispatch_admin(on ? CTL_MAINTENANCE_ON : CTL_MAINTENANCE_OFF, origin,
	    reason, NULL, 0, now);
	if (ctl_save() == -1 || saved != 0) {
		if (saved != 0)
			errno = saved;
		return -1;
	}
	return 1;
}

/*
 * Set the node's administrative demotion, as before the ledger: the entry
 * "admin" (source api, persistent) takes the value; 0 removes it.  The
 * audit line is the one it always was.
 */
int
ctl_demotion(int value, const char *reason, const char *origin,
    const char *by)
{
	struct carp_time		 now = clock_now();
	const struct ledger_entry	*e;
	char				 q[CARP_REASON_LEN * 2];
	char				 b[CTL_BY_LEN * 2 + 8];
	int				 before, rc, saved;

	if (value < -STATE_DEMOTION_MAX || value > STATE_DEMOTION_MAX) {
		errno = EINVAL;
		return -1;
	}
	e = ledger_find(LEDGER_ADMIN_NAME);
	before = e != NULL ? e->weight : 0;
	if (before == value)
		return 0;
	ctl.quiet = true;
	ctl.channel = origin;
	errno = 0;
	rc = value == 0 ? ledger_del(LEDGER_ADMIN_NAME, LEDGER_API, by) :
	    ledger_set(LEDGER_ADMIN_NAME, LEDGER_API, value, reason, 0, true,
	    by);
	saved = errno;
	ctl.quiet = false;
	ctl.channel = NULL;
	e = ledger_find(LEDGER_ADMIN_NAME);
	if ((e != NULL ? e->weight : 0) != value) {
		/* Refused: the entry is another source's. */
		errno = EINVAL;
		return -1;
	}
	log_info("audit: origin=%s action=demotion reason=\"%s\" before=%d "
	    "after=%d%s", origin, ctl_quote(reason, q, sizeof(q)), before,
	    value, ctl_by(by, b, sizeof(b)));
	dispatch_admin(CTL_DEMOTION, origin, reason, NULL, value, now);
	if (rc == -1) {
		errno = saved;
		return -1;
	}
	return 1;
}

/*
 * The demotion ledger in the daemon.
 */

static int64_t
ctl_ledger_now(void)
{
	return clock_now().wall_us / 1000000;
}

/* The owned entries' sum is the engine's administrative demotion. */
static void
ctl_ledger_apply(int total, const char *reason)
{
	if (eng_node() != NULL)
		carp_demotion_set(eng_node(), total, reason, clock_now());
}

/* One line per change: an audit line, or what the engine or time did. */
static void
ctl_ledger_changed(enum ledger_change what, const struct ledger_entry *e,
    int before, const char *origin)
{
	char	 q[CARP_REASON_LEN * 2], b[CTL_BY_LEN * 2 + 8], x[32];

	/* The engine's and the configuration's are no administrator's. */
	if (e->automatic || (e->source == LEDGER_CONFIG && origin != NULL &&
	    strcmp(origin, "config") == 0))
		log_info("ledger: %s %s: weight %d (%s)", e->name,
		    ledger_change_names[what], what == LEDGER_REMOVED ? 0 :
		    e->weight, e->reason);
	else if (what == LEDGER_EXPIRED)
		log_info("ledger: %s expired: source %s, weight %d, "
		    "reason \"%s\", set by %s", e->name,
		    ledger_source_names[e->source], e->weight,
		    ctl_quote(e->reason, q, sizeof(q)), e->origin[0] != '\0' ?
		    e->origin : "?");
	else if (!ctl.quiet) {
		if (e->expires != 0)
			snprintf(x, sizeof(x), " expires=%lld",
			    (long long)e->expires);
		else
			x[0] = '\0';
		log_info("audit: origin=%s action=demotion-%s name=%s "
		    "source=%s reason=\"%s\" before=%d after=%d%s%s%s",
		    ctl.channel != NULL ? ctl.channel :
		    ledger_source_names[e->source],
		    what == LEDGER_REMOVED ? "del" : "set", e->name,
		    ledger_source_names[e->source],
		    ctl_quote(e->reason, q, sizeof(q)), before,
		    what == LEDGER_REMOVED ? 0 : e->weight, x,
		    e->persist && what != LEDGER_REMOVED ? " persist" : "",
		    ctl_by(origin, b, sizeof(b)));
	}
	dispatch_ledger(what, e, origin, clock_now());
	ctl_timer_arm();
}

static int
ctl_ledger_save(void)
{
	return ctl_save();
}

static void
ctl_ledger_hooks(void)
{
	struct ledger_hooks	 h;

	memset(&h, 0, sizeof(h));
	h.now = ctl_ledger_now;
	h.apply = ctl_ledger_apply;
	h.changed = ctl_ledger_changed;
	h.save = ctl_ledger_save;
	ledger_init(&h);
}

/*
 * The first time: the state file's entries (an old file's "demotion"
 * becomes the entry "admin") and the configured starting demotion as the
 * entry "config", unless a demotion was set by hand (as before the
 * ledger, it wins over the configured value).  On a reload: the entry
 * "config" follows a changed net.inet.carp.demotion.
 */
static void
ctl_ledger_restore(void)
{
	struct ledger_entry	 e, *list;
	struct carp_time	 now = clock_now();
	size_t			 i, n;
	bool			 hand;
	int			 v = eng_conf()->node.demotion;

	if (ctl.restored) {
		if (v == ctl.conf_demotion)
			return;
		ctl.conf_demotion = v;
		ctl.channel = "config";
		if (v == 0)
			ledger_del(LEDGER_CONFIG_NAME, LEDGER_CONFIG, "config");
		else if (ledger_set(LEDGER_CONFIG_NAME, LEDGER_CONFIG, v,
		    "configuration reloaded", 0, false, "config") == -1)
			log_warn("ledger: the configured demotion %d", v);
		ctl.channel = NULL;
		return;
	}
	ctl.restored = true;
	ctl.conf_demotion = v;
	list = xcalloc(LEDGER_MAX + 1, sizeof(*list));
	n = state_ledger_entries(&ctl.st, list, &hand);
	for (i = 0; i < n; i++) {
		errno = 0;
		if (ledger_restore(&list[i]) == 1) {
			if (strcmp(list[i].name, LEDGER_ADMIN_NAME) == 0)
				log_info("demotion %d restored from %s",
				    list[i].weight, ctl.path);
			else
				log_info("demotion entry %s (%s, weight %d) "
				    "restored from %s", list[i].name,
				    ledger_source_names[list[i].source],
				    list[i].weight, ctl.path);
		} else if (errno == EEXIST || errno == ENOSPC ||
		    errno == EINVAL)
			log_warnx("%s: demotion entry %s not restored: %s",
			    ctl.path, list[i].name, strerror(errno));
	}
	free(list);
	if (!hand && v != 0) {
		memset(&e, 0, sizeof(e));
		snprintf(e.name, sizeof(e.name), "%s", LEDGER_CONFIG_NAME);
		e.source = LEDGER_CONFIG;
		e.weight = v;
		snprintf(e.reason, sizeof(e.reason), "net.inet.carp.demotion");
		e.since = now.wall_us / 1000000;
		snprintf(e.origin, sizeof(e.origin), "config");
		(void)ledger_restore(&e);
	}
	/* The engine started from the configured value: the ledger rules. */
	carp_demotion_set(eng_node(), ledger_admin_total(), "restored", now);
	ctl_timer_arm();
}

int
ctl_ledger_set(const char *name, int weight, const char *reason,
    int64_t expires_in, bool persist, enum ledger_source src,
    const char *channel, const char *by)
{
	int64_t	 expires = 0, us = clock_now().wall_us;
	int	 rc;

	if (expires_in < 0 || expires_in > LEDGER_EXPIRY_MAX) {
		errno = EINVAL;
		return -1;
	}
	/* From the next whole second: never early. */
	if (expires_in > 0)
		expires = (us + 999999) / 1000000 + expires_in;
	ctl.channel = channel;
	rc = ledger_set(name, src, weight, reason, expires, persist, by);
	ctl.channel = NULL;
	return rc;
}

int
ctl_ledger_del(const char *name, enum ledger_source src,
    const char *channel, const char *by)
{
	int	 rc;

	ctl.channel = channel;
	rc = ledger_del(name, src, by);
	ctl.channel = NULL;
	return rc;
}

/* The engine's interface-down and send-error demotions, per interface. */
void
ctl_ledger_sync(void)
{
	struct carp_node	*n = eng_node();
	struct carp_vhid	*vh;
	struct ledger_entry	*a = NULL, *e;
	size_t			 na = 0, cap = 0, i;
	char			 name[LEDGER_NAME_LEN];
	int			 k, w;

	if (n == NULL || !ctl.restored)
		return;
	for (vh = carp_vhid_next(n, NULL); vh != NULL;
	    vh = carp_vhid_next(n, vh)) {
		for (k = 0; k < 2; k++) {
			w = carp_vhid_auto_demotion(vh, k == 0 ?
			    CARP_AUTO_IFDOWN : CARP_AUTO_SENDERR);
			if (w == 0)
				continue;
			snprintf(name, sizeof(name), "%s:%s", k == 0 ?
			    "link" : "send-error", carp_vhid_ifname(vh));
			for (i = 0; i < na; i++)
				if (strcmp(a[i].name, name) == 0)
					break;
			if (i == na) {
				if (na == cap) {
					cap = cap == 0 ? 4 : cap * 2;
					a = xreallocarray(a, cap, sizeof(*a));
				}
				e = &a[na++];
				memset(e, 0, sizeof(*e));
				memcpy(e->name, name, sizeof(e->name));
				e->source = k == 0 ? LEDGER_LINK :
				    LEDGER_SEND_ERROR;
				snprintf(e->reason, sizeof(e->reason), k == 0 ?
				    "interface %s down" :
				    "advertisements on %s fail",
				    carp_vhid_ifname(vh));
			}
			a[i].weight += w;
		}
	}
	ledger_auto_set(a, na);
	free(a);
}

/* Expiries: the timer runs at most a minute, so a clock step is seen. */
static void
ctl_timer_cb(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	(void)what;
	(void)arg;
	ledger_expire();
	ctl_timer_arm();
}

static void
ctl_timer_arm(void)
{
	struct timeval	 tv;
	int64_t		 next = ledger_next_expiry(), d;

	if (ctl.expiry_ev == NULL)
		return;
	if (next == 0) {
		evtimer_del(ctl.expiry_ev);
		return;
	}
	d = next - ctl_ledger_now();
	if (d < 0)
		d = 0;
	if (d > 60)
		d = 60;
	tv.tv_sec = (time_t)d;
	tv.tv_usec = 0;
	evtimer_add(ctl.expiry_ev, &tv);
}

void
ctl_timer_init(struct event_base *base)
{
	if (ctl.expiry_ev == NULL &&
	    (ctl.expiry_ev = evtimer_new(base, ctl_timer_cb, NULL)) == NULL)
		log_warnx("%s: evtimer_new: demotion entries will not expire",
		    __func__);
	ctl_timer_arm();
}
