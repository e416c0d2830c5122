// SPDX-License-Identifier: GPL-2.0
/*
 * decide.c - the core's decisions: what a transaction would make of the
 * owner table, and whether the hardware can fence it.
 *
 * Pure: each p2pf_decide_*() reads the snapshot in x->t and the table it
 * was taken with (x->base), asks the engine, and leaves the answer in the
 * transaction -- the would-be table (x->nown), the verdicts (x->t.v, x->nv),
 * the bits to program (x->t.need), a refusal's reason (extack) and what
 * its event carries (x->refused, x->nrefused), the hand-over of every
 * device that changes owner (x->plan). Nothing is written, locked or sent
 * here -- but for a history record reserved for each device handed over,
 * so that the commit cannot fail to record it (an unused one is dropped
 * when the transaction ends); fence.c does the rest with what was decided. So the decisions
 * run under KUnit on tables (kunit/core_test.c) as they run on live PCI.
 */
#include <linux/err.h>
#include <linux/slab.h>
#include <linux/timekeeping.h>
#include <net/netlink.h>

#include "compat.h"
#include "decide.h"
#include "owners.h"
#include "quirk_trust.h"
#include <linux/p2pfence.h>

/* "DDDD:BB:DD.F: owned by tenant NAME" fits an extack (80 bytes) */
#define P2PF_OWNED_BY	"%s: owned by tenant %.44s"

/* Install @o as the engine's owners. */
static void p2pf_set_owners(struct p2pf_txn *x, const struct p2pf_owners *o)
{
	p2pf_owners_fill(o, &x->t, x->t.owner);
	/* cannot fail: p2pf_owners_fill() gives fabric nodes no owner */
	WARN_ON(fm_set_owners(x->t.ctx, x->t.owner));
}

/**
 * p2pf_no_reset_why() - the name of a no-reset reason (the spec's)
 * @why: enum p2pfence_no_reset_why
 *
 * Return: "no-method", "bus-shared", "driver", "failed", or "".
 */
const char *p2pf_no_reset_why(u32 why)
{
	static const char *const names[] = {
		[P2PFENCE_NO_RESET_WHY_NO_METHOD] = "no-method",
		[P2PFENCE_NO_RESET_WHY_BUS_SHARED] = "bus-shared",
		[P2PFENCE_NO_RESET_WHY_DRIVER] = "driver",
		[P2PFENCE_NO_RESET_WHY_FAILED] = "failed",
	};

	return why < ARRAY_SIZE(names) && names[why] ? names[why] : "";
}

/*
 * What the kernel believed at an acs-faked verdict's node, short enough for
 * an extack after "DDDD:BB:DD.F: acs-faked at DDDD:BB:DD.F: " (80 bytes in
 * all): "no ACS; quirk/override isolates", "ACS lacks RR CR; quirk/override
 * isolates" (implemented bits off: the kernel's own check fails, so only a
 * quirk or the override split the groups), or "unimplemented SV taken as
 * on" (pci_acs_flags_enabled() masks its request with the capability).
 */
static void p2pf_faked_msg(const struct p2pf_txn *x, const struct fm_verdict *v,
			   u64 dev, u64 at)
{
	const struct fm_node *nd = &x->t.nodes[v->at];
	char bits[24];

	fm_acs_bits_str(v->missing, bits, sizeof(bits));
	if (p2pf_faked_why(nd) == P2PFENCE_FAKED_WHY_UNIMPLEMENTED)
		NL_SET_ERR_MSG_FMT(x->extack, "%s: acs-faked at %s: unimplemented %s taken as on",
				   p2pf_ids(dev).s, p2pf_ids(at).s, bits);
	else if (!(nd->flags & FM_NODE_ACS))
		NL_SET_ERR_MSG_FMT(x->extack, "%s: acs-faked at %s: %s",
				   p2pf_ids(dev).s, p2pf_ids(at).s,
				   "no ACS; quirk/override isolates");
	else
		NL_SET_ERR_MSG_FMT(x->extack, "%s: acs-faked at %s: ACS lacks %s; quirk/override",
				   p2pf_ids(dev).s, p2pf_ids(at).s, bits);
}

/*
 * The extack text of a verdict: "DEV: KIND at AT (peer PEER)[: WHY]"; for
 * acs-faked, what the kernel believed instead of the peer (p2pf_faked_msg()).
 */
static void p2pf_verdict_msg(const struct p2pf_txn *x, const struct fm_verdict *v)
{
	u64 dev = p2pf_topo_id(&x->t, v->dev), at = p2pf_topo_id(&x->t, v->at);
	const char *kind = fm_kind_name(v->kind) ?: "unknown";
	bool ats = v->kind == FM_ATS_ENABLED;
	const char *why = v->kind == FM_NO_RESET ? p2pf_no_reset_why(v->missing) :
			  ats ? fm_ats_why(v->at == v->dev, v->peer >= 0) : "";
	const char *sep = *why ? ": " : "";
	s32 vmd = fm_verdict_vmd(x->t.nodes, v);

	if (v->kind == FM_ACS_FAKED) {
		p2pf_faked_msg(x, v, dev, at);
		return;
	}

	/* one requester id for a VMD and all behind it (extack: 80 bytes) */
	if (vmd >= 0 && vmd == v->dev)
		NL_SET_ERR_MSG_FMT(x->extack, "%s: %s: %s is behind VMD %s", p2pf_ids(dev).s,
				   kind, p2pf_ids(p2pf_topo_id(&x->t, v->peer)).s,
				   p2pf_ids(dev).s);
	else if (vmd >= 0 && vmd == v->peer)
		NL_SET_ERR_MSG_FMT(x->extack, "%s: %s: behind VMD %s", p2pf_ids(dev).s,
				   kind, p2pf_ids(p2pf_topo_id(&x->t, vmd)).s);
	else if (vmd >= 0)
		NL_SET_ERR_MSG_FMT(x->extack, "%s: %s: behind VMD %s (peer %s)",
				   p2pf_ids(dev).s, kind,
				   p2pf_ids(p2pf_topo_id(&x->t, vmd)).s,
				   p2pf_ids(p2pf_topo_id(&x->t, v->peer)).s);
	else if (v->peer >= 0)
		NL_SET_ERR_MSG_FMT(x->extack, "%s: %s at %s (peer %s)%s%s",
				   p2pf_ids(dev).s, kind, p2pf_ids(at).s,
				   p2pf_ids(p2pf_topo_id(&x->t, v->peer)).s, sep, why);
	else
		NL_SET_ERR_MSG_FMT(x->extack, "%s: %s at %s%s%s",
				   p2pf_ids(dev).s, kind, p2pf_ids(at).s, sep, why);
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
		if (fm_kind_fixable(v->kind) || fm_waived(v) || old)
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
static int p2pf_refuse_unfixable(struct p2pf_txn *x, u64 id)
{
	u32 i, nv = p2pf_topo_nv(&x->t);
	const struct fm_verdict *bad = NULL;

	if (!x->enforce)
		return 0;
	for (i = 0; i < nv && !bad; i++)
		if (!fm_kind_fixable(x->t.v[i].kind) && !fm_waived(&x->t.v[i]))
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
 * p2pf_verdicts_waived_first() - stable partition by the quirk opt-in
 * @v: verdicts
 * @n: how many
 * @waived: move the waived ones (fm_waived()) to the front, else the others
 *
 * Return: how many were moved to the front.
 */
u32 p2pf_verdicts_waived_first(struct fm_verdict *v, u32 n, bool waived)
{
	struct fm_verdict tmp;
	u32 i, k = 0;

	for (i = 0; i < n; i++) {
		if (fm_waived(&v[i]) != waived)
			continue;
		tmp = v[i];
		memmove(&v[k + 1], &v[k], (i - k) * sizeof(tmp));
		v[k++] = tmp;
	}
	return k;
}

/*
 * Enforce mode: the verdicts an assignment's answer carries are the waived
 * ones (the operator's quirk opt-in: reported, never refusing), moved to
 * the front of t.v. Return: how many.
 */
static u32 p2pf_waived_first(struct p2pf_txn *x)
{
	return p2pf_verdicts_waived_first(x->t.v, p2pf_topo_nv(&x->t), true);
}

/**
 * p2pf_find_dev() - the node of an assignable device
 * @x: a transaction
 * @id: the device
 * @idx: its node, -1 when absent
 *
 * Return: 0, -ENODEV when absent, -EINVAL for a port or bridge (explained).
 */
int p2pf_find_dev(struct p2pf_txn *x, u64 id, s32 *idx)
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

/* Add a no-reset verdict to t.v, counted past the buffer as the engine's are. */
static void p2pf_add_no_reset(struct p2pf_txn *x, const struct p2pf_plan *p,
			      s32 peer, u16 why)
{
	if (x->t.nv < P2PF_MAX_VERDICTS)
		x->t.v[x->t.nv] = (struct fm_verdict){
			.kind = FM_NO_RESET, .missing = why, .dev = p->idx,
			.peer = peer, .at = p->at < 0 ? p->idx : p->at,
		};
	x->t.nv++;
}

/*
 * How @p's device can be reset for its new tenant under the would-be table
 * @nown: its own reset method (the kernel's first); else a reset of its
 * secondary bus (or slot), when every other device below that bridge goes
 * to the same tenant and no bridge sits there -- never one that would
 * reset another owner's device or a port.
 * Sets p->at and p->method. Return: 0, or enum p2pfence_no_reset_why (with
 * *@peer for bus-shared).
 */
static u16 p2pf_reset_way(const struct p2pf_txn *x, struct p2pf_plan *p,
			  const struct p2pf_owners *nown, s32 *peer)
{
	const struct p2pf_topo *t = &x->t;
	const struct p2pf_rst *r = &t->rst[p->idx];
	s32 up = t->nodes[p->idx].parent;
	u32 j;

	*peer = -1;
	p->at = p->idx;
	if (r->method) {
		p->method = r->method;
		return 0;
	}
	if (!(r->flags & P2PF_RST_BUS) || up < 0)
		return P2PFENCE_NO_RESET_WHY_NO_METHOD;
	for (j = 0; j < t->n; j++) {
		if (j == p->idx || !p2pf_topo_below(t, j, up))
			continue;
		/* a port or bridge below would be reset too: not for one tenant */
		if (fm_is_fabric(t->nodes[j].type))
			return P2PFENCE_NO_RESET_WHY_NO_METHOD;
		if (p2pf_owner_of(nown, t->nodes[j].id) != p->tenant) {
			p->at = up;
			*peer = j;
			return P2PFENCE_NO_RESET_WHY_BUS_SHARED;
		}
	}
	p->at = up;
	p->method = P2PFENCE_RESET_METHOD_BUS;
	return 0;
}

/*
 * One device changing owner: the plan of its hand-over. A reset is due
 * when another tenant's state may still be on it (its history's dirty).
 * Enforce mode plans the reset; a hand-over that cannot be reset gets a
 * no-reset verdict, unless the assignment accepts it (then, as in audit
 * mode, it passes unreset and shows so).
 */
static void p2pf_plan_one(struct p2pf_txn *x, struct p2pf_plan *p,
			  const struct p2pf_owners *nown)
{
	const struct p2pf_hist *h = p2pf_hist_of(p->id);
	bool clean = false;
	s32 peer;
	u32 i;
	u16 why;

	p->at = -1;
	p->after = *h;
	p->after.last = p->tenant;
	p->after.unreset = false;
	/* reset by this transaction (it decides again after resetting) */
	for (i = 0; i < x->nrdone; i++)
		clean |= x->rdone[i] == p->id;
	if (h->dirty && h->dirty != p->tenant && !clean) {
		why = p2pf_reset_way(x, p, nown, &peer);
		if (!why && x->enforce) {
			p->after.reset_for = p->tenant;
			p->after.method = p->method;
			p->after.reset_time = ktime_get_real_seconds();
		} else {
			if (why && !x->accept_unreset)
				p2pf_add_no_reset(x, p, peer, why);
			p->at = -1;
			p->method = 0;
			p->after.unreset = true;
		}
	}
	/* after an unreset hand-over, more than one tenant's state may be on it */
	p->after.dirty = p->after.unreset ? P2PF_HIST_MANY : p->tenant;
}

/*
 * The hand-overs of @nown against the table the transaction started from:
 * a plan for each device that is on the host and changes owner (to a
 * tenant), with its history reserved so the commit cannot fail to record.
 */
static int p2pf_plan_handovers(struct p2pf_txn *x, const struct p2pf_owners *nown)
{
	u32 i;
	int ret;

	x->plan = kvcalloc(max(nown->n, 1U), sizeof(*x->plan), GFP_KERNEL);
	if (!x->plan)
		return -ENOMEM;
	for (i = 0; i < nown->n; i++) {
		const struct p2pf_owner *e = &nown->e[i];
		struct p2pf_plan *p = &x->plan[x->nplan];
		s32 idx = fm_find(x->t.ctx, e->id);

		if (idx < 0 || p2pf_owner_of(x->base, e->id) == e->tenant)
			continue;
		ret = p2pf_hist_reserve(e->id);
		if (ret)
			return ret;
		*p = (struct p2pf_plan){ .id = e->id, .idx = idx, .tenant = e->tenant };
		p2pf_plan_one(x, p, nown);
		x->nplan++;
	}
	return 0;
}

/**
 * p2pf_decide_show() - the current table's state, for answers
 * @x: a transaction
 *
 * Verdicts over the whole current table into x->t.v (x->nv of them); a
 * copy of the table in x->cur, of every node's history in x->hshow and of
 * the tenant names in x->names, so the answer can be built after
 * p2pf_txn_unlock().
 *
 * Return: 0 or -ENOMEM.
 */
int p2pf_decide_show(struct p2pf_txn *x)
{
	const struct p2pf_owners *cur = x->base;
	u32 i;

	x->op = P2PF_OP_SHOW;
	x->cur = p2pf_owners_alloc(cur->n);
	if (!x->cur)
		return -ENOMEM;
	memcpy(x->cur->e, cur->e, cur->n * sizeof(cur->e[0]));
	p2pf_set_owners(x, cur);
	fm_audit(x->t.ctx, &x->pol, x->t.v, P2PF_MAX_VERDICTS, &x->t.nv, NULL);
	x->nv = p2pf_topo_nv(&x->t);
	/* histories, for answers built after the lock is gone (dumps) */
	x->hshow = kvcalloc(x->t.n, sizeof(*x->hshow), GFP_KERNEL);
	if (!x->hshow)
		return -ENOMEM;
	for (i = 0; i < x->t.n; i++) {
		const struct p2pf_hist *h = p2pf_hist_of(x->t.nodes[i].id);

		if (h)
			x->hshow[i] = *h;
	}
	x->names = p2pf_tenants_copy(&x->nnames);
	if (IS_ERR(x->names)) {
		x->names = NULL;
		return -ENOMEM;
	}
	return p2pf_trust_copy(&x->tshow);
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
int p2pf_decide_assign(struct p2pf_txn *x, u64 id, u32 tenant)
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
		NL_SET_ERR_MSG_FMT(x->extack, P2PF_OWNED_BY,
				   p2pf_ids(id).s, p2pf_tenant_str(x->owner).s);
		return -EBUSY;
	}
	p2pf_set_owners(x, cur);
	ret = fm_check_assign(x->t.ctx, &x->pol, x->idx, tenant, x->t.v,
			      P2PF_MAX_VERDICTS, &x->t.nv, x->t.need);
	if (ret && ret != -E2BIG) {
		NL_SET_ERR_MSG_FMT(x->extack, "engine error %d", ret);
		return -EIO;
	}
	x->nown = p2pf_owners_with(cur, id, tenant);
	if (!x->nown)
		return -ENOMEM;
	ret = p2pf_plan_handovers(x, x->nown);
	if (ret)
		return ret;
	/* enforce: every verdict left is acs-disabled (the commit fixes it) or waived */
	x->nv = x->enforce ? p2pf_waived_first(x) : p2pf_topo_nv(&x->t);
	return p2pf_refuse_unfixable(x, id);
}

/*
 * A change's would-be table x->nown under the policy in x->pol against the
 * current table under @now: refused in enforce mode when it would leave an
 * assignment unfenceable that was not before (a released device turns into
 * a host-owned peer; a trust change moves TB). t.v and the need stay for
 * the commit.
 */
static int p2pf_change_check(struct p2pf_txn *x, const struct fm_policy *now)
{
	struct fm_policy would = x->pol;
	struct fm_verdict *before;
	u32 nb;
	int ret = 0;

	x->pol = *now;
	p2pf_set_owners(x, x->base);
	fm_audit(x->t.ctx, &x->pol, x->t.v, P2PF_MAX_VERDICTS, &x->t.nv, NULL);
	nb = x->t.nv;
	before = kvmalloc_array(max(p2pf_topo_nv(&x->t), 1U), sizeof(*before), GFP_KERNEL);
	if (!before)
		return -ENOMEM;
	memcpy(before, x->t.v, p2pf_topo_nv(&x->t) * sizeof(*before));
	x->pol = would;
	p2pf_set_owners(x, x->nown);
	fm_audit(x->t.ctx, &x->pol, x->t.v, P2PF_MAX_VERDICTS, &x->t.nv, x->t.need);
	x->nv = p2pf_topo_nv(&x->t);
	if (x->enforce && (nb > P2PF_MAX_VERDICTS ||
			   x->t.nv > P2PF_MAX_VERDICTS)) {
		/* verdicts were lost: what the change breaks is unknown */
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
	return ret;
}

/* A release's would-be table against the current one (p2pf_change_check()). */
static int p2pf_release_check(struct p2pf_txn *x)
{
	return p2pf_change_check(x, &x->pol) ?: p2pf_repair_prepare(x);
}

/*
 * May @id, owned by @owner, be released by this request? Only by the
 * tenant that owns it, when the request names one (x->cond).
 */
static int p2pf_release_allowed(struct p2pf_txn *x, u64 id, u32 owner)
{
	struct p2pf_tstr o, c;

	if (!x->cond || !owner || owner == x->cond)
		return 0;
	o = p2pf_tenant_str(owner);
	c = p2pf_tenant_str(x->cond);
	/* both, when they fit an extack (80 bytes; names may have 63) */
	if (strlen(o.s) + strlen(c.s) <= 36)
		NL_SET_ERR_MSG_FMT(x->extack, "%s: owned by tenant %s, not %s",
				   p2pf_ids(id).s, o.s, c.s);
	else
		NL_SET_ERR_MSG_FMT(x->extack, P2PF_OWNED_BY, p2pf_ids(id).s, o.s);
	return -EBUSY;
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
 * -EXDEV refused, -EBUSY another tenant's (with x->cond), -ENODEV, -EINVAL,
 * -ENOMEM.
 */
int p2pf_decide_release(struct p2pf_txn *x, u64 id)
{
	const struct p2pf_owners *cur = x->base;
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
	ret = p2pf_release_allowed(x, id, x->owner);
	if (ret || !x->owner)
		return ret;	/* refused, or the host's already */
	x->nown = p2pf_owners_with(cur, id, 0);
	if (!x->nown)
		return -ENOMEM;
	if (x->idx < 0)
		return 0;
	return p2pf_release_check(x);
}

/* @req's ids given to @tenant (0: the host) in a copy of the base table. */
static struct p2pf_owners *p2pf_owners_moved(const struct p2pf_owners *base,
					     const struct p2pf_owners *req, u32 tenant)
{
	struct p2pf_owners *o = p2pf_owners_alloc(base->n), *n;
	u32 i;

	if (o)
		memcpy(o->e, base->e, base->n * sizeof(base->e[0]));
	for (i = 0; o && i < req->n; i++) {
		n = p2pf_owners_with(o, req->e[i].id, tenant);
		kvfree(o);
		o = n;
	}
	return o;
}

/**
 * p2pf_decide_assign_many() - decide giving every device of @req to @tenant
 * @x: a write transaction
 * @req: the devices (sorted, unique; tenants unused); ownership passes to @x
 * @tenant: >= 1
 *
 * One transaction: only those devices change owner; all fenced (or, in
 * audit mode, recorded) or nothing changed. Each device is judged against
 * the would-be table, the others already @tenant's: two devices behind an
 * ACS-less switch can go to one tenant together.
 *
 * Return: as p2pf_decide_assign(); -EBUSY names the first device another
 * tenant owns.
 */
int p2pf_decide_assign_many(struct p2pf_txn *x, struct p2pf_owners *req, u32 tenant)
{
	u32 i, total = 0;
	int ret;

	x->req = req;
	if (req->n == 1)
		return p2pf_decide_assign(x, req->e[0].id, tenant);
	x->op = P2PF_OP_ASSIGN;
	x->id = P2PF_NO_ID;
	x->tenant = tenant;
	for (i = 0; i < req->n; i++) {
		u64 id = req->e[i].id;
		u32 owner = p2pf_owner_of(x->base, id);
		s32 k;

		ret = p2pf_find_dev(x, id, &k);
		if (ret)
			return ret;
		if (owner && owner != tenant) {
			NL_SET_ERR_MSG_FMT(x->extack, P2PF_OWNED_BY,
					   p2pf_ids(id).s, p2pf_tenant_str(owner).s);
			return -EBUSY;
		}
	}
	x->nown = p2pf_owners_moved(x->base, req, tenant);
	if (!x->nown)
		return -ENOMEM;
	p2pf_set_owners(x, x->nown);
	for (i = 0; i < req->n; i++) {
		u32 at = min_t(u32, total, P2PF_MAX_VERDICTS), nv = 0;

		ret = fm_check_assign(x->t.ctx, &x->pol, fm_find(x->t.ctx, req->e[i].id),
				      tenant, x->t.v + at, P2PF_MAX_VERDICTS - at, &nv,
				      x->t.need);
		if (ret && ret != -E2BIG) {
			NL_SET_ERR_MSG_FMT(x->extack, "engine error %d", ret);
			return -EIO;
		}
		total += nv;
	}
	x->t.nv = total;
	ret = p2pf_plan_handovers(x, x->nown);
	if (ret)
		return ret;
	x->nv = x->enforce ? p2pf_waived_first(x) : p2pf_topo_nv(&x->t);
	return p2pf_refuse_unfixable(x, P2PF_NO_ID);
}

/**
 * p2pf_decide_release_many() - decide giving every device of @req back
 * @x: a write transaction
 * @req: the devices (sorted, unique); ownership passes to @x
 * @cond: 0, or the tenant that must own each device that is not the
 *	host's (x->cond): another tenant's device refuses the whole request
 *
 * A device that is the host's already is left as it is (success: hooks
 * that release are idempotent).
 *
 * Return: as p2pf_decide_release().
 */
int p2pf_decide_release_many(struct p2pf_txn *x, struct p2pf_owners *req, u32 cond)
{
	u32 i, owned = 0;
	int ret;

	x->req = req;
	x->cond = cond;
	if (req->n == 1)
		return p2pf_decide_release(x, req->e[0].id);
	x->op = P2PF_OP_RELEASE;
	x->id = P2PF_NO_ID;
	for (i = 0; i < req->n; i++) {
		u64 id = req->e[i].id;
		u32 owner = p2pf_owner_of(x->base, id);
		s32 k;

		/* an entry whose device is gone can still be released */
		if (fm_find(x->t.ctx, id) >= 0 || !owner) {
			ret = p2pf_find_dev(x, id, &k);
			if (ret)
				return ret;
		}
		ret = p2pf_release_allowed(x, id, owner);
		if (ret)
			return ret;
		owned += !!owner;
	}
	if (!owned)
		return 0;	/* all the host's already */
	x->nown = p2pf_owners_moved(x->base, req, 0);
	if (!x->nown)
		return -ENOMEM;
	return p2pf_release_check(x);
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
	int ret;
	u32 i;

	x->op = P2PF_OP_APPLY;
	x->id = P2PF_NO_ID;	/* a whole table */
	x->nown = nown;
	if (x->trust_set) {
		/* judged under the trust the apply leaves (apply's trusted entries) */
		x->pol.n_ats_tenants = x->trust.n;
		x->pol.ats_tenants = x->trust.v;
	}
	for (i = 0; i < nown->n; i++) {
		s32 k;

		ret = p2pf_find_dev(x, nown->e[i].id, &k);
		if (ret)
			return ret;
	}
	p2pf_set_owners(x, nown);
	fm_audit(x->t.ctx, &x->pol, x->t.v, P2PF_MAX_VERDICTS, &x->t.nv, x->t.need);
	ret = p2pf_plan_handovers(x, nown);
	if (ret)
		return ret;
	x->nv = x->enforce ? p2pf_waived_first(x) : p2pf_topo_nv(&x->t);
	return p2pf_refuse_unfixable(x, P2PF_NO_ID);
}

/**
 * p2pf_decide_trust() - decide setting or clearing @tenant's ATS trust
 * @x: a write transaction
 * @tenant: >= 1
 * @on: trust (the same-tenant GPUDirect opt-in) or not
 *
 * The current table judged under the would-be trust set against the trust
 * that stands: refused in enforce mode only for what the change itself
 * makes unfixable (clearing it: the tenant's devices behind ports that
 * cannot block translated requests; setting it: another owner's device
 * whose port's TB would now cut the trusted tenant's ATS), never for
 * verdicts that stand either way. The commit sets TB where it is needed.
 *
 * Return: 0, -EXDEV refused, -ENOSPC too many tenants trusted, -ENOMEM.
 */
int p2pf_decide_trust(struct p2pf_txn *x, u32 tenant, bool on)
{
	struct fm_policy now = x->pol;
	int ret;

	ret = p2pf_trust_with(p2pf_trust_cur(), tenant, on, &x->trust);
	if (ret == -ENOSPC)
		NL_SET_ERR_MSG_FMT(x->extack, "more than %u tenants trusted with ATS",
				   P2PF_TRUST_MAX);
	if (ret)
		return ret;
	x->trust_set = true;
	/* committed as an apply of the table as it is */
	x->op = P2PF_OP_APPLY;
	x->id = P2PF_NO_ID;
	x->tenant = tenant;	/* the refused event names it */
	x->nown = p2pf_owners_alloc(x->base->n);
	if (!x->nown)
		return -ENOMEM;
	memcpy(x->nown->e, x->base->e, x->base->n * sizeof(x->nown->e[0]));
	x->pol.n_ats_tenants = x->trust.n;
	x->pol.ats_tenants = x->trust.v;
	return p2pf_change_check(x, &now);
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
 * p2pf_txn_fenced() - is the device at @idx fenced under this decision?
 * @x: a decided transaction
 * @idx: a node, or -1
 * @tenant: its owner under the decision (0: the host, never fenced)
 * @nv: the verdicts in x->t.v that stand (an enforce-mode assign: 0, the
 *	commit fixes every verdict it left)
 *
 * Return: true when it has an owner and no standing verdict names it --
 * false when verdicts were lost past the buffer (not known: fail closed).
 */
bool p2pf_txn_fenced(const struct p2pf_txn *x, s32 idx, u32 tenant, u32 nv)
{
	u32 i;

	if (!tenant || idx < 0 || !p2pf_topo_stored(&x->t))
		return false;
	for (i = 0; i < nv; i++)
		if (x->t.v[i].dev == idx && !fm_waived(&x->t.v[i]))
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
	kvfree(x->plan);
	x->plan = NULL;
	x->nplan = 0;
	kvfree(x->hshow);
	x->hshow = NULL;
	kvfree(x->names);
	x->names = NULL;
	x->nnames = 0;
	kvfree(x->failed);
	x->failed = NULL;
	kvfree(x->left);
	x->left = NULL;
	kvfree(x->cur);
	x->cur = NULL;
	kvfree(x->nown);
	x->nown = NULL;
	p2pf_trust_free(&x->tshow);
	p2pf_topo_free(&x->t);
}

/**
 * p2pf_txn_hist() - a device's history as the answer shows it
 * @x: a decided transaction
 * @id: the device
 *
 * Return: what the commit records for a device this transaction hands
 * over, else what is remembered now; NULL when nothing is.
 */
const struct p2pf_hist *p2pf_txn_hist(const struct p2pf_txn *x, u64 id)
{
	u32 i;

	const struct p2pf_hist *h;
	s32 k;

	for (i = 0; i < x->nplan; i++)
		if (x->plan[i].id == id)
			return &x->plan[i].after;
	if (!x->hshow)
		return p2pf_hist_of(id);	/* under the core's lock */
	k = fm_find(x->t.ctx, id);
	h = k >= 0 ? &x->hshow[k] : NULL;
	return h && (h->last || h->reset_for) ? h : NULL;
}

/**
 * p2pf_txn_tname() - the name of tenant @tenant as the answer shows it
 * @x: a decided transaction
 * @tenant: a tenant (0: the host)
 *
 * Return: its name, or NULL when it has none. A show answers from its
 * copy (built after the lock is gone), others under the core's lock.
 */
const char *p2pf_txn_tname(const struct p2pf_txn *x, u32 tenant)
{
	if (tenant < P2PFENCE_TENANT_NAMED_MIN || tenant == P2PF_HIST_MANY)
		return NULL;
	if (x->hshow)
		return p2pf_tenants_find(x->names, x->nnames, tenant);
	return p2pf_tenant_name(tenant);
}
