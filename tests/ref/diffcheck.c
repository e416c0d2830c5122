// SPDX-License-Identifier: GPL-2.0
/*
 * diffcheck.c - compare the engine with the naive reference model.
 */
#include "ref_compat.h"
#include "naive.h"
#include "diffcheck.h"

struct dc_bufs {
	void *mem;
	struct fm_ctx *ctx;
	struct fm_verdict *ev;	/* engine */
	struct nv_verdict *es;	/* engine, as nv_verdict, sorted */
	struct nv_verdict *nv;	/* naive */
	u16 *eneed, *nneed;
	u32 cap;
};

static void dc_free(struct dc_bufs *b)
{
	ref_free(b->mem);
	ref_free(b->ev);
	ref_free(b->es);
	ref_free(b->nv);
	ref_free(b->eneed);
	ref_free(b->nneed);
}

/* the buffers, the engine on @nodes, and @owner installed in it */
static int dc_setup(struct dc_bufs *b, const struct fm_node *nodes, u32 n,
		    const u32 *owner, char *why, size_t len)
{
	size_t sz = fm_ctx_size(n);
	int err = 0;

	memset(b, 0, sizeof(*b));
	/* each device: at most depth + 4 verdicts; depth < n */
	b->cap = 64 + 8 * n;
	b->mem = ref_zalloc(sz);
	b->ev = ref_zalloc(sizeof(*b->ev) * b->cap);
	b->es = ref_zalloc(sizeof(*b->es) * b->cap);
	b->nv = ref_zalloc(sizeof(*b->nv) * b->cap);
	b->eneed = ref_zalloc(sizeof(u16) * n);
	b->nneed = ref_zalloc(sizeof(u16) * n);
	if (!sz || !b->mem || !b->ev || !b->es || !b->nv || !b->eneed || !b->nneed) {
		dc_free(b);
		return -ENOMEM;
	}
	b->ctx = fm_init(b->mem, sz, nodes, n, &err);
	if (!b->ctx) {
		ref_snprintf(why, len, "fm_init rejected a valid topology: %d", err);
		dc_free(b);
		return 1;
	}
	err = fm_set_owners(b->ctx, owner);
	if (err) {
		ref_snprintf(why, len, "fm_set_owners rejected a valid table: %d", err);
		dc_free(b);
		return 1;
	}
	return 0;
}

static const char *dc_kind(unsigned int k)
{
	const char *s = fm_kind_name(k);

	return s ? s : "?";
}

static int dc_describe(char *why, size_t len, const char *what,
		       const struct fm_node *nodes, const struct nv_verdict *x)
{
	char bits[32];

	fm_acs_bits_str(x->missing, bits, sizeof(bits));
	ref_snprintf(why, len,
		     "%s: %s dev [%d] %04x:%02x:%02x.%u at [%d] %04x:%02x:%02x.%u missing [%s]",
		     what, dc_kind(x->kind), x->dev,
		     FM_ID_DOMAIN(nodes[x->dev].id), FM_ID_BUS(nodes[x->dev].id),
		     FM_ID_SLOT(nodes[x->dev].id), FM_ID_FUNC(nodes[x->dev].id), x->at,
		     FM_ID_DOMAIN(nodes[x->at].id), FM_ID_BUS(nodes[x->at].id),
		     FM_ID_SLOT(nodes[x->at].id), FM_ID_FUNC(nodes[x->at].id), bits);
	return 1;
}

/*
 * Engine verdicts (@ev, @ne) against the naive's sorted list (@nvs, @nn):
 * exact set equality, no duplicate, valid peers under @owner.
 */
static int dc_compare(const struct fm_node *nodes, u32 n, const u32 *owner,
		      const struct fm_policy *pol, struct fm_verdict *ev, u32 ne, struct nv_verdict *es,
		      const struct nv_verdict *nvs, u32 nn, const char *who,
		      char *why, size_t len)
{
	u32 i, j;
	char what[64];

	for (i = 0; i < ne; i++) {
		if (ev[i].dev < 0 || (u32)ev[i].dev >= n || ev[i].at < 0 ||
		    (u32)ev[i].at >= n || ev[i].peer < -1 || ev[i].peer >= (s32)n) {
			ref_snprintf(why, len, "%s: verdict %u names a node out of range", who, i);
			return 1;
		}
		es[i].kind = ev[i].kind;
		es[i].missing = ev[i].missing;
		es[i].dev = ev[i].dev;
		es[i].at = ev[i].at;
	}
	nv_sort(es, ne);
	for (i = 1; i < ne; i++)
		if (!nv_cmp(&es[i - 1], &es[i])) {
			ref_snprintf(what, sizeof(what), "%s reported twice", who);
			return dc_describe(why, len, what, nodes, &es[i]);
		}
	for (i = 0, j = 0; i < ne || j < nn; ) {
		int c = i >= ne ? 1 : j >= nn ? -1 : nv_cmp(&es[i], &nvs[j]);

		if (c < 0) {
			ref_snprintf(what, sizeof(what), "%s only", who);
			return dc_describe(why, len, what, nodes, &es[i]);
		}
		if (c > 0)
			return dc_describe(why, len, "naive only", nodes, &nvs[j]);
		i++;
		j++;
	}
	for (i = 0; i < ne; i++) {
		struct nv_verdict x = {
			.kind = ev[i].kind, .missing = ev[i].missing,
			.dev = ev[i].dev, .at = ev[i].at,
		};

		if (!nv_peer_ok(nodes, n, owner, pol, &x, ev[i].peer)) {
			ref_snprintf(what, sizeof(what), "%s: invalid peer [%d]", who, ev[i].peer);
			return dc_describe(why, len, what, nodes, &x);
		}
	}
	return 0;
}

static int dc_need(const struct fm_node *nodes, u32 n, const u16 *e, const u16 *nv,
		   const char *who, char *why, size_t len)
{
	u32 i;
	char b1[32], b2[32];

	for (i = 0; i < n; i++) {
		u16 want = nv[i];

		if (e[i] == want)
			continue;
		fm_acs_bits_str(e[i], b1, sizeof(b1));
		fm_acs_bits_str(want, b2, sizeof(b2));
		ref_snprintf(why, len, "%s: need at [%u] %04x:%02x:%02x.%u: engine [%s] naive [%s]",
			     who, i, FM_ID_DOMAIN(nodes[i].id), FM_ID_BUS(nodes[i].id),
			     FM_ID_SLOT(nodes[i].id), FM_ID_FUNC(nodes[i].id), b1, b2);
		return 1;
	}
	return 0;
}

/*
 * The naive model over @owner (@idx: that device's verdicts only, -1: all)
 * against the engine's verdicts @ev, @ne (labelled @who) and its need in
 * b->eneed (labelled @need_who). The naive's sorted list stays in b->nv,
 * its length in *@nn.
 */
static int dc_vs_naive(struct dc_bufs *b, const struct fm_node *nodes, u32 n,
		       const u32 *owner, const struct fm_policy *pol, s32 idx,
		       struct fm_verdict *ev, u32 ne, u32 *nn, const char *who,
		       const char *need_who, char *why, size_t len)
{
	int ret;

	ret = nv_audit(nodes, n, owner, pol, idx, b->nv, b->cap, nn, b->nneed);
	if (ret) {
		ref_snprintf(why, len, "naive: %d", ret);
		return 1;
	}
	ret = dc_compare(nodes, n, owner, pol, ev, ne, b->es, b->nv, *nn, who, why, len);
	if (!ret)
		ret = dc_need(nodes, n, b->eneed, b->nneed, need_who, why, len);
	return ret;
}

int dc_audit(const struct fm_node *nodes, u32 n, const u32 *owner,
	     const struct fm_policy *pol, struct dc_stats *st, char *why, size_t len)
{
	struct dc_bufs b;
	u32 ne = 0, nn = 0, i;
	int ret;

	ret = dc_setup(&b, nodes, n, owner, why, len);
	if (ret)
		return ret;
	ret = fm_audit(b.ctx, pol, b.ev, b.cap, &ne, b.eneed);
	if (ret || ne > b.cap) {
		ref_snprintf(why, len, "fm_audit: %d (%u verdicts)", ret, ne);
		ret = 1;
		goto out;
	}
	ret = dc_vs_naive(&b, nodes, n, owner, pol, -1, b.ev, ne, &nn, "engine", "audit",
			  why, len);
	if (st) {
		st->audits++;
		st->verdicts += ne;
		for (i = 0; i < ne; i++)
			if (b.ev[i].kind <= FM_KIND_MAX)
				st->kinds[b.ev[i].kind]++;
		for (i = 0; i < n; i++)
			st->needs += b.eneed[i] != 0;
	}
out:
	dc_free(&b);
	return ret;
}

int dc_assign(const struct fm_node *nodes, u32 n, const u32 *owner,
	      const struct fm_policy *pol, s32 idx, u32 tenant, struct dc_stats *st,
	      char *why, size_t len)
{
	struct dc_bufs b;
	struct fm_verdict *av = NULL;
	u32 *would = NULL;
	u32 na = 0, ne = 0, nn = 0, i, j;
	int ret;

	ret = dc_setup(&b, nodes, n, owner, why, len);
	if (ret)
		return ret;
	av = ref_zalloc(sizeof(*av) * b.cap);
	would = ref_zalloc(sizeof(*would) * n);
	if (!av || !would) {
		ret = -ENOMEM;
		goto out;
	}
	memcpy(would, owner, sizeof(*would) * n);
	would[idx] = tenant;
	ret = fm_check_assign(b.ctx, pol, idx, tenant, av, b.cap, &na, b.eneed);
	if (ret || na > b.cap) {
		ref_snprintf(why, len, "fm_check_assign([%d], %u): %d (%u verdicts)",
			     idx, tenant, ret, na);
		ret = 1;
		goto out;
	}
	for (i = 0; i < na; i++)
		if (av[i].dev != idx) {
			ref_snprintf(why, len, "fm_check_assign([%d]) reported device [%d]",
				     idx, av[i].dev);
			ret = 1;
			goto out;
		}
	/* (a) the naive model over the would-be table, this device only */
	ret = dc_vs_naive(&b, nodes, n, would, pol, idx, av, na, &nn, "check_assign",
			  "check_assign", why, len);
	if (ret)
		goto out;
	/* (b) the engine's own audit of the would-be table, restricted */
	ret = fm_set_owners(b.ctx, would);
	if (ret) {
		ref_snprintf(why, len, "fm_set_owners(would-be): %d", ret);
		ret = 1;
		goto out;
	}
	ret = fm_audit(b.ctx, pol, b.ev, b.cap, &ne, NULL);
	if (ret) {
		ref_snprintf(why, len, "fm_audit(would-be): %d", ret);
		ret = 1;
		goto out;
	}
	for (i = 0, j = 0; i < ne; i++)
		if (b.ev[i].dev == idx)
			b.ev[j++] = b.ev[i];
	/* b.nv still holds the naive's sorted list for idx: compare both to it */
	ret = dc_compare(nodes, n, would, pol, b.ev, j, b.es, b.nv, nn,
			 "audit(would-be)|dev", why, len);
	if (!ret && j != na) {
		ref_snprintf(why, len,
			     "check_assign gave %u verdicts, audit of the would-be table %u",
			     na, j);
		ret = 1;
	}
	if (st)
		st->assigns++;
out:
	ref_free(av);
	ref_free(would);
	dc_free(&b);
	return ret;
}
