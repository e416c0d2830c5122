// SPDX-License-Identifier: GPL-2.0
/*
 * check.c - `p2pfencectl check`: the engine, offline, on a sysfs tree or on
 * an `lspci -xxxx` dump (ctl/lspci.c): both read into the one model.
 *
 * With assignments (--assign, --config) it prints the would-be owner table
 * and the verdicts the module would give (named tenants get ids of their
 * own here, as the module gives them: the engine knows ids only). Without,
 * it answers "which devices can go to distinct tenants": the smallest units
 * that can be fenced from each other, the devices that cannot be given to
 * any tenant, the ACS bits to set first, and (informational) the devices
 * that could not be reset between tenants.
 *
 * Verdicts and fixes at a function the boot-time ACS policy relaxed
 * (pci=disable_acs_redir=, pci=config_acs=: bootacs.h) name the option;
 * --emit-config-acs prints instead the config_acs= value that sets, at
 * boot, the bits the assignment's fences need.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/p2pfence.h>
#include "bootacs.h"
#include "cmds.h"
#include "fence_model.h"
#include "json.h"
#include "lspci.h"
#include "owners.h"
#include "quirk_trust.h"
#include "sysfs.h"
#include "util.h"
#include "verdict.h"

struct engine {
	struct topo topo;
	struct fm_ctx *ctx;
	void *mem;
	struct fm_verdict *v;
	uint32_t cap, nv;
	uint16_t *need;
	struct fm_policy pol;	/* the tenants trusted with ATS (--trust-ats) */
};

/* what check reads: a sysfs tree, or an lspci dump and its groups */
struct source {
	const char *root;	/* --sysfs ROOT (default /sys) */
	const char *lspci;	/* --lspci FILE, or NULL */
	const char *groups;	/* --groups FILE, or NULL */
	const char *cmdline;	/* --cmdline FILE, or NULL: the sysfs tree's (bootctx_check()) */
};

static int engine_init(struct engine *e, const struct source *src)
{
	size_t sz;
	int ret;

	memset(e, 0, sizeof(*e));
	if (src->lspci)
		ret = lspci_read(src->lspci, src->groups, &e->topo);
	else
		ret = topo_read(src->root, &e->topo);
	if (ret)
		return ret;
	sz = fm_ctx_size(e->topo.n);
	e->mem = aligned_alloc(8, (sz + 7) & ~(size_t)7);
	e->need = calloc(e->topo.n, sizeof(*e->need));
	if (!e->mem || !e->need)
		return -ENOMEM;
	e->ctx = fm_init(e->mem, sz, e->topo.nodes, e->topo.n, &ret);
	if (!e->ctx) {
		err_msg("%s: the engine rejected the topology read from it (%s)",
			src->lspci ? src->lspci : src->root, strerror(-ret));
		return ret ? ret : -EINVAL;
	}
	return 0;
}

static void engine_free(struct engine *e)
{
	free(e->v);
	free(e->need);
	free(e->mem);
	topo_free(&e->topo);
}

/* a node's vendor:device as the quirk opt-in names it */
static uint32_t engine_vdid(const struct engine *e, uint32_t i)
{
	return P2PF_QUIRK_ID(e->topo.d[i].cfg.vendor, e->topo.d[i].cfg.device);
}

/*
 * The quirk opt-in (--trust-quirk, trust-quirk in --config): every node of
 * a trusted vendor:device marked, before the engine is asked, as the module
 * marks them (p2pf_topo_trust()).
 */
static void engine_trust(struct engine *e, const struct owners *o)
{
	uint32_t i;
	size_t k;

	for (i = 0; i < e->topo.n; i++)
		for (k = 0; k < o->nquirk; k++)
			if (o->quirk[k] == engine_vdid(e, i))
				e->topo.nodes[i].flags |= FM_NODE_QUIRK_TRUST;
}

/* fm_audit() into a buffer that grows as needed */
static int engine_audit(struct engine *e, const uint32_t *owner)
{
	struct fm_verdict *nv;
	int ret;

	ret = fm_set_owners(e->ctx, owner);
	if (ret)
		return ret;
	for (;;) {
		ret = fm_audit(e->ctx, &e->pol, e->v, e->cap, &e->nv, e->need);
		if (ret != -E2BIG)
			return ret;
		nv = realloc(e->v, (size_t)e->nv * sizeof(*nv));
		if (!nv)
			return -ENOMEM;
		e->v = nv;
		e->cap = e->nv;
	}
}

/*
 * What `check` computes, by device ids (FM_ID): the printers below take
 * these and nothing else, so text and -j come from the same data.
 */

/* a tenant of the assignments, and the id the engine knows it by */
struct check_tenant {
	struct pf_tenant_ref ref;	/* as given: an id, or a name */
	uint32_t local;			/* the id, or one from P2PFENCE_TENANT_NAMED_MIN up */
};

/* with assignments: the verdicts the module would give */
struct assign_result {
	size_t nassigned;	/* devices assigned */
	uint32_t n, nfixable;	/* verdicts; how many the module can fix */
	uint32_t nwaived;	/* how many the quirk opt-in waived */
	struct pf_verdict *v;
	const struct owners *o;	/* the assignments ... */
	uint32_t *tidx;		/* ... the tenant of each: an index into t */
	uint32_t nt;		/* tenants, in the order they first appear */
	struct check_tenant *t;
	uint32_t *trust;	/* local ids of the tenants trusted with ATS, sorted */
	uint32_t ntrust;
	bool *trusted;		/* per tenant of t: trusted with ATS */
	bool *ats;		/* per assignment: the device has the ATS capability */
};

/* a device that cannot be given to any tenant */
struct unassignable {
	uint64_t dev;
	unsigned int kind;	/* the verdict that keeps it with the host */
	bool tied;		/* a verdict of another device's: */
	uint64_t tied_to;	/* ... that device */
};

/* a port whose ACS control must change first (the module does it at assign time) */
struct port_fix {
	uint64_t at;
	unsigned int kind;	/* its first fixable verdict */
	uint16_t bits;		/* PCI_ACS_* to set; those in FM_MUST_CLEAR to clear */
	const char *boot;	/* the boot option that relaxed it, or NULL */
};

/* a device's hand-over reset, as this host allows it (the module's rule) */
struct dev_reset {
	uint64_t dev;
	const char *methods;	/* its reset_method (sdev.reset_methods); NULL: none */
	char method[64];	/* what a hand-over would use: the first of methods, or
				 * "bus" (alone below a bridge); "": none */
	unsigned int why;	/* enum p2pfence_no_reset_why when none; else 0 */
	bool has_peer;		/* bus-shared: ... */
	uint64_t peer;		/* ... the first other function on its bus */
};

struct reset_result {
	uint32_t n;		/* devices (not ports or bridges), in address order */
	struct dev_reset *r;
};

/* without assignments: the units that can go to distinct tenants */
struct units_result {
	uint32_t ndev;		/* devices (not ports or bridges) */
	uint32_t nunits;
	uint32_t *start;	/* unit k is dev[start[k]] .. dev[start[k + 1] - 1] */
	uint64_t *dev;		/* the devices of the units, each unit in address order */
	uint32_t nna;
	struct unassignable *na;
	uint32_t nfix;
	struct port_fix *fix;
	bool isolated;		/* every device its own unit, nothing to fix */
	struct reset_result reset;	/* informational: never changes isolated */
};

static void to_pf(const struct engine *e, const struct fm_verdict *fv, struct pf_verdict *v)
{
	const struct fm_node *nd = e->topo.nodes;

	v->kind = fv->kind;
	v->dev = nd[fv->dev].id;
	v->at = nd[fv->at].id;
	v->has_peer = fv->peer >= 0;
	v->peer = fv->peer >= 0 ? nd[fv->peer].id : 0;
	v->has_vmd = fm_verdict_vmd(nd, fv) >= 0;
	v->vmd = v->has_vmd ? nd[fm_verdict_vmd(nd, fv)].id : 0;
	v->missing = fv->missing;
	v->faked_why = fv->kind == FM_ACS_FAKED ? p2pf_faked_why(&nd[fv->at]) : 0;
	v->trusted_quirk = fm_waived(fv) ? engine_vdid(e, (uint32_t)fv->at) : 0;
}

/*
 * The distinct tenants of @o (the same id, or the same name, is one) into
 * r->t, each entry's into r->tidx: a name gets the next id from
 * P2PFENCE_TENANT_NAMED_MIN, which no id of an owners entry can be.
 */
static int tenants_collect(const struct owners *o, struct assign_result *r)
{
	uint32_t named = 0, k;
	size_t i;

	r->o = o;
	r->t = calloc(o->n ? o->n : 1, sizeof(*r->t));
	r->tidx = calloc(o->n ? o->n : 1, sizeof(*r->tidx));
	if (!r->t || !r->tidx)
		return -ENOMEM;
	for (i = 0; i < o->n; i++) {
		for (k = 0; k < r->nt && !tenant_ref_eq(&r->t[k].ref, &o->v[i].tenant); k++)
			;
		if (k == r->nt) {
			r->t[k].ref = o->v[i].tenant;
			r->t[k].local = o->v[i].tenant.name[0] ?
					(uint32_t)P2PFENCE_TENANT_NAMED_MIN + named++ :
					o->v[i].tenant.id;
			r->nt++;
		}
		r->tidx[i] = k;
	}
	return 0;
}

static int u32_cmp(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return x < y ? -1 : x > y;
}

/*
 * The tenants of @o trusted with ATS (`trust-ats` lines, --trust-ats) that
 * own a device here, by their local ids: the engine's policy. A trusted
 * tenant without devices changes nothing.
 */
static int trust_collect(const struct owners *o, struct assign_result *r)
{
	uint32_t k;
	size_t i;

	r->trust = calloc(r->nt ? r->nt : 1, sizeof(*r->trust));
	r->trusted = calloc(r->nt ? r->nt : 1, sizeof(*r->trusted));
	if (!r->trust || !r->trusted)
		return -ENOMEM;
	for (i = 0; i < o->ntrust; i++)
		for (k = 0; k < r->nt; k++)
			if (!r->trusted[k] && tenant_ref_eq(&r->t[k].ref, &o->trust[i])) {
				r->trusted[k] = true;
				r->trust[r->ntrust++] = r->t[k].local;
			}
	qsort(r->trust, r->ntrust, sizeof(*r->trust), u32_cmp);
	return 0;
}

static int assign_compute(struct engine *e, const struct owners *o, struct assign_result *r)
{
	char d[DEV_STRLEN];
	unsigned int bad = 0;
	uint32_t *owner, i;
	size_t k;
	int ret;
	s32 idx;

	owner = calloc(e->topo.n, sizeof(*owner));
	if (!owner)
		return -ENOMEM;
	for (k = 0; k < o->n; k++) {
		idx = fm_find(e->ctx, o->v[k].id);
		if (idx < 0 && e->topo.dump) {
			err_msg("%s: no such device in %s", fmt_dev(o->v[k].id, d), e->topo.dump);
			bad++;
		} else if (idx < 0) {
			err_msg("%s: no such device under %s/bus/pci/devices",
				fmt_dev(o->v[k].id, d), e->topo.root);
			bad++;
		} else if (fm_is_fabric(e->topo.nodes[idx].type)) {
			err_msg("%s: a port or bridge: only devices can be assigned",
				fmt_dev(o->v[k].id, d));
			bad++;
		}
	}
	if (bad) {
		ret = -EINVAL;
		goto out;
	}
	/* devices of this host, each once (owners_dups()): a few thousand at most */
	ret = tenants_collect(o, r);
	if (ret)
		goto out;
	for (k = 0; k < o->n; k++)
		owner[fm_find(e->ctx, o->v[k].id)] = r->t[r->tidx[k]].local;
	ret = trust_collect(o, r);
	if (ret)
		goto out;
	r->ats = calloc(o->n ? o->n : 1, sizeof(*r->ats));
	if (!r->ats) {
		ret = -ENOMEM;
		goto out;
	}
	for (k = 0; k < o->n; k++)
		r->ats[k] = e->topo.nodes[fm_find(e->ctx, o->v[k].id)].flags & FM_NODE_ATS;
	e->pol.ats_tenants = r->trust;
	e->pol.n_ats_tenants = r->ntrust;
	ret = engine_audit(e, owner);
	if (ret) {
		err_msg("engine: %s", strerror(-ret));
		goto out;
	}
	r->nassigned = o->n;
	r->v = calloc(e->nv ? e->nv : 1, sizeof(*r->v));
	if (!r->v) {
		ret = -ENOMEM;
		goto out;
	}
	for (i = 0; i < e->nv; i++) {
		to_pf(e, &e->v[i], &r->v[i]);
		r->nfixable += fm_kind_fixable(e->v[i].kind);
		r->nwaived += fm_waived(&e->v[i]);
	}
	r->n = e->nv;
out:
	free(owner);
	return ret;
}

static void assign_free(struct assign_result *r)
{
	free(r->v);
	free(r->t);
	free(r->tidx);
	free(r->trust);
	free(r->trusted);
	free(r->ats);
	memset(r, 0, sizeof(*r));
}

/*
 * The would-be owner table, a tenant a line as `tenant show` prints it
 * ("tenant vm-a: 0000:05:00.0 0000:06:00.0"); JSON {tenant, tenant_name,
 * devs}, tenant null for a named one (the module gives it its id).
 */
/*
 * What the GPUDirect opt-in of tenant @k trusts: its devices with ATS send
 * translated requests the IOMMU does not check (JSON: ats_devs).
 */
static void trust_explain(const struct assign_result *r, uint32_t k)
{
	char d[DEV_STRLEN];
	unsigned int n = 0;
	size_t i;

	out_text("  ATS trusted (trust-ats):");
	out_arr_open("ats_devs");
	for (i = 0; i < r->o->n; i++)
		if (r->tidx[i] == k && r->ats[i]) {
			out_str(NULL, " %s", fmt_dev(r->o->v[i].id, d));
			n++;
		}
	out_arr_close();
	if (n)
		out_text(" may send translated requests that reach host memory without the "
			 "IOMMU (the opt-in trusts these devices to use only addresses the IOMMU "
			 "gave them); their ports get no Translation Blocking, and Direct "
			 "Translated P2P may stay on at ports that reach only this tenant's "
			 "devices. Other owners' ports keep TB.\n");
	else
		out_text(" none of its devices has ATS here: the opt-in changes nothing.\n");
}

static void assign_tenants_print(const struct assign_result *r)
{
	char d[DEV_STRLEN];
	uint32_t k;
	size_t i;

	out_arr_open("tenants");
	for (k = 0; k < r->nt; k++) {
		const struct pf_tenant_ref *t = &r->t[k].ref;

		out_obj_open(NULL);
		if (t->name[0]) {
			out_null("tenant", NULL);
			out_str("tenant_name", "tenant %s:", t->name);
		} else {
			out_uint("tenant", "tenant %llu:", t->id);
		}
		out_arr_open("devs");
		for (i = 0; i < r->o->n; i++)
			if (r->tidx[i] == k)
				out_str(NULL, " %s", fmt_dev(r->o->v[i].id, d));
		out_arr_close();
		out_text("\n");
		out_bool("trust_ats", NULL, r->trusted[k]);
		if (r->trusted[k])
			trust_explain(r, k);
		out_obj_close();
	}
	out_arr_close();
}

static void assign_print(const struct assign_result *r)
{
	uint32_t i;

	uint32_t nbad = r->n - r->nwaived;

	out_obj_open(NULL);
	out_bool("isolated", NULL, nbad == 0);
	assign_tenants_print(r);
	out_arr_open("violations");
	for (i = 0; i < r->n; i++)
		verdict_print(&r->v[i], true);
	out_arr_close();
	out_obj_close();
	if (nbad == 0)
		out_text("isolated: %zu device%s assigned, all fenced\n", r->nassigned,
			 r->nassigned == 1 ? "" : "s");
	else
		out_text("not isolated: %u violation%s (%u fixable by the module)\n",
			 nbad, nbad == 1 ? "" : "s", r->nfixable);
	if (r->nwaived)
		out_text("%u acs-faked verdict%s waived by the quirk opt-in (trust-quirk)\n",
			 r->nwaived, r->nwaived == 1 ? "" : "s");
}

/* union-find over node indexes */
static uint32_t uf_find(uint32_t *uf, uint32_t x)
{
	while (uf[x] != x) {
		uf[x] = uf[uf[x]];
		x = uf[x];
	}
	return x;
}

static bool host_only_kind(unsigned int kind)
{
	return kind == FM_NO_IOMMU || kind == FM_IDENTITY_DOMAIN || kind == FM_ATS_ENABLED;
}

static const struct fm_node *sort_nodes;

static int id_cmp(const void *a, const void *b)
{
	uint64_t x = sort_nodes[*(const uint32_t *)a].id, y = sort_nodes[*(const uint32_t *)b].id;

	return x < y ? -1 : x > y;
}

/*
 * An ACS fault on a root bus node (a root port, or an RCiEP itself) lets
 * the device reach every device on the root complex, not just its
 * neighbours: uniting it with all of them would make one useless unit, so
 * it stays with the host instead. Functions of one slot still unite.
 */
static bool reaches_root_complex(const struct fm_node *nd, const struct fm_verdict *v)
{
	if (v->kind != FM_ACS_MISSING && v->kind != FM_ACS_FAKED &&
	    v->kind != FM_MULTIFUNCTION_NO_ACS)
		return false;
	if (nd[v->at].parent >= 0 || v->peer < 0)
		return false;
	return FM_ID_SLOTKEY(nd[v->peer].id) != FM_ID_SLOTKEY(nd[v->at].id);
}

/* a device not (yet) known to be the host's for good */
static bool assignable(const struct fm_node *nd, const uint8_t *na, uint32_t i)
{
	return !fm_is_fabric(nd[i].type) && !na[i];
}

/*
 * Every unit its own tenant, audit, and grow the units until only fixable
 * verdicts remain: what cannot be separated is one unit (uf), a device that
 * cannot be a tenant's at all keeps its unit with the host (na: the kind
 * that says why; via: the device whose verdict it was).
 */
static int units_solve(struct engine *e, uint32_t *uf, uint8_t *na, int32_t *via)
{
	const struct fm_node *nd = e->topo.nodes;
	uint32_t n = e->topo.n, i, j, *owner;
	bool changed;
	int pass, ret;

	owner = calloc(n, sizeof(*owner));
	if (!owner)
		return -ENOMEM;
	for (i = 0; i < n; i++) {
		uf[i] = i;
		via[i] = -1;
	}
	do {
		changed = false;
		for (i = 0; i < n; i++)
			owner[i] = assignable(nd, na, i) ? uf_find(uf, i) + 1 : 0;
		ret = engine_audit(e, owner);
		if (ret)
			goto out;
		/* pass 0: a device that cannot be a tenant's at all; pass 1:
		 * what cannot be separated is one unit (or stays with the host) */
		for (pass = 0; pass < 2; pass++) {
			for (i = 0; i < e->nv; i++) {
				const struct fm_verdict *v = &e->v[i];
				uint32_t dv = (uint32_t)v->dev, ru = uf_find(uf, dv);

				/* waived by the quirk opt-in: separates nothing */
				if (na[dv] || fm_kind_fixable(v->kind) || fm_waived(v) ||
				    host_only_kind(v->kind) != (pass == 0))
					continue;
				if (pass == 1 && v->peer >= 0 && !na[v->peer] &&
				    !reaches_root_complex(nd, v)) {
					if (uf_find(uf, (uint32_t)v->peer) != ru) {
						uf[uf_find(uf, (uint32_t)v->peer)] = ru;
						changed = true;
					}
					continue;
				}
				/* the whole unit stays with the host */
				for (j = 0; j < n; j++) {
					if (!assignable(nd, na, j) || uf_find(uf, j) != ru)
						continue;
					na[j] = (uint8_t)v->kind;
					if (j != dv)
						via[j] = (int32_t)dv;
					else if (pass == 1 && !reaches_root_complex(nd, v))
						via[j] = v->peer;
				}
				changed = true;
			}
		}
	} while (changed);
	/* the final audit (every unit its own tenant) holds only fixable verdicts */
out:
	free(owner);
	return ret;
}

/* the units and the unassignable devices, in the order of their devices' addresses */
static int units_collect(const struct engine *e, uint32_t *uf, const uint8_t *na,
			 const int32_t *via, struct units_result *u)
{
	const struct fm_node *nd = e->topo.nodes;
	uint32_t n = e->topo.n, *order, i, j, k, m, ndv = 0;
	struct unassignable *x;
	uint8_t *seen;
	int ret = -ENOMEM;

	order = malloc(n * sizeof(*order));
	seen = calloc(n, sizeof(*seen));
	u->start = malloc((n + 1) * sizeof(*u->start));
	u->dev = malloc(n * sizeof(*u->dev));
	u->na = malloc(n * sizeof(*u->na));
	if (!order || !seen || !u->start || !u->dev || !u->na)
		goto out;
	for (i = 0; i < n; i++) {
		order[i] = i;
		u->ndev += !fm_is_fabric(nd[i].type);
	}
	sort_nodes = nd;
	qsort(order, n, sizeof(*order), id_cmp);
	for (k = 0; k < n; k++) {
		i = uf_find(uf, order[k]);
		if (!assignable(nd, na, order[k]) || seen[i])
			continue;
		seen[i] = 1;
		u->start[u->nunits++] = ndv;
		for (m = 0; m < n; m++) {
			j = order[m];
			if (assignable(nd, na, j) && uf_find(uf, j) == i)
				u->dev[ndv++] = nd[j].id;
		}
	}
	u->start[u->nunits] = ndv;
	for (k = 0; k < n; k++) {
		i = order[k];
		if (!na[i])
			continue;
		x = &u->na[u->nna++];
		x->dev = nd[i].id;
		x->kind = na[i];
		x->tied = via[i] >= 0 && (uint32_t)via[i] != i;
		x->tied_to = x->tied ? nd[via[i]].id : 0;
	}
	ret = 0;
out:
	free(order);
	free(seen);
	return ret;
}

/* the fixable verdicts of the last audit, one entry per port: its bits ORed */
static int fixes_collect(const struct engine *e, struct units_result *u)
{
	const struct fm_node *nd = e->topo.nodes;
	struct port_fix *f;
	uint32_t i;
	uint64_t at;

	u->fix = calloc(e->nv ? e->nv : 1, sizeof(*u->fix));
	if (!u->fix)
		return -ENOMEM;
	for (i = 0; i < e->nv; i++) {
		if (!fm_kind_fixable(e->v[i].kind))
			continue;
		at = nd[e->v[i].at].id;
		for (f = u->fix; f < u->fix + u->nfix && f->at != at; f++)
			;
		if (f == u->fix + u->nfix) {
			u->nfix++;
			f->at = at;
			f->kind = e->v[i].kind;
		}
		f->bits |= e->v[i].missing;
	}
	return 0;
}

static int reset_cmp(const void *a, const void *b)
{
	uint64_t x = ((const struct dev_reset *)a)->dev, y = ((const struct dev_reset *)b)->dev;

	return x < y ? -1 : x > y;
}

/*
 * Which devices can be reset between tenants: by a method of their own; else
 * by a secondary bus reset when below a bridge and alone on its bus; else
 * not (on a root bus: no-method; others on the bus: bus-shared).
 */
static int reset_compute(const struct engine *e, struct reset_result *r)
{
	const struct fm_node *nd = e->topo.nodes;
	uint32_t n = e->topo.n, i;
	struct dev_reset *x;
	int32_t *kid, *k;	/* per bridge: its first two children (node indexes) */
	s32 p, other;

	r->r = calloc(n ? n : 1, sizeof(*r->r));
	kid = malloc(2 * (n ? n : 1) * sizeof(*kid));
	if (!r->r || !kid) {
		free(kid);
		return -ENOMEM;
	}
	for (i = 0; i < 2 * n; i++)
		kid[i] = -1;
	for (i = 0; i < n; i++) {
		if (nd[i].parent < 0)
			continue;
		k = &kid[2 * nd[i].parent];
		if (k[0] < 0)
			k[0] = (int32_t)i;
		else if (k[1] < 0)
			k[1] = (int32_t)i;
	}
	for (i = 0; i < n; i++) {
		if (fm_is_fabric(nd[i].type))
			continue;
		x = &r->r[r->n++];
		x->dev = nd[i].id;
		x->methods = e->topo.d[i].reset_methods;
		p = nd[i].parent;
		if (x->methods) {
			snprintf(x->method, sizeof(x->method), "%.*s",
				 (int)strcspn(x->methods, " "), x->methods);
			continue;
		}
		if (p < 0) {
			x->why = P2PFENCE_NO_RESET_WHY_NO_METHOD;
			continue;
		}
		/* nodes are in (depth, address) order: the first other child is the lowest */
		other = kid[2 * p] == (int32_t)i ? kid[2 * p + 1] : kid[2 * p];
		if (other < 0) {
			snprintf(x->method, sizeof(x->method), "bus");
			continue;
		}
		x->why = P2PFENCE_NO_RESET_WHY_BUS_SHARED;
		x->has_peer = true;
		x->peer = nd[other].id;
	}
	free(kid);
	qsort(r->r, r->n, sizeof(*r->r), reset_cmp);
	return 0;
}

static int units_compute(struct engine *e, struct units_result *u)
{
	uint32_t n = e->topo.n, *uf;
	uint8_t *na;
	int32_t *via;
	int ret = -ENOMEM;

	uf = malloc(n * sizeof(*uf));
	na = calloc(n, sizeof(*na));
	via = malloc(n * sizeof(*via));
	if (!uf || !na || !via)
		goto out;
	ret = units_solve(e, uf, na, via);
	if (!ret)
		ret = units_collect(e, uf, na, via, u);
	if (!ret)
		ret = fixes_collect(e, u);
	if (!ret)
		ret = reset_compute(e, &u->reset);
	/* isolated: devices, each its own unit (as many in units as units), nothing else */
	if (!ret)
		u->isolated = u->ndev > 0 && u->start[u->nunits] == u->nunits &&
			      !u->nna && !u->nfix;
out:
	free(uf);
	free(na);
	free(via);
	return ret;
}

static void unassignable_print(const struct unassignable *x)
{
	char d[DEV_STRLEN];

	out_obj_open(NULL);
	out_str("dev", "not assignable: %s", fmt_dev(x->dev, d));
	out_str("kind", " (%s", fm_kind_name(x->kind));
	if (x->tied)
		out_str("tied_to", ": tied to %s", fmt_dev(x->tied_to, d));
	else
		out_null("tied_to", NULL);
	out_text(")\n");
	out_obj_close();
}

static void port_fix_print(const struct port_fix *f)
{
	uint16_t set = f->bits & ~FM_MUST_CLEAR, clear = f->bits & FM_MUST_CLEAR;
	char a[DEV_STRLEN], bs[32];

	out_obj_open(NULL);
	out_str("at", "fix first: %s:", fmt_dev(f->at, a));
	if (set)
		out_text(" set %s", fm_acs_bits_str(set, bs, sizeof(bs)));
	if (clear)
		out_text(" clear %s", fm_acs_bits_str(clear, bs, sizeof(bs)));
	if (out_json())
		acs_bits_print("missing", f->bits);
	out_str("kind", " (%s: fixable by the module at assign time)", fm_kind_name(f->kind));
	boot_policy_print(f->boot);
	out_text("\n");
	out_obj_close();
}

/* JSON: every device; text: only those without a hand-over reset, one line each */
static void reset_print(const struct dev_reset *x)
{
	char d[DEV_STRLEN], p[DEV_STRLEN], w[24], m[256];
	const char *s, *end;
	bool none = !x->method[0];

	out_obj_open(NULL);
	out_str("dev", none ? "no hand-over reset: %s" : NULL, fmt_dev(x->dev, d));
	out_arr_open("methods");
	for (s = x->methods; s && *s; s = end + (*end == ' ')) {
		end = s + strcspn(s, " ");
		snprintf(m, sizeof(m), "%.*s", (int)(end - s), s);
		out_str(NULL, NULL, m);
	}
	out_arr_close();
	if (none)
		out_null("method", NULL);
	else
		out_str("method", NULL, x->method);
	out_bool("handover", NULL, !none);
	if (x->why)
		out_str("why", NULL, no_reset_why_name(x->why, w));
	else
		out_null("why", NULL);
	if (x->why == P2PFENCE_NO_RESET_WHY_NO_METHOD)
		out_text(" (no reset method, on a root bus");
	else if (x->why)
		out_text(" (only a bus reset");
	if (x->has_peer)
		out_str("peer", ", shared with %s", fmt_dev(x->peer, p));
	else
		out_null("peer", NULL);
	if (none)
		out_text(")\n");
	out_obj_close();
}

static void units_print(const struct units_result *u)
{
	char d[DEV_STRLEN];
	uint32_t k, m;

	out_obj_open(NULL);
	out_arr_open("units");
	for (k = 0; k < u->nunits; k++) {
		out_arr_open(NULL);
		out_text("unit %u:", k + 1);
		for (m = u->start[k]; m < u->start[k + 1]; m++)
			out_str(NULL, " %s", fmt_dev(u->dev[m], d));
		out_text("\n");
		out_arr_close();
	}
	out_arr_close();
	out_arr_open("not_assignable");
	for (k = 0; k < u->nna; k++)
		unassignable_print(&u->na[k]);
	out_arr_close();
	out_arr_open("fix");
	for (k = 0; k < u->nfix; k++)
		port_fix_print(&u->fix[k]);
	out_arr_close();
	out_bool("isolated", NULL, u->isolated);
	out_arr_open("reset");
	for (k = 0; k < u->reset.n; k++)
		reset_print(&u->reset.r[k]);
	out_arr_close();
	out_obj_close();
	out_text("%u device%s: %u unit%s that can go to distinct tenants, %u not assignable, "
		 "%u port%s to fix\n", u->ndev, u->ndev == 1 ? "" : "s", u->nunits,
		 u->nunits == 1 ? "" : "s", u->nna, u->nfix, u->nfix == 1 ? "" : "s");
}

static void units_free(struct units_result *u)
{
	free(u->start);
	free(u->dev);
	free(u->na);
	free(u->fix);
	free(u->reset.r);
	memset(u, 0, sizeof(*u));
}

/* a function of an --emit-config-acs value */
struct emit_fn {
	uint64_t at;
	bool path;		/* named by its path from the root bus (below a bridge) */
	char flags[BOOTACS_NFLAGS + 1];
	char spec[BOOTACS_MAX_DEPTH * 6 + DEV_STRLEN];
};

/* the functions whose bits the assignment needs (e->need), in address order */
static int emit_collect(const struct engine *e, struct emit_fn **out, uint32_t *n)
{
	const struct fm_node *nd = e->topo.nodes;
	struct bootacs_fn f;
	struct emit_fn *x;
	uint32_t *order, i, k;
	char d[DEV_STRLEN];
	const char *end;
	int ret = 0;

	*n = 0;
	order = malloc((e->topo.n ? e->topo.n : 1) * sizeof(*order));
	*out = calloc(e->topo.n ? e->topo.n : 1, sizeof(**out));
	if (!order || !*out) {
		ret = -ENOMEM;
		goto out;
	}
	for (i = 0; i < e->topo.n; i++)
		order[i] = i;
	sort_nodes = nd;
	qsort(order, e->topo.n, sizeof(*order), id_cmp);
	for (k = 0; k < e->topo.n; k++) {
		i = order[k];
		if (!e->need[i])
			continue;
		x = &(*out)[(*n)++];
		ret = bootacs_fn_topo(&e->topo, i, &f);
		if (ret) {
			err_msg("%s: more than %d functions above it", fmt_dev(nd[i].id, d),
				BOOTACS_MAX_DEPTH);
			goto out;
		}
		x->at = nd[i].id;
		x->path = f.depth > 1;
		bootacs_flags_str(e->need[i], FM_MUST_CLEAR, x->flags, sizeof(x->flags));
		bootacs_spec(&f, x->spec, sizeof(x->spec));
		/* what the kernel will make of it: this function */
		if (bootacs_str_match(&f, x->spec, &end) != 1 || *end) {
			err_msg("internal error: config_acs entry %s does not name %s", x->spec,
				fmt_dev(x->at, d));
			ret = -EINVAL;
			goto out;
		}
	}
out:
	free(order);
	return ret;
}

/*
 * check --emit-config-acs: the pci=config_acs= value that sets at boot
 * exactly the bits the fences of the assignment need, where they need
 * them ('1' for SV RR CR UF, '0' for DT and EC, 'x' for the rest): one
 * line (text) or {config_acs, functions: [{at, flags, spec}]} (JSON); the
 * caveats on stderr. Nothing printed when nothing is needed.
 */
static int emit_config_acs(const struct engine *e, const struct assign_result *r,
			   const struct bootctx *bc)
{
	struct emit_fn *x = NULL;
	uint32_t n, i, npath = 0, unfixable = 0;
	const struct pf_verdict *first = NULL;
	char *val = NULL, a[DEV_STRLEN];
	size_t len = 0;
	int ret;

	ret = emit_collect(e, &x, &n);
	if (ret)
		goto out;
	/* FLAGS@SPEC;... */
	for (i = 0; i < n; i++)
		len += strlen(x[i].flags) + strlen(x[i].spec) + 2;
	val = malloc(len + 1);
	len = 0;
	if (!val) {
		ret = -ENOMEM;
		goto out;
	}
	val[0] = '\0';
	for (i = 0; i < n; i++) {
		len += (size_t)sprintf(val + len, "%s%s@%s", i ? ";" : "", x[i].flags, x[i].spec);
		npath += x[i].path;
	}
	out_obj_open(NULL);
	if (n)
		out_str("config_acs", "pci=config_acs=%s\n", val);
	else
		out_null("config_acs", NULL);
	out_arr_open("functions");
	for (i = 0; i < n; i++) {
		out_obj_open(NULL);
		out_str("at", NULL, fmt_dev(x[i].at, a));
		out_str("flags", NULL, x[i].flags);
		out_str("spec", NULL, x[i].spec);
		out_obj_close();
	}
	out_arr_close();
	out_obj_close();
	for (i = 0; i < r->n; i++) {
		if (fm_kind_fixable(r->v[i].kind) || !verdict_stands(&r->v[i]))
			continue;
		first = first ? first : &r->v[i];
		unfixable++;
	}
	if (unfixable)
		warn_msg("%u verdict%s no ACS bit can fix (the first: %s at %s): the assignment is "
			 "refused whatever the command line; check without --emit-config-acs lists "
			 "them", unfixable, unfixable == 1 ? "" : "s", fm_kind_name(first->kind),
			 fmt_dev(first->at, a));
	if (!n) {
		note_msg("no function needs ACS bits for this assignment: nothing to emit");
		goto out;
	}
	note_msg("pci=config_acs= needs Linux 6.11 or later (earlier kernels ignore it: \"PCI: "
		 "Unknown option\")");
	if (npath)
		note_msg("%u function%s below a bridge named by %s path of DEV.FN from the root "
			 "port, as the kernel's documentation advises, the rest by address: bus "
			 "numbers below a root port can change across boots (hotplug, firmware, "
			 "pci=hpbussize=); a root bus's number and the path do not", npath,
			 npath == 1 ? "" : "s", npath == 1 ? "its" : "their");
	else
		note_msg("every function named by its address: all are on a root bus, whose number "
			 "the firmware gives (below a bridge the path of DEV.FN would be used)");
	note_msg("'x' leaves a bit as the firmware set it: on a function config_acs= names, "
		 "the kernel starts from the firmware's ACS control, not its own defaults");
	if (bc->pol.val[BOOTACS_CONFIG_ACS] && *bc->pol.val[BOOTACS_CONFIG_ACS])
		note_msg("%s has pci=config_acs=%s: the kernel keeps only the last config_acs=: "
			 "merge the two", bc->pol.src, bc->pol.val[BOOTACS_CONFIG_ACS]);
	if (len > 2048 - sizeof("pci=config_acs="))
		warn_msg("the value is %zu bytes long: x86 kernels keep 2048 bytes of command line",
			 len);
out:
	free(x);
	free(val);
	return ret;
}

/*
 * --sysfs, --lspci, --groups, --cmdline: a non-empty value; --lspci,
 * --groups and --cmdline once. Return: EXIT_OK, or EXIT_USAGE (said).
 */
static int source_opt(struct source *src, const char *opt, const char *val)
{
	const char **slot;

	if (!*val)
		return usage_err("check", "check: %s needs a %s", opt,
				 strcmp(opt, "--sysfs") ? "file" : "directory");
	if (!strcmp(opt, "--sysfs")) {
		src->root = val;
		return EXIT_OK;
	}
	slot = !strcmp(opt, "--lspci") ? &src->lspci :
	       !strcmp(opt, "--groups") ? &src->groups : &src->cmdline;
	if (*slot)
		return usage_err("check", "check: %s given twice", opt);
	*slot = val;
	return EXIT_OK;
}

int cmd_check(struct ctl *c, int argc, char **argv)
{
	struct source src = { .root = "/sys" };
	const char *config = NULL;
	struct owners o = { 0 };
	struct assign_result ar = { 0 };
	struct units_result ur = { 0 };
	struct bootctx bc = { 0 };
	struct engine e;
	char why[160];
	struct pf_tenant_ref tenant;
	unsigned int nbad = 0;
	char *eq, *arg, *val;
	uint64_t id;
	int i, ret, rc = EXIT_USAGE;
	bool assign_mode = false, sysfs = false, emit = false;

	(void)c;
	memset(&e, 0, sizeof(e));
	for (i = 1; i < argc; i++) {
		arg = argv[i];
		val = NULL;
		if (is_help(arg)) {
			usage_for("check", 0);
			rc = EXIT_OK;
			goto out;
		}
		if (!strncmp(arg, "--", 2) && (eq = strchr(arg, '='))) {
			/* --opt=value */
			*eq = '\0';
			val = eq + 1;
		}
		if (!strcmp(arg, "--emit-config-acs")) {
			if (val) {
				rc = usage_err("check", "check: --emit-config-acs takes no value");
				goto out;
			}
			emit = true;
			continue;
		}
		if (strcmp(arg, "--sysfs") && strcmp(arg, "--lspci") && strcmp(arg, "--groups") &&
		    strcmp(arg, "--cmdline") && strcmp(arg, "--assign") && strcmp(arg, "--config") &&
		    strcmp(arg, "--trust-ats") && strcmp(arg, "--trust-quirk")) {
			rc = usage_err("check", "check: unknown argument '%s'", arg);
			goto out;
		}
		if (!val) {
			if (i + 1 >= argc) {
				rc = usage_err("check", "check: %s needs a value", arg);
				goto out;
			}
			val = argv[++i];
		}
		if (!strcmp(arg, "--sysfs") || !strcmp(arg, "--lspci") || !strcmp(arg, "--groups") ||
		    !strcmp(arg, "--cmdline")) {
			sysfs |= !strcmp(arg, "--sysfs");
			if (source_opt(&src, arg, val))
				goto out;
		} else if (!strcmp(arg, "--trust-ats")) {
			if (parse_tenant(val, TENANT_OWNER, &tenant, why, sizeof(why))) {
				rc = usage_err("check", "check: --trust-ats: %s", why);
				goto out;
			}
			if (owners_trust(&o, &tenant)) {
				err_msg("out of memory");
				goto out;
			}
		} else if (!strcmp(arg, "--trust-quirk")) {
			uint32_t q;

			if (parse_quirk(val, &q, why, sizeof(why))) {
				rc = usage_err("check", "check: --trust-quirk: %s", why);
				goto out;
			}
			if (owners_add_quirk("check", &o, q, 0))
				goto out;
		} else if (!strcmp(arg, "--config")) {
			if (config) {
				rc = usage_err("check", "check: --config given twice");
				goto out;
			}
			config = val;
			assign_mode = true;
		} else {
			assign_mode = true;
			eq = strchr(val, '=');
			if (!eq) {
				rc = usage_err("check", "check: --assign '%s': expected DEV=TENANT", val);
				goto out;
			}
			*eq = '\0';
			if (parse_dev(val, &id, why, sizeof(why)) ||
			    parse_tenant(eq + 1, TENANT_OWNER, &tenant, why, sizeof(why))) {
				rc = usage_err("check", "check: --assign: %s", why);
				goto out;
			}
			if (owners_add(&o, id, &tenant, 0)) {
				err_msg("out of memory");
				goto out;
			}
		}
	}
	if (sysfs && src.lspci) {
		rc = usage_err("check",
			       "check: --sysfs and --lspci exclude each other: one machine, read one way");
		goto out;
	}
	if (src.groups && !src.lspci) {
		rc = usage_err("check", "check: --groups goes with --lspci (sysfs has its own groups)");
		goto out;
	}
	if (src.lspci && src.groups && !strcmp(src.lspci, "-") && !strcmp(src.groups, "-")) {
		rc = usage_err("check", "check: --lspci and --groups cannot both be standard input");
		goto out;
	}
	if (src.cmdline && !strcmp(src.cmdline, "-") &&
	    ((src.lspci && !strcmp(src.lspci, "-")) || (src.groups && !strcmp(src.groups, "-")))) {
		rc = usage_err("check", "check: only one of --lspci, --groups and --cmdline can be "
			       "standard input");
		goto out;
	}
	if (o.ntrust && !assign_mode) {
		rc = usage_err("check", "check: --trust-ats goes with the assignment (--assign, "
			       "--config)");
		goto out;
	}
	if (emit && !assign_mode) {
		rc = usage_err("check", "check: --emit-config-acs needs the assignment (--assign, "
			       "--config)");
		goto out;
	}
	if (config) {
		ret = owners_load(config, &o, &nbad);
		if (ret) {
			if (nbad)
				err_msg("%s: %u bad line%s: nothing checked", config, nbad,
					nbad == 1 ? "" : "s");
			goto out;
		}
	}
	if (owners_dups(config ? config : "check", &o))
		goto out;
	ret = engine_init(&e, &src);
	if (ret)
		goto out;
	engine_trust(&e, &o);
	/* the boot policy: --cmdline, or the sysfs tree's own (none for a dump) */
	ret = bootctx_check(&bc, src.cmdline, src.lspci ? NULL : src.root, &e.topo);
	if (ret)
		goto out;
	if (assign_mode) {
		ret = assign_compute(&e, &o, &ar);
		if (!ret && emit) {
			ret = emit_config_acs(&e, &ar, &bc);
		} else if (!ret) {
			bootctx_verdicts(&bc, ar.v, ar.n);
			assign_print(&ar);
			ret = ar.n > ar.nwaived ? 1 : 0;
		}
	} else {
		ret = units_compute(&e, &ur);
		for (i = 0; !ret && i < (int)ur.nfix; i++)
			ur.fix[i].boot = bootctx_note(&bc, ur.fix[i].at);
		if (!ret) {
			if (e.topo.dump)
				warn_msg("%s: lspci does not show the kernel's reset methods: every device taken as without one (a bus reset where it is alone below a bridge)",
					 e.topo.dump);
			units_print(&ur);
			ret = ur.isolated ? 0 : 1;
		}
	}
	out_end();
	if (ret < 0) {
		if (ret == -ENOMEM)
			err_msg("out of memory");
		goto out;
	}
	rc = ret;
out:
	assign_free(&ar);
	units_free(&ur);
	bootctx_free(&bc);
	engine_free(&e);
	owners_free(&o);
	return rc;
}
