/*
 * test_state.c: the persisted administrative state (agent/state.c).
 */
#include <sys/types.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "agent/log.h"
#include "agent/state.h"
#include "agent/xmalloc.h"

static char	 tdir[64];	/* this run's scratch directory */
static char	 tpath[128];	/* tdir/state.json */
static int	 saved_stderr = -1;
static char	 logpath[128];

static int	 setup(void **);
static int	 teardown(void **);
static void	 rm_tree(const char *);
static void	 write_file(const char *, const char *);
static char	*read_file(const char *);
static int	 count_entries(const char *);
static void	 capture_start(void);
static char	*capture_end(void);
static void	 fill(struct state *);
static void	 check_parse_error(const char *, const char *);

static int
setup(void **arg)
{
	(void)arg;
	strcpy(tdir, "/tmp/test_state.XXXXXX");
	assert_non_null(mkdtemp(tdir));
	snprintf(tpath, sizeof(tpath), "%s/state.json", tdir);
	snprintf(logpath, sizeof(logpath), "%s.log", tdir);
	return 0;
}

static int
teardown(void **arg)
{
	(void)arg;
	rm_tree(tdir);
	unlink(logpath);
	return 0;
}

/* Remove a directory of plain files (and one level of directories). */
static void
rm_tree(const char *dir)
{
	DIR		*d;
	struct dirent	*de;
	char		 p[512];

	chmod(dir, 0700);
	if ((d = opendir(dir)) == NULL)
		return;
	while ((de = readdir(d)) != NULL) {
		if (strcmp(de->d_name, ".") == 0 ||
		    strcmp(de->d_name, "..") == 0)
			continue;
		snprintf(p, sizeof(p), "%s/%s", dir, de->d_name);
		if (unlink(p) == -1 && (errno == EISDIR || errno == EPERM))
			rm_tree(p);
	}
	closedir(d);
	rmdir(dir);
}

static void
write_file(const char *path, const char *text)
{
	FILE	*fp;

	assert_non_null(fp = fopen(path, "w"));
	assert_int_equal(fputs(text, fp) >= 0, 1);
	assert_int_equal(fclose(fp), 0);
}

/* The whole file, NUL-terminated, to free(3). */
static char *
read_file(const char *path)
{
	FILE	*fp;
	char	*buf;
	long	 n;

	assert_non_null(fp = fopen(path, "r"));
	assert_int_equal(fseek(fp, 0, SEEK_END), 0);
	n = ftell(fp);
	rewind(fp);
	buf = xmalloc((size_t)n + 1);
	assert_int_equal(fread(buf, 1, (size_t)n, fp), (size_t)n);
	buf[n] = '\0';
	fclose(fp);
	return buf;
}

/* Entries in a directory, without . and .. */
static int
count_entries(const char *dir)
{
	DIR		*d;
	struct dirent	*de;
	int		 n = 0;

	assert_non_null(d = opendir(dir));
	while ((de = readdir(d)) != NULL)
		if (strcmp(de->d_name, ".") != 0 &&
		    strcmp(de->d_name, "..") != 0)
			n++;
	closedir(d);
	return n;
}

/* Send stderr (the log in the foreground) to a file until capture_end. */
static void
capture_start(void)
{
	int	 fd;

	fflush(stderr);
	assert_int_not_equal(saved_stderr = dup(2), -1);
	assert_int_not_equal(fd = open(logpath,
	    O_WRONLY | O_CREAT | O_TRUNC, 0600), -1);
	dup2(fd, 2);
	close(fd);
}

/* Restore stderr; return what was logged, to free(3). */
static char *
capture_end(void)
{
	fflush(stderr);
	dup2(saved_stderr, 2);
	close(saved_stderr);
	saved_stderr = -1;
	return read_file(logpath);
}

/* A state with something in every field. */
static void
fill(struct state *st)
{
	state_init(st);
	st->maintenance = true;
	strcpy(st->maintenance_reason, "kernel upgrade, ticket #42 \"night\"");
	st->maintenance_since = 1700000000;
	st->demotion = -250;
	strcpy(st->demotion_reason, "prefer the other site");
	st->demotion_since = 1700000100;
	strcpy(st->maintenance_by, "uid=0 pid=42 sudo_user=alice");
	strcpy(st->demotion_by, "client=192.0.2.7 cert=/CN=ops");
	assert_int_equal(state_set_demoted(st, "eth0", 1, true, "disk",
	    1700000200), 1);
	strcpy(st->demoted[0].by, "client=2001:db8::7");
	assert_int_equal(state_set_demoted(st, "eth1", 255, true,
	    "caf\xc3\xa9 \xe2\x9c\x93", 1700000300), 1);
	assert_int_equal(state_set_demoted(st, "vlan.100", 7, true, NULL,
	    0), 1);
}

/* The text must be refused with exactly this message. */
static void
check_parse_error(const char *text, const char *expect)
{
	struct state	 st;
	char		 err[256];

	state_init(&st);
	strcpy(err, "untouched");
	if (state_parse(text, strlen(text), &st, err, sizeof(err)) != -1)
		fail_msg("accepted: %s", text);
	/* A final '*' matches any rest (jansson's own words vary). */
	if (expect[strlen(expect) - 1] == '*') {
		if (strncmp(err, expect, strlen(expect) - 1) != 0)
			fail_msg("\"%s\" does not start with \"%.*s\"", err,
			    (int)strlen(expect) - 1, expect);
	} else
		assert_string_equal(err, expect);
	assert_int_equal(st.ndemoted, 0);
	assert_null(st.demoted);
	assert_false(st.maintenance);
}

/* Save, load: the same state, in a 0600 file, with no temporary left. */
static void
test_roundtrip(void **arg)
{
	struct state	 a, b;
	struct stat	 sb;

	(void)arg;
	fill(&a);
	state_init(&b);
	assert_int_equal(state_save(tpath, &a), 0);
	assert_int_equal(stat(tpath, &sb), 0);
	assert_int_equal(sb.st_mode & 07777, 0600);
	assert_int_equal(count_entries(tdir), 1);
	assert_int_equal(state_load(tpath, &b), 0);
	assert_true(state_equal(&a, &b));
	assert_int_equal(b.ndemoted, 3);
	assert_string_equal(b.demoted[1].ifname, "eth1");
	assert_int_equal(b.demoted[1].vhid, 255);
	assert_int_equal(b.demoted[1].since, 1700000300);
	assert_string_equal(b.demoted[1].reason, "caf\xc3\xa9 \xe2\x9c\x93");
	/* Who set each hold, kept; none when not known. */
	assert_string_equal(b.maintenance_by, "uid=0 pid=42 sudo_user=alice");
	assert_string_equal(b.demotion_by, "client=192.0.2.7 cert=/CN=ops");
	assert_string_equal(b.demoted[0].by, "client=2001:db8::7");
	assert_string_equal(b.demoted[1].by, "");
	strcpy(b.demoted[1].by, "someone else");
	assert_false(state_equal(&a, &b));
	b.demoted[1].by[0] = '\0';

	/* Saving again replaces the file; load frees what b held. */
	assert_int_equal(state_set_demoted(&a, "eth0", 1, false, NULL, 0), 1);
	a.maintenance = false;
	assert_int_equal(state_save(tpath, &a), 0);
	assert_int_equal(count_entries(tdir), 1);
	assert_int_equal(state_load(tpath, &b), 0);
	assert_true(state_equal(&a, &b));
	assert_int_equal(b.ndemoted, 2);
	state_free(&a);
	state_free(&b);

	/* An empty state round-trips too. */
	assert_int_equal(state_save(tpath, &a), 0);
	assert_int_equal(state_load(tpath, &b), 0);
	assert_true(state_equal(&a, &b));
}

/* The example in state.h, and a file with only a version. */
static void
test_parse_example(void **arg)
{
	static const char text[] =
	    "{\"version\":1,\"maintenance\":{\"enabled\":true,"
	    "\"reason\":\"patching\",\"since\":1700000000},"
	    "\"demotion\":{\"value\":0,\"reason\":\"\"},"
	    "\"demoted\":[{\"interface\":\"eth0\",\"vhid\":1,"
	    "\"reason\":\"r\",\"since\":5}]}";
	struct state	 st;
	char		 err[256];

	(void)arg;
	state_init(&st);
	assert_int_equal(state_parse(text, sizeof(text) - 1, &st, err,
	    sizeof(err)), 0);
	assert_true(st.maintenance);
	assert_string_equal(st.maintenance_reason, "patching");
	assert_int_equal(st.maintenance_since, 1700000000);
	assert_int_equal(st.demotion, 0);
	assert_int_equal(st.demotion_since, 0);
	assert_int_equal(st.ndemoted, 1);
	assert_non_null(state_find_demoted(&st, "eth0", 1));
	assert_null(state_find_demoted(&st, "eth0", 2));
	assert_null(state_find_demoted(&st, "eth1", 1));

	assert_int_equal(state_parse("{\"version\":1}", 13, &st, err,
	    sizeof(err)), 0);
	assert_false(st.maintenance);
	assert_int_equal(st.ndemoted, 0);
	/* Not NUL-terminated: the length is what counts. */
	assert_int_equal(state_parse("{\"version\":1}garbage", 13, &st, NULL,
	    0), 0);
	state_free(&st);
}

/* A missing file is an empty state; a directory is an error. */
static void
test_missing(void **arg)
{
	struct state	 st;
	char		*log;

	(void)arg;
	fill(&st);
	assert_int_equal(state_load(tpath, &st), 0);
	assert_false(st.maintenance);
	assert_int_equal(st.demotion, 0);
	assert_int_equal(st.ndemoted, 0);
	assert_null(st.demoted);

	capture_start();
	assert_int_equal(state_load(tdir, &st), -1);
	log = capture_end();
	assert_non_null(strstr(log, tdir));
	assert_non_null(strstr(log, "not a regular file"));
	free(log);
}

/* Each kind of invalid input, with its message. */
static void
test_corrupt(void **arg)
{
	static const struct {
		const char	*text;
		const char	*err;
	} cases[] = {
	    { "", "line 1 column 0: '[' or '{' expected near end of file" },
	    { "{\"version\":1", "line 1 column 12: '}' expected near end of "
	      "file" },
	    { "[1]", "not a JSON object" },
	    { "{}", "state: missing \"version\"" },
	    { "{\"version\":2}", "state.version: 2 out of range (1-1)" },
	    { "{\"version\":\"1\"}", "state.version: not an integer" },
	    { "{\"version\":1.0}", "state.version: not an integer" },
	    { "{\"version\":1,\"extra\":0}", "state: unknown key \"extra\"" },
	    { "{\"version\":1,\"version\":1}", "line 1 column 22: "
	      "duplicate object key*" },
	    { "{\"version\":1,\"maintenance\":true}",
	      "maintenance: not an object" },
	    { "{\"version\":1,\"maintenance\":{}}",
	      "maintenance: missing \"enabled\"" },
	    { "{\"version\":1,\"maintenance\":{\"enabled\":1}}",
	      "maintenance.enabled: not a boolean" },
	    { "{\"version\":1,\"maintenance\":{\"enabled\":true,"
	      "\"reason\":5}}", "maintenance.reason: not a string" },
	    { "{\"version\":1,\"maintenance\":{\"enabled\":true,"
	      "\"since\":-1}}", "maintenance.since: -1 out of range "
	      "(0-9223372036854775807)" },
	    { "{\"version\":1,\"maintenance\":{\"enabled\":true,"
	      "\"why\":\"\"}}", "maintenance: unknown key \"why\"" },
	    { "{\"version\":1,\"demotion\":{\"reason\":\"x\"}}",
	      "demotion: missing \"value\"" },
	    { "{\"version\":1,\"demotion\":{\"value\":1000001}}",
	      "demotion.value: 1000001 out of range (-1000000-1000000)" },
	    { "{\"version\":1,\"demotion\":{\"value\":-1000001}}",
	      "demotion.value: -1000001 out of range (-1000000-1000000)" },
	    { "{\"version\":1,\"demotion\":{\"value\":"
	      "99999999999999999999}}", "line 1 column 53: "
	      "too big integer*" },
	    { "{\"version\":1,\"demotion\":{\"value\":null}}",
	      "demotion.value: not an integer" },
	    { "{\"version\":1,\"demoted\":{}}", "demoted: not an array" },
	    { "{\"version\":1,\"demoted\":[1]}", "demoted[0]: not an object" },
	    { "{\"version\":1,\"demoted\":[{\"vhid\":1}]}",
	      "demoted[0]: missing \"interface\"" },
	    { "{\"version\":1,\"demoted\":[{\"interface\":\"eth0\"}]}",
	      "demoted[0]: missing \"vhid\"" },
	    { "{\"version\":1,\"demoted\":[{\"interface\":\"eth0\","
	      "\"vhid\":0}]}", "demoted[0].vhid: 0 out of range (1-255)" },
	    { "{\"version\":1,\"demoted\":[{\"interface\":\"eth0\","
	      "\"vhid\":256}]}", "demoted[0].vhid: 256 out of range (1-255)" },
	    { "{\"version\":1,\"demoted\":[{\"interface\":\"eth0\","
	      "\"vhid\":1,\"state\":\"x\"}]}",
	      "demoted[0]: unknown key \"state\"" },
	    { "{\"version\":1,\"demoted\":[{\"interface\":"
	      "\"0123456789abcdef\",\"vhid\":1}]}",
	      "demoted[0].interface: too long (16 bytes, at most 15)" },
	    { "{\"version\":1,\"demoted\":[{\"interface\":\"\",\"vhid\":1}]}",
	      "demoted[0].interface: \"\" is not an interface name" },
	    { "{\"version\":1,\"demoted\":[{\"interface\":\"a/b\","
	      "\"vhid\":1}]}",
	      "demoted[0].interface: \"a/b\" is not an interface name" },
	    { "{\"version\":1,\"demoted\":[{\"interface\":\"e\\u0000\","
	      "\"vhid\":1}]}",
	      "line 1 column 46: \\u0000 is not allowed*" },
	    { "{\"version\":1,\"demoted\":[{\"interface\":\"eth0\","
	      "\"vhid\":1},{\"interface\":\"eth1\",\"vhid\":1},"
	      "{\"interface\":\"eth0\",\"vhid\":1}]}",
	      "demoted[2]: vhid 1 on eth0 listed twice" },
	};
	struct state	 st;
	char		*log;
	size_t		 i;

	(void)arg;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		check_parse_error(cases[i].text, cases[i].err);

	/* state_load names the file and the problem, and empties st. */
	write_file(tpath, "{\"version\":1,\"demotion\":{\"value\":\"5\"}}\n");
	fill(&st);
	capture_start();
	assert_int_equal(state_load(tpath, &st), -1);
	log = capture_end();
	assert_non_null(strstr(log, tpath));
	assert_non_null(strstr(log, ": invalid: demotion.value: not an "
	    "integer\n"));
	assert_int_equal(st.ndemoted, 0);
	assert_false(st.maintenance);
	free(log);
}

/* Strings: the longest reason fits, one byte more does not. */
static void
test_lengths(void **arg)
{
	struct state	 st;
	char		 reason[CARP_REASON_LEN + 1], text[512], err[256];

	(void)arg;
	state_init(&st);
	memset(reason, 'r', sizeof(reason));
	reason[CARP_REASON_LEN - 1] = '\0';
	snprintf(text, sizeof(text), "{\"version\":1,\"demotion\":"
	    "{\"value\":1,\"reason\":\"%s\"}}", reason);
	assert_int_equal(state_parse(text, strlen(text), &st, err,
	    sizeof(err)), 0);
	assert_int_equal(strlen(st.demotion_reason), CARP_REASON_LEN - 1);
	reason[CARP_REASON_LEN - 1] = 'r';
	reason[CARP_REASON_LEN] = '\0';
	snprintf(text, sizeof(text), "{\"version\":1,\"demotion\":"
	    "{\"value\":1,\"reason\":\"%s\"}}", reason);
	check_parse_error(text, "demotion.reason: too long (128 bytes, at "
	    "most 127)");
	state_free(&st);
}

/* The number of demoted entries is bounded. */
static void
test_max_entries(void **arg)
{
	struct state	 st;
	char		*text, *p, *last = NULL, err[256];
	size_t		 i, n = STATE_MAX_DEMOTED + 1;

	(void)arg;
	text = xmalloc(64 + n * 48);
	p = text + sprintf(text, "{\"version\":1,\"demoted\":[");
	for (i = 0; i < n; i++) {
		last = p;
		p += sprintf(p, "%s{\"interface\":\"e%zu\",\"vhid\":%zu}",
		    i ? "," : "", i / 255, i % 255 + 1);
	}
	strcpy(p, "]}");
	state_init(&st);
	assert_int_equal(state_parse(text, strlen(text), &st, err,
	    sizeof(err)), -1);
	assert_string_equal(err, "demoted: 16321 entries, at most 16320");

	/* Without the last one it is just allowed, and the list is full. */
	strcpy(last, "]}");
	assert_int_equal(state_parse(text, strlen(text), &st, err,
	    sizeof(err)), 0);
	free(text);
	assert_int_equal(st.ndemoted, STATE_MAX_DEMOTED);
	assert_int_equal(state_set_demoted(&st, "eth9", 1, true, "", 0), -1);
	state_free(&st);
}

/* state_set_demoted: idempotent, keeps order and since. */
static void
test_set_demoted(void **arg)
{
	struct state		 st;
	struct state_vhid	*sv;
	char			 big[300];

	(void)arg;
	state_init(&st);
	assert_int_equal(state_set_demoted(&st, "eth0", 3, false, "", 1), 0);
	assert_int_equal(state_set_demoted(&st, "eth0", 3, true, "a", 10), 1);
	assert_int_equal(state_set_demoted(&st, "eth0", 3, true, "a", 20), 0);
	assert_int_equal(state_set_demoted(&st, "eth0", 3, true, "b", 30), 1);
	assert_int_equal(state_set_demoted(&st, "eth1", 3, true, "c", 40), 1);
	assert_int_equal(state_set_demoted(&st, "eth0", 4, true, "d", 50), 1);
	assert_int_equal(st.ndemoted, 3);
	sv = state_find_demoted(&st, "eth0", 3);
	assert_non_null(sv);
	assert_string_equal(sv->reason, "b");
	assert_int_equal(sv->since, 10);

	assert_int_equal(state_set_demoted(&st, "eth1", 3, false, NULL, 0), 1);
	assert_int_equal(state_set_demoted(&st, "eth1", 3, false, NULL, 0), 0);
	assert_int_equal(st.ndemoted, 2);
	assert_int_equal(st.demoted[0].vhid, 3);
	assert_int_equal(st.demoted[1].vhid, 4);

	/* Bad arguments. */
	assert_int_equal(state_set_demoted(&st, "eth0", 0, true, "", 0), -1);
	assert_int_equal(state_set_demoted(&st, "", 1, true, "", 0), -1);
	assert_int_equal(state_set_demoted(&st, "0123456789abcdef", 1, true,
	    "", 0), -1);

	/* A long reason is cut at a character boundary. */
	memset(big, 'x', sizeof(big));
	big[CARP_REASON_LEN - 2] = '\xc3';	/* a 2-byte "é" across the cut */
	big[CARP_REASON_LEN - 1] = '\xa9';
	big[sizeof(big) - 1] = '\0';
	assert_int_equal(state_set_demoted(&st, "eth2", 9, true, big, 0), 1);
	sv = state_find_demoted(&st, "eth2", 9);
	assert_int_equal(strlen(sv->reason), CARP_REASON_LEN - 2);
	state_free(&st);
	assert_int_equal(st.ndemoted, 0);
}

/* Duplicates in a file are refused, wherever they are. */
static void
test_duplicates(void **arg)
{
	(void)arg;
	check_parse_error("{\"version\":1,\"demoted\":["
	    "{\"interface\":\"eth0\",\"vhid\":9},"
	    "{\"interface\":\"eth0\",\"vhid\":9,\"reason\":\"again\"}]}",
	    "demoted[1]: vhid 9 on eth0 listed twice");
	/* Same vhid on other interfaces, same interface other vhids: fine. */
	{
		struct state	 st;
		const char	*t = "{\"version\":1,\"demoted\":["
		    "{\"interface\":\"eth0\",\"vhid\":9},"
		    "{\"interface\":\"eth1\",\"vhid\":9},"
		    "{\"interface\":\"eth0\",\"vhid\":10}]}";

		state_init(&st);
		assert_int_equal(state_parse(t, strlen(t), &st, NULL, 0), 0);
		assert_int_equal(st.ndemoted, 3);
		state_free(&st);
	}
}

/* Text that is not UTF-8 is written as '?', so the file stays valid. */
static void
test_dump_sanitises(void **arg)
{
	struct state	 a, b;
	char		*text;

	(void)arg;
	state_init(&a);
	state_init(&b);
	strcpy(a.maintenance_reason, "bad \xff byte");
	/* Not terminated: at most CARP_REASON_LEN bytes are used. */
	memset(a.demotion_reason, 'z', sizeof(a.demotion_reason));
	text = state_dump(&a);
	assert_non_null(text);
	assert_int_equal(text[strlen(text) - 1], '\n');
	assert_int_equal(state_parse(text, strlen(text), &b, NULL, 0), -1);
	free(text);

	a.demotion_reason[CARP_REASON_LEN - 1] = '\0';
	text = state_dump(&a);
	assert_int_equal(state_parse(text, strlen(text), &b, NULL, 0), 0);
	assert_string_equal(b.maintenance_reason, "bad ? byte");
	free(text);
	state_free(&b);
}

/* A save into a missing directory fails and creates nothing. */
static void
test_atomic_missing_dir(void **arg)
{
	struct state	 st;
	char		 path[256], *log;

	(void)arg;
	fill(&st);
	snprintf(path, sizeof(path), "%s/nonexistent/state.json", tdir);
	capture_start();
	assert_int_equal(state_save(path, &st), -1);
	log = capture_end();
	assert_non_null(strstr(log, "state_save: "));
	assert_non_null(strstr(log, "No such file or directory"));
	assert_int_equal(count_entries(tdir), 0);
	free(log);
	state_free(&st);
}

/*
 * A save into a read-only directory fails; the old file is untouched.  As
 * root the save runs in a child that has become nobody, since root writes
 * anyway.
 */
static void
test_atomic_readonly_dir(void **arg)
{
	struct state	 st;
	char		*before, *after, *log;
	pid_t		 pid;
	int		 status;

	(void)arg;
	write_file(tpath, "old contents, byte for byte\n");
	before = read_file(tpath);
	fill(&st);
	assert_int_equal(chmod(tdir, 0555), 0);
	capture_start();
	if (geteuid() == 0) {
		assert_int_not_equal(pid = fork(), -1);
		if (pid == 0) {
			if (setgid(65534) == -1 || setuid(65534) == -1)
				_exit(2);
			_exit(state_save(tpath, &st) == -1 ? 0 : 1);
		}
		assert_int_equal(waitpid(pid, &status, 0), pid);
		log = capture_end();
		assert_true(WIFEXITED(status));
		assert_int_equal(WEXITSTATUS(status), 0);
	} else {
		assert_int_equal(state_save(tpath, &st), -1);
		log = capture_end();
	}
	assert_int_equal(chmod(tdir, 0700), 0);
	assert_non_null(strstr(log, "cannot create a temporary file: "
	    "Permission denied"));
	after = read_file(tpath);
	assert_string_equal(before, after);
	assert_int_equal(count_entries(tdir), 1);
	free(log);
	free(before);
	free(after);
	state_free(&st);
}

/*
 * A write that fails half-way (here the file size limit, which binds root
 * too) leaves the old file byte-identical and removes the temporary file.
 */
static void
test_atomic_write_fails(void **arg)
{
	struct state	 st;
	struct rlimit	 old, lim;
	char		*before, *after, *log;
	size_t		 i;
	char		 ifname[IF_NAMESIZE];

	(void)arg;
	write_file(tpath, "{\"version\":1}\n");
	before = read_file(tpath);
	fill(&st);
	for (i = 0; i < 200; i++) {
		snprintf(ifname, sizeof(ifname), "eth%zu", i);
		assert_int_equal(state_set_demoted(&st, ifname, 1, true,
		    "a reason long enough to make the file grow", 1), 1);
	}
	assert_int_equal(getrlimit(RLIMIT_FSIZE, &old), 0);
	lim = old;
	lim.rlim_cur = 4096;
	signal(SIGXFSZ, SIG_IGN);
	assert_int_equal(setrlimit(RLIMIT_FSIZE, &lim), 0);
	capture_start();
	assert_int_equal(state_save(tpath, &st), -1);
	log = capture_end();
	assert_int_equal(setrlimit(RLIMIT_FSIZE, &old), 0);
	signal(SIGXFSZ, SIG_DFL);
	assert_non_null(strstr(log, ": write: File too large"));
	after = read_file(tpath);
	assert_string_equal(before, after);
	assert_int_equal(count_entries(tdir), 1);

	/* With the limit lifted the same save works. */
	assert_int_equal(state_save(tpath, &st), 0);
	assert_int_equal(count_entries(tdir), 1);
	free(log);
	free(before);
	free(after);
	state_free(&st);
}

/* A state the loader would refuse is never written. */
static void
test_save_invalid(void **arg)
{
	struct state	 st;
	char		*before, *after, *log;

	(void)arg;
	write_file(tpath, "{\"version\":1}\n");
	before = read_file(tpath);
	state_init(&st);
	st.demotion = STATE_DEMOTION_MAX + 1;
	capture_start();
	assert_int_equal(state_save(tpath, &st), -1);
	log = capture_end();
	assert_non_null(strstr(log, "refusing to save an invalid state: "
	    "demotion.value: 1000001 out of range"));
	after = read_file(tpath);
	assert_string_equal(before, after);
	assert_int_equal(count_entries(tdir), 1);
	free(log);
	free(before);
	free(after);
}

/*
 * A temporary file left by a crash is never taken for the state: it is
 * not read, and a save neither uses nor replaces the target with it.
 */
static void
test_stale_temp(void **arg)
{
	struct state	 a, b;
	char		 stale[256], keep[4][256], *text;
	int		 i;

	(void)arg;
	/* A temporary left by a save that a SIGKILL interrupted ... */
	snprintf(stale, sizeof(stale), "%s/.state.json.AbCdEf", tdir);
	write_file(stale, "{\"version\":1,\"maintenance\":{\"enabled\":true}}");
	/* ... and look-alikes that are not ours. */
	snprintf(keep[0], sizeof(keep[0]), "%s/.state.json.AbCdEfG", tdir);
	snprintf(keep[1], sizeof(keep[1]), "%s/state.json.AbCdEf", tdir);
	snprintf(keep[2], sizeof(keep[2]), "%s/.other.json.AbCdEf", tdir);
	snprintf(keep[3], sizeof(keep[3]), "%s/.state.json.Ab-dEf", tdir);
	for (i = 0; i < 4; i++)
		write_file(keep[i], "x");
	state_init(&b);
	/* Never read as the state; removed when the state is loaded. */
	assert_int_equal(state_load(tpath, &b), 0);	/* still missing */
	assert_false(b.maintenance);
	assert_int_equal(access(stale, F_OK), -1);
	for (i = 0; i < 4; i++) {
		text = read_file(keep[i]);
		assert_string_equal(text, "x");
		free(text);
		unlink(keep[i]);
	}

	/* A stale temporary never replaces the state either. */
	write_file(stale, "{\"version\":1,\"maintenance\":{\"enabled\":true}}");
	fill(&a);
	a.maintenance = false;
	assert_int_equal(state_save(tpath, &a), 0);
	assert_int_equal(count_entries(tdir), 2);
	assert_int_equal(state_load(tpath, &b), 0);
	assert_true(state_equal(&a, &b));
	assert_int_equal(count_entries(tdir), 1);
	state_free(&a);
	state_free(&b);
}

/* A path with no directory part saves into the working directory. */
static void
test_relative_path(void **arg)
{
	struct state	 a, b;
	char		 cwd[512];

	(void)arg;
	assert_non_null(getcwd(cwd, sizeof(cwd)));
	assert_int_equal(chdir(tdir), 0);
	fill(&a);
	state_init(&b);
	assert_int_equal(state_save("rel.json", &a), 0);
	assert_int_equal(state_load("rel.json", &b), 0);
	assert_true(state_equal(&a, &b));
	assert_int_equal(chdir(cwd), 0);
	assert_int_equal(count_entries(tdir), 1);
	state_free(&a);
	state_free(&b);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_roundtrip, setup,
		    teardown),
		cmocka_unit_test(test_parse_example),
		cmocka_unit_test_setup_teardown(test_missing, setup, teardown),
		cmocka_unit_test_setup_teardown(test_corrupt, setup, teardown),
		cmocka_unit_test(test_lengths),
		cmocka_unit_test(test_max_entries),
		cmocka_unit_test(test_set_demoted),
		cmocka_unit_test(test_duplicates),
		cmocka_unit_test(test_dump_sanitises),
		cmocka_unit_test_setup_teardown(test_atomic_missing_dir,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_atomic_readonly_dir,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_atomic_write_fails,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_save_invalid, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_stale_temp, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_relative_path, setup,
		    teardown),
	};

	log_init(1, 0);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
