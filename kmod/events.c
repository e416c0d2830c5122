// SPDX-License-Identifier: GPL-2.0
/*
 * events.c - the monitor group: one function per event kind.
 *
 * Events go to the "monitor" multicast group of the initial network
 * namespace (binding needs CAP_NET_ADMIN: they name tenants). Each carries
 * the event kind, the device and tenant (and its name) where there is one,
 * the name of the process that caused it, and the verdicts behind it.
 * Building one costs an allocation only when someone listens. Nothing here
 * calls back into the rest of the module but for tenant names (owners.c).
 */
#include <linux/sched.h>
#include <linux/string.h>
#include <net/genetlink.h>

#include "compat.h"
#include "events.h"
#include "owners.h"
#include "quirk_trust.h"
#include "topology.h"
#include "p2pfence-nl.h"

/**
 * p2pf_verdicts_size() - message bytes for verdict nests
 * @nv: how many verdicts
 *
 * Return: bytes of @nv nests of twelve u32 each.
 */
size_t p2pf_verdicts_size(u32 nv)
{
	return (size_t)nv * (nla_total_size(0) + 12 * nla_total_size(sizeof(u32)));
}

static int p2pf_put_verdict(struct sk_buff *skb, int type,
			    const struct p2pf_topo *t, const struct fm_verdict *v)
{
	struct nlattr *nest = nla_nest_start(skb, type);
	u64 dev = p2pf_topo_id(t, v->dev), peer = p2pf_topo_id(t, v->peer);
	u64 at = p2pf_topo_id(t, v->at);
	s32 vmd = fm_verdict_vmd(t->nodes, v);

	if (!nest)
		return -EMSGSIZE;
	/* the u32 ids keep their 16-bit domain; the *-domain attrs have all of it */
	if (nla_put_u32(skb, P2PFENCE_A_VERDICT_KIND, v->kind) ||
	    nla_put_u32(skb, P2PFENCE_A_VERDICT_DEV, FM_ID_U32(dev)) ||
	    (v->peer >= 0 &&
	     nla_put_u32(skb, P2PFENCE_A_VERDICT_PEER, FM_ID_U32(peer))) ||
	    nla_put_u32(skb, P2PFENCE_A_VERDICT_AT, FM_ID_U32(at)) ||
	    (v->missing &&
	     nla_put_u32(skb, P2PFENCE_A_VERDICT_MISSING, v->missing)) ||
	    nla_put_u32(skb, P2PFENCE_A_VERDICT_DEV_DOMAIN, FM_ID_DOMAIN(dev)) ||
	    (v->peer >= 0 &&
	     nla_put_u32(skb, P2PFENCE_A_VERDICT_PEER_DOMAIN, FM_ID_DOMAIN(peer))) ||
	    nla_put_u32(skb, P2PFENCE_A_VERDICT_AT_DOMAIN, FM_ID_DOMAIN(at)) ||
	    (vmd >= 0 &&
	     (nla_put_u32(skb, P2PFENCE_A_VERDICT_VMD, FM_ID_U32(t->nodes[vmd].id)) ||
	      nla_put_u32(skb, P2PFENCE_A_VERDICT_VMD_DOMAIN,
			  FM_ID_DOMAIN(t->nodes[vmd].id)))) ||
	    (v->kind == FM_ACS_FAKED &&
	     nla_put_u32(skb, P2PFENCE_A_VERDICT_FAKED_WHY,
			 p2pf_faked_why(&t->nodes[v->at]))) ||
	    (fm_waived(v) &&
	     nla_put_u32(skb, P2PFENCE_A_VERDICT_TRUSTED_QUIRK, t->vdid[v->at]))) {
		nla_nest_cancel(skb, nest);
		return -EMSGSIZE;
	}
	nla_nest_end(skb, nest);
	return 0;
}

/**
 * p2pf_put_verdicts() - put verdict nests
 * @skb: the message
 * @type: the attribute type of each nest
 * @t: the model the verdicts index
 * @v: verdicts
 * @nv: how many
 * @dev: only those of this node (-1: all)
 *
 * Return: 0 or -EMSGSIZE.
 */
int p2pf_put_verdicts(struct sk_buff *skb, int type, const struct p2pf_topo *t,
		      const struct fm_verdict *v, u32 nv, s32 dev)
{
	u32 i;

	for (i = 0; i < nv; i++) {
		if (dev >= 0 && v[i].dev != dev)
			continue;
		if (p2pf_put_verdict(skb, type, t, &v[i]))
			return -EMSGSIZE;
	}
	return 0;
}

/* One event: what the kinds' functions fill in; zero/NULL fields are absent. */
struct p2pf_ev {
	u32 event;
	const struct p2pf_topo *t;	/* the model @v indexes */
	u64 id;				/* the device, P2PF_NO_ID: none */
	u32 tenant;
	const struct fm_verdict *v;
	u32 nv;
	bool one;			/* only @v's verdicts on node @vdev */
	s32 vdev;
	const char *who;		/* NULL: the current task */
	u32 last;			/* handover-reset: the previous tenant */
	u32 method;			/* handover-reset: how */
	bool trust;			/* trust-changed: trusted now */
	u32 quirk;			/* quirk-trust: the vendor:device */
	bool trusted;			/* quirk-trust: trusted from now on */
};

/* The name of @tenant, when it has one (the core's lock is held). */
static int p2pf_ev_put_name(struct sk_buff *skb, int type, u32 tenant)
{
	const char *name = tenant ? p2pf_tenant_name(tenant) : NULL;

	return name ? nla_put_string(skb, type, name) : 0;
}

static void p2pf_ev_send(const struct p2pf_ev *e)
{
	char comm[TASK_COMM_LEN];
	struct sk_buff *skb;
	void *hdr;

	if (!genl_has_listeners(p2pf_family, &init_net, P2PFENCE_NLGRP_MONITOR))
		return;
	skb = genlmsg_new(NLMSG_GOODSIZE + p2pf_verdicts_size(e->nv), GFP_KERNEL);
	if (!skb)
		return;
	hdr = genlmsg_put(skb, 0, 0, p2pf_family, 0, P2PFENCE_CMD_EVENT);
	if (!hdr)
		goto err;
	if (e->who)
		strscpy(comm, e->who, sizeof(comm));
	else
		get_task_comm(comm, current);
	if (nla_put_u32(skb, P2PFENCE_A_EVENT_EVENT, e->event) ||
	    (e->id != P2PF_NO_ID &&
	     (nla_put_u32(skb, P2PFENCE_A_EVENT_DOMAIN, FM_ID_DOMAIN(e->id)) ||
	      nla_put_u16(skb, P2PFENCE_A_EVENT_BDF, e->id & 0xffff))) ||
	    (e->tenant && nla_put_u32(skb, P2PFENCE_A_EVENT_TENANT, e->tenant)) ||
	    nla_put_string(skb, P2PFENCE_A_EVENT_COMM, comm) ||
	    (e->nv && p2pf_put_verdicts(skb, P2PFENCE_A_EVENT_VERDICT, e->t, e->v,
					e->nv, e->one ? e->vdev : -1)) ||
	    (e->last && nla_put_u32(skb, P2PFENCE_A_EVENT_LAST_TENANT, e->last)) ||
	    (e->method && nla_put_u32(skb, P2PFENCE_A_EVENT_RESET_METHOD, e->method)) ||
	    p2pf_ev_put_name(skb, P2PFENCE_A_EVENT_TENANT_NAME, e->tenant) ||
	    p2pf_ev_put_name(skb, P2PFENCE_A_EVENT_LAST_TENANT_NAME, e->last) ||
	    (e->event == P2PFENCE_EVENT_TRUST_CHANGED &&
	     nla_put_u8(skb, P2PFENCE_A_EVENT_TRUST_ATS, e->trust)) ||
	    (e->quirk &&
	     (nla_put_u32(skb, P2PFENCE_A_EVENT_QUIRK, e->quirk) ||
	      nla_put_u8(skb, P2PFENCE_A_EVENT_TRUSTED, e->trusted))))
		goto err;
	genlmsg_end(skb, hdr);
	genlmsg_multicast(p2pf_family, skb, 0, P2PFENCE_NLGRP_MONITOR,
			  GFP_KERNEL);
	return;
err:
	nlmsg_free(skb);
}

/**
 * p2pf_ev_assigned() - a device went to a tenant
 * @t: the model @v indexes
 * @id: the device
 * @tenant: its tenant
 * @v: verdicts (audit mode: what enforce would have refused or programmed)
 * @nv: how many
 * @idx: only those concerning this node (-1: all of them)
 */
void p2pf_ev_assigned(const struct p2pf_topo *t, u64 id, u32 tenant,
		      const struct fm_verdict *v, u32 nv, s32 idx)
{
	const struct p2pf_ev e = { .event = P2PFENCE_EVENT_ASSIGNED, .t = t, .id = id,
				   .tenant = tenant, .v = v, .nv = nv,
				   .one = idx >= 0, .vdev = idx };

	p2pf_ev_send(&e);
}

/**
 * p2pf_ev_released() - a device went back to the host
 * @id: the device
 * @tenant: the tenant that had it
 */
void p2pf_ev_released(u64 id, u32 tenant)
{
	const struct p2pf_ev e = { .event = P2PFENCE_EVENT_RELEASED, .id = id,
				   .tenant = tenant };

	p2pf_ev_send(&e);
}

/**
 * p2pf_ev_refused() - a change was refused; nothing changed
 * @t: the model @v indexes
 * @id: the device, or P2PF_NO_ID (apply)
 * @tenant: the tenant asked for, 0 for none
 * @v: the verdicts that refused it
 * @nv: how many
 */
void p2pf_ev_refused(const struct p2pf_topo *t, u64 id, u32 tenant,
		     const struct fm_verdict *v, u32 nv)
{
	const struct p2pf_ev e = { .event = P2PFENCE_EVENT_REFUSED, .t = t, .id = id,
				   .tenant = tenant, .v = v, .nv = nv };

	p2pf_ev_send(&e);
}

/**
 * p2pf_ev_drift_repaired() - cleared fence bits were set again
 * @t: the model @v indexes
 * @v: the verdicts that were repaired
 * @nv: how many
 */
void p2pf_ev_drift_repaired(const struct p2pf_topo *t,
			    const struct fm_verdict *v, u32 nv)
{
	const struct p2pf_ev e = { .event = P2PFENCE_EVENT_DRIFT_REPAIRED, .t = t,
				   .id = P2PF_NO_ID, .v = v, .nv = nv };

	p2pf_ev_send(&e);
}

/**
 * p2pf_ev_violation() - something is not fenced and the fence cannot fix it
 * @t: the model @v indexes
 * @v: the verdicts left
 * @nv: how many
 */
void p2pf_ev_violation(const struct p2pf_topo *t, const struct fm_verdict *v,
		       u32 nv)
{
	const struct p2pf_ev e = { .event = P2PFENCE_EVENT_VIOLATION, .t = t,
				   .id = P2PF_NO_ID, .v = v, .nv = nv };

	p2pf_ev_send(&e);
}

/**
 * p2pf_ev_device_removed() - an owned device is gone: released
 * @id: the device
 * @tenant: the tenant that had it
 */
void p2pf_ev_device_removed(u64 id, u32 tenant)
{
	const struct p2pf_ev e = { .event = P2PFENCE_EVENT_DEVICE_REMOVED, .id = id,
				   .tenant = tenant };

	p2pf_ev_send(&e);
}

/**
 * p2pf_ev_write_blocked() - the guard kept fence bits against a write
 * @id: the port
 * @comm: the writer's process name ("" when unknown)
 */
void p2pf_ev_write_blocked(u64 id, const char *comm)
{
	const struct p2pf_ev e = { .event = P2PFENCE_EVENT_WRITE_BLOCKED, .id = id,
				   .who = comm };

	p2pf_ev_send(&e);
}

/**
 * p2pf_ev_handover_reset() - a device was reset before passing to a tenant
 * @id: the device
 * @tenant: its new tenant
 * @last: the tenant whose state the reset removed
 * @method: how (enum p2pfence_reset_method)
 */
void p2pf_ev_handover_reset(u64 id, u32 tenant, u32 last, u32 method)
{
	const struct p2pf_ev e = { .event = P2PFENCE_EVENT_HANDOVER_RESET, .id = id,
				   .tenant = tenant, .last = last, .method = method };

	p2pf_ev_send(&e);
}

/**
 * p2pf_ev_vfio_bound() - a host-owned device was bound to vfio-pci
 * @id: the device
 */
void p2pf_ev_vfio_bound(u64 id)
{
	const struct p2pf_ev e = { .event = P2PFENCE_EVENT_VFIO_BOUND, .id = id };

	p2pf_ev_send(&e);
}

/**
 * p2pf_ev_trust_changed() - a tenant's ATS trust (GPUDirect opt-in) changed
 * @tenant: the tenant
 * @on: trusted now
 */
void p2pf_ev_trust_changed(u32 tenant, bool on)
{
	const struct p2pf_ev e = { .event = P2PFENCE_EVENT_TRUST_CHANGED,
				   .id = P2PF_NO_ID, .tenant = tenant, .trust = on };

	p2pf_ev_send(&e);
}

/**
 * p2pf_ev_quirk_trust() - the operator changed the quirk-trust set
 * @quirk: the vendor:device (vendor << 16 | device)
 * @trusted: true when it is trusted from now on, false when withdrawn
 */
void p2pf_ev_quirk_trust(u32 quirk, bool trusted)
{
	const struct p2pf_ev e = { .event = P2PFENCE_EVENT_QUIRK_TRUST, .id = P2PF_NO_ID,
				   .quirk = quirk, .trusted = trusted };

	p2pf_ev_send(&e);
}
