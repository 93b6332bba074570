/*
 * prom.h: the Prometheus text format 0.0.4 rendering of a snapshot.
 */
#ifndef PROM_H
#define PROM_H

#include <stdbool.h>
#include <stddef.h>

#include "agent/snap.h"

#define PROM_CONTENT_TYPE	"text/plain; version=0.0.4; charset=utf-8"

/* A growing text buffer. */
struct prom_buf {
	char	*data;
	size_t	 len;
	size_t	 cap;
};

/* Render every metric family into b (appended). */
void	 prom_render(const struct snap *, struct prom_buf *);
void	 prom_buf_free(struct prom_buf *);

#endif /* PROM_H */
