// SPDX-License-Identifier: GPL-2.0
/*
 * sysfs.c - read a tree laid out like /sys into the engine's topology model.
 *
 * Reads only: bus/pci/devices/<BDF> links (whose targets under devices/
 * give the hierarchy), each function's `config`, `reset_method` (optional)
 * and `iommu_group` link, and kernel/iommu_groups/<N>/type. Links are resolved lexically inside ROOT so
 * a snapshot copied elsewhere reads the same as the live tree.
 *
 * topo_build(), the engine's nodes from the functions read, is the lspci
 * reader's (lspci.c) too: the two differ only in where the bytes come from.
 */
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "sysfs.h"
#include "util.h"

int path_resolve(const char *dir, const char *link, char *out, size_t len)
{
	char tmp[PATH_MAX * 2];
	char *comp[PATH_MAX / 2];
	size_t ncomp = 0, i, n = 0;
	char *save = NULL, *tok;
	int r;

	if (link[0] == '/')
		return -EINVAL;
	r = snprintf(tmp, sizeof(tmp), "%s/%s", dir, link);
	if (r < 0 || (size_t)r >= sizeof(tmp))
		return -ENAMETOOLONG;
	for (tok = strtok_r(tmp, "/", &save); tok; tok = strtok_r(NULL, "/", &save)) {
		if (!strcmp(tok, "."))
			continue;
		if (!strcmp(tok, "..")) {
			if (!ncomp)
				return -EINVAL;
			ncomp--;
			continue;
		}
		if (ncomp == sizeof(comp) / sizeof(comp[0]))
			return -ENAMETOOLONG;
		comp[ncomp++] = tok;
	}
	if (!ncomp)
		return -EINVAL;
	out[0] = '\0';
	for (i = 0; i < ncomp; i++) {
		r = snprintf(out + n, len - n, "%s%s", i ? "/" : "", comp[i]);
		if (r < 0 || (size_t)r >= len - n)
			return -ENAMETOOLONG;
		n += (size_t)r;
	}
	return 0;
}

int domain_from_type(const char *s, uint8_t *dom)
{
	if (!strcmp(s, "identity")) {
		*dom = FM_DOM_IDENTITY;
		return 0;
	}
	/* translated: the kernel's DMA API domains, a blocking domain, or a
	 * VFIO/iommufd-owned (unmanaged) one */
	if (!strcmp(s, "DMA") || !strcmp(s, "DMA-FQ") || !strcmp(s, "blocked") ||
	    !strcmp(s, "unmanaged")) {
		*dom = FM_DOM_DMA;
		return 0;
	}
	return -EINVAL;
}

uint8_t fm_type_of(const struct pcicfg *c, int on_root_bus)
{
	/* the engine's classifier: the module calls the same one */
	return fm_classify(c->class, c->hdr_type, c->pcie, c->pcie_type, on_root_bus);
}

void topo_free(struct topo *t)
{
	uint32_t i;

	for (i = 0; t->d && i < t->n; i++) {
		free(t->d[i].rel);
		free(t->d[i].reset_methods);
	}
	free(t->d);
	free(t->nodes);
	free(t->root);
	free(t->dump);
	memset(t, 0, sizeof(*t));
}

static int sdev_cmp(const void *a, const void *b)
{
	const struct sdev *x = a, *y = b;

	if (x->depth != y->depth)
		return x->depth < y->depth ? -1 : 1;
	return x->id < y->id ? -1 : x->id > y->id;
}

static int is_bdf(const char *s, uint64_t *id)
{
	char why[128];

	return strlen(s) >= 12 && !parse_dev(s, id, why, sizeof(why));
}

/* the link's target gives the function's place in the hierarchy */
static int read_link(const char *root, const char *name, struct sdev *d)
{
	char path[PATH_MAX], tgt[PATH_MAX], rel[PATH_MAX], buf[PATH_MAX];
	char *comp, *save = NULL, *last = NULL, *prev = NULL;
	uint64_t id, pid, fn_id = 0;
	bool fn_seen = false;
	struct stat st;
	ssize_t r;
	int ret;

	pathf(path, sizeof(path), "%s/bus/pci/devices/%s", root, name);
	r = readlink(path, tgt, sizeof(tgt) - 1);
	if (r < 0) {
		ret = -errno;
		err_msg("%s: %s", path, errno == EINVAL ?
			"not a symlink (expected a link into devices/)" : strerror(errno));
		return ret;
	}
	tgt[r] = '\0';
	ret = path_resolve("bus/pci/devices", tgt, rel, sizeof(rel));
	if (ret) {
		err_msg("%s: link target '%s' is absolute or leaves the tree", path, tgt);
		return ret;
	}
	if (strncmp(rel, "devices/", 8)) {
		err_msg("%s: link target '%s' is not under devices/", path, tgt);
		return -EINVAL;
	}
	pathf(buf, sizeof(buf), "%s/%s", root, rel);
	if (stat(buf, &st) < 0) {
		ret = -errno;
		err_msg("%s: dangling link to %s: %s", path, rel, strerror(errno));
		return ret;
	}
	if (!S_ISDIR(st.st_mode)) {
		err_msg("%s: link target %s is not a directory", path, rel);
		return -ENOTDIR;
	}
	d->rel = strdup(rel);
	if (!d->rel)
		return -ENOMEM;
	/* walk the components: count PCI functions, remember the one above */
	pathf(buf, sizeof(buf), "%s", rel);
	for (comp = strtok_r(buf, "/", &save); comp; comp = strtok_r(NULL, "/", &save)) {
		prev = last;
		last = comp;
		if (is_bdf(comp, &id)) {
			d->depth++;
			fn_id = id;
			fn_seen = true;
		} else if (!strncmp(comp, "pci", 3) && fn_seen) {
			/*
			 * A root bus inside a PCI function's directory: a VMD
			 * domain (the kernel's is_vmd()). Everything on it DMAs
			 * with that function's requester id.
			 */
			d->has_dma = true;
			d->dma_id = fn_id;
		}
	}
	if (!last || strcmp(last, name)) {
		err_msg("%s: link target %s does not end in %s", path, rel, name);
		return -EINVAL;
	}
	if (prev && is_bdf(prev, &pid)) {
		d->has_parent = 1;
		d->parent_id = pid;
	}
	return 0;
}

int sysfs_config(const char *path, struct pcicfg *c, char *why, size_t whylen)
{
	uint8_t *buf;
	long len;
	int ret;

	buf = calloc(1, CFG_SPACE_EXP);
	if (!buf)
		return -ENOMEM;
	len = read_file(path, buf, CFG_SPACE_EXP);
	if (len < 0) {
		ret = (int)len;
		snprintf(why, whylen, "%s", strerror((int)-len));
	} else {
		ret = pcicfg_parse(buf, (size_t)len, c, why, whylen);
	}
	free(buf);
	return ret;
}

static int read_config(const char *root, struct sdev *d)
{
	char path[PATH_MAX], why[256], w[512];
	int ret;

	pathf(path, sizeof(path), "%s/%s/config", root, d->rel);
	ret = sysfs_config(path, &d->cfg, why, sizeof(why));
	if (ret == -ENOMEM)
		return ret;
	if (ret) {
		err_msg("%s: %s", path, why);
		return ret;
	}
	pcicfg_warn_str(&d->cfg, w, sizeof(w));
	if (w[0])
		warn_msg("%s: %s", path, w);
	return 0;
}

int sysfs_chain(const char *root, uint64_t id, uint64_t *chain, unsigned int max,
		unsigned int *depth, char *rel, size_t rlen)
{
	char path[PATH_MAX], tgt[PATH_MAX], buf[PATH_MAX], d[DEV_STRLEN];
	char *comp[PATH_MAX / 2], *save = NULL, *tok;
	size_t n = 0;
	uint64_t cid;
	ssize_t r;
	int ret;

	ret = pathf(path, sizeof(path), "%s/bus/pci/devices/%s", root, fmt_dev(id, d));
	if (ret)
		return ret;
	r = readlink(path, tgt, sizeof(tgt) - 1);
	if (r < 0)
		return -errno;
	tgt[r] = '\0';
	ret = path_resolve("bus/pci/devices", tgt, rel, rlen);
	if (ret)
		return ret;
	if (strncmp(rel, "devices/", 8))
		return -EINVAL;
	snprintf(buf, sizeof(buf), "%s", rel);
	for (tok = strtok_r(buf, "/", &save); tok && n < sizeof(comp) / sizeof(comp[0]);
	     tok = strtok_r(NULL, "/", &save))
		comp[n++] = tok;
	/* the function, then each directory above it that is a function too */
	for (*depth = 0; n && is_bdf(comp[n - 1], &cid); n--) {
		if (*depth == max)
			return -E2BIG;
		chain[(*depth)++] = cid;
	}
	return *depth && chain[0] == id ? 0 : -EINVAL;
}

static int read_group(const char *root, struct sdev *d)
{
	char path[PATH_MAX], tgt[PATH_MAX], type[64];
	const char *base;
	char *end;
	unsigned long g;
	ssize_t r;
	long len;
	int ret;

	d->group = -1;
	d->domain = FM_DOM_UNKNOWN;
	pathf(path, sizeof(path), "%s/%s/iommu_group", root, d->rel);
	r = readlink(path, tgt, sizeof(tgt) - 1);
	if (r < 0) {
		if (errno == ENOENT)
			return 0;	/* no IOMMU: a verdict, not an error */
		ret = -errno;
		err_msg("%s: %s", path, strerror(errno));
		return ret;
	}
	tgt[r] = '\0';
	base = strrchr(tgt, '/');
	base = base ? base + 1 : tgt;
	errno = 0;
	g = strtoul(base, &end, 10);
	if (!*base || *end || errno || g > INT32_MAX || base[0] == '-' || base[0] == '+') {
		err_msg("%s: link target '%s' does not name an IOMMU group", path, tgt);
		return -EINVAL;
	}
	d->group = (int32_t)g;
	pathf(path, sizeof(path), "%s/kernel/iommu_groups/%lu/type", root, g);
	len = read_file(path, type, sizeof(type) - 1);
	if (len < 0) {
		err_msg("%s: %s", path, strerror((int)-len));
		return (int)len;
	}
	type[len] = '\0';
	while (len > 0 && (type[len - 1] == '\n' || type[len - 1] == ' '))
		type[--len] = '\0';
	if (domain_from_type(type, &d->domain)) {
		err_msg("%s: unknown IOMMU domain type '%s'", path, type);
		return -EINVAL;
	}
	return 0;
}

/*
 * The kernel's reset methods for the function (5.15+; the file is absent
 * when it has none, and on older kernels): names as in the netlink spec
 * (sysfs writes "af_flr", the spec "af-flr"), one space between. Not
 * readable: a warning, and no methods.
 */
static int read_reset_methods(const char *root, struct sdev *d)
{
	char path[PATH_MAX], buf[256], *p, *q;
	long len;

	pathf(path, sizeof(path), "%s/%s/reset_method", root, d->rel);
	len = read_file(path, buf, sizeof(buf) - 1);
	if (len < 0) {
		if (len != -ENOENT)
			warn_msg("%s: %s: taken as no reset method", path, strerror((int)-len));
		return 0;
	}
	buf[len] = '\0';
	/* words separated by blanks, '_' as '-' */
	for (p = q = buf; *p; p++) {
		if (*p == ' ' || *p == '\t' || *p == '\n') {
			if (q > buf && q[-1] != ' ')
				*q++ = ' ';
		} else {
			*q++ = *p == '_' ? '-' : *p;
		}
	}
	while (q > buf && q[-1] == ' ')
		q--;
	*q = '\0';
	if (!buf[0])
		return 0;
	d->reset_methods = strdup(buf);
	return d->reset_methods ? 0 : -ENOMEM;
}

/* how messages name function @d: its sysfs directory, or its line in the dump */
static const char *sdev_where(const struct topo *t, const struct sdev *d, char *buf, size_t len)
{
	if (t->dump)
		snprintf(buf, len, "%s:%u", t->dump, d->line);
	else
		snprintf(buf, len, "%s/%s", t->root, d->rel);
	return buf;
}

static const struct topo *byid_topo;

static int byid_cmp(const void *a, const void *b)
{
	uint64_t x = byid_topo->d[*(const uint32_t *)a].id, y = byid_topo->d[*(const uint32_t *)b].id;

	return x < y ? -1 : x > y;
}

/* index of @id in @t->d through @byid (indexes sorted by id), or -1 */
static int find_sdev(const struct topo *t, const uint32_t *byid, uint64_t id)
{
	uint32_t a = 0, b = t->n, m;

	while (a < b) {
		m = a + (b - a) / 2;
		if (t->d[byid[m]].id == id)
			return (int)byid[m];
		if (t->d[byid[m]].id < id)
			a = m + 1;
		else
			b = m;
	}
	return -1;
}

int topo_build(struct topo *t)
{
	char w[PATH_MAX + 32], src[PATH_MAX], p1[DEV_STRLEN], p2[DEV_STRLEN];
	uint32_t *byid = NULL, i;
	uint8_t *pcie = NULL;
	int ret = 0, p;

	if (t->dump)
		snprintf(src, sizeof(src), "%s", t->dump);
	else
		snprintf(src, sizeof(src), "%s/bus/pci/devices", t->root);
	qsort(t->d, t->n, sizeof(*t->d), sdev_cmp);
	byid = malloc((t->n ? t->n : 1) * sizeof(*byid));
	pcie = calloc(t->n ? t->n : 1, 1);
	t->nodes = calloc(t->n ? t->n : 1, sizeof(*t->nodes));
	if (!byid || !pcie || !t->nodes) {
		ret = -ENOMEM;
		goto out;
	}
	for (i = 0; i < t->n; i++)
		byid[i] = i;
	byid_topo = t;
	qsort(byid, t->n, sizeof(*byid), byid_cmp);
	for (i = 1; i < t->n; i++) {
		if (t->d[byid[i]].id == t->d[byid[i - 1]].id) {
			err_msg("%s: %s listed twice", src, fmt_dev(t->d[byid[i]].id, p1));
			ret = -EINVAL;
			goto out;
		}
	}
	for (i = 0; i < t->n; i++) {
		struct sdev *d = &t->d[i];
		struct fm_node *fn = &t->nodes[i];

		fn->id = d->id;
		fn->parent = -1;
		if (d->has_parent) {
			p = find_sdev(t, byid, d->parent_id);
			if (p < 0) {
				err_msg("%s: the function above it, %s, is not in %s",
					sdev_where(t, d, w, sizeof(w)), fmt_dev(d->parent_id, p1), src);
				ret = -EINVAL;
				continue;
			}
			if (!fm_is_fabric(t->nodes[p].type) || t->nodes[p].type == FM_HOST_BRIDGE) {
				/* e.g. a VMD-like endpoint that hosts its own bus */
				warn_msg("%s: %s above it is not a bridge: treating %s as on a root bus",
					 sdev_where(t, d, w, sizeof(w)), fmt_dev(d->parent_id, p1),
					 fmt_dev(d->id, p2));
			} else {
				fn->parent = p;
			}
		}
		fn->type = fm_type_of(&d->cfg, fn->parent < 0);
		fn->flags = 0;
		if (d->cfg.acs)
			fn->flags |= FM_NODE_ACS;
		/* as Linux's pci_scan_slot(): function 0's header bit, and
		 * every function after 0 */
		if (d->cfg.mf || FM_ID_FUNC(d->id) > 0)
			fn->flags |= FM_NODE_MF;
		/* judged by the capability; the enable bit is shown only */
		if (d->cfg.ats)
			fn->flags |= FM_NODE_ATS | (d->cfg.ats_enabled ? FM_NODE_ATS_ON : 0);
		fn->domain = d->domain;
		fn->acs_cap = d->cfg.acs ? d->cfg.acs_cap : 0;
		fn->acs_ctrl = d->cfg.acs ? d->cfg.acs_ctrl : 0;
		fn->group = d->group;
		pcie[i] = d->cfg.pcie != 0;
	}
	/* behind a VMD: the endpoint whose requester id the DMA carries */
	for (i = 0; !ret && i < t->n; i++) {
		struct sdev *d = &t->d[i];

		if (!d->has_dma)
			continue;
		p = find_sdev(t, byid, d->dma_id);
		if (p < 0 || fm_is_fabric(t->nodes[p].type) || t->d[p].has_dma) {
			err_msg("%s: its root bus sits in %s, which is %s", sdev_where(t, d, w, sizeof(w)),
				fmt_dev(d->dma_id, p1), p < 0 ? "not listed" : "no VMD endpoint");
			ret = -EINVAL;
			continue;
		}
		t->nodes[i].dma_dev = (uint32_t)p + 1;
	}
	/* FM_NODE_KISOL from the groups, exactly as the module infers it;
	 * not where a dump hid the registers it weighs them against */
	if (!ret)
		fm_infer_kisol(t->nodes, t->n, pcie);
	for (i = 0; !ret && i < t->n; i++)
		if (t->d[i].unseen)
			t->nodes[i].flags &= ~FM_NODE_KISOL;
out:
	free(byid);
	free(pcie);
	return ret;
}

int topo_read(const char *root, struct topo *t)
{
	char path[PATH_MAX];
	struct dirent *de;
	size_t cap = 0;
	DIR *dir = NULL;
	struct sdev *nd;
	uint64_t id;
	int ret = 0, r;

	memset(t, 0, sizeof(*t));
	t->root = strdup(root);
	if (!t->root)
		return -ENOMEM;
	pathf(path, sizeof(path), "%s/bus/pci/devices", root);
	dir = opendir(path);
	if (!dir) {
		ret = -errno;
		err_msg("%s: %s (is %s a sysfs tree?)", path, strerror(errno), root);
		goto out;
	}
	while ((errno = 0, de = readdir(dir))) {
		if (de->d_name[0] == '.')
			continue;
		if (!is_bdf(de->d_name, &id)) {
			err_msg("%s/%s: not a PCI address (DDDD:BB:DD.F)", path, de->d_name);
			ret = ret ? ret : -EINVAL;
			continue;
		}
		if (t->n == FM_MAX_NODES) {
			err_msg("%s: more than %u functions", path, FM_MAX_NODES);
			ret = -E2BIG;
			goto out;
		}
		if (t->n == cap) {
			cap = cap ? cap * 2 : 64;
			nd = realloc(t->d, cap * sizeof(*nd));
			if (!nd) {
				ret = -ENOMEM;
				goto out;
			}
			t->d = nd;
		}
		memset(&t->d[t->n], 0, sizeof(t->d[0]));
		t->d[t->n].id = id;
		t->d[t->n].group = -1;
		t->n++;
		r = read_link(root, de->d_name, &t->d[t->n - 1]);
		if (!r)
			r = read_config(root, &t->d[t->n - 1]);
		if (!r)
			r = read_group(root, &t->d[t->n - 1]);
		if (!r)
			r = read_reset_methods(root, &t->d[t->n - 1]);
		if (r == -ENOMEM) {
			ret = r;
			goto out;
		}
		if (r && !ret)
			ret = r;
	}
	if (errno) {
		ret = -errno;
		err_msg("%s: %s", path, strerror(errno));
		goto out;
	}
	if (ret)
		goto out;
	if (!t->n) {
		err_msg("%s: no PCI devices", path);
		ret = -ENODEV;
		goto out;
	}
	ret = topo_build(t);
out:
	if (ret == -ENOMEM)
		err_msg("out of memory");
	if (dir)
		closedir(dir);
	if (ret)
		topo_free(t);
	return ret;
}
