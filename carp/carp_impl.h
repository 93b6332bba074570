/*
 * carp_impl.h: the engine's private structures, shared by the carp/ sources only.
 */
#ifndef CARP_IMPL_H
#define CARP_IMPL_H

/*
 * The low-level SHA-1 interface keeps its state in a plain struct, so the
 * precomputed inner and outer states are copied per packet without any
 * allocation; OpenSSL 3 marks it deprecated, not removed.
 */
#define OPENSSL_API_COMPAT 0x10101000L
#include <openssl/sha.h>

#include "carp/carp.h"

/* HMAC-SHA1 states after the key pads and the address list. */
struct carp_hmac {
	SHA_CTX			 inner;	/* ipad, 02 01 vhid, addresses */
	SHA_CTX			 outer;	/* opad */
};

struct carp_vhid {
	struct carp_node	*node;
	struct carp_vhid	*next;
	void			*arg;		/* the host's */
	struct carp_vhid_conf	 conf;
	struct carp_hmac	 hmac;
	enum carp_state		 state;
	bool			 link_up;
	bool			 has4, has6;	/* addresses of each family */
	int			 ifdown_applied;	/* ifdown demotion added */
	int			 senderr_applied; /* send-error demotion added */
	bool			 admin_demoted;
	char			 admin_reason[CARP_REASON_LEN];
	int			 delayed_arp;	/* adverts until the repeat GARP */
	uint64_t		 counter;
	int			 sendad_errors;
	int			 sendad_success;
	uint64_t		 timer_at;
	/*
	 * BACKUP: the master-down deadline of each family (IPv4, IPv6; 0 for
	 * none), FreeBSD's sc_md_tmo and sc_md6_tmo.  An advert of one family
	 * resets only its own; the one timer is armed at the earlier.
	 */
	uint64_t		 md_at[2];
	int			 rx_family;	/* the advert being handled, or 0 */
	struct carp_addr	 rx_src;	/* its source */
	uint64_t		 reannounce_at;	/* MASTER: no re-announce before */
	uint64_t		 hold_until;	/* the addresses' lifetime ends */
	uint64_t		 adv_due;	/* MASTER: the advert timer's deadline */
	struct carp_addr	 master;
	/*
	 * VRRPv3: Master_Adver_Interval (cs), the advert being handled's
	 * interval, whether a BACKUP with preempt has discarded a lower
	 * priority since its timer was last reset (its take-over is then
	 * a preemption), and the buffer adverts are encoded in.
	 */
	uint16_t		 vrrp_mai;
	uint16_t		 rx_interval;
	bool			 vrrp_preempting;
	bool			 vrrp_resigned;	/* BACKUP: timer at Skew_Time */
	uint8_t			*vrrp_buf;	/* VRRP_PKT_MAX, VRRP only */
	uint64_t		 adverts_sent;
	uint64_t		 adverts_received;
	uint64_t		 send_errors;
	uint64_t		 transitions[CARP_ST_MAX];
	uint64_t		 drops[CARP_DROP_MAX];
	enum carp_reason	 last_reason;
	enum carp_state		 prev_state;	/* before the last change */
	uint64_t		 last_change_mono;
	int64_t			 last_change_wall;
	struct carp_heard	 heard[2];	/* per family, while BACKUP */
	bool			 no_master;	/* held, nobody heard */
	struct carp_time	 no_master_since;
	/* The last HMAC failure's diagnosis per family (IPv4, IPv6). */
	struct carp_diag	 diag[2];
	uint64_t		 diag_tried[2];	/* when each was last tried */
	/* RFC 6527's statistics (struct carp_vhid_info). */
	enum carp_reason	 master_reason;
	enum carp_drop		 last_drop;
	uint64_t		 run_since_mono;
	struct carp_addr	 master_af[2];	/* BACKUP: per family */
	uint64_t		 vrrp_rx_prio0;
	uint64_t		 vrrp_tx_prio0;
	uint64_t		 vrrp_interval_errors;
	uint64_t		 vrrp_type_errors;
	uint64_t		 vrrp_addr_errors;
};

/*
 * The receive index: an interface's VHIDs by number, CARP's and VRRPv3's
 * alike (they share the numbers, as on FreeBSD).  An advert finds its
 * VHID in two steps, whatever the number of VHIDs.
 */
struct carp_ifidx {
	unsigned int		 ifindex;
	unsigned int		 nvhids;
	struct carp_vhid	*vhid[CARP_MAXVHID + 1];
};

struct carp_node {
	struct carp_node_conf	 conf;
	struct carp_host	 host;
	struct carp_vhid	*vhids;		/* sorted by ifindex, vhid */
	size_t			 nvhids;
	struct carp_ifidx	**ifidx;	/* sorted by ifindex */
	size_t			 nifidx;
	size_t			 ifidx_cap;
	int			 admin_demotion;
	int			 ifdown_demotion;
	int			 senderr_demotion;
	bool			 maintenance;
	char			 maintenance_reason[CARP_REASON_LEN];
	/*
	 * The demotion changed: every MASTER advertises at once, when the
	 * event that changed it is done (FreeBSD's carp_sendall_task).
	 */
	bool			 sendall_pending;
	bool			 in_sendall;
	struct carp_time	 now;		/* the latest event's time */
	uint64_t		 gen;		/* carp_node_info.gen */
	struct carp_stats	 stats;
	uint64_t		 drops[CARP_DROP_MAX];
	/* HMAC failure diagnoses: this second's HMACs, the outcomes. */
	uint64_t		 diag_window;	/* the second, monotonic */
	unsigned int		 diag_used;
	uint64_t		 diags[CARP_DIAG_MAX];
	uint64_t		 diag_skipped;
	uint64_t		 vrrp_drops[CARP_DROP_MAX];
};

#endif /* CARP_IMPL_H */
