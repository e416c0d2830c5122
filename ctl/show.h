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

/* "YYYY-MM-DDTHH:MM:SSZ" (UTC) of CLOCK_REALTIME seconds into @buf (>= 32 bytes) */
char *fmt_utc(uint64_t secs, char *buf);

/* the name of an enum p2pfence_reset_method as in the spec ("af-flr");
 * "method-N" in @buf (>= 24 bytes) for an unknown one */
const char *reset_method_name(unsigned int method, char *buf);

/*
 * One device as an object: text
 *   0000:41:00.0 tenant 7 fenced unreset last tenant 3 reset flr at 2026-11-27T10:00:00Z for tenant 7
 * (each part after "fenced" only when the kernel sent it), its verdicts
 * below, indented; JSON {dev, tenant, fenced, unreset, last_tenant,
 * reset_method, reset_time, reset_tenant, violations}, null for what is absent.
 */
void pf_dev_print(const struct pf_dev *d);

/* one event as a line (text) or an object (JSON), its verdicts below */
void pf_event_print(const struct pf_event *ev);

#endif
