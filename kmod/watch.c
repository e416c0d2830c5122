// SPDX-License-Identifier: GPL-2.0
/*
 * watch.c - keep the fence: hotplug, resets, the periodic audit, the guard.
 *
 * A fence that a hot-added switch, a secondary bus reset or a root shell can
 * undo is no fence. What re-checks it, each through the core's one audit
 * path (p2pf_recheck(), fence.c: the same as `p2pfencectl audit`, after
 * dropping owned devices that are gone):
 *
 *  - the PCI bus notifier: a device that appears or goes asks for a
 *    re-check 100 ms later (a stream of events keeps the earliest
 *    deadline); a guarded port that goes is unguarded at once;
 *  - the guard: a write that changes the Secondary Bus Reset bit of a
 *    bridge above a guarded port asks for a re-check a second later, and
 *    one more if an edge came late in that second;
 *  - a periodic audit every `audit_interval` seconds (0: off);
 *  - the `guard` parameter and a mode change re-check at once.
 *
 * It also tells (`vfio-bound`) when a host-owned device is bound to
 * vfio-pci: handed to a VM manager, assigned to no tenant.
 *
 * The guard itself (cfgguard.c) keeps the bits between re-checks; every
 * write transaction of the core leaves it covering exactly what the table
 * needs.
 */
#include <linux/debugfs.h>
#include <linux/module.h>
#include <linux/notifier.h>
#include <linux/pci.h>
#include <linux/seq_file.h>
#include <linux/workqueue.h>

#include "cfgguard.h"
#include "events.h"
#include "fence.h"
#include "topology.h"
#include "watch.h"

static unsigned int audit_interval = 10;
static int audit_interval_set(const char *val, const struct kernel_param *kp);
static const struct kernel_param_ops audit_interval_ops = {
	.set = audit_interval_set,
	.get = param_get_uint,
};
module_param_cb(audit_interval, &audit_interval_ops, &audit_interval, 0644);
MODULE_PARM_DESC(audit_interval, "seconds between hardware re-checks (0: off; default 10); a change takes effect at once");

static int guard_param_set(const char *val, const struct kernel_param *kp);
static int guard_param_get(char *buf, const struct kernel_param *kp)
{
	return sysfs_emit(buf, "%c\n", p2pf_guard_enabled() ? 'Y' : 'N');
}

static const struct kernel_param_ops guard_param_ops = {
	.set = guard_param_set,
	.get = guard_param_get,
};
module_param_cb(guard, &guard_param_ops, NULL, 0644);
MODULE_PARM_DESC(guard, "keep fence bits set against config writes (default: on); off unwraps every bus at once (needed to rmmod with tenants assigned)");

static struct dentry *watch_dir;
static bool watch_live;		/* works may (re)arm themselves */

static void watch_audit_fn(struct work_struct *work);
static void watch_hotplug_fn(struct work_struct *work);
static void watch_reset_fn(struct work_struct *work);
static DECLARE_DELAYED_WORK(watch_audit_work, watch_audit_fn);
static DECLARE_DELAYED_WORK(watch_hotplug_work, watch_hotplug_fn);
static DECLARE_DELAYED_WORK(watch_reset_work, watch_reset_fn);

static atomic_t watch_reset_kicks = ATOMIC_INIT(0);
static unsigned long watch_reset_last;	/* jiffies of the last reset edge */

/*
 * guard=0 stops forcing at once and unwraps every bus before the write
 * returns (the re-check syncs the guard); guard=1 wraps again. Either way
 * the fence bits stay as they are. The parameter lock is held around this
 * (ordered before the core's lock, as mode= is).
 */
static int guard_param_set(const char *val, const struct kernel_param *kp)
{
	bool on;
	int ret = kstrtobool(val, &on);

	if (ret)
		return ret;
	p2pf_guard_set_enabled(on);
	pr_info("guard %s\n",
		on ? "on" : "off: fence bits are no longer kept against config writes");
	p2pf_recheck(on ? "guard on" : "guard off");
	return 0;
}

static void watch_audit_fn(struct work_struct *work)
{
	unsigned int secs = READ_ONCE(audit_interval);

	if (!secs)
		return;		/* off; audit_interval_set() starts it again */
	p2pf_recheck("audit");
	if (READ_ONCE(watch_live))
		schedule_delayed_work(&watch_audit_work, secs * HZ);
}

static void watch_hotplug_fn(struct work_struct *work)
{
	p2pf_recheck("hotplug");
}

/*
 * A new interval starts now (an audit runs at once), not after the old one
 * ran out: after `echo 1 > audit_interval` nobody should wait up to the old
 * period. The parameter lock (held around this by the sysfs store) orders
 * it against p2pf_watch_exit(), so no work is queued after the cancel.
 */
static int audit_interval_set(const char *val, const struct kernel_param *kp)
{
	int ret = param_set_uint(val, kp);

	if (!ret && READ_ONCE(watch_live))
		mod_delayed_work(system_wq, &watch_audit_work, 0);
	return ret;
}

static void watch_reset_fn(struct work_struct *work)
{
	unsigned long start = jiffies, last = READ_ONCE(watch_reset_last);

	p2pf_recheck("bus reset");
	/*
	 * An edge less than a second before this check began (a reset that
	 * was still settling): check once more, a second after that edge.
	 * A stream of resets gets a check about every second, never none.
	 */
	if (time_after(last + HZ, start) && READ_ONCE(watch_live))
		queue_delayed_work(system_wq, &watch_reset_work,
				   max_t(long, (long)(last + HZ - jiffies), 1));
}

/*
 * The guard saw a write change the Secondary Bus Reset bit of a bridge
 * above a guarded port: the ports below may have been reset. Re-check a
 * second later (time for the reset and the kernel's own restore); the
 * earliest pending deadline is kept. Any context.
 */
static void watch_guard_reset(void)
{
	if (READ_ONCE(watch_live)) {
		WRITE_ONCE(watch_reset_last, jiffies);
		atomic_inc(&watch_reset_kicks);
		queue_delayed_work(system_wq, &watch_reset_work, HZ);
	}
}

/*
 * Devices that were just bound to vfio-pci, for the work that tells the
 * host-owned ones (a notifier cannot take the core's lock). Bounded: a
 * burst beyond it is counted, not queued.
 */
#define WATCH_VFIO_MAX	64
static DEFINE_SPINLOCK(watch_vfio_lock);
static u64 watch_vfio_ids[WATCH_VFIO_MAX];
static unsigned int watch_vfio_n;
static atomic_t watch_vfio_dropped = ATOMIC_INIT(0);

static void watch_vfio_fn(struct work_struct *work)
{
	u64 ids[WATCH_VFIO_MAX];
	unsigned int i, n;

	spin_lock(&watch_vfio_lock);
	n = watch_vfio_n;
	memcpy(ids, watch_vfio_ids, n * sizeof(ids[0]));
	watch_vfio_n = 0;
	spin_unlock(&watch_vfio_lock);
	for (i = 0; i < n; i++)
		p2pf_vfio_bound(ids[i]);
}

static DECLARE_WORK(watch_vfio_work, watch_vfio_fn);

/* BUS_NOTIFY_BOUND_DRIVER: the driver core holds the device lock */
static void watch_bound(struct pci_dev *pdev)
{
	const struct device_driver *drv = pdev->dev.driver;
	bool queued = false;

	if (!drv || !p2pf_vfio_driver(drv->name) || !READ_ONCE(watch_live))
		return;
	spin_lock(&watch_vfio_lock);
	if (watch_vfio_n < WATCH_VFIO_MAX) {
		watch_vfio_ids[watch_vfio_n++] =
			FM_ID(pci_domain_nr(pdev->bus), pdev->bus->number, pdev->devfn);
		queued = true;
	}
	spin_unlock(&watch_vfio_lock);
	if (queued)
		schedule_work(&watch_vfio_work);
	else
		atomic_inc(&watch_vfio_dropped);
}

static int watch_pci_event(struct notifier_block *nb, unsigned long action,
			   void *data)
{
	struct pci_dev *pdev = to_pci_dev(data);

	switch (action) {
	case BUS_NOTIFY_BOUND_DRIVER:
		watch_bound(pdev);
		return NOTIFY_OK;
	case BUS_NOTIFY_DEL_DEVICE:
		/* the port is going: stop guarding it now */
		p2pf_guard_release(pdev);
		break;
	case BUS_NOTIFY_ADD_DEVICE:
		/* a bus below a wrapped one starts on the guard's ops */
		p2pf_guard_dev_added(pdev);
		break;
	default:
		return NOTIFY_OK;
	}
	/*
	 * The core's lock nests outside the rescan lock we may hold: defer.
	 * queue, not mod: a stream of events must not push the re-check back.
	 */
	if (READ_ONCE(watch_live))
		queue_delayed_work(system_wq, &watch_hotplug_work, HZ / 10);
	return NOTIFY_OK;
}

static struct notifier_block watch_nb = {
	.notifier_call = watch_pci_event,
};

static void watch_guard_event(u64 id, u16 tried, u16 kept, const char *comm)
{
	p2pf_ev_write_blocked(id, comm);
}

/*
 * debugfs p2pfence/stats: what the module holds, for `make bench` (memory
 * per tracked device) and for people debugging a host.
 */
static int watch_stats_show(struct seq_file *m, void *unused)
{
	struct p2pf_guard_stats gs;
	size_t obytes;
	bool pinned;
	u32 n;

	p2pf_fence_stats(&n, &obytes, &pinned);
	p2pf_guard_stats(&gs);
	seq_printf(m, "owned_devices %u\n", n);
	seq_printf(m, "owner_table_bytes %zu\n", obytes);
	seq_printf(m, "guarded_ports %u\n", gs.ports);
	seq_printf(m, "watched_bridges %u\n", gs.bridges);
	seq_printf(m, "wrapped_buses %u\n", gs.buses);
	seq_printf(m, "stuck_buses %u\n", gs.stuck);
	seq_printf(m, "inherited_buses_restored %u\n", gs.inherited);
	seq_printf(m, "guard_bytes %zu\n", gs.bytes);
	seq_printf(m, "pinned %d\n", pinned);
	seq_printf(m, "reset_bit_changes %u\n", gs.resets);
	seq_printf(m, "reset_rechecks %d\n", atomic_read(&watch_reset_kicks));
	seq_printf(m, "vfio_events_dropped %d\n", atomic_read(&watch_vfio_dropped));
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(watch_stats);

/**
 * p2pf_watch_init() - start the guard, the notifier and the periodic audit
 *
 * Return: 0 or -errno (nothing left registered).
 */
int p2pf_watch_init(void)
{
	int ret;

	ret = p2pf_guard_init(watch_guard_event, watch_guard_reset);
	if (ret)
		return ret;	/* nothing registered */
	ret = bus_register_notifier(&pci_bus_type, &watch_nb);
	if (ret)
		goto err_notifier;
	WRITE_ONCE(watch_live, true);
	p2pf_fence_start();
	if (audit_interval)
		schedule_delayed_work(&watch_audit_work, audit_interval * HZ);
	/* best effort: no debugfs is no reason to refuse to fence */
	watch_dir = debugfs_create_dir("p2pfence", NULL);
	debugfs_create_file("stats", 0400, watch_dir, NULL, &watch_stats_fops);
	return 0;

err_notifier:
	p2pf_guard_exit();
	return ret;
}

/**
 * p2pf_watch_exit() - stop everything; the fence bits stay set
 *
 * The netlink family is gone already (no doit can sync the guard or set
 * the mode any more). Nothing is wrapped: every wrapped bus holds a module
 * reference, and so does a table with tenants (unless allow_unload).
 */
void p2pf_watch_exit(void)
{
	debugfs_remove_recursive(watch_dir);
	kernel_param_lock(THIS_MODULE);	/* against audit_interval=, guard=, mode= */
	WRITE_ONCE(watch_live, false);
	p2pf_fence_stop();
	kernel_param_unlock(THIS_MODULE);
	bus_unregister_notifier(&pci_bus_type, &watch_nb);
	/* no notifier runs now: nothing queues it again */
	cancel_work_sync(&watch_vfio_work);
	cancel_delayed_work_sync(&watch_audit_work);
	cancel_delayed_work_sync(&watch_hotplug_work);
	cancel_delayed_work_sync(&watch_reset_work);
	/* drop what is still guarded (only if rmmod raced a re-check) */
	pci_lock_rescan_remove();
	p2pf_guard_sync_begin();
	p2pf_guard_sync_end();
	pci_unlock_rescan_remove();
	p2pf_guard_exit();
	/* queued by a hook that raced with the above: a no-op now */
	cancel_delayed_work_sync(&watch_hotplug_work);
	cancel_delayed_work_sync(&watch_reset_work);
}
