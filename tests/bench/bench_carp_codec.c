/*
 * bench_carp_codec.c: the per-packet cost of the codec.
 *
 *   build:  counter++, HMAC-SHA1 from the precomputed states, checksum
 *   parse:  length, version, checksum, decode, constant-time HMAC verify
 *   input:  carp_input() of a valid advert into a node, state machine
 *           included (a BACKUP re-arming its master-down timer)
 *
 * Usage: bench_carp_codec [iterations]   (default 2000000)
 * Prints one "RESULT impl=carpd metric=NAME_ns value=NS" line per case.
 */
#include <sys/types.h>
#include <sys/socket.h>
#include <arpa/inet.h>

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "carp/carp.h"

static uint64_t
now_ns(void)
{
	struct timespec	 ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

static int
emit(void *arg, const struct carp_action *a)
{
	(void)arg;
	(void)a;
	return 0;
}

static uint64_t
rnd(void *arg)
{
	(void)arg;
	return 42;
}

int
main(int argc, char *argv[])
{
	static const struct carp_host host = { emit, rnd, NULL };
	struct carp_node_conf	 nc;
	struct carp_vhid_conf	 c;
	struct carp_node	*n;
	struct carp_hmac	*h;
	struct carp_hdr		 hd;
	struct carp_rx		 rx;
	struct carp_time	 t = { 1, 1 };
	uint8_t			 pkt[CARP_HDR_LEN];
	uint64_t		 iters = 2000000, i, t0, t1, sink = 0;

	if (argc > 1)
		iters = strtoull(argv[1], NULL, 10);
	if (iters == 0)
		iters = 1;

	memset(&c, 0, sizeof(c));
	c.vhid = 1;
	c.ifindex = 2;
	c.advbase = 1;
	c.advskew = 100;
	memcpy(c.key, "test123", 7);
	c.keylen = 7;
	c.naddrs = 1;
	c.addrs[0].family = AF_INET;
	inet_pton(AF_INET, "192.0.2.111", &c.addrs[0].a.v4);
	h = carp_hmac_new();
	carp_hmac_prepare(h, c.key, c.keylen, c.vhid, c.addrs, c.naddrs);

	t0 = now_ns();
	for (i = 0; i < iters; i++) {
		carp_pkt_encode(h, 1, 1, 0, i, pkt);
		sink += pkt[20];
	}
	t1 = now_ns();
	printf("RESULT impl=carpd metric=build_hmac_ns value=%.1f\n", (double)(t1 - t0) / iters);

	t0 = now_ns();
	for (i = 0; i < iters; i++) {
		if (carp_pkt_decode(pkt, sizeof(pkt), &hd) == CARP_DROP_NONE &&
		    carp_pkt_verify(h, &hd) == 0)
			sink++;
	}
	t1 = now_ns();
	printf("RESULT impl=carpd metric=parse_verify_ns value=%.1f\n", (double)(t1 - t0) / iters);

	carp_node_conf_default(&nc);
	n = carp_node_new(&nc, &host);
	carp_vhid_add(n, &c, true, NULL, t);
	carp_pkt_encode(h, 1, 1, 0, 7, pkt);
	memset(&rx, 0, sizeof(rx));
	rx.data = pkt;
	rx.len = sizeof(pkt);
	rx.src.family = AF_INET;
	inet_pton(AF_INET, "192.0.2.61", &rx.src.a.v4);
	rx.ttl = 255;
	rx.ifindex = 2;
	t0 = now_ns();
	for (i = 0; i < iters; i++) {
		t.mono_us += 1000;
		if (carp_input(n, &rx, t) == CARP_DROP_NONE)
			sink++;
	}
	t1 = now_ns();
	printf("RESULT impl=carpd metric=carp_input_ns value=%.1f\n", (double)(t1 - t0) / iters);

	carp_node_free(n);
	carp_hmac_free(h);
	return sink == 0;	/* keep the loops */
}
