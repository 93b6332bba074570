/*
 * raw.c: raw IP sockets for CARP (IP protocol 112).
 *
 * DSCP: FreeBSD sets the IPv4 TOS byte to dscp << 2 (0xe0 for the default
 * CS7) and, since the FreeBSD 14-era carp_send_ad_locked(), the IPv6 flow
 * word to dscp << (IPV6_FLOWLABEL_LEN + IPTOS_DSCP_OFFSET), that is a
 * traffic class of dscp << 2 as well.  carpd marks both as FreeBSD does
 * (docs/protocol.md, decision 1; a traffic class of plain dscp would
 * put CS7 in the wrong bits); no receiver checks it either way.
 */
#include <sys/types.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <netinet/ip.h>
#include <netinet/ip6.h>
#include <net/ethernet.h>
#include <netpacket/packet.h>
#include <arpa/inet.h>

#include <linux/if_ether.h>

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "agent/log.h"
#include "agent/raw.h"

#define RAW_TOS(d)	((int)((d) & 0x3f) << 2)
#define RAW_TCLASS(d)	((int)((d) & 0x3f) << 2)	/* as FreeBSD */

static int	raw_setopt(int, int, int, int, const char *);
static int	raw_group(int, int, unsigned int, int);
static int	raw_finish4(struct msghdr *, size_t, uint8_t *,
		    struct carp_rx *);
static int	raw_finish6(struct msghdr *, size_t, uint8_t *,
		    struct carp_rx *);
static void	raw_batch_msg(struct raw_batch *, int);
static int	raw_recv1(int, int, uint8_t *, size_t, struct carp_rx *);

_Static_assert(RAW_CMSGSZ >= CMSG_SPACE(sizeof(struct in6_pktinfo)) +
    CMSG_SPACE(sizeof(int)), "RAW_CMSGSZ too small for IPv6");
_Static_assert(RAW_CMSGSZ >= CMSG_SPACE(sizeof(struct in_pktinfo)),
    "RAW_CMSGSZ too small for IPv4");
static const char *raw_ntop(int, const void *, char *, size_t);

/* Set one integer socket option; log on failure. */
static int
raw_setopt(int fd, int level, int name, int val, const char *what)
{
	if (setsockopt(fd, level, name, &val, sizeof(val)) == -1) {
		log_warn("%s: setsockopt %s", __func__, what);
		return -1;
	}
	return 0;
}

/* Print an address for the logs. */
static const char *
raw_ntop(int family, const void *a, char *buf, size_t len)
{
	if (inet_ntop(family, a, buf, len) == NULL)
		snprintf(buf, len, "?");
	return buf;
}

/* Open a protocol-112 socket of one family, ready for the event loop. */
int
raw_open(int family, uint8_t dscp)
{
	int	 fd, rcvbuf = RAW_RCVBUF;

	if (family != AF_INET && family != AF_INET6) {
		log_warnx("%s: bad family %d", __func__, family);
		errno = EAFNOSUPPORT;
		return -1;
	}
	fd = socket(family, SOCK_RAW | SOCK_NONBLOCK | SOCK_CLOEXEC,
	    RAW_PROTO);
	if (fd == -1) {
		log_warn("%s: socket(%s, SOCK_RAW, %d)", __func__,
		    family == AF_INET ? "AF_INET" : "AF_INET6", RAW_PROTO);
		return -1;
	}
	if (family == AF_INET) {
		if (raw_setopt(fd, IPPROTO_IP, IP_PKTINFO, 1,
		    "IP_PKTINFO") == -1 ||
		    raw_setopt(fd, IPPROTO_IP, IP_TTL, RAW_HOPS,
		    "IP_TTL") == -1 ||
		    raw_setopt(fd, IPPROTO_IP, IP_MULTICAST_TTL, RAW_HOPS,
		    "IP_MULTICAST_TTL") == -1 ||
		    raw_setopt(fd, IPPROTO_IP, IP_MULTICAST_LOOP, 0,
		    "IP_MULTICAST_LOOP") == -1 ||
		    /* Only the groups this socket joined, not every group. */
		    raw_setopt(fd, IPPROTO_IP, IP_MULTICAST_ALL, 0,
		    "IP_MULTICAST_ALL") == -1)
			goto fail;
	} else {
		if (raw_setopt(fd, IPPROTO_IPV6, IPV6_RECVPKTINFO, 1,
		    "IPV6_RECVPKTINFO") == -1 ||
		    raw_setopt(fd, IPPROTO_IPV6, IPV6_RECVHOPLIMIT, 1,
		    "IPV6_RECVHOPLIMIT") == -1 ||
		    raw_setopt(fd, IPPROTO_IPV6, IPV6_UNICAST_HOPS, RAW_HOPS,
		    "IPV6_UNICAST_HOPS") == -1 ||
		    raw_setopt(fd, IPPROTO_IPV6, IPV6_MULTICAST_HOPS, RAW_HOPS,
		    "IPV6_MULTICAST_HOPS") == -1 ||
		    raw_setopt(fd, IPPROTO_IPV6, IPV6_MULTICAST_LOOP, 0,
		    "IPV6_MULTICAST_LOOP") == -1)
			goto fail;
	}
	if (raw_set_dscp(fd, family, dscp) == -1)
		goto fail;
	/*
	 * Room for a burst: one advert a second per VHID is nothing, but a
	 * flood of forged packets must be read and counted, not lost in the
	 * kernel.  FORCE passes net.core.rmem_max (we are still privileged).
	 */
	if (setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &rcvbuf,
	    sizeof(rcvbuf)) == -1)
		(void)setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &rcvbuf,
		    sizeof(rcvbuf));
	return fd;
 fail:
	close(fd);
	return -1;
}

/* Mark outgoing adverts with a DSCP (see the top of this file). */
int
raw_set_dscp(int fd, int family, uint8_t dscp)
{
	if (dscp > 63) {
		log_warnx("%s: dscp %u out of range (0-63)", __func__, dscp);
		errno = EINVAL;
		return -1;
	}
	if (family == AF_INET)
		return raw_setopt(fd, IPPROTO_IP, IP_TOS, RAW_TOS(dscp),
		    "IP_TOS");
	return raw_setopt(fd, IPPROTO_IPV6, IPV6_TCLASS, RAW_TCLASS(dscp),
	    "IPV6_TCLASS");
}

/* Join (add = 1) or leave (add = 0) the CARP group on an interface. */
static int
raw_group(int fd, int family, unsigned int ifindex, int add)
{
	struct ip_mreqn		 mr;
	struct ipv6_mreq	 mr6;
	int			 rv;

	if (family == AF_INET) {
		memset(&mr, 0, sizeof(mr));
		mr.imr_multiaddr.s_addr = htonl(CARP_GROUP4);
		mr.imr_ifindex = (int)ifindex;
		rv = setsockopt(fd, IPPROTO_IP,
		    add ? IP_ADD_MEMBERSHIP : IP_DROP_MEMBERSHIP,
		    &mr, sizeof(mr));
	} else {
		memset(&mr6, 0, sizeof(mr6));
		inet_pton(AF_INET6, "ff02::12", &mr6.ipv6mr_multiaddr);
		mr6.ipv6mr_interface = ifindex;
		rv = setsockopt(fd, IPPROTO_IPV6,
		    add ? IPV6_ADD_MEMBERSHIP : IPV6_DROP_MEMBERSHIP,
		    &mr6, sizeof(mr6));
	}
	/* Joining twice or leaving a group not joined is not an error. */
	if (rv == -1 && ((add && errno == EADDRINUSE) ||
	    (!add && errno == EADDRNOTAVAIL)))
		rv = 0;
	if (rv == -1)
		log_warn("%s: %s %s on ifindex %u", __func__,
		    add ? "join" : "leave",
		    family == AF_INET ? "224.0.0.18" : "ff02::12", ifindex);
	return rv;
}

/* Join the CARP group of the socket's family on an interface. */
int
raw_join(int fd, int family, unsigned int ifindex)
{
	return raw_group(fd, family, ifindex, 1);
}

/* Leave the CARP group of the socket's family on an interface. */
int
raw_leave(int fd, int family, unsigned int ifindex)
{
	return raw_group(fd, family, ifindex, 0);
}

/* Check an IPv4 header as a raw socket returns it and locate the payload. */
int
raw_parse_ip4(const uint8_t *buf, size_t n, struct carp_rx *rx)
{
	struct ip	 ip;
	size_t		 hlen, tlen;

	if (n < sizeof(ip))
		return -1;
	memcpy(&ip, buf, sizeof(ip));
	if (ip.ip_v != 4)
		return -1;
	hlen = (size_t)ip.ip_hl << 2;
	tlen = ntohs(ip.ip_len);
	/* Linux hands the header to raw sockets with ip_len untouched. */
	if (hlen < sizeof(ip) || hlen > n || tlen != n)
		return -1;
	rx->data = buf + hlen;
	rx->len = n - hlen;
	memset(&rx->src, 0, sizeof(rx->src));
	memset(&rx->dst, 0, sizeof(rx->dst));
	rx->src.family = rx->dst.family = AF_INET;
	rx->src.prefixlen = rx->dst.prefixlen = 32;
	rx->src.a.v4 = ip.ip_src;
	rx->dst.a.v4 = ip.ip_dst;
	rx->ttl = ip.ip_ttl;
	return 0;
}

/* Check an IPv4 datagram as recvmsg returned it; 0 if rx holds it. */
static int
raw_finish4(struct msghdr *msg, size_t n, uint8_t *buf, struct carp_rx *rx)
{
	const struct sockaddr_in *sin = msg->msg_name;
	struct cmsghdr		*cm;
	struct in_pktinfo	 pi;
	char			 a[INET_ADDRSTRLEN];

	memset(rx, 0, sizeof(*rx));
	for (cm = CMSG_FIRSTHDR(msg); cm != NULL; cm = CMSG_NXTHDR(msg, cm)) {
		if (cm->cmsg_level == IPPROTO_IP &&
		    cm->cmsg_type == IP_PKTINFO &&
		    cm->cmsg_len >= CMSG_LEN(sizeof(pi))) {
			memcpy(&pi, CMSG_DATA(cm), sizeof(pi));
			rx->ifindex = (unsigned int)pi.ipi_ifindex;
		}
	}
	if (msg->msg_flags & MSG_TRUNC) {
		log_debug("%s: truncated packet from %s dropped", __func__,
		    raw_ntop(AF_INET, &sin->sin_addr, a, sizeof(a)));
		return -1;
	}
	if (rx->ifindex == 0) {
		log_debug("%s: packet without IP_PKTINFO dropped", __func__);
		return -1;
	}
	if (raw_parse_ip4(buf, n, rx) == -1) {
		log_debug("%s: malformed IPv4 packet from %s dropped",
		    __func__, raw_ntop(AF_INET, &sin->sin_addr, a, sizeof(a)));
		return -1;
	}
	return 0;
}

/* Check an IPv6 payload as recvmsg returned it; 0 if rx holds it. */
static int
raw_finish6(struct msghdr *msg, size_t n, uint8_t *buf, struct carp_rx *rx)
{
	const struct sockaddr_in6 *sin6 = msg->msg_name;
	struct cmsghdr		*cm;
	struct in6_pktinfo	 pi;
	int			 hops = -1, gotpi = 0;
	char			 a[INET6_ADDRSTRLEN];

	memset(rx, 0, sizeof(*rx));
	for (cm = CMSG_FIRSTHDR(msg); cm != NULL; cm = CMSG_NXTHDR(msg, cm)) {
		if (cm->cmsg_level != IPPROTO_IPV6)
			continue;
		if (cm->cmsg_type == IPV6_PKTINFO &&
		    cm->cmsg_len >= CMSG_LEN(sizeof(pi))) {
			memcpy(&pi, CMSG_DATA(cm), sizeof(pi));
			rx->ifindex = pi.ipi6_ifindex;
			rx->dst.a.v6 = pi.ipi6_addr;
			gotpi = 1;
		} else if (cm->cmsg_type == IPV6_HOPLIMIT &&
		    cm->cmsg_len >= CMSG_LEN(sizeof(hops)))
			memcpy(&hops, CMSG_DATA(cm), sizeof(hops));
	}
	raw_ntop(AF_INET6, &sin6->sin6_addr, a, sizeof(a));
	if (msg->msg_flags & MSG_TRUNC) {
		log_debug("%s: truncated packet from %s dropped", __func__, a);
		return -1;
	}
	if (!gotpi || rx->ifindex == 0 || hops < 0 || hops > 255 ||
	    msg->msg_namelen < sizeof(*sin6)) {
		log_debug("%s: packet from %s without ancillary data dropped",
		    __func__, a);
		return -1;
	}
	rx->data = buf;
	rx->len = n;
	rx->src.family = rx->dst.family = AF_INET6;
	rx->src.prefixlen = rx->dst.prefixlen = 128;
	rx->src.a.v6 = sin6->sin6_addr;
	rx->ttl = (uint8_t)hops;
	return 0;
}

/* Set up one message's buffers in a batch. */
static void
raw_batch_msg(struct raw_batch *b, int i)
{
	struct msghdr	*msg = &b->msgs[i].msg_hdr;

	memset(msg, 0, sizeof(*msg));
	b->iov[i].iov_base = b->buf[i];
	b->iov[i].iov_len = sizeof(b->buf[i]);
	msg->msg_name = &b->name[i];
	msg->msg_namelen = sizeof(b->name[i]);
	msg->msg_iov = &b->iov[i];
	msg->msg_iovlen = 1;
	msg->msg_control = b->cbuf[i];
	msg->msg_controllen = sizeof(b->cbuf[i]);
}

/*
 * Read up to RAW_BATCH packets with one recvmmsg(2) and check them.  The
 * good ones are b->rx[0 .. b->n - 1]; b->more says the batch came back
 * full, so more may be waiting.  Returns 0, or -1 on a socket error.
 */
int
raw_recv_batch(int fd, int family, struct raw_batch *b)
{
	int	 i, got;

	b->n = 0;
	b->more = false;
	for (i = 0; i < RAW_BATCH; i++)
		raw_batch_msg(b, i);
	do {
		got = recvmmsg(fd, b->msgs, RAW_BATCH, MSG_DONTWAIT, NULL);
	} while (got == -1 && errno == EINTR);
	if (got == -1) {
		if (errno == EAGAIN || errno == EWOULDBLOCK)
			return 0;
		log_warn("%s: recvmmsg", __func__);
		return -1;
	}
	b->more = got == RAW_BATCH;
	for (i = 0; i < got; i++) {
		if ((family == AF_INET ? raw_finish4 : raw_finish6)(
		    &b->msgs[i].msg_hdr, b->msgs[i].msg_len, b->buf[i],
		    &b->rx[b->n]) == 0)
			b->n++;
	}
	return 0;
}

/* Read packets of a family until one is good (1), none is left (0). */
static int
raw_recv1(int fd, int family, uint8_t *buf, size_t bufsz, struct carp_rx *rx)
{
	union {
		struct cmsghdr	 hdr;
		uint8_t		 buf[RAW_CMSGSZ];
	}			 cbuf;
	struct sockaddr_in6	 name;
	struct iovec		 iov;
	struct msghdr		 msg;
	ssize_t			 n;

	for (;;) {
		memset(&msg, 0, sizeof(msg));
		iov.iov_base = buf;
		iov.iov_len = bufsz;
		msg.msg_name = &name;
		msg.msg_namelen = sizeof(name);
		msg.msg_iov = &iov;
		msg.msg_iovlen = 1;
		msg.msg_control = cbuf.buf;
		msg.msg_controllen = sizeof(cbuf.buf);
		if ((n = recvmsg(fd, &msg, 0)) == -1) {
			if (errno == EAGAIN || errno == EWOULDBLOCK)
				return 0;
			if (errno == EINTR)
				continue;
			log_warn("%s: recvmsg", __func__);
			return -1;
		}
		if ((family == AF_INET ? raw_finish4 : raw_finish6)(&msg,
		    (size_t)n, buf, rx) == 0)
			return 1;
	}
}

/* Read the next good packet of a family, if any. */
int
raw_recv(int fd, int family, uint8_t *buf, size_t bufsz, struct carp_rx *rx)
{
	return raw_recv1(fd, family, buf, bufsz, rx);
}

/*
 * Clear what a prepared message sends besides the payload's len bytes.
 * The payload itself is not cleared: 255 VHIDs x 10 ms prepare 25,500
 * messages a second, and zeroing each whole one touched 0.7 KB of a
 * queue bigger than the cache (3 % of a master's CPU, perf).
 */
static void
raw_msg_clear(struct raw_msg *m)
{
	memset(&m->name, 0, sizeof(m->name));
	m->namelen = 0;
	memset(m->cbuf, 0, sizeof(m->cbuf));
	m->cbuflen = 0;
	m->len = 0;
}

/* Prepare one payload for a forced interface from a given or kernel source. */
int
raw_msg_init(struct raw_msg *m, unsigned int ifindex,
    const struct carp_addr *src, const struct carp_addr *dst,
    const uint8_t *payload, size_t len)
{
	struct cmsghdr	*cm;

	if (dst == NULL || (dst->family != AF_INET &&
	    dst->family != AF_INET6) || (src != NULL && src->family != 0 &&
	    src->family != dst->family) || ifindex == 0 ||
	    len > sizeof(m->payload)) {
		errno = EINVAL;
		return -1;
	}
	raw_msg_clear(m);
	memcpy(m->payload, payload, len);
	m->len = len;
	cm = (struct cmsghdr *)(void *)m->cbuf;
	if (dst->family == AF_INET) {
		struct sockaddr_in	*sin = (struct sockaddr_in *)&m->name;
		struct in_pktinfo	 pi;

		sin->sin_family = AF_INET;
		sin->sin_addr = dst->a.v4;
		m->namelen = sizeof(*sin);
		/* ipi_ifindex forces the interface, multicast included. */
		memset(&pi, 0, sizeof(pi));
		pi.ipi_ifindex = (int)ifindex;
		if (src != NULL && src->family == AF_INET)
			pi.ipi_spec_dst = src->a.v4;
		m->cbuflen = CMSG_SPACE(sizeof(pi));
		cm->cmsg_level = IPPROTO_IP;
		cm->cmsg_type = IP_PKTINFO;
		cm->cmsg_len = CMSG_LEN(sizeof(pi));
		memcpy(CMSG_DATA(cm), &pi, sizeof(pi));
	} else {
		struct sockaddr_in6	*sin6 = &m->name;
		struct in6_pktinfo	 pi6;

		sin6->sin6_family = AF_INET6;
		sin6->sin6_addr = dst->a.v6;
		if (IN6_IS_ADDR_LINKLOCAL(&dst->a.v6) ||
		    IN6_IS_ADDR_MC_LINKLOCAL(&dst->a.v6))
			sin6->sin6_scope_id = ifindex;
		m->namelen = sizeof(*sin6);
		memset(&pi6, 0, sizeof(pi6));
		pi6.ipi6_ifindex = ifindex;
		if (src != NULL && src->family == AF_INET6)
			pi6.ipi6_addr = src->a.v6;
		m->cbuflen = CMSG_SPACE(sizeof(pi6));
		cm->cmsg_level = IPPROTO_IPV6;
		cm->cmsg_type = IPV6_PKTINFO;
		cm->cmsg_len = CMSG_LEN(sizeof(pi6));
		memcpy(CMSG_DATA(cm), &pi6, sizeof(pi6));
	}
	return 0;
}

/* A packet socket for whole IPv6 packets. */
int
raw_open_packet(void)
{
	int	 fd;

	/* Protocol 0: nothing is received on it. */
	fd = socket(AF_PACKET, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd == -1)
		log_warn("%s: socket(AF_PACKET)", __func__);
	return fd;
}

/* The packet socket's destination: a multicast MAC on ifindex. */
static void
raw_msg_ll(struct raw_msg *m, unsigned int ifindex, uint16_t ethertype,
    const uint8_t mac[6])
{
	struct sockaddr_ll	 sll;

	memset(&sll, 0, sizeof(sll));
	sll.sll_family = AF_PACKET;
	sll.sll_protocol = htons(ethertype);
	sll.sll_ifindex = (int)ifindex;
	sll.sll_halen = 6;
	memcpy(sll.sll_addr, mac, 6);
	memcpy(&m->name, &sll, sizeof(sll));
	m->namelen = sizeof(sll);
	m->cbuflen = 0;
}

/* An IPv6 advert, header included, for the packet socket. */
int
raw_msg_init_ll6(struct raw_msg *m, unsigned int ifindex,
    const struct carp_addr *src, const struct carp_addr *dst, uint8_t dscp,
    const uint8_t *payload, size_t len)
{
	struct ip6_hdr		 ip6;
	uint8_t			 mac[6];

	if (src == NULL || src->family != AF_INET6 || dst == NULL ||
	    dst->family != AF_INET6 || !IN6_IS_ADDR_MULTICAST(&dst->a.v6) ||
	    ifindex == 0 || len + sizeof(ip6) > sizeof(m->payload) ||
	    dscp > 63) {
		errno = EINVAL;
		return -1;
	}
	raw_msg_clear(m);
	memset(&ip6, 0, sizeof(ip6));
	ip6.ip6_flow = htonl(6U << 28 | (uint32_t)RAW_TCLASS(dscp) << 20);
	ip6.ip6_plen = htons((uint16_t)len);
	ip6.ip6_nxt = RAW_PROTO;
	ip6.ip6_hlim = RAW_HOPS;
	ip6.ip6_src = src->a.v6;
	ip6.ip6_dst = dst->a.v6;
	memcpy(m->payload, &ip6, sizeof(ip6));
	memcpy(m->payload + sizeof(ip6), payload, len);
	m->len = sizeof(ip6) + len;

	/* 33:33 and the group's low 32 bits (RFC 2464). */
	mac[0] = mac[1] = 0x33;
	memcpy(&mac[2], &dst->a.v6.s6_addr[12], 4);
	raw_msg_ll(m, ifindex, ETH_P_IPV6, mac);
	return 0;
}

/*
 * An IPv4 advert, header included, for the packet socket: the header the
 * IPv4 raw socket's kernel path writes (version 4, no options, the TOS
 * of raw_open, DF, TTL 255, protocol 112), without its route lookup and
 * output path.  The identification: Linux counts per source, destination
 * and protocol from a secret start, all adverts share the last two; here
 * one counter from a random start does the same (RFC 6864: with DF it
 * identifies nothing anyway).
 */
int
raw_msg_init_ll4(struct raw_msg *m, unsigned int ifindex,
    const struct carp_addr *src, const struct carp_addr *dst, uint8_t dscp,
    const uint8_t *payload, size_t len)
{
	static uint16_t		 id;
	static bool		 seeded;
	struct ip		 ip;
	uint8_t			 mac[6];
	uint32_t		 d;
	uint16_t		 sum;

	if (src == NULL || src->family != AF_INET || dst == NULL ||
	    dst->family != AF_INET ||
	    !IN_MULTICAST(ntohl(dst->a.v4.s_addr)) || ifindex == 0 ||
	    len + sizeof(ip) > sizeof(m->payload) || dscp > 63) {
		errno = EINVAL;
		return -1;
	}
	raw_msg_clear(m);
	memset(&ip, 0, sizeof(ip));
	ip.ip_v = 4;
	ip.ip_hl = sizeof(ip) >> 2;
	ip.ip_tos = (uint8_t)RAW_TOS(dscp);
	ip.ip_len = htons((uint16_t)(sizeof(ip) + len));
	if (!seeded) {
		id = (uint16_t)arc4random();
		seeded = true;
	}
	ip.ip_id = htons(id++);
	ip.ip_off = htons(IP_DF);
	ip.ip_ttl = RAW_HOPS;
	ip.ip_p = RAW_PROTO;
	ip.ip_src = src->a.v4;
	ip.ip_dst = dst->a.v4;
	memcpy(m->payload, &ip, sizeof(ip));
	sum = carp_cksum(m->payload, sizeof(ip));	/* RFC 1071 */
	m->payload[10] = (uint8_t)(sum >> 8);
	m->payload[11] = (uint8_t)sum;
	memcpy(m->payload + sizeof(ip), payload, len);
	m->len = sizeof(ip) + len;

	/* 01:00:5e and the group's low 23 bits (RFC 1112, 6.4). */
	d = ntohl(dst->a.v4.s_addr);
	mac[0] = 0x01;
	mac[1] = 0x00;
	mac[2] = 0x5e;
	mac[3] = (uint8_t)(d >> 16 & 0x7f);
	mac[4] = (uint8_t)(d >> 8);
	mac[5] = (uint8_t)d;
	raw_msg_ll(m, ifindex, ETH_P_IP, mac);
	return 0;
}

/* Point a msghdr at a prepared message (which must not move meanwhile). */
static void
raw_msg_hdr(struct raw_msg *m, struct msghdr *h, struct iovec *iov)
{
	memset(h, 0, sizeof(*h));
	iov->iov_base = m->payload;
	iov->iov_len = m->len;
	h->msg_name = &m->name;
	h->msg_namelen = m->namelen;
	h->msg_iov = iov;
	h->msg_iovlen = 1;
	h->msg_control = m->cbuflen > 0 ? m->cbuf : NULL;
	h->msg_controllen = m->cbuflen;
}

/*
 * Send n prepared messages with as few sendmmsg(2) calls as the kernel
 * allows: one, unless one of them fails, whose errno is then its own.
 * err[i] is 0 or the errno of msgs[i].
 */
void
raw_send_batch(int fd, struct raw_msg *msgs, size_t n, int *err)
{
	struct mmsghdr	 v[RAW_SEND_BATCH];
	struct iovec	 iov[RAW_SEND_BATCH];
	size_t		 i = 0, k, chunk;
	int		 r;

	while (i < n) {
		chunk = n - i < RAW_SEND_BATCH ? n - i : RAW_SEND_BATCH;
		for (k = 0; k < chunk; k++) {
			raw_msg_hdr(&msgs[i + k], &v[k].msg_hdr, &iov[k]);
			v[k].msg_len = 0;
		}
		r = sendmmsg(fd, v, (unsigned int)chunk, 0);
		if (r == -1) {
			if (errno == EINTR)
				continue;
			/* The first message failed; go on after it. */
			err[i++] = errno != 0 ? errno : EIO;
			continue;
		}
		for (k = 0; k < (size_t)r; k++)
			err[i + k] = v[k].msg_len == msgs[i + k].len ? 0 :
			    EMSGSIZE;
		i += (size_t)r;
	}
}

/* Send one payload on a forced interface from a given or kernel source. */
int
raw_send(int fd, unsigned int ifindex, const struct carp_addr *src,
    const struct carp_addr *dst, const uint8_t *payload, size_t len)
{
	struct raw_msg	 m;
	struct msghdr	 h;
	struct iovec	 iov;
	ssize_t		 n;

	if (raw_msg_init(&m, ifindex, src, dst, payload, len) == -1)
		return -1;
	raw_msg_hdr(&m, &h, &iov);
	do {
		n = sendmsg(fd, &h, 0);
	} while (n == -1 && errno == EINTR);
	if (n == -1)
		return -1;
	if ((size_t)n != len) {
		errno = EMSGSIZE;
		return -1;
	}
	return 0;
}
