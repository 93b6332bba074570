/*
 * api.c: the HTTP API router and body validation (pure functions).
 */
#include <sys/types.h>

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "agent/state.h"
#include "agent/ifname.h"
#include "exporters/api.h"

static int	api_vhid_num(const char *, size_t);
static int	api_reason(json_t *, bool, struct api_body *, char *, size_t);
static int	api_demotion(json_t *, const char *, struct api_body *, char *,
		    size_t);

/* "1".."255" without leading zeros; -1 otherwise. */
static int
api_vhid_num(const char *s, size_t len)
{
	int	 v = 0;
	size_t	 i;

	if (len == 0 || len > 3 || (s[0] == '0'))
		return -1;
	for (i = 0; i < len; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	return v >= 1 && v <= CARP_MAXVHID ? v : -1;
}

enum api_kind
api_route(const char *path, struct api_route *r)
{
	const char	*p, *seg[4];
	size_t		 len[4], n = 0;
	int		 v;

	memset(r, 0, sizeof(*r));
	r->kind = API_NONE;
	if (path == NULL || path[0] != '/')
		return API_NONE;
	if (strcmp(path, "/") == 0)
		return r->kind = API_INDEX;
	if (strcmp(path, "/metrics") == 0)
		return r->kind = API_METRICS;
	if (strcmp(path, "/v1/status") == 0)
		return r->kind = API_STATUS;
	if (strcmp(path, "/v1/maintenance") == 0)
		return r->kind = API_MAINTENANCE;
	if (strcmp(path, "/v1/demotion") == 0)
		return r->kind = API_DEMOTION;
	if (strncmp(path, "/v1/demotions/", 14) == 0) {
		p = path + 14;
		if (*p == '\0' || strchr(p, '/') != NULL ||
		    strlen(p) >= sizeof(r->name))
			return API_NONE;
		snprintf(r->name, sizeof(r->name), "%s", p);
		return r->kind = API_DEMOTIONS;
	}
	if (strncmp(path, "/v1/vhids/", 10) != 0)
		return API_NONE;
	/* Split the rest into 2 or 3 non-empty segments. */
	for (p = path + 10; ; ) {
		const char *e = strchr(p, '/');
		size_t l = e != NULL ? (size_t)(e - p) : strlen(p);

		if (n == 4 || l == 0)
			return API_NONE;
		seg[n] = p;
		len[n++] = l;
		if (e == NULL)
			break;
		p = e + 1;
	}
	if (n < 2 || n > 3)
		return API_NONE;
	if (len[n - 1] == 6 && memcmp(seg[n - 1], "demote", 6) == 0)
		r->kind = API_DEMOTE;
	else if (len[n - 1] == 7 && memcmp(seg[n - 1], "promote", 7) == 0)
		r->kind = API_PROMOTE;
	else if (len[n - 1] == 3 && memcmp(seg[n - 1], "why", 3) == 0)
		r->kind = API_WHY;
	else
		return API_NONE;
	if (r->kind == API_WHY &&
	    ((v = api_vhid_num(seg[n - 2], len[n - 2])) == -1 ||
	    (n == 3 && !ifname_valid(seg[0], len[0])))) {
		/* A bad VHID for a read: 400, as a bad body is. */
		r->vhid = 0;
		return r->kind;
	}
	if ((v = api_vhid_num(seg[n - 2], len[n - 2])) == -1 ||
	    (n == 3 && !ifname_valid(seg[0], len[0]))) {
		r->kind = API_NONE;
		return API_NONE;
	}
	r->vhid = v;
	if (n == 3) {
		memcpy(r->ifname, seg[0], len[0]);
		r->ifname[len[0]] = '\0';
	}
	return r->kind;
}

bool
api_method_ok(enum api_kind k, enum api_method m)
{
	switch (k) {
	case API_INDEX:
	case API_METRICS:
	case API_STATUS:
	case API_WHY:
		return m == API_GET || m == API_HEAD;
	case API_DEMOTE:
	case API_PROMOTE:
		return m == API_POST;
	case API_MAINTENANCE:
	case API_DEMOTION:
		return m == API_PUT;
	case API_DEMOTIONS:
		return m == API_PUT || m == API_DELETE;
	default:
		return false;
	}
}

const char *
api_allow(enum api_kind k)
{
	switch (k) {
	case API_INDEX:
	case API_METRICS:
	case API_STATUS:
	case API_WHY:
		return "GET, HEAD";
	case API_DEMOTE:
	case API_PROMOTE:
		return "POST";
	case API_MAINTENANCE:
	case API_DEMOTION:
		return "PUT";
	case API_DEMOTIONS:
		return "PUT, DELETE";
	default:
		return "";
	}
}

bool
api_is_action(enum api_kind k)
{
	return k == API_DEMOTE || k == API_PROMOTE || k == API_MAINTENANCE ||
	    k == API_DEMOTION || k == API_DEMOTIONS || k == API_DEMOTIONS_DEL;
}

/* "application/json", any case, then nothing or ";" and parameters. */
bool
api_is_json_type(const char *ct)
{
	size_t	 n = strlen("application/json");

	if (ct == NULL)
		return false;
	while (*ct == ' ' || *ct == '\t')
		ct++;
	if (strncasecmp(ct, "application/json", n) != 0)
		return false;
	ct += n;
	while (*ct == ' ' || *ct == '\t')
		ct++;
	return *ct == '\0' || *ct == ';';
}

/* The "reason" member: a string of printable characters, not too long. */
/* A required demotion value or weight, into b->value. */
static int
api_demotion(json_t *v, const char *key, struct api_body *b, char *err,
    size_t errlen)
{
	json_int_t	 iv;

	if (v == NULL) {
		snprintf(err, errlen, "\"%s\" is required", key);
		return -1;
	}
	if (!json_is_integer(v)) {
		snprintf(err, errlen, "\"%s\" must be an integer", key);
		return -1;
	}
	iv = json_integer_value(v);
	if (iv < -STATE_DEMOTION_MAX || iv > STATE_DEMOTION_MAX) {
		snprintf(err, errlen, "\"%s\" out of range (%d..%d)", key,
		    -STATE_DEMOTION_MAX, STATE_DEMOTION_MAX);
		return -1;
	}
	b->value = (int)iv;
	return 0;
}

static int
api_reason(json_t *v, bool required, struct api_body *b, char *err,
    size_t errlen)
{
	const char	*s;
	size_t		 len, i;

	if (v == NULL) {
		if (required) {
			snprintf(err, errlen, "\"reason\" is required");
			return -1;
		}
		return 0;
	}
	if (!json_is_string(v)) {
		snprintf(err, errlen, "\"reason\" must be a string");
		return -1;
	}
	s = json_string_value(v);
	len = json_string_length(v);
	if (len >= sizeof(b->reason)) {
		snprintf(err, errlen, "\"reason\" is longer than %zu bytes",
		    sizeof(b->reason) - 1);
		return -1;
	}
	for (i = 0; i < len; i++)
		if ((unsigned char)s[i] < 0x20 || s[i] == 0x7f) {
			snprintf(err, errlen, "\"reason\" holds a control "
			    "character");
			return -1;
		}
	if (required && len == 0) {
		snprintf(err, errlen, "\"reason\" must not be empty");
		return -1;
	}
	memcpy(b->reason, s, len);
	b->reason[len] = '\0';
	return 0;
}

int
api_body_parse(enum api_kind k, const char *buf, size_t len,
    struct api_body *b, char *err, size_t errlen)
{
	static const char *const keys[API_KIND_MAX][4] = {
		[API_DEMOTE] = { "reason" },
		[API_PROMOTE] = { "reason", "force_master" },
		[API_MAINTENANCE] = { "enabled", "reason", "hold" },
		[API_DEMOTION] = { "value", "reason" },
		[API_DEMOTIONS] = { "weight", "reason", "expires_in",
		    "persist" },
		[API_DEMOTIONS_DEL] = { "reason" },
	};
	json_error_t	 jerr;
	json_t		*root, *v;
	const char	*key;
	json_int_t	 iv;
	size_t		 i;
	int		 rc = -1;

	memset(b, 0, sizeof(*b));
	if (!api_is_action(k)) {
		snprintf(err, errlen, "no body expected");
		return -1;
	}
	if (len > API_MAX_BODY) {
		snprintf(err, errlen, "body larger than %d bytes",
		    API_MAX_BODY);
		return -1;
	}
	root = json_loadb(buf, len, JSON_REJECT_DUPLICATES, &jerr);
	if (root == NULL) {
		snprintf(err, errlen, "bad JSON: %s (line %d, column %d)",
		    jerr.text, jerr.line, jerr.column);
		return -1;
	}
	if (!json_is_object(root)) {
		snprintf(err, errlen, "the body must be a JSON object");
		goto done;
	}
	json_object_foreach(root, key, v) {
		for (i = 0; i < 4 && keys[k][i] != NULL; i++)
			if (strcmp(key, keys[k][i]) == 0)
				break;
		if (i == 4 || keys[k][i] == NULL) {
			char vis[40];
			size_t j;

			for (j = 0; key[j] != '\0' && j + 4 < sizeof(vis); j++)
				vis[j] = isprint((unsigned char)key[j]) ?
				    key[j] : '?';
			vis[j] = '\0';
			if (key[j] != '\0')
				strcpy(vis + j, "...");
			snprintf(err, errlen, "unknown key \"%s\"", vis);
			goto done;
		}
	}
	switch (k) {
	case API_DEMOTE:
		if (api_reason(json_object_get(root, "reason"), true, b, err,
		    errlen) == -1)
			goto done;
		break;
	case API_PROMOTE:
		if (api_reason(json_object_get(root, "reason"), false, b,
		    err, errlen) == -1)
			goto done;
		if ((v = json_object_get(root, "force_master")) != NULL) {
			if (!json_is_boolean(v)) {
				snprintf(err, errlen, "\"force_master\" must "
				    "be true or false");
				goto done;
			}
			b->force_master = json_is_true(v);
		}
		break;
	case API_MAINTENANCE:
		if ((v = json_object_get(root, "enabled")) == NULL) {
			snprintf(err, errlen, "\"enabled\" is required");
			goto done;
		}
		if (!json_is_boolean(v)) {
			snprintf(err, errlen, "\"enabled\" must be true or "
			    "false");
			goto done;
		}
		b->enabled = json_is_true(v);
		if ((v = json_object_get(root, "hold")) != NULL) {
			if (!json_is_boolean(v)) {
				snprintf(err, errlen, "\"hold\" must be true or "
				    "false");
				goto done;
			}
			b->hold = json_is_true(v);
			if (b->hold && !b->enabled) {
				snprintf(err, errlen, "\"hold\" goes with "
				    "\"enabled\": true");
				goto done;
			}
		}
		if (api_reason(json_object_get(root, "reason"), b->enabled, b,
		    err, errlen) == -1)
			goto done;
		break;
	case API_DEMOTION:
		if (api_demotion(json_object_get(root, "value"), "value", b, err,
		    errlen) == -1)
			goto done;
		if (api_reason(json_object_get(root, "reason"), true, b, err,
		    errlen) == -1)
			goto done;
		break;
	case API_DEMOTIONS:
		if (api_demotion(json_object_get(root, "weight"), "weight", b, err,
		    errlen) == -1)
			goto done;
		if (api_reason(json_object_get(root, "reason"), true, b, err,
		    errlen) == -1)
			goto done;
		if ((v = json_object_get(root, "expires_in")) != NULL) {
			if (!json_is_integer(v)) {
				snprintf(err, errlen, "\"expires_in\" must be "
				    "an integer (seconds)");
				goto done;
			}
			iv = json_integer_value(v);
			if (iv < 1 || iv > LEDGER_EXPIRY_MAX) {
				snprintf(err, errlen, "\"expires_in\" out of "
				    "range (1..%lld seconds)",
				    (long long)LEDGER_EXPIRY_MAX);
				goto done;
			}
			b->expires_in = iv;
		}
		if ((v = json_object_get(root, "persist")) != NULL) {
			if (!json_is_boolean(v)) {
				snprintf(err, errlen, "\"persist\" must be "
				    "true or false");
				goto done;
			}
			b->persist = json_is_true(v);
		}
		break;
	case API_DEMOTIONS_DEL:
		if (api_reason(json_object_get(root, "reason"), false, b, err,
		    errlen) == -1)
			goto done;
		break;
	default:
		goto done;
	}
	rc = 0;
 done:
	json_decref(root);
	return rc;
}
