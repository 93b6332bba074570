/*
 * handover.c: a graceful stop's hand-over (see handover.h).
 */
#include <stdlib.h>

#include <event2/event.h>

#include "agent/handover.h"
#include "agent/xmalloc.h"

struct handover {
	unsigned int		 ifindex;
	uint8_t			 vhid;
	void			*who;
	struct handover		*next;
};

static struct {
	struct event_base	*base;
	void			(*release)(void *);
	struct handover		*list;
	struct event		*ev;
} ho;

static void	 handover_cb(evutil_socket_t, short, void *);

void
handover_init(struct event_base *base, void (*release)(void *))
{
	ho.base = base;
	ho.release = release;
}

void
handover_add(unsigned int ifindex, uint8_t vhid, void *who)
{
	struct handover	*h = xcalloc(1, sizeof(*h));

	h->ifindex = ifindex;
	h->vhid = vhid;
	h->who = who;
	h->next = ho.list;
	ho.list = h;
}

void
handover_start(void)
{
	struct timeval	 tv = { 0, HANDOVER_MS * 1000 };

	if (ho.list == NULL || ho.ev != NULL)
		return;
	ho.ev = evtimer_new(ho.base, handover_cb, NULL);
	if (ho.ev == NULL || evtimer_add(ho.ev, &tv) == -1)
		handover_cb(-1, 0, NULL);
}

void
handover_heard(unsigned int ifindex, uint8_t vhid)
{
	struct handover	**hp, *h;

	for (hp = &ho.list; (h = *hp) != NULL; hp = &h->next) {
		if (h->ifindex != ifindex || h->vhid != vhid)
			continue;
		*hp = h->next;
		ho.release(h->who);
		free(h);
		return;
	}
}

void
handover_forget(const void *who)
{
	struct handover	**hp, *h;

	for (hp = &ho.list; (h = *hp) != NULL; ) {
		if (h->who != who) {
			hp = &h->next;
			continue;
		}
		*hp = h->next;
		ho.release(h->who);
		free(h);
	}
}

bool
handover_pending(void)
{
	return ho.list != NULL;
}

/* Nobody took over in time (or there is no backup): release the rest. */
static void
handover_cb(evutil_socket_t fd, short what, void *arg)
{
	struct handover	*h;

	(void)fd;
	(void)what;
	(void)arg;
	while ((h = ho.list) != NULL) {
		ho.list = h->next;
		ho.release(h->who);
		free(h);
	}
}

void
handover_free(void)
{
	handover_cb(-1, 0, NULL);
	if (ho.ev != NULL)
		event_free(ho.ev);
	ho.ev = NULL;
}
