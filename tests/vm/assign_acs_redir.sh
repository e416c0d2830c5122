# topology: mixed
# kernels: 6.1 6.12
# append: pci=disable_acs_redir=0000:00:02.0
# A root port whose ACS redirect bits the kernel cleared at boot
# (pci=disable_acs_redir=) is repaired when a device behind it is assigned.
# Needs the kernel argument above (scripts/vm --append); skipped without it.
. /p2pfence/lib.sh
C=$CTL
have_ctl || die "no $CTL"
case " $(cat /proc/cmdline) " in
*" pci=disable_acs_redir=0000:00:02.0 "*) ;;
*)
	skip "assign repairs disable_acs_redir" "kernel started without pci=disable_acs_redir=0000:00:02.0"
	finish
	exit $?
	;;
esac
mod_load audit_interval=0 || die "insmod failed"

ctl=$(acs_ctl 00:02.0)
diag "rp1 ACS control at boot: $ctl"
expect_eq "$(( 0x$ctl & 0x0c ))" 0 "boot left RR and CR off on rp1"
expect_rc 0 "assign 01:00.0 to tenant 1" $C dev assign 0000:01:00.0 1
expect_eq "$(acs_ctl 00:02.0)" 001d "rp1 repaired: SV RR CR UF"
expect_rc 0 "audit: isolated" $C audit
expect_eq "$(dmesg_bad)" "" "no warning, BUG or oops in the kernel log"
finish
