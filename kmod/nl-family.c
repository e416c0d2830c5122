// SPDX-License-Identifier: GPL-2.0
/*
 * nl-family.c - the p2pfence generic netlink family: its table, the
 * hooks around each op, and registration.
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
 *    policy rejects nothing a dump should accept), and the dump's start and
 *    done hooks. 6.1 has pre_doit/post_doit per family, not per op: the
 *    family's hooks look the op's own up by command and call it.
 *
 * Either way the handlers, the policies and the generated code are the same;
 * only the table the core sees differs.
 *
 * The generator does not render multicast group flags, so the group table
 * is replaced here by one whose "monitor" group requires CAP_NET_ADMIN:
 * events name tenants and devices, which are as sensitive as the dumps.
 */
#include <linux/module.h>
#include <linux/slab.h>
#include <net/genetlink.h>
#include <net/net_namespace.h>
#include <net/sock.h>

#include "compat.h"
#include "decide.h"
#include "fence.h"
#include "nl-family.h"
/* the handlers' prototypes, with the real struct genl_split_ops name */
#include "p2pfence-nl.h"

#ifdef P2PF_HAVE_SPLIT_OPS

#include "p2pfence-nl.c"

#else /* Linux 6.1 */

struct p2pf_split_ops {
	int (*pre_doit)(const struct genl_split_ops *ops, struct sk_buff *skb,
			struct genl_info *info);
	int (*doit)(struct sk_buff *skb, struct genl_info *info);
	void (*post_doit)(const struct genl_split_ops *ops, struct sk_buff *skb,
			  struct genl_info *info);
	int (*start)(struct netlink_callback *cb);
	int (*dumpit)(struct sk_buff *skb, struct netlink_callback *cb);
	int (*done)(struct netlink_callback *cb);
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

/* the generated family, under its stand-in name (not registered itself) */
extern struct p2pf_gen_family p2pf_gen_desc;

#define genl_split_ops		p2pf_split_ops
#define genl_family		p2pf_gen_family
#define p2pfence_nl_family	p2pf_gen_desc
#include "p2pfence-nl.c"
#undef p2pfence_nl_family
#undef genl_family
#undef genl_split_ops

static struct genl_ops p2pf_ops61[ARRAY_SIZE(p2pfence_nl_ops)];
struct genl_family p2pf_family61;

/* The generated do op of @cmd (6.1 runs hooks per family, not per op). */
static const struct p2pf_split_ops *p2pf_do_op61(u8 cmd)
{
	unsigned int i;

	for (i = 0; i < p2pf_gen_desc.n_split_ops; i++)
		if (p2pf_gen_desc.split_ops[i].cmd == cmd &&
		    p2pf_gen_desc.split_ops[i].doit)
			return &p2pf_gen_desc.split_ops[i];
	return NULL;
}

static int p2pf_pre_doit61(const struct genl_ops *ops, struct sk_buff *skb,
			   struct genl_info *info)
{
	const struct p2pf_split_ops *s = p2pf_do_op61(ops->cmd);

	/* the hooks never look at @ops: the stand-in is passed as it is */
	return s && s->pre_doit ?
	       s->pre_doit((const struct genl_split_ops *)s, skb, info) : 0;
}

static void p2pf_post_doit61(const struct genl_ops *ops, struct sk_buff *skb,
			     struct genl_info *info)
{
	const struct p2pf_split_ops *s = p2pf_do_op61(ops->cmd);

	if (s && s->post_doit)
		s->post_doit((const struct genl_split_ops *)s, skb, info);
}

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
		if (s->dumpit) {
			o->start = s->start;
			o->dumpit = s->dumpit;
			o->done = s->done;
		}
		o->flags |= s->flags & (GENL_ADMIN_PERM | GENL_UNS_ADMIN_PERM);
	}

	strscpy(p2pf_family61.name, g->name, sizeof(p2pf_family61.name));
	p2pf_family61.version = g->version;
	p2pf_family61.netnsok = g->netnsok;
	p2pf_family61.parallel_ops = g->parallel_ops;
	p2pf_family61.module = g->module;
	p2pf_family61.ops = p2pf_ops61;
	p2pf_family61.n_ops = n;
	p2pf_family61.pre_doit = p2pf_pre_doit61;
	p2pf_family61.post_doit = p2pf_post_doit61;
	/* new family: reserved header fields and unknown attributes rejected */
	p2pf_family61.resv_start_op = P2PFENCE_CMD_DEV_ASSIGN;
}

#endif

/*
 * The hooks the spec names around each op (uapi/p2pfence.yaml): the
 * network namespace check (p2pfence is served in the initial one only:
 * the owner table and the hardware are the host's), then a transaction of
 * the core for the doit, ended by post-doit; a dump's snapshot is taken
 * once, in its start hook, and freed in its done hook.
 */
static int p2pf_net_ok(struct net *net, struct netlink_ext_ack *extack)
{
	if (net_eq(net, &init_net))
		return 0;
	NL_SET_ERR_MSG(extack, "p2pfence is served in the initial network namespace only");
	return -EPERM;
}

/*
 * A transaction for a request from @net: the netns check, then
 * p2pf_txn_begin(). NULL and *@err on failure, with nothing held.
 */
static struct p2pf_txn *p2pf_txn_new(struct net *net, bool write,
				     struct netlink_ext_ack *extack, int *err)
{
	struct p2pf_txn *x;

	*err = p2pf_net_ok(net, extack);
	if (*err)
		return NULL;
	x = kmalloc(sizeof(*x), GFP_KERNEL);
	if (!x) {
		*err = -ENOMEM;
		return NULL;
	}
	*err = p2pf_txn_begin(x, write, extack);
	if (!*err)
		return x;
	p2pf_txn_end(x);
	kfree(x);
	return NULL;
}

static int p2pf_pre(struct genl_info *info, bool write)
{
	int ret;

	info->user_ptr[0] = p2pf_txn_new(genl_info_net(info), write, info->extack, &ret);
	return ret;
}

/**
 * p2pfence_nl_pre_write() - before a doit that may change something
 * @ops: the op
 * @skb: request
 * @info: its info; user_ptr[0] gets the transaction
 *
 * Return: 0, -EPERM outside the initial netns, or why no model was built.
 */
int p2pfence_nl_pre_write(const struct genl_split_ops *ops, struct sk_buff *skb,
			  struct genl_info *info)
{
	return p2pf_pre(info, true);
}

/**
 * p2pfence_nl_pre_read() - before a doit that only answers
 * @ops: the op
 * @skb: request
 * @info: its info; user_ptr[0] gets the transaction
 *
 * Return: 0, -EPERM outside the initial netns, or why no model was built.
 */
int p2pfence_nl_pre_read(const struct genl_split_ops *ops, struct sk_buff *skb,
			 struct genl_info *info)
{
	return p2pf_pre(info, false);
}

/**
 * p2pfence_nl_pre_net() - before mode-get/mode-set: the netns check only
 * @ops: the op
 * @skb: request
 * @info: its info
 *
 * Return: 0 or -EPERM.
 */
int p2pfence_nl_pre_net(const struct genl_split_ops *ops, struct sk_buff *skb,
			struct genl_info *info)
{
	return p2pf_net_ok(genl_info_net(info), info->extack);
}

/**
 * p2pfence_nl_post_doit() - end the doit's transaction (sync the guard
 * after writes, unlock, free)
 * @ops: the op
 * @skb: request
 * @info: its info
 */
void p2pfence_nl_post_doit(const struct genl_split_ops *ops, struct sk_buff *skb,
			   struct genl_info *info)
{
	struct p2pf_txn *x = info->user_ptr[0];

	if (!x)
		return;
	p2pf_txn_end(x);
	kfree(x);
	info->user_ptr[0] = NULL;
}

/**
 * p2pfence_nl_dump_start() - a dump's snapshot: taken once, answered from
 * @cb: dump state; args[1] gets the snapshot, args[0] is the cursor
 *
 * Return: 0, -EPERM outside the initial netns, -ENOMEM.
 */
int p2pfence_nl_dump_start(struct netlink_callback *cb)
{
	struct p2pf_txn *x;
	int ret;

	x = p2pf_txn_new(sock_net(cb->skb->sk), false, cb->extack, &ret);
	if (!x)
		return ret;
	ret = p2pf_decide_show(x);
	p2pf_txn_unlock(x);
	x->extack = NULL;	/* cb->extack lives for this call only */
	if (ret) {
		p2pf_txn_end(x);
		kfree(x);
		return ret;
	}
	cb->args[1] = (long)x;
	return 0;
}

/**
 * p2pfence_nl_dump_done() - free the dump's snapshot
 * @cb: dump state
 *
 * Return: 0.
 */
int p2pfence_nl_dump_done(struct netlink_callback *cb)
{
	struct p2pf_txn *x = (struct p2pf_txn *)cb->args[1];

	if (x) {
		p2pf_txn_end(x);
		kfree(x);
		cb->args[1] = 0;
	}
	return 0;
}

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
