/*
 * test_ifname.c: the one interface-name check that the configuration, the
 * state file and the HTTP paths share.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "agent/ifname.h"

static bool
ok(const char *s)
{
	return ifname_valid(s, strlen(s));
}

static void
test_ifname(void **state)
{
	(void)state;
	assert_true(ok("eth0"));
	assert_true(ok("enp1s0f1"));
	assert_true(ok("eth0.100"));		/* a VLAN */
	assert_true(ok("br-lan_2"));
	assert_true(ok("vmac255-999999"));	/* our own, 14 characters */
	assert_true(ok("abcdefghijklmno"));	/* 15: IF_NAMESIZE - 1 */
	assert_false(ok("abcdefghijklmnop"));	/* 16 */
	assert_false(ok(""));
	assert_false(ok("."));
	assert_false(ok(".."));
	assert_true(ok("..."));
	assert_false(ok("eth/0"));
	assert_false(ok("eth:0"));		/* an alias, not a link */
	assert_false(ok("eth 0"));
	assert_false(ok("eth\t0"));
	assert_false(ok("eth0\n"));
	assert_false(ok("eth\"0"));
	assert_false(ok("eth'0"));
	assert_false(ok("eth#0"));
	assert_false(ok("eth%200"));		/* URL escape */
	assert_false(ok("eth0?x"));
	assert_false(ok("eth\x7f"));
	assert_false(ok("eth\xc3\xa9"));	/* not ASCII */
	/* Only len bytes count: the HTTP path is not NUL-terminated. */
	assert_true(ifname_valid("eth0/1/carp", 4));
	assert_false(ifname_valid("eth0", 0));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ifname),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
