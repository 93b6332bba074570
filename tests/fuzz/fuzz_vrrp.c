/*
 * fuzz_vrrp.c: random bytes into the VRRPv3 codec (carp/vrrp_pkt.c).  The
 * first byte picks the family, then come the source and destination
 * addresses, then the message.  Nothing may read out of bounds, and every
 * accepted message in canonical form (type 1, reserved bits 0, no trailing
 * bytes) must be rebuilt byte for byte from its decoded fields.
 */
#include <sys/types.h>
#include <sys/socket.h>

#include <assert.h>
#include <stdint.h>
#include <string.h>

#include "carp/carp.h"

int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	struct carp_addr	 src, dst, addrs[255];
	struct vrrp_hdr		 h;
	uint8_t			 again[8 + 255 * 16];
	size_t			 alen, n, out;
	int			 af;

	if (len < 1)
		return 0;
	af = data[0] & 1 ? AF_INET6 : AF_INET;
	alen = af == AF_INET ? 4 : 16;
	data++;
	len--;
	if (len < 2 * alen)
		return 0;
	memset(&src, 0, sizeof(src));
	memset(&dst, 0, sizeof(dst));
	src.family = dst.family = (sa_family_t)af;
	memcpy(&src.a, data, alen);
	memcpy(&dst.a, data + alen, alen);
	data += 2 * alen;
	len -= 2 * alen;

	if (vrrp_pkt_decode(data, len, &h) != CARP_DROP_NONE)
		return 0;
	assert(h.version == VRRP_VERSION && h.interval <= VRRP_MAX_INTERVAL);
	if (vrrp_pkt_verify(&src, &dst, data, &h) != CARP_DROP_NONE)
		return 0;
	for (n = 0; n < h.naddrs; n++)
		assert(vrrp_pkt_addr(&h, af, n, &addrs[n]) == 0);
	assert(vrrp_pkt_addr(&h, af, n, &addrs[0]) == -1);
	if (h.type != VRRP_TYPE_ADVERT || (data[4] & 0xf0) != 0 ||
	    h.interval == 0 || len != VRRP_HDR_LEN + n * alen)
		return 0;
	out = vrrp_pkt_encode(&src, &dst, h.vrid, h.prio, h.interval, addrs,
	    n, again, sizeof(again));
	assert(out == len && memcmp(again, data, len) == 0);
	return 0;
}
