// SPDX-License-Identifier: GPL-2.0
/*
 * cfgguard.c - config-space guard: keeps fence bits set.
 *
 * Anyone with root can clear ACS after the fence set it (`setpci
 * ECAP_ACS+6.w=0`, as GPU tuning guides suggest for P2P speed). The guard
 * gives every bus that carries a fenced port a struct pci_ops of its own, so
 * every config write to that bus -- kernel drivers, the sysfs `config` file
 * that setpci and VFIO use -- passes through guard_write() first.
 *
 * A write that touches a guarded port's ACS control register goes to the
 * hardware with the fence bits forced: bits the fence needs stay set, DT
 * and EC stay clear; every other bit of the write takes effect. We force
 * rather than refuse because a refused write cannot be explained to the
 * writer (sysfs turns it into -EIO, a driver's pci_enable_acs() at reset
 * would fail for bits it was right to set), while a forced one leaves the
 * port fenced and the rest of the writer's intent applied; the write is
 * logged (rate-limited) and notified as `write-blocked` with the writer's
 * process name.
 *
 * The ops. x86 config access is lockless (CONFIG_PCI_LOCKLESS_CONFIG): any
 * CPU may be inside bus->ops at any time, holding no lock. So bus->ops is
 * written exactly twice per wrap -- once to install the guard's copy, once
 * to restore the original -- and never swapped around a call. A copy is
 * the original with .read/.write replaced (map_bus, add_bus, remove_bus
 * stay the original's); there is one per original ops structure (a
 * handful on any host: one per host bridge driver), shared by the buses
 * wrapped over it, and it lives until module exit. So a pointer to a copy
 * is never stale while the module is loaded: not in a child bus that
 * inherited it, not in a caller that loaded bus->ops just before a
 * restore. The hooks call the original directly, inside an RCU read
 * section; exit waits for RCU and RCU-tasks (a task preempted between
 * loading bus->ops and the call) before freeing the copies.
 *
 * Buses that appear later. pci_alloc_child_bus() copies the parent's ops to
 * a new child bus (rescan, a hot-added switch, SR-IOV virtual buses), so a
 * child of a wrapped bus starts out with our copy. The hooks serve such a
 * bus (a lookup miss forwards to the copy's original), and when its
 * devices are added (the watch's bus notifier) it gets its original ops
 * back; the hotplug re-check then wraps it if a fence needs it.
 * Unwrapping walks every registered bus (the class's klist iterator: safe
 * against buses going away, which SR-IOV drivers do without the rescan
 * lock) and restores each one still on a copy that is not wrapped itself.
 *
 * Pinning and other wrappers. Each wrapped bus holds a reference on the
 * module (try_module_get(): no new wrap once rmmod has begun): `rmmod`
 * says "in use" instead of leaving a bus with ops inside a module that is
 * gone. The guard only wraps a bus whose ops are its host bridge's own
 * (or a copy of ours): wrapping over another wrapper (aer_inject loaded
 * first) could chain the two into each other, so that is refused and
 * reported. Another wrapper installed on top of ours (aer_inject later)
 * calls our copy as its original; we cannot unwrap from under it, so that
 * bus stays wrapped (a pass-through) and the module pinned until the other
 * wrapper is gone -- checked at every sync, never inside module exit.
 *
 * Resets: a secondary bus reset puts every port below the bridge back to
 * ACS control 0 without any config write to those ports. The kernel's own
 * reset paths restore state afterwards (pci_enable_acs() writes through the
 * guard), but a reset set by hand in a bridge's control register is not
 * restored. So the bridges above guarded ports are watched too: a write
 * that changes the Secondary Bus Reset bit of such a bridge asks for a
 * re-check (see watch.c). A reset of a tenant's GPU at VM start (its own
 * port's secondary bus) asks for nothing.
 *
 * Context: the hooks may run under the PCI core's pci_lock (a raw spinlock,
 * IRQs off) or under no lock at all. They do not sleep or allocate:
 * lookups are RCU hash walks, and events go into a fixed ring drained by a
 * work item.
 */
#include <linux/hashtable.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/pci.h>
#include <linux/rculist.h>
#include <linux/rcupdate.h>
#include <linux/rcupdate_wait.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/string.h>
#include <linux/workqueue.h>

#include "cfgguard.h"
#include "fence_model.h"

/* the `guard` module parameter (watch.c): forcing on, and wrapping at all */
static bool guard_on = true;

struct guard_port {
	struct hlist_node node;		/* guard_ports, RCU */
	struct pci_dev *pdev;		/* referenced */
	struct pci_bus *bus;		/* pdev->bus: the lookup key */
	unsigned int devfn;
	u16 ctrl;			/* config offset of the ACS control register */
	u16 set;			/* bits that must stay set */
	u16 clear;			/* bits that must stay clear */
	unsigned int gen;		/* sync generation that last wanted it */
	struct rcu_head rcu;
};

/* The guard's copy of one original pci_ops: lives until module exit. */
struct guard_ops {
	struct pci_ops ops;		/* what wrapped buses point to */
	struct pci_ops *orig;		/* what the copy forwards to */
	struct list_head node;		/* guard_opses, under guard_mutex */
};

/* A wrapped bus. */
struct guard_bus {
	struct hlist_node node;		/* guard_buses, RCU */
	struct pci_bus *bus;		/* device reference held while hashed */
	struct guard_ops *gops;		/* the copy installed on it */
	unsigned int users;		/* guarded ports and watched bridges on it */
	bool stuck;			/* another wrapper is on top of ours */
	struct rcu_head rcu;
};

/* A bridge with a guarded port somewhere below it: its resets are watched. */
struct guard_bridge {
	struct hlist_node node;		/* guard_bridges, RCU */
	struct pci_bus *bus;		/* the bus the bridge is on */
	unsigned int devfn;
	unsigned int nports;		/* guarded ports below it */
	struct rcu_head rcu;
};

struct guard_event {
	u64 id;
	u16 tried;
	u16 kept;
	char comm[TASK_COMM_LEN];
};

#define GUARD_RING	64

static DEFINE_MUTEX(guard_mutex);	/* serialises every change to the tables */
static DEFINE_HASHTABLE(guard_ports, 6);
static DEFINE_HASHTABLE(guard_buses, 4);
static DEFINE_HASHTABLE(guard_bridges, 4);
static LIST_HEAD(guard_opses);
static unsigned int guard_nports;
static unsigned int guard_nbuses;	/* wrapped (stuck ones included) */
static unsigned int guard_gen;
static atomic_t guard_inherited = ATOMIC_INIT(0);	/* child buses given their ops back */
static atomic_t guard_resets = ATOMIC_INIT(0);		/* bus-reset bit changes seen */

static DEFINE_RAW_SPINLOCK(ring_lock);
static struct guard_event ring[GUARD_RING];
static unsigned int ring_head, ring_len, ring_dropped;
static p2pf_guard_notify_t guard_notify;
static p2pf_guard_reset_t guard_reset_notify;

static void guard_work_fn(struct work_struct *work);
static DECLARE_WORK(guard_work, guard_work_fn);

static int guard_read(struct pci_bus *bus, unsigned int devfn, int where,
		      int size, u32 *val);
static int guard_write(struct pci_bus *bus, unsigned int devfn, int where,
		       int size, u32 val);
/* the pci_bus class (pcibus_class is static in drivers/pci/probe.c) */
static __typeof__(((struct device *)0)->class) guard_bus_class;

/* Is @ops one of our copies? (reads a live ops structure only) */
static bool guard_ops_ours(const struct pci_ops *ops)
{
	return ops && ops->read == guard_read;
}

static struct guard_bus *guard_find_bus(struct pci_bus *bus)
{
	struct guard_bus *gb;

	hash_for_each_possible_rcu(guard_buses, gb, node, (unsigned long)bus,
				   lockdep_is_held(&guard_mutex))
		if (gb->bus == bus)
			return gb;
	return NULL;
}

static struct guard_port *guard_find_port(struct pci_bus *bus, unsigned int devfn)
{
	struct guard_port *gp;

	hash_for_each_possible_rcu(guard_ports, gp, node,
				   (unsigned long)bus ^ devfn,
				   lockdep_is_held(&guard_mutex))
		if (gp->bus == bus && gp->devfn == devfn)
			return gp;
	return NULL;
}

static struct guard_bridge *guard_find_bridge(struct pci_bus *bus, unsigned int devfn)
{
	struct guard_bridge *gbr;

	hash_for_each_possible_rcu(guard_bridges, gbr, node,
				   (unsigned long)bus ^ devfn,
				   lockdep_is_held(&guard_mutex))
		if (gbr->bus == bus && gbr->devfn == devfn)
			return gbr;
	return NULL;
}

/*
 * The ops a hook forwards @bus's access to, and @bus's guard_bus when @bus
 * is wrapped. Called in an RCU read section; the result stays valid until
 * it ends. A bus we do not know (a child that inherited a copy and is not
 * registered yet, or one unwrapped while its caller was on the way here)
 * is forwarded, never failed.
 */
static struct pci_ops *guard_orig(struct pci_bus *bus, struct guard_bus **gbp)
{
	struct guard_bus *gb = guard_find_bus(bus);
	struct pci_ops *ops;

	*gbp = gb;
	if (gb)
		return gb->gops->orig;
	ops = READ_ONCE(bus->ops);
	if (guard_ops_ours(ops))
		return container_of(ops, struct guard_ops, ops)->orig;
	return ops;
}

static int guard_read(struct pci_bus *bus, unsigned int devfn, int where,
		      int size, u32 *val)
{
	struct guard_bus *gb;
	int ret;

	rcu_read_lock();
	ret = guard_orig(bus, &gb)->read(bus, devfn, where, size, val);
	rcu_read_unlock();
	return ret;
}

/* Queue a blocked-write event; any context. */
static void guard_record(const struct guard_port *gp, u16 tried, u16 kept)
{
	struct guard_event *ev;
	unsigned long flags;

	raw_spin_lock_irqsave(&ring_lock, flags);
	if (ring_len == GUARD_RING) {
		ring_dropped++;
	} else {
		ev = &ring[(ring_head + ring_len++) % GUARD_RING];
		ev->id = FM_ID(pci_domain_nr(gp->bus), gp->bus->number, gp->devfn);
		ev->tried = tried;
		ev->kept = kept;
		if (in_task())
			strscpy(ev->comm, current->comm, sizeof(ev->comm));
		else
			ev->comm[0] = '\0';
	}
	raw_spin_unlock_irqrestore(&ring_lock, flags);
	schedule_work(&guard_work);
}

/*
 * Force the fence bits into the bytes of @val that land on the ACS control
 * register. Returns the (possibly) changed value; @tried and @kept get
 * the control word's bits as asked and as written, for the event.
 */
static u32 guard_force(const struct guard_port *gp, int where, int size,
		       u32 val, u16 *tried, u16 *kept)
{
	u32 out = val;
	int k;

	*tried = 0;
	*kept = 0;
	for (k = 0; k < size; k++) {
		int off = where + k - gp->ctrl;
		u8 b, nb;

		if (off < 0 || off > 1)
			continue;
		b = (val >> (8 * k)) & 0xff;
		nb = (b | (u8)(gp->set >> (8 * off))) & ~(u8)(gp->clear >> (8 * off));
		*tried |= (u16)b << (8 * off);
		*kept |= (u16)nb << (8 * off);
		out = (out & ~(0xffu << (8 * k))) | ((u32)nb << (8 * k));
	}
	return out;
}

/*
 * Does this write to a watched bridge change its Secondary Bus Reset bit?
 * Reads the register's current value first (only for writes that reach
 * the byte holding the bit).
 */
static bool guard_reset_change(struct pci_ops *orig, struct pci_bus *bus,
			       unsigned int devfn, int where, int size, u32 val)
{
	int k = PCI_BRIDGE_CONTROL - where;
	u32 old;

	if (k < 0 || k >= size)
		return false;
	if (orig->read(bus, devfn, PCI_BRIDGE_CONTROL, 1, &old))
		return true;	/* cannot tell: re-check */
	return ((old ^ (val >> (8 * k))) & PCI_BRIDGE_CTL_BUS_RESET) != 0;
}

static int guard_write(struct pci_bus *bus, unsigned int devfn, int where,
		       int size, u32 val)
{
	struct guard_port *gp = NULL;
	struct guard_bus *gb;
	struct pci_ops *orig;
	u16 tried = 0, kept = 0;
	bool blocked = false, reset = false;
	int ret;

	rcu_read_lock();
	orig = guard_orig(bus, &gb);
	if (gb && READ_ONCE(guard_on)) {
		gp = guard_find_port(bus, devfn);
		if (gp && where < gp->ctrl + 2 && where + size > gp->ctrl) {
			u32 forced = guard_force(gp, where, size, val, &tried, &kept);

			if (forced != val) {
				val = forced;
				blocked = true;
			}
		}
		if (where <= PCI_BRIDGE_CONTROL && where + size > PCI_BRIDGE_CONTROL &&
		    guard_find_bridge(bus, devfn))
			reset = guard_reset_change(orig, bus, devfn, where, size, val);
	}
	ret = orig->write(bus, devfn, where, size, val);
	if (blocked)
		guard_record(gp, tried, kept);
	if (reset) {
		p2pf_guard_reset_t cb = READ_ONCE(guard_reset_notify);

		atomic_inc(&guard_resets);
		if (cb)
			cb();
	}
	rcu_read_unlock();
	if (blocked)
		pr_warn_ratelimited("kept fence bits on %04x:%02x:%02x.%d (write %#06x -> %#06x)\n",
				    pci_domain_nr(bus), bus->number, PCI_SLOT(devfn),
				    PCI_FUNC(devfn), tried, kept);
	return ret;
}

static void guard_work_fn(struct work_struct *work)
{
	struct guard_event ev;
	unsigned int dropped;
	unsigned long flags;

	for (;;) {
		raw_spin_lock_irqsave(&ring_lock, flags);
		dropped = ring_dropped;
		ring_dropped = 0;
		if (!ring_len) {
			raw_spin_unlock_irqrestore(&ring_lock, flags);
			break;
		}
		ev = ring[ring_head];
		ring_head = (ring_head + 1) % GUARD_RING;
		ring_len--;
		raw_spin_unlock_irqrestore(&ring_lock, flags);
		if (dropped)
			pr_warn("%u write-blocked events dropped\n", dropped);
		if (guard_notify)
			guard_notify(ev.id, ev.tried, ev.kept, ev.comm);
	}
	if (dropped)
		pr_warn("%u write-blocked events dropped\n", dropped);
}

/*
 * Every registered bus that runs on one of our copies but is not wrapped
 * itself (it inherited the copy) gets the copy's original back. The class
 * iterator holds each bus while we look at it: safe without the rescan
 * lock. @warn: such a bus is a bug here (exit).
 */
static void guard_restore_inherited(bool warn)
{
	struct class_dev_iter iter;
	struct device *dev;

	if (!guard_bus_class)
		return;
	class_dev_iter_init(&iter, guard_bus_class, NULL, NULL);
	while ((dev = class_dev_iter_next(&iter))) {
		struct pci_bus *bus = to_pci_bus(dev);
		struct pci_ops *ops = READ_ONCE(bus->ops);

		if (!guard_ops_ours(ops) || guard_find_bus(bus))
			continue;
		WARN_ON_ONCE(warn);
		cmpxchg(&bus->ops, ops, container_of(ops, struct guard_ops, ops)->orig);
		atomic_inc(&guard_inherited);
	}
	class_dev_iter_exit(&iter);
}

/* The copy of @orig, made on first use. */
static struct guard_ops *guard_ops_get(struct pci_ops *orig)
{
	struct guard_ops *go;

	list_for_each_entry(go, &guard_opses, node)
		if (go->orig == orig)
			return go;
	go = kzalloc(sizeof(*go), GFP_KERNEL);
	if (!go)
		return NULL;
	go->orig = orig;
	go->ops = *orig;
	go->ops.read = guard_read;
	go->ops.write = guard_write;
	list_add(&go->node, &guard_opses);
	return go;
}

/* The ops a bus has when nobody wrapped it: its host bridge's. */
static struct pci_ops *guard_native_ops(struct pci_bus *bus)
{
	struct pci_host_bridge *host = pci_find_host_bridge(bus);

	if (!host)
		return NULL;
	if (!pci_is_root_bus(bus) && host->child_ops)
		return host->child_ops;
	return host->ops;
}

static void guard_bus_drop(struct guard_bus *gb)
{
	hash_del_rcu(&gb->node);
	put_device(&gb->bus->dev);
	kfree_rcu(gb, rcu);
	guard_nbuses--;
	module_put(THIS_MODULE);
}

/*
 * Unwrap @gb (no users left). Returns false when another wrapper is on top
 * of ours: @gb stays, stuck, a pass-through, and the module stays pinned.
 */
static bool guard_bus_unwrap(struct guard_bus *gb)
{
	struct pci_ops *now, *orig = gb->gops->orig;

	lockdep_assert_held(&guard_mutex);
	/*
	 * Only if our copy is what the bus runs on: a compare-and-swap, not
	 * pci_bus_set_ops(), because aer_inject swaps bus->ops around every
	 * call it forwards, under no lock of ours. The original found on a
	 * bus we did not put it on means such a swap crossed ours: the other
	 * wrapper may still hold our copy, so that bus stays ours (stuck)
	 * until the other wrapper gives the copy back.
	 */
	now = cmpxchg(&gb->bus->ops, &gb->gops->ops, orig);
	if (now != &gb->gops->ops)
		goto stuck;
	/*
	 * A swap in flight may put another wrapper's ops back: look again
	 * once every call in flight is over. Expedited: this is on the
	 * release path, and a normal grace period costs tens of ms.
	 */
	synchronize_rcu_expedited();
	now = READ_ONCE(gb->bus->ops);
	if (now == orig) {
		guard_bus_drop(gb);	/* unhashed: the walk below may restore it too */
		guard_restore_inherited(false);
		return true;
	}
stuck:
	if (!gb->stuck)
		pr_warn("%04x:%02x: pci_ops wrapped by another module (%ps); the guard stays in the chain and the module pinned until it is gone\n",
			pci_domain_nr(gb->bus), gb->bus->number, now);
	gb->stuck = true;
	return false;
}

/* Wrap @bus (first user on it) or count one more user. */
static int guard_bus_get(struct pci_bus *bus)
{
	struct guard_bus *gb = guard_find_bus(bus);
	struct pci_ops *cur, *orig;
	struct guard_ops *gops;

	if (gb) {
		/* the other wrapper left and gave our copy back */
		if (gb->stuck && READ_ONCE(bus->ops) == &gb->gops->ops)
			gb->stuck = false;
		gb->users++;
		return 0;
	}
	if (pci_domain_nr(bus) > 0xffff) {
		/*
		 * A VMD domain: vmd_acpi_find_companion() tells its buses by
		 * bus->ops == &vmd_ops, so wrapping one would cost devices
		 * scanned there their ACPI companion.
		 */
		pr_warn_ratelimited("%04x:%02x: a VMD domain: not guarded\n",
				    pci_domain_nr(bus), bus->number);
		return -EOPNOTSUPP;
	}
	cur = READ_ONCE(bus->ops);
	if (guard_ops_ours(cur)) {
		/* inherited from a wrapped parent: wrap over the original */
		orig = container_of(cur, struct guard_ops, ops)->orig;
	} else if (cur == guard_native_ops(bus)) {
		orig = cur;
	} else {
		/* another wrapper (aer_inject?): ours on top could loop with it */
		pr_warn_ratelimited("%04x:%02x: pci_ops are another module's (%ps): not guarded\n",
				    pci_domain_nr(bus), bus->number, cur);
		return -EBUSY;
	}
	gops = guard_ops_get(orig);
	if (!gops)
		return -ENOMEM;
	gb = kzalloc(sizeof(*gb), GFP_KERNEL);
	if (!gb)
		return -ENOMEM;
	if (!try_module_get(THIS_MODULE)) {	/* rmmod under way */
		kfree(gb);
		return -ENODEV;
	}
	gb->gops = gops;
	gb->bus = bus;
	gb->users = 1;
	get_device(&bus->dev);
	guard_nbuses++;
	/* hashed before installed: the hooks find it from their first call */
	hash_add_rcu(guard_buses, &gb->node, (unsigned long)bus);
	if (cmpxchg(&bus->ops, cur, &gops->ops) != cur) {
		/* changed under us: leave it, do not guess */
		guard_bus_drop(gb);
		return -EBUSY;
	}
	return 0;
}

/* One user less on @gb; unwrap when none is left. */
static void guard_bus_put(struct guard_bus *gb)
{
	if (WARN_ON_ONCE(!gb) || WARN_ON_ONCE(!gb->users))
		return;
	if (!--gb->users)
		guard_bus_unwrap(gb);
}

static void guard_bridge_put(struct guard_bridge *gbr)
{
	/* none: its bus could not be wrapped (guard_bridges_get()) */
	if (!gbr || --gbr->nports)
		return;
	hash_del_rcu(&gbr->node);
	guard_bus_put(guard_find_bus(gbr->bus));
	kfree_rcu(gbr, rcu);
}

/*
 * Stop watching the bridges above @port, up to (not including) @stop.
 * They are all still there: the reference on @port holds them.
 */
static void guard_bridges_put(struct pci_dev *port, struct pci_dev *stop)
{
	struct pci_dev *br;

	for (br = pci_upstream_bridge(port); br != stop; br = pci_upstream_bridge(br))
		guard_bridge_put(guard_find_bridge(br->bus, br->devfn));
}

/* Watch every bridge above @port (wrapping the buses they are on). */
static int guard_bridges_get(struct pci_dev *port)
{
	struct guard_bridge *gbr;
	struct pci_dev *br;
	int ret;

	for (br = pci_upstream_bridge(port); br; br = pci_upstream_bridge(br)) {
		gbr = guard_find_bridge(br->bus, br->devfn);
		if (gbr) {
			gbr->nports++;
			continue;
		}
		gbr = kzalloc(sizeof(*gbr), GFP_KERNEL);
		if (!gbr) {
			guard_bridges_put(port, br);
			return -ENOMEM;
		}
		ret = guard_bus_get(br->bus);
		if (ret == -EBUSY || ret == -EOPNOTSUPP) {
			/* the port is guarded still; resets there go unseen */
			pci_warn(br, "p2pfence: bus resets here are not watched (%d)\n", ret);
			kfree(gbr);
			continue;
		}
		if (ret) {
			kfree(gbr);
			guard_bridges_put(port, br);
			return ret;
		}
		gbr->bus = br->bus;
		gbr->devfn = br->devfn;
		gbr->nports = 1;
		hash_add_rcu(guard_bridges, &gbr->node,
			     (unsigned long)gbr->bus ^ gbr->devfn);
	}
	return 0;
}

/**
 * p2pf_guard_protect() - guard a port's ACS control register
 * @port: a port with the ACS capability
 * @set: bits that must stay set
 * @clear: bits that must stay clear (DT, EC)
 *
 * Updates the bits if @port is guarded already. Process context; the
 * caller holds pci_lock_rescan_remove(). Takes a reference on @port.
 *
 * Return: 0, -ENODEV when @port has no ACS capability, -ENOMEM.
 */
int p2pf_guard_protect(struct pci_dev *port, u16 set, u16 clear)
{
	struct guard_port *gp, *old;
	int pos, ret;

	clear &= ~set;
	/* unchanged (every write transaction re-syncs): no churn, no config read */
	mutex_lock(&guard_mutex);
	old = guard_find_port(port->bus, port->devfn);
	if (old && old->set == set && old->clear == clear) {
		old->gen = guard_gen;
		mutex_unlock(&guard_mutex);
		return 0;
	}
	mutex_unlock(&guard_mutex);
	pos = port->acs_cap;	/* found by the PCI core at enumeration */
	if (!pos)
		return -ENODEV;
	gp = kzalloc(sizeof(*gp), GFP_KERNEL);
	if (!gp)
		return -ENOMEM;
	gp->bus = port->bus;
	gp->devfn = port->devfn;
	gp->ctrl = pos + PCI_ACS_CTRL;
	gp->set = set;
	gp->clear = clear;

	mutex_lock(&guard_mutex);
	gp->gen = guard_gen;
	old = guard_find_port(port->bus, port->devfn);
	if (old && old->set == set && old->clear == clear) {
		/* unchanged (every transaction re-syncs): no churn */
		old->gen = guard_gen;
		mutex_unlock(&guard_mutex);
		kfree(gp);
		return 0;
	}
	if (old) {
		gp->pdev = old->pdev;	/* the reference moves over */
		/* new first (at the head): no write finds neither */
		hash_add_rcu(guard_ports, &gp->node,
			     (unsigned long)gp->bus ^ gp->devfn);
		hash_del_rcu(&old->node);
		kfree_rcu(old, rcu);
		mutex_unlock(&guard_mutex);
		return 0;
	}
	ret = guard_bus_get(port->bus);
	if (!ret) {
		ret = guard_bridges_get(port);
		if (ret)
			guard_bus_put(guard_find_bus(port->bus));
	}
	if (ret) {
		mutex_unlock(&guard_mutex);
		kfree(gp);
		return ret;
	}
	gp->pdev = pci_dev_get(port);
	hash_add_rcu(guard_ports, &gp->node, (unsigned long)gp->bus ^ gp->devfn);
	guard_nports++;
	mutex_unlock(&guard_mutex);
	return 0;
}

static void guard_port_del(struct guard_port *gp)
{
	hash_del_rcu(&gp->node);
	guard_nports--;
	guard_bus_put(guard_find_bus(gp->bus));
	guard_bridges_put(gp->pdev, NULL);
	pci_dev_put(gp->pdev);
	kfree_rcu(gp, rcu);
}

/**
 * p2pf_guard_release() - stop guarding a port
 * @port: it is going away, or no owner needs its fence any more
 *
 * The bits stay as they are: fail closed. Process context; the caller
 * should hold pci_lock_rescan_remove() (a bus notifier runs under it).
 */
void p2pf_guard_release(struct pci_dev *port)
{
	struct guard_port *gp;

	mutex_lock(&guard_mutex);
	gp = guard_find_port(port->bus, port->devfn);
	if (gp)
		guard_port_del(gp);
	mutex_unlock(&guard_mutex);
}

/**
 * p2pf_guard_sync_begin() - start a sync: ports not protected again before
 * p2pf_guard_sync_end() are released by it.
 */
void p2pf_guard_sync_begin(void)
{
	mutex_lock(&guard_mutex);
	guard_gen++;
	mutex_unlock(&guard_mutex);
}

/**
 * p2pf_guard_sync_end() - release the ports the sync did not protect, and
 * unwrap buses whose other wrapper has gone since
 *
 * The caller holds pci_lock_rescan_remove().
 */
void p2pf_guard_sync_end(void)
{
	struct guard_port *gp;
	struct guard_bus *gb;
	struct hlist_node *tmp;
	int bkt;

	mutex_lock(&guard_mutex);
	hash_for_each_safe(guard_ports, bkt, tmp, gp, node)
		if (gp->gen != guard_gen)
			guard_port_del(gp);
	hash_for_each_safe(guard_buses, bkt, tmp, gb, node)
		if (gb->stuck && !gb->users &&
		    READ_ONCE(gb->bus->ops) == &gb->gops->ops &&
		    guard_bus_unwrap(gb))
			pr_info("the other pci_ops wrapper has gone: bus unwrapped\n");
	mutex_unlock(&guard_mutex);
}

/**
 * p2pf_guard_stats() - what the guard holds now
 * @st: filled in
 */
void p2pf_guard_stats(struct p2pf_guard_stats *st)
{
	struct guard_ops *go;
	struct guard_bridge *gbr;
	struct guard_port *gp;
	struct guard_bus *gb;
	int bkt;

	memset(st, 0, sizeof(*st));
	mutex_lock(&guard_mutex);
	hash_for_each(guard_ports, bkt, gp, node)
		st->bytes += ksize(gp);
	hash_for_each(guard_buses, bkt, gb, node) {
		st->bytes += ksize(gb);
		st->buses++;
		st->stuck += gb->stuck;
	}
	hash_for_each(guard_bridges, bkt, gbr, node) {
		st->bytes += ksize(gbr);
		st->bridges++;
	}
	list_for_each_entry(go, &guard_opses, node)
		st->bytes += ksize(go);
	st->ports = guard_nports;
	mutex_unlock(&guard_mutex);
	st->inherited = atomic_read(&guard_inherited);
	st->resets = atomic_read(&guard_resets);
}

/** p2pf_guard_busy() - any bus wrapped now (stuck ones included)? */
bool p2pf_guard_busy(void)
{
	return READ_ONCE(guard_nbuses) != 0;
}

/** p2pf_guard_count() - ports guarded now. */
unsigned int p2pf_guard_count(void)
{
	return READ_ONCE(guard_nports);
}

/** p2pf_guard_enabled() - the `guard` module parameter. */
bool p2pf_guard_enabled(void)
{
	return READ_ONCE(guard_on);
}

/**
 * p2pf_guard_set_enabled() - turn forcing on or off (the `guard` parameter)
 * @on: the new value
 *
 * Off, the hooks pass every write through at once; the caller's next sync
 * (watch.c re-checks right away) unwraps every bus.
 */
void p2pf_guard_set_enabled(bool on)
{
	WRITE_ONCE(guard_on, on);
}

/* @bus inherited one of our copies (and is not wrapped itself): restore. */
static void guard_bus_check(struct pci_bus *bus)
{
	struct pci_ops *ops;

	if (!bus)
		return;
	ops = READ_ONCE(bus->ops);
	if (guard_ops_ours(ops) && !guard_find_bus(bus)) {
		cmpxchg(&bus->ops, ops, container_of(ops, struct guard_ops, ops)->orig);
		atomic_inc(&guard_inherited);
		dev_dbg(&bus->dev, "p2pfence: new bus inherited the guard's ops: restored\n");
	}
}

/**
 * p2pf_guard_dev_added() - a PCI device was added (the bus notifier)
 * @pdev: the device
 *
 * pci_alloc_child_bus() gives a new bus its parent's ops, so a bus created
 * below a wrapped one (rescan, a hot-added switch, an SR-IOV virtual bus)
 * starts on our copy. Its devices are added after it: here the bus they
 * sit on, and the bus a bridge leads to, get their original ops back (the
 * hooks served them meanwhile: a copy outlives every bus). The hotplug
 * re-check wraps them again where a fence needs it. Process context.
 */
void p2pf_guard_dev_added(struct pci_dev *pdev)
{
	mutex_lock(&guard_mutex);
	guard_bus_check(pdev->bus);
	guard_bus_check(pdev->subordinate);
	mutex_unlock(&guard_mutex);
}

/**
 * p2pf_guard_init() - set up the guard
 * @notify: called in process context for each blocked write
 * @reset: called (any context, possibly under pci_lock with IRQs off: it
 *	must not sleep) when a write changes the Secondary Bus Reset bit of a
 *	bridge above a guarded port
 *
 * Return: 0 or -errno (nothing registered).
 */
int p2pf_guard_init(p2pf_guard_notify_t notify, p2pf_guard_reset_t reset)
{
	struct pci_bus *any = pci_find_next_bus(NULL);

	guard_notify = notify;
	WRITE_ONCE(guard_reset_notify, reset);
	/* every bus points to the class; no bus at all: nothing to walk */
	guard_bus_class = any ? any->dev.class : NULL;
	return 0;
}

/**
 * p2pf_guard_exit() - the module is going: stop everything
 *
 * Nothing is wrapped any more (every wrapped bus holds a module
 * reference), so this restores any bus still on a copy (a bug: warned),
 * waits for every hook and caller in flight and frees the copies. The
 * caller has dropped every guarded port and stopped the bus notifier.
 */
void p2pf_guard_exit(void)
{
	struct guard_ops *go, *tmp;

	mutex_lock(&guard_mutex);
	WARN_ON_ONCE(guard_nports || guard_nbuses);
	guard_restore_inherited(true);
	mutex_unlock(&guard_mutex);
	/* hooks in flight, callers on their way in, then the frees */
	synchronize_rcu();
	synchronize_rcu_tasks();
	/*
	 * A bus being created when the notifier went (an SR-IOV driver
	 * needs no rescan lock) registers with its parent's ops: look once
	 * more. What is left is a bus still between pci_alloc_child_bus()
	 * and device_register() now, under a parent unwrapped before.
	 */
	mutex_lock(&guard_mutex);
	guard_restore_inherited(true);
	mutex_unlock(&guard_mutex);
	rcu_barrier();
	list_for_each_entry_safe(go, tmp, &guard_opses, node) {
		list_del(&go->node);
		kfree(go);
	}
	cancel_work_sync(&guard_work);
	guard_notify = NULL;
	WRITE_ONCE(guard_reset_notify, NULL);
	guard_bus_class = NULL;
}
