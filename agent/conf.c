/*
 * conf.c: parse and print the carpd configuration file.
 *
 * The file is line based.  Each line is, after leading blanks:
 *
 *  - empty, or a comment starting with '#';
 *  - NAME=VALUE with a dotted NAME: a sysctl.conf line.  Only the
 *    net.inet.carp sysctls below are understood; an unknown
 *    net.inet.carp.* name is an error (a typo), any other sysctl is
 *    skipped with a warning, since users paste whole sysctl.conf files;
 *  - NAME=VALUE with NAME starting "ifconfig_": an rc.conf ifconfig line.
 *    The interface is what follows "ifconfig_", less a trailing
 *    "_aliasN" or "_ipv6".  VALUE, quoted with ' or " or a single word,
 *    is split on blanks (no quoting inside) and read as ifconfig
 *    arguments;
 *  - any other NAME=VALUE (hostname="x", sshd_enable="YES"): another
 *    rc.conf variable, skipped with a warning, since users paste whole
 *    rc.conf files;
 *  - "ifconfig IF ARGS...": the plain form of the same;
 *  - "KEY VALUE": one of carpd's own keys (conf_keys[] below).
 *
 * Words outside an rc.conf value are split as sh(1) does, without
 * backslashes: quotes group and glue ('a b'"c" is one word "a bc"), and
 * '#' starts a comment only at the start of a word.
 *
 * The ifconfig arguments are the words of conf_ifwords[] below, plus one
 * ADDR[/LEN] per line, before or after vhid, also right after the
 * password ("pass x 192.0.2.1/24"); its default length is /32 (inet),
 * /64 (inet6).  On a line with pass no word is ever quoted in a message.
 * Lines naming the same interface and vhid add up: addresses accumulate,
 * and a parameter given twice must have the same value.
 */
#include <sys/types.h>
#include <sys/socket.h>

#include <net/if.h>
#include <arpa/inet.h>
#include <netinet/in.h>

#include <ctype.h>
#include <stddef.h>
#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <pwd.h>
#include <string.h>

#include "agent/conf.h"
#include "agent/conf_tab.h"
#include "agent/ifname.h"
#include "agent/xmalloc.h"

#define CONF_MAXWORDS	64		/* words on one line */
#define CONF_MAXSIZE	(16 * 1024 * 1024)	/* file size */
#define CONF_VISLEN	64		/* longest word quoted in a message */

#define CONF_MAXKEYS	64		/* rows in conf_keys[] */

#define CONF_NITEMS(a)	(sizeof(a) / sizeof((a)[0]))
#define CONF_F(f)	offsetof(struct carpd_conf, f)
/* A sysctl: an integer kept in an int (CONF_S_INT) or a bool. */
#define CONF_SYSCTL_ROW(n, st, f, lo, hi, d)				\
	{ n, CONF_K_SYSCTL, CONF_T_INT, st, CONF_F(f), lo, hi, d, NULL, NULL }
#define CONF_INT_ROW(n, f, lo, hi, d)					\
	{ n, 0, CONF_T_INT, CONF_S_INT, CONF_F(f), lo, hi, d, NULL, NULL }
#define CONF_PAIR_ROW(n, f, names, d)					\
	{ n, 0, CONF_T_PAIR, CONF_S_BOOL, CONF_F(f), 0, 1, d, NULL, names }
#define CONF_ENUM_ROW(n, fl, f, names)					\
	{ n, fl, CONF_T_ENUM, CONF_S_INT, CONF_F(f), 0, 0, 0, NULL, names }
#define CONF_STR_ROW(n, t, f, d)					\
	{ n, 0, t, CONF_S_STR, CONF_F(f), 0, 0, 0, d, NULL }

/* The words of the CONF_T_PAIR and CONF_T_ENUM keys. */
static const char *const conf_yes_no[] = { "yes", "no", NULL };
static const char *const conf_mac_names[] = { "virtual", "interface",
    NULL };
static const char *const conf_client_auth_names[] = { "NoClientCert",
    "RequestClientCert", "RequireAnyClientCert", "VerifyClientCertIfGiven",
    "RequireAndVerifyClientCert", NULL };
static const char *const conf_min_version_names[] = { "TLS12", "TLS13",
    NULL };
static const char *const conf_action_auth_names[] = { "token",
    "client-cert", "both", NULL };

/*
 * Every setting outside the VHIDs: the sysctls, in FreeBSD's order, then
 * carpd's keys sorted by name.  A new one is a row here and its paragraph
 * in carpd.conf(5) (tests/unit/test_conf_tab.c checks both).
 */
const struct conf_key conf_keys[] = {
	CONF_SYSCTL_ROW("allow", CONF_S_BOOL, node.allow, 0, 1, 1),
	CONF_SYSCTL_ROW("preempt", CONF_S_BOOL, node.preempt, 0, 1, 0),
	CONF_SYSCTL_ROW("log", CONF_S_INT, log_level, 0, 7, CONF_DFLT_LOG),
	CONF_SYSCTL_ROW("demotion", CONF_S_INT, node.demotion,
	    -CARP_DEMOTION_MAX, CARP_DEMOTION_MAX, 0),
	CONF_SYSCTL_ROW("ifdown_demotion_factor", CONF_S_INT,
	    node.ifdown_factor, 0, 65535, CARP_DFLT_FACTOR),
	CONF_SYSCTL_ROW("senderr_demotion_factor", CONF_S_INT,
	    node.senderr_factor, 0, 65535, CARP_DFLT_FACTOR),
	CONF_SYSCTL_ROW("dscp", CONF_S_INT, dscp, 0, 63, CARP_DFLT_DSCP),
	CONF_INT_ROW("agentx-ping-interval", agentx_ping_interval, 1, 3600,
	    CONF_DFLT_AGENTX_PING),
	CONF_STR_ROW("agentx-socket", CONF_T_AGENTX, agentx_socket,
	    CONF_DFLT_AGENTX_SOCKET),
	CONF_PAIR_ROW("agentx-writable", agentx_writable, conf_yes_no, 0),
	CONF_STR_ROW("control-socket", CONF_T_PATH_OFF, control_socket,
	    CONF_DFLT_CONTROL_SOCKET),
	CONF_ENUM_ROW("http-action-auth", CONF_K_TLS, http_action_auth,
	    conf_action_auth_names),
	CONF_PAIR_ROW("http-auth-reads", http_auth_reads, conf_yes_no, 0),
	{ "http-listen", 0, CONF_T_LISTEN, CONF_S_LIST, CONF_F(http_listen),
	    0, 0, 0, NULL, NULL },
	CONF_INT_ROW("http-max-per-source", http_max_per_source, 1, 1024,
	    CONF_DFLT_HTTP_PER_SOURCE),
	CONF_INT_ROW("http-request-timeout", http_request_timeout, 1, 300,
	    CONF_DFLT_HTTP_REQ_TIMEOUT),
	CONF_STR_ROW("http-tls-cert", CONF_T_PATH, http_tls_cert, NULL),
	CONF_ENUM_ROW("http-tls-client-auth", CONF_K_TLS,
	    http_tls_client_auth, conf_client_auth_names),
	CONF_STR_ROW("http-tls-client-ca", CONF_T_PATH, http_tls_client_ca,
	    NULL),
	CONF_STR_ROW("http-tls-key", CONF_T_PATH, http_tls_key, NULL),
	CONF_ENUM_ROW("http-tls-min-version", CONF_K_TLS,
	    http_tls_min_version, conf_min_version_names),
	CONF_STR_ROW("http-token-file", CONF_T_PATH, http_token_file, NULL),
	CONF_INT_ROW("log-rate", log_rate, 0, 100000, CONF_DFLT_LOG_RATE),
	CONF_PAIR_ROW("mac-mode", mac_virtual, conf_mac_names, 1),
	CONF_STR_ROW("notify-script", CONF_T_PATH, notify_script, NULL),
	CONF_INT_ROW("notify-timeout", notify_timeout, 1, 86400,
	    CONF_DFLT_NOTIFY_TIMEOUT),
	CONF_INT_ROW("snmp-trap-rate", snmp_trap_rate, 0, 100000,
	    CONF_DFLT_SNMP_TRAP_RATE),
	CONF_STR_ROW("state-file", CONF_T_PATH, state_file, NULL),
	CONF_STR_ROW("user", CONF_T_USER, user, NULL),
};
const size_t conf_nkeys = CONF_NITEMS(conf_keys);

_Static_assert(CONF_NITEMS(conf_keys) <= CONF_MAXKEYS,
    "conf_keys[] outgrew CONF_MAXKEYS");

/* Per-VHID bookkeeping while parsing: where each parameter was set. */
struct conf_vstate {
	int		 advbase_line;
	int		 advskew_line;
	int		 pass_line;
	int		 carpver_line;
	int		 vrrpprio_line;
	int		 vrrpinterval_line;
	int		 peer4_line;
	int		 peer6_line;
	int		 macmode_line;
	int		 addr_line[CARP_MAX_ADDRS];
	int		 addr_tried;	/* an address given, maybe refused */
};

struct conf_ctx {
	const struct conf_opts	*opts;
	const char		*name;
	int			 lineno;
	int			 nerrors;
	int			 nwarnings;
	struct carpd_conf	*conf;
	struct conf_vstate	*vs;		/* parallel to conf->vhids */
	size_t			 vcap;
	int			 hide;		/* the line has a password */
	int			 key_line[CONF_MAXKEYS]; /* by conf_keys[] row */
};

/* What one ifconfig line says, before it is merged into its VHID. */
struct conf_ifline {
	const char		*ifname;
	int			 vhid;
	int			 advbase;	/* -1: not given */
	int			 advskew;
	int			 carpver;	/* 2 or 3, -1: not given */
	int			 vrrpprio;	/* -1: not given */
	int			 vrrpinterval;	/* centiseconds, -1: not given */
	const char		*pass;		/* NULL: not given */
	int			 peer4_set;	/* peer or mcast given */
	struct carp_addr	 peer4;
	int			 peer6_set;
	struct carp_addr	 peer6;
	int			 have_addr;
	struct carp_addr	 addr;
	const char		*addr_word;
	int			 plen;		/* /N, netmask or prefixlen */
	int			 plen_given;
	sa_family_t		 family;	/* from inet/inet6, or 0 */
	int			 macmode;	/* CONF_MAC_*, 0: not given */
};

static void	conf_msg(struct conf_ctx *, int, int, const char *, ...)
		    __attribute__((__format__(printf, 4, 5)));
static const char *conf_vis(const char *, char *, size_t);
static const char *conf_word(const struct conf_ctx *, const char *, char *,
		    size_t);
static int	conf_addr_like(const char *);
static const struct conf_key *conf_key_find(const char *, int);
static int	conf_key_line(const struct conf_ctx *, const char *);
static long long conf_key_int(const struct carpd_conf *,
		    const struct conf_key *);
static const char *conf_key_str(const struct carpd_conf *,
		    const struct conf_key *);
static const char *conf_key_text(const struct carpd_conf *,
		    const struct conf_key *, char *, size_t);
static void	conf_key_set(struct carpd_conf *, const struct conf_key *,
		    long long, const char *);
static int	conf_key_holds(const struct carpd_conf *,
		    const struct conf_key *, long long, const char *);
static int	conf_enum(const char *const *, const char *);
static const char *conf_names(const struct conf_key *, char *, size_t);
static int	conf_macmode(const char *);
static void	conf_check_tls(struct conf_ctx *);
static int	conf_num(struct conf_ctx *, const char *, const char *,
		    long long, long long, long long *);
static int	conf_split(struct conf_ctx *, char *, char **, int, int);
static void	conf_line(struct conf_ctx *, char *);
static void	conf_assign(struct conf_ctx *, char *, size_t, char *);
static void	conf_setting(struct conf_ctx *, const struct conf_key *,
		    const char *, const char *);
static int	conf_value(struct conf_ctx *, const struct conf_key *,
		    const char *, const char *, long long *, const char **);
static int	conf_path(struct conf_ctx *, const struct conf_key *,
		    const char *, const char *, const char **);
static void	conf_listen_add(struct conf_ctx *, const struct conf_key *,
		    const char *);
static int	conf_listen(struct conf_ctx *, const char *, char *, size_t);
static int	conf_agentx(const char *);
static void	conf_rc_ifconfig(struct conf_ctx *, const char *, char *);
static void	conf_ifconfig(struct conf_ctx *, const char *, char **, int);
static const struct conf_ifword *conf_ifword_find(const char *);
static int	conf_ifline_carp(struct conf_ctx *, char **, int);
static int	conf_ifline_check(struct conf_ctx *, struct conf_ifline *);
static void	conf_w_addr(struct conf_ctx *, struct conf_ifline *,
		    const char *, const char *);
static void	conf_w_timing(struct conf_ctx *, const char *, const char *,
		    long long, long long, int *);
static void	conf_w_family(struct conf_ctx *, struct conf_ifline *,
		    const struct conf_ifword *, const char *);
static void	conf_w_mcast(struct conf_ctx *, struct conf_ifline *,
		    const struct conf_ifword *, const char *);
static void	conf_w_vhid(struct conf_ctx *, struct conf_ifline *,
		    const struct conf_ifword *, const char *);
static void	conf_w_advbase(struct conf_ctx *, struct conf_ifline *,
		    const struct conf_ifword *, const char *);
static void	conf_w_advskew(struct conf_ctx *, struct conf_ifline *,
		    const struct conf_ifword *, const char *);
static void	conf_w_pass(struct conf_ctx *, struct conf_ifline *,
		    const struct conf_ifword *, const char *);
static void	conf_w_carpver(struct conf_ctx *, struct conf_ifline *,
		    const struct conf_ifword *, const char *);
static void	conf_w_vrrpprio(struct conf_ctx *, struct conf_ifline *,
		    const struct conf_ifword *, const char *);
static void	conf_w_vrrpinterval(struct conf_ctx *, struct conf_ifline *,
		    const struct conf_ifword *, const char *);
static int	conf_merge_take(struct conf_ctx *, const char *, int, int,
		    int *);
static void	conf_check_vrrp(struct conf_ctx *, size_t);
static void	conf_w_peer(struct conf_ctx *, struct conf_ifline *,
		    const struct conf_ifword *, const char *);
static void	conf_w_netmask(struct conf_ctx *, struct conf_ifline *,
		    const struct conf_ifword *, const char *);
static void	conf_w_prefixlen(struct conf_ctx *, struct conf_ifline *,
		    const struct conf_ifword *, const char *);
static void	conf_w_broadcast(struct conf_ctx *, struct conf_ifline *,
		    const struct conf_ifword *, const char *);
static void	conf_w_macmode(struct conf_ctx *, struct conf_ifline *,
		    const struct conf_ifword *, const char *);
static void	conf_w_state(struct conf_ctx *, struct conf_ifline *,
		    const struct conf_ifword *, const char *);
static int	conf_addr(struct conf_ctx *, const char *, const char *,
		    sa_family_t, int, struct carp_addr *, int *, int *);
static int	conf_netmask(const char *);
static int	conf_addr_eq(const struct carp_addr *,
		    const struct carp_addr *);
static const char *conf_ntop(const struct carp_addr *, char *, size_t);
static void	conf_merge(struct conf_ctx *, struct conf_ifline *);
static void	conf_merge_u8(struct conf_ctx *, const char *, int, int,
		    uint8_t *, int *, int);
static void	conf_merge_peer(struct conf_ctx *, const char *, int,
		    const struct carp_addr *, struct carp_addr *, int *);
static void	conf_add_addr(struct conf_ctx *, size_t,
		    const struct conf_ifline *);
static void	conf_check(struct conf_ctx *);
static void	conf_print_word(FILE *, const char *, size_t);
static void	conf_print_key(FILE *, const struct carpd_conf *,
		    const struct conf_key *);

/*
 * The ifconfig words, as FreeBSD's ifconfig(8) takes them for carp(4).  A
 * new one is a row here and its item in carpd.conf(5).  A word that is
 * none of these is the address, ADDR[/LEN].
 */
const struct conf_ifword conf_ifwords[] = {
	/* The address family (default: the address's). */
	{ "inet",	0,		AF_INET,	conf_w_family },
	{ "inet6",	0,		AF_INET6,	conf_w_family },
	/* 1..255; a line without it is not CARP and is skipped. */
	{ "vhid",	CONF_W_VALUE | CONF_W_CARP, 0,	conf_w_vhid },
	{ "advbase",	CONF_W_VALUE,	0,		conf_w_advbase },
	{ "advskew",	CONF_W_VALUE,	0,		conf_w_advskew },
	/*
	 * FreeBSD main's VRRPv3 mode: the version, fixed when the VHID is
	 * created (2: CARP, the default; 3: VRRPv3), the priority 1..255
	 * and the interval in centiseconds, 1..4095.
	 */
	{ "carpver",	CONF_W_VALUE,	0,		conf_w_carpver },
	{ "vrrpprio",	CONF_W_VALUE,	0,		conf_w_vrrpprio },
	{ "vrrpinterval", CONF_W_VALUE,	0,		conf_w_vrrpinterval },
	/* Up to 19 bytes, longer ones cut as FreeBSD cuts them. */
	{ "pass",	CONF_W_VALUE | CONF_W_SECRET, 0, conf_w_pass },
	/* Unicast adverts; mcast and mcast6 state the default. */
	{ "peer",	CONF_W_VALUE,	AF_INET,	conf_w_peer },
	{ "peer6",	CONF_W_VALUE,	AF_INET6,	conf_w_peer },
	{ "mcast",	0,		AF_INET,	conf_w_mcast },
	{ "mcast6",	0,		AF_INET6,	conf_w_mcast },
	/* The address's length, the FreeBSD way. */
	{ "netmask",	CONF_W_VALUE,	0,		conf_w_netmask },
	{ "prefixlen",	CONF_W_VALUE,	0,		conf_w_prefixlen },
	/* Accepted, with no meaning here. */
	{ "alias",	0,		0,		NULL },
	{ "add",	0,		0,		NULL },
	{ "up",		0,		0,		NULL },
	/* Ignored with a warning: Linux derives it. */
	{ "broadcast",	CONF_W_VALUE,	0,		conf_w_broadcast },
	{ "mac-mode",	CONF_W_VALUE,	0,		conf_w_macmode },
	/*
	 * Ignored with a warning: carpd creates every VHID as FreeBSD does
	 * (INIT, then BACKUP once the link is up); forcing MASTER is a
	 * runtime action (carpctl), not configuration.
	 */
	{ "state",	CONF_W_VALUE,	0,		conf_w_state },
};
const size_t conf_nifwords = CONF_NITEMS(conf_ifwords);

/* Report one problem, as "file:line: text" or "file:line: warning: text". */
static void
conf_msg(struct conf_ctx *ctx, int line, int severity, const char *fmt, ...)
{
	char		 text[512], msg[768];
	va_list		 ap;
	FILE		*fp;

	va_start(ap, fmt);
	vsnprintf(text, sizeof(text), fmt, ap);
	va_end(ap);
	if (severity == CONF_MSG_ERROR)
		ctx->nerrors++;
	else
		ctx->nwarnings++;
	if (line > 0)
		snprintf(msg, sizeof(msg), "%s:%d: %s%s", ctx->name, line,
		    severity == CONF_MSG_ERROR ? "" : "warning: ", text);
	else
		snprintf(msg, sizeof(msg), "%s: %s%s", ctx->name,
		    severity == CONF_MSG_ERROR ? "" : "warning: ", text);
	if (ctx->opts != NULL && ctx->opts->msg != NULL) {
		ctx->opts->msg(ctx->opts->msg_arg, severity, msg);
		return;
	}
	fp = ctx->opts != NULL && ctx->opts->fp != NULL ? ctx->opts->fp :
	    stderr;
	fprintf(fp, "%s\n", msg);
}

/* A word made safe to quote in a message: printable and not too long. */
static const char *
conf_vis(const char *s, char *buf, size_t len)
{
	size_t	 i;

	for (i = 0; s[i] != '\0' && i + 1 < len; i++)
		buf[i] = (s[i] >= 0x20 && s[i] < 0x7f) ? s[i] : '?';
	buf[i] = '\0';
	if (s[i] != '\0' && i >= 3)
		memcpy(buf + i - 3, "...", 3);
	return buf;
}

/*
 * A word of the current line, for a message: on a line with a password,
 * any word may be part of it (a password with blanks), so none is shown.
 */
static const char *
conf_word(const struct conf_ctx *ctx, const char *s, char *buf, size_t len)
{
	if (ctx->hide)
		return "(not shown: the line has a password)";
	return conf_vis(s, buf, len);
}

/* Look a setting up: a sysctl (flags CONF_K_SYSCTL) or a key (0). */
static const struct conf_key *
conf_key_find(const char *name, int flags)
{
	size_t	 i;

	for (i = 0; i < conf_nkeys; i++)
		if ((conf_keys[i].flags & CONF_K_SYSCTL) == flags &&
		    strcmp(conf_keys[i].name, name) == 0)
			return &conf_keys[i];
	return NULL;
}

/* The line that first set a key, 0 if none did. */
static int
conf_key_line(const struct conf_ctx *ctx, const char *name)
{
	const struct conf_key	*k = conf_key_find(name, 0);

	return k != NULL ? ctx->key_line[k - conf_keys] : 0;
}

/* The value of an integer, yes/no or enumerated setting. */
static long long
conf_key_int(const struct carpd_conf *conf, const struct conf_key *k)
{
	const void	*p = (const char *)conf + k->off;

	if (k->store == CONF_S_BOOL)
		return *(const bool *)p;
	if (k->store == CONF_S_INT)
		return *(const int *)p;
	return 0;
}

/* The value of a string setting, or NULL. */
static const char *
conf_key_str(const struct carpd_conf *conf, const struct conf_key *k)
{
	const void	*p = (const char *)conf + k->off;

	return k->store == CONF_S_STR ? *(char *const *)p : NULL;
}

/*
 * A setting's value as written in the file, or NULL when unset (a path
 * with no default); not for CONF_T_LISTEN.
 */
static const char *
conf_key_text(const struct carpd_conf *conf, const struct conf_key *k,
    char *buf, size_t len)
{
	long long	 v = conf_key_int(conf, k);
	const char	*s;

	switch (k->type) {
	case CONF_T_INT:
		snprintf(buf, len, "%lld", v);
		return buf;
	case CONF_T_PAIR:
		return k->names[!v];
	case CONF_T_ENUM:
		return k->names[v];
	case CONF_T_PATH_OFF:
	case CONF_T_AGENTX:
		s = conf_key_str(conf, k);
		return s != NULL ? s : "off";
	default:
		return conf_key_str(conf, k);
	}
}

/* Store a setting: v for integers, s for strings (NULL: off). */
static void
conf_key_set(struct carpd_conf *conf, const struct conf_key *k, long long v,
    const char *s)
{
	void	*p = (char *)conf + k->off;
	char	**str = p;

	switch (k->store) {
	case CONF_S_INT:
		*(int *)p = (int)v;
		break;
	case CONF_S_BOOL:
		*(bool *)p = v != 0;
		break;
	case CONF_S_STR:
		free(*str);
		*str = s != NULL ? xstrdup(s) : NULL;
		break;
	case CONF_S_LIST:
		conf->http_listen = xreallocarray(conf->http_listen,
		    conf->nhttp_listen + 1, sizeof(*conf->http_listen));
		conf->http_listen[conf->nhttp_listen++] = xstrdup(s);
		break;
	}
}

/* Does a setting hold v (integers) or s (strings) already? */
static int
conf_key_holds(const struct carpd_conf *conf, const struct conf_key *k,
    long long v, const char *s)
{
	const char	*old = conf_key_str(conf, k);

	if (k->store != CONF_S_STR)
		return conf_key_int(conf, k) == v;
	if (old == NULL || s == NULL)
		return old == s;
	return strcmp(old, s) == 0;
}

/* The index of a name among names, -1 if absent. */
static int
conf_enum(const char *const *names, const char *s)
{
	int	 i;

	for (i = 0; names[i] != NULL; i++)
		if (strcmp(names[i], s) == 0)
			return i;
	return -1;
}

/* The words a key takes, for a message: "a or b", "one of a, b, c". */
static const char *
conf_names(const struct conf_key *k, char *buf, size_t len)
{
	size_t	 i;

	if (k->type == CONF_T_PAIR) {
		snprintf(buf, len, "%s or %s", k->names[0], k->names[1]);
		return buf;
	}
	snprintf(buf, len, "one of");
	for (i = 0; k->names[i] != NULL; i++)
		snprintf(buf + strlen(buf), len - strlen(buf), "%s %s",
		    i == 0 ? "" : ",", k->names[i]);
	return buf;
}

/*
 * A strict decimal number: an optional '-' (only if min < 0), digits,
 * nothing else, within min..max.
 */
static int
conf_num(struct conf_ctx *ctx, const char *what, const char *s,
    long long min, long long max, long long *out)
{
	char		 vis[CONF_VISLEN];
	const char	*p = s;
	long long	 v = 0;
	int		 neg = 0, big = 0;

	if (*p == '-' && min < 0) {
		neg = 1;
		p++;
	}
	if (*p == '\0')
		goto bad;
	for (; *p != '\0'; p++) {
		if (*p < '0' || *p > '9')
			goto bad;
		if (v > 100000000000LL)
			big = 1;
		else
			v = v * 10 + (*p - '0');
	}
	if (neg)
		v = -v;
	if (big || v < min || v > max) {
		conf_msg(ctx, ctx->lineno, CONF_MSG_ERROR,
		    "%s %s out of range (%lld-%lld)", what,
		    conf_word(ctx, s, vis, sizeof(vis)), min, max);
		return -1;
	}
	*out = v;
	return 0;
 bad:
	conf_msg(ctx, ctx->lineno, CONF_MSG_ERROR,
	    "%s \"%s\" is not a decimal number", what,
	    conf_word(ctx, s, vis, sizeof(vis)));
	return -1;
}

/*
 * Split s in place into at most max words.  With sh set, quotes group and
 * glue and '#' at the start of a word ends the line; else words are just
 * runs of non-blanks.  Returns the number of words, or -1 after an error.
 */
static int
conf_split(struct conf_ctx *ctx, char *s, char **words, int max, int sh)
{
	char	*r = s, *w = s, q;
	int	 n = 0;

	for (;;) {
		while (*r == ' ' || *r == '\t')
			r++;
		if (*r == '\0' || (sh && *r == '#'))
			break;
		if (n == max) {
			conf_msg(ctx, ctx->lineno, CONF_MSG_ERROR,
			    "too many words (more than %d)", max);
			return -1;
		}
		words[n++] = w;
		while (*r != '\0' && *r != ' ' && *r != '\t') {
			if (sh && (*r == '"' || *r == '\'')) {
				q = *r++;
				while (*r != '\0' && *r != q)
					*w++ = *r++;
				if (*r == '\0') {
					conf_msg(ctx, ctx->lineno,
					    CONF_MSG_ERROR,
					    "unterminated quote");
					return -1;
				}
				r++;
			} else
				*w++ = *r++;
		}
		if (*r != '\0')
			r++;
		*w++ = '\0';
	}
	return n;
}

/* Parse one line, NUL-terminated, without its newline. */
static void
conf_line(struct conf_ctx *ctx, char *s)
{
	char			*words[CONF_MAXWORDS], vis[CONF_VISLEN];
	const struct conf_key	*k;
	size_t			 n, len;
	int			 nw;

	ctx->hide = 0;
	while (*s == ' ' || *s == '\t')
		s++;
	if (*s == '\0' || *s == '#')
		return;

	/* NAME=VALUE, with optional blanks around '='. */
	for (n = 0; s[n] != '\0' && (s[n] == '_' || s[n] == '.' ||
	    s[n] == '-' || (s[n] >= '0' && s[n] <= '9') ||
	    (s[n] >= 'a' && s[n] <= 'z') || (s[n] >= 'A' && s[n] <= 'Z')); n++)
		;
	for (len = n; s[n] == ' ' || s[n] == '\t'; n++)
		;
	if (len > 0 && s[n] == '=' && (memchr(s, '-', len) == NULL ||
	    strncmp(s, "ifconfig_", 9) == 0)) {
		conf_assign(ctx, s, len, s + n + 1);
		return;
	}

	if ((nw = conf_split(ctx, s, words, CONF_MAXWORDS, 1)) <= 0)
		return;
	if (strcmp(words[0], "ifconfig") == 0) {
		if (nw < 2) {
			conf_msg(ctx, ctx->lineno, CONF_MSG_ERROR,
			    "ifconfig needs an interface");
			return;
		}
		conf_ifconfig(ctx, words[1], words + 2, nw - 2);
		return;
	}
	if ((k = conf_key_find(words[0], 0)) == NULL) {
		conf_msg(ctx, ctx->lineno, CONF_MSG_ERROR,
		    "unknown keyword %s", conf_vis(words[0], vis, sizeof(vis)));
		return;
	}
	if (nw != 2) {
		conf_msg(ctx, ctx->lineno, CONF_MSG_ERROR,
		    "%s takes exactly one value", k->name);
		return;
	}
	conf_setting(ctx, k, k->name, words[1]);
}

/* A NAME=VALUE line: a sysctl, an rc.conf ifconfig line or another rc var. */
static void
conf_assign(struct conf_ctx *ctx, char *name, size_t len, char *value)
{
	char			*words[2], vis[CONF_VISLEN], *p, q;
	const struct conf_key	*k;
	int			 nw;

	name[len] = '\0';
	if (strncmp(name, "ifconfig_", 9) == 0) {
		while (*value == ' ' || *value == '\t')
			value++;
		if (*value == '"' || *value == '\'') {
			q = *value++;
			if ((p = strchr(value, q)) == NULL) {
				conf_msg(ctx, ctx->lineno, CONF_MSG_ERROR,
				    "unterminated quote");
				return;
			}
			*p++ = '\0';
		} else {
			p = value + strcspn(value, " \t");
			if (*p != '\0')
				*p++ = '\0';
		}
		while (*p == ' ' || *p == '\t')
			p++;
		if (*p != '\0' && *p != '#') {
			conf_msg(ctx, ctx->lineno, CONF_MSG_ERROR,
			    "junk after the value of %s",
			    conf_vis(name, vis, sizeof(vis)));
			return;
		}
		conf_rc_ifconfig(ctx, name + 9, value);
		return;
	}
	if (strchr(name, '.') == NULL) {
		conf_msg(ctx, ctx->lineno, CONF_MSG_WARNING,
		    "rc.conf variable %s is not for carpd, line skipped",
		    conf_vis(name, vis, sizeof(vis)));
		return;
	}
	if (strncmp(name, CONF_SYSCTL, strlen(CONF_SYSCTL)) != 0) {
		conf_msg(ctx, ctx->lineno, CONF_MSG_WARNING,
		    "sysctl %s is not for carpd, line skipped",
		    conf_vis(name, vis, sizeof(vis)));
		return;
	}
	if ((k = conf_key_find(name + strlen(CONF_SYSCTL),
	    CONF_K_SYSCTL)) == NULL) {
		conf_msg(ctx, ctx->lineno, CONF_MSG_ERROR,
		    "unknown sysctl %s", conf_vis(name, vis, sizeof(vis)));
		return;
	}
	/* A number never holds '#': it starts a comment anywhere. */
	value[strcspn(value, "#")] = '\0';
	if ((nw = conf_split(ctx, value, words, 2, 1)) < 0)
		return;
	if (nw != 1) {
		conf_msg(ctx, ctx->lineno, CONF_MSG_ERROR,
		    "%s takes exactly one value", name);
		return;
	}
	conf_setting(ctx, k, name, words[0]);
}

/*
 * An http-listen value: a numeric IPv4 address or a bracketed IPv6 one,
 * a colon and a port 1..65535.  Writes the canonical form to out.
 */
static int
conf_listen(struct conf_ctx *ctx, const char *value, char *out, size_t len)
{
	char		 host[INET6_ADDRSTRLEN + 2], vis[CONF_VISLEN];
	char		 text[INET6_ADDRSTRLEN];
	unsigned char	 bin[sizeof(struct in6_addr)];
	const char	*colon, *h;
	size_t		 hlen;
	long long	 port;
	int		 af = AF_INET;

	if (value[0] == '[') {
		if ((colon = strstr(value, "]:")) == NULL)
			goto bad;
		h = value + 1;
		hlen = (size_t)(colon - h);
		colon++;
		af = AF_INET6;
	} else {
		if ((colon = strrchr(value, ':')) == NULL)
			goto bad;
		h = value;
		hlen = (size_t)(colon - h);
	}
	if (hlen == 0 || hlen >= sizeof(host))
		goto bad;
	memcpy(host, h, hlen);
	host[hlen] = '\0';
	if (inet_pton(af, host, bin) != 1)
		goto bad;
	if (conf_num(ctx, "http-listen port", colon + 1, 1, 65535,
	    &port) == -1)
		return -1;
	inet_ntop(af, bin, text, sizeof(text));
	snprintf(out, len, af == AF_INET6 ? "[%s]:%lld" : "%s:%lld", text,
	    port);
	return 0;
 bad:
	conf_msg(ctx, ctx->lineno, CONF_MSG_ERROR,
	    "http-listen %s is not ADDR:PORT or [ADDR]:PORT with a numeric "
	    "address", conf_vis(value, vis, sizeof(vis)));
	return -1;
}

/*
 * An AgentX master address as net-snmp takes it: "unix:/PATH", "/PATH",
 * "tcp:HOST:PORT" or "tcp6:[ADDR]:PORT", printable without blanks or
 * quotes.  Returns 1 if acceptable.
 */
static int
conf_agentx(const char *s)
{
	const char	*p, *colon;
	size_t		 i;

	if (strlen(s) > 255)
		return 0;
	for (i = 0; s[i] != '\0'; i++)
		if (s[i] <= 0x20 || s[i] >= 0x7f || s[i] == '"' ||
		    s[i] == '\'' || s[i] == '#' || s[i] == '\\')
			return 0;
	if (s[0] == '/')
		return s[1] != '\0';
	if (strncmp(s, "unix:/", 6) == 0)
		return s[6] != '\0';
	if (strncmp(s, "tcp:", 4) == 0)
		p = s + 4;
	else if (strncmp(s, "tcp6:", 5) == 0)
		p = s + 5;
	else
		return 0;
	if ((colon = strrchr(p, ':')) == NULL || colon == p ||
	    colon[1] == '\0' || strlen(colon + 1) > 5 ||
	    strspn(colon + 1, "0123456789") != strlen(colon + 1) ||
	    atoi(colon + 1) < 1 || atoi(colon + 1) > 65535)
		return 0;
	return 1;
}

/* "virtual" or "interface" as CONF_MAC_*, or -1. */
static int
conf_macmode(const char *s)
{
	int	 i;

	if ((i = conf_enum(conf_mac_names, s)) == -1)
		return -1;
	return i == 0 ? CONF_MAC_VIRTUAL : CONF_MAC_INTERFACE;
}

/* Does a VHID answer with the virtual MAC (its own mode, else the global)? */
bool
conf_vhid_vmac(const struct carpd_conf *conf, const struct conf_vhid *cv)
{
	if (cv->cv_macmode != 0)
		return cv->cv_macmode == CONF_MAC_VIRTUAL;
	return conf->mac_virtual;
}

/*
 * Read a value as its key's type says: *v for integers, *s for strings
 * (NULL for "off").  Returns -1 after reporting a bad value.
 */
static int
conf_value(struct conf_ctx *ctx, const struct conf_key *k, const char *name,
    const char *value, long long *v, const char **s)
{
	char	 vis[CONF_VISLEN], names[256];

	*v = 0;
	*s = value;
	switch (k->type) {
	case CONF_T_INT:
		return conf_num(ctx, name, value, k->min, k->max, v);
	case CONF_T_PAIR:
	case CONF_T_ENUM:
		if ((*v = conf_enum(k->names, value)) == -1) {
			conf_msg(ctx, ctx->lineno, CONF_MSG_ERROR,
			    "%s %s is not %s", name,
			    conf_vis(value, vis, sizeof(vis)),
			    conf_names(k, names, sizeof(names)));
			return -1;
		}
		if (k->type == CONF_T_PAIR)
			*v = *v == 0;
		return 0;
	case CONF_T_USER:
		if (getpwnam(value) == NULL) {
			conf_msg(ctx, ctx->lineno, CONF_MSG_ERROR,
			    "%s %s: no such user", name,
			    conf_vis(value, vis, sizeof(vis)));
			return -1;
		}
		return 0;
	default:
		return conf_path(ctx, k, name, value, s);
	}
}

/* A CONF_T_PATH, CONF_T_PATH_OFF or CONF_T_AGENTX value. */
static int
conf_path(struct conf_ctx *ctx, const struct conf_key *k, const char *name,
    const char *value, const char **s)
{
	char	 vis[CONF_VISLEN];

	if (k->type != CONF_T_PATH && strcmp(value, "off") == 0)
		*s = NULL;
	else if (k->type == CONF_T_AGENTX && !conf_agentx(value)) {
		conf_msg(ctx, ctx->lineno, CONF_MSG_ERROR,
		    "%s %s is not unix:/PATH, /PATH, tcp:HOST:PORT, "
		    "tcp6:[ADDR]:PORT or off", name,
		    conf_vis(value, vis, sizeof(vis)));
		return -1;
	} else if (k->type != CONF_T_AGENTX && value[0] != '/') {
		conf_msg(ctx, ctx->lineno, CONF_MSG_ERROR,
		    "%s %s is not an absolute path%s", name,
		    conf_vis(value, vis, sizeof(vis)),
		    k->type == CONF_T_PATH_OFF ? " or off" : "");
		return -1;
	}
	return 0;
}

/* Add an http-listen address, unless it is there already. */
static void
conf_listen_add(struct conf_ctx *ctx, const struct conf_key *k,
    const char *value)
{
	char		 canon[INET6_ADDRSTRLEN + 16];
	size_t		 i;

	if (conf_listen(ctx, value, canon, sizeof(canon)) == -1)
		return;
	for (i = 0; i < ctx->conf->nhttp_listen; i++)
		if (strcmp(ctx->conf->http_listen[i], canon) == 0) {
			conf_msg(ctx, ctx->lineno, CONF_MSG_WARNING,
			    "http-listen %s given twice, ignored", canon);
			return;
		}
	if (ctx->conf->nhttp_listen == CONF_MAX_LISTEN) {
		conf_msg(ctx, ctx->lineno, CONF_MSG_ERROR,
		    "too many http-listen lines (at most %d)",
		    CONF_MAX_LISTEN);
		return;
	}
	conf_key_set(ctx->conf, k, 0, canon);
}

/* Check and store one sysctl or key; a second, different value is an error. */
static void
conf_setting(struct conf_ctx *ctx, const struct conf_key *k,
    const char *name, const char *value)
{
	char		 vis[CONF_VISLEN], vis2[CONF_VISLEN], buf[32], old[32];
	const char	*s, *now;
	long long	 v;
	int		*line = &ctx->key_line[k - conf_keys];

	if (k->type == CONF_T_LISTEN) {
		conf_listen_add(ctx, k, value);
		return;
	}
	if (conf_value(ctx, k, name, value, &v, &s) == -1)
		return;
	if (*line != 0 && !conf_key_holds(ctx->conf, k, v, s)) {
		if (k->type == CONF_T_INT) {
			snprintf(buf, sizeof(buf), "%lld", v);
			now = buf;
		} else
			now = conf_vis(value, vis, sizeof(vis));
		conf_msg(ctx, ctx->lineno, CONF_MSG_ERROR,
		    "%s %s conflicts with %s at %s:%d", name, now,
		    conf_vis(conf_key_text(ctx->conf, k, old, sizeof(old)),
		    vis2, sizeof(vis2)), ctx->name, *line);
		return;
	}
	if (*line == 0)
		*line = ctx->lineno;
	conf_key_set(ctx->conf, k, v, s);
}

/* ifconfig_IF[_aliasN]="ARGS": split the value and parse it. */
static void
conf_rc_ifconfig(struct conf_ctx *ctx, const char *var, char *value)
{
	char		 ifname[IF_NAMESIZE + 16], *words[CONF_MAXWORDS];
	char		 vis[CONF_VISLEN];
	const char	*p;
	size_t		 len = strlen(var);
	int		 nw;

	/* Strip "_aliasN" (N decimal digits), or "_ipv6". */
	if ((p = strstr(var, "_alias")) != NULL) {
		while (strstr(p + 1, "_alias") != NULL)
			p = strstr(p + 1, "_alias");
		if (p[6] != '\0' && strspn(p + 6, "0123456789") ==
		    strlen(p + 6))
			len = (size_t)(p - var);
	}
	if (len == strlen(var) && len > 5 &&
	    strcmp(var + len - 5, "_ipv6") == 0)
		len -= 5;
	if (len == 0 || len >= IF_NAMESIZE) {
		conf_msg(ctx, ctx->lineno, CONF_MSG_ERROR,
		    "bad interface name in ifconfig_%s",
		    conf_vis(var, vis, sizeof(vis)));
		return;
	}
	memcpy(ifname, var, len);
	ifname[len] = '\0';
	if ((nw = conf_split(ctx, value, words, CONF_MAXWORDS, 0)) < 0)
		return;
	conf_ifconfig(ctx, ifname, words, nw);
}

/* A netmask, 0xffffff00 or 255.255.255.0, as a prefix length; -1 if bad. */
static int
conf_netmask(const char *s)
{
	struct in_addr	 in;
	uint32_t	 m = 0;
	size_t		 i;
	int		 len;

	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		if (s[2] == '\0' || strlen(s + 2) > 8)
			return -1;
		for (i = 2; s[i] != '\0'; i++) {
			m <<= 4;
			if (s[i] >= '0' && s[i] <= '9')
				m |= (uint32_t)(s[i] - '0');
			else if (s[i] >= 'a' && s[i] <= 'f')
				m |= (uint32_t)(s[i] - 'a' + 10);
			else if (s[i] >= 'A' && s[i] <= 'F')
				m |= (uint32_t)(s[i] - 'A' + 10);
			else
				return -1;
		}
	} else if (inet_pton(AF_INET, s, &in) == 1)
		m = ntohl(in.s_addr);
	else
		return -1;
	for (len = 0; len < 32 && (m & (0x80000000U >> len)) != 0; len++)
		;
	if (len < 32 && (m << len) != 0)
		return -1;		/* not contiguous */
	return len;
}

/*
 * Parse ADDR[/LEN] of family af (0: either).  With plen_ok clear a length
 * is refused (peers).  *plen gets the length or -1.
 */
static int
conf_addr(struct conf_ctx *ctx, const char *what, const char *s,
    sa_family_t af, int plen_ok, struct carp_addr *a, int *plen,
    int *given)
{
	char		 buf[INET6_ADDRSTRLEN + 8], vis[CONF_VISLEN];
	const char	*slash;
	long long	 v;
	size_t		 len;

	memset(a, 0, sizeof(*a));
	*given = 0;
	*plen = -1;
	slash = strchr(s, '/');
	len = slash != NULL ? (size_t)(slash - s) : strlen(s);
	if (len >= sizeof(buf))
		goto bad;
	memcpy(buf, s, len);
	buf[len] = '\0';
	if ((af == 0 || af == AF_INET) && strchr(buf, ':') == NULL &&
	    inet_pton(AF_INET, buf, &a->a.v4) == 1)
		a->family = AF_INET;
	else if ((af == 0 || af == AF_INET6) &&
	    inet_pton(AF_INET6, buf, &a->a.v6) == 1)
		a->family = AF_INET6;
	else
		goto bad;
	if (a->family == AF_INET ? (a->a.v4.s_addr == INADDR_ANY ||
	    IN_MULTICAST(ntohl(a->a.v4.s_addr)) ||
	    a->a.v4.s_addr == INADDR_BROADCAST) :
	    (IN6_IS_ADDR_UNSPECIFIED(&a->a.v6) ||
	    IN6_IS_ADDR_MULTICAST(&a->a.v6))) {
		conf_msg(ctx, ctx->lineno, CONF_MSG_ERROR,
		    "%s %s is not a unicast address", what,
		    conf_word(ctx, s, vis, sizeof(vis)));
		return -1;
	}
	if (slash != NULL) {
		if (!plen_ok) {
			conf_msg(ctx, ctx->lineno, CONF_MSG_ERROR,
			    "%s %s takes no prefix length", what,
			    conf_word(ctx, s, vis, sizeof(vis)));
			return -1;
		}
		if (conf_num(ctx, "prefix length", slash + 1, 0,
		    a->family == AF_INET ? 32 : 128, &v) == -1)
			return -1;
		*plen = (int)v;
		*given = 1;
	}
	return 0;
 bad:
	conf_msg(ctx, ctx->lineno, CONF_MSG_ERROR, "bad %s%s %s", what,
	    af == AF_INET ? " (inet)" : af == AF_INET6 ? " (inet6)" : "",
	    conf_word(ctx, s, vis, sizeof(vis)));
	return -1;
}

/* Does s read as ADDR[/DIGITS]?  Silent: for a word after a password. */
static int
conf_addr_like(const char *s)
{
	char		 buf[INET6_ADDRSTRLEN + 8];
	struct in6_addr	 a;
	const char	*slash = strchr(s, '/');
	size_t		 len = slash != NULL ? (size_t)(slash - s) : strlen(s);

	if (len == 0 || len >= sizeof(buf) || (slash != NULL &&
	    (slash[1] == '\0' || strspn(slash + 1, "0123456789") !=
	    strlen(slash + 1))))
		return 0;
	memcpy(buf, s, len);
	buf[len] = '\0';
	return inet_pton(AF_INET, buf, &a) == 1 ||
	    inet_pton(AF_INET6, buf, &a) == 1;
}

/* An ifconfig word, or NULL. */
static const struct conf_ifword *
conf_ifword_find(const char *s)
{
	size_t	 i;

	for (i = 0; i < conf_nifwords; i++)
		if (strcmp(conf_ifwords[i].name, s) == 0)
			return &conf_ifwords[i];
	return NULL;
}

/* inet, inet6. */
static void
conf_w_family(struct conf_ctx *ctx, struct conf_ifline *l,
    const struct conf_ifword *wd, const char *value)
{
	(void)value;
	if (l->family != 0 && l->family != wd->arg)
		conf_msg(ctx, ctx->lineno, CONF_MSG_ERROR,
		    "both inet and inet6 on one line");
	l->family = (sa_family_t)wd->arg;
}

/* mcast, mcast6: the multicast peer, stated. */
static void
conf_w_mcast(struct conf_ctx *ctx, struct conf_ifline *l,
    const struct conf_ifword *wd, const char *value)
{
	int	 six = wd->arg == AF_INET6;

	(void)value;
	if (six ? l->peer6_set && l->peer6.family != 0 :
	    l->peer4_set && l->peer4.family != 0)
		conf_msg(ctx, ctx->lineno, CONF_MSG_ERROR,
		    "%s given twice on this line", six ? "peer6" : "peer");
	else if (six)
		l->peer6_set = 1;
	else
		l->peer4_set = 1;
}

static void
conf_w_vhid(struct conf_ctx *ctx, struct conf_ifline *l,
    const struct conf_ifword *wd, const char *value)
{
	long long	 v;

	if (l->vhid != -1)
		conf_msg(ctx, ctx->lineno, CONF_MSG_ERROR,
		    "vhid given twice on one line");
	else if (conf_num(ctx, wd->name, value, 1, CARP_MAXVHID, &v) == 0)
		l->vhid = (int)v;
}

/* advbase or advskew, min..max, into *field (-1: not given yet). */
static void
conf_w_timing(struct conf_ctx *ctx, const char *name, const char *value,
    long long min, long long max, int *field)
{
	long long	 v;

	if (conf_num(ctx, name, value, min, max, &v) == -1)
		return;
	if (*field != -1 && *field != v)
		conf_msg(ctx, ctx->lineno, CONF_MSG_ERROR,
		    "%s %lld conflicts with %d on this line", name, v, *field);
	*field = (int)v;
}

static void
conf_w_advbase(struct conf_ctx *ctx, struct conf_ifline *l,
    const struct conf_ifword *wd, const char *value)
{
	conf_w_timing(ctx, wd->name, value, 1, 255, &l->advbase);
}

static void
conf_w_advskew(struct conf_ctx *ctx, struct conf_ifline *l,
    const struct conf_ifword *wd, const char *value)
{
	conf_w_timing(ctx, wd->name, value, 0, CARP_MAXADVSKEW, &l->advskew);
}

/* carpver 2|3, FreeBSD's words for its refusal of anything else. */
static void
conf_w_carpver(struct conf_ctx *ctx, struct conf_ifline *l,
    const struct conf_ifword *wd, const char *value)
{
	char		 vis[CONF_VISLEN];

	(void)wd;
	if (strcmp(value, "2") != 0 && strcmp(value, "3") != 0) {
		conf_msg(ctx, ctx->lineno, CONF_MSG_ERROR,
		    "carpver %s: version must be 2 or 3",
		    conf_word(ctx, value, vis, sizeof(vis)));
		return;
	}
	conf_w_timing(ctx, "carpver", value, 2, 3, &l->carpver);
}

static void
conf_w_vrrpprio(struct conf_ctx *ctx, struct conf_ifline *l,
    const struct conf_ifword *wd, const char *value)
{
	conf_w_timing(ctx, wd->name, value, 1, VRRP_PRIO_OWNER, &l->vrrpprio);
}

static void
conf_w_vrrpinterval(struct conf_ctx *ctx, struct conf_ifline *l,
    const struct conf_ifword *wd, const char *value)
{
	conf_w_timing(ctx, wd->name, value, 1, VRRP_MAX_INTERVAL,
	    &l->vrrpinterval);
}

/* The password: kept as the word itself, for the address check after it. */
static void
conf_w_pass(struct conf_ctx *ctx, struct conf_ifline *l,
    const struct conf_ifword *wd, const char *value)
{
	(void)wd;
	if (l->pass != NULL && strcmp(l->pass, value) != 0)
		conf_msg(ctx, ctx->lineno, CONF_MSG_ERROR,
		    "pass given twice on this line");
	l->pass = value;
}

/* peer, peer6: a unicast address without a length. */
static void
conf_w_peer(struct conf_ctx *ctx, struct conf_ifline *l,
    const struct conf_ifword *wd, const char *value)
{
	struct carp_addr	 pa;
	int			 plen, given, six = wd->arg == AF_INET6;

	if (conf_addr(ctx, wd->name, value, (sa_family_t)wd->arg, 0, &pa,
	    &plen, &given) == -1)
		return;
	if (six ? l->peer6_set && !conf_addr_eq(&l->peer6, &pa) :
	    l->peer4_set && !conf_addr_eq(&l->peer4, &pa))
		conf_msg(ctx, ctx->lineno, CONF_MSG_ERROR,
		    "%s given twice on this line", wd->name);
	else if (six) {
		l->peer6 = pa;
		l->peer6_set = 1;
	} else {
		l->peer4 = pa;
		l->peer4_set = 1;
	}
}

static void
conf_w_netmask(struct conf_ctx *ctx, struct conf_ifline *l,
    const struct conf_ifword *wd, const char *value)
{
	char	 vis[CONF_VISLEN];
	int	 m;

	if ((m = conf_netmask(value)) == -1)
		conf_msg(ctx, ctx->lineno, CONF_MSG_ERROR, "bad %s %s",
		    wd->name, conf_word(ctx, value, vis, sizeof(vis)));
	else if (l->plen_given)
		conf_msg(ctx, ctx->lineno, CONF_MSG_ERROR,
		    "prefix length given twice");
	else {
		l->plen = m;
		l->plen_given = 2;	/* inet only */
	}
}

static void
conf_w_prefixlen(struct conf_ctx *ctx, struct conf_ifline *l,
    const struct conf_ifword *wd, const char *value)
{
	long long	 v;

	if (l->plen_given)
		conf_msg(ctx, ctx->lineno, CONF_MSG_ERROR,
		    "prefix length given twice");
	else if (conf_num(ctx, wd->name, value, 0, 128, &v) == 0) {
		l->plen = (int)v;
		l->plen_given = 1;
	}
}

static void
conf_w_broadcast(struct conf_ctx *ctx, struct conf_ifline *l,
    const struct conf_ifword *wd, const char *value)
{
	(void)l;
	(void)value;
	conf_msg(ctx, ctx->lineno, CONF_MSG_WARNING, "%s ignored", wd->name);
}

/* The VHID's own mac-mode, over the global one. */
static void
conf_w_macmode(struct conf_ctx *ctx, struct conf_ifline *l,
    const struct conf_ifword *wd, const char *value)
{
	char	 vis[CONF_VISLEN];
	int	 m;

	if ((m = conf_macmode(value)) == -1)
		conf_msg(ctx, ctx->lineno, CONF_MSG_ERROR,
		    "bad %s %s (%s or %s)", wd->name,
		    conf_vis(value, vis, sizeof(vis)), conf_mac_names[0],
		    conf_mac_names[1]);
	else if (l->macmode != 0 && l->macmode != m)
		conf_msg(ctx, ctx->lineno, CONF_MSG_ERROR,
		    "%s given twice on this line", wd->name);
	else
		l->macmode = m;
}

static void
conf_w_state(struct conf_ctx *ctx, struct conf_ifline *l,
    const struct conf_ifword *wd, const char *value)
{
	char	 vis[CONF_VISLEN];

	(void)l;
	if (strcmp(value, "backup") != 0 && strcmp(value, "master") != 0)
		conf_msg(ctx, ctx->lineno, CONF_MSG_ERROR,
		    "bad %s %s (backup or master)", wd->name,
		    conf_word(ctx, value, vis, sizeof(vis)));
	else
		conf_msg(ctx, ctx->lineno, CONF_MSG_WARNING,
		    "%s %s ignored: every vhid starts in INIT, then BACKUP",
		    wd->name, conf_word(ctx, value, vis, sizeof(vis)));
}

/*
 * A word that is not a keyword: the address, which may follow the
 * password directly, as in FreeBSD's Handbook ("vhid 1 pass x
 * 192.168.1.50/24").  Any other word right after the password may be the
 * rest of a password with blanks: on such a line no word is echoed.
 */
static void
conf_w_addr(struct conf_ctx *ctx, struct conf_ifline *l, const char *prev,
    const char *word)
{
	char	 vis[CONF_VISLEN];
	int	 plen, given;

	if (l->pass != NULL && prev == l->pass && !conf_addr_like(word)) {
		conf_msg(ctx, ctx->lineno, CONF_MSG_ERROR,
		    "unexpected word after pass (a password cannot hold "
		    "blanks unless quoted)");
		return;
	}
	if (!isdigit((unsigned char)word[0]) && strchr(word, ':') == NULL) {
		conf_msg(ctx, ctx->lineno, CONF_MSG_ERROR,
		    "unknown ifconfig keyword %s",
		    conf_word(ctx, word, vis, sizeof(vis)));
		return;
	}
	if (l->have_addr) {
		conf_msg(ctx, ctx->lineno, CONF_MSG_ERROR,
		    "more than one address on one line");
		return;
	}
	if (conf_addr(ctx, "address", word, l->family, 1, &l->addr, &plen,
	    &given) == -1)
		return;
	l->have_addr = 1;
	l->addr_word = word;
	if (!given)
		return;
	if (l->plen_given) {
		conf_msg(ctx, ctx->lineno, CONF_MSG_ERROR,
		    "prefix length given twice");
		return;
	}
	l->plen = plen;
	l->plen_given = 1;
}

/*
 * Is the line CARP (it has a vhid)?  Also notes whether it has a password,
 * in which case no word of it is ever shown.
 */
static int
conf_ifline_carp(struct conf_ctx *ctx, char **w, int n)
{
	const struct conf_ifword	*wd;
	int				 i, carp = 0;

	for (i = 0; i < n; i++) {
		if ((wd = conf_ifword_find(w[i])) == NULL)
			continue;
		if (wd->flags & CONF_W_CARP)
			carp = 1;
		if (wd->flags & CONF_W_SECRET)
			ctx->hide = 1;
	}
	return carp;
}

/* The ifconfig arguments after the interface name. */
static void
conf_ifconfig(struct conf_ctx *ctx, const char *ifname, char **w, int n)
{
	const struct conf_ifword	*wd;
	struct conf_ifline		 l;
	char				 vis[CONF_VISLEN];
	int				 i, errs = ctx->nerrors;

	if (!conf_ifline_carp(ctx, w, n)) {
		conf_msg(ctx, ctx->lineno, CONF_MSG_WARNING,
		    "no vhid on this ifconfig line, not CARP, line skipped");
		return;
	}
	if (!ifname_valid(ifname, strlen(ifname))) {
		conf_msg(ctx, ctx->lineno, CONF_MSG_ERROR,
		    "bad interface name %s",
		    conf_word(ctx, ifname, vis, sizeof(vis)));
		return;
	}
	memset(&l, 0, sizeof(l));
	l.ifname = ifname;
	l.vhid = l.advbase = l.advskew = l.plen = -1;
	l.carpver = l.vrrpprio = l.vrrpinterval = -1;
	for (i = 0; i < n; i++) {
		if ((wd = conf_ifword_find(w[i])) == NULL) {
			conf_w_addr(ctx, &l, i > 0 ? w[i - 1] : NULL, w[i]);
			continue;
		}
		if (wd->flags & CONF_W_VALUE) {
			if (i + 1 == n) {
				conf_msg(ctx, ctx->lineno, CONF_MSG_ERROR,
				    "%s needs a value", wd->name);
				break;
			}
			i++;
		}
		if (wd->fn != NULL)
			wd->fn(ctx, &l, wd, w[i]);
	}
	if (ctx->nerrors == errs && conf_ifline_check(ctx, &l) == 0)
		conf_merge(ctx, &l);
}

/* Whole-line checks: the address, its family and its length. */
static int
conf_ifline_check(struct conf_ctx *ctx, struct conf_ifline *l)
{
	char	 vis[CONF_VISLEN];
	int	 max;

	if (l->plen_given && !l->have_addr) {
		conf_msg(ctx, ctx->lineno, CONF_MSG_ERROR,
		    "prefix length without an address");
		return -1;
	}
	if (!l->have_addr)
		return 0;
	if (l->family != 0 && l->family != l->addr.family) {
		conf_msg(ctx, ctx->lineno, CONF_MSG_ERROR,
		    "address %s is not %s",
		    conf_word(ctx, l->addr_word, vis, sizeof(vis)),
		    l->family == AF_INET ? "inet" : "inet6");
		return -1;
	}
	if (l->plen_given == 2 && l->addr.family != AF_INET) {
		conf_msg(ctx, ctx->lineno, CONF_MSG_ERROR,
		    "netmask with an inet6 address (use prefixlen)");
		return -1;
	}
	max = l->addr.family == AF_INET ? 32 : 128;
	if (l->plen == -1)
		l->plen = l->addr.family == AF_INET ? 32 : 64;
	if (l->plen > max) {
		conf_msg(ctx, ctx->lineno, CONF_MSG_ERROR,
		    "prefixlen %d out of range (0-%d)", l->plen, max);
		return -1;
	}
	l->addr.prefixlen = (uint8_t)l->plen;
	return 0;
}

static int
conf_addr_eq(const struct carp_addr *a, const struct carp_addr *b)
{
	if (a->family != b->family)
		return 0;
	if (a->family == AF_INET)
		return a->a.v4.s_addr == b->a.v4.s_addr;
	if (a->family == AF_INET6)
		return memcmp(&a->a.v6, &b->a.v6, sizeof(a->a.v6)) == 0;
	return 1;
}

/* An address as text, without its length. */
static const char *
conf_ntop(const struct carp_addr *a, char *buf, size_t len)
{
	if (a->family == 0 || inet_ntop(a->family, &a->a, buf,
	    (socklen_t)len) == NULL)
		snprintf(buf, len, "mcast");
	return buf;
}

/* Set a one-byte parameter, or report a conflict with its earlier value. */
static void
conf_merge_u8(struct conf_ctx *ctx, const char *what, int value, int dflt,
    uint8_t *field, int *line, int created)
{
	if (value == -1) {
		if (created)
			*field = (uint8_t)dflt;
		return;
	}
	if (*line != 0 && *field != value) {
		conf_msg(ctx, ctx->lineno, CONF_MSG_ERROR,
		    "%s %d conflicts with %d at %s:%d", what, value, *field,
		    ctx->name, *line);
		return;
	}
	if (*line == 0) {
		*field = (uint8_t)value;
		*line = ctx->lineno;
	}
}

/*
 * A parameter kept elsewhere than in one byte: 1 if value (given, -1:
 * not) is to be stored now, 0 if it was not given, is the same as before
 * or conflicts with it (reported).
 */
static int
conf_merge_take(struct conf_ctx *ctx, const char *what, int value, int cur,
    int *line)
{
	if (value == -1)
		return 0;
	if (*line != 0 && cur != value) {
		conf_msg(ctx, ctx->lineno, CONF_MSG_ERROR,
		    "%s %d conflicts with %d at %s:%d", what, value, cur,
		    ctx->name, *line);
		return 0;
	}
	if (*line != 0)
		return 0;
	*line = ctx->lineno;
	return 1;
}

/* Set a peer (family 0: multicast), or report a conflict. */
static void
conf_merge_peer(struct conf_ctx *ctx, const char *what, int set,
    const struct carp_addr *value, struct carp_addr *field, int *line)
{
	char	 a[INET6_ADDRSTRLEN], b[INET6_ADDRSTRLEN];

	if (!set)
		return;
	if (*line != 0 && !conf_addr_eq(field, value)) {
		conf_msg(ctx, ctx->lineno, CONF_MSG_ERROR,
		    "%s %s conflicts with %s at %s:%d", what,
		    conf_word(ctx, conf_ntop(value, a, sizeof(a)), a,
		    sizeof(a)),
		    conf_ntop(field, b, sizeof(b)), ctx->name, *line);
		return;
	}
	if (*line == 0) {
		*field = *value;
		*line = ctx->lineno;
	}
}

/* Add a line's address to VHID i, checking for duplicates everywhere. */
static void
conf_add_addr(struct conf_ctx *ctx, size_t i, const struct conf_ifline *l)
{
	struct carp_vhid_conf	*vc = &ctx->conf->vhids[i].cv_conf, *o;
	char			 a[INET6_ADDRSTRLEN];
	size_t			 j, k;

	ctx->vs[i].addr_tried = 1;
	for (j = 0; j < ctx->conf->nvhids; j++) {
		o = &ctx->conf->vhids[j].cv_conf;
		for (k = 0; k < o->naddrs; k++) {
			if (!conf_addr_eq(&o->addrs[k], &l->addr))
				continue;
			if (j == i) {
				conf_msg(ctx, ctx->lineno, CONF_MSG_WARNING,
				    "address %s already in vhid %d on %s at "
				    "%s:%d, ignored", conf_word(ctx, conf_ntop(
				    &l->addr, a, sizeof(a)), a, sizeof(a)),
				    vc->vhid, vc->ifname,
				    ctx->name, ctx->vs[i].addr_line[k]);
				return;
			}
			conf_msg(ctx, ctx->lineno, CONF_MSG_ERROR,
			    "address %s already used by vhid %d on %s at "
			    "%s:%d", conf_word(ctx, conf_ntop(&l->addr, a,
			    sizeof(a)), a, sizeof(a)),
			    o->vhid, o->ifname, ctx->name,
			    ctx->vs[j].addr_line[k]);
			return;
		}
	}
	if (vc->naddrs == CARP_MAX_ADDRS) {
		conf_msg(ctx, ctx->lineno, CONF_MSG_ERROR,
		    "too many addresses for vhid %d on %s (at most %d)",
		    vc->vhid, vc->ifname, CARP_MAX_ADDRS);
		return;
	}
	ctx->vs[i].addr_line[vc->naddrs] = ctx->lineno;
	vc->addrs[vc->naddrs++] = l->addr;
}

/* Merge one checked ifconfig line into its VHID, creating it if new. */
static void
conf_merge(struct conf_ctx *ctx, struct conf_ifline *l)
{
	struct carpd_conf	*conf = ctx->conf;
	struct carp_vhid_conf	*vc;
	struct conf_vstate	*vs;
	char			 vis[CONF_VISLEN];
	unsigned int		 ifindex = 0;
	size_t			 i, plen;
	int			 created = 0;

	for (i = 0; i < conf->nvhids; i++) {
		vc = &conf->vhids[i].cv_conf;
		if (vc->vhid == l->vhid && strcmp(vc->ifname, l->ifname) == 0)
			break;
	}
	if (i == conf->nvhids) {
		if (ctx->opts != NULL && ctx->opts->resolve != NULL)
			ifindex = ctx->opts->resolve(ctx->opts->resolve_arg,
			    l->ifname);
		else
			ifindex = if_nametoindex(l->ifname);
		if (ifindex == 0) {
			conf_msg(ctx, ctx->lineno, CONF_MSG_ERROR,
			    "unknown interface %s",
			    conf_word(ctx, l->ifname, vis, sizeof(vis)));
			return;
		}
		if (conf->nvhids == ctx->vcap) {
			ctx->vcap = ctx->vcap == 0 ? 8 : ctx->vcap * 2;
			conf->vhids = xreallocarray(conf->vhids, ctx->vcap,
			    sizeof(*conf->vhids));
			ctx->vs = xreallocarray(ctx->vs, ctx->vcap,
			    sizeof(*ctx->vs));
		}
		i = conf->nvhids++;
		memset(&conf->vhids[i], 0, sizeof(conf->vhids[i]));
		memset(&ctx->vs[i], 0, sizeof(ctx->vs[i]));
		vc = &conf->vhids[i].cv_conf;
		vc->vhid = (uint8_t)l->vhid;
		vc->ifindex = ifindex;
		snprintf(vc->ifname, sizeof(vc->ifname), "%s", l->ifname);
		conf->vhids[i].cv_line = ctx->lineno;
		vc->proto = CARP_PROTO_CARP;
		vc->vrrp_prio = VRRP_PRIO_DFLT;
		vc->vrrp_interval = VRRP_INTERVAL_DFLT;
		created = 1;
	}
	vc = &conf->vhids[i].cv_conf;
	vs = &ctx->vs[i];

	conf_merge_u8(ctx, "advbase", l->advbase, CONF_DFLT_ADVBASE,
	    &vc->advbase, &vs->advbase_line, created);
	conf_merge_u8(ctx, "advskew", l->advskew, CONF_DFLT_ADVSKEW,
	    &vc->advskew, &vs->advskew_line, created);
	if (conf_merge_take(ctx, "carpver", l->carpver,
	    vc->proto == CARP_PROTO_VRRP3 ? 3 : 2, &vs->carpver_line))
		vc->proto = l->carpver == 3 ? CARP_PROTO_VRRP3 :
		    CARP_PROTO_CARP;
	if (conf_merge_take(ctx, "vrrpprio", l->vrrpprio, vc->vrrp_prio,
	    &vs->vrrpprio_line))
		vc->vrrp_prio = (uint8_t)l->vrrpprio;
	if (conf_merge_take(ctx, "vrrpinterval", l->vrrpinterval,
	    vc->vrrp_interval, &vs->vrrpinterval_line))
		vc->vrrp_interval = (uint16_t)l->vrrpinterval;
	if (l->pass != NULL) {
		/* FreeBSD's ifconfig keeps the first 19 bytes. */
		plen = strlen(l->pass);
		if (plen > CARP_KEY_MAX) {
			conf_msg(ctx, ctx->lineno, CONF_MSG_WARNING,
			    "password longer than %d bytes, truncated as "
			    "FreeBSD does", CARP_KEY_MAX);
			plen = CARP_KEY_MAX;
		}
		if (vs->pass_line != 0 && (vc->keylen != plen ||
		    memcmp(vc->key, l->pass, plen) != 0))
			conf_msg(ctx, ctx->lineno, CONF_MSG_ERROR,
			    "pass conflicts with the one at %s:%d",
			    ctx->name, vs->pass_line);
		else if (vs->pass_line == 0) {
			memcpy(vc->key, l->pass, plen);
			vc->keylen = plen;
			vs->pass_line = ctx->lineno;
		}
	}
	conf_merge_peer(ctx, "peer", l->peer4_set, &l->peer4, &vc->peer4,
	    &vs->peer4_line);
	conf_merge_peer(ctx, "peer6", l->peer6_set, &l->peer6, &vc->peer6,
	    &vs->peer6_line);
	if (l->macmode != 0) {
		if (vs->macmode_line != 0 &&
		    conf->vhids[i].cv_macmode != l->macmode)
			conf_msg(ctx, ctx->lineno, CONF_MSG_ERROR,
			    "mac-mode conflicts with the one at %s:%d",
			    ctx->name, vs->macmode_line);
		else if (vs->macmode_line == 0) {
			conf->vhids[i].cv_macmode = l->macmode;
			vs->macmode_line = ctx->lineno;
		}
	}
	if (l->have_addr)
		conf_add_addr(ctx, i, l);
}

/* Checks that need the whole file. */
static void
conf_check(struct conf_ctx *ctx)
{
	struct carp_vhid_conf	*vc;
	size_t			 i, j;
	int			 has4, has6;

	for (i = 0; i < ctx->conf->nvhids; i++) {
		vc = &ctx->conf->vhids[i].cv_conf;
		if (vc->naddrs == 0) {
			/* A refused address has had its message already. */
			if (ctx->vs[i].addr_tried)
				continue;
			conf_msg(ctx, ctx->conf->vhids[i].cv_line,
			    CONF_MSG_ERROR, "vhid %d on %s has no address",
			    vc->vhid, vc->ifname);
			continue;
		}
		has4 = has6 = 0;
		for (j = 0; j < vc->naddrs; j++) {
			if (vc->addrs[j].family == AF_INET)
				has4 = 1;
			else
				has6 = 1;
		}
		if (vc->peer4.family != 0 && !has4)
			conf_msg(ctx, ctx->vs[i].peer4_line,
			    CONF_MSG_WARNING, "vhid %d on %s has a peer but "
			    "no inet address", vc->vhid, vc->ifname);
		if (vc->peer6.family != 0 && !has6)
			conf_msg(ctx, ctx->vs[i].peer6_line,
			    CONF_MSG_WARNING, "vhid %d on %s has a peer6 but "
			    "no inet6 address", vc->vhid, vc->ifname);
		conf_check_vrrp(ctx, i);
	}
	conf_check_tls(ctx);
}

/*
 * A VHID's words must belong to its protocol.  FreeBSD accepts CARP's
 * words on a VRRPv3 VHID and ignores them (and VRRP's on a CARP one);
 * carpd refuses them, since each would silently mean nothing: a pass
 * that authenticates nothing, an advskew meant to make this host the
 * backup, a peer that would not get the adverts.
 */
static void
conf_check_vrrp(struct conf_ctx *ctx, size_t i)
{
	const struct carp_vhid_conf	*vc = &ctx->conf->vhids[i].cv_conf;
	const struct conf_vstate	*vs = &ctx->vs[i];
	size_t				 j, n6 = 0;

	if (vc->proto != CARP_PROTO_VRRP3) {
		if (vs->vrrpprio_line != 0)
			conf_msg(ctx, vs->vrrpprio_line, CONF_MSG_ERROR,
			    "vrrpprio on vhid %d on %s, a CARP vhid (VRRPv3 "
			    "needs carpver 3)", vc->vhid, vc->ifname);
		if (vs->vrrpinterval_line != 0)
			conf_msg(ctx, vs->vrrpinterval_line, CONF_MSG_ERROR,
			    "vrrpinterval on vhid %d on %s, a CARP vhid "
			    "(VRRPv3 needs carpver 3)", vc->vhid, vc->ifname);
		return;
	}
	if (vs->pass_line != 0)
		conf_msg(ctx, vs->pass_line, CONF_MSG_ERROR,
		    "pass on vhid %d on %s, a carpver 3 vhid: VRRPv3 has no "
		    "password (FreeBSD ignores it; remove it)", vc->vhid,
		    vc->ifname);
	if (vs->advbase_line != 0)
		conf_msg(ctx, vs->advbase_line, CONF_MSG_ERROR,
		    "advbase on vhid %d on %s, a carpver 3 vhid: use "
		    "vrrpinterval (centiseconds)", vc->vhid, vc->ifname);
	if (vs->advskew_line != 0)
		conf_msg(ctx, vs->advskew_line, CONF_MSG_ERROR,
		    "advskew on vhid %d on %s, a carpver 3 vhid: use "
		    "vrrpprio (higher is preferred)", vc->vhid, vc->ifname);
	if (vc->peer4.family != 0)
		conf_msg(ctx, vs->peer4_line, CONF_MSG_ERROR,
		    "peer on vhid %d on %s, a carpver 3 vhid: VRRPv3 "
		    "adverts are multicast only, as on FreeBSD", vc->vhid,
		    vc->ifname);
	if (vc->peer6.family != 0)
		conf_msg(ctx, vs->peer6_line, CONF_MSG_ERROR,
		    "peer6 on vhid %d on %s, a carpver 3 vhid: VRRPv3 "
		    "adverts are multicast only, as on FreeBSD", vc->vhid,
		    vc->ifname);
	for (j = 0; j < vc->naddrs; j++)
		if (vc->addrs[j].family == AF_INET6)
			n6++;
	if (n6 > CONF_VRRP_MAX_ADDRS6)
		conf_msg(ctx, vs->addr_line[0], CONF_MSG_ERROR,
		    "vhid %d on %s has %zu inet6 addresses, a carpver 3 "
		    "vhid at most %d (its advert carries them all)",
		    vc->vhid, vc->ifname, n6, CONF_VRRP_MAX_ADDRS6);
}

/*
 * The TLS keys go together as in exporter-toolkit's web config: a
 * certificate needs its key and the other way round; the client settings
 * need a certificate; a client CA needs a client_auth_type other than
 * NoClientCert, and the Verify types need a client CA; actions that need
 * a client certificate need one that TLS verified.
 */
static void
conf_check_tls(struct conf_ctx *ctx)
{
	struct carpd_conf	*conf = ctx->conf;
	int			 ca = conf->http_tls_client_auth;
	int			 l_cert, l_key, l_ca, l_auth, l_min, l_act;

	l_cert = conf_key_line(ctx, "http-tls-cert");
	l_key = conf_key_line(ctx, "http-tls-key");
	l_ca = conf_key_line(ctx, "http-tls-client-ca");
	l_auth = conf_key_line(ctx, "http-tls-client-auth");
	l_min = conf_key_line(ctx, "http-tls-min-version");
	l_act = conf_key_line(ctx, "http-action-auth");

	conf->http_tls_cert_line = l_cert;
	conf->http_tls_key_line = l_key;
	conf->http_tls_client_ca_line = l_ca;
	if (conf->http_tls_cert != NULL && conf->http_tls_key == NULL)
		conf_msg(ctx, l_cert, CONF_MSG_ERROR,
		    "http-tls-cert needs http-tls-key");
	if (conf->http_tls_key != NULL && conf->http_tls_cert == NULL)
		conf_msg(ctx, l_key, CONF_MSG_ERROR,
		    "http-tls-key needs http-tls-cert");
	if (conf->http_tls_cert == NULL) {
		if (l_ca != 0)
			conf_msg(ctx, l_ca,
			    CONF_MSG_ERROR, "http-tls-client-ca needs "
			    "http-tls-cert and http-tls-key");
		if (ca != CONF_TLS_NO_CLIENT_CERT)
			conf_msg(ctx, l_auth,
			    CONF_MSG_ERROR, "http-tls-client-auth needs "
			    "http-tls-cert and http-tls-key");
		if (conf->http_tls_min_version != CONF_TLS_12)
			conf_msg(ctx, l_min,
			    CONF_MSG_ERROR, "http-tls-min-version needs "
			    "http-tls-cert and http-tls-key");
		if (conf->http_action_auth != CONF_ACTION_AUTH_TOKEN)
			conf_msg(ctx, l_act,
			    CONF_MSG_ERROR, "http-action-auth %s needs TLS: "
			    "http-tls-cert, http-tls-key, http-tls-client-ca",
			    conf_action_auth_names[conf->http_action_auth]);
		return;
	}
	if (conf->nhttp_listen == 0)
		conf_msg(ctx, l_cert, CONF_MSG_WARNING,
		    "http-tls-cert without http-listen: no TCP to protect");
	if (conf->http_tls_client_ca != NULL && ca == CONF_TLS_NO_CLIENT_CERT)
		conf_msg(ctx, l_ca, CONF_MSG_ERROR,
		    "http-tls-client-ca needs http-tls-client-auth other "
		    "than NoClientCert (as exporter-toolkit's client_ca_file "
		    "and client_auth_type)");
	if (conf->http_tls_client_ca == NULL &&
	    (ca == CONF_TLS_VERIFY_IF_GIVEN ||
	    ca == CONF_TLS_REQUIRE_AND_VERIFY))
		conf_msg(ctx, l_auth, CONF_MSG_ERROR,
		    "http-tls-client-auth %s needs http-tls-client-ca",
		    conf_client_auth_names[ca]);
	if (conf->http_action_auth != CONF_ACTION_AUTH_TOKEN &&
	    ca != CONF_TLS_VERIFY_IF_GIVEN && ca != CONF_TLS_REQUIRE_AND_VERIFY)
		conf_msg(ctx, l_act, CONF_MSG_ERROR,
		    "http-action-auth %s needs http-tls-client-auth "
		    "VerifyClientCertIfGiven or RequireAndVerifyClientCert",
		    conf_action_auth_names[conf->http_action_auth]);
}

/* Fill in every default, with no VHID. */
void
conf_default(struct carpd_conf *conf)
{
	const struct conf_key	*k;

	memset(conf, 0, sizeof(*conf));
	for (k = conf_keys; k < conf_keys + conf_nkeys; k++)
		if (k->store != CONF_S_LIST)
			conf_key_set(conf, k, k->dflt, k->dflt_str);
}

/* Free what conf_default() and parsing allocated, not conf itself. */
void
conf_clear(struct carpd_conf *conf)
{
	const struct conf_key	*k;
	size_t			 i;

	free(conf->path);
	for (k = conf_keys; k < conf_keys + conf_nkeys; k++)
		if (k->store == CONF_S_STR)
			free(*(char **)(void *)((char *)conf + k->off));
	for (i = 0; i < conf->nhttp_listen; i++)
		free(conf->http_listen[i]);
	free(conf->http_listen);
	free(conf->vhids);
	memset(conf, 0, sizeof(*conf));
}

/* Parse a buffer; NULL after reporting the errors. */
struct carpd_conf *
conf_parse_buf(const char *name, const char *buf, size_t len,
    const struct conf_opts *opts)
{
	struct conf_ctx		 ctx;
	struct carpd_conf	*conf;
	char			*copy, *line, *nl;
	size_t			 rest;

	conf = xmalloc(sizeof(*conf));
	conf_default(conf);
	conf->path = xstrdup(name);
	memset(&ctx, 0, sizeof(ctx));
	ctx.opts = opts;
	ctx.name = conf->path;
	ctx.conf = conf;

	copy = xmalloc(len + 1);
	if (len > 0)
		memcpy(copy, buf, len);
	copy[len] = '\0';
	for (line = copy, rest = len; line != NULL; ) {
		ctx.lineno++;
		nl = memchr(line, '\n', rest);
		if (nl != NULL)
			*nl = '\0';
		else if (rest == 0)
			break;
		if (strlen(line) != (nl != NULL ? (size_t)(nl - line) : rest))
			conf_msg(&ctx, ctx.lineno, CONF_MSG_ERROR,
			    "NUL byte in line");
		else {
			if (nl != NULL && nl > line && nl[-1] == '\r')
				nl[-1] = '\0';
			conf_line(&ctx, line);
		}
		if (nl == NULL)
			break;
		rest -= (size_t)(nl + 1 - line);
		line = nl + 1;
	}
	free(copy);

	conf_check(&ctx);
	free(ctx.vs);
	if (ctx.nerrors > 0) {
		conf_free(conf);
		return NULL;
	}
	return conf;
}

/* Parse a file; NULL after reporting the errors. */
struct carpd_conf *
conf_parse(const char *path, const struct conf_opts *opts)
{
	struct conf_ctx		 ctx;
	struct carpd_conf	*conf;
	FILE			*fp;
	char			*buf = NULL;
	size_t			 len = 0, cap = 0, n;

	memset(&ctx, 0, sizeof(ctx));
	ctx.opts = opts;
	ctx.name = path;
	if ((fp = fopen(path, "r")) == NULL) {
		conf_msg(&ctx, 0, CONF_MSG_ERROR, "%s", strerror(errno));
		return NULL;
	}
	for (;;) {
		if (len == cap) {
			if (cap >= CONF_MAXSIZE) {
				conf_msg(&ctx, 0, CONF_MSG_ERROR,
				    "file larger than %d bytes", CONF_MAXSIZE);
				goto fail;
			}
			cap = cap == 0 ? 8192 : cap * 2;
			buf = xreallocarray(buf, cap, 1);
		}
		n = fread(buf + len, 1, cap - len, fp);
		len += n;
		if (n == 0)
			break;
	}
	if (ferror(fp)) {
		conf_msg(&ctx, 0, CONF_MSG_ERROR, "read error");
		goto fail;
	}
	fclose(fp);
	conf = conf_parse_buf(path, buf, len, opts);
	free(buf);
	return conf;
 fail:
	fclose(fp);
	free(buf);
	return NULL;
}

void
conf_free(struct carpd_conf *conf)
{
	if (conf == NULL)
		return;
	conf_clear(conf);
	free(conf);
}

/*
 * Print a word so that conf_split() reads it back: bare if it is made of
 * harmless characters, else in single quotes, a ' written as '"'"'.
 */
static void
conf_print_word(FILE *fp, const char *s, size_t len)
{
	size_t	 i;
	int	 bare = len > 0;

	for (i = 0; i < len && bare; i++)
		if (s[i] == '\0' || strchr("abcdefghijklmnopqrstuvwxyz"
		    "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_./:@%+,-",
		    s[i]) == NULL)
			bare = 0;
	if (bare) {
		fwrite(s, 1, len, fp);
		return;
	}
	fputc('\'', fp);
	for (i = 0; i < len; i++) {
		if (s[i] == '\'')
			fputs("'\"'\"'", fp);
		else
			fputc(s[i], fp);
	}
	fputc('\'', fp);
}

void
conf_print(FILE *fp, const struct carpd_conf *conf)
{
	conf_print_flags(fp, conf, 0);
}

/* Print one setting as its line, or lines, or nothing when it is unset. */
static void
conf_print_key(FILE *fp, const struct carpd_conf *conf,
    const struct conf_key *k)
{
	char		 buf[32];
	const char	*s;
	size_t		 i;

	/* The TLS keys only mean something with TLS. */
	if ((k->flags & CONF_K_TLS) && conf->http_tls_cert == NULL)
		return;
	if (k->store == CONF_S_LIST) {
		for (i = 0; i < conf->nhttp_listen; i++)
			fprintf(fp, "%s %s\n", k->name, conf->http_listen[i]);
		return;
	}
	if ((s = conf_key_text(conf, k, buf, sizeof(buf))) == NULL)
		return;
	if (k->flags & CONF_K_SYSCTL) {
		fprintf(fp, "%s%s=%s\n", CONF_SYSCTL, k->name, s);
		return;
	}
	fprintf(fp, "%s ", k->name);
	conf_print_word(fp, s, strlen(s));
	fputc('\n', fp);
}

/* Print the configuration in canonical form. */
void
conf_print_flags(FILE *fp, const struct carpd_conf *conf, int flags)
{
	const struct conf_key		*k;
	const struct carp_vhid_conf	*vc;
	const struct carp_addr		*a;
	char				 buf[INET6_ADDRSTRLEN];
	size_t				 i, j;

	for (k = conf_keys; k < conf_keys + conf_nkeys; k++)
		conf_print_key(fp, conf, k);

	for (i = 0; i < conf->nvhids; i++) {
		vc = &conf->vhids[i].cv_conf;
		for (j = 0; j < vc->naddrs; j++) {
			a = &vc->addrs[j];
			fputs("ifconfig ", fp);
			conf_print_word(fp, vc->ifname, strlen(vc->ifname));
			fprintf(fp, " %s vhid %d", a->family == AF_INET6 ?
			    "inet6" : "inet", vc->vhid);
			if (j == 0 && vc->proto == CARP_PROTO_VRRP3)
				fprintf(fp, " carpver 3 vrrpprio %d "
				    "vrrpinterval %d", vc->vrrp_prio,
				    vc->vrrp_interval);
			else if (j == 0)
				fprintf(fp, " advbase %d advskew %d",
				    vc->advbase, vc->advskew);
			if (j == 0) {
				if (vc->keylen > 0) {
					fputs(" pass ", fp);
					if (flags & CONF_PRINT_SECRETS)
						conf_print_word(fp,
						    (const char *)vc->key,
						    vc->keylen);
					else
						fputs(CONF_MASK, fp);
				}
				if (vc->peer4.family != 0)
					fprintf(fp, " peer %s", conf_ntop(
					    &vc->peer4, buf, sizeof(buf)));
				if (vc->peer6.family != 0)
					fprintf(fp, " peer6 %s", conf_ntop(
					    &vc->peer6, buf, sizeof(buf)));
				if (conf->vhids[i].cv_macmode != 0)
					fprintf(fp, " mac-mode %s",
					    conf->vhids[i].cv_macmode ==
					    CONF_MAC_VIRTUAL ? "virtual" :
					    "interface");
			}
			fprintf(fp, " alias %s/%d\n",
			    conf_ntop(a, buf, sizeof(buf)), a->prefixlen);
		}
	}
}

/*
 * Can a running configuration take nc on a reload?  FreeBSD refuses to
 * change a live VHID's carpver (EINVAL); so does carpd, naming the line
 * that first names the VHID in nc.  Returns 0, or -1 after the messages.
 */
int
conf_reload_check(const struct carpd_conf *old, const struct carpd_conf *nc,
    const struct conf_opts *opts)
{
	struct conf_ctx			 ctx;
	const struct carp_vhid_conf	*a, *b;
	size_t				 i, j;

	memset(&ctx, 0, sizeof(ctx));
	ctx.opts = opts;
	ctx.name = nc->path;
	for (i = 0; i < nc->nvhids; i++) {
		b = &nc->vhids[i].cv_conf;
		for (j = 0; j < old->nvhids; j++) {
			a = &old->vhids[j].cv_conf;
			if (!conf_vhid_same(a, b) || a->proto == b->proto)
				continue;
			conf_msg(&ctx, nc->vhids[i].cv_line, CONF_MSG_ERROR,
			    "vhid %d on %s: carpver %d, but it runs with "
			    "carpver %d; the version of a vhid cannot change "
			    "(as on FreeBSD): remove it, reload, add it again",
			    b->vhid, b->ifname,
			    b->proto == CARP_PROTO_VRRP3 ? 3 : 2,
			    a->proto == CARP_PROTO_VRRP3 ? 3 : 2);
		}
	}
	return ctx.nerrors > 0 ? -1 : 0;
}

/* Same VHID on the same interface. */
int
conf_vhid_same(const struct carp_vhid_conf *a, const struct carp_vhid_conf *b)
{
	return a->vhid == b->vhid && a->ifindex == b->ifindex &&
	    strcmp(a->ifname, b->ifname) == 0;
}

/* Same VHID with the same parameters and set of addresses. */
int
conf_vhid_equal(const struct carp_vhid_conf *a, const struct carp_vhid_conf *b)
{
	size_t	 i, j;

	if (!conf_vhid_same(a, b) || a->advbase != b->advbase ||
	    a->advskew != b->advskew || a->keylen != b->keylen ||
	    a->keylen > CARP_KEY_MAX ||
	    memcmp(a->key, b->key, a->keylen) != 0 ||
	    !conf_addr_eq(&a->peer4, &b->peer4) ||
	    !conf_addr_eq(&a->peer6, &b->peer6) || a->naddrs != b->naddrs ||
	    a->proto != b->proto || a->vrrp_prio != b->vrrp_prio ||
	    a->vrrp_interval != b->vrrp_interval ||
	    a->vrrp_noaccept != b->vrrp_noaccept)
		return 0;
	/* The addresses are de-duplicated, so one inclusion is enough. */
	for (i = 0; i < a->naddrs; i++) {
		for (j = 0; j < b->naddrs; j++)
			if (conf_addr_eq(&a->addrs[i], &b->addrs[j]) &&
			    a->addrs[i].prefixlen == b->addrs[j].prefixlen)
				break;
		if (j == b->naddrs)
			return 0;
	}
	return 1;
}

/* Whole configurations equal, VHIDs in the same order. */
int
conf_equal(const struct carpd_conf *a, const struct carpd_conf *b)
{
	const struct conf_key	*k;
	size_t			 i;

	for (k = conf_keys; k < conf_keys + conf_nkeys; k++)
		if (!conf_key_holds(a, k, conf_key_int(b, k),
		    conf_key_str(b, k)))
			return 0;
	if (a->nhttp_listen != b->nhttp_listen)
		return 0;
	for (i = 0; i < a->nhttp_listen; i++)
		if (strcmp(a->http_listen[i], b->http_listen[i]) != 0)
			return 0;
	if (a->nvhids != b->nvhids)
		return 0;
	for (i = 0; i < a->nvhids; i++)
		if (!conf_vhid_equal(&a->vhids[i].cv_conf,
		    &b->vhids[i].cv_conf) ||
		    a->vhids[i].cv_macmode != b->vhids[i].cv_macmode)
			return 0;
	return 1;
}
