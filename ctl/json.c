// SPDX-License-Identifier: GPL-2.0
/*
 * json.c - text and JSON output from the same print calls.
 *
 * JSON mode keeps a small stack of open containers so commas and (with -p)
 * indentation come out right; text mode just runs the formats.
 */
#include <stdarg.h>
#include <stdio.h>
#include "json.h"

#define OUT_DEPTH 32

static FILE *out_f;
static bool out_is_json;
static bool out_pretty;
static int depth;
static bool first[OUT_DEPTH];
static bool any_output;

void out_init(FILE *f, bool json, bool pretty)
{
	out_f = f;
	out_is_json = json || pretty;
	out_pretty = pretty;
	depth = 0;
	first[0] = true;
	any_output = false;
}

bool out_json(void)
{
	return out_is_json;
}

void json_escape(FILE *f, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;

	fputc('"', f);
	for (; *p; p++) {
		switch (*p) {
		case '"':  fputs("\\\"", f); break;
		case '\\': fputs("\\\\", f); break;
		case '\n': fputs("\\n", f); break;
		case '\r': fputs("\\r", f); break;
		case '\t': fputs("\\t", f); break;
		case '\b': fputs("\\b", f); break;
		case '\f': fputs("\\f", f); break;
		default:
			if (*p < 0x20 || *p == 0x7f)
				fprintf(f, "\\u%04x", *p);
			else
				fputc(*p, f);
		}
	}
	fputc('"', f);
}

static void indent(void)
{
	int i;

	if (!out_pretty)
		return;
	fputc('\n', out_f);
	for (i = 0; i < depth; i++)
		fputs("  ", out_f);
}

/* comma, newline/indent and key for the next value */
static void json_key(const char *key)
{
	if (!out_f)
		out_init(stdout, false, false);
	if (depth > 0) {
		if (!first[depth])
			fputc(',', out_f);
		indent();
	}
	first[depth] = false;
	if (key && depth > 0) {
		json_escape(out_f, key);
		fputs(out_pretty ? ": " : ":", out_f);
	}
	any_output = true;
}

static void open_container(const char *key, char c)
{
	if (!out_is_json)
		return;
	json_key(key);
	fputc(c, out_f);
	if (depth < OUT_DEPTH - 1)
		depth++;
	first[depth] = true;
}

static void close_container(char c)
{
	bool empty;

	if (!out_is_json)
		return;
	empty = first[depth];
	if (depth > 0)
		depth--;
	if (!empty)
		indent();
	fputc(c, out_f);
}

void out_obj_open(const char *key)  { open_container(key, '{'); }
void out_obj_close(void)            { close_container('}'); }
void out_arr_open(const char *key)  { open_container(key, '['); }
void out_arr_close(void)            { close_container(']'); }

void out_str(const char *key, const char *fmt, const char *val)
{
	if (out_is_json) {
		json_key(key);
		json_escape(out_f, val);
	} else if (fmt) {
		fprintf(out_f ? out_f : stdout, fmt, val);
	}
}

void out_uint(const char *key, const char *fmt, unsigned long long val)
{
	if (out_is_json) {
		json_key(key);
		fprintf(out_f, "%llu", val);
	} else if (fmt) {
		fprintf(out_f ? out_f : stdout, fmt, val);
	}
}

void out_bool(const char *key, const char *fmt, bool val)
{
	if (out_is_json) {
		json_key(key);
		fputs(val ? "true" : "false", out_f);
	} else if (fmt) {
		fprintf(out_f ? out_f : stdout, fmt, val ? "yes" : "no");
	}
}

void out_null(const char *key, const char *fmt)
{
	if (out_is_json) {
		json_key(key);
		fputs("null", out_f);
	} else if (fmt) {
		fputs(fmt, out_f ? out_f : stdout);
	}
}

void out_text(const char *fmt, ...)
{
	va_list ap;

	if (out_is_json)
		return;
	va_start(ap, fmt);
	vfprintf(out_f ? out_f : stdout, fmt, ap);
	va_end(ap);
}

void out_end(void)
{
	if (out_is_json && any_output)
		fputc('\n', out_f);
	any_output = false;
	if (out_f)
		fflush(out_f);
}
