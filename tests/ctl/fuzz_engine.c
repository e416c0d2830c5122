// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target: the engine `check` links (kmod/fence_model.c) against a
 * slow, obviously-right model of the isolation rule in fence_model.h,
 * written here from the header comment alone (differential testing, as
 * wireguard's allowedips test does). Random topology and owners from the
 * input; fm_audit() and fm_check_assign() must report exactly the
 * (dev, at, kind, missing) set the naive walk finds, and every peer must be
 * a real witness (a device of another owner in the region).
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "fence_model.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define MAXN 24

struct in {
	const uint8_t *p;
	size_t left;
};

static unsigned int take(struct in *in)
{
	if (!in->left)
		return 0;
	in->left--;
	return *in->p++;
}

static const struct fm_node *N;
static u32 n;
static u32 owner[MAXN];

static bool is_conv(u8 t) { return t == FM_PCIE_PCI_BRIDGE || t == FM_PCI_BRIDGE; }

/* is @x at or below @a */
static bool below(int x, int a)
{
	for (; x >= 0; x = N[x].parent)
		if (x == a)
			return true;
	return false;
}

static int root_of(int x)
{
	while (N[x].parent >= 0)
		x = N[x].parent;
	return x;
}

/* is device @w in the region of @x */
static bool in_region(int x, int w)
{
	int par = N[x].parent;

	if (fm_is_fabric(N[w].type) || below(w, x))
		return false;
	if (par >= 0)
		return below(w, par) && w != par;
	return (N[root_of(w)].id >> 8) == (N[x].id >> 8);
}

struct v { int dev, at, kind, missing; };

static int vcmp(const void *a, const void *b)
{
	return memcmp(a, b, sizeof(struct v));
}

static void acs_check(struct v *out, int *nv, int d, int x, u16 bits)
{
	const struct fm_node *nx = &N[x];
	bool has = nx->flags & FM_NODE_ACS;
	u16 lack = has ? bits & ~nx->acs_cap : bits, bad;

	if (!has || lack) {
		int kind = FM_ACS_MISSING;

		if (nx->flags & FM_NODE_KISOL)
			kind = FM_ACS_FAKED;
		else if (!has && !fm_is_fabric(nx->type) && (nx->flags & FM_NODE_MF))
			kind = FM_MULTIFUNCTION_NO_ACS;
		out[(*nv)++] = (struct v){ d, x, kind, lack };
		return;
	}
	bad = (bits & ~nx->acs_ctrl) | (nx->acs_ctrl & PCI_ACS_DT);
	if (!(nx->flags & FM_NODE_EC_FENCE))
		bad |= nx->acs_ctrl & PCI_ACS_EC;
	if (bad)
		out[(*nv)++] = (struct v){ d, x, FM_ACS_DISABLED, bad };
}

/* the naive walk for device @d owned by @t */
static void naive(int d, u32 t, bool allow_ats, struct v *out, int *nv)
{
	int x, w, par;
	u32 i;
	bool other;

	for (x = d; x >= 0; x = par) {
		par = N[x].parent;
		other = false;
		for (w = 0; w < (int)n; w++)
			if (in_region(x, w) && owner[w] != t)
				other = true;
		if (!other)
			continue;
		if (par >= 0 && is_conv(N[par].type))
			out[(*nv)++] = (struct v){ d, par, FM_CONVENTIONAL_BRIDGE, 0 };
		else
			acs_check(out, nv, d, x, fm_is_fabric(N[x].type) ? FM_NEED_PORT : FM_NEED_FUNC);
	}
	if (N[d].group < 0) {
		out[(*nv)++] = (struct v){ d, d, FM_NO_IOMMU, 0 };
	} else {
		if (N[d].domain == FM_DOM_IDENTITY)
			out[(*nv)++] = (struct v){ d, d, FM_IDENTITY_DOMAIN, 0 };
		for (i = 0; i < n; i++)
			if ((int)i != d && !fm_is_fabric(N[i].type) && N[i].group == N[d].group &&
			    owner[i] != t) {
				out[(*nv)++] = (struct v){ d, d, FM_SHARED_IOMMU_GROUP, 0 };
				break;
			}
	}
	if ((N[d].flags & FM_NODE_ATS) && !allow_ats)
		out[(*nv)++] = (struct v){ d, d, FM_ATS_ENABLED, 0 };
}

static void fail(const char *what, u32 nn)
{
	u32 i;

	fprintf(stderr, "engine mismatch: %s\n", what);
	for (i = 0; i < nn; i++)
		fprintf(stderr, "  [%u] id %05x parent %d type %u flags %02x dom %u cap %02x ctrl %02x group %d owner %u\n",
			i, N[i].id, N[i].parent, N[i].type, N[i].flags, N[i].domain, N[i].acs_cap,
			N[i].acs_ctrl, N[i].group, owner[i]);
	abort();
}

/* engine verdicts -> sorted struct v, peers checked as witnesses */
static int from_engine(const struct fm_verdict *fv, u32 cnt, struct v *out, u32 t_of_dev_override,
		       int dev_override)
{
	u32 i, t;

	for (i = 0; i < cnt; i++) {
		const struct fm_verdict *e = &fv[i];

		if (e->dev < 0 || e->dev >= (s32)n || e->at < 0 || e->at >= (s32)n ||
		    e->peer < -1 || e->peer >= (s32)n)
			fail("verdict index out of range", n);
		t = e->dev == dev_override ? t_of_dev_override : owner[e->dev];
		if (e->peer >= 0 && (owner[e->peer] == t || fm_is_fabric(N[e->peer].type)))
			fail("peer is not a device of another owner", n);
		out[i] = (struct v){ e->dev, e->at, e->kind, e->missing };
	}
	qsort(out, cnt, sizeof(*out), vcmp);
	return (int)cnt;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct fm_node nodes[MAXN];
	static uint64_t mem[(1 << 16) / 8];
	struct fm_verdict fv[MAXN * 16];
	struct v a[MAXN * 16], b[MAXN * 16];
	struct fm_policy pol;
	struct in in = { data, size };
	struct fm_ctx *c;
	u32 i, cnt, t;
	int err, na, nb, par;

	n = 1 + take(&in) % MAXN;
	pol.allow_ats = take(&in) & 1;
	memset(nodes, 0, sizeof(nodes));
	for (i = 0; i < n; i++) {
		struct fm_node *x = &nodes[i];

		par = (int)(take(&in) % (i + 1)) - 1;
		x->type = (u8)(take(&in) % FM_TYPE_MAX);
		if (par >= 0 && (!fm_is_fabric(nodes[par].type) || nodes[par].type == FM_HOST_BRIDGE))
			par = -1;
		x->parent = par;
		/* root nodes on bus 0 or 1; children on their parent's bus */
		x->id = FM_ID(0, par >= 0 ? 2 + par : take(&in) & 1, i);
		x->flags = (u8)(take(&in) & FM_NODE_ALL);
		x->domain = (u8)(take(&in) % 3);
		x->acs_cap = (u16)(take(&in) & 0x7f);
		x->acs_ctrl = (u16)(take(&in) & 0x7f);
		x->group = (s32)(take(&in) % 5) - 1;
		owner[i] = fm_is_fabric(x->type) ? 0 : take(&in) % 3;
	}
	N = nodes;
	if (fm_ctx_size(n) > sizeof(mem))
		return 0;
	c = fm_init(mem, sizeof(mem), nodes, n, &err);
	if (!c)
		fail("fm_init refused a valid topology", n);
	if (fm_set_owners(c, owner))
		fail("fm_set_owners refused", n);
	for (i = 0; i < n; i++)
		if (fm_find(c, nodes[i].id) != (s32)i)
			fail("fm_find", n);
	if (fm_audit(c, &pol, fv, sizeof(fv) / sizeof(fv[0]), &cnt, NULL))
		return 0;
	na = from_engine(fv, cnt, a, 0, -1);
	nb = 0;
	for (i = 0; i < n; i++)
		if (owner[i] && !fm_is_fabric(nodes[i].type))
			naive((int)i, owner[i], pol.allow_ats, b, &nb);
	qsort(b, (size_t)nb, sizeof(*b), vcmp);
	if (na != nb || memcmp(a, b, sizeof(*a) * (size_t)na))
		fail("fm_audit differs from the naive model", n);

	/* fm_check_assign of each host device to tenant 1 or 2 */
	for (i = 0; i < n; i++) {
		if (owner[i] || fm_is_fabric(nodes[i].type))
			continue;
		t = 1 + (i & 1);
		if (fm_check_assign(c, &pol, i, t, fv, sizeof(fv) / sizeof(fv[0]), &cnt, NULL))
			continue;
		na = from_engine(fv, cnt, a, t, (int)i);
		nb = 0;
		naive((int)i, t, pol.allow_ats, b, &nb);
		qsort(b, (size_t)nb, sizeof(*b), vcmp);
		/* the walk dedups (dev, at, kind): the naive one emits once per x too */
		if (na != nb || memcmp(a, b, sizeof(*a) * (size_t)na))
			fail("fm_check_assign differs from the naive model", n);
	}
	return 0;
}
