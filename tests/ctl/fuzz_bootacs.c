// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target: the boot-time ACS policy (ctl/bootacs.c). The input is
 * a kernel command line; its first byte also picks the kernel generation
 * and a function to try it on (its path and IDs from the next bytes). Any
 * input must be read without touching memory outside it, and what it says
 * about a function must be something the kernel could have done: bits only
 * among the seven ACS controls, none both set and cleared, disable_acs_redir
 * only ever clearing RR CR EC, a note naming the option, within its size.
 * A function's config_acs= name (bootacs_spec()) must name it.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "bootacs.h"
#include "fence_model.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const struct bootacs_fn fixed[] = {
	{ { FM_ID(0, 0, 0x18) }, 1, 0x1b36, 0x000c, 0x1af4, 0x1100, true },
	{ { FM_ID(0, 5, 0), FM_ID(0, 4, 0), FM_ID(0, 3, 0), FM_ID(0, 0, 0x18) }, 4,
	  0x10de, 0x2330, 0x10de, 0x16c1, true },
};

/* a function from the input's first bytes: depth 1-8 below a root bus */
static void fn_of(const uint8_t *d, size_t n, struct bootacs_fn *f)
{
	unsigned int k;

	memset(f, 0, sizeof(*f));
	f->depth = n ? 1 + d[0] % 8 : 1;
	for (k = 0; k < f->depth; k++)
		f->chain[k] = FM_ID(n > 1 ? d[1] % 3 : 0, n > 2 + k ? d[2 + k] : k,
				    n > 10 + k ? d[10 + k] : 0);
	f->vendor = n > 20 ? d[20] : 0x10de;
	f->device = n > 21 ? d[21] : 0x2330;
	f->subvendor = n > 22 ? d[22] : 0;
	f->subdevice = n > 23 ? d[23] : 0;
	f->acs = true;
}

static void check_hit(const struct bootacs_hit *h, int ret)
{
	size_t len;

	if (ret < 0 || ret > 1)
		abort();
	if (!ret)
		return;
	if ((h->off | h->on) & ~BOOTACS_CONFIG_BITS || (h->off & h->on))
		abort();
	if (h->opt == BOOTACS_DISABLE_ACS_REDIR && (h->off != BOOTACS_REDIR_BITS || h->on))
		abort();
	len = strnlen(h->note, sizeof(h->note));
	if (len == sizeof(h->note))
		abort();	/* not terminated */
	if (strncmp(h->note, h->opt == BOOTACS_CONFIG_ACS ? "config_acs=" : "disable_acs_redir=",
		    h->opt == BOOTACS_CONFIG_ACS ? 11 : 18))
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const enum bootacs_kernel kernels[] = {
		BOOTACS_KERNEL_UNKNOWN, BOOTACS_KERNEL_OLD, BOOTACS_KERNEL_NEW,
	};
	struct bootacs_fn f;
	struct bootacs_hit h;
	struct bootacs b;
	char *line, spec[BOOTACS_MAX_DEPTH * 6 + 16];
	const char *end;
	size_t i;
	int ret;

	/* an exact-size heap copy so ASan sees any read past its end */
	line = malloc(size ? size : 1);
	if (!line)
		return 0;
	memcpy(line, data, size);
	if (bootacs_parse("fuzz", line, size, kernels[size ? data[0] % 3 : 0], &b)) {
		free(line);
		return 0;
	}
	for (i = 0; i < sizeof(fixed) / sizeof(fixed[0]); i++) {
		memset(&h, 0, sizeof(h));
		check_hit(&h, bootacs_match(&b, &fixed[i], &h));
	}
	fn_of(data, size, &f);
	memset(&h, 0, sizeof(h));
	check_hit(&h, bootacs_match(&b, &f, &h));
	/* the name written for a function names it */
	bootacs_spec(&f, spec, sizeof(spec));
	if (bootacs_str_match(&f, spec, &end) != 1 || *end)
		abort();
	/* the matcher on the raw string (NUL-terminated copy): stays inside it */
	if (b.line) {
		ret = bootacs_str_match(&f, b.line, &end);
		if (ret >= 0 && (end < b.line || end > b.line + strlen(b.line)))
			abort();
	}
	bootacs_free(&b);
	free(line);
	return 0;
}
