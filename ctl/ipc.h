/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ipc.h - typed calls to the p2pfence module: each builds its request,
 * runs it over a struct pf_nl (nl.c) and returns what the kernel said as
 * structs; the commands print those (one print path for text and -j).
 * Every call returns 0 or -errno; on -errno the caller reports it with
 * pf_nl_report() (the kernel's extack text included).
 */
#ifndef P2PFENCECTL_IPC_H
#define P2PFENCECTL_IPC_H

#include <stdbool.h>
#include <stdint.h>

#include "nl.h"
#include "util.h"
#include "verdict.h"

struct owners;
struct boot_override;

struct pf_verdicts {
	unsigned int n, cap;
	struct pf_verdict *v;
};

/* one device as the module reports it */
struct pf_dev {
	uint64_t id;		/* FM_ID */
	uint32_t tenant;	/* 0: the host */
	char tenant_name[TENANT_NAME_SIZE];	/* "" when it has none */
	bool fenced;
	bool has_last_tenant;	/* a tenant held it since the module was loaded */
	uint32_t last_tenant;
	char last_tenant_name[TENANT_NAME_SIZE];
	bool has_reset;		/* it was reset for a hand-over: */
	uint64_t reset_time;	/* ... when (CLOCK_REALTIME seconds) */
	uint32_t reset_method;	/* ... how: enum p2pfence_reset_method, 0 unknown */
	uint32_t reset_tenant;	/* ... for which tenant, 0 unknown */
	char reset_tenant_name[TENANT_NAME_SIZE];
	bool unreset;		/* its owner took it from another tenant without a reset */
	bool vfio;		/* bound to vfio-pci (or a variant driver) */
	struct pf_verdicts v;	/* the verdicts concerning it */
	struct boot_override *boot;	/* where the fence holds its path against the
					 * boot policy (bootctx_overrides(); not the
					 * kernel's), nboot of them */
	unsigned int nboot;
};

struct pf_devs {
	unsigned int n, cap;
	struct pf_dev *d;
};

struct pf_tenant {
	uint32_t tenant;
	char name[TENANT_NAME_SIZE];	/* "" when it has none */
	bool trust_ats;			/* its ATS is trusted (GPUDirect opt-in) */
	struct pf_devs devs;
};

struct pf_tenants {
	unsigned int n, cap;
	struct pf_tenant *t;
};

struct pf_audit {
	bool isolated;
	uint32_t repaired;	/* registers the audit rewrote */
	struct pf_verdicts v;	/* what remains */
	uint64_t *vfio;		/* host-owned devices on vfio-pci, assigned to no tenant */
	unsigned int nvfio, vfio_cap;
};

/* one event of the monitor group */
struct pf_event {
	uint32_t event;		/* enum p2pfence_event */
	bool has_dev, has_tenant;
	uint64_t dev;		/* FM_ID */
	uint32_t tenant;
	char tenant_name[TENANT_NAME_SIZE];	/* "" when it has none */
	const char *comm;	/* points into the message; NULL when absent */
	bool has_last_tenant, has_reset_method;	/* handover-reset: */
	uint32_t last_tenant;	/* ... the tenant that held the device */
	char last_tenant_name[TENANT_NAME_SIZE];
	uint32_t reset_method;	/* ... how it was reset (enum p2pfence_reset_method) */
	bool has_trust, trust_ats;	/* trust-changed: trusted now */
	bool has_quirk, trusted;	/* quirk-trust: the vendor:device, trusted or withdrawn */
	uint32_t quirk;
	struct pf_verdicts v;	/* the well-formed verdicts it carries */
};

/* the quirk-trust set (vendor << 16 | device each), ascending */
struct pf_quirks {
	uint32_t q[P2PFENCE_QUIRK_TRUST_MAX];
	unsigned int n;
};

#define PF_ALL_DEVS	UINT64_MAX

/*
 * A tenant goes to the module as P2PFENCE_A_DEV_TENANT (an id) or
 * P2PFENCE_A_DEV_TENANT_NAME (a name), never both.
 * @accept_no_reset: take it from another tenant without a reset if need be
 */
int pf_dev_assign(struct pf_nl *nl, const uint64_t *ids, unsigned int n,
		  const struct pf_tenant_ref *tenant, bool accept_no_reset, struct pf_devs *out);
/* @tenant NULL: unconditional; else another tenant's device refuses it all */
int pf_dev_release(struct pf_nl *nl, const uint64_t *ids, unsigned int n,
		   const struct pf_tenant_ref *tenant, struct pf_devs *out);
int pf_dev_get(struct pf_nl *nl, uint64_t id, struct pf_devs *out);
/* @tenant NULL: every tenant that owns something (a dump) */
int pf_tenant_get(struct pf_nl *nl, const struct pf_tenant_ref *tenant, struct pf_tenants *out);
/* set or clear @tenant's ATS trust; *@now: as the module has it after */
int pf_tenant_set(struct pf_nl *nl, const struct pf_tenant_ref *tenant, bool trust_ats,
		  bool *now, struct pf_verdicts *out);
int pf_apply(struct pf_nl *nl, const struct owners *o, struct pf_verdicts *out);
int pf_audit(struct pf_nl *nl, struct pf_audit *out);
int pf_mode(struct pf_nl *nl, bool set, uint32_t *mode);
/*
 * pf_quirk() - the quirk-trust set into @out; with @set, changed first:
 * @trusted 1 add @q[0], 0 remove it, -1 make the set equal @q (n of them).
 */
int pf_quirk(struct pf_nl *nl, bool set, const uint32_t *q, unsigned int n, int trusted,
	     struct pf_quirks *out);

/*
 * The requests of the calls above, built but not sent (the unit tests read
 * them): the devices, the tenant (NULL: none) and the flag as
 * pf_dev_assign() / pf_dev_release() / pf_dev_get() take them; a
 * tenant-get (NULL: a dump); an apply of @o. NULL when out of memory.
 */
struct nl_msg *pf_dev_msg(struct pf_nl *nl, uint8_t cmd, int flags, const uint64_t *ids,
			  unsigned int n, const struct pf_tenant_ref *tenant, bool accept_no_reset);
struct nl_msg *pf_tenant_msg(struct pf_nl *nl, const struct pf_tenant_ref *tenant);
struct nl_msg *pf_apply_msg(struct pf_nl *nl, const struct owners *o);

/*
 * The parsers of the replies (the valid callbacks of the calls above): a
 * dev message (one device, or a dev entry per device) appended to the
 * struct pf_devs at @out; a tenant message to the struct pf_tenants at
 * @out. A malformed attribute (a tenant name included) is said on stderr.
 * Return: NL_OK; -EPROTO, -ENOMEM.
 */
int pf_devs_reply(struct nl_msg *msg, void *out);
int pf_tenants_reply(struct nl_msg *msg, void *out);

/*
 * pf_event_parse() - a message from the monitor group into @ev (its
 * verdicts: pf_verdicts_free()). Return: 0; 1 when it is not an event;
 * -EPROTO when malformed, -ENOMEM.
 */
int pf_event_parse(struct nl_msg *msg, struct pf_event *ev);

void pf_verdicts_free(struct pf_verdicts *v);
void pf_devs_free(struct pf_devs *d);
void pf_tenants_free(struct pf_tenants *t);

#endif
