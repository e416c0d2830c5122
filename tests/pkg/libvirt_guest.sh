# topology: switch
# kernels: 6.1 6.12
# kmods: vfio_pci vfio_iommu_type1 pci_stub
# Guest half of tests/pkg/libvirt.sh: a real libvirtd and QEMU (the /lv
# chroot of scripts/lvroot, with this tree's p2pfencectl package and so its
# hook /etc/libvirt/hooks/qemu.d/p2pfence) start small domains whose
# <hostdev> is a device of this guest; nested QEMU (TCG) only has to start.
#
#   03:00.0 04:00.0 05:00.0   behind an xio3130 switch without ACS (02:0x.0)
#   06:00.0                   alone behind an ACS root port (00:03.0)
#
# 1. vm-sw (tenant 1) asks for 03:00.0, beside the host's 04:00.0 on the
#    ACS-less switch: refused by the hook, p2pfence's reason in virsh's
#    error, the domain does not start, libvirt never bound vfio-pci.
# 2. vm-a (tenant 1) asks for 06:00.0: starts; dev show says tenant 1,
#    fenced; libvirt bound it to vfio-pci (after the hook). The figure:
#    virsh start vs the hook's own run, from libvirtd's log.
# 3. vm-b (tenant 2) asks for the same GPU: refused (another tenant's), and
#    its failed start's release (--tenant 2) leaves it with tenant 1.
# 4. vm-c (tenant 1 too) asks for it: the hook's assign is a re-check,
#    libvirt refuses the device in use; its release leaves the device to
#    vm-a (it has it open through VFIO).
# 5. libvirtd restarts while vm-a runs, its device released behind its
#    back: reconnect begin assigns it again.
# 6. destroying vm-a releases 06:00.0.
# 7. vm-a again, then libvirtd restarts without the module: the reconnect
#    hook fails closed, and libvirt stops the domain.
# 8. (tenant names) vm-u without metadata: its UUID is the tenant; vm-u2
#    (another UUID) asking for the same GPU is refused with the owner's
#    UUID in virsh's error, and its failed start does not release it.
# 9. the table says the host's while vm-a runs (an apply released it):
#    vm-d (tenant 2) is refused at prepare, the device untouched.
# 10. a hand-over (tenant 1 -> 2) while the device is on a host driver:
#    assigned at start begin, after libvirt bound vfio-pci; reset.
. /p2pfence/lib.sh
LV=/lv
[ -x $LV/usr/sbin/libvirtd ] || die "no libvirt root at $LV (scripts/lvroot archive missing)"
have_ctl || die "no $CTL"
HOOK=/etc/libvirt/hooks/qemu.d/p2pfence
LOG=$LV/var/log/libvirt/libvirtd.log
GPU=0000:06:00.0 SW=0000:03:00.0

# poll CMD... until it succeeds, at most $WAIT seconds (default 60)
poll() {
	_end=$(($(date +%s) + ${WAIT:-60}))
	until "$@" >/dev/null 2>&1; do
		[ "$(date +%s)" -lt "$_end" ] || return 1
		sleep 0.2
	done
}
IN() { chroot $LV /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root LC_ALL=C "$@"; }
VIRSH() { IN virsh -q -c qemu:///system "$@"; }
now_ms() { IN date +%s%3N; }
owner() { $CTL -j dev show "$1" | sed -n 's/.*"tenant":\([0-9]*\).*/\1/p'; }
driver() { basename "$(readlink "$SYSPCI/$1/driver" 2>/dev/null)" 2>/dev/null; }
state() { VIRSH domstate "$1" 2>&1; }

# --- vfio: the harness's intel-iommu has no interrupt remapping
# (intremap=off), which VFIO's type1 backend refuses unless told
check "modprobe vfio_iommu_type1 allow_unsafe_interrupts=1" \
	modprobe vfio_iommu_type1 allow_unsafe_interrupts=1
check "modprobe vfio_pci" modprobe vfio_pci
check "modprobe pci_stub" modprobe pci_stub
mod_load audit_interval=0 || die "insmod failed"

# --- libvirtd in the chroot, by hand (no systemd)
mkdir -p $LV/proc $LV/sys $LV/dev $LV/run $LV/var/log/libvirt
mount -t proc proc $LV/proc
mount -t sysfs sysfs $LV/sys
mount -o bind /dev $LV/dev
mount -t tmpfs tmpfs $LV/run
mkdir -p $LV/dev/pts $LV/dev/shm
mount -t devpts devpts $LV/dev/pts 2>/dev/null
mount -t tmpfs tmpfs $LV/dev/shm
cat >$LV/etc/libvirt/qemu.conf <<'EOF'
# a chroot without systemd, cgroups, udev or an LSM: QEMU runs as root
# with nothing around it; domain logs go to files (no virtlogd)
user = "root"
group = "root"
dynamic_ownership = 0
remember_owner = 0
security_driver = "none"
cgroup_controllers = [ ]
namespaces = [ ]
stdio_handler = "file"
EOF
cat >$LV/etc/libvirt/libvirtd.conf <<'EOF'
auth_unix_ro = "none"
auth_unix_rw = "none"
log_outputs = "1:file:/var/log/libvirt/libvirtd.log"
log_filters = "1:util.command 1:util.hook 1:qemu.qemu_process"
EOF
# up when virsh answers (polled, 180 s at most: a daemon that died is
# simply never up; no guess from a fixed wait that it has gone for good)
libvirtd_start() {
	IN libvirtd --daemon
	WAIT=180 poll VIRSH version
}
if libvirtd_start; then
	ok "libvirtd runs in the chroot ($(VIRSH version 2>&1 | grep -i 'running hypervisor' | sed 's/.*: *//'))"
else
	not_ok "libvirtd runs in the chroot"
	tail -n 30 $LOG | sed 's/^/#   /'
	die "no libvirtd"
fi
check "the package's hook is installed and executable" test -x $LV$HOOK

# SIGTERM, then wait until it has gone (its domains keep running)
libvirtd_stop() {
	_pid=$(cat $LV/run/libvirtd.pid 2>/dev/null)
	[ -n "$_pid" ] && kill "$_pid" && poll sh -c "! kill -0 $_pid"
}

# define DOMAIN TENANT DEV [UUID]: a small q35 TCG domain, no disk, the
# device as a managed PCI hostdev; TENANT "" leaves out the metadata
define() {
	_md=
	[ -z "$2" ] || _md="<metadata><p2pfence:tenant xmlns:p2pfence=\"urn:p2pfence:libvirt:1\">$2</p2pfence:tenant></metadata>"
	_bus=$(echo "$3" | cut -d: -f2) _slot=$(echo "$3" | cut -d: -f3 | cut -d. -f1)
	_fn=${3##*.}
	cat >$LV/tmp/$1.xml <<EOF
<domain type='qemu'>
  <name>$1</name>
  ${4:+<uuid>$4</uuid>}
  $_md
  <memory unit='MiB'>48</memory>
  <vcpu>1</vcpu>
  <os><type arch='x86_64' machine='q35'>hvm</type></os>
  <devices>
    <emulator>/usr/bin/qemu-system-x86_64</emulator>
    <controller type='usb' model='none'/>
    <memballoon model='none'/>
    <hostdev mode='subsystem' type='pci' managed='yes'>
      <source><address domain='0x0000' bus='0x$_bus' slot='0x$_slot' function='0x$_fn'/></source>
      <rom bar='off'/>
    </hostdev>
  </devices>
</domain>
EOF
	VIRSH define /tmp/$1.xml >/dev/null
}

# --- 1. behind the ACS-less switch, beside the host's devices: refused
check "define vm-sw (tenant 1, $SW)" define vm-sw 1 $SW
expect_rc 1 "virsh start vm-sw: refused" VIRSH start vm-sw
expect_match "$OUT" "p2pfencectl: dev assign $SW 1: refused: $SW: acs-missing at 0000:02:00.0 \\(peer 0000:0[45]:00.0\\)" \
	"virsh's error carries p2pfence's reason"
printf '%s\n' "$OUT" | sed 's/^/#   virsh: /'
expect_eq "$(state vm-sw)" "shut off" "vm-sw did not start"
expect_eq "$(owner $SW)" 0 "$SW stays the host's"
expect_eq "$(driver $SW)" "" "libvirt never bound $SW to vfio-pci (the hook ran first)"

# --- 2. a fenceable GPU: starts, assigned, fenced
# the tenant set the way p2pfencectl(8) tells operators to
check "define vm-a ($GPU)" define vm-a "" $GPU
check "virsh metadata vm-a urn:p2pfence:libvirt:1 --key p2pfence --set '<tenant>1</tenant>'" \
	VIRSH metadata vm-a urn:p2pfence:libvirt:1 --key p2pfence --set '<tenant>1</tenant>' --config
expect_match "$(VIRSH dumpxml vm-a)" '<p2pfence:tenant xmlns:p2pfence="urn:p2pfence:libvirt:1">1</p2pfence:tenant>' \
	"vm-a's XML carries the tenant element"
t0=$(now_ms)
expect_rc 0 "virsh start vm-a" VIRSH start vm-a
t1=$(now_ms)
expect_eq "$(state vm-a)" running "vm-a is running"
expect_rc 0 "dev show $GPU" $CTL dev show $GPU
expect_match "$OUT" "^$GPU tenant 1 fenced" "$GPU: tenant 1, fenced"
expect_eq "$(driver $GPU)" vfio-pci "libvirt bound $GPU to vfio-pci"
# the hook's own run, as libvirtd timed it: "About to run ... p2pfence
# vm-a prepare begin" to that thread's next "Result" line (ms)
hook_ms=$(awk '
	function ms(d, t,  a) { split(t, a, /[:.+]/); return a[1] * 3600000 + a[2] * 60000 + a[3] * 1000 + a[4] }
	/About to run .*qemu.d\/p2pfence vm-a prepare begin/ { th = $3; t0 = ms($1, $2); l0 = $0; next }
	th != "" && $3 == th && /Result/ {
		print ms($1, $2) - t0
		print substr(l0, 1, 150) "\n" substr($0, 1, 150) >"/tmp/hook-lines"; exit }' $LOG)
if [ -n "$hook_ms" ]; then
	ok "libvirtd's log times the hook's prepare run"
	sed 's/^/#   /' /tmp/hook-lines
	echo "# figure: $(kernel_short): virsh start vm-a (one hostdev, nested TCG) $((t1 - t0)) ms, of which the p2pfence hook $hook_ms ms ($((hook_ms * 100 / (t1 - t0)))%: sh, p2pfencectl start-up, the XML, one assign transaction)"
else
	not_ok "libvirtd's log times the hook's prepare run"
	grep -E 'hook|p2pfence' $LOG | tail -n 20 | sed 's/^/#   /'
fi

# --- 3. another tenant's domain asks for the same GPU: refused, and its
# failed start's release takes nothing from vm-a
check "define vm-b (tenant 2, $GPU)" define vm-b 2 $GPU
expect_rc 1 "virsh start vm-b: refused" VIRSH start vm-b
expect_match "$OUT" "p2pfencectl: dev assign $GPU 2: .*$GPU" "virsh's error carries p2pfence's reason"
printf '%s\n' "$OUT" | sed 's/^/#   virsh: /'
expect_eq "$(state vm-b)" "shut off" "vm-b did not start"
expect_eq "$(state vm-a)" running "vm-a still runs"
expect_eq "$(owner $GPU)" 1 "$GPU still tenant 1's after vm-b's failed start"
check "libvirt ran vm-b's release hook" grep -q 'qemu.d/p2pfence vm-b release end' $LOG

# --- 4. a second domain of the same tenant: libvirt refuses the device in
# use; the release of its failed start leaves vm-a's device alone
check "define vm-c (tenant 1 too, $GPU)" define vm-c 1 $GPU
expect_rc 1 "virsh start vm-c: refused (libvirt: in use by vm-a)" VIRSH start vm-c
printf '%s\n' "$OUT" | sed 's/^/#   virsh: /'
expect_eq "$(state vm-a)" running "vm-a still runs"
expect_eq "$(owner $GPU)" 1 "$GPU still tenant 1's after vm-c's failed start"
check "the release hook says why it kept $GPU" grep -q "$GPU kept: another VM has it open" $LOG

# --- 5. reconnect re-asserts: libvirtd restarts while vm-a runs, and the
# assignment was lost meanwhile (released by hand here)
check "libvirtd stopped" libvirtd_stop
expect_rc 0 "release $GPU behind vm-a's back" $CTL dev release $GPU
expect_eq "$(owner $GPU)" 0 "$GPU is the host's"
if libvirtd_start; then ok "libvirtd restarted"; else not_ok "libvirtd restarted"; fi
check "reconnect begin re-assigned $GPU to tenant 1" poll sh -c "[ \"\$($CTL -j dev show $GPU | sed -n 's/.*\"tenant\":\([0-9]*\).*/\1/p')\" = 1 ]"
expect_eq "$(state vm-a)" running "vm-a kept running across the restart"

# --- 6. destroy: release end gives the GPU back to the host
expect_rc 0 "virsh destroy vm-a" VIRSH destroy vm-a
expect_eq "$(state vm-a)" "shut off" "vm-a is off"
check "release end gave $GPU back to the host" poll sh -c "[ \"\$($CTL -j dev show $GPU | sed -n 's/.*\"tenant\":\([0-9]*\).*/\1/p')\" = 0 ]"
check "libvirt ran vm-a's release hook" grep -q 'qemu.d/p2pfence vm-a release end' $LOG

# --- 7. reconnect fails closed: libvirtd restarts while the module is gone
# (unloaded behind the running VM's back); the hook cannot re-assert vm-a's
# device, and libvirt stops the domain
expect_rc 0 "virsh start vm-a again" VIRSH start vm-a
expect_eq "$(owner $GPU)" 1 "$GPU tenant 1's again"
check "libvirtd stopped" libvirtd_stop
# the module stays pinned while a tenant owns a device: release it first
expect_rc 0 "release $GPU behind vm-a's back" $CTL dev release $GPU
check "rmmod p2pfence (vm-a still running)" mod_unload
if libvirtd_start; then ok "libvirtd restarted without the module"; else not_ok "libvirtd restarted without the module"; fi
check "reconnect failed closed: libvirt stopped vm-a" poll sh -c "[ \"\$(chroot $LV virsh -q -c qemu:///system domstate vm-a 2>&1)\" = 'shut off' ]"
check "libvirtd's log says the module is not loaded" \
	grep -q 'vm-a reconnect: the p2pfence module is not loaded, so nothing would fence' $LOG
mod_load audit_interval=0 || die "insmod failed"

# --- 8. tenant names: a domain without metadata is its UUID's; a second
# domain asking for the same GPU is refused by name, and its failed start's
# release leaves the GPU with the first
U=3f2504e0-4f89-11d3-9a0c-0305e82c3301
U2=9b1deb4d-3b7d-4bad-9bdd-2b0d7b3dcb6d
check "define vm-u (no metadata, uuid $U, $GPU)" define vm-u "" $GPU $U
expect_rc 0 "virsh start vm-u" VIRSH start vm-u
expect_rc 0 "dev show $GPU" $CTL dev show $GPU
expect_match "$OUT" "^$GPU tenant $U fenced" "vm-u: dev show names its UUID"
check "define vm-u2 (no metadata, uuid $U2, the same $GPU)" define vm-u2 "" $GPU $U2
expect_rc 1 "virsh start vm-u2: refused" VIRSH start vm-u2
expect_match "$OUT" "owned by tenant $U" "virsh's error names the owner by its UUID"
expect_match "$($CTL dev show $GPU)" "^$GPU tenant $U fenced" \
	"vm-u2's failed start did not release vm-u's GPU"
expect_eq "$(chroot $LV virsh -q -c qemu:///system domstate vm-u 2>&1)" running "vm-u still running"
expect_rc 0 "virsh destroy vm-u" VIRSH destroy vm-u
check "vm-u: destroy releases" poll sh -c "$CTL -j dev show $GPU | grep -q '\"tenant\":0'"

# --- 9. the table says the host's, a VM runs with the device (an apply
# released it behind the VM): another tenant's start is refused at prepare,
# and the device is not touched (no hand-over reset under the running VM)
expect_rc 0 "virsh start vm-a" VIRSH start vm-a
: >/tmp/empty.conf
expect_rc 0 "apply an empty owners.conf while vm-a runs" $CTL apply /tmp/empty.conf
expect_eq "$(owner $GPU)" 0 "$GPU the host's in the table, vm-a still using it"
check "define vm-d (tenant 2, the same $GPU)" define vm-d 2 $GPU
expect_rc 1 "virsh start vm-d: refused" VIRSH start vm-d
expect_match "$OUT" "$GPU is in use by another VM \\(pid [0-9]*, qemu" "virsh's error says another VM has it"
expect_eq "$(owner $GPU)" 0 "$GPU not given to tenant 2"
case $($CTL -j dev show $GPU) in
*'"reset_tenant":2'*) not_ok "$GPU not reset for tenant 2 under vm-a" ;;
*) ok "$GPU not reset for tenant 2 under vm-a" ;;
esac
expect_eq "$(state vm-a)" running "vm-a still running"
expect_rc 0 "virsh destroy vm-a" VIRSH destroy vm-a

# --- 10. a hand-over through the hook while the device sits on a host
# driver (pci-stub stands in for one; libvirt gives it back after each VM):
# prepare leaves it to start begin, after libvirt bound vfio-pci
check "$GPU to pci-stub" sh -c "echo pci-stub >/sys/bus/pci/devices/$GPU/driver_override &&
	echo $GPU >/sys/bus/pci/drivers_probe && [ -e /sys/bus/pci/drivers/pci-stub/$GPU ]"
expect_rc 0 "virsh start vm-d (tenant 2; $GPU's last tenant is 1)" VIRSH start vm-d
expect_match "$($CTL -j dev show $GPU)" '"tenant":2,"fenced":true' "$GPU tenant 2's, fenced"
expect_match "$($CTL -j dev show $GPU)" '"reset_tenant":2' "$GPU was reset for tenant 2"
expect_match "$(cat $LOG)" "vm-d prepare: $GPU is on pci-stub until libvirt binds vfio-pci" \
	"prepare said it leaves the assignment to start begin"
expect_rc 0 "virsh destroy vm-d" VIRSH destroy vm-d
check "vm-d: destroy releases" poll sh -c "$CTL -j dev show $GPU | grep -q '\"tenant\":0'"

expect_eq "$(dmesg_bad)" "" "no warning, BUG or oops in the kernel log"
finish
