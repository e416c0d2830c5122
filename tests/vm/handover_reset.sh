# topology: handover
# kernels: 6.1 6.12
# kmods: pci_stub vfio_pci
# Tenant hand-over: a device never moves to another tenant without a reset
# the kernel confirms. The register that shows it is the virtio device's
# device_status (common config + 0x14, in a BAR): the test writes 1 there,
# and a reset clears it -- a register a tenant could leave state in, which
# no saved-and-restored config state covers.
. /p2pfence/lib.sh
C=$CTL
have_ctl || die "no $CTL"
mod_load audit_interval=0 || die "insmod failed"
A=0000:01:00.0 F0=0000:02:00.0 F1=0000:02:00.1

vstatus_addr() { # DEV -> physical address of its virtio device_status
	set -- $(lspci -s "$1" -vv | sed -n '/VirtIO: CommonCfg/{n;s/.*BAR=\([0-9]*\) offset=\([0-9a-f]*\).*/\1 \2/p;}') "$1"
	base=$(sed -n "$(($1 + 1))p" "/sys/bus/pci/devices/$3/resource" | cut -d' ' -f1)
	printf '0x%x\n' $((base + 0x$2 + 0x14))
}
vstatus_set() { setpci -s "$1" COMMAND=0x0006 && devmem "$(vstatus_addr "$1")" 8 1; }
vstatus() { setpci -s "$1" COMMAND=0x0006 && devmem "$(vstatus_addr "$1")" 8; }
json() { $C -j dev show "$1"; }

# --- a device with FLR ------------------------------------------------------
expect_match "$(cat /sys/bus/pci/devices/$A/reset_method)" '^flr' "$A resets by FLR first"
expect_rc 0 "assign $A to tenant 1 (nothing known of it: no reset)" $C dev assign $A 1
vstatus_set $A
expect_eq "$(vstatus $A)" 0x01 "tenant 1 leaves device_status 1"
expect_rc 0 "release $A" $C dev release $A
expect_match "$(json $A)" '"last_tenant":1' "the host's now; last tenant 1 remembered"
expect_rc 0 "tenant 1 takes it back" $C dev assign $A 1
expect_eq "$(vstatus $A)" 0x01 "same tenant: no reset (device_status still 1)"
expect_match "$(json $A)" '"reset_time":null' "no reset recorded"
expect_rc 0 "release $A" $C dev release $A
mon_start /tmp/mon.txt
expect_rc 0 "tenant 2 takes $A: reset first" $C dev assign $A 2
expect_eq "$(vstatus $A)" 0x00 "device_status cleared by the reset"
out=$(json $A)
expect_match "$out" '"reset_method":"flr"' "dev show: reset by flr"
expect_match "$out" '"reset_tenant":2' "dev show: for tenant 2"
expect_match "$out" '"reset_time":"20[0-9-]*T' "dev show: when"
expect_match "$out" '"fenced":true' "and fenced"
mon_until "^handover-reset" /tmp/mon.txt
mon_stop /tmp/mon.txt
expect_match "$EV" "^handover-reset $A tenant 2" "handover-reset event"
expect_match "$EV" "last tenant 1" "the event names the tenant before"
expect_match "$(dmesg)" "$A: reset .function. for tenant 2" "the log says so"

# --- bound to another driver: refused; vfio-pci: reset --------------------------
vstatus_set $A
expect_rc 0 "release $A" $C dev release $A
check "modprobe pci_stub" modprobe pci_stub
echo pci-stub >/sys/bus/pci/devices/$A/driver_override
echo $A >/sys/bus/pci/drivers_probe
expect_match "$(readlink /sys/bus/pci/devices/$A/driver)" 'pci-stub' "$A bound to pci-stub"
expect_rc 1 "tenant 3 takes $A under pci-stub: refused" $C dev assign $A 3
expect_match "$OUT" "$A: no-reset: driver" "the reason names the driver"
expect_eq "$(vstatus $A)" 0x01 "not reset"
expect_match "$(json $A)" '"tenant":0,' "still the host's"
echo $A >/sys/bus/pci/drivers/pci-stub/unbind
check "modprobe vfio_pci" modprobe vfio_pci
echo vfio-pci >/sys/bus/pci/devices/$A/driver_override
echo $A >/sys/bus/pci/drivers_probe
expect_match "$(readlink /sys/bus/pci/devices/$A/driver)" 'vfio-pci' "$A bound to vfio-pci"
expect_rc 0 "tenant 3 takes $A under vfio-pci: reset" $C dev assign $A 3
expect_eq "$(vstatus $A)" 0x00 "device_status cleared"
expect_match "$(json $A)" '"reset_tenant":3' "reset for tenant 3"
echo $A >/sys/bus/pci/drivers/vfio-pci/unbind
echo >/sys/bus/pci/devices/$A/driver_override

# --- no reset method --------------------------------------------------------
vstatus_set $A
expect_rc 0 "release $A" $C dev release $A
echo >/sys/bus/pci/devices/$A/reset_method
expect_eq "$(cat /sys/bus/pci/devices/$A/reset_method)" "" "reset methods of $A emptied"
expect_rc 1 "tenant 4 takes $A, which cannot be reset: refused" $C dev assign $A 4
expect_match "$OUT" "$A: no-reset at $A: no-method" "the reason: no method"
expect_match "$(json $A)" '"tenant":0,' "still the host's"
expect_rc 0 "tenant 4 takes it, accepting no reset" $C dev assign $A 4 --accept-no-reset
expect_match "$(json $A)" '"unreset":true' "dev show: unreset"
expect_eq "$(vstatus $A)" 0x01 "not reset"
expect_rc 0 "release $A" $C dev release $A
expect_rc 1 "tenant 3 after an unreset hand-over: a reset is due again" $C dev assign $A 3
echo default >/sys/bus/pci/devices/$A/reset_method
expect_rc 0 "release $A" $C dev release $A

# --- a multifunction device: only a bus reset, vfio-pci on every function ---
printf '%s 1\n%s 1\n' $F0 $F1 >/tmp/t1.conf
expect_rc 0 "apply: both functions to tenant 1" $C apply /tmp/t1.conf
vstatus_set $F0
vstatus_set $F1
echo >/sys/bus/pci/devices/$F0/reset_method
echo >/sys/bus/pci/devices/$F1/reset_method
mon_start /tmp/mon2.txt
printf '%s 2\n%s 1\n' $F0 $F1 >/tmp/t2.conf
expect_rc 1 "apply: function 0 to tenant 2 beside tenant 1's function 1: refused" \
	$C apply /tmp/t2.conf
mon_until "no-reset at" /tmp/mon2.txt
mon_stop /tmp/mon2.txt
expect_match "$EV" "no-reset at 0000:00:03.0 .peer $F1.: bus-shared" \
	"the refused event carries no-reset: only a bus reset, shared"
expect_eq "$(vstatus $F0)" 0x01 "function 0 not reset"
vstatus_set $A
printf '%s 6\n%s 2\n%s 2\n' $A $F0 $F1 >/tmp/t3a.conf
expect_rc 1 "apply: $A to 6, both functions to 2, not on vfio-pci: refused" \
	$C apply /tmp/t3a.conf
expect_match "$OUT" "no-reset: driver" "the reason: a bus reset needs vfio-pci"
expect_eq "$(vstatus $F0)" 0x01 "function 0 not reset"
expect_eq "$(vstatus $A)" 0x00 "$A was reset before the failure (the plan runs in address order)"
out=$(json $A)
expect_match "$out" '"tenant":0,' "$A is still the host's: nothing committed"
expect_match "$out" '"reset_tenant":6' "its reset is recorded all the same"
expect_rc 0 "tenant 7 takes $A: clean since that reset, no second one" $C dev assign $A 7
expect_match "$(json $A)" '"reset_tenant":6' "no new reset"
expect_rc 0 "release $A" $C dev release $A
printf '%s 2\n%s 2\n' $F0 $F1 >/tmp/t3.conf
for f in $F0 $F1; do
	echo vfio-pci >/sys/bus/pci/devices/$f/driver_override
	echo $f >/sys/bus/pci/drivers_probe
done
expect_match "$(readlink /sys/bus/pci/devices/$F1/driver)" 'vfio-pci' "both functions on vfio-pci"
expect_rc 0 "apply: both functions to tenant 2: one bus reset" $C apply /tmp/t3.conf
expect_eq "$(vstatus $F0)" 0x00 "function 0 reset"
expect_eq "$(vstatus $F1)" 0x00 "function 1 reset"
expect_match "$(json $F0)" '"reset_method":"bus"' "function 0: by a bus reset"
expect_match "$(json $F1)" '"reset_tenant":2' "function 1: reset for tenant 2"
expect_eq "$(acs_ctl 00:03.0)" 001d "the root port's fence bits back after the bus reset"

expect_eq "$(dmesg_bad)" "" "no warning, BUG or oops in the kernel log"
finish
