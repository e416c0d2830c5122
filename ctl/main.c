// SPDX-License-Identifier: GPL-2.0
/*
 * main.c - p2pfencectl: options, the command table, usage.
 *
 *   p2pfencectl [-j] [-p] OBJECT COMMAND [ARGS]
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include "cmds.h"
#include "json.h"
#include "util.h"

#ifndef P2PFENCE_VERSION
#define P2PFENCE_VERSION "0.1"
#endif

static int cmd_help(int argc, char **argv);

static const struct command commands[] = {
	{ "dev", cmd_dev,
	  "dev assign DEV TENANT [--accept-no-reset]\n"
	  "dev release DEV\n"
	  "dev show [DEV]", true },
	{ "tenant", cmd_tenant, "tenant show [TENANT]", true },
	{ "audit", cmd_audit, "audit", false },
	{ "check", cmd_check, "check [--sysfs ROOT] [--assign DEV=TENANT]... [--config FILE]",
	  false },
	{ "apply", cmd_apply, "apply FILE", false },
	{ "monitor", cmd_monitor, "monitor", false },
	{ "mode", cmd_mode, "mode show\nmode set { enforce | audit }", true },
	{ "snapshot", cmd_snapshot, "snapshot DIR", false },
	{ "help", cmd_help, "help [OBJECT]", false },
};

#define NCOMMANDS (sizeof(commands) / sizeof(commands[0]))

int is_help(const char *s)
{
	return !strcmp(s, "help") || !strcmp(s, "-h") || !strcmp(s, "--help");
}

static void print_usage_lines(FILE *f, const char *usage)
{
	const char *p = usage, *nl;

	while (*p) {
		nl = strchr(p, '\n');
		fprintf(f, "       " PROG " [-j] [-p] %.*s\n",
			nl ? (int)(nl - p) : (int)strlen(p), p);
		if (!nl)
			break;
		p = nl + 1;
	}
}

void usage_for(const char *obj, int to_stderr)
{
	FILE *f = to_stderr ? stderr : stdout;
	size_t i;

	fprintf(f, "usage: " PROG " [-j] [-p] OBJECT COMMAND [ARGS]\n");
	for (i = 0; i < NCOMMANDS; i++)
		if (!obj || !strcmp(obj, commands[i].name))
			print_usage_lines(f, commands[i].usage);
	if (!obj)
		fprintf(f, "       " PROG " --version\n"
			"options: -j JSON output, -p pretty JSON (implies -j)\n"
			"DEV: DDDD:BB:DD.F or BB:DD.F (hex); TENANT: 1-4294967295\n"
			"exit: 0 done/fenced/isolated, 1 refused or violations, 2 usage or system error\n");
}

int usage_err(const char *obj, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	err_vmsg("", fmt, ap);
	va_end(ap);
	usage_for(obj, 1);
	return EXIT_USAGE;
}

static int cmd_help(int argc, char **argv)
{
	size_t i;

	if (argc > 2)
		return usage_err("help", "help: too many arguments");
	if (argc == 2) {
		for (i = 0; i < NCOMMANDS; i++)
			if (!strcmp(argv[1], commands[i].name))
				break;
		if (i == NCOMMANDS)
			return usage_err(NULL, "help: unknown object '%s'", argv[1]);
	}
	usage_for(argc == 2 ? argv[1] : NULL, 0);
	return EXIT_OK;
}

static int run(const struct command *c, int argc, char **argv)
{
	if (c->sub && argc < 2)
		return usage_err(c->name, "%s: missing command", c->name);
	if (c->sub && is_help(argv[1])) {
		usage_for(c->name, 0);
		return EXIT_OK;
	}
	return c->fn(argc, argv);
}

int main(int argc, char **argv)
{
	bool json = false, pretty = false;
	size_t i;
	int a = 1;

	for (; a < argc && argv[a][0] == '-'; a++) {
		const char *o = argv[a];

		if (!strcmp(o, "-j") || !strcmp(o, "--json")) {
			json = true;
		} else if (!strcmp(o, "-p") || !strcmp(o, "--pretty")) {
			pretty = true;
		} else if (!strcmp(o, "-jp") || !strcmp(o, "-pj")) {
			json = pretty = true;
		} else if (!strcmp(o, "-V") || !strcmp(o, "--version")) {
			printf(PROG " " P2PFENCE_VERSION "\n");
			return EXIT_OK;
		} else if (!strcmp(o, "-h") || !strcmp(o, "--help")) {
			usage_for(NULL, 0);
			return EXIT_OK;
		} else if (!strcmp(o, "--")) {
			a++;
			break;
		} else {
			return usage_err(NULL, "unknown option '%s'", o);
		}
	}
	out_init(stdout, json, pretty);
	if (a >= argc)
		return usage_err(NULL, "no object given");
	for (i = 0; i < NCOMMANDS; i++)
		if (!strcmp(argv[a], commands[i].name))
			return run(&commands[i], argc - a, argv + a);
	return usage_err(NULL, "unknown object '%s'", argv[a]);
}
