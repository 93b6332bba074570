/*
 * vmac.h: the virtual MAC 00:00:5e:00:01:VHID on Linux, as FreeBSD's
 * kernel CARP uses it (docs/protocol.md, decision 12).
 *
 * Each VHID in mac-mode virtual gets a macvlan of its parent, mode vepa,
 * with the virtual MAC.  It is up only while the VHID is MASTER: a down
 * macvlan cannot send a single frame, so a BACKUP never speaks for the
 * virtual MAC.  It carries the VIPs (as /32 and /128, no prefix route),
 * answers ARP and neighbour solicitations for them with the virtual MAC,
 * and the master's multicast adverts, gratuitous ARPs and unsolicited NAs
 * leave through it.  Adverts are received on the parent only.
 *
 * The parent answers ARP only for its own addresses (arp_ignore 1) and
 * asks with its own address (arp_announce 2); its values before carpd are
 * kept in the macvlan's alias, the ownership marker, so that they are
 * restored when its last macvlan goes, even after a crash.
 */
#ifndef VMAC_H
#define VMAC_H

#include <net/if.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define VMAC_ALIAS_PREFIX	"carpd vhid="	/* the ownership marker */

/*
 * The fifth byte of a virtual MAC: 01 for CARP (both families, as
 * FreeBSD) and VRRPv3 over IPv4, 02 for VRRPv3 over IPv6 (RFC 5798 7.3;
 * docs/protocol.md, decision 18).
 */
#define VMAC_KIND_IP4	1
#define VMAC_KIND_IP6	2

/* One VHID's macvlan. */
struct vmac {
	unsigned int	 ifindex;	/* 0: none */
	unsigned int	 parent;
	uint8_t		 vhid;
	uint8_t		 kind;		/* VMAC_KIND_* */
	bool		 up;		/* admin up (we set it) */
	char		 name[IF_NAMESIZE];
};

/* The virtual MAC of a VHID: 00:00:5e:00:01:VHID. */
void	vmac_addr(uint8_t vhid, uint8_t mac[6]);
/* The same with the kind: 00:00:5e:00:KIND:VHID. */
void	vmac_addr_kind(uint8_t vhid, uint8_t kind, uint8_t mac[6]);
/*
 * The macvlan's name: "vmacVHID-PARENTINDEX" (at most 15 characters).
 * Returns 0, or -1 if it does not fit.
 */
int	vmac_name(uint8_t vhid, unsigned int parent, char *out, size_t len);
/* The same with the kind: VMAC_KIND_IP6's adds "-6". */
int	vmac_name_kind(uint8_t vhid, uint8_t kind, unsigned int parent,
	    char *out, size_t len);
/*
 * Parse an ownership alias ("carpd vhid=N parent=IF arp_ignore=A
 * arp_announce=B"); the sysctl values are -1 when absent.  Pure, for
 * tests.  Returns 0, or -1 if it is not one of ours.
 */
int	vmac_alias_parse(const char *alias, unsigned int *vhid, char *parent,
	    size_t parentlen, int *arp_ignore, int *arp_announce);
/*
 * Delete every macvlan an earlier carpd left behind (kind macvlan, alias
 * VMAC_ALIAS_PREFIX) and restore its parent's ARP settings from the
 * alias.  Returns the number deleted, or -1 (logged).
 */
int	vmac_cleanup(void);
/*
 * Create a VHID's macvlan on a parent, down, with the virtual MAC, no
 * link-local address (addrgenmode none), IPv6 disabled unless ipv6, and
 * the ARP settings; a leftover of the same name is replaced.  Returns 0,
 * or -1 (logged; v->ifindex stays 0).
 */
int	vmac_create(struct vmac *v, unsigned int parent, uint8_t vhid,
	    bool ipv6);
/* The same for a kind of virtual MAC (vmac_create: VMAC_KIND_IP4). */
int	vmac_create_kind(struct vmac *v, unsigned int parent, uint8_t vhid,
	    uint8_t kind, bool ipv6);
/* Set the macvlan up or down.  Returns 0 or -1 (logged). */
int	vmac_set_up(struct vmac *v, bool up);
/*
 * Set it up without waiting: queued until nl_link_flush() (see
 * nl_link_set_queued), so that many VHIDs taking over at once do not wait
 * for a round trip each.  Returns 0 or -1.
 */
int	vmac_set_up_queued(struct vmac *v);
/*
 * Set it down without waiting, behind the holds (nl_link_down_hold): a
 * release.  Returns 0 or -1.
 */
int	vmac_set_down_hold(struct vmac *v);
/*
 * Delete the macvlan (if there is one) and restore the parent's ARP
 * settings when it was the parent's last.  Safe on a zeroed struct vmac.
 */
void	vmac_destroy(struct vmac *v);
/* The macvlan went away by itself (RTM_DELLINK): forget it, keep the parent's count right. */
void	vmac_gone(struct vmac *v);

#endif /* VMAC_H */
