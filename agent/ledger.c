/*
 * ledger.c: the demotion ledger (see ledger.h).  Pure: no clock read, no
 * engine, no I/O but through the hooks.
 */
#include <sys/types.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "agent/ledger.h"
#include "agent/xmalloc.h"

const char *const ledger_source_names[LEDGER_SOURCE_MAX] = {
	"link", "track-interface", "track-script", "send-error", "startup",
	"api", "snmp", "config", "maintenance"
};

const char *const ledger_change_names[LEDGER_CHANGE_MAX] = {
	"added", "changed", "removed", "expired"
};

static struct {
	struct ledger_hooks	 h;
	struct ledger_entry	*e;		/* by name */
	size_t			 n, cap;
	size_t			 nowned;
	int			 applied;	/* last handed to apply */
	uint64_t		 gen;
} ledger;

static int64_t	 ledger_now(void);
static size_t	 ledger_pos(const char *, bool *);
static struct ledger_entry *ledger_insert(size_t);
static void	 ledger_remove_at(size_t);
static void	 ledger_apply(const char *);
static int	 ledger_save(void);
static void	 ledger_copy(char *, size_t, const char *);
static bool	 ledger_text_ok(const char *);
static bool	 ledger_reserved(const char *);
static bool	 ledger_name_syntax(const char *);

void
ledger_init(const struct ledger_hooks *h)
{
	ledger_free();
	if (h != NULL)
		ledger.h = *h;
}

void
ledger_free(void)
{
	uint64_t	 gen = ledger.gen;

	free(ledger.e);
	memset(&ledger, 0, sizeof(ledger));
	ledger.gen = gen + 1;	/* only grows */
}

uint64_t
ledger_gen(void)
{
	return ledger.gen;
}

static int64_t
ledger_now(void)
{
	return ledger.h.now != NULL ? ledger.h.now() : 0;
}

/* Copy a string, cut to fit at a UTF-8 character boundary. */
static void
ledger_copy(char *dst, size_t len, const char *src)
{
	size_t	 n;

	if (src == NULL)
		src = "";
	n = strnlen(src, len);
	if (n >= len) {
		n = len - 1;
		while (n > 0 && ((unsigned char)src[n] & 0xc0) == 0x80)
			n--;
	}
	memcpy(dst, src, n);
	dst[n] = '\0';
}

/* No control characters (the entry shows in logs, MIB and JSON). */
static bool
ledger_text_ok(const char *s)
{
	if (s == NULL)
		return true;
	for (; *s != '\0'; s++)
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			return false;
	return true;
}

static bool
ledger_reserved(const char *name)
{
	return strncmp(name, "link:", 5) == 0 ||
	    strncmp(name, "send-error:", 11) == 0;
}

/* A name of [A-Za-z0-9._:@-], starting with a letter or digit. */
static bool
ledger_name_syntax(const char *name)
{
	size_t	 i;
	char	 c;

	if (name == NULL || name[0] == '\0' ||
	    strnlen(name, LEDGER_NAME_LEN) >= LEDGER_NAME_LEN)
		return false;
	for (i = 0; (c = name[i]) != '\0'; i++) {
		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		    (c >= '0' && c <= '9'))
			continue;
		if (i == 0 || strchr("._:@-", c) == NULL)
			return false;
	}
	return true;
}

bool
ledger_name_valid(const char *name)
{
	return ledger_name_syntax(name) && !ledger_reserved(name);
}

int
ledger_source_find(const char *s)
{
	int	 i;

	for (i = 0; i < LEDGER_SOURCE_MAX; i++)
		if (strcmp(s, ledger_source_names[i]) == 0)
			return i;
	return -1;
}

bool
ledger_source_owned(enum ledger_source src)
{
	return src != LEDGER_API && src != LEDGER_SNMP && src != LEDGER_CONFIG;
}

/* Where name is, or would go. */
static size_t
ledger_pos(const char *name, bool *found)
{
	size_t	 lo = 0, hi = ledger.n, mid;
	int	 c;

	*found = false;
	while (lo < hi) {
		mid = (lo + hi) / 2;
		c = strcmp(ledger.e[mid].name, name);
		if (c == 0) {
			*found = true;
			return mid;
		}
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

static struct ledger_entry *
ledger_insert(size_t i)
{
	ledger.gen++;
	if (ledger.n == ledger.cap) {
		ledger.cap = ledger.cap == 0 ? 8 : ledger.cap * 2;
		ledger.e = xreallocarray(ledger.e, ledger.cap,
		    sizeof(*ledger.e));
	}
	memmove(&ledger.e[i + 1], &ledger.e[i],
	    (ledger.n - i) * sizeof(*ledger.e));
	ledger.n++;
	memset(&ledger.e[i], 0, sizeof(ledger.e[i]));
	return &ledger.e[i];
}

static void
ledger_remove_at(size_t i)
{
	ledger.gen++;
	if (!ledger.e[i].automatic)
		ledger.nowned--;
	memmove(&ledger.e[i], &ledger.e[i + 1],
	    (ledger.n - i - 1) * sizeof(*ledger.e));
	ledger.n--;
}

/* Hand the owned entries' sum to the engine, if it changed. */
static void
ledger_apply(const char *reason)
{
	int	 t = ledger_admin_total();

	if (t == ledger.applied)
		return;
	ledger.applied = t;
	if (ledger.h.apply != NULL)
		ledger.h.apply(t, reason);
}

static int
ledger_save(void)
{
	if (ledger.h.save == NULL || ledger.h.save() == 0)
		return 0;
	if (errno == 0)
		errno = EIO;
	return -1;
}

int
ledger_set(const char *name, enum ledger_source src, int weight,
    const char *reason, int64_t expires, bool persist, const char *origin)
{
	struct ledger_entry	*e, old;
	enum ledger_change	 what;
	int64_t			 now = ledger_now();
	size_t			 i;
	bool			 found, was_persist;
	char			 r[CARP_REASON_LEN];
	int			 before = 0;

	if ((unsigned int)src >= LEDGER_SOURCE_MAX || src == LEDGER_LINK ||
	    src == LEDGER_SEND_ERROR || !ledger_name_valid(name) ||
	    weight < -CARP_DEMOTION_MAX || weight > CARP_DEMOTION_MAX ||
	    !ledger_text_ok(reason) || expires < 0 ||
	    (expires != 0 && (expires <= now ||
	    expires - now > LEDGER_EXPIRY_MAX))) {
		errno = EINVAL;
		return -1;
	}
	ledger_copy(r, sizeof(r), reason);
	i = ledger_pos(name, &found);
	if (found) {
		e = &ledger.e[i];
		if (e->source != src && ledger_source_owned(e->source)) {
			errno = EPERM;
			return -1;
		}
		if (e->source == src && e->weight == weight &&
		    e->expires == expires && e->persist == persist &&
		    strcmp(e->reason, r) == 0)
			return 0;
		old = *e;
		before = e->weight;
		what = LEDGER_CHANGED;
	} else {
		if (ledger.nowned >= LEDGER_MAX) {
			errno = ENOSPC;
			return -1;
		}
		e = ledger_insert(i);
		ledger.nowned++;
		memset(&old, 0, sizeof(old));
		ledger_copy(e->name, sizeof(e->name), name);
		e->since = now;
		what = LEDGER_ADDED;
	}
	was_persist = old.persist;
	ledger.gen++;
	if (what == LEDGER_CHANGED && (old.weight != weight ||
	    old.source != src))
		e->since = now;
	e->source = src;
	e->weight = weight;
	memcpy(e->reason, r, sizeof(e->reason));
	e->expires = expires;
	e->persist = persist;
	ledger_copy(e->origin, sizeof(e->origin), origin);
	old = *e;		/* hooks may not keep e */
	ledger_apply(r);
	if (ledger.h.changed != NULL)
		ledger.h.changed(what, &old, before, origin);
	if ((persist || was_persist) && ledger_save() == -1)
		return -1;
	return 1;
}

int
ledger_del(const char *name, enum ledger_source src, const char *origin)
{
	struct ledger_entry	 old;
	size_t			 i;
	bool			 found;

	if (name == NULL || !ledger_name_syntax(name))
		return 0;
	i = ledger_pos(name, &found);
	if (!found)
		return 0;
	if (ledger.e[i].automatic || (ledger.e[i].source != src &&
	    ledger_source_owned(ledger.e[i].source))) {
		errno = EPERM;
		return -1;
	}
	old = ledger.e[i];
	ledger_remove_at(i);
	ledger_apply(old.reason[0] != '\0' ? old.reason : "removed");
	if (ledger.h.changed != NULL)
		ledger.h.changed(LEDGER_REMOVED, &old, old.weight, origin);
	if (old.persist && ledger_save() == -1)
		return -1;
	return 1;
}

int
ledger_restore(const struct ledger_entry *in)
{
	struct ledger_entry	*e;
	size_t			 i;
	bool			 found;

	if ((unsigned int)in->source >= LEDGER_SOURCE_MAX ||
	    in->source == LEDGER_LINK || in->source == LEDGER_SEND_ERROR ||
	    !ledger_name_valid(in->name) || in->weight < -CARP_DEMOTION_MAX ||
	    in->weight > CARP_DEMOTION_MAX || in->expires < 0) {
		errno = EINVAL;
		return -1;
	}
	if (in->expires != 0 && in->expires <= ledger_now()) {
		if (ledger.h.changed != NULL)
			ledger.h.changed(LEDGER_EXPIRED, in, in->weight,
			    "expiry");
		return 0;
	}
	i = ledger_pos(in->name, &found);
	if (found) {
		errno = EEXIST;
		return -1;
	}
	if (ledger.nowned >= LEDGER_MAX) {
		errno = ENOSPC;
		return -1;
	}
	e = ledger_insert(i);
	ledger.nowned++;
	*e = *in;
	e->automatic = false;
	e->name[sizeof(e->name) - 1] = '\0';
	e->reason[sizeof(e->reason) - 1] = '\0';
	e->origin[sizeof(e->origin) - 1] = '\0';
	ledger_apply("restored");
	return 1;
}

int
ledger_total(void)
{
	size_t	 i;
	int	 t = 0;

	for (i = 0; i < ledger.n; i++)
		t += ledger.e[i].weight;
	return t;
}

int
ledger_admin_total(void)
{
	size_t	 i;
	int	 t = 0;

	for (i = 0; i < ledger.n; i++)
		if (!ledger.e[i].automatic)
			t += ledger.e[i].weight;
	return t;
}

size_t
ledger_count(void)
{
	return ledger.n;
}

const struct ledger_entry *
ledger_get(size_t i)
{
	return i < ledger.n ? &ledger.e[i] : NULL;
}

const struct ledger_entry *
ledger_find(const char *name)
{
	size_t	 i;
	bool	 found;

	if (name == NULL)
		return NULL;
	i = ledger_pos(name, &found);
	return found ? &ledger.e[i] : NULL;
}

void
ledger_auto_set(const struct ledger_entry *in, size_t n)
{
	struct ledger_entry	 old, *e;
	const struct ledger_entry *a;
	int64_t			 now = ledger_now();
	size_t			 i, j;
	bool			 found;

	/* Gone or changed. */
	for (i = 0; i < ledger.n; ) {
		e = &ledger.e[i];
		if (!e->automatic) {
			i++;
			continue;
		}
		for (j = 0; j < n; j++)
			if (strcmp(in[j].name, e->name) == 0)
				break;
		if (j == n) {
			old = *e;
			ledger_remove_at(i);
			if (ledger.h.changed != NULL)
				ledger.h.changed(LEDGER_REMOVED, &old,
				    old.weight, "engine");
			continue;
		}
		if (in[j].weight != e->weight) {
			int before = e->weight;

			ledger.gen++;
			e->weight = in[j].weight;
			e->since = now;
			ledger_copy(e->reason, sizeof(e->reason),
			    in[j].reason);
			old = *e;
			if (ledger.h.changed != NULL)
				ledger.h.changed(LEDGER_CHANGED, &old, before,
				    "engine");
		}
		i++;
	}
	/* New. */
	for (j = 0; j < n; j++) {
		a = &in[j];
		if (!ledger_name_syntax(a->name) || !ledger_reserved(a->name))
			continue;
		i = ledger_pos(a->name, &found);
		if (found)
			continue;
		e = ledger_insert(i);
		*e = *a;
		e->automatic = true;
		e->persist = false;
		e->expires = 0;
		e->since = now;
		e->name[sizeof(e->name) - 1] = '\0';
		e->reason[sizeof(e->reason) - 1] = '\0';
		snprintf(e->origin, sizeof(e->origin), "engine");
		old = *e;
		if (ledger.h.changed != NULL)
			ledger.h.changed(LEDGER_ADDED, &old, 0, "engine");
	}
}

int
ledger_expire(void)
{
	struct ledger_entry	 old;
	int64_t			 now = ledger_now();
	size_t			 i;
	int			 n = 0;
	bool			 save = false;

	for (i = 0; i < ledger.n; ) {
		if (ledger.e[i].automatic || ledger.e[i].expires == 0 ||
		    ledger.e[i].expires > now) {
			i++;
			continue;
		}
		old = ledger.e[i];
		ledger_remove_at(i);
		n++;
		save |= old.persist;
		ledger_apply("expired");
		if (ledger.h.changed != NULL)
			ledger.h.changed(LEDGER_EXPIRED, &old, old.weight,
			    "expiry");
	}
	if (save)
		(void)ledger_save();
	return n;
}

int64_t
ledger_next_expiry(void)
{
	size_t	 i;
	int64_t	 t = 0;

	for (i = 0; i < ledger.n; i++)
		if (!ledger.e[i].automatic && ledger.e[i].expires != 0 &&
		    (t == 0 || ledger.e[i].expires < t))
			t = ledger.e[i].expires;
	return t;
}
