/*
 * test_prom.c: /metrics rendering (exporters/prom.c) and the status
 * document (exporters/status.c) from fake snapshots.
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

#define HELD_BY		"client=192.0.2.9 cert=/CN=J \"Q\" Doe\\ops"
#define HELD_BY_LABEL	"client=192.0.2.9 cert=/CN=J \\\"Q\\\" Doe\\\\ops"

/*
 * Two VHIDs: 1 on eth0 MASTER with a password, 1 on "e\"th\\1" BACKUP
 * held by an administrator whose certificate's subject needs escaping.
 */
static void
fake(struct snap *s)
{
	memset(s, 0, sizeof(*s));
	memset(vh, 0, sizeof(vh));
	s->version = "9.9.9";
	s->vhids = vh;
	s->nvhids = 2;
	s->start_wall_us = 1700000000123456;
	s->now_wall_us = 1700000100000000;
	s->node.conf.preempt = true;
	s->node.conf.allow = true;
	s->node.demotion = 240;
	s->node.admin_demotion = 0;
	s->node.stats.ipackets = 42;
	s->node.drops[CARP_DROP_BADAUTH] = 3;
	s->api[SNAP_API_DEMOTE][SNAP_API_CHANGED] = 5;
	s->agentx_connected = 1;
	s->agentx_enabled = 1;
	s->snmp_dropped = 4;
	s->snmp_folded = 9;

	vh[0].info.conf.vhid = 1;
	snprintf(vh[0].info.conf.ifname, IF_NAMESIZE, "eth0");
	vh[0].info.conf.advbase = 1;
	vh[0].info.conf.advskew = 100;
	memcpy(vh[0].info.conf.key, "Sup3rS3cret", 11);
	vh[0].info.conf.keylen = 11;
	vh[0].info.conf.naddrs = 2;
	vh[0].info.conf.addrs[0].family = AF_INET;
	vh[0].info.conf.addrs[0].prefixlen = 24;
	inet_pton(AF_INET, "192.0.2.111", &vh[0].info.conf.addrs[0].a.v4);
	vh[0].info.conf.addrs[1].family = AF_INET6;
	vh[0].info.conf.addrs[1].prefixlen = 64;
	inet_pton(AF_INET6, "2001:db8::11", &vh[0].info.conf.addrs[1].a.v6);
	vh[0].info.link_up = true;
	vh[0].self4.family = AF_INET;
	inet_pton(AF_INET, "192.0.2.61", &vh[0].self4.a.v4);
	vh[0].info.state = CARP_ST_MASTER;
	vh[0].info.eff_advskew = 240;
	vh[0].info.transitions[CARP_ST_MASTER] = 2;
	vh[0].info.adverts_sent = 1234;
	vh[0].info.drops[CARP_DROP_BADTTL] = 7;
	vh[0].info.last_reason = CARP_RS_MASTER_TIMED_OUT;
	vh[0].info.last_change_mono_us = 1;
	vh[0].info.last_change_wall_us = 1700000050250000;

	vh[1].info.conf.vhid = 1;
	snprintf(vh[1].info.conf.ifname, IF_NAMESIZE, "e\"th\\1");
	vh[1].info.conf.advbase = 3;
	vh[1].info.state = CARP_ST_BACKUP;
	vh[1].info.admin_demoted = true;
	snprintf(vh[1].info.admin_reason, CARP_REASON_LEN, "upgrade");
	vh[1].admin_since = 1700000040;
	snprintf(vh[1].admin_by, sizeof(vh[1].admin_by), "%s", HELD_BY);
	vh[1].info.master.family = AF_INET;
	inet_pton(AF_INET, "192.0.2.51", &vh[1].info.master.a.v4);
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

static void
test_samples(void **state)
{
	struct snap	 s;
	char		*t;

	(void)state;
	fake(&s);
	t = render(&s);
	has_line(t, "carp_vhid_state{interface=\"eth0\",vhid=\"1\"} 2");
	has_line(t, "carp_vhid_state{interface=\"e\\\"th\\\\1\",vhid=\"1\"} 1");
	has_line(t, "carp_vhid_advbase_seconds{interface=\"eth0\",vhid=\"1\"} 1");
	has_line(t, "carp_vhid_advskew{interface=\"eth0\",vhid=\"1\"} 100");
	has_line(t, "carp_vhid_effective_advskew{interface=\"eth0\","
	    "vhid=\"1\"} 240");
	has_line(t, "carp_vhid_admin_demoted{interface=\"e\\\"th\\\\1\","
	    "vhid=\"1\"} 1");
	has_line(t, "carp_vhid_transitions_total{interface=\"eth0\","
	    "vhid=\"1\",to=\"master\"} 2");
	has_line(t, "carp_vhid_transitions_total{interface=\"eth0\","
	    "vhid=\"1\",to=\"init\"} 0");
	has_line(t, "carp_vhid_last_transition_timestamp_seconds{"
	    "interface=\"eth0\",vhid=\"1\"} 1700000050.250000");
	has_line(t, "carp_vhid_last_transition_timestamp_seconds{"
	    "interface=\"e\\\"th\\\\1\",vhid=\"1\"} 0.000000");
	has_line(t, "carp_vhid_advertisements_sent_total{interface=\"eth0\","
	    "vhid=\"1\"} 1234");
	has_line(t, "carp_vhid_packets_dropped_total{interface=\"eth0\","
	    "vhid=\"1\",reason=\"bad_ttl\"} 7");
	has_line(t, "carp_vhid_packets_dropped_total{interface=\"eth0\","
	    "vhid=\"1\",reason=\"bad_auth\"} 0");
	has_line(t, "carp_demotion 240");
	has_line(t, "carp_maintenance 0");
	has_line(t, "carp_preempt 1");
	has_line(t, "carp_agentx_connected 1");
	has_line(t, "carp_packets_received_total{family=\"inet\"} 42");
	has_line(t, "carp_packets_dropped_total{reason=\"bad_auth\"} 3");
	has_line(t, "carp_api_requests_total{action=\"demote\","
	    "result=\"changed\"} 5");
	has_line(t, "carp_api_requests_total{action=\"demotion\","
	    "result=\"error\"} 0");
	has_line(t, "carp_start_time_seconds 1700000000.123456");
	has_line(t, "carp_build_info{version=\"9.9.9\"} 1");
	/* Info series: the VHID, its master, its last reason. */
	has_line(t, "carp_vhid_info{interface=\"eth0\",vhid=\"1\","
	    "protocol=\"carp\",addresses=\"192.0.2.111/24,2001:db8::11/64\"} 1");
	has_line(t, "carp_vhid_info{interface=\"e\\\"th\\\\1\",vhid=\"1\","
	    "protocol=\"carp\",addresses=\"\"} 1");
	has_line(t, "carp_vhid_master_info{interface=\"eth0\",vhid=\"1\","
	    "master=\"192.0.2.61\"} 1");
	has_line(t, "carp_vhid_master_info{interface=\"e\\\"th\\\\1\","
	    "vhid=\"1\",master=\"192.0.2.51\"} 1");
	has_line(t, "carp_vhid_last_transition_info{interface=\"eth0\","
	    "vhid=\"1\",reason=\"master_timed_out\"} 1");
	has_line(t, "carp_vhid_last_transition_info{interface=\"e\\\"th\\\\1\","
	    "vhid=\"1\",reason=\"none\"} 1");
	has_line(t, "carp_vhid_link_up{interface=\"eth0\",vhid=\"1\"} 1");
	has_line(t, "carp_vhid_link_up{interface=\"e\\\"th\\\\1\",vhid=\"1\"} 0");
	has_line(t, "carp_agentx_enabled 1");
	has_line(t, "carp_snmp_notifications_dropped_total 4");
	has_line(t, "carp_snmp_notifications_folded_total 9");
	/* Holds: when and by whom, the who only while held. */
	has_line(t, "carp_vhid_admin_since_timestamp_seconds{"
	    "interface=\"e\\\"th\\\\1\",vhid=\"1\"} 1700000040");
	has_line(t, "carp_vhid_admin_since_timestamp_seconds{"
	    "interface=\"eth0\",vhid=\"1\"} 0");
	has_line(t, "carp_vhid_admin_info{interface=\"e\\\"th\\\\1\","
	    "vhid=\"1\",by=\"" HELD_BY_LABEL "\"} 1");
	assert_null(strstr(t, "carp_vhid_admin_info{interface=\"eth0\""));
	has_line(t, "carp_maintenance_since_timestamp_seconds 0");
	assert_null(strstr(t, "carp_maintenance_info{"));
	assert_non_null(strstr(t, "# TYPE carp_maintenance_info gauge\n"));
	/* Drop reasons: never "none" nor "disabled". */
	assert_null(strstr(t, "dropped_total{reason=\"none\""));
	assert_null(strstr(t, ",reason=\"none\"} 0"));
	assert_null(strstr(t, "reason=\"disabled\""));
	free(t);

	/* INIT: no master known, no master_info sample. */
	vh[0].info.state = CARP_ST_INIT;
	vh[1].info.master.family = 0;
	t = render(&s);
	assert_null(strstr(t, "carp_vhid_master_info{"));
	/* A reason out of range is "unknown", never read past the table. */
	vh[0].info.last_reason = CARP_RS_MAX;
	free(t);
	t = render(&s);
	has_line(t, "carp_vhid_last_transition_info{interface=\"eth0\","
	    "vhid=\"1\",reason=\"unknown\"} 1");
	assert_null(strstr(t, "Sup3r"));
	free(t);

	/* Maintenance on; the hold lifted: its since and who go. */
	s.node.maintenance = true;
	s.maint_since = 1700000070;
	snprintf(s.maint_by, sizeof(s.maint_by), "uid=0 pid=42 sudo_user=al");
	vh[1].info.admin_demoted = false;
	t = render(&s);
	has_line(t, "carp_maintenance_since_timestamp_seconds 1700000070");
	has_line(t, "carp_maintenance_info{by=\"uid=0 pid=42 "
	    "sudo_user=al\"} 1");
	has_line(t, "carp_vhid_admin_since_timestamp_seconds{"
	    "interface=\"e\\\"th\\\\1\",vhid=\"1\"} 0");
	assert_null(strstr(t, "carp_vhid_admin_info{"));
	free(t);
}

/*
 * Format: ends with a newline, one HELP and one TYPE per family before
 * its samples, and each family's samples in one group.
 */
static void
test_format(void **state)
{
	struct snap	 s;
	char		*t, *line, *save, name[128], seen[256][128];
	char		 cur[128] = "";
	size_t		 nseen = 0, i, n;

	(void)state;
	fake(&s);
	t = render(&s);
	assert_int_equal(t[strlen(t) - 1], '\n');
	for (line = strtok_r(t, "\n", &save); line != NULL;
	    line = strtok_r(NULL, "\n", &save)) {
		if (strncmp(line, "# HELP ", 7) == 0) {
			n = strcspn(line + 7, " ");
			snprintf(name, sizeof(name), "%.*s", (int)n, line + 7);
			for (i = 0; i < nseen; i++)
				assert_string_not_equal(seen[i], name);
			assert_true(nseen < 256);
			snprintf(seen[nseen++], sizeof(seen[0]), "%s", name);
			snprintf(cur, sizeof(cur), "%s", name);
			continue;
		}
		if (strncmp(line, "# TYPE ", 7) == 0) {
			assert_memory_equal(line + 7, cur, strlen(cur));
			continue;
		}
		n = strcspn(line, "{ ");
		assert_int_equal(n, strlen(cur));
		assert_memory_equal(line, cur, n);
	}
	free(t);

	/* No VHID: every family still has its HELP and TYPE. */
	fake(&s);
	s.nvhids = 0;
	t = render(&s);
	assert_non_null(strstr(t, "# TYPE carp_vhid_state gauge\n"));
	assert_null(strstr(t, "carp_vhid_state{"));
	has_line(t, "carp_vhids 0");
	free(t);
}

static void
test_status(void **state)
{
	struct snap	 s;
	json_t		*doc, *v;
	char		*text;

	(void)state;
	fake(&s);
	doc = status_json(&s);
	assert_non_null(doc);
	text = json_dumps(doc, 0);
	assert_null(strstr(text, "Sup3r"));
	free(text);
	v = json_array_get(json_object_get(doc, "vhids"), 0);
	assert_string_equal(json_string_value(json_object_get(v, "state")),
	    "MASTER");
	assert_string_equal(json_string_value(json_object_get(v, "master")),
	    "192.0.2.61");
	assert_true(json_is_true(json_object_get(v, "authenticated")));
	assert_string_equal(json_string_value(json_array_get(
	    json_object_get(v, "addresses"), 0)), "192.0.2.111/24");
	assert_string_equal(json_string_value(json_object_get(json_object_get(
	    json_object_get(v, "last_transition"), "time"), "iso8601")),
	    "2023-11-14T22:14:10.250Z");
	assert_string_equal(json_string_value(json_object_get(
	    json_object_get(v, "last_transition"), "reason")),
	    "master timed out");
	v = json_array_get(json_object_get(doc, "vhids"), 1);
	assert_string_equal(json_string_value(json_object_get(v, "master")),
	    "192.0.2.51");
	assert_true(json_is_true(json_object_get(json_object_get(v, "admin"),
	    "demoted")));
	assert_true(json_is_null(json_object_get(json_object_get(v,
	    "last_transition"), "time")));
	assert_string_equal(json_string_value(json_object_get(json_object_get(
	    v, "admin"), "by")), HELD_BY);
	assert_int_equal((json_int_t)json_real_value(json_object_get(
	    json_object_get(json_object_get(v, "admin"), "since"), "epoch")),
	    1700000040);
	v = json_array_get(json_object_get(doc, "vhids"), 0);
	assert_true(json_is_null(json_object_get(json_object_get(v, "admin"),
	    "by")));
	assert_true(json_is_null(json_object_get(json_object_get(
	    json_object_get(doc, "node"), "maintenance"), "since")));
	assert_int_equal(json_integer_value(json_object_get(json_object_get(
	    doc, "node"), "demotion")), 240);
	json_decref(doc);
}

/*
 * Every change of a snapshot but the advert counters shows in the
 * exposition (the /metrics cache keeps it while the generation stays:
 * test_carp_fsm's test_gen and test_gen here say what bumps that).
 */
static void
test_same(void **state)
{
	struct snap_vhid v2[2];
	struct snap	 a, b;
	char		*ta, *tb;
	int		 k;

	(void)state;
	fake(&a);
	for (k = 0; k < 30; k++) {
		memcpy(v2, a.vhids, sizeof(v2));
		b = a;
		b.vhids = v2;
		switch (k) {
		case 0:
			v2[0].info.adverts_sent++;
			v2[1].info.adverts_received += 3;
			b.node.stats.ipackets++;
			b.node.stats.opackets6++;
			b.now_wall_us += 1000000;
			break;
		case 1:
			v2[1].info.state = CARP_ST_MASTER;
			break;
		case 2:
			v2[0].info.eff_advskew = 7;
			break;
		case 3:
			v2[0].info.admin_demoted = true;
			break;
		case 4:
			v2[0].info.last_change_wall_us++;
			break;
		case 5:
			v2[1].info.send_errors++;
			break;
		case 6:
			v2[0].info.transitions[CARP_ST_BACKUP]++;
			break;
		case 7:
			v2[1].info.drops[CARP_DROP_BADTTL]++;
			break;
		case 8:
			b.node.demotion = 0;
			break;
		case 9:
			b.node.maintenance = true;
			break;
		case 10:
			b.node.conf.preempt = false;
			break;
		case 11:
			b.agentx_connected = 0;
			break;
		case 12:
			b.api[SNAP_API_PROMOTE][SNAP_API_REJECTED]++;
			break;
		case 13:
			b.node.drops[CARP_DROP_BADAUTH]++;
			break;
		case 14:
			b.node.stats.onomem++;
			break;
		case 15:
			b.nvhids = 1;
			break;
		case 16:
			v2[0].info.conf.advskew = 1;
			break;
		case 17:
			v2[0].info.conf.advbase = 2;
			break;
		case 18:
			b.node.admin_demotion++;
			break;
		case 19:
			v2[0].info.link_up = false;
			break;
		case 20:
			v2[0].info.last_reason = CARP_RS_PREEMPT;
			break;
		case 21:
			v2[0].self4.a.v4.s_addr ^= htonl(1);
			break;
		case 22:
			v2[1].info.master.a.v4.s_addr ^= htonl(1);
			break;
		case 23:
			v2[0].info.conf.addrs[0].prefixlen = 25;
			break;
		case 24:
			v2[0].info.conf.naddrs = 1;
			break;
		case 25:
			b.agentx_enabled = 0;
			break;
		case 26:
			b.snmp_dropped++;
			break;
		case 27:
			b.snmp_folded++;
			break;
		case 28:
			v2[1].admin_since++;
			break;
		case 29:
			v2[1].admin_by[0] = 'X';
			break;
		}
		ta = render(&a);
		tb = render(&b);
		if (k == 0)
			assert_string_not_equal(ta, tb);
		else if (strcmp(ta, tb) == 0)
			fail_msg("change %d does not show", k);
		free(ta);
		free(tb);
	}
}

/*
 * The generation bumps when a counter or flag the snapshot copies from
 * snap.c changes, and not when it is set to what it was.
 */
static void
test_gen(void **state)
{
	uint64_t	 g;

	(void)state;
	g = snap_gen();
	assert_true(g > 0);
	snap_set_snmp_counts(0, 0);
	snap_set_agentx_connected(0);
	snap_set_agentx_enabled(0);
	assert_true(snap_gen() == g);
	snap_set_snmp_counts(1, 0);
	assert_true(snap_gen() > g);
	g = snap_gen();
	snap_set_snmp_counts(1, 0);
	assert_true(snap_gen() == g);
	snap_set_snmp_counts(1, 1);
	assert_true(snap_gen() > g);
	g = snap_gen();
	snap_set_agentx_connected(1);
	assert_true(snap_gen() > g);
	g = snap_gen();
	snap_set_agentx_enabled(1);
	assert_true(snap_gen() > g);
	g = snap_gen();
	snap_api_count(SNAP_API_DEMOTE, SNAP_API_CHANGED);
	assert_true(snap_gen() > g);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_samples),
		cmocka_unit_test(test_format),
		cmocka_unit_test(test_status),
		cmocka_unit_test(test_same),
		cmocka_unit_test(test_gen),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
