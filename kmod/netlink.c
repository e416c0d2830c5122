// SPDX-License-Identifier: GPL-2.0
/*
 * netlink.c - the p2pfence generic netlink handlers: parse -> core -> fill
 * -> reply, nothing else.
 *
 * The policies and the op table come from uapi/p2pfence.yaml (see
 * nl-family.c); the genl core has validated every attribute strictly
 * against them and checked CAP_NET_ADMIN (GENL_ADMIN_PERM, on dumps too)
 * before anything here runs, and the spec's hooks (nl-family.c) have
 * checked the network namespace and opened a transaction of the core
 * (fence.c) in info->user_ptr[0] -- or, for dumps, taken one snapshot in
 * cb->args[1]. The handlers check what a policy cannot say (required
 * attributes) and explain every rejection.
 */
#include <linux/slab.h>
#include <net/genetlink.h>

#include "compat.h"
#include "decide.h"
#include "events.h"
#include "fence.h"
#include "owners.h"
#include "nl-msg.h"
#include "p2pfence-nl.h"
#include "quirk_trust.h"

/* A device the core could not find or take points at the bdf attribute. */
static int p2pf_dev_fail(struct genl_info *info, int ret)
{
	if (ret == -ENODEV || ret == -EINVAL)
		NL_SET_BAD_ATTR(info->extack, info->attrs[P2PFENCE_A_DEV_BDF]);
	return p2pf_fail(info->extack, ret);
}

/*
 * The reply was built after the decision: commit, then send it. No reply
 * (out of memory) or a failed commit: nothing was committed.
 */
static int p2pf_commit_reply(struct genl_info *info, struct p2pf_txn *x,
			     struct sk_buff *msg)
{
	int ret;

	if (!msg)
		return p2pf_fail(info->extack, -ENOMEM);
	ret = p2pf_commit(x);
	if (ret) {
		nlmsg_free(msg);
		return p2pf_fail(info->extack, ret);
	}
	return genlmsg_reply(msg, info);
}

/* Decide, build the reply, commit, reply: assign and release. */
static int p2pf_dev_change(struct genl_info *info, struct p2pf_txn *x, int ret,
			   u32 tenant, u32 nv)
{
	if (ret)
		return p2pf_dev_fail(info, ret);
	return p2pf_commit_reply(info, x, p2pf_dev_reply(info, x, tenant, nv));
}

/**
 * p2pfence_nl_dev_assign_doit() - DEV_ASSIGN: give devices to a tenant
 * @skb: request
 * @info: attributes (domain and bdf, or dev entries; tenant or
 *	tenant-name; accept-no-reset), extack; user_ptr[0]: transaction
 *
 * Return: 0 with a dev reply, or -EXDEV/-EBUSY/-ENODEV/-EINVAL/-EIO/-ENOMEM.
 */
int p2pfence_nl_dev_assign_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct p2pf_txn *x = info->user_ptr[0];
	struct p2pf_owners *req;
	u64 id;
	u32 tenant;
	int ret;

	ret = p2pf_req_devs(info, &req, &id);
	if (ret)
		return p2pf_fail(info->extack, ret);
	ret = p2pf_req_tenant(info, true, true, true, &tenant);
	if (ret) {
		kvfree(req);
		return p2pf_fail(info->extack, ret);
	}
	x->accept_unreset = nla_get_flag(info->attrs[P2PFENCE_A_DEV_ACCEPT_NO_RESET]);
	if (!req) {
		/* decided first: the reply carries the verdicts it leaves in x->nv */
		ret = p2pf_decide_assign(x, id, tenant);
		return p2pf_dev_change(info, x, ret, tenant, x->nv);
	}
	ret = p2pf_decide_assign_many(x, req, tenant);
	if (ret)
		return p2pf_dev_fail(info, ret);
	return p2pf_commit_reply(info, x, p2pf_devs_reply(info, x, tenant, x->nv));
}

/**
 * p2pfence_nl_dev_release_doit() - DEV_RELEASE: give devices to the host
 * @skb: request
 * @info: attributes (domain and bdf, or dev entries; tenant or
 *	tenant-name: the owner each device must have), extack; user_ptr[0]:
 *	transaction
 *
 * Return: 0 with a dev reply, or -EXDEV/-EBUSY/-ENODEV/-EINVAL/-ENOMEM.
 */
int p2pfence_nl_dev_release_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct p2pf_txn *x = info->user_ptr[0];
	struct p2pf_owners *req;
	u64 id;
	u32 cond = 0;
	int ret;

	ret = p2pf_req_devs(info, &req, &id);
	if (ret)
		return p2pf_fail(info->extack, ret);
	/* a name nobody has yet gets an id too: it owns none of the devices */
	ret = p2pf_req_tenant(info, false, true, false, &cond);
	if (ret) {
		kvfree(req);
		return p2pf_fail(info->extack, ret);
	}
	if (!req) {
		x->cond = cond;
		return p2pf_dev_change(info, x, p2pf_decide_release(x, id), 0, 0);
	}
	ret = p2pf_decide_release_many(x, req, cond);
	if (ret)
		return p2pf_dev_fail(info, ret);
	/* the reply: the devices are the host's, with no verdict */
	return p2pf_commit_reply(info, x, p2pf_devs_reply(info, x, 0, 0));
}

/**
 * p2pfence_nl_dev_get_doit() - DEV_GET: one device's owner and fence state
 * @skb: request
 * @info: attributes (domain, bdf), extack; user_ptr[0]: transaction
 *
 * Return: 0 with a dev reply, or -ENODEV/-EINVAL/-ENOMEM.
 */
int p2pfence_nl_dev_get_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct p2pf_txn *x = info->user_ptr[0];
	struct sk_buff *msg;
	s32 idx;
	u64 id;
	int ret;

	ret = p2pf_req_dev(info, &id);
	if (ret)
		return ret;
	ret = p2pf_decide_show(x);
	if (ret)
		return p2pf_fail(info->extack, ret);
	ret = p2pf_find_dev(x, id, &idx);
	if (ret)
		return p2pf_dev_fail(info, ret);
	x->id = id;
	x->idx = idx;
	msg = p2pf_dev_reply(info, x, p2pf_txn_owner(x, idx), x->nv);
	if (!msg)
		return p2pf_fail(info->extack, -ENOMEM);
	return genlmsg_reply(msg, info);
}

/*
 * Dumps: the cursor is cb->args[0], the next id (48 bits: a 64-bit long,
 * which main.c insists on) or tenant to send; cb->args[2] is 1 once
 * everything was sent; cb->args[3], for tenants, the table entry to go on
 * from when one tenant's devices did not fit one message.
 */

/**
 * p2pfence_nl_dev_get_dumpit() - DEV_GET dump: every non-fabric device
 * @skb: to fill
 * @cb: dump state (the snapshot from p2pfence_nl_dump_start())
 *
 * Return: skb->len, 0 when done, or a negative errno.
 */
int p2pfence_nl_dev_get_dumpit(struct sk_buff *skb, struct netlink_callback *cb)
{
	const struct p2pf_txn *x = (const struct p2pf_txn *)cb->args[1];
	u64 next = cb->args[0];	/* ids are 48 bits: a long holds one on 64-bit */
	bool done = false;
	u32 i;

	if (cb->args[2])
		return 0;
	for (i = 0; i < x->t.n; i++) {
		u32 k = x->t.byid[i];
		u64 id = x->t.nodes[k].id;
		void *hdr;

		if (id < next || fm_is_fabric(x->t.nodes[k].type))
			continue;
		hdr = p2pf_dump_hdr(skb, cb, P2PFENCE_CMD_DEV_GET);
		if (!hdr)
			break;
		if (p2pf_put_dev(skb, x, id, k, p2pf_txn_owner(x, k), x->nv)) {
			genlmsg_cancel(skb, hdr);
			break;
		}
		genlmsg_end(skb, hdr);
		next = id + 1;
		if (!next) {
			done = true;	/* the last id there is */
			break;
		}
	}
	/* one device that does not fit an empty message: say so */
	if (i < x->t.n && !skb->len)
		return -EMSGSIZE;
	cb->args[0] = next;
	cb->args[2] = done || i == x->t.n;
	return skb->len;
}

/**
 * p2pfence_nl_tenant_get_doit() - TENANT_GET: one tenant's devices
 * @skb: request
 * @info: attributes (tenant or tenant-name), extack; user_ptr[0]: transaction
 *
 * Return: 0 with the reply, -ENOENT when the tenant owns nothing.
 */
int p2pfence_nl_tenant_get_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct p2pf_txn *x = info->user_ptr[0];
	struct sk_buff *msg;
	u32 tenant, i;
	void *hdr;
	int ret;

	ret = p2pf_req_tenant(info, true, false, false, &tenant);
	if (ret)
		return p2pf_fail(info->extack, ret);
	ret = p2pf_decide_show(x);
	if (ret)
		return p2pf_fail(info->extack, ret);
	for (i = 0; i < x->cur->n && x->cur->e[i].tenant != tenant; i++)
		;
	/* a tenant trusted with ATS is answered even when it owns nothing */
	if (i == x->cur->n && !p2pf_trust_has(&x->tshow, tenant)) {
		NL_SET_ERR_MSG_ATTR_FMT(info->extack, info->attrs[P2PFENCE_A_DEV_TENANT] ?:
					info->attrs[P2PFENCE_A_DEV_TENANT_NAME],
					"tenant %.44s owns no device",
					p2pf_tenant_str(tenant).s);
		return -ENOENT;
	}
	msg = p2pf_reply_new(info, x->cur->n * (64 + P2PF_NAME_SIZE), &hdr);
	if (!msg)
		return p2pf_fail(info->extack, -ENOMEM);
	i = 0;
	return p2pf_reply_send(info, msg, hdr, p2pf_put_tenant(msg, x, tenant, &i));
}

/**
 * p2pfence_nl_tenant_get_dumpit() - TENANT_GET dump: one message per tenant
 * @skb: to fill
 * @cb: dump state (the snapshot from p2pfence_nl_dump_start())
 *
 * Return: skb->len, 0 when done, or a negative errno.
 */
int p2pfence_nl_tenant_get_dumpit(struct sk_buff *skb,
				  struct netlink_callback *cb)
{
	const struct p2pf_txn *x = (const struct p2pf_txn *)cb->args[1];
	const struct p2pf_owners *cur = x->cur;
	u32 next = cb->args[0], from = cb->args[3];
	int ret = 0;

	if (cb->args[2])
		return 0;
	for (;;) {
		u32 i, tenant = 0, start = from;
		void *hdr;

		/* the smallest tenant >= next: owning devices, or trusted with ATS */
		for (i = 0; i < cur->n; i++)
			if (cur->e[i].tenant >= next &&
			    (!tenant || cur->e[i].tenant < tenant))
				tenant = cur->e[i].tenant;
		for (i = 0; i < x->tshow.n; i++)
			if (x->tshow.v[i] >= next && (!tenant || x->tshow.v[i] < tenant)) {
				tenant = x->tshow.v[i];
				break;	/* sorted: the first one >= next */
			}
		if (!tenant) {
			cb->args[2] = 1;
			break;
		}
		hdr = p2pf_dump_hdr(skb, cb, P2PFENCE_CMD_TENANT_GET);
		if (!hdr)
			break;
		ret = p2pf_put_tenant(skb, x, tenant, &from);
		if (ret && from == start) {
			/* not one device of it: the next message */
			genlmsg_cancel(skb, hdr);
			ret = skb->len ? 0 : -EMSGSIZE;
			break;
		}
		genlmsg_end(skb, hdr);
		if (ret) {
			/* its other devices in the next message */
			next = tenant;
			ret = 0;
			break;
		}
		from = 0;
		next = tenant + 1;
		if (!next) {
			cb->args[2] = 1;	/* the last tenant there is */
			break;
		}
	}
	cb->args[0] = next;
	cb->args[3] = from;
	return ret ?: skb->len;
}

/**
 * p2pfence_nl_apply_doit() - APPLY: make the owner table (and the set of
 * tenants trusted with ATS) equal a list
 * @skb: request
 * @info: attributes (dev entries, trusted entries), extack; user_ptr[0]:
 *	transaction
 *
 * Return: 0 with the verdicts reply, or -EXDEV/-ENODEV/-EINVAL/-EIO/-ENOMEM.
 */
int p2pfence_nl_apply_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct p2pf_txn *x = info->user_ptr[0];
	struct p2pf_owners *nown;
	int ret;

	ret = p2pf_parse_entries(info, true, &nown);
	if (ret)
		return p2pf_fail(info->extack, ret);
	/*
	 * The trusted tenants become exactly the trusted entries, with the
	 * table, when there are any or trusted-exact says so (none: no
	 * tenant); a client that knows nothing of trust leaves it as it is.
	 */
	ret = p2pf_parse_trusted(info, &x->trust);
	if (ret) {
		kvfree(nown);
		return p2pf_fail(info->extack, ret);
	}
	x->trust_set = x->trust.n || info->attrs[P2PFENCE_A_DEV_TRUSTED_EXACT];
	ret = p2pf_decide_apply(x, nown);
	if (ret)
		return p2pf_fail(info->extack, ret);
	return p2pf_commit_reply(info, x, p2pf_verdicts_reply(info, x, P2PFENCE_A_DEV_VERDICT,
							   x->t.v, x->nv));
}

/**
 * p2pfence_nl_audit_doit() - AUDIT: re-read hardware, repair, report
 * @skb: request
 * @info: extack; user_ptr[0]: transaction
 *
 * The same path as every re-check of the watch (p2pf_recheck()).
 *
 * Return: 0 with the audit reply, or -ENOMEM.
 */
int p2pfence_nl_audit_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct p2pf_txn *x = info->user_ptr[0];
	struct sk_buff *msg;
	int ret;

	ret = p2pf_decide_audit(x, "audit");
	if (ret)
		return p2pf_fail(info->extack, ret);
	/* a repair that was done stays done: the fence only adds bits */
	ret = p2pf_commit(x);
	if (ret)
		return p2pf_fail(info->extack, ret);
	msg = p2pf_verdicts_reply(info, x, P2PFENCE_A_AUDIT_VERDICT, x->left,
				  x->nleft);
	if (!msg)
		return p2pf_fail(info->extack, -ENOMEM);
	return genlmsg_reply(msg, info);
}

/**
 * p2pfence_nl_mode_get_doit() - MODE_GET
 * @skb: request
 * @info: extack
 *
 * Return: 0 with the mode, or a negative errno.
 */
int p2pfence_nl_mode_get_doit(struct sk_buff *skb, struct genl_info *info)
{
	return p2pf_mode_reply(info, p2pf_get_mode());
}

/**
 * p2pfence_nl_mode_set_doit() - MODE_SET: enforce or audit, done (re-checked)
 * before the reply
 * @skb: request
 * @info: attributes (mode), extack
 *
 * Return: 0 with the new mode, or a negative errno.
 */
int p2pfence_nl_mode_set_doit(struct sk_buff *skb, struct genl_info *info)
{
	u32 mode;

	if (GENL_REQ_ATTR_CHECK(info, P2PFENCE_A_MODE_MODE))
		return -EINVAL;
	mode = nla_get_u32(info->attrs[P2PFENCE_A_MODE_MODE]);
	p2pf_set_mode(mode);
	return p2pf_mode_reply(info, mode);
}

/**
 * p2pfence_nl_tenant_set_doit() - TENANT_SET: set or clear a tenant's ATS
 * trust (the same-tenant GPUDirect opt-in)
 * @skb: request
 * @info: attributes (tenant or tenant-name, trust-ats), extack;
 *	user_ptr[0]: transaction
 *
 * Return: 0 with the tenant reply, or -EXDEV/-ENODEV/-EINVAL/-ENOSPC/-EIO/-ENOMEM.
 */
int p2pfence_nl_tenant_set_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct p2pf_txn *x = info->user_ptr[0];
	u32 tenant;
	bool on;
	int ret;

	if (GENL_REQ_ATTR_CHECK(info, P2PFENCE_A_DEV_TRUST_ATS)) {
		NL_SET_ERR_MSG(info->extack, "trust-ats is required (1: trust, 0: clear)");
		return -EINVAL;
	}
	on = nla_get_u8(info->attrs[P2PFENCE_A_DEV_TRUST_ATS]);
	ret = p2pf_req_tenant(info, true, true, true, &tenant);
	if (ret)
		return p2pf_fail(info->extack, ret);
	ret = p2pf_decide_trust(x, tenant, on);
	if (ret)
		return p2pf_fail(info->extack, ret);
	return p2pf_commit_reply(info, x, p2pf_trust_reply(info, x, tenant, on));
}

/* The quirk-trust set as a reply: one entry per vendor:device. */
static int p2pf_quirk_trust_reply(struct genl_info *info, const u32 *set, u32 n)
{
	struct sk_buff *msg;
	void *hdr;
	int err = 0;
	u32 i;

	msg = p2pf_reply_new(info, n * nla_total_size(sizeof(u32)), &hdr);
	if (!msg)
		return p2pf_fail(info->extack, -ENOMEM);
	for (i = 0; i < n && !err; i++)
		err = nla_put_u32(msg, P2PFENCE_A_QUIRK_ENTRY, set[i]);
	return p2pf_reply_send(info, msg, hdr, err);
}

/**
 * p2pfence_nl_quirk_set_doit() - QUIRK_SET: add, remove or
 * replace vendor:device pairs whose acs-faked the operator waives
 * @skb: request
 * @info: attributes (entry..., trusted), extack
 *
 * Every entry is checked before anything changes: a bad vendor:device, a
 * duplicate, too many, or trusted with other than one entry is -EINVAL.
 *
 * Return: 0 with the set as it now is, or a negative errno.
 */
int p2pfence_nl_quirk_set_doit(struct sk_buff *skb, struct genl_info *info)
{
	const struct nlattr *ta = info->attrs[P2PFENCE_A_QUIRK_TRUSTED];
	u32 req[P2PFENCE_QUIRK_TRUST_MAX], set[P2PFENCE_QUIRK_TRUST_MAX];
	const struct nlattr *a;
	u32 n = 0, nset, q, i;
	const char *bad;
	int rem, ret;

	nlmsg_for_each_attr(a, info->nlhdr, GENL_HDRLEN, rem) {
		if (nla_type(a) != P2PFENCE_A_QUIRK_ENTRY)
			continue;
		if (n == P2PFENCE_QUIRK_TRUST_MAX) {
			NL_SET_ERR_MSG_ATTR_FMT(info->extack, a, "more than %u entries",
						P2PFENCE_QUIRK_TRUST_MAX);
			return -EINVAL;
		}
		q = nla_get_u32(a);
		bad = p2pf_quirk_bad(q);
		if (bad) {
			NL_SET_ERR_MSG_ATTR_FMT(info->extack, a, "%04x:%04x: %s",
						P2PF_QUIRK_VENDOR(q), P2PF_QUIRK_DEVICE(q), bad);
			return -EINVAL;
		}
		for (i = 0; i < n; i++) {
			if (req[i] == q) {
				NL_SET_ERR_MSG_ATTR_FMT(info->extack, a, "%04x:%04x given twice",
							P2PF_QUIRK_VENDOR(q),
							P2PF_QUIRK_DEVICE(q));
				return -EINVAL;
			}
		}
		req[n++] = q;
	}
	if (ta && n != 1) {
		NL_SET_ERR_MSG_ATTR(info->extack, ta,
				    "trusted goes with exactly one entry (none: replace the set)");
		return -EINVAL;
	}
	ret = p2pf_quirk_trust_set(req, n, ta ? nla_get_u8(ta) : -1, set, &nset);
	if (ret == -ENOSPC) {
		NL_SET_ERR_MSG_FMT(info->extack, "the set is full (%u vendor:device pairs)",
				   P2PFENCE_QUIRK_TRUST_MAX);
		return -EINVAL;
	}
	return p2pf_quirk_trust_reply(info, set, nset);
}

/**
 * p2pfence_nl_quirk_get_doit() - QUIRK_GET: the set
 * @skb: request
 * @info: extack
 *
 * Return: 0 with the entries, or a negative errno.
 */
int p2pfence_nl_quirk_get_doit(struct sk_buff *skb, struct genl_info *info)
{
	u32 set[P2PFENCE_QUIRK_TRUST_MAX];

	return p2pf_quirk_trust_reply(info, set, p2pf_quirk_trust_get(set));
}
