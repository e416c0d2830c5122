// SPDX-License-Identifier: ((GPL-2.0 WITH Linux-syscall-note) OR BSD-3-Clause)
/* Do not edit directly, auto-generated from: */
/*	uapi/p2pfence.yaml */
/* YNL-GEN kernel source */

#include <net/netlink.h>
#include <net/genetlink.h>

#include "p2pfence-nl.h"

#include <uapi/linux/p2pfence.h>

/* Common nested types */
const struct nla_policy p2pfence_dev_entry_nl_policy[P2PFENCE_A_DEV_TENANT_NAME + 1] = {
	[P2PFENCE_A_DEV_DOMAIN] = { .type = NLA_U32, },
	[P2PFENCE_A_DEV_BDF] = { .type = NLA_U16, },
	[P2PFENCE_A_DEV_TENANT] = NLA_POLICY_MIN(NLA_U32, 1),
	[P2PFENCE_A_DEV_FENCED] = { .type = NLA_U8, },
	[P2PFENCE_A_DEV_TENANT_NAME] = { .type = NLA_NUL_STRING, .len = 63, },
};

/* P2PFENCE_CMD_DEV_ASSIGN - do */
static const struct nla_policy p2pfence_dev_assign_nl_policy[P2PFENCE_A_DEV_TENANT_NAME + 1] = {
	[P2PFENCE_A_DEV_DOMAIN] = { .type = NLA_U32, },
	[P2PFENCE_A_DEV_BDF] = { .type = NLA_U16, },
	[P2PFENCE_A_DEV_TENANT] = NLA_POLICY_MIN(NLA_U32, 1),
	[P2PFENCE_A_DEV_ACCEPT_NO_RESET] = { .type = NLA_FLAG, },
	[P2PFENCE_A_DEV_DEV] = NLA_POLICY_NESTED(p2pfence_dev_entry_nl_policy),
	[P2PFENCE_A_DEV_TENANT_NAME] = { .type = NLA_NUL_STRING, .len = 63, },
};

/* P2PFENCE_CMD_DEV_RELEASE - do */
static const struct nla_policy p2pfence_dev_release_nl_policy[P2PFENCE_A_DEV_TENANT_NAME + 1] = {
	[P2PFENCE_A_DEV_DOMAIN] = { .type = NLA_U32, },
	[P2PFENCE_A_DEV_BDF] = { .type = NLA_U16, },
	[P2PFENCE_A_DEV_DEV] = NLA_POLICY_NESTED(p2pfence_dev_entry_nl_policy),
	[P2PFENCE_A_DEV_TENANT] = NLA_POLICY_MIN(NLA_U32, 1),
	[P2PFENCE_A_DEV_TENANT_NAME] = { .type = NLA_NUL_STRING, .len = 63, },
};

/* P2PFENCE_CMD_DEV_GET - do */
static const struct nla_policy p2pfence_dev_get_nl_policy[P2PFENCE_A_DEV_BDF + 1] = {
	[P2PFENCE_A_DEV_DOMAIN] = { .type = NLA_U32, },
	[P2PFENCE_A_DEV_BDF] = { .type = NLA_U16, },
};

/* P2PFENCE_CMD_TENANT_GET - do */
static const struct nla_policy p2pfence_tenant_get_nl_policy[P2PFENCE_A_DEV_TENANT_NAME + 1] = {
	[P2PFENCE_A_DEV_TENANT] = NLA_POLICY_MIN(NLA_U32, 1),
	[P2PFENCE_A_DEV_TENANT_NAME] = { .type = NLA_NUL_STRING, .len = 63, },
};

/* P2PFENCE_CMD_APPLY - do */
static const struct nla_policy p2pfence_apply_nl_policy[P2PFENCE_A_DEV_TRUSTED_EXACT + 1] = {
	[P2PFENCE_A_DEV_DEV] = NLA_POLICY_NESTED(p2pfence_dev_entry_nl_policy),
	[P2PFENCE_A_DEV_TRUSTED] = NLA_POLICY_NESTED(p2pfence_dev_entry_nl_policy),
	[P2PFENCE_A_DEV_TRUSTED_EXACT] = { .type = NLA_FLAG, },
};

/* P2PFENCE_CMD_MODE_SET - do */
static const struct nla_policy p2pfence_mode_set_nl_policy[P2PFENCE_A_MODE_MODE + 1] = {
	[P2PFENCE_A_MODE_MODE] = NLA_POLICY_MAX(NLA_U32, 1),
};

/* P2PFENCE_CMD_TENANT_SET - do */
static const struct nla_policy p2pfence_tenant_set_nl_policy[P2PFENCE_A_DEV_TRUST_ATS + 1] = {
	[P2PFENCE_A_DEV_TENANT] = NLA_POLICY_MIN(NLA_U32, 1),
	[P2PFENCE_A_DEV_TENANT_NAME] = { .type = NLA_NUL_STRING, .len = 63, },
	[P2PFENCE_A_DEV_TRUST_ATS] = NLA_POLICY_MAX(NLA_U8, 1),
};

/* P2PFENCE_CMD_QUIRK_SET - do */
static const struct nla_policy p2pfence_quirk_set_nl_policy[P2PFENCE_A_QUIRK_TRUSTED + 1] = {
	[P2PFENCE_A_QUIRK_ENTRY] = { .type = NLA_U32, },
	[P2PFENCE_A_QUIRK_TRUSTED] = NLA_POLICY_MAX(NLA_U8, 1),
};

/* Ops table for p2pfence */
static const struct genl_split_ops p2pfence_nl_ops[] = {
	{
		.cmd		= P2PFENCE_CMD_DEV_ASSIGN,
		.pre_doit	= p2pfence_nl_pre_write,
		.doit		= p2pfence_nl_dev_assign_doit,
		.post_doit	= p2pfence_nl_post_doit,
		.policy		= p2pfence_dev_assign_nl_policy,
		.maxattr	= P2PFENCE_A_DEV_TENANT_NAME,
		.flags		= GENL_ADMIN_PERM | GENL_CMD_CAP_DO,
	},
	{
		.cmd		= P2PFENCE_CMD_DEV_RELEASE,
		.pre_doit	= p2pfence_nl_pre_write,
		.doit		= p2pfence_nl_dev_release_doit,
		.post_doit	= p2pfence_nl_post_doit,
		.policy		= p2pfence_dev_release_nl_policy,
		.maxattr	= P2PFENCE_A_DEV_TENANT_NAME,
		.flags		= GENL_ADMIN_PERM | GENL_CMD_CAP_DO,
	},
	{
		.cmd		= P2PFENCE_CMD_DEV_GET,
		.pre_doit	= p2pfence_nl_pre_read,
		.doit		= p2pfence_nl_dev_get_doit,
		.post_doit	= p2pfence_nl_post_doit,
		.policy		= p2pfence_dev_get_nl_policy,
		.maxattr	= P2PFENCE_A_DEV_BDF,
		.flags		= GENL_ADMIN_PERM | GENL_CMD_CAP_DO,
	},
	{
		.cmd	= P2PFENCE_CMD_DEV_GET,
		.start	= p2pfence_nl_dump_start,
		.dumpit	= p2pfence_nl_dev_get_dumpit,
		.done	= p2pfence_nl_dump_done,
		.flags	= GENL_ADMIN_PERM | GENL_CMD_CAP_DUMP,
	},
	{
		.cmd		= P2PFENCE_CMD_TENANT_GET,
		.pre_doit	= p2pfence_nl_pre_read,
		.doit		= p2pfence_nl_tenant_get_doit,
		.post_doit	= p2pfence_nl_post_doit,
		.policy		= p2pfence_tenant_get_nl_policy,
		.maxattr	= P2PFENCE_A_DEV_TENANT_NAME,
		.flags		= GENL_ADMIN_PERM | GENL_CMD_CAP_DO,
	},
	{
		.cmd	= P2PFENCE_CMD_TENANT_GET,
		.start	= p2pfence_nl_dump_start,
		.dumpit	= p2pfence_nl_tenant_get_dumpit,
		.done	= p2pfence_nl_dump_done,
		.flags	= GENL_ADMIN_PERM | GENL_CMD_CAP_DUMP,
	},
	{
		.cmd		= P2PFENCE_CMD_APPLY,
		.pre_doit	= p2pfence_nl_pre_write,
		.doit		= p2pfence_nl_apply_doit,
		.post_doit	= p2pfence_nl_post_doit,
		.policy		= p2pfence_apply_nl_policy,
		.maxattr	= P2PFENCE_A_DEV_TRUSTED_EXACT,
		.flags		= GENL_ADMIN_PERM | GENL_CMD_CAP_DO,
	},
	{
		.cmd		= P2PFENCE_CMD_AUDIT,
		.pre_doit	= p2pfence_nl_pre_write,
		.doit		= p2pfence_nl_audit_doit,
		.post_doit	= p2pfence_nl_post_doit,
		.flags		= GENL_ADMIN_PERM | GENL_CMD_CAP_DO,
	},
	{
		.cmd		= P2PFENCE_CMD_MODE_GET,
		.pre_doit	= p2pfence_nl_pre_net,
		.doit		= p2pfence_nl_mode_get_doit,
		.flags		= GENL_ADMIN_PERM | GENL_CMD_CAP_DO,
	},
	{
		.cmd		= P2PFENCE_CMD_MODE_SET,
		.pre_doit	= p2pfence_nl_pre_net,
		.doit		= p2pfence_nl_mode_set_doit,
		.policy		= p2pfence_mode_set_nl_policy,
		.maxattr	= P2PFENCE_A_MODE_MODE,
		.flags		= GENL_ADMIN_PERM | GENL_CMD_CAP_DO,
	},
	{
		.cmd		= P2PFENCE_CMD_TENANT_SET,
		.pre_doit	= p2pfence_nl_pre_write,
		.doit		= p2pfence_nl_tenant_set_doit,
		.post_doit	= p2pfence_nl_post_doit,
		.policy		= p2pfence_tenant_set_nl_policy,
		.maxattr	= P2PFENCE_A_DEV_TRUST_ATS,
		.flags		= GENL_ADMIN_PERM | GENL_CMD_CAP_DO,
	},
	{
		.cmd		= P2PFENCE_CMD_QUIRK_SET,
		.pre_doit	= p2pfence_nl_pre_net,
		.doit		= p2pfence_nl_quirk_set_doit,
		.policy		= p2pfence_quirk_set_nl_policy,
		.maxattr	= P2PFENCE_A_QUIRK_TRUSTED,
		.flags		= GENL_ADMIN_PERM | GENL_CMD_CAP_DO,
	},
	{
		.cmd		= P2PFENCE_CMD_QUIRK_GET,
		.pre_doit	= p2pfence_nl_pre_net,
		.doit		= p2pfence_nl_quirk_get_doit,
		.flags		= GENL_ADMIN_PERM | GENL_CMD_CAP_DO,
	},
};

static const struct genl_multicast_group p2pfence_nl_mcgrps[] = {
	[P2PFENCE_NLGRP_MONITOR] = { "monitor", },
};

struct genl_family p2pfence_nl_family __ro_after_init = {
	.name		= P2PFENCE_FAMILY_NAME,
	.version	= P2PFENCE_FAMILY_VERSION,
	.netnsok	= true,
	.parallel_ops	= true,
	.module		= THIS_MODULE,
	.split_ops	= p2pfence_nl_ops,
	.n_split_ops	= ARRAY_SIZE(p2pfence_nl_ops),
	.mcgrps		= p2pfence_nl_mcgrps,
	.n_mcgrps	= ARRAY_SIZE(p2pfence_nl_mcgrps),
};
