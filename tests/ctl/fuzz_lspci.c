// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target: the lspci dump reader (`check --lspci FILE --groups
 * FILE`). The input is a dump, then, after a line "--groups--", a group
 * listing (none without that line). Any input must be read or refused
 * without touching memory outside it; what is read must be a model the
 * engine accepts (parents first and bridges, ids unique), and a refusal
 * must leave nothing behind.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "fence_model.h"
#include "lspci.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char sep[] = "\n--groups--\n";

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *dump, *groups = NULL;
	size_t dlen = size, glen = 0, i, sz;
	struct topo t;
	void *mem;
	int ret, err;

	for (i = 0; i + sizeof(sep) - 1 <= size; i++) {
		if (!memcmp(data + i, sep, sizeof(sep) - 1)) {
			dlen = i + 1;
			glen = size - i - (sizeof(sep) - 1);
			break;
		}
	}
	/* exact-size heap copies so ASan sees any read past either end */
	dump = malloc(dlen ? dlen : 1);
	if (!dump)
		return 0;
	memcpy(dump, data, dlen);
	if (dlen < size) {
		groups = malloc(glen ? glen : 1);
		if (!groups) {
			free(dump);
			return 0;
		}
		memcpy(groups, data + size - glen, glen);
	}
	ret = lspci_parse("dump", dump, dlen, "groups", groups, glen, &t);
	if (ret) {
		if (t.n || t.d || t.nodes || t.dump)
			abort();	/* a refusal leaves nothing */
	} else {
		if (!t.n || !t.nodes || t.n > FM_MAX_NODES)
			abort();
		for (i = 0; i < t.n; i++)
			if (t.nodes[i].parent >= (s32)i || !t.d[i].line ||
			    (!groups && t.nodes[i].group != -1))
				abort();	/* parents first; no groups invented */
		sz = fm_ctx_size(t.n);
		mem = aligned_alloc(8, (sz + 7) & ~(size_t)7);
		if (mem && !fm_init(mem, sz, t.nodes, t.n, &err))
			abort();	/* the engine refuses what the reader built */
		free(mem);
		topo_free(&t);
	}
	free(dump);
	free(groups);
	return 0;
}
