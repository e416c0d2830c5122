// SPDX-License-Identifier: GPL-2.0
/*
 * owners.c - the BDF -> tenant table, tenant names, and what is remembered
 * of each device across owners.
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
#include <linux/string.h>
#include <linux/xarray.h>

#include "owners.h"
#include "tenant_name.h"
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

static s32 p2pf_owners_find(const struct p2pf_owners *o, u64 id)
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
u32 p2pf_owner_of(const struct p2pf_owners *o, u64 id)
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
struct p2pf_owners *p2pf_owners_with(const struct p2pf_owners *o, u64 id,
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
int p2pf_owners_sort(struct p2pf_owners *o, u64 *dup)
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
const struct p2pf_hist *p2pf_hist_of(u64 id)
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
int p2pf_hist_reserve(u64 id)
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
void p2pf_hist_set(u64 id, const struct p2pf_hist *h)
{
	struct p2pf_hist *r = xa_load(&p2pf_hists, id);

	if (!WARN_ON_ONCE(!r))
		*r = *h;
}

/**
 * p2pf_hist_unreserve() - drop @id's record if nothing was ever recorded
 * @id: FM_ID() (a reservation a refused transaction did not use)
 */
void p2pf_hist_unreserve(u64 id)
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

/*
 * Tenant names. A VM manager names its VMs by UUID; the engine, the table
 * and the history know u32 ids. A name gets an id the first time a request
 * names it (from P2PFENCE_TENANT_NAMED_MIN up, below the ids callers pick)
 * and keeps it while any device is owned by, or remembers, that tenant:
 * the history compares ids, so the same VM coming back to its device is
 * the same tenant, and a name forgotten and seen again is a new tenant
 * with a new id (conservative: its device is then handed over with a
 * reset). Ids are never given twice while the module is loaded.
 */
static DEFINE_XARRAY(p2pf_tnames);	/* id -> struct p2pf_tname */
static u32 p2pf_tname_next = P2PFENCE_TENANT_NAMED_MIN;
static u32 p2pf_tname_n;

/*
 * A sanity bound, not a budget: names live while the table or a device's
 * history refers to them (at most three per device: last, dirty,
 * reset_for) plus what one request names (bounded by its message), and
 * every write transaction forgets the rest.
 */
#define P2PF_TNAMES_MAX		65536
/* referenced by the table or the history (p2pf_tenants_gc()) */
#define P2PF_TNAME_USED		XA_MARK_1

/**
 * p2pf_tenant_name_ok() - is @s a valid tenant name?
 * @s: NUL-terminated
 *
 * 1 to P2PFENCE_TENANT_NAME_MAX bytes of A-Z a-z 0-9 . _ : @ + / -, the
 * first a letter or a digit, not all digits (those are ids), not a PCI
 * address ([DOMAIN:]BUS:SLOT.FN).
 *
 * Return: NULL when it is, else what is wrong with it.
 */
const char *p2pf_tenant_name_ok(const char *s)
{
	size_t i, len = strlen(s);
	bool digits = true;

	if (!len)
		return "a tenant name is not empty";
	if (len > P2PFENCE_TENANT_NAME_MAX)
		return "a tenant name has at most 63 bytes";
	if (!p2pf_name_alnum(s[0]))
		return "a tenant name starts with a letter or a digit";
	for (i = 0; i < len; i++) {
		if (s[i] < '0' || s[i] > '9')
			digits = false;
		if (!p2pf_name_char(s[i]))
			return "a tenant name has only A-Z a-z 0-9 . _ : @ + / -";
	}
	if (digits)
		return "a tenant name is not all digits (that is an id)";
	return p2pf_name_is_dev(s) ? "a tenant name is not a PCI address" : NULL;
}

/**
 * p2pf_tenant_lookup() - the id of tenant @name
 * @name: a valid name (p2pf_tenant_name_ok())
 * @create: give it an id when it has none
 * @id: set to the id
 *
 * A new id is kept until the next p2pf_tenants_gc() finds nothing that
 * refers to it.
 *
 * Return: 0; -ENOENT when it has none and !@create; -ENOSPC when no more
 * names can be kept; -ENOMEM.
 */
int p2pf_tenant_lookup(const char *name, bool create, u32 *id)
{
	struct p2pf_tname *tn;
	unsigned long k;
	int ret;

	xa_for_each(&p2pf_tnames, k, tn) {
		if (!strcmp(tn->name, name)) {
			*id = tn->id;
			return 0;
		}
	}
	if (!create)
		return -ENOENT;
	/* U32_MAX is P2PF_HIST_MANY */
	if (p2pf_tname_n >= P2PF_TNAMES_MAX || p2pf_tname_next >= U32_MAX)
		return -ENOSPC;
	tn = kzalloc(sizeof(*tn), GFP_KERNEL);
	if (!tn)
		return -ENOMEM;
	tn->id = p2pf_tname_next;
	strscpy(tn->name, name, sizeof(tn->name));
	ret = xa_insert(&p2pf_tnames, tn->id, tn, GFP_KERNEL);
	if (ret) {
		kfree(tn);
		return ret;
	}
	p2pf_tname_next++;
	p2pf_tname_n++;
	*id = tn->id;
	return 0;
}

/**
 * p2pf_tenant_name() - the name of tenant @id
 * @id: a tenant
 *
 * Return: the name, or NULL when it has none. Valid until the next
 * p2pf_tenants_gc().
 */
const char *p2pf_tenant_name(u32 id)
{
	const struct p2pf_tname *tn;

	if (id < P2PFENCE_TENANT_NAMED_MIN)
		return NULL;
	tn = xa_load(&p2pf_tnames, id);
	return tn ? tn->name : NULL;
}

/**
 * p2pf_tenant_str() - tenant @id as messages name it: its name, or its id
 * @id: a tenant
 *
 * Return: printk("%s", p2pf_tenant_str(id).s).
 */
struct p2pf_tstr p2pf_tenant_str(u32 id)
{
	const char *name = p2pf_tenant_name(id);
	struct p2pf_tstr r;

	if (name)
		strscpy(r.s, name, sizeof(r.s));
	else
		snprintf(r.s, sizeof(r.s), "%u", id);
	return r;
}

/* tenants whose ATS is trusted (the GPUDirect opt-in): sorted, unique */
static struct p2pf_trust p2pf_trust;

static void p2pf_tname_use(u32 id)
{
	if (id >= P2PFENCE_TENANT_NAMED_MIN && id != P2PF_HIST_MANY)
		xa_set_mark(&p2pf_tnames, id, P2PF_TNAME_USED);
}

/**
 * p2pf_tenants_gc() - forget the names nothing refers to any more
 *
 * Kept: the tenants of the committed table and those the history names
 * (last, dirty, reset_for). Called at the end of every write transaction.
 */
void p2pf_tenants_gc(void)
{
	const struct p2pf_owners *o = p2pf_owners_cur();
	const struct p2pf_hist *h;
	struct p2pf_tname *tn;
	unsigned long k;
	u32 i;

	if (!p2pf_tname_n)
		return;
	for (i = 0; i < o->n; i++)
		p2pf_tname_use(o->e[i].tenant);
	for (i = 0; i < p2pf_trust.n; i++)
		p2pf_tname_use(p2pf_trust.v[i]);
	xa_for_each(&p2pf_hists, k, h) {
		p2pf_tname_use(h->last);
		p2pf_tname_use(h->dirty);
		p2pf_tname_use(h->reset_for);
	}
	xa_for_each(&p2pf_tnames, k, tn) {
		if (xa_get_mark(&p2pf_tnames, k, P2PF_TNAME_USED)) {
			xa_clear_mark(&p2pf_tnames, k, P2PF_TNAME_USED);
			continue;
		}
		xa_erase(&p2pf_tnames, k);
		kfree(tn);
		p2pf_tname_n--;
	}
}

/**
 * p2pf_tenants_copy() - every named tenant, by id (for answers given
 * after the lock is gone)
 * @n: set to how many
 *
 * Return: a kvmalloc'ed array (NULL with *@n 0 when there is none), or
 * an ERR_PTR(-ENOMEM).
 */
struct p2pf_tname *p2pf_tenants_copy(u32 *n)
{
	struct p2pf_tname *r, *tn;
	unsigned long k;
	u32 i = 0;

	*n = 0;
	if (!p2pf_tname_n)
		return NULL;
	r = kvmalloc_array(p2pf_tname_n, sizeof(*r), GFP_KERNEL);
	if (!r)
		return ERR_PTR(-ENOMEM);
	xa_for_each(&p2pf_tnames, k, tn)
		if (!WARN_ON_ONCE(i == p2pf_tname_n))
			r[i++] = *tn;
	*n = i;
	return r;
}

/**
 * p2pf_tenants_find() - the name of tenant @id in a copy
 * @c: from p2pf_tenants_copy() (sorted by id)
 * @n: its length
 * @id: a tenant
 *
 * Return: the name, or NULL.
 */
const char *p2pf_tenants_find(const struct p2pf_tname *c, u32 n, u32 id)
{
	u32 lo = 0, hi = n;

	while (lo < hi) {
		u32 m = lo + (hi - lo) / 2;

		if (c[m].id == id)
			return c[m].name;
		if (c[m].id < id)
			lo = m + 1;
		else
			hi = m;
	}
	return NULL;
}

/**
 * p2pf_tenants_exit() - forget every name (module exit, KUnit); ids
 * start again from P2PFENCE_TENANT_NAMED_MIN
 */
void p2pf_tenants_exit(void)
{
	struct p2pf_tname *tn;
	unsigned long k;

	xa_for_each(&p2pf_tnames, k, tn)
		kfree(tn);
	xa_destroy(&p2pf_tnames);
	p2pf_tname_n = 0;
	p2pf_tname_next = P2PFENCE_TENANT_NAMED_MIN;
}

/**
 * p2pf_trust_cur() - the committed set of tenants whose ATS is trusted
 *
 * Return: the set (valid until the next p2pf_trust_commit()).
 */
const struct p2pf_trust *p2pf_trust_cur(void)
{
	return &p2pf_trust;
}

/**
 * p2pf_trust_has() - is @tenant in @set?
 * @set: a trust set
 * @tenant: a tenant
 */
bool p2pf_trust_has(const struct p2pf_trust *set, u32 tenant)
{
	return fm_u32_in(set->v, set->n, tenant);
}

/**
 * p2pf_trust_with() - @set with @tenant added (@on) or removed
 * @set: a trust set
 * @tenant: >= 1
 * @on: add or remove
 * @out: set to the new set (its own memory; p2pf_trust_free() it)
 *
 * Return: 0, -ENOSPC (more than P2PF_TRUST_MAX tenants), -ENOMEM.
 */
int p2pf_trust_with(const struct p2pf_trust *set, u32 tenant, bool on,
		    struct p2pf_trust *out)
{
	bool has = p2pf_trust_has(set, tenant);
	u32 i, k = 0;

	out->n = 0;
	out->v = NULL;
	if (on && !has && set->n >= P2PF_TRUST_MAX)
		return -ENOSPC;
	out->v = kvmalloc_array(set->n + 1, sizeof(*out->v), GFP_KERNEL);
	if (!out->v)
		return -ENOMEM;
	for (i = 0; i < set->n; i++) {
		if (on && !has && set->v[i] > tenant) {
			out->v[k++] = tenant;
			has = true;
		}
		if (!on && set->v[i] == tenant)
			continue;
		out->v[k++] = set->v[i];
	}
	if (on && !has)
		out->v[k++] = tenant;
	out->n = k;
	return 0;
}

static int p2pf_u32_cmp(const void *a, const void *b)
{
	u32 x = *(const u32 *)a, y = *(const u32 *)b;

	return x < y ? -1 : x > y;
}

/**
 * p2pf_trust_sort() - make a trust set read from a request sorted
 * @set: its tenants, in any order (duplicates allowed; at most
 *	P2PF_TRUST_MAX: the caller checked)
 *
 * Return: 0.
 */

int p2pf_trust_sort(struct p2pf_trust *set)
{
	u32 i, k = 0;

	sort(set->v, set->n, sizeof(*set->v), p2pf_u32_cmp, NULL);
	for (i = 0; i < set->n; i++)
		if (!k || set->v[k - 1] != set->v[i])
			set->v[k++] = set->v[i];
	set->n = k;
	return 0;
}

/** p2pf_trust_free() - free a set's memory (not the committed one's) */
void p2pf_trust_free(struct p2pf_trust *set)
{
	kvfree(set->v);
	set->v = NULL;
	set->n = 0;
}

/**
 * p2pf_trust_commit() - make @set the committed trust set
 * @set: its memory passes to the table (@set is emptied)
 */
void p2pf_trust_commit(struct p2pf_trust *set)
{
	kvfree(p2pf_trust.v);
	p2pf_trust = *set;
	set->v = NULL;
	set->n = 0;
}

/**
 * p2pf_trust_copy() - a copy of the committed set (for answers given after
 * the lock is gone)
 * @out: set to the copy (its own memory; p2pf_trust_free() it)
 *
 * Return: 0 or -ENOMEM.
 */
int p2pf_trust_copy(struct p2pf_trust *out)
{
	out->n = 0;
	out->v = NULL;
	if (!p2pf_trust.n)
		return 0;
	out->v = kvmalloc_array(p2pf_trust.n, sizeof(*out->v), GFP_KERNEL);
	if (!out->v)
		return -ENOMEM;
	memcpy(out->v, p2pf_trust.v, p2pf_trust.n * sizeof(*out->v));
	out->n = p2pf_trust.n;
	return 0;
}

/** p2pf_trust_exit() - forget the trust set (module exit, KUnit) */
void p2pf_trust_exit(void)
{
	p2pf_trust_free(&p2pf_trust);
}
