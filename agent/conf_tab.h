/*
 * conf_tab.h: the tables that drive the carpd.conf parser, for conf.c and
 * the tests that walk them (every row documented in carpd.conf(5), every
 * row parsing and printing back).
 *
 * A new setting is one row in conf_keys[] (conf.c) and its paragraph in
 * docs/carpd.conf.5; a new ifconfig word, one row in conf_ifwords[] and
 * its paragraph.
 */
#ifndef CONF_TAB_H
#define CONF_TAB_H

#include <stddef.h>

/* How a setting's value is written. */
enum conf_type {
	CONF_T_INT,		/* decimal, min..max */
	CONF_T_PAIR,		/* names[0] (true) or names[1] (false) */
	CONF_T_ENUM,		/* one of names[], stored as its index */
	CONF_T_PATH,		/* an absolute path */
	CONF_T_PATH_OFF,	/* an absolute path, or "off" (NULL) */
	CONF_T_AGENTX,		/* an AgentX address, or "off" (NULL) */
	CONF_T_USER,		/* an existing user name */
	CONF_T_LISTEN,		/* ADDR:PORT or [ADDR]:PORT, repeatable */
	/* Tracking (conf.c's tracking block): several words, their own lines. */
	CONF_T_STARTUP,		/* WEIGHT for SECONDS [or until NAME] */
	CONF_T_TRACK_IF,	/* IFNAME [weight N], repeatable */
	CONF_T_TRACK_SCRIPT,	/* NAME "COMMAND" [interval S] ..., repeatable */
};

/* Where a setting's value is kept, at conf_key.off in struct carpd_conf. */
enum conf_store {
	CONF_S_INT,		/* int */
	CONF_S_BOOL,		/* bool */
	CONF_S_STR,		/* char *, allocated, maybe NULL */
	CONF_S_LIST,		/* http_listen: char **, then size_t count */
	CONF_S_TRACK,		/* tracks[] and startup_*: conf.c's own code */
};

/* conf_key.flags */
#define CONF_K_SYSCTL	0x01	/* net.inet.carp.NAME=VALUE, not KEY VALUE */
#define CONF_K_TLS	0x02	/* printed only with http-tls-cert */

/*
 * One setting.  The table lists the sysctls first, then the keys sorted
 * by name: the order conf_print() writes them in.
 */
struct conf_key {
	const char		*name;	/* a sysctl's without net.inet.carp. */
	int			 flags;	/* CONF_K_* */
	enum conf_type		 type;
	enum conf_store		 store;
	size_t			 off;	/* offsetof(struct carpd_conf, ...) */
	long long		 min;	/* CONF_T_INT's range */
	long long		 max;
	long long		 dflt;	/* default of an int or bool */
	const char		*dflt_str; /* default of a string, or NULL */
	const char *const	*names;	/* CONF_T_PAIR, CONF_T_ENUM; NULL-ended */
};

extern const struct conf_key	conf_keys[];
extern const size_t		conf_nkeys;

#define CONF_SYSCTL	"net.inet.carp."

struct conf_ctx;
struct conf_ifline;
struct conf_ifword;

/* Read one ifconfig word (and its value, if it takes one) into a line. */
typedef void	(*conf_ifword_fn)(struct conf_ctx *, struct conf_ifline *,
		    const struct conf_ifword *, const char *);

/* conf_ifword.flags */
#define CONF_W_VALUE	0x01	/* the next word is its value */
#define CONF_W_CARP	0x02	/* makes the line a CARP one (vhid) */
#define CONF_W_SECRET	0x04	/* its value is secret: no word is shown */

/* One ifconfig word. */
struct conf_ifword {
	const char		*name;
	int			 flags;	/* CONF_W_* */
	int			 arg;	/* for fn: an address family */
	conf_ifword_fn		 fn;	/* NULL: accepted, no meaning */
};

extern const struct conf_ifword	conf_ifwords[];
extern const size_t		conf_nifwords;

#endif /* CONF_TAB_H */
