/*
 * iotool.c: a small driver for 010-linux-io.sh, exercising raw.c,
 * netlink.c and arp.c against the real kernel inside a network namespace.
 * Built by the test itself; not part of carpd.
 *
 *   iotool send IF DST [SRC]		one 36-byte proto-112 packet
 *   iotool recv IF inet|inet6 SECS	join the group, print one packet
 *   iotool addradd IF ADDR/LEN LIFETIME
 *   iotool addrdel IF ADDR/LEN
 *   iotool addrlist IF
 *   iotool choose IF inet|inet6 ll|global [VIP/LEN ...]
 *   iotool purge IF VIP/LEN ...
 *   iotool link IF			print up=0 or up=1
 *   iotool monitor IF SECS		print link and address events
 *   iotool garp IF VIP | na IF VIP
 *   iotool nlcapture DIR		write raw link and address dumps
 */
#include <sys/types.h>
#include <sys/socket.h>
#include <net/if.h>
#include <netinet/in.h>
#include <arpa/inet.h>

#include <linux/netlink.h>
#include <linux/rtnetlink.h>

#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <libmnl/libmnl.h>

#include "agent/arp.h"
#include "agent/log.h"
#include "agent/netlink.h"
#include "agent/raw.h"

static unsigned int	iot_ifindex(const char *);
static int		iot_family(const char *);
static void		iot_addr(const char *, struct carp_addr *);
static const char	*iot_ntop(const struct carp_addr *);
static void		iot_link_cb(void *, const struct nl_link *, bool);
static void		iot_addr_cb(void *, const struct nl_addr *, bool);
static void		iot_resync_cb(void *);
static int		iot_capture(const char *, int, const char *);
static __dead void	iot_usage(void);

static unsigned int	iot_watch;

static __dead void
iot_usage(void)
{
	fprintf(stderr, "usage: iotool send|recv|addradd|addrdel|addrlist|"
	    "choose|purge|link|monitor|garp|na|nlcapture ...\n");
	exit(2);
}

static unsigned int
iot_ifindex(const char *name)
{
	unsigned int	 i;

	if ((i = if_nametoindex(name)) == 0)
		fatal("%s", name);
	return i;
}

static int
iot_family(const char *s)
{
	if (strcmp(s, "inet") == 0)
		return AF_INET;
	if (strcmp(s, "inet6") == 0)
		return AF_INET6;
	fatalx("bad family %s", s);
}

/* Parse ADDR or ADDR/LEN. */
static void
iot_addr(const char *s, struct carp_addr *a)
{
	char	 buf[128], *p;

	memset(a, 0, sizeof(*a));
	snprintf(buf, sizeof(buf), "%s", s);
	if ((p = strchr(buf, '/')) != NULL)
		*p++ = '\0';
	if (inet_pton(AF_INET, buf, &a->a.v4) == 1) {
		a->family = AF_INET;
		a->prefixlen = 32;
	} else if (inet_pton(AF_INET6, buf, &a->a.v6) == 1) {
		a->family = AF_INET6;
		a->prefixlen = 128;
	} else
		fatalx("bad address %s", s);
	if (p != NULL)
		a->prefixlen = (uint8_t)atoi(p);
}

static const char *
iot_ntop(const struct carp_addr *a)
{
	static char	 buf[INET6_ADDRSTRLEN];

	return inet_ntop(a->family, &a->a, buf, sizeof(buf));
}

static void
iot_link_cb(void *arg, const struct nl_link *l, bool deleted)
{
	(void)arg;
	if (iot_watch != 0 && l->ifindex != iot_watch)
		return;
	printf("link ifindex=%u name=%s up=%d deleted=%d\n", l->ifindex,
	    l->name, l->up, deleted);
	fflush(stdout);
}

static void
iot_addr_cb(void *arg, const struct nl_addr *a, bool deleted)
{
	(void)arg;
	if (iot_watch != 0 && a->ifindex != iot_watch)
		return;
	printf("addr %s ifindex=%u %s/%u flags=0x%x valid=%u\n",
	    deleted ? "del" : "new", a->ifindex, iot_ntop(&a->addr),
	    a->addr.prefixlen, a->flags, a->valid_s);
	fflush(stdout);
}

static void
iot_resync_cb(void *arg)
{
	(void)arg;
	printf("resync\n");
	fflush(stdout);
}

/* Dump links or addresses with libmnl and write each datagram to a file. */
static int
iot_capture(const char *dir, int type, const char *stem)
{
	struct mnl_socket	*nl;
	struct nlmsghdr		*nlh;
	struct rtgenmsg		*rt;
	static uint8_t		 buf[65536];
	char			 path[512];
	ssize_t			 n;
	FILE			*fp;
	int			 i = 0, done = 0;

	if ((nl = mnl_socket_open(NETLINK_ROUTE)) == NULL ||
	    mnl_socket_bind(nl, 0, MNL_SOCKET_AUTOPID) == -1)
		fatal("mnl_socket");
	nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = (uint16_t)type;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
	nlh->nlmsg_seq = 1;
	rt = mnl_nlmsg_put_extra_header(nlh, sizeof(*rt));
	rt->rtgen_family = AF_UNSPEC;
	if (mnl_socket_sendto(nl, nlh, nlh->nlmsg_len) == -1)
		fatal("sendto");
	while (!done) {
		if ((n = mnl_socket_recvfrom(nl, buf, sizeof(buf))) <= 0)
			fatal("recvfrom");
		done = nl_parse(buf, (size_t)n, &(struct nl_cbs){ 0 }) != 0;
		snprintf(path, sizeof(path), "%s/%s-%d.bin", dir, stem, i++);
		if ((fp = fopen(path, "w")) == NULL)
			fatal("%s", path);
		fwrite(buf, 1, (size_t)n, fp);
		fclose(fp);
	}
	mnl_socket_close(nl);
	return 0;
}

int
main(int argc, char *argv[])
{
	static uint8_t		 buf[RAW_BUFSZ];
	struct carp_addr	 a, b, vips[CARP_MAX_ADDRS];
	struct carp_rx		 rx;
	struct nl_cbs		 cbs;
	struct nl_addr		*list;
	struct pollfd		 pfd;
	uint8_t			 payload[CARP_HDR_LEN];
	unsigned int		 ifx;
	time_t			 end;
	size_t			 n, i;
	bool			 up;
	int			 fd, fam, r;

	log_init(1, 0);
	log_setverbose(1);
	if (argc < 3)
		iot_usage();
	if (strcmp(argv[1], "nlcapture") == 0) {
		iot_capture(argv[2], RTM_GETLINK, "link");
		iot_capture(argv[2], RTM_GETADDR, "addr");
		return 0;
	}
	ifx = iot_ifindex(argv[2]);
	memset(&cbs, 0, sizeof(cbs));
	cbs.link = iot_link_cb;
	cbs.addr = iot_addr_cb;
	cbs.resync = iot_resync_cb;

	if (strcmp(argv[1], "send") == 0 && argc >= 4) {
		iot_addr(argv[3], &a);
		memset(&b, 0, sizeof(b));
		if (argc >= 5)
			iot_addr(argv[4], &b);
		for (i = 0; i < sizeof(payload); i++)
			payload[i] = (uint8_t)i;
		payload[0] = 0x21;
		if ((fd = raw_open(a.family, CARP_DFLT_DSCP)) == -1)
			return 1;
		if (raw_send(fd, ifx, &b, &a, payload, sizeof(payload)) == -1)
			fatal("raw_send");
		printf("sent\n");
		return 0;
	}
	if (strcmp(argv[1], "recv") == 0 && argc >= 5) {
		fam = iot_family(argv[3]);
		if ((fd = raw_open(fam, CARP_DFLT_DSCP)) == -1 ||
		    raw_join(fd, fam, ifx) == -1)
			return 1;
		printf("ready\n");
		fflush(stdout);
		end = time(NULL) + atoi(argv[4]);
		while (time(NULL) < end) {
			pfd.fd = fd;
			pfd.events = POLLIN;
			if (poll(&pfd, 1, 200) <= 0)
				continue;
			while ((r = raw_recv(fd, fam, buf, sizeof(buf),
			    &rx)) == 1) {
				printf("len=%zu src=%s", rx.len,
				    iot_ntop(&rx.src));
				printf(" dst=%s ttl=%u ifindex=%u byte0=0x%02x\n",
				    iot_ntop(&rx.dst), rx.ttl, rx.ifindex,
				    rx.len > 0 ? rx.data[0] : 0);
				raw_leave(fd, fam, ifx);
				return 0;
			}
			if (r == -1)
				return 1;
		}
		fprintf(stderr, "recv: timeout\n");
		return 1;
	}
	if (strcmp(argv[1], "addradd") == 0 && argc >= 5) {
		iot_addr(argv[3], &a);
		return nl_addr_add(ifx, &a, (uint32_t)atol(argv[4])) == 0 ?
		    0 : 1;
	}
	if (strcmp(argv[1], "addrdel") == 0 && argc >= 4) {
		iot_addr(argv[3], &a);
		return nl_addr_del(ifx, &a) == 0 ? 0 : 1;
	}
	if (strcmp(argv[1], "addrlist") == 0) {
		if (nl_addr_list(ifx, AF_UNSPEC, &list, &n) == -1)
			return 1;
		for (i = 0; i < n; i++)
			iot_addr_cb(NULL, &list[i], false);
		free(list);
		return 0;
	}
	if (strcmp(argv[1], "choose") == 0 && argc >= 5) {
		fam = iot_family(argv[3]);
		for (n = 0; n < CARP_MAX_ADDRS && 5 + (int)n < argc; n++)
			iot_addr(argv[5 + n], &vips[n]);
		if (nl_addr_list(ifx, fam, &list, &i) == -1)
			return 1;
		r = nl_addr_choose(list, i, ifx, fam, vips, n,
		    strcmp(argv[4], "ll") == 0, &a);
		free(list);
		if (r == -1) {
			printf("none\n");
			return 1;
		}
		printf("%s\n", iot_ntop(&a));
		return 0;
	}
	if (strcmp(argv[1], "purge") == 0) {
		for (n = 0; n < CARP_MAX_ADDRS && 3 + (int)n < argc; n++)
			iot_addr(argv[3 + n], &vips[n]);
		if ((r = nl_addr_purge(ifx, vips, n)) == -1)
			return 1;
		printf("removed=%d\n", r);
		return 0;
	}
	if (strcmp(argv[1], "link") == 0) {
		if (nl_link_query(ifx, &up) == -1)
			return 1;
		printf("up=%d\n", up);
		return 0;
	}
	if (strcmp(argv[1], "monitor") == 0 && argc >= 4) {
		if (nl_open() == -1)
			return 1;
		iot_watch = ifx;
		if (nl_link_query(ifx, &up) == -1)
			return 1;
		printf("ready up=%d\n", up);
		fflush(stdout);
		end = time(NULL) + atoi(argv[3]);
		while (time(NULL) < end) {
			pfd.fd = nl_monitor_fd();
			pfd.events = POLLIN;
			if (poll(&pfd, 1, 200) > 0 &&
			    nl_monitor_read(&cbs) == -1)
				return 1;
		}
		return 0;
	}
	if (strcmp(argv[1], "garp") == 0 && argc >= 4) {
		iot_addr(argv[3], &a);
		return arp_garp(ifx, &a.a.v4) == 0 ? 0 : 1;
	}
	if (strcmp(argv[1], "na") == 0 && argc >= 4) {
		iot_addr(argv[3], &a);
		return arp_na(ifx, &a.a.v6) == 0 ? 0 : 1;
	}
	iot_usage();
}
