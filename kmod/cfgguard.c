// SPDX-License-Identifier: GPL-2.0
/*
 * cfgguard.c - config-space guard: keeps fence bits set.
 *
 * Anyone with root can clear ACS after the fence set it (`setpci
 * ECAP_ACS+6.w=0`, as GPU tuning guides suggest for P2P speed). The guard
 * wraps the struct pci_ops of every bus that carries a fenced port, as
 * drivers/pci/pcie/aer_inject.c does, so every config write to that bus --
 * kernel drivers, the sysfs `config` file that setpci and VFIO use -- passes
 * through guard_write() first.
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
 * Context: the hooks run under the PCI core's pci_lock, a raw spinlock with
 * IRQs off. They do not sleep or allocate: lookups are RCU hash walks, and
 * events go into a fixed ring drained by a work item. Reads, and writes to
 * anything but a guarded ACS control register, pass through untouched.
 *
 * Resets: a secondary bus reset puts every port below the bridge back to
 * ACS control 0 without any config write to those ports. The kernel's own
 * reset paths restore state afterwards (pci_enable_acs() writes through the
 * guard), but a reset set by hand in a bridge's control register is not
 * restored. So the bridges above guarded ports are watched too: a write to
 * such a bridge's control register asks for a re-check one second later
 * (after the reset and the kernel's own restore are over), which repairs
 * what the reset cleared. Only those bridges: a reset of a tenant's GPU at
 * VM start (its own port's secondary bus) asks for nothing.
 *
 * Coexistence: while we call the original ops, bus->ops points to them
 * (aer_inject's trick), so ops that use bus->ops->map_bus keep working, and
 * a wrapper installed on top of ours still reaches us. Ops are restored
 * only if they are still ours; otherwise the module pins itself, because
 * the other wrapper may call into us.
 */
#include <linux/hashtable.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/pci.h>
#include <linux/rculist.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/string.h>
#include <linux/workqueue.h>

#include "cfgguard.h"
#include "fence_model.h"

static bool guard_on = true;
module_param_named(guard, guard_on, bool, 0644);
MODULE_PARM_DESC(guard, "Keep fence bits set against config writes (default: on)");

struct guard_port {
	struct hlist_node node;		/* guard_ports, RCU */
	struct pci_dev *pdev;		/* referenced */
	struct pci_bus *bus;
	unsigned int devfn;
	u16 ctrl;			/* config offset of the ACS control register */
	u16 set;			/* bits that must stay set */
	u16 clear;			/* bits that must stay clear */
	unsigned int gen;		/* sync generation that last wanted it */
	struct rcu_head rcu;
};

struct guard_bus {
	struct hlist_node node;		/* guard_buses, RCU */
	struct pci_bus *bus;		/* device reference held */
	struct pci_ops *orig;
	unsigned int nports;
	bool stuck;			/* someone wrapped over us: cannot restore */
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
	u32 id;
	u16 tried;
	u16 kept;
	char comm[TASK_COMM_LEN];
};

#define GUARD_RING	64

static DEFINE_MUTEX(guard_mutex);	/* serialises protect/release/exit */
static DEFINE_HASHTABLE(guard_ports, 6);
static DEFINE_HASHTABLE(guard_buses, 4);
static DEFINE_HASHTABLE(guard_bridges, 4);
static unsigned int guard_nports;
static unsigned int guard_gen;

static DEFINE_RAW_SPINLOCK(ring_lock);
static struct guard_event ring[GUARD_RING];
static unsigned int ring_head, ring_len, ring_dropped;
static p2pf_guard_notify_t guard_notify;
static p2pf_guard_reset_t guard_reset_notify;

static void guard_work_fn(struct work_struct *work);
static DECLARE_WORK(guard_work, guard_work_fn);

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

static int guard_read(struct pci_bus *bus, unsigned int devfn, int where,
		      int size, u32 *val)
{
	struct pci_ops *mine = bus->ops, *orig;
	struct guard_bus *gb;
	int ret;

	rcu_read_lock();
	gb = guard_find_bus(bus);
	orig = gb ? READ_ONCE(gb->orig) : NULL;
	rcu_read_unlock();
	if (!orig)
		return PCIBIOS_DEVICE_NOT_FOUND;
	bus->ops = orig;
	ret = orig->read(bus, devfn, where, size, val);
	bus->ops = mine;
	return ret;
}

/* Queue a blocked-write event; called with IRQs off. */
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

static int guard_write(struct pci_bus *bus, unsigned int devfn, int where,
		       int size, u32 val)
{
	struct pci_ops *mine = bus->ops, *orig;
	struct guard_bus *gb;
	struct guard_port *gp;
	u16 tried, kept;
	bool blocked = false;
	int ret;

	rcu_read_lock();
	gb = guard_find_bus(bus);
	orig = gb ? READ_ONCE(gb->orig) : NULL;
	gp = orig && READ_ONCE(guard_on) ? guard_find_port(bus, devfn) : NULL;
	if (gp && where < gp->ctrl + 2 && where + size > gp->ctrl) {
		u32 forced = guard_force(gp, where, size, val, &tried, &kept);

		if (forced != val) {
			val = forced;
			blocked = true;
			guard_record(gp, tried, kept);
		}
	}
	/*
	 * Bridge control of a bridge above guarded ports: a secondary bus
	 * reset may start or end here. Inside the RCU section, so that
	 * p2pf_guard_exit() knows no call is still on its way.
	 */
	if (orig && where <= PCI_BRIDGE_CONTROL && where + size > PCI_BRIDGE_CONTROL &&
	    READ_ONCE(guard_on) && guard_find_bridge(bus, devfn)) {
		p2pf_guard_reset_t cb = READ_ONCE(guard_reset_notify);

		if (cb)
			cb();
	}
	rcu_read_unlock();
	if (!orig)
		return PCIBIOS_DEVICE_NOT_FOUND;
	bus->ops = orig;
	ret = orig->write(bus, devfn, where, size, val);
	bus->ops = mine;
	if (blocked)
		pr_warn_ratelimited("kept fence bits on %04x:%02x:%02x.%d (write %#06x -> %#06x)\n",
				    pci_domain_nr(bus), bus->number, PCI_SLOT(devfn),
				    PCI_FUNC(devfn), tried, kept);
	return ret;
}

static struct pci_ops guard_ops = {
	.read = guard_read,
	.write = guard_write,
};

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

/* Wrap @bus's ops (first port on it) or count one more port. */
static int guard_bus_get(struct pci_bus *bus)
{
	struct guard_bus *gb = guard_find_bus(bus);

	if (gb) {
		gb->nports++;
		return 0;
	}
	gb = kzalloc(sizeof(*gb), GFP_KERNEL);
	if (!gb)
		return -ENOMEM;
	get_device(&bus->dev);
	gb->bus = bus;
	gb->nports = 1;
	gb->orig = READ_ONCE(bus->ops);
	/* visible to the hooks before they can be called on this bus */
	hash_add_rcu(guard_buses, &gb->node, (unsigned long)bus);
	WRITE_ONCE(gb->orig, pci_bus_set_ops(bus, &guard_ops));
	return 0;
}

/* Restore @gb's ops when no port on it is guarded any more. */
static void guard_bus_put(struct guard_bus *gb)
{
	struct pci_ops *now;

	if (--gb->nports || gb->stuck)
		return;
	now = pci_bus_set_ops(gb->bus, gb->orig);
	if (now != &guard_ops) {
		/*
		 * Someone wrapped over us and may call guard_ops as "their
		 * original": put their ops back and keep ours in the chain
		 * (a pass-through now, nports == 0) for as long as we live.
		 */
		pci_bus_set_ops(gb->bus, now);
		gb->stuck = true;
		__module_get(THIS_MODULE);	/* for good: see above */
		pr_warn("%04x:%02x: pci_ops wrapped by another module; keeping the guard in the chain\n",
			pci_domain_nr(gb->bus), gb->bus->number);
		return;
	}
	hash_del_rcu(&gb->node);
	synchronize_rcu();	/* no hook still reads gb */
	put_device(&gb->bus->dev);
	kfree(gb);
}

static void guard_bridge_put(struct guard_bridge *gbr)
{
	struct guard_bus *gb;

	if (WARN_ON_ONCE(!gbr) || --gbr->nports)
		return;
	hash_del_rcu(&gbr->node);
	gb = guard_find_bus(gbr->bus);
	kfree_rcu(gbr, rcu);
	if (gb)
		guard_bus_put(gb);	/* waits for the hooks (synchronize_rcu) */
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

	for (br = pci_upstream_bridge(port); br; br = pci_upstream_bridge(br)) {
		gbr = guard_find_bridge(br->bus, br->devfn);
		if (gbr) {
			gbr->nports++;
			continue;
		}
		gbr = kzalloc(sizeof(*gbr), GFP_KERNEL);
		if (!gbr || guard_bus_get(br->bus)) {
			kfree(gbr);
			guard_bridges_put(port, br);
			return -ENOMEM;
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
 * Updates the bits if @port is guarded already. Process context; takes a
 * reference on @port.
 *
 * Return: 0, -ENODEV when @port has no ACS capability, -ENOMEM.
 */
int p2pf_guard_protect(struct pci_dev *port, u16 set, u16 clear)
{
	struct guard_port *gp, *old;
	int pos, ret;

	pos = pci_find_ext_capability(port, PCI_EXT_CAP_ID_ACS);
	if (!pos)
		return -ENODEV;
	clear &= ~set;
	mutex_lock(&guard_mutex);
	old = guard_find_port(port->bus, port->devfn);
	if (old && old->set == set && old->clear == clear) {
		/* unchanged (every transaction re-syncs): no churn */
		old->gen = guard_gen;
		mutex_unlock(&guard_mutex);
		return 0;
	}
	mutex_unlock(&guard_mutex);
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
	if (old) {
		gp->pdev = old->pdev;	/* the reference moves over */
		hash_del_rcu(&old->node);
		hash_add_rcu(guard_ports, &gp->node,
			     (unsigned long)gp->bus ^ gp->devfn);
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
	struct guard_bus *gb = guard_find_bus(gp->bus);

	hash_del_rcu(&gp->node);
	guard_nports--;
	synchronize_rcu();
	if (gb)
		guard_bus_put(gb);
	guard_bridges_put(gp->pdev, NULL);
	pci_dev_put(gp->pdev);
	kfree(gp);
}

/**
 * p2pf_guard_release() - stop guarding a port
 * @port: it is going away, or no owner needs its fence any more
 *
 * The bits stay as they are: fail closed.
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
 * p2pf_guard_sync_end() - release the ports the sync did not protect
 */
void p2pf_guard_sync_end(void)
{
	struct guard_port *gp;
	struct hlist_node *tmp;
	int bkt;

	mutex_lock(&guard_mutex);
	hash_for_each_safe(guard_ports, bkt, tmp, gp, node)
		if (gp->gen != guard_gen)
			guard_port_del(gp);
	mutex_unlock(&guard_mutex);
}

/**
 * p2pf_guard_bytes() - memory the guard holds now
 * @nbuses: set to the number of wrapped buses
 *
 * Return: bytes allocated for guarded ports, watched bridges and wrapped
 * buses (ksize()).
 */
size_t p2pf_guard_bytes(unsigned int *nbuses)
{
	struct guard_bridge *gbr;
	struct guard_port *gp;
	struct guard_bus *gb;
	size_t bytes = 0;
	int bkt;

	*nbuses = 0;
	mutex_lock(&guard_mutex);
	hash_for_each(guard_ports, bkt, gp, node)
		bytes += ksize(gp);
	hash_for_each(guard_buses, bkt, gb, node) {
		bytes += ksize(gb);
		(*nbuses)++;
	}
	hash_for_each(guard_bridges, bkt, gbr, node)
		bytes += ksize(gbr);
	mutex_unlock(&guard_mutex);
	return bytes;
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
 * p2pf_guard_init() - set up the guard
 * @notify: called in process context for each blocked write
 * @reset: called (under pci_lock, IRQs off: it must not sleep) on a write
 *	to the control register of a bridge above a guarded port
 *
 * Return: 0.
 */
int p2pf_guard_init(p2pf_guard_notify_t notify, p2pf_guard_reset_t reset)
{
	guard_notify = notify;
	WRITE_ONCE(guard_reset_notify, reset);
	return 0;
}

/**
 * p2pf_guard_exit() - unguard every port and restore every bus's ops.
 *
 * Return: 0, or -EBUSY when some bus's ops were wrapped over ours: then our
 * ops stay in that chain and the caller must keep the module loaded.
 */
int p2pf_guard_exit(void)
{
	struct guard_port *gp;
	struct hlist_node *tmp;
	struct guard_bus *gb;
	int bkt, ret = 0;

	mutex_lock(&guard_mutex);
	hash_for_each_safe(guard_ports, bkt, tmp, gp, node)
		guard_port_del(gp);
	hash_for_each(guard_buses, bkt, gb, node)
		if (gb->stuck)
			ret = -EBUSY;
	mutex_unlock(&guard_mutex);
	if (!ret) {
		/* every bus is unwrapped and RCU-synced: no hook runs any more */
		cancel_work_sync(&guard_work);
		guard_notify = NULL;
		WRITE_ONCE(guard_reset_notify, NULL);
	}
	return ret;
}
