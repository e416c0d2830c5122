// SPDX-License-Identifier: GPL-2.0
/*
 * handover.c - the hand-over reset: a device that passes from one tenant to
 * another is reset first, so nothing of the last tenant's reaches the next.
 *
 * The core decides (decide.c) which devices change owner and how each can
 * be reset; here the resets are done, at commit time, before any ACS bit is
 * programmed (a reset restores the saved config state, ACS included, and
 * the commit then programs and reads back as always).
 *
 * The resets run with the core's lock held but not the PCI rescan lock:
 * pciehp's interrupt thread holds its slot's reset_lock while it takes the
 * rescan lock to add or remove devices, and a slot reset takes that
 * reset_lock -- under the rescan lock the two could wait for each other
 * (so no kernel caller resets under it). Each device to reset is held by a
 * reference while the lock is dropped; afterwards the core takes the lock
 * again, builds a fresh snapshot and decides once more (fence.c), the
 * devices reset here counting as clean for their new tenant.
 *
 * A function is reset with the kernel's own methods (its reset_method
 * order) under pci_dev_trylock() of its upstream bridge and of itself (as
 * pci_reset_function() locks them: the bus methods write the bridge), with
 * a runtime-PM reference (as sysfs reset takes one): SR-IOV configuration
 * takes a device's lock and then the rescan lock, and a device that stays
 * locked for a second fails the transaction with -EAGAIN instead of
 * waiting. The core's lock is held throughout: other transactions,
 * re-checks and mode changes wait for the resets, which the kernel lets
 * take up to a minute for a device that is slow to come back. Its driver,
 * read under the device lock, must be vfio-pci (or a vfio-pci variant) or
 * none. A bus reset (pci_reset_bus(): the slot, or the
 * bridge's secondary bus) was chosen only when every device below the
 * bridge goes to the same tenant and no bridge sits there; every device it
 * reaches must be bound to vfio-pci -- unbound, a host driver could bind
 * between the check and pci_reset_bus()'s own locking.
 *
 * A device reset here is recorded at once (whatever becomes of the
 * transaction), as clean for its current owner: the new tenant's state is
 * recorded only when the table commits.
 */
#include <linux/delay.h>
#include <linux/pci.h>
#include <linux/pm_runtime.h>
#include <linux/string.h>
#include <linux/timekeeping.h>
#include <net/netlink.h>

#include "compat.h"
#include "decide.h"
#include "events.h"
#include "handover.h"
#include <linux/p2pfence.h>

/* how long a locked device is waited for, in P2PF_LOCK_STEP_MS steps */
#define P2PF_LOCK_TRIES		50
#define P2PF_LOCK_STEP_MS	20

static bool p2pf_trylock(struct pci_dev *dev)
{
	int i;

	for (i = 0; i < P2PF_LOCK_TRIES; i++) {
		if (pci_dev_trylock(dev))
			return true;
		msleep(P2PF_LOCK_STEP_MS);
	}
	return false;
}

/*
 * A failed hand-over: explained, and a no-reset verdict for the refused
 * event. Returns @ret.
 */
static int p2pf_handover_fail(struct p2pf_txn *x, const struct p2pf_plan *p,
			      u16 why, int ret, const char *detail)
{
	x->t.v[0] = (struct fm_verdict){ .kind = FM_NO_RESET, .missing = why,
					 .dev = p->idx, .peer = -1, .at = p->at };
	x->refused = true;
	x->nrefused = 1;
	NL_SET_ERR_MSG_FMT(x->extack, "%s: no-reset: %s%s",
			   p2pf_ids(p->id).s, p2pf_no_reset_why(why), detail);
	pr_warn("%s: hand-over to tenant %s not reset: %s%s\n", p2pf_ids(p->id).s,
		p2pf_tenant_str(p->tenant).s, p2pf_no_reset_why(why), detail);
	return ret;
}

/*
 * A function reset of @dev, under the locks pci_reset_function() takes;
 * its driver (vfio-pci or none) checked, and named, under the device lock.
 */
static int p2pf_reset_function(struct p2pf_txn *x, const struct p2pf_plan *p,
			       struct pci_dev *dev)
{
	struct pci_dev *bridge = pci_upstream_bridge(dev);
	const struct device_driver *drv;
	int ret;

	if (bridge && !p2pf_trylock(bridge))
		return p2pf_handover_fail(x, p, P2PFENCE_NO_RESET_WHY_FAILED, -EAGAIN,
					  " (its bridge is locked)");
	if (!p2pf_trylock(dev)) {
		ret = p2pf_handover_fail(x, p, P2PFENCE_NO_RESET_WHY_FAILED, -EAGAIN,
					 " (device locked)");
		goto out_bridge;
	}
	drv = dev->dev.driver;
	if (drv && !p2pf_vfio_driver(drv->name)) {
		pci_warn(dev, "p2pfence: bound to %s: no hand-over reset\n", drv->name);
		ret = p2pf_handover_fail(x, p, P2PFENCE_NO_RESET_WHY_DRIVER, -EBUSY,
					 " (a driver holds it)");
		goto out;
	}
	x->reset_tried = true;
	ret = pci_reset_function_locked(dev);
	if (ret)
		ret = p2pf_handover_fail(x, p, P2PFENCE_NO_RESET_WHY_FAILED, -EIO,
					 " (the reset failed)");
out:
	pci_dev_unlock(dev);
out_bridge:
	if (bridge)
		pci_dev_unlock(bridge);
	return ret;
}

/* what a bus reset reaches: referenced once, then worked on outside the walk */
#define P2PF_BUS_MAX	32

struct p2pf_devs {
	struct pci_dev *d[P2PF_BUS_MAX];
	int n;
	bool more;
};

/* pci_walk_bus() callback (under pci_bus_sem): a reference, no sleeping */
static int p2pf_collect(struct pci_dev *dev, void *data)
{
	struct p2pf_devs *l = data;

	if (l->n == P2PF_BUS_MAX) {
		l->more = true;
		return 1;
	}
	l->d[l->n++] = pci_dev_get(dev);
	return 0;
}

/* Is @dev bound to vfio-pci? Read under its lock; -EAGAIN when locked. */
static int p2pf_is_vfio(struct pci_dev *dev)
{
	const struct device_driver *drv;
	bool ok;

	if (!p2pf_trylock(dev))
		return -EAGAIN;
	drv = dev->dev.driver;
	ok = drv && p2pf_vfio_driver(drv->name);
	if (!ok)
		pci_warn(dev, "p2pfence: bound to %s: no bus reset for a hand-over\n",
			 drv ? drv->name : "no driver");
	pci_dev_unlock(dev);
	return ok ? 0 : -EBUSY;
}

/*
 * A reset of the bus (or slot) plan @p's device is on. Every device it
 * reaches (@l) must be vfio's: unbound, a host driver could bind between
 * this check and pci_reset_bus()'s own locking.
 */
static int p2pf_reset_bus(struct p2pf_txn *x, const struct p2pf_plan *p,
			  struct pci_dev *dev, const struct p2pf_devs *l)
{
	int i, ret = 0;

	for (i = 0; i < l->n && !ret; i++)
		ret = p2pf_is_vfio(l->d[i]);
	if (ret == -EBUSY)
		return p2pf_handover_fail(x, p, P2PFENCE_NO_RESET_WHY_DRIVER, -EBUSY,
					  " (a bus reset needs vfio-pci)");
	if (ret)
		return p2pf_handover_fail(x, p, P2PFENCE_NO_RESET_WHY_FAILED, ret,
					  " (device locked)");
	x->reset_tried = true;
	for (i = 0; i < P2PF_LOCK_TRIES; i++) {
		ret = pci_reset_bus(dev);
		if (ret != -EAGAIN)
			break;
		msleep(P2PF_LOCK_STEP_MS);
	}
	if (ret)
		return p2pf_handover_fail(x, p, P2PFENCE_NO_RESET_WHY_FAILED,
					  ret == -EAGAIN ? -EAGAIN : -EIO,
					  " (the bus reset failed)");
	return 0;
}

/*
 * One planned reset, with runtime-PM references on what it reaches (the
 * bridge, and the device or every device below the bridge), taken and
 * dropped on the same devices whatever comes and goes meanwhile.
 */
static int p2pf_reset_one(struct p2pf_txn *x, const struct p2pf_plan *p,
			  struct pci_dev *dev)
{
	struct pci_dev *bridge = pci_upstream_bridge(dev);
	bool bus = p->method == P2PFENCE_RESET_METHOD_BUS && p->at != p->idx;
	struct p2pf_devs *l;
	int i, ret;

	l = kzalloc(sizeof(*l), GFP_KERNEL);
	if (!l)
		return p2pf_handover_fail(x, p, P2PFENCE_NO_RESET_WHY_FAILED, -ENOMEM,
					  " (out of memory)");
	if (bus)
		pci_walk_bus(dev->bus, p2pf_collect, l);
	else
		l->d[l->n++] = pci_dev_get(dev);
	if (l->more) {
		ret = p2pf_handover_fail(x, p, P2PFENCE_NO_RESET_WHY_FAILED, -E2BIG,
					 " (too many devices below)");
		goto out;
	}
	if (bridge)
		pm_runtime_get_sync(&bridge->dev);
	for (i = 0; i < l->n; i++)
		pm_runtime_get_sync(&l->d[i]->dev);
	ret = bus ? p2pf_reset_bus(x, p, dev, l) : p2pf_reset_function(x, p, dev);
	for (i = 0; i < l->n; i++)
		pm_runtime_put(&l->d[i]->dev);
	if (bridge)
		pm_runtime_put(&bridge->dev);
out:
	for (i = 0; i < l->n; i++)
		pci_dev_put(l->d[i]);
	kfree(l);
	return ret;
}

/*
 * Plan @q's device was reset by @method: record it at once -- clean of every
 * tenant but the one that owns it now (it keeps using it if this
 * transaction fails; the new tenant's state counts from the commit) --
 * notify, and remember it in the transaction for the decision taken again.
 */
static void p2pf_handover_done(struct p2pf_txn *x, struct p2pf_plan *q, u8 method)
{
	struct p2pf_hist h = *p2pf_hist_of(q->id);

	pr_info("%s: reset (%s) for tenant %s\n", p2pf_ids(q->id).s,
		method == P2PFENCE_RESET_METHOD_BUS ? "bus" : "function",
		p2pf_tenant_str(q->tenant).s);
	p2pf_ev_handover_reset(q->id, q->tenant, h.last, method);
	h.dirty = p2pf_owner_of(x->base, q->id);
	h.reset_for = q->tenant;
	h.method = method;
	h.reset_time = ktime_get_real_seconds();
	p2pf_hist_set(q->id, &h);
	q->done = true;
	x->rdone[x->nrdone++] = q->id;
}

/**
 * p2pf_handover_reset() - do the resets the decision planned
 * @x: a decided assign or apply, enforce mode, holding both locks, before
 *	anything is written
 *
 * Drops the rescan lock while resetting (see the top of this file) and
 * takes it again before returning, whatever happened: the snapshot in
 * x->t is stale then, and the caller decides again on a fresh one.
 *
 * Return: how many devices were reset (>= 0), or -EBUSY (a driver holds a
 * device), -EAGAIN (a device stayed locked), -EIO (a reset failed),
 * -ENODEV (gone), -ENOMEM, explained, with a no-reset verdict in x->t.v[0]
 * for the refused event.
 */
int p2pf_handover_reset(struct p2pf_txn *x)
{
	struct pci_dev **devs;
	u32 i, k, n = 0;
	int ret = 0;

	for (i = 0; i < x->nplan; i++)
		n += x->plan[i].method && !x->plan[i].done;
	if (!n)
		return 0;
	devs = kcalloc(x->nplan, sizeof(*devs), GFP_KERNEL);
	x->rdone = kcalloc(x->nplan, sizeof(*x->rdone), GFP_KERNEL);
	if (!devs || !x->rdone) {
		kfree(devs);
		NL_SET_ERR_MSG(x->extack, "out of memory");
		return -ENOMEM;
	}
	/* references, taken while no device can go */
	for (i = 0; i < x->nplan; i++) {
		const struct p2pf_plan *p = &x->plan[i];

		if (!p->method || p->done)
			continue;
		devs[i] = pci_get_domain_bus_and_slot(FM_ID_DOMAIN(p->id), FM_ID_BUS(p->id),
						      FM_ID_DEVFN(p->id));
		if (!devs[i]) {
			ret = p2pf_handover_fail(x, p, P2PFENCE_NO_RESET_WHY_FAILED,
						 -ENODEV, " (gone)");
			goto out;
		}
	}
	pci_unlock_rescan_remove();
	for (i = 0; i < x->nplan && !ret; i++) {
		struct p2pf_plan *p = &x->plan[i];

		if (!devs[i] || p->done)
			continue;
		ret = p2pf_reset_one(x, p, devs[i]);
		if (ret)
			break;
		p2pf_handover_done(x, p, p->method);
		/* a bus reset also reset every other plan's device below the bridge */
		for (k = i + 1; p->at != p->idx && k < x->nplan; k++) {
			struct p2pf_plan *q = &x->plan[k];

			if (!q->done && p2pf_topo_below(&x->t, q->idx, p->at))
				p2pf_handover_done(x, q, p->method);
		}
	}
	pci_lock_rescan_remove();
out:
	for (i = 0; i < x->nplan; i++)
		pci_dev_put(devs[i]);
	kfree(devs);
	return ret ?: (int)x->nrdone;
}

/**
 * p2pf_handover_commit() - record the hand-overs of a committed table
 * @x: the transaction, after its table was committed
 */
void p2pf_handover_commit(const struct p2pf_txn *x)
{
	u32 i;

	for (i = 0; i < x->nplan; i++)
		p2pf_hist_set(x->plan[i].id, &x->plan[i].after);
}
