/* SPDX-License-Identifier: GPL-2.0 */
/*
 * nl-msg.h - the netlink handlers' messages (nl-msg.c): requests parsed,
 * replies filled. netlink.c keeps parse -> core -> fill -> reply.
 */
#ifndef _P2PFENCE_NL_MSG_H
#define _P2PFENCE_NL_MSG_H

#include <net/genetlink.h>

#include "txn.h"

/* room for a tenant-name attribute */
#define P2PF_NAME_SIZE		nla_total_size(P2PFENCE_TENANT_NAME_MAX + 1)

int p2pf_fail(struct netlink_ext_ack *extack, int ret);
int p2pf_req_dev(struct genl_info *info, u64 *id);
int p2pf_req_tenant(struct genl_info *info, bool need, bool create, bool assign,
		    u32 *tenant);
int p2pf_put_dev(struct sk_buff *skb, const struct p2pf_txn *x, u64 id, s32 idx, u32 tenant,
		 u32 nv);
struct sk_buff *p2pf_reply_new(struct genl_info *info, size_t extra, void **hdr);
int p2pf_reply_send(struct genl_info *info, struct sk_buff *msg, void *hdr, int err);
struct sk_buff *p2pf_reply_end(struct sk_buff *msg, void *hdr, int err);
struct sk_buff *p2pf_dev_reply(struct genl_info *info, const struct p2pf_txn *x, u32 tenant,
			       u32 nv);
int p2pf_parse_entries(struct genl_info *info, bool tenant, struct p2pf_owners **out);
int p2pf_req_devs(struct genl_info *info, struct p2pf_owners **req, u64 *id);
struct sk_buff *p2pf_devs_reply(struct genl_info *info, const struct p2pf_txn *x, u32 tenant,
				u32 nv);
void *p2pf_dump_hdr(struct sk_buff *skb, struct netlink_callback *cb, u8 cmd);
int p2pf_put_tenant(struct sk_buff *skb, const struct p2pf_txn *x, u32 tenant, u32 *from);
struct sk_buff *p2pf_verdicts_reply(struct genl_info *info, const struct p2pf_txn *x, int type,
				    const struct fm_verdict *v, u32 nv);
int p2pf_mode_reply(struct genl_info *info, u32 mode);
int p2pf_parse_trusted(struct genl_info *info, struct p2pf_trust *set);
struct sk_buff *p2pf_trust_reply(struct genl_info *info, const struct p2pf_txn *x,
				 u32 tenant, bool on);

#endif /* _P2PFENCE_NL_MSG_H */
