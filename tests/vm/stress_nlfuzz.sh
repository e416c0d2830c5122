# topology: mixed
# kernels: 6.1 6.12 debug
# timeout: 900
# Netlink fuzzing: tests/stress/nlfuzz sends random and
# mutated messages to the p2pfence family with two tenants assigned. Every
# reply must be valid (errors from the family carry extack), and rejected
# messages change neither the owner table, the mode nor any ACS control
# register. Short form: 20,000 messages; `p2pstress=full` on the kernel
# command line (scripts/stress): 100,000 (`nlfuzz_n=N` overrides both).
. /p2pfence/lib.sh

n=20000
seed=$(date +%s)
for a in $(cat /proc/cmdline); do
	case $a in
	p2pstress=full) n=100000 ;;
	nlfuzz_n=*) n=${a#nlfuzz_n=} ;;
	nlfuzz_seed=*) seed=${a#nlfuzz_seed=} ;;
	esac
done
diag "kernel $(uname -r), $n messages, seed $seed"

check "insmod" mod_load
expect_rc 0 "family answers a dump" nlfuzz dump
printf '%s\n' "$OUT" | sed 's/^/# /'

# two tenants on the two ACS root ports, so tenant state exists to protect
expect_rc 0 "assign 01:00.0 to tenant 1" nlfuzz assign 01:00.0 1
expect_rc 0 "assign 02:00.0 to tenant 2" nlfuzz assign 02:00.0 2
acs_before=$(for p in 00:02.0 00:03.0 00:04.0 04:00.0 00:06.0 00:07.0; do
	echo "$p $(acs_ctl $p)"; done)
owners_before=$(nlfuzz dump)
diag "ACS control before: $(echo $acs_before)"

echo "P2PFENCE-MARK nlfuzz start" >/dev/kmsg
start=$(date +%s)
nlfuzz fuzz -n "$n" -s "$seed" -c 1000 >/tmp/nlfuzz.out 2>&1
rc=$?
sed 's/^/# /' /tmp/nlfuzz.out
expect_eq "$rc" 0 "nlfuzz: $n messages, every reply valid, state unchanged by rejections"
diag "nlfuzz took $(($(date +%s) - start))s"
grep '^NLFUZZ ' /tmp/nlfuzz.out

acs_after=$(for p in 00:02.0 00:03.0 00:04.0 04:00.0 00:06.0 00:07.0; do
	echo "$p $(acs_ctl $p)"; done)
expect_eq "$acs_after" "$acs_before" "ACS control registers unchanged"
expect_eq "$(nlfuzz dump)" "$owners_before" "owner table unchanged"
expect_rc 0 "module still answers" nlfuzz dump

expect_no_splat
expect_no_leak
expect_rc 0 "release 01:00.0" nlfuzz release 01:00.0
expect_rc 0 "release 02:00.0" nlfuzz release 02:00.0
diag "refcnt $(cat /sys/module/p2pfence/refcnt) holders: $(ls /sys/module/p2pfence/holders 2>/dev/null)"
cat /sys/kernel/debug/p2pfence/stats 2>/dev/null | sed 's/^/# /'
check "rmmod" mod_unload
if mod_loaded; then
	diag "refcnt after: $(cat /sys/module/p2pfence/refcnt)"
	dmesg | grep -i p2pfence | tail -20 | sed 's/^/# /'
fi
finish
