# topology: mixed
# kernels: 6.1 6.12
# Devices the hardware cannot isolate are refused with the right verdict and
# nothing changes: behind the ACS-less switch (acs-missing at its downstream
# port), behind the disable-acs root port (acs-missing there), behind the
# conventional bridge (conventional-bridge), one function of a multifunction
# device without ACS (multifunction-no-acs). Owner table, dev dump and every
# port's ACS control read the same before and after; rp3, above the switch,
# had its control cleared and a refused assignment must not repair it.
. /p2pfence/lib.sh
C=$CTL
have_ctl || die "no $CTL"
mod_load audit_interval=0 || die "insmod failed"

setpci -s 00:04.0 ECAP_ACS+6.w=0000

state() {
	for p in 00:02.0 00:03.0 00:04.0 00:05.0 00:06.0 00:07.0 03:00.0 04:00.0 04:01.0 09:00.0 08:00.0; do
		echo "$p ctl=$(acs_ctl $p)"
	done
	$C -j dev show
	$C tenant show
}
before=$(state)

refuse() { # DEV VERDICT-REGEX
	expect_rc 1 "assign $1: refused (exit 1)" $C dev assign "$1" 7
	expect_match "$OUT" "^p2pfencectl: .*$2" "assign $1: extack says $2"
}
refuse 0000:05:00.0 '0000:05:00.0: acs-missing at 0000:04:00.0 \(peer 0000:06:00.0\)'
refuse 0000:06:00.0 '0000:06:00.0: acs-missing at 0000:04:01.0 \(peer 0000:05:00.0\)'
refuse 0000:07:00.0 '0000:07:00.0: acs-missing at 0000:00:05.0 \(peer 0000:..:..\..\)'
refuse 0000:0a:01.0 '0000:0a:01.0: conventional-bridge at 0000:09:00.0 \(peer 0000:0a:02.0\)'
refuse 0000:0a:02.0 '0000:0a:02.0: conventional-bridge at 0000:09:00.0 \(peer 0000:0a:01.0\)'
refuse 0000:08:00.0 '0000:08:00.0: multifunction-no-acs at 0000:08:00.0 \(peer 0000:08:00.1\)'

# usage errors (exit 2): a port, a device that is not there
expect_rc 2 "assign a root port: EINVAL" $C dev assign 0000:00:02.0 7
expect_match "$OUT" 'a port or bridge is never assigned' "port refusal text"
expect_rc 2 "assign a missing device: ENODEV" $C dev assign 0000:1f:00.0 7
expect_match "$OUT" '0000:1f:00.0: no such PCI device' "missing device text"

after=$(state)
expect_eq "$after" "$before" "owner table, dump and every ACS control unchanged"
expect_eq "$(acs_ctl 00:04.0)" 0000 "rp3's cleared control was not touched"
expect_eq "$(dmesg_bad)" "" "no warning, BUG or oops in the kernel log"
finish
