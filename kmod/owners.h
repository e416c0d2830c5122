/* SPDX-License-Identifier: GPL-2.0 */
/*
 * owners.h - the BDF -> tenant table. The caller serialises every call
 * (the core's lock, fence.c).
 */
#ifndef _P2PFENCE_OWNERS_H
#define _P2PFENCE_OWNERS_H

#include <linux/types.h>

struct p2pf_topo;

struct p2pf_owner {
	u32 id;		/* FM_ID() */
	u32 tenant;	/* >= 1 */
};

struct p2pf_owners {
	u32 n;
	struct p2pf_owner e[];	/* sorted by id, ids unique */
};

const struct p2pf_owners *p2pf_owners_cur(void);
u32 p2pf_owner_of(const struct p2pf_owners *o, u32 id);
struct p2pf_owners *p2pf_owners_with(const struct p2pf_owners *o, u32 id,
				     u32 tenant);
struct p2pf_owners *p2pf_owners_alloc(u32 n);
int p2pf_owners_sort(struct p2pf_owners *o, u32 *dup);
void p2pf_owners_commit(struct p2pf_owners *o);
void p2pf_owners_fill(const struct p2pf_owners *o, const struct p2pf_topo *t,
		      u32 *owner);
void p2pf_owners_exit(void);

#endif /* _P2PFENCE_OWNERS_H */
