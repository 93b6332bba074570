/*
 * snap.c: copy the engine's state in one go.
 */
#include <sys/types.h>
#include <sys/socket.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "agent/clock.h"
#include "agent/control.h"
#include "agent/engine.h"
#include "agent/ifaddr.h"
#include "agent/snap.h"
#include "agent/xmalloc.h"

const char *const snap_api_action_names[SNAP_API_ACTION_MAX] = {
	"demote", "promote", "maintenance", "demotion"
};

const char *const snap_api_result_names[SNAP_API_RESULT_MAX] = {
	"changed", "unchanged", "rejected", "unauthorized", "error"
};

static uint64_t	 snap_api[SNAP_API_ACTION_MAX][SNAP_API_RESULT_MAX];
static int	 snap_agentx;
static int	 snap_agentx_on;
static uint64_t	 snap_snmp_dropped, snap_snmp_folded;
/* Changes of the counters and flags above (from 1: 0 is "none yet"). */
static uint64_t	 snap_changes = 1;

void
snap_api_count(enum snap_api_action a, enum snap_api_result r)
{
	if (a < SNAP_API_ACTION_MAX && r < SNAP_API_RESULT_MAX) {
		snap_api[a][r]++;
		snap_changes++;
	}
}

void
snap_set_agentx_connected(int up)
{
	if (snap_agentx != (up != 0))
		snap_changes++;
	snap_agentx = up != 0;
}

void
snap_set_agentx_enabled(int on)
{
	if (snap_agentx_on != (on != 0))
		snap_changes++;
	snap_agentx_on = on != 0;
}

void
snap_set_snmp_counts(uint64_t dropped, uint64_t folded)
{
	if (snap_snmp_dropped != dropped || snap_snmp_folded != folded)
		snap_changes++;
	snap_snmp_dropped = dropped;
	snap_snmp_folded = folded;
}

static void	snap_fill(struct snap *);
static void	snap_holds(struct snap *);
static void	snap_tracks(struct snap *);

/* Every tracker (agent/track.h), reusing s->tracks. */
static void
snap_tracks(struct snap *s)
{
	size_t	 n;

	n = track_list(NULL, 0);
	if (n > s->tcap) {
		s->tcap = n;
		s->tracks = xreallocarray(s->tracks, s->tcap,
		    sizeof(*s->tracks));
	}
	s->ntracks = track_list(s->tracks, s->tcap);
	if (s->ntracks > s->tcap)
		s->ntracks = s->tcap;
}

/*
 * The generation of what a snapshot would show, but for the advert
 * counters: the engine's (carp_node_gen), the interfaces' addresses'
 * (the advert sources), the notify-script's counters and the counters
 * and flags kept here, summed;
 * each only grows.
 */
uint64_t
snap_gen(void)
{
	struct carp_node	*n = eng_node();

	return (n != NULL ? carp_node_gen(n) : 0) + ifaddr_gen() +
	    snap_changes + ledger_gen() + track_gen() + notify_gen();
}

/*
 * Copy the node, every VHID, their advert sources (which the engine keeps
 * until an address changes) and the counters into s, reusing s->vhids.
 */
static void
snap_fill(struct snap *s)
{
	struct carp_node	*n = eng_node();
	struct carp_vhid	*vh;
	struct snap_vhid	*sv, *keep = s->vhids;
	struct track_info	*tkeep = s->tracks;
	struct ledger_entry	*lkeep = s->ledger;
	size_t			 cap = s->cap, lcap = s->ledger_cap, i;
	size_t			 tcap = s->tcap;

	memset(s, 0, sizeof(*s));
	s->vhids = keep;
	s->cap = cap;
	s->tracks = tkeep;
	s->tcap = tcap;
	snap_tracks(s);
	s->ledger = lkeep;
	s->ledger_cap = lcap;
	/* The ledger. */
	s->nledger = ledger_count();
	if (s->nledger > s->ledger_cap) {
		s->ledger_cap = s->nledger;
		s->ledger = xreallocarray(s->ledger, s->ledger_cap,
		    sizeof(*s->ledger));
	}
	for (i = 0; i < s->nledger; i++)
		s->ledger[i] = *ledger_get(i);
	s->ledger_total = ledger_total();
	s->gen = snap_gen();
	s->version = CARPD_VERSION;
	s->now_wall_us = clock_now().wall_us;
	s->now_mono_us = clock_mono_us();
	s->start_wall_us = eng_start_time();
	s->agentx_connected = snap_agentx;
	s->agentx_enabled = snap_agentx_on;
	s->snmp_dropped = snap_snmp_dropped;
	s->snmp_folded = snap_snmp_folded;
	memcpy(s->api, snap_api, sizeof(s->api));
	notify_stats(&s->notify);
	if (n == NULL)
		return;
	carp_node_info(n, &s->node);
	for (vh = carp_vhid_next(n, NULL); vh != NULL;
	    vh = carp_vhid_next(n, vh)) {
		if (s->nvhids == s->cap) {
			s->cap = s->cap == 0 ? 16 : s->cap * 2;
			s->vhids = xreallocarray(s->vhids, s->cap,
			    sizeof(*s->vhids));
		}
		sv = &s->vhids[s->nvhids++];
		memset(sv, 0, sizeof(*sv));
		sv->vh = vh;
		carp_vhid_info(vh, &sv->info);
		if (eng_vhid_source(vh, AF_INET, &sv->self4) == -1)
			memset(&sv->self4, 0, sizeof(sv->self4));
		if (eng_vhid_source(vh, AF_INET6, &sv->self6) == -1)
			memset(&sv->self6, 0, sizeof(sv->self6));
	}
	snap_holds(s);
}

/*
 * When and by whom the holds in effect were set, from the control path's
 * record (which the engine's generation covers: the control path records
 * a hold in the same turn of the event loop as the engine takes it).
 */
static void
snap_holds(struct snap *s)
{
	const struct state	*cs = ctl_state();
	const struct state_vhid	*hold;
	struct snap_vhid	*sv;
	size_t			 i;

	const struct ledger_entry *e;

	s->maint_hold = s->node.maintenance;
	if (s->node.maintenance && cs->maintenance) {
		s->maint_since = cs->maintenance_since;
		snprintf(s->maint_by, sizeof(s->maint_by), "%s",
		    cs->maintenance_by);
	} else if (!s->node.maintenance &&
	    (e = ledger_find(CTL_MAINT_ENTRY)) != NULL &&
	    e->source == LEDGER_MAINTENANCE) {
		/* Soft: the ledger's entry says what, since when, by whom. */
		s->node.maintenance = true;
		memcpy(s->node.maintenance_reason, e->reason,
		    sizeof(s->node.maintenance_reason));
		s->maint_since = e->since;
		snprintf(s->maint_by, sizeof(s->maint_by), "%s", e->origin);
	}
	for (i = 0; i < s->nvhids; i++) {
		sv = &s->vhids[i];
		if (!sv->info.admin_demoted || (hold = state_find_demoted(cs,
		    sv->info.conf.ifname, sv->info.conf.vhid)) == NULL)
			continue;
		sv->admin_since = hold->since;
		snprintf(sv->admin_by, sizeof(sv->admin_by), "%s", hold->by);
	}
}

void
snap_take(struct snap *s)
{
	memset(s, 0, sizeof(*s));
	snap_fill(s);
}

void
snap_take_metrics(struct snap *s)
{
	snap_fill(s);
}

void
snap_free(struct snap *s)
{
	free(s->vhids);
	s->vhids = NULL;
	s->nvhids = s->cap = 0;
	free(s->tracks);
	s->tracks = NULL;
	s->ntracks = s->tcap = 0;
	free(s->ledger);
	s->ledger = NULL;
	s->nledger = s->ledger_cap = 0;
}
