/*
 * fuzz_netlink.c: random bytes into nl_parse(), as if read from a netlink
 * socket, then the parsed addresses into nl_addr_choose().  Nothing may
 * read outside the buffer, and every reported link and address must be
 * well formed.
 */
#include <sys/types.h>
#include <sys/socket.h>
#include <net/if.h>
#include <netinet/in.h>

#include <assert.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "agent/netlink.h"

#define FUZZ_MAXADDRS	64

struct fuzz_state {
	struct nl_addr	 addrs[FUZZ_MAXADDRS];
	size_t		 naddrs;
	size_t		 nlinks;
};

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static void
fuzz_link(void *arg, const struct nl_link *l, bool deleted)
{
	struct fuzz_state	*st = arg;

	(void)deleted;
	assert(l->ifindex > 0);
	assert(memchr(l->name, '\0', sizeof(l->name)) != NULL);
	assert(l->hwlen <= sizeof(l->hwaddr));
	assert(l->up == ((l->flags & IFF_UP) && (l->flags & IFF_RUNNING)));
	st->nlinks++;
}

static void
fuzz_addr(void *arg, const struct nl_addr *a, bool deleted)
{
	struct fuzz_state	*st = arg;

	(void)deleted;
	assert(a->ifindex > 0);
	assert(a->addr.family == AF_INET || a->addr.family == AF_INET6);
	assert(a->addr.prefixlen <= (a->addr.family == AF_INET ? 32 : 128));
	if (st->naddrs < FUZZ_MAXADDRS)
		st->addrs[st->naddrs++] = *a;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct fuzz_state	 st;
	struct nl_cbs			 cbs;
	struct carp_addr		 out;
	void				*buf;
	int				 rv;

	/* The kernel hands out aligned buffers; the copy is exactly sized. */
	if ((buf = malloc(size == 0 ? 1 : size)) == NULL)
		return 0;
	memcpy(buf, data, size);
	memset(&st, 0, sizeof(st));
	memset(&cbs, 0, sizeof(cbs));
	cbs.link = fuzz_link;
	cbs.addr = fuzz_addr;
	cbs.arg = &st;
	rv = nl_parse(buf, size, &cbs);
	assert(rv == -1 || rv == NL_PARSE_MORE || rv == NL_PARSE_DONE);
	free(buf);

	if (st.naddrs > 0) {
		/* The first address is a VIP: it must never be chosen. */
		if (nl_addr_choose(st.addrs, st.naddrs, st.addrs[0].ifindex,
		    st.addrs[0].addr.family, &st.addrs[0].addr, 1,
		    size & 1, &out) == 0)
			assert(memcmp(&out.a, &st.addrs[0].addr.a,
			    sizeof(out.a)) != 0);
	}
	return 0;
}
