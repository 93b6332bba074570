/*
 * ledger.h: the node's demotion as a sum of named entries.
 *
 * FreeBSD's semantics stay: the node's demotion is one number, added to
 * each VHID's advskew (clamped to 240 on the wire), and any change makes
 * every MASTER advertise at once (the engine: carp_demotion_set()).  The
 * ledger says where the number comes from.  Each entry has a name, a
 * source, a weight, a reason, since when, an optional expiry, who set it
 * (origin) and whether it survives a restart (persist).
 *
 * Two kinds of entries:
 *
 *   owned      set and removed through ledger_set() and ledger_del(): an
 *              administrator (api, snmp), the configuration (config), the
 *              trackers (track-interface, track-script, startup), node
 *              maintenance.  Their sum is the engine's administrative part
 *              of the demotion (the apply hook, carp_demotion_set()).
 *   automatic  the engine's own contributions, link (the ifdown factor of
 *              each VHID whose interface is down, one entry per interface,
 *              "link:IFNAME") and send-error ("send-error:IFNAME"): copied
 *              in by ledger_auto_set() whenever the engine's demotion
 *              changes, gone with their cause, never removable.
 *
 * The sources api, snmp and config are free: any caller may replace or
 * remove their entries.  The others belong to their source: only a caller
 * of the same source may replace or remove them (EPERM otherwise), so a
 * tracker's entry goes only when the tracker says so.
 *
 * Bounds: at most LEDGER_MAX owned entries, names of 1 to LEDGER_NAME_LEN
 * - 1 bytes of [A-Za-z0-9._:@-] starting with a letter or digit (the
 * prefixes "link:" and "send-error:" are reserved for the automatic
 * entries), weights within +-CARP_DEMOTION_MAX, expiries at most
 * LEDGER_EXPIRY_MAX seconds ahead.
 *
 * This file is pure: the clock, the engine, the audit log and the state
 * file are reached through hooks (ledger_init()), so the unit tests run it
 * on a fake clock.  agent/control.c wires it to the daemon.
 */
#ifndef LEDGER_H
#define LEDGER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "carp/carp.h"

enum ledger_source {
	LEDGER_LINK,
	LEDGER_TRACK_INTERFACE,
	LEDGER_TRACK_SCRIPT,
	LEDGER_SEND_ERROR,
	LEDGER_STARTUP,
	LEDGER_API,
	LEDGER_SNMP,
	LEDGER_CONFIG,
	LEDGER_MAINTENANCE,
	LEDGER_SOURCE_MAX
};
/* "link", "track-interface", "track-script", "send-error", "startup",
 * "api", "snmp", "config", "maintenance". */
extern const char *const ledger_source_names[LEDGER_SOURCE_MAX];

#define LEDGER_MAX		64	/* owned entries */
#define LEDGER_NAME_LEN		64	/* with the NUL */
#define LEDGER_ORIGIN_LEN	256	/* with the NUL */
#define LEDGER_EXPIRY_MAX	(366LL * 86400)	/* seconds ahead */
#define LEDGER_ADMIN_NAME	"admin"	/* PUT /v1/demotion, carpctl demotion V */
#define LEDGER_SNMP_NAME	"snmp"	/* an SNMP SET of the demotion */
#define LEDGER_CONFIG_NAME	"config" /* net.inet.carp.demotion */

struct ledger_entry {
	char			 name[LEDGER_NAME_LEN];
	enum ledger_source	 source;
	int			 weight;
	char			 reason[CARP_REASON_LEN];
	int64_t			 since;		/* wall clock, seconds */
	int64_t			 expires;	/* wall clock, seconds; 0 never */
	char			 origin[LEDGER_ORIGIN_LEN];
	bool			 persist;
	bool			 automatic;	/* link, send-error */
};

/* What happened to an entry, for the changed hook. */
enum ledger_change {
	LEDGER_ADDED,
	LEDGER_CHANGED,
	LEDGER_REMOVED,
	LEDGER_EXPIRED,
	LEDGER_CHANGE_MAX
};
extern const char *const ledger_change_names[LEDGER_CHANGE_MAX];

struct ledger_hooks {
	/* The wall clock, in seconds. */
	int64_t	(*now)(void);
	/* The owned entries' sum changed: hand it to the engine. */
	void	(*apply)(int total, const char *reason);
	/*
	 * An entry was added, changed, removed or expired (e: the entry as
	 * it is now, or as it was when it went; before: its weight before,
	 * 0 if it is new); origin: who did it ("expiry" for an expiry).
	 */
	void	(*changed)(enum ledger_change, const struct ledger_entry *e,
		    int before, const char *origin);
	/* A persistent entry changed: save it; 0, or -1 with errno. */
	int	(*save)(void);
};

/* Start empty with these hooks (copied; a NULL hook is not called). */
void		 ledger_init(const struct ledger_hooks *);
/* Forget every entry, calling no hook. */
void		 ledger_free(void);

/*
 * Add or replace the entry NAME: 1 changed, 0 already so, -1 with errno
 * (EINVAL bad name/weight/expiry or reason, EPERM the entry belongs to
 * another source, ENOSPC LEDGER_MAX entries already, EIO the entry took
 * effect but could not be saved).  expires: wall clock seconds, 0 = never
 * (one in the past is EINVAL).  origin: "uid=1000 pid=42 via carpctl",
 * "client=192.0.2.9", "snmp", "config".  A replaced entry keeps its since
 * when only the reason, expiry, origin or persistence changes.
 */
int		 ledger_set(const char *name, enum ledger_source, int weight,
		    const char *reason, int64_t expires, bool persist,
		    const char *origin);
/* Remove NAME: 1 removed, 0 absent, -1 (EPERM, EIO) as ledger_set(). */
int		 ledger_del(const char *name, enum ledger_source src,
		    const char *origin);
/*
 * Put back an entry read from the state file, as it was (since, origin);
 * only the apply hook is called.  -1 (EINVAL, ENOSPC, EEXIST) refused.
 * One already expired is dropped with the changed hook (LEDGER_EXPIRED)
 * and returns 0.
 */
int		 ledger_restore(const struct ledger_entry *);

/* The node's demotion: every entry, automatic ones included. */
int		 ledger_total(void);
/* The owned entries' sum: the engine's administrative part. */
int		 ledger_admin_total(void);
/* Entries in a stable order (by name), the automatic ones included. */
size_t		 ledger_count(void);
const struct ledger_entry *ledger_get(size_t i);
const struct ledger_entry *ledger_find(const char *name);

/*
 * Replace the automatic entries with these n (each with a reserved name,
 * source link or send-error); entries that appear, change or go call the
 * changed hook (origin "engine").  Not bounded by LEDGER_MAX: at most two
 * per interface.
 */
void		 ledger_auto_set(const struct ledger_entry *, size_t n);

/*
 * Remove the entries whose expiry has come (expires <= now), each with
 * the changed hook (LEDGER_EXPIRED, origin "expiry"), then apply and save
 * once.  Returns how many went.
 */
int		 ledger_expire(void);
/* The earliest expiry of an owned entry, 0 if none. */
int64_t		 ledger_next_expiry(void);

/* Bumped by every change of an entry (the snapshot's generation). */
uint64_t	 ledger_gen(void);

/* Whether a name is valid for an owned entry (not reserved). */
bool		 ledger_name_valid(const char *);
/* A source by name; -1 if none. */
int		 ledger_source_find(const char *);
/* Whether a source's entries belong to it (anything but api, snmp, config). */
bool		 ledger_source_owned(enum ledger_source);

#endif /* LEDGER_H */
