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

/* every verdict attribute is a u32 */
static struct nla_policy verdict_pol[P2PFENCE_A_VERDICT_MAX + 1] = {
	[P2PFENCE_A_VERDICT_KIND ... P2PFENCE_A_VERDICT_TRUSTED_QUIRK] = { .type = NLA_U32 },
};

static struct nla_policy dev_pol[P2PFENCE_A_DEV_MAX + 1] = {
	[P2PFENCE_A_DEV_DOMAIN] = { .type = NLA_U32 },
	[P2PFENCE_A_DEV_BDF] = { .type = NLA_U16 },
	[P2PFENCE_A_DEV_TENANT] = { .type = NLA_U32 },
	[P2PFENCE_A_DEV_FENCED] = { .type = NLA_U8 },
	[P2PFENCE_A_DEV_VERDICT ... P2PFENCE_A_DEV_DEV] = { .type = NLA_NESTED },
	[P2PFENCE_A_DEV_LAST_TENANT] = { .type = NLA_U32 },
	[P2PFENCE_A_DEV_RESET_TIME] = { .type = NLA_U64 },
	[P2PFENCE_A_DEV_RESET_METHOD ... P2PFENCE_A_DEV_RESET_TENANT] = { .type = NLA_U32 },
	[P2PFENCE_A_DEV_UNRESET] = { .type = NLA_U8 },
	[P2PFENCE_A_DEV_VFIO] = { .type = NLA_U8 },
	[P2PFENCE_A_DEV_ACCEPT_NO_RESET] = { .type = NLA_FLAG },	/* requests only */
	[P2PFENCE_A_DEV_TENANT_NAME ... P2PFENCE_A_DEV_RESET_TENANT_NAME] = {
		.type = NLA_STRING, .maxlen = TENANT_NAME_SIZE },
	[P2PFENCE_A_DEV_TRUST_ATS] = { .type = NLA_U8 },
	[P2PFENCE_A_DEV_TRUSTED] = { .type = NLA_NESTED },	/* requests only */
};

static struct nla_policy audit_pol[P2PFENCE_A_AUDIT_MAX + 1] = {
	[P2PFENCE_A_AUDIT_ISOLATED] = { .type = NLA_U8 },
	[P2PFENCE_A_AUDIT_REPAIRED] = { .type = NLA_U32 },
	[P2PFENCE_A_AUDIT_VERDICT] = { .type = NLA_NESTED },
	[P2PFENCE_A_AUDIT_VFIO_UNASSIGNED] = { .type = NLA_U32 },
	[P2PFENCE_A_AUDIT_VFIO_UNASSIGNED_DOMAIN] = { .type = NLA_U32 },
};

static struct nla_policy mode_pol[P2PFENCE_A_MODE_MAX + 1] = {
	[P2PFENCE_A_MODE_MODE] = { .type = NLA_U32 },
};

static struct nla_policy event_pol[P2PFENCE_A_EVENT_MAX + 1] = {
	[P2PFENCE_A_EVENT_EVENT ... P2PFENCE_A_EVENT_DOMAIN] = { .type = NLA_U32 },
	[P2PFENCE_A_EVENT_BDF] = { .type = NLA_U16 },
	[P2PFENCE_A_EVENT_TENANT] = { .type = NLA_U32 },
	[P2PFENCE_A_EVENT_COMM] = { .type = NLA_STRING },
	[P2PFENCE_A_EVENT_VERDICT] = { .type = NLA_NESTED },
	[P2PFENCE_A_EVENT_LAST_TENANT ... P2PFENCE_A_EVENT_RESET_METHOD] = { .type = NLA_U32 },
	[P2PFENCE_A_EVENT_TENANT_NAME ... P2PFENCE_A_EVENT_LAST_TENANT_NAME] = {
		.type = NLA_STRING, .maxlen = TENANT_NAME_SIZE },
	[P2PFENCE_A_EVENT_TRUST_ATS] = { .type = NLA_U8 },
	[P2PFENCE_A_EVENT_QUIRK] = { .type = NLA_U32 },
	[P2PFENCE_A_EVENT_TRUSTED] = { .type = NLA_U8 },
};

/* a new zeroed element of @size at the end of *@arr (*@n of them, room for *@cap) */
static void *push(void **arr, unsigned int *n, unsigned int *cap, size_t size)
{
	void *p;

	if (*n == *cap) {
		p = realloc(*arr, (size_t)(*cap ? *cap * 2 : 8) * size);
		if (!p)
			return NULL;
		*arr = p;
		*cap = *cap ? *cap * 2 : 8;
	}
	p = (char *)*arr + (size_t)(*n)++ * size;
	memset(p, 0, size);
	return p;
}

/* free @n elements of @size at @arr, each with @elem_free first (if any) */
static void arr_free(void *arr, unsigned int n, size_t size, void (*elem_free)(void *elem))
{
	unsigned int i;

	for (i = 0; elem_free && i < n; i++)
		elem_free((char *)arr + i * size);
	free(arr);
}

void pf_verdicts_free(struct pf_verdicts *v)
{
	arr_free(v->v, v->n, sizeof(*v->v), NULL);
	memset(v, 0, sizeof(*v));
}

static void dev_free(void *d)
{
	pf_verdicts_free(&((struct pf_dev *)d)->v);
	free(((struct pf_dev *)d)->boot);
}

void pf_devs_free(struct pf_devs *d)
{
	arr_free(d->d, d->n, sizeof(*d->d), dev_free);
	memset(d, 0, sizeof(*d));
}

static void tenant_free(void *t)
{
	pf_devs_free(&((struct pf_tenant *)t)->devs);
}

void pf_tenants_free(struct pf_tenants *t)
{
	arr_free(t->t, t->n, sizeof(*t->t), tenant_free);
	memset(t, 0, sizeof(*t));
}

/* an optional u32 attribute into *@v (left alone when absent); whether it is there */
static bool opt_u32(struct nlattr *a, uint32_t *v)
{
	if (a)
		*v = nla_get_u32(a);
	return a;
}

/*
 * an optional tenant name into @buf (TENANT_NAME_SIZE bytes; "" when
 * absent); -EPROTO when it is not a NUL-terminated tenant name
 */
static int opt_name(struct nlattr *a, char *buf)
{
	const char *s = a ? nla_data(a) : NULL;
	int len = a ? nla_len(a) : 0;

	buf[0] = '\0';
	if (!a)
		return 0;
	if (len < 2 || len > TENANT_NAME_SIZE || s[len - 1] || !tenant_name_ok(s))
		return -EPROTO;
	strcpy(buf, s);
	return 0;
}

/* a nested P2PFENCE_A_*_VERDICT into @v; -EINVAL when malformed */
/*
 * A verdict's device: the u32 id (a 16-bit domain), its domain replaced by
 * the full one where the module sent it (older modules do not).
 */
static uint64_t verdict_id(struct nlattr **tb, int id_a, int dom_a)
{
	uint32_t id = nla_get_u32(tb[id_a]);

	return tb[dom_a] ? pf_id(nla_get_u32(tb[dom_a]), (uint16_t)(id & 0xffff)) :
			   (uint64_t)id;
}

static int get_verdict(struct nlattr *nest, struct pf_verdict *v)
{
	struct nlattr *tb[P2PFENCE_A_VERDICT_MAX + 1];

	memset(v, 0, sizeof(*v));
	if (nla_parse_nested(tb, P2PFENCE_A_VERDICT_MAX, nest, verdict_pol) < 0)
		return -EINVAL;
	if (!tb[P2PFENCE_A_VERDICT_KIND] || !tb[P2PFENCE_A_VERDICT_DEV] ||
	    !tb[P2PFENCE_A_VERDICT_AT])
		return -EINVAL;
	v->kind = nla_get_u32(tb[P2PFENCE_A_VERDICT_KIND]);
	v->dev = verdict_id(tb, P2PFENCE_A_VERDICT_DEV, P2PFENCE_A_VERDICT_DEV_DOMAIN);
	v->at = verdict_id(tb, P2PFENCE_A_VERDICT_AT, P2PFENCE_A_VERDICT_AT_DOMAIN);
	if (tb[P2PFENCE_A_VERDICT_PEER]) {
		v->has_peer = true;
		v->peer = verdict_id(tb, P2PFENCE_A_VERDICT_PEER, P2PFENCE_A_VERDICT_PEER_DOMAIN);
	}
	if (tb[P2PFENCE_A_VERDICT_VMD]) {
		v->has_vmd = true;
		v->vmd = verdict_id(tb, P2PFENCE_A_VERDICT_VMD, P2PFENCE_A_VERDICT_VMD_DOMAIN);
	}
	if (tb[P2PFENCE_A_VERDICT_MISSING])
		v->missing = (uint16_t)nla_get_u32(tb[P2PFENCE_A_VERDICT_MISSING]);
	if (tb[P2PFENCE_A_VERDICT_FAKED_WHY])
		v->faked_why = nla_get_u32(tb[P2PFENCE_A_VERDICT_FAKED_WHY]);
	/* a module that waived it says so; 0 is no vendor:device */
	if (tb[P2PFENCE_A_VERDICT_TRUSTED_QUIRK])
		v->trusted_quirk = nla_get_u32(tb[P2PFENCE_A_VERDICT_TRUSTED_QUIRK]);
	return 0;
}

/*
 * every verdict nest of @type among the attributes at @head; a malformed
 * one is an error, or with @skip_bad left out
 */
static int get_verdicts(struct nlattr *head, int len, int type, bool skip_bad,
			struct pf_verdicts *out)
{
	struct pf_verdict *v;
	struct nlattr *a;
	int rem;

	nla_for_each_attr(a, head, len, rem) {
		if (nla_type(a) != type)
			continue;
		v = push((void **)&out->v, &out->n, &out->cap, sizeof(*v));
		if (!v)
			return -ENOMEM;
		if (get_verdict(a, v)) {
			out->n--;	/* not kept */
			if (skip_bad)
				continue;
			err_msg("malformed verdict from the kernel");
			return -EPROTO;
		}
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
	d = push((void **)&out->d, &out->n, &out->cap, sizeof(*d));
	if (!d)
		return -ENOMEM;
	d->id = pf_id(nla_get_u32(tb[P2PFENCE_A_DEV_DOMAIN]), nla_get_u16(tb[P2PFENCE_A_DEV_BDF]));
	d->tenant = tb[P2PFENCE_A_DEV_TENANT] ? nla_get_u32(tb[P2PFENCE_A_DEV_TENANT]) : 0;
	d->fenced = tb[P2PFENCE_A_DEV_FENCED] && nla_get_u8(tb[P2PFENCE_A_DEV_FENCED]);
	d->has_last_tenant = opt_u32(tb[P2PFENCE_A_DEV_LAST_TENANT], &d->last_tenant);
	d->has_reset = tb[P2PFENCE_A_DEV_RESET_TIME];
	if (d->has_reset)
		d->reset_time = nla_get_u64(tb[P2PFENCE_A_DEV_RESET_TIME]);
	opt_u32(tb[P2PFENCE_A_DEV_RESET_METHOD], &d->reset_method);
	opt_u32(tb[P2PFENCE_A_DEV_RESET_TENANT], &d->reset_tenant);
	d->unreset = tb[P2PFENCE_A_DEV_UNRESET] && nla_get_u8(tb[P2PFENCE_A_DEV_UNRESET]);
	d->vfio = tb[P2PFENCE_A_DEV_VFIO] && nla_get_u8(tb[P2PFENCE_A_DEV_VFIO]);
	if (opt_name(tb[P2PFENCE_A_DEV_TENANT_NAME], d->tenant_name) ||
	    opt_name(tb[P2PFENCE_A_DEV_LAST_TENANT_NAME], d->last_tenant_name) ||
	    opt_name(tb[P2PFENCE_A_DEV_RESET_TENANT_NAME], d->reset_tenant_name)) {
		err_msg("malformed tenant name from the kernel");
		return -EPROTO;
	}
	return head ? get_verdicts(head, len, P2PFENCE_A_DEV_VERDICT, false, &d->v) : 0;
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

/* the nested dev entries of a message */
static int get_dev_entries(struct nlmsghdr *h, struct pf_devs *out)
{
	struct nlattr *e[P2PFENCE_A_DEV_MAX + 1], *a;
	int rem, ret;

	nlmsg_for_each_attr(a, h, GENL_HDRLEN, rem) {
		if (nla_type(a) != P2PFENCE_A_DEV_DEV)
			continue;
		if (nla_parse_nested(e, P2PFENCE_A_DEV_MAX, a, dev_pol) < 0) {
			err_msg("malformed dev entry from the kernel");
			return -EPROTO;
		}
		ret = get_dev(e, NULL, 0, out);
		if (ret)
			return ret;
	}
	return 0;
}

int pf_tenants_reply(struct nl_msg *msg, void *arg)
{
	struct nlattr *tb[P2PFENCE_A_DEV_MAX + 1];
	struct nlmsghdr *h = nlmsg_hdr(msg);
	struct pf_tenants *out = arg;
	char name[TENANT_NAME_SIZE];
	struct pf_tenant *t;
	uint32_t tenant;

	if (genlmsg_parse(h, 0, tb, P2PFENCE_A_DEV_MAX, dev_pol) < 0 ||
	    !tb[P2PFENCE_A_DEV_TENANT]) {
		err_msg("malformed tenant message from the kernel");
		return -EPROTO;
	}
	tenant = nla_get_u32(tb[P2PFENCE_A_DEV_TENANT]);
	if (opt_name(tb[P2PFENCE_A_DEV_TENANT_NAME], name)) {
		err_msg("malformed tenant name from the kernel");
		return -EPROTO;
	}
	/* a tenant with more devices than one message holds goes on in the next */
	t = out->n ? &out->t[out->n - 1] : NULL;
	if (t && t->tenant == tenant && !strcmp(t->name, name))
		return get_dev_entries(h, &t->devs) ?: NL_OK;
	t = push((void **)&out->t, &out->n, &out->cap, sizeof(*t));
	if (!t)
		return -ENOMEM;
	t->tenant = tenant;
	strcpy(t->name, name);
	t->trust_ats = tb[P2PFENCE_A_DEV_TRUST_ATS] && nla_get_u8(tb[P2PFENCE_A_DEV_TRUST_ATS]);
	return get_dev_entries(h, &t->devs) ?: NL_OK;
}

/*
 * A reply about one device (its attributes at the top level) or several (a
 * dev entry each, the verdicts at the top level: each goes to the device
 * it names).
 */
int pf_devs_reply(struct nl_msg *msg, void *arg)
{
	struct nlattr *tb[P2PFENCE_A_DEV_MAX + 1];
	struct nlmsghdr *h = nlmsg_hdr(msg);
	struct pf_verdicts v = { 0 };
	struct pf_devs *out = arg;
	struct pf_verdicts *dv;
	unsigned int i, k;
	int ret;

	if (genlmsg_parse(h, 0, tb, P2PFENCE_A_DEV_MAX, dev_pol) < 0) {
		err_msg("malformed dev message from the kernel");
		return -EPROTO;
	}
	if (tb[P2PFENCE_A_DEV_DOMAIN])
		return dev_cb(msg, arg);	/* one device */
	ret = get_dev_entries(h, out) ?: get_verdicts(genlmsg_attrdata(nlmsg_data(h), 0), genlmsg_attrlen(nlmsg_data(h), 0),
			   P2PFENCE_A_DEV_VERDICT, false, &v);
	for (i = 0; !ret && i < v.n; i++) {
		for (k = 0; k < out->n && out->d[k].id != v.v[i].dev; k++)
			;
		if (k == out->n)
			continue;	/* a verdict of a device not asked about */
		dv = &out->d[k].v;
		if (!push((void **)&dv->v, &dv->n, &dv->cap, sizeof(*dv->v)))
			ret = -ENOMEM;
		else
			dv->v[dv->n - 1] = v.v[i];
	}
	pf_verdicts_free(&v);
	return ret ?: NL_OK;
}

/* @t as the request's tenant: its name or its id (nothing for NULL) */
static int put_tenant(struct nl_msg *msg, const struct pf_tenant_ref *t)
{
	if (!t)
		return 0;
	if (t->name[0])
		return nla_put_string(msg, P2PFENCE_A_DEV_TENANT_NAME, t->name);
	return nla_put_u32(msg, P2PFENCE_A_DEV_TENANT, t->id);
}

struct nl_msg *pf_dev_msg(struct pf_nl *nl, uint8_t cmd, int flags, const uint64_t *ids,
			  unsigned int n, const struct pf_tenant_ref *tenant, bool accept_no_reset)
{
	struct nl_msg *msg = pf_nl_msg(nl, cmd, flags, 4096 + n * 32);
	struct nlattr *nest;
	unsigned int i;
	bool bad = !msg;

	if (!bad && n == 1 && ids[0] != PF_ALL_DEVS)
		bad = nla_put_u32(msg, P2PFENCE_A_DEV_DOMAIN, (uint32_t)(ids[0] >> 16)) < 0 ||
		      nla_put_u16(msg, P2PFENCE_A_DEV_BDF, (uint16_t)(ids[0] & 0xffff)) < 0;
	for (i = 0; !bad && n > 1 && i < n; i++) {
		nest = nla_nest_start(msg, P2PFENCE_A_DEV_DEV);
		bad = !nest || nla_put_u32(msg, P2PFENCE_A_DEV_DOMAIN, (uint32_t)(ids[i] >> 16)) < 0 ||
		      nla_put_u16(msg, P2PFENCE_A_DEV_BDF, (uint16_t)(ids[i] & 0xffff)) < 0;
		if (!bad)
			nla_nest_end(msg, nest);
	}
	if (bad || put_tenant(msg, tenant) < 0 ||
	    (accept_no_reset && nla_put_flag(msg, P2PFENCE_A_DEV_ACCEPT_NO_RESET) < 0)) {
		nlmsg_free(msg);
		return NULL;
	}
	return msg;
}

/* pf_dev_msg() sent, the reply into @out */
static int dev_request(struct pf_nl *nl, uint8_t cmd, int flags, const uint64_t *ids,
		       unsigned int n, const struct pf_tenant_ref *tenant, bool accept_no_reset,
		       struct pf_devs *out)
{
	struct nl_msg *msg = pf_dev_msg(nl, cmd, flags, ids, n, tenant, accept_no_reset);

	if (!msg)
		return -ENOMEM;
	return pf_nl_exec(nl, msg, pf_devs_reply, out);
}

int pf_dev_assign(struct pf_nl *nl, const uint64_t *ids, unsigned int n,
		  const struct pf_tenant_ref *tenant, bool accept_no_reset, struct pf_devs *out)
{
	return dev_request(nl, P2PFENCE_CMD_DEV_ASSIGN, 0, ids, n, tenant, accept_no_reset, out);
}

int pf_dev_release(struct pf_nl *nl, const uint64_t *ids, unsigned int n,
		   const struct pf_tenant_ref *tenant, struct pf_devs *out)
{
	return dev_request(nl, P2PFENCE_CMD_DEV_RELEASE, 0, ids, n, tenant, false, out);
}

/* @id PF_ALL_DEVS: every device (a dump) */
int pf_dev_get(struct pf_nl *nl, uint64_t id, struct pf_devs *out)
{
	return dev_request(nl, P2PFENCE_CMD_DEV_GET, id == PF_ALL_DEVS ? NLM_F_DUMP : 0,
			   &id, 1, NULL, false, out);
}

struct nl_msg *pf_tenant_msg(struct pf_nl *nl, const struct pf_tenant_ref *tenant)
{
	struct nl_msg *msg = pf_nl_msg(nl, P2PFENCE_CMD_TENANT_GET, tenant ? 0 : NLM_F_DUMP, 0);

	if (msg && put_tenant(msg, tenant) < 0) {
		nlmsg_free(msg);
		return NULL;
	}
	return msg;
}

int pf_tenant_get(struct pf_nl *nl, const struct pf_tenant_ref *tenant, struct pf_tenants *out)
{
	struct nl_msg *msg = pf_tenant_msg(nl, tenant);

	if (!msg)
		return -ENOMEM;
	return pf_nl_exec(nl, msg, pf_tenants_reply, out);
}

/* a tenant-set reply: the tenant's trust as the module now has it, verdicts */
struct trust_reply {
	struct pf_tenant_ref tenant;
	bool *on;
	struct pf_verdicts *v;
};

static int trust_cb(struct nl_msg *msg, void *arg)
{
	struct nlattr *tb[P2PFENCE_A_DEV_MAX + 1];
	struct nlmsghdr *h = nlmsg_hdr(msg);
	struct trust_reply *r = arg;

	if (genlmsg_parse(h, 0, tb, P2PFENCE_A_DEV_MAX, dev_pol) < 0 ||
	    !tb[P2PFENCE_A_DEV_TRUST_ATS] || !tb[P2PFENCE_A_DEV_TENANT]) {
		err_msg("malformed tenant-set reply from the kernel");
		return -EPROTO;
	}
	*r->on = nla_get_u8(tb[P2PFENCE_A_DEV_TRUST_ATS]);
	return get_verdicts(genlmsg_attrdata(nlmsg_data(h), 0),
			    genlmsg_attrlen(nlmsg_data(h), 0), P2PFENCE_A_DEV_VERDICT, false,
			    r->v) ?: NL_OK;
}

int pf_tenant_set(struct pf_nl *nl, const struct pf_tenant_ref *tenant, bool trust_ats,
		  bool *now, struct pf_verdicts *out)
{
	struct nl_msg *msg = pf_nl_msg(nl, P2PFENCE_CMD_TENANT_SET, 0, 0);
	struct trust_reply r = { .on = now, .v = out };

	if (!msg || put_tenant(msg, tenant) < 0 ||
	    nla_put_u8(msg, P2PFENCE_A_DEV_TRUST_ATS, trust_ats) < 0) {
		if (msg)
			nlmsg_free(msg);
		return -ENOMEM;
	}
	return pf_nl_exec(nl, msg, trust_cb, &r);
}

static int verdicts_cb(struct nl_msg *msg, void *arg)
{
	struct nlmsghdr *h = nlmsg_hdr(msg);

	return get_verdicts(genlmsg_attrdata(nlmsg_data(h), 0),
			    genlmsg_attrlen(nlmsg_data(h), 0), P2PFENCE_A_DEV_VERDICT, false,
			    arg) ?: NL_OK;
}

struct nl_msg *pf_apply_msg(struct pf_nl *nl, const struct owners *o)
{
	struct nl_msg *msg;
	struct nlattr *nest;
	size_t i;

	/* one nest per entry: header + domain + bdf + tenant (a name: up to 68 bytes) */
	msg = pf_nl_msg(nl, P2PFENCE_CMD_APPLY, 0, 4096 + (o->n + o->ntrust) * 96);
	for (i = 0; msg && i < o->n; i++) {
		nest = nla_nest_start(msg, P2PFENCE_A_DEV_DEV);
		if (!nest ||
		    nla_put_u32(msg, P2PFENCE_A_DEV_DOMAIN, (uint32_t)(o->v[i].id >> 16)) < 0 ||
		    nla_put_u16(msg, P2PFENCE_A_DEV_BDF, (uint16_t)(o->v[i].id & 0xffff)) < 0 ||
		    put_tenant(msg, &o->v[i].tenant) < 0) {
			nlmsg_free(msg);
			return NULL;
		}
		nla_nest_end(msg, nest);
	}
	/* the tenants trusted with ATS: the apply makes the set equal these */
	if (msg && nla_put_flag(msg, P2PFENCE_A_DEV_TRUSTED_EXACT) < 0) {
		nlmsg_free(msg);
		return NULL;
	}
	for (i = 0; msg && i < o->ntrust; i++) {
		nest = nla_nest_start(msg, P2PFENCE_A_DEV_TRUSTED);
		if (!nest || put_tenant(msg, &o->trust[i]) < 0) {
			nlmsg_free(msg);
			return NULL;
		}
		nla_nest_end(msg, nest);
	}
	return msg;
}

int pf_apply(struct pf_nl *nl, const struct owners *o, struct pf_verdicts *out)
{
	struct nl_msg *msg = pf_apply_msg(nl, o);

	if (!msg)
		return -ENOMEM;
	/* room for a large table in one message */
	nl_socket_set_buffer_size(nl->sk, 1 << 20, (int)(o->n * 96 + 65536));
	return pf_nl_exec(nl, msg, verdicts_cb, out);
}

static int audit_cb(struct nl_msg *msg, void *arg)
{
	struct nlattr *tb[P2PFENCE_A_AUDIT_MAX + 1], *a;
	struct nlmsghdr *h = nlmsg_hdr(msg);
	struct pf_audit *out = arg;
	unsigned int ndom = 0;
	int rem;

	if (genlmsg_parse(h, 0, tb, P2PFENCE_A_AUDIT_MAX, audit_pol) < 0 ||
	    !tb[P2PFENCE_A_AUDIT_ISOLATED]) {
		err_msg("malformed audit reply from the kernel");
		return -EPROTO;
	}
	out->isolated = nla_get_u8(tb[P2PFENCE_A_AUDIT_ISOLATED]);
	out->repaired = tb[P2PFENCE_A_AUDIT_REPAIRED] ?
			nla_get_u32(tb[P2PFENCE_A_AUDIT_REPAIRED]) : 0;
	nlmsg_for_each_attr(a, h, GENL_HDRLEN, rem) {
		uint64_t *id;

		if (nla_type(a) != P2PFENCE_A_AUDIT_VFIO_UNASSIGNED &&
		    nla_type(a) != P2PFENCE_A_AUDIT_VFIO_UNASSIGNED_DOMAIN)
			continue;
		if (nla_len(a) != sizeof(uint32_t)) {
			err_msg("malformed audit reply from the kernel");
			return -EPROTO;
		}
		if (nla_type(a) == P2PFENCE_A_AUDIT_VFIO_UNASSIGNED_DOMAIN) {
			/* the full domain of the id before it (the same order) */
			if (ndom >= out->nvfio) {
				err_msg("malformed audit reply from the kernel");
				return -EPROTO;
			}
			out->vfio[ndom] = pf_id(nla_get_u32(a),
						(uint16_t)(out->vfio[ndom] & 0xffff));
			ndom++;
			continue;
		}
		id = push((void **)&out->vfio, &out->nvfio, &out->vfio_cap, sizeof(*id));
		if (!id)
			return -ENOMEM;
		*id = nla_get_u32(a);
	}
	return get_verdicts(genlmsg_attrdata(nlmsg_data(h), 0),
			    genlmsg_attrlen(nlmsg_data(h), 0), P2PFENCE_A_AUDIT_VERDICT, false,
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

static int quirk_cb(struct nl_msg *msg, void *arg)
{
	struct nlmsghdr *h = nlmsg_hdr(msg);
	struct genlmsghdr *g = nlmsg_data(h);
	struct pf_quirks *out = arg;
	struct nlattr *a;
	int rem;

	out->n = 0;
	nla_for_each_attr(a, genlmsg_attrdata(g, 0), genlmsg_attrlen(g, 0), rem) {
		if (nla_type(a) != P2PFENCE_A_QUIRK_ENTRY)
			continue;
		if (nla_len(a) != sizeof(uint32_t) || out->n == P2PFENCE_QUIRK_TRUST_MAX) {
			err_msg("malformed quirk-trust reply from the kernel");
			return -EPROTO;
		}
		out->q[out->n++] = nla_get_u32(a);
	}
	return NL_OK;
}

int pf_quirk(struct pf_nl *nl, bool set, const uint32_t *q, unsigned int n, int trusted,
	     struct pf_quirks *out)
{
	struct nl_msg *msg = pf_nl_msg(nl, set ? P2PFENCE_CMD_QUIRK_SET : P2PFENCE_CMD_QUIRK_GET,
				       0, 0);
	unsigned int i;

	if (!msg)
		return -ENOMEM;
	for (i = 0; set && i < n; i++)
		if (nla_put_u32(msg, P2PFENCE_A_QUIRK_ENTRY, q[i]) < 0)
			goto nomem;
	if (set && trusted >= 0 && nla_put_u8(msg, P2PFENCE_A_QUIRK_TRUSTED, (uint8_t)trusted) < 0)
		goto nomem;
	return pf_nl_exec(nl, msg, quirk_cb, out);
nomem:
	nlmsg_free(msg);
	return -ENOMEM;
}

/* the monitor group's events: malformed verdicts in one are left out */
int pf_event_parse(struct nl_msg *msg, struct pf_event *ev)
{
	struct nlattr *tb[P2PFENCE_A_EVENT_MAX + 1];
	struct nlmsghdr *h = nlmsg_hdr(msg);
	struct genlmsghdr *g = nlmsg_data(h);

	memset(ev, 0, sizeof(*ev));
	if (g->cmd != P2PFENCE_CMD_EVENT)
		return 1;
	if (genlmsg_parse(h, 0, tb, P2PFENCE_A_EVENT_MAX, event_pol) < 0 ||
	    !tb[P2PFENCE_A_EVENT_EVENT])
		return -EPROTO;
	ev->event = nla_get_u32(tb[P2PFENCE_A_EVENT_EVENT]);
	ev->has_dev = tb[P2PFENCE_A_EVENT_DOMAIN] && tb[P2PFENCE_A_EVENT_BDF];
	if (ev->has_dev)
		ev->dev = pf_id(nla_get_u32(tb[P2PFENCE_A_EVENT_DOMAIN]),
				nla_get_u16(tb[P2PFENCE_A_EVENT_BDF]));
	ev->has_tenant = opt_u32(tb[P2PFENCE_A_EVENT_TENANT], &ev->tenant);
	if (tb[P2PFENCE_A_EVENT_COMM])
		ev->comm = nla_get_string(tb[P2PFENCE_A_EVENT_COMM]);
	ev->has_last_tenant = opt_u32(tb[P2PFENCE_A_EVENT_LAST_TENANT], &ev->last_tenant);
	ev->has_reset_method = opt_u32(tb[P2PFENCE_A_EVENT_RESET_METHOD], &ev->reset_method);
	ev->has_trust = tb[P2PFENCE_A_EVENT_TRUST_ATS];
	ev->trust_ats = ev->has_trust && nla_get_u8(tb[P2PFENCE_A_EVENT_TRUST_ATS]);
	ev->has_quirk = opt_u32(tb[P2PFENCE_A_EVENT_QUIRK], &ev->quirk);
	ev->trusted = tb[P2PFENCE_A_EVENT_TRUSTED] && nla_get_u8(tb[P2PFENCE_A_EVENT_TRUSTED]);
	if (opt_name(tb[P2PFENCE_A_EVENT_TENANT_NAME], ev->tenant_name) ||
	    opt_name(tb[P2PFENCE_A_EVENT_LAST_TENANT_NAME], ev->last_tenant_name))
		return -EPROTO;
	return get_verdicts(genlmsg_attrdata(g, 0), genlmsg_attrlen(g, 0),
			    P2PFENCE_A_EVENT_VERDICT, true, &ev->v);
}
