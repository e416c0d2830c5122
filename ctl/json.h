/* SPDX-License-Identifier: GPL-2.0 */
/*
 * json.h - one set of print calls for text and JSON output (iproute2 style).
 *
 * Every call takes the JSON key and a printf format for text mode; in JSON
 * mode the format is ignored, in text mode the key is. A NULL format prints
 * nothing in text mode (JSON-only fields).
 */
#ifndef P2PFENCECTL_JSON_H
#define P2PFENCECTL_JSON_H

#include <stdbool.h>
#include <stdio.h>

void out_init(FILE *f, bool json, bool pretty);
bool out_json(void);

void out_obj_open(const char *key);
void out_obj_close(void);
void out_arr_open(const char *key);
void out_arr_close(void);

void out_str(const char *key, const char *fmt, const char *val);
void out_uint(const char *key, const char *fmt, unsigned long long val);
void out_bool(const char *key, const char *fmt, bool val);
void out_null(const char *key, const char *fmt);
/* text mode only */
void out_text(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* end of the document: the JSON newline; flushes */
void out_end(void);

/* JSON string escaping, exposed for tests */
void json_escape(FILE *f, const char *s);

#endif
