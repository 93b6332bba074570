/*
 * vrrp_pkt.c: the VRRPv3 advertisement codec (RFC 5798 section 5), as
 * FreeBSD's carp(4) sends and checks it in VRRP mode (ip_carp.c
 * vrrp_send_ad_locked, vrrp_input_c) and keepalived 2.2.7 does.
 *
 * struct vrrpv3_header on the wire (network byte order):
 *
 *   0  version << 4 | type       (0x31)
 *   1  VRID
 *   2  priority                  255 owner, 0 master resigning
 *   3  count of addresses
 *   4  4 reserved bits (sent 0, ignored) and a 12-bit interval, in
 *      centiseconds
 *   6  checksum                  RFC 1071 over a pseudo-header and the
 *                                message, for IPv4 as for IPv6
 *   8  the addresses, 4 or 16 bytes each, of the packet's family
 *
 * The checks are split in two so that the engine can run them in
 * FreeBSD's order: vrrp_pkt_decode() does length and version, the engine
 * looks the VHID up and checks the TTL, then vrrp_pkt_verify() does the
 * checksum and the completeness of the address list (docs/protocol.md,
 * decision 17).
 */
#include <sys/types.h>
#include <sys/socket.h>

#include <string.h>

#include "carp/carp_impl.h"

#define VRRP_OFF_VT		0
#define VRRP_OFF_VRID		1
#define VRRP_OFF_PRIO		2
#define VRRP_OFF_COUNT		3
#define VRRP_OFF_INTERVAL	4
#define VRRP_OFF_CKSUM		6
#define VRRP_OFF_ADDRS		8

static uint32_t	vrrp_sum(uint32_t, const uint8_t *, size_t);
static size_t	vrrp_alen(int);

/* Add len bytes (len even, except for the last call) to a running sum. */
static uint32_t
vrrp_sum(uint32_t sum, const uint8_t *p, size_t len)
{
	size_t	 i;

	for (i = 0; i + 1 < len; i += 2)
		sum += (uint32_t)p[i] << 8 | p[i + 1];
	if (len & 1)
		sum += (uint32_t)p[len - 1] << 8;
	return sum;
}

/* The size of one address of a family, 0 for none. */
static size_t
vrrp_alen(int family)
{
	if (family == AF_INET)
		return sizeof(struct in_addr);
	if (family == AF_INET6)
		return sizeof(struct in6_addr);
	return 0;
}

/*
 * The checksum of len bytes of message p sent from src to dst: RFC 1071
 * over the pseudo-header (IPv4: source, destination, 0, 112, 16-bit
 * length; IPv6: source, destination, 32-bit length, 0, 0, 0, 112) and
 * the message.  Over a message whose checksum field holds the right
 * value it is 0.  src and dst must be of one family.
 */
uint16_t
vrrp_cksum(const struct carp_addr *src, const struct carp_addr *dst,
    const uint8_t *p, size_t len)
{
	uint8_t		 tail[8];
	uint32_t	 sum = 0;
	size_t		 alen = vrrp_alen(src->family);

	sum = vrrp_sum(sum, (const uint8_t *)&src->a, alen);
	sum = vrrp_sum(sum, (const uint8_t *)&dst->a, alen);
	if (src->family == AF_INET) {
		tail[0] = 0;
		tail[1] = CARP_PROTO;
		tail[2] = (uint8_t)(len >> 8);
		tail[3] = (uint8_t)len;
		sum = vrrp_sum(sum, tail, 4);
	} else {
		tail[0] = (uint8_t)(len >> 24);
		tail[1] = (uint8_t)(len >> 16);
		tail[2] = (uint8_t)(len >> 8);
		tail[3] = (uint8_t)len;
		tail[4] = tail[5] = tail[6] = 0;
		tail[7] = CARP_PROTO;
		sum = vrrp_sum(sum, tail, 8);
	}
	sum = vrrp_sum(sum, p, len);
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

/*
 * Decode the fixed part after FreeBSD's first two checks: at least the
 * 8-byte header, and version 3.  The type is decoded, not checked, as in
 * FreeBSD.  h->addrs points into p.
 */
enum carp_drop
vrrp_pkt_decode(const uint8_t *p, size_t len, struct vrrp_hdr *h)
{
	if (len < VRRP_HDR_LEN)
		return CARP_DROP_BADLEN;
	if (p[VRRP_OFF_VT] >> 4 != VRRP_VERSION)
		return CARP_DROP_BADVER;
	h->version = p[VRRP_OFF_VT] >> 4;
	h->type = p[VRRP_OFF_VT] & 0x0f;
	h->vrid = p[VRRP_OFF_VRID];
	h->prio = p[VRRP_OFF_PRIO];
	h->naddrs = p[VRRP_OFF_COUNT];
	h->interval = (uint16_t)((p[VRRP_OFF_INTERVAL] & 0x0f) << 8 |
	    p[VRRP_OFF_INTERVAL + 1]);
	h->cksum = (uint16_t)(p[VRRP_OFF_CKSUM] << 8 | p[VRRP_OFF_CKSUM + 1]);
	h->addrs = p + VRRP_OFF_ADDRS;
	h->len = len;
	return CARP_DROP_NONE;
}

/*
 * The checksum, with the pseudo-header of src and dst, then the
 * completeness RFC 5798 section 7.1 asks for: the count of addresses of
 * src's family fits in the packet (FreeBSD reads none of them and does
 * not check; carpd would, to compare the lists).
 */
enum carp_drop
vrrp_pkt_verify(const struct carp_addr *src, const struct carp_addr *dst,
    const uint8_t *p, const struct vrrp_hdr *h)
{
	size_t	 alen = vrrp_alen(src->family);

	if (alen == 0 || dst->family != src->family)
		return CARP_DROP_BADSUM;
	if (vrrp_cksum(src, dst, p, h->len) != 0)
		return CARP_DROP_BADSUM;
	if (h->len < VRRP_HDR_LEN + (size_t)h->naddrs * alen)
		return CARP_DROP_BADLEN;
	return CARP_DROP_NONE;
}

/* The i-th address of a verified packet from a family-af source. */
int
vrrp_pkt_addr(const struct vrrp_hdr *h, int af, size_t i,
    struct carp_addr *out)
{
	size_t	 alen = vrrp_alen(af);

	if (alen == 0 || i >= h->naddrs ||
	    VRRP_HDR_LEN + (i + 1) * alen > h->len)
		return -1;
	memset(out, 0, sizeof(*out));
	out->family = (sa_family_t)af;
	out->prefixlen = (uint8_t)(alen * 8);
	memcpy(&out->a, h->addrs + i * alen, alen);
	return 0;
}

/*
 * Build an advertisement from src to dst: the addresses of src's family
 * among addrs, in the order given (FreeBSD sends them in attach order,
 * unsorted), then the checksum.  Returns its length, or 0 if it does not
 * fit in outlen, the interval is 0 or above 4095 centiseconds, or there
 * are more than 255 such addresses.
 */
size_t
vrrp_pkt_encode(const struct carp_addr *src, const struct carp_addr *dst,
    uint8_t vrid, uint8_t prio, uint16_t interval_cs,
    const struct carp_addr *addrs, size_t naddrs, uint8_t *out,
    size_t outlen)
{
	size_t		 alen = vrrp_alen(src->family), n = 0, len, i;
	uint16_t	 sum;

	if (alen == 0 || dst->family != src->family || interval_cs == 0 ||
	    interval_cs > VRRP_MAX_INTERVAL)
		return 0;
	for (i = 0; i < naddrs; i++)
		if (addrs[i].family == src->family)
			n++;
	len = VRRP_HDR_LEN + n * alen;
	if (n > 255 || len > outlen)
		return 0;
	out[VRRP_OFF_VT] = VRRP_VERSION << 4 | VRRP_TYPE_ADVERT;
	out[VRRP_OFF_VRID] = vrid;
	out[VRRP_OFF_PRIO] = prio;
	out[VRRP_OFF_COUNT] = (uint8_t)n;
	out[VRRP_OFF_INTERVAL] = (uint8_t)(interval_cs >> 8);
	out[VRRP_OFF_INTERVAL + 1] = (uint8_t)interval_cs;
	out[VRRP_OFF_CKSUM] = 0;
	out[VRRP_OFF_CKSUM + 1] = 0;
	for (i = 0, n = 0; i < naddrs; i++) {
		if (addrs[i].family != src->family)
			continue;
		memcpy(out + VRRP_OFF_ADDRS + n * alen, &addrs[i].a, alen);
		n++;
	}
	sum = vrrp_cksum(src, dst, out, len);
	out[VRRP_OFF_CKSUM] = (uint8_t)(sum >> 8);
	out[VRRP_OFF_CKSUM + 1] = (uint8_t)sum;
	return len;
}

/*
 * Store the checksum of an encoded advert for the source it leaves from:
 * the field is cleared and summed again with src and dst's pseudo-header.
 * The engine encodes before it knows the source (the host picks it, as
 * FreeBSD's carp_best_ifa does), so every VRRPv3 SEND action goes through
 * this before the wire.
 */
int
vrrp_pkt_finalize(uint8_t *p, size_t len, const struct carp_addr *src,
    const struct carp_addr *dst)
{
	uint16_t	 sum;

	if (len < VRRP_HDR_LEN || vrrp_alen(src->family) == 0 ||
	    dst->family != src->family)
		return -1;
	p[VRRP_OFF_CKSUM] = 0;
	p[VRRP_OFF_CKSUM + 1] = 0;
	sum = vrrp_cksum(src, dst, p, len);
	p[VRRP_OFF_CKSUM] = (uint8_t)(sum >> 8);
	p[VRRP_OFF_CKSUM + 1] = (uint8_t)sum;
	return 0;
}
