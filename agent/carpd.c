/*
 * carpd.c: main(): options, configuration, the event loop and signals.
 */
#include <sys/types.h>
#include <sys/stat.h>

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <unistd.h>

#include <event2/event.h>

#include "agent/conf.h"
#include "agent/control.h"
#include "agent/engine.h"
#include "agent/log.h"
#include "agent/notify.h"
#include "agent/priv.h"
#include "agent/snmp.h"
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

static void
usage(void)
{
	fprintf(stderr, "usage: carpd [-dnVv] [-f file]\n");
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
	ctl_set_path(nc->state_file);
	eng_reload(nc);
	ctl_restore();
	http_reload(eng_conf());
	log_info("configuration reloaded");
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
	    eng_now().mono_us >= exit_deadline)
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
		log_info("signal %d: handing over and exiting", (int)sig);
		eng_shutdown();
		/* Let the notify scripts of the hand-over finish, bounded. */
		exit_deadline = eng_now().mono_us +
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
	int			 ch, debug = 0, noaction = 0, verbose = 0, i;

	while ((ch = getopt(argc, argv, "df:nVv")) != -1) {
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

	/* -n: check, print canonically (passwords masked), exit. */
	if ((conf = conf_parse(conf_path, NULL)) == NULL)
		return 1;
	if (noaction) {
		conf_print(stdout, conf);
		conf_free(conf);
		return 0;
	}
	if (geteuid() != 0) {
		fprintf(stderr, "carpd: need root privileges\n");
		conf_free(conf);
		return 1;
	}

	log_init(debug, LOG_DAEMON);
	log_setverbose(verbose);
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
	http_init(base, eng_conf());	/* failures logged, CARP runs on */
	/* Every socket is open: drop privileges before any thread starts. */
	if (priv_drop(eng_conf()->user) == -1) {
		log_warnx("cannot drop privileges: refusing to run");
		eng_shutdown();
		http_free();
		eng_free();
		return 1;
	}
	snmp_init(base, eng_conf());	/* failures logged, CARP runs on */
	log_info("carpd %s started", CARPD_VERSION);

	event_base_dispatch(base);

	for (i = 0; i < 3; i++)
		event_free(sigs[i]);
	if (exit_ev != NULL)
		event_free(exit_ev);
	http_free();
	snmp_stop();
	eng_free();
	ctl_free();
	event_base_free(base);
	log_info("carpd exiting");
	return 0;
}
