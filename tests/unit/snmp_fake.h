/*
 * snmp_fake.h: what the AgentX unit tests (test_snmp_ax.c,
 * test_snmp_vrrp.c) put in place of snmp.c: the snapshot is the test's
 * own, and SETs and commands are refused.  Also net-snmp's AgentX codec,
 * whose header (agentx/protocol.h) is not installed.  Included once per
 * test program, after net-snmp's headers and agent/snmp_impl.h.
 */
#ifndef SNMP_FAKE_H
#define SNMP_FAKE_H

int	agentx_parse(netsnmp_session *, netsnmp_pdu *, u_char *, size_t);
int	agentx_realloc_build(netsnmp_session *, netsnmp_pdu *, u_char **,
	    size_t *, size_t *);
#define AX_VERSION_1	193
#define AX_GET		5
#define AX_GETNEXT	6
#define AX_TESTSET	8
#define AX_RESPONSE	18
#define AX_NBO		0x10
#define AX_CONTEXT	0x08

/* The snapshot the subagent answers from. */
static struct snap	*snap;

const struct snap *
snmp_snap_get(void)
{
	return snap;
}

int
snmp_command(enum snmp_cmd_type type, unsigned int ifindex,
    unsigned int vhid, bool on)
{
	(void)type;
	(void)ifindex;
	(void)vhid;
	(void)on;
	return SNMP_ERR_GENERR;
}

int
snmp_command_value(enum snmp_cmd_type type, long value)
{
	(void)type;
	(void)value;
	return SNMP_ERR_GENERR;
}

bool
snmp_writable(void)
{
	return false;
}

#endif /* SNMP_FAKE_H */
