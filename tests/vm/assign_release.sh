# topology: mixed
# kernels: 6.1 6.12
# Release and re-assign. A released device goes back to the host; the fence
# bits stay set (fail closed), also across rmmod (allow_unload=1 and guard=0:
# the guard pins the module while it wraps a bus); the device can then go to
# another tenant. Releasing a host device is a no-op success.
. /p2pfence/lib.sh
C=$CTL
have_ctl || die "no $CTL"
mod_load audit_interval=0 allow_unload=1 || die "insmod failed"

setpci -s 00:02.0 ECAP_ACS+6.w=0000
expect_rc 0 "assign 01:00.0 to tenant 1" $C dev assign 0000:01:00.0 1
expect_eq "$(acs_ctl 00:02.0)" 001d "rp1 programmed"
expect_rc 0 "release 01:00.0" $C dev release 0000:01:00.0
expect_match "$OUT" '0000:01:00.0 host' "release reply: host"
expect_rc 0 "dev show -j 01:00.0" $C -j dev show 0000:01:00.0
expect_match "$OUT" '"tenant":0,"fenced":false' "01:00.0 is the host's"
expect_eq "$(acs_ctl 00:02.0)" 001d "rp1 keeps its fence bits after release"
expect_rc 0 "release 01:00.0 again: no-op" $C dev release 0000:01:00.0
expect_rc 0 "re-assign 01:00.0 to tenant 5" $C dev assign 0000:01:00.0 5
expect_match "$OUT" '0000:01:00.0 tenant 5 fenced' "tenant 5 owns it, fenced"
expect_rc 2 "release a missing device: ENODEV" $C dev release 0000:1f:00.0

expect_rc 1 "rmmod with a tenant assigned and the guard on: refused (pinned while a bus is wrapped)" rmmod p2pfence
echo 0 > /sys/module/p2pfence/parameters/guard
expect_match "$(cat /sys/kernel/debug/p2pfence/stats)" 'wrapped_buses 0' "guard=0 unwraps every bus at once"
check "rmmod with a tenant assigned (allow_unload=1, guard=0)" mod_unload
expect_eq "$(acs_ctl 00:02.0)" 001d "fence bits stay set after rmmod"
check "insmod again" mod_load audit_interval=0
expect_rc 0 "dev show -j 01:00.0 after reload" $C -j dev show 0000:01:00.0
expect_match "$OUT" '"tenant":0' "a reload starts with an empty table"
expect_eq "$(dmesg_bad)" "" "no warning, BUG or oops in the kernel log"
finish
