// SPDX-License-Identifier: GPL-2.0
/*
 * The one device classifier (fm_classify()) against the shared table
 * (kunit/fm_classify_cases.h), in userspace. TAP on stdout.
 */
#include <stdio.h>

#include "fence_model.h"
#include "fm_classify_cases.h"

int main(void)
{
	unsigned int i, n = sizeof(fm_classify_cases) / sizeof(fm_classify_cases[0]);
	int bad = 0;

	for (i = 0; i < n; i++) {
		const struct fm_classify_case *c = &fm_classify_cases[i];
		u8 got = fm_classify(c->class, c->hdr, c->pcie, c->ptype, c->root);

		if (got == c->want) {
			printf("ok classify: %s\n", c->desc);
		} else {
			printf("not ok classify: %s (type %u, want %u)\n", c->desc, got, c->want);
			bad = 1;
		}
	}
	return bad;
}
