/*
 * raw.h: raw IP sockets for CARP (IP protocol 112), IPv4 and IPv6.
 *
 * One socket per address family serves every interface: the arrival
 * interface comes from IP_PKTINFO / IPV6_PKTINFO and the departure
 * interface is forced per packet the same way.  The sockets are
 * non-blocking and close-on-exec, ready for the daemon's event loop.
 */
#ifndef RAW_H
#define RAW_H

#include <sys/types.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <netinet/in.h>

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "carp/carp.h"

#define RAW_PROTO		112	/* IPPROTO_CARP */
#define RAW_HOPS		255	/* TTL and hop limit, always */
#define RAW_BUFSZ		2048	/* enough for any advert we accept */
#define RAW_BATCH		16	/* packets read by one recvmmsg(2) */
#define RAW_CMSGSZ		64	/* ancillary data of one packet */
#define RAW_RCVBUF		(2 * 1024 * 1024)	/* socket receive buffer */
#define RAW_SEND_BATCH		64	/* messages per sendmmsg(2) */
/*
 * A CARP advert is 36 bytes (+ 40 for an IPv6 header on the packet
 * socket); a VRRPv3 one 8 + 4 per IPv4 address (128: 520) or 8 + 16 per
 * IPv6 address (+ 40; CONF_VRRP_MAX_ADDRS6, 32: 560).
 */
#define RAW_PAYLOAD_MAX		576

/* Buffers for raw_recv_batch(). */
struct raw_batch {
	uint8_t			 buf[RAW_BATCH][RAW_BUFSZ];
	uint8_t			 cbuf[RAW_BATCH][RAW_CMSGSZ]
				    __attribute__((aligned(8)));
	struct sockaddr_in6	 name[RAW_BATCH];	/* fits either family */
	struct iovec		 iov[RAW_BATCH];
	struct mmsghdr		 msgs[RAW_BATCH];
	struct carp_rx		 rx[RAW_BATCH];
	int			 n;	/* good packets in rx */
	bool			 more;	/* the batch was full */
};

/* One outgoing packet, prepared by raw_msg_init() for raw_send_batch(). */
struct raw_msg {
	struct sockaddr_in6	 name;		/* fits either family */
	socklen_t		 namelen;
	uint8_t			 cbuf[RAW_CMSGSZ] __attribute__((aligned(8)));
	size_t			 cbuflen;
	uint8_t			 payload[RAW_PAYLOAD_MAX];
	size_t			 len;
};

/*
 * Open a socket of family AF_INET or AF_INET6 for protocol 112: TTL or hop
 * limit 255 for multicast and unicast, multicast loop off, and the DSCP
 * (0..63) in the TOS byte (IPv4) or the traffic class (IPv6), dscp << 2
 * in both, as FreeBSD (docs/protocol.md, decision 1; see raw.c).  Returns
 * the fd or -1.
 */
int	raw_open(int family, uint8_t dscp);
/* Change the DSCP of an open socket.  Returns 0 or -1. */
int	raw_set_dscp(int fd, int family, uint8_t dscp);
/* Join or leave 224.0.0.18 / ff02::12 on an interface.  Returns 0 or -1. */
int	raw_join(int fd, int family, unsigned int ifindex);
int	raw_leave(int fd, int family, unsigned int ifindex);

/*
 * Read one packet into buf (RAW_BUFSZ bytes is plenty) and describe it in
 * rx: data points into buf, after the IP header; src, dst, ttl and ifindex
 * are filled, looped is left false.  Returns 1 when rx holds a packet, 0 when
 * nothing is left to read, -1 on a socket error (logged).  Malformed or
 * truncated packets are skipped (logged at debug level).
 */
int	raw_recv(int fd, int family, uint8_t *buf, size_t bufsz,
	    struct carp_rx *rx);
/*
 * Read up to RAW_BATCH packets with one system call (the event loop's
 * usual case, one packet a wake-up, then costs one call, not two); the good
 * ones are b->rx[0 .. b->n - 1], b->more says more may be waiting.
 * Returns 0, or -1 on a socket error (logged).
 */
int	raw_recv_batch(int fd, int family, struct raw_batch *b);

/*
 * Send one payload to dst on the interface ifindex, with the source
 * address src, or one the kernel picks if src->family is 0 (src may be
 * NULL too).  The source must be the interface's own address, never a
 * VIP: see nl_addr_choose().  Returns 0, or -1 with errno kept (not
 * logged: the engine counts send errors; the caller may log).
 */
int	raw_send(int fd, unsigned int ifindex, const struct carp_addr *src,
	    const struct carp_addr *dst, const uint8_t *payload, size_t len);
/*
 * The same in two steps, for many packets at once: raw_msg_init() checks
 * and prepares one (returns 0, or -1 with errno EINVAL), raw_send_batch()
 * sends n of them with sendmmsg(2) and sets err[i] to 0 or the errno of
 * msgs[i].
 */
int	raw_msg_init(struct raw_msg *, unsigned int ifindex,
	    const struct carp_addr *src, const struct carp_addr *dst,
	    const uint8_t *payload, size_t len);
void	raw_send_batch(int fd, struct raw_msg *msgs, size_t n, int *err);
/*
 * A packet socket (AF_PACKET, SOCK_DGRAM, non-blocking, close-on-exec)
 * that sends whole IPv6 packets and receives nothing.  Returns fd or -1.
 */
int	raw_open_packet(void);
/*
 * Prepare one IPv6 advert for the packet socket: an IPv6 header (traffic
 * class dscp << 2 as raw_open, hop limit 255, next header 112, src, dst)
 * and the payload, to dst's multicast MAC on ifindex.  The kernel fills
 * in ifindex's own MAC as the source: this is how an advert leaves from
 * the virtual MAC with the parent's link-local source address, which an
 * IPv6 raw socket refuses (the address is not the macvlan's).  dst must
 * be multicast.  Returns 0, or -1 with errno EINVAL.
 */
int	raw_msg_init_ll6(struct raw_msg *, unsigned int ifindex,
	    const struct carp_addr *src, const struct carp_addr *dst,
	    uint8_t dscp, const uint8_t *payload, size_t len);

/*
 * The same for an IPv4 advert: the header the IPv4 raw socket's kernel
 * path would write (TOS dscp << 2, DF, TTL 255, protocol 112, its
 * checksum; the identification counts up), to the group's 01:00:5e MAC
 * on ifindex, from ifindex's own MAC.  It saves the kernel's route lookup
 * and IP output per advert; the bytes are the raw socket's but for the
 * identification and so the checksum (test_raw).
 * dst must be multicast.  Returns 0, or -1 with errno EINVAL.
 */
int	raw_msg_init_ll4(struct raw_msg *, unsigned int ifindex,
	    const struct carp_addr *src, const struct carp_addr *dst,
	    uint8_t dscp, const uint8_t *payload, size_t len);

/*
 * Pure helper, for tests and fuzzing: check an IPv4 datagram as a raw
 * socket returns it (header included, total length in network order) and
 * fill rx->data, len, src, dst and ttl.  Returns 0, or -1 if malformed.
 */
int	raw_parse_ip4(const uint8_t *buf, size_t n, struct carp_rx *rx);

#endif /* RAW_H */
