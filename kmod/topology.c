// SPDX-License-Identifier: GPL-2.0
/*
 * topology.c - build the engine's model (struct fm_node[]) from live PCI.
 *
 * Everything the fence decides on is read here, from the hardware where the
 * hardware has it: ACS capability and control registers, the ATS control
 * register, the multifunction bit, the PCIe port type. From the kernel come
 * the IOMMU group and its domain type, and the parent (the upstream bridge).
 *
 * The caller holds the core's lock and pci_lock_rescan_remove(), so no device is
 * added or removed by a rescan, hotplug or remove while the model is built
 * and used. The model keeps ids (FM_ID), never struct pci_dev pointers: every
 * reference taken here is dropped before p2pf_topo_build() returns, and
 * enforce.c looks a device up again by id when it writes.
 *
 * FM_NODE_KISOL ("the kernel believes this port isolated"): the kernel's own
 * answer, pci_acs_enabled(), is not exported to modules on 6.1 or 6.12. Its
 * effect is visible, though: pci_device_group() puts a device into the group
 * of its upstream bridge unless pci_acs_enabled() held on that bridge and
 * every bridge above it. So a root or downstream port whose registers lack a
 * needed bit, but below which a PCIe device sits in a group other than the
 * port's own, was judged isolated by the kernel (a quirk or an override);
 * likewise a function of a multifunction device lacking ACS that is in a
 * group other than a sibling function that lacks it too. Without groups
 * (no IOMMU) there is no evidence and the flag stays clear.
 */
#include <linux/iommu.h>
#include <linux/pci.h>
#include <linux/slab.h>
#include <linux/sort.h>

#include "quirk_trust.h"
#include "topology.h"
#include <linux/p2pfence.h>

/* "no node" (ids are 48 bits) */
#define P2PF_NONE	U64_MAX

struct p2pf_scan {
	u64 pid;	/* parent's id, P2PF_NONE on a root bus */
	u64 dma;	/* id of the device whose requester id its DMA carries, or P2PF_NONE */
	u32 depth;	/* bridges above */
	bool pcie;
	u32 vdid;	/* vendor << 16 | device */
	struct p2pf_rst rst;
};

/*
 * The device whose requester id @dev's DMA carries: what pci_real_dma_dev()
 * (not exported) gives for an Intel VMD, found through the device tree: a
 * VMD creates its domain's root bus with the VMD endpoint as the host
 * bridge's parent, and every device of that domain reaches the IOMMU as the
 * endpoint (pci_for_each_dma_alias() calls pci_real_dma_dev() first, so
 * the children are in the endpoint's IOMMU group; intel-iommu's
 * device_to_iommu() in 6.1, device_lookup_iommu() in 6.12, use its
 * requester id). Any root bus hung below a PCI device is taken so: one unit
 * with it, the safe side. Not the VMD's sysdata: that is devm memory of the
 * endpoint, freed by vmd_remove() without the rescan lock; the device tree
 * is held by the references @dev holds (its bus, the bridge, its parent).
 */
static struct pci_dev *p2pf_dma_dev(struct pci_dev *dev)
{
	struct pci_bus *r = dev->bus;
	struct device *up;

	while (r->parent)
		r = r->parent;
	up = r->bridge ? r->bridge->parent : NULL;
	return up && dev_is_pci(up) ? to_pci_dev(up) : dev;
}

/* The engine's classifier, on what the PCI core read of @dev. */
static u8 p2pf_node_type(struct pci_dev *dev)
{
	return fm_classify(dev->class, dev->hdr_type, pci_is_pcie(dev),
			   pci_is_pcie(dev) ? pci_pcie_type(dev) : 0,
			   !pci_upstream_bridge(dev));
}

/* Registers: a failed read counts as "no bit set" (fail closed). */
static void p2pf_read_node(struct pci_dev *dev, struct fm_node *nd, u16 *acs_pos)
{
	struct iommu_domain *dom;
	struct iommu_group *grp;
	u16 cap = 0, ctrl = 0;
	int pos;

	nd->type = p2pf_node_type(dev);
	nd->flags = 0;
	if (dev->multifunction)
		nd->flags |= FM_NODE_MF;

	/*
	 * Where the ACS capability sits, as the PCI core found it at
	 * enumeration (pci_acs_init()): saves a walk of the extended list
	 * per device per transaction. The registers are read live below.
	 */
	pos = dev->acs_cap;
	*acs_pos = pos;
	if (pos) {
		nd->flags |= FM_NODE_ACS;
		if (pci_read_config_word(dev, pos + PCI_ACS_CAP, &cap) ||
		    cap == 0xffff)
			cap = 0;
		if (pci_read_config_word(dev, pos + PCI_ACS_CTRL, &ctrl) ||
		    ctrl == 0xffff)
			ctrl = 0;
	}
	nd->acs_cap = cap;
	nd->acs_ctrl = ctrl;

	/*
	 * ATS is judged by the capability: the IOMMU drivers flip the enable
	 * bit at every domain attach (iommu_enable_pci_caps()), so what it
	 * says now is not what the device may do a moment later. The bit is
	 * kept for display only.
	 */
	pos = pci_find_ext_capability(dev, PCI_EXT_CAP_ID_ATS);
	if (pos) {
		u16 ats = 0;

		nd->flags |= FM_NODE_ATS;
		if (pci_read_config_word(dev, pos + PCI_ATS_CTRL, &ats) ||
		    (ats & PCI_ATS_CTRL_ENABLE))
			nd->flags |= FM_NODE_ATS_ON;
	}

	nd->group = -1;
	nd->domain = FM_DOM_UNKNOWN;
	grp = iommu_group_get(&dev->dev);
	if (grp) {
		nd->group = iommu_group_id(grp);
		iommu_group_put(grp);
		dom = iommu_get_domain_for_dev(&dev->dev);
		if (dom)
			nd->domain = dom->type == IOMMU_DOMAIN_IDENTITY ?
				     FM_DOM_IDENTITY : FM_DOM_DMA;
	}
}

/*
 * How a hand-over could reset @dev, and whether vfio holds it. Its own method: the first the kernel
 * would try (the array holds the methods that probed fine, in order; sysfs
 * reset_method rewrites it without a lock, so a racing read may see a mix
 * -- the kernel's list at reset time is what counts, this only plans) --
 * but "bus" and "cxl_bus" only while @dev is alone on its bus: the kernel
 * probed them before a later function was added, and both end in a parent
 * bus reset that refuses once the device is not alone.
 *
 * Else, for a device that shares its bus (another function of it, or a
 * device behind a conventional bridge), whether that bus or slot can be
 * reset: the reset vfio calls a hot reset, which the core plans only when
 * every device it would reach goes to the same tenant. A device alone on
 * its bus with no method gets no bus reset: the kernel would have listed
 * one, so an empty list there means an administrator emptied reset_method
 * (or a quirk forbids bus resets), which is respected.
 *
 * Probes touch no register. (list_is_singular() reads two pointers of a
 * list the rescan lock guards against everything but a driver adding VFs
 * from its probe: a stale answer there only plans a reset that then
 * fails, explained.)
 */
static void p2pf_read_rst(struct pci_dev *dev, struct p2pf_rst *r)
{
	bool alone = list_is_singular(&dev->bus->devices);
	u8 m = 0;
	int i;

	for (i = 0; i < PCI_NUM_RESET_METHODS; i++) {
		m = READ_ONCE(dev->reset_methods[i]);
		if (!m || alone || (m != P2PFENCE_RESET_METHOD_BUS &&
				    m != P2PFENCE_RESET_METHOD_CXL_BUS))
			break;
	}
	r->method = i < PCI_NUM_RESET_METHODS ? m : 0;
	r->flags = 0;
	if (!m && !alone && !pci_is_root_bus(dev->bus) &&
	    (!pci_probe_reset_slot(dev->slot) || !pci_probe_reset_bus(dev->bus)))
		r->flags |= P2PF_RST_BUS;
	/*
	 * Its driver, read under the device lock (the name of an unbound
	 * driver's module could be gone): trylock only, the rescan lock is
	 * held; for a device locked right now (probe, reset, SR-IOV) it is
	 * unknown: not listed, and not isolated under vfio_strict.
	 */
	if (device_trylock(&dev->dev)) {
		const struct device_driver *drv = dev->dev.driver;

		r->vfio = drv && p2pf_vfio_driver(drv->name);
		device_unlock(&dev->dev);
	} else {
		r->flags |= P2PF_RST_DRV_UNKNOWN;
	}
}

/* sort key of a scanned node: (depth, id), or id alone (depth 0) */
struct p2pf_key {
	u64 id;
	u32 depth;
	u32 i;
};

static int p2pf_cmp_key(const void *a, const void *b)
{
	const struct p2pf_key *x = a, *y = b;

	if (x->depth != y->depth)
		return x->depth < y->depth ? -1 : 1;
	return x->id < y->id ? -1 : x->id > y->id;
}

/* node index of @id by binary search over t->byid, or -1 */
static s32 p2pf_topo_find(const struct p2pf_topo *t, u64 id)
{
	u32 lo = 0, hi = t->n;

	while (lo < hi) {
		u32 m = lo + (hi - lo) / 2;

		if (t->nodes[t->byid[m]].id < id)
			lo = m + 1;
		else
			hi = m;
	}
	return lo < t->n && t->nodes[t->byid[lo]].id == id ? (s32)t->byid[lo] : -1;
}

/* See fm_infer_kisol(): what the IOMMU groups say the kernel believed. */
static int p2pf_mark_kisol(struct p2pf_topo *t, const struct p2pf_scan *sc)
{
	u8 *pcie = kvmalloc(t->n, GFP_KERNEL);
	u32 i;

	if (!pcie)
		return -ENOMEM;
	for (i = 0; i < t->n; i++)
		pcie[i] = sc[i].pcie;
	fm_infer_kisol(t->nodes, t->n, pcie);
	kvfree(pcie);
	return 0;
}

static u32 p2pf_count_devs(void)
{
	struct pci_dev *dev = NULL;
	u32 n = 0;

	for_each_pci_dev(dev)
		n++;
	return n;
}

/* Parents first: sort by (depth, id); then resolve parent ids to indexes. */
static int p2pf_order(struct p2pf_topo *t, struct fm_node *raw,
		      struct p2pf_scan *rsc, u16 *rpos, struct p2pf_scan *sc)
{
	struct p2pf_key *key;
	u32 i, n = t->n;

	key = kvmalloc_array(n, sizeof(*key), GFP_KERNEL);
	if (!key)
		return -ENOMEM;
	for (i = 0; i < n; i++)
		key[i] = (struct p2pf_key){ .id = raw[i].id, .depth = rsc[i].depth, .i = i };
	sort(key, n, sizeof(*key), p2pf_cmp_key, NULL);
	for (i = 0; i < n; i++) {
		u32 r = key[i].i;

		t->nodes[i] = raw[r];
		t->acs_pos[i] = rpos[r];
		t->rst[i] = rsc[r].rst;
		t->vdid[i] = rsc[r].vdid;
		sc[i] = rsc[r];
	}
	/* id order: parent lookup here, device order for dumps */
	for (i = 0; i < n; i++)
		key[i] = (struct p2pf_key){ .id = t->nodes[i].id, .i = i };
	sort(key, n, sizeof(*key), p2pf_cmp_key, NULL);
	for (i = 0; i < n; i++)
		t->byid[i] = key[i].i;
	kvfree(key);

	for (i = 0; i < n; i++) {
		s32 k;

		t->nodes[i].parent = -1;
		t->nodes[i].dma_dev = 0;
		if (sc[i].dma != P2PF_NONE) {
			k = p2pf_topo_find(t, sc[i].dma);
			if (k < 0)
				return -EINVAL;	/* a VMD endpoint the scan did not see */
			t->nodes[i].dma_dev = (u32)k + 1;
		}
		if (sc[i].pid == P2PF_NONE)
			continue;
		k = p2pf_topo_find(t, sc[i].pid);
		if (k < 0)
			return -EINVAL;	/* a parent the scan did not see */
		t->nodes[i].parent = k;
	}
	return 0;
}

static int p2pf_scan(struct p2pf_topo *t, u32 cap, struct fm_node *raw,
		     struct p2pf_scan *rsc, u16 *rpos)
{
	struct pci_dev *dev = NULL;
	u32 n = 0;

	for_each_pci_dev(dev) {
		struct pci_dev *up, *dma;

		if (n == cap) {
			pci_dev_put(dev);
			return -EAGAIN;
		}
		memset(&raw[n], 0, sizeof(raw[n]));
		raw[n].id = FM_ID(pci_domain_nr(dev->bus), dev->bus->number,
				  dev->devfn);
		p2pf_read_node(dev, &raw[n], &rpos[n]);
		up = pci_upstream_bridge(dev);
		rsc[n].pid = up ? FM_ID(pci_domain_nr(up->bus), up->bus->number,
					up->devfn) : P2PF_NONE;
		dma = p2pf_dma_dev(dev);
		rsc[n].dma = dma && dma != dev ?
			     FM_ID(pci_domain_nr(dma->bus), dma->bus->number, dma->devfn) :
			     P2PF_NONE;
		rsc[n].pcie = pci_is_pcie(dev);
		rsc[n].vdid = P2PF_QUIRK_ID(dev->vendor, dev->device);
		memset(&rsc[n].rst, 0, sizeof(rsc[n].rst));
		if (!fm_is_fabric(raw[n].type))
			p2pf_read_rst(dev, &rsc[n].rst);
		rsc[n].depth = 0;
		for (; up; up = pci_upstream_bridge(up))
			rsc[n].depth++;
		n++;
	}
	t->n = n;
	return 0;
}

/* The model's arrays for t->n nodes, zeroed (owners all 0). */
static int p2pf_topo_alloc(struct p2pf_topo *t)
{
	t->nodes = kvcalloc(t->n, sizeof(*t->nodes), GFP_KERNEL);
	t->acs_pos = kvcalloc(t->n, sizeof(*t->acs_pos), GFP_KERNEL);
	t->rst = kvcalloc(t->n, sizeof(*t->rst), GFP_KERNEL);
	t->vdid = kvcalloc(t->n, sizeof(*t->vdid), GFP_KERNEL);
	t->byid = kvcalloc(t->n, sizeof(*t->byid), GFP_KERNEL);
	t->owner = kvcalloc(t->n, sizeof(*t->owner), GFP_KERNEL);
	t->need = kvcalloc(t->n, sizeof(*t->need), GFP_KERNEL);
	t->v = kvcalloc(P2PF_MAX_VERDICTS, sizeof(*t->v), GFP_KERNEL);
	t->mem = kvzalloc(fm_ctx_size(t->n), GFP_KERNEL);
	if (!t->nodes || !t->acs_pos || !t->rst || !t->vdid || !t->byid || !t->owner || !t->need ||
	    !t->v || !t->mem)
		return -ENOMEM;
	return 0;
}

/**
 * p2pf_topo_build() - read live PCI into a model the engine has accepted
 * @t: zeroed; filled on success, to be released with p2pf_topo_free()
 *
 * Caller holds p2pf_lock and pci_lock_rescan_remove(). Owners are all 0.
 *
 * Return: 0, -ENOMEM, -ENODEV (no PCI devices) or -EINVAL (the engine
 *         refused the model, which would be a bug here or there).
 */
int p2pf_topo_build(struct p2pf_topo *t)
{
	struct p2pf_scan *rsc = NULL, *sc = NULL;
	struct fm_node *raw = NULL;
	u16 *rpos = NULL;
	int ret, tries;
	u32 cap = 0;

	memset(t, 0, sizeof(*t));
	for (tries = 0; tries < 4; tries++) {
		cap = p2pf_count_devs() + 16;
		ret = -ENODEV;
		if (cap > FM_MAX_NODES)
			goto out;
		ret = -ENOMEM;
		raw = kvcalloc(cap, sizeof(*raw), GFP_KERNEL);
		rsc = kvcalloc(cap, sizeof(*rsc), GFP_KERNEL);
		rpos = kvcalloc(cap, sizeof(*rpos), GFP_KERNEL);
		if (!raw || !rsc || !rpos)
			goto out;
		ret = p2pf_scan(t, cap, raw, rsc, rpos);
		if (ret != -EAGAIN)
			break;
		kvfree(raw);
		kvfree(rsc);
		kvfree(rpos);
		raw = NULL;
		rsc = NULL;
		rpos = NULL;
	}
	if (ret)
		goto out;
	ret = -ENODEV;
	if (!t->n)
		goto out;

	sc = kvcalloc(t->n, sizeof(*sc), GFP_KERNEL);
	ret = sc ? p2pf_topo_alloc(t) : -ENOMEM;
	if (ret)
		goto out_free;

	ret = p2pf_order(t, raw, rsc, rpos, sc);
	if (ret)
		goto out_free;
	ret = p2pf_mark_kisol(t, sc);
	if (ret)
		goto out_free;

	t->ctx = fm_init(t->mem, fm_ctx_size(t->n), t->nodes, t->n, &ret);
	if (!t->ctx)
		goto out_free;
	ret = 0;
	goto out;

out_free:
	p2pf_topo_free(t);
out:
	kvfree(sc);
	kvfree(raw);
	kvfree(rsc);
	kvfree(rpos);
	return ret;
}

/**
 * p2pf_topo_init() - a model from nodes the caller wrote (KUnit)
 * @t: zeroed; filled on success, to be released with p2pf_topo_free()
 * @nodes: @n nodes, parents first, as fm_init() takes them
 * @n: how many
 *
 * What p2pf_topo_build() makes of live PCI, made of a table instead, so the
 * core's decisions can be tested without hardware. No config space is
 * behind it (acs_pos all 0): nothing built this way may be committed.
 *
 * Return: 0, -ENOMEM, or the engine's -errno for a topology it refuses.
 */
int p2pf_topo_init(struct p2pf_topo *t, const struct fm_node *nodes, u32 n)
{
	u32 i, j;
	int ret;

	memset(t, 0, sizeof(*t));
	t->n = n;
	ret = p2pf_topo_alloc(t);
	if (ret)
		goto out_free;
	memcpy(t->nodes, nodes, n * sizeof(*nodes));
	/* id order, by insertion: tables are small */
	for (i = 0; i < n; i++) {
		for (j = i; j && t->nodes[t->byid[j - 1]].id > nodes[i].id; j--)
			t->byid[j] = t->byid[j - 1];
		t->byid[j] = i;
	}
	t->ctx = fm_init(t->mem, fm_ctx_size(n), t->nodes, n, &ret);
	if (t->ctx)
		return 0;
out_free:
	p2pf_topo_free(t);
	return ret;
}

/**
 * p2pf_topo_trust() - mark the nodes whose vendor:device the operator trusts
 * @t: a model; before the engine is asked about it
 * @trusted: the quirk-trust set, sorted (P2PF_QUIRK_ID())
 * @n: how many
 *
 * FM_NODE_QUIRK_TRUST on every node of a trusted vendor:device, cleared on
 * the others. The engine waives only acs-faked there (fence_model.h): the
 * kernel must itself believe the node isolated.
 */
void p2pf_topo_trust(struct p2pf_topo *t, const u32 *trusted, u32 n)
{
	u32 i;

	for (i = 0; i < t->n; i++) {
		u32 lo = 0, hi = n;

		while (lo < hi) {
			u32 m = lo + (hi - lo) / 2;

			if (trusted[m] < t->vdid[i])
				lo = m + 1;
			else
				hi = m;
		}
		if (lo < n && trusted[lo] == t->vdid[i])
			t->nodes[i].flags |= FM_NODE_QUIRK_TRUST;
		else
			t->nodes[i].flags &= ~FM_NODE_QUIRK_TRUST;
	}
}

/**
 * p2pf_topo_free() - release what p2pf_topo_build() allocated
 * @t: a model, built or zeroed
 */
void p2pf_topo_free(struct p2pf_topo *t)
{
	kvfree(t->mem);
	kvfree(t->v);
	kvfree(t->need);
	kvfree(t->owner);
	kvfree(t->byid);
	kvfree(t->acs_pos);
	kvfree(t->rst);
	kvfree(t->vdid);
	kvfree(t->nodes);
	memset(t, 0, sizeof(*t));
}

/**
 * p2pf_topo_stored() - were all verdicts of the last computation kept?
 * @t: a built model
 *
 * Return: false when more verdicts were found than P2PF_MAX_VERDICTS.
 */
bool p2pf_topo_stored(const struct p2pf_topo *t)
{
	return t->nv <= P2PF_MAX_VERDICTS;
}

/**
 * p2pf_topo_nv() - verdicts of the last computation kept in t->v
 * @t: a built model
 *
 * Return: how many (at most P2PF_MAX_VERDICTS).
 */
u32 p2pf_topo_nv(const struct p2pf_topo *t)
{
	return min_t(u32, t->nv, P2PF_MAX_VERDICTS);
}

/**
 * p2pf_topo_id() - the id of node @idx
 * @t: a built model
 * @idx: a node, or -1
 *
 * Return: its FM_ID(), or P2PF_NO_ID for -1.
 */
u64 p2pf_topo_id(const struct p2pf_topo *t, s32 idx)
{
	return idx >= 0 ? t->nodes[idx].id : P2PF_NO_ID;
}

/**
 * p2pf_ids() - an id as userspace writes it
 * @id: FM_ID()
 *
 * Return: "DDDD:BB:DD.F" in a small struct, for one printk-style argument.
 */
struct p2pf_idstr p2pf_ids(u64 id)
{
	struct p2pf_idstr r;

	snprintf(r.s, sizeof(r.s), "%04x:%02x:%02x.%u", FM_ID_DOMAIN(id),
		 FM_ID_BUS(id), FM_ID_SLOT(id), FM_ID_FUNC(id));
	return r;
}

/**
 * p2pf_topo_below() - is node @j below node @b, at any depth?
 * @t: a built model
 * @j: a node
 * @b: a node (a bridge)
 *
 * Return: true when @b is on @j's path to its root bus.
 */
bool p2pf_topo_below(const struct p2pf_topo *t, s32 j, s32 b)
{
	for (j = t->nodes[j].parent; j >= 0; j = t->nodes[j].parent)
		if (j == b)
			return true;
	return false;
}

/**
 * p2pf_vfio_driver() - is @name vfio-pci or one of its variant drivers?
 * @name: a driver's name (mlx5_vfio_pci, nvgrace_gpu_vfio_pci, ...)
 *
 * Return: true for "vfio-pci" and names ending in "_vfio_pci" or "-vfio-pci".
 */
bool p2pf_vfio_driver(const char *name)
{
	size_t n = strlen(name);

	return !strcmp(name, "vfio-pci") ||
	       (n > 9 && (!strcmp(name + n - 9, "_vfio_pci") ||
			  !strcmp(name + n - 9, "-vfio-pci")));
}
