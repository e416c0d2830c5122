// SPDX-License-Identifier: GPL-2.0
/*
 * mode.c - `mode show`, `mode set enforce|audit`.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include "cmds.h"
#include "ipc.h"
#include "json.h"
#include "util.h"

static const char *const mode_names[] = {
	[P2PFENCE_MODE_ENFORCE] = "enforce",
	[P2PFENCE_MODE_AUDIT] = "audit",
};

static void mode_print(uint32_t m)
{
	out_obj_open(NULL);
	if (m < sizeof(mode_names) / sizeof(mode_names[0]))
		out_str("mode", "%s\n", mode_names[m]);
	else
		out_uint("mode", "mode %llu\n", m);
	out_obj_close();
}

int cmd_mode(struct ctl *c, int argc, char **argv)
{
	struct pf_nl *nl = &c->nl;
	uint32_t m = 0;
	bool set;
	int ret, rc;

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
	if (ctl_nl(c, false))
		return EXIT_USAGE;
	ret = pf_mode(nl, set, &m);
	if (!ret)
		mode_print(m);
	out_end();
	rc = pf_nl_report(nl, ret, set ? "mode set" : "mode show");
	return rc;
}
