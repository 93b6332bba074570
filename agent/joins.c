/*
 * joins.c: the raw sockets' multicast memberships (see joins.h).
 */
#include <sys/socket.h>

#include <stdbool.h>
#include <stdlib.h>

#include "agent/joins.h"
#include "agent/raw.h"
#include "agent/xmalloc.h"

struct join {
	unsigned int	 ifindex;
	int		 family;
};

static struct {
	int		 fd[2];		/* IPv4, IPv6 */
	struct join	*have, *want;
	size_t		 nhave, nwant;
} jn = { .fd = { -1, -1 } };

static int
joins_fd(int family)
{
	return jn.fd[family == AF_INET6];
}

static bool
joins_has(const struct join *l, size_t n, unsigned int ifindex, int family)
{
	size_t	 i;

	for (i = 0; i < n; i++)
		if (l[i].ifindex == ifindex && l[i].family == family)
			return true;
	return false;
}

void
joins_set_fd(int family, int fd)
{
	jn.fd[family == AF_INET6] = fd;
}

void
joins_begin(void)
{
	free(jn.want);
	jn.want = NULL;
	jn.nwant = 0;
}

void
joins_want(unsigned int ifindex, int family)
{
	if (joins_has(jn.want, jn.nwant, ifindex, family))
		return;
	jn.want = xreallocarray(jn.want, jn.nwant + 1, sizeof(*jn.want));
	jn.want[jn.nwant].ifindex = ifindex;
	jn.want[jn.nwant].family = family;
	jn.nwant++;
}

void
joins_sync(void)
{
	const struct join	*j;
	size_t			 i;

	for (i = 0; i < jn.nhave; i++) {
		j = &jn.have[i];
		if (!joins_has(jn.want, jn.nwant, j->ifindex, j->family) &&
		    joins_fd(j->family) != -1)
			raw_leave(joins_fd(j->family), j->family, j->ifindex);
	}
	for (i = 0; i < jn.nwant; i++) {
		j = &jn.want[i];
		if (!joins_has(jn.have, jn.nhave, j->ifindex, j->family) &&
		    joins_fd(j->family) != -1)
			raw_join(joins_fd(j->family), j->family, j->ifindex);
	}
	free(jn.have);
	jn.have = jn.want;
	jn.nhave = jn.nwant;
	jn.want = NULL;
	jn.nwant = 0;
}

void
joins_free(void)
{
	joins_begin();
	free(jn.have);
	jn.have = NULL;
	jn.nhave = 0;
	jn.fd[0] = jn.fd[1] = -1;
}
