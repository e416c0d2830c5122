/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ref_compat.h - the little libc the reference model and the topology
 * generator need, in the kernel (KUnit) and in userspace (unit tests,
 * bench). Nothing else in tests/ref/ may include a libc or kernel header.
 */
#ifndef _P2PFENCE_REF_COMPAT_H
#define _P2PFENCE_REF_COMPAT_H

#include "fence_model.h"

#ifdef __KERNEL__
#include <linux/errno.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/kernel.h>
#include <linux/mm.h>
#define ref_zalloc(sz)		kvzalloc((sz), GFP_KERNEL)
#define ref_free(p)		kvfree(p)
#define ref_snprintf		scnprintf
#else
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#define ref_zalloc(sz)		calloc(1, (sz))
#define ref_free(p)		free(p)
#define ref_snprintf		snprintf
#endif

#endif /* _P2PFENCE_REF_COMPAT_H */
