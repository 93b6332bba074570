/*
 * test_ifaddr.c: the host's addresses and the VIPs, without netlink:
 * VIP lookup, loop detection, and the generation that makes the engine
 * choose advert sources again only when an address other than a VIP
 * came, went or changed.
 */
#include <sys/types.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <linux/if_addr.h>
#include <arpa/inet.h>

#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "agent/ifaddr.h"

static struct carp_addr
addr(const char *s, int plen)
{
	struct carp_addr	 a;

	memset(&a, 0, sizeof(a));
	a.family = strchr(s, ':') != NULL ? AF_INET6 : AF_INET;
	assert_int_equal(inet_pton(a.family, s, &a.a), 1);
	a.prefixlen = (uint8_t)plen;
	return a;
}

static struct nl_addr
nla(unsigned int ifindex, const char *s, int plen, uint32_t flags)
{
	struct nl_addr	 n;

	memset(&n, 0, sizeof(n));
	n.ifindex = ifindex;
	n.addr = addr(s, plen);
	n.flags = flags;
	n.valid_s = n.preferred_s = NL_LIFE_FOREVER;
	return n;
}

/* A copy the module may own. */
static struct nl_addr *
list(const struct nl_addr *v, size_t n)
{
	struct nl_addr	*l = calloc(n + 1, sizeof(*l));

	assert_non_null(l);
	memcpy(l, v, n * sizeof(*v));
	return l;
}

static void
test_vips_and_local(void **state)
{
	struct carp_addr	 vips[3];
	struct nl_addr		 host[3];
	struct carp_addr	 a;

	(void)state;
	vips[0] = addr("192.0.2.111", 24);
	vips[1] = addr("2001:db8::111", 64);
	vips[2] = addr("192.0.2.100", 32);
	ifaddr_set_vips(vips, 3);
	a = addr("192.0.2.100", 24);		/* length does not matter */
	assert_true(ifaddr_is_vip(&a));
	a = addr("192.0.2.61", 24);
	assert_false(ifaddr_is_vip(&a));

	host[0] = nla(2, "192.0.2.61", 24, 0);
	host[1] = nla(2, "192.0.2.111", 32, 0);	/* a VIP we hold */
	host[2] = nla(2, "fe80::1", 64, IFA_F_PERMANENT);
	ifaddr_replace(list(host, 3), 3);
	a = addr("192.0.2.61", 0);
	assert_true(ifaddr_is_local(&a));	/* our own advert looped */
	a = addr("192.0.2.111", 0);
	assert_false(ifaddr_is_local(&a));	/* a VIP is not "us" */
	a = addr("192.0.2.51", 0);
	assert_false(ifaddr_is_local(&a));
	assert_int_equal(ifaddr_choose(2, AF_INET, false, &a), 0);
	assert_int_equal(a.a.v4.s_addr, inet_addr("192.0.2.61"));
	assert_int_equal(ifaddr_choose(2, AF_INET6, true, &a), 0);
	assert_true(IN6_IS_ADDR_LINKLOCAL(&a.a.v6));
	assert_int_equal(ifaddr_choose(3, AF_INET, false, &a), -1);
	ifaddr_free();
}

static void
test_generation(void **state)
{
	struct carp_addr	 vip = addr("192.0.2.111", 24);
	struct nl_addr		 host[2], n;
	unsigned int		 g;

	(void)state;
	ifaddr_set_vips(&vip, 1);
	host[0] = nla(2, "192.0.2.61", 24, 0);
	host[1] = nla(2, "192.0.2.111", 32, 0);
	ifaddr_replace(list(host, 2), 2);
	g = ifaddr_gen();

	/* A VIP coming and going (every advert of a master): same gen. */
	n = nla(2, "192.0.2.111", 32, 0);
	ifaddr_update(&n, true);
	ifaddr_update(&n, false);
	assert_int_equal(ifaddr_gen(), g);
	/* The same list re-read, VIPs aside, in another order: same gen. */
	host[0] = nla(2, "192.0.2.111", 32, 0);
	host[1] = nla(2, "192.0.2.61", 24, 0);
	ifaddr_replace(list(host, 1), 1);	/* the VIP alone: changed */
	assert_int_not_equal(ifaddr_gen(), g);
	g = ifaddr_gen();
	ifaddr_replace(list(host, 2), 2);
	assert_int_not_equal(ifaddr_gen(), g);	/* .61 back */
	g = ifaddr_gen();
	ifaddr_replace(list(host, 2), 2);
	assert_int_equal(ifaddr_gen(), g);
	/* A flag change (deprecated, tentative) of our own: new gen. */
	host[1].flags = IFA_F_DEPRECATED;
	ifaddr_replace(list(host, 2), 2);
	assert_int_not_equal(ifaddr_gen(), g);
	g = ifaddr_gen();
	/* Another address of ours added or deleted: new gen. */
	n = nla(3, "198.51.100.1", 24, 0);
	ifaddr_update(&n, false);
	assert_int_not_equal(ifaddr_gen(), g);
	g = ifaddr_gen();
	ifaddr_update(&n, true);
	assert_int_not_equal(ifaddr_gen(), g);
	/* New VIPs (a reload): new gen. */
	g = ifaddr_gen();
	ifaddr_set_vips(NULL, 0);
	assert_int_not_equal(ifaddr_gen(), g);
	ifaddr_free();
}

/*
 * A VRRPv3 advert's local source, for RFC 5798's tie-break: ours on the
 * arrival interface (IPv4 primary, IPv6 link-local), never a VIP, none on
 * an interface without one; the cached answer follows address changes.
 */
static void
test_rx_local(void **state)
{
	struct carp_addr	 vip = addr("192.0.2.111", 24);
	struct nl_addr		 host[4], n;
	struct carp_rx		 rx;
	struct carp_addr	 want;

	(void)state;
	ifaddr_set_vips(&vip, 1);
	host[0] = nla(2, "192.0.2.111", 32, 0);
	host[1] = nla(2, "192.0.2.61", 24, 0);
	host[2] = nla(2, "2001:db8::61", 64, IFA_F_PERMANENT);
	host[3] = nla(2, "fe80::61", 64, IFA_F_PERMANENT);
	ifaddr_replace(list(host, 4), 4);
	memset(&rx, 0, sizeof(rx));
	rx.ifindex = 2;
	rx.src = addr("192.0.2.51", 0);
	ifaddr_rx_local(&rx);
	want = addr("192.0.2.61", 0);
	assert_int_equal(rx.local.family, AF_INET);
	assert_memory_equal(&rx.local.a.v4, &want.a.v4, 4);
	rx.src = addr("fe80::51", 0);
	ifaddr_rx_local(&rx);
	want = addr("fe80::61", 0);
	assert_int_equal(rx.local.family, AF_INET6);
	assert_memory_equal(&rx.local.a.v6, &want.a.v6, 16);
	/* Another interface, without an address: none. */
	rx.ifindex = 3;
	ifaddr_rx_local(&rx);
	assert_int_equal(rx.local.family, 0);
	/* It gets one: the cache follows the new generation. */
	n = nla(3, "fe80::99", 64, IFA_F_PERMANENT);
	ifaddr_update(&n, false);
	ifaddr_rx_local(&rx);
	want = addr("fe80::99", 0);
	assert_int_equal(rx.local.family, AF_INET6);
	assert_memory_equal(&rx.local.a.v6, &want.a.v6, 16);
	ifaddr_free();
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_vips_and_local),
		cmocka_unit_test(test_generation),
		cmocka_unit_test(test_rx_local),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
