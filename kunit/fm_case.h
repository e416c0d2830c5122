/* SPDX-License-Identifier: GPL-2.0 */
/*
 * fm_case.h - the table format of p2pfence's engine cases (fm_cases.h) and
 * the helpers that arrange and assert them. Plain C, no libc: the same
 * cases run under KUnit (fence_model_test.c) and in userspace
 * (tests/unit/cases.c).
 *
 * A case is a synthetic topology written by BDF (a node names its parent by
 * id), an owner list (every device not listed belongs to the host), and the
 * exact verdicts (kind, dev, at, missing) and needed bits the engine must
 * produce. Witness peers are not listed: any peer the pairwise reference
 * model (tests/ref/naive.c) accepts for the verdict is right.
 */
#ifndef _P2PFENCE_FM_CASE_H
#define _P2PFENCE_FM_CASE_H

#include "fence_model.h"

#define FMC_ROOT	(~0ULL)		/* parent of a node on a root bus */
#define FMC_OWN_GROUP	(-2)		/* a group of its own (unique number) */

struct fmc_node {
	u64 id;
	u64 parent;	/* id of the node above, or FMC_ROOT */
	u8 type;
	u8 flags;
	u8 domain;	/* 0 in the table means FM_DOM_DMA when group >= 0 */
	u16 cap;
	u16 ctrl;
	s32 group;	/* -1 none, FMC_OWN_GROUP, or a number */
	u64 dma;	/* id of its VMD endpoint (fm_node.dma_dev); 0: none */
};

struct fmc_owner {
	u64 id;
	u32 tenant;
};

struct fmc_verdict {
	u8 kind;
	u8 flags;	/* FM_VERDICT_*: 0 unless the case says (VT()) */
	u16 missing;
	u64 dev;
	u64 at;
};

struct fmc_need {
	u64 id;
	u16 bits;
};

struct fm_case {
	const char *desc;
	const struct fmc_node *nodes;
	u32 n_nodes;
	const struct fmc_owner *owners;
	u32 n_owners;
	const struct fmc_verdict *verdicts;
	u32 n_verdicts;
	const struct fmc_need *need;
	u32 n_need;
	bool allow_ats;
	u32 n_ats_tenants;	/* the GPUDirect opt-in: tenants whose ATS is accepted */
	const u32 *ats_tenants;
	bool identity;	/* every group of the topology is in an identity domain */
};

/* BDF in domain 0 */
#define BDF(b, d, f)	FM_ID(0, (b), ((d) << 3) | (f))

/*
 * Writing a topology: node builders (HB, RP_*, USP, DSP_*, EP*, RCIEP),
 * ACS bit names, and the owner, verdict and need lists of a case.
 */
#define FMC_N(a)	(sizeof(a) / sizeof((a)[0]))

#define SV	PCI_ACS_SV
#define RR	PCI_ACS_RR
#define CR	PCI_ACS_CR
#define UF	PCI_ACS_UF
#define DT	PCI_ACS_DT
#define EC	PCI_ACS_EC
#define PORT	FM_NEED_PORT
#define FUNC	FM_NEED_FUNC
#define CAP_ALL	(SV | PCI_ACS_TB | RR | CR | UF | EC | DT)
#define OWN	FMC_OWN_GROUP
#define KACS	(FM_NODE_ACS | FM_NODE_KISOL)	/* ACS, and the kernel agrees */

#define ND(_id, _par, _type, _flags, _cap, _ctrl, _grp) \
	{ .id = (_id), .parent = (_par), .type = (_type), .flags = (_flags), \
	  .cap = (_cap), .ctrl = (_ctrl), .group = (_grp) }
#define HB(id)		ND(id, FMC_ROOT, FM_HOST_BRIDGE, 0, 0, 0, OWN)
/* root ports: ACS on (as Linux leaves it), ACS present but off, no ACS */
#define RP_ON(id)	ND(id, FMC_ROOT, FM_ROOT_PORT, KACS, CAP_ALL, PORT, OWN)
#define RP_OFF(id)	ND(id, FMC_ROOT, FM_ROOT_PORT, FM_NODE_ACS, CAP_ALL, 0, OWN)
#define RP_NONE(id)	ND(id, FMC_ROOT, FM_ROOT_PORT, 0, 0, 0, OWN)
#define USP(id, up)	ND(id, up, FM_SWITCH_UP, FM_NODE_KISOL, 0, 0, OWN)
#define DSP_ON(id, up)	ND(id, up, FM_SWITCH_DOWN, KACS, CAP_ALL, PORT, OWN)
#define DSP_OFF(id, up)	ND(id, up, FM_SWITCH_DOWN, FM_NODE_ACS, CAP_ALL, 0, OWN)
#define DSP_NONE(id, up) ND(id, up, FM_SWITCH_DOWN, 0, 0, 0, OWN)
#define EP(id, up)	ND(id, up, FM_ENDPOINT, 0, 0, 0, OWN)
#define EPG(id, up, g)	ND(id, up, FM_ENDPOINT, 0, 0, 0, g)
#define EP_IDENT(_id, _up, _g) \
	{ .id = (_id), .parent = (_up), .type = FM_ENDPOINT, .group = (_g), \
	  .domain = FM_DOM_IDENTITY }
#define RCIEP(id)	ND(id, FMC_ROOT, FM_RC_ENDPOINT, 0, 0, 0, OWN)

#define ATS_TENANTS(...) \
	.ats_tenants = (const u32[]){ __VA_ARGS__ }, \
	.n_ats_tenants = sizeof((const u32[]){ __VA_ARGS__ }) / sizeof(u32)
#define OWNERS(...) \
	.owners = (const struct fmc_owner[]){ __VA_ARGS__ }, \
	.n_owners = sizeof((const struct fmc_owner[]){ __VA_ARGS__ }) / sizeof(struct fmc_owner)
#define VERDICTS(...) \
	.verdicts = (const struct fmc_verdict[]){ __VA_ARGS__ }, \
	.n_verdicts = sizeof((const struct fmc_verdict[]){ __VA_ARGS__ }) / \
		      sizeof(struct fmc_verdict)
#define NEED(...) \
	.need = (const struct fmc_need[]){ __VA_ARGS__ }, \
	.n_need = sizeof((const struct fmc_need[]){ __VA_ARGS__ }) / sizeof(struct fmc_need)
#define TOPO(t)		.nodes = (t), .n_nodes = FMC_N(t)
#define V(k, _dev, _at, _miss) \
	{ .kind = FM_##k, .dev = (_dev), .at = (_at), .missing = (_miss) }
/* a verdict the operator's quirk opt-in waived (FM_VERDICT_TRUSTED) */
#define VT(k, _dev, _at, _miss) \
	{ .kind = FM_##k, .dev = (_dev), .at = (_at), .missing = (_miss), \
	  .flags = FM_VERDICT_TRUSTED }
#define QT	FM_NODE_QUIRK_TRUST	/* the operator trusts this vendor:device */

/*
 * fmc_build() - the engine's input for case @c: @nodes and @owner hold
 * c->n_nodes entries. Return: 0, or -EINVAL when the table names an
 * unknown parent or owner (a broken case, not an engine failure).
 */
int fmc_build(const struct fm_case *c, struct fm_node *nodes, u32 *owner);

/* fmc_index() - the node index of @id in case @c, or -1 */
s32 fmc_index(const struct fm_case *c, u64 id);

typedef void (*fmc_report_t)(void *ctx, const char *msg);

/*
 * fmc_compare() - assert the engine's audit of case @c: every expected
 * verdict found exactly once, nothing else, every witness peer valid under
 * the reference model, and need[] equal to the table's (0 elsewhere).
 * Calls @report once per problem. Return: the number of problems.
 */
u32 fmc_compare(const struct fm_case *c, const struct fm_node *nodes,
		const u32 *owner, const struct fm_verdict *v, u32 nv,
		const u16 *need, fmc_report_t report, void *ctx);

/* "0000:05:00.0" (up to "ffffffff:ff:1f.7") into @buf (>= 18 bytes) */
char *fmc_bdf(u64 id, char *buf);

#endif /* _P2PFENCE_FM_CASE_H */
