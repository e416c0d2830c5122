// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target: the owners-file parser (`apply FILE`, `check --config`).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "owners.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct owners o = { 0 };
	unsigned int nbad = 0;
	char *copy = malloc(size ? size : 1);
	size_t i;
	int ret;

	if (!copy)
		return 0;
	memcpy(copy, data, size);
	ret = owners_parse("fuzz", copy, size, &o, &nbad);
	if ((ret == 0) != (nbad == 0) && ret != -12)
		abort();
	for (i = 0; i < o.n; i++)
		if (!o.v[i].tenant || !o.v[i].line)
			abort();
	owners_free(&o);
	free(copy);
	return 0;
}
