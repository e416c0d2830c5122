# topology: mixed
# kernels: 6.1 6.12
# Tenant names: a VM manager names its VMs by UUID. The module gives a name
# an id (2147483648 and up), shows the name wherever the tenant is shown
# (text, JSON, events), keeps the id while a device is owned by or
# remembers the tenant (the same VM coming back is the same tenant), and
# refuses what a name must never be.
. /p2pfence/lib.sh
C=$CTL
have_ctl || die "no $CTL"
mod_load audit_interval=0 || die "insmod failed"
A=3f2504e0-4f89-11d3-9a0c-0305e82c3301
B=9b1deb4d-3b7d-4bad-9bdd-2b0d7b3dcb6d
tid() { $C -j dev show "$1" | sed -n 's/.*"tenant":\([0-9]*\).*/\1/p'; }

mon_start /tmp/mon
expect_rc 0 "assign 01:00.0 to $A" $C dev assign 0000:01:00.0 "$A"
expect_match "$OUT" "^0000:01:00.0 tenant $A fenced" "the reply names the tenant"
TA=$(tid 0000:01:00.0)
expect_eq "$([ "${TA:-0}" -ge 2147483648 ] && echo named)" named "the name got a module id ($TA)"
expect_match "$($C -j dev show 0000:01:00.0)" "\"tenant\":$TA,\"tenant_name\":\"$A\",\"fenced\":true" \
	"JSON: id and name"
expect_rc 0 "assign 02:00.0 to $B" $C dev assign 0000:02:00.0 "$B"
TB=$(tid 0000:02:00.0)
expect_eq "$([ "${TB:-0}" -gt "${TA:-0}" ] && echo later)" later "a second name, a later id ($TB)"
mon_until "^assigned 0000:02:00.0 tenant $B" /tmp/mon
mon_stop /tmp/mon
expect_match "$EV" "^assigned 0000:01:00.0 tenant $A by p2pfencectl" "the assigned event names the tenant"

expect_rc 0 "tenant show $A" $C tenant show "$A"
expect_match "$OUT" "^tenant $A \\(id $TA\\): 0000:01:00.0 \\(fenced\\)" "tenant show by name"
expect_rc 0 "tenant show" $C tenant show
expect_match "$OUT" "tenant $B \\(id $TB\\): 0000:02:00.0" "tenant show lists every named tenant"
expect_rc 0 "tenant show $TA (the module's id)" $C tenant show "$TA"
expect_match "$OUT" "0000:01:00.0" "the id the module gave finds it too"
expect_rc 2 "assign to $TA by id: the module's range" $C dev assign 0000:07:00.0 "$TA"
expect_rc 2 "dev assign DEV DEV (the tenant forgotten)" $C dev assign 0000:07:00.0 0000:08:00.0
expect_eq "$(tid 0000:08:00.0)" 0 "08:00.0 not given to a tenant named like a device"
expect_rc 0 "tenant show of a name nobody has" $C tenant show vm-nobody
expect_match "$OUT" "^tenant vm-nobody: no devices" "it owns nothing"

# a failed start's release, by name: never takes another VM's device
expect_rc 1 "release 01:00.0 for $B: refused" $C dev release 0000:01:00.0 --tenant "$B"
expect_match "$OUT" "owned by tenant $A" "the refusal names the owner"
expect_eq "$(tid 0000:01:00.0)" "$TA" "01:00.0 stays $A's"
expect_rc 0 "release 01:00.0 for an unknown name: the host's devices only" \
	$C dev release 0000:07:00.0 --tenant vm-never-seen
expect_rc 0 "release 01:00.0 for $A" $C dev release 0000:01:00.0 --tenant "$A"
expect_rc 0 "dev show 01:00.0" $C dev show 0000:01:00.0
expect_match "$OUT" "^0000:01:00.0 host last tenant $A" "the history names the last tenant"
expect_match "$($C -j dev show 0000:01:00.0)" "\"last_tenant\":$TA,\"last_tenant_name\":\"$A\"" \
	"JSON: last tenant with its name"
# the same VM coming back: the same tenant (the history kept the name)
expect_rc 0 "assign 01:00.0 to $A again" $C dev assign 0000:01:00.0 "$A"
expect_eq "$(tid 0000:01:00.0)" "$TA" "the same name, the same id"
expect_rc 0 "release 01:00.0" $C dev release 0000:01:00.0

# owners.conf and -batch take names
cat >/tmp/owners.conf <<CONF
# two GPUs behind the ACS-less switch, one VM
0000:05:00.0 vm-c
0000:06:00.0 vm-c
0000:02:00.0 $B
CONF
expect_rc 0 "apply owners.conf with names" $C apply /tmp/owners.conf
expect_rc 0 "tenant show vm-c" $C tenant show vm-c
expect_match "$OUT" "^tenant vm-c \\(id [0-9]*\\): 0000:05:00.0 \\(fenced\\) 0000:06:00.0 \\(fenced\\)" \
	"both switch GPUs are vm-c's, fenced"
expect_eq "$(tid 0000:02:00.0)" "$TB" "$B kept its id through apply"
printf 'dev release 0000:05:00.0 0000:06:00.0 --tenant vm-c\ndev assign 0000:01:00.0 vm-d\n' >/tmp/b
expect_rc 0 "-batch with names" $C -batch /tmp/b
expect_match "$($C dev show 0000:01:00.0)" "tenant vm-d" "the batch assigned 01:00.0 to vm-d"
expect_match "$(dmesg)" "0000:01:00.0: reset \\([a-z]*\\) for tenant vm-d" \
	"the hand-over reset from $A to vm-d, logged by name"
# audit names the tenants its violations concern
expect_rc 0 "mode set audit" $C mode set audit
expect_rc 0 "audit mode: 07:00.0 (root port without ACS) to vm-e" $C dev assign 0000:07:00.0 vm-e
expect_rc 1 "audit: not isolated" $C audit
expect_match "$OUT" "^tenant vm-e: 0000:07:00.0" "audit names the tenant"
expect_match "$($C -j audit)" '"tenants":\[\{"tenant":[0-9]*,"tenant_name":"vm-e","dev":"0000:07:00.0"\}\]' \
	"audit JSON: the tenants of the violating devices"
expect_rc 0 "release 07:00.0" $C dev release 0000:07:00.0
expect_rc 0 "mode set enforce" $C mode set enforce
expect_eq "$(dmesg_bad)" "" "no warning, BUG or oops in the kernel log"
finish
