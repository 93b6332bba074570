/*
 * notify.c: the notify-script, run asynchronously on each VHID state
 * transition (see notify.h).
 */
#include <sys/types.h>
#include <sys/prctl.h>
#include <sys/queue.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <linux/capability.h>

#include <arpa/inet.h>
#include <netinet/in.h>

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <event2/event.h>

#include "agent/log.h"
#include "agent/notify.h"
#include "agent/xmalloc.h"

#define NOTIFY_PATH	"PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:" \
			    "/usr/bin:/sbin:/bin"

/* One transition to report. */
struct notify_job {
	TAILQ_ENTRY(notify_job)	 nj_entry;
	uint8_t			 nj_vhid;
	char			 nj_ifname[IF_NAMESIZE];
	enum carp_state		 nj_to;
	enum carp_state		 nj_from;
	enum carp_reason	 nj_reason;
	char			*nj_addrs;	/* "a/len a/len ..." */
	size_t			 nj_coalesced;	/* earlier ones folded in */
};

/* One running script. */
struct notify_child {
	TAILQ_ENTRY(notify_child) nc_entry;
	pid_t			 nc_pid;	/* also its process group */
	struct notify_job	*nc_job;
	struct event		*nc_timer;
	int			 nc_timeout;	/* seconds, for the log */
	int			 nc_killed;	/* 0, or SIGTERM/SIGKILL sent */
};

TAILQ_HEAD(notify_jobs, notify_job);
TAILQ_HEAD(notify_children, notify_child);

static struct event_base	*notify_base;
static struct event		*notify_sigchld;
static char			*notify_script;
static int			 notify_timeout;
static struct notify_jobs	 notify_queue =
				    TAILQ_HEAD_INITIALIZER(notify_queue);
static size_t			 notify_nqueued;
static struct notify_children	 notify_running =
				    TAILQ_HEAD_INITIALIZER(notify_running);
static size_t			 notify_nrunning;
static struct notify_stats	 notify_st;
static uint64_t			 notify_gen_n;

static const char	*notify_state_name(enum carp_state);
static const char	*notify_reason_name(enum carp_reason);
static char		*notify_format_addrs(const struct carp_addr *, size_t);
static void		 notify_job_free(struct notify_job *);
static void		 notify_drop_queue(const char *);
static void		 notify_drain(void);
static int		 notify_same(const struct notify_job *,
			    uint8_t, const char *);
static int		 notify_busy(const struct notify_job *);
static void		 notify_merge(struct notify_job *,
			    struct notify_job *);
static int		 notify_coalesce(struct notify_job *);
static void		 notify_start(struct notify_job *);
static void		 notify_child(const char *, char *const[], char *const[],
			    int) __attribute__((__noreturn__));
static void		 notify_signal(struct notify_child *, int);
static void		 notify_timer_cb(evutil_socket_t, short, void *);
static void		 notify_sigchld_cb(evutil_socket_t, short, void *);
static void		 notify_reaped(struct notify_child *, int);

static const char *
notify_state_name(enum carp_state st)
{
	if ((unsigned int)st < CARP_ST_MAX)
		return carp_state_names[st];
	return "UNKNOWN";
}

static const char *
notify_reason_name(enum carp_reason rs)
{
	if ((unsigned int)rs < CARP_RS_MAX && carp_reason_names[rs] != NULL)
		return carp_reason_names[rs];
	return "unknown";
}

/* The addresses as "addr/prefix" words separated by spaces. */
static char *
notify_format_addrs(const struct carp_addr *addrs, size_t naddrs)
{
	char	 buf[CARP_MAX_ADDRS * (INET6_ADDRSTRLEN + 5) + 1];
	char	 a[INET6_ADDRSTRLEN];
	size_t	 i, len = 0;
	int	 n;

	buf[0] = '\0';
	if (addrs == NULL)
		naddrs = 0;
	if (naddrs > CARP_MAX_ADDRS)
		naddrs = CARP_MAX_ADDRS;
	for (i = 0; i < naddrs; i++) {
		if ((addrs[i].family != AF_INET &&
		    addrs[i].family != AF_INET6) ||
		    inet_ntop(addrs[i].family, &addrs[i].a, a,
		    sizeof(a)) == NULL)
			continue;
		n = snprintf(buf + len, sizeof(buf) - len, "%s%s/%u",
		    len > 0 ? " " : "", a, addrs[i].prefixlen);
		if (n < 0 || (size_t)n >= sizeof(buf) - len)
			break;
		len += (size_t)n;
	}
	return xstrdup(buf);
}

static void
notify_job_free(struct notify_job *job)
{
	free(job->nj_addrs);
	free(job);
}

/* Forget every waiting transition, saying why if there were any. */
static void
notify_drop_queue(const char *why)
{
	struct notify_job	*job;
	size_t			 n = notify_nqueued;

	while ((job = TAILQ_FIRST(&notify_queue)) != NULL) {
		TAILQ_REMOVE(&notify_queue, job, nj_entry);
		notify_job_free(job);
	}
	notify_nqueued = 0;
	if (n > 0)
		log_info("notify: %s: %zu waiting transition(s) dropped", why,
		    n);
}

/* Set the script and timeout; see notify.h. */
void
notify_init(struct event_base *base, const char *script, int timeout_s)
{
	if (notify_base != NULL && notify_base != base)
		notify_shutdown();
	if (notify_base == NULL && base != NULL) {
		notify_sigchld = evsignal_new(base, SIGCHLD,
		    notify_sigchld_cb, NULL);
		if (notify_sigchld == NULL || evsignal_add(notify_sigchld,
		    NULL) == -1) {
			log_warnx("%s: cannot watch SIGCHLD, notify-script "
			    "disabled", __func__);
			if (notify_sigchld != NULL)
				event_free(notify_sigchld);
			notify_sigchld = NULL;
			return;
		}
		notify_base = base;
	}
	free(notify_script);
	notify_script = NULL;
	notify_timeout = timeout_s > 0 ? timeout_s : 0;
	if (script == NULL || *script == '\0' || notify_base == NULL) {
		notify_drop_queue("notify-script disabled");
		return;
	}
	notify_script = xstrdup(script);
	if (access(notify_script, X_OK) == -1)
		log_warn("notify-script %s", notify_script);
	/* Slots may have been left free by a disabled script. */
	notify_drain();
}

/* Whether job is for VHID vhid on ifname. */
static int
notify_same(const struct notify_job *job, uint8_t vhid, const char *ifname)
{
	return job->nj_vhid == vhid && strcmp(job->nj_ifname, ifname) == 0;
}

/* Whether a script for job's VHID runs now. */
static int
notify_busy(const struct notify_job *job)
{
	struct notify_child	*nc;

	TAILQ_FOREACH(nc, &notify_running, nc_entry)
		if (notify_same(nc->nc_job, job->nj_vhid, job->nj_ifname))
			return 1;
	return 0;
}

/*
 * Fold the later transition src into the waiting dst of the same VHID:
 * dst keeps its old state and takes src's new state, reason and
 * addresses, so the run reports where the VHID ended up.  src is freed.
 */
static void
notify_merge(struct notify_job *dst, struct notify_job *src)
{
	if (dst->nj_coalesced == 0)
		log_warnx("notify: %u@%s: transitions arrive faster than "
		    "notify-script runs, coalescing them to the latest state",
		    dst->nj_vhid, dst->nj_ifname);
	dst->nj_to = src->nj_to;
	dst->nj_reason = src->nj_reason;
	free(dst->nj_addrs);
	dst->nj_addrs = src->nj_addrs;
	src->nj_addrs = NULL;
	dst->nj_coalesced += 1 + src->nj_coalesced;
	notify_st.coalesced += 1 + src->nj_coalesced;
	notify_gen_n++;
	notify_job_free(src);
}

/*
 * Make room for job before it is queued: 1 if it was folded into the
 * last waiting transition of its VHID (and is gone), 0 if it is to be
 * queued.  A VHID keeps at most NOTIFY_MAX_WAIT transitions waiting;
 * a full queue (NOTIFY_MAX_QUEUE) folds the new one into its VHID's
 * last, or else folds the last two of the VHID with most waiting.  When
 * every waiting transition is another VHID's only one, the queue grows
 * past its limit, by one per VHID at most: none is ever dropped.
 */
static int
notify_coalesce(struct notify_job *job)
{
	struct notify_job	*j, *last = NULL, *prev, *lasts[2];
	size_t			 mine = 0, n, most = 1;

	TAILQ_FOREACH(j, &notify_queue, nj_entry)
		if (notify_same(j, job->nj_vhid, job->nj_ifname)) {
			last = j;
			mine++;
		}
	if (last != NULL && (mine >= NOTIFY_MAX_WAIT ||
	    notify_nqueued >= NOTIFY_MAX_QUEUE)) {
		notify_merge(last, job);
		return 1;
	}
	if (notify_nqueued < NOTIFY_MAX_QUEUE)
		return 0;
	/* Another VHID's two latest waiting transitions. */
	lasts[0] = lasts[1] = NULL;
	TAILQ_FOREACH_REVERSE(j, &notify_queue, notify_jobs, nj_entry) {
		n = 0;
		prev = NULL;
		for (last = j; last != NULL;
		    last = TAILQ_PREV(last, notify_jobs, nj_entry))
			if (notify_same(last, j->nj_vhid, j->nj_ifname) &&
			    n++ == 1)
				prev = last;
		if (prev == NULL || n <= most)
			continue;
		most = n;
		lasts[0] = prev;
		lasts[1] = j;
	}
	if (lasts[0] != NULL) {
		TAILQ_REMOVE(&notify_queue, lasts[1], nj_entry);
		notify_nqueued--;
		notify_merge(lasts[0], lasts[1]);
	}
	return 0;
}

/* Report one transition; see notify.h. */
void
notify_transition(uint8_t vhid, const char *ifname, enum carp_state to,
    enum carp_state from, enum carp_reason reason,
    const struct carp_addr *addrs, size_t naddrs)
{
	struct notify_job	*job;

	if (notify_script == NULL || notify_base == NULL)
		return;
	job = xcalloc(1, sizeof(*job));
	job->nj_vhid = vhid;
	if (ifname != NULL)
		snprintf(job->nj_ifname, sizeof(job->nj_ifname), "%s",
		    ifname);
	job->nj_to = to;
	job->nj_from = from;
	job->nj_reason = reason;
	job->nj_addrs = notify_format_addrs(addrs, naddrs);

	if (notify_coalesce(job))
		return;
	TAILQ_INSERT_TAIL(&notify_queue, job, nj_entry);
	notify_nqueued++;
	notify_gen_n++;
	notify_drain();
}

/*
 * Start waiting transitions, in order, while there is a free slot: the
 * first waiting one of each VHID whose script does not run, so one
 * VHID's scripts run one at a time, in the order of its transitions,
 * and a slow one holds back no other VHID.
 */
static void
notify_drain(void)
{
	struct notify_job	*job, *next;

	for (job = TAILQ_FIRST(&notify_queue);
	    job != NULL && notify_nrunning < NOTIFY_MAX_CHILDREN;
	    job = next) {
		next = TAILQ_NEXT(job, nj_entry);
		if (notify_busy(job))
			continue;
		TAILQ_REMOVE(&notify_queue, job, nj_entry);
		notify_nqueued--;
		notify_gen_n++;
		if (job->nj_coalesced > 0)
			log_info("notify: %u@%s %s: %zu earlier transition(s) "
			    "coalesced into this run", job->nj_vhid,
			    job->nj_ifname, notify_state_name(job->nj_to),
			    job->nj_coalesced);
		notify_start(job);
	}
}

/*
 * In the child, between fork and exec: only system calls (carpd may have
 * threads).  Its own process group, so a timeout reaches what it started;
 * no blocked signal, the ones carpd ignores back to their defaults; stdin
 * /dev/null and no descriptor but 0-2; and no capability at all, whatever
 * the user: the ambient, inheritable, permitted and effective sets
 * emptied, the bounding set too where carpd still may (CAP_SETPCAP), and
 * no_new_privs, so that a uid 0 exec gains nothing back.  On failure the
 * errno goes up the pipe.
 */
static void
notify_child(const char *path, char *const argv[], char *const envp[],
    int errfd)
{
	static const int	 dfl[] = { SIGCHLD, SIGHUP, SIGINT, SIGQUIT,
	    SIGTERM, SIGPIPE, SIGUSR1, SIGUSR2, SIGALRM, SIGXFSZ };
	struct __user_cap_header_struct	 h;
	struct __user_cap_data_struct	 d[2];
	struct sigaction	 sa;
	sigset_t		 none;
	size_t			 i;
	int			 e, fd, cap;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = SIG_DFL;
	for (i = 0; i < sizeof(dfl) / sizeof(dfl[0]); i++)
		sigaction(dfl[i], &sa, NULL);
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	if (setpgid(0, 0) == -1)
		goto fail;
	if ((fd = open("/dev/null", O_RDONLY)) == -1)
		goto fail;
	if (fd != STDIN_FILENO) {
		if (dup2(fd, STDIN_FILENO) == -1)
			goto fail;
		close(fd);
	}
	/* Every other descriptor closed at exec (errfd is already). */
	if (syscall(SYS_close_range, STDERR_FILENO + 1, ~0U,
	    1U << 2 /* CLOSE_RANGE_CLOEXEC */) == -1)
		for (fd = STDERR_FILENO + 1; fd < 4096; fd++)
			if (fd != errfd)
				fcntl(fd, F_SETFD, FD_CLOEXEC);
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) == -1)
		goto fail;
	/* Ambient: absent before Linux 4.3, which is as good. */
	if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0) == -1 &&
	    errno != EINVAL)
		goto fail;
	for (cap = 0; cap <= CAP_LAST_CAP; cap++)
		(void)prctl(PR_CAPBSET_DROP, cap, 0, 0, 0);
	memset(&h, 0, sizeof(h));
	memset(d, 0, sizeof(d));
	h.version = _LINUX_CAPABILITY_VERSION_3;
	if (syscall(SYS_capset, &h, d) == -1)
		goto fail;
	execve(path, argv, envp);
 fail:
	e = errno;
	(void)!write(errfd, &e, sizeof(e));
	_exit(127);
}

/* Fork and exec a script; see notify.h. */
int
notify_spawn(pid_t *pidp, const char *path, char *const argv[],
    char *const envp[])
{
	pid_t	 pid;
	ssize_t	 n;
	int	 p[2], e = 0, status;

	if (pipe2(p, O_CLOEXEC) == -1)
		return errno;
	if ((pid = fork()) == -1) {
		e = errno;
		close(p[0]);
		close(p[1]);
		return e;
	}
	if (pid == 0) {
		close(p[0]);
		notify_child(path, argv, envp, p[1]);
	}
	close(p[1]);
	/* Closed by a successful exec: end of file, nothing read. */
	do
		n = read(p[0], &e, sizeof(e));
	while (n == -1 && errno == EINTR);
	close(p[0]);
	if (n == (ssize_t)sizeof(e)) {
		while (waitpid(pid, &status, 0) == -1 && errno == EINTR)
			;
		return e != 0 ? e : EIO;
	}
	/* Its group, from our side too: a timeout never signals ours. */
	(void)setpgid(pid, pid);
	*pidp = pid;
	return 0;
}

/* Spawn the script for a job; the job is the child's, or freed. */
static void
notify_start(struct notify_job *job)
{
	struct notify_child		*nc;
	struct timeval			 tv;
	char				 vhid[8];
	char				*argv[7], *envp[9];
	const char			*to, *from, *reason;
	pid_t				 pid = -1;
	size_t				 i;
	int				 rc;

	to = notify_state_name(job->nj_to);
	from = notify_state_name(job->nj_from);
	reason = notify_reason_name(job->nj_reason);
	snprintf(vhid, sizeof(vhid), "%u", job->nj_vhid);

	argv[0] = notify_script;
	argv[1] = vhid;
	argv[2] = job->nj_ifname;
	argv[3] = (char *)to;
	argv[4] = (char *)from;
	argv[5] = (char *)reason;
	argv[6] = NULL;
	xasprintf(&envp[0], "CARP_VHID=%s", vhid);
	xasprintf(&envp[1], "CARP_INTERFACE=%s", job->nj_ifname);
	xasprintf(&envp[2], "CARP_STATE=%s", to);
	xasprintf(&envp[3], "CARP_OLD_STATE=%s", from);
	xasprintf(&envp[4], "CARP_REASON=%s", reason);
	xasprintf(&envp[5], "CARP_ADDRESSES=%s", job->nj_addrs);
	xasprintf(&envp[6], "CARP_SUBSYSTEM=%s@%s", vhid, job->nj_ifname);
	envp[7] = xstrdup(NOTIFY_PATH);
	envp[8] = NULL;

	rc = notify_spawn(&pid, notify_script, argv, envp);

	for (i = 0; envp[i] != NULL; i++)
		free(envp[i]);

	notify_gen_n++;
	if (rc != 0) {
		notify_st.failures++;
		log_warnx("notify-script %s for %s@%s %s: cannot run it: %s",
		    notify_script, vhid, job->nj_ifname, to, strerror(rc));
		notify_job_free(job);
		return;
	}
	notify_st.runs++;
	log_debug("notify-script %s for %s@%s %s: pid %ld", notify_script,
	    vhid, job->nj_ifname, to, (long)pid);

	nc = xcalloc(1, sizeof(*nc));
	nc->nc_pid = pid;
	nc->nc_job = job;
	nc->nc_timeout = notify_timeout;
	TAILQ_INSERT_TAIL(&notify_running, nc, nc_entry);
	notify_nrunning++;
	if (notify_timeout > 0) {
		if ((nc->nc_timer = evtimer_new(notify_base, notify_timer_cb,
		    nc)) == NULL) {
			log_warnx("%s: no timer: %s@%s runs without a timeout",
			    __func__, vhid, job->nj_ifname);
			return;
		}
		tv.tv_sec = notify_timeout;
		tv.tv_usec = 0;
		evtimer_add(nc->nc_timer, &tv);
	}
}

/* Signal a child's process group (the child alone if it has none yet). */
static void
notify_signal(struct notify_child *nc, int sig)
{
	if (kill(-nc->nc_pid, sig) == -1 && errno == ESRCH)
		kill(nc->nc_pid, sig);
}

/* A script ran too long: SIGTERM its group, then SIGKILL. */
static void
notify_timer_cb(evutil_socket_t fd, short what, void *arg)
{
	struct notify_child	*nc = arg;
	struct notify_job	*job = nc->nc_job;
	struct timeval		 tv;

	(void)fd;
	(void)what;
	if (nc->nc_killed == 0) {
		notify_signal(nc, SIGTERM);
		nc->nc_killed = SIGTERM;
		notify_st.timeouts++;
		notify_gen_n++;
		log_warnx("notify-script for %u@%s %s timed out after %d s, "
		    "killed", job->nj_vhid, job->nj_ifname,
		    notify_state_name(job->nj_to), nc->nc_timeout);
		tv.tv_sec = NOTIFY_KILL_GRACE;
		tv.tv_usec = 0;
		evtimer_add(nc->nc_timer, &tv);
	} else if (nc->nc_killed == SIGTERM) {
		notify_signal(nc, SIGKILL);
		nc->nc_killed = SIGKILL;
		log_warnx("notify-script for %u@%s %s still running %d s "
		    "after SIGTERM, sent SIGKILL", job->nj_vhid,
		    job->nj_ifname, notify_state_name(job->nj_to),
		    NOTIFY_KILL_GRACE);
	}
}

/* Reap whichever of our children exited, then start waiting ones. */
static void
notify_sigchld_cb(evutil_socket_t fd, short what, void *arg)
{
	struct notify_child	*nc, *next;
	pid_t			 pid;
	int			 status;

	(void)fd;
	(void)what;
	(void)arg;
	for (nc = TAILQ_FIRST(&notify_running); nc != NULL; nc = next) {
		next = TAILQ_NEXT(nc, nc_entry);
		do
			pid = waitpid(nc->nc_pid, &status, WNOHANG);
		while (pid == -1 && errno == EINTR);
		if (pid == nc->nc_pid)
			notify_reaped(nc, status);
		else if (pid == -1 && errno == ECHILD) {
			log_warnx("notify-script for %u@%s: pid %ld reaped "
			    "elsewhere", nc->nc_job->nj_vhid,
			    nc->nc_job->nj_ifname, (long)nc->nc_pid);
			notify_reaped(nc, -1);
		}
	}
	notify_drain();
}

/* Log how a child ended and free it; status -1: unknown. */
static void
notify_reaped(struct notify_child *nc, int status)
{
	struct notify_job	*job = nc->nc_job;
	const char		*to = notify_state_name(job->nj_to);

	if (nc->nc_killed != 0) {
		/* Take down what it left behind in its group, too. */
		kill(-nc->nc_pid, SIGKILL);
	} else if (status == -1) {
		/* Reaped by someone else: how it ended is unknown. */
	} else if (WIFEXITED(status) && WEXITSTATUS(status) != 0) {
		notify_st.failures++;
		notify_gen_n++;
		log_warnx("notify-script for %u@%s %s exited with status %d",
		    job->nj_vhid, job->nj_ifname, to, WEXITSTATUS(status));
	} else if (WIFSIGNALED(status)) {
		notify_st.failures++;
		notify_gen_n++;
		log_warnx("notify-script for %u@%s %s killed by signal %d",
		    job->nj_vhid, job->nj_ifname, to, WTERMSIG(status));
	} else
		log_debug("notify-script for %u@%s %s done", job->nj_vhid,
		    job->nj_ifname, to);

	TAILQ_REMOVE(&notify_running, nc, nc_entry);
	notify_nrunning--;
	notify_gen_n++;
	if (nc->nc_timer != NULL)
		event_free(nc->nc_timer);
	notify_job_free(job);
	free(nc);
}

/* Stop everything; see notify.h. */
void
notify_shutdown(void)
{
	struct notify_child	*nc, *next;
	struct timespec		 ts = { 0, 10 * 1000 * 1000 };
	pid_t			 pid;
	size_t			 n = notify_nrunning;
	int			 i, status;

	notify_drop_queue("shutting down");
	TAILQ_FOREACH(nc, &notify_running, nc_entry) {
		notify_signal(nc, SIGTERM);
		if (nc->nc_killed == 0)
			nc->nc_killed = SIGTERM;
	}
	if (n > 0)
		log_info("notify: stopping %zu running notify-script(s)", n);
	/* Poll for NOTIFY_KILL_GRACE seconds, in 10 ms steps. */
	for (i = 0; i < NOTIFY_KILL_GRACE * 100 &&
	    !TAILQ_EMPTY(&notify_running); i++) {
		for (nc = TAILQ_FIRST(&notify_running); nc != NULL;
		    nc = next) {
			next = TAILQ_NEXT(nc, nc_entry);
			pid = waitpid(nc->nc_pid, &status, WNOHANG);
			if (pid == nc->nc_pid ||
			    (pid == -1 && errno == ECHILD))
				notify_reaped(nc, pid == -1 ? -1 : status);
		}
		if (!TAILQ_EMPTY(&notify_running))
			nanosleep(&ts, NULL);
	}
	while ((nc = TAILQ_FIRST(&notify_running)) != NULL) {
		notify_signal(nc, SIGKILL);
		do
			pid = waitpid(nc->nc_pid, &status, 0);
		while (pid == -1 && errno == EINTR);
		notify_reaped(nc, pid == nc->nc_pid ? status : -1);
	}
	if (notify_sigchld != NULL)
		event_free(notify_sigchld);
	notify_sigchld = NULL;
	notify_base = NULL;
	free(notify_script);
	notify_script = NULL;
	notify_timeout = 0;
}

/* How many scripts run and wait; see notify.h. */
void
notify_counts(size_t *running, size_t *queued)
{
	if (running != NULL)
		*running = notify_nrunning;
	if (queued != NULL)
		*queued = notify_nqueued;
}

/* The counters; see notify.h. */
void
notify_stats(struct notify_stats *st)
{
	*st = notify_st;
	st->running = notify_nrunning;
	st->queued = notify_nqueued;
}

/* Bumped by every change of what notify_stats() reports. */
uint64_t
notify_gen(void)
{
	return notify_gen_n;
}
