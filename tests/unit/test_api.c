/*
 * test_api.c: the HTTP API router and body validation (exporters/api.c).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "exporters/api.h"

static void
test_routes(void **state)
{
	struct api_route	 r;

	(void)state;
	assert_int_equal(api_route("/metrics", &r), API_METRICS);
	assert_int_equal(api_route("/", &r), API_INDEX);
	assert_int_equal(api_route("/v1/status", &r), API_STATUS);
	assert_int_equal(api_route("/v1/maintenance", &r), API_MAINTENANCE);
	assert_int_equal(api_route("/v1/demotion", &r), API_DEMOTION);
	assert_int_equal(api_route("/v1/vhids/1/demote", &r), API_DEMOTE);
	assert_int_equal(r.vhid, 1);
	assert_string_equal(r.ifname, "");
	assert_int_equal(api_route("/v1/vhids/eth0/255/promote", &r),
	    API_PROMOTE);
	assert_int_equal(r.vhid, 255);
	assert_string_equal(r.ifname, "eth0");
	assert_int_equal(api_route("/v1/vhids/eth0.100/7/demote", &r),
	    API_DEMOTE);
	assert_string_equal(r.ifname, "eth0.100");
}

static void
test_routes_refused(void **state)
{
	static const char *const bad[] = {
		"", "metrics", "/metrics/", "/v1/status/", "/v1/vhids/",
		"/v1/vhids/1", "/v1/vhids/0/demote", "/v1/vhids/256/demote",
		"/v1/vhids/01/demote", "/v1/vhids/1x/demote",
		"/v1/vhids/1/demote/", "/v1/vhids//1/demote",
		"/v1/vhids/1/Demote", "/v1/vhids/1/destroy",
		"/v1/vhids/a/b/1/demote", "/v1/vhids/../1/demote",
		"/v1/vhids/verylonginterfacename/1/demote",
		"/v1/vhids/et%30/1/demote", "/v1/vhids/eth0:1/demote",
		"/V1/status", "/v2/status",
	};
	struct api_route	 r;
	size_t			 i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_int_equal(api_route(bad[i], &r), API_NONE);
		assert_int_equal(r.kind, API_NONE);
	}
	assert_int_equal(api_route(NULL, &r), API_NONE);
}

static void
test_methods(void **state)
{
	(void)state;
	assert_true(api_method_ok(API_METRICS, API_GET));
	assert_true(api_method_ok(API_METRICS, API_HEAD));
	assert_false(api_method_ok(API_METRICS, API_POST));
	assert_true(api_method_ok(API_DEMOTE, API_POST));
	assert_false(api_method_ok(API_DEMOTE, API_GET));
	assert_false(api_method_ok(API_DEMOTE, API_PUT));
	assert_true(api_method_ok(API_MAINTENANCE, API_PUT));
	assert_false(api_method_ok(API_MAINTENANCE, API_POST));
	assert_false(api_method_ok(API_STATUS, API_OTHER));
	assert_string_equal(api_allow(API_STATUS), "GET, HEAD");
	assert_string_equal(api_allow(API_PROMOTE), "POST");
	assert_string_equal(api_allow(API_DEMOTION), "PUT");
	assert_true(api_is_action(API_DEMOTION));
	assert_false(api_is_action(API_METRICS));
	assert_true(api_is_json_type("application/json"));
	assert_true(api_is_json_type("Application/JSON; charset=utf-8"));
	assert_false(api_is_json_type("application/jsonx"));
	assert_false(api_is_json_type("text/plain"));
	assert_false(api_is_json_type(NULL));
}

/* Parse and expect success. */
static void
ok(enum api_kind k, const char *body, struct api_body *b)
{
	char	 err[API_ERRLEN] = "";
	int	 rc;

	rc = api_body_parse(k, body, strlen(body), b, err, sizeof(err));
	if (rc != 0)
		fprintf(stderr, "%s: %s\n", body, err);
	assert_int_equal(rc, 0);
}

/* Parse and expect this error. */
static void
bad(enum api_kind k, const char *body, const char *want)
{
	struct api_body	 b;
	char		 err[API_ERRLEN] = "";

	assert_int_equal(api_body_parse(k, body, strlen(body), &b, err,
	    sizeof(err)), -1);
	if (strstr(err, want) == NULL)
		fail_msg("%s: got \"%s\", want \"%s\"", body, err, want);
}

static void
test_bodies(void **state)
{
	struct api_body	 b;

	(void)state;
	ok(API_DEMOTE, "{\"reason\": \"kernel upgrade\"}", &b);
	assert_string_equal(b.reason, "kernel upgrade");
	ok(API_PROMOTE, "{}", &b);
	assert_false(b.force_master);
	ok(API_PROMOTE, "{\"force_master\": true, \"reason\": \"x\"}", &b);
	assert_true(b.force_master);
	ok(API_MAINTENANCE, "{\"enabled\": false}", &b);
	assert_false(b.enabled);
	ok(API_MAINTENANCE, "{\"enabled\": true, \"reason\": \"r\"}", &b);
	assert_true(b.enabled);
	ok(API_DEMOTION, "{\"value\": -1000000, \"reason\": \"r\"}", &b);
	assert_int_equal(b.value, -1000000);
	ok(API_DEMOTE, "{\"reason\": \"\xc3\xa9t\xc3\xa9\"}", &b);
}

static void
test_bodies_refused(void **state)
{
	char	 big[API_MAX_BODY + 64];

	(void)state;
	bad(API_DEMOTE, "", "bad JSON");
	bad(API_DEMOTE, "{\"reason\":", "bad JSON");
	bad(API_DEMOTE, "{\"reason\": \"x\"} junk", "bad JSON");
	bad(API_DEMOTE, "[\"reason\"]", "must be a JSON object");
	bad(API_DEMOTE, "{\"reason\": \"x\", \"reason\": \"y\"}", "bad JSON");
	bad(API_DEMOTE, "{}", "\"reason\" is required");
	bad(API_DEMOTE, "{\"reason\": \"\"}", "must not be empty");
	bad(API_DEMOTE, "{\"reason\": 1}", "\"reason\" must be a string");
	bad(API_DEMOTE, "{\"reason\": \"a\\nb\"}", "control character");
	bad(API_DEMOTE, "{\"reason\": \"a\\u0000b\"}", "bad JSON");
	bad(API_DEMOTE, "{\"reason\": \"x\", \"force_master\": true}",
	    "unknown key \"force_master\"");
	bad(API_PROMOTE, "{\"force_master\": 1}", "must be true or false");
	bad(API_MAINTENANCE, "{\"reason\": \"x\"}", "\"enabled\" is required");
	bad(API_MAINTENANCE, "{\"enabled\": \"true\"}",
	    "must be true or false");
	bad(API_MAINTENANCE, "{\"enabled\": true}", "\"reason\" is required");
	bad(API_DEMOTION, "{\"reason\": \"x\"}", "\"value\" is required");
	bad(API_DEMOTION, "{\"value\": 1.0, \"reason\": \"x\"}",
	    "must be an integer");
	bad(API_DEMOTION, "{\"value\": 1000001, \"reason\": \"x\"}",
	    "out of range");
	bad(API_DEMOTION, "{\"value\": 1}", "\"reason\" is required");
	bad(API_METRICS, "{}", "no body expected");
	memset(big, ' ', sizeof(big));
	big[0] = '{';
	big[sizeof(big) - 2] = '}';
	big[sizeof(big) - 1] = '\0';
	bad(API_DEMOTE, big, "larger than 4096");
	memset(big, 'a', sizeof(big));
	memcpy(big, "{\"reason\": \"", 12);
	memcpy(big + 12 + 128, "\"}", 3);
	bad(API_DEMOTE, big, "longer than 127 bytes");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_routes),
		cmocka_unit_test(test_routes_refused),
		cmocka_unit_test(test_methods),
		cmocka_unit_test(test_bodies),
		cmocka_unit_test(test_bodies_refused),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
