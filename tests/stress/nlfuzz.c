// SPDX-License-Identifier: GPL-2.0
/*
 * nlfuzz - netlink fuzzer and raw-netlink helper for the p2pfence family.
 *
 * Static binary, raw AF_NETLINK sockets, no libnl: it runs in the busybox
 * guest of scripts/vm. Subcommands:
 *
 *   nlfuzz fuzz [-n COUNT] [-s SEED] [-c CHECK_EVERY] [-q] [-v]
 *        Resolve `p2pfence` via nlctrl, then send COUNT random and mutated
 *        messages (unknown/repeated attributes, wrong types and lengths,
 *        truncated headers, huge and zero values, unknown commands and
 *        flags, nested garbage, batches). Every reply must be a well-formed
 *        message or an nlmsgerr; an error from the family (past the genl
 *        core) must carry extack (text or missing-attribute type). The
 *        state (dev-get and tenant-get dumps, mode, the ACS control
 *        register of every function read from sysfs config space) is
 *        snapshotted before, every CHECK_EVERY messages, after every
 *        accepted assign/release/apply/mode-set (re-baseline), and at the
 *        end, and (unless -q) before every batch that may change the
 *        state: between two snapshots with only rejected messages in
 *        between it must be unchanged. At the end the owner table and mode are
 *        restored to what they were. Prints the figures.
 *   nlfuzz assign DEV TENANT | release DEV | get DEV | mode [enforce|audit]
 *   nlfuzz dump            dev-get dump, one line per device
 *   nlfuzz tenants         tenant-get dump
 *   nlfuzz audit           audit; prints isolated and the verdicts
 *   nlfuzz verify          dump + audit + ACS registers: every tenant device
 *                          reported fenced has no verdict, and SV RR CR UF
 *                          set / DT clear on every ACS function on its path
 *   nlfuzz churn -n N -t TENANT [-s SEED] DEV...
 *                          N random assign(TENANT)/release of the DEVs;
 *                          counts by errno; errors must carry extack
 *   nlfuzz perm            every op (do and dump) must fail with EPERM and
 *                          joining `monitor` must fail; prints what it got
 *   nlfuzz monitor-listen SECONDS
 *                          join `monitor`, count events for SECONDS
 *   nlfuzz userns [-n] [-u UID] -- CMD...
 *                          run CMD as root in a new user namespace (-n: and
 *                          a new network namespace), or (-u) as UID
 *                          without capabilities in the init namespaces
 *
 * DEV is 0000:01:00.0 or 01:00.0. Exit: 0 ok, 1 check failed, 2 usage or
 * system error.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <dirent.h>
#include <grp.h>
#include <limits.h>
#include <sched.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <linux/genetlink.h>
#include <linux/netlink.h>

#include "linux/p2pfence.h"

#ifndef SOL_NETLINK
#define SOL_NETLINK 270
#endif

#define BUFSZ (256 * 1024)
#define MAXMSG 8192

static int verbose;
static int fam_id = -1;
static int mon_grp = -1;

static void die(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fputs("nlfuzz: ", stderr);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(2);
}

/* ---------- random ---------- */
static uint64_t rng_s = 0x9e3779b97f4a7c15ULL;

static uint32_t rnd(void)
{
	rng_s ^= rng_s << 13;
	rng_s ^= rng_s >> 7;
	rng_s ^= rng_s << 17;
	return (uint32_t)(rng_s >> 11);
}

static uint32_t rn(uint32_t n)
{
	return n ? rnd() % n : 0;
}

/* ---------- sockets ---------- */
struct nl {
	int fd;
	uint32_t pid;
	uint32_t seq;
	unsigned char *rbuf;
};

static int nl_open(struct nl *n)
{
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK };
	socklen_t sl = sizeof(sa);
	int one = 1, sz = 4 << 20;
	struct timeval tv = { .tv_sec = 60 };

	n->fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_GENERIC);
	if (n->fd < 0)
		return -errno;
	if (bind(n->fd, (struct sockaddr *)&sa, sizeof(sa)) < 0 ||
	    getsockname(n->fd, (struct sockaddr *)&sa, &sl) < 0)
		return -errno;
	n->pid = sa.nl_pid;
	n->seq = (uint32_t)time(NULL);
	setsockopt(n->fd, SOL_NETLINK, NETLINK_EXT_ACK, &one, sizeof(one));
	setsockopt(n->fd, SOL_NETLINK, NETLINK_CAP_ACK, &one, sizeof(one));
	if (setsockopt(n->fd, SOL_SOCKET, SO_RCVBUFFORCE, &sz, sizeof(sz)) < 0)
		setsockopt(n->fd, SOL_SOCKET, SO_RCVBUF, &sz, sizeof(sz));
	setsockopt(n->fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	n->rbuf = malloc(BUFSZ);
	if (!n->rbuf)
		die("out of memory");
	return 0;
}

static int nl_send(struct nl *n, const void *buf, size_t len)
{
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK };
	ssize_t r = sendto(n->fd, buf, len, 0, (struct sockaddr *)&sa, sizeof(sa));

	return r < 0 ? -errno : 0;
}

/* ---------- message building ---------- */
struct mb {
	unsigned char b[MAXMSG];
	size_t len;
	size_t nest[8];
	int depth;
};

static void mb_put(struct mb *m, const void *p, size_t len)
{
	if (m->len + len > sizeof(m->b))
		len = sizeof(m->b) - m->len;
	memcpy(m->b + m->len, p, len);
	m->len += len;
}

static void mb_pad(struct mb *m)
{
	static const unsigned char z[4];

	mb_put(m, z, NLA_ALIGN(m->len) - m->len);
}

static void mb_hdr(struct mb *m, uint16_t type, uint16_t flags, uint32_t seq,
		   uint8_t cmd)
{
	struct nlmsghdr h = { .nlmsg_len = 0, .nlmsg_type = type,
			      .nlmsg_flags = flags, .nlmsg_seq = seq };
	struct genlmsghdr g = { .cmd = cmd, .version = 1 };

	m->len = 0;
	m->depth = 0;
	mb_put(m, &h, sizeof(h));
	mb_put(m, &g, sizeof(g));
}

static void mb_attr(struct mb *m, uint16_t type, const void *p, uint16_t len)
{
	struct nlattr a = { .nla_len = NLA_HDRLEN + len, .nla_type = type };

	if (m->len + NLA_ALIGN(a.nla_len) > sizeof(m->b) - 64)
		return;
	mb_put(m, &a, sizeof(a));
	mb_put(m, p, len);
	mb_pad(m);
}

static void mb_u32(struct mb *m, uint16_t type, uint32_t v)
{
	mb_attr(m, type, &v, 4);
}

static void mb_u16(struct mb *m, uint16_t type, uint16_t v)
{
	mb_attr(m, type, &v, 2);
}

static void mb_nest_start(struct mb *m, uint16_t type)
{
	struct nlattr a = { .nla_len = 0, .nla_type = type | NLA_F_NESTED };

	if (m->depth < 8)
		m->nest[m->depth++] = m->len;
	mb_put(m, &a, sizeof(a));
}

static void mb_nest_end(struct mb *m)
{
	struct nlattr *a;

	if (!m->depth)
		return;
	a = (struct nlattr *)(m->b + m->nest[--m->depth]);
	a->nla_len = m->len - ((unsigned char *)a - m->b);
}

static void mb_finish(struct mb *m)
{
	((struct nlmsghdr *)m->b)->nlmsg_len = m->len;
}

/* ---------- attribute walking ---------- */
#define for_each_attr(a, buf, len)					\
	for (a = (struct nlattr *)(buf);				\
	     (size_t)((unsigned char *)a - (unsigned char *)(buf)) + NLA_HDRLEN <= (len) && \
	     a->nla_len >= NLA_HDRLEN &&					\
	     (size_t)((unsigned char *)a - (unsigned char *)(buf)) + a->nla_len <= (len); \
	     a = (struct nlattr *)((unsigned char *)a + NLA_ALIGN(a->nla_len)))

static void *nla_data(struct nlattr *a)
{
	return (unsigned char *)a + NLA_HDRLEN;
}

static int nla_dlen(struct nlattr *a)
{
	return a->nla_len - NLA_HDRLEN;
}

static uint32_t nla_u32v(struct nlattr *a)
{
	uint32_t v = 0;
	int l = nla_dlen(a);

	if (l == 1)
		v = *(uint8_t *)nla_data(a);
	else if (l == 2)
		v = *(uint16_t *)nla_data(a);
	else if (l >= 4)
		memcpy(&v, nla_data(a), 4);
	return v;
}

/* well-formed: attributes tile the buffer; nests (NLA_F_NESTED) too */
static int attrs_wellformed(const unsigned char *buf, size_t len, int depth)
{
	size_t off = 0;

	while (off + NLA_HDRLEN <= len) {
		const struct nlattr *a = (const void *)(buf + off);

		if (a->nla_len < NLA_HDRLEN || off + a->nla_len > len)
			return 0;
		if ((a->nla_type & NLA_F_NESTED) && depth < 4 &&
		    !attrs_wellformed(buf + off + NLA_HDRLEN, a->nla_len - NLA_HDRLEN,
				      depth + 1))
			return 0;
		off += NLA_ALIGN(a->nla_len);
	}
	return off >= len;
}

/* ---------- request/response ---------- */
static char last_ext[512];
static int last_miss;

/* parse extack TLVs after an nlmsgerr (CAP_ACK: only the header echoed) */
static void parse_extack(struct nlmsghdr *h, int *has_msg, int *has_miss,
			 int *bad_offs, uint32_t sent_len)
{
	struct nlmsgerr *e = NLMSG_DATA(h);
	size_t hdr = NLMSG_HDRLEN + sizeof(*e);
	struct nlattr *a;
	size_t tl;

	*has_msg = *has_miss = 0;
	if (bad_offs)
		*bad_offs = 0;
	last_ext[0] = 0;
	last_miss = -1;
	if (h->nlmsg_type == NLMSG_DONE)
		hdr = NLMSG_HDRLEN + sizeof(int);
	else if (!(h->nlmsg_flags & NLM_F_CAPPED))
		hdr += e->msg.nlmsg_len - sizeof(struct nlmsghdr);
	if (!(h->nlmsg_flags & NLM_F_ACK_TLVS) || h->nlmsg_len <= hdr)
		return;
	tl = h->nlmsg_len - hdr;
	for_each_attr(a, (unsigned char *)h + hdr, tl) {
		switch (a->nla_type & NLA_TYPE_MASK) {
		case NLMSGERR_ATTR_MSG:
			if (nla_dlen(a) > 1) {
				*has_msg = 1;
				snprintf(last_ext, sizeof(last_ext), "%.*s",
					 nla_dlen(a), (char *)nla_data(a));
			}
			break;
		case NLMSGERR_ATTR_MISS_TYPE:
			*has_miss = 1;
			last_miss = nla_u32v(a);
			break;
		case NLMSGERR_ATTR_OFFS:
			if (bad_offs && sent_len && nla_u32v(a) >= sent_len)
				*bad_offs = 1;
			break;
		}
	}
}

typedef void (*msg_cb)(struct nlmsghdr *h, void *ctx);

/*
 * Send one request, read until its ack / error / DONE. Data messages go to
 * cb. Returns 0 or -errno from the kernel (extack text in last_ext).
 */
static int nl_call(struct nl *n, struct mb *m, msg_cb cb, void *ctx)
{
	struct nlmsghdr *req = (struct nlmsghdr *)m->b;
	uint32_t seq = ++n->seq;
	int r;

	req->nlmsg_seq = seq;
	req->nlmsg_flags |= NLM_F_REQUEST | NLM_F_ACK;
	mb_finish(m);
	last_ext[0] = 0;
	last_miss = -1;
	r = nl_send(n, m->b, m->len);
	if (r)
		return r;
	for (;;) {
		ssize_t len = recv(n->fd, n->rbuf, BUFSZ, 0);
		struct nlmsghdr *h;

		if (len < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		for (h = (struct nlmsghdr *)n->rbuf; NLMSG_OK(h, len);
		     h = NLMSG_NEXT(h, len)) {
			int hm, hmi;

			if (h->nlmsg_seq != seq)
				continue;
			if (h->nlmsg_type == NLMSG_ERROR) {
				struct nlmsgerr *e = NLMSG_DATA(h);

				parse_extack(h, &hm, &hmi, NULL, 0);
				return e->error;
			}
			if (h->nlmsg_type == NLMSG_DONE) {
				int e = *(int *)NLMSG_DATA(h);

				parse_extack(h, &hm, &hmi, NULL, 0);
				return e;
			}
			if (cb)
				cb(h, ctx);
		}
	}
}

static void resolve_cb(struct nlmsghdr *h, void *ctx)
{
	struct nlattr *a, *g, *x;
	size_t len = h->nlmsg_len - NLMSG_HDRLEN - GENL_HDRLEN;

	(void)ctx;
	for_each_attr(a, (unsigned char *)NLMSG_DATA(h) + GENL_HDRLEN, len) {
		int t = a->nla_type & NLA_TYPE_MASK;

		if (t == CTRL_ATTR_FAMILY_ID)
			fam_id = *(uint16_t *)nla_data(a);
		if (t != CTRL_ATTR_MCAST_GROUPS)
			continue;
		for_each_attr(g, nla_data(a), (size_t)nla_dlen(a)) {
			int id = -1, mon = 0;

			for_each_attr(x, nla_data(g), (size_t)nla_dlen(g)) {
				int xt = x->nla_type & NLA_TYPE_MASK;

				if (xt == CTRL_ATTR_MCAST_GRP_ID)
					id = nla_u32v(x);
				if (xt == CTRL_ATTR_MCAST_GRP_NAME &&
				    !strcmp(nla_data(x), P2PFENCE_MCGRP_MONITOR))
					mon = 1;
			}
			if (mon)
				mon_grp = id;
		}
	}
}

static int resolve(struct nl *n)
{
	struct mb m;

	mb_hdr(&m, GENL_ID_CTRL, 0, 0, CTRL_CMD_GETFAMILY);
	((struct genlmsghdr *)(m.b + NLMSG_HDRLEN))->version = 2;
	mb_attr(&m, CTRL_ATTR_FAMILY_NAME, P2PFENCE_FAMILY_NAME,
		sizeof(P2PFENCE_FAMILY_NAME));
	fam_id = -1;
	return nl_call(n, &m, resolve_cb, NULL);
}

static void open_resolved(struct nl *n)
{
	int r = nl_open(n);

	if (r)
		die("netlink socket: %s", strerror(-r));
	r = resolve(n);
	if (r || fam_id < 0)
		die("family %s not found: %s", P2PFENCE_FAMILY_NAME,
		    strerror(r ? -r : ENOENT));
}

/* ---------- devices ---------- */
static int parse_dev(const char *s, uint32_t *dom, uint16_t *bdf)
{
	unsigned int d = 0, b, dv, f;

	if (sscanf(s, "%x:%x:%x.%x", &d, &b, &dv, &f) == 4 ||
	    (d = 0, sscanf(s, "%x:%x.%x", &b, &dv, &f) == 3)) {
		if (d > 0xffff || b > 0xff || dv > 31 || f > 7)
			return -1;
		*dom = d;
		*bdf = b << 8 | dv << 3 | f;
		return 0;
	}
	return -1;
}

static const char *devname(uint32_t dom, uint16_t bdf)
{
	static char s[4][16];
	static int i;

	i = (i + 1) & 3;
	snprintf(s[i], sizeof(s[i]), "%04x:%02x:%02x.%x", dom, bdf >> 8,
		 (bdf >> 3) & 31, bdf & 7);
	return s[i];
}

struct pdev {
	uint32_t dom;
	uint16_t bdf;
	int is_bridge;
	int acs;	/* ACS capability offset, 0 none */
	char name[32];
};

static struct pdev pdevs[256];
static int npdev;

static int read_cfg(const char *name, unsigned char *cfg, size_t len)
{
	char p[300];
	int fd, r;

	snprintf(p, sizeof(p), "/sys/bus/pci/devices/%s/config", name);
	fd = open(p, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	r = pread(fd, cfg, len, 0);
	close(fd);
	return r;
}

static int access_dev(const char *name)
{
	char p[300];

	snprintf(p, sizeof(p), "/sys/bus/pci/devices/%s", name);
	return access(p, F_OK);
}

static int find_acs(const unsigned char *cfg, int len)
{
	int pos = 0x100, guard = 0;

	if (len < 0x104)
		return 0;
	while (pos >= 0x100 && pos + 8 <= len && guard++ < 64) {
		uint32_t h;

		memcpy(&h, cfg + pos, 4);
		if (!h || h == 0xffffffff)
			return 0;
		if ((h & 0xffff) == 0x000d)
			return pos;
		pos = (h >> 20) & 0xffc;
	}
	return 0;
}

static void scan_pci(void)
{
	DIR *d = opendir("/sys/bus/pci/devices");
	struct dirent *e;

	npdev = 0;
	if (!d)
		return;
	while ((e = readdir(d)) && npdev < 256) {
		unsigned char cfg[4096];
		struct pdev *p = &pdevs[npdev];
		int r;

		if (e->d_name[0] == '.' || parse_dev(e->d_name, &p->dom, &p->bdf))
			continue;
		r = read_cfg(e->d_name, cfg, sizeof(cfg));
		if (r < 64)
			continue;
		snprintf(p->name, sizeof(p->name), "%.31s", e->d_name);
		p->is_bridge = (cfg[0x0e] & 0x7f) != 0;
		p->acs = find_acs(cfg, r);
		npdev++;
	}
	closedir(d);
}

/* the ACS control register: -1 no ACS, -2 gone (reads 2 bytes only: a
 * full config read is 1024 trapped accesses under TCG) */
static int acs_ctrl(const struct pdev *p)
{
	char path[300];
	unsigned char v[2];
	int fd, r;

	if (!p->acs)
		return access_dev(p->name) ? -2 : -1;
	snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/config", p->name);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -2;
	r = pread(fd, v, 2, p->acs + 6);
	close(fd);
	return r == 2 ? v[0] | v[1] << 8 : -2;
}

/* ---------- snapshots ---------- */
struct snap {
	char *buf;
	size_t size;
	FILE *f;
};

static void render(FILE *f, const unsigned char *buf, size_t len, int depth)
{
	size_t off = 0;

	while (off + NLA_HDRLEN <= len) {
		const struct nlattr *a = (const void *)(buf + off);
		int dl, i;

		if (a->nla_len < NLA_HDRLEN || off + a->nla_len > len) {
			fprintf(f, " !bad");
			return;
		}
		dl = a->nla_len - NLA_HDRLEN;
		fprintf(f, " %d=", a->nla_type & NLA_TYPE_MASK);
		if ((a->nla_type & NLA_F_NESTED) && depth < 4) {
			fputc('{', f);
			render(f, buf + off + NLA_HDRLEN, dl, depth + 1);
			fputs(" }", f);
		} else if (dl == 4) {
			uint32_t v;

			memcpy(&v, buf + off + NLA_HDRLEN, 4);
			fprintf(f, "%#x", v);
		} else if (dl == 2) {
			fprintf(f, "%#x", *(uint16_t *)(buf + off + NLA_HDRLEN));
		} else if (dl == 1) {
			fprintf(f, "%u", buf[off + NLA_HDRLEN]);
		} else {
			for (i = 0; i < dl; i++)
				fprintf(f, "%02x", buf[off + NLA_HDRLEN + i]);
		}
		off += NLA_ALIGN(a->nla_len);
	}
}

static void snap_cb(struct nlmsghdr *h, void *ctx)
{
	FILE *f = ctx;
	struct genlmsghdr *g = NLMSG_DATA(h);

	fprintf(f, "cmd%d", g->cmd);
	render(f, (unsigned char *)g + GENL_HDRLEN,
	       h->nlmsg_len - NLMSG_HDRLEN - GENL_HDRLEN, 0);
	fputc('\n', f);
}

static int do_dump(struct nl *n, int cmd, msg_cb cb, void *ctx)
{
	struct mb m;

	mb_hdr(&m, fam_id, NLM_F_DUMP, 0, cmd);
	return nl_call(n, &m, cb, ctx);
}

static int do_simple(struct nl *n, int cmd, msg_cb cb, void *ctx)
{
	struct mb m;

	mb_hdr(&m, fam_id, 0, 0, cmd);
	return nl_call(n, &m, cb, ctx);
}

/* state: the three dumps and the ACS control register of every function */
static int snapshot(struct nl *n, struct snap *s)
{
	int r, i;

	free(s->buf);
	s->buf = NULL;
	s->f = open_memstream(&s->buf, &s->size);
	r = do_dump(n, P2PFENCE_CMD_DEV_GET, snap_cb, s->f);
	if (!r)
		r = do_dump(n, P2PFENCE_CMD_TENANT_GET, snap_cb, s->f);
	if (!r)
		r = do_simple(n, P2PFENCE_CMD_MODE_GET, snap_cb, s->f);
	for (i = 0; i < npdev; i++)
		fprintf(s->f, "acs %s %d\n", pdevs[i].name, acs_ctrl(&pdevs[i]));
	fclose(s->f);
	if (r)
		fprintf(stderr, "nlfuzz: snapshot failed: %s (%s)\n", strerror(-r), last_ext);
	return r;
}

/* the lines of @a not in @b as "#   SIGN line", while *@shown < @max */
static void print_missing(const char *a, const char *b, char sign, int *shown, int max)
{
	const char *p;

	for (p = a; *p && *shown < max;) {
		const char *e = strchr(p, '\n');
		size_t l = e ? (size_t)(e - p) : strlen(p);
		char *line = strndup(p, l);

		if (!strstr(b, line)) {
			printf("#   %c %s\n", sign, line);
			(*shown)++;
		}
		free(line);
		p += l + (e ? 1 : 0);
	}
}

static void print_diff(const char *a, const char *b)
{
	/* line-wise: lines of a missing in b, and the reverse */
	int shown = 0;

	print_missing(a, b, '-', &shown, 20);
	print_missing(b, a, '+', &shown, 40);
}

/* ---------- owner table (for restore and verify) ---------- */
struct owner {
	uint32_t dom;
	uint16_t bdf;
	uint32_t tenant;
	int fenced;
};

struct owners {
	struct owner e[512];
	int n;
};

static void owners_cb(struct nlmsghdr *h, void *ctx)
{
	struct owners *o = ctx;
	struct nlattr *a;
	struct owner w = { 0 };

	for_each_attr(a, (unsigned char *)NLMSG_DATA(h) + GENL_HDRLEN,
		      h->nlmsg_len - NLMSG_HDRLEN - GENL_HDRLEN) {
		switch (a->nla_type & NLA_TYPE_MASK) {
		case P2PFENCE_A_DEV_DOMAIN: w.dom = nla_u32v(a); break;
		case P2PFENCE_A_DEV_BDF: w.bdf = nla_u32v(a); break;
		case P2PFENCE_A_DEV_TENANT: w.tenant = nla_u32v(a); break;
		case P2PFENCE_A_DEV_FENCED: w.fenced = nla_u32v(a); break;
		}
	}
	if (o->n < 512)
		o->e[o->n++] = w;
}

static int get_owners(struct nl *n, struct owners *o)
{
	o->n = 0;
	return do_dump(n, P2PFENCE_CMD_DEV_GET, owners_cb, o);
}

static void mode_cb(struct nlmsghdr *h, void *ctx)
{
	struct nlattr *a;

	for_each_attr(a, (unsigned char *)NLMSG_DATA(h) + GENL_HDRLEN,
		      h->nlmsg_len - NLMSG_HDRLEN - GENL_HDRLEN)
		if ((a->nla_type & NLA_TYPE_MASK) == P2PFENCE_A_MODE_MODE)
			*(int *)ctx = nla_u32v(a);
}

static int dev_op(struct nl *n, int cmd, uint32_t dom, uint16_t bdf,
		  uint32_t tenant, msg_cb cb, void *ctx)
{
	struct mb m;

	mb_hdr(&m, fam_id, 0, 0, cmd);
	mb_u32(&m, P2PFENCE_A_DEV_DOMAIN, dom);
	mb_u16(&m, P2PFENCE_A_DEV_BDF, bdf);
	if (tenant)
		mb_u32(&m, P2PFENCE_A_DEV_TENANT, tenant);
	return nl_call(n, &m, cb, ctx);
}

static int mode_set(struct nl *n, uint32_t mode)
{
	struct mb m;

	mb_hdr(&m, fam_id, 0, 0, P2PFENCE_CMD_MODE_SET);
	mb_u32(&m, P2PFENCE_A_MODE_MODE, mode);
	return nl_call(n, &m, NULL, NULL);
}

/*
 * Put the owner table back with one apply: it is all or nothing, so the
 * order of the changes does not matter. (Releasing one by one can be
 * refused: releasing one function of a multi-function device whose
 * siblings stay with a tenant would leave them unfenceable, -EXDEV.)
 */
static int restore(struct nl *n, const struct owners *want, int mode)
{
	struct mb m;
	int j, r, bad = 0;

	if (mode >= 0 && (r = mode_set(n, mode))) {
		printf("# restore: mode-set %d: %s (%s)\n", mode, strerror(-r), last_ext);
		bad++;
	}
	mb_hdr(&m, fam_id, 0, 0, P2PFENCE_CMD_APPLY);
	for (j = 0; j < want->n; j++) {
		if (!want->e[j].tenant)
			continue;
		mb_nest_start(&m, P2PFENCE_A_DEV_DEV);
		mb_u32(&m, P2PFENCE_A_DEV_DOMAIN, want->e[j].dom);
		mb_u16(&m, P2PFENCE_A_DEV_BDF, want->e[j].bdf);
		mb_u32(&m, P2PFENCE_A_DEV_TENANT, want->e[j].tenant);
		mb_nest_end(&m);
	}
	r = nl_call(n, &m, NULL, NULL);
	if (r) {
		printf("# restore: apply: %s (%s)\n", strerror(-r), last_ext);
		bad++;
	}
	return bad;
}

/* ---------- fuzzing ---------- */
struct meta {
	uint32_t seq;
	uint32_t len;		/* bytes of this message in the send */
	int valid_len;		/* nlmsg_len sane: the kernel parses it */
	int expect_term;	/* an ack / error / DONE must come */
	int core;		/* rejected by the genl core, extack optional */
	int mutating;		/* a successful reply may change the state */
	int cmd;
	int got_term;
	int got_err;
};

static const uint32_t interesting32[] = {
	0, 1, 2, 3, 4, 7, 8, 0xff, 0x100, 0x7fff, 0x8000, 0xffff, 0x10000,
	0x7fffffff, 0x80000000, 0xfffffffe, 0xffffffff,
};

static uint32_t ival(void)
{
	switch (rn(6)) {
	case 0:
		return rnd();
	case 1:
		return rn(16);
	case 2:
		if (npdev) {
			struct pdev *p = &pdevs[rn(npdev)];

			return rn(2) ? p->bdf : p->dom;
		}
		return 0;
	default:
		return interesting32[rn(sizeof(interesting32) / sizeof(interesting32[0]))];
	}
}

static void rand_payload(struct mb *m, uint16_t type, int depth);

static void rand_nested(struct mb *m, uint16_t type, int depth)
{
	int i, k = rn(5);

	mb_nest_start(m, rn(4) ? type : type & ~NLA_F_NESTED);
	for (i = 0; i < k; i++)
		rand_payload(m, rn(10), depth + 1);
	mb_nest_end(m);
}

/* one random attribute of type `type` (flags added at random) */
static void rand_payload(struct mb *m, uint16_t type, int depth)
{
	unsigned char d[300];
	uint32_t v = ival();
	uint16_t len;
	int i;

	if (!rn(20))
		type |= NLA_F_NET_BYTEORDER;
	if (depth < 3 && (!rn(6) || ((type & NLA_TYPE_MASK) >= P2PFENCE_A_DEV_VERDICT &&
				     (type & NLA_TYPE_MASK) <= P2PFENCE_A_DEV_DEV && rn(2)))) {
		rand_nested(m, type, depth);
		return;
	}
	switch (rn(8)) {
	case 0: len = 0; break;
	case 1: len = 1; break;
	case 2: len = 2; break;
	case 3: case 4: len = 4; break;
	case 5: len = 8; break;
	case 6: len = 3 + rn(5); break;
	default: len = rn(sizeof(d)); break;
	}
	for (i = 0; i < len; i++)
		d[i] = rn(3) ? (unsigned char)(v >> (8 * (i & 3))) : rnd();
	if (len == 2) {
		uint16_t s = v;

		memcpy(d, &s, 2);
	}
	mb_attr(m, type, d, len);
}

static uint16_t rand_attr_type(void)
{
	switch (rn(10)) {
	case 0: return 0;
	case 1: return rn(0x8000);
	case 2: return 7 + rn(10);
	default: return 1 + rn(6);
	}
}

/* a plausible request: real devices, real tenants, right types */
static void valid_msg(struct mb *m, uint32_t seq)
{
	static const int cmds[] = {
		P2PFENCE_CMD_DEV_ASSIGN, P2PFENCE_CMD_DEV_RELEASE,
		P2PFENCE_CMD_DEV_GET, P2PFENCE_CMD_TENANT_GET, P2PFENCE_CMD_APPLY,
		P2PFENCE_CMD_AUDIT, P2PFENCE_CMD_MODE_GET, P2PFENCE_CMD_MODE_SET,
	};
	int cmd = cmds[rn(8)], i, k;
	uint16_t flags = NLM_F_REQUEST | NLM_F_ACK;
	struct pdev *p = npdev ? &pdevs[rn(npdev)] : NULL;

	if ((cmd == P2PFENCE_CMD_DEV_GET || cmd == P2PFENCE_CMD_TENANT_GET) && rn(2))
		flags |= NLM_F_DUMP;
	mb_hdr(m, fam_id, flags, seq, cmd);
	switch (cmd) {
	case P2PFENCE_CMD_DEV_ASSIGN:
	case P2PFENCE_CMD_DEV_RELEASE:
	case P2PFENCE_CMD_DEV_GET:
		mb_u32(m, P2PFENCE_A_DEV_DOMAIN, p ? p->dom : 0);
		mb_u16(m, P2PFENCE_A_DEV_BDF, p ? p->bdf : rnd());
		if (cmd == P2PFENCE_CMD_DEV_ASSIGN)
			mb_u32(m, P2PFENCE_A_DEV_TENANT, 1 + rn(4));
		break;
	case P2PFENCE_CMD_TENANT_GET:
		mb_u32(m, P2PFENCE_A_DEV_TENANT, 1 + rn(4));
		break;
	case P2PFENCE_CMD_APPLY:
		k = rn(4);
		for (i = 0; i < k && npdev; i++) {
			p = &pdevs[rn(npdev)];
			mb_nest_start(m, P2PFENCE_A_DEV_DEV);
			mb_u32(m, P2PFENCE_A_DEV_DOMAIN, p->dom);
			mb_u16(m, P2PFENCE_A_DEV_BDF, p->bdf);
			mb_u32(m, P2PFENCE_A_DEV_TENANT, 1 + rn(4));
			mb_nest_end(m);
		}
		break;
	case P2PFENCE_CMD_MODE_SET:
		mb_u32(m, P2PFENCE_A_MODE_MODE, rn(3));
		break;
	}
}

static void mutate(struct mb *m)
{
	size_t body = NLMSG_HDRLEN;
	int k = 1 + rn(3);

	while (k--) {
		size_t pos;

		switch (rn(8)) {
		case 0: /* flip a bit past the nlmsghdr */
			if (m->len > body) {
				pos = body + rn(m->len - body);
				m->b[pos] ^= 1 << rn(8);
			}
			break;
		case 1: /* random byte */
			if (m->len > body)
				m->b[body + rn(m->len - body)] = rnd();
			break;
		case 2: /* truncate the tail (attribute cut in half) */
			if (m->len > body + GENL_HDRLEN)
				m->len -= 1 + rn(m->len - body - GENL_HDRLEN);
			break;
		case 3: /* garbage appended */
			rand_payload(m, rand_attr_type(), 0);
			break;
		case 4: { /* repeat the first attribute */
			struct nlattr *a = (void *)(m->b + NLMSG_HDRLEN + GENL_HDRLEN);

			if (m->len >= NLMSG_HDRLEN + GENL_HDRLEN + NLA_HDRLEN &&
			    a->nla_len >= NLA_HDRLEN &&
			    NLMSG_HDRLEN + GENL_HDRLEN + a->nla_len <= m->len) {
				unsigned char c[512];
				size_t l = NLA_ALIGN(a->nla_len);

				if (l <= sizeof(c) && NLMSG_HDRLEN + GENL_HDRLEN + l <= m->len) {
					memcpy(c, a, l);
					mb_put(m, c, l);
				}
			}
			break;
		}
		case 5: /* nla_len of the first attribute */
			if (m->len >= NLMSG_HDRLEN + GENL_HDRLEN + NLA_HDRLEN) {
				uint16_t *l = (void *)(m->b + NLMSG_HDRLEN + GENL_HDRLEN);
				static const uint16_t v[] = { 0, 1, 3, 4, 5, 7, 0xffff };

				*l = rn(2) ? v[rn(7)] : *l + (int)rn(9) - 4;
			}
			break;
		case 6: /* cmd */
			m->b[NLMSG_HDRLEN] = rn(2) ? rn(12) : rnd();
			break;
		default: /* genl version / reserved */
			if (rn(2))
				m->b[NLMSG_HDRLEN + 1] = rnd();
			else
				m->b[NLMSG_HDRLEN + 2 + rn(2)] = rnd();
			break;
		}
	}
}

static int cmd_known(int cmd, int dump)
{
	if (dump)
		return cmd == P2PFENCE_CMD_DEV_GET || cmd == P2PFENCE_CMD_TENANT_GET;
	return cmd >= P2PFENCE_CMD_DEV_ASSIGN && cmd <= P2PFENCE_CMD_MODE_SET;
}

/* build one message at m (seq given); kind chosen at random; last: may be
 * malformed at the nlmsghdr level */
static void gen_msg(struct mb *m, uint32_t seq, int last)
{
	int r = rn(100), i, k;
	uint16_t flags;

	if (r < 35) {
		flags = NLM_F_REQUEST | NLM_F_ACK;
		if (!rn(5))
			flags |= 1 << rn(16);
		mb_hdr(m, fam_id, flags, seq, rn(4) ? rn(12) : rnd());
		if (!rn(10))
			m->b[NLMSG_HDRLEN + 1] = rnd();
		if (!rn(20))
			m->b[NLMSG_HDRLEN + 2 + rn(2)] = rnd();
		k = rn(9);
		for (i = 0; i < k; i++)
			rand_payload(m, rand_attr_type(), 0);
	} else if (r < 75) {
		valid_msg(m, seq);
		mutate(m);
	} else if (r < 88) {
		valid_msg(m, seq);	/* semantically random, well formed */
	} else if (r < 94 && last) {
		/* header level garbage */
		mb_hdr(m, fam_id, NLM_F_REQUEST | (rn(2) ? NLM_F_ACK : 0), seq, rn(12));
		switch (rn(5)) {
		case 0: /* genl header cut */
			m->len = NLMSG_HDRLEN + rn(GENL_HDRLEN);
			break;
		case 1: /* another (nonexistent) family, or a control type */
			((struct nlmsghdr *)m->b)->nlmsg_type =
				rn(2) ? 0xf000 + rn(0xfff) : rn(NLMSG_MIN_TYPE);
			break;
		case 2: /* no NLM_F_REQUEST */
			((struct nlmsghdr *)m->b)->nlmsg_flags = NLM_F_ACK;
			break;
		case 3: /* nlmsg_len lies (shorter than a header, or longer) */
			mb_finish(m);
			((struct nlmsghdr *)m->b)->nlmsg_len = rn(2) ? rn(NLMSG_HDRLEN) :
				m->len + 1 + rn(1000);
			return;
		default: /* no ack wanted */
			((struct nlmsghdr *)m->b)->nlmsg_flags = NLM_F_REQUEST;
			for (i = 0; i < 3; i++)
				rand_payload(m, rand_attr_type(), 0);
			break;
		}
	} else {
		/* dumps with garbage */
		flags = NLM_F_REQUEST | NLM_F_ACK | (rn(4) ? NLM_F_DUMP : NLM_F_ROOT);
		mb_hdr(m, fam_id, flags, seq, rn(3) ? P2PFENCE_CMD_DEV_GET + rn(2) : rn(12));
		k = rn(4);
		for (i = 0; i < k; i++)
			rand_payload(m, rand_attr_type(), 0);
	}
	mb_finish(m);
}

static void classify(const struct mb *m, struct meta *mt, int last)
{
	const struct nlmsghdr *h = (const void *)m->b;
	const struct genlmsghdr *g = (const void *)(m->b + NLMSG_HDRLEN);
	int dump;

	mt->seq = h->nlmsg_seq;
	mt->len = m->len;
	mt->valid_len = h->nlmsg_len >= NLMSG_HDRLEN && h->nlmsg_len <= m->len;
	(void)last;
	dump = (h->nlmsg_flags & NLM_F_DUMP) == NLM_F_DUMP;
	mt->cmd = h->nlmsg_len >= NLMSG_HDRLEN + GENL_HDRLEN ? g->cmd : -1;
	mt->core = h->nlmsg_type != fam_id || h->nlmsg_len < NLMSG_HDRLEN + GENL_HDRLEN ||
		   !(h->nlmsg_flags & NLM_F_REQUEST) || !cmd_known(mt->cmd, dump);
	mt->expect_term = mt->valid_len && (h->nlmsg_flags & NLM_F_ACK ||
		(h->nlmsg_flags & NLM_F_REQUEST && h->nlmsg_type == fam_id && dump));
	if (!(h->nlmsg_flags & NLM_F_REQUEST) || h->nlmsg_type < NLMSG_MIN_TYPE)
		mt->expect_term = mt->valid_len && (h->nlmsg_flags & NLM_F_ACK);
	mt->mutating = h->nlmsg_type == fam_id && !dump && !mt->core &&
		(mt->cmd == P2PFENCE_CMD_DEV_ASSIGN || mt->cmd == P2PFENCE_CMD_DEV_RELEASE ||
		 mt->cmd == P2PFENCE_CMD_APPLY || mt->cmd == P2PFENCE_CMD_MODE_SET);
	mt->got_term = mt->got_err = 0;
}

struct fstats {
	unsigned long sent, sends, replies, data, acks, errors, dones;
	unsigned long ext_msg, ext_miss, ext_none_core, ext_none_family;
	unsigned long invalid, missing, accepted_mut, rebaselines, checks;
	unsigned long state_diffs, send_err, bad_offs, dup_term;
	unsigned long err_by[135];
};

static int fuzz_fail;

static void bad(const char *what, const struct nlmsghdr *h)
{
	fuzz_fail = 1;
	printf("# invalid reply: %s (type %u len %u flags %#x seq %u)\n", what,
	       h->nlmsg_type, h->nlmsg_len, h->nlmsg_flags, h->nlmsg_seq);
}

/*
 * The state now against @base: a difference is a failure (rejected
 * messages changed something), shown, and becomes the new baseline.
 */
static void check_state(struct nl *n, struct snap *base, struct snap *cur,
			struct fstats *st, unsigned long i)
{
	st->checks++;
	if (snapshot(n, cur)) {
		fuzz_fail = 1;
	} else if (strcmp(cur->buf, base->buf)) {
		st->state_diffs++;
		fuzz_fail = 1;
		printf("# state changed by rejected messages (before message %lu):\n", i);
		print_diff(base->buf, cur->buf);
		snapshot(n, base);
	}
}

static int cmd_fuzz(int argc, char **argv)
{
	unsigned long count = 20000, every = 1000, i;
	uint64_t seed = (uint64_t)time(NULL);
	struct nl n;
	struct snap base = { 0 }, cur = { 0 };
	struct owners init_owners;
	int init_mode = -1, c, e;
	struct fstats st = { 0 };
	struct mb *mbs = malloc(3 * sizeof(struct mb));
	unsigned char *sb = malloc(3 * MAXMSG + 64);
	struct meta mt[4];
	time_t t0 = time(NULL);
	int strict = 1, dirty = 0;

	while ((c = getopt(argc, argv, "n:s:c:vq")) != -1) {
		switch (c) {
		case 'q': strict = 0; break;
		case 'n': count = strtoul(optarg, NULL, 0); break;
		case 's': seed = strtoull(optarg, NULL, 0); break;
		case 'c': every = strtoul(optarg, NULL, 0); break;
		case 'v': verbose++; break;
		default: die("usage: nlfuzz fuzz [-n COUNT] [-s SEED] [-c EVERY] [-q] [-v]");
		}
	}
	if (!every)
		every = 1000;
	rng_s = seed * 0x9e3779b97f4a7c15ULL + 1;
	open_resolved(&n);
	scan_pci();
	printf("# nlfuzz: family %s id %d, monitor group %d, %d PCI functions, seed %llu, %lu messages\n",
	       P2PFENCE_FAMILY_NAME, fam_id, mon_grp, npdev,
	       (unsigned long long)seed, count);
	if (get_owners(&n, &init_owners))
		die("dev-get dump failed: %s", last_ext);
	if (do_simple(&n, P2PFENCE_CMD_MODE_GET, mode_cb, &init_mode))
		die("mode-get failed: %s", last_ext);
	if (snapshot(&n, &base))
		return 2;
	{
		struct snap s0 = { 0 };

		snapshot(&n, &s0);
		if (strcmp(s0.buf, base.buf)) {
			printf("# state is not stable without any request:\n");
			print_diff(base.buf, s0.buf);
			return 1;
		}
		free(s0.buf);
	}

	for (i = 0; i < count;) {
		int nm = rn(10) ? 1 : 2 + rn(2), j, need_sync = 0, rebase = 0;
		size_t off = 0;

		if (nm > (int)(count - i))
			nm = count - i;
		for (j = 0; j < nm; j++) {
			gen_msg(&mbs[j], ++n.seq, j == nm - 1);
			classify(&mbs[j], &mt[j], j == nm - 1);
			/* only the last of a batch may start a dump */
			if (j < nm - 1 && (((struct nlmsghdr *)mbs[j].b)->nlmsg_flags & NLM_F_DUMP) == NLM_F_DUMP) {
				((struct nlmsghdr *)mbs[j].b)->nlmsg_flags &= ~NLM_F_DUMP;
				classify(&mbs[j], &mt[j], 0);
			}
			memcpy(sb + off, mbs[j].b, mbs[j].len);
			off += NLMSG_ALIGN(mbs[j].len);
			if (!mt[j].expect_term)
				need_sync = 1;
		}
		/*
		 * strict: before a batch that may be accepted and change the
		 * state, compare with the baseline, so that no rejected message
		 * hides behind the re-baseline that follows an accepted one
		 */
		for (j = 0; strict && dirty && j < nm; j++) {
			if (!mt[j].mutating)
				continue;
			check_state(&n, &base, &cur, &st, i);
			dirty = 0;
			break;
		}
		st.sent += nm;
		st.sends++;
		i += nm;
		if ((e = nl_send(&n, sb, off))) {
			st.send_err++;
			if (verbose)
				printf("# send: %s\n", strerror(-e));
			continue;
		}
		if (need_sync) {
			struct nlmsghdr s = { .nlmsg_len = NLMSG_HDRLEN, .nlmsg_type = NLMSG_NOOP,
					      .nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK,
					      .nlmsg_seq = ++n.seq };

			mt[nm].seq = s.nlmsg_seq;
			mt[nm].expect_term = 1;
			mt[nm].got_term = 0;
			mt[nm].valid_len = 1;
			mt[nm].core = 1;
			mt[nm].mutating = 0;
			mt[nm].len = NLMSG_HDRLEN;
			if ((e = nl_send(&n, &s, sizeof(s))))
				die("sync send: %s", strerror(-e));
		}
		/* read until every expected terminal reply arrived */
		for (;;) {
			int pending = 0, k;
			ssize_t len;
			struct nlmsghdr *h;

			for (k = 0; k < nm + need_sync; k++)
				if (mt[k].expect_term && !mt[k].got_term)
					pending = 1;
			if (!pending)
				break;
			len = recv(n.fd, n.rbuf, BUFSZ, 0);
			if (len < 0) {
				if (errno == EINTR)
					continue;
				printf("# recv after message %lu: %s\n", i, strerror(errno));
				for (k = 0; k < nm; k++)
					printf("#   pending seq %u cmd %d len %u\n", mt[k].seq, mt[k].cmd, mt[k].len);
				st.missing++;
				fuzz_fail = 1;
				if (errno == EAGAIN)
					goto out;
				break;
			}
			for (h = (struct nlmsghdr *)n.rbuf; len > 0; h = NLMSG_NEXT(h, len)) {
				struct meta *w = NULL;

				if (!NLMSG_OK(h, len)) {
					bad("truncated netlink header in a reply", h);
					break;
				}
				st.replies++;
				for (k = 0; k < nm + need_sync; k++)
					if (mt[k].seq == h->nlmsg_seq)
						w = &mt[k];
				if (!w) {
					bad("unknown sequence number", h);
					continue;
				}
				if (h->nlmsg_pid != n.pid && h->nlmsg_pid != 0)
					bad("wrong port id", h);
				if (h->nlmsg_type == NLMSG_ERROR || h->nlmsg_type == NLMSG_DONE) {
					int err, hm, hmi, bo;

					if (h->nlmsg_len < NLMSG_HDRLEN + (h->nlmsg_type == NLMSG_ERROR ?
							sizeof(struct nlmsgerr) : sizeof(int))) {
						bad("short error/done", h);
						continue;
					}
					if (w->got_term) {
						st.dup_term++;
						bad("second terminal reply", h);
					}
					w->got_term = 1;
					err = *(int *)NLMSG_DATA(h);
					if (h->nlmsg_type == NLMSG_DONE)
						st.dones++;
					if (err > 0 || err < -4095) {
						bad("error out of range", h);
						continue;
					}
					if (!err) {
						if (h->nlmsg_type == NLMSG_ERROR)
							st.acks++;
						if (w->mutating)
							rebase = 1;
						continue;
					}
					st.errors++;
					w->got_err = 1;
					st.err_by[-err < 134 ? -err : 134]++;
					parse_extack(h, &hm, &hmi, &bo, w->len);
					if (bo) {
						st.bad_offs++;
						bad("extack offset past the request", h);
					}
					if (hm)
						st.ext_msg++;
					else if (hmi)
						st.ext_miss++;
					else if (w->core || err == -EPERM)
						st.ext_none_core++;
					else {
						st.ext_none_family++;
						fuzz_fail = 1;
						if (st.ext_none_family <= 10)
							printf("# error %d (%s) without extack: cmd %d flags %#x len %u\n",
							       err, strerror(-err), w->cmd,
							       ((struct nlmsghdr *)mbs[w - mt < nm ? w - mt : 0].b)->nlmsg_flags,
							       w->len);
					}
					if (verbose > 1)
						printf("# seq %u cmd %d: %s: %s\n", w->seq, w->cmd,
						       strerror(-err), last_ext);
					continue;
				}
				/* data */
				st.data++;
				if (h->nlmsg_type != fam_id) {
					bad("data message of another type", h);
					continue;
				}
				if (h->nlmsg_len < NLMSG_HDRLEN + GENL_HDRLEN) {
					bad("short genl reply", h);
					continue;
				}
				{
					struct genlmsghdr *g = NLMSG_DATA(h);

					if (g->cmd < 1 || g->cmd > P2PFENCE_CMD_MAX)
						bad("reply with unknown command", h);
					if (!attrs_wellformed((unsigned char *)g + GENL_HDRLEN,
							      h->nlmsg_len - NLMSG_HDRLEN - GENL_HDRLEN,
							      0))
						bad("malformed attributes in a reply", h);
				}
			}
		}
		/* an accepted mutation without any terminal (no ACK flag) */
		for (int k = 0; k < nm; k++)
			if (mt[k].mutating && !mt[k].got_err)
				rebase = 1;
		dirty = 1;
		if (rebase) {
			st.accepted_mut++;
			st.rebaselines++;
			snapshot(&n, &base);
			dirty = 0;
		} else if (i / every != (i - nm) / every || i >= count) {
			dirty = 0;
			check_state(&n, &base, &cur, &st, i);
		}
		if (verbose && i % 10000 < (unsigned long)nm)
			printf("# %lu sent, %lu errors, %lus\n", st.sent, st.errors,
			       (unsigned long)(time(NULL) - t0));
	}
out:
	/* restore the owner table and mode, then compare with the start */
	e = restore(&n, &init_owners, init_mode);
	{
		struct owners fin;
		int same = !get_owners(&n, &fin) && fin.n == init_owners.n, k;

		for (k = 0; same && k < fin.n; k++)
			same = fin.e[k].tenant == init_owners.e[k].tenant &&
			       fin.e[k].bdf == init_owners.e[k].bdf;
		printf("%s nlfuzz: owner table and mode restored\n", same && !e ? "ok" : "not ok");
		if (!same || e)
			fuzz_fail = 1;
	}
	printf("# nlfuzz figures: %lu messages sent in %lu sends, %lus; %lu replies (%lu data, %lu acks, %lu errors, %lu dumps done)\n",
	       st.sent, st.sends, (unsigned long)(time(NULL) - t0), st.replies,
	       st.data, st.acks, st.errors, st.dones);
	printf("# errors by errno:");
	for (c = 1; c < 135; c++)
		if (st.err_by[c])
			printf(" %s=%lu", c < 134 ? strerrorname_np(c) ?: "?" : "other", st.err_by[c]);
	printf("\n# extack: text %lu, missing-attr only %lu, none from the genl core/EPERM %lu, none from the family %lu; text present in %.1f%% of errors (%.1f%% of family-level errors)\n",
	       st.ext_msg, st.ext_miss, st.ext_none_core, st.ext_none_family,
	       st.errors ? 100.0 * st.ext_msg / st.errors : 0.0,
	       st.errors - st.ext_none_core ?
	       100.0 * (st.ext_msg) / (st.errors - st.ext_none_core) : 0.0);
	printf("# state: %lu checks, %lu accepted state-changing requests (re-baselined), state diffs %lu; invalid replies %s, missing replies %lu, send errors %lu\n",
	       st.checks, st.accepted_mut, st.state_diffs, fuzz_fail ? "see above" : "0",
	       st.missing, st.send_err);
	printf("NLFUZZ sent=%lu errors=%lu extack_pct=%.1f state_diffs=%lu missing=%lu noext=%lu\n",
	       st.sent, st.errors, st.errors ? 100.0 * (st.ext_msg + st.ext_miss) / st.errors : 0.0,
	       st.state_diffs, st.missing, st.ext_none_family);
	printf("%s nlfuzz: %lu messages, replies valid, rejected messages changed nothing\n",
	       fuzz_fail ? "not ok" : "ok", st.sent);
	return fuzz_fail ? 1 : 0;
}

/* ---------- small commands ---------- */
static void print_dev_cb(struct nlmsghdr *h, void *ctx)
{
	struct nlattr *a;
	uint32_t dom = 0, tenant = 0, fenced = 0, nv = 0;
	uint16_t bdf = 0;

	(void)ctx;
	for_each_attr(a, (unsigned char *)NLMSG_DATA(h) + GENL_HDRLEN,
		      h->nlmsg_len - NLMSG_HDRLEN - GENL_HDRLEN) {
		switch (a->nla_type & NLA_TYPE_MASK) {
		case P2PFENCE_A_DEV_DOMAIN: dom = nla_u32v(a); break;
		case P2PFENCE_A_DEV_BDF: bdf = nla_u32v(a); break;
		case P2PFENCE_A_DEV_TENANT: tenant = nla_u32v(a); break;
		case P2PFENCE_A_DEV_FENCED: fenced = nla_u32v(a); break;
		case P2PFENCE_A_DEV_VERDICT: nv++; break;
		}
	}
	printf("%s tenant %u fenced %u verdicts %u\n", devname(dom, bdf), tenant, fenced, nv);
}

static void print_raw_cb(struct nlmsghdr *h, void *ctx)
{
	(void)ctx;
	snap_cb(h, stdout);
}

static int report(int r, const char *what)
{
	if (r) {
		printf("%s: %s (%d): %s\n", what, strerror(-r), -r, last_ext);
		return r == -EBUSY || r == -EXDEV ? 1 : 3;
	}
	return 0;
}

struct audit_res {
	int isolated;
	uint32_t vdev[256];
	int nv;
};

static void audit_cb(struct nlmsghdr *h, void *ctx)
{
	struct audit_res *ar = ctx;
	struct nlattr *a, *b;

	for_each_attr(a, (unsigned char *)NLMSG_DATA(h) + GENL_HDRLEN,
		      h->nlmsg_len - NLMSG_HDRLEN - GENL_HDRLEN) {
		int t = a->nla_type & NLA_TYPE_MASK;

		if (t == P2PFENCE_A_AUDIT_ISOLATED)
			ar->isolated = nla_u32v(a);
		if (t != P2PFENCE_A_AUDIT_VERDICT)
			continue;
		for_each_attr(b, nla_data(a), (size_t)nla_dlen(a)) {
			if ((b->nla_type & NLA_TYPE_MASK) == P2PFENCE_A_VERDICT_DEV &&
			    ar->nv < 256)
				ar->vdev[ar->nv++] = nla_u32v(b);
		}
	}
}

/* the path from a device up to its root port: sysfs parent directories */
static int path_ok(const char *name, char *why, size_t wl)
{
	char q[PATH_MAX], p[PATH_MAX], *s;
	int bad = 0;

	snprintf(q, sizeof(q), "/sys/bus/pci/devices/%s", name);
	if (!realpath(q, p))
		return 1;
	while ((s = strrchr(p, '/')) && s > p) {
		struct pdev d = { 0 };
		int ctl;

		*s = 0;
		s = strrchr(p, '/');
		if (!s || parse_dev(s + 1, &d.dom, &d.bdf))
			break;
		snprintf(d.name, sizeof(d.name), "%.31s", s + 1);
		{
			unsigned char cfg[4096];
			int rr = read_cfg(d.name, cfg, sizeof(cfg));

			d.acs = rr > 0 ? find_acs(cfg, rr) : 0;
		}
		ctl = acs_ctrl(&d);
		if (ctl >= 0 && ((ctl & 0x1d) != 0x1d || (ctl & 0x40))) {
			snprintf(why, wl, "%s ACS ctrl %#x", d.name, ctl);
			bad = 1;
		}
	}
	return !bad;
}

static int cmd_verify(struct nl *n)
{
	struct owners o;
	struct audit_res ar = { .isolated = -1 };
	int r, i, j, fails = 0, ten = 0;

	r = get_owners(n, &o);
	if (r)
		return report(r, "dev-get dump");
	r = do_simple(n, P2PFENCE_CMD_AUDIT, audit_cb, &ar);
	if (r)
		return report(r, "audit");
	for (i = 0; i < o.n; i++) {
		uint32_t id = o.e[i].dom << 16 | o.e[i].bdf;
		int has_v = 0;
		char why[128] = "";

		if (!o.e[i].tenant)
			continue;
		ten++;
		for (j = 0; j < ar.nv; j++)
			if (ar.vdev[j] == id)
				has_v = 1;
		if (o.e[i].fenced && has_v) {
			printf("# %s: reported fenced but audit has a verdict for it\n",
			       devname(o.e[i].dom, o.e[i].bdf));
			fails++;
		}
		if (o.e[i].fenced && !path_ok(devname(o.e[i].dom, o.e[i].bdf), why, sizeof(why))) {
			printf("# %s: reported fenced but %s\n", devname(o.e[i].dom, o.e[i].bdf), why);
			fails++;
		}
		if (!o.e[i].fenced && !has_v) {
			printf("# %s: tenant %u, not fenced, and audit names no verdict\n",
			       devname(o.e[i].dom, o.e[i].bdf), o.e[i].tenant);
			fails++;
		}
	}
	if (ar.isolated == 1 && ar.nv) {
		printf("# audit says isolated but lists %d verdicts\n", ar.nv);
		fails++;
	}
	printf("verify: %d tenant devices, audit isolated=%d verdicts=%d, %d inconsistencies\n",
	       ten, ar.isolated, ar.nv, fails);
	return fails ? 1 : 0;
}

static int cmd_churn(struct nl *n, int argc, char **argv)
{
	unsigned long count = 500, i, by[135] = { 0 }, noext = 0, ok = 0;
	uint32_t tenant = 1;
	uint64_t seed = getpid();
	uint32_t dom[64];
	uint16_t bdf[64];
	int nd = 0, c, r;
	time_t t0 = time(NULL);

	while ((c = getopt(argc, argv, "n:t:s:")) != -1) {
		switch (c) {
		case 'n': count = strtoul(optarg, NULL, 0); break;
		case 't': tenant = strtoul(optarg, NULL, 0); break;
		case 's': seed = strtoull(optarg, NULL, 0); break;
		default: die("usage: nlfuzz churn -n N -t TENANT DEV...");
		}
	}
	for (; optind < argc && nd < 64; optind++)
		if (!parse_dev(argv[optind], &dom[nd], &bdf[nd]))
			nd++;
	if (!nd)
		die("churn: no devices");
	rng_s = seed * 0x9e3779b97f4a7c15ULL + 7;
	for (i = 0; i < count; i++) {
		int k = rn(nd), cmd = rn(2) ? P2PFENCE_CMD_DEV_ASSIGN : P2PFENCE_CMD_DEV_RELEASE;

		r = dev_op(n, cmd, dom[k], bdf[k], cmd == P2PFENCE_CMD_DEV_ASSIGN ? tenant : 0,
			   NULL, NULL);
		if (!r) {
			ok++;
			continue;
		}
		by[-r < 134 ? -r : 134]++;
		if (!last_ext[0] && last_miss < 0)
			noext++;
		if (r != -EBUSY && r != -EXDEV && r != -ENODEV && r != -EINVAL && r != -ENOENT)
			printf("# churn: unexpected %s on %s: %s\n", strerror(-r),
			       devname(dom[k], bdf[k]), last_ext);
	}
	printf("# churn tenant %u: %lu ops in %lus, %lu ok", tenant, count,
	       (unsigned long)(time(NULL) - t0), ok);
	for (c = 1; c < 135; c++)
		if (by[c])
			printf(", %s %lu", strerrorname_np(c) ?: "?", by[c]);
	printf(", %lu errors without extack\n", noext);
	for (c = 1; c < 134; c++)
		if (by[c] && c != EBUSY && c != EXDEV && c != ENODEV && c != EINVAL && c != ENOENT)
			return 1;
	return noext || by[134] ? 1 : 0;
}

static int cmd_perm(void)
{
	struct nl n;
	int r, fails = 0, cmd, dump;
	struct mb m;

	r = nl_open(&n);
	if (r)
		die("netlink socket: %s", strerror(-r));
	r = resolve(&n);
	if (r || fam_id < 0) {
		printf("perm: family %s not visible here (%s): nothing reachable\n",
		       P2PFENCE_FAMILY_NAME, strerror(r ? -r : ENOENT));
		return 0;
	}
	scan_pci();
	for (cmd = P2PFENCE_CMD_DEV_ASSIGN; cmd <= P2PFENCE_CMD_MODE_SET; cmd++) {
		for (dump = 0; dump < 2; dump++) {
			int got_data = 0;

			if (dump && !cmd_known(cmd, 1))
				continue;
			mb_hdr(&m, fam_id, dump ? NLM_F_DUMP : 0, 0, cmd);
			if (!dump && (cmd <= P2PFENCE_CMD_DEV_GET)) {
				mb_u32(&m, P2PFENCE_A_DEV_DOMAIN, npdev ? pdevs[npdev - 1].dom : 0);
				mb_u16(&m, P2PFENCE_A_DEV_BDF, npdev ? pdevs[npdev - 1].bdf : 0x100);
			}
			if (cmd == P2PFENCE_CMD_DEV_ASSIGN || cmd == P2PFENCE_CMD_TENANT_GET)
				mb_u32(&m, P2PFENCE_A_DEV_TENANT, 1);
			if (cmd == P2PFENCE_CMD_MODE_SET)
				mb_u32(&m, P2PFENCE_A_MODE_MODE, 0);
			r = nl_call(&n, &m, NULL, NULL);
			(void)got_data;
			printf("%s perm: cmd %d %s -> %s\n", r == -EPERM ? "ok" : "not ok",
			       cmd, dump ? "dump" : "do", r ? strerror(-r) : "accepted");
			if (r != -EPERM)
				fails++;
		}
	}
	if (mon_grp >= 0) {
		r = setsockopt(n.fd, SOL_NETLINK, NETLINK_ADD_MEMBERSHIP, &mon_grp, sizeof(mon_grp));
		printf("perm: join monitor (group %d) -> %s\n", mon_grp, r ? strerror(errno) : "joined");
		printf("PERM_MONITOR %s\n", r ? "refused" : "joined");
	}
	printf("PERM_OPS %s\n", fails ? "some-accepted" : "all-eperm");
	return fails ? 1 : 0;
}

static int cmd_monitor(int secs)
{
	struct nl n;
	unsigned long ev = 0;
	time_t end = time(NULL) + secs;
	struct timeval tv = { .tv_sec = 1 };

	open_resolved(&n);
	if (mon_grp < 0)
		die("no monitor group");
	if (setsockopt(n.fd, SOL_NETLINK, NETLINK_ADD_MEMBERSHIP, &mon_grp, sizeof(mon_grp))) {
		printf("MONITOR join refused: %s\n", strerror(errno));
		return 1;
	}
	printf("MONITOR joined\n");
	fflush(stdout);
	setsockopt(n.fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	while (time(NULL) < end) {
		ssize_t len = recv(n.fd, n.rbuf, BUFSZ, 0);
		struct nlmsghdr *h;

		if (len <= 0)
			continue;
		for (h = (struct nlmsghdr *)n.rbuf; NLMSG_OK(h, len); h = NLMSG_NEXT(h, len))
			if (h->nlmsg_type == fam_id)
				ev++;
	}
	printf("MONITOR events %lu\n", ev);
	return 0;
}

static int write_file(const char *p, const char *s)
{
	int fd = open(p, O_WRONLY | O_CLOEXEC), r;

	if (fd < 0)
		return -1;
	r = write(fd, s, strlen(s)) == (ssize_t)strlen(s) ? 0 : -1;
	close(fd);
	return r;
}

static int cmd_userns(int argc, char **argv)
{
	int c, netns = 0;
	long uid = -1;
	uid_t ou = getuid();
	gid_t og = getgid();
	char b[64];

	while ((c = getopt(argc, argv, "+nu:")) != -1) {
		switch (c) {
		case 'n': netns = 1; break;
		case 'u': uid = strtol(optarg, NULL, 0); break;
		default: die("usage: nlfuzz userns [-n] [-u UID] -- CMD...");
		}
	}
	if (optind >= argc)
		die("userns: no command");
	if (uid >= 0) {
		if (setgroups(0, NULL) || setresgid(uid, uid, uid) || setresuid(uid, uid, uid))
			die("setuid %ld: %s", uid, strerror(errno));
	} else {
		if (unshare(CLONE_NEWUSER | (netns ? CLONE_NEWNET : 0)))
			die("unshare: %s", strerror(errno));
		write_file("/proc/self/setgroups", "deny");
		snprintf(b, sizeof(b), "0 %u 1", ou);
		if (write_file("/proc/self/uid_map", b))
			die("uid_map: %s", strerror(errno));
		snprintf(b, sizeof(b), "0 %u 1", og);
		if (write_file("/proc/self/gid_map", b))
			die("gid_map: %s", strerror(errno));
	}
	execvp(argv[optind], argv + optind);
	die("exec %s: %s", argv[optind], strerror(errno));
	return 2;
}

int main(int argc, char **argv)
{
	struct nl n;
	uint32_t dom;
	uint16_t bdf;
	const char *c;

	setvbuf(stdout, NULL, _IOLBF, 0);
	if (argc < 2)
		die("usage: nlfuzz fuzz|assign|release|get|dump|tenants|mode|audit|verify|churn|perm|monitor-listen|userns ...");
	c = argv[1];
	argc--;
	argv++;
	if (!strcmp(c, "fuzz"))
		return cmd_fuzz(argc, argv);
	if (!strcmp(c, "userns"))
		return cmd_userns(argc, argv);
	if (!strcmp(c, "perm"))
		return cmd_perm();
	if (!strcmp(c, "monitor-listen"))
		return cmd_monitor(argc > 1 ? atoi(argv[1]) : 5);
	open_resolved(&n);
	if (!strcmp(c, "churn"))
		return cmd_churn(&n, argc, argv);
	if (!strcmp(c, "verify")) {
		scan_pci();
		return cmd_verify(&n);
	}
	if (!strcmp(c, "dump"))
		return report(do_dump(&n, P2PFENCE_CMD_DEV_GET, print_dev_cb, NULL), "dev-get dump");
	if (!strcmp(c, "tenants"))
		return report(do_dump(&n, P2PFENCE_CMD_TENANT_GET, print_raw_cb, NULL), "tenant-get dump");
	if (!strcmp(c, "audit")) {
		struct audit_res ar = { .isolated = -1 };
		int r = do_simple(&n, P2PFENCE_CMD_AUDIT, audit_cb, &ar);

		if (!r)
			printf("isolated %d verdicts %d\n", ar.isolated, ar.nv);
		return report(r, "audit");
	}
	if (!strcmp(c, "mode")) {
		int mode = -1;

		if (argc > 1)
			return report(mode_set(&n, strcmp(argv[1], "audit") ? 0 : 1), "mode-set");
		if (report(do_simple(&n, P2PFENCE_CMD_MODE_GET, mode_cb, &mode), "mode-get"))
			return 3;
		printf("%s\n", mode ? "audit" : "enforce");
		return 0;
	}
	if (argc < 2 || parse_dev(argv[1], &dom, &bdf))
		die("%s: need a device", c);
	if (!strcmp(c, "assign")) {
		if (argc < 3)
			die("assign DEV TENANT");
		return report(dev_op(&n, P2PFENCE_CMD_DEV_ASSIGN, dom, bdf,
				     strtoul(argv[2], NULL, 0), print_dev_cb, NULL), "assign");
	}
	if (!strcmp(c, "release"))
		return report(dev_op(&n, P2PFENCE_CMD_DEV_RELEASE, dom, bdf, 0, NULL, NULL),
			      "release");
	if (!strcmp(c, "get"))
		return report(dev_op(&n, P2PFENCE_CMD_DEV_GET, dom, bdf, 0, print_dev_cb, NULL),
			      "dev-get");
	die("unknown command %s", c);
	return 2;
}
