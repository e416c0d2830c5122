// SPDX-License-Identifier: GPL-2.0
/*
 * naive.c - pairwise reference model of the isolation rule; see naive.h.
 */
#include "ref_compat.h"
#include "naive.h"

bool nv_is_device(u8 type)
{
	return type == FM_ENDPOINT || type == FM_RC_ENDPOINT;
}

bool nv_is_conventional(u8 type)
{
	return type == FM_PCIE_PCI_BRIDGE || type == FM_PCI_BRIDGE;
}

/* is @a == @x or an ancestor of @x? Walks @x's parents. */
static bool nv_below(const struct fm_node *nodes, s32 a, s32 x)
{
	for (; x >= 0; x = nodes[x].parent)
		if (x == a)
			return true;
	return false;
}

static s32 nv_root(const struct fm_node *nodes, s32 x)
{
	while (nodes[x].parent >= 0)
		x = nodes[x].parent;
	return x;
}

/* the node whose IOMMU group and domain stand for @x: its VMD endpoint, if any */
static const struct fm_node *nv_dma(const struct fm_node *nodes, s32 x)
{
	return nodes[x].dma_dev ? &nodes[nodes[x].dma_dev - 1] : &nodes[x];
}

static bool nv_same_root_bus(const struct fm_node *nodes, s32 a, s32 b)
{
	u64 ia = nodes[a].id, ib = nodes[b].id;

	return FM_ID_DOMAIN(ia) == FM_ID_DOMAIN(ib) && FM_ID_BUS(ia) == FM_ID_BUS(ib);
}

s32 nv_turning(const struct fm_node *nodes, u32 n, s32 d, s32 w)
{
	s32 x;

	(void)n;
	if (d == w)
		return -1;
	for (x = d; x >= 0; x = nodes[x].parent) {
		s32 p = nodes[x].parent;

		if (p < 0)	/* x is on a root bus: the root complex routes */
			return nv_same_root_bus(nodes, x, nv_root(nodes, w)) ? x : -1;
		if (nv_below(nodes, p, w))
			return x;
	}
	return -1;
}

/*
 * judge "X needs @need" against X's registers (fence_model.h): up to two
 * verdicts into out[0..1] -- what the capability lacks (acs-missing,
 * acs-faked, multifunction-no-acs), and acs-disabled for the needed bits
 * it has that are off, or DT/EC on. Returns how many.
 */
static int nv_judge(const struct fm_node *x, u16 need, bool func,
		    struct nv_verdict *out)
{
	bool kisol = x->flags & FM_NODE_KISOL;
	int k = 0;
	u16 bad;

	if (!(x->flags & FM_NODE_ACS)) {
		out[0].missing = need;
		if (kisol)
			out[0].kind = FM_ACS_FAKED;
		else if (func && (x->flags & FM_NODE_MF))
			out[0].kind = FM_MULTIFUNCTION_NO_ACS;
		else
			out[0].kind = FM_ACS_MISSING;
		return 1;
	}
	if (need & ~x->acs_cap) {
		out[0].missing = need & ~x->acs_cap;
		out[0].kind = kisol ? FM_ACS_FAKED : FM_ACS_MISSING;
		k = 1;
		need &= x->acs_cap;
		if (!need)
			return k;
	}
	bad = need & ~x->acs_ctrl;
	bad |= x->acs_ctrl & PCI_ACS_DT;
	if (!(x->flags & FM_NODE_EC_FENCE))
		bad |= x->acs_ctrl & PCI_ACS_EC;
	if (!bad)
		return k;
	out[k].kind = FM_ACS_DISABLED;
	out[k].missing = bad;
	return k + 1;
}

/* is ATS accepted for tenant @t? (a linear search: naive on purpose) */
static bool nv_ats_ok(const struct fm_policy *pol, u32 t)
{
	u32 i;

	if (!pol)
		return false;
	if (pol->allow_ats)
		return true;
	for (i = 0; pol->ats_tenants && i < pol->n_ats_tenants; i++)
		if (pol->ats_tenants[i] == t)
			return true;
	return false;
}

static s32 nv_ats_at(const struct fm_node *nodes, s32 d, u32 owner_d,
		     const struct fm_policy *pol)
{
	s32 p = nodes[d].parent;

	if (!(nodes[d].flags & FM_NODE_ATS) || nv_ats_ok(pol, owner_d))
		return -1;
	if (p >= 0 && (nodes[p].type == FM_ROOT_PORT ||
		       nodes[p].type == FM_SWITCH_DOWN))
		return p;
	return d;
}

/* can node @x block translated requests (ACS with TB in its capability)? */
static bool nv_tb_capable(const struct fm_node *x)
{
	return (x->flags & FM_NODE_ACS) && (x->acs_cap & PCI_ACS_TB);
}

/*
 * may device @w, below port @p, be cut off by TB at @p set for @d? It has
 * ATS, another owner than @d, and may use it (the host, or a tenant whose
 * ATS the policy allows)
 */
static bool nv_ats_victim(const struct fm_node *nodes, const u32 *owner,
			  const struct fm_policy *pol, s32 p, s32 d, s32 w)
{
	return w != d && nv_is_device(nodes[w].type) && (nodes[w].flags & FM_NODE_ATS) &&
	       nv_below(nodes, p, w) && owner[w] != owner[d] &&
	       (!owner[w] || nv_ats_ok(pol, owner[w]));
}

/* the first device TB at @p (for @d) would cut off, or -1 */
static s32 nv_ats_conflict(const struct fm_node *nodes, u32 n, const u32 *owner,
			   const struct fm_policy *pol, s32 p, s32 d)
{
	u32 w;

	for (w = 0; w < n; w++)
		if (nv_ats_victim(nodes, owner, pol, p, d, (s32)w))
			return (s32)w;
	return -1;
}

/*
 * the port where @d needs TB judged: its ATS port when TB can be set there
 * without cutting off another owner's ATS; -1 otherwise
 */
static s32 nv_tb_port(const struct fm_node *nodes, u32 n, const u32 *owner, s32 d,
		      const struct fm_policy *pol)
{
	s32 a = nv_ats_at(nodes, d, owner[d], pol);

	if (a < 0 || a == d || !nv_tb_capable(&nodes[a]))
		return -1;
	return nv_ats_conflict(nodes, n, owner, pol, a, d) < 0 ? a : -1;
}

int nv_pair(const struct fm_node *nodes, u32 n, s32 d, s32 w, s32 tbport,
	    struct nv_verdict *out, s32 *need_at, u16 *need_bits)
{
	s32 x = nv_turning(nodes, n, d, w);
	s32 p;
	u16 need;
	bool func;
	int k, i;

	if (need_at)
		*need_at = -1;
	if (need_bits)
		*need_bits = 0;
	if (x < 0)
		return 0;
	p = nodes[x].parent;
	out[0].dev = d;
	out[1].dev = d;
	if (p >= 0 && nv_is_conventional(nodes[p].type)) {
		/* device or fabric below a conventional bridge: no ACS there */
		out[0].kind = FM_CONVENTIONAL_BRIDGE;
		out[0].at = p;
		out[0].missing = 0;
		return 1;
	}
	func = nv_is_device(nodes[x].type);
	need = func ? FM_NEED_FUNC : FM_NEED_PORT;
	if (x == tbport)	/* judged together with the ATS port's TB */
		need |= FM_NEED_ATS;
	out[0].at = x;
	out[1].at = x;
	/* the bits the capability has can be programmed; none without ACS */
	if (nodes[x].flags & FM_NODE_ACS) {
		if (need_at)
			*need_at = x;
		if (need_bits)
			*need_bits = need & nodes[x].acs_cap;
	}
	k = nv_judge(&nodes[x], need, func, out);
	for (i = 0; i < k; i++) {
		out[i].dev = d;
		out[i].at = x;
	}
	return k;
}

int nv_cmp(const struct nv_verdict *a, const struct nv_verdict *b)
{
	if (a->dev != b->dev)
		return a->dev < b->dev ? -1 : 1;
	if (a->at != b->at)
		return a->at < b->at ? -1 : 1;
	if (a->kind != b->kind)
		return a->kind < b->kind ? -1 : 1;
	if (a->missing != b->missing)
		return a->missing < b->missing ? -1 : 1;
	return 0;
}

/* insertion sort: naive on purpose, lists are short per device */
void nv_sort(struct nv_verdict *v, u32 n)
{
	u32 i, j;

	for (i = 1; i < n; i++) {
		struct nv_verdict t = v[i];

		for (j = i; j > 0 && nv_cmp(&v[j - 1], &t) > 0; j--)
			v[j] = v[j - 1];
		v[j] = t;
	}
}

/* add @x to the list of device @d's verdicts, which start at @first */
static void nv_add(struct nv_verdict *v, u32 cap, u32 *nv, u32 first,
		   const struct nv_verdict *x)
{
	u32 i;

	for (i = first; i < *nv && i < cap; i++)
		if (!nv_cmp(&v[i], x))
			return;
	if (*nv >= cap && *nv > first) {
		/* past the buffer: we cannot dedup against what we dropped */
		(*nv)++;
		return;
	}
	if (*nv < cap)
		v[*nv] = *x;
	(*nv)++;
}

int nv_audit(const struct fm_node *nodes, u32 n, const u32 *owner,
	     const struct fm_policy *pol, s32 only,
	     struct nv_verdict *v, u32 cap, u32 *nv, u16 *need)
{
	u32 d, w;

	*nv = 0;
	for (d = 0; d < n; d++) {
		const struct fm_node *dn = &nodes[d];
		u32 first = *nv;
		struct nv_verdict x;
		struct nv_verdict pv[2];
		s32 ats, tbport, tx;
		bool tb_judged;
		int k, i;

		if (!nv_is_device(dn->type) || !owner[d])
			continue;
		if (only >= 0 && (s32)d != only)
			continue;
		x.dev = d;
		x.at = d;
		x.missing = 0;
		if (nv_dma(nodes, d)->group < 0) {
			x.kind = FM_NO_IOMMU;
			nv_add(v, cap, nv, first, &x);
		} else if (nv_dma(nodes, d)->domain == FM_DOM_IDENTITY) {
			x.kind = FM_IDENTITY_DOMAIN;
			nv_add(v, cap, nv, first, &x);
		}
		ats = nv_ats_at(nodes, (s32)d, owner[d], pol);
		tbport = nv_tb_port(nodes, n, owner, (s32)d, pol);
		tb_judged = false;
		if (ats >= 0 && tbport < 0) {
			x.kind = FM_ATS_ENABLED;
			x.at = ats;
			x.missing = FM_NEED_ATS;
			nv_add(v, cap, nv, first, &x);
		}
		for (w = 0; w < n; w++) {
			s32 at;
			u16 bits;

			if (w == d || !nv_is_device(nodes[w].type) ||
			    owner[w] == owner[d])
				continue;
			if (nv_dma(nodes, d)->group >= 0 &&
			    nv_dma(nodes, w)->group == nv_dma(nodes, d)->group) {
				x.kind = FM_SHARED_IOMMU_GROUP;
				x.at = d;
				x.missing = 0;
				nv_add(v, cap, nv, first, &x);
			}
			k = nv_pair(nodes, n, d, w, tbport, pv, &at, &bits);
			for (i = 0; i < k; i++)
				nv_add(v, cap, nv, first, &pv[i]);
			tx = nv_turning(nodes, n, d, w);
			if (tx >= 0 && tx == tbport &&
			    !(nodes[tx].parent >= 0 &&
			      nv_is_conventional(nodes[nodes[tx].parent].type)))
				tb_judged = true;
			if (need && at >= 0)
				need[at] |= bits;
		}
		if (tbport >= 0 && !tb_judged) {
			/* only TB is needed there: the whole host is concerned */
			k = nv_judge(&nodes[tbport], FM_NEED_ATS, false, pv);
			for (i = 0; i < k; i++) {
				pv[i].dev = d;
				pv[i].at = tbport;
				nv_add(v, cap, nv, first, &pv[i]);
			}
			if (need)
				need[tbport] |= FM_NEED_ATS;
		}
		if (*nv <= cap)
			nv_sort(v + first, *nv - first);
	}
	return *nv > cap ? -E2BIG : 0;
}

bool nv_peer_ok(const struct fm_node *nodes, u32 n, const u32 *owner,
		const struct fm_policy *pol, const struct nv_verdict *v, s32 peer)
{
	s32 tbport = nv_tb_port(nodes, n, owner, v->dev, pol);
	struct nv_verdict pv[2];
	u32 w;
	int k, i;

	if (v->kind == FM_ACS_DISABLED && peer == -1) {
		/* TB alone: valid where no other owner's device turns there */
		if (v->at != tbport)
			return false;
		for (w = 0; w < n; w++)
			if (nv_is_device(nodes[w].type) &&
			    owner[w] != owner[v->dev] &&
			    nv_turning(nodes, n, v->dev, (s32)w) == tbport &&
			    !(nodes[tbport].parent >= 0 &&
			      nv_is_conventional(nodes[nodes[tbport].parent].type)))
				return false;
		return true;
	}
	if (v->kind == FM_ATS_ENABLED) {
		/* no port, or no TB there: the host; else the device TB would cut off */
		if (v->at == v->dev || !nv_tb_capable(&nodes[v->at]))
			return peer == -1;
		return peer >= 0 && (u32)peer < n &&
		       v->at == nv_ats_at(nodes, v->dev, owner[v->dev], pol) &&
		       nv_ats_victim(nodes, owner, pol, v->at, v->dev, peer);
	}
	switch (v->kind) {
	case FM_NO_IOMMU:
	case FM_IDENTITY_DOMAIN:
		return peer == -1;
	default:
		break;
	}
	if (peer < 0 || (u32)peer >= n || peer == v->dev ||
	    !nv_is_device(nodes[peer].type) || owner[peer] == owner[v->dev])
		return false;
	if (v->kind == FM_SHARED_IOMMU_GROUP)
		return v->at == v->dev && nv_dma(nodes, v->dev)->group >= 0 &&
		       nv_dma(nodes, peer)->group == nv_dma(nodes, v->dev)->group;
	k = nv_pair(nodes, n, v->dev, peer, tbport, pv, NULL, NULL);
	for (i = 0; i < k; i++)
		if (!nv_cmp(&pv[i], v))
			return true;
	return false;
}
