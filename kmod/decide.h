/* SPDX-License-Identifier: GPL-2.0 */
/*
 * decide.h - the core's decisions (decide.c): pure, over a transaction's
 * snapshot; nothing locked, written or sent.
 */
#ifndef _P2PFENCE_DECIDE_H
#define _P2PFENCE_DECIDE_H

#include "txn.h"

int p2pf_find_dev(struct p2pf_txn *x, u64 id, s32 *idx);
int p2pf_decide_show(struct p2pf_txn *x);
int p2pf_decide_assign(struct p2pf_txn *x, u64 id, u32 tenant);
int p2pf_decide_release(struct p2pf_txn *x, u64 id);
int p2pf_decide_assign_many(struct p2pf_txn *x, struct p2pf_owners *req, u32 tenant);
int p2pf_decide_release_many(struct p2pf_txn *x, struct p2pf_owners *req, u32 cond);
int p2pf_decide_apply(struct p2pf_txn *x, struct p2pf_owners *nown);
int p2pf_decide_trust(struct p2pf_txn *x, u32 tenant, bool on);
int p2pf_decide_audit(struct p2pf_txn *x, const char *why);
void p2pf_decision_free(struct p2pf_txn *x);
bool p2pf_txn_fenced(const struct p2pf_txn *x, s32 idx, u32 tenant, u32 nv);
const struct p2pf_hist *p2pf_txn_hist(const struct p2pf_txn *x, u64 id);
const char *p2pf_txn_tname(const struct p2pf_txn *x, u32 tenant);
const char *p2pf_no_reset_why(u32 why);
u32 p2pf_txn_owner(const struct p2pf_txn *x, s32 idx);
u32 p2pf_verdicts_waived_first(struct fm_verdict *v, u32 n, bool waived);

#endif /* _P2PFENCE_DECIDE_H */
