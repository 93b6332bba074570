/*
 * snmp_mib.c: CARPD-MIB's objects and notifications, on the SNMP thread.
 *
 * One handler serves all of carpdObjects from the newest snapshot.  For
 * each snapshot it builds, on the first request that needs it, a sorted
 * index of every instance; GET is a binary search for the OID, GETNEXT
 * one for the first OID after it.  An entry names its instance by
 * subtree, object, row and address (8 bytes, not the OID's 40 words: with
 * 255 VHIDs the index is 61 KB instead of 2.5 MB), and its OID is written
 * out from the snapshot when a search compares it (mib_name()).  A walk
 * asks for the instance after the one it was given last: that one is
 * tried before the search (mib.hint).  Values are read from the snapshot
 * when a request asks for them.
 *
 * net-snmp's master agent asks a subagent one AgentX GetNext per row of a
 * bulk walk.  Handing each to net-snmp's own agent (its callback session,
 * two pipe wake-ups and a full request cycle) costs more than the answer,
 * so Get and GetNext PDUs in the default context are answered here, from
 * the same index: from the bytes read off the AgentX socket by
 * snmp_mib_answer_ax(), or from net-snmp's PDU by snmp_mib_answer();
 * everything else (SETs, other contexts, GetBulk, our own requests'
 * responses) takes net-snmp's path.
 *
 * The same index and handler serve the standard VRRPV3-MIB (RFC 6527)
 * for the VRRPv3 VHIDs, registered as a second subtree (vrrpv3Objects):
 * its entries sort before carpdObjects' (mib-2 before enterprises), and
 * a GetNext never leaves the subtree it was asked in.
 */
#include <sys/types.h>
#include <sys/socket.h>
#include <netinet/in.h>

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <net-snmp/net-snmp-config.h>
#include <net-snmp/net-snmp-includes.h>
#include <net-snmp/agent/net-snmp-agent-includes.h>
#include <net-snmp/agent/agent_sysORTable.h>

#include "agent/engine.h"
#include "agent/log.h"
#include "agent/snmp_impl.h"
#include "agent/snmp_oids.h"
#include "agent/xmalloc.h"

#define MIB_OID_MAX	80	/* longest instance: a ledger row named with
				   63 bytes (78); a carpdTrackTable row: 46;
				   an IPv6z address row: 38 */

#define MIB_ENTS_MIN	256	/* the index's first allocation */

/* AgentX (RFC 2741): PDU types and header flags. */
#define MIB_AX_GET		5
#define MIB_AX_GETNEXT		6
#define MIB_AX_RESPONSE		18
#define MIB_AX_NON_DEFAULT_CONTEXT 0x08
#define MIB_AX_NETWORK_BYTE_ORDER 0x10
#define MIB_AX_VERSION		1
#define MIB_AX_OID_MAX		128	/* subidentifiers, as net-snmp's */

/* mib_find(): what to look for. */
#define MIB_FIND_EQ		0	/* the instance named */
#define MIB_FIND_GT		1	/* the first one after it */
#define MIB_FIND_GE		2	/* the instance, or the first after */
#define MIB_INET_MAX	20	/* ipv6z: 16 bytes and a 4-byte zone */

/* InetAddressType values. */
#define MIB_INET_UNKNOWN	0
#define MIB_INET_IPV4		1
#define MIB_INET_IPV6		2
#define MIB_INET_IPV6Z		4

/* TruthValue. */
#define MIB_TRUE		1
#define MIB_FALSE		2

/*
 * VRRPV3-MIB's subtrees in the index (beside enum snmp_subtree): the
 * operations and statistics rows name their family (InetAddressType 1
 * or 2) in mib_ent.addr, the associated addresses their address.
 */
#define MIB_SUB_VR_OPER		10
#define MIB_SUB_VR_ASSOC	11
#define MIB_SUB_VR_ROUTER	12
#define MIB_SUB_VR_STATS	13
#define MIB_VR_REFRESH_MS	1000	/* a snapshot at least a second */
#define MIB_ROW_ACTIVE		1	/* RowStatus active(1) */

/* One instance in the index; its OID is mib_name()'s. */
struct mib_ent {
	uint32_t		 row;		/* in the snapshot */
	uint8_t			 sub;		/* enum snmp_subtree */
	uint8_t			 obj;		/* object or column */
	uint8_t			 addr;		/* address, in the row */
};

static struct {
	struct mib_ent		*ents;
	size_t			 n, cap;
	size_t			 hint;		/* the last instance found */
	uint64_t		 gen;		/* snapshot indexed; 0: none */
	const struct snap	*snap;		/* that snapshot */
	netsnmp_handler_registration *reg;
	netsnmp_handler_registration *vr_reg;	/* VRRPV3-MIB's */
	bool			 told_readonly;	/* a SET was refused */
} mib;

static const oid mib_objects_oid[] = { CARPD_OBJECTS };
static const oid mib_node_oid[] = { CARPD_NODE };
static const oid mib_vhid_oid[] = { CARPD_VHID_ENTRY };
static const oid mib_addr_oid[] = { CARPD_ADDR_ENTRY };
static const oid mib_stats_oid[] = { CARPD_STATS };
static const oid mib_notif_oid[] = { CARPD_NOTIF_OBJS };
static const oid mib_track_oid[] = { CARPD_TRACK_ENTRY };
static const oid mib_trap_oid[] = { CARPD_NOTIFS };
static const oid mib_root_oid[] = { CARPD_MIB_OID };
static const oid mib_ledger_oid[] = { CARPD_DEMOTION_ENTRY };
static const oid mib_snmptrap_oid[] = { 1, 3, 6, 1, 6, 3, 1, 1, 4, 1, 0 };
static const oid mib_vr_root_oid[] = { VRRPV3_MIB_OID };
static const oid mib_vr_objects_oid[] = { VRRPV3_OBJECTS };
static const oid mib_vr_oper_oid[] = { VRRPV3_OPER_ENTRY };
static const oid mib_vr_assoc_oid[] = { VRRPV3_ASSOC_ENTRY };
static const oid mib_vr_stats_oid[] = { VRRPV3_STATS };
static const oid mib_vr_sentry_oid[] = { VRRPV3_STATS_ENTRY };
static const oid mib_vr_trap_oid[] = { VRRPV3_NOTIFS };

static int	 mib_handler(netsnmp_mib_handler *,
		    netsnmp_handler_registration *,
		    netsnmp_agent_request_info *, netsnmp_request_info *);
static void	 mib_index(const struct snap *);
static void	 mib_add(int, int, size_t, size_t);
static void	 mib_sink(size_t);
static size_t	 mib_name(const struct mib_ent *, oid *);
static int	 mib_ent_cmp(const void *, const void *);
static const struct mib_ent *mib_find(const oid *, size_t, int, oid *,
		    size_t *);
static int	 mib_answer_vb(const struct snap *, int,
		    netsnmp_variable_list *);
static void	 mib_value(const struct mib_ent *, const struct snap *,
		    netsnmp_variable_list *);
static int	 mib_ledger_set(const netsnmp_variable_list *);
static void	 mib_ledger_value(const struct ledger_entry *, int,
		    netsnmp_variable_list *);
static bool	 mib_vhid_col(const struct snap_vhid *, int);
static void	 mib_vhid_value(const struct snap_vhid *, int,
		    netsnmp_variable_list *);
static size_t	 mib_track_name(const struct mib_ent *, oid *);
static void	 mib_track_index(const struct snap *);
static void	 mib_track_value(const struct track_info *, int,
		    netsnmp_variable_list *);
static int	 mib_inet(const struct carp_addr *, unsigned int, uint8_t *,
		    size_t *);
static size_t	 mib_date(int64_t, uint8_t[11]);
static void	 mib_set_int(netsnmp_variable_list *, int, long);
static void	 mib_set_c64(netsnmp_variable_list *, uint64_t);
static void	 mib_set_str(netsnmp_variable_list *, const char *);
static long	 mib_timestamp(uint64_t);
static int	 mib_set_check(const struct snap *,
		    netsnmp_variable_list *, enum snmp_cmd_type *,
		    unsigned int *, unsigned int *, bool *);
static void	 mib_vb(netsnmp_variable_list **, const oid *, size_t, int,
		    const oid *, size_t, u_char, const void *, size_t);
static void	 mib_vb_vhid(netsnmp_variable_list **,
		    const struct snmp_event *, const oid [2]);
static uint32_t	 mib_ax_get32(const uint8_t *, int);
static void	 mib_ax_put32(uint8_t *, uint32_t, int);
static const uint8_t *mib_ax_oid(const uint8_t *, const uint8_t *, int,
		    oid *, size_t *, int *);
static uint8_t	*mib_ax_put_oid(uint8_t *, const uint8_t *, int, const oid *,
		    size_t);
static uint8_t	*mib_ax_put_vb(uint8_t *, const uint8_t *, int, const oid *,
		    size_t, const netsnmp_variable_list *);
static bool	 mib_ours(const oid *, size_t);
static bool	 mib_vr_has(const struct carp_vhid_conf *, int);
static void	 mib_vr_index(const struct snap *);
static size_t	 mib_vr_name(const struct mib_ent *, oid *);
static void	 mib_vr_value(const struct mib_ent *, const struct snap *,
		    netsnmp_variable_list *);
static void	 mib_vr_notify(const struct snmp_event *);

/* Register the handler for carpdObjects. */
int
snmp_mib_register(void)
{
	mib.reg = netsnmp_create_handler_registration("carpd", mib_handler,
	    mib_objects_oid, OID_LENGTH(mib_objects_oid), HANDLER_CAN_RWRITE);
	if (mib.reg == NULL ||
	    netsnmp_register_handler(mib.reg) != MIB_REGISTERED_OK) {
		mib.reg = NULL;
		return -1;
	}
	register_sysORTable((oid *)mib_root_oid, OID_LENGTH(mib_root_oid),
	    "CARPD-MIB: carpd, a CARP daemon");
	/*
	 * VRRPV3-MIB: not fatal if refused (another subagent, keepalived,
	 * may have it): CARPD-MIB stays.
	 */
	mib.vr_reg = netsnmp_create_handler_registration("carpd-vrrpv3",
	    mib_handler, mib_vr_objects_oid, OID_LENGTH(mib_vr_objects_oid),
	    HANDLER_CAN_RWRITE);
	if (mib.vr_reg == NULL ||
	    netsnmp_register_handler(mib.vr_reg) != MIB_REGISTERED_OK) {
		mib.vr_reg = NULL;
		log_warnx("snmp: cannot register VRRPV3-MIB; CARPD-MIB only");
		return 0;
	}
	register_sysORTable((oid *)mib_vr_root_oid,
	    OID_LENGTH(mib_vr_root_oid),
	    "VRRPV3-MIB: carpd's VRRPv3 virtual routers (RFC 6527)");
	return 0;
}

/* Free the index (net-snmp frees the registration). */
void
snmp_mib_free(void)
{
	free(mib.ents);
	mib.ents = NULL;
	mib.n = mib.cap = mib.hint = 0;
	mib.gen = 0;
	mib.snap = NULL;
}

/*
 * The index.
 */

/* Add one instance: obj in a subtree, of a row and an address of it. */
/* Move the entry added last into place among those from first on. */
static void
mib_sink(size_t first)
{
	struct mib_ent	 t;
	size_t		 j;

	for (j = mib.n - 1; j > first &&
	    mib_ent_cmp(&mib.ents[j - 1], &mib.ents[j]) > 0; j--) {
		t = mib.ents[j];
		mib.ents[j] = mib.ents[j - 1];
		mib.ents[j - 1] = t;
	}
}

/* The index's capacity, in instances (tests). */
size_t
snmp_mib_index_cap(void)
{
	return mib.cap;
}

static void
mib_add(int sub, int obj, size_t row, size_t addr)
{
	struct mib_ent	*e;

	if (mib.n == mib.cap) {
		mib.cap = mib.cap ? mib.cap * 2 : MIB_ENTS_MIN;
		mib.ents = xreallocarray(mib.ents, mib.cap, sizeof(*mib.ents));
	}
	e = &mib.ents[mib.n++];
	e->row = (uint32_t)row;
	e->sub = (uint8_t)sub;
	e->obj = (uint8_t)obj;
	e->addr = (uint8_t)addr;
}

/*
 * The OID of an instance of the snapshot indexed, into name (at least
 * MIB_OID_MAX): prefix.obj.index; its length.
 */
static size_t
mib_name(const struct mib_ent *e, oid *name)
{
	const struct carp_vhid_conf	*c;
	uint8_t				 a[MIB_INET_MAX];
	size_t				 len, alen, k;
	int				 type;

	switch (e->sub) {
	case CARPD_SUB_NODE:
		memcpy(name, mib_node_oid, sizeof(mib_node_oid));
		len = OID_LENGTH(mib_node_oid);
		break;
	case CARPD_SUB_VHID:
		memcpy(name, mib_vhid_oid, sizeof(mib_vhid_oid));
		len = OID_LENGTH(mib_vhid_oid);
		c = &mib.snap->vhids[e->row].info.conf;
		name[len++] = e->obj;
		name[len++] = c->ifindex;
		name[len++] = c->vhid;
		return len;
	case CARPD_SUB_ADDR:
		memcpy(name, mib_addr_oid, sizeof(mib_addr_oid));
		len = OID_LENGTH(mib_addr_oid);
		c = &mib.snap->vhids[e->row].info.conf;
		type = mib_inet(&c->addrs[e->addr], c->ifindex, a, &alen);
		name[len++] = e->obj;
		name[len++] = c->ifindex;
		name[len++] = c->vhid;
		name[len++] = (oid)type;
		name[len++] = alen;
		for (k = 0; k < alen; k++)
			name[len++] = a[k];
		return len;
	case CARPD_SUB_TRACK:
		return mib_track_name(e, name);
	case CARPD_SUB_LEDGER:
		/* The name as an OCTET STRING index: length, bytes. */
		memcpy(name, mib_ledger_oid, sizeof(mib_ledger_oid));
		len = OID_LENGTH(mib_ledger_oid);
		name[len++] = e->obj;
		alen = strnlen(mib.snap->ledger[e->row].name, LEDGER_NAME_LEN);
		name[len++] = alen;
		for (k = 0; k < alen; k++)
			name[len++] = (unsigned char)
			    mib.snap->ledger[e->row].name[k];
		return len;
	case MIB_SUB_VR_OPER:
	case MIB_SUB_VR_ASSOC:
	case MIB_SUB_VR_ROUTER:
	case MIB_SUB_VR_STATS:
		return mib_vr_name(e, name);
	default:
		memcpy(name, mib_stats_oid, sizeof(mib_stats_oid));
		len = OID_LENGTH(mib_stats_oid);
		break;
	}
	name[len++] = e->obj;
	name[len++] = 0;
	return len;
}

static int
mib_ent_cmp(const void *a, const void *b)
{
	oid	 na[MIB_OID_MAX], nb[MIB_OID_MAX];
	size_t	 la, lb;

	la = mib_name(a, na);
	lb = mib_name(b, nb);
	return snmp_oid_compare(na, la, nb, lb);
}

/*
 * Index every instance of a snapshot, unless it is indexed already.  The
 * entries are added in OID order (the subtrees in turn, the VHID table a
 * column at a time over the rows, which the snapshot keeps in index
 * order, each row's addresses sorted among themselves), so that no sort
 * of the whole index is needed; a check that they are in order falls
 * back to one.  The array is kept from one snapshot to the next.
 */
static void
mib_index(const struct snap *s)
{
	size_t		 r, i, alen, first;
	uint8_t		 a[MIB_INET_MAX];
	int		 obj;

	if (s == NULL)
		return;
	mib.snap = s;
	if (s->gen == mib.gen)
		return;
	mib.n = 0;
	mib_vr_index(s);
	for (obj = 1; obj < CARPD_NODE_MAX; obj++)
		mib_add(CARPD_SUB_NODE, obj, 0, 0);
	for (obj = CARPD_VHID_IFNAME; obj < CARPD_VHID_MAX; obj++)
		for (r = 0; r < s->nvhids && mib_vhid_col(&s->vhids[0], obj);
		    r++)
			mib_add(CARPD_SUB_VHID, obj, r, 0);
	for (r = 0; r < s->nvhids; r++) {
		const struct carp_vhid_conf *c = &s->vhids[r].info.conf;

		first = mib.n;
		for (i = 0; i < c->naddrs; i++) {
			if (mib_inet(&c->addrs[i], c->ifindex, a, &alen) ==
			    MIB_INET_UNKNOWN)
				continue;
			mib_add(CARPD_SUB_ADDR, CARPD_ADDR_PREFIXLEN, r, i);
			/* Into place among the row's few. */
			mib_sink(first);
		}
	}
	for (obj = 1; obj < CARPD_ST_MAX; obj++)
		mib_add(CARPD_SUB_STATS, obj, 0, 0);
	/* The ledger: its name is the index, not a column. */
	for (obj = CARPD_LEDGER_SOURCE; obj < CARPD_LEDGER_MAX; obj++)
		for (r = 0; r < s->nledger; r++)
			mib_add(CARPD_SUB_LEDGER, obj, r, 0);
	mib_track_index(s);
	/*
	 * A reload that removed most VHIDs gives the memory back: the index
	 * keeps at most four times what it holds (and its first 256).
	 */
	if (mib.cap > MIB_ENTS_MIN && mib.n < mib.cap / 4) {
		mib.cap = mib.n * 2 > MIB_ENTS_MIN ? mib.n * 2 : MIB_ENTS_MIN;
		mib.ents = xreallocarray(mib.ents, mib.cap, sizeof(*mib.ents));
	}
	for (i = 1; i < mib.n; i++)
		if (mib_ent_cmp(&mib.ents[i - 1], &mib.ents[i]) >= 0) {
			qsort(mib.ents, mib.n, sizeof(*mib.ents), mib_ent_cmp);
			break;
		}
	mib.gen = s->gen;
}

/*
 * The instance named, or the first one after it (MIB_FIND_*), and its
 * OID in found (at least MIB_OID_MAX), *flen long.  The instance found
 * last is tried first: a walk asks for the one after it.
 */
static const struct mib_ent *
mib_find(const oid *name, size_t len, int how, oid *found, size_t *flen)
{
	size_t	 lo = 0, hi = mib.n, mid;
	int	 c;

	if (how != MIB_FIND_EQ && mib.hint < mib.n) {
		*flen = mib_name(&mib.ents[mib.hint], found);
		if (snmp_oid_compare(found, *flen, name, len) == 0) {
			lo = mib.hint;
			c = 0;
			goto done;
		}
	}
	/* The first entry >= name. */
	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		*flen = mib_name(&mib.ents[mid], found);
		if (snmp_oid_compare(found, *flen, name, len) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo == mib.n)
		return NULL;
	*flen = mib_name(&mib.ents[lo], found);
	c = snmp_oid_compare(found, *flen, name, len);
done:
	if (how == MIB_FIND_EQ && c != 0)
		return NULL;
	if (how == MIB_FIND_GT && c == 0) {
		if (++lo == mib.n)
			return NULL;
		*flen = mib_name(&mib.ents[lo], found);
	}
	mib.hint = lo;
	return &mib.ents[lo];
}

/*
 * Values.
 */

static void
mib_set_int(netsnmp_variable_list *vb, int type, long v)
{
	snmp_set_var_typed_value(vb, (u_char)type, &v, sizeof(v));
}

static void
mib_set_c64(netsnmp_variable_list *vb, uint64_t v)
{
	struct counter64	 c;

	c.high = (u_long)(v >> 32);
	c.low = (u_long)(v & 0xffffffffU);
	snmp_set_var_typed_value(vb, ASN_COUNTER64, &c, sizeof(c));
}

static void
mib_set_str(netsnmp_variable_list *vb, const char *s)
{
	snmp_set_var_typed_value(vb, ASN_OCTET_STR, s, strlen(s));
}

/*
 * A TimeStamp: this subagent's sysUpTime when the monotonic clock read
 * mono_us; 0 for 0 or before the subagent started.
 */
static long
mib_timestamp(uint64_t mono_us)
{
	struct timespec	 ts;
	uint64_t	 now, age;
	long		 up;

	if (mono_us == 0)
		return 0;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	now = (uint64_t)ts.tv_sec * 1000000 + (uint64_t)ts.tv_nsec / 1000;
	age = now > mono_us ? (now - mono_us) / 10000 : 0;
	up = (long)netsnmp_get_agent_uptime() - (long)age;
	return up < 0 ? 0 : up;
}

/* An address as InetAddressType and InetAddress octets. */
static int
mib_inet(const struct carp_addr *ca, unsigned int ifindex, uint8_t *buf,
    size_t *len)
{
	uint32_t	 zone;

	switch (ca->family) {
	case AF_INET:
		memcpy(buf, &ca->a.v4, 4);
		*len = 4;
		return MIB_INET_IPV4;
	case AF_INET6:
		memcpy(buf, &ca->a.v6, 16);
		*len = 16;
		if (!IN6_IS_ADDR_LINKLOCAL(&ca->a.v6))
			return MIB_INET_IPV6;
		zone = htonl(ifindex);
		memcpy(buf + 16, &zone, 4);
		*len = 20;
		return MIB_INET_IPV6Z;
	default:
		*len = 0;
		return MIB_INET_UNKNOWN;
	}
}

/* A wall-clock time as a DateAndTime in UTC; 8 zero octets for none. */
static size_t
mib_date(int64_t wall_us, uint8_t d[11])
{
	struct tm	 tm;
	time_t		 t;
	int		 year;

	memset(d, 0, 11);
	if (wall_us <= 0)
		return 8;
	t = (time_t)(wall_us / 1000000);
	if (gmtime_r(&t, &tm) == NULL)
		return 8;
	year = tm.tm_year + 1900;
	d[0] = (uint8_t)(year >> 8);
	d[1] = (uint8_t)year;
	d[2] = (uint8_t)(tm.tm_mon + 1);
	d[3] = (uint8_t)tm.tm_mday;
	d[4] = (uint8_t)tm.tm_hour;
	d[5] = (uint8_t)tm.tm_min;
	d[6] = (uint8_t)tm.tm_sec;
	d[7] = (uint8_t)((wall_us % 1000000) / 100000);
	d[8] = '+';
	return 11;
}

/* One column of a ledger row (carpdDemotionEntry). */
static void
mib_ledger_value(const struct ledger_entry *le, int col,
    netsnmp_variable_list *vb)
{
	uint8_t		 d[11];
	size_t		 len;

	switch (col) {
	case CARPD_LEDGER_SOURCE:
		mib_set_int(vb, ASN_INTEGER, (long)le->source + 1);
		return;
	case CARPD_LEDGER_WEIGHT:
		mib_set_int(vb, ASN_INTEGER, le->weight);
		return;
	case CARPD_LEDGER_REASON:
		mib_set_str(vb, le->reason);
		return;
	case CARPD_LEDGER_SINCE:
	case CARPD_LEDGER_EXPIRES:
		len = mib_date((col == CARPD_LEDGER_SINCE ? le->since :
		    le->expires) * 1000000, d);
		snmp_set_var_typed_value(vb, ASN_OCTET_STR, d, len);
		return;
	case CARPD_LEDGER_ORIGIN:
		mib_set_str(vb, le->origin);
		return;
	case CARPD_LEDGER_PERSIST:
		mib_set_int(vb, ASN_INTEGER, le->persist ? MIB_TRUE :
		    MIB_FALSE);
		return;
	}
	snmp_set_var_typed_value(vb, SNMP_NOSUCHOBJECT, NULL, 0);
}

/*
 * Whether the VHID table has column col: the allocation leaves gaps
 * (columns of other features), which a walk must step over.
 */
static bool
mib_vhid_col(const struct snap_vhid *r, int col)
{
	netsnmp_variable_list	 vb;
	bool			 ok;

	memset(&vb, 0, sizeof(vb));
	mib_vhid_value(r, col, &vb);
	ok = vb.type != SNMP_NOSUCHOBJECT;
	snmp_free_var_internals(&vb);
	return ok;
}

/* One column of a VHID row. */
static void
mib_vhid_value(const struct snap_vhid *r, int col, netsnmp_variable_list *vb)
{
	const struct carp_vhid_info	*vi = &r->info;
	struct carp_addr		 self;
	const struct carp_addr		*a = NULL;
	uint8_t				 buf[MIB_INET_MAX];
	size_t				 len;
	int				 type;

	switch (col) {
	case CARPD_VHID_IFNAME:
		mib_set_str(vb, vi->conf.ifname);
		return;
	case CARPD_VHID_STATE:
		mib_set_int(vb, ASN_INTEGER, (long)vi->state + 1);
		return;
	case CARPD_VHID_PREV_STATE:
		mib_set_int(vb, ASN_INTEGER, (long)vi->prev_state + 1);
		return;
	case CARPD_VHID_ADVBASE:
		mib_set_int(vb, ASN_INTEGER, vi->conf.advbase);
		return;
	case CARPD_VHID_ADVSKEW:
		mib_set_int(vb, ASN_INTEGER, vi->conf.advskew);
		return;
	case CARPD_VHID_EFF_ADVSKEW:
		mib_set_int(vb, ASN_INTEGER, vi->eff_advskew);
		return;
	case CARPD_VHID_ADMIN_DEMOTED:
		mib_set_int(vb, ASN_INTEGER,
		    vi->admin_demoted ? MIB_TRUE : MIB_FALSE);
		return;
	case CARPD_VHID_ADMIN_REASON:
		mib_set_str(vb, vi->admin_demoted ? vi->admin_reason : "");
		return;
	case CARPD_VHID_MASTER_TYPE:
	case CARPD_VHID_MASTER:
		if (vi->state == CARP_ST_MASTER ||
		    vi->state == CARP_ST_BACKUP) {
			self = snap_master(r);
			a = &self;
		}
		break;
	case CARPD_VHID_PEER_TYPE:
	case CARPD_VHID_PEER:
		a = vi->conf.peer4.family != 0 ? &vi->conf.peer4 :
		    &vi->conf.peer6;
		break;
	case CARPD_VHID_ADDR_COUNT:
		mib_set_int(vb, ASN_INTEGER, (long)vi->conf.naddrs);
		return;
	case CARPD_VHID_LAST_CHANGE:
		mib_set_int(vb, ASN_TIMETICKS,
		    mib_timestamp(vi->last_change_mono_us));
		return;
	case CARPD_VHID_LAST_CHANGE_DATE:
		len = mib_date(vi->last_change_mono_us != 0 ?
		    vi->last_change_wall_us : 0, buf);
		snmp_set_var_typed_value(vb, ASN_OCTET_STR, buf, len);
		return;
	case CARPD_VHID_LAST_REASON:
		mib_set_int(vb, ASN_INTEGER, (long)vi->last_reason + 1);
		return;
	case CARPD_VHID_TO_MASTER:
		mib_set_c64(vb, vi->transitions[CARP_ST_MASTER]);
		return;
	case CARPD_VHID_TO_BACKUP:
		mib_set_c64(vb, vi->transitions[CARP_ST_BACKUP]);
		return;
	case CARPD_VHID_ADV_SENT:
		mib_set_c64(vb, vi->adverts_sent);
		return;
	case CARPD_VHID_ADV_RECV:
		mib_set_c64(vb, vi->adverts_received);
		return;
	case CARPD_VHID_SEND_ERRORS:
		mib_set_c64(vb, vi->send_errors);
		return;
	case CARPD_VHID_LINK_UP:
		mib_set_int(vb, ASN_INTEGER, vi->link_up ? MIB_TRUE : MIB_FALSE);
		return;
	case CARPD_VHID_TO_MASTER32:
		mib_set_int(vb, ASN_COUNTER,
		    (long)(vi->transitions[CARP_ST_MASTER] & 0xffffffffU));
		return;
	case CARPD_VHID_TO_BACKUP32:
		mib_set_int(vb, ASN_COUNTER,
		    (long)(vi->transitions[CARP_ST_BACKUP] & 0xffffffffU));
		return;
	case CARPD_VHID_ADMIN_SET_TIME:
		len = mib_date(vi->admin_demoted ? r->admin_since * 1000000 :
		    0, buf);
		snmp_set_var_typed_value(vb, ASN_OCTET_STR, buf, len);
		return;
	case CARPD_VHID_ADMIN_SET_BY:
		mib_set_str(vb, vi->admin_demoted ? r->admin_by : "");
		return;
	case CARPD_VHID_NO_MASTER:
		mib_set_int(vb, ASN_INTEGER, vi->no_master ? MIB_TRUE :
		    MIB_FALSE);
		return;
	/* VRRPv3 (vrrpview): 0 for a CARP VHID. */
	case CARPD_VHID_PROTOCOL:
		mib_set_int(vb, ASN_INTEGER,
		    vi->conf.proto == CARP_PROTO_VRRP3 ? 2 : 1);
		return;
	case CARPD_VHID_VRRP_PRIO:
	case CARPD_VHID_VRRP_EFF_PRIO:
	case CARPD_VHID_VRRP_MASTER_IVAL:
		if (vi->conf.proto != CARP_PROTO_VRRP3)
			mib_set_int(vb, ASN_UNSIGNED, 0);
		else
			mib_set_int(vb, ASN_UNSIGNED,
			    col == CARPD_VHID_VRRP_PRIO ? vi->conf.vrrp_prio :
			    col == CARPD_VHID_VRRP_EFF_PRIO ? vi->eff_prio :
			    vi->master_interval);
		return;
	default:
		if (col >= CARPD_VHID_DROPS &&
		    col < CARPD_VHID_DROPS + CARP_DROP_MAX - 1) {
			mib_set_c64(vb, vi->drops[CARP_DROP_DISABLED + col -
			    CARPD_VHID_DROPS]);
			return;
		}
		snmp_set_var_typed_value(vb, SNMP_NOSUCHOBJECT, NULL, 0);
		return;
	}
	/* The address columns. */
	if (a == NULL || a->family == 0) {
		type = MIB_INET_UNKNOWN;
		len = 0;
	} else
		type = mib_inet(a, vi->conf.ifindex, buf, &len);
	if (col == CARPD_VHID_MASTER_TYPE || col == CARPD_VHID_PEER_TYPE)
		mib_set_int(vb, ASN_INTEGER, type);
	else
		snmp_set_var_typed_value(vb, ASN_OCTET_STR, buf, len);
}

/* The value of an indexed instance. */
static void
mib_value(const struct mib_ent *e, const struct snap *s,
    netsnmp_variable_list *vb)
{
	const struct carp_node_info	*ni = &s->node;
	const struct carp_stats		*st = &ni->stats;
	uint8_t				 d[11];
	size_t				 len, i;
	uint64_t			 v = 0;
	enum carp_state			 want;

	switch (e->sub) {
	case MIB_SUB_VR_OPER:
	case MIB_SUB_VR_ASSOC:
	case MIB_SUB_VR_ROUTER:
	case MIB_SUB_VR_STATS:
		mib_vr_value(e, s, vb);
		return;
	case CARPD_SUB_VHID:
		mib_vhid_value(&s->vhids[e->row], e->obj, vb);
		return;
	case CARPD_SUB_LEDGER:
		mib_ledger_value(&s->ledger[e->row], e->obj, vb);
		return;
	case CARPD_SUB_ADDR:
		mib_set_int(vb, ASN_UNSIGNED,
		    s->vhids[e->row].info.conf.addrs[e->addr].prefixlen);
		return;
	case CARPD_SUB_TRACK:
		mib_track_value(&s->tracks[e->row], e->obj, vb);
		return;
	case CARPD_SUB_NODE:
		switch (e->obj) {
		case CARPD_NODE_VERSION:
			mib_set_str(vb, CARPD_VERSION);
			return;
		case CARPD_NODE_ALLOW:
			mib_set_int(vb, ASN_INTEGER,
			    ni->conf.allow ? MIB_TRUE : MIB_FALSE);
			return;
		case CARPD_NODE_PREEMPT:
			mib_set_int(vb, ASN_INTEGER,
			    ni->conf.preempt ? MIB_TRUE : MIB_FALSE);
			return;
		case CARPD_NODE_DEMOTION:
			mib_set_int(vb, ASN_INTEGER, ni->demotion);
			return;
		case CARPD_NODE_MAINTENANCE:
			mib_set_int(vb, ASN_INTEGER,
			    ni->maintenance ? MIB_TRUE : MIB_FALSE);
			return;
		case CARPD_NODE_MAINT_REASON:
			mib_set_str(vb, ni->maintenance ?
			    ni->maintenance_reason : "");
			return;
		case CARPD_NODE_IFDOWN_FACTOR:
			mib_set_int(vb, ASN_INTEGER, ni->conf.ifdown_factor);
			return;
		case CARPD_NODE_SENDERR_FACTOR:
			mib_set_int(vb, ASN_INTEGER, ni->conf.senderr_factor);
			return;
		case CARPD_NODE_VHID_COUNT:
			mib_set_int(vb, ASN_INTEGER, (long)s->nvhids);
			return;
		case CARPD_NODE_START_TIME:
			len = mib_date(s->start_wall_us, d);
			snmp_set_var_typed_value(vb, ASN_OCTET_STR, d, len);
			return;
		case CARPD_NODE_ADMIN_DEMOTION:
			mib_set_int(vb, ASN_INTEGER, ni->admin_demotion);
			return;
		case CARPD_NODE_MASTER_COUNT:
		case CARPD_NODE_BACKUP_COUNT:
		case CARPD_NODE_INIT_COUNT:
			want = e->obj == CARPD_NODE_MASTER_COUNT ?
			    CARP_ST_MASTER : e->obj == CARPD_NODE_BACKUP_COUNT ?
			    CARP_ST_BACKUP : CARP_ST_INIT;
			for (i = 0; i < s->nvhids; i++)
				if (s->vhids[i].info.state == want)
					v++;
			mib_set_int(vb, ASN_GAUGE, (long)v);
			return;
		case CARPD_NODE_DISC_TIME:
			mib_set_int(vb, ASN_TIMETICKS,
			    mib_timestamp(s->disc_mono_us));
			return;
		case CARPD_NODE_MAINT_SET_TIME:
			len = mib_date(ni->maintenance ?
			    s->maint_since * 1000000 : 0, d);
			snmp_set_var_typed_value(vb, ASN_OCTET_STR, d, len);
			return;
		case CARPD_NODE_MAINT_SET_BY:
			mib_set_str(vb, ni->maintenance ? s->maint_by : "");
			return;
		}
		break;
	case CARPD_SUB_STATS:
		switch (e->obj) {
		case CARPD_ST_IPKTS:	v = st->ipackets; break;
		case CARPD_ST_IPKTS6:	v = st->ipackets6; break;
		case CARPD_ST_BADIF:	v = st->badif; break;
		case CARPD_ST_BADTTL:	v = st->badttl; break;
		case CARPD_ST_HDROPS:	v = st->hdrops; break;
		case CARPD_ST_BADSUM:	v = st->badsum; break;
		case CARPD_ST_BADVER:	v = st->badver; break;
		case CARPD_ST_BADLEN:	v = st->badlen; break;
		case CARPD_ST_BADAUTH:	v = st->badauth; break;
		case CARPD_ST_BADVHID:	v = st->badvhid; break;
		case CARPD_ST_BADADDRS:	v = st->badaddrs; break;
		case CARPD_ST_OPKTS:	v = st->opackets; break;
		case CARPD_ST_OPKTS6:	v = st->opackets6; break;
		case CARPD_ST_ONOMEM:	v = st->onomem; break;
		case CARPD_ST_OSTATES:	v = st->ostates; break;
		case CARPD_ST_PREEMPT:	v = st->preempt; break;
		case CARPD_ST_PREEMPT32:
			mib_set_int(vb, ASN_COUNTER,
			    (long)(st->preempt & 0xffffffffU));
			return;
		case CARPD_ST_NOTIF_DROPPED: v = s->snmp_dropped; break;
		case CARPD_ST_NOTIF_FOLDED: v = s->snmp_folded; break;
		case CARPD_ST_NOTIFY_RUNS: v = s->notify.runs; break;
		case CARPD_ST_NOTIFY_COALESCED: v = s->notify.coalesced; break;
		case CARPD_ST_NOTIFY_TIMEOUTS: v = s->notify.timeouts; break;
		case CARPD_ST_NOTIFY_FAILURES: v = s->notify.failures; break;
		case CARPD_ST_AUTH_ADDRLIST:
			v = ni->diags[CARP_DIAG_LACKS] +
			    ni->diags[CARP_DIAG_ONLY4] +
			    ni->diags[CARP_DIAG_ONLY6];
			break;
		case CARPD_ST_AUTH_UNEXPLAINED:
			v = ni->diags[CARP_DIAG_UNKNOWN];
			break;
		}
		mib_set_c64(vb, v);
		return;
	}
	snmp_set_var_typed_value(vb, SNMP_NOSUCHOBJECT, NULL, 0);
}

/*
 * carpdTrackTable (agent/track.h): one row per tracker, indexed by kind
 * and name.
 */

/* A row's OID: entry.column.kind.len.name... */
static size_t
mib_track_name(const struct mib_ent *e, oid *name)
{
	const struct track_info	*ti = &mib.snap->tracks[e->row];
	size_t			 len = OID_LENGTH(mib_track_oid), k, n;

	memcpy(name, mib_track_oid, sizeof(mib_track_oid));
	name[len++] = e->obj;
	name[len++] = (oid)ti->kind + 1;
	n = strnlen(ti->name, sizeof(ti->name));
	name[len++] = n;
	for (k = 0; k < n; k++)
		name[len++] = (unsigned char)ti->name[k];
	return len;
}

/* The rows, a column at a time, in index order (kind, length, name). */
static void
mib_track_index(const struct snap *s)
{
	const struct track_info	*a, *b;
	uint32_t		*order;
	size_t			 i, j, t;
	int			 obj;

	if (s->ntracks == 0)
		return;
	order = xcalloc(s->ntracks, sizeof(*order));
	for (i = 0; i < s->ntracks; i++) {
		order[i] = (uint32_t)i;
		for (j = i; j > 0; j--) {
			a = &s->tracks[order[j - 1]];
			b = &s->tracks[order[j]];
			if (a->kind < b->kind || (a->kind == b->kind &&
			    (strlen(a->name) < strlen(b->name) ||
			    (strlen(a->name) == strlen(b->name) &&
			    strcmp(a->name, b->name) < 0))))
				break;
			t = order[j];
			order[j] = order[j - 1];
			order[j - 1] = (uint32_t)t;
		}
	}
	for (obj = CARPD_TRACK_UP; obj < CARPD_TRACK_MAX; obj++)
		for (i = 0; i < s->ntracks; i++)
			mib_add(CARPD_SUB_TRACK, obj, order[i], 0);
	free(order);
}

static void
mib_track_value(const struct track_info *ti, int col,
    netsnmp_variable_list *vb)
{
	uint8_t		 d[11];
	size_t		 len;

	switch (col) {
	case CARPD_TRACK_UP:
		mib_set_int(vb, ASN_INTEGER, ti->up ? MIB_TRUE : MIB_FALSE);
		return;
	case CARPD_TRACK_WEIGHT:
		mib_set_int(vb, ASN_INTEGER, ti->weight);
		return;
	case CARPD_TRACK_DEMOTION:
		mib_set_int(vb, ASN_INTEGER, ti->up ? 0 : ti->weight);
		return;
	case CARPD_TRACK_LAST_RESULT:
		mib_set_int(vb, ASN_INTEGER, (long)ti->result + 1);
		return;
	case CARPD_TRACK_LAST_EXIT:
		mib_set_int(vb, ASN_INTEGER, ti->result == TRACK_R_PASS ||
		    ti->result == TRACK_R_FAIL ? ti->code : -1);
		return;
	case CARPD_TRACK_LAST_RUN:
	case CARPD_TRACK_SINCE:
		len = mib_date(col == CARPD_TRACK_LAST_RUN ? ti->last_run_us :
		    ti->since_us, d);
		snmp_set_var_typed_value(vb, ASN_OCTET_STR, d, len);
		return;
	case CARPD_TRACK_PASSES:
		mib_set_int(vb, ASN_GAUGE, ti->passes);
		return;
	case CARPD_TRACK_FAILURES:
		mib_set_int(vb, ASN_GAUGE, ti->failures);
		return;
	case CARPD_TRACK_RESULTS:
		mib_set_c64(vb, ti->runs);
		return;
	case CARPD_TRACK_NFAILED:
		mib_set_c64(vb, ti->nfailed);
		return;
	case CARPD_TRACK_TIMEOUTS:
		mib_set_c64(vb, ti->ntimeouts);
		return;
	case CARPD_TRACK_TRANSITIONS:
		mib_set_c64(vb, ti->transitions);
		return;
	case CARPD_TRACK_ENTRY_NAME:
		mib_set_str(vb, ti->entry);
		return;
	}
	snmp_set_var_typed_value(vb, SNMP_NOSUCHOBJECT, NULL, 0);
}

/*
 * SETs: carpdMaintenance.0 and carpdVhidAdminDemoted.ifIndex.vhid, a
 * TruthValue each, with agentx-writable yes; notWritable without.
 * Returns SNMP_ERR_NOERROR and what to do, or an error.
 */
static int
mib_set_check(const struct snap *s, netsnmp_variable_list *vb,
    enum snmp_cmd_type *type, unsigned int *ifindex, unsigned int *vhid,
    bool *on)
{
	static const oid maint[] = { CARPD_NODE, CARPD_NODE_MAINTENANCE, 0 };
	static const oid demoted[] = { CARPD_VHID_ENTRY,
	    CARPD_VHID_ADMIN_DEMOTED };
	oid		 name[MIB_OID_MAX];
	size_t		 dl = OID_LENGTH(demoted), r, len;
	long		 v;

	if (!snmp_writable()) {
		/* Once per subagent: the manager gets notWritable. */
		if (!mib.told_readonly)
			log_info("snmp: SET refused: agentx-writable is no");
		mib.told_readonly = true;
		return SNMP_ERR_NOTWRITABLE;
	}
	if (snmp_oid_compare(vb->name, vb->name_length, maint,
	    OID_LENGTH(maint)) == 0) {
		*type = SNMP_CMD_MAINTENANCE;
		*ifindex = *vhid = 0;
	} else if (vb->name_length == dl + 2 &&
	    snmp_oid_compare(vb->name, dl, demoted, dl) == 0) {
		*type = SNMP_CMD_VHID_DEMOTED;
		*ifindex = (unsigned int)vb->name[dl];
		*vhid = (unsigned int)vb->name[dl + 1];
		for (r = 0; s != NULL && r < s->nvhids; r++)
			if (s->vhids[r].info.conf.ifindex == *ifindex &&
			    s->vhids[r].info.conf.vhid == *vhid)
				break;
		if (s == NULL || r == s->nvhids)
			return SNMP_ERR_NOCREATION;
	} else if (mib_ledger_set(vb) == 0) {
		/* carpdDemotionWeight."snmp": checked; no TruthValue. */
		*type = SNMP_CMD_LEDGER_WEIGHT;
		*ifindex = *vhid = 0;
		if (vb->type != ASN_INTEGER || vb->val.integer == NULL)
			return SNMP_ERR_WRONGTYPE;
		if (*vb->val.integer < -CARP_DEMOTION_MAX ||
		    *vb->val.integer > CARP_DEMOTION_MAX)
			return SNMP_ERR_WRONGVALUE;
		return SNMP_ERR_NOERROR;
	} else if (mib_find(vb->name, vb->name_length, MIB_FIND_EQ, name,
	    &len) != NULL)
		return SNMP_ERR_NOTWRITABLE;
	else
		return SNMP_ERR_NOCREATION;
	if (vb->type != ASN_INTEGER || vb->val.integer == NULL)
		return SNMP_ERR_WRONGTYPE;
	v = *vb->val.integer;
	if (v != MIB_TRUE && v != MIB_FALSE)
		return SNMP_ERR_WRONGVALUE;
	*on = v == MIB_TRUE;
	return SNMP_ERR_NOERROR;
}

/*
 * Whether vb names carpdDemotionWeight."snmp", the one writable ledger
 * instance (which a SET creates): 0 yes, -1 no.
 */
static int
mib_ledger_set(const netsnmp_variable_list *vb)
{
	static const oid w[] = { CARPD_DEMOTION_ENTRY, CARPD_LEDGER_WEIGHT,
	    sizeof(LEDGER_SNMP_NAME) - 1, 's', 'n', 'm', 'p' };

	return snmp_oid_compare(vb->name, vb->name_length, w,
	    OID_LENGTH(w)) == 0 ? 0 : -1;
}

/* The handler for everything under carpdObjects. */
static int
mib_handler(netsnmp_mib_handler *handler, netsnmp_handler_registration *reg,
    netsnmp_agent_request_info *reqinfo, netsnmp_request_info *requests)
{
	const struct snap	*s = snmp_snap_get();
	const struct mib_ent	*e;
	netsnmp_request_info	*req;
	netsnmp_variable_list	*vb;
	enum snmp_cmd_type	 type;
	oid			 name[MIB_OID_MAX];
	size_t			 len;
	unsigned int		 ifindex, vhid;
	bool			 on;
	int			 err;

	(void)handler;
	mib_index(s);
	for (req = requests; req != NULL; req = req->next) {
		if (req->processed)
			continue;
		vb = req->requestvb;
		switch (reqinfo->mode) {
		case MODE_GET:
			if (s == NULL ||
			    (e = mib_find(vb->name, vb->name_length,
			    MIB_FIND_EQ, name, &len)) == NULL)
				netsnmp_set_request_error(reqinfo, req,
				    SNMP_NOSUCHINSTANCE);
			else
				mib_value(e, s, vb);
			break;
		case MODE_GETNEXT:
			/* Nothing after it here: the next subtree answers. */
			if (s == NULL ||
			    (e = mib_find(vb->name, vb->name_length,
			    MIB_FIND_GT, name, &len)) == NULL)
				break;
			/* Nor in the other subtree registered. */
			if (len < reg->rootoid_len || snmp_oid_compare(name,
			    reg->rootoid_len, reg->rootoid,
			    reg->rootoid_len) != 0)
				break;
			snmp_set_var_objid(vb, name, len);
			mib_value(e, s, vb);
			break;
		case MODE_SET_RESERVE1:
			err = mib_set_check(s, vb, &type, &ifindex, &vhid, &on);
			if (err != SNMP_ERR_NOERROR)
				netsnmp_set_request_error(reqinfo, req, err);
			break;
		case MODE_SET_ACTION:
			err = mib_set_check(s, vb, &type, &ifindex, &vhid, &on);
			if (err == SNMP_ERR_NOERROR &&
			    type == SNMP_CMD_LEDGER_WEIGHT)
				err = snmp_command_value(type,
				    *vb->val.integer);
			else if (err == SNMP_ERR_NOERROR)
				err = snmp_command(type, ifindex, vhid, on);
			if (err != SNMP_ERR_NOERROR)
				netsnmp_set_request_error(reqinfo, req, err);
			break;
		default:
			/* RESERVE2, COMMIT, FREE, UNDO: nothing to do. */
			break;
		}
	}
	return SNMP_ERR_NOERROR;
}

/*
 * One varbind of an AgentX Get (next 0) or GetNext (next 1), answered in
 * place as net-snmp's agent would: a Get of anything under carpdObjects
 * that is not an instance is noSuchInstance; a GetNext starts at the
 * SearchRange's start (included if the range says so) and finds nothing
 * at or past the range's end: endOfMibView, named by the start.  -1 if
 * the varbind is not ours to answer (not under carpdObjects for a Get).
 */
static int
mib_answer_vb(const struct snap *s, int next, netsnmp_variable_list *vb)
{
	const struct mib_ent	*e;
	oid			 end[MIB_OID_MAX], name[MIB_OID_MAX];
	size_t			 elen = 0, len;

	if (!next) {
		if (!mib_ours(vb->name, vb->name_length))
			return -1;
		if (s == NULL || (e = mib_find(vb->name, vb->name_length,
		    MIB_FIND_EQ, name, &len)) == NULL)
			snmp_set_var_typed_value(vb, SNMP_NOSUCHINSTANCE,
			    NULL, 0);
		else
			mib_value(e, s, vb);
		return 0;
	}
	if (vb->type != ASN_PRIV_INCL_RANGE && vb->type != ASN_PRIV_EXCL_RANGE)
		return -1;
	/* The range's end (the null OID: none), before the value goes. */
	if (vb->val.objid != NULL && vb->val_len >= 2 * sizeof(oid)) {
		elen = vb->val_len / sizeof(oid);
		if (elen > MIB_OID_MAX)
			return -1;
		memcpy(end, vb->val.objid, elen * sizeof(oid));
		if (elen == 2 && end[0] == 0 && end[1] == 0)
			elen = 0;
	}
	e = s == NULL ? NULL : mib_find(vb->name, vb->name_length,
	    vb->type == ASN_PRIV_INCL_RANGE ? MIB_FIND_GE : MIB_FIND_GT, name,
	    &len);
	if (e != NULL && elen > 0 &&
	    snmp_oid_compare(name, len, end, elen) >= 0)
		e = NULL;
	if (e == NULL) {
		snmp_set_var_typed_value(vb, SNMP_ENDOFMIBVIEW, NULL, 0);
		return 0;
	}
	snmp_set_var_objid(vb, name, len);
	mib_value(e, s, vb);
	return 0;
}

/*
 * An AgentX PDU from the master agent: answer a Get or GetNext in the
 * default context here and send the response on its session.  0 if done,
 * -1 to leave the PDU (untouched) to net-snmp.
 */
int
snmp_mib_answer(netsnmp_session *sess, const netsnmp_pdu *pdu)
{
	const struct snap	*s;
	netsnmp_pdu		*resp;
	netsnmp_variable_list	*vb;
	int			 next;

	if (pdu->command != MIB_AX_GET && pdu->command != MIB_AX_GETNEXT)
		return -1;
	if ((pdu->flags & MIB_AX_NON_DEFAULT_CONTEXT) ||
	    pdu->community_len != 0 || pdu->variables == NULL)
		return -1;
	next = pdu->command == MIB_AX_GETNEXT;
	if ((resp = snmp_clone_pdu((netsnmp_pdu *)pdu)) == NULL)
		return -1;
	s = snmp_snap_get();
	mib_index(s);
	for (vb = resp->variables; vb != NULL; vb = vb->next_variable)
		if (mib_answer_vb(s, next, vb) == -1) {
			snmp_free_pdu(resp);
			return -1;
		}
	resp->command = MIB_AX_RESPONSE;
	resp->version = sess->version;
	resp->errstat = SNMP_ERR_NOERROR;
	resp->errindex = 0;
	if (snmp_send(sess, resp) == 0)
		snmp_free_pdu(resp);
	return 0;
}

/*
 * AgentX Get and GetNext straight from the socket's bytes.  The master
 * agent's GetNext per row of a walk is parsed here and its Response built
 * here, without net-snmp's PDU (parse, clone, build and the allocations
 * of each); the values come from mib_value(), as on every other path.
 */

/* RFC 2741 5.1: little-endian unless the header says network order. */
static uint32_t
mib_ax_get32(const uint8_t *p, int nbo)
{
	if (nbo)
		return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
		    (uint32_t)p[2] << 8 | p[3];
	return (uint32_t)p[3] << 24 | (uint32_t)p[2] << 16 |
	    (uint32_t)p[1] << 8 | p[0];
}

static void
mib_ax_put32(uint8_t *p, uint32_t v, int nbo)
{
	int	 i;

	for (i = 0; i < 4; i++)
		p[nbo ? 3 - i : i] = (uint8_t)(v >> (8 * i));
}

/* The length of the PDU whose 20-byte header this is. */
size_t
snmp_mib_ax_len(const uint8_t *h)
{
	return SNMP_AX_HDR_LEN + mib_ax_get32(h + 16,
	    h[2] & MIB_AX_NETWORK_BYTE_ORDER);
}

/*
 * An OID (RFC 2741 5.1) at p: into o (at least MIB_AX_OID_MAX), *len and
 * *inc.  The null OID is {0, 0}, as net-snmp parses it.  Past it, or NULL.
 */
static const uint8_t *
mib_ax_oid(const uint8_t *p, const uint8_t *end, int nbo, oid *o,
    size_t *len, int *inc)
{
	size_t	 n, prefix, i;

	if (end - p < 4)
		return NULL;
	n = p[0];
	prefix = p[1];
	if (inc != NULL)
		*inc = p[2];
	p += 4;
	if (n == 0 && prefix == 0) {
		o[0] = o[1] = 0;
		*len = 2;
		return p;
	}
	if (n + (prefix != 0 ? 5 : 0) > MIB_AX_OID_MAX ||
	    (size_t)(end - p) < 4 * n)
		return NULL;
	*len = 0;
	if (prefix != 0) {
		o[0] = 1;
		o[1] = 3;
		o[2] = 6;
		o[3] = 1;
		o[4] = prefix;
		*len = 5;
	}
	for (i = 0; i < n; i++, p += 4)
		o[(*len)++] = mib_ax_get32(p, nbo);
	return p;
}

/* An OID, 1.3.6.1.x compacted to a prefix as net-snmp does; or NULL. */
static uint8_t *
mib_ax_put_oid(uint8_t *p, const uint8_t *end, int nbo, const oid *o,
    size_t len)
{
	size_t	 i, prefix = 0;

	if (len >= 5 && o[0] == 1 && o[1] == 3 && o[2] == 6 && o[3] == 1 &&
	    o[4] > 0 && o[4] < 256) {
		prefix = o[4];
		o += 5;
		len -= 5;
	}
	if (len > 255 || (size_t)(end - p) < 4 + 4 * len)
		return NULL;
	*p++ = (uint8_t)len;
	*p++ = (uint8_t)prefix;
	*p++ = 0;
	*p++ = 0;
	for (i = 0; i < len; i++, p += 4)
		mib_ax_put32(p, (uint32_t)o[i], nbo);
	return p;
}

/* A VarBind (RFC 2741 5.4) named name with vb's value; or NULL. */
static uint8_t *
mib_ax_put_vb(uint8_t *p, const uint8_t *end, int nbo, const oid *name,
    size_t len, const netsnmp_variable_list *vb)
{
	uint64_t	 v;
	size_t		 pad;

	if (end - p < 4)
		return NULL;
	p[nbo ? 0 : 1] = 0;
	p[nbo ? 1 : 0] = vb->type;
	p[2] = p[3] = 0;
	if ((p = mib_ax_put_oid(p + 4, end, nbo, name, len)) == NULL)
		return NULL;
	switch (vb->type) {
	case ASN_INTEGER:
	case ASN_COUNTER:
	case ASN_GAUGE:
	case ASN_TIMETICKS:
		if (end - p < 4 || vb->val.integer == NULL)
			return NULL;
		mib_ax_put32(p, (uint32_t)*vb->val.integer, nbo);
		return p + 4;
	case ASN_COUNTER64:
		if (end - p < 8 || vb->val.counter64 == NULL)
			return NULL;
		v = (uint64_t)(vb->val.counter64->high & 0xffffffffU) << 32 |
		    (vb->val.counter64->low & 0xffffffffU);
		mib_ax_put32(p + (nbo ? 0 : 4), (uint32_t)(v >> 32), nbo);
		mib_ax_put32(p + (nbo ? 4 : 0), (uint32_t)v, nbo);
		return p + 8;
	case ASN_OCTET_STR:
	case ASN_IPADDRESS:
	case ASN_OPAQUE:
		pad = (4 - vb->val_len % 4) % 4;
		if (vb->val_len > UINT32_MAX ||
		    (size_t)(end - p) < 4 + vb->val_len + pad ||
		    (vb->val_len > 0 && vb->val.string == NULL))
			return NULL;
		mib_ax_put32(p, (uint32_t)vb->val_len, nbo);
		p += 4;
		if (vb->val_len > 0)
			memcpy(p, vb->val.string, vb->val_len);
		p += vb->val_len;
		memset(p, 0, pad);
		return p + pad;
	case ASN_NULL:
	case SNMP_NOSUCHOBJECT:
	case SNMP_NOSUCHINSTANCE:
	case SNMP_ENDOFMIBVIEW:
		return p;
	default:
		return NULL;
	}
}

/*
 * One AgentX PDU, req (len bytes, header included): a Get or GetNext in
 * the default context is answered into out, as snmp_mib_answer() would
 * (see mib_answer_vb()).  Returns the Response's length, or -1: not ours
 * to answer (as snmp_mib_answer(), a PDU without a SearchRange either),
 * malformed, or too big for out; net-snmp is to have it.
 */
ssize_t
snmp_mib_answer_ax(const uint8_t *req, size_t len, uint8_t *out,
    size_t outsz)
{
	const struct snap	*s;
	const struct mib_ent	*e;
	netsnmp_variable_list	 vb;
	const uint8_t		*p, *end = req + len;
	uint8_t			*o, *oend = out + outsz;
	oid			 start[MIB_AX_OID_MAX], stop[MIB_AX_OID_MAX];
	oid			 name[MIB_OID_MAX];
	size_t			 slen, elen, nlen;
	int			 nbo, next, inc;

	if (len < SNMP_AX_HDR_LEN || outsz < SNMP_AX_HDR_LEN + 8 ||
	    req[0] != MIB_AX_VERSION ||
	    (req[1] != MIB_AX_GET && req[1] != MIB_AX_GETNEXT) ||
	    (req[2] & MIB_AX_NON_DEFAULT_CONTEXT) ||
	    snmp_mib_ax_len(req) != len || len == SNMP_AX_HDR_LEN)
		return -1;
	nbo = req[2] & MIB_AX_NETWORK_BYTE_ORDER;
	next = req[1] == MIB_AX_GETNEXT;
	s = snmp_snap_get();
	mib_index(s);

	/* The header: ours, with the request's session, transaction, id. */
	out[0] = MIB_AX_VERSION;
	out[1] = MIB_AX_RESPONSE;
	out[2] = (uint8_t)nbo;
	out[3] = 0;
	memcpy(out + 4, req + 4, 12);
	/* sysUpTime 0 (as net-snmp's subagent), no error, index 0. */
	memset(out + SNMP_AX_HDR_LEN, 0, 8);
	o = out + SNMP_AX_HDR_LEN + 8;
	for (p = req + SNMP_AX_HDR_LEN; p < end; ) {
		if ((p = mib_ax_oid(p, end, nbo, start, &slen, &inc)) == NULL ||
		    (p = mib_ax_oid(p, end, nbo, stop, &elen, NULL)) == NULL)
			return -1;
		/* The null OID as the range's end: none. */
		if (elen == 2 && stop[0] == 0 && stop[1] == 0)
			elen = 0;
		memset(&vb, 0, sizeof(vb));
		e = NULL;
		if (!next) {
			if (!mib_ours(start, slen))
				return -1;
			if (s == NULL || (e = mib_find(start, slen,
			    MIB_FIND_EQ, name, &nlen)) == NULL)
				vb.type = SNMP_NOSUCHINSTANCE;
		} else {
			e = s == NULL ? NULL : mib_find(start, slen,
			    inc ? MIB_FIND_GE : MIB_FIND_GT, name, &nlen);
			if (e != NULL && elen > 0 &&
			    snmp_oid_compare(name, nlen, stop, elen) >= 0)
				e = NULL;
			if (e == NULL)
				vb.type = SNMP_ENDOFMIBVIEW;
		}
		if (e != NULL) {
			mib_value(e, s, &vb);
			o = mib_ax_put_vb(o, oend, nbo, name, nlen, &vb);
		} else
			o = mib_ax_put_vb(o, oend, nbo, start, slen, &vb);
		snmp_free_var_internals(&vb);
		if (o == NULL)
			return -1;
	}
	mib_ax_put32(out + 16, (uint32_t)(o - out - SNMP_AX_HDR_LEN), nbo);
	return o - out;
}

/*
 * Notifications.
 */

/* Append base.obj.index = value to a varbind list. */
static void
mib_vb(netsnmp_variable_list **vars, const oid *base, size_t blen, int obj,
    const oid *idx, size_t ilen, u_char type, const void *val, size_t vlen)
{
	oid	 name[MIB_OID_MAX];

	if (blen + 1 + ilen > MIB_OID_MAX)
		return;
	memcpy(name, base, blen * sizeof(oid));
	name[blen] = (oid)obj;
	memcpy(name + blen + 1, idx, ilen * sizeof(oid));
	snmp_varlist_add_variable(vars, name, blen + 1 + ilen, type, val,
	    vlen);
}

/*
 * Send one notification: snmpTrapOID.0, its objects (row objects with the
 * row's index, the others with .0), and the event's time.
 */
/*
 * The VHID's number, interface name and first virtual address, as values,
 * for trap handlers that do not parse instance indexes
 * (carpdStateChange, carpdNoMaster).
 */
static void
mib_vb_vhid(netsnmp_variable_list **vars, const struct snmp_event *ev,
    const oid row[2])
{
	static const oid zero[] = { 0 };
	uint8_t		 a[MIB_INET_MAX];
	size_t		 alen;
	size_t		 vl = OID_LENGTH(mib_vhid_oid);
	size_t		 nl = OID_LENGTH(mib_notif_oid);
	long		 v;

	v = ev->vhid;
	mib_vb(vars, mib_notif_oid, nl, CARPD_NO_VHID, zero, 1,
	    ASN_INTEGER, &v, sizeof(v));
	mib_vb(vars, mib_vhid_oid, vl, CARPD_VHID_IFNAME, row, 2,
	    ASN_OCTET_STR, ev->ifname, strnlen(ev->ifname, sizeof(ev->ifname)));
	v = mib_inet(&ev->vip, ev->ifindex, a, &alen);
	mib_vb(vars, mib_notif_oid, nl, CARPD_NO_ADDR_TYPE, zero, 1,
	    ASN_INTEGER, &v, sizeof(v));
	mib_vb(vars, mib_notif_oid, nl, CARPD_NO_ADDR, zero, 1,
	    ASN_OCTET_STR, a, alen);
}

void
snmp_mib_notify(const struct snmp_event *ev)
{
	static const oid zero[] = { 0 };
	netsnmp_variable_list	*vars = NULL;
	oid			 trap[MIB_OID_MAX], row[2];
	uint8_t			 d[11], a[MIB_INET_MAX];
	size_t			 tlen = OID_LENGTH(mib_trap_oid), dlen, alen;
	size_t			 vl = OID_LENGTH(mib_vhid_oid);
	size_t			 nl = OID_LENGTH(mib_notif_oid);
	size_t			 nol = OID_LENGTH(mib_node_oid);
	struct counter64	 c64;
	long			 v;

	if (ev->type == SNMP_EV_VRRP_NEW_MASTER ||
	    ev->type == SNMP_EV_VRRP_PROTO_ERROR) {
		mib_vr_notify(ev);
		return;
	}
	memcpy(trap, mib_trap_oid, sizeof(mib_trap_oid));
	switch (ev->type) {
	case SNMP_EV_STATE:
		trap[tlen] = CARPD_TRAP_STATE;
		break;
	case SNMP_EV_DEMOTION:
		trap[tlen] = CARPD_TRAP_DEMOTION;
		break;
	case SNMP_EV_PROTO_ERROR:
		trap[tlen] = CARPD_TRAP_PROTO_ERROR;
		break;
	case SNMP_EV_ADMIN:
		trap[tlen] = CARPD_TRAP_ADMIN;
		break;
	case SNMP_EV_SUMMARY:
		trap[tlen] = CARPD_TRAP_SUMMARY;
		break;
	case SNMP_EV_LEDGER:
		trap[tlen] = CARPD_TRAP_LEDGER;
		break;
	case SNMP_EV_NO_MASTER:
		trap[tlen] = CARPD_TRAP_NO_MASTER;
		break;
	default:
		return;
	}
	snmp_varlist_add_variable(&vars, mib_snmptrap_oid,
	    OID_LENGTH(mib_snmptrap_oid), ASN_OBJECT_ID, (u_char *)trap,
	    (tlen + 1) * sizeof(oid));
	row[0] = ev->ifindex;
	row[1] = ev->vhid;
	switch (ev->type) {
	case SNMP_EV_STATE:
		v = (long)ev->to + 1;
		mib_vb(&vars, mib_vhid_oid, vl, CARPD_VHID_STATE, row, 2,
		    ASN_INTEGER, &v, sizeof(v));
		v = (long)ev->from + 1;
		mib_vb(&vars, mib_vhid_oid, vl, CARPD_VHID_PREV_STATE, row, 2,
		    ASN_INTEGER, &v, sizeof(v));
		v = (long)ev->reason + 1;
		mib_vb(&vars, mib_vhid_oid, vl, CARPD_VHID_LAST_REASON, row, 2,
		    ASN_INTEGER, &v, sizeof(v));
		v = mib_inet(&ev->addr, ev->ifindex, a, &alen);
		mib_vb(&vars, mib_vhid_oid, vl, CARPD_VHID_MASTER_TYPE, row, 2,
		    ASN_INTEGER, &v, sizeof(v));
		mib_vb(&vars, mib_vhid_oid, vl, CARPD_VHID_MASTER, row, 2,
		    ASN_OCTET_STR, a, alen);
		mib_vb_vhid(&vars, ev, row);
		break;
	case SNMP_EV_SUMMARY:
		v = (long)ev->moved[CARP_ST_MASTER];
		mib_vb(&vars, mib_notif_oid, nl, CARPD_NO_TO_MASTER, zero, 1,
		    ASN_GAUGE, &v, sizeof(v));
		v = (long)ev->moved[CARP_ST_BACKUP];
		mib_vb(&vars, mib_notif_oid, nl, CARPD_NO_TO_BACKUP, zero, 1,
		    ASN_GAUGE, &v, sizeof(v));
		v = (long)ev->moved[CARP_ST_INIT];
		mib_vb(&vars, mib_notif_oid, nl, CARPD_NO_TO_INIT, zero, 1,
		    ASN_GAUGE, &v, sizeof(v));
		c64.high = (u_long)(ev->folded >> 32);
		c64.low = (u_long)(ev->folded & 0xffffffffU);
		mib_vb(&vars, mib_stats_oid, OID_LENGTH(mib_stats_oid),
		    CARPD_ST_NOTIF_FOLDED, zero, 1, ASN_COUNTER64, &c64,
		    sizeof(c64));
		break;
	case SNMP_EV_DEMOTION:
		v = ev->value;
		mib_vb(&vars, mib_node_oid, nol, CARPD_NODE_DEMOTION, zero, 1,
		    ASN_INTEGER, &v, sizeof(v));
		mib_vb(&vars, mib_notif_oid, nl, CARPD_NO_DEMOTION_REASON,
		    zero, 1, ASN_OCTET_STR, ev->text, strlen(ev->text));
		break;
	case SNMP_EV_PROTO_ERROR:
		v = ev->ifindex;
		mib_vb(&vars, mib_notif_oid, nl, CARPD_NO_IFINDEX, zero, 1,
		    ASN_INTEGER, &v, sizeof(v));
		v = ev->vhid;
		mib_vb(&vars, mib_notif_oid, nl, CARPD_NO_VHID, zero, 1,
		    ASN_INTEGER, &v, sizeof(v));
		v = (long)ev->drop + 1;
		mib_vb(&vars, mib_notif_oid, nl, CARPD_NO_DROP_REASON, zero, 1,
		    ASN_INTEGER, &v, sizeof(v));
		v = mib_inet(&ev->addr, ev->ifindex, a, &alen);
		mib_vb(&vars, mib_notif_oid, nl, CARPD_NO_SRC_TYPE, zero, 1,
		    ASN_INTEGER, &v, sizeof(v));
		mib_vb(&vars, mib_notif_oid, nl, CARPD_NO_SRC, zero, 1,
		    ASN_OCTET_STR, a, alen);
		v = (long)ev->suppressed;
		mib_vb(&vars, mib_notif_oid, nl, CARPD_NO_SUPPRESSED, zero, 1,
		    ASN_GAUGE, &v, sizeof(v));
		break;
	case SNMP_EV_ADMIN:
		v = ev->action + 1;
		mib_vb(&vars, mib_notif_oid, nl, CARPD_NO_ADMIN_ACTION, zero, 1,
		    ASN_INTEGER, &v, sizeof(v));
		mib_vb(&vars, mib_notif_oid, nl, CARPD_NO_ORIGIN, zero, 1,
		    ASN_OCTET_STR, ev->origin, strlen(ev->origin));
		mib_vb(&vars, mib_notif_oid, nl, CARPD_NO_REASON, zero, 1,
		    ASN_OCTET_STR, ev->text, strlen(ev->text));
		v = ev->ifindex;
		mib_vb(&vars, mib_notif_oid, nl, CARPD_NO_IFINDEX, zero, 1,
		    ASN_INTEGER, &v, sizeof(v));
		v = ev->vhid;
		mib_vb(&vars, mib_notif_oid, nl, CARPD_NO_VHID, zero, 1,
		    ASN_INTEGER, &v, sizeof(v));
		v = ev->value;
		mib_vb(&vars, mib_notif_oid, nl, CARPD_NO_VALUE, zero, 1,
		    ASN_INTEGER, &v, sizeof(v));
		break;
	case SNMP_EV_LEDGER:
		mib_vb(&vars, mib_notif_oid, nl, CARPD_NO_LEDGER_NAME, zero, 1,
		    ASN_OCTET_STR, ev->name, strnlen(ev->name,
		    sizeof(ev->name)));
		v = ev->source + 1;
		mib_vb(&vars, mib_notif_oid, nl, CARPD_NO_LEDGER_SOURCE, zero,
		    1, ASN_INTEGER, &v, sizeof(v));
		v = ev->value;
		mib_vb(&vars, mib_notif_oid, nl, CARPD_NO_LEDGER_WEIGHT, zero,
		    1, ASN_INTEGER, &v, sizeof(v));
		v = ev->change + 1;
		mib_vb(&vars, mib_notif_oid, nl, CARPD_NO_LEDGER_CHANGE, zero,
		    1, ASN_INTEGER, &v, sizeof(v));
		mib_vb(&vars, mib_notif_oid, nl, CARPD_NO_LEDGER_REASON, zero,
		    1, ASN_OCTET_STR, ev->text, strlen(ev->text));
		mib_vb(&vars, mib_notif_oid, nl, CARPD_NO_LEDGER_ORIGIN, zero,
		    1, ASN_OCTET_STR, ev->who, strnlen(ev->who,
		    sizeof(ev->who)));
		v = ev->total;
		mib_vb(&vars, mib_node_oid, nol, CARPD_NODE_DEMOTION, zero, 1,
		    ASN_INTEGER, &v, sizeof(v));
		break;
	case SNMP_EV_NO_MASTER:
		v = ev->value ? MIB_TRUE : MIB_FALSE;
		mib_vb(&vars, mib_vhid_oid, vl, CARPD_VHID_NO_MASTER, row, 2,
		    ASN_INTEGER, &v, sizeof(v));
		mib_vb_vhid(&vars, ev, row);
		mib_vb(&vars, mib_notif_oid, nl, CARPD_NO_HOLD, zero, 1,
		    ASN_OCTET_STR, ev->text, strlen(ev->text));
		v = (long)ev->silent_ms;
		mib_vb(&vars, mib_notif_oid, nl, CARPD_NO_SILENT_TIME, zero, 1,
		    ASN_GAUGE, &v, sizeof(v));
		break;
	case SNMP_EV_VRRP_NEW_MASTER:
	case SNMP_EV_VRRP_PROTO_ERROR:
		break;		/* mib_vr_notify() */
	}
	dlen = mib_date(ev->wall_us, d);
	mib_vb(&vars, mib_notif_oid, nl, CARPD_NO_EVENT_TIME, zero, 1,
	    ASN_OCTET_STR, d, dlen);
	send_v2trap(vars);
	snmp_free_varbind(vars);
}

/*
 * VRRPV3-MIB (RFC 6527), read-only, for the VRRPv3 VHIDs (vrrpview).
 * One operations row (and its statistics row, which AUGMENTS it) per
 * VHID and address family it has addresses of: a dual-stack VHID is two
 * rows that share its one state, priority and counters, as FreeBSD runs
 * it.  What each column shows: docs/protocol.md, decision 18.
 */

/* An OID a Get may ask here: under carpdObjects or vrrpv3Objects. */
static bool
mib_ours(const oid *name, size_t len)
{
	size_t	 ol = OID_LENGTH(mib_objects_oid);
	size_t	 vl = OID_LENGTH(mib_vr_objects_oid);

	return (len >= ol && snmp_oid_compare(name, ol, mib_objects_oid,
	    ol) == 0) || (len >= vl && snmp_oid_compare(name, vl,
	    mib_vr_objects_oid, vl) == 0);
}

/* A VRRPv3 VHID with addresses of InetAddressType type (1 or 2). */
static bool
mib_vr_has(const struct carp_vhid_conf *c, int type)
{
	size_t	 i;
	int	 af = type == MIB_INET_IPV4 ? AF_INET : AF_INET6;

	if (c->proto != CARP_PROTO_VRRP3)
		return false;
	for (i = 0; i < c->naddrs; i++)
		if (c->addrs[i].family == af)
			return true;
	return false;
}

/* VRRPV3-MIB's instances, in OID order, before carpdObjects'. */
static void
mib_vr_index(const struct snap *s)
{
	size_t		 r, i, first;
	int		 col, type;

	for (col = VRRPV3_OPER_MASTER; col < VRRPV3_OPER_MAX; col++)
		for (r = 0; r < s->nvhids; r++)
			for (type = MIB_INET_IPV4; type <= MIB_INET_IPV6;
			    type++)
				if (mib_vr_has(&s->vhids[r].info.conf, type))
					mib_add(MIB_SUB_VR_OPER, col, r,
					    (size_t)type);
	for (r = 0; r < s->nvhids; r++) {
		const struct carp_vhid_conf *c = &s->vhids[r].info.conf;

		if (c->proto != CARP_PROTO_VRRP3)
			continue;
		first = mib.n;
		for (i = 0; i < c->naddrs; i++) {
			if (c->addrs[i].family != AF_INET &&
			    c->addrs[i].family != AF_INET6)
				continue;
			mib_add(MIB_SUB_VR_ASSOC, VRRPV3_ASSOC_ROW_STATUS, r,
			    i);
			mib_sink(first);
		}
	}
	for (col = 1; col < VRRPV3_RT_MAX; col++)
		mib_add(MIB_SUB_VR_ROUTER, col, 0, 0);
	for (col = 1; col < VRRPV3_ST_MAX; col++)
		for (r = 0; r < s->nvhids; r++)
			for (type = MIB_INET_IPV4; type <= MIB_INET_IPV6;
			    type++)
				if (mib_vr_has(&s->vhids[r].info.conf, type))
					mib_add(MIB_SUB_VR_STATS, col, r,
					    (size_t)type);
}

/*
 * An instance's OID: entry.column.ifIndex.VrId.InetAddrType, the
 * associated address's with its length and octets after (an IPv6
 * link-local address as ipv6(2), 16 octets: SIZE (0|4|16)).
 */
static size_t
mib_vr_name(const struct mib_ent *e, oid *name)
{
	const struct carp_vhid_conf	*c;
	const struct carp_addr		*a;
	const uint8_t			*p;
	size_t				 len, k, alen;

	c = &mib.snap->vhids[e->row].info.conf;
	switch (e->sub) {
	case MIB_SUB_VR_ROUTER:
		memcpy(name, mib_vr_stats_oid, sizeof(mib_vr_stats_oid));
		len = OID_LENGTH(mib_vr_stats_oid);
		name[len++] = e->obj;
		name[len++] = 0;
		return len;
	case MIB_SUB_VR_OPER:
		memcpy(name, mib_vr_oper_oid, sizeof(mib_vr_oper_oid));
		len = OID_LENGTH(mib_vr_oper_oid);
		break;
	case MIB_SUB_VR_STATS:
		memcpy(name, mib_vr_sentry_oid, sizeof(mib_vr_sentry_oid));
		len = OID_LENGTH(mib_vr_sentry_oid);
		break;
	default:
		memcpy(name, mib_vr_assoc_oid, sizeof(mib_vr_assoc_oid));
		len = OID_LENGTH(mib_vr_assoc_oid);
		a = &c->addrs[e->addr];
		alen = a->family == AF_INET6 ? 16 : 4;
		p = (const uint8_t *)&a->a;
		name[len++] = e->obj;
		name[len++] = c->ifindex;
		name[len++] = c->vhid;
		name[len++] = a->family == AF_INET6 ? MIB_INET_IPV6 :
		    MIB_INET_IPV4;
		name[len++] = alen;
		for (k = 0; k < alen; k++)
			name[len++] = p[k];
		return len;
	}
	name[len++] = e->obj;
	name[len++] = c->ifindex;
	name[len++] = c->vhid;
	name[len++] = e->addr;
	return len;
}

/*
 * The master of a row's family: our own advert source while MASTER,
 * the last advert's source while BACKUP if it is of that family; none
 * (zero octets) otherwise.
 */
static void
mib_vr_master(const struct snap_vhid *r, int af, uint8_t *buf, size_t *len)
{
	const struct carp_addr	*a = NULL;

	if (r->info.state == CARP_ST_MASTER)
		a = af == AF_INET ? &r->self4 : &r->self6;
	else if (r->info.state == CARP_ST_BACKUP)
		a = &r->info.master_af[af == AF_INET6];
	*len = 0;
	if (a == NULL || a->family != af)
		return;
	*len = af == AF_INET ? 4 : 16;
	memcpy(buf, &a->a, *len);
}

static void
mib_vr_value(const struct mib_ent *e, const struct snap *s,
    netsnmp_variable_list *vb)
{
	const struct snap_vhid		*r = &s->vhids[e->row];
	const struct carp_vhid_info	*vi = &r->info;
	const struct carp_addr		*self;
	uint8_t				 buf[MIB_INET_MAX];
	size_t				 len = 0, i;
	int				 af = e->addr == MIB_INET_IPV6 ?
					    AF_INET6 : AF_INET;
	uint64_t			 v = 0;
	struct timespec			 ts;
	uint64_t			 now;

	if (e->sub == MIB_SUB_VR_ROUTER) {
		switch (e->obj) {
		case VRRPV3_RT_CHECKSUM_ERRORS:
			mib_set_c64(vb, s->node.vrrp_drops[CARP_DROP_BADSUM]);
			return;
		case VRRPV3_RT_VERSION_ERRORS:
			mib_set_c64(vb, s->node.vrrp_drops[CARP_DROP_BADVER]);
			return;
		case VRRPV3_RT_VRID_ERRORS:
			mib_set_c64(vb,
			    s->node.vrrp_drops[CARP_DROP_BADVHID]);
			return;
		default:
			/* The node's counters start with the subagent. */
			mib_set_int(vb, ASN_TIMETICKS, 0);
			return;
		}
	}
	if (e->sub == MIB_SUB_VR_ASSOC) {
		mib_set_int(vb, ASN_INTEGER, MIB_ROW_ACTIVE);
		return;
	}
	if (e->sub == MIB_SUB_VR_OPER) {
		switch (e->obj) {
		case VRRPV3_OPER_MASTER:
			mib_vr_master(r, af, buf, &len);
			snmp_set_var_typed_value(vb, ASN_OCTET_STR, buf, len);
			return;
		case VRRPV3_OPER_PRIMARY:
			self = af == AF_INET ? &r->self4 : &r->self6;
			if (self->family == af) {
				len = af == AF_INET ? 4 : 16;
				memcpy(buf, &self->a, len);
			}
			snmp_set_var_typed_value(vb, ASN_OCTET_STR, buf, len);
			return;
		case VRRPV3_OPER_VMAC:
			/* RFC 5798 7.3: 00-00-5E-00-01 (IPv4), -02 (IPv6). */
			buf[0] = 0x00;
			buf[1] = 0x00;
			buf[2] = 0x5e;
			buf[3] = 0x00;
			buf[4] = af == AF_INET ? 0x01 : 0x02;
			buf[5] = vi->conf.vhid;
			snmp_set_var_typed_value(vb, ASN_OCTET_STR, buf, 6);
			return;
		case VRRPV3_OPER_STATUS:
			mib_set_int(vb, ASN_INTEGER, (long)vi->state + 1);
			return;
		case VRRPV3_OPER_PRIORITY:
			mib_set_int(vb, ASN_UNSIGNED, vi->eff_prio);
			return;
		case VRRPV3_OPER_ADDR_COUNT:
			for (i = 0; i < vi->conf.naddrs; i++)
				if (vi->conf.addrs[i].family == af)
					v++;
			mib_set_int(vb, ASN_INTEGER, (long)v);
			return;
		case VRRPV3_OPER_ADV_INTERVAL:
			mib_set_int(vb, ASN_INTEGER, vi->conf.vrrp_interval);
			return;
		case VRRPV3_OPER_PREEMPT:
			mib_set_int(vb, ASN_INTEGER, s->node.conf.preempt ?
			    MIB_TRUE : MIB_FALSE);
			return;
		case VRRPV3_OPER_ACCEPT:
			mib_set_int(vb, ASN_INTEGER, vi->conf.vrrp_noaccept ?
			    MIB_FALSE : MIB_TRUE);
			return;
		case VRRPV3_OPER_UPTIME:
			/* Since it left initialize, in hundredths. */
			if (vi->run_since_mono_us != 0) {
				clock_gettime(CLOCK_MONOTONIC, &ts);
				now = (uint64_t)ts.tv_sec * 1000000 +
				    (uint64_t)ts.tv_nsec / 1000;
				if (now > vi->run_since_mono_us)
					v = (now - vi->run_since_mono_us) /
					    10000;
			}
			mib_set_int(vb, ASN_TIMETICKS,
			    (long)(v & 0xffffffffU));
			return;
		default:
			mib_set_int(vb, ASN_INTEGER, MIB_ROW_ACTIVE);
			return;
		}
	}
	switch (e->obj) {
	case VRRPV3_ST_MASTER_TRANSITIONS:
		mib_set_int(vb, ASN_COUNTER,
		    (long)(vi->transitions[CARP_ST_MASTER] & 0xffffffffU));
		return;
	case VRRPV3_ST_NEW_MASTER_REASON:
		mib_set_int(vb, ASN_INTEGER,
		    snap_vrrp_master_reason(vi->master_reason));
		return;
	case VRRPV3_ST_PROTO_ERR_REASON:
		mib_set_int(vb, ASN_INTEGER,
		    snap_vrrp_proto_err(vi->last_drop));
		return;
	case VRRPV3_ST_DISC_TIME:
		mib_set_int(vb, ASN_TIMETICKS,
		    mib_timestamp(s->disc_mono_us));
		return;
	case VRRPV3_ST_REFRESH_RATE:
		mib_set_int(vb, ASN_UNSIGNED, MIB_VR_REFRESH_MS);
		return;
	case VRRPV3_ST_RCVD_ADVERTS:
		v = vi->adverts_received;
		break;
	case VRRPV3_ST_INTERVAL_ERRORS:
		v = vi->vrrp_interval_errors;
		break;
	case VRRPV3_ST_TTL_ERRORS:
		v = vi->drops[CARP_DROP_BADTTL];
		break;
	case VRRPV3_ST_RCVD_PRIO0:
		v = vi->vrrp_rx_prio0;
		break;
	case VRRPV3_ST_SENT_PRIO0:
		v = vi->vrrp_tx_prio0;
		break;
	case VRRPV3_ST_INVALID_TYPE:
		v = vi->vrrp_type_errors;
		break;
	case VRRPV3_ST_ADDR_LIST_ERRORS:
		v = vi->vrrp_addr_errors;
		break;
	case VRRPV3_ST_LENGTH_ERRORS:
		v = vi->drops[CARP_DROP_BADLEN];
		break;
	}
	mib_set_c64(vb, v);
}

/*
 * vrrpv3NewMaster {vrrpv3OperationsMasterIpAddr,
 * vrrpv3StatisticsNewMasterReason} and vrrpv3ProtoError
 * {vrrpv3StatisticsProtoErrReason}, indexed by the VHID's interface,
 * VRID and the family of the address the event names.
 */
static void
mib_vr_notify(const struct snmp_event *ev)
{
	netsnmp_variable_list	*vars = NULL;
	oid			 trap[MIB_OID_MAX], row[3];
	uint8_t			 a[MIB_INET_MAX];
	size_t			 tlen = OID_LENGTH(mib_vr_trap_oid);
	size_t			 alen = 0;
	size_t			 ol = OID_LENGTH(mib_vr_oper_oid);
	size_t			 sl = OID_LENGTH(mib_vr_sentry_oid);
	long			 v;

	memcpy(trap, mib_vr_trap_oid, sizeof(mib_vr_trap_oid));
	trap[tlen] = ev->type == SNMP_EV_VRRP_NEW_MASTER ?
	    VRRPV3_TRAP_NEW_MASTER : VRRPV3_TRAP_PROTO_ERROR;
	snmp_varlist_add_variable(&vars, mib_snmptrap_oid,
	    OID_LENGTH(mib_snmptrap_oid), ASN_OBJECT_ID, (u_char *)trap,
	    (tlen + 1) * sizeof(oid));
	row[0] = ev->ifindex;
	row[1] = ev->vhid;
	row[2] = ev->addr.family == AF_INET6 ? MIB_INET_IPV6 : MIB_INET_IPV4;
	if (ev->type == SNMP_EV_VRRP_NEW_MASTER) {
		if (ev->addr.family == AF_INET || ev->addr.family == AF_INET6) {
			alen = ev->addr.family == AF_INET ? 4 : 16;
			memcpy(a, &ev->addr.a, alen);
		}
		mib_vb(&vars, mib_vr_oper_oid, ol, VRRPV3_OPER_MASTER, row, 3,
		    ASN_OCTET_STR, a, alen);
		v = snap_vrrp_master_reason(ev->reason);
		mib_vb(&vars, mib_vr_sentry_oid, sl,
		    VRRPV3_ST_NEW_MASTER_REASON, row, 3, ASN_INTEGER, &v,
		    sizeof(v));
	} else {
		v = snap_vrrp_proto_err(ev->drop);
		mib_vb(&vars, mib_vr_sentry_oid, sl,
		    VRRPV3_ST_PROTO_ERR_REASON, row, 3, ASN_INTEGER, &v,
		    sizeof(v));
	}
	send_v2trap(vars);
	snmp_free_varbind(vars);
}
