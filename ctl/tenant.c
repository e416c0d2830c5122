// SPDX-License-Identifier: GPL-2.0
/*
 * tenant.c - `tenant show [TENANT]`: the devices each tenant owns
 * (pf_tenant_print()); `tenant set TENANT --trust-ats|--no-trust-ats`: the
 * same-tenant GPUDirect opt-in.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include "cmds.h"
#include "ipc.h"
#include "json.h"
#include "show.h"
#include "util.h"

/* tenant set TENANT --trust-ats | --no-trust-ats */
static int tenant_set(struct ctl *c, int argc, char **argv)
{
	struct pf_tenant_ref tenant = { 0 };
	struct pf_verdicts v = { 0 };
	char why[160], what[160], tb[TENANT_STRLEN];
	bool on, now = false;
	unsigned int i;
	int ret, rc;

	if (argc != 4)
		return usage_err("tenant", "tenant set: expected TENANT and --trust-ats or "
				 "--no-trust-ats");
	if (!strcmp(argv[3], "--trust-ats"))
		on = true;
	else if (!strcmp(argv[3], "--no-trust-ats"))
		on = false;
	else
		return usage_err("tenant", "tenant set: unknown option '%s' (--trust-ats or "
				 "--no-trust-ats)", argv[3]);
	if (parse_tenant(argv[2], TENANT_OWNER, &tenant, why, sizeof(why)))
		return usage_err("tenant", "tenant set: %s", why);
	if (ctl_nl(c, false))
		return EXIT_USAGE;
	ret = pf_tenant_set(&c->nl, &tenant, on, &now, &v);
	if (!ret) {
		out_obj_open(NULL);
		tenant_field_print("tenant", "tenant %s:", tenant.id, tenant.name);
		out_bool("trust_ats", now ? " ATS trusted (GPUDirect opt-in)\n" :
			 " ATS not trusted\n", now);
		out_arr_open("violations");
		for (i = 0; i < v.n; i++)
			verdict_print(&v.v[i], false);
		out_arr_close();
		out_obj_close();
		out_end();
	}
	snprintf(what, sizeof(what), "tenant set %s %s", fmt_tenant(tenant.id, tenant.name, tb),
		 argv[3]);
	rc = pf_nl_report(&c->nl, ret, what);
	pf_verdicts_free(&v);
	return rc;
}

int cmd_tenant(struct ctl *c, int argc, char **argv)
{
	struct pf_tenants ts = { 0 };
	struct pf_nl *nl = &c->nl;
	unsigned int i;
	char why[160], what[128], tb[TENANT_STRLEN];
	struct pf_tenant_ref tenant = { 0 };
	int ret, rc;

	if (!strcmp(argv[1], "set"))
		return tenant_set(c, argc, argv);
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
