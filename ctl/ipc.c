// SPDX-License-Identifier: GPL-2.0
/*
 * ipc.c - typed calls to the p2pfence module (see ipc.h): requests in,
 * structs out. The attribute policies of the replies live here, once.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "ipc.h"
#include "owners.h"
#include "util.h"

static struct nla_policy dev_pol[P2PFENCE_A_DEV_MAX + 1] = {
	[P2PFENCE_A_DEV_DOMAIN] = { .type = NLA_U32 },
	[P2PFENCE_A_DEV_BDF] = { .type = NLA_U16 },
	[P2PFENCE_A_DEV_TENANT] = { .type = NLA_U32 },
	[P2PFENCE_A_DEV_FENCED] = { .type = NLA_U8 },
	[P2PFENCE_A_DEV_VERDICT] = { .type = NLA_NESTED },
	[P2PFENCE_A_DEV_DEV] = { .type = NLA_NESTED },
};

static struct nla_policy audit_pol[P2PFENCE_A_AUDIT_MAX + 1] = {
	[P2PFENCE_A_AUDIT_ISOLATED] = { .type = NLA_U8 },
	[P2PFENCE_A_AUDIT_REPAIRED] = { .type = NLA_U32 },
	[P2PFENCE_A_AUDIT_VERDICT] = { .type = NLA_NESTED },
};

static struct nla_policy mode_pol[P2PFENCE_A_MODE_MAX + 1] = {
	[P2PFENCE_A_MODE_MODE] = { .type = NLA_U32 },
};

/* room for one more element of @size in *@arr (n, cap) */
static int grow(void **arr, unsigned int n, unsigned int *cap, size_t size)
{
	void *p;

	if (n < *cap)
		return 0;
	p = realloc(*arr, (size_t)(*cap ? *cap * 2 : 8) * size);
	if (!p)
		return -ENOMEM;
	*arr = p;
	*cap = *cap ? *cap * 2 : 8;
	return 0;
}

void pf_verdicts_free(struct pf_verdicts *v)
{
	free(v->v);
	memset(v, 0, sizeof(*v));
}

void pf_devs_free(struct pf_devs *d)
{
	unsigned int i;

	for (i = 0; i < d->n; i++)
		pf_verdicts_free(&d->d[i].v);
	free(d->d);
	memset(d, 0, sizeof(*d));
}

void pf_tenants_free(struct pf_tenants *t)
{
	unsigned int i;

	for (i = 0; i < t->n; i++)
		pf_devs_free(&t->t[i].devs);
	free(t->t);
	memset(t, 0, sizeof(*t));
}

/* every verdict nest of @type among the attributes at @head */
static int get_verdicts(struct nlattr *head, int len, int type, struct pf_verdicts *out)
{
	struct nlattr *a;
	int rem;

	nla_for_each_attr(a, head, len, rem) {
		if (nla_type(a) != type)
			continue;
		if (grow((void **)&out->v, out->n, &out->cap, sizeof(*out->v)))
			return -ENOMEM;
		if (pf_nl_verdict(a, &out->v[out->n])) {
			err_msg("malformed verdict from the kernel");
			return -EPROTO;
		}
		out->n++;
	}
	return 0;
}

/* a dev message (reply, dump entry) or a nested dev entry */
static int get_dev(struct nlattr **tb, struct nlattr *head, int len, struct pf_devs *out)
{
	struct pf_dev *d;

	if (!tb[P2PFENCE_A_DEV_DOMAIN] || !tb[P2PFENCE_A_DEV_BDF]) {
		err_msg("malformed dev message from the kernel");
		return -EPROTO;
	}
	if (grow((void **)&out->d, out->n, &out->cap, sizeof(*out->d)))
		return -ENOMEM;
	d = &out->d[out->n++];
	memset(d, 0, sizeof(*d));
	d->id = pf_id(nla_get_u32(tb[P2PFENCE_A_DEV_DOMAIN]), nla_get_u16(tb[P2PFENCE_A_DEV_BDF]));
	d->tenant = tb[P2PFENCE_A_DEV_TENANT] ? nla_get_u32(tb[P2PFENCE_A_DEV_TENANT]) : 0;
	d->fenced = tb[P2PFENCE_A_DEV_FENCED] && nla_get_u8(tb[P2PFENCE_A_DEV_FENCED]);
	return head ? get_verdicts(head, len, P2PFENCE_A_DEV_VERDICT, &d->v) : 0;
}

static int dev_cb(struct nl_msg *msg, void *arg)
{
	struct nlattr *tb[P2PFENCE_A_DEV_MAX + 1];
	struct nlmsghdr *h = nlmsg_hdr(msg);

	if (genlmsg_parse(h, 0, tb, P2PFENCE_A_DEV_MAX, dev_pol) < 0) {
		err_msg("malformed dev message from the kernel");
		return -EPROTO;
	}
	return get_dev(tb, genlmsg_attrdata(nlmsg_data(h), 0),
		       genlmsg_attrlen(nlmsg_data(h), 0), arg) ?: NL_OK;
}

static int tenant_cb(struct nl_msg *msg, void *arg)
{
	struct nlattr *tb[P2PFENCE_A_DEV_MAX + 1], *e[P2PFENCE_A_DEV_MAX + 1], *a;
	struct nlmsghdr *h = nlmsg_hdr(msg);
	struct pf_tenants *out = arg;
	struct pf_tenant *t;
	int rem, ret;

	if (genlmsg_parse(h, 0, tb, P2PFENCE_A_DEV_MAX, dev_pol) < 0 ||
	    !tb[P2PFENCE_A_DEV_TENANT]) {
		err_msg("malformed tenant message from the kernel");
		return -EPROTO;
	}
	if (grow((void **)&out->t, out->n, &out->cap, sizeof(*out->t)))
		return -ENOMEM;
	t = &out->t[out->n++];
	memset(t, 0, sizeof(*t));
	t->tenant = nla_get_u32(tb[P2PFENCE_A_DEV_TENANT]);
	nlmsg_for_each_attr(a, h, GENL_HDRLEN, rem) {
		if (nla_type(a) != P2PFENCE_A_DEV_DEV)
			continue;
		if (nla_parse_nested(e, P2PFENCE_A_DEV_MAX, a, dev_pol) < 0) {
			err_msg("malformed dev entry from the kernel");
			return -EPROTO;
		}
		ret = get_dev(e, NULL, 0, &t->devs);
		if (ret)
			return ret;
	}
	return NL_OK;
}

/* a request for @cmd with @id (and @tenant) as dev attributes */
static int dev_request(struct pf_nl *nl, uint8_t cmd, int flags, uint32_t id,
		       uint32_t tenant, struct pf_devs *out)
{
	struct nl_msg *msg = pf_nl_msg(nl, cmd, flags, 0);

	if (!msg || (id != PF_ALL_DEVS &&
		     (nla_put_u32(msg, P2PFENCE_A_DEV_DOMAIN, id >> 16) < 0 ||
		      nla_put_u16(msg, P2PFENCE_A_DEV_BDF, (uint16_t)(id & 0xffff)) < 0)) ||
	    (tenant && nla_put_u32(msg, P2PFENCE_A_DEV_TENANT, tenant) < 0)) {
		nlmsg_free(msg);
		return -ENOMEM;
	}
	return pf_nl_exec(nl, msg, dev_cb, out);
}

int pf_dev_assign(struct pf_nl *nl, uint32_t id, uint32_t tenant, struct pf_devs *out)
{
	return dev_request(nl, P2PFENCE_CMD_DEV_ASSIGN, 0, id, tenant, out);
}

int pf_dev_release(struct pf_nl *nl, uint32_t id, struct pf_devs *out)
{
	return dev_request(nl, P2PFENCE_CMD_DEV_RELEASE, 0, id, 0, out);
}

/* @id PF_ALL_DEVS: every device (a dump) */
int pf_dev_get(struct pf_nl *nl, uint32_t id, struct pf_devs *out)
{
	return dev_request(nl, P2PFENCE_CMD_DEV_GET, id == PF_ALL_DEVS ? NLM_F_DUMP : 0,
			   id, 0, out);
}

/* @tenant 0: every tenant that owns something (a dump) */
int pf_tenant_get(struct pf_nl *nl, uint32_t tenant, struct pf_tenants *out)
{
	struct nl_msg *msg = pf_nl_msg(nl, P2PFENCE_CMD_TENANT_GET, tenant ? 0 : NLM_F_DUMP, 0);

	if (!msg || (tenant && nla_put_u32(msg, P2PFENCE_A_DEV_TENANT, tenant) < 0)) {
		nlmsg_free(msg);
		return -ENOMEM;
	}
	return pf_nl_exec(nl, msg, tenant_cb, out);
}

static int verdicts_cb(struct nl_msg *msg, void *arg)
{
	struct nlmsghdr *h = nlmsg_hdr(msg);

	return get_verdicts(genlmsg_attrdata(nlmsg_data(h), 0),
			    genlmsg_attrlen(nlmsg_data(h), 0), P2PFENCE_A_DEV_VERDICT,
			    arg) ?: NL_OK;
}

int pf_apply(struct pf_nl *nl, const struct owners *o, struct pf_verdicts *out)
{
	struct nl_msg *msg;
	struct nlattr *nest;
	size_t i;

	/* one nest per entry: header + domain + bdf + tenant */
	msg = pf_nl_msg(nl, P2PFENCE_CMD_APPLY, 0, 4096 + o->n * 32);
	for (i = 0; msg && i < o->n; i++) {
		nest = nla_nest_start(msg, P2PFENCE_A_DEV_DEV);
		if (!nest ||
		    nla_put_u32(msg, P2PFENCE_A_DEV_DOMAIN, o->v[i].id >> 16) < 0 ||
		    nla_put_u16(msg, P2PFENCE_A_DEV_BDF, (uint16_t)(o->v[i].id & 0xffff)) < 0 ||
		    nla_put_u32(msg, P2PFENCE_A_DEV_TENANT, o->v[i].tenant) < 0) {
			nlmsg_free(msg);
			return -ENOMEM;
		}
		nla_nest_end(msg, nest);
	}
	if (!msg)
		return -ENOMEM;
	/* room for a large table in one message */
	nl_socket_set_buffer_size(nl->sk, 1 << 20, (int)(o->n * 32 + 65536));
	return pf_nl_exec(nl, msg, verdicts_cb, out);
}

static int audit_cb(struct nl_msg *msg, void *arg)
{
	struct nlattr *tb[P2PFENCE_A_AUDIT_MAX + 1];
	struct nlmsghdr *h = nlmsg_hdr(msg);
	struct pf_audit *out = arg;

	if (genlmsg_parse(h, 0, tb, P2PFENCE_A_AUDIT_MAX, audit_pol) < 0 ||
	    !tb[P2PFENCE_A_AUDIT_ISOLATED]) {
		err_msg("malformed audit reply from the kernel");
		return -EPROTO;
	}
	out->isolated = nla_get_u8(tb[P2PFENCE_A_AUDIT_ISOLATED]);
	out->repaired = tb[P2PFENCE_A_AUDIT_REPAIRED] ?
			nla_get_u32(tb[P2PFENCE_A_AUDIT_REPAIRED]) : 0;
	return get_verdicts(genlmsg_attrdata(nlmsg_data(h), 0),
			    genlmsg_attrlen(nlmsg_data(h), 0), P2PFENCE_A_AUDIT_VERDICT,
			    &out->v) ?: NL_OK;
}

/* -EPROTO when the kernel answered with no audit reply at all */
int pf_audit(struct pf_nl *nl, struct pf_audit *out)
{
	struct nl_msg *msg = pf_nl_msg(nl, P2PFENCE_CMD_AUDIT, 0, 0);
	int ret;

	if (!msg)
		return -ENOMEM;
	out->isolated = false;
	out->repaired = UINT32_MAX;	/* "no reply" until one comes */
	ret = pf_nl_exec(nl, msg, audit_cb, out);
	if (!ret && out->repaired == UINT32_MAX)
		ret = -EPROTO;
	return ret;
}

static int mode_cb(struct nl_msg *msg, void *arg)
{
	struct nlattr *tb[P2PFENCE_A_MODE_MAX + 1];

	if (genlmsg_parse(nlmsg_hdr(msg), 0, tb, P2PFENCE_A_MODE_MAX, mode_pol) < 0 ||
	    !tb[P2PFENCE_A_MODE_MODE]) {
		err_msg("malformed mode reply from the kernel");
		return -EPROTO;
	}
	*(uint32_t *)arg = nla_get_u32(tb[P2PFENCE_A_MODE_MODE]);
	return NL_OK;
}

/* set: *@mode in, the mode in force out; else the mode out */
int pf_mode(struct pf_nl *nl, bool set, uint32_t *mode)
{
	struct nl_msg *msg = pf_nl_msg(nl, set ? P2PFENCE_CMD_MODE_SET : P2PFENCE_CMD_MODE_GET,
				       0, 0);

	if (!msg || (set && nla_put_u32(msg, P2PFENCE_A_MODE_MODE, *mode) < 0)) {
		nlmsg_free(msg);
		return -ENOMEM;
	}
	return pf_nl_exec(nl, msg, mode_cb, mode);
}
