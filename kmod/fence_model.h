/* SPDX-License-Identifier: GPL-2.0 */
/*
 * fence_model.h - p2pfence's pure isolation engine.
 *
 * Topology model + owner table in, verdicts and the ACS bits each port needs
 * out. No struct pci_dev, no locks, no allocation: the caller hands the
 * engine all the memory it uses (fm_ctx_size()). The same file builds in the
 * kernel (p2pfence.ko, KUnit) and in userspace (p2pfencectl check, unit
 * tests, benchmarks).
 *
 * The isolation rule (the README's "How it decides"):
 *
 * Every device (endpoint or RC integrated endpoint) has an owner: a tenant
 * (>= 1) or the host (0). Fabric nodes (ports, bridges, host bridges) own
 * nothing. Only tenant devices are sources; every device of another owner,
 * host devices included, is a target to protect.
 *
 * For a tenant device D (owner t) the engine walks X = D, parent(D), ... up
 * to the node on the root bus. The *region* of X is where a request leaving
 * X upwards may turn without passing the node above: the devices below
 * parent(X) but not below X, or, when X sits on a root bus, the devices
 * below every node on that same root bus (same domain and bus) but not below
 * X -- the root complex may route between root ports. If the region holds a
 * device W whose owner differs from t, X is a turning point for D (peer W):
 *
 *  - X is a device and parent(X) a conventional bridge: conventional-bridge
 *    at parent(X).
 *  - X is a device (other functions of its own device are in the region),
 *    or an RC integrated endpoint: X needs FM_NEED_FUNC (RR CR). Without an
 *    ACS capability that is multifunction-no-acs for a multifunction device,
 *    acs-missing otherwise (acs-faked instead of either when the kernel
 *    believes X isolated, FM_NODE_KISOL).
 *  - X is a fabric node and parent(X) a conventional bridge:
 *    conventional-bridge at parent(X).
 *  - any other fabric node (root port, switch downstream port, ...): X needs
 *    FM_NEED_PORT (SV RR CR UF).
 *
 * "X needs N" is judged against X's registers: no ACS capability, or a bit
 * of N absent from the capability register, is acs-missing (acs-faked when
 * FM_NODE_KISOL); otherwise bits of N clear in the control register, DT set,
 * or EC set without FM_NODE_EC_FENCE, is acs-disabled, which the fence can
 * fix. The bits of N that X's capability has are reported through @need
 * whether or not they are already set, so the enforcer knows what to
 * program and keep. Where it lacks some of N (acs-missing, acs-faked) the
 * bits it has are still judged and reported -- acs-disabled beside the
 * other verdict when they are off, or DT/EC on -- so that a waived
 * acs-faked (the quirk opt-in) hides nothing the fence can set; without
 * an ACS capability (acs-missing, acs-faked, multifunction-no-acs)
 * nothing is reported in @need.
 *
 * Translated requests: a device with the ATS capability (FM_NODE_ATS; its
 * enable bit is the IOMMU driver's to flip at every domain attach, so it is
 * not what is judged) can send requests marked translated, which the root
 * complex passes without translating them again: a tenant device with ATS
 * reaches any host memory unless its port blocks them. So, unless the
 * policy allows ATS for its tenant (fm_ats_allowed()), a tenant device D
 * with ATS needs FM_NEED_ATS (ACS Translation Blocking) at its port P =
 * parent(D) when P is a root port or switch downstream port: TB in P's
 * capability is reported through @need (acs-disabled, peer -1, when it is
 * clear in P's control register, fixable; DT/EC are judged there as for
 * any needed bit); TB absent from P's capability, or no ACS at P, is
 * ats-enabled at P (missing TB); D without such a port (on a root bus, or
 * below a bridge) is ats-enabled at D. TB at P blocks every device below
 * it: when another device W below P has ATS and may use it -- the host's
 * (its IOMMU driver enables ATS), or a tenant's other than D's whose ATS
 * the policy allows -- TB would break W, so that is ats-enabled at P with
 * peer W instead, and no TB is needed. When P is also a turning point the
 * two needs are judged together (one verdict per kind).
 *
 * Besides the walk, for each tenant device D: no-iommu (no group),
 * identity-domain (group's domain is identity), shared-iommu-group (another
 * device of the group, fabric excluded, has another owner; at = D). These
 * have at = D.
 *
 * A device whose DMA carries another device's requester id (fm_node.dma_dev:
 * a device behind an Intel VMD, whose requests the VMD endpoint forwards as
 * its own, pci_real_dma_dev()) is, for the IOMMU, that device: the engine
 * takes the group and group domain of its dma_dev in place of its own. So
 * the VMD endpoint and every device behind it form one unit that only one
 * owner may hold; any split is shared-iommu-group.
 *
 * Operator opt-in: an acs-faked verdict at a node the caller marked
 * FM_NODE_QUIRK_TRUST (its vendor:device is trusted: p2pfence.conf(5)
 * trust-quirk) is still reported, flagged FM_VERDICT_TRUSTED, and callers
 * do not refuse for it (fm_waived()). Nothing else is waived: acs-missing
 * at such a node (the kernel does not believe it isolated either) stays.
 *
 * Each (dev, at, kind) is reported once, with one witness peer. Cost: O(n)
 * to prepare an owner table, then O(1) per node of a path (range queries
 * over a DFS order), so a full audit is O(n + sum of path depths) and one
 * assignment check O(depth), never O(pairs).
 */
#ifndef _P2PFENCE_FENCE_MODEL_H
#define _P2PFENCE_FENCE_MODEL_H

#ifdef __KERNEL__
#include <linux/types.h>
#include <linux/pci_regs.h>
#else
#include <stdbool.h>
#include <stddef.h>
#include <linux/types.h>
#include <linux/pci_regs.h>
typedef __u8 u8;
typedef __u16 u16;
typedef __u32 u32;
typedef __s32 s32;
typedef __u64 u64;
#endif

/*
 * Node id: PCI domain << 16 | bus << 8 | devfn, as userspace writes
 * DDDD:BB:DD.F. 48 bits: PCI domains are 32-bit (Intel VMD numbers its
 * domains from 0x10000 up).
 */
#define FM_ID(dom, bus, devfn)	(((u64)(u32)(dom) << 16) | ((u64)(bus) << 8) | (u64)(devfn))
#define FM_ID_DOMAIN(id)	((u32)((id) >> 16))
#define FM_ID_BUS(id)		((u32)((id) >> 8) & 0xff)
#define FM_ID_DEVFN(id)		((u32)(id) & 0xff)
#define FM_ID_SLOT(id)		((u32)((id) >> 3) & 0x1f)
#define FM_ID_FUNC(id)		((u32)(id) & 0x07)
/* the 16-bit domain << 16 | bus << 8 | devfn that netlink's u32 ids carry */
#define FM_ID_U32(id)		((u32)(id))
/* the devices of one slot (the functions of one multifunction device) */
#define FM_ID_SLOTKEY(id)	((id) >> 3)

enum fm_type {
	FM_ENDPOINT = 0,	/* PCIe endpoint, legacy endpoint, conventional PCI device */
	FM_RC_ENDPOINT,		/* root complex integrated endpoint (any device on a root bus) */
	FM_ROOT_PORT,
	FM_SWITCH_UP,
	FM_SWITCH_DOWN,
	FM_PCIE_PCI_BRIDGE,	/* PCIe to PCI/PCI-X bridge: conventional below */
	FM_PCI_BRIDGE,		/* conventional PCI-to-PCI bridge */
	FM_HOST_BRIDGE,		/* host bridge function: fabric, never owned */
	FM_TYPE_MAX,
};

/* struct fm_node.flags */
#define FM_NODE_ACS		0x01	/* has the ACS extended capability */
#define FM_NODE_MF		0x02	/* a function of a multifunction device */
#define FM_NODE_ATS		0x04	/* ATS capability present (whatever its enable bit) */
#define FM_NODE_KISOL		0x08	/* kernel calls it isolated (pci_acs_enabled) */
#define FM_NODE_EC_FENCE	0x10	/* egress control here was programmed by the fence */
#define FM_NODE_ATS_ON		0x20	/* ATS enable bit set when read (shown, not judged) */
#define FM_NODE_QUIRK_TRUST	0x40	/* the operator trusts the kernel's isolation here */
#define FM_NODE_ALL		0x7f

enum fm_domain {
	FM_DOM_UNKNOWN = 0,	/* no group, or not readable */
	FM_DOM_DMA,		/* translated: DMA, DMA-FQ, or blocked */
	FM_DOM_IDENTITY,	/* passthrough: no translation */
};

/* ACS bits the fence needs: on ports and on functions/RCiEPs */
#define FM_NEED_PORT	(PCI_ACS_SV | PCI_ACS_RR | PCI_ACS_CR | PCI_ACS_UF)
#define FM_NEED_FUNC	(PCI_ACS_RR | PCI_ACS_CR)
/* bits that must be clear where the fence is needed */
#define FM_MUST_CLEAR	(PCI_ACS_DT | PCI_ACS_EC)
/* at the port of a tenant device with ATS, unless the policy allows ATS */
#define FM_NEED_ATS	PCI_ACS_TB

struct fm_node {
	u64 id;		/* FM_ID(); unique */
	s32 parent;	/* index of the bridge/port above (< own); -1: on a root bus */
	u8 type;	/* enum fm_type */
	u8 flags;	/* FM_NODE_* */
	u8 domain;	/* enum fm_domain of its IOMMU group */
	u8 pad;
	u16 acs_cap;	/* ACS capability register (FM_NODE_ACS) */
	u16 acs_ctrl;	/* ACS control register (FM_NODE_ACS) */
	s32 group;	/* IOMMU group number, -1: none */
	/*
	 * 0, or 1 + the index of the device whose requester id this node's
	 * DMA carries (pci_real_dma_dev(): the VMD endpoint above a VMD
	 * domain). That device must be a device (not fabric) with dma_dev 0.
	 * Ignored on fabric nodes.
	 */
	u32 dma_dev;
};

enum fm_kind {
	FM_ACS_DISABLED = 1,
	FM_ACS_MISSING,
	FM_ACS_FAKED,
	FM_SHARED_IOMMU_GROUP,
	FM_NO_IOMMU,
	FM_IDENTITY_DOMAIN,
	FM_CONVENTIONAL_BRIDGE,
	FM_MULTIFUNCTION_NO_ACS,
	FM_ATS_ENABLED,
	FM_NO_RESET,		/* a hand-over without a reset: the core's, never the engine's */
	FM_KIND_MAX = FM_NO_RESET,
};

/* struct fm_verdict.flags */
#define FM_VERDICT_TRUSTED	0x01	/* acs-faked at FM_NODE_QUIRK_TRUST: waived */

struct fm_verdict {
	u8 kind;	/* enum fm_kind */
	u8 flags;	/* FM_VERDICT_* */
	u16 missing;	/* ACS kinds: PCI_ACS_* bits needed but off/absent, or DT/EC on */
	s32 dev;	/* node index of the tenant device */
	s32 peer;	/* node index of another owner's device; -1 for host-wide kinds */
	s32 at;		/* node index where the fault lies */
};

/*
 * What the operator trusts. ATS allowed for a tenant (everyone's with
 * @allow_ats, or the tenant is in @ats_tenants: the same-tenant GPUDirect
 * opt-in) means its devices need no Translation Blocking and are never
 * ats-enabled; Direct Translated P2P then stays unjudged wherever the rule
 * does not judge the port at all, i.e. at ports that reach only the
 * tenant's own devices (at a turning point DT is still acs-disabled).
 */
struct fm_policy {
	bool allow_ats;		/* ATS on every tenant's devices is accepted */
	u32 n_ats_tenants;
	const u32 *ats_tenants;	/* sorted, unique: tenants whose ATS is accepted */
};

/* Opaque engine state; lives in caller-provided memory of fm_ctx_size(n). */
struct fm_ctx;

/* Largest model the engine accepts. */
#define FM_MAX_NODES	0x100000u

/**
 * fm_ctx_size() - bytes of memory fm_init() needs for @n nodes.
 */
size_t fm_ctx_size(u32 n);

/**
 * fm_init() - validate a topology and prepare the engine over it.
 * @mem: at least fm_ctx_size(@n) bytes, suitably aligned (8), owned by the caller
 * @nodes: the topology; referenced (not copied) until the ctx is dropped
 *
 * Rejects (-EINVAL) a parent index not below the node's own, a parent that
 * is not a bridge/port, a duplicate id, an unknown type or flag, a dma_dev
 * that is out of range, the node itself, fabric or itself has a dma_dev,
 * n == 0 or n > FM_MAX_NODES. All owners start at 0 (host).
 *
 * Return: the ctx (== @mem) or NULL with *@err set.
 */
struct fm_ctx *fm_init(void *mem, size_t len, const struct fm_node *nodes, u32 n, int *err);

/**
 * fm_set_owners() - install an owner table (@owner[i] for node i; 0 = host).
 * O(n). -EINVAL if a fabric node has a non-zero owner (nothing changes then).
 */
int fm_set_owners(struct fm_ctx *ctx, const u32 *owner);

/** fm_owner() - the installed owner of node @idx. */
u32 fm_owner(const struct fm_ctx *ctx, u32 idx);

/**
 * fm_audit() - verdicts for every tenant device under the installed owners.
 * @v, @cap: verdict buffer; verdicts past @cap are counted but not stored
 * @nv: total number of verdicts found
 * @need: NULL, or n u16s: the ACS control bits the fence needs set at each
 *        node (0 where none), accumulated over all tenant devices
 *
 * Return: 0, or -E2BIG when *@nv > @cap (the first @cap are stored).
 */
int fm_audit(const struct fm_ctx *ctx, const struct fm_policy *pol,
	     struct fm_verdict *v, u32 cap, u32 *nv, u16 *need);

/**
 * fm_check_assign() - verdicts if device @idx were given to @tenant.
 *
 * Valid when @idx is host-owned (or already @tenant's) under the installed
 * table: moving a device from the host to a tenant adds constraints only to
 * that device, so only its own path and group are evaluated: O(depth).
 * @need (NULL or n u16s) gets the bits needed on @idx's path OR-ed in.
 *
 * Return: 0, -E2BIG as fm_audit(), -EINVAL for a fabric node, tenant 0, or a
 *         device owned by another tenant.
 */
int fm_check_assign(const struct fm_ctx *ctx, const struct fm_policy *pol,
		    u32 idx, u32 tenant, struct fm_verdict *v, u32 cap, u32 *nv,
		    u16 *need);

/**
 * fm_infer_kisol() - set FM_NODE_KISOL where the IOMMU groups show that the
 * kernel believed a node isolated although its registers disagree.
 * @nodes: the topology, before fm_init()
 * @n: its size
 * @pcie: n flags: node i has a PCI Express capability
 *
 * The kernel's own answer, pci_acs_enabled(), is exported neither to modules
 * nor to sysfs; its effect is. pci_device_group() puts a device into the
 * group of the bridge above unless pci_acs_enabled() held there and above.
 * So a root or downstream port lacking a bit of FM_NEED_PORT (capability and
 * control) with a PCIe device below it in a group other than its own was
 * judged isolated by a quirk or an override; likewise a function of a
 * multifunction device lacking FM_NEED_FUNC that is in a group other than a
 * sibling function that lacks it too. Nodes without a group give no
 * evidence. The functions of one slot must be adjacent in @nodes (both
 * callers sort by depth, then id); where they are not, the evidence is
 * missed and the verdict stays acs-missing or multifunction-no-acs, which
 * refuse just the same. The module and `p2pfencectl check` both call this,
 * so they agree.
 */
void fm_infer_kisol(struct fm_node *nodes, u32 n, const u8 *pcie);

/**
 * fm_find() - node index of @id, or -1. O(log n).
 */
s32 fm_find(const struct fm_ctx *ctx, u64 id);

/**
 * fm_verdict_vmd() - the VMD endpoint of a shared-iommu-group verdict
 * @nodes: the topology the verdict is about
 * @v: a verdict
 *
 * Return: the node index of the device whose requester id (fm_node.dma_dev)
 * puts @v's dev and peer into one group -- a VMD endpoint -- or -1 when
 * @v is no shared-iommu-group verdict or neither is behind one.
 */
s32 fm_verdict_vmd(const struct fm_node *nodes, const struct fm_verdict *v);

/** fm_kind_name() - the design's stable name ("acs-disabled", ...), or NULL. */
const char *fm_kind_name(unsigned int kind);

/** fm_u32_in() - is @x among the @n sorted values of @v? (binary search) */
static inline bool fm_u32_in(const u32 *v, u32 n, u32 x)
{
	u32 a = 0, b = v ? n : 0;

	while (a < b) {
		u32 m = a + (b - a) / 2;

		if (v[m] == x)
			return true;
		if (v[m] < x)
			a = m + 1;
		else
			b = m;
	}
	return false;
}

/** fm_ats_allowed() - does policy @pol accept ATS on tenant @t's devices? */
bool fm_ats_allowed(const struct fm_policy *pol, u32 t);

/**
 * fm_ats_why() - why an ats-enabled verdict cannot be fenced, in words
 * that fit an extack beside the verdict (its port lacks Translation
 * Blocking, or the device has no port: @at_dev, the verdict is at the device;
 * or TB there would cut off the ATS of another owner's device below it:
 * @peer, the verdict names that device).
 */
const char *fm_ats_why(bool at_dev, bool peer);

/** fm_kind_fixable() - true when the fence itself can fix this kind. */
bool fm_kind_fixable(unsigned int kind);

/**
 * fm_waived() - an operator's opt-in accepted @v (FM_VERDICT_TRUSTED):
 * it is reported but refuses nothing and does not count against isolation.
 */
static inline bool fm_waived(const struct fm_verdict *v)
{
	return v->flags & FM_VERDICT_TRUSTED;
}

/** fm_is_fabric() - ports and bridges: never owned, never a peer. */
bool fm_is_fabric(u8 type);

/*
 * fm_classify() - the one device classifier (the module's topology.c and
 * p2pfencectl's check both call it): enum fm_type from what config space
 * says of a function.
 */
u8 fm_classify(u32 class, u8 hdr_type, bool pcie, u8 pcie_type, bool on_root_bus);

/**
 * fm_acs_bits_str() - "SV RR CR UF DT EC" subset for @bits into @buf.
 * Return: @buf.
 */
char *fm_acs_bits_str(u16 bits, char *buf, size_t len);

#endif /* _P2PFENCE_FENCE_MODEL_H */
