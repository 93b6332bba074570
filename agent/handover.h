/*
 * handover.h: a graceful stop's hand-over.  The addresses of a VHID we
 * bowed out of are kept until its backup's first advert is heard (or
 * HANDOVER_MS), so the address always has a holder answering for it
 * while the backup takes over.  Which VHID is whose is the caller's: it
 * is named by an opaque pointer and released through the callback.
 */
#ifndef HANDOVER_H
#define HANDOVER_H

#include <stdbool.h>
#include <stdint.h>

#define HANDOVER_MS	500	/* longest wait for the backup */

struct event_base;

void	 handover_init(struct event_base *, void (*release)(void *who));
/* Keep who's addresses until its backup speaks (or the wait ends). */
void	 handover_add(unsigned int ifindex, uint8_t vhid, void *who);
/* The bow-outs have left: start the wait, if anything is kept. */
void	 handover_start(void);
/* An advert for (ifindex, vhid) was accepted: release that one. */
void	 handover_heard(unsigned int ifindex, uint8_t vhid);
/* who goes away: release it now. */
void	 handover_forget(const void *who);
/* Addresses still kept. */
bool	 handover_pending(void);
/* Release everything kept, and stop the wait. */
void	 handover_free(void);

#endif /* HANDOVER_H */
