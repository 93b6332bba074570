/*
 * test_snmp_vrrp.c: the VRRPV3-MIB (RFC 6527) view of agent/snmp_mib.c,
 * answered from the bytes of AgentX requests built by net-snmp's own
 * encoder (snmp_mib_answer_ax()), over a snapshot made here: a CARP
 * VHID has no row, a dual-stack VRRPv3 VHID two, every column's value,
 * the associated addresses in index order, and a walk that stays in the
 * subtree.  Also carpdVhidEntry's VRRPv3 columns (36-39).
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

static const oid vr_objects[] = { VRRPV3_OBJECTS };
static const oid vr_end[] = { VRRPV3_MIB_OID, 2 };
static const oid oper[] = { VRRPV3_OPER_ENTRY };
static const oid stats[] = { VRRPV3_STATS_ENTRY };
static const oid router[] = { VRRPV3_STATS };
static const oid assoc[] = { VRRPV3_ASSOC_ENTRY };
static const oid vhid_entry[] = { CARPD_VHID_ENTRY };

static netsnmp_session	 sess;

static void
addr(struct carp_addr *a, const char *s)
{
	memset(a, 0, sizeof(*a));
	a->family = strchr(s, ':') != NULL ? AF_INET6 : AF_INET;
	a->prefixlen = a->family == AF_INET ? 24 : 64;
	assert_int_equal(inet_pton(a->family, s, &a->a), 1);
}

/*
 * CARP VHID 1 on ifindex 2; VRRPv3 VRID 5 on ifindex 2, dual-stack,
 * BACKUP under 192.0.2.2, demoted from 100 to 70; VRRPv3 VRID 9 on
 * ifindex 3, IPv4 only, MASTER from 192.0.2.1.
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
	snap->nvhids = 3;
	snap->vhids = calloc(3, sizeof(*snap->vhids));
	assert_non_null(snap->vhids);
	snap->node.conf.preempt = true;
	snap->node.vrrp_drops[CARP_DROP_BADSUM] = 11;
	snap->node.vrrp_drops[CARP_DROP_BADVER] = 12;
	snap->node.vrrp_drops[CARP_DROP_BADVHID] = 13;

	r = &snap->vhids[0];
	r->info.conf.vhid = 1;
	r->info.conf.ifindex = 2;
	snprintf(r->info.conf.ifname, sizeof(r->info.conf.ifname), "eth0");
	r->info.conf.advbase = 1;
	r->info.conf.naddrs = 1;
	addr(&r->info.conf.addrs[0], "192.0.2.111");
	r->info.state = CARP_ST_MASTER;

	r = &snap->vhids[1];
	r->info.conf.vhid = 5;
	r->info.conf.ifindex = 2;
	snprintf(r->info.conf.ifname, sizeof(r->info.conf.ifname), "eth0");
	r->info.conf.proto = CARP_PROTO_VRRP3;
	r->info.conf.vrrp_prio = 100;
	r->info.conf.vrrp_interval = 50;
	r->info.conf.naddrs = 4;
	/* Out of order: the index sorts them. */
	addr(&r->info.conf.addrs[0], "2001:db8::fe");
	addr(&r->info.conf.addrs[1], "192.0.2.254");
	addr(&r->info.conf.addrs[2], "fe80::fe");
	addr(&r->info.conf.addrs[3], "192.0.2.253");
	r->info.eff_prio = 70;
	r->info.master_interval = 100;
	r->info.state = CARP_ST_BACKUP;
	addr(&r->info.master, "192.0.2.2");
	addr(&r->info.master_af[0], "192.0.2.2");
	addr(&r->self4, "192.0.2.1");
	addr(&r->self6, "fe80::1");
	r->info.transitions[CARP_ST_MASTER] = 3;
	r->info.master_reason = CARP_RS_PREEMPT;
	r->info.adverts_received = 0x100000001ULL;
	r->info.vrrp_interval_errors = 4;
	r->info.drops[CARP_DROP_BADTTL] = 5;
	r->info.last_drop = CARP_DROP_BADSUM;
	r->info.vrrp_rx_prio0 = 7;
	r->info.vrrp_tx_prio0 = 8;
	r->info.vrrp_type_errors = 9;
	r->info.vrrp_addr_errors = 10;
	r->info.drops[CARP_DROP_BADLEN] = 6;

	r = &snap->vhids[2];
	r->info.conf.vhid = 9;
	r->info.conf.ifindex = 3;
	snprintf(r->info.conf.ifname, sizeof(r->info.conf.ifname), "eth1");
	r->info.conf.proto = CARP_PROTO_VRRP3;
	r->info.conf.vrrp_prio = 255;
	r->info.conf.vrrp_interval = 1;
	r->info.conf.vrrp_noaccept = true;
	r->info.conf.naddrs = 1;
	addr(&r->info.conf.addrs[0], "198.51.100.1");
	r->info.eff_prio = 255;
	r->info.master_interval = 1;
	r->info.state = CARP_ST_MASTER;
	addr(&r->self4, "198.51.100.2");
	r->info.master_reason = CARP_RS_INIT_COMPLETE;
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

/* One Get or GetNext of one range (end NULL: none); the Response. */
static netsnmp_pdu *
ask(int cmd, const oid *start, size_t slen, const oid *end, size_t elen)
{
	static const oid null_oid[] = { 0, 0 };
	netsnmp_pdu	*pdu;
	u_char		*buf;
	uint8_t		 out[4096];
	size_t		 buf_len = 256, out_len = 0;
	ssize_t		 rlen;

	pdu = snmp_pdu_create(cmd);
	assert_non_null(pdu);
	pdu->version = AX_VERSION_1;
	snmp_pdu_add_variable(pdu, start, slen, ASN_PRIV_EXCL_RANGE,
	    end != NULL ? end : null_oid,
	    (end != NULL ? elen : 2) * sizeof(oid));
	buf = malloc(buf_len);
	assert_non_null(buf);
	assert_int_equal(agentx_realloc_build(&sess, pdu, &buf, &buf_len,
	    &out_len), 0);
	snmp_free_pdu(pdu);
	rlen = snmp_mib_answer_ax(buf, out_len, out, sizeof(out));
	free(buf);
	assert_true(rlen >= SNMP_AX_HDR_LEN + 8);
	pdu = snmp_pdu_create(0);
	assert_non_null(pdu);
	assert_int_equal(agentx_parse(&sess, pdu, out, (size_t)rlen),
	    SNMP_ERR_NOERROR);
	assert_int_equal(pdu->command, AX_RESPONSE);
	assert_non_null(pdu->variables);
	return pdu;
}

/* Get base.col.idx... ; the Response (the caller frees it). */
static netsnmp_pdu *
get(const oid *base, size_t blen, oid col, const oid *idx, size_t ilen)
{
	oid	 name[MAX_OID_LEN];

	memcpy(name, base, blen * sizeof(oid));
	name[blen] = col;
	memcpy(name + blen + 1, idx, ilen * sizeof(oid));
	return ask(AX_GET, name, blen + 1 + ilen, NULL, 0);
}

static long
get_int(const oid *base, size_t blen, oid col, const oid *idx, size_t ilen,
    int type)
{
	netsnmp_pdu	*pdu = get(base, blen, col, idx, ilen);
	long		 v;

	assert_int_equal(pdu->variables->type, type);
	v = *pdu->variables->val.integer;
	snmp_free_pdu(pdu);
	return v;
}

static uint64_t
get_c64(const oid *base, size_t blen, oid col, const oid *idx, size_t ilen)
{
	netsnmp_pdu	*pdu = get(base, blen, col, idx, ilen);
	uint64_t	 v;

	assert_int_equal(pdu->variables->type, ASN_COUNTER64);
	v = (uint64_t)pdu->variables->val.counter64->high << 32 |
	    pdu->variables->val.counter64->low;
	snmp_free_pdu(pdu);
	return v;
}

static void
get_str(const oid *base, size_t blen, oid col, const oid *idx, size_t ilen,
    const void *want, size_t wlen)
{
	netsnmp_pdu	*pdu = get(base, blen, col, idx, ilen);

	assert_int_equal(pdu->variables->type, ASN_OCTET_STR);
	assert_int_equal(pdu->variables->val_len, wlen);
	if (wlen > 0)
		assert_memory_equal(pdu->variables->val.string, want, wlen);
	snmp_free_pdu(pdu);
}

#define OL	OID_LENGTH(oper)
#define SL	OID_LENGTH(stats)

/*
 * A walk of vrrpv3Objects as the master agent asks it (the range ends
 * at the subtree's end): every instance once, in order, and the end of
 * the view after the last; nothing of the CARP VHID, nothing of
 * carpdObjects.
 */
static void
test_walk(void **state)
{
	oid			 name[MAX_OID_LEN];
	size_t			 nlen = OID_LENGTH(vr_objects), steps = 0;
	size_t			 oper_rows = 0, assoc_rows = 0;
	netsnmp_pdu		*pdu;
	netsnmp_variable_list	*v;

	(void)state;
	memcpy(name, vr_objects, sizeof(vr_objects));
	for (;;) {
		pdu = ask(AX_GETNEXT, name, nlen, vr_end, OID_LENGTH(vr_end));
		v = pdu->variables;
		if (v->type == SNMP_ENDOFMIBVIEW) {
			snmp_free_pdu(pdu);
			break;
		}
		assert_true(snmp_oid_compare(v->name, v->name_length, name,
		    nlen) > 0);
		assert_true(snmp_oid_compare(v->name, v->name_length, vr_end,
		    OID_LENGTH(vr_end)) < 0);
		if (v->name_length == OL + 4 && snmp_oid_compare(v->name, OL,
		    oper, OL) == 0) {
			/* Never the CARP VHID, never a third family. */
			assert_int_not_equal(v->name[OL + 2], 1);
			assert_true(v->name[OL + 3] == 1 ||
			    v->name[OL + 3] == 2);
			if (v->name[OL] == VRRPV3_OPER_STATUS)
				oper_rows++;
		}
		if (snmp_oid_compare(v->name, OID_LENGTH(assoc), assoc,
		    OID_LENGTH(assoc)) == 0) {
			assert_int_equal(*v->val.integer, 1);
			assoc_rows++;
		}
		memcpy(name, v->name, v->name_length * sizeof(oid));
		nlen = v->name_length;
		steps++;
		snmp_free_pdu(pdu);
	}
	/* Rows: VRID 5 IPv4 and IPv6, VRID 9 IPv4. */
	assert_int_equal(oper_rows, 3);
	assert_int_equal(assoc_rows, 5);
	assert_int_equal(steps, 3 * (VRRPV3_OPER_MAX - VRRPV3_OPER_MASTER) +
	    5 + (VRRPV3_RT_MAX - 1) + 3 * (VRRPV3_ST_MAX - 1));
}

static void
test_operations(void **state)
{
	static const oid r4[] = { 2, 5, 1 }, r6[] = { 2, 5, 2 };
	static const oid m4[] = { 3, 9, 1 }, m6[] = { 3, 9, 2 };
	static const oid c1[] = { 2, 1, 1 };
	static const uint8_t vmac4[] = { 0, 0, 0x5e, 0, 1, 5 };
	static const uint8_t vmac6[] = { 0, 0, 0x5e, 0, 2, 5 };
	struct in6_addr		 ll;
	netsnmp_pdu		*pdu;

	(void)state;
	/* BACKUP: the master heard, of its family; none for IPv6. */
	get_str(oper, OL, VRRPV3_OPER_MASTER, r4, 3, "\xc0\x00\x02\x02", 4);
	get_str(oper, OL, VRRPV3_OPER_MASTER, r6, 3, "", 0);
	get_str(oper, OL, VRRPV3_OPER_PRIMARY, r4, 3, "\xc0\x00\x02\x01", 4);
	inet_pton(AF_INET6, "fe80::1", &ll);
	get_str(oper, OL, VRRPV3_OPER_PRIMARY, r6, 3, &ll, 16);
	get_str(oper, OL, VRRPV3_OPER_VMAC, r4, 3, vmac4, 6);
	get_str(oper, OL, VRRPV3_OPER_VMAC, r6, 3, vmac6, 6);
	assert_int_equal(get_int(oper, OL, VRRPV3_OPER_STATUS, r4, 3,
	    ASN_INTEGER), 2);
	assert_int_equal(get_int(oper, OL, VRRPV3_OPER_PRIORITY, r6, 3,
	    ASN_UNSIGNED), 70);
	assert_int_equal(get_int(oper, OL, VRRPV3_OPER_ADDR_COUNT, r4, 3,
	    ASN_INTEGER), 2);
	assert_int_equal(get_int(oper, OL, VRRPV3_OPER_ADDR_COUNT, r6, 3,
	    ASN_INTEGER), 2);
	assert_int_equal(get_int(oper, OL, VRRPV3_OPER_ADV_INTERVAL, r4, 3,
	    ASN_INTEGER), 50);
	assert_int_equal(get_int(oper, OL, VRRPV3_OPER_PREEMPT, r4, 3,
	    ASN_INTEGER), 1);
	assert_int_equal(get_int(oper, OL, VRRPV3_OPER_ACCEPT, r4, 3,
	    ASN_INTEGER), 1);
	assert_int_equal(get_int(oper, OL, VRRPV3_OPER_ROW_STATUS, r6, 3,
	    ASN_INTEGER), 1);
	/* Never left initialize: 0. */
	assert_int_equal(get_int(oper, OL, VRRPV3_OPER_UPTIME, r4, 3,
	    ASN_TIMETICKS), 0);
	/* MASTER: its own source; the owner; noaccept. */
	get_str(oper, OL, VRRPV3_OPER_MASTER, m4, 3, "\xc6\x33\x64\x02", 4);
	assert_int_equal(get_int(oper, OL, VRRPV3_OPER_STATUS, m4, 3,
	    ASN_INTEGER), 3);
	assert_int_equal(get_int(oper, OL, VRRPV3_OPER_PRIORITY, m4, 3,
	    ASN_UNSIGNED), 255);
	assert_int_equal(get_int(oper, OL, VRRPV3_OPER_ACCEPT, m4, 3,
	    ASN_INTEGER), 2);
	/* No such rows: VRID 9 has no IPv6, VHID 1 is CARP. */
	pdu = get(oper, OL, VRRPV3_OPER_STATUS, m6, 3);
	assert_int_equal(pdu->variables->type, SNMP_NOSUCHINSTANCE);
	snmp_free_pdu(pdu);
	pdu = get(oper, OL, VRRPV3_OPER_STATUS, c1, 3);
	assert_int_equal(pdu->variables->type, SNMP_NOSUCHINSTANCE);
	snmp_free_pdu(pdu);
}

/* The associated addresses: by family, then octets; active(1). */
static void
test_assoc(void **state)
{
	static const oid first[] = { VRRPV3_ASSOC_ENTRY, 2, 2, 5, 1, 4,
	    192, 0, 2, 253 };
	oid			 name[MAX_OID_LEN];
	size_t			 nlen = OID_LENGTH(assoc);
	netsnmp_pdu		*pdu;
	netsnmp_variable_list	*v;
	int			 i;
	const char		*want[] = { "192.0.2.253", "192.0.2.254",
				    "2001:db8::fe", "fe80::fe",
				    "198.51.100.1" };
	struct carp_addr	 a;
	size_t			 alen, k;

	(void)state;
	memcpy(name, assoc, sizeof(assoc));
	for (i = 0; i < 5; i++) {
		pdu = ask(AX_GETNEXT, name, nlen, vr_end, OID_LENGTH(vr_end));
		v = pdu->variables;
		addr(&a, want[i]);
		alen = a.family == AF_INET ? 4 : 16;
		assert_int_equal(v->name_length, OID_LENGTH(assoc) + 5 + alen);
		if (i == 0)
			assert_int_equal(snmp_oid_compare(v->name,
			    v->name_length, first, OID_LENGTH(first)), 0);
		assert_int_equal(v->name[OID_LENGTH(assoc) + 3],
		    a.family == AF_INET ? 1 : 2);
		assert_int_equal(v->name[OID_LENGTH(assoc) + 4], alen);
		for (k = 0; k < alen; k++)
			assert_int_equal(v->name[OID_LENGTH(assoc) + 5 + k],
			    ((uint8_t *)&a.a)[k]);
		memcpy(name, v->name, v->name_length * sizeof(oid));
		nlen = v->name_length;
		snmp_free_pdu(pdu);
	}
}

static void
test_statistics(void **state)
{
	static const oid r4[] = { 2, 5, 1 }, r6[] = { 2, 5, 2 };
	static const oid m4[] = { 3, 9, 1 }, zero[] = { 0 };

	(void)state;
	assert_int_equal(get_int(stats, SL, VRRPV3_ST_MASTER_TRANSITIONS, r4,
	    3, ASN_COUNTER), 3);
	assert_int_equal(get_int(stats, SL, VRRPV3_ST_NEW_MASTER_REASON, r4,
	    3, ASN_INTEGER), 2);
	assert_int_equal(get_int(stats, SL, VRRPV3_ST_NEW_MASTER_REASON, m4,
	    3, ASN_INTEGER), 1);
	assert_true(get_c64(stats, SL, VRRPV3_ST_RCVD_ADVERTS, r6, 3) ==
	    0x100000001ULL);
	assert_int_equal(get_c64(stats, SL, VRRPV3_ST_INTERVAL_ERRORS, r4, 3),
	    4);
	assert_int_equal(get_c64(stats, SL, VRRPV3_ST_TTL_ERRORS, r4, 3), 5);
	assert_int_equal(get_int(stats, SL, VRRPV3_ST_PROTO_ERR_REASON, r4,
	    3, ASN_INTEGER), 3);
	assert_int_equal(get_int(stats, SL, VRRPV3_ST_PROTO_ERR_REASON, m4,
	    3, ASN_INTEGER), 0);
	assert_int_equal(get_c64(stats, SL, VRRPV3_ST_RCVD_PRIO0, r4, 3), 7);
	assert_int_equal(get_c64(stats, SL, VRRPV3_ST_SENT_PRIO0, r4, 3), 8);
	assert_int_equal(get_c64(stats, SL, VRRPV3_ST_INVALID_TYPE, r4, 3), 9);
	assert_int_equal(get_c64(stats, SL, VRRPV3_ST_ADDR_LIST_ERRORS, r4, 3),
	    10);
	assert_int_equal(get_c64(stats, SL, VRRPV3_ST_LENGTH_ERRORS, r4, 3),
	    6);
	assert_int_equal(get_int(stats, SL, VRRPV3_ST_REFRESH_RATE, r4, 3,
	    ASN_UNSIGNED), 1000);
	assert_int_equal(get_int(stats, SL, VRRPV3_ST_DISC_TIME, r4, 3,
	    ASN_TIMETICKS), 0);
	/* The router's. */
	assert_int_equal(get_c64(router, OID_LENGTH(router),
	    VRRPV3_RT_CHECKSUM_ERRORS, zero, 1), 11);
	assert_int_equal(get_c64(router, OID_LENGTH(router),
	    VRRPV3_RT_VERSION_ERRORS, zero, 1), 12);
	assert_int_equal(get_c64(router, OID_LENGTH(router),
	    VRRPV3_RT_VRID_ERRORS, zero, 1), 13);
}

/* CARPD-MIB's carpdVhidEntry 36-39. */
static void
test_carpd_columns(void **state)
{
	static const oid c1[] = { 2, 1 }, v5[] = { 2, 5 }, v9[] = { 3, 9 };
	size_t	 vl = OID_LENGTH(vhid_entry);

	(void)state;
	assert_int_equal(get_int(vhid_entry, vl, CARPD_VHID_PROTOCOL, c1, 2,
	    ASN_INTEGER), 1);
	assert_int_equal(get_int(vhid_entry, vl, CARPD_VHID_PROTOCOL, v5, 2,
	    ASN_INTEGER), 2);
	assert_int_equal(get_int(vhid_entry, vl, CARPD_VHID_VRRP_PRIO, c1, 2,
	    ASN_UNSIGNED), 0);
	assert_int_equal(get_int(vhid_entry, vl, CARPD_VHID_VRRP_PRIO, v5, 2,
	    ASN_UNSIGNED), 100);
	assert_int_equal(get_int(vhid_entry, vl, CARPD_VHID_VRRP_EFF_PRIO, v5,
	    2, ASN_UNSIGNED), 70);
	assert_int_equal(get_int(vhid_entry, vl, CARPD_VHID_VRRP_MASTER_IVAL,
	    v5, 2, ASN_UNSIGNED), 100);
	assert_int_equal(get_int(vhid_entry, vl, CARPD_VHID_VRRP_MASTER_IVAL,
	    v9, 2, ASN_UNSIGNED), 1);
	assert_int_equal(get_int(vhid_entry, vl, CARPD_VHID_VRRP_EFF_PRIO, c1,
	    2, ASN_UNSIGNED), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_walk),
		cmocka_unit_test(test_operations),
		cmocka_unit_test(test_assoc),
		cmocka_unit_test(test_statistics),
		cmocka_unit_test(test_carpd_columns),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
