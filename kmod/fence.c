// SPDX-License-Identifier: GPL-2.0
/*
 * fence.c - the transaction core.
 *
 * Every netlink operation and every re-check of the watch is one
 * transaction, and goes the same way:
 *
 *   snapshot  p2pf_txn_begin(): the core's lock, then the PCI rescan lock
 *             (no device comes or goes), and a fresh model of live PCI;
 *   decide    p2pf_decide_*() (decide.c): the would-be owner table and
 *             the engine's verdicts over it -- pure, nothing written; a
 *             refusal is explained (extack) and changes nothing;
 *   program   p2pf_commit(): the needed ACS bits, each read back. assign
 *             and apply are all or nothing (rolled back on any failure);
 *             release and audit (and so every re-check) program node by
 *             node and report each node that failed;
 *   commit    the new owner table replaces the old;
 *   events    one function per kind (events.c), from here only;
 *   end       p2pf_txn_end(): a refusal's `refused` event; a write
 *             transaction leaves the guard covering exactly the ports the
 *             committed table needs, and the module pinned while tenants
 *             are assigned.
 *
 * Lock order: p2pf_lock, then pci_lock_rescan_remove(), then the guard's
 * own lock. A PCI bus notifier runs under the rescan lock: it must not
 * start a transaction (the watch defers to a work item).
 *
 * Fail closed: the fence never clears an ACS bit -- not on release, not on
 * apply, not on unload. A redirect left on is a detour for host P2P traffic
 * at worst; a bit cleared while some assignment still needs it is a hole.
 */
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/pci.h>
#include <linux/slab.h>
#include <net/netlink.h>

#include "cfgguard.h"
#include "compat.h"
#include "decide.h"
#include "events.h"
#include "fence.h"
#include "handover.h"
#include "owners.h"
#include "quirk_trust.h"
#include <linux/p2pfence.h>

static DEFINE_MUTEX(p2pf_lock);	/* transactions, the owner table, the mode */
static u32 p2pf_mode = P2PFENCE_MODE_ENFORCE;
static bool p2pf_live;		/* the watch runs: the guard may be synced */
static bool p2pf_pinned;	/* a module reference for assigned tenants */
/* vendor:device pairs whose acs-faked the operator waives (sorted) */
static u32 p2pf_qtrust[P2PFENCE_QUIRK_TRUST_MAX];
static u32 p2pf_nqtrust;
bool p2pf_allow_ats;
bool p2pf_vfio_strict;
bool p2pf_allow_unload;

/* The ACS control bits that must stay clear at @nd. */
static u16 p2pf_clear_bits(const struct fm_node *nd)
{
	return (nd->flags & FM_NODE_EC_FENCE) ? PCI_ACS_DT : FM_MUST_CLEAR;
}

/**
 * p2pf_txn_begin() - take the locks and snapshot live PCI
 * @x: the transaction (this zeroes it)
 * @write: the transaction may change the table or the hardware
 * @extack: where to explain a failure (may be NULL)
 *
 * Whatever it returns, the caller ends the transaction with
 * p2pf_txn_end().
 *
 * Return: 0, or -errno when the model cannot be built (the locks are held).
 */
int p2pf_txn_begin(struct p2pf_txn *x, bool write,
		   struct netlink_ext_ack *extack)
{
	int ret;

	memset(x, 0, sizeof(*x));
	x->extack = extack;
	x->write = write;
	x->idx = -1;
	mutex_lock(&p2pf_lock);
	pci_lock_rescan_remove();
	x->locked = true;
	x->enforce = p2pf_mode == P2PFENCE_MODE_ENFORCE;
	x->pol.allow_ats = READ_ONCE(p2pf_allow_ats);
	x->pol.n_ats_tenants = p2pf_trust_cur()->n;
	x->pol.ats_tenants = p2pf_trust_cur()->v;
	x->base = p2pf_owners_cur();
	ret = p2pf_topo_build(&x->t);
	if (ret)
		NL_SET_ERR_MSG_FMT(extack, "cannot model the PCI topology (%d)", ret);
	else
		p2pf_topo_trust(&x->t, p2pf_qtrust, p2pf_nqtrust);
	return ret;
}

/*
 * Guard exactly the ports the committed table needs (enforce mode and the
 * guard on; otherwise none), and pin or unpin the module for the tenants.
 * Recomputed over the committed table: the transaction may have left a
 * would-be table in the engine.
 */
static void p2pf_sync_guard(struct p2pf_txn *x)
{
	const struct p2pf_owners *o = p2pf_owners_cur();
	bool guard = p2pf_mode == P2PFENCE_MODE_ENFORCE && p2pf_guard_enabled();
	struct p2pf_topo *t = &x->t;
	u32 i, nv;

	x->synced = true;
	if (!p2pf_live)
		return;		/* unloading: the watch's exit unguards */
	if (!p2pf_allow_unload && o->n && !p2pf_pinned) {
		__module_get(THIS_MODULE);
		p2pf_pinned = true;
	} else if ((p2pf_allow_unload || !o->n) && p2pf_pinned) {
		module_put(THIS_MODULE);
		p2pf_pinned = false;
	}
	if (!t->ctx) {
		/* no model: only dropping the guard is safe without one */
		if (!guard) {
			p2pf_guard_sync_begin();
			p2pf_guard_sync_end();
		}
		return;
	}
	p2pf_owners_fill(o, t, t->owner);
	if (fm_set_owners(t->ctx, t->owner))
		return;
	/* the committed trust, too: the transaction may have decided another */
	x->pol.n_ats_tenants = p2pf_trust_cur()->n;
	x->pol.ats_tenants = p2pf_trust_cur()->v;
	fm_audit(t->ctx, &x->pol, NULL, 0, &nv, t->need);

	p2pf_guard_sync_begin();
	for (i = 0; guard && i < t->n; i++) {
		const struct fm_node *nd = &t->nodes[i];
		struct pci_dev *pdev;
		int ret;

		if (!t->need[i])
			continue;
		pdev = pci_get_domain_bus_and_slot(FM_ID_DOMAIN(nd->id),
						   FM_ID_BUS(nd->id),
						   FM_ID_DEVFN(nd->id));
		if (!pdev)
			continue;
		ret = p2pf_guard_protect(pdev, t->need[i], p2pf_clear_bits(nd));
		if (ret)
			pci_warn(pdev, "p2pfence: cannot guard the fence bits (%d)\n", ret);
		pci_dev_put(pdev);
	}
	p2pf_guard_sync_end();
}

/**
 * p2pf_txn_unlock() - keep the snapshot, let go of the locks (dumps)
 * @x: a transaction that wrote nothing
 */
void p2pf_txn_unlock(struct p2pf_txn *x)
{
	if (!x->locked)
		return;
	WARN_ON_ONCE(x->write);
	/* the committed trust set may change once the lock is gone */
	x->pol.ats_tenants = NULL;
	x->pol.n_ats_tenants = 0;
	pci_unlock_rescan_remove();
	mutex_unlock(&p2pf_lock);
	x->locked = false;
}

/**
 * p2pf_txn_end() - sync the guard (write transactions), unlock, free
 * @x: from p2pf_txn_begin()
 */
void p2pf_txn_end(struct p2pf_txn *x)
{
	bool recheck = x->reset_tried && !x->committed;
	u32 i;

	if (x->refused)
		p2pf_ev_refused(&x->t, x->id,
				x->op == P2PF_OP_RELEASE ? (x->owner ?: x->cond) : x->tenant,
				x->t.v, x->nrefused);
	if (x->locked) {
		for (i = 0; i < x->nplan; i++)
			p2pf_hist_unreserve(x->plan[i].id);
		/* after every event: they name the tenants this forgets */
		if (x->write)
			p2pf_tenants_gc();
		/* a write that committed nothing: the pin and guard re-synced */
		if (x->write && !x->synced)
			p2pf_sync_guard(x);
		pci_unlock_rescan_remove();
		mutex_unlock(&p2pf_lock);
		x->locked = false;
	}
	p2pf_wlog_free(&x->log);
	p2pf_decision_free(x);
	kfree(x->rdone);
	kvfree(x->req);
	/* the request's, like req: kept when a hand-over decides again */
	p2pf_trust_free(&x->trust);
	/*
	 * Devices were reset, and the table did not commit: a reset restores
	 * the kernel's ACS defaults below a reset bridge, which the table that
	 * stands may need more of. Re-check it now, before anyone is answered.
	 */
	if (recheck)
		p2pf_recheck("hand-over");
}

/*
 * assigned / released for every device whose owner differs in @old, @new;
 * in audit mode an assigned event carries the device's verdicts
 */
static void p2pf_events_diff(const struct p2pf_txn *x,
			     const struct p2pf_owners *old,
			     const struct p2pf_owners *new)
{
	u32 i, nv = x->enforce ? 0 : x->nv;

	for (i = 0; i < old->n; i++)
		if (p2pf_owner_of(new, old->e[i].id) != old->e[i].tenant)
			p2pf_ev_released(old->e[i].id, old->e[i].tenant);
	for (i = 0; i < new->n; i++) {
		s32 k = fm_find(x->t.ctx, new->e[i].id);

		if (p2pf_owner_of(old, new->e[i].id) != new->e[i].tenant)
			p2pf_ev_assigned(&x->t, new->e[i].id, new->e[i].tenant,
					 x->t.v, k >= 0 ? nv : 0, k);
	}
}

/*
 * Node by node (release, audit, re-checks): one node that cannot be
 * programmed neither undoes nor stops the others; x->left gets what still
 * stands (unfixable verdicts, and fixable ones at a node that failed).
 */
static void p2pf_repair_all(struct p2pf_txn *x)
{
	if (x->enforce)
		x->nfail = p2pf_repair(&x->t, x->t.need, &x->log, x->failed);
	x->nleft = p2pf_verdicts_left(&x->t, x->nv, x->enforce, x->failed, x->left);
}

/*
 * Say what a repair did and what stays open: log lines and events. An
 * audit (and every re-check) reports it all; a release, whose writes are
 * what the remaining assignments need rather than drift, only what failed.
 */
static void p2pf_report(struct p2pf_txn *x)
{
	const char *why = x->why ?: "release";
	struct fm_verdict *fixed;
	u32 i, nbad;

	if (x->op == P2PF_OP_RELEASE) {
		if (!x->nfail)
			return;
		pr_err("%s: %u fence register(s) could not be programmed\n", why,
		       x->nfail);
		x->nleft = p2pf_verdicts_left(&x->t, x->nv, x->enforce, x->failed,
					      x->left);
		p2pf_ev_violation(&x->t, x->left,
				  p2pf_verdicts_waived_first(x->left, x->nleft, false));
		return;
	}
	if (x->log.n) {
		pr_warn("%s: repaired %u fence register(s)\n", why, x->log.n);
		fixed = kvmalloc_array(max(x->nv, 1U), sizeof(*fixed), GFP_KERNEL);
		if (fixed)
			p2pf_ev_drift_repaired(&x->t, fixed,
					       p2pf_verdicts_repaired(&x->t, x->nv,
								      x->failed, fixed));
		kvfree(fixed);
	}
	if (x->nfail)
		pr_err("%s: %u fence register(s) could not be repaired\n", why, x->nfail);
	/* waived by the quirk opt-in: in the answer (after), not a violation */
	nbad = p2pf_verdicts_waived_first(x->left, x->nleft, false);
	if (!nbad)
		return;
	if (x->op == P2PF_OP_AUDIT)
		for (i = 0; i < nbad; i++)
			pr_err("%s: %s (tenant %s) is not fenced: %s at %s\n", why,
			       p2pf_ids(p2pf_topo_id(&x->t, x->left[i].dev)).s,
			       p2pf_tenant_str(x->t.owner[x->left[i].dev]).s,
			       fm_kind_name(x->left[i].kind),
			       p2pf_ids(p2pf_topo_id(&x->t, x->left[i].at)).s);
	p2pf_ev_violation(&x->t, x->left, nbad);
}

/*
 * Hand-over resets ran without the rescan lock (handover.c): the snapshot
 * is stale. Decide the same operation again on a fresh one, the devices
 * just reset now clean for their new tenant; a device that went, or a
 * topology that changed, is refused or reported as on any decision.
 */
static int p2pf_redecide(struct p2pf_txn *x)
{
	struct p2pf_owners *want = x->nown;
	u32 i;
	int ret;

	x->nown = NULL;
	for (i = 0; i < x->nplan; i++)
		p2pf_hist_unreserve(x->plan[i].id);
	p2pf_decision_free(x);
	x->nv = 0;
	x->idx = -1;
	x->refused = false;
	x->nrefused = 0;
	ret = p2pf_topo_build(&x->t);
	if (ret) {
		kvfree(want);
		NL_SET_ERR_MSG_FMT(x->extack, "cannot model the PCI topology (%d)", ret);
		return ret;
	}
	p2pf_topo_trust(&x->t, p2pf_qtrust, p2pf_nqtrust);
	if (x->op == P2PF_OP_APPLY) {
		ret = p2pf_decide_apply(x, want);
	} else {
		kvfree(want);
		ret = x->req ? p2pf_decide_assign_many(x, x->req, x->tenant) :
			       p2pf_decide_assign(x, x->id, x->tenant);
	}
	/* every device due was reset (or counts as clean): no reset is left */
	for (i = 0; !ret && i < x->nplan; i++) {
		if (WARN_ON_ONCE(x->plan[i].method)) {
			NL_SET_ERR_MSG(x->extack, "hand-over state changed; try again");
			ret = -EAGAIN;
		}
	}
	return ret;
}

/*
 * Commit the would-be trust set @set: log and notify each tenant whose
 * trust changes (the opt-in is audited), then make it the module's.
 */
static void p2pf_trust_change(struct p2pf_trust *set)
{
	const struct p2pf_trust *cur = p2pf_trust_cur();
	u32 i;

	for (i = 0; i < cur->n; i++)
		if (!p2pf_trust_has(set, cur->v[i])) {
			pr_info("tenant %s: ATS no longer trusted (by %s)\n",
				p2pf_tenant_str(cur->v[i]).s, current->comm);
			p2pf_ev_trust_changed(cur->v[i], false);
		}
	for (i = 0; i < set->n; i++)
		if (!p2pf_trust_has(cur, set->v[i])) {
			pr_info("tenant %s: ATS trusted, GPUDirect opt-in (by %s)\n",
				p2pf_tenant_str(set->v[i]).s, current->comm);
			p2pf_ev_trust_changed(set->v[i], true);
		}
	p2pf_trust_commit(set);
}

/*
 * An assignment that stands on the operator's quirk opt-in says so in the
 * kernel log, each waived verdict (the audit trail of the waiver's use).
 */
static void p2pf_log_waived(const struct p2pf_txn *x)
{
	u32 i;

	for (i = 0; i < x->nv; i++) {
		const struct fm_verdict *v = &x->t.v[i];

		if (!fm_waived(v))
			continue;
		pr_warn("%s (tenant %s): acs-faked at %s waived (trusted: quirk opt-in %04x:%04x)\n",
			p2pf_ids(p2pf_topo_id(&x->t, v->dev)).s,
			p2pf_tenant_str(x->t.owner[v->dev]).s,
			p2pf_ids(p2pf_topo_id(&x->t, v->at)).s,
			P2PF_QUIRK_VENDOR(x->t.vdid[v->at]),
			P2PF_QUIRK_DEVICE(x->t.vdid[v->at]));
	}
}

/*
 * A device assigned with ATS on (the IOMMU driver enabled it) below a port
 * where the fence now blocks translated requests: its translation requests
 * fail there (ACS violations, reported by AER to its driver -- vfio-pci
 * passes them to the VM). Said in the log, with the way out.
 */
static void p2pf_warn_ats(const struct p2pf_txn *x, s32 i)
{
	const struct fm_node *nd;
	s32 p;

	if (i < 0)
		return;
	nd = &x->t.nodes[i];
	p = nd->parent;
	if (!(nd->flags & FM_NODE_ATS_ON) || p < 0 || !(x->t.need[p] & PCI_ACS_TB))
		return;
	pr_warn("%s: ATS is on (the IOMMU driver's) below %s, which now blocks translated requests (TB): its translation requests will fail; boot with pci=noats, or trust its tenant with ATS (trust-ats)\n",
		p2pf_ids(nd->id).s, p2pf_ids(x->t.nodes[p].id).s);
}

/**
 * p2pf_commit() - program, read back, commit, notify what was decided
 * @x: after a p2pf_decide_*() that returned 0
 *
 * Return: 0, or -errno with nothing committed (assign and apply roll their
 * writes back; release and audit keep every repair that read back).
 */
int p2pf_commit(struct p2pf_txn *x)
{
	bool present;
	u32 i;
	int ret;

	switch (x->op) {
	case P2PF_OP_ASSIGN:
	case P2PF_OP_APPLY:
		if (x->enforce) {
			/* hand-over resets first: they restore saved config state */
			ret = p2pf_handover_reset(x);
			if (ret > 0)
				ret = p2pf_redecide(x);
			if (ret)
				return ret;
			ret = p2pf_enforce(&x->t, x->t.need, &x->log, x->extack);
			if (ret)
				return ret;
			for (i = 0; x->op == P2PF_OP_ASSIGN && x->req && i < x->req->n; i++)
				p2pf_warn_ats(x, fm_find(x->t.ctx, x->req->e[i].id));
			if (x->op == P2PF_OP_ASSIGN && !x->req)
				p2pf_warn_ats(x, x->idx);
		}
		/* one event per device whose owner changes; one device: with verdicts */
		if (x->id == P2PF_NO_ID)
			p2pf_events_diff(x, p2pf_owners_cur(), x->nown);
		p2pf_owners_commit(x->nown);
		x->nown = NULL;
		if (x->trust_set)
			p2pf_trust_change(&x->trust);
		x->committed = true;
		p2pf_handover_commit(x);
		p2pf_log_waived(x);
		if (x->id != P2PF_NO_ID)
			p2pf_ev_assigned(&x->t, x->id, x->tenant, x->t.v, x->nv, -1);
		break;
	case P2PF_OP_RELEASE:
		if (!x->nown)
			break;	/* the host's already */
		/* a single device that is gone: nothing to repair */
		present = x->id == P2PF_NO_ID || x->idx >= 0;
		if (present)
			p2pf_repair_all(x);
		if (x->id == P2PF_NO_ID)
			p2pf_events_diff(x, p2pf_owners_cur(), x->nown);
		else
			p2pf_ev_released(x->id, x->owner);
		p2pf_owners_commit(x->nown);
		x->nown = NULL;
		x->committed = true;
		if (present)
			p2pf_report(x);	/* a failed repair is reported */
		break;
	case P2PF_OP_AUDIT:
		p2pf_repair_all(x);
		p2pf_report(x);
		break;
	case P2PF_OP_SHOW:
		return 0;
	}
	/* the guard and the pin follow the table before anyone is answered */
	p2pf_sync_guard(x);
	return 0;
}

/*
 * Drop owned devices that are gone from the table, notify each; forget
 * the history of every device that is gone.
 */
static void p2pf_drop_removed(struct p2pf_txn *x)
{
	const struct p2pf_owners *o = p2pf_owners_cur();
	struct p2pf_owners *keep;
	u32 i, k = 0;

	/* a device that comes back is a new one: nothing of it is remembered */
	p2pf_hist_forget_absent(&x->t);
	for (i = 0; i < o->n; i++)
		if (fm_find(x->t.ctx, o->e[i].id) < 0)
			break;
	if (i == o->n)
		return;
	keep = p2pf_owners_alloc(o->n);
	if (!keep)
		return;	/* tried again at the next re-check */
	for (i = 0; i < o->n; i++) {
		if (fm_find(x->t.ctx, o->e[i].id) >= 0) {
			keep->e[k++] = o->e[i];
			continue;
		}
		pr_warn("%s (tenant %s) is gone: released\n",
			p2pf_ids(o->e[i].id).s, p2pf_tenant_str(o->e[i].tenant).s);
		p2pf_ev_device_removed(o->e[i].id, o->e[i].tenant);
	}
	keep->n = k;
	p2pf_owners_commit(keep);
	x->base = p2pf_owners_cur();
}

/**
 * p2pf_recheck() - re-read the hardware and make the fence whole again
 * @why: names the trigger in the log ("hotplug", "mode change", ...)
 *
 * The one audit path, as `p2pfencectl audit` takes it, after dropping
 * owned devices that are gone. Process context; takes the core's lock and
 * the rescan lock, so the caller holds neither. Does nothing before the
 * watch started or after it stopped, or when nothing is owned or guarded.
 */
void p2pf_recheck(const char *why)
{
	struct p2pf_txn x;
	bool idle;

	mutex_lock(&p2pf_lock);
	idle = !p2pf_live || (!p2pf_owners_cur()->n && !p2pf_guard_count() &&
			      !p2pf_guard_busy() && !p2pf_hist_any());
	mutex_unlock(&p2pf_lock);
	if (idle)
		return;
	if (p2pf_txn_begin(&x, true, NULL)) {
		pr_err("%s: cannot model the PCI topology; fence not re-checked\n", why);
	} else {
		p2pf_drop_removed(&x);
		if (p2pf_decide_audit(&x, why) || p2pf_commit(&x))
			pr_err("%s: out of memory; fence not re-checked\n", why);
	}
	p2pf_txn_end(&x);
}

/**
 * p2pf_set_mode() - switch between enforce and audit (parameter, mode-set)
 * @mode: enum p2pfence_mode
 *
 * The guard is on in enforce mode only. The re-check runs before this
 * returns: switching to enforce repairs what drifted and guards the fence
 * again, switching to audit drops the guard (the bits stay). So when
 * `p2pfencectl mode set` or the parameter write returns, it is done.
 */
void p2pf_set_mode(u32 mode)
{
	mutex_lock(&p2pf_lock);
	WRITE_ONCE(p2pf_mode, mode);
	mutex_unlock(&p2pf_lock);
	pr_info("mode %s\n", mode == P2PFENCE_MODE_AUDIT ? "audit" : "enforce");
	p2pf_recheck("mode change");
}

/** p2pf_get_mode() - enum p2pfence_mode now. */
u32 p2pf_get_mode(void)
{
	return READ_ONCE(p2pf_mode);
}

/**
 * p2pf_fence_start() - the watch runs: transactions may sync the guard
 */
void p2pf_fence_start(void)
{
	mutex_lock(&p2pf_lock);
	p2pf_live = true;
	mutex_unlock(&p2pf_lock);
}

/**
 * p2pf_fence_stop() - no transaction syncs the guard or re-checks after this
 */
void p2pf_fence_stop(void)
{
	mutex_lock(&p2pf_lock);
	p2pf_live = false;
	mutex_unlock(&p2pf_lock);
}

/**
 * p2pf_fence_exit() - forget the owner table (module exit; bits stay set)
 */
void p2pf_fence_exit(void)
{
	mutex_lock(&p2pf_lock);
	p2pf_owners_exit();
	p2pf_hist_exit();
	p2pf_trust_exit();
	p2pf_tenants_exit();
	mutex_unlock(&p2pf_lock);
}

/**
 * p2pf_fence_stats() - for debugfs and the bench
 * @owned: devices in the table
 * @bytes: bytes the table takes
 * @pinned: the module holds a reference for its tenants
 */
void p2pf_fence_stats(u32 *owned, size_t *bytes, bool *pinned)
{
	const struct p2pf_owners *o;

	mutex_lock(&p2pf_lock);
	o = p2pf_owners_cur();
	*owned = o->n;
	*bytes = o->n ? struct_size(o, e, o->n) : 0;
	*pinned = p2pf_pinned;
	mutex_unlock(&p2pf_lock);
}

/* @q's place in the sorted set @s of @n: its index, or where it would go */
static u32 p2pf_qtrust_pos(const u32 *s, u32 n, u32 q)
{
	u32 i = 0;

	while (i < n && s[i] < q)
		i++;
	return i;
}

/**
 * p2pf_quirk_trust_set() - change the quirk-trust set (logged, notified)
 * @req: vendor:device entries, each valid (p2pf_quirk_bad()) and unique
 * @n: how many (at most P2PFENCE_QUIRK_TRUST_MAX)
 * @trusted: 1 add @req[0], 0 remove it, -1 make the set equal @req
 * @out: the set afterwards (P2PFENCE_QUIRK_TRUST_MAX room), sorted
 * @nout: its size
 *
 * Each vendor:device that changes is logged with the process that changed
 * it and sent as a quirk-trust event; then the current table is re-checked
 * (a verdict no longer waived is a violation), before the caller answers.
 *
 * Return: 0, or -ENOSPC when adding would exceed the maximum (nothing
 * changes).
 */
int p2pf_quirk_trust_set(const u32 *req, u32 n, int trusted, u32 *out, u32 *nout)
{
	u32 old[P2PFENCE_QUIRK_TRUST_MAX], nold, i, j, k;
	bool changed = false;
	int ret = 0;

	mutex_lock(&p2pf_lock);
	nold = p2pf_nqtrust;
	memcpy(old, p2pf_qtrust, nold * sizeof(old[0]));
	if (trusted < 0) {
		/* replace: sorted copy of @req (insertion, n <= 64) */
		for (i = 0; i < n; i++) {
			for (j = i; j && p2pf_qtrust[j - 1] > req[i]; j--)
				p2pf_qtrust[j] = p2pf_qtrust[j - 1];
			p2pf_qtrust[j] = req[i];
		}
		p2pf_nqtrust = n;
	} else if (n == 1) {
		k = p2pf_qtrust_pos(p2pf_qtrust, p2pf_nqtrust, req[0]);
		if (trusted && (k == p2pf_nqtrust || p2pf_qtrust[k] != req[0])) {
			if (p2pf_nqtrust == P2PFENCE_QUIRK_TRUST_MAX) {
				ret = -ENOSPC;
				goto out;
			}
			memmove(&p2pf_qtrust[k + 1], &p2pf_qtrust[k],
				(p2pf_nqtrust - k) * sizeof(p2pf_qtrust[0]));
			p2pf_qtrust[k] = req[0];
			p2pf_nqtrust++;
		} else if (!trusted && k < p2pf_nqtrust && p2pf_qtrust[k] == req[0]) {
			memmove(&p2pf_qtrust[k], &p2pf_qtrust[k + 1],
				(p2pf_nqtrust - k - 1) * sizeof(p2pf_qtrust[0]));
			p2pf_nqtrust--;
		}
	}
	/* the audit trail: what changed, and who changed it */
	for (i = 0; i < p2pf_nqtrust; i++) {
		k = p2pf_qtrust_pos(old, nold, p2pf_qtrust[i]);
		if (k < nold && old[k] == p2pf_qtrust[i])
			continue;
		changed = true;
		pr_warn("quirk opt-in %04x:%04x: the kernel's isolation there is trusted (acs-faked waived), by %s[%d]\n",
			P2PF_QUIRK_VENDOR(p2pf_qtrust[i]), P2PF_QUIRK_DEVICE(p2pf_qtrust[i]),
			current->comm, task_pid_nr(current));
		p2pf_ev_quirk_trust(p2pf_qtrust[i], true);
	}
	for (i = 0; i < nold; i++) {
		k = p2pf_qtrust_pos(p2pf_qtrust, p2pf_nqtrust, old[i]);
		if (k < p2pf_nqtrust && p2pf_qtrust[k] == old[i])
			continue;
		changed = true;
		pr_notice("quirk opt-in %04x:%04x withdrawn (acs-faked refuses again), by %s[%d]\n",
			  P2PF_QUIRK_VENDOR(old[i]), P2PF_QUIRK_DEVICE(old[i]),
			  current->comm, task_pid_nr(current));
		p2pf_ev_quirk_trust(old[i], false);
	}
out:
	memcpy(out, p2pf_qtrust, p2pf_nqtrust * sizeof(out[0]));
	*nout = p2pf_nqtrust;
	mutex_unlock(&p2pf_lock);
	if (changed)
		p2pf_recheck("quirk-trust");
	return ret;
}

/**
 * p2pf_quirk_trust_get() - the quirk-trust set
 * @out: P2PFENCE_QUIRK_TRUST_MAX room; sorted
 *
 * Return: its size.
 */
u32 p2pf_quirk_trust_get(u32 *out)
{
	u32 n;

	mutex_lock(&p2pf_lock);
	n = p2pf_nqtrust;
	memcpy(out, p2pf_qtrust, n * sizeof(out[0]));
	mutex_unlock(&p2pf_lock);
	return n;
}

/**
 * p2pf_vfio_bound() - a device was bound to vfio-pci: tell when the host owns it
 * @id: the device
 *
 * A VM manager binds vfio-pci to hand a device to a VM; one that is not
 * assigned to a tenant is fenced from nothing (a provisioning gap). Process
 * context, no lock held (the watch's work).
 */
void p2pf_vfio_bound(u64 id)
{
	u32 owner;
	bool live;

	mutex_lock(&p2pf_lock);
	live = p2pf_live;
	owner = p2pf_owner_of(p2pf_owners_cur(), id);
	mutex_unlock(&p2pf_lock);
	if (!live || owner)
		return;
	pr_warn("%s is on vfio-pci but assigned to no tenant: nothing fences it\n",
		p2pf_ids(id).s);
	p2pf_ev_vfio_bound(id);
}
