// SPDX-License-Identifier: GPL-2.0
/*
 * apply.c - `apply FILE`: make the module's owner table equal FILE.
 *
 * The whole file is validated first (every bad line reported, exit 2,
 * nothing sent); then the table goes to the kernel in one `apply` op, which
 * is all or nothing there. An empty file releases every device.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include "cmds.h"
#include "json.h"
#include "nl.h"
#include "owners.h"
#include "util.h"

struct apply_res {
	unsigned int nv;
};

static int apply_print(struct nl_msg *msg, void *arg)
{
	struct apply_res *r = arg;
	struct pf_verdict v;
	struct nlattr *a;
	int rem;

	nlmsg_for_each_attr(a, nlmsg_hdr(msg), GENL_HDRLEN, rem) {
		if (nla_type(a) != P2PFENCE_A_DEV_VERDICT)
			continue;
		if (pf_nl_verdict(a, &v)) {
			err_msg("malformed verdict from the kernel");
			continue;
		}
		r->nv++;
		verdict_print(&v, false);
	}
	return NL_OK;
}

int cmd_apply(int argc, char **argv)
{
	struct apply_res r = { 0 };
	struct owners o = { 0 };
	struct nl_msg *msg = NULL;
	unsigned int nbad = 0;
	struct nlattr *nest;
	struct pf_nl nl = { 0 };
	size_t i;
	int ret, rc = EXIT_USAGE;

	if (argc == 2 && is_help(argv[1])) {
		usage_for("apply", 0);
		return EXIT_OK;
	}
	if (argc != 2)
		return usage_err("apply", "apply: expected one FILE");
	ret = owners_load(argv[1], &o, &nbad);
	if (ret) {
		if (nbad)
			err_msg("%s: %u bad line%s: nothing applied", argv[1], nbad,
				nbad == 1 ? "" : "s");
		goto out;
	}
	ret = pf_nl_open(&nl);
	if (ret)
		goto out;
	/* one nest per entry: header + domain + bdf + tenant */
	msg = pf_nl_msg(&nl, P2PFENCE_CMD_APPLY, 0, 4096 + o.n * 32);
	for (i = 0; msg && i < o.n; i++) {
		nest = nla_nest_start(msg, P2PFENCE_A_DEV_DEV);
		if (!nest ||
		    nla_put_u32(msg, P2PFENCE_A_DEV_DOMAIN, o.v[i].id >> 16) < 0 ||
		    nla_put_u16(msg, P2PFENCE_A_DEV_BDF, (uint16_t)(o.v[i].id & 0xffff)) < 0 ||
		    nla_put_u32(msg, P2PFENCE_A_DEV_TENANT, o.v[i].tenant) < 0) {
			nlmsg_free(msg);
			msg = NULL;
		} else {
			nla_nest_end(msg, nest);
		}
	}
	if (!msg) {
		err_msg("apply: cannot build the request (%zu entries)", o.n);
		goto out;
	}
	/* room for a large table in one message */
	nl_socket_set_buffer_size(nl.sk, 1 << 20, (int)(o.n * 32 + 65536));
	out_obj_open(NULL);
	out_arr_open("violations");
	ret = pf_nl_exec(&nl, msg, apply_print, &r);
	msg = NULL;
	out_arr_close();
	out_uint("entries", NULL, o.n);
	out_obj_close();
	if (!ret)
		out_text("applied %zu entr%s from %s\n", o.n, o.n == 1 ? "y" : "ies", argv[1]);
	out_end();
	/* audit mode: recorded (exit 0), the verdicts printed */
	rc = pf_nl_report(&nl, ret, "apply");
out:
	nlmsg_free(msg);
	pf_nl_close(&nl);
	owners_free(&o);
	return rc;
}
