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

/* @end bytes are readable; else a truncation warning at @pos */
static bool readable(struct pcicfg *c, size_t len, unsigned int pos, size_t end)
{
	if (end <= len)
		return true;
	warn(c, CFG_W_TRUNC, pos);
	return false;
}

/* a walk of one capability chain: the visited bitmap and the TTL */
struct chain {
	bool ext;		/* the extended list */
	unsigned int lo, hi;	/* capabilities live in [lo, hi) */
	unsigned int ttl;
	unsigned int found;	/* cap_readers[] already read, by bit */
	uint8_t seen[CFG_SPACE_EXP / 4 / 8];
};

/*
 * Step onto @pos: in range, aligned, its header readable and not seen
 * before (a loop) nor past the TTL. Returns the aligned position, 0 (with
 * a warning) where the walk must stop.
 */
static unsigned int chain_step(struct chain *ch, struct pcicfg *c, size_t len,
			       unsigned int pos)
{
	if (pos < ch->lo || pos > ch->hi - 4) {
		warn(c, CFG_W_RANGE, pos);
		return 0;
	}
	pos &= ~3u;
	if (!readable(c, len, pos, pos + 4))
		return 0;
	if (ch->seen[pos / 4 / 8] & (1u << (pos / 4 % 8)) || !ch->ttl--) {
		warn(c, CFG_W_LOOP, pos);
		return 0;
	}
	ch->seen[pos / 4 / 8] |= (uint8_t)(1u << (pos / 4 % 8));
	return pos;
}

static void read_exp(const uint8_t *b, unsigned int pos, struct pcicfg *c)
{
	c->pcie = true;
	c->pcie_type = (uint8_t)((rd16(b, pos + PCI_EXP_FLAGS) & PCI_EXP_FLAGS_TYPE) >> 4);
}

static void read_acs(const uint8_t *b, unsigned int pos, struct pcicfg *c)
{
	c->acs = true;
	c->acs_cap = rd16(b, pos + PCI_ACS_CAP);
	c->acs_ctrl = rd16(b, pos + PCI_ACS_CTRL);
}

static void read_ats(const uint8_t *b, unsigned int pos, struct pcicfg *c)
{
	c->ats = true;
	c->ats_enabled = !!(rd16(b, pos + PCI_ATS_CTRL) & PCI_ATS_CTRL_ENABLE);
}

/* a bridge's subsystem IDs live in this capability (the kernel reads no other) */
static void read_ssvid(const uint8_t *b, unsigned int pos, struct pcicfg *c)
{
	if (c->hdr_type != PCI_HEADER_TYPE_BRIDGE)
		return;
	c->subvendor = rd16(b, pos + PCI_SSVID_VENDOR_ID);
	c->subdevice = rd16(b, pos + PCI_SSVID_DEVICE_ID);
}

/* the capabilities we read (the first of each kind): which, and how many bytes of them */
static const struct cap_reader {
	bool ext;
	unsigned int id;
	unsigned int len;
	void (*read)(const uint8_t *b, unsigned int pos, struct pcicfg *c);
} cap_readers[] = {
	{ false, PCI_CAP_ID_EXP, PCI_EXP_FLAGS + 2, read_exp },
	{ false, PCI_CAP_ID_SSVID, PCI_SSVID_DEVICE_ID + 2, read_ssvid },
	{ true, PCI_EXT_CAP_ID_ACS, PCI_ACS_CTRL + 2, read_acs },
	{ true, PCI_EXT_CAP_ID_ATS, PCI_ATS_CTRL + 2, read_ats },
};

/* the capability @id at @pos: read it if we want it; false where the walk must stop */
static bool cap_visit(struct chain *ch, const uint8_t *b, size_t len, struct pcicfg *c,
		      unsigned int id, unsigned int pos)
{
	const struct cap_reader *r;
	size_t i;

	/* hypervisors leave an ID-0 capability where they hide one */
	if (id == 0) {
		warn(c, CFG_W_ZERO_ID, pos);
		return true;
	}
	for (i = 0; i < sizeof(cap_readers) / sizeof(cap_readers[0]); i++) {
		r = &cap_readers[i];
		if (r->ext != ch->ext || r->id != id || ch->found & (1u << i))
			continue;
		if (!readable(c, len, pos, pos + r->len))
			return false;
		ch->found |= 1u << i;
		r->read(b, pos, c);
	}
	return true;
}

/* the standard capability list: find the PCI Express capability */
static void walk_std(const uint8_t *b, size_t len, struct pcicfg *c)
{
	struct chain ch = { .ext = false, .lo = CFG_HDR, .hi = CFG_SPACE, .ttl = 48 };
	unsigned int pos;

	if (!(rd16(b, PCI_STATUS) & PCI_STATUS_CAP_LIST))
		return;
	/* header type 2 (CardBus) keeps its pointer elsewhere */
	pos = b[c->hdr_type == PCI_HEADER_TYPE_CARDBUS ? PCI_CB_CAPABILITY_LIST :
		PCI_CAPABILITY_LIST];
	while (pos) {
		pos = chain_step(&ch, c, len, pos);
		if (!pos || !cap_visit(&ch, b, len, c, b[pos + PCI_CAP_LIST_ID], pos))
			return;
		pos = b[pos + PCI_CAP_LIST_NEXT];
	}
}

/* the extended capability list: ACS and ATS */
static void walk_ext(const uint8_t *b, size_t len, struct pcicfg *c)
{
	struct chain ch = {
		.ext = true, .lo = CFG_SPACE, .hi = CFG_SPACE_EXP,
		.ttl = (CFG_SPACE_EXP - CFG_SPACE) / 8,
	};
	unsigned int pos = CFG_SPACE;
	uint32_t hdr;

	while (pos) {
		pos = chain_step(&ch, c, len, pos);
		if (!pos)
			return;
		hdr = rd32(b, pos);
		/* no extended capabilities at all (all zeros or all ones) */
		if (pos == CFG_SPACE && (hdr == 0 || hdr == 0xffffffff))
			return;
		if (!cap_visit(&ch, b, len, c, PCI_EXT_CAP_ID(hdr), pos))
			return;
		pos = PCI_EXT_CAP_NEXT(hdr);
	}
}

int pcicfg_parse_hdr(const uint8_t *buf, size_t len, struct pcicfg *c, char *why, size_t whylen)
{
	uint8_t ht;

	memset(c, 0, sizeof(*c));
	if (len < CFG_HDR) {
		snprintf(why, whylen, "config space truncated: %zu bytes, the header alone is %d",
			 len, CFG_HDR);
		return -EINVAL;
	}
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
	if (c->hdr_type == PCI_HEADER_TYPE_NORMAL) {
		c->subvendor = rd16(buf, PCI_SUBSYSTEM_VENDOR_ID);
		c->subdevice = rd16(buf, PCI_SUBSYSTEM_ID);
	} else if (c->hdr_type == PCI_HEADER_TYPE_CARDBUS && len >= PCI_CB_SUBSYSTEM_ID + 2) {
		c->subvendor = rd16(buf, PCI_CB_SUBSYSTEM_VENDOR_ID);
		c->subdevice = rd16(buf, PCI_CB_SUBSYSTEM_ID);
	}
	return 0;
}

int pcicfg_parse(const uint8_t *buf, size_t len, struct pcicfg *c, char *why, size_t whylen)
{
	int ret;

	ret = pcicfg_parse_hdr(buf, len, c, why, whylen);
	if (ret)
		return ret;
	if (len > CFG_SPACE_EXP)
		len = CFG_SPACE_EXP;
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
