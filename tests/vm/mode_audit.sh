# topology: mixed
# kernels: 6.1 6.12
# Audit mode (module parameter mode=audit, and mode set over netlink)
# reports verdicts and writes nothing: an assignment is recorded and
# answered with its verdicts, no register changes, audit lists violations.
# Switching back to enforce re-checks at once: acs-disabled drift is
# repaired before `mode set enforce` returns, what cannot be fenced is logged.
. /p2pfence/lib.sh
C=$CTL
have_ctl || die "no $CTL"
mod_load mode=audit audit_interval=0 || die "insmod mode=audit failed"

expect_eq "$(cat /sys/module/p2pfence/parameters/mode)" audit "module parameter mode=audit"
expect_rc 0 "mode show" $C mode show
expect_eq "$OUT" audit "netlink says audit"

setpci -s 00:03.0 ECAP_ACS+6.w=0000
setpci -s 00:04.0 ECAP_ACS+6.w=0000
# exit 0: recorded; the verdicts in the reply say what enforce would do
expect_rc 0 "audit mode: assign 02:00.0 (rp2 cleared) is recorded" $C -j dev assign 0000:02:00.0 2
expect_match "$OUT" '"kind":"acs-disabled"' "reply carries the acs-disabled verdict"
expect_eq "$(acs_ctl 00:03.0)" 0000 "rp2 not written in audit mode"
expect_rc 0 "audit mode: assign 05:00.0 (behind the switch) is recorded" $C -j dev assign 0000:05:00.0 3
expect_match "$OUT" '"kind":"acs-missing"' "reply carries the acs-missing verdict"
expect_match "$OUT" '"fenced":false' "reported not fenced"
expect_eq "$(acs_ctl 00:04.0)" 0000 "rp3 not written in audit mode"
expect_rc 0 "tenant show" $C tenant show
expect_match "$OUT" 'tenant 2: 0000:02:00.0' "audit mode recorded 02:00.0 for tenant 2"
expect_match "$OUT" 'tenant 3: 0000:05:00.0' "audit mode recorded 05:00.0 for tenant 3"
expect_rc 1 "audit mode: audit finds violations" $C -j audit
expect_match "$OUT" '"isolated":false' "not isolated"
expect_match "$OUT" '"kind":"acs-disabled"' "acs-disabled listed"
expect_match "$OUT" '"kind":"acs-missing"' "acs-missing listed"
expect_match "$OUT" '"repaired":0' "nothing repaired"
expect_eq "$(acs_ctl 00:03.0)" 0000 "rp2 still not written"

expect_rc 0 "mode set enforce" $C mode set enforce
expect_eq "$(cat /sys/module/p2pfence/parameters/mode)" enforce "parameter follows netlink"
# switching to enforce re-checks before it returns: drift is repaired now
expect_eq "$(acs_ctl 00:03.0)" 001d "switching to enforce repaired rp2 before returning"
expect_eq "$(acs_ctl 00:04.0)" 001d "switching to enforce repaired rp3 before returning"
dmesg | grep -q 'mode change: 0000:05:00.0 (tenant 3) is not fenced: acs-missing' &&
	ok "the switch logged what it cannot fence" || not_ok "the switch logged what it cannot fence"
expect_rc 1 "enforce: audit: acs-missing remains" $C -j audit
expect_match "$OUT" '"repaired":0' "nothing left for audit to repair"
expect_match "$OUT" '"kind":"acs-missing"' "acs-missing still reported"
expect_eq "$(acs_ctl 00:03.0)" 001d "rp2 fenced"
expect_rc 0 "release 05:00.0" $C dev release 0000:05:00.0
expect_rc 0 "audit: isolated now" $C audit
expect_rc 0 "mode set audit via sysfs parameter" sh -c 'echo audit >/sys/module/p2pfence/parameters/mode'
expect_rc 0 "mode show" $C mode show
expect_eq "$OUT" audit "netlink follows the parameter"

# several devices in one request, audit mode: each assigned event carries
# that device's verdicts (05:00.0 behind the switch has one, 01:00.0 none)
mon_start /tmp/mon
expect_rc 0 "audit mode: 05:00.0 and 01:00.0 to tenant 9 in one request" \
	$C dev assign 0000:05:00.0 0000:01:00.0 9
mon_until '^assigned 0000:05:00.0 tenant 9' /tmp/mon
mon_until '^assigned 0000:01:00.0 tenant 9' /tmp/mon
mon_stop /tmp/mon
expect_match "$(grep -A1 '^assigned 0000:05:00.0' /tmp/mon)" 'acs-missing' \
	"the assigned event of 05:00.0 carries its verdict"
expect_eq "$(grep -A1 '^assigned 0000:01:00.0' /tmp/mon | grep -c acs-missing)" 0 \
	"the assigned event of 01:00.0 carries none of 05:00.0's"
expect_eq "$(dmesg_bad)" "" "no warning, BUG or oops in the kernel log"
finish
