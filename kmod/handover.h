/* SPDX-License-Identifier: GPL-2.0 */
/*
 * handover.h - the hand-over reset (handover.c), done at commit time.
 */
#ifndef _P2PFENCE_HANDOVER_H
#define _P2PFENCE_HANDOVER_H

struct p2pf_txn;

int p2pf_handover_reset(struct p2pf_txn *x);
void p2pf_handover_commit(const struct p2pf_txn *x);

#endif /* _P2PFENCE_HANDOVER_H */
