/* SPDX-License-Identifier: GPL-2.0 */
/*
 * fence.h - the transaction core: snapshot -> decide -> program -> read
 * back -> commit -> events. Every netlink operation and every re-check of
 * the watch goes through it; nothing else takes the core's lock.
 */
#ifndef _P2PFENCE_FENCE_H
#define _P2PFENCE_FENCE_H

#include <linux/types.h>

#include "txn.h"

struct netlink_ext_ack;

/* module parameters the core reads (main.c makes them parameters) */
extern bool p2pf_allow_ats;
extern bool p2pf_vfio_strict;
extern bool p2pf_allow_unload;

int p2pf_txn_begin(struct p2pf_txn *x, bool write,
		   struct netlink_ext_ack *extack);
void p2pf_txn_unlock(struct p2pf_txn *x);
void p2pf_txn_end(struct p2pf_txn *x);

int p2pf_commit(struct p2pf_txn *x);

void p2pf_recheck(const char *why);
void p2pf_set_mode(u32 mode);
u32 p2pf_get_mode(void);
void p2pf_fence_start(void);
void p2pf_fence_stop(void);
void p2pf_fence_exit(void);
void p2pf_fence_stats(u32 *owned, size_t *bytes, bool *pinned);
void p2pf_vfio_bound(u64 id);
int p2pf_quirk_trust_set(const u32 *req, u32 n, int trusted, u32 *out, u32 *nout);
u32 p2pf_quirk_trust_get(u32 *out);

#endif /* _P2PFENCE_FENCE_H */
