# topology: mixed
# kernels: 6.1 6.12
# Both devices behind the ACS-less switch to one tenant is isolated (from
# everyone else) and accepted, through apply. Releasing one of them would
# leave the other unfenceable (a host device beside it): refused, table
# unchanged. Bad apply files change nothing; an empty file releases all.
. /p2pfence/lib.sh
C=$CTL
have_ctl || die "no $CTL"
mod_load audit_interval=0 || die "insmod failed"

printf '0000:05:00.0 3\n0000:06:00.0 3\n' >/tmp/sw.conf
expect_rc 0 "apply: both switch devices to tenant 3" $C apply /tmp/sw.conf
expect_rc 0 "dev show -j" $C -j dev show
expect_match "$OUT" '"dev":"0000:05:00.0","tenant":3,"fenced":true' "05:00.0 tenant 3, fenced"
expect_match "$OUT" '"dev":"0000:06:00.0","tenant":3,"fenced":true' "06:00.0 tenant 3, fenced"
expect_eq "$(acs_ctl 00:04.0)" 001d "rp3 above the switch fenced"

table=$($C tenant show)
expect_rc 1 "release 05:00.0: refused" $C dev release 0000:05:00.0
expect_match "$OUT" '0000:06:00.0: acs-missing at 0000:04:01.0 \(peer 0000:05:00.0\)' \
	"release refusal names the assignment it would break"
expect_match "$OUT" "hint: .*release them in one command" "release refusal points to releasing them together"
expect_eq "$($C tenant show)" "$table" "table unchanged after the refused release"

# one at a time works for the same tenant once the other is in: 06:00.0 is
# tenant 3's already, so re-assigning 05:00.0 is accepted
expect_rc 0 "assign 05:00.0 to tenant 3 again" $C dev assign 0000:05:00.0 3

# bad files: an unfenceable device, a port, a duplicate; nothing changes
printf '0000:05:00.0 3\n0000:06:00.0 3\n0000:07:00.0 4\n' >/tmp/bad1.conf
expect_rc 1 "apply with an unfenceable device: refused" $C apply /tmp/bad1.conf
expect_match "$OUT" '0000:07:00.0: acs-missing at 0000:00:05.0' "apply refusal names the verdict"
printf '0000:05:00.0 3\n0000:00:02.0 4\n' >/tmp/bad2.conf
expect_rc 2 "apply with a root port: refused" $C apply /tmp/bad2.conf
printf '0000:05:00.0 3\n0000:05:00.0 4\n' >/tmp/bad3.conf
expect_rc 2 "apply with a duplicate: refused" $C apply /tmp/bad3.conf
printf '0000:05:00.0 3\n0000:1e:00.0 4\n' >/tmp/bad4.conf
expect_rc 2 "apply with a missing device: refused" $C apply /tmp/bad4.conf
expect_eq "$($C tenant show)" "$table" "table unchanged after the bad files"

: >/tmp/empty.conf
expect_rc 0 "apply an empty file: everything back to the host" $C apply /tmp/empty.conf
expect_rc 0 "tenant show" $C -j tenant show
expect_eq "$OUT" "[]" "no tenant left"
expect_eq "$(acs_ctl 00:04.0)" 001d "fence bits stay set after release (fail closed)"
expect_eq "$(dmesg_bad)" "" "no warning, BUG or oops in the kernel log"
finish
