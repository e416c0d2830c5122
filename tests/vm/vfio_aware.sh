# topology: mixed
# kernels: 6.1 6.12
# kmods: vfio_pci
# VFIO awareness: a host-owned device bound to vfio-pci was handed to a VM
# manager but assigned to no tenant -- nothing fences it. The module says so
# (vfio-bound event, dev show, audit) and, with vfio_strict=1, audit counts
# it as not isolated.
. /p2pfence/lib.sh
C=$CTL
have_ctl || die "no $CTL"
check "modprobe vfio_pci" modprobe vfio_pci
mod_load audit_interval=0 || die "insmod failed"
to_vfio() {
	echo vfio-pci >"/sys/bus/pci/devices/$1/driver_override"
	echo "$1" >/sys/bus/pci/drivers_probe
}

expect_rc 0 "assign 01:00.0 to tenant 1" $C dev assign 0000:01:00.0 1
mon_start /tmp/mon
to_vfio 0000:01:00.0	# assigned: nothing to say
to_vfio 0000:02:00.0	# the host's: a provisioning gap
expect_match "$(readlink /sys/bus/pci/devices/0000:02:00.0/driver)" vfio-pci "02:00.0 on vfio-pci"
mon_until '^vfio-bound 0000:02:00.0' /tmp/mon
mon_stop /tmp/mon
expect_match "$EV" '^vfio-bound 0000:02:00.0' "vfio-bound event for the host-owned device"
case "$EV" in
*"vfio-bound 0000:01:00.0"*) not_ok "no vfio-bound event for tenant 1's device" ;;
*) ok "no vfio-bound event for tenant 1's device (it came first)" ;;
esac
expect_match "$(dmesg)" '0000:02:00.0 is on vfio-pci but assigned to no tenant' "the log says so"

expect_rc 0 "dev show 02:00.0" $C dev show 0000:02:00.0
expect_match "$OUT" '0000:02:00.0 host on vfio-pci, assigned to no tenant' "dev show says so"
expect_match "$($C -j dev show 0000:01:00.0)" '"tenant":1,"fenced":true,"vfio":true' "JSON: vfio on a tenant's device"
expect_rc 0 "audit: isolated (a gap, not a violation)" $C audit
expect_match "$OUT" '0000:02:00.0: on vfio-pci, assigned to no tenant' "audit lists it"
expect_match "$($C -j audit)" '"vfio_unassigned":\["0000:02:00.0"\]' "audit JSON lists it"
echo 1 >/sys/module/p2pfence/parameters/vfio_strict
expect_rc 1 "vfio_strict=1: audit not isolated" $C audit
expect_rc 0 "assign 02:00.0 to tenant 2" $C dev assign 0000:02:00.0 2
expect_rc 0 "vfio_strict=1, every vfio device assigned: isolated" $C audit
expect_match "$($C -j audit)" '"vfio_unassigned":\[\]' "nothing listed"
echo 0 >/sys/module/p2pfence/parameters/vfio_strict

expect_eq "$(dmesg_bad)" "" "no warning, BUG or oops in the kernel log"
finish
