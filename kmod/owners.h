/* SPDX-License-Identifier: GPL-2.0 */
/*
 * owners.h - the BDF -> tenant table, and what is remembered of each
 * device across owners (the hand-over history). The caller serialises
 * every call (the core's lock, fence.c).
 */
#ifndef _P2PFENCE_OWNERS_H
#define _P2PFENCE_OWNERS_H

#include <linux/time64.h>
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

/* dirty: state of more than one tenant may be on the device */
#define P2PF_HIST_MANY	U32_MAX

/**
 * struct p2pf_hist - what the core remembers of a device across owners
 * @last: the tenant that held it last, kept across release (0: none)
 * @dirty: a tenant whose state may still be on it (0: reset since;
 *	P2PF_HIST_MANY: several, after a hand-over without a reset)
 * @reset_for: the tenant its last hand-over reset was for (0: never reset)
 * @method: how that reset was done (enum p2pfence_reset_method)
 * @unreset: its current owner took it from another tenant without a reset
 * @reset_time: when (CLOCK_REALTIME seconds)
 */
struct p2pf_hist {
	u32 last;
	u32 dirty;
	u32 reset_for;
	u8 method;
	bool unreset;
	time64_t reset_time;
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

const struct p2pf_hist *p2pf_hist_of(u32 id);
int p2pf_hist_reserve(u32 id);
void p2pf_hist_set(u32 id, const struct p2pf_hist *h);
void p2pf_hist_unreserve(u32 id);
void p2pf_hist_forget_absent(const struct p2pf_topo *t);
bool p2pf_hist_any(void);
void p2pf_hist_exit(void);

#endif /* _P2PFENCE_OWNERS_H */
