/*
 * test_diag.c: the diagnosis of adverts that fail HMAC (docs/protocol.md,
 * decision 22), on a fake clock, with real adverts: the peer's are
 * encoded by the codec with its own password and address list, and fed
 * to an engine whose VHID has ours.
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

#include "agent/snap.h"
#include "carp/carp.h"
#include "exporters/prom.h"
#include "exporters/status.h"

#define S	1000000ULL

static int	 emitted;
static bool	 force6;	/* feed() sends over IPv6 */

static int
fake_emit(void *arg, const struct carp_action *a)
{
	(void)arg;
	(void)a;
	emitted++;
	return 0;
}

static uint64_t
fake_random(void *arg)
{
	(void)arg;
	return 0x1000;
}

static const struct carp_host fake_host = { fake_emit, fake_random, NULL };

static struct carp_time
at(uint64_t us)
{
	struct carp_time t = { us, (int64_t)(1700000000 * S + us) };

	return t;
}

/* Parse "192.0.2.1" or "2001:db8::1" into a. */
static void
addr(struct carp_addr *a, const char *s)
{
	memset(a, 0, sizeof(*a));
	if (strchr(s, ':') != NULL) {
		a->family = AF_INET6;
		a->prefixlen = 64;
		assert_int_equal(inet_pton(AF_INET6, s, &a->a.v6), 1);
	} else {
		a->family = AF_INET;
		a->prefixlen = 24;
		assert_int_equal(inet_pton(AF_INET, s, &a->a.v4), 1);
	}
}

/* VHID vhid on ifindex 2, password pass, the addresses of list (NULL-ended). */
static void
conf(struct carp_vhid_conf *c, uint8_t vhid, const char *pass,
    const char *const *list)
{
	memset(c, 0, sizeof(*c));
	c->vhid = vhid;
	c->ifindex = 2;
	strcpy(c->ifname, "eth0");
	c->advbase = 1;
	c->advskew = 0;
	c->keylen = strlen(pass);
	memcpy(c->key, pass, c->keylen);
	for (c->naddrs = 0; list[c->naddrs] != NULL; c->naddrs++)
		addr(&c->addrs[c->naddrs], list[c->naddrs]);
}

/*
 * The peer's advert: encoded with its configuration p, sent from an
 * address of the family it has (IPv4 first, as a dual-stack peer's IPv4
 * advert), fed to n at now.
 */
static enum carp_drop
feed(struct carp_node *n, const struct carp_vhid_conf *p, uint64_t now)
{
	struct carp_hmac	*h = carp_hmac_new();
	uint8_t			 pkt[CARP_HDR_LEN];
	struct carp_rx		 rx;
	size_t			 i;
	bool			 v4 = false;

	assert_non_null(h);
	for (i = 0; i < p->naddrs; i++)
		if (p->addrs[i].family == AF_INET)
			v4 = true;
	carp_hmac_prepare(h, p->key, p->keylen, p->vhid, p->addrs, p->naddrs);
	carp_pkt_encode(h, p->vhid, 1, 100, 42, pkt);
	carp_hmac_free(h);
	memset(&rx, 0, sizeof(rx));
	rx.data = pkt;
	rx.len = sizeof(pkt);
	if (v4 && !force6) {
		addr(&rx.src, "192.0.2.51");
		addr(&rx.dst, "224.0.0.18");
	} else {
		addr(&rx.src, "fe80::51");
		addr(&rx.dst, "ff02::12");
	}
	rx.ttl = 255;
	rx.ifindex = p->ifindex;
	return carp_input(n, &rx, at(now));
}

static const char *const ours[] = { "192.0.2.111", "192.0.2.112",
    "2001:db8::111", "2001:db8::112", NULL };

/* A node with our VHID 1 (ours, password test123). */
static struct carp_node *
node(struct carp_vhid **vh, const char *const *list)
{
	struct carp_node_conf	 nc;
	struct carp_vhid_conf	 c;
	struct carp_node	*n;

	carp_node_conf_default(&nc);
	assert_non_null(n = carp_node_new(&nc, &fake_host));
	conf(&c, 1, "test123", list);
	assert_non_null(*vh = carp_vhid_add(n, &c, true, NULL, at(0)));
	return n;
}

/*
 * One case: the peer has pass and list; the advert fails HMAC and the
 * diagnosis is kind, with text.  Also through carp_vhid_info(), which
 * carries no key, and never with the key in the text.
 */
static void
check(const char *const *mine, const char *pass, const char *const *list,
    enum carp_diag_kind kind, const char *text)
{
	struct carp_vhid_conf	 p;
	struct carp_vhid_info	 vi;
	struct carp_node_info	 ni;
	struct carp_node	*n;
	struct carp_vhid	*vh;
	const struct carp_diag	*d;
	char			 src[INET6_ADDRSTRLEN];

	n = node(&vh, mine);
	conf(&p, 1, pass, list);
	assert_int_equal(feed(n, &p, 5 * S), CARP_DROP_BADAUTH);
	d = carp_vhid_diag(vh, 0);
	assert_int_equal(d->kind, kind);
	assert_string_equal(d->text, text);
	assert_null(strstr(d->text, "test123"));
	assert_null(strstr(d->text, pass));
	assert_int_equal(d->at_mono_us, 5 * S);
	assert_true(d->at_wall_us == at(5 * S).wall_us);
	assert_true(d->hmacs >= 1);
	assert_true(d->hmacs <= p.naddrs + 4);
	carp_addr_ntop(&d->src, src, sizeof(src));
	assert_true(strcmp(src, "192.0.2.51") == 0 ||
	    strcmp(src, "fe80::51") == 0);
	carp_vhid_info(vh, &vi);
	assert_int_equal(vi.diag.kind, kind);
	assert_string_equal(vi.diag.text, text);
	assert_int_equal(vi.conf.key[0], 0);
	carp_node_info(n, &ni);
	assert_int_equal(ni.diags[kind], 1);
	assert_int_equal(ni.stats.badauth, 1);
	carp_node_free(n);
}

static void
test_lacks_inet(void **state)
{
	static const char *const peer[] = { "192.0.2.111", "2001:db8::111",
	    "2001:db8::112", NULL };

	(void)state;
	check(ours, "test123", peer, CARP_DIAG_LACKS,
	    "the peer's address list differs: it lacks 192.0.2.112");
}

static void
test_lacks_inet6(void **state)
{
	static const char *const peer[] = { "2001:db8::112", "192.0.2.112",
	    "192.0.2.111", NULL };

	(void)state;
	check(ours, "test123", peer, CARP_DIAG_LACKS,
	    "the peer's address list differs: it lacks 2001:db8::111");
}

static void
test_only_inet(void **state)
{
	static const char *const peer[] = { "192.0.2.112", "192.0.2.111",
	    NULL };

	(void)state;
	check(ours, "test123", peer, CARP_DIAG_ONLY4,
	    "the peer's address list differs: it lacks our 2 IPv6 "
	    "addresses (2001:db8::111, ...)");
}

static void
test_only_inet6(void **state)
{
	static const char *const peer[] = { "2001:db8::111", "2001:db8::112",
	    NULL };

	(void)state;
	check(ours, "test123", peer, CARP_DIAG_ONLY6,
	    "the peer's address list differs: it lacks our 2 IPv4 "
	    "addresses (192.0.2.111, ...)");
}

/* One address of each family: the missing family is one address. */
static void
test_only_inet_one(void **state)
{
	static const char *const mine[] = { "192.0.2.111", "2001:db8::111",
	    NULL };
	static const char *const peer[] = { "192.0.2.111", NULL };

	(void)state;
	check(mine, "test123", peer, CARP_DIAG_LACKS,
	    "the peer's address list differs: it lacks 2001:db8::111");
}

static void
test_wrong_password(void **state)
{
	(void)state;
	check(ours, "wrong123", ours, CARP_DIAG_UNKNOWN,
	    "password or address list differ");
}

/* The wrong password and a short list: nothing verifies. */
static void
test_wrong_password_short(void **state)
{
	static const char *const peer[] = { "192.0.2.111", "192.0.2.112",
	    NULL };

	(void)state;
	check(ours, "wrong123", peer, CARP_DIAG_UNKNOWN,
	    "password or address list differ");
}

/* An address the peer has and we lack cannot be named. */
static void
test_peer_extra(void **state)
{
	static const char *const peer[] = { "192.0.2.111", "192.0.2.112",
	    "192.0.2.113", "2001:db8::111", "2001:db8::112", NULL };

	(void)state;
	check(ours, "test123", peer, CARP_DIAG_UNKNOWN,
	    "password or address list differ");
}

/* Two addresses missing: beyond what is tried. */
static void
test_lacks_two(void **state)
{
	static const char *const peer[] = { "192.0.2.111",
	    "2001:db8::111", NULL };

	(void)state;
	check(ours, "test123", peer, CARP_DIAG_UNKNOWN,
	    "password or address list differ");
}

/*
 * The good path: a valid advert leaves no diagnosis and no HMAC beyond
 * its own.
 */
static void
test_good_path(void **state)
{
	struct carp_vhid_conf	 p;
	struct carp_node_info	 ni;
	struct carp_node	*n;
	struct carp_vhid	*vh;
	int			 k;

	(void)state;
	n = node(&vh, ours);
	conf(&p, 1, "test123", ours);
	assert_int_equal(feed(n, &p, S), CARP_DROP_NONE);
	assert_int_equal(carp_vhid_diag(vh, 0)->kind, CARP_DIAG_NONE);
	assert_int_equal(carp_vhid_diag(vh, 0)->at_mono_us, 0);
	carp_node_info(n, &ni);
	for (k = 0; k < CARP_DIAG_MAX; k++)
		assert_int_equal(ni.diags[k], 0);
	assert_int_equal(ni.diag_skipped, 0);
	carp_node_free(n);
}

/*
 * Rate limit per VHID: a failure within CARP_DIAG_EVERY_US of the last
 * try keeps the last diagnosis (and is counted as skipped); the next one
 * after it diagnoses again, and sees the peer's new mistake.
 */
static void
test_rate_vhid(void **state)
{
	static const char *const peer[] = { "192.0.2.111", "2001:db8::111",
	    "2001:db8::112", NULL };
	struct carp_vhid_conf	 p, q;
	struct carp_node_info	 ni;
	struct carp_node	*n;
	struct carp_vhid	*vh;

	(void)state;
	n = node(&vh, ours);
	conf(&p, 1, "test123", peer);
	conf(&q, 1, "wrong123", ours);
	assert_int_equal(feed(n, &p, 10 * S), CARP_DROP_BADAUTH);
	assert_int_equal(carp_vhid_diag(vh, 0)->kind, CARP_DIAG_LACKS);
	assert_int_equal(feed(n, &q, 10 * S + S / 2), CARP_DROP_BADAUTH);
	assert_int_equal(carp_vhid_diag(vh, 0)->kind, CARP_DIAG_LACKS);
	assert_int_equal(carp_vhid_diag(vh, 0)->at_mono_us, 10 * S);
	assert_int_equal(feed(n, &q, 11 * S - 1), CARP_DROP_BADAUTH);
	assert_int_equal(carp_vhid_diag(vh, 0)->at_mono_us, 10 * S);
	carp_node_info(n, &ni);
	assert_int_equal(ni.diag_skipped, 2);
	assert_int_equal(feed(n, &q, 11 * S), CARP_DROP_BADAUTH);
	assert_int_equal(carp_vhid_diag(vh, 0)->kind, CARP_DIAG_UNKNOWN);
	assert_int_equal(carp_vhid_diag(vh, 0)->at_mono_us, 11 * S);
	carp_node_info(n, &ni);
	assert_int_equal(ni.diags[CARP_DIAG_LACKS], 1);
	assert_int_equal(ni.diags[CARP_DIAG_UNKNOWN], 1);
	assert_int_equal(ni.stats.badauth, 4);
	carp_node_free(n);
}

/*
 * A dual-stack peer's adverts of each family come from two sources: each
 * family is diagnosed on its own (and rate-limited on its own), and the
 * VHID's diagnosis is the later of the two.
 */
static void
test_rate_family(void **state)
{
	static const char *const peer[] = { "192.0.2.111", "2001:db8::111",
	    "2001:db8::112", NULL };
	struct carp_vhid_conf	 p;
	struct carp_node_info	 ni;
	struct carp_node	*n;
	struct carp_vhid	*vh;
	char			 a[INET6_ADDRSTRLEN];

	(void)state;
	n = node(&vh, ours);
	conf(&p, 1, "test123", peer);
	assert_int_equal(feed(n, &p, 10 * S), CARP_DROP_BADAUTH);
	force6 = true;
	assert_int_equal(feed(n, &p, 10 * S + S / 10), CARP_DROP_BADAUTH);
	force6 = false;
	assert_int_equal(feed(n, &p, 10 * S + S / 2), CARP_DROP_BADAUTH);
	carp_node_info(n, &ni);
	assert_int_equal(ni.diags[CARP_DIAG_LACKS], 2);
	assert_int_equal(ni.diag_skipped, 1);
	assert_string_equal(carp_addr_ntop(&carp_vhid_diag(vh, AF_INET)->src,
	    a, sizeof(a)), "192.0.2.51");
	assert_string_equal(carp_addr_ntop(&carp_vhid_diag(vh, AF_INET6)->src,
	    a, sizeof(a)), "fe80::51");
	assert_string_equal(carp_vhid_diag(vh, AF_INET6)->text,
	    "the peer's address list differs: it lacks 192.0.2.112");
	assert_int_equal(carp_vhid_diag(vh, 0)->at_mono_us, 10 * S + S / 10);
	assert_string_equal(carp_addr_ntop(&carp_vhid_diag(vh, 0)->src, a,
	    sizeof(a)), "fe80::51");
	carp_node_free(n);
}

/*
 * A new address list or password forgets the diagnosis made with the old
 * one; the next failure is diagnosed at once, with the new one.
 */
static void
test_rekey_forgets(void **state)
{
	static const char *const peer[] = { "192.0.2.111", "2001:db8::111",
	    "2001:db8::112", NULL };
	static const char *const fixed[] = { "192.0.2.111", "2001:db8::111",
	    "2001:db8::112", "2001:db8::113", NULL };
	struct carp_vhid_conf	 p, c;
	struct carp_node	*n;
	struct carp_vhid	*vh;

	(void)state;
	n = node(&vh, ours);
	conf(&p, 1, "test123", peer);
	assert_int_equal(feed(n, &p, 30 * S), CARP_DROP_BADAUTH);
	assert_int_equal(carp_vhid_diag(vh, 0)->kind, CARP_DIAG_LACKS);
	/* Our list changes: the peer now lacks 2001:db8::113. */
	conf(&c, 1, "test123", fixed);
	assert_int_equal(carp_vhid_update(vh, &c, at(30 * S + S / 4)), 1);
	assert_int_equal(carp_vhid_diag(vh, 0)->kind, CARP_DIAG_NONE);
	assert_int_equal(feed(n, &p, 30 * S + S / 2), CARP_DROP_BADAUTH);
	assert_string_equal(carp_vhid_diag(vh, 0)->text,
	    "the peer's address list differs: it lacks 2001:db8::113");
	/* And the password: nothing verifies any more. */
	conf(&c, 1, "other12", fixed);
	assert_int_equal(carp_vhid_update(vh, &c, at(30 * S + S * 6 / 10)), 1);
	assert_int_equal(feed(n, &p, 30 * S + S * 7 / 10), CARP_DROP_BADAUTH);
	assert_int_equal(carp_vhid_diag(vh, 0)->kind, CARP_DIAG_UNKNOWN);
	carp_node_free(n);
}

/*
 * Rate limit per node: VHIDs of CARP_MAX_ADDRS addresses each, all
 * failing in the same second, cost at most CARP_DIAG_BUDGET HMACs; the
 * rest wait for the next second.
 */
static void
test_rate_node(void **state)
{
	struct carp_node_conf	 nc;
	struct carp_vhid_conf	 c, p;
	struct carp_node_info	 ni;
	struct carp_node	*n;
	struct carp_vhid	*vh[8];
	const struct carp_diag	*d;
	unsigned int		 hmacs = 0, done = 0;
	size_t			 i, k;

	(void)state;
	carp_node_conf_default(&nc);
	assert_non_null(n = carp_node_new(&nc, &fake_host));
	for (k = 0; k < 8; k++) {
		memset(&c, 0, sizeof(c));
		c.vhid = (uint8_t)(k + 1);
		c.ifindex = 2;
		strcpy(c.ifname, "eth0");
		c.advbase = 1;
		c.keylen = 7;
		memcpy(c.key, "test123", 7);
		c.naddrs = CARP_MAX_ADDRS;
		for (i = 0; i < CARP_MAX_ADDRS; i++) {
			c.addrs[i].family = AF_INET;
			c.addrs[i].prefixlen = 24;
			c.addrs[i].a.v4.s_addr = htonl(0xc6120000U |
			    (uint32_t)(k << 8) | (uint32_t)i);
		}
		assert_non_null(vh[k] = carp_vhid_add(n, &c, true, NULL,
		    at(0)));
	}
	/* Each peer has the wrong password: every candidate is tried. */
	for (k = 0; k < 8; k++) {
		p = c;
		p.vhid = (uint8_t)(k + 1);
		memcpy(p.key, "wrong12", 7);
		assert_int_equal(feed(n, &p, 20 * S + k), CARP_DROP_BADAUTH);
	}
	for (k = 0; k < 8; k++) {
		d = carp_vhid_diag(vh[k], 0);
		if (d->kind == CARP_DIAG_NONE)
			continue;
		done++;
		hmacs += d->hmacs;
		assert_int_equal(d->kind, CARP_DIAG_UNKNOWN);
	}
	assert_true(done >= 1);
	assert_true(done < 8);
	assert_true(hmacs <= CARP_DIAG_BUDGET);
	carp_node_info(n, &ni);
	assert_int_equal(ni.diag_skipped, 8 - done);
	/* The next second, the next ones. */
	for (k = 0; k < 8; k++) {
		p = c;
		p.vhid = (uint8_t)(k + 1);
		memcpy(p.key, "wrong12", 7);
		(void)feed(n, &p, 21 * S + k);
	}
	carp_node_info(n, &ni);
	assert_true(ni.diags[CARP_DIAG_UNKNOWN] > done);
	assert_true(ni.diags[CARP_DIAG_UNKNOWN] <= 2 * done);
	carp_node_free(n);
}

/* Whether the exposition t has the line l. */
static void
has_line(const char *t, const char *l)
{
	const char	*p = t;
	size_t		 n = strlen(l);

	while ((p = strstr(p, l)) != NULL) {
		if ((p == t || p[-1] == '\n') && p[n] == '\n')
			return;
		p += n;
	}
	fail_msg("no line \"%s\"", l);
}

/*
 * The read model: the diagnosis goes from carp_vhid_info() through a
 * snapshot to /v1/status and /metrics, with the notify counters.
 */
static void
test_render(void **state)
{
	static const char *const peer[] = { "192.0.2.111", "192.0.2.112",
	    "2001:db8::112", NULL };
	struct carp_vhid_conf	 p;
	struct snap		 s;
	struct snap_vhid	 sv;
	struct prom_buf		 b;
	struct carp_node	*n;
	struct carp_vhid	*vh;
	json_t			*o, *d;
	char			*t;

	(void)state;
	n = node(&vh, ours);
	conf(&p, 1, "test123", peer);
	assert_int_equal(feed(n, &p, 7 * S), CARP_DROP_BADAUTH);
	memset(&s, 0, sizeof(s));
	memset(&sv, 0, sizeof(sv));
	carp_node_info(n, &s.node);
	carp_vhid_info(vh, &sv.info);
	s.vhids = &sv;
	s.nvhids = 1;
	s.notify.runs = 11;
	s.notify.coalesced = 7;
	s.notify.timeouts = 2;
	s.notify.failures = 3;
	s.notify.running = 1;
	s.notify.queued = 4;

	o = status_vhid_json(&sv);
	d = json_object_get(o, "auth_diagnosis");
	assert_true(json_is_object(d));
	assert_string_equal(json_string_value(json_object_get(d, "text")),
	    "the peer's address list differs: it lacks 2001:db8::111");
	assert_string_equal(json_string_value(json_object_get(d, "kind")),
	    "lacks_address");
	assert_string_equal(json_string_value(json_object_get(d, "lacks")),
	    "2001:db8::111");
	assert_string_equal(json_string_value(json_object_get(d, "from")),
	    "192.0.2.51");
	assert_true(json_is_object(json_object_get(d, "time")));
	t = json_dumps(o, 0);
	assert_null(strstr(t, "test123"));
	free(t);
	json_decref(o);

	memset(&b, 0, sizeof(b));
	prom_render(&s, &b);
	t = strndup(b.data, b.len);
	has_line(t, "carp_auth_diagnoses_total{result=\"lacks_address\"} 1");
	has_line(t, "carp_auth_diagnoses_total{result=\"password_or_"
	    "addresses\"} 0");
	has_line(t, "carp_auth_diagnoses_skipped_total 0");
	has_line(t, "carp_notify_runs_total 11");
	has_line(t, "carp_notify_coalesced_total 7");
	has_line(t, "carp_notify_timeouts_total 2");
	has_line(t, "carp_notify_failures_total 3");
	has_line(t, "carp_notify_running 1");
	has_line(t, "carp_notify_queued 4");
	free(t);
	prom_buf_free(&b);
	carp_node_free(n);

	/* No failure yet: null. */
	n = node(&vh, ours);
	carp_vhid_info(vh, &sv.info);
	o = status_vhid_json(&sv);
	assert_true(json_is_null(json_object_get(o, "auth_diagnosis")));
	json_decref(o);
	carp_node_free(n);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_lacks_inet),
		cmocka_unit_test(test_lacks_inet6),
		cmocka_unit_test(test_only_inet),
		cmocka_unit_test(test_only_inet6),
		cmocka_unit_test(test_only_inet_one),
		cmocka_unit_test(test_wrong_password),
		cmocka_unit_test(test_wrong_password_short),
		cmocka_unit_test(test_peer_extra),
		cmocka_unit_test(test_lacks_two),
		cmocka_unit_test(test_good_path),
		cmocka_unit_test(test_rate_vhid),
		cmocka_unit_test(test_rate_family),
		cmocka_unit_test(test_rekey_forgets),
		cmocka_unit_test(test_rate_node),
		cmocka_unit_test(test_render),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
