/*
 * arp.c: gratuitous ARP through an AF_PACKET socket and unsolicited
 * neighbour advertisements through an ICMPv6 raw socket.  Both carry the
 * MAC of the interface they leave by: the VHID's macvlan, so the virtual
 * MAC 00:00:5e:00:01:VHID as FreeBSD's, in mac-mode virtual; the parent's
 * own MAC, as ucarp's, in mac-mode interface (docs/protocol.md, decision
 * 12).
 */
#include <sys/types.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <net/ethernet.h>
#include <net/if.h>
#include <net/if_arp.h>
#include <netinet/icmp6.h>
#include <netinet/in.h>
#include <netinet/ip6.h>
#include <netpacket/packet.h>
#include <arpa/inet.h>

#include <errno.h>
#include <ifaddrs.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "agent/arp.h"
#include "agent/log.h"

static int	arp_hwaddr(unsigned int, char *, uint8_t *);
static int	arp_linklocal(unsigned int, const char *, struct in6_addr *);
static int	arp_forwarding(const char *);

static int	arp_pfd = -1;	/* AF_PACKET, SOCK_DGRAM */
static int	arp_ifd = -1;	/* AF_INET6, SOCK_RAW, IPPROTO_ICMPV6 */

/* Open the packet and ICMPv6 sockets unless already open. */
int
arp_open(void)
{
	struct icmp6_filter	 filt;
	int			 hops = 255, off = 0;

	if (arp_pfd == -1) {
		/* Protocol 0: the socket sends but receives nothing. */
		arp_pfd = socket(AF_PACKET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
		if (arp_pfd == -1) {
			log_warn("%s: socket(AF_PACKET)", __func__);
			return -1;
		}
	}
	if (arp_ifd == -1) {
		arp_ifd = socket(AF_INET6, SOCK_RAW | SOCK_CLOEXEC,
		    IPPROTO_ICMPV6);
		if (arp_ifd == -1) {
			log_warn("%s: socket(AF_INET6, IPPROTO_ICMPV6)",
			    __func__);
			return -1;
		}
		ICMP6_FILTER_SETBLOCKALL(&filt);
		if (setsockopt(arp_ifd, IPPROTO_ICMPV6, ICMP6_FILTER, &filt,
		    sizeof(filt)) == -1 ||
		    setsockopt(arp_ifd, IPPROTO_IPV6, IPV6_MULTICAST_HOPS,
		    &hops, sizeof(hops)) == -1 ||
		    setsockopt(arp_ifd, IPPROTO_IPV6, IPV6_UNICAST_HOPS,
		    &hops, sizeof(hops)) == -1 ||
		    setsockopt(arp_ifd, IPPROTO_IPV6, IPV6_MULTICAST_LOOP,
		    &off, sizeof(off)) == -1) {
			log_warn("%s: setsockopt ICMPv6", __func__);
			close(arp_ifd);
			arp_ifd = -1;
			return -1;
		}
	}
	return 0;
}

/* Close both sockets. */
void
arp_close(void)
{
	if (arp_pfd != -1)
		close(arp_pfd);
	if (arp_ifd != -1)
		close(arp_ifd);
	arp_pfd = arp_ifd = -1;
}

/* Find an Ethernet interface's name and MAC.  Returns 0 or -1 (logged). */
static int
arp_hwaddr(unsigned int ifindex, char *name, uint8_t *mac)
{
	struct ifreq	 ifr;

	/*
	 * On the socket at hand: if_indextoname(3) opens and closes one of
	 * its own each time, and 255 VHIDs taking over at once spent a
	 * quarter of their round's CPU there (perf).
	 */
	memset(&ifr, 0, sizeof(ifr));
	ifr.ifr_ifindex = (int)ifindex;
	if (ioctl(arp_pfd, SIOCGIFNAME, &ifr) == -1) {
		log_warn("%s: ifindex %u", __func__, ifindex);
		return -1;
	}
	snprintf(name, IF_NAMESIZE, "%s", ifr.ifr_name);
	if (ioctl(arp_pfd, SIOCGIFHWADDR, &ifr) == -1) {
		log_warn("%s: SIOCGIFHWADDR %s", __func__, name);
		return -1;
	}
	if (ifr.ifr_hwaddr.sa_family != ARPHRD_ETHER) {
		log_warnx("%s: %s is not Ethernet (type %u)", __func__, name,
		    ifr.ifr_hwaddr.sa_family);
		errno = EAFNOSUPPORT;
		return -1;
	}
	memcpy(mac, ifr.ifr_hwaddr.sa_data, ARP_ETH_ALEN);
	return 0;
}

/* Find the interface's link-local address.  Returns 0 or -1 (logged). */
static int
arp_linklocal(unsigned int ifindex, const char *name, struct in6_addr *ll)
{
	struct ifaddrs		*ifap, *ifa;
	struct sockaddr_in6	*sin6;
	int			 rv = -1;

	if (getifaddrs(&ifap) == -1) {
		log_warn("%s: getifaddrs", __func__);
		return -1;
	}
	for (ifa = ifap; ifa != NULL; ifa = ifa->ifa_next) {
		if (ifa->ifa_addr == NULL ||
		    ifa->ifa_addr->sa_family != AF_INET6 ||
		    strcmp(ifa->ifa_name, name) != 0)
			continue;
		sin6 = (struct sockaddr_in6 *)(void *)ifa->ifa_addr;
		if (!IN6_IS_ADDR_LINKLOCAL(&sin6->sin6_addr) ||
		    (sin6->sin6_scope_id != 0 &&
		    sin6->sin6_scope_id != ifindex))
			continue;
		*ll = sin6->sin6_addr;
		rv = 0;
		break;
	}
	freeifaddrs(ifap);
	if (rv == -1) {
		log_warnx("%s: %s has no IPv6 link-local address", __func__,
		    name);
		errno = EADDRNOTAVAIL;
	}
	return rv;
}

/* Does the interface forward IPv6 (then NAs carry the Router flag)? */
static int
arp_forwarding(const char *name)
{
	char	 path[128];
	FILE	*fp;
	int	 c;

	snprintf(path, sizeof(path), "/proc/sys/net/ipv6/conf/%s/forwarding",
	    name);
	if ((fp = fopen(path, "re")) == NULL)
		return 0;
	c = fgetc(fp);
	fclose(fp);
	return c == '1';
}

/* Build a gratuitous ARP request body. */
void
arp_build_garp(uint8_t out[ARP_PKT_LEN], const uint8_t mac[ARP_ETH_ALEN],
    const struct in_addr *vip)
{
	struct arphdr	 ah;

	memset(&ah, 0, sizeof(ah));
	ah.ar_hrd = htons(ARPHRD_ETHER);
	ah.ar_pro = htons(ETHERTYPE_IP);
	ah.ar_hln = ARP_ETH_ALEN;
	ah.ar_pln = sizeof(*vip);
	ah.ar_op = htons(ARPOP_REQUEST);
	memcpy(out, &ah, sizeof(ah));			/* 8 bytes */
	memcpy(out + 8, mac, ARP_ETH_ALEN);		/* sender MAC */
	memcpy(out + 14, vip, sizeof(*vip));		/* sender IP */
	memset(out + 18, 0, ARP_ETH_ALEN);		/* target MAC */
	memcpy(out + 24, vip, sizeof(*vip));		/* target IP */
}

/* Build an unsolicited NA with a target link-layer address option. */
void
arp_build_na(uint8_t out[ARP_NA_LEN], const uint8_t mac[ARP_ETH_ALEN],
    const struct in6_addr *vip, bool router)
{
	struct nd_neighbor_advert	 na;

	memset(&na, 0, sizeof(na));
	na.nd_na_type = ND_NEIGHBOR_ADVERT;
	na.nd_na_code = 0;
	na.nd_na_cksum = 0;		/* the kernel computes it */
	na.nd_na_flags_reserved = ND_NA_FLAG_OVERRIDE;
	if (router)
		na.nd_na_flags_reserved |= ND_NA_FLAG_ROUTER;
	na.nd_na_target = *vip;
	memcpy(out, &na, sizeof(na));			/* 24 bytes */
	out[24] = ND_OPT_TARGET_LINKADDR;
	out[25] = 1;					/* 8 bytes */
	memcpy(out + 26, mac, ARP_ETH_ALEN);
}

/* Broadcast a gratuitous ARP for an IPv4 VIP. */
int
arp_garp(unsigned int ifindex, const struct in_addr *vip)
{
	struct sockaddr_ll	 sll;
	uint8_t			 pkt[ARP_PKT_LEN], mac[ARP_ETH_ALEN];
	char			 name[IF_NAMESIZE], a[INET_ADDRSTRLEN];

	if (arp_open() == -1)
		return -1;
	if (arp_hwaddr(ifindex, name, mac) == -1)
		return -1;
	arp_build_garp(pkt, mac, vip);
	memset(&sll, 0, sizeof(sll));
	sll.sll_family = AF_PACKET;
	sll.sll_protocol = htons(ETH_P_ARP);
	sll.sll_ifindex = (int)ifindex;
	sll.sll_halen = ARP_ETH_ALEN;
	memset(sll.sll_addr, 0xff, ARP_ETH_ALEN);	/* broadcast */
	if (sendto(arp_pfd, pkt, sizeof(pkt), 0, (struct sockaddr *)&sll,
	    sizeof(sll)) != (ssize_t)sizeof(pkt)) {
		log_warn("%s: %s on %s", __func__,
		    inet_ntop(AF_INET, vip, a, sizeof(a)), name);
		return -1;
	}
	return 0;
}

/* Send an unsolicited neighbour advertisement for an IPv6 VIP. */
int
arp_na(unsigned int ifindex, const struct in6_addr *vip)
{
	return arp_na_from(ifindex, vip, NULL);
}

/* The same from a given source address (NULL: the link-local one). */
int
arp_na_from(unsigned int ifindex, const struct in6_addr *vip,
    const struct in6_addr *src)
{
	union {
		struct cmsghdr	 hdr;
		uint8_t		 buf[CMSG_SPACE(sizeof(struct in6_pktinfo))];
	}			 cbuf;
	struct sockaddr_in6	 dst;
	struct in6_pktinfo	 pi;
	struct iovec		 iov;
	struct msghdr		 msg;
	struct cmsghdr		*cm;
	uint8_t			 pkt[ARP_NA_LEN], mac[ARP_ETH_ALEN];
	char			 name[IF_NAMESIZE], a[INET6_ADDRSTRLEN];

	if (arp_open() == -1)
		return -1;
	if (arp_hwaddr(ifindex, name, mac) == -1)
		return -1;
	memset(&pi, 0, sizeof(pi));
	if (src != NULL)
		pi.ipi6_addr = *src;
	else if (arp_linklocal(ifindex, name, &pi.ipi6_addr) == -1)
		return -1;
	pi.ipi6_ifindex = ifindex;
	arp_build_na(pkt, mac, vip, arp_forwarding(name));

	memset(&dst, 0, sizeof(dst));
	dst.sin6_family = AF_INET6;
	inet_pton(AF_INET6, "ff02::1", &dst.sin6_addr);
	dst.sin6_scope_id = ifindex;
	memset(&cbuf, 0, sizeof(cbuf));
	memset(&msg, 0, sizeof(msg));
	iov.iov_base = pkt;
	iov.iov_len = sizeof(pkt);
	msg.msg_name = &dst;
	msg.msg_namelen = sizeof(dst);
	msg.msg_iov = &iov;
	msg.msg_iovlen = 1;
	msg.msg_control = cbuf.buf;
	msg.msg_controllen = sizeof(cbuf.buf);
	cm = CMSG_FIRSTHDR(&msg);
	cm->cmsg_level = IPPROTO_IPV6;
	cm->cmsg_type = IPV6_PKTINFO;
	cm->cmsg_len = CMSG_LEN(sizeof(pi));
	memcpy(CMSG_DATA(cm), &pi, sizeof(pi));
	if (sendmsg(arp_ifd, &msg, 0) != (ssize_t)sizeof(pkt)) {
		log_warn("%s: %s on %s", __func__,
		    inet_ntop(AF_INET6, vip, a, sizeof(a)), name);
		return -1;
	}
	return 0;
}
