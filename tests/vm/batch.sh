# topology: mixed
# after: tests/vm/batch.after
# p2pfencectl -batch and metrics against the module.
#
# -batch: 100 assign/release pairs (01:00.0 to tenant 5, 02:00.0 to
# tenant 6, alternately: each device keeps its last tenant, so no hand-over
# reset) in one process and one netlink socket, then the final state;
# stopping at the first refusal vs -force; JSON lines ("BJSON <doc>") for
# the host to parse. The figure line
#   BATCH pairs=100 batch_ms=N separate_ms=M
# compares that one -batch run with the same 200 commands as 200 separate
# invocations (a figure, not an assertion; date +%s%N, or /proc/uptime in
# /proc/timer_list's clock where busybox date has no %N).
#
# metrics: isolated, then with a cleared root port (guard off, periodic
# audit off: nothing repairs it, and metrics must not either); each output
# is sent back as "PROM<n> <line>" lines for promtool on the host
# (tests/vm/batch.after).
. /p2pfence/lib.sh
C=$CTL
have_ctl || die "no $CTL"

# milliseconds: date +%s%N; busybox's date has no %N, then the kernel's
# monotonic clock from /proc/timer_list, else /proc/uptime (10 ms steps)
now_ms() {
	_n=$(date +%s%N)
	case $_n in
	*N) ;;
	*) echo $((_n / 1000000)); return ;;
	esac
	_n=$(sed -n 's/^now at \([0-9]*\) nsecs$/\1/p' /proc/timer_list 2>/dev/null | head -1)
	if [ -n "$_n" ]; then
		echo $((_n / 1000000))
	else
		_u=$(cut -d' ' -f1 /proc/uptime | tr -d .)
		echo $((_u * 10))
	fi
}

# without the module: metrics says so and exits 0
expect_rc 0 "metrics without the module: exit 0" $C metrics
expect_match "$OUT" "^p2pfence_module_loaded 0$" "metrics without the module: p2pfence_module_loaded 0"
echo "$OUT" | sed 's/^/PROM0 /'
mod_load audit_interval=0 || die "insmod failed"

# --- 100 assign/release pairs in one batch
B=/tmp/pairs.batch
: >$B
i=0
while [ $i -lt 100 ]; do
	if [ $((i % 2)) = 0 ]; then d=0000:01:00.0 t=5; else d=0000:02:00.0 t=6; fi
	printf 'dev assign %s %s\ndev release %s\n' $d $t $d >>$B
	i=$((i + 1))
done
expect_eq "$(grep -c . $B)" 200 "the batch has 200 commands"
t0=$(now_ms)
$C -batch $B >/tmp/batch.out 2>/tmp/batch.err
rc=$?
t1=$(now_ms)
expect_eq "$rc" 0 "-batch of 100 assign/release pairs: exit 0"
sed -n '1,5s/^/#   /p' /tmp/batch.err
expect_eq "$(grep -cE '^0000:0[12]:00.0 tenant [56] fenced' /tmp/batch.out)" 100 "100 assignments answered fenced"
expect_eq "$(grep -cE '^0000:0[12]:00.0 host' /tmp/batch.out)" 100 "100 releases answered host"
expect_eq "$(grep -c . /tmp/batch.out)" 200 "one answer per command"
expect_eq "$($C -j tenant show)" "[]" "after the pairs: every device with the host"

# the same 200 commands, one process each
t2=$(now_ms)
nfail=0
while read -r l; do
	# shellcheck disable=SC2086
	$C $l >/dev/null 2>&1 || nfail=$((nfail + 1))
done <$B
t3=$(now_ms)
expect_eq "$nfail" 0 "200 separate invocations: all exit 0"
diag "clock: $t0 $t1 $t2 $t3 ms"
echo "BATCH pairs=100 batch_ms=$((t1 - t0)) separate_ms=$((t3 - t2))"

# final state of a batch that ends with an assignment
printf '# end with one assigned\n%s\n\ndev assign 0000:01:00.0 5   # kept\n' "$(head -4 $B)" >/tmp/end.batch
expect_rc 0 "a batch ending with an assignment" $C -batch /tmp/end.batch
expect_rc 0 "dev show 01:00.0" $C dev show 0000:01:00.0
expect_match "$OUT" "^0000:01:00.0 tenant 5 fenced" "final state: 01:00.0 tenant 5, fenced"
expect_rc 0 "dev show 02:00.0" $C dev show 0000:02:00.0
expect_match "$OUT" "^0000:02:00.0 host" "final state: 02:00.0 with the host"

# --- stop at the first failure, or -force; the error names the line
printf 'dev show 0000:01:00.0\ndev assign 0000:05:00.0 3\ndev assign 0000:02:00.0 6\n' >/tmp/stop.batch
expect_rc 1 "-batch stops at a refusal (exit 1)" $C -batch /tmp/stop.batch
expect_match "$OUT" "^p2pfencectl: batch line 2: dev assign 0000:05:00.0 3: refused: .*acs-missing" \
	"the refusal names line 2 and the kernel's reason"
expect_match "$($C dev show 0000:02:00.0)" "^0000:02:00.0 host" "line 3 did not run"
expect_rc 1 "-force -batch goes on (exit 1, the worst)" $C -force -batch /tmp/stop.batch
expect_match "$($C dev show 0000:02:00.0)" "^0000:02:00.0 tenant 6 fenced" "-force: line 3 ran"
printf 'dev release 0000:02:00.0\ndev show 0000:1e:00.0\ncheck --assign 0000:01:00.0=1\nmode show\n' >/tmp/worst.batch
expect_rc 2 "-force: exit the worst (2: ENODEV)" $C -force -batch /tmp/worst.batch
expect_match "$OUT" "batch line 2: " "-force: the ENODEV names line 2"
expect_match "$OUT" "^enforce$" "-force: the lines after it ran (mode show)"

# --- -j: one JSON document per command, from stdin
printf 'dev show\nmode show\ntenant show\naudit\n' | $C -j -batch - >/tmp/j.out
expect_eq "$?" 0 "-j -batch - (stdin): exit 0"
expect_eq "$(grep -c . /tmp/j.out)" 4 "-j -batch: four documents, one per line"
sed 's/^/BJSON /' /tmp/j.out

# --- metrics
expect_rc 0 "metrics: exit 0" $C metrics
echo "$OUT" | sed 's/^/PROM1 /'
expect_match "$OUT" "^p2pfence_module_loaded 1$" "metrics: module loaded"
expect_match "$OUT" "^p2pfence_isolated 1$" "metrics: isolated"
expect_match "$OUT" '^p2pfence_devices\{owner="tenant"\} 1$' "metrics: one tenant device"
expect_match "$OUT" '^p2pfence_tenants 1$' "metrics: one tenant"
expect_match "$OUT" '^p2pfence_mode\{mode="enforce"\} 1$' "metrics: enforce"
expect_match "$OUT" '^p2pfence_violations\{kind="no-reset"\} 0$' "metrics: every kind, 0 when none"
expect_match "$OUT" '^p2pfence_owned_devices 1$' "metrics: debugfs gauge (owned_devices)"
expect_match "$OUT" '^p2pfence_reset_rechecks_total [0-9]+$' "metrics: debugfs counter (reset_rechecks_total)"
expect_eq "$(echo "$OUT" | grep -c '^# TYPE')" "$(echo "$OUT" | grep -c '^# HELP')" "metrics: a HELP for every TYPE"

# a cleared root port: guard off so the write sticks, no periodic audit
echo 0 >/sys/module/p2pfence/parameters/guard
setpci -s 00:02.0 ECAP_ACS+6.w=0000
expect_eq "$(acs_ctl 00:02.0)" 0000 "rp1's ACS control cleared (guard off)"
expect_rc 0 "metrics with drift: exit 0" $C metrics
echo "$OUT" | sed 's/^/PROM2 /'
expect_match "$OUT" "^p2pfence_isolated 0$" "metrics with drift: not isolated"
expect_match "$OUT" '^p2pfence_violations\{kind="acs-disabled"\} [1-9][0-9]*$' "metrics with drift: acs-disabled counted"
expect_match "$OUT" '^p2pfence_unfenced_devices 1$' "metrics with drift: one unfenced device"
expect_eq "$(acs_ctl 00:02.0)" 0000 "metrics repaired nothing (it reads a dump, never audit)"
expect_rc 0 "audit repairs it (enforce mode)" $C audit
expect_eq "$(acs_ctl 00:02.0)" 001d "rp1 repaired by audit"
$C mode set audit >/dev/null
expect_match "$($C metrics)" '^p2pfence_mode\{mode="audit"\} 1$' "metrics: audit mode"
$C mode set enforce >/dev/null

expect_eq "$(dmesg_bad)" "" "no warning, BUG or oops in the kernel log"
finish
