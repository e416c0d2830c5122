# topology: mixed
# kernels: 6.1 6.12
# Devices on ACS root ports assigned to different tenants are fenced: the
# root ports' ACS control ends up SV+ RR+ CR+ UF+ with DT- EC- (lspci), even
# when setpci cleared it (or set DT) before the assignment: repaired at
# assign time. dev show / tenant show report the devices as fenced.
. /p2pfence/lib.sh
C=$CTL
have_ctl || die "no $CTL"
mod_load audit_interval=0 || die "insmod failed"

# acsctl BDF: lspci's ACSCtl line
acsctl() {
	lspci -vvv -s "$1" | sed -n 's/^[[:space:]]*ACSCtl:[[:space:]]*//p'
}

fenced_ctl() { # DESC BDF
	_c=$(acsctl "$2")
	for b in SrcValid+ ReqRedir+ CmpltRedir+ UpstreamFwd+ EgressCtrl- DirectTrans-; do
		case " $_c " in
		*" $b "*) ;;
		*) not_ok "$1: $b (ACSCtl: $_c)"; return ;;
		esac
	done
	ok "$1 (ACSCtl: $_c)"
}

# rp1: control cleared; rp2: Direct Translated P2P switched on
setpci -s 00:02.0 ECAP_ACS+6.w=0000
setpci -s 00:03.0 ECAP_ACS+6.w=005d
expect_eq "$(acs_ctl 00:02.0)" 0000 "setpci cleared rp1's ACS control"
expect_eq "$(acs_ctl 00:03.0)" 005d "setpci set DT on rp2"

expect_rc 0 "assign 01:00.0 (behind rp1) to tenant 1" $C dev assign 0000:01:00.0 1
expect_match "$OUT" '0000:01:00.0 tenant 1 fenced' "assign reply: tenant 1, fenced"
expect_rc 0 "assign 02:00.0 (behind rp2) to tenant 2" $C dev assign 0000:02:00.0 2

fenced_ctl "rp1 fenced after the assignment repaired it" 00:02.0
fenced_ctl "rp2 fenced, DT cleared" 00:03.0
expect_eq "$(acs_ctl 00:02.0)" 001d "rp1 ACS control = SV RR CR UF"
expect_eq "$(acs_ctl 00:03.0)" 001d "rp2 ACS control = SV RR CR UF"
dmesg | grep -q 'ACS control 0x0000 -> 0x001d (fence)' &&
	ok "kernel log names the write" || not_ok "kernel log names the write"

expect_rc 0 "dev show -j 01:00.0" $C -j dev show 0000:01:00.0
expect_match "$OUT" '"dev":"0000:01:00.0","tenant":1,"fenced":true' "01:00.0: tenant 1, fenced"
expect_rc 0 "dev show -j" $C -j dev show
expect_match "$OUT" '"dev":"0000:02:00.0","tenant":2,"fenced":true' "dump: 02:00.0 tenant 2, fenced"
expect_match "$OUT" '"dev":"0000:06:00.0","tenant":0,"fenced":false' "dump: 06:00.0 host"
expect_rc 0 "tenant show" $C tenant show
expect_match "$OUT" 'tenant 1: 0000:01:00.0 \(fenced\)' "tenant 1 owns 01:00.0"
expect_match "$OUT" 'tenant 2: 0000:02:00.0 \(fenced\)' "tenant 2 owns 02:00.0"
expect_rc 0 "audit: isolated" $C audit
expect_match "$OUT" '^isolated' "audit says isolated"

# assigning again to the same tenant is idempotent
expect_rc 0 "assign 01:00.0 to tenant 1 again" $C dev assign 0000:01:00.0 1
# another tenant may not take it
expect_rc 1 "assign 01:00.0 to tenant 2: busy" $C dev assign 0000:01:00.0 2
expect_match "$OUT" '0000:01:00.0: owned by tenant 1' "EBUSY names the owner"

expect_eq "$(dmesg_bad)" "" "no warning, BUG or oops in the kernel log"
finish
