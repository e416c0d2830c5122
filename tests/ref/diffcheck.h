/* SPDX-License-Identifier: GPL-2.0 */
/*
 * diffcheck.h - the engine against the naive reference model, one
 * topology at a time. Shared by the userspace differential test
 * (tests/unit/diff.c) and the KUnit differential suite.
 */
#ifndef _P2PFENCE_DIFFCHECK_H
#define _P2PFENCE_DIFFCHECK_H

#include "fence_model.h"

struct dc_stats {
	u32 audits;
	u32 verdicts;	/* verdicts compared */
	u32 assigns;	/* fm_check_assign calls compared */
	u32 needs;	/* nodes whose need was non-zero */
	u32 kinds[FM_KIND_MAX + 1]; /* verdicts seen, by kind */
};

/*
 * dc_audit() - fm_init + fm_set_owners + fm_audit against nv_audit: the
 * same (kind, dev, at, missing) set, each reported once, every peer valid,
 * the same need[]. Return: 0 when they agree, 1 (and @why) when not,
 * -errno when memory ran out.
 */
int dc_audit(const struct fm_node *nodes, u32 n, const u32 *owner,
	     const struct fm_policy *pol, struct dc_stats *st, char *why, size_t len);

/*
 * dc_assign() - with @owner installed, fm_check_assign(@idx, @tenant)
 * against (a) nv_audit of the would-be table restricted to @idx and
 * (b) fm_audit of the would-be table restricted to @idx; and its need
 * against the naive's need for @idx alone. Same return as dc_audit().
 */
int dc_assign(const struct fm_node *nodes, u32 n, const u32 *owner,
	      const struct fm_policy *pol, s32 idx, u32 tenant, struct dc_stats *st,
	      char *why, size_t len);

#endif /* _P2PFENCE_DIFFCHECK_H */
