# topology: mixed
# kernels: 6.1 6.12 debug
# timeout: 400
# Buses that come and go under a wrapped bus. With 01:00.0 assigned, rp1
# (00:02.0) is fenced and root bus 00 carries the guard's ops. A bus
# re-created below bus 00 inherits those ops (pci_alloc_child_bus()); the
# guard must give it back its own, so every device comes back readable:
#  - remove + rescan of the port beside the fenced one (rp2, 00:03.0);
#  - remove + rescan of a whole switch below bus 00 (rp3 and its switch);
#  - remove + rescan of the fenced port itself (its tenant's device is
#    released as device-removed, and can be assigned again);
#  - release, unload, then remove + rescan again: no oops (the bus that
#    once inherited the guard's ops must not point into the unloaded module).
. /p2pfence/lib.sh
C=$CTL
have_ctl || die "no $CTL"
mod_load audit_interval=0 || die "insmod failed"
stat() { sed -n "s/^$1 //p" /sys/kernel/debug/p2pfence/stats; }
rescan() { echo 1 > /sys/bus/pci/rescan; }
remove() { echo 1 > "$SYSPCI/$(bdf "$1")/remove"; }
readable() { # BDF VENDOR: the device is there and its config reads
	wait_dev 1 "$1" 10 && [ "$(setpci -s "$1" VENDOR_ID.w 2>/dev/null)" = "$2" ]
}
# wait_until SECONDS CMD...: poll CMD until it succeeds
wait_until() {
	_s=$1; shift; _i=0
	while ! "$@"; do
		_i=$((_i + 1)); [ $_i -gt $((_s * 5)) ] && return 1; sleep 0.2
	done
}

expect_rc 0 "assign 01:00.0 to tenant 1" $C dev assign 0000:01:00.0 1
expect_eq "$(acs_ctl 00:02.0)" 001d "rp1 fenced"
expect_ne "$(stat wrapped_buses)" 0 "bus 00 wrapped"

# 1. the port beside the fenced one
remove 00:03.0
wait_dev 0 00:03.0 10 && ok "rp2 removed" || not_ok "rp2 removed"
rescan
check "02:00.0 back after rescan, config readable" readable 02:00.0 1af4
check "rp2 back, config readable" readable 00:03.0 1b36
expect_ne "$(stat inherited_buses_restored)" 0 "the re-created bus got its own ops back"
expect_eq "$(acs_ctl 00:02.0)" 001d "rp1 still fenced"
setpci -s 00:02.0 ECAP_ACS+6.w=0000
expect_eq "$(acs_ctl 00:02.0)" 001d "the guard still keeps rp1's bits"

# 2. a whole switch below the wrapped bus (rp3 -> upstream -> 2 downstream)
remove 00:04.0
wait_dev 0 05:00.0 10 && ok "switch removed" || not_ok "switch removed"
rescan
check "05:00.0 behind the re-created switch readable" readable 05:00.0 1af4
check "06:00.0 behind the re-created switch readable" readable 06:00.0 1af4
check "switch downstream port 04:00.0 readable" readable 04:00.0 104c

# 3. the fenced port itself
$C monitor > /tmp/mon 2>&1 &
MON=$!
sleep 0.5
remove 00:02.0
wait_dev 0 01:00.0 10 && ok "rp1 and 01:00.0 removed" || not_ok "rp1 and 01:00.0 removed"
wait_until 10 grep -q 'device-removed' /tmp/mon && ok "device-removed notified" ||
	not_ok "device-removed notified"
rescan
check "01:00.0 back after rescan, readable" readable 01:00.0 1af4
wait_until 10 sh -c "$C -j dev show 0000:01:00.0 | grep -q '\"tenant\": *0\\|\"owner\": *\"host\"'" &&
	ok "01:00.0 is the host's after its removal" || { not_ok "01:00.0 is the host's after its removal"; $C -j dev show 0000:01:00.0 | sed 's/^/#   /'; }
expect_rc 0 "assign 01:00.0 again" $C dev assign 0000:01:00.0 1
expect_eq "$(acs_ctl 00:02.0)" 001d "rp1 fenced again"
kill $MON 2>/dev/null

# 4. release, unload, rescan: nothing may still point into the module
expect_rc 0 "release 01:00.0" $C dev release 0000:01:00.0
wait_until 5 sh -c "[ \"\$(sed -n 's/^wrapped_buses //p' /sys/kernel/debug/p2pfence/stats)\" = 0 ]" &&
	ok "no bus wrapped after the release" || not_ok "no bus wrapped after the release"
expect_rc 0 "rmmod" rmmod p2pfence
remove 00:03.0
wait_dev 0 02:00.0 10
rescan
check "rescan after unload: 02:00.0 back" readable 02:00.0 1af4
remove 00:04.0
wait_dev 0 05:00.0 10
rescan
check "rescan after unload: switch back" readable 06:00.0 1af4
expect_eq "$(acs_ctl 00:02.0)" 001d "rp1's bits stay set after unload (fail closed)"
expect_eq "$(dmesg_bad)" "" "kernel log clean"
finish
