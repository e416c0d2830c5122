// SPDX-License-Identifier: GPL-2.0
/*
 * main.c - p2pfencectl: options, the command table, usage, -batch.
 *
 *   p2pfencectl [-j] [-p] OBJECT COMMAND [ARGS]
 *   p2pfencectl [-j] [-p] [-force] -batch FILE|-
 *
 * Every command runs with one struct ctl: a -batch runs all its lines in
 * this process over one netlink socket (ctl_nl()), as `ip -batch` does.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cmds.h"
#include "json.h"
#include "util.h"

#ifndef P2PFENCE_VERSION
#define P2PFENCE_VERSION "0.1"
#endif

static int cmd_help(struct ctl *c, int argc, char **argv);

/* running a -batch: usage errors say what is wrong, not the whole usage */
static bool in_batch;

static const struct command commands[] = {
	{ "dev", cmd_dev,
	  "dev assign DEV... TENANT [--accept-no-reset]\n"
	  "dev release DEV... [--tenant TENANT]\n"
	  "dev show [DEV]", true },
	{ "tenant", cmd_tenant, "tenant show [TENANT]\n"
	  "tenant set TENANT { --trust-ats | --no-trust-ats }", true },
	{ "audit", cmd_audit, "audit", false },
	{ "check", cmd_check,
	  "check [--sysfs ROOT | --lspci FILE [--groups FILE]] [--cmdline FILE] "
	  "[--assign DEV=TENANT]... [--trust-ats TENANT]... [--config FILE] [--trust-quirk VID:DID]...\n"
	  "      [--emit-config-acs]",
	  false },
	{ "apply", cmd_apply, "apply FILE", false },
	{ "monitor", cmd_monitor, "monitor", false },
	{ "mode", cmd_mode, "mode show\nmode set { enforce | audit }", true },
	{ "quirk", cmd_quirk, "quirk show\nquirk trust VID:DID\nquirk untrust VID:DID", true },
	{ "snapshot", cmd_snapshot, "snapshot DIR", false },
	{ "metrics", cmd_metrics, "metrics", false },
	{ "libvirt-hook", cmd_libvirt_hook, "libvirt-hook [--print] DOMAIN OP SUBOP [EXTRA] <DOMAIN-XML",
	  false },
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
		fprintf(f, "       " PROG " [-j] [-p] [-force] -batch FILE|-\n"
			"       " PROG " --version\n"
			"options: -j JSON output, -p pretty JSON (implies -j)\n"
			"         -batch FILE: one command per line (- for stdin), one netlink socket;\n"
			"         stops at the first failure unless -force\n"
			"DEV: DDDD:BB:DD.F or BB:DD.F (hex)\n"
			"TENANT: an id (1-2147483647; any id >= 1 to release --tenant or show) or a name:\n"
			"        1-63 of A-Z a-z 0-9 . _ : @ + / -, first a letter or digit, not all digits\n"
			"exit: 0 done/fenced/isolated, 1 refused or violations, 2 usage or system error\n");
}

int usage_err(const char *obj, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	err_vmsg("", fmt, ap);
	va_end(ap);
	if (!in_batch)
		usage_for(obj, 1);
	return EXIT_USAGE;
}

static int cmd_help(struct ctl *c, int argc, char **argv)
{
	size_t i;

	(void)c;
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

int ctl_nl(struct ctl *c, bool quiet_enoent)
{
	if (c->nl.sk && !c->nl.broken)
		return 0;
	pf_nl_close(&c->nl);
	return pf_nl_open_q(&c->nl, quiet_enoent);
}

/* OBJECT COMMAND [ARGS] at argv[0] */
static int run(struct ctl *ctl, int argc, char **argv)
{
	const struct command *c = NULL;
	size_t i;

	for (i = 0; i < NCOMMANDS; i++)
		if (!strcmp(argv[0], commands[i].name))
			c = &commands[i];
	if (!c)
		return usage_err(NULL, "unknown object '%s'", argv[0]);
	if (c->sub && argc < 2)
		return usage_err(c->name, "%s: missing command", c->name);
	if (c->sub && is_help(argv[1])) {
		usage_for(c->name, 0);
		return EXIT_OK;
	}
	return c->fn(ctl, argc, argv);
}

static bool is_batch_opt(const char *o)
{
	return !strcmp(o, "-batch") || !strcmp(o, "--batch") || !strcmp(o, "-b");
}

/* one line of a batch (split in place); EXIT_OK for a blank or comment line */
static int batch_line(struct ctl *c, char *line, size_t len)
{
	char why[96], **argv = NULL;
	int argc, ret;

	if (strlen(line) != len)
		return usage_err(NULL, "a NUL byte in the line");
	ret = split_line(line, &argc, &argv, why, sizeof(why));
	if (ret == -ENOMEM) {
		err_msg("out of memory");
		return EXIT_USAGE;
	}
	if (ret)
		return usage_err(NULL, "%s", why);
	if (!argc)
		ret = EXIT_OK;
	else if (is_batch_opt(argv[0]))
		ret = usage_err(NULL, "nested -batch is not allowed");
	else if (argv[0][0] == '-')
		ret = usage_err(NULL, "option '%s' on a line: options go before -batch, for every line",
				argv[0]);
	else {
		out_init(stdout, c->json, c->pretty);
		ret = run(c, argc, argv);
		out_end();
	}
	free(argv);
	return ret;
}

/*
 * -batch FILE: each line is OBJECT COMMAND [ARGS] (split_line()), run in
 * order with the one context. Stops at the first line that exits non-zero,
 * or with @force goes on; the exit status is that line's, or the worst one.
 */
static int batch(struct ctl *c, const char *file, bool force)
{
	FILE *f = strcmp(file, "-") ? fopen(file, "re") : stdin;
	unsigned int lineno = 0, nfail = 0, first = 0;
	char ctx[48], *line = NULL;
	size_t cap = 0;
	ssize_t len;
	int rc, worst = EXIT_OK;

	if (!f) {
		err_msg("-batch %s: %s", file, strerror(errno));
		return EXIT_USAGE;
	}
	in_batch = true;
	while ((len = getline(&line, &cap, f)) >= 0) {
		lineno++;
		snprintf(ctx, sizeof(ctx), "batch line %u: ", lineno);
		err_context(ctx);
		rc = batch_line(c, line, (size_t)len);
		if (rc == EXIT_OK)
			continue;
		nfail++;
		if (!first)
			first = lineno;
		if (rc > worst)
			worst = rc;
		if (!force) {
			err_msg("failed (exit %d): the batch stops here (-force goes on)", rc);
			break;
		}
	}
	err_context("");
	if (ferror(f)) {
		err_msg("-batch %s: read error after line %u: %s", file, lineno, strerror(errno));
		worst = EXIT_USAGE;
	} else if (force && nfail) {
		err_msg("batch: %u line%s failed, the first at line %u; exit %d", nfail,
			nfail == 1 ? "" : "s", first, worst);
	}
	free(line);
	if (f != stdin)
		fclose(f);
	in_batch = false;
	return worst;
}

int main(int argc, char **argv)
{
	struct ctl c = { 0 };
	const char *batch_file = NULL;
	bool force = false;
	int a = 1, rc;

	for (; a < argc && argv[a][0] == '-'; a++) {
		const char *o = argv[a];

		if (!strcmp(o, "-j") || !strcmp(o, "--json")) {
			c.json = true;
		} else if (!strcmp(o, "-p") || !strcmp(o, "--pretty")) {
			c.pretty = true;
		} else if (!strcmp(o, "-jp") || !strcmp(o, "-pj")) {
			c.json = c.pretty = true;
		} else if (is_batch_opt(o)) {
			if (batch_file)
				return usage_err(NULL, "-batch given twice");
			if (a + 1 >= argc || !*argv[a + 1])
				return usage_err(NULL, "%s needs a FILE (- for stdin)", o);
			batch_file = argv[++a];
		} else if (!strcmp(o, "-force") || !strcmp(o, "--force")) {
			force = true;
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
	out_init(stdout, c.json, c.pretty);
	if (force && !batch_file)
		return usage_err(NULL, "-force goes with -batch");
	if (batch_file) {
		if (a < argc)
			return usage_err(NULL, "-batch takes its commands from FILE, not '%s'", argv[a]);
		rc = batch(&c, batch_file, force);
	} else {
		if (a >= argc)
			return usage_err(NULL, "no object given");
		rc = run(&c, argc - a, argv + a);
	}
	pf_nl_close(&c.nl);
	return rc;
}
