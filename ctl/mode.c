// SPDX-License-Identifier: GPL-2.0
/*
 * mode.c - `mode show`, `mode set enforce|audit`.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include "cmds.h"
#include "json.h"
#include "nl.h"
#include "util.h"

static const char *const mode_names[] = {
	[P2PFENCE_MODE_ENFORCE] = "enforce",
	[P2PFENCE_MODE_AUDIT] = "audit",
};

static int mode_print(struct nl_msg *msg, void *arg)
{
	struct nlattr *tb[P2PFENCE_A_MODE_MAX + 1];
	struct nla_policy pol[P2PFENCE_A_MODE_MAX + 1] = {
		[P2PFENCE_A_MODE_MODE] = { .type = NLA_U32 },
	};
	uint32_t m;

	(void)arg;
	if (genlmsg_parse(nlmsg_hdr(msg), 0, tb, P2PFENCE_A_MODE_MAX, pol) < 0 ||
	    !tb[P2PFENCE_A_MODE_MODE]) {
		err_msg("malformed mode reply from the kernel");
		return -EPROTO;
	}
	m = nla_get_u32(tb[P2PFENCE_A_MODE_MODE]);
	out_obj_open(NULL);
	if (m < sizeof(mode_names) / sizeof(mode_names[0]))
		out_str("mode", "%s\n", mode_names[m]);
	else
		out_uint("mode", "mode %llu\n", m);
	out_obj_close();
	return NL_OK;
}

int cmd_mode(int argc, char **argv)
{
	struct nl_msg *msg;
	struct pf_nl nl;
	uint32_t m = 0;
	bool set;
	int ret, rc;

	if (argc < 2)
		return usage_err("mode", "mode: missing command");
	if (is_help(argv[1])) {
		usage_for("mode", 0);
		return EXIT_OK;
	}
	set = !strcmp(argv[1], "set");
	if (!set && strcmp(argv[1], "show"))
		return usage_err("mode", "mode: unknown command '%s'", argv[1]);
	if (!set && argc != 2)
		return usage_err("mode", "mode show: unexpected argument '%s'", argv[2]);
	if (set) {
		if (argc != 3)
			return usage_err("mode", "mode set: expected enforce or audit");
		if (!strcmp(argv[2], "enforce"))
			m = P2PFENCE_MODE_ENFORCE;
		else if (!strcmp(argv[2], "audit"))
			m = P2PFENCE_MODE_AUDIT;
		else
			return usage_err("mode", "mode set: unknown mode '%s' (enforce or audit)",
					 argv[2]);
	}
	ret = pf_nl_open(&nl);
	if (ret)
		return EXIT_USAGE;
	msg = pf_nl_msg(&nl, set ? P2PFENCE_CMD_MODE_SET : P2PFENCE_CMD_MODE_GET, 0, 0);
	if (!msg || (set && nla_put_u32(msg, P2PFENCE_A_MODE_MODE, m) < 0)) {
		nlmsg_free(msg);
		err_msg("out of memory");
		rc = EXIT_USAGE;
		goto out;
	}
	ret = pf_nl_exec(&nl, msg, mode_print, NULL);
	out_end();
	rc = pf_nl_report(&nl, ret, set ? "mode set" : "mode show");
out:
	pf_nl_close(&nl);
	return rc;
}
