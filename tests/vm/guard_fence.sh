# topology: mixed
# kernels: 6.1 6.12 debug
# timeout: 300
# Keep the fence: the config guard keeps a fenced port's ACS bits
# set against setpci (and says who tried), lets writes to unfenced ports
# through; with the guard off, drift is repaired by `audit` and by the
# periodic audit; the module pins itself while tenants are assigned, and
# unloading leaves every bit set and takes the guard away.
. /p2pfence/lib.sh
C=$CTL
have_ctl || die "no $CTL"
mod_load audit_interval=0 || die "insmod failed"

mon_start

expect_rc 0 "assign 01:00.0 (behind rp1) to tenant 1" $C dev assign 0000:01:00.0 1
expect_eq "$(acs_ctl 00:02.0)" 001d "rp1 fenced: SV RR CR UF"

# 1. the guard: a clear is kept from taking effect, other bits go through
setpci -s 00:02.0 ECAP_ACS+6.w=0000
expect_eq "$(acs_ctl 00:02.0)" 001d "setpci clear on fenced rp1: bits kept"
setpci -s 00:02.0 ECAP_ACS+6.w=005d
expect_eq "$(acs_ctl 00:02.0)" 001d "setpci DT on fenced rp1: DT kept clear"
setpci -s 00:02.0 ECAP_ACS+6.w=001f
expect_eq "$(acs_ctl 00:02.0)" 001f "setpci TB on fenced rp1 (not a fence bit): applied"
setpci -s 00:02.0 ECAP_ACS+6.w=001d
setpci -s 00:02.0 ECAP_ACS+4.l=00000000
expect_eq "$(acs_ctl 00:02.0)" 001d "32-bit write over cap+ctrl: bits kept"
setpci -s 00:02.0 ECAP_ACS+6.b=00
expect_eq "$(acs_ctl 00:02.0)" 001d "8-bit write to the ctrl's low byte: bits kept"
dmesg | grep -q 'kept fence bits on 0000:00:02.0' &&
	ok "kernel log names the kept write" || not_ok "kernel log names the kept write"

# rp6 (00:07.0) shares bus 0 (wrapped) but fences nobody: writes pass
setpci -s 00:07.0 ECAP_ACS+6.w=0000
expect_eq "$(acs_ctl 00:07.0)" 0000 "setpci clear on unfenced rp6: applied"
setpci -s 00:07.0 ECAP_ACS+6.w=001d
# reads through a guarded bus are untouched
expect_eq "$(setpci -s 00:02.0 VENDOR_ID.w)" "$(cat /sys/bus/pci/devices/0000:00:02.0/vendor | sed 's/0x//')" \
	"config reads through the guarded bus"

# 2. drift with the guard off: `audit` repairs it
echo 0 > /sys/module/p2pfence/parameters/guard
setpci -s 00:02.0 ECAP_ACS+6.w=0000
expect_eq "$(acs_ctl 00:02.0)" 0000 "guard off: setpci clear takes effect"
expect_rc 0 "audit repairs the drift" $C audit
expect_match "$OUT" '1 port repaired' "audit reports one repair"
expect_eq "$(acs_ctl 00:02.0)" 001d "rp1 fenced again after audit"

# 3. the periodic audit repairs it too
setpci -s 00:02.0 ECAP_ACS+6.w=0000
echo 1 > /sys/module/p2pfence/parameters/audit_interval
_i=0
while [ "$(acs_ctl 00:02.0)" != 001d ] && [ $_i -lt 40 ]; do sleep 0.5; _i=$((_i + 1)); done
expect_eq "$(acs_ctl 00:02.0)" 001d "periodic audit repaired rp1"
echo 0 > /sys/module/p2pfence/parameters/audit_interval
echo 1 > /sys/module/p2pfence/parameters/guard

# audit mode writes nothing and guards nothing; back to enforce repairs
expect_rc 0 "mode set audit" $C mode set audit
setpci -s 00:02.0 ECAP_ACS+6.w=0000
expect_eq "$(acs_ctl 00:02.0)" 0000 "audit mode: no guard, setpci clear applied"
expect_rc 0 "mode set enforce" $C mode set enforce
_i=0
while [ "$(acs_ctl 00:02.0)" != 001d ] && [ $_i -lt 20 ]; do sleep 0.25; _i=$((_i + 1)); done
expect_eq "$(acs_ctl 00:02.0)" 001d "back to enforce: rp1 repaired"
setpci -s 00:02.0 ECAP_ACS+6.w=0000
expect_eq "$(acs_ctl 00:02.0)" 001d "back to enforce: guard on again"

mon_until 'drift-repaired' /tmp/mon
mon_until 'write-blocked.*0000:00:02.0.*setpci' /tmp/mon
mon_stop /tmp/mon "#   monitor: "
grep -q 'write-blocked.*0000:00:02.0.*setpci' /tmp/mon &&
	ok "monitor: write-blocked names the port and setpci" ||
	not_ok "monitor: write-blocked names the port and setpci"
grep -q 'drift-repaired' /tmp/mon &&
	ok "monitor: drift-repaired" || not_ok "monitor: drift-repaired"

# 4. fail closed: pinned while assigned; unload keeps the bits, drops the guard
expect_rc 1 "rmmod while tenant 1 is assigned: refused" rmmod p2pfence
expect_rc 0 "release 01:00.0" $C dev release 0000:01:00.0
expect_rc 0 "rmmod with no tenant" rmmod p2pfence
expect_eq "$(acs_ctl 00:02.0)" 001d "after unload rp1's bits stay set"
setpci -s 00:02.0 ECAP_ACS+6.w=0000
expect_eq "$(acs_ctl 00:02.0)" 0000 "after unload the guard is gone (write applied)"

# 5. reload picks the state up again from apply, repairing as it goes
mod_load audit_interval=0 || not_ok "reload"
printf '0000:01:00.0 1\n0000:02:00.0 2\n' > /tmp/owners.conf
expect_rc 0 "apply after reload" $C apply /tmp/owners.conf
expect_eq "$(acs_ctl 00:02.0)" 001d "rp1 fenced again by apply"
setpci -s 00:02.0 ECAP_ACS+6.w=0000
expect_eq "$(acs_ctl 00:02.0)" 001d "guard back after reload"
# allow_unload: unload with tenants, bits stay set
echo 1 > /sys/module/p2pfence/parameters/allow_unload
expect_rc 0 "audit (re-syncs the pin)" $C audit
expect_rc 1 "rmmod with allow_unload=1 while a bus is wrapped: refused" rmmod p2pfence
echo 0 > /sys/module/p2pfence/parameters/guard
expect_rc 0 "rmmod with allow_unload=1 and guard=0 while assigned" rmmod p2pfence
expect_eq "$(acs_ctl 00:02.0)" 001d "bits stay set after that unload"
expect_eq "$(acs_ctl 00:03.0)" 001d "rp2 bits stay set after that unload"

expect_eq "$(dmesg_bad)" "" "no warning, BUG or oops in the kernel log"
finish
