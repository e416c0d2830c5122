// SPDX-License-Identifier: GPL-2.0
/*
 * fm_case.c - arrange and assert helpers for the engine case tables.
 */
#include "ref_compat.h"
#include "naive.h"
#include "fm_case.h"

s32 fmc_index(const struct fm_case *c, u64 id)
{
	u32 i;

	for (i = 0; i < c->n_nodes; i++)
		if (c->nodes[i].id == id)
			return i;
	return -1;
}

int fmc_build(const struct fm_case *c, struct fm_node *nodes, u32 *owner)
{
	u32 i;

	for (i = 0; i < c->n_nodes; i++) {
		const struct fmc_node *cn = &c->nodes[i];
		struct fm_node *nd = &nodes[i];

		memset(nd, 0, sizeof(*nd));
		nd->id = cn->id;
		nd->parent = cn->parent == FMC_ROOT ? -1 : fmc_index(c, cn->parent);
		if (cn->parent != FMC_ROOT && nd->parent < 0)
			return -EINVAL;
		nd->type = cn->type;
		nd->flags = cn->flags;
		nd->acs_cap = cn->cap;
		nd->acs_ctrl = cn->ctrl;
		nd->group = cn->group == FMC_OWN_GROUP ? 1000 + (s32)i : cn->group;
		nd->domain = cn->domain;
		if (cn->dma) {
			s32 x = fmc_index(c, cn->dma);

			if (x < 0)
				return -EINVAL;
			nd->dma_dev = (u32)x + 1;
		}
		if (nd->group >= 0 && nd->domain == FM_DOM_UNKNOWN)
			nd->domain = c->identity ? FM_DOM_IDENTITY : FM_DOM_DMA;
		owner[i] = 0;
	}
	for (i = 0; i < c->n_owners; i++) {
		s32 x = fmc_index(c, c->owners[i].id);

		if (x < 0)
			return -EINVAL;
		owner[x] = c->owners[i].tenant;
	}
	return 0;
}

char *fmc_bdf(u64 id, char *buf)
{
	ref_snprintf(buf, 18, "%04x:%02x:%02x.%u", FM_ID_DOMAIN(id),
		     FM_ID_BUS(id), FM_ID_SLOT(id), FM_ID_FUNC(id));
	return buf;
}

static const char *fmc_kind(unsigned int kind)
{
	const char *s = fm_kind_name(kind);

	return s ? s : "?";
}

static void fmc_say(fmc_report_t report, void *ctx, const char *what,
		    unsigned int kind, u64 dev, u64 at, u16 missing, const char *tail)
{
	char msg[168], b1[18], b2[18], bits[32];

	fm_acs_bits_str(missing, bits, sizeof(bits));
	ref_snprintf(msg, sizeof(msg), "%s: %s dev %s at %s missing [%s]%s", what,
		     fmc_kind(kind), fmc_bdf(dev, b1), fmc_bdf(at, b2), bits, tail);
	report(ctx, msg);
}

u32 fmc_compare(const struct fm_case *c, const struct fm_node *nodes,
		const u32 *owner, const struct fm_verdict *v, u32 nv,
		const u16 *need, fmc_report_t report, void *ctx)
{
	struct fm_policy pol = { .allow_ats = c->allow_ats,
				  .n_ats_tenants = c->n_ats_tenants,
				  .ats_tenants = c->ats_tenants };
	u32 i, j, bad = 0;
	char msg[168], b1[18], bits[32], bits2[32];

	for (i = 0; i < c->n_verdicts; i++) {
		const struct fmc_verdict *e = &c->verdicts[i];
		u32 seen = 0;

		for (j = 0; j < nv; j++)
			if (v[j].kind == e->kind && v[j].missing == e->missing &&
			    v[j].flags == e->flags && v[j].dev >= 0 && v[j].at >= 0 &&
			    nodes[v[j].dev].id == e->dev && nodes[v[j].at].id == e->at)
				seen++;
		if (seen != 1) {
			fmc_say(report, ctx,
				seen ? "reported more than once" : "expected, not reported",
				e->kind, e->dev, e->at, e->missing, "");
			bad++;
		}
	}
	for (j = 0; j < nv; j++) {
		struct nv_verdict x = {
			.kind = v[j].kind, .missing = v[j].missing,
			.dev = v[j].dev, .at = v[j].at,
		};
		bool expected = false;

		if (v[j].dev < 0 || (u32)v[j].dev >= c->n_nodes ||
		    v[j].at < 0 || (u32)v[j].at >= c->n_nodes) {
			report(ctx, "verdict names a node out of range");
			bad++;
			continue;
		}
		for (i = 0; i < c->n_verdicts; i++) {
			const struct fmc_verdict *e = &c->verdicts[i];

			if (v[j].kind == e->kind && v[j].missing == e->missing &&
			    v[j].flags == e->flags &&
			    nodes[v[j].dev].id == e->dev && nodes[v[j].at].id == e->at)
				expected = true;
		}
		if (!expected) {
			fmc_say(report, ctx, "unexpected", v[j].kind, nodes[v[j].dev].id,
				nodes[v[j].at].id, v[j].missing, "");
			bad++;
		} else if (!nv_peer_ok(nodes, c->n_nodes, owner, &pol, &x, v[j].peer)) {
			char tail[40];

			ref_snprintf(tail, sizeof(tail), " with invalid peer %s",
				     v[j].peer >= 0 && (u32)v[j].peer < c->n_nodes ?
				     fmc_bdf(nodes[v[j].peer].id, b1) : "(none)");
			fmc_say(report, ctx, "peer", v[j].kind, nodes[v[j].dev].id,
				nodes[v[j].at].id, v[j].missing, tail);
			bad++;
		}
	}
	for (i = 0; i < c->n_nodes; i++) {
		u16 want = 0;

		for (j = 0; j < c->n_need; j++)
			if (c->need[j].id == nodes[i].id)
				want |= c->need[j].bits;
		if (need[i] != want) {
			fm_acs_bits_str(need[i], bits, sizeof(bits));
			fm_acs_bits_str(want, bits2, sizeof(bits2));
			ref_snprintf(msg, sizeof(msg), "need at %s: [%s], expected [%s]",
				     fmc_bdf(nodes[i].id, b1), bits, bits2);
			report(ctx, msg);
			bad++;
		}
	}
	return bad;
}
