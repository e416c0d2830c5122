/* SPDX-License-Identifier: GPL-2.0 */
#ifndef P2PFENCECTL_UTIL_H
#define P2PFENCECTL_UTIL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdarg.h>
#include <stdint.h>

#define PROG "p2pfencectl"

/* exit codes (design.md, "Control tool contract") */
#define EXIT_OK		0	/* done / fenced / isolated */
#define EXIT_REFUSED	1	/* refused by the kernel, or violations found */
#define EXIT_USAGE	2	/* usage or system error */

/* "DDDD:BB:DD.F" + NUL */
#define DEV_STRLEN 13

/* Parse DDDD:BB:DD.F or BB:DD.F (hex, domain 0) into an FM_ID. -EINVAL,
 * with the reason in @why. */
int parse_dev(const char *s, uint32_t *id, char *why, size_t whylen);
/* Parse a tenant id: decimal u32 >= 1, nothing else. */
int parse_tenant(const char *s, uint32_t *tenant, char *why, size_t whylen);
/* FM_ID -> "DDDD:BB:DD.F"; returns buf (>= DEV_STRLEN bytes) */
char *fmt_dev(uint32_t id, char *buf);

/* "p2pfencectl: CONTEXT PREFIX<message>" on stderr, stdout flushed first */
void err_vmsg(const char *prefix, const char *fmt, va_list ap);
void err_msg(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void warn_msg(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
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
