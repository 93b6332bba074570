/*
 * snmp.c: the AgentX subagent's thread, its start-up and reconnection,
 * and what connects it to the main thread.
 *
 * net-snmp is not thread-safe and its AgentX calls block (opening the
 * session, registering, the synchronous ping), so every net-snmp call
 * is made by one thread of its own, which runs net-snmp's select loop
 * and never touches the engine.  The main thread talks to it through:
 *
 *   snapshots   the node, every VHID and their advert sources, copied
 *               whenever something changes and at least once a second;
 *               the SNMP thread takes the newest when it answers.  Three
 *               at most (the SNMP thread's, the newest, a spare), each
 *               copied into again when the next one is taken: none is
 *               allocated and freed a second (277 KB with 255 VHIDs,
 *               which left the main thread's heap 0.5 MB larger)
 *   a queue     of events to notify (bounded; the oldest is dropped when
 *               full), each with the time it happened, sent once an
 *               AgentX session is open: events raised while the master
 *               agent is away are delivered after it comes back
 *   commands    SETs, written to a socketpair the main loop watches,
 *               carried out there through control.c with the origin
 *               "snmp"; the SNMP thread waits for the result, bounded
 *
 * The SNMP thread waits in epoll on the fds net-snmp reports on every
 * pass (select() costs a wait-queue entry per fd and call); the set is
 * rebuilt whenever those fds, the sessions or the AgentX transport
 * change, and once a second, so that an fd number reused by a
 * reconnection is never missed (snmp_ep_sync()).
 *
 * The master agent asks one AgentX GetNext per row of a walk.  On a unix
 * socket the AgentX transport reads through our f_recv, which answers
 * the Gets and GetNexts it reads straight from their bytes
 * (snmp_ax_recv(), snmp_mib_answer_ax()): one recv and one send per row.
 * Every AgentX session also gets our callback in front of net-snmp's:
 * a Get or GetNext that reached net-snmp all the same (another transport,
 * or behind a PDU that is not ours) is answered there (snmp_mib_answer()).
 * The rest goes to net-snmp's.
 */
#include <sys/types.h>
#include <sys/epoll.h>
#include <sys/select.h>
#include <sys/socket.h>
#include <netinet/in.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <time.h>
#include <unistd.h>

#include <event2/event.h>

#include <net-snmp/net-snmp-config.h>
#include <net-snmp/net-snmp-includes.h>
#include <net-snmp/agent/net-snmp-agent-includes.h>

#include "agent/clock.h"
#include "agent/conf.h"
#include "agent/control.h"
#include "agent/dispatch.h"
#include "agent/engine.h"
#include "agent/log.h"
#include "agent/snap.h"
#include "agent/snmp.h"
#include "agent/snmp_impl.h"
#include "agent/xmalloc.h"

#define SNMP_APPNAME		"carpd"
#define SNMP_TICK_S		1		/* snapshot at least this often */
#define SNMP_CMD_WAIT_MS	1000		/* a SET waits this long */
#ifndef SNMP_PROTO_WINDOW_US
#define SNMP_PROTO_WINDOW_US	60000000ULL	/* one protocol error a minute */
#endif
#define SNMP_SESS_TIMEOUT_US	1000000		/* our own AgentX requests */
#define SNMP_SESS_RETRIES	1
#define SNMP_SET_REASON		"SNMP SET"
#define SNMP_EP_REBUILD_US	1000000		/* epoll set rebuilt this often */
#define SNMP_EP_EVENTS		16
#define SNMP_AX_OUT_MAX		16384		/* larger: net-snmp answers */
#define SNMP_FLUSH_MAX		16		/* notifications sent a pass */
#define SNMP_FLUSH_PAUSE_US	5000		/* then a pause for the responses */
#define SNMP_TRIM_US		1000000		/* trim this long after a burst */

/* net-snmp's AgentX session to the master agent; NULL while down. */
extern netsnmp_session *main_session;
/* Its callback session to net-snmp's own agent (two pipes). */
extern netsnmp_session *agentx_callback_sess;

/* A configuration line net-snmp reads before its MIBs: load none. */
static char snmp_no_mibs[] = "mibs :";

/* RFC 3419 transportDomainLocal: net-snmp's unix socket transport. */
static const oid snmp_unix_domain[] = { 1, 3, 6, 1, 2, 1, 100, 1, 13 };

/* A SET on its way to the main thread. */
struct snmp_cmd {
	enum snmp_cmd_type	 type;
	unsigned int		 ifindex;
	unsigned int		 vhid;
	bool			 on;
	long			 value;		/* SNMP_CMD_LEDGER_WEIGHT */
	int			 result;	/* SNMP_ERR_* */
	bool			 done;
	bool			 abandoned;	/* the SNMP thread gave up */
};

/* Protocol errors notified per (vhid, reason): the last one and since. */
struct snmp_rl {
	uint64_t		 last_us;	/* when one was last notified */
	uint32_t		 suppressed;
	unsigned int		 ifindex;	/* of the latest drop */
	uint8_t			 version;	/* its version nibble */
	struct carp_addr	 src;
	struct carp_time	 at;
};

static struct {
	bool			 running;
	struct event_base	*base;
	struct event		*ev_tick;
	struct event		*ev_cmd;
	pthread_t		 thread;
	pthread_mutex_t		 mtx;
	pthread_cond_t		 cond;
	int			 wake[2];	/* main -> SNMP thread */
	int			 cmd[2];	/* [1] SNMP thread -> [0] main */
	char			*socket;
	int			 ping;
	int			 trap_rate;	/* carpdStateChange a second, 0: all */
	atomic_int		 stop;
	atomic_int		 connected;
	atomic_int		 writable;	/* agentx-writable */

	/* Under mtx. */
	struct snap		*pending;	/* newest, not taken yet */
	struct snap		*spare;		/* for the next one */
	struct snmp_event	 queue[SNMP_QUEUE_MAX];
	size_t			 qhead, qlen;
	uint64_t		 qdropped;	/* lost: the queue was full */
	uint64_t		 folded;	/* into a summary */

	/* Main thread only. */
	uint64_t		 rowsig;	/* the rows' indexes, hashed */
	uint64_t		 disc_mono_us;	/* when they last changed; 0 */
	uint64_t		 win_us;	/* this second of state changes */
	int			 win_sent;	/* carpdStateChange sent in it */
	struct snmp_event	 fold;		/* the summary being counted */
	struct snmp_rl		 rl[CARP_MAXVHID + 1][CARP_DROP_MAX];

	/* SNMP thread only. */
	struct snap		*cur;
	netsnmp_callback	 ax_next;	/* net-snmp's session callback */
	int			(*ax_recv)(netsnmp_transport *, void *, int,
				    void **, int *);	/* net-snmp's f_recv */
	bool			 ax_direct;	/* a unix socket: our recv */
	uint8_t			 ax_hdr[SNMP_AX_HDR_LEN]; /* snmp_ax_track() */
	size_t			 ax_held, ax_total;
	uint8_t			 ax_out[SNMP_AX_OUT_MAX]; /* a Response */
	int			 ep;		/* epoll over net-snmp's fds */
	bool			 ep_off;	/* epoll failed: select() */
	bool			 ep_stale;	/* rebuild before the next wait */
	fd_set			 ep_fds;	/* what ep watches */
	int			 ep_nfds;
	netsnmp_session		*ep_main, *ep_cb;
	uint64_t		 ep_built_us;
	uint64_t		 trim_us;	/* malloc_trim() then; 0: none */
} snmp = { .wake = { -1, -1 }, .cmd = { -1, -1 }, .ep = -1 };

static void	 snmp_snap_free(struct snap *);
static void	 snmp_snap_put(struct snap *);
static struct snap *snmp_snap_build(void);
static void	 snmp_snap_publish(void);
static int	 snmp_row_cmp(const void *, const void *);
static void	 snmp_rows_changed(struct snap *);
static void	 snmp_push_state(const struct snmp_event *);
static void	 snmp_fold_flush(bool);
static void	 snmp_push(const struct snmp_event *);
static bool	 snmp_vhid_is_vrrp(unsigned int, unsigned int);
static void	 snmp_proto_event(unsigned int, enum carp_drop,
		    const struct snmp_rl *);
static void	 snmp_tick_cb(evutil_socket_t, short, void *);
static void	 snmp_cmd_cb(evutil_socket_t, short, void *);
static int	 snmp_execute(const struct snmp_cmd *);
static void	*snmp_thread(void *);
static int	 snmp_start(void);
static void	 snmp_loop(void);
static bool	 snmp_flush(size_t);
static void	 snmp_trim(void);
static void	 snmp_check_session(void);
static void	 snmp_ax_track(const uint8_t *, size_t);
static int	 snmp_ax_send(int, const uint8_t *, size_t);
static int	 snmp_ax_recv(netsnmp_transport *, void *, int, void **,
		    int *);
static uint64_t	 snmp_mono_us(void);
static int	 snmp_ep_sync(const fd_set *, int);
static int	 snmp_wait(fd_set *, int, struct timeval *);
static int	 snmp_log_cb(int, int, void *, void *);
static int	 snmp_sess_cb(int, int, void *, void *);
static int	 snmp_ax_cb(int, netsnmp_session *, int, netsnmp_pdu *,
		    void *);

/* SNMP thread: whether SETs are allowed (agentx-writable). */
bool
snmp_writable(void)
{
	return atomic_load(&snmp.writable) != 0;
}

/* 1 while the AgentX session is open. */
int
snmp_connected(void)
{
	return atomic_load(&snmp.connected);
}

/* Start the subagent's thread, unless SNMP is off. */
int
snmp_init(struct event_base *base, const struct carpd_conf *conf)
{
	pthread_condattr_t	 ca;
	sigset_t		 all, old;
	struct timeval		 tick = { SNMP_TICK_S, 0 };
	int			 rc;

	if (conf->agentx_socket == NULL) {
		log_debug("snmp: agentx-socket off");
		return 0;
	}
	snmp.base = base;
	snmp.socket = xstrdup(conf->agentx_socket);
	snmp.ping = conf->agentx_ping_interval;
	snmp.trap_rate = conf->snmp_trap_rate;
	atomic_store(&snmp.writable, conf->agentx_writable);
	atomic_store(&snmp.stop, 0);
	atomic_store(&snmp.connected, 0);
	pthread_mutex_init(&snmp.mtx, NULL);
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&snmp.cond, &ca);
	pthread_condattr_destroy(&ca);
	if (pipe2(snmp.wake, O_NONBLOCK | O_CLOEXEC) == -1 ||
	    socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0,
	    snmp.cmd) == -1) {
		log_warn("snmp: %s", __func__);
		return -1;
	}
	snmp.ev_cmd = event_new(base, snmp.cmd[0], EV_READ | EV_PERSIST,
	    snmp_cmd_cb, NULL);
	snmp.ev_tick = event_new(base, -1, EV_PERSIST, snmp_tick_cb, NULL);
	if (snmp.ev_cmd == NULL || snmp.ev_tick == NULL ||
	    event_add(snmp.ev_cmd, NULL) == -1 ||
	    event_add(snmp.ev_tick, &tick) == -1) {
		log_warnx("snmp: %s: events", __func__);
		return -1;
	}
	snmp.running = true;
	snmp_snap_publish();

	/* Signals stay with the main thread. */
	sigfillset(&all);
	pthread_sigmask(SIG_BLOCK, &all, &old);
	rc = pthread_create(&snmp.thread, NULL, snmp_thread, NULL);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (rc != 0) {
		errno = rc;
		log_warn("snmp: pthread_create");
		snmp.running = false;
		return -1;
	}
	pthread_setname_np(snmp.thread, "carpd-snmp");
	snap_set_agentx_enabled(1);
	log_debug("snmp: subagent for %s started, ping interval %d s",
	    snmp.socket, snmp.ping);
	return 0;
}

/* Stop the thread (it sends what is queued if it can) and free all. */
void
snmp_stop(void)
{
	struct snmp_cmd	*c;
	char		 b = 0;

	if (!snmp.running)
		return;
	/* A summary still counting goes with what is queued. */
	snmp_fold_flush(true);
	atomic_store(&snmp.stop, 1);
	/* A full pipe has woken the thread already. */
	if (write(snmp.wake[1], &b, 1) == -1 && errno != EAGAIN)
		log_debug("snmp: wake-up: %s", strerror(errno));
	pthread_join(snmp.thread, NULL);
	snmp.running = false;
	/* Commands left in the socket were abandoned by the thread. */
	while (read(snmp.cmd[0], &c, sizeof(c)) == (ssize_t)sizeof(c))
		free(c);
	event_free(snmp.ev_cmd);
	event_free(snmp.ev_tick);
	snmp.ev_cmd = snmp.ev_tick = NULL;
	close(snmp.wake[0]);
	close(snmp.wake[1]);
	close(snmp.cmd[0]);
	close(snmp.cmd[1]);
	snmp.wake[0] = snmp.wake[1] = snmp.cmd[0] = snmp.cmd[1] = -1;
	snmp_snap_free(snmp.pending);
	snmp_snap_free(snmp.cur);
	snmp_snap_free(snmp.spare);
	snmp.pending = snmp.cur = snmp.spare = NULL;
	snmp.qhead = snmp.qlen = 0;
	free(snmp.socket);
	snmp.socket = NULL;
	atomic_store(&snmp.connected, 0);
	snap_set_agentx_connected(0);
	snap_set_agentx_enabled(0);
	pthread_mutex_destroy(&snmp.mtx);
	pthread_cond_destroy(&snmp.cond);
}

/*
 * Main thread: snapshots.
 */

static void
snmp_snap_free(struct snap *s)
{
	if (s == NULL)
		return;
	snap_free(s);
	free(s);
}

/* A snapshot no longer used: the spare, if there is none yet. */
static void
snmp_snap_put(struct snap *s)
{
	if (s == NULL)
		return;
	pthread_mutex_lock(&snmp.mtx);
	if (snmp.spare == NULL) {
		snmp.spare = s;
		s = NULL;
	}
	pthread_mutex_unlock(&snmp.mtx);
	snmp_snap_free(s);
}

/* Order rows as the table's index does: ifIndex, then VHID. */
static int
snmp_row_cmp(const void *a, const void *b)
{
	const struct snap_vhid	*ra = a, *rb = b;

	if (ra->info.conf.ifindex != rb->info.conf.ifindex)
		return ra->info.conf.ifindex < rb->info.conf.ifindex ? -1 : 1;
	return (int)ra->info.conf.vhid - (int)rb->info.conf.vhid;
}

/* Copy the engine's state: the read model HTTP shows too (snap.c). */
static struct snap *
snmp_snap_build(void)
{
	struct snap	*s;

	/* The spare's array is reused. */
	pthread_mutex_lock(&snmp.mtx);
	s = snmp.spare;
	snmp.spare = NULL;
	pthread_mutex_unlock(&snmp.mtx);
	if (s == NULL)
		s = xcalloc(1, sizeof(*s));
	snap_take_metrics(s);
	s->snmp_dropped = snmp.qdropped;
	s->snmp_folded = snmp.folded;
	qsort(s->vhids, s->nvhids, sizeof(*s->vhids), snmp_row_cmp);
	snmp_rows_changed(s);
	return s;
}

/*
 * A VHID added or removed since the last snapshot (a reload): its row's
 * counters start again, carpdCounterDiscontinuityTime says when.  The
 * rows' indexes are hashed (FNV-1a); the first snapshot sets the hash.
 */
static void
snmp_rows_changed(struct snap *s)
{
	uint64_t	 h = 14695981039346656037ULL;
	uint32_t	 k;
	size_t		 i;

	for (i = 0; i < s->nvhids; i++) {
		k = s->vhids[i].info.conf.ifindex << 8 |
		    s->vhids[i].info.conf.vhid;
		h = (h ^ k) * 1099511628211ULL;
	}
	h = (h ^ s->nvhids) * 1099511628211ULL;
	if (snmp.rowsig != 0 && h != snmp.rowsig)
		snmp.disc_mono_us = clock_mono_us();
	snmp.rowsig = h;
	s->disc_mono_us = snmp.disc_mono_us;
}

/* Make a new snapshot the one the SNMP thread takes next. */
static void
snmp_snap_publish(void)
{
	struct snap	*s = snmp_snap_build(), *old;

	pthread_mutex_lock(&snmp.mtx);
	old = snmp.pending;
	snmp.pending = s;
	pthread_mutex_unlock(&snmp.mtx);
	snmp_snap_put(old);
}

/* SNMP thread: the newest snapshot. */
const struct snap *
snmp_snap_get(void)
{
	struct snap	*s;

	pthread_mutex_lock(&snmp.mtx);
	s = snmp.pending;
	snmp.pending = NULL;
	pthread_mutex_unlock(&snmp.mtx);
	if (s != NULL) {
		snmp_snap_put(snmp.cur);
		snmp.cur = s;
	}
	return snmp.cur;
}

/* Once a second: a fresh snapshot, protocol errors held back. */
static void
snmp_tick_cb(evutil_socket_t fd, short what, void *arg)
{
	struct carp_time	 now = clock_now();
	struct snmp_rl		*r;
	unsigned int		 v;
	int			 d;

	(void)fd;
	(void)what;
	(void)arg;
	for (v = 0; v <= CARP_MAXVHID; v++)
		for (d = 0; d < CARP_DROP_MAX; d++) {
			r = &snmp.rl[v][d];
			if (r->suppressed == 0 ||
			    now.mono_us - r->last_us < SNMP_PROTO_WINDOW_US)
				continue;
			snmp_proto_event(v, (enum carp_drop)d, r);
			r->suppressed = 0;
			r->last_us = now.mono_us;
		}
	/* What a reload changed of ours. */
	if (eng_conf() != NULL) {
		snmp.trap_rate = eng_conf()->snmp_trap_rate;
		atomic_store(&snmp.writable, eng_conf()->agentx_writable);
	}
	snmp_fold_flush(false);
	snap_set_agentx_connected(snmp_connected());
	pthread_mutex_lock(&snmp.mtx);
	snap_set_snmp_counts(snmp.qdropped, snmp.folded);
	pthread_mutex_unlock(&snmp.mtx);
	snmp_snap_publish();
}

/*
 * Main thread: events.
 */

/* Queue an event for the SNMP thread and wake it. */
static void
snmp_push(const struct snmp_event *ev)
{
	uint64_t	 dropped = 0;
	char		 b = 0;

	pthread_mutex_lock(&snmp.mtx);
	if (snmp.qlen == SNMP_QUEUE_MAX) {
		snmp.qhead = (snmp.qhead + 1) % SNMP_QUEUE_MAX;
		snmp.qlen--;
		dropped = ++snmp.qdropped;
	}
	snmp.queue[(snmp.qhead + snmp.qlen) % SNMP_QUEUE_MAX] = *ev;
	snmp.qlen++;
	pthread_mutex_unlock(&snmp.mtx);
	if (dropped == 1 || (dropped > 0 && dropped % 1000 == 0))
		log_warnx("snmp: notification queue full: %llu dropped",
		    (unsigned long long)dropped);
	/* A full pipe has woken the thread already. */
	if (write(snmp.wake[1], &b, 1) == -1 && errno != EAGAIN)
		log_debug("snmp: wake-up: %s", strerror(errno));
}

/*
 * A state change: a carpdStateChange, unless snmp-trap-rate of them went
 * in this second already; past that it is counted in the summary, which
 * the next tick sends (within a second).
 */
static void
snmp_push_state(const struct snmp_event *ev)
{
	if (snmp.trap_rate == 0) {
		snmp_push(ev);
		return;
	}
	if (ev->mono_us - snmp.win_us >= 1000000 || ev->mono_us < snmp.win_us) {
		snmp.win_us = ev->mono_us;
		snmp.win_sent = 0;
	}
	if (snmp.win_sent < snmp.trap_rate) {
		snmp.win_sent++;
		snmp_push(ev);
		return;
	}
	if (ev->to < CARP_ST_MAX)
		snmp.fold.moved[ev->to]++;
	snmp.fold.wall_us = ev->wall_us;
	snmp.fold.mono_us = ev->mono_us;
	pthread_mutex_lock(&snmp.mtx);
	snmp.folded++;
	pthread_mutex_unlock(&snmp.mtx);
	snmp.fold.type = SNMP_EV_SUMMARY;
}

/*
 * Send the summary of the state changes folded, if any, once their
 * second is over (the tick calls, once a second) or when stopping.
 */
static void
snmp_fold_flush(bool now)
{
	if (snmp.fold.type != SNMP_EV_SUMMARY)
		return;
	if (!now && clock_mono_us() - snmp.win_us < 1000000)
		return;
	snmp.fold.folded = snmp.folded;
	log_info("snmp: %u to MASTER, %u to BACKUP, %u to INIT past "
	    "snmp-trap-rate %d/s: one carpdStateChangeSummary",
	    snmp.fold.moved[CARP_ST_MASTER], snmp.fold.moved[CARP_ST_BACKUP],
	    snmp.fold.moved[CARP_ST_INIT], snmp.trap_rate);
	snmp_push(&snmp.fold);
	memset(&snmp.fold, 0, sizeof(snmp.fold));
}

/* Whether the subagent runs: it hears only what is raised meanwhile. */
bool
snmp_running(void)
{
	return snmp.running;
}

/* An event from the dispatcher, complete: queue it to notify. */
void
snmp_feed(const struct dispatch_event *de)
{
	struct snmp_event	 ev;

	if (!snmp.running)
		return;
	memset(&ev, 0, sizeof(ev));
	ev.wall_us = de->at.wall_us;
	ev.mono_us = de->at.mono_us;
	ev.ifindex = de->ifindex;
	ev.vhid = de->vhid;
	switch (de->type) {
	case DISPATCH_STATE:
		ev.type = SNMP_EV_STATE;
		ev.from = de->from;
		ev.to = de->to;
		ev.reason = de->reason;
		ev.addr = de->master;
		ev.vip = de->vip;
		snprintf(ev.ifname, sizeof(ev.ifname), "%s", de->ifname);
		snmp_push_state(&ev);
		/*
		 * A VRRPv3 VHID became MASTER: VRRPV3-MIB's vrrpv3NewMaster
		 * too, each (snmp-trap-rate folds only carpdStateChange).
		 */
		if (de->vrrp && de->to == CARP_ST_MASTER) {
			ev.type = SNMP_EV_VRRP_NEW_MASTER;
			snmp_push(&ev);
		}
		return;
	case DISPATCH_DEMOTION:
		ev.type = SNMP_EV_DEMOTION;
		ev.value = de->value;
		snprintf(ev.text, sizeof(ev.text), "%s", de->text);
		break;
	case DISPATCH_ADMIN:
		ev.type = SNMP_EV_ADMIN;
		ev.action = de->action;
		ev.value = de->value;
		snprintf(ev.origin, sizeof(ev.origin), "%s", de->origin);
		snprintf(ev.text, sizeof(ev.text), "%s", de->text);
		break;
	case DISPATCH_NO_MASTER:
		ev.type = SNMP_EV_NO_MASTER;
		ev.value = de->value;
		ev.vip = de->vip;
		ev.silent_ms = de->silent_ms;
		snprintf(ev.ifname, sizeof(ev.ifname), "%s", de->ifname);
		snprintf(ev.text, sizeof(ev.text), "%s", de->text);
		break;
	case DISPATCH_LEDGER:
		ev.type = SNMP_EV_LEDGER;
		ev.value = de->entry.weight;
		ev.source = de->entry.source;
		ev.change = de->change;
		ev.total = de->value;
		snprintf(ev.name, sizeof(ev.name), "%s", de->entry.name);
		snprintf(ev.text, sizeof(ev.text), "%s", de->entry.reason);
		snprintf(ev.who, sizeof(ev.who), "%s", de->origin_full);
		break;
	}
	snmp_push(&ev);
}

/* The dispatcher handed on a round's events: a snapshot that shows them. */
void
snmp_feed_done(void)
{
	if (snmp.running)
		snmp_snap_publish();
}

/* Queue a protocol error from a rate-limit record. */
static void
snmp_proto_event(unsigned int vhid, enum carp_drop d, const struct snmp_rl *r)
{
	struct snmp_event	 ev;

	memset(&ev, 0, sizeof(ev));
	ev.type = SNMP_EV_PROTO_ERROR;
	ev.wall_us = r->at.wall_us;
	ev.mono_us = r->at.mono_us;
	ev.ifindex = r->ifindex;
	ev.vhid = vhid;
	ev.drop = d;
	ev.addr = r->src;
	ev.suppressed = r->suppressed;
	snmp_push(&ev);
	/*
	 * A VRRPv3 packet's, or one for a VRRPv3 VHID: VRRPV3-MIB's
	 * vrrpv3ProtoError too, when RFC 6527 has a word for the reason;
	 * rate-limited with carpdProtocolError.
	 */
	if (snap_vrrp_proto_err(d) != 0 && (r->version == VRRP_VERSION ||
	    snmp_vhid_is_vrrp(r->ifindex, vhid))) {
		ev.type = SNMP_EV_VRRP_PROTO_ERROR;
		snmp_push(&ev);
	}
}

/* Whether the VHID vhid on interface ifindex is a VRRPv3 one. */
static bool
snmp_vhid_is_vrrp(unsigned int ifindex, unsigned int vhid)
{
	struct carp_vhid_info	 vi;
	struct carp_vhid	*vh;

	if (eng_node() == NULL || vhid > CARP_MAXVHID ||
	    (vh = carp_vhid_find(eng_node(), ifindex, (uint8_t)vhid)) == NULL)
		return false;
	carp_vhid_info(vh, &vi);
	return vi.conf.proto == CARP_PROTO_VRRP3;
}

/*
 * A packet was dropped: notify at once unless one of this VHID and
 * reason was notified less than a minute ago; then only count it, and
 * the tick sends the count when the minute is over.
 */
void
snmp_feed_drop(const struct carp_rx *rx, enum carp_drop d,
    struct carp_time now)
{
	struct snmp_rl	*r;
	unsigned int	 vhid = rx->len > 1 ? rx->data[1] : 0;

	if (!snmp.running || d <= CARP_DROP_DISABLED || d >= CARP_DROP_MAX)
		return;
	r = &snmp.rl[vhid][d];
	r->ifindex = rx->ifindex;
	r->version = rx->len > 0 ? rx->data[0] >> 4 : 0;
	r->src = rx->src;
	r->at = now;
	if (r->last_us != 0 && now.mono_us - r->last_us < SNMP_PROTO_WINDOW_US) {
		if (r->suppressed < UINT32_MAX)
			r->suppressed++;
		return;
	}
	snmp_proto_event(vhid, d, r);
	r->suppressed = 0;
	r->last_us = now.mono_us;
}

/*
 * Main thread: SETs.
 */

/* Carry out one SET through the control path; an SNMP_ERR_* code. */
static int
snmp_execute(const struct snmp_cmd *c)
{
	struct carp_vhid	*vh;
	int			 rc;

	switch (c->type) {
	case SNMP_CMD_VHID_DEMOTED:
		vh = carp_vhid_find(eng_node(), c->ifindex, (uint8_t)c->vhid);
		if (vh == NULL)
			return SNMP_ERR_NOCREATION;
		rc = c->on ? ctl_vhid_demote(vh, SNMP_SET_REASON, "snmp",
		    NULL) : ctl_vhid_promote(vh, false, SNMP_SET_REASON,
		    "snmp", NULL);
		break;
	case SNMP_CMD_MAINTENANCE:
		/* A SET keeps its meaning: maintenance with hold (decision 21). */
		rc = ctl_maintenance(c->on, true, SNMP_SET_REASON, "snmp",
		    NULL);
		break;
	case SNMP_CMD_LEDGER_WEIGHT:
		/* The entry "snmp", persistent as the other SETs' holds. */
		errno = 0;
		rc = c->value == 0 ? ctl_ledger_del(LEDGER_SNMP_NAME,
		    LEDGER_SNMP, "snmp", "snmp") :
		    ctl_ledger_set(LEDGER_SNMP_NAME, (int)c->value,
		    SNMP_SET_REASON, 0, true, LEDGER_SNMP, "snmp", "snmp");
		if (rc == -1 && (errno == EPERM || errno == ENOSPC))
			return SNMP_ERR_INCONSISTENTVALUE;
		break;
	default:
		return SNMP_ERR_GENERR;
	}
	if (rc == -1 && errno == EINVAL)
		return SNMP_ERR_WRONGVALUE;
	/* The action took effect even if the state file was not written. */
	if (rc == -1)
		log_warn("snmp: SET done, but the state file was not saved");
	return SNMP_ERR_NOERROR;
}

/* SETs from the SNMP thread. */
static void
snmp_cmd_cb(evutil_socket_t fd, short what, void *arg)
{
	struct snmp_cmd	*c;
	int		 result;

	(void)what;
	(void)arg;
	while (read(fd, &c, sizeof(c)) == (ssize_t)sizeof(c)) {
		result = snmp_execute(c);
		/* A GET right after the SET sees its effect. */
		snmp_snap_publish();
		pthread_mutex_lock(&snmp.mtx);
		c->result = result;
		c->done = true;
		if (c->abandoned)
			free(c);
		else
			pthread_cond_broadcast(&snmp.cond);
		pthread_mutex_unlock(&snmp.mtx);
	}
}

static int	 snmp_command_run(struct snmp_cmd *);

/* SNMP thread: hand a SET to the main thread and wait, bounded. */
int
snmp_command(enum snmp_cmd_type type, unsigned int ifindex, unsigned int vhid,
    bool on)
{
	struct snmp_cmd	*c;

	c = xcalloc(1, sizeof(*c));
	c->type = type;
	c->ifindex = ifindex;
	c->vhid = vhid;
	c->on = on;
	return snmp_command_run(c);
}

/* The same for a SET with an integer value (the ledger's entry "snmp"). */
int
snmp_command_value(enum snmp_cmd_type type, long value)
{
	struct snmp_cmd	*c;

	c = xcalloc(1, sizeof(*c));
	c->type = type;
	c->value = value;
	return snmp_command_run(c);
}

static int
snmp_command_run(struct snmp_cmd *c)
{
	struct timespec	 until;
	int		 result, rc = 0;

	if (write(snmp.cmd[1], &c, sizeof(c)) != (ssize_t)sizeof(c)) {
		log_warn("snmp: %s", __func__);
		free(c);
		return SNMP_ERR_GENERR;
	}
	clock_gettime(CLOCK_MONOTONIC, &until);
	until.tv_sec += SNMP_CMD_WAIT_MS / 1000;
	until.tv_nsec += (long)(SNMP_CMD_WAIT_MS % 1000) * 1000000;
	if (until.tv_nsec >= 1000000000) {
		until.tv_sec++;
		until.tv_nsec -= 1000000000;
	}
	pthread_mutex_lock(&snmp.mtx);
	while (!c->done && rc != ETIMEDOUT)
		rc = pthread_cond_timedwait(&snmp.cond, &snmp.mtx, &until);
	if (c->done) {
		result = c->result;
		pthread_mutex_unlock(&snmp.mtx);
		free(c);
		return result;
	}
	c->abandoned = true;
	pthread_mutex_unlock(&snmp.mtx);
	log_warnx("snmp: SET not carried out within %d ms", SNMP_CMD_WAIT_MS);
	return SNMP_ERR_GENERR;
}

/*
 * The SNMP thread.
 */

/* net-snmp's messages, into our log: errors as warnings, the rest debug. */
static int
snmp_log_cb(int major, int minor, void *serverarg, void *clientarg)
{
	const struct snmp_log_message	*m = serverarg;
	char				 buf[512];
	size_t				 len;

	(void)major;
	(void)minor;
	(void)clientarg;
	if (m == NULL || m->msg == NULL)
		return 0;
	snprintf(buf, sizeof(buf), "%s", m->msg);
	len = strlen(buf);
	while (len > 0 && (buf[len - 1] == '\n' || buf[len - 1] == '\r'))
		buf[--len] = '\0';
	if (m->priority <= LOG_ERR)
		log_warnx("snmp: %s", buf);
	else
		log_debug("snmp: %s", buf);
	return 0;
}

/* Our own AgentX requests give up sooner than net-snmp's default. */
static int
snmp_sess_cb(int major, int minor, void *serverarg, void *clientarg)
{
	netsnmp_session	*s = serverarg;

	(void)major;
	(void)minor;
	(void)clientarg;
	if (s != NULL) {
		s->timeout = SNMP_SESS_TIMEOUT_US;
		s->retries = SNMP_SESS_RETRIES;
	}
	return 0;
}

/* net-snmp's start-up, in the order it needs. */
static int
snmp_start(void)
{
	snmp_disable_log();
	snmp_enable_calllog();
	snmp_register_callback(SNMP_CALLBACK_LIBRARY, SNMP_CALLBACK_LOGGING,
	    snmp_log_cb, NULL);
	snmp_register_callback(SNMP_CALLBACK_LIBRARY,
	    SNMP_CALLBACK_SESSION_INIT, snmp_sess_cb, NULL);

	netsnmp_enable_subagent();
	/* No snmp.conf, no persistent files, no MIB files, no SIGALRM. */
	netsnmp_ds_set_boolean(NETSNMP_DS_LIBRARY_ID,
	    NETSNMP_DS_LIB_DONT_READ_CONFIGS, 1);
	netsnmp_ds_set_boolean(NETSNMP_DS_LIBRARY_ID,
	    NETSNMP_DS_LIB_DONT_PERSIST_STATE, 1);
	netsnmp_ds_set_boolean(NETSNMP_DS_LIBRARY_ID,
	    NETSNMP_DS_LIB_DISABLE_PERSISTENT_LOAD, 1);
	netsnmp_ds_set_boolean(NETSNMP_DS_LIBRARY_ID,
	    NETSNMP_DS_LIB_DISABLE_PERSISTENT_SAVE, 1);
	netsnmp_ds_set_boolean(NETSNMP_DS_LIBRARY_ID,
	    NETSNMP_DS_LIB_ALARM_DONT_USE_SIG, 1);
	/*
	 * No MIB files either: carpd names every OID itself.  An empty
	 * module list ("mibs :", as a snmp.conf line would say it; MIBS
	 * from the environment still wins) and no directory, or net-snmp
	 * looks for its default modules and logs "Cannot find module" for
	 * each one that is not installed.
	 */
	netsnmp_set_mib_directory("/nonexistent");
	netsnmp_config_remember(snmp_no_mibs);
	netsnmp_ds_set_boolean(NETSNMP_DS_APPLICATION_ID,
	    NETSNMP_DS_AGENT_NO_CONNECTION_WARNINGS, 1);
	netsnmp_ds_set_string(NETSNMP_DS_APPLICATION_ID,
	    NETSNMP_DS_AGENT_X_SOCKET, snmp.socket);

	if (init_agent(SNMP_APPNAME) != 0) {
		log_warnx("snmp: init_agent failed");
		return -1;
	}
	/* init_agent() has just set it to 15 s: ours counts from here. */
	netsnmp_ds_set_int(NETSNMP_DS_APPLICATION_ID,
	    NETSNMP_DS_AGENT_AGENTX_PING_INTERVAL, snmp.ping);
	if (snmp_mib_register() == -1) {
		log_warnx("snmp: cannot register CARPD-MIB");
		return -1;
	}
	/* Connects now, or arms the reconnect alarm. */
	init_snmp(SNMP_APPNAME);
	if (main_session == NULL)
		log_info("snmp: no AgentX master agent at %s yet; retrying "
		    "every %d s", snmp.socket, snmp.ping);
	return 0;
}

/*
 * The AgentX session's callback: a PDU from the master agent.  net-snmp
 * frees the PDU when we return.
 */
static int
snmp_ax_cb(int op, netsnmp_session *sess, int reqid, netsnmp_pdu *pdu,
    void *magic)
{
	if (op == NETSNMP_CALLBACK_OP_RECEIVED_MESSAGE && pdu != NULL &&
	    snmp_mib_answer(sess, pdu) == 0) {
		/* As net-snmp's does: the master is alive, no ping needed. */
		if (sess->securityModel != SNMP_DEFAULT_SECMODEL)
			snmp_alarm_reset((unsigned int)sess->securityModel);
		return 1;
	}
	return snmp.ax_next(op, sess, reqid, pdu, magic);
}

/*
 * What net-snmp holds of an AgentX PDU it has only part of, after bytes
 * p[0..n) went to it: our copy of its header, the bytes it has, the
 * PDU's length (0 until the header is complete).
 */
static void
snmp_ax_track(const uint8_t *p, size_t n)
{
	size_t	 k;

	while (n > 0) {
		if (snmp.ax_held < SNMP_AX_HDR_LEN) {
			k = SNMP_AX_HDR_LEN - snmp.ax_held;
			k = k < n ? k : n;
			memcpy(snmp.ax_hdr + snmp.ax_held, p, k);
			snmp.ax_held += k;
			if (snmp.ax_held == SNMP_AX_HDR_LEN)
				snmp.ax_total = snmp_mib_ax_len(snmp.ax_hdr);
		} else {
			k = snmp.ax_total - snmp.ax_held;
			k = k < n ? k : n;
			snmp.ax_held += k;
		}
		p += k;
		n -= k;
		if (snmp.ax_held == snmp.ax_total)
			snmp.ax_held = snmp.ax_total = 0;
	}
}

/* Send all of a Response on the AgentX socket; -1 on error. */
static int
snmp_ax_send(int fd, const uint8_t *p, size_t len)
{
	ssize_t	 n;

	while (len > 0) {
		n = send(fd, p, len, MSG_NOSIGNAL);
		if (n == -1 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

/*
 * The AgentX session's f_recv, called by net-snmp when the socket is
 * readable.  On a unix socket we read ourselves (without net-snmp's
 * getsockname() before every recvfrom(): it fills in an address that a
 * stream over a unix socket never uses), and answer the Gets and GetNexts
 * at the front of what came (snmp_mib_answer_ax()) at once: the master
 * agent sends one GetNext per row of a walk.  What is left, from the
 * first PDU that is not ours (or not all here) on, goes to net-snmp in
 * order; we follow the PDUs' lengths in it so as to know when net-snmp
 * holds part of one, and leave everything to it until it has all of it.
 * Nothing left: 0 with NETSNMP_TRANSPORT_FLAG_EMPTY_PKT (no PDU, not
 * end of stream).  -1 or 0 otherwise closes the session, as net-snmp's
 * own does.  Other transports: net-snmp's f_recv.
 */
static int
snmp_ax_recv(netsnmp_transport *t, void *buf, int size, void **opaque,
    int *olength)
{
	uint8_t		*b = buf;
	ssize_t		 n, rlen;
	size_t		 off = 0, plen;

	*opaque = NULL;
	*olength = 0;
	if (!snmp.ax_direct)
		return snmp.ax_recv(t, buf, size, opaque, olength);
	if (t == NULL || t->sock < 0 || size <= 0)
		return -1;
	do
		n = recv(t->sock, buf, (size_t)size, MSG_DONTWAIT);
	while (n == -1 && errno == EINTR);
	if (n <= 0)
		return (int)n;
	while (snmp.ax_held == 0 && (size_t)n - off >= SNMP_AX_HDR_LEN) {
		plen = snmp_mib_ax_len(b + off);
		if (plen > (size_t)n - off || (rlen = snmp_mib_answer_ax(b + off,
		    plen, snmp.ax_out, sizeof(snmp.ax_out))) == -1)
			break;
		if (snmp_ax_send(t->sock, snmp.ax_out, (size_t)rlen) == -1)
			log_warn("snmp: AgentX send");
		/* As net-snmp's callback does: the master is alive. */
		if (main_session != NULL &&
		    main_session->securityModel != SNMP_DEFAULT_SECMODEL)
			snmp_alarm_reset(
			    (unsigned int)main_session->securityModel);
		off += plen;
	}
	if (off > 0)
		memmove(b, b + off, (size_t)n - off);
	n -= (ssize_t)off;
	snmp_ax_track(b, (size_t)n);
	if (n == 0)
		t->flags |= NETSNMP_TRANSPORT_FLAG_EMPTY_PKT;
	return (int)n;
}

/* Track the AgentX session; log when it opens or closes. */
static void
snmp_check_session(void)
{
	netsnmp_transport	*t;
	void			*sp;
	int			 now = main_session != NULL;

	/* A new session: our callback in front of net-snmp's. */
	if (main_session != NULL && main_session->callback != snmp_ax_cb &&
	    main_session->callback != NULL) {
		snmp.ax_next = main_session->callback;
		main_session->callback = snmp_ax_cb;
	}
	/*
	 * A new transport (even one at a freed one's address has net-snmp's
	 * f_recv): our recv on a unix socket, and new fds to wait on.
	 */
	t = NULL;
	if (main_session != NULL && (sp = snmp_sess_pointer(main_session)) !=
	    NULL)
		t = snmp_sess_transport(sp);
	if (t != NULL && t->f_recv != snmp_ax_recv) {
		snmp.ax_recv = t->f_recv;
		snmp.ax_direct = t->domain != NULL &&
		    netsnmp_oid_equals(t->domain, t->domain_length,
		    snmp_unix_domain, OID_LENGTH(snmp_unix_domain)) == 0 &&
		    (t->flags & NETSNMP_TRANSPORT_FLAG_STREAM);
		t->f_recv = snmp_ax_recv;
		snmp.ax_held = snmp.ax_total = 0;
		snmp.ep_stale = true;
	}
	if (now == atomic_load(&snmp.connected))
		return;
	atomic_store(&snmp.connected, now);
	if (now)
		log_info("snmp: AgentX session to %s open", snmp.socket);
	else
		log_info("snmp: AgentX session to %s lost; reconnecting "
		    "every %d s", snmp.socket, snmp.ping);
}

/*
 * Send up to max queued notifications, if the session is open; true if
 * more are waiting.  net-snmp keeps each one sent (about 10 KB) until the
 * master agent answers it: 255 VHIDs changing state at once, all sent in
 * one go, held 2.5 MB, which the SNMP thread's malloc arena kept.  The
 * loop sends a few at a time and pauses for the responses in between.
 */
static bool
snmp_flush(size_t max)
{
	struct snmp_event	 ev;
	size_t			 n;
	bool			 more = false;

	for (n = 0; n < max && main_session != NULL; n++) {
		pthread_mutex_lock(&snmp.mtx);
		if (snmp.qlen == 0) {
			pthread_mutex_unlock(&snmp.mtx);
			break;
		}
		ev = snmp.queue[snmp.qhead];
		snmp.qhead = (snmp.qhead + 1) % SNMP_QUEUE_MAX;
		snmp.qlen--;
		more = snmp.qlen > 0;
		pthread_mutex_unlock(&snmp.mtx);
		snmp_mib_notify(&ev);
	}
	if (n > 0)
		snmp.trim_us = snmp_mono_us() + SNMP_TRIM_US;
	return more && main_session != NULL;
}

/*
 * A while after notifications were sent (their responses long in), give
 * back the memory left free (glibc keeps it, in the SNMP thread's arena
 * as in the main thread's, where snapshots come and go).
 */
static void
snmp_trim(void)
{
	if (snmp.trim_us == 0 || snmp_mono_us() < snmp.trim_us)
		return;
	snmp.trim_us = 0;
#ifdef __GLIBC__
	malloc_trim(0);
#endif
}

static uint64_t
snmp_mono_us(void)
{
	struct timespec	 ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000 + (uint64_t)ts.tv_nsec / 1000;
}

/*
 * Make the epoll set watch exactly the fds net-snmp asks for (and our
 * wake-up pipe).  select() adds and removes a wait-queue entry per fd on
 * every call, which is most of the thread's time per AgentX PDU; epoll
 * keeps them.  An fd closed and reopened under the same number between
 * two passes would drop out of the set unseen, so the set is rebuilt
 * whenever the fds, the sessions or the AgentX transport change, and at
 * least once a second.  0, or -1: use select().
 */
static int
snmp_ep_sync(const fd_set *fds, int nfds)
{
	struct epoll_event	 ev;
	uint64_t		 now = snmp_mono_us();
	int			 fd;

	if (snmp.ep_off)
		return -1;
	if (snmp.ep != -1 && !snmp.ep_stale && nfds == snmp.ep_nfds &&
	    snmp.ep_main == main_session &&
	    snmp.ep_cb == agentx_callback_sess &&
	    now - snmp.ep_built_us < SNMP_EP_REBUILD_US &&
	    memcmp(fds, &snmp.ep_fds, sizeof(*fds)) == 0)
		return 0;
	if (snmp.ep != -1)
		close(snmp.ep);
	if ((snmp.ep = epoll_create1(EPOLL_CLOEXEC)) == -1)
		goto fail;
	for (fd = 0; fd < nfds; fd++) {
		if (!FD_ISSET(fd, fds))
			continue;
		memset(&ev, 0, sizeof(ev));
		ev.events = EPOLLIN;
		ev.data.fd = fd;
		if (epoll_ctl(snmp.ep, EPOLL_CTL_ADD, fd, &ev) == -1)
			goto fail;
	}
	snmp.ep_fds = *fds;
	snmp.ep_nfds = nfds;
	snmp.ep_main = main_session;
	snmp.ep_cb = agentx_callback_sess;
	snmp.ep_built_us = now;
	snmp.ep_stale = false;
	return 0;
fail:
	log_warn("snmp: epoll; select() from now on");
	if (snmp.ep != -1)
		close(snmp.ep);
	snmp.ep = -1;
	snmp.ep_off = true;
	return -1;
}

/* Wait as select() would: fds in, the readable ones out; their count. */
static int
snmp_wait(fd_set *fds, int nfds, struct timeval *tv)
{
	struct epoll_event	 evs[SNMP_EP_EVENTS];
	long			 ms;
	int			 i, n;

	if (snmp_ep_sync(fds, nfds) == -1)
		return select(nfds, fds, NULL, NULL, tv);
	/* Rounded up: a timer is never run early. */
	ms = (long)tv->tv_sec * 1000 + ((long)tv->tv_usec + 999) / 1000;
	n = epoll_wait(snmp.ep, evs, SNMP_EP_EVENTS, ms > INT_MAX ? INT_MAX :
	    (int)ms);
	FD_ZERO(fds);
	for (i = 0; i < n; i++)
		if (evs[i].data.fd >= 0 && evs[i].data.fd < FD_SETSIZE)
			FD_SET(evs[i].data.fd, fds);
	return n;
}

/* net-snmp's select loop, with our wake-up pipe, waiting in epoll. */
static void
snmp_loop(void)
{
	struct timeval	 tv, pause = { 0, SNMP_FLUSH_PAUSE_US };
	fd_set		 fds;
	char		 buf[64];
	int		 numfds, block, n;
	bool		 more;

	while (!atomic_load(&snmp.stop)) {
		snmp_check_session();
		more = snmp_flush(SNMP_FLUSH_MAX);
		numfds = 0;
		block = 1;
		timerclear(&tv);
		FD_ZERO(&fds);
		snmp_select_info(&numfds, &fds, &tv, &block);
		FD_SET(snmp.wake[0], &fds);
		if (snmp.wake[0] >= numfds)
			numfds = snmp.wake[0] + 1;
		if (block) {
			tv.tv_sec = 1;
			tv.tv_usec = 0;
		}
		if (more && timercmp(&tv, &pause, >))
			tv = pause;
		n = snmp_wait(&fds, numfds, &tv);
		if (n > 0) {
			if (FD_ISSET(snmp.wake[0], &fds)) {
				while (read(snmp.wake[0], buf, sizeof(buf)) > 0)
					;
				FD_CLR(snmp.wake[0], &fds);
				n--;
			}
			if (n > 0)
				snmp_read(&fds);
		} else if (n == 0)
			snmp_timeout();
		else if (errno != EINTR) {
			log_warn("snmp: select");
			usleep(100000);
		}
		run_alarms();
		netsnmp_check_outstanding_agent_requests();
		snmp_trim();
	}
	if (snmp.ep != -1)
		close(snmp.ep);
	snmp.ep = -1;
}

/* The thread: start net-snmp, loop, send what is left, shut down. */
static void *
snmp_thread(void *arg)
{
	(void)arg;
	if (snmp_start() == 0) {
		snmp_loop();
		snmp_check_session();
		snmp_flush(SIZE_MAX);
	}
	snmp_mib_free();
	/* Logging from inside net-snmp's callback teardown trips its lock. */
	snmp_unregister_callback(SNMP_CALLBACK_LIBRARY, SNMP_CALLBACK_LOGGING,
	    snmp_log_cb, NULL, 1);
	snmp_disable_calllog();
	snmp_shutdown(SNMP_APPNAME);
	shutdown_agent();
	return NULL;
}
