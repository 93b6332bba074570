/*
 * track.c: the trackers of track.h: their bookkeeping, on the time it is
 * given, and the event layer that runs the scripts, keeps the timers and
 * listens to the netlink monitor's link messages.
 */
#include <sys/types.h>
#include <sys/wait.h>

#include <net/if.h>

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <event2/event.h>

#include "agent/ledger.h"
#include "agent/log.h"
#include "agent/netlink.h"
#include "agent/notify.h"
#include "agent/track.h"
#include "agent/xmalloc.h"

#define TRACK_PATH	"PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:" \
			    "/usr/bin:/sbin:/bin"
#define TRACK_ORIGIN	"carpd"		/* the entries' origin */
#define TRACK_GATE	"startup"	/* the gate's name and entry */

const char *const track_kind_names[TRACK_KIND_MAX] = {
	"interface", "script", "startup"
};

const char *const track_result_names[TRACK_R_MAX] = {
	"none", "pass", "fail", "signal", "timeout", "error", "up", "down",
	"absent", "holding", "elapsed", "passed"
};

/* One tracker. */
struct tracker {
	struct track_info	 ti;
	char			**argv;		/* track-script */
	char			*command;	/* as written, for reloads */
	struct conf_track	 ct;		/* its line (strings: above) */
	unsigned int		 ifindex;	/* track-interface, 0: absent */
	/* A run under way, or the startup gate's deadline. */
	pid_t			 pid;		/* also its group; 0: none */
	int			 killed;	/* 0, SIGTERM or SIGKILL sent */
	struct carp_time	 started;
	uint64_t		 deadline_us;	/* startup: monotonic */
	char			*until;		/* startup: a track-script */
	struct event		*ev;		/* next run, timeout, deadline */
};

static struct tracker	**track_all;
static size_t		  track_n;
static struct event_base *track_base;
static struct event	 *track_sigchld;
static pid_t		 *track_orphans;	/* killed, to be reaped */
static size_t		  track_norphans;
static uint64_t		  track_changes = 1;

static struct carp_time	 track_clock(void);
static struct tracker	*track_find(enum track_kind, const char *);
static struct tracker	*track_new(enum track_kind, const char *, int,
			    struct carp_time);
static void		 track_delete(struct tracker *);
static enum ledger_source track_source(const struct tracker *);
static void		 track_set_conf(struct tracker *,
			    const struct conf_track *);
static void		 track_down(struct tracker *, const char *,
			    struct carp_time);
static void		 track_up(struct tracker *, const char *,
			    struct carp_time);
static void		 track_count(struct tracker *, enum track_result, int,
			    struct carp_time, struct carp_time);
static void		 track_gate_end(struct tracker *, enum track_result,
			    struct carp_time);
static void		 track_gate_start(const struct carpd_conf *,
			    struct carp_time);
static void		 track_add_conf(const struct carpd_conf *,
			    struct carp_time);
static void		 track_if_state(struct tracker *, bool, bool,
			    unsigned int, struct carp_time);
static void		 track_sync_links(struct carp_time);
static void		 track_schedule(struct tracker *, int64_t);
static void		 track_run(struct tracker *);
static void		 track_done(struct tracker *, int, struct carp_time);
static void		 track_timer_cb(evutil_socket_t, short, void *);
static void		 track_sigchld_cb(evutil_socket_t, short, void *);
static void		 track_nl_link(void *, const struct nl_link *, bool);
static void		 track_nl_resync(void *);

static const struct nl_cbs track_nl_cbs = {
	track_nl_link, NULL, track_nl_resync, NULL
};

static struct carp_time
track_clock(void)
{
	struct carp_time	 t;
	struct timespec		 ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	t.mono_us = (uint64_t)ts.tv_sec * 1000000 +
	    (uint64_t)ts.tv_nsec / 1000;
	clock_gettime(CLOCK_REALTIME, &ts);
	t.wall_us = (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
	return t;
}

static struct tracker *
track_find(enum track_kind kind, const char *name)
{
	size_t	 i;

	for (i = 0; i < track_n; i++)
		if (track_all[i]->ti.kind == kind &&
		    strcmp(track_all[i]->ti.name, name) == 0)
			return track_all[i];
	return NULL;
}

/* A new tracker, up (no entry), at the end of the list. */
static struct tracker *
track_new(enum track_kind kind, const char *name, int weight,
    struct carp_time now)
{
	struct tracker	*t;

	t = xcalloc(1, sizeof(*t));
	t->ti.kind = kind;
	snprintf(t->ti.name, sizeof(t->ti.name), "%s", name);
	if (kind == TRACK_STARTUP)
		snprintf(t->ti.entry, sizeof(t->ti.entry), "%s", name);
	else
		snprintf(t->ti.entry, sizeof(t->ti.entry), "track-%s:%s",
		    track_kind_names[kind], name);
	t->ti.up = true;
	t->ti.weight = weight;
	t->ti.since_us = now.wall_us;
	if (track_base != NULL &&
	    (t->ev = evtimer_new(track_base, track_timer_cb, t)) == NULL)
		log_warnx("%s: %s: no timer", __func__, t->ti.entry);
	track_all = xreallocarray(track_all, track_n + 1,
	    sizeof(*track_all));
	track_all[track_n++] = t;
	track_changes++;
	return t;
}

/* A tracker's line, copied (its strings too). */
static void
track_set_conf(struct tracker *t, const struct conf_track *ct)
{
	size_t	 i, n;

	t->ct = *ct;
	t->ct.ct_name = NULL;
	t->ct.ct_command = NULL;
	t->ct.ct_argv = NULL;
	t->ti.weight = ct->ct_weight;
	t->ti.interval = ct->ct_interval;
	t->ti.timeout = ct->ct_timeout;
	t->ti.rise = ct->ct_rise;
	t->ti.fall = ct->ct_fall;
	if (ct->ct_argv == NULL)
		return;
	for (n = 0; ct->ct_argv[n] != NULL; n++)
		;
	t->argv = xcalloc(n + 1, sizeof(*t->argv));
	for (i = 0; i < n; i++)
		t->argv[i] = xstrdup(ct->ct_argv[i]);
	t->command = xstrdup(ct->ct_command);
}

/*
 * Remove a tracker and its entry; a run under way is killed with its
 * group and reaped later.
 */
static void
track_delete(struct tracker *t)
{
	size_t	 i;

	if (t->pid > 0) {
		if (kill(-t->pid, SIGKILL) == -1 && errno == ESRCH)
			kill(t->pid, SIGKILL);
		track_orphans = xreallocarray(track_orphans,
		    track_norphans + 1, sizeof(*track_orphans));
		track_orphans[track_norphans++] = t->pid;
	}
	if (!t->ti.up)
		ledger_del(t->ti.entry, track_source(t), TRACK_ORIGIN);
	if (t->ev != NULL)
		event_free(t->ev);
	for (i = 0; t->argv != NULL && t->argv[i] != NULL; i++)
		free(t->argv[i]);
	free(t->argv);
	free(t->command);
	free(t->until);
	for (i = 0; i < track_n; i++)
		if (track_all[i] == t) {
			memmove(&track_all[i], &track_all[i + 1],
			    (track_n - i - 1) * sizeof(*track_all));
			track_n--;
			break;
		}
	free(t);
	track_changes++;
}

/* The ledger source of a tracker's entry. */
static enum ledger_source
track_source(const struct tracker *t)
{
	switch (t->ti.kind) {
	case TRACK_INTERFACE:
		return LEDGER_TRACK_INTERFACE;
	case TRACK_SCRIPT:
		return LEDGER_TRACK_SCRIPT;
	default:
		return LEDGER_STARTUP;
	}
}

/* Unhealthy: add the entry. */
static void
track_down(struct tracker *t, const char *reason, struct carp_time now)
{
	int64_t	 expires = 0;

	if (!t->ti.up)
		return;
	if (t->ti.kind == TRACK_STARTUP)
		expires = t->ti.expires_us / 1000000;
	t->ti.up = false;
	t->ti.since_us = now.wall_us;
	t->ti.transitions++;
	track_changes++;
	log_notice("%s down (%s): demotion +%d", t->ti.entry, reason,
	    t->ti.weight);
	if (ledger_set(t->ti.entry, track_source(t), t->ti.weight, reason,
	    expires, false, TRACK_ORIGIN) == -1)
		log_warn("%s: ledger entry %s", __func__, t->ti.entry);
}

/* Healthy again: remove the entry. */
static void
track_up(struct tracker *t, const char *reason, struct carp_time now)
{
	if (t->ti.up)
		return;
	t->ti.up = true;
	t->ti.since_us = now.wall_us;
	t->ti.transitions++;
	track_changes++;
	log_notice("%s up (%s): demotion -%d", t->ti.entry, reason,
	    t->ti.weight);
	if (ledger_del(t->ti.entry, track_source(t), TRACK_ORIGIN) == -1)
		log_warn("%s: ledger entry %s", __func__, t->ti.entry);
}

/*
 * Count one result of a script: fall failures in a row take it down, rise
 * passes in a row bring it up; its first pass opens a startup gate that
 * waits for it.
 */
static void
track_count(struct tracker *t, enum track_result r, int code,
    struct carp_time started, struct carp_time now)
{
	struct tracker	*g;
	char		 why[128];

	t->ti.result = r;
	t->ti.code = code;
	t->ti.runs++;
	t->ti.last_run_us = now.wall_us;
	t->ti.duration_us = now.mono_us >= started.mono_us ?
	    (int64_t)(now.mono_us - started.mono_us) : 0;
	track_changes++;
	if (r == TRACK_R_PASS) {
		t->ti.failures = 0;
		if (t->ti.passes < CONF_TRACK_MAX_COUNT)
			t->ti.passes++;
		if (!t->ti.up && t->ti.passes >= t->ti.rise) {
			snprintf(why, sizeof(why), "%d pass%s in a row",
			    t->ti.passes, t->ti.passes == 1 ? "" : "es");
			track_up(t, why, now);
		}
		if ((g = track_find(TRACK_STARTUP, TRACK_GATE)) != NULL &&
		    g->until != NULL && strcmp(g->until, t->ti.name) == 0)
			track_gate_end(g, TRACK_R_PASSED, now);
		return;
	}
	t->ti.passes = 0;
	if (t->ti.failures < CONF_TRACK_MAX_COUNT)
		t->ti.failures++;
	t->ti.nfailed++;
	if (r == TRACK_R_TIMEOUT)
		t->ti.ntimeouts++;
	if (t->ti.up && t->ti.failures >= t->ti.fall) {
		switch (r) {
		case TRACK_R_FAIL:
			snprintf(why, sizeof(why), "exit status %d", code);
			break;
		case TRACK_R_SIGNAL:
			snprintf(why, sizeof(why), "killed by signal %d",
			    code);
			break;
		case TRACK_R_TIMEOUT:
			snprintf(why, sizeof(why), "timed out after %d s",
			    t->ti.timeout);
			break;
		default:
			snprintf(why, sizeof(why), "cannot run %s: %s",
			    t->argv != NULL ? t->argv[0] : "it",
			    strerror(code));
			break;
		}
		snprintf(why + strlen(why), sizeof(why) - strlen(why),
		    ", %d failure%s in a row", t->ti.failures,
		    t->ti.failures == 1 ? "" : "s");
		track_down(t, why, now);
	}
}

/* A script's run ended; see track.h. */
void
track_result(const char *name, int status, int code, bool timed_out,
    struct carp_time started, struct carp_time now)
{
	struct tracker	*t;

	if ((t = track_find(TRACK_SCRIPT, name)) == NULL)
		return;
	if (status == -1)
		track_count(t, TRACK_R_ERROR, code, started, now);
	else if (timed_out)
		track_count(t, TRACK_R_TIMEOUT, WIFSIGNALED(status) ?
		    WTERMSIG(status) : 0, started, now);
	else if (WIFEXITED(status))
		track_count(t, WEXITSTATUS(status) == 0 ? TRACK_R_PASS :
		    TRACK_R_FAIL, WEXITSTATUS(status), started, now);
	else
		track_count(t, TRACK_R_SIGNAL, WIFSIGNALED(status) ?
		    WTERMSIG(status) : 0, started, now);
}

/* The startup gate ends: its time passed, or its script passed. */
static void
track_gate_end(struct tracker *g, enum track_result why,
    struct carp_time now)
{
	char	 reason[96];

	if (g->ti.up)
		return;
	g->ti.result = why;
	if (why == TRACK_R_PASSED)
		snprintf(reason, sizeof(reason), "track-script %s passed",
		    g->until != NULL ? g->until : "?");
	else if (why == TRACK_R_ELAPSED)
		snprintf(reason, sizeof(reason), "%d s since start",
		    g->ct.ct_interval);
	else
		snprintf(reason, sizeof(reason), "removed from the "
		    "configuration");
	track_up(g, reason, now);
	g->ti.expires_us = 0;
	if (g->ev != NULL)
		evtimer_del(g->ev);
}

/* The startup gate, at start: down until its time or its script. */
static void
track_gate_start(const struct carpd_conf *conf, struct carp_time now)
{
	struct tracker	*g;
	struct timeval	 tv;
	char		 reason[96];

	if (conf->startup_weight <= 0)
		return;
	g = track_new(TRACK_STARTUP, TRACK_GATE, conf->startup_weight,
	    now);
	g->ct.ct_interval = conf->startup_secs;	/* for the log */
	g->ti.interval = conf->startup_secs;
	g->ti.result = TRACK_R_GATE;
	g->deadline_us = now.mono_us + (uint64_t)conf->startup_secs * 1000000;
	g->ti.expires_us = now.wall_us + (int64_t)conf->startup_secs * 1000000;
	if (conf->startup_until != NULL) {
		g->until = xstrdup(conf->startup_until);
		snprintf(reason, sizeof(reason), "just started: for %d s or "
		    "until track-script %s passes", conf->startup_secs,
		    conf->startup_until);
	} else
		snprintf(reason, sizeof(reason), "just started: for %d s",
		    conf->startup_secs);
	track_down(g, reason, now);
	if (g->ev != NULL) {
		tv.tv_sec = conf->startup_secs;
		tv.tv_usec = 0;
		evtimer_add(g->ev, &tv);
	}
}

/* The startup gate's clock; see track.h. */
void
track_tick(struct carp_time now)
{
	struct tracker	*g;

	if ((g = track_find(TRACK_STARTUP, TRACK_GATE)) != NULL &&
	    !g->ti.up && now.mono_us >= g->deadline_us)
		track_gate_end(g, TRACK_R_ELAPSED, now);
}

/* Add the trackers of conf that are not there yet, in its order. */
static void
track_add_conf(const struct carpd_conf *conf, struct carp_time now)
{
	const struct conf_track	*ct;
	struct tracker		*t;
	size_t			 i;

	for (i = 0; i < conf->ntracks; i++) {
		ct = &conf->tracks[i];
		if (track_find(ct->ct_kind == CONF_TRACK_IF ? TRACK_INTERFACE :
		    TRACK_SCRIPT, ct->ct_name) != NULL)
			continue;
		t = track_new(ct->ct_kind == CONF_TRACK_IF ? TRACK_INTERFACE :
		    TRACK_SCRIPT, ct->ct_name, ct->ct_weight, now);
		track_set_conf(t, ct);
		if (t->ti.kind == TRACK_SCRIPT)
			track_schedule(t, 0);
	}
}

/* Start tracking; see track.h. */
int
track_init(struct event_base *base, const struct carpd_conf *conf,
    struct carp_time now)
{
	if (base != NULL) {
		track_sigchld = evsignal_new(base, SIGCHLD, track_sigchld_cb,
		    NULL);
		if (track_sigchld == NULL ||
		    evsignal_add(track_sigchld, NULL) == -1) {
			log_warnx("%s: cannot watch SIGCHLD", __func__);
			if (track_sigchld != NULL)
				event_free(track_sigchld);
			track_sigchld = NULL;
			return -1;
		}
		track_base = base;
		nl_monitor_watch(&track_nl_cbs);
	}
	track_gate_start(conf, now);
	track_add_conf(conf, now);
	if (track_base != NULL)
		track_sync_links(now);
	return 0;
}

/* A new configuration; see track.h. */
void
track_reload(const struct carpd_conf *conf, struct carp_time now)
{
	const struct conf_track	*ct;
	struct tracker		*t, *g;
	size_t			 i;
	bool			 links = false;

	for (i = track_n; i-- > 0; ) {
		t = track_all[i];
		if (t->ti.kind == TRACK_STARTUP)
			continue;
		ct = conf_track_find(conf, t->ti.kind == TRACK_INTERFACE ?
		    CONF_TRACK_IF : CONF_TRACK_SCRIPT, t->ti.name);
		if (ct != NULL) {
			t->ct.ct_name = t->ti.name;
			t->ct.ct_command = t->command;
			if (conf_track_equal(&t->ct, ct)) {
				t->ct.ct_line = ct->ct_line;
				continue;
			}
			log_info("%s changed: starts again", t->ti.entry);
		} else
			log_info("%s removed", t->ti.entry);
		track_delete(t);
	}
	for (i = 0; i < conf->ntracks; i++)
		if (conf->tracks[i].ct_kind == CONF_TRACK_IF &&
		    track_find(TRACK_INTERFACE,
		    conf->tracks[i].ct_name) == NULL)
			links = true;
	track_add_conf(conf, now);
	if (links && track_base != NULL)
		track_sync_links(now);

	/* The gate never starts again; it ends if it is gone. */
	if ((g = track_find(TRACK_STARTUP, TRACK_GATE)) == NULL)
		return;
	if (conf->startup_weight <= 0) {
		track_gate_end(g, TRACK_R_MAX, now);
		track_delete(g);
		return;
	}
	free(g->until);
	g->until = conf->startup_until != NULL ?
	    xstrdup(conf->startup_until) : NULL;
	if (!g->ti.up && g->ti.weight != conf->startup_weight) {
		g->ti.weight = conf->startup_weight;
		if (ledger_set(g->ti.entry, LEDGER_STARTUP, g->ti.weight,
		    "just started", g->ti.expires_us / 1000000, false,
		    TRACK_ORIGIN) == -1)
			log_warn("%s: ledger entry %s", __func__,
			    g->ti.entry);
	}
	g->ti.weight = conf->startup_weight;
	track_changes++;
}

/* Stop; see track.h. */
void
track_free(void)
{
	struct tracker	*t;
	pid_t		 pid;
	int		 status;

	while (track_n > 0) {
		t = track_all[track_n - 1];
		track_delete(t);
	}
	free(track_all);
	track_all = NULL;
	/* SIGKILLed groups: their leaders go at once. */
	while (track_norphans > 0) {
		pid = track_orphans[--track_norphans];
		while (waitpid(pid, &status, 0) == -1 && errno == EINTR)
			;
	}
	free(track_orphans);
	track_orphans = NULL;
	if (track_sigchld != NULL)
		event_free(track_sigchld);
	track_sigchld = NULL;
	if (track_base != NULL)
		nl_monitor_watch(NULL);
	track_base = NULL;
}

/* An interface's state: absent, down or up. */
static void
track_if_state(struct tracker *t, bool exists, bool up, unsigned int ifindex,
    struct carp_time now)
{
	enum track_result	 r;

	r = !exists ? TRACK_R_ABSENT : up ? TRACK_R_LINK_UP :
	    TRACK_R_LINK_DOWN;
	t->ifindex = exists ? ifindex : 0;
	if (t->ti.result != r || t->ti.runs == 0) {
		t->ti.runs++;
		t->ti.result = r;
		t->ti.last_run_us = now.wall_us;
		if (r != TRACK_R_LINK_UP) {
			t->ti.nfailed++;
			t->ti.failures = 1;
			t->ti.passes = 0;
		} else {
			t->ti.failures = 0;
			t->ti.passes = 1;
		}
		track_changes++;
	}
	if (r == TRACK_R_LINK_UP)
		track_up(t, "link up", now);
	else if (r == TRACK_R_ABSENT) {
		if (t->ti.up)
			log_warnx("track-interface %s: no such interface, "
			    "counted as down", t->ti.name);
		track_down(t, "no such interface", now);
	} else
		track_down(t, "link down", now);
}

/* A link message; see track.h. */
void
track_link(const struct nl_link *l, bool deleted, struct carp_time now)
{
	struct tracker	*t;
	size_t		 i;

	for (i = 0; i < track_n; i++) {
		t = track_all[i];
		if (t->ti.kind != TRACK_INTERFACE)
			continue;
		if (strcmp(l->name, t->ti.name) == 0)
			track_if_state(t, !deleted, l->up, l->ifindex, now);
		else if (t->ifindex != 0 && t->ifindex == l->ifindex)
			/* Deleted, or renamed away. */
			track_if_state(t, false, false, 0, now);
	}
}

/* Every link again: at start, after a reload, after an overrun. */
static void
track_sync_links(struct carp_time now)
{
	struct nl_link	*list = NULL;
	struct tracker	*t;
	size_t		 n = 0, i, j;

	for (i = 0; i < track_n; i++)
		if (track_all[i]->ti.kind == TRACK_INTERFACE)
			break;
	if (i == track_n || nl_link_list(&list, &n) == -1)
		return;
	for (i = 0; i < track_n; i++) {
		t = track_all[i];
		if (t->ti.kind != TRACK_INTERFACE)
			continue;
		for (j = 0; j < n; j++)
			if (strcmp(list[j].name, t->ti.name) == 0)
				break;
		if (j < n)
			track_if_state(t, true, list[j].up, list[j].ifindex,
			    now);
		else
			track_if_state(t, false, false, 0, now);
	}
	free(list);
}

static void
track_nl_link(void *arg, const struct nl_link *l, bool deleted)
{
	(void)arg;
	track_link(l, deleted, track_clock());
}

static void
track_nl_resync(void *arg)
{
	(void)arg;
	track_sync_links(track_clock());
}

/* Arm a tracker's timer for delay_us from now. */
static void
track_schedule(struct tracker *t, int64_t delay_us)
{
	struct timeval	 tv;

	if (t->ev == NULL)
		return;
	if (delay_us < 0)
		delay_us = 0;
	tv.tv_sec = delay_us / 1000000;
	tv.tv_usec = delay_us % 1000000;
	evtimer_add(t->ev, &tv);
}

/* Start one run of a script, never waiting for it. */
static void
track_run(struct tracker *t)
{
	char		*envp[3];
	struct carp_time now = track_clock();
	pid_t		 pid = -1;
	int		 rc;

	xasprintf(&envp[0], "CARP_TRACK=%s", t->ti.name);
	envp[1] = xstrdup(TRACK_PATH);
	envp[2] = NULL;
	rc = notify_spawn(&pid, t->argv[0], t->argv, envp);
	free(envp[0]);
	free(envp[1]);
	t->started = now;
	if (rc != 0) {
		if (t->ti.result != TRACK_R_ERROR)
			log_warnx("%s: cannot run %s: %s", t->ti.entry,
			    t->argv[0], strerror(rc));
		track_result(t->ti.name, -1, rc, false, now, now);
		track_schedule(t, (int64_t)t->ti.interval * 1000000);
		return;
	}
	t->pid = pid;
	t->killed = 0;
	t->ti.running = true;
	track_changes++;
	log_debug("%s: pid %ld", t->ti.entry, (long)pid);
	track_schedule(t, (int64_t)t->ti.timeout * 1000000);
}

/*
 * Its run ended: count it and arm the next one, interval after this one
 * started (at once if it ran longer).
 */
static void
track_done(struct tracker *t, int status, struct carp_time now)
{
	struct carp_time	 started = t->started;
	uint64_t		 next;
	bool			 timed_out = t->killed != 0;

	if (timed_out)
		kill(-t->pid, SIGKILL);	/* what it left in its group */
	t->pid = 0;
	t->killed = 0;
	t->ti.running = false;
	if (t->ev != NULL)
		evtimer_del(t->ev);
	track_result(t->ti.name, status, status == -1 ? ECHILD : 0,
	    timed_out, started, now);
	next = started.mono_us + (uint64_t)t->ti.interval * 1000000;
	track_schedule(t, next > now.mono_us ? (int64_t)(next - now.mono_us) :
	    0);
}

/*
 * A tracker's timer: the next run of an idle script, the timeout of a
 * running one (SIGTERM to its group, then SIGKILL), or the end of the
 * startup gate.
 */
static void
track_timer_cb(evutil_socket_t fd, short what, void *arg)
{
	struct tracker	*t = arg;

	(void)fd;
	(void)what;
	if (t->ti.kind == TRACK_STARTUP) {
		track_tick(track_clock());
		return;
	}
	if (t->ti.kind != TRACK_SCRIPT)
		return;
	if (t->pid == 0) {
		track_run(t);
		return;
	}
	if (t->killed == 0) {
		if (kill(-t->pid, SIGTERM) == -1 && errno == ESRCH)
			kill(t->pid, SIGTERM);
		t->killed = SIGTERM;
		/* Once while it is up; then each one only with -v. */
		if (t->ti.up)
			log_info("%s: timed out after %d s, killed",
			    t->ti.entry, t->ti.timeout);
		else
			log_debug("%s: timed out after %d s, killed",
			    t->ti.entry, t->ti.timeout);
		track_schedule(t, TRACK_KILL_GRACE * 1000000);
	} else if (t->killed == SIGTERM) {
		if (kill(-t->pid, SIGKILL) == -1 && errno == ESRCH)
			kill(t->pid, SIGKILL);
		t->killed = SIGKILL;
		log_warnx("%s: still running %d s after SIGTERM, sent "
		    "SIGKILL", t->ti.entry, TRACK_KILL_GRACE);
	}
}

/* Reap our own children (never another module's). */
static void
track_sigchld_cb(evutil_socket_t fd, short what, void *arg)
{
	struct tracker	*t;
	struct carp_time now = track_clock();
	pid_t		 pid;
	size_t		 i;
	int		 status;

	(void)fd;
	(void)what;
	(void)arg;
	for (i = 0; i < track_n; i++) {
		t = track_all[i];
		if (t->pid <= 0)
			continue;
		do
			pid = waitpid(t->pid, &status, WNOHANG);
		while (pid == -1 && errno == EINTR);
		if (pid == t->pid)
			track_done(t, status, now);
		else if (pid == -1 && errno == ECHILD)
			track_done(t, -1, now);
	}
	for (i = 0; i < track_norphans; ) {
		pid = waitpid(track_orphans[i], &status, WNOHANG);
		if (pid == track_orphans[i] || (pid == -1 && errno == ECHILD))
			track_orphans[i] = track_orphans[--track_norphans];
		else
			i++;
	}
}

/* Read; see track.h. */
size_t
track_list(struct track_info *out, size_t max)
{
	size_t	 i;

	for (i = 0; i < track_n && i < max; i++)
		out[i] = track_all[i]->ti;
	return track_n;
}

uint64_t
track_gen(void)
{
	return track_changes;
}
