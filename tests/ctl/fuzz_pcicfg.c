// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target: the config-space parser `check` runs on every sysfs
 * `config` file. Any input must parse or be refused without touching memory
 * outside it, and the result must be self-consistent.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "pcicfg.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct pcicfg c;
	char why[256], w[512];
	uint8_t *copy;

	/* an exact-size heap copy so ASan sees any read past the end */
	copy = malloc(size ? size : 1);
	if (!copy)
		return 0;
	memcpy(copy, data, size);
	if (pcicfg_parse(copy, size, &c, why, sizeof(why)) == 0) {
		pcicfg_warn_str(&c, w, sizeof(w));
		if ((c.acs || c.ats) && size <= CFG_SPACE)
			abort();	/* extended capabilities out of thin air */
		if ((c.warn & CFG_W_NO_EXT) && (!c.pcie || c.ext))
			abort();
		if (size < CFG_SPACE)
			abort();	/* must have been refused */
	} else if (!why[0]) {
		abort();		/* a refusal always says why */
	}
	free(copy);
	return 0;
}
