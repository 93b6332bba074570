/*
 * test_conf.c: the configuration parser (agent/conf.c).
 */
#include <sys/types.h>
#include <sys/socket.h>

#include <arpa/inet.h>

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "agent/conf.h"

static char	 msgs[8192];	/* every message, one per line */
static int	 nerr, nwarn;

static unsigned int	test_resolve(void *, const char *);
static void		test_msg(void *, int, const char *);
static struct carpd_conf *parse(const char *);
static void		check_error(const char *, const char *);
static void		check_addr(const struct carp_addr *, const char *, int);
static struct carpd_conf *reparse(const struct carpd_conf *, int);

/* Fake interfaces: igb1, eth0, eth1, lo and em0. */
static unsigned int
test_resolve(void *arg, const char *name)
{
	static const char *const names[] = { "igb1", "eth0", "eth1", "lo",
	    "em0" };
	size_t	 i;

	(void)arg;
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (strcmp(name, names[i]) == 0)
			return (unsigned int)i + 1;
	return 0;
}

static void
test_msg(void *arg, int severity, const char *text)
{
	(void)arg;
	if (severity == CONF_MSG_ERROR)
		nerr++;
	else
		nwarn++;
	strncat(msgs, text, sizeof(msgs) - strlen(msgs) - 2);
	strcat(msgs, "\n");
}

static const struct conf_opts test_opts = {
	.resolve = test_resolve,
	.msg = test_msg,
};

/* Parse a string as the file "t.conf", capturing the messages. */
static struct carpd_conf *
parse(const char *text)
{
	msgs[0] = '\0';
	nerr = nwarn = 0;
	return conf_parse_buf("t.conf", text, strlen(text), &test_opts);
}

/* The text must fail with exactly these messages. */
static void
check_error(const char *text, const char *expect)
{
	struct carpd_conf	*conf;

	conf = parse(text);
	assert_null(conf);
	assert_string_equal(msgs, expect);
}

static void
check_addr(const struct carp_addr *a, const char *text, int plen)
{
	char	 buf[INET6_ADDRSTRLEN];

	assert_non_null(inet_ntop(a->family, &a->a, buf, sizeof(buf)));
	assert_string_equal(buf, text);
	assert_int_equal(a->prefixlen, plen);
}

/* Print conf and parse the output again. */
static struct carpd_conf *
reparse(const struct carpd_conf *conf, int flags)
{
	struct carpd_conf	*again;
	char			*buf = NULL;
	size_t			 len = 0;
	FILE			*fp;

	fp = open_memstream(&buf, &len);
	assert_non_null(fp);
	conf_print_flags(fp, conf, flags);
	fclose(fp);
	again = parse(buf);
	if (again == NULL)
		fprintf(stderr, "%s---\n%s", buf, msgs);
	free(buf);
	assert_non_null(again);
	return again;
}

#define SEED \
	"net.inet.carp.preempt=1\n" \
	"ifconfig_igb1_alias0=\"inet vhid 1 advskew 100 pass test123 " \
	"alias 192.168.10.111/32\"\n"

static void
test_seed_config(void **state)
{
	struct carpd_conf	*conf;
	struct carp_vhid_conf	*vc;

	(void)state;
	conf = parse(SEED);
	assert_non_null(conf);
	assert_string_equal(msgs, "");
	assert_true(conf->node.preempt);
	assert_true(conf->node.allow);
	assert_int_equal(conf->nvhids, 1);
	assert_int_equal(conf->vhids[0].cv_line, 2);
	vc = &conf->vhids[0].cv_conf;
	assert_int_equal(vc->vhid, 1);
	assert_string_equal(vc->ifname, "igb1");
	assert_int_equal(vc->ifindex, 1);
	assert_int_equal(vc->advbase, 1);
	assert_int_equal(vc->advskew, 100);
	assert_int_equal(vc->keylen, 7);
	assert_memory_equal(vc->key, "test123", 7);
	assert_int_equal(vc->naddrs, 1);
	check_addr(&vc->addrs[0], "192.168.10.111", 32);
	assert_int_equal(vc->peer4.family, 0);
	assert_int_equal(vc->peer6.family, 0);
	conf_free(conf);
}

static void
test_defaults(void **state)
{
	struct carpd_conf	*conf;

	(void)state;
	conf = parse("# nothing\n\n   \t\n");
	assert_non_null(conf);
	assert_true(conf->node.allow);
	assert_false(conf->node.preempt);
	assert_int_equal(conf->node.demotion, 0);
	assert_int_equal(conf->node.ifdown_factor, 240);
	assert_int_equal(conf->node.senderr_factor, 240);
	assert_int_equal(conf->log_level, 1);
	assert_int_equal(conf->dscp, 56);
	assert_int_equal(conf->log_rate, 10);
	assert_int_equal(conf->notify_timeout, 10);
	assert_null(conf->notify_script);
	assert_null(conf->state_file);
	assert_string_equal(conf->control_socket, "/run/carpd/carpd.sock");
	assert_int_equal(conf->nhttp_listen, 0);
	assert_null(conf->http_listen);
	assert_null(conf->http_token_file);
	assert_false(conf->http_auth_reads);
	assert_string_equal(conf->agentx_socket, "unix:/var/agentx/master");
	assert_int_equal(conf->agentx_ping_interval, 5);
	assert_int_equal(conf->nvhids, 0);
	conf_free(conf);

	conf = parse("");
	assert_non_null(conf);
	conf_free(conf);
}

static void
test_sysctls_all(void **state)
{
	struct carpd_conf	*conf;

	(void)state;
	conf = parse(
	    "net.inet.carp.allow = 0   # off\n"
	    "  net.inet.carp.preempt=1#on\n"
	    "net.inet.carp.log=2\n"
	    "net.inet.carp.demotion=-20\n"
	    "net.inet.carp.ifdown_demotion_factor=100\n"
	    "net.inet.carp.senderr_demotion_factor=\"50\"\n"
	    "net.inet.carp.dscp\t=\t0\r\n");
	assert_non_null(conf);
	assert_string_equal(msgs, "");
	assert_false(conf->node.allow);
	assert_true(conf->node.preempt);
	assert_int_equal(conf->log_level, 2);
	assert_int_equal(conf->node.demotion, -20);
	assert_int_equal(conf->node.ifdown_factor, 100);
	assert_int_equal(conf->node.senderr_factor, 50);
	assert_int_equal(conf->dscp, 0);
	conf_free(conf);
}

static void
test_sysctl_errors(void **state)
{
	(void)state;
	check_error("net.inet.carp.dscp=64\n",
	    "t.conf:1: net.inet.carp.dscp 64 out of range (0-63)\n");
	check_error("net.inet.carp.log=8\n",
	    "t.conf:1: net.inet.carp.log 8 out of range (0-7)\n");
	check_error("net.inet.carp.preempt=1x\n",
	    "t.conf:1: net.inet.carp.preempt \"1x\" is not a decimal "
	    "number\n");
	check_error("net.inet.carp.preempt=+1\n",
	    "t.conf:1: net.inet.carp.preempt \"+1\" is not a decimal "
	    "number\n");
	check_error("net.inet.carp.allow=-1\n",
	    "t.conf:1: net.inet.carp.allow \"-1\" is not a decimal "
	    "number\n");
	check_error("net.inet.carp.allow=\n",
	    "t.conf:1: net.inet.carp.allow takes exactly one value\n");
	check_error("net.inet.carp.allow=1 2\n",
	    "t.conf:1: net.inet.carp.allow takes exactly one value\n");
	check_error("net.inet.carp.demotion=99999999999999999999999\n",
	    "t.conf:1: net.inet.carp.demotion 99999999999999999999999 out "
	    "of range (-1000000-1000000)\n");
	check_error("net.inet.carp.dscp=0x10\n",
	    "t.conf:1: net.inet.carp.dscp \"0x10\" is not a decimal "
	    "number\n");
	check_error("net.inet.carp.prempt=1\n",
	    "t.conf:1: unknown sysctl net.inet.carp.prempt\n");
	check_error("net.inet.carp.preempt=1\nnet.inet.carp.preempt=0\n",
	    "t.conf:2: net.inet.carp.preempt 0 conflicts with 1 at "
	    "t.conf:1\n");
}

static void
test_sysctl_same_twice(void **state)
{
	struct carpd_conf	*conf;

	(void)state;
	conf = parse("net.inet.carp.preempt=1\nnet.inet.carp.preempt=1\n");
	assert_non_null(conf);
	assert_true(conf->node.preempt);
	conf_free(conf);
}

static void
test_other_lines_skipped(void **state)
{
	struct carpd_conf	*conf;

	(void)state;
	conf = parse(
	    "hostname=\"fw1.example.org\"\n"
	    "kern.ipc.somaxconn=1024\n"
	    "ifconfig_igb1=\"inet 10.0.0.1/24\"\n"
	    "ifconfig igb1 inet 10.0.0.2/24 alias\n"
	    SEED);
	assert_non_null(conf);
	assert_string_equal(msgs,
	    "t.conf:1: warning: rc.conf variable hostname is not for carpd, "
	    "line skipped\n"
	    "t.conf:2: warning: sysctl kern.ipc.somaxconn is not for carpd, "
	    "line skipped\n"
	    "t.conf:3: warning: no vhid on this ifconfig line, not CARP, "
	    "line skipped\n"
	    "t.conf:4: warning: no vhid on this ifconfig line, not CARP, "
	    "line skipped\n");
	assert_int_equal(conf->nvhids, 1);
	assert_int_equal(conf->vhids[0].cv_line, 6);
	conf_free(conf);
}

static void
test_rc_forms(void **state)
{
	struct carpd_conf	*conf;
	struct carp_vhid_conf	*vc;

	(void)state;
	conf = parse(
	    "ifconfig_eth0='inet vhid 3 pass a#b alias 192.0.2.1/24' # c\n"
	    "ifconfig_eth0_alias7=\"inet 192.0.2.2 vhid 3\"\n"
	    "ifconfig_eth1_ipv6=\"inet6 vhid 4 alias 2001:db8::4\"\n"
	    "ifconfig_lo=\"vhid 5 198.51.100.5\"\n");
	assert_non_null(conf);
	assert_string_equal(msgs, "");
	assert_int_equal(conf->nvhids, 3);
	vc = &conf->vhids[0].cv_conf;
	assert_string_equal(vc->ifname, "eth0");
	assert_int_equal(vc->ifindex, 2);
	assert_int_equal(vc->vhid, 3);
	assert_int_equal(vc->keylen, 3);
	assert_memory_equal(vc->key, "a#b", 3);
	assert_int_equal(vc->naddrs, 2);
	check_addr(&vc->addrs[0], "192.0.2.1", 24);
	check_addr(&vc->addrs[1], "192.0.2.2", 32);
	vc = &conf->vhids[1].cv_conf;
	assert_string_equal(vc->ifname, "eth1");
	check_addr(&vc->addrs[0], "2001:db8::4", 64);
	vc = &conf->vhids[2].cv_conf;
	assert_string_equal(vc->ifname, "lo");
	check_addr(&vc->addrs[0], "198.51.100.5", 32);
	conf_free(conf);
}

static void
test_plain_forms(void **state)
{
	struct carpd_conf	*conf;
	struct carp_vhid_conf	*vc;

	(void)state;
	conf = parse(
	    "ifconfig eth0 inet vhid 1 advbase 1 advskew 100 pass test123 "
	    "alias 192.0.2.111/32\n"
	    "ifconfig eth0 inet 192.0.2.112 netmask 0xffffff00 vhid 1\n"
	    "ifconfig eth0 inet 192.0.2.113 netmask 255.255.0.0 vhid 1\n"
	    "ifconfig eth0 inet6 vhid 1 alias 2001:db8::111\n"
	    "ifconfig eth0 inet6 2001:db8::112 prefixlen 48 vhid 1 alias\n"
	    "ifconfig eth0 vhid 1 advbase 1 198.51.100.1 up\n");
	assert_non_null(conf);
	assert_string_equal(msgs, "");
	assert_int_equal(conf->nvhids, 1);
	vc = &conf->vhids[0].cv_conf;
	assert_int_equal(vc->advbase, 1);
	assert_int_equal(vc->advskew, 100);
	assert_int_equal(vc->naddrs, 6);
	check_addr(&vc->addrs[0], "192.0.2.111", 32);
	check_addr(&vc->addrs[1], "192.0.2.112", 24);
	check_addr(&vc->addrs[2], "192.0.2.113", 16);
	check_addr(&vc->addrs[3], "2001:db8::111", 64);
	check_addr(&vc->addrs[4], "2001:db8::112", 48);
	check_addr(&vc->addrs[5], "198.51.100.1", 32);
	conf_free(conf);
}

static void
test_multi_line_aggregation(void **state)
{
	struct carpd_conf	*conf;
	struct carp_vhid_conf	*vc;

	(void)state;
	conf = parse(
	    "ifconfig eth0 vhid 7 advskew 50 alias 192.0.2.1\n"
	    "ifconfig eth1 vhid 7 alias 192.0.2.2\n"
	    "# same vhid, other interface: another VHID\n"
	    "ifconfig eth0 vhid 8 alias 192.0.2.3\n"
	    "ifconfig eth0 vhid 7 advskew 50 pass x alias 192.0.2.4\n"
	    "ifconfig eth0 vhid 7 pass x\n");
	assert_non_null(conf);
	assert_string_equal(msgs, "");
	assert_int_equal(conf->nvhids, 3);
	vc = &conf->vhids[0].cv_conf;
	assert_string_equal(vc->ifname, "eth0");
	assert_int_equal(vc->vhid, 7);
	assert_int_equal(vc->advskew, 50);
	assert_int_equal(vc->keylen, 1);
	assert_int_equal(vc->naddrs, 2);
	check_addr(&vc->addrs[1], "192.0.2.4", 32);
	assert_int_equal(conf->vhids[0].cv_line, 1);
	assert_string_equal(conf->vhids[1].cv_conf.ifname, "eth1");
	assert_int_equal(conf->vhids[1].cv_conf.advskew, 0);
	assert_int_equal(conf->vhids[2].cv_conf.vhid, 8);
	assert_int_equal(conf->vhids[2].cv_line, 4);
	conf_free(conf);
}

static void
test_conflicts(void **state)
{
	(void)state;
	check_error(
	    "ifconfig eth0 vhid 1 advskew 50 alias 192.0.2.1\n"
	    "ifconfig eth0 vhid 1 advskew 100 alias 192.0.2.2\n",
	    "t.conf:2: advskew 100 conflicts with 50 at t.conf:1\n");
	check_error(
	    "ifconfig eth0 vhid 1 advbase 3 alias 192.0.2.1\n"
	    "ifconfig eth0 vhid 1 advbase 1 alias 192.0.2.2\n",
	    "t.conf:2: advbase 1 conflicts with 3 at t.conf:1\n");
	check_error(
	    "ifconfig eth0 vhid 1 pass secret1 alias 192.0.2.1\n"
	    "ifconfig eth0 vhid 1 pass secret2 alias 192.0.2.2\n",
	    "t.conf:2: pass conflicts with the one at t.conf:1\n");
	check_error(
	    "ifconfig eth0 vhid 1 peer 192.0.2.9 alias 192.0.2.1\n"
	    "ifconfig eth0 vhid 1 peer 192.0.2.8 alias 192.0.2.2\n"
	    "ifconfig eth0 vhid 1 mcast\n",
	    "t.conf:2: peer 192.0.2.8 conflicts with 192.0.2.9 at "
	    "t.conf:1\n"
	    "t.conf:3: peer mcast conflicts with 192.0.2.9 at t.conf:1\n");
	check_error(
	    "ifconfig eth0 inet6 vhid 1 peer6 2001:db8::9 alias "
	    "2001:db8::1\n"
	    "ifconfig eth0 inet6 vhid 1 peer6 2001:db8::8\n",
	    "t.conf:2: peer6 2001:db8::8 conflicts with 2001:db8::9 at "
	    "t.conf:1\n");
	check_error(
	    "ifconfig eth0 vhid 1 advskew 1 advskew 2 advbase 1 advbase 2 "
	    "pass a pass b peer 192.0.2.5 mcast peer6 2001:db8::5 "
	    "peer6 2001:db8::6 alias 192.0.2.1\n",
	    "t.conf:1: advskew 2 conflicts with 1 on this line\n"
	    "t.conf:1: advbase 2 conflicts with 1 on this line\n"
	    "t.conf:1: pass given twice on this line\n"
	    "t.conf:1: peer given twice on this line\n"
	    "t.conf:1: peer6 given twice on this line\n");
	check_error(
	    "notify-timeout 5\nnotify-timeout 6\n",
	    "t.conf:2: notify-timeout 6 conflicts with 5 at t.conf:1\n");
	check_error(
	    "state-file /a\nstate-file /b\n",
	    "t.conf:2: state-file /b conflicts with /a at t.conf:1\n");
}

static void
test_range_errors(void **state)
{
	(void)state;
	check_error("ifconfig eth0 vhid 0 alias 192.0.2.1\n",
	    "t.conf:1: vhid 0 out of range (1-255)\n");
	check_error("ifconfig eth0 vhid 256 alias 192.0.2.1\n",
	    "t.conf:1: vhid 256 out of range (1-255)\n");
	check_error("ifconfig eth0 vhid 1x alias 192.0.2.1\n",
	    "t.conf:1: vhid \"1x\" is not a decimal number\n");
	check_error("ifconfig eth0 vhid 1 advbase 0 alias 192.0.2.1\n",
	    "t.conf:1: advbase 0 out of range (1-255)\n");
	check_error("ifconfig eth0 vhid 1 advbase 256 alias 192.0.2.1\n",
	    "t.conf:1: advbase 256 out of range (1-255)\n");
	check_error("ifconfig eth0 vhid 1 advskew 255 alias 192.0.2.1\n",
	    "t.conf:1: advskew 255 out of range (0-254)\n");
	check_error("ifconfig eth0 vhid 1 advskew -1 alias 192.0.2.1\n",
	    "t.conf:1: advskew \"-1\" is not a decimal number\n");
	check_error("ifconfig eth0 vhid 1 alias 192.0.2.1/33\n",
	    "t.conf:1: prefix length 33 out of range (0-32)\n");
	check_error("ifconfig eth0 vhid 1 inet6 alias 2001:db8::1/129\n",
	    "t.conf:1: prefix length 129 out of range (0-128)\n");
	check_error("ifconfig eth0 vhid 1 alias 192.0.2.1 prefixlen 33\n",
	    "t.conf:1: prefixlen 33 out of range (0-32)\n");
	check_error("ifconfig eth0 vhid\n",
	    "t.conf:1: vhid needs a value\n");
}

static void
test_address_errors(void **state)
{
	(void)state;
	check_error("ifconfig eth0 vhid 1 alias 192.0.2.256\n",
	    "t.conf:1: bad address 192.0.2.256\n");
	check_error("ifconfig eth0 inet vhid 1 alias 2001:db8::1\n",
	    "t.conf:1: bad address (inet) 2001:db8::1\n");
	check_error("ifconfig eth0 vhid 1 alias 224.0.0.18\n",
	    "t.conf:1: address 224.0.0.18 is not a unicast address\n");
	check_error("ifconfig eth0 vhid 1 alias 192.0.2.1 192.0.2.2\n",
	    "t.conf:1: more than one address on one line\n");
	check_error("ifconfig eth0 vhid 1 alias 192.0.2.1 netmask "
	    "255.0.255.0\n",
	    "t.conf:1: bad netmask 255.0.255.0\n");
	check_error("ifconfig eth0 vhid 1 alias 192.0.2.1/24 netmask "
	    "0xffffff00\n",
	    "t.conf:1: prefix length given twice\n");
	check_error("ifconfig eth0 vhid 1 peer 2001:db8::1 alias "
	    "192.0.2.1\n",
	    "t.conf:1: bad peer (inet) 2001:db8::1\n");
	check_error("ifconfig eth0 vhid 1 peer 192.0.2.2/32 alias "
	    "192.0.2.1\n",
	    "t.conf:1: peer 192.0.2.2/32 takes no prefix length\n");
	check_error("ifconfig eth0 vhid 1 inet6 alias 192.0.2.1\n",
	    "t.conf:1: bad address (inet6) 192.0.2.1\n");
	check_error("ifconfig eth0 vhid 1 frobnicate alias 192.0.2.1\n",
	    "t.conf:1: unknown ifconfig keyword frobnicate\n");
	check_error("ifconfig eth0 vhid 1 alias 192.0.2.1/\n",
	    "t.conf:1: prefix length \"\" is not a decimal number\n");
}

static void
test_unknown_interface(void **state)
{
	(void)state;
	check_error("ifconfig igb7 vhid 1 alias 192.0.2.1\n",
	    "t.conf:1: unknown interface igb7\n");
	check_error("ifconfig_em1_alias0=\"inet vhid 1 alias 192.0.2.1\"\n",
	    "t.conf:1: unknown interface em1\n");
	check_error("ifconfig eth0:1 vhid 1 alias 192.0.2.1\n",
	    "t.conf:1: bad interface name eth0:1\n");
	check_error("ifconfig_=\"vhid 1 alias 192.0.2.1\"\n",
	    "t.conf:1: bad interface name in ifconfig_\n");
	check_error("ifconfig\n", "t.conf:1: ifconfig needs an interface\n");
}

static void
test_duplicate_addresses(void **state)
{
	struct carpd_conf	*conf;

	(void)state;
	check_error(
	    "ifconfig eth0 vhid 1 alias 192.0.2.1\n"
	    "ifconfig eth1 vhid 2 alias 192.0.2.1/24\n",
	    "t.conf:2: address 192.0.2.1 already used by vhid 1 on eth0 at "
	    "t.conf:1\n");
	check_error(
	    "ifconfig eth0 vhid 1 alias 2001:db8::1\n"
	    "ifconfig eth0 vhid 2 alias 2001:db8:0::1/64\n",
	    "t.conf:2: address 2001:db8::1 already used by vhid 1 on eth0 at "
	    "t.conf:1\n");

	conf = parse(
	    "ifconfig eth0 vhid 1 alias 192.0.2.1\n"
	    "ifconfig eth0 vhid 1 alias 192.0.2.1\n");
	assert_non_null(conf);
	assert_string_equal(msgs,
	    "t.conf:2: warning: address 192.0.2.1 already in vhid 1 on eth0 "
	    "at t.conf:1, ignored\n");
	assert_int_equal(conf->vhids[0].cv_conf.naddrs, 1);
	conf_free(conf);
}

static void
test_too_many_addresses(void **state)
{
	struct carpd_conf	*conf;
	char			 buf[(CARP_MAX_ADDRS + 2) * 48], line[128];
	char			 want[256];
	int			 i;

	(void)state;
	assert_true(CARP_MAX_ADDRS > 100);	/* far above the old 32 */
	buf[0] = '\0';
	for (i = 0; i < CARP_MAX_ADDRS; i++) {
		snprintf(line, sizeof(line),
		    "ifconfig eth0 vhid 1 alias 10.0.%d.%d\n", i / 200,
		    i % 200 + 1);
		strcat(buf, line);
	}
	conf = parse(buf);
	assert_non_null(conf);
	assert_int_equal(conf->vhids[0].cv_conf.naddrs, CARP_MAX_ADDRS);
	conf_free(conf);
	strcat(buf, "ifconfig eth0 vhid 1 alias 10.0.1.1\n");
	strcat(buf, "ifconfig eth0 vhid 1 alias 10.0.1.2\n");
	snprintf(want, sizeof(want),
	    "t.conf:%d: too many addresses for vhid 1 on eth0 (at most %d)\n"
	    "t.conf:%d: too many addresses for vhid 1 on eth0 (at most %d)\n",
	    CARP_MAX_ADDRS + 1, CARP_MAX_ADDRS, CARP_MAX_ADDRS + 2,
	    CARP_MAX_ADDRS);
	check_error(buf, want);
}

static void
test_vhid_without_address(void **state)
{
	(void)state;
	check_error(
	    "\n"
	    "ifconfig eth0 vhid 9 advskew 10 pass x\n"
	    "ifconfig eth0 vhid 9 advskew 10\n",
	    "t.conf:2: vhid 9 on eth0 has no address\n");
}

static void
test_password_truncated(void **state)
{
	struct carpd_conf	*conf;
	struct carp_vhid_conf	*vc;

	(void)state;
	conf = parse("ifconfig eth0 vhid 1 pass 0123456789abcdefghijKLMN "
	    "alias 192.0.2.1\n"
	    "ifconfig eth0 vhid 1 pass 0123456789abcdefghiXYZ\n");
	assert_non_null(conf);
	assert_string_equal(msgs,
	    "t.conf:1: warning: password longer than 19 bytes, truncated as "
	    "FreeBSD does\n"
	    "t.conf:2: warning: password longer than 19 bytes, truncated as "
	    "FreeBSD does\n");
	vc = &conf->vhids[0].cv_conf;
	assert_int_equal(vc->keylen, 19);
	assert_memory_equal(vc->key, "0123456789abcdefghi", 19);
	conf_free(conf);
}

static void
test_ipv6_and_peers(void **state)
{
	struct carpd_conf	*conf;
	struct carp_vhid_conf	*vc;
	char			 buf[INET6_ADDRSTRLEN];

	(void)state;
	conf = parse(
	    "ifconfig eth0 inet vhid 1 peer 192.0.2.20 alias 192.0.2.1/24\n"
	    "ifconfig eth0 inet6 vhid 1 peer6 2001:db8::20 alias "
	    "2001:db8::1/64\n"
	    "ifconfig eth1 inet6 vhid 2 mcast6 alias fe80::1\n"
	    "ifconfig eth1 vhid 2 mcast\n");
	assert_non_null(conf);
	assert_string_equal(msgs, "");
	vc = &conf->vhids[0].cv_conf;
	assert_int_equal(vc->peer4.family, AF_INET);
	inet_ntop(AF_INET, &vc->peer4.a.v4, buf, sizeof(buf));
	assert_string_equal(buf, "192.0.2.20");
	assert_int_equal(vc->peer6.family, AF_INET6);
	inet_ntop(AF_INET6, &vc->peer6.a.v6, buf, sizeof(buf));
	assert_string_equal(buf, "2001:db8::20");
	check_addr(&vc->addrs[1], "2001:db8::1", 64);
	vc = &conf->vhids[1].cv_conf;
	assert_int_equal(vc->peer4.family, 0);
	assert_int_equal(vc->peer6.family, 0);
	check_addr(&vc->addrs[0], "fe80::1", 64);
	conf_free(conf);
}

static void
test_peer_without_family_warns(void **state)
{
	struct carpd_conf	*conf;

	(void)state;
	conf = parse(
	    "ifconfig eth0 vhid 1 alias 192.0.2.1\n"
	    "ifconfig eth0 vhid 1 peer6 2001:db8::2\n"
	    "ifconfig eth1 inet6 vhid 2 peer 192.0.2.9 alias 2001:db8::3\n");
	assert_non_null(conf);
	assert_string_equal(msgs,
	    "t.conf:2: warning: vhid 1 on eth0 has a peer6 but no inet6 "
	    "address\n"
	    "t.conf:3: warning: vhid 2 on eth1 has a peer but no inet "
	    "address\n");
	conf_free(conf);
}

static void
test_state_and_broadcast_ignored(void **state)
{
	struct carpd_conf	*conf;

	(void)state;
	conf = parse("ifconfig eth0 inet 192.0.2.1 netmask 255.255.255.0 "
	    "broadcast 192.0.2.255 vhid 1 state master\n");
	assert_non_null(conf);
	assert_string_equal(msgs,
	    "t.conf:1: warning: broadcast ignored\n"
	    "t.conf:1: warning: state master ignored: every vhid starts in "
	    "INIT, then BACKUP\n");
	check_addr(&conf->vhids[0].cv_conf.addrs[0], "192.0.2.1", 24);
	conf_free(conf);
	check_error("ifconfig eth0 vhid 1 state up alias 192.0.2.1\n",
	    "t.conf:1: bad state up (backup or master)\n");
}

static void
test_carpd_keys(void **state)
{
	struct carpd_conf	*conf;

	(void)state;
	conf = parse(
	    "notify-script /usr/local/sbin/carp-notify  # hook\n"
	    "notify-timeout 30\n"
	    "state-file '/var/db/carpd state'\n"
	    "log-rate 0\n");
	assert_non_null(conf);
	assert_string_equal(msgs, "");
	assert_string_equal(conf->notify_script,
	    "/usr/local/sbin/carp-notify");
	assert_int_equal(conf->notify_timeout, 30);
	assert_string_equal(conf->state_file, "/var/db/carpd state");
	assert_int_equal(conf->log_rate, 0);
	conf_free(conf);

	check_error("notify-script carp-notify\n",
	    "t.conf:1: notify-script carp-notify is not an absolute path\n");
	check_error("notify-timeout 0\n",
	    "t.conf:1: notify-timeout 0 out of range (1-86400)\n");
	check_error("log-rate ten\n",
	    "t.conf:1: log-rate \"ten\" is not a decimal number\n");
	check_error("notify-timeout\n",
	    "t.conf:1: notify-timeout takes exactly one value\n");
	check_error("notify-timeout 1 2\n",
	    "t.conf:1: notify-timeout takes exactly one value\n");
	check_error("agentx-sock /run/agentx\n",
	    "t.conf:1: unknown keyword agentx-sock\n");
	check_error("notify-script=/x\n",
	    "t.conf:1: unknown keyword notify-script=/x\n");
}

/* The exporters' and the SNMP subagent's keys. */
/*
 * http-tls-*: exporter-toolkit's names and rules, each error at its line;
 * the canonical form shows them only with TLS and parses back.
 */
static void
test_tls_keys(void **state)
{
	struct carpd_conf	*conf, *again;
	char			*buf = NULL;
	size_t			 len = 0;
	FILE			*fp;

	(void)state;
	conf = parse("http-listen 192.0.2.1:9580\n"
	    "http-tls-cert /etc/carpd/cert.pem\n"
	    "http-tls-key /etc/carpd/key.pem\n"
	    "http-tls-client-ca /etc/carpd/ca.pem\n"
	    "http-tls-client-auth VerifyClientCertIfGiven\n"
	    "http-tls-min-version TLS13\n"
	    "http-action-auth both\n");
	assert_non_null(conf);
	assert_string_equal(msgs, "");
	assert_string_equal(conf->http_tls_cert, "/etc/carpd/cert.pem");
	assert_int_equal(conf->http_tls_cert_line, 2);
	assert_int_equal(conf->http_tls_key_line, 3);
	assert_int_equal(conf->http_tls_client_ca_line, 4);
	assert_int_equal(conf->http_tls_client_auth, CONF_TLS_VERIFY_IF_GIVEN);
	assert_int_equal(conf->http_tls_min_version, CONF_TLS_13);
	assert_int_equal(conf->http_action_auth, CONF_ACTION_AUTH_BOTH);
	fp = open_memstream(&buf, &len);
	conf_print(fp, conf);
	fclose(fp);
	assert_non_null(strstr(buf, "http-action-auth both\n"));
	assert_non_null(strstr(buf, "http-tls-cert /etc/carpd/cert.pem\n"
	    "http-tls-client-auth VerifyClientCertIfGiven\n"
	    "http-tls-client-ca /etc/carpd/ca.pem\n"
	    "http-tls-key /etc/carpd/key.pem\n"
	    "http-tls-min-version TLS13\n"));
	free(buf);
	again = reparse(conf, 0);
	assert_true(conf_equal(conf, again));
	conf_free(again);
	conf_free(conf);

	/* Without TLS, no TLS key is printed. */
	conf = parse("http-listen 192.0.2.1:9580\n");
	assert_non_null(conf);
	buf = NULL;
	fp = open_memstream(&buf, &len);
	conf_print(fp, conf);
	fclose(fp);
	assert_null(strstr(buf, "http-tls"));
	assert_null(strstr(buf, "http-action-auth"));
	free(buf);
	conf_free(conf);

	check_error("http-tls-client-auth Verify\n",
	    "t.conf:1: http-tls-client-auth Verify is not one of "
	    "NoClientCert, RequestClientCert, RequireAnyClientCert, "
	    "VerifyClientCertIfGiven, RequireAndVerifyClientCert\n");
	check_error("http-tls-min-version TLS11\n",
	    "t.conf:1: http-tls-min-version TLS11 is not one of TLS12, "
	    "TLS13\n");
	check_error("http-listen 192.0.2.1:9580\n"
	    "http-tls-cert /c.pem\n",
	    "t.conf:2: http-tls-cert needs http-tls-key\n");
	check_error("http-tls-key /k.pem\n"
	    "http-tls-client-ca /ca.pem\n"
	    "http-tls-client-auth RequireAndVerifyClientCert\n"
	    "http-action-auth client-cert\n",
	    "t.conf:1: http-tls-key needs http-tls-cert\n"
	    "t.conf:2: http-tls-client-ca needs http-tls-cert and "
	    "http-tls-key\n"
	    "t.conf:3: http-tls-client-auth needs http-tls-cert and "
	    "http-tls-key\n"
	    "t.conf:4: http-action-auth client-cert needs TLS: "
	    "http-tls-cert, http-tls-key, http-tls-client-ca\n");
	/* As exporter-toolkit: a client CA needs a client_auth_type. */
	check_error("http-listen 192.0.2.1:9580\n"
	    "http-tls-cert /c.pem\nhttp-tls-key /k.pem\n"
	    "http-tls-client-ca /ca.pem\n",
	    "t.conf:4: http-tls-client-ca needs http-tls-client-auth other "
	    "than NoClientCert (as exporter-toolkit's client_ca_file and "
	    "client_auth_type)\n");
	check_error("http-listen 192.0.2.1:9580\n"
	    "http-tls-cert /c.pem\nhttp-tls-key /k.pem\n"
	    "http-tls-client-auth RequireAndVerifyClientCert\n",
	    "t.conf:4: http-tls-client-auth RequireAndVerifyClientCert needs "
	    "http-tls-client-ca\n");
	check_error("http-listen 192.0.2.1:9580\n"
	    "http-tls-cert /c.pem\nhttp-tls-key /k.pem\n"
	    "http-tls-client-auth RequireAnyClientCert\n"
	    "http-action-auth both\n",
	    "t.conf:5: http-action-auth both needs http-tls-client-auth "
	    "VerifyClientCertIfGiven or RequireAndVerifyClientCert\n");
	check_error("http-action-auth token\nhttp-action-auth both\n",
	    "t.conf:2: http-action-auth both conflicts with token at "
	    "t.conf:1\n");
	/* Without http-listen: a warning, TLS protects nothing. */
	conf = parse("http-tls-cert /c.pem\nhttp-tls-key /k.pem\n");
	assert_non_null(conf);
	assert_string_equal(msgs, "t.conf:1: warning: http-tls-cert without "
	    "http-listen: no TCP to protect\n");
	conf_free(conf);
}

static void
test_exporter_keys(void **state)
{
	struct carpd_conf	*conf, *again;
	char			*buf = NULL;
	size_t			 len = 0;
	FILE			*fp;

	(void)state;
	conf = parse(
	    "control-socket off\n"
	    "http-listen 192.0.2.1:9580\n"
	    "http-listen [2001:DB8::0:1]:9580\n"
	    "http-listen 0.0.0.0:80\n"
	    "http-listen 192.0.2.1:9580\n"
	    "http-token-file /etc/carpd/token\n"
	    "http-auth-reads yes\n"
	    "agentx-socket tcp:localhost:705\n"
	    "agentx-ping-interval 3600\n"
	    "agentx-writable yes\n");
	assert_non_null(conf);
	assert_string_equal(msgs, "t.conf:5: warning: http-listen "
	    "192.0.2.1:9580 given twice, ignored\n");
	assert_null(conf->control_socket);
	assert_int_equal(conf->nhttp_listen, 3);
	assert_string_equal(conf->http_listen[0], "192.0.2.1:9580");
	assert_string_equal(conf->http_listen[1], "[2001:db8::1]:9580");
	assert_string_equal(conf->http_listen[2], "0.0.0.0:80");
	assert_string_equal(conf->http_token_file, "/etc/carpd/token");
	assert_true(conf->http_auth_reads);
	assert_string_equal(conf->agentx_socket, "tcp:localhost:705");
	assert_int_equal(conf->agentx_ping_interval, 3600);
	assert_true(conf->agentx_writable);
	fp = open_memstream(&buf, &len);
	conf_print(fp, conf);
	fclose(fp);
	assert_non_null(strstr(buf, "agentx-ping-interval 3600\n"
	    "agentx-socket tcp:localhost:705\n"
	    "agentx-writable yes\n"
	    "control-socket off\n"
	    "http-auth-reads yes\n"
	    "http-listen 192.0.2.1:9580\n"
	    "http-listen [2001:db8::1]:9580\n"
	    "http-listen 0.0.0.0:80\n"
	    "http-max-per-source 8\n"
	    "http-request-timeout 10\n"
	    "http-token-file /etc/carpd/token\n"));
	free(buf);
	again = reparse(conf, 0);
	assert_true(conf_equal(conf, again));
	conf_free(again);
	conf_free(conf);

	conf = parse("agentx-socket off\ncontrol-socket /tmp/c.sock\n"
	    "agentx-socket off\nagentx-socket=x\n");
	assert_null(conf);
	conf = parse("agentx-socket off\ncontrol-socket /tmp/c.sock\n"
	    "agentx-socket off\nagentx-socket /var/agentx/master2\n");
	assert_null(conf);
	assert_string_equal(msgs, "t.conf:4: agentx-socket "
	    "/var/agentx/master2 conflicts with off at t.conf:1\n");
	conf = parse("agentx-socket off\nhttp-auth-reads no\n");
	assert_non_null(conf);
	assert_null(conf->agentx_socket);
	assert_false(conf->http_auth_reads);
	conf_free(conf);
	conf = parse("http-max-per-source 3\nhttp-request-timeout 30\n");
	assert_non_null(conf);
	assert_int_equal(conf->http_max_per_source, 3);
	assert_int_equal(conf->http_request_timeout, 30);
	conf_free(conf);
	conf = parse("");
	assert_non_null(conf);
	assert_int_equal(conf->http_max_per_source, 8);
	assert_int_equal(conf->http_request_timeout, 10);
	conf_free(conf);
	conf = parse("agentx-socket /var/agentx/master\n"
	    "agentx-socket unix:/x\nagentx-socket tcp6:[::1]:705\n");
	assert_null(conf);

	check_error("control-socket carpd.sock\n", "t.conf:1: control-socket "
	    "carpd.sock is not an absolute path or off\n");
	check_error("http-token-file off\n", "t.conf:1: http-token-file off "
	    "is not an absolute path\n");
	check_error("http-auth-reads 1\n",
	    "t.conf:1: http-auth-reads 1 is not yes or no\n");
	check_error("http-auth-reads yes\nhttp-auth-reads no\n",
	    "t.conf:2: http-auth-reads no conflicts with yes at t.conf:1\n");
	check_error("http-listen localhost:80\n", "t.conf:1: http-listen "
	    "localhost:80 is not ADDR:PORT or [ADDR]:PORT with a numeric "
	    "address\n");
	check_error("http-listen 2001:db8::1:80\n", "t.conf:1: http-listen "
	    "2001:db8::1:80 is not ADDR:PORT or [ADDR]:PORT with a numeric "
	    "address\n");
	check_error("http-listen 192.0.2.1\n", "t.conf:1: http-listen "
	    "192.0.2.1 is not ADDR:PORT or [ADDR]:PORT with a numeric "
	    "address\n");
	check_error("http-listen [::1]9580\n", "t.conf:1: http-listen "
	    "[::1]9580 is not ADDR:PORT or [ADDR]:PORT with a numeric "
	    "address\n");
	check_error("http-listen 192.0.2.1:0\n",
	    "t.conf:1: http-listen port 0 out of range (1-65535)\n");
	check_error("http-listen [::]:65536\n",
	    "t.conf:1: http-listen port 65536 out of range (1-65535)\n");
	check_error("http-listen 192.0.2.1:x\n",
	    "t.conf:1: http-listen port \"x\" is not a decimal number\n");
	check_error("agentx-socket var/agentx\n", "t.conf:1: agentx-socket "
	    "var/agentx is not unix:/PATH, /PATH, tcp:HOST:PORT, "
	    "tcp6:[ADDR]:PORT or off\n");
	check_error("agentx-socket tcp:host\n", "t.conf:1: agentx-socket "
	    "tcp:host is not unix:/PATH, /PATH, tcp:HOST:PORT, "
	    "tcp6:[ADDR]:PORT or off\n");
	check_error("agentx-socket tcp:host:70000\n", "t.conf:1: "
	    "agentx-socket tcp:host:70000 is not unix:/PATH, /PATH, "
	    "tcp:HOST:PORT, tcp6:[ADDR]:PORT or off\n");
	check_error("agentx-ping-interval 0\n",
	    "t.conf:1: agentx-ping-interval 0 out of range (1-3600)\n");
	check_error("agentx-ping-interval 3601\n",
	    "t.conf:1: agentx-ping-interval 3601 out of range (1-3600)\n");
	check_error(
	    "http-listen 192.0.2.1:1\nhttp-listen 192.0.2.1:2\n"
	    "http-listen 192.0.2.1:3\nhttp-listen 192.0.2.1:4\n"
	    "http-listen 192.0.2.1:5\nhttp-listen 192.0.2.1:6\n"
	    "http-listen 192.0.2.1:7\nhttp-listen 192.0.2.1:8\n"
	    "http-listen 192.0.2.1:9\nhttp-listen 192.0.2.1:10\n"
	    "http-listen 192.0.2.1:11\nhttp-listen 192.0.2.1:12\n"
	    "http-listen 192.0.2.1:13\nhttp-listen 192.0.2.1:14\n"
	    "http-listen 192.0.2.1:15\nhttp-listen 192.0.2.1:16\n"
	    "http-listen 192.0.2.1:17\n",
	    "t.conf:17: too many http-listen lines (at most 16)\n");
}

static void
test_syntax_errors(void **state)
{
	static const char nul[] = "net.inet.carp.preempt=1\nlog\0-rate 1\n";
	struct carpd_conf	*conf;

	(void)state;
	check_error("notify-script '/x\n", "t.conf:1: unterminated quote\n");
	check_error("ifconfig_eth0=\"vhid 1 alias 192.0.2.1\n",
	    "t.conf:1: unterminated quote\n");
	check_error("ifconfig_eth0=\"vhid 1 alias 192.0.2.1\" x\n",
	    "t.conf:1: junk after the value of ifconfig_eth0\n");
	check_error("ifconfig eth0 vhid 1 alias 192.0.2.1 \\\n",
	    "t.conf:1: unknown ifconfig keyword \\\n");
	msgs[0] = '\0';
	conf = conf_parse_buf("t.conf", nul, sizeof(nul) - 1, &test_opts);
	assert_null(conf);
	assert_string_equal(msgs, "t.conf:2: NUL byte in line\n");
}

/* Every error in the file is reported, not only the first. */
static void
test_all_errors_reported(void **state)
{
	(void)state;
	check_error(
	    "net.inet.carp.dscp=99\n"
	    "bogus line\n"
	    "ifconfig eth0 vhid 300 advskew 999 alias 192.0.2.1\n"
	    "ifconfig eth9 vhid 1 alias 192.0.2.2\n"
	    "ifconfig eth0 vhid 2 pass x\n"
	    "hostname=x\n",
	    "t.conf:1: net.inet.carp.dscp 99 out of range (0-63)\n"
	    "t.conf:2: unknown keyword bogus\n"
	    "t.conf:3: vhid 300 out of range (1-255)\n"
	    "t.conf:3: advskew 999 out of range (0-254)\n"
	    "t.conf:4: unknown interface eth9\n"
	    "t.conf:6: warning: rc.conf variable hostname is not for carpd, "
	    "line skipped\n"
	    "t.conf:5: vhid 2 on eth0 has no address\n");
	assert_int_equal(nerr, 6);
	assert_int_equal(nwarn, 1);
}

/* No password ever shows in a message or in the masked output. */
static void
test_password_never_shown(void **state)
{
	struct carpd_conf	*conf;
	char			*buf = NULL;
	size_t			 len = 0;
	FILE			*fp;

	(void)state;
	conf = parse(
	    "ifconfig eth0 vhid 1 pass Sup3rS3cretPassw0rdXYZ alias "
	    "192.0.2.1\n"
	    "ifconfig eth0 vhid 1 pass Sup3rS3cretPassw0rdXYZ alias "
	    "192.0.2.1\n");
	assert_non_null(conf);
	assert_null(strstr(msgs, "Sup3r"));
	fp = open_memstream(&buf, &len);
	conf_print(fp, conf);
	fclose(fp);
	assert_null(strstr(buf, "Sup3r"));
	assert_non_null(strstr(buf, " pass ******** "));
	free(buf);
	conf_free(conf);

	check_error(
	    "ifconfig eth0 vhid 1 pass Sup3rS3cret alias 192.0.2.1\n"
	    "ifconfig eth0 vhid 1 pass 0ther alias 192.0.2.2\n"
	    "ifconfig eth0 vhid 1 pass Sup3rS3cret advskew 1x\n",
	    "t.conf:2: pass conflicts with the one at t.conf:1\n"
	    "t.conf:3: advskew \"(not shown: the line has a password)\" is "
	    "not a decimal number\n");
	assert_null(strstr(msgs, "Sup3r"));
	assert_null(strstr(msgs, "0ther"));

	/* A password with a blank, unquoted: the rest is not echoed. */
	check_error(
	    "ifconfig_eth0=\"vhid 1 pass Sup3r S3cret alias 192.0.2.1\"\n"
	    "ifconfig_eth0=\"vhid 2 pass Sup3r 1S3cret alias 192.0.2.2\"\n",
	    "t.conf:1: unexpected word after pass (a password cannot hold "
	    "blanks unless quoted)\n"
	    "t.conf:2: unexpected word after pass (a password cannot hold "
	    "blanks unless quoted)\n");

	/*
	 * Nothing of a line with a password is echoed, not even the words
	 * after the one that follows pass (they may be more of it).
	 */
	check_error(
	    "ifconfig_eth0=\"vhid 1 pass secret part2 part3 alias "
	    "192.0.2.1\"\n"
	    "ifconfig eth1 vhid 1 pass secret part2 part3\n"
	    "ifconfig eth1 vhid 1 pass secret 192.0.2.9 part3\n"
	    "ifconfig eth1 vhid 1 pass secret 192.0.2.9 prefixlen part3\n"
	    "ifconfig eth1 vhid 1 pass secret 192.0.2.9 state part3\n"
	    "ifconfig eth1 vhid 1 pass secret netmask part3 192.0.2.9\n"
	    "ifconfig eth1 inet6 vhid 1 pass secret 192.0.2.9\n"
	    "ifconfig bad/if vhid 1 pass secret 192.0.2.9\n"
	    "ifconfig em9 vhid 1 pass secret 192.0.2.9\n",
	    "t.conf:1: unexpected word after pass (a password cannot hold "
	    "blanks unless quoted)\n"
	    "t.conf:1: unknown ifconfig keyword (not shown: the line has a "
	    "password)\n"
	    "t.conf:2: unexpected word after pass (a password cannot hold "
	    "blanks unless quoted)\n"
	    "t.conf:2: unknown ifconfig keyword (not shown: the line has a "
	    "password)\n"
	    "t.conf:3: unknown ifconfig keyword (not shown: the line has a "
	    "password)\n"
	    "t.conf:4: prefixlen \"(not shown: the line has a password)\" is "
	    "not a decimal number\n"
	    "t.conf:5: bad state (not shown: the line has a password) "
	    "(backup or master)\n"
	    "t.conf:6: bad netmask (not shown: the line has a password)\n"
	    "t.conf:7: bad address (inet6) (not shown: the line has a "
	    "password)\n"
	    "t.conf:8: bad interface name (not shown: the line has a "
	    "password)\n"
	    "t.conf:9: unknown interface (not shown: the line has a "
	    "password)\n");
	assert_null(strstr(msgs, "secret"));
	assert_null(strstr(msgs, "part"));
	assert_null(strstr(msgs, "192.0.2.9"));

	/* Addresses of such a line stay out of duplicate messages too. */
	check_error(
	    "ifconfig eth0 vhid 1 pass secret 192.0.2.1\n"
	    "ifconfig eth0 vhid 2 pass secret 192.0.2.1\n",
	    "t.conf:2: address (not shown: the line has a password) already "
	    "used by vhid 1 on eth0 at t.conf:1\n");
	assert_null(strstr(msgs, "secret"));
}

/*
 * rc.conf forms whose address follows the password directly, as
 * migrated configurations and FreeBSD's Handbook write them; and the
 * same in tests/unit/conf/freebsd-rc.conf, read as a file.
 */
static void
test_rc_pass_then_address(void **state)
{
	struct conf_opts	 opts = test_opts;
	struct carpd_conf	*conf;
	struct carp_vhid_conf	*vc;

	(void)state;
	conf = parse(
	    "ifconfig_em0_alias0=\"vhid 12 advskew 210 pass RD0B4OBZ "
	    "192.168.1.11/32\"\n"
	    "ifconfig_eth0=\"vhid 1 pass x 192.168.1.50/24\"\n"
	    "ifconfig_eth0_ipv6=\"inet6 vhid 1 pass x 2001:db8::50/64\"\n"
	    "ifconfig eth1 vhid 2 pass 10.9.9.9 192.0.2.2\n");
	assert_non_null(conf);
	assert_string_equal(msgs, "");
	assert_int_equal(conf->nvhids, 3);
	vc = &conf->vhids[0].cv_conf;
	assert_string_equal(vc->ifname, "em0");
	assert_int_equal(vc->vhid, 12);
	assert_int_equal(vc->advskew, 210);
	assert_int_equal(vc->keylen, 8);
	assert_memory_equal(vc->key, "RD0B4OBZ", 8);
	assert_int_equal(vc->naddrs, 1);
	check_addr(&vc->addrs[0], "192.168.1.11", 32);
	vc = &conf->vhids[1].cv_conf;
	assert_string_equal(vc->ifname, "eth0");
	assert_int_equal(vc->keylen, 1);
	assert_memory_equal(vc->key, "x", 1);
	assert_int_equal(vc->naddrs, 2);
	check_addr(&vc->addrs[0], "192.168.1.50", 24);
	check_addr(&vc->addrs[1], "2001:db8::50", 64);
	/* The word after pass is always the password, address or not. */
	vc = &conf->vhids[2].cv_conf;
	assert_int_equal(vc->keylen, 8);
	assert_memory_equal(vc->key, "10.9.9.9", 8);
	check_addr(&vc->addrs[0], "192.0.2.2", 32);
	conf_free(conf);

	/* Still one address per line, and a bad one is still an error. */
	check_error(
	    "ifconfig_em0=\"vhid 1 pass x 192.0.2.1 192.0.2.2\"\n"
	    "ifconfig_em0=\"vhid 2 pass x 192.0.2.300/24\"\n"
	    "ifconfig_em0=\"vhid 3 pass x 192.0.2.3/\"\n"
	    "ifconfig_em0=\"vhid 4 pass x 192.0.2.4/33\"\n",
	    "t.conf:1: more than one address on one line\n"
	    "t.conf:2: unexpected word after pass (a password cannot hold "
	    "blanks unless quoted)\n"
	    "t.conf:3: unexpected word after pass (a password cannot hold "
	    "blanks unless quoted)\n"
	    "t.conf:4: prefix length (not shown: the line has a password) "
	    "out of range (0-32)\n");

	msgs[0] = '\0';
	nerr = nwarn = 0;
	conf = conf_parse("tests/unit/conf/freebsd-rc.conf", &opts);
	if (conf == NULL)
		fail_msg("%s", msgs);
	assert_int_equal(nerr, 0);
	assert_int_equal(conf->nvhids, 2);
	vc = &conf->vhids[0].cv_conf;
	assert_int_equal(vc->vhid, 12);
	assert_int_equal(vc->advskew, 210);
	assert_memory_equal(vc->key, "RD0B4OBZ", 8);
	check_addr(&vc->addrs[0], "192.168.1.11", 32);
	vc = &conf->vhids[1].cv_conf;
	assert_int_equal(vc->vhid, 1);
	assert_memory_equal(vc->key, "x", 1);
	check_addr(&vc->addrs[0], "192.168.1.50", 24);
	conf_free(conf);
}

static void
test_print_canonical(void **state)
{
	struct carpd_conf	*conf;
	char			*buf = NULL;
	size_t			 len = 0;
	FILE			*fp;

	(void)state;
	conf = parse(SEED
	    "ifconfig_igb1_alias1=\"inet6 vhid 1 peer6 2001:db8::2 alias "
	    "2001:db8::1\"\n"
	    "notify-script /usr/local/sbin/carp-notify\n");
	assert_non_null(conf);
	fp = open_memstream(&buf, &len);
	conf_print(fp, conf);
	fclose(fp);
	assert_string_equal(buf,
	    "net.inet.carp.allow=1\n"
	    "net.inet.carp.preempt=1\n"
	    "net.inet.carp.log=1\n"
	    "net.inet.carp.demotion=0\n"
	    "net.inet.carp.ifdown_demotion_factor=240\n"
	    "net.inet.carp.senderr_demotion_factor=240\n"
	    "net.inet.carp.dscp=56\n"
	    "agentx-ping-interval 5\n"
	    "agentx-socket unix:/var/agentx/master\n"
	    "agentx-writable no\n"
	    "control-socket /run/carpd/carpd.sock\n"
	    "http-auth-reads no\n"
	    "http-max-per-source 8\n"
	    "http-request-timeout 10\n"
	    "log-rate 10\n"
	    "mac-mode virtual\n"
	    "notify-script /usr/local/sbin/carp-notify\n"
	    "notify-timeout 10\n"
	    "snmp-trap-rate 50\n"
	    "ifconfig igb1 inet vhid 1 advbase 1 advskew 100 pass ******** "
	    "peer6 2001:db8::2 alias 192.168.10.111/32\n"
	    "ifconfig igb1 inet6 vhid 1 alias 2001:db8::1/64\n");
	free(buf);
	conf_free(conf);
}

/* parse -> print -> parse gives the same configuration. */
static void
test_round_trip(void **state)
{
	struct carpd_conf	*conf, *again;
	struct carp_vhid_conf	*vc;

	(void)state;
	conf = parse(
	    "net.inet.carp.allow=0\n"
	    "net.inet.carp.preempt=1\n"
	    "net.inet.carp.log=3\n"
	    "net.inet.carp.demotion=-7\n"
	    "net.inet.carp.ifdown_demotion_factor=0\n"
	    "net.inet.carp.senderr_demotion_factor=17\n"
	    "net.inet.carp.dscp=63\n"
	    "notify-script '/usr/local/sbin/my '\"'\"'notify'\n"
	    "notify-timeout 3\n"
	    "state-file /var/db/carpd.state\n"
	    "log-rate 100\n"
	    "ifconfig_igb1_alias0='inet vhid 1 advskew 100 pass i\"t#x\\ "
	    "alias 192.168.10.111/32'\n"
	    "ifconfig eth0 vhid 2 advbase 3 pass '#a b' peer 10.0.0.2 "
	    "alias 10.0.0.10/8\n"
	    "ifconfig eth0 inet6 vhid 2 peer6 fe80::2 alias 2001:db8::10/56\n"
	    "ifconfig eth1 vhid 2 pass \"\" alias 10.0.0.11\n");
	if (conf == NULL)
		fprintf(stderr, "%s", msgs);
	assert_non_null(conf);

	again = reparse(conf, CONF_PRINT_SECRETS);
	assert_true(conf_equal(conf, again));
	conf_free(again);

	/* Masked: the same but for the passwords. */
	again = reparse(conf, 0);
	assert_false(conf_equal(conf, again));
	vc = &again->vhids[0].cv_conf;
	assert_int_equal(vc->keylen, 8);
	assert_memory_equal(vc->key, CONF_MASK, 8);
	memcpy(vc->key, conf->vhids[0].cv_conf.key, CARP_KEY_MAX);
	vc->keylen = conf->vhids[0].cv_conf.keylen;
	vc = &again->vhids[1].cv_conf;
	memcpy(vc->key, conf->vhids[1].cv_conf.key, CARP_KEY_MAX);
	vc->keylen = conf->vhids[1].cv_conf.keylen;
	assert_true(conf_equal(conf, again));
	conf_free(again);
	conf_free(conf);
}

static void
test_vhid_equal_and_same(void **state)
{
	struct carpd_conf	*a, *b;

	(void)state;
	a = parse("ifconfig eth0 vhid 1 advskew 5 pass k alias 192.0.2.1\n"
	    "ifconfig eth0 vhid 1 alias 192.0.2.2\n");
	b = parse("ifconfig eth0 vhid 1 alias 192.0.2.2\n"
	    "ifconfig eth0 vhid 1 advskew 5 pass k alias 192.0.2.1\n");
	assert_non_null(a);
	assert_non_null(b);
	assert_true(conf_vhid_same(&a->vhids[0].cv_conf,
	    &b->vhids[0].cv_conf));
	assert_true(conf_vhid_equal(&a->vhids[0].cv_conf,
	    &b->vhids[0].cv_conf));
	b->vhids[0].cv_conf.advskew = 6;
	assert_true(conf_vhid_same(&a->vhids[0].cv_conf,
	    &b->vhids[0].cv_conf));
	assert_false(conf_vhid_equal(&a->vhids[0].cv_conf,
	    &b->vhids[0].cv_conf));
	b->vhids[0].cv_conf.advskew = 5;
	b->vhids[0].cv_conf.addrs[0].prefixlen = 24;
	assert_false(conf_vhid_equal(&a->vhids[0].cv_conf,
	    &b->vhids[0].cv_conf));
	b->vhids[0].cv_conf.addrs[0].prefixlen = 32;
	b->vhids[0].cv_conf.ifindex = 9;
	assert_false(conf_vhid_same(&a->vhids[0].cv_conf,
	    &b->vhids[0].cv_conf));
	conf_free(a);
	conf_free(b);
}

static void
test_parse_file(void **state)
{
	struct conf_opts	 opts = test_opts;
	struct carpd_conf	*conf;
	char			 path[] = "/tmp/test_conf.XXXXXX";
	FILE			*fp;
	int			 fd;

	(void)state;
	fd = mkstemp(path);
	assert_true(fd >= 0);
	fp = fdopen(fd, "w");
	assert_non_null(fp);
	fputs(SEED, fp);
	fclose(fp);
	msgs[0] = '\0';
	conf = conf_parse(path, &opts);
	assert_non_null(conf);
	assert_string_equal(conf->path, path);
	assert_int_equal(conf->nvhids, 1);
	conf_free(conf);
	unlink(path);

	msgs[0] = '\0';
	conf = conf_parse("/nonexistent/carpd.conf", &opts);
	assert_null(conf);
	assert_string_equal(msgs,
	    "/nonexistent/carpd.conf: No such file or directory\n");
}

/*
 * mac-mode: virtual by default, interface globally, and per VHID with
 * carpd's own ifconfig word, which overrides the global; it prints and
 * parses back; bad values and conflicts name file:line.
 */
static void
test_mac_mode(void **state)
{
	struct carpd_conf	*conf, *again;

	(void)state;
	conf = parse(SEED);
	assert_non_null(conf);
	assert_true(conf->mac_virtual);
	assert_int_equal(conf->vhids[0].cv_macmode, 0);
	assert_true(conf_vhid_vmac(conf, &conf->vhids[0]));
	conf_free(conf);

	conf = parse("mac-mode interface\n"
	    "ifconfig igb1 vhid 1 alias 192.0.2.1/32\n"
	    "ifconfig igb1 vhid 2 mac-mode virtual alias 192.0.2.2/32\n"
	    "ifconfig igb1 vhid 2 alias 192.0.2.3/32\n");
	assert_non_null(conf);
	assert_false(conf->mac_virtual);
	assert_false(conf_vhid_vmac(conf, &conf->vhids[0]));
	assert_true(conf_vhid_vmac(conf, &conf->vhids[1]));
	again = reparse(conf, 0);
	assert_true(conf_equal(conf, again));
	assert_int_equal(again->vhids[1].cv_macmode, CONF_MAC_VIRTUAL);
	assert_int_equal(again->vhids[0].cv_macmode, 0);
	conf_free(again);
	/* A different per-VHID mode is a different configuration. */
	again = parse("mac-mode interface\n"
	    "ifconfig igb1 vhid 1 alias 192.0.2.1/32\n"
	    "ifconfig igb1 vhid 2 mac-mode interface alias 192.0.2.2/32\n"
	    "ifconfig igb1 vhid 2 alias 192.0.2.3/32\n");
	assert_non_null(again);
	assert_false(conf_equal(conf, again));
	conf_free(again);
	conf_free(conf);

	check_error("mac-mode vmac\n" SEED,
	    "t.conf:1: mac-mode vmac is not virtual or interface\n");
	check_error("mac-mode virtual\nmac-mode interface\n" SEED,
	    "t.conf:2: mac-mode interface conflicts with virtual at "
	    "t.conf:1\n");
	check_error("ifconfig igb1 vhid 1 mac-mode x alias 192.0.2.1/32\n",
	    "t.conf:1: bad mac-mode x (virtual or interface)\n");
	check_error("ifconfig igb1 vhid 1 mac-mode interface "
	    "alias 192.0.2.1/32\n"
	    "ifconfig igb1 vhid 1 mac-mode virtual alias 192.0.2.2/32\n",
	    "t.conf:2: mac-mode conflicts with the one at t.conf:1\n");
}

/* Without a callback, messages go to opts.fp. */
static void
test_messages_to_file(void **state)
{
	struct conf_opts	 opts;
	struct carpd_conf	*conf;
	char			*buf = NULL;
	size_t			 len = 0;

	(void)state;
	memset(&opts, 0, sizeof(opts));
	opts.resolve = test_resolve;
	opts.fp = open_memstream(&buf, &len);
	conf = conf_parse_buf("x.conf", "hostname=a\nfoo\n", 15, &opts);
	fclose(opts.fp);
	assert_null(conf);
	assert_string_equal(buf,
	    "x.conf:1: warning: rc.conf variable hostname is not for carpd, "
	    "line skipped\n"
	    "x.conf:2: unknown keyword foo\n");
	free(buf);
}

/* user: an existing user, printed back; an unknown one is an error. */
static void
test_user(void **state)
{
	struct carpd_conf	*conf, *again;

	(void)state;
	conf = parse("user root\nuser root\n"
	    "ifconfig eth0 inet vhid 1 pass x alias 192.0.2.1/32\n");
	assert_non_null(conf);
	assert_string_equal(conf->user, "root");
	again = reparse(conf, 0);
	assert_non_null(again);
	assert_string_equal(again->user, "root");
	conf_free(again);
	conf_free(conf);
	check_error("user nosuchuser42\n"
	    "ifconfig eth0 inet vhid 1 pass x alias 192.0.2.1/32\n",
	    "t.conf:1: user nosuchuser42: no such user\n");
	check_error("user root\nuser nobody\n"
	    "ifconfig eth0 inet vhid 1 pass x alias 192.0.2.1/32\n",
	    "t.conf:2: user nobody conflicts with root at t.conf:1\n");
}

/* VRRPv3: FreeBSD main's words, pasted as FreeBSD takes them. */
static void
test_vrrp_words(void **state)
{
	struct carpd_conf	*conf, *again;
	struct carp_vhid_conf	*vc;
	char			*buf = NULL;
	size_t			 len = 0;
	FILE			*fp;

	(void)state;
	conf = parse("ifconfig_em0_alias0=\"inet 192.0.2.254/32 vhid 1 "
	    "carpver 3 vrrpprio 150 vrrpinterval 100\"\n"
	    "ifconfig em0 add vhid 2 carpver 3 192.0.2.203/24\n"
	    "ifconfig_em0_alias1=\"inet6 2001:db8::fe vhid 1\"\n"
	    "ifconfig_em0_alias2=\"inet vhid 3 192.0.2.3 vrrpinterval 1 "
	    "carpver 3 vrrpprio 255\"\n"
	    "ifconfig em0 vhid 4 192.0.2.4 carpver 2\n");
	assert_non_null(conf);
	assert_int_equal(nerr + nwarn, 0);
	assert_int_equal(conf->nvhids, 4);
	vc = &conf->vhids[0].cv_conf;
	assert_int_equal(vc->proto, CARP_PROTO_VRRP3);
	assert_int_equal(vc->vrrp_prio, 150);
	assert_int_equal(vc->vrrp_interval, 100);
	assert_int_equal(vc->naddrs, 2);
	/* The defaults: 100 and 100 centiseconds. */
	vc = &conf->vhids[1].cv_conf;
	assert_int_equal(vc->proto, CARP_PROTO_VRRP3);
	assert_int_equal(vc->vrrp_prio, 100);
	assert_int_equal(vc->vrrp_interval, 100);
	check_addr(&vc->addrs[0], "192.0.2.203", 24);
	vc = &conf->vhids[2].cv_conf;
	assert_int_equal(vc->vrrp_prio, 255);
	assert_int_equal(vc->vrrp_interval, 1);
	vc = &conf->vhids[3].cv_conf;
	assert_int_equal(vc->proto, CARP_PROTO_CARP);
	assert_int_equal(vc->advbase, 1);

	fp = open_memstream(&buf, &len);
	conf_print(fp, conf);
	fclose(fp);
	assert_non_null(strstr(buf, "ifconfig em0 inet vhid 1 carpver 3 "
	    "vrrpprio 150 vrrpinterval 100 alias 192.0.2.254/32\n"
	    "ifconfig em0 inet6 vhid 1 alias 2001:db8::fe/64\n"));
	assert_non_null(strstr(buf, "ifconfig em0 inet vhid 4 advbase 1 "
	    "advskew 0 alias 192.0.2.4/32\n"));
	free(buf);
	again = reparse(conf, 0);
	assert_true(conf_equal(conf, again));
	/* Each VRRP parameter counts for equality. */
	again->vhids[2].cv_conf.vrrp_interval = 2;
	assert_false(conf_vhid_equal(&conf->vhids[2].cv_conf,
	    &again->vhids[2].cv_conf));
	again->vhids[2].cv_conf.vrrp_interval = 1;
	again->vhids[2].cv_conf.vrrp_prio = 254;
	assert_false(conf_equal(conf, again));
	again->vhids[2].cv_conf.vrrp_prio = 255;
	again->vhids[2].cv_conf.proto = CARP_PROTO_CARP;
	assert_false(conf_equal(conf, again));
	conf_free(again);
	conf_free(conf);
}

/* What a VRRPv3 VHID refuses, each naming its file and line. */
static void
test_vrrp_errors(void **state)
{
	struct carpd_conf	*conf;
	char			 text[8192];
	int			 i;

	(void)state;
	check_error("ifconfig em0 vhid 1 carpver 4 192.0.2.1\n",
	    "t.conf:1: carpver 4: version must be 2 or 3\n");
	check_error("ifconfig em0 vhid 1 carpver 1 192.0.2.1\n",
	    "t.conf:1: carpver 1: version must be 2 or 3\n");
	check_error("ifconfig em0 vhid 1 carpver 3 vrrpprio 0 192.0.2.1\n",
	    "t.conf:1: vrrpprio 0 out of range (1-255)\n");
	check_error("ifconfig em0 vhid 1 carpver 3 vrrpprio 256 192.0.2.1\n",
	    "t.conf:1: vrrpprio 256 out of range (1-255)\n");
	check_error("ifconfig em0 vhid 1 carpver 3 vrrpinterval 0 "
	    "192.0.2.1\n",
	    "t.conf:1: vrrpinterval 0 out of range (1-4095)\n");
	check_error("ifconfig em0 vhid 1 carpver 3 vrrpinterval 4096 "
	    "192.0.2.1\n",
	    "t.conf:1: vrrpinterval 4096 out of range (1-4095)\n");
	/* BSDRP's lab line: FreeBSD ignores its pass, carpd refuses it. */
	check_error("\nifconfig_vtnet3_alias0=\"inet 192.0.2.254/32 vhid 1 "
	    "vrrpprio 101 pass vrid1 carpver 3\"\n",
	    "t.conf:2: unknown interface (not shown: the line has a "
	    "password)\n");
	check_error("\nifconfig_em0_alias0=\"inet 192.0.2.254/32 vhid 1 "
	    "vrrpprio 101 pass vrid1 carpver 3\"\n",
	    "t.conf:2: pass on vhid 1 on em0, a carpver 3 vhid: VRRPv3 has "
	    "no password (FreeBSD ignores it; remove it)\n");
	/* CARP's words, on any line of the VHID, in any order. */
	check_error("ifconfig em0 vhid 1 192.0.2.1 advskew 100\n"
	    "ifconfig em0 vhid 1 192.0.2.2 carpver 3 advbase 2\n",
	    "t.conf:2: advbase on vhid 1 on em0, a carpver 3 vhid: use "
	    "vrrpinterval (centiseconds)\n"
	    "t.conf:1: advskew on vhid 1 on em0, a carpver 3 vhid: use "
	    "vrrpprio (higher is preferred)\n");
	check_error("ifconfig em0 vhid 1 carpver 3 192.0.2.1 peer 192.0.2.9\n"
	    "ifconfig em0 vhid 1 2001:db8::1 peer6 2001:db8::9\n",
	    "t.conf:1: peer on vhid 1 on em0, a carpver 3 vhid: VRRPv3 "
	    "adverts are multicast only, as on FreeBSD\n"
	    "t.conf:2: peer6 on vhid 1 on em0, a carpver 3 vhid: VRRPv3 "
	    "adverts are multicast only, as on FreeBSD\n");
	/* mcast states the default: accepted. */
	conf = parse("ifconfig em0 vhid 1 carpver 3 mcast 192.0.2.1\n");
	assert_non_null(conf);
	conf_free(conf);
	/* VRRP's words on a CARP VHID. */
	check_error("ifconfig em0 vhid 1 vrrpprio 150 192.0.2.1\n"
	    "ifconfig em0 vhid 2 carpver 2 vrrpinterval 1 192.0.2.2\n",
	    "t.conf:1: vrrpprio on vhid 1 on em0, a CARP vhid (VRRPv3 needs "
	    "carpver 3)\n"
	    "t.conf:2: vrrpinterval on vhid 2 on em0, a CARP vhid (VRRPv3 "
	    "needs carpver 3)\n");
	/* A parameter given twice must agree, across lines too. */
	check_error("ifconfig em0 vhid 1 carpver 3 192.0.2.1\n"
	    "ifconfig em0 vhid 1 carpver 2 192.0.2.2\n",
	    "t.conf:2: carpver 2 conflicts with 3 at t.conf:1\n");
	check_error("ifconfig em0 vhid 1 carpver 3 vrrpprio 10 192.0.2.1\n"
	    "ifconfig em0 vhid 1 vrrpprio 20 192.0.2.2\n",
	    "t.conf:2: vrrpprio 20 conflicts with 10 at t.conf:1\n");
	check_error("ifconfig em0 vhid 1 carpver 3 carpver 2 192.0.2.1\n",
	    "t.conf:1: carpver 2 conflicts with 3 on this line\n");
	/* At most 32 IPv6 addresses: the advert must fit. */
	text[0] = '\0';
	for (i = 1; i <= 33; i++)
		snprintf(text + strlen(text), sizeof(text) - strlen(text),
		    "ifconfig em0 vhid 1 carpver 3 2001:db8::%x\n", i);
	check_error(text, "t.conf:1: vhid 1 on em0 has 33 inet6 addresses, "
	    "a carpver 3 vhid at most 32 (its advert carries them all)\n");
	conf = parse(strchr(text, '\n') + 1);
	assert_non_null(conf);
	assert_int_equal(conf->vhids[0].cv_conf.naddrs, 32);
	conf_free(conf);
}

/* A reload may not change a running VHID's carpver, as on FreeBSD. */
static void
test_vrrp_reload_check(void **state)
{
	struct carpd_conf	*old, *nc;

	(void)state;
	old = parse("ifconfig em0 vhid 1 carpver 3 192.0.2.1\n"
	    "ifconfig em0 vhid 2 192.0.2.2\n");
	assert_non_null(old);
	/* Other parameters, other VHIDs, another interface: fine. */
	nc = parse("ifconfig em0 vhid 1 carpver 3 vrrpprio 9 192.0.2.1\n"
	    "ifconfig eth0 vhid 2 carpver 3 192.0.2.2\n"
	    "ifconfig em0 vhid 3 carpver 3 192.0.2.3\n");
	assert_non_null(nc);
	msgs[0] = '\0';
	assert_int_equal(conf_reload_check(old, nc, &test_opts), 0);
	assert_string_equal(msgs, "");
	conf_free(nc);
	nc = parse("\n\nifconfig em0 vhid 2 carpver 3 192.0.2.2\n"
	    "ifconfig em0 vhid 1 192.0.2.1\n");
	assert_non_null(nc);
	msgs[0] = '\0';
	assert_int_equal(conf_reload_check(old, nc, &test_opts), -1);
	assert_string_equal(msgs,
	    "t.conf:3: vhid 2 on em0: carpver 3, but it runs with carpver 2; "
	    "the version of a vhid cannot change (as on FreeBSD): remove it, "
	    "reload, add it again\n"
	    "t.conf:4: vhid 1 on em0: carpver 2, but it runs with carpver 3; "
	    "the version of a vhid cannot change (as on FreeBSD): remove it, "
	    "reload, add it again\n");
	conf_free(nc);
	conf_free(old);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_user),
		cmocka_unit_test(test_seed_config),
		cmocka_unit_test(test_defaults),
		cmocka_unit_test(test_sysctls_all),
		cmocka_unit_test(test_sysctl_errors),
		cmocka_unit_test(test_sysctl_same_twice),
		cmocka_unit_test(test_other_lines_skipped),
		cmocka_unit_test(test_rc_forms),
		cmocka_unit_test(test_rc_pass_then_address),
		cmocka_unit_test(test_plain_forms),
		cmocka_unit_test(test_multi_line_aggregation),
		cmocka_unit_test(test_conflicts),
		cmocka_unit_test(test_range_errors),
		cmocka_unit_test(test_address_errors),
		cmocka_unit_test(test_unknown_interface),
		cmocka_unit_test(test_duplicate_addresses),
		cmocka_unit_test(test_too_many_addresses),
		cmocka_unit_test(test_vhid_without_address),
		cmocka_unit_test(test_password_truncated),
		cmocka_unit_test(test_ipv6_and_peers),
		cmocka_unit_test(test_peer_without_family_warns),
		cmocka_unit_test(test_state_and_broadcast_ignored),
		cmocka_unit_test(test_carpd_keys),
		cmocka_unit_test(test_exporter_keys),
		cmocka_unit_test(test_tls_keys),
		cmocka_unit_test(test_syntax_errors),
		cmocka_unit_test(test_all_errors_reported),
		cmocka_unit_test(test_password_never_shown),
		cmocka_unit_test(test_print_canonical),
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_vhid_equal_and_same),
		cmocka_unit_test(test_parse_file),
		cmocka_unit_test(test_mac_mode),
		cmocka_unit_test(test_messages_to_file),
		cmocka_unit_test(test_vrrp_words),
		cmocka_unit_test(test_vrrp_errors),
		cmocka_unit_test(test_vrrp_reload_check),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
