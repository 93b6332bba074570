/*
 * http.h: carpd's HTTP endpoint (libevent's evhttp): /metrics, /v1/status
 * and the administrative actions, on the control socket (control-socket,
 * mode 0600: its permissions are the authorization) and on each
 * http-listen address (actions need "Authorization: Bearer TOKEN", the
 * token read from http-token-file).  HTTP runs at the lowest event
 * priority, so the engine's timers and packets always go first.  The
 * control socket and the TCP listeners have pools of their own (16 and
 * 64 connections), one TCP client address holds http-max-per-source of
 * them, and a request must be complete http-request-timeout seconds after
 * its connection or its previous answer (see http.c).
 *
 * The narrow interface through which main (agent/carpd.c, the composition
 * root) starts the exporters: the only header of exporters/ that agent/
 * includes (docs/layout.md).
 */
#ifndef HTTP_H
#define HTTP_H

#include "agent/conf.h"

struct event_base;

/* Start serving; failures to listen are logged, not fatal.  0 or -1. */
int	 http_init(struct event_base *, const struct carpd_conf *);
/*
 * SIGHUP: re-read the token and the limits, re-open listeners whose
 * settings changed; failures are logged, never fatal.
 */
void	 http_reload(const struct carpd_conf *);
/*
 * Load http-tls-cert, -key and -client-ca as http_init() would, and say
 * which line's file does not load.  0 or -1.
 */
int	 http_tls_check(const struct carpd_conf *);
/* Close every listener and connection; remove the control socket. */
void	 http_free(void);

#endif /* HTTP_H */
