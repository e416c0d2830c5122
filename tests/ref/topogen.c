// SPDX-License-Identifier: GPL-2.0
/*
 * topogen.c - seeded random topologies and owner tables; see topogen.h.
 */
#include "ref_compat.h"
#include "topogen.h"
#include "naive.h"

void tg_seed(struct tg_rng *r, unsigned long long seed)
{
	r->s = seed ^ 0x9e3779b97f4a7c15ull;
}

/* splitmix64: tiny, good enough, the same everywhere */
unsigned long long tg_next(struct tg_rng *r)
{
	unsigned long long z = (r->s += 0x9e3779b97f4a7c15ull);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

u32 tg_below(struct tg_rng *r, u32 n)
{
	return (u32)((tg_next(r) >> 32) % n);
}

bool tg_pct(struct tg_rng *r, u32 pct)
{
	return tg_below(r, 100) < pct;
}

int tg_alloc(struct tg_topo *t, u32 cap)
{
	memset(t, 0, sizeof(*t));
	t->nodes = ref_zalloc(sizeof(*t->nodes) * cap);
	t->owner = ref_zalloc(sizeof(*t->owner) * cap);
	t->scratch = ref_zalloc(sizeof(*t->scratch) * 3 * cap);
	if (!t->nodes || !t->owner || !t->scratch) {
		tg_free(t);
		return -ENOMEM;
	}
	t->cap = cap;
	return 0;
}

void tg_free(struct tg_topo *t)
{
	ref_free(t->nodes);
	ref_free(t->owner);
	ref_free(t->scratch);
	t->nodes = NULL;
	t->owner = NULL;
	t->scratch = NULL;
	t->n = 0;
	t->cap = 0;
}

struct tg_gen {
	struct tg_topo *t;
	struct tg_rng r;
	u32 dom;
	u32 next_bus;
	u32 tenants;
	u32 host_pct;	/* chance a randomly drawn owner is the host */
	u32 faults;	/* percent scale of register/KISOL anomalies */
};

static u32 tg_draw_owner(struct tg_gen *g)
{
	if (!g->tenants || tg_pct(&g->r, g->host_pct))
		return 0;
	return 1 + tg_below(&g->r, g->tenants);
}

/* what Linux's pci_acs_flags_enabled() concludes: bits the cap lacks count as on */
static bool tg_linux_isolated(u8 flags, u16 cap, u16 ctrl, u16 want)
{
	if (!(flags & FM_NODE_ACS))
		return false;
	want &= cap | PCI_ACS_EC;
	return (ctrl & want) == want;
}

static s32 tg_add(struct tg_gen *g, u32 dom, u32 bus, u32 slot, u32 fn, s32 parent,
		  u8 type, u8 flags, u16 cap, u16 ctrl, u32 owner)
{
	struct tg_topo *t = g->t;
	struct fm_node *nd;

	if (t->n >= t->cap)
		return -1;
	nd = &t->nodes[t->n];
	memset(nd, 0, sizeof(*nd));
	nd->id = FM_ID(dom, bus, (slot << 3) | fn);
	nd->parent = parent;
	nd->type = type;
	nd->flags = flags;
	nd->acs_cap = cap;
	nd->acs_ctrl = ctrl;
	nd->group = -1;
	t->owner[t->n] = nv_is_device(type) ? owner : 0;
	return (s32)t->n++;
}

/* random ACS registers for a node that would need @want */
static void tg_acs(struct tg_gen *g, u8 *flags, u16 *cap, u16 *ctrl, u16 want,
		   u32 acs_pct)
{
	struct tg_rng *r = &g->r;
	static const u16 bits[] = { PCI_ACS_SV, PCI_ACS_RR, PCI_ACS_CR, PCI_ACS_UF };

	*cap = 0;
	*ctrl = 0;
	if (!tg_pct(r, acs_pct)) {
		/* no capability: the words are junk nobody may read */
		if (tg_pct(r, 20)) {
			*cap = (u16)tg_next(r);
			*ctrl = (u16)tg_next(r);
		}
	} else {
		*flags |= FM_NODE_ACS;
		*cap = want | PCI_ACS_TB;
		if (want == FM_NEED_FUNC && tg_pct(r, 50))
			*cap |= PCI_ACS_SV | PCI_ACS_UF;
		if (tg_pct(r, 50))
			*cap |= PCI_ACS_EC;
		if (tg_pct(r, 50))
			*cap |= PCI_ACS_DT;
		if (tg_pct(r, g->faults))
			*cap &= ~bits[tg_below(r, 4)];
		if (tg_pct(r, 15))
			*cap &= ~PCI_ACS_TB;	/* translated requests not blockable */
		if (tg_pct(r, 45))
			*ctrl = *cap & (want | (tg_pct(r, 30) ? PCI_ACS_TB : 0));
		else if (tg_pct(r, 55))
			*ctrl = (u16)tg_next(r) & *cap & 0x7f;
		if (tg_pct(r, 10))
			*ctrl |= *cap & PCI_ACS_DT;
		if (tg_pct(r, 3))
			*ctrl |= PCI_ACS_DT;	/* out of spec, still on */
		if (tg_pct(r, 12))
			*ctrl |= *cap & PCI_ACS_EC;
		if ((*ctrl & PCI_ACS_EC) && tg_pct(r, 50))
			*flags |= FM_NODE_EC_FENCE;
	}
	if (tg_pct(r, 3))
		*flags |= FM_NODE_EC_FENCE;	/* stale: harmless without EC */
	if (tg_linux_isolated(*flags, *cap, *ctrl, FM_NEED_PORT) != tg_pct(r, g->faults / 2))
		*flags |= FM_NODE_KISOL;
}

static u32 tg_new_bus(struct tg_gen *g)
{
	if (g->next_bus > 255)
		return 0;
	return g->next_bus++;
}

/*
 * A port or bridge at @bus:@slot.0 below @parent, with random ACS registers
 * (a capability in @acs_pct percent) and, in @flag_pct percent, @flag; and
 * its secondary bus in *@sec (0: buses ran out, nothing added). Returns its
 * index, -1 when nothing was added.
 */
static s32 tg_port(struct tg_gen *g, u32 *sec, u32 bus, u32 slot, s32 parent, u8 type,
		   u32 acs_pct, u32 flag_pct, u8 flag)
{
	u8 flags = 0;
	u16 cap, ctrl;

	*sec = tg_new_bus(g);
	if (!*sec)
		return -1;
	tg_acs(g, &flags, &cap, &ctrl, FM_NEED_PORT, acs_pct);
	if (flag_pct && tg_pct(&g->r, flag_pct))
		flags |= flag;
	return tg_add(g, g->dom, bus, slot, 0, parent, type, flags, cap, ctrl, 0);
}

/* the functions of one slot: a device, maybe multifunction */
static void tg_slot(struct tg_gen *g, s32 parent, u32 bus, u32 slot, bool root, u32 zone)
{
	struct tg_rng *r = &g->r;
	bool mf = tg_pct(r, 30);
	u32 nf = mf ? 2 + tg_below(r, 3) : 1;
	u32 slot_owner = tg_pct(r, 75) ? zone : tg_draw_owner(g);
	bool coherent = tg_pct(r, 60);
	u32 f, fn = 0;

	for (f = 0; f < nf; f++) {
		u8 type = root && !tg_pct(r, 10) ? FM_RC_ENDPOINT : FM_ENDPOINT;
		u8 flags = mf ? FM_NODE_MF : 0;
		u16 cap, ctrl;
		u32 acs_pct = mf ? 45 : root ? 30 : 10;

		if (type == FM_ENDPOINT && root)
			type = FM_ENDPOINT;	/* legacy endpoint on a root bus */
		tg_acs(g, &flags, &cap, &ctrl, FM_NEED_FUNC, acs_pct);
		if (tg_pct(r, 20))
			flags |= FM_NODE_ATS | (tg_pct(r, 50) ? FM_NODE_ATS_ON : 0);
		tg_add(g, g->dom, bus, slot, fn, parent, type, flags, cap, ctrl,
		       coherent ? slot_owner : tg_pct(r, 60) ? slot_owner : tg_draw_owner(g));
		fn += 1 + (tg_pct(r, 15) ? tg_below(r, 3) : 0);
		if (fn > 7)
			break;
	}
}

static void tg_conventional(struct tg_gen *g, s32 br, u32 bus, u32 depth, u32 zone);

static void tg_below_port(struct tg_gen *g, s32 port, u32 bus, u32 depth, u32 zone)
{
	struct tg_rng *r = &g->r;
	u32 what = tg_below(r, 100);
	u32 b2, b3, nd, i;
	s32 up, dp, br;

	if (tg_pct(r, 35))
		zone = tg_draw_owner(g);
	if (what < 45 || depth >= 5) {
		tg_slot(g, port, bus, 0, false, zone);
	} else if (what < 72) {
		/* a switch: upstream port (Linux: "isolated"), then downstream ports */
		up = tg_port(g, &b2, bus, 0, port, FM_SWITCH_UP, 15, 90, FM_NODE_KISOL);
		if (up < 0)
			return;
		nd = 1 + tg_below(r, 5);
		for (i = 0; i < nd; i++) {
			dp = tg_port(g, &b3, b2, i, up, FM_SWITCH_DOWN, 75, 0, 0);
			if (dp < 0)
				return;
			tg_below_port(g, dp, b3, depth + 1, zone);
		}
	} else if (what < 84) {
		br = tg_port(g, &b2, bus, 0, port, FM_PCIE_PCI_BRIDGE, 10, 0, 0);
		if (br >= 0)
			tg_conventional(g, br, b2, depth + 1, zone);
	} else if (what < 92) {
		/* two devices on one link: out of spec, legal for the model */
		tg_slot(g, port, bus, 0, false, zone);
		tg_slot(g, port, bus, 1 + tg_below(r, 31), false, zone);
	}
	/* else: an empty slot */
}

static void tg_conventional(struct tg_gen *g, s32 br, u32 bus, u32 depth, u32 zone)
{
	struct tg_rng *r = &g->r;
	u32 ns = 1 + tg_below(r, 4), s, b2;
	s32 pb;

	for (s = 0; s < ns; s++) {
		if (depth < 6 && tg_pct(r, 20)) {
			pb = tg_port(g, &b2, bus, s * 2, br, FM_PCI_BRIDGE, 5, 0, 0);
			if (!b2)
				return;
			if (pb >= 0)
				tg_conventional(g, pb, b2, depth + 1, zone);
		} else {
			tg_slot(g, br, bus, s * 2, false, zone);
		}
	}
}

static void tg_root_bus(struct tg_gen *g, u32 bus)
{
	struct tg_rng *r = &g->r;
	u32 slot = 0, nrp = 1 + tg_below(r, 5), nrc = tg_below(r, 3), i, b2;
	u32 zone = tg_draw_owner(g);
	s32 rp, br;

	if (tg_pct(r, 60))
		tg_add(g, g->dom, bus, slot++, 0, -1, FM_HOST_BRIDGE,
		       tg_pct(r, 30) ? FM_NODE_KISOL : 0, 0, 0, 0);
	for (i = 0; i < nrp; i++) {
		/* root ports, sometimes as functions of one device */
		rp = tg_port(g, &b2, bus, slot, -1, FM_ROOT_PORT, 85, 20, FM_NODE_MF);
		if (!b2)
			break;
		slot++;
		if (rp < 0)
			return;
		tg_below_port(g, rp, b2, 0, zone);
	}
	for (i = 0; i < nrc; i++)
		tg_slot(g, -1, bus, slot++, true, zone);
	if (tg_pct(r, 5)) {
		br = tg_port(g, &b2, bus, slot, -1, FM_PCIE_PCI_BRIDGE, 10, 0, 0);
		if (br >= 0)
			tg_conventional(g, br, b2, 1, zone);
	}
}

/* union-find over the scratch array */
static s32 tg_uf_find(s32 *uf, s32 x)
{
	while (uf[x] != x) {
		uf[x] = uf[uf[x]];
		x = uf[x];
	}
	return x;
}

static void tg_uf_union(s32 *uf, s32 a, s32 b)
{
	a = tg_uf_find(uf, a);
	b = tg_uf_find(uf, b);
	if (a != b)
		uf[a < b ? b : a] = a < b ? a : b;
}

static bool tg_path_isolated(const struct fm_node *nodes, s32 b)
{
	for (; b >= 0; b = nodes[b].parent)
		if (!(nodes[b].flags & FM_NODE_KISOL))
			return false;
	return true;
}

/*
 * IOMMU groups as Linux's pci_device_group() forms them from what it
 * believes (KISOL): aliases below a conventional bridge join the bridge;
 * everything up to the highest port without an isolated path joins it;
 * functions of a slot that are not isolated join each other.
 */
static void tg_groups(struct tg_gen *g)
{
	struct tg_topo *t = g->t;
	struct fm_node *nodes = t->nodes;
	s32 *uf = t->scratch, *num = t->scratch + t->cap;
	u32 i, j, ngroups = 0, base = tg_below(&g->r, 50);

	for (i = 0; i < t->n; i++)
		uf[i] = i;
	for (i = 0; i < t->n; i++) {
		s32 x = i, a, b;

		if (!nv_is_device(nodes[i].type))
			continue;
		if ((nodes[i].flags & FM_NODE_MF) && !(nodes[i].flags & FM_NODE_KISOL))
			for (j = 0; j < t->n; j++)
				if (j != i && nv_is_device(nodes[j].type) &&
				    nodes[j].parent == nodes[i].parent &&
				    FM_ID_SLOTKEY(nodes[j].id) == FM_ID_SLOTKEY(nodes[i].id) &&
				    !(nodes[j].flags & FM_NODE_KISOL))
					tg_uf_union(uf, i, j);
		for (a = nodes[i].parent; a >= 0; a = nodes[a].parent)
			if (nv_is_conventional(nodes[a].type))
				x = a;
		tg_uf_union(uf, i, x);
		for (b = nodes[x].parent; b >= 0; b = nodes[b].parent) {
			if (tg_path_isolated(nodes, b))
				break;
			tg_uf_union(uf, i, b);
		}
	}
	for (i = 0; i < t->n; i++)
		num[i] = -1;
	for (i = 0; i < t->n; i++) {
		s32 rep = tg_uf_find(uf, i);

		if (num[rep] < 0)
			num[rep] = base + ngroups++;
		nodes[i].group = num[rep];
		nodes[i].domain = FM_DOM_DMA;
	}
	/* deliberately wrong evidence */
	if (t->n > 2 && tg_pct(&g->r, 15)) {	/* two groups merged */
		s32 a = nodes[tg_below(&g->r, t->n)].group;
		s32 b = nodes[tg_below(&g->r, t->n)].group;

		for (i = 0; i < t->n; i++)
			if (nodes[i].group == b)
				nodes[i].group = a;
	}
	if (tg_pct(&g->r, 10)) {		/* an identity domain */
		s32 a = nodes[tg_below(&g->r, t->n)].group;

		for (i = 0; i < t->n; i++)
			if (nodes[i].group == a)
				nodes[i].domain = FM_DOM_IDENTITY;
	}
	if (tg_pct(&g->r, 5)) {		/* a group whose domain cannot be read */
		s32 a = nodes[tg_below(&g->r, t->n)].group;

		for (i = 0; i < t->n; i++)
			if (nodes[i].group == a)
				nodes[i].domain = FM_DOM_UNKNOWN;
	}
	if (tg_pct(&g->r, 10)) {		/* devices without a group */
		for (j = 0; j < 2; j++) {
			i = tg_below(&g->r, t->n);
			nodes[i].group = -1;
			nodes[i].domain = FM_DOM_UNKNOWN;
		}
	}
	if (tg_pct(&g->r, 5)) {		/* a device split from its group */
		i = tg_below(&g->r, t->n);
		if (nodes[i].group >= 0)
			nodes[i].group = base + ngroups++;
	}
}

/* random topological order: parents still come before their children */
static void tg_shuffle(struct tg_gen *g)
{
	struct tg_topo *t = g->t;
	s32 *newidx = t->scratch, *order = t->scratch + t->cap;
	s32 *ready = t->scratch + 2 * t->cap;
	u32 nready = 0, placed = 0, i;
	struct fm_node tmp;
	u32 towner;

	for (i = 0; i < t->n; i++)
		newidx[i] = -1;
	for (i = 0; i < t->n; i++)
		if (t->nodes[i].parent < 0)
			ready[nready++] = i;
	while (nready) {
		u32 k = tg_below(&g->r, nready);
		s32 x = ready[k];

		ready[k] = ready[--nready];
		newidx[x] = placed;
		order[placed++] = x;
		for (i = 0; i < t->n; i++)
			if (t->nodes[i].parent == x)
				ready[nready++] = i;
	}
	/* apply the permutation in place by cycles; order[new] = old */
	for (i = 0; i < t->n; i++) {
		if (t->nodes[i].parent >= 0)
			t->nodes[i].parent = newidx[t->nodes[i].parent];
		if (t->nodes[i].dma_dev)
			t->nodes[i].dma_dev = newidx[t->nodes[i].dma_dev - 1] + 1;
	}
	for (i = 0; i < t->n; i++) {
		u32 cur = i;
		s32 src;

		if (order[i] < 0)
			continue;
		tmp = t->nodes[i];
		towner = t->owner[i];
		for (;;) {
			src = order[cur];
			order[cur] = -1;
			if ((u32)src == i) {
				t->nodes[cur] = tmp;
				t->owner[cur] = towner;
				break;
			}
			t->nodes[cur] = t->nodes[src];
			t->owner[cur] = t->owner[src];
			cur = src;
		}
	}
}

/*
 * A VMD: a device of the topology so far becomes the VMD endpoint, and the
 * domain @dom (> 0xffff, as Linux numbers VMD domains) is put behind it:
 * every node of it carries the endpoint's requester id. Half the time its
 * devices all take the endpoint's owner (an assignable unit), else they keep
 * their random owners (a split the engine must refuse).
 */
static void tg_vmd(struct tg_gen *g, u32 dom)
{
	struct tg_topo *t = g->t;
	u32 i, first = t->n, ndev = 0, pick, nroot;
	s32 vmd = -1;

	for (i = 0; i < t->n; i++)
		ndev += nv_is_device(t->nodes[i].type) && !t->nodes[i].dma_dev;
	if (!ndev)
		return;
	pick = tg_below(&g->r, ndev);
	for (i = 0; i < t->n && vmd < 0; i++)
		if (nv_is_device(t->nodes[i].type) && !t->nodes[i].dma_dev && !pick--)
			vmd = i;
	g->dom = dom;
	g->next_bus = 1;
	nroot = 1 + tg_below(&g->r, 2);
	for (i = 0; i < nroot && t->n < t->cap; i++) {
		u32 bus = i == 0 ? 0 : g->next_bus + tg_below(&g->r, 8);

		if (bus > 250)
			break;
		g->next_bus = bus + 1;
		tg_root_bus(g, bus);
	}
	for (i = first; i < t->n; i++) {
		t->nodes[i].dma_dev = vmd + 1;
		if (nv_is_device(t->nodes[i].type) && tg_pct(&g->r, 50))
			t->owner[i] = t->owner[vmd];
	}
	if (tg_pct(&g->r, 50))
		for (i = first; i < t->n; i++)
			if (nv_is_device(t->nodes[i].type))
				t->owner[i] = t->owner[vmd];
}

void tg_random(struct tg_topo *t, unsigned long long seed)
{
	struct tg_gen g = { .t = t };
	u32 nroot, d, ndom, i;
	u32 cap = t->cap;

	tg_seed(&g.r, seed);
	/* vary the size too: small hosts find corner cases faster */
	t->cap = 8 + tg_below(&g.r, cap > 8 ? cap - 7 : 1);
	if (t->cap > cap)
		t->cap = cap;
	t->n = 0;
	t->allow_ats = tg_pct(&g.r, 30);
	g.tenants = tg_below(&g.r, 6);
	t->n_ats_tenants = 0;
	for (i = 1; i <= g.tenants && t->n_ats_tenants < 4; i++)
		if (!t->allow_ats && tg_pct(&g.r, 30))
			t->ats_tenants[t->n_ats_tenants++] = i;
	g.host_pct = 20 + tg_below(&g.r, 60);
	g.faults = tg_below(&g.r, 30);
	ndom = tg_pct(&g.r, 20) ? 2 : 1;
	for (d = 0; d < ndom && t->n < t->cap; d++) {
		/* a second domain: 16-bit, or 32-bit with the first's low 16 bits */
		if (d == 0)
			g.dom = 0;
		else if (tg_pct(&g.r, 50))
			g.dom = 1 + tg_below(&g.r, 0xffff);
		else
			g.dom = (1 + tg_below(&g.r, 0xffff)) << 16;
		nroot = 1 + tg_below(&g.r, 3);
		g.next_bus = 1;
		for (i = 0; i < nroot && t->n < t->cap; i++) {
			u32 bus = i == 0 ? 0 : g.next_bus + tg_below(&g.r, 8);

			if (bus > 250)
				break;
			g.next_bus = bus + 1;
			tg_root_bus(&g, bus);
		}
	}
	for (d = 0; d < 2 && t->n < t->cap && tg_pct(&g.r, 25); d++)
		tg_vmd(&g, 0x10000 + d);
	tg_groups(&g);
	if (tg_pct(&g.r, 50))
		tg_shuffle(&g);
	t->cap = cap;
}

u32 tg_host_nodes(u32 endpoints)
{
	/* per 8 endpoints at most: 1 root port, 1 upstream, 8 downstream; + host bridges */
	return endpoints * 3 + 64;
}

void tg_host(struct tg_topo *t, u32 endpoints, u32 tenants, unsigned long long seed)
{
	struct tg_gen g = { .t = t, .tenants = tenants, .host_pct = 75 };
	struct tg_rng *r = &g.r;
	u32 placed = 0, rootslot = 0, bus_root = 0;
	u8 flags;
	u16 cap, ctrl;

	tg_seed(r, seed);
	t->n = 0;
	t->allow_ats = false;
	t->n_ats_tenants = 0;
	g.dom = 0;
	g.next_bus = 1;
	tg_add(&g, g.dom, 0, rootslot++, 0, -1, FM_HOST_BRIDGE, 0, 0, 0, 0);
	while (placed < endpoints) {
		u32 nd = 4 + tg_below(r, 5), i;
		bool switch_acs = tg_pct(r, 70);
		u32 zone = tg_draw_owner(&g);
		s32 rp, up;
		u32 b1, b2;

		if (g.next_bus + nd + 2 > 255 || rootslot >= 32) {
			/* next PCI segment */
			g.dom++;
			g.next_bus = 1;
			rootslot = 0;
			bus_root = 0;
			tg_add(&g, g.dom, bus_root, rootslot++, 0, -1, FM_HOST_BRIDGE, 0, 0, 0, 0);
		}
		b1 = tg_new_bus(&g);
		flags = FM_NODE_ACS | FM_NODE_KISOL;
		cap = FM_NEED_PORT | PCI_ACS_TB | PCI_ACS_EC | PCI_ACS_DT;
		ctrl = tg_pct(r, 50) ? FM_NEED_PORT : 0;
		if (!ctrl)
			flags &= ~FM_NODE_KISOL;
		rp = tg_add(&g, g.dom, bus_root, rootslot++, 0, -1, FM_ROOT_PORT,
			    flags, cap, ctrl, 0);
		b2 = tg_new_bus(&g);
		up = tg_add(&g, g.dom, b1, 0, 0, rp, FM_SWITCH_UP, FM_NODE_KISOL, 0, 0, 0);
		for (i = 0; i < nd && placed < endpoints; i++) {
			u32 b3 = tg_new_bus(&g);
			bool two = tg_pct(r, 25) && placed + 1 < endpoints;
			u32 own = tg_pct(r, 70) ? zone : tg_draw_owner(&g);
			s32 dp;

			flags = switch_acs ? FM_NODE_ACS : 0;
			cap = switch_acs ? FM_NEED_PORT | PCI_ACS_TB | PCI_ACS_EC : 0;
			ctrl = switch_acs && tg_pct(r, 50) ? FM_NEED_PORT : 0;
			if (tg_linux_isolated(flags, cap, ctrl, FM_NEED_PORT))
				flags |= FM_NODE_KISOL;
			dp = tg_add(&g, g.dom, b2, i, 0, up, FM_SWITCH_DOWN, flags, cap, ctrl, 0);
			/* a GPU, maybe with its audio function */
			tg_add(&g, g.dom, b3, 0, 0, dp, FM_ENDPOINT,
			       (two ? FM_NODE_MF : 0) | (tg_pct(r, 10) ? FM_NODE_ATS : 0),
			       0, 0, own);
			placed++;
			if (two) {
				tg_add(&g, g.dom, b3, 0, 1, dp, FM_ENDPOINT, FM_NODE_MF, 0, 0, own);
				placed++;
			}
		}
	}
	tg_groups(&g);
}

const char *tg_type_name(u8 type)
{
	static const char * const names[FM_TYPE_MAX] = {
		[FM_ENDPOINT] = "endpoint",
		[FM_RC_ENDPOINT] = "rc-endpoint",
		[FM_ROOT_PORT] = "root-port",
		[FM_SWITCH_UP] = "switch-up",
		[FM_SWITCH_DOWN] = "switch-down",
		[FM_PCIE_PCI_BRIDGE] = "pcie-pci-bridge",
		[FM_PCI_BRIDGE] = "pci-bridge",
		[FM_HOST_BRIDGE] = "host-bridge",
	};

	return type < FM_TYPE_MAX ? names[type] : "?";
}

int tg_node_str(const struct tg_topo *t, u32 i, char *buf, size_t len)
{
	const struct fm_node *nd = &t->nodes[i];

	return ref_snprintf(buf, len,
		"[%u] %04x:%02x:%02x.%u parent=%d %s%s%s%s%s%s cap=%#x ctrl=%#x group=%d dom=%u owner=%u dma_dev=%u",
		i, FM_ID_DOMAIN(nd->id), FM_ID_BUS(nd->id), FM_ID_SLOT(nd->id),
		FM_ID_FUNC(nd->id), nd->parent, tg_type_name(nd->type),
		nd->flags & FM_NODE_ACS ? " acs" : "",
		nd->flags & FM_NODE_MF ? " mf" : "",
		nd->flags & FM_NODE_ATS ? (nd->flags & FM_NODE_ATS_ON ? " ats+" : " ats") : "",
		nd->flags & FM_NODE_KISOL ? " kisol" : "",
		nd->flags & FM_NODE_EC_FENCE ? " ec-fence" : "",
		nd->acs_cap, nd->acs_ctrl, nd->group, nd->domain, t->owner[i], nd->dma_dev);
}
