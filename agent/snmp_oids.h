/*
 * snmp_oids.h: the OIDs of mibs/CARPD-MIB.txt.
 *
 * CARPD_MIB_OID is the module's root, the one place in the code that
 * names it; every other OID here is relative to it.  To move the module
 * under a registered enterprise number, change CARPD_MIB_OID (and its
 * length) and the MODULE-IDENTITY's value in the MIB together.
 *
 * CARPD_MIB_OBJECTS lists every named node with its OID; the test
 * tests/integration/045-mib.sh compiles it and compares each OID with
 * what snmptranslate makes of the MIB.
 */
#ifndef CARPD_SNMP_OIDS_H
#define CARPD_SNMP_OIDS_H

/* netSnmpPlaypen.112: development only, see the README. */
#define CARPD_MIB_OID		1, 3, 6, 1, 4, 1, 8072, 9999, 9999, 112
#define CARPD_MIB_OID_LEN	10

#define CARPD_NOTIFS		CARPD_MIB_OID, 0
#define CARPD_OBJECTS		CARPD_MIB_OID, 1
#define CARPD_NODE		CARPD_OBJECTS, 1
#define CARPD_VHID_ENTRY	CARPD_OBJECTS, 2, 1
#define CARPD_ADDR_ENTRY	CARPD_OBJECTS, 3, 1
#define CARPD_STATS		CARPD_OBJECTS, 4
#define CARPD_NOTIF_OBJS	CARPD_OBJECTS, 5
/* Tracking: carpdTrackTable (agent/track.h). */
#define CARPD_TRACK_ENTRY	CARPD_OBJECTS, 7, 1
/* The demotion ledger. */
#define CARPD_DEMOTION_ENTRY	CARPD_OBJECTS, 6, 1

/* carpdObjects' subtrees. */
enum snmp_subtree {
	CARPD_SUB_NODE = 1,
	CARPD_SUB_VHID = 2,
	CARPD_SUB_ADDR = 3,
	CARPD_SUB_STATS = 4,
	CARPD_SUB_NOTIF = 5,
	CARPD_SUB_LEDGER = 6,		/* carpdDemotionTable */
	CARPD_SUB_TRACK = 7		/* carpdTrackTable */
};

/*
 * carpdTrackEntry columns; the index is carpdTrackKind (enum track_kind
 * + 1) and carpdTrackName (an OCTET STRING: its length, then its bytes).
 */
enum snmp_track_col {
	CARPD_TRACK_KIND = 1,
	CARPD_TRACK_NAME,
	CARPD_TRACK_UP,
	CARPD_TRACK_WEIGHT,
	CARPD_TRACK_DEMOTION,
	CARPD_TRACK_LAST_RESULT,	/* enum track_result + 1 */
	CARPD_TRACK_LAST_EXIT,
	CARPD_TRACK_LAST_RUN,
	CARPD_TRACK_SINCE,
	CARPD_TRACK_PASSES,
	CARPD_TRACK_FAILURES,
	CARPD_TRACK_RESULTS,
	CARPD_TRACK_NFAILED,
	CARPD_TRACK_TIMEOUTS,
	CARPD_TRACK_TRANSITIONS,
	CARPD_TRACK_ENTRY_NAME,
	CARPD_TRACK_MAX
};

/*
 * carpdDemotionEntry columns; the index is carpdDemotionName, the entry's
 * name as an OCTET STRING (length, then the bytes).
 */
enum snmp_ledger_col {
	CARPD_LEDGER_NAME = 1,
	CARPD_LEDGER_SOURCE,
	CARPD_LEDGER_WEIGHT,
	CARPD_LEDGER_REASON,
	CARPD_LEDGER_SINCE,
	CARPD_LEDGER_EXPIRES,
	CARPD_LEDGER_ORIGIN,
	CARPD_LEDGER_PERSIST,
	CARPD_LEDGER_MAX
};

/* carpdNode scalars. */
enum snmp_node_obj {
	CARPD_NODE_VERSION = 1,
	CARPD_NODE_ALLOW,
	CARPD_NODE_PREEMPT,
	CARPD_NODE_DEMOTION,
	CARPD_NODE_MAINTENANCE,
	CARPD_NODE_MAINT_REASON,
	CARPD_NODE_IFDOWN_FACTOR,
	CARPD_NODE_SENDERR_FACTOR,
	CARPD_NODE_VHID_COUNT,
	CARPD_NODE_START_TIME,
	CARPD_NODE_ADMIN_DEMOTION,
	CARPD_NODE_MASTER_COUNT,
	CARPD_NODE_BACKUP_COUNT,
	CARPD_NODE_INIT_COUNT,
	CARPD_NODE_DISC_TIME,
	CARPD_NODE_MAINT_SET_TIME,
	CARPD_NODE_MAINT_SET_BY,
	CARPD_NODE_MAX
};

/* carpdVhidEntry columns. */
enum snmp_vhid_col {
	CARPD_VHID_NUMBER = 1,
	CARPD_VHID_IFNAME,
	CARPD_VHID_STATE,
	CARPD_VHID_PREV_STATE,
	CARPD_VHID_ADVBASE,
	CARPD_VHID_ADVSKEW,
	CARPD_VHID_EFF_ADVSKEW,
	CARPD_VHID_ADMIN_DEMOTED,
	CARPD_VHID_ADMIN_REASON,
	CARPD_VHID_MASTER_TYPE,
	CARPD_VHID_MASTER,
	CARPD_VHID_PEER_TYPE,
	CARPD_VHID_PEER,
	CARPD_VHID_ADDR_COUNT,
	CARPD_VHID_LAST_CHANGE,
	CARPD_VHID_LAST_CHANGE_DATE,
	CARPD_VHID_LAST_REASON,
	CARPD_VHID_TO_MASTER,
	CARPD_VHID_TO_BACKUP,
	CARPD_VHID_ADV_SENT,
	CARPD_VHID_ADV_RECV,
	CARPD_VHID_SEND_ERRORS,
	CARPD_VHID_DROPS,	/* one column per enum carp_drop from DISABLED */
	CARPD_VHID_LINK_UP = CARPD_VHID_DROPS + 8,
	CARPD_VHID_TO_MASTER32,	/* Counter32 twins, for SNMPv1 */
	CARPD_VHID_TO_BACKUP32,
	CARPD_VHID_ADMIN_SET_TIME,
	CARPD_VHID_ADMIN_SET_BY,
	/*
	 * 36-39: vrrpview's.  Until they are here, the table has that gap
	 * (CARPD_VHID_UNALLOCATED columns, which a walk steps over); set it
	 * to 0 with them.
	 */
	CARPD_VHID_NO_MASTER = 40,
	CARPD_VHID_MAX
};
#define CARPD_VHID_UNALLOCATED	4

/* carpdAddressEntry columns. */
enum snmp_addr_col {
	CARPD_ADDR_TYPE = 1,
	CARPD_ADDR_ADDR,
	CARPD_ADDR_PREFIXLEN
};

/* carpdStats, FreeBSD's struct carpstats in its order. */
enum snmp_stats_obj {
	CARPD_ST_IPKTS = 1,
	CARPD_ST_IPKTS6,
	CARPD_ST_BADIF,
	CARPD_ST_BADTTL,
	CARPD_ST_HDROPS,
	CARPD_ST_BADSUM,
	CARPD_ST_BADVER,
	CARPD_ST_BADLEN,
	CARPD_ST_BADAUTH,
	CARPD_ST_BADVHID,
	CARPD_ST_BADADDRS,
	CARPD_ST_OPKTS,
	CARPD_ST_OPKTS6,
	CARPD_ST_ONOMEM,
	CARPD_ST_OSTATES,
	CARPD_ST_PREEMPT,
	CARPD_ST_PREEMPT32,	/* Counter32 twin, for SNMPv1 */
	CARPD_ST_NOTIF_DROPPED,	/* carpd's own, not carpstats */
	CARPD_ST_NOTIF_FOLDED,
	CARPD_ST_NOTIFY_RUNS,	/* 20: the notify-script */
	CARPD_ST_NOTIFY_COALESCED,
	CARPD_ST_NOTIFY_TIMEOUTS,
	CARPD_ST_NOTIFY_FAILURES,
	CARPD_ST_AUTH_ADDRLIST,	/* 24: HMAC failure diagnoses */
	CARPD_ST_AUTH_UNEXPLAINED,
	CARPD_ST_MAX
};

/* carpdNotifObjects. */
enum snmp_notif_obj {
	CARPD_NO_EVENT_TIME = 1,
	CARPD_NO_DEMOTION_REASON,
	CARPD_NO_IFINDEX,
	CARPD_NO_VHID,
	CARPD_NO_DROP_REASON,
	CARPD_NO_SRC_TYPE,
	CARPD_NO_SRC,
	CARPD_NO_SUPPRESSED,
	CARPD_NO_ADMIN_ACTION,
	CARPD_NO_ORIGIN,
	CARPD_NO_REASON,
	CARPD_NO_VALUE,
	CARPD_NO_ADDR_TYPE,
	CARPD_NO_ADDR,
	CARPD_NO_TO_MASTER,
	CARPD_NO_TO_BACKUP,
	CARPD_NO_TO_INIT,
	/* carpdDemotionEntryChange's (18-25; 24 and 25 unused). */
	CARPD_NO_LEDGER_NAME = 18,
	CARPD_NO_LEDGER_SOURCE,
	CARPD_NO_LEDGER_WEIGHT,
	CARPD_NO_LEDGER_CHANGE,
	CARPD_NO_LEDGER_REASON,
	CARPD_NO_LEDGER_ORIGIN,
	/* 18-25: the demotion ledger's. */
	CARPD_NO_HOLD = 26,
	CARPD_NO_SILENT_TIME
};

/* Notifications. */
enum snmp_notif {
	CARPD_TRAP_STATE = 1,
	CARPD_TRAP_DEMOTION,
	CARPD_TRAP_PROTO_ERROR,
	CARPD_TRAP_ADMIN,
	CARPD_TRAP_SUMMARY,
	CARPD_TRAP_LEDGER = 6,		/* carpdDemotionEntryChange */
	/* 6: the demotion ledger's. */
	CARPD_TRAP_NO_MASTER = 7
};

/* carpdTrackTable's nodes, for CARPD_MIB_OBJECTS. */
#define CARPD_MIB_TRACK_OBJECTS(X)					\
	X(carpdTrackTable, CARPD_OBJECTS, CARPD_SUB_TRACK)		\
	X(carpdTrackEntry, CARPD_TRACK_ENTRY)				\
	X(carpdTrackKind, CARPD_TRACK_ENTRY, CARPD_TRACK_KIND)		\
	X(carpdTrackName, CARPD_TRACK_ENTRY, CARPD_TRACK_NAME)		\
	X(carpdTrackUp, CARPD_TRACK_ENTRY, CARPD_TRACK_UP)		\
	X(carpdTrackWeight, CARPD_TRACK_ENTRY, CARPD_TRACK_WEIGHT)	\
	X(carpdTrackDemotion, CARPD_TRACK_ENTRY, CARPD_TRACK_DEMOTION)	\
	X(carpdTrackLastResult, CARPD_TRACK_ENTRY, CARPD_TRACK_LAST_RESULT) \
	X(carpdTrackLastExitStatus, CARPD_TRACK_ENTRY, CARPD_TRACK_LAST_EXIT) \
	X(carpdTrackLastRun, CARPD_TRACK_ENTRY, CARPD_TRACK_LAST_RUN)	\
	X(carpdTrackSince, CARPD_TRACK_ENTRY, CARPD_TRACK_SINCE)	\
	X(carpdTrackConsecutivePasses, CARPD_TRACK_ENTRY,		\
	    CARPD_TRACK_PASSES)						\
	X(carpdTrackConsecutiveFailures, CARPD_TRACK_ENTRY,		\
	    CARPD_TRACK_FAILURES)					\
	X(carpdTrackResults, CARPD_TRACK_ENTRY, CARPD_TRACK_RESULTS)	\
	X(carpdTrackFailures, CARPD_TRACK_ENTRY, CARPD_TRACK_NFAILED)	\
	X(carpdTrackTimeouts, CARPD_TRACK_ENTRY, CARPD_TRACK_TIMEOUTS)	\
	X(carpdTrackTransitions, CARPD_TRACK_ENTRY, CARPD_TRACK_TRANSITIONS) \
	X(carpdTrackLedgerEntry, CARPD_TRACK_ENTRY, CARPD_TRACK_ENTRY_NAME)

/* Every named node: X(name, OID...). */
#define CARPD_MIB_OBJECTS(X)						\
	X(carpdMIB, CARPD_MIB_OID)					\
	X(carpdNotifications, CARPD_NOTIFS)				\
	X(carpdObjects, CARPD_OBJECTS)					\
	X(carpdNode, CARPD_NODE)					\
	X(carpdVersion, CARPD_NODE, CARPD_NODE_VERSION)			\
	X(carpdAllow, CARPD_NODE, CARPD_NODE_ALLOW)			\
	X(carpdPreempt, CARPD_NODE, CARPD_NODE_PREEMPT)			\
	X(carpdDemotion, CARPD_NODE, CARPD_NODE_DEMOTION)		\
	X(carpdMaintenance, CARPD_NODE, CARPD_NODE_MAINTENANCE)		\
	X(carpdMaintenanceReason, CARPD_NODE, CARPD_NODE_MAINT_REASON)	\
	X(carpdIfdownDemotionFactor, CARPD_NODE, CARPD_NODE_IFDOWN_FACTOR) \
	X(carpdSendErrorDemotionFactor, CARPD_NODE,			\
	    CARPD_NODE_SENDERR_FACTOR)					\
	X(carpdVhidCount, CARPD_NODE, CARPD_NODE_VHID_COUNT)		\
	X(carpdStartTime, CARPD_NODE, CARPD_NODE_START_TIME)		\
	X(carpdAdminDemotion, CARPD_NODE, CARPD_NODE_ADMIN_DEMOTION)	\
	X(carpdMasterCount, CARPD_NODE, CARPD_NODE_MASTER_COUNT)	\
	X(carpdBackupCount, CARPD_NODE, CARPD_NODE_BACKUP_COUNT)	\
	X(carpdInitCount, CARPD_NODE, CARPD_NODE_INIT_COUNT)		\
	X(carpdCounterDiscontinuityTime, CARPD_NODE, CARPD_NODE_DISC_TIME) \
	X(carpdMaintenanceSetTime, CARPD_NODE, CARPD_NODE_MAINT_SET_TIME) \
	X(carpdMaintenanceSetBy, CARPD_NODE, CARPD_NODE_MAINT_SET_BY)	\
	X(carpdVhidTable, CARPD_OBJECTS, CARPD_SUB_VHID)		\
	X(carpdVhidEntry, CARPD_VHID_ENTRY)				\
	X(carpdVhidNumber, CARPD_VHID_ENTRY, CARPD_VHID_NUMBER)		\
	X(carpdVhidIfName, CARPD_VHID_ENTRY, CARPD_VHID_IFNAME)		\
	X(carpdVhidState, CARPD_VHID_ENTRY, CARPD_VHID_STATE)		\
	X(carpdVhidPreviousState, CARPD_VHID_ENTRY, CARPD_VHID_PREV_STATE) \
	X(carpdVhidAdvBase, CARPD_VHID_ENTRY, CARPD_VHID_ADVBASE)	\
	X(carpdVhidAdvSkew, CARPD_VHID_ENTRY, CARPD_VHID_ADVSKEW)	\
	X(carpdVhidEffectiveAdvSkew, CARPD_VHID_ENTRY, CARPD_VHID_EFF_ADVSKEW) \
	X(carpdVhidAdminDemoted, CARPD_VHID_ENTRY, CARPD_VHID_ADMIN_DEMOTED) \
	X(carpdVhidAdminReason, CARPD_VHID_ENTRY, CARPD_VHID_ADMIN_REASON) \
	X(carpdVhidMasterAddressType, CARPD_VHID_ENTRY, CARPD_VHID_MASTER_TYPE) \
	X(carpdVhidMasterAddress, CARPD_VHID_ENTRY, CARPD_VHID_MASTER)	\
	X(carpdVhidPeerAddressType, CARPD_VHID_ENTRY, CARPD_VHID_PEER_TYPE) \
	X(carpdVhidPeerAddress, CARPD_VHID_ENTRY, CARPD_VHID_PEER)	\
	X(carpdVhidAddressCount, CARPD_VHID_ENTRY, CARPD_VHID_ADDR_COUNT) \
	X(carpdVhidLastChange, CARPD_VHID_ENTRY, CARPD_VHID_LAST_CHANGE) \
	X(carpdVhidLastChangeDate, CARPD_VHID_ENTRY,			\
	    CARPD_VHID_LAST_CHANGE_DATE)				\
	X(carpdVhidLastChangeReason, CARPD_VHID_ENTRY, CARPD_VHID_LAST_REASON) \
	X(carpdVhidTransitionsToMaster, CARPD_VHID_ENTRY, CARPD_VHID_TO_MASTER) \
	X(carpdVhidTransitionsToBackup, CARPD_VHID_ENTRY, CARPD_VHID_TO_BACKUP) \
	X(carpdVhidAdvertsSent, CARPD_VHID_ENTRY, CARPD_VHID_ADV_SENT)	\
	X(carpdVhidAdvertsReceived, CARPD_VHID_ENTRY, CARPD_VHID_ADV_RECV) \
	X(carpdVhidSendErrors, CARPD_VHID_ENTRY, CARPD_VHID_SEND_ERRORS) \
	X(carpdVhidDropsDisabled, CARPD_VHID_ENTRY, CARPD_VHID_DROPS)	\
	X(carpdVhidDropsBadLength, CARPD_VHID_ENTRY, CARPD_VHID_DROPS + 1) \
	X(carpdVhidDropsBadVersion, CARPD_VHID_ENTRY, CARPD_VHID_DROPS + 2) \
	X(carpdVhidDropsBadChecksum, CARPD_VHID_ENTRY, CARPD_VHID_DROPS + 3) \
	X(carpdVhidDropsBadInterface, CARPD_VHID_ENTRY, CARPD_VHID_DROPS + 4) \
	X(carpdVhidDropsBadVhid, CARPD_VHID_ENTRY, CARPD_VHID_DROPS + 5) \
	X(carpdVhidDropsBadTtl, CARPD_VHID_ENTRY, CARPD_VHID_DROPS + 6)	\
	X(carpdVhidDropsBadAuth, CARPD_VHID_ENTRY, CARPD_VHID_DROPS + 7) \
	X(carpdVhidLinkUp, CARPD_VHID_ENTRY, CARPD_VHID_LINK_UP)	\
	X(carpdVhidTransitionsToMaster32, CARPD_VHID_ENTRY,		\
	    CARPD_VHID_TO_MASTER32)					\
	X(carpdVhidTransitionsToBackup32, CARPD_VHID_ENTRY,		\
	    CARPD_VHID_TO_BACKUP32)					\
	X(carpdVhidAdminSetTime, CARPD_VHID_ENTRY, CARPD_VHID_ADMIN_SET_TIME) \
	X(carpdVhidAdminSetBy, CARPD_VHID_ENTRY, CARPD_VHID_ADMIN_SET_BY) \
	X(carpdVhidNoMaster, CARPD_VHID_ENTRY, CARPD_VHID_NO_MASTER)	\
	X(carpdAddressTable, CARPD_OBJECTS, CARPD_SUB_ADDR)		\
	X(carpdAddressEntry, CARPD_ADDR_ENTRY)				\
	X(carpdAddressType, CARPD_ADDR_ENTRY, CARPD_ADDR_TYPE)		\
	X(carpdAddress, CARPD_ADDR_ENTRY, CARPD_ADDR_ADDR)		\
	X(carpdAddressPrefixLength, CARPD_ADDR_ENTRY, CARPD_ADDR_PREFIXLEN) \
	X(carpdStats, CARPD_STATS)					\
	CARPD_MIB_TRACK_OBJECTS(X)					\
	X(carpdIpPktsRecv, CARPD_STATS, CARPD_ST_IPKTS)			\
	X(carpdIp6PktsRecv, CARPD_STATS, CARPD_ST_IPKTS6)		\
	X(carpdPktDiscardsForBadInterface, CARPD_STATS, CARPD_ST_BADIF)	\
	X(carpdPktDiscardsForWrongTtl, CARPD_STATS, CARPD_ST_BADTTL)	\
	X(carpdPktShorterThanHeader, CARPD_STATS, CARPD_ST_HDROPS)	\
	X(carpdPktDiscardsForBadChecksum, CARPD_STATS, CARPD_ST_BADSUM)	\
	X(carpdPktDiscardsForBadVersion, CARPD_STATS, CARPD_ST_BADVER)	\
	X(carpdPktDiscardsForTooShort, CARPD_STATS, CARPD_ST_BADLEN)	\
	X(carpdPktDiscardsForBadAuth, CARPD_STATS, CARPD_ST_BADAUTH)	\
	X(carpdPktDiscardsForBadVhid, CARPD_STATS, CARPD_ST_BADVHID)	\
	X(carpdPktDiscardsForBadAddrList, CARPD_STATS, CARPD_ST_BADADDRS) \
	X(carpdIpPktsSent, CARPD_STATS, CARPD_ST_OPKTS)			\
	X(carpdIp6PktsSent, CARPD_STATS, CARPD_ST_OPKTS6)		\
	X(carpdNoMemory, CARPD_STATS, CARPD_ST_ONOMEM)			\
	X(carpdStateUpdatesSent, CARPD_STATS, CARPD_ST_OSTATES)		\
	X(carpdTransitionsToMaster, CARPD_STATS, CARPD_ST_PREEMPT)	\
	X(carpdTransitionsToMaster32, CARPD_STATS, CARPD_ST_PREEMPT32)	\
	X(carpdNotificationsDropped, CARPD_STATS, CARPD_ST_NOTIF_DROPPED) \
	X(carpdNotificationsFolded, CARPD_STATS, CARPD_ST_NOTIF_FOLDED)	\
	X(carpdNotifyRuns, CARPD_STATS, CARPD_ST_NOTIFY_RUNS)		\
	X(carpdNotifyCoalesced, CARPD_STATS, CARPD_ST_NOTIFY_COALESCED)	\
	X(carpdNotifyTimeouts, CARPD_STATS, CARPD_ST_NOTIFY_TIMEOUTS)	\
	X(carpdNotifyFailures, CARPD_STATS, CARPD_ST_NOTIFY_FAILURES)	\
	X(carpdAuthAddrListDiffers, CARPD_STATS, CARPD_ST_AUTH_ADDRLIST) \
	X(carpdAuthUnexplained, CARPD_STATS, CARPD_ST_AUTH_UNEXPLAINED)	\
	X(carpdNotifObjects, CARPD_NOTIF_OBJS)				\
	X(carpdNotifEventTime, CARPD_NOTIF_OBJS, CARPD_NO_EVENT_TIME)	\
	X(carpdNotifDemotionReason, CARPD_NOTIF_OBJS, CARPD_NO_DEMOTION_REASON) \
	X(carpdNotifIfIndex, CARPD_NOTIF_OBJS, CARPD_NO_IFINDEX)	\
	X(carpdNotifVhid, CARPD_NOTIF_OBJS, CARPD_NO_VHID)		\
	X(carpdNotifDropReason, CARPD_NOTIF_OBJS, CARPD_NO_DROP_REASON)	\
	X(carpdNotifSourceAddressType, CARPD_NOTIF_OBJS, CARPD_NO_SRC_TYPE) \
	X(carpdNotifSourceAddress, CARPD_NOTIF_OBJS, CARPD_NO_SRC)	\
	X(carpdNotifSuppressed, CARPD_NOTIF_OBJS, CARPD_NO_SUPPRESSED)	\
	X(carpdNotifAdminAction, CARPD_NOTIF_OBJS, CARPD_NO_ADMIN_ACTION) \
	X(carpdNotifOrigin, CARPD_NOTIF_OBJS, CARPD_NO_ORIGIN)		\
	X(carpdNotifReason, CARPD_NOTIF_OBJS, CARPD_NO_REASON)		\
	X(carpdNotifValue, CARPD_NOTIF_OBJS, CARPD_NO_VALUE)		\
	X(carpdNotifAddressType, CARPD_NOTIF_OBJS, CARPD_NO_ADDR_TYPE)	\
	X(carpdNotifAddress, CARPD_NOTIF_OBJS, CARPD_NO_ADDR)		\
	X(carpdNotifToMaster, CARPD_NOTIF_OBJS, CARPD_NO_TO_MASTER)	\
	X(carpdNotifToBackup, CARPD_NOTIF_OBJS, CARPD_NO_TO_BACKUP)	\
	X(carpdNotifToInit, CARPD_NOTIF_OBJS, CARPD_NO_TO_INIT)		\
	X(carpdNotifHold, CARPD_NOTIF_OBJS, CARPD_NO_HOLD)		\
	X(carpdNotifSilentTime, CARPD_NOTIF_OBJS, CARPD_NO_SILENT_TIME)	\
	X(carpdStateChange, CARPD_NOTIFS, CARPD_TRAP_STATE)		\
	X(carpdDemotionChange, CARPD_NOTIFS, CARPD_TRAP_DEMOTION)	\
	X(carpdProtocolError, CARPD_NOTIFS, CARPD_TRAP_PROTO_ERROR)	\
	X(carpdAdminAction, CARPD_NOTIFS, CARPD_TRAP_ADMIN)		\
	X(carpdStateChangeSummary, CARPD_NOTIFS, CARPD_TRAP_SUMMARY)	\
	X(carpdNoMaster, CARPD_NOTIFS, CARPD_TRAP_NO_MASTER)		\
	CARPD_MIB_LEDGER_OBJECTS(X)

/* The demotion ledger's. */
#define CARPD_MIB_LEDGER_OBJECTS(X)					\
	X(carpdDemotionTable, CARPD_OBJECTS, CARPD_SUB_LEDGER)		\
	X(carpdDemotionEntry, CARPD_DEMOTION_ENTRY)			\
	X(carpdDemotionName, CARPD_DEMOTION_ENTRY, CARPD_LEDGER_NAME)	\
	X(carpdDemotionSource, CARPD_DEMOTION_ENTRY, CARPD_LEDGER_SOURCE) \
	X(carpdDemotionWeight, CARPD_DEMOTION_ENTRY, CARPD_LEDGER_WEIGHT) \
	X(carpdDemotionReason, CARPD_DEMOTION_ENTRY,			\
	    CARPD_LEDGER_REASON)					\
	X(carpdDemotionSince, CARPD_DEMOTION_ENTRY, CARPD_LEDGER_SINCE)	\
	X(carpdDemotionExpires, CARPD_DEMOTION_ENTRY, CARPD_LEDGER_EXPIRES) \
	X(carpdDemotionOrigin, CARPD_DEMOTION_ENTRY, CARPD_LEDGER_ORIGIN) \
	X(carpdDemotionPersist, CARPD_DEMOTION_ENTRY, CARPD_LEDGER_PERSIST) \
	X(carpdNotifDemotionName, CARPD_NOTIF_OBJS, CARPD_NO_LEDGER_NAME) \
	X(carpdNotifDemotionSource, CARPD_NOTIF_OBJS,			\
	    CARPD_NO_LEDGER_SOURCE)					\
	X(carpdNotifDemotionWeight, CARPD_NOTIF_OBJS,			\
	    CARPD_NO_LEDGER_WEIGHT)					\
	X(carpdNotifDemotionChangeKind, CARPD_NOTIF_OBJS,		\
	    CARPD_NO_LEDGER_CHANGE)					\
	X(carpdNotifDemotionEntryReason, CARPD_NOTIF_OBJS,		\
	    CARPD_NO_LEDGER_REASON)					\
	X(carpdNotifDemotionOrigin, CARPD_NOTIF_OBJS,			\
	    CARPD_NO_LEDGER_ORIGIN)					\
	X(carpdDemotionEntryChange, CARPD_NOTIFS, CARPD_TRAP_LEDGER)

#endif /* CARPD_SNMP_OIDS_H */
