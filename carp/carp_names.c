/*
 * carp_names.c: one name per enum value, used by logs, metrics, JSON and
 * the MIB alike; address helpers.
 */
#include <sys/types.h>
#include <sys/socket.h>
#include <arpa/inet.h>

#include <stdio.h>
#include <string.h>

#include "carp/carp.h"

const char *const carp_state_names[CARP_ST_MAX] = {
	"INIT", "BACKUP", "MASTER"
};

const char *const carp_state_lnames[CARP_ST_MAX] = {
	"init", "backup", "master"
};

const char *const carp_drop_names[CARP_DROP_MAX] = {
	[CARP_DROP_NONE] = "none",
	[CARP_DROP_DISABLED] = "disabled",
	[CARP_DROP_BADLEN] = "bad_length",
	[CARP_DROP_BADVER] = "bad_version",
	[CARP_DROP_BADSUM] = "bad_checksum",
	[CARP_DROP_BADIF] = "bad_interface",
	[CARP_DROP_BADVHID] = "bad_vhid",
	[CARP_DROP_BADTTL] = "bad_ttl",
	[CARP_DROP_BADAUTH] = "bad_auth",
};

const char *const carp_reason_names[CARP_RS_MAX] = {
	[CARP_RS_NONE] = "none",
	[CARP_RS_INIT_COMPLETE] = "initialization complete",
	[CARP_RS_MORE_FREQUENT] = "more frequent advertisement received",
	[CARP_RS_PREEMPT] = "preempting a slower master",
	[CARP_RS_MASTER_WILL_TIME_OUT] = "master will time out",
	[CARP_RS_MASTER_TIMED_OUT] = "master timed out",
	[CARP_RS_IF_DOWN] = "hardware interface down",
	[CARP_RS_IF_UP] = "hardware interface up",
	[CARP_RS_USER] = "user requested via ifconfig",
	[CARP_RS_ADMIN_DEMOTE] = "demoted by administrator",
	[CARP_RS_MAINTENANCE] = "maintenance mode",
	[CARP_RS_SHUTDOWN] = "shutting down",
	[CARP_RS_ADDR_CHANGE] = "address list changed",
	[CARP_RS_DISABLED] = "carp disabled",
	[CARP_RS_REMOVED] = "vhid removed",
};

const char *const carp_diag_names[CARP_DIAG_MAX] = {
	[CARP_DIAG_NONE] = "none",
	[CARP_DIAG_UNKNOWN] = "password_or_addresses",
	[CARP_DIAG_LACKS] = "lacks_address",
	[CARP_DIAG_ONLY4] = "only_inet",
	[CARP_DIAG_ONLY6] = "only_inet6",
};

/* Format an address (without prefix length) into buf. */
const char *
carp_addr_ntop(const struct carp_addr *ca, char *buf, size_t len)
{
	if (ca->family == AF_INET || ca->family == AF_INET6) {
		if (inet_ntop(ca->family, &ca->a, buf, len) != NULL)
			return buf;
	}
	snprintf(buf, len, "none");
	return buf;
}

/*
 * Order addresses: IPv4 before IPv6, IPv4 numerically, IPv6 bytewise.
 * Both orders equal memcmp of the network-order bytes.
 */
int
carp_addr_cmp(const struct carp_addr *a, const struct carp_addr *b)
{
	if (a->family != b->family)
		return a->family == AF_INET ? -1 : 1;
	if (a->family == AF_INET)
		return memcmp(&a->a.v4, &b->a.v4, sizeof(a->a.v4));
	if (a->family == AF_INET6)
		return memcmp(&a->a.v6, &b->a.v6, sizeof(a->a.v6));
	return 0;
}
