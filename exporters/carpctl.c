/*
 * carpctl.c: control carpd through its HTTP API, on the control socket
 * (default) or over TCP with a bearer token, in clear or over TLS.
 *
 *   carpctl [-s socket | -u http[s]://HOST:PORT -t tokenfile
 *       [--cacert file] [--cert file --key file]] [--json] status [-v]
 *   carpctl ... demote VHID|IFNAME/VHID|all -r reason
 *   carpctl ... promote VHID|IFNAME/VHID|all [--force-master] [-r reason]
 *   carpctl ... maintenance on [--hold] -r reason | maintenance off
 *   carpctl ... why [VHID|IFNAME/VHID]
 *   carpctl ... demotion VALUE -r reason
 *   carpctl -h | --help | -V | --version
 *
 * CARPCTL_URL and CARPCTL_TOKEN_FILE stand for -u and -t when neither -s
 * nor -u is given; CARPCTL_CACERT, CARPCTL_CERT and CARPCTL_KEY for
 * --cacert, --cert and --key.  https:// verifies carpd's certificate
 * (against --cacert, else the system's CAs) and its name or address;
 * TLS 1.2 at least.
 *
 * Exit status: 0 done, 1 refused (the message says why), 2 usage, 3 carpd
 * unreachable (no connection, a timeout, no HTTP response).
 */
#include <sys/types.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/un.h>

#include <arpa/inet.h>

#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <netdb.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>

#define CARPCTL_SOCK	"/run/carpd/carpd.sock"
#define CARPCTL_MAXRESP	(16 * 1024 * 1024)
#define CARPCTL_TIMEOUT	10	/* seconds */
#define CARP_TARGETS_MAX 1024	/* VHIDs for "all" */
#define CARP_REASON_MAX	128	/* as carpd's CARP_REASON_LEN */

/* Exit statuses. */
#define EX_DONE		0
#define EX_REFUSED	1
#define EX_USAGE	2
#define EX_UNREACHABLE	3

/* Long options without a short one. */
#define OPT_CACERT	256
#define OPT_FOR		260
#define OPT_PERSIST	261
#define OPT_CERT	257
#define OPT_KEY		258
#define OPT_HOLD	259

/* One connection: a socket, and its TLS session for https. */
struct carpctl_conn {
	int	 fd;
	SSL_CTX	*ctx;
	SSL	*ssl;
};

struct carpctl_resp {
	int	 status;
	char	*body;		/* NUL-terminated */
	size_t	 len;
};

static const char	*sock_path = CARPCTL_SOCK;
static const char	*url;
static const char	*cacert, *certfile, *keyfile;
static char		 tls_name[256];	/* the URL's host, for TLS */
static char		 token[4097];
static int		 json_out;
static int		 verbose;

static void	usage(FILE *, int) __attribute__((__noreturn__));
static void	carpctl_print_verbose(json_t *);
static const char *carpctl_str(json_t *, const char *);
static int	carpctl_connect(char *, size_t);
static int	carpctl_tls(struct carpctl_conn *, const char *);
static void	carpctl_tls_err(const char *);
static ssize_t	carpctl_write(struct carpctl_conn *, const void *, size_t);
static ssize_t	carpctl_read(struct carpctl_conn *, void *, size_t);
static void	carpctl_close(struct carpctl_conn *);
static int	carpctl_request(const char *, const char *, const char *,
		    struct carpctl_resp *);
static json_t	*carpctl_status(int *);
static void	carpctl_print_vhid(json_t *);
static void	carpctl_print_tracker(json_t *, bool);
static int	carpctl_refused(const char *, const struct carpctl_resp *);
static int	carpctl_vhids(const char *, const char *, bool,
		    const char *);
static int	carpctl_read_token(const char *);
static int	carpctl_why(const char *);
static int	carpctl_why_one(const char *);
static int	carpctl_demotion(int, char **, const char *, const char *,
		    bool);
static void	carpctl_print_ledger(json_t *);
static long long carpctl_duration(const char *);

/* The usage: on stdout and 0 when asked for, on stderr and 2 after an error. */
static void
usage(FILE *fp, int rc)
{
	fprintf(fp,
	    "usage: carpctl [-s socket | -u http[s]://host:port -t tokenfile "
	    "[--cacert file]\n"
	    "                [--cert file --key file]] [--json] status [-v]\n"
	    "       carpctl [...] demote vhid|ifname/vhid|all -r reason\n"
	    "       carpctl [...] promote vhid|ifname/vhid|all "
	    "[--force-master] [-r reason]\n"
	    "       carpctl [...] maintenance on [--hold] -r reason | "
	    "maintenance off\n"
	    "       carpctl [...] why [vhid|ifname/vhid]\n"
	    "       carpctl [...] demotion value -r reason\n"
	    "       carpctl [...] demotion [list]\n"
	    "       carpctl [...] demotion add name weight -r reason "
	    "[--for duration] [--persist]\n"
	    "       carpctl [...] demotion del name [-r reason]\n"
	    "       carpctl -h | --help | -V | --version\n");
	if (fp == stdout)
		fprintf(fp, "\n"
		    "  -s socket     the control socket (default %s)\n"
		    "  -u url        http://host:port or https://host:port "
		    "over TCP instead\n"
		    "                (env CARPCTL_URL)\n"
		    "  -t tokenfile  the bearer token for -u "
		    "(env CARPCTL_TOKEN_FILE)\n"
		    "  --cacert file the CA of carpd's certificate, for "
		    "https (env CARPCTL_CACERT)\n"
		    "  --cert file   a client certificate, for https "
		    "(env CARPCTL_CERT)\n"
		    "  --key file    its private key (env CARPCTL_KEY)\n"
		    "  --json        print carpd's JSON\n"
		    "  -v            status: the master heard, the last change, "
		    "link, demotion\n"
		    "  -r reason     why, for the audit log\n"
		    "  --hold        maintenance on: hold every VHID in BACKUP, "
		    "even with no\n"
		    "                other node (default: demote by 240, still "
		    "the last resort)\n"
		    "  --for dur     demotion add: the entry expires after "
		    "dur (90, 90s, 15m, 2h, 1d)\n"
		    "  --persist     demotion add: the entry survives a restart\n"
		    "\nexit status: 0 done, 1 refused, 2 usage, "
		    "3 carpd unreachable\n", CARPCTL_SOCK);
	exit(rc);
}

/* Read the token file: its first line, without trailing blanks. */
static int
carpctl_read_token(const char *path)
{
	FILE	*fp;
	size_t	 len;

	if ((fp = fopen(path, "r")) == NULL) {
		fprintf(stderr, "carpctl: %s: %s\n", path, strerror(errno));
		return -1;
	}
	if (fgets(token, sizeof(token), fp) == NULL)
		token[0] = '\0';
	fclose(fp);
	len = strcspn(token, "\r\n");
	while (len > 0 && (token[len - 1] == ' ' || token[len - 1] == '\t'))
		len--;
	token[len] = '\0';
	if (len == 0) {
		fprintf(stderr, "carpctl: %s: no token\n", path);
		return -1;
	}
	return 0;
}

/* Connect to the socket or the URL's host; host gets the Host header. */
static int
carpctl_connect(char *host, size_t hostlen)
{
	struct sockaddr_un	 sun;
	struct addrinfo		 hints, *res, *ai;
	struct timeval		 tv = { CARPCTL_TIMEOUT, 0 };
	char			 h[256], port[16];
	const char		*p, *e;
	int			 fd = -1, rc;

	if (url == NULL) {
		snprintf(host, hostlen, "localhost");
		memset(&sun, 0, sizeof(sun));
		sun.sun_family = AF_UNIX;
		if (strlen(sock_path) >= sizeof(sun.sun_path)) {
			fprintf(stderr, "carpctl: %s: path too long\n",
			    sock_path);
			return -1;
		}
		memcpy(sun.sun_path, sock_path, strlen(sock_path));
		if ((fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0)) ==
		    -1 || connect(fd, (struct sockaddr *)&sun,
		    sizeof(sun)) == -1) {
			fprintf(stderr, "carpctl: %s: %s\n", sock_path,
			    strerror(errno));
			if (fd != -1)
				close(fd);
			return -1;
		}
		setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
		setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
		return fd;
	}
	/* http[s]://HOST:PORT or http[s]://[ADDR]:PORT, an optional '/'. */
	p = strchr(url, ':') + 3;
	if (*p == '[') {
		if ((e = strchr(p, ']')) == NULL || e[1] != ':')
			goto bad;
		snprintf(h, sizeof(h), "%.*s", (int)(e - p - 1), p + 1);
		e++;
	} else {
		if ((e = strchr(p, ':')) == NULL)
			goto bad;
		snprintf(h, sizeof(h), "%.*s", (int)(e - p), p);
	}
	snprintf(port, sizeof(port), "%.*s", (int)strcspn(e + 1, "/"), e + 1);
	if (h[0] == '\0' || port[0] == '\0')
		goto bad;
	snprintf(host, hostlen, "%.*s", (int)strcspn(p, "/"), p);
	snprintf(tls_name, sizeof(tls_name), "%s", h);
	memset(&hints, 0, sizeof(hints));
	hints.ai_socktype = SOCK_STREAM;
	if ((rc = getaddrinfo(h, port, &hints, &res)) != 0) {
		fprintf(stderr, "carpctl: %s: %s\n", url, gai_strerror(rc));
		return -1;
	}
	for (ai = res; ai != NULL; ai = ai->ai_next) {
		if ((fd = socket(ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC,
		    ai->ai_protocol)) == -1)
			continue;
		setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
		setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
		if (connect(fd, ai->ai_addr, ai->ai_addrlen) == 0)
			break;
		close(fd);
		fd = -1;
	}
	if (fd == -1)
		fprintf(stderr, "carpctl: %s: %s\n", url, strerror(errno));
	freeaddrinfo(res);
	return fd;
 bad:
	fprintf(stderr, "carpctl: bad URL %s (want http[s]://HOST:PORT)\n",
	    url);
	return -1;
}

/* OpenSSL's first error, after what failed. */
static void
carpctl_tls_err(const char *what)
{
	unsigned long	 e = ERR_get_error();
	const char	*why = e != 0 ? ERR_reason_error_string(e) : NULL;

	fprintf(stderr, "carpctl: %s%s%s\n", what, why != NULL ? ": " : "",
	    why != NULL ? why : "");
	ERR_clear_error();
}

/*
 * TLS over a connected socket: carpd's certificate verified against
 * --cacert (else the system's CAs) and for the URL's host, a name or an
 * address; --cert and --key sent when carpd asks.  0 or -1.
 */
static int
carpctl_tls(struct carpctl_conn *c, const char *name)
{
	X509_VERIFY_PARAM	*vp;
	unsigned char		 a[sizeof(struct in6_addr)];
	long			 vr;
	int			 ip;

	if ((c->ctx = SSL_CTX_new(TLS_client_method())) == NULL ||
	    SSL_CTX_set_min_proto_version(c->ctx, TLS1_2_VERSION) != 1) {
		carpctl_tls_err("TLS");
		return -1;
	}
	SSL_CTX_set_verify(c->ctx, SSL_VERIFY_PEER, NULL);
	if ((cacert != NULL ? SSL_CTX_load_verify_locations(c->ctx, cacert,
	    NULL) : SSL_CTX_set_default_verify_paths(c->ctx)) != 1) {
		carpctl_tls_err(cacert != NULL ? cacert : "the system's CAs");
		return -1;
	}
	if (certfile != NULL && (SSL_CTX_use_certificate_chain_file(c->ctx,
	    certfile) != 1)) {
		carpctl_tls_err(certfile);
		return -1;
	}
	if (keyfile != NULL && (SSL_CTX_use_PrivateKey_file(c->ctx, keyfile,
	    SSL_FILETYPE_PEM) != 1 || SSL_CTX_check_private_key(c->ctx) !=
	    1)) {
		carpctl_tls_err(keyfile);
		return -1;
	}
	if ((c->ssl = SSL_new(c->ctx)) == NULL ||
	    SSL_set_fd(c->ssl, c->fd) != 1) {
		carpctl_tls_err("TLS");
		return -1;
	}
	vp = SSL_get0_param(c->ssl);
	ip = inet_pton(AF_INET, name, a) == 1 ||
	    inet_pton(AF_INET6, name, a) == 1;
	if (ip ? X509_VERIFY_PARAM_set1_ip_asc(vp, name) != 1 :
	    (SSL_set_tlsext_host_name(c->ssl, name) != 1 ||
	    SSL_set1_host(c->ssl, name) != 1)) {
		carpctl_tls_err(name);
		return -1;
	}
	if (SSL_connect(c->ssl) != 1) {
		if ((vr = SSL_get_verify_result(c->ssl)) != X509_V_OK) {
			fprintf(stderr, "carpctl: %s: certificate: %s\n", url,
			    X509_verify_cert_error_string(vr));
			ERR_clear_error();
		} else
			carpctl_tls_err(url);
		return -1;
	}
	return 0;
}

static ssize_t
carpctl_write(struct carpctl_conn *c, const void *buf, size_t len)
{
	int	 n;

	if (c->ssl == NULL)
		return write(c->fd, buf, len);
	if ((n = SSL_write(c->ssl, buf, len > INT_MAX ? INT_MAX :
	    (int)len)) <= 0) {
		carpctl_tls_err("TLS write");
		errno = EIO;
		return -1;
	}
	return n;
}

/* 0 at the end, also at a TLS session cut without close_notify. */
static ssize_t
carpctl_read(struct carpctl_conn *c, void *buf, size_t len)
{
	int	 n, e;

	if (c->ssl == NULL)
		return read(c->fd, buf, len);
	if ((n = SSL_read(c->ssl, buf, len > INT_MAX ? INT_MAX :
	    (int)len)) > 0)
		return n;
	e = SSL_get_error(c->ssl, n);
	if (e == SSL_ERROR_ZERO_RETURN ||
	    (e == SSL_ERROR_SYSCALL && ERR_peek_error() == 0 && errno == 0) ||
	    (e == SSL_ERROR_SSL && ERR_GET_REASON(ERR_peek_error()) ==
	    SSL_R_UNEXPECTED_EOF_WHILE_READING)) {
		ERR_clear_error();
		return 0;
	}
	if (e == SSL_ERROR_SYSCALL && errno != 0)
		return -1;
	carpctl_tls_err("TLS read");
	errno = EIO;
	return -1;
}

static void
carpctl_close(struct carpctl_conn *c)
{
	if (c->ssl != NULL) {
		SSL_shutdown(c->ssl);
		SSL_free(c->ssl);
	}
	SSL_CTX_free(c->ctx);
	if (c->fd != -1)
		close(c->fd);
	memset(c, 0, sizeof(*c));
	c->fd = -1;
}

/*
 * One HTTP/1.1 request with "Connection: close"; the whole response is
 * read to the end.  Returns 0, or -1 after a message.
 */
static int
carpctl_request(const char *method, const char *path, const char *body,
    struct carpctl_resp *r)
{
	struct carpctl_conn	 c = { -1, NULL, NULL };
	char		 host[300], *req = NULL, *buf = NULL, *hend, *p;
	char		 su[64];
	const char	*e;
	size_t		 len = 0, cap = 0, off;
	ssize_t		 n;
	int		 rl;

	memset(r, 0, sizeof(*r));
	if ((c.fd = carpctl_connect(host, sizeof(host))) == -1)
		return -1;
	if (url != NULL && strncmp(url, "https://", 8) == 0 &&
	    carpctl_tls(&c, tls_name) == -1) {
		carpctl_close(&c);
		return -1;
	}
	/* Under sudo(8), who ran it, for carpd's audit line (socket only). */
	su[0] = '\0';
	if (url == NULL && (e = getenv("SUDO_USER")) != NULL &&
	    e[0] != '\0' && strlen(e) <= 32 &&
	    strspn(e, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
	    "0123456789._-") == strlen(e))
		snprintf(su, sizeof(su), "Carpctl-Sudo-User: %s\r\n", e);
	if (body != NULL)
		rl = asprintf(&req, "%s %s HTTP/1.1\r\nHost: %s\r\n"
		    "Connection: close\r\nUser-Agent: carpctl\r\n%s"
		    "Content-Type: application/json\r\n"
		    "Content-Length: %zu\r\n%s%s%s\r\n%s", method, path, host,
		    su, strlen(body), token[0] != '\0' ?
		    "Authorization: Bearer " : "", token, token[0] != '\0' ?
		    "\r\n" : "", body);
	else
		rl = asprintf(&req, "%s %s HTTP/1.1\r\nHost: %s\r\n"
		    "Connection: close\r\nUser-Agent: carpctl\r\n%s%s%s\r\n",
		    method, path, host,
		    token[0] != '\0' ? "Authorization: Bearer " : "",
		    token, token[0] != '\0' ? "\r\n" : "");
	if (rl < 0) {
		carpctl_close(&c);
		return -1;
	}
	for (off = 0; off < (size_t)rl; off += (size_t)n)
		if ((n = carpctl_write(&c, req + off, (size_t)rl - off)) <=
		    0) {
			fprintf(stderr, "carpctl: write: %s\n",
			    strerror(errno));
			goto fail;
		}
	for (;;) {
		if (cap - len < 4096) {
			cap = cap == 0 ? 16384 : cap * 2;
			if (cap > CARPCTL_MAXRESP || (p = realloc(buf,
			    cap)) == NULL) {
				fprintf(stderr, "carpctl: response too large\n");
				goto fail;
			}
			buf = p;
		}
		if ((n = carpctl_read(&c, buf + len, cap - len - 1)) < 0) {
			if (errno == EINTR)
				continue;
			fprintf(stderr, "carpctl: read: %s\n",
			    errno == EAGAIN ? "timed out" : strerror(errno));
			goto fail;
		}
		if (n == 0)
			break;
		len += (size_t)n;
	}
	carpctl_close(&c);
	free(req);
	req = NULL;
	if (buf == NULL)
		goto short_resp;
	buf[len] = '\0';
	if (len < 12 || strncmp(buf, "HTTP/1.", 7) != 0 ||
	    (hend = strstr(buf, "\r\n\r\n")) == NULL)
		goto short_resp;
	r->status = atoi(buf + 9);
	hend += 4;
	r->len = len - (size_t)(hend - buf);
	if ((r->body = malloc(r->len + 1)) == NULL)
		goto fail;
	memcpy(r->body, hend, r->len);
	r->body[r->len] = '\0';
	free(buf);
	return 0;
 short_resp:
	fprintf(stderr, "carpctl: no valid HTTP response\n");
 fail:
	carpctl_close(&c);
	free(req);
	free(buf);
	return -1;
}

/* Report a refused request from its {"error": "..."}.  Returns 1. */
static int
carpctl_refused(const char *what, const struct carpctl_resp *r)
{
	json_t		*doc;
	const char	*msg = NULL;

	doc = json_loads(r->body != NULL ? r->body : "", 0, NULL);
	if (doc != NULL)
		msg = json_string_value(json_object_get(doc, "error"));
	fprintf(stderr, "carpctl: %s: refused (%d): %s\n", what, r->status,
	    msg != NULL ? msg : "no reason given");
	json_decref(doc);
	return 1;
}

/* GET /v1/status; NULL after a message, *rc the exit status. */
static json_t *
carpctl_status(int *rc)
{
	struct carpctl_resp	 r;
	json_t			*doc;

	*rc = EX_UNREACHABLE;
	if (carpctl_request("GET", "/v1/status", NULL, &r) == -1)
		return NULL;
	*rc = EX_REFUSED;
	if (r.status != 200) {
		carpctl_refused("status", &r);
		free(r.body);
		return NULL;
	}
	doc = json_loads(r.body, 0, NULL);
	free(r.body);
	if (doc == NULL)
		fprintf(stderr, "carpctl: status: bad JSON\n");
	return doc;
}

/* As FreeBSD's ifconfig shows it. */
static void
carpctl_print_vhid(json_t *v)
{
	json_t	*admin = json_object_get(v, "admin");
	json_t	*vrrp = json_object_get(v, "vrrp");

	/* A VRRPv3 VHID as FreeBSD's carp_status prints it. */
	if (json_is_object(vrrp))
		printf("%s: vrrp: %s vrid %d prio %d interval %d\n",
		    json_string_value(json_object_get(v, "interface")),
		    json_string_value(json_object_get(v, "state")),
		    (int)json_integer_value(json_object_get(v, "vhid")),
		    (int)json_integer_value(json_object_get(vrrp, "priority")),
		    (int)json_integer_value(json_object_get(vrrp, "interval")));
	else
		printf("%s: carp: %s vhid %d advbase %d advskew %d\n",
		    json_string_value(json_object_get(v, "interface")),
		    json_string_value(json_object_get(v, "state")),
		    (int)json_integer_value(json_object_get(v, "vhid")),
		    (int)json_integer_value(json_object_get(v, "advbase")),
		    (int)json_integer_value(json_object_get(v, "advskew")));
	if (json_is_true(json_object_get(admin, "demoted")))
		printf("%s: vhid %d demoted by administrator: %s\n",
		    json_string_value(json_object_get(v, "interface")),
		    (int)json_integer_value(json_object_get(v, "vhid")),
		    json_string_value(json_object_get(admin, "reason")));
}

/*
 * A tracker: "track script web: down, demotion 240 (timeout, 3 failures
 * in a row)"; with -v its last result's time and its counters too.
 */
static void
carpctl_print_tracker(json_t *t, bool full)
{
	json_t		*x = json_object_get(t, "last_exit_status");
	json_t		*c = json_object_get(t, "counters");
	json_t		*lr = json_object_get(t, "last_run");
	bool		 up = json_is_true(json_object_get(t, "up"));

	printf("track %s %s: %s", carpctl_str(t, "kind"),
	    carpctl_str(t, "name"), up ? "up" : "down");
	if (!up)
		printf(", demotion %d", (int)json_integer_value(
		    json_object_get(t, "demotion")));
	printf(" (%s", carpctl_str(t, "last_result"));
	if (json_is_integer(x))
		printf(" %d", (int)json_integer_value(x));
	printf(", %d pass%s, %d failure%s in a row)\n",
	    (int)json_integer_value(json_object_get(t, "consecutive_passes")),
	    json_integer_value(json_object_get(t, "consecutive_passes")) ==
	    1 ? "" : "es",
	    (int)json_integer_value(json_object_get(t,
	    "consecutive_failures")),
	    json_integer_value(json_object_get(t, "consecutive_failures")) ==
	    1 ? "" : "s");
	if (!full)
		return;
	printf("\tlast result %s, since %s\n", json_is_object(lr) ?
	    carpctl_str(lr, "iso8601") : "never", json_is_object(
	    json_object_get(t, "since")) ? carpctl_str(json_object_get(t,
	    "since"), "iso8601") : "-");
	printf("\t%lld results, %lld failures, %lld timeouts, %lld "
	    "changes\n",
	    (long long)json_integer_value(json_object_get(c, "results")),
	    (long long)json_integer_value(json_object_get(c, "failures")),
	    (long long)json_integer_value(json_object_get(c, "timeouts")),
	    (long long)json_integer_value(json_object_get(c, "transitions")));
}

static const char *
carpctl_str(json_t *o, const char *key)
{
	const char	*v = json_string_value(json_object_get(o, key));

	return v != NULL ? v : "-";
}

/*
 * status -v: under each VHID, the master it hears, its last change, its
 * link and its advskew with the demotion, its addresses.
 */
static void
carpctl_print_verbose(json_t *v)
{
	json_t		*lt = json_object_get(v, "last_transition");
	json_t		*t = json_object_get(lt, "time");
	json_t		*vrrp = json_object_get(v, "vrrp");
	json_t		*a;
	size_t		 i;
	const char	*sep = "";

	printf("\tmaster %s%s\n", carpctl_str(v, "master"),
	    json_is_true(json_object_get(v, "master_is_self")) ?
	    " (this node)" : json_is_null(json_object_get(v, "master")) ?
	    " (not known)" : "");
	printf("\tlast change %s (%s)\n", json_is_object(t) ?
	    carpctl_str(t, "iso8601") : "never", carpctl_str(lt, "reason"));
	if (json_is_object(vrrp))
		printf("\tlink %s, prio %d, effective prio %d, master interval "
		    "%d, accept %s\n",
		    json_is_true(json_object_get(v, "link_up")) ? "up" : "down",
		    (int)json_integer_value(json_object_get(vrrp, "priority")),
		    (int)json_integer_value(json_object_get(vrrp,
		    "effective_priority")),
		    (int)json_integer_value(json_object_get(vrrp,
		    "master_interval")),
		    json_is_true(json_object_get(vrrp, "accept")) ? "on" :
		    "off");
	else
		printf("\tlink %s, advskew %d, effective advskew %d\n",
		    json_is_true(json_object_get(v, "link_up")) ? "up" :
		    "down",
		    (int)json_integer_value(json_object_get(v, "advskew")),
		    (int)json_integer_value(json_object_get(v,
		    "effective_advskew")));
	printf("\taddresses ");
	json_array_foreach(json_object_get(v, "addresses"), i, a) {
		printf("%s%s", sep, json_string_value(a) != NULL ?
		    json_string_value(a) : "?");
		sep = " ";
	}
	printf("\n");
}

/* GET /v1/vhids/TARGET/why: print its "text" (or the JSON). */
static int
carpctl_why_one(const char *target)
{
	struct carpctl_resp	 r;
	json_t			*doc, *l;
	char			 path[128], what[64];
	size_t			 i;

	snprintf(path, sizeof(path), "/v1/vhids/%s/why", target);
	snprintf(what, sizeof(what), "why %s", target);
	if (carpctl_request("GET", path, NULL, &r) == -1)
		return EX_UNREACHABLE;
	if (r.status != 200) {
		carpctl_refused(what, &r);
		free(r.body);
		return EX_REFUSED;
	}
	if (json_out) {
		fputs(r.body, stdout);
		if (r.len > 0 && r.body[r.len - 1] != '\n')
			putchar('\n');
	} else if ((doc = json_loads(r.body, 0, NULL)) != NULL) {
		json_array_foreach(json_object_get(doc, "text"), i, l)
			printf("%s%s\n", i == 0 ? "" : "  ",
			    json_string_value(l) != NULL ?
			    json_string_value(l) : "");
		json_decref(doc);
	} else {
		fprintf(stderr, "carpctl: %s: bad JSON\n", what);
		free(r.body);
		return EX_REFUSED;
	}
	free(r.body);
	return EX_DONE;
}

/* why: one VHID, or every VHID (from the status) when none is named. */
static int
carpctl_why(const char *target)
{
	json_t		*st, *v;
	char		 name[40];
	size_t		 i;
	int		 rc, one;

	if (target != NULL)
		return carpctl_why_one(target);
	if ((st = carpctl_status(&rc)) == NULL)
		return rc;
	rc = EX_DONE;
	json_array_foreach(json_object_get(st, "vhids"), i, v) {
		snprintf(name, sizeof(name), "%s/%d",
		    json_string_value(json_object_get(v, "interface")),
		    (int)json_integer_value(json_object_get(v, "vhid")));
		if (i > 0 && !json_out)
			putchar('\n');
		if ((one = carpctl_why_one(name)) != EX_DONE)
			rc = one;
	}
	if (json_array_size(json_object_get(st, "vhids")) == 0)
		fprintf(stderr, "carpctl: no vhid configured\n");
	json_decref(st);
	return rc;
}

/*
 * demote or promote: one VHID (N or IFNAME/N) or all of them, one request
 * each.  Returns the exit status.
 */
static int
carpctl_vhids(const char *action, const char *target, bool force,
    const char *reason)
{
	struct carpctl_resp	 r;
	json_t			*st = NULL, *v, *body, *doc;
	char			 path[128], what[96], *b;
	const char		*targets[CARP_TARGETS_MAX];
	char			 names[CARP_TARGETS_MAX][40];
	size_t			 i, n = 0;
	int			 rc = 0;

	if (strcmp(target, "all") == 0) {
		if ((st = carpctl_status(&rc)) == NULL)
			return rc;
		rc = EX_DONE;
		json_array_foreach(json_object_get(st, "vhids"), i, v) {
			if (n == CARP_TARGETS_MAX)
				break;
			snprintf(names[n], sizeof(names[n]), "%s/%d",
			    json_string_value(json_object_get(v,
			    "interface")), (int)json_integer_value(
			    json_object_get(v, "vhid")));
			targets[n] = names[n];
			n++;
		}
		json_decref(st);
		if (n == 0) {
			fprintf(stderr, "carpctl: no vhid configured\n");
			return 1;
		}
	} else
		targets[n++] = target;

	body = json_object();
	if (reason != NULL)
		json_object_set_new(body, "reason", json_string(reason));
	if (strcmp(action, "promote") == 0)
		json_object_set_new(body, "force_master", json_boolean(force));
	b = json_dumps(body, JSON_COMPACT);
	json_decref(body);
	for (i = 0; i < n; i++) {
		snprintf(path, sizeof(path), "/v1/vhids/%s/%s", targets[i],
		    action);
		snprintf(what, sizeof(what), "%s %s", action, targets[i]);
		if (carpctl_request("POST", path, b, &r) == -1) {
			rc = EX_UNREACHABLE;
			continue;
		}
		if (r.status != 200) {
			carpctl_refused(what, &r);
			if (rc != EX_UNREACHABLE)
				rc = EX_REFUSED;
			free(r.body);
			continue;
		}
		if (json_out)
			fputs(r.body, stdout);
		else if ((doc = json_loads(r.body, 0, NULL)) != NULL) {
			carpctl_print_vhid(json_object_get(doc, "vhid"));
			if (!json_is_true(json_object_get(doc, "changed")))
				printf("(%s: already in effect)\n", what);
			json_decref(doc);
		}
		free(r.body);
	}
	free(b);
	return rc;
}

int
main(int argc, char *argv[])
{
	static const struct option gopts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "version", no_argument, NULL, 'V' },
		{ "help", no_argument, NULL, 'h' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "cacert", required_argument, NULL, OPT_CACERT },
		{ "cert", required_argument, NULL, OPT_CERT },
		{ "key", required_argument, NULL, OPT_KEY },
		{ NULL, 0, NULL, 0 }
	};
	static const struct option copts[] = {
		{ "force-master", no_argument, NULL, 'f' },
		{ "reason", required_argument, NULL, 'r' },
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "hold", no_argument, NULL, OPT_HOLD },
		{ "for", required_argument, NULL, OPT_FOR },
		{ "persist", no_argument, NULL, OPT_PERSIST },
		{ NULL, 0, NULL, 0 }
	};
	const char		*dfor = NULL;
	bool			 persist = false;
	struct carpctl_resp	 r;
	json_t			*st, *v, *node, *body, *doc;
	const char		*cmd, *reason = NULL, *tokfile = NULL;
	char			*b, *end;
	size_t			 i;
	long			 val;
	const char		*env;
	int			 ch, force = 0, hold = 0, rc, sock_given = 0;
	bool			 tls_given;

	while ((ch = getopt_long(argc, argv, "+hs:t:u:vV", gopts, NULL)) !=
	    -1) {
		switch (ch) {
		case 'h':
			usage(stdout, EX_DONE);
		case 'v':
			verbose = 1;
			break;
		case 's':
			sock_path = optarg;
			sock_given = 1;
			break;
		case 't':
			tokfile = optarg;
			break;
		case 'u':
			url = optarg;
			break;
		case OPT_CACERT:
			cacert = optarg;
			break;
		case OPT_CERT:
			certfile = optarg;
			break;
		case OPT_KEY:
			keyfile = optarg;
			break;
		case 'j':
			json_out = 1;
			break;
		case 'V':
			printf("carpctl %s\n", CARPD_VERSION);
			return EX_DONE;
		default:
			usage(stderr, EX_USAGE);
		}
	}
	argc -= optind;
	argv += optind;
	if (argc < 1)
		usage(stderr, EX_USAGE);
	/* The environment, unless the command line names the endpoint. */
	if (url == NULL && !sock_given && (env = getenv("CARPCTL_URL")) !=
	    NULL && env[0] != '\0')
		url = env;
	if (url != NULL && tokfile == NULL &&
	    (env = getenv("CARPCTL_TOKEN_FILE")) != NULL && env[0] != '\0')
		tokfile = env;
	tls_given = cacert != NULL || certfile != NULL || keyfile != NULL;
	if (cacert == NULL && (env = getenv("CARPCTL_CACERT")) != NULL &&
	    env[0] != '\0')
		cacert = env;
	if (certfile == NULL && (env = getenv("CARPCTL_CERT")) != NULL &&
	    env[0] != '\0')
		certfile = env;
	if (keyfile == NULL && (env = getenv("CARPCTL_KEY")) != NULL &&
	    env[0] != '\0')
		keyfile = env;
	if (url != NULL && strncmp(url, "http://", 7) != 0 &&
	    strncmp(url, "https://", 8) != 0) {
		fprintf(stderr, "carpctl: -u takes http://HOST:PORT or "
		    "https://HOST:PORT\n");
		usage(stderr, EX_USAGE);
	}
	if ((certfile == NULL) != (keyfile == NULL)) {
		fprintf(stderr, "carpctl: --cert and --key go together\n");
		usage(stderr, EX_USAGE);
	}
	/* The environment's may be set for every carpd, the options not. */
	if (tls_given && (url == NULL || strncmp(url, "https://", 8) != 0)) {
		fprintf(stderr, "carpctl: --cacert, --cert and --key go with "
		    "-u https://\n");
		usage(stderr, EX_USAGE);
	}
	if (tokfile != NULL && url == NULL) {
		fprintf(stderr, "carpctl: -t goes with -u\n");
		usage(stderr, EX_USAGE);
	}
	cmd = argv[0];
	/* Options after the command; 0 makes glibc start afresh. */
	optind = 0;
	while ((ch = getopt_long(argc, argv, "hr:v", copts, NULL)) != -1) {
		switch (ch) {
		case 'h':
			usage(stdout, EX_DONE);
		case 'v':
			verbose = 1;
			break;
		case 'f':
			force = 1;
			break;
		case OPT_HOLD:
			hold = 1;
			break;
		case 'r':
			reason = optarg;
			break;
		case OPT_FOR:
			dfor = optarg;
			break;
		case OPT_PERSIST:
			persist = true;
			break;
		case 'j':
			json_out = 1;
			break;
		case 'V':
			printf("carpctl %s\n", CARPD_VERSION);
			return 0;
		default:
			usage(stderr, EX_USAGE);
		}
	}
	argc -= optind;
	argv += optind;
	if (strcmp(cmd, "status") != 0 && strcmp(cmd, "demote") != 0 &&
	    strcmp(cmd, "promote") != 0 && strcmp(cmd, "maintenance") != 0 &&
	    strcmp(cmd, "demotion") != 0 && strcmp(cmd, "why") != 0) {
		fprintf(stderr, "carpctl: unknown command %s\n", cmd);
		usage(stderr, EX_USAGE);
	}
	if ((force && strcmp(cmd, "promote") != 0) ||
	    (hold && strcmp(cmd, "maintenance") != 0) ||
	    (verbose && strcmp(cmd, "status") != 0))
		usage(stderr, EX_USAGE);
	if (reason != NULL && strlen(reason) >= CARP_REASON_MAX) {
		fprintf(stderr, "carpctl: reason longer than %d bytes\n",
		    CARP_REASON_MAX - 1);
		return EX_USAGE;
	}
	if (tokfile != NULL && carpctl_read_token(tokfile) == -1)
		return EX_USAGE;
	if ((dfor != NULL || persist) && (strcmp(cmd, "demotion") != 0 ||
	    argc < 1 || strcmp(argv[0], "add") != 0)) {
		fprintf(stderr, "carpctl: --for and --persist go with "
		    "demotion add\n");
		usage(stderr, EX_USAGE);
	}
	if (strcmp(cmd, "demotion") == 0 && (argc == 0 ||
	    strcmp(argv[0], "add") == 0 || strcmp(argv[0], "del") == 0 ||
	    strcmp(argv[0], "list") == 0))
		return carpctl_demotion(argc, argv, reason, dfor, persist);

	if (strcmp(cmd, "status") == 0) {
		if (argc != 0)
			usage(stderr, EX_USAGE);
		if ((st = carpctl_status(&rc)) == NULL)
			return rc;
		if (json_out) {
			json_dumpf(st, stdout, JSON_INDENT(2));
			putchar('\n');
			json_decref(st);
			return 0;
		}
		json_array_foreach(json_object_get(st, "vhids"), i, v) {
			carpctl_print_vhid(v);
			if (verbose)
				carpctl_print_verbose(v);
		}
		node = json_object_get(st, "node");
		if (verbose)
			printf("demotion %d (administrative %d)\n",
			    (int)json_integer_value(json_object_get(node,
			    "demotion")), (int)json_integer_value(
			    json_object_get(node, "admin_demotion")));
		else
			printf("demotion %d\n", (int)json_integer_value(
			    json_object_get(node, "demotion")));
		v = json_object_get(node, "maintenance");
		if (json_is_true(json_object_get(v, "enabled")))
			printf("maintenance on (%s)\n", json_string_value(
			    json_object_get(v, "reason")));
		else
			printf("maintenance off\n");
		json_array_foreach(json_object_get(st, "trackers"), i, v)
			carpctl_print_tracker(v, verbose);
		json_decref(st);
		return 0;
	}
	if (strcmp(cmd, "why") == 0) {
		if (argc > 1)
			usage(stderr, EX_USAGE);
		if (argc == 1 && (strchr(argv[0], ' ') ||
		    strchr(argv[0], '?') || strchr(argv[0], '%') ||
		    strchr(argv[0], '#') || strlen(argv[0]) > 32)) {
			fprintf(stderr, "carpctl: bad vhid %s\n", argv[0]);
			usage(stderr, EX_USAGE);
		}
		return carpctl_why(argc == 1 ? argv[0] : NULL);
	}
	if (strcmp(cmd, "demote") == 0 || strcmp(cmd, "promote") == 0) {
		if (argc != 1 || (cmd[0] == 'd' && reason == NULL)) {
			if (cmd[0] == 'd' && reason == NULL)
				fprintf(stderr, "carpctl: demote needs -r "
				    "reason\n");
			usage(stderr, EX_USAGE);
		}
		if (strcmp(argv[0], "all") != 0 && (strchr(argv[0], ' ') ||
		    strchr(argv[0], '?') || strchr(argv[0], '%') ||
		    strlen(argv[0]) > 32)) {
			fprintf(stderr, "carpctl: bad vhid %s\n", argv[0]);
			usage(stderr, EX_USAGE);
		}
		return carpctl_vhids(cmd, argv[0], force, reason);
	}

	/* Checked before the body exists: usage() exits. */
	if (strcmp(cmd, "maintenance") == 0) {
		if (argc != 1 || (strcmp(argv[0], "on") != 0 &&
		    strcmp(argv[0], "off") != 0))
			usage(stderr, EX_USAGE);
		if (strcmp(argv[0], "on") == 0 && reason == NULL) {
			fprintf(stderr, "carpctl: maintenance on needs -r "
			    "reason\n");
			usage(stderr, EX_USAGE);
		}
		if (hold && strcmp(argv[0], "on") != 0) {
			fprintf(stderr, "carpctl: --hold goes with "
			    "maintenance on\n");
			usage(stderr, EX_USAGE);
		}
		body = json_object();
		json_object_set_new(body, "enabled",
		    json_boolean(strcmp(argv[0], "on") == 0));
		if (hold)
			json_object_set_new(body, "hold", json_true());
	} else {
		if (argc != 1 || reason == NULL) {
			if (reason == NULL)
				fprintf(stderr, "carpctl: demotion needs -r "
				    "reason\n");
			usage(stderr, EX_USAGE);
		}
		errno = 0;
		val = strtol(argv[0], &end, 10);
		if (argv[0][0] == '\0' || *end != '\0' || errno != 0 ||
		    val < INT_MIN || val > INT_MAX) {
			fprintf(stderr, "carpctl: bad demotion %s\n", argv[0]);
			usage(stderr, EX_USAGE);
		}
		body = json_object();
		json_object_set_new(body, "value", json_integer(val));
	}
	if (reason != NULL)
		json_object_set_new(body, "reason", json_string(reason));
	b = json_dumps(body, JSON_COMPACT);
	json_decref(body);
	rc = carpctl_request("PUT", cmd[0] == 'm' ? "/v1/maintenance" :
	    "/v1/demotion", b, &r);
	free(b);
	if (rc == -1)
		return EX_UNREACHABLE;
	if (r.status != 200) {
		rc = carpctl_refused(cmd, &r);
		free(r.body);
		return rc;
	}
	if (json_out)
		fputs(r.body, stdout);
	else if ((doc = json_loads(r.body, 0, NULL)) != NULL) {
		node = json_object_get(doc, "node");
		v = json_object_get(node, "maintenance");
		printf("demotion %d\nmaintenance %s\n",
		    (int)json_integer_value(json_object_get(node,
		    "demotion")), json_is_true(json_object_get(v,
		    "enabled")) ? "on" : "off");
		if (json_is_true(json_object_get(v, "enabled")))
			printf("(%s: %s)\n", cmd, json_is_string(
			    json_object_get(v, "mode")) && strcmp(
			    json_string_value(json_object_get(v, "mode")),
			    "hold") == 0 ? "held in BACKUP, even alone" :
			    "demoted by 240, still the last resort");
		if (!json_is_true(json_object_get(doc, "changed")))
			printf("(%s: already in effect)\n", cmd);
		json_decref(doc);
	}
	free(r.body);
	return 0;
}

/*
 * The demotion ledger.
 */

/* "90", "90s", "15m", "2h", "1d": seconds, or -1. */
static long long
carpctl_duration(const char *s)
{
	char		*end;
	long long	 v, m = 1;

	errno = 0;
	v = strtoll(s, &end, 10);
	if (s[0] < '0' || s[0] > '9' || errno != 0 || v <= 0)
		return -1;
	if (*end != '\0') {
		if (end[1] != '\0')
			return -1;
		switch (*end) {
		case 's':
			break;
		case 'm':
			m = 60;
			break;
		case 'h':
			m = 3600;
			break;
		case 'd':
			m = 86400;
			break;
		default:
			return -1;
		}
	}
	if (v > 366LL * 86400 / m)
		return -1;
	return v * m;
}

/* "demotion TOTAL", then an entry a line. */
static void
carpctl_print_ledger(json_t *node)
{
	json_t		*d = json_object_get(node, "demotions"), *e, *t;
	const char	*origin;
	size_t		 i;

	printf("demotion %d\n", (int)json_integer_value(json_object_get(d,
	    "total")));
	json_array_foreach(json_object_get(d, "entries"), i, e) {
		printf("  %s %s %d", json_string_value(json_object_get(e,
		    "name")), json_string_value(json_object_get(e, "source")),
		    (int)json_integer_value(json_object_get(e, "weight")));
		if ((t = json_object_get(json_object_get(e, "since"),
		    "iso8601")) != NULL)
			printf(" since %s", json_string_value(t));
		if ((t = json_object_get(json_object_get(e, "expires"),
		    "iso8601")) != NULL)
			printf(" expires %s", json_string_value(t));
		if (json_is_true(json_object_get(e, "persist")))
			printf(" persist");
		if ((origin = json_string_value(json_object_get(e,
		    "origin"))) != NULL)
			printf(" by %s", origin);
		printf(": %s\n", json_string_value(json_object_get(e,
		    "reason")));
	}
}

/* demotion [list], demotion add NAME WEIGHT, demotion del NAME. */
static int
carpctl_demotion(int argc, char **argv, const char *reason,
    const char *dfor, bool persist)
{
	static const char	 ok[] = "abcdefghijklmnopqrstuvwxyz"
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._:@-";
	struct carpctl_resp	 r;
	json_t			*st, *body = NULL, *doc;
	long long		 secs = 0;
	long			 w = 0;
	char			*b = NULL, *end, path[128];
	int			 rc;
	bool			 add;

	if (argc == 0 || strcmp(argv[0], "list") == 0) {
		if (argc > 1 || reason != NULL)
			usage(stderr, EX_USAGE);
		if ((st = carpctl_status(&rc)) == NULL)
			return rc;
		if (json_out) {
			json_dumpf(json_object_get(json_object_get(st, "node"),
			    "demotions"), stdout, JSON_INDENT(2));
			putchar('\n');
		} else
			carpctl_print_ledger(json_object_get(st, "node"));
		json_decref(st);
		return EX_DONE;
	}
	add = strcmp(argv[0], "add") == 0;
	if (argc != (add ? 3 : 2) || (add && reason == NULL)) {
		if (add && reason == NULL)
			fprintf(stderr, "carpctl: demotion add needs -r "
			    "reason\n");
		usage(stderr, EX_USAGE);
	}
	if (argv[1][0] == '\0' || strlen(argv[1]) > 63 ||
	    strspn(argv[1], ok) != strlen(argv[1])) {
		fprintf(stderr, "carpctl: bad entry name %s: 1 to 63 of "
		    "A-Z a-z 0-9 . _ : @ -\n", argv[1]);
		return EX_USAGE;
	}
	snprintf(path, sizeof(path), "/v1/demotions/%s", argv[1]);
	if (add) {
		errno = 0;
		w = strtol(argv[2], &end, 10);
		if (argv[2][0] == '\0' || *end != '\0' || errno != 0 ||
		    w < INT_MIN || w > INT_MAX) {
			fprintf(stderr, "carpctl: bad weight %s\n", argv[2]);
			return EX_USAGE;
		}
		if (dfor != NULL && (secs = carpctl_duration(dfor)) == -1) {
			fprintf(stderr, "carpctl: bad duration %s (90, 90s, "
			    "15m, 2h, 1d; at most 366 days)\n", dfor);
			return EX_USAGE;
		}
		body = json_pack("{s:I, s:s, s:b}", "weight", (json_int_t)w,
		    "reason", reason, "persist", persist);
		if (secs > 0)
			json_object_set_new(body, "expires_in",
			    json_integer(secs));
	} else if (reason != NULL)
		body = json_pack("{s:s}", "reason", reason);
	if (body != NULL) {
		b = json_dumps(body, JSON_COMPACT);
		json_decref(body);
	}
	rc = carpctl_request(add ? "PUT" : "DELETE", path, b, &r);
	free(b);
	if (rc == -1)
		return EX_UNREACHABLE;
	if (r.status != 200) {
		rc = carpctl_refused("demotion", &r);
		free(r.body);
		return rc;
	}
	if (json_out)
		fputs(r.body, stdout);
	else if ((doc = json_loads(r.body, 0, NULL)) != NULL) {
		carpctl_print_ledger(json_object_get(doc, "node"));
		if (!json_is_true(json_object_get(doc, "changed")))
			printf("(demotion %s: already in effect)\n", argv[0]);
		json_decref(doc);
	}
	free(r.body);
	return EX_DONE;
}
