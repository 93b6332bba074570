/*
 * snmp_impl.h: what snmp.c (the thread, its queue and snapshots) and
 * snmp_mib.c (the MIB's handlers and notifications) share.
 */
#ifndef CARPD_SNMP_IMPL_H
#define CARPD_SNMP_IMPL_H

#include <sys/types.h>

#include <stdbool.h>
#include <stdint.h>

#include "carp/carp.h"
#include "agent/snap.h"

#define SNMP_QUEUE_MAX		256	/* events waiting to be notified */
#define SNMP_TEXT_LEN		CARP_REASON_LEN

enum snmp_ev_type {
	SNMP_EV_STATE,
	SNMP_EV_DEMOTION,
	SNMP_EV_PROTO_ERROR,
	SNMP_EV_ADMIN,
	SNMP_EV_SUMMARY,	/* state changes past snmp-trap-rate */
	SNMP_EV_LEDGER,		/* a demotion ledger entry changed */
	SNMP_EV_NO_MASTER,	/* a held VHID hears no master, or again */
	/*
	 * VRRPV3-MIB (vrrpview): vrrpv3NewMaster (a VRRPv3 VHID became
	 * MASTER: addr our source, reason why) and vrrpv3ProtoError
	 * (drop, addr the source: its family names the row).
	 */
	SNMP_EV_VRRP_NEW_MASTER,
	SNMP_EV_VRRP_PROTO_ERROR
};

/* An event to notify, with the time it happened. */
struct snmp_event {
	enum snmp_ev_type	 type;
	int64_t			 wall_us;
	uint64_t		 mono_us;
	unsigned int		 ifindex;	/* 0: node-wide */
	unsigned int		 vhid;		/* 0: node-wide */
	enum carp_state		 from, to;	/* STATE */
	enum carp_reason	 reason;	/* STATE */
	struct carp_addr	 addr;		/* STATE: master, PROTO: source */
	char			 ifname[IF_NAMESIZE]; /* STATE */
	struct carp_addr	 vip;		/* STATE: the first address */
	uint32_t		 moved[CARP_ST_MAX]; /* SUMMARY: by state */
	uint64_t		 folded;	/* SUMMARY: the running total */
	int			 value;		/* DEMOTION: total, ADMIN */
	enum carp_drop		 drop;		/* PROTO_ERROR */
	uint32_t		 suppressed;	/* PROTO_ERROR */
	int			 action;	/* ADMIN: enum ctl_action */
	char			 origin[16];	/* ADMIN */
	char			 text[SNMP_TEXT_LEN]; /* reason words */
	/* LEDGER: the entry (value: its weight), the change, the total. */
	char			 name[LEDGER_NAME_LEN];
	int			 source;	/* enum ledger_source */
	int			 change;	/* enum ledger_change */
	int			 total;
	char			 who[LEDGER_ORIGIN_LEN];
	uint32_t		 silent_ms;	/* NO_MASTER */
};

/* SETs, carried out on the main thread. */
enum snmp_cmd_type {
	SNMP_CMD_VHID_DEMOTED,		/* on: demote, off: promote */
	SNMP_CMD_MAINTENANCE,
	SNMP_CMD_LEDGER_WEIGHT		/* the ledger's entry "snmp" */
};

/* snmp.c, for the SNMP thread. */
/* The newest snapshot; valid until the next call. */
const struct snap	*snmp_snap_get(void);
/* Whether SETs are allowed: carpd.conf's agentx-writable (no). */
bool			 snmp_writable(void);
/* Carry out a SET on the main thread; an SNMP_ERR_* code. */
int			 snmp_command(enum snmp_cmd_type, unsigned int ifindex,
			    unsigned int vhid, bool on);
/* SNMP_CMD_LEDGER_WEIGHT: the entry "snmp" to value, 0 removes it. */
int			 snmp_command_value(enum snmp_cmd_type, long value);

/* snmp_mib.c, on the SNMP thread. */
int			 snmp_mib_register(void);
void			 snmp_mib_notify(const struct snmp_event *);
void			 snmp_mib_free(void);
/* The instance index's capacity (it shrinks when a reload removes). */
size_t			 snmp_mib_index_cap(void);
/* Answer an AgentX Get/GetNext on the session: 0, or -1 for net-snmp. */
struct snmp_session;
struct snmp_pdu;
int			 snmp_mib_answer(struct snmp_session *,
			    const struct snmp_pdu *);
/* AgentX's header; the length of a PDU from it (at least the header). */
#define SNMP_AX_HDR_LEN		20
size_t			 snmp_mib_ax_len(const uint8_t *);
/* Answer an AgentX Get/GetNext PDU's bytes: the Response's, or -1. */
ssize_t			 snmp_mib_answer_ax(const uint8_t *, size_t,
			    uint8_t *, size_t);

#endif /* CARPD_SNMP_IMPL_H */
