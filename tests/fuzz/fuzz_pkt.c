/*
 * fuzz_pkt.c: random bytes into carp_input() and carp_input_vrrp() for a
 * configured node with an IPv4 and a dual-stack CARP VHID, a dual-stack
 * VRRPv3 VHID and an IPv4 VRRPv3 address owner.  The first input byte
 * picks the protocol and the carrier.
 *
 * CARP (the byte's bits 0x60 not both set, as before VRRP joined): a whole
 * IPv4 datagram as the raw socket returns it (0x80: raw_parse_ip4(), then
 * the engine), or a CARP payload carried in IPv4 or IPv6 (0x01) with the
 * TTL (0x02: 255, else 64), the interface (0x04) and looped (0x18 both)
 * also taken from that byte.
 *
 * VRRPv3 (0x60 both set): the same carriers, family, TTL and interface
 * bits, and 0x18 picks the source: 0 the one of the codec's test vectors
 * (192.0.2.1, fe80::ff:fe00:a), the checksum as given; 0x08 that source
 * with the checksum completed by the harness; 0x10 a source above ours
 * (the tie-break), checksum completed; 0x18 looped.  The raw carrier
 * takes the addresses and TTL from the IP header.  Every VRRP input moves
 * the clock by 100 ms and fires the due timers, so that VHIDs time out,
 * take over and advertise; each VRRPv3 advert the engine sends is
 * finalized as the host would and must decode and verify (an oracle on
 * the encoder).
 *
 * Nothing may crash, and the counters must add up after every input.
 */
#include <sys/types.h>
#include <sys/socket.h>
#include <arpa/inet.h>

#include <assert.h>
#include <stdint.h>
#include <string.h>

#include "agent/raw.h"
#include "carp/carp.h"

#define NSLOTS	4

/* A VHID's armed timer, as the host keeps it (carp_vhid_arg). */
struct slot {
	struct carp_vhid	*vh;
	uint64_t		 at_us;
};

static struct slot	 slots[NSLOTS];

/* This host's primary addresses, the sources of its VRRPv3 adverts. */
static struct carp_addr	 local4, local6;

static void	 addr(const char *, struct carp_addr *);
static void	 check_vrrp_send(const struct carp_action *);

static void
addr(const char *s, struct carp_addr *a)
{
	memset(a, 0, sizeof(*a));
	if (inet_pton(AF_INET, s, &a->a.v4) == 1) {
		a->family = AF_INET;
		a->prefixlen = 32;
	} else if (inet_pton(AF_INET6, s, &a->a.v6) == 1) {
		a->family = AF_INET6;
		a->prefixlen = 128;
	} else
		__builtin_trap();
}

/*
 * A VRRPv3 advert of ours: completed for our source as the host does, it
 * must decode and verify, and say what the VHID is: its VRID, interval,
 * priority (0 on a bow-out only) and addresses of the family, in order.
 */
static void
check_vrrp_send(const struct carp_action *a)
{
	const struct carp_addr	*src;
	struct carp_addr	 got;
	static struct carp_vhid_info info;
	struct vrrp_hdr		 h;
	size_t			 alen, i, n;

	src = a->a.send.dst.family == AF_INET6 ? &local6 : &local4;
	alen = src->family == AF_INET6 ? 16 : 4;
	if (a->a.send.data == NULL || a->a.send.len < VRRP_HDR_LEN ||
	    a->a.send.len > VRRP_PKT_MAX)
		__builtin_trap();
	if (vrrp_pkt_finalize(a->a.send.data, a->a.send.len, src,
	    &a->a.send.dst) != 0)
		__builtin_trap();
	if (vrrp_pkt_decode(a->a.send.data, a->a.send.len, &h) !=
	    CARP_DROP_NONE)
		__builtin_trap();
	if (vrrp_pkt_verify(src, &a->a.send.dst, a->a.send.data, &h) !=
	    CARP_DROP_NONE)
		__builtin_trap();
	if (h.version != VRRP_VERSION || h.type != VRRP_TYPE_ADVERT ||
	    h.vrid != a->vhid || h.interval == 0 ||
	    (h.prio == 0) != a->a.send.bowout ||
	    h.len != VRRP_HDR_LEN + (size_t)h.naddrs * alen)
		__builtin_trap();
	/* Its fields are the VHID's: interval, priority, addresses. */
	carp_vhid_info(a->vh, &info);
	if (h.interval != info.conf.vrrp_interval ||
	    (!a->a.send.bowout && h.prio != info.eff_prio))
		__builtin_trap();
	for (i = 0, n = 0; i < info.conf.naddrs; i++) {
		if (info.conf.addrs[i].family != src->family)
			continue;
		if (vrrp_pkt_addr(&h, src->family, n, &got) != 0 ||
		    memcmp(&got.a, &info.conf.addrs[i].a, alen) != 0)
			__builtin_trap();
		n++;
	}
	if (n != h.naddrs)
		__builtin_trap();
}

static int
emit(void *arg, const struct carp_action *a)
{
	struct slot	*s;

	(void)arg;
	switch (a->type) {
	case CARP_ACT_SEND:
		if (a->a.send.vrrp)
			check_vrrp_send(a);
		else if (a->a.send.data != a->a.send.pkt ||
		    a->a.send.len != CARP_HDR_LEN)
			__builtin_trap();
		break;
	case CARP_ACT_TIMER:
		if ((s = carp_vhid_arg(a->vh)) != NULL)
			s->at_us = a->a.timer.at_us;
		break;
	default:
		break;
	}
	return 0;
}

static uint64_t
rnd(void *arg)
{
	(void)arg;
	return 1;
}

static struct carp_node *node;

static void
setup(void)
{
	static const struct carp_host host = { emit, rnd, NULL };
	struct carp_node_conf	 nc;
	struct carp_vhid_conf	 c;
	struct carp_time	 t = { 1, 1 };
	int			 i;

	addr("192.0.2.100", &local4);
	addr("fe80::ff:fe00:64", &local6);
	carp_node_conf_default(&nc);
	nc.preempt = true;
	node = carp_node_new(&nc, &host);
	memset(&c, 0, sizeof(c));
	c.vhid = 1;
	c.ifindex = 2;
	c.advbase = 1;
	memcpy(c.key, "test123", 7);
	c.keylen = 7;
	c.naddrs = 1;
	c.addrs[0].family = AF_INET;
	inet_pton(AF_INET, "192.0.2.111", &c.addrs[0].a.v4);
	slots[0].vh = carp_vhid_add(node, &c, true, &slots[0], t);
	c.vhid = 2;
	c.naddrs = 2;
	c.addrs[1].family = AF_INET6;
	inet_pton(AF_INET6, "2001:db8::111", &c.addrs[1].a.v6);
	slots[1].vh = carp_vhid_add(node, &c, true, &slots[1], t);

	/* VRRPv3: VRID 7 of the codec's vectors, dual-stack, priority 100. */
	memset(&c, 0, sizeof(c));
	c.vhid = 7;
	c.ifindex = 2;
	c.proto = CARP_PROTO_VRRP3;
	c.vrrp_prio = VRRP_PRIO_DFLT;
	c.vrrp_interval = VRRP_INTERVAL_DFLT;
	c.naddrs = 2;
	addr("192.0.2.254", &c.addrs[0]);
	addr("2001:db8::fe", &c.addrs[1]);
	slots[2].vh = carp_vhid_add(node, &c, true, &slots[2], t);
	/* And an IPv4 address owner, 500 ms, which ignores every advert. */
	c.vhid = 8;
	c.vrrp_prio = VRRP_PRIO_OWNER;
	c.vrrp_interval = 50;
	c.naddrs = 1;
	addr("192.0.2.253", &c.addrs[0]);
	slots[3].vh = carp_vhid_add(node, &c, true, &slots[3], t);
	for (i = 0; i < NSLOTS; i++)
		if (slots[i].vh == NULL)
			__builtin_trap();
}

/*
 * A VRRPv3 input: the carrier and source as data[0] says, the checksum
 * completed if asked, the due timers fired first.  Returns the drop, or
 * -1 when the carrier rejected the bytes.
 */
static int
vrrp_one(const uint8_t *data, size_t len, struct carp_time t)
{
	static uint8_t		 buf[65536];
	struct carp_rx		 rx;
	int			 i, srcsel = (data[0] >> 3) & 3;

	for (i = 0; i < NSLOTS; i++)
		if (slots[i].at_us != 0 && slots[i].at_us <= t.mono_us)
			carp_vhid_timeout(slots[i].vh, t);
	memset(&rx, 0, sizeof(rx));
	if (data[0] & 0x80) {
		if (raw_parse_ip4(data + 1, len - 1, &rx) == -1)
			return -1;
		assert(rx.data >= data + 1 && rx.data + rx.len <= data + len);
	} else {
		if (data[0] & 1) {
			addr(srcsel == 2 ? "fe80::ff:fe00:c8" :
			    "fe80::ff:fe00:a", &rx.src);
			addr("ff02::12", &rx.dst);
		} else {
			addr(srcsel == 2 ? "192.0.2.200" : "192.0.2.1",
			    &rx.src);
			addr("224.0.0.18", &rx.dst);
		}
		rx.ttl = data[0] & 2 ? 255 : 64;
		rx.data = data + 1;
		rx.len = len - 1;
	}
	rx.local = rx.src.family == AF_INET6 ? local6 : local4;
	if (srcsel == 3) {
		rx.looped = true;
		rx.src = rx.local;
	}
	if (srcsel != 0 && rx.len <= sizeof(buf)) {
		memcpy(buf, rx.data, rx.len);
		(void)vrrp_pkt_finalize(buf, rx.len, &rx.src, &rx.dst);
		rx.data = buf;
	}
	rx.ifindex = data[0] & 4 ? 2 : 3;
	return (int)carp_input_vrrp(node, &rx, t);
}

int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	static uint64_t		 now = 1000000;
	struct carp_node_info	 before, after;
	struct carp_rx		 rx;
	struct carp_time	 t;
	enum carp_drop		 d;
	uint64_t		 sum_b = 0, sum_a = 0;
	int			 i;

	if (node == NULL)
		setup();
	if (len < 1)
		return 0;
	if ((data[0] & 0x60) == 0x60) {
		now += 100000;
		t.mono_us = now;
		t.wall_us = (int64_t)now;
		carp_node_info(node, &before);
		if ((i = vrrp_one(data, len, t)) == -1)
			return 0;
		d = (enum carp_drop)i;
		goto counted;
	}
	memset(&rx, 0, sizeof(rx));
	if (data[0] & 0x80) {
		/* The IPv4 carrier: header checks, then the payload. */
		if (raw_parse_ip4(data + 1, len - 1, &rx) == -1)
			return 0;
		assert(rx.data >= data + 1 && rx.data + rx.len <= data + len);
		assert(rx.src.family == AF_INET);
	} else {
		rx.src.family = data[0] & 1 ? AF_INET6 : AF_INET;
		rx.ttl = data[0] & 2 ? 255 : 64;
		rx.data = data + 1;
		rx.len = len - 1;
	}
	rx.ifindex = data[0] & 4 ? 2 : 3;
	rx.looped = (data[0] & 0x18) == 0x18;
	now += 10000;
	t.mono_us = now;
	t.wall_us = (int64_t)now;

	carp_node_info(node, &before);
	d = carp_input(node, &rx, t);
counted:
	carp_node_info(node, &after);
	assert(d < CARP_DROP_MAX);
	for (i = 0; i < CARP_DROP_MAX; i++) {
		sum_b += before.drops[i];
		sum_a += after.drops[i];
	}
	/* Exactly one drop counted, or none when accepted. */
	assert(sum_a - sum_b == (d == CARP_DROP_NONE ? 0 : 1));
	return 0;
}
