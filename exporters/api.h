/*
 * api.h: the HTTP API's pure parts: the path router and the validation of
 * JSON bodies.  No libevent here, so the unit tests and the fuzzer call
 * them directly.
 *
 * Routes:
 *   GET|HEAD /                             a short index (text)
 *   GET|HEAD /metrics                      Prometheus text format 0.0.4
 *   GET|HEAD /v1/status                    JSON status
 *   POST /v1/vhids/VHID/demote             {"reason": "..."}
 *   POST /v1/vhids/IFNAME/VHID/demote
 *   POST /v1/vhids/VHID/promote            {"reason": "...",
 *   POST /v1/vhids/IFNAME/VHID/promote      "force_master": false}
 *   PUT  /v1/maintenance                   {"enabled": true, "reason": "...",
 *                                           "hold": false}
 *   GET|HEAD /v1/vhids/VHID/why            why the VHID is in its state
 *   GET|HEAD /v1/vhids/IFNAME/VHID/why     (JSON, with the text)
 *   PUT  /v1/demotion                      {"value": 0, "reason": "..."}
 *   PUT  /v1/demotions/NAME                {"weight": 50, "reason": "...",
 *                                           "expires_in": 0, "persist": false}
 *   DELETE /v1/demotions/NAME              no body, or {"reason": "..."}
 * A plain VHID names the VHID with that number on whichever interface has
 * it; when two interfaces have it the request is ambiguous (409) and the
 * IFNAME/VHID form is needed.
 */
#ifndef API_H
#define API_H

#include <net/if.h>

#include <stdbool.h>
#include <stddef.h>

#include "carp/carp.h"

#define API_MAX_BODY	4096		/* bytes; larger bodies get 413 */
#define API_ERRLEN	160
#define API_NAME_LEN	128		/* a ledger name, room to refuse it */

enum api_kind {
	API_NONE,		/* no such path: 404 */
	API_INDEX,
	API_METRICS,
	API_STATUS,
	API_DEMOTE,
	API_PROMOTE,
	API_MAINTENANCE,
	API_DEMOTION,
	API_WHY,		/* GET: why a VHID is in its state */
	API_DEMOTIONS,		/* PUT or DELETE /v1/demotions/NAME */
	API_DEMOTIONS_DEL,	/* its DELETE body (not a route) */
	API_KIND_MAX
};

enum api_method {
	API_GET,
	API_HEAD,
	API_POST,
	API_PUT,
	API_DELETE,
	API_OTHER
};

struct api_route {
	enum api_kind	 kind;
	/*
	 * API_DEMOTE, API_PROMOTE, API_WHY; for API_WHY 0 when the VHID
	 * or the interface name is not valid (a 400, not a 404).
	 */
	int		 vhid;
	char		 ifname[IF_NAMESIZE];	/* "" if not given */
	/*
	 * API_DEMOTIONS: the entry's name as given (up to API_NAME_LEN - 1
	 * bytes, unchecked: the handler answers 400 for a bad one).
	 */
	char		 name[API_NAME_LEN];
};

/* A validated body. */
struct api_body {
	char		 reason[CARP_REASON_LEN];
	bool		 force_master;
	bool		 enabled;
	bool		 hold;		/* API_MAINTENANCE: the hard hold */
	int		 value;		/* API_DEMOTION; weight: API_DEMOTIONS */
	long long	 expires_in;	/* API_DEMOTIONS, seconds, 0 never */
	bool		 persist;	/* API_DEMOTIONS */
};

/* Route a path (without the query string); API_NONE if unknown. */
enum api_kind	 api_route(const char *path, struct api_route *);
/* Whether a route takes a method, and the Allow header's value. */
bool		 api_method_ok(enum api_kind, enum api_method);
const char	*api_allow(enum api_kind);
/* An action (as opposed to a read). */
bool		 api_is_action(enum api_kind);
/*
 * Validate a JSON body for an action route: an object with only the known
 * keys, each of the right type, required ones present.  Returns 0, or -1
 * with a message in err (a 400).
 */
int		 api_body_parse(enum api_kind, const char *, size_t,
		    struct api_body *, char *err, size_t errlen);
/* Content-Type application/json, with optional parameters. */
bool		 api_is_json_type(const char *);

#endif /* API_H */
