# topology: mixed
# kernels: 6.1 6.12 debug
# timeout: 600
# The guard on two CPUs (x86 config access is lockless): while two loops
# read config space through the wrapped bus -- other ports' sysfs files and
# the fenced port's own -- setpci clears the fenced port's ACS control over
# and over. Every write must leave the fence bits set (read back after each
# write) and every forced write must reach the monitor as write-blocked.
# Then assign/release loops (each wraps and unwraps bus 00) with the readers
# still running: the other ports stay readable throughout.
# Short form: 400 writes, 20 loops; full form (make stress, p2pstress=full):
# 10000 writes, 200 loops; `guard_writes=N guard_loops=N` on the kernel
# command line (VM_APPEND) overrides both.
. /p2pfence/lib.sh
C=$CTL
have_ctl || die "no $CTL"
# full form (make stress): p2pstress=full on the command line
if grep -q 'p2pstress=full' /proc/cmdline; then N=10000 L=200; else N=400 L=20; fi
_n=$(sed -n 's/.*guard_writes=\([0-9]*\).*/\1/p' /proc/cmdline); N=${_n:-$N}
_l=$(sed -n 's/.*guard_loops=\([0-9]*\).*/\1/p' /proc/cmdline); L=${_l:-$L}
ncpu=$(grep -c '^processor' /proc/cpuinfo)
[ "$ncpu" -ge 2 ] && ok "guest has $ncpu CPUs" || not_ok "guest has $ncpu CPUs (want >= 2)"
mod_load audit_interval=0 || die "insmod failed"

mon_start
expect_rc 0 "assign 01:00.0 (behind rp1 00:02.0) to tenant 1" $C dev assign 0000:01:00.0 1
expect_eq "$(acs_ctl 00:02.0)" 001d "rp1 fenced"

# readers: other ports' link files (config reads through bus 00's ops) and
# the fenced port's own registers; each counts its errors
reader() { # FILE... ; stops when /tmp/stop exists
	_e=0
	while [ ! -e /tmp/stop ]; do
		for f in "$@"; do cat "$f" >/dev/null 2>&1 || _e=$((_e + 1)); done
	done
	echo "$_e" > "/tmp/rerr.$$"
}
rm -f /tmp/stop /tmp/rerr.*
( reader $SYSPCI/0000:00:03.0/current_link_speed $SYSPCI/0000:00:07.0/current_link_width ) &
R1=$!
( while [ ! -e /tmp/stop ]; do setpci -s 00:02.0 ECAP_ACS+6.w >/dev/null; setpci -s 00:03.0 VENDOR_ID.w >/dev/null; done ) &
R2=$!

lost=0
i=0
while [ $i -lt "$N" ]; do
	setpci -s 00:02.0 ECAP_ACS+6.w=0000
	v=$(acs_ctl 00:02.0)
	[ "$v" = 001d ] || { lost=$((lost + 1)); [ $lost -le 3 ] && diag "write $i: ACS control $v"; }
	i=$((i + 1))
done
expect_eq "$lost" 0 "$N setpci clears with two readers running: fence bits lost 0 times"

# every forced write is evented (the ring holds 64; events are drained by
# a work item, so they arrive a little later: wait for them)
want=$N
_i=0
while [ "$(grep -c 'write-blocked' /tmp/mon)" -lt "$want" ] && [ $_i -lt 120 ]; do sleep 0.5; _i=$((_i + 1)); done
got=$(grep -c 'write-blocked' /tmp/mon)
dropped=$(dmesg | sed -n 's/.*p2pfence: \([0-9]*\) write-blocked events dropped.*/\1/p' | awk '{s += $1} END {print s + 0}')
diag "write-blocked events: $got, dropped (logged): $dropped"
expect_eq "$((got + dropped))" "$N" "every forced write evented or counted as dropped ($got + $dropped)"
expect_eq "$dropped" 0 "no write-blocked event dropped"
echo "GUARDSMP writes=$N lost=$lost evented=$got dropped=$dropped"

# assign/release loops: each release unwraps bus 00 (the last fenced port on
# it goes), each assign wraps it again; readers keep reading
j=0 bad=0
while [ $j -lt "$L" ]; do
	$C dev release 0000:01:00.0 >/dev/null 2>&1 || bad=$((bad + 1))
	$C dev assign 0000:01:00.0 1 >/dev/null 2>&1 || bad=$((bad + 1))
	j=$((j + 1))
done
expect_eq "$bad" 0 "$L release/assign loops (unwrap, wrap) with readers running"
touch /tmp/stop
wait $R1 $R2
rerr=$(cat /tmp/rerr.* 2>/dev/null | awk '{s += $1} END {print s + 0}')
expect_eq "$rerr" 0 "other ports stayed readable throughout"
expect_eq "$(acs_ctl 00:02.0)" 001d "rp1 still fenced"
expect_eq "$(cat $SYSPCI/0000:00:03.0/vendor)" 0x1b36 "00:03.0 readable after the loops"

kill $MON 2>/dev/null
expect_rc 0 "release" $C dev release 0000:01:00.0
_i=0
while grep -q '^wrapped_buses [1-9]' /sys/kernel/debug/p2pfence/stats 2>/dev/null && [ $_i -lt 20 ]; do sleep 0.2; _i=$((_i + 1)); done
expect_match "$(cat /sys/kernel/debug/p2pfence/stats 2>&1)" 'wrapped_buses 0' "no bus wrapped after the release"
expect_rc 0 "rmmod" rmmod p2pfence
expect_eq "$(dmesg_bad)" "" "kernel log clean"
finish
