/*
 * why.h: why a VHID is in its state, in plain words (GET
 * /v1/vhids/{vhid}/why, carpctl why).
 *
 * why_json() builds the explanation from a snapshot (agent/snap.h): the
 * state and the last transition; the current master as heard (address,
 * advbase and advskew or priority, OpenBSD's demote byte, how long ago);
 * our own advskew or priority and the demotion-ledger entries that make
 * up the demotion; the holds; and, under "changes", what would change the
 * state, each a small object.  why_text() then renders the sentences
 * from that JSON alone, and why_json() attaches them as "text", so the
 * JSON and the text always agree; carpctl prints "text".  Pure: the unit
 * tests feed it fake snapshots.
 */
#ifndef WHY_H
#define WHY_H

#include <jansson.h>

#include "agent/snap.h"

/* The explanation of sv (a row of s), "text" included; to json_decref. */
json_t	*why_json(const struct snap *s, const struct snap_vhid *sv);
/* The sentences for a why_json() document without "text": an array. */
json_t	*why_text(const json_t *doc);

#endif /* WHY_H */
