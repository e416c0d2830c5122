// SPDX-License-Identifier: GPL-2.0
/*
 * fence_model.c - p2pfence's pure isolation engine (see fence_model.h).
 *
 * How the queries stay O(1): devices are laid out in DFS order (seq[]), so
 * the devices below any node form one range [lo, hi) of positions, and the
 * nodes of one root bus are placed next to each other so a root bus is a
 * range too. A region is then at most two ranges. nxt[p] is the first
 * position after p whose owner differs from that of p; "does [a, b) hold an
 * owner other than t" is answered by looking at a and nxt[a]. The same trick
 * over devices sorted by IOMMU group answers the shared-group question.
 *
 * Builds unchanged in the kernel and in userspace: it uses no libc and no
 * kernel API beyond types and errno values.
 */
#ifdef __KERNEL__
#include <linux/errno.h>
#include <linux/kernel.h>
#else
#include <errno.h>
#endif

#include "fence_model.h"

#ifndef ARRAY_SIZE
#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#endif

struct fm_ctx {
	const struct fm_node *nodes;
	u32 n;
	u32 ndev;		/* devices (non-fabric nodes) */
	u32 *owner;		/* [n] */
	u32 *lo, *hi;		/* [n] subtree as a range of seq positions */
	u32 *rlo, *rhi;		/* [n] for root-bus nodes: the whole root bus */
	u32 *seq;		/* [ndev] node index at each DFS position */
	u32 *nxt;		/* [ndev] next position with another owner */
	u32 *gseq;		/* [ndev] devices with a group, sorted by group */
	u32 *gnxt;		/* [ndev] next gseq position with another owner */
	u32 *gpos;		/* [n] a device's position in gseq (U32_MAX: none) */
	u32 *glo, *ghi;		/* [n] a device's group as a range of gseq */
	u32 *byid;		/* [n] node indexes sorted by id */
	u32 *aseq;		/* [ndev] devices with ATS, in DFS (seq) order */
	u32 *anxt;		/* [ndev] next aseq position with another owner */
	u32 *acnt;		/* [ndev] devices with ATS at seq positions before p */
	u32 nats;		/* devices with ATS */
	unsigned long long *keys; /* [n] sort scratch */
	u32 ngdev;		/* devices with a group */
};

#define FM_NONE 0xffffffffu
#define FM_NARRAYS_N 16	/* u32 arrays of n entries (the ndev ones sized n too) */

static inline size_t fm_align8(size_t x)
{
	return (x + 7) & ~(size_t)7;
}

size_t fm_ctx_size(u32 n)
{
	if (!n || n > FM_MAX_NODES)
		return 0;
	return fm_align8(sizeof(struct fm_ctx)) +
	       fm_align8((size_t)n * sizeof(u32)) * FM_NARRAYS_N +
	       (size_t)n * sizeof(unsigned long long);
}

/**
 * fm_classify() - what a PCI function is, for the fence
 * @class: the 24-bit Class Code (config 0x09..0x0b: base, sub, prog-if)
 * @hdr_type: Header Type, layout bits 6:0 (config 0x0e): 0 normal, 1
 *	PCI-to-PCI bridge, 2 CardBus bridge
 * @pcie: the function has the PCI Express Capability (cap ID 0x10)
 * @pcie_type: its Device/Port Type (PCI Express Capabilities register,
 *	bits 7:4)
 * @on_root_bus: no bridge above it (it sits on a root bus)
 *
 * The header layout decides first: a type 1 or 2 header forwards requests
 * between two buses, whatever its class code claims (Arm N1SDP's CCIX root
 * ports report class 0x0600 "host bridge" with a type 1 header and a Root
 * Port capability: they are root ports). Then the PCIe Device/Port Type
 * says which kind of bridge it is. A type 0 header with class 0x0600 is a
 * host bridge function (fabric); every other type 0 function is a device.
 *
 * Return: enum fm_type.
 */
u8 fm_classify(u32 class, u8 hdr_type, bool pcie, u8 pcie_type, bool on_root_bus)
{
	hdr_type &= 0x7f;	/* bit 7 is the multifunction bit */
	if (hdr_type == PCI_HEADER_TYPE_BRIDGE || hdr_type == PCI_HEADER_TYPE_CARDBUS) {
		if (!pcie)	/* conventional PCI / PCI-X: no ACS anywhere below */
			return FM_PCI_BRIDGE;
		switch (pcie_type) {
		case PCI_EXP_TYPE_ROOT_PORT:	/* 0x4 Root Port */
			return FM_ROOT_PORT;
		case PCI_EXP_TYPE_UPSTREAM:	/* 0x5 Upstream Port of a Switch */
			return FM_SWITCH_UP;
		case PCI_EXP_TYPE_DOWNSTREAM:	/* 0x6 Downstream Port of a Switch */
			return FM_SWITCH_DOWN;
		case PCI_EXP_TYPE_PCI_BRIDGE:	/* 0x7 PCIe to PCI/PCI-X Bridge */
			return FM_PCIE_PCI_BRIDGE;
		case PCI_EXP_TYPE_PCIE_BRIDGE:	/* 0x8 PCI/PCI-X to PCIe Bridge */
			/*
			 * Its primary side is a conventional bus: what it
			 * forwards up travels as conventional transactions,
			 * with no ACS on the way. A conventional bridge.
			 */
			return FM_PCI_BRIDGE;
		default:			/* a bridge header on anything else */
			return FM_PCI_BRIDGE;
		}
	}
	if ((class >> 8) == 0x0600)		/* Base 06 Sub 00: Host bridge */
		return FM_HOST_BRIDGE;
	if (on_root_bus || (pcie && pcie_type == PCI_EXP_TYPE_RC_END))	/* 0x9 RCiEP */
		return FM_RC_ENDPOINT;
	return FM_ENDPOINT;
}

bool fm_is_fabric(u8 type)
{
	return type != FM_ENDPOINT && type != FM_RC_ENDPOINT;
}

static bool fm_is_bridge(u8 type)
{
	return type == FM_ROOT_PORT || type == FM_SWITCH_UP ||
	       type == FM_SWITCH_DOWN || type == FM_PCIE_PCI_BRIDGE ||
	       type == FM_PCI_BRIDGE;
}

static bool fm_is_conventional(u8 type)
{
	return type == FM_PCIE_PCI_BRIDGE || type == FM_PCI_BRIDGE;
}

/* In-place heapsort of 64-bit keys: no libc, no recursion, O(n log n). */
static void fm_sift(unsigned long long *a, u32 root, u32 end)
{
	while (2 * (unsigned long long)root + 1 < end) {
		u32 child = 2 * root + 1;
		unsigned long long t;

		if (child + 1 < end && a[child] < a[child + 1])
			child++;
		if (a[root] >= a[child])
			return;
		t = a[root];
		a[root] = a[child];
		a[child] = t;
		root = child;
	}
}

static void fm_sort(unsigned long long *a, u32 n)
{
	u32 i;

	if (n < 2)
		return;
	for (i = n / 2; i-- > 0;)
		fm_sift(a, i, n);
	for (i = n - 1; i > 0; i--) {
		unsigned long long t = a[0];

		a[0] = a[i];
		a[i] = t;
		fm_sift(a, 0, i);
	}
}

static inline u64 fm_rootkey(u64 id)
{
	return id >> 8;	/* domain and bus */
}

/* Heapsort of node indexes by id (48 bits: too wide to pack with an index). */
static void fm_sift_id(const struct fm_node *nd, u32 *a, u32 root, u32 end)
{
	while (2 * (unsigned long long)root + 1 < end) {
		u32 child = 2 * root + 1;
		u32 t;

		if (child + 1 < end && nd[a[child]].id < nd[a[child + 1]].id)
			child++;
		if (nd[a[root]].id >= nd[a[child]].id)
			return;
		t = a[root];
		a[root] = a[child];
		a[child] = t;
		root = child;
	}
}

static void fm_sort_id(const struct fm_node *nd, u32 *a, u32 n)
{
	u32 i;

	for (i = n / 2; i-- > 0;)
		fm_sift_id(nd, a, i, n);
	for (i = n; i-- > 1;) {
		u32 t = a[0];

		a[0] = a[i];
		a[i] = t;
		fm_sift_id(nd, a, 0, i);
	}
}

/* The node whose IOMMU group and domain stand for device @i (fm_node.dma_dev). */
static inline u32 fm_dma(const struct fm_node *nd, u32 i)
{
	return nd[i].dma_dev ? nd[i].dma_dev - 1 : i;
}

static int fm_validate(const struct fm_node *nodes, u32 n)
{
	u32 i;

	for (i = 0; i < n; i++) {
		const struct fm_node *x = &nodes[i];

		if (x->type >= FM_TYPE_MAX || (x->flags & ~FM_NODE_ALL) ||
		    x->domain > FM_DOM_IDENTITY || x->group < -1)
			return -EINVAL;
		if (x->dma_dev) {
			u32 d = x->dma_dev - 1;

			if (d >= n || d == i || fm_is_fabric(nodes[d].type) ||
			    nodes[d].dma_dev)
				return -EINVAL;
		}
		if (x->parent == -1)
			continue;
		if (x->parent < 0 || (u32)x->parent >= i ||
		    !fm_is_bridge(nodes[x->parent].type))
			return -EINVAL;
	}
	return 0;
}

/* Lay devices out in DFS order with root buses contiguous. */
static void fm_layout(struct fm_ctx *c)
{
	const struct fm_node *nd = c->nodes;
	u32 *size = c->hi;	/* subtree device counts, then turned into hi */
	u32 *cur = c->glo;	/* fill cursor; glo is computed after layout */
	u32 i, nroot = 0, p = 0, rank;

	for (i = 0; i < c->n; i++)
		size[i] = fm_is_fabric(nd[i].type) ? 0 : 1;
	for (i = c->n; i-- > 0;)
		if (nd[i].parent >= 0)
			size[nd[i].parent] += size[i];

	/*
	 * root-bus nodes, grouped by (domain, bus), then by index: byid
	 * (sorted by id) ranks the (domain, bus) keys, and the rank packs
	 * with an index where the 40-bit key would not
	 */
	for (i = 0, rank = 0; i < c->n; i++) {
		u32 x = c->byid[i];

		if (i && fm_rootkey(nd[x].id) != fm_rootkey(nd[c->byid[i - 1]].id))
			rank++;
		if (nd[x].parent < 0)
			c->keys[nroot++] = ((unsigned long long)rank << 32) | x;
	}
	fm_sort(c->keys, nroot);
	for (i = 0; i < nroot; i++) {
		u32 r = (u32)c->keys[i];

		c->lo[r] = p;
		p += size[r];
	}
	/* the range of each root bus */
	for (i = 0; i < nroot;) {
		u32 j = i, key = (u32)(c->keys[i] >> 32), blo, bhi;

		blo = c->lo[(u32)c->keys[i]];
		while (j < nroot && (u32)(c->keys[j] >> 32) == key)
			j++;
		bhi = c->lo[(u32)c->keys[j - 1]] + size[(u32)c->keys[j - 1]];
		for (; i < j; i++) {
			c->rlo[(u32)c->keys[i]] = blo;
			c->rhi[(u32)c->keys[i]] = bhi;
		}
	}
	/* children follow their parent (parent < child), in index order */
	for (i = 0; i < c->n; i++) {
		s32 par = nd[i].parent;

		if (par >= 0) {
			c->lo[i] = cur[par];
			cur[par] += size[i];
		}
		cur[i] = c->lo[i];
		if (!fm_is_fabric(nd[i].type))
			c->seq[cur[i]++] = i;
	}
	for (i = 0; i < c->n; i++)
		size[i] += c->lo[i];	/* hi = lo + size */
}

/* Lay the context's arrays out in the memory after it (fm_ctx_size()). */
static void fm_carve(struct fm_ctx *c, u32 n)
{
	u32 **arr[FM_NARRAYS_N] = {
		&c->owner, &c->lo, &c->hi, &c->rlo, &c->rhi, &c->seq, &c->nxt,
		&c->gseq, &c->gnxt, &c->gpos, &c->glo, &c->ghi, &c->byid,
		&c->aseq, &c->anxt, &c->acnt,
	};
	unsigned char *m = (unsigned char *)c;
	size_t off = fm_align8(sizeof(*c)), an = fm_align8((size_t)n * sizeof(u32));
	u32 i;

	for (i = 0; i < FM_NARRAYS_N; i++, off += an)
		*arr[i] = (u32 *)(m + off);
	c->keys = (unsigned long long *)(m + off);
}

struct fm_ctx *fm_init(void *mem, size_t len, const struct fm_node *nodes,
		       u32 n, int *err)
{
	struct fm_ctx *c = mem;
	size_t need = fm_ctx_size(n);
	u32 i, ng = 0;
	int ret = -EINVAL;

	if (!mem || !nodes || !need || len < need || ((unsigned long)mem & 7))
		goto fail;
	ret = fm_validate(nodes, n);
	if (ret)
		goto fail;

	c->nodes = nodes;
	c->n = n;
	fm_carve(c, n);

	c->ndev = 0;
	for (i = 0; i < n; i++) {
		c->owner[i] = 0;
		c->rlo[i] = 0;
		c->rhi[i] = 0;
		c->gpos[i] = FM_NONE;
		if (!fm_is_fabric(nodes[i].type))
			c->ndev++;
	}

	/* ids: sorted index for fm_find(), and duplicates refused */
	for (i = 0; i < n; i++)
		c->byid[i] = i;
	fm_sort_id(nodes, c->byid, n);
	ret = -EINVAL;
	for (i = 1; i < n; i++)
		if (nodes[c->byid[i]].id == nodes[c->byid[i - 1]].id)
			goto fail;

	fm_layout(c);

	/* devices with ATS in DFS order: those below a port, in O(1) per owner run */
	c->nats = 0;
	for (i = 0; i < c->ndev; i++) {
		c->acnt[i] = c->nats;
		if (nodes[c->seq[i]].flags & FM_NODE_ATS)
			c->aseq[c->nats++] = c->seq[i];
	}

	/* devices sorted by IOMMU group (that of their dma_dev) */
	for (i = 0; i < n; i++) {
		s32 grp = nodes[fm_dma(nodes, i)].group;

		if (!fm_is_fabric(nodes[i].type) && grp >= 0)
			c->keys[ng++] = ((unsigned long long)grp << 32) | i;
	}
	fm_sort(c->keys, ng);
	c->ngdev = ng;
	for (i = 0; i < ng; i++) {
		c->gseq[i] = (u32)c->keys[i];
		c->gpos[c->gseq[i]] = i;
	}
	for (i = 0; i < n; i++) {
		c->glo[i] = 0;
		c->ghi[i] = 0;
	}
	for (i = 0; i < ng;) {
		u32 j = i, first = i, g = (u32)(c->keys[i] >> 32);

		while (j < ng && (u32)(c->keys[j] >> 32) == g)
			j++;
		for (; i < j; i++) {
			c->glo[c->gseq[i]] = first;
			c->ghi[c->gseq[i]] = j;
		}
	}

	fm_set_owners(c, c->owner);
	if (err)
		*err = 0;
	return c;
fail:
	if (err)
		*err = ret;
	return NULL;
}

static void fm_build_nxt(const u32 *owner, const u32 *seq, u32 *nxt, u32 len)
{
	u32 p;

	if (!len)
		return;
	nxt[len - 1] = len;
	for (p = len - 1; p-- > 0;)
		nxt[p] = owner[seq[p + 1]] != owner[seq[p]] ? p + 1 : nxt[p + 1];
}

int fm_set_owners(struct fm_ctx *c, const u32 *owner)
{
	u32 i;

	if (!c || !owner)
		return -EINVAL;
	for (i = 0; i < c->n; i++)
		if (owner[i] && fm_is_fabric(c->nodes[i].type))
			return -EINVAL;
	if (owner != c->owner)
		for (i = 0; i < c->n; i++)
			c->owner[i] = owner[i];
	fm_build_nxt(c->owner, c->seq, c->nxt, c->ndev);
	fm_build_nxt(c->owner, c->gseq, c->gnxt, c->ngdev);
	fm_build_nxt(c->owner, c->aseq, c->anxt, c->nats);
	return 0;
}

u32 fm_owner(const struct fm_ctx *c, u32 idx)
{
	return idx < c->n ? c->owner[idx] : 0;
}

/* A position in [a, b) of @s whose owner is not @t, or FM_NONE. */
static u32 fm_other(const struct fm_ctx *c, const u32 *s, const u32 *nx,
		    u32 a, u32 b, u32 t)
{
	if (a >= b)
		return FM_NONE;
	if (c->owner[s[a]] != t)
		return a;
	return nx[a] < b ? nx[a] : FM_NONE;
}

/* A device of another owner than @t in the region of @x, or -1. */
static s32 fm_region_other(const struct fm_ctx *c, u32 x, u32 t)
{
	s32 par = c->nodes[x].parent;
	u32 a = par >= 0 ? c->lo[par] : c->rlo[x];
	u32 b = par >= 0 ? c->hi[par] : c->rhi[x];
	u32 p;

	p = fm_other(c, c->seq, c->nxt, a, c->lo[x], t);
	if (p == FM_NONE)
		p = fm_other(c, c->seq, c->nxt, c->hi[x], b, t);
	return p == FM_NONE ? -1 : (s32)c->seq[p];
}

struct fm_out {
	struct fm_verdict *v;
	u32 cap;
	u32 nv;
	u16 *need;
};

static void fm_emit(struct fm_out *o, u8 kind, u32 dev, s32 peer, u32 at,
		    u16 missing)
{
	if (o->nv < o->cap) {
		struct fm_verdict *v = &o->v[o->nv];

		v->kind = kind;
		v->flags = 0;
		v->missing = missing;
		v->dev = (s32)dev;
		v->peer = peer;
		v->at = (s32)at;
	}
	o->nv++;
}

/*
 * Node @x must redirect with @bits for device @d (peer @w; -1 when only
 * FM_NEED_ATS is asked, which concerns the whole host).
 */
static void fm_acs_check(const struct fm_ctx *c, struct fm_out *o, u32 d,
			 s32 w, u32 x, u16 bits)
{
	const struct fm_node *nx = &c->nodes[x];
	bool has = nx->flags & FM_NODE_ACS;
	u16 lack = has ? bits & ~nx->acs_cap : bits;
	u16 off, bad;

	if (lack & FM_NEED_ATS) {
		/* translated requests cannot be blocked here: no fence fixes it */
		fm_emit(o, FM_ATS_ENABLED, d, -1, x, FM_NEED_ATS);
		bits &= ~FM_NEED_ATS;
		lack &= ~FM_NEED_ATS;
		if (!bits)
			return;
	}
	if (!has || lack) {
		u8 kind = FM_ACS_MISSING;

		if (nx->flags & FM_NODE_KISOL)
			kind = FM_ACS_FAKED;
		else if (!has && !fm_is_fabric(nx->type) &&
			 (nx->flags & FM_NODE_MF))
			kind = FM_MULTIFUNCTION_NO_ACS;
		fm_emit(o, kind, d, w, x, lack);
		/* the operator trusts the kernel's judgement here: reported, waived */
		if (kind == FM_ACS_FAKED && (nx->flags & FM_NODE_QUIRK_TRUST) &&
		    o->nv <= o->cap)
			o->v[o->nv - 1].flags |= FM_VERDICT_TRUSTED;
		/*
		 * What the capability has is judged as anywhere else: a waiver
		 * of the bits it lacks must not hide those that are off (or DT
		 * and EC on), nor keep the fence from setting and guarding them.
		 */
		bits &= has ? nx->acs_cap : 0;
		if (!bits)
			return;
	}
	if (o->need)
		o->need[x] |= bits;
	off = bits & ~nx->acs_ctrl;
	bad = nx->acs_ctrl & PCI_ACS_DT;
	if (!(nx->flags & FM_NODE_EC_FENCE))
		bad |= nx->acs_ctrl & PCI_ACS_EC;
	if (off | bad)
		fm_emit(o, FM_ACS_DISABLED, d, w, x, off | bad);
}

bool fm_ats_allowed(const struct fm_policy *pol, u32 t)
{
	return pol && (pol->allow_ats ||
		       fm_u32_in(pol->ats_tenants, pol->n_ats_tenants, t));
}

/* devices with ATS before DFS position @p (p <= ndev) */
static u32 fm_acnt(const struct fm_ctx *c, u32 p)
{
	return p < c->ndev ? c->acnt[p] : c->nats;
}

/*
 * A device below port @p, other than @d, whose ATS Translation Blocking at
 * @p would cut off although it may use ATS: a device with ATS owned by the
 * host (its IOMMU driver enables ATS) or by a tenant other than @t whose
 * ATS the policy allows. -1 when there is none. One step per run of equal
 * owners among the devices with ATS below @p.
 */
static s32 fm_ats_conflict(const struct fm_ctx *c, const struct fm_policy *pol,
			   u32 p, u32 d, u32 t)
{
	u32 a = fm_acnt(c, c->lo[p]), b = fm_acnt(c, c->hi[p]);

	while (a < b) {
		u32 w = c->aseq[a], ow = c->owner[w];

		if (w == d) {
			a++;	/* judged as @t's: its installed owner does not count */
			continue;
		}
		if (ow != t && (!ow || fm_ats_allowed(pol, ow)))
			return (s32)w;
		a = c->anxt[a];
	}
	return -1;
}

/*
 * The node where device @d's translated requests must be blocked: its port
 * (root port or switch downstream port), or @d itself when it has none.
 */
static u32 fm_ats_at(const struct fm_ctx *c, u32 d)
{
	s32 p = c->nodes[d].parent;

	if (p >= 0 && (c->nodes[p].type == FM_ROOT_PORT ||
		       c->nodes[p].type == FM_SWITCH_DOWN))
		return (u32)p;
	return d;
}

/* Verdicts for device @d as if owned by tenant @t (@t >= 1). */
static void fm_eval(const struct fm_ctx *c, const struct fm_policy *pol,
		    u32 d, u32 t, struct fm_out *o)
{
	const struct fm_node *nd = c->nodes;
	s32 x = (s32)d;
	s32 tb_at = -1;

	if ((nd[d].flags & FM_NODE_ATS) && !fm_ats_allowed(pol, t)) {
		tb_at = (s32)fm_ats_at(c, d);
		if (tb_at == (s32)d) {
			fm_emit(o, FM_ATS_ENABLED, d, -1, d, FM_NEED_ATS);
			tb_at = -1;
		} else if ((nd[tb_at].flags & FM_NODE_ACS) &&
			   (nd[tb_at].acs_cap & FM_NEED_ATS)) {
			s32 w = fm_ats_conflict(c, pol, (u32)tb_at, d, t);

			/* TB there would cut off another owner's ATS: not fixable */
			if (w >= 0) {
				fm_emit(o, FM_ATS_ENABLED, d, w, (u32)tb_at, FM_NEED_ATS);
				tb_at = -1;
			}
		}
	}

	while (x >= 0) {
		s32 par = nd[x].parent;
		s32 w = fm_region_other(c, (u32)x, t);
		u16 tb = x == tb_at ? FM_NEED_ATS : 0;

		if (w >= 0) {
			if (par >= 0 && fm_is_conventional(nd[par].type)) {
				fm_emit(o, FM_CONVENTIONAL_BRIDGE, d, w, (u32)par, 0);
			} else if (!fm_is_fabric(nd[x].type)) {
				fm_acs_check(c, o, d, w, (u32)x, FM_NEED_FUNC);
			} else {
				fm_acs_check(c, o, d, w, (u32)x, FM_NEED_PORT | tb);
				tb = 0;
			}
		}
		if (tb)
			fm_acs_check(c, o, d, -1, (u32)x, tb);
		x = par;
	}

	if (nd[fm_dma(nd, d)].group < 0) {
		fm_emit(o, FM_NO_IOMMU, d, -1, d, 0);
	} else {
		u32 e = c->gpos[d];
		u32 p = fm_other(c, c->gseq, c->gnxt, c->glo[d], e, t);

		if (nd[fm_dma(nd, d)].domain == FM_DOM_IDENTITY)
			fm_emit(o, FM_IDENTITY_DOMAIN, d, -1, d, 0);
		if (p == FM_NONE)
			p = fm_other(c, c->gseq, c->gnxt, e + 1, c->ghi[d], t);
		if (p != FM_NONE)
			fm_emit(o, FM_SHARED_IOMMU_GROUP, d, (s32)c->gseq[p], d, 0);
	}
}

int fm_audit(const struct fm_ctx *c, const struct fm_policy *pol,
	     struct fm_verdict *v, u32 cap, u32 *nv, u16 *need)
{
	struct fm_out o = { .v = v, .cap = v ? cap : 0, .need = need };
	u32 i;

	if (!c || !nv)
		return -EINVAL;
	if (need)
		for (i = 0; i < c->n; i++)
			need[i] = 0;
	for (i = 0; i < c->n; i++)
		if (c->owner[i] && !fm_is_fabric(c->nodes[i].type))
			fm_eval(c, pol, i, c->owner[i], &o);
	*nv = o.nv;
	return o.nv > o.cap ? -E2BIG : 0;
}

int fm_check_assign(const struct fm_ctx *c, const struct fm_policy *pol,
		    u32 idx, u32 tenant, struct fm_verdict *v, u32 cap, u32 *nv,
		    u16 *need)
{
	struct fm_out o = { .v = v, .cap = v ? cap : 0, .need = need };

	if (!c || !nv || idx >= c->n || !tenant ||
	    fm_is_fabric(c->nodes[idx].type) ||
	    (c->owner[idx] && c->owner[idx] != tenant))
		return -EINVAL;
	fm_eval(c, pol, idx, tenant, &o);
	*nv = o.nv;
	return o.nv > o.cap ? -E2BIG : 0;
}

s32 fm_verdict_vmd(const struct fm_node *nodes, const struct fm_verdict *v)
{
	if (v->kind != FM_SHARED_IOMMU_GROUP)
		return -1;
	if (nodes[v->dev].dma_dev)
		return (s32)nodes[v->dev].dma_dev - 1;
	if (v->peer >= 0 && nodes[v->peer].dma_dev)
		return (s32)nodes[v->peer].dma_dev - 1;
	return -1;
}

s32 fm_find(const struct fm_ctx *c, u64 id)
{
	u32 a = 0, b = c->n;

	while (a < b) {
		u32 m = a + (b - a) / 2;
		u64 mid = c->nodes[c->byid[m]].id;

		if (mid == id)
			return (s32)c->byid[m];
		if (mid < id)
			a = m + 1;
		else
			b = m;
	}
	return -1;
}

static bool fm_lacks(const struct fm_node *nd, u16 bits)
{
	if (!(nd->flags & FM_NODE_ACS))
		return true;
	return (nd->acs_cap & nd->acs_ctrl & bits) != bits;
}

void fm_infer_kisol(struct fm_node *nd, u32 n, const u8 *pcie)
{
	u32 i, j;

	for (i = 0; i < n; i++) {
		s32 p = nd[i].parent;

		if (p < 0 || (u32)p >= n || nd[i].group < 0 || nd[p].group < 0 ||
		    !pcie[i])
			continue;
		if ((nd[p].type == FM_ROOT_PORT || nd[p].type == FM_SWITCH_DOWN) &&
		    nd[i].group != nd[p].group && fm_lacks(&nd[p], FM_NEED_PORT))
			nd[p].flags |= FM_NODE_KISOL;
	}
	for (i = 0; i < n; i++) {
		if (fm_is_fabric(nd[i].type) || !(nd[i].flags & FM_NODE_MF) ||
		    nd[i].group < 0 || !fm_lacks(&nd[i], FM_NEED_FUNC))
			continue;
		/* the run of functions of i's slot (adjacent: see the header) */
		for (j = i; j > 0 && FM_ID_SLOTKEY(nd[j - 1].id) == FM_ID_SLOTKEY(nd[i].id);)
			j--;
		for (; j < n && FM_ID_SLOTKEY(nd[j].id) == FM_ID_SLOTKEY(nd[i].id); j++)
			if (j != i && !fm_is_fabric(nd[j].type) &&
			    nd[j].group >= 0 && nd[j].group != nd[i].group &&
			    fm_lacks(&nd[j], FM_NEED_FUNC))
				nd[i].flags |= FM_NODE_KISOL;
	}
}

static const char *const fm_kind_names[FM_KIND_MAX + 1] = {
	[FM_ACS_DISABLED] = "acs-disabled",
	[FM_ACS_MISSING] = "acs-missing",
	[FM_ACS_FAKED] = "acs-faked",
	[FM_SHARED_IOMMU_GROUP] = "shared-iommu-group",
	[FM_NO_IOMMU] = "no-iommu",
	[FM_IDENTITY_DOMAIN] = "identity-domain",
	[FM_CONVENTIONAL_BRIDGE] = "conventional-bridge",
	[FM_MULTIFUNCTION_NO_ACS] = "multifunction-no-acs",
	[FM_ATS_ENABLED] = "ats-enabled",
	[FM_NO_RESET] = "no-reset",
};

const char *fm_kind_name(unsigned int kind)
{
	return kind <= FM_KIND_MAX ? fm_kind_names[kind] : NULL;
}

const char *fm_ats_why(bool at_dev, bool peer)
{
	if (peer)
		return "peer uses ATS";
	return at_dev ? "no port blocks translated requests" :
			"cannot block translated requests";
}

bool fm_kind_fixable(unsigned int kind)
{
	return kind == FM_ACS_DISABLED;
}

char *fm_acs_bits_str(u16 bits, char *buf, size_t len)
{
	static const struct { u16 bit; char name[3]; } tab[] = {
		{ PCI_ACS_SV, "SV" }, { PCI_ACS_RR, "RR" }, { PCI_ACS_CR, "CR" },
		{ PCI_ACS_UF, "UF" }, { PCI_ACS_DT, "DT" }, { PCI_ACS_EC, "EC" },
		{ PCI_ACS_TB, "TB" },
	};
	size_t k = 0, i;

	if (!buf || !len)
		return buf;
	for (i = 0; i < ARRAY_SIZE(tab); i++) {
		if (!(bits & tab[i].bit))
			continue;
		if (k + (k ? 3 : 2) >= len)
			break;
		if (k)
			buf[k++] = ' ';
		buf[k++] = tab[i].name[0];
		buf[k++] = tab[i].name[1];
	}
	buf[k] = '\0';
	return buf;
}
