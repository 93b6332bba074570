/*
 * fuzz_agentx.c: libFuzzer target for the AgentX Get and GetNext answered
 * straight from the bytes read off the master agent's socket
 * (snmp_mib_answer_ax() in agent/snmp_mib.c).
 *
 * Any input must be answered or refused (-1) without a crash, a read past
 * it or undefined behaviour; an answer must be a whole Response that fits
 * the buffer it was given, its length in its header, with the request's
 * session, transaction and packet ids.  No snapshot here: every instance
 * is missing, so the SearchRanges end in endOfMibView and noSuchInstance.
 */
#include <sys/types.h>

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "agent/snmp_impl.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static uint8_t	 out[4096];
	uint8_t		*req;
	ssize_t		 n;
	size_t		 outsz;

	if (size < 1)
		return 0;
	/* The first byte picks the room the Response gets. */
	outsz = (size_t)data[0] * sizeof(out) / 255;
	/* A copy of its own size: ASan catches a read past the PDU. */
	if ((req = malloc(size - 1)) == NULL)
		return 0;
	memcpy(req, data + 1, size - 1);
	n = snmp_mib_answer_ax(req, size - 1, out, outsz);
	if (n != -1) {
		if (n < SNMP_AX_HDR_LEN + 8 || (size_t)n > outsz ||
		    snmp_mib_ax_len(out) != (size_t)n || out[0] != 1 ||
		    out[1] != 18 || memcmp(out + 4, req + 4, 12) != 0)
			abort();
	}
	free(req);
	return 0;
}
