// SPDX-License-Identifier: GPL-2.0
/*
 * owners.c - the BDF -> tenant table.
 *
 * A sorted array of (id, tenant), id = FM_ID(domain, bus, devfn); devices
 * not in it belong to the host. It is replaced, never edited: a transaction
 * builds the would-be table beside the current one (all allocation happens
 * before any register is written), and commits it by swapping the pointer.
 * Readers and writers all hold the core's lock (fence.c), which serialises
 * every transaction.
 *
 * Keyed by address, not by struct pci_dev: an entry outlives its device.
 * When an owned device is removed, its entry stays (a device that comes back
 * at that address is owned by the same tenant, and checked as such at the
 * next transaction) until it is released, or until the PCI bus notifier
 * (watch.c) drops it with a device-removed event. Entries whose device is
 * absent are invisible to the engine: they are in no model.
 */
#include <linux/overflow.h>
#include <linux/slab.h>
#include <linux/sort.h>
#include <linux/xarray.h>

#include "owners.h"
#include "topology.h"

static struct p2pf_owners *p2pf_owners;	/* NULL: empty */
static const struct p2pf_owners p2pf_owners_empty;

/**
 * p2pf_owners_cur() - the committed table (never NULL)
 *
 * Return: the table; valid until the next p2pf_owners_commit().
 */
const struct p2pf_owners *p2pf_owners_cur(void)
{
	return p2pf_owners ?: &p2pf_owners_empty;
}

static s32 p2pf_owners_find(const struct p2pf_owners *o, u32 id)
{
	u32 lo = 0, hi = o->n;

	while (lo < hi) {
		u32 m = lo + (hi - lo) / 2;

		if (o->e[m].id == id)
			return m;
		if (o->e[m].id < id)
			lo = m + 1;
		else
			hi = m;
	}
	return -(s32)lo - 1;
}

/**
 * p2pf_owner_of() - tenant of @id in @o
 * @o: a table
 * @id: FM_ID() of the device
 *
 * Return: the tenant, 0 for the host.
 */
u32 p2pf_owner_of(const struct p2pf_owners *o, u32 id)
{
	s32 k = p2pf_owners_find(o, id);

	return k >= 0 ? o->e[k].tenant : 0;
}

/**
 * p2pf_owners_alloc() - an uninitialised table of @n entries
 * @n: entries
 *
 * Return: the table (o->n = @n) or NULL.
 */
struct p2pf_owners *p2pf_owners_alloc(u32 n)
{
	struct p2pf_owners *o;

	o = kvmalloc(struct_size(o, e, n), GFP_KERNEL);
	if (o)
		o->n = n;
	return o;
}

/**
 * p2pf_owners_with() - a copy of @o where @id belongs to @tenant
 * @o: the table to start from (not changed)
 * @id: the device
 * @tenant: its new owner; 0 removes it (host)
 *
 * Return: the new table, or NULL on allocation failure.
 */
struct p2pf_owners *p2pf_owners_with(const struct p2pf_owners *o, u32 id,
				     u32 tenant)
{
	s32 k = p2pf_owners_find(o, id);
	struct p2pf_owners *r;
	u32 at;

	if (k >= 0) {
		r = p2pf_owners_alloc(tenant ? o->n : o->n - 1);
		if (!r)
			return NULL;
		memcpy(r->e, o->e, k * sizeof(o->e[0]));
		if (tenant) {
			r->e[k].id = id;
			r->e[k].tenant = tenant;
			memcpy(&r->e[k + 1], &o->e[k + 1],
			       (o->n - k - 1) * sizeof(o->e[0]));
		} else {
			memcpy(&r->e[k], &o->e[k + 1],
			       (o->n - k - 1) * sizeof(o->e[0]));
		}
		return r;
	}
	at = -(k + 1);
	r = p2pf_owners_alloc(tenant ? o->n + 1 : o->n);
	if (!r)
		return NULL;
	memcpy(r->e, o->e, at * sizeof(o->e[0]));
	if (!tenant) {
		memcpy(&r->e[at], &o->e[at], (o->n - at) * sizeof(o->e[0]));
		return r;
	}
	r->e[at].id = id;
	r->e[at].tenant = tenant;
	memcpy(&r->e[at + 1], &o->e[at], (o->n - at) * sizeof(o->e[0]));
	return r;
}

static int p2pf_owner_cmp(const void *a, const void *b)
{
	const struct p2pf_owner *x = a, *y = b;

	return x->id < y->id ? -1 : x->id > y->id;
}

/**
 * p2pf_owners_sort() - sort a table built from a list, refuse duplicates
 * @o: the table
 * @dup: set to the first id listed twice
 *
 * Return: 0, or -EINVAL on a duplicate.
 */
int p2pf_owners_sort(struct p2pf_owners *o, u32 *dup)
{
	u32 i;

	sort(o->e, o->n, sizeof(o->e[0]), p2pf_owner_cmp, NULL);
	for (i = 1; i < o->n; i++) {
		if (o->e[i].id == o->e[i - 1].id) {
			*dup = o->e[i].id;
			return -EINVAL;
		}
	}
	return 0;
}

/**
 * p2pf_owners_commit() - make @o the table; frees the old one
 * @o: from p2pf_owners_with()/p2pf_owners_alloc(); ownership passes here
 */
void p2pf_owners_commit(struct p2pf_owners *o)
{
	kvfree(p2pf_owners);
	p2pf_owners = o;
}

/**
 * p2pf_owners_fill() - the engine's owner array for model @t under @o
 * @o: a table
 * @t: a built model
 * @owner: t->n entries to fill (0 where the host owns or for fabric)
 */
void p2pf_owners_fill(const struct p2pf_owners *o, const struct p2pf_topo *t,
		      u32 *owner)
{
	u32 i;

	memset(owner, 0, t->n * sizeof(*owner));
	for (i = 0; i < o->n; i++) {
		s32 k = fm_find(t->ctx, o->e[i].id);

		if (k >= 0 && !fm_is_fabric(t->nodes[k].type))
			owner[k] = o->e[i].tenant;
	}
}

/**
 * p2pf_owners_exit() - drop the table (module exit; the bits stay set)
 */
void p2pf_owners_exit(void)
{
	kvfree(p2pf_owners);
	p2pf_owners = NULL;
}

static DEFINE_XARRAY(p2pf_hists);

/**
 * p2pf_hist_of() - what is remembered of device @id
 * @id: FM_ID()
 *
 * Return: the record, or NULL when no tenant has held it since load (or
 * since it was removed). Valid until the next p2pf_hist_*() call.
 */
const struct p2pf_hist *p2pf_hist_of(u32 id)
{
	return xa_load(&p2pf_hists, id);
}

/**
 * p2pf_hist_reserve() - make sure @id has a record, so p2pf_hist_set()
 * cannot fail (called while deciding, before anything is written)
 * @id: FM_ID()
 *
 * Return: 0 or -ENOMEM.
 */
int p2pf_hist_reserve(u32 id)
{
	struct p2pf_hist *h;
	int ret;

	if (xa_load(&p2pf_hists, id))
		return 0;
	h = kzalloc(sizeof(*h), GFP_KERNEL);
	if (!h)
		return -ENOMEM;
	ret = xa_insert(&p2pf_hists, id, h, GFP_KERNEL);
	if (ret)
		kfree(h);
	return ret;
}

/**
 * p2pf_hist_set() - record @h for @id (reserved before)
 * @id: FM_ID()
 * @h: the record
 */
void p2pf_hist_set(u32 id, const struct p2pf_hist *h)
{
	struct p2pf_hist *r = xa_load(&p2pf_hists, id);

	if (!WARN_ON_ONCE(!r))
		*r = *h;
}

/**
 * p2pf_hist_unreserve() - drop @id's record if nothing was ever recorded
 * @id: FM_ID() (a reservation a refused transaction did not use)
 */
void p2pf_hist_unreserve(u32 id)
{
	static const struct p2pf_hist none;
	struct p2pf_hist *h = xa_load(&p2pf_hists, id);

	if (h && !memcmp(h, &none, sizeof(none))) {
		xa_erase(&p2pf_hists, id);
		kfree(h);
	}
}

/**
 * p2pf_hist_forget_absent() - forget the devices model @t does not have
 * @t: a model of live PCI, built under the rescan lock
 */
void p2pf_hist_forget_absent(const struct p2pf_topo *t)
{
	struct p2pf_hist *h;
	unsigned long id;

	xa_for_each(&p2pf_hists, id, h) {
		if (fm_find(t->ctx, id) >= 0)
			continue;
		xa_erase(&p2pf_hists, id);
		kfree(h);
	}
}

/** p2pf_hist_any() - is anything remembered? */
bool p2pf_hist_any(void)
{
	return !xa_empty(&p2pf_hists);
}

/**
 * p2pf_hist_exit() - forget everything (module exit, KUnit)
 */
void p2pf_hist_exit(void)
{
	struct p2pf_hist *h;
	unsigned long id;

	xa_for_each(&p2pf_hists, id, h)
		kfree(h);
	xa_destroy(&p2pf_hists);
}
