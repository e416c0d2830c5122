# topology: mixed
# kernels: 6.1 6.12
# append: pci=disable_acs_redir=0000:00:03.0
# The boot-time ACS policy: the kernel cleared RR and CR on rp2 (00:03.0)
# at boot because the command line says so. p2pfencectl names that option
# wherever it prints a verdict at rp2 (check, dev assign in audit mode,
# audit, monitor), and where the fence holds the path against it (dev
# assign and dev show in enforce mode); the module fences 02:00.0 all the
# same (fail closed). A device whose port the option does not name gets no
# note. Needs the kernel argument above (scripts/vm --append); skipped
# without it.
. /p2pfence/lib.sh
C=$CTL
NOTE='relaxed at boot by disable_acs_redir=0000:00:03.0'
have_ctl || die "no $CTL"
case " $(cat /proc/cmdline) " in
*" pci=disable_acs_redir=0000:00:03.0 "*) ;;
*)
	skip "the boot policy's notes" "kernel started without pci=disable_acs_redir=0000:00:03.0"
	finish
	exit $?
	;;
esac
diag "rp2 ACS control at boot: $(acs_ctl 00:03.0)"
expect_eq "$(( 0x$(acs_ctl 00:03.0) & 0x0c ))" 0 "boot left RR and CR off on rp2"

# offline, on the live /sys: /proc/cmdline is the policy
expect_rc 1 "check: 02:00.0 behind the relaxed rp2 is a fixable violation" \
	$C check --assign 0000:02:00.0=1
expect_match "$OUT" "^0000:02:00.0: acs-disabled at 0000:00:03.0 .*\\(fixable by the module\\) \\($NOTE\\)$" \
	"check: the verdict names the option"
expect_rc 0 "check --emit-config-acs for 02:00.0" $C check --assign 0000:02:00.0=1 --emit-config-acs
expect_match "$OUT" '^pci=config_acs=00111x1@0000:00:03\.0$' "check --emit-config-acs: rp2's bits"

mod_load audit_interval=0 || die "insmod failed"

# audit mode: the verdicts say what enforce would do, with the note
expect_rc 0 "mode set audit" $C mode set audit
mon_start
expect_rc 0 "audit mode: assign 02:00.0 is recorded" $C dev assign 0000:02:00.0 1
expect_match "$OUT" "^  0000:02:00.0: acs-disabled at 0000:00:03.0 .*\\($NOTE\\)$" \
	"audit mode: dev assign's verdict names the option"
mon_until "$NOTE"
mon_stop
expect_match "$EV" "^  0000:02:00.0: acs-disabled at 0000:00:03.0 .*\\($NOTE\\)$" \
	"monitor: the event's verdict names the option"
expect_rc 1 "audit mode: audit finds the violation" $C -j audit
expect_match "$OUT" '"at":"0000:00:03.0",[^}]*"boot_policy":"disable_acs_redir=0000:00:03.0"' \
	"audit -j: boot_policy on the verdict at rp2"
expect_rc 0 "audit mode: dev show 02:00.0" $C -j dev show 0000:02:00.0
expect_match "$OUT" '"boot_policy":"disable_acs_redir=0000:00:03.0"' "dev show -j: boot_policy"
expect_match "$OUT" '"boot_overrides":\[\]' "dev show -j: nothing overridden yet"
expect_eq "$(( 0x$(acs_ctl 00:03.0) & 0x0c ))" 0 "audit mode wrote nothing"
expect_rc 0 "audit mode: release 02:00.0" $C dev release 0000:02:00.0
expect_rc 0 "mode set enforce" $C mode set enforce

# enforce: the fence overrides the operator's setting, and says so
expect_rc 0 "enforce: assign 02:00.0 to tenant 1" $C dev assign 0000:02:00.0 1
expect_match "$OUT" "^0000:02:00.0 tenant 1 fenced" "enforce: fenced all the same"
expect_match "$OUT" "^  0000:00:03.0: $NOTE, overridden by the fence: set RR CR$" \
	"enforce: dev assign names the option it overrides"
expect_eq "$(( 0x$(acs_ctl 00:03.0) & 0x1d ))" $(( 0x1d )) "rp2 fenced: SV RR CR UF"
expect_rc 0 "dev show -j 02:00.0" $C -j dev show 0000:02:00.0
expect_match "$OUT" '"boot_overrides":\[\{"at":"0000:00:03.0","boot_policy":"disable_acs_redir=0000:00:03.0","overridden":\["RR","CR"\]\}\]' \
	"dev show -j: boot_overrides"
expect_match "$OUT" '"fenced":true' "dev show -j: fenced"
expect_rc 0 "audit: isolated" $C audit
# a port the option does not name: no note
expect_rc 0 "assign 01:00.0 (rp1, not named) to tenant 2" $C dev assign 0000:01:00.0 2
case $OUT in
*"relaxed at boot"*) not_ok "no note for a device whose path the option does not name"; diag "$OUT" ;;
*) ok "no note for a device whose path the option does not name" ;;
esac
expect_eq "$(dmesg_bad)" "" "no warning, BUG or oops in the kernel log"
finish
