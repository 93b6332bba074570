/*
 * ifname.c: the one interface-name check (see ifname.h).
 */
#include <net/if.h>
#include <string.h>

#include "agent/ifname.h"

bool
ifname_valid(const char *s, size_t len)
{
	size_t	 i;

	if (len == 0 || len >= IF_NAMESIZE || (len == 1 && s[0] == '.') ||
	    (len == 2 && s[0] == '.' && s[1] == '.'))
		return false;
	for (i = 0; i < len; i++)
		if ((unsigned char)s[i] <= 0x20 || (unsigned char)s[i] >= 0x7f ||
		    strchr("/:\"'#%?", s[i]) != NULL)
			return false;
	return true;
}
