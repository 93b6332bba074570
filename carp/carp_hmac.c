/*
 * carp_hmac.c: CARP's HMAC-SHA1, exactly as FreeBSD's carp_hmac_prepare()
 * and carp_hmac_generate() compute it.
 *
 * key     = the password's first 19 bytes (standard HMAC zero-pads it);
 * message = 02 01 vhid, the IPv4 addresses ascending, the IPv6 addresses
 *           in memcmp order with link-local scope bytes zeroed (each list
 *           de-duplicated), then the 8 counter bytes as sent.
 *
 * Everything but the counter is hashed once, when the key or the address
 * list changes; each packet then costs two SHA-1 finalisations over copies
 * of the saved states.
 */
#include <sys/types.h>
#include <sys/socket.h>

#include <stdlib.h>
#include <string.h>

#include "carp/carp_impl.h"

#define SHA1_BLOCK	64

static int	carp_hmac_sortcmp(const void *, const void *);
static void	carp_hmac_scope(struct in6_addr *);

/* Allocate an HMAC state (for tests and tools; VHIDs embed theirs). */
struct carp_hmac *
carp_hmac_new(void)
{
	return calloc(1, sizeof(struct carp_hmac));
}

/* Free an HMAC state. */
void
carp_hmac_free(struct carp_hmac *h)
{
	if (h != NULL) {
		explicit_bzero(h, sizeof(*h));
		free(h);
	}
}

/* Sort helper: carp_addr_cmp on struct carp_addr. */
static int
carp_hmac_sortcmp(const void *a, const void *b)
{
	return carp_addr_cmp(a, b);
}

/*
 * Zero the KAME embedded scope bytes of scoped IPv6 addresses
 * (IN6_IS_SCOPE_EMBED: link-local unicast, interface- and link-local
 * multicast), so the address is hashed as it appears on the wire.
 */
static void
carp_hmac_scope(struct in6_addr *in6)
{
	if (IN6_IS_ADDR_LINKLOCAL(in6) || IN6_IS_ADDR_MC_LINKLOCAL(in6) ||
	    IN6_IS_ADDR_MC_NODELOCAL(in6)) {
		in6->s6_addr[2] = 0;
		in6->s6_addr[3] = 0;
	}
}

/*
 * Write the message bytes that precede the counter into out (at most
 * outlen) and return the length the whole message part needs.
 */
size_t
carp_hmac_message(uint8_t vhid, const struct carp_addr *addrs, size_t naddrs,
    uint8_t *out, size_t outlen)
{
	struct carp_addr	 sorted[CARP_MAX_ADDRS];
	size_t			 i, n = 0, len = 0, alen;
	uint8_t			 hdr[3] = { CARP_VERSION, CARP_ADVERTISEMENT, 0 };

	hdr[2] = vhid;
	for (i = 0; i < naddrs && n < CARP_MAX_ADDRS; i++) {
		if (addrs[i].family != AF_INET && addrs[i].family != AF_INET6)
			continue;
		sorted[n] = addrs[i];
		sorted[n].prefixlen = 0;
		if (sorted[n].family == AF_INET6)
			carp_hmac_scope(&sorted[n].a.v6);
		n++;
	}
	qsort(sorted, n, sizeof(sorted[0]), carp_hmac_sortcmp);

	for (i = 0; i < sizeof(hdr); i++, len++)
		if (len < outlen)
			out[len] = hdr[i];
	for (i = 0; i < n; i++) {
		if (i > 0 && carp_addr_cmp(&sorted[i - 1], &sorted[i]) == 0)
			continue;	/* hashed once, as FreeBSD's scan does */
		alen = sorted[i].family == AF_INET ? 4 : 16;
		if (len + alen <= outlen)
			memcpy(out + len, &sorted[i].a, alen);
		len += alen;
	}
	return len;
}

/* Precompute the inner and outer states for a key and an address list. */
void
carp_hmac_prepare(struct carp_hmac *h, const uint8_t *key, size_t keylen,
    uint8_t vhid, const struct carp_addr *addrs, size_t naddrs)
{
	uint8_t		 pad[SHA1_BLOCK];
	uint8_t		 msg[3 + CARP_MAX_ADDRS * 16];
	size_t		 i, len;

	if (keylen > CARP_KEY_MAX)
		keylen = CARP_KEY_MAX;	/* as ifconfig's strlcpy */

	memset(pad, 0, sizeof(pad));
	if (keylen > 0)
		memcpy(pad, key, keylen);
	for (i = 0; i < sizeof(pad); i++)
		pad[i] ^= 0x36;
	SHA1_Init(&h->inner);
	SHA1_Update(&h->inner, pad, sizeof(pad));
	len = carp_hmac_message(vhid, addrs, naddrs, msg, sizeof(msg));
	SHA1_Update(&h->inner, msg, len);

	for (i = 0; i < sizeof(pad); i++)
		pad[i] ^= 0x36 ^ 0x5c;
	SHA1_Init(&h->outer);
	SHA1_Update(&h->outer, pad, sizeof(pad));
	explicit_bzero(pad, sizeof(pad));
}

/* Finish the HMAC for one counter value. */
void
carp_hmac_digest(const struct carp_hmac *h, const uint8_t counter[8],
    uint8_t md[CARP_DIGEST_LEN])
{
	SHA_CTX		 ctx;
	uint8_t		 inner[SHA_DIGEST_LENGTH];

	ctx = h->inner;
	SHA1_Update(&ctx, counter, 8);
	SHA1_Final(inner, &ctx);
	ctx = h->outer;
	SHA1_Update(&ctx, inner, sizeof(inner));
	SHA1_Final(md, &ctx);
}
