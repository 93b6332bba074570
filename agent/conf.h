/*
 * conf.h: the carpd configuration file.
 *
 * The file takes, line by line and in any order:
 *
 *   net.inet.carp.NAME=VALUE   FreeBSD's sysctls, pasted from sysctl.conf
 *   ifconfig_IF[_aliasN]="..." rc.conf lines, pasted from rc.conf
 *   ifconfig IF ...            the same as a plain ifconfig command line
 *   KEY VALUE                  carpd's own settings (notify-script, ...)
 *
 * with blank lines and # comments anywhere.  conf_parse() reports every
 * problem as "file:line: message" (warnings as "file:line: warning: ...")
 * and returns NULL if any of them was an error.
 */
#ifndef CONF_H
#define CONF_H

#include <stdbool.h>
#include <stdio.h>

#include "carp/carp.h"

#define CONF_DFLT_LOG		1	/* net.inet.carp.log */
#define CONF_DFLT_NOTIFY_TIMEOUT 10	/* seconds */
#define CONF_DFLT_LOG_RATE	10	/* bad-packet log lines per second */
#define CONF_DFLT_ADVBASE	1
#define CONF_DFLT_ADVSKEW	0
/*
 * A VRRPv3 VHID's IPv6 addresses: its advert carries them all, 16 bytes
 * each, and must fit the transmit queue's slot (RAW_PAYLOAD_MAX, with an
 * IPv6 header); IPv4 ones take the limit of CARP_MAX_ADDRS.
 */
#define CONF_VRRP_MAX_ADDRS6	32
#define CONF_MASK		"********"	/* printed for a password */
#define CONF_DFLT_CONTROL_SOCKET "/run/carpd/carpd.sock"
#define CONF_DFLT_AGENTX_SOCKET	"unix:/var/agentx/master"
#define CONF_DFLT_AGENTX_PING	5	/* seconds */
#define CONF_DFLT_SNMP_TRAP_RATE 50	/* carpdStateChange a second */
#define CONF_MAX_LISTEN		16	/* http-listen lines */
#define CONF_DFLT_HTTP_PER_SOURCE 8	/* connections from one address */
#define CONF_DFLT_HTTP_REQ_TIMEOUT 10	/* seconds for a whole request */

/*
 * http-tls-client-auth: the names and meanings of the Prometheus
 * exporter-toolkit's client_auth_type (Go's tls.ClientAuthType).
 */
#define CONF_TLS_NO_CLIENT_CERT		0	/* NoClientCert */
#define CONF_TLS_REQUEST_CLIENT_CERT	1	/* RequestClientCert */
#define CONF_TLS_REQUIRE_ANY		2	/* RequireAnyClientCert */
#define CONF_TLS_VERIFY_IF_GIVEN	3	/* VerifyClientCertIfGiven */
#define CONF_TLS_REQUIRE_AND_VERIFY	4	/* RequireAndVerifyClientCert */

/* http-tls-min-version: exporter-toolkit's min_version, 1.2 and newer. */
#define CONF_TLS_12		0	/* TLS12 */
#define CONF_TLS_13		1	/* TLS13 */

/* http-action-auth: what actions over TCP need. */
#define CONF_ACTION_AUTH_TOKEN	0	/* token: the bearer token */
#define CONF_ACTION_AUTH_CERT	1	/* client-cert: a verified one */
#define CONF_ACTION_AUTH_BOTH	2	/* both */

/* mac-mode, per VHID (0: the global mac-mode). */
#define CONF_MAC_VIRTUAL	1	/* 00:00:5e:00:01:VHID, as FreeBSD */
#define CONF_MAC_INTERFACE	2	/* the interface's own MAC */

/* One VHID, with the line that first named it. */
struct conf_vhid {
	struct carp_vhid_conf	 cv_conf;	/* ifindex and ifname resolved */
	int			 cv_line;	/* first line, in carpd_conf.path */
	int			 cv_macmode;	/* CONF_MAC_*, or 0 */
};

/* A parsed configuration. */
struct carpd_conf {
	char			*path;		/* file name used in messages */
	struct carp_node_conf	 node;		/* allow, preempt, demotion... */
	int			 log_level;	/* net.inet.carp.log (1) */
	int			 dscp;		/* net.inet.carp.dscp (56) */
	int			 log_rate;	/* log-rate (10) */
	char			*notify_script;	/* notify-script, or NULL */
	int			 notify_timeout; /* notify-timeout (10) */
	char			*state_file;	/* state-file, or NULL */
	char			*control_socket; /* control-socket, NULL: off */
	char			**http_listen;	/* http-listen, canonical */
	size_t			 nhttp_listen;	/* ADDR:PORT, [ADDR]:PORT */
	char			*http_token_file; /* http-token-file, or NULL */
	bool			 http_auth_reads; /* http-auth-reads (no) */
	int			 http_max_per_source; /* http-max-per-source (8) */
	int			 http_request_timeout; /* http-request-timeout (10) */
	char			*http_tls_cert;	/* http-tls-cert, NULL: plain */
	char			*http_tls_key;	/* http-tls-key */
	char			*http_tls_client_ca; /* http-tls-client-ca */
	int			 http_tls_client_auth; /* CONF_TLS_*, NoClientCert */
	int			 http_tls_min_version; /* CONF_TLS_12 or _13 */
	int			 http_action_auth; /* CONF_ACTION_AUTH_* (token) */
	int			 http_tls_cert_line; /* for messages, 0: unset */
	int			 http_tls_key_line;
	int			 http_tls_client_ca_line;
	char			*agentx_socket;	/* agentx-socket, NULL: off */
	char			*user;		/* user: run as it, or NULL */
	int			 agentx_ping_interval; /* seconds (5) */
	int			 snmp_trap_rate; /* snmp-trap-rate (50), 0: all */
	bool			 agentx_writable; /* agentx-writable (no) */
	bool			 mac_virtual;	/* mac-mode (virtual) */
	struct conf_vhid	*vhids;		/* in order of first mention */
	size_t			 nvhids;
};

/* Message severities passed to conf_opts.msg. */
#define CONF_MSG_WARNING	0
#define CONF_MSG_ERROR		1

/* How to parse; a NULL struct conf_opts means every default. */
struct conf_opts {
	/*
	 * Map an interface name to its index, 0 when there is no such
	 * interface.  NULL: if_nametoindex(3).
	 */
	unsigned int		(*resolve)(void *arg, const char *ifname);
	void			*resolve_arg;
	/*
	 * Receive each message, already formatted as "file:line: text"
	 * without a newline.  NULL: print it, with a newline, to fp.
	 */
	void			(*msg)(void *arg, int severity, const char *text);
	void			*msg_arg;
	FILE			*fp;		/* NULL: stderr */
};

/* conf_print() flags. */
#define CONF_PRINT_SECRETS	0x01	/* passwords in clear, not masked */

/* Parse a file; NULL after reporting the errors. */
struct carpd_conf	*conf_parse(const char *path, const struct conf_opts *);
/* Parse a buffer (which need not be NUL-terminated); name is for messages. */
struct carpd_conf	*conf_parse_buf(const char *name, const char *buf,
			    size_t len, const struct conf_opts *);
void			 conf_free(struct carpd_conf *);
/*
 * Fill in every default, with no VHID; the default strings are allocated,
 * conf_clear() frees them (and all else conf holds, but not conf).
 */
void			 conf_default(struct carpd_conf *);
void			 conf_clear(struct carpd_conf *);

/*
 * Print the configuration in canonical form, which parses back to the same
 * configuration: every sysctl with its value, carpd's keys, then one
 * "ifconfig IF inet|inet6 vhid N ... alias ADDR/LEN" line per address, the
 * first of each VHID carrying its parameters.  Passwords are masked.
 */
void			 conf_print(FILE *, const struct carpd_conf *);
void			 conf_print_flags(FILE *, const struct carpd_conf *,
			    int flags);

/* Does this VHID use the virtual MAC (its mac-mode, else the global)? */
bool			 conf_vhid_vmac(const struct carpd_conf *,
			    const struct conf_vhid *);

/* Same VHID, on the same interface (the identity a reload keeps). */
int			 conf_vhid_same(const struct carp_vhid_conf *,
			    const struct carp_vhid_conf *);
/*
 * Same VHID with the same parameters: interface, timing, password, peers
 * and the same set of addresses (in any order).
 */
int			 conf_vhid_equal(const struct carp_vhid_conf *,
			    const struct carp_vhid_conf *);
/*
 * Can the running configuration old take nc on a reload (no VHID changes
 * its carpver)?  0, or -1 after reporting each refusal as "file:line:".
 */
int			 conf_reload_check(const struct carpd_conf *old,
			    const struct carpd_conf *nc,
			    const struct conf_opts *);
/* Whole configurations equal (VHIDs compared in order, not path). */
int			 conf_equal(const struct carpd_conf *,
			    const struct carpd_conf *);

#endif /* CONF_H */
