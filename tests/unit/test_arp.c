/*
 * test_arp.c: the packet builders of agent/arp.c, byte by byte.
 */
#include <sys/types.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <arpa/inet.h>

#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "agent/arp.h"

static const uint8_t	 mac[ARP_ETH_ALEN] = { 0x02, 0x11, 0x22, 0x33,
			    0x44, 0x55 };

static void
test_garp(void **state)
{
	static const uint8_t	 want[ARP_PKT_LEN] = {
		0x00, 0x01,			/* Ethernet */
		0x08, 0x00,			/* IPv4 */
		6, 4,
		0x00, 0x01,			/* request */
		0x02, 0x11, 0x22, 0x33, 0x44, 0x55,	/* sender MAC */
		192, 0, 2, 7,			/* sender IP = VIP */
		0, 0, 0, 0, 0, 0,		/* target MAC */
		192, 0, 2, 7,			/* target IP = VIP */
	};
	uint8_t			 out[ARP_PKT_LEN];
	struct in_addr		 vip;

	(void)state;
	inet_pton(AF_INET, "192.0.2.7", &vip);
	memset(out, 0xaa, sizeof(out));
	arp_build_garp(out, mac, &vip);
	assert_memory_equal(out, want, sizeof(want));
}

static void
test_na(void **state)
{
	uint8_t			 want[ARP_NA_LEN] = {
		136, 0, 0, 0,			/* NA, code, checksum */
		0x20, 0, 0, 0,			/* Override only */
		0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0,
		0, 0, 0, 0, 0, 0, 0, 0x07,	/* target */
		2, 1,				/* target link-layer, 8 */
		0x02, 0x11, 0x22, 0x33, 0x44, 0x55,
	};
	uint8_t			 out[ARP_NA_LEN];
	struct in6_addr		 vip;

	(void)state;
	inet_pton(AF_INET6, "2001:db8::7", &vip);
	memset(out, 0xaa, sizeof(out));
	arp_build_na(out, mac, &vip, false);
	assert_memory_equal(out, want, sizeof(want));
	/* A forwarding interface adds Router; Solicited is never set. */
	arp_build_na(out, mac, &vip, true);
	want[4] = 0xa0;
	assert_memory_equal(out, want, sizeof(want));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_garp),
		cmocka_unit_test(test_na),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
