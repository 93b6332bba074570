/*
 * test_prom_vrrp.c: the VRRPv3 views of the read model (agent/snap.h's
 * RFC 6527 mappings), /metrics (exporters/prom.c) and /v1/status
 * (exporters/status.c), from a fake snapshot with a CARP VHID and a
 * VRRPv3 one side by side.
 */
#include <sys/types.h>
#include <sys/socket.h>

#include <arpa/inet.h>

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <jansson.h>

#include "exporters/prom.h"
#include "exporters/status.h"

static struct snap_vhid	 vh[2];

/* CARP VHID 1 on eth0, MASTER; VRRPv3 VRID 7 on eth1, BACKUP. */
static void
fake(struct snap *s)
{
	struct carp_vhid_info	*vi;

	memset(s, 0, sizeof(*s));
	memset(vh, 0, sizeof(vh));
	s->version = "9.9.9";
	s->vhids = vh;
	s->nvhids = 2;
	s->node.conf.allow = true;
	s->node.demotion = 30;
	s->node.vrrp_drops[CARP_DROP_BADSUM] = 6;
	s->node.drops[CARP_DROP_BADSUM] = 8;

	vi = &vh[0].info;
	vi->conf.vhid = 1;
	snprintf(vi->conf.ifname, IF_NAMESIZE, "eth0");
	vi->conf.advbase = 1;
	vi->conf.naddrs = 1;
	vi->conf.addrs[0].family = AF_INET;
	vi->conf.addrs[0].prefixlen = 24;
	inet_pton(AF_INET, "192.0.2.111", &vi->conf.addrs[0].a.v4);
	vi->state = CARP_ST_MASTER;
	vi->master_reason = CARP_RS_MASTER_TIMED_OUT;

	vi = &vh[1].info;
	vi->conf.vhid = 7;
	vi->conf.ifindex = 3;
	snprintf(vi->conf.ifname, IF_NAMESIZE, "eth1");
	vi->conf.proto = CARP_PROTO_VRRP3;
	vi->conf.vrrp_prio = 150;
	vi->conf.vrrp_interval = 5;
	vi->conf.vrrp_noaccept = true;
	vi->conf.naddrs = 1;
	vi->conf.addrs[0].family = AF_INET;
	vi->conf.addrs[0].prefixlen = 24;
	inet_pton(AF_INET, "192.0.2.254", &vi->conf.addrs[0].a.v4);
	vi->eff_prio = 120;
	vi->master_interval = 250;
	vi->state = CARP_ST_BACKUP;
	vi->master.family = AF_INET;
	inet_pton(AF_INET, "192.0.2.2", &vi->master.a.v4);
	vi->master_reason = CARP_RS_PREEMPT;
	vi->vrrp_rx_prio0 = 2;
	vi->vrrp_tx_prio0 = 3;
	vi->vrrp_interval_errors = 4;
	vi->vrrp_type_errors = 5;
	vi->vrrp_addr_errors = 9;
}

static char *
render(const struct snap *s)
{
	struct prom_buf	 b;

	memset(&b, 0, sizeof(b));
	prom_render(s, &b);
	return b.data;
}

/* The output holds this exact line. */
static void
has_line(const char *text, const char *line)
{
	const char	*p = text;
	size_t		 n = strlen(line);

	while ((p = strstr(p, line)) != NULL) {
		if ((p == text || p[-1] == '\n') && p[n] == '\n')
			return;
		p++;
	}
	fail_msg("missing line: %s", line);
}

#define VRRP_L	"{interface=\"eth1\",vhid=\"7\"} "

static void
test_metrics(void **state)
{
	struct snap	 s;
	char		*t;

	(void)state;
	fake(&s);
	t = render(&s);
	has_line(t, "carp_vhid_info{interface=\"eth0\",vhid=\"1\","
	    "protocol=\"carp\",addresses=\"192.0.2.111/24\"} 1");
	has_line(t, "carp_vhid_info{interface=\"eth1\",vhid=\"7\","
	    "protocol=\"vrrp\",addresses=\"192.0.2.254/24\"} 1");
	has_line(t, "carp_vhid_vrrp_priority" VRRP_L "150");
	has_line(t, "carp_vhid_vrrp_effective_priority" VRRP_L "120");
	has_line(t, "carp_vhid_vrrp_interval_seconds" VRRP_L "0.05");
	has_line(t, "carp_vhid_vrrp_master_interval_seconds" VRRP_L "2.50");
	has_line(t, "carp_vhid_vrrp_accept_mode" VRRP_L "0");
	has_line(t, "carp_vhid_vrrp_new_master_reason" VRRP_L "2");
	has_line(t, "carp_vhid_vrrp_priority_zero_received_total" VRRP_L "2");
	has_line(t, "carp_vhid_vrrp_priority_zero_sent_total" VRRP_L "3");
	has_line(t, "carp_vhid_vrrp_interval_errors_total" VRRP_L "4");
	has_line(t, "carp_vhid_vrrp_invalid_type_received_total" VRRP_L "5");
	has_line(t, "carp_vhid_vrrp_address_list_errors_total" VRRP_L "9");
	has_line(t, "carp_vrrp_packets_dropped_total{reason=\"bad_checksum\"}"
	    " 6");
	has_line(t, "carp_vrrp_packets_dropped_total{reason=\"bad_ttl\"} 0");
	has_line(t, "carp_packets_dropped_total{reason=\"bad_checksum\"} 8");
	/* The CARP VHID has no VRRPv3 series. */
	assert_null(strstr(t, "carp_vhid_vrrp_priority{interface=\"eth0\""));
	assert_null(strstr(t, "_vrrp_interval_seconds{interface=\"eth0\""));
	/* Each family once, its samples right after its HELP and TYPE. */
	assert_non_null(strstr(t, "# HELP carp_vhid_vrrp_priority VRRPv3"));
	assert_non_null(strstr(t, "# TYPE carp_vhid_vrrp_priority gauge\n"
	    "carp_vhid_vrrp_priority{interface=\"eth1\""));
	assert_non_null(strstr(t, "# TYPE "
	    "carp_vhid_vrrp_priority_zero_sent_total counter\n"));
	free(t);

	/* Accept mode on, the owner, 40.95 s. */
	vh[1].info.conf.vrrp_noaccept = false;
	vh[1].info.conf.vrrp_prio = 255;
	vh[1].info.conf.vrrp_interval = 4095;
	vh[1].info.master_reason = CARP_RS_NONE;
	t = render(&s);
	has_line(t, "carp_vhid_vrrp_accept_mode" VRRP_L "1");
	has_line(t, "carp_vhid_vrrp_priority" VRRP_L "255");
	has_line(t, "carp_vhid_vrrp_interval_seconds" VRRP_L "40.95");
	has_line(t, "carp_vhid_vrrp_new_master_reason" VRRP_L "0");
	free(t);

	/* No VRRPv3 VHID: the families are there, without samples. */
	s.nvhids = 1;
	t = render(&s);
	assert_non_null(strstr(t, "# TYPE carp_vhid_vrrp_priority gauge\n"));
	assert_null(strstr(t, "carp_vhid_vrrp_priority{"));
	free(t);
}

static void
test_status(void **state)
{
	struct snap	 s;
	json_t		*doc, *v, *vr, *c;

	(void)state;
	fake(&s);
	doc = status_json(&s);
	assert_non_null(doc);
	v = json_array_get(json_object_get(doc, "vhids"), 0);
	assert_string_equal(json_string_value(json_object_get(v, "protocol")),
	    "carp");
	assert_true(json_is_null(json_object_get(v, "vrrp")));
	v = json_array_get(json_object_get(doc, "vhids"), 1);
	assert_string_equal(json_string_value(json_object_get(v, "protocol")),
	    "vrrp");
	vr = json_object_get(v, "vrrp");
	assert_true(json_is_object(vr));
	assert_int_equal(json_integer_value(json_object_get(vr, "priority")),
	    150);
	assert_int_equal(json_integer_value(json_object_get(vr,
	    "effective_priority")), 120);
	assert_int_equal(json_integer_value(json_object_get(vr, "interval")),
	    5);
	assert_int_equal(json_integer_value(json_object_get(vr,
	    "master_interval")), 250);
	assert_true(json_is_false(json_object_get(vr, "accept")));
	assert_string_equal(json_string_value(json_object_get(vr,
	    "new_master_reason")), "preempted");
	c = json_object_get(vr, "counters");
	assert_int_equal(json_integer_value(json_object_get(c,
	    "priority_zero_received")), 2);
	assert_int_equal(json_integer_value(json_object_get(c,
	    "priority_zero_sent")), 3);
	assert_int_equal(json_integer_value(json_object_get(c,
	    "interval_errors")), 4);
	assert_int_equal(json_integer_value(json_object_get(c,
	    "invalid_type_received")), 5);
	assert_int_equal(json_integer_value(json_object_get(c,
	    "address_list_errors")), 9);
	assert_string_equal(json_string_value(json_object_get(v, "master")),
	    "192.0.2.2");
	c = json_object_get(json_object_get(json_object_get(doc, "node"),
	    "counters"), "vrrp_dropped");
	assert_int_equal(json_integer_value(json_object_get(c,
	    "bad_checksum")), 6);
	json_decref(doc);
}

/* RFC 6527's enums from the engine's reasons and drops. */
static void
test_mappings(void **state)
{
	struct carp_vhid_info	 vi;

	(void)state;
	assert_int_equal(snap_vrrp_master_reason(CARP_RS_NONE), 0);
	assert_int_equal(snap_vrrp_master_reason(CARP_RS_INIT_COMPLETE), 1);
	assert_int_equal(snap_vrrp_master_reason(CARP_RS_USER), 1);
	assert_int_equal(snap_vrrp_master_reason(CARP_RS_PREEMPT), 2);
	assert_int_equal(snap_vrrp_master_reason(CARP_RS_MASTER_TIMED_OUT), 3);
	assert_int_equal(snap_vrrp_master_reason(
	    CARP_RS_MASTER_WILL_TIME_OUT), 3);
	assert_int_equal(snap_vrrp_proto_err(CARP_DROP_NONE), 0);
	assert_int_equal(snap_vrrp_proto_err(CARP_DROP_BADTTL), 1);
	assert_int_equal(snap_vrrp_proto_err(CARP_DROP_BADVER), 2);
	assert_int_equal(snap_vrrp_proto_err(CARP_DROP_BADSUM), 3);
	assert_int_equal(snap_vrrp_proto_err(CARP_DROP_BADVHID), 4);
	assert_int_equal(snap_vrrp_proto_err(CARP_DROP_BADLEN), 0);
	memset(&vi, 0, sizeof(vi));
	assert_string_equal(snap_proto_name(&vi), "carp");
	vi.conf.proto = CARP_PROTO_VRRP3;
	assert_string_equal(snap_proto_name(&vi), "vrrp");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_metrics),
		cmocka_unit_test(test_status),
		cmocka_unit_test(test_mappings),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
