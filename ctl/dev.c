// SPDX-License-Identifier: GPL-2.0
/*
 * dev.c - `dev assign DEV TENANT`, `dev release DEV`, `dev show [DEV]`.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include "cmds.h"
#include "ipc.h"
#include "json.h"
#include "util.h"

/* one device (assign/release/get reply, dump entry) as an object */
static void dev_print(const struct pf_dev *d)
{
	char buf[DEV_STRLEN];
	unsigned int i;

	out_obj_open(NULL);
	out_str("dev", "%s", fmt_dev(d->id, buf));
	if (d->tenant) {
		out_uint("tenant", " tenant %llu", d->tenant);
		out_bool("fenced", NULL, d->fenced);
		out_text(d->fenced ? " fenced" : " NOT fenced");
	} else {
		out_uint("tenant", " host", 0);
		out_bool("fenced", NULL, false);
	}
	out_text("\n");
	out_arr_open("violations");
	for (i = 0; i < d->v.n; i++) {
		out_text("  ");
		verdict_print(&d->v.v[i], true);
	}
	out_arr_close();
	out_obj_close();
}

static void devs_print(const struct pf_devs *devs)
{
	unsigned int i;

	out_arr_open(NULL);
	for (i = 0; i < devs->n; i++)
		dev_print(&devs->d[i]);
	out_arr_close();
	out_end();
}

/* assign (@tenant >= 1), release (@tenant 0), show one (@show) or all */
static int dev_call(int cmd, uint32_t id, uint32_t tenant, const char *what)
{
	struct pf_devs devs = { 0 };
	struct pf_nl nl;
	int ret, rc;

	if (pf_nl_open(&nl))
		return EXIT_USAGE;
	switch (cmd) {
	case P2PFENCE_CMD_DEV_ASSIGN:
		ret = pf_dev_assign(&nl, id, tenant, &devs);
		break;
	case P2PFENCE_CMD_DEV_RELEASE:
		ret = pf_dev_release(&nl, id, &devs);
		break;
	default:
		ret = pf_dev_get(&nl, id, &devs);
		break;
	}
	/* audit mode: recorded (exit 0); the verdicts printed say what
	 * enforce mode would have refused or programmed */
	devs_print(&devs);
	rc = pf_nl_report(&nl, ret, what);
	if (ret == -EXDEV && cmd == P2PFENCE_CMD_DEV_RELEASE)
		err_msg("hint: devices that are only isolated together go back to the host together: "
			"list the ones to keep in a file and run 'p2pfencectl apply FILE'");
	pf_devs_free(&devs);
	pf_nl_close(&nl);
	return rc;
}

static int dev_show(int argc, char **argv)
{
	char why[160], what[64];
	uint32_t id = PF_ALL_DEVS;

	if (argc > 3)
		return usage_err("dev", "dev show: too many arguments");
	if (argc == 3 && parse_dev(argv[2], &id, why, sizeof(why)))
		return usage_err("dev", "dev show: %s", why);
	snprintf(what, sizeof(what), "dev show%s%s", argc == 3 ? " " : "",
		 argc == 3 ? argv[2] : "");
	return dev_call(P2PFENCE_CMD_DEV_GET, id, 0, what);
}

int cmd_dev(int argc, char **argv)
{
	char why[160], what[96];
	uint32_t id, tenant;

	if (!strcmp(argv[1], "show") || !strcmp(argv[1], "list"))
		return dev_show(argc, argv);
	if (!strcmp(argv[1], "assign")) {
		if (argc != 4)
			return usage_err("dev", "dev assign: expected DEV TENANT");
		if (parse_dev(argv[2], &id, why, sizeof(why)) ||
		    parse_tenant(argv[3], &tenant, why, sizeof(why)))
			return usage_err("dev", "dev assign: %s", why);
		snprintf(what, sizeof(what), "dev assign %s %s", argv[2], argv[3]);
		return dev_call(P2PFENCE_CMD_DEV_ASSIGN, id, tenant, what);
	}
	if (!strcmp(argv[1], "release")) {
		if (argc != 3)
			return usage_err("dev", "dev release: expected DEV");
		if (parse_dev(argv[2], &id, why, sizeof(why)))
			return usage_err("dev", "dev release: %s", why);
		snprintf(what, sizeof(what), "dev release %s", argv[2]);
		return dev_call(P2PFENCE_CMD_DEV_RELEASE, id, 0, what);
	}
	return usage_err("dev", "dev: unknown command '%s'", argv[1]);
}
