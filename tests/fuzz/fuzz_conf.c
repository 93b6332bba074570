/*
 * fuzz_conf.c: libFuzzer target for the configuration parser.
 *
 * Any input must parse or fail without a crash, leak or undefined
 * behaviour; a configuration that parses must print (with its passwords)
 * to text that parses back to the same configuration, and its masked
 * printout must not hold any password of 4 bytes or more.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "agent/conf.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static unsigned int	fuzz_conf_resolve(void *, const char *);
static void		fuzz_conf_msg(void *, int, const char *);
static char		*fuzz_conf_print(const struct carpd_conf *, int);

/* eth0..eth9 and lo exist, so every path past the interface is reached. */
static unsigned int
fuzz_conf_resolve(void *arg, const char *name)
{
	(void)arg;
	if (strcmp(name, "lo") == 0)
		return 1;
	if (strncmp(name, "eth", 3) == 0 && name[3] >= '0' &&
	    name[3] <= '9' && name[4] == '\0')
		return 2 + (unsigned int)(name[3] - '0');
	return 0;
}

static void
fuzz_conf_msg(void *arg, int severity, const char *text)
{
	(void)arg;
	(void)severity;
	(void)text;
}

static char *
fuzz_conf_print(const struct carpd_conf *conf, int flags)
{
	char	*buf = NULL;
	size_t	 len = 0;
	FILE	*fp;

	if ((fp = open_memstream(&buf, &len)) == NULL)
		abort();
	conf_print_flags(fp, conf, flags);
	fclose(fp);
	return buf;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const struct conf_opts opts = {
		.resolve = fuzz_conf_resolve,
		.msg = fuzz_conf_msg,
	};
	struct carpd_conf	*conf, *again;
	const struct carp_vhid_conf *vc;
	char			*text, *masked;
	size_t			 i;

	conf = conf_parse_buf("fuzz", (const char *)data, size, &opts);
	if (conf == NULL)
		return 0;
	text = fuzz_conf_print(conf, CONF_PRINT_SECRETS);
	again = conf_parse_buf("print", text, strlen(text), &opts);
	if (again == NULL || !conf_equal(conf, again)) {
		fprintf(stderr, "round trip failed:\n%s", text);
		abort();
	}
	masked = fuzz_conf_print(conf, 0);
	for (i = 0; i < conf->nvhids; i++) {
		vc = &conf->vhids[i].cv_conf;
		if (vc->keylen >= 4 && memmem(masked, strlen(masked), vc->key,
		    vc->keylen) != NULL && memmem(CONF_MASK,
		    strlen(CONF_MASK), vc->key, vc->keylen) == NULL) {
			fprintf(stderr, "password in masked output:\n%s",
			    masked);
			abort();
		}
	}
	free(masked);
	free(text);
	conf_free(again);
	conf_free(conf);
	return 0;
}
