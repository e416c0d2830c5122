// SPDX-License-Identifier: GPL-2.0
/*
 * verdict.c - the one way verdicts are printed, for `audit` (from the
 * kernel) and `check` (from the engine run here).
 */
#include <stdio.h>
#include <linux/p2pfence.h>
#include "fence_model.h"
#include "json.h"
#include "util.h"
#include "verdict.h"

static const struct { uint16_t bit; const char *name; } acs_names[] = {
	{ PCI_ACS_SV, "SV" }, { PCI_ACS_RR, "RR" }, { PCI_ACS_CR, "CR" },
	{ PCI_ACS_UF, "UF" }, { PCI_ACS_DT, "DT" }, { PCI_ACS_EC, "EC" },
	{ PCI_ACS_TB, "TB" },
};

static const char *const why_names[] = {
	[P2PFENCE_NO_RESET_WHY_NO_METHOD] = "no-method",
	[P2PFENCE_NO_RESET_WHY_BUS_SHARED] = "bus-shared",
	[P2PFENCE_NO_RESET_WHY_DRIVER] = "driver",
	[P2PFENCE_NO_RESET_WHY_FAILED] = "failed",
};

const char *no_reset_why_name(unsigned int why, char *buf)
{
	return enum_name(why_names, sizeof(why_names) / sizeof(why_names[0]), why, "why", buf);
}

void acs_bits_print(const char *key, uint16_t bits)
{
	size_t i;

	out_arr_open(key);
	for (i = 0; i < sizeof(acs_names) / sizeof(acs_names[0]); i++)
		if (bits & acs_names[i].bit)
			out_str(NULL, " %s", acs_names[i].name);
	out_arr_close();
}

void boot_policy_print(const char *note)
{
	if (note)
		out_str("boot_policy", " (relaxed at boot by %s)", note);
	else
		out_null("boot_policy", NULL);
}

/*
 * What the kernel believed at an acs-faked verdict's port or function, and
 * why (p2pf_faked_why(), kmod/quirk_trust.h): JSON faked_why and
 * kernel_belief, text after the missing bits.
 */
static void faked_print(const struct pf_verdict *v)
{
	char bits[32], belief[160];

	if (v->kind != FM_ACS_FAKED || !v->faked_why) {
		out_null("faked_why", NULL);
		out_null("kernel_belief", NULL);
		return;
	}
	if (v->faked_why == P2PFENCE_FAKED_WHY_UNIMPLEMENTED) {
		fm_acs_bits_str(v->missing, bits, sizeof(bits));
		snprintf(belief, sizeof(belief), "its ACS capability leaves %s unimplemented, "
			 "which pci_acs_flags_enabled() takes as enforced", bits);
		out_str("faked_why", NULL, "unimplemented");
		out_str("kernel_belief", ": the kernel believes it isolated: %s", belief);
	} else {
		out_str("faked_why", NULL, "quirk");
		out_str("kernel_belief", ": the kernel believes it isolated: %s",
			"the IOMMU groups below it are split without those ACS bits, "
			"so a vendor quirk (pci_dev_specific_acs_enabled) or "
			"pcie_acs_override vouches for it");
	}
}

void verdict_print(const struct pf_verdict *v, bool fix_note)
{
	char d[DEV_STRLEN], a[DEV_STRLEN], p[DEV_STRLEN], k[24], w[24], q[16];
	const char *kind = fm_kind_name(v->kind) ?: enum_name(NULL, 0, v->kind, "kind", k);
	bool no_reset = v->kind == FM_NO_RESET;

	out_obj_open(NULL);
	out_str("kind", NULL, kind);
	out_str("dev", "%s: ", fmt_dev(v->dev, d));
	out_text("%s", kind);
	out_str("at", " at %s", fmt_dev(v->at, a));
	snprintf(q, sizeof(q), "%04x:%04x", v->trusted_quirk >> 16, v->trusted_quirk & 0xffff);
	if (v->trusted_quirk)
		out_text(" (trusted: quirk opt-in %s)", q);
	if (v->has_peer)
		out_str("peer", " (peer %s)", fmt_dev(v->peer, p));
	else
		out_null("peer", NULL);
	if (v->missing && !no_reset)
		out_text(" missing");
	acs_bits_print("missing", no_reset ? 0 : v->missing);
	if (no_reset && v->missing)
		out_str("why", ": %s", no_reset_why_name(v->missing, w));
	else if (v->kind == FM_ATS_ENABLED)
		out_str("why", ": %s", fm_ats_why(v->at == v->dev, v->has_peer));
	else
		out_null("why", NULL);
	/* one requester id for a VMD endpoint and every device behind it */
	if (v->has_vmd && v->vmd == v->dev) {
		out_text(": %s is behind this VMD", fmt_dev(v->peer, p));
		out_str("vmd", NULL, fmt_dev(v->vmd, a));
	} else if (v->has_vmd) {
		out_str("vmd", ": behind VMD %s", fmt_dev(v->vmd, a));
	}
	faked_print(v);
	out_bool("fixable", NULL, fm_kind_fixable(v->kind));
	if (fix_note && fm_kind_fixable(v->kind))
		out_text(" (fixable by the module)");
	boot_policy_print(v->boot_policy);
	if (v->trusted_quirk)
		out_str("trusted_quirk", NULL, q);
	else
		out_null("trusted_quirk", NULL);
	out_text("\n");
	out_obj_close();
}
