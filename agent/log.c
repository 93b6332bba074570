/*
 * log.c: OpenBSD-style logging to stderr or syslog.
 *
 * In the foreground each line goes to stderr with one write(2), so lines
 * from the SNMP thread never interleave with the engine's.  When stderr is
 * the journal (systemd sets JOURNAL_STREAM to its device and inode), a
 * line carries its syslog priority as a "<N>" prefix, which journald
 * strips and keeps, and no timestamp of carpd's own; on a terminal or a
 * file it starts with "HH:MM:SS.mmm " as before.
 */
#include <sys/stat.h>

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <time.h>
#include <unistd.h>

#include "agent/log.h"

#define LOG_LINE_MAX	2048

static int	log_foreground = 1;
static int	log_journal;
static int	log_verbose;

/* True if JOURNAL_STREAM names the file stderr is. */
static int
log_stderr_is_journal(void)
{
	const char	*js = getenv("JOURNAL_STREAM");
	struct stat	 st;
	uintmax_t	 dev, ino;
	char		 end;

	if (js == NULL || sscanf(js, "%ju:%ju%c", &dev, &ino, &end) != 2)
		return 0;
	if (fstat(STDERR_FILENO, &st) == -1)
		return 0;
	return (uintmax_t)st.st_dev == dev && (uintmax_t)st.st_ino == ino;
}

/* Start logging: to stderr when foreground, else to syslog. */
void
log_init(int foreground, int facility)
{
	log_foreground = foreground;
	log_journal = foreground && log_stderr_is_journal();
	if (!foreground)
		openlog("carpd", LOG_PID | LOG_NDELAY, facility);
	tzset();
}

/* Is stderr the journal (lines with "<N>" prefixes)? */
int
log_to_journal(void)
{
	return log_journal;
}

/* Set the verbosity; debug messages need at least 1. */
void
log_setverbose(int v)
{
	log_verbose = v;
}

/* Write a whole line to stderr with one system call (retried if cut). */
static void
log_write(const char *buf, size_t len)
{
	ssize_t	 n;

	while (len > 0) {
		n = write(STDERR_FILENO, buf, len);
		if (n == -1) {
			if (errno == EINTR)
				continue;
			return;
		}
		buf += n;
		len -= (size_t)n;
	}
}

/* Log one message at a syslog priority. */
void
vlog(int pri, const char *fmt, va_list ap)
{
	struct timespec	 ts;
	struct tm	 tm;
	char		 line[LOG_LINE_MAX];
	size_t		 len;
	int		 n, saved = errno;

	if (!log_foreground) {
		vsyslog(pri, fmt, ap);
		errno = saved;
		return;
	}
	if (log_journal)
		n = snprintf(line, sizeof(line), "<%d>", LOG_PRI(pri));
	else {
		clock_gettime(CLOCK_REALTIME, &ts);
		localtime_r(&ts.tv_sec, &tm);
		len = strftime(line, sizeof(line), "%H:%M:%S", &tm);
		n = snprintf(line + len, sizeof(line) - len, ".%03ld ",
		    ts.tv_nsec / 1000000);
		n = n < 0 ? 0 : n + (int)len;
	}
	len = n < 0 ? 0 : (size_t)n;
	/* Room is kept for the newline; a longer message is cut. */
	n = vsnprintf(line + len, sizeof(line) - len - 1, fmt, ap);
	if (n > 0)
		len += (size_t)n < sizeof(line) - len - 1 ? (size_t)n :
		    sizeof(line) - len - 2;
	line[len++] = '\n';
	log_write(line, len);
	errno = saved;
}

/* Log at a priority. */
static void
log_pri(int pri, const char *fmt, ...)
    __attribute__((__format__(printf, 2, 3)));
static void
log_pri(int pri, const char *fmt, ...)
{
	va_list	 ap;

	va_start(ap, fmt);
	vlog(pri, fmt, ap);
	va_end(ap);
}

/* Log a warning with the text of errno appended. */
void
log_warn(const char *fmt, ...)
{
	char	 buf[1024];
	int	 saved = errno;
	va_list	 ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	log_warnx("%s: %s", buf, strerror(saved));
	errno = saved;
}

/* Log a warning. */
void
log_warnx(const char *fmt, ...)
{
	va_list	 ap;

	va_start(ap, fmt);
	vlog(LOG_WARNING, fmt, ap);
	va_end(ap);
}

/* Log a notice: normal but significant (a start, a reload, an action). */
void
log_notice(const char *fmt, ...)
{
	va_list	 ap;

	va_start(ap, fmt);
	vlog(LOG_NOTICE, fmt, ap);
	va_end(ap);
}

/* Log an informational message. */
void
log_info(const char *fmt, ...)
{
	va_list	 ap;

	va_start(ap, fmt);
	vlog(LOG_INFO, fmt, ap);
	va_end(ap);
}

/* Log a debug message when verbose. */
void
log_debug(const char *fmt, ...)
{
	va_list	 ap;

	if (log_verbose < 1)
		return;
	va_start(ap, fmt);
	vlog(LOG_DEBUG, fmt, ap);
	va_end(ap);
}

/* Log a critical error with errno and die. */
void
fatal(const char *fmt, ...)
{
	char	 buf[1024];
	int	 saved = errno;
	va_list	 ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	log_pri(LOG_CRIT, "fatal: %s: %s", buf, strerror(saved));
	exit(1);
}

/* Log a critical error and die. */
void
fatalx(const char *fmt, ...)
{
	char	 buf[1024];
	va_list	 ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	log_pri(LOG_CRIT, "fatal: %s", buf);
	exit(1);
}
