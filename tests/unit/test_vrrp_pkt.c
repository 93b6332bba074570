/*
 * test_vrrp_pkt.c: the VRRPv3 codec against adverts that keepalived 2.2.7
 * sent on Debian 12 (captured; tests/integration/036-vrrp-keepalived.sh
 * checks the same against a keepalived running now), FreeBSD's defaults,
 * and every drop the codec decides.
 */
#include <sys/types.h>
#include <sys/socket.h>
#include <arpa/inet.h>

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "carp/carp.h"

struct vector {
	const char	*name;
	const char	*src, *dst;
	uint8_t		 vrid, prio;
	uint16_t	 interval;
	const char	*addrs[3];
	const char	*hex;		/* the whole VRRP message */
};

static const struct vector vectors[] = {
	{ "keepalived IPv4, VRID 7, priority 150, 1 s",
	    "192.0.2.1", "224.0.0.18", 7, 150, 100, { "192.0.2.254" },
	    "31079601" "0064d303" "c00002fe" },
	{ "keepalived IPv4, priority 0 (stopping)",
	    "192.0.2.1", "224.0.0.18", 7, 0, 100, { "192.0.2.254" },
	    "31070001" "00646904" "c00002fe" },
	{ "keepalived IPv6, 500 ms",
	    "fe80::ff:fe00:a", "ff02::12", 7, 150, 50, { "2001:db8::fe" },
	    "31079601" "00320ce6" "20010db80000000000000000000000fe" },
	{ "FreeBSD's defaults: VRID 1, priority 100, 1 s",
	    "192.0.2.1", "224.0.0.18", 1, 100, 100, { "192.0.2.254" },
	    "31016401" "0064050a" "c00002fe" },
};

static size_t	unhex(const char *, uint8_t *, size_t);
static void	addr(const char *, struct carp_addr *);

/* Decode a hex string; fails the test on bad input. */
static size_t
unhex(const char *s, uint8_t *out, size_t outlen)
{
	size_t		 n = strlen(s) / 2, i;
	unsigned int	 b;

	assert_true(strlen(s) % 2 == 0 && n <= outlen);
	for (i = 0; i < n; i++) {
		assert_int_equal(sscanf(s + 2 * i, "%2x", &b), 1);
		out[i] = (uint8_t)b;
	}
	return n;
}

static void
addr(const char *s, struct carp_addr *a)
{
	memset(a, 0, sizeof(*a));
	if (inet_pton(AF_INET, s, &a->a.v4) == 1) {
		a->family = AF_INET;
		a->prefixlen = 32;
		return;
	}
	assert_int_equal(inet_pton(AF_INET6, s, &a->a.v6), 1);
	a->family = AF_INET6;
	a->prefixlen = 128;
}

/* Every vector is built byte for byte, and decodes to its fields. */
static void
test_vectors(void **state)
{
	const struct vector	*v;
	struct carp_addr	 src, dst, va[3], got;
	struct vrrp_hdr		 h;
	uint8_t			 want[64], out[64];
	size_t			 i, j, n, wlen, len;

	(void)state;
	for (i = 0; i < sizeof(vectors) / sizeof(vectors[0]); i++) {
		v = &vectors[i];
		print_message("  vector: %s\n", v->name);
		addr(v->src, &src);
		addr(v->dst, &dst);
		for (n = 0; n < 3 && v->addrs[n] != NULL; n++)
			addr(v->addrs[n], &va[n]);
		wlen = unhex(v->hex, want, sizeof(want));

		len = vrrp_pkt_encode(&src, &dst, v->vrid, v->prio,
		    v->interval, va, n, out, sizeof(out));
		assert_int_equal(len, wlen);
		assert_memory_equal(out, want, wlen);

		assert_int_equal(vrrp_pkt_decode(want, wlen, &h),
		    CARP_DROP_NONE);
		assert_int_equal(vrrp_pkt_verify(&src, &dst, want, &h),
		    CARP_DROP_NONE);
		assert_int_equal(h.version, 3);
		assert_int_equal(h.type, 1);
		assert_int_equal(h.vrid, v->vrid);
		assert_int_equal(h.prio, v->prio);
		assert_int_equal(h.interval, v->interval);
		assert_int_equal(h.naddrs, n);
		for (j = 0; j < n; j++) {
			assert_int_equal(vrrp_pkt_addr(&h, src.family, j,
			    &got), 0);
			assert_memory_equal(&got, &va[j], sizeof(got));
		}
		assert_int_equal(vrrp_pkt_addr(&h, src.family, n, &got), -1);
	}
}

/*
 * The pseudo-header is part of the sum for IPv4 too: without it the
 * first vector's checksum would be 0x7594 (RFC 9568 and Cisco's reading),
 * and another source address changes it.
 */
static void
test_pseudo_header(void **state)
{
	struct carp_addr	 src, dst, vip;
	uint8_t			 p[64];
	size_t			 len;

	(void)state;
	addr("192.0.2.1", &src);
	addr("224.0.0.18", &dst);
	addr("192.0.2.254", &vip);
	len = vrrp_pkt_encode(&src, &dst, 7, 150, 100, &vip, 1, p, sizeof(p));
	assert_int_equal(len, 12);
	p[6] = p[7] = 0;
	assert_int_equal(carp_cksum(p, len), 0x7594);
	assert_int_not_equal(vrrp_cksum(&src, &dst, p, len), 0x7594);
	assert_int_equal(vrrp_cksum(&src, &dst, p, len), 0xd303);
	addr("192.0.2.2", &src);
	assert_int_not_equal(vrrp_cksum(&src, &dst, p, len), 0xd303);
}

/*
 * Only the source's family goes in, in the order given; the limits of
 * the interval, the buffer and the families are refused with 0.
 */
static void
test_encode_limits(void **state)
{
	struct carp_addr	 src4, dst4, src6, dst6, a[4], got;
	struct vrrp_hdr		 h;
	uint8_t			 p[64];
	size_t			 len;

	(void)state;
	addr("192.0.2.1", &src4);
	addr("224.0.0.18", &dst4);
	addr("fe80::1", &src6);
	addr("ff02::12", &dst6);
	addr("192.0.2.20", &a[0]);
	addr("2001:db8::20", &a[1]);
	addr("192.0.2.10", &a[2]);
	addr("2001:db8::10", &a[3]);

	len = vrrp_pkt_encode(&src4, &dst4, 1, 100, 100, a, 4, p, sizeof(p));
	assert_int_equal(len, 8 + 2 * 4);
	assert_int_equal(vrrp_pkt_decode(p, len, &h), CARP_DROP_NONE);
	assert_int_equal(vrrp_pkt_verify(&src4, &dst4, p, &h),
	    CARP_DROP_NONE);
	assert_int_equal(h.naddrs, 2);
	assert_int_equal(vrrp_pkt_addr(&h, AF_INET, 0, &got), 0);
	assert_memory_equal(&got, &a[0], sizeof(got));	/* unsorted */
	assert_int_equal(vrrp_pkt_addr(&h, AF_INET, 1, &got), 0);
	assert_memory_equal(&got, &a[2], sizeof(got));

	len = vrrp_pkt_encode(&src6, &dst6, 1, 100, 1, a, 4, p, sizeof(p));
	assert_int_equal(len, 8 + 2 * 16);
	assert_int_equal(vrrp_pkt_decode(p, len, &h), CARP_DROP_NONE);
	assert_int_equal(vrrp_pkt_verify(&src6, &dst6, p, &h),
	    CARP_DROP_NONE);
	assert_int_equal(h.interval, 1);

	/* 4095 cs is the largest interval; 0 and 4096 are refused. */
	assert_int_equal(vrrp_pkt_encode(&src4, &dst4, 1, 100, 4095, a, 4, p,
	    sizeof(p)), 16);
	assert_int_equal(vrrp_pkt_decode(p, 16, &h), CARP_DROP_NONE);
	assert_int_equal(h.interval, 4095);
	assert_int_equal(vrrp_pkt_encode(&src4, &dst4, 1, 100, 0, a, 4, p,
	    sizeof(p)), 0);
	assert_int_equal(vrrp_pkt_encode(&src4, &dst4, 1, 100, 4096, a, 4, p,
	    sizeof(p)), 0);
	/* A buffer one byte short, mixed families, no family. */
	assert_int_equal(vrrp_pkt_encode(&src4, &dst4, 1, 100, 100, a, 4, p,
	    15), 0);
	assert_int_equal(vrrp_pkt_encode(&src4, &dst6, 1, 100, 100, a, 4, p,
	    sizeof(p)), 0);
	memset(&got, 0, sizeof(got));
	assert_int_equal(vrrp_pkt_encode(&got, &got, 1, 100, 100, a, 4, p,
	    sizeof(p)), 0);
	/* No address of that family: an advert with a count of 0. */
	assert_int_equal(vrrp_pkt_encode(&src4, &dst4, 1, 100, 100, &a[1], 1,
	    p, sizeof(p)), 8);
	assert_int_equal(p[3], 0);
}

/* Fix a message's checksum after editing it. */
static void
resum(const struct carp_addr *src, const struct carp_addr *dst, uint8_t *p,
    size_t len)
{
	uint16_t	 sum;

	p[6] = p[7] = 0;
	sum = vrrp_cksum(src, dst, p, len);
	p[6] = (uint8_t)(sum >> 8);
	p[7] = (uint8_t)sum;
}

/* Each drop the codec decides, in FreeBSD's order. */
static void
test_drops(void **state)
{
	struct carp_addr	 src, dst, other, vip;
	struct vrrp_hdr		 h;
	uint8_t			 p[64], q[64];
	size_t			 len, i;

	(void)state;
	addr("192.0.2.1", &src);
	addr("224.0.0.18", &dst);
	addr("192.0.2.254", &vip);
	len = vrrp_pkt_encode(&src, &dst, 7, 150, 100, &vip, 1, p, sizeof(p));

	/* Shorter than the fixed header. */
	for (i = 0; i < VRRP_HDR_LEN; i++)
		assert_int_equal(vrrp_pkt_decode(p, i, &h), CARP_DROP_BADLEN);
	/* Version 2 (CARP's) and 0..15 but 3. */
	for (i = 0; i < 16; i++) {
		memcpy(q, p, len);
		q[0] = (uint8_t)(i << 4 | 1);
		assert_int_equal(vrrp_pkt_decode(q, len, &h),
		    i == 3 ? CARP_DROP_NONE : CARP_DROP_BADVER);
	}
	/* Any flipped bit, and the wrong source or destination: checksum. */
	for (i = 0; i < len * 8; i++) {
		memcpy(q, p, len);
		q[i / 8] ^= (uint8_t)(1 << (i % 8));
		if (vrrp_pkt_decode(q, len, &h) != CARP_DROP_NONE)
			continue;	/* the version nibble */
		assert_int_equal(vrrp_pkt_verify(&src, &dst, q, &h),
		    CARP_DROP_BADSUM);
	}
	assert_int_equal(vrrp_pkt_decode(p, len, &h), CARP_DROP_NONE);
	addr("192.0.2.2", &other);
	assert_int_equal(vrrp_pkt_verify(&other, &dst, p, &h),
	    CARP_DROP_BADSUM);
	addr("ff02::12", &other);
	assert_int_equal(vrrp_pkt_verify(&src, &other, p, &h),
	    CARP_DROP_BADSUM);
	/* A truncated list with a good checksum: too short for its count. */
	memcpy(q, p, len);
	q[3] = 2;
	resum(&src, &dst, q, len);
	assert_int_equal(vrrp_pkt_decode(q, len, &h), CARP_DROP_NONE);
	assert_int_equal(vrrp_pkt_verify(&src, &dst, q, &h), CARP_DROP_BADLEN);
	assert_int_equal(vrrp_pkt_addr(&h, AF_INET, 1, &vip), -1);
	/* Type 2 and the reserved nibble pass, as in FreeBSD. */
	memcpy(q, p, len);
	q[0] = 0x32;
	q[4] |= 0xf0;
	resum(&src, &dst, q, len);
	assert_int_equal(vrrp_pkt_decode(q, len, &h), CARP_DROP_NONE);
	assert_int_equal(vrrp_pkt_verify(&src, &dst, q, &h), CARP_DROP_NONE);
	assert_int_equal(h.type, 2);
	assert_int_equal(h.interval, 100);
	/* An odd length, trailing bytes: summed, and accepted. */
	memcpy(q, p, len);
	q[len] = 0xab;
	resum(&src, &dst, q, len + 1);
	assert_int_equal(vrrp_pkt_decode(q, len + 1, &h), CARP_DROP_NONE);
	assert_int_equal(vrrp_pkt_verify(&src, &dst, q, &h), CARP_DROP_NONE);
	q[len] = 0xac;
	assert_int_equal(vrrp_pkt_verify(&src, &dst, q, &h), CARP_DROP_BADSUM);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_vectors),
		cmocka_unit_test(test_pseudo_header),
		cmocka_unit_test(test_encode_limits),
		cmocka_unit_test(test_drops),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
