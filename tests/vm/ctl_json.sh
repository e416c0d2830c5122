# topology: mixed
# after: tests/vm/ctl_json.after
# p2pfencectl against the real module: exit codes and texts here, and
# "JSON <name> <document>" lines that tests/vm/ctl_json.after validates on
# the host (no python in the guest): the CLI's JSON contract, live.
. /p2pfence/lib.sh
C=$CTL
have_ctl || die "no $CTL"
j() { echo "JSON $1 $2"; }

expect_rc 2 "no module: exit 2" $C dev show
expect_match "$OUT" "p2pfence module not loaded" "no module: says so"
mod_load || die "insmod failed"

j dev-show-empty "$($C -j dev show)"
expect_rc 0 "assign 01:00.0 1" $C dev assign 0000:01:00.0 1
expect_match "$OUT" "^0000:01:00.0 tenant 1 fenced" "assign prints the fenced device"
expect_rc 0 "assign 02:00.0 2" $C -j dev assign 02:00.0 2
j dev-assign "$OUT"
j dev-show "$($C -j dev show)"
j dev-show-one "$($C -j dev show 0000:01:00.0)"
j tenant-show "$($C -j tenant show)"
j tenant-show-one "$($C -j tenant show 1)"
j tenant-show-none "$($C -j tenant show 99)"
expect_rc 0 "tenant show for a tenant with nothing" $C tenant show 99
j audit "$($C -j audit)"
expect_rc 0 "audit: isolated" $C audit
j mode "$($C -j mode show)"
expect_rc 1 "EBUSY: another tenant's device (exit 1)" $C dev assign 0000:01:00.0 5
expect_match "$OUT" "^p2pfencectl: dev assign 0000:01:00.0 5: .*(busy|owned|Device or resource busy)" "EBUSY text"
expect_rc 1 "EXDEV: behind the switch (exit 1)" $C dev assign 0000:05:00.0 3
expect_match "$OUT" "acs-missing at 0000:04:00.0" "EXDEV: the kernel's extack text"
expect_rc 2 "EINVAL: a port (exit 2)" $C dev assign 0000:00:02.0 3
expect_rc 2 "ENODEV: no such device (exit 2)" $C dev show 0000:1e:00.0

# apply: a bad file changes nothing; an unfenceable table changes nothing
before=$($C -j dev show)
printf '0000:01:00.0 1\n0000:02:00.0 0\nxx\n' >/tmp/bad.conf
expect_rc 2 "apply: bad file exits 2" $C apply /tmp/bad.conf
expect_match "$OUT" "bad.conf:2:" "apply: line 2 reported"
expect_match "$OUT" "bad.conf:3:" "apply: line 3 reported"
printf '0000:01:00.0 1\n0000:05:00.0 3\n0000:06:00.0 4\n' >/tmp/refused.conf
expect_rc 1 "apply: unfenceable table refused (exit 1)" $C apply /tmp/refused.conf
expect_eq "$($C -j dev show)" "$before" "apply: nothing changed after a bad file or a refusal"
printf '# two tenants\n0000:01:00.0 7\n0000:05:00.0 8\n0000:06:00.0 8\n' >/tmp/good.conf
expect_rc 0 "apply: good table" $C apply /tmp/good.conf
j dev-show-applied "$($C -j dev show)"
expect_rc 0 "apply: empty file releases everything" $C apply /dev/null
expect_eq "$($C -j tenant show)" "[]" "apply: empty table"

# check (offline, same engine) and the module agree, in audit mode
$C mode set audit >/dev/null
agree() { # NAME DEV=TENANT...
	_n=$1
	shift
	$C apply /dev/null >/dev/null
	for a in "$@"; do $C dev assign "${a%=*}" "${a#*=}" >/dev/null 2>&1; done
	_m=$($C audit | grep -E '^[0-9a-f]{4}:' | sed 's/ (peer [^)]*)//' | sort)
	_args=
	for a in "$@"; do _args="$_args --assign $a"; done
	# shellcheck disable=SC2086
	_c=$($C check $_args | grep -E '^[0-9a-f]{4}:' | sed 's/ (peer [^)]*)//; s/ (fixable by the module)//' | sort)
	expect_eq "$_c" "$_m" "check and the module agree: $_n"
}
agree "root ports" 0000:01:00.0=1 0000:02:00.0=2
agree "switch, two tenants" 0000:05:00.0=1 0000:06:00.0=2
agree "switch, one tenant" 0000:05:00.0=1 0000:06:00.0=1
agree "disable-acs root port" 0000:07:00.0=1
agree "conventional bridge" 0000:0a:01.0=1 0000:0a:02.0=2
agree "multifunction" 0000:08:00.0=1 0000:08:00.1=2
setpci -s 00:02.0 ECAP_ACS+6.w=0000 2>/dev/null
agree "cleared root port (acs-disabled)" 0000:01:00.0=1 0000:02:00.0=2
j audit-violations "$($C -j audit)"
j check-violations "$($C -j check --assign 05:00.0=1 --assign 06:00.0=2)"
j check-units "$($C -j check)"
$C mode set enforce >/dev/null
j mode-enforce "$($C -j mode show)"
expect_eq "$(dmesg_bad)" "" "no warning, BUG or oops in the kernel log"
finish
