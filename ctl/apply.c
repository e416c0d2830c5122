// SPDX-License-Identifier: GPL-2.0
/*
 * apply.c - `apply FILE`: make the module's owner table equal FILE.
 *
 * The whole file is validated first (every bad line reported, exit 2,
 * nothing sent); then the table goes to the kernel in one `apply` op, which
 * is all or nothing there. An empty file releases every device. The
 * file's trust-quirk lines replace the module's quirk-trust set first (the
 * table may stand on them), and the old set comes back if the table fails.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include "bootacs.h"
#include "cmds.h"
#include "ipc.h"
#include "json.h"
#include "owners.h"
#include "util.h"

/* is the module's quirk-trust set @s the file's (any order)? */
static bool quirks_equal(const struct pf_quirks *s, const struct owners *o)
{
	unsigned int i, j;

	if (s->n != o->nquirk)
		return false;
	for (i = 0; i < s->n; i++) {
		for (j = 0; j < o->nquirk && o->quirk[j] != s->q[i]; j++)
			;
		if (j == o->nquirk)
			return false;
	}
	return true;
}

/*
 * The file's trust-quirk lines become the module's quirk-trust set before
 * the table is applied (the table may stand on them); *@old gets the set
 * before, *@changed whether it was replaced. A module without the quirk
 * ops is fine for a file without trust-quirk lines.
 */
static int quirks_apply(struct pf_nl *nl, const struct owners *o, struct pf_quirks *old,
			bool *changed)
{
	struct pf_quirks now;
	int ret;

	*changed = false;
	ret = pf_quirk(nl, false, NULL, 0, -1, old);
	if (ret)
		return o->nquirk ? ret : 0;
	if (quirks_equal(old, o))
		return 0;
	ret = pf_quirk(nl, true, o->quirk, (unsigned int)o->nquirk, -1, &now);
	*changed = !ret;
	return ret;
}

int cmd_apply(struct ctl *c, int argc, char **argv)
{
	struct pf_quirks old = { .n = 0 }, back;
	bool qchanged = false;
	char ext[sizeof(c->nl.ext)];
	struct pf_verdicts v = { 0 };
	struct owners o = { 0 };
	unsigned int nbad = 0, i;
	struct pf_nl *nl = &c->nl;
	struct bootctx bc;
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
	ret = ctl_nl(c, false);
	if (ret)
		goto out;
	ret = quirks_apply(nl, &o, &old, &qchanged);
	if (ret) {
		rc = pf_nl_report(nl, ret, "apply: trust-quirk");
		goto out;
	}
	ret = pf_apply(nl, &o, &v);
	if (ret && qchanged) {
		/* all or nothing: the quirk-trust set goes back (logged, notified) */
		memcpy(ext, nl->ext, sizeof(ext));
		if (pf_quirk(nl, true, old.q, old.n, -1, &back))
			err_msg("apply: the quirk-trust set could not be restored: check `quirk show`");
		memcpy(nl->ext, ext, sizeof(ext));
	}
	if (bootctx_live(&bc))
		err_msg("out of memory: the boot policy's notes are left out");
	bootctx_verdicts(&bc, v.v, v.n);
	out_obj_open(NULL);
	out_arr_open("violations");
	for (i = 0; i < v.n; i++)
		verdict_print(&v.v[i], false);
	out_arr_close();
	out_uint("entries", NULL, o.n);
	out_obj_close();
	if (!ret)
		out_text("applied %zu entr%s from %s\n", o.n, o.n == 1 ? "y" : "ies", argv[1]);
	out_end();
	bootctx_free(&bc);
	/* audit mode: recorded (exit 0), the verdicts printed */
	rc = pf_nl_report(nl, ret, "apply");
out:
	pf_verdicts_free(&v);
	owners_free(&o);
	return rc;
}
