# topology: mixed
# kernels: 6.1 6.12
# Several devices in one transaction, and release conditional on a tenant:
# what a VM manager needs when one VM takes two GPUs, and when its release
# hook runs after a start that failed.
. /p2pfence/lib.sh
C=$CTL
have_ctl || die "no $CTL"
mod_load audit_interval=0 || die "insmod failed"
owner() { $C -j dev show "$1" | sed -n 's/.*"tenant":\([0-9]*\).*/\1/p'; }

# 05:00.0 and 06:00.0 sit behind switch ports without ACS: one at a time is
# refused (the other would be a host device one hop away) ...
expect_rc 1 "05:00.0 alone: refused" $C dev assign 0000:05:00.0 3
# ... both at once go to one tenant
mon_start /tmp/mon
expect_rc 0 "05:00.0 and 06:00.0 together to tenant 3" \
	$C dev assign 0000:05:00.0 0000:06:00.0 3
expect_match "$OUT" '0000:05:00.0 tenant 3 fenced' "05:00.0 fenced"
expect_match "$OUT" '0000:06:00.0 tenant 3 fenced' "06:00.0 fenced"
mon_until '^assigned 0000:06:00.0 tenant 3' /tmp/mon
mon_stop /tmp/mon
expect_match "$EV" '^assigned 0000:05:00.0 tenant 3' "an assigned event per device"
OUT=$($C -j dev assign 0000:05:00.0 0000:06:00.0 3 2>/dev/null)
expect_match "$OUT" '^\[\{"dev":"0000:05:00.0".*\},\{"dev":"0000:06:00.0"' "two objects"

# all or nothing
expect_rc 1 "01:00.0 with tenant 3's 05:00.0 to tenant 4: busy" \
	$C dev assign 0000:01:00.0 0000:05:00.0 4
expect_match "$OUT" 'owned by tenant 3' "the reason names the owner"
expect_eq "$(owner 0000:01:00.0)" 0 "01:00.0 not assigned"
expect_rc 1 "01:00.0 with 07:00.0 (root port without ACS) to tenant 4: refused" \
	$C dev assign 0000:01:00.0 0000:07:00.0 4
expect_match "$OUT" '0000:07:00.0: acs-missing at 0000:00:05.0' "the reason names 07:00.0's port"
expect_eq "$(owner 0000:01:00.0)" 0 "01:00.0 not assigned either"

# release, conditional
expect_rc 1 "release 05:00.0 for tenant 4: another tenant's, refused" \
	$C dev release 0000:05:00.0 --tenant 4
expect_match "$OUT" 'owned by tenant 3, not 4' "the reason names both"
expect_eq "$(owner 0000:05:00.0)" 3 "still tenant 3's"
expect_rc 1 "release 05:00.0 alone: refused (06:00.0 would have a host neighbour)" \
	$C dev release 0000:05:00.0 --tenant 3
expect_rc 0 "release both for tenant 3" $C dev release 0000:05:00.0 0000:06:00.0 --tenant 3
expect_eq "$(owner 0000:05:00.0)$(owner 0000:06:00.0)" 00 "both the host's"
expect_rc 0 "release again for tenant 3: the host's already, success" \
	$C dev release 0000:05:00.0 0000:06:00.0 --tenant 3
expect_rc 0 "assign 01:00.0 to tenant 5" $C dev assign 0000:01:00.0 5
expect_rc 1 "a failed start's hook releasing 01:00.0 for tenant 6: refused" \
	$C dev release 0000:01:00.0 --tenant 6
expect_eq "$(owner 0000:01:00.0)" 5 "tenant 5 keeps its GPU"

expect_eq "$(dmesg_bad)" "" "no warning, BUG or oops in the kernel log"
finish
