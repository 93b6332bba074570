/*
 * http.c: evhttp plumbing: listeners, limits, authorization, dispatch.
 *
 * Two evhttp servers share one request callback: one on the control
 * socket (origin "socket": the socket's mode 0600 is the authorization;
 * the socket itself is agent/control_sock.c) and one on the http-listen
 * addresses (origin "http": actions need the bearer token).  Limits: bodies over API_MAX_BODY get 413, a client
 * idle or slow for HTTP_TIMEOUT seconds between two bytes is dropped, and
 * so is one whose request is not complete http-request-timeout seconds
 * after it connected or after its last answer, however it trickles.
 * Each server has its own pool of connections, HTTP_MAX_CONNS over TCP
 * and HTTP_SOCK_MAX_CONNS on the control socket, so TCP clients never
 * lock the socket out: a full pool pauses its own listeners, closes its
 * idle keep-alive connections first, and resumes below the cap.  Over
 * TCP one source address holds at most http-max-per-source connections;
 * more are closed at once.  Every HTTP event runs at the lowest event
 * priority, so the engine's timers and packets always go first.
 *
 * libevent 2.1 has no evhttp_set_max_connections() and no callback for a
 * new connection, so connections are counted through evhttp_set_bevcb():
 * we create each connection's bufferevent and keep one reference to it;
 * once evhttp frees the connection the bufferevent loses its callbacks,
 * and a sweep drops our reference, which closes the socket.  A connection
 * we want gone (deadline, cap) is shut down: evhttp reads its end of file
 * and frees it.
 *
 * With http-tls-cert and http-tls-key the TCP connections speak TLS
 * (1.2 or newer) through libevent's bufferevent_openssl, made in the same
 * callback; the control socket stays plain.  http-tls-client-auth asks
 * for client certificates as exporter-toolkit's client_auth_type does,
 * and http-action-auth says whether actions need the bearer token, a
 * certificate the client CA verified, or both.  A failed handshake is
 * logged with the client's address and OpenSSL's reason, at most once
 * every 10 s for each reason.
 * SIGHUP loads the files again; if they do not load, the context in use
 * stays.
 *
 * /metrics at 255 VHIDs is about 350 KB.  The last exposition is kept and
 * served again, by reference (no copy), while its snapshot's generation
 * is still current (snap_gen(): every change but an advert's bumps it),
 * so every value it shows is still the engine's, but for the counters of
 * adverts sent and received, which are at most HTTP_METRICS_AGE_US old:
 * so a scrape flood renders once a second, a state change shows at once,
 * and counters never go backwards.  A connection writes up to HTTP_MAX_WRITE bytes at once.
 */
#include <sys/types.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include <event2/buffer.h>
#include <event2/bufferevent.h>
#include <event2/bufferevent_ssl.h>
#include <event2/event.h>
#include <event2/http.h>
#include <event2/keyvalq_struct.h>
#include <event2/listener.h>
#include <event2/util.h>
#include <jansson.h>
#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/sha.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>

#include "agent/clock.h"
#include "agent/control.h"
#include "agent/control_sock.h"
#include "agent/engine.h"
#include "agent/ledger.h"
#include "agent/log.h"
#include "agent/snap.h"
#include "agent/xmalloc.h"
#include "exporters/api.h"
#include "exporters/http.h"
#include "exporters/prom.h"
#include "exporters/status.h"
#include "exporters/why.h"

#define HTTP_TIMEOUT		5		/* seconds, idle or slow */
#define HTTP_MAX_CONNS		64		/* open at once over TCP */
#define HTTP_SOCK_MAX_CONNS	16		/* on the control socket */
#define HTTP_LOG_EVERY_US	10000000	/* rate of the 401/limit lines */
#define HTTP_TOKEN_MIN		16		/* shorter: a warning */
#define HTTP_MAX_HEADERS	8192
#define HTTP_MAX_BODY_HARD	(64 * 1024)	/* evhttp's own 413 */
/*
 * The kernel's accept queue.  A full one drops new SYNs, and the client
 * retries only a second later: a burst of reconnecting flooders (each
 * closed at once by the cap per address) must not push an operator's
 * scrape into that second.  The kernel caps it at net.core.somaxconn.
 */
#define HTTP_BACKLOG		1024
#define HTTP_NPRIO		3
#define HTTP_PRIO		(HTTP_NPRIO - 1)	/* the lowest */
#define HTTP_TOKEN_MAX		4096
#define HTTP_SWEEP_US		100000
#define HTTP_WHYLEN		256
#define HTTP_METRICS_AGE_US	1000000	/* advert counters, at most */
#define HTTP_MAX_WRITE		(1024 * 1024)
#define HTTP_TLS_LOG_SLOTS	8		/* reasons rate-limited apart */

/* One rendered exposition, shared by the replies that carry it. */
struct http_body {
	unsigned int		 refs;
	struct prom_buf		 pb;
};

struct http_pool;

/* Failed handshakes of one reason, logged at most every 10 s. */
struct http_tls_log {
	int			 reason;	/* ERR_GET_REASON(), 0: free */
	uint64_t		 logged;	/* monotonic us */
	unsigned int		 n;		/* since the last line */
};

/* One accepted connection. */
struct http_conn {
	struct bufferevent	*bev;		/* one reference is ours */
	struct http_pool	*pool;
	struct event		*deadline;	/* for the whole request */
	struct sockaddr_storage	 peer;		/* AF_UNSPEC until known */
	bool			 checked;	/* peer known, cap applied */
	bool			 closing;	/* shut down by us */
	bool			 tls;		/* a bufferevent_openssl */
	bool			 verify;	/* its client certs verified */
	unsigned int		 nreq;		/* requests seen */
};

/* The connections of one server, and its cap. */
struct http_pool {
	const char		*name;		/* for the log */
	struct http_conn	**conns;
	size_t			 nconns;
	size_t			 capconns;
	size_t			 max;
	bool			 paused;
	bool			 tcp;		/* per-source cap applies */
	uint64_t		 cap_logged;	/* monotonic us */
	uint64_t		 src_logged;
	uint64_t		 late_logged;
	unsigned int		 nsrc;		/* since the last line */
	unsigned int		 nlate;
};

struct http_srv {
	struct evhttp		*eh;
	const char		*origin;	/* "socket" or "http" */
	struct evconnlistener	*ls[CONF_MAX_LISTEN];
	size_t			 nls;
	struct http_pool	*pool;
};

static struct {
	struct event_base	*base;
	struct http_srv		 sock;
	struct http_srv		 tcp;
	char			*sock_path;	/* bound, to unlink */
	char			*conf_sock;	/* as configured */
	char			**listen;
	size_t			 nlisten;
	char			*token_file;
	bool			 auth_reads;
	bool			 token_ok;
	char			 token_why[HTTP_WHYLEN];
	unsigned char		 token_hash[SHA256_DIGEST_LENGTH];
	struct http_pool	 psock;		/* the control socket's */
	struct http_pool	 ptcp;		/* every http-listen's */
	int			 per_source;	/* http-max-per-source */
	int			 req_timeout;	/* http-request-timeout, s */
	uint64_t		 auth_logged;	/* monotonic us */
	unsigned int		 nauth;		/* 401/403s since the line */
	SSL_CTX			*tls;		/* NULL: plain HTTP over TCP */
	bool			 tls_wanted;	/* http-tls-cert is set */
	int			 client_auth;	/* CONF_TLS_* of tls */
	int			 action_auth;	/* CONF_ACTION_AUTH_* */
	struct http_tls_log	 tls_log[HTTP_TLS_LOG_SLOTS];
	struct event		*sweep_ev;
	struct snap		 msnap;		/* what mbody shows */
	struct http_body	*mbody;		/* NULL: none yet */
	uint64_t		 mbody_us;	/* when rendered, monotonic */
} http;

static const struct timeval http_sweep_tv = { 0, HTTP_SWEEP_US };

static struct bufferevent *http_bev_cb(struct event_base *, void *);
static void	http_sweep_cb(evutil_socket_t, short, void *);
static void	http_sweep(void);
static void	http_sweep_pool(struct http_pool *);
static void	http_pause(struct http_pool *, bool);
static void	http_deadline_cb(evutil_socket_t, short, void *);
static void	http_deadline_arm(struct http_conn *);
static void	http_conn_close(struct http_conn *);
static void	http_conn_check(struct http_conn *);
static void	http_evict_idle(struct http_pool *);
static struct http_conn *http_conn_of(struct evhttp_request *);
static const char *http_peer_str(const struct sockaddr_storage *, char *,
		    size_t);
static bool	http_log_due(uint64_t *);
static bool	http_conn_gone(const struct http_conn *);
static size_t	http_live(const struct http_pool *);
static void	http_request_cb(struct evhttp_request *, void *);
static void	http_close_cb(struct evhttp_connection *, void *);
static void	http_reply(struct evhttp_request *, int, const char *,
		    const char *, size_t);
static void	http_reply_json(struct evhttp_request *, int, json_t *);
static void	http_reply_json_flags(struct evhttp_request *, int, json_t *,
		    size_t);
static void	http_body_unref(struct http_body *);
static void	http_body_cleanup(const void *, size_t, void *);
static void	http_metrics(struct evhttp_request *);
static bool	http_pretty(const char *);
static void	http_error(struct evhttp_request *, int, const char *, ...)
		    __attribute__((__format__(printf, 3, 4)));
static int	http_authorized(struct evhttp_request *, const char *);
static bool	http_client_cert(struct evhttp_request *, char *, size_t);
static int	http_tls_verify_any(int, X509_STORE_CTX *);
static void	http_tls_info_cb(const SSL *, int, int);
static int	http_tls_fail(const struct carpd_conf *, int, const char *,
		    const char *, const char *);
static SSL_CTX	*http_tls_ctx(const struct carpd_conf *);
static void	http_tls_load(const struct carpd_conf *, bool);
static void	http_tls_failed(struct http_conn *);
static void	http_auth_log(struct evhttp_request *, int, const char *,
		    const char *);
static void	http_token_load(const char *);
static struct evhttp *http_server(struct http_pool *);
static int	http_open(const struct carpd_conf *);
static void	http_close(void);
static void	http_ledger(struct evhttp_request *, const struct http_srv *,
		    const struct api_route *, bool);
static void	http_action(struct evhttp_request *, const struct http_srv *,
		    const struct api_route *);
static const char *http_by(struct evhttp_request *, const struct http_srv *,
		    char *, size_t);
static struct carp_vhid *http_find_vhid(const struct api_route *, int *);
static enum snap_api_action http_api_action(enum api_kind);
static bool	http_same_listen(const struct carpd_conf *);

/* True, and the time noted, if a rate-limited line may be logged now. */
static bool
http_log_due(uint64_t *last)
{
	uint64_t	 now = clock_now().mono_us;

	if (*last != 0 && now < *last + HTTP_LOG_EVERY_US)
		return false;
	*last = now;
	return true;
}

/*
 * A connection evhttp has let go of (it answered "Connection: close", or
 * the client left), which only waits for the sweep to drop our reference:
 * its client holds nothing, so it counts towards no http-max-per-source.
 * Its socket is still open: it does count towards the pool's cap, and
 * the close callback runs the sweep at once.
 */
static bool
http_conn_gone(const struct http_conn *c)
{
	bufferevent_data_cb	 rcb, wcb;
	bufferevent_event_cb	 ecb;
	void			*arg;

	bufferevent_getcb(c->bev, &rcb, &wcb, &ecb, &arg);
	return ecb == NULL;
}

/* The connections of a pool that we are not closing. */
static size_t
http_live(const struct http_pool *pool)
{
	size_t	 i, n = 0;

	for (i = 0; i < pool->nconns; i++)
		if (!pool->conns[i]->closing)
			n++;
	return n;
}

/* A peer as text: an address, or "the control socket". */
static const char *
http_peer_str(const struct sockaddr_storage *ss, char *buf, size_t len)
{
	const void	*a;

	if (ss->ss_family == AF_INET)
		a = &((const struct sockaddr_in *)ss)->sin_addr;
	else if (ss->ss_family == AF_INET6)
		a = &((const struct sockaddr_in6 *)ss)->sin6_addr;
	else {
		snprintf(buf, len, "the control socket");
		return buf;
	}
	if (inet_ntop(ss->ss_family, a, buf, len) == NULL)
		snprintf(buf, len, "?");
	return buf;
}

/*
 * Each new connection: our bufferevent, low priority, one reference, a
 * deadline for its first request.  At the pool's cap its listeners
 * pause, and the sweep, run at once, closes idle keep-alive connections.
 */
static struct bufferevent *
http_bev_cb(struct event_base *base, void *arg)
{
	struct http_pool	*pool = arg;
	struct http_conn	*c;
	struct bufferevent	*bev;
	SSL			*ssl;
	size_t			 i;

	/*
	 * evhttp gave the previous ones their sockets after this callback:
	 * apply the cap per address to them now, so that within one burst
	 * of accepts only this new one's peer is unknown.
	 */
	for (i = 0; i < pool->nconns; i++)
		http_conn_check(pool->conns[i]);
	/*
	 * A NULL return would make evhttp use a plain bufferevent of its
	 * own: on a TLS listener that would answer in clear.  Both calls
	 * fail only when memory is out, which is fatal anyway (xmalloc).
	 */
	if (pool->tcp && http.tls != NULL) {
		if ((ssl = SSL_new(http.tls)) == NULL ||
		    (bev = bufferevent_openssl_socket_new(base, -1, ssl,
		    BUFFEREVENT_SSL_ACCEPTING, BEV_OPT_CLOSE_ON_FREE)) == NULL)
			fatalx("%s: TLS connection: out of memory", __func__);
		/* Clients that close without close_notify are no error. */
		bufferevent_openssl_set_allow_dirty_shutdown(bev, 1);
	} else if ((bev = bufferevent_socket_new(base, -1,
	    BEV_OPT_CLOSE_ON_FREE)) == NULL)
		return NULL;
	c = xcalloc(1, sizeof(*c));
	c->tls = pool->tcp && http.tls != NULL;
	if (c->tls)
		SSL_set_app_data(bufferevent_openssl_get_ssl(bev), c);
	c->verify = c->tls &&
	    (http.client_auth == CONF_TLS_VERIFY_IF_GIVEN ||
	    http.client_auth == CONF_TLS_REQUIRE_AND_VERIFY);
	if ((c->deadline = evtimer_new(base, http_deadline_cb, c)) == NULL) {
		free(c);
		bufferevent_free(bev);
		return NULL;
	}
	event_priority_set(c->deadline, HTTP_PRIO);
	bufferevent_priority_set(bev, HTTP_PRIO);
	bufferevent_set_max_single_write(bev, HTTP_MAX_WRITE);
	bufferevent_setwatermark(bev, EV_READ, 0, HTTP_MAX_BODY_HARD +
	    HTTP_MAX_HEADERS);
	bufferevent_incref(bev);
	c->bev = bev;
	c->pool = pool;
	c->peer.ss_family = AF_UNSPEC;
	http_deadline_arm(c);
	if (pool->nconns == pool->capconns) {
		pool->capconns = pool->capconns == 0 ? 16 : pool->capconns * 2;
		pool->conns = xreallocarray(pool->conns, pool->capconns,
		    sizeof(*pool->conns));
	}
	pool->conns[pool->nconns++] = c;
	if (!pool->paused && http_live(pool) >= pool->max) {
		if (http_log_due(&pool->cap_logged))
			log_warnx("http: %zu connections open on the %s, not "
			    "accepting more for now", pool->max, pool->name);
		http_pause(pool, true);
	}
	/* The sweep learns the peer (evhttp sets the socket after us). */
	event_active(http.sweep_ev, EV_TIMEOUT, 1);
	return bev;
}

/* The deadline runs from the connection or from its last request. */
static void
http_deadline_arm(struct http_conn *c)
{
	struct timeval	 tv;

	tv.tv_sec = http.req_timeout > 0 ? http.req_timeout :
	    CONF_DFLT_HTTP_REQ_TIMEOUT;
	tv.tv_usec = 0;
	evtimer_add(c->deadline, &tv);
}

/* Shut a connection down; evhttp reads the end of file and frees it. */
static void
http_conn_close(struct http_conn *c)
{
	evutil_socket_t	 fd = bufferevent_getfd(c->bev);

	if (c->closing)
		return;
	c->closing = true;
	evtimer_del(c->deadline);
	if (fd != -1)
		shutdown(fd, SHUT_RDWR);
}

/* No complete request in time: close it. */
static void
http_deadline_cb(evutil_socket_t fd, short what, void *arg)
{
	struct http_conn	*c = arg;
	struct http_pool	*pool = c->pool;
	bufferevent_data_cb	 rcb, wcb;
	bufferevent_event_cb	 ecb;
	void			*cbarg;
	char			 a[INET6_ADDRSTRLEN];

	(void)fd;
	(void)what;
	bufferevent_getcb(c->bev, &rcb, &wcb, &ecb, &cbarg);
	if (ecb == NULL)
		return;		/* evhttp let it go: the sweep's */
	pool->nlate++;
	if (http_log_due(&pool->late_logged)) {
		log_warnx("http: no complete request from %s within %d s, "
		    "connection closed (%u such in the last %d s)",
		    http_peer_str(&c->peer, a, sizeof(a)), http.req_timeout,
		    pool->nlate, HTTP_LOG_EVERY_US / 1000000);
		pool->nlate = 0;
	}
	http_conn_close(c);
}

/* Learn a new connection's peer; over the per-source cap, close it. */
static void
http_conn_check(struct http_conn *c)
{
	struct http_pool	*pool = c->pool;
	socklen_t		 len = sizeof(c->peer);
	evutil_socket_t		 fd = bufferevent_getfd(c->bev);
	char			 a[INET6_ADDRSTRLEN];
	size_t			 i;
	int			 n = 0;

	if (c->checked || fd == -1)
		return;
	c->checked = true;
	if (getpeername(fd, (struct sockaddr *)&c->peer, &len) == -1)
		c->peer.ss_family = AF_UNSPEC;
	if (!pool->tcp || (c->peer.ss_family != AF_INET &&
	    c->peer.ss_family != AF_INET6))
		return;
	for (i = 0; i < pool->nconns; i++) {
		const struct http_conn *o = pool->conns[i];

		if (o == c || !o->checked || o->closing || http_conn_gone(o) ||
		    o->peer.ss_family != c->peer.ss_family)
			continue;
		if (c->peer.ss_family == AF_INET ? memcmp(
		    &((const struct sockaddr_in *)&o->peer)->sin_addr,
		    &((const struct sockaddr_in *)&c->peer)->sin_addr,
		    sizeof(struct in_addr)) == 0 : memcmp(
		    &((const struct sockaddr_in6 *)&o->peer)->sin6_addr,
		    &((const struct sockaddr_in6 *)&c->peer)->sin6_addr,
		    sizeof(struct in6_addr)) == 0)
			n++;
	}
	if (n < http.per_source)
		return;
	pool->nsrc++;
	if (http_log_due(&pool->src_logged)) {
		log_warnx("http: %s holds %d connections "
		    "(http-max-per-source), closing more (%u such in the "
		    "last %d s)", http_peer_str(&c->peer, a, sizeof(a)), n,
		    pool->nsrc, HTTP_LOG_EVERY_US / 1000000);
		pool->nsrc = 0;
	}
	http_conn_close(c);
}

/*
 * A full pool: close the keep-alive connections that answered a request
 * and have nothing of the next one, nor anything left to write.
 */
static void
http_evict_idle(struct http_pool *pool)
{
	struct http_conn	*c;
	size_t			 i;

	for (i = 0; i < pool->nconns; i++) {
		c = pool->conns[i];
		if (c->closing || c->nreq == 0 ||
		    evbuffer_get_length(bufferevent_get_input(c->bev)) > 0 ||
		    evbuffer_get_length(bufferevent_get_output(c->bev)) > 0)
			continue;
		http_conn_close(c);
	}
}

/* Drop our reference to the bufferevents evhttp has let go of. */
static void
http_sweep_pool(struct http_pool *pool)
{
	struct http_conn	*c;
	bufferevent_data_cb	 rcb, wcb;
	bufferevent_event_cb	 ecb;
	void			*arg;
	size_t			 i = 0;

	while (i < pool->nconns) {
		c = pool->conns[i];
		bufferevent_getcb(c->bev, &rcb, &wcb, &ecb, &arg);
		if (ecb != NULL) {
			http_conn_check(c);
			i++;
			continue;
		}
		if (c->tls && c->nreq == 0 && !c->closing)
			http_tls_failed(c);
		if (c->tls)
			SSL_set_app_data(bufferevent_openssl_get_ssl(c->bev),
			    NULL);
		bufferevent_disable(c->bev, EV_READ | EV_WRITE);
		bufferevent_decref(c->bev);
		event_free(c->deadline);
		free(c);
		pool->conns[i] = pool->conns[--pool->nconns];
	}
	if (pool->paused)
		http_evict_idle(pool);
	if (pool->paused && http_live(pool) < pool->max)
		http_pause(pool, false);
}

static void
http_sweep(void)
{
	http_sweep_pool(&http.psock);
	http_sweep_pool(&http.ptcp);
}

static void
http_sweep_cb(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	(void)what;
	(void)arg;
	http_sweep();
	if (http.psock.nconns + http.ptcp.nconns > 0)
		evtimer_add(http.sweep_ev, &http_sweep_tv);
}

/* Stop or resume accepting on a pool's listeners. */
static void
http_pause(struct http_pool *pool, bool on)
{
	struct http_srv	*srv[2] = { &http.sock, &http.tcp };
	size_t		 i, j;

	pool->paused = on;
	for (i = 0; i < 2; i++) {
		if (srv[i]->pool != pool)
			continue;
		for (j = 0; j < srv[i]->nls; j++) {
			if (on)
				evconnlistener_disable(srv[i]->ls[j]);
			else
				evconnlistener_enable(srv[i]->ls[j]);
		}
	}
}

/* The connection a request came on, NULL if unknown. */
static struct http_conn *
http_conn_of(struct evhttp_request *req)
{
	struct evhttp_connection *evcon = evhttp_request_get_connection(req);
	struct bufferevent	*bev;
	struct http_pool	*pool[2] = { &http.psock, &http.ptcp };
	size_t			 i, j;

	if (evcon == NULL ||
	    (bev = evhttp_connection_get_bufferevent(evcon)) == NULL)
		return NULL;
	for (i = 0; i < 2; i++)
		for (j = 0; j < pool[i]->nconns; j++)
			if (pool[i]->conns[j]->bev == bev)
				return pool[i]->conns[j];
	return NULL;
}

static void
http_reply(struct evhttp_request *req, int code, const char *type,
    const char *body, size_t len)
{
	struct evkeyvalq	*h = evhttp_request_get_output_headers(req);
	struct evbuffer		*out;

	evhttp_add_header(h, "Content-Type", type);
	evhttp_add_header(h, "Cache-Control", "no-store");
	if ((out = evbuffer_new()) == NULL) {
		evhttp_send_error(req, 500, NULL);
		return;
	}
	evbuffer_add(out, body, len);
	evhttp_send_reply(req, code, NULL, out);
	evbuffer_free(out);
}

/* Reply with a JSON document (consumed), indented. */
static void
http_reply_json(struct evhttp_request *req, int code, json_t *doc)
{
	http_reply_json_flags(req, code, doc, JSON_INDENT(2));
}

static void
http_reply_json_flags(struct evhttp_request *req, int code, json_t *doc,
    size_t flags)
{
	char	*s;

	if (doc == NULL || (s = json_dumps(doc, flags)) == NULL) {
		json_decref(doc);
		evhttp_send_error(req, 500, NULL);
		return;
	}
	json_decref(doc);
	http_reply(req, code, "application/json", s, strlen(s));
	free(s);
}

static void
http_body_unref(struct http_body *b)
{
	if (b != NULL && --b->refs == 0) {
		prom_buf_free(&b->pb);
		free(b);
	}
}

/* A reply that carried a body is gone. */
static void
http_body_cleanup(const void *data, size_t len, void *arg)
{
	(void)data;
	(void)len;
	http_body_unref(arg);
}

/*
 * GET /metrics: the kept exposition while its snapshot's generation is
 * current (see the top of this file), else a new one from a fresh
 * snapshot, kept in its place.
 */
static void
http_metrics(struct evhttp_request *req)
{
	struct evkeyvalq	*h = evhttp_request_get_output_headers(req);
	struct http_body	*b = http.mbody;
	struct evbuffer		*out;
	uint64_t		 now = clock_now().mono_us;

	if (b == NULL || now < http.mbody_us ||
	    now - http.mbody_us >= HTTP_METRICS_AGE_US ||
	    snap_gen() != http.msnap.gen) {
		snap_take_metrics(&http.msnap);
		b = xcalloc(1, sizeof(*b));
		b->refs = 1;
		prom_render(&http.msnap, &b->pb);
		http_body_unref(http.mbody);
		http.mbody = b;
		http.mbody_us = now;
	}
	evhttp_add_header(h, "Content-Type", PROM_CONTENT_TYPE);
	evhttp_add_header(h, "Cache-Control", "no-store");
	if ((out = evbuffer_new()) == NULL) {
		evhttp_send_error(req, 500, NULL);
		return;
	}
	b->refs++;
	if (evbuffer_add_reference(out, b->pb.data, b->pb.len,
	    http_body_cleanup, b) == -1) {
		b->refs--;
		evbuffer_free(out);
		evhttp_send_error(req, 500, NULL);
		return;
	}
	evhttp_send_reply(req, 200, NULL, out);
	evbuffer_free(out);
}

/* "pretty" among the query's parameters: ?pretty, ?pretty=1, &pretty. */
static bool
http_pretty(const char *q)
{
	const char	*p = q;

	while (p != NULL && *p != '\0') {
		if (strncmp(p, "pretty", 6) == 0 && (p[6] == '\0' ||
		    p[6] == '=' || p[6] == '&'))
			return strncmp(p + 6, "=0", 2) != 0 &&
			    strncmp(p + 6, "=false", 6) != 0;
		if ((p = strchr(p, '&')) != NULL)
			p++;
	}
	return false;
}

/* {"error": "..."} */
static void
http_error(struct evhttp_request *req, int code, const char *fmt, ...)
{
	char	 msg[512];
	va_list	 ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	http_reply_json(req, code, json_pack("{s:s}", "error", msg));
}

/*
 * A refusal, in the log with the client's address and the reason, at
 * most one line every HTTP_LOG_EVERY_US with the count since the last.
 * The client itself only gets a generic message.
 */
static void
http_auth_log(struct evhttp_request *req, int code, const char *what,
    const char *why)
{
	struct evhttp_connection *evcon = evhttp_request_get_connection(req);
	char			*addr = NULL;
	ev_uint16_t		 port = 0;

	http.nauth++;
	if (!http_log_due(&http.auth_logged))
		return;
	if (evcon != NULL)
		evhttp_connection_get_peer(evcon, &addr, &port);
	log_warnx("http: %d for %s from %s: %s (%u refused in the last "
	    "%d s)", code, what, addr != NULL ? addr : "?", why, http.nauth,
	    HTTP_LOG_EVERY_US / 1000000);
	http.nauth = 0;
}

/*
 * Over TCP: "Authorization: Bearer TOKEN", its SHA-256 compared in
 * constant time with the token's.  Returns 1 if authorized, else 0 after
 * replying 401 or 403.
 */
static int
http_authorized(struct evhttp_request *req, const char *what)
{
	struct evkeyvalq	*h = evhttp_request_get_input_headers(req);
	unsigned char		 hash[SHA256_DIGEST_LENGTH];
	const char		*a;
	char			 subj[256];
	size_t			 len;

	if (http.action_auth != CONF_ACTION_AUTH_TOKEN &&
	    !http_client_cert(req, subj, sizeof(subj))) {
		http_auth_log(req, 403, what, "no verified client "
		    "certificate");
		http_error(req, 403, "%s over TCP need a client certificate "
		    "that http-tls-client-ca verifies", what);
		return 0;
	}
	if (http.action_auth == CONF_ACTION_AUTH_CERT)
		return 1;
	if (!http.token_ok) {
		http_auth_log(req, 403, what, http.token_why);
		http_error(req, 403, "%s over TCP are disabled (the reason is "
		    "in carpd's log)", what);
		return 0;
	}
	a = evhttp_find_header(h, "Authorization");
	if (a == NULL || strncasecmp(a, "Bearer ", 7) != 0) {
		http_auth_log(req, 401, what, "no bearer token");
		evhttp_add_header(evhttp_request_get_output_headers(req),
		    "WWW-Authenticate", "Bearer realm=\"carpd\"");
		http_error(req, 401, "%s need \"Authorization: Bearer "
		    "TOKEN\"", what);
		return 0;
	}
	for (a += 7; *a == ' '; a++)
		;
	for (len = strlen(a); len > 0 && a[len - 1] == ' '; len--)
		;
	SHA256((const unsigned char *)a, len, hash);
	if (len == 0 || CRYPTO_memcmp(hash, http.token_hash,
	    sizeof(hash)) != 0) {
		http_auth_log(req, 401, what, "wrong token");
		evhttp_add_header(evhttp_request_get_output_headers(req),
		    "WWW-Authenticate",
		    "Bearer realm=\"carpd\", error=\"invalid_token\"");
		http_error(req, 401, "wrong token");
		return 0;
	}
	return 1;
}

/*
 * The request came over TLS with a client certificate that the client CA
 * verified; its subject in subj.
 */
static bool
http_client_cert(struct evhttp_request *req, char *subj, size_t len)
{
	struct http_conn	*c = http_conn_of(req);
	SSL			*ssl;
	X509			*x;

	subj[0] = '\0';
	if (c == NULL || !c->tls || !c->verify ||
	    (ssl = bufferevent_openssl_get_ssl(c->bev)) == NULL ||
	    (x = SSL_get0_peer_certificate(ssl)) == NULL ||
	    SSL_get_verify_result(ssl) != X509_V_OK)
		return false;
	X509_NAME_oneline(X509_get_subject_name(x), subj, (int)len);
	return true;
}

/* The uid of the configured user, who may own the token file too. */
static uid_t	http_user_uid = (uid_t)-1;

static void
http_token_user(const struct carpd_conf *conf)
{
	struct passwd	*pw;

	if (conf->user != NULL && (pw = getpwnam(conf->user)) != NULL)
		http_user_uid = pw->pw_uid;
	else
		http_user_uid = (uid_t)-1;
}

/*
 * Read the token: a regular file owned by root or carpd's user with no
 * group or other permission bits; its content less trailing blanks and
 * newlines.  Otherwise TCP actions are disabled, with the reason logged;
 * but a reload that cannot read it keeps the last good token, warned.
 */
static void
http_token_load(const char *path)
{
	struct stat	 st;
	char		 buf[HTTP_TOKEN_MAX + 1];
	unsigned char	 old[SHA256_DIGEST_LENGTH];
	bool		 had = http.token_ok;
	ssize_t		 n;
	size_t		 len = 0;
	int		 fd;

	memcpy(old, http.token_hash, sizeof(old));
	http.token_ok = false;
	explicit_bzero(http.token_hash, sizeof(http.token_hash));
	if (path == NULL) {
		snprintf(http.token_why, sizeof(http.token_why),
		    "no http-token-file is configured");
		goto off;
	}
	if ((fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC)) == -1) {
		snprintf(http.token_why, sizeof(http.token_why),
		    "http-token-file %s: %s", path, strerror(errno));
		goto off;
	}
	if (fstat(fd, &st) == -1 || !S_ISREG(st.st_mode)) {
		snprintf(http.token_why, sizeof(http.token_why),
		    "http-token-file %s is not a regular file", path);
		close(fd);
		goto off;
	}
	if ((st.st_uid != 0 && st.st_uid != geteuid() &&
	    st.st_uid != http_user_uid) || (st.st_mode & 077) != 0) {
		snprintf(http.token_why, sizeof(http.token_why),
		    "http-token-file %s is open to others than its owner "
		    "(mode %04o, uid %u; want 0600 or 0400, uid 0 or %u)", path,
		    (unsigned int)(st.st_mode & 07777),
		    (unsigned int)st.st_uid, (unsigned int)(http_user_uid !=
		    (uid_t)-1 ? http_user_uid : geteuid()));
		close(fd);
		goto off;
	}
	while (len < sizeof(buf) && (n = read(fd, buf + len,
	    sizeof(buf) - len)) > 0)
		len += (size_t)n;
	close(fd);
	while (len > 0 && (buf[len - 1] == '\n' || buf[len - 1] == '\r' ||
	    buf[len - 1] == ' ' || buf[len - 1] == '\t'))
		len--;
	if (len == 0 || len > HTTP_TOKEN_MAX || memchr(buf, '\n', len) !=
	    NULL) {
		snprintf(http.token_why, sizeof(http.token_why),
		    "http-token-file %s must hold one token of 1 to %d "
		    "bytes on one line", path, HTTP_TOKEN_MAX);
		explicit_bzero(buf, sizeof(buf));
		goto off;
	}
	SHA256((const unsigned char *)buf, len, http.token_hash);
	explicit_bzero(buf, sizeof(buf));
	http.token_ok = true;
	http.token_why[0] = '\0';
	if (http.nlisten > 0)
		log_info("http: actions over TCP enabled, token from %s", path);
	if (len < HTTP_TOKEN_MIN)
		log_warnx("http: the token in %s is %zu bytes long, shorter "
		    "than %d: use a longer, random one", path, len,
		    HTTP_TOKEN_MIN);
	return;
 off:
	if (had && path != NULL) {
		memcpy(http.token_hash, old, sizeof(old));
		http.token_ok = true;
		log_warnx("http: %s; keeping the token read before",
		    http.token_why);
		http.token_why[0] = '\0';
		explicit_bzero(old, sizeof(old));
		return;
	}
	explicit_bzero(old, sizeof(old));
	if (http.nlisten > 0)
		log_warnx("http: %s; actions over TCP disabled%s",
		    http.token_why, http.auth_reads ? ", and reads too "
		    "(http-auth-reads yes)" : " (reads still served)");
}

/*
 * A connection that ended before its first request with an OpenSSL
 * error: a failed handshake (no or a bad client certificate, an old
 * protocol, plain HTTP on the TLS port).  Logged at most once every
 * HTTP_LOG_EVERY_US, with the count since the last line.
 */
static void
http_tls_failed(struct http_conn *c)
{
	struct http_tls_log	*l, *slot = NULL;
	unsigned long		 e, last = 0;
	const char		*why;
	char			 a[INET6_ADDRSTRLEN], buf[256];
	size_t			 i;

	/*
	 * libevent keeps the errors last in, first out, with the
	 * SSL_get_error() code (below 256) put in first: the last packed
	 * error popped is OpenSSL's first, the cause.
	 */
	while ((e = bufferevent_get_openssl_error(c->bev)) != 0)
		if (e > 255)
			last = e;
	if (last == 0)
		return;		/* closed without a TLS error: a probe */
	/*
	 * One rate limit per reason, so that a scraper sending plain HTTP
	 * hides no missing certificate; a new reason takes the slot logged
	 * longest ago.
	 */
	for (i = 0; i < HTTP_TLS_LOG_SLOTS; i++) {
		l = &http.tls_log[i];
		if (l->reason == ERR_GET_REASON(last)) {
			slot = l;
			break;
		}
		if (slot == NULL || l->logged < slot->logged)
			slot = l;
	}
	if (slot->reason != ERR_GET_REASON(last)) {
		slot->reason = ERR_GET_REASON(last);
		slot->logged = 0;
		slot->n = 0;
	}
	slot->n++;
	if (!http_log_due(&slot->logged))
		return;
	if (c->peer.ss_family == AF_UNSPEC)
		snprintf(a, sizeof(a), "?");
	else
		http_peer_str(&c->peer, a, sizeof(a));
	if ((why = ERR_reason_error_string(last)) == NULL) {
		ERR_error_string_n(last, buf, sizeof(buf));
		why = buf;
	}
	log_warnx("http: TLS handshake with %s failed: %s (%u such in the "
	    "last %d s)", a, why, slot->n, HTTP_LOG_EVERY_US / 1000000);
	slot->n = 0;
}

/*
 * A handshake starts: note the peer.  A handshake that fails at once
 * (plain HTTP sent to the TLS port) ends before the sweep learns it, and
 * once evhttp has shut the socket down getpeername() may fail.
 */
static void
http_tls_info_cb(const SSL *ssl, int where, int ret)
{
	struct http_conn	*c;
	socklen_t		 len;
	int			 fd, one = 1;

	(void)ret;
	if (!(where & SSL_CB_HANDSHAKE_START) ||
	    (c = SSL_get_app_data(ssl)) == NULL ||
	    c->peer.ss_family != AF_UNSPEC || (fd = SSL_get_fd(ssl)) == -1)
		return;
	/*
	 * TLS writes a response as records of 16 KB, each its own send():
	 * with Nagle's algorithm the last one waits for the client's
	 * delayed ACK, 40 ms a response on a kept-alive connection.
	 */
	setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	len = sizeof(c->peer);
	if (getpeername(fd, (struct sockaddr *)&c->peer, &len) == -1)
		c->peer.ss_family = AF_UNSPEC;
}

/* RequestClientCert, RequireAnyClientCert: any certificate will do. */
static int
http_tls_verify_any(int ok, X509_STORE_CTX *x)
{
	(void)ok;
	(void)x;
	return 1;
}

/* Log why a TLS file did not load, with its line.  Returns -1. */
static int
http_tls_fail(const struct carpd_conf *conf, int line, const char *key,
    const char *file, const char *what)
{
	unsigned long	 e, first = ERR_get_error();
	const char	*why = NULL;
	char		 buf[256];

	while ((e = ERR_get_error()) != 0)
		;
	if (first != 0 && (why = ERR_reason_error_string(first)) == NULL) {
		ERR_error_string_n(first, buf, sizeof(buf));
		why = buf;
	}
	log_warnx("%s:%d: %s %s: %s%s%s", conf->path != NULL ? conf->path :
	    "carpd.conf", line, key, file, what, why != NULL ? ": " : "",
	    why != NULL ? why : "");
	return -1;
}

/*
 * The server's TLS context from http-tls-*, NULL after logging why (or
 * when there is no http-tls-cert).  TLS 1.2 at least; client
 * certificates asked for and checked as Go's tls.ClientAuthType, which
 * exporter-toolkit's client_auth_type names.
 */
static SSL_CTX *
http_tls_ctx(const struct carpd_conf *conf)
{
	static const unsigned char	 sid[] = "carpd";
	STACK_OF(X509_NAME)		*names;
	SSL_CTX				*ctx;
	int				 mode = SSL_VERIFY_NONE;
	SSL_verify_cb			 cb = NULL;

	if (conf->http_tls_cert == NULL || conf->http_tls_key == NULL)
		return NULL;
	ERR_clear_error();
	if ((ctx = SSL_CTX_new(TLS_server_method())) == NULL) {
		http_tls_fail(conf, conf->http_tls_cert_line, "http-tls-cert",
		    conf->http_tls_cert, "SSL_CTX_new failed");
		return NULL;
	}
	if (SSL_CTX_set_min_proto_version(ctx, conf->http_tls_min_version ==
	    CONF_TLS_13 ? TLS1_3_VERSION : TLS1_2_VERSION) != 1) {
		http_tls_fail(conf, conf->http_tls_cert_line, "http-tls-cert",
		    conf->http_tls_cert, "cannot set the TLS version");
		goto fail;
	}
	SSL_CTX_set_options(ctx, SSL_OP_NO_RENEGOTIATION |
	    SSL_OP_CIPHER_SERVER_PREFERENCE);
	/* Resumed sessions of verified clients need an id context. */
	SSL_CTX_set_session_id_context(ctx, sid, sizeof(sid) - 1);
	if (SSL_CTX_use_certificate_chain_file(ctx, conf->http_tls_cert) !=
	    1) {
		http_tls_fail(conf, conf->http_tls_cert_line, "http-tls-cert",
		    conf->http_tls_cert, "cannot load the certificate");
		goto fail;
	}
	if (SSL_CTX_use_PrivateKey_file(ctx, conf->http_tls_key,
	    SSL_FILETYPE_PEM) != 1) {
		http_tls_fail(conf, conf->http_tls_key_line, "http-tls-key",
		    conf->http_tls_key, "cannot load the private key");
		goto fail;
	}
	if (SSL_CTX_check_private_key(ctx) != 1) {
		http_tls_fail(conf, conf->http_tls_key_line, "http-tls-key",
		    conf->http_tls_key, "does not match http-tls-cert");
		goto fail;
	}
	if (conf->http_tls_client_ca != NULL) {
		if (SSL_CTX_load_verify_locations(ctx,
		    conf->http_tls_client_ca, NULL) != 1 ||
		    (names = SSL_load_client_CA_file(
		    conf->http_tls_client_ca)) == NULL) {
			http_tls_fail(conf, conf->http_tls_client_ca_line,
			    "http-tls-client-ca", conf->http_tls_client_ca,
			    "cannot load the CA certificates");
			goto fail;
		}
		SSL_CTX_set_client_CA_list(ctx, names);
	}
	switch (conf->http_tls_client_auth) {
	case CONF_TLS_REQUEST_CLIENT_CERT:
		mode = SSL_VERIFY_PEER;
		cb = http_tls_verify_any;
		break;
	case CONF_TLS_REQUIRE_ANY:
		mode = SSL_VERIFY_PEER | SSL_VERIFY_FAIL_IF_NO_PEER_CERT;
		cb = http_tls_verify_any;
		break;
	case CONF_TLS_VERIFY_IF_GIVEN:
		mode = SSL_VERIFY_PEER;
		break;
	case CONF_TLS_REQUIRE_AND_VERIFY:
		mode = SSL_VERIFY_PEER | SSL_VERIFY_FAIL_IF_NO_PEER_CERT;
		break;
	default:
		break;
	}
	SSL_CTX_set_verify(ctx, mode, cb);
	SSL_CTX_set_info_callback(ctx, http_tls_info_cb);
	return ctx;
 fail:
	SSL_CTX_free(ctx);
	return NULL;
}

/*
 * Load the TLS context the configuration asks for.  At a reload, a
 * certificate or key that does not load leaves the one in use; with none
 * in use the TCP listeners stay closed rather than speak in clear.
 */
static void
http_tls_load(const struct carpd_conf *conf, bool reload)
{
	SSL_CTX	*ctx;

	http.action_auth = conf->http_action_auth;
	http.tls_wanted = conf->http_tls_cert != NULL;
	if (!http.tls_wanted) {
		SSL_CTX_free(http.tls);
		http.tls = NULL;
		http.client_auth = CONF_TLS_NO_CLIENT_CERT;
		return;
	}
	if ((ctx = http_tls_ctx(conf)) == NULL) {
		if (http.tls != NULL)
			log_warnx("http: %s: keeping the TLS certificate in "
			    "use", reload ? "reload" : "start");
		else
			log_warnx("http: no TLS certificate: not listening "
			    "on TCP");
		return;
	}
	SSL_CTX_free(http.tls);		/* connections hold their own */
	http.tls = ctx;
	http.client_auth = conf->http_tls_client_auth;
	if (reload)
		log_info("http: TLS certificate %s loaded", conf->http_tls_cert);
}

int
http_tls_check(const struct carpd_conf *conf)
{
	SSL_CTX	*ctx;

	if (conf->http_tls_cert == NULL)
		return 0;
	if ((ctx = http_tls_ctx(conf)) == NULL)
		return -1;
	SSL_CTX_free(ctx);
	return 0;
}

/* A new evhttp server with the limits, its connections in a pool. */
static struct evhttp *
http_server(struct http_pool *pool)
{
	struct evhttp	*eh;

	if ((eh = evhttp_new(http.base)) == NULL)
		return NULL;
	evhttp_set_timeout(eh, HTTP_TIMEOUT);
	evhttp_set_max_headers_size(eh, HTTP_MAX_HEADERS);
	evhttp_set_max_body_size(eh, HTTP_MAX_BODY_HARD);
	evhttp_set_allowed_methods(eh, EVHTTP_REQ_GET | EVHTTP_REQ_HEAD |
	    EVHTTP_REQ_POST | EVHTTP_REQ_PUT | EVHTTP_REQ_DELETE |
	    EVHTTP_REQ_PATCH | EVHTTP_REQ_OPTIONS);
	evhttp_set_bevcb(eh, http_bev_cb, pool);
	return eh;
}

/* Open the control socket and the TCP listeners. */
static int
http_open(const struct carpd_conf *conf)
{
	struct evconnlistener	*lev;
	struct sockaddr_storage	 ss;
	int			 len, fd, errors = 0;
	size_t			 i;

	http.conf_sock = conf->control_socket != NULL ?
	    xstrdup(conf->control_socket) : NULL;
	http.nlisten = conf->nhttp_listen;
	http.listen = xreallocarray(NULL, conf->nhttp_listen + 1,
	    sizeof(*http.listen));
	for (i = 0; i < conf->nhttp_listen; i++)
		http.listen[i] = xstrdup(conf->http_listen[i]);

	if (conf->control_socket != NULL) {
		http.sock.origin = "socket";
		http.sock.pool = &http.psock;
		if ((http.sock.eh = http_server(&http.psock)) == NULL) {
			log_warnx("http: evhttp_new failed, no control "
			    "socket");
			errors++;
		} else if ((fd = ctl_sock_open(conf->control_socket,
		    HTTP_BACKLOG)) == -1)
			errors++;
		else if ((lev = evconnlistener_new(http.base, NULL, NULL,
		    LEV_OPT_CLOSE_ON_FREE | LEV_OPT_CLOSE_ON_EXEC, 0,
		    fd)) == NULL) {
			log_warnx("http: evconnlistener_new");
			close(fd);
			errors++;
		} else if (evhttp_bind_listener(http.sock.eh, lev) == NULL) {
			evconnlistener_free(lev);
			errors++;
		} else {
			http.sock.ls[http.sock.nls++] = lev;
			http.sock_path = xstrdup(conf->control_socket);
			log_info("http: control socket %s",
			    conf->control_socket);
		}
	}
	if (conf->control_socket != NULL && http.sock.eh != NULL)
		evhttp_set_gencb(http.sock.eh, http_request_cb, &http.sock);
	if (conf->nhttp_listen > 0) {
		http.tcp.origin = "http";
		http.tcp.pool = &http.ptcp;
		if ((http.tcp.eh = http_server(&http.ptcp)) == NULL) {
			log_warnx("http: evhttp_new failed, not listening on "
			    "TCP");
			return -1;
		}
		evhttp_set_gencb(http.tcp.eh, http_request_cb, &http.tcp);
	}
	for (i = 0; i < conf->nhttp_listen && !(http.tls_wanted &&
	    http.tls == NULL); i++) {
		len = sizeof(ss);
		memset(&ss, 0, sizeof(ss));
		if (evutil_parse_sockaddr_port(conf->http_listen[i],
		    (struct sockaddr *)&ss, &len) == -1) {
			log_warnx("http: bad address %s", conf->http_listen[i]);
			errors++;
			continue;
		}
		lev = evconnlistener_new_bind(http.base, NULL, NULL,
		    LEV_OPT_CLOSE_ON_FREE | LEV_OPT_CLOSE_ON_EXEC |
		    LEV_OPT_REUSEABLE | (ss.ss_family == AF_INET6 ?
		    LEV_OPT_BIND_IPV6ONLY : 0), HTTP_BACKLOG,
		    (struct sockaddr *)&ss, len);
		if (lev == NULL) {
			log_warn("http: listen on %s", conf->http_listen[i]);
			errors++;
			continue;
		}
		if (evhttp_bind_listener(http.tcp.eh, lev) == NULL) {
			evconnlistener_free(lev);
			errors++;
			continue;
		}
		http.tcp.ls[http.tcp.nls++] = lev;
		log_info("http: listening on %s", conf->http_listen[i]);
	}
	if (http.psock.paused)
		http_pause(&http.psock, true);
	if (http.ptcp.paused)
		http_pause(&http.ptcp, true);
	return errors > 0 ? -1 : 0;
}

/* Close the listeners, the connections, and remove the socket. */
static void
http_close(void)
{
	size_t	 i;

	if (http.sock.eh != NULL)
		evhttp_free(http.sock.eh);
	if (http.tcp.eh != NULL)
		evhttp_free(http.tcp.eh);
	memset(&http.sock, 0, sizeof(http.sock));
	memset(&http.tcp, 0, sizeof(http.tcp));
	if (http.sock_path != NULL) {
		ctl_sock_remove(http.sock_path);
		free(http.sock_path);
		http.sock_path = NULL;
	}
	free(http.conf_sock);
	http.conf_sock = NULL;
	for (i = 0; i < http.nlisten; i++)
		free(http.listen[i]);
	free(http.listen);
	http.listen = NULL;
	http.nlisten = 0;
	http_sweep();
}

int
http_init(struct event_base *base, const struct carpd_conf *conf)
{
	memset(&http, 0, sizeof(http));
	http.base = base;
	/*
	 * carpd's main sets three priorities before any event exists: the
	 * engine's events have the default 1, HTTP takes the lowest, 2.
	 */
	if (event_base_get_npriorities(base) < HTTP_NPRIO &&
	    event_base_priority_init(base, HTTP_NPRIO) == -1)
		log_warnx("http: cannot set event priorities");
	http.psock.name = "control socket";
	http.psock.max = HTTP_SOCK_MAX_CONNS;
	http.ptcp.name = "http-listen addresses";
	http.ptcp.max = HTTP_MAX_CONNS;
	http.ptcp.tcp = true;
	http.per_source = conf->http_max_per_source;
	http.req_timeout = conf->http_request_timeout;
	if ((http.sweep_ev = evtimer_new(base, http_sweep_cb, NULL)) ==
	    NULL) {
		log_warnx("http: evtimer_new failed, HTTP and the control "
		    "socket are off");
		http.base = NULL;
		return -1;
	}
	event_priority_set(http.sweep_ev, HTTP_PRIO);
	http.auth_reads = conf->http_auth_reads;
	http.token_file = conf->http_token_file != NULL ?
	    xstrdup(conf->http_token_file) : NULL;
	http.nlisten = conf->nhttp_listen;
	http_token_user(conf);
	http_token_load(http.token_file);
	http_tls_load(conf, false);
	return http_open(conf);
}

/* Same control socket and TCP addresses as running now. */
static bool
http_same_listen(const struct carpd_conf *conf)
{
	size_t	 i;

	if ((conf->control_socket == NULL) != (http.conf_sock == NULL) ||
	    (http.conf_sock != NULL && strcmp(http.conf_sock,
	    conf->control_socket) != 0))
		return false;
	if (conf->nhttp_listen != http.nlisten)
		return false;
	for (i = 0; i < http.nlisten; i++)
		if (strcmp(conf->http_listen[i], http.listen[i]) != 0)
			return false;
	return true;
}

void
http_reload(const struct carpd_conf *conf)
{
	if (http.base == NULL)
		return;
	http_token_user(conf);
	http.auth_reads = conf->http_auth_reads;
	http.per_source = conf->http_max_per_source;
	http.req_timeout = conf->http_request_timeout;
	free(http.token_file);
	http.token_file = conf->http_token_file != NULL ?
	    xstrdup(conf->http_token_file) : NULL;
	http_tls_load(conf, true);
	/*
	 * TLS asked for and no certificate loaded, ever: listeners open in
	 * clear must close, not go on answering in clear.
	 */
	if (!http_same_listen(conf) || http.sock.nls + http.tcp.nls <
	    (conf->control_socket != NULL) + conf->nhttp_listen ||
	    (http.tls_wanted && http.tls == NULL && http.tcp.nls > 0)) {
		log_info("http: listeners changed, reopening");
		http_close();
		http.nlisten = conf->nhttp_listen;
		http_token_load(http.token_file);
		if (http_open(conf) == -1)
			log_warnx("http: reload: not every listener could be "
			    "opened (see above); carpd runs on without them");
	} else
		http_token_load(http.token_file);
}

void
http_free(void)
{
	if (http.base == NULL)
		return;
	http_close();
	http_sweep();
	free(http.psock.conns);
	free(http.ptcp.conns);
	http_body_unref(http.mbody);
	snap_free(&http.msnap);
	if (http.sweep_ev != NULL)
		event_free(http.sweep_ev);
	free(http.token_file);
	SSL_CTX_free(http.tls);
	explicit_bzero(http.token_hash, sizeof(http.token_hash));
	memset(&http, 0, sizeof(http));
}

static enum snap_api_action
http_api_action(enum api_kind k)
{
	switch (k) {
	case API_DEMOTE:
		return SNAP_API_DEMOTE;
	case API_PROMOTE:
		return SNAP_API_PROMOTE;
	case API_MAINTENANCE:
		return SNAP_API_MAINTENANCE;
	default:
		return SNAP_API_DEMOTION;
	}
}

/*
 * The VHID a route names.  *nfound: 0 none, 1 one, 2 more (ambiguous, a
 * plain number on two interfaces).
 */
static struct carp_vhid *
http_find_vhid(const struct api_route *r, int *nfound)
{
	struct carp_node	*n = eng_node();
	struct carp_vhid	*vh, *found = NULL;
	struct carp_vhid_info	 vi;

	*nfound = 0;
	for (vh = carp_vhid_next(n, NULL); vh != NULL;
	    vh = carp_vhid_next(n, vh)) {
		carp_vhid_info(vh, &vi);
		if (vi.conf.vhid != r->vhid || (r->ifname[0] != '\0' &&
		    strcmp(vi.conf.ifname, r->ifname) != 0))
			continue;
		if (++*nfound == 1)
			found = vh;
	}
	return *nfound == 1 ? found : NULL;
}

/*
 * Who acts, for the audit line.  On the control socket: the peer's uid
 * and pid (SO_PEERCRED) and, when carpctl runs under sudo(8), the
 * SUDO_USER it passes on (only there: the socket's peer is root or
 * carpd's user, whom the claim does not raise; ctl_sock_by()).  Over
 * TCP: the client's address and the subject of its verified certificate.
 */
static const char *
http_by(struct evhttp_request *req, const struct http_srv *srv, char *buf,
    size_t len)
{
	struct evhttp_connection *evcon = evhttp_request_get_connection(req);
	struct http_conn	*c = http_conn_of(req);
	char			*addr = NULL, subj[256];
	ev_uint16_t		 port = 0;
	int			 n;

	buf[0] = '\0';
	if (srv != &http.tcp)
		return ctl_sock_by(c != NULL ? bufferevent_getfd(c->bev) : -1,
		    evhttp_find_header(evhttp_request_get_input_headers(req),
		    "Carpctl-Sudo-User"), buf, len);
	if (evcon != NULL)
		evhttp_connection_get_peer(evcon, &addr, &port);
	n = snprintf(buf, len, "client=%s", addr != NULL ? addr : "?");
	if (http_client_cert(req, subj, sizeof(subj)) && n > 0 &&
	    (size_t)n < len)
		snprintf(buf + n, len - (size_t)n, " cert=%s", subj);
	return buf;
}

/* Validate the body, act through control.c, reply with the new state. */
static void
http_action(struct evhttp_request *req, const struct http_srv *srv,
    const struct api_route *r)
{
	enum snap_api_action	 act = http_api_action(r->kind);
	struct evbuffer		*in = evhttp_request_get_input_buffer(req);
	struct api_body		 b;
	struct carp_vhid	*vh = NULL;
	struct snap		 s;
	size_t			 len = evbuffer_get_length(in), i;
	const char		*ct, *sf;
	char			 err[API_ERRLEN];
	json_t			*doc;
	char			 by[512];
	int			 rc, nfound, saved;

	ct = evhttp_find_header(evhttp_request_get_input_headers(req),
	    "Content-Type");
	if (!api_is_json_type(ct)) {
		snap_api_count(act, SNAP_API_REJECTED);
		http_error(req, 415, "the body must be application/json");
		return;
	}
	if (len > API_MAX_BODY) {
		snap_api_count(act, SNAP_API_REJECTED);
		http_error(req, 413, "body larger than %d bytes",
		    API_MAX_BODY);
		return;
	}
	if (api_body_parse(r->kind, (const char *)evbuffer_pullup(in, -1),
	    len, &b, err, sizeof(err)) == -1) {
		snap_api_count(act, SNAP_API_REJECTED);
		http_error(req, 400, "%s", err);
		return;
	}
	if (r->kind == API_DEMOTE || r->kind == API_PROMOTE) {
		if ((vh = http_find_vhid(r, &nfound)) == NULL) {
			snap_api_count(act, SNAP_API_REJECTED);
			if (nfound > 1)
				http_error(req, 409, "vhid %d is on more than "
				    "one interface: use /v1/vhids/IFNAME/%d/"
				    "%s", r->vhid, r->vhid,
				    r->kind == API_DEMOTE ? "demote" :
				    "promote");
			else if (r->ifname[0] != '\0')
				http_error(req, 404, "no vhid %d on %s",
				    r->vhid, r->ifname);
			else
				http_error(req, 404, "no vhid %d", r->vhid);
			return;
		}
	}
	http_by(req, srv, by, sizeof(by));
	errno = 0;
	switch (r->kind) {
	case API_DEMOTE:
		rc = ctl_vhid_demote(vh, b.reason, srv->origin, by);
		break;
	case API_PROMOTE:
		rc = ctl_vhid_promote(vh, b.force_master, b.reason,
		    srv->origin, by);
		break;
	case API_MAINTENANCE:
		rc = ctl_maintenance(b.enabled, b.hold, b.reason, srv->origin,
		    by);
		break;
	default:
		rc = ctl_demotion(b.value, b.reason, srv->origin, by);
		break;
	}
	saved = errno;
	if (rc == -1 && saved == EINVAL) {
		snap_api_count(act, SNAP_API_REJECTED);
		http_error(req, 409, "the engine refused the request");
		return;
	}
	if (rc == -1) {
		snap_api_count(act, SNAP_API_ERROR);
		sf = eng_conf() != NULL && eng_conf()->state_file != NULL ?
		    eng_conf()->state_file : "(none)";
		log_warnx("http: state file %s could not be written: %s", sf,
		    strerror(saved));
		http_error(req, 500, "the action took effect but the state "
		    "file %s could not be written (%s): it will not survive "
		    "a restart", sf, strerror(saved));
		return;
	}
	snap_api_count(act, rc == 1 ? SNAP_API_CHANGED : SNAP_API_UNCHANGED);
	snap_take(&s);
	doc = json_pack("{s:b}", "changed", rc == 1);
	if (vh != NULL) {
		for (i = 0; i < s.nvhids; i++)
			if (s.vhids[i].vh == vh)
				json_object_set_new(doc, "vhid",
				    status_vhid_json(&s.vhids[i]));
	} else
		json_object_set_new(doc, "node", status_node_json(&s));
	snap_free(&s);
	http_reply_json(req, 200, doc);
}

/*
 * GET /v1/vhids/[IFNAME/]VHID/why: 400 for a bad VHID or interface name,
 * 404 for one not configured, 409 for a number on two interfaces.
 */
static void
http_why(struct evhttp_request *req, const struct api_route *r, bool pretty)
{
	struct snap	 s;
	size_t		 i, found = 0, nfound = 0;

	if (r->vhid == 0) {
		http_error(req, 400, "bad vhid: 1..255, or IFNAME/1..255");
		return;
	}
	snap_take(&s);
	for (i = 0; i < s.nvhids; i++) {
		if (s.vhids[i].info.conf.vhid != r->vhid ||
		    (r->ifname[0] != '\0' &&
		    strcmp(s.vhids[i].info.conf.ifname, r->ifname) != 0))
			continue;
		if (nfound++ == 0)
			found = i;
	}
	if (nfound == 1)
		http_reply_json_flags(req, 200, why_json(&s, &s.vhids[found]),
		    pretty ? JSON_INDENT(2) : JSON_COMPACT);
	else if (nfound > 1)
		http_error(req, 409, "vhid %d is on more than one interface: "
		    "use /v1/vhids/IFNAME/%d/why", r->vhid, r->vhid);
	else if (r->ifname[0] != '\0')
		http_error(req, 404, "no vhid %d on %s", r->vhid, r->ifname);
	else
		http_error(req, 404, "no vhid %d", r->vhid);
	snap_free(&s);
}

/*
 * PUT or DELETE /v1/demotions/NAME: an entry of the demotion ledger
 * (source api; counted as the action "demotion").  400 a bad body or name,
 * 404 deleting an entry that is not there, 409 an entry that belongs to
 * another source (a tracker's, maintenance's, the engine's automatic
 * ones) or a full ledger, 500 the state file not written.
 */
static void
http_ledger(struct evhttp_request *req, const struct http_srv *srv,
    const struct api_route *r, bool del)
{
	struct evbuffer			*in = evhttp_request_get_input_buffer(req);
	const struct ledger_entry	*e;
	struct api_body			 b;
	struct snap			 s;
	size_t				 len = evbuffer_get_length(in);
	const char			*ct, *sf;
	char				 err[API_ERRLEN], by[512];
	json_t				*doc;
	int				 rc, saved;

	memset(&b, 0, sizeof(b));
	ct = evhttp_find_header(evhttp_request_get_input_headers(req),
	    "Content-Type");
	if ((!del || len > 0) && !api_is_json_type(ct)) {
		snap_api_count(SNAP_API_DEMOTION, SNAP_API_REJECTED);
		http_error(req, 415, "the body must be application/json");
		return;
	}
	if (len > API_MAX_BODY) {
		snap_api_count(SNAP_API_DEMOTION, SNAP_API_REJECTED);
		http_error(req, 413, "body larger than %d bytes",
		    API_MAX_BODY);
		return;
	}
	if ((!del || len > 0) && api_body_parse(del ? API_DEMOTIONS_DEL :
	    API_DEMOTIONS, (const char *)evbuffer_pullup(in, -1), len, &b,
	    err, sizeof(err)) == -1) {
		snap_api_count(SNAP_API_DEMOTION, SNAP_API_REJECTED);
		http_error(req, 400, "%s", err);
		return;
	}
	e = ledger_find(r->name);
	if (!ledger_name_valid(r->name) && (e == NULL || !del)) {
		snap_api_count(SNAP_API_DEMOTION, SNAP_API_REJECTED);
		if (strncmp(r->name, "link:", 5) == 0 ||
		    strncmp(r->name, "send-error:", 11) == 0)
			http_error(req, e != NULL || !del ? 409 : 404,
			    "%s is the engine's: it goes with its cause",
			    r->name);
		else
			http_error(req, 400, "bad entry name: 1 to %d of "
			    "A-Z a-z 0-9 . _ : @ -, starting with a letter or "
			    "digit", LEDGER_NAME_LEN - 1);
		return;
	}
	if (e != NULL && (e->automatic || (ledger_source_owned(e->source) &&
	    e->source != LEDGER_API))) {
		snap_api_count(SNAP_API_DEMOTION, SNAP_API_REJECTED);
		http_error(req, 409, "%s belongs to %s: it goes with its cause",
		    r->name, ledger_source_names[e->source]);
		return;
	}
	if (del && e == NULL) {
		snap_api_count(SNAP_API_DEMOTION, SNAP_API_REJECTED);
		http_error(req, 404, "no demotion entry %s", r->name);
		return;
	}
	http_by(req, srv, by, sizeof(by));
	errno = 0;
	if (del)
		rc = ctl_ledger_del(r->name, LEDGER_API, srv->origin, by);
	else
		rc = ctl_ledger_set(r->name, b.value, b.reason, b.expires_in,
		    b.persist, LEDGER_API, srv->origin, by);
	saved = errno;
	if (rc == -1 && (saved == EINVAL || saved == EPERM ||
	    saved == ENOSPC)) {
		snap_api_count(SNAP_API_DEMOTION, SNAP_API_REJECTED);
		if (saved == ENOSPC)
			http_error(req, 409, "the ledger holds %d entries "
			    "already: remove one first", LEDGER_MAX);
		else if (saved == EPERM)
			http_error(req, 409, "%s belongs to another source",
			    r->name);
		else
			http_error(req, 400, "the ledger refused the entry");
		return;
	}
	if (rc == -1) {
		snap_api_count(SNAP_API_DEMOTION, SNAP_API_ERROR);
		sf = eng_conf() != NULL && eng_conf()->state_file != NULL ?
		    eng_conf()->state_file : "(none)";
		log_warnx("http: state file %s could not be written: %s", sf,
		    strerror(saved));
		http_error(req, 500, "the change took effect but the state "
		    "file %s could not be written (%s): it will not survive "
		    "a restart", sf, strerror(saved));
		return;
	}
	snap_api_count(SNAP_API_DEMOTION, rc == 1 ? SNAP_API_CHANGED :
	    SNAP_API_UNCHANGED);
	snap_take(&s);
	doc = json_pack("{s:b}", "changed", rc == 1);
	json_object_set_new(doc, "node", status_node_json(&s));
	snap_free(&s);
	http_reply_json(req, 200, doc);
}

/* evhttp frees a connection: the sweep drops our reference at once. */
static void
http_close_cb(struct evhttp_connection *evcon, void *arg)
{
	(void)evcon;
	(void)arg;
	if (http.sweep_ev != NULL)
		event_active(http.sweep_ev, EV_TIMEOUT, 1);
}

/* Every request. */
static void
http_request_cb(struct evhttp_request *req, void *arg)
{
	const struct http_srv	*srv = arg;
	struct http_conn	*c = http_conn_of(req);
	struct evhttp_uri	*uri;
	struct api_route	 r;
	struct snap		 s;
	enum api_method		 m;
	const char		*path;
	bool			 pretty;
	static const char	 index[] = "carpd " CARPD_VERSION "\n"
	    "GET /metrics\nGET /v1/status\n"
	    "POST /v1/vhids/[IFNAME/]VHID/demote\n"
	    "POST /v1/vhids/[IFNAME/]VHID/promote\n"
	    "GET /v1/vhids/[IFNAME/]VHID/why\n"
	    "PUT /v1/maintenance\nPUT /v1/demotion\n"
	    "PUT /v1/demotions/NAME\nDELETE /v1/demotions/NAME\n";

	/* Complete in time: the next request's deadline runs from now. */
	if (c != NULL) {
		if (c->closing) {
			evhttp_send_error(req, 503, NULL);
			return;
		}
		if (c->nreq++ == 0)
			evhttp_connection_set_closecb(
			    evhttp_request_get_connection(req), http_close_cb,
			    NULL);
		http_deadline_arm(c);
	}
	switch (evhttp_request_get_command(req)) {
	case EVHTTP_REQ_GET:
		m = API_GET;
		break;
	case EVHTTP_REQ_HEAD:
		m = API_HEAD;
		break;
	case EVHTTP_REQ_POST:
		m = API_POST;
		break;
	case EVHTTP_REQ_PUT:
		m = API_PUT;
		break;
	case EVHTTP_REQ_DELETE:
		m = API_DELETE;
		break;
	default:
		m = API_OTHER;
		break;
	}
	if ((uri = evhttp_uri_parse(evhttp_request_get_uri(req))) == NULL ||
	    (path = evhttp_uri_get_path(uri)) == NULL) {
		if (uri != NULL)
			evhttp_uri_free(uri);
		http_error(req, 400, "bad request URI");
		return;
	}
	api_route(path, &r);
	pretty = http_pretty(evhttp_uri_get_query(uri));
	evhttp_uri_free(uri);
	if (r.kind == API_NONE) {
		http_error(req, 404, "no such path");
		return;
	}
	if (!api_method_ok(r.kind, m)) {
		if (api_is_action(r.kind))
			snap_api_count(http_api_action(r.kind),
			    SNAP_API_REJECTED);
		evhttp_add_header(evhttp_request_get_output_headers(req),
		    "Allow", api_allow(r.kind));
		http_error(req, 405, "method not allowed (allowed: %s)",
		    api_allow(r.kind));
		return;
	}
	if (srv == &http.tcp && (api_is_action(r.kind) || http.auth_reads) &&
	    !http_authorized(req, api_is_action(r.kind) ? "actions" :
	    "reads")) {
		if (api_is_action(r.kind))
			snap_api_count(http_api_action(r.kind),
			    SNAP_API_UNAUTHORIZED);
		return;
	}
	switch (r.kind) {
	case API_INDEX:
		http_reply(req, 200, "text/plain; charset=utf-8", index,
		    sizeof(index) - 1);
		break;
	case API_METRICS:
		http_metrics(req);
		break;
	case API_STATUS:
		/* One line: a quarter of the time of indenting it. */
		snap_take(&s);
		http_reply_json_flags(req, 200, status_json(&s), pretty ?
		    JSON_INDENT(2) : JSON_COMPACT);
		snap_free(&s);
		break;
	case API_WHY:
		http_why(req, &r, pretty);
		break;
	case API_DEMOTIONS:
		http_ledger(req, srv, &r, m == API_DELETE);
		break;
	default:
		http_action(req, srv, &r);
		break;
	}
}
