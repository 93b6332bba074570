/*
 * vrrptool.c: carpd's VRRPv3 codec (carp/vrrp_pkt.c) on adverts captured
 * from another implementation.  Built by 036-vrrp-keepalived.sh; not part
 * of carpd.
 *
 *   vrrptool SRC DST HEX
 *
 * decodes and verifies the VRRP message HEX sent from SRC to DST, builds
 * it again from the decoded fields, and prints one line:
 *
 *   ok vrid=N prio=N interval=CS addrs=A,B same=yes|no
 *
 * or "drop=REASON" (exit 1) when carpd's codec refuses it.
 */
#include <sys/types.h>
#include <sys/socket.h>
#include <arpa/inet.h>

#include <stdio.h>
#include <string.h>

#include "carp/carp.h"

static int
parse_addr(const char *s, struct carp_addr *a)
{
	memset(a, 0, sizeof(*a));
	if (inet_pton(AF_INET, s, &a->a.v4) == 1) {
		a->family = AF_INET;
		return 0;
	}
	if (inet_pton(AF_INET6, s, &a->a.v6) == 1) {
		a->family = AF_INET6;
		return 0;
	}
	return -1;
}

int
main(int argc, char *argv[])
{
	static const char *const why[] = { "none", "disabled", "badlen",
	    "badver", "badsum", "badif", "badvhid", "badttl", "badauth" };
	struct carp_addr	 src, dst, addrs[255];
	struct vrrp_hdr		 h;
	enum carp_drop		 d;
	uint8_t			 p[4096], again[4096];
	char			 buf[INET6_ADDRSTRLEN];
	size_t			 len, n, i;
	unsigned int		 b;

	if (argc != 4 || parse_addr(argv[1], &src) == -1 ||
	    parse_addr(argv[2], &dst) == -1 || strlen(argv[3]) % 2 != 0 ||
	    strlen(argv[3]) / 2 > sizeof(p)) {
		fprintf(stderr, "usage: vrrptool SRC DST HEX\n");
		return 2;
	}
	len = strlen(argv[3]) / 2;
	for (i = 0; i < len; i++) {
		if (sscanf(argv[3] + 2 * i, "%2x", &b) != 1) {
			fprintf(stderr, "vrrptool: bad hex\n");
			return 2;
		}
		p[i] = (uint8_t)b;
	}
	if ((d = vrrp_pkt_decode(p, len, &h)) == CARP_DROP_NONE)
		d = vrrp_pkt_verify(&src, &dst, p, &h);
	if (d != CARP_DROP_NONE) {
		printf("drop=%s\n", (size_t)d < sizeof(why) / sizeof(why[0]) ?
		    why[d] : "?");
		return 1;
	}
	printf("ok vrid=%u prio=%u interval=%u addrs=", h.vrid, h.prio,
	    h.interval);
	for (n = 0; n < h.naddrs; n++) {
		if (vrrp_pkt_addr(&h, src.family, n, &addrs[n]) == -1)
			return 1;
		inet_ntop(src.family, &addrs[n].a, buf, sizeof(buf));
		printf("%s%s", n > 0 ? "," : "", buf);
	}
	/* Built again from the fields: the same bytes, or not. */
	i = vrrp_pkt_encode(&src, &dst, h.vrid, h.prio, h.interval, addrs, n,
	    again, sizeof(again));
	printf(" same=%s\n", i == len && memcmp(again, p, len) == 0 ?
	    "yes" : "no");
	return 0;
}
