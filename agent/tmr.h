/*
 * tmr.h: the VHIDs' timers on the host.  The engine asks for one timer
 * per VHID at an absolute monotonic time (CARP_ACT_TIMER); this decides
 * when the host's timer is really armed (a grid for far deadlines, a
 * timer already due earlier is kept), and which MASTERs' adverts leave
 * together (the early join when a timer fires, the alignment after a
 * take-over).  The policy only: the clock, the timer facility and the
 * count of queued adverts come from a backend, libevent's and
 * clock_now() in carpd (agent/engine.c), a fake clock in
 * tests/unit/test_tmr.c.
 */
#ifndef TMR_H
#define TMR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "carp/carp.h"

#define TMR_GRID_US	250000	/* early checks of far deadlines share wake-ups */
#define TMR_EXACT_US	1000000	/* nearer deadlines armed exactly */
#define TMR_EARLY_US	10000	/* adverts due this soon leave together */

/* One VHID's timer.  Zeroed by the owner, then tmr_add(). */
struct tmr_slot {
	struct carp_vhid	*vh;	/* set by tmr_set() */
	void			*impl;	/* the backend's (carpd: the event) */
	uint64_t		 at;	/* when the host's timer fires; 0: not */
	bool			 aligning; /* took over: join the others */
	bool			 pulled;   /* drifted since it last fired */
	struct tmr_slot		*next;
};

struct tmr_backend {
	struct carp_time (*now)(void);
	/* Arm the slot's timer to fire in delay_us (re-arming replaces). */
	void		(*arm)(struct tmr_slot *, uint64_t delay_us);
	void		(*cancel)(struct tmr_slot *);
	bool		(*pending)(const struct tmr_slot *);
	/* Adverts queued so far (monotonic within a round). */
	size_t		(*queued)(void);
};

void	tmr_init(const struct tmr_backend *);
void	tmr_add(struct tmr_slot *);
void	tmr_remove(struct tmr_slot *);
/* CARP_ACT_TIMER: the VHID's timer at the absolute time at (0: none). */
void	tmr_set(struct tmr_slot *, struct carp_vhid *, uint64_t at);
/* The VHID took over: its first advert joins the others' (tmr_set). */
void	tmr_took_over(struct tmr_slot *);
/* The host's timer fired. */
void	tmr_fire(struct tmr_slot *);
/* How far an advert of interval ival_us may be pulled forward. */
uint64_t tmr_early_us(uint64_t ival_us);

#endif /* TMR_H */
