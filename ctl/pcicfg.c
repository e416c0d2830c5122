// SPDX-License-Identifier: GPL-2.0
/*
 * pcicfg.c - defensive config-space parser for `check` (and the fuzzer).
 *
 * The input is whatever a sysfs `config` file gave us: possibly 64 bytes
 * (unprivileged read), 256 (no extended space: conventional PCI, or a
 * hypervisor that does not expose it), or 4096, possibly hostile or
 * corrupt. Chains are walked with a visited bitmap and a TTL, every pointer
 * is range-checked, and ID-0 capabilities (left in place by hypervisors
 * that hide a capability) are stepped over rather than trusted.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <linux/pci_regs.h>
#include "pcicfg.h"

static uint16_t rd16(const uint8_t *b, size_t off)
{
	return (uint16_t)(b[off] | b[off + 1] << 8);
}

static uint32_t rd32(const uint8_t *b, size_t off)
{
	return (uint32_t)b[off] | (uint32_t)b[off + 1] << 8 |
	       (uint32_t)b[off + 2] << 16 | (uint32_t)b[off + 3] << 24;
}

static void warn(struct pcicfg *c, unsigned int w, unsigned int off)
{
	if (!c->warn)
		c->warn_off = off;
	c->warn |= w;
}

/* the standard capability list: find the PCI Express capability */
static void walk_std(const uint8_t *b, size_t len, struct pcicfg *c)
{
	uint8_t seen[CFG_SPACE / 4 / 8] = { 0 };
	unsigned int pos, id, ttl = 48;

	if (!(rd16(b, PCI_STATUS) & PCI_STATUS_CAP_LIST))
		return;
	/* header type 2 (CardBus) keeps its pointer elsewhere */
	pos = b[c->hdr_type == PCI_HEADER_TYPE_CARDBUS ? PCI_CB_CAPABILITY_LIST :
		PCI_CAPABILITY_LIST];
	while (pos) {
		if (pos < CFG_HDR || pos > CFG_SPACE - 4) {
			warn(c, CFG_W_RANGE, pos);
			return;
		}
		pos &= ~3u;
		if (pos + 4 > len) {
			warn(c, CFG_W_TRUNC, pos);
			return;
		}
		if (seen[pos / 4 / 8] & (1u << (pos / 4 % 8)) || !ttl--) {
			warn(c, CFG_W_LOOP, pos);
			return;
		}
		seen[pos / 4 / 8] |= (uint8_t)(1u << (pos / 4 % 8));
		id = b[pos + PCI_CAP_LIST_ID];
		if (id == 0) {
			warn(c, CFG_W_ZERO_ID, pos);
		} else if (id == PCI_CAP_ID_EXP && !c->pcie) {
			if (pos + PCI_EXP_FLAGS + 2 > len) {
				warn(c, CFG_W_TRUNC, pos);
				return;
			}
			c->pcie = true;
			c->pcie_type = (uint8_t)((rd16(b, pos + PCI_EXP_FLAGS) &
						  PCI_EXP_FLAGS_TYPE) >> 4);
		}
		pos = b[pos + PCI_CAP_LIST_NEXT];
	}
}

/* the extended capability list: ACS and ATS */
static void walk_ext(const uint8_t *b, size_t len, struct pcicfg *c)
{
	uint8_t seen[CFG_SPACE_EXP / 4 / 8] = { 0 };
	unsigned int pos = CFG_SPACE, id, ttl = (CFG_SPACE_EXP - CFG_SPACE) / 8;
	uint32_t hdr;

	while (pos) {
		if (pos < CFG_SPACE || pos > CFG_SPACE_EXP - 4) {
			warn(c, CFG_W_RANGE, pos);
			return;
		}
		pos &= ~3u;
		if (pos + 4 > len) {
			warn(c, CFG_W_TRUNC, pos);
			return;
		}
		if (seen[pos / 4 / 8] & (1u << (pos / 4 % 8)) || !ttl--) {
			warn(c, CFG_W_LOOP, pos);
			return;
		}
		seen[pos / 4 / 8] |= (uint8_t)(1u << (pos / 4 % 8));
		hdr = rd32(b, pos);
		/* no extended capabilities at all (all zeros or all ones) */
		if (pos == CFG_SPACE && (hdr == 0 || hdr == 0xffffffff))
			return;
		id = PCI_EXT_CAP_ID(hdr);
		if (id == 0) {
			warn(c, CFG_W_ZERO_ID, pos);
		} else if (id == PCI_EXT_CAP_ID_ACS && !c->acs) {
			if (pos + PCI_ACS_CTRL + 2 > len) {
				warn(c, CFG_W_TRUNC, pos);
				return;
			}
			c->acs = true;
			c->acs_cap = rd16(b, pos + PCI_ACS_CAP);
			c->acs_ctrl = rd16(b, pos + PCI_ACS_CTRL);
		} else if (id == PCI_EXT_CAP_ID_ATS && !c->ats) {
			if (pos + PCI_ATS_CTRL + 2 > len) {
				warn(c, CFG_W_TRUNC, pos);
				return;
			}
			c->ats = true;
			c->ats_enabled = !!(rd16(b, pos + PCI_ATS_CTRL) & PCI_ATS_CTRL_ENABLE);
		}
		pos = PCI_EXT_CAP_NEXT(hdr);
	}
}

int pcicfg_parse(const uint8_t *buf, size_t len, struct pcicfg *c, char *why, size_t whylen)
{
	uint8_t ht;

	memset(c, 0, sizeof(*c));
	if (len < CFG_HDR) {
		snprintf(why, whylen, "config space truncated: %zu bytes, the header alone is %d",
			 len, CFG_HDR);
		return -EINVAL;
	}
	if (len > CFG_SPACE_EXP)
		len = CFG_SPACE_EXP;
	c->vendor = rd16(buf, PCI_VENDOR_ID);
	c->device = rd16(buf, PCI_DEVICE_ID);
	if (c->vendor == 0xffff || c->vendor == 0) {
		snprintf(why, whylen, "no device: vendor ID reads %04x", c->vendor);
		return -ENODEV;
	}
	c->class = rd32(buf, PCI_CLASS_REVISION) >> 8;
	ht = buf[PCI_HEADER_TYPE];
	c->hdr_type = ht & 0x7f;
	c->mf = !!(ht & 0x80);
	if (len < CFG_SPACE) {
		/* 64 bytes is what an unprivileged read of sysfs gets */
		snprintf(why, whylen,
			 "config space truncated: %zu bytes, need %d to read capabilities%s",
			 len, CFG_SPACE, len == CFG_HDR ? " (reading it needs root)" : "");
		return -EINVAL;
	}
	walk_std(buf, len, c);
	c->ext = len > CFG_SPACE;
	if (c->ext)
		walk_ext(buf, len, c);
	else if (c->pcie)
		warn(c, CFG_W_NO_EXT, CFG_SPACE);
	return 0;
}

void pcicfg_warn_str(const struct pcicfg *c, char *buf, size_t len)
{
	size_t n = 0;
	int r;

	buf[0] = '\0';
#define ADD(...) do { \
		r = snprintf(buf + n, len > n ? len - n : 0, __VA_ARGS__); \
		if (r > 0) \
			n += (size_t)r; \
	} while (0)
	if (c->warn & CFG_W_NO_EXT)
		ADD("%sextended config space unreadable (256 bytes): ACS/ATS unknown, treated as absent",
		    n ? "; " : "");
	if (c->warn & CFG_W_LOOP)
		ADD("%scapability chain loops (at 0x%x): walk stopped", n ? "; " : "", c->warn_off);
	if (c->warn & CFG_W_RANGE)
		ADD("%scapability pointer out of range (0x%x): walk stopped", n ? "; " : "",
		    c->warn_off);
	if (c->warn & CFG_W_TRUNC)
		ADD("%scapability beyond the readable config space (0x%x): walk stopped",
		    n ? "; " : "", c->warn_off);
#undef ADD
}
