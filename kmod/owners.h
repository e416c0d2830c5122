/* SPDX-License-Identifier: GPL-2.0 */
/*
 * owners.h - the BDF -> tenant table, tenant names, and what is
 * remembered of each device across owners (the hand-over history). The
 * caller serialises every call (the core's lock, fence.c).
 */
#ifndef _P2PFENCE_OWNERS_H
#define _P2PFENCE_OWNERS_H

#include <linux/time64.h>
#include <linux/types.h>
#include <linux/p2pfence.h>

struct p2pf_topo;

struct p2pf_owner {
	u64 id;		/* FM_ID() */
	u32 tenant;	/* >= 1 */
};

struct p2pf_owners {
	u32 n;
	struct p2pf_owner e[];	/* sorted by id, ids unique */
};

/* dirty: state of more than one tenant may be on the device */
#define P2PF_HIST_MANY	U32_MAX

/**
 * struct p2pf_hist - what the core remembers of a device across owners
 * @last: the tenant that held it last, kept across release (0: none)
 * @dirty: a tenant whose state may still be on it (0: reset since;
 *	P2PF_HIST_MANY: several, after a hand-over without a reset)
 * @reset_for: the tenant its last hand-over reset was for (0: never reset)
 * @method: how that reset was done (enum p2pfence_reset_method)
 * @unreset: its current owner took it from another tenant without a reset
 * @reset_time: when (CLOCK_REALTIME seconds)
 */
struct p2pf_hist {
	u32 last;
	u32 dirty;
	u32 reset_for;
	u8 method;
	bool unreset;
	time64_t reset_time;
};

const struct p2pf_owners *p2pf_owners_cur(void);
u32 p2pf_owner_of(const struct p2pf_owners *o, u64 id);
struct p2pf_owners *p2pf_owners_with(const struct p2pf_owners *o, u64 id,
				     u32 tenant);
struct p2pf_owners *p2pf_owners_alloc(u32 n);
int p2pf_owners_sort(struct p2pf_owners *o, u64 *dup);
void p2pf_owners_commit(struct p2pf_owners *o);
void p2pf_owners_fill(const struct p2pf_owners *o, const struct p2pf_topo *t,
		      u32 *owner);
void p2pf_owners_exit(void);

const struct p2pf_hist *p2pf_hist_of(u64 id);
int p2pf_hist_reserve(u64 id);
void p2pf_hist_set(u64 id, const struct p2pf_hist *h);
void p2pf_hist_unreserve(u64 id);
void p2pf_hist_forget_absent(const struct p2pf_topo *t);
bool p2pf_hist_any(void);
void p2pf_hist_exit(void);

/**
 * struct p2pf_tname - a named tenant
 * @id: its id (P2PFENCE_TENANT_NAMED_MIN and up)
 * @name: its name, NUL-terminated
 */
struct p2pf_tname {
	u32 id;
	char name[P2PFENCE_TENANT_NAME_MAX + 1];
};

/* A tenant as messages write it, its name or its id: p2pf_tenant_str(id).s */
struct p2pf_tstr {
	char s[P2PFENCE_TENANT_NAME_MAX + 1];
};

const char *p2pf_tenant_name_ok(const char *s);
int p2pf_tenant_lookup(const char *name, bool create, u32 *id);
const char *p2pf_tenant_name(u32 id);
struct p2pf_tstr p2pf_tenant_str(u32 id);
void p2pf_tenants_gc(void);
struct p2pf_tname *p2pf_tenants_copy(u32 *n);
const char *p2pf_tenants_find(const struct p2pf_tname *c, u32 n, u32 id);
void p2pf_tenants_exit(void);

/*
 * The tenants whose ATS is trusted: the same-tenant GPUDirect opt-in
 * (fence_model.h, struct fm_policy). Set explicitly (tenant-set, apply) and
 * kept until cleared, whether the tenant owns devices or not; a named
 * tenant in it keeps its name.
 */
#define P2PF_TRUST_MAX	4096

struct p2pf_trust {
	u32 n;
	u32 *v;		/* sorted, unique */
};

const struct p2pf_trust *p2pf_trust_cur(void);
bool p2pf_trust_has(const struct p2pf_trust *set, u32 tenant);
int p2pf_trust_with(const struct p2pf_trust *set, u32 tenant, bool on,
		    struct p2pf_trust *out);
int p2pf_trust_sort(struct p2pf_trust *set);
void p2pf_trust_free(struct p2pf_trust *set);
void p2pf_trust_commit(struct p2pf_trust *set);
int p2pf_trust_copy(struct p2pf_trust *out);
void p2pf_trust_exit(void);

#endif /* _P2PFENCE_OWNERS_H */
