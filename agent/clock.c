/*
 * clock.c: the daemon's clocks.
 */
#include <time.h>

#include "agent/clock.h"

struct carp_time
clock_now(void)
{
	struct timespec	 m, w;
	struct carp_time t;

	clock_gettime(CLOCK_MONOTONIC, &m);
	clock_gettime(CLOCK_REALTIME, &w);
	t.mono_us = (uint64_t)m.tv_sec * 1000000 + (uint64_t)m.tv_nsec / 1000;
	t.wall_us = (int64_t)w.tv_sec * 1000000 + w.tv_nsec / 1000;
	return t;
}

uint64_t
clock_mono_us(void)
{
	struct timespec	 m;

	clock_gettime(CLOCK_MONOTONIC, &m);
	return (uint64_t)m.tv_sec * 1000000 + (uint64_t)m.tv_nsec / 1000;
}
