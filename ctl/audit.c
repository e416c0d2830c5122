// SPDX-License-Identifier: GPL-2.0
/*
 * audit.c - `audit`: the module re-reads the hardware and reports (and in
 * enforce mode repairs) drift. Exit 1 when violations remain.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include "cmds.h"
#include "json.h"
#include "nl.h"
#include "util.h"

static struct nla_policy audit_pol[P2PFENCE_A_AUDIT_MAX + 1] = {
	[P2PFENCE_A_AUDIT_ISOLATED] = { .type = NLA_U8 },
	[P2PFENCE_A_AUDIT_REPAIRED] = { .type = NLA_U32 },
	[P2PFENCE_A_AUDIT_VERDICT] = { .type = NLA_NESTED },
};

struct audit_res {
	bool seen, isolated;
	unsigned int nv;
};

static int audit_print(struct nl_msg *msg, void *arg)
{
	struct nlattr *tb[P2PFENCE_A_AUDIT_MAX + 1], *a;
	struct audit_res *r = arg;
	struct pf_verdict v;
	uint32_t repaired;
	int rem;

	if (genlmsg_parse(nlmsg_hdr(msg), 0, tb, P2PFENCE_A_AUDIT_MAX, audit_pol) < 0 ||
	    !tb[P2PFENCE_A_AUDIT_ISOLATED]) {
		err_msg("malformed audit reply from the kernel");
		return -EPROTO;
	}
	r->seen = true;
	r->isolated = nla_get_u8(tb[P2PFENCE_A_AUDIT_ISOLATED]);
	repaired = tb[P2PFENCE_A_AUDIT_REPAIRED] ? nla_get_u32(tb[P2PFENCE_A_AUDIT_REPAIRED]) : 0;
	out_obj_open(NULL);
	out_bool("isolated", NULL, r->isolated);
	out_uint("repaired", NULL, repaired);
	out_arr_open("violations");
	nlmsg_for_each_attr(a, nlmsg_hdr(msg), GENL_HDRLEN, rem) {
		if (nla_type(a) != P2PFENCE_A_AUDIT_VERDICT)
			continue;
		if (pf_nl_verdict(a, &v)) {
			err_msg("malformed verdict from the kernel");
			continue;
		}
		r->nv++;
		verdict_print(&v, false);
	}
	out_arr_close();
	out_obj_close();
	if (r->isolated)
		out_text("isolated");
	else
		out_text("not isolated: %u violation%s", r->nv, r->nv == 1 ? "" : "s");
	out_text(repaired ? " (%u port%s repaired)\n" : "\n", repaired, repaired == 1 ? "" : "s");
	return NL_OK;
}

int cmd_audit(int argc, char **argv)
{
	struct audit_res r = { 0 };
	struct nl_msg *msg;
	struct pf_nl nl;
	int ret, rc;

	if (argc == 2 && is_help(argv[1])) {
		usage_for("audit", 0);
		return EXIT_OK;
	}
	if (argc > 1)
		return usage_err("audit", "audit: unexpected argument '%s'", argv[1]);
	ret = pf_nl_open(&nl);
	if (ret)
		return EXIT_USAGE;
	msg = pf_nl_msg(&nl, P2PFENCE_CMD_AUDIT, 0, 0);
	if (!msg) {
		err_msg("out of memory");
		rc = EXIT_USAGE;
		goto out;
	}
	ret = pf_nl_exec(&nl, msg, audit_print, &r);
	out_end();
	if (!ret && !r.seen)
		ret = -EPROTO;
	rc = pf_nl_report(&nl, ret, "audit");
	if (!rc && !r.isolated)
		rc = EXIT_REFUSED;
out:
	pf_nl_close(&nl);
	return rc;
}
