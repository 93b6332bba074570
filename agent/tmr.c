/*
 * tmr.c: the VHIDs' timers on the host (see tmr.h).
 */
#include <stddef.h>

#include "agent/tmr.h"

static struct {
	const struct tmr_backend	*be;
	struct tmr_slot			*slots;
} tmr;

static struct tmr_slot *tmr_anchor(uint64_t);
static void	tmr_drift(struct tmr_slot *, struct carp_time, uint64_t,
		    uint64_t);

void
tmr_init(const struct tmr_backend *be)
{
	tmr.be = be;
	tmr.slots = NULL;
}

void
tmr_add(struct tmr_slot *s)
{
	s->next = tmr.slots;
	tmr.slots = s;
}

void
tmr_remove(struct tmr_slot *s)
{
	struct tmr_slot	**sp;

	for (sp = &tmr.slots; *sp != NULL; sp = &(*sp)->next)
		if (*sp == s) {
			*sp = s->next;
			break;
		}
	s->next = NULL;
}

void
tmr_took_over(struct tmr_slot *s)
{
	s->aligning = true;
}

/*
 * An eighth of the interval at most: a VRRPv3 advert every 10 ms is not
 * pulled a whole interval early (its jitter stays within 1.25 ms); CARP's
 * intervals, 1 s and more, keep TMR_EARLY_US.
 */
uint64_t
tmr_early_us(uint64_t ival)
{
	return ival / 8 < TMR_EARLY_US ? ival / 8 : TMR_EARLY_US;
}

/*
 * The first advert after a take-over is armed: if other MASTERs with the
 * same interval advertise together up to half an interval before it, move
 * it forward to theirs (returns 1: re-armed through carp).  VHIDs whose
 * master-down timers ran out in successive rounds of a busy loop would
 * otherwise stay more than TMR_EARLY_US apart, two wake-ups and two
 * sendmmsg a second for good (064).  One interval is shortened, once;
 * more frequent adverts only delay the backups' deadlines.  Those less
 * than tmr_early_us() before it are left to the early join: with
 * TMR_EARLY_US there, a 10 ms VRRPv3 advert never found a group to
 * join, and 20 groups taking over 0.7 ms apart stayed in 7 wake-ups per
 * interval for good (test_tmr).
 */
static int
tmr_align(struct tmr_slot *s, uint64_t at)
{
	struct tmr_slot	*w;
	uint64_t	 ival, early, best = 0;

	s->aligning = false;
	if (carp_vhid_state(s->vh) != CARP_ST_MASTER)
		return 0;
	ival = carp_vhid_interval(s->vh);
	early = tmr_early_us(ival);
	for (w = tmr.slots; w != NULL; w = w->next) {
		if (w == s || w->aligning || w->at == 0 || w->vh == NULL ||
		    carp_vhid_state(w->vh) != CARP_ST_MASTER ||
		    carp_vhid_interval(w->vh) != ival ||
		    w->at + early > at || w->at + ival / 2 < at)
			continue;
		if (w->at > best)
			best = w->at;
	}
	return best != 0 &&
	    carp_vhid_advertise_at(s->vh, tmr.be->now(), best, ival) == 1;
}

/*
 * Arm (or cancel) a VHID's timer at an absolute monotonic time.  A BACKUP
 * pushes its master-down deadline back with every advert it hears; a
 * timer already due earlier is left alone: it fires early, the engine sees
 * the deadline has not come and asks again for the later one.  That saves
 * a timer reprogramming per received packet.  Those early checks of far
 * deadlines are also put on a grid of TMR_GRID_US, so the backups' timers
 * share wake-ups; a deadline within TMR_EXACT_US is armed exactly, so a
 * master that went silent is taken over on time.
 */
void
tmr_set(struct tmr_slot *s, struct carp_vhid *vh, uint64_t at)
{
	uint64_t	 now, arm = at;

	s->vh = vh;
	if (at == 0) {
		if (tmr.be->pending(s))
			tmr.be->cancel(s);
		s->at = 0;
		return;
	}
	if (s->at != 0 && s->at <= at && tmr.be->pending(s))
		return;
	if (s->aligning && tmr_align(s, at))
		return;
	now = tmr.be->now().mono_us;
	if (at > now + TMR_EXACT_US && carp_vhid_state(vh) == CARP_ST_BACKUP)
		arm = at - at % TMR_GRID_US;
	tmr.be->arm(s, arm > now ? arm - now : 0);
	s->at = arm;
}

/*
 * A VHID's timer fired.  When it was a MASTER's advert, the adverts of the
 * other MASTERs with the same interval due within tmr_early_us() go with
 * it, re-armed from the same instant: from then on they advertise
 * together, one wake-up and one sendmmsg for all, and the backups read
 * them as one batch.  Joining shortens one interval by at most that (a
 * VHID with another interval would be pulled forward every time: it is
 * left alone); a take-over is never early.  Rounds further apart drift
 * to the anchor's (tmr_drift).
 */
void
tmr_fire(struct tmr_slot *s)
{
	struct carp_time	 now = tmr.be->now();
	struct tmr_slot		*w, *anchor = NULL;
	uint64_t		 at, ival, early;
	size_t			 sent;
	bool			 was_master, with_anchor;

	s->at = 0;
	s->pulled = false;
	sent = tmr.be->queued();
	was_master = carp_vhid_state(s->vh) == CARP_ST_MASTER;
	carp_vhid_timeout(s->vh, now);
	if (carp_vhid_state(s->vh) != CARP_ST_MASTER ||
	    tmr.be->queued() == sent)
		return;
	ival = carp_vhid_interval(s->vh);
	early = tmr_early_us(ival);
	/* A take-over's round is aligned (tmr_align), not an anchor's. */
	if (was_master)
		with_anchor = (anchor = tmr_anchor(ival)) == s;
	else
		with_anchor = false;
	for (w = tmr.slots; w != NULL; w = w->next) {
		/* Pulled this interval: not once more. */
		if (w == s || w->at == 0 || w->at > now.mono_us + early ||
		    w->pulled)
			continue;
		/* Sent: its timer is re-armed, not left to fire for nothing. */
		at = w->at;
		w->at = 0;
		if (carp_vhid_advertise_early(w->vh, now, early, ival) == 0)
			w->at = at;
		else {
			w->pulled = false;
			if (w == anchor)
				with_anchor = true;
		}
	}
	if (with_anchor)
		tmr_drift(s, now, ival, early);
}

/*
 * The first MASTER with interval ival in the slots' order: the round it
 * advertises in is the one the others drift to.
 */
static struct tmr_slot *
tmr_anchor(uint64_t ival)
{
	struct tmr_slot	*w;

	for (w = tmr.slots; w != NULL; w = w->next)
		if (w->vh != NULL && carp_vhid_state(w->vh) == CARP_ST_MASTER &&
		    carp_vhid_interval(w->vh) == ival)
			return w;
	return NULL;
}

/*
 * The anchor's round just left: every other MASTER with the same interval
 * due before its next round is pulled tmr_early_us() forward, once an
 * interval, until it is within the early join's reach.  Without it, rounds
 * more than that apart stayed apart for good: 16 groups at 10 ms took
 * over in three rounds and advertised in three wake-ups (and three sendmmsg,
 * and the backups' three reads) an interval (tests/bench/vrrp.sh).  Only
 * the anchor's round pulls, so the rounds converge on it instead of
 * chasing each other, and no interval is shortened by more than
 * tmr_early_us() (the jitter an advert may have, +-2 ms at 10 ms).  A
 * round is at most an interval behind: it joins within eight intervals.
 */
static void
tmr_drift(struct tmr_slot *s, struct carp_time now, uint64_t ival,
    uint64_t early)
{
	struct tmr_slot	*w;

	for (w = tmr.slots; w != NULL; w = w->next) {
		if (w == s || w->pulled || w->at == 0 || w->vh == NULL ||
		    w->at <= now.mono_us + early ||
		    w->at >= now.mono_us + ival)
			continue;
		if (carp_vhid_advertise_at(w->vh, now, w->at - early,
		    ival) == 1)
			w->pulled = true;
	}
}
