/* SPDX-License-Identifier: GPL-2.0 */
#ifndef P2PFENCECTL_LSPCI_H
#define P2PFENCECTL_LSPCI_H

#include <stddef.h>
#include "sysfs.h"

/* the largest dump or group listing read (4096 functions of -xxxx: ~55 MB) */
#define LSPCI_MAX_BYTES (256u << 20)

/*
 * lspci_read() - read an `lspci -xxxx` dump (- for standard input) and,
 * when @groups is not NULL, the machine's IOMMU groups (the output of
 * `find /sys/kernel/iommu_groups/ -type l`, optionally with the
 * .../iommu_groups/N/type:TYPE lines of `grep -H`) into @t, the model
 * topo_read() builds from sysfs: topo_build() makes the nodes of both.
 *
 * The hierarchy comes from the bridges' secondary and subordinate bus
 * numbers in the dump. Every malformed line is reported as FILE:LINE and
 * nothing is returned; what the dump cannot show (extended config space
 * of a -xxx dump, groups without --groups, domain types, reset methods) is
 * said on stderr as a warning, and taken the way the sysfs reader takes
 * the same bytes (ACS/ATS absent, no IOMMU group).
 *
 * Return: 0, or -errno (then @t is freed).
 */
int lspci_read(const char *dump, const char *groups, struct topo *t);

/* the same on buffers (@gbuf NULL: no group listing); the fuzzer's entry */
int lspci_parse(const char *dname, const char *dbuf, size_t dlen,
		const char *gname, const char *gbuf, size_t glen, struct topo *t);

#endif
