/*
 * test_carp_pkt.c: the codec and HMAC against FreeBSD's vectors
 * (../shared/carp/vectors.json, or the copy beside this file), and every
 * drop the codec itself decides.
 */
#include <sys/types.h>
#include <sys/socket.h>
#include <arpa/inet.h>

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <jansson.h>
#include <openssl/hmac.h>

#include "carp/carp.h"

static json_t	*vectors;

static size_t	unhex(const char *, uint8_t *, size_t);
static size_t	vec_addrs(json_t *, struct carp_addr *);
static struct carp_hmac *vec_hmac(json_t *);
static int	setup(void **);
static int	teardown(void **);

/* Decode a hex string; fails the test on bad input. */
static size_t
unhex(const char *s, uint8_t *out, size_t outlen)
{
	size_t	 n = strlen(s) / 2, i;
	unsigned int b;

	assert_true(strlen(s) % 2 == 0 && n <= outlen);
	for (i = 0; i < n; i++) {
		assert_int_equal(sscanf(s + 2 * i, "%2x", &b), 1);
		out[i] = (uint8_t)b;
	}
	return n;
}

/* A vector's addresses, IPv4 then IPv6, in the order given. */
static size_t
vec_addrs(json_t *v, struct carp_addr *a)
{
	size_t	 n = 0, i;
	json_t	*x;

	json_array_foreach(json_object_get(v, "ipv4"), i, x) {
		memset(&a[n], 0, sizeof(a[n]));
		a[n].family = AF_INET;
		assert_int_equal(inet_pton(AF_INET, json_string_value(x),
		    &a[n].a.v4), 1);
		n++;
	}
	json_array_foreach(json_object_get(v, "ipv6"), i, x) {
		memset(&a[n], 0, sizeof(a[n]));
		a[n].family = AF_INET6;
		assert_int_equal(inet_pton(AF_INET6, json_string_value(x),
		    &a[n].a.v6), 1);
		n++;
	}
	return n;
}

/* The HMAC state for a vector's password, vhid and addresses. */
static struct carp_hmac *
vec_hmac(json_t *v)
{
	struct carp_addr	 a[CARP_MAX_ADDRS];
	struct carp_hmac	*h;
	const char		*pw = json_string_value(json_object_get(v,
				    "password"));
	size_t			 n = vec_addrs(v, a);

	assert_non_null(h = carp_hmac_new());
	carp_hmac_prepare(h, (const uint8_t *)pw, strlen(pw),
	    (uint8_t)json_integer_value(json_object_get(v, "vhid")), a, n);
	return h;
}

static int
setup(void **state)
{
	json_error_t	 err;
	const char	*path = getenv("CARP_VECTORS");

	(void)state;
	if (path == NULL)
		path = "../shared/carp/vectors.json";
	if ((vectors = json_load_file(path, 0, &err)) == NULL)
		vectors = json_load_file("tests/unit/vectors.json", 0, &err);
	if (vectors == NULL) {
		fprintf(stderr, "vectors: %s\n", err.text);
		return -1;
	}
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	json_decref(vectors);
	return 0;
}

/* The message before the counter, byte for byte, for every vector. */
static void
test_vectors_message(void **state)
{
	struct carp_addr	 a[CARP_MAX_ADDRS];
	uint8_t			 want[1024], got[1024];
	size_t			 i, n, wl, gl;
	json_t			*v;

	(void)state;
	assert_true(json_array_size(json_object_get(vectors, "vectors")) >= 7);
	json_array_foreach(json_object_get(vectors, "vectors"), i, v) {
		n = vec_addrs(v, a);
		wl = unhex(json_string_value(json_object_get(v,
		    "hmac_message")), want, sizeof(want));
		gl = carp_hmac_message((uint8_t)json_integer_value(
		    json_object_get(v, "vhid")), a, n, got, sizeof(got));
		assert_int_equal(gl + 8, wl);	/* the counter follows */
		assert_memory_equal(got, want, gl);
	}
}

/* Build: the digest and the whole 36 bytes of every vector. */
static void
test_vectors_build(void **state)
{
	uint8_t			 want[CARP_HDR_LEN], md[CARP_DIGEST_LEN];
	uint8_t			 got[CARP_HDR_LEN], ctr[8];
	struct carp_hmac	*h;
	uint64_t		 counter;
	size_t			 i;
	json_t			*v;

	(void)state;
	json_array_foreach(json_object_get(vectors, "vectors"), i, v) {
		h = vec_hmac(v);
		unhex(json_string_value(json_object_get(v, "counter")), ctr, 8);
		carp_hmac_digest(h, ctr, md);
		unhex(json_string_value(json_object_get(v, "hmac")), want,
		    CARP_DIGEST_LEN);
		assert_memory_equal(md, want, CARP_DIGEST_LEN);

		counter = strtoull(json_string_value(json_object_get(v,
		    "counter")), NULL, 16);
		carp_pkt_encode(h,
		    (uint8_t)json_integer_value(json_object_get(v, "vhid")),
		    (uint8_t)json_integer_value(json_object_get(v, "advbase")),
		    (uint8_t)json_integer_value(json_object_get(v, "advskew")),
		    counter, got);
		assert_int_equal(unhex(json_string_value(json_object_get(v,
		    "carp")), want, sizeof(want)), CARP_HDR_LEN);
		assert_memory_equal(got, want, CARP_HDR_LEN);
		assert_int_equal(carp_cksum(got, CARP_HDR_LEN), 0);
		carp_hmac_free(h);
	}
}

/* Parse and verify: every vector decodes to its inputs and verifies. */
static void
test_vectors_parse(void **state)
{
	uint8_t			 pkt[CARP_HDR_LEN];
	struct carp_hdr		 hd;
	struct carp_hmac	*h;
	size_t			 i;
	json_t			*v;

	(void)state;
	json_array_foreach(json_object_get(vectors, "vectors"), i, v) {
		h = vec_hmac(v);
		unhex(json_string_value(json_object_get(v, "carp")), pkt,
		    sizeof(pkt));
		assert_int_equal(carp_pkt_decode(pkt, sizeof(pkt), &hd),
		    CARP_DROP_NONE);
		assert_int_equal(hd.version, 2);
		assert_int_equal(hd.type, 1);
		assert_int_equal(hd.authlen, 7);
		assert_int_equal(hd.vhid,
		    json_integer_value(json_object_get(v, "vhid")));
		assert_int_equal(hd.advbase,
		    json_integer_value(json_object_get(v, "advbase")));
		assert_int_equal(hd.advskew,
		    json_integer_value(json_object_get(v, "advskew")));
		assert_true(hd.counter == strtoull(json_string_value(
		    json_object_get(v, "counter")), NULL, 16));
		assert_int_equal(carp_pkt_verify(h, &hd), 0);

		/* One flipped digest bit fails verification. */
		hd.md[19] ^= 1;
		assert_int_equal(carp_pkt_verify(h, &hd), -1);
		carp_hmac_free(h);
	}
}

/* A wrong password or a different address list fails the HMAC. */
static void
test_hmac_mismatch(void **state)
{
	struct carp_addr	 a[2];
	struct carp_hmac	*good, *bad;
	uint8_t			 pkt[CARP_HDR_LEN];
	struct carp_hdr		 hd;

	(void)state;
	memset(a, 0, sizeof(a));
	a[0].family = a[1].family = AF_INET;
	inet_pton(AF_INET, "192.0.2.111", &a[0].a.v4);
	inet_pton(AF_INET, "192.0.2.112", &a[1].a.v4);
	good = carp_hmac_new();
	bad = carp_hmac_new();
	carp_hmac_prepare(good, (const uint8_t *)"test123", 7, 1, a, 1);
	carp_pkt_encode(good, 1, 1, 0, 42, pkt);
	assert_int_equal(carp_pkt_decode(pkt, sizeof(pkt), &hd), 0);

	carp_hmac_prepare(bad, (const uint8_t *)"test124", 7, 1, a, 1);
	assert_int_equal(carp_pkt_verify(bad, &hd), -1);
	carp_hmac_prepare(bad, (const uint8_t *)"test123", 7, 1, a, 2);
	assert_int_equal(carp_pkt_verify(bad, &hd), -1);
	carp_hmac_prepare(bad, (const uint8_t *)"test123", 7, 2, a, 1);
	assert_int_equal(carp_pkt_verify(bad, &hd), -1);
	/* Duplicates are hashed once: {a, a} is the same list as {a}. */
	a[1] = a[0];
	carp_hmac_prepare(bad, (const uint8_t *)"test123", 7, 1, a, 2);
	assert_int_equal(carp_pkt_verify(bad, &hd), 0);
	carp_hmac_free(good);
	carp_hmac_free(bad);
}

/* The link-local scope bytes do not reach the HMAC. */
static void
test_hmac_scope_zeroed(void **state)
{
	struct carp_addr	 a;
	uint8_t			 m[64];
	size_t			 n;

	(void)state;
	memset(&a, 0, sizeof(a));
	a.family = AF_INET6;
	inet_pton(AF_INET6, "fe80:5::1", &a.a.v6);	/* KAME-embedded 5 */
	n = carp_hmac_message(3, &a, 1, m, sizeof(m));
	assert_int_equal(n, 3 + 16);
	assert_int_equal(m[3], 0xfe);
	assert_int_equal(m[4], 0x80);
	assert_int_equal(m[5], 0);
	assert_int_equal(m[6], 0);
}

/* Length, version and checksum drops, in that order. */
static void
test_decode_drops(void **state)
{
	struct carp_hmac	*h;
	struct carp_addr	 a;
	uint8_t			 pkt[CARP_HDR_LEN + 8], bad[CARP_HDR_LEN];
	struct carp_hdr		 hd;
	uint16_t		 sum;
	size_t			 len;

	(void)state;
	memset(&a, 0, sizeof(a));
	a.family = AF_INET;
	inet_pton(AF_INET, "192.0.2.111", &a.a.v4);
	h = carp_hmac_new();
	carp_hmac_prepare(h, (const uint8_t *)"pw", 2, 1, &a, 1);
	carp_pkt_encode(h, 1, 1, 0, 7, pkt);

	/* Truncated, empty and oversized payloads. */
	for (len = 0; len < CARP_HDR_LEN; len++)
		assert_int_equal(carp_pkt_decode(pkt, len, &hd),
		    CARP_DROP_BADLEN);
	memset(pkt + CARP_HDR_LEN, 0, 8);
	assert_int_equal(carp_pkt_decode(pkt, sizeof(pkt), &hd),
	    CARP_DROP_BADLEN);

	/* Version 3 (VRRPv3) and 1 are not CARP. */
	memcpy(bad, pkt, CARP_HDR_LEN);
	bad[0] = 0x31;
	bad[6] = bad[7] = 0;
	sum = carp_cksum(bad, CARP_HDR_LEN);
	bad[6] = sum >> 8;
	bad[7] = sum & 0xff;
	assert_int_equal(carp_pkt_decode(bad, CARP_HDR_LEN, &hd),
	    CARP_DROP_BADVER);
	bad[0] = 0x11;
	assert_int_equal(carp_pkt_decode(bad, CARP_HDR_LEN, &hd),
	    CARP_DROP_BADVER);

	/* Any changed byte breaks the checksum. */
	memcpy(bad, pkt, CARP_HDR_LEN);
	bad[20] ^= 0x40;
	assert_int_equal(carp_pkt_decode(bad, CARP_HDR_LEN, &hd),
	    CARP_DROP_BADSUM);

	/* Type, authlen and byte 4 are not checked, as in FreeBSD. */
	memcpy(bad, pkt, CARP_HDR_LEN);
	bad[0] = 0x2f;
	bad[3] = 9;
	bad[4] = 200;
	bad[6] = bad[7] = 0;
	sum = carp_cksum(bad, CARP_HDR_LEN);
	bad[6] = sum >> 8;
	bad[7] = sum & 0xff;
	assert_int_equal(carp_pkt_decode(bad, CARP_HDR_LEN, &hd),
	    CARP_DROP_NONE);
	assert_int_equal(hd.demote, 200);
	assert_int_equal(carp_pkt_verify(h, &hd), 0);
	carp_hmac_free(h);
}

/* RFC 1071 on odd lengths and a known value. */
static void
test_cksum(void **state)
{
	const uint8_t	 rfc[] = { 0x00, 0x01, 0xf2, 0x03, 0xf4, 0xf5, 0xf6,
			    0xf7 };
	const uint8_t	 odd[] = { 0x01 };

	(void)state;
	/* RFC 1071 section 3's example sums to 0xddf2. */
	assert_int_equal(carp_cksum(rfc, sizeof(rfc)), (uint16_t)~0xddf2);
	assert_int_equal(carp_cksum(odd, 1), (uint16_t)~0x0100);
	assert_int_equal(carp_cksum(NULL, 0), 0xffff);
}

/* A host for the engine that keeps the last advert it was given. */
static uint8_t	 sent[CARP_HDR_LEN];

static int
fake_emit(void *arg, const struct carp_action *a)
{
	(void)arg;
	if (a->type == CARP_ACT_SEND)
		memcpy(sent, a->a.send.pkt, CARP_HDR_LEN);
	return 0;
}

static uint64_t
fake_random(void *arg)
{
	(void)arg;
	return 0x1234;
}

/*
 * FreeBSD's carp_hmac_prepare, written out independently: repeated scans
 * for the smallest address above the last one hashed (so each address
 * once, in ascending order), IPv4 by numeric value, then IPv6 by memcmp
 * with the embedded scope bytes of link-local addresses zeroed.
 */
static size_t
freebsd_message(uint8_t vhid, const struct carp_addr *a, size_t n,
    uint8_t *out)
{
	struct in6_addr	 last6, cur6, in6;
	uint32_t	 last, cur, in;
	size_t		 len = 0, i;
	int		 found;

	out[len++] = 2;
	out[len++] = 1;
	out[len++] = vhid;
	cur = 0;
	do {
		found = 0;
		last = cur;
		cur = 0xffffffffU;
		for (i = 0; i < n; i++) {
			in = ntohl(a[i].a.v4.s_addr);
			if (a[i].family == AF_INET && in > last && in < cur) {
				cur = in;
				found = 1;
			}
		}
		if (found) {
			in = htonl(cur);
			memcpy(out + len, &in, 4);
			len += 4;
		}
	} while (found);
	memset(&cur6, 0, sizeof(cur6));
	do {
		found = 0;
		last6 = cur6;
		memset(&cur6, 0xff, sizeof(cur6));
		for (i = 0; i < n; i++) {
			if (a[i].family != AF_INET6)
				continue;
			in6 = a[i].a.v6;
			if (IN6_IS_ADDR_LINKLOCAL(&in6))
				in6.s6_addr[2] = in6.s6_addr[3] = 0;
			if (memcmp(&in6, &last6, 16) > 0 &&
			    memcmp(&in6, &cur6, 16) < 0) {
				cur6 = in6;
				found = 1;
			}
		}
		if (found) {
			memcpy(out + len, &cur6, 16);
			len += 16;
		}
	} while (found);
	return len;
}

/*
 * A VHID with far more than the old 32 addresses: unsorted, with
 * duplicates and a link-local one with scope bytes set.  The engine takes
 * it, and its adverts carry FreeBSD's HMAC over the sorted, de-duplicated
 * list; an advert built from the list in another order is accepted.
 */
static void
test_hmac_many_addresses(void **state)
{
	struct carp_vhid_conf	 c;
	struct carp_node_conf	 nc;
	struct carp_node	*n;
	struct carp_vhid	*vh;
	struct carp_host	 host = { fake_emit, fake_random, NULL };
	struct carp_hdr		 h;
	struct carp_rx		 rx;
	uint8_t			 msg[3 + CARP_MAX_ADDRS * 16 + 8];
	uint8_t			 md[EVP_MAX_MD_SIZE], pkt[CARP_HDR_LEN];
	struct carp_hmac	*hm;
	unsigned int		 mdlen;
	uint32_t		 x = 12345;
	size_t			 i, len;

	(void)state;
	assert_true(CARP_MAX_ADDRS >= 128);
	memset(&c, 0, sizeof(c));
	c.vhid = 9;
	c.ifindex = 2;
	strcpy(c.ifname, "eth0");
	c.advbase = 1;
	memcpy(c.key, "many", 4);
	c.keylen = 4;
	for (i = 0; i < 100; i++) {		/* IPv4, every 10th repeated */
		c.addrs[i].family = AF_INET;
		c.addrs[i].prefixlen = 32;
		x = x * 1103515245U + 12345U;
		c.addrs[i].a.v4.s_addr = i % 10 == 9 ?
		    c.addrs[i - 5].a.v4.s_addr :
		    htonl(0xc6120000U | (x >> 16));	/* 198.18.0.0/16 */
	}
	for (; i < 127; i++) {			/* IPv6, one repeated */
		c.addrs[i].family = AF_INET6;
		c.addrs[i].prefixlen = 64;
		x = x * 1103515245U + 12345U;
		inet_pton(AF_INET6, "2001:db8::", &c.addrs[i].a.v6);
		memcpy(&c.addrs[i].a.v6.s6_addr[12], &x, 4);
		if (i == 120)
			c.addrs[i] = c.addrs[110];
	}
	c.addrs[i].family = AF_INET6;
	inet_pton(AF_INET6, "fe80:1::7", &c.addrs[i].a.v6);
	c.naddrs = ++i;
	assert_int_equal(c.naddrs, 128);

	/* The message part: independent scan vs carp_hmac_message. */
	len = freebsd_message(c.vhid, c.addrs, c.naddrs, msg);
	assert_true(len > 3 + 32 * 4);
	assert_int_equal(carp_hmac_message(c.vhid, c.addrs, c.naddrs, NULL,
	    0), len);
	{
		uint8_t	 got[sizeof(msg)];

		assert_int_equal(carp_hmac_message(c.vhid, c.addrs, c.naddrs,
		    got, sizeof(got)), len);
		assert_memory_equal(got, msg, len);
	}

	/* The engine's first advert carries HMAC(key, message | counter). */
	carp_node_conf_default(&nc);
	assert_non_null(n = carp_node_new(&nc, &host));
	assert_non_null(vh = carp_vhid_add(n, &c, true, NULL,
	    (struct carp_time){ 0, 0 }));
	carp_vhid_timeout(vh, (struct carp_time){ 3000000, 0 });
	assert_int_equal(carp_vhid_state(vh), CARP_ST_MASTER);
	assert_int_equal(carp_pkt_decode(sent, CARP_HDR_LEN, &h),
	    CARP_DROP_NONE);
	for (i = 0; i < 8; i++)
		msg[len + i] = (uint8_t)(h.counter >> (56 - 8 * i));
	HMAC(EVP_sha1(), "many", 4, msg, len + 8, md, &mdlen);
	assert_int_equal(mdlen, CARP_DIGEST_LEN);
	assert_memory_equal(h.md, md, CARP_DIGEST_LEN);

	/* A peer that lists the same addresses backwards is accepted. */
	for (i = 0; i < c.naddrs / 2; i++) {
		struct carp_addr t = c.addrs[i];

		c.addrs[i] = c.addrs[c.naddrs - 1 - i];
		c.addrs[c.naddrs - 1 - i] = t;
	}
	assert_non_null(hm = carp_hmac_new());
	carp_hmac_prepare(hm, c.key, c.keylen, c.vhid, c.addrs, c.naddrs);
	carp_pkt_encode(hm, c.vhid, 1, 0, 42, pkt);
	carp_hmac_free(hm);
	memset(&rx, 0, sizeof(rx));
	rx.data = pkt;
	rx.len = sizeof(pkt);
	rx.src.family = rx.dst.family = AF_INET;
	inet_pton(AF_INET, "198.18.255.1", &rx.src.a.v4);
	inet_pton(AF_INET, "224.0.0.18", &rx.dst.a.v4);
	rx.ttl = 255;
	rx.ifindex = 2;
	assert_int_equal(carp_input(n, &rx, (struct carp_time){ 3500000, 0 }),
	    CARP_DROP_NONE);
	/* 1 + 0/256 s ties ours: the master steps down. */
	assert_int_equal(carp_vhid_state(vh), CARP_ST_BACKUP);
	carp_node_free(n);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_vectors_message),
		cmocka_unit_test(test_vectors_build),
		cmocka_unit_test(test_vectors_parse),
		cmocka_unit_test(test_hmac_mismatch),
		cmocka_unit_test(test_hmac_scope_zeroed),
		cmocka_unit_test(test_decode_drops),
		cmocka_unit_test(test_cksum),
		cmocka_unit_test(test_hmac_many_addresses),
	};

	return cmocka_run_group_tests_name("carp_pkt", tests, setup, teardown);
}
