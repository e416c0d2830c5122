/* SPDX-License-Identifier: GPL-2.0 */
/*
 * naive.h - a deliberately naive, pairwise reference model of p2pfence's
 * isolation rule (the header comment of kmod/fence_model.h), to check the
 * engine against (differential testing, like WireGuard's allowedips).
 *
 * It was written from the rule's text, not from the engine: for every
 * tenant device D and every device W of another owner it walks up from D to
 * find the turning node X (the child, on D's side, of the lowest common
 * ancestor of D and W; D's root-bus node when they only share a root bus;
 * none on different root buses) and classifies X. Group, IOMMU and ATS
 * checks are per device and pairwise. Quadratic and slow on purpose: no
 * precomputation, no index, nothing clever to get wrong.
 */
#ifndef _P2PFENCE_NAIVE_H
#define _P2PFENCE_NAIVE_H

#include "fence_model.h"

/* one verdict, without its witness: the unit the engine must agree on */
struct nv_verdict {
	u8 kind;	/* enum fm_kind */
	u16 missing;
	s32 dev;
	s32 at;
};

bool nv_is_device(u8 type);
bool nv_is_conventional(u8 type);

/*
 * nv_turning() - where a request from device @d towards device @w turns:
 * the node X on @d's path whose region (fence_model.h) holds @w, or -1 when
 * no path exists (different root buses, or @d == @w).
 */
s32 nv_turning(const struct fm_node *nodes, u32 n, s32 d, s32 w);

/*
 * nv_pair() - the walk verdicts the pair (@d, @w) yields, classified at the
 * turning node. Return: how many (0: it redirects, or no path; 2: what its
 * capability lacks, and acs-disabled for what it has that is off), in
 * out[0..1]; *@need_at/@need_bits (may be NULL) get the node and the bits
 * the fence needs there that its capability has (-1/0 without an ACS
 * capability, or when there is no turning node). When the turning
 * node is @tbport (the port where @d's ATS needs Translation Blocking, or
 * -1), TB is judged there with the pair's bits.
 */
int nv_pair(const struct fm_node *nodes, u32 n, s32 d, s32 w, s32 tbport,
	    struct nv_verdict *out, s32 *need_at, u16 *need_bits);

/*
 * nv_audit() - every verdict for the tenant devices under @owner (only
 * device @only when >= 0), deduplicated on (kind, dev, at, missing), sorted
 * by (dev, at, kind, missing). Verdicts past @cap are counted only.
 * @need: NULL or n u16s, OR-ed with the bits each node needs.
 * Return: 0, or -E2BIG when *@nv > @cap.
 */
int nv_audit(const struct fm_node *nodes, u32 n, const u32 *owner,
	     const struct fm_policy *pol, s32 only,
	     struct nv_verdict *v, u32 cap, u32 *nv, u16 *need);

/*
 * nv_peer_ok() - is @peer a valid witness for verdict @v (peer -1 for the
 * host-wide kinds; another owner's device the pair rule maps onto @v)?
 */
bool nv_peer_ok(const struct fm_node *nodes, u32 n, const u32 *owner,
		const struct fm_policy *pol, const struct nv_verdict *v, s32 peer);

/* order verdicts by (dev, at, kind, missing): <0, 0, >0 */
int nv_cmp(const struct nv_verdict *a, const struct nv_verdict *b);
void nv_sort(struct nv_verdict *v, u32 n);

#endif /* _P2PFENCE_NAIVE_H */
