# topology: mixed
# kernels: 6.1 6.12
# The quirk opt-in against the real module: QEMU has no port the kernel
# trusts by quirk (ioh3420 8086:3420, the xio3130 ports 104c:8232/8233 and
# pcie-root-port 1b36:000c match none of pci_dev_acs_enabled[]), so this
# checks the round trip (quirk trust/untrust/show, apply's trust-quirk
# lines), that every change is logged and notified with the process, that
# bad input changes nothing, and that trusting the vendor:device of an
# ACS-less port the kernel does NOT believe isolated (the switch's
# downstream ports: both devices in one group) waives nothing.
. /p2pfence/lib.sh
C=$CTL
have_ctl || die "no $CTL"
mod_load audit_interval=0 || die "insmod failed"

d=/sys/bus/pci/devices/0000:04:00.0
dn=$(sed 's/^0x//' $d/vendor):$(sed 's/^0x//' $d/device)
diag "switch downstream port 04:00.0 is $dn"

expect_rc 0 "quirk show: empty by default" $C quirk show
expect_match "$OUT" "no vendor:device trusted" "quirk show: says none"
mon_start /tmp/mon.txt
expect_rc 0 "quirk trust $dn" $C quirk trust "$dn"
expect_match "$OUT" "^trust-quirk $dn" "quirk trust: replies with the set"
expect_rc 0 "quirk trust again: no change, success" $C quirk trust "$dn"
expect_match "$($C -j quirk show)" "\"trusted\":\\[\"$dn\"\\]" "quirk show -j lists it"
expect_match "$(dmesg | grep 'quirk opt-in')" "quirk opt-in $dn: the kernel's isolation there is trusted .*by p2pfencectl" \
	"the kernel log names the vendor:device and the process"

# the downstream port lacks ACS and the kernel groups both devices with it:
# acs-missing, not acs-faked, so the opt-in waives nothing
expect_rc 1 "trusted vendor:device, port the kernel does not believe: still refused" \
	$C dev assign 0000:05:00.0 3
expect_match "$OUT" "acs-missing at 0000:04:00.0" "refused as acs-missing"
expect_eq "$(echo "$OUT" | grep -c 'trusted:')" "0" "refusal not marked trusted"

# bad input: a usage error, the set unchanged
expect_rc 2 "quirk trust ffff:0001: usage error" $C quirk trust ffff:0001
expect_rc 2 "quirk trust 8086: usage error" $C quirk trust 8086
expect_match "$($C quirk show)" "^trust-quirk $dn\$" "bad input changed nothing"

# apply: the file's trust-quirk lines become the set; a refused table puts it back
printf 'trust-quirk 8086:1c10\n0000:01:00.0 1\n0000:05:00.0 3\n0000:06:00.0 4\n' >/tmp/qr.conf
expect_rc 1 "apply: refused table" $C apply /tmp/qr.conf
expect_match "$($C quirk show)" "^trust-quirk $dn\$" "apply refused: the old set is back"
printf 'trust-quirk 8086:1c10\n0000:01:00.0 1\n' >/tmp/qa.conf
expect_rc 0 "apply with trust-quirk 8086:1c10" $C apply /tmp/qa.conf
expect_eq "$($C quirk show)" "trust-quirk 8086:1c10" "apply: the file's set replaced the old"
expect_rc 0 "apply without trust-quirk" $C apply /dev/null
expect_match "$($C quirk show)" "no vendor:device trusted" "apply: a file without trust-quirk clears it"
expect_rc 0 "quirk untrust (not trusted): success" $C quirk untrust "$dn"

mon_until '^quirk-trust 8086:1c10 withdrawn' /tmp/mon.txt
mon_stop /tmp/mon.txt
expect_match "$EV" "^quirk-trust $dn trusted by p2pfencectl" "event: trusted, by the process"
expect_match "$EV" "^quirk-trust $dn withdrawn" "event: withdrawn (apply)"
expect_match "$EV" "^quirk-trust 8086:1c10 trusted" "event: apply's line trusted"
expect_eq "$(echo "$EV" | grep -c "^quirk-trust $dn trusted")" "2" \
	"trusting twice is one event (the other: the refused apply putting it back)"
expect_match "$(dmesg | grep 'quirk opt-in')" "quirk opt-in 8086:1c10 withdrawn" "the withdrawal is logged"
expect_eq "$(dmesg_bad)" "" "no warning, BUG or oops in the kernel log"
finish
