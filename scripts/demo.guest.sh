# p2pfence demo, guest side (busybox sh). scripts/demo boots the mixed
# topology and runs this. It shows what the fence works from: the PCI tree,
# each port's ACS registers, the IOMMU groups; then loads the module and,
# once p2pfencectl and the netlink family exist, assigns tenants.
. /p2pfence/lib.sh

section() {
	echo
	echo "=== $*"
}

# run CMD...: show the command, run it, show a non-zero exit
run() {
	echo "\$ $*"
	"$@"
	_rc=$?
	[ "$_rc" -eq 0 ] || echo "(exit $_rc)"
	return 0
}

# assign BDF TENANT WHY: say why, then `p2pfencectl dev assign` it
assign() {
	echo "# $3"
	run "$CTL" dev assign "0000:$1" "$2"
}

# lspci_block BDF: that function's `lspci -vvv` text, from one snapshot
# (one lspci run for the whole table: each is slow under TCG)
lspci_block() {
	[ -s /tmp/lspci.vvv ] || lspci -vvv >/tmp/lspci.vvv 2>/dev/null
	awk -v d="$1" '/^[0-9a-f]/ { p = ($1 == d) } p' /tmp/lspci.vvv
}

# acs_line BDF [fresh]: compact ACS capability/control, or why there is none
acs_line() {
	if [ -n "${2:-}" ]; then
		_v=$(lspci -vvv -s "$1" 2>/dev/null)
	else
		_v=$(lspci_block "$1")
	fi
	_cap=$(printf '%s\n' "$_v" | sed -n 's/^[[:space:]]*ACSCap:[[:space:]]*//p')
	_ctl=$(printf '%s\n' "$_v" | sed -n 's/^[[:space:]]*ACSCtl:[[:space:]]*//p')
	if [ -z "$_cap" ]; then
		echo "no ACS capability"
		return
	fi
	echo "cap $(echo "$_cap" | compact_acs) | ctl $(echo "$_ctl" | compact_acs)"
}

compact_acs() {
	sed 's/SrcValid/SV/; s/TransBlk/TB/; s/ReqRedir/RR/; s/CmpltRedir/CR/;
	     s/UpstreamFwd/UF/; s/EgressCtrl/EC/; s/DirectTrans/DT/'
}

# port_kind BDF: Root Port, Downstream Port, Upstream Port, PCI bridge...
port_kind() {
	_k=$(lspci_block "$1" |
		sed -n 's/.*Capabilities: \[[0-9a-f]*\] Express ([^)]*) \([^,(]*\).*/\1/p' | head -1)
	[ -n "$_k" ] || _k="PCI device"
	echo "$_k" | sed 's/[[:space:]]*$//; s/PCI-Express to PCI\/PCI-X Bridge/PCIe-to-PCI bridge/'
}

# the demo prints the kernel log itself: keep the console for the demo
dmesg -n 1

# part 2 (p2pdemo=switch on the kernel command line): the acs-switch
# topology, with scripts/demo hot-adding a GPU when asked
demo_switch() {
	C=$CTL
	acs3() { for p in 02:00.0 02:01.0 02:02.0; do echo "  $p $(acs_line $p fresh)"; done; }
	section "part 2: a PCIe switch whose downstream ports have ACS (topology acs-switch)"
	lspci -tv | sed -n '2,4p'
	echo "# (QEMU's switch ports have no ACS; pcie-root-port devices stand in for them)"
	echo "# a GPU tuning guide cleared the switch ports' ACS for P2P speed:"
	for p in 02:00.0 02:01.0 02:02.0; do setpci -s $p ECAP_ACS+6.w=0000; done
	acs3
	run insmod "$KO" audit_interval=0
	echo "# 03:00.0 is alone below the switch: only the root port 00:02.0 is needed"
	run $C dev assign 0000:03:00.0 1
	acs3
	echo "# a second GPU is hot-added below 02:01.0 (QMP device_add), the host's for now:"
	echo "P2PDEMO-ADD"
	for _ in $(seq 300); do dev_exists 04:00.0 && break; sleep 0.2; done
	sleep 1
	echo "# 03:00.0's requests could now turn towards it inside the switch: re-checked, 02:00.0 set"
	acs3
	dmesg | grep 'p2pfence: hotplug' | tail -1 | sed 's/^/  /'
	echo "# two tenants on one switch: each downstream port redirects to the IOMMU"
	run $C dev assign 0000:04:00.0 2
	run $C tenant show
	echo "# a secondary bus reset from the switch's upstream port (setpci on its bridge"
	echo "# control) puts every port below back to ACS control 0 -- no ACS write to guard:"
	save0=$(setpci -s 02:00.0 COMMAND.w 0x18.l 0x1c.l 0x20.l 0x24.l | tr '\n' ' ')
	save1=$(setpci -s 02:01.0 COMMAND.w 0x18.l 0x1c.l 0x20.l 0x24.l | tr '\n' ' ')
	save2=$(setpci -s 02:02.0 COMMAND.w 0x18.l 0x1c.l 0x20.l 0x24.l | tr '\n' ' ')
	run setpci -s 01:00.0 BRIDGE_CONTROL.w=0040:0040
	run setpci -s 01:00.0 BRIDGE_CONTROL.w=0000:0040
	echo "  right after: 02:00.0 $(setpci -s 02:00.0 ECAP_ACS+6.w)  02:01.0 $(setpci -s 02:01.0 ECAP_ACS+6.w)"
	# put back what the kernel's own reset path would (bus numbers, windows)
	for x in "02:00.0 $save0" "02:01.0 $save1" "02:02.0 $save2"; do
		set -- $x
		setpci -s $1 0x18.l=$3 0x1c.l=$4 0x20.l=$5 0x24.l=$6 COMMAND.w=$2
	done
	echo "# the guard saw the bridge-control write; a re-check a second later repairs:"
	sleep 2
	acs3
	dmesg | grep 'p2pfence: bus reset' | tail -1 | sed 's/^/  /'
	run $C audit
	run $C apply /dev/null
	run rmmod p2pfence
	bad=$(dmesg_bad | grep -v 'circular locking\|pciehp')
	[ -z "$bad" ] && echo "kernel log clean" || { echo "$bad"; exit 1; }
}
grep -q 'p2pdemo=switch' /proc/cmdline && { dmesg -n 1; demo_switch; exit 0; }

section "kernel $(uname -r)"

section "PCI tree (lspci -tv)"
lspci -tv

section "ACS per port and per function that has it (SV RR CR UF needed; DT EC off)"
for d in "$SYSPCI"/*; do
	b=${d##*/}
	short=${b#0000:}
	class=$(cat "$d/class")
	acs=$(acs_line "$short")
	case $class in
	0x0604*|0x0600*) ;;
	*) [ "$acs" = "no ACS capability" ] && continue ;;
	esac
	[ "$class" = 0x060000 ] && continue
	printf '%-9s %-26s %s\n' "$short" "$(port_kind "$short")" "$acs"
done

section "IOMMU groups (type: devices)"
for g in $(ls /sys/kernel/iommu_groups | sort -n); do
	gd=/sys/kernel/iommu_groups/$g
	devs=$(ls "$gd/devices" | sed 's/^0000://' | tr '\n' ' ')
	printf 'group %-3s %-8s %s\n' "$g" "$(cat "$gd/type" 2>/dev/null)" "$devs"
done

section "load p2pfence"
run insmod "$KO"
dmesg | grep 'p2pfence' | sed 's/^/  /'

# Tenant assignment: only once p2pfencectl and the module's netlink family
# exist (p2pfencectl mode show answers); a no-op before that.
if have_ctl && "$CTL" mode show >/dev/null 2>&1; then
	section "assign tenants (p2pfencectl)"
	echo "# clear 00:02.0's ACS control first, to see the fence set it again"
	run setpci -s 00:02.0 ECAP_ACS+6.w=0000
	echo "00:02.0 before: $(acs_line 00:02.0 fresh)"
	assign 01:00.0 1 "01:00.0 sits alone behind ACS root port 00:02.0: fenced"
	echo "00:02.0 after:  $(acs_line 00:02.0 fresh)"
	assign 02:00.0 2 "02:00.0, behind ACS root port 00:03.0: fenced"
	assign 05:00.0 3 "05:00.0: switch port 04:00.0 has no ACS, host-owned 06:00.0 is one hop away: refused"
	echo "#   (Linux put 05:00.0 and 06:00.0 in different IOMMU groups: groups do not"
	echo "#    compare sibling switch ports; p2pfence reads every port's registers)"
	assign 07:00.0 4 "07:00.0: its root port 00:05.0 has ACS disabled (absent): refused"
	assign 08:00.0 5 "08:00.0: function 1 of the same device stays the host's, no ACS: refused"
	assign 0a:01.0 6 "0a:01.0: shares a conventional PCI bus with 0a:02.0: refused"
	echo "# both devices behind the ACS-less switch to ONE tenant, in one transaction: fine"
	printf '0000:01:00.0 1\n0000:02:00.0 2\n0000:05:00.0 3\n0000:06:00.0 3\n' > /tmp/owners.conf
	run cat /tmp/owners.conf
	run "$CTL" apply /tmp/owners.conf

	section "state"
	run "$CTL" dev show
	run "$CTL" tenant show
	run "$CTL" audit

	section "keep the fence"
	echo "# a GPU tuning guide says: clear ACS for P2P speed. The guard keeps the fence bits:"
	run setpci -s 00:02.0 ECAP_ACS+6.w=0000
	echo "00:02.0 now:    $(acs_line 00:02.0 fresh)"
	dmesg | grep 'kept fence bits' | tail -1 | sed 's/^/  /'
	echo "# releasing one of tenant 3's switch devices would leave the other next to a host device:"
	run "$CTL" dev release 0000:05:00.0
	echo "# the module refuses to unload while tenants are assigned (fail closed):"
	run rmmod p2pfence
	run "$CTL" apply /dev/null

	section "offline: can this host isolate these GPUs? (no module needed)"
	run "$CTL" check --assign 0000:01:00.0=1 --assign 0000:07:00.0=2
	echo "# with no assignment: the smallest units that can go to distinct tenants"
	run "$CTL" check
else
	section "tenant assignment"
	echo "p2pfencectl or the module's netlink family is not there yet: skipped"
fi

section "unload p2pfence"
run rmmod p2pfence
echo "00:02.0 after unload: $(acs_line 00:02.0 fresh)   (bits stay set)"
bad=$(dmesg_bad)
if [ -n "$bad" ]; then
	echo "kernel log has problems:"
	echo "$bad"
	exit 1
fi
echo "kernel log clean"
