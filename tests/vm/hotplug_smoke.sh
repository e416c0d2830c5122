# topology: empty-ports
# kernels: 6.12
# host: tests/vm/hotplug_smoke.host
# timeout: 120
# Harness check: the host side hotplugs a device into an empty root port
# over QMP (device_add), the guest sees it with an IOMMU group, then the
# host removes it (device_del) and the guest sees it go.
. /p2pfence/lib.sh

check "no device at 01:00.0 at boot" wait_dev 0 01:00.0 1
echo "# READY-FOR-ADD"
check "hotplugged device appears at 01:00.0" wait_dev 1 01:00.0 60
expect_ne "$(iommu_group 01:00.0)" "" "hotplugged device has an IOMMU group"
expect_match "$(iommu_type 01:00.0)" '^DMA' "its domain translates DMA"
echo "# READY-FOR-DEL"
check "removed device is gone" wait_dev 0 01:00.0 60
finish
