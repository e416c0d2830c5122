// SPDX-License-Identifier: GPL-2.0
/*
 * nl-family.c - registers the p2pfence generic netlink family.
 *
 * The policies, the op table and the family come from p2pfence-nl.c, which
 * ynl-gen-c.py generates from uapi/p2pfence.yaml (scripts/ynl-regen) and
 * which is compiled here, as a part of this file, on every kernel:
 *
 *  - Linux 6.2+ (6.12): the generated family with its split ops
 *    (struct genl_split_ops: separate do and dump entries, per-op policies)
 *    is registered as it is.
 *  - Linux 6.1 has no struct genl_split_ops and no genl_family.split_ops.
 *    The generated file is compiled against stand-in types of the same
 *    shape (genl_split_ops and genl_family renamed below), and at init its
 *    split ops are folded into a struct genl_ops table: one entry per
 *    command carrying the do handler, the dump handler and the do policy,
 *    which 6.1 then applies to both (our dumps take no attributes, so the do
 *    policy rejects nothing a dump should accept).
 *
 * Either way the handlers, the policies and the generated code are the same;
 * only the table the core sees differs.
 *
 * The generator does not render multicast group flags, so the group table
 * is replaced here by one whose "monitor" group requires CAP_NET_ADMIN:
 * events name tenants and devices, which are as sensitive as the dumps.
 */
#include <linux/module.h>
#include <net/genetlink.h>

#include "compat.h"
#include "p2pfence.h"

#ifdef P2PF_HAVE_SPLIT_OPS

#include "p2pfence-nl.c"

#else /* Linux 6.1 */

struct p2pf_split_ops {
	int (*doit)(struct sk_buff *skb, struct genl_info *info);
	int (*dumpit)(struct sk_buff *skb, struct netlink_callback *cb);
	const struct nla_policy *policy;
	unsigned int maxattr;
	u8 cmd;
	u8 flags;
};

struct p2pf_gen_family {
	const char *name;
	unsigned int version;
	bool netnsok;
	bool parallel_ops;
	struct module *module;
	const struct p2pf_split_ops *split_ops;
	unsigned int n_split_ops;
	const struct genl_multicast_group *mcgrps;
	unsigned int n_mcgrps;
};

/*
 * 6.1's nla_policy.range is not yet a pointer to const (6.2 made it one);
 * the generated ranges are const. The core only reads through it.
 */
#undef NLA_POLICY_FULL_RANGE
#define NLA_POLICY_FULL_RANGE(tp, _range) {				\
	.type = NLA_ENSURE_UINT_OR_BINARY_TYPE(tp),			\
	.validation_type = NLA_VALIDATE_RANGE_PTR,			\
	.range = (struct netlink_range_validation *)(_range),		\
}

#define genl_split_ops		p2pf_split_ops
#define genl_family		p2pf_gen_family
#define p2pfence_nl_family	p2pf_gen_desc
#include "p2pfence-nl.c"
#undef p2pfence_nl_family
#undef genl_family
#undef genl_split_ops

static struct genl_ops p2pf_ops61[ARRAY_SIZE(p2pfence_nl_ops)];
struct genl_family p2pf_family61;

static void p2pf_fold_ops(void)
{
	const struct p2pf_gen_family *g = &p2pf_gen_desc;
	unsigned int i, j, n = 0;

	for (i = 0; i < g->n_split_ops; i++) {
		const struct p2pf_split_ops *s = &g->split_ops[i];
		struct genl_ops *o = NULL;

		for (j = 0; j < n; j++)
			if (p2pf_ops61[j].cmd == s->cmd)
				o = &p2pf_ops61[j];
		if (!o) {
			o = &p2pf_ops61[n++];
			o->cmd = s->cmd;
		}
		if (s->doit) {
			o->doit = s->doit;
			o->policy = s->policy;
			o->maxattr = s->maxattr;
		}
		if (s->dumpit)
			o->dumpit = s->dumpit;
		o->flags |= s->flags & (GENL_ADMIN_PERM | GENL_UNS_ADMIN_PERM);
	}

	strscpy(p2pf_family61.name, g->name, sizeof(p2pf_family61.name));
	p2pf_family61.version = g->version;
	p2pf_family61.netnsok = g->netnsok;
	p2pf_family61.parallel_ops = g->parallel_ops;
	p2pf_family61.module = g->module;
	p2pf_family61.ops = p2pf_ops61;
	p2pf_family61.n_ops = n;
	/* new family: reserved header fields and unknown attributes rejected */
	p2pf_family61.resv_start_op = P2PFENCE_CMD_DEV_ASSIGN;
}

#endif

static const struct genl_multicast_group p2pf_mcgrps[] = {
	[P2PFENCE_NLGRP_MONITOR] = {
		.name = P2PFENCE_MCGRP_MONITOR,
		.flags = GENL_MCAST_CAP_NET_ADMIN,
	},
};

#ifdef P2PF_NEED_EXTACK_RING
static char p2pf_extack_ring[P2PF_EXTACK_RING][P2PF_EXTACK_LEN];
static atomic_t p2pf_extack_next = ATOMIC_INIT(0);

/**
 * p2pf_extack_slot() - a static buffer for one formatted extack message
 *
 * Return: a buffer of P2PF_EXTACK_LEN bytes that stays valid for good.
 */
char *p2pf_extack_slot(void)
{
	unsigned int i = atomic_inc_return(&p2pf_extack_next);

	return p2pf_extack_ring[i % P2PF_EXTACK_RING];
}
#endif

/**
 * p2pf_nl_register() - register the family (module init)
 *
 * Return: 0 or a negative errno from genl_register_family().
 */
int p2pf_nl_register(void)
{
	BUILD_BUG_ON(ARRAY_SIZE(p2pf_mcgrps) != ARRAY_SIZE(p2pfence_nl_mcgrps));
#ifdef P2PF_HAVE_SPLIT_OPS
	p2pfence_nl_family.mcgrps = p2pf_mcgrps;
#else
	p2pf_fold_ops();
	p2pf_family61.mcgrps = p2pf_mcgrps;
	p2pf_family61.n_mcgrps = ARRAY_SIZE(p2pf_mcgrps);
#endif
	return genl_register_family(p2pf_family);
}

/**
 * p2pf_nl_unregister() - unregister the family (module exit)
 */
void p2pf_nl_unregister(void)
{
	genl_unregister_family(p2pf_family);
}
