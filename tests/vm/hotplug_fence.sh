# topology: empty-ports
# kernels: 6.1 6.12
# host: tests/vm/hotplug_fence.host
# timeout: 300
# Hotplug re-checks the fence. A tenant's device is hot-added
# under the ACS-less switch and assigned (alone there, it is fenced at the
# root port); then a host device is hot-added beside it: the tenant is no
# longer fenceable, and the module says so (violation event, loud log).
# Removing the tenant's device releases it (device-removed). Two add/remove
# rounds.
. /p2pfence/lib.sh
C=$CTL
have_ctl || die "no $CTL"
mod_load audit_interval=0 || die "insmod failed"
mon_start

settle() { sleep 1; } # the module re-checks 100 ms after the event

for round in 1 2; do
	echo "# READY-ADD-TENANT $round"
	check "round $round: tenant device appears at 06:00.0" wait_dev 1 06:00.0 60
	settle
	expect_rc 0 "round $round: assign 06:00.0 (alone under the switch) to tenant 7" \
		$C dev assign 0000:06:00.0 7
	expect_eq "$(acs_ctl 00:05.0)" 001d "round $round: root port rp4 fenced"

	echo "# READY-ADD-HOST $round"
	check "round $round: host device appears at 07:00.0" wait_dev 1 07:00.0 60
	settle
	dmesg | grep -q 'hotplug: 0000:06:00.0 (tenant 7) is not fenced: acs-missing at 0000:05:00.0' &&
		ok "round $round: kernel log: tenant 7 not fenced, acs-missing at sw-dn1" ||
		not_ok "round $round: kernel log: tenant 7 not fenced, acs-missing at sw-dn1"
	expect_rc 1 "round $round: audit reports the violation" $C audit
	expect_match "$OUT" '0000:06:00.0: acs-missing at 0000:05:00.0 \(peer 0000:07:00.0\)' \
		"round $round: audit names the verdict"

	echo "# READY-DEL-HOST $round"
	check "round $round: host device gone" wait_dev 0 07:00.0 60
	settle
	expect_rc 0 "round $round: audit isolated again" $C audit

	echo "# READY-DEL-TENANT $round"
	check "round $round: tenant device gone" wait_dev 0 06:00.0 60
	settle
	expect_rc 0 "round $round: tenant show" $C tenant show
	case "$OUT" in
	*06:00.0*) not_ok "round $round: 06:00.0 released after removal ($OUT)" ;;
	*) ok "round $round: 06:00.0 released after removal" ;;
	esac
	dmesg -c > /dev/null
done
mon_until '^violation by kworker' /tmp/mon 2
mon_until '^device-removed 0000:06:00.0 tenant 7' /tmp/mon 2
mon_stop /tmp/mon "#   monitor: "
expect_eq "$(grep -c '^violation by kworker' /tmp/mon)" 2 "monitor: one hotplug violation per round"
expect_eq "$(grep -c '^device-removed 0000:06:00.0 tenant 7' /tmp/mon)" 2 \
	"monitor: device-removed for the tenant's device, each round"
expect_rc 0 "rmmod (nothing assigned)" rmmod p2pfence
expect_eq "$(dmesg_bad)" "" "no warning, BUG or oops in the kernel log"
finish
