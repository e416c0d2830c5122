// SPDX-License-Identifier: GPL-2.0
/*
 * p2pfence - fence PCIe peer-to-peer DMA between devices of different owners.
 *
 * Module init/exit and the plain parameters; see kmod/README for the parts.
 * Init: the watch (guard, notifier, periodic audit), then the netlink
 * family; exit in reverse. Unloading writes nothing: every ACS bit the
 * fence set stays set (kmod/README, "Fail closed").
 */
#include <linux/init.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/string.h>

#include "fence.h"
#include "nl-family.h"
#include "watch.h"
#include <linux/p2pfence.h>

static const char *const p2pf_mode_names[] = {
	[P2PFENCE_MODE_ENFORCE] = "enforce",
	[P2PFENCE_MODE_AUDIT] = "audit",
};

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
	return sysfs_emit(buf, "%s\n", p2pf_mode_names[p2pf_get_mode()]);
}

static const struct kernel_param_ops p2pf_mode_ops = {
	.set = p2pf_mode_param_set,
	.get = p2pf_mode_param_get,
};

module_param_cb(mode, &p2pf_mode_ops, NULL, 0644);
MODULE_PARM_DESC(mode, "enforce (default): refuse and program; audit: report only, write nothing");
module_param_named(allow_ats, p2pf_allow_ats, bool, 0644);
MODULE_PARM_DESC(allow_ats, "accept tenant devices with ATS enabled (default: no)");
module_param_named(vfio_strict, p2pf_vfio_strict, bool, 0644);
MODULE_PARM_DESC(vfio_strict, "a host-owned device on vfio-pci makes audit report not isolated (default: no, it is listed)");
module_param_named(allow_unload, p2pf_allow_unload, bool, 0644);
MODULE_PARM_DESC(allow_unload, "allow rmmod while tenants are assigned (default: no; the guard still pins the module while it wraps a bus: guard=0 first)");

static int __init p2pfence_init(void)
{
	int ret;

	/* the uapi enum is the engine's, value for value */
	/* 48-bit device ids in a long: dump cursors, the history's xarray */
	BUILD_BUG_ON(BITS_PER_LONG < 64);
	BUILD_BUG_ON((int)P2PFENCE_VERDICT_KIND_ACS_DISABLED != (int)FM_ACS_DISABLED);
	BUILD_BUG_ON((int)P2PFENCE_VERDICT_KIND_MULTIFUNCTION_NO_ACS !=
		     (int)FM_MULTIFUNCTION_NO_ACS);
	BUILD_BUG_ON((int)P2PFENCE_VERDICT_KIND_ATS_ENABLED != (int)FM_ATS_ENABLED);
	BUILD_BUG_ON((int)P2PFENCE_VERDICT_KIND_NO_RESET != (int)FM_KIND_MAX);

	/*
	 * The watch first: a transaction that commits must find it live, or
	 * its assignment would go unguarded and the module unpinned.
	 */
	ret = p2pf_watch_init();
	if (ret)
		goto err_watch;
	ret = p2pf_nl_register();
	if (ret)
		goto err_nl;
	pr_info("loaded, mode %s\n", p2pf_mode_names[p2pf_get_mode()]);
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
	p2pf_fence_exit();
	pr_info("unloaded; ACS bits the fence set stay set\n");
}

module_init(p2pfence_init);
module_exit(p2pfence_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("Fence PCIe peer-to-peer DMA between devices of different owners");
MODULE_AUTHOR("p2pfence developers");
MODULE_VERSION(P2PFENCE_VERSION);
