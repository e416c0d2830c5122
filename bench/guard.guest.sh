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
