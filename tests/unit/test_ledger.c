/*
 * test_ledger.c: the demotion ledger (agent/ledger.c) on a fake clock,
 * its state-file side (agent/state.c) and its effect on the engine's
 * advertised skew (carp/: the clamp to 240).
 */
#include <sys/types.h>
#include <sys/socket.h>
#include <arpa/inet.h>
#include <netinet/in.h>

#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "agent/ledger.h"
#include "agent/state.h"
#include "carp/carp.h"

/* The fake clock and what the hooks saw. */
static int64_t		 fake_now = 1700000000;
static int		 applied, napplied;
static char		 applied_reason[CARP_REASON_LEN];
static int		 nchanged[LEDGER_CHANGE_MAX];
static struct ledger_entry last;
static int		 last_before;
static char		 last_origin[LEDGER_ORIGIN_LEN];
static int		 nsaved, save_fails;
static struct carp_node	*engine;	/* when a test wires the engine */

static int64_t
clock_now(void)
{
	return fake_now;
}

static void
hook_apply(int total, const char *reason)
{
	struct carp_time	 t = { 1, fake_now * 1000000 };

	applied = total;
	napplied++;
	snprintf(applied_reason, sizeof(applied_reason), "%s", reason);
	if (engine != NULL)
		carp_demotion_set(engine, total, reason, t);
}

static void
hook_changed(enum ledger_change what, const struct ledger_entry *e,
    int before, const char *origin)
{
	nchanged[what]++;
	last = *e;
	last_before = before;
	snprintf(last_origin, sizeof(last_origin), "%s", origin);
}

static int
hook_save(void)
{
	nsaved++;
	if (save_fails) {
		errno = ENOSPC;
		return -1;
	}
	return 0;
}

static int
setup(void **arg)
{
	struct ledger_hooks	 h = { clock_now, hook_apply, hook_changed,
	    hook_save };

	(void)arg;
	fake_now = 1700000000;
	applied = napplied = nsaved = save_fails = 0;
	memset(nchanged, 0, sizeof(nchanged));
	engine = NULL;
	ledger_init(&h);
	return 0;
}

static int
teardown(void **arg)
{
	(void)arg;
	ledger_free();
	return 0;
}

static struct ledger_entry
auto_entry(const char *name, enum ledger_source src, int weight)
{
	struct ledger_entry	 e;

	memset(&e, 0, sizeof(e));
	snprintf(e.name, sizeof(e.name), "%s", name);
	e.source = src;
	e.weight = weight;
	snprintf(e.reason, sizeof(e.reason), "cause of %s", name);
	return e;
}

/* Sums, replacement, removal, and the hooks called once per change. */
static void
test_arithmetic(void **arg)
{
	struct ledger_entry	 a[1];
	uint64_t		 gen;

	(void)arg;
	assert_int_equal(ledger_total(), 0);
	assert_int_equal(ledger_set("rack", LEDGER_API, 50, "rack move", 0,
	    false, "uid=0"), 1);
	assert_int_equal(applied, 50);
	assert_int_equal(nchanged[LEDGER_ADDED], 1);
	assert_string_equal(last.name, "rack");
	assert_string_equal(last.origin, "uid=0");
	assert_int_equal(last.since, 1700000000);
	assert_int_equal(ledger_set("fieldbus", LEDGER_TRACK_INTERFACE, 240,
	    "eth1 down", 0, false, "track"), 1);
	assert_int_equal(ledger_total(), 290);
	assert_int_equal(ledger_admin_total(), 290);
	assert_int_equal(applied, 290);
	/* The same again: nothing. */
	gen = ledger_gen();
	assert_int_equal(ledger_set("rack", LEDGER_API, 50, "rack move", 0,
	    false, "uid=0"), 0);
	assert_int_equal(ledger_gen(), gen);
	assert_int_equal(napplied, 2);
	/* A new weight replaces, since moves, before is reported. */
	fake_now += 10;
	assert_int_equal(ledger_set("rack", LEDGER_API, -20, "prefer us", 0,
	    false, "uid=0"), 1);
	assert_int_equal(last_before, 50);
	assert_int_equal(last.since, 1700000010);
	assert_int_equal(ledger_total(), 220);
	assert_true(ledger_gen() > gen);
	/* A new reason only: since stays. */
	fake_now += 10;
	assert_int_equal(ledger_set("rack", LEDGER_API, -20, "prefer us!", 0,
	    false, "uid=0"), 1);
	assert_int_equal(ledger_find("rack")->since, 1700000010);
	assert_int_equal(napplied, 3);
	/* Sorted by name, the automatic ones included. */
	a[0] = auto_entry("link:eth0", LEDGER_LINK, 240);
	ledger_auto_set(a, 1);
	assert_int_equal(ledger_count(), 3);
	assert_string_equal(ledger_get(0)->name, "fieldbus");
	assert_string_equal(ledger_get(1)->name, "link:eth0");
	assert_string_equal(ledger_get(2)->name, "rack");
	assert_null(ledger_get(3));
	assert_true(ledger_get(1)->automatic);
	assert_int_equal(ledger_total(), 460);
	/* The engine's part is not handed back to the engine. */
	assert_int_equal(ledger_admin_total(), 220);
	assert_int_equal(applied, 220);
	/* Removal. */
	assert_int_equal(ledger_del("rack", LEDGER_API, "uid=0"), 1);
	assert_int_equal(ledger_del("rack", LEDGER_API, "uid=0"), 0);
	assert_int_equal(nchanged[LEDGER_REMOVED], 1);
	assert_int_equal(applied, 240);
	assert_int_equal(ledger_del("fieldbus", LEDGER_TRACK_INTERFACE,
	    "track"), 1);
	assert_int_equal(applied, 0);
	ledger_auto_set(NULL, 0);
	assert_int_equal(ledger_total(), 0);
	assert_int_equal(ledger_count(), 0);
	/* Nothing persistent changed: never saved. */
	assert_int_equal(nsaved, 0);
}

static int
fake_emit(void *arg, const struct carp_action *a)
{
	(void)arg;
	(void)a;
	return 0;
}

static uint64_t
fake_random(void *arg)
{
	(void)arg;
	return 0x1000;
}

/* The engine adds the total to advskew and clamps it to 240. */
static void
test_clamp(void **arg)
{
	static const struct carp_host host = { fake_emit, fake_random, NULL };
	struct carp_node_conf	 nc;
	struct carp_vhid_conf	 c;
	struct carp_vhid_info	 vi;
	struct carp_node_info	 ni;
	struct carp_vhid	*vh;
	struct carp_time	 t = { 1, 1700000000LL * 1000000 };

	(void)arg;
	carp_node_conf_default(&nc);
	assert_non_null(engine = carp_node_new(&nc, &host));
	memset(&c, 0, sizeof(c));
	c.vhid = 1;
	c.ifindex = 2;
	strcpy(c.ifname, "eth0");
	c.advbase = 1;
	c.advskew = 100;
	c.naddrs = 1;
	c.addrs[0].family = AF_INET;
	c.addrs[0].prefixlen = 24;
	inet_pton(AF_INET, "192.0.2.111", &c.addrs[0].a.v4);
	assert_non_null(vh = carp_vhid_add(engine, &c, true, NULL, t));

	assert_int_equal(ledger_set("a", LEDGER_API, 100, "x", 0, false,
	    "t"), 1);
	carp_vhid_info(vh, &vi);
	assert_int_equal(vi.eff_advskew, 200);
	assert_int_equal(ledger_set("b", LEDGER_SNMP, 100, "y", 0, false,
	    "snmp"), 1);
	carp_node_info(engine, &ni);
	assert_int_equal(ni.demotion, 200);
	assert_int_equal(ni.admin_demotion, 200);
	carp_vhid_info(vh, &vi);
	assert_int_equal(vi.eff_advskew, 240);	/* 300, clamped */
	/* A negative entry lowers it; below 0 clamps to 0. */
	assert_int_equal(ledger_set("c", LEDGER_API, -500, "z", 0, false,
	    "t"), 1);
	carp_vhid_info(vh, &vi);
	assert_int_equal(vi.eff_advskew, 0);
	assert_int_equal(ledger_del("c", LEDGER_API, "t"), 1);
	assert_int_equal(ledger_del("b", LEDGER_API, "t"), 1);
	assert_int_equal(ledger_del("a", LEDGER_SNMP, "t"), 1);
	carp_vhid_info(vh, &vi);
	assert_int_equal(vi.eff_advskew, 100);
	carp_node_info(engine, &ni);
	assert_int_equal(ni.demotion, 0);
	carp_node_free(engine);
	engine = NULL;
}

/* An entry past its expiry removes itself, once, and says so. */
static void
test_expiry(void **arg)
{
	(void)arg;
	assert_int_equal(ledger_set("short", LEDGER_API, 100, "test", fake_now +
	    10, true, "client=192.0.2.9"), 1);
	assert_int_equal(nsaved, 1);
	assert_int_equal(ledger_set("long", LEDGER_API, 5, "test", fake_now +
	    100, false, "x"), 1);
	assert_int_equal(ledger_set("ever", LEDGER_API, 1, "test", 0, false,
	    "x"), 1);
	assert_int_equal(ledger_next_expiry(), 1700000010);
	fake_now += 9;
	assert_int_equal(ledger_expire(), 0);
	assert_int_equal(ledger_total(), 106);
	fake_now += 1;
	assert_int_equal(ledger_expire(), 1);
	assert_int_equal(nchanged[LEDGER_EXPIRED], 1);
	assert_string_equal(last.name, "short");
	assert_string_equal(last_origin, "expiry");
	assert_string_equal(applied_reason, "expired");
	assert_int_equal(applied, 6);
	assert_int_equal(nsaved, 2);	/* it was persistent */
	assert_null(ledger_find("short"));
	assert_int_equal(ledger_expire(), 0);
	assert_int_equal(ledger_next_expiry(), 1700000100);
	fake_now += 1000;
	assert_int_equal(ledger_expire(), 1);
	assert_int_equal(nsaved, 2);	/* it was not */
	assert_int_equal(ledger_next_expiry(), 0);
	assert_int_equal(ledger_total(), 1);
	/* An expiry in the past, now, or too far ahead is refused. */
	assert_int_equal(ledger_set("x", LEDGER_API, 1, "t", fake_now, false,
	    "x"), -1);
	assert_int_equal(errno, EINVAL);
	assert_int_equal(ledger_set("x", LEDGER_API, 1, "t", fake_now +
	    LEDGER_EXPIRY_MAX + 1, false, "x"), -1);
	assert_int_equal(errno, EINVAL);
	assert_int_equal(ledger_set("x", LEDGER_API, 1, "t", fake_now +
	    LEDGER_EXPIRY_MAX, false, "x"), 1);
}

/* Persistent entries go to the state file and come back; others don't. */
static void
test_persist_restore(void **arg)
{
	struct ledger_entry	 list[LEDGER_MAX + 1];
	struct state		 st, back;
	char			*text, err[256];
	size_t			 n, i;
	bool			 hand;

	(void)arg;
	state_init(&st);
	state_init(&back);
	assert_int_equal(ledger_set("admin", LEDGER_API, 30, "old style", 0,
	    true, "uid=0 pid=1"), 1);
	assert_int_equal(ledger_set("rack", LEDGER_API, 50, "rack move",
	    fake_now + 3600, true, "client=192.0.2.9"), 1);
	assert_int_equal(ledger_set("boot", LEDGER_STARTUP, 240, "startup",
	    fake_now + 60, true, "config"), 1);
	assert_int_equal(ledger_set("tmp", LEDGER_API, 7, "not kept", 0,
	    false, "x"), 1);
	assert_int_equal(nsaved, 3);
	state_from_ledger(&st);
	assert_int_equal(st.demotion, 30);
	assert_string_equal(st.demotion_reason, "old style");
	assert_string_equal(st.demotion_by, "uid=0 pid=1");
	assert_int_equal(st.ndemotions, 2);
	text = state_dump(&st);
	assert_non_null(text);
	assert_non_null(strstr(text, "\"demotions\""));
	assert_null(strstr(text, "not kept"));
	assert_int_equal(state_parse(text, strlen(text), &back, err,
	    sizeof(err)), 0);
	assert_true(state_equal(&st, &back));
	free(text);

	/* A restart, 100 s later: the startup gate has expired meanwhile. */
	ledger_free();
	setup(NULL);
	fake_now += 100;
	n = state_ledger_entries(&back, list, &hand);
	assert_true(hand);
	assert_int_equal(n, 3);
	for (i = 0; i < n; i++)
		assert_true(ledger_restore(&list[i]) >= 0);
	assert_int_equal(nchanged[LEDGER_EXPIRED], 1);
	assert_string_equal(last.name, "boot");
	assert_int_equal(ledger_count(), 2);
	assert_int_equal(ledger_total(), 80);
	assert_int_equal(applied, 80);
	assert_string_equal(ledger_find("rack")->origin, "client=192.0.2.9");
	assert_int_equal(ledger_find("rack")->since, 1700000000);
	assert_int_equal(ledger_find("rack")->expires, 1700003600);
	assert_true(ledger_find("rack")->persist);
	assert_null(ledger_find("tmp"));
	/* A restored entry is not restored twice. */
	assert_int_equal(ledger_restore(&list[0]), -1);
	assert_int_equal(errno, EEXIST);
	/* Removing a persistent entry saves; a failed save says EIO-ish. */
	save_fails = 1;
	assert_int_equal(ledger_del("rack", LEDGER_API, "x"), -1);
	assert_int_equal(errno, ENOSPC);
	assert_null(ledger_find("rack"));	/* it took effect */
	state_free(&st);
	state_free(&back);
}

/* An old state file: its single demotion becomes the entry "admin". */
static void
test_old_state_file(void **arg)
{
	static const char old[] = "{\"version\":1,"
	    "\"maintenance\":{\"enabled\":false,\"reason\":\"\",\"since\":0},"
	    "\"demotion\":{\"value\":50,\"reason\":\"db failover\","
	    "\"since\":1690000000,\"by\":\"uid=0 pid=9\"},\"demoted\":[]}";
	static const char zero[] = "{\"version\":1,"
	    "\"demotion\":{\"value\":0,\"reason\":\"\",\"since\":1690000000}}";
	struct ledger_entry	 list[LEDGER_MAX + 1];
	struct state		 st;
	char			 err[256], *text;
	size_t			 n;
	bool			 hand;

	(void)arg;
	state_init(&st);
	assert_int_equal(state_parse(old, sizeof(old) - 1, &st, err,
	    sizeof(err)), 0);
	n = state_ledger_entries(&st, list, &hand);
	assert_true(hand);
	assert_int_equal(n, 1);
	assert_string_equal(list[0].name, "admin");
	assert_int_equal(list[0].source, LEDGER_API);
	assert_int_equal(list[0].weight, 50);
	assert_string_equal(list[0].reason, "db failover");
	assert_int_equal(list[0].since, 1690000000);
	assert_string_equal(list[0].origin, "uid=0 pid=9");
	assert_true(list[0].persist);
	assert_int_equal(ledger_restore(&list[0]), 1);
	assert_int_equal(applied, 50);
	/* Saved back, it reads the same to an old carpd: no new key. */
	state_from_ledger(&st);
	text = state_dump(&st);
	assert_null(strstr(text, "demotions"));
	assert_non_null(strstr(text, "\"value\": 50"));
	free(text);
	/* A demotion of 0 set by hand: no entry, but it was by hand. */
	assert_int_equal(state_parse(zero, sizeof(zero) - 1, &st, err,
	    sizeof(err)), 0);
	n = state_ledger_entries(&st, list, &hand);
	assert_int_equal(n, 0);
	assert_true(hand);
	state_free(&st);
}

/* "demotions" is read as strictly as the rest of the file. */
static void
test_state_strict(void **arg)
{
	static const struct {
		const char	*text;
		const char	*err;
	} bad[] = {
	    { "{\"version\":1,\"demotions\":{}}", "demotions: not an array" },
	    { "{\"version\":1,\"demotions\":[{\"name\":\"a\",\"source\":"
	      "\"api\",\"weight\":1,\"colour\":1}]}",
	      "demotions[0]: unknown key \"colour\"" },
	    { "{\"version\":1,\"demotions\":[{\"name\":\"a\",\"source\":"
	      "\"link\",\"weight\":1}]}",
	      "demotions[0].source: \"link\" is not a source of saved "
	      "entries" },
	    { "{\"version\":1,\"demotions\":[{\"name\":\"a b\",\"source\":"
	      "\"api\",\"weight\":1}]}",
	      "demotions[0].name: \"a b\" is not an entry name" },
	    { "{\"version\":1,\"demotions\":[{\"name\":\"link:eth0\","
	      "\"source\":\"api\",\"weight\":1}]}",
	      "demotions[0].name: \"link:eth0\" is not an entry name" },
	    { "{\"version\":1,\"demotions\":[{\"name\":\"a\",\"source\":"
	      "\"api\",\"weight\":1000001}]}",
	      "demotions[0].weight: 1000001 out of range" },
	    { "{\"version\":1,\"demotions\":[{\"name\":\"a\",\"source\":"
	      "\"api\",\"weight\":1},{\"name\":\"a\",\"source\":\"snmp\","
	      "\"weight\":2}]}", "demotions[1]: \"a\" listed twice" },
	    { "{\"version\":1,\"demotions\":[{\"source\":\"api\","
	      "\"weight\":1}]}", "demotions[0]: missing \"name\"" },
	};
	struct state	 st;
	char		 err[256], text[8192];
	size_t		 i, o;

	(void)arg;
	state_init(&st);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		err[0] = '\0';
		assert_int_equal(state_parse(bad[i].text, strlen(bad[i].text),
		    &st, err, sizeof(err)), -1);
		if (strncmp(err, bad[i].err, strlen(bad[i].err)) != 0)
			fail_msg("%s: got \"%s\", want \"%s\"", bad[i].text,
			    err, bad[i].err);
		assert_int_equal(st.ndemotions, 0);
	}
	/* At most LEDGER_MAX entries. */
	o = (size_t)snprintf(text, sizeof(text),
	    "{\"version\":1,\"demotions\":[");
	for (i = 0; i <= LEDGER_MAX; i++)
		o += (size_t)snprintf(text + o, sizeof(text) - o,
		    "%s{\"name\":\"e%zu\",\"source\":\"api\",\"weight\":1}",
		    i > 0 ? "," : "", i);
	snprintf(text + o, sizeof(text) - o, "]}");
	assert_int_equal(state_parse(text, strlen(text), &st, err,
	    sizeof(err)), -1);
	assert_non_null(strstr(err, "at most 64"));
	state_free(&st);
}

/* Automatic entries and other sources' entries cannot be removed. */
static void
test_refusal(void **arg)
{
	struct ledger_entry	 a[2];

	(void)arg;
	a[0] = auto_entry("link:eth0", LEDGER_LINK, 240);
	a[1] = auto_entry("send-error:eth0", LEDGER_SEND_ERROR, 240);
	ledger_auto_set(a, 2);
	assert_int_equal(nchanged[LEDGER_ADDED], 2);
	assert_string_equal(last_origin, "engine");
	assert_int_equal(ledger_total(), 480);
	assert_int_equal(ledger_admin_total(), 0);
	assert_int_equal(napplied, 0);
	/* Not by the API, not even by its own source. */
	assert_int_equal(ledger_del("link:eth0", LEDGER_API, "x"), -1);
	assert_int_equal(errno, EPERM);
	assert_int_equal(ledger_del("link:eth0", LEDGER_LINK, "x"), -1);
	assert_int_equal(errno, EPERM);
	assert_int_equal(ledger_set("link:eth0", LEDGER_API, 0, "x", 0, false,
	    "x"), -1);
	assert_int_equal(errno, EINVAL);
	assert_int_equal(ledger_set("mine", LEDGER_LINK, 1, "x", 0, false,
	    "x"), -1);
	assert_int_equal(errno, EINVAL);
	/* A tracker's entry is the tracker's. */
	assert_int_equal(ledger_set("plc", LEDGER_TRACK_SCRIPT, 240,
	    "plc-check failed", 0, false, "track"), 1);
	assert_int_equal(ledger_del("plc", LEDGER_API, "x"), -1);
	assert_int_equal(errno, EPERM);
	assert_int_equal(ledger_set("plc", LEDGER_API, 0, "mine now", 0,
	    false, "x"), -1);
	assert_int_equal(errno, EPERM);
	assert_int_equal(ledger_find("plc")->weight, 240);
	/* An administrator's is anybody's (api, snmp, config). */
	assert_int_equal(ledger_set("ops", LEDGER_SNMP, 10, "x", 0, false,
	    "snmp"), 1);
	assert_int_equal(ledger_set("ops", LEDGER_API, 20, "x", 0, false,
	    "x"), 1);
	assert_int_equal(ledger_find("ops")->source, LEDGER_API);
	/* Each cause going takes its entry: the total returns to 0. */
	a[0].weight = 480;		/* two VHIDs on eth0 now */
	ledger_auto_set(a, 1);
	assert_int_equal(nchanged[LEDGER_CHANGED], 2);
	assert_null(ledger_find("send-error:eth0"));
	assert_int_equal(ledger_find("link:eth0")->weight, 480);
	ledger_auto_set(NULL, 0);
	assert_int_equal(ledger_del("plc", LEDGER_TRACK_SCRIPT, "track"), 1);
	assert_int_equal(ledger_del("ops", LEDGER_API, "x"), 1);
	assert_int_equal(ledger_total(), 0);
	assert_int_equal(ledger_count(), 0);
}

/* Bounds: names, weights, reasons, the number of entries. */
static void
test_limits(void **arg)
{
	char	 name[LEDGER_NAME_LEN + 1], reason[CARP_REASON_LEN * 2];
	int	 i;

	(void)arg;
	memset(name, 'n', sizeof(name));
	name[LEDGER_NAME_LEN - 1] = '\0';	/* 63: fine */
	assert_int_equal(ledger_set(name, LEDGER_API, 1, "x", 0, false, "x"),
	    1);
	name[LEDGER_NAME_LEN - 1] = 'n';
	name[LEDGER_NAME_LEN] = '\0';		/* 64: too long */
	assert_int_equal(ledger_set(name, LEDGER_API, 1, "x", 0, false, "x"),
	    -1);
	assert_int_equal(errno, EINVAL);
	assert_false(ledger_name_valid(""));
	assert_false(ledger_name_valid("-x"));
	assert_false(ledger_name_valid("a/b"));
	assert_false(ledger_name_valid("a b"));
	assert_false(ledger_name_valid("send-error:eth0"));
	assert_true(ledger_name_valid("db.primary@site-2:x_1"));
	assert_int_equal(ledger_set("w", LEDGER_API, CARP_DEMOTION_MAX + 1,
	    "x", 0, false, "x"), -1);
	assert_int_equal(errno, EINVAL);
	assert_int_equal(ledger_set("w", LEDGER_API, -CARP_DEMOTION_MAX, "x",
	    0, false, "x"), 1);
	assert_int_equal(ledger_set("c", LEDGER_API, 1, "a\nb", 0, false,
	    "x"), -1);
	assert_int_equal(errno, EINVAL);
	assert_int_equal(ledger_set("s", LEDGER_SOURCE_MAX, 1, "a", 0, false,
	    "x"), -1);
	assert_int_equal(errno, EINVAL);
	/* A long reason is cut, at a character boundary. */
	memset(reason, 'r', sizeof(reason));
	reason[CARP_REASON_LEN - 2] = '\xc3';
	reason[CARP_REASON_LEN - 1] = '\xa9';
	reason[sizeof(reason) - 1] = '\0';
	assert_int_equal(ledger_set("r", LEDGER_API, 1, reason, 0, false,
	    "x"), 1);
	assert_int_equal(strlen(ledger_find("r")->reason),
	    CARP_REASON_LEN - 2);
	/* At most LEDGER_MAX owned entries; automatic ones do not count. */
	for (i = 0; ledger_count() < LEDGER_MAX; i++) {
		snprintf(name, sizeof(name), "e%d", i);
		assert_int_equal(ledger_set(name, LEDGER_API, 1, "x", 0,
		    false, "x"), 1);
	}
	assert_int_equal(ledger_set("one-more", LEDGER_API, 1, "x", 0, false,
	    "x"), -1);
	assert_int_equal(errno, ENOSPC);
	/* Replacing one is still fine when full. */
	assert_int_equal(ledger_set("e0", LEDGER_API, 2, "x", 0, false, "x"),
	    1);
	{
		struct ledger_entry a = auto_entry("link:eth9", LEDGER_LINK,
		    240);

		ledger_auto_set(&a, 1);
		assert_int_equal(ledger_count(), LEDGER_MAX + 1);
	}
	assert_int_equal(ledger_del("e1", LEDGER_API, "x"), 1);
	assert_int_equal(ledger_set("one-more", LEDGER_API, 1, "x", 0, false,
	    "x"), 1);
	/* Restoring past the bound is refused too. */
	{
		struct ledger_entry e = auto_entry("late", LEDGER_API, 1);

		assert_int_equal(ledger_restore(&e), -1);
		assert_int_equal(errno, ENOSPC);
	}
}

/* The names of the sources, as the views print them. */
static void
test_names(void **arg)
{
	(void)arg;
	assert_string_equal(ledger_source_names[LEDGER_LINK], "link");
	assert_string_equal(ledger_source_names[LEDGER_TRACK_INTERFACE],
	    "track-interface");
	assert_string_equal(ledger_source_names[LEDGER_SEND_ERROR],
	    "send-error");
	assert_string_equal(ledger_source_names[LEDGER_MAINTENANCE],
	    "maintenance");
	assert_int_equal(ledger_source_find("snmp"), LEDGER_SNMP);
	assert_int_equal(ledger_source_find("nope"), -1);
	assert_false(ledger_source_owned(LEDGER_API));
	assert_false(ledger_source_owned(LEDGER_CONFIG));
	assert_true(ledger_source_owned(LEDGER_STARTUP));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_arithmetic, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_clamp, setup, teardown),
		cmocka_unit_test_setup_teardown(test_expiry, setup, teardown),
		cmocka_unit_test_setup_teardown(test_persist_restore, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_old_state_file, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_state_strict, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_refusal, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_limits, setup, teardown),
		cmocka_unit_test_setup_teardown(test_names, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
