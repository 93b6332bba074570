/*
 * test_raw.c: raw_parse_ip4(), the IPv4 header check of agent/raw.c, and
 * raw_send_batch() on the loopback of a network namespace of its own.
 */
#include <sys/types.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <net/if.h>
#include <netinet/in.h>
#include <netpacket/packet.h>
#include <arpa/inet.h>
#include <linux/if_ether.h>

#include <errno.h>
#include <poll.h>
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

/* The next outgoing IPv4 packet the capture socket sees, or -1. */
static ssize_t
next_out(int cap, uint8_t *buf, size_t len)
{
	struct sockaddr_ll	 from;
	struct pollfd		 pfd = { cap, POLLIN, 0 };
	socklen_t		 fl;
	ssize_t			 n;

	for (;;) {
		if (poll(&pfd, 1, 2000) != 1)
			return -1;
		fl = sizeof(from);
		n = recvfrom(cap, buf, len, 0, (struct sockaddr *)&from, &fl);
		if (n == -1)
			return -1;
		if (from.sll_pkttype == PACKET_OUTGOING &&
		    from.sll_protocol == htons(ETH_P_IP))
			return n;
	}
}

/*
 * raw_msg_init_ll4's header is the one the kernel writes on the IPv4 raw
 * socket: the same VRRPv3 advert sent both ways on the loopback of a
 * namespace of its own, captured, compared byte for byte from the IP
 * header on.  Then the link-layer address and the refusals.
 */
static void
test_ll4_wire(void **state)
{
	static const uint8_t	 pay[12] = { 0x31, 7, 150, 0, 0, 1, 0x5a,
				    0xa5, 198, 18, 1, 7 };
	struct raw_msg		 m[2];
	struct carp_addr	 src, dst;
	struct sockaddr_ll	 sll;
	struct ifreq		 ifr;
	uint8_t			 got[2][128];
	ssize_t			 n[2];
	uint32_t		 sum = 0;
	uint16_t		 id;
	int			 err, rfd, pfd, cap, s, i;
	unsigned int		 lo;

	(void)state;
	if (unshare(CLONE_NEWNET) == -1) {
		print_message("  no network namespace (%s): skipped\n",
		    strerror(errno));
		skip();
	}
	assert_true((s = socket(AF_INET, SOCK_DGRAM, 0)) != -1);
	memset(&ifr, 0, sizeof(ifr));
	strcpy(ifr.ifr_name, "lo");
	assert_int_equal(ioctl(s, SIOCGIFFLAGS, &ifr), 0);
	ifr.ifr_flags |= IFF_UP | IFF_MULTICAST;
	assert_int_equal(ioctl(s, SIOCSIFFLAGS, &ifr), 0);
	close(s);
	assert_true((lo = if_nametoindex("lo")) > 0);
	/* ETH_P_ALL: only those see what a host sends. */
	assert_true((cap = socket(AF_PACKET, SOCK_DGRAM, htons(ETH_P_ALL))) !=
	    -1);
	memset(&sll, 0, sizeof(sll));
	sll.sll_family = AF_PACKET;
	sll.sll_protocol = htons(ETH_P_ALL);
	sll.sll_ifindex = (int)lo;
	assert_int_equal(bind(cap, (struct sockaddr *)&sll, sizeof(sll)), 0);
	assert_true((rfd = raw_open(AF_INET, 46)) != -1);
	assert_true((pfd = raw_open_packet()) != -1);

	memset(&src, 0, sizeof(src));
	memset(&dst, 0, sizeof(dst));
	src.family = dst.family = AF_INET;
	inet_pton(AF_INET, "127.0.0.1", &src.a.v4);
	inet_pton(AF_INET, "224.0.0.18", &dst.a.v4);
	assert_int_equal(raw_msg_init(&m[0], lo, &src, &dst, pay,
	    sizeof(pay)), 0);
	raw_send_batch(rfd, &m[0], 1, &err);
	assert_int_equal(err, 0);
	n[0] = next_out(cap, got[0], sizeof(got[0]));
	assert_int_equal(raw_msg_init_ll4(&m[1], lo, &src, &dst, 46, pay,
	    sizeof(pay)), 0);
	raw_send_batch(pfd, &m[1], 1, &err);
	assert_int_equal(err, 0);
	n[1] = next_out(cap, got[1], sizeof(got[1]));

	assert_int_equal(n[0], 20 + sizeof(pay));
	assert_int_equal(n[1], n[0]);
	/* All but the identification (4-5) and so the checksum (10-11). */
	assert_memory_equal(got[1], got[0], 4);
	assert_memory_equal(got[1] + 6, got[0] + 6, 4);
	assert_memory_equal(got[1] + 12, got[0] + 12, (size_t)n[0] - 12);
	/* And what that is: TOS 46 << 2, DF, TTL 255, a good checksum. */
	assert_int_equal(got[1][0], 0x45);
	assert_int_equal(got[1][1], 46 << 2);
	assert_int_equal(got[1][6], 0x40);
	assert_int_equal(got[1][8], 255);
	assert_int_equal(got[1][9], 112);
	for (i = 0; i < 20; i += 2)
		sum += (uint32_t)got[1][i] << 8 | got[1][i + 1];
	while (sum > 0xffff)
		sum = (sum & 0xffff) + (sum >> 16);
	assert_int_equal(sum, 0xffff);
	assert_memory_equal(got[1] + 20, pay, sizeof(pay));

	/* The next advert's identification is the next number. */
	id = (uint16_t)(m[1].payload[4] << 8 | m[1].payload[5]);
	assert_int_equal(raw_msg_init_ll4(&m[1], lo, &src, &dst, 46, pay,
	    sizeof(pay)), 0);
	assert_int_equal(m[1].payload[4] << 8 | m[1].payload[5],
	    (uint16_t)(id + 1));

	/* 224.0.0.18 is 01:00:5e:00:00:12; 239.129.2.3 01:00:5e:01:02:03. */
	memcpy(&sll, &m[1].name, sizeof(sll));
	assert_int_equal(m[1].namelen, sizeof(sll));
	assert_int_equal(sll.sll_ifindex, lo);
	assert_int_equal(sll.sll_protocol, htons(ETH_P_IP));
	assert_memory_equal(sll.sll_addr,
	    ((const uint8_t[6]){ 1, 0, 0x5e, 0, 0, 0x12 }), 6);
	inet_pton(AF_INET, "239.129.2.3", &dst.a.v4);
	assert_int_equal(raw_msg_init_ll4(&m[1], 7, &src, &dst, 0, pay,
	    sizeof(pay)), 0);
	memcpy(&sll, &m[1].name, sizeof(sll));
	assert_memory_equal(sll.sll_addr,
	    ((const uint8_t[6]){ 1, 0, 0x5e, 1, 2, 3 }), 6);
	assert_int_equal(m[1].payload[1], 0);

	/* Refused: unicast, IPv6, no source, no interface, a DSCP > 63. */
	assert_int_equal(raw_msg_init_ll4(&m[1], lo, &src, &src, 46, pay,
	    sizeof(pay)), -1);
	assert_int_equal(errno, EINVAL);
	dst.family = AF_INET6;
	assert_int_equal(raw_msg_init_ll4(&m[1], lo, &src, &dst, 46, pay,
	    sizeof(pay)), -1);
	dst.family = AF_INET;
	inet_pton(AF_INET, "224.0.0.18", &dst.a.v4);
	assert_int_equal(raw_msg_init_ll4(&m[1], lo, NULL, &dst, 46, pay,
	    sizeof(pay)), -1);
	assert_int_equal(raw_msg_init_ll4(&m[1], 0, &src, &dst, 46, pay,
	    sizeof(pay)), -1);
	assert_int_equal(raw_msg_init_ll4(&m[1], lo, &src, &dst, 64, pay,
	    sizeof(pay)), -1);
	close(cap);
	close(rfd);
	close(pfd);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_good),
		cmocka_unit_test(test_options),
		cmocka_unit_test(test_bad),
		cmocka_unit_test(test_send_batch),
		cmocka_unit_test(test_ll4_wire),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
