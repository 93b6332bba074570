/*
 * test_raw.c: raw_parse_ip4(), the IPv4 header check of agent/raw.c.
 */
#include <sys/types.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <arpa/inet.h>

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "agent/raw.h"

static size_t	mkpkt(uint8_t *, size_t, size_t, uint8_t);

/*
 * An IPv4 datagram as a Linux raw socket returns it: ihl words of header
 * (options zero), the total length in network order, then paylen bytes.
 */
static size_t
mkpkt(uint8_t *p, size_t ihl, size_t paylen, uint8_t ttl)
{
	size_t	 tot = ihl * 4 + paylen, i;

	memset(p, 0, tot);
	p[0] = (uint8_t)(0x40 | ihl);
	p[1] = 0xe0;
	p[2] = (uint8_t)(tot >> 8);
	p[3] = (uint8_t)tot;
	p[6] = 0x40;			/* DF */
	p[8] = ttl;
	p[9] = RAW_PROTO;
	inet_pton(AF_INET, "192.0.2.1", p + 12);
	inet_pton(AF_INET, "224.0.0.18", p + 16);
	for (i = 0; i < paylen; i++)
		p[ihl * 4 + i] = (uint8_t)(0x21 + i);
	return tot;
}

static void
test_good(void **state)
{
	uint8_t		 p[128];
	struct carp_rx	 rx;
	size_t		 n;
	char		 s[INET_ADDRSTRLEN];

	(void)state;
	n = mkpkt(p, 5, CARP_HDR_LEN, 255);
	memset(&rx, 0, sizeof(rx));
	assert_int_equal(raw_parse_ip4(p, n, &rx), 0);
	assert_ptr_equal(rx.data, p + 20);
	assert_int_equal(rx.len, CARP_HDR_LEN);
	assert_int_equal(rx.data[0], 0x21);
	assert_int_equal(rx.ttl, 255);
	assert_int_equal(rx.src.family, AF_INET);
	assert_string_equal(inet_ntop(AF_INET, &rx.src.a.v4, s, sizeof(s)),
	    "192.0.2.1");
	assert_string_equal(inet_ntop(AF_INET, &rx.dst.a.v4, s, sizeof(s)),
	    "224.0.0.18");
}

static void
test_options(void **state)
{
	uint8_t		 p[128];
	struct carp_rx	 rx;
	size_t		 n;

	(void)state;
	/* A router-alert style option: the payload starts after ihl words. */
	n = mkpkt(p, 6, CARP_HDR_LEN, 1);
	assert_int_equal(raw_parse_ip4(p, n, &rx), 0);
	assert_ptr_equal(rx.data, p + 24);
	assert_int_equal(rx.len, CARP_HDR_LEN);
	assert_int_equal(rx.ttl, 1);
	/* Short payloads are the engine's business (badlen), not ours. */
	n = mkpkt(p, 5, 0, 255);
	assert_int_equal(raw_parse_ip4(p, n, &rx), 0);
	assert_int_equal(rx.len, 0);
}

static void
test_bad(void **state)
{
	uint8_t		 p[128];
	struct carp_rx	 rx;
	size_t		 n;

	(void)state;
	n = mkpkt(p, 5, CARP_HDR_LEN, 255);
	/* Fewer bytes than the header. */
	assert_int_equal(raw_parse_ip4(p, 19, &rx), -1);
	assert_int_equal(raw_parse_ip4(p, 0, &rx), -1);
	/* Total length and bytes read disagree, either way. */
	assert_int_equal(raw_parse_ip4(p, n - 1, &rx), -1);
	p[3]++;
	assert_int_equal(raw_parse_ip4(p, n, &rx), -1);
	p[3] -= 2;
	assert_int_equal(raw_parse_ip4(p, n, &rx), -1);
	/* ihl below 5, or beyond the datagram. */
	n = mkpkt(p, 5, CARP_HDR_LEN, 255);
	p[0] = 0x44;
	assert_int_equal(raw_parse_ip4(p, n, &rx), -1);
	n = mkpkt(p, 5, 4, 255);
	p[0] = 0x4f;
	assert_int_equal(raw_parse_ip4(p, n, &rx), -1);
	/* Not version 4. */
	n = mkpkt(p, 5, CARP_HDR_LEN, 255);
	p[0] = 0x65;
	assert_int_equal(raw_parse_ip4(p, n, &rx), -1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_good),
		cmocka_unit_test(test_options),
		cmocka_unit_test(test_bad),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
