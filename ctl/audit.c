// SPDX-License-Identifier: GPL-2.0
/*
 * audit.c - `audit`: the module re-reads the hardware and reports (and in
 * enforce mode repairs) drift, and whose devices the violations concern
 * (their tenants, named). Exit 1 when violations remain.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "bootacs.h"
#include "cmds.h"
#include "ipc.h"
#include "json.h"
#include "show.h"
#include "util.h"

/* is @id the device of one of @v's verdicts? */
static bool in_verdicts(const struct pf_verdicts *v, uint64_t id)
{
	unsigned int i;

	for (i = 0; i < v->n; i++)
		if (v->v[i].dev == id)
			return true;
	return false;
}

/*
 * The owners of the devices the violations concern: "tenants" in JSON
 * ({tenant, tenant_name, dev}), a line "tenant T: DEV" each in text. @devs: every device
 * (a dev-get dump taken after the audit); empty when it failed.
 */
static void owners_print(const struct pf_audit *r, const struct pf_devs *devs)
{
	char buf[DEV_STRLEN];
	unsigned int i;

	out_arr_open("tenants");
	for (i = 0; i < devs->n; i++) {
		const struct pf_dev *d = &devs->d[i];

		if (!d->tenant || !in_verdicts(&r->v, d->id))
			continue;
		out_obj_open(NULL);
		tenant_field_print("tenant", "tenant %s: ", d->tenant, d->tenant_name);
		out_str("dev", "%s\n", fmt_dev(d->id, buf));
		out_obj_close();
	}
	out_arr_close();
}

static void audit_print(const struct pf_audit *r, const struct pf_devs *devs)
{
	unsigned int i, nbad;

	out_obj_open(NULL);
	out_bool("isolated", NULL, r->isolated);
	out_uint("repaired", NULL, r->repaired);
	out_arr_open("violations");
	for (i = 0; i < r->v.n; i++)
		verdict_print(&r->v.v[i], false);
	out_arr_close();
	owners_print(r, devs);
	out_arr_open("vfio_unassigned");
	for (i = 0; i < r->nvfio; i++) {
		char buf[DEV_STRLEN];

		out_str(NULL, "%s", fmt_dev(r->vfio[i], buf));
	}
	out_arr_close();
	out_obj_close();
	for (i = 0; i < r->nvfio; i++) {
		char buf[DEV_STRLEN];

		out_text("%s: on vfio-pci, assigned to no tenant\n", fmt_dev(r->vfio[i], buf));
	}
	for (i = 0, nbad = 0; i < r->v.n; i++)
		nbad += verdict_stands(&r->v.v[i]);
	if (r->isolated)
		out_text("isolated");
	else
		out_text("not isolated: %u violation%s", nbad, nbad == 1 ? "" : "s");
	if (nbad < r->v.n)
		out_text(" (%u acs-faked waived by the quirk opt-in)", r->v.n - nbad);
	out_text(r->repaired ? " (%u port%s repaired)\n" : "\n", r->repaired,
		 r->repaired == 1 ? "" : "s");
}

int cmd_audit(struct ctl *c, int argc, char **argv)
{
	struct pf_audit r = { 0 };
	struct pf_devs devs = { 0 };
	struct pf_nl *nl = &c->nl;
	struct bootctx bc;
	int ret, rc;

	if (argc == 2 && is_help(argv[1])) {
		usage_for("audit", 0);
		return EXIT_OK;
	}
	if (argc > 1)
		return usage_err("audit", "audit: unexpected argument '%s'", argv[1]);
	if (ctl_nl(c, false))
		return EXIT_USAGE;
	ret = pf_audit(nl, &r);
	/* whose devices: informational, so an audit does not fail on it */
	if (!ret && r.v.n && pf_dev_get(nl, PF_ALL_DEVS, &devs))
		pf_devs_free(&devs);
	if (!ret) {
		/* a drifted port the boot policy relaxes: the audit repairs it again */
		if (bootctx_live(&bc))
			err_msg("out of memory: the boot policy's notes are left out");
		bootctx_verdicts(&bc, r.v.v, r.v.n);
		audit_print(&r, &devs);
		bootctx_free(&bc);
	}
	out_end();
	rc = pf_nl_report(nl, ret, "audit");
	if (!rc && !r.isolated)
		rc = EXIT_REFUSED;
	pf_verdicts_free(&r.v);
	pf_devs_free(&devs);
	free(r.vfio);
	return rc;
}
