/*
 * test_snmp_ax.c: AgentX Get and GetNext answered straight from the
 * bytes (agent/snmp_mib.c, snmp_mib_answer_ax()).  Requests are built by
 * net-snmp's own AgentX encoder and the answers read back by its parser,
 * in both byte orders, over a snapshot made here.
 */
#include <sys/types.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <arpa/inet.h>

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <net-snmp/net-snmp-config.h>
#include <net-snmp/net-snmp-includes.h>
#include <net-snmp/agent/net-snmp-agent-includes.h>

#include "agent/snmp_impl.h"
#include "agent/snmp_oids.h"

#include "tests/unit/snmp_fake.h"

#define LONG_REASON	"a reason longer than a variable's own forty bytes"
#define ADV_SENT	0x123456789ULL
#define HELD_BY		"uid=0 pid=42 sudo_user=alice"
#define MAINT_BY	"client=192.0.2.9 cert=/CN=ops"

static const oid objects[] = { CARPD_OBJECTS };
static const oid vhid_entry[] = { CARPD_VHID_ENTRY };
static const oid node[] = { CARPD_NODE };

static netsnmp_session	 sess;

/*
 * Two VHIDs on ifindex 2: 1 (three addresses, MASTER), 7 (an IPv6
 * link-local address, BACKUP).
 */
static int
setup(void **state)
{
	struct snap_vhid	*r;

	(void)state;
	memset(&sess, 0, sizeof(sess));
	sess.version = AX_VERSION_1;
	snap = calloc(1, sizeof(*snap));
	assert_non_null(snap);
	snap->gen = 1;
	snap->nvhids = 2;
	snap->vhids = calloc(2, sizeof(*snap->vhids));
	assert_non_null(snap->vhids);
	snap->node.stats.ipackets = 42;
	snap->node.maintenance = true;
	snap->maint_since = 1700000070;
	snprintf(snap->maint_by, sizeof(snap->maint_by), "%s", MAINT_BY);

	r = &snap->vhids[0];
	r->info.conf.vhid = 1;
	r->info.conf.ifindex = 2;
	snprintf(r->info.conf.ifname, sizeof(r->info.conf.ifname), "eth0");
	r->info.conf.advbase = 1;
	r->info.conf.advskew = 100;
	/* Out of order: the index sorts a row's addresses. */
	r->info.conf.naddrs = 3;
	r->info.conf.addrs[0].family = AF_INET6;
	r->info.conf.addrs[0].prefixlen = 64;
	inet_pton(AF_INET6, "2001:db8::1", &r->info.conf.addrs[0].a.v6);
	r->info.conf.addrs[1].family = AF_INET;
	r->info.conf.addrs[1].prefixlen = 24;
	inet_pton(AF_INET, "198.18.1.9", &r->info.conf.addrs[1].a.v4);
	r->info.conf.addrs[2].family = AF_INET;
	r->info.conf.addrs[2].prefixlen = 16;
	inet_pton(AF_INET, "198.18.1.1", &r->info.conf.addrs[2].a.v4);
	r->info.state = CARP_ST_MASTER;
	r->info.admin_demoted = true;
	snprintf(r->info.admin_reason, sizeof(r->info.admin_reason), "%s",
	    LONG_REASON);
	r->admin_since = 1700000040;
	snprintf(r->admin_by, sizeof(r->admin_by), "%s", HELD_BY);
	r->info.adverts_sent = ADV_SENT;
	r->self4.family = AF_INET;
	inet_pton(AF_INET, "192.0.2.61", &r->self4.a.v4);

	r = &snap->vhids[1];
	r->info.conf.vhid = 7;
	r->info.conf.ifindex = 2;
	snprintf(r->info.conf.ifname, sizeof(r->info.conf.ifname), "eth0");
	r->info.conf.advbase = 1;
	r->info.conf.naddrs = 1;
	r->info.conf.addrs[0].family = AF_INET6;
	r->info.conf.addrs[0].prefixlen = 64;
	inet_pton(AF_INET6, "fe80::1", &r->info.conf.addrs[0].a.v6);
	r->info.state = CARP_ST_BACKUP;
	r->info.master.family = AF_INET6;
	inet_pton(AF_INET6, "fe80::2", &r->info.master.a.v6);
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	snmp_mib_free();
	free(snap->vhids);
	free(snap);
	snap = NULL;
	return 0;
}

/* A request built by net-snmp: one SearchRange per (start, end) pair. */
struct range {
	const oid	*start;
	size_t		 slen;
	int		 inc;
	const oid	*end;		/* NULL: the null OID */
	size_t		 elen;
};

static size_t
build(uint8_t *out, size_t outsz, int cmd, int nbo, const struct range *r,
    size_t n)
{
	static const oid null_oid[] = { 0, 0 };
	netsnmp_pdu	*pdu;
	u_char		*buf;
	size_t		 buf_len = 256, out_len = 0, i;

	pdu = snmp_pdu_create(cmd);
	assert_non_null(pdu);
	pdu->version = AX_VERSION_1;
	pdu->flags = nbo ? AX_NBO : 0;
	pdu->sessid = 0x01020304;
	pdu->transid = 0x0a0b0c0d;
	pdu->reqid = 0x11223344;
	for (i = 0; i < n; i++)
		snmp_pdu_add_variable(pdu, r[i].start, r[i].slen,
		    r[i].inc ? ASN_PRIV_INCL_RANGE : ASN_PRIV_EXCL_RANGE,
		    r[i].end != NULL ? r[i].end : null_oid,
		    (r[i].end != NULL ? r[i].elen : 2) * sizeof(oid));
	buf = malloc(buf_len);
	assert_non_null(buf);
	assert_int_equal(agentx_realloc_build(&sess, pdu, &buf, &buf_len,
	    &out_len), 0);
	assert_true(out_len <= outsz);
	memcpy(out, buf, out_len);
	free(buf);
	snmp_free_pdu(pdu);
	return out_len;
}

/* Answer req; the Response, parsed by net-snmp (the caller frees it). */
static netsnmp_pdu *
answer(const uint8_t *req, size_t len, int nbo)
{
	uint8_t		 out[4096];
	netsnmp_pdu	*pdu;
	ssize_t		 rlen;

	rlen = snmp_mib_answer_ax(req, len, out, sizeof(out));
	assert_true(rlen >= SNMP_AX_HDR_LEN + 8);
	assert_int_equal(snmp_mib_ax_len(out), (size_t)rlen);
	assert_int_equal(out[0], 1);
	assert_int_equal(out[1], AX_RESPONSE);
	assert_int_equal(out[2], nbo ? AX_NBO : 0);
	/* sessionID, transactionID, packetID as the request's. */
	assert_memory_equal(out + 4, req + 4, 12);
	pdu = snmp_pdu_create(0);
	assert_non_null(pdu);
	assert_int_equal(agentx_parse(&sess, pdu, out, (size_t)rlen),
	    SNMP_ERR_NOERROR);
	assert_int_equal(pdu->command, AX_RESPONSE);
	assert_int_equal(pdu->sessid, 0x01020304);
	assert_int_equal(pdu->transid, 0x0a0b0c0d);
	assert_int_equal(pdu->reqid, 0x11223344);
	assert_int_equal(pdu->errstat, 0);
	assert_int_equal(pdu->errindex, 0);
	return pdu;
}

/* One GetNext (or Get) of one range: the Response's varbind. */
static netsnmp_pdu *
ask(int cmd, int nbo, const oid *start, size_t slen, int inc,
    const oid *end, size_t elen)
{
	struct range	 r = { start, slen, inc, end, elen };
	uint8_t		 req[1024];
	size_t		 len;
	netsnmp_pdu	*pdu;

	len = build(req, sizeof(req), cmd, nbo, &r, 1);
	pdu = answer(req, len, nbo);
	assert_non_null(pdu->variables);
	assert_null(pdu->variables->next_variable);
	return pdu;
}

static void
assert_vb_equal(const netsnmp_variable_list *a,
    const netsnmp_variable_list *b)
{
	assert_int_equal(a->type, b->type);
	assert_int_equal(snmp_oid_compare(a->name, a->name_length, b->name,
	    b->name_length), 0);
	assert_int_equal(a->val_len, b->val_len);
	if (a->val_len > 0)
		assert_memory_equal(a->val.string, b->val.string, a->val_len);
}

/*
 * A walk of carpdObjects, one GetNext a step as the master agent asks:
 * every instance once, in order, the same in both byte orders, and the
 * end of the MIB view after the last.
 */
static void
test_walk(void **state)
{
	oid			 name[MAX_OID_LEN];
	size_t			 nlen = OID_LENGTH(objects), steps = 0;
	netsnmp_pdu		*le, *be;
	netsnmp_variable_list	*v;

	(void)state;
	memcpy(name, objects, sizeof(objects));
	for (;;) {
		le = ask(AX_GETNEXT, 0, name, nlen, 0, NULL, 0);
		be = ask(AX_GETNEXT, 1, name, nlen, 0, NULL, 0);
		assert_vb_equal(le->variables, be->variables);
		v = le->variables;
		if (v->type == SNMP_ENDOFMIBVIEW) {
			/* Named by the range's start. */
			assert_int_equal(snmp_oid_compare(v->name,
			    v->name_length, name, nlen), 0);
			snmp_free_pdu(le);
			snmp_free_pdu(be);
			break;
		}
		assert_true(snmp_oid_compare(v->name, v->name_length, name,
		    nlen) > 0);
		assert_true(v->name_length <= MAX_OID_LEN);
		memcpy(name, v->name, v->name_length * sizeof(oid));
		nlen = v->name_length;
		steps++;
		snmp_free_pdu(le);
		snmp_free_pdu(be);
	}
	/* Node scalars, stats, 2 rows of the VHID table, 4 addresses. */
	assert_int_equal(steps, (CARPD_NODE_MAX - 1) + (CARPD_ST_MAX - 1) +
	    2 * (CARPD_VHID_MAX - CARPD_VHID_IFNAME - CARPD_VHID_UNALLOCATED) +
	    4);
}

/*
 * The instance index grows with the VHIDs and gives the memory back when
 * a reload removes most of them; the walk still answers what is left.
 */
static void
test_index_shrinks(void **state)
{
	struct snap_vhid	*two = snap->vhids, *many;
	oid			 name[MAX_OID_LEN];
	netsnmp_pdu		*pdu;
	size_t			 i, big;

	(void)state;
	many = calloc(255, sizeof(*many));
	assert_non_null(many);
	for (i = 0; i < 255; i++) {
		many[i] = two[1];
		many[i].info.conf.vhid = (uint8_t)(i + 1);
	}
	snap->vhids = many;
	snap->nvhids = 255;
	snap->gen++;
	memcpy(name, objects, sizeof(objects));
	pdu = ask(AX_GETNEXT, 0, name, OID_LENGTH(objects), 0, NULL, 0);
	snmp_free_pdu(pdu);
	big = snmp_mib_index_cap();
	assert_true(big >= 255 * (CARPD_VHID_MAX - CARPD_VHID_IFNAME -
	    CARPD_VHID_UNALLOCATED));
	snap->vhids = two;
	snap->nvhids = 2;
	snap->gen++;
	pdu = ask(AX_GETNEXT, 0, name, OID_LENGTH(objects), 0, NULL, 0);
	assert_int_not_equal(pdu->variables->type, SNMP_ENDOFMIBVIEW);
	snmp_free_pdu(pdu);
	assert_true(snmp_mib_index_cap() * 4 <= big);
	free(many);
}

/* Who switched maintenance on, and when: 2023-11-14 22:14:30 UTC. */
static void
test_node_values(void)
{
	oid			 name[MAX_OID_LEN];
	size_t			 nl = OID_LENGTH(node);
	netsnmp_pdu		*pdu;
	netsnmp_variable_list	*v;

	memcpy(name, node, sizeof(node));
	name[nl + 1] = 0;
	name[nl] = CARPD_NODE_MAINT_SET_BY;
	pdu = ask(AX_GET, 0, name, nl + 2, 0, NULL, 0);
	v = pdu->variables;
	assert_int_equal(v->type, ASN_OCTET_STR);
	assert_int_equal(v->val_len, strlen(MAINT_BY));
	assert_memory_equal(v->val.string, MAINT_BY, strlen(MAINT_BY));
	snmp_free_pdu(pdu);
	name[nl] = CARPD_NODE_MAINT_SET_TIME;
	pdu = ask(AX_GET, 1, name, nl + 2, 0, NULL, 0);
	v = pdu->variables;
	assert_int_equal(v->val_len, 11);
	assert_memory_equal(v->val.string,
	    "\x07\xe7\x0b\x0e\x16\x0e\x1e\x00+\x00\x00", 11);
	snmp_free_pdu(pdu);
}

/* Values of each type, in both byte orders. */
static void
test_values(void **state)
{
	oid			 name[MAX_OID_LEN];
	size_t			 vl = OID_LENGTH(vhid_entry);
	netsnmp_pdu		*pdu;
	netsnmp_variable_list	*v;
	uint64_t		 c64;
	int			 nbo;

	(void)state;
	memcpy(name, vhid_entry, sizeof(vhid_entry));
	name[vl + 1] = 2;
	name[vl + 2] = 1;
	for (nbo = 0; nbo <= 1; nbo++) {
		name[vl] = CARPD_VHID_IFNAME;
		pdu = ask(AX_GET, nbo, name, vl + 3, 0, NULL, 0);
		v = pdu->variables;
		assert_int_equal(v->type, ASN_OCTET_STR);
		assert_int_equal(v->val_len, 4);
		assert_memory_equal(v->val.string, "eth0", 4);
		snmp_free_pdu(pdu);

		name[vl] = CARPD_VHID_ADVSKEW;
		pdu = ask(AX_GET, nbo, name, vl + 3, 0, NULL, 0);
		v = pdu->variables;
		assert_int_equal(v->type, ASN_INTEGER);
		assert_int_equal(*v->val.integer, 100);
		snmp_free_pdu(pdu);

		name[vl] = CARPD_VHID_ADMIN_REASON;
		pdu = ask(AX_GET, nbo, name, vl + 3, 0, NULL, 0);
		v = pdu->variables;
		assert_int_equal(v->type, ASN_OCTET_STR);
		assert_int_equal(v->val_len, strlen(LONG_REASON));
		assert_memory_equal(v->val.string, LONG_REASON,
		    strlen(LONG_REASON));
		snmp_free_pdu(pdu);

		name[vl] = CARPD_VHID_ADV_SENT;
		pdu = ask(AX_GET, nbo, name, vl + 3, 0, NULL, 0);
		v = pdu->variables;
		assert_int_equal(v->type, ASN_COUNTER64);
		c64 = (uint64_t)v->val.counter64->high << 32 |
		    v->val.counter64->low;
		assert_true(c64 == ADV_SENT);
		snmp_free_pdu(pdu);

		name[vl] = CARPD_VHID_MASTER;
		pdu = ask(AX_GET, nbo, name, vl + 3, 0, NULL, 0);
		v = pdu->variables;
		assert_int_equal(v->type, ASN_OCTET_STR);
		assert_int_equal(v->val_len, 4);
		assert_memory_equal(v->val.string, "\xc0\x00\x02\x3d", 4);
		snmp_free_pdu(pdu);

		/* Who held it and when: 2023-11-14 22:14:00.0 UTC. */
		name[vl] = CARPD_VHID_ADMIN_SET_BY;
		pdu = ask(AX_GET, nbo, name, vl + 3, 0, NULL, 0);
		v = pdu->variables;
		assert_int_equal(v->type, ASN_OCTET_STR);
		assert_int_equal(v->val_len, strlen(HELD_BY));
		assert_memory_equal(v->val.string, HELD_BY, strlen(HELD_BY));
		snmp_free_pdu(pdu);

		name[vl] = CARPD_VHID_ADMIN_SET_TIME;
		pdu = ask(AX_GET, nbo, name, vl + 3, 0, NULL, 0);
		v = pdu->variables;
		assert_int_equal(v->type, ASN_OCTET_STR);
		assert_int_equal(v->val_len, 11);
		assert_memory_equal(v->val.string,
		    "\x07\xe7\x0b\x0e\x16\x0e\x00\x00+\x00\x00", 11);
		snmp_free_pdu(pdu);

		/* VHID 7 is not held: empty, zero. */
		name[vl + 2] = 7;
		pdu = ask(AX_GET, nbo, name, vl + 3, 0, NULL, 0);
		v = pdu->variables;
		assert_int_equal(v->val_len, 8);
		assert_memory_equal(v->val.string, "\0\0\0\0\0\0\0\0", 8);
		snmp_free_pdu(pdu);
		name[vl] = CARPD_VHID_ADMIN_SET_BY;
		pdu = ask(AX_GET, nbo, name, vl + 3, 0, NULL, 0);
		assert_int_equal(pdu->variables->val_len, 0);
		snmp_free_pdu(pdu);
		name[vl + 2] = 1;

		/* Not an instance: noSuchInstance, named as asked. */
		name[vl] = CARPD_VHID_MAX + 5;
		pdu = ask(AX_GET, nbo, name, vl + 3, 0, NULL, 0);
		v = pdu->variables;
		assert_int_equal(v->type, SNMP_NOSUCHINSTANCE);
		assert_int_equal(snmp_oid_compare(v->name, v->name_length,
		    name, vl + 3), 0);
		snmp_free_pdu(pdu);
	}
	test_node_values();
}

/* SearchRanges: an included start, an end, several in one PDU. */
static void
test_ranges(void **state)
{
	oid			 a[MAX_OID_LEN], b[MAX_OID_LEN];
	size_t			 vl = OID_LENGTH(vhid_entry);
	struct range		 r[3];
	uint8_t			 req[1024];
	size_t			 len;
	netsnmp_pdu		*pdu;
	netsnmp_variable_list	*v;

	(void)state;
	memcpy(a, vhid_entry, sizeof(vhid_entry));
	a[vl] = CARPD_VHID_STATE;
	a[vl + 1] = 2;
	a[vl + 2] = 7;
	/* Included: the start itself; excluded: the next one. */
	pdu = ask(AX_GETNEXT, 0, a, vl + 3, 1, NULL, 0);
	v = pdu->variables;
	assert_int_equal(snmp_oid_compare(v->name, v->name_length, a, vl + 3),
	    0);
	assert_int_equal(*v->val.integer, CARP_ST_BACKUP + 1);
	snmp_free_pdu(pdu);
	pdu = ask(AX_GETNEXT, 0, a, vl + 3, 0, NULL, 0);
	v = pdu->variables;
	assert_int_equal(v->name[vl], CARPD_VHID_PREV_STATE);
	assert_int_equal(v->name[vl + 1], 2);
	assert_int_equal(v->name[vl + 2], 1);
	snmp_free_pdu(pdu);
	/* Nothing before the range's end: endOfMibView. */
	memcpy(b, a, sizeof(a));
	b[vl] = CARPD_VHID_PREV_STATE;
	pdu = ask(AX_GETNEXT, 1, a, vl + 3, 0, b, vl + 1);
	v = pdu->variables;
	assert_int_equal(v->type, SNMP_ENDOFMIBVIEW);
	assert_int_equal(snmp_oid_compare(v->name, v->name_length, a, vl + 3),
	    0);
	snmp_free_pdu(pdu);

	/* Three ranges, three varbinds in their order. */
	r[0] = (struct range){ a, vl + 3, 1, NULL, 0 };
	r[1] = (struct range){ objects, OID_LENGTH(objects), 0, NULL, 0 };
	r[2] = (struct range){ a, vl + 3, 0, b, vl + 1 };
	len = build(req, sizeof(req), AX_GETNEXT, 1, r, 3);
	pdu = answer(req, len, 1);
	v = pdu->variables;
	assert_int_equal(v->type, ASN_INTEGER);
	v = v->next_variable;
	assert_int_equal(v->type, ASN_OCTET_STR);	/* carpdVersion.0 */
	v = v->next_variable;
	assert_int_equal(v->type, SNMP_ENDOFMIBVIEW);
	assert_null(v->next_variable);
	snmp_free_pdu(pdu);
}

/* What is left to net-snmp: -1, and nothing written past out. */
static void
test_refused(void **state)
{
	static const oid other[] = { 1, 3, 6, 1, 2, 1, 1, 1, 0 };
	struct range	 r = { objects, OID_LENGTH(objects), 0, NULL, 0 };
	uint8_t		 req[1024], bad[1024], out[4096];
	size_t		 len;

	(void)state;
	len = build(req, sizeof(req), AX_GETNEXT, 0, &r, 1);
	assert_true(snmp_mib_answer_ax(req, len, out, sizeof(out)) > 0);
	/* Short, long, not all here. */
	assert_int_equal(snmp_mib_answer_ax(req, len - 1, out, sizeof(out)),
	    -1);
	assert_int_equal(snmp_mib_answer_ax(req, SNMP_AX_HDR_LEN - 1, out,
	    sizeof(out)), -1);
	memcpy(bad, req, len);
	bad[len] = 0;
	assert_int_equal(snmp_mib_answer_ax(bad, len + 1, out, sizeof(out)),
	    -1);
	/* Another version, another PDU type, a context. */
	memcpy(bad, req, len);
	bad[0] = 2;
	assert_int_equal(snmp_mib_answer_ax(bad, len, out, sizeof(out)), -1);
	memcpy(bad, req, len);
	bad[1] = AX_TESTSET;
	assert_int_equal(snmp_mib_answer_ax(bad, len, out, sizeof(out)), -1);
	memcpy(bad, req, len);
	bad[2] |= AX_CONTEXT;
	assert_int_equal(snmp_mib_answer_ax(bad, len, out, sizeof(out)), -1);
	/* An OID claiming more subidentifiers than there are. */
	memcpy(bad, req, len);
	bad[SNMP_AX_HDR_LEN] = 200;
	assert_int_equal(snmp_mib_answer_ax(bad, len, out, sizeof(out)), -1);
	/* No SearchRange at all. */
	len = build(bad, sizeof(bad), AX_GETNEXT, 0, &r, 0);
	assert_int_equal(len, SNMP_AX_HDR_LEN);
	assert_int_equal(snmp_mib_answer_ax(bad, len, out, sizeof(out)), -1);
	/* A Response that would not fit. */
	assert_int_equal(snmp_mib_answer_ax(req, len, out, 40), -1);
	/* A Get outside carpdObjects: net-snmp's. */
	r = (struct range){ other, OID_LENGTH(other), 0, NULL, 0 };
	len = build(req, sizeof(req), AX_GET, 0, &r, 1);
	assert_int_equal(snmp_mib_answer_ax(req, len, out, sizeof(out)), -1);
}

/* A PDU's length from its header, in either byte order. */
static void
test_len(void **state)
{
	uint8_t	 h[SNMP_AX_HDR_LEN];

	(void)state;
	memset(h, 0, sizeof(h));
	h[16] = 0x34;
	h[17] = 0x12;
	assert_int_equal(snmp_mib_ax_len(h), SNMP_AX_HDR_LEN + 0x1234);
	h[2] = AX_NBO;
	h[16] = 0;
	h[17] = 0;
	h[18] = 0x12;
	h[19] = 0x34;
	assert_int_equal(snmp_mib_ax_len(h), SNMP_AX_HDR_LEN + 0x1234);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_walk),
		cmocka_unit_test(test_values),
		cmocka_unit_test(test_ranges),
		cmocka_unit_test(test_refused),
		cmocka_unit_test(test_len),
		cmocka_unit_test(test_index_shrinks),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
