/*
 * control.h: the one path for administrative actions.
 *
 * HTTP, the control socket (control_sock.h; served by exporters/http.c)
 * and SNMP SETs all end here: the engine acts, one audit log line is
 * written (origin, action, target, reason, before and after), the state
 * file is saved atomically, and the dispatcher (dispatch.c: SNMP
 * notifications) hears of it.  Repeating an action changes
 * nothing and returns 0.
 */
#ifndef CONTROL_H
#define CONTROL_H

#include <stdbool.h>
#include <stdint.h>

#include "agent/ledger.h"
#include "carp/carp.h"

enum ctl_action {
	CTL_DEMOTE,
	CTL_PROMOTE,
	CTL_MAINTENANCE_ON,
	CTL_MAINTENANCE_OFF,
	CTL_DEMOTION,
	CTL_ACTION_MAX
};
extern const char *const ctl_action_names[CTL_ACTION_MAX];

/*
 * Load the state file (NULL: none) and remember it.  Returns -1 when it
 * exists but cannot be read or is invalid: carpd then refuses to start.
 */
int		 ctl_init(const char *state_file);
/* Apply the loaded state to the engine's VHIDs (after eng_init, reload). */
void		 ctl_restore(void);
/* Change the state file's path (reload); the state stays. */
void		 ctl_set_path(const char *state_file);
void		 ctl_free(void);

/*
 * The actions.  Each returns 1 if it changed something, 0 if it was
 * already in effect, -1 if the state file could not be written (the
 * action itself took effect; errno says why) or the request is invalid
 * (EINVAL).  by names who acted, for the audit line ("uid=0 pid=42",
 * "client=192.0.2.1"), or is NULL; the audit line ends with it.
 */
#define CTL_BY_LEN	512
int		 ctl_vhid_demote(struct carp_vhid *, const char *reason,
		    const char *origin, const char *by);
int		 ctl_vhid_promote(struct carp_vhid *, bool force_master,
		    const char *reason, const char *origin, const char *by);
/*
 * Maintenance: soft (hold false: the ledger entry CTL_MAINT_ENTRY, weight
 * 240, and a hand-over; the node is still the last resort) or held (the
 * engine's maintenance: every VHID held in BACKUP); off lifts either.
 * Switching between soft and hold is a change (1).
 */
#define CTL_MAINT_ENTRY	"maintenance"
enum ctl_maint_mode {
	CTL_MAINT_OFF,
	CTL_MAINT_SOFT,
	CTL_MAINT_HOLD
};
int		 ctl_maintenance(bool on, bool hold, const char *reason,
		    const char *origin, const char *by);
enum ctl_maint_mode ctl_maintenance_mode(void);
int		 ctl_demotion(int value, const char *reason, const char *origin,
		    const char *by);


/*
 * The demotion ledger (agent/ledger.h) in the daemon: its clock is the
 * engine's, its sum the engine's administrative demotion, each change one
 * audit line, an event (dispatch_ledger) and, for a persistent entry, a
 * save of the state file.  ctl_init() sets it up, ctl_restore() fills it
 * (the state file's entries, the configured starting demotion as the
 * entry "config"), ctl_timer_init() arms the expiry timer.
 */
struct event_base;
void		 ctl_timer_init(struct event_base *);
/*
 * An entry from an administrator (source api): expires_in seconds, 0
 * never.  Returns as ledger_set(); the audit line names channel ("socket",
 * "http") and by.
 */
int		 ctl_ledger_set(const char *name, int weight, const char *reason,
		    int64_t expires_in, bool persist, enum ledger_source,
		    const char *channel, const char *by);
int		 ctl_ledger_del(const char *name, enum ledger_source,
		    const char *channel, const char *by);
/* Copy the engine's automatic demotions into the ledger (dispatch_flush). */
void		 ctl_ledger_sync(void);

/* The administrative state as set and saved, with since and by. */
struct state;
const struct state *ctl_state(void);

#endif /* CONTROL_H */
