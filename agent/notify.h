/*
 * notify.h: run the notify-script on each VHID state transition, as devd
 * rules and ucarp's up/down scripts are used, without ever waiting for it.
 *
 * The script is started as
 *
 *   SCRIPT VHID IFNAME NEW OLD REASON
 *
 * e.g. "/etc/carpd/notify 1 eth0 MASTER BACKUP 'master timed out'", with
 * the states as carp_state_names spells them and the reason in FreeBSD's
 * words (carp_reason_names), and with only this environment:
 *
 *   CARP_VHID=1  CARP_INTERFACE=eth0  CARP_STATE=MASTER
 *   CARP_OLD_STATE=BACKUP  CARP_REASON=master timed out
 *   CARP_ADDRESSES=192.0.2.1/24 2001:db8::1/64   (space-separated)
 *   CARP_SUBSYSTEM=1@eth0                        (devd's subsystem)
 *   PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
 *
 * Its standard input is /dev/null, standard output and error are carpd's
 * (so /dev/null once carpd runs as a daemon), it inherits no other file
 * descriptor and runs in a process group of its own.  After the timeout
 * the whole group gets SIGTERM, and SIGKILL one second later.  A non-zero
 * exit is logged as a warning.
 *
 * At most NOTIFY_MAX_CHILDREN scripts run at once, and never two for the
 * same VHID (number and interface): a VHID's scripts run one after the
 * other, in the order of its transitions, while other VHIDs' run beside
 * them.  Later transitions wait in a queue.  A VHID keeps at most
 * NOTIFY_MAX_WAIT transitions waiting, and the queue NOTIFY_MAX_QUEUE;
 * beyond either, a new transition is coalesced into its VHID's last
 * waiting one, which then reports the new state (its OLD stays the state
 * it left), so a flapping VHID's final state always gets its run, late
 * but never lost; a full queue without one of the VHID's coalesces the
 * two latest of the VHID with most waiting, and grows past its limit only
 * by one transition per VHID.  Each coalescing is counted, and logged
 * once per waiting transition and when it starts.  A flapping link thus
 * cannot fork-bomb the host, and no transition is silently lost.
 *
 * Children are reaped from a SIGCHLD event on the event base with
 * waitpid(pid, WNOHANG) on each of notify's own children, so other
 * children of carpd are left alone.
 */
#ifndef NOTIFY_H
#define NOTIFY_H

#include <sys/types.h>

#include <stddef.h>
#include <stdint.h>

#include "carp/carp.h"

#define NOTIFY_MAX_CHILDREN	16	/* scripts running at once */
#define NOTIFY_MAX_QUEUE	256	/* transitions waiting */
#define NOTIFY_MAX_WAIT		4	/* transitions waiting per VHID */
#define NOTIFY_KILL_GRACE	1	/* seconds from SIGTERM to SIGKILL */

struct event_base;

/*
 * Set the script (NULL: disabled, which drops the waiting transitions) and
 * its timeout in seconds (0 or less: none).  Call again on reload: running
 * scripts keep their timeout, the next ones use the new settings.  A new
 * event base first shuts down what ran on the old one.
 */
void	notify_init(struct event_base *, const char *script, int timeout_s);
/*
 * Start the script for one transition, or queue it; never waits.  addrs
 * are the VHID's addresses (naddrs of them, at most CARP_MAX_ADDRS used).
 */
void	notify_transition(uint8_t vhid, const char *ifname,
	    enum carp_state to, enum carp_state from, enum carp_reason reason,
	    const struct carp_addr *addrs, size_t naddrs);
/*
 * Drop the queue, SIGTERM every running script's group, give them
 * NOTIFY_KILL_GRACE seconds, SIGKILL the rest and reap them all.  This
 * blocks; notify_init() may be called again afterwards.
 */
void	notify_shutdown(void);
/* How many scripts run and how many transitions wait. */
void	notify_counts(size_t *running, size_t *queued);

/*
 * Fork and exec path with argv and envp, as the notify script is run and
 * as agent/track.c runs its scripts: in a process group of its own (*pidp
 * is also the group's id), no capability at all and no_new_privs, stdin
 * /dev/null, no descriptor but 0-2, signals back to their defaults.
 * Waits only for the exec.  Returns 0, or an errno value when nothing
 * runs (the exec failed).  Reaping and killing are the caller's.
 */
int	notify_spawn(pid_t *pidp, const char *path, char *const argv[],
	    char *const envp[]);
/* What the scripts did since carpd started (the metrics and the MIB). */
struct notify_stats {
	uint64_t	 runs;		/* scripts started */
	uint64_t	 coalesced;	/* transitions folded into a later one */
	uint64_t	 timeouts;	/* scripts killed at the timeout */
	uint64_t	 failures;	/* could not run, non-zero exit, signal */
	size_t		 running;
	size_t		 queued;
};
void	 notify_stats(struct notify_stats *);
/* Bumped by every change of what notify_stats() reports. */
uint64_t notify_gen(void);

#endif /* NOTIFY_H */
