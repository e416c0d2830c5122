/* SPDX-License-Identifier: GPL-2.0 */
/*
 * txn.h - one transaction of the core: what it snapshot, decided and did.
 * Filled by fence.c (snapshot, program, commit) and decide.c (decisions).
 */
#ifndef _P2PFENCE_TXN_H
#define _P2PFENCE_TXN_H

#include <linux/types.h>

#include "enforce.h"
#include "owners.h"
#include "topology.h"

struct netlink_ext_ack;

enum p2pf_op {
	P2PF_OP_SHOW,		/* read only: the current table's state */
	P2PF_OP_ASSIGN,
	P2PF_OP_RELEASE,
	P2PF_OP_APPLY,
	P2PF_OP_AUDIT,		/* re-read and repair: `audit` and every re-check */
};

/**
 * struct p2pf_plan - a device changing owner, and how it is handed over
 * @id: the device
 * @idx: its node
 * @tenant: its new owner
 * @at: where the reset acts: @idx, or the bridge above it (a bus reset);
 *	-1 when no reset is due
 * @method: the reset (enum p2pfence_reset_method), 0: none
 * @done: the reset was done (or a bus reset earlier in the plan covered it)
 * @after: its history once committed
 */
struct p2pf_plan {
	u64 id;
	s32 idx;
	u32 tenant;
	s32 at;
	u8 method;
	bool done;
	struct p2pf_hist after;
};

/**
 * struct p2pf_txn - one transaction
 * @t: the snapshot of live PCI and the engine's answers over it
 * @pol: the policy it was decided under
 * @extack: where refusals are explained (NULL for re-checks)
 * @why: names the trigger in log lines (re-checks, audit)
 * @write: may change the table or the hardware (ends with a guard sync)
 * @locked: holds the core's lock and the rescan lock
 * @synced: the guard and the module pin follow the committed table
 * @committed: the decided table replaced the owner table
 * @reset_tried: a hand-over reset touched the hardware (done or failed)
 * @enforce: decided in enforce mode
 * @op: what was decided
 * @id: assign/release: the device (P2PF_NO_ID: several, in @req)
 * @idx: its node in @t, -1 when it is absent
 * @tenant: assign: the tenant asked for
 * @owner: assign/release: the owner before
 * @req: assign/release of several devices: the request (ids sorted)
 * @cond: release: 0, or the tenant each device released must belong to
 * @base: the owner table the snapshot was taken with (the core's, or a
 *	test's): what every decision starts from
 * @cur: show: a copy of the table it was decided on
 * @nown: the would-be table; NULL: unchanged
 * @nv: verdicts in t.v that the answer carries
 * @accept_unreset: assign: a hand-over without a reset is accepted
 * @plan: assign, apply: the devices changing owner (x->nplan of them)
 * @nplan: how many
 * @rdone: the devices this transaction reset (handover.c), kept when it
 *	decides again: clean for the tenant they were reset for
 * @nrdone: how many
 * @hshow: show: every node's history, copied under the lock (dumps answer
 *	from it after the lock is gone); NULL otherwise
 * @names: show: the named tenants, copied under the lock (sorted by id)
 * @nnames: how many
 * @refused: the decision was a refusal (-EXDEV): a `refused` event is due
 * @nrefused: verdicts in t.v that the event carries
 * @log: after p2pf_commit(): the writes made and read back
 * @failed: per node, 1 where a node-by-node repair failed
 * @nfail: how many failed
 * @left: after p2pf_commit(): the verdicts still standing
 * @nleft: how many
 * @trust: tenant-set, apply: the would-be set of tenants whose ATS is
 *	trusted (x->pol points into it), committed with the table
 * @trust_set: @trust is to be committed
 * @tshow: show: a copy of the committed trust set
 */
struct p2pf_txn {
	struct p2pf_topo t;
	struct fm_policy pol;
	struct netlink_ext_ack *extack;
	const char *why;
	bool write;
	bool locked;
	bool synced;
	bool committed;
	bool reset_tried;
	bool enforce;
	enum p2pf_op op;
	u64 id;
	s32 idx;
	u32 tenant;
	u32 owner;
	struct p2pf_owners *req;
	u32 cond;
	const struct p2pf_owners *base;
	struct p2pf_owners *cur;
	struct p2pf_owners *nown;
	u32 nv;
	bool accept_unreset;
	struct p2pf_plan *plan;
	u32 nplan;
	u64 *rdone;
	u32 nrdone;
	struct p2pf_hist *hshow;
	struct p2pf_tname *names;
	u32 nnames;
	bool refused;
	u32 nrefused;
	struct p2pf_wlog log;
	u8 *failed;
	u32 nfail;
	struct fm_verdict *left;
	u32 nleft;
	struct p2pf_trust trust;
	bool trust_set;
	struct p2pf_trust tshow;
};

#endif /* _P2PFENCE_TXN_H */
