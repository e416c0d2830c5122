// SPDX-License-Identifier: GPL-2.0
/*
 * cases.c - userspace run of the engine's case tables (kunit/fm_cases.h),
 * plus the API's rejections: fm_init() on bad topologies, fm_set_owners()
 * with an owner on fabric (nothing changes), fm_check_assign() misuse,
 * -E2BIG, fm_find() and the name helpers. TAP output; exit 1 on failure.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <errno.h>

#include "fence_model.h"
#include "naive.h"
#include "fm_cases.h"

static unsigned int tap_n, tap_bad;

static void tap(int ok, const char *fmt, const char *desc)
{
	tap_n++;
	if (!ok)
		tap_bad++;
	printf("%sok %u - ", ok ? "" : "not ", tap_n);
	printf(fmt, desc);
	putchar('\n');
	fflush(stdout);
}

static void report(void *ctx, const char *msg)
{
	(void)ctx;
	printf("#   %s\n", msg);
}

static struct fm_ctx *mkctx(const struct fm_node *nodes, unsigned int n, void **mem, int *err)
{
	size_t sz = fm_ctx_size(n ? n : 1);

	*mem = aligned_alloc(8, (sz + 7) & ~(size_t)7);
	if (!*mem)
		abort();
	return fm_init(*mem, sz, nodes, n, err);
}

/* one case: audit against the table; every tenant device re-checked through fm_check_assign */
static unsigned int run_case(const struct fm_case *c)
{
	struct fm_node *nodes = calloc(c->n_nodes, sizeof(*nodes));
	u32 *owner = calloc(c->n_nodes, sizeof(*owner));
	u16 *need = calloc(c->n_nodes, sizeof(*need));
	u16 *aneed = calloc(c->n_nodes, sizeof(*aneed));
	struct fm_verdict v[256], a[256];
	struct fm_policy pol = { .allow_ats = c->allow_ats,
				  .n_ats_tenants = c->n_ats_tenants,
				  .ats_tenants = c->ats_tenants };
	unsigned int bad = 0, i, j;
	u32 nv = 0, na;
	void *mem;
	struct fm_ctx *ctx;
	int err = 0;

	if (fmc_build(c, nodes, owner)) {
		printf("#   broken case table\n");
		return 1;
	}
	/* Arrange */
	ctx = mkctx(nodes, c->n_nodes, &mem, &err);
	if (!ctx) {
		printf("#   fm_init: %d\n", err);
		bad++;
		goto out;
	}
	if (fm_set_owners(ctx, owner)) {
		printf("#   fm_set_owners refused the table\n");
		bad++;
		goto out;
	}
	/* Act */
	err = fm_audit(ctx, &pol, v, 256, &nv, need);
	if (err) {
		printf("#   fm_audit: %d\n", err);
		bad++;
		goto out;
	}
	/* Assert */
	bad += fmc_compare(c, nodes, owner, v, nv, need, report, NULL);
	/* each tenant device again as a (re-)assignment: the same verdicts */
	for (i = 0; i < c->n_nodes; i++) {
		u32 n1 = 0, n2 = 0;

		if (!owner[i])
			continue;
		memset(aneed, 0, sizeof(u16) * c->n_nodes);
		err = fm_check_assign(ctx, &pol, i, owner[i], a, 256, &na, aneed);
		if (err) {
			printf("#   fm_check_assign(%u): %d\n", i, err);
			bad++;
			continue;
		}
		for (j = 0; j < nv; j++)
			n1 += v[j].dev == (s32)i;
		for (j = 0; j < na; j++) {
			u32 k;

			n2 += a[j].dev == (s32)i;
			for (k = 0; k < nv; k++)
				if (v[k].dev == a[j].dev && v[k].at == a[j].at &&
				    v[k].kind == a[j].kind && v[k].missing == a[j].missing)
					break;
			if (k == nv) {
				printf("#   fm_check_assign(%u) found a verdict fm_audit did not\n", i);
				bad++;
			}
		}
		if (n1 != n2 || n2 != na) {
			printf("#   fm_check_assign(%u): %u verdicts, audit %u\n", i, na, n1);
			bad++;
		}
		for (j = 0; j < c->n_nodes; j++)
			if (aneed[j] & ~need[j]) {
				printf("#   fm_check_assign(%u) needs bits at %u audit does not\n", i, j);
				bad++;
			}
	}
out:
	free(mem);
	free(nodes);
	free(owner);
	free(need);
	free(aneed);
	return bad;
}

/* a small valid topology to break in different ways */
static const struct fmc_node base[] = {
	HB(BDF(0, 0, 0)), RP_OFF(BDF(0, 1, 0)), USP(BDF(1, 0, 0), BDF(0, 1, 0)),
	DSP_NONE(BDF(2, 0, 0), BDF(1, 0, 0)), DSP_NONE(BDF(2, 1, 0), BDF(1, 0, 0)),
	EP(BDF(3, 0, 0), BDF(2, 0, 0)), EP(BDF(4, 0, 0), BDF(2, 1, 0)),
	RCIEP(BDF(0, 0x14, 0)),
};
#define NBASE FMC_N(base)
static const struct fm_case base_case = { "base", TOPO(base) };

static void init_rejects(void)
{
	struct fm_node nodes[NBASE], bad[NBASE];
	u32 owner[NBASE];
	struct { const char *desc; int idx; int field; s32 val; } muts[] = {
		{ "fm_init rejects a parent equal to the node", 5, 0, 5 },
		{ "fm_init rejects a parent after the node", 3, 0, 6 },
		{ "fm_init rejects a parent out of range", 5, 0, 100 },
		{ "fm_init rejects a negative parent other than -1", 5, 0, -2 },
		{ "fm_init rejects an endpoint as parent", 6, 0, 5 },
		{ "fm_init rejects an RCiEP as parent", 6, 0, 7 },
		{ "fm_init rejects a duplicate id", 6, 1, BDF(3, 0, 0) },
		{ "fm_init rejects an unknown type", 5, 2, FM_TYPE_MAX },
		{ "fm_init rejects an unknown flag (0x80)", 5, 3, 0x80 },
		{ "fm_init rejects flag bits 0x80 beside known ones", 1, 3, 0x80 | FM_NODE_ACS },
		{ "fm_init rejects a dma_dev out of range", 5, 4, 100 },
		{ "fm_init rejects a dma_dev naming the node itself", 5, 4, 6 },
		{ "fm_init rejects a dma_dev naming a port", 5, 4, 2 },
		{ "fm_init rejects a dma_dev naming a node that has one", 5, 5, 0 },
	};
	unsigned int i;
	void *mem;
	int err;

	fmc_build(&base_case, nodes, owner);
	err = 0;
	tap(mkctx(nodes, NBASE, &mem, &err) != NULL, "%s", "fm_init accepts the base topology");
	free(mem);
	for (i = 0; i < FMC_N(muts); i++) {
		struct fm_ctx *ctx;

		memcpy(bad, nodes, sizeof(nodes));
		switch (muts[i].field) {
		case 0: bad[muts[i].idx].parent = muts[i].val; break;
		case 1: bad[muts[i].idx].id = muts[i].val; break;
		case 2: bad[muts[i].idx].type = muts[i].val; break;
		case 3: bad[muts[i].idx].flags = muts[i].val; break;
		case 4: bad[muts[i].idx].dma_dev = muts[i].val; break;
		case 5: bad[muts[i].idx].dma_dev = 8; bad[7].dma_dev = 7; break;
		}
		err = 0;
		ctx = mkctx(bad, NBASE, &mem, &err);
		tap(!ctx && err == -EINVAL, "%s", muts[i].desc);
		free(mem);
	}
	/* 32-bit domains: 10000:03:00.0 is not 0000:03:00.0 */
	memcpy(bad, nodes, sizeof(nodes));
	bad[6].id = FM_ID(0x10000, 3, 0);
	bad[5].dma_dev = 8;	/* behind the RCiEP, as behind a VMD */
	err = 0;
	{
		struct fm_ctx *ctx = mkctx(bad, NBASE, &mem, &err);

		tap(ctx && fm_find(ctx, FM_ID(0x10000, 3, 0)) == 6 &&
		    fm_find(ctx, BDF(3, 0, 0)) == 5 && fm_find(ctx, FM_ID(0x20000, 3, 0)) == -1,
		    "%s", "fm_init accepts domains 0000 and 10000 and a dma_dev; fm_find tells them apart");
	}
	free(mem);
	err = 0;
	tap(!mkctx(nodes, 0, &mem, &err) && err == -EINVAL, "%s", "fm_init rejects n == 0");
	free(mem);
	{
		size_t sz = fm_ctx_size(NBASE);
		void *m = aligned_alloc(8, (sz + 7) & ~(size_t)7);

		err = 0;
		tap(!fm_init(m, sz - 1, nodes, NBASE, &err) && err, "%s",
		    "fm_init rejects too little memory");
		err = 0;
		tap(!fm_init(m, sz, nodes, FM_MAX_NODES + 1, &err) && err == -EINVAL, "%s",
		    "fm_init rejects n > FM_MAX_NODES");
		free(m);
	}
}

static void owner_rejects(void)
{
	struct fm_node nodes[NBASE];
	u32 owner[NBASE], bad[NBASE];
	struct fm_verdict v1[64], v2[64];
	u32 n1, n2, i, k;
	void *mem;
	int err = 0;
	struct fm_ctx *ctx;
	struct fm_policy pol = { 0 };

	fmc_build(&base_case, nodes, owner);
	ctx = mkctx(nodes, NBASE, &mem, &err);
	if (!ctx) {
		tap(0, "%s", "owner tests: fm_init");
		return;
	}
	owner[5] = 1;
	owner[7] = 2;
	tap(fm_set_owners(ctx, owner) == 0, "%s", "fm_set_owners accepts tenants on devices");
	fm_audit(ctx, &pol, v1, 64, &n1, NULL);
	for (k = 0; k < 5; k++) {
		static const char *const what[] = {
			"fm_set_owners rejects an owner on a host bridge",
			"fm_set_owners rejects an owner on a root port",
			"fm_set_owners rejects an owner on a switch upstream port",
			"fm_set_owners rejects an owner on a switch downstream port",
			"fm_set_owners rejects an owner on a downstream port (2)",
		};
		int ok;

		memcpy(bad, owner, sizeof(bad));
		bad[k] = 3;
		bad[6] = 4;	/* a valid change alongside must not land either */
		ok = fm_set_owners(ctx, bad) == -EINVAL;
		for (i = 0; i < NBASE; i++)
			ok &= fm_owner(ctx, i) == owner[i];
		fm_audit(ctx, &pol, v2, 64, &n2, NULL);
		ok &= n1 == n2 && !memcmp(v1, v2, n1 * sizeof(v1[0]));
		tap(ok, "%s (nothing changes)", what[k]);
	}
	/* fm_check_assign misuse */
	n1 = 0;
	tap(fm_check_assign(ctx, &pol, 1, 1, v1, 64, &n1, NULL) == -EINVAL, "%s",
	    "fm_check_assign rejects a root port");
	tap(fm_check_assign(ctx, &pol, 0, 1, v1, 64, &n1, NULL) == -EINVAL, "%s",
	    "fm_check_assign rejects a host bridge");
	tap(fm_check_assign(ctx, &pol, 6, 0, v1, 64, &n1, NULL) == -EINVAL, "%s",
	    "fm_check_assign rejects tenant 0");
	tap(fm_check_assign(ctx, &pol, 5, 2, v1, 64, &n1, NULL) == -EINVAL, "%s",
	    "fm_check_assign rejects a device of another tenant");
	tap(fm_check_assign(ctx, &pol, 5, 1, v1, 64, &n1, NULL) == 0, "%s",
	    "fm_check_assign accepts a device already the tenant's");
	/* -E2BIG: counted, first cap stored */
	fm_audit(ctx, &pol, v1, 64, &n1, NULL);
	n2 = 0;
	err = fm_audit(ctx, &pol, v2, 1, &n2, NULL);
	tap(n1 >= 2 && err == -E2BIG && n2 == n1 && !memcmp(v2, v1, sizeof(v1[0])), "%s",
	    "fm_audit returns -E2BIG, the full count and the first cap verdicts");
	n2 = 0;
	tap(fm_check_assign(ctx, &pol, 6, 1, v2, 0, &n2, NULL) == -E2BIG && n2 > 0, "%s",
	    "fm_check_assign returns -E2BIG with cap 0");
	/* fm_find */
	k = 1;
	for (i = 0; i < NBASE; i++)
		k &= fm_find(ctx, nodes[i].id) == (s32)i;
	k &= fm_find(ctx, BDF(9, 9, 1)) == -1;
	tap(k, "%s", "fm_find finds every id and only those");
	free(mem);
}

static void names(void)
{
	static const char *const want[] = {
		NULL, "acs-disabled", "acs-missing", "acs-faked", "shared-iommu-group",
		"no-iommu", "identity-domain", "conventional-bridge",
		"multifunction-no-acs", "ats-enabled", "no-reset", NULL,
	};
	char buf[32];
	unsigned int k, ok = 1;

	for (k = 0; k < FMC_N(want); k++) {
		const char *s = fm_kind_name(k);

		ok &= want[k] ? s && !strcmp(s, want[k]) : !s;
		ok &= fm_kind_fixable(k) == (k == FM_ACS_DISABLED);
	}
	tap(ok, "%s", "fm_kind_name / fm_kind_fixable: the design's names, only acs-disabled fixable");
	tap(!strcmp(fm_acs_bits_str(FM_NEED_PORT | PCI_ACS_DT | PCI_ACS_EC, buf, sizeof(buf)),
		    "SV RR CR UF DT EC"), "%s", "fm_acs_bits_str: SV RR CR UF DT EC");
	tap(!strcmp(fm_acs_bits_str(FM_NEED_FUNC, buf, sizeof(buf)), "RR CR"), "%s",
	    "fm_acs_bits_str: RR CR");
	ok = 1;
	for (k = 0; k < FM_TYPE_MAX; k++)
		ok &= fm_is_fabric(k) == (k != FM_ENDPOINT && k != FM_RC_ENDPOINT);
	tap(ok, "%s", "fm_is_fabric: everything but endpoints and RCiEPs");
}

/*
 * fm_infer_kisol(): the IOMMU groups as evidence that the kernel believed a
 * node isolated. A root port without ACS whose device sits in a group of its
 * own was trusted (quirk/override); a function pair without ACS split into
 * two groups likewise. Nodes sorted by (depth, id), as both callers do.
 */
static void kisol(void)
{
	/* root ports 00:02-04 (no ACS; ACS off; no ACS), 00:1f.0-2 (MF, no ACS),
	 * one device under each root port; groups as the comments of the
	 * assertions say */
	struct fm_node n[] = {
		{ FM_ID(0, 0, 0x10), -1, FM_ROOT_PORT, 0, FM_DOM_DMA, 0, 0, 0, 1, 0 },
		{ FM_ID(0, 0, 0x18), -1, FM_ROOT_PORT, FM_NODE_ACS, FM_DOM_DMA, 0, 0x5f, 0, 2, 0 },
		{ FM_ID(0, 0, 0x20), -1, FM_ROOT_PORT, 0, FM_DOM_DMA, 0, 0, 0, 3, 0 },
		{ FM_ID(0, 0, 0xf8), -1, FM_RC_ENDPOINT, FM_NODE_MF, FM_DOM_DMA, 0, 0, 0, 5, 0 },
		{ FM_ID(0, 0, 0xf9), -1, FM_RC_ENDPOINT, FM_NODE_MF, FM_DOM_DMA, 0, 0, 0, 6, 0 },
		{ FM_ID(0, 0, 0xfa), -1, FM_RC_ENDPOINT, FM_NODE_MF, FM_DOM_DMA, 0, 0, 0, 6, 0 },
		{ FM_ID(0, 1, 0x00), 0, FM_ENDPOINT, 0, FM_DOM_DMA, 0, 0, 0, 9, 0 },
		{ FM_ID(0, 2, 0x00), 1, FM_ENDPOINT, 0, FM_DOM_DMA, 0, 0, 0, 8, 0 },
		{ FM_ID(0, 3, 0x00), 2, FM_ENDPOINT, 0, FM_DOM_DMA, 0, 0, 0, 3, 0 },
	};
	u8 pcie[] = { 1, 1, 1, 0, 0, 0, 1, 1, 1 };

	fm_infer_kisol(n, FMC_N(n), pcie);
	tap(!!(n[0].flags & FM_NODE_KISOL), "%s",
	    "fm_infer_kisol: ACS-less root port whose device has a group of its own");
	tap(!!(n[1].flags & FM_NODE_KISOL), "%s",
	    "fm_infer_kisol: root port with ACS control off, device in its own group");
	tap(!(n[2].flags & FM_NODE_KISOL), "%s",
	    "fm_infer_kisol: ACS-less root port sharing its device's group: no evidence");
	tap(!!(n[3].flags & FM_NODE_KISOL) && !!(n[4].flags & FM_NODE_KISOL) &&
	    !!(n[5].flags & FM_NODE_KISOL), "%s",
	    "fm_infer_kisol: ACS-less functions of one slot split across groups");
	n[1].acs_ctrl = FM_NEED_PORT;
	n[1].flags &= ~FM_NODE_KISOL;
	fm_infer_kisol(n, FMC_N(n), pcie);
	tap(!(n[1].flags & FM_NODE_KISOL), "%s",
	    "fm_infer_kisol: a port whose registers say isolated is not 'believed'");
}

int main(void)
{
	unsigned int i;

	for (i = 0; i < FMC_N(fm_cases); i++)
		tap(run_case(&fm_cases[i]) == 0, "case: %s", fm_cases[i].desc);
	init_rejects();
	owner_rejects();
	names();
	kisol();
	printf("1..%u\n", tap_n);
	printf("# %u cases, %u checks, %u failed\n", (unsigned int)FMC_N(fm_cases), tap_n, tap_bad);
	return tap_bad ? 1 : 0;
}
