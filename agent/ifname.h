/*
 * ifname.h: what carpd accepts as an interface name, wherever one comes
 * from (the configuration, the state file, an HTTP path): what Linux
 * accepts (not empty, shorter than IF_NAMESIZE, not "." or "..", no '/',
 * ':' or blank), and printable ASCII without the characters that would
 * need quoting in carpd's own files or escaping in a URL (" ' # % ?).
 */
#ifndef IFNAME_H
#define IFNAME_H

#include <stdbool.h>
#include <stddef.h>

/* The first len bytes of s (no NUL needed) as an interface name. */
bool	ifname_valid(const char *s, size_t len);

#endif /* IFNAME_H */
