/*
 * fuzz_http.c: libFuzzer target for the HTTP API's pure parts.
 *
 * Input: one method byte (G, H, P, U or other), the path up to the first
 * newline, then the body.  The router must name a route or none, the
 * method check and Allow header must agree, and the body validator must
 * accept or reject with a message, without a crash, leak or undefined
 * behaviour; an accepted body holds a NUL-terminated, printable reason.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "exporters/api.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct api_route	 r;
	struct api_body		 b;
	enum api_method		 m;
	const uint8_t		*nl;
	char			 path[512], err[API_ERRLEN];
	size_t			 plen, i;

	if (size < 1)
		return 0;
	switch (data[0]) {
	case 'G':
		m = API_GET;
		break;
	case 'H':
		m = API_HEAD;
		break;
	case 'P':
		m = API_POST;
		break;
	case 'U':
		m = API_PUT;
		break;
	default:
		m = API_OTHER;
		break;
	}
	data++;
	size--;
	nl = memchr(data, '\n', size);
	plen = nl != NULL ? (size_t)(nl - data) : size;
	if (plen >= sizeof(path))
		return 0;
	memcpy(path, data, plen);
	path[plen] = '\0';
	api_route(path, &r);
	if (r.kind == API_NONE && (r.vhid != 0 || r.ifname[0] != '\0'))
		abort();
	if ((r.kind == API_DEMOTE || r.kind == API_PROMOTE) &&
	    (r.vhid < 1 || r.vhid > 255 ||
	    strlen(r.ifname) >= sizeof(r.ifname)))
		abort();
	/* A why route: 1..255, or 0 for a bad VHID or name (a 400). */
	if (r.kind == API_WHY && (r.vhid < 0 || r.vhid > 255 ||
	    strlen(r.ifname) >= sizeof(r.ifname)))
		abort();
	if (r.kind != API_NONE && api_method_ok(r.kind, m) &&
	    strstr(api_allow(r.kind), m == API_GET ? "GET" : m == API_HEAD ?
	    "HEAD" : m == API_POST ? "POST" : "PUT") == NULL)
		abort();
	if (nl == NULL)
		return 0;
	data = nl + 1;
	size -= plen + 1;
	err[0] = '\0';
	if (api_body_parse(api_is_action(r.kind) ? r.kind : API_DEMOTE,
	    (const char *)data, size, &b, err, sizeof(err)) == 0) {
		if (memchr(b.reason, '\0', sizeof(b.reason)) == NULL)
			abort();
		/* The hold goes with maintenance on only. */
		if (b.hold && (r.kind != API_MAINTENANCE || !b.enabled))
			abort();
		for (i = 0; b.reason[i] != '\0'; i++)
			if ((unsigned char)b.reason[i] < 0x20)
				abort();
	} else if (err[0] == '\0')
		abort();
	return 0;
}
