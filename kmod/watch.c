// SPDX-License-Identifier: GPL-2.0
/*
 * watch.c - keep the fence: hotplug, periodic audit, the guard, unload pin.
 *
 * A fence that a hot-added switch, a secondary bus reset or a root shell can
 * undo is no fence. Three things re-check it:
 *
 *  - the PCI bus notifier: a device that appears or goes schedules a
 *    reconcile; a guarded port that goes is unguarded at once (its bus may
 *    be freed right after);
 *  - a periodic audit every `audit_interval` seconds (0: off);
 *  - the guard: a write to the control register of a bridge above a
 *    guarded port (a secondary bus reset) asks for a re-check a second
 *    later;
 *  - every netlink write transaction ends with p2pf_watch_sync(), and a
 *    mode change re-checks at once, before it returns (the guard is on in
 *    enforce mode only; switching to enforce repairs what drifted).
 *
 * A reconcile re-reads the hardware: owned devices that are gone are
 * dropped from the table (`device-removed`), drift is repaired in enforce
 * mode (`drift-repaired`) node by node -- a node that cannot be programmed
 * is logged and reported, and does not undo the others -- and what cannot
 * be fenced any more (a hot-added host device next to a tenant's behind an
 * ACS-less switch, or a repair that failed) is notified as `violation` and
 * logged loudly. Then the guard is synced to the ports the
 * current table needs.
 *
 * Unload: while tenants are assigned the module holds a reference on itself
 * (rmmod says "in use") unless `allow_unload` is set: unloading forgets the
 * owner table, and a host whose table is forgotten cannot re-check its
 * fences on hotplug. The guard pins the module too, while any bus is
 * wrapped (cfgguard.c); `mode=audit` drops the guard. Either way,
 * unloading writes nothing: every bit the fence set stays set.
 */
#include <linux/debugfs.h>
#include <linux/module.h>
#include <linux/notifier.h>
#include <linux/seq_file.h>
#include <linux/pci.h>
#include <linux/slab.h>
#include <linux/workqueue.h>

#include "cfgguard.h"
#include "p2pfence.h"
#include <linux/p2pfence.h>

static unsigned int audit_interval = 10;
static int audit_interval_set(const char *val, const struct kernel_param *kp);
static const struct kernel_param_ops audit_interval_ops = {
	.set = audit_interval_set,
	.get = param_get_uint,
};
module_param_cb(audit_interval, &audit_interval_ops, &audit_interval, 0644);
MODULE_PARM_DESC(audit_interval, "seconds between hardware re-checks (0: off; default 10); a change takes effect at once");

static bool allow_unload;
module_param(allow_unload, bool, 0644);
MODULE_PARM_DESC(allow_unload, "allow rmmod while tenants are assigned (default: no)");

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

static bool watch_pinned;	/* under p2pf_lock */
static struct dentry *watch_dir;
static bool watch_live;		/* works may (re)arm themselves */

static void watch_audit_fn(struct work_struct *work);
static void watch_hotplug_fn(struct work_struct *work);
static DECLARE_DELAYED_WORK(watch_audit_work, watch_audit_fn);
static DECLARE_DELAYED_WORK(watch_hotplug_work, watch_hotplug_fn);
static void watch_reset_fn(struct work_struct *work);
static DECLARE_DELAYED_WORK(watch_reset_work, watch_reset_fn);

/* The ACS control bits that must stay clear at node @i. */
static u16 watch_clear_bits(const struct fm_node *nd)
{
	return (nd->flags & FM_NODE_EC_FENCE) ? PCI_ACS_DT : FM_MUST_CLEAR;
}

/**
 * p2pf_watch_sync() - guard exactly the ports the committed table needs
 * @t: a topology built in this transaction
 *
 * Caller holds p2pf_lock and the rescan lock. Recomputes the engine's needs
 * for the committed owner table (the transaction may have left a would-be
 * table in @t), guards those ports in enforce mode (in audit mode nothing
 * is guarded: audit changes nothing), and pins or unpins the module.
 */
void p2pf_watch_sync(struct p2pf_topo *t)
{
	const struct p2pf_owners *o = p2pf_owners_cur();
	struct fm_policy pol = { .allow_ats = READ_ONCE(p2pf_allow_ats) };
	bool enforce = READ_ONCE(p2pf_mode) == P2PFENCE_MODE_ENFORCE &&
		       p2pf_guard_enabled();
	u32 i, nv;

	lockdep_assert_held(&p2pf_lock);
	if (!READ_ONCE(watch_live))
		return;		/* unloading: p2pf_watch_exit() unguards */
	if (!allow_unload && o->n && !watch_pinned) {
		__module_get(THIS_MODULE);
		watch_pinned = true;
	} else if ((allow_unload || !o->n) && watch_pinned) {
		module_put(THIS_MODULE);
		watch_pinned = false;
	}

	p2pf_owners_fill(o, t, t->owner);
	if (fm_set_owners(t->ctx, t->owner))
		return;
	fm_audit(t->ctx, &pol, NULL, 0, &nv, t->need);

	p2pf_guard_sync_begin();
	for (i = 0; enforce && i < t->n; i++) {
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
		ret = p2pf_guard_protect(pdev, t->need[i], watch_clear_bits(nd));
		if (ret)
			pci_warn(pdev, "p2pfence: cannot guard the fence bits (%d)\n", ret);
		pci_dev_put(pdev);
	}
	p2pf_guard_sync_end();
}

/* Drop owned devices that are gone; notify each. */
static void watch_drop_removed(struct p2pf_topo *t)
{
	const struct p2pf_owners *o = p2pf_owners_cur();
	struct p2pf_owners *keep;
	u32 i, k = 0;

	for (i = 0; i < o->n; i++)
		if (fm_find(t->ctx, o->e[i].id) < 0)
			break;
	if (i == o->n)
		return;
	keep = p2pf_owners_alloc(o->n);
	if (!keep)
		return;	/* tried again at the next reconcile */
	for (i = 0; i < o->n; i++) {
		if (fm_find(t->ctx, o->e[i].id) >= 0) {
			keep->e[k++] = o->e[i];
			continue;
		}
		pr_warn("%s (tenant %u) is gone: released\n",
			p2pf_ids(o->e[i].id).s, o->e[i].tenant);
		p2pf_event(t, P2PFENCE_EVENT_DEVICE_REMOVED, o->e[i].id,
			   o->e[i].tenant, NULL, 0);
	}
	keep->n = k;
	p2pf_owners_commit(keep);
}

/*
 * Re-read the hardware and make the fence whole again. @why names the
 * trigger in the log.
 */
static void watch_reconcile(const char *why)
{
	struct fm_policy pol = { .allow_ats = READ_ONCE(p2pf_allow_ats) };
	struct fm_verdict *left = NULL;
	struct p2pf_wlog log = {};
	struct p2pf_topo t;
	u8 *failed = NULL;
	u32 i, nv, nleft, nfail = 0;
	bool enforce;

	mutex_lock(&p2pf_lock);
	/*
	 * Unloading, or nothing owned and nothing wrapped (a stuck bus with
	 * no port is retried by the sync below): nothing to do.
	 */
	if (!READ_ONCE(watch_live) ||
	    (!p2pf_owners_cur()->n && !p2pf_guard_count() && !p2pf_guard_busy())) {
		mutex_unlock(&p2pf_lock);
		return;
	}
	pci_lock_rescan_remove();
	if (p2pf_topo_build(&t)) {
		pr_err("%s: cannot model the PCI topology; fence not re-checked\n", why);
		/* audit mode or guard=0 still drop the guard: nothing to model */
		if (READ_ONCE(p2pf_mode) != P2PFENCE_MODE_ENFORCE ||
		    !p2pf_guard_enabled()) {
			p2pf_guard_sync_begin();
			p2pf_guard_sync_end();
		}
		goto unlock;
	}
	watch_drop_removed(&t);
	enforce = READ_ONCE(p2pf_mode) == P2PFENCE_MODE_ENFORCE;
	p2pf_owners_fill(p2pf_owners_cur(), &t, t.owner);
	if (fm_set_owners(t.ctx, t.owner))
		goto out;
	fm_audit(t.ctx, &pol, t.v, P2PF_MAX_VERDICTS, &t.nv, t.need);
	nv = min_t(u32, t.nv, P2PF_MAX_VERDICTS);
	if (enforce && nv) {
		/* node by node: one that fails does not undo the others */
		failed = kcalloc(max(t.n, 1U), sizeof(*failed), GFP_KERNEL);
		nfail = p2pf_repair(&t, t.need, &log, failed);
		left = kcalloc(nv, sizeof(*left), GFP_KERNEL);
		if (log.n) {
			pr_warn("%s: repaired %u fence register(s)\n", why, log.n);
			if (left)
				p2pf_event(&t, P2PFENCE_EVENT_DRIFT_REPAIRED,
					   P2PF_NO_ID, 0, left,
					   p2pf_verdicts_repaired(&t, nv, failed, left));
		}
		kfree(left);
		left = NULL;
	}
	nleft = p2pf_verdicts_left(&t, nv, enforce, failed, NULL);
	left = nleft ? kcalloc(nleft, sizeof(*left), GFP_KERNEL) : NULL;
	if (left)
		p2pf_verdicts_left(&t, nv, enforce, failed, left);
	for (i = 0; left && i < nleft; i++)
		pr_err("%s: %s (tenant %u) is not fenced: %s at %s\n", why,
		       p2pf_ids(t.nodes[left[i].dev].id).s,
		       t.owner[left[i].dev], fm_kind_name(left[i].kind),
		       p2pf_ids(t.nodes[left[i].at].id).s);
	if (nleft && !left)
		pr_err("%s: %u verdict(s) left; no memory to list them\n", why, nleft);
	if (nfail)
		pr_err("%s: %u fence register(s) could not be repaired\n", why, nfail);
	if (left)
		p2pf_event(&t, P2PFENCE_EVENT_VIOLATION, P2PF_NO_ID, 0, left, nleft);
	p2pf_watch_sync(&t);
out:
	kfree(left);
	kfree(failed);
	p2pf_wlog_free(&log);
	p2pf_topo_free(&t);
unlock:
	pci_unlock_rescan_remove();
	mutex_unlock(&p2pf_lock);
}

/*
 * guard=0 stops forcing at once and unwraps every bus before the write
 * returns (the re-check syncs the guard); guard=1 wraps again. Either way
 * the fence bits stay as they are. The parameter lock is held around this
 * (ordered before p2pf_lock, as mode= is).
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
	watch_reconcile(on ? "guard on" : "guard off");
	return 0;
}

/**
 * p2pf_watch_recheck() - re-check and repair now, synchronously
 * @why: for the log lines ("mode change", ...)
 *
 * Process context; takes p2pf_lock and the rescan lock, so the caller
 * holds neither. Does nothing once the watch has stopped.
 */
void p2pf_watch_recheck(const char *why)
{
	watch_reconcile(why);
}

static void watch_audit_fn(struct work_struct *work)
{
	unsigned int secs = READ_ONCE(audit_interval);

	/* the owner table is read under p2pf_lock, in watch_reconcile() */
	if (!secs)
		return;		/* off; audit_interval_set() starts it again */
	watch_reconcile("audit");
	if (READ_ONCE(watch_live))
		schedule_delayed_work(&watch_audit_work, secs * HZ);
}

/* what asked for the next re-check, for its log lines */
#define WATCH_WHY_HOTPLUG	1
#define WATCH_WHY_RESET		2
static atomic_t watch_why = ATOMIC_INIT(0);

static void watch_hotplug_fn(struct work_struct *work)
{
	int why = atomic_xchg(&watch_why, 0);

	watch_reconcile(why & WATCH_WHY_HOTPLUG ? "hotplug" :
			why & WATCH_WHY_RESET ? "bus reset" : "re-check");
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

/**
 * p2pf_watch_kick() - re-check the fence soon (e.g. after a mode change)
 */
void p2pf_watch_kick(void)
{
	/* queue, not mod: a stream of events must not push the re-check back */
	if (READ_ONCE(watch_live))
		queue_delayed_work(system_wq, &watch_hotplug_work, HZ / 10);
}

/*
 * The guard saw a write change the Secondary Bus Reset bit of a bridge
 * above a guarded port: the ports below may have been reset. Re-check a
 * second later (time for the reset and the kernel's own restore); the
 * earliest pending deadline is kept, and the write that ends the reset
 * queues another re-check if the first has run already. Any context.
 */
static atomic_t watch_reset_kicks = ATOMIC_INIT(0);
static unsigned long watch_reset_last;	/* jiffies of the last reset edge */

static void watch_reset_fn(struct work_struct *work)
{
	unsigned long start = jiffies, last = READ_ONCE(watch_reset_last);

	watch_reconcile("bus reset");
	/*
	 * An edge less than a second before this check began (a reset that
	 * was still settling): check once more, a second after that edge.
	 * A stream of resets gets a check about every second, never none.
	 */
	if (time_after(last + HZ, start) && READ_ONCE(watch_live))
		queue_delayed_work(system_wq, &watch_reset_work,
				   max_t(long, (long)(last + HZ - jiffies), 1));
}

static void watch_guard_reset(void)
{
	if (READ_ONCE(watch_live)) {
		WRITE_ONCE(watch_reset_last, jiffies);
		atomic_inc(&watch_reset_kicks);
		queue_delayed_work(system_wq, &watch_reset_work, HZ);
	}
}

static int watch_pci_event(struct notifier_block *nb, unsigned long action,
			   void *data)
{
	struct pci_dev *pdev = to_pci_dev(data);

	switch (action) {
	case BUS_NOTIFY_DEL_DEVICE:
		/* its bus may be freed soon: stop guarding it now */
		p2pf_guard_release(pdev);
		fallthrough;
	case BUS_NOTIFY_ADD_DEVICE:
		/* p2pf_lock nests outside the rescan lock we may hold: defer */
		atomic_or(WATCH_WHY_HOTPLUG, &watch_why);
		p2pf_watch_kick();
		break;
	}
	return NOTIFY_OK;
}

static struct notifier_block watch_nb = {
	.notifier_call = watch_pci_event,
};

static void watch_guard_event(u32 id, u16 tried, u16 kept, const char *comm)
{
	p2pf_event_write_blocked(id, comm);
}

/*
 * debugfs p2pfence/stats: what the module holds, for `make bench` (memory
 * per tracked device) and for people debugging a host.
 */
static int watch_stats_show(struct seq_file *m, void *unused)
{
	const struct p2pf_owners *o;
	struct p2pf_guard_stats gs;
	size_t obytes;
	u32 n;

	mutex_lock(&p2pf_lock);
	o = p2pf_owners_cur();
	n = o->n;
	obytes = n ? struct_size(o, e, n) : 0;
	mutex_unlock(&p2pf_lock);
	p2pf_guard_stats(&gs);
	seq_printf(m, "owned_devices %u\n", n);
	seq_printf(m, "owner_table_bytes %zu\n", obytes);
	seq_printf(m, "guarded_ports %u\n", gs.ports);
	seq_printf(m, "watched_bridges %u\n", gs.bridges);
	seq_printf(m, "wrapped_buses %u\n", gs.buses);
	seq_printf(m, "stuck_buses %u\n", gs.stuck);
	seq_printf(m, "inherited_buses_restored %u\n", gs.inherited);
	seq_printf(m, "guard_bytes %zu\n", gs.bytes);
	seq_printf(m, "pinned %d\n", watch_pinned);
	seq_printf(m, "reset_bit_changes %u\n", gs.resets);
	seq_printf(m, "reset_rechecks %d\n", atomic_read(&watch_reset_kicks));
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
		return ret;
	ret = bus_register_notifier(&pci_bus_type, &watch_nb);
	if (ret)
		goto err_notifier;
	WRITE_ONCE(watch_live, true);
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
 * the mode any more). Nothing is wrapped: the guard pins the module while
 * a bus is, and so does a table with tenants (unless allow_unload).
 */
void p2pf_watch_exit(void)
{
	debugfs_remove_recursive(watch_dir);
	kernel_param_lock(THIS_MODULE);	/* against audit_interval_set(), mode= */
	WRITE_ONCE(watch_live, false);
	kernel_param_unlock(THIS_MODULE);
	/* a p2pf_watch_sync() that still saw us live is over after this */
	mutex_lock(&p2pf_lock);
	mutex_unlock(&p2pf_lock);
	bus_unregister_notifier(&pci_bus_type, &watch_nb);
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
