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

# a monitor subscriber on the kernel's own YNL library (cli.py's: its
# --subscribe only listens for a fixed --sleep, which a growing script
# outran), started first; it listens until told to stop (/tmp/ynlmon.stop
# in the chroot), then prints what it got as cli.py --output-json does
cat >/ynl/tmp/ynlmon.py <<'PY'
import json, os, sys, time
sys.path.insert(0, "/ynl")
from lib import YnlFamily
from cli import YnlEncoder
ynl = YnlFamily("/spec/p2pfence.yaml", "")  # "": no schema, as cli.py --no-schema
ynl.ntf_subscribe("monitor")
while not os.path.exists("/tmp/ynlmon.stop"):
    ynl.check_ntf()
    time.sleep(0.1)
ynl.check_ntf()
print(json.dumps(ynl.async_msg_queue, cls=YnlEncoder))
PY
rm -f /ynl/tmp/ynlmon.stop
chroot /ynl /usr/bin/python3 /tmp/ynlmon.py >/tmp/ynlmon.txt 2>&1 &
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

# the GPUDirect opt-in: tenant-set, and apply's trusted entries
expect_rc 0 "cli.py tenant-set {tenant 3, trust-ats 1}" \
	YNL --do tenant-set --json '{"tenant": 3, "trust-ats": 1}'
expect_match "$OUT" "'trust-ats': 1" "tenant-set reply: trust-ats 1"
expect_match "$($CTL -j tenant show 3)" '"trust_ats":true' "p2pfencectl sees tenant 3 trusted"
expect_rc 1 "cli.py tenant-set without trust-ats: EINVAL" YNL --do tenant-set --json '{"tenant": 3}'
expect_match "$OUT" 'trust-ats is required' "extack names the missing attribute"
expect_rc 1 "cli.py tenant-set trust-ats 2: out of range" \
	YNL --do tenant-set --json '{"tenant": 3, "trust-ats": 2}'
expect_rc 0 "cli.py apply without trusted (a client that knows nothing of trust)" \
	YNL --do apply --json '{"dev": [{"domain": 0, "bdf": 512, "tenant": 3}]}'
expect_match "$($CTL -j tenant show 3)" '"trust_ats":true' "apply without trusted: tenant 3 still trusted"
expect_rc 0 "cli.py apply with trusted-exact and no trusted entry clears it" \
	YNL --do apply --json '{"dev": [{"domain": 0, "bdf": 512, "tenant": 3}], "trusted-exact": true}'
expect_match "$($CTL -j tenant show 3)" '"trust_ats":false' "apply with trusted-exact: tenant 3 not trusted"
expect_rc 0 "cli.py apply with trusted [{tenant-name vm-t}]" \
	YNL --do apply --json '{"dev": [{"domain": 0, "bdf": 512, "tenant": 3}], "trusted": [{"tenant-name": "vm-t"}]}'
expect_rc 1 "cli.py apply with a trusted entry naming a device: EINVAL" \
	YNL --do apply --json '{"dev": [{"domain": 0, "bdf": 512, "tenant": 3}], "trusted": [{"tenant": 3, "bdf": 512}]}'
expect_match "$OUT" 'a trusted entry is a tenant' "extack: a trusted entry is a tenant alone"
expect_rc 0 "cli.py tenant-set {tenant-name vm-t, trust-ats 0}" \
	YNL --do tenant-set --json '{"tenant-name": "vm-t", "trust-ats": 0}'

expect_rc 0 "cli.py mode-set audit" YNL --do mode-set --json '{"mode": "audit"}'
expect_eq "$(cat /sys/module/p2pfence/parameters/mode)" audit "mode parameter follows mode-set"
expect_rc 0 "cli.py mode-set enforce" YNL --do mode-set --json '{"mode": "enforce"}'
expect_rc 0 "cli.py dev-release 02:00.0" YNL --do dev-release --json '{"domain": 0, "bdf": 512}'

# tenant names: a VM manager's UUID instead of an id
U=3f2504e0-4f89-11d3-9a0c-0305e82c3301
expect_rc 0 "cli.py dev-assign 01:00.0 to tenant-name $U" \
	YNL --do dev-assign --json "{\"domain\": 0, \"bdf\": 256, \"tenant-name\": \"$U\"}" --output-json
expect_match "$OUT" "\"tenant-name\": \"$U\"" "dev-assign reply names the tenant"
TID=$(printf '%s\n' "$OUT" | sed -n 's/.*"tenant": \([0-9]*\).*/\1/p' | head -1)
expect_eq "$([ "${TID:-0}" -ge 2147483648 ] && echo named)" named "the name got an id from tenant-named-min ($TID)"
expect_rc 0 "cli.py tenant-get by name" \
	YNL --do tenant-get --json "{\"tenant-name\": \"$U\"}" --output-json
expect_match "$OUT" '"bdf": 256' "tenant-get by name lists 01:00.0"
expect_rc 1 "cli.py dev-release for another name: busy" \
	YNL --do dev-release --json '{"domain": 0, "bdf": 256, "tenant-name": "vm-other"}'
expect_match "$OUT" "owned by tenant $U" "the refusal names the owner by name"
expect_rc 0 "cli.py dev-release for its name" \
	YNL --do dev-release --json "{\"domain\": 0, \"bdf\": 256, \"tenant-name\": \"$U\"}"
expect_rc 0 "cli.py dev-get 01:00.0 after release" \
	YNL --do dev-get --json '{"domain": 0, "bdf": 256}' --output-json
expect_match "$OUT" "\"last-tenant-name\": \"$U\"" "the history remembers the name"
expect_rc 0 "cli.py dev-assign the same name again" \
	YNL --do dev-assign --json "{\"domain\": 0, \"bdf\": 256, \"tenant-name\": \"$U\"}" --output-json
expect_match "$OUT" "\"tenant\": $TID," "the same name, the same id (kept by the history)"
expect_rc 1 "cli.py dev-assign with a bad name" \
	YNL --do dev-assign --json '{"domain": 0, "bdf": 512, "tenant-name": "vm a"}'
expect_match "$OUT" 'a tenant name has only' "a bad name is explained"
expect_rc 1 "cli.py dev-assign with tenant and tenant-name" \
	YNL --do dev-assign --json '{"domain": 0, "bdf": 512, "tenant": 4, "tenant-name": "vm-b"}'
expect_match "$OUT" 'not both' "both is explained"
expect_rc 1 "cli.py dev-assign to an id of the named range" \
	YNL --do dev-assign --json '{"domain": 0, "bdf": 512, "tenant": 2147483648}'
expect_match "$OUT" 'give tenant-name' "the named range is the module's"
expect_rc 0 "cli.py dev-release 01:00.0" YNL --do dev-release --json '{"domain": 0, "bdf": 256}'

# the quirk opt-in over netlink: strict, every rejection explained, nothing changed
expect_rc 0 "cli.py quirk-set trusted 8086:1c10" \
	YNL --do quirk-set --json '{"entry": [2156272656], "trusted": 1}' --output-json
expect_match "$OUT" '"entry": \["0x80861c10"\]' "quirk-set replies with the set"
for bad in '{"entry": [2156272656, 2156272658], "trusted": 1}|exactly one entry' \
	'{"entry": [4294901761]}|vendor 0000 and ffff' \
	'{"entry": [2156331007]}|device ffff' \
	'{"entry": [2156272658, 2156272658]}|given twice'; do
	j=${bad%%|*} want=${bad#*|}
	expect_rc 1 "cli.py quirk-set $j: refused" YNL --do quirk-set --json "$j"
	expect_match "$OUT" "Invalid argument" "... EINVAL"
	expect_match "$OUT" "$want" "... explained: $want"
done
expect_rc 1 "cli.py quirk-set trusted 2: refused by the policy" \
	YNL --do quirk-set --json '{"trusted": 2, "entry": [2156272658]}'
expect_match "$OUT" "out of range" "... explained (ERANGE)"
many=$(i=1; s=; while [ $i -le 65 ]; do s="$s${s:+, }$((2156265472 + i))"; i=$((i + 1)); done; echo "$s")
expect_rc 1 "cli.py quirk-set with 65 entries: refused" YNL --do quirk-set --json "{\"entry\": [$many]}"
expect_match "$OUT" "more than 64 entries" "... explained"
expect_rc 0 "cli.py quirk-get" YNL --do quirk-get --output-json
expect_match "$OUT" '"entry": \["0x80861c10"\]' "the rejections changed nothing"
expect_rc 0 "cli.py quirk-set (no entry): the set emptied" YNL --do quirk-set --json '{}'
expect_rc 0 "p2pfencectl quirk show" $CTL quirk show
expect_match "$OUT" "no vendor:device trusted" "p2pfencectl sees the empty set"

touch /ynl/tmp/ynlmon.stop
mon_wait /tmp/ynlmon.txt
expect_match "$EV" '"event": "assigned"' "monitor: assigned"
expect_match "$EV" '"event": "released"' "monitor: released"
expect_match "$EV" '"comm": "python3' "monitor: events name the cli.py process"
expect_match "$EV" "\"tenant-name\": \"$U\"" "monitor: events carry the tenant's name"
expect_match "$EV" '"event": "quirk-trust"' "monitor: quirk-trust"
expect_match "$EV" '"quirk": "0x80861c10", "trusted": 1' "monitor: quirk-trust names the vendor:device"
expect_eq "$(dmesg_bad)" "" "no warning, BUG or oops in the kernel log"
finish
