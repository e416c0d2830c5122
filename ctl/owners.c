// SPDX-License-Identifier: GPL-2.0
/*
 * owners.c - the owners file parser (p2pfence.conf(5)).
 *
 * The whole file is validated before anything uses it: every bad line is
 * reported with its number, and callers act only when there were none.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "owners.h"
#include "util.h"

int owners_add(struct owners *o, uint64_t id, const struct pf_tenant_ref *tenant,
	       unsigned int line)
{
	struct owner_ent *nv;
	size_t ncap;

	if (o->n == o->cap) {
		ncap = o->cap ? o->cap * 2 : 16;
		nv = realloc(o->v, ncap * sizeof(*nv));
		if (!nv)
			return -ENOMEM;
		o->v = nv;
		o->cap = ncap;
	}
	o->v[o->n].id = id;
	o->v[o->n].tenant = *tenant;
	o->v[o->n].line = line;
	o->n++;
	return 0;
}

int owners_trust(struct owners *o, const struct pf_tenant_ref *tenant)
{
	struct pf_tenant_ref *nv;
	size_t i, ncap;

	for (i = 0; i < o->ntrust; i++)
		if (tenant_ref_eq(&o->trust[i], tenant))
			return 0;
	if (o->ntrust == o->trust_cap) {
		ncap = o->trust_cap ? o->trust_cap * 2 : 8;
		nv = realloc(o->trust, ncap * sizeof(*nv));
		if (!nv)
			return -ENOMEM;
		o->trust = nv;
		o->trust_cap = ncap;
	}
	o->trust[o->ntrust++] = *tenant;
	return 0;
}

void owners_free(struct owners *o)
{
	free(o->v);
	o->v = NULL;
	o->n = o->cap = 0;
	free(o->trust);
	o->trust = NULL;
	o->ntrust = o->trust_cap = 0;
	o->nquirk = 0;
}

int owners_add_quirk(const char *name, struct owners *o, uint32_t q, unsigned int line)
{
	size_t i;

	for (i = 0; i < o->nquirk; i++) {
		if (o->quirk[i] != q)
			continue;
		if (line && o->quirk_line[i])
			fprintf(stderr, "%s:%u: trust-quirk %04x:%04x given twice (first on line %u)\n",
				name, line, q >> 16, q & 0xffff, o->quirk_line[i]);
		else
			err_msg("%s: trust-quirk %04x:%04x given twice", name, q >> 16, q & 0xffff);
		return -EINVAL;
	}
	if (o->nquirk == P2PFENCE_QUIRK_TRUST_MAX) {
		if (line)
			fprintf(stderr, "%s:%u: more than %u trust-quirk entries\n", name, line,
				P2PFENCE_QUIRK_TRUST_MAX);
		else
			err_msg("%s: more than %u trust-quirk entries", name,
				P2PFENCE_QUIRK_TRUST_MAX);
		return -EINVAL;
	}
	o->quirk[o->nquirk] = q;
	o->quirk_line[o->nquirk++] = line;
	return 0;
}

static int is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\r';
}

/* parse one line (NUL-terminated copy); 1 if it held an entry, 0 if empty, <0 bad */
static int parse_line(const char *name, unsigned int lineno, char *line, struct owners *o)
{
	char *tok[3] = { NULL, NULL, NULL };
	struct pf_tenant_ref tenant;
	char why[160];
	uint64_t id;
	int ntok = 0, ret;
	char *p = line, *hash;

	hash = strchr(line, '#');
	if (hash)
		*hash = '\0';
	while (*p) {
		while (is_blank(*p))
			p++;
		if (!*p)
			break;
		if (ntok < 3)
			tok[ntok] = p;
		ntok++;
		while (*p && !is_blank(*p))
			p++;
		if (*p)
			*p++ = '\0';
	}
	if (ntok == 0)
		return 0;
	if (!strcmp(tok[0], "trust-ats")) {
		/* the same-tenant GPUDirect opt-in: its devices' ATS is trusted */
		if (ntok != 2) {
			fprintf(stderr, "%s:%u: expected 'trust-ats TENANT', got %d field%s\n",
				name, lineno, ntok, ntok == 1 ? "" : "s");
			return -EINVAL;
		}
		if (parse_tenant(tok[1], TENANT_OWNER, &tenant, why, sizeof(why))) {
			fprintf(stderr, "%s:%u: trust-ats: %s\n", name, lineno, why);
			return -EINVAL;
		}
		ret = owners_trust(o, &tenant);
		return ret ? ret : 1;
	}
	if (!strcmp(tok[0], "trust-quirk")) {
		uint32_t q;

		if (ntok != 2) {
			fprintf(stderr, "%s:%u: expected 'trust-quirk VID:DID', got %d field%s\n",
				name, lineno, ntok, ntok == 1 ? "" : "s");
			return -EINVAL;
		}
		if (parse_quirk(tok[1], &q, why, sizeof(why))) {
			fprintf(stderr, "%s:%u: trust-quirk: %s\n", name, lineno, why);
			return -EINVAL;
		}
		return owners_add_quirk(name, o, q, lineno) ? -EINVAL : 1;
	}
	if (ntok != 2) {
		fprintf(stderr, "%s:%u: expected 'DEV TENANT', got %d field%s\n",
			name, lineno, ntok, ntok == 1 ? "" : "s");
		return -EINVAL;
	}
	ret = parse_dev(tok[0], &id, why, sizeof(why));
	if (ret) {
		fprintf(stderr, "%s:%u: %s\n", name, lineno, why);
		return ret;
	}
	ret = parse_tenant(tok[1], TENANT_OWNER, &tenant, why, sizeof(why));
	if (ret) {
		fprintf(stderr, "%s:%u: %s\n", name, lineno, why);
		return -EINVAL;
	}
	ret = owners_add(o, id, &tenant, lineno);
	return ret ? ret : 1;
}

int owners_parse(const char *name, const char *buf, size_t len, struct owners *o,
		 unsigned int *nbad)
{
	unsigned int lineno = 0, bad = 0;
	size_t start = 0, end, n0 = o->n;
	char *line = NULL;
	int ret = 0, r;

	while (start < len) {
		lineno++;
		end = start;
		while (end < len && buf[end] != '\n')
			end++;
		if (memchr(buf + start, '\0', end - start)) {
			fprintf(stderr, "%s:%u: NUL byte: not a text file\n", name, lineno);
			bad++;
			goto next;
		}
		free(line);
		line = malloc(end - start + 1);
		if (!line) {
			ret = -ENOMEM;
			goto out;
		}
		memcpy(line, buf + start, end - start);
		line[end - start] = '\0';
		r = parse_line(name, lineno, line, o);
		if (r == -ENOMEM) {
			ret = r;
			goto out;
		}
		if (r < 0)
			bad++;
next:
		start = end + 1;
	}
	if (o->n - n0 > 1) {
		/* duplicates among this file's entries */
		struct owners sub = { .v = o->v + n0, .n = o->n - n0, .cap = o->n - n0 };

		bad += owners_dups(name, &sub);
	}
	if (bad)
		ret = -EINVAL;
out:
	free(line);
	if (nbad)
		*nbad = bad;
	return ret;
}

int owners_load(const char *path, struct owners *o, unsigned int *nbad)
{
	size_t len = 0, cap = 0;
	char *buf = NULL, *nb;
	FILE *f = NULL;
	size_t r;
	int ret;

	if (nbad)
		*nbad = 0;
	f = strcmp(path, "-") ? fopen(path, "r") : stdin;
	if (!f) {
		ret = -errno;
		err_msg("%s: %s", path, strerror(errno));
		goto out;
	}
	for (;;) {
		if (len == cap) {
			cap = cap ? cap * 2 : 4096;
			if (cap > OWNERS_MAX_BYTES + 1)
				cap = OWNERS_MAX_BYTES + 1;
			nb = realloc(buf, cap);
			if (!nb) {
				ret = -ENOMEM;
				goto out;
			}
			buf = nb;
		}
		r = fread(buf + len, 1, cap - len, f);
		len += r;
		if (r == 0)
			break;
		if (len > OWNERS_MAX_BYTES) {
			err_msg("%s: larger than %u bytes", path, OWNERS_MAX_BYTES);
			ret = -EFBIG;
			goto out;
		}
	}
	if (ferror(f)) {
		ret = -EIO;
		err_msg("%s: read error", path);
		goto out;
	}
	ret = owners_parse(path, buf, len, o, nbad);
out:
	if (f && f != stdin)
		fclose(f);
	free(buf);
	return ret;
}

static int ent_cmp(const void *a, const void *b)
{
	const struct owner_ent *x = a, *y = b;

	if (x->id != y->id)
		return x->id < y->id ? -1 : 1;
	return x->line < y->line ? -1 : x->line > y->line;
}

unsigned int owners_dups(const char *name, const struct owners *o)
{
	struct owner_ent *s;
	unsigned int dups = 0;
	char d[DEV_STRLEN];
	size_t i;

	if (o->n < 2)
		return 0;
	s = malloc(o->n * sizeof(*s));
	if (!s) {
		err_msg("out of memory");
		return 1;
	}
	memcpy(s, o->v, o->n * sizeof(*s));
	qsort(s, o->n, sizeof(*s), ent_cmp);
	for (i = 1; i < o->n; i++) {
		if (s[i].id != s[i - 1].id)
			continue;
		dups++;
		if (s[i].line && s[i - 1].line)
			fprintf(stderr, "%s:%u: duplicate device %s (first on line %u)\n",
				name, s[i].line, fmt_dev(s[i].id, d), s[i - 1].line);
		else if (s[i].line)
			fprintf(stderr, "%s:%u: device %s is also given with --assign\n",
				name, s[i].line, fmt_dev(s[i].id, d));
		else
			err_msg("%s: device %s given twice", name, fmt_dev(s[i].id, d));
	}
	free(s);
	return dups;
}
