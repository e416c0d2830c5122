/* SPDX-License-Identifier: GPL-2.0 */
/*
 * events.h - the monitor group: one function per event kind. A leaf: it
 * calls nothing of p2pfence's but the model's ids.
 */
#ifndef _P2PFENCE_EVENTS_H
#define _P2PFENCE_EVENTS_H

#include <linux/types.h>

struct fm_verdict;
struct p2pf_topo;
struct sk_buff;

void p2pf_ev_assigned(const struct p2pf_topo *t, u64 id, u32 tenant,
		      const struct fm_verdict *v, u32 nv, s32 idx);
void p2pf_ev_released(u64 id, u32 tenant);
void p2pf_ev_refused(const struct p2pf_topo *t, u64 id, u32 tenant,
		     const struct fm_verdict *v, u32 nv);
void p2pf_ev_drift_repaired(const struct p2pf_topo *t,
			    const struct fm_verdict *v, u32 nv);
void p2pf_ev_violation(const struct p2pf_topo *t, const struct fm_verdict *v,
		       u32 nv);
void p2pf_ev_device_removed(u64 id, u32 tenant);
void p2pf_ev_write_blocked(u64 id, const char *comm);
void p2pf_ev_handover_reset(u64 id, u32 tenant, u32 last, u32 method);
void p2pf_ev_vfio_bound(u64 id);
void p2pf_ev_trust_changed(u32 tenant, bool on);
void p2pf_ev_quirk_trust(u32 quirk, bool trusted);

/* verdict nests, shared by events and replies */
size_t p2pf_verdicts_size(u32 nv);
int p2pf_put_verdicts(struct sk_buff *skb, int type, const struct p2pf_topo *t,
		      const struct fm_verdict *v, u32 nv, s32 dev);

#endif /* _P2PFENCE_EVENTS_H */
