/* SPDX-License-Identifier: GPL-2.0 */
/* owners_test.h - what the KUnit suites share of owners_test.c */
#ifndef _P2PFENCE_OWNERS_TEST_H
#define _P2PFENCE_OWNERS_TEST_H

#include <kunit/test.h>

#include "owners.h"

struct p2pf_owners *owners_make(struct kunit *test, u32 n, const struct p2pf_owner *e);

#endif /* _P2PFENCE_OWNERS_TEST_H */
