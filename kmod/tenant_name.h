/* SPDX-License-Identifier: GPL-2.0 */
/*
 * tenant_name.h - the characters of a tenant name and the one shape it may
 * not have, for the module (owners.c) and p2pfencectl (util.c) alike: one
 * rule, two callers. Pure: no library, no locale (the kernel's isalnum()
 * takes Latin-1 letters too), so it builds unchanged in both.
 */
#ifndef _P2PFENCE_TENANT_NAME_H
#define _P2PFENCE_TENANT_NAME_H

#ifdef __KERNEL__
#include <linux/types.h>
#else
#include <stdbool.h>
#endif

/* an ASCII letter or digit */
static inline bool p2pf_name_alnum(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

/* a character a name may have: A-Z a-z 0-9 . _ : @ + / - */
static inline bool p2pf_name_char(char c)
{
	return p2pf_name_alnum(c) || c == '.' || c == '_' || c == ':' || c == '@' ||
	       c == '+' || c == '/' || c == '-';
}

static inline bool p2pf_name_xdigit(char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

/*
 * "[DOMAIN:]BUS:SLOT.FN" in hex: a PCI address is never a tenant name, so
 * a command that lost its tenant ("dev assign A B") does not make one of B.
 */
static inline bool p2pf_name_is_dev(const char *s)
{
	unsigned int groups = 1, digits = 0;

	for (; *s && *s != '.'; s++) {
		if (*s == ':' && digits) {
			groups++;
			digits = 0;
		} else if (p2pf_name_xdigit(*s)) {
			digits++;
		} else {
			return false;
		}
	}
	if (*s++ != '.' || !digits || groups < 2 || groups > 3 || !*s)
		return false;
	for (; *s; s++)
		if (!p2pf_name_xdigit(*s))
			return false;
	return true;
}

#endif /* _P2PFENCE_TENANT_NAME_H */
