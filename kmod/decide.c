// SPDX-License-Identifier: GPL-2.0
/*
 * decide.c - the core's decisions: what a transaction would make of the
 * owner table, and whether the hardware can fence it.
 *
 * Pure: each p2pf_decide_*() reads the snapshot in x->t and the table it
 * was taken with (x->base), asks the engine, and leaves the answer in the
 * transaction -- the would-be table (x->nown), the verdicts (x->t.v, x->nv),
 * the bits to program (x->t.need), a refusal's reason (extack) and what
 * its event carries (x->refused, x->nrefused). Nothing is written, locked
 * or sent here; fence.c does that with what was decided. So the decisions
 * run under KUnit on tables (kunit/core_test.c) as they run on live PCI.
 */
#include <linux/slab.h>
#include <net/netlink.h>

#include "compat.h"
#include "fence.h"
#include "owners.h"

/* Install @o as the engine's owners. */
static void p2pf_set_owners(struct p2pf_txn *x, const struct p2pf_owners *o)
{
	p2pf_owners_fill(o, &x->t, x->t.owner);
	/* cannot fail: p2pf_owners_fill() gives fabric nodes no owner */
	WARN_ON(fm_set_owners(x->t.ctx, x->t.owner));
}

/* The extack text of a verdict: "DEV: KIND at AT (peer PEER)". */
static void p2pf_verdict_msg(const struct p2pf_txn *x, const struct fm_verdict *v)
{
	u32 dev = p2pf_topo_id(&x->t, v->dev), at = p2pf_topo_id(&x->t, v->at);
	const char *kind = fm_kind_name(v->kind) ?: "unknown";

	if (v->peer >= 0)
		NL_SET_ERR_MSG_FMT(x->extack, "%s: %s at %s (peer %s)",
				   p2pf_ids(dev).s, kind, p2pf_ids(at).s,
				   p2pf_ids(p2pf_topo_id(&x->t, v->peer)).s);
	else
		NL_SET_ERR_MSG_FMT(x->extack, "%s: %s at %s",
				   p2pf_ids(dev).s, kind, p2pf_ids(at).s);
}

/*
 * Count the unfixable verdicts in t.v; with @before, only those that
 * @before (the verdicts under the current table) does not have: what a
 * change of the table would break. With @keep, t.v is compacted to them.
 */
static u32 p2pf_keep_unfixable(struct p2pf_txn *x, const struct fm_verdict *before,
			       u32 nb, bool keep)
{
	u32 i, j, k = 0, nv = p2pf_topo_nv(&x->t);

	for (i = 0; i < nv; i++) {
		const struct fm_verdict *v = &x->t.v[i];
		bool old = false;

		for (j = 0; before && j < nb && !old; j++)
			old = before[j].kind == v->kind && before[j].dev == v->dev &&
			      before[j].at == v->at;
		if (fm_kind_fixable(v->kind) || old)
			continue;
		if (keep)
			x->t.v[k] = *v;
		k++;
	}
	return k;
}

/*
 * Refuse in enforce mode when a verdict is not fixable, or when more were
 * found than kept (fail closed): the extack names the first unfixable one
 * (or says how many there were); the refused event (sent by the core when
 * the transaction ends) carries the verdicts -- all of them for a device
 * (assign), the unfixable ones for a table (apply). Returns -EXDEV or 0.
 */
static int p2pf_refuse_unfixable(struct p2pf_txn *x, u32 id)
{
	u32 i, nv = p2pf_topo_nv(&x->t);
	const struct fm_verdict *bad = NULL;

	if (!x->enforce)
		return 0;
	for (i = 0; i < nv && !bad; i++)
		if (!fm_kind_fixable(x->t.v[i].kind))
			bad = &x->t.v[i];
	if (!bad && p2pf_topo_stored(&x->t))
		return 0;
	if (bad)
		p2pf_verdict_msg(x, bad);
	else
		NL_SET_ERR_MSG_FMT(x->extack, "%u verdicts, more than can be shown",
				   x->t.nv);
	x->refused = true;
	x->nrefused = id != P2PF_NO_ID ? nv : p2pf_keep_unfixable(x, NULL, 0, true);
	return -EXDEV;
}

/**
 * p2pf_find_dev() - the node of an assignable device
 * @x: a transaction
 * @id: the device
 * @idx: its node, -1 when absent
 *
 * Return: 0, -ENODEV when absent, -EINVAL for a port or bridge (explained).
 */
int p2pf_find_dev(struct p2pf_txn *x, u32 id, s32 *idx)
{
	s32 k = fm_find(x->t.ctx, id);

	*idx = k;
	if (k < 0) {
		NL_SET_ERR_MSG_FMT(x->extack, "%s: no such PCI device", p2pf_ids(id).s);
		return -ENODEV;
	}
	if (fm_is_fabric(x->t.nodes[k].type)) {
		NL_SET_ERR_MSG_FMT(x->extack, "%s: a port or bridge is never assigned",
				   p2pf_ids(id).s);
		return -EINVAL;
	}
	return 0;
}

/*
 * What a node-by-node repair needs, allocated when deciding, so that the
 * commit itself cannot fail half way (nothing is committed on -ENOMEM).
 */
static int p2pf_repair_prepare(struct p2pf_txn *x)
{
	if (x->enforce) {
		x->failed = kvzalloc(max(x->t.n, 1U), GFP_KERNEL);
		if (!x->failed)
			return -ENOMEM;
	}
	x->left = kvmalloc_array(max(x->nv, 1U), sizeof(*x->left), GFP_KERNEL);
	return x->left ? 0 : -ENOMEM;
}

/**
 * p2pf_decide_show() - the current table's state, for answers
 * @x: a transaction
 *
 * Verdicts over the whole current table into x->t.v (x->nv of them); a
 * copy of the table in x->cur, so the answer can be built after
 * p2pf_txn_unlock().
 *
 * Return: 0 or -ENOMEM.
 */
int p2pf_decide_show(struct p2pf_txn *x)
{
	const struct p2pf_owners *cur = x->base;

	x->op = P2PF_OP_SHOW;
	x->cur = p2pf_owners_alloc(cur->n);
	if (!x->cur)
		return -ENOMEM;
	memcpy(x->cur->e, cur->e, cur->n * sizeof(cur->e[0]));
	p2pf_set_owners(x, cur);
	fm_audit(x->t.ctx, &x->pol, x->t.v, P2PF_MAX_VERDICTS, &x->t.nv, NULL);
	x->nv = p2pf_topo_nv(&x->t);
	return 0;
}

/**
 * p2pf_decide_assign() - decide giving @id to @tenant
 * @x: a write transaction
 * @id: the device
 * @tenant: >= 1
 *
 * Return: 0 (go on with p2pf_commit()), -EXDEV refused,
 * -EBUSY another tenant's, -ENODEV, -EINVAL, -ENOMEM.
 */
int p2pf_decide_assign(struct p2pf_txn *x, u32 id, u32 tenant)
{
	const struct p2pf_owners *cur = x->base;
	int ret;

	x->op = P2PF_OP_ASSIGN;
	x->id = id;
	x->tenant = tenant;
	ret = p2pf_find_dev(x, id, &x->idx);
	if (ret)
		return ret;
	x->owner = p2pf_owner_of(cur, id);
	if (x->owner && x->owner != tenant) {
		NL_SET_ERR_MSG_FMT(x->extack, "%s: owned by tenant %u",
				   p2pf_ids(id).s, x->owner);
		return -EBUSY;
	}
	p2pf_set_owners(x, cur);
	ret = fm_check_assign(x->t.ctx, &x->pol, x->idx, tenant, x->t.v,
			      P2PF_MAX_VERDICTS, &x->t.nv, x->t.need);
	if (ret && ret != -E2BIG) {
		NL_SET_ERR_MSG_FMT(x->extack, "engine error %d", ret);
		return -EIO;
	}
	/* enforce: every verdict left is acs-disabled, fixed by the commit */
	x->nv = x->enforce ? 0 : p2pf_topo_nv(&x->t);
	ret = p2pf_refuse_unfixable(x, id);
	if (ret)
		return ret;
	x->nown = p2pf_owners_with(cur, id, tenant);
	return x->nown ? 0 : -ENOMEM;
}

/**
 * p2pf_decide_release() - decide giving @id back to the host
 * @x: a write transaction
 * @id: the device (it may be gone: its entry can still be released)
 *
 * Refused when a remaining assignment would become unfenceable because
 * the device turns into a host-owned peer.
 *
 * Return: 0 (x->nown NULL when it is the host's already: nothing to do),
 * -EXDEV refused, -ENODEV, -EINVAL, -ENOMEM.
 */
int p2pf_decide_release(struct p2pf_txn *x, u32 id)
{
	const struct p2pf_owners *cur = x->base;
	struct fm_verdict *before;
	u32 nb;
	int ret;

	x->op = P2PF_OP_RELEASE;
	x->id = id;
	x->owner = p2pf_owner_of(cur, id);
	x->idx = fm_find(x->t.ctx, id);
	/* an entry whose device is gone can still be released */
	if (x->idx >= 0 || !x->owner) {
		ret = p2pf_find_dev(x, id, &x->idx);
		if (ret)
			return ret;
	}
	if (!x->owner)
		return 0;	/* the host's already */
	x->nown = p2pf_owners_with(cur, id, 0);
	if (!x->nown)
		return -ENOMEM;
	if (x->idx < 0)
		return 0;

	p2pf_set_owners(x, cur);
	fm_audit(x->t.ctx, &x->pol, x->t.v, P2PF_MAX_VERDICTS, &x->t.nv, NULL);
	nb = x->t.nv;
	before = kvmalloc_array(max(p2pf_topo_nv(&x->t), 1U), sizeof(*before), GFP_KERNEL);
	if (!before)
		return -ENOMEM;
	memcpy(before, x->t.v, p2pf_topo_nv(&x->t) * sizeof(*before));
	p2pf_set_owners(x, x->nown);
	fm_audit(x->t.ctx, &x->pol, x->t.v, P2PF_MAX_VERDICTS, &x->t.nv, x->t.need);
	x->nv = p2pf_topo_nv(&x->t);
	ret = 0;
	if (x->enforce && (nb > P2PF_MAX_VERDICTS ||
			   x->t.nv > P2PF_MAX_VERDICTS)) {
		/* verdicts were lost: what the release breaks is unknown */
		NL_SET_ERR_MSG_FMT(x->extack, "%u verdicts, more than can be compared",
				   x->t.nv);
		ret = -EXDEV;
	} else if (x->enforce) {
		u32 n = min_t(u32, nb, P2PF_MAX_VERDICTS);

		/* counted first: t.v and the need stay for the commit's repair */
		if (p2pf_keep_unfixable(x, before, n, false)) {
			x->nrefused = p2pf_keep_unfixable(x, before, n, true);
			x->refused = true;
			p2pf_verdict_msg(x, &x->t.v[0]);
			ret = -EXDEV;
		}
	}
	kvfree(before);
	return ret ?: p2pf_repair_prepare(x);
}

/**
 * p2pf_decide_apply() - decide making the table equal @nown
 * @x: a write transaction
 * @nown: sorted, unique; ownership passes to @x
 *
 * Return: 0, -EXDEV refused, -ENODEV, -EINVAL.
 */
int p2pf_decide_apply(struct p2pf_txn *x, struct p2pf_owners *nown)
{
	u32 i;

	x->op = P2PF_OP_APPLY;
	x->nown = nown;
	for (i = 0; i < nown->n; i++) {
		s32 k;
		int ret = p2pf_find_dev(x, nown->e[i].id, &k);

		if (ret)
			return ret;
	}
	p2pf_set_owners(x, nown);
	fm_audit(x->t.ctx, &x->pol, x->t.v, P2PF_MAX_VERDICTS, &x->t.nv, x->t.need);
	x->nv = x->enforce ? 0 : p2pf_topo_nv(&x->t);
	return p2pf_refuse_unfixable(x, P2PF_NO_ID);
}

/**
 * p2pf_decide_audit() - re-read the hardware over the current table
 * @x: a write transaction
 * @why: names the trigger in log lines ("audit", "hotplug", ...)
 *
 * Return: 0 or -ENOMEM (nothing written).
 */
int p2pf_decide_audit(struct p2pf_txn *x, const char *why)
{
	x->op = P2PF_OP_AUDIT;
	x->why = why;
	p2pf_set_owners(x, x->base);
	fm_audit(x->t.ctx, &x->pol, x->t.v, P2PF_MAX_VERDICTS, &x->t.nv, x->t.need);
	x->nv = p2pf_topo_nv(&x->t);
	return p2pf_repair_prepare(x);
}

/**
 * p2pf_txn_fenced() - is the tenant device at @idx fenced in this snapshot?
 * @x: after p2pf_decide_show()
 * @idx: a node, or -1
 *
 * Return: true when it has an owner and no verdict names it.
 */
bool p2pf_txn_fenced(const struct p2pf_txn *x, s32 idx)
{
	u32 i;

	if (idx < 0 || !x->t.owner[idx])
		return false;
	for (i = 0; i < x->nv; i++)
		if (x->t.v[i].dev == idx)
			return false;
	return true;
}

/**
 * p2pf_txn_owner() - the owner of node @idx in the engine's table
 * @x: a decided transaction
 * @idx: a node, or -1
 *
 * Return: the tenant, 0 for the host.
 */
u32 p2pf_txn_owner(const struct p2pf_txn *x, s32 idx)
{
	return idx >= 0 ? x->t.owner[idx] : 0;
}

/**
 * p2pf_decision_free() - free what deciding allocated, and the snapshot
 * @x: a transaction, decided or not
 */
void p2pf_decision_free(struct p2pf_txn *x)
{
	kvfree(x->failed);
	kvfree(x->left);
	kvfree(x->cur);
	kvfree(x->nown);
	p2pf_topo_free(&x->t);
}
