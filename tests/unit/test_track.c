/*
 * test_track.c: the trackers (agent/track.c) on a fake clock, against the
 * real demotion ledger (agent/ledger.c): rise and fall, a timeout counts
 * as a failure, the startup gate, interfaces, reloads; then real scripts
 * on a real event loop (a hang is killed with its group, an exit status
 * is read); and the tracking lines of the configuration.
 */
#include <sys/types.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include <net/if.h>

#include <errno.h>
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

#include "agent/conf.h"
#include "agent/ledger.h"
#include "agent/netlink.h"
#include "agent/track.h"

#define T0_WALL		1700000000LL	/* seconds */
#define SEC		1000000ULL

static struct carp_time	 fake;		/* the fake clock */
static char		 msgs[4096];
static int		 nerr;

static int64_t	 fake_now(void);
static struct carp_time at(double);
static struct carpd_conf *parse(const char *);
static void	 msg(void *, int, const char *);
static const struct track_info *info(const char *);
static int	 weight_of(const char *);
static void	 result(const char *, int, double);
static int	 alive(pid_t);
static int	 setup(void **);
static int	 teardown(void **);

static int64_t
fake_now(void)
{
	return fake.wall_us / 1000000;
}

/* The fake clock at s seconds after the start. */
static struct carp_time
at(double s)
{
	fake.mono_us = 1000 * SEC + (uint64_t)(s * 1e6);
	fake.wall_us = T0_WALL * 1000000 + (int64_t)(s * 1e6);
	return fake;
}

static void
msg(void *arg, int severity, const char *text)
{
	(void)arg;
	if (severity == CONF_MSG_ERROR)
		nerr++;
	strncat(msgs, text, sizeof(msgs) - strlen(msgs) - 2);
	strcat(msgs, "\n");
}

static struct carpd_conf *
parse(const char *text)
{
	struct conf_opts	 o;

	memset(&o, 0, sizeof(o));
	o.msg = msg;
	msgs[0] = '\0';
	nerr = 0;
	return conf_parse_buf("t.conf", text, strlen(text), &o);
}

/* A tracker by name, as the read model sees it. */
static const struct track_info *
info(const char *name)
{
	static struct track_info	 list[16];
	size_t				 i, n;

	n = track_list(list, 16);
	for (i = 0; i < n && i < 16; i++)
		if (strcmp(list[i].name, name) == 0)
			return &list[i];
	return NULL;
}

/* The weight of a ledger entry, 0 if there is none. */
static int
weight_of(const char *entry)
{
	const struct ledger_entry	*e = ledger_find(entry);

	return e != NULL ? e->weight : 0;
}

/* A run of script name at s seconds: exit status code, or -SIG. */
static void
result(const char *name, int code, double s)
{
	struct carp_time	 start = at(s - 0.1), now = at(s);

	if (code == -1000)	/* the timeout: SIGTERM from carpd */
		track_result(name, SIGTERM, 0, true, start, now);
	else if (code < 0)
		track_result(name, -code, 0, false, start, now);
	else
		track_result(name, code << 8, 0, false, start, now);
}

static int
setup(void **arg)
{
	struct ledger_hooks	 h;

	(void)arg;
	memset(&h, 0, sizeof(h));
	h.now = fake_now;
	ledger_init(&h);
	at(0);
	return 0;
}

static int
teardown(void **arg)
{
	(void)arg;
	track_free();
	assert_int_equal(ledger_total(), 0);
	ledger_free();
	return 0;
}

/* fall failures in a row add the entry, rise passes remove it. */
static void
test_rise_fall(void **arg)
{
	struct carpd_conf	*c;
	const struct track_info	*ti;

	(void)arg;
	c = parse("track-script web '/bin/sh -c true' fall 3 rise 2 "
	    "weight 50\n");
	assert_non_null(c);
	assert_int_equal(track_init(NULL, c, at(0)), 0);
	ti = info("web");
	assert_non_null(ti);
	assert_true(ti->up);
	assert_int_equal(ti->kind, TRACK_SCRIPT);
	assert_string_equal(ti->entry, "track-script:web");

	result("web", 1, 1);
	result("web", 1, 2);
	assert_int_equal(ledger_total(), 0);
	assert_int_equal(info("web")->failures, 2);
	result("web", 0, 3);		/* a pass breaks the run */
	assert_int_equal(info("web")->failures, 0);
	result("web", 1, 4);
	result("web", 2, 5);
	assert_int_equal(ledger_total(), 0);
	result("web", 7, 6);		/* the third in a row */
	ti = info("web");
	assert_false(ti->up);
	assert_int_equal(ti->result, TRACK_R_FAIL);
	assert_int_equal(ti->code, 7);
	assert_int_equal(ti->failures, 3);
	assert_int_equal(ti->last_run_us, at(6).wall_us);
	assert_int_equal(ti->since_us, at(6).wall_us);
	assert_int_equal(ledger_total(), 50);
	assert_int_equal(weight_of("track-script:web"), 50);
	assert_int_equal(ledger_find("track-script:web")->source,
	    LEDGER_TRACK_SCRIPT);
	/* Someone else cannot remove the tracker's entry. */
	assert_int_equal(ledger_del("track-script:web", LEDGER_API, "t"), -1);

	result("web", 1, 7);		/* still failing: stays */
	result("web", 0, 8);
	assert_int_equal(ledger_total(), 50);
	assert_int_equal(info("web")->passes, 1);
	result("web", -9, 9);		/* a signal is a failure */
	assert_int_equal(info("web")->result, TRACK_R_SIGNAL);
	assert_int_equal(info("web")->passes, 0);
	result("web", 0, 10);
	assert_int_equal(ledger_total(), 50);
	result("web", 0, 11);		/* rise 2 */
	ti = info("web");
	assert_true(ti->up);
	assert_int_equal(ti->transitions, 2);
	assert_int_equal(ti->runs, 11);
	assert_int_equal(ti->nfailed, 7);
	assert_int_equal(ledger_total(), 0);
	assert_null(ledger_find("track-script:web"));
	conf_free(c);
}

/* A run killed at its timeout, or one that could not start, fails. */
static void
test_timeout_fails(void **arg)
{
	struct carpd_conf	*c;
	const struct track_info	*ti;

	(void)arg;
	c = parse("track-script db '/bin/sh -c true' fall 2 rise 1\n");
	assert_non_null(c);
	assert_int_equal(track_init(NULL, c, at(0)), 0);
	result("db", -1000, 2);
	ti = info("db");
	assert_int_equal(ti->result, TRACK_R_TIMEOUT);
	assert_int_equal(ti->ntimeouts, 1);
	assert_true(ti->up);
	track_result("db", -1, ENOENT, false, at(4), at(4));
	ti = info("db");
	assert_int_equal(ti->result, TRACK_R_ERROR);
	assert_int_equal(ti->code, ENOENT);
	assert_false(ti->up);
	assert_int_equal(ledger_total(), CONF_DFLT_TRACK_WEIGHT);
	/* Even exit status 0 counts as a timeout once carpd killed it. */
	track_result("db", 0, 0, true, at(5), at(6));
	assert_int_equal(info("db")->result, TRACK_R_TIMEOUT);
	assert_int_equal(ledger_total(), CONF_DFLT_TRACK_WEIGHT);
	result("db", 0, 8);
	assert_int_equal(ledger_total(), 0);
	conf_free(c);
}

/* The startup gate ends when its time has passed. */
static void
test_startup_time(void **arg)
{
	struct carpd_conf	*c;
	const struct ledger_entry *e;

	(void)arg;
	c = parse("startup-demotion 200 for 30\n");
	assert_non_null(c);
	assert_int_equal(track_init(NULL, c, at(0)), 0);
	e = ledger_find("startup");
	assert_non_null(e);
	assert_int_equal(e->source, LEDGER_STARTUP);
	assert_int_equal(e->weight, 200);
	assert_int_equal(e->expires, T0_WALL + 30);
	assert_int_equal(info("startup")->kind, TRACK_STARTUP);
	assert_false(info("startup")->up);
	track_tick(at(29.9));
	assert_int_equal(ledger_total(), 200);
	track_tick(at(30));
	assert_int_equal(ledger_total(), 0);
	assert_true(info("startup")->up);
	assert_int_equal(info("startup")->result, TRACK_R_ELAPSED);
	/* A reload never starts it again. */
	track_reload(c, at(40));
	assert_int_equal(ledger_total(), 0);
	conf_free(c);
}

/* ... or when its track-script first passes, whichever comes first. */
static void
test_startup_until(void **arg)
{
	struct carpd_conf	*c;

	(void)arg;
	c = parse("startup-demotion 240 for 600 or until plc\n"
	    "track-script plc '/bin/sh -c true' fall 1 rise 3 weight 10\n");
	assert_non_null(c);
	assert_int_equal(track_init(NULL, c, at(0)), 0);
	assert_int_equal(ledger_total(), 240);
	result("plc", 1, 1);		/* fall 1: its own entry too */
	assert_int_equal(ledger_total(), 250);
	result("plc", 0, 2);		/* one pass opens the gate */
	assert_int_equal(ledger_total(), 10);
	assert_int_equal(info("startup")->result, TRACK_R_PASSED);
	result("plc", 0, 3);
	result("plc", 0, 4);		/* rise 3 */
	assert_int_equal(ledger_total(), 0);
	track_tick(at(700));
	assert_int_equal(ledger_total(), 0);
	conf_free(c);
}

/* A removed gate ends on reload. */
static void
test_startup_removed(void **arg)
{
	struct carpd_conf	*c, *c2;

	(void)arg;
	c = parse("startup-demotion 100 for 60\n");
	c2 = parse("\n");
	assert_non_null(c);
	assert_non_null(c2);
	assert_int_equal(track_init(NULL, c, at(0)), 0);
	assert_int_equal(ledger_total(), 100);
	track_reload(c2, at(5));
	assert_int_equal(ledger_total(), 0);
	assert_null(info("startup"));
	conf_free(c);
	conf_free(c2);
}

/* Link messages: down, absent (deleted, renamed away), up. */
static void
test_interface(void **arg)
{
	struct carpd_conf	*c;
	struct nl_link		 l;

	(void)arg;
	c = parse("track-interface fb0\ntrack-interface up0 weight 20\n");
	assert_non_null(c);
	assert_int_equal(track_init(NULL, c, at(0)), 0);
	memset(&l, 0, sizeof(l));
	snprintf(l.name, sizeof(l.name), "fb0");
	l.ifindex = 7;
	l.up = true;
	track_link(&l, false, at(1));
	assert_true(info("fb0")->up);
	assert_int_equal(info("fb0")->result, TRACK_R_LINK_UP);
	l.up = false;
	track_link(&l, false, at(2));
	assert_false(info("fb0")->up);
	assert_int_equal(weight_of("track-interface:fb0"), 240);
	assert_int_equal(ledger_find("track-interface:fb0")->source,
	    LEDGER_TRACK_INTERFACE);
	l.up = true;
	track_link(&l, false, at(3));
	assert_int_equal(ledger_total(), 0);
	/* Renamed away: the name is gone. */
	snprintf(l.name, sizeof(l.name), "other");
	track_link(&l, false, at(4));
	assert_int_equal(info("fb0")->result, TRACK_R_ABSENT);
	assert_int_equal(ledger_total(), 240);
	/* Back under its name with another index, then deleted. */
	snprintf(l.name, sizeof(l.name), "fb0");
	l.ifindex = 9;
	track_link(&l, false, at(5));
	assert_int_equal(ledger_total(), 0);
	track_link(&l, true, at(6));
	assert_int_equal(info("fb0")->result, TRACK_R_ABSENT);
	assert_int_equal(ledger_total(), 240);
	/* The other one's weight. */
	snprintf(l.name, sizeof(l.name), "up0");
	l.ifindex = 3;
	l.up = false;
	track_link(&l, false, at(7));
	assert_int_equal(ledger_total(), 260);
	l.up = true;
	track_link(&l, false, at(8));
	snprintf(l.name, sizeof(l.name), "fb0");
	l.ifindex = 10;
	track_link(&l, false, at(9));
	assert_int_equal(ledger_total(), 0);
	conf_free(c);
}

/* Reload: unchanged keep their state, changed start again, removed go. */
static void
test_reload(void **arg)
{
	struct carpd_conf	*c, *c2;

	(void)arg;
	c = parse("track-script a '/bin/sh -c true' fall 1\n"
	    "track-script b '/bin/sh -c true' fall 1\n"
	    "track-script c '/bin/sh -c true' fall 1 weight 30\n");
	c2 = parse("track-script a '/bin/sh -c true' fall 1\n"
	    "track-script c '/bin/sh -c true' fall 2 weight 30\n"
	    "track-script d '/bin/sh -c true'\n");
	assert_non_null(c);
	assert_non_null(c2);
	assert_int_equal(track_init(NULL, c, at(0)), 0);
	result("a", 1, 1);
	result("b", 1, 1);
	result("c", 1, 1);
	assert_int_equal(ledger_total(), 240 + 240 + 30);
	track_reload(c2, at(2));
	assert_false(info("a")->up);		/* unchanged: kept */
	assert_int_equal(info("a")->runs, 1);
	assert_null(info("b"));			/* removed: entry gone */
	assert_null(ledger_find("track-script:b"));
	assert_true(info("c")->up);		/* changed: starts again */
	assert_int_equal(info("c")->runs, 0);
	assert_int_equal(info("c")->fall, 2);
	assert_non_null(info("d"));
	assert_int_equal(ledger_total(), 240);
	result("a", 0, 3);
	result("a", 0, 4);
	assert_int_equal(ledger_total(), 0);
	conf_free(c);
	conf_free(c2);
}

/* Real scripts on a real loop: a hang is killed with its group. */
static int	 loop_done;

static void
stop_cb(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	(void)what;
	(void)arg;
	loop_done = 1;
}

static void
run_loop(struct event_base *base, double secs)
{
	struct event	*ev;
	struct timeval	 tv;

	tv.tv_sec = (time_t)secs;
	tv.tv_usec = (suseconds_t)((secs - (double)tv.tv_sec) * 1e6);
	ev = evtimer_new(base, stop_cb, NULL);
	evtimer_add(ev, &tv);
	loop_done = 0;
	while (!loop_done)
		event_base_loop(base, EVLOOP_ONCE);
	event_free(ev);
}

/* Is a process there and not a zombie (reparented, maybe not reaped)? */
static int
alive(pid_t pid)
{
	char	 path[64], buf[256], *p;
	FILE	*fp;
	int	 i;

	for (i = 0; i < 20; i++) {
		snprintf(path, sizeof(path), "/proc/%ld/stat", (long)pid);
		if ((fp = fopen(path, "r")) == NULL)
			return 0;
		p = fgets(buf, sizeof(buf), fp);
		fclose(fp);
		if (p == NULL || (p = strrchr(buf, ')')) == NULL ||
		    p[1] == '\0' || p[2] == 'Z' || p[2] == 'X')
			return 0;
		usleep(50000);
	}
	return 1;
}

static void
test_real_scripts(void **arg)
{
	struct event_base	*base;
	struct carpd_conf	*c;
	const struct track_info	*ti;
	char			 dir[] = "/tmp/test_track.XXXXXX", text[1024];
	char			 pidf[128], buf[32];
	FILE			*fp;
	pid_t			 child;
	double			 el;

	(void)arg;
	assert_non_null(mkdtemp(dir));
	snprintf(pidf, sizeof(pidf), "%s/pid", dir);
	/*
	 * hang: starts a grandchild in its group that records its pid, then
	 * sleeps past the timeout; three: exits 3; ok: passes.
	 */
	snprintf(text, sizeof(text),
	    "track-script hang \"/bin/sh -c 'sleep 30 & echo $! > %s; "
	    "sleep 30'\" interval 60 timeout 1 fall 1\n"
	    "track-script three \"/bin/sh -c 'exit 3'\" interval 1 fall 2 "
	    "weight 7\n"
	    "track-script ok '/bin/sh -c \"test $CARP_TRACK = ok\"' "
	    "interval 1 fall 1 weight 1\n", pidf);
	c = parse(text);
	if (c == NULL)
		fail_msg("%s", msgs);
	base = event_base_new();
	assert_non_null(base);
	assert_int_equal(track_init(base, c, at(0)), 0);
	run_loop(base, 2.6);
	ti = info("hang");
	assert_false(ti->up);
	assert_int_equal(ti->result, TRACK_R_TIMEOUT);
	assert_true(ti->ntimeouts >= 1);
	el = (double)ti->duration_us / 1e6;
	if (el < 0.9 || el > 1.6)
		fail_msg("hang ran %.3f s, its timeout is 1 s", el);
	ti = info("three");
	assert_false(ti->up);
	assert_int_equal(ti->result, TRACK_R_FAIL);
	assert_int_equal(ti->code, 3);
	assert_true(ti->runs >= 2 && ti->runs <= 4);
	ti = info("ok");
	assert_true(ti->up);
	assert_int_equal(ti->result, TRACK_R_PASS);
	assert_int_equal(ledger_total(), 240 + 7);
	/* The grandchild went with its group. */
	fp = fopen(pidf, "r");
	assert_non_null(fp);
	assert_non_null(fgets(buf, sizeof(buf), fp));
	fclose(fp);
	child = (pid_t)atoi(buf);
	assert_true(child > 1);
	if (alive(child)) {
		kill(child, SIGKILL);
		fail_msg("the script's grandchild %ld outlived the timeout",
		    (long)child);
	}
	track_free();
	assert_int_equal(ledger_total(), 0);
	event_base_free(base);
	conf_free(c);
	unlink(pidf);
	rmdir(dir);
}

/* The configuration: every bad line is an error naming file:line. */
static void
test_conf_errors(void **arg)
{
	static const struct {
		const char	*text;
		const char	*want;
	} bad[] = {
		{ "track-script x bin/true\n",
		    "t.conf:1: track-script x: bin/true is not an absolute "
		    "path\n" },
		{ "\ntrack-script x /nonexistent/carpd-test\n",
		    "t.conf:2: track-script x: /nonexistent/carpd-test: No "
		    "such file or directory\n" },
		{ "track-script x /etc/passwd\n",
		    "t.conf:1: track-script x: /etc/passwd is not "
		    "executable\n" },
		{ "track-script x /tmp\n",
		    "t.conf:1: track-script x: /tmp is not a regular file\n" },
		{ "track-script x '/bin/sh -c true' rise 0\n",
		    "t.conf:1: track-script x rise 0 out of range (1-100)\n" },
		{ "track-script x '/bin/sh -c true' every 3\n",
		    "t.conf:1: track-script x: unknown option every\n" },
		{ "track-script x '/bin/sh -c true' fall\n",
		    "t.conf:1: track-script x: fall needs a value\n" },
		{ "track-script x ''\n",
		    "t.conf:1: track-script x: empty command\n" },
		{ "track-script 'a b' /bin/sh\n",
		    "t.conf:1: track-script a b is not a name (letters, "
		    "digits, _ . -, at most 31)\n" },
		{ "track-script x /bin/sh\ntrack-script x /bin/sh\n",
		    "t.conf:2: track-script x conflicts with track-script x "
		    "at t.conf:1\n" },
		{ "track-interface eth/0\n",
		    "t.conf:1: track-interface eth/0 is not an interface "
		    "name\n" },
		{ "track-interface eth0 weight 0\n",
		    "t.conf:1: track-interface weight 0 out of range "
		    "(1-1000000)\n" },
		{ "startup-demotion 240 for 60 or until web\n",
		    "t.conf:1: startup-demotion until web: no track-script "
		    "web\n" },
		{ "startup-demotion 240 60\n",
		    "t.conf:1: startup-demotion takes WEIGHT for SECONDS [or "
		    "until NAME]\n" },
		{ "startup-demotion 240 for 60\nstartup-demotion 100 for 60\n",
		    "t.conf:2: startup-demotion 100 for 60 conflicts with 240 "
		    "for 60 at t.conf:1\n" },
	};
	struct carpd_conf	*c;
	size_t			 i;

	(void)arg;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		c = parse(bad[i].text);
		if (c != NULL || strcmp(msgs, bad[i].want) != 0)
			fail_msg("%s: got \"%s\", want \"%s\"", bad[i].text,
			    msgs, bad[i].want);
	}
	/* The command splits as the file's words do. */
	c = parse("track-script x \"/bin/sh -c 'exit 0' 'a b'\"\n");
	assert_non_null(c);
	assert_int_equal(c->ntracks, 1);
	assert_string_equal(c->tracks[0].ct_argv[0], "/bin/sh");
	assert_string_equal(c->tracks[0].ct_argv[1], "-c");
	assert_string_equal(c->tracks[0].ct_argv[2], "exit 0");
	assert_string_equal(c->tracks[0].ct_argv[3], "a b");
	assert_null(c->tracks[0].ct_argv[4]);
	assert_int_equal(c->tracks[0].ct_interval, CONF_DFLT_TRACK_INTERVAL);
	assert_int_equal(c->tracks[0].ct_fall, CONF_DFLT_TRACK_FALL);
	assert_int_equal(c->tracks[0].ct_rise, CONF_DFLT_TRACK_RISE);
	assert_int_equal(c->tracks[0].ct_weight, CONF_DFLT_TRACK_WEIGHT);
	conf_free(c);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_rise_fall, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_timeout_fails, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_startup_time, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_startup_until, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_startup_removed, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_interface, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_reload, setup, teardown),
		cmocka_unit_test_setup_teardown(test_real_scripts, setup,
		    teardown),
		cmocka_unit_test(test_conf_errors),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
