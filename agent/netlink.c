/*
 * netlink.c: rtnetlink through libmnl.  VIPs are added with a finite
 * lifetime and refreshed by the master (docs/protocol.md, decision 10);
 * link state comes from IFF_UP && IFF_RUNNING.
 */
#include <sys/types.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <net/if.h>
#include <netinet/in.h>
#include <arpa/inet.h>

#include <linux/filter.h>
#include <linux/if_addr.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>

#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <stddef.h>
#include <stdalign.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <libmnl/libmnl.h>

#include "agent/log.h"
#include "agent/netlink.h"
#include "agent/xmalloc.h"

#define NL_BUFSZ	32768		/* one datagram of a dump */
#define NL_TIMEOUT_S	1		/* wait for the kernel's answer */
#define NL_MSGSZ	512		/* one request we build */
#define NL_MON_RCVBUF	(1024 * 1024)
#define NL_HOLD_BUFSZ	16384		/* holds sent in one datagram */
/*
 * Renewals waiting for the renewal thread: 255 VHIDs renewing two
 * addresses each every 250 ms fill 16 KiB in about 150 ms, less than an
 * RTNL stall under load; 256 KiB waits four seconds without blocking the
 * event loop.  The thread sends them NL_HOLD_BUFSZ at a time.
 */
#define NL_BG_BUFSZ	(16 * NL_HOLD_BUFSZ)
/*
 * The renewal thread sends one release at a time, then looks for holds
 * again, and leaves the RTNL lock free for NL_REL_GAP_US before the next:
 * a link down holds the lock for an RCU grace period (16 ms here), and
 * neither a lease of 1 s nor another node's take-over on the same host
 * (the lab's) may wait for 255 of them in a row.
 */
#define NL_REL_CHUNK	1
#define NL_REL_GAP_US	1000

struct nl_attrs {
	const struct nlattr	*tb[IFLA_MAX > IFA_MAX ? IFLA_MAX + 1 :
				    IFA_MAX + 1];
	int			 max;
};

struct nl_list {
	struct nl_addr		*v;
	size_t			 n;
	size_t			 cap;
	unsigned int		 ifindex;
	int			 family;
};

struct nl_linkq {
	struct nl_link		*link;
	unsigned int		 ifindex;
	int			 found;
};

static int	nl_attr_cb(const struct nlattr *, void *);
static void	nl_attr_str(const struct nlattr *, char *, size_t);
static void	nl_linklist_cb(void *, const struct nl_link *, bool);
static void	nl_parse_link(const struct nlmsghdr *, const struct nl_cbs *);
static void	nl_parse_addr(const struct nlmsghdr *, const struct nl_cbs *);
static int	nl_request(struct nlmsghdr *, const struct nl_cbs *,
		    const char *);
static int	nl_seq_ok(const void *, size_t, uint32_t);
static void	nl_list_cb(void *, const struct nl_addr *, bool);
static void	nl_linkq_cb(void *, const struct nl_link *, bool);
static int	nl_addr_msg(struct nlmsghdr *, unsigned int,
		    const struct carp_addr *);
static int	nl_addr_eq(const struct carp_addr *, const struct carp_addr *);
static const char *nl_ntop(const struct carp_addr *, char *, size_t);

static struct mnl_socket	*nl_req;
static struct mnl_socket	*nl_mon;
static struct mnl_socket	*nl_async;	/* refreshes: no ACK awaited */
static uint32_t			 nl_seq;
static alignas(8) uint8_t	 nl_reqbuf[NL_BUFSZ];
static alignas(8) uint8_t	 nl_monbuf[NL_BUFSZ];
static alignas(8) uint8_t	 nl_holdbuf[NL_HOLD_BUFSZ];	/* queued holds */
static size_t			 nl_holdlen;
static alignas(8) uint8_t	 nl_linkqbuf[NL_HOLD_BUFSZ];	/* queued link ups */
static size_t			 nl_linkqlen;
static const struct nl_cbs	*nl_watch;	/* nl_monitor_watch() */
static size_t			 nl_holdn;
static alignas(8) uint8_t	 nl_relbuf[NL_HOLD_BUFSZ];	/* releases */
static size_t			 nl_rellen;

/*
 * The renewal sender: a thread that sends batches of holds on nl_async
 * for nl_hold_flush_bg().  The kernel carries a request out within the
 * send, under the RTNL lock, which any other process's link or address
 * change may hold for tens of milliseconds: a renewal sent from the
 * event loop would delay every advert due meanwhile (a 10 ms VRRPv3
 * master's misses its backups' deadlines).  bg_buf holds what waits;
 * bg_busy says a batch is being sent.
 *
 * Releases (a link down, address removals) wait in bg_rel and go
 * NL_REL_CHUNK requests at a time, each time after any holds waiting: the
 * renewals of the VHIDs still MASTER overtake them.  They may: a hold for
 * a released VHID comes only with its take-over.  A request from the
 * event loop (a take-over's link up and addresses among them) waits for
 * the holds and the release being sent, not for the releases queued: it
 * cancels those it would undo anyway (nl_rel_cancel), the link down of a
 * link it brings up or deletes, the removal of an address it adds or
 * removes, and the others go on after it.
 */
static struct {
	pthread_mutex_t		 mtx;
	pthread_cond_t		 cond;
	pthread_t		 thread;
	bool			 running;
	bool			 stop;
	bool			 busy;
	size_t			 len;
	size_t			 n;
	size_t			 rlen;
	alignas(8) uint8_t	 buf[NL_BG_BUFSZ];
	alignas(8) uint8_t	 rel[NL_BG_BUFSZ];
	alignas(8) uint8_t	 out[NL_BG_BUFSZ];	/* the thread's */
} nl_bg = { .mtx = PTHREAD_MUTEX_INITIALIZER,
    .cond = PTHREAD_COND_INITIALIZER };

static void	*nl_bg_main(void *);
static void	 nl_bg_wait(void);
static void	 nl_rel_cancel(const void *, size_t);
static void	 nl_rel_remove(size_t, size_t);
static bool	 nl_bg_idle(void);
static void	 nl_bg_stop(void);
static void	 nl_bg_send(const uint8_t *, size_t, size_t);
static void	 nl_hold_append(struct nlmsghdr *);
static bool	 nl_hold_gone(const void *, size_t);
static void	 nl_rel_append(struct nlmsghdr *);
static size_t	 nl_msgs_prefix(const uint8_t *, size_t, size_t, size_t *);
static struct nlmsghdr *nl_link_updown(void *, size_t, unsigned int, bool);
static struct nlmsghdr *nl_addr_delmsg(void *, unsigned int,
		    const struct carp_addr *, uint16_t);

/* Print an address with its prefix length for the logs. */
static const char *
nl_ntop(const struct carp_addr *a, char *buf, size_t len)
{
	char	 s[INET6_ADDRSTRLEN];

	if (inet_ntop(a->family, &a->a, s, sizeof(s)) == NULL)
		snprintf(s, sizeof(s), "?");
	snprintf(buf, len, "%s/%u", s, a->prefixlen);
	return buf;
}

/* Collect attributes by type; unknown and out-of-range ones are ignored. */
static int
nl_attr_cb(const struct nlattr *attr, void *arg)
{
	struct nl_attrs	*at = arg;
	int		 type = mnl_attr_get_type(attr);

	if (type >= 0 && type <= at->max)
		at->tb[type] = attr;
	return MNL_CB_OK;
}

/*
 * Copy a string attribute if it fits (with its NUL, which the kernel
 * always sends, or without); otherwise leave out "".
 */
static void
nl_attr_str(const struct nlattr *a, char *out, size_t outsz)
{
	const char	*p;
	size_t		 plen;

	out[0] = '\0';
	if (a == NULL)
		return;
	p = mnl_attr_get_payload(a);
	plen = strnlen(p, mnl_attr_get_payload_len(a));
	if (plen < outsz) {
		memcpy(out, p, plen);
		out[plen] = '\0';
	}
}

/* Parse an RTM_NEWLINK / RTM_DELLINK message. */
static void
nl_parse_link(const struct nlmsghdr *nlh, const struct nl_cbs *cbs)
{
	struct ifinfomsg	 ifi;
	struct nl_attrs		 at;
	struct nl_link		 l;
	const struct nlattr	*a;
	const char		*p;
	size_t			 plen;

	if (mnl_nlmsg_get_payload_len(nlh) < sizeof(ifi))
		return;
	memcpy(&ifi, mnl_nlmsg_get_payload(nlh), sizeof(ifi));
	if (ifi.ifi_index <= 0)
		return;
	memset(&at, 0, sizeof(at));
	at.max = IFLA_MAX;
	mnl_attr_parse(nlh, sizeof(ifi), nl_attr_cb, &at);

	memset(&l, 0, sizeof(l));
	l.ifindex = (unsigned int)ifi.ifi_index;
	l.flags = ifi.ifi_flags;
	l.up = (ifi.ifi_flags & IFF_UP) && (ifi.ifi_flags & IFF_RUNNING);
	if ((a = at.tb[IFLA_IFNAME]) != NULL) {
		p = mnl_attr_get_payload(a);
		plen = mnl_attr_get_payload_len(a);
		/* A name must be NUL-terminated and fit IF_NAMESIZE. */
		if (plen > 0 && memchr(p, '\0', plen) != NULL &&
		    strnlen(p, plen) < sizeof(l.name))
			memcpy(l.name, p, strnlen(p, plen));
	}
	if ((a = at.tb[IFLA_ADDRESS]) != NULL) {
		plen = mnl_attr_get_payload_len(a);
		if (plen <= sizeof(l.hwaddr)) {
			memcpy(l.hwaddr, mnl_attr_get_payload(a), plen);
			l.hwlen = plen;
		}
	}
	if ((a = at.tb[IFLA_LINK]) != NULL &&
	    mnl_attr_get_payload_len(a) == sizeof(uint32_t))
		l.link = mnl_attr_get_u32(a);
	nl_attr_str(at.tb[IFLA_IFALIAS], l.alias, sizeof(l.alias));
	if ((a = at.tb[IFLA_LINKINFO]) != NULL) {
		struct nl_attrs	 info;

		memset(&info, 0, sizeof(info));
		info.max = IFLA_INFO_MAX;
		if (mnl_attr_parse_nested(a, nl_attr_cb, &info) >= 0)
			nl_attr_str(info.tb[IFLA_INFO_KIND], l.kind,
			    sizeof(l.kind));
	}
	if (cbs->link != NULL)
		cbs->link(cbs->arg, &l, nlh->nlmsg_type == RTM_DELLINK);
}

/* Parse an RTM_NEWADDR / RTM_DELADDR message. */
static void
nl_parse_addr(const struct nlmsghdr *nlh, const struct nl_cbs *cbs)
{
	struct ifaddrmsg	 ifa;
	struct ifa_cacheinfo	 ci;
	struct nl_attrs		 at;
	struct nl_addr		 ad;
	const struct nlattr	*a;
	size_t			 alen;

	if (mnl_nlmsg_get_payload_len(nlh) < sizeof(ifa))
		return;
	memcpy(&ifa, mnl_nlmsg_get_payload(nlh), sizeof(ifa));
	if (ifa.ifa_family == AF_INET)
		alen = sizeof(struct in_addr);
	else if (ifa.ifa_family == AF_INET6)
		alen = sizeof(struct in6_addr);
	else
		return;
	if (ifa.ifa_index == 0 || ifa.ifa_prefixlen > alen * 8)
		return;
	memset(&at, 0, sizeof(at));
	at.max = IFA_MAX;
	mnl_attr_parse(nlh, sizeof(ifa), nl_attr_cb, &at);

	/* IFA_LOCAL is the address itself; IFA_ADDRESS the peer on ptp. */
	if ((a = at.tb[IFA_LOCAL]) == NULL && (a = at.tb[IFA_ADDRESS]) == NULL)
		return;
	if (mnl_attr_get_payload_len(a) != alen)
		return;
	memset(&ad, 0, sizeof(ad));
	ad.ifindex = ifa.ifa_index;
	ad.addr.family = ifa.ifa_family;
	ad.addr.prefixlen = ifa.ifa_prefixlen;
	memcpy(&ad.addr.a, mnl_attr_get_payload(a), alen);
	ad.flags = ifa.ifa_flags;
	ad.scope = ifa.ifa_scope;
	if ((a = at.tb[IFA_FLAGS]) != NULL &&
	    mnl_attr_get_payload_len(a) == sizeof(uint32_t))
		memcpy(&ad.flags, mnl_attr_get_payload(a), sizeof(uint32_t));
	ad.valid_s = ad.preferred_s = NL_LIFE_FOREVER;
	if ((a = at.tb[IFA_CACHEINFO]) != NULL &&
	    mnl_attr_get_payload_len(a) >= sizeof(ci)) {
		memcpy(&ci, mnl_attr_get_payload(a), sizeof(ci));
		ad.valid_s = ci.ifa_valid;
		ad.preferred_s = ci.ifa_prefered;
	}
	if (cbs->addr != NULL)
		cbs->addr(cbs->arg, &ad, nlh->nlmsg_type == RTM_DELADDR);
}

/* Walk a buffer of netlink messages and report links and addresses. */
int
nl_parse(const void *buf, size_t len, const struct nl_cbs *cbs)
{
	const struct nlmsghdr	*nlh = buf;
	struct nlmsgerr		 err;
	int			 left;

	left = len > INT_MAX ? INT_MAX : (int)len;
	for (; mnl_nlmsg_ok(nlh, left); nlh = mnl_nlmsg_next(nlh, &left)) {
		/*
		 * mnl_nlmsg_ok() compares nlmsg_len as an int: a huge
		 * length passes as negative and would never advance.
		 */
		if (nlh->nlmsg_len > (unsigned int)left)
			break;
		switch (nlh->nlmsg_type) {
		case NLMSG_NOOP:
			break;
		case NLMSG_DONE:
			return NL_PARSE_DONE;
		case NLMSG_ERROR:
			if (mnl_nlmsg_get_payload_len(nlh) < sizeof(err.error)) {
				errno = EBADMSG;
				return -1;
			}
			memcpy(&err.error, mnl_nlmsg_get_payload(nlh),
			    sizeof(err.error));
			if (err.error == 0)
				return NL_PARSE_DONE;
			/* Negated errno; anything else is nonsense. */
			errno = err.error < 0 && err.error > -4096 ?
			    -err.error : EPROTO;
			return -1;
		case RTM_NEWLINK:
		case RTM_DELLINK:
		case RTM_NEWADDR:
		case RTM_DELADDR:
			/*
			 * libmnl walks attributes up to the aligned end of
			 * the message: a last message cut short of it is
			 * dropped rather than read past the buffer.
			 */
			if (MNL_ALIGN(nlh->nlmsg_len) > (unsigned int)left)
				break;
			if (nlh->nlmsg_type == RTM_NEWLINK ||
			    nlh->nlmsg_type == RTM_DELLINK)
				nl_parse_link(nlh, cbs);
			else
				nl_parse_addr(nlh, cbs);
			break;
		default:
			break;
		}
	}
	return NL_PARSE_MORE;
}

/* Same address and family, prefix length not compared. */
static int
nl_addr_eq(const struct carp_addr *a, const struct carp_addr *b)
{
	if (a->family != b->family)
		return 0;
	if (a->family == AF_INET)
		return a->a.v4.s_addr == b->a.v4.s_addr;
	return memcmp(&a->a.v6, &b->a.v6, sizeof(a->a.v6)) == 0;
}

/* Pick the interface's own address to send adverts from. */
int
nl_addr_choose(const struct nl_addr *list, size_t n, unsigned int ifindex,
    int family, const struct carp_addr *vips, size_t nvips, bool linklocal,
    struct carp_addr *out)
{
	const struct nl_addr	*best = NULL;
	int			 score, bestscore = -1, ll;
	size_t			 i, j;

	for (i = 0; i < n; i++) {
		if (list[i].ifindex != ifindex ||
		    list[i].addr.family != family)
			continue;
		if (list[i].flags & (IFA_F_TENTATIVE | IFA_F_DADFAILED |
		    IFA_F_DEPRECATED))
			continue;
		for (j = 0; j < nvips; j++)
			if (nl_addr_eq(&list[i].addr, &vips[j]))
				break;
		if (j < nvips)
			continue;
		/* The first address of the best kind wins. */
		if (family == AF_INET)
			score = (list[i].flags & IFA_F_SECONDARY) ? 0 : 1;
		else {
			ll = IN6_IS_ADDR_LINKLOCAL(&list[i].addr.a.v6);
			score = (ll != 0) == linklocal ? 1 : 0;
		}
		if (score > bestscore) {
			best = &list[i];
			bestscore = score;
		}
	}
	if (best == NULL)
		return -1;
	*out = best->addr;
	return 0;
}

/* Open the request and monitor sockets. */
int
nl_open(void)
{
	struct timeval	 tv;
	int		 one = 1, sz = NL_MON_RCVBUF;

	if (nl_req != NULL)
		return 0;
	if ((nl_req = mnl_socket_open2(NETLINK_ROUTE, SOCK_CLOEXEC)) == NULL ||
	    mnl_socket_bind(nl_req, 0, MNL_SOCKET_AUTOPID) == -1) {
		log_warn("%s: request socket", __func__);
		goto fail;
	}
	tv.tv_sec = NL_TIMEOUT_S;
	tv.tv_usec = 0;
	if (setsockopt(mnl_socket_get_fd(nl_req), SOL_SOCKET, SO_RCVTIMEO,
	    &tv, sizeof(tv)) == -1) {
		log_warn("%s: SO_RCVTIMEO", __func__);
		goto fail;
	}
	/* Errors echo only the request's header, not all of it. */
	(void)mnl_socket_setsockopt(nl_req, NETLINK_CAP_ACK, &one,
	    sizeof(one));

	if ((nl_mon = mnl_socket_open2(NETLINK_ROUTE,
	    SOCK_CLOEXEC | SOCK_NONBLOCK)) == NULL ||
	    mnl_socket_bind(nl_mon, RTMGRP_LINK | RTMGRP_IPV4_IFADDR |
	    RTMGRP_IPV6_IFADDR, MNL_SOCKET_AUTOPID) == -1) {
		log_warn("%s: monitor socket", __func__);
		goto fail;
	}
	if ((nl_async = mnl_socket_open2(NETLINK_ROUTE,
	    SOCK_CLOEXEC | SOCK_NONBLOCK)) == NULL ||
	    mnl_socket_bind(nl_async, 0, MNL_SOCKET_AUTOPID) == -1) {
		log_warn("%s: refresh socket", __func__);
		goto fail;
	}
	(void)mnl_socket_setsockopt(nl_async, NETLINK_CAP_ACK, &one,
	    sizeof(one));
	/* A bigger buffer makes overruns rarer; they are handled anyway. */
	if (setsockopt(mnl_socket_get_fd(nl_mon), SOL_SOCKET, SO_RCVBUF,
	    &sz, sizeof(sz)) == -1)
		log_warn("%s: SO_RCVBUF", __func__);
	nl_seq = (uint32_t)time(NULL);
	return 0;
 fail:
	nl_close();
	return -1;
}

/* Close both sockets. */
void
nl_close(void)
{
	nl_hold_flush();
	nl_bg_stop();
	if (nl_req != NULL)
		mnl_socket_close(nl_req);
	if (nl_mon != NULL)
		mnl_socket_close(nl_mon);
	if (nl_async != NULL)
		mnl_socket_close(nl_async);
	nl_req = nl_mon = nl_async = NULL;
}

/* Return the monitor socket for the event loop. */
int
nl_monitor_fd(void)
{
	return nl_mon == NULL ? -1 : mnl_socket_get_fd(nl_mon);
}

/* Does this datagram answer the request with sequence number seq? */
static int
nl_seq_ok(const void *buf, size_t len, uint32_t seq)
{
	const struct nlmsghdr	*nlh = buf;

	return len >= sizeof(*nlh) && nlh->nlmsg_seq == seq &&
	    nlh->nlmsg_pid == mnl_socket_get_portid(nl_req);
}

/*
 * Send a request and parse the answer until NLMSG_DONE or the ACK.
 * Returns 0, or -1 with errno set (not logged: callers say what failed).
 */
static int
nl_request(struct nlmsghdr *nlh, const struct nl_cbs *cbs, const char *what)
{
	static const struct nl_cbs	 none;
	ssize_t				 n;
	int				 rv;

	if (nl_req == NULL && nl_open() == -1)
		return -1;
	/*
	 * After the queued holds: a removal must not be undone by one.  A
	 * dump only reads: it does not wait for the renewal thread's
	 * releases (the periodic re-read would hold the loop until they end),
	 * and hands it the holds instead.
	 */
	if (!(nlh->nlmsg_flags & NLM_F_DUMP) || nl_bg_idle()) {
		nl_link_flush();
		nl_hold_flush();
		nl_rel_cancel(nlh, nlh->nlmsg_len);
		nl_bg_wait();
	} else
		nl_hold_flush_bg();
	if (cbs == NULL)
		cbs = &none;
	nlh->nlmsg_seq = ++nl_seq;
	nlh->nlmsg_pid = 0;
	if (mnl_socket_sendto(nl_req, nlh, nlh->nlmsg_len) == -1) {
		log_debug("%s: %s: send: %s", __func__, what,
		    strerror(errno));
		return -1;
	}
	for (;;) {
		n = mnl_socket_recvfrom(nl_req, nl_reqbuf,
		    sizeof(nl_reqbuf));
		if (n == -1) {
			if (errno == EINTR)
				continue;
			if (errno == EAGAIN || errno == EWOULDBLOCK)
				errno = ETIMEDOUT;
			return -1;
		}
		/* Skip a late answer to an earlier request that timed out. */
		if (!nl_seq_ok(nl_reqbuf, (size_t)n, nlh->nlmsg_seq))
			continue;
		rv = nl_parse(nl_reqbuf, (size_t)n, cbs);
		if (rv == -1)
			return -1;
		if (rv == NL_PARSE_DONE)
			return 0;
	}
}

/* Fill an address message's body and attributes. */
static int
nl_addr_msg(struct nlmsghdr *nlh, unsigned int ifindex,
    const struct carp_addr *a)
{
	struct ifaddrmsg	*ifa;
	size_t			 alen;

	if (a->family == AF_INET)
		alen = sizeof(a->a.v4);
	else if (a->family == AF_INET6)
		alen = sizeof(a->a.v6);
	else {
		errno = EAFNOSUPPORT;
		return -1;
	}
	if (ifindex == 0 || a->prefixlen > alen * 8) {
		errno = EINVAL;
		return -1;
	}
	ifa = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifa));
	ifa->ifa_family = a->family;
	ifa->ifa_prefixlen = a->prefixlen;
	ifa->ifa_index = ifindex;
	ifa->ifa_scope = RT_SCOPE_UNIVERSE;
	if (a->family == AF_INET6 && IN6_IS_ADDR_LINKLOCAL(&a->a.v6))
		ifa->ifa_scope = RT_SCOPE_LINK;
	else if (a->family == AF_INET &&
	    (ntohl(a->a.v4.s_addr) >> 24) == IN_LOOPBACKNET)
		ifa->ifa_scope = RT_SCOPE_HOST;
	mnl_attr_put(nlh, IFA_LOCAL, alen, &a->a);
	mnl_attr_put(nlh, IFA_ADDRESS, alen, &a->a);
	return 0;
}

/* Build an RTM_NEWADDR that adds or refreshes an address. */
static int
nl_addr_newmsg(uint8_t *buf, unsigned int ifindex, const struct carp_addr *a,
    uint32_t lifetime_s, uint16_t flags)
{
	struct nlmsghdr		*nlh;
	struct ifaddrmsg	*ifa;
	struct ifa_cacheinfo	 ci;

	nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = RTM_NEWADDR;
	/* REPLACE: an existing address gets the new lifetime. */
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_CREATE | NLM_F_REPLACE |
	    flags;
	if (nl_addr_msg(nlh, ifindex, a) == -1)
		return -1;
	if (a->family == AF_INET6) {
		/* A VIP is ours by protocol: no DAD, never "tentative". */
		ifa = mnl_nlmsg_get_payload(nlh);
		ifa->ifa_flags = IFA_F_NODAD;
		mnl_attr_put_u32(nlh, IFA_FLAGS, IFA_F_NODAD);
	}
	if (lifetime_s != 0) {
		memset(&ci, 0, sizeof(ci));
		ci.ifa_valid = ci.ifa_prefered = lifetime_s;
		mnl_attr_put(nlh, IFA_CACHEINFO, sizeof(ci), &ci);
	}
	return 0;
}

/* Add or refresh an address with a finite lifetime; wait for the ACK. */
int
nl_addr_add(unsigned int ifindex, const struct carp_addr *a,
    uint32_t lifetime_s)
{
	alignas(8) uint8_t	 buf[NL_MSGSZ];
	char			 s[INET6_ADDRSTRLEN + 4];

	if (nl_addr_newmsg(buf, ifindex, a, lifetime_s, NLM_F_ACK) == -1) {
		log_warn("%s: bad address", __func__);
		return -1;
	}
	if (nl_request((struct nlmsghdr *)buf, NULL, "RTM_NEWADDR") == -1) {
		log_warn("%s: add %s on ifindex %u (lifetime %us)", __func__,
		    nl_ntop(a, s, sizeof(s)), ifindex, lifetime_s);
		return -1;
	}
	return 0;
}

/*
 * The same without waiting, and batched: the request joins the others
 * queued since the last nl_hold_flush(), which sends them all in one
 * datagram; the kernel carries them out within that send, in order, and
 * answers only those that failed, on a socket nl_hold_read() drains.
 */
int
nl_addr_hold(unsigned int ifindex, const struct carp_addr *a,
    uint32_t lifetime_s)
{
	alignas(8) uint8_t	 buf[NL_MSGSZ];
	struct nlmsghdr		*nlh = (struct nlmsghdr *)buf;

	if (nl_async == NULL)
		return nl_addr_add(ifindex, a, lifetime_s);
	if (nl_addr_newmsg(buf, ifindex, a, lifetime_s, 0) == -1) {
		log_warn("%s: bad address", __func__);
		return -1;
	}
	nl_hold_append(nlh);
	return 0;
}

/* Queue one request (no ACK asked) with the holds. */
static void
nl_hold_append(struct nlmsghdr *nlh)
{
	nlh->nlmsg_seq = ++nl_seq;
	if (nl_holdlen + NLMSG_ALIGN(nlh->nlmsg_len) > sizeof(nl_holdbuf))
		nl_hold_flush();
	memcpy(nl_holdbuf + nl_holdlen, nlh, nlh->nlmsg_len);
	nl_holdlen += NLMSG_ALIGN(nlh->nlmsg_len);
	nl_holdn++;
}

/* Queue one release (no ACK asked). */
static void
nl_rel_append(struct nlmsghdr *nlh)
{
	nlh->nlmsg_seq = ++nl_seq;
	if (nl_rellen + NLMSG_ALIGN(nlh->nlmsg_len) > sizeof(nl_relbuf))
		nl_hold_flush_bg();
	memcpy(nl_relbuf + nl_rellen, nlh, nlh->nlmsg_len);
	nl_rellen += NLMSG_ALIGN(nlh->nlmsg_len);
}

/*
 * A release, queued like the holds: nl_hold_flush_bg() hands it to the
 * renewal thread.  Taking a macvlan down waits for an RCU grace period
 * under the RTNL lock (about 16 ms here); 255 VHIDs released in one round
 * held the event loop for 4 s, during which it read no advert and sent
 * none.  The order is kept: the holds queued with it go before, the link
 * down before the address, and any later request waits for them (a dump
 * excepted).  What is already gone counts as removed (nl_hold_read).
 */
int
nl_link_down_hold(unsigned int ifindex)
{
	alignas(8) uint8_t	 buf[NL_MSGSZ];

	if (nl_async == NULL) {
		errno = ENOTCONN;
		return -1;
	}
	nl_rel_append(nl_link_updown(buf, sizeof(buf), ifindex, false));
	return 0;
}

int
nl_addr_del_hold(unsigned int ifindex, const struct carp_addr *a)
{
	alignas(8) uint8_t	 buf[NL_MSGSZ];
	struct nlmsghdr		*nlh;

	if (nl_async == NULL)
		return nl_addr_del(ifindex, a);
	if ((nlh = nl_addr_delmsg(buf, ifindex, a, 0)) == NULL) {
		log_warn("%s: bad address", __func__);
		return -1;
	}
	nl_rel_append(nlh);
	return 0;
}

/* An RTM_DELADDR request in buf (NL_MSGSZ); NULL for a bad address. */
static struct nlmsghdr *
nl_addr_delmsg(void *buf, unsigned int ifindex, const struct carp_addr *a,
    uint16_t flags)
{
	struct nlmsghdr	*nlh;

	memset(buf, 0, NL_MSGSZ);
	nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = RTM_DELADDR;
	nlh->nlmsg_flags = NLM_F_REQUEST | flags;
	return nl_addr_msg(nlh, ifindex, a) == -1 ? NULL : nlh;
}

/* Start a link message in a zeroed buffer (attribute padding included). */
struct nlmsghdr *
nl_linkmsg(void *buf, size_t len, uint16_t type, uint16_t flags,
    unsigned int ifindex, struct ifinfomsg **ifip)
{
	struct nlmsghdr		*nlh;
	struct ifinfomsg	*ifi;

	memset(buf, 0, len);
	nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = type;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK | flags;
	ifi = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifi));
	ifi->ifi_family = AF_UNSPEC;
	ifi->ifi_index = (int)ifindex;
	if (ifip != NULL)
		*ifip = ifi;
	return nlh;
}

/* A link up or down that asks for no ACK: failures only come back. */
static struct nlmsghdr *
nl_link_updown(void *buf, size_t len, unsigned int ifindex, bool up)
{
	struct nlmsghdr		*nlh;
	struct ifinfomsg	*ifi;

	nlh = nl_linkmsg(buf, len, RTM_NEWLINK, 0, ifindex, &ifi);
	nlh->nlmsg_flags &= (uint16_t)~NLM_F_ACK;
	ifi->ifi_change = IFF_UP;
	ifi->ifi_flags = up ? IFF_UP : 0;
	return nlh;
}

/*
 * Set a link up or down without waiting for the kernel's answer, queued
 * until nl_link_flush(): many VHIDs taking over in one round bring their
 * macvlans up with one datagram, not one round trip each.  Failures come
 * back on nl_hold_fd() like the holds'.
 */
int
nl_link_set_queued(unsigned int ifindex, bool up)
{
	alignas(8) uint8_t	 buf[NL_MSGSZ];
	struct nlmsghdr		*nlh;

	if (nl_async == NULL) {
		errno = ENOTCONN;
		return -1;
	}
	nlh = nl_link_updown(buf, sizeof(buf), ifindex, up);
	nlh->nlmsg_seq = ++nl_seq;
	if (nl_linkqlen + NLMSG_ALIGN(nlh->nlmsg_len) > sizeof(nl_linkqbuf))
		nl_link_flush();
	memcpy(nl_linkqbuf + nl_linkqlen, buf, nlh->nlmsg_len);
	nl_linkqlen += NLMSG_ALIGN(nlh->nlmsg_len);
	return 0;
}

/* Send the queued link changes, in one datagram.  Returns 0 or -1. */
int
nl_link_flush(void)
{
	size_t	 len = nl_linkqlen;

	if (len == 0)
		return 0;
	nl_linkqlen = 0;
	/* Not undone by a release the renewal thread has queued or sends. */
	nl_rel_cancel(nl_linkqbuf, len);
	nl_bg_wait();
	if (mnl_socket_sendto(nl_async, nl_linkqbuf, len) == -1) {
		log_warn("%s: link changes not sent", __func__);
		return -1;
	}
	return 0;
}

/* Are holds waiting for nl_hold_flush()? */
bool
nl_hold_pending(void)
{
	return nl_holdlen > 0 || nl_rellen > 0;
}

/* The renewal sender's loop. */
static void *
nl_bg_main(void *arg)
{
	size_t	 len, n;

	(void)arg;
	pthread_mutex_lock(&nl_bg.mtx);
	for (;;) {
		while (nl_bg.len == 0 && nl_bg.rlen == 0 && !nl_bg.stop)
			pthread_cond_wait(&nl_bg.cond, &nl_bg.mtx);
		if (nl_bg.len == 0 && nl_bg.rlen == 0)
			break;
		if (nl_bg.len > 0) {
			len = nl_bg.len;
			n = nl_bg.n;
			memcpy(nl_bg.out, nl_bg.buf, len);
			nl_bg.len = nl_bg.n = 0;
		} else {
			len = nl_msgs_prefix(nl_bg.rel, nl_bg.rlen,
			    NL_REL_CHUNK, &n);
			memcpy(nl_bg.out, nl_bg.rel, len);
			nl_rel_remove(0, len);
		}
		nl_bg.busy = true;
		pthread_mutex_unlock(&nl_bg.mtx);
		nl_bg_send(nl_bg.out, len, n);
		pthread_mutex_lock(&nl_bg.mtx);
		nl_bg.busy = false;
		pthread_cond_broadcast(&nl_bg.cond);
		if (nl_bg.rlen > 0 && nl_bg.len == 0 && !nl_bg.stop) {
			pthread_mutex_unlock(&nl_bg.mtx);
			usleep(NL_REL_GAP_US);
			pthread_mutex_lock(&nl_bg.mtx);
		}
	}
	pthread_mutex_unlock(&nl_bg.mtx);
	return NULL;
}

/*
 * The length of the first max (or fewer) whole, aligned requests in buf;
 * *n gets how many.
 */
static size_t
nl_msgs_prefix(const uint8_t *buf, size_t len, size_t max, size_t *n)
{
	const struct nlmsghdr	*nlh;
	size_t			 off = 0, mlen;

	for (*n = 0; *n < max && len - off >= NLMSG_HDRLEN; (*n)++) {
		nlh = (const struct nlmsghdr *)(const void *)(buf + off);
		mlen = NLMSG_ALIGN(nlh->nlmsg_len);
		if (mlen == 0 || mlen > len - off)
			break;
		off += mlen;
	}
	/* Never stuck on a malformed rest: it goes whole (and fails). */
	return *n == 0 ? len : off;
}

/*
 * Remove len bytes at off from the queued releases (nl_bg.mtx held).  A
 * loop rather than memmove(3): valgrind takes glibc's fortified memmove
 * of a static array for an overlapping memcpy (061).
 */
static void
nl_rel_remove(size_t off, size_t len)
{
	size_t	 i;

	for (i = off; i + len < nl_bg.rlen; i++)
		nl_bg.rel[i] = nl_bg.rel[i + len];
	nl_bg.rlen -= len;
}

/*
 * What a request is about, for nl_rel_cancel: the link (RTM_*LINK) or the
 * address and its link (RTM_*ADDR).  Returns false for anything else.
 */
static bool
nl_msg_key(const struct nlmsghdr *nlh, bool *is_link, unsigned int *ifindex,
    uint8_t addr[16], size_t *alen)
{
	const struct ifinfomsg	*ifi;
	const struct ifaddrmsg	*ifa;
	const struct nlattr	*a;

	switch (nlh->nlmsg_type) {
	case RTM_NEWLINK:
	case RTM_DELLINK:
		if (mnl_nlmsg_get_payload_len(nlh) < sizeof(*ifi))
			return false;
		ifi = mnl_nlmsg_get_payload(nlh);
		*is_link = true;
		*ifindex = (unsigned int)ifi->ifi_index;
		return true;
	case RTM_NEWADDR:
	case RTM_DELADDR:
		if (mnl_nlmsg_get_payload_len(nlh) < sizeof(*ifa))
			return false;
		ifa = mnl_nlmsg_get_payload(nlh);
		*is_link = false;
		*ifindex = ifa->ifa_index;
		*alen = 0;
		mnl_attr_for_each(a, nlh, sizeof(*ifa))
			if (mnl_attr_get_type(a) == IFA_LOCAL &&
			    mnl_attr_get_payload_len(a) <= 16) {
				*alen = mnl_attr_get_payload_len(a);
				memcpy(addr, mnl_attr_get_payload(a), *alen);
			}
		return *alen > 0;
	default:
		return false;
	}
}

/*
 * Drop from the renewal thread's queue the releases that the requests in
 * buf would undo, before they are sent: the link down of a link they
 * bring up or delete, the removal of an address they add or remove.  A
 * take-over right after a release then waits for no other VHID's.
 */
static void
nl_rel_cancel(const void *buf, size_t len)
{
	const struct nlmsghdr	*q, *r;
	size_t			 qoff, roff, rl, alen, ralen;
	unsigned int		 idx, ridx;
	uint8_t			 addr[16], raddr[16];
	bool			 link, rlink, drop;

	if (!nl_bg.running || len == 0)
		return;
	pthread_mutex_lock(&nl_bg.mtx);
	for (qoff = 0; nl_bg.rlen > 0 && len - qoff >= NLMSG_HDRLEN;
	    qoff += NLMSG_ALIGN(q->nlmsg_len)) {
		q = (const struct nlmsghdr *)(const void *)
		    ((const uint8_t *)buf + qoff);
		if (q->nlmsg_len < NLMSG_HDRLEN || q->nlmsg_len > len - qoff)
			break;
		if (!nl_msg_key(q, &link, &idx, addr, &alen))
			continue;
		for (roff = 0; roff + NLMSG_HDRLEN <= nl_bg.rlen; ) {
			r = (const struct nlmsghdr *)(const void *)
			    (nl_bg.rel + roff);
			rl = NLMSG_ALIGN(r->nlmsg_len);
			if (rl == 0 || rl > nl_bg.rlen - roff)
				break;
			drop = nl_msg_key(r, &rlink, &ridx, raddr, &ralen) &&
			    rlink == link && ridx == idx &&
			    (link || (ralen == alen &&
			    memcmp(raddr, addr, alen) == 0));
			if (!drop) {
				roff += rl;
				continue;
			}
			nl_rel_remove(roff, rl);
		}
	}
	pthread_mutex_unlock(&nl_bg.mtx);
}

/*
 * Send whole requests, at most NL_HOLD_BUFSZ bytes a datagram (what
 * nl_hold_flush_bg appended are whole, aligned requests).
 */
static void
nl_bg_send(const uint8_t *buf, size_t len, size_t n)
{
	const struct nlmsghdr	*nlh;
	size_t			 off = 0, start = 0, mlen;

	while (off < len) {
		nlh = (const struct nlmsghdr *)(const void *)(buf + off);
		mlen = NLMSG_ALIGN(nlh->nlmsg_len);
		if (mlen == 0 || mlen > len - off)
			break;
		if (off + mlen - start > NL_HOLD_BUFSZ) {
			if (mnl_socket_sendto(nl_async, buf + start,
			    off - start) == -1)
				log_warn("%s: address holds not sent",
				    __func__);
			start = off;
		}
		off += mlen;
	}
	if (off > start && mnl_socket_sendto(nl_async, buf + start,
	    off - start) == -1)
		log_warn("%s: address holds not sent (%zu in all)",
		    __func__, n);
}

/* Has the renewal sender nothing left to send? */
static bool
nl_bg_idle(void)
{
	bool	 idle;

	if (!nl_bg.running)
		return true;
	pthread_mutex_lock(&nl_bg.mtx);
	idle = nl_bg.len == 0 && nl_bg.rlen == 0 && !nl_bg.busy;
	pthread_mutex_unlock(&nl_bg.mtx);
	return idle;
}

/*
 * Wait until the renewal sender has sent its holds and the release in
 * hand; the releases queued stay queued.
 */
static void
nl_bg_wait(void)
{
	if (!nl_bg.running)
		return;
	pthread_mutex_lock(&nl_bg.mtx);
	while (nl_bg.len != 0 || nl_bg.busy)
		pthread_cond_wait(&nl_bg.cond, &nl_bg.mtx);
	pthread_mutex_unlock(&nl_bg.mtx);
}

/* Wait until the renewal sender has sent all it was given. */
void
nl_hold_drain(void)
{
	if (!nl_bg.running)
		return;
	pthread_mutex_lock(&nl_bg.mtx);
	while (nl_bg.len != 0 || nl_bg.rlen != 0 || nl_bg.busy)
		pthread_cond_wait(&nl_bg.cond, &nl_bg.mtx);
	pthread_mutex_unlock(&nl_bg.mtx);
}

/*
 * Hand the queued holds to the renewal sender and return at once (sent
 * here if it cannot start).  Any later request waits until they are sent
 * (nl_hold_flush), so a removal is never undone by an older refresh.
 */
int
nl_hold_flush_bg(void)
{
	if (nl_holdlen == 0 && nl_rellen == 0)
		return 0;
	if (!nl_bg.running) {
		if (pthread_create(&nl_bg.thread, NULL, nl_bg_main, NULL) !=
		    0) {
			log_warnx("%s: no renewal thread: renewals sent from "
			    "the event loop", __func__);
			return nl_hold_flush();
		}
		nl_bg.running = true;
	}
	pthread_mutex_lock(&nl_bg.mtx);
	/* The thread is behind by a whole buffer: wait for it. */
	while (nl_bg.len + nl_holdlen > sizeof(nl_bg.buf) ||
	    nl_bg.rlen + nl_rellen > sizeof(nl_bg.rel))
		pthread_cond_wait(&nl_bg.cond, &nl_bg.mtx);
	memcpy(nl_bg.buf + nl_bg.len, nl_holdbuf, nl_holdlen);
	nl_bg.len += nl_holdlen;
	nl_bg.n += nl_holdn;
	nl_holdlen = 0;
	nl_holdn = 0;
	memcpy(nl_bg.rel + nl_bg.rlen, nl_relbuf, nl_rellen);
	nl_bg.rlen += nl_rellen;
	nl_rellen = 0;
	pthread_cond_broadcast(&nl_bg.cond);
	pthread_mutex_unlock(&nl_bg.mtx);
	return 0;
}

/* Stop the renewal sender after it has sent what it holds. */
static void
nl_bg_stop(void)
{
	if (!nl_bg.running)
		return;
	pthread_mutex_lock(&nl_bg.mtx);
	nl_bg.stop = true;
	pthread_cond_broadcast(&nl_bg.cond);
	pthread_mutex_unlock(&nl_bg.mtx);
	pthread_join(nl_bg.thread, NULL);
	nl_bg.running = false;
	nl_bg.stop = false;
}

/*
 * Send the queued holds, in one datagram, after those the renewal sender
 * has.  Returns 0, or -1 (logged).
 */
int
nl_hold_flush(void)
{
	size_t	 len = nl_holdlen, n = nl_holdn, rlen = nl_rellen;
	int	 rv = 0;

	nl_rel_cancel(nl_holdbuf, len);
	nl_bg_wait();
	nl_holdlen = 0;
	nl_holdn = 0;
	nl_rellen = 0;
	if (len > 0 && mnl_socket_sendto(nl_async, nl_holdbuf, len) == -1) {
		log_warn("%s: %zu address refresh(es) not sent", __func__, n);
		rv = -1;
	}
	/* The releases after the holds, as the thread sends them. */
	if (rlen > 0)
		nl_bg_send(nl_relbuf, rlen, 0);
	return rv;
}

/* The socket nl_addr_hold() failures come back on, for the event loop. */
int
nl_hold_fd(void)
{
	return nl_async == NULL ? -1 : mnl_socket_get_fd(nl_async);
}

/*
 * Is this the failure of a queued release whose object is already gone:
 * an address removed (its lifetime ran out, or the macvlan went down and
 * took its IPv6 addresses along), a macvlan deleted?  Those count as
 * done, like nl_addr_del's.  The kernel returns the refused request's
 * header after the error code.
 */
static bool
nl_hold_gone(const void *buf, size_t len)
{
	const struct nlmsghdr	*nlh = buf;
	struct nlmsgerr		 err;
	size_t			 plen;
	int			 e;

	if (len < NLMSG_HDRLEN || nlh->nlmsg_type != NLMSG_ERROR ||
	    nlh->nlmsg_len > len)
		return false;
	plen = mnl_nlmsg_get_payload_len(nlh);
	if (plen < sizeof(err))
		return false;
	memcpy(&err, mnl_nlmsg_get_payload(nlh), sizeof(err));
	e = -err.error;
	switch (err.msg.nlmsg_type) {
	case RTM_DELADDR:
		return e == EADDRNOTAVAIL || e == ENOENT || e == ENODEV;
	case RTM_NEWLINK:
		/*
		 * The macvlan was deleted.  The error echoes only the
		 * header (NETLINK_CAP_ACK), so a queued link up that fails
		 * so is silent too: the monitor reports the deletion, and
		 * the engine makes the macvlan again (eng_nl_link).
		 */
		return e == ENODEV;
	default:
		return false;
	}
}

/* Drain and log the failures of nl_addr_hold() requests. */
int
nl_hold_read(void)
{
	alignas(8) uint8_t	 buf[NL_MSGSZ * 8];
	static const struct nl_cbs none;
	ssize_t			 n;
	int			 failed = 0;

	if (nl_async == NULL)
		return 0;
	while ((n = mnl_socket_recvfrom(nl_async, buf, sizeof(buf))) > 0) {
		if (nl_hold_gone(buf, (size_t)n))
			continue;
		if (nl_parse(buf, (size_t)n, &none) == -1) {
			log_warnx("netlink: holding a virtual address "
			    "failed: %s", strerror(errno));
			failed++;
		}
	}
	return failed;
}

/*
 * Follow address changes on the monitor socket, or not: a daemon that
 * refreshes its own addresses would mostly hear itself.
 */
int
nl_monitor_addrs(bool on)
{
	int	 g, groups[2] = { RTNLGRP_IPV4_IFADDR, RTNLGRP_IPV6_IFADDR };
	size_t	 i;

	if (nl_mon == NULL)
		return -1;
	for (i = 0; i < 2; i++) {
		g = groups[i];
		if (mnl_socket_setsockopt(nl_mon, on ?
		    NETLINK_ADD_MEMBERSHIP : NETLINK_DROP_MEMBERSHIP, &g,
		    sizeof(g)) == -1) {
			log_warn("%s: group %d", __func__, g);
			return -1;
		}
	}
	return 0;
}

/*
 * Receive address removals only: a classic BPF filter on the monitor
 * socket drops every RTM_NEWADDR in the kernel (a master renews its VIPs
 * with every other advert, and would wake up for each), then the address
 * groups are joined.  The message type is read as the kernel wrote it,
 * in host order; a BPF half-word load is big-endian, hence htons.
 */
int
nl_monitor_deletions(void)
{
	struct sock_filter	 code[] = {
		BPF_STMT(BPF_LD | BPF_H | BPF_ABS,
		    offsetof(struct nlmsghdr, nlmsg_type)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, htons(RTM_NEWADDR), 0, 1),
		BPF_STMT(BPF_RET | BPF_K, 0),
		BPF_STMT(BPF_RET | BPF_K, 0xffffffffU),
	};
	struct sock_fprog	 prog = { sizeof(code) / sizeof(code[0]), code };

	if (nl_mon == NULL)
		return -1;
	if (setsockopt(mnl_socket_get_fd(nl_mon), SOL_SOCKET,
	    SO_ATTACH_FILTER, &prog, sizeof(prog)) == -1) {
		log_warn("%s: SO_ATTACH_FILTER", __func__);
		return -1;
	}
	return nl_monitor_addrs(true);
}

/* Remove an address; a missing one is not an error. */
int
nl_addr_del(unsigned int ifindex, const struct carp_addr *a)
{
	alignas(8) uint8_t	 buf[NL_MSGSZ];
	struct nlmsghdr		*nlh;
	char			 s[INET6_ADDRSTRLEN + 4];

	if ((nlh = nl_addr_delmsg(buf, ifindex, a, NLM_F_ACK)) == NULL) {
		log_warn("%s: bad address", __func__);
		return -1;
	}
	if (nl_request(nlh, NULL, "RTM_DELADDR") == -1) {
		/* Already gone, e.g. its lifetime ran out. */
		if (errno == EADDRNOTAVAIL || errno == ENOENT ||
		    errno == ENODEV)
			return 0;
		log_warn("%s: delete %s on ifindex %u", __func__,
		    nl_ntop(a, s, sizeof(s)), ifindex);
		return -1;
	}
	return 0;
}

/* Collect one dumped address if it matches the filter. */
static void
nl_list_cb(void *arg, const struct nl_addr *a, bool deleted)
{
	struct nl_list	*l = arg;

	if (deleted || (l->ifindex != 0 && a->ifindex != l->ifindex) ||
	    (l->family != AF_UNSPEC && a->addr.family != l->family))
		return;
	if (l->n == l->cap) {
		l->cap = l->cap == 0 ? 16 : l->cap * 2;
		l->v = xreallocarray(l->v, l->cap, sizeof(*l->v));
	}
	l->v[l->n++] = *a;
}

/* Dump the addresses of an interface and family. */
int
nl_addr_list(unsigned int ifindex, int family, struct nl_addr **list,
    size_t *n)
{
	alignas(8) uint8_t	 buf[NL_MSGSZ];
	struct nlmsghdr		*nlh;
	struct ifaddrmsg	*ifa;
	struct nl_list		 l;
	struct nl_cbs		 cbs;

	memset(&l, 0, sizeof(l));
	l.ifindex = ifindex;
	l.family = family;
	memset(&cbs, 0, sizeof(cbs));
	cbs.addr = nl_list_cb;
	cbs.arg = &l;

	nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = RTM_GETADDR;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
	ifa = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifa));
	ifa->ifa_family = (uint8_t)family;
	if (nl_request(nlh, &cbs, "RTM_GETADDR") == -1) {
		log_warn("%s: address dump", __func__);
		free(l.v);
		return -1;
	}
	*list = l.v;
	*n = l.n;
	return 0;
}

/* Remove exact copies of configured VIPs left on an interface. */
int
nl_addr_purge(unsigned int ifindex, const struct carp_addr *vips,
    size_t nvips)
{
	struct nl_addr	*list;
	size_t		 n, i, j;
	int		 removed = 0;
	char		 s[INET6_ADDRSTRLEN + 4];

	if (nl_addr_list(ifindex, AF_UNSPEC, &list, &n) == -1)
		return -1;
	for (i = 0; i < n; i++) {
		for (j = 0; j < nvips; j++)
			if (nl_addr_eq(&list[i].addr, &vips[j]) &&
			    list[i].addr.prefixlen == vips[j].prefixlen)
				break;
		if (j == nvips)
			continue;
		log_info("removing stale VIP %s from ifindex %u",
		    nl_ntop(&list[i].addr, s, sizeof(s)), ifindex);
		if (nl_addr_del(ifindex, &list[i].addr) == -1) {
			free(list);
			return -1;
		}
		removed++;
	}
	free(list);
	return removed;
}

/* Keep the link a query asked for. */
static void
nl_linkq_cb(void *arg, const struct nl_link *l, bool deleted)
{
	struct nl_linkq	*q = arg;

	if (deleted || l->ifindex != q->ifindex)
		return;
	*q->link = *l;
	q->found = 1;
}

/* Ask the kernel about one link. */
int
nl_link_get(unsigned int ifindex, struct nl_link *link)
{
	alignas(8) uint8_t	 buf[NL_MSGSZ];
	struct nlmsghdr		*nlh;
	struct ifinfomsg	*ifi;
	struct nl_linkq		 q;
	struct nl_cbs		 cbs;

	if (ifindex == 0 || ifindex > INT_MAX) {
		errno = ENODEV;
		log_warn("%s: ifindex %u", __func__, ifindex);
		return -1;
	}
	memset(&q, 0, sizeof(q));
	q.link = link;
	q.ifindex = ifindex;
	memset(&cbs, 0, sizeof(cbs));
	cbs.link = nl_linkq_cb;
	cbs.arg = &q;

	nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = RTM_GETLINK;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK;
	ifi = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifi));
	ifi->ifi_family = AF_UNSPEC;
	ifi->ifi_index = (int)ifindex;
	if (nl_request(nlh, &cbs, "RTM_GETLINK") == -1) {
		log_warn("%s: ifindex %u", __func__, ifindex);
		return -1;
	}
	if (!q.found) {
		errno = ENODEV;
		log_warn("%s: ifindex %u", __func__, ifindex);
		return -1;
	}
	return 0;
}

struct nl_linklist {
	struct nl_link	*v;
	size_t		 n;
	size_t		 cap;
};

static void
nl_linklist_cb(void *arg, const struct nl_link *link, bool deleted)
{
	struct nl_linklist	*l = arg;

	if (deleted)
		return;
	if (l->n == l->cap) {
		l->cap = l->cap == 0 ? 16 : l->cap * 2;
		l->v = xreallocarray(l->v, l->cap, sizeof(*l->v));
	}
	l->v[l->n++] = *link;
}

/* Dump every link. */
int
nl_link_list(struct nl_link **list, size_t *n)
{
	alignas(8) uint8_t	 buf[NL_MSGSZ];
	struct nlmsghdr		*nlh;
	struct ifinfomsg	*ifi;
	struct nl_linklist	 l;
	struct nl_cbs		 cbs;

	memset(&l, 0, sizeof(l));
	memset(&cbs, 0, sizeof(cbs));
	cbs.link = nl_linklist_cb;
	cbs.arg = &l;
	nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = RTM_GETLINK;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
	ifi = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifi));
	ifi->ifi_family = AF_UNSPEC;
	if (nl_request(nlh, &cbs, "RTM_GETLINK") == -1) {
		log_warn("%s: link dump", __func__);
		free(l.v);
		return -1;
	}
	*list = l.v;
	*n = l.n;
	return 0;
}

/* A request of the caller's, answered by an ACK. */
int
nl_send(void *nlh)
{
	return nl_request(nlh, NULL, "request");
}

/* Tell whether a link is up and has carrier. */
int
nl_link_query(unsigned int ifindex, bool *up)
{
	struct nl_link	 l;

	if (nl_link_get(ifindex, &l) == -1)
		return -1;
	*up = l.up;
	return 0;
}

/* Drain the monitor socket, reporting changes and overruns. */
int
nl_monitor_read(const struct nl_cbs *cbs)
{
	ssize_t	 n;
	int	 overrun = 0;

	if (nl_mon == NULL) {
		errno = EBADF;
		log_warn("%s", __func__);
		return -1;
	}
	for (;;) {
		n = mnl_socket_recvfrom(nl_mon, nl_monbuf,
		    sizeof(nl_monbuf));
		if (n == -1) {
			if (errno == EAGAIN || errno == EWOULDBLOCK)
				break;
			if (errno == EINTR)
				continue;
			/* Messages were lost: keep draining, then resync. */
			if (errno == ENOBUFS) {
				overrun = 1;
				continue;
			}
			log_warn("%s: recv", __func__);
			return -1;
		}
		(void)nl_parse(nl_monbuf, (size_t)n, cbs);
		if (nl_watch != NULL)
			(void)nl_parse(nl_monbuf, (size_t)n, nl_watch);
	}
	if (overrun) {
		log_info("%s: netlink overrun, resynchronising", __func__);
		if (cbs->resync != NULL)
			cbs->resync(cbs->arg);
		if (nl_watch != NULL && nl_watch->resync != NULL)
			nl_watch->resync(nl_watch->arg);
	}
	return 0;
}

/* The second listener; see netlink.h. */
void
nl_monitor_watch(const struct nl_cbs *cbs)
{
	nl_watch = cbs;
}
