/*
 * status.c: the JSON status document.
 */
#include <sys/types.h>
#include <sys/socket.h>

#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <jansson.h>

#include "exporters/status.h"

static json_t	*status_time(int64_t);
static json_t	*status_addr(const struct carp_addr *, bool);
static json_t	*status_by(const char *);
static json_t	*status_tracks(const struct snap *);
static json_t	*status_ledger(const struct snap *);
static json_t	*status_diag(const struct carp_diag *);
static json_t	*status_vrrp(const struct carp_vhid_info *);

/* A wall-clock time: ISO 8601 UTC with milliseconds, and the epoch. */
static json_t *
status_time(int64_t us)
{
	struct tm	 tm;
	time_t		 t = (time_t)(us / 1000000);
	char		 buf[64];

	if (us <= 0 || gmtime_r(&t, &tm) == NULL)
		return json_null();
	snprintf(buf, sizeof(buf), "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ",
	    tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
	    tm.tm_min, tm.tm_sec, (int)(us % 1000000 / 1000));
	return json_pack("{s:s, s:f}", "iso8601", buf, "epoch",
	    (double)us / 1e6);
}

/* "192.0.2.1" or "192.0.2.1/24"; null when none. */
static json_t *
status_addr(const struct carp_addr *a, bool plen)
{
	char	 buf[INET6_ADDRSTRLEN], out[INET6_ADDRSTRLEN + 8];

	if (a->family != AF_INET && a->family != AF_INET6)
		return json_null();
	carp_addr_ntop(a, buf, sizeof(buf));
	if (!plen)
		return json_string(buf);
	snprintf(out, sizeof(out), "%s/%d", buf, a->prefixlen);
	return json_string(out);
}

/* Who set a hold, as the audit line named them; null when unknown. */
static json_t *
status_by(const char *by)
{
	return by != NULL && by[0] != '\0' ? json_string(by) : json_null();
}

/*
 * The last HMAC failure's diagnosis: what it found, in words and as a
 * kind, from whom, the address the peer lacks, when; null if none yet.
 */
static json_t *
status_diag(const struct carp_diag *d)
{
	if (d->kind == CARP_DIAG_NONE || d->kind >= CARP_DIAG_MAX)
		return json_null();
	return json_pack("{s:s, s:s, s:o, s:o, s:I, s:o}",
	    "text", d->text,
	    "kind", carp_diag_names[d->kind],
	    "from", status_addr(&d->src, false),
	    "lacks", d->kind != CARP_DIAG_UNKNOWN ?
	    status_addr(&d->lacks, false) : json_null(),
	    "lacks_count", (json_int_t)d->nlacks,
	    "time", status_time(d->at_wall_us));
}

json_t *
status_vhid_json(const struct snap_vhid *sv)
{
	const struct carp_vhid_info *vi = &sv->info;
	struct carp_addr	 m = snap_master(sv);
	json_t			*o, *addrs, *trans, *drops, *peers;
	size_t			 i;
	int			 k;

	addrs = json_array();
	for (i = 0; i < vi->conf.naddrs; i++)
		json_array_append_new(addrs, status_addr(&vi->conf.addrs[i],
		    true));
	trans = json_object();
	for (k = 0; k < CARP_ST_MAX; k++)
		json_object_set_new(trans, carp_state_lnames[k],
		    json_integer((json_int_t)vi->transitions[k]));
	drops = json_object();
	for (k = CARP_DROP_DISABLED + 1; k < CARP_DROP_MAX; k++)
		json_object_set_new(drops, carp_drop_names[k],
		    json_integer((json_int_t)vi->drops[k]));
	peers = json_pack("{s:o, s:o}",
	    "inet", status_addr(&vi->conf.peer4, false),
	    "inet6", status_addr(&vi->conf.peer6, false));
	o = json_pack("{s:s, s:i, s:s, s:i, s:i, s:i, s:b, s:o, s:o, s:o,"
	    " s:b, s:b, s:o}",
	    "interface", vi->conf.ifname,
	    "vhid", vi->conf.vhid,
	    "state", carp_state_names[vi->state],
	    "advbase", vi->conf.advbase,
	    "advskew", vi->conf.advskew,
	    "effective_advskew", vi->eff_advskew,
	    "authenticated", vi->conf.keylen > 0,
	    "addresses", addrs,
	    "peers", peers,
	    "master", status_addr(&m, false),
	    "master_is_self", vi->state == CARP_ST_MASTER,
	    "link_up", vi->link_up,
	    "admin", json_pack("{s:b, s:s}", "demoted", vi->admin_demoted,
	    "reason", vi->admin_demoted ? vi->admin_reason : ""));
	/* When and by whom the hold was set: the control path's record. */
	json_object_set_new(json_object_get(o, "admin"), "since",
	    status_time(vi->admin_demoted ? sv->admin_since * 1000000 : 0));
	json_object_set_new(json_object_get(o, "admin"), "by",
	    status_by(vi->admin_demoted ? sv->admin_by : NULL));
	/* A held BACKUP that hears no master (decision 21). */
	json_object_set_new(o, "no_master", json_boolean(vi->no_master));
	json_object_set_new(o, "last_transition", json_pack("{s:o, s:s}",
	    "time", status_time(vi->last_change_mono_us != 0 ?
	    vi->last_change_wall_us : 0),
	    "reason", carp_reason_names[vi->last_reason]));
	json_object_set_new(o, "auth_diagnosis", status_diag(&vi->diag));
	json_object_set_new(o, "counters", json_pack("{s:I, s:I, s:I, s:o,"
	    " s:o}",
	    "advertisements_sent", (json_int_t)vi->adverts_sent,
	    "advertisements_received", (json_int_t)vi->adverts_received,
	    "send_errors", (json_int_t)vi->send_errors,
	    "transitions", trans,
	    "dropped", drops));
	json_object_set_new(o, "protocol",
	    json_string(snap_proto_name(vi)));
	json_object_set_new(o, "vrrp", status_vrrp(vi));
	return o;
}

/*
 * A VRRPv3 VHID's figures (null for a CARP one): the priorities, the
 * intervals in centiseconds as vrrpinterval gives them, accept mode,
 * the last take-over's reason in RFC 6527's words, and its counters.
 */
static json_t *
status_vrrp(const struct carp_vhid_info *vi)
{
	static const char *const reasons[] = {
		"not_master", "priority", "preempted", "master_no_response"
	};

	if (vi->conf.proto != CARP_PROTO_VRRP3)
		return json_null();
	return json_pack("{s:i, s:i, s:i, s:i, s:b, s:s, s:{s:I, s:I, s:I,"
	    " s:I, s:I}}",
	    "priority", vi->conf.vrrp_prio,
	    "effective_priority", vi->eff_prio,
	    "interval", vi->conf.vrrp_interval,
	    "master_interval", vi->master_interval,
	    "accept", !vi->conf.vrrp_noaccept,
	    "new_master_reason",
	    reasons[snap_vrrp_master_reason(vi->master_reason)],
	    "counters",
	    "priority_zero_received", (json_int_t)vi->vrrp_rx_prio0,
	    "priority_zero_sent", (json_int_t)vi->vrrp_tx_prio0,
	    "interval_errors", (json_int_t)vi->vrrp_interval_errors,
	    "invalid_type_received", (json_int_t)vi->vrrp_type_errors,
	    "address_list_errors", (json_int_t)vi->vrrp_addr_errors);
}

json_t *
status_node_json(const struct snap *s)
{
	const struct carp_stats	*st = &s->node.stats;
	json_t			*drops, *n;
	int			 k;

	drops = json_object();
	for (k = CARP_DROP_DISABLED + 1; k < CARP_DROP_MAX; k++)
		json_object_set_new(drops, carp_drop_names[k],
		    json_integer((json_int_t)s->node.drops[k]));
	n = json_pack("{s:b, s:b, s:i, s:i, s:i, s:i, s:o, s:b, s:o,"
	    " s:o}",
	    "allow", s->node.conf.allow,
	    "preempt", s->node.conf.preempt,
	    "demotion", s->node.demotion,
	    "admin_demotion", s->node.admin_demotion,
	    "ifdown_demotion_factor", s->node.conf.ifdown_factor,
	    "senderr_demotion_factor", s->node.conf.senderr_factor,
	    "maintenance", json_pack("{s:b, s:s}", "enabled",
	    s->node.maintenance, "reason", s->node.maintenance ?
	    s->node.maintenance_reason : ""),
	    "agentx_connected", s->agentx_connected != 0,
	    "started", status_time(s->start_wall_us),
	    "counters", json_pack("{s:I, s:I, s:I, s:I, s:I, s:I, s:o}",
	    "packets_received_inet", (json_int_t)st->ipackets,
	    "packets_received_inet6", (json_int_t)st->ipackets6,
	    "packets_sent_inet", (json_int_t)st->opackets,
	    "packets_sent_inet6", (json_int_t)st->opackets6,
	    "send_errors", (json_int_t)st->onomem,
	    "master_transitions", (json_int_t)st->preempt,
	    "dropped", drops));
	drops = json_object();
	for (k = CARP_DROP_DISABLED + 1; k < CARP_DROP_MAX; k++)
		json_object_set_new(drops, carp_drop_names[k],
		    json_integer((json_int_t)s->node.vrrp_drops[k]));
	json_object_set_new(json_object_get(n, "counters"), "vrrp_dropped",
	    drops);
	/* When and by whom maintenance was set: the control path's. */
	json_object_set_new(json_object_get(n, "maintenance"), "since",
	    status_time(s->node.maintenance ? s->maint_since * 1000000 : 0));
	json_object_set_new(json_object_get(n, "maintenance"), "by",
	    status_by(s->node.maintenance ? s->maint_by : NULL));
	/* "soft" (the ledger's entry, the last resort still) or "hold". */
	json_object_set_new(json_object_get(n, "maintenance"), "mode",
	    json_string(!s->node.maintenance ? "off" : s->maint_hold ?
	    "hold" : "soft"));
	json_object_set_new(n, "demotions", status_ledger(s));
	return n;
}

/*
 * The demotion ledger: its total and its entries, by name; since and
 * expires as the other times (expires null: never).
 */
static json_t *
status_ledger(const struct snap *s)
{
	const struct ledger_entry	*e;
	json_t				*a;
	size_t				 i;

	a = json_array();
	for (i = 0; i < s->nledger; i++) {
		e = &s->ledger[i];
		json_array_append_new(a, json_pack("{s:s, s:s, s:i, s:s, s:o,"
		    " s:o, s:o, s:b, s:b}",
		    "name", e->name,
		    "source", (unsigned int)e->source < LEDGER_SOURCE_MAX ?
		    ledger_source_names[e->source] : "?",
		    "weight", e->weight,
		    "reason", e->reason,
		    "since", status_time(e->since * 1000000),
		    "expires", status_time(e->expires * 1000000),
		    "origin", status_by(e->origin),
		    "persist", e->persist,
		    "automatic", e->automatic));
	}
	return json_pack("{s:i, s:o}", "total", s->ledger_total,
	    "entries", a);
}

json_t *
status_json(const struct snap *s)
{
	json_t	*vhids;
	size_t	 i;

	vhids = json_array();
	for (i = 0; i < s->nvhids; i++)
		json_array_append_new(vhids, status_vhid_json(&s->vhids[i]));
	return json_pack("{s:s, s:o, s:o, s:o, s:o}",
	    "version", s->version != NULL ? s->version : "unknown",
	    "time", status_time(s->now_wall_us),
	    "node", status_node_json(s),
	    "vhids", vhids,
	    "trackers", status_tracks(s));
}

/* The trackers (agent/track.h), in configuration order. */
static json_t *
status_tracks(const struct snap *s)
{
	const struct track_info	*ti;
	json_t			*a, *o;
	size_t			 i;

	a = json_array();
	for (i = 0; i < s->ntracks; i++) {
		ti = &s->tracks[i];
		o = json_pack("{s:s, s:s, s:s, s:b, s:b, s:i, s:i, s:s, s:o,"
		    " s:o, s:f, s:o, s:i, s:i}",
		    "name", ti->name,
		    "kind", track_kind_names[ti->kind],
		    "entry", ti->entry,
		    "up", ti->up,
		    "running", ti->running,
		    "weight", ti->weight,
		    "demotion", ti->up ? 0 : ti->weight,
		    "last_result", track_result_names[ti->result],
		    "last_exit_status", ti->result == TRACK_R_PASS ||
		    ti->result == TRACK_R_FAIL ? json_integer(ti->code) :
		    json_null(),
		    "last_run", status_time(ti->last_run_us),
		    "last_duration_seconds", (double)ti->duration_us / 1e6,
		    "since", status_time(ti->since_us),
		    "consecutive_passes", ti->passes,
		    "consecutive_failures", ti->failures);
		if (ti->result == TRACK_R_SIGNAL ||
		    ti->result == TRACK_R_TIMEOUT)
			json_object_set_new(o, "last_signal",
			    json_integer(ti->code));
		if (ti->result == TRACK_R_ERROR)
			json_object_set_new(o, "last_error",
			    json_string(strerror(ti->code)));
		if (ti->kind == TRACK_SCRIPT)
			json_object_set_new(o, "parameters", json_pack(
			    "{s:i, s:i, s:i, s:i}", "interval", ti->interval,
			    "timeout", ti->timeout, "rise", ti->rise,
			    "fall", ti->fall));
		if (ti->kind == TRACK_STARTUP)
			json_object_set_new(o, "expires",
			    status_time(ti->expires_us));
		json_object_set_new(o, "counters", json_pack(
		    "{s:I, s:I, s:I, s:I}",
		    "results", (json_int_t)ti->runs,
		    "failures", (json_int_t)ti->nfailed,
		    "timeouts", (json_int_t)ti->ntimeouts,
		    "transitions", (json_int_t)ti->transitions));
		json_array_append_new(a, o);
	}
	return a;
}
