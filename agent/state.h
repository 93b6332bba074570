/*
 * state.h: the persisted administrative state (state-file PATH).
 *
 * What an administrator set by hand survives a restart: node maintenance
 * (with its reason), the node's administrative demotion (with its reason)
 * and the VHIDs demoted by hand, each with a "since" wall-clock time in
 * seconds and a "by", who set it as the audit line names them (an optional
 * key: files written before it are valid),
 * seconds.  The file is JSON:
 *
 *   {
 *     "version": 1,
 *     "maintenance": { "enabled": true, "reason": "...", "since": 1700000000 },
 *     "demotion": { "value": 0, "reason": "...", "since": 1700000000 },
 *     "demoted": [
 *       { "interface": "eth0", "vhid": 1, "reason": "...", "since": 0 }
 *     ],
 *     "demotions": [
 *       { "name": "rack-move", "source": "api", "weight": 50,
 *         "reason": "...", "since": 1700000000, "expires": 0,
 *         "origin": "uid=1000 pid=42" }
 *     ]
 *   }
 *
 * "demotions" (optional, written only when there is one) holds the
 * demotion ledger's persistent entries (agent/ledger.h) but the one named
 * "admin": that one is "demotion", as files written before the ledger
 * have it, so an old file keeps its meaning (its value becomes the entry
 * "admin") and a new one without other entries reads the same to an old
 * carpd.  An "admin" entry with an expiry goes to "demotions" instead.
 *
 * Reading is strict: an unknown key, a value of the wrong type or out of
 * range, an over-long string or a VHID listed twice makes the whole file
 * invalid.  "version" is required; every other key may be left out and
 * then takes its empty value (off, 0, "", no VHID).
 *
 * A missing file is an empty state.  An unreadable or invalid file is an
 * error and the daemon refuses to start rather than silently drop an
 * administrator's maintenance or demotions: fix or remove the file.
 *
 * Writing is atomic: the new state goes to a temporary file (mode 0600) in
 * the same directory, which is synced and renamed over the old one, then
 * the directory is synced.  A failed save leaves the old file as it was.
 */
#ifndef STATE_H
#define STATE_H

#include <net/if.h>

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "agent/ledger.h"
#include "carp/carp.h"

#define STATE_VERSION		1
#define STATE_DEMOTION_MAX	CARP_DEMOTION_MAX /* |demotion| at most this */
#define STATE_MAX_DEMOTED	(CARP_MAXVHID * 64)	/* demoted entries */
#define STATE_MAX_FILE		(64 * 1024 * 1024)	/* bytes read at most */
#define STATE_BY_LEN		256	/* who set it, as the audit line says */

/* One VHID demoted by hand. */
struct state_vhid {
	char			 ifname[IF_NAMESIZE];
	uint8_t			 vhid;		/* 1..255 */
	char			 reason[CARP_REASON_LEN];
	int64_t			 since;		/* wall clock, seconds */
	char			 by[STATE_BY_LEN]; /* who, "" unknown */
};

/* The whole administrative state. */
struct state {
	bool			 maintenance;
	char			 maintenance_reason[CARP_REASON_LEN];
	int64_t			 maintenance_since;
	char			 maintenance_by[STATE_BY_LEN];
	int			 demotion;	/* administrative part */
	char			 demotion_reason[CARP_REASON_LEN];
	int64_t			 demotion_since;
	char			 demotion_by[STATE_BY_LEN];
	struct state_vhid	*demoted;	/* in the order they were added */
	size_t			 ndemoted;
	/* The ledger's persistent entries but "admin" (at most LEDGER_MAX). */
	struct ledger_entry	*demotions;
	size_t			 ndemotions;
};

/* An empty state: no maintenance, demotion 0, no VHID demoted. */
void		 state_init(struct state *);
/* Free what a state holds and make it empty again. */
void		 state_free(struct state *);

/*
 * Read path into st (which is freed first).  A missing file gives an empty
 * state and returns 0; a file that cannot be read or is not valid returns
 * -1 with st empty, after one log line naming the file and the problem.
 */
int		 state_load(const char *path, struct state *st);
/*
 * Parse len bytes (no NUL needed) into st (which is freed first).  Returns
 * 0, or -1 with st empty and the problem in err (errlen bytes, may be 0).
 * Logs nothing.
 */
int		 state_parse(const char *buf, size_t len, struct state *st,
		    char *err, size_t errlen);
/*
 * The state as JSON text with a final newline, to free(3); NULL (logged)
 * only if it cannot be built.  state_parse() reads it back to an equal
 * state.
 */
char		*state_dump(const struct state *st);
/*
 * Write st to path atomically; 0, or -1 logged.  On -1 the old file is
 * intact and no temporary file is left, except when only the final sync
 * of the directory failed: the new file is then in place, but a crash
 * could still bring back the old one.  A state that state_parse() would
 * refuse (a demotion out of range...) is not written.
 */
int		 state_save(const char *path, const struct state *st);

/* Whether two states hold the same values (demoted VHIDs in order). */
bool		 state_equal(const struct state *, const struct state *);
/* The entry for vhid on ifname, or NULL. */
struct state_vhid *state_find_demoted(const struct state *, const char *ifname,
		    uint8_t vhid);
/*
 * Record (demoted true) or forget (false) a demoted VHID.  A new entry goes
 * at the end; an existing one keeps its place and its since, taking the
 * new reason.  reason may be NULL ("") and is cut to CARP_REASON_LEN - 1
 * bytes.  Returns 1 when the state changed, 0 when it did not, -1 on a bad
 * argument (vhid 0, an empty or over-long ifname, a full list).
 */
int		 state_set_demoted(struct state *, const char *ifname,
		    uint8_t vhid, bool demoted, const char *reason,
		    int64_t since);
/*
 * The ledger's side of the state (agent/ledger.h).  state_ledger_entries:
 * the entries to restore, into out (room for LEDGER_MAX + 1): an old
 * file's "demotion" as the entry "admin" (source api, persistent), then
 * "demotions"; *by_hand tells whether a demotion was set by hand (then the
 * configured starting value does not apply, as before the ledger).
 * state_from_ledger: the ledger's persistent entries into st, "admin"
 * (source api, no expiry) as "demotion", the others as "demotions".
 */
size_t		 state_ledger_entries(const struct state *,
		    struct ledger_entry *out, bool *by_hand);
void		 state_from_ledger(struct state *);
/* Copy a reason into a CARP_REASON_LEN buffer, cut at a UTF-8 boundary. */
void		 state_copy_reason(char *dst, const char *src);

#endif /* STATE_H */
