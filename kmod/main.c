// SPDX-License-Identifier: GPL-2.0
/*
 * p2pfence - fence PCIe peer-to-peer DMA between devices of different owners.
 *
 * Module init/exit and parameters only; see kmod/README for the parts.
 *
 * Fail closed: unloading writes nothing. Every ACS bit the fence set stays
 * set; the owner table is forgotten (a reload picks it up again from
 * `p2pfencectl apply`).
 */
#include <linux/init.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/string.h>

#include "p2pfence.h"
#include <linux/p2pfence.h>

DEFINE_MUTEX(p2pf_lock);	/* transactions, the owner table, the mode */
unsigned int p2pf_mode = P2PFENCE_MODE_ENFORCE;
bool p2pf_allow_ats;

/**
 * p2pf_ids() - an id as userspace writes it
 * @id: FM_ID()
 *
 * Return: "DDDD:BB:DD.F" in a small struct, for one printk-style argument.
 */
struct p2pf_idstr p2pf_ids(u32 id)
{
	struct p2pf_idstr r;

	snprintf(r.s, sizeof(r.s), "%04x:%02x:%02x.%u", FM_ID_DOMAIN(id),
		 FM_ID_BUS(id), FM_ID_SLOT(id), FM_ID_FUNC(id));
	return r;
}

static const char *const p2pf_mode_names[] = {
	[P2PFENCE_MODE_ENFORCE] = "enforce",
	[P2PFENCE_MODE_AUDIT] = "audit",
};

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
	p2pf_watch_recheck("mode change");
}

static int p2pf_mode_param_set(const char *val, const struct kernel_param *kp)
{
	int i = sysfs_match_string(p2pf_mode_names, val);

	if (i < 0)
		return -EINVAL;
	p2pf_set_mode(i);
	return 0;
}

static int p2pf_mode_param_get(char *buf, const struct kernel_param *kp)
{
	return sysfs_emit(buf, "%s\n", p2pf_mode_names[READ_ONCE(p2pf_mode)]);
}

static const struct kernel_param_ops p2pf_mode_ops = {
	.set = p2pf_mode_param_set,
	.get = p2pf_mode_param_get,
};

module_param_cb(mode, &p2pf_mode_ops, NULL, 0644);
MODULE_PARM_DESC(mode, "enforce (default): refuse and program; audit: report only, write nothing");
module_param_named(allow_ats, p2pf_allow_ats, bool, 0644);
MODULE_PARM_DESC(allow_ats, "accept tenant devices with ATS enabled (default: no)");

static int __init p2pfence_init(void)
{
	int ret;

	/* the uapi enum is the engine's, value for value */
	BUILD_BUG_ON((int)P2PFENCE_VERDICT_KIND_ACS_DISABLED != (int)FM_ACS_DISABLED);
	BUILD_BUG_ON((int)P2PFENCE_VERDICT_KIND_MULTIFUNCTION_NO_ACS !=
		     (int)FM_MULTIFUNCTION_NO_ACS);
	BUILD_BUG_ON((int)P2PFENCE_VERDICT_KIND_ATS_ENABLED != (int)FM_KIND_MAX);

	/*
	 * The watch first: a transaction that commits must find it live, or
	 * its assignment would go unguarded and the module unpinned
	 * (p2pf_watch_sync() does nothing while the watch is not live).
	 */
	ret = p2pf_watch_init();
	if (ret)
		goto err_watch;
	ret = p2pf_nl_register();
	if (ret)
		goto err_nl;
	pr_info("loaded, mode %s\n", p2pf_mode_names[p2pf_mode]);
	return 0;

err_nl:
	p2pf_watch_exit();
	pr_err("cannot register the netlink family: %d\n", ret);
	return ret;
err_watch:
	pr_err("cannot start the hotplug watch: %d\n", ret);
	return ret;
}

/* the reverse of init: no doit runs (or starts) once the family is gone */
static void __exit p2pfence_exit(void)
{
	p2pf_nl_unregister();
	p2pf_watch_exit();
	mutex_lock(&p2pf_lock);
	p2pf_owners_exit();
	mutex_unlock(&p2pf_lock);
	pr_info("unloaded; ACS bits the fence set stay set\n");
}

module_init(p2pfence_init);
module_exit(p2pfence_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("Fence PCIe peer-to-peer DMA between devices of different owners");
MODULE_AUTHOR("p2pfence developers");
MODULE_VERSION(P2PFENCE_VERSION);
