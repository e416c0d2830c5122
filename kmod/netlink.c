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
#include "p2pfence-nl.h"

/* Every failure explained: the generic ones get a text if none was set. */
static int p2pf_fail(struct netlink_ext_ack *extack, int ret)
{
	if (extack && !extack->_msg) {
		if (ret == -ENOMEM)
			NL_SET_ERR_MSG(extack, "out of memory");
		else if (ret == -EMSGSIZE)
			NL_SET_ERR_MSG(extack, "reply does not fit a message");
	}
	return ret;
}

/* domain + bdf -> id; both required. */
static int p2pf_req_dev(struct genl_info *info, u32 *id)
{
	if (GENL_REQ_ATTR_CHECK(info, P2PFENCE_A_DEV_DOMAIN) ||
	    GENL_REQ_ATTR_CHECK(info, P2PFENCE_A_DEV_BDF))
		return -EINVAL;
	*id = nla_get_u32(info->attrs[P2PFENCE_A_DEV_DOMAIN]) << 16 |
	      nla_get_u16(info->attrs[P2PFENCE_A_DEV_BDF]);
	return 0;
}

/* A device the core could not find or take points at the bdf attribute. */
static int p2pf_dev_fail(struct genl_info *info, int ret)
{
	if (ret == -ENODEV || ret == -EINVAL)
		NL_SET_BAD_ATTR(info->extack, info->attrs[P2PFENCE_A_DEV_BDF]);
	return p2pf_fail(info->extack, ret);
}

/* Is the device at @idx, owned by @tenant, fenced once this commits? */
static bool p2pf_will_be_fenced(const struct p2pf_txn *x, s32 idx, u32 tenant, u32 nv)
{
	u32 i;

	/* verdicts lost (more than kept): not known to be fenced */
	if (!tenant || idx < 0 || !p2pf_topo_stored(&x->t))
		return false;
	for (i = 0; i < nv; i++)
		if (x->t.v[i].dev == idx)
			return false;
	return true;
}

/* What is remembered of a device: last tenant, last hand-over reset. */
static int p2pf_put_hist(struct sk_buff *skb, const struct p2pf_hist *h)
{
	if (!h)
		return 0;
	if ((h->last && nla_put_u32(skb, P2PFENCE_A_DEV_LAST_TENANT, h->last)) ||
	    (h->unreset && nla_put_u8(skb, P2PFENCE_A_DEV_UNRESET, 1)))
		return -EMSGSIZE;
	if (!h->reset_for)
		return 0;
	if (nla_put_u64_64bit(skb, P2PFENCE_A_DEV_RESET_TIME, h->reset_time,
			      P2PFENCE_A_DEV_PAD) ||
	    nla_put_u32(skb, P2PFENCE_A_DEV_RESET_METHOD, h->method) ||
	    nla_put_u32(skb, P2PFENCE_A_DEV_RESET_TENANT, h->reset_for))
		return -EMSGSIZE;
	return 0;
}

/* domain, bdf, tenant, fenced, history and the device's verdicts among @nv. */
static int p2pf_put_dev(struct sk_buff *skb, const struct p2pf_txn *x, u32 id,
			s32 idx, u32 tenant, u32 nv)
{
	bool fenced = p2pf_will_be_fenced(x, idx, tenant, nv);

	if (nla_put_u32(skb, P2PFENCE_A_DEV_DOMAIN, FM_ID_DOMAIN(id)) ||
	    nla_put_u16(skb, P2PFENCE_A_DEV_BDF, id & 0xffff) ||
	    nla_put_u32(skb, P2PFENCE_A_DEV_TENANT, tenant) ||
	    nla_put_u8(skb, P2PFENCE_A_DEV_FENCED, fenced) ||
	    p2pf_put_hist(skb, p2pf_txn_hist(x, id)) ||
	    (idx >= 0 && !(x->t.rst[idx].flags & P2PF_RST_DRV_UNKNOWN) &&
	     nla_put_u8(skb, P2PFENCE_A_DEV_VFIO, x->t.rst[idx].vfio)))
		return -EMSGSIZE;
	if (idx < 0)
		return 0;
	return p2pf_put_verdicts(skb, P2PFENCE_A_DEV_VERDICT, &x->t, x->t.v, nv,
				 idx);
}

/* A reply to @info with room for @extra bytes more than usual, its header. */
static struct sk_buff *p2pf_reply_new(struct genl_info *info, size_t extra, void **hdr)
{
	struct sk_buff *msg = genlmsg_new(NLMSG_GOODSIZE + extra, GFP_KERNEL);

	if (!msg)
		return NULL;
	*hdr = genlmsg_put_reply(msg, info, p2pf_family, 0, info->genlhdr->cmd);
	if (!*hdr) {
		nlmsg_free(msg);
		return NULL;
	}
	return msg;
}

/* Close a reply whose filling returned @err: the message, or NULL (freed). */
static struct sk_buff *p2pf_reply_end(struct sk_buff *msg, void *hdr, int err)
{
	if (err) {
		nlmsg_free(msg);
		return NULL;
	}
	genlmsg_end(msg, hdr);
	return msg;
}

/* A reply to @info with a dev payload and @nv verdicts; built before the commit. */
static struct sk_buff *p2pf_dev_reply(struct genl_info *info,
				      const struct p2pf_txn *x, u32 tenant, u32 nv)
{
	void *hdr;
	struct sk_buff *msg = p2pf_reply_new(info, p2pf_verdicts_size(nv), &hdr);

	return msg ? p2pf_reply_end(msg, hdr, p2pf_put_dev(msg, x, x->id, x->idx, tenant, nv)) :
		     NULL;
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

/* at most this many devices in one assign or release */
#define P2PF_MAX_REQ_DEVS	256

/*
 * The `dev` entries of a request into a sorted owner table. @tenant: each
 * entry carries one (apply), or none may (assign, release: the tenant is
 * the request's). Return: 0 with *@out (NULL when there is no entry).
 */
static int p2pf_parse_entries(struct genl_info *info, bool tenant,
			      struct p2pf_owners **out)
{
	struct netlink_ext_ack *extack = info->extack;
	struct nlattr *tb[P2PFENCE_A_DEV_FENCED + 1];
	struct p2pf_owners *o;
	const struct nlattr *a;
	u32 n = 0, dup;
	int rem, ret;

	*out = NULL;
	nlmsg_for_each_attr(a, info->nlhdr, GENL_HDRLEN, rem)
		if (nla_type(a) == P2PFENCE_A_DEV_DEV)
			n++;
	if (!n && !tenant)
		return 0;
	if (!tenant && n > P2PF_MAX_REQ_DEVS) {
		NL_SET_ERR_MSG_FMT(extack, "%u devices, at most %u in one request", n,
				   P2PF_MAX_REQ_DEVS);
		return -E2BIG;
	}
	o = p2pf_owners_alloc(n);
	if (!o)
		return -ENOMEM;
	n = 0;
	nlmsg_for_each_attr(a, info->nlhdr, GENL_HDRLEN, rem) {
		if (nla_type(a) != P2PFENCE_A_DEV_DEV)
			continue;
		ret = nla_parse_nested(tb, P2PFENCE_A_DEV_FENCED, a,
				       p2pfence_dev_entry_nl_policy, extack);
		if (ret)
			goto err;
		ret = -EINVAL;
		if (!tb[P2PFENCE_A_DEV_DOMAIN] || !tb[P2PFENCE_A_DEV_BDF] ||
		    (tenant && !tb[P2PFENCE_A_DEV_TENANT])) {
			if (tenant)
				NL_SET_ERR_MSG_ATTR(extack, a,
						    "a device entry needs domain, bdf and tenant");
			else
				NL_SET_ERR_MSG_ATTR(extack, a,
						    "a device entry needs domain and bdf");
			goto err;
		}
		if (!tenant && tb[P2PFENCE_A_DEV_TENANT]) {
			NL_SET_ERR_MSG_ATTR(extack, tb[P2PFENCE_A_DEV_TENANT],
					    "the tenant goes at the top level of the request");
			goto err;
		}
		if (tb[P2PFENCE_A_DEV_FENCED]) {
			NL_SET_ERR_MSG_ATTR(extack, tb[P2PFENCE_A_DEV_FENCED],
					    "fenced is reply-only");
			goto err;
		}
		o->e[n].id = nla_get_u32(tb[P2PFENCE_A_DEV_DOMAIN]) << 16 |
			     nla_get_u16(tb[P2PFENCE_A_DEV_BDF]);
		o->e[n].tenant = tenant ? nla_get_u32(tb[P2PFENCE_A_DEV_TENANT]) : 0;
		n++;
	}
	ret = p2pf_owners_sort(o, &dup);
	if (ret) {
		NL_SET_ERR_MSG_FMT(extack, "%s: listed twice", p2pf_ids(dup).s);
		goto err;
	}
	*out = o;
	return 0;
err:
	kvfree(o);
	return ret;
}

/*
 * The devices of an assign or release: `dev` entries (*@req, sorted), or
 * the top-level domain and bdf (*@id, *@req NULL) -- one form, not both.
 */
static int p2pf_req_devs(struct genl_info *info, struct p2pf_owners **req, u32 *id)
{
	int ret = p2pf_parse_entries(info, false, req);

	if (ret || !*req)
		return ret ?: p2pf_req_dev(info, id);
	if (info->attrs[P2PFENCE_A_DEV_DOMAIN] || info->attrs[P2PFENCE_A_DEV_BDF]) {
		kvfree(*req);
		*req = NULL;
		NL_SET_ERR_MSG(info->extack, "give domain and bdf, or dev entries, not both");
		return -EINVAL;
	}
	return 0;
}

/* A reply for several devices: a `dev` entry each, then the verdicts. */
static struct sk_buff *p2pf_devs_reply(struct genl_info *info,
				       const struct p2pf_txn *x, u32 tenant, u32 nv)
{
	const struct p2pf_owners *req = x->req;
	struct sk_buff *msg;
	void *hdr;
	int ret = 0;
	u32 i;

	msg = p2pf_reply_new(info, req->n * nla_total_size(4 * nla_total_size(4)) +
			     p2pf_verdicts_size(nv), &hdr);
	if (!msg)
		return NULL;
	if (tenant)
		ret = nla_put_u32(msg, P2PFENCE_A_DEV_TENANT, tenant);
	for (i = 0; i < req->n && !ret; i++) {
		u32 id = req->e[i].id;
		s32 k = fm_find(x->t.ctx, id);
		struct nlattr *nest = nla_nest_start(msg, P2PFENCE_A_DEV_DEV);

		if (!nest ||
		    nla_put_u32(msg, P2PFENCE_A_DEV_DOMAIN, FM_ID_DOMAIN(id)) ||
		    nla_put_u16(msg, P2PFENCE_A_DEV_BDF, id & 0xffff) ||
		    nla_put_u32(msg, P2PFENCE_A_DEV_TENANT, tenant) ||
		    nla_put_u8(msg, P2PFENCE_A_DEV_FENCED,
			       p2pf_will_be_fenced(x, k, tenant, nv))) {
			ret = -EMSGSIZE;
			break;
		}
		nla_nest_end(msg, nest);
	}
	if (!ret)
		ret = p2pf_put_verdicts(msg, P2PFENCE_A_DEV_VERDICT, &x->t, x->t.v, nv, -1);
	return p2pf_reply_end(msg, hdr, ret);
}

/**
 * p2pfence_nl_dev_assign_doit() - DEV_ASSIGN: give a device to a tenant
 * @skb: request
 * @info: attributes (domain, bdf, tenant), extack; user_ptr[0]: transaction
 *
 * Return: 0 with a dev reply, or -EXDEV/-EBUSY/-ENODEV/-EINVAL/-EIO/-ENOMEM.
 */
int p2pfence_nl_dev_assign_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct p2pf_txn *x = info->user_ptr[0];
	struct p2pf_owners *req;
	u32 id, tenant;
	int ret;

	ret = p2pf_req_devs(info, &req, &id);
	if (ret)
		return p2pf_fail(info->extack, ret);
	if (GENL_REQ_ATTR_CHECK(info, P2PFENCE_A_DEV_TENANT)) {
		kvfree(req);
		return -EINVAL;
	}
	tenant = nla_get_u32(info->attrs[P2PFENCE_A_DEV_TENANT]);
	x->accept_unreset = nla_get_flag(info->attrs[P2PFENCE_A_DEV_ACCEPT_NO_RESET]);
	if (!req)
		return p2pf_dev_change(info, x, p2pf_decide_assign(x, id, tenant), tenant,
				       x->nv);
	ret = p2pf_decide_assign_many(x, req, tenant);
	if (ret)
		return p2pf_dev_fail(info, ret);
	return p2pf_commit_reply(info, x, p2pf_devs_reply(info, x, tenant, x->nv));
}

/**
 * p2pfence_nl_dev_release_doit() - DEV_RELEASE: give a device to the host
 * @skb: request
 * @info: attributes (domain, bdf), extack; user_ptr[0]: transaction
 *
 * Return: 0 with a dev reply, or -EXDEV/-ENODEV/-EINVAL/-ENOMEM.
 */
int p2pfence_nl_dev_release_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct p2pf_txn *x = info->user_ptr[0];
	struct p2pf_owners *req;
	u32 id, cond = 0;
	int ret;

	ret = p2pf_req_devs(info, &req, &id);
	if (ret)
		return p2pf_fail(info->extack, ret);
	if (info->attrs[P2PFENCE_A_DEV_TENANT])
		cond = nla_get_u32(info->attrs[P2PFENCE_A_DEV_TENANT]);
	/* the reply: the devices are the host's, with no verdict */
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
	u32 id;
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

/* Dumps: the cursor is cb->args[0] = 1 + the last id (or tenant) sent. */

/* One message of a dump: its header. */
static void *p2pf_dump_hdr(struct sk_buff *skb, struct netlink_callback *cb, u8 cmd)
{
	return genlmsg_put(skb, NETLINK_CB(cb->skb).portid, cb->nlh->nlmsg_seq,
			   p2pf_family, NLM_F_MULTI, cmd);
}

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
	u64 next = cb->args[0];
	u32 i;

	if (next > U32_MAX)
		return 0;
	for (i = 0; i < x->t.n; i++) {
		u32 k = x->t.byid[i], id = x->t.nodes[k].id;
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
		next = (u64)id + 1;
	}
	/* one device that does not fit an empty message: say so */
	if (i < x->t.n && !skb->len)
		return -EMSGSIZE;
	cb->args[0] = next;
	return skb->len;
}

/* The devices of @tenant in the snapshot's table, nested, with fenced. */
static int p2pf_put_tenant(struct sk_buff *skb, const struct p2pf_txn *x,
			   u32 tenant)
{
	const struct p2pf_owners *o = x->cur;
	u32 i;

	if (nla_put_u32(skb, P2PFENCE_A_DEV_TENANT, tenant))
		return -EMSGSIZE;
	for (i = 0; i < o->n; i++) {
		const struct p2pf_owner *e = &o->e[i];
		struct nlattr *nest;

		if (e->tenant != tenant)
			continue;
		nest = nla_nest_start(skb, P2PFENCE_A_DEV_DEV);
		if (!nest ||
		    nla_put_u32(skb, P2PFENCE_A_DEV_DOMAIN, FM_ID_DOMAIN(e->id)) ||
		    nla_put_u16(skb, P2PFENCE_A_DEV_BDF, e->id & 0xffff) ||
		    nla_put_u32(skb, P2PFENCE_A_DEV_TENANT, tenant) ||
		    nla_put_u8(skb, P2PFENCE_A_DEV_FENCED,
			       p2pf_txn_fenced(x, fm_find(x->t.ctx, e->id))))
			return -EMSGSIZE;
		nla_nest_end(skb, nest);
	}
	return 0;
}

/**
 * p2pfence_nl_tenant_get_doit() - TENANT_GET: one tenant's devices
 * @skb: request
 * @info: attributes (tenant), extack; user_ptr[0]: transaction
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

	if (GENL_REQ_ATTR_CHECK(info, P2PFENCE_A_DEV_TENANT))
		return -EINVAL;
	tenant = nla_get_u32(info->attrs[P2PFENCE_A_DEV_TENANT]);
	ret = p2pf_decide_show(x);
	if (ret)
		return p2pf_fail(info->extack, ret);
	for (i = 0; i < x->cur->n && x->cur->e[i].tenant != tenant; i++)
		;
	if (i == x->cur->n) {
		NL_SET_ERR_MSG_ATTR_FMT(info->extack, info->attrs[P2PFENCE_A_DEV_TENANT],
					"tenant %u owns no device", tenant);
		return -ENOENT;
	}
	msg = p2pf_reply_new(info, x->cur->n * 64, &hdr);
	if (!msg)
		return p2pf_fail(info->extack, -ENOMEM);
	msg = p2pf_reply_end(msg, hdr, p2pf_put_tenant(msg, x, tenant));
	if (!msg)
		return p2pf_fail(info->extack, -EMSGSIZE);
	return genlmsg_reply(msg, info);
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
	u64 next = cb->args[0];
	int ret = 0;

	if (next > U32_MAX)
		return 0;
	for (;;) {
		u32 i, tenant = 0;
		void *hdr;

		/* the smallest tenant >= next */
		for (i = 0; i < cur->n; i++)
			if (cur->e[i].tenant >= next &&
			    (!tenant || cur->e[i].tenant < tenant))
				tenant = cur->e[i].tenant;
		if (!tenant) {
			next = (u64)U32_MAX + 1;
			break;
		}
		hdr = p2pf_dump_hdr(skb, cb, P2PFENCE_CMD_TENANT_GET);
		if (!hdr)
			break;
		if (p2pf_put_tenant(skb, x, tenant)) {
			genlmsg_cancel(skb, hdr);
			if (!skb->len)
				ret = -EMSGSIZE;
			break;
		}
		genlmsg_end(skb, hdr);
		next = (u64)tenant + 1;
	}
	cb->args[0] = next;
	return ret ?: skb->len;
}

/* A reply to @info carrying verdicts (and the audit's figures). */
/*
 * The audit's figures: isolated, repaired, and the host-owned devices on
 * vfio-pci (not isolated while any is listed, with vfio_strict=1).
 */
static int p2pf_put_audit(struct sk_buff *msg, const struct p2pf_txn *x)
{
	bool isolated = !x->nleft && p2pf_topo_stored(&x->t);
	u32 i;

	for (i = 0; i < x->t.n; i++) {
		const struct p2pf_rst *r = &x->t.rst[i];

		if (x->t.owner[i] || fm_is_fabric(x->t.nodes[i].type))
			continue;
		/* strict: a device whose driver could not be read may be vfio's */
		if ((r->vfio || (r->flags & P2PF_RST_DRV_UNKNOWN)) &&
		    READ_ONCE(p2pf_vfio_strict))
			isolated = false;
		if (r->vfio &&
		    nla_put_u32(msg, P2PFENCE_A_AUDIT_VFIO_UNASSIGNED, x->t.nodes[i].id))
			return -EMSGSIZE;
	}
	if (nla_put_u8(msg, P2PFENCE_A_AUDIT_ISOLATED, isolated) ||
	    nla_put_u32(msg, P2PFENCE_A_AUDIT_REPAIRED, x->log.n))
		return -EMSGSIZE;
	return 0;
}

static struct sk_buff *p2pf_verdicts_reply(struct genl_info *info,
					   const struct p2pf_txn *x, int type,
					   const struct fm_verdict *v, u32 nv)
{
	struct sk_buff *msg;
	size_t extra = 0;
	void *hdr;
	u32 i;

	/* the audit's list of host-owned vfio devices */
	for (i = 0; x->op == P2PF_OP_AUDIT && i < x->t.n; i++)
		extra += x->t.rst[i].vfio ? nla_total_size(sizeof(u32)) : 0;
	msg = p2pf_reply_new(info, p2pf_verdicts_size(nv) + extra, &hdr);
	if (!msg)
		return NULL;
	return p2pf_reply_end(msg, hdr,
			      (x->op == P2PF_OP_AUDIT && p2pf_put_audit(msg, x)) ||
			      p2pf_put_verdicts(msg, type, &x->t, v, nv, -1));
}

/**
 * p2pfence_nl_apply_doit() - APPLY: make the owner table equal a list
 * @skb: request
 * @info: attributes (dev entries), extack; user_ptr[0]: transaction
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

static int p2pf_mode_reply(struct genl_info *info, u32 mode)
{
	void *hdr;
	struct sk_buff *msg = p2pf_reply_new(info, 0, &hdr);

	if (!msg)
		return p2pf_fail(info->extack, -ENOMEM);
	msg = p2pf_reply_end(msg, hdr, nla_put_u32(msg, P2PFENCE_A_MODE_MODE, mode));
	if (!msg)
		return p2pf_fail(info->extack, -EMSGSIZE);
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
