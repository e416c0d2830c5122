// SPDX-License-Identifier: GPL-2.0
/*
 * quirk.c - `quirk show`, `quirk trust VID:DID`, `quirk untrust VID:DID`:
 * the operator's opt-in to trust the kernel's isolation (a vendor quirk,
 * or ACS bits a port leaves unimplemented) at one vendor:device, so that
 * acs-faked there is reported but does not refuse. The module logs and
 * notifies every change (quirk-trust event).
 */
#include <stdio.h>
#include <string.h>
#include "cmds.h"
#include "ipc.h"
#include "json.h"
#include "util.h"

static void quirks_print(const struct pf_quirks *s)
{
	char q[16];
	unsigned int i;

	out_obj_open(NULL);
	out_arr_open("trusted");
	for (i = 0; i < s->n; i++) {
		snprintf(q, sizeof(q), "%04x:%04x", s->q[i] >> 16, s->q[i] & 0xffff);
		out_str(NULL, "trust-quirk %s\n", q);
	}
	out_arr_close();
	out_obj_close();
	if (!s->n)
		out_text("no vendor:device trusted: acs-faked refuses everywhere\n");
}

int cmd_quirk(struct ctl *c, int argc, char **argv)
{
	struct pf_quirks s = { .n = 0 };
	bool show = !strcmp(argv[1], "show");
	char why[160];
	uint32_t q = 0;
	int trusted = -1, ret;

	if (show && argc != 2)
		return usage_err("quirk", "quirk show: unexpected argument '%s'", argv[2]);
	if (!show) {
		if (!strcmp(argv[1], "trust"))
			trusted = 1;
		else if (!strcmp(argv[1], "untrust"))
			trusted = 0;
		else
			return usage_err("quirk", "quirk: unknown command '%s'", argv[1]);
		if (argc != 3)
			return usage_err("quirk", "quirk %s: expected one VID:DID", argv[1]);
		if (parse_quirk(argv[2], &q, why, sizeof(why)))
			return usage_err("quirk", "quirk %s: %s", argv[1], why);
	}
	if (ctl_nl(c, false))
		return EXIT_USAGE;
	ret = pf_quirk(&c->nl, !show, &q, 1, trusted, &s);
	if (!ret)
		quirks_print(&s);
	out_end();
	return pf_nl_report(&c->nl, ret, show ? "quirk show" : argv[1][0] == 't' ?
			    "quirk trust" : "quirk untrust");
}
