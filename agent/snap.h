/*
 * snap.h: one consistent copy of carpd's state, taken in one go on the
 * event loop: the one read model, from which /metrics, /v1/status (and so
 * carpctl) are rendered and the SNMP subagent answers (in its own thread,
 * from a copy the main thread hands it).  No password is in it
 * (carp_vhid_info() copies none).  The renderers (exporters/prom.c,
 * exporters/status.c, agent/snmp_mib.c) read only this copy, so the unit
 * tests and the benchmark feed them fake snapshots.  It is the daemon's,
 * so it lives in agent/: the SNMP subagent reads it here, and exporters/
 * reads it from here too (docs/layout.md).
 */
#ifndef SNAP_H
#define SNAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "agent/ledger.h"
#include "agent/notify.h"
#include "agent/state.h"
#include "agent/track.h"
#include "carp/carp.h"

/* Actions counted in carp_api_requests_total{action,result}. */
enum snap_api_action {
	SNAP_API_DEMOTE,
	SNAP_API_PROMOTE,
	SNAP_API_MAINTENANCE,
	SNAP_API_DEMOTION,
	SNAP_API_ACTION_MAX
};

/* Their outcomes. */
enum snap_api_result {
	SNAP_API_CHANGED,	/* 200, something changed */
	SNAP_API_UNCHANGED,	/* 200, already in effect */
	SNAP_API_REJECTED,	/* 400, 404, 409, 413, 415 */
	SNAP_API_UNAUTHORIZED,	/* 401, 403 */
	SNAP_API_ERROR,		/* 500: the state file was not written */
	SNAP_API_RESULT_MAX
};

extern const char *const snap_api_action_names[SNAP_API_ACTION_MAX];
extern const char *const snap_api_result_names[SNAP_API_RESULT_MAX];

struct snap_vhid {
	struct carp_vhid_info	 info;
	struct carp_addr	 self4;		/* our advert source, if known */
	struct carp_addr	 self6;
	/*
	 * The administrative hold (info.admin_demoted), as the control path
	 * recorded it: since when (wall clock, seconds) and by whom (the
	 * audit line's words); 0 and "" when there is none or it is not
	 * known (held before a state file recorded it).
	 */
	int64_t			 admin_since;
	char			 admin_by[STATE_BY_LEN];
	/* For actions on the main thread; never read by SNMP's. */
	struct carp_vhid	*vh;		/* NULL in tests */
};

struct snap {
	/*
	 * What the snapshot shows changed, but for the advert counters,
	 * when (and only when) the generation differs (snap_gen()).
	 */
	uint64_t		 gen;
	struct carp_node_info	 node;
	/*
	 * Node maintenance: node.maintenance and maintenance_reason say
	 * whether it is on, either kind; maint_hold whether it holds (the
	 * engine's maintenance) or is soft (the ledger's entry
	 * "maintenance", docs/protocol.md, decision 21).  Since when and by
	 * whom as admin_since, admin_by.
	 */
	bool			 maint_hold;
	int64_t			 maint_since;
	char			 maint_by[STATE_BY_LEN];
	struct snap_vhid	*vhids;		/* by ifindex, then vhid */
	size_t			 nvhids;
	size_t			 cap;
	int64_t			 now_wall_us;
	uint64_t		 now_mono_us;	/* the engine's clock */
	int64_t			 start_wall_us;
	int			 agentx_connected;
	int			 agentx_enabled;
	uint64_t		 snmp_dropped;	/* notifications lost */
	uint64_t		 snmp_folded;	/* into summaries */
	uint64_t		 disc_mono_us;	/* SNMP: rows last came or went */
	uint64_t		 api[SNAP_API_ACTION_MAX][SNAP_API_RESULT_MAX];
	const char		*version;
	/* Tracking (agent/track.h): every tracker, the startup gate too. */
	struct track_info	*tracks;
	size_t			 ntracks;
	size_t			 tcap;
	/*
	 * The demotion ledger (agent/ledger.h): every entry, the automatic
	 * ones included, by name; ledger_total their sum (node.demotion
	 * when the engine and the ledger agree, as they do between events).
	 */
	struct ledger_entry	*ledger;
	size_t			 nledger;
	size_t			 ledger_cap;
	int			 ledger_total;
	/* The notify-script's runs, coalescings, timeouts, failures. */
	struct notify_stats	 notify;
};

/* Take a snapshot of the running engine (snap.c; not in unit tests). */
void		 snap_take(struct snap *);
/*
 * A snapshot into s: zeroed, or an earlier snapshot whose array is
 * reused (/metrics, SNMP).  The advert sources (self4, self6) are in it:
 * the engine keeps them until an address changes.
 */
void		 snap_take_metrics(struct snap *);
/* The generation a snapshot taken now would carry. */
uint64_t	 snap_gen(void);
/* Free what a snapshot holds (the struct itself is the caller's). */
void		 snap_free(struct snap *);
/*
 * The master's address as seen by this node, family 0 when unknown: ours
 * (the advert source of the VHID's first address family, else the
 * other's) while MASTER, the last advert's source while BACKUP.  Inline:
 * the SNMP thread's renderer links without the engine.
 */
static inline struct carp_addr
snap_master(const struct snap_vhid *sv)
{
	struct carp_addr	 none;

	memset(&none, 0, sizeof(none));
	if (sv->info.state == CARP_ST_BACKUP)
		return sv->info.master;
	if (sv->info.state != CARP_ST_MASTER)
		return none;
	if (sv->info.conf.naddrs > 0 &&
	    sv->info.conf.addrs[0].family == AF_INET6)
		return sv->self6.family != 0 ? sv->self6 : sv->self4;
	return sv->self4.family != 0 ? sv->self4 : sv->self6;
}

/*
 * VRRPv3 views (vrrpview): the protocol's name in /metrics, /v1/status
 * and carpctl, and RFC 6527's two reason enums.  The figures themselves
 * are in struct carp_vhid_info: conf.proto, conf.vrrp_prio, eff_prio (the
 * priority advertised, the demotion applied), conf.vrrp_interval and
 * master_interval (centiseconds), conf.vrrp_noaccept, and the counters.
 */
static inline const char *
snap_proto_name(const struct carp_vhid_info *vi)
{
	return vi->conf.proto == CARP_PROTO_VRRP3 ? "vrrp" : "carp";
}

/* vrrpv3StatisticsNewMasterReason values. */
#define SNAP_VRRP_NOT_MASTER	0
#define SNAP_VRRP_PRIORITY	1
#define SNAP_VRRP_PREEMPTED	2
#define SNAP_VRRP_NO_RESPONSE	3

/*
 * Why a VHID became MASTER, in RFC 6527's words: never (notMaster), a
 * preemption (preempted), the master's silence or its priority 0 advert
 * (masterNoResponse), else its own priority (the owner's start, or an
 * administrator forcing it).
 */
static inline int
snap_vrrp_master_reason(enum carp_reason rs)
{
	switch (rs) {
	case CARP_RS_NONE:
		return SNAP_VRRP_NOT_MASTER;
	case CARP_RS_PREEMPT:
		return SNAP_VRRP_PREEMPTED;
	case CARP_RS_MASTER_TIMED_OUT:
	case CARP_RS_MASTER_WILL_TIME_OUT:
		return SNAP_VRRP_NO_RESPONSE;
	default:
		return SNAP_VRRP_PRIORITY;
	}
}

/*
 * vrrpv3StatisticsProtoErrReason of a drop: ipTtlError(1),
 * versionError(2), checksumError(3), vrIdError(4); 0 (noError) for the
 * drops it has no word for (a length or address count error).
 */
static inline int
snap_vrrp_proto_err(enum carp_drop d)
{
	switch (d) {
	case CARP_DROP_BADTTL:
		return 1;
	case CARP_DROP_BADVER:
		return 2;
	case CARP_DROP_BADSUM:
		return 3;
	case CARP_DROP_BADVHID:
		return 4;
	default:
		return 0;
	}
}

/* Counters and flags the snapshot copies (snap.c). */
void		 snap_api_count(enum snap_api_action, enum snap_api_result);
/*
 * The SNMP subagent reports its AgentX session here (carp_agentx_connected
 * stays 0 until it does).
 */
void		 snap_set_agentx_connected(int);
/* The subagent runs (1) or not; its notifications lost and folded. */
void		 snap_set_agentx_enabled(int);
void		 snap_set_snmp_counts(uint64_t dropped, uint64_t folded);

#endif /* SNAP_H */
