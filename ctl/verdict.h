/* SPDX-License-Identifier: GPL-2.0 */
#ifndef P2PFENCECTL_VERDICT_H
#define P2PFENCECTL_VERDICT_H

#include <stdbool.h>
#include <stdint.h>

/* One verdict, by device ids (FM_ID), as the kernel and the engine give it. */
struct pf_verdict {
	unsigned int kind;	/* enum fm_kind */
	uint64_t dev, at;
	bool has_peer;
	uint64_t peer;
	uint16_t missing;	/* PCI_ACS_*; for no-reset: enum p2pfence_no_reset_why */
	const char *boot_policy;	/* the boot option that relaxed `at` where the fence
					 * needs it ("disable_acs_redir=0000:00:03.0"), or
					 * NULL (bootctx_verdicts()) */
	bool has_vmd;		/* shared-iommu-group through a VMD's requester id: */
	uint64_t vmd;		/* ... that VMD endpoint */
	unsigned int faked_why;	/* acs-faked: enum p2pfence_faked_why, 0: not said */
	uint32_t trusted_quirk;	/* vendor << 16 | device of the quirk opt-in that waived
				 * it (kmod/quirk_trust.h); 0: not waived */
};

/*
 * Print one verdict: text
 *   0000:05:00.0: acs-missing at 0000:04:00.0 (peer 0000:06:00.0) missing SV RR CR UF
 *   0000:01:00.1: no-reset at 0000:00:02.0 (peer 0000:01:00.0): bus-shared
 *   0000:02:00.0: acs-disabled at 0000:00:03.0 (peer 0000:01:00.0) missing SV RR CR UF
 *     (relaxed at boot by disable_acs_redir=0000:00:03.0)       [one line]
 *   0000:01:00.0: acs-faked at 0000:00:1c.0 (trusted: quirk opt-in 8086:a110)
 *     (peer 0000:02:00.0) missing SV RR CR UF: the kernel believes it isolated: ...
 * or a JSON object {kind, dev, at, peer|null, missing[], why|null, fixable,
 * boot_policy|null, and vmd for a shared-iommu-group verdict through a VMD
 * endpoint's requester id; faked_why|null, kernel_belief|null,
 * trusted_quirk|null} (why: the reason of a no-reset verdict, whose missing is
 * empty; boot_policy: the note's option).
 * @fix_note adds "(fixable by the module)" in text for fixable kinds.
 */
void verdict_print(const struct pf_verdict *v, bool fix_note);
/* the name of a no-reset reason (enum p2pfence_no_reset_why): "bus-shared";
 * "why-N" in @buf (>= 24 bytes) for an unknown one */
const char *no_reset_why_name(unsigned int why, char *buf);
/* " (relaxed at boot by NOTE)" (text), "boot_policy": NOTE|null (JSON) */
void boot_policy_print(const char *note);
/* print @bits as a JSON list / text words ("SV RR") under @key */
void acs_bits_print(const char *key, uint16_t bits);
/* does @v count against isolation (refuse)? false when the quirk opt-in waived it */
static inline bool verdict_stands(const struct pf_verdict *v)
{
	return !v->trusted_quirk;
}

#endif
