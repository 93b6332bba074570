/*
 * bench_prom.c: the cost of rendering /metrics and /v1/status from a
 * snapshot of 255 VHIDs, two addresses each (the snapshot copy itself,
 * taken on the event loop, is not included).
 *
 * Usage: bench_prom [iterations]   (default 2000)
 * Prints "RESULT impl=carpd metric=NAME value=V" lines: ns per render and
 * the size of one exposition; /v1/status one-line (what it serves) and
 * indented (?pretty).
 */
#include <sys/types.h>
#include <sys/socket.h>

#include <arpa/inet.h>

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <jansson.h>

#include "exporters/prom.h"
#include "exporters/status.h"

#define BENCH_NVHIDS	255

static uint64_t	bench_now_ns(void);
static void	bench_status(const struct snap *, long, size_t, const char *);

static uint64_t
bench_now_ns(void)
{
	struct timespec	 ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

/* json_dumps() of the status document with these flags, n times. */
static void
bench_status(const struct snap *s, long n, size_t flags, const char *name)
{
	json_t		*doc;
	char		*text;
	uint64_t	 t0, t1;
	size_t		 len = 0;
	long		 i;

	t0 = bench_now_ns();
	for (i = 0; i < n; i++) {
		doc = status_json(s);
		text = json_dumps(doc, flags);
		len = strlen(text);
		free(text);
		json_decref(doc);
	}
	t1 = bench_now_ns();
	printf("RESULT impl=carpd metric=%s_255_vhids_ns value=%.0f\n", name,
	    (double)(t1 - t0) / (double)n);
	printf("RESULT impl=carpd metric=%s_255_vhids_bytes value=%zu\n",
	    name, len);
}

int
main(int argc, char *argv[])
{
	static struct snap_vhid	 vh[BENCH_NVHIDS];
	struct snap		 s;
	struct prom_buf		 b;
	uint64_t		 t0, t1;
	long			 i, n = argc > 1 ? atol(argv[1]) : 2000;
	int			 k;

	if (n <= 0)
		n = 2000;
	memset(&s, 0, sizeof(s));
	s.version = CARPD_VERSION;
	s.vhids = vh;
	s.nvhids = BENCH_NVHIDS;
	for (k = 0; k < BENCH_NVHIDS; k++) {
		vh[k].info.conf.vhid = (uint8_t)(k + 1);
		snprintf(vh[k].info.conf.ifname, IF_NAMESIZE, "eth%d", k % 4);
		vh[k].info.conf.advbase = 1;
		vh[k].info.conf.advskew = (uint8_t)k;
		vh[k].info.conf.naddrs = 2;
		vh[k].info.conf.addrs[0].family = AF_INET;
		vh[k].info.conf.addrs[0].prefixlen = 24;
		vh[k].info.conf.addrs[0].a.v4.s_addr = htonl(0xc0000200U + k);
		vh[k].info.conf.addrs[1].family = AF_INET6;
		vh[k].info.conf.addrs[1].prefixlen = 64;
		inet_pton(AF_INET6, "2001:db8::1",
		    &vh[k].info.conf.addrs[1].a.v6);
		vh[k].info.state = k % 2 ? CARP_ST_MASTER : CARP_ST_BACKUP;
		vh[k].info.adverts_sent = 123456789ULL * (uint64_t)k;
		vh[k].info.adverts_received = 987654321ULL;
		vh[k].info.transitions[CARP_ST_MASTER] = (uint64_t)k;
		vh[k].info.last_change_mono_us = 1;
		vh[k].info.last_change_wall_us = 1700000000000000 + k;
	}

	memset(&b, 0, sizeof(b));
	t0 = bench_now_ns();
	for (i = 0; i < n; i++) {
		b.len = 0;
		prom_render(&s, &b);
	}
	t1 = bench_now_ns();
	printf("RESULT impl=carpd metric=prom_render_255_vhids_ns value=%.0f\n",
	    (double)(t1 - t0) / (double)n);
	printf("RESULT impl=carpd metric=prom_render_255_vhids_bytes "
	    "value=%zu\n", b.len);
	prom_buf_free(&b);

	bench_status(&s, n / 4 + 1, JSON_COMPACT, "status_json");
	bench_status(&s, n / 4 + 1, JSON_INDENT(2), "status_json_pretty");
	return 0;
}
