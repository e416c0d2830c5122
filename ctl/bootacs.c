// SPDX-License-Identifier: GPL-2.0
/*
 * bootacs.c - the boot-time ACS policy (see bootacs.h).
 *
 * The kernel side, ported from Linux 6.12 (6.1 has disable_acs_redir= only,
 * matched by the same loop):
 *
 *   lib/cmdline.c      next_arg()            words, quotes
 *   kernel/params.c    parse_args()          ... up to "--"
 *   drivers/pci/pci.c  pci_setup()           pci=a,b,c; the last value of an option wins
 *                      __pci_config_acs()    the list, the flags, first match wins
 *                      pci_dev_str_match()   one <pci_dev>: a path or pci:IDs
 *                      pci_dev_str_match_path()
 *   lib/vsprintf.c     vsscanf()             the subset those formats use
 *
 * The ports keep the kernel's control flow, so a string the kernel reads
 * oddly (a "0x" prefix, a 3-digit bus, an empty entry that ends the list)
 * is read the same odd way here. Device-specific ACS quirks (Intel SPT PCH
 * root ports handle disable_acs_redir= their own way) are not modelled: on
 * those ports the registers p2pfence reads are not the standard ones anyway.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "bootacs.h"
#include "fence_model.h"
#include "sysfs.h"
#include "util.h"
#include "verdict.h"

static const char *const opt_names[BOOTACS_NOPT] = {
	[BOOTACS_DISABLE_ACS_REDIR] = "disable_acs_redir",
	[BOOTACS_CONFIG_ACS] = "config_acs",
};

/* include/uapi/linux/pci.h PCI_DEVFN(): the kernel keeps the low bits */
#define K_DEVFN(slot, func)	((((slot) & 0x1f) << 3) | ((func) & 0x07))

/* lib/ctype.c: blanks are 9-13, 32 and 160 (no-break space); hex digits ASCII */
static bool k_isspace(unsigned char c)
{
	return (c >= 9 && c <= 13) || c == ' ' || c == 0xa0;
}

static bool k_isxdigit(unsigned char c)
{
	return (c >= '0' && c <= '9') || ((c | 0x20) >= 'a' && (c | 0x20) <= 'f');
}

static const char *k_skip_spaces(const char *s)
{
	while (k_isspace((unsigned char)*s))
		s++;
	return s;
}

/*
 * simple_strntoull(s, &next, 16, INT_MAX): an optional "0x" (taken even
 * with no digit after it), then hex digits, wrapping past 64 bits.
 */
static unsigned long long k_strtoull16(const char *s, const char **next)
{
	unsigned long long v = 0;
	unsigned int c, d;

	if (s[0] == '0' && (s[1] | 0x20) == 'x')
		s += 2;
	for (;; s++) {
		c = (unsigned char)*s;
		if (c >= '0' && c <= '9')
			d = c - '0';
		else if ((c | 0x20) >= 'a' && (c | 0x20) <= 'f')
			d = (c | 0x20) - 'a' + 10;
		else
			break;
		v = v * 16 + d;
	}
	*next = s;
	return v;
}

/*
 * vsscanf() for the formats below: literal characters, %x (unsigned int),
 * %hx (unsigned short, the value truncated), %c and %n, no widths. Returns
 * the conversions made, stopping as the kernel stops: at a literal that
 * does not match, at the end of the input before a conversion other than
 * %n, at a number that does not start with a hex digit (after blanks).
 */
static int k_sscanf(const char *buf, const char *fmt, ...)
{
	const char *str = buf, *next;
	unsigned long long v;
	int num = 0;
	bool half;
	va_list ap;

	va_start(ap, fmt);
	while (*fmt) {
		if (*fmt != '%') {
			if (*fmt++ != *str++)
				break;
			continue;
		}
		fmt++;
		half = *fmt == 'h';
		fmt += half;
		if (*fmt == 'n') {
			*va_arg(ap, int *) = (int)(str - buf);
			fmt++;
			continue;
		}
		if (!*str)
			break;
		if (*fmt == 'c') {
			*va_arg(ap, char *) = *str++;
			fmt++;
			num++;
			continue;
		}
		fmt++;	/* 'x' */
		str = k_skip_spaces(str);
		if (!k_isxdigit((unsigned char)*str))
			break;
		v = k_strtoull16(str, &next);
		if (half)
			*va_arg(ap, unsigned short *) = (unsigned short)v;
		else
			*va_arg(ap, unsigned int *) = (unsigned int)v;
		num++;
		str = next;
	}
	va_end(ap);
	return num;
}

/* pci_dev_str_match_path(): [<domain>:]<bus>:<dev>.<fn>[/<dev>.<fn>]* up to a ';' */
static int str_match_path(const struct bootacs_fn *f, const char *path, const char **endptr)
{
	unsigned int seg, bus, slot, func, k = 0;
	char *wpath, *p, end;
	uint64_t id;
	int ret;

	*endptr = path + strcspn(path, ";");
	wpath = strndup(path, (size_t)(*endptr - path));
	if (!wpath)
		return -ENOMEM;
	for (;;) {
		p = strrchr(wpath, '/');
		if (!p)
			break;
		ret = k_sscanf(p, "/%x.%x%c", &slot, &func, &end);
		if (ret != 2) {
			ret = -EINVAL;
			goto out;
		}
		if (FM_ID_DEVFN(f->chain[k]) != K_DEVFN(slot, func)) {
			ret = 0;
			goto out;
		}
		/* pci_upstream_bridge(): none above a function on a root bus */
		if (++k >= f->depth) {
			ret = 0;
			goto out;
		}
		*p = '\0';
	}
	ret = k_sscanf(wpath, "%x:%x:%x.%x%c", &seg, &bus, &slot, &func, &end);
	if (ret != 4) {
		seg = 0;
		ret = k_sscanf(wpath, "%x:%x.%x%c", &bus, &slot, &func, &end);
		if (ret != 3) {
			ret = -EINVAL;
			goto out;
		}
	}
	id = f->chain[k];
	ret = seg == FM_ID_DOMAIN(id) && bus == FM_ID_BUS(id) &&
	      FM_ID_DEVFN(id) == K_DEVFN(slot, func);
out:
	free(wpath);
	return ret;
}

int bootacs_str_match(const struct bootacs_fn *f, const char *p, const char **endptr)
{
	unsigned short vendor, device, subvendor, subdevice;
	int ret, count = 0;

	if (!strncmp(p, "pci:", 4)) {
		p += 4;
		ret = k_sscanf(p, "%hx:%hx:%hx:%hx%n", &vendor, &device, &subvendor, &subdevice,
			       &count);
		if (ret != 4) {
			ret = k_sscanf(p, "%hx:%hx%n", &vendor, &device, &count);
			if (ret != 2)
				return -EINVAL;
			subvendor = 0;
			subdevice = 0;
		}
		p += count;
		/* 0 matches anything */
		ret = (!vendor || vendor == f->vendor) && (!device || device == f->device) &&
		      (!subvendor || subvendor == f->subvendor) &&
		      (!subdevice || subdevice == f->subdevice);
	} else {
		ret = str_match_path(f, p, &p);
		if (ret < 0)
			return ret;
	}
	*endptr = p;
	return ret;
}

int bootacs_flags(const char *s, size_t len, uint16_t *mask, uint16_t *flags)
{
	unsigned int shift = 0;
	size_t i;

	*mask = 0;
	*flags = 0;
	/* from the rightmost character, bit 0; the kernel's `1 << shift` into a
	 * u16 drops bits from 16 on (x86 takes the shift modulo 32) */
	for (i = len; i-- > 0; shift++) {
		uint16_t bit = (uint16_t)(1u << (shift & 31));

		if (s[i] == '0') {
			*mask |= bit;
		} else if (s[i] == '1') {
			*mask |= bit;
			*flags |= bit;
		} else if (s[i] != 'x' && s[i] != 'X') {
			return -EINVAL;
		}
	}
	return *mask & ~BOOTACS_CONFIG_BITS ? -ERANGE : 0;
}

/* @s into @out, cut to end in "..." when it does not fit */
static void clip(char *out, size_t outlen, const char *s)
{
	size_t len = strlen(s);

	if (len < outlen) {
		memcpy(out, s, len + 1);
		return;
	}
	memcpy(out, s, outlen - 4);
	memcpy(out + outlen - 4, "...", 4);
}

/*
 * __pci_config_acs() on the list @p: 1 when an entry names @f (the loop
 * stops at the first), with the hit filled; 0 when none does, or the
 * kernel gives up on the list first; -ENOMEM.
 */
static int config_acs(const struct bootacs_fn *f, const char *p, enum bootacs_opt opt,
		      struct bootacs_hit *h)
{
	const char *delimit, *start = p;
	uint16_t mask = BOOTACS_REDIR_BITS, flags = 0;
	bool config = opt == BOOTACS_CONFIG_ACS;
	char *note;
	size_t len;
	int ret = 0;

	while (*p) {
		start = p;
		if (config) {
			delimit = strchr(p, '@');
			/* "ACS Flags missing", "Invalid ACS flags": the kernel returns */
			if (!delimit || bootacs_flags(p, (size_t)(delimit - p), &mask, &flags))
				return 0;
			p = delimit + 1;
		}
		ret = bootacs_str_match(f, p, &p);
		/* "Can't parse ACS command line parameter"; or a match */
		if (ret < 0 || ret == 1)
			break;
		/* the end of the list, or text the kernel does not read */
		if (*p != ';' && *p != ',')
			break;
		p++;
	}
	if (ret == -ENOMEM)
		return ret;
	if (ret != 1)
		return 0;
	h->opt = (uint8_t)opt;
	h->off = mask & ~flags;
	h->on = mask & flags;
	/* the option and the entry that matched, as written */
	len = strlen(opt_names[opt]) + (size_t)(p - start) + 2;
	note = malloc(len);
	if (!note)
		return -ENOMEM;
	snprintf(note, len, "%s=%.*s", opt_names[opt], (int)(p - start), start);
	clip(h->note, sizeof(h->note), note);
	free(note);
	return 1;
}

int bootacs_match(const struct bootacs *b, const struct bootacs_fn *f, struct bootacs_hit *h)
{
	int ret;

	/* pci_enable_acs(): nothing where the function has no ACS capability */
	if (!f->acs || !f->depth)
		return 0;
	/* config_acs= is applied second, from the firmware's value: it wins */
	if (b->val[BOOTACS_CONFIG_ACS]) {
		ret = config_acs(f, b->val[BOOTACS_CONFIG_ACS], BOOTACS_CONFIG_ACS, h);
		if (ret)
			return ret;
	}
	if (b->val[BOOTACS_DISABLE_ACS_REDIR])
		return config_acs(f, b->val[BOOTACS_DISABLE_ACS_REDIR], BOOTACS_DISABLE_ACS_REDIR,
				  h);
	return 0;
}

uint16_t bootacs_relaxed(const struct bootacs_hit *h, bool port)
{
	return (h->off & (port ? FM_NEED_PORT : FM_NEED_FUNC)) | (h->on & FM_MUST_CLEAR);
}

bool bootacs_any(const struct bootacs *b)
{
	return (b->val[BOOTACS_DISABLE_ACS_REDIR] && *b->val[BOOTACS_DISABLE_ACS_REDIR]) ||
	       (b->val[BOOTACS_CONFIG_ACS] && *b->val[BOOTACS_CONFIG_ACS]);
}

enum bootacs_kernel bootacs_kernel_of(const char *release)
{
	unsigned int major, minor;

	if (!release || sscanf(release, "%u.%u", &major, &minor) != 2)
		return BOOTACS_KERNEL_UNKNOWN;
	return major > 6 || (major == 6 && minor >= 11) ? BOOTACS_KERNEL_NEW : BOOTACS_KERNEL_OLD;
}

/*
 * The reports: what the kernel would stumble over in a value, entry by
 * entry, whatever the device. Said on stderr; none is an error.
 */

/* one <pci_dev> at @p: a reason in @why when the kernel cannot parse it
 * (-EINVAL) or reads it otherwise than it looks (1); *@end after it */
static int spec_lint(const char *p, const char **end, char *why, size_t whylen)
{
	unsigned int seg, bus, slot, func, w[4], n = 0;
	unsigned short h[4];
	char *wpath, *c, e;
	int ret = 0, count = 0, i, r;

	if (!strncmp(p, "pci:", 4)) {
		r = k_sscanf(p + 4, "%hx:%hx:%hx:%hx%n", &h[0], &h[1], &h[2], &h[3], &count);
		if (r != 4)
			r = k_sscanf(p + 4, "%hx:%hx%n", &h[0], &h[1], &count);
		if (r < 2) {
			*end = p;
			snprintf(why, whylen, "not pci:VENDOR:DEVICE[:SUBVENDOR:SUBDEVICE] (hex)");
			return -EINVAL;
		}
		*end = p + 4 + count;
		k_sscanf(p + 4, r == 4 ? "%x:%x:%x:%x" : "%x:%x", &w[0], &w[1], &w[2], &w[3]);
		for (i = 0; i < r; i++) {
			if (w[i] != h[i]) {
				snprintf(why, whylen, "ID %x is wider than 16 bits: the kernel reads %04x",
					 w[i], h[i]);
				return 1;
			}
		}
		return 0;
	}
	*end = p + strcspn(p, ";");
	if (*end == p) {
		snprintf(why, whylen, "empty");
		return -EINVAL;
	}
	wpath = strndup(p, (size_t)(*end - p));
	if (!wpath)
		return -ENOMEM;
	while ((c = strrchr(wpath, '/'))) {
		if (k_sscanf(c, "/%x.%x%c", &slot, &func, &e) != 2) {
			snprintf(why, whylen, "'%s' is not /DEV.FN (hex) in a path", c);
			ret = -EINVAL;
			goto out;
		}
		if (slot > 0x1f || func > 7)
			n++;
		*c = '\0';
	}
	if (k_sscanf(wpath, "%x:%x:%x.%x%c", &seg, &bus, &slot, &func, &e) != 4) {
		seg = 0;
		if (k_sscanf(wpath, "%x:%x.%x%c", &bus, &slot, &func, &e) != 3) {
			snprintf(why, whylen, "'%s' is neither [DOMAIN:]BUS:DEV.FN[/DEV.FN]... nor "
				 "pci:VENDOR:DEVICE[:SUBVENDOR:SUBDEVICE] (hex)", wpath);
			ret = -EINVAL;
			goto out;
		}
	}
	if (slot > 0x1f || func > 7)
		n++;
	if (n) {
		snprintf(why, whylen, "a device number past 1f or a function past 7: the kernel "
			 "keeps its low bits (5 and 3), naming another function");
		ret = 1;
	} else if (bus > 0xff) {
		snprintf(why, whylen, "bus %x is past ff: it names no function", bus);
		ret = 1;
	}
out:
	free(wpath);
	return ret;
}

static void lint(const struct bootacs *b, enum bootacs_opt opt)
{
	const char *p = b->val[opt], *start, *delimit, *end;
	const char *name = opt_names[opt];
	char why[160];
	uint16_t mask, flags;
	unsigned int k = 0;
	int ret;

	while (*p) {
		start = p;
		k++;
		if (opt == BOOTACS_CONFIG_ACS) {
			delimit = strchr(p, '@');
			if (!delimit) {
				warn_msg("%s: pci=%s= entry %u '%s': no '@' after the flags (\"ACS Flags "
					 "missing\"): the kernel drops the rest of the list", b->src,
					 name, k, start);
				return;
			}
			ret = bootacs_flags(p, (size_t)(delimit - p), &mask, &flags);
			if (ret) {
				warn_msg("%s: pci=%s= entry %u '%.*s': %s: the kernel drops the rest "
					 "of the list", b->src, name, k, (int)strcspn(start, ";"), start,
					 ret == -EINVAL ? "flags are 0, 1 or x (\"Invalid ACS flags\")" :
					 "a flag past the 7th, DT (\"Invalid ACS flags specified\")");
				return;
			}
			if (delimit - p > 16)
				warn_msg("%s: pci=%s= entry %u: %d flags: past 16 the kernel's shift "
					 "overflows its 16-bit mask (undefined in C)", b->src, name, k,
					 (int)(delimit - p));
			p = delimit + 1;
		}
		ret = spec_lint(p, &end, why, sizeof(why));
		if (ret == -ENOMEM) {
			err_msg("out of memory");
			return;
		}
		if (ret < 0) {
			warn_msg("%s: pci=%s= entry %u '%.*s': %s: the kernel cannot parse it, and "
				 "stops at it for every function it gets that far with", b->src, name,
				 k, (int)strcspn(start, ";"), start, why);
			return;
		}
		if (ret > 0)
			warn_msg("%s: pci=%s= entry %u '%.*s': %s", b->src, name, k,
				 (int)(end - start), start, why);
		if (*end != ';' && *end != ',') {
			if (*end)
				warn_msg("%s: pci=%s= entry %u: '%s' after '%.*s' is not read: the "
					 "kernel stops at it, unless the entry names the function",
					 b->src, name, k, end, (int)(end - start), start);
			return;
		}
		p = end + 1;
	}
}

/* lib/cmdline.c next_arg(): one word, its quotes dropped, "param" and "val" */
static char *next_arg(char *args, char **param, char **val)
{
	unsigned int i, equals = 0;
	int in_quote = 0, quoted = 0;

	if (*args == '"') {
		args++;
		in_quote = 1;
		quoted = 1;
	}
	for (i = 0; args[i]; i++) {
		if (k_isspace((unsigned char)args[i]) && !in_quote)
			break;
		if (equals == 0 && args[i] == '=')
			equals = i;
		if (args[i] == '"')
			in_quote = !in_quote;
	}
	*param = args;
	if (!equals) {
		*val = NULL;
	} else {
		args[equals] = '\0';
		*val = args + equals + 1;
		/* no quotes in the value */
		if (**val == '"') {
			(*val)++;
			if (args[i - 1] == '"')
				args[i - 1] = '\0';
		}
	}
	if (quoted && i > 0 && args[i - 1] == '"')
		args[i - 1] = '\0';
	if (args[i]) {
		args[i] = '\0';
		args += i + 1;
	} else {
		args += i;
	}
	return (char *)k_skip_spaces(args);
}

int bootacs_parse(const char *src, const char *cmdline, size_t len, enum bootacs_kernel kernel,
		  struct bootacs *b)
{
	unsigned int seen[BOOTACS_NOPT] = { 0 };
	char *args, *param, *val, *str, *k;
	int opt;

	memset(b, 0, sizeof(*b));
	b->kernel = kernel;
	b->src = strdup(src);
	b->line = strndup(cmdline, len);
	if (!b->src || !b->line) {
		bootacs_free(b);
		err_msg("out of memory");
		return -ENOMEM;
	}
	/* parse_args() of the early parameters: up to "--"; pci is "pci" */
	for (args = (char *)k_skip_spaces(b->line); *args;) {
		args = next_arg(args, &param, &val);
		if (!val && !strcmp(param, "--"))
			break;
		if (strcmp(param, "pci") || !val)
			continue;
		/* pci_setup(): options split at ','; the last value of each kept */
		for (str = val; str; str = k) {
			k = strchr(str, ',');
			if (k)
				*k++ = '\0';
			for (opt = 0; opt < BOOTACS_NOPT; opt++) {
				size_t n = strlen(opt_names[opt]);

				if (!strncmp(str, opt_names[opt], n) && str[n] == '=') {
					b->val[opt] = str + n + 1;
					seen[opt]++;
				}
			}
		}
	}
	for (opt = 0; opt < BOOTACS_NOPT; opt++) {
		if (seen[opt] > 1)
			warn_msg("%s: pci=%s= given %u times: the kernel keeps the last ('%s')", b->src,
				 opt_names[opt], seen[opt], b->val[opt]);
	}
	if (b->val[BOOTACS_CONFIG_ACS] && kernel == BOOTACS_KERNEL_OLD) {
		warn_msg("%s: pci=config_acs= is ignored by this kernel (before 6.11: \"PCI: Unknown "
			 "option\")", b->src);
		b->val[BOOTACS_CONFIG_ACS] = NULL;
	} else if (b->val[BOOTACS_CONFIG_ACS] && kernel == BOOTACS_KERNEL_UNKNOWN &&
		   *b->val[BOOTACS_CONFIG_ACS]) {
		warn_msg("%s: the kernel's version is unknown: pci=config_acs= is taken as in effect "
			 "(Linux 6.11 and later)", b->src);
	}
	for (opt = 0; opt < BOOTACS_NOPT; opt++)
		if (b->val[opt])
			lint(b, opt);
	return 0;
}

int bootacs_read(const char *path, enum bootacs_kernel kernel, struct bootacs *b)
{
	size_t len;
	char *buf;
	int ret;

	ret = read_all(path, 1 << 20, &buf, &len);
	if (ret) {
		memset(b, 0, sizeof(*b));
		return ret;
	}
	ret = bootacs_parse(path, buf, len, kernel, b);
	free(buf);
	return ret;
}

void bootacs_free(struct bootacs *b)
{
	free(b->src);
	free(b->line);
	memset(b, 0, sizeof(*b));
}

char *bootacs_spec(const struct bootacs_fn *f, char *buf, size_t len)
{
	char d[DEV_STRLEN];
	size_t n;
	int k;

	if (!f->depth) {
		snprintf(buf, len, "%s", "");
		return buf;
	}
	snprintf(buf, len, "%s", fmt_dev(f->chain[f->depth - 1], d));
	for (k = (int)f->depth - 2; k >= 0; k--) {
		n = strlen(buf);
		snprintf(buf + n, len - n, "/%02x.%x", FM_ID_SLOT(f->chain[k]),
			 FM_ID_FUNC(f->chain[k]));
	}
	return buf;
}

char *bootacs_flags_str(uint16_t set, uint16_t clear, char *buf, size_t len)
{
	int i;

	if (len < BOOTACS_NFLAGS + 1)
		return NULL;
	for (i = 0; i < BOOTACS_NFLAGS; i++) {
		uint16_t bit = (uint16_t)(1u << (BOOTACS_NFLAGS - 1 - i));

		buf[i] = set & bit ? '1' : clear & bit ? '0' : 'x';
	}
	buf[BOOTACS_NFLAGS] = '\0';
	return buf;
}

int bootacs_fn_topo(const struct topo *t, uint32_t idx, struct bootacs_fn *f)
{
	const struct pcicfg *c = &t->d[idx].cfg;
	s32 i;

	memset(f, 0, sizeof(*f));
	for (i = (s32)idx; i >= 0; i = t->nodes[i].parent) {
		if (f->depth == BOOTACS_MAX_DEPTH)
			return -E2BIG;
		f->chain[f->depth++] = t->nodes[i].id;
	}
	f->vendor = c->vendor;
	f->device = c->device;
	f->subvendor = c->subvendor;
	f->subdevice = c->subdevice;
	f->acs = t->nodes[idx].flags & FM_NODE_ACS;
	return 0;
}

/*
 * The command's functions: each read once, its hit kept while the command
 * runs (the notes printed point into these).
 */
struct bootctx_fn {
	uint64_t id;
	int err;		/* it could not be read: no note */
	bool hit, port;
	uint16_t ctrl;		/* its ACS control register as read */
	struct bootacs_fn fn;
	struct bootacs_hit h;
};

static int fn_sysfs(const char *root, uint64_t id, struct bootctx_fn *x)
{
	char rel[4096], path[4096], why[256];
	struct pcicfg cfg;
	int ret;

	ret = sysfs_chain(root, id, x->fn.chain, BOOTACS_MAX_DEPTH, &x->fn.depth, rel, sizeof(rel));
	if (!ret)
		ret = pathf(path, sizeof(path), "%s/%s/config", root, rel);
	if (!ret)
		ret = sysfs_config(path, &cfg, why, sizeof(why));
	if (ret)
		return ret;
	x->fn.vendor = cfg.vendor;
	x->fn.device = cfg.device;
	x->fn.subvendor = cfg.subvendor;
	x->fn.subdevice = cfg.subdevice;
	x->fn.acs = cfg.acs;
	x->ctrl = cfg.acs ? cfg.acs_ctrl : 0;
	x->port = fm_is_fabric(fm_type_of(&cfg, x->fn.depth == 1));
	return 0;
}

static int fn_topo(const struct topo *t, uint64_t id, struct bootctx_fn *x)
{
	uint32_t i;

	for (i = 0; i < t->n && t->nodes[i].id != id; i++)
		;
	if (i == t->n)
		return -ENOENT;
	x->ctrl = t->nodes[i].acs_ctrl;
	x->port = fm_is_fabric(t->nodes[i].type);
	return bootacs_fn_topo(t, i, &x->fn);
}

/* function @id as the command sees it; NULL when out of memory */
static struct bootctx_fn *ctx_fn(struct bootctx *c, uint64_t id)
{
	struct bootctx_fn *x, **nf;
	unsigned int i;
	int ret;

	for (i = 0; i < c->n; i++)
		if (c->fns[i]->id == id)
			return c->fns[i];
	if (c->n == c->cap) {
		nf = realloc(c->fns, (c->cap ? c->cap * 2 : 16) * sizeof(*nf));
		if (!nf)
			return NULL;
		c->fns = nf;
		c->cap = c->cap ? c->cap * 2 : 16;
	}
	x = calloc(1, sizeof(*x));
	if (!x)
		return NULL;
	x->id = id;
	x->err = c->topo ? fn_topo(c->topo, id, x) : fn_sysfs(c->root, id, x);
	if (!x->err) {
		ret = bootacs_match(&c->pol, &x->fn, &x->h);
		if (ret < 0) {
			free(x);
			return NULL;
		}
		x->hit = ret;
	}
	c->fns[c->n++] = x;
	return x;
}

int bootacs_proc_of(const char *root, const char *name, char *path, size_t len)
{
	struct stat a, s;

	if (!root)
		return -ENOENT;
	if (!pathf(path, len, "%s/proc/%s", root, name) && !access(path, F_OK))
		return 0;
	if (!stat(root, &a) && !stat("/sys", &s) && a.st_dev == s.st_dev && a.st_ino == s.st_ino)
		return pathf(path, len, "/proc/%s", name);
	return -ENOENT;
}

/* the kernel the machine of @root runs (or ran, for a snapshot that kept it) */
static enum bootacs_kernel kernel_at(const char *root)
{
	char path[4096], rel[128];
	long len = -ENOENT;

	if (!bootacs_proc_of(root, "sys/kernel/osrelease", path, sizeof(path)))
		len = read_file(path, rel, sizeof(rel) - 1);
	if (len <= 0)
		return BOOTACS_KERNEL_UNKNOWN;
	rel[len] = '\0';
	return bootacs_kernel_of(rel);
}

static int ctx_open(struct bootctx *c, const char *cmdline, enum bootacs_kernel kernel)
{
	int ret = 0;

	if (cmdline)
		ret = bootacs_read(cmdline, kernel, &c->pol);
	c->active = !ret && bootacs_any(&c->pol);
	return ret;
}

int bootctx_live(struct bootctx *c)
{
	int ret;

	memset(c, 0, sizeof(*c));
	c->root = "/sys";
	ret = ctx_open(c, "/proc/cmdline", kernel_at("/sys"));
	/* unreadable: said, and the fence goes on without the notes */
	return ret == -ENOMEM ? ret : 0;
}

int bootctx_check(struct bootctx *c, const char *cmdline, const char *root,
		  const struct topo *t)
{
	char path[4096];

	memset(c, 0, sizeof(*c));
	c->topo = t;
	c->root = root;
	if (!cmdline && !bootacs_proc_of(root, "cmdline", path, sizeof(path)))
		cmdline = path;
	return ctx_open(c, cmdline, kernel_at(root));
}

void bootctx_forget(struct bootctx *c)
{
	unsigned int i;

	for (i = 0; i < c->n; i++)
		free(c->fns[i]);
	free(c->fns);
	c->fns = NULL;
	c->n = c->cap = 0;
}

void bootctx_free(struct bootctx *c)
{
	bootctx_forget(c);
	bootacs_free(&c->pol);
	memset(c, 0, sizeof(*c));
}

const char *bootctx_note(struct bootctx *c, uint64_t at)
{
	struct bootctx_fn *x;

	if (!c->active)
		return NULL;
	x = ctx_fn(c, at);
	return x && x->hit && bootacs_relaxed(&x->h, x->port) ? x->h.note : NULL;
}

void bootctx_verdicts(struct bootctx *c, struct pf_verdict *v, unsigned int n)
{
	unsigned int i;

	for (i = 0; i < n; i++)
		if (v[i].kind == FM_ACS_DISABLED)
			v[i].boot_policy = bootctx_note(c, v[i].at);
}

int bootctx_overrides(struct bootctx *c, uint64_t dev, struct boot_override **out)
{
	struct bootctx_fn *d, *x;
	struct boot_override *o;
	uint16_t need, bits;
	int k, n = 0;

	*out = NULL;
	if (!c->active)
		return 0;
	d = ctx_fn(c, dev);
	if (!d)
		return -ENOMEM;
	if (d->err)
		return 0;
	/* from the root bus down */
	for (k = (int)d->fn.depth - 1; k >= 0; k--) {
		x = ctx_fn(c, d->fn.chain[k]);
		if (!x)
			goto nomem;
		if (!x->hit)
			continue;
		need = x->port ? FM_NEED_PORT : FM_NEED_FUNC;
		bits = (x->ctrl & x->h.off & need) | (~x->ctrl & x->h.on & FM_MUST_CLEAR);
		if (!bits)
			continue;
		o = realloc(*out, (size_t)(n + 1) * sizeof(*o));
		if (!o)
			goto nomem;
		*out = o;
		o[n++] = (struct boot_override){ .at = x->id, .bits = bits, .note = x->h.note };
	}
	return n;
nomem:
	free(*out);
	*out = NULL;
	return -ENOMEM;
}
