# shellcheck shell=bash
# tests/ctl/lspci-lib.sh - what a customer would send, made from a sysfs
# snapshot (tests/fixtures/<topology>-<kernel>): sourced by tests/ctl/run.sh
# and tests/ctl/make-lspci-fixtures.
#
#   lspci_of SNAP OPTION...   the real lspci on the snapshot (lspci -xxxx ...)
#   groups_of SNAP            `find /sys/kernel/iommu_groups/ -type l` as it
#                             would print on that machine, then the groups'
#                             types as `grep -H . /sys/kernel/iommu_groups/*/type`

lspci_of() {
	local snap=$1
	shift
	lspci -A linux-sysfs -O sysfs.path="$snap/bus/pci" "$@"
}

groups_of() {
	local snap=$1 d g t
	for d in "$snap"/bus/pci/devices/*; do
		g=$(readlink "$d/iommu_group") || continue
		printf '/sys/kernel/iommu_groups/%s/devices/%s\n' "${g##*/}" "${d##*/}"
	done | sort -t/ -k5,5n -k7
	for t in "$snap"/kernel/iommu_groups/*/type; do
		[ -f "$t" ] || continue
		g=${t%/type}
		printf '/sys/kernel/iommu_groups/%s/type:%s\n' "${g##*/}" "$(cat "$t")"
	done | sort -t/ -k5,5n
}
