/*
 * carp.h: the CARP version 2 protocol engine, as FreeBSD's kernel speaks it.
 *
 * The engine is pure code.  It opens no socket, reads no clock and knows
 * nothing of libevent.  A host program (carpd, the unit tests, the fuzzers)
 * drives it with events and receives actions:
 *
 *   events in:   carp_input()        a received advertisement
 *                carp_vhid_timeout() the VHID's one timer fired
 *                carp_link_change()  an interface went up or down
 *                carp_vhid_demote(), carp_vhid_promote(), carp_maintenance(),
 *                carp_demotion_set(), carp_demotion_adjust(), carp_shutdown()
 *                                    administrative requests
 *                carp_vhid_add(), carp_vhid_update(), carp_vhid_remove(),
 *                carp_node_configure()  configuration
 *
 *   actions out: through the host's emit() callback, in the order they must
 *                happen (see enum carp_action_type).
 *
 * Every event takes the current time as a struct carp_time: a monotonic
 * clock in microseconds, used for all timing, and the wall clock, used only
 * for reporting when a transition happened.  Every timer the engine wants is
 * an absolute monotonic deadline.
 *
 * Nothing on the packet path (carp_input, carp_vhid_timeout) allocates.
 */
#ifndef CARP_H
#define CARP_H

#include <sys/types.h>
#include <netinet/in.h>
#include <net/if.h>

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define CARP_VERSION		2
#define CARP_ADVERTISEMENT	1
#define CARP_HDR_LEN		36	/* the whole advertisement payload */
#define CARP_DIGEST_LEN		20	/* HMAC-SHA1 */
#define CARP_KEY_MAX		19	/* ifconfig keeps 19 bytes + NUL */
#define CARP_MAXVHID		255
#define CARP_MAXSKEW		240	/* demoted advskew is clamped here */
#define CARP_MAXADVSKEW		254	/* configurable advskew */
/*
 * The administrative demotion, wherever it is set (net.inet.carp.demotion,
 * an action, the state file), lies within +-CARP_DEMOTION_MAX; what an
 * advert carries is clamped to CARP_MAXSKEW anyway.
 */
#define CARP_DEMOTION_MAX	1000000
#define CARP_DFLTTL		255
#define CARP_PROTO		112	/* IPPROTO_CARP, VRRP's number too */
#define CARP_BOWOUT_ADVBASE	255	/* OpenBSD-style bow-out advertisement */
#define CARP_BOWOUT_ADVSKEW	255
/*
 * Addresses per VHID (FreeBSD has no limit).  128 is four times the old
 * limit and far above real alias sets; the list is inline in struct
 * carp_vhid_conf, which hosts and readers copy by value, so each address
 * of the limit costs 20 bytes per copy (docs/protocol.md, decision 16).
 */
#define CARP_MAX_ADDRS		128
#define CARP_SENDAD_MAX_ERRORS	3	/* errors before send-error demotion */
#define CARP_SENDAD_MIN_SUCCESS	3	/* successes before it is lifted */
#define CARP_DELAYED_ARP	2	/* adverts before the repeated GARP */
/*
 * A VIP's lease: 3 x advbase - 1 s, renewed with every advert.  The
 * kernel removes an expired address late by up to a second (its lifetime
 * check runs at most once a second), so a dead master's VIP is gone
 * before 3 x advbase, the earliest master-down deadline of any backup.
 */
#define CARP_HOLD_S(advbase)	(3U * (unsigned int)(advbase) - 1U)
#define CARP_DFLT_FACTOR	240	/* ifdown and send-error factors */
#define CARP_DFLT_DSCP		56
#define CARP_REASON_LEN		128	/* admin reasons, including NUL */

/* IPv4 224.0.0.18 and IPv6 ff02::12, the advertisement groups. */
#define CARP_GROUP4		0xe0000012U

/* States, with FreeBSD's numbers (carp_vhid_state in the MIB adds 1). */
enum carp_state {
	CARP_ST_INIT = 0,
	CARP_ST_BACKUP,
	CARP_ST_MASTER,
	CARP_ST_MAX
};

/*
 * Why a received packet was dropped.  The order is the order of the checks
 * in carp_input(); each reason has a node counter and a per-VHID counter
 * (the per-VHID one only once the VHID is known).
 */
enum carp_drop {
	CARP_DROP_NONE = 0,	/* accepted */
	CARP_DROP_DISABLED,	/* net.inet.carp.allow=0: dropped silently */
	CARP_DROP_BADLEN,	/* payload is not 36 bytes */
	CARP_DROP_BADVER,	/* version is not 2 */
	CARP_DROP_BADSUM,	/* checksum */
	CARP_DROP_BADIF,	/* no CARP on that interface, or our own packet */
	CARP_DROP_BADVHID,	/* no such VHID with an address of that family */
	CARP_DROP_BADTTL,	/* TTL or hop limit not 255 (multicast only) */
	CARP_DROP_BADAUTH,	/* HMAC */
	CARP_DROP_MAX
};

/*
 * Why a VHID changed state.  The first eight are FreeBSD's own words; the
 * rest are carpd's administrative reasons.
 */
enum carp_reason {
	CARP_RS_NONE = 0,
	CARP_RS_INIT_COMPLETE,		/* "initialization complete" */
	CARP_RS_MORE_FREQUENT,		/* "more frequent advertisement received" */
	CARP_RS_PREEMPT,		/* "preempting a slower master" */
	CARP_RS_MASTER_WILL_TIME_OUT,	/* "master will time out" */
	CARP_RS_MASTER_TIMED_OUT,	/* "master timed out" */
	CARP_RS_IF_DOWN,		/* "hardware interface down" */
	CARP_RS_IF_UP,			/* "hardware interface up" */
	CARP_RS_USER,			/* "user requested via ifconfig" */
	CARP_RS_ADMIN_DEMOTE,		/* "demoted by administrator" */
	CARP_RS_MAINTENANCE,		/* "maintenance mode" */
	CARP_RS_SHUTDOWN,		/* "shutting down" */
	CARP_RS_ADDR_CHANGE,		/* "address list changed" */
	CARP_RS_DISABLED,		/* "carp disabled" (allow=0) */
	CARP_RS_REMOVED,		/* "vhid removed" */
	CARP_RS_MAX
};

/* Names for the enums above: logs, metrics labels, JSON and the MIB. */
extern const char *const carp_state_names[CARP_ST_MAX];	/* "INIT" ... */
extern const char *const carp_state_lnames[CARP_ST_MAX];	/* "init" ... */
extern const char *const carp_drop_names[CARP_DROP_MAX];	/* "bad_length" ... */
extern const char *const carp_reason_names[CARP_RS_MAX];	/* FreeBSD's words */

/* An address of either family, with the prefix length it is configured with. */
struct carp_addr {
	sa_family_t		 family;	/* AF_INET, AF_INET6, or 0: none */
	uint8_t			 prefixlen;
	union {
		struct in_addr	 v4;
		struct in6_addr	 v6;
	}			 a;
};

/* The current time, as the host reads it. */
struct carp_time {
	uint64_t		 mono_us;	/* monotonic, for every timer */
	int64_t			 wall_us;	/* realtime, for reports only */
};

/*
 * The protocol a VHID speaks, chosen when it is added (FreeBSD's carpver,
 * which cannot be changed on a live VHID either).
 */
enum carp_proto {
	CARP_PROTO_CARP = 0,		/* CARP version 2, the default */
	CARP_PROTO_VRRP3,		/* VRRPv3, RFC 5798 (carpver 3) */
};

/* Node-wide settings: FreeBSD's net.inet.carp sysctls. */
struct carp_node_conf {
	bool			 allow;		/* net.inet.carp.allow (1) */
	bool			 preempt;	/* net.inet.carp.preempt (0) */
	int			 demotion;	/* starting demotion (0) */
	int			 ifdown_factor;	/* ifdown_demotion_factor (240) */
	int			 senderr_factor; /* senderr_demotion_factor (240) */
};

/* One VHID's configuration. */
struct carp_vhid_conf {
	uint8_t			 vhid;		/* 1..255 */
	unsigned int		 ifindex;
	char			 ifname[IF_NAMESIZE];
	uint8_t			 advbase;	/* 1..255 seconds */
	uint8_t			 advskew;	/* 0..254, 1/256 s */
	uint8_t			 key[CARP_KEY_MAX];
	size_t			 keylen;	/* 0..19; longer keys are cut */
	struct carp_addr	 addrs[CARP_MAX_ADDRS];
	size_t			 naddrs;
	struct carp_addr	 peer4;		/* unicast IPv4 peer, or none */
	struct carp_addr	 peer6;		/* unicast IPv6 peer, or none */
	/*
	 * VRRPv3 mode (docs/protocol.md, decision 18): FreeBSD's carpver 3,
	 * vrrpprio and vrrpinterval.  advbase, advskew, the key and the
	 * peers are then ignored, as FreeBSD ignores them.
	 */
	enum carp_proto		 proto;
	uint8_t			 vrrp_prio;	/* 1..255, 255: address owner */
	uint16_t		 vrrp_interval;	/* 1..4095 centiseconds */
	/*
	 * RFC 5798 Accept_Mode False: the host drops traffic to the
	 * addresses while MASTER unless it owns them (priority 255).  The
	 * default (false) accepts it, as FreeBSD, which has no such switch.
	 * The engine only carries it; the host enforces it.
	 */
	bool			 vrrp_noaccept;
};

/* FreeBSD's struct carpstats, for the node. */
struct carp_stats {
	uint64_t		 ipackets;	/* IPv4 adverts received */
	uint64_t		 ipackets6;	/* IPv6 adverts received */
	uint64_t		 badif;
	uint64_t		 badttl;
	uint64_t		 hdrops;	/* shorter than the header */
	uint64_t		 badsum;
	uint64_t		 badver;
	uint64_t		 badlen;
	uint64_t		 badauth;
	uint64_t		 badvhid;
	uint64_t		 badaddrs;
	uint64_t		 opackets;
	uint64_t		 opackets6;
	uint64_t		 onomem;	/* sends that failed */
	uint64_t		 ostates;
	uint64_t		 preempt;	/* transitions to MASTER */
};

/*
 * What a BACKUP last heard from the current master, one record per
 * address family (index 0 IPv4, 1 IPv6): the fields of its last accepted
 * advert and when it came.  Cleared on every change of state; a MASTER
 * keeps none (it is the master).
 */
struct carp_heard {
	struct carp_addr	 src;		/* family 0: nothing heard */
	uint8_t			 advbase;	/* CARP; 255 with advskew 255: bow-out */
	uint8_t			 advskew;	/* CARP: as advertised (demoted) */
	/*
	 * CARP byte 4: OpenBSD's carp_demote, the sender's demotion
	 * counter; FreeBSD and carpd send 0.
	 */
	uint8_t			 demote;
	uint8_t			 prio;		/* VRRPv3: as advertised */
	uint16_t		 interval;	/* VRRPv3: centiseconds */
	uint64_t		 at_us;		/* monotonic time of the advert */
};

/*
 * Why an advert of one of our VHIDs failed its HMAC (docs/protocol.md,
 * decision 22).  On such a failure the engine tries our own key over
 * parts of our own address list: only the IPv4 addresses, only the IPv6
 * ones, the list without each single address.  If one of them verifies,
 * the peer's list lacks what was left out; if none does, the password
 * differs, or the lists differ in a way the HMAC cannot tell (an address
 * the peer has and we lack is hashed, never sent).  Computed only on a
 * failure, at most once per CARP_DIAG_EVERY_US per VHID and family of
 * the advert (a dual-stack peer sends from two sources), and within
 * CARP_DIAG_BUDGET HMAC computations per second for the node.
 */
#define CARP_DIAG_LEN		160	/* the text, including NUL */
#define CARP_DIAG_EVERY_US	1000000	/* per VHID */
#define CARP_DIAG_BUDGET	(2 * (CARP_MAX_ADDRS + 2)) /* HMACs a second */

enum carp_diag_kind {
	CARP_DIAG_NONE = 0,	/* no failure diagnosed yet */
	CARP_DIAG_UNKNOWN,	/* "password or address list differ" */
	CARP_DIAG_LACKS,	/* the peer lacks one address: diag.lacks */
	CARP_DIAG_ONLY4,	/* the peer has only our IPv4 addresses */
	CARP_DIAG_ONLY6,	/* the peer has only our IPv6 addresses */
	CARP_DIAG_MAX
};

/* Names for the kinds: metrics labels and JSON ("unknown", "lacks" ...). */
extern const char *const carp_diag_names[CARP_DIAG_MAX];

struct carp_diag {
	enum carp_diag_kind	 kind;
	struct carp_addr	 src;		/* the failing advert's source */
	struct carp_addr	 lacks;		/* CARP_DIAG_LACKS */
	size_t			 nlacks;	/* addresses the peer lacks */
	unsigned int		 hmacs;		/* HMACs it took */
	uint64_t		 at_mono_us;	/* when; 0: never */
	int64_t			 at_wall_us;
	char			 text[CARP_DIAG_LEN];	/* no key, ever */
};

/*
 * A VHID's state and counters, copied out by carp_vhid_info(): the
 * configuration without the password (conf.key is zeroed; conf.keylen
 * still tells whether there is one).
 */
struct carp_vhid_info {
	struct carp_vhid_conf	 conf;
	enum carp_state		 state;
	uint8_t			 eff_advskew;	/* advertised: clamp(skew+demotion) */
	uint8_t			 eff_prio;	/* VRRPv3: advertised priority */
	uint16_t		 master_interval; /* VRRPv3: Master_Adver_Interval */
	bool			 admin_demoted;
	char			 admin_reason[CARP_REASON_LEN];
	bool			 link_up;
	/* The engine's automatic demotion this VHID adds now (the ledger). */
	int			 ifdown_applied;
	int			 senderr_applied;
	/*
	 * The current master's advert source while BACKUP; family 0 while
	 * MASTER (the host knows its own source) or INIT.
	 */
	struct carp_addr	 master;
	uint64_t		 counter;	/* last counter sent or adopted */
	uint64_t		 adverts_sent;
	uint64_t		 adverts_received;	/* valid ones */
	uint64_t		 send_errors;
	uint64_t		 transitions[CARP_ST_MAX];	/* into each state */
	uint64_t		 drops[CARP_DROP_MAX];
	enum carp_reason	 last_reason;
	enum carp_state		 prev_state;	/* before the last change */
	uint64_t		 last_change_mono_us;	/* 0: never */
	int64_t			 last_change_wall_us;
	uint64_t		 timer_at_us;	/* armed deadline, 0: none */
	/* The current master as heard, per family (struct carp_heard). */
	struct carp_heard	 heard[2];
	/*
	 * How long a BACKUP waits for the master before it takes over:
	 * 3 x advbase + advskew/256 (CARP), Master_Down_Interval (VRRPv3).
	 */
	uint64_t		 md_us;
	/*
	 * A held BACKUP (demoted, or node maintenance with hold) heard no
	 * master for a whole master-down interval: nobody serves the
	 * addresses.  Cleared when a master is heard again, the hold ends or
	 * the state changes (CARP_ACT_NO_MASTER).
	 */
	bool			 no_master;
	uint64_t		 no_master_since_us;	/* monotonic */
	int64_t			 no_master_since_wall_us;
	struct carp_diag	 diag;		/* the last HMAC failure's */
	/*
	 * What RFC 6527's statistics table needs (vrrpview): why the VHID
	 * last became MASTER (CARP_RS_NONE: never) and the last drop counted
	 * for it (CARP_DROP_NONE: none), of either protocol; VRRPv3 only:
	 * adverts of priority 0 received and sent (handed to the host), and
	 * valid adverts whose interval differs from the configured one,
	 * whose type is not 1, or whose address list is not the VHID's of
	 * that family (all three still accepted, as FreeBSD does).
	 */
	enum carp_reason	 master_reason;
	enum carp_drop		 last_drop;
	/* When it last left INIT (monotonic; 0 while in INIT). */
	uint64_t		 run_since_mono_us;
	/*
	 * While BACKUP, the master's source of each family (IPv4, IPv6) as
	 * its last advert of that family gave it (master is the last of
	 * either); family 0 for none yet, and while MASTER or INIT.
	 */
	struct carp_addr	 master_af[2];
	uint64_t		 vrrp_rx_prio0;
	uint64_t		 vrrp_tx_prio0;
	uint64_t		 vrrp_interval_errors;
	uint64_t		 vrrp_type_errors;
	uint64_t		 vrrp_addr_errors;
};

/* The node's state, copied out by carp_node_info(). */
struct carp_node_info {
	struct carp_node_conf	 conf;
	int			 demotion;	/* total, as FreeBSD reports it */
	int			 admin_demotion; /* the part set by sysctl/admin */
	bool			 maintenance;
	char			 maintenance_reason[CARP_REASON_LEN];
	size_t			 nvhids;
	/*
	 * Bumped by every change of the node's or a VHID's state but an
	 * advert's: a state, the master, the demotion, a drop, a send
	 * error, the configuration, a link.  An accepted advert moves only
	 * the advert counters, the counter and the timer, and leaves it.
	 */
	uint64_t		 gen;
	struct carp_stats	 stats;
	uint64_t		 drops[CARP_DROP_MAX];	/* by reason */
	/*
	 * HMAC failures diagnosed, by outcome (carp_diag_kind), and those
	 * left undiagnosed by the rate limit.
	 */
	uint64_t		 diags[CARP_DIAG_MAX];
	uint64_t		 diag_skipped;
	/*
	 * The VRRPv3 part of drops: VRRPv3 packets dropped, and CARP ones
	 * for a VRRPv3 VHID (bad version), by reason (RFC 6527's router
	 * counters).
	 */
	uint64_t		 vrrp_drops[CARP_DROP_MAX];
};

/* Opaque engine objects. */
struct carp_node;
struct carp_vhid;

/*
 * Actions, emitted in the order the host must carry them out.
 */
enum carp_action_type {
	/*
	 * Send one advertisement: a.send.  The host sends the 36 bytes with
	 * TTL or hop limit 255 to a.send.dst on the VHID's interface and
	 * returns 0, or an errno value when the send failed; the third
	 * failure before three good sends in a row adds the send-error
	 * demotion factor, and three good sends in a row lift it (FreeBSD
	 * 14).  Any change of the demotion makes every MASTER advertise at
	 * once, when the event at hand is done.  A host that batches
	 * its sends returns CARP_SEND_QUEUED instead and reports the outcome
	 * later with carp_send_done(), once per queued advert, in order.
	 */
	CARP_ACT_SEND,
	/*
	 * Hold (add, or refresh) every address of the VHID with a lifetime of
	 * a.hold.lifetime_s seconds (CARP_HOLD_S: 3 x advbase - 1).  Emitted
	 * on becoming MASTER, then with every advert; so the addresses do not
	 * lapse while MASTER (unless an advert is later than the lease allows:
	 * advbase 1 with an interval near 2 s), and vanish by themselves,
	 * with the kernel's rounding, before 3 x advbase after the last advert
	 * if the host dies.
	 */
	CARP_ACT_HOLD,
	/* Remove every address of the VHID. */
	CARP_ACT_RELEASE,
	/*
	 * Announce the addresses: a gratuitous ARP per IPv4 address if
	 * a.announce.arp, an unsolicited neighbour advertisement with the
	 * Override flag per IPv6 address if a.announce.na.  Emitted on
	 * becoming MASTER, once more (ARP only) after two adverts, and when
	 * a MASTER hears a slower master, at most once per advbase.
	 */
	CARP_ACT_ANNOUNCE,
	/*
	 * Arm the VHID's one timer at a.timer.at_us, or cancel it if 0.  In
	 * BACKUP that is the earlier of the per-family master-down deadlines.
	 */
	CARP_ACT_TIMER,
	/*
	 * The VHID changed state: a.state, complete when emitted: the new
	 * master is recorded already (carp_vhid_info() agrees), and the
	 * time is the event's.
	 */
	CARP_ACT_STATE,
	/* The node's demotion changed: a.demotion (vh is NULL). */
	CARP_ACT_DEMOTION,
	/*
	 * A held BACKUP heard no master for its master-down interval
	 * (a.no_master.on), or that ended (off): a master was heard, the
	 * hold ended, or the state changed.  Once per episode each way.
	 */
	CARP_ACT_NO_MASTER,
};

struct carp_action {
	enum carp_action_type	 type;
	struct carp_vhid	*vh;		/* NULL for node-wide actions */
	uint8_t			 vhid;
	unsigned int		 ifindex;
	const char		*ifname;
	union {
		struct {
			struct carp_addr dst;
			uint8_t		 pkt[CARP_HDR_LEN];
			bool		 bowout;	/* CARP bow-out, VRRP prio 0 */
			/*
			 * The packet, len bytes at data: pkt and 36 for
			 * CARP; for VRRPv3 (vrrp set) a buffer of the
			 * VHID's, valid during the emit call only, whose
			 * checksum the host completes with
			 * vrrp_pkt_finalize() once it knows the source
			 * address (the pseudo-header needs it).
			 */
			uint8_t		*data;
			size_t		 len;
			bool		 vrrp;
		} send;
		struct {
			uint32_t	 lifetime_s;
		} hold;
		struct {
			bool		 arp;
			bool		 na;
		} announce;
		struct {
			uint64_t	 at_us;
		} timer;
		struct {
			enum carp_state	 from;
			enum carp_state	 to;
			enum carp_reason reason;
			/*
			 * Into BACKUP on an advert: its source, the new
			 * master; family 0 otherwise (into MASTER the host
			 * knows its own source).
			 */
			struct carp_addr master;
			struct carp_time at;	/* when it changed */
		} state;
		struct {
			int		 delta;
			int		 total;
			const char	*reason;	/* "interface down" ... */
		} demotion;
		struct {
			bool		 on;
			/* on: when it began; off: when it ended */
			struct carp_time at;
		} no_master;
	} a;
};

/* CARP_ACT_SEND's return: queued; the outcome comes by carp_send_done(). */
#define CARP_SEND_QUEUED	(-1)

/* What the engine needs from its host. */
struct carp_host {
	/* Carry out one action; the return value matters for CARP_ACT_SEND. */
	int			(*emit)(void *arg, const struct carp_action *);
	/* 64 random bits, for the counter's start. */
	uint64_t		(*random64)(void *arg);
	void			*arg;
};

/* A received advertisement, as the host read it off the wire. */
struct carp_rx {
	const uint8_t		*data;		/* the payload after the IP header */
	size_t			 len;
	struct carp_addr	 src;		/* family says IPv4 or IPv6 */
	struct carp_addr	 dst;
	uint8_t			 ttl;		/* TTL or hop limit */
	unsigned int		 ifindex;	/* arrival interface */
	bool			 looped;	/* src is one of our addresses */
	/*
	 * VRRPv3: this host's primary address of src's family on that
	 * interface, the source of its own adverts: RFC 5798's tie-break
	 * on equal priority compares it with src.  Family 0: unknown (the
	 * MASTER then keeps its role, as FreeBSD, which has no tie-break).
	 */
	struct carp_addr	 local;
};

/* carp_fsm.c: the node and its VHIDs. */
struct carp_node	*carp_node_new(const struct carp_node_conf *,
			    const struct carp_host *);
void			 carp_node_free(struct carp_node *);
void			 carp_node_conf_default(struct carp_node_conf *);
int			 carp_node_configure(struct carp_node *,
			    const struct carp_node_conf *, struct carp_time);
void			 carp_node_info(const struct carp_node *,
			    struct carp_node_info *);
/* carp_node_info.gen, without the copy. */
uint64_t		 carp_node_gen(const struct carp_node *);

/*
 * Add a VHID.  link_up tells whether its interface is running; if so the
 * VHID enters BACKUP at once ("initialization complete") and arms its
 * master-down timer, else it waits in INIT.  arg is the host's pointer
 * for this VHID (carp_vhid_arg), set before the first action is emitted.
 * Returns NULL with errno
 * EEXIST (same vhid on the same interface) or EINVAL (bad parameters).
 */
struct carp_vhid	*carp_vhid_add(struct carp_node *,
			    const struct carp_vhid_conf *, bool link_up,
			    void *arg, struct carp_time);
/*
 * Change a VHID's configuration in place.  A new password re-keys it and
 * new timing re-arms its timer, without a change of state.  A new address
 * list re-keys it and restarts it through INIT as FreeBSD does (a MASTER
 * releases its addresses).  Returns 0, or -1 with EINVAL when the vhid or
 * interface differ (remove and add instead).
 */
int			 carp_vhid_update(struct carp_vhid *,
			    const struct carp_vhid_conf *, struct carp_time);
/* Release the VHID's addresses if MASTER, cancel its timer, free it. */
void			 carp_vhid_remove(struct carp_vhid *, struct carp_time);
struct carp_vhid	*carp_vhid_find(const struct carp_node *,
			    unsigned int ifindex, uint8_t vhid);
/* Iterate: pass NULL for the first VHID; returns NULL after the last. */
struct carp_vhid	*carp_vhid_next(const struct carp_node *,
			    const struct carp_vhid *);
void			 carp_vhid_info(const struct carp_vhid *,
			    struct carp_vhid_info *);
/*
 * The VHID's last HMAC failure diagnosis for adverts of a family
 * (AF_INET, AF_INET6), or the later of the two (0: carp_vhid_info's).
 */
const struct carp_diag	*carp_vhid_diag(const struct carp_vhid *, int family);
enum carp_state		 carp_vhid_state(const struct carp_vhid *);
/*
 * What the control path reads of a VHID without copying carp_vhid_info:
 * its number and interface name, whether it is administratively demoted,
 * and the automatic demotion it adds now for its interface being down
 * (CARP_AUTO_IFDOWN) or for send errors (CARP_AUTO_SENDERR).
 */
#define CARP_AUTO_IFDOWN	0
#define CARP_AUTO_SENDERR	1
uint8_t			 carp_vhid_id(const struct carp_vhid *);
const char		*carp_vhid_ifname(const struct carp_vhid *);
bool			 carp_vhid_admin_demoted(const struct carp_vhid *);
int			 carp_vhid_auto_demotion(const struct carp_vhid *,
			    int which);
/* The pointer the host gave carp_vhid_add() for the VHID. */
void			*carp_vhid_arg(const struct carp_vhid *);

/* Feed one received packet.  Returns CARP_DROP_NONE or why it dropped it. */
enum carp_drop		 carp_input(struct carp_node *, const struct carp_rx *,
			    struct carp_time);
/*
 * Feed one received VRRPv3 packet (version nibble 3; the host dispatches
 * on it, as FreeBSD's carp_input does).  Checks in FreeBSD's order:
 * allow, length and version, interface and VHID (a VRRP one with an
 * address of that family, else bad version or bad VHID), TTL 255,
 * checksum and address count (vrrp_pkt_verify).
 */
enum carp_drop		 carp_input_vrrp(struct carp_node *,
			    const struct carp_rx *, struct carp_time);
/*
 * VRRPv3 timing (RFC 5798 section 6.1), in microseconds, truncated:
 * Skew_Time = (256 - prio) x interval / 256 and Master_Down_Interval =
 * 3 x interval + Skew_Time, the interval in centiseconds.
 */
uint64_t		 carp_vrrp_skew_us(uint8_t prio, uint16_t interval_cs);
uint64_t		 carp_vrrp_md_us(uint8_t prio, uint16_t interval_cs);
/*
 * The priority a VRRPv3 VHID advertises and compares under a node
 * demotion: 255 stays 255, any other is prio - demotion clamped to
 * 1..254 (docs/protocol.md, decision 18).
 */
uint8_t			 carp_vrrp_prio(uint8_t prio, int demotion);
/* The VHID's timer fired (early or late calls are harmless). */
void			 carp_vhid_timeout(struct carp_vhid *, struct carp_time);
/*
 * The host reads its sockets for the first time since it added the VHID:
 * a BACKUP restarts its master-down timer from now, so that its first
 * Master_Down_Interval counts from when it could first hear the master,
 * not from carp_vhid_add() (docs/protocol.md, decision 8).  Any other
 * state is left alone.
 */
void			 carp_vhid_listening(struct carp_vhid *,
			    struct carp_time);
/*
 * A MASTER whose next advert is due within early_us and whose interval is
 * ival_us sends it now (returns 1), so that the adverts of VHIDs with the
 * same interval leave together; that shortens one of its intervals, once.
 * Never takes over early.
 */
int			 carp_vhid_advertise_early(struct carp_vhid *,
			    struct carp_time, uint64_t early_us, uint64_t ival_us);
/*
 * A MASTER whose interval is ival_us moves its next advert forward to at
 * (returns 1), so that a VHID that took over a round later than others
 * advertises with them from then on; that shortens one of its intervals,
 * once.  Never later than it was due, never in the past.
 */
int			 carp_vhid_advertise_at(struct carp_vhid *,
			    struct carp_time, uint64_t at, uint64_t ival_us);
/* The interval a MASTER advertises at now (advbase, skew, demotion). */
uint64_t		 carp_vhid_interval(const struct carp_vhid *);
/*
 * The outcome of an advert the host queued (see CARP_SEND_QUEUED).  A
 * demotion change it causes makes every MASTER advertise at once, its
 * timer counted from the time of the latest event given to the engine.
 */
void			 carp_send_done(struct carp_vhid *, int family,
			    int err);
/* Link state of an interface changed. */
void			 carp_link_change(struct carp_node *,
			    unsigned int ifindex, bool up, struct carp_time);

/*
 * Administrative controls.  Each returns 1 when it changed something, 0 when
 * the request was already in effect (they are idempotent), -1 on EINVAL.
 */
/* Hand the VHID over (bow-out advert if MASTER) and hold it in BACKUP. */
int			 carp_vhid_demote(struct carp_vhid *, const char *reason,
			    struct carp_time);
/* Lift a demotion; with force_master become MASTER now, as
 * "ifconfig ... state master" does (the reason is the caller's to log). */
int			 carp_vhid_promote(struct carp_vhid *, bool force_master,
			    struct carp_time);
/*
 * Hand every MASTER over now (a bow-out advert, then BACKUP, reason
 * "maintenance mode") without holding it: the soft maintenance's
 * hand-over, which works whatever the peer's preempt; its demotion is the
 * caller's (docs/protocol.md, decision 21).  Returns 1 if a VHID was
 * MASTER.
 */
int			 carp_handover(struct carp_node *, struct carp_time);
/* Node maintenance: every VHID handed over and held while on. */
int			 carp_maintenance(struct carp_node *, bool on,
			    const char *reason, struct carp_time);
/* Set the administrative part of the node's demotion (PUT /v1/demotion). */
int			 carp_demotion_set(struct carp_node *, int value,
			    const char *reason, struct carp_time);
/* Add to it, as a write to net.inet.carp.demotion does. */
int			 carp_demotion_adjust(struct carp_node *, int delta,
			    const char *reason, struct carp_time);
/* Graceful stop: a bow-out advert from every MASTER, then release all. */
void			 carp_shutdown(struct carp_node *, struct carp_time);

/* carp_pkt.c: the wire codec. */
struct carp_hmac;
struct carp_hdr {
	uint8_t			 version;
	uint8_t			 type;
	uint8_t			 vhid;
	uint8_t			 advskew;
	uint8_t			 authlen;
	uint8_t			 demote;	/* byte 4, ignored */
	uint8_t			 advbase;
	uint16_t		 cksum;
	uint64_t		 counter;
	uint8_t			 md[CARP_DIGEST_LEN];
};
uint16_t		 carp_cksum(const uint8_t *, size_t);
/* Check length, version and checksum and decode; CARP_DROP_NONE if good. */
enum carp_drop		 carp_pkt_decode(const uint8_t *, size_t,
			    struct carp_hdr *);
/* Encode 36 bytes: computes the HMAC and the checksum. */
void			 carp_pkt_encode(const struct carp_hmac *, uint8_t vhid,
			    uint8_t advbase, uint8_t advskew, uint64_t counter,
			    uint8_t out[CARP_HDR_LEN]);
/* Verify a decoded header's HMAC in constant time: 0 if it matches. */
int			 carp_pkt_verify(const struct carp_hmac *,
			    const struct carp_hdr *);
/*
 * Diagnose a header that failed HMAC with our key and address list (see
 * struct carp_diag): fills d's kind, lacks, nlacks, hmacs and text, and
 * returns the HMACs computed, at most naddrs + 2.
 */
unsigned int		 carp_pkt_diagnose(const uint8_t *key, size_t keylen,
			    uint8_t vhid, const struct carp_addr *,
			    size_t naddrs, const struct carp_hdr *,
			    struct carp_diag *);

/*
 * vrrp_pkt.c: the VRRPv3 (RFC 5798) codec, as FreeBSD's carp(4) speaks it
 * in VRRP mode.  Decode does length and version, verify the pseudo-header
 * checksum and the address count (FreeBSD's order puts the VHID lookup
 * and the TTL between them).
 */
#define VRRP_VERSION		3
#define VRRP_TYPE_ADVERT	1
#define VRRP_HDR_LEN		8
#define VRRP_MAX_INTERVAL	0xfff	/* centiseconds, 12 bits */
#define VRRP_PRIO_OWNER		255
#define VRRP_PRIO_DFLT		100
#define VRRP_INTERVAL_DFLT	100	/* centiseconds */
/* The longest advert of one family: every address IPv6. */
#define VRRP_PKT_MAX		(VRRP_HDR_LEN + CARP_MAX_ADDRS * 16)
struct vrrp_hdr {
	uint8_t			 version;
	uint8_t			 type;		/* decoded, not checked */
	uint8_t			 vrid;
	uint8_t			 prio;
	uint8_t			 naddrs;
	uint16_t		 interval;	/* centiseconds */
	uint16_t		 cksum;
	const uint8_t		*addrs;		/* inside the packet */
	size_t			 len;		/* of the whole message */
};
uint16_t		 vrrp_cksum(const struct carp_addr *src,
			    const struct carp_addr *dst, const uint8_t *,
			    size_t);
enum carp_drop		 vrrp_pkt_decode(const uint8_t *, size_t,
			    struct vrrp_hdr *);
enum carp_drop		 vrrp_pkt_verify(const struct carp_addr *src,
			    const struct carp_addr *dst, const uint8_t *,
			    const struct vrrp_hdr *);
int			 vrrp_pkt_addr(const struct vrrp_hdr *, int af,
			    size_t, struct carp_addr *);
/* The advert's length, or 0 (too long, bad interval, > 255 addresses). */
size_t			 vrrp_pkt_encode(const struct carp_addr *src,
			    const struct carp_addr *dst, uint8_t vrid,
			    uint8_t prio, uint16_t interval_cs,
			    const struct carp_addr *, size_t, uint8_t *,
			    size_t);
/*
 * Complete the checksum of an encoded advert for the source the host
 * sends it from (the engine encodes with the unspecified address).
 * Returns 0, or -1 if len is short or src and dst differ in family.
 */
int			 vrrp_pkt_finalize(uint8_t *, size_t,
			    const struct carp_addr *src,
			    const struct carp_addr *dst);

/* carp_hmac.c: HMAC-SHA1 with precomputed inner and outer states. */
struct carp_hmac	*carp_hmac_new(void);
void			 carp_hmac_free(struct carp_hmac *);
/*
 * Prepare the key and the address part of the message: 02 01 vhid, the
 * IPv4 addresses ascending, the IPv6 addresses in memcmp order with
 * link-local scope bytes zeroed, each de-duplicated.
 */
void			 carp_hmac_prepare(struct carp_hmac *,
			    const uint8_t *key, size_t keylen, uint8_t vhid,
			    const struct carp_addr *, size_t naddrs);
void			 carp_hmac_digest(const struct carp_hmac *,
			    const uint8_t counter[8], uint8_t md[CARP_DIGEST_LEN]);
/* The message bytes hashed before the counter (for tests): length used. */
size_t			 carp_hmac_message(uint8_t vhid,
			    const struct carp_addr *, size_t naddrs,
			    uint8_t *out, size_t outlen);

/* carp_names.c */
const char		*carp_addr_ntop(const struct carp_addr *, char *, size_t);
int			 carp_addr_cmp(const struct carp_addr *,
			    const struct carp_addr *);

#endif /* CARP_H */
