/*
 * snmp.h: the AgentX subagent serving mibs/CARPD-MIB.txt.
 *
 * net-snmp runs in a thread of its own: its calls block (connecting,
 * registering, pinging the master agent) and must never delay the
 * engine.  The main thread hands it snapshots of the engine's state and
 * a bounded queue of events to notify; SETs come back to the main thread
 * and are carried out there through control.c.
 */
#ifndef CARPD_SNMP_H
#define CARPD_SNMP_H

#include <stdbool.h>

#include "carp/carp.h"

struct event_base;
struct carpd_conf;
struct dispatch_event;

/*
 * Start the subagent (after eng_init): the socket and ping interval come
 * from conf (agentx_socket NULL: SNMP is off and nothing starts).  The
 * master agent need not be up yet; the subagent connects when it comes
 * and reconnects after it restarts.  Returns 0, or -1 (logged).
 */
int	snmp_init(struct event_base *, const struct carpd_conf *);
/* Stop the thread and free everything; harmless if never started. */
void	snmp_stop(void);
/* 1 while an AgentX session to the master agent is open (any thread). */
int	snmp_connected(void);

/* The dispatcher's side (main thread); each a no-op unless it runs. */
bool	snmp_running(void);
/* A state, demotion or administrative event to notify. */
void	snmp_feed(const struct dispatch_event *);
/* A round's events are in: publish a snapshot that shows them. */
void	snmp_feed_done(void);
/* A dropped packet: a protocol error, rate-limited per VHID and reason. */
void	snmp_feed_drop(const struct carp_rx *, enum carp_drop,
	    struct carp_time);

#endif /* CARPD_SNMP_H */
