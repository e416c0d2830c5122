# topology: mixed
# kernels: 6.1 6.12
# Drift: after an assignment, setpci clears the fenced root port's ACS
# control (or sets DT); `audit` in enforce mode repairs it and reports
# isolated; audit with no drift repairs nothing.
. /p2pfence/lib.sh
C=$CTL
have_ctl || die "no $CTL"
# the config-space guard would block the setpci below and the periodic
# audit would repair before we look: both off for this test
mod_load guard=0 audit_interval=0 || die "insmod failed"

expect_rc 0 "assign 01:00.0 to tenant 1" $C dev assign 0000:01:00.0 1
expect_rc 0 "audit: isolated, nothing to repair" $C -j audit
expect_match "$OUT" '"isolated":true,"repaired":0' "clean audit"

setpci -s 00:02.0 ECAP_ACS+6.w=0000
expect_eq "$(acs_ctl 00:02.0)" 0000 "setpci cleared rp1"
expect_rc 0 "dev show -j 01:00.0: drift visible" $C -j dev show 0000:01:00.0
expect_match "$OUT" '"fenced":false' "not fenced while drifted"
expect_match "$OUT" '"kind":"acs-disabled"' "acs-disabled reported"
expect_rc 0 "audit repairs" $C -j audit
expect_match "$OUT" '"isolated":true,"repaired":1' "one port repaired, isolated"
expect_eq "$(acs_ctl 00:02.0)" 001d "rp1 back to SV RR CR UF"

setpci -s 00:02.0 ECAP_ACS+6.w=005d
expect_rc 0 "audit clears DT" $C -j audit
expect_match "$OUT" '"repaired":1' "DT drift repaired"
expect_eq "$(acs_ctl 00:02.0)" 001d "rp1 DT cleared"
expect_eq "$(dmesg_bad)" "" "no warning, BUG or oops in the kernel log"
finish
