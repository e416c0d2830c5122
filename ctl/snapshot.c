// SPDX-License-Identifier: GPL-2.0
/*
 * snapshot.c - `snapshot [--sysfs ROOT] DIR`: copy what `check` reads (and
 * what `lspci -A linux-sysfs` needs to decode it) out of ROOT (/sys), with
 * the same layout and the same relative links, so that
 * `check --sysfs DIR` elsewhere gives the answer `check` gives here. The
 * kernel's command line and release go to DIR/proc/cmdline and
 * DIR/proc/sys/kernel/osrelease: check reads the boot-time ACS policy from
 * there (bootacs.h).
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "bootacs.h"
#include "cmds.h"
#include "pcicfg.h"
#include "sysfs.h"
#include "util.h"

/* per function: check reads config and reset_method; lspci reads the rest
 * (all but config optional) */
static const char *const dev_files[] = {
	"config", "reset_method", "class", "vendor", "device", "subsystem_vendor",
	"subsystem_device", "revision", "irq", "resource", "numa_node", "label",
};

static int mkdir_p(const char *path)
{
	char tmp[PATH_MAX];
	char *p;

	if (snprintf(tmp, sizeof(tmp), "%s", path) >= (int)sizeof(tmp))
		return -ENAMETOOLONG;
	for (p = tmp + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(tmp, 0755) < 0 && errno != EEXIST)
			return -errno;
		*p = '/';
	}
	if (mkdir(tmp, 0755) < 0 && errno != EEXIST)
		return -errno;
	return 0;
}

/* copy one small file; -ENOENT passes through for optional files */
static int copy_file(const char *from, const char *to)
{
	char buf[CFG_SPACE_EXP];
	long len;
	int fd, ret = 0;

	len = read_file(from, buf, sizeof(buf));
	if (len < 0)
		return (int)len;
	fd = open(to, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0) {
		ret = -errno;
		err_msg("%s: %s", to, strerror(errno));
		return ret;
	}
	if (write(fd, buf, (size_t)len) != len) {
		ret = -EIO;
		err_msg("%s: short write", to);
	}
	if (close(fd) < 0 && !ret) {
		ret = -errno;
		err_msg("%s: %s", to, strerror(errno));
	}
	return ret;
}

/* ROOT's machine's /proc/@name (bootacs_proc_of()) as DIR/proc/@name, if it has one */
static int snap_proc(const char *root, const char *dir, const char *name)
{
	char from[PATH_MAX], to[PATH_MAX], d[PATH_MAX];
	int ret;

	if (bootacs_proc_of(root, name, from, sizeof(from)))
		return 0;
	ret = pathf(to, sizeof(to), "%s/proc/%s", dir, name);
	if (!ret)
		ret = pathf(d, sizeof(d), "%.*s", (int)(strrchr(to, '/') - to), to);
	if (!ret)
		ret = mkdir_p(d);
	if (!ret)
		ret = copy_file(from, to);
	if (ret)
		err_msg("%s: %s", from, strerror(-ret));
	return ret;
}

/* recreate the link @name in @rel (relative to the roots) with the same target */
static int copy_link(const char *root, const char *dir, const char *rel, const char *name,
		     char *tgt, size_t tlen)
{
	char from[PATH_MAX], to[PATH_MAX];
	ssize_t r;

	pathf(from, sizeof(from), "%s/%s/%s", root, rel, name);
	r = readlink(from, tgt, tlen - 1);
	if (r < 0)
		return -errno;
	tgt[r] = '\0';
	pathf(to, sizeof(to), "%s/%s/%s", dir, rel, name);
	if (symlink(tgt, to) < 0) {
		err_msg("%s: %s", to, strerror(errno));
		return -EIO;
	}
	return 0;
}

/* how snap_link_dir() treats a link that is missing or goes elsewhere */
enum link_need {
	LINK_REQUIRED,		/* every failure is reported */
	LINK_OPTIONAL,		/* a missing link is not (-ENOENT, silently) */
	LINK_BEST_EFFORT,	/* nothing is reported */
};

/*
 * Copy the link @name in @rel and create, in @dir, the directory it points
 * to, which must be @prefix followed by a path (by one name when @leaf).
 * That directory, relative to the roots, in @res.
 */
static int snap_link_dir(const char *root, const char *dir, const char *rel, const char *name,
			 const char *prefix, bool leaf, enum link_need need, char *res,
			 size_t rlen)
{
	char to[PATH_MAX], tgt[PATH_MAX];
	size_t n = strlen(prefix);
	bool quiet = need == LINK_BEST_EFFORT;
	int ret;

	ret = copy_link(root, dir, rel, name, tgt, sizeof(tgt));
	if (ret) {
		if (!quiet && !(ret == -ENOENT && need == LINK_OPTIONAL))
			err_msg("%s/%s/%s: %s", root, rel, name, strerror(-ret));
		return ret;
	}
	if (path_resolve(rel, tgt, res, rlen) || strncmp(res, prefix, n) ||
	    (leaf && strchr(res + n, '/'))) {
		if (!quiet)
			err_msg("%s/%s/%s: link target '%s' is not %s%s%s", root, rel, name, tgt,
				leaf ? "" : "under ", prefix, leaf ? "N" : "");
		return -EINVAL;
	}
	ret = pathf(to, sizeof(to), "%s/%s", dir, res);
	if (!ret)
		ret = mkdir_p(to);
	if (ret && !quiet)
		err_msg("%s: %s", to, strerror(-ret));
	return ret;
}

static int snap_dev(const char *root, const char *dir, const char *name)
{
	char path[PATH_MAX], to[PATH_MAX], rel[PATH_MAX], grel[PATH_MAX];
	struct stat st;
	size_t i;
	int ret;

	ret = snap_link_dir(root, dir, "bus/pci/devices", name, "devices/", false,
			    LINK_REQUIRED, rel, sizeof(rel));
	if (ret)
		return ret;
	/* an unprivileged read of config stops at 64 bytes: refuse that */
	pathf(path, sizeof(path), "%s/%s/config", root, rel);
	if (!stat(path, &st) && st.st_size > CFG_HDR) {
		char buf[CFG_SPACE];
		long got = read_file(path, buf, sizeof(buf));

		if (got >= 0 && got < CFG_SPACE && got < st.st_size) {
			err_msg("%s: only %ld of %lld bytes readable (snapshot needs root)", path, got,
				(long long)st.st_size);
			return -EACCES;
		}
	}
	for (i = 0; i < sizeof(dev_files) / sizeof(dev_files[0]); i++) {
		pathf(path, sizeof(path), "%s/%s/%s", root, rel, dev_files[i]);
		pathf(to, sizeof(to), "%s/%s/%s", dir, rel, dev_files[i]);
		ret = copy_file(path, to);
		if (ret == -ENOENT && i > 0)
			continue;
		if (ret) {
			err_msg("%s: %s", path, strerror(-ret));
			return ret;
		}
	}
	/* lspci names the driver after this link, and wants its target to
	 * exist: an empty bus/pci/drivers/NAME directory */
	snap_link_dir(root, dir, rel, "driver", "bus/pci/drivers/", true, LINK_BEST_EFFORT,
		      grel, sizeof(grel));
	ret = snap_link_dir(root, dir, rel, "iommu_group", "kernel/iommu_groups/", true,
			    LINK_OPTIONAL, grel, sizeof(grel));
	if (ret)
		return ret == -ENOENT ? 0 : ret;
	pathf(path, sizeof(path), "%s/%s/type", root, grel);
	pathf(to, sizeof(to), "%s/%s/type", dir, grel);
	ret = copy_file(path, to);
	if (ret == -EEXIST)
		ret = 0;
	if (ret)
		err_msg("%s: %s", path, strerror(-ret));
	return ret;
}

int cmd_snapshot(struct ctl *c, int argc, char **argv)
{
	const char *root = "/sys", *dir = NULL;
	char path[PATH_MAX];
	struct dirent *de;
	DIR *d = NULL;
	unsigned int n = 0, bad = 0;
	int i, ret, rc = EXIT_USAGE;

	(void)c;
	for (i = 1; i < argc; i++) {
		if (is_help(argv[i])) {
			usage_for("snapshot", 0);
			return EXIT_OK;
		}
		if (!strcmp(argv[i], "--sysfs")) {
			if (++i >= argc || !*argv[i])
				return usage_err("snapshot", "snapshot: --sysfs needs a directory");
			root = argv[i];
		} else if (argv[i][0] == '-') {
			return usage_err("snapshot", "snapshot: unknown option '%s'", argv[i]);
		} else if (dir) {
			return usage_err("snapshot", "snapshot: one DIR only");
		} else {
			dir = argv[i];
		}
	}
	if (!dir || !*dir)
		return usage_err("snapshot", "snapshot: missing DIR");
	/* never mix a snapshot into existing files */
	d = opendir(dir);
	if (d) {
		while ((de = readdir(d)))
			if (strcmp(de->d_name, ".") && strcmp(de->d_name, "..")) {
				err_msg("snapshot: %s exists and is not empty", dir);
				goto out;
			}
		closedir(d);
		d = NULL;
	}
	pathf(path, sizeof(path), "%s/bus/pci/devices", dir);
	ret = mkdir_p(path);
	if (ret) {
		err_msg("%s: %s", path, strerror(-ret));
		goto out;
	}
	pathf(path, sizeof(path), "%s/bus/pci/devices", root);
	d = opendir(path);
	if (!d) {
		err_msg("%s: %s", path, strerror(errno));
		goto out;
	}
	while ((de = readdir(d))) {
		if (de->d_name[0] == '.')
			continue;
		if (snap_dev(root, dir, de->d_name))
			bad++;
		else
			n++;
	}
	closedir(d);
	d = NULL;
	/* lspci's "Physical Slot": bus/pci/slots/NAME/address */
	pathf(path, sizeof(path), "%s/bus/pci/slots", root);
	d = opendir(path);
	while (d && (de = readdir(d))) {
		char from[PATH_MAX], to[PATH_MAX];

		if (de->d_name[0] == '.')
			continue;
		if (pathf(from, sizeof(from), "%s/bus/pci/slots/%s/address", root, de->d_name) ||
		    pathf(to, sizeof(to), "%s/bus/pci/slots/%s", dir, de->d_name) ||
		    mkdir_p(to) ||
		    pathf(to, sizeof(to), "%s/bus/pci/slots/%s/address", dir, de->d_name) ||
		    copy_file(from, to)) {
			err_msg("%s: cannot copy", from);
			bad++;
		}
	}
	/* the boot-time ACS policy, and the kernel that applied it */
	bad += snap_proc(root, dir, "cmdline") != 0;
	bad += snap_proc(root, dir, "sys/kernel/osrelease") != 0;
	if (bad) {
		err_msg("snapshot: %u file%s could not be copied", bad, bad == 1 ? "" : "s");
		goto out;
	}
	fprintf(stderr, "snapshot of %u PCI function%s written to %s\n", n, n == 1 ? "" : "s", dir);
	rc = EXIT_OK;
out:
	if (d)
		closedir(d);
	return rc;
}
