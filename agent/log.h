/*
 * log.h: OpenBSD-style logging.  stderr in the foreground (-d), syslog
 * otherwise.  log_debug prints only when verbose.  Each line is written
 * with one write(2); when stderr is the journal (JOURNAL_STREAM), lines
 * carry "<N>" priority prefixes instead of a timestamp.
 */
#ifndef LOG_H
#define LOG_H

#include <stdarg.h>

#ifndef __dead
#define __dead __attribute__((__noreturn__))
#endif

void	log_init(int foreground, int facility);
void	log_setverbose(int);
int	log_to_journal(void);
void	log_warn(const char *, ...) __attribute__((__format__(printf, 1, 2)));
void	log_warnx(const char *, ...) __attribute__((__format__(printf, 1, 2)));
void	log_notice(const char *, ...) __attribute__((__format__(printf, 1, 2)));
void	log_info(const char *, ...) __attribute__((__format__(printf, 1, 2)));
void	log_debug(const char *, ...) __attribute__((__format__(printf, 1, 2)));
void	vlog(int, const char *, va_list) __attribute__((__format__(printf, 2, 0)));
__dead void fatal(const char *, ...) __attribute__((__format__(printf, 1, 2)));
__dead void fatalx(const char *, ...) __attribute__((__format__(printf, 1, 2)));

#endif /* LOG_H */
