// SPDX-License-Identifier: GPL-2.0
/*
 * netlink.c - the p2pfence generic netlink handlers.
 *
 * The policies and the op table come from uapi/p2pfence.yaml (see
 * nl-family.c); the core has validated every attribute strictly against them
 * before a handler runs, and has checked CAP_NET_ADMIN (GENL_ADMIN_PERM, on
 * dumps too). Handlers check what a policy cannot say: required attributes,
 * the initial network namespace, and everything about the devices.
 *
 * A write operation is a transaction (p2pf_txn_begin/end): p2pf_lock and the
 * PCI rescan lock, a fresh model of live PCI, verdicts over the would-be
 * owner table, then either a refusal that changes nothing or: program the
 * needed ACS bits (read back, rolled back on failure), commit the table,
 * notify the monitor group, reply.
 */
#include <linux/pci.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <net/genetlink.h>
#include <net/net_namespace.h>
#include <net/sock.h>

#include "compat.h"
#include "p2pfence.h"
#include "p2pfence-nl.h"

/* Bytes of @nv verdict nests, five u32 each. */
static size_t p2pf_verdicts_size(u32 nv)
{
	return (size_t)nv * (nla_total_size(0) + 5 * nla_total_size(sizeof(u32)));
}

static bool p2pf_net_ok(struct net *net, struct netlink_ext_ack *extack)
{
	if (net_eq(net, &init_net))
		return true;
	NL_SET_ERR_MSG(extack, "p2pfence is served in the initial network namespace only");
	return false;
}

static struct fm_policy p2pf_policy(void)
{
	struct fm_policy pol = { .allow_ats = READ_ONCE(p2pf_allow_ats) };

	return pol;
}

static bool p2pf_enforcing(void)
{
	return p2pf_mode == P2PFENCE_MODE_ENFORCE;
}

static u32 p2pf_nverdicts(const struct p2pf_topo *t)
{
	return min_t(u32, t->nv, P2PF_MAX_VERDICTS);
}

static int p2pf_txn_begin(struct p2pf_topo *t, struct netlink_ext_ack *extack)
{
	int ret;

	mutex_lock(&p2pf_lock);
	pci_lock_rescan_remove();
	ret = p2pf_topo_build(t);
	if (ret) {
		pci_unlock_rescan_remove();
		mutex_unlock(&p2pf_lock);
		NL_SET_ERR_MSG_FMT(extack, "cannot model the PCI topology (%d)", ret);
	}
	return ret;
}

static void p2pf_txn_end(struct p2pf_topo *t)
{
	pci_unlock_rescan_remove();
	mutex_unlock(&p2pf_lock);
	p2pf_topo_free(t);
}

/* End of a write transaction: the guard follows the committed table. */
static void p2pf_txn_end_write(struct p2pf_topo *t)
{
	p2pf_watch_sync(t);
	p2pf_txn_end(t);
}

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

/* Install @o as the engine's owners. */
static void p2pf_set_owners(struct p2pf_topo *t, const struct p2pf_owners *o)
{
	p2pf_owners_fill(o, t, t->owner);
	/* cannot fail: p2pf_owners_fill() gives fabric nodes no owner */
	WARN_ON(fm_set_owners(t->ctx, t->owner));
}

static u32 p2pf_idx_id(const struct p2pf_topo *t, s32 idx)
{
	return idx >= 0 ? t->nodes[idx].id : P2PF_NO_ID;
}

/* The extack text of a verdict: "DEV: KIND at AT (peer PEER)". */
static void p2pf_verdict_msg(const struct p2pf_topo *t,
			     const struct fm_verdict *v,
			     struct netlink_ext_ack *extack)
{
	u32 dev = p2pf_idx_id(t, v->dev), at = p2pf_idx_id(t, v->at);
	const char *kind = fm_kind_name(v->kind) ?: "unknown";

	if (v->peer >= 0) {
		u32 peer = p2pf_idx_id(t, v->peer);

		NL_SET_ERR_MSG_FMT(extack, "%s: %s at %s (peer %s)",
				   p2pf_ids(dev).s, kind, p2pf_ids(at).s,
				   p2pf_ids(peer).s);
	} else {
		NL_SET_ERR_MSG_FMT(extack, "%s: %s at %s",
				   p2pf_ids(dev).s, kind, p2pf_ids(at).s);
	}
}

static const struct fm_verdict *p2pf_first_unfixable(const struct p2pf_topo *t)
{
	u32 i;

	for (i = 0; i < p2pf_nverdicts(t); i++)
		if (!fm_kind_fixable(t->v[i].kind))
			return &t->v[i];
	return NULL;
}

static int p2pf_put_verdict(struct sk_buff *skb, int type,
			    const struct p2pf_topo *t, const struct fm_verdict *v)
{
	struct nlattr *nest = nla_nest_start(skb, type);

	if (!nest)
		return -EMSGSIZE;
	if (nla_put_u32(skb, P2PFENCE_A_VERDICT_KIND, v->kind) ||
	    nla_put_u32(skb, P2PFENCE_A_VERDICT_DEV, p2pf_idx_id(t, v->dev)) ||
	    (v->peer >= 0 &&
	     nla_put_u32(skb, P2PFENCE_A_VERDICT_PEER, p2pf_idx_id(t, v->peer))) ||
	    nla_put_u32(skb, P2PFENCE_A_VERDICT_AT, p2pf_idx_id(t, v->at)) ||
	    (v->missing &&
	     nla_put_u32(skb, P2PFENCE_A_VERDICT_MISSING, v->missing))) {
		nla_nest_cancel(skb, nest);
		return -EMSGSIZE;
	}
	nla_nest_end(skb, nest);
	return 0;
}

/* Put the verdicts of @v[0..@nv) that concern device @dev (-1: all). */
static int p2pf_put_verdicts(struct sk_buff *skb, int type,
			     const struct p2pf_topo *t,
			     const struct fm_verdict *v, u32 nv, s32 dev,
			     bool unfixable_only)
{
	u32 i;

	for (i = 0; i < nv; i++) {
		if (dev >= 0 && v[i].dev != dev)
			continue;
		if (unfixable_only && fm_kind_fixable(v[i].kind))
			continue;
		if (p2pf_put_verdict(skb, type, t, &v[i]))
			return -EMSGSIZE;
	}
	return 0;
}

static bool p2pf_has_verdict(const struct fm_verdict *v, u32 nv, s32 dev)
{
	u32 i;

	for (i = 0; i < nv; i++)
		if (v[i].dev == dev)
			return true;
	return false;
}

/*
 * One event on the monitor group. @id may be P2PF_NO_ID, @tenant 0. Events
 * are best effort: without listeners, or out of memory, nothing is sent.
 */
static void p2pf_notify_comm(const struct p2pf_topo *t, u32 event, u32 id,
			     u32 tenant, const struct fm_verdict *v, u32 nv,
			     bool unfixable_only, const char *who)
{
	char comm[TASK_COMM_LEN];
	struct sk_buff *skb;
	void *hdr;

	if (!genl_has_listeners(p2pf_family, &init_net, P2PFENCE_NLGRP_MONITOR))
		return;
	skb = genlmsg_new(NLMSG_GOODSIZE + p2pf_verdicts_size(nv), GFP_KERNEL);
	if (!skb)
		return;
	hdr = genlmsg_put(skb, 0, 0, p2pf_family, 0, P2PFENCE_CMD_EVENT);
	if (!hdr)
		goto err;
	if (who)
		strscpy(comm, who, sizeof(comm));
	else
		get_task_comm(comm, current);
	if (nla_put_u32(skb, P2PFENCE_A_EVENT_EVENT, event) ||
	    (id != P2PF_NO_ID &&
	     (nla_put_u32(skb, P2PFENCE_A_EVENT_DOMAIN, FM_ID_DOMAIN(id)) ||
	      nla_put_u16(skb, P2PFENCE_A_EVENT_BDF, id & 0xffff))) ||
	    (tenant && nla_put_u32(skb, P2PFENCE_A_EVENT_TENANT, tenant)) ||
	    nla_put_string(skb, P2PFENCE_A_EVENT_COMM, comm) ||
	    p2pf_put_verdicts(skb, P2PFENCE_A_EVENT_VERDICT, t, v, nv, -1,
			      unfixable_only))
		goto err;
	genlmsg_end(skb, hdr);
	genlmsg_multicast(p2pf_family, skb, 0, P2PFENCE_NLGRP_MONITOR,
			  GFP_KERNEL);
	return;
err:
	nlmsg_free(skb);
}

static void p2pf_notify(const struct p2pf_topo *t, u32 event, u32 id,
			u32 tenant, const struct fm_verdict *v, u32 nv,
			bool unfixable_only)
{
	p2pf_notify_comm(t, event, id, tenant, v, nv, unfixable_only, NULL);
}

/**
 * p2pf_event() - an event on the monitor group, from outside a request
 * @t: the topology the verdicts index (may be NULL when @nv is 0)
 * @event: enum p2pfence_event
 * @id: the device, or P2PF_NO_ID
 * @tenant: its tenant, 0 for none
 * @v: verdicts to attach
 * @nv: how many
 */
void p2pf_event(const struct p2pf_topo *t, u32 event, u32 id, u32 tenant,
		const struct fm_verdict *v, u32 nv)
{
	p2pf_notify_comm(t, event, id, tenant, v, nv, false, NULL);
}

/**
 * p2pf_event_write_blocked() - notify a config write the guard kept
 * @id: the port
 * @comm: the writer's process name ("" when unknown)
 */
void p2pf_event_write_blocked(u32 id, const char *comm)
{
	p2pf_notify_comm(NULL, P2PFENCE_EVENT_WRITE_BLOCKED, id, 0, NULL, 0,
			 false, comm);
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

/* The model's node for @id: -ENODEV when absent, -EINVAL for fabric. */
static int p2pf_find_dev(const struct p2pf_topo *t, u32 id,
			 struct genl_info *info, s32 *idx)
{
	const struct nlattr *bdf = info->attrs[P2PFENCE_A_DEV_BDF];
	s32 k = fm_find(t->ctx, id);

	*idx = k;
	if (k < 0) {
		NL_SET_ERR_MSG_ATTR_FMT(info->extack, bdf,
					"%s: no such PCI device",
					p2pf_ids(id).s);
		return -ENODEV;
	}
	if (fm_is_fabric(t->nodes[k].type)) {
		NL_SET_ERR_MSG_ATTR_FMT(info->extack, bdf,
					"%s: a port or bridge is never assigned",
					p2pf_ids(id).s);
		return -EINVAL;
	}
	return 0;
}

/* domain, bdf, tenant, fenced and the device's verdicts. */
static int p2pf_put_dev(struct sk_buff *skb, const struct p2pf_topo *t, u32 id,
			s32 idx, u32 tenant, const struct fm_verdict *v, u32 nv)
{
	bool fenced = tenant && idx >= 0 && !p2pf_has_verdict(v, nv, idx);

	if (nla_put_u32(skb, P2PFENCE_A_DEV_DOMAIN, FM_ID_DOMAIN(id)) ||
	    nla_put_u16(skb, P2PFENCE_A_DEV_BDF, id & 0xffff) ||
	    nla_put_u32(skb, P2PFENCE_A_DEV_TENANT, tenant) ||
	    nla_put_u8(skb, P2PFENCE_A_DEV_FENCED, fenced))
		return -EMSGSIZE;
	if (idx < 0)
		return 0;
	return p2pf_put_verdicts(skb, P2PFENCE_A_DEV_VERDICT, t, v, nv, idx,
				 false);
}

/* A reply message of @cmd with a dev payload. */
static struct sk_buff *p2pf_dev_reply(struct genl_info *info,
				      const struct p2pf_topo *t, u32 id,
				      s32 idx, u32 tenant,
				      const struct fm_verdict *v, u32 nv)
{
	struct sk_buff *msg;
	void *hdr;

	msg = genlmsg_new(NLMSG_GOODSIZE + p2pf_verdicts_size(nv), GFP_KERNEL);
	if (!msg)
		return NULL;
	hdr = genlmsg_put_reply(msg, info, p2pf_family, 0,
				info->genlhdr->cmd);
	if (!hdr || p2pf_put_dev(msg, t, id, idx, tenant, v, nv)) {
		nlmsg_free(msg);
		return NULL;
	}
	genlmsg_end(msg, hdr);
	return msg;
}

/**
 * p2pfence_nl_dev_assign_doit() - DEV_ASSIGN: give a device to a tenant
 * @skb: request
 * @info: attributes (domain, bdf, tenant), extack
 *
 * Return: 0 with a dev reply, or -EXDEV/-EBUSY/-ENODEV/-EINVAL/-EIO/-ENOMEM.
 */
int p2pfence_nl_dev_assign_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct netlink_ext_ack *extack = info->extack;
	struct fm_policy pol = p2pf_policy();
	const struct fm_verdict *bad;
	struct p2pf_owners *nown = NULL;
	struct p2pf_wlog log = {};
	struct sk_buff *msg = NULL;
	const struct p2pf_owners *cur;
	u32 id, tenant, owner, nv;
	struct p2pf_topo t;
	bool enforce;
	s32 idx;
	int ret;

	if (!p2pf_net_ok(genl_info_net(info), extack))
		return -EPERM;
	ret = p2pf_req_dev(info, &id);
	if (ret)
		return ret;
	if (GENL_REQ_ATTR_CHECK(info, P2PFENCE_A_DEV_TENANT))
		return -EINVAL;
	tenant = nla_get_u32(info->attrs[P2PFENCE_A_DEV_TENANT]);

	ret = p2pf_txn_begin(&t, extack);
	if (ret)
		return ret;
	enforce = p2pf_enforcing();
	ret = p2pf_find_dev(&t, id, info, &idx);
	if (ret)
		goto out;
	cur = p2pf_owners_cur();
	owner = p2pf_owner_of(cur, id);
	if (owner && owner != tenant) {
		NL_SET_ERR_MSG_FMT(extack, "%s: owned by tenant %u",
				   p2pf_ids(id).s, owner);
		ret = -EBUSY;
		goto out;
	}
	p2pf_set_owners(&t, cur);
	ret = fm_check_assign(t.ctx, &pol, idx, tenant, t.v, P2PF_MAX_VERDICTS,
			      &t.nv, t.need);
	if (ret && ret != -E2BIG) {
		NL_SET_ERR_MSG_FMT(extack, "engine error %d", ret);
		goto out;
	}
	nv = p2pf_nverdicts(&t);
	bad = p2pf_first_unfixable(&t);
	if (enforce && (bad || !p2pf_topo_stored(&t))) {
		if (bad)
			p2pf_verdict_msg(&t, bad, extack);
		else
			NL_SET_ERR_MSG_FMT(extack, "%s: %u verdicts",
					   p2pf_ids(id).s, t.nv);
		p2pf_notify(&t, P2PFENCE_EVENT_REFUSED, id, tenant, t.v, nv,
			    false);
		ret = -EXDEV;
		goto out;
	}

	ret = -ENOMEM;
	nown = p2pf_owners_with(cur, id, tenant);
	if (!nown)
		goto out;
	/* enforce: every verdict left is acs-disabled, fixed below */
	msg = p2pf_dev_reply(info, &t, id, idx, tenant, t.v, enforce ? 0 : nv);
	if (!msg)
		goto out;
	if (enforce) {
		ret = p2pf_enforce(&t, t.need, &log, extack);
		if (ret)
			goto out;
	}
	p2pf_owners_commit(nown);
	nown = NULL;
	p2pf_notify(&t, P2PFENCE_EVENT_ASSIGNED, id, tenant, t.v,
		    enforce ? 0 : nv, false);
	p2pf_txn_end_write(&t);
	p2pf_wlog_free(&log);
	return genlmsg_reply(msg, info);

out:
	p2pf_txn_end_write(&t);
	p2pf_wlog_free(&log);
	kvfree(nown);
	nlmsg_free(msg);
	return p2pf_fail(extack, ret);
}

/* Is (kind, dev, at) of @u among @v? */
static bool p2pf_verdict_in(const struct fm_verdict *u,
			    const struct fm_verdict *v, u32 nv)
{
	u32 i;

	for (i = 0; i < nv; i++)
		if (v[i].kind == u->kind && v[i].dev == u->dev &&
		    v[i].at == u->at)
			return true;
	return false;
}

/*
 * Keep in t->v only the unfixable verdicts that @before (the verdicts under
 * the current table) does not have: what a change of the table would break.
 */
static u32 p2pf_new_unfixable(struct p2pf_topo *t,
			      const struct fm_verdict *before, u32 nb)
{
	u32 i, k = 0, nv = p2pf_nverdicts(t);

	for (i = 0; i < nv; i++) {
		if (fm_kind_fixable(t->v[i].kind) ||
		    p2pf_verdict_in(&t->v[i], before, nb))
			continue;
		t->v[k++] = t->v[i];
	}
	return k;
}

/**
 * p2pfence_nl_dev_release_doit() - DEV_RELEASE: give a device to the host
 * @skb: request
 * @info: attributes (domain, bdf), extack
 *
 * Return: 0 with a dev reply, or -EXDEV/-ENODEV/-EINVAL/-EIO/-ENOMEM.
 */
int p2pfence_nl_dev_release_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct netlink_ext_ack *extack = info->extack;
	struct fm_policy pol = p2pf_policy();
	struct fm_verdict *before = NULL;
	struct p2pf_owners *nown = NULL;
	struct p2pf_wlog log = {};
	struct sk_buff *msg = NULL;
	const struct p2pf_owners *cur;
	u32 id, owner, nb, nbad, nfail = 0;
	u8 *failed = NULL;
	struct p2pf_topo t;
	bool enforce;
	s32 idx;
	int ret;

	if (!p2pf_net_ok(genl_info_net(info), extack))
		return -EPERM;
	ret = p2pf_req_dev(info, &id);
	if (ret)
		return ret;

	ret = p2pf_txn_begin(&t, extack);
	if (ret)
		return ret;
	enforce = p2pf_enforcing();
	cur = p2pf_owners_cur();
	owner = p2pf_owner_of(cur, id);
	idx = fm_find(t.ctx, id);
	/* an entry whose device is gone can still be released */
	if (idx >= 0 || !owner) {
		ret = p2pf_find_dev(&t, id, info, &idx);
		if (ret)
			goto out;
	}
	ret = -ENOMEM;
	msg = p2pf_dev_reply(info, &t, id, idx, 0, NULL, 0);
	if (!msg)
		goto out;
	if (!owner) {
		ret = 0;	/* the host's already: nothing to do */
		goto reply;
	}
	nown = p2pf_owners_with(cur, id, 0);
	if (!nown)
		goto out;

	if (idx >= 0) {
		p2pf_set_owners(&t, cur);
		fm_audit(t.ctx, &pol, t.v, P2PF_MAX_VERDICTS, &t.nv, NULL);
		nb = p2pf_nverdicts(&t);
		before = kvmalloc_array(max(nb, 1U), sizeof(*before), GFP_KERNEL);
		if (!before)
			goto out;
		memcpy(before, t.v, nb * sizeof(*before));
		p2pf_set_owners(&t, nown);
		fm_audit(t.ctx, &pol, t.v, P2PF_MAX_VERDICTS, &t.nv, t.need);
		if (enforce) {
			nbad = p2pf_new_unfixable(&t, before, nb);
			if (nbad) {
				p2pf_verdict_msg(&t, &t.v[0], extack);
				p2pf_notify(&t, P2PFENCE_EVENT_REFUSED, id, owner,
					    t.v, nbad, false);
				ret = -EXDEV;
				goto out;
			}
			/*
			 * What the remaining assignments need; only ever
			 * adds. Node by node: the release itself takes
			 * nothing away, so a node that cannot be programmed
			 * is reported (log, violation) rather than refusing.
			 */
			ret = -ENOMEM;
			failed = kvzalloc(max(t.n, 1U), GFP_KERNEL);
			if (!failed)
				goto out;
			nfail = p2pf_repair(&t, t.need, &log, failed);
		}
	}
	p2pf_owners_commit(nown);
	nown = NULL;
	p2pf_notify(&t, P2PFENCE_EVENT_RELEASED, id, owner, NULL, 0, false);
	if (nfail) {
		u32 nl = p2pf_verdicts_left(&t, p2pf_nverdicts(&t), true, failed,
					    NULL);
		struct fm_verdict *lv = kvmalloc_array(max(nl, 1U), sizeof(*lv),
						       GFP_KERNEL);

		if (lv) {
			p2pf_verdicts_left(&t, p2pf_nverdicts(&t), true, failed, lv);
			p2pf_notify(&t, P2PFENCE_EVENT_VIOLATION, P2PF_NO_ID, 0,
				    lv, nl, false);
			kvfree(lv);
		}
	}
reply:
	p2pf_txn_end_write(&t);
	p2pf_wlog_free(&log);
	kvfree(before);
	kvfree(failed);
	return genlmsg_reply(msg, info);

out:
	p2pf_txn_end_write(&t);
	p2pf_wlog_free(&log);
	kvfree(before);
	kvfree(failed);
	kvfree(nown);
	nlmsg_free(msg);
	return p2pf_fail(extack, ret);
}

/**
 * p2pfence_nl_dev_get_doit() - DEV_GET: one device's owner and fence state
 * @skb: request
 * @info: attributes (domain, bdf), extack
 *
 * Return: 0 with a dev reply, or -ENODEV/-EINVAL/-ENOMEM.
 */
int p2pfence_nl_dev_get_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct netlink_ext_ack *extack = info->extack;
	struct fm_policy pol = p2pf_policy();
	struct sk_buff *msg;
	struct p2pf_topo t;
	u32 id, tenant;
	s32 idx;
	int ret;

	if (!p2pf_net_ok(genl_info_net(info), extack))
		return -EPERM;
	ret = p2pf_req_dev(info, &id);
	if (ret)
		return ret;
	ret = p2pf_txn_begin(&t, extack);
	if (ret)
		return ret;
	ret = p2pf_find_dev(&t, id, info, &idx);
	if (ret)
		goto out;
	p2pf_set_owners(&t, p2pf_owners_cur());
	tenant = t.owner[idx];
	if (tenant)
		fm_check_assign(t.ctx, &pol, idx, tenant, t.v,
				P2PF_MAX_VERDICTS, &t.nv, NULL);
	ret = -ENOMEM;
	msg = p2pf_dev_reply(info, &t, id, idx, tenant, t.v, p2pf_nverdicts(&t));
	if (!msg)
		goto out;
	p2pf_txn_end(&t);
	return genlmsg_reply(msg, info);
out:
	p2pf_txn_end(&t);
	return p2pf_fail(extack, ret);
}

/* Dumps: the cursor is cb->args[0] = 1 + the last id (or tenant) sent. */

/**
 * p2pfence_nl_dev_get_dumpit() - DEV_GET dump: every non-fabric device
 * @skb: to fill
 * @cb: dump state
 *
 * Return: skb->len, 0 when done, or a negative errno.
 */
int p2pfence_nl_dev_get_dumpit(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct fm_policy pol = p2pf_policy();
	u64 next = cb->args[0];
	struct p2pf_topo t;
	bool stuck;
	u32 i, nv;
	int ret;

	if (!p2pf_net_ok(sock_net(cb->skb->sk), cb->extack))
		return -EPERM;
	if (next > U32_MAX)
		return 0;
	ret = p2pf_txn_begin(&t, cb->extack);
	if (ret)
		return ret;
	p2pf_set_owners(&t, p2pf_owners_cur());
	fm_audit(t.ctx, &pol, t.v, P2PF_MAX_VERDICTS, &t.nv, NULL);
	nv = p2pf_nverdicts(&t);
	for (i = 0; i < t.n; i++) {
		u32 k = t.byid[i], id = t.nodes[k].id;
		void *hdr;

		if (id < next || fm_is_fabric(t.nodes[k].type))
			continue;
		hdr = genlmsg_put(skb, NETLINK_CB(cb->skb).portid,
				  cb->nlh->nlmsg_seq, p2pf_family, NLM_F_MULTI,
				  P2PFENCE_CMD_DEV_GET);
		if (!hdr)
			break;
		if (p2pf_put_dev(skb, &t, id, k, t.owner[k], t.v, nv)) {
			genlmsg_cancel(skb, hdr);
			break;
		}
		genlmsg_end(skb, hdr);
		next = (u64)id + 1;
	}
	/* one device that does not fit an empty message: say so */
	stuck = i < t.n && !skb->len;
	p2pf_txn_end(&t);
	if (stuck)
		return -EMSGSIZE;
	cb->args[0] = next;
	return skb->len;
}

/* The devices of @tenant in @o as nested entries, with fenced. */
static int p2pf_put_tenant(struct sk_buff *skb, const struct p2pf_topo *t,
			   const struct p2pf_owners *o, u32 tenant)
{
	u32 i, nv = p2pf_nverdicts(t);

	if (nla_put_u32(skb, P2PFENCE_A_DEV_TENANT, tenant))
		return -EMSGSIZE;
	for (i = 0; i < o->n; i++) {
		const struct p2pf_owner *e = &o->e[i];
		struct nlattr *nest;
		s32 k;

		if (e->tenant != tenant)
			continue;
		k = fm_find(t->ctx, e->id);
		nest = nla_nest_start(skb, P2PFENCE_A_DEV_DEV);
		if (!nest ||
		    nla_put_u32(skb, P2PFENCE_A_DEV_DOMAIN, FM_ID_DOMAIN(e->id)) ||
		    nla_put_u16(skb, P2PFENCE_A_DEV_BDF, e->id & 0xffff) ||
		    nla_put_u32(skb, P2PFENCE_A_DEV_TENANT, tenant) ||
		    nla_put_u8(skb, P2PFENCE_A_DEV_FENCED,
			       k >= 0 && !p2pf_has_verdict(t->v, nv, k)))
			return -EMSGSIZE;
		nla_nest_end(skb, nest);
	}
	return 0;
}

/**
 * p2pfence_nl_tenant_get_doit() - TENANT_GET: one tenant's devices
 * @skb: request
 * @info: attributes (tenant), extack
 *
 * Return: 0 with the reply, -ENOENT when the tenant owns nothing.
 */
int p2pfence_nl_tenant_get_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct netlink_ext_ack *extack = info->extack;
	struct fm_policy pol = p2pf_policy();
	const struct p2pf_owners *cur;
	struct sk_buff *msg = NULL;
	struct p2pf_topo t;
	u32 tenant, i;
	void *hdr;
	int ret;

	if (!p2pf_net_ok(genl_info_net(info), extack))
		return -EPERM;
	if (GENL_REQ_ATTR_CHECK(info, P2PFENCE_A_DEV_TENANT))
		return -EINVAL;
	tenant = nla_get_u32(info->attrs[P2PFENCE_A_DEV_TENANT]);
	ret = p2pf_txn_begin(&t, extack);
	if (ret)
		return ret;
	cur = p2pf_owners_cur();
	for (i = 0; i < cur->n && cur->e[i].tenant != tenant; i++)
		;
	if (i == cur->n) {
		NL_SET_ERR_MSG_ATTR_FMT(extack, info->attrs[P2PFENCE_A_DEV_TENANT],
					"tenant %u owns no device", tenant);
		ret = -ENOENT;
		goto out;
	}
	p2pf_set_owners(&t, cur);
	fm_audit(t.ctx, &pol, t.v, P2PF_MAX_VERDICTS, &t.nv, NULL);
	ret = -ENOMEM;
	msg = genlmsg_new(NLMSG_GOODSIZE + cur->n * 64, GFP_KERNEL);
	if (!msg)
		goto out;
	hdr = genlmsg_put_reply(msg, info, p2pf_family, 0, info->genlhdr->cmd);
	ret = -EMSGSIZE;
	if (!hdr || p2pf_put_tenant(msg, &t, cur, tenant))
		goto out;
	genlmsg_end(msg, hdr);
	p2pf_txn_end(&t);
	return genlmsg_reply(msg, info);
out:
	p2pf_txn_end(&t);
	nlmsg_free(msg);
	return p2pf_fail(extack, ret);
}

/**
 * p2pfence_nl_tenant_get_dumpit() - TENANT_GET dump: one message per tenant
 * @skb: to fill
 * @cb: dump state
 *
 * Return: skb->len, 0 when done, or a negative errno.
 */
int p2pfence_nl_tenant_get_dumpit(struct sk_buff *skb,
				  struct netlink_callback *cb)
{
	struct fm_policy pol = p2pf_policy();
	const struct p2pf_owners *cur;
	u64 next = cb->args[0];
	struct p2pf_topo t;
	int ret = 0;

	if (!p2pf_net_ok(sock_net(cb->skb->sk), cb->extack))
		return -EPERM;
	if (next > U32_MAX)
		return 0;
	ret = p2pf_txn_begin(&t, cb->extack);
	if (ret)
		return ret;
	cur = p2pf_owners_cur();
	p2pf_set_owners(&t, cur);
	fm_audit(t.ctx, &pol, t.v, P2PF_MAX_VERDICTS, &t.nv, NULL);
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
		hdr = genlmsg_put(skb, NETLINK_CB(cb->skb).portid,
				  cb->nlh->nlmsg_seq, p2pf_family, NLM_F_MULTI,
				  P2PFENCE_CMD_TENANT_GET);
		if (!hdr)
			break;
		if (p2pf_put_tenant(skb, &t, cur, tenant)) {
			genlmsg_cancel(skb, hdr);
			if (!skb->len)
				ret = -EMSGSIZE;
			break;
		}
		genlmsg_end(skb, hdr);
		next = (u64)tenant + 1;
	}
	p2pf_txn_end(&t);
	cb->args[0] = next;
	return ret ?: skb->len;
}

/* Parse APPLY's entries into a sorted owner table. */
static int p2pf_apply_parse(struct genl_info *info, struct p2pf_owners **out)
{
	struct netlink_ext_ack *extack = info->extack;
	struct nlattr *tb[P2PFENCE_A_DEV_FENCED + 1];
	struct p2pf_owners *o;
	const struct nlattr *a;
	u32 n = 0, dup;
	int rem, ret;

	nlmsg_for_each_attr(a, info->nlhdr, GENL_HDRLEN, rem)
		if (nla_type(a) == P2PFENCE_A_DEV_DEV)
			n++;
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
		    !tb[P2PFENCE_A_DEV_TENANT]) {
			NL_SET_ERR_MSG_ATTR(extack, a,
					    "a device entry needs domain, bdf and tenant");
			goto err;
		}
		if (tb[P2PFENCE_A_DEV_FENCED]) {
			NL_SET_ERR_MSG_ATTR(extack, tb[P2PFENCE_A_DEV_FENCED],
					    "fenced is reply-only");
			goto err;
		}
		o->e[n].id = nla_get_u32(tb[P2PFENCE_A_DEV_DOMAIN]) << 16 |
			     nla_get_u16(tb[P2PFENCE_A_DEV_BDF]);
		o->e[n].tenant = nla_get_u32(tb[P2PFENCE_A_DEV_TENANT]);
		n++;
	}
	ret = p2pf_owners_sort(o, &dup);
	if (ret) {
		NL_SET_ERR_MSG_FMT(extack, "%s: listed twice",
				   p2pf_ids(dup).s);
		goto err;
	}
	*out = o;
	return 0;
err:
	kvfree(o);
	return ret;
}

/* assigned / released for every device whose owner differs in @old, @new */
static void p2pf_notify_diff(const struct p2pf_topo *t,
			     const struct p2pf_owners *old,
			     const struct p2pf_owners *new)
{
	u32 i;

	for (i = 0; i < old->n; i++)
		if (p2pf_owner_of(new, old->e[i].id) != old->e[i].tenant)
			p2pf_notify(t, P2PFENCE_EVENT_RELEASED, old->e[i].id,
				    old->e[i].tenant, NULL, 0, false);
	for (i = 0; i < new->n; i++)
		if (p2pf_owner_of(old, new->e[i].id) != new->e[i].tenant)
			p2pf_notify(t, P2PFENCE_EVENT_ASSIGNED, new->e[i].id,
				    new->e[i].tenant, NULL, 0, false);
}

/**
 * p2pfence_nl_apply_doit() - APPLY: make the owner table equal a list
 * @skb: request
 * @info: attributes (dev entries), extack
 *
 * Return: 0 with the verdicts reply, or -EXDEV/-ENODEV/-EINVAL/-EIO/-ENOMEM.
 */
int p2pfence_nl_apply_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct netlink_ext_ack *extack = info->extack;
	struct fm_policy pol = p2pf_policy();
	struct p2pf_owners *nown = NULL;
	const struct fm_verdict *bad;
	struct p2pf_wlog log = {};
	struct sk_buff *msg = NULL;
	struct p2pf_topo t;
	bool enforce;
	void *hdr;
	u32 i, nv;
	int ret;

	if (!p2pf_net_ok(genl_info_net(info), extack))
		return -EPERM;
	ret = p2pf_apply_parse(info, &nown);
	if (ret)
		return ret;
	ret = p2pf_txn_begin(&t, extack);
	if (ret) {
		kvfree(nown);
		return ret;
	}
	enforce = p2pf_enforcing();
	for (i = 0; i < nown->n; i++) {
		u32 id = nown->e[i].id;
		s32 k = fm_find(t.ctx, id);

		if (k < 0) {
			NL_SET_ERR_MSG_FMT(extack, "%s: no such PCI device",
					   p2pf_ids(id).s);
			ret = -ENODEV;
			goto out;
		}
		if (fm_is_fabric(t.nodes[k].type)) {
			NL_SET_ERR_MSG_FMT(extack,
					   "%s: a port or bridge is never assigned",
					   p2pf_ids(id).s);
			ret = -EINVAL;
			goto out;
		}
	}
	p2pf_set_owners(&t, nown);
	fm_audit(t.ctx, &pol, t.v, P2PF_MAX_VERDICTS, &t.nv, t.need);
	nv = p2pf_nverdicts(&t);
	bad = p2pf_first_unfixable(&t);
	if (enforce && (bad || !p2pf_topo_stored(&t))) {
		if (bad)
			p2pf_verdict_msg(&t, bad, extack);
		else
			NL_SET_ERR_MSG_FMT(extack, "%u verdicts", t.nv);
		p2pf_notify(&t, P2PFENCE_EVENT_REFUSED, P2PF_NO_ID, 0, t.v, nv,
			    true);
		ret = -EXDEV;
		goto out;
	}
	ret = -ENOMEM;
	msg = genlmsg_new(NLMSG_GOODSIZE + p2pf_verdicts_size(nv), GFP_KERNEL);
	if (!msg)
		goto out;
	hdr = genlmsg_put_reply(msg, info, p2pf_family, 0, info->genlhdr->cmd);
	if (!hdr || (!enforce && p2pf_put_verdicts(msg, P2PFENCE_A_DEV_VERDICT,
						   &t, t.v, nv, -1, false)))
		goto out;
	genlmsg_end(msg, hdr);
	if (enforce) {
		ret = p2pf_enforce(&t, t.need, &log, extack);
		if (ret)
			goto out;
	}
	p2pf_notify_diff(&t, p2pf_owners_cur(), nown);
	p2pf_owners_commit(nown);
	p2pf_txn_end_write(&t);
	p2pf_wlog_free(&log);
	return genlmsg_reply(msg, info);
out:
	p2pf_txn_end_write(&t);
	p2pf_wlog_free(&log);
	kvfree(nown);
	nlmsg_free(msg);
	return p2pf_fail(extack, ret);
}

/**
 * p2pfence_nl_audit_doit() - AUDIT: re-read hardware, repair, report
 * @skb: request
 * @info: extack
 *
 * Return: 0 with the audit reply, or -EIO/-ENOMEM.
 */
int p2pfence_nl_audit_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct netlink_ext_ack *extack = info->extack;
	struct fm_policy pol = p2pf_policy();
	struct fm_verdict *lv = NULL;
	struct p2pf_wlog log = {};
	struct sk_buff *msg = NULL;
	u32 nv, left = 0;
	struct p2pf_topo t;
	u8 *failed = NULL;
	bool enforce;
	void *hdr;
	int ret;

	if (!p2pf_net_ok(genl_info_net(info), extack))
		return -EPERM;
	ret = p2pf_txn_begin(&t, extack);
	if (ret)
		return ret;
	enforce = p2pf_enforcing();
	p2pf_set_owners(&t, p2pf_owners_cur());
	fm_audit(t.ctx, &pol, t.v, P2PF_MAX_VERDICTS, &t.nv, t.need);
	nv = p2pf_nverdicts(&t);
	ret = -ENOMEM;
	lv = kvmalloc_array(max(nv, 1U), sizeof(*lv), GFP_KERNEL);
	if (!lv)
		goto out;
	if (enforce) {
		/* node by node: a node that fails is reported, the rest repaired */
		failed = kvzalloc(max(t.n, 1U), GFP_KERNEL);
		if (!failed)
			goto out;
		p2pf_repair(&t, t.need, &log, failed);
	}
	left = p2pf_verdicts_left(&t, nv, enforce, failed, lv);
	ret = -ENOMEM;
	msg = genlmsg_new(NLMSG_GOODSIZE + p2pf_verdicts_size(nv), GFP_KERNEL);
	if (!msg)
		goto out;
	hdr = genlmsg_put_reply(msg, info, p2pf_family, 0, info->genlhdr->cmd);
	if (!hdr ||
	    nla_put_u8(msg, P2PFENCE_A_AUDIT_ISOLATED,
		       !left && p2pf_topo_stored(&t)) ||
	    nla_put_u32(msg, P2PFENCE_A_AUDIT_REPAIRED, log.n) ||
	    p2pf_put_verdicts(msg, P2PFENCE_A_AUDIT_VERDICT, &t, lv, left, -1,
			      false))
		goto out;
	genlmsg_end(msg, hdr);
	if (log.n) {
		/* the fixable verdicts whose node was repaired */
		struct fm_verdict *fx = kvmalloc_array(max(nv, 1U), sizeof(*fx),
						       GFP_KERNEL);

		if (fx)
			p2pf_notify(&t, P2PFENCE_EVENT_DRIFT_REPAIRED, P2PF_NO_ID,
				    0, fx,
				    p2pf_verdicts_repaired(&t, nv, failed, fx),
				    false);
		kvfree(fx);
	}
	if (left)
		p2pf_notify(&t, P2PFENCE_EVENT_VIOLATION, P2PF_NO_ID, 0, lv, left,
			    false);
	p2pf_txn_end_write(&t);
	p2pf_wlog_free(&log);
	kvfree(failed);
	kvfree(lv);
	return genlmsg_reply(msg, info);
out:
	/* a repair that was done stays done: the fence only adds bits */
	p2pf_txn_end_write(&t);
	p2pf_wlog_free(&log);
	kvfree(failed);
	kvfree(lv);
	nlmsg_free(msg);
	return p2pf_fail(extack, ret);
}

static int p2pf_mode_reply(struct genl_info *info, u32 mode)
{
	struct sk_buff *msg;
	void *hdr;

	msg = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	if (!msg)
		return -ENOMEM;
	hdr = genlmsg_put_reply(msg, info, p2pf_family, 0, info->genlhdr->cmd);
	if (!hdr || nla_put_u32(msg, P2PFENCE_A_MODE_MODE, mode)) {
		nlmsg_free(msg);
		return -EMSGSIZE;
	}
	genlmsg_end(msg, hdr);
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
	if (!p2pf_net_ok(genl_info_net(info), info->extack))
		return -EPERM;
	return p2pf_mode_reply(info, READ_ONCE(p2pf_mode));
}

/**
 * p2pfence_nl_mode_set_doit() - MODE_SET: enforce or audit
 * @skb: request
 * @info: attributes (mode), extack
 *
 * Return: 0 with the new mode, or a negative errno.
 */
int p2pfence_nl_mode_set_doit(struct sk_buff *skb, struct genl_info *info)
{
	u32 mode;

	if (!p2pf_net_ok(genl_info_net(info), info->extack))
		return -EPERM;
	if (GENL_REQ_ATTR_CHECK(info, P2PFENCE_A_MODE_MODE))
		return -EINVAL;
	mode = nla_get_u32(info->attrs[P2PFENCE_A_MODE_MODE]);
	p2pf_set_mode(mode);
	pr_info("mode %s\n", mode == P2PFENCE_MODE_AUDIT ? "audit" : "enforce");
	return p2pf_mode_reply(info, mode);
}
