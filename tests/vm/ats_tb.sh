# topology: ats
# kernels: 6.1 6.12
# Translated requests. A device with the ATS capability can send requests
# marked translated, which the root complex does not translate again; the
# IOMMU driver turns ATS on at every domain attach (here: intel-iommu with
# device-iotlb=on). So ATS is judged by the capability, whatever its enable
# bit says, and a tenant device's port must block translated requests (ACS
# Translation Blocking, TB): the fence sets TB there and keeps it against
# setpci; a port without TB (ioh3420, an ACS-less switch port) cannot be
# fenced: ats-enabled, refused, nothing changed. allow_ats=1 accepts ATS.
. /p2pfence/lib.sh
C=$CTL
have_ctl || die "no $CTL"

# atsctl BDF: lspci's ATSCtl line ("Enable+ Smallest Translation Unit: 00")
atsctl() {
	lspci -vvv -s "$1" | sed -n 's/^[[:space:]]*ATSCtl:[[:space:]]*//p'
}
owner_of() { # BDF -> tenant number from dev show -j
	$C -j dev show "$1" | sed -n 's/.*"tenant":\([0-9]*\).*/\1/p'
}

expect_match "$(lspci -vvv -s 01:00.0)" 'Address Translation Service \(ATS\)' \
	"01:00.0 has the ATS capability (lspci)"
expect_match "$(atsctl 01:00.0)" 'Enable\+' "the IOMMU turned ATS on at attach (device-iotlb)"
expect_eq "$(acs_ctl 00:02.0)" 001d "rp1 as Linux left it: SV RR CR UF, no TB"

# offline check first: no module needed
expect_rc 1 "check --assign 01:00.0=1: not yet isolated" $C -j check --assign 0000:01:00.0=1
expect_match "$OUT" '"kind":"acs-disabled","dev":"0000:01:00.0","at":"0000:00:02.0","peer":"0000:02:00.0","missing":\["TB"\]' \
	"check: TB needed at rp1"
expect_match "$OUT" '"fixable":true' "check: fixable by the module"

mod_load audit_interval=0 || die "insmod failed"
mon_start

# 1. a port with TB: the fence sets it and keeps it
expect_rc 0 "assign 01:00.0 (ATS, behind rp1) to tenant 1" $C dev assign 0000:01:00.0 1
expect_eq "$(acs_ctl 00:02.0)" 001f "rp1 fenced: SV TB RR CR UF"
expect_match "$(lspci -vvv -s 00:02.0 | sed -n 's/^[[:space:]]*ACSCtl://p')" 'TransBlk\+' \
	"lspci: rp1 TransBlk+"
setpci -s 00:02.0 ECAP_ACS+6.w=001d
expect_eq "$(acs_ctl 00:02.0)" 001f "setpci clearing TB on rp1: TB kept"
setpci -s 00:02.0 ECAP_ACS+6.w=0000
expect_eq "$(acs_ctl 00:02.0)" 001f "setpci clearing all of rp1: all kept"
dmesg | grep -q '0000:01:00.0: ATS is on (the IOMMU driver.s) below 0000:00:02.0, which now blocks translated requests (TB): its translation requests will fail; boot with pci=noats' &&
	ok "kernel log: ATS on below a TB port, the way out" || not_ok "kernel log: ATS on below a TB port, the way out"
expect_rc 0 "dev show -j 01:00.0" $C -j dev show 0000:01:00.0
expect_match "$OUT" '"dev":"0000:01:00.0","tenant":1,"fenced":true' "01:00.0: tenant 1, fenced"
expect_rc 0 "audit: isolated" $C audit
expect_match "$OUT" '^isolated' "audit says isolated"

# 2. the enable bit off does not make a device safe: judged by capability
setpci -s 07:00.0 ECAP_ATS+6.w=0000
expect_match "$(atsctl 07:00.0)" 'Enable-' "setpci turned 07:00.0's ATS enable bit off"
expect_rc 1 "check --assign 07:00.0=4 (ATS off): TB still needed" $C -j check --assign 0000:07:00.0=4
expect_match "$OUT" '"at":"0000:00:06.0","peer":"[0-9a-f:.]*","missing":\["TB"\]' "check: TB at rp5"
expect_rc 0 "assign 07:00.0 (ATS capability, enable off) to tenant 4" $C dev assign 0000:07:00.0 4
expect_eq "$(acs_ctl 00:06.0)" 001f "rp5 fenced with TB"
dmesg | grep -q '0000:07:00.0: ATS is on' && not_ok "no ATS warning for 07:00.0 (its ATS is off)" ||
	ok "no ATS warning for 07:00.0 (its ATS is off)"

# 3. a root port without ACS (ioh3420): no TB, refused, nothing changes
expect_rc 1 "assign 03:00.0 (ATS, behind ioh3420) to tenant 2: refused" \
	$C dev assign 0000:03:00.0 2
expect_match "$OUT" 'ats-enabled at 0000:00:04.0|acs-missing at 0000:00:04.0' "refusal names the port"
expect_rc 1 "check: both verdicts" $C -j check --assign 0000:03:00.0=2
expect_match "$OUT" '"kind":"ats-enabled","dev":"0000:03:00.0","at":"0000:00:04.0","peer":null,"missing":\["TB"\],"why":"cannot block translated requests","[^}]*"fixable":false' \
	"check: ats-enabled at the ioh3420, why"
expect_eq "$(owner_of 0000:03:00.0)" 0 "03:00.0 still the host's"

# 4. behind an ACS-less switch port, alone: only the TB is missing
expect_rc 1 "assign 06:00.0 (ATS, ACS-less switch port) to tenant 3: refused" \
	$C dev assign 0000:06:00.0 3
expect_match "$OUT" 'ats-enabled at 0000:05:00.0: cannot block translated requests' \
	"extack: ats-enabled at the switch port, why"
expect_eq "$(owner_of 0000:06:00.0)" 0 "06:00.0 still the host's"
mon_until 'refused.*0000:06:00.0'
expect_match "$(cat /tmp/mon)" 'refused.*0000:06:00.0' "monitor: refused event for 06:00.0"

# 4b. TB at a port blocks every device below it: beside the host's ATS
# function (08:00.0) it would cut the host's ATS off: refused at the port
expect_rc 1 "assign 08:00.1 (ATS, the host's ATS function 08:00.0 beside it): refused" \
	$C dev assign 0000:08:00.1 5
expect_match "$OUT" 'ats-enabled at 0000:00:07.0 \(peer 0000:08:00.0\): peer uses ATS' \
	"extack: ats-enabled at the port, the host's ATS function as peer"
expect_eq "$(acs_ctl 00:07.0)" 001d "rp6 untouched: no TB"
expect_rc 0 "both functions to one tenant: TB serves both" $C dev assign 0000:08:00.0 0000:08:00.1 5
expect_eq "$(acs_ctl 00:07.0)" 001f "rp6: TB set for tenant 5's two ATS functions"
expect_rc 0 "release 08:00.0 08:00.1" $C dev release 0000:08:00.0 0000:08:00.1

# 5. allow_ats=1: ATS accepted, no TB needed; back to 0: audit reports it
echo 1 >/sys/module/p2pfence/parameters/allow_ats
expect_rc 0 "allow_ats=1: assign 06:00.0 to tenant 3" $C dev assign 0000:06:00.0 3
echo 0 >/sys/module/p2pfence/parameters/allow_ats
expect_rc 1 "allow_ats=0 again: audit reports the unfenceable ATS" $C audit
expect_match "$OUT" 'ats-enabled at 0000:05:00.0' "audit: ats-enabled at the switch port"
expect_rc 0 "release 06:00.0" $C dev release 0000:06:00.0

# 6. unload: TB stays (fail closed)
expect_rc 0 "release 01:00.0 and 07:00.0" $C dev release 0000:01:00.0 0000:07:00.0
expect_eq "$(acs_ctl 00:02.0)" 001f "rp1 keeps TB after release"
mon_stop
mod_unload || not_ok "rmmod"
expect_eq "$(acs_ctl 00:02.0)" 001f "rp1 keeps TB after unload"
expect_eq "$(acs_ctl 00:06.0)" 001f "rp5 keeps TB after unload"
expect_no_leak "kmemleak: nothing the module allocated left behind"
bad=$(dmesg_bad)
[ -z "$bad" ] && ok "no kernel warnings" || { not_ok "no kernel warnings"; printf '%s\n' "$bad" | sed 's/^/#   /'; }
finish
