/*
 * dispatch.h: the one stream of events out of the engine and the control
 * path.
 *
 * The engine hands every state change (complete: old and new state,
 * reason, master, time) and every demotion change to the dispatcher,
 * control.c every administrative action that changed something, and the
 * packet path every dropped packet.  The dispatcher feeds:
 *
 *   at once          the log and the service manager's status, and SNMP's
 *                    protocol errors (rate-limited there)
 *   after the round  the notify script and SNMP's notifications and
 *                    snapshot: the engine's flush (after the round of the
 *                    event loop that raised them, once adverts and
 *                    addresses have gone out) calls dispatch_flush()
 *
 * The metrics need no event: /metrics reads the snapshot, whose
 * generation (snap_gen(), carp_node_gen()) each of these changes bumps.
 */
#ifndef DISPATCH_H
#define DISPATCH_H

#include <net/if.h>

#include <stdbool.h>
#include <stdint.h>

#include "agent/ledger.h"
#include "carp/carp.h"

enum dispatch_type {
	DISPATCH_STATE,
	DISPATCH_DEMOTION,
	DISPATCH_ADMIN,
	DISPATCH_NO_MASTER,	/* a held VHID hears no master, or again */
	DISPATCH_LEDGER
};

/* One event, complete. */
struct dispatch_event {
	enum dispatch_type	 type;
	struct carp_time	 at;
	unsigned int		 ifindex;	/* 0: node-wide */
	unsigned int		 vhid;		/* 0: node-wide */
	char			 ifname[IF_NAMESIZE];	/* STATE */
	enum carp_state		 from, to;	/* STATE */
	enum carp_reason	 reason;	/* STATE */
	/* STATE: into BACKUP the master, into MASTER our advert source. */
	struct carp_addr	 master;
	struct carp_addr	 vip;		/* STATE: the first address */
	struct carp_addr	*addrs;		/* STATE: for the notify script */
	size_t			 naddrs;
	int			 value;		/* DEMOTION: total; ADMIN;
						   NO_MASTER: 1 on, 0 off */
	int			 action;	/* ADMIN: enum ctl_action */
	char			 origin[16];	/* ADMIN */
	char			 text[CARP_REASON_LEN];	/* DEMOTION, ADMIN,
						   NO_MASTER: the hold */
	uint32_t		 silent_ms;	/* NO_MASTER: md interval */
	bool			 snmp;		/* raised while SNMP ran */
	/* LEDGER: the entry that changed (value: its weight, text: reason). */
	int			 change;	/* enum ledger_change */
	struct ledger_entry	 entry;
	char			 origin_full[LEDGER_ORIGIN_LEN]; /* who did it */
	bool			 vrrp;		/* STATE: of a VRRPv3 VHID */
};

/* The engine: a VHID changed state (conf: its configuration). */
void	dispatch_state(const struct carp_action *,
	    const struct carp_vhid_conf *);
/*
 * The engine: a held VHID heard no master for its master-down interval,
 * or hears one again (conf: its configuration).
 */
void	dispatch_no_master(const struct carp_action *,
	    const struct carp_vhid_conf *);
/* The engine: the node's demotion changed. */
void	dispatch_demotion(const struct carp_action *);
/* control.c: an administrative action changed something. */
void	dispatch_admin(int action, const char *origin, const char *reason,
	    struct carp_vhid *, int value, struct carp_time);
/*
 * control.c: a ledger entry was added, changed, removed or expired, by
 * origin; value is the ledger's new total.
 */
void	dispatch_ledger(enum ledger_change, const struct ledger_entry *,
	    const char *origin, struct carp_time);
/* The packet path: carp_input() dropped a packet. */
void	dispatch_drop(const struct carp_rx *, enum carp_drop,
	    struct carp_time);
/* The engine's flush: hand what was raised to the later consumers. */
void	dispatch_flush(void);
/* Forget what was not handed on (carpd stops) and free the queue. */
void	dispatch_free(void);

#endif /* DISPATCH_H */
