/*
 * why.c: why a VHID is in its state (see why.h).
 */
#include <sys/types.h>
#include <sys/socket.h>

#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <jansson.h>

#include "agent/ledger.h"
#include "agent/track.h"
#include "exporters/why.h"

#define WHY_LINE	1024

static json_t	*why_time(int64_t);
static json_t	*why_addr(const struct carp_addr *);
static json_t	*why_str(const char *);
static double	 why_ago(const struct snap *, uint64_t);
static const struct carp_heard *why_heard(const struct carp_vhid_info *);
static json_t	*why_master(const struct snap *, const struct snap_vhid *);
static json_t	*why_self(const struct snap *, const struct snap_vhid *);
static json_t	*why_demotion(const struct snap *);
static json_t	*why_trackers(const struct snap *);
static json_t	*why_changes(const struct snap *, const struct snap_vhid *,
		    json_t *);
static void	 why_add(json_t *, const char *, ...)
		    __attribute__((__format__(printf, 2, 3)));
static const char *why_s(const json_t *, const char *);
static long long why_i(const json_t *, const char *);
static double	 why_f(const json_t *, const char *);
static const char *why_clock(const json_t *, char *, size_t);
static const char *why_who(const json_t *, char *, size_t);

/* A wall-clock time: ISO 8601 UTC and the epoch; null when none. */
static json_t *
why_time(int64_t us)
{
	struct tm	 tm;
	time_t		 t = (time_t)(us / 1000000);
	char		 buf[64];

	if (us <= 0 || gmtime_r(&t, &tm) == NULL)
		return json_null();
	snprintf(buf, sizeof(buf), "%04d-%02d-%02dT%02d:%02d:%02dZ",
	    tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
	    tm.tm_min, tm.tm_sec);
	return json_pack("{s:s, s:f}", "iso8601", buf, "epoch",
	    (double)us / 1e6);
}

static json_t *
why_addr(const struct carp_addr *a)
{
	char	 buf[INET6_ADDRSTRLEN];

	if (a->family != AF_INET && a->family != AF_INET6)
		return json_null();
	return json_string(carp_addr_ntop(a, buf, sizeof(buf)));
}

static json_t *
why_str(const char *s)
{
	return s != NULL && s[0] != '\0' ? json_string(s) : json_null();
}

/* Seconds from a monotonic time to the snapshot's. */
static double
why_ago(const struct snap *s, uint64_t mono_us)
{
	if (mono_us == 0 || mono_us > s->now_mono_us)
		return 0;
	return (double)(s->now_mono_us - mono_us) / 1e6;
}

/*
 * The master's advert as heard: the family the engine names the master
 * by, else the latest of the two.
 */
static const struct carp_heard *
why_heard(const struct carp_vhid_info *vi)
{
	const struct carp_heard	*h4 = &vi->heard[0], *h6 = &vi->heard[1];

	if (vi->master.family == AF_INET && h4->src.family != 0)
		return h4;
	if (vi->master.family == AF_INET6 && h6->src.family != 0)
		return h6;
	if (h4->src.family == 0)
		return h6->src.family != 0 ? h6 : NULL;
	if (h6->src.family == 0)
		return h4;
	return h6->at_us > h4->at_us ? h6 : h4;
}

/* The current master: this node, or as heard from its last advert. */
static json_t *
why_master(const struct snap *s, const struct snap_vhid *sv)
{
	const struct carp_vhid_info	*vi = &sv->info;
	const struct carp_heard		*h;
	struct carp_addr		 self;
	json_t				*m;

	if (vi->state == CARP_ST_MASTER) {
		self = snap_master(sv);
		return json_pack("{s:b, s:o}", "self", 1, "address",
		    why_addr(&self));
	}
	if (vi->state != CARP_ST_BACKUP || (h = why_heard(vi)) == NULL)
		return json_null();
	m = json_pack("{s:b, s:o, s:f}", "self", 0, "address",
	    why_addr(&h->src), "heard_ago_s", why_ago(s, h->at_us));
	if (vi->conf.proto == CARP_PROTO_VRRP3) {
		json_object_set_new(m, "priority", json_integer(h->prio));
		json_object_set_new(m, "interval_cs",
		    json_integer(h->interval));
		json_object_set_new(m, "bowout", json_boolean(h->prio == 0));
	} else {
		json_object_set_new(m, "advbase", json_integer(h->advbase));
		json_object_set_new(m, "advskew", json_integer(h->advskew));
		json_object_set_new(m, "demotion", json_integer(h->demote));
		json_object_set_new(m, "bowout", json_boolean(
		    h->advbase == CARP_BOWOUT_ADVBASE &&
		    h->advskew == CARP_BOWOUT_ADVSKEW));
	}
	return m;
}

/* What we advertise: the configured advskew or priority and the demotion. */
static json_t *
why_self(const struct snap *s, const struct snap_vhid *sv)
{
	const struct carp_vhid_info	*vi = &sv->info;

	if (vi->conf.proto == CARP_PROTO_VRRP3)
		return json_pack("{s:i, s:i, s:i, s:i}",
		    "priority", vi->conf.vrrp_prio,
		    "demotion", s->node.demotion,
		    "effective_priority", vi->eff_prio,
		    "interval_cs", vi->conf.vrrp_interval);
	return json_pack("{s:i, s:i, s:i, s:i}",
	    "advbase", vi->conf.advbase,
	    "advskew", vi->conf.advskew,
	    "demotion", s->node.demotion,
	    "effective_advskew", vi->eff_advskew);
}

/* The node's demotion and the ledger entries that make it up. */
static json_t *
why_demotion(const struct snap *s)
{
	const struct ledger_entry	*e;
	json_t				*a = json_array();
	size_t				 i;

	for (i = 0; i < s->nledger; i++) {
		e = &s->ledger[i];
		json_array_append_new(a, json_pack("{s:s, s:s, s:i, s:s, s:o,"
		    " s:o, s:o, s:b}",
		    "name", e->name,
		    "source", ledger_source_names[e->source],
		    "weight", e->weight,
		    "reason", e->reason,
		    "since", why_time(e->since * 1000000),
		    "expires", why_time(e->expires * 1000000),
		    "origin", why_str(e->origin),
		    "automatic", e->automatic));
	}
	return json_pack("{s:i, s:o}", "total", s->node.demotion, "entries",
	    a);
}

/* The trackers: up or down, their last result, their ledger entry. */
static json_t *
why_trackers(const struct snap *s)
{
	const struct track_info	*t;
	json_t			*a = json_array();
	size_t			 i;

	for (i = 0; i < s->ntracks; i++) {
		t = &s->tracks[i];
		json_array_append_new(a, json_pack("{s:s, s:s, s:b, s:s, s:i,"
		    " s:s, s:i, s:i, s:o}",
		    "name", t->name,
		    "kind", track_kind_names[t->kind],
		    "up", t->up,
		    "entry", t->entry,
		    "weight", t->weight,
		    "last_result", track_result_names[t->result],
		    "passes", t->passes,
		    "failures", t->failures,
		    "since", why_time(t->since_us)));
	}
	return a;
}

/* What would change the state, each as {"if": KIND, ...}. */
static json_t *
why_changes(const struct snap *s, const struct snap_vhid *sv, json_t *doc)
{
	const struct carp_vhid_info	*vi = &sv->info;
	const json_t			*m = json_object_get(doc, "master");
	json_t				*c = json_array();
	bool				 vrrp = vi->conf.proto ==
					    CARP_PROTO_VRRP3;
	double				 md = (double)vi->md_us / 1e6;
	double				 left = 0;
	long long			 below;

	if (vi->timer_at_us > s->now_mono_us)
		left = (double)(vi->timer_at_us - s->now_mono_us) / 1e6;
	switch (vi->state) {
	case CARP_ST_INIT:
		if (!s->node.conf.allow)
			json_array_append_new(c, json_pack("{s:s}", "if",
			    "carp_allowed"));
		if (!vi->link_up)
			json_array_append_new(c, json_pack("{s:s, s:s}", "if",
			    "link_up", "interface", vi->conf.ifname));
		break;
	case CARP_ST_MASTER:
		if (vrrp)
			json_array_append_new(c, json_pack("{s:s, s:i}", "if",
			    "higher_priority", "priority", vi->eff_prio));
		else
			json_array_append_new(c, json_pack("{s:s, s:i, s:i}",
			    "if", "more_frequent", "advbase", vi->conf.advbase,
			    "advskew", vi->eff_advskew));
		break;
	case CARP_ST_BACKUP:
		if (vi->admin_demoted)
			json_array_append_new(c, json_pack("{s:s, s:s}", "if",
			    "hold_ends", "hold", "demoted"));
		if (s->node.maintenance && s->maint_hold)
			json_array_append_new(c, json_pack("{s:s, s:s}", "if",
			    "hold_ends", "hold", "maintenance"));
		if (vi->admin_demoted || (s->node.maintenance &&
		    s->maint_hold))
			break;
		if (json_is_object(m) &&
		    !json_is_true(json_object_get(m, "bowout")))
			json_array_append_new(c, json_pack("{s:s, s:O, s:f,"
			    " s:f}", "if", "master_silent", "address",
			    json_object_get(m, "address"), "after_s", md,
			    "deadline_in_s", left));
		else
			json_array_append_new(c, json_pack("{s:s, s:f}", "if",
			    "nobody_advertises", "deadline_in_s", left));
		if (!json_is_object(m))
			break;
		if (!s->node.conf.preempt) {
			json_array_append_new(c, json_pack("{s:s, s:O}", "if",
			    "no_preempt", "address",
			    json_object_get(m, "address")));
			break;
		}
		if (vrrp) {
			json_array_append_new(c, json_pack("{s:s, s:I, s:i}",
			    "if", "preempt_priority", "above",
			    (json_int_t)why_i(m, "priority"), "ours",
			    vi->eff_prio));
			break;
		}
		/*
		 * carp_input: we preempt when its interval is longer than
		 * ours, advbase x 256 + advskew compared.
		 */
		below = (why_i(m, "advbase") - vi->conf.advbase) * 256 +
		    why_i(m, "advskew");
		json_array_append_new(c, json_pack("{s:s, s:I, s:i, s:i}", "if",
		    "preempt_advskew", "below", (json_int_t)below,
		    "advskew", vi->conf.advskew, "demotion", s->node.demotion));
		break;
	default:
		break;
	}
	return c;
}

json_t *
why_json(const struct snap *s, const struct snap_vhid *sv)
{
	const struct carp_vhid_info	*vi = &sv->info;
	json_t				*doc, *lt = json_null(), *mt;

	if (vi->last_change_mono_us != 0)
		lt = json_pack("{s:s, s:s, s:s, s:o, s:f}",
		    "from", carp_state_names[vi->prev_state],
		    "to", carp_state_names[vi->state],
		    "reason", carp_reason_names[vi->last_reason],
		    "time", why_time(vi->last_change_wall_us),
		    "ago_s", why_ago(s, vi->last_change_mono_us));
	mt = json_pack("{s:s}", "mode", !s->node.maintenance ? "off" :
	    s->maint_hold ? "hold" : "soft");
	if (s->node.maintenance) {
		json_object_set_new(mt, "reason",
		    json_string(s->node.maintenance_reason));
		json_object_set_new(mt, "by", why_str(s->maint_by));
		json_object_set_new(mt, "since",
		    why_time(s->maint_since * 1000000));
	}
	doc = json_pack("{s:s, s:i, s:s, s:s, s:b, s:b, s:b, s:f, s:o, s:o,"
	    " s:o, s:o, s:o}",
	    "interface", vi->conf.ifname,
	    "vhid", vi->conf.vhid,
	    "protocol", vi->conf.proto == CARP_PROTO_VRRP3 ? "vrrp3" : "carp",
	    "state", carp_state_names[vi->state],
	    "link_up", vi->link_up,
	    "preempt", s->node.conf.preempt,
	    "allow", s->node.conf.allow,
	    "master_down_s", (double)vi->md_us / 1e6,
	    "last_transition", lt,
	    "master", why_master(s, sv),
	    "self", why_self(s, sv),
	    "demotion", why_demotion(s),
	    "maintenance", mt);
	json_object_set_new(doc, "trackers", why_trackers(s));
	json_object_set_new(doc, "demoted", vi->admin_demoted ?
	    json_pack("{s:s, s:o, s:o}", "reason", vi->admin_reason, "by",
	    why_str(sv->admin_by), "since",
	    why_time(sv->admin_since * 1000000)) : json_null());
	json_object_set_new(doc, "no_master", vi->no_master ?
	    json_pack("{s:f}", "for_s", why_ago(s, vi->no_master_since_us) +
	    (double)vi->md_us / 1e6) : json_null());
	/* The last advert that failed the HMAC, and what explains it. */
	json_object_set_new(doc, "auth_failure", vi->diag.kind !=
	    CARP_DIAG_NONE && vi->diag.kind < CARP_DIAG_MAX ?
	    json_pack("{s:s, s:s, s:o, s:o, s:f}",
	    "kind", carp_diag_names[vi->diag.kind],
	    "text", vi->diag.text,
	    "from", why_addr(&vi->diag.src),
	    "time", why_time(vi->diag.at_wall_us),
	    "ago_s", why_ago(s, vi->diag.at_mono_us)) : json_null());
	json_object_set_new(doc, "changes", why_changes(s, sv, doc));
	json_object_set_new(doc, "text", why_text(doc));
	return doc;
}

/*
 * The text, from the JSON alone.
 */

static void
why_add(json_t *a, const char *fmt, ...)
{
	char	 buf[WHY_LINE];
	va_list	 ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	json_array_append_new(a, json_string(buf));
}

static const char *
why_s(const json_t *o, const char *key)
{
	const char	*v = json_string_value(json_object_get(o, key));

	return v != NULL ? v : "?";
}

static long long
why_i(const json_t *o, const char *key)
{
	return (long long)json_integer_value(json_object_get(o, key));
}

static double
why_f(const json_t *o, const char *key)
{
	return json_number_value(json_object_get(o, key));
}

/* "10:02:13 UTC" from a why_time() object, or "an unknown time". */
static const char *
why_clock(const json_t *t, char *buf, size_t len)
{
	const char	*iso = json_string_value(json_object_get(t, "iso8601"));

	if (iso == NULL || strlen(iso) < 19)
		return "an unknown time";
	snprintf(buf, len, "%.10s %.8s UTC", iso, iso + 11);
	return buf;
}

/* "uid=1000 pid=42, 'rack move', since ..." for a hold or an entry. */
static const char *
why_who(const json_t *h, char *buf, size_t len)
{
	char		 t[64];
	const char	*by = json_string_value(json_object_get(h, "by"));

	if (by == NULL)
		by = json_string_value(json_object_get(h, "origin"));
	snprintf(buf, len, "%s%s'%s', since %s", by != NULL ? by : "",
	    by != NULL ? ", " : "", why_s(h, "reason"),
	    why_clock(json_object_get(h, "since"), t, sizeof(t)));
	return buf;
}

json_t *
why_text(const json_t *doc)
{
	const json_t	*lt = json_object_get(doc, "last_transition");
	const json_t	*m = json_object_get(doc, "master");
	const json_t	*self = json_object_get(doc, "self");
	const json_t	*dem = json_object_get(doc, "demotion");
	const json_t	*mt = json_object_get(doc, "maintenance");
	const json_t	*dm = json_object_get(doc, "demoted");
	const json_t	*nm = json_object_get(doc, "no_master");
	const json_t	*af = json_object_get(doc, "auth_failure");
	const json_t	*e, *c;
	json_t		*a = json_array();
	char		 t[64], w[WHY_LINE], ents[WHY_LINE];
	const char	*ma, *kind;
	bool		 vrrp = strcmp(why_s(doc, "protocol"), "vrrp3") == 0;
	size_t		 i, o;

	/* The state and the last transition. */
	if (json_is_object(lt))
		why_add(a, "VHID %lld on %s (%s) is %s since %s (%.1f s ago): "
		    "%s, from %s.", why_i(doc, "vhid"),
		    why_s(doc, "interface"), vrrp ? "VRRPv3" : "CARP",
		    why_s(doc, "state"), why_clock(json_object_get(lt, "time"),
		    t, sizeof(t)), why_f(lt, "ago_s"), why_s(lt, "reason"),
		    why_s(lt, "from"));
	else
		why_add(a, "VHID %lld on %s (%s) is %s: no transition yet.",
		    why_i(doc, "vhid"), why_s(doc, "interface"),
		    vrrp ? "VRRPv3" : "CARP", why_s(doc, "state"));

	/* The master. */
	ma = json_string_value(json_object_get(m, "address"));
	if (json_is_true(json_object_get(m, "self")))
		why_add(a, "This node is the master%s%s%s.", ma != NULL ?
		    " (advertising from " : "", ma != NULL ? ma : "",
		    ma != NULL ? ")" : "");
	else if (json_is_object(m) && vrrp)
		why_add(a, "%s %s: priority %lld, interval %lld cs, "
		    "last advert %.2f s ago%s.", json_is_object(nm) ?
		    "The last master heard was" : "The master is",
		    ma != NULL ? ma : "?",
		    why_i(m, "priority"), why_i(m, "interval_cs"),
		    why_f(m, "heard_ago_s"),
		    json_is_true(json_object_get(m, "bowout")) ?
		    " (priority 0: it resigned)" : "");
	else if (json_is_object(m))
		why_add(a, "%s %s: advbase %lld, advskew %lld, "
		    "demotion %lld, last advert %.2f s ago%s.",
		    json_is_object(nm) ? "The last master heard was" :
		    "The master is", ma != NULL ? ma : "?",
		    why_i(m, "advbase"),
		    why_i(m, "advskew"), why_i(m, "demotion"),
		    why_f(m, "heard_ago_s"),
		    json_is_true(json_object_get(m, "bowout")) ?
		    " (a bow-out: it is leaving)" : "");
	else if (strcmp(why_s(doc, "state"), "BACKUP") == 0)
		why_add(a, "No master heard.");

	/* Our side and the demotion. */
	if (vrrp)
		why_add(a, "Our priority: %lld configured, demotion %lld: "
		    "%lld advertised.", why_i(self, "priority"),
		    why_i(self, "demotion"), why_i(self, "effective_priority"));
	else
		why_add(a, "Our advskew: %lld configured + demotion %lld = "
		    "%lld advertised (0..240).", why_i(self, "advskew"),
		    why_i(self, "demotion"), why_i(self, "effective_advskew"));
	ents[0] = '\0';
	o = 0;
	json_array_foreach(json_object_get(dem, "entries"), i, e) {
		snprintf(ents + o, sizeof(ents) - o, "%s%s %lld (%s: '%s'%s%s)",
		    i > 0 ? "; " : "", why_s(e, "name"), why_i(e, "weight"),
		    why_s(e, "source"), why_s(e, "reason"),
		    json_is_string(json_object_get(e, "origin")) ? ", by " :
		    "", json_is_string(json_object_get(e, "origin")) ?
		    why_s(e, "origin") : "");
		o = strlen(ents);
	}
	if (o > 0)
		why_add(a, "Demotion %lld, the sum of: %s.", why_i(dem, "total"),
		    ents);
	else
		why_add(a, "Demotion %lld: no ledger entry.",
		    why_i(dem, "total"));

	/* The trackers. */
	ents[0] = '\0';
	o = 0;
	json_array_foreach(json_object_get(doc, "trackers"), i, e) {
		if (json_is_true(json_object_get(e, "up")))
			snprintf(ents + o, sizeof(ents) - o, "%s%s (%s) up, "
			    "last %s", i > 0 ? "; " : "", why_s(e, "name"),
			    why_s(e, "kind"), why_s(e, "last_result"));
		else
			snprintf(ents + o, sizeof(ents) - o, "%s%s (%s) DOWN, "
			    "last %s, %lld failures in a row: entry %s adds "
			    "%lld", i > 0 ? "; " : "", why_s(e, "name"),
			    why_s(e, "kind"), why_s(e, "last_result"),
			    why_i(e, "failures"), why_s(e, "entry"),
			    why_i(e, "weight"));
		o = strlen(ents);
	}
	if (o > 0)
		why_add(a, "Trackers: %s.", ents);

	/* The holds and maintenance. */
	if (strcmp(why_s(mt, "mode"), "hold") == 0)
		why_add(a, "Held by maintenance (%s).", why_who(mt, w,
		    sizeof(w)));
	else if (strcmp(why_s(mt, "mode"), "soft") == 0)
		why_add(a, "In soft maintenance (%s): demoted, but still the "
		    "last resort when no other node advertises.", why_who(mt,
		    w, sizeof(w)));
	if (json_is_object(dm))
		why_add(a, "Held by an administrator's demote (%s).",
		    why_who(dm, w, sizeof(w)));
	if (json_is_object(nm))
		why_add(a, "No master heard for %.2f s and held: nobody serves "
		    "the addresses (carpdNoMaster).", why_f(nm, "for_s"));

	/* Adverts for this VHID that fail the HMAC. */
	if (json_is_object(af))
		why_add(a, "An advert from %s failed authentication %.0f s "
		    "ago: %s.", why_s(af, "from"), why_f(af, "ago_s"),
		    why_s(af, "text"));

	/* What would change it. */
	json_array_foreach(json_object_get(doc, "changes"), i, c) {
		kind = why_s(c, "if");
		if (strcmp(kind, "carp_allowed") == 0)
			why_add(a, "Would start if CARP were allowed "
			    "(net.inet.carp.allow).");
		else if (strcmp(kind, "link_up") == 0)
			why_add(a, "Waits in INIT until the link of %s comes "
			    "up.", why_s(c, "interface"));
		else if (strcmp(kind, "more_frequent") == 0)
			why_add(a, "Steps down if another node advertises as "
			    "often or more: advbase below %lld, or advbase "
			    "%lld with advskew up to %lld.", why_i(c,
			    "advbase"), why_i(c, "advbase"),
			    why_i(c, "advskew"));
		else if (strcmp(kind, "higher_priority") == 0)
			why_add(a, "Steps down if another node advertises a "
			    "priority above %lld (or %lld from a higher "
			    "address).", why_i(c, "priority"),
			    why_i(c, "priority"));
		else if (strcmp(kind, "hold_ends") == 0 &&
		    strcmp(why_s(c, "hold"), "maintenance") == 0)
			why_add(a, "Stays BACKUP even if the master goes "
			    "silent, until maintenance ends (carpctl "
			    "maintenance off).");
		else if (strcmp(kind, "hold_ends") == 0)
			why_add(a, "Stays BACKUP even if the master goes "
			    "silent, until promoted (carpctl promote %lld).",
			    why_i(doc, "vhid"));
		else if (strcmp(kind, "master_silent") == 0)
			why_add(a, "Takes over if %s is silent for %.2f s "
			    "(the deadline now: in %.2f s).",
			    why_s(c, "address"), why_f(c, "after_s"),
			    why_f(c, "deadline_in_s"));
		else if (strcmp(kind, "nobody_advertises") == 0)
			why_add(a, "Takes over in %.2f s unless a master "
			    "advertises.", why_f(c, "deadline_in_s"));
		else if (strcmp(kind, "no_preempt") == 0)
			why_add(a, "Preempt is off: stays BACKUP while %s "
			    "advertises, whatever the skews.",
			    why_s(c, "address"));
		else if (strcmp(kind, "preempt_priority") == 0)
			why_add(a, "Preempt is on: would take over if our "
			    "priority (now %lld) rose above %lld.",
			    why_i(c, "ours"), why_i(c, "above"));
		else if (strcmp(kind, "preempt_advskew") == 0 &&
		    why_i(c, "below") <= 0)
			why_add(a, "Preempt is on, but the master's advbase "
			    "is shorter than ours: no advskew takes over.");
		else if (strcmp(kind, "preempt_advskew") == 0)
			why_add(a, "Preempt is on: would take over if our "
			    "advskew + demotion (now %lld + %lld) drops below "
			    "%lld.", why_i(c, "advskew"),
			    why_i(c, "demotion"), why_i(c, "below"));
	}
	return a;
}
