/*
 * test_netlink.c: the pure parts of agent/netlink.c: nl_parse() on built
 * and captured messages, and nl_addr_choose(); and the queue of
 * nl_addr_hold() and of the releases, on the loopback of a network
 * namespace of its own.
 */
#include <sys/types.h>
#include <sys/socket.h>
#include <net/if.h>
#include <netinet/in.h>
#include <arpa/inet.h>

#include <linux/if_addr.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>

#include <errno.h>
#include <limits.h>
#include <sched.h>
#include <setjmp.h>
#include <stdalign.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <libmnl/libmnl.h>

#include "agent/netlink.h"

#define MAXREC	32

struct rec {
	struct nl_link	 links[MAXREC];
	bool		 ldel[MAXREC];
	size_t		 nlinks;
	struct nl_addr	 addrs[MAXREC];
	bool		 adel[MAXREC];
	size_t		 naddrs;
};

static alignas(8) uint8_t	 buf[8192];
static struct rec		 rec;

static void	rec_link(void *, const struct nl_link *, bool);
static void	rec_addr(void *, const struct nl_addr *, bool);
static int	parse(const void *, size_t);
static struct nlmsghdr *put_link(void *, uint16_t, int, unsigned int,
		    const char *);
static struct nlmsghdr *put_addr(void *, uint16_t, int, const char *,
		    uint8_t, unsigned int);
static struct nl_addr mkaddr(unsigned int, const char *, uint8_t, uint32_t);

static void
rec_link(void *arg, const struct nl_link *l, bool deleted)
{
	struct rec	*r = arg;

	if (r->nlinks < MAXREC) {
		r->ldel[r->nlinks] = deleted;
		r->links[r->nlinks++] = *l;
	}
}

static void
rec_addr(void *arg, const struct nl_addr *a, bool deleted)
{
	struct rec	*r = arg;

	if (r->naddrs < MAXREC) {
		r->adel[r->naddrs] = deleted;
		r->addrs[r->naddrs++] = *a;
	}
}

/* Parse into the global record. */
static int
parse(const void *p, size_t len)
{
	struct nl_cbs	 cbs;

	memset(&rec, 0, sizeof(rec));
	memset(&cbs, 0, sizeof(cbs));
	cbs.link = rec_link;
	cbs.addr = rec_addr;
	cbs.arg = &rec;
	return nl_parse(p, len, &cbs);
}

/* A link message with a name (NULL: none) and a MAC. */
static struct nlmsghdr *
put_link(void *p, uint16_t type, int ifindex, unsigned int flags,
    const char *name)
{
	static const uint8_t	 mac[6] = { 0x02, 0, 0x5e, 0, 1, 7 };
	struct nlmsghdr		*nlh;
	struct ifinfomsg	*ifi;

	nlh = mnl_nlmsg_put_header(p);
	nlh->nlmsg_type = type;
	ifi = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifi));
	ifi->ifi_family = AF_UNSPEC;
	ifi->ifi_index = ifindex;
	ifi->ifi_flags = flags;
	if (name != NULL)
		mnl_attr_put_strz(nlh, IFLA_IFNAME, name);
	mnl_attr_put(nlh, IFLA_ADDRESS, sizeof(mac), mac);
	return nlh;
}

/* An address message with IFA_LOCAL = IFA_ADDRESS = addr. */
static struct nlmsghdr *
put_addr(void *p, uint16_t type, int family, const char *addr,
    uint8_t plen, unsigned int ifindex)
{
	struct nlmsghdr		*nlh;
	struct ifaddrmsg	*ifa;
	uint8_t			 a[16];

	assert_int_equal(inet_pton(family, addr, a), 1);
	nlh = mnl_nlmsg_put_header(p);
	nlh->nlmsg_type = type;
	ifa = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifa));
	ifa->ifa_family = (uint8_t)family;
	ifa->ifa_prefixlen = plen;
	ifa->ifa_index = ifindex;
	mnl_attr_put(nlh, IFA_LOCAL, family == AF_INET ? 4 : 16, a);
	mnl_attr_put(nlh, IFA_ADDRESS, family == AF_INET ? 4 : 16, a);
	return nlh;
}

static struct nl_addr
mkaddr(unsigned int ifindex, const char *s, uint8_t plen, uint32_t flags)
{
	struct nl_addr	 a;

	memset(&a, 0, sizeof(a));
	a.ifindex = ifindex;
	a.addr.family = strchr(s, ':') != NULL ? AF_INET6 : AF_INET;
	a.addr.prefixlen = plen;
	assert_int_equal(inet_pton(a.addr.family, s, &a.addr.a), 1);
	a.flags = flags;
	return a;
}

static void
test_link_new_del(void **state)
{
	struct nlmsghdr	*nlh;
	size_t		 len;

	(void)state;
	nlh = put_link(buf, RTM_NEWLINK, 3, IFF_UP | IFF_RUNNING, "eth0");
	len = nlh->nlmsg_len;
	nlh = put_link(buf + len, RTM_NEWLINK, 4, IFF_UP, "eth1");
	len += nlh->nlmsg_len;
	nlh = put_link(buf + len, RTM_DELLINK, 5, 0, "veth9");
	len += nlh->nlmsg_len;
	assert_int_equal(parse(buf, len), NL_PARSE_MORE);
	assert_int_equal(rec.nlinks, 3);
	assert_int_equal(rec.links[0].ifindex, 3);
	assert_string_equal(rec.links[0].name, "eth0");
	assert_true(rec.links[0].up);
	assert_false(rec.ldel[0]);
	assert_int_equal(rec.links[0].hwlen, 6);
	assert_int_equal(rec.links[0].hwaddr[5], 7);
	/* IFF_UP without IFF_RUNNING: no carrier, a pulled cable. */
	assert_string_equal(rec.links[1].name, "eth1");
	assert_false(rec.links[1].up);
	assert_true(rec.ldel[2]);
	assert_int_equal(rec.links[2].ifindex, 5);
}

static void
test_link_bad(void **state)
{
	struct nlmsghdr	*nlh;
	struct nlattr	*a;

	(void)state;
	/* ifindex 0 is skipped. */
	nlh = put_link(buf, RTM_NEWLINK, 0, IFF_UP, "x");
	assert_int_equal(parse(buf, nlh->nlmsg_len), NL_PARSE_MORE);
	assert_int_equal(rec.nlinks, 0);
	/* A name without its NUL is ignored, the link still reported. */
	nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = RTM_NEWLINK;
	((struct ifinfomsg *)mnl_nlmsg_put_extra_header(nlh,
	    sizeof(struct ifinfomsg)))->ifi_index = 2;
	mnl_attr_put(nlh, IFLA_IFNAME, 4, "abcd");
	assert_int_equal(parse(buf, nlh->nlmsg_len), NL_PARSE_MORE);
	assert_int_equal(rec.nlinks, 1);
	assert_string_equal(rec.links[0].name, "");
	/* A name too long for IF_NAMESIZE is ignored. */
	nlh = put_link(buf, RTM_NEWLINK, 2, 0, "0123456789abcdefXYZ");
	assert_int_equal(parse(buf, nlh->nlmsg_len), NL_PARSE_MORE);
	assert_string_equal(rec.links[0].name, "");
	/* An attribute claiming more than the message holds stops there. */
	nlh = put_link(buf, RTM_NEWLINK, 2, 0, "eth0");
	a = (struct nlattr *)((uint8_t *)mnl_nlmsg_get_payload(nlh) +
	    sizeof(struct ifinfomsg));
	a->nla_len = 200;
	assert_int_equal(parse(buf, nlh->nlmsg_len), NL_PARSE_MORE);
	assert_int_equal(rec.nlinks, 1);
	assert_string_equal(rec.links[0].name, "");
	/* A payload shorter than struct ifinfomsg is skipped. */
	nlh->nlmsg_len = NLMSG_HDRLEN + 8;
	assert_int_equal(parse(buf, nlh->nlmsg_len), NL_PARSE_MORE);
	assert_int_equal(rec.nlinks, 0);
}

static void
test_addr(void **state)
{
	struct nlmsghdr		*nlh;
	struct ifa_cacheinfo	 ci;
	size_t			 len;
	char			 s[INET6_ADDRSTRLEN];

	(void)state;
	nlh = put_addr(buf, RTM_NEWADDR, AF_INET, "192.0.2.10", 24, 3);
	memset(&ci, 0, sizeof(ci));
	ci.ifa_valid = 9;
	ci.ifa_prefered = 8;
	mnl_attr_put(nlh, IFA_CACHEINFO, sizeof(ci), &ci);
	len = nlh->nlmsg_len;
	nlh = put_addr(buf + len, RTM_DELADDR, AF_INET6, "2001:db8::10", 64,
	    3);
	mnl_attr_put_u32(nlh, IFA_FLAGS, IFA_F_NODAD | IFA_F_NOPREFIXROUTE);
	len += nlh->nlmsg_len;
	assert_int_equal(parse(buf, len), NL_PARSE_MORE);
	assert_int_equal(rec.naddrs, 2);
	assert_int_equal(rec.addrs[0].addr.family, AF_INET);
	assert_int_equal(rec.addrs[0].addr.prefixlen, 24);
	assert_string_equal(inet_ntop(AF_INET, &rec.addrs[0].addr.a, s,
	    sizeof(s)), "192.0.2.10");
	assert_int_equal(rec.addrs[0].valid_s, 9);
	assert_int_equal(rec.addrs[0].preferred_s, 8);
	assert_false(rec.adel[0]);
	assert_true(rec.adel[1]);
	assert_string_equal(inet_ntop(AF_INET6, &rec.addrs[1].addr.a, s,
	    sizeof(s)), "2001:db8::10");
	assert_int_equal(rec.addrs[1].flags, IFA_F_NODAD | IFA_F_NOPREFIXROUTE);
	assert_int_equal(rec.addrs[1].valid_s, NL_LIFE_FOREVER);
}

static void
test_addr_ptp(void **state)
{
	struct nlmsghdr		*nlh;
	struct ifaddrmsg	*ifa;
	struct in_addr		 local, peer;
	char			 s[INET_ADDRSTRLEN];

	(void)state;
	/* Point-to-point: IFA_LOCAL is ours, IFA_ADDRESS the peer. */
	inet_pton(AF_INET, "192.0.2.1", &local);
	inet_pton(AF_INET, "192.0.2.2", &peer);
	nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = RTM_NEWADDR;
	ifa = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifa));
	ifa->ifa_family = AF_INET;
	ifa->ifa_prefixlen = 32;
	ifa->ifa_index = 7;
	mnl_attr_put(nlh, IFA_ADDRESS, 4, &peer);
	mnl_attr_put(nlh, IFA_LOCAL, 4, &local);
	assert_int_equal(parse(buf, nlh->nlmsg_len), NL_PARSE_MORE);
	assert_int_equal(rec.naddrs, 1);
	assert_string_equal(inet_ntop(AF_INET, &rec.addrs[0].addr.a, s,
	    sizeof(s)), "192.0.2.1");
}

static void
test_addr_bad(void **state)
{
	struct nlmsghdr		*nlh;
	struct ifaddrmsg	*ifa;

	(void)state;
	/* Prefix length beyond the family's width. */
	nlh = put_addr(buf, RTM_NEWADDR, AF_INET, "192.0.2.10", 33, 3);
	assert_int_equal(parse(buf, nlh->nlmsg_len), NL_PARSE_MORE);
	assert_int_equal(rec.naddrs, 0);
	/* An IPv6 message carrying a 4-byte address. */
	nlh = put_addr(buf, RTM_NEWADDR, AF_INET, "192.0.2.10", 24, 3);
	ifa = mnl_nlmsg_get_payload(nlh);
	ifa->ifa_family = AF_INET6;
	assert_int_equal(parse(buf, nlh->nlmsg_len), NL_PARSE_MORE);
	assert_int_equal(rec.naddrs, 0);
	/* Another family. */
	ifa->ifa_family = AF_PACKET;
	assert_int_equal(parse(buf, nlh->nlmsg_len), NL_PARSE_MORE);
	assert_int_equal(rec.naddrs, 0);
	/* No address attribute at all. */
	nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = RTM_NEWADDR;
	ifa = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifa));
	ifa->ifa_family = AF_INET;
	ifa->ifa_index = 1;
	assert_int_equal(parse(buf, nlh->nlmsg_len), NL_PARSE_MORE);
	assert_int_equal(rec.naddrs, 0);
	/* A buffer cut inside the message: nothing is read past it. */
	nlh = put_addr(buf, RTM_NEWADDR, AF_INET, "192.0.2.10", 24, 3);
	assert_int_equal(parse(buf, nlh->nlmsg_len - 1), NL_PARSE_MORE);
	assert_int_equal(rec.naddrs, 0);
	assert_int_equal(parse(buf, 0), NL_PARSE_MORE);
	assert_int_equal(parse(buf, 3), NL_PARSE_MORE);
	/* A length that wraps round must not loop for ever (fuzzer find). */
	nlh = put_addr(buf, RTM_NEWADDR, AF_INET, "192.0.2.10", 24, 3);
	nlh->nlmsg_len = 0xfffffffdU;
	assert_int_equal(parse(buf, 64), NL_PARSE_MORE);
	assert_int_equal(rec.naddrs, 0);
}

static void
test_done_error(void **state)
{
	struct nlmsghdr	*nlh;
	struct nlmsgerr	*err;
	size_t		 len;

	(void)state;
	nlh = put_link(buf, RTM_NEWLINK, 3, 0, "eth0");
	len = nlh->nlmsg_len;
	nlh = mnl_nlmsg_put_header(buf + len);
	nlh->nlmsg_type = NLMSG_DONE;
	len += nlh->nlmsg_len;
	/* Messages after NLMSG_DONE are not looked at. */
	nlh = put_link(buf + len, RTM_NEWLINK, 4, 0, "eth1");
	len += nlh->nlmsg_len;
	assert_int_equal(parse(buf, len), NL_PARSE_DONE);
	assert_int_equal(rec.nlinks, 1);

	nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = NLMSG_ERROR;
	err = mnl_nlmsg_put_extra_header(nlh, sizeof(*err));
	err->error = 0;
	assert_int_equal(parse(buf, nlh->nlmsg_len), NL_PARSE_DONE);
	err->error = -EEXIST;
	errno = 0;
	assert_int_equal(parse(buf, nlh->nlmsg_len), -1);
	assert_int_equal(errno, EEXIST);
	err->error = INT_MIN;
	assert_int_equal(parse(buf, nlh->nlmsg_len), -1);
	assert_int_equal(errno, EPROTO);
	err->error = 5;
	assert_int_equal(parse(buf, nlh->nlmsg_len), -1);
	assert_int_equal(errno, EPROTO);
	/* An error message too short to hold the error. */
	nlh->nlmsg_len = NLMSG_HDRLEN + 2;
	assert_int_equal(parse(buf, nlh->nlmsg_len), -1);
	assert_int_equal(errno, EBADMSG);
}

static void
test_captured(void **state)
{
	static alignas(8) uint8_t	 cap[65536];
	FILE				*fp;
	size_t				 n, i;
	int				 v4 = 0, vip4 = 0, vip6 = 0;
	char				 s[INET6_ADDRSTRLEN];

	(void)state;
	/* A real RTM_GETADDR dump from a namespace (see 010-linux-io.sh). */
	fp = fopen("tests/fuzz/corpus/netlink/dump-addr.bin", "rb");
	if (fp == NULL)
		skip();
	n = fread(cap, 1, sizeof(cap), fp);
	fclose(fp);
	assert_int_equal(parse(cap, n), NL_PARSE_MORE);
	assert_int_equal(rec.naddrs, 8);
	for (i = 0; i < rec.naddrs; i++) {
		inet_ntop(rec.addrs[i].addr.family, &rec.addrs[i].addr.a, s,
		    sizeof(s));
		if (strcmp(s, "192.0.2.1") == 0) {
			assert_int_equal(rec.addrs[i].addr.prefixlen, 24);
			assert_int_equal(rec.addrs[i].valid_s,
			    NL_LIFE_FOREVER);
			v4 = 1;
		} else if (strcmp(s, "192.0.2.50") == 0) {
			assert_true(rec.addrs[i].valid_s <= 9);
			vip4 = 1;
		} else if (strcmp(s, "2001:db8::50") == 0) {
			assert_true(rec.addrs[i].flags & IFA_F_NODAD);
			assert_true(rec.addrs[i].valid_s <= 9);
			vip6 = 1;
		}
	}
	assert_true(v4 && vip4 && vip6);
}

static void
test_choose(void **state)
{
	struct nl_addr		 l[8];
	struct carp_addr	 vips[2], out;
	char			 s[INET6_ADDRSTRLEN];

	(void)state;
	l[0] = mkaddr(3, "192.0.2.50", 24, 0);		/* a VIP, first */
	l[1] = mkaddr(3, "192.0.2.9", 24, IFA_F_SECONDARY);
	l[2] = mkaddr(3, "192.0.2.1", 24, 0);
	l[3] = mkaddr(4, "198.51.100.1", 24, 0);	/* other interface */
	l[4] = mkaddr(3, "2001:db8::1", 64, 0);
	l[5] = mkaddr(3, "fe80::1", 64, IFA_F_TENTATIVE);
	l[6] = mkaddr(3, "fe80::2", 64, 0);
	l[7] = mkaddr(3, "2001:db8::50", 64, IFA_F_NODAD);	/* a VIP */
	vips[0] = l[0].addr;
	vips[1] = l[7].addr;
	vips[1].prefixlen = 128;	/* compared by address alone */

	assert_int_equal(nl_addr_choose(l, 8, 3, AF_INET, vips, 2, true,
	    &out), 0);
	assert_string_equal(inet_ntop(AF_INET, &out.a, s, sizeof(s)),
	    "192.0.2.1");
	/* Without the primary, a secondary that is no VIP will do. */
	assert_int_equal(nl_addr_choose(l, 2, 3, AF_INET, vips, 2, true,
	    &out), 0);
	assert_string_equal(inet_ntop(AF_INET, &out.a, s, sizeof(s)),
	    "192.0.2.9");
	/* Only a VIP: nothing. */
	assert_int_equal(nl_addr_choose(l, 1, 3, AF_INET, vips, 2, true,
	    &out), -1);
	assert_int_equal(nl_addr_choose(l, 8, 4, AF_INET, vips, 2, true,
	    &out), 0);
	assert_string_equal(inet_ntop(AF_INET, &out.a, s, sizeof(s)),
	    "198.51.100.1");
	/* IPv6: link-local (not the tentative one) or global. */
	assert_int_equal(nl_addr_choose(l, 8, 3, AF_INET6, vips, 2, true,
	    &out), 0);
	assert_string_equal(inet_ntop(AF_INET6, &out.a, s, sizeof(s)),
	    "fe80::2");
	assert_int_equal(nl_addr_choose(l, 8, 3, AF_INET6, vips, 2, false,
	    &out), 0);
	assert_string_equal(inet_ntop(AF_INET6, &out.a, s, sizeof(s)),
	    "2001:db8::1");
	assert_int_equal(nl_addr_choose(l, 8, 4, AF_INET6, vips, 2, false,
	    &out), -1);
}

/* Is a on ifindex in the kernel's list (valid_s its lifetime)? */
static bool
has_addr(unsigned int ifindex, const struct carp_addr *a, uint32_t *valid_s)
{
	struct nl_addr	*list = NULL;
	size_t		 n = 0, i;
	bool		 found = false;

	assert_int_equal(nl_addr_list(ifindex, a->family, &list, &n), 0);
	for (i = 0; i < n; i++)
		if (carp_addr_cmp(&list[i].addr, a) == 0) {
			found = true;
			if (valid_s != NULL)
				*valid_s = list[i].valid_s;
		}
	free(list);
	return found;
}

/*
 * A network namespace of the test's own, netlink open in it: returns the
 * loopback's index and fills a[0..2] with 198.51.100.first.. /32.
 */
static unsigned int
ns_setup(struct carp_addr a[3], int first)
{
	unsigned int	 lo;
	char		 s[32];
	int		 i;

	if (unshare(CLONE_NEWNET) == -1) {
		print_message("  no network namespace (%s): skipped\n",
		    strerror(errno));
		skip();
	}
	assert_int_equal(nl_open(), 0);
	lo = if_nametoindex("lo");
	assert_true(lo > 0);
	for (i = 0; i < 3; i++) {
		memset(&a[i], 0, sizeof(a[i]));
		a[i].family = AF_INET;
		a[i].prefixlen = 32;
		snprintf(s, sizeof(s), "198.51.100.%d", first + i);
		inet_pton(AF_INET, s, &a[i].a.v4);
	}
	return lo;
}

/*
 * Holds wait in a queue and go in one datagram; a removal (or any other
 * request) sends the queue first, so an older refresh never undoes it.
 */
static void
test_hold_queue(void **state)
{
	struct carp_addr	 a[3];
	unsigned int		 lo;
	uint32_t		 valid = 0;
	int			 i;

	(void)state;
	lo = ns_setup(a, 10);
	assert_false(nl_hold_pending());
	for (i = 0; i < 3; i++)
		assert_int_equal(nl_addr_hold(lo, &a[i], 5), 0);
	assert_true(nl_hold_pending());
	/* nl_addr_list is a request: it sends the queue before asking. */
	assert_true(has_addr(lo, &a[0], &valid));
	assert_false(nl_hold_pending());
	assert_true(valid <= 5 && valid >= 4);
	assert_true(has_addr(lo, &a[2], NULL));

	/* A refresh queued, then a removal: the address stays removed. */
	assert_int_equal(nl_addr_hold(lo, &a[1], 5), 0);
	assert_int_equal(nl_addr_del(lo, &a[1]), 0);
	assert_int_equal(nl_hold_flush(), 0);
	assert_false(has_addr(lo, &a[1], NULL));
	assert_true(has_addr(lo, &a[0], NULL));

	/* Many at once: more than one datagram's worth. */
	for (i = 0; i < 400; i++)
		assert_int_equal(nl_addr_hold(lo, &a[i % 3], 7), 0);
	assert_int_equal(nl_hold_flush(), 0);
	assert_int_equal(nl_hold_read(), 0);	/* none failed */
	assert_true(has_addr(lo, &a[1], &valid));
	assert_true(valid <= 7 && valid >= 6);
	nl_close();
}

/*
 * A release (link down, address removals) is queued behind the holds and
 * sent by the renewal thread: a refresh queued before it does not undo
 * it, what is already gone counts as removed while a real failure is
 * still reported, and a link up queued after it waits for it.
 */
static void
test_release_hold(void **state)
{
	struct carp_addr	 a[3];
	unsigned int		 lo, none = 999999;
	bool			 up = false;
	int			 i;

	(void)state;
	lo = ns_setup(a, 20);
	assert_int_equal(nl_link_set_queued(lo, true), 0);
	assert_int_equal(nl_link_flush(), 0);
	assert_int_equal(nl_addr_hold(lo, &a[0], 30), 0);
	assert_int_equal(nl_addr_hold(lo, &a[1], 30), 0);
	assert_int_equal(nl_hold_flush_bg(), 0);	/* the thread starts */

	/* A refresh, then the release, then two already gone, one failure. */
	assert_int_equal(nl_addr_hold(lo, &a[1], 30), 0);
	assert_int_equal(nl_link_down_hold(lo), 0);
	assert_int_equal(nl_addr_del_hold(lo, &a[1]), 0);
	assert_int_equal(nl_addr_del_hold(lo, &a[2]), 0);	/* never there */
	assert_int_equal(nl_link_down_hold(none), 0);		/* no such link */
	assert_int_equal(nl_addr_hold(none, &a[0], 30), 0);	/* fails */
	assert_true(nl_hold_pending());
	assert_int_equal(nl_hold_flush_bg(), 0);
	assert_false(nl_hold_pending());
	nl_hold_drain();
	assert_int_equal(nl_link_query(lo, &up), 0);
	assert_false(up);
	assert_true(has_addr(lo, &a[0], NULL));
	assert_false(has_addr(lo, &a[1], NULL));
	assert_int_equal(nl_hold_read(), 1);	/* only the real failure */

	/* Released and taken again at once: the link ends up. */
	for (i = 0; i < 50; i++) {
		assert_int_equal(nl_link_down_hold(lo), 0);
		assert_int_equal(nl_addr_del_hold(lo, &a[0]), 0);
		assert_int_equal(nl_hold_flush_bg(), 0);
		assert_int_equal(nl_link_set_queued(lo, true), 0);
		assert_int_equal(nl_link_flush(), 0);
		assert_int_equal(nl_addr_hold(lo, &a[0], 30), 0);
		assert_int_equal(nl_hold_flush(), 0);
	}
	nl_hold_drain();
	assert_int_equal(nl_link_query(lo, &up), 0);
	assert_true(up);
	assert_true(has_addr(lo, &a[0], NULL));

	/* A take-over cancels its own address's removal, no other one. */
	assert_int_equal(nl_addr_hold(lo, &a[1], 30), 0);
	assert_int_equal(nl_hold_flush(), 0);
	assert_true(has_addr(lo, &a[1], NULL));
	for (i = 0; i < 20; i++) {
		assert_int_equal(nl_link_down_hold(lo), 0);
		assert_int_equal(nl_link_set_queued(lo, true), 0);
	}
	assert_int_equal(nl_addr_del_hold(lo, &a[1]), 0);
	assert_int_equal(nl_addr_del_hold(lo, &a[0]), 0);
	assert_int_equal(nl_hold_flush_bg(), 0);
	assert_int_equal(nl_addr_hold(lo, &a[0], 30), 0);
	assert_int_equal(nl_hold_flush(), 0);
	nl_hold_drain();
	assert_true(has_addr(lo, &a[0], NULL));
	assert_false(has_addr(lo, &a[1], NULL));
	assert_int_equal(nl_hold_read(), 0);
	nl_close();
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_link_new_del),
		cmocka_unit_test(test_link_bad),
		cmocka_unit_test(test_addr),
		cmocka_unit_test(test_addr_ptp),
		cmocka_unit_test(test_addr_bad),
		cmocka_unit_test(test_done_error),
		cmocka_unit_test(test_captured),
		cmocka_unit_test(test_choose),
		cmocka_unit_test(test_hold_queue),
		cmocka_unit_test(test_release_hold),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
