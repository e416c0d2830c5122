/* SPDX-License-Identifier: GPL-2.0 */
/*
 * watch.h - hotplug, reset and periodic re-checks of the fence, the guard.
 */
#ifndef _P2PFENCE_WATCH_H
#define _P2PFENCE_WATCH_H

int p2pf_watch_init(void);
void p2pf_watch_exit(void);

#endif /* _P2PFENCE_WATCH_H */
