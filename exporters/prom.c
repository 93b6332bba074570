/*
 * prom.c: /metrics in the Prometheus text format 0.0.4.
 *
 * Every family has one HELP and one TYPE line followed by all of its
 * samples, one per VHID (labels interface and vhid), and every series is
 * present from the start, zero included, so that rate() and absent() work
 * from the first scrape.  Label values are escaped (\\, \" and \n).
 *
 * Info families (value 1) carry what is not a number as a label:
 * carp_vhid_info (protocol, addresses), carp_vhid_master_info (the master
 * heard; no sample while it is not known),
 * carp_vhid_last_transition_info (one of 15 fixed reasons), and who set
 * a hold, carp_vhid_admin_info and carp_maintenance_info (by: the audit
 * line's words; a sample only while the hold is in effect).  Their
 * labels change with the configuration, a state change or a hold only,
 * so each VHID has at most one series of each at a time.
 */
#include <sys/types.h>
#include <sys/socket.h>
#include <arpa/inet.h>

#include <inttypes.h>
#include <stddef.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "agent/xmalloc.h"
#include "exporters/prom.h"

/* Where a per-VHID family takes its value. */
enum prom_field {
	PROM_F_STATE,
	PROM_F_ADVBASE,
	PROM_F_ADVSKEW,
	PROM_F_EFF_ADVSKEW,
	PROM_F_ADMIN_DEMOTED,
	PROM_F_ADMIN_SINCE,
	PROM_F_LAST_CHANGE,
	PROM_F_SENT,
	PROM_F_RECEIVED,
	PROM_F_SEND_ERRORS,
	PROM_F_LINK_UP,
	PROM_F_NO_MASTER,
};

struct prom_family {
	const char	*name;
	const char	*type;
	const char	*help;
	enum prom_field	 field;
};

static const struct prom_family prom_vhid_families[] = {
	{ "carp_vhid_state", "gauge",
	    "State of the VHID: 0 init, 1 backup, 2 master.", PROM_F_STATE },
	{ "carp_vhid_advbase_seconds", "gauge",
	    "Configured advertisement base interval.", PROM_F_ADVBASE },
	{ "carp_vhid_advskew", "gauge",
	    "Configured advertisement skew, in 1/256 s.", PROM_F_ADVSKEW },
	{ "carp_vhid_effective_advskew", "gauge",
	    "Advertised skew: advskew plus the node's demotion, clamped to "
	    "0..240.", PROM_F_EFF_ADVSKEW },
	{ "carp_vhid_admin_demoted", "gauge",
	    "1 while an administrator holds the VHID in BACKUP.",
	    PROM_F_ADMIN_DEMOTED },
	{ "carp_vhid_admin_since_timestamp_seconds", "gauge",
	    "Wall-clock time the administrator's hold on the VHID was set, "
	    "0 while there is none (or its time was not recorded).",
	    PROM_F_ADMIN_SINCE },
	{ "carp_vhid_last_transition_timestamp_seconds", "gauge",
	    "Wall-clock time of the last state change, 0 if none.",
	    PROM_F_LAST_CHANGE },
	{ "carp_vhid_advertisements_sent_total", "counter",
	    "Advertisements sent.", PROM_F_SENT },
	{ "carp_vhid_advertisements_received_total", "counter",
	    "Valid advertisements received.", PROM_F_RECEIVED },
	{ "carp_vhid_send_errors_total", "counter",
	    "Advertisements that could not be sent.", PROM_F_SEND_ERRORS },
	{ "carp_vhid_link_up", "gauge",
	    "1 while the VHID's interface is running.", PROM_F_LINK_UP },
	{ "carp_vhid_no_master", "gauge",
	    "1 while the VHID is held in BACKUP and has heard no master for "
	    "its master-down interval: nobody serves its addresses.",
	    PROM_F_NO_MASTER },
};

/*
 * enum carp_reason as label values of carp_vhid_last_transition_info:
 * fixed words, one series per VHID at a time.
 */
static const char *const prom_reason_names[CARP_RS_MAX] = {
	"none",
	"initialization_complete",
	"more_frequent_advertisement",
	"preempting_slower_master",
	"master_will_time_out",
	"master_timed_out",
	"interface_down",
	"interface_up",
	"user_requested",
	"admin_demoted",
	"maintenance",
	"shutting_down",
	"address_list_changed",
	"carp_disabled",
	"vhid_removed",
};

#define PROM_NITEMS(a)	(sizeof(a) / sizeof((a)[0]))

static void	prom_reserve(struct prom_buf *, size_t);
static void	prom_add(struct prom_buf *, const char *, size_t);
static void	prom_puts(struct prom_buf *, const char *);
static void	prom_printf(struct prom_buf *, const char *, ...)
		    __attribute__((__format__(printf, 2, 3)));
static void	prom_u64(struct prom_buf *, uint64_t);
static void	prom_head(struct prom_buf *, const char *, const char *,
		    const char *);
static void	prom_label_value(struct prom_buf *, const char *);
static void	prom_vhid_labels(struct prom_buf *, const struct snap_vhid *);
static void	prom_vhid_sample(struct prom_buf *, const struct snap_vhid *,
		    enum prom_field);
static void	prom_addresses(struct prom_buf *, const struct carp_vhid_conf *);
static void	prom_vhid_infos(struct prom_buf *, const struct snap *);
static void	prom_admin_infos(struct prom_buf *, const struct snap *);
static void	prom_since(struct prom_buf *, bool, int64_t);
static void	prom_tracks(struct prom_buf *, const struct snap *);
static void	prom_vrrp(struct prom_buf *, const struct snap *);

static void
prom_reserve(struct prom_buf *b, size_t n)
{
	if (b->len + n + 1 <= b->cap)
		return;
	while (b->len + n + 1 > b->cap)
		b->cap = b->cap == 0 ? 16384 : b->cap * 2;
	b->data = xreallocarray(b->data, b->cap, 1);
}

static void
prom_add(struct prom_buf *b, const char *s, size_t n)
{
	prom_reserve(b, n);
	memcpy(b->data + b->len, s, n);
	b->len += n;
	b->data[b->len] = '\0';
}

static void
prom_puts(struct prom_buf *b, const char *s)
{
	prom_add(b, s, strlen(s));
}

static void
prom_printf(struct prom_buf *b, const char *fmt, ...)
{
	va_list	 ap;
	int	 n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	prom_reserve(b, (size_t)n);
	va_start(ap, fmt);
	vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	b->len += (size_t)n;
}

/* A counter or gauge value: decimal digits are a valid Go float. */
static void
prom_u64(struct prom_buf *b, uint64_t v)
{
	char	 tmp[24];
	size_t	 i = sizeof(tmp);

	do {
		tmp[--i] = (char)('0' + v % 10);
		v /= 10;
	} while (v != 0);
	prom_add(b, tmp + i, sizeof(tmp) - i);
}

static void
prom_head(struct prom_buf *b, const char *name, const char *type,
    const char *help)
{
	prom_printf(b, "# HELP %s %s\n# TYPE %s %s\n", name, help, name, type);
}

/* A label value, quoted, with \\, \" and newlines escaped. */
static void
prom_label_value(struct prom_buf *b, const char *s)
{
	const char	*p;

	prom_add(b, "\"", 1);
	for (p = s; *p != '\0'; p++) {
		if (*p == '\\')
			prom_add(b, "\\\\", 2);
		else if (*p == '"')
			prom_add(b, "\\\"", 2);
		else if (*p == '\n')
			prom_add(b, "\\n", 2);
		else
			prom_add(b, p, 1);
	}
	prom_add(b, "\"", 1);
}

/* interface="eth0",vhid="1" (without braces). */
static void
prom_vhid_labels(struct prom_buf *b, const struct snap_vhid *sv)
{
	prom_puts(b, "interface=");
	prom_label_value(b, sv->info.conf.ifname);
	prom_puts(b, ",vhid=\"");
	prom_u64(b, sv->info.conf.vhid);
	prom_add(b, "\"", 1);
}

static void
prom_vhid_sample(struct prom_buf *b, const struct snap_vhid *sv,
    enum prom_field f)
{
	const struct carp_vhid_info *vi = &sv->info;
	int64_t		 us;

	switch (f) {
	case PROM_F_STATE:
		prom_u64(b, (uint64_t)vi->state);
		break;
	case PROM_F_ADVBASE:
		prom_u64(b, vi->conf.advbase);
		break;
	case PROM_F_ADVSKEW:
		prom_u64(b, vi->conf.advskew);
		break;
	case PROM_F_EFF_ADVSKEW:
		prom_u64(b, vi->eff_advskew);
		break;
	case PROM_F_ADMIN_DEMOTED:
		prom_u64(b, vi->admin_demoted ? 1 : 0);
		break;
	case PROM_F_ADMIN_SINCE:
		prom_since(b, vi->admin_demoted, sv->admin_since);
		break;
	case PROM_F_LAST_CHANGE:
		us = vi->last_change_mono_us != 0 ? vi->last_change_wall_us : 0;
		if (us < 0)
			us = 0;
		prom_printf(b, "%" PRId64 ".%06" PRId64, us / 1000000,
		    us % 1000000);
		break;
	case PROM_F_SENT:
		prom_u64(b, vi->adverts_sent);
		break;
	case PROM_F_RECEIVED:
		prom_u64(b, vi->adverts_received);
		break;
	case PROM_F_SEND_ERRORS:
		prom_u64(b, vi->send_errors);
		break;
	case PROM_F_LINK_UP:
		prom_u64(b, vi->link_up ? 1 : 0);
		break;
	case PROM_F_NO_MASTER:
		prom_u64(b, vi->no_master ? 1 : 0);
		break;
	}
}

/* When a hold was set, in seconds; 0 while there is none. */
static void
prom_since(struct prom_buf *b, bool held, int64_t since)
{
	prom_u64(b, held && since > 0 ? (uint64_t)since : 0);
}

/* The VHID's addresses, "192.0.2.1/24,2001:db8::1/64", as a label value. */
static void
prom_addresses(struct prom_buf *b, const struct carp_vhid_conf *c)
{
	char	 buf[INET6_ADDRSTRLEN], out[INET6_ADDRSTRLEN * CARP_MAX_ADDRS +
		    8 * CARP_MAX_ADDRS];
	size_t	 i, n = c->naddrs < CARP_MAX_ADDRS ? c->naddrs : CARP_MAX_ADDRS;
	size_t	 len = 0;

	out[0] = '\0';
	for (i = 0; i < n && len < sizeof(out); i++) {
		carp_addr_ntop(&c->addrs[i], buf, sizeof(buf));
		len += (size_t)snprintf(out + len, sizeof(out) - len, "%s%s/%u",
		    i > 0 ? "," : "", buf, c->addrs[i].prefixlen);
	}
	prom_label_value(b, out);
}

/*
 * The info families: labels that change only with the configuration or
 * the state, value 1.  A VHID whose master is not known (INIT, or BACKUP
 * before the first advert) has no carp_vhid_master_info sample.
 */
static void
prom_vhid_infos(struct prom_buf *b, const struct snap *s)
{
	const struct snap_vhid	*sv;
	struct carp_addr	 m;
	char			 buf[INET6_ADDRSTRLEN];
	size_t			 i;

	prom_head(b, "carp_vhid_info", "gauge",
	    "The VHID's protocol and virtual addresses, as labels; the value "
	    "is always 1.");
	for (i = 0; i < s->nvhids; i++) {
		sv = &s->vhids[i];
		prom_puts(b, "carp_vhid_info{");
		prom_vhid_labels(b, sv);
		prom_puts(b, ",protocol=\"");
		prom_puts(b, snap_proto_name(&sv->info));
		prom_puts(b, "\",addresses=");
		prom_addresses(b, &sv->info.conf);
		prom_puts(b, "} 1\n");
	}
	prom_head(b, "carp_vhid_master_info", "gauge",
	    "The master this node hears for the VHID (its own advertisement "
	    "source while MASTER), as a label; the value is always 1.");
	for (i = 0; i < s->nvhids; i++) {
		sv = &s->vhids[i];
		m = snap_master(sv);
		if (m.family != AF_INET && m.family != AF_INET6)
			continue;
		prom_puts(b, "carp_vhid_master_info{");
		prom_vhid_labels(b, sv);
		prom_puts(b, ",master=");
		prom_label_value(b, carp_addr_ntop(&m, buf, sizeof(buf)));
		prom_puts(b, "} 1\n");
	}
	prom_head(b, "carp_vhid_last_transition_info", "gauge",
	    "Why the VHID last changed state, as a label; the value is "
	    "always 1.");
	for (i = 0; i < s->nvhids; i++) {
		sv = &s->vhids[i];
		prom_puts(b, "carp_vhid_last_transition_info{");
		prom_vhid_labels(b, sv);
		prom_puts(b, ",reason=\"");
		prom_puts(b, sv->info.last_reason < CARP_RS_MAX ?
		    prom_reason_names[sv->info.last_reason] : "unknown");
		prom_puts(b, "\"} 1\n");
	}
	prom_admin_infos(b, s);
}

/*
 * Who set the VHIDs' holds in effect, as the audit line named them (by is
 * empty when the action named nobody, as an SNMP SET does): a sample per
 * held VHID.  carp_maintenance_info does the same for the node.
 */
static void
prom_admin_infos(struct prom_buf *b, const struct snap *s)
{
	const struct snap_vhid	*sv;
	size_t			 i;

	prom_head(b, "carp_vhid_admin_info", "gauge",
	    "Who set the administrator's hold on the VHID, as a label; a "
	    "sample, always 1, only while the VHID is held.");
	for (i = 0; i < s->nvhids; i++) {
		sv = &s->vhids[i];
		if (!sv->info.admin_demoted)
			continue;
		prom_puts(b, "carp_vhid_admin_info{");
		prom_vhid_labels(b, sv);
		prom_puts(b, ",by=");
		prom_label_value(b, sv->admin_by);
		prom_puts(b, "} 1\n");
	}
}

/* Render the whole exposition. */
void
prom_render(const struct snap *s, struct prom_buf *b)
{
	const struct carp_stats	*st = &s->node.stats;
	const struct snap_vhid	*sv;
	size_t			 f, i;
	int			 d, k, a, r, dg;

	prom_reserve(b, 4096 + s->nvhids * 4096);
	for (f = 0; f < PROM_NITEMS(prom_vhid_families); f++) {
		prom_head(b, prom_vhid_families[f].name,
		    prom_vhid_families[f].type, prom_vhid_families[f].help);
		for (i = 0; i < s->nvhids; i++) {
			sv = &s->vhids[i];
			prom_puts(b, prom_vhid_families[f].name);
			prom_add(b, "{", 1);
			prom_vhid_labels(b, sv);
			prom_add(b, "} ", 2);
			prom_vhid_sample(b, sv, prom_vhid_families[f].field);
			prom_add(b, "\n", 1);
		}
	}

	prom_vhid_infos(b, s);
	prom_vrrp(b, s);

	prom_head(b, "carp_vhid_transitions_total", "counter",
	    "State changes into each state.");
	for (i = 0; i < s->nvhids; i++)
		for (k = 0; k < CARP_ST_MAX; k++) {
			sv = &s->vhids[i];
			prom_puts(b, "carp_vhid_transitions_total{");
			prom_vhid_labels(b, sv);
			prom_printf(b, ",to=\"%s\"} ", carp_state_lnames[k]);
			prom_u64(b, sv->info.transitions[k]);
			prom_add(b, "\n", 1);
		}

	prom_head(b, "carp_vhid_packets_dropped_total", "counter",
	    "Advertisements for this VHID dropped, by reason.");
	for (i = 0; i < s->nvhids; i++)
		for (d = CARP_DROP_DISABLED + 1; d < CARP_DROP_MAX; d++) {
			sv = &s->vhids[i];
			prom_puts(b, "carp_vhid_packets_dropped_total{");
			prom_vhid_labels(b, sv);
			prom_printf(b, ",reason=\"%s\"} ", carp_drop_names[d]);
			prom_u64(b, sv->info.drops[d]);
			prom_add(b, "\n", 1);
		}

	/* The node. */
	prom_head(b, "carp_demotion", "gauge",
	    "The node's demotion, as net.inet.carp.demotion reports it.");
	prom_printf(b, "carp_demotion %d\n", s->node.demotion);
	prom_head(b, "carp_admin_demotion", "gauge",
	    "The part of the demotion set by an administrator.");
	prom_printf(b, "carp_admin_demotion %d\n", s->node.admin_demotion);
	/* The demotion ledger: an entry a series, gone with the entry. */
	if (s->nledger > 0) {
		prom_head(b, "carp_demotion_entry", "gauge",
		    "The weight of an entry of the demotion ledger (their sum "
		    "is carp_demotion).");
		for (i = 0; i < s->nledger; i++) {
			prom_puts(b, "carp_demotion_entry{name=");
			prom_label_value(b, s->ledger[i].name);
			prom_puts(b, ",source=");
			prom_label_value(b, (unsigned int)s->ledger[i].source <
			    LEDGER_SOURCE_MAX ?
			    ledger_source_names[s->ledger[i].source] : "?");
			prom_printf(b, "} %d\n", s->ledger[i].weight);
		}
	}
	prom_head(b, "carp_maintenance", "gauge",
	    "1 while the node is in maintenance mode.");
	prom_printf(b, "carp_maintenance %d\n", s->node.maintenance ? 1 : 0);
	prom_head(b, "carp_maintenance_since_timestamp_seconds", "gauge",
	    "Wall-clock time node maintenance was switched on, 0 while it is "
	    "off (or its time was not recorded).");
	prom_puts(b, "carp_maintenance_since_timestamp_seconds ");
	prom_since(b, s->node.maintenance, s->maint_since);
	prom_add(b, "\n", 1);
	prom_head(b, "carp_maintenance_info", "gauge",
	    "Who switched node maintenance on, as a label; a sample, always "
	    "1, only while it is on.");
	if (s->node.maintenance) {
		prom_puts(b, "carp_maintenance_info{by=");
		prom_label_value(b, s->maint_by);
		prom_puts(b, "} 1\n");
	}
	prom_head(b, "carp_preempt", "gauge", "net.inet.carp.preempt.");
	prom_printf(b, "carp_preempt %d\n", s->node.conf.preempt ? 1 : 0);
	prom_head(b, "carp_allow", "gauge", "net.inet.carp.allow.");
	prom_printf(b, "carp_allow %d\n", s->node.conf.allow ? 1 : 0);
	prom_head(b, "carp_vhids", "gauge", "Configured VHIDs.");
	prom_printf(b, "carp_vhids %zu\n", s->nvhids);
	prom_head(b, "carp_agentx_connected", "gauge",
	    "1 while the SNMP subagent has an AgentX session.");
	prom_printf(b, "carp_agentx_connected %d\n",
	    s->agentx_connected ? 1 : 0);
	prom_head(b, "carp_agentx_enabled", "gauge",
	    "1 while the SNMP subagent runs (agentx-socket is not off).");
	prom_printf(b, "carp_agentx_enabled %d\n", s->agentx_enabled ? 1 : 0);
	prom_head(b, "carp_snmp_notifications_dropped_total", "counter",
	    "SNMP notifications lost: the queue was full, the oldest went.");
	prom_puts(b, "carp_snmp_notifications_dropped_total ");
	prom_u64(b, s->snmp_dropped);
	prom_add(b, "\n", 1);
	prom_head(b, "carp_snmp_notifications_folded_total", "counter",
	    "State changes sent in a carpdStateChangeSummary instead of one "
	    "carpdStateChange each (snmp-trap-rate).");
	prom_puts(b, "carp_snmp_notifications_folded_total ");
	prom_u64(b, s->snmp_folded);
	prom_add(b, "\n", 1);

	prom_head(b, "carp_notify_runs_total", "counter",
	    "notify-script runs started.");
	prom_puts(b, "carp_notify_runs_total ");
	prom_u64(b, s->notify.runs);
	prom_add(b, "\n", 1);
	prom_head(b, "carp_notify_coalesced_total", "counter",
	    "Transitions folded into a later one of the same VHID, whose "
	    "notify-script run reports the latest state (queue overflow).");
	prom_puts(b, "carp_notify_coalesced_total ");
	prom_u64(b, s->notify.coalesced);
	prom_add(b, "\n", 1);
	prom_head(b, "carp_notify_timeouts_total", "counter",
	    "notify-script runs killed at notify-timeout.");
	prom_puts(b, "carp_notify_timeouts_total ");
	prom_u64(b, s->notify.timeouts);
	prom_add(b, "\n", 1);
	prom_head(b, "carp_notify_failures_total", "counter",
	    "notify-script runs that could not start, exited non-zero or "
	    "died of a signal (timeouts aside).");
	prom_puts(b, "carp_notify_failures_total ");
	prom_u64(b, s->notify.failures);
	prom_add(b, "\n", 1);
	prom_head(b, "carp_notify_running", "gauge",
	    "notify-script runs in progress.");
	prom_printf(b, "carp_notify_running %zu\n", s->notify.running);
	prom_head(b, "carp_notify_queued", "gauge",
	    "Transitions waiting for their notify-script run.");
	prom_printf(b, "carp_notify_queued %zu\n", s->notify.queued);
	prom_head(b, "carp_auth_diagnoses_total", "counter",
	    "Advertisements that failed HMAC, diagnosed by result: "
	    "lacks_address, only_inet, only_inet6 (the peer's address list "
	    "lacks some of ours) or password_or_addresses.");
	for (dg = CARP_DIAG_UNKNOWN; dg < CARP_DIAG_MAX; dg++) {
		prom_printf(b, "carp_auth_diagnoses_total{result=\"%s\"} ",
		    carp_diag_names[dg]);
		prom_u64(b, s->node.diags[dg]);
		prom_add(b, "\n", 1);
	}
	prom_head(b, "carp_auth_diagnoses_skipped_total", "counter",
	    "HMAC failures left undiagnosed by the rate limit (the VHID's "
	    "last diagnosis stands).");
	prom_puts(b, "carp_auth_diagnoses_skipped_total ");
	prom_u64(b, s->node.diag_skipped);
	prom_add(b, "\n", 1);

	prom_head(b, "carp_packets_received_total", "counter",
	    "Advertisements received (carpstats ipackets, ipackets6).");
	prom_puts(b, "carp_packets_received_total{family=\"inet\"} ");
	prom_u64(b, st->ipackets);
	prom_puts(b, "\ncarp_packets_received_total{family=\"inet6\"} ");
	prom_u64(b, st->ipackets6);
	prom_add(b, "\n", 1);
	prom_head(b, "carp_packets_sent_total", "counter",
	    "Advertisements sent (carpstats opackets, opackets6).");
	prom_puts(b, "carp_packets_sent_total{family=\"inet\"} ");
	prom_u64(b, st->opackets);
	prom_puts(b, "\ncarp_packets_sent_total{family=\"inet6\"} ");
	prom_u64(b, st->opackets6);
	prom_add(b, "\n", 1);
	prom_head(b, "carp_packets_dropped_total", "counter",
	    "Received advertisements dropped, by reason (carpstats).");
	for (d = CARP_DROP_DISABLED + 1; d < CARP_DROP_MAX; d++) {
		prom_printf(b, "carp_packets_dropped_total{reason=\"%s\"} ",
		    carp_drop_names[d]);
		prom_u64(b, s->node.drops[d]);
		prom_add(b, "\n", 1);
	}
	prom_head(b, "carp_send_errors_total", "counter",
	    "Advertisements that could not be sent (carpstats onomem).");
	prom_puts(b, "carp_send_errors_total ");
	prom_u64(b, st->onomem);
	prom_add(b, "\n", 1);
	prom_head(b, "carp_master_transitions_total", "counter",
	    "Transitions to MASTER on this node (carpstats preempt).");
	prom_puts(b, "carp_master_transitions_total ");
	prom_u64(b, st->preempt);
	prom_add(b, "\n", 1);

	prom_head(b, "carp_api_requests_total", "counter",
	    "Administrative requests over HTTP and the control socket, by "
	    "action and result.");
	for (a = 0; a < SNAP_API_ACTION_MAX; a++)
		for (r = 0; r < SNAP_API_RESULT_MAX; r++) {
			prom_printf(b, "carp_api_requests_total{action=\"%s\","
			    "result=\"%s\"} ", snap_api_action_names[a],
			    snap_api_result_names[r]);
			prom_u64(b, s->api[a][r]);
			prom_add(b, "\n", 1);
		}
	prom_tracks(b, s);
	prom_head(b, "carp_start_time_seconds", "gauge",
	    "Wall-clock time carpd started.");
	prom_printf(b, "carp_start_time_seconds %" PRId64 ".%06" PRId64 "\n",
	    s->start_wall_us / 1000000, s->start_wall_us % 1000000);
	prom_head(b, "carp_build_info", "gauge",
	    "carpd's version, as a label; the value is always 1.");
	prom_puts(b, "carp_build_info{version=");
	prom_label_value(b, s->version != NULL ? s->version : "unknown");
	prom_puts(b, "} 1\n");
}

/* Where a per-tracker family takes its value. */
enum prom_tfield {
	PROM_T_UP,
	PROM_T_DEMOTION,
	PROM_T_RUNNING,
	PROM_T_PASSES,
	PROM_T_FAILURES,
	PROM_T_LAST_RUN,
	PROM_T_DURATION,
	PROM_T_EXIT,
	PROM_T_SINCE,
	PROM_T_RUNS,
	PROM_T_NFAILED,
	PROM_T_TIMEOUTS,
	PROM_T_TRANSITIONS,
};

static const struct {
	const char		*name;
	const char		*type;
	const char		*help;
	enum prom_tfield	 field;
} prom_track_families[] = {
	{ "carp_track_up", "gauge",
	    "1 while the tracker is healthy, 0 while its demotion ledger "
	    "entry holds (the startup gate: 0 while it holds).", PROM_T_UP },
	{ "carp_track_demotion", "gauge",
	    "The demotion the tracker adds now: its weight while down, else 0.",
	    PROM_T_DEMOTION },
	{ "carp_track_running", "gauge",
	    "1 while a run of the track-script is under way.",
	    PROM_T_RUNNING },
	{ "carp_track_consecutive_passes", "gauge",
	    "Passes in a row (rise counts these).", PROM_T_PASSES },
	{ "carp_track_consecutive_failures", "gauge",
	    "Failures in a row (fall counts these).", PROM_T_FAILURES },
	{ "carp_track_last_run_timestamp_seconds", "gauge",
	    "Wall-clock time of the last result, 0 if none yet.",
	    PROM_T_LAST_RUN },
	{ "carp_track_last_duration_seconds", "gauge",
	    "How long the last run of the track-script took.",
	    PROM_T_DURATION },
	{ "carp_track_last_exit_status", "gauge",
	    "The last run's exit status; -1 if it did not exit (a signal, "
	    "the timeout, or it could not start) or did not run yet.",
	    PROM_T_EXIT },
	{ "carp_track_since_timestamp_seconds", "gauge",
	    "Wall-clock time of the last change between up and down (or of "
	    "the tracker's start).", PROM_T_SINCE },
	{ "carp_track_results_total", "counter",
	    "Results counted: script runs, link changes.", PROM_T_RUNS },
	{ "carp_track_failures_total", "counter",
	    "Failed results: script failures and timeouts, links down or "
	    "absent.", PROM_T_NFAILED },
	{ "carp_track_timeouts_total", "counter",
	    "Script runs killed at their timeout.", PROM_T_TIMEOUTS },
	{ "carp_track_transitions_total", "counter",
	    "Changes between up and down.", PROM_T_TRANSITIONS },
};

/* The trackers: one series per tracker and family (labels name, kind). */
static void
prom_tracks(struct prom_buf *b, const struct snap *s)
{
	const struct track_info	*ti;
	size_t			 f, i;
	int64_t			 v;

	prom_reserve(b, s->ntracks * 2048);
	for (f = 0; f < PROM_NITEMS(prom_track_families); f++) {
		prom_head(b, prom_track_families[f].name,
		    prom_track_families[f].type, prom_track_families[f].help);
		for (i = 0; i < s->ntracks; i++) {
			ti = &s->tracks[i];
			prom_puts(b, prom_track_families[f].name);
			prom_puts(b, "{name=");
			prom_label_value(b, ti->name);
			prom_printf(b, ",kind=\"%s\"} ",
			    track_kind_names[ti->kind]);
			switch (prom_track_families[f].field) {
			case PROM_T_UP:
				prom_puts(b, ti->up ? "1" : "0");
				break;
			case PROM_T_DEMOTION:
				prom_printf(b, "%d", ti->up ? 0 : ti->weight);
				break;
			case PROM_T_RUNNING:
				prom_puts(b, ti->running ? "1" : "0");
				break;
			case PROM_T_PASSES:
				prom_printf(b, "%d", ti->passes);
				break;
			case PROM_T_FAILURES:
				prom_printf(b, "%d", ti->failures);
				break;
			case PROM_T_LAST_RUN:
			case PROM_T_SINCE:
			case PROM_T_DURATION:
				v = prom_track_families[f].field ==
				    PROM_T_LAST_RUN ? ti->last_run_us :
				    prom_track_families[f].field ==
				    PROM_T_SINCE ? ti->since_us :
				    ti->duration_us;
				if (v < 0)
					v = 0;
				prom_printf(b, "%" PRId64 ".%06" PRId64,
				    v / 1000000, v % 1000000);
				break;
			case PROM_T_EXIT:
				prom_printf(b, "%d", ti->result ==
				    TRACK_R_PASS || ti->result ==
				    TRACK_R_FAIL ? ti->code : -1);
				break;
			case PROM_T_RUNS:
				prom_u64(b, ti->runs);
				break;
			case PROM_T_NFAILED:
				prom_u64(b, ti->nfailed);
				break;
			case PROM_T_TIMEOUTS:
				prom_u64(b, ti->ntimeouts);
				break;
			case PROM_T_TRANSITIONS:
				prom_u64(b, ti->transitions);
				break;
			}
			prom_add(b, "\n", 1);
		}
	}
}

/*
 * VRRPv3 (vrrpview): the families below have a sample for each VRRPv3
 * VHID only (a VHID's protocol never changes, so neither do its series);
 * carp_vrrp_packets_dropped_total is the node's.  Intervals are in
 * seconds (the configuration's centiseconds / 100).
 */
enum prom_vrrp_field {
	PROM_V_PRIO,
	PROM_V_EFF_PRIO,
	PROM_V_INTERVAL,
	PROM_V_MASTER_INTERVAL,
	PROM_V_ACCEPT,
	PROM_V_NEW_MASTER_REASON,
	PROM_V_RX_PRIO0,
	PROM_V_TX_PRIO0,
	PROM_V_INTERVAL_ERRORS,
	PROM_V_TYPE_ERRORS,
	PROM_V_ADDR_ERRORS,
};

static const struct {
	const char		*name;
	const char		*type;
	const char		*help;
	enum prom_vrrp_field	 field;
} prom_vrrp_families[] = {
	{ "carp_vhid_vrrp_priority", "gauge",
	    "VRRPv3: configured priority (vrrpprio), 255 the address owner.",
	    PROM_V_PRIO },
	{ "carp_vhid_vrrp_effective_priority", "gauge",
	    "VRRPv3: priority advertised and compared, the node's demotion "
	    "applied (1..254; 255 stays 255).", PROM_V_EFF_PRIO },
	{ "carp_vhid_vrrp_interval_seconds", "gauge",
	    "VRRPv3: configured advertisement interval (vrrpinterval).",
	    PROM_V_INTERVAL },
	{ "carp_vhid_vrrp_master_interval_seconds", "gauge",
	    "VRRPv3: Master_Adver_Interval, the interval adopted from the "
	    "master's adverts (our own while MASTER).",
	    PROM_V_MASTER_INTERVAL },
	{ "carp_vhid_vrrp_accept_mode", "gauge",
	    "VRRPv3: 1 while Accept_Mode is on (the default), 0 with "
	    "noaccept.", PROM_V_ACCEPT },
	{ "carp_vhid_vrrp_new_master_reason", "gauge",
	    "VRRPv3: why the VHID last became MASTER, RFC 6527's "
	    "vrrpv3StatisticsNewMasterReason: 0 never, 1 priority, "
	    "2 preempted, 3 master no response.", PROM_V_NEW_MASTER_REASON },
	{ "carp_vhid_vrrp_priority_zero_received_total", "counter",
	    "VRRPv3: valid adverts of priority 0 received (a master "
	    "resigning).", PROM_V_RX_PRIO0 },
	{ "carp_vhid_vrrp_priority_zero_sent_total", "counter",
	    "VRRPv3: adverts of priority 0 sent (hand-over, shutdown).",
	    PROM_V_TX_PRIO0 },
	{ "carp_vhid_vrrp_interval_errors_total", "counter",
	    "VRRPv3: valid adverts whose interval differs from the "
	    "configured one.", PROM_V_INTERVAL_ERRORS },
	{ "carp_vhid_vrrp_invalid_type_received_total", "counter",
	    "VRRPv3: valid adverts of a type other than 1 (accepted, as "
	    "FreeBSD does).", PROM_V_TYPE_ERRORS },
	{ "carp_vhid_vrrp_address_list_errors_total", "counter",
	    "VRRPv3: valid adverts whose address list differs from the "
	    "VHID's (accepted, as FreeBSD does).", PROM_V_ADDR_ERRORS },
};

/* Centiseconds as seconds: 100 is 1.00. */
static void
prom_cs(struct prom_buf *b, unsigned int cs)
{
	prom_printf(b, "%u.%02u", cs / 100, cs % 100);
}

static void
prom_vrrp(struct prom_buf *b, const struct snap *s)
{
	const struct carp_vhid_info	*vi;
	size_t				 f, i;
	uint64_t			 v;
	int				 d;

	for (f = 0; f < PROM_NITEMS(prom_vrrp_families); f++) {
		prom_head(b, prom_vrrp_families[f].name,
		    prom_vrrp_families[f].type, prom_vrrp_families[f].help);
		for (i = 0; i < s->nvhids; i++) {
			vi = &s->vhids[i].info;
			if (vi->conf.proto != CARP_PROTO_VRRP3)
				continue;
			prom_puts(b, prom_vrrp_families[f].name);
			prom_add(b, "{", 1);
			prom_vhid_labels(b, &s->vhids[i]);
			prom_add(b, "} ", 2);
			switch (prom_vrrp_families[f].field) {
			case PROM_V_INTERVAL:
				prom_cs(b, vi->conf.vrrp_interval);
				prom_add(b, "\n", 1);
				continue;
			case PROM_V_MASTER_INTERVAL:
				prom_cs(b, vi->master_interval);
				prom_add(b, "\n", 1);
				continue;
			case PROM_V_PRIO:
				v = vi->conf.vrrp_prio;
				break;
			case PROM_V_EFF_PRIO:
				v = vi->eff_prio;
				break;
			case PROM_V_ACCEPT:
				v = vi->conf.vrrp_noaccept ? 0 : 1;
				break;
			case PROM_V_NEW_MASTER_REASON:
				v = (uint64_t)snap_vrrp_master_reason(
				    vi->master_reason);
				break;
			case PROM_V_RX_PRIO0:
				v = vi->vrrp_rx_prio0;
				break;
			case PROM_V_TX_PRIO0:
				v = vi->vrrp_tx_prio0;
				break;
			case PROM_V_INTERVAL_ERRORS:
				v = vi->vrrp_interval_errors;
				break;
			case PROM_V_TYPE_ERRORS:
				v = vi->vrrp_type_errors;
				break;
			case PROM_V_ADDR_ERRORS:
			default:
				v = vi->vrrp_addr_errors;
				break;
			}
			prom_u64(b, v);
			prom_add(b, "\n", 1);
		}
	}
	prom_head(b, "carp_vrrp_packets_dropped_total", "counter",
	    "VRRPv3 adverts dropped, and CARP ones for a VRRPv3 VHID "
	    "(bad_version), by reason: the VRRPv3 part of "
	    "carp_packets_dropped_total.");
	for (d = CARP_DROP_DISABLED + 1; d < CARP_DROP_MAX; d++) {
		prom_printf(b,
		    "carp_vrrp_packets_dropped_total{reason=\"%s\"} ",
		    carp_drop_names[d]);
		prom_u64(b, s->node.vrrp_drops[d]);
		prom_add(b, "\n", 1);
	}
}

void
prom_buf_free(struct prom_buf *b)
{
	free(b->data);
	memset(b, 0, sizeof(*b));
}
