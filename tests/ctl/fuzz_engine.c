// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target: the engine `check` links (kmod/fence_model.c) against
 * the one naive reference model (tests/ref/naive.c, through
 * tests/ref/diffcheck.c: the same comparison the unit and KUnit
 * differential tests make). The input chooses a topology, its registers,
 * IOMMU groups, requester ids (dma_dev: behind a VMD), 32-bit domains and
 * owners; fm_audit() and fm_check_assign() of every host
 * device must agree with the naive walk on every verdict, every peer must
 * be a real witness, and the needs must match.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fence_model.h"
#include "diffcheck.h"

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

static void fail(const char *what, const char *why, u32 n)
{
	fprintf(stderr, "mismatch: %s (%u nodes): %s\n", what, n, why);
	abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct fm_node nodes[MAXN];
	static u32 owner[MAXN];
	struct dc_stats st = { 0 };
	struct in in = { data, size };
	struct fm_policy pol = { 0 };
	u32 trusted;
	char why[256];
	u32 i, n;
	int par, ret;

	n = 1 + take(&in) % MAXN;
	pol.allow_ats = take(&in) & 1;
	/* or ATS trusted for tenant 1 or 2 only (the GPUDirect opt-in) */
	trusted = 1 + (take(&in) & 1);
	if (!pol.allow_ats && (take(&in) & 1)) {
		pol.ats_tenants = &trusted;
		pol.n_ats_tenants = 1;
	}
	memset(nodes, 0, sizeof(nodes));
	for (i = 0; i < n; i++) {
		struct fm_node *x = &nodes[i];

		par = (int)(take(&in) % (i + 1)) - 1;
		x->type = (u8)(take(&in) % FM_TYPE_MAX);
		if (par >= 0 && (!fm_is_fabric(nodes[par].type) || nodes[par].type == FM_HOST_BRIDGE))
			par = -1;
		x->parent = par;
		/*
		 * root nodes on bus 0 or 1 of domain 0, or bus 0 of domain 1
		 * or 10001 (the low 16 bits of 1); children on their parent's
		 * bus, in its domain
		 */
		if (par >= 0) {
			x->id = FM_ID(FM_ID_DOMAIN(nodes[par].id), 2 + par, i);
		} else {
			unsigned int r = take(&in) & 3;

			x->id = FM_ID(r == 2 ? 1 : r == 3 ? 0x10001 : 0, r & 1, i);
		}
		x->flags = (u8)(take(&in) & FM_NODE_ALL);
		x->domain = (u8)(take(&in) % 3);
		x->acs_cap = (u16)(take(&in) & 0x7f);
		x->acs_ctrl = (u16)(take(&in) & 0x7f);
		x->group = (s32)(take(&in) % 5) - 1;
		owner[i] = fm_is_fabric(x->type) ? 0 : take(&in) % 3;
	}
	/* behind a VMD: a device whose DMA carries an earlier device's requester id */
	for (i = 1; i < n; i++) {
		unsigned int r = take(&in), j = (r >> 1) % i;

		if ((r & 1) && !fm_is_fabric(nodes[i].type) && !fm_is_fabric(nodes[j].type) &&
		    !nodes[j].dma_dev)
			nodes[i].dma_dev = j + 1;
	}
	ret = dc_audit(nodes, n, owner, &pol, &st, why, sizeof(why));
	if (ret < 0)
		return 0;	/* out of memory: not the engine's fault */
	if (ret)
		fail("fm_audit vs the naive model", why, n);
	/* fm_check_assign of each host device to tenant 1 or 2 */
	for (i = 0; i < n; i++) {
		if (owner[i] || fm_is_fabric(nodes[i].type))
			continue;
		ret = dc_assign(nodes, n, owner, &pol, (s32)i, 1 + (i & 1), &st,
				why, sizeof(why));
		if (ret > 0)
			fail("fm_check_assign vs the naive model", why, n);
	}
	return 0;
}
