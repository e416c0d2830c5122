// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests of kmod/owners.c, the BDF -> tenant table and the tenant
 * names: no PCI needed.
 *
 * Each case starts from a table (ids and tenants), applies one change with
 * p2pf_owners_with() or builds one with p2pf_owners_sort(), and checks the
 * result is the sorted, unique table a reader expects -- and that the
 * table it started from is untouched (a transaction builds the would-be
 * table beside the current one and may drop it).
 */
#include <kunit/test.h>
#include <linux/err.h>
#include <linux/slab.h>

#include "fence_model.h"
#include "owners.h"
#include "owners_test.h"

#define OWN_MAX	6

struct owners_case {
	const char *desc;
	u32 n;				/* the table to start from */
	struct p2pf_owner in[OWN_MAX];
	u64 id;				/* the change: @id ... */
	u32 tenant;			/* ... to @tenant (0: host) */
	u32 nout;			/* the table expected */
	struct p2pf_owner out[OWN_MAX];
};

#define D(b, d, f)	FM_ID(0, (b), ((d) << 3) | (f))

static const struct owners_case owners_cases[] = {
	{ "assign into an empty table", 0, {}, D(1, 0, 0), 7,
	  1, { { D(1, 0, 0), 7 } } },
	{ "assign before every entry", 2, { { D(3, 0, 0), 1 }, { D(5, 0, 0), 2 } },
	  D(1, 0, 0), 9, 3, { { D(1, 0, 0), 9 }, { D(3, 0, 0), 1 }, { D(5, 0, 0), 2 } } },
	{ "assign between entries", 2, { { D(1, 0, 0), 1 }, { D(5, 0, 0), 2 } },
	  D(3, 0, 0), 9, 3, { { D(1, 0, 0), 1 }, { D(3, 0, 0), 9 }, { D(5, 0, 0), 2 } } },
	{ "assign after every entry", 1, { { D(1, 0, 0), 1 } },
	  D(0x41, 0, 0), 4, 2, { { D(1, 0, 0), 1 }, { D(0x41, 0, 0), 4 } } },
	{ "re-assign to the same tenant keeps one entry", 1, { { D(1, 0, 0), 3 } },
	  D(1, 0, 0), 3, 1, { { D(1, 0, 0), 3 } } },
	{ "a new owner replaces the entry", 2, { { D(1, 0, 0), 3 }, { D(2, 0, 0), 4 } },
	  D(2, 0, 0), 8, 2, { { D(1, 0, 0), 3 }, { D(2, 0, 0), 8 } } },
	{ "release the first", 3, { { D(1, 0, 0), 1 }, { D(2, 0, 0), 2 }, { D(3, 0, 0), 3 } },
	  D(1, 0, 0), 0, 2, { { D(2, 0, 0), 2 }, { D(3, 0, 0), 3 } } },
	{ "release the middle", 3, { { D(1, 0, 0), 1 }, { D(2, 0, 0), 2 }, { D(3, 0, 0), 3 } },
	  D(2, 0, 0), 0, 2, { { D(1, 0, 0), 1 }, { D(3, 0, 0), 3 } } },
	{ "release the last entry: empty table", 1, { { D(1, 0, 0), 1 } },
	  D(1, 0, 0), 0, 0, {} },
	{ "release a host device: unchanged", 1, { { D(1, 0, 0), 1 } },
	  D(9, 0, 0), 0, 1, { { D(1, 0, 0), 1 } } },
	{ "functions of one slot are separate entries", 1, { { D(8, 0, 0), 1 } },
	  D(8, 0, 1), 2, 2, { { D(8, 0, 0), 1 }, { D(8, 0, 1), 2 } } },
	{ "domains order above buses", 1, { { FM_ID(1, 0, 0), 1 } },
	  D(0xff, 0x1f, 7), 2, 2, { { D(0xff, 0x1f, 7), 2 }, { FM_ID(1, 0, 0), 1 } } },
	{ "domains 0001 and 10001 (a VMD's) are two entries", 1, { { FM_ID(1, 1, 0), 1 } },
	  FM_ID(0x10001, 1, 0), 2, 2, { { FM_ID(1, 1, 0), 1 }, { FM_ID(0x10001, 1, 0), 2 } } },
	{ "release in domain 10001 leaves 0001 alone", 2,
	  { { FM_ID(1, 1, 0), 1 }, { FM_ID(0x10001, 1, 0), 2 } },
	  FM_ID(0x10001, 1, 0), 0, 1, { { FM_ID(1, 1, 0), 1 } } },
};

KUNIT_ARRAY_PARAM_DESC(owners, owners_cases, desc);

/* A table from a list; the caller frees it (or hands it on). */
struct p2pf_owners *owners_make(struct kunit *test, u32 n, const struct p2pf_owner *e)
{
	struct p2pf_owners *o = p2pf_owners_alloc(n);

	KUNIT_ASSERT_NOT_NULL(test, o);
	memcpy(o->e, e, n * sizeof(*e));
	return o;
}

static void owners_with_test(struct kunit *test)
{
	const struct owners_case *c = test->param_value;
	struct p2pf_owners *o, *r;
	u32 i;

	/* Arrange */
	o = owners_make(test, c->n, c->in);
	/* Act */
	r = p2pf_owners_with(o, c->id, c->tenant);
	/* Assert */
	KUNIT_ASSERT_NOT_NULL(test, r);
	KUNIT_EXPECT_EQ(test, r->n, c->nout);
	for (i = 0; i < min(r->n, c->nout); i++) {
		KUNIT_EXPECT_EQ(test, r->e[i].id, c->out[i].id);
		KUNIT_EXPECT_EQ(test, r->e[i].tenant, c->out[i].tenant);
	}
	KUNIT_EXPECT_EQ(test, p2pf_owner_of(r, c->id), c->tenant);
	/* the table it started from is untouched */
	KUNIT_EXPECT_EQ(test, o->n, c->n);
	KUNIT_EXPECT_EQ(test, memcmp(o->e, c->in, c->n * sizeof(c->in[0])), 0);
	kvfree(r);
	kvfree(o);
}

/*
 * apply's path: a list in any order becomes a sorted table; a device
 * listed twice is refused and named.
 */
static void owners_sort_test(struct kunit *test)
{
	static const struct p2pf_owner list[] = {
		{ D(5, 0, 0), 2 }, { D(1, 0, 0), 1 }, { D(3, 0, 1), 9 }, { D(3, 0, 0), 9 },
	};
	struct p2pf_owners *o = owners_make(test, ARRAY_SIZE(list), list);
	u64 dup = 0;
	u32 i;

	KUNIT_ASSERT_EQ(test, p2pf_owners_sort(o, &dup), 0);
	for (i = 1; i < o->n; i++)
		KUNIT_EXPECT_LT(test, o->e[i - 1].id, o->e[i].id);
	KUNIT_EXPECT_EQ(test, p2pf_owner_of(o, D(3, 0, 1)), 9);
	KUNIT_EXPECT_EQ(test, p2pf_owner_of(o, D(4, 0, 0)), 0);
	o->e[2] = o->e[0];	/* the same device twice */
	KUNIT_EXPECT_EQ(test, p2pf_owners_sort(o, &dup), -EINVAL);
	KUNIT_EXPECT_EQ(test, dup, o->e[0].id);
	kvfree(o);
}

/* commit swaps the table; cur never returns NULL (an empty table instead) */
static void owners_commit_test(struct kunit *test)
{
	static const struct p2pf_owner one[] = { { D(1, 0, 0), 4 } };

	KUNIT_EXPECT_EQ(test, p2pf_owners_cur()->n, 0);
	p2pf_owners_commit(owners_make(test, 1, one));
	KUNIT_EXPECT_EQ(test, p2pf_owner_of(p2pf_owners_cur(), D(1, 0, 0)), 4);
	p2pf_owners_commit(p2pf_owners_with(p2pf_owners_cur(), D(1, 0, 0), 0));
	KUNIT_EXPECT_EQ(test, p2pf_owners_cur()->n, 0);
	p2pf_owners_exit();
	KUNIT_EXPECT_NOT_NULL(test, p2pf_owners_cur());
}

/* names: which are valid, and why not */
struct tname_case {
	const char *desc;
	const char *name;
	bool ok;
};

static const struct tname_case tname_cases[] = {
	{ "a UUID", "3f2504e0-4f89-11d3-9a0c-0305e82c3301", true },
	{ "every allowed punctuation", "a._:@+/-z", true },
	{ "a digit first, letters after", "7vm", true },
	{ "63 bytes", "abcdefghijabcdefghijabcdefghijabcdefghijabcdefghijabcdefghij123", true },
	{ "64 bytes", "abcdefghijabcdefghijabcdefghijabcdefghijabcdefghijabcdefghij1234", false },
	{ "empty", "", false },
	{ "all digits is an id", "12345", false },
	{ "a leading dash", "-vm", false },
	{ "a leading dot", ".vm", false },
	{ "a space", "vm a", false },
	{ "a comma", "vm,a", false },
	{ "a quote", "vm\"a", false },
	{ "a byte above ASCII", "vm\xc3\xa9", false },
	{ "a Latin-1 letter", "vm\xe9", false },
	{ "a PCI address", "0000:02:00.0", false },
	{ "a short PCI address", "02:00.0", false },
	{ "a MAC-like name with a dot is fine", "vm:02:00.x", true },
	{ "a Latin-1 letter first", "\xc9t\xe9", false },
};

KUNIT_ARRAY_PARAM_DESC(tname, tname_cases, desc);

static void tenant_name_ok_test(struct kunit *test)
{
	const struct tname_case *c = test->param_value;
	const char *why = p2pf_tenant_name_ok(c->name);

	if (c->ok)
		KUNIT_EXPECT_NULL(test, why);
	else
		KUNIT_EXPECT_NOT_NULL(test, why);
}

/* the module's tables and names, gone when the test ends (even on a failed ASSERT) */
static void tenant_names_free(void *unused)
{
	p2pf_owners_exit();
	p2pf_hist_exit();
	p2pf_tenants_exit();
}

static struct p2pf_hist *hist_make(u64 id)
{
	p2pf_hist_reserve(id);
	return (struct p2pf_hist *)p2pf_hist_of(id);
}

/*
 * A name gets an id the first time, the same id while anything refers to
 * it (the table or a device's history), and is forgotten when nothing
 * does; an id is never given twice.
 */
static void tenant_names_test(struct kunit *test)
{
	static const struct p2pf_owner none[] = { { D(1, 0, 0), 1 } };
	u32 a, b, a2, c, n;
	struct p2pf_tname *copy;
	struct p2pf_owner e;
	struct p2pf_hist *h;

	p2pf_tenants_exit();	/* ids from the start */
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test, tenant_names_free, NULL), 0);
	KUNIT_EXPECT_EQ(test, p2pf_tenant_lookup("vm-a", false, &a), -ENOENT);
	KUNIT_ASSERT_EQ(test, p2pf_tenant_lookup("vm-a", true, &a), 0);
	KUNIT_EXPECT_EQ(test, a, (u32)P2PFENCE_TENANT_NAMED_MIN);
	KUNIT_ASSERT_EQ(test, p2pf_tenant_lookup("vm-b", true, &b), 0);
	KUNIT_EXPECT_EQ(test, b, a + 1);
	KUNIT_ASSERT_EQ(test, p2pf_tenant_lookup("vm-a", true, &a2), 0);
	KUNIT_EXPECT_EQ(test, a2, a);
	KUNIT_EXPECT_STREQ(test, p2pf_tenant_name(b), "vm-b");
	KUNIT_EXPECT_NULL(test, p2pf_tenant_name(7));
	KUNIT_EXPECT_STREQ(test, p2pf_tenant_str(a).s, "vm-a");
	KUNIT_EXPECT_STREQ(test, p2pf_tenant_str(7).s, "7");

	/* vm-a owns a device, vm-b is only remembered by another's history */
	e = (struct p2pf_owner){ D(2, 0, 0), a };
	p2pf_owners_commit(owners_make(test, 1, &e));
	h = hist_make(D(3, 0, 0));
	KUNIT_ASSERT_NOT_NULL(test, h);
	h->last = b;
	copy = p2pf_tenants_copy(&n);
	KUNIT_ASSERT_FALSE(test, IS_ERR(copy));
	KUNIT_EXPECT_EQ(test, n, 2);
	KUNIT_EXPECT_STREQ(test, p2pf_tenants_find(copy, n, b), "vm-b");
	KUNIT_EXPECT_NULL(test, p2pf_tenants_find(copy, n, b + 1));
	kvfree(copy);
	p2pf_tenants_gc();
	KUNIT_EXPECT_STREQ(test, p2pf_tenant_name(a), "vm-a");
	KUNIT_EXPECT_STREQ(test, p2pf_tenant_name(b), "vm-b");

	/* its state left on a device, or the last reset for it, keeps it too */
	h->last = 0;
	h->dirty = b;
	p2pf_tenants_gc();
	KUNIT_EXPECT_STREQ(test, p2pf_tenant_name(b), "vm-b");
	h->dirty = P2PF_HIST_MANY;
	h->reset_for = b;
	p2pf_tenants_gc();
	KUNIT_EXPECT_STREQ(test, p2pf_tenant_name(b), "vm-b");

	/* nothing refers to vm-b: forgotten; seen again it is a new tenant */
	h->reset_for = 0;
	p2pf_tenants_gc();
	KUNIT_EXPECT_NULL(test, p2pf_tenant_name(b));
	KUNIT_EXPECT_STREQ(test, p2pf_tenant_name(a), "vm-a");
	KUNIT_ASSERT_EQ(test, p2pf_tenant_lookup("vm-b", true, &c), 0);
	KUNIT_EXPECT_GT(test, c, b);

	/* the table no longer has vm-a: forgotten too */
	p2pf_owners_commit(owners_make(test, 1, none));
	p2pf_tenants_gc();
	KUNIT_EXPECT_NULL(test, p2pf_tenant_name(a));
	KUNIT_EXPECT_NULL(test, p2pf_tenant_name(c));
	KUNIT_EXPECT_EQ(test, p2pf_tenant_lookup("vm-a", false, &a2), -ENOENT);
}

static struct kunit_case owners_tests[] = {
	KUNIT_CASE_PARAM(owners_with_test, owners_gen_params),
	KUNIT_CASE(owners_sort_test),
	KUNIT_CASE(owners_commit_test),
	KUNIT_CASE_PARAM(tenant_name_ok_test, tname_gen_params),
	KUNIT_CASE(tenant_names_test),
	{}
};

static struct kunit_suite owners_suite = {
	.name = "p2pfence_owners",
	.test_cases = owners_tests,
};

kunit_test_suites(&owners_suite);
