/*
 * state.c: the persisted administrative state, as a JSON file written
 * atomically (see state.h).
 */
#include <sys/types.h>
#include <sys/stat.h>

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>

#include "agent/log.h"
#include "agent/ifname.h"
#include "agent/state.h"
#include "agent/xmalloc.h"

static void	 state_err(char *, size_t, const char *, ...)
		    __attribute__((__format__(printf, 3, 4)));
static int	 state_check_keys(json_t *, const char *,
		    const char *const *, char *, size_t);
static int	 state_get_bool(json_t *, const char *, const char *, bool *,
		    char *, size_t);
static int	 state_get_int(json_t *, const char *, const char *, bool,
		    json_int_t, json_int_t, json_int_t *, char *, size_t);
static int	 state_get_string(json_t *, const char *, const char *, bool,
		    char *, size_t, char *, size_t);
static int	 state_parse_maintenance(json_t *, struct state *, char *,
		    size_t);
static int	 state_parse_demotion(json_t *, struct state *, char *, size_t);
static int	 state_parse_demoted(json_t *, struct state *, char *, size_t);
static int	 state_parse_demotions(json_t *, struct state *, char *,
		    size_t);
static int	 state_parse_root(json_t *, struct state *, char *, size_t);
static int	 state_cmp_vhid(const void *, const void *);
static int	 state_check_dups(const struct state *, char *, size_t);
static json_t	*state_json_string(const char *, size_t);
static int	 state_read(const char *, char **, size_t *);
static int	 state_write_all(int, const char *, size_t);
static char	*state_dir(const char *, const char **);
static void	 state_clean_temps(const char *);

/* Keys allowed in each object. */
static const char *const state_root_keys[] = {
	"version", "maintenance", "demotion", "demoted", "demotions", NULL
};
static const char *const state_ledger_keys[] = {
	"name", "source", "weight", "reason", "since", "expires", "origin",
	NULL
};
static const char *const state_maint_keys[] = {
	"enabled", "reason", "since", "by", NULL
};
static const char *const state_demotion_keys[] = {
	"value", "reason", "since", "by", NULL
};
static const char *const state_vhid_keys[] = {
	"interface", "vhid", "reason", "since", "by", NULL
};

/* Format a parse error into err, if there is room for one. */
static void
state_err(char *err, size_t errlen, const char *fmt, ...)
{
	va_list	 ap;

	if (err == NULL || errlen == 0)
		return;
	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
}

/* Make a state empty. */
void
state_init(struct state *st)
{
	memset(st, 0, sizeof(*st));
}

/* Free what a state holds and make it empty. */
void
state_free(struct state *st)
{
	free(st->demoted);
	free(st->demotions);
	state_init(st);
}

/* Copy a reason, cut to fit at a UTF-8 character boundary. */
void
state_copy_reason(char *dst, const char *src)
{
	size_t	 n;

	if (src == NULL) {
		dst[0] = '\0';
		return;
	}
	n = strnlen(src, CARP_REASON_LEN);
	if (n >= CARP_REASON_LEN) {
		n = CARP_REASON_LEN - 1;
		/* Back off continuation bytes (10xxxxxx) and their lead. */
		while (n > 0 && ((unsigned char)src[n] & 0xc0) == 0x80)
			n--;
	}
	memcpy(dst, src, n);
	dst[n] = '\0';
}

/* Reject any key of obj not in keys. */
static int
state_check_keys(json_t *obj, const char *where, const char *const *keys,
    char *err, size_t errlen)
{
	const char	*key;
	json_t		*val;
	size_t		 i;

	json_object_foreach(obj, key, val) {
		for (i = 0; keys[i] != NULL; i++)
			if (strcmp(key, keys[i]) == 0)
				break;
		if (keys[i] == NULL) {
			state_err(err, errlen, "%s: unknown key \"%.64s\"",
			    where, key);
			return -1;
		}
	}
	return 0;
}

/* A required boolean member. */
static int
state_get_bool(json_t *obj, const char *where, const char *key, bool *out,
    char *err, size_t errlen)
{
	json_t	*v;

	if ((v = json_object_get(obj, key)) == NULL) {
		state_err(err, errlen, "%s: missing \"%s\"", where, key);
		return -1;
	}
	if (!json_is_boolean(v)) {
		state_err(err, errlen, "%s.%s: not a boolean", where, key);
		return -1;
	}
	*out = json_is_true(v);
	return 0;
}

/* An integer member within min..max; absent and optional leaves *out. */
static int
state_get_int(json_t *obj, const char *where, const char *key,
    bool required, json_int_t min, json_int_t max, json_int_t *out,
    char *err, size_t errlen)
{
	json_t		*v;
	json_int_t	 n;

	if ((v = json_object_get(obj, key)) == NULL) {
		if (!required)
			return 0;
		state_err(err, errlen, "%s: missing \"%s\"", where, key);
		return -1;
	}
	if (!json_is_integer(v)) {
		state_err(err, errlen, "%s.%s: not an integer", where, key);
		return -1;
	}
	n = json_integer_value(v);
	if (n < min || n > max) {
		state_err(err, errlen, "%s.%s: %lld out of range (%lld-%lld)",
		    where, key, (long long)n, (long long)min, (long long)max);
		return -1;
	}
	*out = n;
	return 0;
}

/* A string member shorter than dstlen; absent and optional leaves dst. */
static int
state_get_string(json_t *obj, const char *where, const char *key,
    bool required, char *dst, size_t dstlen, char *err, size_t errlen)
{
	json_t		*v;
	const char	*s;
	size_t		 len;

	if ((v = json_object_get(obj, key)) == NULL) {
		if (!required)
			return 0;
		state_err(err, errlen, "%s: missing \"%s\"", where, key);
		return -1;
	}
	if (!json_is_string(v)) {
		state_err(err, errlen, "%s.%s: not a string", where, key);
		return -1;
	}
	s = json_string_value(v);
	len = json_string_length(v);
	if (strlen(s) != len) {
		state_err(err, errlen, "%s.%s: contains a NUL", where, key);
		return -1;
	}
	if (len >= dstlen) {
		state_err(err, errlen, "%s.%s: too long (%zu bytes, at most "
		    "%zu)", where, key, len, dstlen - 1);
		return -1;
	}
	memcpy(dst, s, len + 1);
	return 0;
}

static int
state_parse_maintenance(json_t *o, struct state *st, char *err,
    size_t errlen)
{
	json_int_t	 n = 0;

	if (!json_is_object(o)) {
		state_err(err, errlen, "maintenance: not an object");
		return -1;
	}
	if (state_check_keys(o, "maintenance", state_maint_keys, err,
	    errlen) == -1 ||
	    state_get_bool(o, "maintenance", "enabled", &st->maintenance,
	    err, errlen) == -1 ||
	    state_get_string(o, "maintenance", "reason", false,
	    st->maintenance_reason, sizeof(st->maintenance_reason), err,
	    errlen) == -1 ||
	    state_get_int(o, "maintenance", "since", false, 0, INT64_MAX, &n,
	    err, errlen) == -1 ||
	    state_get_string(o, "maintenance", "by", false,
	    st->maintenance_by, sizeof(st->maintenance_by), err,
	    errlen) == -1)
		return -1;
	st->maintenance_since = n;
	return 0;
}

static int
state_parse_demotion(json_t *o, struct state *st, char *err, size_t errlen)
{
	json_int_t	 v = 0, n = 0;

	if (!json_is_object(o)) {
		state_err(err, errlen, "demotion: not an object");
		return -1;
	}
	if (state_check_keys(o, "demotion", state_demotion_keys, err,
	    errlen) == -1 ||
	    state_get_int(o, "demotion", "value", true, -STATE_DEMOTION_MAX,
	    STATE_DEMOTION_MAX, &v, err, errlen) == -1 ||
	    state_get_string(o, "demotion", "reason", false,
	    st->demotion_reason, sizeof(st->demotion_reason), err,
	    errlen) == -1 ||
	    state_get_int(o, "demotion", "since", false, 0, INT64_MAX, &n,
	    err, errlen) == -1 ||
	    state_get_string(o, "demotion", "by", false, st->demotion_by,
	    sizeof(st->demotion_by), err, errlen) == -1)
		return -1;
	st->demotion = (int)v;
	st->demotion_since = n;
	return 0;
}

static int
state_parse_demoted(json_t *a, struct state *st, char *err, size_t errlen)
{
	struct state_vhid	*sv;
	json_t			*o;
	json_int_t		 vhid, since;
	size_t			 i, n;
	char			 where[32];

	if (!json_is_array(a)) {
		state_err(err, errlen, "demoted: not an array");
		return -1;
	}
	n = json_array_size(a);
	if (n > STATE_MAX_DEMOTED) {
		state_err(err, errlen, "demoted: %zu entries, at most %d", n,
		    STATE_MAX_DEMOTED);
		return -1;
	}
	if (n == 0)
		return 0;
	st->demoted = xcalloc(n, sizeof(*st->demoted));
	json_array_foreach(a, i, o) {
		sv = &st->demoted[i];
		snprintf(where, sizeof(where), "demoted[%zu]", i);
		if (!json_is_object(o)) {
			state_err(err, errlen, "%s: not an object", where);
			return -1;
		}
		vhid = 0;
		since = 0;
		if (state_check_keys(o, where, state_vhid_keys, err,
		    errlen) == -1 ||
		    state_get_string(o, where, "interface", true, sv->ifname,
		    sizeof(sv->ifname), err, errlen) == -1 ||
		    state_get_int(o, where, "vhid", true, 1, CARP_MAXVHID,
		    &vhid, err, errlen) == -1 ||
		    state_get_string(o, where, "reason", false, sv->reason,
		    sizeof(sv->reason), err, errlen) == -1 ||
		    state_get_int(o, where, "since", false, 0, INT64_MAX,
		    &since, err, errlen) == -1 ||
		    state_get_string(o, where, "by", false, sv->by,
		    sizeof(sv->by), err, errlen) == -1)
			return -1;
		if (!ifname_valid(sv->ifname, strnlen(sv->ifname, IF_NAMESIZE))) {
			state_err(err, errlen, "%s.interface: \"%s\" is not an "
			    "interface name", where, sv->ifname);
			return -1;
		}
		sv->vhid = (uint8_t)vhid;
		sv->since = since;
		st->ndemoted = i + 1;
	}
	return state_check_dups(st, err, errlen);
}

/* Order entries by interface name, then VHID. */
static int
state_cmp_vhid(const void *a, const void *b)
{
	const struct state_vhid	*x = *(const struct state_vhid *const *)a;
	const struct state_vhid	*y = *(const struct state_vhid *const *)b;
	int			 c;

	if ((c = strcmp(x->ifname, y->ifname)) != 0)
		return c;
	if (x->vhid != y->vhid)
		return x->vhid < y->vhid ? -1 : 1;
	/* Equal keys: by position, so the later one is found second. */
	return x < y ? -1 : (x > y);
}

/* Reject a (interface, vhid) pair listed twice, naming the later entry. */
static int
state_check_dups(const struct state *st, char *err, size_t errlen)
{
	const struct state_vhid	**sorted;
	size_t			  i;
	int			  rc = 0;

	if (st->ndemoted < 2)
		return 0;
	sorted = xcalloc(st->ndemoted, sizeof(*sorted));
	for (i = 0; i < st->ndemoted; i++)
		sorted[i] = &st->demoted[i];
	qsort(sorted, st->ndemoted, sizeof(*sorted), state_cmp_vhid);
	for (i = 1; i < st->ndemoted; i++) {
		if (sorted[i]->vhid == sorted[i - 1]->vhid &&
		    strcmp(sorted[i]->ifname, sorted[i - 1]->ifname) == 0) {
			state_err(err, errlen, "demoted[%zu]: vhid %u on %s "
			    "listed twice", (size_t)(sorted[i] - st->demoted),
			    sorted[i]->vhid, sorted[i]->ifname);
			rc = -1;
			break;
		}
	}
	free(sorted);
	return rc;
}

/* The ledger's persistent entries. */
static int
state_parse_demotions(json_t *a, struct state *st, char *err, size_t errlen)
{
	struct ledger_entry	*e;
	json_t			*o;
	json_int_t		 w, since, expires;
	size_t			 i, j, n;
	int			 src;
	char			 where[32], source[32];

	if (!json_is_array(a)) {
		state_err(err, errlen, "demotions: not an array");
		return -1;
	}
	n = json_array_size(a);
	if (n > LEDGER_MAX) {
		state_err(err, errlen, "demotions: %zu entries, at most %d", n,
		    LEDGER_MAX);
		return -1;
	}
	if (n == 0)
		return 0;
	st->demotions = xcalloc(n, sizeof(*st->demotions));
	json_array_foreach(a, i, o) {
		e = &st->demotions[i];
		snprintf(where, sizeof(where), "demotions[%zu]", i);
		if (!json_is_object(o)) {
			state_err(err, errlen, "%s: not an object", where);
			return -1;
		}
		w = since = expires = 0;
		source[0] = '\0';
		if (state_check_keys(o, where, state_ledger_keys, err,
		    errlen) == -1 ||
		    state_get_string(o, where, "name", true, e->name,
		    sizeof(e->name), err, errlen) == -1 ||
		    state_get_string(o, where, "source", true, source,
		    sizeof(source), err, errlen) == -1 ||
		    state_get_int(o, where, "weight", true,
		    -STATE_DEMOTION_MAX, STATE_DEMOTION_MAX, &w, err,
		    errlen) == -1 ||
		    state_get_string(o, where, "reason", false, e->reason,
		    sizeof(e->reason), err, errlen) == -1 ||
		    state_get_int(o, where, "since", false, 0, INT64_MAX,
		    &since, err, errlen) == -1 ||
		    state_get_int(o, where, "expires", false, 0, INT64_MAX,
		    &expires, err, errlen) == -1 ||
		    state_get_string(o, where, "origin", false, e->origin,
		    sizeof(e->origin), err, errlen) == -1)
			return -1;
		if (!ledger_name_valid(e->name)) {
			state_err(err, errlen, "%s.name: \"%s\" is not an entry "
			    "name", where, e->name);
			return -1;
		}
		src = ledger_source_find(source);
		if (src == -1 || src == LEDGER_LINK ||
		    src == LEDGER_SEND_ERROR) {
			state_err(err, errlen, "%s.source: \"%s\" is not a "
			    "source of saved entries", where, source);
			return -1;
		}
		for (j = 0; j < i; j++)
			if (strcmp(st->demotions[j].name, e->name) == 0) {
				state_err(err, errlen, "%s: \"%s\" listed "
				    "twice", where, e->name);
				return -1;
			}
		e->source = (enum ledger_source)src;
		e->weight = (int)w;
		e->since = since;
		e->expires = expires;
		e->persist = true;
		st->ndemotions = i + 1;
	}
	return 0;
}

static int
state_parse_root(json_t *root, struct state *st, char *err, size_t errlen)
{
	json_t		*v;
	json_int_t	 version = 0;

	if (!json_is_object(root)) {
		state_err(err, errlen, "not a JSON object");
		return -1;
	}
	if (state_check_keys(root, "state", state_root_keys, err,
	    errlen) == -1 ||
	    state_get_int(root, "state", "version", true, STATE_VERSION,
	    STATE_VERSION, &version, err, errlen) == -1)
		return -1;
	if ((v = json_object_get(root, "maintenance")) != NULL &&
	    state_parse_maintenance(v, st, err, errlen) == -1)
		return -1;
	if ((v = json_object_get(root, "demotion")) != NULL &&
	    state_parse_demotion(v, st, err, errlen) == -1)
		return -1;
	if ((v = json_object_get(root, "demoted")) != NULL &&
	    state_parse_demoted(v, st, err, errlen) == -1)
		return -1;
	if ((v = json_object_get(root, "demotions")) != NULL &&
	    state_parse_demotions(v, st, err, errlen) == -1)
		return -1;
	return 0;
}

/* Parse a buffer strictly; see state.h. */
int
state_parse(const char *buf, size_t len, struct state *st, char *err,
    size_t errlen)
{
	json_t		*root;
	json_error_t	 jerr;
	int		 rc;

	state_free(st);
	if (err != NULL && errlen > 0)
		err[0] = '\0';
	root = json_loadb(buf, len, JSON_REJECT_DUPLICATES, &jerr);
	if (root == NULL) {
		state_err(err, errlen, "line %d column %d: %s", jerr.line,
		    jerr.column, jerr.text);
		return -1;
	}
	rc = state_parse_root(root, st, err, errlen);
	json_decref(root);
	if (rc == -1)
		state_free(st);
	return rc;
}

/*
 * A JSON string for a buffer of at most max bytes; bytes that are not
 * valid UTF-8 become '?' so a state set from anywhere can be written.
 */
static json_t *
state_json_string(const char *s, size_t max)
{
	json_t	*j;
	char	*copy;
	size_t	 len, i;

	len = strnlen(s, max);
	if ((j = json_stringn(s, len)) != NULL)
		return j;
	copy = xmalloc(len + 1);
	for (i = 0; i < len; i++)
		copy[i] = ((unsigned char)s[i] < 0x80) ? s[i] : '?';
	copy[len] = '\0';
	j = json_stringn(copy, len);
	free(copy);
	return j;
}

/* The state as JSON text; see state.h. */
char *
state_dump(const struct state *st)
{
	const struct state_vhid	*sv;
	json_t			*root, *o, *a;
	char			*text, *out;
	size_t			 i;
	int			 rc = 0;

	root = json_object();
	rc |= json_object_set_new(root, "version", json_integer(STATE_VERSION));

	o = json_object();
	rc |= json_object_set_new(o, "enabled", json_boolean(st->maintenance));
	rc |= json_object_set_new(o, "reason", state_json_string(
	    st->maintenance_reason, sizeof(st->maintenance_reason)));
	rc |= json_object_set_new(o, "since",
	    json_integer(st->maintenance_since));
	rc |= json_object_set_new(o, "by", state_json_string(
	    st->maintenance_by, sizeof(st->maintenance_by)));
	rc |= json_object_set_new(root, "maintenance", o);

	o = json_object();
	rc |= json_object_set_new(o, "value", json_integer(st->demotion));
	rc |= json_object_set_new(o, "reason", state_json_string(
	    st->demotion_reason, sizeof(st->demotion_reason)));
	rc |= json_object_set_new(o, "since",
	    json_integer(st->demotion_since));
	rc |= json_object_set_new(o, "by", state_json_string(
	    st->demotion_by, sizeof(st->demotion_by)));
	rc |= json_object_set_new(root, "demotion", o);

	a = json_array();
	for (i = 0; i < st->ndemoted; i++) {
		sv = &st->demoted[i];
		o = json_object();
		rc |= json_object_set_new(o, "interface",
		    state_json_string(sv->ifname, sizeof(sv->ifname)));
		rc |= json_object_set_new(o, "vhid", json_integer(sv->vhid));
		rc |= json_object_set_new(o, "reason",
		    state_json_string(sv->reason, sizeof(sv->reason)));
		rc |= json_object_set_new(o, "since", json_integer(sv->since));
		rc |= json_object_set_new(o, "by",
		    state_json_string(sv->by, sizeof(sv->by)));
		rc |= json_array_append_new(a, o);
	}
	rc |= json_object_set_new(root, "demoted", a);

	if (st->ndemotions > 0) {
		a = json_array();
		for (i = 0; i < st->ndemotions; i++) {
			const struct ledger_entry *e = &st->demotions[i];

			o = json_object();
			rc |= json_object_set_new(o, "name", state_json_string(
			    e->name, sizeof(e->name)));
			rc |= json_object_set_new(o, "source", json_string(
			    (unsigned int)e->source < LEDGER_SOURCE_MAX ?
			    ledger_source_names[e->source] : "?"));
			rc |= json_object_set_new(o, "weight",
			    json_integer(e->weight));
			rc |= json_object_set_new(o, "reason",
			    state_json_string(e->reason, sizeof(e->reason)));
			rc |= json_object_set_new(o, "since",
			    json_integer(e->since));
			rc |= json_object_set_new(o, "expires",
			    json_integer(e->expires));
			rc |= json_object_set_new(o, "origin",
			    state_json_string(e->origin, sizeof(e->origin)));
			rc |= json_array_append_new(a, o);
		}
		rc |= json_object_set_new(root, "demotions", a);
	}

	text = rc == 0 ? json_dumps(root, JSON_INDENT(2)) : NULL;
	json_decref(root);
	if (text == NULL) {
		log_warnx("%s: cannot build the JSON text", __func__);
		return NULL;
	}
	xasprintf(&out, "%s\n", text);
	free(text);
	return out;
}

/* Whether two states are equal; see state.h. */
bool
state_equal(const struct state *a, const struct state *b)
{
	const struct state_vhid	*x, *y;
	size_t			 i;

	if (a->maintenance != b->maintenance ||
	    a->maintenance_since != b->maintenance_since ||
	    a->demotion != b->demotion ||
	    a->demotion_since != b->demotion_since ||
	    a->ndemoted != b->ndemoted ||
	    a->ndemotions != b->ndemotions ||
	    strncmp(a->maintenance_reason, b->maintenance_reason,
	    CARP_REASON_LEN) != 0 ||
	    strncmp(a->demotion_reason, b->demotion_reason,
	    CARP_REASON_LEN) != 0 ||
	    strncmp(a->maintenance_by, b->maintenance_by, STATE_BY_LEN) != 0 ||
	    strncmp(a->demotion_by, b->demotion_by, STATE_BY_LEN) != 0)
		return false;
	for (i = 0; i < a->ndemoted; i++) {
		x = &a->demoted[i];
		y = &b->demoted[i];
		if (x->vhid != y->vhid || x->since != y->since ||
		    strncmp(x->ifname, y->ifname, IF_NAMESIZE) != 0 ||
		    strncmp(x->reason, y->reason, CARP_REASON_LEN) != 0 ||
		    strncmp(x->by, y->by, STATE_BY_LEN) != 0)
			return false;
	}
	for (i = 0; i < a->ndemotions; i++) {
		const struct ledger_entry *p = &a->demotions[i];
		const struct ledger_entry *q = &b->demotions[i];

		if (p->source != q->source || p->weight != q->weight ||
		    p->since != q->since || p->expires != q->expires ||
		    strncmp(p->name, q->name, LEDGER_NAME_LEN) != 0 ||
		    strncmp(p->reason, q->reason, CARP_REASON_LEN) != 0 ||
		    strncmp(p->origin, q->origin, LEDGER_ORIGIN_LEN) != 0)
			return false;
	}
	return true;
}

/* The entry for vhid on ifname, or NULL. */
struct state_vhid *
state_find_demoted(const struct state *st, const char *ifname, uint8_t vhid)
{
	size_t	 i;

	for (i = 0; i < st->ndemoted; i++)
		if (st->demoted[i].vhid == vhid &&
		    strncmp(st->demoted[i].ifname, ifname, IF_NAMESIZE) == 0)
			return &st->demoted[i];
	return NULL;
}

/* Record or forget a demoted VHID; see state.h. */
int
state_set_demoted(struct state *st, const char *ifname, uint8_t vhid,
    bool demoted, const char *reason, int64_t since)
{
	struct state_vhid	*sv;
	char			 r[CARP_REASON_LEN];
	size_t			 i;

	if (ifname == NULL || vhid == 0 || !ifname_valid(ifname, strnlen(ifname, IF_NAMESIZE))) {
		log_warnx("%s: bad interface or vhid", __func__);
		return -1;
	}
	sv = state_find_demoted(st, ifname, vhid);
	if (!demoted) {
		if (sv == NULL)
			return 0;
		i = (size_t)(sv - st->demoted);
		memmove(sv, sv + 1, (st->ndemoted - i - 1) * sizeof(*sv));
		if (--st->ndemoted == 0) {
			free(st->demoted);
			st->demoted = NULL;
		}
		return 1;
	}
	state_copy_reason(r, reason);
	if (sv != NULL) {
		if (strcmp(sv->reason, r) == 0)
			return 0;
		memcpy(sv->reason, r, sizeof(sv->reason));
		return 1;
	}
	if (st->ndemoted >= STATE_MAX_DEMOTED) {
		log_warnx("%s: more than %d demoted VHIDs", __func__,
		    STATE_MAX_DEMOTED);
		return -1;
	}
	st->demoted = xreallocarray(st->demoted, st->ndemoted + 1,
	    sizeof(*st->demoted));
	sv = &st->demoted[st->ndemoted++];
	memset(sv, 0, sizeof(*sv));
	strncpy(sv->ifname, ifname, sizeof(sv->ifname) - 1);
	sv->vhid = vhid;
	memcpy(sv->reason, r, sizeof(sv->reason));
	sv->since = since;
	return 1;
}

/* Read a whole regular file; -1 with errno set (EFBIG: too large). */
static int
state_read(const char *path, char **bufp, size_t *lenp)
{
	struct stat	 sb;
	char		*buf = NULL;
	size_t		 len = 0, cap = 0;
	ssize_t		 n;
	int		 fd, saved;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1)
		return -1;
	if (fstat(fd, &sb) == -1)
		goto fail;
	if (!S_ISREG(sb.st_mode)) {
		errno = EINVAL;
		goto fail;
	}
	for (;;) {
		if (len == cap) {
			if (cap >= STATE_MAX_FILE) {
				errno = EFBIG;
				goto fail;
			}
			cap = cap == 0 ? 4096 : cap * 2;
			buf = xreallocarray(buf, cap, 1);
		}
		n = read(fd, buf + len, cap - len);
		if (n == -1) {
			if (errno == EINTR)
				continue;
			goto fail;
		}
		if (n == 0)
			break;
		len += (size_t)n;
	}
	close(fd);
	*bufp = buf;
	*lenp = len;
	return 0;

fail:
	saved = errno;
	free(buf);
	close(fd);
	errno = saved;
	return -1;
}

/* Load the state file; see state.h. */
int
state_load(const char *path, struct state *st)
{
	char	*buf;
	size_t	 len;
	char	 err[256];

	state_free(st);
	state_clean_temps(path);
	if (state_read(path, &buf, &len) == -1) {
		if (errno == ENOENT) {
			log_debug("%s: %s: no state file, empty state",
			    __func__, path);
			return 0;
		}
		if (errno == EINVAL)
			log_warnx("state file %s: not a regular file", path);
		else if (errno == EFBIG)
			log_warnx("state file %s: larger than %d bytes", path,
			    STATE_MAX_FILE);
		else
			log_warn("state file %s", path);
		return -1;
	}
	if (state_parse(buf, len, st, err, sizeof(err)) == -1) {
		log_warnx("state file %s: invalid: %s", path, err);
		free(buf);
		return -1;
	}
	free(buf);
	return 0;
}

/*
 * Split path into its directory (allocated) and its last component; the
 * component is empty when path ends in a slash.
 */
static char *
state_dir(const char *path, const char **base)
{
	const char	*slash;
	char		*dir;

	if ((slash = strrchr(path, '/')) == NULL) {
		*base = path;
		return xstrdup(".");
	}
	*base = slash + 1;
	if (slash == path)
		return xstrdup("/");
	xasprintf(&dir, "%.*s", (int)(slash - path), path);
	return dir;
}

/*
 * Remove temporary files a save left behind when carpd was killed between
 * creating one and renaming it over the state file: regular files named
 * exactly ".BASE.XXXXXX" (mkostemp's six characters) next to it.  Nothing
 * else in the directory is touched.
 */
static void
state_clean_temps(const char *path)
{
	const char	*base;
	char		*dir;
	DIR		*d;
	struct dirent	*de;
	struct stat	 sb;
	size_t		 blen, i;
	bool		 ok;

	dir = state_dir(path, &base);
	blen = strlen(base);
	if (blen == 0 || (d = opendir(dir)) == NULL) {
		free(dir);
		return;
	}
	while ((de = readdir(d)) != NULL) {
		if (strlen(de->d_name) != blen + 8 || de->d_name[0] != '.' ||
		    strncmp(de->d_name + 1, base, blen) != 0 ||
		    de->d_name[blen + 1] != '.')
			continue;
		ok = true;
		for (i = blen + 2; i < blen + 8; i++)
			if (!isalnum((unsigned char)de->d_name[i]))
				ok = false;
		if (!ok || fstatat(dirfd(d), de->d_name, &sb,
		    AT_SYMLINK_NOFOLLOW) == -1 || !S_ISREG(sb.st_mode))
			continue;
		if (unlinkat(dirfd(d), de->d_name, 0) == 0)
			log_info("state file %s: removed %s/%s left by an "
			    "interrupted save", path, dir, de->d_name);
	}
	closedir(d);
	free(dir);
}

/* Write all of buf, retrying short writes. */
static int
state_write_all(int fd, const char *buf, size_t len)
{
	ssize_t	 n;

	while (len > 0) {
		if ((n = write(fd, buf, len)) == -1) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		buf += n;
		len -= (size_t)n;
	}
	return 0;
}

/* Save the state atomically; see state.h. */
int
state_save(const char *path, const struct state *st)
{
	struct state	 check;
	const char	*base;
	char		*text, *dir, *tmp = NULL;
	char		 err[256];
	int		 fd = -1, dfd, rc = -1;

	if ((text = state_dump(st)) == NULL)
		return -1;
	/* Never write a file that the next start would refuse. */
	state_init(&check);
	if (state_parse(text, strlen(text), &check, err, sizeof(err)) == -1) {
		log_warnx("%s: %s: refusing to save an invalid state: %s",
		    __func__, path, err);
		free(text);
		return -1;
	}
	state_free(&check);

	dir = state_dir(path, &base);
	if (*base == '\0') {
		log_warnx("%s: %s: not a file name", __func__, path);
		goto out;
	}
	xasprintf(&tmp, "%s/.%s.XXXXXX", dir, base);
	if ((fd = mkostemp(tmp, O_CLOEXEC)) == -1) {
		log_warn("%s: %s: cannot create a temporary file", __func__,
		    tmp);
		free(tmp);
		tmp = NULL;
		goto out;
	}
	if (fchmod(fd, 0600) == -1) {
		log_warn("%s: %s: fchmod", __func__, tmp);
		goto out;
	}
	if (state_write_all(fd, text, strlen(text)) == -1) {
		log_warn("%s: %s: write", __func__, tmp);
		goto out;
	}
	if (fsync(fd) == -1) {
		log_warn("%s: %s: fsync", __func__, tmp);
		goto out;
	}
	if (close(fd) == -1) {
		fd = -1;
		log_warn("%s: %s: close", __func__, tmp);
		goto out;
	}
	fd = -1;
	if (rename(tmp, path) == -1) {
		log_warn("%s: rename %s to %s", __func__, tmp, path);
		goto out;
	}
	free(tmp);
	tmp = NULL;

	/* The rename is durable only once the directory is synced. */
	if ((dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) == -1) {
		log_warn("%s: %s: open directory", __func__, dir);
		goto out;
	}
	if (fsync(dfd) == -1) {
		log_warn("%s: %s: fsync directory", __func__, dir);
		close(dfd);
		goto out;
	}
	close(dfd);
	rc = 0;

out:
	if (fd != -1)
		close(fd);
	if (tmp != NULL) {
		unlink(tmp);
		free(tmp);
	}
	free(dir);
	free(text);
	return rc;
}

/* The entries to restore; see state.h. */
size_t
state_ledger_entries(const struct state *st, struct ledger_entry *out,
    bool *by_hand)
{
	struct ledger_entry	*e;
	size_t			 n = 0, i;

	*by_hand = st->demotion != 0 || st->demotion_since != 0;
	if (st->demotion != 0) {
		e = &out[n++];
		memset(e, 0, sizeof(*e));
		snprintf(e->name, sizeof(e->name), "%s", LEDGER_ADMIN_NAME);
		e->source = LEDGER_API;
		e->weight = st->demotion;
		memcpy(e->reason, st->demotion_reason, sizeof(e->reason));
		e->since = st->demotion_since;
		snprintf(e->origin, sizeof(e->origin), "%s", st->demotion_by);
		e->persist = true;
	}
	for (i = 0; i < st->ndemotions && n <= LEDGER_MAX; i++) {
		if (strcmp(st->demotions[i].name, LEDGER_ADMIN_NAME) == 0) {
			*by_hand = true;
			/* Both: the list's, which only a new carpd writes. */
			if (n > 0 && strcmp(out[0].name,
			    LEDGER_ADMIN_NAME) == 0) {
				out[0] = st->demotions[i];
				continue;
			}
		}
		out[n++] = st->demotions[i];
	}
	return n;
}

/* The ledger's persistent entries into the state; see state.h. */
void
state_from_ledger(struct state *st)
{
	const struct ledger_entry	*e;
	size_t				 i, n = ledger_count();

	free(st->demotions);
	st->demotions = NULL;
	st->ndemotions = 0;
	st->demotion = 0;
	st->demotion_reason[0] = '\0';
	st->demotion_since = 0;
	st->demotion_by[0] = '\0';
	for (i = 0; i < n; i++) {
		e = ledger_get(i);
		if (e->automatic || !e->persist)
			continue;
		if (strcmp(e->name, LEDGER_ADMIN_NAME) == 0 &&
		    e->expires == 0 && e->source == LEDGER_API) {
			st->demotion = e->weight;
			state_copy_reason(st->demotion_reason, e->reason);
			st->demotion_since = e->since;
			snprintf(st->demotion_by, sizeof(st->demotion_by),
			    "%s", e->origin);
			continue;
		}
		if (st->demotions == NULL)
			st->demotions = xcalloc(n, sizeof(*st->demotions));
		st->demotions[st->ndemotions++] = *e;
	}
}
