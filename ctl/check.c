// SPDX-License-Identifier: GPL-2.0
/*
 * check.c - `p2pfencectl check`: the engine, offline, on a sysfs tree.
 *
 * With assignments (--assign, --config) it prints the verdicts the module
 * would give. Without, it answers "which devices can go to distinct
 * tenants": the smallest units that can be fenced from each other, the
 * devices that cannot be given to any tenant, and the ACS bits to set first.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cmds.h"
#include "fence_model.h"
#include "json.h"
#include "owners.h"
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
};

static int engine_init(struct engine *e, const char *root)
{
	size_t sz;
	int ret;

	memset(e, 0, sizeof(*e));
	ret = topo_read(root, &e->topo);
	if (ret)
		return ret;
	sz = fm_ctx_size(e->topo.n);
	e->mem = aligned_alloc(8, (sz + 7) & ~(size_t)7);
	e->need = calloc(e->topo.n, sizeof(*e->need));
	if (!e->mem || !e->need)
		return -ENOMEM;
	e->ctx = fm_init(e->mem, sz, e->topo.nodes, e->topo.n, &ret);
	if (!e->ctx) {
		err_msg("%s: the engine rejected the topology read from it (%s)", root,
			strerror(-ret));
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

/* fm_audit() into a buffer that grows as needed */
static int engine_audit(struct engine *e, const uint32_t *owner)
{
	struct fm_verdict *nv;
	int ret;

	ret = fm_set_owners(e->ctx, owner);
	if (ret)
		return ret;
	for (;;) {
		ret = fm_audit(e->ctx, NULL, e->v, e->cap, &e->nv, e->need);
		if (ret != -E2BIG)
			return ret;
		nv = realloc(e->v, (size_t)e->nv * sizeof(*nv));
		if (!nv)
			return -ENOMEM;
		e->v = nv;
		e->cap = e->nv;
	}
}

static void to_pf(const struct engine *e, const struct fm_verdict *fv, struct pf_verdict *v)
{
	const struct fm_node *nd = e->topo.nodes;

	v->kind = fv->kind;
	v->dev = nd[fv->dev].id;
	v->at = nd[fv->at].id;
	v->has_peer = fv->peer >= 0;
	v->peer = fv->peer >= 0 ? nd[fv->peer].id : 0;
	v->missing = fv->missing;
}

static int check_assign(struct engine *e, const struct owners *o)
{
	char d[DEV_STRLEN];
	struct pf_verdict pv;
	unsigned int bad = 0, fixable = 0;
	uint32_t *owner, i;
	size_t k;
	int ret;
	s32 idx;

	owner = calloc(e->topo.n, sizeof(*owner));
	if (!owner)
		return -ENOMEM;
	for (k = 0; k < o->n; k++) {
		idx = fm_find(e->ctx, o->v[k].id);
		if (idx < 0) {
			err_msg("%s: no such device under %s/bus/pci/devices",
				fmt_dev(o->v[k].id, d), e->topo.root);
			bad++;
		} else if (fm_is_fabric(e->topo.nodes[idx].type)) {
			err_msg("%s: a port or bridge: only devices can be assigned",
				fmt_dev(o->v[k].id, d));
			bad++;
		} else {
			owner[idx] = o->v[k].tenant;
		}
	}
	if (bad) {
		ret = -EINVAL;
		goto out;
	}
	ret = engine_audit(e, owner);
	if (ret) {
		err_msg("engine: %s", strerror(-ret));
		goto out;
	}
	out_obj_open(NULL);
	out_bool("isolated", NULL, e->nv == 0);
	out_arr_open("violations");
	for (i = 0; i < e->nv; i++) {
		to_pf(e, &e->v[i], &pv);
		verdict_print(&pv, true);
		fixable += fm_kind_fixable(pv.kind);
	}
	out_arr_close();
	out_obj_close();
	if (e->nv == 0)
		out_text("isolated: %zu device%s assigned, all fenced\n", o->n, o->n == 1 ? "" : "s");
	else
		out_text("not isolated: %u violation%s (%u fixable by the module)\n",
			 e->nv, e->nv == 1 ? "" : "s", fixable);
	ret = e->nv ? 1 : 0;
out:
	free(owner);
	return ret;
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
	uint32_t x = sort_nodes[*(const uint32_t *)a].id, y = sort_nodes[*(const uint32_t *)b].id;

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

/* no assignments: the smallest units that can be fenced from each other */
static int check_units(struct engine *e)
{
	const struct fm_node *nd = e->topo.nodes;
	uint32_t n = e->topo.n, i, j, r, nunits = 0, nna = 0, nfix = 0, ndev = 0;
	uint32_t *uf = NULL, *owner = NULL, *order = NULL, k, m;
	uint8_t *seen = NULL;
	uint8_t *na = NULL;		/* not assignable: the kind that says why */
	int32_t *via = NULL;		/* ... and the device whose verdict it was */
	char d[DEV_STRLEN], a[DEV_STRLEN], bs[32];
	bool changed, any_multi = false;
	int pass;
	int ret = -ENOMEM;

	uf = malloc(n * sizeof(*uf));
	order = malloc(n * sizeof(*order));
	seen = calloc(n, sizeof(*seen));
	owner = calloc(n, sizeof(*owner));
	na = calloc(n, sizeof(*na));
	via = malloc(n * sizeof(*via));
	if (!uf || !owner || !na || !via || !order || !seen)
		goto out;
	for (i = 0; i < n; i++) {
		uf[i] = i;
		via[i] = -1;
		ndev += !fm_is_fabric(nd[i].type);
	}
	do {
		changed = false;
		for (i = 0; i < n; i++)
			owner[i] = fm_is_fabric(nd[i].type) || na[i] ? 0 : uf_find(uf, i) + 1;
		ret = engine_audit(e, owner);
		if (ret)
			goto out;
		/* pass 0: a device that cannot be a tenant's at all; pass 1:
		 * what cannot be separated is one unit (or stays with the host) */
		for (pass = 0; pass < 2; pass++) {
			for (i = 0; i < e->nv; i++) {
				const struct fm_verdict *v = &e->v[i];
				uint32_t dv = (uint32_t)v->dev, ru = uf_find(uf, dv);

				if (na[dv] || fm_kind_fixable(v->kind) ||
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
					if (fm_is_fabric(nd[j].type) || na[j] || uf_find(uf, j) != ru)
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

	/* units in the order of their first device's address */
	for (i = 0; i < n; i++)
		order[i] = i;
	sort_nodes = nd;
	qsort(order, n, sizeof(*order), id_cmp);
	out_obj_open(NULL);
	out_arr_open("units");
	for (k = 0; k < n; k++) {
		uint32_t cnt = 0;

		i = uf_find(uf, order[k]);
		if (fm_is_fabric(nd[order[k]].type) || na[order[k]] || seen[i])
			continue;
		seen[i] = 1;
		nunits++;
		out_arr_open(NULL);
		out_text("unit %u:", nunits);
		for (m = 0; m < n; m++) {
			j = order[m];
			if (fm_is_fabric(nd[j].type) || na[j] || uf_find(uf, j) != i)
				continue;
			out_str(NULL, " %s", fmt_dev(nd[j].id, d));
			cnt++;
		}
		any_multi |= cnt > 1;
		out_text("\n");
		out_arr_close();
	}
	out_arr_close();
	out_arr_open("not_assignable");
	for (k = 0; k < n; k++) {
		i = order[k];
		if (!na[i])
			continue;
		nna++;
		out_obj_open(NULL);
		out_str("dev", "not assignable: %s", fmt_dev(nd[i].id, d));
		out_str("kind", " (%s", fm_kind_name(na[i]));
		if (via[i] >= 0 && (uint32_t)via[i] != i)
			out_str("tied_to", ": tied to %s", fmt_dev(nd[via[i]].id, a));
		else
			out_null("tied_to", NULL);
		out_text(")\n");
		out_obj_close();
	}
	out_arr_close();
	out_arr_open("fix");
	for (i = 0; i < e->nv; i++) {
		const struct fm_verdict *v = &e->v[i];

		if (!fm_kind_fixable(v->kind))
			continue;
		/* one line per port: OR the bits of its verdicts */
		for (j = 0; j < i; j++)
			if (e->v[j].at == v->at && fm_kind_fixable(e->v[j].kind))
				break;
		if (j < i)
			continue;
		{
			uint16_t bits = 0;

			for (j = i; j < e->nv; j++)
				if (e->v[j].at == v->at && fm_kind_fixable(e->v[j].kind))
					bits |= e->v[j].missing;
			nfix++;
			out_obj_open(NULL);
			out_str("at", "fix first: %s:", fmt_dev(nd[v->at].id, a));
			if (bits & ~FM_MUST_CLEAR)
				out_text(" set %s", fm_acs_bits_str(bits & ~FM_MUST_CLEAR, bs, sizeof(bs)));
			if (bits & FM_MUST_CLEAR)
				out_text(" clear %s", fm_acs_bits_str(bits & FM_MUST_CLEAR, bs, sizeof(bs)));
			if (out_json())
				acs_bits_print("missing", bits);
			out_str("kind", " (%s: fixable by the module at assign time)\n",
				fm_kind_name(v->kind));
			out_obj_close();
		}
	}
	out_arr_close();
	r = !any_multi && !nna && !nfix && ndev > 0;
	out_bool("isolated", NULL, r);
	out_obj_close();
	out_text("%u device%s: %u unit%s that can go to distinct tenants, %u not assignable, "
		 "%u port%s to fix\n", ndev, ndev == 1 ? "" : "s", nunits, nunits == 1 ? "" : "s",
		 nna, nfix, nfix == 1 ? "" : "s");
	ret = r ? 0 : 1;
out:
	free(uf);
	free(order);
	free(seen);
	free(owner);
	free(na);
	free(via);
	return ret;
}

int cmd_check(int argc, char **argv)
{
	const char *root = "/sys", *config = NULL;
	struct owners o = { 0 };
	struct engine e;
	char why[160];
	unsigned int nbad = 0;
	uint32_t id, tenant;
	char *eq, *arg, *val;
	int i, ret, rc = EXIT_USAGE;
	bool assign_mode = false;

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
		if (strcmp(arg, "--sysfs") && strcmp(arg, "--assign") && strcmp(arg, "--config")) {
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
		if (!strcmp(arg, "--sysfs")) {
			if (!*val) {
				rc = usage_err("check", "check: --sysfs needs a directory");
				goto out;
			}
			root = val;
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
			    parse_tenant(eq + 1, &tenant, why, sizeof(why))) {
				rc = usage_err("check", "check: --assign: %s", why);
				goto out;
			}
			if (owners_add(&o, id, tenant, 0)) {
				err_msg("out of memory");
				goto out;
			}
		}
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
	ret = engine_init(&e, root);
	if (ret)
		goto out;
	ret = assign_mode ? check_assign(&e, &o) : check_units(&e);
	out_end();
	if (ret < 0) {
		if (ret == -ENOMEM)
			err_msg("out of memory");
		goto out;
	}
	rc = ret;
out:
	engine_free(&e);
	owners_free(&o);
	return rc;
}
