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
 * A function is reset with the kernel's own methods (its reset_method
 * order) under pci_dev_trylock(): the core holds the PCI rescan lock, and
 * SR-IOV configuration takes a device's lock and then the rescan lock, so
 * waiting for the device lock here could deadlock -- a device that stays
 * locked for a second fails the transaction with -EAGAIN instead. A bus
 * reset (pci_reset_bus(): the slot, or the bridge's secondary bus) was
 * chosen only when every device below the bridge goes to the same tenant;
 * it trylocks every device itself.
 *
 * The device must be bound to vfio-pci (or a vfio-pci variant driver) or
 * to no driver: a reset would pull a device from under any other driver.
 * Which driver is read under the device lock.
 */
#include <linux/delay.h>
#include <linux/pci.h>
#include <linux/string.h>
#include <net/netlink.h>

#include "compat.h"
#include "decide.h"
#include "events.h"
#include "handover.h"
#include <linux/p2pfence.h>

/* how long a locked device is waited for, in P2PF_LOCK_STEP_MS steps */
#define P2PF_LOCK_TRIES		50
#define P2PF_LOCK_STEP_MS	20

/* vfio-pci, its variant drivers (mlx5_vfio_pci, ...), or no driver */
static bool p2pf_driver_ok(struct pci_dev *dev, const char **name)
{
	const struct device_driver *drv = dev->dev.driver;
	size_t n;

	*name = drv ? drv->name : NULL;
	if (!drv || !strcmp(drv->name, "vfio-pci"))
		return true;
	n = strlen(drv->name);
	return n > 9 && (!strcmp(drv->name + n - 9, "_vfio_pci") ||
			 !strcmp(drv->name + n - 9, "-vfio-pci"));
}

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
	pr_warn("%s: hand-over to tenant %u not reset: %s%s\n", p2pf_ids(p->id).s,
		p->tenant, p2pf_no_reset_why(why), detail);
	return ret;
}

/* Check the driver of @dev (the planned device, or one below the bridge). */
static int p2pf_check_driver(struct p2pf_txn *x, const struct p2pf_plan *p,
			     struct pci_dev *dev)
{
	const char *name;
	bool ok;

	if (!p2pf_trylock(dev))
		return p2pf_handover_fail(x, p, P2PFENCE_NO_RESET_WHY_FAILED, -EAGAIN,
					  " (device locked)");
	ok = p2pf_driver_ok(dev, &name);
	pci_dev_unlock(dev);
	if (ok)
		return 0;
	pr_warn("%s: bound to %s\n", pci_name(dev), name);
	return p2pf_handover_fail(x, p, P2PFENCE_NO_RESET_WHY_DRIVER, -EBUSY,
				  " (a driver holds it)");
}

/* A function reset of @dev, under its lock; the driver checked there. */
static int p2pf_reset_function(struct p2pf_txn *x, const struct p2pf_plan *p,
			       struct pci_dev *dev)
{
	const char *name;
	int ret;

	if (!p2pf_trylock(dev))
		return p2pf_handover_fail(x, p, P2PFENCE_NO_RESET_WHY_FAILED, -EAGAIN,
					  " (device locked)");
	if (!p2pf_driver_ok(dev, &name)) {
		pci_dev_unlock(dev);
		pr_warn("%s: bound to %s\n", pci_name(dev), name);
		return p2pf_handover_fail(x, p, P2PFENCE_NO_RESET_WHY_DRIVER, -EBUSY,
					  " (a driver holds it)");
	}
	ret = pci_reset_function_locked(dev);
	pci_dev_unlock(dev);
	if (ret)
		return p2pf_handover_fail(x, p, P2PFENCE_NO_RESET_WHY_FAILED, -EIO,
					  " (the reset failed)");
	return 0;
}

/* The driver of every device on @bus and below it. */
static int p2pf_check_bus(struct p2pf_txn *x, const struct p2pf_plan *p,
			  struct pci_bus *bus)
{
	struct pci_dev *d;
	int ret;

	list_for_each_entry(d, &bus->devices, bus_list) {
		ret = p2pf_check_driver(x, p, d);
		if (!ret && d->subordinate)
			ret = p2pf_check_bus(x, p, d->subordinate);
		if (ret)
			return ret;
	}
	return 0;
}

/* A reset of the bus (or slot) plan @p's device is on; every device checked. */
static int p2pf_reset_bus(struct p2pf_txn *x, const struct p2pf_plan *p,
			  struct pci_dev *dev)
{
	int i, ret;

	ret = p2pf_check_bus(x, p, dev->bus);
	if (ret)
		return ret;
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

/* Is node @j below node @b in the snapshot? */
static bool p2pf_covered(const struct p2pf_topo *t, s32 j, s32 b)
{
	for (j = t->nodes[j].parent; j >= 0; j = t->nodes[j].parent)
		if (j == b)
			return true;
	return false;
}

/* Plan @q's device was reset by @method: record it (clean), notify. */
static void p2pf_handover_done(struct p2pf_plan *q, u8 method)
{
	struct p2pf_hist h = *p2pf_hist_of(q->id);

	q->done = true;
	q->method = method;
	q->after.method = method;
	pr_info("%s: reset (%s) for tenant %u\n", p2pf_ids(q->id).s,
		method == P2PFENCE_RESET_METHOD_BUS ? "bus" : "function", q->tenant);
	p2pf_ev_handover_reset(q->id, q->tenant, h.last, method);
	h.dirty = 0;
	h.reset_for = q->tenant;
	h.method = method;
	h.reset_time = q->after.reset_time;
	p2pf_hist_set(q->id, &h);
}

/**
 * p2pf_handover_reset() - do the resets the decision planned
 * @x: a decided assign or apply, enforce mode, before anything is written
 *
 * Each reset that is done is recorded at once (the device is clean,
 * whatever becomes of the transaction) and notified (handover-reset).
 *
 * Return: 0, or -EBUSY (another driver holds a device), -EAGAIN (a device
 * stayed locked), -EIO (a reset failed), -ENODEV (gone), explained, with
 * a no-reset verdict in x->t.v[0] for the refused event.
 */
int p2pf_handover_reset(struct p2pf_txn *x)
{
	u32 i, k;
	int ret;

	for (i = 0; i < x->nplan; i++) {
		struct p2pf_plan *p = &x->plan[i];
		struct pci_dev *dev;

		if (!p->method || p->done)
			continue;
		dev = pci_get_domain_bus_and_slot(FM_ID_DOMAIN(p->id), FM_ID_BUS(p->id),
						  FM_ID_DEVFN(p->id));
		if (!dev)
			return p2pf_handover_fail(x, p, P2PFENCE_NO_RESET_WHY_FAILED,
						  -ENODEV, " (gone)");
		if (p->method == P2PFENCE_RESET_METHOD_BUS && p->at != p->idx)
			ret = p2pf_reset_bus(x, p, dev);
		else
			ret = p2pf_reset_function(x, p, dev);
		pci_dev_put(dev);
		if (ret)
			return ret;
		p2pf_handover_done(p, p->method);
		/* a bus reset also reset every other plan's device below the bridge */
		for (k = i + 1; p->at != p->idx && k < x->nplan; k++) {
			struct p2pf_plan *q = &x->plan[k];

			if (q->method && !q->done && p2pf_covered(&x->t, q->idx, p->at))
				p2pf_handover_done(q, p->method);
		}
	}
	return 0;
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
