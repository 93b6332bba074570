/*
 * sim.h: a deterministic discrete-event simulator for the CARP engine.
 *
 * N hosts, each one carp_node (libcarp.a, unchanged), on one virtual
 * clock in microseconds, joined by one simulated segment: per direction
 * a delay (plus optional uniform jitter), a loss and a duplication
 * probability, a partition switch; per host a cable.  Everything random
 * (loss, duplication, jitter, the engine's counter start, each host's
 * monotonic-clock offset) comes from one seeded PRNG (splitmix64 seeding
 * xoshiro256**), so a seed reproduces a run exactly.
 *
 * The host side of each node carries out the engine's actions:
 *   SEND      the 36-byte advert goes on the segment, to every other
 *             host as a struct carp_rx after the link delay unless lost
 *   TIMER     the VHID's one timer, an event in the queue
 *   HOLD      the VIP is held until now + lifetime (a lease, as the
 *             kernel's valid_lft: it lapses unless renewed; exactly at
 *             its end, where a kernel may be up to ~1 s late)
 *   RELEASE   the VIP is dropped
 *   ANNOUNCE, STATE, DEMOTION  recorded
 * The simulator keeps, per VHID, who holds the VIP and accumulates the
 * time two or more hosts hold it (two masters) and the time nobody does
 * (after the first hold).  Each host converts between the simulation's
 * time and its own monotonic clock, which starts at a random offset.
 */
#ifndef SIM_H
#define SIM_H

#include <stdbool.h>
#include <stdint.h>

#include "carp/carp.h"

#define SIM_MAX_NODES	8
#define SIM_MAX_VHIDS	4	/* per node */
#define SIM_S		UINT64_C(1000000)
#define SIM_MS		UINT64_C(1000)
#define SIM_SKEW(x)	((uint64_t)(x) * SIM_S / 256)

/* What the trace records. */
enum sim_ev {
	SIM_EV_SEND,		/* a: 1 bow-out, b: advskew, c: 4 or 6 */
	SIM_EV_STATE,		/* a: from, b: to, c: reason */
	SIM_EV_HOLD_START,	/* the node starts holding the VIP */
	SIM_EV_HOLD,		/* every HOLD action: a: lifetime, s */
	SIM_EV_HOLD_END,	/* a: 1 lapsed (lease ran out), 0 released */
	SIM_EV_ANNOUNCE,	/* a: gratuitous ARP, b: unsolicited NA */
	SIM_EV_DEMOTION,	/* a: delta, b: total */
	SIM_EV_LINK,		/* a: 1 up, 0 down */
	SIM_EV_KILL,		/* a: 1 graceful (carp_shutdown), 0 SIGKILL */
};

struct sim_rec {
	uint64_t		 t;	/* simulation time, us */
	int			 node;
	uint8_t			 vhid;
	enum sim_ev		 ev;
	int			 a, b, c;
};

struct sim_vhid {
	struct sim		*sim;
	int			 node;
	struct carp_vhid	*vh;
	uint8_t			 vhid;
	uint64_t		 timer_at;	/* sim time, 0: none */
	uint64_t		 timer_gen;
	bool			 held;
	uint64_t		 hold_until;	/* sim time */
	uint64_t		 hold_gen;
};

struct sim_node {
	struct sim		*sim;
	int			 idx;
	char			 name;
	struct carp_node	*cn;
	bool			 alive;
	bool			 cable;		/* link up */
	uint64_t		 mono_off;	/* its clock = sim time + this */
	uint32_t		 addr;		/* IPv4, host order */
	struct sim_vhid		 v[SIM_MAX_VHIDS];
	int			 nv;
	uint64_t		 sent;		/* adverts put on the segment */
	uint64_t		 lapsed_master;	/* leases lapsed while MASTER */
};

/* Per VHID number: who holds its VIP, and the accumulated times. */
struct sim_vip {
	int			 holders;
	bool			 ever;
	uint64_t		 since;		/* last change of holders */
	uint64_t		 two_us;	/* >= 2 holders */
	uint64_t		 none_us;	/* 0 holders, after the first hold */
};

struct sim_link {
	uint64_t		 delay_us;
	uint64_t		 jitter_us;	/* extra uniform 0..jitter */
	double			 loss;		/* 0..1 */
	double			 dup;		/* 0..1: a second copy */
	bool			 cut;		/* partition */
	bool			 drop6;		/* every IPv6 advert lost (a
						   filter, MLD snooping) */
};

struct sim_event;

struct sim {
	uint64_t		 seed;
	uint64_t		 rng[4];
	uint64_t		 now;
	uint64_t		 seq;
	struct sim_event	*heap;
	size_t			 nheap, heapcap;
	struct sim_node		 n[SIM_MAX_NODES];
	int			 nn;
	struct sim_link		 link[SIM_MAX_NODES][SIM_MAX_NODES]; /* [from][to] */
	struct sim_vip		 vip[CARP_MAXVHID + 1];
	struct sim_rec		*trace;
	size_t			 ntrace, tracecap;
	bool			 keep_trace;	/* else only counters */
	bool			 print;		/* print the trace as it goes */
	uint64_t		 delivered, lost, duplicated;
	uint64_t		 stats_states[SIM_MAX_NODES];
};

/* PRNG */
uint64_t	 sim_rand(struct sim *);
double		 sim_uniform(struct sim *);		/* [0, 1) */

void		 sim_init(struct sim *, uint64_t seed);
void		 sim_free(struct sim *);
/* A host with name ('a'...), cable plugged; returns its index. */
int		 sim_node_add(struct sim *, char name,
		    const struct carp_node_conf *);
/*
 * A VHID on the host's one interface (ifindex 1), address 192.0.2.111
 * (vhid 2: .112, ...), and with SIM_AF6 2001:db8::111 (::112, ...).
 */
#define SIM_AF4		1
#define SIM_AF6		2
struct carp_vhid *sim_vhid_add(struct sim *, int node, uint8_t vhid,
		    uint8_t advbase, uint8_t advskew);
struct carp_vhid *sim_vhid_add_af(struct sim *, int node, uint8_t vhid,
		    uint8_t advbase, uint8_t advskew, int afs);
/*
 * A VRRPv3 VHID (vrid, priority, interval in centiseconds) with the same
 * addresses; its adverts are finalised with the sender's source, and
 * every delivery names the receiver's own address as rx.local.
 */
struct carp_vhid *sim_vrrp_add(struct sim *, int node, uint8_t vrid,
		    uint8_t prio, uint16_t interval_cs, int afs);
struct carp_vhid *sim_vhid_add_conf(struct sim *, int node,
		    const struct carp_vhid_conf *);
/* Set the link between every pair (both directions). */
void		 sim_link_all(struct sim *, uint64_t delay_us, uint64_t jitter_us,
		    double loss, double dup);
/* One direction. */
struct sim_link	*sim_link(struct sim *, int from, int to);
void		 sim_partition(struct sim *, int a, int b, bool cut);

/* Run every event up to and including time t; now = t afterwards. */
void		 sim_run_until(struct sim *, uint64_t t);
/* Cable pulled or plugged: carp_link_change on the node. */
void		 sim_cable(struct sim *, int node, bool up);
/* SIGKILL: the node stops at once; its held VIPs stay until they lapse. */
void		 sim_kill(struct sim *, int node);
/* Graceful stop: carp_shutdown, then the node stops. */
void		 sim_stop(struct sim *, int node);
struct carp_time sim_time(const struct sim *, int node);

/* Reading the outcome. */
enum carp_state	 sim_state(const struct sim *, int node, uint8_t vhid);
struct carp_vhid *sim_vh(const struct sim *, int node, uint8_t vhid);
bool		 sim_holds(const struct sim *, int node, uint8_t vhid);
/* The VIP's accumulated two-holder and no-holder times, up to now. */
uint64_t	 sim_two_us(struct sim *, uint8_t vhid);
uint64_t	 sim_none_us(struct sim *, uint8_t vhid);
/* The latest trace record of node/ev at or before t (NULL: none). */
const struct sim_rec *sim_last(const struct sim *, int node, enum sim_ev,
		    uint64_t before);
/* The first trace record of node/ev at or after t (NULL: none). */
const struct sim_rec *sim_first(const struct sim *, int node, enum sim_ev,
		    uint64_t after);
/* How many records of node/ev in [t0, t1). node -1: any node. */
size_t		 sim_count(const struct sim *, int node, enum sim_ev,
		    uint64_t t0, uint64_t t1);
void		 sim_print_rec(const struct sim *, const struct sim_rec *);

/* SIM_SEED from the environment, or the default. */
uint64_t	 sim_env_seed(uint64_t dflt);
long		 sim_env_long(const char *name, long dflt);

#endif /* SIM_H */
