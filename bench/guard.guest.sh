# Guest side of scripts/bench-guard (mixed topology): config reads per second
# through a guarded bus vs the same bus unguarded -- one reader per CPU at
# once (x86 config access is lockless: the guard must not serialise them),
# rounds interleaved, medians compared -- and the memory the module holds
# per tracked device. Prints BENCH-JSON lines for the host.
. /p2pfence/lib.sh
C=$CTL
mod_load audit_interval=0 || die "insmod failed"
CFG=/sys/bus/pci/devices/0000:00:07.0/config	# rp6, on bus 0
N=${BENCH_ROUNDS:-7}

NCPU=$(grep -c '^processor' /proc/cpuinfo)
# reads/s summed over one reader per CPU, all reading at once
rate() {
	_k=0
	while [ $_k -lt "$NCPU" ]; do
		cfgread $CFG "${BENCH_MS:-1500}" > /tmp/rate.$_k &
		_k=$((_k + 1))
	done
	wait
	cat /tmp/rate.* | awk '{s += $1} END {printf "%d\n", s}'
	rm -f /tmp/rate.*
}
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

: > /tmp/un; : > /tmp/gu
r=0
while [ $r -lt "$N" ]; do
	rate >> /tmp/un
	$C dev assign 0000:01:00.0 1 > /dev/null || die "assign"
	grep -q '^wrapped_buses 1' /sys/kernel/debug/p2pfence/stats || die "bus 0 not wrapped"
	rate >> /tmp/gu
	$C dev release 0000:01:00.0 > /dev/null || die "release"
	grep -q '^wrapped_buses 0' /sys/kernel/debug/p2pfence/stats || die "bus 0 still wrapped"
	r=$((r + 1))
done
U=$(median < /tmp/un)
G=$(median < /tmp/gu)
echo "# unguarded reads/s: $(tr '\n' ' ' < /tmp/un)-> median $U"
echo "# guarded reads/s:   $(tr '\n' ' ' < /tmp/gu)-> median $G"
R=$(awk -v g="$G" -v u="$U" 'BEGIN {printf "%.3f", g / u}')
echo "BENCH-JSON {\"bench\": \"cfg_read_guarded_vs_unguarded\", \"cpus\": $NCPU, \"ratio\": $R, \"guarded_reads_per_s\": $G, \"unguarded_reads_per_s\": $U, \"kernel\": \"$(uname -r)\"}"

# one assign + release, kernel side: N pairs through p2pfencectl, minus N
# pairs of `mode show` (the tool's start-up and a netlink round trip each);
# 02:00.0 assigned meanwhile keeps bus 00 wrapped, then without it (each
# pair wraps and unwraps bus 00). The same with 256 functions present is
# the caller's choice of topology.
ms() { awk '{printf "%d\n", $1 * 1000}' /proc/uptime; }
TN=${BENCH_TXN:-60}
pairs() { # CMD1 CMD2: ms for TN pairs
	_t0=$(ms); _i=0
	while [ $_i -lt "$TN" ]; do $1 >/dev/null 2>&1; $2 >/dev/null 2>&1; _i=$((_i + 1)); done
	echo $(($(ms) - _t0))
}
BASE=$(pairs "$C mode show" "$C mode show")
$C dev assign 0000:02:00.0 2 > /dev/null || die "assign 02:00.0"
WR=$(pairs "$C dev assign 0000:01:00.0 1" "$C dev release 0000:01:00.0")
$C dev release 0000:02:00.0 > /dev/null || die "release 02:00.0"
UW=$(pairs "$C dev assign 0000:01:00.0 1" "$C dev release 0000:01:00.0")
K1=$(( (WR - BASE) * 1000 / TN )); K2=$(( (UW - BASE) * 1000 / TN ))
NF=$(ls /sys/bus/pci/devices | wc -l)
echo "# assign+release, kernel side: ${K1} us (bus kept wrapped), ${K2} us (wrap + unwrap each time); $NF PCI functions; tool start-up $(( BASE * 1000 / TN / 2 )) us per call"
echo "BENCH-JSON {\"bench\": \"assign_release_kernel_us\", \"wrapped\": $K1, \"wrap_unwrap\": $K2, \"functions\": $NF, \"pairs\": $TN, \"kernel\": \"$(uname -r)\"}"

# memory: four devices of three tenants, their ports guarded
printf '0000:01:00.0 1\n0000:02:00.0 2\n0000:05:00.0 3\n0000:06:00.0 3\n' > /tmp/o.conf
$C apply /tmp/o.conf > /dev/null || die "apply: $($C apply /tmp/o.conf 2>&1)"
sed 's/^/# stats: /' /sys/kernel/debug/p2pfence/stats
eval "$(awk '{print $1 "=" $2}' /sys/kernel/debug/p2pfence/stats)"
B=$(( (owner_table_bytes + guard_bytes + owned_devices - 1) / owned_devices ))
echo "BENCH-JSON {\"bench\": \"bytes_per_tracked_device\", \"bytes\": $B, \"owned_devices\": $owned_devices, \"guarded_ports\": $guarded_ports, \"kernel\": \"$(uname -r)\"}"
: > /tmp/empty
$C apply /tmp/empty > /dev/null || die "apply of an empty table"
finish
