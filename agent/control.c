/*
 * control.c: administrative actions, audited and persisted.
 */
#include <sys/types.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "agent/control.h"
#include "agent/dispatch.h"
#include "agent/engine.h"
#include "agent/log.h"
#include "agent/state.h"
#include "agent/xmalloc.h"

const char *const ctl_action_names[CTL_ACTION_MAX] = {
	"demote", "promote", "maintenance-on", "maintenance-off", "demotion"
};

static struct {
	char		*path;
	struct state	 st;
} ctl;

static int	 ctl_save(void);
static const char *ctl_quote(const char *, char *, size_t);
static const char *ctl_by(const char *, char *, size_t);

/* Load the state file. */
int
ctl_init(const char *state_file)
{
	state_init(&ctl.st);
	ctl_set_path(state_file);
	if (ctl.path != NULL && state_load(ctl.path, &ctl.st) == -1)
		return -1;
	return 0;
}

/* The administrative state as set and saved: since when, by whom. */
const struct state *
ctl_state(void)
{
	return &ctl.st;
}

/* Change where the state is saved. */
void
ctl_set_path(const char *state_file)
{
	free(ctl.path);
	ctl.path = state_file != NULL ? xstrdup(state_file) : NULL;
}

void
ctl_free(void)
{
	state_free(&ctl.st);
	free(ctl.path);
	ctl.path = NULL;
}

/* Put the saved administrative state back into the engine. */
void
ctl_restore(void)
{
	struct carp_node	*n = eng_node();
	struct carp_time	 now = eng_now();
	struct carp_vhid	*vh;
	struct carp_vhid_info	 vi;
	size_t			 i;

	/* A demotion set by hand wins over the configured starting value. */
	if ((ctl.st.demotion != 0 || ctl.st.demotion_since != 0) &&
	    carp_demotion_set(n, ctl.st.demotion, "restored", now) == 1)
		log_info("demotion %d restored from %s", ctl.st.demotion,
		    ctl.path);
	if (ctl.st.maintenance &&
	    carp_maintenance(n, true, ctl.st.maintenance_reason, now) == 1)
		log_info("maintenance restored from %s (%s)", ctl.path,
		    ctl.st.maintenance_reason);
	for (i = 0; i < ctl.st.ndemoted; i++) {
		const struct state_vhid *sv = &ctl.st.demoted[i];

		for (vh = carp_vhid_next(n, NULL); vh != NULL;
		    vh = carp_vhid_next(n, vh)) {
			carp_vhid_info(vh, &vi);
			if (vi.conf.vhid == sv->vhid &&
			    strcmp(vi.conf.ifname, sv->ifname) == 0)
				break;
		}
		if (vh == NULL) {
			log_warnx("%s: demoted VHID %u@%s is not configured; "
			    "kept in the file", ctl.path, sv->vhid,
			    sv->ifname);
			continue;
		}
		if (carp_vhid_demote(vh, sv->reason, now) == 1)
			log_info("%u@%s: demotion restored from %s (%s)",
			    sv->vhid, sv->ifname, ctl.path, sv->reason);
	}
}

/* Save the state, if there is a state file. */
static int
ctl_save(void)
{
	if (ctl.path == NULL)
		return 0;
	if (state_save(ctl.path, &ctl.st) == -1) {
		if (errno == 0)
			errno = EIO;
		return -1;
	}
	return 0;
}

/* The audit line's end: ' by="..."', or nothing. */
static const char *
ctl_by(const char *by, char *buf, size_t len)
{
	char	 q[CTL_BY_LEN * 2];

	if (by == NULL || *by == '\0')
		return "";
	snprintf(buf, len, " by=\"%s\"", ctl_quote(by, q, sizeof(q)));
	return buf;
}

/* Quote a reason for the audit line: printable ASCII, quotes escaped. */
static const char *
ctl_quote(const char *s, char *buf, size_t len)
{
	size_t	 o = 0;

	if (s == NULL)
		s = "";
	for (; *s != '\0' && o + 3 < len; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '"' || c == '\\') {
			buf[o++] = '\\';
			buf[o++] = (char)c;
		} else if (c < 0x20 || c == 0x7f)
			buf[o++] = '?';
		else
			buf[o++] = (char)c;
	}
	buf[o] = '\0';
	return buf;
}

/* Demote one VHID. */
int
ctl_vhid_demote(struct carp_vhid *vh, const char *reason, const char *origin,
    const char *by)
{
	struct carp_time	 now = eng_now();
	struct carp_vhid_info	 before, after;
	struct state_vhid	*sv;
	char			 q[CARP_REASON_LEN * 2], b[CTL_BY_LEN * 2 + 8];
	int			 rc;

	carp_vhid_info(vh, &before);
	if ((rc = carp_vhid_demote(vh, reason, now)) == 0)
		return 0;
	carp_vhid_info(vh, &after);
	log_info("audit: origin=%s action=demote vhid=%d@%s reason=\"%s\" "
	    "before=%s after=%s%s", origin, before.conf.vhid,
	    before.conf.ifname, ctl_quote(reason, q, sizeof(q)),
	    carp_state_names[before.state], carp_state_names[after.state],
	    ctl_by(by, b, sizeof(b)));
	state_set_demoted(&ctl.st, before.conf.ifname, before.conf.vhid, true,
	    reason, now.wall_us / 1000000);
	if ((sv = state_find_demoted(&ctl.st, before.conf.ifname,
	    before.conf.vhid)) != NULL)
		snprintf(sv->by, sizeof(sv->by), "%s", by != NULL ? by : "");
	dispatch_admin(CTL_DEMOTE, origin, reason, vh, 0, now);
	return ctl_save() == -1 ? -1 : 1;
}

/* Promote one VHID. */
int
ctl_vhid_promote(struct carp_vhid *vh, bool force, const char *reason,
    const char *origin, const char *by)
{
	struct carp_time	 now = eng_now();
	struct carp_vhid_info	 before, after;
	char			 q[CARP_REASON_LEN * 2], b[CTL_BY_LEN * 2 + 8];

	carp_vhid_info(vh, &before);
	if (carp_vhid_promote(vh, force, now) == 0)
		return 0;
	carp_vhid_info(vh, &after);
	log_info("audit: origin=%s action=promote%s vhid=%d@%s reason=\"%s\" "
	    "before=%s%s after=%s%s", origin,
	    force ? " force_master=true" : "", before.conf.vhid,
	    before.conf.ifname, ctl_quote(reason, q, sizeof(q)),
	    carp_state_names[before.state],
	    before.admin_demoted ? ",demoted" : "",
	    carp_state_names[after.state], ctl_by(by, b, sizeof(b)));
	state_set_demoted(&ctl.st, before.conf.ifname, before.conf.vhid,
	    false, NULL, 0);
	dispatch_admin(CTL_PROMOTE, origin, reason, vh, force, now);
	return ctl_save() == -1 ? -1 : 1;
}

/* Node maintenance on or off. */
int
ctl_maintenance(bool on, const char *reason, const char *origin,
    const char *by)
{
	struct carp_time	 now = eng_now();
	char			 q[CARP_REASON_LEN * 2], b[CTL_BY_LEN * 2 + 8];

	if (carp_maintenance(eng_node(), on, reason, now) == 0)
		return 0;
	log_info("audit: origin=%s action=maintenance reason=\"%s\" "
	    "before=%s after=%s%s", origin, ctl_quote(reason, q, sizeof(q)),
	    on ? "off" : "on", on ? "on" : "off", ctl_by(by, b, sizeof(b)));
	snprintf(ctl.st.maintenance_by, sizeof(ctl.st.maintenance_by), "%s",
	    on && by != NULL ? by : "");
	ctl.st.maintenance = on;
	state_copy_reason(ctl.st.maintenance_reason, on ? reason : "");
	ctl.st.maintenance_since = on ? now.wall_us / 1000000 : 0;
	dispatch_admin(on ? CTL_MAINTENANCE_ON : CTL_MAINTENANCE_OFF, origin,
	    reason, NULL, 0, now);
	return ctl_save() == -1 ? -1 : 1;
}

/* Set the node's administrative demotion. */
int
ctl_demotion(int value, const char *reason, const char *origin,
    const char *by)
{
	struct carp_time	 now = eng_now();
	struct carp_node_info	 ni;
	char			 q[CARP_REASON_LEN * 2], b[CTL_BY_LEN * 2 + 8];
	int			 before;

	if (value < -STATE_DEMOTION_MAX || value > STATE_DEMOTION_MAX) {
		errno = EINVAL;
		return -1;
	}
	carp_node_info(eng_node(), &ni);
	before = ni.admin_demotion;
	if (carp_demotion_set(eng_node(), value, reason, now) == 0)
		return 0;
	log_info("audit: origin=%s action=demotion reason=\"%s\" before=%d "
	    "after=%d%s", origin, ctl_quote(reason, q, sizeof(q)), before,
	    value, ctl_by(by, b, sizeof(b)));
	snprintf(ctl.st.demotion_by, sizeof(ctl.st.demotion_by), "%s",
	    by != NULL ? by : "");
	ctl.st.demotion = value;
	state_copy_reason(ctl.st.demotion_reason, reason);
	ctl.st.demotion_since = now.wall_us / 1000000;
	dispatch_admin(CTL_DEMOTION, origin, reason, NULL, value, now);
	return ctl_save() == -1 ? -1 : 1;
}
