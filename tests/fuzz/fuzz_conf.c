/*
 * fuzz_conf.c: libFuzzer target for the configuration parser.
 *
 * Any input must parse or fail without a crash, leak or undefined
 * behaviour; a configuration that parses must print (with its passwords)
 * to text that parses back to the same configuration, and its masked
 * printout must parse back to it with every password replaced by the
 * mask.
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
	struct carp_vhid_conf	*vc;
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
	/*
	 * The masked printout parses back to the same configuration with
	 * every password replaced by the mask: nothing else shows a key.
	 */
	masked = fuzz_conf_print(conf, 0);
	conf_free(again);
	again = conf_parse_buf("masked", masked, strlen(masked), &opts);
	if (again == NULL || again->nvhids != conf->nvhids)
		abort();
	for (i = 0; i < again->nvhids; i++) {
		vc = &again->vhids[i].cv_conf;
		if (vc->keylen != (conf->vhids[i].cv_conf.keylen > 0 ?
		    strlen(CONF_MASK) : 0) ||
		    memcmp(vc->key, CONF_MASK, vc->keylen) != 0) {
			fprintf(stderr, "password not masked:\n%s", masked);
			abort();
		}
		memcpy(vc->key, conf->vhids[i].cv_conf.key, CARP_KEY_MAX);
		vc->keylen = conf->vhids[i].cv_conf.keylen;
	}
	if (!conf_equal(conf, again))
		abort();
	free(masked);
	free(text);
	conf_free(again);
	conf_free(conf);
	return 0;
}
