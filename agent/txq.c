/*
 * txq.c: the transmit queue (see txq.h).
 */
#include <sys/types.h>
#include <sys/socket.h>
#include <netinet/in.h>

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "agent/txq.h"
#include "agent/xmalloc.h"

struct txq {
	struct raw_msg	*msgs;
	void		**who;		/* NULL: forgotten */
	int		*err;
	size_t		 n;
	size_t		 nsent;		/* sent, outcome not reported */
	size_t		 cap;
	int		 fd;
};

static struct txq	 txq[TXQ_N] = {
	{ .fd = -1 }, { .fd = -1 }, { .fd = -1 }, { .fd = -1 }
};

/*
 * The order the queues leave and are reported in: IPv4 first, whichever
 * socket, as when there was one IPv4 queue.  A VHID with both families
 * resigns with two priority-0 adverts, and its peers (and 037, which
 * times the IPv4 one) see the IPv4 one first.
 */
static const int	 txq_order[TXQ_N] = {
	TXQ_IP4, TXQ_PKT4, TXQ_IP6, TXQ_PKT6
};

int
txq_family(int q)
{
	return q == TXQ_IP4 || q == TXQ_PKT4 ? AF_INET : AF_INET6;
}

void
txq_set_fd(int q, int fd)
{
	txq[q].fd = fd;
}

int
txq_fd(int q)
{
	return txq[q].fd;
}

struct raw_msg *
txq_slot(int q)
{
	struct txq	*t = &txq[q];

	if (t->n == t->cap) {
		t->cap = t->cap == 0 ? 64 : t->cap * 2;
		t->msgs = xreallocarray(t->msgs, t->cap, sizeof(*t->msgs));
		t->who = xreallocarray(t->who, t->cap, sizeof(*t->who));
		t->err = xreallocarray(t->err, t->cap, sizeof(*t->err));
	}
	return &t->msgs[t->n];
}

void
txq_commit(int q, void *who)
{
	txq[q].who[txq[q].n++] = who;
}

size_t
txq_pending(void)
{
	size_t	 n = 0;
	int	 q;

	for (q = 0; q < TXQ_N; q++)
		n += txq[q].n;
	return n;
}

/* The destination of a queued message, for the failure report. */
static void
txq_dst(int q, const struct raw_msg *m, struct carp_addr *dst)
{
	memset(dst, 0, sizeof(*dst));
	dst->family = txq_family(q);
	if (q == TXQ_PKT6)		/* the IPv6 header's */
		memcpy(&dst->a.v6, m->payload + 24, sizeof(dst->a.v6));
	else if (q == TXQ_PKT4)		/* the IPv4 header's */
		memcpy(&dst->a.v4, m->payload + 16, sizeof(dst->a.v4));
	else if (q == TXQ_IP6)
		dst->a.v6 = m->name.sin6_addr;
	else
		dst->a.v4 = ((const struct sockaddr_in *)(const void *)
		    &m->name)->sin_addr;
}

bool
txq_send(void (*failed)(void *, const struct carp_addr *, int))
{
	struct txq		*t;
	struct carp_addr	 dst;
	size_t			 i;
	int			 k, q;
	bool			 any = false;

	for (k = 0; k < TXQ_N; k++) {
		q = txq_order[k];
		t = &txq[q];
		if (t->nsent == t->n)
			continue;
		if (t->fd == -1)
			for (i = t->nsent; i < t->n; i++)
				t->err[i] = EAFNOSUPPORT;
		else
			raw_send_batch(t->fd, t->msgs + t->nsent,
			    t->n - t->nsent, t->err + t->nsent);
		for (i = t->nsent; i < t->n; i++) {
			if (t->err[i] == 0)
				continue;
			any = true;
			if (failed != NULL) {
				txq_dst(q, &t->msgs[i], &dst);
				failed(t->who[i], &dst, t->err[i]);
			}
		}
		t->nsent = t->n;
	}
	return any;
}

bool
txq_report(void (*done)(void *, int, int))
{
	struct txq	*t;
	size_t		 n, i;
	int		 k, q;
	bool		 more = false;

	for (k = 0; k < TXQ_N; k++) {
		q = txq_order[k];
		t = &txq[q];
		if ((n = t->nsent) == 0) {
			more |= t->n > 0;
			continue;
		}
		/*
		 * Reporting may queue more (the arrays may move), and even
		 * send them (an announcement sends what is queued first):
		 * those stay, sent or not, for the next round.
		 */
		for (i = 0; i < n; i++)
			if (t->who[i] != NULL && done != NULL)
				done(t->who[i], txq_family(q), t->err[i]);
		memmove(t->msgs, t->msgs + n, (t->n - n) * sizeof(*t->msgs));
		memmove(t->who, t->who + n, (t->n - n) * sizeof(*t->who));
		memmove(t->err, t->err + n, (t->n - n) * sizeof(*t->err));
		t->n -= n;
		t->nsent -= n;
		more |= t->n > 0;
	}
	return more;
}

void
txq_forget(const void *who)
{
	size_t	 i;
	int	 q;

	for (q = 0; q < TXQ_N; q++)
		for (i = 0; i < txq[q].n; i++)
			if (txq[q].who[i] == who)
				txq[q].who[i] = NULL;
}

void
txq_free(void)
{
	int	 q;

	for (q = 0; q < TXQ_N; q++) {
		free(txq[q].msgs);
		free(txq[q].who);
		free(txq[q].err);
		memset(&txq[q], 0, sizeof(txq[q]));
		txq[q].fd = -1;
	}
}
