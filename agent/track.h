/*
 * track.h: health tracking, the trackers of carpd.conf(5) that add and
 * remove demotion ledger entries (agent/ledger.h):
 *
 *   track-interface IFNAME [weight N]
 *	another NIC's link, from the netlink monitor's stream (a hook in
 *	netlink.c, no polling): down, or absent, holds the entry
 *	"track-interface:IFNAME" (source track-interface); up removes it.
 *   track-script NAME "COMMAND" [interval S] [timeout S] [rise N] [fall N]
 *	[weight N]
 *	a command run every interval without a shell, as the notify script
 *	is (notify_spawn(): no capability, own process group, stdin
 *	/dev/null), its whole group killed at the timeout.  fall failures
 *	in a row (a non-zero exit, a signal, the timeout, or a command that
 *	cannot start) add "track-script:NAME" (source track-script), rise
 *	passes in a row remove it.  One run at a time per tracker; the event
 *	loop never waits for one.
 *   startup-demotion WEIGHT for SECONDS [or until NAME]
 *	OpenBSD's boot gate: the entry "startup" (source startup) from
 *	start until SECONDS have passed or the track-script NAME first
 *	passes.  It shows as a tracker of kind startup, down while it holds.
 *
 * The bookkeeping (track_result(), track_link(), track_tick()) takes the
 * time as an argument, so the unit tests drive it on a fake clock; the
 * event layer (track_init() with an event base) runs the scripts and the
 * timers and calls the same functions.
 */
#ifndef TRACK_H
#define TRACK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "agent/conf.h"
#include "carp/carp.h"

struct event_base;
struct nl_link;

/* What a tracker is. */
enum track_kind {
	TRACK_INTERFACE,	/* track-interface */
	TRACK_SCRIPT,		/* track-script */
	TRACK_STARTUP,		/* startup-demotion */
	TRACK_KIND_MAX
};

/* The last result. */
enum track_result {
	TRACK_R_NONE,		/* nothing yet */
	TRACK_R_PASS,		/* exit status 0 */
	TRACK_R_FAIL,		/* exit status not 0 (track_info.code) */
	TRACK_R_SIGNAL,		/* killed by signal code */
	TRACK_R_TIMEOUT,	/* ran past its timeout, killed */
	TRACK_R_ERROR,		/* could not start (code: errno) */
	TRACK_R_LINK_UP,	/* the link is up and running */
	TRACK_R_LINK_DOWN,	/* down, or no carrier */
	TRACK_R_ABSENT,		/* no such interface */
	TRACK_R_GATE,		/* startup: the gate holds */
	TRACK_R_ELAPSED,	/* startup: the time passed */
	TRACK_R_PASSED,		/* startup: its track-script passed */
	TRACK_R_MAX
};

extern const char *const track_kind_names[TRACK_KIND_MAX];
extern const char *const track_result_names[TRACK_R_MAX];

#define TRACK_NAMELEN	32	/* CONF_TRACK_NAMELEN, >= IF_NAMESIZE */
#define TRACK_ENTRYLEN	(TRACK_NAMELEN + 16)	/* "track-script:NAME" */
#define TRACK_KILL_GRACE 1	/* seconds from SIGTERM to SIGKILL */

/* One tracker as the read model shows it (agent/snap.h). */
struct track_info {
	char		 name[TRACK_NAMELEN];	/* NAME, IFNAME or "startup" */
	char		 entry[TRACK_ENTRYLEN];	/* its ledger entry's name */
	enum track_kind	 kind;
	bool		 up;		/* healthy: no ledger entry */
	bool		 running;	/* a script run under way */
	int		 weight;	/* the entry's weight while down */
	enum track_result result;	/* the last result */
	int		 code;		/* exit status, signal or errno */
	int64_t		 last_run_us;	/* wall: the last result, 0: none */
	int64_t		 duration_us;	/* the last run's */
	int64_t		 since_us;	/* wall: the last up/down change */
	int64_t		 expires_us;	/* startup: wall, when it ends */
	int		 passes;	/* in a row */
	int		 failures;	/* in a row */
	int		 interval;	/* track-script, seconds */
	int		 timeout;
	int		 rise;
	int		 fall;
	uint64_t	 runs;		/* results counted, ever */
	uint64_t	 nfailed;	/* failed results, ever */
	uint64_t	 ntimeouts;	/* of which timeouts */
	uint64_t	 transitions;	/* up/down changes */
};

/*
 * Start tracking what conf says at time now; with an event base, scripts
 * are run and interfaces read from netlink, without one (the unit
 * tests) only the bookkeeping runs.  Returns 0 or -1 (logged).
 */
int	track_init(struct event_base *, const struct carpd_conf *,
	    struct carp_time now);
/*
 * A new configuration: unchanged trackers keep their state, changed ones
 * start again (up), removed ones take their entry with them.  The startup
 * gate does not start again; removed, it ends.
 */
void	track_reload(const struct carpd_conf *, struct carp_time now);
/* Stop: kill running scripts' groups, reap them, remove every entry. */
void	track_free(void);

/*
 * A script run ended: status as waitpid() gives it, or -1 and errno in
 * code when it could not start; timed_out when carpd killed it.
 */
void	track_result(const char *name, int status, int code, bool timed_out,
	    struct carp_time started, struct carp_time now);
/* A link message (the netlink hook; also at start and on resync). */
void	track_link(const struct nl_link *, bool deleted, struct carp_time now);
/* The startup gate's clock. */
void	track_tick(struct carp_time now);

/* Read: the number of trackers, and up to max of them into out. */
size_t	track_list(struct track_info *out, size_t max);
/* Grows whenever anything track_list() shows changes. */
uint64_t track_gen(void);

#endif /* TRACK_H */
