// SPDX-License-Identifier: GPL-2.0
/*
 * util.c - strict parsers for the values on the command line and in the
 * owners file, and small shared helpers.
 */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "fence_model.h"
#include "quirk_trust.h"
#include "tenant_name.h"
#include "util.h"

int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* exactly @n hex digits at *s */
static int hexfield(const char **s, int n, unsigned int *val)
{
	unsigned int v = 0;
	int i, h;

	for (i = 0; i < n; i++) {
		h = hexval((*s)[i]);
		if (h < 0)
			return -EINVAL;
		v = v << 4 | (unsigned int)h;
	}
	*s += n;
	*val = v;
	return 0;
}

int parse_dev(const char *s, uint64_t *id, char *why, size_t whylen)
{
	const char *p = s;
	unsigned int dom = 0, bus, slot, fn;
	size_t len;

	if (!s || !*s) {
		snprintf(why, whylen, "empty device address");
		return -EINVAL;
	}
	len = strlen(s);
	if (len < 7 || len > 16 || (len > 7 && len < 12))
		goto bad;
	if (len >= 12) {
		/* the domain: 4 digits, or up to 8 for a 32-bit one (VMD),
		 * written as the kernel does (%04x: no leading 0 beyond 4) */
		if ((len > 12 && s[0] == '0') ||
		    hexfield(&p, (int)(len - 8), &dom) || *p++ != ':')
			goto bad;
	}
	if (hexfield(&p, 2, &bus) || *p++ != ':')
		goto bad;
	if (hexfield(&p, 2, &slot) || *p++ != '.')
		goto bad;
	if (hexfield(&p, 1, &fn) || *p)
		goto bad;
	if (slot > 0x1f) {
		snprintf(why, whylen, "device '%s': device number %02x out of range (00-1f)", s, slot);
		return -EINVAL;
	}
	if (fn > 7) {
		snprintf(why, whylen, "device '%s': function %x out of range (0-7)", s, fn);
		return -EINVAL;
	}
	*id = FM_ID(dom, bus, slot << 3 | fn);
	return 0;
bad:
	snprintf(why, whylen, "invalid device '%s': expected DDDD:BB:DD.F (a domain of 4 to 8 "
		 "digits) or BB:DD.F (hex)", s);
	return -EINVAL;
}

int parse_quirk(const char *s, uint32_t *q, char *why, size_t whylen)
{
	unsigned int v = 0, d = 0, k;
	const char *p = s, *bad;

	for (k = 0; k < 4 && *p && *p != ':'; k++, p++) {
		if (!isxdigit((unsigned char)*p))
			goto bad;
		v = v << 4 | (unsigned int)(isdigit((unsigned char)*p) ? *p - '0' :
					    (tolower((unsigned char)*p) - 'a' + 10));
	}
	if (!k || *p++ != ':')
		goto bad;
	for (k = 0; k < 4 && *p; k++, p++) {
		if (!isxdigit((unsigned char)*p))
			goto bad;
		d = d << 4 | (unsigned int)(isdigit((unsigned char)*p) ? *p - '0' :
					    (tolower((unsigned char)*p) - 'a' + 10));
	}
	if (!k || *p)
		goto bad;
	*q = P2PF_QUIRK_ID(v, d);
	bad = p2pf_quirk_bad(*q);
	if (bad) {
		snprintf(why, whylen, "vendor:device '%04x:%04x': %s", v, d, bad);
		return -EINVAL;
	}
	return 0;
bad:
	snprintf(why, whylen, "invalid vendor:device '%.40s': expected VID:DID (hex, "
		 "like 8086:a110)", s);
	return -EINVAL;
}

/* @s for a message: at most 40 bytes, anything unprintable as '?' */
static const char *shown(const char *s, char *buf, size_t len)
{
	size_t i;

	for (i = 0; s[i] && i + 1 < len && i < 40; i++)
		buf[i] = s[i] >= 0x20 && s[i] < 0x7f ? s[i] : '?';
	buf[i] = '\0';
	if (s[i] && len > 44)
		strcpy(buf + i, "...");
	return buf;
}

/* a name's fault in @why (the message of parse_tenant()); 0 when it is a name */
static int name_check(const char *s, char *why, size_t whylen)
{
	char b[48];
	size_t i;

	if (!p2pf_name_alnum(s[0]) && s[0] >= 0x20 && s[0] < 0x7f) {
		snprintf(why, whylen, "invalid tenant name '%s': it must start with a letter or "
			 "a digit, not '%c'", shown(s, b, sizeof(b)), s[0]);
		return -EINVAL;
	}
	if (!p2pf_name_alnum(s[0])) {
		snprintf(why, whylen, "invalid tenant name '%s': it must start with a letter or "
			 "a digit, not byte 0x%02x", shown(s, b, sizeof(b)), (unsigned char)s[0]);
		return -EINVAL;
	}
	for (i = 0; s[i]; i++) {
		if (p2pf_name_char(s[i]))
			continue;
		if (s[i] >= 0x20 && s[i] < 0x7f)
			snprintf(why, whylen, "invalid tenant name '%s': character '%c' at position %zu "
				 "(a name is A-Z a-z 0-9 and . _ : @ + / -)",
				 shown(s, b, sizeof(b)), s[i], i + 1);
		else
			snprintf(why, whylen, "invalid tenant name '%s': byte 0x%02x at position %zu "
				 "(a name is A-Z a-z 0-9 and . _ : @ + / -)",
				 shown(s, b, sizeof(b)), (unsigned char)s[i], i + 1);
		return -EINVAL;
	}
	if (i > P2PFENCE_TENANT_NAME_MAX) {
		snprintf(why, whylen, "tenant name '%s' is %zu bytes long: at most %d",
			 shown(s, b, sizeof(b)), i, P2PFENCE_TENANT_NAME_MAX);
		return -EINVAL;
	}
	if (p2pf_name_is_dev(s)) {
		snprintf(why, whylen, "'%s' is a PCI address, not a tenant (the tenant comes last)",
			 shown(s, b, sizeof(b)));
		return -EINVAL;
	}
	return 0;
}

static bool all_digits(const char *s)
{
	for (; *s; s++)
		if (*s < '0' || *s > '9')
			return false;
	return true;
}

bool tenant_name_ok(const char *s)
{
	char why[160];

	return s && *s && !all_digits(s) && !name_check(s, why, sizeof(why));
}

bool tenant_ref_eq(const struct pf_tenant_ref *a, const struct pf_tenant_ref *b)
{
	return a->id == b->id && !strcmp(a->name, b->name);
}

int parse_tenant(const char *s, enum tenant_use use, struct pf_tenant_ref *t, char *why,
		 size_t whylen)
{
	unsigned long long v = 0, max = use == TENANT_OWNER ? P2PFENCE_TENANT_NAMED_MIN - 1 :
						UINT32_MAX;
	char b[48];
	const char *p;
	int ret;

	if (!s || !*s) {
		snprintf(why, whylen, "empty tenant: expected an id (1-%llu) or a name", max);
		return -EINVAL;
	}
	if (!all_digits(s)) {
		ret = name_check(s, why, whylen);
		if (ret)
			return ret;
		t->id = 0;
		strcpy(t->name, s);
		return 0;
	}
	for (p = s; *p; p++) {
		v = v * 10 + (unsigned long long)(*p - '0');
		if (v > UINT32_MAX)
			break;
	}
	if (v > UINT32_MAX) {
		snprintf(why, whylen, "tenant '%s' out of range (1-%llu)", shown(s, b, sizeof(b)),
			 max);
		return -ERANGE;
	}
	if (v == 0) {
		snprintf(why, whylen, "tenant 0 is the host: tenant ids start at 1");
		return -EINVAL;
	}
	if (v > max) {
		snprintf(why, whylen, "tenant ids from %llu are given by the module to named "
			 "tenants: name the tenant instead",
			 (unsigned long long)P2PFENCE_TENANT_NAMED_MIN);
		return -ERANGE;
	}
	t->id = (uint32_t)v;
	t->name[0] = '\0';
	return 0;
}

const char *fmt_tenant(uint32_t id, const char *name, char *buf)
{
	if (name && *name)
		return name;
	snprintf(buf, TENANT_STRLEN, "%u", id);
	return buf;
}

char *fmt_dev(uint64_t id, char *buf)
{
	snprintf(buf, DEV_STRLEN, "%04x:%02x:%02x.%x", FM_ID_DOMAIN(id),
		 FM_ID_BUS(id), FM_ID_SLOT(id), FM_ID_FUNC(id));
	return buf;
}

static char err_ctx[64];

void err_context(const char *ctx)
{
	snprintf(err_ctx, sizeof(err_ctx), "%s", ctx ? ctx : "");
}

void err_vmsg(const char *prefix, const char *fmt, va_list ap)
{
	fflush(stdout);
	fprintf(stderr, PROG ": %s%s", err_ctx, prefix);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
}

void err_msg(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	err_vmsg("", fmt, ap);
	va_end(ap);
}

void warn_msg(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	err_vmsg("warning: ", fmt, ap);
	va_end(ap);
}

void note_msg(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	err_vmsg("note: ", fmt, ap);
	va_end(ap);
}

const char *enum_name(const char *const *names, size_t n, unsigned int v, const char *prefix,
		      char *buf)
{
	if (v < n && names[v])
		return names[v];
	snprintf(buf, 24, "%s-%u", prefix, v);
	return buf;
}

int exit_for_errno(int err)
{
	if (err == -EXDEV || err == -EBUSY)
		return EXIT_REFUSED;
	return err ? EXIT_USAGE : EXIT_OK;
}

long read_file(const char *path, void *buf, size_t len)
{
	size_t got = 0;
	ssize_t r;
	long ret;
	int fd;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	while (got < len) {
		r = read(fd, (char *)buf + got, len - got);
		if (r < 0) {
			if (errno == EINTR)
				continue;
			ret = -errno;
			goto out;
		}
		if (r == 0)
			break;
		got += (size_t)r;
	}
	ret = (long)got;
out:
	close(fd);
	return ret;
}

int read_all(const char *path, size_t max, char **buf, size_t *len)
{
	size_t n = 0, cap = 0, r;
	char *b = NULL, *nb;
	FILE *f;
	int ret = 0;

	*buf = NULL;
	*len = 0;
	f = strcmp(path, "-") ? fopen(path, "re") : stdin;
	if (!f) {
		ret = -errno;
		err_msg("%s: %s", path, strerror(errno));
		return ret;
	}
	errno = 0;
	for (;;) {
		if (n + 1 >= cap) {
			cap = cap ? cap * 2 : 65536;
			if (cap > max + 2)
				cap = max + 2;
			nb = realloc(b, cap);
			if (!nb) {
				err_msg("out of memory");
				ret = -ENOMEM;
				goto out;
			}
			b = nb;
		}
		r = fread(b + n, 1, cap - 1 - n, f);
		n += r;
		if (n > max) {
			err_msg("%s: larger than %zu bytes", path, max);
			ret = -EFBIG;
			goto out;
		}
		if (r == 0)
			break;
	}
	if (ferror(f)) {
		ret = errno ? -errno : -EIO;
		err_msg("%s: %s", path, strerror(-ret));
		goto out;
	}
	b[n] = '\0';
	*buf = b;
	*len = n;
	b = NULL;
out:
	free(b);
	if (f != stdin)
		fclose(f);
	return ret;
}

int pathf(char *buf, size_t len, const char *fmt, ...)
{
	va_list ap;
	int r;

	va_start(ap, fmt);
	r = vsnprintf(buf, len, fmt, ap);
	va_end(ap);
	if (r < 0 || (size_t)r >= len) {
		if (len)
			buf[0] = '\0';
		return -ENAMETOOLONG;
	}
	return 0;
}

static bool blank(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

int split_line(char *line, int *argc, char ***argv, char *why, size_t whylen)
{
	char **v = NULL, **nv, *r = line, *w;
	size_t n = 0, cap = 0;
	bool more;

	for (;;) {
		while (blank(*r))
			r++;
		if (!*r || *r == '#')
			break;
		if (n + 2 > cap) {
			cap = cap ? cap * 2 : 8;
			nv = cap < (size_t)INT32_MAX ? realloc(v, cap * sizeof(*v)) : NULL;
			if (!nv) {
				free(v);
				return -ENOMEM;
			}
			v = nv;
		}
		v[n++] = w = r;
		while (*r && !blank(*r)) {
			if (*r != '"') {
				*w++ = *r++;
				continue;
			}
			for (r++; *r && *r != '"'; ) {
				if (*r == '\\' && (r[1] == '"' || r[1] == '\\'))
					r++;
				*w++ = *r++;
			}
			if (!*r) {
				snprintf(why, whylen, "unterminated \" in word %zu", n);
				free(v);
				return -EINVAL;
			}
			r++;
		}
		/* w <= r: read what ends the word before writing its NUL */
		more = *r != '\0';
		*w = '\0';
		if (more)
			r++;
	}
	if (!v) {
		v = malloc(sizeof(*v));
		if (!v)
			return -ENOMEM;
	}
	v[n] = NULL;
	*argc = (int)n;
	*argv = v;
	return 0;
}
