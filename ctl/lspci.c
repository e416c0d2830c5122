// SPDX-License-Identifier: GPL-2.0
/*
 * lspci.c - read what a support engineer gets from a customer, the output
 * of `lspci -xxxx` (and the IOMMU groups), into the model topo_read()
 * builds from sysfs, so `check` runs the one engine on it.
 *
 * The dump: a header line per function, "[DDDD:]BB:DD.F text", then
 * optional indented -v text, then its config space as lines of 16 bytes,
 * "OFF: xx xx ... xx", 64, 128 (CardBus), 256 or 4096 bytes of it; a blank
 * line ends the function. Every line that is none of these is an error
 * naming FILE:LINE, and any error means nothing is judged.
 *
 * The hierarchy is the one Linux builds: a function sits below the bridge
 * whose secondary bus is its bus; a bus no bridge leads to is a root bus.
 * A bus inside a bridge's bus range that no bridge in the dump leads to
 * means the dump is incomplete (lspci -s): an error, not a root bus.
 *
 * IOMMU groups come from a separate listing; without one every device is
 * taken as without an IOMMU group, as the sysfs reader takes a missing
 * iommu_group link. What the dump cannot show is said on stderr.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/pci_regs.h>
#include "fence_model.h"
#include "lspci.h"
#include "util.h"

/* bad lines shown before the rest are only counted */
#define MAX_SHOWN	20

/* per function: what only this reader needs */
struct fext {
	unsigned int len;	/* config bytes dumped */
	uint8_t sec, sub;	/* a bridge's secondary and subordinate bus */
	bool bridge;		/* a type 1 or 2 header */
};

struct rd {
	const char *name;	/* the file being read, for messages */
	struct topo *t;
	struct fext *x;		/* [t->n] */
	size_t cap;
	unsigned int nbad;
	/* the function being read */
	bool open;		/* its header was read, it is not closed yet */
	bool broken;		/* a bad line: the rest of it is not looked at */
	uint64_t id;
	unsigned int line;	/* its header line */
	unsigned int len;	/* bytes read so far */
	uint8_t buf[CFG_SPACE_EXP];
};

static void bad(struct rd *r, unsigned int line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static void bad(struct rd *r, unsigned int line, const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	if (++r->nbad > MAX_SHOWN)
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	err_msg("%s:%u: %s", r->name, line, msg);
}

/* "nothing checked": the summary after bad lines; -EINVAL, or 0 when none */
static int bad_summary(struct rd *r)
{
	if (!r->nbad)
		return 0;
	if (r->nbad > MAX_SHOWN)
		err_msg("%s: %u more bad lines not shown", r->name, r->nbad - MAX_SHOWN);
	err_msg("%s: %u bad line%s: nothing checked", r->name, r->nbad,
		r->nbad == 1 ? "" : "s");
	return -EINVAL;
}

static bool is_blank(char c)
{
	return c == ' ' || c == '\t';
}


/*
 * A PCI address as sysfs and lspci write it, the whole of @s (@n chars):
 * DDDD:BB:DD.F (a domain of 4 to 8 hex digits: VMD's from 10000) or
 * BB:DD.F. 0 done, -EINVAL (the reason in @why).
 */
static int parse_addr(const char *s, size_t n, uint64_t *id, char *why, size_t wl)
{
	char tmp[24];

	if (n >= sizeof(tmp)) {
		snprintf(why, wl, "invalid device '%.20s...': expected DDDD:BB:DD.F or BB:DD.F (hex)",
			 s);
		return -EINVAL;
	}
	memcpy(tmp, s, n);
	tmp[n] = '\0';
	return parse_dev(tmp, id, why, wl);
}

static int grow(struct rd *r)
{
	struct sdev *nd;
	struct fext *nx;
	size_t ncap;

	if (r->t->n < r->cap)
		return 0;
	ncap = r->cap ? r->cap * 2 : 64;
	nd = realloc(r->t->d, ncap * sizeof(*nd));
	if (!nd)
		return -ENOMEM;
	r->t->d = nd;
	nx = realloc(r->x, ncap * sizeof(*nx));
	if (!nx)
		return -ENOMEM;
	r->x = nx;
	r->cap = ncap;
	return 0;
}

/* the function being read is complete: check its length, parse and keep it */
static int close_fn(struct rd *r)
{
	char why[256], d[DEV_STRLEN];
	struct sdev *sd;
	struct fext *x;
	int ret;

	if (!r->open)
		return 0;
	r->open = false;
	if (r->broken)
		return 0;
	fmt_dev(r->id, d);
	if (!r->len) {
		bad(r, r->line, "%s: no hex dump of its config space (run lspci -xxxx)", d);
		return 0;
	}
	if (r->len != CFG_HDR && r->len != 2 * CFG_HDR && r->len != CFG_SPACE &&
	    r->len != CFG_SPACE_EXP) {
		bad(r, r->line, "%s: %u bytes of config space: lspci dumps 64, 128, 256 or 4096 (is the dump cut short?)",
		    d, r->len);
		return 0;
	}
	if (r->t->n >= FM_MAX_NODES) {
		bad(r, r->line, "more than %u functions", FM_MAX_NODES);
		return 0;
	}
	ret = grow(r);
	if (ret)
		return ret;
	sd = &r->t->d[r->t->n];
	x = &r->x[r->t->n];
	memset(sd, 0, sizeof(*sd));
	memset(x, 0, sizeof(*x));
	if (r->len >= CFG_SPACE)
		ret = pcicfg_parse(r->buf, r->len, &sd->cfg, why, sizeof(why));
	else
		ret = pcicfg_parse_hdr(r->buf, r->len, &sd->cfg, why, sizeof(why));
	if (ret) {
		bad(r, r->line, "%s: %s", d, why);
		return 0;
	}
	sd->id = r->id;
	sd->line = r->line;
	sd->group = -1;
	sd->domain = FM_DOM_UNKNOWN;
	x->len = r->len;
	x->bridge = sd->cfg.hdr_type == PCI_HEADER_TYPE_BRIDGE ||
		    sd->cfg.hdr_type == PCI_HEADER_TYPE_CARDBUS;
	/* the same offsets in both: PCI_SECONDARY_BUS == PCI_CB_CARD_BUS */
	x->sec = r->buf[PCI_SECONDARY_BUS];
	x->sub = r->buf[PCI_SUBORDINATE_BUS];
	r->t->n++;
	return 0;
}

/* "OFF: xx xx ... xx" (@s, @n chars, OFF before @colon) */
static void hex_line(struct rd *r, const char *s, size_t n, size_t colon, unsigned int line)
{
	unsigned int off = 0, nb = 0;
	size_t i, k;
	int h, l;

	if (!r->open) {
		bad(r, line, "a hex dump line outside a function (no DDDD:BB:DD.F line before it)");
		return;
	}
	if (r->broken)
		return;
	for (i = 0; i < colon; i++)
		off = off << 4 | (unsigned int)hexval(s[i]);
	if (off != r->len) {
		bad(r, line, "offset %x where %x was expected (a line missing, repeated or out of order)",
		    off, r->len);
		r->broken = true;
		return;
	}
	if (off >= CFG_SPACE_EXP) {
		bad(r, line, "offset %x: beyond the 4096 bytes of config space", off);
		r->broken = true;
		return;
	}
	for (i = colon + 1; i < n;) {
		while (i < n && is_blank(s[i]))
			i++;
		if (i == n)
			break;
		for (k = i; k < n && !is_blank(s[k]); k++)
			;
		h = k - i == 2 ? hexval(s[i]) : -1;
		l = k - i == 2 ? hexval(s[i + 1]) : -1;
		if (h < 0 || l < 0) {
			bad(r, line, "bad hex byte '%.*s' (expected two hex digits)",
			    (int)(k - i > 16 ? 16 : k - i), s + i);
			r->broken = true;
			return;
		}
		if (nb == 16) {
			bad(r, line, "long line: more than 16 bytes");
			r->broken = true;
			return;
		}
		r->buf[off + nb++] = (uint8_t)(h << 4 | l);
		i = k;
	}
	if (nb != 16) {
		bad(r, line, "short line: %u byte%s, 16 expected", nb, nb == 1 ? "" : "s");
		r->broken = true;
		return;
	}
	r->len += 16;
}

/* "[DDDD:]BB:DD.F text": a function begins */
static int header_line(struct rd *r, const char *s, size_t tok, unsigned int line)
{
	char why[160];
	int ret;

	ret = close_fn(r);
	if (ret)
		return ret;
	ret = parse_addr(s, tok, &r->id, why, sizeof(why));
	if (ret < 0) {
		bad(r, line, "%s", why);
		/* its lines belong to no function we keep, and say nothing more */
		r->open = true;
		r->broken = true;
		return 0;
	}
	r->open = true;
	r->broken = false;
	r->line = line;
	r->len = 0;
	return 0;
}

static int dump_line(struct rd *r, const char *s, size_t n, unsigned int line)
{
	size_t i, tok;

	if (memchr(s, '\0', n)) {
		bad(r, line, "a NUL byte: not a text file");
		/* the function around it is lost: say nothing more of it */
		r->open = true;
		r->broken = true;
		return 0;
	}
	while (n && (s[n - 1] == '\r' || is_blank(s[n - 1])))
		n--;
	if (!n)
		return close_fn(r);
	if (is_blank(s[0])) {
		/* -v text: before the hex dump of a function, never in it */
		if (!r->open)
			bad(r, line, "an indented line outside a function");
		else if (r->len && !r->broken)
			bad(r, line, "text inside the hex dump");
		return 0;
	}
	for (tok = 0; tok < n && !is_blank(s[tok]); tok++)
		;
	/* OFF: two or three hex digits (lspci's %02x), a colon, then blanks or the end */
	for (i = 0; i < tok && hexval(s[i]) >= 0; i++)
		;
	if ((i == 2 || i == 3) && i + 1 == tok && s[i] == ':') {
		hex_line(r, s, n, i, line);
		return 0;
	}
	if (memchr(s, ':', tok) && memchr(s, '.', tok))
		return header_line(r, s, tok, line);
	bad(r, line, "not a line of lspci -xxxx output: '%.*s'", (int)(n > 40 ? 40 : n), s);
	return 0;
}

static struct rd *sort_rd;

/* indexes into t->d by id, then line */
static int idx_cmp(const void *a, const void *b)
{
	const struct sdev *x = &sort_rd->t->d[*(const uint32_t *)a];
	const struct sdev *y = &sort_rd->t->d[*(const uint32_t *)b];

	if (x->id != y->id)
		return x->id < y->id ? -1 : 1;
	return x->line < y->line ? -1 : x->line > y->line;
}

/* @order: t->d's indexes sorted by id (then line); duplicates are errors */
static void dups(struct rd *r, const uint32_t *order)
{
	const struct sdev *d = r->t->d;
	char a[DEV_STRLEN];
	uint32_t i, first = 0;

	for (i = 1; i < r->t->n; i++) {
		if (d[order[i]].id != d[order[first]].id) {
			first = i;
			continue;
		}
		bad(r, d[order[i]].line, "%s dumped twice (first on line %u)",
		    fmt_dev(d[order[i]].id, a), d[order[first]].line);
	}
}

/* a bridge that leads somewhere: key (domain << 8 | secondary bus) */
struct bkey {
	uint32_t key;
	uint32_t idx;		/* into t->d */
	/* the bridge (index into the bkey array) with the highest subordinate
	 * bus among those of its domain up to here
	 */
	uint32_t pmax;
};

static int bkey_cmp(const void *a, const void *b)
{
	const struct bkey *x = a, *y = b;

	if (x->key != y->key)
		return x->key < y->key ? -1 : 1;
	return x->idx < y->idx ? -1 : x->idx > y->idx;
}

/* the last bridge whose key is <= @key, or -1 */
static int64_t bkey_floor(const struct bkey *b, uint32_t nb, uint32_t key)
{
	uint32_t lo = 0, hi = nb, m;

	while (lo < hi) {
		m = lo + (hi - lo) / 2;
		if (b[m].key <= key)
			lo = m + 1;
		else
			hi = m;
	}
	return (int64_t)lo - 1;
}

/*
 * Parents and depths from the bridges' bus numbers. @order: t->d's indexes
 * by id, so a parent (on a lower bus of the same domain) comes first.
 */
static int link_functions(struct rd *r, const uint32_t *order)
{
	struct sdev *d = r->t->d;
	char a[DEV_STRLEN], b[DEV_STRLEN];
	uint32_t n = r->t->n, nb = 0, i, k, dom, bus;
	struct bkey *bk;
	int64_t f;
	int ret = 0;

	bk = malloc((n ? n : 1) * sizeof(*bk));
	if (!bk) {
		ret = -ENOMEM;
		goto out;
	}
	for (i = 0; i < n; i++) {
		if (!r->x[i].bridge)
			continue;
		bus = FM_ID_BUS(d[i].id);
		if (r->x[i].sec <= bus || r->x[i].sub < r->x[i].sec) {
			warn_msg("%s:%u: %s: a bridge whose bus numbers are not set up (secondary %02x, subordinate %02x): nothing taken as below it",
				 r->name, d[i].line, fmt_dev(d[i].id, a), r->x[i].sec, r->x[i].sub);
			continue;
		}
		bk[nb].key = FM_ID_DOMAIN(d[i].id) << 8 | r->x[i].sec;
		bk[nb].idx = i;
		nb++;
	}
	qsort(bk, nb, sizeof(*bk), bkey_cmp);
	for (k = 0; k < nb; k++) {
		if (k && bk[k].key == bk[k - 1].key) {
			bad(r, d[bk[k].idx].line, "%s and %s (line %u) both lead to bus %02x",
			    fmt_dev(d[bk[k].idx].id, a), fmt_dev(d[bk[k - 1].idx].id, b),
			    d[bk[k - 1].idx].line, bk[k].key & 0xff);
		}
		bk[k].pmax = k;
		if (k && bk[k].key >> 8 == bk[k - 1].key >> 8 &&
		    r->x[bk[bk[k - 1].pmax].idx].sub >= r->x[bk[k].idx].sub)
			bk[k].pmax = bk[k - 1].pmax;
	}
	if (r->nbad)
		goto out;
	for (k = 0; k < n; k++) {
		i = order[k];
		dom = FM_ID_DOMAIN(d[i].id);
		bus = FM_ID_BUS(d[i].id);
		d[i].depth = 1;
		f = bkey_floor(bk, nb, dom << 8 | bus);
		if (f >= 0 && bk[f].key == (dom << 8 | bus)) {
			d[i].has_parent = 1;
			d[i].parent_id = d[bk[f].idx].id;
			d[i].depth = d[bk[f].idx].depth + 1;
			continue;
		}
		/* no bridge leads here: a root bus, unless a bridge's range holds it */
		if (f >= 0 && bk[f].key >> 8 == dom &&
		    r->x[bk[bk[f].pmax].idx].sub >= bus) {
			const struct sdev *p = &d[bk[bk[f].pmax].idx];
			const struct fext *px = &r->x[bk[bk[f].pmax].idx];

			bad(r, d[i].line, "%s is on bus %02x, inside the buses %02x-%02x of %s (line %u), but no bridge in the dump leads to it: the dump is incomplete (lspci -s?)",
			    fmt_dev(d[i].id, a), bus, px->sec, px->sub, fmt_dev(p->id, b), p->line);
		}
	}
out:
	free(bk);
	return ret;
}

/* what the dump could not show of each function: a note each, and sdev.unseen */
static void cfg_notes(struct rd *r)
{
	struct sdev *d = r->t->d;
	char a[DEV_STRLEN], w[512];
	struct pcicfg c;
	bool full = false;
	uint32_t i;

	for (i = 0; i < r->t->n; i++)
		full |= r->x[i].len == CFG_SPACE_EXP;
	for (i = 0; i < r->t->n; i++) {
		fmt_dev(d[i].id, a);
		if (r->x[i].len < CFG_SPACE) {
			d[i].unseen = true;
			warn_msg("%s:%u: %s: only %u bytes of config space dumped (lspci -x, or lspci -xxx not as root); its capabilities cannot be seen (PCI Express port type, ACS, ATS): run lspci -xxxx as root (taken as absent)",
				 r->name, d[i].line, a, r->x[i].len);
		} else if (d[i].cfg.pcie && !d[i].cfg.ext && !full) {
			d[i].unseen = true;
			warn_msg("%s:%u: %s: only 256 bytes of config space dumped (lspci -xxx); ACS cannot be seen: run lspci -xxxx as root (ACS and ATS taken as absent)",
				 r->name, d[i].line, a);
		} else if (d[i].cfg.pcie && !d[i].cfg.ext) {
			/* -xxxx, and still 256 bytes: all the kernel could read too,
			 * taken as the sysfs reader takes it
			 */
			warn_msg("%s:%u: %s: only 256 bytes of config space dumped (its extended config space was not readable); ACS cannot be seen (ACS and ATS taken as absent)",
				 r->name, d[i].line, a);
		}
		/* the rest of what the config parser stepped around, as the sysfs reader says it */
		c = d[i].cfg;
		c.warn &= ~CFG_W_NO_EXT;
		pcicfg_warn_str(&c, w, sizeof(w));
		if (w[0])
			warn_msg("%s:%u: %s: %s", r->name, d[i].line, a, w);
	}
}

/*
 * The IOMMU group listing. Each line one of:
 *   /sys/kernel/iommu_groups/N/devices/DDDD:BB:DD.F    find ... -type l
 *   /sys/kernel/iommu_groups/N/type:TYPE               grep -H . .../type
 *   ... /sys/bus/pci/devices/DDDD:BB:DD.F/iommu_group -> ../../kernel/iommu_groups/N
 *   ... DDDD:BB:DD.F -> ...  after "/sys/kernel/iommu_groups/N/devices:" (ls -l of a group)
 *   N DDDD:BB:DD.F
 * and blank lines, "#" comments, ls's "total N".
 */
struct gent {
	uint64_t id;
	int32_t group;
	unsigned int line;
};

struct gtype {
	int32_t group;
	uint8_t dom;		/* enum fm_domain */
	unsigned int line;
};

struct gp {
	struct rd *r;		/* name and error count: the groups file's */
	struct gent *e;
	size_t ne, cape;
	struct gtype *ty;
	size_t nt, capt;
	int32_t cur;		/* the group of an "ls -l" listing, -1 none */
};

/* a group number: decimal, the whole of @s (@n chars) */
static int parse_group(const char *s, size_t n, int32_t *g)
{
	uint64_t v = 0;
	size_t i;

	if (!n || n > 10)
		return -EINVAL;
	for (i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -EINVAL;
		v = v * 10 + (uint64_t)(s[i] - '0');
	}
	if (v > INT32_MAX)
		return -EINVAL;
	*g = (int32_t)v;
	return 0;
}

static int add_dev(struct gp *g, int32_t group, const char *s, size_t n, unsigned int line)
{
	char why[160];
	struct gent *ne;
	uint64_t id;
	int ret;

	ret = parse_addr(s, n, &id, why, sizeof(why));
	if (ret < 0) {
		bad(g->r, line, "%s", why);
		return 0;
	}
	if (g->ne == g->cape) {
		g->cape = g->cape ? g->cape * 2 : 64;
		ne = realloc(g->e, g->cape * sizeof(*ne));
		if (!ne)
			return -ENOMEM;
		g->e = ne;
	}
	g->e[g->ne].id = id;
	g->e[g->ne].group = group;
	g->e[g->ne].line = line;
	g->ne++;
	return 0;
}

static int add_type(struct gp *g, int32_t group, const char *s, size_t n, unsigned int line)
{
	struct gtype *nt;
	char type[32];
	uint8_t dom;

	if (!n || n >= sizeof(type)) {
		bad(g->r, line, "IOMMU group %d: no domain type, or too long", group);
		return 0;
	}
	memcpy(type, s, n);
	type[n] = '\0';
	if (domain_from_type(type, &dom)) {
		bad(g->r, line, "unknown IOMMU domain type '%s'", type);
		return 0;
	}
	if (g->nt == g->capt) {
		g->capt = g->capt ? g->capt * 2 : 16;
		nt = realloc(g->ty, g->capt * sizeof(*nt));
		if (!nt)
			return -ENOMEM;
		g->ty = nt;
	}
	g->ty[g->nt].group = group;
	g->ty[g->nt].dom = dom;
	g->ty[g->nt].line = line;
	g->nt++;
	return 0;
}

static const char *find_mem(const char *s, size_t n, const char *pat)
{
	size_t m = strlen(pat), i;

	for (i = 0; i + m <= n; i++)
		if (!memcmp(s + i, pat, m))
			return s + i;
	return NULL;
}

/* "...iommu_groups/N/devices/BDF" or "...iommu_groups/N/type[: ]TYPE" in @s (@n chars) */
static int group_path(struct gp *g, const char *s, size_t n, unsigned int line, bool type_ok)
{
	const char *p = find_mem(s, n, "iommu_groups/"), *end = s + n, *q;
	int32_t group;

	p += strlen("iommu_groups/");
	for (q = p; q < end && *q != '/'; q++)
		;
	if (parse_group(p, (size_t)(q - p), &group)) {
		bad(g->r, line, "'%.*s': not an IOMMU group number",
		    (int)(q - p > 16 ? 16 : q - p), p);
		return 0;
	}
	if (end - q > 9 && !memcmp(q, "/devices/", 9))
		return add_dev(g, group, q + 9, (size_t)(end - q - 9), line);
	if (type_ok && end - q > 5 && !memcmp(q, "/type", 5) && (q[5] == ':' || is_blank(q[5]))) {
		for (q += 6; q < end && is_blank(*q); q++)
			;
		return add_type(g, group, q, (size_t)(end - q), line);
	}
	bad(g->r, line, "expected .../iommu_groups/N/devices/DDDD:BB:DD.F or .../iommu_groups/N/type:TYPE");
	return 0;
}

/* "NAME -> TARGET" of ls -l: @s (@n chars) is the line, @arrow where " -> " starts */
static int group_link(struct gp *g, const char *s, size_t n, const char *arrow, unsigned int line)
{
	const char *name = arrow, *tgt = arrow + 4, *end = s + n, *p;
	size_t nl;
	int32_t group;

	while (name > s && !is_blank(name[-1]))
		name--;
	nl = (size_t)(arrow - name);
	if (find_mem(name, nl, "iommu_groups/"))
		return group_path(g, name, nl, line, false);
	if (nl > 12 && !memcmp(arrow - 12, "/iommu_group", 12)) {
		/* .../DDDD:BB:DD.F/iommu_group -> ../../kernel/iommu_groups/N */
		p = find_mem(tgt, (size_t)(end - tgt), "iommu_groups/");
		if (!p || parse_group(p + 13, (size_t)(end - p - 13), &group)) {
			bad(g->r, line, "an iommu_group link whose target does not name an IOMMU group");
			return 0;
		}
		for (p = arrow - 12; p > name && p[-1] != '/'; p--)
			;
		return add_dev(g, group, p, (size_t)(arrow - 12 - p), line);
	}
	if (g->cur < 0) {
		bad(g->r, line, "a link outside a group's listing (no .../iommu_groups/N/devices: line before it)");
		return 0;
	}
	return add_dev(g, g->cur, name, nl, line);
}

static int groups_line(struct gp *g, const char *s, size_t n, unsigned int line)
{
	const char *p, *sp;
	int32_t group;

	if (memchr(s, '\0', n)) {
		bad(g->r, line, "a NUL byte: not a text file");
		return 0;
	}
	while (n && (s[n - 1] == '\r' || is_blank(s[n - 1])))
		n--;
	while (n && is_blank(*s)) {
		s++;
		n--;
	}
	if (!n || s[0] == '#')
		return 0;
	if (n > 6 && !memcmp(s, "total ", 6) && !parse_group(s + 6, n - 6, &group))
		return 0;
	p = find_mem(s, n, " -> ");
	if (p)
		return group_link(g, s, n, p, line);
	if (find_mem(s, n, "iommu_groups/")) {
		if (n > 9 && !memcmp(s + n - 9, "/devices:", 9)) {
			/* ls -l's heading for one group's devices */
			p = find_mem(s, n, "iommu_groups/") + 13;
			if (parse_group(p, (size_t)(s + n - 9 - p), &g->cur)) {
				g->cur = -1;
				bad(g->r, line, "a heading that names no IOMMU group");
			}
			return 0;
		}
		return group_path(g, s, n, line, true);
	}
	sp = memchr(s, ' ', n);
	if (!sp)
		sp = memchr(s, '\t', n);
	if (sp && !parse_group(s, (size_t)(sp - s), &group)) {
		for (p = sp; p < s + n && is_blank(*p); p++)
			;
		return add_dev(g, group, p, (size_t)(s + n - p), line);
	}
	bad(g->r, line, "not an IOMMU group line: '%.*s' (expected the output of find /sys/kernel/iommu_groups/ -type l)",
	    (int)(n > 40 ? 40 : n), s);
	return 0;
}

static int gent_cmp(const void *a, const void *b)
{
	const struct gent *x = a, *y = b;

	if (x->id != y->id)
		return x->id < y->id ? -1 : 1;
	return x->line < y->line ? -1 : x->line > y->line;
}

static int gtype_cmp(const void *a, const void *b)
{
	const struct gtype *x = a, *y = b;

	if (x->group != y->group)
		return x->group < y->group ? -1 : 1;
	return x->line < y->line ? -1 : x->line > y->line;
}

/* split @buf into lines for @fn */
static int each_line(const char *buf, size_t len, void *arg,
		     int (*fn)(void *arg, const char *s, size_t n, unsigned int line))
{
	unsigned int line = 0;
	size_t start = 0, end;
	int ret;

	while (start < len) {
		line++;
		for (end = start; end < len && buf[end] != '\n'; end++)
			;
		ret = fn(arg, buf + start, end - start, line);
		if (ret)
			return ret;
		start = end + 1;
	}
	return 0;
}

static int dump_line_cb(void *arg, const char *s, size_t n, unsigned int line)
{
	return dump_line(arg, s, n, line);
}

static int groups_line_cb(void *arg, const char *s, size_t n, unsigned int line)
{
	return groups_line(arg, s, n, line);
}

static int i32_cmp(const void *a, const void *b)
{
	int32_t x = *(const int32_t *)a, y = *(const int32_t *)b;

	return x < y ? -1 : x > y;
}

/* the note for groups without a domain type: @ug (@nu entries) their numbers */
static void untyped_note(const char *name, int32_t *ug, uint32_t nu, bool any_typed)
{
	char list[96];
	uint32_t i, nd = 0;
	size_t n = 0;
	int r;

	qsort(ug, nu, sizeof(*ug), i32_cmp);
	list[0] = '\0';
	for (i = 0; i < nu; i++) {
		if (i && ug[i] == ug[i - 1])
			continue;
		if (nd++ < 8) {
			r = snprintf(list + n, sizeof(list) - n, "%s%d", n ? " " : "", ug[i]);
			n += r > 0 && (size_t)r < sizeof(list) - n ? (size_t)r : 0;
		}
	}
	if (!any_typed)
		warn_msg("%s: no IOMMU domain types (lines .../iommu_groups/N/type:TYPE): identity (passthrough) domains cannot be seen, every group taken as translated; add the output of grep -H . /sys/kernel/iommu_groups/*/type",
			 name);
	else
		warn_msg("%s: no domain type for IOMMU group%s %s%s: identity (passthrough) domains cannot be seen there, taken as translated",
			 name, nd == 1 ? "" : "s", list, nd > 8 ? " ..." : "");
}

/*
 * Each function's group and domain from the listing. @order: t->d's
 * indexes by id. A device listed but not dumped means the dump is
 * incomplete: an error.
 */
static int apply_groups(struct rd *dr, struct gp *g, const uint32_t *order)
{
	struct sdev *d = dr->t->d;
	uint32_t n = dr->t->n, k, nu = 0;
	char a[DEV_STRLEN];
	size_t i, j, t;
	bool typed = false;
	int32_t *ug;

	if (g->ne)
		qsort(g->e, g->ne, sizeof(*g->e), gent_cmp);
	if (g->nt)
		qsort(g->ty, g->nt, sizeof(*g->ty), gtype_cmp);
	for (i = 1; i < g->ne; i++)
		if (g->e[i].id == g->e[i - 1].id)
			bad(g->r, g->e[i].line, "%s listed twice (first on line %u)",
			    fmt_dev(g->e[i].id, a), g->e[i - 1].line);
	for (i = 1; i < g->nt; i++)
		if (g->ty[i].group == g->ty[i - 1].group && g->ty[i].dom != g->ty[i - 1].dom)
			bad(g->r, g->ty[i].line, "IOMMU group %d: a second, different domain type (first on line %u)",
			    g->ty[i].group, g->ty[i - 1].line);
	/* both sorted by id: walk them together */
	for (i = 0, k = 0; i < g->ne; i++) {
		while (k < n && d[order[k]].id < g->e[i].id)
			k++;
		if (k == n || d[order[k]].id != g->e[i].id) {
			bad(g->r, g->e[i].line, "%s is in IOMMU group %d but not in %s: the dump is incomplete (lspci -s?), or of another machine",
			    fmt_dev(g->e[i].id, a), g->e[i].group, dr->name);
			continue;
		}
		d[order[k]].group = g->e[i].group;
	}
	if (g->r->nbad)
		return 0;
	ug = malloc((n ? n : 1) * sizeof(*ug));
	if (!ug)
		return -ENOMEM;
	for (k = 0; k < n; k++) {
		if (d[k].group < 0)
			continue;
		/* its type: a binary search over the sorted types */
		for (i = 0, j = g->nt; i < j;) {
			t = i + (j - i) / 2;
			if (g->ty[t].group < d[k].group)
				i = t + 1;
			else
				j = t;
		}
		if (i < g->nt && g->ty[i].group == d[k].group) {
			d[k].domain = g->ty[i].dom;
			typed = true;
		} else {
			ug[nu++] = d[k].group;
		}
	}
	if (!g->ne)
		warn_msg("%s: no device is in an IOMMU group: every device taken as without an IOMMU (no-iommu)",
			 g->r->name);
	else if (nu)
		untyped_note(g->r->name, ug, nu, typed);
	free(ug);
	return 0;
}

/* Intel VMD endpoints: Linux's vmd_ids (drivers/pci/controller/vmd.c, 6.12) */
static bool is_vmd_endpoint(const struct pcicfg *c)
{
	static const uint16_t ids[] = { 0x201d, 0x28c0, 0x467f, 0x4c3d, 0xa77f, 0x7d0b,
					0xad0b, 0x9a0b, 0xb60b, 0xb06f };
	size_t i;

	for (i = 0; c->vendor == 0x8086 && i < sizeof(ids) / sizeof(ids[0]); i++)
		if (c->device == ids[i])
			return true;
	return false;
}

/*
 * A dump does not say which VMD endpoint hosts which domain; Linux numbers
 * them in probe order, each the highest domain so far + 1 (from 10000;
 * vmd_find_free_domain()), and probes in address order. So the k-th VMD
 * endpoint by address hosts domain 10000 + k, and every function there
 * DMAs with that endpoint's requester id. A domain above ffff without its
 * endpoint in the dump stays a segment of its own, with a warning.
 */
static int lspci_vmd(struct topo *t, const char *dname)
{
	uint64_t vmd[16];
	uint32_t doms[16];
	unsigned int nvmd = 0, ndom = 0, i, j;
	char b[DEV_STRLEN];

	for (i = 0; i < t->n; i++) {
		if (!is_vmd_endpoint(&t->d[i].cfg) || nvmd == 16)
			continue;
		for (j = nvmd++; j > 0 && vmd[j - 1] > t->d[i].id; j--)
			vmd[j] = vmd[j - 1];
		vmd[j] = t->d[i].id;
	}
	/*
	 * The k-th VMD by address hosts domain 10000+k only when every VMD
	 * brought its domain up: an endpoint on vfio-pci (passed to a VM) or
	 * one whose domain failed shifts the numbering, and a wrong pairing
	 * could call a split isolated. Unequal counts: not guessed.
	 */
	for (i = 0; i < t->n; i++) {
		uint32_t dom = FM_ID_DOMAIN(t->d[i].id);

		if (dom <= 0xffff)
			continue;
		for (j = 0; j < ndom && doms[j] != dom; j++)
			;
		if (j == ndom && ndom < 16)
			doms[ndom++] = dom;
	}
	if (nvmd && ndom != nvmd) {
		err_msg("%s: %u VMD endpoint%s but %u PCI domain%s above ffff: which VMD hosts which domain cannot be told from a dump (an endpoint on vfio-pci, or a domain that did not come up?); check --sysfs on the host, or a snapshot, knows",
			dname, nvmd, nvmd == 1 ? "" : "s", ndom, ndom == 1 ? "" : "s");
		return -EINVAL;
	}
	for (i = 0; i < t->n; i++) {
		uint32_t dom = FM_ID_DOMAIN(t->d[i].id);

		if (dom <= 0xffff)
			continue;
		if (dom - 0x10000 < nvmd) {
			t->d[i].has_dma = true;
			t->d[i].dma_id = vmd[dom - 0x10000];
		} else {
			warn_msg("%s: %s: PCI domain %04x has no VMD endpoint in the dump: taken as a segment of its own",
				 dname, fmt_dev(t->d[i].id, b), dom);
		}
	}
	return 0;
}

int lspci_parse(const char *dname, const char *dbuf, size_t dlen,
		const char *gname, const char *gbuf, size_t glen, struct topo *t)
{
	struct rd *r = NULL, gr = { 0 };
	struct gp g = { 0 };
	uint32_t *order = NULL, i;
	int ret;

	memset(t, 0, sizeof(*t));
	r = calloc(1, sizeof(*r));
	t->dump = strdup(dname);
	if (!r || !t->dump) {
		ret = -ENOMEM;
		goto out;
	}
	r->name = dname;
	r->t = t;
	ret = each_line(dbuf, dlen, r, dump_line_cb);
	if (!ret)
		ret = close_fn(r);
	if (ret)
		goto out;
	order = malloc((t->n ? t->n : 1) * sizeof(*order));
	if (!order) {
		ret = -ENOMEM;
		goto out;
	}
	for (i = 0; i < t->n; i++)
		order[i] = i;
	sort_rd = r;
	qsort(order, t->n, sizeof(*order), idx_cmp);
	dups(r, order);
	ret = bad_summary(r);
	if (ret)
		goto out;
	if (!t->n) {
		err_msg("%s: no PCI functions (expected the output of lspci -xxxx)", dname);
		ret = -ENODEV;
		goto out;
	}
	ret = link_functions(r, order);
	if (!ret)
		ret = bad_summary(r);
	if (ret)
		goto out;
	if (gbuf) {
		gr.name = gname;
		g.r = &gr;
		g.cur = -1;
		ret = each_line(gbuf, glen, &g, groups_line_cb);
		if (!ret && !gr.nbad)
			ret = apply_groups(r, &g, order);
		if (!ret)
			ret = bad_summary(&gr);
		if (ret)
			goto out;
	} else {
		warn_msg("%s: no IOMMU groups given (check --groups FILE, the output of find /sys/kernel/iommu_groups/ -type l): every device taken as without an IOMMU (no-iommu)",
			 dname);
	}
	cfg_notes(r);
	ret = lspci_vmd(t, dname);
	if (ret)
		goto out;
	ret = topo_build(t);
out:
	if (ret == -ENOMEM)
		err_msg("out of memory");
	free(order);
	free(g.e);
	free(g.ty);
	if (r)
		free(r->x);
	free(r);
	if (ret)
		topo_free(t);
	return ret;
}

int lspci_read(const char *dump, const char *groups, struct topo *t)
{
	char *dbuf = NULL, *gbuf = NULL;
	size_t dlen = 0, glen = 0;
	int ret;

	memset(t, 0, sizeof(*t));
	ret = read_all(dump, LSPCI_MAX_BYTES, &dbuf, &dlen);
	if (!ret && groups)
		ret = read_all(groups, LSPCI_MAX_BYTES, &gbuf, &glen);
	if (!ret)
		ret = lspci_parse(dump, dbuf, dlen, groups, gbuf, glen, t);
	free(dbuf);
	free(gbuf);
	return ret;
}
