# topology: two-rootports
# kernels: 6.1 6.12
# Guest half of tests/pkg/ynl.sh: a client nobody here wrote, the kernel's
# own tools/net/ynl/cli.py driven by uapi/p2pfence.yaml alone, assigns,
# dumps, applies, switches mode and receives monitor events; p2pfencectl
# must agree with what it did. Needs the /ynl chroot (scripts/ynlroot) in
# the initramfs. Devices: 01:00.0 (bdf 256) and 02:00.0 (bdf 512), each
# alone behind an ACS root port (00:02.0 = bdf 16, 00:03.0).
. /p2pfence/lib.sh
[ -x /ynl/usr/bin/python3 ] || die "no /ynl chroot in the initramfs (scripts/ynlroot)"
have_ctl || die "no $CTL"
mkdir -p /ynl/proc /ynl/dev /ynl/tmp
mount -t proc proc /ynl/proc
YNL() { chroot /ynl /usr/bin/python3 /ynl/cli.py --spec /spec/p2pfence.yaml --no-schema "$@"; }
mod_load audit_interval=0 || die "insmod failed"

expect_rc 0 "cli.py --list-ops reads the spec" YNL --list-ops
expect_match "$OUT" 'dev-assign' "cli.py lists dev-assign"
expect_rc 0 "cli.py mode-get" YNL --do mode-get
expect_match "$OUT" "'mode': 'enforce'" "mode-get: enforce"

# a monitor subscriber, started first; wait until it has joined a group
YNL --subscribe monitor --sleep 30 --output-json >/tmp/ynlmon.txt 2>&1 &
MON=$!
i=0
while [ $i -lt 25 ]; do
	awk '$2 == 16 && $4 != "00000000" { f = 1 } END { exit !f }' /proc/net/netlink && break
	sleep 1
	i=$((i + 1))
done
diag "monitor subscribed after ${i}s"

expect_rc 0 "cli.py dev-assign 01:00.0 to tenant 7" \
	YNL --do dev-assign --json '{"domain": 0, "bdf": 256, "tenant": 7}'
expect_match "$OUT" "'tenant': 7" "dev-assign reply names tenant 7"
expect_match "$OUT" "'fenced': 1" "dev-assign reply: fenced"
expect_rc 0 "p2pfencectl -j dev show 01:00.0" $CTL -j dev show 0000:01:00.0
expect_match "$OUT" '"tenant": ?7' "p2pfencectl sees the cli.py assignment"

expect_rc 0 "cli.py dump dev-get" YNL --dump dev-get --output-json
expect_match "$OUT" '"bdf": 256, [^}]*"tenant": 7' "dev-get dump: 01:00.0 owned by 7"
expect_match "$OUT" '"bdf": 512, [^}]*"tenant": 0' "dev-get dump: 02:00.0 with the host"
expect_rc 0 "cli.py dump tenant-get" YNL --dump tenant-get --output-json
expect_match "$OUT" '"tenant": 7' "tenant-get dump lists tenant 7"

expect_rc 1 "cli.py dev-assign of a root port is refused" \
	YNL --do dev-assign --json '{"domain": 0, "bdf": 16, "tenant": 7}'
expect_match "$OUT" 'Invalid argument' "refusal is EINVAL"
expect_match "$OUT" "extack" "refusal carries an extack message"

# apply: a nested multi-attr list, the whole table
expect_rc 0 "cli.py apply {02:00.0: 3}" \
	YNL --do apply --json '{"dev": [{"domain": 0, "bdf": 512, "tenant": 3}]}'
expect_rc 0 "p2pfencectl -j tenant show" $CTL -j tenant show
expect_match "$OUT" '0000:02:00.0' "apply: 02:00.0 now owned"
case $OUT in
*0000:01:00.0*) not_ok "apply released 01:00.0 (still listed)" ;;
*) ok "apply released 01:00.0" ;;
esac

expect_rc 0 "cli.py mode-set audit" YNL --do mode-set --json '{"mode": "audit"}'
expect_eq "$(cat /sys/module/p2pfence/parameters/mode)" audit "mode parameter follows mode-set"
expect_rc 0 "cli.py mode-set enforce" YNL --do mode-set --json '{"mode": "enforce"}'
expect_rc 0 "cli.py dev-release 02:00.0" YNL --do dev-release --json '{"domain": 0, "bdf": 512}'

mon_wait /tmp/ynlmon.txt
expect_match "$EV" '"event": "assigned"' "monitor: assigned"
expect_match "$EV" '"event": "released"' "monitor: released"
expect_match "$EV" '"comm": "python3' "monitor: events name the cli.py process"
expect_eq "$(dmesg_bad)" "" "no warning, BUG or oops in the kernel log"
finish
