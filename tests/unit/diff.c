// SPDX-License-Identifier: GPL-2.0
/*
 * diff.c - differential test: the engine against the naive reference
 * model (tests/ref/naive.c) on P2PF_COUNT (default 1000) random seeded
 * topologies (tests/ref/topogen.c). The base seed is printed; P2PF_SEED
 * replays a run. On a mismatch the topology is shrunk (leaves removed, owners
 * cleared, while the mismatch persists) and dumped as a reproduction.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "fence_model.h"
#include "naive.h"
#include "topogen.h"
#include "diffcheck.h"

#define MAX_NODES	160	/* P2PF_NODES overrides */
#define ASSIGNS		4

static unsigned int tap_n, tap_bad;

static void tap(int ok, const char *desc)
{
	tap_n++;
	tap_bad += !ok;
	printf("%sok %u - %s\n", ok ? "" : "not ", tap_n, desc);
	fflush(stdout);
}

/* drop node @k (a leaf) from @t */
static void drop(struct tg_topo *t, u32 k)
{
	u32 i;

	for (i = k; i + 1 < t->n; i++) {
		t->nodes[i] = t->nodes[i + 1];
		t->owner[i] = t->owner[i + 1];
	}
	t->n--;
	for (i = 0; i < t->n; i++) {
		if (t->nodes[i].parent > (s32)k)
			t->nodes[i].parent--;
		if (t->nodes[i].dma_dev == k + 1)	/* its VMD endpoint went */
			t->nodes[i].dma_dev = 0;
		else if (t->nodes[i].dma_dev > k + 1)
			t->nodes[i].dma_dev--;
	}
}

static int is_leaf(const struct tg_topo *t, u32 k)
{
	u32 i;

	for (i = 0; i < t->n; i++)
		if (t->nodes[i].parent == (s32)k)
			return 0;
	return 1;
}

static int fails(const struct tg_topo *t)
{
	char why[256];

	return t->n > 0 && dc_audit(t->nodes, t->n, t->owner, TG_POL(t), NULL,
				    why, sizeof(why)) == 1;
}

/* greedy shrink: fewer nodes, fewer tenants, same disagreement */
static void shrink(struct tg_topo *t)
{
	struct fm_node *bn = malloc(sizeof(*bn) * t->cap);
	u32 *bo = malloc(sizeof(*bo) * t->cap);
	int progress = 1;
	u32 k, bnn;

	if (!bn || !bo)
		goto out;
	while (progress) {
		progress = 0;
		for (k = t->n; k-- > 0; ) {
			if (t->n <= 1 || k >= t->n || !is_leaf(t, k))
				continue;
			memcpy(bn, t->nodes, sizeof(*bn) * t->n);
			memcpy(bo, t->owner, sizeof(*bo) * t->n);
			bnn = t->n;
			drop(t, k);
			if (fails(t)) {
				progress = 1;
				continue;
			}
			memcpy(t->nodes, bn, sizeof(*bn) * bnn);
			memcpy(t->owner, bo, sizeof(*bo) * bnn);
			t->n = bnn;
		}
		for (k = 0; k < t->n; k++) {
			u32 own = t->owner[k];

			if (!own)
				continue;
			t->owner[k] = 0;
			if (fails(t))
				progress = 1;
			else
				t->owner[k] = own;
		}
	}
out:
	free(bn);
	free(bo);
}

static void dump(const struct tg_topo *t, const char *why)
{
	char line[200];
	u32 i;

	printf("#   %s\n#   topology (%u nodes, allow_ats=%d, ATS tenants:", why, t->n, t->allow_ats);
	for (i = 0; i < t->n_ats_tenants; i++)
		printf(" %u", t->ats_tenants[i]);
	printf("):\n");
	for (i = 0; i < t->n; i++) {
		tg_node_str(t, i, line, sizeof(line));
		printf("#     %s\n", line);
	}
}

int main(void)
{
	const char *es = getenv("P2PF_SEED"), *ec = getenv("P2PF_COUNT");
	unsigned long long seed = es ? strtoull(es, NULL, 0) :
		((unsigned long long)time(NULL) << 16) ^ (unsigned long long)getpid();
	unsigned int count = ec ? (unsigned int)strtoul(ec, NULL, 0) : 1000;
	const char *en = getenv("P2PF_NODES");
	unsigned int maxn = en ? (unsigned int)strtoul(en, NULL, 0) : MAX_NODES;
	unsigned int i, bad_audit = 0, bad_assign = 0, reported = 0;
	struct dc_stats st = { 0 };
	struct tg_topo t, u;
	char why[256], desc[200];
	struct timespec t0, t1;

	printf("# differential test: %u topologies, seed %llu (replay: P2PF_SEED=%llu)\n",
	       count, seed, seed);
	if (maxn < 8 || tg_alloc(&t, maxn) || tg_alloc(&u, maxn))
		return 2;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (i = 0; i < count; i++) {
		unsigned long long s = seed + i;
		struct tg_rng r;
		int ret, a;

		t.cap = maxn;
		tg_random(&t, s);
		ret = dc_audit(t.nodes, t.n, t.owner, TG_POL(&t), &st, why, sizeof(why));
		if (ret) {
			bad_audit++;
			if (reported++ < 3) {
				printf("# MISMATCH (audit) at topology seed %llu: %s\n", s, why);
				dump(&t, "as generated");
				u.n = t.n;
				u.allow_ats = t.allow_ats;
				u.n_ats_tenants = t.n_ats_tenants;
				memcpy(u.ats_tenants, t.ats_tenants, sizeof(u.ats_tenants));
				memcpy(u.nodes, t.nodes, sizeof(*t.nodes) * t.n);
				memcpy(u.owner, t.owner, sizeof(*t.owner) * t.n);
				shrink(&u);
				dc_audit(u.nodes, u.n, u.owner, TG_POL(&u), NULL, why, sizeof(why));
				dump(&u, "shrunk to a minimal reproduction:");
				printf("#   %s\n", why);
			}
		}
		tg_seed(&r, s ^ 0xa55a5aa5ull);
		for (a = 0; a < ASSIGNS; a++) {
			u32 k = tg_below(&r, t.n), tenant;

			if (!nv_is_device(t.nodes[k].type))
				continue;
			tenant = t.owner[k] ? t.owner[k] : 1 + tg_below(&r, 6);
			ret = dc_assign(t.nodes, t.n, t.owner, TG_POL(&t), k, tenant, &st,
					why, sizeof(why));
			if (ret) {
				bad_assign++;
				if (reported++ < 3) {
					char line[64];

					snprintf(line, sizeof(line), "assign [%u] to tenant %u", k, tenant);
					printf("# MISMATCH (check_assign) at topology seed %llu: %s\n", s, why);
					dump(&t, line);
				}
			}
		}
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	snprintf(desc, sizeof(desc),
		 "diff: fm_audit == naive (verdicts, peers, need) on %u topologies (%u verdicts, %u nodes needing bits; seed %llu)",
		 count, st.verdicts, st.needs, seed);
	tap(!bad_audit, desc);
	snprintf(desc, sizeof(desc),
		 "diff: fm_check_assign == naive == fm_audit(would-be) on %u assignments (seed %llu)",
		 st.assigns, seed);
	tap(!bad_assign, desc);
	/* the benchmark's realistic hosts, too */
	{
		static const unsigned int eps[] = { 64, 512 };
		unsigned int e, bad = 0;
		struct tg_topo h;

		for (e = 0; e < 2; e++) {
			if (tg_alloc(&h, tg_host_nodes(eps[e])))
				return 2;
			tg_host(&h, eps[e], 4 + 4 * e, seed + e);
			if (dc_audit(h.nodes, h.n, h.owner, TG_POL(&h), NULL, why, sizeof(why))) {
				printf("# host of %u endpoints: %s\n", eps[e], why);
				bad++;
			}
			tg_free(&h);
		}
		tap(!bad, "diff: fm_audit == naive on realistic hosts of 64 and 512 endpoints");
	}
	printf("# verdicts by kind:");
	for (i = 1; i <= FM_KIND_MAX; i++)
		printf(" %s=%u", fm_kind_name(i), st.kinds[i]);
	printf("\n");
	printf("1..%u\n# %u audit and %u assign mismatches; %.2f s\n", tap_n, bad_audit,
	       bad_assign, (t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9);
	tg_free(&t);
	tg_free(&u);
	return tap_bad ? 1 : 0;
}
