/* SPDX-License-Identifier: GPL-2.0 */
/*
 * topology.h - live PCI as the engine's model, and how ids are written.
 */
#ifndef _P2PFENCE_TOPOLOGY_H
#define _P2PFENCE_TOPOLOGY_H

#include <linux/types.h>

#include "fence_model.h"

/* verdicts kept per computation; more are counted, not stored */
#define P2PF_MAX_VERDICTS	1024

/* an absent device in events and verdicts */
#define P2PF_NO_ID		U64_MAX

/**
 * struct p2pf_rst - how a device could be reset for a hand-over, as the
 * snapshot saw it
 * @method: the first of the kernel's reset methods for the function
 *	(pci_dev->reset_methods[0], enum p2pfence_reset_method), 0: none
 * @flags: P2PF_RST_*
 * @vfio: bound to vfio-pci (or a variant driver) when the snapshot was taken
 */
struct p2pf_rst {
	u8 method;
	u8 flags;
	bool vfio;
};

#define P2PF_RST_BUS	0x01	/* no method; shares a bus (or slot) that can be reset */
#define P2PF_RST_DRV_UNKNOWN 0x02	/* its driver could not be read (device locked) */

/**
 * struct p2pf_topo - one snapshot of live PCI, and the engine's answers
 * @n: nodes
 * @nodes: parents before children (the engine's rule)
 * @acs_pos: [n] ACS capability offset, 0: none
 * @rst: [n] hand-over reset capabilities (devices; zero for fabric)
 * @vdid: [n] vendor << 16 | device (P2PF_QUIRK_ID()), for the quirk opt-in
 * @byid: [n] node indexes in id order (dumps)
 * @owner: [n] the owner array the engine was last given
 * @need: [n] ACS control bits needed, from the engine
 * @v: verdict buffer of P2PF_MAX_VERDICTS
 * @nv: verdicts found (may exceed the buffer)
 * @mem: engine context memory
 * @ctx: the engine
 */
struct p2pf_topo {
	u32 n;
	struct fm_node *nodes;
	u16 *acs_pos;
	struct p2pf_rst *rst;
	u32 *vdid;
	u32 *byid;
	u32 *owner;
	u16 *need;
	struct fm_verdict *v;
	u32 nv;
	void *mem;
	struct fm_ctx *ctx;
};

int p2pf_topo_build(struct p2pf_topo *t);
int p2pf_topo_init(struct p2pf_topo *t, const struct fm_node *nodes, u32 n);
void p2pf_topo_free(struct p2pf_topo *t);
void p2pf_topo_trust(struct p2pf_topo *t, const u32 *trusted, u32 n);
bool p2pf_topo_stored(const struct p2pf_topo *t);
u32 p2pf_topo_nv(const struct p2pf_topo *t);
u64 p2pf_topo_id(const struct p2pf_topo *t, s32 idx);
bool p2pf_topo_below(const struct p2pf_topo *t, s32 j, s32 b);
bool p2pf_vfio_driver(const char *name);

/* An id as userspace writes it, "DDDD:BB:DD.F": printk("%s", p2pf_ids(id).s) */
struct p2pf_idstr {
	char s[18];	/* up to "ffffffff:ff:1f.7" */
};

struct p2pf_idstr p2pf_ids(u64 id);

#endif /* _P2PFENCE_TOPOLOGY_H */
