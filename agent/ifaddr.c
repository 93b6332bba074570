/*
 * ifaddr.c: the host's addresses and the VIPs (see ifaddr.h).
 */
#include <sys/types.h>
#include <sys/socket.h>

#include <stdlib.h>
#include <string.h>

#include "agent/ifaddr.h"
#include "agent/log.h"
#include "agent/xmalloc.h"

static struct {
	struct nl_addr		*addrs;		/* every local address */
	size_t			 naddrs;
	struct carp_addr	*vips;		/* sorted */
	size_t			 nvips;
	unsigned int		 gen;
} ifa;

static int
ifaddr_cmp(const void *a, const void *b)
{
	return carp_addr_cmp(a, b);
}

void
ifaddr_set_vips(const struct carp_addr *vips, size_t n)
{
	free(ifa.vips);
	ifa.vips = NULL;
	ifa.nvips = 0;
	if (n > 0) {
		ifa.vips = xreallocarray(NULL, n, sizeof(*ifa.vips));
		memcpy(ifa.vips, vips, n * sizeof(*vips));
		/* Sorted: looked up for every address of every re-read. */
		qsort(ifa.vips, n, sizeof(*ifa.vips), ifaddr_cmp);
		ifa.nvips = n;
	}
	ifa.gen++;
}

bool
ifaddr_is_vip(const struct carp_addr *a)
{
	return ifa.nvips > 0 && bsearch(a, ifa.vips, ifa.nvips,
	    sizeof(*ifa.vips), ifaddr_cmp) != NULL;
}

bool
ifaddr_is_local(const struct carp_addr *a)
{
	size_t	 i;

	for (i = 0; i < ifa.naddrs; i++)
		if (carp_addr_cmp(&ifa.addrs[i].addr, a) == 0 &&
		    !ifaddr_is_vip(a))
			return true;
	return false;
}

/* The same addresses, VIPs left out, flags included (order aside)? */
static bool
ifaddr_same(const struct nl_addr *a, size_t na, const struct nl_addr *b,
    size_t nb)
{
	size_t	 i, j, ca = 0, cb = 0;

	for (i = 0; i < na; i++)
		if (!ifaddr_is_vip(&a[i].addr))
			ca++;
	for (j = 0; j < nb; j++) {
		if (ifaddr_is_vip(&b[j].addr))
			continue;
		cb++;
		for (i = 0; i < na; i++)
			if (a[i].ifindex == b[j].ifindex &&
			    a[i].flags == b[j].flags &&
			    a[i].addr.prefixlen == b[j].addr.prefixlen &&
			    carp_addr_cmp(&a[i].addr, &b[j].addr) == 0)
				break;
		if (i == na)
			return false;
	}
	return ca == cb;
}

void
ifaddr_replace(struct nl_addr *list, size_t n)
{
	if (!ifaddr_same(ifa.addrs, ifa.naddrs, list, n))
		ifa.gen++;
	free(ifa.addrs);
	ifa.addrs = list;
	ifa.naddrs = n;
}

int
ifaddr_reload(void)
{
	struct nl_addr	*list = NULL;
	size_t		 n = 0;

	if (nl_addr_list(0, AF_UNSPEC, &list, &n) == -1) {
		log_warnx("%s: address list unavailable", __func__);
		return -1;
	}
	ifaddr_replace(list, n);
	return 0;
}

void
ifaddr_update(const struct nl_addr *a, bool deleted)
{
	size_t	 i;

	for (i = 0; i < ifa.naddrs; i++)
		if (ifa.addrs[i].ifindex == a->ifindex &&
		    carp_addr_cmp(&ifa.addrs[i].addr, &a->addr) == 0)
			break;
	if (deleted) {
		if (i < ifa.naddrs)
			ifa.addrs[i] = ifa.addrs[--ifa.naddrs];
	} else if (i < ifa.naddrs)
		ifa.addrs[i] = *a;
	else {
		ifa.addrs = xreallocarray(ifa.addrs, ifa.naddrs + 1,
		    sizeof(*ifa.addrs));
		ifa.addrs[ifa.naddrs++] = *a;
	}
	/* Our own VIPs come and go with every advert: not a new source. */
	if (!ifaddr_is_vip(&a->addr))
		ifa.gen++;
}

unsigned int
ifaddr_gen(void)
{
	return ifa.gen;
}

int
ifaddr_choose(unsigned int ifindex, int family, bool linklocal,
    struct carp_addr *out)
{
	return nl_addr_choose(ifa.addrs, ifa.naddrs, ifindex, family,
	    ifa.vips, ifa.nvips, linklocal, out);
}

void
ifaddr_free(void)
{
	free(ifa.addrs);
	free(ifa.vips);
	memset(&ifa, 0, sizeof(ifa));
}

/*
 * A VRRPv3 advert's carp_rx.local: the source this host's adverts of
 * that family leave from on the arrival interface (RFC 5798's tie-break
 * on equal priority compares the two).  Family 0 when we have no address
 * there yet.
 */
void
ifaddr_rx_local(struct carp_rx *rx)
{
	/* The last answer per family: adverts come in runs of one link. */
	static struct {
		unsigned int	 ifindex;
		unsigned int	 gen;
		int		 rv;
		struct carp_addr a;
	}			 c[2];
	int			 f = rx->src.family == AF_INET6;

	if (c[f].ifindex != rx->ifindex || c[f].gen != ifaddr_gen() ||
	    c[f].ifindex == 0) {
		memset(&c[f].a, 0, sizeof(c[f].a));
		/* As the engine's advert sources: multicast, IPv6 link-local. */
		c[f].rv = ifaddr_choose(rx->ifindex, rx->src.family, true,
		    &c[f].a);
		c[f].ifindex = rx->ifindex;
		c[f].gen = ifaddr_gen();
	}
	if (c[f].rv == -1)
		memset(&rx->local, 0, sizeof(rx->local));
	else
		rx->local = c[f].a;
}
