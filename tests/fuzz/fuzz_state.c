/*
 * fuzz_state.c: libFuzzer target for the state file parser.
 *
 * Any input must parse or fail without a crash, leak or undefined
 * behaviour, and leave the state empty when it fails.  A state that parses
 * must dump to text that parses back to an equal state, and dumping that
 * state again must give the same text.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "agent/state.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct state	 a, b;
	char		*text, *again;
	char		 err[256];

	state_init(&a);
	state_init(&b);
	if (state_parse((const char *)data, size, &a, err, sizeof(err)) == -1) {
		if (a.demoted != NULL || a.ndemoted != 0 || err[0] == '\0')
			abort();
		return 0;
	}
	if ((text = state_dump(&a)) == NULL)
		abort();
	if (state_parse(text, strlen(text), &b, err, sizeof(err)) == -1)
		abort();
	if (!state_equal(&a, &b))
		abort();
	if ((again = state_dump(&b)) == NULL || strcmp(text, again) != 0)
		abort();
	free(again);
	free(text);
	state_free(&a);
	state_free(&b);
	return 0;
}
