/*
 * carpd.c: main(): options, configuration, the event loop and signals
 * (the service manager's side is service.c), and the checks of who may
 * read the configuration and change the scripts.
 *
 * main is the composition root: the one file of agent/ that includes
 * exporters/, to start, reload and stop the HTTP endpoint through
 * exporters/http.h.  Everywhere else exporters/ depends on agent/, never
 * the other way (docs/layout.md; make lint checks it).
 */
#include <sys/types.h>
#include <sys/stat.h>

#include <errno.h>
#include <libgen.h>
#include <pwd.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <unistd.h>

#include <event2/event.h>
#include <systemd/sd-daemon.h>

#include "agent/clock.h"
#include "agent/conf.h"
#include "agent/control.h"
#include "agent/engine.h"
#include "agent/log.h"
#include "agent/notify.h"
#include "agent/priv.h"
#include "agent/service.h"
#include "agent/snmp.h"
#include "agent/track.h"
#include "exporters/http.h"

#define CARPD_CONF	"/etc/carpd.conf"

static struct event_base *base;
static const char	*conf_path = CARPD_CONF;

static void	usage(void) __attribute__((__noreturn__));
static void	carpd_sig_cb(evutil_socket_t, short, void *);
static void	carpd_reload(void);
static void	carpd_conf_msg(void *, int, const char *);
static void	carpd_exit_cb(evutil_socket_t, short, void *);

static struct event	*exit_ev;
static uint64_t		 exit_deadline;

static void	carpd_check_files(const struct carpd_conf *);
static void	carpd_check_script(const char *, const char *, uid_t, gid_t);

static void
usage(void)
{
	fprintf(stderr, "usage: carpd [-dnqVv] [-f file]\n");
	exit(2);
}

/* Configuration messages go to the log once it is open. */
static void
carpd_conf_msg(void *arg, int severity, const char *text)
{
	(void)arg;
	if (severity == CONF_MSG_ERROR)
		log_warnx("%s", text);
	else
		log_info("%s", text);
}

/* SIGHUP: parse again; keep the running configuration on any error. */
static void
carpd_reload(void)
{
	struct conf_opts	 opts;
	struct carpd_conf	*nc;

	memset(&opts, 0, sizeof(opts));
	opts.msg = carpd_conf_msg;
	log_info("reloading %s", conf_path);
	if ((nc = conf_parse(conf_path, &opts)) == NULL) {
		log_warnx("reload of %s failed: keeping the running "
		    "configuration", conf_path);
		return;
	}
	if (eng_conf() != NULL && conf_reload_check(eng_conf(), nc,
	    &opts) == -1) {
		conf_free(nc);
		log_warnx("reload of %s refused: keeping the running "
		    "configuration", conf_path);
		return;
	}
	carpd_check_files(nc);
	ctl_set_path(nc->state_file);
	if (eng_reload(nc) == -1) {
		ctl_restore();
		track_reload(eng_conf(), clock_now());
		http_reload(eng_conf());
		log_warnx("configuration reloaded, but not every VHID could "
		    "start (see above)");
		service_status(false);
		return;
	}
	ctl_restore();
	track_reload(eng_conf(), clock_now());
	http_reload(eng_conf());
	log_notice("configuration reloaded");
	service_status(false);
}

/*
 * A script that someone other than root or carpd's user can change is
 * theirs to run with carpd's rights: warn about the file and its
 * directory.
 */
static void
carpd_check_script(const char *what, const char *path, uid_t uid, gid_t gid)
{
	struct stat	 st;
	char		 dir[4096];
	const char	*p = path;
	int		 i;

	for (i = 0; i < 2; i++) {
		if (i == 1) {
			snprintf(dir, sizeof(dir), "%s", path);
			p = dirname(dir);
		}
		if (stat(p, &st) == -1) {
			if (i == 0)
				log_warn("%s %s", what, p);
			return;
		}
		if ((st.st_uid != 0 && st.st_uid != uid) ||
		    (st.st_mode & S_IWOTH) != 0 ||
		    ((st.st_mode & S_IWGRP) != 0 && st.st_gid != 0 &&
		    st.st_gid != gid))
			log_warnx("%s %s%s%s is writable by others than "
			    "root and uid %u (owner %u, group %u, mode %04o)",
			    what, path, i == 1 ? ": its directory " : "",
			    i == 1 ? p : "", (unsigned int)uid,
			    (unsigned int)st.st_uid, (unsigned int)st.st_gid,
			    (unsigned int)(st.st_mode & 07777));
	}
}

/*
 * The configuration holds the CARP passwords: warn if others may read
 * it.  And the notify script runs as carpd's user: warn if others may
 * change it.
 */
static void
carpd_check_files(const struct carpd_conf *conf)
{
	struct passwd	*pw;
	struct stat	 st;
	uid_t		 uid = geteuid();
	gid_t		 gid = getegid();
	size_t		 i;

	if (conf->user != NULL && (pw = getpwnam(conf->user)) != NULL) {
		uid = pw->pw_uid;
		gid = pw->pw_gid;
	}
	if (stat(conf_path, &st) == 0 && (st.st_mode & S_IROTH) != 0)
		log_warnx("%s is readable by others (mode %04o) and holds the "
		    "CARP passwords: chmod o-r %s", conf_path,
		    (unsigned int)(st.st_mode & 07777), conf_path);
	if (conf->notify_script != NULL)
		carpd_check_script("notify-script", conf->notify_script, uid,
		    gid);
	/* The track-scripts run as carpd's user too. */
	for (i = 0; i < conf->ntracks; i++)
		if (conf->tracks[i].ct_argv != NULL)
			carpd_check_script("track-script",
			    conf->tracks[i].ct_argv[0], uid, gid);
}

/* After the hand-over: exit once no notify script runs or waits. */
static void
carpd_exit_cb(evutil_socket_t fd, short what, void *arg)
{
	size_t	 running, queued;

	(void)fd;
	(void)what;
	(void)arg;
	notify_counts(&running, &queued);
	if ((running == 0 && queued == 0 && !eng_handing_over()) ||
	    clock_mono_us() >= exit_deadline)
		event_base_loopexit(base, NULL);
}

/* Signals, delivered by libevent outside the handler. */
static void
carpd_sig_cb(evutil_socket_t sig, short what, void *arg)
{
	(void)what;
	(void)arg;
	switch (sig) {
	case SIGTERM:
	case SIGINT:
		if (exit_ev != NULL)
			break;
		log_notice("signal %d: handing over and exiting", (int)sig);
		sd_notify(0, "STOPPING=1\nSTATUS=handing over and exiting");
		eng_shutdown();
		/* Let the notify scripts of the hand-over finish, bounded. */
		exit_deadline = clock_mono_us() +
		    (uint64_t)eng_conf()->notify_timeout * 1000000;
		exit_ev = event_new(base, -1, EV_PERSIST, carpd_exit_cb, NULL);
		if (exit_ev == NULL)
			event_base_loopexit(base, NULL);
		else
			event_add(exit_ev, &(struct timeval){ 0, 20000 });
		break;
	case SIGHUP:
		carpd_reload();
		break;
	default:
		log_warnx("%s: unexpected signal %d", __func__, (int)sig);
		break;
	}
}

int
main(int argc, char *argv[])
{
	struct event_config	*cfg;
	struct event		*sigs[3];
	struct carpd_conf	*conf;
	const int		 signos[3] = { SIGTERM, SIGINT, SIGHUP };
	int			 ch, debug = 0, noaction = 0, quiet = 0;
	int			 verbose = 0, i;

	while ((ch = getopt(argc, argv, "df:nqVv")) != -1) {
		switch (ch) {
		case 'd':
			debug = 1;
			break;
		case 'f':
			conf_path = optarg;
			break;
		case 'n':
			noaction = 1;
			break;
		case 'q':
			quiet = 1;
			break;
		case 'V':
			printf("carpd %s\n", CARPD_VERSION);
			return 0;
		case 'v':
			verbose++;
			break;
		default:
			usage();
		}
	}
	if (optind != argc)
		usage();

	/* The daemon holds the CARP keys: no core dump, from the start. */
	if (!noaction)
		priv_nodump();
	/* -n: check, print canonically (passwords masked; -q: not), exit. */
	if ((conf = conf_parse(conf_path, NULL)) == NULL)
		return 1;
	/* The TLS files are part of the configuration: they must load. */
	if (http_tls_check(conf) == -1) {
		conf_free(conf);
		return 1;
	}
	if (noaction) {
		if (!quiet)
			conf_print(stdout, conf);
		conf_free(conf);
		return 0;
	}
	if (priv_check() == -1) {
		fprintf(stderr, "carpd: need root, or CAP_NET_RAW and "
		    "CAP_NET_ADMIN\n");
		conf_free(conf);
		return 1;
	}

	log_init(debug, LOG_DAEMON);
	log_setverbose(verbose);
	carpd_check_files(conf);
	if (!debug && daemon(0, 0) == -1)
		fatal("daemon");
	signal(SIGPIPE, SIG_IGN);

	/* Precise monotonic timers: adverts keep their interval to the ms. */
	if ((cfg = event_config_new()) == NULL)
		fatalx("event_config_new");
	event_config_set_flag(cfg, EVENT_BASE_FLAG_PRECISE_TIMER);
	if ((base = event_base_new_with_config(cfg)) == NULL)
		fatalx("event_base_new");
	event_config_free(cfg);
	/*
	 * Three priorities, set before any event exists: the engine's
	 * packets and timers (the default, 1) always run before HTTP (2).
	 */
	if (event_base_priority_init(base, 3) == -1)
		fatalx("event_base_priority_init");
	for (i = 0; i < 3; i++) {
		sigs[i] = evsignal_new(base, signos[i], carpd_sig_cb, NULL);
		if (sigs[i] == NULL || evsignal_add(sigs[i], NULL) == -1)
			fatalx("signal events");
	}

	if (ctl_init(conf->state_file) == -1) {
		log_warnx("refusing to start: fix or remove the state file");
		return 1;
	}
	if (eng_init(base, conf) == -1) {
		log_warnx("cannot start");
		eng_free();
		return 1;
	}
	ctl_restore();
	ctl_timer_init(base);
	/* Scripts first run from the loop, after the privileges are dropped. */
	if (track_init(base, eng_conf(), clock_now()) == -1) {
		log_warnx("cannot start the trackers");
		eng_shutdown();
		eng_free();
		return 1;
	}
	http_init(base, eng_conf());	/* failures logged, CARP runs on */
	/* Every socket is open: drop privileges before any thread starts. */
	eng_sched_init();
	if (priv_drop(eng_conf()->user) == -1) {
		log_warnx("cannot drop privileges: refusing to run");
		eng_shutdown();
		http_free();
		eng_free();
		return 1;
	}
	snmp_init(base, eng_conf());	/* failures logged, CARP runs on */
	log_notice("carpd %s started", CARPD_VERSION);
	if (eng_conf()->nvhids == 0)
		log_notice("no VHID in %s: idle until one is written and "
		    "carpd reloaded", conf_path);
	service_init(base);

	event_base_dispatch(base);

	for (i = 0; i < 3; i++)
		event_free(sigs[i]);
	if (exit_ev != NULL)
		event_free(exit_ev);
	service_free();
	http_free();
	snmp_stop();
	track_free();
	eng_free();
	ctl_free();
	event_base_free(base);
	log_info("carpd exiting");
	return 0;
}
