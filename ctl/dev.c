// SPDX-License-Identifier: GPL-2.0
/*
 * dev.c - `dev assign DEV... TENANT [--accept-no-reset]`,
 * `dev release DEV... [--tenant TENANT]`, `dev show [DEV]`. Several devices
 * are one transaction.
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include "bootacs.h"
#include "cmds.h"
#include "ipc.h"
#include "json.h"
#include "show.h"
#include "util.h"

static void devs_print(const struct pf_devs *devs)
{
	unsigned int i;

	out_arr_open(NULL);
	for (i = 0; i < devs->n; i++)
		pf_dev_print(&devs->d[i]);
	out_arr_close();
	out_end();
}

/* at most this many devices in one assign or release (the kernel's limit) */
#define DEV_MAX_REQ	256

/*
 * assign (@tenant the new owner; @accept: without a hand-over reset if need
 * be), release (@tenant: NULL, or the tenant every device must belong to),
 * show one or all (@ids[0] PF_ALL_DEVS)
 */
static int dev_call(struct ctl *c, int cmd, const uint64_t *ids, unsigned int n,
		    const struct pf_tenant_ref *tenant, bool accept, const char *what)
{
	struct pf_devs devs = { 0 };
	struct pf_nl *nl = &c->nl;
	struct bootctx bc;
	int ret, rc;

	if (ctl_nl(c, false))
		return EXIT_USAGE;
	switch (cmd) {
	case P2PFENCE_CMD_DEV_ASSIGN:
		ret = pf_dev_assign(nl, ids, n, tenant, accept, &devs);
		break;
	case P2PFENCE_CMD_DEV_RELEASE:
		ret = pf_dev_release(nl, ids, n, tenant, &devs);
		break;
	default:
		ret = pf_dev_get(nl, ids[0], &devs);
		break;
	}
	/* audit mode: recorded (exit 0); the verdicts printed say what
	 * enforce mode would have refused or programmed */
	if (bootctx_live(&bc) || pf_devs_annotate(&bc, &devs))
		err_msg("out of memory: the boot policy's notes are left out");
	devs_print(&devs);
	bootctx_free(&bc);
	rc = pf_nl_report(nl, ret, what);
	if (ret == -EXDEV && cmd == P2PFENCE_CMD_DEV_RELEASE)
		err_msg("hint: devices that are only isolated together go back to the host together: "
			"release them in one command");
	if (ret == -EXDEV && cmd == P2PFENCE_CMD_DEV_ASSIGN && !accept && strstr(nl->ext, "no-reset"))
		err_msg("hint: it cannot be reset for its new tenant; --accept-no-reset takes it "
			"as it is (the device then shows unreset)");
	pf_devs_free(&devs);
	return rc;
}

static int dev_show(struct ctl *c, int argc, char **argv)
{
	char why[160], what[64];
	uint64_t id = PF_ALL_DEVS;

	if (argc > 3)
		return usage_err("dev", "dev show: too many arguments");
	if (argc == 3 && parse_dev(argv[2], &id, why, sizeof(why)))
		return usage_err("dev", "dev show: %s", why);
	snprintf(what, sizeof(what), "dev show%s%s", argc == 3 ? " " : "",
		 argc == 3 ? argv[2] : "");
	return dev_call(c, P2PFENCE_CMD_DEV_GET, &id, 1, NULL, false, what);
}

/* "dev assign A B C 5 --accept-no-reset" for the error messages */
static void dev_what(char *buf, size_t len, int argc, char **argv)
{
	size_t k = 0;
	int i;

	for (i = 0; i < argc && k < len; i++)
		k += (size_t)snprintf(buf + k, len - k, "%s%s", i ? " " : "", argv[i]);
	if (k >= len && len > 4)
		strcpy(buf + len - 4, "...");
}

/*
 * dev assign DEV... TENANT [--accept-no-reset]
 * dev release DEV... [--tenant TENANT]
 * (options anywhere after the command; devices listed twice count once)
 */
static int dev_change(struct ctl *c, int argc, char **argv, bool assign)
{
	const char *cmd = assign ? "dev assign" : "dev release";
	struct pf_tenant_ref tenant = { 0 };
	uint64_t ids[DEV_MAX_REQ], id;
	char why[160], what[256];
	const char *pos[DEV_MAX_REQ + 1], *cond = NULL;
	unsigned int n = 0, k, m = 0;
	bool accept = false;
	int i;

	for (i = 2; i < argc; i++) {
		if (assign && !strcmp(argv[i], "--accept-no-reset")) {
			accept = true;
		} else if (!assign && !strcmp(argv[i], "--tenant")) {
			if (++i == argc)
				return usage_err("dev", "dev release: --tenant needs a TENANT");
			cond = argv[i];
		} else if (argv[i][0] == '-' && argv[i][1] && !isdigit((unsigned char)argv[i][1])) {
			return usage_err("dev", "%s: unknown option '%s'", cmd, argv[i]);
		} else if (n == DEV_MAX_REQ + 1) {
			return usage_err("dev", "%s: at most %d devices in one command", cmd,
					 DEV_MAX_REQ);
		} else {
			pos[n++] = argv[i];
		}
	}
	if (assign && n < 2)
		return usage_err("dev", "dev assign: expected DEV... TENANT");
	if (!assign && !n)
		return usage_err("dev", "dev release: expected DEV...");
	if (assign && parse_tenant(pos[--n], TENANT_OWNER, &tenant, why, sizeof(why)))
		return usage_err("dev", "dev assign: %s", why);
	if (cond && parse_tenant(cond, TENANT_ASK, &tenant, why, sizeof(why)))
		return usage_err("dev", "dev release: --tenant: %s", why);
	if (n > DEV_MAX_REQ)
		return usage_err("dev", "%s: at most %d devices in one command", cmd, DEV_MAX_REQ);
	for (k = 0; k < n; k++) {
		if (parse_dev(pos[k], &id, why, sizeof(why)))
			return usage_err("dev", "%s: %s", cmd, why);
		for (i = 0; i < (int)m && ids[i] != id; i++)
			;
		if (i == (int)m)
			ids[m++] = id;
	}
	dev_what(what, sizeof(what), argc, argv);
	return dev_call(c, assign ? P2PFENCE_CMD_DEV_ASSIGN : P2PFENCE_CMD_DEV_RELEASE, ids, m,
			assign || cond ? &tenant : NULL, accept, what);
}

int cmd_dev(struct ctl *c, int argc, char **argv)
{
	if (!strcmp(argv[1], "show") || !strcmp(argv[1], "list"))
		return dev_show(c, argc, argv);
	if (!strcmp(argv[1], "assign"))
		return dev_change(c, argc, argv, true);
	if (!strcmp(argv[1], "release"))
		return dev_change(c, argc, argv, false);
	return usage_err("dev", "dev: unknown command '%s'", argv[1]);
}
