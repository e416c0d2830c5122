// SPDX-License-Identifier: GPL-2.0
/*
 * dev.c - `dev assign DEV TENANT [--accept-no-reset]`, `dev release DEV`,
 * `dev show [DEV]`.
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
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

/* assign (@tenant >= 1; @accept: without a hand-over reset if need be),
 * release, show one or all (@id PF_ALL_DEVS) */
static int dev_call(struct ctl *c, int cmd, uint32_t id, uint32_t tenant, bool accept,
		    const char *what)
{
	struct pf_devs devs = { 0 };
	struct pf_nl *nl = &c->nl;
	int ret, rc;

	if (ctl_nl(c, false))
		return EXIT_USAGE;
	switch (cmd) {
	case P2PFENCE_CMD_DEV_ASSIGN:
		ret = pf_dev_assign(nl, id, tenant, accept, &devs);
		break;
	case P2PFENCE_CMD_DEV_RELEASE:
		ret = pf_dev_release(nl, id, &devs);
		break;
	default:
		ret = pf_dev_get(nl, id, &devs);
		break;
	}
	/* audit mode: recorded (exit 0); the verdicts printed say what
	 * enforce mode would have refused or programmed */
	devs_print(&devs);
	rc = pf_nl_report(nl, ret, what);
	if (ret == -EXDEV && cmd == P2PFENCE_CMD_DEV_RELEASE)
		err_msg("hint: devices that are only isolated together go back to the host together: "
			"list the ones to keep in a file and run 'p2pfencectl apply FILE'");
	if (ret == -EXDEV && cmd == P2PFENCE_CMD_DEV_ASSIGN && !accept && strstr(nl->ext, "no-reset"))
		err_msg("hint: it cannot be reset for its new tenant; --accept-no-reset takes it "
			"as it is (the device then shows unreset)");
	pf_devs_free(&devs);
	return rc;
}

static int dev_show(struct ctl *c, int argc, char **argv)
{
	char why[160], what[64];
	uint32_t id = PF_ALL_DEVS;

	if (argc > 3)
		return usage_err("dev", "dev show: too many arguments");
	if (argc == 3 && parse_dev(argv[2], &id, why, sizeof(why)))
		return usage_err("dev", "dev show: %s", why);
	snprintf(what, sizeof(what), "dev show%s%s", argc == 3 ? " " : "",
		 argc == 3 ? argv[2] : "");
	return dev_call(c, P2PFENCE_CMD_DEV_GET, id, 0, false, what);
}

/* dev assign DEV TENANT [--accept-no-reset] (the flag anywhere after assign) */
static int dev_assign(struct ctl *c, int argc, char **argv)
{
	char why[160], what[128];
	const char *pos[2];
	uint32_t id, tenant;
	bool accept = false;
	int i, n = 0;

	for (i = 2; i < argc; i++) {
		if (!strcmp(argv[i], "--accept-no-reset"))
			accept = true;
		else if (argv[i][0] == '-' && argv[i][1] && !isdigit((unsigned char)argv[i][1]))
			return usage_err("dev", "dev assign: unknown option '%s'", argv[i]);
		else if (n == 2)
			return usage_err("dev", "dev assign: expected DEV TENANT");
		else
			pos[n++] = argv[i];
	}
	if (n != 2)
		return usage_err("dev", "dev assign: expected DEV TENANT");
	if (parse_dev(pos[0], &id, why, sizeof(why)) ||
	    parse_tenant(pos[1], &tenant, why, sizeof(why)))
		return usage_err("dev", "dev assign: %s", why);
	snprintf(what, sizeof(what), "dev assign %s %s%s", pos[0], pos[1],
		 accept ? " --accept-no-reset" : "");
	return dev_call(c, P2PFENCE_CMD_DEV_ASSIGN, id, tenant, accept, what);
}

int cmd_dev(struct ctl *c, int argc, char **argv)
{
	char why[160], what[96];
	uint32_t id;

	if (!strcmp(argv[1], "show") || !strcmp(argv[1], "list"))
		return dev_show(c, argc, argv);
	if (!strcmp(argv[1], "assign"))
		return dev_assign(c, argc, argv);
	if (!strcmp(argv[1], "release")) {
		if (argc != 3)
			return usage_err("dev", "dev release: expected DEV");
		if (parse_dev(argv[2], &id, why, sizeof(why)))
			return usage_err("dev", "dev release: %s", why);
		snprintf(what, sizeof(what), "dev release %s", argv[2]);
		return dev_call(c, P2PFENCE_CMD_DEV_RELEASE, id, 0, false, what);
	}
	return usage_err("dev", "dev: unknown command '%s'", argv[1]);
}
