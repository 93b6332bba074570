/*
 * service.c: the service manager's side (sd_notify(3)): READY=1 once no
 * VHID is left in INIT (or after SERVICE_READY_MAX seconds), STATUS= with
 * the VHIDs' states after every transition, WATCHDOG=1 from the event
 * loop itself.
 */
#include <sys/types.h>

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include <event2/event.h>
#include <systemd/sd-daemon.h>

#include "agent/engine.h"
#include "agent/log.h"
#include "agent/service.h"

/* READY=1 at the latest this long after the start, VHIDs in INIT or not. */
#define SERVICE_READY_MAX	10

static struct {
	bool		 started;
	bool		 notified_ready;
	struct event	*ready_ev;	/* READY=1 at the latest */
	struct event	*wd_ev;		/* WATCHDOG=1 */
} service;

static void	service_ready_cb(evutil_socket_t, short, void *);
static void	service_wd_cb(evutil_socket_t, short, void *);

/* Tell the service manager how many VHIDs are in which state. */
void
service_status(bool force_ready)
{
	struct carp_node	*n = eng_node();
	struct carp_vhid	*vh;
	size_t			 cnt[CARP_ST_MAX] = { 0 }, total = 0;
	char			 st[128];
	int			 len;

	if (!service.started)
		return;
	if (n != NULL)
		for (vh = carp_vhid_next(n, NULL); vh != NULL;
		    vh = carp_vhid_next(n, vh)) {
			cnt[carp_vhid_state(vh)]++;
			total++;
		}
	if (total == 0)
		len = snprintf(st, sizeof(st), "no VHID configured");
	else
		len = snprintf(st, sizeof(st), "%zu MASTER, %zu BACKUP",
		    cnt[CARP_ST_MASTER], cnt[CARP_ST_BACKUP]);
	if (cnt[CARP_ST_INIT] > 0 && len > 0 && (size_t)len < sizeof(st))
		snprintf(st + len, sizeof(st) - (size_t)len, ", %zu INIT",
		    cnt[CARP_ST_INIT]);
	if (!service.notified_ready &&
	    (force_ready || cnt[CARP_ST_INIT] == 0)) {
		service.notified_ready = true;
		sd_notifyf(0, "READY=1\nSTATUS=%s", st);
		if (service.ready_ev != NULL)
			event_del(service.ready_ev);
	} else
		sd_notifyf(0, "STATUS=%s", st);
}

/* A VHID still in INIT (its link is down) does not hold up the start. */
static void
service_ready_cb(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	(void)what;
	(void)arg;
	if (!service.notified_ready)
		log_warnx("VHIDs still in INIT after %d s: ready anyway",
		    SERVICE_READY_MAX);
	service_status(true);
}

/* Fired by the event loop itself: a hung engine stops the pings. */
static void
service_wd_cb(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	(void)what;
	(void)arg;
	sd_notify(0, "WATCHDOG=1");
}

/* Once the engine runs: status now, READY and the watchdog's timer. */
void
service_init(struct event_base *base)
{
	uint64_t	 usec = 0;
	struct timeval	 tv;

	service.started = true;
	tv.tv_sec = SERVICE_READY_MAX;
	tv.tv_usec = 0;
	if ((service.ready_ev = evtimer_new(base, service_ready_cb,
	    NULL)) != NULL)
		evtimer_add(service.ready_ev, &tv);
	service_status(false);
	if (sd_watchdog_enabled(0, &usec) <= 0 || usec == 0)
		return;
	/* Twice per period, as sd_watchdog_enabled(3) advises. */
	usec /= 2;
	tv.tv_sec = (time_t)(usec / 1000000);
	tv.tv_usec = (suseconds_t)(usec % 1000000);
	if ((service.wd_ev = event_new(base, -1, EV_PERSIST, service_wd_cb,
	    NULL)) == NULL || event_add(service.wd_ev, &tv) == -1) {
		log_warnx("cannot start the watchdog timer");
		return;
	}
	sd_notify(0, "WATCHDOG=1");
	log_info("watchdog: a ping every %ju ms",
	    (uintmax_t)(usec / 1000));
}

void
service_free(void)
{
	if (service.ready_ev != NULL)
		event_free(service.ready_ev);
	if (service.wd_ev != NULL)
		event_free(service.wd_ev);
	service.ready_ev = service.wd_ev = NULL;
	service.started = false;
}
