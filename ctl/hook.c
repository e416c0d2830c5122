// SPDX-License-Identifier: GPL-2.0
/*
 * hook.c - `libvirt-hook [--print] DOMAIN OP SUBOP [EXTRA]`: libvirt's qemu
 * hook. /etc/libvirt/hooks/qemu.d/p2pfence execs it with libvirt's
 * arguments and the domain XML on stdin (read whole, always).
 *
 *   prepare begin    dev assign DEV... TENANT           (before libvirt binds
 *                                                         vfio-pci; a refusal
 *                                                         stops the start)
 *   start begin      dev assign DEV... TENANT           (again: a re-check, or
 *                                                         the hand-over prepare
 *                                                         left to it)
 *   reconnect begin  dev assign DEV... TENANT --accept-no-reset
 *                                                        (re-asserts them; a
 *                                                         running VM's device is
 *                                                         never reset)
 *   release end      dev release DEV... --tenant TENANT (conditional)
 *   anything else    nothing, exit 0
 *
 * prepare begin runs before libvirt detaches a managed device from its host
 * driver; a hand-over from another tenant needs it on vfio-pci (or on no
 * driver) to reset it. So when a managed device is on another driver,
 * prepare leaves the assignment to start begin, which runs after libvirt
 * bound vfio-pci and before QEMU starts. A device another process has open
 * through VFIO is another VM's: prepare and start refuse it (libvirt would
 * too, later) without touching it.
 *
 * DEV...: the host side of every PCI hostdev, <source><address> of
 * <hostdev mode='subsystem' type='pci'> and of <interface type='hostdev'>,
 * never the guest-side <address>. TENANT: the text of
 * <metadata><p2pfence:tenant xmlns:p2pfence="urn:p2pfence:libvirt:1">,
 * else the domain's <uuid>, passed on unchanged. The command is built as an
 * argv and run by cmd_dev(), so its output, messages and exit status are
 * those of `p2pfencectl dev ...`.
 *
 * At release, a device that some process still has open through VFIO (its
 * group /dev/vfio/N or its /dev/vfio/devices/vfioM) is left alone: the
 * domain's own QEMU is gone by then, so that process is another VM using
 * it (one of the same tenant, whose device a failed start listed too). So
 * is a managed device still on vfio-pci: libvirt gave the domain's own
 * managed devices back to their drivers before release, so another domain
 * has it prepared (its QEMU not yet started).
 *
 * Exit: 0 done or nothing to do; 1 refused, or the module is not loaded
 * while a start or reconnect needs it (fail closed); 2 usage, malformed
 * XML or a system error -- but 0 at reconnect (libvirt would stop the
 * running domain for an error that is not a refusal; it is logged).
 */
#include <ctype.h>
#include <dirent.h>
#include <dlfcn.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <libxml/parser.h>
#include <libxml/xpath.h>
#include <libxml/xpathInternals.h>
#include "cmds.h"
#include "ipc.h"
#include "util.h"

/*
 * libxml2 is loaded when the hook runs, not linked: every other command
 * starts without it and the ICU it pulls in (a millisecond natively, tens
 * of milliseconds in a TCG guest, 36 MB in every test guest). libvirt
 * links it, so it is on every host the hook runs on.
 */
static struct {
	typeof(xmlReadMemory) *read_memory;
	typeof(xmlFreeDoc) *free_doc;
	typeof(xmlDocGetRootElement) *doc_get_root_element;
	typeof(xmlGetProp) *get_prop;
	typeof(xmlGetLineNo) *get_line_no;
	typeof(xmlNodeGetContent) *node_get_content;
	typeof(xmlSetStructuredErrorFunc) *set_structured_error_func;
	typeof(xmlXPathNewContext) *xpath_new_context;
	typeof(xmlXPathFreeContext) *xpath_free_context;
	typeof(xmlXPathRegisterNs) *xpath_register_ns;
	typeof(xmlXPathEvalExpression) *xpath_eval_expression;
	typeof(xmlXPathFreeObject) *xpath_free_object;
	xmlFreeFunc *free;
} lx;

#define xmlReadMemory			(*lx.read_memory)
#define xmlFreeDoc			(*lx.free_doc)
#define xmlDocGetRootElement		(*lx.doc_get_root_element)
#define xmlGetProp			(*lx.get_prop)
#define xmlGetLineNo			(*lx.get_line_no)
#define xmlNodeGetContent		(*lx.node_get_content)
#define xmlSetStructuredErrorFunc	(*lx.set_structured_error_func)
#define xmlXPathNewContext		(*lx.xpath_new_context)
#define xmlXPathFreeContext		(*lx.xpath_free_context)
#define xmlXPathRegisterNs		(*lx.xpath_register_ns)
#define xmlXPathEvalExpression		(*lx.xpath_eval_expression)
#define xmlXPathFreeObject		(*lx.xpath_free_object)
#undef xmlFree
#define xmlFree				(**lx.free)

/* load libxml2 (once); the reason in @why when it cannot be */
static int hook_xml_load(char *why, size_t whylen)
{
	static const char *const syms[] = {
		"xmlReadMemory", "xmlFreeDoc", "xmlDocGetRootElement", "xmlGetProp",
		"xmlGetLineNo", "xmlNodeGetContent", "xmlSetStructuredErrorFunc",
		"xmlXPathNewContext", "xmlXPathFreeContext", "xmlXPathRegisterNs",
		"xmlXPathEvalExpression", "xmlXPathFreeObject", "xmlFree",
	};
	void **slot = (void **)&lx;
	void *h;
	size_t i;

	_Static_assert(sizeof(lx) == sizeof(syms) / sizeof(syms[0]) * sizeof(void *),
		       "one symbol per slot of lx");
	if (lx.read_memory)
		return 0;
	/* 2.9-2.13, then 2.14's new soname */
	h = dlopen("libxml2.so.2", RTLD_NOW | RTLD_LOCAL);
	if (!h)
		h = dlopen("libxml2.so.16", RTLD_NOW | RTLD_LOCAL);
	if (!h) {
		snprintf(why, whylen, "cannot load libxml2 (install the libxml2 package): %s",
			 dlerror());
		return -ENOENT;
	}
	for (i = 0; i < sizeof(syms) / sizeof(syms[0]); i++) {
		slot[i] = dlsym(h, syms[i]);
		if (!slot[i]) {
			snprintf(why, whylen, "libxml2 has no %s: %s", syms[i], dlerror());
			memset(&lx, 0, sizeof(lx));
			dlclose(h);
			return -ENOENT;
		}
	}
	return 0;
}

#define HOOK_NS		"urn:p2pfence:libvirt:1"
/* a domain XML larger than this is not one libvirt wrote */
#define HOOK_XML_MAX	(64u << 20)

#define XP_PCI	"/domain/devices/hostdev[(not(@mode) or @mode='subsystem') and @type='pci']" \
		"/source/address" \
		" | /domain/devices/interface[@type='hostdev']/source/address[@type='pci']"
#define XP_MDEV	"/domain/devices/hostdev[@type='mdev']"

enum hook_act { HOOK_NONE, HOOK_PREPARE, HOOK_START, HOOK_REASSERT, HOOK_RELEASE };

struct hook_dev {
	char id[16];			/* "DDDD:BB:DD.F" */
	bool managed;			/* libvirt binds and unbinds vfio-pci for it */
};

struct hook_dom {
	char *tenant;			/* malloc'ed */
	struct hook_dev *devs;		/* malloc'ed */
	unsigned int n;
};

static enum hook_act hook_action(const char *op, const char *subop)
{
	if (strcmp(subop, !strcmp(op, "release") ? "end" : "begin"))
		return HOOK_NONE;
	if (!strcmp(op, "prepare"))
		return HOOK_PREPARE;
	if (!strcmp(op, "start"))
		return HOOK_START;
	if (!strcmp(op, "reconnect"))
		return HOOK_REASSERT;
	if (!strcmp(op, "release"))
		return HOOK_RELEASE;
	return HOOK_NONE;
}

/* an address attribute as libvirt reads it (strtoul base 0); absent is 0 */
static int addr_attr(xmlNodePtr node, const char *name, unsigned long max, unsigned long *val,
		     char *why, size_t whylen)
{
	xmlChar *s = xmlGetProp(node, (const xmlChar *)name);
	unsigned long v = 0;
	char *end;
	int ret = 0;

	if (!s)
		goto out;
	errno = 0;
	v = strtoul((const char *)s, &end, 0);
	if (errno || end == (char *)s || *end || s[0] == '-' || v > max) {
		snprintf(why, whylen, "line %ld: bad PCI address %s='%s' (at most %#lx)",
			 xmlGetLineNo(node), name, (const char *)s, max);
		ret = -EINVAL;
	}
out:
	xmlFree(s);
	*val = v;
	return ret;
}

/* managed='yes' on the <hostdev> or <interface> of a <source><address> */
static bool addr_managed(xmlNodePtr addr)
{
	xmlNodePtr dev = addr->parent ? addr->parent->parent : NULL;
	xmlChar *m = dev ? xmlGetProp(dev, (const xmlChar *)"managed") : NULL;
	bool yes = m && !strcmp((const char *)m, "yes");

	xmlFree(m);
	return yes;
}

/* a <source><address> element -> "DDDD:BB:DD.F" */
static int hook_addr(xmlNodePtr node, char out[16], char *why, size_t whylen)
{
	unsigned long dom, bus, slot, fn;
	int ret;

	ret = addr_attr(node, "domain", 0xffffffff, &dom, why, whylen);
	if (!ret)
		ret = addr_attr(node, "bus", 0xff, &bus, why, whylen);
	if (!ret)
		ret = addr_attr(node, "slot", 0x1f, &slot, why, whylen);
	if (!ret)
		ret = addr_attr(node, "function", 7, &fn, why, whylen);
	if (ret)
		return ret;
	if (dom > 0xffff) {
		snprintf(why, whylen, "line %ld: PCI domain %#lx: p2pfence names devices in domains "
			 "0-ffff only", xmlGetLineNo(node), dom);
		return -EINVAL;
	}
	snprintf(out, 16, "%04lx:%02lx:%02lx.%lx", dom, bus, slot, fn);
	return 0;
}

/* the trimmed text of the first node of @xp (malloc'ed), NULL when none */
static int hook_text(xmlXPathContextPtr ctx, const char *xp, char **text)
{
	xmlXPathObjectPtr o = xmlXPathEvalExpression((const xmlChar *)xp, ctx);
	xmlChar *s = NULL;
	const char *b, *e;
	int ret = 0;

	*text = NULL;
	if (!o) {
		ret = -ENOMEM;
		goto out;
	}
	if (!o->nodesetval || !o->nodesetval->nodeNr)
		goto out;
	s = xmlNodeGetContent(o->nodesetval->nodeTab[0]);
	if (!s) {
		ret = -ENOMEM;
		goto out;
	}
	for (b = (const char *)s; isspace((unsigned char)*b); b++)
		;
	for (e = b + strlen(b); e > b && isspace((unsigned char)e[-1]); e--)
		;
	*text = strndup(b, (size_t)(e - b));
	if (!*text)
		ret = -ENOMEM;
out:
	xmlFree(s);
	xmlXPathFreeObject(o);
	return ret;
}

struct xml_err {
	int line;		/* 0: none yet */
	char msg[200];
};

static void keep_first_error(void *arg, xmlErrorPtr e)
{
	struct xml_err *first = arg;

	if (first->line || !e || e->level < XML_ERR_ERROR)
		return;
	first->line = e->line ? e->line : 1;
	snprintf(first->msg, sizeof(first->msg), "%s", e->message ? e->message : "parse error");
	first->msg[strcspn(first->msg, "\n")] = '\0';
}

/*
 * hook_parse() - the domain XML -> its PCI hostdevs (each once, in document
 * order) and the tenant; mdev hostdevs are named on stderr and skipped.
 * Return: 0; -EINVAL with the reason in @why (malformed XML, a bad
 * address, no tenant); -ENOMEM.
 */
static int hook_parse(const char *xml, size_t len, const char *name, struct hook_dom *d,
		      char *why, size_t whylen)
{
	xmlXPathContextPtr ctx = NULL;
	xmlXPathObjectPtr o = NULL;
	xmlNodeSetPtr ns;
	xmlDocPtr doc = NULL;
	struct xml_err first = { 0 };
	struct pf_tenant_ref ref;
	bool uses_meta = false;
	char dev[16], bad[200];
	xmlNodePtr root;
	int i, ret = -ENOMEM;
	unsigned int k;

	if (len > (size_t)INT32_MAX || !len) {
		snprintf(why, whylen, "no domain XML on standard input (libvirt passes it there)");
		return -EINVAL;
	}
	/* the parser's first complaint, not its last ("premature end of data") */
	xmlSetStructuredErrorFunc(&first, keep_first_error);
	doc = xmlReadMemory(xml, (int)len, "domain.xml", NULL,
			    XML_PARSE_NONET | XML_PARSE_NOWARNING);
	xmlSetStructuredErrorFunc(NULL, NULL);
	if (!doc) {
		snprintf(why, whylen, "malformed domain XML: line %d: %s", first.line,
			 first.line ? first.msg : "not well-formed");
		ret = -EINVAL;
		goto out;
	}
	root = xmlDocGetRootElement(doc);
	if (!root || strcmp((const char *)root->name, "domain")) {
		snprintf(why, whylen, "not a domain XML (root element <%s>)",
			 root ? (const char *)root->name : "");
		ret = -EINVAL;
		goto out;
	}
	ctx = xmlXPathNewContext(doc);
	if (!ctx || xmlXPathRegisterNs(ctx, (const xmlChar *)"p2pfence", (const xmlChar *)HOOK_NS))
		goto out;

	o = xmlXPathEvalExpression((const xmlChar *)XP_PCI, ctx);
	if (!o)
		goto out;
	ns = o->nodesetval;
	if (ns && ns->nodeNr) {
		d->devs = calloc((size_t)ns->nodeNr, sizeof(*d->devs));
		if (!d->devs)
			goto out;
		for (i = 0; i < ns->nodeNr; i++) {
			ret = hook_addr(ns->nodeTab[i], dev, why, whylen);
			if (ret)
				goto out;
			for (k = 0; k < d->n && strcmp(d->devs[k].id, dev); k++)
				;
			if (k < d->n)
				continue;
			memcpy(d->devs[d->n].id, dev, sizeof(dev));
			d->devs[d->n++].managed = addr_managed(ns->nodeTab[i]);
		}
	}
	xmlXPathFreeObject(o);

	/* mediated devices are not PCI functions: their parent is the host's */
	o = xmlXPathEvalExpression((const xmlChar *)XP_MDEV "/source/address/@uuid", ctx);
	if (!o)
		goto out;
	ns = o->nodesetval;
	for (i = 0; ns && i < ns->nodeNr; i++) {
		xmlChar *u = xmlNodeGetContent(ns->nodeTab[i]);

		err_msg("libvirt-hook %s: mdev hostdev %s is not a PCI function: not assigned "
			"(p2pfence fences PCI functions; its parent device stays with its owner)",
			name, u ? (const char *)u : "?");
		xmlFree(u);
	}

	ret = hook_text(ctx, "/domain/metadata/p2pfence:tenant", &d->tenant);
	uses_meta = d->tenant;
	if (!ret && !d->tenant)
		ret = hook_text(ctx, "/domain/uuid", &d->tenant);
	if (ret)
		goto out;
	if (!d->tenant || !*d->tenant) {
		snprintf(why, whylen, "the domain has %s",
			 d->tenant ? "an empty <p2pfence:tenant> in its <metadata>"
				   : "neither a <p2pfence:tenant> in its <metadata> nor a <uuid>");
		ret = -EINVAL;
		goto out;
	}
	/* a tenant, never an option or a device of the command built from it */
	ret = parse_tenant(d->tenant, TENANT_OWNER, &ref, bad, sizeof(bad));
	if (ret) {
		snprintf(why, whylen, "the domain's tenant (%s): %s",
			 uses_meta ? "<p2pfence:tenant> in its <metadata>" : "its <uuid>", bad);
		ret = -EINVAL;
	}
out:
	xmlXPathFreeObject(o);
	xmlXPathFreeContext(ctx);
	xmlFreeDoc(doc);
	return ret;
}

/* does @link (a /proc/PID/fd entry) point at one of @paths? */
static bool fd_is(const char *link, char paths[][64], int np)
{
	char target[80];
	ssize_t r;
	int i;

	r = readlink(link, target, sizeof(target) - 1);
	if (r <= 0)
		return false;
	target[r] = '\0';
	for (i = 0; i < np; i++)
		if (!strcmp(target, paths[i]))
			return true;
	return false;
}

/*
 * dev_holder() - a process that has @dev open through VFIO: its IOMMU
 * group's /dev/vfio/N or its own /dev/vfio/devices/vfioM.
 * Return: that process's pid, its name in @comm; 0 when none is found.
 */
static long dev_holder(const char *dev, char *comm, size_t commlen)
{
	char path[300], link[PATH_MAX], paths[2][64], *base;
	struct dirent *p, *f;
	DIR *proc = NULL, *fds, *vd;
	long pid = 0;
	ssize_t r;
	int np = 0;

	if (pathf(path, sizeof(path), "/sys/bus/pci/devices/%s/iommu_group", dev))
		return 0;
	r = readlink(path, link, sizeof(link) - 1);
	if (r > 0) {	/* ../../../kernel/iommu_groups/N */
		link[r] = '\0';
		base = strrchr(link, '/');
		snprintf(paths[np++], sizeof(paths[0]), "/dev/vfio/%.40s", base ? base + 1 : link);
	}
	if (!pathf(path, sizeof(path), "/sys/bus/pci/devices/%s/vfio-dev", dev)) {
		vd = opendir(path);
		while (vd && np < 2 && (f = readdir(vd)))
			if (!strncmp(f->d_name, "vfio", 4))
				snprintf(paths[np++], sizeof(paths[0]), "/dev/vfio/devices/%.40s",
					 f->d_name);
		if (vd)
			closedir(vd);
	}
	if (!np)
		goto out;
	proc = opendir("/proc");
	while (proc && !pid && (p = readdir(proc))) {
		if (!isdigit((unsigned char)p->d_name[0]) ||
		    pathf(path, sizeof(path), "/proc/%s/fd", p->d_name))
			continue;
		fds = opendir(path);
		while (fds && !pid && (f = readdir(fds))) {
			if (f->d_name[0] == '.' ||
			    pathf(link, sizeof(link), "%s/%s", path, f->d_name))
				continue;
			if (fd_is(link, paths, np))
				pid = strtol(p->d_name, NULL, 10);
		}
		if (fds)
			closedir(fds);
	}
	if (pid && !pathf(path, sizeof(path), "/proc/%ld/comm", pid)) {
		r = read_file(path, comm, commlen - 1);
		comm[r > 0 ? r : 0] = '\0';
		comm[strcspn(comm, "\n")] = '\0';
	}
out:
	if (proc)
		closedir(proc);
	return pid;
}

/* the driver @dev is bound to, in @buf ("" for none) */
static const char *dev_driver(const char *dev, char *buf, size_t len)
{
	char path[300], link[PATH_MAX], *base;
	ssize_t r;

	buf[0] = '\0';
	if (pathf(path, sizeof(path), "/sys/bus/pci/devices/%s/driver", dev))
		return buf;
	r = readlink(path, link, sizeof(link) - 1);
	if (r > 0) {
		link[r] = '\0';
		base = strrchr(link, '/');
		snprintf(buf, len, "%.63s", base ? base + 1 : link);
	}
	return buf;
}

/*
 * Before a start: a device another process has open through VFIO is
 * another VM's. While the table says it is the host's (an apply or a
 * release behind the VM's back), assigning it would hand it over, reset
 * and all, under that VM: refuse it untouched. Another tenant's is refused
 * by the module, naming the owner; the same tenant's is only re-checked.
 * Return: the index of the first such device, -1 when none.
 */
static int hook_held(struct ctl *c, const struct hook_dom *d, long *pid, char *comm,
		     size_t commlen)
{
	struct pf_devs devs = { 0 };
	uint64_t id;
	unsigned int i;
	bool host;
	char why[160];

	for (i = 0; i < d->n; i++) {
		*pid = dev_holder(d->devs[i].id, comm, commlen);
		if (!*pid || parse_dev(d->devs[i].id, &id, why, sizeof(why)))
			continue;
		host = !pf_dev_get(&c->nl, id, &devs) && devs.n == 1 && !devs.d[0].tenant;
		pf_devs_free(&devs);
		if (host)
			return (int)i;
	}
	return -1;
}

/* prepare: a managed device on a host driver, whose hand-over start does */
static int hook_on_host_driver(const struct hook_dom *d, char *drv, size_t len)
{
	unsigned int i;

	for (i = 0; i < d->n; i++)
		if (d->devs[i].managed && *dev_driver(d->devs[i].id, drv, len) &&
		    strcmp(drv, "vfio-pci"))
			return (int)i;
	return -1;
}

/*
 * Release: keep a device another VM has -- open through VFIO, or, managed,
 * still on vfio-pci (another domain prepared it; ours went back to its
 * driver before release). Return: true when it is kept (and said why).
 */
static bool hook_keep(const char *name, const struct hook_dev *dv)
{
	char comm[32], drv[64];
	long pid = dev_holder(dv->id, comm, sizeof(comm));

	if (pid) {
		err_msg("libvirt-hook %s release: %s kept: another VM has it open (pid %ld, %s)",
			name, dv->id, pid, comm);
		return true;
	}
	if (dv->managed && !strcmp(dev_driver(dv->id, drv, sizeof(drv)), "vfio-pci")) {
		err_msg("libvirt-hook %s release: %s kept: still on vfio-pci, prepared for "
			"another domain", name, dv->id);
		return true;
	}
	return false;
}

int cmd_libvirt_hook(struct ctl *c, int argc, char **argv)
{
	struct hook_dom d = { 0 };
	const char *name, *op, *subop;
	enum hook_act act;
	char why[512], comm[32], drv[64], **av = NULL;
	bool print = false;
	unsigned int i, n = 0;
	size_t len = 0;
	char *xml = NULL;
	int a = 1, k, ret, rc = EXIT_USAGE;
	long pid;

	if (argc == 2 && is_help(argv[1])) {
		usage_for("libvirt-hook", 0);
		return EXIT_OK;
	}
	if (argc > 1 && !strcmp(argv[1], "--print")) {
		print = true;
		a++;
	}
	if (argc - a < 3 || argc - a > 4)
		return usage_err("libvirt-hook",
				 "libvirt-hook: expected DOMAIN OP SUBOP [EXTRA], the domain XML on stdin");
	name = argv[a];
	op = argv[a + 1];
	subop = argv[a + 2];
	act = hook_action(op, subop);

	/* libvirt writes the XML to our stdin whatever the operation: take it all */
	ret = read_all("-", HOOK_XML_MAX, &xml, &len);
	if (ret) {
		err_msg("libvirt-hook %s %s %s: reading the domain XML from stdin: %s", name, op,
			subop, strerror(-ret));
		goto out;
	}
	rc = EXIT_OK;
	/* no host device at all: nothing to parse, fence or release */
	if (act == HOOK_NONE || !strstr(xml, "hostdev"))
		goto out;

	rc = EXIT_USAGE;
	ret = hook_xml_load(why, sizeof(why)) ?: hook_parse(xml, len, name, &d, why, sizeof(why));
	if (ret) {
		err_msg("libvirt-hook %s %s %s: %s", name, op, subop,
			ret == -ENOMEM ? "out of memory" : why);
		goto out;
	}
	rc = EXIT_OK;
	if (!d.n)
		goto out;	/* no PCI hostdev: nothing to fence or release */

	if (act == HOOK_PREPARE) {
		k = hook_on_host_driver(&d, drv, sizeof(drv));
		if (k >= 0) {
			err_msg("libvirt-hook %s prepare: %s is on %s until libvirt binds vfio-pci: "
				"assigned at start begin (a hand-over reset needs vfio-pci)",
				name, d.devs[k].id, drv);
			goto out;
		}
	}

	/* dev assign DEV... TENANT | dev release DEV... --tenant TENANT */
	rc = EXIT_USAGE;
	av = calloc(d.n + 6, sizeof(*av));
	if (!av) {
		err_msg("out of memory");
		goto out;
	}
	av[n++] = "dev";
	av[n++] = act == HOOK_RELEASE ? "release" : "assign";
	for (i = 0; i < d.n; i++)
		if (act != HOOK_RELEASE || !hook_keep(name, &d.devs[i]))
			av[n++] = d.devs[i].id;
	rc = EXIT_OK;
	if (n == 2)		/* every device kept */
		goto out;
	if (act == HOOK_RELEASE)
		av[n++] = "--tenant";
	av[n++] = d.tenant;
	/* a running VM's device is never reset under it */
	if (act == HOOK_REASSERT)
		av[n++] = "--accept-no-reset";

	if (print) {
		/* every word is a device, a validated tenant or an option: no quoting */
		fputs(PROG, stdout);
		for (i = 0; i < n; i++)
			printf(" %s", av[i]);
		putchar('\n');
		goto out;
	}

	ret = ctl_nl(c, true);
	if (ret == -ENOENT && act == HOOK_RELEASE)
		goto out;	/* no module: nothing is owned */
	if (ret == -ENOENT) {
		err_msg("libvirt-hook %s %s: the p2pfence module is not loaded, so nothing would "
			"fence the domain's PCI devices from other tenants: refused (modprobe "
			"p2pfence, or start p2pfence.service)", name, op);
		rc = EXIT_REFUSED;
		goto out;
	}
	if (ret) {
		rc = EXIT_USAGE;
		goto out;
	}
	if (act == HOOK_PREPARE || act == HOOK_START) {
		k = hook_held(c, &d, &pid, comm, sizeof(comm));
		if (k >= 0) {
			err_msg("libvirt-hook %s %s: %s is in use by another VM (pid %ld, %s) while "
				"the host owns it: not assigned", name, op, d.devs[k].id, pid, comm);
			rc = EXIT_REFUSED;
			goto out;
		}
	}
	rc = cmd_dev(c, (int)n, av);
out:
	/* reconnect: libvirt stops a running domain for any failure; only a refusal is one */
	if (act == HOOK_REASSERT && rc == EXIT_USAGE) {
		err_msg("libvirt-hook %s reconnect: could not re-assert its devices (see above); "
			"the domain keeps running: check it with p2pfencectl dev show", name);
		rc = EXIT_OK;
	}
	free(av);
	free(d.devs);
	free(d.tenant);
	free(xml);
	return rc;
}
