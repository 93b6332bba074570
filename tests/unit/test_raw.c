/*
 * test_raw.c: raw_parse_ip4(), the IPv4 header check of agent/raw.c, and
 * raw_send_batch() on the loopback of a network namespace of its own.
 */
#include <sys/types.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <net/if.h>
#include <netinet/in.h>
#include <arpa/inet.h>

#include <errno.h>
#include <sched.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <unistd.h>

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

/*
 * Three adverts in one batch, the middle one on an interface that does not
 * exist: the other two arrive, in order, and only the middle one fails.
 * Needs a network namespace of its own (root): no packet leaves it.
 */
static void
test_send_batch(void **state)
{
	struct raw_msg		 m[3];
	static struct raw_batch	 b;
	struct carp_addr	 dst;
	struct ifreq		 ifr;
	uint8_t			 pay[CARP_HDR_LEN];
	int			 err[3], fd, s, i, got = 0;
	unsigned int		 lo;

	(void)state;
	if (unshare(CLONE_NEWNET) == -1) {
		print_message("  no network namespace (%s): skipped\n",
		    strerror(errno));
		skip();
	}
	/* The new namespace's loopback starts down. */
	assert_true((s = socket(AF_INET, SOCK_DGRAM, 0)) != -1);
	memset(&ifr, 0, sizeof(ifr));
	strcpy(ifr.ifr_name, "lo");
	assert_int_equal(ioctl(s, SIOCGIFFLAGS, &ifr), 0);
	ifr.ifr_flags |= IFF_UP;
	assert_int_equal(ioctl(s, SIOCSIFFLAGS, &ifr), 0);
	close(s);
	lo = if_nametoindex("lo");
	assert_true(lo > 0);
	assert_true((fd = raw_open(AF_INET, 48)) != -1);

	memset(&dst, 0, sizeof(dst));
	dst.family = AF_INET;
	inet_pton(AF_INET, "127.0.0.1", &dst.a.v4);
	for (i = 0; i < 3; i++) {
		memset(pay, 0x30 + i, sizeof(pay));
		assert_int_equal(raw_msg_init(&m[i], i == 1 ? 999 : lo, NULL,
		    &dst, pay, sizeof(pay)), 0);
	}
	/* Bad arguments are refused before any send. */
	assert_int_equal(raw_msg_init(&m[0], 0, NULL, &dst, pay,
	    sizeof(pay)), -1);
	assert_int_equal(errno, EINVAL);
	assert_int_equal(raw_msg_init(&m[0], lo, NULL, &dst, pay,
	    RAW_PAYLOAD_MAX + 1), -1);
	memset(pay, 0x30, sizeof(pay));
	assert_int_equal(raw_msg_init(&m[0], lo, NULL, &dst, pay,
	    sizeof(pay)), 0);

	memset(err, 0x55, sizeof(err));
	raw_send_batch(fd, m, 3, err);
	assert_int_equal(err[0], 0);
	assert_int_not_equal(err[1], 0);
	assert_int_equal(err[2], 0);

	/* The sending socket hears its own loopback traffic. */
	assert_int_equal(raw_recv_batch(fd, AF_INET, &b), 0);
	for (i = 0; i < b.n; i++) {
		assert_int_equal(b.rx[i].len, CARP_HDR_LEN);
		assert_int_equal(b.rx[i].ttl, RAW_HOPS);
		assert_int_equal(b.rx[i].ifindex, lo);
		assert_int_equal(b.rx[i].data[0], got == 0 ? 0x30 : 0x32);
		got++;
	}
	assert_int_equal(got, 2);
	close(fd);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_good),
		cmocka_unit_test(test_options),
		cmocka_unit_test(test_bad),
		cmocka_unit_test(test_send_batch),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
