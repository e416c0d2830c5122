/* SPDX-License-Identifier: GPL-2.0 */
#ifndef P2PFENCECTL_OWNERS_H
#define P2PFENCECTL_OWNERS_H

#include <stddef.h>
#include <stdint.h>
#include <linux/p2pfence.h>
#include "util.h"

/*
 * The owners file (p2pfence.conf(5)): '#' starts a comment, blank lines are
 * ignored, every other line is "DEV TENANT" (TENANT an id 1-2147483647 or
 * a name: parse_tenant(), TENANT_OWNER) or "trust-quirk VID:DID" (the
 * quirk opt-in: parse_quirk()). Used by `apply FILE` and
 * `check --config FILE`.
 */
struct owner_ent {
	uint64_t id;			/* FM_ID */
	struct pf_tenant_ref tenant;	/* an id >= 1, or a name */
	unsigned int line;		/* line in the file; 0 for --assign */
};

struct owners {
	struct owner_ent *v;
	size_t n, cap;
	/* `trust-ats TENANT` lines: tenants whose ATS is trusted (GPUDirect) */
	struct pf_tenant_ref *trust;
	size_t ntrust, trust_cap;
	uint32_t quirk[P2PFENCE_QUIRK_TRUST_MAX];	/* trust-quirk, in file order */
	unsigned int quirk_line[P2PFENCE_QUIRK_TRUST_MAX];	/* 0: --trust-quirk */
	size_t nquirk;
};

/* Largest owners file accepted (bytes). */
#define OWNERS_MAX_BYTES (16u << 20)

/*
 * Parse @len bytes of @buf (named @name in messages). Every bad line is
 * reported on stderr as "NAME:LINE: reason"; entries are appended to @o.
 * Return: 0, -EINVAL when any line was bad (*@nbad of them), -ENOMEM.
 */
int owners_parse(const char *name, const char *buf, size_t len, struct owners *o,
		 unsigned int *nbad);
/* read and parse a file ("-" is stdin) */
int owners_load(const char *path, struct owners *o, unsigned int *nbad);
/* append one entry (for --assign); no duplicate check */
int owners_add(struct owners *o, uint64_t id, const struct pf_tenant_ref *tenant,
	       unsigned int line);
/* report entries naming the same device twice (stderr, using @name);
 * returns the number of duplicates found */
unsigned int owners_dups(const char *name, const struct owners *o);
/* add a tenant trusted with ATS (a repeat is kept once) */
int owners_trust(struct owners *o, const struct pf_tenant_ref *tenant);
void owners_free(struct owners *o);
/*
 * owners_add_quirk() - one trust-quirk (@line 0: from the command line);
 * a duplicate or one past P2PFENCE_QUIRK_TRUST_MAX is reported on stderr
 * (naming @name:@line) and refused. Return: 0 or -EINVAL.
 */
int owners_add_quirk(const char *name, struct owners *o, uint32_t q, unsigned int line);

#endif
