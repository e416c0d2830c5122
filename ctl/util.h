/* SPDX-License-Identifier: GPL-2.0 */
#ifndef P2PFENCECTL_UTIL_H
#define P2PFENCECTL_UTIL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdarg.h>
#include <stdint.h>
#include <linux/p2pfence.h>

#define PROG "p2pfencectl"

/* exit codes (design.md, "Control tool contract") */
#define EXIT_OK		0	/* done / fenced / isolated */
#define EXIT_REFUSED	1	/* refused by the kernel, or violations found */
#define EXIT_USAGE	2	/* usage or system error */

/* "DDDDDDDD:BB:DD.F" + NUL (a domain is 4 to 8 hex digits: Intel VMD's
 * start at 10000) */
#define DEV_STRLEN 17

/* Parse DDDD:BB:DD.F (4 to 8 domain digits) or BB:DD.F (hex, domain 0)
 * into an FM_ID. -EINVAL, with the reason in @why. */
/* the value of hex digit @c, -1 when it is none */
int hexval(char c);
int parse_dev(const char *s, uint64_t *id, char *why, size_t whylen);
/*
 * parse_quirk() - a VID:DID ("8086:a110", 1-4 hex digits each) as
 * vendor << 16 | device, one the quirk opt-in may trust (p2pf_quirk_bad()).
 * Return: 0, or -EINVAL with the reason in @why.
 */
int parse_quirk(const char *s, uint32_t *q, char *why, size_t whylen);
/* FM_ID -> "DDDD:BB:DD.F"; returns buf (>= DEV_STRLEN bytes) */
char *fmt_dev(uint64_t id, char *buf);

#define TENANT_NAME_SIZE (P2PFENCE_TENANT_NAME_MAX + 1)	/* a name + NUL */

/*
 * A tenant as the user gave it: by id, or by name (a VM manager's UUID,
 * say). The module gives a named tenant an id of its own, from
 * P2PFENCE_TENANT_NAMED_MIN up; a request carries the name instead of an id.
 */
struct pf_tenant_ref {
	uint32_t id;			/* >= 1; 0 when named */
	char name[TENANT_NAME_SIZE];	/* "" when by id */
};

/* what a TENANT is for: the ids it may be */
enum tenant_use {
	TENANT_OWNER,	/* a new owner (dev assign, apply, owners file, check): 1-2147483647 */
	TENANT_ASK,	/* asking about one (dev release --tenant, tenant show): any id >= 1 */
};

/*
 * parse_tenant() - a TENANT: all decimal digits is an id, anything else a
 * name of 1 to P2PFENCE_TENANT_NAME_MAX bytes of A-Z a-z 0-9 and
 * . _ : @ + / -, the first a letter or a digit (tenant_name_ok()).
 * Return: 0; -EINVAL or -ERANGE with a one-line reason in @why.
 */
int parse_tenant(const char *s, enum tenant_use use, struct pf_tenant_ref *t, char *why,
		 size_t whylen);
/* whether @s is a tenant name by those rules (an id is not) */
bool tenant_name_ok(const char *s);
/* the same tenant: the same id, or the same name byte for byte */
bool tenant_ref_eq(const struct pf_tenant_ref *a, const struct pf_tenant_ref *b);

/* room for a tenant as text: a name, or an id (10 digits), + NUL */
#define TENANT_STRLEN TENANT_NAME_SIZE
/* a tenant as text: @name when it has one (not NULL or ""), else @id in
 * @buf (>= TENANT_STRLEN bytes); either way what parse_tenant() takes back */
const char *fmt_tenant(uint32_t id, const char *name, char *buf);

/* "p2pfencectl: CONTEXT PREFIX<message>" on stderr, stdout flushed first */
void err_vmsg(const char *prefix, const char *fmt, va_list ap);
void err_msg(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void warn_msg(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* "p2pfencectl: note: <message>": what the user should know, no problem */
void note_msg(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* what every later message starts with after "p2pfencectl: " ("batch line 3: "); "" none */
void err_context(const char *ctx);

/*
 * split_line() - a -batch line into words, in place: blanks (space, tab,
 * CR, LF) separate words; "double quotes" keep blanks in a word (and make
 * "" an empty word), \" and \\ inside them are a quote and a backslash;
 * a # that starts a word starts a comment to the end of the line.
 * *@argv (malloc'ed, NULL-terminated: free() it) points into @line.
 * Return: 0; -EINVAL with the reason in @why; -ENOMEM.
 */
int split_line(char *line, int *argc, char ***argv, char *why, size_t whylen);

/* @names[@v] (@n entries), or "@prefix-@v" in @buf (>= 24 bytes) when it has none */
const char *enum_name(const char *const *names, size_t n, unsigned int v, const char *prefix,
		      char *buf);

/* kernel errno (negative) -> exit code: EXDEV/EBUSY 1, else 2 */
int exit_for_errno(int err);

/* read up to @len bytes of a file; returns bytes read or -errno */
long read_file(const char *path, void *buf, size_t len);

/*
 * read_all() - a whole file (- for standard input) into *@buf (malloc'ed,
 * a NUL after its *@len bytes). Problems are reported naming @path.
 * Return: 0, -EFBIG when it is longer than @max bytes, or -errno.
 */
int read_all(const char *path, size_t max, char **buf, size_t *len);



/* snprintf into a path buffer; -ENAMETOOLONG instead of truncating */
int pathf(char *buf, size_t len, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
#endif
