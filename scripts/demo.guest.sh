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
	echo "# 01:00.0 sits alone behind ACS root port 00:02.0: fenced"
	run "$CTL" dev assign 0000:01:00.0 1
	echo "00:02.0 after:  $(acs_line 00:02.0 fresh)"
	echo "# 02:00.0, behind ACS root port 00:03.0: fenced"
	run "$CTL" dev assign 0000:02:00.0 2
	echo "# 05:00.0: switch port 04:00.0 has no ACS, host-owned 06:00.0 is one hop away: refused"
	run "$CTL" dev assign 0000:05:00.0 3
	echo "#   (Linux put 05:00.0 and 06:00.0 in different IOMMU groups: groups do not"
	echo "#    compare sibling switch ports; p2pfence reads every port's registers)"
	echo "# 07:00.0: its root port 00:05.0 has ACS disabled (absent): refused"
	run "$CTL" dev assign 0000:07:00.0 4
	echo "# 08:00.0: function 1 of the same device stays the host's, no ACS: refused"
	run "$CTL" dev assign 0000:08:00.0 5
	echo "# 0a:01.0: shares a conventional PCI bus with 0a:02.0: refused"
	run "$CTL" dev assign 0000:0a:01.0 6
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
