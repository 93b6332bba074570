/*
 * test_why.c: the explanation of GET /v1/vhids/{vhid}/why and carpctl
 * why, built from fake snapshots: the JSON's fields, and the text, which
 * is rendered from the JSON alone (why_text of the document without its
 * "text" gives the same lines).
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

#include "exporters/api.h"
#include "exporters/why.h"

#define S	1000000ULL
#define T0	1796292120LL	/* 2026-12-03 10:02:00 UTC */

static struct snap		 snap;
static struct snap_vhid		 row;
static struct ledger_entry	 ents[2];
static struct track_info	 trk[2];

/* VHID 1 on eth0, advbase 1 advskew 0, 192.0.2.111; the clock at 100 s. */
static void
fake(enum carp_state st)
{
	struct carp_vhid_info	*vi = &row.info;

	memset(&snap, 0, sizeof(snap));
	memset(&row, 0, sizeof(row));
	memset(ents, 0, sizeof(ents));
	memset(trk, 0, sizeof(trk));
	snap.vhids = &row;
	snap.nvhids = 1;
	snap.now_mono_us = 100 * S;
	snap.now_wall_us = (T0 + 100) * (int64_t)S;
	carp_node_conf_default(&snap.node.conf);
	vi->conf.vhid = 1;
	vi->conf.ifindex = 2;
	strcpy(vi->conf.ifname, "eth0");
	vi->conf.advbase = 1;
	vi->conf.naddrs = 1;
	vi->conf.addrs[0].family = AF_INET;
	inet_pton(AF_INET, "192.0.2.111", &vi->conf.addrs[0].a.v4);
	vi->state = st;
	vi->link_up = true;
	vi->md_us = 3 * S + 100 * S / 256;	/* advskew 100: 3.39 s */
	vi->last_change_mono_us = 40 * S;
	vi->last_change_wall_us = (T0 + 40) * (int64_t)S;
	vi->prev_state = CARP_ST_MASTER;
	vi->last_reason = CARP_RS_MAINTENANCE;
}

/* The master 192.0.2.61 heard at 99.59 s: advbase 1, advskew 100. */
static void
heard(uint8_t advbase, uint8_t advskew)
{
	struct carp_heard	*h = &row.info.heard[0];

	h->src.family = AF_INET;
	inet_pton(AF_INET, "192.0.2.61", &h->src.a.v4);
	h->advbase = advbase;
	h->advskew = advskew;
	h->at_us = 99590000;
	row.info.master = h->src;
	row.info.timer_at_us = 99590000 + row.info.md_us;
}

/* The ledger's entry for soft maintenance, and the node's demotion. */
static void
soft(void)
{
	snprintf(ents[0].name, sizeof(ents[0].name), "maintenance");
	ents[0].source = LEDGER_MAINTENANCE;
	ents[0].weight = 240;
	snprintf(ents[0].reason, sizeof(ents[0].reason), "rack move");
	ents[0].since = T0;
	snprintf(ents[0].origin, sizeof(ents[0].origin), "uid=1000 pid=42");
	ents[0].persist = true;
	snap.ledger = ents;
	snap.nledger = 1;
	snap.node.demotion = 240;
	snap.node.maintenance = true;
	snprintf(snap.node.maintenance_reason,
	    sizeof(snap.node.maintenance_reason), "rack move");
	snap.maint_since = T0;
	snprintf(snap.maint_by, sizeof(snap.maint_by), "uid=1000 pid=42");
	row.info.eff_advskew = 240;
}

/* The text, one line per element, joined with newlines; to free. */
static char *
text_of(const json_t *a)
{
	json_t	*l;
	size_t	 i, len = 1;
	char	*out;

	json_array_foreach(a, i, l)
		len += strlen(json_string_value(l)) + 1;
	out = calloc(1, len);
	assert_non_null(out);
	json_array_foreach(a, i, l) {
		strcat(out, json_string_value(l));
		strcat(out, "\n");
	}
	return out;
}

/* Build, check the text is the JSON's, and return the text. */
static char *
build(json_t **docp)
{
	json_t	*doc, *copy, *again;
	char	*t, *t2;

	assert_non_null(doc = why_json(&snap, &row));
	t = text_of(json_object_get(doc, "text"));
	/* From the JSON alone: the same lines. */
	copy = json_deep_copy(doc);
	json_object_del(copy, "text");
	again = why_text(copy);
	t2 = text_of(again);
	assert_string_equal(t, t2);
	free(t2);
	json_decref(again);
	json_decref(copy);
	*docp = doc;
	return t;
}

/* BACKUP in soft maintenance, the master heard, preempt on. */
static void
test_backup_soft_preempt(void **state)
{
	json_t	*doc, *m, *c;
	char	*t;

	(void)state;
	fake(CARP_ST_BACKUP);
	heard(1, 100);
	soft();
	snap.node.conf.preempt = true;
	t = build(&doc);
	m = json_object_get(doc, "master");
	assert_string_equal(json_string_value(json_object_get(m, "address")),
	    "192.0.2.61");
	assert_int_equal(json_integer_value(json_object_get(m, "advskew")),
	    100);
	assert_string_equal(json_string_value(json_object_get(
	    json_object_get(doc, "maintenance"), "mode")), "soft");
	c = json_array_get(json_object_get(doc, "changes"), 0);
	assert_string_equal(json_string_value(json_object_get(c, "if")),
	    "master_silent");
	assert_non_null(strstr(t, "VHID 1 on eth0 (CARP) is BACKUP since "
	    "2026-12-03 10:02:40 UTC (60.0 s ago): maintenance mode, from "
	    "MASTER."));
	assert_non_null(strstr(t, "The master is 192.0.2.61: advbase 1, "
	    "advskew 100, demotion 0, last advert 0.41 s ago."));
	assert_non_null(strstr(t, "Our advskew: 0 configured + demotion 240 "
	    "= 240 advertised"));
	assert_non_null(strstr(t, "Demotion 240, the sum of: maintenance 240 "
	    "(maintenance: 'rack move', by uid=1000 pid=42)."));
	assert_non_null(strstr(t, "In soft maintenance (uid=1000 pid=42, "
	    "'rack move', since 2026-12-03 10:02:00 UTC)"));
	assert_non_null(strstr(t, "Takes over if 192.0.2.61 is silent for "
	    "3.39 s (the deadline now: in 2.98 s)."));
	assert_non_null(strstr(t, "Preempt is on: would take over if our "
	    "advskew + demotion (now 0 + 240) drops below 100."));
	assert_null(strstr(t, "Held by"));
	assert_null(strstr(t, "Trackers:"));
	free(t);
	json_decref(doc);

	/* A tracker down, and one up: their state and their entry. */
	fake(CARP_ST_BACKUP);
	heard(1, 100);
	snprintf(trk[0].name, sizeof(trk[0].name), "plc");
	snprintf(trk[0].entry, sizeof(trk[0].entry), "track-script:plc");
	trk[0].kind = TRACK_SCRIPT;
	trk[0].weight = 240;
	trk[0].result = TRACK_R_TIMEOUT;
	trk[0].failures = 3;
	snprintf(trk[1].name, sizeof(trk[1].name), "eth1");
	snprintf(trk[1].entry, sizeof(trk[1].entry), "track-interface:eth1");
	trk[1].kind = TRACK_INTERFACE;
	trk[1].up = true;
	trk[1].result = TRACK_R_LINK_UP;
	snap.tracks = trk;
	snap.ntracks = 2;
	t = build(&doc);
	assert_int_equal(json_array_size(json_object_get(doc, "trackers")), 2);
	assert_non_null(strstr(t, "Trackers: plc (script) DOWN, last timeout, "
	    "3 failures in a row: entry track-script:plc adds 240; eth1 "
	    "(interface) up, last up."));
	free(t);
	json_decref(doc);
}

/* Preempt off; a longer advbase on the master moves the threshold. */
static void
test_backup_preempt_off_and_advbase(void **state)
{
	json_t	*doc;
	char	*t;

	(void)state;
	fake(CARP_ST_BACKUP);
	heard(1, 100);
	t = build(&doc);
	assert_non_null(strstr(t, "Preempt is off: stays BACKUP while "
	    "192.0.2.61 advertises, whatever the skews."));
	assert_non_null(strstr(t, "Demotion 0: no ledger entry."));
	free(t);
	json_decref(doc);

	fake(CARP_ST_BACKUP);
	heard(2, 10);
	snap.node.conf.preempt = true;
	t = build(&doc);
	assert_non_null(strstr(t, "drops below 266."));
	free(t);
	json_decref(doc);
}

/* An advert that failed the HMAC: the diagnosis, none before it. */
static void
test_auth_failure(void **state)
{
	struct carp_diag	*d = &row.info.diag;
	json_t			*doc;
	char			*t;

	(void)state;
	fake(CARP_ST_MASTER);
	t = build(&doc);
	assert_null(strstr(t, "failed authentication"));
	assert_true(json_is_null(json_object_get(doc, "auth_failure")));
	free(t);
	json_decref(doc);

	fake(CARP_ST_MASTER);
	d->kind = CARP_DIAG_LACKS;
	d->src.family = AF_INET;
	inet_pton(AF_INET, "192.0.2.62", &d->src.a.v4);
	d->at_mono_us = 97 * S;
	d->at_wall_us = (T0 + 97) * (int64_t)S;
	snprintf(d->text, sizeof(d->text), "the peer's address list differs: "
	    "it lacks 2001:db8::112");
	t = build(&doc);
	assert_non_null(strstr(t, "An advert from 192.0.2.62 failed "
	    "authentication 3 s ago: the peer's address list differs: it "
	    "lacks 2001:db8::112."));
	assert_string_equal(json_string_value(json_object_get(json_object_get(
	    doc, "auth_failure"), "kind")), "lacks_address");
	free(t);
	json_decref(doc);
}

/* Held by maintenance, with no master: the hold and the episode. */
static void
test_backup_hold_no_master(void **state)
{
	json_t	*doc;
	char	*t;

	(void)state;
	fake(CARP_ST_BACKUP);
	heard(1, 100);
	snap.node.maintenance = true;
	snap.maint_hold = true;
	snprintf(snap.node.maintenance_reason,
	    sizeof(snap.node.maintenance_reason), "rack move");
	snap.maint_since = T0;
	snprintf(snap.maint_by, sizeof(snap.maint_by), "uid=1000 pid=42");
	row.info.no_master = true;
	row.info.no_master_since_us = 99 * S;
	t = build(&doc);
	assert_string_equal(json_string_value(json_object_get(
	    json_object_get(doc, "maintenance"), "mode")), "hold");
	assert_true(json_is_object(json_object_get(doc, "no_master")));
	assert_non_null(strstr(t, "The last master heard was 192.0.2.61: "
	    "advbase 1, advskew 100"));
	assert_non_null(strstr(t, "Held by maintenance (uid=1000 pid=42, "
	    "'rack move', since 2026-12-03 10:02:00 UTC)."));
	assert_non_null(strstr(t, "No master heard for 4.39 s and held: "
	    "nobody serves the addresses"));
	assert_non_null(strstr(t, "Stays BACKUP even if the master goes "
	    "silent, until maintenance ends"));
	assert_null(strstr(t, "Takes over if"));
	free(t);
	json_decref(doc);

	/* A VHID demoted by hand instead. */
	fake(CARP_ST_BACKUP);
	row.info.admin_demoted = true;
	snprintf(row.info.admin_reason, sizeof(row.info.admin_reason),
	    "kernel upgrade");
	snprintf(row.admin_by, sizeof(row.admin_by), "client=192.0.2.110");
	row.admin_since = T0;
	t = build(&doc);
	assert_non_null(strstr(t, "No master heard."));
	assert_non_null(strstr(t, "Held by an administrator's demote "
	    "(client=192.0.2.110, 'kernel upgrade', since"));
	assert_non_null(strstr(t, "until promoted (carpctl promote 1)."));
	free(t);
	json_decref(doc);
}

/* MASTER, and INIT with the link down. */
static void
test_master_and_init(void **state)
{
	json_t	*doc;
	char	*t;

	(void)state;
	fake(CARP_ST_MASTER);
	row.self4.family = AF_INET;
	inet_pton(AF_INET, "192.0.2.60", &row.self4.a.v4);
	row.info.last_reason = CARP_RS_MASTER_TIMED_OUT;
	row.info.prev_state = CARP_ST_BACKUP;
	t = build(&doc);
	assert_true(json_is_true(json_object_get(json_object_get(doc,
	    "master"), "self")));
	assert_non_null(strstr(t, "is MASTER since 2026-12-03 10:02:40 UTC "
	    "(60.0 s ago): master timed out, from BACKUP."));
	assert_non_null(strstr(t, "This node is the master (advertising from "
	    "192.0.2.60)."));
	assert_non_null(strstr(t, "Steps down if another node advertises as "
	    "often or more: advbase below 1, or advbase 1 with advskew up to "
	    "0."));
	free(t);
	json_decref(doc);

	fake(CARP_ST_INIT);
	row.info.link_up = false;
	row.info.last_change_mono_us = 0;
	t = build(&doc);
	assert_true(json_is_null(json_object_get(doc, "last_transition")));
	assert_non_null(strstr(t, "is INIT: no transition yet."));
	assert_non_null(strstr(t, "Waits in INIT until the link of eth0 comes "
	    "up."));
	free(t);
	json_decref(doc);
}

/* VRRPv3: priorities instead of advskews. */
static void
test_vrrp(void **state)
{
	json_t	*doc;
	char	*t;

	(void)state;
	fake(CARP_ST_BACKUP);
	row.info.conf.proto = CARP_PROTO_VRRP3;
	row.info.conf.vrrp_prio = 100;
	row.info.conf.vrrp_interval = 100;
	row.info.eff_prio = 100;
	heard(0, 0);
	row.info.heard[0].prio = 150;
	row.info.heard[0].interval = 100;
	snap.node.conf.preempt = true;
	t = build(&doc);
	assert_string_equal(json_string_value(json_object_get(doc,
	    "protocol")), "vrrp3");
	assert_non_null(strstr(t, "(VRRPv3) is BACKUP"));
	assert_non_null(strstr(t, "The master is 192.0.2.61: priority 150, "
	    "interval 100 cs"));
	assert_non_null(strstr(t, "Our priority: 100 configured, demotion 0: "
	    "100 advertised."));
	assert_non_null(strstr(t, "would take over if our priority (now 100) "
	    "rose above 150."));
	assert_null(strstr(t, "advskew"));
	free(t);
	json_decref(doc);
}

/* The route and the maintenance body's "hold". */
static void
test_api(void **state)
{
	struct api_route	 r;
	struct api_body		 b;
	char			 err[API_ERRLEN];
	const char		*j;

	(void)state;
	assert_int_equal(api_route("/v1/vhids/1/why", &r), API_WHY);
	assert_int_equal(r.vhid, 1);
	assert_string_equal(r.ifname, "");
	assert_int_equal(api_route("/v1/vhids/eth0/255/why", &r), API_WHY);
	assert_int_equal(r.vhid, 255);
	assert_string_equal(r.ifname, "eth0");
	/* Bad ones route, for a 400, with vhid 0. */
	assert_int_equal(api_route("/v1/vhids/abc/why", &r), API_WHY);
	assert_int_equal(r.vhid, 0);
	assert_int_equal(api_route("/v1/vhids/256/why", &r), API_WHY);
	assert_int_equal(r.vhid, 0);
	assert_int_equal(api_route("/v1/vhids/01/why", &r), API_WHY);
	assert_int_equal(r.vhid, 0);
	assert_int_equal(api_route("/v1/vhids/1/why/x", &r), API_NONE);
	assert_true(api_method_ok(API_WHY, API_GET));
	assert_true(api_method_ok(API_WHY, API_HEAD));
	assert_false(api_method_ok(API_WHY, API_POST));
	assert_false(api_is_action(API_WHY));

	j = "{\"enabled\": true, \"reason\": \"x\", \"hold\": true}";
	assert_int_equal(api_body_parse(API_MAINTENANCE, j, strlen(j), &b,
	    err, sizeof(err)), 0);
	assert_true(b.enabled && b.hold);
	j = "{\"enabled\": true, \"reason\": \"x\"}";
	assert_int_equal(api_body_parse(API_MAINTENANCE, j, strlen(j), &b,
	    err, sizeof(err)), 0);
	assert_false(b.hold);
	j = "{\"enabled\": false, \"hold\": true}";
	assert_int_equal(api_body_parse(API_MAINTENANCE, j, strlen(j), &b,
	    err, sizeof(err)), -1);
	assert_non_null(strstr(err, "hold"));
	j = "{\"enabled\": true, \"reason\": \"x\", \"hold\": 1}";
	assert_int_equal(api_body_parse(API_MAINTENANCE, j, strlen(j), &b,
	    err, sizeof(err)), -1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_backup_soft_preempt),
		cmocka_unit_test(test_backup_preempt_off_and_advbase),
		cmocka_unit_test(test_backup_hold_no_master),
		cmocka_unit_test(test_master_and_init),
		cmocka_unit_test(test_vrrp),
		cmocka_unit_test(test_auth_failure),
		cmocka_unit_test(test_api),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
