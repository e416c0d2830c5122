# topology: mixed
# kernels: 6.1 6.12 debug
# timeout: 900
# Load/unload cycles. Each cycle: insmod, assign two
# devices to two tenants (p2pfencectl, or nlfuzz when the CLI is missing),
# check the guard keeps the fence bits against a setpci clear, rmmod with the
# tenants still assigned (insmod allow_unload=1 and guard=0 first: without them the module pins
# itself while it owns devices), then check the fence bits stayed set after
# the unload (fail closed) and that a setpci clear now takes effect (the
# guard's pci_ops are gone: ops restored); the next cycle's assign must
# program the bits again. At the end: no splat in
# dmesg, kmemleak clean (debug kernel). Short form: 10 cycles; full
# (`p2pstress=full` on the kernel command line): 100; `cycles=N` overrides.
. /p2pfence/lib.sh

n=10
for a in $(cat /proc/cmdline); do
	case $a in
	p2pstress=full) n=100 ;;
	cycles=*) n=${a#cycles=} ;;
	esac
done
diag "kernel $(uname -r), $n cycles"

assign() {
	if have_ctl; then "$CTL" dev assign "$(bdf "$1")" "$2"; else nlfuzz assign "$1" "$2"; fi
}

# fenced: SV RR CR UF (0x1d) set and DT (0x40) clear
fenced_bits() {
	v=$(acs_ctl "$1")
	[ -n "$v" ] && [ $((0x$v & 0x5d)) -eq $((0x1d)) ]
}

ports="00:02.0 00:03.0"
bad=0 guard_bad=0 stay_bad=0 restore_bad=0 reprog_bad=0 assign_bad=0
i=0
start=$(date +%s)
while [ "$i" -lt "$n" ]; do
	i=$((i + 1))
	if ! mod_load allow_unload=1; then not_ok "insmod in cycle $i"; bad=1; break; fi
	if ! assign 01:00.0 1 >/tmp/a.out 2>&1 || ! assign 02:00.0 2 >>/tmp/a.out 2>&1; then
		assign_bad=$((assign_bad + 1))
		sed 's/^/# /' /tmp/a.out
	fi
	for p in $ports; do
		fenced_bits $p || { reprog_bad=$((reprog_bad + 1)); diag "cycle $i: $p not fenced after assign ($(acs_ctl $p))"; }
		# the guard keeps the bits against a clear while loaded
		setpci -s "$(bdf $p)" ECAP_ACS+6.w=0000
		fenced_bits $p || { guard_bad=$((guard_bad + 1)); diag "cycle $i: guard let $p be cleared ($(acs_ctl $p))"; }
	done
	# every third cycle: a monitor listener and a dump in flight at rmmod
	if [ $((i % 3)) -eq 0 ]; then
		nlfuzz monitor-listen 3 >/dev/null 2>&1 &
		sleep 1
	fi
	# the guard pins the module while it wraps a bus: guard=0 unwraps
	echo 0 > /sys/module/p2pfence/parameters/guard
	if ! mod_unload; then
		not_ok "rmmod in cycle $i (tenants assigned)"
		bad=1
		lsmod | sed 's/^/# /'
		break
	fi
	wait
	for p in $ports; do
		fenced_bits $p || { stay_bad=$((stay_bad + 1)); diag "cycle $i: $p lost fence bits at unload ($(acs_ctl $p))"; }
		# ops restored: a clear now reaches the hardware
		setpci -s "$(bdf $p)" ECAP_ACS+6.w=0000
		[ "$(acs_ctl $p)" = 0000 ] || { restore_bad=$((restore_bad + 1)); diag "cycle $i: $p clear after unload did not take effect ($(acs_ctl $p)): guard still installed"; }
	done
done
secs=$(($(date +%s) - start))
diag "$i cycles in ${secs}s"
expect_eq "$i" "$n" "completed $n load/assign/unload cycles"
expect_eq "$assign_bad" 0 "assignments accepted in every cycle"
expect_eq "$reprog_bad" 0 "assign programmed the fence bits in every cycle"
expect_eq "$guard_bad" 0 "the guard kept the bits against setpci while loaded"
expect_eq "$stay_bad" 0 "fence bits stayed set after every unload"
expect_eq "$restore_bad" 0 "pci_ops restored after every unload (setpci clear takes effect)"
if mod_loaded; then mod_unload; fi
# leave the root ports fenced as the kernel had them
for p in $ports; do setpci -s "$(bdf $p)" ECAP_ACS+6.w=001d; done

expect_no_splat
expect_no_leak "kmemleak: no unreferenced object after $i cycles"
echo "LOADCYCLES cycles=$i seconds=$secs $(splat_figures)"
finish
