/*
 * fuzz_pkt.c: random bytes into carp_input() for a configured node with an
 * IPv4 and a dual-stack VHID.  The first input byte picks the carrier: a
 * whole IPv4 datagram as the raw socket returns it (raw_parse_ip4(), then
 * the engine), or a CARP payload carried in IPv4 or IPv6 with the TTL and
 * the interface also taken from that byte.  Nothing may crash, and the
 * counters must add up after every input.
 */
#include <sys/types.h>
#include <sys/socket.h>
#include <arpa/inet.h>

#include <assert.h>
#include <stdint.h>
#include <string.h>

#include "agent/raw.h"
#include "carp/carp.h"

static int
emit(void *arg, const struct carp_action *a)
{
	(void)arg;
	(void)a;
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
	carp_vhid_add(node, &c, true, NULL, t);
	c.vhid = 2;
	c.naddrs = 2;
	c.addrs[1].family = AF_INET6;
	inet_pton(AF_INET6, "2001:db8::111", &c.addrs[1].a.v6);
	carp_vhid_add(node, &c, true, NULL, t);
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
