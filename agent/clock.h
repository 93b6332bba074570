/*
 * clock.h: the daemon's clocks.  carp/ never reads a clock; the agent
 * reads both here, and nowhere else.
 */
#ifndef CLOCK_H
#define CLOCK_H

#include "carp/carp.h"

/* The monotonic and the wall clock, now. */
struct carp_time clock_now(void);
/* The monotonic clock alone, in microseconds: one read instead of two. */
uint64_t	 clock_mono_us(void);

#endif /* CLOCK_H */
