// SPDX-License-Identifier: GPL-2.0
/*
 * tenant.c - `tenant show [TENANT]`: the devices each tenant owns.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include "cmds.h"
#include "ipc.h"
#include "json.h"
#include "util.h"

static void tenant_print(const struct pf_tenant *t)
{
	char d[DEV_STRLEN];
	unsigned int i;

	out_obj_open(NULL);
	out_uint("tenant", "tenant %llu:", t->tenant);
	out_arr_open("devs");
	for (i = 0; i < t->devs.n; i++) {
		const struct pf_dev *e = &t->devs.d[i];

		out_obj_open(NULL);
		out_str("dev", " %s", fmt_dev(e->id, d));
		out_bool("fenced", NULL, e->fenced);
		out_text(e->fenced ? " (fenced)" : " (NOT fenced)");
		out_obj_close();
	}
	out_arr_close();
	out_text("\n");
	out_obj_close();
}

int cmd_tenant(struct ctl *c, int argc, char **argv)
{
	struct pf_tenants ts = { 0 };
	struct pf_nl *nl = &c->nl;
	unsigned int i;
	char why[160], what[64];
	uint32_t tenant = 0;
	int ret, rc;

	if (strcmp(argv[1], "show") && strcmp(argv[1], "list"))
		return usage_err("tenant", "tenant: unknown command '%s'", argv[1]);
	if (argc > 3)
		return usage_err("tenant", "tenant show: too many arguments");
	if (argc == 3 && parse_tenant(argv[2], &tenant, why, sizeof(why)))
		return usage_err("tenant", "tenant show: %s", why);
	if (ctl_nl(c, false))
		return EXIT_USAGE;
	ret = pf_tenant_get(nl, tenant, &ts);
	out_arr_open(NULL);
	for (i = 0; i < ts.n; i++)
		tenant_print(&ts.t[i]);
	out_arr_close();
	if (ret == -ENOENT && tenant) {
		/* the tenant owns nothing: an empty answer, not an error */
		out_text("tenant %u: no devices\n", tenant);
		ret = 0;
	}
	out_end();
	snprintf(what, sizeof(what), "tenant show%s%s", tenant ? " " : "", tenant ? argv[2] : "");
	rc = pf_nl_report(nl, ret, what);
	pf_tenants_free(&ts);
	return rc;
}
