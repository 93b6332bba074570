/*
 * netlink.h: rtnetlink through libmnl: VIP addresses, link state, and a
 * monitor socket for link and address changes.
 *
 * Two sockets: a request socket used synchronously (each request waits for
 * the kernel's answer, one second at most), and a non-blocking monitor
 * socket subscribed to RTMGRP_LINK, RTMGRP_IPV4_IFADDR and
 * RTMGRP_IPV6_IFADDR for the daemon's event loop.
 */
#ifndef NETLINK_H
#define NETLINK_H

#include <sys/types.h>
#include <net/if.h>

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <linux/netlink.h>

#include "carp/carp.h"

#define NL_HWADDR_MAX	32	/* MAX_ADDR_LEN in the kernel */
#define NL_LIFE_FOREVER	0xffffffffU	/* INFINITY_LIFE_TIME */
#define NL_ALIAS_MAX	128	/* longer aliases are left out */

/* A link, from RTM_NEWLINK / RTM_DELLINK. */
struct nl_link {
	unsigned int	 ifindex;
	char		 name[IF_NAMESIZE];	/* "" if absent */
	unsigned int	 flags;		/* IFF_* */
	bool		 up;		/* IFF_UP && IFF_RUNNING */
	uint8_t		 hwaddr[NL_HWADDR_MAX];
	size_t		 hwlen;		/* 0 if absent */
	unsigned int	 link;		/* IFLA_LINK: parent ifindex, or 0 */
	char		 kind[16];	/* IFLA_INFO_KIND ("macvlan"), or "" */
	char		 alias[NL_ALIAS_MAX];	/* IFLA_IFALIAS, or "" */
};

/* An address, from RTM_NEWADDR / RTM_DELADDR. */
struct nl_addr {
	unsigned int	 ifindex;
	struct carp_addr addr;		/* IFA_LOCAL, else IFA_ADDRESS */
	uint32_t	 flags;		/* IFA_F_*, IFA_FLAGS if present */
	uint8_t		 scope;		/* RT_SCOPE_* */
	uint32_t	 valid_s;	/* NL_LIFE_FOREVER if permanent */
	uint32_t	 preferred_s;
};

/*
 * What a parse reports.  Any callback may be NULL.  deleted is true for
 * RTM_DELLINK / RTM_DELADDR.
 */
struct nl_cbs {
	void	(*link)(void *arg, const struct nl_link *, bool deleted);
	void	(*addr)(void *arg, const struct nl_addr *, bool deleted);
	/* The monitor lost messages (ENOBUFS): re-query every link. */
	void	(*resync)(void *arg);
	void	*arg;
};

/* nl_parse() results besides -1. */
#define NL_PARSE_MORE	0	/* messages parsed, more may follow */
#define NL_PARSE_DONE	1	/* NLMSG_DONE or an ACK (error 0) seen */

/*
 * Pure: parse a buffer of netlink messages as read from a socket and call
 * back for every link and address message of family AF_INET/AF_INET6 (or
 * AF_UNSPEC links).  Malformed messages are skipped, never read past len;
 * buf must be 4-byte aligned.  Returns NL_PARSE_MORE, NL_PARSE_DONE, or -1
 * with errno set from an NLMSG_ERROR message (or EBADMSG for a truncated
 * error message).
 */
int	nl_parse(const void *buf, size_t len, const struct nl_cbs *);

/*
 * Pure: choose the source address for adverts of a family on an interface
 * from a list of its addresses: never one of the VIPs (compared by address
 * alone), never tentative, DAD-failed or deprecated.  IPv6 prefers a
 * link-local address when linklocal is true (adverts to ff02::12), a
 * global one otherwise (unicast peer6); IPv4 prefers a primary (not
 * IFA_F_SECONDARY) address.  Returns 0, or -1 if none fits.
 */
int	nl_addr_choose(const struct nl_addr *, size_t, unsigned int ifindex,
	    int family, const struct carp_addr *vips, size_t nvips,
	    bool linklocal, struct carp_addr *out);

/* Open both sockets.  Returns 0 or -1. */
int	nl_open(void);
void	nl_close(void);

/*
 * Add or refresh an address with a valid and preferred lifetime of
 * lifetime_s seconds (0: permanent).  IPv6 addresses skip DAD.  Returns 0,
 * or -1 with the kernel's errno, logged.
 */
int	nl_addr_add(unsigned int ifindex, const struct carp_addr *,
	    uint32_t lifetime_s);
/*
 * The same, without waiting for the kernel's answer, and queued: the
 * queue goes in one datagram at nl_hold_flush() (or before any other
 * request, so a removal is never undone by an older refresh; or when the
 * queue is full).  Failures come back on nl_hold_fd(), which nl_hold_read()
 * drains and logs (returning how many failed).
 */
int	nl_addr_hold(unsigned int ifindex, const struct carp_addr *,
	    uint32_t lifetime_s);
bool	nl_hold_pending(void);
/*
 * Set a link up or down, queued and without waiting, like the holds: the
 * queue goes in one datagram at nl_link_flush(), or before any
 * synchronous request.  Returns 0 or -1.
 */
int	nl_link_set_queued(unsigned int ifindex, bool up);
/*
 * A release, queued with the holds (and sent with them, by the renewal
 * thread at nl_hold_flush_bg()): a link down, an address removal.  What
 * is already gone counts as removed.  Returns 0 or -1.
 */
int	nl_link_down_hold(unsigned int ifindex);
int	nl_addr_del_hold(unsigned int ifindex, const struct carp_addr *);
/*
 * Start an RTM_*LINK request (NLM_F_REQUEST | NLM_F_ACK | flags) for
 * ifindex (0: none) in buf, zeroed first; *ifip (if not NULL) gets its
 * ifinfomsg.  For nl_send().
 */
struct ifinfomsg;
struct nlmsghdr	*nl_linkmsg(void *buf, size_t len, uint16_t type,
		    uint16_t flags, unsigned int ifindex,
		    struct ifinfomsg **ifip);
int	nl_link_flush(void);
int	nl_hold_flush(void);
/*
 * Hand the queued holds to a thread that sends them, and return at once:
 * renewals must not wait for the RTNL lock in the event loop.  Any later
 * synchronous request (and nl_hold_flush) first waits for them, and for
 * the releases it would undo (agent/netlink.c, nl_rel_cancel).
 */
int	nl_hold_flush_bg(void);
/*
 * Wait until the renewal thread has sent everything it was given, the
 * releases queued included (a request waits only for the holds and the
 * release in hand).
 */
void	nl_hold_drain(void);
int	nl_hold_fd(void);
int	nl_hold_read(void);
/* Receive address changes on the monitor socket (on after nl_open). */
int	nl_monitor_addrs(bool on);
/*
 * Receive address removals, but no additions or renewals (filtered in
 * the kernel), on the monitor socket.  Returns 0 or -1 (logged).
 */
int	nl_monitor_deletions(void);
/* Remove an address; one that is not there counts as removed. */
int	nl_addr_del(unsigned int ifindex, const struct carp_addr *);
/*
 * List the addresses of one interface (ifindex 0: every interface) and
 * family (AF_UNSPEC: both) into *list, allocated (free it).  Returns 0 or -1.
 */
int	nl_addr_list(unsigned int ifindex, int family, struct nl_addr **list,
	    size_t *n);
/*
 * Remove from an interface every address equal (address and prefix
 * length) to one of the given VIPs, such as a crashed carpd left behind;
 * other addresses are never touched.  Returns the number removed or -1.
 */
int	nl_addr_purge(unsigned int ifindex, const struct carp_addr *vips,
	    size_t nvips);
/* Read one link.  Returns 0, or -1 (ENODEV if there is no such link). */
int	nl_link_get(unsigned int ifindex, struct nl_link *);
/*
 * Every link, into *list, allocated (free it).  Returns 0 or -1 (logged).
 */
int	nl_link_list(struct nl_link **list, size_t *n);
/*
 * Send a request built by the caller (with libmnl) on the request socket,
 * after the queued holds, and wait for the kernel's answer (the caller
 * sets NLM_F_ACK).  Returns 0, or -1 with errno (not logged).
 */
int	nl_send(void *nlh);
/* Is the link up and running (carrier)?  Returns 0 or -1. */
int	nl_link_query(unsigned int ifindex, bool *up);

/* The monitor socket, non-blocking, for the event loop; -1 if not open. */
int	nl_monitor_fd(void);
/*
 * Drain the monitor socket and call back for each change.  On an overrun
 * (ENOBUFS) cbs->resync is called once.  Returns 0 or -1 (logged).
 */
int	nl_monitor_read(const struct nl_cbs *);
/*
 * A second listener of the monitor's messages (agent/track.c): after the
 * callbacks given to nl_monitor_read(), each message read also goes to
 * these, and an overrun to their resync.  NULL: none.
 */
void	nl_monitor_watch(const struct nl_cbs *);

#endif /* NETLINK_H */
