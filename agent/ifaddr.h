/*
 * ifaddr.h: the host's addresses as the engine needs them: the
 * interfaces' own (advert sources, loop detection) and the configured
 * VIPs, with a generation that changes whenever an address other than a
 * VIP comes, goes or changes, so that advert sources are chosen again
 * only then (a master's VIPs come and go with every advert).
 */
#ifndef IFADDR_H
#define IFADDR_H

#include <stdbool.h>
#include <stddef.h>

#include "agent/netlink.h"
#include "carp/carp.h"

/* Replace the VIPs (copied and sorted); a new generation. */
void		 ifaddr_set_vips(const struct carp_addr *, size_t);
bool		 ifaddr_is_vip(const struct carp_addr *);
/* One of the host's own addresses, not a VIP (a looped advert)? */
bool		 ifaddr_is_local(const struct carp_addr *);
/*
 * Take a new list of every address (allocated; ifaddr owns it now): a new
 * generation if anything but VIPs differs, flags included.
 */
void		 ifaddr_replace(struct nl_addr *, size_t);
/* Read the list again through netlink.  Returns 0 or -1 (logged). */
int		 ifaddr_reload(void);
/* One address came, changed (deleted false) or went. */
void		 ifaddr_update(const struct nl_addr *, bool deleted);
unsigned int	 ifaddr_gen(void);
/*
 * The advert source of a family on an interface (see nl_addr_choose):
 * never a VIP.  Returns 0, or -1 if there is none.
 */
int		 ifaddr_choose(unsigned int ifindex, int family, bool linklocal,
		    struct carp_addr *out);
/*
 * A VRRPv3 advert's carp_rx.local: the source this host's adverts of its
 * family leave from on the arrival interface (family 0: none yet).
 */
void		 ifaddr_rx_local(struct carp_rx *);
void		 ifaddr_free(void);

#endif /* IFADDR_H */
