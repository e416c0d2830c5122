// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit suites for p2pfence's isolation engine (kmod/fence_model.c):
 *
 *  p2pfence_fence_model       the shared case tables (fm_cases.h), one
 *                             parameterised case each: Arrange, Act, Assert
 *  p2pfence_fence_model_diff  the engine against the naive pairwise model
 *                             (tests/ref/naive.c) on random topologies
 *
 * The differential suite logs its seed in suite_init; replay a run with the
 * kernel argument p2pfence_kunit.seed=N (scripts/kunit -- --kernel_args ...).
 */
#include <kunit/test.h>
#include <linux/module.h>
#include <linux/random.h>
#include <linux/string.h>

#include "fence_model.h"
#include "naive.h"
#include "topogen.h"
#include "diffcheck.h"
#include "fm_cases.h"
#include "fm_classify_cases.h"

#define FM_TEST_VCAP		256
#define FM_DIFF_MAX_NODES	100
#define FM_DIFF_ASSIGNS		2

static unsigned long long seed;
module_param(seed, ullong, 0444);
MODULE_PARM_DESC(seed, "differential test seed (0: random)");

static unsigned int diff_count = 200;
module_param(diff_count, uint, 0444);
MODULE_PARM_DESC(diff_count, "random topologies in the differential suite");

static void fm_case_desc(const struct fm_case *c, char *desc)
{
	strscpy(desc, c->desc, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(fm_case, fm_cases, fm_case_desc);

static void fm_report(void *ctx, const char *msg)
{
	struct kunit *test = ctx;

	KUNIT_FAIL(test, "%s", msg);
}

/*
 * Arrange, shared by both case suites: the case's nodes and owners, an
 * engine context over them with the owners set, and room for the audit's
 * verdicts and needs. Everything is test-managed memory.
 */
struct fmt_case {
	struct fm_node *nodes;
	u32 *owner;
	u16 *need;
	struct fm_verdict *v;
	struct fm_ctx *ctx;
};

static void fmt_case_setup(struct kunit *test, const struct fm_case *c,
			   struct fmt_case *f)
{
	size_t sz = fm_ctx_size(c->n_nodes);
	void *mem;
	int err = 0;

	f->nodes = kunit_kcalloc(test, c->n_nodes, sizeof(*f->nodes), GFP_KERNEL);
	f->owner = kunit_kcalloc(test, c->n_nodes, sizeof(*f->owner), GFP_KERNEL);
	f->need = kunit_kcalloc(test, c->n_nodes, sizeof(*f->need), GFP_KERNEL);
	f->v = kunit_kcalloc(test, FM_TEST_VCAP, sizeof(*f->v), GFP_KERNEL);
	mem = kunit_kzalloc(test, sz, GFP_KERNEL);
	KUNIT_ASSERT_TRUE(test, f->nodes && f->owner && f->need && f->v && mem);
	KUNIT_ASSERT_EQ_MSG(test, fmc_build(c, f->nodes, f->owner), 0, "broken case table");
	f->ctx = fm_init(mem, sz, f->nodes, c->n_nodes, &err);
	KUNIT_ASSERT_NOT_NULL_MSG(test, f->ctx, "fm_init: %d", err);
	KUNIT_ASSERT_EQ(test, fm_set_owners(f->ctx, f->owner), 0);
}

static void fm_case_test(struct kunit *test)
{
	const struct fm_case *c = test->param_value;
	struct fm_policy pol = { .allow_ats = c->allow_ats,
				  .n_ats_tenants = c->n_ats_tenants,
				  .ats_tenants = c->ats_tenants };
	struct fmt_case f;
	u32 nv = 0;
	int err;

	/* Arrange */
	fmt_case_setup(test, c, &f);

	/* Act */
	err = fm_audit(f.ctx, &pol, f.v, FM_TEST_VCAP, &nv, f.need);

	/* Assert */
	KUNIT_ASSERT_EQ(test, err, 0);
	KUNIT_EXPECT_EQ(test, nv, c->n_verdicts);
	fmc_compare(c, f.nodes, f.owner, f.v, nv, f.need, fm_report, test);
}

/*
 * The same case through fm_check_assign(): each tenant device, checked as
 * an assignment to its own tenant, gets exactly the verdicts the audit gave
 * it, and needs no bit the audit does not.
 */
static void fm_case_assign_test(struct kunit *test)
{
	const struct fm_case *c = test->param_value;
	struct fm_policy pol = { .allow_ats = c->allow_ats,
				  .n_ats_tenants = c->n_ats_tenants,
				  .ats_tenants = c->ats_tenants };
	u32 nv = 0, na, i, j, k, mine;
	struct fm_verdict *a;
	struct fmt_case f;
	u16 *aneed;
	int err;

	/* Arrange */
	fmt_case_setup(test, c, &f);
	aneed = kunit_kcalloc(test, c->n_nodes, sizeof(*aneed), GFP_KERNEL);
	a = kunit_kcalloc(test, FM_TEST_VCAP, sizeof(*a), GFP_KERNEL);
	KUNIT_ASSERT_TRUE(test, aneed && a);
	KUNIT_ASSERT_EQ(test, fm_audit(f.ctx, &pol, f.v, FM_TEST_VCAP, &nv, f.need), 0);

	for (i = 0; i < c->n_nodes; i++) {
		if (!f.owner[i])
			continue;
		memset(aneed, 0, sizeof(*aneed) * c->n_nodes);
		/* Act */
		err = fm_check_assign(f.ctx, &pol, i, f.owner[i], a, FM_TEST_VCAP, &na, aneed);
		/* Assert */
		KUNIT_ASSERT_EQ(test, err, 0);
		for (j = 0, mine = 0; j < nv; j++)
			mine += f.v[j].dev == (s32)i;
		KUNIT_EXPECT_EQ_MSG(test, na, mine, "device [%u]", i);
		for (j = 0; j < na; j++) {
			for (k = 0; k < nv; k++)
				if (f.v[k].dev == a[j].dev && f.v[k].at == a[j].at &&
				    f.v[k].kind == a[j].kind && f.v[k].missing == a[j].missing)
					break;
			KUNIT_EXPECT_LT_MSG(test, k, nv, "device [%u]: verdict %u not in the audit",
					    i, j);
		}
		for (j = 0; j < c->n_nodes; j++)
			KUNIT_EXPECT_EQ_MSG(test, aneed[j] & ~f.need[j], 0,
					    "device [%u]: bits at [%u] not in the audit", i, j);
	}
}

static void fm_dump(struct kunit *test, const struct tg_topo *t)
{
	char line[200];
	u32 i;

	for (i = 0; i < t->n; i++) {
		tg_node_str(t, i, line, sizeof(line));
		kunit_info(test, "  %s\n", line);
	}
}

static void fm_diff_test(struct kunit *test)
{
	struct dc_stats st = { 0 };
	struct tg_topo t;
	unsigned int i, bad = 0;
	char why[256];

	KUNIT_ASSERT_EQ(test, tg_alloc(&t, FM_DIFF_MAX_NODES), 0);
	for (i = 0; i < diff_count; i++) {
		unsigned long long s = seed + i;
		struct tg_rng r;
		int ret, a;

		t.cap = FM_DIFF_MAX_NODES;
		tg_random(&t, s);
		ret = dc_audit(t.nodes, t.n, t.owner, TG_POL(&t), &st, why, sizeof(why));
		if (ret < 0) {
			KUNIT_FAIL(test, "out of memory");
			break;
		}
		if (ret) {
			KUNIT_FAIL(test, "topology seed %llu: %s", s, why);
			if (!bad++)
				fm_dump(test, &t);
		}
		tg_seed(&r, s ^ 0xa55a5aa5ull);
		for (a = 0; a < FM_DIFF_ASSIGNS; a++) {
			u32 k = tg_below(&r, t.n), tenant;

			if (!nv_is_device(t.nodes[k].type))
				continue;
			tenant = t.owner[k] ? t.owner[k] : 1 + tg_below(&r, 6);
			ret = dc_assign(t.nodes, t.n, t.owner, TG_POL(&t), k, tenant,
					&st, why, sizeof(why));
			if (ret) {
				KUNIT_FAIL(test, "topology seed %llu, assign [%u] to %u: %s",
					   s, k, tenant, why);
				if (!bad++)
					fm_dump(test, &t);
			}
		}
	}
	kunit_info(test, "%u topologies, %u verdicts, %u assignment checks, seed %llu\n",
		   st.audits, st.verdicts, st.assigns, seed);
	tg_free(&t);
}

static int fm_diff_suite_init(struct kunit_suite *suite)
{
	while (!seed)
		seed = get_random_u64() >> 16;
	kunit_info(suite, "differential seed %llu (replay: p2pfence_kunit.seed=%llu)\n",
		   seed, seed);
	return 0;
}

KUNIT_ARRAY_PARAM_DESC(fm_classify, fm_classify_cases, desc);

/* The one device classifier, on config space as real devices show it. */
static void fm_classify_test(struct kunit *test)
{
	const struct fm_classify_case *c = test->param_value;

	KUNIT_EXPECT_EQ(test, fm_classify(c->class, c->hdr, c->pcie, c->ptype, c->root),
			c->want);
}

static struct kunit_case fm_cases_tests[] = {
	KUNIT_CASE_PARAM(fm_classify_test, fm_classify_gen_params),
	KUNIT_CASE_PARAM(fm_case_test, fm_case_gen_params),
	KUNIT_CASE_PARAM(fm_case_assign_test, fm_case_gen_params),
	{}
};

static struct kunit_suite fm_cases_suite = {
	.name = "p2pfence_fence_model",
	.test_cases = fm_cases_tests,
};

static struct kunit_case fm_diff_tests[] = {
	KUNIT_CASE_SLOW(fm_diff_test),
	{}
};

static struct kunit_suite fm_diff_suite = {
	.name = "p2pfence_fence_model_diff",
	.suite_init = fm_diff_suite_init,
	.test_cases = fm_diff_tests,
};

kunit_test_suites(&fm_cases_suite, &fm_diff_suite);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("KUnit tests for p2pfence's isolation engine");
