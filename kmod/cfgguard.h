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
typedef void (*p2pf_guard_notify_t)(u64 id, u16 tried, u16 kept, const char *comm);

/**
 * typedef p2pf_guard_reset_t - a bridge above a guarded port had its
 * Secondary Bus Reset bit changed (a reset starts or ends).
 * Any context, possibly a raw spinlock held with IRQs off: must not sleep.
 */
typedef void (*p2pf_guard_reset_t)(void);

/**
 * struct p2pf_guard_stats - what the guard holds, for debugfs and the bench
 * @bytes: allocated for ports, bridges and buses (ksize())
 * @ports: guarded ports
 * @bridges: watched bridges
 * @buses: wrapped buses (the module is pinned while > 0)
 * @stuck: wrapped buses another wrapper sits on top of
 * @inherited: new buses that inherited a copy and were given their ops back
 * @resets: writes that changed a watched bridge's Secondary Bus Reset bit
 */
struct p2pf_guard_stats {
	size_t bytes;
	unsigned int ports;
	unsigned int bridges;
	unsigned int buses;
	unsigned int stuck;
	unsigned int inherited;
	unsigned int resets;
};

int p2pf_guard_init(p2pf_guard_notify_t notify, p2pf_guard_reset_t reset);
void p2pf_guard_exit(void);
void p2pf_guard_dev_added(struct pci_dev *pdev);
int p2pf_guard_protect(struct pci_dev *port, u16 set, u16 clear);
void p2pf_guard_release(struct pci_dev *port);
void p2pf_guard_sync_begin(void);
void p2pf_guard_sync_end(void);
unsigned int p2pf_guard_count(void);
bool p2pf_guard_busy(void);
void p2pf_guard_stats(struct p2pf_guard_stats *st);
bool p2pf_guard_enabled(void);
void p2pf_guard_set_enabled(bool on);

#endif /* _P2PFENCE_CFGGUARD_H */
