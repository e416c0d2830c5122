// SPDX-License-Identifier: GPL-2.0
/*
 * dev.c - `dev assign DEV TENANT`, `dev release DEV`, `dev show [DEV]`.
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

struct dev_reply {
	unsigned int count;
	unsigned int nverdicts;
};

/* one dev message (assign/release/get reply, dump entry) as an object */
static int dev_print(struct nl_msg *msg, void *arg)
{
	struct nlattr *tb[P2PFENCE_A_DEV_MAX + 1], *a;
	struct dev_reply *r = arg;
	struct pf_verdict v;
	char d[DEV_STRLEN];
	uint32_t tenant;
	int rem;

	if (genlmsg_parse(nlmsg_hdr(msg), 0, tb, P2PFENCE_A_DEV_MAX, dev_pol) < 0 ||
	    !tb[P2PFENCE_A_DEV_DOMAIN] || !tb[P2PFENCE_A_DEV_BDF]) {
		err_msg("malformed dev message from the kernel");
		return -EPROTO;
	}
	tenant = tb[P2PFENCE_A_DEV_TENANT] ? nla_get_u32(tb[P2PFENCE_A_DEV_TENANT]) : 0;
	r->count++;
	out_obj_open(NULL);
	out_str("dev", "%s", fmt_dev(pf_id(nla_get_u32(tb[P2PFENCE_A_DEV_DOMAIN]),
					  nla_get_u16(tb[P2PFENCE_A_DEV_BDF])), d));
	if (tenant)
		out_uint("tenant", " tenant %llu", tenant);
	else
		out_uint("tenant", " host", 0);
	if (tenant) {
		out_bool("fenced", NULL, tb[P2PFENCE_A_DEV_FENCED] &&
			 nla_get_u8(tb[P2PFENCE_A_DEV_FENCED]));
		out_text(tb[P2PFENCE_A_DEV_FENCED] && nla_get_u8(tb[P2PFENCE_A_DEV_FENCED]) ?
			 " fenced" : " NOT fenced");
	} else {
		out_bool("fenced", NULL, false);
	}
	out_text("\n");
	out_arr_open("violations");
	nlmsg_for_each_attr(a, nlmsg_hdr(msg), GENL_HDRLEN, rem) {
		if (nla_type(a) != P2PFENCE_A_DEV_VERDICT)
			continue;
		if (pf_nl_verdict(a, &v)) {
			err_msg("malformed verdict from the kernel");
			continue;
		}
		r->nverdicts++;
		out_text("  ");
		verdict_print(&v, true);
	}
	out_arr_close();
	out_obj_close();
	return NL_OK;
}

static int put_dev(struct nl_msg *msg, uint32_t id)
{
	if (nla_put_u32(msg, P2PFENCE_A_DEV_DOMAIN, id >> 16) < 0 ||
	    nla_put_u16(msg, P2PFENCE_A_DEV_BDF, (uint16_t)(id & 0xffff)) < 0)
		return -EMSGSIZE;
	return 0;
}

static int dev_do(uint8_t cmd, uint32_t id, uint32_t tenant, const char *what)
{
	struct dev_reply r = { 0 };
	struct nl_msg *msg;
	struct pf_nl nl;
	int ret, rc;

	ret = pf_nl_open(&nl);
	if (ret)
		return EXIT_USAGE;
	msg = pf_nl_msg(&nl, cmd, 0, 0);
	if (!msg || put_dev(msg, id) ||
	    (tenant && nla_put_u32(msg, P2PFENCE_A_DEV_TENANT, tenant) < 0)) {
		nlmsg_free(msg);
		err_msg("out of memory");
		rc = EXIT_USAGE;
		goto out;
	}
	out_arr_open(NULL);
	ret = pf_nl_exec(&nl, msg, dev_print, &r);
	out_arr_close();
	out_end();
	/* audit mode: recorded (exit 0); the verdicts printed say what
	 * enforce mode would have refused or programmed */
	rc = pf_nl_report(&nl, ret, what);
	if (ret == -EXDEV && cmd == P2PFENCE_CMD_DEV_RELEASE)
		err_msg("hint: devices that are only isolated together go back to the host together: "
			"list the ones to keep in a file and run 'p2pfencectl apply FILE'");
out:
	pf_nl_close(&nl);
	return rc;
}

static int dev_show(int argc, char **argv)
{
	struct dev_reply r = { 0 };
	struct nl_msg *msg;
	struct pf_nl nl;
	char why[160], what[64];
	uint32_t id = 0;
	int ret, rc;

	if (argc > 3)
		return usage_err("dev", "dev show: too many arguments");
	if (argc == 3 && parse_dev(argv[2], &id, why, sizeof(why)))
		return usage_err("dev", "dev show: %s", why);
	ret = pf_nl_open(&nl);
	if (ret)
		return EXIT_USAGE;
	msg = pf_nl_msg(&nl, P2PFENCE_CMD_DEV_GET, argc == 3 ? 0 : NLM_F_DUMP, 0);
	if (!msg || (argc == 3 && put_dev(msg, id))) {
		nlmsg_free(msg);
		err_msg("out of memory");
		rc = EXIT_USAGE;
		goto out;
	}
	out_arr_open(NULL);
	ret = pf_nl_exec(&nl, msg, dev_print, &r);
	out_arr_close();
	out_end();
	snprintf(what, sizeof(what), "dev show%s%s", argc == 3 ? " " : "",
		 argc == 3 ? argv[2] : "");
	rc = pf_nl_report(&nl, ret, what);
out:
	pf_nl_close(&nl);
	return rc;
}

int cmd_dev(int argc, char **argv)
{
	char why[160], what[96];
	uint32_t id, tenant;

	if (argc < 2)
		return usage_err("dev", "dev: missing command");
	if (is_help(argv[1])) {
		usage_for("dev", 0);
		return EXIT_OK;
	}
	if (!strcmp(argv[1], "show") || !strcmp(argv[1], "list"))
		return dev_show(argc, argv);
	if (!strcmp(argv[1], "assign")) {
		if (argc != 4)
			return usage_err("dev", "dev assign: expected DEV TENANT");
		if (parse_dev(argv[2], &id, why, sizeof(why)) ||
		    parse_tenant(argv[3], &tenant, why, sizeof(why)))
			return usage_err("dev", "dev assign: %s", why);
		snprintf(what, sizeof(what), "dev assign %s %s", argv[2], argv[3]);
		return dev_do(P2PFENCE_CMD_DEV_ASSIGN, id, tenant, what);
	}
	if (!strcmp(argv[1], "release")) {
		if (argc != 3)
			return usage_err("dev", "dev release: expected DEV");
		if (parse_dev(argv[2], &id, why, sizeof(why)))
			return usage_err("dev", "dev release: %s", why);
		snprintf(what, sizeof(what), "dev release %s", argv[2]);
		return dev_do(P2PFENCE_CMD_DEV_RELEASE, id, 0, what);
	}
	return usage_err("dev", "dev: unknown command '%s'", argv[1]);
}
