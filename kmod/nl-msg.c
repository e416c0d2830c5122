// SPDX-License-Identifier: GPL-2.0
/*
 * nl-msg.c - the messages of the netlink handlers: requests parsed into
 * what the core takes (device ids, entry lists), replies filled from a
 * decided transaction. Every failure explained (extack); nothing here
 * decides or changes anything.
 */
#include <linux/slab.h>
#include <net/genetlink.h>

#include "compat.h"
#include "decide.h"
#include "events.h"
#include "fence.h"
#include "nl-msg.h"
#include "owners.h"
#include "p2pfence-nl.h"

/* Every failure explained: the generic ones get a text if none was set. */
int p2pf_fail(struct netlink_ext_ack *extack, int ret)
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
int p2pf_req_dev(struct genl_info *info, u64 *id)
{
	if (GENL_REQ_ATTR_CHECK(info, P2PFENCE_A_DEV_DOMAIN) ||
	    GENL_REQ_ATTR_CHECK(info, P2PFENCE_A_DEV_BDF))
		return -EINVAL;
	*id = FM_ID(nla_get_u32(info->attrs[P2PFENCE_A_DEV_DOMAIN]), 0, 0) |
	      nla_get_u16(info->attrs[P2PFENCE_A_DEV_BDF]);
	return 0;
}

/*
 * A tenant given as @id_a (an id) or @name_a (a name), not both. @create:
 * a name without an id gets one (p2pf_tenant_lookup()); @assign: the tenant
 * is to own devices, so a bare id must be one callers may pick.
 * Return: 0 with *@tenant (0: neither given), or -errno, explained.
 */
static int p2pf_tenant_attr(struct netlink_ext_ack *extack,
			    const struct nlattr *id_a, const struct nlattr *name_a,
			    bool create, bool assign, u32 *tenant)
{
	const char *name, *bad;
	int ret;

	*tenant = 0;
	if (id_a && name_a) {
		NL_SET_ERR_MSG_ATTR(extack, name_a, "give tenant or tenant-name, not both");
		return -EINVAL;
	}
	if (id_a) {
		*tenant = nla_get_u32(id_a);
		if (assign && *tenant >= P2PFENCE_TENANT_NAMED_MIN) {
			NL_SET_ERR_MSG_ATTR(extack, id_a,
					    "ids from 2147483648 are named tenants': give tenant-name");
			return -EINVAL;
		}
		return 0;
	}
	if (!name_a)
		return 0;
	name = nla_data(name_a);
	bad = p2pf_tenant_name_ok(name);
	if (bad) {
		NL_SET_ERR_MSG_ATTR_FMT(extack, name_a, "%s", bad);
		return -EINVAL;
	}
	ret = p2pf_tenant_lookup(name, create, tenant);
	if (ret == -ENOENT)
		NL_SET_ERR_MSG_ATTR_FMT(extack, name_a, "tenant %.44s owns no device", name);
	else if (ret == -ENOSPC)
		NL_SET_ERR_MSG_ATTR(extack, name_a, "too many named tenants");
	return ret;
}

/**
 * p2pf_req_tenant() - the tenant of a request (tenant or tenant-name)
 * @info: the request
 * @need: one of them is required
 * @create: a new name gets an id (assign; a release's condition)
 * @assign: the tenant is to own devices (ids below tenant-named-min)
 * @tenant: set to the tenant, 0 when none was given
 *
 * Return: 0 or -errno, explained.
 */
int p2pf_req_tenant(struct genl_info *info, bool need, bool create, bool assign,
		    u32 *tenant)
{
	const struct nlattr *id_a = info->attrs[P2PFENCE_A_DEV_TENANT];
	const struct nlattr *name_a = info->attrs[P2PFENCE_A_DEV_TENANT_NAME];

	if (need && !id_a && !name_a) {
		NL_SET_ERR_ATTR_MISS(info->extack, NULL, P2PFENCE_A_DEV_TENANT);
		NL_SET_ERR_MSG(info->extack, "a tenant is required (tenant or tenant-name)");
		return -EINVAL;
	}
	return p2pf_tenant_attr(info->extack, id_a, name_a, create, assign, tenant);
}

/* @tenant and its name as @id_type, @name_type (0 or no name: absent) */
static int p2pf_put_tenant_id(struct sk_buff *skb, const struct p2pf_txn *x,
			      int id_type, int name_type, u32 tenant)
{
	const char *name = p2pf_txn_tname(x, tenant);

	if (nla_put_u32(skb, id_type, tenant) ||
	    (name && nla_put_string(skb, name_type, name)))
		return -EMSGSIZE;
	return 0;
}

/* What is remembered of a device: last tenant, last hand-over reset. */
static int p2pf_put_hist(struct sk_buff *skb, const struct p2pf_txn *x,
			 const struct p2pf_hist *h)
{
	if (!h)
		return 0;
	if ((h->last && p2pf_put_tenant_id(skb, x, P2PFENCE_A_DEV_LAST_TENANT,
					   P2PFENCE_A_DEV_LAST_TENANT_NAME, h->last)) ||
	    (h->unreset && nla_put_u8(skb, P2PFENCE_A_DEV_UNRESET, 1)))
		return -EMSGSIZE;
	if (!h->reset_for)
		return 0;
	if (nla_put_u64_64bit(skb, P2PFENCE_A_DEV_RESET_TIME, h->reset_time,
			      P2PFENCE_A_DEV_PAD) ||
	    nla_put_u32(skb, P2PFENCE_A_DEV_RESET_METHOD, h->method) ||
	    p2pf_put_tenant_id(skb, x, P2PFENCE_A_DEV_RESET_TENANT,
			       P2PFENCE_A_DEV_RESET_TENANT_NAME, h->reset_for))
		return -EMSGSIZE;
	return 0;
}

/* domain, bdf, tenant, fenced, history and the device's verdicts among @nv. */
int p2pf_put_dev(struct sk_buff *skb, const struct p2pf_txn *x, u64 id,
		 s32 idx, u32 tenant, u32 nv)
{
	bool fenced = p2pf_txn_fenced(x, idx, tenant, nv);

	if (nla_put_u32(skb, P2PFENCE_A_DEV_DOMAIN, FM_ID_DOMAIN(id)) ||
	    nla_put_u16(skb, P2PFENCE_A_DEV_BDF, id & 0xffff) ||
	    p2pf_put_tenant_id(skb, x, P2PFENCE_A_DEV_TENANT, P2PFENCE_A_DEV_TENANT_NAME,
			       tenant) ||
	    nla_put_u8(skb, P2PFENCE_A_DEV_FENCED, fenced) ||
	    p2pf_put_hist(skb, x, p2pf_txn_hist(x, id)) ||
	    (idx >= 0 && !(x->t.rst[idx].flags & P2PF_RST_DRV_UNKNOWN) &&
	     nla_put_u8(skb, P2PFENCE_A_DEV_VFIO, x->t.rst[idx].vfio)))
		return -EMSGSIZE;
	if (idx < 0)
		return 0;
	return p2pf_put_verdicts(skb, P2PFENCE_A_DEV_VERDICT, &x->t, x->t.v, nv,
				 idx);
}

/* A reply to @info with room for @extra bytes more than usual, its header. */
struct sk_buff *p2pf_reply_new(struct genl_info *info, size_t extra, void **hdr)
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

/*
 * End a reply whose filling returned @err and send it; a failure is
 * explained (the message is freed).
 */
int p2pf_reply_send(struct genl_info *info, struct sk_buff *msg, void *hdr, int err)
{
	if (err) {
		nlmsg_free(msg);
		return p2pf_fail(info->extack, -EMSGSIZE);
	}
	genlmsg_end(msg, hdr);
	return genlmsg_reply(msg, info);
}

/* Close a reply whose filling returned @err: the message, or NULL (freed). */
struct sk_buff *p2pf_reply_end(struct sk_buff *msg, void *hdr, int err)
{
	if (err) {
		nlmsg_free(msg);
		return NULL;
	}
	genlmsg_end(msg, hdr);
	return msg;
}

/* A reply to @info with a dev payload and @nv verdicts; built before the commit. */
struct sk_buff *p2pf_dev_reply(struct genl_info *info,
			       const struct p2pf_txn *x, u32 tenant, u32 nv)
{
	void *hdr;
	struct sk_buff *msg = p2pf_reply_new(info, p2pf_verdicts_size(nv), &hdr);

	return msg ? p2pf_reply_end(msg, hdr, p2pf_put_dev(msg, x, x->id, x->idx, tenant, nv)) :
		     NULL;
}

/* at most this many devices in one assign or release */
#define P2PF_MAX_REQ_DEVS	256

/*
 * The `dev` entries of a request into a sorted owner table. @tenant: each
 * entry carries one (apply), or none may (assign, release: the tenant is
 * the request's). Return: 0 with *@out (NULL when there is no entry).
 */
int p2pf_parse_entries(struct genl_info *info, bool tenant,
		       struct p2pf_owners **out)
{
	struct netlink_ext_ack *extack = info->extack;
	struct nlattr *tb[P2PFENCE_A_DEV_TENANT_NAME + 1];
	struct p2pf_owners *o;
	const struct nlattr *a;
	u32 n = 0;
	u64 dup;
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
		ret = nla_parse_nested(tb, P2PFENCE_A_DEV_TENANT_NAME, a,
				       p2pfence_dev_entry_nl_policy, extack);
		if (ret)
			goto err;
		ret = -EINVAL;
		if (!tb[P2PFENCE_A_DEV_DOMAIN] || !tb[P2PFENCE_A_DEV_BDF] ||
		    (tenant && !tb[P2PFENCE_A_DEV_TENANT] && !tb[P2PFENCE_A_DEV_TENANT_NAME])) {
			if (tenant)
				NL_SET_ERR_MSG_ATTR(extack, a,
						    "a device entry needs domain, bdf and tenant (or tenant-name)");
			else
				NL_SET_ERR_MSG_ATTR(extack, a,
						    "a device entry needs domain and bdf");
			goto err;
		}
		if (!tenant && (tb[P2PFENCE_A_DEV_TENANT] || tb[P2PFENCE_A_DEV_TENANT_NAME])) {
			NL_SET_ERR_MSG_ATTR(extack, tb[P2PFENCE_A_DEV_TENANT] ?:
					    tb[P2PFENCE_A_DEV_TENANT_NAME],
					    "the tenant goes at the top level of the request");
			goto err;
		}
		if (tb[P2PFENCE_A_DEV_FENCED]) {
			NL_SET_ERR_MSG_ATTR(extack, tb[P2PFENCE_A_DEV_FENCED],
					    "fenced is reply-only");
			goto err;
		}
		o->e[n].id = FM_ID(nla_get_u32(tb[P2PFENCE_A_DEV_DOMAIN]), 0, 0) |
			     nla_get_u16(tb[P2PFENCE_A_DEV_BDF]);
		o->e[n].tenant = 0;
		if (tenant) {
			ret = p2pf_tenant_attr(extack, tb[P2PFENCE_A_DEV_TENANT],
					       tb[P2PFENCE_A_DEV_TENANT_NAME], true, true,
					       &o->e[n].tenant);
			if (ret)
				goto err;
		}
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

/**
 * p2pf_parse_trusted() - an apply's `trusted` entries into a trust set
 * @info: the request
 * @set: set to the tenants named (sorted, unique; empty when none)
 *
 * Each entry is a tenant (tenant or tenant-name) and nothing else.
 *
 * Return: 0 or -errno, explained.
 */
int p2pf_parse_trusted(struct genl_info *info, struct p2pf_trust *set)
{
	struct netlink_ext_ack *extack = info->extack;
	struct nlattr *tb[P2PFENCE_A_DEV_TENANT_NAME + 1];
	const struct nlattr *a;
	u32 n = 0;
	int rem, ret;

	set->n = 0;
	set->v = NULL;
	nlmsg_for_each_attr(a, info->nlhdr, GENL_HDRLEN, rem)
		if (nla_type(a) == P2PFENCE_A_DEV_TRUSTED)
			n++;
	if (!n)
		return 0;
	if (n > P2PF_TRUST_MAX) {
		NL_SET_ERR_MSG_FMT(extack, "%u trusted tenants, at most %u", n, P2PF_TRUST_MAX);
		return -E2BIG;
	}
	set->v = kvmalloc_array(n, sizeof(*set->v), GFP_KERNEL);
	if (!set->v)
		return -ENOMEM;
	nlmsg_for_each_attr(a, info->nlhdr, GENL_HDRLEN, rem) {
		if (nla_type(a) != P2PFENCE_A_DEV_TRUSTED)
			continue;
		ret = nla_parse_nested(tb, P2PFENCE_A_DEV_TENANT_NAME, a,
				       p2pfence_dev_entry_nl_policy, extack);
		if (ret)
			goto err;
		ret = -EINVAL;
		if (tb[P2PFENCE_A_DEV_DOMAIN] || tb[P2PFENCE_A_DEV_BDF] ||
		    tb[P2PFENCE_A_DEV_FENCED] ||
		    (!tb[P2PFENCE_A_DEV_TENANT] && !tb[P2PFENCE_A_DEV_TENANT_NAME])) {
			NL_SET_ERR_MSG_ATTR(extack, a,
					    "a trusted entry is a tenant (or tenant-name) alone");
			goto err;
		}
		ret = p2pf_tenant_attr(extack, tb[P2PFENCE_A_DEV_TENANT],
				       tb[P2PFENCE_A_DEV_TENANT_NAME], true, true,
				       &set->v[set->n]);
		if (ret)
			goto err;
		set->n++;
	}
	return p2pf_trust_sort(set);
err:
	p2pf_trust_free(set);
	return ret;
}

/* A tenant-set reply: the tenant, its trust, verdicts (audit mode). */
struct sk_buff *p2pf_trust_reply(struct genl_info *info, const struct p2pf_txn *x,
				 u32 tenant, bool on)
{
	struct sk_buff *msg;
	void *hdr;
	int ret;

	msg = p2pf_reply_new(info, p2pf_verdicts_size(x->nv), &hdr);
	if (!msg)
		return NULL;
	ret = p2pf_put_tenant_id(msg, x, P2PFENCE_A_DEV_TENANT, P2PFENCE_A_DEV_TENANT_NAME,
				 tenant) ?:
	      nla_put_u8(msg, P2PFENCE_A_DEV_TRUST_ATS, on) ?:
	      p2pf_put_verdicts(msg, P2PFENCE_A_DEV_VERDICT, &x->t, x->t.v, x->nv, -1);
	return p2pf_reply_end(msg, hdr, ret);
}

/*
 * The devices of an assign or release: `dev` entries (*@req, sorted), or
 * the top-level domain and bdf (*@id, *@req NULL) -- one form, not both.
 */
int p2pf_req_devs(struct genl_info *info, struct p2pf_owners **req, u64 *id)
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
struct sk_buff *p2pf_devs_reply(struct genl_info *info,
				const struct p2pf_txn *x, u32 tenant, u32 nv)
{
	const struct p2pf_owners *req = x->req;
	struct sk_buff *msg;
	void *hdr;
	int ret = 0;
	u32 i;

	msg = p2pf_reply_new(info, req->n * nla_total_size(4 * nla_total_size(4) +
							  P2PF_NAME_SIZE) +
			     p2pf_verdicts_size(nv), &hdr);
	if (!msg)
		return NULL;
	if (tenant)
		ret = p2pf_put_tenant_id(msg, x, P2PFENCE_A_DEV_TENANT,
					 P2PFENCE_A_DEV_TENANT_NAME, tenant);
	for (i = 0; i < req->n && !ret; i++) {
		u64 id = req->e[i].id;
		s32 k = fm_find(x->t.ctx, id);
		struct nlattr *nest = nla_nest_start(msg, P2PFENCE_A_DEV_DEV);

		if (!nest ||
		    nla_put_u32(msg, P2PFENCE_A_DEV_DOMAIN, FM_ID_DOMAIN(id)) ||
		    nla_put_u16(msg, P2PFENCE_A_DEV_BDF, id & 0xffff) ||
		    p2pf_put_tenant_id(msg, x, P2PFENCE_A_DEV_TENANT,
				       P2PFENCE_A_DEV_TENANT_NAME, tenant) ||
		    nla_put_u8(msg, P2PFENCE_A_DEV_FENCED,
			       p2pf_txn_fenced(x, k, tenant, nv))) {
			ret = -EMSGSIZE;
			break;
		}
		nla_nest_end(msg, nest);
	}
	if (!ret)
		ret = p2pf_put_verdicts(msg, P2PFENCE_A_DEV_VERDICT, &x->t, x->t.v, nv, -1);
	return p2pf_reply_end(msg, hdr, ret);
}

/* One message of a dump: its header. */
void *p2pf_dump_hdr(struct sk_buff *skb, struct netlink_callback *cb, u8 cmd)
{
	return genlmsg_put(skb, NETLINK_CB(cb->skb).portid, cb->nlh->nlmsg_seq,
			   p2pf_family, NLM_F_MULTI, cmd);
}

/*
 * @tenant, and its devices in the snapshot's table from entry *@from on,
 * nested, with fenced. Return: 0 with *@from past the table; -EMSGSIZE
 * with *@from at the first entry that did not fit (the tenant itself did
 * not when it is unchanged).
 */
int p2pf_put_tenant(struct sk_buff *skb, const struct p2pf_txn *x,
		    u32 tenant, u32 *from)
{
	const struct p2pf_owners *o = x->cur;
	u32 i;

	if (p2pf_put_tenant_id(skb, x, P2PFENCE_A_DEV_TENANT, P2PFENCE_A_DEV_TENANT_NAME,
			       tenant) ||
	    (p2pf_trust_has(&x->tshow, tenant) &&
	     nla_put_u8(skb, P2PFENCE_A_DEV_TRUST_ATS, 1)))
		return -EMSGSIZE;
	for (i = *from; i < o->n; i++) {
		const struct p2pf_owner *e = &o->e[i];
		s32 k = fm_find(x->t.ctx, e->id);
		struct nlattr *nest;

		if (e->tenant != tenant)
			continue;
		nest = nla_nest_start(skb, P2PFENCE_A_DEV_DEV);
		if (!nest)
			goto full;
		if (nla_put_u32(skb, P2PFENCE_A_DEV_DOMAIN, FM_ID_DOMAIN(e->id)) ||
		    nla_put_u16(skb, P2PFENCE_A_DEV_BDF, e->id & 0xffff) ||
		    p2pf_put_tenant_id(skb, x, P2PFENCE_A_DEV_TENANT,
				       P2PFENCE_A_DEV_TENANT_NAME, tenant) ||
		    nla_put_u8(skb, P2PFENCE_A_DEV_FENCED,
			       p2pf_txn_fenced(x, k, tenant, x->nv))) {
			nla_nest_cancel(skb, nest);
			goto full;
		}
		nla_nest_end(skb, nest);
		*from = i + 1;
	}
	*from = o->n;
	return 0;
full:
	return -EMSGSIZE;
}

/* A reply to @info carrying verdicts (and the audit's figures). */
/*
 * The audit's figures: isolated, repaired, and the host-owned devices on
 * vfio-pci (not isolated while any is listed, with vfio_strict=1).
 */
static int p2pf_put_audit(struct sk_buff *msg, const struct p2pf_txn *x)
{
	bool isolated = p2pf_topo_stored(&x->t);
	u32 i;

	/* a verdict the quirk opt-in waived is listed, but isolated stands */
	for (i = 0; i < x->nleft; i++)
		if (!fm_waived(&x->left[i]))
			isolated = false;

	for (i = 0; i < x->t.n; i++) {
		const struct p2pf_rst *r = &x->t.rst[i];

		if (x->t.owner[i] || fm_is_fabric(x->t.nodes[i].type))
			continue;
		/* strict: a device whose driver could not be read may be vfio's */
		if ((r->vfio || (r->flags & P2PF_RST_DRV_UNKNOWN)) &&
		    READ_ONCE(p2pf_vfio_strict))
			isolated = false;
		if (r->vfio &&
		    (nla_put_u32(msg, P2PFENCE_A_AUDIT_VFIO_UNASSIGNED,
				 FM_ID_U32(x->t.nodes[i].id)) ||
		     nla_put_u32(msg, P2PFENCE_A_AUDIT_VFIO_UNASSIGNED_DOMAIN,
				 FM_ID_DOMAIN(x->t.nodes[i].id))))
			return -EMSGSIZE;
	}
	if (nla_put_u8(msg, P2PFENCE_A_AUDIT_ISOLATED, isolated) ||
	    nla_put_u32(msg, P2PFENCE_A_AUDIT_REPAIRED, x->log.n))
		return -EMSGSIZE;
	return 0;
}

struct sk_buff *p2pf_verdicts_reply(struct genl_info *info,
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

int p2pf_mode_reply(struct genl_info *info, u32 mode)
{
	void *hdr;
	struct sk_buff *msg = p2pf_reply_new(info, 0, &hdr);

	if (!msg)
		return p2pf_fail(info->extack, -ENOMEM);
	return p2pf_reply_send(info, msg, hdr, nla_put_u32(msg, P2PFENCE_A_MODE_MODE, mode));
}
