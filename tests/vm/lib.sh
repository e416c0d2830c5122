# shellcheck shell=sh
# /p2pfence/lib.sh - helpers for guest test scripts (busybox sh).
# Source it first: `. /p2pfence/lib.sh`. Print TAP lines with ok/not_ok/
# skip/expect_* (tests/tap.sh, numbered: "ok 3 - DESC"), end with `finish`
# (prints the plan, returns non-zero on any failure). Lines starting with
# '#' are diagnostics (diag).

P2P=/p2pfence
KO=$P2P/p2pfence.ko
CTL=$P2P/p2pfencectl
SYSPCI=/sys/bus/pci/devices

# shellcheck disable=SC2034 # read by tap.sh
TAP_NUMBERED=1
. "$P2P/tap.sh"

# die MSG: abort the script (counted as a failure)
die() {
	not_ok "fatal: $*"
	plan
	exit 1
}

# check DESC CMD...: ok when CMD succeeds
check() {
	_d=$1
	shift
	if "$@"; then ok "$_d"; else not_ok "$_d (command: $*)"; fi
}

# expect_eq ACTUAL EXPECTED DESC
expect_eq() {
	if [ "$1" = "$2" ]; then
		ok "$3"
	else
		not_ok "$3"
		diag "  got:      '$1'"
		diag "  expected: '$2'"
	fi
}

# expect_ne ACTUAL UNEXPECTED DESC
expect_ne() {
	if [ "$1" != "$2" ]; then ok "$3"; else not_ok "$3 (got '$1')"; fi
}

# expect_match STRING REGEX DESC (grep -E)
expect_match() {
	if printf '%s\n' "$1" | grep -qE -- "$2"; then
		ok "$3"
	else
		not_ok "$3"
		diag "  '$1' does not match /$2/"
	fi
}

# expect_rc RC DESC CMD...: CMD exits with RC; its output goes to $OUT
expect_rc() {
	_want=$1
	_d=$2
	shift 2
	OUT=$("$@" 2>&1)
	_rc=$?
	if [ "$_rc" = "$_want" ]; then
		ok "$_d"
	else
		not_ok "$_d (exit $_rc, want $_want: $*)"
		printf '%s\n' "$OUT" | sed 's/^/#   /'
	fi
}

# kernel_short: 6.1 or 6.12
kernel_short() {
	uname -r | sed -E 's/^([0-9]+\.[0-9]+).*/\1/'
}

mod_load() {
	insmod "$KO" "$@"
}

mod_unload() {
	rmmod p2pfence
}

mod_loaded() {
	[ -d /sys/module/p2pfence ]
}

have_ctl() {
	[ -x "$CTL" ]
}

# dmesg_bad: print kernel log lines that signal a problem (warnings, BUGs,
# oopses, call traces, taint) other than the expected taint of loading an
# unsigned out-of-tree module; status 0 when there are such lines.
dmesg_bad() {
	dmesg | grep -E 'WARNING|BUG|Oops|Call Trace|taint|[Tt]ainted' |
		grep -vE 'loading out-of-tree module taints kernel|module verification failed: signature and/or required key missing - tainting kernel'
}

# taint_unexpected: the taint mask minus O (out-of-tree, 4096) and
# E (unsigned, 8192); 0 when only those are set
taint_unexpected() {
	echo $(($(cat /proc/sys/kernel/tainted) & ~(4096 | 8192)))
}

# full BDF: 01:00.0 -> 0000:01:00.0
bdf() {
	case $1 in
	????:??:??.?) echo "$1" ;;
	*) echo "0000:$1" ;;
	esac
}

dev_exists() {
	[ -e "$SYSPCI/$(bdf "$1")" ]
}

# wait_dev 1|0 BDF SECONDS: wait until the device is present (1) or gone (0)
wait_dev() {
	_i=0
	while [ "$_i" -lt $(($3 * 5)) ]; do
		if dev_exists "$2"; then [ "$1" = 1 ] && return 0; else [ "$1" = 0 ] && return 0; fi
		sleep 0.2
		_i=$((_i + 1))
	done
	return 1
}

# acs_cap BDF / acs_ctl BDF: ACS capability / control register (hex),
# empty when the function has no ACS capability
acs_cap() {
	setpci -s "$(bdf "$1")" ECAP_ACS+4.w 2>/dev/null
}

acs_ctl() {
	setpci -s "$(bdf "$1")" ECAP_ACS+6.w 2>/dev/null
}

# iommu_group BDF: the group number (empty when none)
iommu_group() {
	_l=$(readlink "$SYSPCI/$(bdf "$1")/iommu_group" 2>/dev/null) || return 0
	basename "$_l"
}

# iommu_type BDF: DMA, DMA-FQ, identity, ... of the device's group
iommu_type() {
	cat "$SYSPCI/$(bdf "$1")/iommu_group/type" 2>/dev/null
}

# group_members BDF: BDFs in the device's IOMMU group
group_members() {
	ls "$SYSPCI/$(bdf "$1")/iommu_group/devices" 2>/dev/null
}

# the figure lines of splat-check (SPLATS, KNOWN, KMEMLEAK) as they are, for
# scripts/stress; the reports it quotes as diagnostics (never re-scanned)
_splat_show() {
	while IFS= read -r _l; do
		case $_l in
		"SPLATS "*|"KNOWN "*|"KMEMLEAK "*) echo "$_l" ;;
		*) echo "# $_l" ;;
		esac
	done < "$1"
}

# expect_no_splat [DESC]: splat-check over dmesg (known upstream reports
# aside) is clean; its output as diagnostics, in /tmp/splat.out for figures
expect_no_splat() {
	splat-check >/tmp/splat.out 2>&1
	_rc=$?
	_splat_show /tmp/splat.out
	expect_eq "$_rc" 0 "${1:-no kernel splat in dmesg}"
}

# expect_no_leak [DESC]: kmemleak finds no unreferenced object (ok where
# the kernel has no kmemleak); its output in /tmp/kml.out for figures
expect_no_leak() {
	splat-check --kmemleak >/tmp/kml.out 2>&1
	_rc=$?
	sed -n '1,60p' /tmp/kml.out > /tmp/kml.head
	_splat_show /tmp/kml.head
	expect_eq "$_rc" 0 "${1:-kmemleak: no unreferenced object}"
}

# splat_figures: the SPLATS / KMEMLEAK lines of the last two checks
splat_figures() {
	grep -hE '^(SPLATS|KMEMLEAK) ' /tmp/splat.out /tmp/kml.out 2>/dev/null | tr '\n' ' '
}

# generic netlink sockets subscribed to some group (Groups column != 0)
_genl_listeners() {
	awk 'NR > 1 && $2 == 16 && $4 != "00000000"' /proc/net/netlink | wc -l
}

# mon_start [FILE]: `p2pfencectl monitor` in the background into FILE
# (default /tmp/mon), MON its pid; returns once its socket has joined the
# monitor group (polled, 5 s at most)
mon_start() {
	_mf=${1:-/tmp/mon}
	_before=$(_genl_listeners)
	$CTL monitor > "$_mf" 2>&1 &
	MON=$!
	_i=0
	while [ "$(_genl_listeners)" -le "$_before" ] && [ $_i -lt 50 ]; do
		sleep 0.1
		_i=$((_i + 1))
	done
	[ $_i -lt 50 ] || diag "mon_start: the monitor did not show up as a listener in 5 s"
}

# mon_wait [FILE [PREFIX]]: wait until the monitor MON has ended, show what
# it wrote to FILE (default /tmp/mon) as diagnostics, each line after PREFIX
# (default "#   "); EV is that text, for expect_match
mon_wait() {
	wait "$MON" 2>/dev/null
	sed "s/^/${2:-#   }/" "${1:-/tmp/mon}"
	# shellcheck disable=SC2034 # for the test script
	EV=$(cat "${1:-/tmp/mon}")
}

# mon_until PATTERN [FILE [COUNT]]: wait (up to 5 s) until the monitor's
# output in FILE (default /tmp/mon) has COUNT (default 1) lines matching
# PATTERN (grep -E). An event sent before a command returned may still be
# on its way to the monitor: wait for it, never for a fixed time.
mon_until() {
	_i=0
	while [ "$(grep -cE -- "$1" "${2:-/tmp/mon}")" -lt "${3:-1}" ] && [ $_i -lt 50 ]; do
		sleep 0.1
		_i=$((_i + 1))
	done
}

# mon_stop [FILE [PREFIX]]: end the monitor MON, then mon_wait
mon_stop() {
	kill "$MON" 2>/dev/null
	mon_wait "$@"
}
