/* SPDX-License-Identifier: GPL-2.0 */
/*
 * cfgguard.h - keep fence bits set against later config-space writes.
 */
#ifndef _P2PFENCE_CFGGUARD_H
#define _P2PFENCE_CFGGUARD_H

#include <linux/types.h>

struct pci_dev;

/**
 * typedef p2pf_guard_notify_t - told (in process context) of a blocked write
 * @id: FM_ID() of the port whose ACS control register was written
 * @tried: the value the writer asked for (the control word's bits it wrote)
 * @kept: the value that went to the hardware instead
 * @comm: the writer's process name, "" when the write came from no task
 */
typedef void (*p2pf_guard_notify_t)(u32 id, u16 tried, u16 kept, const char *comm);

/**
 * typedef p2pf_guard_reset_t - a bridge above a guarded port had its
 * control register written (a secondary bus reset may be under way).
 * Called with a raw spinlock held and IRQs off: must not sleep.
 */
typedef void (*p2pf_guard_reset_t)(void);

int p2pf_guard_init(p2pf_guard_notify_t notify, p2pf_guard_reset_t reset);
int p2pf_guard_exit(void);
int p2pf_guard_protect(struct pci_dev *port, u16 set, u16 clear);
void p2pf_guard_release(struct pci_dev *port);
void p2pf_guard_sync_begin(void);
void p2pf_guard_sync_end(void);
unsigned int p2pf_guard_count(void);
size_t p2pf_guard_bytes(unsigned int *nbuses);
bool p2pf_guard_enabled(void);

#endif /* _P2PFENCE_CFGGUARD_H */
