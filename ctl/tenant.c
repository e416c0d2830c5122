// SPDX-License-Identifier: GPL-2.0
/*
 * tenant.c - `tenant show [TENANT]`: the devices each tenant owns.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include "cmds.h"
#include "json.h"
#include "nl.h"
#include "util.h"

static struct nla_policy dev_pol[P2PFENCE_A_DEV_MAX + 1] = {
	[P2PFENCE_A_DEV_DOMAIN] = { .type = NLA_U32 },
	[P2PFENCE_A_DEV_BDF] = { .type = NLA_U16 },
	[P2PFENCE_A_DEV_TENANT] = { .type = NLA_U32 },
	[P2PFENCE_A_DEV_FENCED] = { .type = NLA_U8 },
	[P2PFENCE_A_DEV_VERDICT] = { .type = NLA_NESTED },
	[P2PFENCE_A_DEV_DEV] = { .type = NLA_NESTED },
};

static int tenant_print(struct nl_msg *msg, void *arg)
{
	struct nlattr *tb[P2PFENCE_A_DEV_MAX + 1], *e[P2PFENCE_A_DEV_MAX + 1], *a;
	unsigned int *count = arg;
	char d[DEV_STRLEN];
	bool fenced;
	int rem;

	if (genlmsg_parse(nlmsg_hdr(msg), 0, tb, P2PFENCE_A_DEV_MAX, dev_pol) < 0 ||
	    !tb[P2PFENCE_A_DEV_TENANT]) {
		err_msg("malformed tenant message from the kernel");
		return -EPROTO;
	}
	(*count)++;
	out_obj_open(NULL);
	out_uint("tenant", "tenant %llu:", nla_get_u32(tb[P2PFENCE_A_DEV_TENANT]));
	out_arr_open("devs");
	nlmsg_for_each_attr(a, nlmsg_hdr(msg), GENL_HDRLEN, rem) {
		if (nla_type(a) != P2PFENCE_A_DEV_DEV)
			continue;
		if (nla_parse_nested(e, P2PFENCE_A_DEV_MAX, a, dev_pol) < 0 ||
		    !e[P2PFENCE_A_DEV_DOMAIN] || !e[P2PFENCE_A_DEV_BDF]) {
			err_msg("malformed dev entry from the kernel");
			continue;
		}
		fenced = e[P2PFENCE_A_DEV_FENCED] && nla_get_u8(e[P2PFENCE_A_DEV_FENCED]);
		out_obj_open(NULL);
		out_str("dev", " %s", fmt_dev(pf_id(nla_get_u32(e[P2PFENCE_A_DEV_DOMAIN]),
						   nla_get_u16(e[P2PFENCE_A_DEV_BDF])), d));
		out_bool("fenced", NULL, fenced);
		out_text(fenced ? " (fenced)" : " (NOT fenced)");
		out_obj_close();
	}
	out_arr_close();
	out_text("\n");
	out_obj_close();
	return NL_OK;
}

int cmd_tenant(int argc, char **argv)
{
	unsigned int count = 0;
	struct nl_msg *msg;
	struct pf_nl nl;
	char why[160], what[64];
	uint32_t tenant = 0;
	int ret, rc;

	if (argc < 2)
		return usage_err("tenant", "tenant: missing command");
	if (is_help(argv[1])) {
		usage_for("tenant", 0);
		return EXIT_OK;
	}
	if (strcmp(argv[1], "show") && strcmp(argv[1], "list"))
		return usage_err("tenant", "tenant: unknown command '%s'", argv[1]);
	if (argc > 3)
		return usage_err("tenant", "tenant show: too many arguments");
	if (argc == 3 && parse_tenant(argv[2], &tenant, why, sizeof(why)))
		return usage_err("tenant", "tenant show: %s", why);
	ret = pf_nl_open(&nl);
	if (ret)
		return EXIT_USAGE;
	msg = pf_nl_msg(&nl, P2PFENCE_CMD_TENANT_GET, tenant ? 0 : NLM_F_DUMP, 0);
	if (!msg || (tenant && nla_put_u32(msg, P2PFENCE_A_DEV_TENANT, tenant) < 0)) {
		nlmsg_free(msg);
		err_msg("out of memory");
		rc = EXIT_USAGE;
		goto out;
	}
	out_arr_open(NULL);
	ret = pf_nl_exec(&nl, msg, tenant_print, &count);
	out_arr_close();
	if (ret == -ENOENT && tenant) {
		/* the tenant owns nothing: an empty answer, not an error */
		out_text("tenant %u: no devices\n", tenant);
		ret = 0;
	}
	out_end();
	snprintf(what, sizeof(what), "tenant show%s%s", tenant ? " " : "", tenant ? argv[2] : "");
	rc = pf_nl_report(&nl, ret, what);
out:
	pf_nl_close(&nl);
	return rc;
}
