/*
 * control_sock.h: the control socket (control-socket in carpd.conf(5)).
 *
 * A unix stream socket, created mode 0600: its permissions are the
 * authorization, and the kernel says who connected (SO_PEERCRED) for the
 * audit line.  What is said on it is the HTTP API, the same as over TCP:
 * exporters/http.c accepts its connections and serves them with origin
 * "socket", and the actions end in control.c like every other.  This file
 * is the socket itself: its creation, its peer, its removal.
 */
#ifndef CONTROL_SOCK_H
#define CONTROL_SOCK_H

#include <stddef.h>

/*
 * Bind path, mode 0600, and listen with the given backlog; the directory
 * above is created (0755) if missing.  A stale socket is removed; one a
 * running process still answers on is left alone.  Returns the
 * non-blocking, close-on-exec fd, or -1 (logged).
 */
int		 ctl_sock_open(const char *path, int backlog);
/* Remove the socket ctl_sock_open() made. */
void		 ctl_sock_remove(const char *path);
/*
 * Who is at the other end of the connection fd, for the audit line:
 * "uid=U pid=P", then " sudo_user=NAME" when carpctl runs under sudo(8)
 * and passes NAME on (sudo_user, NULL if none; only on this socket, whose
 * peer is root or carpd's user, whom the claim does not raise; ignored
 * unless it is 1 to 32 of [A-Za-z0-9._-]).  buf is "" when the peer is not
 * known (fd -1, getsockopt fails).  Returns buf.
 */
const char	*ctl_sock_by(int fd, const char *sudo_user, char *buf,
		    size_t len);

#endif /* CONTROL_SOCK_H */
