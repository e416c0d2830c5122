/* SPDX-License-Identifier: GPL-2.0 */
/*
 * bootacs.h - the boot-time ACS policy: the kernel's pci=disable_acs_redir=
 * and pci=config_acs= (6.11+) options, read from a kernel command line, and
 * what they did to one PCI function at boot.
 *
 * Operators set these on purpose (NVIDIA's rdma_topo writes config_acs for
 * its GPU/NIC units; the kernel's p2pdma warning tells users to add
 * disable_acs_redir). The fence keeps enforcing where it needs a bit they
 * relax (fail closed); p2pfencectl only says so, naming the option:
 * "relaxed at boot by disable_acs_redir=SPEC".
 *
 * Parsing and matching follow the kernel exactly (drivers/pci/pci.c of
 * 6.12: pci_setup(), __pci_config_acs(), pci_dev_str_match(), and the
 * vsscanf() they use, ported in bootacs.c), so the answer is what the kernel
 * did, including where it gives up on a malformed list. What the kernel
 * would stumble over is reported on stderr, never guessed around.
 */
#ifndef P2PFENCECTL_BOOTACS_H
#define P2PFENCECTL_BOOTACS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <linux/pci_regs.h>

struct topo;
struct pf_verdict;

/* the bits disable_acs_redir= clears; the ones config_acs= may name (bit 0 SV .. bit 6 DT) */
#define BOOTACS_REDIR_BITS	(PCI_ACS_RR | PCI_ACS_CR | PCI_ACS_EC)
#define BOOTACS_CONFIG_BITS	(PCI_ACS_SV | PCI_ACS_TB | PCI_ACS_RR | PCI_ACS_CR | \
				 PCI_ACS_UF | PCI_ACS_EC | PCI_ACS_DT)
#define BOOTACS_NFLAGS		7	/* characters of a full config_acs flags string */

/* functions on a path, from a function up to its root bus: more is refused */
#define BOOTACS_MAX_DEPTH	64
/* a note: "config_acs=FLAGS@SPEC" (a longer entry is cut, ending in "...") */
#define BOOTACS_NOTE_LEN	192

enum bootacs_opt {
	BOOTACS_DISABLE_ACS_REDIR,
	BOOTACS_CONFIG_ACS,
	BOOTACS_NOPT,
};

/* what the kernel that booted with the command line does with config_acs= */
enum bootacs_kernel {
	BOOTACS_KERNEL_UNKNOWN,	/* taken as 6.11+ (config_acs= in effect), said once */
	BOOTACS_KERNEL_OLD,	/* before 6.11: "PCI: Unknown option", ignored */
	BOOTACS_KERNEL_NEW,	/* 6.11 or later */
};

/* the policy of one command line */
struct bootacs {
	char *src;			/* where it came from, for messages */
	char *line;			/* the command line, split as the kernel splits it */
	char *val[BOOTACS_NOPT];	/* the value the kernel keeps (the last one given);
					 * NULL: not given, or ignored by this kernel */
	enum bootacs_kernel kernel;
};

/*
 * A PCI function as pci_dev_str_match() sees it: its address, the bridges
 * above it (pci_upstream_bridge(), up to a root bus), its IDs as the kernel
 * read them, and whether it has the ACS capability (the kernel applies the
 * options only where it has).
 */
struct bootacs_fn {
	uint64_t chain[BOOTACS_MAX_DEPTH];	/* FM_IDs: [0] the function, [k + 1]
						 * the bridge above [k]; the last on a
						 * root bus */
	unsigned int depth;
	uint16_t vendor, device, subvendor, subdevice;
	bool acs;
};

/* what the boot policy did to one function's ACS control register */
struct bootacs_hit {
	uint8_t opt;		/* enum bootacs_opt: the option that took effect */
	uint16_t off, on;	/* the bits it forced clear, and set */
	char note[BOOTACS_NOTE_LEN];	/* "disable_acs_redir=SPEC" or
					 * "config_acs=FLAGS@SPEC", SPEC the entry that
					 * matched, as written */
};

/*
 * bootacs_parse() - the policy of the command line @cmdline (@len bytes;
 * a NUL ends it early) as the kernel reads it: words as next_arg() splits
 * them (quotes included), up to a "--"; each pci= value split at ',' as
 * pci_setup() does; the last disable_acs_redir= and the last config_acs=
 * are the ones kept (an empty value too). config_acs= is dropped for a
 * @kernel before 6.11. Every problem the kernel would run into (a
 * malformed entry, flags, an option given twice, an entry it cannot reach)
 * is reported on stderr naming @src; none is an error.
 * Return: 0, or -ENOMEM (said).
 */
int bootacs_parse(const char *src, const char *cmdline, size_t len, enum bootacs_kernel kernel,
		  struct bootacs *b);
/*
 * bootacs_read() - bootacs_parse() of the file @path (- for standard
 * input). Return: 0, or -errno (said, naming the file).
 */
int bootacs_read(const char *path, enum bootacs_kernel kernel, struct bootacs *b);
void bootacs_free(struct bootacs *b);
/* whether any option can touch a function */
bool bootacs_any(const struct bootacs *b);

/*
 * bootacs_proc_of() - where the machine whose sysfs is @root keeps
 * /proc/@name: @root/proc/@name in a snapshot (`p2pfencectl snapshot`
 * saves cmdline and sys/kernel/osrelease there), /proc/@name when @root is
 * the live /sys. Return: 0, or -ENOENT when it has none.
 */
int bootacs_proc_of(const char *root, const char *name, char *path, size_t len);

/* the kernel generation of a release string ("6.12.57+deb13-amd64") */
enum bootacs_kernel bootacs_kernel_of(const char *release);

/*
 * bootacs_match() - what the boot policy did to @f: 1 with @h filled (the
 * option that took effect: config_acs= over disable_acs_redir= when both
 * name it, as __pci_config_acs() computes both from the firmware's value),
 * 0 when nothing touched it. Follows the kernel for every string, malformed
 * ones included.
 */
int bootacs_match(const struct bootacs *b, const struct bootacs_fn *f, struct bootacs_hit *h);

/*
 * The bits of @h that relax what the fence needs on a function (@port: a
 * port or bridge, which needs SV RR CR UF; else a function, RR CR): a
 * needed bit forced clear, DT or EC forced set. 0: the option does not get
 * in the fence's way there.
 */
uint16_t bootacs_relaxed(const struct bootacs_hit *h, bool port);

/*
 * bootacs_spec() - the <pci_dev> that names @f and nothing else, for a
 * config_acs= entry: "DDDD:BB:DD.F" on a root bus, else the path from the
 * function on the root bus, "DDDD:BB:DD.F/DD.F/..." (bus numbers below a
 * root port can change between boots; the path cannot). Return: @buf.
 */
char *bootacs_spec(const struct bootacs_fn *f, char *buf, size_t len);

/* the config_acs= flags that set @set, clear @clear, leave the rest ('x') */
char *bootacs_flags_str(uint16_t set, uint16_t clear, char *buf, size_t len);

/* the function @idx of a topology read (check) */
int bootacs_fn_topo(const struct topo *t, uint32_t idx, struct bootacs_fn *f);

/*
 * The boot policy of one command: the policy it runs under, and how it
 * learns about the functions the printers ask for: from the topology check
 * read, or one at a time from @root's sysfs (the online commands).
 */
struct bootctx {
	struct bootacs pol;
	bool active;			/* some option can touch a function */
	const struct topo *topo;	/* check; NULL: read @root */
	const char *root;
	struct bootctx_fn **fns;	/* a cache, one per function asked about */
	unsigned int n, cap;
};

/* the boot policy at one function, for a device whose path it is on */
struct boot_override {
	uint64_t at;		/* FM_ID of the port (or the function itself) */
	uint16_t bits;		/* what the fence changed: needed bits it set,
				 * DT/EC it cleared */
	const char *note;	/* the option (struct bootacs_hit.note) */
};

/*
 * bootctx_live() - the running kernel's policy (/proc/cmdline, its release
 * from /proc/sys/kernel/osrelease), functions read from /sys. Unreadable:
 * said, and no policy (the command goes on; only -ENOMEM is returned).
 * bootctx_check() - `check`'s: @cmdline when given, else @root/proc/cmdline
 * when @root has one (a snapshot), else /proc/cmdline when @root is the
 * live /sys, else none (@root NULL: a dump); the kernel's release likewise
 * from @root's proc/sys/kernel/osrelease (unknown when there is none);
 * functions from @t.
 * Return: 0, or -errno (said).
 */
int bootctx_live(struct bootctx *c);
int bootctx_check(struct bootctx *c, const char *cmdline, const char *root,
		  const struct topo *t);
void bootctx_free(struct bootctx *c);
/* drop what was read of the functions (the notes with it): a long-running
 * command reads them again, after hotplug */
void bootctx_forget(struct bootctx *c);

/*
 * bootctx_note() - the note for a verdict or a fix at @at: the option when
 * it relaxed a bit the fence needs there (bootacs_relaxed()), else NULL.
 * Valid until bootctx_free().
 */
const char *bootctx_note(struct bootctx *c, uint64_t at);
/* the note of each acs-disabled verdict of @n at @v into its boot_policy */
void bootctx_verdicts(struct bootctx *c, struct pf_verdict *v, unsigned int n);
/*
 * bootctx_overrides() - where the fence holds a tenant device's path
 * against the boot policy: each function on the path of @dev (itself
 * included) whose live ACS control has a bit the policy forced clear and
 * the fence needs set, or DT/EC it forced set cleared. Into *@out
 * (malloc'ed, NULL when none). Return: how many, or -ENOMEM.
 */
int bootctx_overrides(struct bootctx *c, uint64_t dev, struct boot_override **out);

/* exposed for the tests */

/*
 * bootacs_str_match() - pci_dev_str_match() of drivers/pci/pci.c: 1 when
 * the <pci_dev> at @p names @f, 0 when not, -EINVAL when the kernel cannot
 * parse it (where it gets that far for @f); *@endptr after what it read.
 */
int bootacs_str_match(const struct bootacs_fn *f, const char *p, const char **endptr);
/*
 * bootacs_flags() - the config_acs= flags @s (@len characters, the
 * rightmost bit 0), as __pci_config_acs() reads them: 0 with @mask (bits
 * given) and @flags (those given as 1); -EINVAL for a character other than
 * 0 1 x X; -ERANGE when a bit past DT is given (the kernel refuses both).
 */
int bootacs_flags(const char *s, size_t len, uint16_t *mask, uint16_t *flags);

#endif
