// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target: the owners-file parser (`apply FILE`, `check --config`).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "owners.h"
#include "util.h"

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
	/* every entry an owner id (1-2147483647) or a name, never both */
	for (i = 0; i < o.n; i++) {
		const struct pf_tenant_ref *t = &o.v[i].tenant;

		if (!o.v[i].line || (t->id && t->name[0]) ||
		    (t->name[0] ? !tenant_name_ok(t->name) :
				  !t->id || t->id >= P2PFENCE_TENANT_NAMED_MIN))
			abort();
	}
	owners_free(&o);
	free(copy);
	return 0;
}
