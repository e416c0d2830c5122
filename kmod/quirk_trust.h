/* SPDX-License-Identifier: GPL-2.0 */
/*
 * quirk_trust.h - the operator's opt-in to trust the kernel's isolation at
 * one vendor:device (p2pfence.conf(5) trust-quirk), and what an acs-faked
 * verdict says the kernel believed, for the module (topology.c, decide.c,
 * events.c, netlink.c) and p2pfencectl (check, verdicts) alike: one rule,
 * two callers. Pure, like fence_model.h.
 *
 * Why the kernel believes a port isolated that the fence finds lacking:
 * pci_device_group() splits the IOMMU groups below a port when
 * pci_acs_enabled(port, SV RR CR UF) holds. That is either a
 * device-specific quirk (pci_dev_specific_acs_enabled(), tried first: Intel
 * PCH root ports without an ACS capability, say) or the out-of-tree
 * pcie_acs_override patch -- or, with an ACS capability,
 * pci_acs_flags_enabled(), which masks the request with the capability
 * register: a bit the port does not implement counts as enforced (the
 * spec lets a port leave out what it has no path for). The fence trusts
 * only bits it reads, so it calls both acs-faked; the message says which.
 */
#ifndef _P2PFENCE_QUIRK_TRUST_H
#define _P2PFENCE_QUIRK_TRUST_H

#include "fence_model.h"
#include <linux/p2pfence.h>

/* a trusted vendor:device as the netlink entry carries it */
#define P2PF_QUIRK_ID(vendor, device)	(((u32)(vendor) << 16) | ((u32)(device) & 0xffff))
#define P2PF_QUIRK_VENDOR(q)		((unsigned int)((q) >> 16))
#define P2PF_QUIRK_DEVICE(q)		((unsigned int)((q) & 0xffff))

/* the request pci_device_group() makes of every port and function */
#define P2PF_KERNEL_REQ_ACS	(PCI_ACS_SV | PCI_ACS_RR | PCI_ACS_CR | PCI_ACS_UF)

/**
 * p2pf_quirk_bad() - may @q (vendor << 16 | device) be trusted?
 * Return: NULL, or why not (vendor 0000 or ffff, device ffff: no device).
 */
static inline const char *p2pf_quirk_bad(u32 q)
{
	if (P2PF_QUIRK_VENDOR(q) == 0 || P2PF_QUIRK_VENDOR(q) == 0xffff)
		return "vendor 0000 and ffff name no device";
	if (P2PF_QUIRK_DEVICE(q) == 0xffff)
		return "device ffff names no device";
	return NULL;
}

/**
 * p2pf_faked_why() - why the kernel believes @nd isolated (acs-faked at it)
 * @nd: the node of an acs-faked verdict
 *
 * Return: P2PFENCE_FAKED_WHY_UNIMPLEMENTED when @nd has an ACS capability
 * whose implemented bits of the kernel's request are all on and the fence
 * needs bits it leaves out (pci_acs_flags_enabled() passes it); else
 * P2PFENCE_FAKED_WHY_QUIRK (no capability, or implemented bits off: only a
 * quirk or an override passes it).
 */
static inline u32 p2pf_faked_why(const struct fm_node *nd)
{
	u16 need = fm_is_fabric(nd->type) ? FM_NEED_PORT : FM_NEED_FUNC;
	u16 impl = nd->acs_cap & P2PF_KERNEL_REQ_ACS;

	if ((nd->flags & FM_NODE_ACS) && (need & ~nd->acs_cap) &&
	    (nd->acs_ctrl & impl) == impl)
		return P2PFENCE_FAKED_WHY_UNIMPLEMENTED;
	return P2PFENCE_FAKED_WHY_QUIRK;
}

#endif /* _P2PFENCE_QUIRK_TRUST_H */
