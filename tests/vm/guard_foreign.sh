# topology: two-rootports
# kernels: 6.1 6.12 debug
# kmods: aer_inject
# timeout: 300
# Another pci_ops wrapper on top of the guard's: aer_inject (a Debian
# module) wraps the bus of the device it injects an error into. The guard
# cannot unwrap from under it, so after the last fence on the bus goes the
# bus stays wrapped (a pass-through), the module stays pinned (rmmod
# refused, no oops), and once aer_inject is unloaded the next sync unwraps
# and rmmod works. Loaded the other way round (aer_inject first), the guard
# does not wrap over it (the two could call each other for ever) and says so.
. /p2pfence/lib.sh
C=$CTL
have_ctl || die "no $CTL"
mod_load audit_interval=0 || die "insmod failed"
stat() { sed -n "s/^$1 //p" /sys/kernel/debug/p2pfence/stats; }

expect_rc 0 "assign 01:00.0 to tenant 1" $C dev assign 0000:01:00.0 1
expect_eq "$(stat wrapped_buses)" 1 "bus 00 wrapped"
check "modprobe aer_inject" modprobe aer_inject
[ -c /dev/aer_inject ] || mknod /dev/aer_inject c 10 "$(sed -n 's/^ *\([0-9]*\) aer_inject$/\1/p' /proc/misc)"
# struct aer_error_inj: bus 0, dev 2, fn 0, pad, uncor 0, cor 1 (receiver
# error), header_log0..3 0, domain 0 -> rp1 (00:02.0), on bus 00
printf '\000\002\000\000\000\000\000\000\001\000\000\000\000\000\000\000\000\000\000\000\000\000\000\000\000\000\000\000\000\000\000\000' >/tmp/einj
check "inject a correctable error at rp1 (aer_inject wraps bus 00 over the guard)" \
	dd if=/tmp/einj of=/dev/aer_inject bs=32 count=1
expect_eq "$(setpci -s 02:00.0 VENDOR_ID.w)" 1af4 "config reads through both wrappers"
setpci -s 00:02.0 ECAP_ACS+6.w=0000
expect_eq "$(acs_ctl 00:02.0)" 001d "the guard still keeps rp1's bits under aer_inject"

expect_rc 0 "release 01:00.0 (the guard cannot unwrap bus 00 now)" $C dev release 0000:01:00.0
expect_eq "$(stat stuck_buses)" 1 "bus 00 is stuck (another wrapper on top)"
dmesg | grep -q 'pci_ops wrapped by another module' &&
	ok "kernel log says another module wrapped the bus" ||
	not_ok "kernel log says another module wrapped the bus"
expect_rc 1 "rmmod p2pfence while aer_inject sits on top: refused" rmmod p2pfence
setpci -s 00:02.0 ECAP_ACS+6.w=0000
expect_eq "$(acs_ctl 00:02.0)" 0000 "no port fenced: writes pass through the stuck wrapper"
setpci -s 00:02.0 ECAP_ACS+6.w=001d
expect_eq "$(setpci -s 01:00.0 VENDOR_ID.w)" 1af4 "config reads still work"

check "rmmod aer_inject (gives the guard's ops back)" rmmod aer_inject
expect_rc 0 "audit (syncs the guard)" $C audit
expect_eq "$(stat wrapped_buses)" 0 "the next sync unwrapped bus 00"
expect_rc 0 "rmmod p2pfence" rmmod p2pfence
expect_eq "$(setpci -s 02:00.0 VENDOR_ID.w)" 1af4 "config reads after unload"

# 2. aer_inject first, then the fence: the guard must not wrap over another
# wrapper (the two could call each other for ever); it says so instead
check "modprobe aer_inject again" modprobe aer_inject
[ -c /dev/aer_inject ] || mknod /dev/aer_inject c 10 "$(sed -n 's/^ *\([0-9]*\) aer_inject$/\1/p' /proc/misc)"
check "inject again (aer_inject wraps bus 00 first)" dd if=/tmp/einj of=/dev/aer_inject bs=32 count=1
mod_load audit_interval=0 || not_ok "insmod with aer_inject on bus 00"
expect_rc 0 "assign 01:00.0 (bits programmed)" $C dev assign 0000:01:00.0 1
dmesg | grep -q "0000:00: pci_ops are another module's" &&
	ok "the guard refused to wrap over aer_inject, and said so" ||
	not_ok "the guard refused to wrap over aer_inject, and said so"
check "a second injection with both loaded" dd if=/tmp/einj of=/dev/aer_inject bs=32 count=1
expect_eq "$(setpci -s 02:00.0 VENDOR_ID.w)" 1af4 "config reads work (no loop between the wrappers)"
expect_eq "$(stat wrapped_buses)" 0 "no bus wrapped"
expect_rc 0 "release" $C dev release 0000:01:00.0
expect_rc 0 "rmmod p2pfence" rmmod p2pfence
check "rmmod aer_inject" rmmod aer_inject
expect_eq "$(dmesg_bad)" "" "kernel log clean"
finish
