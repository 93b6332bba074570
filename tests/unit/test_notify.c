/*
 * test_notify.c: the notify-script runner (agent/notify.c), with a real
 * event loop and real scripts in a scratch directory.
 */
#include <sys/types.h>
#include <sys/stat.h>

#include <arpa/inet.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>
#include <event2/event.h>

#include "agent/log.h"
#include "agent/notify.h"
#include "agent/xmalloc.h"

#define INHERIT_FD	37	/* must not reach the script */

static struct event_base *base;
static char	 tdir[64];
static char	 logpath[128];
static int	 saved_stderr = -1;
static struct notify_stats st_base;	/* at the test's start */

static int	 setup(void **);
static int	 teardown(void **);
static void	 rm_tree(const char *);
static char	*path_in(const char *);
static char	*write_script(const char *, const char *, mode_t);
static char	*read_file(const char *);
static int	 count_lines(const char *);
static void	 touch(const char *);
static uint64_t	 now_ms(void);
static int	 run_until(int (*)(void *), void *, int);
static int	 pred_idle(void *);
static int	 pred_exists(void *);
static int	 pred_lines(void *);
static int	 pred_idle_started(void *);
static void	 stats_delta(struct notify_stats *);
static int	 group_alive(pid_t);
static int	 pred_group_gone(void *);
static void	 capture_start(void);
static char	*capture_end(void);
static void	 transition(uint8_t, const char *, enum carp_state,
		    enum carp_state);

static int
setup(void **arg)
{
	(void)arg;
	strcpy(tdir, "/tmp/test_notify.XXXXXX");
	assert_non_null(mkdtemp(tdir));
	snprintf(logpath, sizeof(logpath), "%s.log", tdir);
	assert_non_null(base = event_base_new());
	notify_stats(&st_base);
	return 0;
}

/* The counters since the test started (they are the process's). */
static void
stats_delta(struct notify_stats *st)
{
	notify_stats(st);
	st->runs -= st_base.runs;
	st->coalesced -= st_base.coalesced;
	st->timeouts -= st_base.timeouts;
	st->failures -= st_base.failures;
}

static int
teardown(void **arg)
{
	(void)arg;
	if (saved_stderr != -1)
		free(capture_end());
	notify_shutdown();
	event_base_free(base);
	base = NULL;
	rm_tree(tdir);
	unlink(logpath);
	return 0;
}

static void
rm_tree(const char *dir)
{
	DIR		*d;
	struct dirent	*de;
	char		 p[512];

	if ((d = opendir(dir)) == NULL)
		return;
	while ((de = readdir(d)) != NULL) {
		if (strcmp(de->d_name, ".") == 0 ||
		    strcmp(de->d_name, "..") == 0)
			continue;
		snprintf(p, sizeof(p), "%s/%s", dir, de->d_name);
		unlink(p);
	}
	closedir(d);
	rmdir(dir);
}

/* tdir/name, to free(3). */
static char *
path_in(const char *name)
{
	char	*p;

	xasprintf(&p, "%s/%s", tdir, name);
	return p;
}

/* Write a /bin/sh script; "@D@" in body stands for the scratch dir. */
static char *
write_script(const char *name, const char *body, mode_t mode)
{
	FILE		*fp;
	char		*path = path_in(name);
	const char	*p;

	assert_non_null(fp = fopen(path, "w"));
	fputs("#!/bin/sh\n", fp);
	for (p = body; *p != '\0'; p++) {
		if (strncmp(p, "@D@", 3) == 0) {
			fputs(tdir, fp);
			p += 2;
		} else
			fputc(*p, fp);
	}
	assert_int_equal(fclose(fp), 0);
	assert_int_equal(chmod(path, mode), 0);
	return path;
}

/* The whole file, to free(3); NULL if it does not exist. */
static char *
read_file(const char *path)
{
	FILE	*fp;
	char	*buf;
	long	 n;

	if ((fp = fopen(path, "r")) == NULL)
		return NULL;
	fseek(fp, 0, SEEK_END);
	n = ftell(fp);
	rewind(fp);
	buf = xmalloc((size_t)n + 1);
	n = (long)fread(buf, 1, (size_t)n, fp);
	buf[n] = '\0';
	fclose(fp);
	return buf;
}

static int
count_lines(const char *path)
{
	char	*buf, *p;
	int	 n = 0;

	if ((buf = read_file(path)) == NULL)
		return 0;
	for (p = buf; *p != '\0'; p++)
		if (*p == '\n')
			n++;
	free(buf);
	return n;
}

static void
touch(const char *name)
{
	char	*p = path_in(name);
	int	 fd;

	assert_int_not_equal(fd = open(p, O_WRONLY | O_CREAT, 0644), -1);
	close(fd);
	free(p);
}

static uint64_t
now_ms(void)
{
	struct timespec	 ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

/* Run the event loop until pred is true or ms pass; returns pred. */
static int
run_until(int (*pred)(void *), void *arg, int ms)
{
	struct timespec	 ts = { 0, 5 * 1000 * 1000 };
	uint64_t	 end = now_ms() + (uint64_t)ms;

	for (;;) {
		event_base_loop(base, EVLOOP_NONBLOCK);
		if (pred(arg))
			return 1;
		if (now_ms() >= end)
			return 0;
		nanosleep(&ts, NULL);
	}
}

/* No script runs or waits. */
static int
pred_idle(void *arg)
{
	size_t	 r, q;

	(void)arg;
	notify_counts(&r, &q);
	return r == 0 && q == 0;
}

static int
pred_exists(void *arg)
{
	return access(arg, F_OK) == 0;
}

struct lines {
	const char	*path;
	int		 n;
};

static int
pred_lines(void *arg)
{
	struct lines	*l = arg;

	return count_lines(l->path) >= l->n;
}

/*
 * Whether a process group has a member that is not a zombie.  A member
 * that died after its parent is reaped by init, which may take a while.
 */
static int
group_alive(pid_t pgid)
{
	DIR		*d;
	struct dirent	*de;
	FILE		*fp;
	char		 path[300], buf[512], *p, state;
	long		 pgrp;
	int		 alive = 0;

	assert_non_null(d = opendir("/proc"));
	while (!alive && (de = readdir(d)) != NULL) {
		if (de->d_name[0] < '0' || de->d_name[0] > '9')
			continue;
		snprintf(path, sizeof(path), "/proc/%s/stat", de->d_name);
		if ((fp = fopen(path, "r")) == NULL)
			continue;
		if (fgets(buf, sizeof(buf), fp) != NULL &&
		    (p = strrchr(buf, ')')) != NULL &&
		    sscanf(p + 1, " %c %*d %ld", &state, &pgrp) == 2 &&
		    pgrp == (long)pgid && state != 'Z')
			alive = 1;
		fclose(fp);
	}
	closedir(d);
	return alive;
}

static int
pred_group_gone(void *arg)
{
	return !group_alive(*(pid_t *)arg);
}

static void
capture_start(void)
{
	int	 fd;

	fflush(stderr);
	assert_int_not_equal(saved_stderr = dup(2), -1);
	assert_int_not_equal(fd = open(logpath,
	    O_WRONLY | O_CREAT | O_TRUNC | O_APPEND, 0600), -1);
	dup2(fd, 2);
	close(fd);
}

static char *
capture_end(void)
{
	char	*log;

	fflush(stderr);
	dup2(saved_stderr, 2);
	close(saved_stderr);
	saved_stderr = -1;
	log = read_file(logpath);
	assert_non_null(log);
	fputs(log, stderr);	/* still shown in the test output */
	return log;
}

static void
transition(uint8_t vhid, const char *ifname, enum carp_state to,
    enum carp_state from)
{
	notify_transition(vhid, ifname, to, from, CARP_RS_MASTER_TIMED_OUT,
	    NULL, 0);
}

/* The script gets the arguments and the environment notify.h promises. */
static void
test_args_env(void **arg)
{
	struct carp_addr	 addrs[3];
	char			*script, *out, *text, *expect;
	int			 fd;

	(void)arg;
	script = write_script("args.sh",
	    "exec >@D@/out.tmp 2>&1\n"
	    "echo \"argc=$#\"\n"
	    "for a in \"$@\"; do echo \"arg=$a\"; done\n"
	    "echo \"CARP_VHID=$CARP_VHID\"\n"
	    "echo \"CARP_INTERFACE=$CARP_INTERFACE\"\n"
	    "echo \"CARP_STATE=$CARP_STATE\"\n"
	    "echo \"CARP_OLD_STATE=$CARP_OLD_STATE\"\n"
	    "echo \"CARP_REASON=$CARP_REASON\"\n"
	    "echo \"CARP_ADDRESSES=$CARP_ADDRESSES\"\n"
	    "echo \"CARP_SUBSYSTEM=$CARP_SUBSYSTEM\"\n"
	    "echo \"PATH=$PATH\"\n"
	    "echo \"HOME=${HOME-unset}\"\n"
	    "read line; echo \"stdin=$? ${line}\"\n"
	    "[ -e /proc/$$/fd/37 ] && echo fd37=open || echo fd37=closed\n"
	    "pgid=$(cut -d' ' -f5 /proc/$$/stat)\n"
	    "[ \"$pgid\" = $$ ] && echo pgid=own || echo pgid=$pgid\n"
	    "mv @D@/out.tmp @D@/out\n", 0755);
	memset(addrs, 0, sizeof(addrs));
	addrs[0].family = AF_INET;
	addrs[0].prefixlen = 24;
	inet_pton(AF_INET, "192.0.2.1", &addrs[0].a.v4);
	addrs[1].family = 0;		/* none: skipped */
	addrs[2].family = AF_INET6;
	addrs[2].prefixlen = 64;
	inet_pton(AF_INET6, "2001:db8::1", &addrs[2].a.v6);

	/* A descriptor without close-on-exec, as a careless caller has. */
	assert_int_not_equal(fd = open("/dev/null", O_RDONLY), -1);
	assert_int_equal(dup2(fd, INHERIT_FD), INHERIT_FD);
	close(fd);

	notify_init(base, script, 10);
	notify_transition(7, "eth0", CARP_ST_MASTER, CARP_ST_BACKUP,
	    CARP_RS_MASTER_TIMED_OUT, addrs, 3);
	close(INHERIT_FD);
	out = path_in("out");
	assert_true(run_until(pred_exists, out, 5000));
	assert_true(run_until(pred_idle, NULL, 5000));
	text = read_file(out);
	xasprintf(&expect,
	    "argc=5\n"
	    "arg=7\n"
	    "arg=eth0\n"
	    "arg=MASTER\n"
	    "arg=BACKUP\n"
	    "arg=master timed out\n"
	    "CARP_VHID=7\n"
	    "CARP_INTERFACE=eth0\n"
	    "CARP_STATE=MASTER\n"
	    "CARP_OLD_STATE=BACKUP\n"
	    "CARP_REASON=master timed out\n"
	    "CARP_ADDRESSES=192.0.2.1/24 2001:db8::1/64\n"
	    "CARP_SUBSYSTEM=7@eth0\n"
	    "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:"
	    "/sbin:/bin\n"
	    "HOME=unset\n"
	    "stdin=1 \n"
	    "fd37=closed\n"
	    "pgid=own\n");
	assert_string_equal(text, expect);
	free(expect);
	free(text);
	free(out);

	/* Every state and reason name, and no address at all. */
	unlink(out = path_in("out"));
	notify_transition(255, "vlan.100", CARP_ST_INIT, CARP_ST_MASTER,
	    CARP_RS_IF_DOWN, NULL, 0);
	assert_true(run_until(pred_exists, out, 5000));
	text = read_file(out);
	assert_non_null(strstr(text, "argc=5\narg=255\narg=vlan.100\n"
	    "arg=INIT\narg=MASTER\narg=hardware interface down\n"));
	assert_non_null(strstr(text, "\nCARP_ADDRESSES=\n"
	    "CARP_SUBSYSTEM=255@vlan.100\n"));
	free(text);
	free(out);
	free(script);
}

/* notify_transition returns at once although the script sleeps. */
static void
test_nonblocking(void **arg)
{
	char		*script;
	uint64_t	 t0, t1;
	size_t		 running, queued;
	int		 i;

	(void)arg;
	script = write_script("sleep.sh", "sleep 5\n", 0755);
	notify_init(base, script, 10);
	for (i = 1; i <= 3; i++) {
		t0 = now_ms();
		transition((uint8_t)i, "eth0", CARP_ST_MASTER, CARP_ST_BACKUP);
		t1 = now_ms();
		assert_in_range(t1 - t0, 0, 49);
	}
	notify_counts(&running, &queued);
	assert_int_equal(running, 3);
	assert_int_equal(queued, 0);

	/* Shutdown: SIGTERM reaches sh and its sleep, well before 5 s. */
	t0 = now_ms();
	notify_shutdown();
	assert_in_range(now_ms() - t0, 0, 1500);
	notify_counts(&running, &queued);
	assert_int_equal(running, 0);
	free(script);
}

/* A script running past its timeout is killed with its whole group. */
static void
test_timeout(void **arg)
{
	char		*script, *pidpath, *text, *log;
	uint64_t	 t0, el;
	pid_t		 pgid;

	(void)arg;
	script = write_script("slow.sh",
	    "echo $$ > @D@/pid.tmp; mv @D@/pid.tmp @D@/pid\n"
	    "sleep 30 &\n"
	    "wait\n", 0755);
	pidpath = path_in("pid");
	capture_start();
	notify_init(base, script, 1);
	t0 = now_ms();
	transition(1, "eth0", CARP_ST_MASTER, CARP_ST_BACKUP);
	assert_true(run_until(pred_exists, pidpath, 5000));
	text = read_file(pidpath);
	pgid = (pid_t)atoi(text);
	free(text);
	assert_true(pgid > 1);
	assert_true(group_alive(pgid));		/* sh and its sleep */
	assert_true(run_until(pred_idle, NULL, 5000));
	el = now_ms() - t0;
	log = capture_end();
	assert_in_range(el, 900, 2500);
	assert_true(run_until(pred_group_gone, &pgid, 1000));
	assert_non_null(strstr(log, "notify-script for 1@eth0 MASTER timed "
	    "out after 1 s, killed"));
	assert_null(strstr(log, "SIGKILL"));
	free(log);
	free(pidpath);
	free(script);
}

/* A script that ignores SIGTERM gets SIGKILL a second later. */
static void
test_timeout_sigkill(void **arg)
{
	char		*script, *pidpath, *text, *log;
	uint64_t	 t0, el;
	pid_t		 pgid;

	(void)arg;
	script = write_script("stubborn.sh",
	    "trap '' TERM\n"
	    "echo $$ > @D@/pid.tmp; mv @D@/pid.tmp @D@/pid\n"
	    "sleep 30 &\n"
	    "wait\n", 0755);
	pidpath = path_in("pid");
	capture_start();
	notify_init(base, script, 1);
	t0 = now_ms();
	transition(2, "eth1", CARP_ST_BACKUP, CARP_ST_MASTER);
	assert_true(run_until(pred_exists, pidpath, 5000));
	text = read_file(pidpath);
	pgid = (pid_t)atoi(text);
	free(text);
	assert_true(run_until(pred_idle, NULL, 6000));
	el = now_ms() - t0;
	log = capture_end();
	assert_in_range(el, 1900, 3500);
	assert_true(run_until(pred_group_gone, &pgid, 1000));
	assert_non_null(strstr(log, "notify-script for 2@eth1 BACKUP timed "
	    "out after 1 s, killed"));
	assert_non_null(strstr(log, "sent SIGKILL"));
	free(log);
	free(pidpath);
	free(script);
}

/*
 * With more transitions than children, 16 run and the rest start one by
 * one, in order, as running ones exit.
 */
static void
test_queue_order(void **arg)
{
	struct lines	 l;
	char		*script, *started, *text, *p, name[16];
	size_t		 running, queued;
	int		 i, k, seen[17];

	(void)arg;
	script = write_script("wait.sh",
	    "echo \"$1\" >> @D@/started\n"
	    "while [ ! -e @D@/go.$1 ]; do sleep 0.01; done\n", 0755);
	started = path_in("started");
	notify_init(base, script, 0);
	for (i = 1; i <= 40; i++)
		transition((uint8_t)i, "eth0", CARP_ST_MASTER, CARP_ST_BACKUP);
	notify_counts(&running, &queued);
	assert_int_equal(running, NOTIFY_MAX_CHILDREN);
	assert_int_equal(queued, 40 - NOTIFY_MAX_CHILDREN);

	/* The first 16, in any order: they run concurrently. */
	l.path = started;
	l.n = 16;
	assert_true(run_until(pred_lines, &l, 5000));
	text = read_file(started);
	memset(seen, 0, sizeof(seen));
	for (p = strtok(text, "\n"); p != NULL; p = strtok(NULL, "\n")) {
		k = atoi(p);
		assert_in_range(k, 1, 16);
		assert_int_equal(seen[k]++, 0);
	}
	free(text);

	/* Let one finish at a time: the next in line starts, alone. */
	for (k = 1; k <= 24; k++) {
		snprintf(name, sizeof(name), "go.%d", k);
		touch(name);
		l.n = 16 + k;
		assert_true(run_until(pred_lines, &l, 5000));
		text = read_file(started);
		p = text + strlen(text) - 1;	/* the final newline */
		while (p > text && p[-1] != '\n')
			p--;
		assert_int_equal(atoi(p), 16 + k);
		free(text);
		notify_counts(&running, &queued);
		assert_int_equal(running, NOTIFY_MAX_CHILDREN);
		assert_int_equal(queued, 24 - k);
	}
	for (k = 25; k <= 40; k++) {
		snprintf(name, sizeof(name), "go.%d", k);
		touch(name);
	}
	assert_true(run_until(pred_idle, NULL, 5000));
	assert_int_equal(count_lines(started), 40);
	free(started);
	free(script);
}

/*
 * A full queue of other VHIDs' only transitions drops none: it grows
 * past NOTIFY_MAX_QUEUE by one per VHID, and every one runs once.
 */
static void
test_queue_overflow(void **arg)
{
	struct notify_stats	 st;
	char		*script, *started, *text, *log, *p, ifname[16];
	char		 seen[300];
	size_t		 running, queued, i, n = 16 + 256 + 3;

	(void)arg;
	script = write_script("wait.sh",
	    "echo \"$2\" >> @D@/started\n"
	    "while [ ! -e @D@/go ]; do sleep 0.01; done\n", 0755);
	started = path_in("started");
	capture_start();
	notify_init(base, script, 0);
	for (i = 0; i < n; i++) {
		snprintf(ifname, sizeof(ifname), "q%zu", i);
		transition((uint8_t)(i % 255 + 1), ifname, CARP_ST_MASTER,
		    CARP_ST_BACKUP);
	}
	notify_counts(&running, &queued);
	assert_int_equal(running, NOTIFY_MAX_CHILDREN);
	assert_int_equal(queued, n - NOTIFY_MAX_CHILDREN);
	stats_delta(&st);
	assert_int_equal(st.coalesced, 0);
	touch("go");
	assert_true(run_until(pred_idle, NULL, 30000));
	log = capture_end();
	assert_null(strstr(log, "dropped"));

	/* Every one ran once. */
	memset(seen, 0, sizeof(seen));
	text = read_file(started);
	for (p = strtok(text, "\n"); p != NULL; p = strtok(NULL, "\n")) {
		assert_int_equal(p[0], 'q');
		i = (size_t)atoi(p + 1);
		assert_true(i < n);
		assert_int_equal(seen[i]++, 0);
	}
	for (i = 0; i < n; i++)
		assert_int_equal(seen[i], 1);
	stats_delta(&st);
	assert_int_equal(st.runs, n);
	free(text);
	free(log);
	free(started);
	free(script);
}

/*
 * One VHID's scripts run one at a time, in the order of its transitions,
 * while another VHID's run beside them: the script notes its start and
 * end and whether its VHID's marker was there already.
 */
static void
test_vhid_serial(void **arg)
{
	static const char *const want[] = {
	    "start MASTER", "end MASTER", "start BACKUP", "end BACKUP",
	    "start MASTER", "end MASTER", "start INIT", "end INIT" };
	char		*script, *out, *text, *p, *save, line[64];
	size_t		 running, queued, k[3];
	int		 v;

	(void)arg;
	script = write_script("serial.sh",
	    "[ -e @D@/busy.$1 ] && echo \"$1 overlap\" >> @D@/out\n"
	    ": > @D@/busy.$1\n"
	    "echo \"$1 start $3\" >> @D@/out\n"
	    "sleep 0.05\n"
	    "echo \"$1 end $3\" >> @D@/out\n"
	    "rm -f @D@/busy.$1\n", 0755);
	out = path_in("out");
	notify_init(base, script, 10);
	for (v = 1; v <= 2; v++) {
		transition((uint8_t)v, "eth0", CARP_ST_MASTER, CARP_ST_BACKUP);
		transition((uint8_t)v, "eth0", CARP_ST_BACKUP, CARP_ST_MASTER);
		transition((uint8_t)v, "eth0", CARP_ST_MASTER, CARP_ST_BACKUP);
		transition((uint8_t)v, "eth0", CARP_ST_INIT, CARP_ST_MASTER);
	}
	/* One script per VHID runs; the rest wait their turn. */
	notify_counts(&running, &queued);
	assert_int_equal(running, 2);
	assert_int_equal(queued, 6);
	assert_true(run_until(pred_idle, NULL, 10000));
	text = read_file(out);
	assert_non_null(text);
	assert_null(strstr(text, "overlap"));
	k[1] = k[2] = 0;
	for (p = strtok_r(text, "\n", &save); p != NULL;
	    p = strtok_r(NULL, "\n", &save)) {
		v = atoi(p);
		assert_in_range(v, 1, 2);
		assert_true(k[v] < 8);
		snprintf(line, sizeof(line), "%d %s", v, want[k[v]++]);
		assert_string_equal(p, line);
	}
	assert_int_equal(k[1], 8);
	assert_int_equal(k[2], 8);
	free(text);
	free(out);
	free(script);
}

/* Whether the stats say n transitions were coalesced. */
static int
pred_idle_started(void *arg)
{
	struct lines	*l = arg;

	return pred_idle(NULL) && count_lines(l->path) >= l->n;
}

/*
 * A VHID that flaps faster than its script: past NOTIFY_MAX_WAIT waiting
 * transitions, the new one is folded into the last waiting one, which
 * then runs with the final state; counted and logged.
 */
static void
test_coalesce(void **arg)
{
	struct notify_stats	 st;
	struct lines		 l;
	char		*script, *started, *text, *log, *p, *last;
	size_t		 i, n = 1 + NOTIFY_MAX_WAIT + 5;

	(void)arg;
	script = write_script("gate.sh",
	    "echo \"$1 $3 $4\" >> @D@/started\n"
	    "while [ ! -e @D@/go ]; do sleep 0.01; done\n", 0755);
	started = path_in("started");
	capture_start();
	notify_init(base, script, 0);
	for (i = 0; i < n; i++)
		transition(7, "eth0", i % 2 == 0 ? CARP_ST_MASTER :
		    CARP_ST_BACKUP, i % 2 == 0 ? CARP_ST_BACKUP :
		    CARP_ST_MASTER);
	stats_delta(&st);
	assert_int_equal(st.running, 1);
	assert_int_equal(st.queued, NOTIFY_MAX_WAIT);
	assert_int_equal(st.coalesced, 5);
	touch("go");
	l.path = started;
	l.n = 1 + NOTIFY_MAX_WAIT;
	assert_true(run_until(pred_idle_started, &l, 10000));
	log = capture_end();
	assert_non_null(strstr(log, "notify: 7@eth0: transitions arrive "
	    "faster than notify-script runs, coalescing them to the latest "
	    "state"));
	assert_non_null(strstr(log, "notify: 7@eth0 BACKUP: 5 earlier "
	    "transition(s) coalesced into this run"));
	text = read_file(started);
	assert_int_equal(count_lines(started), 1 + NOTIFY_MAX_WAIT);
	/* The last run reports the last transition's state. */
	last = NULL;
	for (p = strtok(text, "\n"); p != NULL; p = strtok(NULL, "\n"))
		last = p;
	assert_non_null(last);
	assert_string_equal(last, (n - 1) % 2 == 0 ? "7 MASTER BACKUP" :
	    "7 BACKUP BACKUP");
	stats_delta(&st);
	assert_int_equal(st.runs, 1 + NOTIFY_MAX_WAIT);
	assert_int_equal(st.coalesced, 5);
	free(text);
	free(log);
	free(started);
	free(script);
}

/*
 * A full queue makes room by folding the two latest waiting transitions
 * of the VHID with most waiting; the newcomer still runs, and so does
 * that VHID's final state.
 */
static void
test_coalesce_full(void **arg)
{
	struct notify_stats	 st;
	struct lines		 l;
	char		*script, *started, *text, *p, ifname[16];
	size_t		 i, xruns = 0, total;
	const char	*xlast = NULL;

	(void)arg;
	script = write_script("gate.sh",
	    "echo \"$2 $3\" >> @D@/started\n"
	    "while [ ! -e @D@/go ]; do sleep 0.01; done\n", 0755);
	started = path_in("started");
	notify_init(base, script, 0);
	for (i = 0; i < NOTIFY_MAX_CHILDREN; i++) {
		snprintf(ifname, sizeof(ifname), "r%zu", i);
		transition(1, ifname, CARP_ST_MASTER, CARP_ST_BACKUP);
	}
	/* x: four waiting, the last one INIT. */
	transition(1, "x", CARP_ST_MASTER, CARP_ST_BACKUP);
	transition(1, "x", CARP_ST_BACKUP, CARP_ST_MASTER);
	transition(1, "x", CARP_ST_MASTER, CARP_ST_BACKUP);
	transition(1, "x", CARP_ST_INIT, CARP_ST_MASTER);
	for (i = 0; i < NOTIFY_MAX_QUEUE - 4; i++) {
		snprintf(ifname, sizeof(ifname), "w%zu", i);
		transition(2, ifname, CARP_ST_MASTER, CARP_ST_BACKUP);
	}
	stats_delta(&st);
	assert_int_equal(st.queued, NOTIFY_MAX_QUEUE);
	assert_int_equal(st.coalesced, 0);
	transition(3, "y", CARP_ST_MASTER, CARP_ST_BACKUP);
	stats_delta(&st);
	assert_int_equal(st.queued, NOTIFY_MAX_QUEUE);
	assert_int_equal(st.coalesced, 1);
	touch("go");
	total = NOTIFY_MAX_CHILDREN + NOTIFY_MAX_QUEUE;
	l.path = started;
	l.n = (int)total;
	assert_true(run_until(pred_idle_started, &l, 60000));
	assert_int_equal(count_lines(started), (int)total);
	text = read_file(started);
	assert_non_null(strstr(text, "y MASTER\n"));
	for (p = strtok(text, "\n"); p != NULL; p = strtok(NULL, "\n"))
		if (strncmp(p, "x ", 2) == 0) {
			xruns++;
			xlast = p;
		}
	assert_int_equal(xruns, 3);
	assert_string_equal(xlast, "x INIT");
	free(text);
	free(started);
	free(script);
}

/* Runs, timeouts and failures are counted. */
static void
test_counters(void **arg)
{
	struct notify_stats	 st;
	char		*slow, *fails, *missing, *log;
	uint64_t	 gen;

	(void)arg;
	slow = write_script("slow.sh", "sleep 30\n", 0755);
	fails = write_script("fails.sh", "exit 3\n", 0755);
	missing = path_in("missing.sh");
	capture_start();
	gen = notify_gen();
	notify_init(base, slow, 1);
	transition(1, "eth0", CARP_ST_MASTER, CARP_ST_BACKUP);
	assert_true(notify_gen() > gen);
	assert_true(run_until(pred_idle, NULL, 5000));
	notify_init(base, fails, 5);
	transition(1, "eth0", CARP_ST_BACKUP, CARP_ST_MASTER);
	assert_true(run_until(pred_idle, NULL, 5000));
	notify_init(base, missing, 5);
	transition(1, "eth0", CARP_ST_MASTER, CARP_ST_BACKUP);
	assert_true(run_until(pred_idle, NULL, 5000));
	log = capture_end();
	stats_delta(&st);
	assert_int_equal(st.runs, 2);
	assert_int_equal(st.timeouts, 1);
	assert_int_equal(st.failures, 2);
	assert_int_equal(st.coalesced, 0);
	assert_int_equal(st.running, 0);
	assert_int_equal(st.queued, 0);
	free(log);
	free(slow);
	free(fails);
	free(missing);
}

/* A script that cannot run, or fails, is logged and nothing else. */
static void
test_failures(void **arg)
{
	char		*script, *missing, *fails, *log;
	size_t		 running, queued;

	(void)arg;
	script = write_script("noexec.sh", "exit 0\n", 0644);
	missing = path_in("missing.sh");
	fails = write_script("fails.sh", "exit 3\n", 0755);
	capture_start();
	notify_init(base, script, 10);
	transition(1, "eth0", CARP_ST_MASTER, CARP_ST_BACKUP);
	notify_counts(&running, &queued);
	assert_int_equal(running, 0);
	assert_int_equal(queued, 0);
	notify_init(base, missing, 10);
	transition(2, "eth0", CARP_ST_MASTER, CARP_ST_BACKUP);
	notify_init(base, fails, 10);
	transition(3, "eth0", CARP_ST_BACKUP, CARP_ST_MASTER);
	assert_true(run_until(pred_idle, NULL, 5000));
	log = capture_end();
	assert_non_null(strstr(log, "notify-script "));
	assert_non_null(strstr(log, "noexec.sh for 1@eth0 MASTER: cannot "
	    "run it: Permission denied"));
	assert_non_null(strstr(log, "missing.sh for 2@eth0 MASTER: cannot "
	    "run it: No such file or directory"));
	assert_non_null(strstr(log, "notify-script for 3@eth0 BACKUP exited "
	    "with status 3"));
	free(log);
	free(script);
	free(missing);
	free(fails);
}

/* Disabled, re-enabled and changed on reload. */
static void
test_reload(void **arg)
{
	char		*a, *b, *out, *text;
	size_t		 running, queued;

	(void)arg;
	a = write_script("a.sh", "echo a >> @D@/out\n", 0755);
	b = write_script("b.sh", "echo b >> @D@/out\n", 0755);
	out = path_in("out");
	notify_init(base, NULL, 10);
	transition(1, "eth0", CARP_ST_MASTER, CARP_ST_BACKUP);
	notify_counts(&running, &queued);
	assert_int_equal(running + queued, 0);

	notify_init(base, a, 10);
	transition(1, "eth0", CARP_ST_MASTER, CARP_ST_BACKUP);
	assert_true(run_until(pred_idle, NULL, 5000));
	notify_init(base, b, 5);
	transition(1, "eth0", CARP_ST_BACKUP, CARP_ST_MASTER);
	assert_true(run_until(pred_idle, NULL, 5000));
	notify_init(base, NULL, 5);
	transition(1, "eth0", CARP_ST_MASTER, CARP_ST_BACKUP);
	assert_true(run_until(pred_idle, NULL, 5000));
	text = read_file(out);
	assert_string_equal(text, "a\nb\n");
	free(text);
	free(a);
	free(b);
	free(out);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_args_env, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_nonblocking, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_timeout, setup, teardown),
		cmocka_unit_test_setup_teardown(test_timeout_sigkill, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_queue_order, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_queue_overflow, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_vhid_serial, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_coalesce, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_coalesce_full, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_counters, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_failures, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_reload, setup, teardown),
	};

	log_init(1, 0);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
