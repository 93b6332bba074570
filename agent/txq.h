/*
 * txq.h: the transmit queue.  Adverts queued during a round of the event
 * loop leave together: one sendmmsg(2) per queue, then the outcome of each
 * is reported, in order, to whoever queued it.  Four queues: IPv4 and
 * IPv6 raw sockets, and a packet socket for adverts from a virtual MAC,
 * IPv6 (see raw_msg_init_ll6) and VRRPv3 over IPv4 (raw_msg_init_ll4);
 * the IPv4 ones leave first.  No event loop here: the engine decides when
 * to flush.
 */
#ifndef TXQ_H
#define TXQ_H

#include <stdbool.h>
#include <stddef.h>

#include "agent/raw.h"

#define TXQ_IP4		0
#define TXQ_IP6		1
#define TXQ_PKT6	2
#define TXQ_PKT4	3
#define TXQ_N		4

/* The queue's address family: AF_INET for TXQ_IP4 and TXQ_PKT4. */
int		 txq_family(int q);
/* The sockets the queues send on (-1: the queue cannot send). */
void		 txq_set_fd(int q, int fd);
int		 txq_fd(int q);
/*
 * A slot for one more message on queue q, sent on behalf of who (not
 * NULL); fill it (raw_msg_init*), then txq_commit() it, or leave it.
 */
struct raw_msg	*txq_slot(int q);
void		 txq_commit(int q, void *who);
/* Messages queued and not yet reported, on all queues. */
size_t		 txq_pending(void);
/*
 * Send what is queued and not sent yet.  Each failure is passed to
 * failed (may be NULL) with the destination.  Returns true if any send
 * failed.
 */
bool		 txq_send(void (*failed)(void *who, const struct carp_addr *dst,
		    int err));
/*
 * Report each sent message's outcome to done(who, family, err), in order,
 * and drop it.  done may queue more: those stay queued.  Returns true if
 * messages are still waiting to be sent.
 */
bool		 txq_report(void (*done)(void *who, int family, int err));
/* who goes away: its queued messages still leave, unreported. */
void		 txq_forget(const void *who);
void		 txq_free(void);

#endif /* TXQ_H */
