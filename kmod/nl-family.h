/* SPDX-License-Identifier: GPL-2.0 */
/*
 * nl-family.h - registering the generic netlink family (both kernels).
 */
#ifndef _P2PFENCE_NL_FAMILY_H
#define _P2PFENCE_NL_FAMILY_H

int p2pf_nl_register(void);
void p2pf_nl_unregister(void);

#endif /* _P2PFENCE_NL_FAMILY_H */
