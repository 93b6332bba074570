/*
 * carp_pkt.c: the advertisement codec.
 *
 * struct carp_header on the wire (36 bytes, network byte order):
 *
 *   0  version << 4 | type       (0x21)
 *   1  vhid
 *   2  advskew
 *   3  authlen                   (7: counter + digest in 32-bit words)
 *   4  pad (FreeBSD) / demote (OpenBSD): sent 0, ignored
 *   5  advbase
 *   6  checksum                  RFC 1071 over the 36 bytes, no pseudo-header
 *   8  counter                   64 bits, big-endian
 *  16  HMAC-SHA1 digest          20 bytes
 */
#include <sys/types.h>
#include <sys/socket.h>

#include <openssl/crypto.h>

#include <stdio.h>
#include <string.h>

#include "carp/carp_impl.h"

#define CARP_OFF_VT		0
#define CARP_OFF_VHID		1
#define CARP_OFF_ADVSKEW	2
#define CARP_OFF_AUTHLEN	3
#define CARP_OFF_PAD		4
#define CARP_OFF_ADVBASE	5
#define CARP_OFF_CKSUM		6
#define CARP_OFF_COUNTER	8
#define CARP_OFF_MD		16
#define CARP_AUTHLEN		7

/* The RFC 1071 Internet checksum of len bytes. */
uint16_t
carp_cksum(const uint8_t *p, size_t len)
{
	uint32_t	 sum = 0;
	size_t		 i;

	for (i = 0; i + 1 < len; i += 2)
		sum += (uint32_t)p[i] << 8 | p[i + 1];
	if (len & 1)
		sum += (uint32_t)p[len - 1] << 8;
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

/*
 * Decode an advertisement after the three checks that need no
 * configuration, in FreeBSD's order: length, version, checksum.  Type,
 * authlen and the pad byte are never checked, as in FreeBSD.
 */
enum carp_drop
carp_pkt_decode(const uint8_t *p, size_t len, struct carp_hdr *h)
{
	int	 i;

	if (len != CARP_HDR_LEN)
		return CARP_DROP_BADLEN;
	if (p[CARP_OFF_VT] >> 4 != CARP_VERSION)
		return CARP_DROP_BADVER;
	if (carp_cksum(p, len) != 0)
		return CARP_DROP_BADSUM;

	h->version = p[CARP_OFF_VT] >> 4;
	h->type = p[CARP_OFF_VT] & 0x0f;
	h->vhid = p[CARP_OFF_VHID];
	h->advskew = p[CARP_OFF_ADVSKEW];
	h->authlen = p[CARP_OFF_AUTHLEN];
	h->demote = p[CARP_OFF_PAD];
	h->advbase = p[CARP_OFF_ADVBASE];
	h->cksum = (uint16_t)(p[CARP_OFF_CKSUM] << 8 | p[CARP_OFF_CKSUM + 1]);
	h->counter = 0;
	for (i = 0; i < 8; i++)
		h->counter = h->counter << 8 | p[CARP_OFF_COUNTER + i];
	memcpy(h->md, p + CARP_OFF_MD, CARP_DIGEST_LEN);
	return CARP_DROP_NONE;
}

/* Build the 36 bytes of an advertisement, digest and checksum included. */
void
carp_pkt_encode(const struct carp_hmac *hm, uint8_t vhid, uint8_t advbase,
    uint8_t advskew, uint64_t counter, uint8_t out[CARP_HDR_LEN])
{
	uint16_t	 sum;
	int		 i;

	out[CARP_OFF_VT] = CARP_VERSION << 4 | CARP_ADVERTISEMENT;
	out[CARP_OFF_VHID] = vhid;
	out[CARP_OFF_ADVSKEW] = advskew;
	out[CARP_OFF_AUTHLEN] = CARP_AUTHLEN;
	out[CARP_OFF_PAD] = 0;
	out[CARP_OFF_ADVBASE] = advbase;
	out[CARP_OFF_CKSUM] = 0;
	out[CARP_OFF_CKSUM + 1] = 0;
	for (i = 7; i >= 0; i--) {
		out[CARP_OFF_COUNTER + i] = counter & 0xff;
		counter >>= 8;
	}
	carp_hmac_digest(hm, out + CARP_OFF_COUNTER, out + CARP_OFF_MD);
	sum = carp_cksum(out, CARP_HDR_LEN);
	out[CARP_OFF_CKSUM] = sum >> 8;
	out[CARP_OFF_CKSUM + 1] = sum & 0xff;
}

/* Check a decoded header's digest, in constant time. */
int
carp_pkt_verify(const struct carp_hmac *hm, const struct carp_hdr *h)
{
	uint8_t		 counter[8], md[CARP_DIGEST_LEN];
	uint64_t	 c = h->counter;
	int		 i;

	for (i = 7; i >= 0; i--) {
		counter[i] = c & 0xff;
		c >>= 8;
	}
	carp_hmac_digest(hm, counter, md);
	return CRYPTO_memcmp(md, h->md, CARP_DIGEST_LEN) == 0 ? 0 : -1;
}

/* One candidate list: 1 if an HMAC over it verifies the header. */
static int
carp_diag_try(struct carp_hmac *hm, const uint8_t *key, size_t keylen,
    uint8_t vhid, const struct carp_addr *addrs, size_t naddrs,
    const struct carp_hdr *h)
{
	carp_hmac_prepare(hm, key, keylen, vhid, addrs, naddrs);
	return carp_pkt_verify(hm, h) == 0;
}

/*
 * Why a header failed HMAC (see carp.h): our key over parts of our own
 * address list, distinct addresses only.  Only the addresses are ever
 * named; the key stays in the scratch state, which is wiped.
 */
unsigned int
carp_pkt_diagnose(const uint8_t *key, size_t keylen, uint8_t vhid,
    const struct carp_addr *addrs, size_t naddrs, const struct carp_hdr *h,
    struct carp_diag *d)
{
	struct carp_hmac	 hm;
	struct carp_addr	 u[CARP_MAX_ADDRS], sub[CARP_MAX_ADDRS];
	char			 a[INET6_ADDRSTRLEN];
	size_t			 i, j, n = 0, m, n4 = 0, n6 = 0, fam;
	unsigned int		 hmacs = 0;
	int			 found = 0;

	d->kind = CARP_DIAG_UNKNOWN;
	memset(&d->lacks, 0, sizeof(d->lacks));
	d->nlacks = 0;
	/* Distinct addresses, in the HMAC's order (IPv4 first). */
	for (i = 0; i < naddrs && n < CARP_MAX_ADDRS; i++) {
		if (addrs[i].family != AF_INET && addrs[i].family != AF_INET6)
			continue;
		for (j = 0; j < n; j++)
			if (carp_addr_cmp(&u[j], &addrs[i]) == 0)
				break;
		if (j < n)
			continue;
		for (j = n; j > 0 && carp_addr_cmp(&u[j - 1], &addrs[i]) > 0;
		    j--)
			u[j] = u[j - 1];
		u[j] = addrs[i];
		n++;
		if (addrs[i].family == AF_INET)
			n4++;
		else
			n6++;
	}

	/* Only one family: u[0..n4) is IPv4, u[n4..n) IPv6. */
	if (n4 > 0 && n6 > 0) {
		hmacs++;
		if (carp_diag_try(&hm, key, keylen, vhid, u, n4, h)) {
			d->kind = CARP_DIAG_ONLY4;
			d->nlacks = n6;
			d->lacks = u[n4];
			found = 1;
		}
		if (!found) {
			hmacs++;
			if (carp_diag_try(&hm, key, keylen, vhid, u + n4, n6,
			    h)) {
				d->kind = CARP_DIAG_ONLY6;
				d->nlacks = n4;
				d->lacks = u[0];
				found = 1;
			}
		}
	}
	/* Without each single address (the only one of a family: done). */
	for (i = 0; !found && n > 1 && i < n; i++) {
		fam = u[i].family == AF_INET ? n4 : n6;
		if (fam == 1 && n4 > 0 && n6 > 0)
			continue;
		for (j = 0, m = 0; j < n; j++)
			if (j != i)
				sub[m++] = u[j];
		hmacs++;
		if (carp_diag_try(&hm, key, keylen, vhid, sub, m, h)) {
			d->kind = CARP_DIAG_LACKS;
			d->nlacks = 1;
			d->lacks = u[i];
			found = 1;
		}
	}
	explicit_bzero(&hm, sizeof(hm));

	/* One address missing reads the same whichever candidate found it. */
	if (d->nlacks == 1)
		d->kind = CARP_DIAG_LACKS;
	carp_addr_ntop(&d->lacks, a, sizeof(a));
	switch (d->kind) {
	case CARP_DIAG_LACKS:
		snprintf(d->text, sizeof(d->text), "the peer's address list "
		    "differs: it lacks %s", a);
		break;
	case CARP_DIAG_ONLY4:
	case CARP_DIAG_ONLY6:
		snprintf(d->text, sizeof(d->text), "the peer's address list "
		    "differs: it lacks our %zu %s addresses (%s, ...)",
		    d->nlacks, d->kind == CARP_DIAG_ONLY4 ? "IPv6" : "IPv4",
		    a);
		break;
	default:
		snprintf(d->text, sizeof(d->text),
		    "password or address list differ");
		break;
	}
	d->hmacs = hmacs;
	return hmacs;
}
