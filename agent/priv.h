/*
 * priv.h: least privilege.  Once every socket is open, carpd keeps only
 * CAP_NET_RAW and CAP_NET_ADMIN (netlink address changes) and, when the
 * configuration names a user, runs as that user.  It may also start as
 * an ordinary user that already holds both capabilities (systemd's
 * User= with AmbientCapabilities=).
 */
#ifndef PRIV_H
#define PRIV_H

/*
 * Can carpd run: uid 0, or CAP_NET_RAW and CAP_NET_ADMIN in the
 * effective set?  Returns 0 or -1.
 */
int	priv_check(void);
/* PR_SET_DUMPABLE 0: no core dump, no ptrace by the same uid. */
void	priv_nodump(void);
/*
 * Drop privileges: optionally become user (its uid, gid and groups; only
 * as root, or when already running as that user), keep CAP_NET_RAW and
 * CAP_NET_ADMIN in the effective and permitted sets, empty the
 * inheritable and ambient sets and (given CAP_SETPCAP) the bounding set
 * of everything else, set no_new_privs (scripts carpd starts get no
 * capability) and make the process not dumpable.  Must run before any
 * thread starts: capabilities are per thread.  Returns 0, or -1 (logged):
 * carpd then refuses to run.
 */
int	priv_drop(const char *user);

#endif /* PRIV_H */
