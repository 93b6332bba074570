/*
 * joins.h: the multicast memberships the raw sockets hold: 224.0.0.18 on
 * IPv4 and ff02::12 on IPv6, per interface.  The caller says which it
 * wants; the groups nothing wants any more are left, the new ones joined.
 */
#ifndef JOINS_H
#define JOINS_H

#include <stddef.h>

/* The raw socket of a family (AF_INET, AF_INET6) joins go through. */
void	 joins_set_fd(int family, int fd);
/* Start a new wish list. */
void	 joins_begin(void);
/* The group of family is wanted on ifindex (duplicates are harmless). */
void	 joins_want(unsigned int ifindex, int family);
/* Leave and join so that the memberships are the wish list. */
void	 joins_sync(void);
/* Forget the memberships (the sockets are closed). */
void	 joins_free(void);

#endif /* JOINS_H */
