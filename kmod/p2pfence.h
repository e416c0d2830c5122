/* SPDX-License-Identifier: GPL-2.0 */
/*
 * p2pfence.h - what the parts of p2pfence.ko share (not uapi).
 *
 * Lock order: p2pf_lock, then pci_lock_rescan_remove(). Every transaction
 * (and every dump step) holds both while it reads the topology, decides
 * and writes, so the devices it models cannot come or go under it. Code
 * that already runs under the rescan lock (a PCI bus notifier) must not take
 * p2pf_lock synchronously: defer to a work item.
 */
#ifndef _P2PFENCE_H
#define _P2PFENCE_H

#include <linux/mutex.h>
#include <linux/types.h>

#include "fence_model.h"

struct netlink_ext_ack;

/* main.c: module state, all under p2pf_lock except the parameters' reads */
extern struct mutex p2pf_lock;
extern unsigned int p2pf_mode;		/* enum p2pfence_mode */
extern bool p2pf_allow_ats;

/* topology.c: live PCI -> engine model */
struct p2pf_topo {
	u32 n;
	struct fm_node *nodes;	/* parents before children (engine rule) */
	u16 *acs_pos;		/* [n] ACS capability offset, 0: none */
	u32 *byid;		/* [n] node indexes in id order (dumps) */
	u32 *owner;		/* [n] owner table the engine was last given */
	u16 *need;		/* [n] ACS control bits needed, from the engine */
	struct fm_verdict *v;	/* verdict buffer of P2PF_MAX_VERDICTS */
	u32 nv;			/* verdicts found (may exceed the buffer) */
	void *mem;		/* engine context memory */
	struct fm_ctx *ctx;
};

/* verdicts kept per computation; more are counted, not stored */
#define P2PF_MAX_VERDICTS	1024

int p2pf_topo_build(struct p2pf_topo *t);
void p2pf_topo_free(struct p2pf_topo *t);
bool p2pf_topo_stored(const struct p2pf_topo *t);

/* owners.c: the BDF -> tenant table */
struct p2pf_owner {
	u32 id;		/* FM_ID() */
	u32 tenant;	/* >= 1 */
};

struct p2pf_owners {
	u32 n;
	struct p2pf_owner e[];	/* sorted by id, ids unique */
};

const struct p2pf_owners *p2pf_owners_cur(void);
u32 p2pf_owner_of(const struct p2pf_owners *o, u32 id);
struct p2pf_owners *p2pf_owners_with(const struct p2pf_owners *o, u32 id,
				     u32 tenant);
struct p2pf_owners *p2pf_owners_alloc(u32 n);
int p2pf_owners_sort(struct p2pf_owners *o, u32 *dup);
void p2pf_owners_commit(struct p2pf_owners *o);
void p2pf_owners_fill(const struct p2pf_owners *o, const struct p2pf_topo *t,
		      u32 *owner);
void p2pf_owners_exit(void);

/* enforce.c: programs ACS control bits, with rollback */
struct p2pf_write {
	u32 id;
	u16 pos;
	u16 old;
	u16 val;
};

struct p2pf_wlog {
	u32 n;
	u32 cap;
	struct p2pf_write *w;
};

int p2pf_enforce(const struct p2pf_topo *t, const u16 *need,
		 struct p2pf_wlog *log, struct netlink_ext_ack *extack);
void p2pf_enforce_rollback(struct p2pf_wlog *log);
u32 p2pf_repair(const struct p2pf_topo *t, const u16 *need,
		struct p2pf_wlog *log, u8 *failed);
u32 p2pf_verdicts_repaired(const struct p2pf_topo *t, u32 nv, const u8 *failed,
			   struct fm_verdict *out);
u32 p2pf_verdicts_left(const struct p2pf_topo *t, u32 nv, bool enforce,
		       const u8 *failed, struct fm_verdict *out);
void p2pf_wlog_free(struct p2pf_wlog *log);
u16 p2pf_ctrl_wanted(u16 ctrl, u16 need, u8 flags);

/* an absent device in events and verdicts */
#define P2PF_NO_ID	U32_MAX

/* netlink.c / nl-family.c */
int p2pf_nl_register(void);
void p2pf_nl_unregister(void);
void p2pf_event(const struct p2pf_topo *t, u32 event, u32 id, u32 tenant,
		const struct fm_verdict *v, u32 nv);
void p2pf_event_write_blocked(u32 id, const char *comm);

/* watch.c: hotplug notifier, periodic audit, guard sync, unload pin */
int p2pf_watch_init(void);
void p2pf_watch_exit(void);
void p2pf_watch_sync(struct p2pf_topo *t);
void p2pf_watch_kick(void);
void p2pf_watch_recheck(const char *why);
void p2pf_set_mode(u32 mode);

/* An id as userspace writes it, "DDDD:BB:DD.F": printk("%s", p2pf_ids(id).s) */
struct p2pf_idstr {
	char s[16];
};

struct p2pf_idstr p2pf_ids(u32 id);

#endif /* _P2PFENCE_H */
