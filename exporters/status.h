/*
 * status.h: the JSON status document (GET /v1/status, carpctl --json),
 * built from a snapshot.  It never holds a password.
 */
#ifndef STATUS_H
#define STATUS_H

#include <jansson.h>

#include "agent/snap.h"

/* {"version", "node": {...}, "vhids": [...]} */
json_t	*status_json(const struct snap *);
json_t	*status_node_json(const struct snap *);
json_t	*status_vhid_json(const struct snap_vhid *);

#endif /* STATUS_H */
