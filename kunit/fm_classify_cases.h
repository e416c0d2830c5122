/* SPDX-License-Identifier: GPL-2.0 */
/*
 * fm_classify_cases.h - table cases of the one device classifier,
 * fm_classify(): run by KUnit (fence_model_test.c) and by the userspace
 * engine tests (tests/unit/classify.c). Each case is config space as a
 * real device shows it, and what the fence must take it for.
 */
#ifndef _P2PFENCE_FM_CLASSIFY_CASES_H
#define _P2PFENCE_FM_CLASSIFY_CASES_H

struct fm_classify_case {
	const char *desc;
	u32 class;	/* Class Code */
	u8 hdr;		/* Header Type, layout bits (bit 7 may be set) */
	bool pcie;	/* PCI Express Capability present */
	u8 ptype;	/* its Device/Port Type */
	bool root;	/* on a root bus */
	u8 want;	/* enum fm_type */
};

static const struct fm_classify_case fm_classify_cases[] = {
	{ "PCIe endpoint (a GPU)", 0x030000, 0, true, PCI_EXP_TYPE_ENDPOINT, false, FM_ENDPOINT },
	{ "legacy endpoint", 0x020000, 0, true, PCI_EXP_TYPE_LEG_END, false, FM_ENDPOINT },
	{ "conventional PCI device below a bridge", 0x0c0330, 0, false, 0, false, FM_ENDPOINT },
	{ "multifunction bit in the header type is ignored", 0x030000, 0x80, true, PCI_EXP_TYPE_ENDPOINT, false, FM_ENDPOINT },
	{ "RCiEP by port type", 0x010802, 0, true, PCI_EXP_TYPE_RC_END, false, FM_RC_ENDPOINT },
	{ "any device on a root bus", 0x060100, 0, false, 0, true, FM_RC_ENDPOINT },
	{ "host bridge function (class 0600, header 0)", 0x060000, 0, false, 0, true, FM_HOST_BRIDGE },
	{ "host bridge function with a PCIe capability", 0x060000, 0, true, PCI_EXP_TYPE_RC_END, true, FM_HOST_BRIDGE },
	{ "root port", 0x060400, 1, true, PCI_EXP_TYPE_ROOT_PORT, true, FM_ROOT_PORT },
	{ "root port with class 0600 and a bridge header (Arm N1SDP CCIX)", 0x060000, 1, true, PCI_EXP_TYPE_ROOT_PORT, true, FM_ROOT_PORT },
	{ "switch upstream port", 0x060400, 1, true, PCI_EXP_TYPE_UPSTREAM, false, FM_SWITCH_UP },
	{ "switch downstream port", 0x060400, 1, true, PCI_EXP_TYPE_DOWNSTREAM, false, FM_SWITCH_DOWN },
	{ "root port on a switch's internal bus is still a root port", 0x060400, 1, true, PCI_EXP_TYPE_ROOT_PORT, false, FM_ROOT_PORT },
	{ "PCIe-to-PCI/PCI-X bridge", 0x060400, 1, true, PCI_EXP_TYPE_PCI_BRIDGE, false, FM_PCIE_PCI_BRIDGE },
	{ "PCI/PCI-X-to-PCIe bridge: conventional primary side", 0x060400, 1, true, PCI_EXP_TYPE_PCIE_BRIDGE, false, FM_PCI_BRIDGE },
	{ "conventional PCI-to-PCI bridge", 0x060400, 1, false, 0, false, FM_PCI_BRIDGE },
	{ "CardBus bridge", 0x060700, 2, false, 0, false, FM_PCI_BRIDGE },
	{ "bridge header on an endpoint port type", 0x060400, 1, true, PCI_EXP_TYPE_ENDPOINT, false, FM_PCI_BRIDGE },
};

#endif /* _P2PFENCE_FM_CLASSIFY_CASES_H */
