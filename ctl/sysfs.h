/* SPDX-License-Identifier: GPL-2.0 */
#ifndef P2PFENCECTL_SYSFS_H
#define P2PFENCECTL_SYSFS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "fence_model.h"
#include "pcicfg.h"

/* one PCI function found under ROOT/bus/pci/devices, or in an lspci dump */
struct sdev {
	uint64_t id;		/* FM_ID */
	char *rel;		/* sysfs: its directory relative to ROOT: devices/pci0000:00/... */
	unsigned int line;	/* lspci: the line of its header in the dump */
	int depth;		/* PCI functions on the path, itself included */
	uint64_t parent_id;	/* FM_ID of the function above, if has_parent */
	int has_parent;
	uint64_t dma_id;	/* sysfs: the function whose directory holds its root bus
				 * (pciDDDD:BB): a VMD endpoint, whose requester id its
				 * DMA carries (pci_real_dma_dev()), if has_dma */
	bool has_dma;
	struct pcicfg cfg;
	int32_t group;		/* IOMMU group or -1 */
	uint8_t domain;		/* enum fm_domain */
	char *reset_methods;	/* its reset_method, names as in the netlink spec ("af-flr"),
				 * one space between; NULL: absent or empty (none) */
	bool unseen;		/* lspci: capabilities the machine has were left out of the
				 * dump (-x, -xxx): no FM_NODE_KISOL is inferred for it, the
				 * registers the inference weighs the groups against unseen */
};

/* a sysfs tree, or an lspci dump (ctl/lspci.h), read into the engine's model */
struct topo {
	char *root;		/* sysfs: ROOT; NULL for a dump */
	char *dump;		/* lspci: the dump's file name; NULL for sysfs */
	struct sdev *d;		/* sorted: parents before children */
	struct fm_node *nodes;	/* nodes[i] describes d[i] */
	uint32_t n;
};

/*
 * topo_read() - read ROOT (laid out like /sys) into @t.
 * Every problem is reported on stderr naming the path; reading goes on so
 * all of them are seen. Return: 0, or the first -errno (then @t is freed).
 */
int topo_read(const char *root, struct topo *t);
void topo_free(struct topo *t);

/*
 * topo_build() - the engine's nodes from the functions read into @t->d
 * (id, depth, has_parent/parent_id, cfg, group, domain): sorted parents
 * first, duplicates refused, parents linked, each function classified,
 * its flags set and FM_NODE_KISOL inferred from the groups. Both readers
 * (sysfs, lspci) end here, so the engine sees the same model from the same
 * bytes. Problems are reported on stderr naming the function's directory
 * or dump line (-ENOMEM is not: the caller says it). Return: 0 or -errno
 * (@t is left for the caller to free).
 */
int topo_build(struct topo *t);

/*
 * sysfs_config() - read and parse the config file at @path (pcicfg_parse()).
 * Return: 0, or -errno with the reason in @why; nothing is printed.
 */
int sysfs_config(const char *path, struct pcicfg *c, char *why, size_t whylen);

/*
 * sysfs_chain() - where function @id sits in ROOT's sysfs: its directory
 * relative to ROOT into @rel, and into @chain its FM_ID then those of the
 * functions whose directories hold it (the bridges above it, up to the root
 * bus), *@depth of them (at most @max: -E2BIG). Nothing is printed.
 * Return: 0 or -errno (-ENOENT: no such function).
 */
int sysfs_chain(const char *root, uint64_t id, uint64_t *chain, unsigned int max,
		unsigned int *depth, char *rel, size_t rlen);

/* lexical normalization of DIR/LINK (both relative to the tree root):
 * -EINVAL when it is absolute or leaves the root */
int path_resolve(const char *dir, const char *link, char *out, size_t len);

/* map a group's `type` file contents to enum fm_domain; -EINVAL if unknown */
int domain_from_type(const char *s, uint8_t *dom);

/* the engine's node type for a parsed function */
uint8_t fm_type_of(const struct pcicfg *c, int on_root_bus);

#endif
