// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests of the core's decisions (kmod/decide.c): no PCI needed.
 *
 * Each case is a transaction on one small host written as a table: the
 * owner table it starts from, the mode, and one operation (assign,
 * release, apply, audit or show). It checks what the core decided -- the
 * return code, the would-be table, the refusal's extack text and what its
 * `refused` event would carry, the bits the commit would program -- and
 * that the table it started from is untouched. Nothing is committed: the
 * model has no config space behind it.
 *
 * The host: two root ports with ACS present but off (the fence turns it
 * on), and a root port with ACS on above a switch whose downstream ports
 * have no ACS (no fence possible between what sits below them).
 *
 *   00:01.0 RP (ACS off) -- 01:00.0 GPU A
 *   00:02.0 RP (ACS off) -- 02:00.0 GPU B
 *   00:03.0 RP (ACS on)  -- 03:00.0 USP -+- 04:01.0 DSP (no ACS) -- 05:00.0 GPU C
 *                                        +- 04:02.0 DSP (no ACS) -- 06:00.0 GPU D
 *   00:04.0 RP (ACS on)  -+- 07:00.0 function 0 (ACS off) of a two-function
 *                         +- 07:00.1 function 1 (ACS off)   device
 *
 * Hand-over cases seed the history (a device's last tenant left state on
 * it: dirty) and how each device can be reset (struct p2pf_rst, as the
 * snapshot reads it from pci_dev), and check the plan: which reset, where,
 * and what the device's history becomes.
 */
#include <kunit/test.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <net/netlink.h>

#include "decide.h"
#include "fm_case.h"
#include "owners.h"
#include "owners_test.h"
#include "quirk_trust.h"
#include <linux/p2pfence.h>

#define RP_A	BDF(0x00, 1, 0)
#define GPU_A	BDF(0x01, 0, 0)
#define RP_B	BDF(0x00, 2, 0)
#define GPU_B	BDF(0x02, 0, 0)
#define RP_S	BDF(0x00, 3, 0)
#define USP_S	BDF(0x03, 0, 0)
#define DSP_C	BDF(0x04, 1, 0)
#define DSP_D	BDF(0x04, 2, 0)
#define GPU_C	BDF(0x05, 0, 0)
#define GPU_D	BDF(0x06, 0, 0)
#define RP_M	BDF(0x00, 4, 0)
#define MF_0	BDF(0x07, 0, 0)
#define MF_1	BDF(0x07, 0, 1)
#define GONE	BDF(0x09, 0, 0)		/* in a table, not on the host */

#define MF_FN(id)	ND(id, RP_M, FM_ENDPOINT, FM_NODE_MF | FM_NODE_ACS, CAP_ALL, 0, OWN)

static const struct fmc_node core_host[] = {
	HB(BDF(0, 0, 0)),
	RP_OFF(RP_A), EP(GPU_A, RP_A),
	RP_OFF(RP_B), EP(GPU_B, RP_B),
	RP_ON(RP_S), USP(USP_S, RP_S),
	DSP_NONE(DSP_C, USP_S), DSP_NONE(DSP_D, USP_S),
	EPG(GPU_C, DSP_C, 5), EPG(GPU_D, DSP_D, 5),
	RP_ON(RP_M), MF_FN(MF_0), MF_FN(MF_1),
};

#define CORE_MAX	4

struct core_case {
	const char *desc;
	enum p2pf_op op;
	bool audit_mode;
	u32 n;				/* the table it starts from */
	struct p2pf_owner base[CORE_MAX];
	u64 id;				/* assign, release; apply: the table below */
	u32 tenant;
	u32 napply;
	struct p2pf_owner apply[CORE_MAX];
	int ret;			/* what p2pf_decide_*() returns */
	const char *msg;		/* in the extack text, when set */
	bool changes;			/* a would-be table is decided ... */
	u32 nout;			/* ... and it is this one */
	struct p2pf_owner out[CORE_MAX];
	u64 need_at;			/* a node the commit would program (0: none) */
	u16 need;			/* with these bits */
	bool verdicts;			/* the answer carries verdicts (x->nv > 0) */
	/* hand-over */
	bool accept;			/* accept-no-reset */
	u64 dirty_id;			/* history: @dirty's state is on @dirty_id */
	u32 dirty;
	u64 rst_id;			/* this device's reset capabilities ... */
	struct p2pf_rst rst;		/* ... are these (others: none) */
	bool plan;			/* a hand-over of @dirty_id is planned ... */
	u8 method;			/* ... with this reset (0: none) ... */
	u64 reset_at;			/* ... acting there ... */
	bool unreset;			/* ... or passing without one */
	bool reset_here;		/* @dirty_id was reset by this transaction */
	/* several devices in one request (assign, release) */
	u32 nreq;
	struct p2pf_owner req[CORE_MAX];
	u32 cond;			/* release: only the devices of this tenant */
	/* tenant names, given ids NAMED(0), NAMED(1), ... in this order */
	const char *names[2];
};

#define OWN_LIST(...)	{ __VA_ARGS__ }
#define NAMED(i)	((u32)P2PFENCE_TENANT_NAMED_MIN + (i))
#define UUID_A		"3f2504e0-4f89-11d3-9a0c-0305e82c3301"
#define UUID_B		"9b1deb4d-3b7d-4bad-9bdd-2b0d7b3dcb6d"
#define PORT_BITS	FM_NEED_PORT
#define FLR		P2PFENCE_RESET_METHOD_FLR
#define BUS		P2PFENCE_RESET_METHOD_BUS

static const struct core_case core_cases[] = {
	{ .desc = "assign behind a root port with ACS off: the commit turns it on",
	  .op = P2PF_OP_ASSIGN, .id = GPU_A, .tenant = 1,
	  .changes = true, .nout = 1, .out = OWN_LIST({ GPU_A, 1 }),
	  .need_at = RP_A, .need = PORT_BITS },
	{ .desc = "assign again to the same tenant: the same table",
	  .op = P2PF_OP_ASSIGN, .n = 1, .base = OWN_LIST({ GPU_A, 1 }),
	  .id = GPU_A, .tenant = 1,
	  .changes = true, .nout = 1, .out = OWN_LIST({ GPU_A, 1 }),
	  .need_at = RP_A, .need = PORT_BITS },
	{ .desc = "assign beside another tenant under an ACS-less switch: refused",
	  .op = P2PF_OP_ASSIGN, .n = 1, .base = OWN_LIST({ GPU_C, 1 }),
	  .id = GPU_D, .tenant = 2, .ret = -EXDEV,
	  .msg = "0000:06:00.0: acs-missing at 0000:04:02.0 (peer 0000:05:00.0)" },
	{ .desc = "the same in audit mode: assigned, with the verdicts",
	  .op = P2PF_OP_ASSIGN, .audit_mode = true, .n = 1, .base = OWN_LIST({ GPU_C, 1 }),
	  .id = GPU_D, .tenant = 2,
	  .changes = true, .nout = 2, .out = OWN_LIST({ GPU_C, 1 }, { GPU_D, 2 }),
	  .verdicts = true },
	{ .desc = "both GPUs of an ACS-less switch to one tenant: allowed",
	  .op = P2PF_OP_ASSIGN, .n = 1, .base = OWN_LIST({ GPU_C, 1 }),
	  .id = GPU_D, .tenant = 1,
	  .changes = true, .nout = 2, .out = OWN_LIST({ GPU_C, 1 }, { GPU_D, 1 }) },
	{ .desc = "assign another tenant's device: busy",
	  .op = P2PF_OP_ASSIGN, .n = 1, .base = OWN_LIST({ GPU_A, 1 }),
	  .id = GPU_A, .tenant = 2, .ret = -EBUSY,
	  .msg = "0000:01:00.0: owned by tenant 1" },
	{ .desc = "assign a port: never",
	  .op = P2PF_OP_ASSIGN, .id = RP_A, .tenant = 1, .ret = -EINVAL,
	  .msg = "0000:00:01.0: a port or bridge is never assigned" },
	{ .desc = "assign a device the host does not have",
	  .op = P2PF_OP_ASSIGN, .id = GONE, .tenant = 1, .ret = -ENODEV,
	  .msg = "0000:09:00.0: no such PCI device" },
	{ .desc = "release leaving a host device beside a tenant's under the switch: refused",
	  .op = P2PF_OP_RELEASE, .n = 2, .base = OWN_LIST({ GPU_C, 1 }, { GPU_D, 1 }),
	  .id = GPU_D, .ret = -EXDEV,
	  .msg = "0000:05:00.0: acs-missing at 0000:04:01.0 (peer 0000:06:00.0)" },
	{ .desc = "the same in audit mode: released",
	  .op = P2PF_OP_RELEASE, .audit_mode = true,
	  .n = 2, .base = OWN_LIST({ GPU_C, 1 }, { GPU_D, 1 }), .id = GPU_D,
	  .changes = true, .nout = 1, .out = OWN_LIST({ GPU_C, 1 }), .verdicts = true },
	{ .desc = "release a fenced device: the others keep their bits",
	  .op = P2PF_OP_RELEASE, .n = 2, .base = OWN_LIST({ GPU_A, 1 }, { GPU_B, 2 }),
	  .id = GPU_A, .changes = true, .nout = 1, .out = OWN_LIST({ GPU_B, 2 }),
	  .need_at = RP_B, .need = PORT_BITS, .verdicts = true },
	{ .desc = "release what is the host's already: nothing to do",
	  .op = P2PF_OP_RELEASE, .n = 1, .base = OWN_LIST({ GPU_A, 1 }), .id = GPU_B },
	{ .desc = "release an entry whose device is gone",
	  .op = P2PF_OP_RELEASE, .n = 2, .base = OWN_LIST({ GPU_A, 1 }, { GONE, 3 }),
	  .id = GONE, .changes = true, .nout = 1, .out = OWN_LIST({ GPU_A, 1 }) },
	{ .desc = "release counts only what it breaks, not what was unfenced before",
	  .op = P2PF_OP_RELEASE,
	  .n = 3, .base = OWN_LIST({ GPU_A, 3 }, { GPU_C, 1 }, { GPU_D, 2 }),
	  .id = GPU_A, .changes = true, .nout = 2,
	  .out = OWN_LIST({ GPU_C, 1 }, { GPU_D, 2 }), .verdicts = true },
	{ .desc = "apply a table two tenants cannot share: refused",
	  .op = P2PF_OP_APPLY, .napply = 3,
	  .apply = OWN_LIST({ GPU_A, 1 }, { GPU_C, 1 }, { GPU_D, 2 }), .ret = -EXDEV,
	  .msg = "acs-missing at 0000:04:0" },
	{ .desc = "apply a fenceable table: both root ports turned on",
	  .op = P2PF_OP_APPLY, .n = 1, .base = OWN_LIST({ GPU_C, 4 }), .napply = 2,
	  .apply = OWN_LIST({ GPU_A, 1 }, { GPU_B, 2 }),
	  .changes = true, .nout = 2, .out = OWN_LIST({ GPU_A, 1 }, { GPU_B, 2 }),
	  .need_at = RP_B, .need = PORT_BITS },
	{ .desc = "apply naming a port: refused before the engine",
	  .op = P2PF_OP_APPLY, .napply = 1, .apply = OWN_LIST({ DSP_C, 1 }), .ret = -EINVAL,
	  .msg = "0000:04:01.0: a port or bridge is never assigned" },
	{ .desc = "audit: drift found, the repair's bits decided",
	  .op = P2PF_OP_AUDIT, .n = 1, .base = OWN_LIST({ GPU_A, 1 }),
	  .need_at = RP_A, .need = PORT_BITS, .verdicts = true },
	{ .desc = "audit: an unfenceable pair stays a verdict",
	  .op = P2PF_OP_AUDIT, .n = 2, .base = OWN_LIST({ GPU_C, 1 }, { GPU_D, 2 }),
	  .verdicts = true },
	{ .desc = "show: the verdicts of the current table",
	  .op = P2PF_OP_SHOW, .n = 1, .base = OWN_LIST({ GPU_B, 2 }), .verdicts = true },
	{ .desc = "hand-over from another tenant: the function's reset planned",
	  .op = P2PF_OP_ASSIGN, .id = GPU_A, .tenant = 2, .dirty_id = GPU_A, .dirty = 1,
	  .rst_id = GPU_A, .rst = { .method = FLR },
	  .changes = true, .nout = 1, .out = OWN_LIST({ GPU_A, 2 }),
	  .need_at = RP_A, .need = PORT_BITS, .plan = true, .method = FLR, .reset_at = GPU_A },
	{ .desc = "the same tenant takes its device back: no reset",
	  .op = P2PF_OP_ASSIGN, .id = GPU_A, .tenant = 1, .dirty_id = GPU_A, .dirty = 1,
	  .rst_id = GPU_A, .rst = { .method = FLR },
	  .changes = true, .nout = 1, .out = OWN_LIST({ GPU_A, 1 }),
	  .need_at = RP_A, .need = PORT_BITS, .plan = true },
	{ .desc = "a function with no reset of its own, its sibling the same tenant's: a bus reset",
	  .op = P2PF_OP_ASSIGN, .n = 1, .base = OWN_LIST({ MF_1, 2 }), .id = MF_0, .tenant = 2,
	  .dirty_id = MF_0, .dirty = 1, .rst_id = MF_0, .rst = { .flags = P2PF_RST_BUS },
	  .changes = true, .nout = 2, .out = OWN_LIST({ MF_0, 2 }, { MF_1, 2 }),
	  .plan = true, .method = BUS, .reset_at = RP_M },
	{ .desc = "decided again after its reset in this transaction: clean, no second reset",
	  .op = P2PF_OP_ASSIGN, .id = GPU_A, .tenant = 2, .dirty_id = GPU_A, .dirty = 1,
	  .rst_id = GPU_A, .rst = { .method = FLR }, .reset_here = true,
	  .changes = true, .nout = 1, .out = OWN_LIST({ GPU_A, 2 }),
	  .need_at = RP_A, .need = PORT_BITS, .plan = true },
	{ .desc = "no reset method and no bus reset: refused",
	  .op = P2PF_OP_ASSIGN, .id = GPU_A, .tenant = 2, .dirty_id = GPU_A, .dirty = 1,
	  .ret = -EXDEV, .msg = "0000:01:00.0: no-reset at 0000:01:00.0: no-method" },
	{ .desc = "the same, accepted by the assignment: passes unreset",
	  .op = P2PF_OP_ASSIGN, .id = GPU_A, .tenant = 2, .dirty_id = GPU_A, .dirty = 1,
	  .accept = true, .changes = true, .nout = 1, .out = OWN_LIST({ GPU_A, 2 }),
	  .need_at = RP_A, .need = PORT_BITS, .plan = true, .unreset = true },
	{ .desc = "only a bus reset, which would reset another owner's function: refused",
	  .op = P2PF_OP_ASSIGN, .id = MF_0, .tenant = 2, .dirty_id = MF_0, .dirty = 1,
	  .rst_id = MF_0, .rst = { .flags = P2PF_RST_BUS }, .ret = -EXDEV,
	  .msg = "0000:07:00.0: no-reset at 0000:00:04.0 (peer 0000:07:00.1): bus-shared" },
	{ .desc = "both functions to one tenant: the bus reset planned",
	  .op = P2PF_OP_APPLY, .napply = 2, .apply = OWN_LIST({ MF_0, 2 }, { MF_1, 2 }),
	  .dirty_id = MF_0, .dirty = 1, .rst_id = MF_0, .rst = { .flags = P2PF_RST_BUS },
	  .changes = true, .nout = 2, .out = OWN_LIST({ MF_0, 2 }, { MF_1, 2 }),
	  .plan = true, .method = BUS, .reset_at = RP_M },
	{ .desc = "audit mode: the hand-over is recorded unreset, nothing reset",
	  .op = P2PF_OP_ASSIGN, .audit_mode = true, .id = GPU_B, .tenant = 2,
	  .dirty_id = GPU_B, .dirty = 1, .rst_id = GPU_B, .rst = { .method = FLR },
	  .changes = true, .nout = 1, .out = OWN_LIST({ GPU_B, 2 }), .verdicts = true,
	  .plan = true, .unreset = true },
	{ .desc = "audit mode, no way to reset: a no-reset verdict in the answer",
	  .op = P2PF_OP_ASSIGN, .audit_mode = true, .id = GPU_B, .tenant = 2,
	  .dirty_id = GPU_B, .dirty = 1,
	  .changes = true, .nout = 1, .out = OWN_LIST({ GPU_B, 2 }), .verdicts = true,
	  .plan = true, .unreset = true },
	{ .desc = "two GPUs under an ACS-less switch to one tenant in one request",
	  .op = P2PF_OP_ASSIGN, .nreq = 2, .req = OWN_LIST({ GPU_C }, { GPU_D }), .tenant = 1,
	  .changes = true, .nout = 2, .out = OWN_LIST({ GPU_C, 1 }, { GPU_D, 1 }) },
	{ .desc = "several devices, one another tenant's: busy, nothing decided",
	  .op = P2PF_OP_ASSIGN, .n = 1, .base = OWN_LIST({ GPU_B, 2 }),
	  .nreq = 2, .req = OWN_LIST({ GPU_A }, { GPU_B }), .tenant = 1, .ret = -EBUSY,
	  .msg = "0000:02:00.0: owned by tenant 2" },
	{ .desc = "several devices, one beside another tenant's: refused",
	  .op = P2PF_OP_ASSIGN, .n = 1, .base = OWN_LIST({ GPU_C, 2 }),
	  .nreq = 2, .req = OWN_LIST({ GPU_A }, { GPU_D }), .tenant = 1, .ret = -EXDEV,
	  .msg = "0000:06:00.0: acs-missing at 0000:04:02.0 (peer 0000:05:00.0)" },
	{ .desc = "several devices: each path's bits decided",
	  .op = P2PF_OP_ASSIGN, .nreq = 2, .req = OWN_LIST({ GPU_A }, { GPU_B }), .tenant = 3,
	  .changes = true, .nout = 2, .out = OWN_LIST({ GPU_A, 3 }, { GPU_B, 3 }),
	  .need_at = RP_B, .need = PORT_BITS },
	{ .desc = "release for a tenant of a device another tenant owns: busy",
	  .op = P2PF_OP_RELEASE, .n = 1, .base = OWN_LIST({ GPU_A, 2 }), .id = GPU_A,
	  .cond = 1, .ret = -EBUSY, .msg = "0000:01:00.0: owned by tenant 2, not 1" },
	{ .desc = "release for a tenant of a device the host has: success, nothing to do",
	  .op = P2PF_OP_RELEASE, .id = GPU_A, .cond = 1 },
	{ .desc = "release several for their tenant, one the host's already",
	  .op = P2PF_OP_RELEASE, .n = 2, .base = OWN_LIST({ GPU_A, 1 }, { GPU_B, 1 }),
	  .nreq = 3, .req = OWN_LIST({ GPU_A }, { GPU_B }, { GPU_C }), .cond = 1,
	  .changes = true, .nout = 0, .verdicts = false },
	{ .desc = "release both GPUs under the switch in one request: allowed",
	  .op = P2PF_OP_RELEASE, .n = 2, .base = OWN_LIST({ GPU_C, 1 }, { GPU_D, 1 }),
	  .nreq = 2, .req = OWN_LIST({ GPU_C }, { GPU_D }), .changes = true, .nout = 0 },
	{ .desc = "release several, one another tenant's: busy, nothing decided",
	  .op = P2PF_OP_RELEASE, .n = 2, .base = OWN_LIST({ GPU_A, 1 }, { GPU_B, 2 }),
	  .nreq = 2, .req = OWN_LIST({ GPU_A }, { GPU_B }), .cond = 1, .ret = -EBUSY,
	  .msg = "0000:02:00.0: owned by tenant 2, not 1" },
	{ .desc = "assign a named tenant's device: busy, the owner by name",
	  .op = P2PF_OP_ASSIGN, .names = { UUID_A, UUID_B },
	  .n = 1, .base = OWN_LIST({ GPU_A, NAMED(0) }), .id = GPU_A, .tenant = NAMED(1),
	  .ret = -EBUSY, .msg = "0000:01:00.0: owned by tenant " UUID_A },
	{ .desc = "release for a named tenant of another's device: both named",
	  .op = P2PF_OP_RELEASE, .names = { "vm-a", "vm-b" },
	  .n = 1, .base = OWN_LIST({ GPU_A, NAMED(1) }), .id = GPU_A, .cond = NAMED(0),
	  .ret = -EBUSY, .msg = "0000:01:00.0: owned by tenant vm-b, not vm-a" },
	{ .desc = "the same with UUIDs: the owner only (an extack has 80 bytes)",
	  .op = P2PF_OP_RELEASE, .names = { UUID_A, UUID_B },
	  .n = 1, .base = OWN_LIST({ GPU_A, NAMED(1) }), .id = GPU_A, .cond = NAMED(0),
	  .ret = -EBUSY, .msg = "0000:01:00.0: owned by tenant " UUID_B },
	{ .desc = "release several for a named tenant: its devices go, the host's stay",
	  .op = P2PF_OP_RELEASE, .names = { UUID_A },
	  .n = 1, .base = OWN_LIST({ GPU_A, NAMED(0) }),
	  .nreq = 2, .req = OWN_LIST({ GPU_A }, { GPU_B }), .cond = NAMED(0),
	  .changes = true, .nout = 0 },
};

KUNIT_ARRAY_PARAM_DESC(core, core_cases, desc);

/* A table from a list, freed when the test ends. */
static void core_owners_free(void *o)
{
	kvfree(o);
}

static struct p2pf_owners *core_owners(struct kunit *test, u32 n,
				       const struct p2pf_owner *e)
{
	struct p2pf_owners *o = owners_make(test, n, e);

	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test, core_owners_free, o), 0);
	return o;
}

static void core_txn_free(void *p)
{
	struct p2pf_txn *x = p;

	p2pf_decision_free(x);
	kvfree(x->req);		/* the request, which the transaction owns */
}

static void core_hist_free(void *unused)
{
	p2pf_hist_exit();
	p2pf_tenants_exit();
}

/* The case's history and reset capabilities. */
static void core_handover_arrange(struct kunit *test, const struct core_case *c,
				  struct p2pf_txn *x)
{
	u32 i, id;

	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test, core_hist_free, NULL), 0);
	p2pf_tenants_exit();	/* named ids from the start */
	for (i = 0; i < ARRAY_SIZE(c->names) && c->names[i]; i++) {
		KUNIT_ASSERT_EQ(test, p2pf_tenant_lookup(c->names[i], true, &id), 0);
		KUNIT_ASSERT_EQ(test, id, NAMED(i));
	}
	x->accept_unreset = c->accept;
	if (c->dirty_id) {
		struct p2pf_hist h = { .last = c->dirty, .dirty = c->dirty };

		KUNIT_ASSERT_EQ(test, p2pf_hist_reserve(c->dirty_id), 0);
		p2pf_hist_set(c->dirty_id, &h);
	}
	if (c->reset_here) {
		x->rdone = kunit_kzalloc(test, sizeof(*x->rdone), GFP_KERNEL);
		KUNIT_ASSERT_NOT_NULL(test, x->rdone);
		x->rdone[x->nrdone++] = c->dirty_id;
	}
	if (c->rst_id) {
		s32 k = fm_find(x->t.ctx, c->rst_id);

		KUNIT_ASSERT_GE(test, k, 0);
		x->t.rst[k] = c->rst;
	}
}

/* The plan for the device whose history the case seeded. */
static void core_assert_plan(struct kunit *test, const struct core_case *c,
			     const struct p2pf_txn *x)
{
	const struct p2pf_plan *p = NULL;
	u32 i;

	for (i = 0; i < x->nplan; i++)
		if (x->plan[i].id == c->dirty_id)
			p = &x->plan[i];
	KUNIT_ASSERT_NOT_NULL_MSG(test, p, "no hand-over planned");
	KUNIT_EXPECT_EQ(test, p->method, c->method);
	if (c->method) {
		KUNIT_EXPECT_EQ(test, p2pf_topo_id(&x->t, p->at), c->reset_at);
		KUNIT_EXPECT_EQ(test, p->after.reset_for, c->tenant ?: c->apply[0].tenant);
	}
	KUNIT_EXPECT_EQ(test, p->after.unreset, c->unreset);
	KUNIT_EXPECT_EQ(test, p->after.last, p->tenant);
	/* a tenant's state stays on it: its own, or several after an unreset hand-over */
	KUNIT_EXPECT_EQ(test, p->after.dirty, c->unreset ? P2PF_HIST_MANY : p->tenant);
	/* the answer shows what the commit records */
	KUNIT_EXPECT_PTR_EQ(test, p2pf_txn_hist(x, p->id), &p->after);
}

/* Arrange: the host as a snapshot, the starting table as its base. */
static struct p2pf_txn *core_txn(struct kunit *test, const struct core_case *c,
				 struct netlink_ext_ack *extack)
{
	struct fm_case host = { .nodes = core_host, .n_nodes = FMC_N(core_host) };
	struct fm_node *nodes;
	struct p2pf_txn *x;
	u32 *owner;

	nodes = kunit_kcalloc(test, host.n_nodes, sizeof(*nodes), GFP_KERNEL);
	owner = kunit_kcalloc(test, host.n_nodes, sizeof(*owner), GFP_KERNEL);
	x = kunit_kzalloc(test, sizeof(*x), GFP_KERNEL);
	KUNIT_ASSERT_TRUE(test, nodes && owner && x);
	KUNIT_ASSERT_EQ_MSG(test, fmc_build(&host, nodes, owner), 0, "broken host table");
	KUNIT_ASSERT_EQ(test, p2pf_topo_init(&x->t, nodes, host.n_nodes), 0);
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test, core_txn_free, x), 0);
	x->idx = -1;
	x->write = c->op != P2PF_OP_SHOW;
	x->enforce = !c->audit_mode;
	x->extack = extack;
	x->base = core_owners(test, c->n, c->base);
	return x;
}

static int core_decide(struct kunit *test, const struct core_case *c, struct p2pf_txn *x)
{
	struct p2pf_owners *nown;

	switch (c->op) {
	case P2PF_OP_ASSIGN:
		if (c->nreq)
			return p2pf_decide_assign_many(x, owners_make(test, c->nreq, c->req),
						       c->tenant);
		return p2pf_decide_assign(x, c->id, c->tenant);
	case P2PF_OP_RELEASE:
		if (c->nreq)
			return p2pf_decide_release_many(x, owners_make(test, c->nreq, c->req),
							c->cond);
		x->cond = c->cond;
		return p2pf_decide_release(x, c->id);
	case P2PF_OP_APPLY:
		/* the transaction owns it */
		nown = owners_make(test, c->napply, c->apply);
		return p2pf_decide_apply(x, nown);
	case P2PF_OP_AUDIT:
		return p2pf_decide_audit(x, "kunit");
	case P2PF_OP_SHOW:
		return p2pf_decide_show(x);
	}
	return -EINVAL;
}

static void core_assert_table(struct kunit *test, const struct p2pf_owners *o,
			      u32 n, const struct p2pf_owner *e, const char *what)
{
	u32 i;

	KUNIT_ASSERT_NOT_NULL_MSG(test, o, "%s: no table", what);
	KUNIT_ASSERT_EQ_MSG(test, o->n, n, "%s: entries", what);
	for (i = 0; i < n; i++) {
		KUNIT_EXPECT_EQ_MSG(test, o->e[i].id, e[i].id, "%s: entry %u", what, i);
		KUNIT_EXPECT_EQ_MSG(test, o->e[i].tenant, e[i].tenant, "%s: entry %u", what, i);
	}
}

static void core_decide_test(struct kunit *test)
{
	const struct core_case *c = test->param_value;
	struct netlink_ext_ack extack = {};
	struct p2pf_txn *x;
	u32 i;
	int ret;

	/* Arrange */
	x = core_txn(test, c, &extack);
	core_handover_arrange(test, c, x);
	/* Act */
	ret = core_decide(test, c, x);
	/* Assert: the answer */
	KUNIT_ASSERT_EQ(test, ret, c->ret);
	if (c->msg) {
		KUNIT_ASSERT_NOT_NULL(test, extack._msg);
		KUNIT_EXPECT_NOT_NULL_MSG(test, strstr(extack._msg, c->msg),
					  "extack \"%s\", want \"%s\"", extack._msg, c->msg);
	}
	/* a refusal carries verdicts for its event, and only then */
	KUNIT_EXPECT_EQ(test, x->refused, ret == -EXDEV);
	if (ret == -EXDEV) {
		KUNIT_EXPECT_GT(test, x->nrefused, 0);
		for (i = 0; i < x->nrefused && c->op == P2PF_OP_APPLY; i++)
			KUNIT_EXPECT_FALSE_MSG(test, fm_kind_fixable(x->t.v[i].kind),
					       "apply's refusal carries a fixable verdict");
	}
	/* the would-be table */
	if (c->changes)
		core_assert_table(test, x->nown, c->nout, c->out, "would-be table");
	else if (!ret)
		KUNIT_EXPECT_NULL_MSG(test, x->nown, "a table was decided");
	/* what the commit would program */
	if (c->need_at) {
		s32 k = fm_find(x->t.ctx, c->need_at);

		KUNIT_ASSERT_GE(test, k, 0);
		KUNIT_EXPECT_EQ(test, x->t.need[k], c->need);
	}
	if (!ret)
		KUNIT_EXPECT_EQ(test, x->nv > 0, c->verdicts);
	if (c->plan)
		core_assert_plan(test, c, x);
	if (c->op != P2PF_OP_ASSIGN && c->op != P2PF_OP_APPLY)
		KUNIT_EXPECT_EQ_MSG(test, x->nplan, 0, "only assign and apply hand over");
	/* the table it started from is untouched */
	core_assert_table(test, x->base, c->n, c->base, "base table");
	if (c->op == P2PF_OP_SHOW)
		core_assert_table(test, x->cur, c->n, c->base, "shown table");
}

/*
 * After a show, fenced means owned and named by no verdict: GPU B behind
 * its root port with ACS off is not fenced yet (the commit of its assign
 * would have turned ACS on); GPUs C and D of one tenant under the ACS-less
 * switch are; a host device never is.
 */
static bool core_fenced(const struct p2pf_txn *x, u64 id)
{
	s32 k = fm_find(x->t.ctx, id);

	return p2pf_txn_fenced(x, k, p2pf_txn_owner(x, k), x->nv);
}

static void core_fenced_test(struct kunit *test)
{
	static const struct core_case c = {
		.op = P2PF_OP_SHOW, .n = 3,
		.base = OWN_LIST({ GPU_B, 2 }, { GPU_C, 1 }, { GPU_D, 1 }),
	};
	struct p2pf_txn *x = core_txn(test, &c, NULL);

	KUNIT_ASSERT_EQ(test, p2pf_decide_show(x), 0);
	KUNIT_EXPECT_FALSE(test, core_fenced(x, GPU_B));
	KUNIT_EXPECT_TRUE(test, core_fenced(x, GPU_C));
	KUNIT_EXPECT_FALSE(test, core_fenced(x, GPU_A));
	KUNIT_EXPECT_FALSE(test, p2pf_txn_fenced(x, -1, 1, x->nv));
	KUNIT_EXPECT_EQ(test, p2pf_txn_owner(x, fm_find(x->t.ctx, GPU_C)), 1);
	KUNIT_EXPECT_EQ(test, p2pf_txn_owner(x, -1), 0);
}

/*
 * The quirk opt-in: Intel PCH root ports without ACS that the kernel
 * trusts by quirk (each GPU in a group of its own: KISOL), one the kernel
 * does not (its GPU in the port's group), and a port whose ACS capability
 * leaves UF unimplemented; a host NVMe behind a port with ACS on.
 *
 *   00:1c.0 8086:1c10 (no ACS, KISOL) -- 01:00.0 GPU
 *   00:1c.1 8086:1c12 (no ACS, KISOL) -- 02:00.0 GPU
 *   00:1c.2 8086:1c10 (no ACS)        -- 03:00.0 GPU (the port's group)
 *   00:1d.0 1af4:1044 (ACS, no UF, KISOL) -- 05:00.0 GPU
 *   00:01.0 (ACS on)                  -- 04:00.0 NVMe (host)
 */
#define Q_RP0	BDF(0x00, 0x1c, 0)
#define Q_RP1	BDF(0x00, 0x1c, 1)
#define Q_RP2	BDF(0x00, 0x1c, 2)
#define Q_RPU	BDF(0x00, 0x1d, 0)
#define Q_GPU0	BDF(0x01, 0, 0)
#define Q_GPU1	BDF(0x02, 0, 0)
#define Q_GPU2	BDF(0x03, 0, 0)
#define Q_GPUU	BDF(0x05, 0, 0)
#define Q_PCH	P2PF_QUIRK_ID(0x8086, 0x1c10)

static const struct fmc_node quirk_host[] = {
	HB(BDF(0, 0, 0)),
	ND(Q_RP0, FMC_ROOT, FM_ROOT_PORT, FM_NODE_KISOL, 0, 0, OWN), EP(Q_GPU0, Q_RP0),
	ND(Q_RP1, FMC_ROOT, FM_ROOT_PORT, FM_NODE_KISOL, 0, 0, OWN), EP(Q_GPU1, Q_RP1),
	ND(Q_RP2, FMC_ROOT, FM_ROOT_PORT, 0, 0, 0, 9), EPG(Q_GPU2, Q_RP2, 9),
	ND(Q_RPU, FMC_ROOT, FM_ROOT_PORT, KACS, SV | PCI_ACS_TB | RR | CR, SV | RR | CR, OWN),
	EP(Q_GPUU, Q_RPU),
	RP_ON(BDF(0x00, 1, 0)), EP(BDF(0x04, 0, 0), BDF(0x00, 1, 0)),
};

/* A transaction on quirk_host, vendor:device ids set, @trusted applied. */
static struct p2pf_txn *quirk_txn(struct kunit *test, struct netlink_ext_ack *extack,
				  const u32 *trusted, u32 ntrusted)
{
	static const struct { u32 id, vdid; } ids[] = {
		{ Q_RP0, Q_PCH }, { Q_RP1, P2PF_QUIRK_ID(0x8086, 0x1c12) },
		{ Q_RP2, Q_PCH }, { Q_RPU, P2PF_QUIRK_ID(0x1af4, 0x1044) },
	};
	struct fm_case host = { .nodes = quirk_host, .n_nodes = FMC_N(quirk_host) };
	struct fm_node *nodes;
	struct p2pf_txn *x;
	u32 *owner, i;

	nodes = kunit_kcalloc(test, host.n_nodes, sizeof(*nodes), GFP_KERNEL);
	owner = kunit_kcalloc(test, host.n_nodes, sizeof(*owner), GFP_KERNEL);
	x = kunit_kzalloc(test, sizeof(*x), GFP_KERNEL);
	KUNIT_ASSERT_TRUE(test, nodes && owner && x);
	KUNIT_ASSERT_EQ(test, fmc_build(&host, nodes, owner), 0);
	KUNIT_ASSERT_EQ(test, p2pf_topo_init(&x->t, nodes, host.n_nodes), 0);
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test, core_txn_free, x), 0);
	for (i = 0; i < ARRAY_SIZE(ids); i++)
		x->t.vdid[fm_find(x->t.ctx, ids[i].id)] = ids[i].vdid;
	p2pf_topo_trust(&x->t, trusted, ntrusted);
	x->idx = -1;
	x->write = true;
	x->enforce = true;
	x->extack = extack;
	x->base = core_owners(test, 0, NULL);
	return x;
}

struct quirk_case {
	const char *desc;
	u32 id;			/* assigned to tenant 1 */
	bool trust;		/* with 8086:1c10 trusted */
	int ret;
	const char *msg;	/* the extack, exactly (refusals) */
	u8 kind;		/* the verdict the answer or the refusal carries */
	bool waived;		/* ... marked FM_VERDICT_TRUSTED */
};

static const struct quirk_case quirk_cases[] = {
	{ "PCH port by quirk, no opt-in: refused, the kernel's belief said", Q_GPU0, false,
	  -EXDEV, "0000:01:00.0: acs-faked at 0000:00:1c.0: no ACS; quirk/override isolates",
	  FM_ACS_FAKED, false },
	{ "PCH port by quirk, 8086:1c10 trusted: assigned, verdict waived and reported",
	  Q_GPU0, true, 0, NULL, FM_ACS_FAKED, true },
	{ "another vendor:device (8086:1c12), 8086:1c10 trusted: refused", Q_GPU1, true,
	  -EXDEV, "0000:02:00.0: acs-faked at 0000:00:1c.1: no ACS; quirk/override isolates",
	  FM_ACS_FAKED, false },
	{ "8086:1c10 trusted but not believed isolated by the kernel: acs-missing refuses",
	  Q_GPU2, true, -EXDEV, "0000:03:00.0: acs-missing at 0000:00:1c.2 (peer ",
	  FM_ACS_MISSING, false },
	{ "ACS capability without UF: the unimplemented bit named", Q_GPUU, true, -EXDEV,
	  "0000:05:00.0: acs-faked at 0000:00:1d.0: unimplemented UF taken as on",
	  FM_ACS_FAKED, false },
};

static void quirk_case_desc(const struct quirk_case *c, char *desc)
{
	strscpy(desc, c->desc, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(quirk, quirk_cases, quirk_case_desc);

static void core_quirk_test(struct kunit *test)
{
	const struct quirk_case *c = test->param_value;
	static const u32 trusted[] = { Q_PCH };
	struct netlink_ext_ack extack = {};
	struct p2pf_txn *x;
	s32 k;

	/* Arrange */
	x = quirk_txn(test, &extack, trusted, c->trust ? 1 : 0);
	/* Act */
	KUNIT_ASSERT_EQ(test, p2pf_decide_assign(x, c->id, 1), c->ret);
	/* Assert */
	if (c->msg) {
		KUNIT_ASSERT_NOT_NULL(test, extack._msg);
		KUNIT_EXPECT_NOT_NULL_MSG(test, strstr(extack._msg, c->msg),
					  "extack \"%s\", want \"%s\"", extack._msg, c->msg);
	} else {
		KUNIT_EXPECT_NULL(test, extack._msg);
	}
	/* the answer (enforce: the waived ones) or the refusal's event carries it */
	KUNIT_ASSERT_GE(test, c->ret ? x->nrefused : x->nv, 1);
	KUNIT_EXPECT_EQ(test, x->t.v[0].kind, c->kind);
	KUNIT_EXPECT_EQ(test, fm_waived(&x->t.v[0]), c->waived);
	if (c->ret)
		return;
	/* assigned: fenced (the waiver stands for it), by the trusted port */
	k = fm_find(x->t.ctx, c->id);
	KUNIT_EXPECT_TRUE(test, p2pf_txn_fenced(x, k, 1, x->nv));
	KUNIT_EXPECT_EQ(test, x->t.vdid[x->t.v[0].at], Q_PCH);
}

static struct kunit_case core_test_cases[] = {
	KUNIT_CASE_PARAM(core_decide_test, core_gen_params),
	KUNIT_CASE(core_fenced_test),
	KUNIT_CASE_PARAM(core_quirk_test, quirk_gen_params),
	{}
};

static struct kunit_suite core_test_suite = {
	.name = "p2pfence_core",
	.test_cases = core_test_cases,
};

kunit_test_suite(core_test_suite);
