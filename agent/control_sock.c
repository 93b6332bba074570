/*
 * control_sock.c: the control socket: bind it, know its peer, remove it.
 * exporters/http.c serves the HTTP API on it (see control_sock.h).
 */
#include <sys/types.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "agent/control_sock.h"
#include "agent/log.h"

int
ctl_sock_open(const char *path, int backlog)
{
	struct sockaddr_un	 sun;
	struct stat		 st;
	char			 dir[sizeof(sun.sun_path)], *slash;
	mode_t			 old;
	int			 fd, probe;

	memset(&sun, 0, sizeof(sun));
	sun.sun_family = AF_UNIX;
	if (strlen(path) >= sizeof(sun.sun_path)) {
		log_warnx("http: control-socket %s: path too long", path);
		return -1;
	}
	snprintf(sun.sun_path, sizeof(sun.sun_path), "%s", path);
	snprintf(dir, sizeof(dir), "%s", path);
	if ((slash = strrchr(dir, '/')) != NULL && slash != dir) {
		*slash = '\0';
		if (mkdir(dir, 0755) == -1 && errno != EEXIST) {
			log_warn("http: mkdir %s", dir);
			return -1;
		}
	}
	if (lstat(path, &st) == 0) {
		if (!S_ISSOCK(st.st_mode)) {
			log_warnx("http: control-socket %s exists and is not "
			    "a socket", path);
			return -1;
		}
		probe = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
		if (probe != -1 && connect(probe, (struct sockaddr *)&sun,
		    sizeof(sun)) == 0) {
			close(probe);
			log_warnx("http: control-socket %s is in use by "
			    "another process", path);
			return -1;
		}
		if (probe != -1)
			close(probe);
		unlink(path);
	}
	if ((fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC,
	    0)) == -1) {
		log_warn("http: socket");
		return -1;
	}
	/* Created 0600 by bind itself: no chmod, which follows symlinks. */
	old = umask(0177);
	if (bind(fd, (struct sockaddr *)&sun, sizeof(sun)) == -1) {
		umask(old);
		log_warn("http: bind %s", path);
		close(fd);
		return -1;
	}
	umask(old);
	if (listen(fd, backlog) == -1) {
		log_warn("http: control-socket %s", path);
		close(fd);
		unlink(path);
		return -1;
	}
	return fd;
}

void
ctl_sock_remove(const char *path)
{
	unlink(path);
}

const char *
ctl_sock_by(int fd, const char *sudo_user, char *buf, size_t len)
{
	struct ucred	 uc;
	socklen_t	 ul = sizeof(uc);
	const char	*p;
	int		 n;

	buf[0] = '\0';
	if (fd == -1 || getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &uc,
	    &ul) == -1)
		return buf;
	n = snprintf(buf, len, "uid=%u pid=%d", (unsigned int)uc.uid,
	    (int)uc.pid);
	for (p = sudo_user; p != NULL && *p != '\0'; p++)
		if (strchr("abcdefghijklmnopqrstuvwxyz"
		    "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-", *p) == NULL)
			break;
	if (sudo_user != NULL && *sudo_user != '\0' && *p == '\0' &&
	    strlen(sudo_user) <= 32 && n > 0 && (size_t)n < len)
		snprintf(buf + n, len - (size_t)n, " sudo_user=%s", sudo_user);
	return buf;
}
