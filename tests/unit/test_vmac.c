/*
 * test_vmac.c: the pure parts of the virtual MAC: the MAC, the macvlan's
 * name, the ownership alias carpd recognises its leftovers by, and the
 * IPv6 advert a packet socket sends from the virtual MAC (byte by byte).
 */
#include <sys/types.h>
#include <sys/socket.h>
#include <net/if.h>
#include <netinet/in.h>
#include <netpacket/packet.h>
#include <arpa/inet.h>
#include <linux/if_ether.h>

#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "agent/raw.h"
#include "agent/vmac.h"

static void
test_addr_and_name(void **state)
{
	static const uint8_t	 want[6] = { 0, 0, 0x5e, 0, 1, 200 };
	uint8_t			 mac[6];
	char			 name[IF_NAMESIZE];

	(void)state;
	vmac_addr(200, mac);
	assert_memory_equal(mac, want, sizeof(want));
	assert_int_equal(vmac_name(1, 2, name, sizeof(name)), 0);
	assert_string_equal(name, "vmac1-2");
	/* The longest that fits IFNAMSIZ (15 characters). */
	assert_int_equal(vmac_name(255, 999999, name, sizeof(name)), 0);
	assert_string_equal(name, "vmac255-999999");
	assert_int_equal(vmac_name(255, 4000000000U, name, sizeof(name)), -1);
	assert_int_equal(vmac_name(1, 2, name, 4), -1);

	/* VRRPv3 over IPv6: 00:00:5e:00:02:VRID, its own macvlan. */
	vmac_addr_kind(7, VMAC_KIND_IP6, mac);
	assert_memory_equal(mac, ((const uint8_t[6]){ 0, 0, 0x5e, 0, 2, 7 }),
	    6);
	vmac_addr_kind(7, VMAC_KIND_IP4, mac);
	assert_memory_equal(mac, ((const uint8_t[6]){ 0, 0, 0x5e, 0, 1, 7 }),
	    6);
	assert_int_equal(vmac_name_kind(1, VMAC_KIND_IP6, 2, name,
	    sizeof(name)), 0);
	assert_string_equal(name, "vmac1-2-6");
	assert_int_equal(vmac_name_kind(1, VMAC_KIND_IP4, 2, name,
	    sizeof(name)), 0);
	assert_string_equal(name, "vmac1-2");
	assert_int_equal(vmac_name_kind(255, VMAC_KIND_IP6, 99999, name,
	    sizeof(name)), 0);
	assert_string_equal(name, "vmac255-99999-6");
	assert_int_equal(vmac_name_kind(255, VMAC_KIND_IP6, 999999, name,
	    sizeof(name)), -1);
}

static void
test_alias(void **state)
{
	char		 parent[IF_NAMESIZE];
	unsigned int	 vhid;
	int		 ai, aa;

	(void)state;
	assert_int_equal(vmac_alias_parse("carpd vhid=7 parent=eth0.100 "
	    "arp_ignore=0 arp_announce=1", &vhid, parent, sizeof(parent), &ai,
	    &aa), 0);
	assert_int_equal(vhid, 7);
	assert_string_equal(parent, "eth0.100");
	assert_int_equal(ai, 0);
	assert_int_equal(aa, 1);
	/* Values left out, or garbled, are unknown (-1): left alone. */
	assert_int_equal(vmac_alias_parse("carpd vhid=1 parent=em0", &vhid,
	    parent, sizeof(parent), &ai, &aa), 0);
	assert_int_equal(ai, -1);
	assert_int_equal(aa, -1);
	assert_int_equal(vmac_alias_parse("carpd vhid=1 parent=em0 "
	    "arp_ignore=x arp_announce=999", &vhid, parent, sizeof(parent),
	    &ai, &aa), 0);
	assert_int_equal(ai, -1);
	assert_int_equal(aa, -1);
	/* Not ours: another alias, no vhid, vhid 0, a parent too long. */
	assert_int_equal(vmac_alias_parse("keepalived vrrp.1", &vhid, parent,
	    sizeof(parent), &ai, &aa), -1);
	assert_int_equal(vmac_alias_parse("carpd vhid=", &vhid, parent,
	    sizeof(parent), &ai, &aa), -1);
	assert_int_equal(vmac_alias_parse("carpd vhid=0 parent=em0", &vhid,
	    parent, sizeof(parent), &ai, &aa), -1);
	assert_int_equal(vmac_alias_parse("", &vhid, parent, sizeof(parent),
	    &ai, &aa), -1);
	assert_int_equal(vmac_alias_parse("carpd vhid=3 parent="
	    "averyveryverylongname", &vhid, parent, sizeof(parent), &ai,
	    &aa), 0);
	assert_string_equal(parent, "");
}

static void
test_ll6(void **state)
{
	static const uint8_t	 adv[CARP_HDR_LEN] = { 0x21, 1, 0, 1, 0, 1 };
	struct raw_msg		 m;
	struct sockaddr_ll	 sll;
	struct carp_addr	 src, dst, v4;

	(void)state;
	memset(&src, 0, sizeof(src));
	memset(&dst, 0, sizeof(dst));
	src.family = dst.family = AF_INET6;
	inet_pton(AF_INET6, "fe80::1", &src.a.v6);
	inet_pton(AF_INET6, "ff02::12", &dst.a.v6);
	assert_int_equal(raw_msg_init_ll6(&m, 5, &src, &dst, 56, adv,
	    sizeof(adv)), 0);
	assert_int_equal(m.len, 40 + CARP_HDR_LEN);
	assert_int_equal(m.cbuflen, 0);
	/* Version 6, traffic class 56 << 2 = 0xe0, flow label 0. */
	assert_int_equal(m.payload[0], 0x6e);
	assert_int_equal(m.payload[1], 0x00);
	assert_int_equal(m.payload[4] << 8 | m.payload[5], CARP_HDR_LEN);
	assert_int_equal(m.payload[6], 112);		/* next header */
	assert_int_equal(m.payload[7], 255);		/* hop limit */
	assert_memory_equal(m.payload + 8, &src.a.v6, 16);
	assert_memory_equal(m.payload + 24, &dst.a.v6, 16);
	assert_memory_equal(m.payload + 40, adv, sizeof(adv));
	assert_int_equal(m.namelen, sizeof(sll));
	memcpy(&sll, &m.name, sizeof(sll));
	assert_int_equal(sll.sll_family, AF_PACKET);
	assert_int_equal(ntohs(sll.sll_protocol), ETH_P_IPV6);
	assert_int_equal(sll.sll_ifindex, 5);
	assert_int_equal(sll.sll_halen, 6);
	/* 33:33:00:00:00:12, RFC 2464. */
	assert_memory_equal(sll.sll_addr,
	    ((const uint8_t[]){ 0x33, 0x33, 0, 0, 0, 0x12 }), 6);

	/* Refused: unicast or IPv4 destination, no source, no interface. */
	memset(&v4, 0, sizeof(v4));
	v4.family = AF_INET;
	assert_int_equal(raw_msg_init_ll6(&m, 5, &src, &src, 56, adv,
	    sizeof(adv)), -1);
	assert_int_equal(raw_msg_init_ll6(&m, 5, &src, &v4, 56, adv,
	    sizeof(adv)), -1);
	assert_int_equal(raw_msg_init_ll6(&m, 5, NULL, &dst, 56, adv,
	    sizeof(adv)), -1);
	assert_int_equal(raw_msg_init_ll6(&m, 0, &src, &dst, 56, adv,
	    sizeof(adv)), -1);
	assert_int_equal(raw_msg_init_ll6(&m, 5, &src, &dst, 64, adv,
	    sizeof(adv)), -1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_addr_and_name),
		cmocka_unit_test(test_alias),
		cmocka_unit_test(test_ll6),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
