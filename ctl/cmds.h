/* SPDX-License-Identifier: GPL-2.0 */
#ifndef P2PFENCECTL_CMDS_H
#define P2PFENCECTL_CMDS_H

#include <stdbool.h>

/*
 * One entry per OBJECT. Each handler gets argv starting at the OBJECT and
 * returns the process exit code (EXIT_OK, EXIT_REFUSED, EXIT_USAGE).
 * With @sub (OBJECT COMMAND [ARGS]) main() has made sure a COMMAND is
 * there and answered "OBJECT help" before the handler runs.
 */
struct command {
	const char *name;
	int (*fn)(int argc, char **argv);
	const char *usage;
	bool sub;
};

int cmd_dev(int argc, char **argv);
int cmd_tenant(int argc, char **argv);
int cmd_audit(int argc, char **argv);
int cmd_check(int argc, char **argv);
int cmd_apply(int argc, char **argv);
int cmd_monitor(int argc, char **argv);
int cmd_mode(int argc, char **argv);
int cmd_snapshot(int argc, char **argv);

/* prints "usage: p2pfencectl ..." lines for @obj (NULL: all) on @f */
void usage_for(const char *obj, int to_stderr);
/* usage error: message, the object's usage on stderr; returns EXIT_USAGE */
int usage_err(const char *obj, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* true for "help", "-h", "--help" */
int is_help(const char *s);

#endif
