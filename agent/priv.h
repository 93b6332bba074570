/*
 * priv.h: least privilege.  Once every socket is open, carpd keeps only
 * CAP_NET_RAW and CAP_NET_ADMIN (netlink address changes) and, when the
 * configuration names a user, runs as that user.
 */
#ifndef PRIV_H
#define PRIV_H

/*
 * Drop privileges: optionally become user (its uid, gid and groups),
 * keep CAP_NET_RAW and CAP_NET_ADMIN in the effective and permitted sets,
 * empty the inheritable set and the bounding set of everything else, and
 * set no_new_privs (scripts carpd starts get no capability).  Must run
 * before any thread starts: capabilities are per thread.  Returns 0, or
 * -1 (logged): carpd then refuses to run.
 */
int	priv_drop(const char *user);

#endif /* PRIV_H */
