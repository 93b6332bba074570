/*
 * test_conf_tab.c: walk the tables that drive the configuration parser.
 *
 * Every row must be documented in docs/carpd.conf.5 (so a new key is one
 * row and its documentation), must accept a value other than its default
 * and print it back, must refuse a bad value naming file:line, and must
 * survive a print-and-parse round trip.  The same for the ifconfig words,
 * each with an example below.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "agent/conf.h"
#include "agent/conf_tab.h"

#define MANPAGE		"docs/carpd.conf.5"

static char	 msgs[8192];
static int	 nerr, nwarn;

static unsigned int	test_resolve(void *, const char *);
static void		test_msg(void *, int, const char *);
static struct carpd_conf *parse(const char *);
static char		*print(const struct carpd_conf *, int);
static const char	*word_example(const char *);
static char		*read_man(void);
static int		has_line(const char *, const char *);
static int		man_has_item(const char *, const char *,
			    const char *);
static const char	*sample(const struct conf_key *, char *, size_t);
static const char	*bad(const struct conf_key *, char *, size_t);
static const char	*line(const struct conf_key *, const char *, char *,
			    size_t);

/* Only eth0 exists. */
static unsigned int
test_resolve(void *arg, const char *name)
{
	(void)arg;
	return strcmp(name, "eth0") == 0;
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

static struct carpd_conf *
parse(const char *text)
{
	msgs[0] = '\0';
	nerr = nwarn = 0;
	return conf_parse_buf("t.conf", text, strlen(text), &test_opts);
}

/* conf_print() into an allocated string. */
static char *
print(const struct carpd_conf *conf, int flags)
{
	char	*buf = NULL;
	size_t	 len = 0;
	FILE	*fp;

	fp = open_memstream(&buf, &len);
	assert_non_null(fp);
	conf_print_flags(fp, conf, flags);
	fclose(fp);
	return buf;
}

/* The man page, NUL-terminated. */
static char *
read_man(void)
{
	char	*buf;
	long	 len;
	FILE	*fp;

	fp = fopen(MANPAGE, "r");
	assert_non_null(fp);
	assert_int_equal(fseek(fp, 0, SEEK_END), 0);
	len = ftell(fp);
	assert_true(len > 0);
	rewind(fp);
	buf = malloc((size_t)len + 1);
	assert_non_null(buf);
	assert_int_equal(fread(buf, 1, (size_t)len, fp), (size_t)len);
	buf[len] = '\0';
	fclose(fp);
	return buf;
}

/* Is l one whole line of text? */
static int
has_line(const char *text, const char *l)
{
	const char	*p;
	size_t		 len = strlen(l);

	for (p = text; (p = strstr(p, l)) != NULL; p++)
		if ((p == text || p[-1] == '\n') &&
		    (p[len] == '\n' || p[len] == '\0'))
			return 1;
	return 0;
}

/*
 * Does the page have an item line starting with macro and word (".It Ic
 * user ..."), and, if also is set, with that word further on the line?
 */
static int
man_has_item(const char *man, const char *head, const char *also)
{
	const char	*p, *end, *w;
	size_t		 len = strlen(head), alen;

	for (p = man; (p = strstr(p, head)) != NULL; p++) {
		if ((p != man && p[-1] != '\n') ||
		    (p[len] != ' ' && p[len] != '\n'))
			continue;
		if (also == NULL)
			return 1;
		end = strchr(p, '\n');
		alen = strlen(also);
		for (w = p + len; (w = strstr(w, also)) != NULL &&
		    w < end; w++)
			if (w[-1] == ' ' && (w[alen] == ' ' ||
			    w[alen] == '\n'))
				return 1;
	}
	return 0;
}

/* A good value other than the default. */
static const char *
sample(const struct conf_key *k, char *buf, size_t len)
{
	size_t	 n;

	switch (k->type) {
	case CONF_T_INT:
		snprintf(buf, len, "%lld", k->max != k->dflt ? k->max :
		    k->min);
		return buf;
	case CONF_T_PAIR:
		return k->names[k->dflt ? 1 : 0];
	case CONF_T_ENUM:
		for (n = 0; k->names[n + 1] != NULL; n++)
			;
		return k->names[n];
	case CONF_T_PATH:
		snprintf(buf, len, "/nonexistent/%s", k->name);
		return buf;
	case CONF_T_PATH_OFF:
	case CONF_T_AGENTX:
		return "off";
	case CONF_T_USER:
		return "root";
	case CONF_T_LISTEN:
		return "[2001:db8::1]:9580";
	}
	return NULL;
}

/* A value the key must refuse. */
static const char *
bad(const struct conf_key *k, char *buf, size_t len)
{
	switch (k->type) {
	case CONF_T_INT:
		snprintf(buf, len, "%lld", k->max + 1);
		return buf;
	case CONF_T_USER:
		return "no-such-user-carpd-test";
	case CONF_T_LISTEN:
		return "localhost:80";
	default:
		return "relative/bogus";
	}
}

/* The line setting k to value: "net.inet.carp.NAME=V" or "NAME V". */
static const char *
line(const struct conf_key *k, const char *value, char *buf, size_t len)
{
	if (k->flags & CONF_K_SYSCTL)
		snprintf(buf, len, "%s%s=%s", CONF_SYSCTL, k->name, value);
	else
		snprintf(buf, len, "%s %s", k->name, value);
	return buf;
}

/* Every key has its item in the man page, its words and its range. */
static void
test_keys_documented(void **state)
{
	const struct conf_key	*k;
	char			*man, head[128], row[256], lo[32];
	size_t			 i;

	(void)state;
	man = read_man();
	for (k = conf_keys; k < conf_keys + conf_nkeys; k++) {
		if (k->flags & CONF_K_SYSCTL) {
			snprintf(head, sizeof(head), ".It Va %s%s",
			    CONF_SYSCTL, k->name);
			/* The table row: name, range and default. */
			snprintf(lo, sizeof(lo), "%s%lld", k->min < 0 ?
			    "\\-" : "", k->min < 0 ? -k->min : k->min);
			snprintf(row, sizeof(row), ".It Va %s Ta %s..%lld Ta "
			    "%lld", k->name, lo, k->max, k->dflt);
			if (!has_line(man, row))
				fail_msg("%s: no line \"%s\"", MANPAGE, row);
		} else
			snprintf(head, sizeof(head), ".It Ic %s", k->name);
		if (!man_has_item(man, head, NULL))
			fail_msg("%s: no item \"%s\"", MANPAGE, head);
		for (i = 0; k->names != NULL && k->names[i] != NULL; i++) {
			snprintf(row, sizeof(row), ".It Cm %s", k->names[i]);
			if (!man_has_item(man, head, k->names[i]) &&
			    !man_has_item(man, row, NULL))
				fail_msg("%s: %s %s undocumented", MANPAGE,
				    k->name, k->names[i]);
		}
	}
	free(man);
}

/*
 * Every key set to a value other than its default, all at once (they are
 * chosen to fit together: the TLS ones need each other), prints that
 * value back, and the printout parses to the same configuration.
 */
static void
test_keys_round_trip(void **state)
{
	const struct conf_key	*k;
	struct carpd_conf	*conf, *again, dflt;
	char			 text[8192], buf[256], l[512];
	char			*out, *dout;

	(void)state;
	text[0] = '\0';
	for (k = conf_keys; k < conf_keys + conf_nkeys; k++) {
		strcat(text, line(k, sample(k, buf, sizeof(buf)), l,
		    sizeof(l)));
		strcat(text, "\n");
	}
	conf = parse(text);
	if (conf == NULL)
		fail_msg("%s---\n%s", text, msgs);
	assert_int_equal(nwarn, 0);
	out = print(conf, 0);
	conf_default(&dflt);
	dout = print(&dflt, 0);
	for (k = conf_keys; k < conf_keys + conf_nkeys; k++) {
		line(k, sample(k, buf, sizeof(buf)), l, sizeof(l));
		if (!has_line(out, l))
			fail_msg("\"%s\" not printed back:\n%s", l, out);
		if (has_line(dout, l))
			fail_msg("\"%s\" is the default", l);
	}
	again = parse(out);
	assert_non_null(again);
	assert_true(conf_equal(conf, again));
	assert_false(conf_equal(conf, &dflt));
	conf_free(again);
	conf_free(conf);

	/* The defaults print and parse back to the defaults. */
	again = parse(dout);
	assert_non_null(again);
	assert_true(conf_equal(again, &dflt));
	conf_free(again);
	conf_clear(&dflt);
	free(out);
	free(dout);
}

/* Every key refuses a bad value, naming the file, the line and the key. */
static void
test_keys_refuse(void **state)
{
	const struct conf_key	*k;
	struct carpd_conf	*conf;
	char			 buf[64], l[256], text[300], head[128];

	(void)state;
	for (k = conf_keys; k < conf_keys + conf_nkeys; k++) {
		snprintf(text, sizeof(text), "\n%s\n", line(k,
		    bad(k, buf, sizeof(buf)), l, sizeof(l)));
		conf = parse(text);
		assert_null(conf);
		snprintf(head, sizeof(head), "t.conf:2: %s%s",
		    (k->flags & CONF_K_SYSCTL) ? CONF_SYSCTL : "", k->name);
		if (strncmp(msgs, head, strlen(head)) != 0)
			fail_msg("%s: got \"%s\"", text, msgs);
		assert_int_equal(nerr, 1);
	}
}

/* A key given twice with different values is an error at the second. */
static void
test_keys_conflict(void **state)
{
	const struct conf_key	*k;
	struct carpd_conf	*conf;
	char			 buf[256], l1[512], l2[512], text[1100];
	char			 expect[128];

	(void)state;
	for (k = conf_keys; k < conf_keys + conf_nkeys; k++) {
		if (k->type == CONF_T_LISTEN || (k->flags & CONF_K_TLS))
			continue;
		line(k, sample(k, buf, sizeof(buf)), l1, sizeof(l1));
		if (k->type == CONF_T_PATH)
			line(k, "/other", l2, sizeof(l2));
		else if (k->type == CONF_T_USER)
			line(k, "nobody", l2, sizeof(l2));
		else if (k->type == CONF_T_INT) {
			snprintf(buf, sizeof(buf), "%lld", k->dflt);
			line(k, buf, l2, sizeof(l2));
		} else if (k->type == CONF_T_PAIR)
			line(k, k->names[k->dflt ? 0 : 1], l2, sizeof(l2));
		else
			line(k, "/other", l2, sizeof(l2));
		snprintf(text, sizeof(text), "%s\n%s\n", l1, l2);
		conf = parse(text);
		assert_null(conf);
		/* The first message; the TLS checks may add more. */
		snprintf(expect, sizeof(expect), "t.conf:2: %s%s ",
		    (k->flags & CONF_K_SYSCTL) ? CONF_SYSCTL : "", k->name);
		if (strncmp(msgs, expect, strlen(expect)) != 0 ||
		    strstr(msgs, " conflicts with ") == NULL ||
		    strstr(msgs, " at t.conf:1\n") == NULL)
			fail_msg("%s: got \"%s\"", text, msgs);
	}
}

/* An ifconfig line using each word, on eth0. */
static const struct {
	const char	*word;
	const char	*args;
	int		 warns;		/* the word is ignored with a warning */
} word_examples[] = {
	{ "inet",	"inet vhid 1 192.0.2.1/24", 0 },
	{ "inet6",	"inet6 vhid 1 2001:db8::1/64", 0 },
	{ "vhid",	"vhid 255 192.0.2.1", 0 },
	{ "advbase",	"vhid 1 advbase 3 192.0.2.1", 0 },
	{ "advskew",	"vhid 1 advskew 100 192.0.2.1", 0 },
	{ "carpver",	"vhid 1 carpver 3 192.0.2.1", 0 },
	{ "vrrpprio",	"vhid 1 carpver 3 vrrpprio 150 192.0.2.1", 0 },
	{ "vrrpinterval", "inet 192.0.2.1/32 vhid 1 carpver 3 vrrpinterval 1",
	    0 },
	{ "pass",	"vhid 1 pass hunter2 192.0.2.1/24", 0 },
	{ "peer",	"vhid 1 peer 192.0.2.9 192.0.2.1", 0 },
	{ "peer6",	"vhid 1 peer6 2001:db8::9 2001:db8::1", 0 },
	{ "mcast",	"vhid 1 mcast 192.0.2.1", 0 },
	{ "mcast6",	"vhid 1 mcast6 2001:db8::1", 0 },
	{ "netmask",	"vhid 1 192.0.2.1 netmask 255.255.255.0", 0 },
	{ "prefixlen",	"vhid 1 2001:db8::1 prefixlen 48", 0 },
	{ "alias",	"vhid 1 alias 192.0.2.1", 0 },
	{ "add",	"vhid 1 add 192.0.2.1", 0 },
	{ "up",		"vhid 1 192.0.2.1 up", 0 },
	{ "broadcast",	"vhid 1 192.0.2.1/24 broadcast 192.0.2.255", 1 },
	{ "mac-mode",	"vhid 1 mac-mode interface 192.0.2.1", 0 },
	{ "state",	"vhid 1 state backup 192.0.2.1", 1 },
};

static const char *
word_example(const char *word)
{
	size_t	 i;

	for (i = 0; i < sizeof(word_examples) / sizeof(word_examples[0]);
	    i++)
		if (strcmp(word_examples[i].word, word) == 0)
			return word_examples[i].args;
	return NULL;
}

/* Every ifconfig word has its item in the man page. */
static void
test_words_documented(void **state)
{
	size_t	 i;
	char	*man;

	(void)state;
	man = read_man();
	for (i = 0; i < conf_nifwords; i++)
		if (!man_has_item(man, ".It Cm", conf_ifwords[i].name))
			fail_msg("%s: no \".It Cm ... %s\"", MANPAGE,
			    conf_ifwords[i].name);
	free(man);
}

/*
 * Every word has an example, which parses in the plain and the rc.conf
 * form to the same VHID, and prints (with its password) to text that
 * parses back to it.
 */
static void
test_words_round_trip(void **state)
{
	struct carpd_conf	*conf, *rc, *again;
	const char		*args;
	char			 text[256], *out;
	size_t			 i, j;

	(void)state;
	for (i = 0; i < conf_nifwords; i++) {
		if ((args = word_example(conf_ifwords[i].name)) == NULL)
			fail_msg("no example for ifconfig word %s",
			    conf_ifwords[i].name);
		snprintf(text, sizeof(text), "ifconfig eth0 %s\n", args);
		if ((conf = parse(text)) == NULL)
			fail_msg("%s: %s", text, msgs);
		for (j = 0; strcmp(word_examples[j].word,
		    conf_ifwords[i].name) != 0; j++)
			;
		assert_int_equal(nwarn, word_examples[j].warns);
		assert_int_equal(conf->nvhids, 1);
		snprintf(text, sizeof(text), "ifconfig_eth0_alias0=\"%s\"\n",
		    args);
		rc = parse(text);
		assert_non_null(rc);
		assert_true(conf_equal(conf, rc));
		out = print(conf, CONF_PRINT_SECRETS);
		again = parse(out);
		if (again == NULL)
			fail_msg("%s: %s", out, msgs);
		assert_true(conf_equal(conf, again));
		free(out);
		conf_free(again);
		conf_free(rc);
		conf_free(conf);
	}
}

/*
 * A word that takes a value refuses to end the line, naming file:line;
 * on a line with a secret no word but the keyword is shown.
 */
static void
test_words_need_value(void **state)
{
	const struct conf_ifword	*wd;
	char				 text[256];

	(void)state;
	for (wd = conf_ifwords; wd < conf_ifwords + conf_nifwords; wd++) {
		if (!(wd->flags & CONF_W_VALUE))
			continue;
		snprintf(text, sizeof(text), "\nifconfig eth0 vhid 1 "
		    "192.0.2.1 %s\n", wd->name);
		assert_null(parse(text));
		snprintf(text, sizeof(text), "t.conf:2: %s needs a value\n",
		    wd->name);
		assert_string_equal(msgs, text);
	}
}

/* A secret word hides every word of its line from the messages. */
static void
test_words_secret(void **state)
{
	const struct conf_ifword	*wd;
	char				 text[256];

	(void)state;
	for (wd = conf_ifwords; wd < conf_ifwords + conf_nifwords; wd++) {
		if (!(wd->flags & CONF_W_SECRET))
			continue;
		snprintf(text, sizeof(text), "ifconfig eth0 vhid 1 %s "
		    "hunter2 advskew 'hunter2 x' 192.0.2.999\n", wd->name);
		assert_null(parse(text));
		assert_true(strncmp(msgs, "t.conf:1: ", 10) == 0);
		assert_null(strstr(msgs, "hunter2"));
		assert_null(strstr(msgs, "192.0.2.999"));
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_keys_documented),
		cmocka_unit_test(test_keys_round_trip),
		cmocka_unit_test(test_keys_refuse),
		cmocka_unit_test(test_keys_conflict),
		cmocka_unit_test(test_words_documented),
		cmocka_unit_test(test_words_round_trip),
		cmocka_unit_test(test_words_need_value),
		cmocka_unit_test(test_words_secret),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
