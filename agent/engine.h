/*
 * engine.h: the CARP engine on Linux.  engine.c owns the carp/ node and
 * carries out its actions: raw sockets, netlink, announcements, one
 * libevent timer per VHID; its state changes go to dispatch.c.
 * Everything else (the control path, SNMP, HTTP) reads state through it
 * and changes state only through control.c.
 */
#ifndef ENGINE_H
#define ENGINE_H

#include <stdbool.h>
#include <stdint.h>

#include "agent/conf.h"
#include "carp/carp.h"

struct event_base;

/*
 * Start the engine on a parsed configuration, which it then owns: open
 * the sockets, remove VIPs a crashed carpd left behind, add every VHID.
 * Returns 0, or -1 (logged) when carpd cannot run.
 */
int		 eng_init(struct event_base *, struct carpd_conf *);
/*
 * Apply a new configuration (SIGHUP): unchanged VHIDs keep their state,
 * changed ones are re-keyed or re-timed, removed ones release their
 * addresses, new ones start.  Takes ownership of conf.  Returns 0 or -1.
 */
int		 eng_reload(struct carpd_conf *);
/*
 * Real-time scheduling of the event loop for sub-second VRRPv3 intervals,
 * set before the privileges are dropped and before any thread starts.
 */
void		 eng_sched_init(void);
/*
 * Graceful stop: bow-out adverts; each VIP is released once its backup's
 * first advert is heard, or after half a second.
 */
void		 eng_shutdown(void);
/* Are VIPs still waiting for their backup after eng_shutdown()? */
bool		 eng_handing_over(void);
/* Free everything (after eng_shutdown, or on a failed start). */
void		 eng_free(void);

/* Read the clocks. */
struct carp_node *eng_node(void);
const struct carpd_conf *eng_conf(void);
/* Wall-clock microseconds when carpd started. */
int64_t		 eng_start_time(void);
/* The source address carpd advertises from for a VHID, if known. */
int		 eng_vhid_source(const struct carp_vhid *, int family,
		    struct carp_addr *);

/*
 * Send what is queued and hand the round's events on (dispatch_flush)
 * once the callbacks due in this round of the event loop have run.
 */
void		 eng_flush_later(void);

#endif /* ENGINE_H */
