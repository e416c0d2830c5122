/* SPDX-License-Identifier: GPL-2.0 */
#ifndef P2PFENCECTL_CMDS_H
#define P2PFENCECTL_CMDS_H

#include <stdbool.h>
#include "nl.h"

/*
 * What the commands of one process share: one command line, or every line
 * of a -batch. The netlink socket is opened (and the family resolved) by
 * the first command that needs it and then reused by the next ones;
 * offline commands (check, snapshot, help) never open it.
 */
struct ctl {
	struct pf_nl nl;	/* open when nl.sk is set */
	bool json, pretty;	/* -j, -p: every command of the process */
};

/*
 * ctl_nl() - the shared socket, opened on first use (again after a send or
 * receive failure left it out of sync). Prints why it cannot be opened
 * ("p2pfence module not loaded"), except that @quiet_enoent keeps that one
 * quiet. Return: 0 or -errno (-ENOENT: the module is not loaded).
 */
int ctl_nl(struct ctl *c, bool quiet_enoent);

/*
 * One entry per OBJECT. Each handler gets the shared context and argv
 * starting at the OBJECT and returns the exit code (EXIT_OK,
 * EXIT_REFUSED, EXIT_USAGE). With @sub (OBJECT COMMAND [ARGS]) main() has
 * made sure a COMMAND is there and answered "OBJECT help" before the
 * handler runs. A handler may modify the strings of argv.
 */
struct command {
	const char *name;
	int (*fn)(struct ctl *c, int argc, char **argv);
	const char *usage;
	bool sub;
};

int cmd_dev(struct ctl *c, int argc, char **argv);
int cmd_tenant(struct ctl *c, int argc, char **argv);
int cmd_audit(struct ctl *c, int argc, char **argv);
int cmd_check(struct ctl *c, int argc, char **argv);
int cmd_apply(struct ctl *c, int argc, char **argv);
int cmd_monitor(struct ctl *c, int argc, char **argv);
int cmd_mode(struct ctl *c, int argc, char **argv);
int cmd_quirk(struct ctl *c, int argc, char **argv);
int cmd_snapshot(struct ctl *c, int argc, char **argv);
int cmd_metrics(struct ctl *c, int argc, char **argv);
int cmd_libvirt_hook(struct ctl *c, int argc, char **argv);

/* prints "usage: p2pfencectl ..." lines for @obj (NULL: all) on @f */
void usage_for(const char *obj, int to_stderr);
/* usage error: message, the object's usage on stderr; returns EXIT_USAGE */
int usage_err(const char *obj, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* true for "help", "-h", "--help" */
int is_help(const char *s);

#endif
