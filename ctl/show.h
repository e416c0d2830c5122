/* SPDX-License-Identifier: GPL-2.0 */
/*
 * show.h - the printers of what the module reports (ipc.h structs): a
 * device (dev assign/release/show) and an event (monitor). In the library,
 * so the unit tests drive them without a kernel.
 */
#ifndef P2PFENCECTL_SHOW_H
#define P2PFENCECTL_SHOW_H

#include <stdint.h>
#include "ipc.h"

struct bootctx;

/* "YYYY-MM-DDTHH:MM:SSZ" (UTC) of CLOCK_REALTIME seconds into @buf (>= 32 bytes) */
char *fmt_utc(uint64_t secs, char *buf);

/* the name of an enum p2pfence_reset_method as in the spec ("af-flr");
 * "method-N" in @buf (>= 24 bytes) for an unknown one */
const char *reset_method_name(unsigned int method, char *buf);

/*
 * A tenant field: JSON "@key": id and, only when the tenant has a name
 * (@name not NULL or ""), "@key_name": "name" after it; text @fmt (a %s;
 * NULL prints nothing) with the name, or the id when it has none.
 */
void tenant_field_print(const char *key, const char *fmt, uint32_t id, const char *name);

/*
 * One device as an object: text
 *   0000:41:00.0 tenant 7 fenced unreset last tenant 3 reset flr at 2026-11-27T10:00:00Z for tenant 7
 * (each part after "fenced" only when the kernel sent it; a named tenant
 * by its name), below it, indented, where the fence holds its path against
 * the boot policy, then its verdicts
 *   0000:40:01.0: relaxed at boot by disable_acs_redir=0000:40:01.0, overridden by the fence: set RR CR
 * JSON {dev, tenant, tenant_name, fenced, vfio, unreset, last_tenant,
 * last_tenant_name, reset_method, reset_time, reset_tenant,
 * reset_tenant_name, boot_overrides: [{at, boot_policy, overridden[]}],
 * violations}, null for what is absent, the *_name keys only for a named
 * tenant.
 */
void pf_dev_print(const struct pf_dev *d);

/*
 * One tenant and its devices as a line (text)
 *   tenant 7: 0000:41:00.0 (fenced) 0000:42:00.0 (NOT fenced)
 *   tenant vm-a (id 2147483648): 0000:43:00.0 (fenced)
 * (a named tenant by its name, then the id the module gave it), or an
 * object (JSON) {tenant, tenant_name, devs: [{dev, fenced}]}, tenant_name
 * only for a named tenant.
 */
void pf_tenant_print(const struct pf_tenant *t);

/*
 * pf_devs_annotate() - the boot policy's notes on @devs before printing:
 * each verdict's boot_policy, each tenant device's overrides (the notes
 * point into @c: print before bootctx_free()). Return: 0 or -ENOMEM.
 */
int pf_devs_annotate(struct bootctx *c, struct pf_devs *devs);

/* one event as a line (text) or an object (JSON; tenant_name and
 * last_tenant_name only for a named tenant), its verdicts below */
void pf_event_print(const struct pf_event *ev);

#endif
