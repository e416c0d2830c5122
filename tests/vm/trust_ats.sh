# topology: ats
# kernels: 6.1 6.12 debug
# The same-tenant GPUDirect opt-in (tenant set TENANT --trust-ats, owners.conf
# trust-ats lines through apply): a trusted tenant's devices are accepted
# with ATS -- no Translation Blocking at their ports, not even where the
# port cannot block (an ACS-less switch port) -- while other owners' ports
# keep TB. Clearing the trust is refused while a device of the tenant could
# then not be fenced, and sets TB where it can. Every change is logged and
# evented (trust-changed). The trust outlives the tenant's devices (and the
# names GC) until cleared or replaced by an apply.
. /p2pfence/lib.sh
C=$CTL
have_ctl || die "no $CTL"
mod_load audit_interval=0 || die "insmod failed"
mon_start

trusted() { # TENANT -> true/false from tenant show -j
	$C -j tenant show "$1" | sed -n 's/.*"trust_ats":\(true\|false\).*/\1/p'
}

# 1. set before any device is assigned: kept though it owns nothing yet
expect_rc 0 "tenant set vm-g --trust-ats" $C tenant set vm-g --trust-ats
expect_match "$OUT" 'tenant vm-g: ATS trusted' "reply: trusted"
expect_rc 1 "the untrusted tenant 3: 06:00.0 (ATS, ACS-less switch port) refused" \
	$C dev assign 0000:06:00.0 3
expect_rc 0 "trusted vm-g: 06:00.0 accepted with ATS" $C dev assign 0000:06:00.0 vm-g
expect_eq "$(trusted vm-g)" true "tenant show: vm-g ATS trusted"
expect_match "$($C tenant show vm-g)" '\(ATS trusted\): 0000:06:00.0 \(fenced\)' \
	"tenant show text: (ATS trusted), fenced"
expect_rc 0 "trusted vm-g: 01:00.0 (ATS, behind rp1)" $C dev assign 0000:01:00.0 vm-g
expect_eq "$(acs_ctl 00:02.0)" 001d "rp1: no TB for a trusted tenant (SV RR CR UF)"
setpci -s 00:02.0 ECAP_ACS+6.w=001f
setpci -s 00:02.0 ECAP_ACS+6.w=001d
expect_eq "$(acs_ctl 00:02.0)" 001d "rp1: TB is not kept for a trusted tenant (setpci clears it)"

# 2. clearing the trust while 06:00.0 cannot be fenced without it: refused
expect_rc 1 "tenant set vm-g --no-trust-ats: refused" $C tenant set vm-g --no-trust-ats
expect_match "$OUT" 'ats-enabled at 0000:05:00.0' "refusal names the switch port"
expect_eq "$(trusted vm-g)" true "vm-g still trusted"

# 3. without 06:00.0 it goes through, and TB is set at rp1
expect_rc 0 "release 06:00.0" $C dev release 0000:06:00.0
expect_rc 0 "tenant set vm-g --no-trust-ats" $C tenant set vm-g --no-trust-ats
expect_match "$OUT" 'tenant vm-g: ATS not trusted' "reply: not trusted"
expect_eq "$(acs_ctl 00:02.0)" 001f "rp1: TB set once the trust is gone"
expect_eq "$(trusted vm-g)" false "tenant show: vm-g not trusted"
dmesg | grep -q 'tenant vm-g: ATS trusted, GPUDirect opt-in (by p2pfencectl)' &&
	ok "kernel log: the opt-in, by whom" || not_ok "kernel log: the opt-in, by whom"
dmesg | grep -q 'tenant vm-g: ATS no longer trusted' &&
	ok "kernel log: the opt-out" || not_ok "kernel log: the opt-out"

# 4. apply: the trusted set becomes the file's trust-ats lines, with the table
printf '0000:06:00.0 vm-h\ntrust-ats vm-h\n' >/tmp/gdr.conf
expect_rc 0 "apply: 06:00.0 to vm-h, trust-ats vm-h" $C apply /tmp/gdr.conf
expect_eq "$(trusted vm-h)" true "vm-h trusted by apply"
expect_match "$($C -j tenant show)" '^\[\{"tenant":2147483[0-9]*,"tenant_name":"vm-h","trust_ats":true' \
	"01:00.0 released by apply: vm-h the only tenant"
printf '0000:06:00.0 vm-h\n' >/tmp/nogdr.conf
expect_rc 1 "apply without the trust-ats line: refused (06:00.0 needs it)" $C apply /tmp/nogdr.conf
expect_eq "$(trusted vm-h)" true "refused apply: vm-h still trusted"

# 5. the trust of a tenant that owns nothing outlives the names GC, and is shown
expect_rc 0 "tenant set vm-z --trust-ats" $C tenant set vm-z --trust-ats
expect_rc 0 "audit (a write transaction: names GC)" $C audit
expect_match "$($C tenant show vm-z)" '^tenant vm-z \(id [0-9]*\) \(ATS trusted\):$' \
	"tenant show vm-z: trusted, no devices"
expect_match "$($C -j tenant show)" '"tenant_name":"vm-z","trust_ats":true,"devs":\[\]' \
	"tenant show -j (dump): vm-z listed though it owns nothing"
expect_rc 0 "vm-z: 07:00.0 (ATS, rp5)" $C dev assign 0000:07:00.0 vm-z
expect_eq "$(acs_ctl 00:06.0)" 001d "rp5: no TB, vm-z's trust survived the GC"

mon_until 'trust-changed' /tmp/mon 4
mon_stop
expect_match "$EV" 'trust-changed tenant vm-g ATS trusted by p2pfencectl' "event: vm-g trusted"
expect_match "$EV" 'trust-changed tenant vm-g ATS not trusted by p2pfencectl' "event: vm-g not trusted"
expect_match "$EV" 'trust-changed tenant vm-h ATS trusted' "event: vm-h trusted by apply"
expect_match "$EV" 'trust-changed tenant vm-z ATS trusted' "event: vm-z trusted"

# 6. a trust change is refused only for what it breaks: an assignment the
# module cannot fence (made under allow_ats=1) does not stand in the way
expect_rc 0 "release 06:00.0 (vm-h)" $C dev release 0000:06:00.0
echo 1 >/sys/module/p2pfence/parameters/allow_ats
expect_rc 0 "allow_ats=1: assign 06:00.0 (ATS, ACS-less switch port) to tenant 3" \
	$C dev assign 0000:06:00.0 3
echo 0 >/sys/module/p2pfence/parameters/allow_ats
expect_rc 0 "tenant set 9 --trust-ats despite tenant 3's unfenceable 06:00.0" $C tenant set 9 --trust-ats
expect_rc 0 "tenant set 9 --no-trust-ats too" $C tenant set 9 --no-trust-ats

expect_rc 0 "apply an empty table (no trust left)" $C apply /dev/null
mod_unload || not_ok "rmmod"
expect_eq "$(acs_ctl 00:02.0)" 001f "rp1 keeps TB after unload"
expect_no_leak "kmemleak: nothing the module allocated left behind"
bad=$(dmesg_bad)
[ -z "$bad" ] && ok "no kernel warnings" || { not_ok "no kernel warnings"; printf '%s\n' "$bad" | sed 's/^/#   /'; }
finish
