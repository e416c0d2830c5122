# topology: mixed
# kernels: 6.1 6.12
# The monitor group sees assigned, refused, released and drift-repaired.
. /p2pfence/lib.sh
C=$CTL
have_ctl || die "no $CTL"
mod_load audit_interval=0 guard=0 || die "insmod failed"

mon_start /tmp/mon.txt
$C dev assign 0000:01:00.0 1 >/dev/null 2>&1
$C dev assign 0000:05:00.0 2 >/dev/null 2>&1
$C dev release 0000:01:00.0 >/dev/null 2>&1
$C dev assign 0000:02:00.0 4 >/dev/null 2>&1
setpci -s 00:03.0 ECAP_ACS+6.w=0000
$C audit >/dev/null 2>&1
printf '0000:02:00.0 4\n0000:01:00.0 6\n' >/tmp/m.conf
$C apply /tmp/m.conf >/dev/null 2>&1
mon_until '^assigned 0000:01:00.0 tenant 6' /tmp/mon.txt
mon_stop /tmp/mon.txt
expect_match "$EV" '^assigned 0000:01:00.0 tenant 1' "assigned"
expect_match "$EV" '^refused 0000:05:00.0 tenant 2' "refused"
expect_match "$EV" 'acs-missing' "refused event carries the verdict"
expect_match "$EV" '^released 0000:01:00.0 tenant 1' "released"
expect_match "$EV" '^drift-repaired' "drift-repaired"
expect_match "$EV" 'acs-disabled' "drift-repaired carries the verdict"
expect_match "$EV" '^assigned 0000:01:00.0 tenant 6' "apply: assigned"
expect_match "$EV" 'by p2pfencectl' "events name the process"
expect_eq "$(dmesg_bad)" "" "no warning, BUG or oops in the kernel log"
finish
