// SPDX-License-Identifier: GPL-2.0
/*
 * p2pfence - fence PCIe peer-to-peer DMA between devices of different owners.
 *
 * Module init/exit only (stub until the netlink family lands).
 */
#include <linux/module.h>
#include <linux/init.h>

static int __init p2pfence_init(void)
{
	pr_info("loaded\n");
	return 0;
}

static void __exit p2pfence_exit(void)
{
	pr_info("unloaded\n");
}

module_init(p2pfence_init);
module_exit(p2pfence_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("Fence PCIe peer-to-peer DMA between devices of different owners");
MODULE_AUTHOR("p2pfence developers");
