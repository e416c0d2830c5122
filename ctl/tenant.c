// SPDX-License-Identifier: GPL-2.0
/*
 * tenant.c - `tenant show [TENANT]`: the devices each tenant owns
 * (pf_tenant_print()).
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include "cmds.h"
#include "ipc.h"
#include "json.h"
#include "show.h"
#include "util.h"

int cmd_tenant(struct ctl *c, int argc, char **argv)
{
	struct pf_tenants ts = { 0 };
	struct pf_nl *nl = &c->nl;
	unsigned int i;
	char why[160], what[128], tb[TENANT_STRLEN];
	struct pf_tenant_ref tenant = { 0 };
	int ret, rc;

	if (strcmp(argv[1], "show") && strcmp(argv[1], "list"))
		return usage_err("tenant", "tenant: unknown command '%s'", argv[1]);
	if (argc > 3)
		return usage_err("tenant", "tenant show: too many arguments");
	if (argc == 3 && parse_tenant(argv[2], TENANT_ASK, &tenant, why, sizeof(why)))
		return usage_err("tenant", "tenant show: %s", why);
	if (ctl_nl(c, false))
		return EXIT_USAGE;
	ret = pf_tenant_get(nl, argc == 3 ? &tenant : NULL, &ts);
	out_arr_open(NULL);
	for (i = 0; i < ts.n; i++)
		pf_tenant_print(&ts.t[i]);
	out_arr_close();
	if (ret == -ENOENT && argc == 3) {
		/* the tenant owns nothing: an empty answer, not an error */
		out_text("tenant %s: no devices\n", fmt_tenant(tenant.id, tenant.name, tb));
		ret = 0;
	}
	out_end();
	snprintf(what, sizeof(what), "tenant show%s%s", argc == 3 ? " " : "",
		 argc == 3 ? argv[2] : "");
	rc = pf_nl_report(nl, ret, what);
	pf_tenants_free(&ts);
	return rc;
}
