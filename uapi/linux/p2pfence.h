/* SPDX-License-Identifier: ((GPL-2.0 WITH Linux-syscall-note) OR BSD-3-Clause) */
/* Do not edit directly, auto-generated from: */
/*	uapi/p2pfence.yaml */
/* YNL-GEN uapi header */

#ifndef _UAPI_LINUX_P2PFENCE_H
#define _UAPI_LINUX_P2PFENCE_H

#define P2PFENCE_FAMILY_NAME	"p2pfence"
#define P2PFENCE_FAMILY_VERSION	1

#define P2PFENCE_TENANT_NAME_MAX	63
#define P2PFENCE_TENANT_NAMED_MIN	2147483648
#define P2PFENCE_QUIRK_TRUST_MAX	64

/**
 * enum p2pfence_verdict_kind - Why a tenant device is not (or not yet)
 *   isolated. Same values and order as enum fm_kind of the engine.
 * @P2PFENCE_VERDICT_KIND_ACS_DISABLED: A port or function on the path has the
 *   ACS capability but a needed control bit is off, or DT/EC is on. Fixable:
 *   the fence programs it.
 * @P2PFENCE_VERDICT_KIND_ACS_MISSING: A port or function on the path lacks the
 *   ACS capability or a needed control.
 * @P2PFENCE_VERDICT_KIND_ACS_FAKED: The kernel treats the port as isolated
 *   (quirk or override) while its registers say otherwise.
 * @P2PFENCE_VERDICT_KIND_SHARED_IOMMU_GROUP: Devices of different owners share
 *   an IOMMU group.
 * @P2PFENCE_VERDICT_KIND_NO_IOMMU: The device has no IOMMU group; its DMA is
 *   not translated.
 * @P2PFENCE_VERDICT_KIND_IDENTITY_DOMAIN: The tenant device's IOMMU group is
 *   in an identity (passthrough) domain.
 * @P2PFENCE_VERDICT_KIND_CONVENTIONAL_BRIDGE: A PCI/PCI-X bridge has devices
 *   of different owners below it.
 * @P2PFENCE_VERDICT_KIND_MULTIFUNCTION_NO_ACS: Functions of one device have
 *   different owners and no ACS.
 * @P2PFENCE_VERDICT_KIND_ATS_ENABLED: A tenant device has the ATS capability
 *   (translated requests skip the IOMMU; the IOMMU driver turns ATS on at
 *   every domain attach) and its port cannot block translated requests (no ACS
 *   Translation Blocking there, or no port at all); at is that port (or the
 *   device). Where the port has TB the fence sets it instead (acs-disabled
 *   until it does), unless another owner's device below that port has ATS and
 *   may use it (the host's, or a tenant's trusted with ATS): TB there would
 *   block its translation requests too, so that is ats-enabled at the port
 *   with that device as peer. Accepted only where the policy allows ATS
 *   (allow_ats=1, or the tenant's trust-ats).
 * @P2PFENCE_VERDICT_KIND_NO_RESET: The device would pass to another tenant
 *   without a reset the kernel confirms: the tenant that held it last (its
 *   last-tenant) left state on it, and it cannot be reset now. `at` is the
 *   device, or for a bus reset the bridge above it; `missing` says why, one of
 *   enum no-reset-why; `peer` is the other owner's device a bus reset would
 *   also reset. Refused in enforce mode unless the assignment accepts it
 *   (accept-no-reset); in audit mode reported, never reset.
 */
enum p2pfence_verdict_kind {
	P2PFENCE_VERDICT_KIND_ACS_DISABLED = 1,
	P2PFENCE_VERDICT_KIND_ACS_MISSING,
	P2PFENCE_VERDICT_KIND_ACS_FAKED,
	P2PFENCE_VERDICT_KIND_SHARED_IOMMU_GROUP,
	P2PFENCE_VERDICT_KIND_NO_IOMMU,
	P2PFENCE_VERDICT_KIND_IDENTITY_DOMAIN,
	P2PFENCE_VERDICT_KIND_CONVENTIONAL_BRIDGE,
	P2PFENCE_VERDICT_KIND_MULTIFUNCTION_NO_ACS,
	P2PFENCE_VERDICT_KIND_ATS_ENABLED,
	P2PFENCE_VERDICT_KIND_NO_RESET,
};

/**
 * enum p2pfence_no_reset_why - Why a hand-over cannot be reset (the `missing`
 *   of a no-reset verdict).
 * @P2PFENCE_NO_RESET_WHY_NO_METHOD: No reset method works for the function
 *   (its reset_method in sysfs is empty) and no bus reset is possible (a root
 *   bus, or the bridge cannot reset its secondary bus).
 * @P2PFENCE_NO_RESET_WHY_BUS_SHARED: Only a secondary bus reset is possible,
 *   and it would also reset `peer`, a device of another owner (or the host's).
 * @P2PFENCE_NO_RESET_WHY_DRIVER: Bound to a driver other than vfio-pci (or a
 *   vfio-pci variant); a hand-over reset needs vfio-pci or no driver.
 * @P2PFENCE_NO_RESET_WHY_FAILED: The reset was tried and failed (or the device
 *   stayed locked).
 */
enum p2pfence_no_reset_why {
	P2PFENCE_NO_RESET_WHY_NO_METHOD = 1,
	P2PFENCE_NO_RESET_WHY_BUS_SHARED,
	P2PFENCE_NO_RESET_WHY_DRIVER,
	P2PFENCE_NO_RESET_WHY_FAILED,
};

/**
 * enum p2pfence_reset_method - How a device was reset for a hand-over. Same
 *   values as the kernel's reset methods (the names in sysfs reset_method).
 * @P2PFENCE_RESET_METHOD_BUS: A secondary bus reset (every device below the
 *   bridge).
 */
enum p2pfence_reset_method {
	P2PFENCE_RESET_METHOD_DEVICE_SPECIFIC = 1,
	P2PFENCE_RESET_METHOD_ACPI,
	P2PFENCE_RESET_METHOD_FLR,
	P2PFENCE_RESET_METHOD_AF_FLR,
	P2PFENCE_RESET_METHOD_PM,
	P2PFENCE_RESET_METHOD_BUS,
	P2PFENCE_RESET_METHOD_CXL_BUS,
};

/**
 * enum p2pfence_mode - What the module does with verdicts.
 * @P2PFENCE_MODE_ENFORCE: Default. Refuse what cannot be isolated, program the
 *   ACS bits that can, repair acs-disabled drift on audit.
 * @P2PFENCE_MODE_AUDIT: Report only, never write a register. An assignment or
 *   apply is recorded in the owner table even when it has verdicts, and the
 *   reply carries the verdicts; release is never refused. Switching back to
 *   enforce does not program anything until the next assign, apply or audit.
 */
enum p2pfence_mode {
	P2PFENCE_MODE_ENFORCE,
	P2PFENCE_MODE_AUDIT,
};

/**
 * enum p2pfence_faked_why - acs-faked: why the kernel believes the port or
 *   function isolated although the fence's reading of its registers says it is
 *   not.
 * @P2PFENCE_FAKED_WHY_QUIRK: No ACS capability, or one whose implemented
 *   needed bits are off, yet the kernel split the IOMMU groups below it: only
 *   a device-specific quirk (pci_dev_specific_acs_enabled(), e.g. Intel PCH
 *   root ports) or the out-of-tree pcie_acs_override makes it do so.
 * @P2PFENCE_FAKED_WHY_UNIMPLEMENTED: An ACS capability whose implemented
 *   needed bits are all on, but that leaves some needed bits unimplemented
 *   (missing names them): the kernel's pci_acs_flags_enabled() masks its
 *   request with the capability, taking what the spec lets a port leave out as
 *   enforced.
 */
enum p2pfence_faked_why {
	P2PFENCE_FAKED_WHY_QUIRK = 1,
	P2PFENCE_FAKED_WHY_UNIMPLEMENTED,
};

/**
 * enum p2pfence_event - Kind of a notification on the monitor group.
 * @P2PFENCE_EVENT_ASSIGNED: A device was assigned to a tenant (tenant, device,
 *   verdicts in audit mode).
 * @P2PFENCE_EVENT_RELEASED: A device went back to the host (tenant is the
 *   previous owner).
 * @P2PFENCE_EVENT_REFUSED: An assign, release or apply was refused; the
 *   verdicts say why.
 * @P2PFENCE_EVENT_VIOLATION: An audit found an assignment that is not isolated
 *   and that the fence cannot (or, in audit mode, does not) repair.
 * @P2PFENCE_EVENT_DRIFT_REPAIRED: An audit found acs-disabled drift and set
 *   the bits again.
 * @P2PFENCE_EVENT_WRITE_BLOCKED: A config write that would have weakened the
 *   fence was kept from taking effect.
 * @P2PFENCE_EVENT_DEVICE_REMOVED: An owned device disappeared from the bus and
 *   was released.
 * @P2PFENCE_EVENT_HANDOVER_RESET: A device was reset before passing to another
 *   tenant (tenant: the new one; last-tenant: the one that held it;
 *   reset-method: how).
 * @P2PFENCE_EVENT_VFIO_BOUND: A host-owned device was bound to vfio-pci (or a
 *   vfio-pci variant driver): handed to a VM manager but assigned to no
 *   tenant, so nothing fences it (a provisioning gap, not an isolation
 *   verdict; with the module parameter vfio_strict=1 audit counts it as not
 *   isolated).
 * @P2PFENCE_EVENT_TRUST_CHANGED: A tenant's ATS trust (the same-tenant
 *   GPUDirect opt-in) was set or cleared (tenant, trust-ats), by tenant-set or
 *   apply.
 * @P2PFENCE_EVENT_QUIRK_TRUST: The operator trusted (trusted 1) or stopped
 *   trusting (trusted 0) the kernel's isolation at ports and functions of one
 *   vendor:device (quirk); comm names the process.
 */
enum p2pfence_event {
	P2PFENCE_EVENT_ASSIGNED = 1,
	P2PFENCE_EVENT_RELEASED,
	P2PFENCE_EVENT_REFUSED,
	P2PFENCE_EVENT_VIOLATION,
	P2PFENCE_EVENT_DRIFT_REPAIRED,
	P2PFENCE_EVENT_WRITE_BLOCKED,
	P2PFENCE_EVENT_DEVICE_REMOVED,
	P2PFENCE_EVENT_HANDOVER_RESET,
	P2PFENCE_EVENT_VFIO_BOUND,
	P2PFENCE_EVENT_TRUST_CHANGED,
	P2PFENCE_EVENT_QUIRK_TRUST,
};

enum {
	P2PFENCE_A_VERDICT_KIND = 1,
	P2PFENCE_A_VERDICT_DEV,
	P2PFENCE_A_VERDICT_PEER,
	P2PFENCE_A_VERDICT_AT,
	P2PFENCE_A_VERDICT_MISSING,
	P2PFENCE_A_VERDICT_DEV_DOMAIN,
	P2PFENCE_A_VERDICT_PEER_DOMAIN,
	P2PFENCE_A_VERDICT_AT_DOMAIN,
	P2PFENCE_A_VERDICT_VMD,
	P2PFENCE_A_VERDICT_VMD_DOMAIN,
	P2PFENCE_A_VERDICT_FAKED_WHY,
	P2PFENCE_A_VERDICT_TRUSTED_QUIRK,

	__P2PFENCE_A_VERDICT_MAX,
	P2PFENCE_A_VERDICT_MAX = (__P2PFENCE_A_VERDICT_MAX - 1)
};

enum {
	P2PFENCE_A_DEV_DOMAIN = 1,
	P2PFENCE_A_DEV_BDF,
	P2PFENCE_A_DEV_TENANT,
	P2PFENCE_A_DEV_FENCED,
	P2PFENCE_A_DEV_VERDICT,
	P2PFENCE_A_DEV_DEV,
	P2PFENCE_A_DEV_LAST_TENANT,
	P2PFENCE_A_DEV_RESET_TIME,
	P2PFENCE_A_DEV_RESET_METHOD,
	P2PFENCE_A_DEV_RESET_TENANT,
	P2PFENCE_A_DEV_UNRESET,
	P2PFENCE_A_DEV_PAD,
	P2PFENCE_A_DEV_ACCEPT_NO_RESET,
	P2PFENCE_A_DEV_VFIO,
	P2PFENCE_A_DEV_TENANT_NAME,
	P2PFENCE_A_DEV_LAST_TENANT_NAME,
	P2PFENCE_A_DEV_RESET_TENANT_NAME,
	P2PFENCE_A_DEV_TRUST_ATS,
	P2PFENCE_A_DEV_TRUSTED,
	P2PFENCE_A_DEV_TRUSTED_EXACT,

	__P2PFENCE_A_DEV_MAX,
	P2PFENCE_A_DEV_MAX = (__P2PFENCE_A_DEV_MAX - 1)
};

enum {
	P2PFENCE_A_AUDIT_ISOLATED = 1,
	P2PFENCE_A_AUDIT_REPAIRED,
	P2PFENCE_A_AUDIT_VERDICT,
	P2PFENCE_A_AUDIT_VFIO_UNASSIGNED,
	P2PFENCE_A_AUDIT_VFIO_UNASSIGNED_DOMAIN,

	__P2PFENCE_A_AUDIT_MAX,
	P2PFENCE_A_AUDIT_MAX = (__P2PFENCE_A_AUDIT_MAX - 1)
};

enum {
	P2PFENCE_A_MODE_MODE = 1,

	__P2PFENCE_A_MODE_MAX,
	P2PFENCE_A_MODE_MAX = (__P2PFENCE_A_MODE_MAX - 1)
};

enum {
	P2PFENCE_A_EVENT_EVENT = 1,
	P2PFENCE_A_EVENT_DOMAIN,
	P2PFENCE_A_EVENT_BDF,
	P2PFENCE_A_EVENT_TENANT,
	P2PFENCE_A_EVENT_COMM,
	P2PFENCE_A_EVENT_VERDICT,
	P2PFENCE_A_EVENT_LAST_TENANT,
	P2PFENCE_A_EVENT_RESET_METHOD,
	P2PFENCE_A_EVENT_TENANT_NAME,
	P2PFENCE_A_EVENT_LAST_TENANT_NAME,
	P2PFENCE_A_EVENT_TRUST_ATS,
	P2PFENCE_A_EVENT_QUIRK,
	P2PFENCE_A_EVENT_TRUSTED,

	__P2PFENCE_A_EVENT_MAX,
	P2PFENCE_A_EVENT_MAX = (__P2PFENCE_A_EVENT_MAX - 1)
};

enum {
	P2PFENCE_A_QUIRK_ENTRY = 1,
	P2PFENCE_A_QUIRK_TRUSTED,

	__P2PFENCE_A_QUIRK_MAX,
	P2PFENCE_A_QUIRK_MAX = (__P2PFENCE_A_QUIRK_MAX - 1)
};

enum {
	P2PFENCE_CMD_DEV_ASSIGN = 1,
	P2PFENCE_CMD_DEV_RELEASE,
	P2PFENCE_CMD_DEV_GET,
	P2PFENCE_CMD_TENANT_GET,
	P2PFENCE_CMD_APPLY,
	P2PFENCE_CMD_AUDIT,
	P2PFENCE_CMD_MODE_GET,
	P2PFENCE_CMD_MODE_SET,
	P2PFENCE_CMD_EVENT,
	P2PFENCE_CMD_TENANT_SET,
	P2PFENCE_CMD_QUIRK_SET,
	P2PFENCE_CMD_QUIRK_GET,

	__P2PFENCE_CMD_MAX,
	P2PFENCE_CMD_MAX = (__P2PFENCE_CMD_MAX - 1)
};

#define P2PFENCE_MCGRP_MONITOR	"monitor"

#endif /* _UAPI_LINUX_P2PFENCE_H */
