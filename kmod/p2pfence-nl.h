/* SPDX-License-Identifier: ((GPL-2.0 WITH Linux-syscall-note) OR BSD-3-Clause) */
/* Do not edit directly, auto-generated from: */
/*	uapi/p2pfence.yaml */
/* YNL-GEN kernel header */

#ifndef _LINUX_P2PFENCE_GEN_H
#define _LINUX_P2PFENCE_GEN_H

#include <net/netlink.h>
#include <net/genetlink.h>

#include <uapi/linux/p2pfence.h>

/* Common nested types */
extern const struct nla_policy p2pfence_dev_entry_nl_policy[P2PFENCE_A_DEV_TENANT_NAME + 1];

int p2pfence_nl_pre_write(const struct genl_split_ops *ops,
			  struct sk_buff *skb, struct genl_info *info);
int p2pfence_nl_pre_read(const struct genl_split_ops *ops, struct sk_buff *skb,
			 struct genl_info *info);
int p2pfence_nl_pre_net(const struct genl_split_ops *ops, struct sk_buff *skb,
			struct genl_info *info);
void
p2pfence_nl_post_doit(const struct genl_split_ops *ops, struct sk_buff *skb,
		      struct genl_info *info);
int p2pfence_nl_dump_start(struct netlink_callback *cb);
int p2pfence_nl_dump_done(struct netlink_callback *cb);

int p2pfence_nl_dev_assign_doit(struct sk_buff *skb, struct genl_info *info);
int p2pfence_nl_dev_release_doit(struct sk_buff *skb, struct genl_info *info);
int p2pfence_nl_dev_get_doit(struct sk_buff *skb, struct genl_info *info);
int p2pfence_nl_dev_get_dumpit(struct sk_buff *skb,
			       struct netlink_callback *cb);
int p2pfence_nl_tenant_get_doit(struct sk_buff *skb, struct genl_info *info);
int p2pfence_nl_tenant_get_dumpit(struct sk_buff *skb,
				  struct netlink_callback *cb);
int p2pfence_nl_apply_doit(struct sk_buff *skb, struct genl_info *info);
int p2pfence_nl_audit_doit(struct sk_buff *skb, struct genl_info *info);
int p2pfence_nl_mode_get_doit(struct sk_buff *skb, struct genl_info *info);
int p2pfence_nl_mode_set_doit(struct sk_buff *skb, struct genl_info *info);
int p2pfence_nl_tenant_set_doit(struct sk_buff *skb, struct genl_info *info);
int p2pfence_nl_quirk_set_doit(struct sk_buff *skb, struct genl_info *info);
int p2pfence_nl_quirk_get_doit(struct sk_buff *skb, struct genl_info *info);

enum {
	P2PFENCE_NLGRP_MONITOR,
};

extern struct genl_family p2pfence_nl_family;

#endif /* _LINUX_P2PFENCE_GEN_H */
