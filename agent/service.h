/*
 * service.h: carpd's side of the service manager (sd_notify(3)): READY=1,
 * STATUS= with the VHIDs' states, and WATCHDOG=1 from the event loop.
 * Every call is a no-op when carpd does not run under systemd.
 */
#ifndef SERVICE_H
#define SERVICE_H

#include <stdbool.h>

struct event_base;

/* Once the engine runs: status now, READY and the watchdog's timer. */
void	service_init(struct event_base *);
/*
 * STATUS= "3 MASTER, 1 BACKUP" (and INIT when any); READY=1 the first
 * time no VHID is left in INIT, or when forced.  Nothing before
 * service_init().
 */
void	service_status(bool force_ready);
void	service_free(void);

#endif /* SERVICE_H */
