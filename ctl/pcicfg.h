/* SPDX-License-Identifier: GPL-2.0 */
#ifndef P2PFENCECTL_PCICFG_H
#define P2PFENCECTL_PCICFG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* struct pcicfg.warn: anomalies the parser stepped around */
#define CFG_W_NO_EXT	0x01	/* PCIe device but only 256 bytes: ACS/ATS unknown */
#define CFG_W_LOOP	0x02	/* a capability chain loops */
#define CFG_W_RANGE	0x04	/* a capability pointer points outside its space */
#define CFG_W_ZERO_ID	0x08	/* a capability with ID 0 (skipped) */
#define CFG_W_TRUNC	0x10	/* a capability runs past the readable bytes */
#define CFG_W_BADCAP	0x20	/* a capability's contents make no sense */

/* Extended config space is this long; more is ignored. */
#define CFG_SPACE_EXP	4096
#define CFG_SPACE	256
#define CFG_HDR		64

/*
 * What p2pfence needs from one function's config space. Never trusts a
 * pointer: every read is bounds-checked against the bytes actually read.
 */
struct pcicfg {
	uint16_t vendor, device;
	uint16_t subvendor, subdevice;	/* where the kernel reads them (pci_setup_device()):
					 * header 0 at 0x2c, a bridge's SSVID capability, a
					 * CardBus bridge at 0x40; 0 when absent */
	uint32_t class;		/* 24 bits: base << 16 | sub << 8 | prog-if */
	uint8_t hdr_type;	/* header type without the multifunction bit */
	bool mf;		/* multifunction bit */
	bool pcie;		/* has the PCI Express capability */
	uint8_t pcie_type;	/* PCI_EXP_TYPE_* when pcie */
	bool ext;		/* extended space was readable (> 256 bytes) */
	bool acs;		/* ACS extended capability found */
	uint16_t acs_cap, acs_ctrl;
	bool ats, ats_enabled;
	unsigned int warn;	/* CFG_W_* */
	unsigned int warn_off;	/* offset involved in the first warning */
};

/*
 * pcicfg_parse() - parse @len bytes of config space.
 * Return: 0 (possibly with warnings in @c->warn), or -EINVAL / -ENODEV with
 * a reason in @why: shorter than the 64-byte header, or no device (vendor
 * ID 0xffff / 0x0000).
 */
int pcicfg_parse(const uint8_t *buf, size_t len, struct pcicfg *c, char *why, size_t whylen);

/*
 * pcicfg_parse_hdr() - only the 64-byte header: IDs, class, header type and
 * the multifunction bit (what `lspci -x`, or an unprivileged read, shows).
 * Capabilities are not looked at: pcie, ext, acs and ats stay false.
 * Return: 0, or -EINVAL / -ENODEV with a reason in @why, as pcicfg_parse().
 */
int pcicfg_parse_hdr(const uint8_t *buf, size_t len, struct pcicfg *c, char *why, size_t whylen);

/* human text for the warnings in @c (one line, no newline) */
void pcicfg_warn_str(const struct pcicfg *c, char *buf, size_t len);

#endif
