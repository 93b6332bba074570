/*
 * priv.c: dropping to CAP_NET_RAW and CAP_NET_ADMIN, and to a user.
 *
 * carpd starts either as root (and drops to the two capabilities, and to
 * the configured user if any) or as an ordinary user that already holds
 * both, for instance from systemd's User= and AmbientCapabilities=.  In
 * both cases it ends with exactly those two in its effective and
 * permitted sets, an empty inheritable (so an empty ambient) set,
 * no_new_privs, and not dumpable.
 */
#include <sys/types.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <linux/capability.h>

#include <errno.h>
#include <grp.h>
#include <pwd.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>
#include <unistd.h>

#include "agent/log.h"
#include "agent/priv.h"

#define PRIV_KEEP	((1U << CAP_NET_RAW) | (1U << CAP_NET_ADMIN))

static int	priv_capset(uint32_t);
static int	priv_capget(uint32_t *);

/* Set the effective and permitted sets (the first 32 capabilities). */
static int
priv_capset(uint32_t caps)
{
	struct __user_cap_header_struct	 h;
	struct __user_cap_data_struct	 d[2];

	memset(&h, 0, sizeof(h));
	memset(d, 0, sizeof(d));
	h.version = _LINUX_CAPABILITY_VERSION_3;
	h.pid = 0;
	d[0].effective = caps;
	d[0].permitted = caps;
	return (int)syscall(SYS_capset, &h, d);
}

/* The effective set (the first 32 capabilities). */
static int
priv_capget(uint32_t *eff)
{
	struct __user_cap_header_struct	 h;
	struct __user_cap_data_struct	 d[2];

	memset(&h, 0, sizeof(h));
	memset(d, 0, sizeof(d));
	h.version = _LINUX_CAPABILITY_VERSION_3;
	h.pid = 0;
	if (syscall(SYS_capget, &h, d) == -1)
		return -1;
	*eff = d[0].effective;
	return 0;
}

int
priv_check(void)
{
	uint32_t	 eff;

	if (geteuid() == 0)
		return 0;
	if (priv_capget(&eff) == -1 || (eff & PRIV_KEEP) != PRIV_KEEP)
		return -1;
	return 0;
}

void
priv_nodump(void)
{
	if (prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) == -1)
		log_warn("%s: PR_SET_DUMPABLE", __func__);
}

/* Drop to the two capabilities CARP needs, and to a user if named. */
int
priv_drop(const char *user)
{
	struct passwd	*pw = NULL;
	uint32_t	 eff = 0;
	bool		 root = geteuid() == 0;
	int		 cap;

	if (user != NULL) {
		if ((pw = getpwnam(user)) == NULL) {
			log_warnx("%s: no user %s", __func__, user);
			return -1;
		}
		if (!root && pw->pw_uid != geteuid()) {
			log_warnx("%s: not root: cannot become %s (running "
			    "as uid %u)", __func__, user,
			    (unsigned int)geteuid());
			return -1;
		}
		if (!root)
			pw = NULL;	/* already that user */
	}
	/* Keep the permitted set across the change of uid. */
	if (pw != NULL && prctl(PR_SET_KEEPCAPS, 1, 0, 0, 0) == -1) {
		log_warn("%s: PR_SET_KEEPCAPS", __func__);
		return -1;
	}
	/*
	 * The bounding set first: that needs CAP_SETPCAP, dropped below.
	 * Started without it (systemd's CapabilityBoundingSet= has done
	 * this), the bounding set stays as it was given.
	 */
	if (priv_capget(&eff) == -1) {
		log_warn("%s: capget", __func__);
		return -1;
	}
	for (cap = 0; (eff & (1U << CAP_SETPCAP)) && cap <= CAP_LAST_CAP;
	    cap++) {
		if (cap == CAP_NET_RAW || cap == CAP_NET_ADMIN)
			continue;
		if (prctl(PR_CAPBSET_DROP, cap, 0, 0, 0) == -1 &&
		    errno != EINVAL) {
			log_warn("%s: PR_CAPBSET_DROP %d", __func__, cap);
			return -1;
		}
	}
	if (pw != NULL) {
		if (setgroups(1, &pw->pw_gid) == -1 ||
		    setresgid(pw->pw_gid, pw->pw_gid, pw->pw_gid) == -1 ||
		    setresuid(pw->pw_uid, pw->pw_uid, pw->pw_uid) == -1) {
			log_warn("%s: cannot become %s", __func__, user);
			return -1;
		}
		prctl(PR_SET_KEEPCAPS, 0, 0, 0, 0);
	}
	/* Also empties the inheritable set, and with it the ambient set. */
	if (priv_capset(PRIV_KEEP) == -1) {
		log_warn("%s: capset", __func__);
		return -1;
	}
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) == -1) {
		log_warn("%s: PR_SET_NO_NEW_PRIVS", __func__);
		return -1;
	}
	/* A change of uid made it dumpable again: no core with the keys. */
	priv_nodump();
	if (root)
		log_info("privileges dropped to CAP_NET_RAW and CAP_NET_ADMIN"
		    "%s%s", pw != NULL ? ", user " : "",
		    pw != NULL ? user : "");
	else
		log_info("privileges dropped to CAP_NET_RAW and CAP_NET_ADMIN, "
		    "started as uid %u", (unsigned int)geteuid());
	return 0;
}
