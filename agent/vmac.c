/*
 * vmac.c: one macvlan per VHID with the virtual MAC 00:00:5e:00:01:VHID,
 * through rtnetlink (libmnl) and the interfaces' sysctls.  See vmac.h and
 * docs/protocol.md, decision 12, for why each setting is what it is.
 */
#include <sys/types.h>
#include <sys/socket.h>
#include <net/if.h>

#include <linux/if_link.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>

#include <errno.h>
#include <fcntl.h>
#include <stdalign.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <libmnl/libmnl.h>

#include "agent/log.h"
#include "agent/netlink.h"
#include "agent/vmac.h"
#include "agent/xmalloc.h"

#define VMAC_MSGSZ	1024
#define VMAC_ALIASSZ	128
#define VMAC_MLD_IVAL_MS 10	/* MLD repeats within; 1000 by default */

/* A parent with macvlans of ours, and its ARP settings before carpd. */
struct vmac_parent {
	unsigned int		 ifindex;
	char			 name[IF_NAMESIZE];
	int			 arp_ignore;	/* -1: unknown, left alone */
	int			 arp_announce;
	int			 refs;
	struct vmac_parent	*next;
};

static struct vmac_parent	*vmac_parents;

static int	vmac_sysctl_get(const char *, const char *, const char *);
static int	vmac_sysctl_set(const char *, const char *, const char *, int);
static int	vmac_del_index(unsigned int);
static struct vmac_parent *vmac_parent_ref(unsigned int);
static void	vmac_parent_unref(unsigned int);
static void	vmac_parent_restore(const char *, int, int);

void
vmac_addr(uint8_t vhid, uint8_t mac[6])
{
	vmac_addr_kind(vhid, VMAC_KIND_IP4, mac);
}

void
vmac_addr_kind(uint8_t vhid, uint8_t kind, uint8_t mac[6])
{
	mac[0] = 0x00;
	mac[1] = 0x00;
	mac[2] = 0x5e;
	mac[3] = 0x00;
	mac[4] = kind;
	mac[5] = vhid;
}

int
vmac_name(uint8_t vhid, unsigned int parent, char *out, size_t len)
{
	return vmac_name_kind(vhid, VMAC_KIND_IP4, parent, out, len);
}

int
vmac_name_kind(uint8_t vhid, uint8_t kind, unsigned int parent, char *out,
    size_t len)
{
	int	 n;

	n = snprintf(out, len, "vmac%u-%u%s", vhid, parent,
	    kind == VMAC_KIND_IP6 ? "-6" : "");
	if (n < 0 || (size_t)n >= len || n >= IF_NAMESIZE)
		return -1;
	return 0;
}

/* An integer after "key=" in s, or -1. */
static int
vmac_alias_int(const char *s, const char *key)
{
	const char	*p;
	char		*end;
	long		 v;

	if ((p = strstr(s, key)) == NULL)
		return -1;
	p += strlen(key);
	v = strtol(p, &end, 10);
	if (end == p || (*end != ' ' && *end != '\0') || v < 0 || v > 255)
		return -1;
	return (int)v;
}

int
vmac_alias_parse(const char *alias, unsigned int *vhid, char *parent,
    size_t parentlen, int *arp_ignore, int *arp_announce)
{
	const char	*p;
	size_t		 n;
	int		 v;

	if (strncmp(alias, VMAC_ALIAS_PREFIX, strlen(VMAC_ALIAS_PREFIX)) != 0)
		return -1;
	if ((v = vmac_alias_int(alias, "vhid=")) < 1)
		return -1;
	*vhid = (unsigned int)v;
	parent[0] = '\0';
	if ((p = strstr(alias, " parent=")) != NULL) {
		p += strlen(" parent=");
		n = strcspn(p, " ");
		if (n > 0 && n < parentlen && n < IF_NAMESIZE) {
			memcpy(parent, p, n);
			parent[n] = '\0';
		}
	}
	*arp_ignore = vmac_alias_int(alias, " arp_ignore=");
	*arp_announce = vmac_alias_int(alias, " arp_announce=");
	return 0;
}

/* Read /proc/sys/net/FAMILY/conf/IF/KEY: the value, or -1. */
static int
vmac_sysctl_get(const char *fam, const char *ifname, const char *key)
{
	char	 path[128], buf[16];
	ssize_t	 n;
	int	 fd;

	snprintf(path, sizeof(path), "/proc/sys/net/%s/conf/%s/%s", fam,
	    ifname, key);
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1)
		return -1;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return -1;
	buf[n] = '\0';
	return atoi(buf);
}

/* Write it.  Returns 0, or -1 (logged). */
static int
vmac_sysctl_set(const char *fam, const char *ifname, const char *key, int v)
{
	char	 path[128], buf[16];
	int	 fd, n, rv = 0;

	snprintf(path, sizeof(path), "/proc/sys/net/%s/conf/%s/%s", fam,
	    ifname, key);
	n = snprintf(buf, sizeof(buf), "%d\n", v);
	if ((fd = open(path, O_WRONLY | O_CLOEXEC)) == -1) {
		log_warn("vmac: %s", path);
		return -1;
	}
	if (write(fd, buf, (size_t)n) != n) {
		log_warn("vmac: write %s", path);
		rv = -1;
	}
	close(fd);
	return rv;
}

/* Put a parent's ARP settings back. */
static void
vmac_parent_restore(const char *name, int arp_ignore, int arp_announce)
{
	if (arp_ignore >= 0 &&
	    vmac_sysctl_get("ipv4", name, "arp_ignore") != arp_ignore)
		vmac_sysctl_set("ipv4", name, "arp_ignore", arp_ignore);
	if (arp_announce >= 0 &&
	    vmac_sysctl_get("ipv4", name, "arp_announce") != arp_announce)
		vmac_sysctl_set("ipv4", name, "arp_announce", arp_announce);
}

/*
 * Count one more macvlan on a parent.  The first one records the parent's
 * settings and sets arp_ignore 1 (answer only for its own addresses: the
 * VIPs are the macvlan's) and arp_announce 2 (ask with its own address,
 * never a VIP's, so no client learns a VIP at the parent's MAC).
 */
static struct vmac_parent *
vmac_parent_ref(unsigned int ifindex)
{
	struct vmac_parent	*p;
	char			 name[IF_NAMESIZE];

	for (p = vmac_parents; p != NULL; p = p->next)
		if (p->ifindex == ifindex) {
			p->refs++;
			return p;
		}
	if (if_indextoname(ifindex, name) == NULL) {
		log_warn("vmac: parent ifindex %u", ifindex);
		return NULL;
	}
	p = xcalloc(1, sizeof(*p));
	p->ifindex = ifindex;
	memcpy(p->name, name, sizeof(p->name));
	p->arp_ignore = vmac_sysctl_get("ipv4", name, "arp_ignore");
	p->arp_announce = vmac_sysctl_get("ipv4", name, "arp_announce");
	if (p->arp_ignore == 0)
		vmac_sysctl_set("ipv4", name, "arp_ignore", 1);
	if (p->arp_announce >= 0 && p->arp_announce < 2)
		vmac_sysctl_set("ipv4", name, "arp_announce", 2);
	p->refs = 1;
	p->next = vmac_parents;
	vmac_parents = p;
	return p;
}

/* One macvlan fewer on a parent: the last one restores its settings. */
static void
vmac_parent_unref(unsigned int ifindex)
{
	struct vmac_parent	**pp, *p;
	char			  name[IF_NAMESIZE];

	for (pp = &vmac_parents; (p = *pp) != NULL; pp = &p->next) {
		if (p->ifindex != ifindex)
			continue;
		if (--p->refs > 0)
			return;
		/* Only if it is still the same interface. */
		if (if_indextoname(ifindex, name) != NULL &&
		    strcmp(name, p->name) == 0)
			vmac_parent_restore(p->name, p->arp_ignore,
			    p->arp_announce);
		*pp = p->next;
		free(p);
		return;
	}
}

/* Delete a link.  Returns 0 (a link that is gone counts) or -1. */
static int
vmac_del_index(unsigned int ifindex)
{
	alignas(8) uint8_t	 buf[VMAC_MSGSZ];
	struct nlmsghdr		*nlh;

	nlh = nl_linkmsg(buf, sizeof(buf), RTM_DELLINK, 0, ifindex, NULL);
	if (nl_send(nlh) == -1 && errno != ENODEV)
		return -1;
	return 0;
}

int
vmac_cleanup(void)
{
	struct nl_link	*list = NULL;
	size_t		 n = 0, i;
	unsigned int	 vhid;
	char		 parent[IF_NAMESIZE];
	int		 ai, aa, deleted = 0;

	if (nl_link_list(&list, &n) == -1)
		return -1;
	for (i = 0; i < n; i++) {
		if (strcmp(list[i].kind, "macvlan") != 0 ||
		    vmac_alias_parse(list[i].alias, &vhid, parent,
		    sizeof(parent), &ai, &aa) == -1)
			continue;
		if (vmac_del_index(list[i].ifindex) == -1) {
			log_warn("vmac: cannot remove %s left behind",
			    list[i].name);
			continue;
		}
		log_info("vmac: removed %s (vhid %u on %s) left behind",
		    list[i].name, vhid, parent[0] != '\0' ? parent : "?");
		if (parent[0] != '\0' && if_nametoindex(parent) != 0)
			vmac_parent_restore(parent, ai, aa);
		deleted++;
	}
	free(list);
	return deleted;
}

int
vmac_create(struct vmac *v, unsigned int parent, uint8_t vhid, bool ipv6)
{
	return vmac_create_kind(v, parent, vhid, VMAC_KIND_IP4, ipv6);
}

int
vmac_create_kind(struct vmac *v, unsigned int parent, uint8_t vhid,
    uint8_t kind, bool ipv6)
{
	alignas(8) uint8_t	 buf[VMAC_MSGSZ];
	struct nlmsghdr		*nlh;
	struct nlattr		*info, *data, *spec, *in6;
	struct vmac_parent	*p;
	struct nl_link		 old;
	uint8_t			 mac[6];
	char			 alias[VMAC_ALIASSZ];
	unsigned int		 idx, ovhid;
	char			 opar[IF_NAMESIZE];
	int			 ai, aa;

	memset(v, 0, sizeof(*v));
	if (vmac_name_kind(vhid, kind, parent, v->name, sizeof(v->name)) ==
	    -1) {
		log_warnx("vmac: no name fits vhid %u on ifindex %u", vhid,
		    parent);
		return -1;
	}
	/* A link of that name: ours from before is replaced, not others'. */
	if ((idx = if_nametoindex(v->name)) != 0) {
		if (nl_link_get(idx, &old) == -1 ||
		    strcmp(old.kind, "macvlan") != 0 ||
		    vmac_alias_parse(old.alias, &ovhid, opar, sizeof(opar),
		    &ai, &aa) == -1) {
			log_warnx("vmac: %s exists and is not carpd's",
			    v->name);
			return -1;
		}
		vmac_del_index(idx);
	}
	if ((p = vmac_parent_ref(parent)) == NULL)
		return -1;

	vmac_addr_kind(vhid, kind, mac);
	nlh = nl_linkmsg(buf, sizeof(buf), RTM_NEWLINK,
	    NLM_F_CREATE | NLM_F_EXCL, 0, NULL);
	mnl_attr_put_u32(nlh, IFLA_LINK, parent);
	mnl_attr_put_strz(nlh, IFLA_IFNAME, v->name);
	mnl_attr_put(nlh, IFLA_ADDRESS, sizeof(mac), mac);
	info = mnl_attr_nest_start(nlh, IFLA_LINKINFO);
	mnl_attr_put_strz(nlh, IFLA_INFO_KIND, "macvlan");
	data = mnl_attr_nest_start(nlh, IFLA_INFO_DATA);
	/*
	 * VEPA: a peer's adverts from its virtual MAC still reach the parent
	 * (as in bridge mode, not private), and what the macvlan sends goes
	 * straight to the parent's wire.  In bridge mode the kernel walked
	 * every macvlan of the parent for each multicast advert sent, and
	 * handed each gratuitous ARP to all of them: a quarter of the
	 * master's CPU at 255 VRRPv3 VHIDs x 10 ms (tests/bench/vrrp.sh,
	 * perf: macvlan_broadcast).  Nothing local talks to a VIP through
	 * the macvlan (local addresses route through lo).
	 */
	mnl_attr_put_u32(nlh, IFLA_MACVLAN_MODE, MACVLAN_MODE_VEPA);
	mnl_attr_nest_end(nlh, data);
	mnl_attr_nest_end(nlh, info);
	if (nl_send(nlh) == -1) {
		log_warn("vmac: create %s on %s", v->name, p->name);
		vmac_parent_unref(parent);
		return -1;
	}
	if ((v->ifindex = if_nametoindex(v->name)) == 0) {
		log_warn("vmac: %s vanished", v->name);
		vmac_parent_unref(parent);
		return -1;
	}
	v->parent = parent;
	v->vhid = vhid;
	v->kind = kind;

	/* The alias is ignored in the creating message: a second one. */
	snprintf(alias, sizeof(alias), VMAC_ALIAS_PREFIX "%u parent=%s "
	    "arp_ignore=%d arp_announce=%d", vhid, p->name, p->arp_ignore,
	    p->arp_announce);
	nlh = nl_linkmsg(buf, sizeof(buf), RTM_NEWLINK, 0, v->ifindex, NULL);
	mnl_attr_put_strz(nlh, IFLA_IFALIAS, alias);
	if (nl_send(nlh) == -1)
		log_warn("vmac: alias of %s", v->name);

	/* No link-local address: nothing to send DAD, RS or MLD from. */
	nlh = nl_linkmsg(buf, sizeof(buf), RTM_NEWLINK, 0, v->ifindex, NULL);
	spec = mnl_attr_nest_start(nlh, IFLA_AF_SPEC);
	in6 = mnl_attr_nest_start(nlh, AF_INET6);
	mnl_attr_put_u8(nlh, IFLA_INET6_ADDR_GEN_MODE,
	    IN6_ADDR_GEN_MODE_NONE);
	mnl_attr_nest_end(nlh, in6);
	mnl_attr_nest_end(nlh, spec);
	if (nl_send(nlh) == -1 && errno != EAFNOSUPPORT) {
		log_warn("vmac: addrgenmode of %s", v->name);
		vmac_destroy(v);
		return -1;
	}
	vmac_sysctl_set("ipv6", v->name, "accept_ra", 0);
	vmac_sysctl_set("ipv6", v->name, "autoconf", 0);
	if (!ipv6)
		vmac_sysctl_set("ipv6", v->name, "disable_ipv6", 1);
	else {
		/*
		 * The kernel's MLD reports for a VIP's solicited-node group
		 * (which tell snooping switches where to send neighbour
		 * solicitations) and their repeats all leave within
		 * VMAC_MLD_IVAL_MS, not spread over the next second: a master
		 * that is preempted must not send one from the vMAC after the
		 * new master's announcements (engine.c, eng_na_again).
		 */
		vmac_sysctl_set("ipv6", v->name,
		    "mldv1_unsolicited_report_interval", VMAC_MLD_IVAL_MS);
		vmac_sysctl_set("ipv6", v->name,
		    "mldv2_unsolicited_report_interval", VMAC_MLD_IVAL_MS);
	}
	/* Answer only for its VIPs; accept replies whatever the route. */
	if (vmac_sysctl_set("ipv4", v->name, "arp_ignore", 1) == -1 ||
	    vmac_sysctl_set("ipv4", v->name, "arp_filter", 0) == -1 ||
	    vmac_sysctl_set("ipv4", v->name, "rp_filter", 2) == -1) {
		vmac_destroy(v);
		return -1;
	}
	log_debug("vmac: %s on %s for vhid %u", v->name, p->name, vhid);
	return 0;
}

int
vmac_set_up(struct vmac *v, bool up)
{
	alignas(8) uint8_t	 buf[VMAC_MSGSZ];
	struct nlmsghdr		*nlh;
	struct ifinfomsg	*ifi;

	if (v->ifindex == 0) {
		errno = ENODEV;
		return -1;
	}
	nlh = nl_linkmsg(buf, sizeof(buf), RTM_NEWLINK, 0, v->ifindex, &ifi);
	ifi->ifi_change = IFF_UP;
	ifi->ifi_flags = up ? IFF_UP : 0;
	if (nl_send(nlh) == -1) {
		log_warn("vmac: set %s %s", v->name, up ? "up" : "down");
		return -1;
	}
	v->up = up;
	return 0;
}

int
vmac_set_up_queued(struct vmac *v)
{
	if (v->ifindex == 0 || nl_link_set_queued(v->ifindex, true) == -1)
		return -1;
	v->up = true;
	return 0;
}

int
vmac_set_down_hold(struct vmac *v)
{
	if (v->ifindex == 0 || nl_link_down_hold(v->ifindex) == -1)
		return -1;
	v->up = false;
	return 0;
}

void
vmac_destroy(struct vmac *v)
{
	if (v->ifindex == 0)
		return;
	if (vmac_del_index(v->ifindex) == -1)
		log_warn("vmac: delete %s", v->name);
	vmac_parent_unref(v->parent);
	v->ifindex = 0;
	v->up = false;
}

void
vmac_gone(struct vmac *v)
{
	if (v->ifindex == 0)
		return;
	vmac_parent_unref(v->parent);
	v->ifindex = 0;
	v->up = false;
}
