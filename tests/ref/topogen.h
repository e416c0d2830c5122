/* SPDX-License-Identifier: GPL-2.0 */
/*
 * topogen.h - seeded random PCI topologies and owner tables for p2pfence's
 * differential tests and benchmarks. Deterministic for a seed, in the kernel
 * and in userspace alike (own PRNG, no libc rand).
 */
#ifndef _P2PFENCE_TOPOGEN_H
#define _P2PFENCE_TOPOGEN_H

#include "fence_model.h"

struct tg_rng {
	unsigned long long s;
};

void tg_seed(struct tg_rng *r, unsigned long long seed);
unsigned long long tg_next(struct tg_rng *r);
/* uniform in [0, n) (n > 0) */
u32 tg_below(struct tg_rng *r, u32 n);
/* true with probability pct/100 */
bool tg_pct(struct tg_rng *r, u32 pct);

struct tg_topo {
	struct fm_node *nodes;
	u32 *owner;	/* owner[i]; 0 = host; always 0 on fabric */
	u32 n;
	u32 cap;
	bool allow_ats;	/* policy to test with ... */
	u32 n_ats_tenants;
	u32 ats_tenants[4];	/* ... sorted: tenants whose ATS is accepted */
	s32 *scratch;	/* 3 * cap, the generator's own */
};

/* the policy to test @t with (pointing into @t): a compound literal */
#define TG_POL(t) (&(struct fm_policy){ .allow_ats = (t)->allow_ats, \
	.n_ats_tenants = (t)->n_ats_tenants, .ats_tenants = (t)->ats_tenants })

/* allocate room for @cap nodes; 0 or -ENOMEM */
int tg_alloc(struct tg_topo *t, u32 cap);
void tg_free(struct tg_topo *t);

/*
 * tg_random() - a random topology of at most t->cap nodes for @seed: root
 * buses in one or two PCI domains (the second sometimes above 0xffff, its
 * low 16 bits equal to the first's), sometimes one or two VMD domains
 * (0x10000 up) behind a device of the rest (fm_node.dma_dev), their owners
 * the VMD endpoint's or split; root ports with and without ACS and with
 * random capability/control words (DT, EC, EC programmed by the fence);
 * nested switches; PCIe-to-PCI and conventional bridges with devices;
 * multifunction devices with and without ACS; RC integrated endpoints; ATS;
 * IOMMU groups formed the way Linux would from what the kernel believes
 * (FM_NODE_KISOL), sometimes deliberately wrong (shared groups, identity
 * domains, devices without a group), and a random owner table with several
 * tenants and many host devices. Nodes come in a random topological order.
 */
void tg_random(struct tg_topo *t, unsigned long long seed);

/*
 * tg_host() - a realistic host of about @endpoints endpoints: root ports,
 * each with a switch of several downstream ports, endpoints (some with a
 * second function) below; PCI domains are added as buses run out. ACS on
 * every root port and most switches; Linux-like groups; @tenants tenants
 * own about a quarter of the devices, the host the rest. t->cap must be
 * >= tg_host_nodes(@endpoints).
 */
u32 tg_host_nodes(u32 endpoints);
void tg_host(struct tg_topo *t, u32 endpoints, u32 tenants, unsigned long long seed);

/* tg_node_str() - one line describing node @i, for reproductions */
int tg_node_str(const struct tg_topo *t, u32 i, char *buf, size_t len);
const char *tg_type_name(u8 type);

#endif /* _P2PFENCE_TOPOGEN_H */
