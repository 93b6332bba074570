/*
 * arp.h: takeover announcements with the MAC of the interface they leave
 * by (docs/protocol.md, decisions 9 and 12): a gratuitous ARP request per
 * IPv4 VIP and an unsolicited neighbour advertisement per IPv6 VIP.
 */
#ifndef ARP_H
#define ARP_H

#include <sys/types.h>
#include <netinet/in.h>

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define ARP_PKT_LEN	28	/* Ethernet/IPv4 ARP */
#define ARP_NA_LEN	32	/* NA + target link-layer option, 6-byte MAC */
#define ARP_ETH_ALEN	6

/*
 * Open the two sockets (AF_PACKET SOCK_DGRAM and ICMPv6 raw, both
 * close-on-exec, the latter filtering out every incoming message).
 * Optional: arp_garp() and arp_na() open them on first use, but calling it
 * before privileges are dropped is wiser.  Returns 0 or -1.
 */
int	arp_open(void);
void	arp_close(void);

/*
 * Broadcast one gratuitous ARP request for vip on an Ethernet interface:
 * sender IP = target IP = vip, sender MAC = the interface's MAC, target
 * MAC zero.  Returns 0 or -1 (logged).
 */
int	arp_garp(unsigned int ifindex, const struct in_addr *vip);
/*
 * Send one unsolicited neighbour advertisement for vip to ff02::1 from the
 * interface's link-local address, hop limit 255, Override set, Solicited
 * clear, Router set if the interface forwards IPv6, with a target
 * link-layer address option carrying the interface's MAC.  Returns 0 or -1.
 */
int	arp_na(unsigned int ifindex, const struct in6_addr *vip);
/*
 * The same from the source address src: a virtual-MAC interface has no
 * link-local address, and sends it from the VIP it announces.
 */
int	arp_na_from(unsigned int ifindex, const struct in6_addr *vip,
	    const struct in6_addr *src);

/* Pure builders, for tests: they fill exactly ARP_PKT_LEN / ARP_NA_LEN. */
void	arp_build_garp(uint8_t out[ARP_PKT_LEN],
	    const uint8_t mac[ARP_ETH_ALEN], const struct in_addr *vip);
void	arp_build_na(uint8_t out[ARP_NA_LEN], const uint8_t mac[ARP_ETH_ALEN],
	    const struct in6_addr *vip, bool router);

#endif /* ARP_H */
