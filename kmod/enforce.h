/* SPDX-License-Identifier: GPL-2.0 */
/*
 * enforce.h - programming ACS control bits: all or nothing, or node by node.
 */
#ifndef _P2PFENCE_ENFORCE_H
#define _P2PFENCE_ENFORCE_H

#include <linux/types.h>

struct fm_verdict;
struct netlink_ext_ack;
struct p2pf_topo;

struct p2pf_write {
	u64 id;
	u16 pos;
	u16 old;
	u16 val;
};

/* the writes of one transaction, oldest first */
struct p2pf_wlog {
	u32 n;
	u32 cap;
	struct p2pf_write *w;
};

int p2pf_enforce(const struct p2pf_topo *t, const u16 *need,
		 struct p2pf_wlog *log, struct netlink_ext_ack *extack);
void p2pf_enforce_rollback(struct p2pf_wlog *log);
u32 p2pf_repair(const struct p2pf_topo *t, const u16 *need,
		struct p2pf_wlog *log, u8 *failed);
u32 p2pf_verdicts_repaired(const struct p2pf_topo *t, u32 nv, const u8 *failed,
			   struct fm_verdict *out);
u32 p2pf_verdicts_left(const struct p2pf_topo *t, u32 nv, bool enforce,
		       const u8 *failed, struct fm_verdict *out);
void p2pf_wlog_free(struct p2pf_wlog *log);
u16 p2pf_ctrl_wanted(u16 ctrl, u16 need, u8 flags);

#endif /* _P2PFENCE_ENFORCE_H */
