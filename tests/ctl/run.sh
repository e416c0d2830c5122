#!/bin/bash
# p2pfencectl tests: unit tests, then the CLI (argument parsing, owners
# file, the sysfs reader on hand-built trees, fixtures from real kernels,
# snapshot round trips, this machine's /sys). TAP lines: ok / not ok.
#
#   tests/ctl/run.sh BUILD_DIR      (BUILD_DIR holds p2pfencectl and unit,
#                                   normally ctl/build-asan from make check)
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
build=${1:?usage: run.sh BUILD_DIR}
CTL=$build/p2pfencectl
FIX=$top/tests/fixtures
T=$(mktemp -d /tmp/p2pfencectl-test.XXXXXX)
trap 'rm -rf "$T"' EXIT
TAP_PREFIX="ctl: "
. "$top/tests/tap.sh"

# run CTL ARGS...: sets rc, out, err; a sanitizer report is always a failure
run() {
	"$CTL" "$@" >"$T/out" 2>"$T/err" </dev/null
	rc=$?
	out=$(cat "$T/out")
	err=$(cat "$T/err")
	if grep -qE 'Sanitizer|runtime error:' "$T/err"; then
		not_ok "sanitizer clean: $*"
		indent <"$T/err"
	fi
}

# expect RC DESC ARGS...: exit code
expect() {
	local want=$1 desc=$2
	shift 2
	run "$@"
	if [ "$rc" = "$want" ]; then ok "$desc"; else
		not_ok "$desc (exit $rc, want $want)"
		{ echo "\$ p2pfencectl $*"; cat "$T/out" "$T/err"; } | indent
	fi
}

# usage_err DESC ARGS...: exit 2, a message on stderr, nothing on stdout
usage_err() {
	local desc=$1
	shift
	run "$@"
	if [ "$rc" = 2 ] && [ -n "$err" ] && [ -z "$out" ]; then ok "usage: $desc"; else
		not_ok "usage: $desc (exit $rc)"
		{ echo "\$ p2pfencectl $*"; cat "$T/out" "$T/err"; } | indent
	fi
}

has() { # has DESC STRING TEXT
	case $3 in *"$2"*) ok "$1" ;; *) not_ok "$1"; printf '%s\n' "want: $2" "got:" "$3" | indent ;; esac
}

# JSON query: json EXPR (on $out), prints the Python value
json() { printf '%s' "$out" | python3 -c "import json,sys; d=json.load(sys.stdin); print($1)"; }
# json_is EXPR WANT DESC: json EXPR prints WANT (else $out is shown)
json_is() {
	if [ "$(json "$1")" = "$2" ]; then ok "$3"; else not_ok "$3"; printf '%s\n' "$out" | indent; fi
}

# --- unit tests (the boot policy's online side reads a sysfs tree: acs-switch)
python3 "$here/mktree.py" "$T/unit-tree" acs-switch
P2PF_UNIT_TREE=$T/unit-tree "$build/unit" 2>"$T/unit.err"
urc=$?
if grep -qE 'Sanitizer|runtime error:' "$T/unit.err"; then not_ok "unit tests sanitizer clean"; indent <"$T/unit.err"; fi
[ $urc = 0 ] || not_ok "unit tests exit 0"

# --- the engine against the naive model (tests/ref/, through tests/ctl/fuzz_engine.c), fixed seed
if [ -x "$build/engine-diff" ]; then
	if "$build/engine-diff" -runs=100000 -seed=1 >"$T/ed.out" 2>&1; then
		ok "engine == naive model of the isolation rule ($(grep -o 'Done [0-9]* runs' "$T/ed.out"))"
	else
		not_ok "engine == naive model of the isolation rule"; grep -A30 -E 'mismatch|ERROR' "$T/ed.out" | indent
	fi
fi

# --- arguments: every bad input is a usage error (exit 2)
usage_err "no arguments"
usage_err "unknown object" bogus
usage_err "unknown option" -x dev show
usage_err "dev without command" dev
usage_err "dev unknown command" dev frob
usage_err "dev assign without args" dev assign
usage_err "dev assign without tenant" dev assign 0000:41:00.0
usage_err "dev assign extra arg" dev assign 0000:41:00.0 7 8
usage_err "dev assign bad DEV" dev assign 0000:41:00 7
usage_err "dev assign DEV slot > 1f" dev assign 0000:41:20.0 7
usage_err "dev assign DEV function > 7" dev assign 41:00.8 7
usage_err "dev assign DEV junk" dev assign 0000:41:00.0x 7
usage_err "dev assign DEV domain too long" dev assign 10000:41:00.0 7
usage_err "dev assign tenant 0" dev assign 0000:41:00.0 0
usage_err "dev assign tenant negative" dev assign 0000:41:00.0 -1
usage_err "dev assign tenant overflow" dev assign 0000:41:00.0 4294967296
usage_err "dev assign tenant junk" dev assign 0000:41:00.0 '7!'
usage_err "dev assign tenant with a blank" dev assign 0000:41:00.0 "7 "
usage_err "dev assign tenant empty" dev assign 0000:41:00.0 ""
usage_err "dev assign unknown option" dev assign 0000:41:00.0 7 --accept-reset
usage_err "dev assign --accept-no-reset without tenant" dev assign 0000:41:00.0 --accept-no-reset
usage_err "dev assign --accept-no-reset and three args" dev assign --accept-no-reset 41:00.0 7 8
usage_err "dev release without DEV" dev release
usage_err "dev release bad DEV" dev release 41-00-0
usage_err "dev show bad DEV" dev show xyz
usage_err "dev show extra" dev show 41:00.0 42:00.0
usage_err "tenant without command" tenant
usage_err "tenant show 0" tenant show 0
usage_err "tenant show junk" tenant show 'abc?'
usage_err "audit extra" audit now
usage_err "mode without command" mode
usage_err "mode set without mode" mode set
usage_err "mode set unknown" mode set permissive
usage_err "mode show extra" mode show enforce
usage_err "apply without FILE" apply
usage_err "apply two FILEs" apply a b
usage_err "apply missing FILE" apply "$T/nonexistent"
usage_err "monitor extra" monitor all
usage_err "check unknown option" check --frob
usage_err "check --sysfs without value" check --sysfs
usage_err "check --assign without =" check --assign 0000:41:00.0
usage_err "check --assign bad DEV" check --assign 0000:41:0.0=1
usage_err "check --assign tenant 0" check --assign 0000:41:00.0=0
usage_err "check --assign tenant overflow" check --assign 0000:41:00.0=99999999999
usage_err "check --assign duplicate" check --assign 41:00.0=1 --assign 0000:41:00.0=2
usage_err "check --config twice" check --config a --config b
usage_err "check --config missing" check --config "$T/nonexistent"
usage_err "snapshot without DIR" snapshot
usage_err "snapshot two DIRs" snapshot a b
usage_err "help unknown object" help bogus
expect 0 "--version" --version
has "--version prints the name" "p2pfencectl" "$out"
expect 0 "help" help
has "help lists check" "check [--sysfs ROOT | --lspci FILE [--groups FILE]]" "$out"
expect 0 "help dev" help dev
expect 0 "dev help" dev help

# --- no module here: a clear message, exit 2
if [ ! -d /sys/module/p2pfence ]; then
	printf '0000:41:00.0 7\n' >"$T/one.conf"
	for c in "dev show" "dev show 41:00.0" "tenant show" "tenant show 3" "audit" "mode show" \
		"mode set audit" "dev assign 0000:41:00.0 7" "dev assign 41:00.0 7 --accept-no-reset" \
		"dev assign --accept-no-reset 41:00.0 7" "dev release 41:00.0" "monitor" \
		"apply $T/one.conf"; do
		# shellcheck disable=SC2086
		expect 2 "no module: $c exits 2" $c
		has "no module: $c says so" "p2pfence module not loaded" "$err"
	done
fi

# --- -batch: many commands in one process (offline here: check and help
# need no module; dev show / mode show fail cleanly without it)
B=$T/batch
# run_in FILE ARGS...: run with FILE on stdin
run_in() {
	local in=$1
	shift
	"$CTL" "$@" >"$T/out" 2>"$T/err" <"$in"
	rc=$?
	out=$(cat "$T/out")
	err=$(cat "$T/err")
	if grep -qE 'Sanitizer|runtime error:' "$T/err"; then not_ok "sanitizer clean: $*"; indent <"$T/err"; fi
}
# is RC WANT DESC: the exit code (with the output on failure)
is_rc() {
	if [ "$1" = "$2" ]; then ok "$3"; else
		not_ok "$3 (exit $1, want $2)"; cat "$T/out" "$T/err" | indent; fi
}
lacks() { # lacks DESC STRING TEXT
	case $3 in *"$2"*) not_ok "$1"; printf '%s\n' "unwanted: $2" "got:" "$3" | indent ;; *) ok "$1" ;; esac
}
FIXT=$FIX/mixed-6.12
CHK_OK="check --sysfs $FIXT --assign 01:00.0=1"
CHK_BAD="check --sysfs $FIXT --assign 05:00.0=1 --assign 06:00.0=2"

usage_err "-batch without FILE" -batch
usage_err "-batch and an object" -batch "$T/x" dev show
usage_err "-force without -batch" -force dev show
usage_err "-batch twice" -batch a -batch b
expect 2 "-batch of a missing FILE" -batch "$T/nonexistent"
has "-batch of a missing FILE names it" "-batch $T/nonexistent: No such file" "$err"
printf '# only comments\n\n   \n\t# and blanks\n' >"$B"
expect 0 "batch: comments and blank lines only" -batch "$B"
[ -z "$out$err" ] && ok "batch: comments and blank lines print nothing" ||
	not_ok "batch: comments and blank lines print nothing"
printf '# two checks\n%s\n\n%s   # a comment after a command\nhelp dev\n' "$CHK_OK" "$CHK_OK" >"$B"
expect 0 "batch: offline commands (check, help)" -batch "$B"
[ "$(grep -c '^isolated: 1 device assigned' "$T/out")" = 2 ] && ok "batch: both checks ran" ||
	{ not_ok "batch: both checks ran"; indent <"$T/out"; }
has "batch: help ran" "usage: p2pfencectl" "$out"
printf '%s\n%s\n' "$CHK_OK" "$CHK_BAD" >"$B"
expect 1 "batch -j: exit 1 at the violation" -j -batch "$B"
if printf '%s\n' "$out" | python3 -c '
import json, sys
docs = [json.loads(l) for l in sys.stdin]
assert [d["isolated"] for d in docs] == [True, False], docs'; then
	ok "batch -j: one JSON document per command, in order"
else
	not_ok "batch -j: one JSON document per command, in order"; indent <"$T/out"
fi
run -p -batch "$B"
if printf '%s\n' "$out" | python3 -c '
import json, sys
s, d, docs = sys.stdin.read(), json.JSONDecoder(), []
i = 0
while i < len(s.rstrip()):
    o, i = d.raw_decode(s, i); docs.append(o); i += 1
assert len(docs) == 2 and "\n  " in s, docs'; then
	ok "batch -p: pretty documents, one per command"
else
	not_ok "batch -p: pretty documents, one per command"; indent <"$T/out"
fi

# stop at the first failure vs -force; line numbers count every line
printf '# header\n%s\n\n%s\nhelp mode\n' "$CHK_OK" "$CHK_BAD" >"$B"
expect 1 "batch: stops at the first failure with its exit status" -batch "$B"
lacks "batch: nothing runs after the failure" "usage: p2pfencectl" "$out"
has "batch: the stop names the line" "p2pfencectl: batch line 4: " "$err"
expect 1 "batch -force: goes on, exit the worst (1)" -force -batch "$B"
has "batch -force: the line after the failure ran" "mode show" "$out"
has "batch -force: a summary names the first failed line" "1 line failed, the first at line 4; exit 1" "$err"
printf 'bogus\n' >"$B"
usage_err "batch: an unknown object" -batch "$B"
has "batch: the error names line 1" "p2pfencectl: batch line 1: unknown object 'bogus'" "$err"
lacks "batch: a usage error does not dump the usage" "usage:" "$err"
printf '%s\n-batch %s\n' "$CHK_OK" "$B" >"$T/nest"
expect 2 "batch: nested -batch refused" -batch "$T/nest"
has "batch: nested -batch says so, on line 2" "batch line 2: nested -batch is not allowed" "$err"
printf -- '-j dev show\n' >"$B"
usage_err "batch: options on a line refused" -batch "$B"
has "batch: options go before -batch" "options go before -batch" "$err"
printf 'check --sysfs "%s\n' "$FIXT" >"$B"
usage_err "batch: unterminated quote" -batch "$B"
has "batch: unterminated quote says so" "batch line 1: unterminated \"" "$err"
ln -s "$FIXT" "$T/fix with space"
printf 'check --sysfs "%s" --assign 01:00.0=1\n' "$T/fix with space" >"$B"
expect 0 "batch: a \"quoted word\" keeps its blanks" -batch "$B"
printf '%s\n%s\n' "$CHK_OK" "$CHK_BAD" >"$B"
run_in "$B" -batch -
is_rc "$rc" 1 "batch from stdin (-batch -)"
[ "$(printf '%s\n' "$out" | grep -c '^isolated: 1 device assigned')" = 1 ] &&
	ok "batch from stdin: both lines ran" || { not_ok "batch from stdin: both lines ran"; indent <"$T/out"; }

# without the module: a clear error naming the line, exit 2 (worst with -force)
if [ ! -d /sys/module/p2pfence ]; then
	printf '%s\n# the module is not loaded\ndev show\n%s\n' "$CHK_OK" "$CHK_BAD" >"$B"
	expect 2 "batch, no module: dev show fails (exit 2)" -batch "$B"
	has "batch, no module: line 3 says the module is not loaded" \
		"p2pfencectl: batch line 3: p2pfence module not loaded" "$err"
	lacks "batch, no module: line 4 did not run" "not isolated" "$out"
	printf '%s\ndev show\n%s\nmode show\n%s\n' "$CHK_BAD" "$CHK_OK" "$CHK_OK" >"$B"
	expect 2 "batch -force, no module: exit the worst (2, after a 1)" -force -batch "$B"
	[ "$(printf '%s\n' "$out" | grep -c '^isolated: 1 device assigned')" = 2 ] &&
		ok "batch -force, no module: every line ran" || { not_ok "batch -force, no module: every line ran"; indent <"$T/out"; }
	has "batch -force, no module: line 4 reported too" "batch line 4: p2pfence module not loaded" "$err"
	has "batch -force, no module: the summary" "3 lines failed, the first at line 1; exit 2" "$err"
	printf 'metrics\n%s\n' "$CHK_OK" >"$B"
	expect 0 "batch, no module: metrics is no failure" -batch "$B"
fi

# --- metrics: Prometheus text format (node-exporter textfile collector)
usage_err "metrics extra" metrics now
expect 0 "metrics: help" metrics help
if [ ! -d /sys/module/p2pfence ]; then
	expect 0 "metrics without the module: exit 0 (a textfile collector must not break)" metrics
	has "metrics without the module: p2pfence_module_loaded 0" "p2pfence_module_loaded 0" "$out"
	has "metrics: HELP line" "# HELP p2pfence_module_loaded " "$out"
	has "metrics: TYPE line" "# TYPE p2pfence_module_loaded gauge" "$out"
	[ -z "$err" ] && ok "metrics without the module: nothing on stderr" ||
		{ not_ok "metrics without the module: nothing on stderr"; indent <"$T/err"; }
	if command -v promtool >/dev/null; then
		if promtool check metrics <"$T/out" >"$T/prom" 2>&1; then
			ok "metrics without the module: promtool check metrics is clean"
		else
			not_ok "metrics without the module: promtool check metrics is clean"; indent <"$T/prom"
		fi
	else
		skip "metrics: promtool check metrics" "promtool not installed (apt-get install prometheus; scripts/deps installs it)"
	fi
	# the unit's ExecStart, run here against a scratch directory: atomic rename
	svc=$top/systemd/p2pfence-metrics.service
	cmd=$(sed -n "s/^ExecStart=\/bin\/sh -c '\(.*\)'$/\1/p" "$svc")
	mkdir -p "$T/prom-dir"
	cmd=${cmd//\/usr\/sbin\/p2pfencectl/$CTL}
	cmd=${cmd//\/var\/lib\/prometheus\/node-exporter/$T/prom-dir}
	if [ -n "$cmd" ] && sh -c "$cmd" 2>"$T/err" && [ -s "$T/prom-dir/p2pfence.prom" ] &&
	   [ ! -e "$T/prom-dir/p2pfence.prom.tmp" ] && grep -q "p2pfence_module_loaded 0" "$T/prom-dir/p2pfence.prom"; then
		ok "p2pfence-metrics.service: its command writes p2pfence.prom through a renamed .tmp"
	else
		not_ok "p2pfence-metrics.service: its command writes p2pfence.prom through a renamed .tmp"
		{ echo "$cmd"; ls -la "$T/prom-dir"; cat "$T/err"; } | indent
	fi
fi
grep -q '^OnUnitActiveSec=30s$' "$top/systemd/p2pfence-metrics.timer" &&
	ok "p2pfence-metrics.timer: every 30 s" || not_ok "p2pfence-metrics.timer: every 30 s"
for u in p2pfence-metrics.service p2pfence-metrics.timer; do
	grep -q "^systemd/$u lib/systemd/system/" "$top/debian/p2pfencectl.install" &&
		ok "debian ships $u" || not_ok "debian ships $u"
done

# --- owners file (apply/--config): every bad line by number, nothing sent
cat >"$T/bad.conf" <<'CONF'
# tenants
0000:41:00.0 7
0000:41:00.0
0000:42:00.0 0

zz:00.0 1
0000:43:00.0 1 extra
0000:41:00.0 8   # again
0000:44:00.0 -3
0000:45:00.0 4294967296
CONF
expect 2 "apply: a bad file exits 2" apply "$T/bad.conf"
for l in 3 4 6 7 8 9 10; do has "apply: bad line $l reported" "bad.conf:$l:" "$err"; done
case $err in *"bad.conf:2:"*) not_ok "apply: good line 2 not reported" ;; *) ok "apply: good line 2 not reported" ;; esac
has "apply: duplicate names the first line" "duplicate device 0000:41:00.0 (first on line 2)" "$err"
has "apply: says nothing was applied" "7 bad lines: nothing applied" "$err"
case $err in *"module not loaded"*) not_ok "apply: bad file never reaches netlink" ;; *) ok "apply: bad file never reaches netlink" ;; esac
expect 2 "check --config: a bad file exits 2" check --config "$T/bad.conf" --sysfs "$FIX/mixed-6.12"
has "check --config: bad lines reported" "bad.conf:4:" "$err"

# --- tenant names: a TENANT that is not all digits is a name (1-63 of
# A-Z a-z 0-9 . _ : @ + / -, first a letter or a digit); ids from 2147483648
# are the module's (asked about, never given)
UUID=3f2504e0-4f89-11d3-9a0c-0305e82c3301
N63=$(printf 'a%.0s' $(seq 63))
N64=${N63}a
# name_err DESC WANT ARGS...: a usage error (exit 2, nothing on stdout) whose one line says WANT
name_err() {
	local desc=$1 want=$2
	shift 2
	run "$@"
	if [ "$rc" = 2 ] && [ -z "$out" ] && [[ $(head -1 "$T/err") == *"$want"* ]]; then
		ok "names: usage: $desc"
	else
		not_ok "names: usage: $desc (exit $rc)"
		{ echo "\$ p2pfencectl $*"; echo "want: $want"; cat "$T/out" "$T/err"; } | indent
	fi
}
ASSIGN_NAMED="tenant ids from 2147483648 are given by the module to named tenants: name the tenant instead"
name_err "dev assign 2147483648 (the module's)" "dev assign: $ASSIGN_NAMED" dev assign 0000:41:00.0 2147483648
name_err "dev assign 4294967295 (the module's)" "$ASSIGN_NAMED" dev assign 0000:41:00.0 4294967295
name_err "dev assign of two DEVs to 2147483648" "$ASSIGN_NAMED" dev assign 41:00.0 42:00.0 2147483648
name_err "dev assign 0" "tenant 0 is the host" dev assign 0000:41:00.0 0
name_err "dev assign DEV DEV (the tenant forgotten)" \
	"'0000:42:00.0' is a PCI address, not a tenant (the tenant comes last)" \
	dev assign 0000:41:00.0 0000:42:00.0
name_err "dev release --tenant a short PCI address" "'42:00.0' is a PCI address" \
	dev release 0000:41:00.0 --tenant 42:00.0
name_err "dev assign a 64-byte name" "dev assign: tenant name '" dev assign 0000:41:00.0 "$N64"
name_err "dev assign a 64-byte name: the length" "is 64 bytes long: at most 63" dev assign 0000:41:00.0 "$N64"
name_err "dev assign a name with a blank" "character ' ' at position 3" dev assign 0000:41:00.0 "vm a"
name_err "dev assign a name with '!'" "invalid tenant name 'vm!': character '!' at position 3" \
	dev assign 0000:41:00.0 'vm!'
name_err "dev assign a name with a non-ASCII byte" "byte 0xc3 at position 3" dev assign 0000:41:00.0 "vmé"
name_err "dev assign a name starting with '.'" "must start with a letter or a digit, not '.'" \
	dev assign 0000:41:00.0 .vm
name_err "dev release --tenant a leading '-'" "dev release: --tenant: invalid tenant name '-vm': it must start with a letter or a digit, not '-'" \
	dev release 0000:41:00.0 --tenant -vm
name_err "dev release --tenant 0" "tenant 0 is the host" dev release 0000:41:00.0 --tenant 0
name_err "dev release --tenant 4294967296" "out of range (1-4294967295)" dev release 0000:41:00.0 --tenant 4294967296
name_err "tenant show a 64-byte name" "is 64 bytes long" tenant show "$N64"
name_err "tenant show a bad character" "character '*' at position 3" tenant show 'vm*'
name_err "tenant show 0" "tenant 0 is the host" tenant show 0
name_err "check --assign 2147483648" "check: --assign: $ASSIGN_NAMED" check --sysfs "$FIX/mixed-6.12" --assign 01:00.0=2147483648
name_err "check --assign a bad name" "invalid tenant name 'vm a'" check --sysfs "$FIX/mixed-6.12" --assign "01:00.0=vm a"
name_err "check --assign a 64-byte name" "is 64 bytes long" check --sysfs "$FIX/mixed-6.12" --assign "01:00.0=$N64"
# accepted: parsed, then the module is asked (not loaded here: exit 2 saying so)
if [ ! -d /sys/module/p2pfence ]; then
	for c in "dev assign 0000:41:00.0 $UUID" "dev assign 0000:41:00.0 $N63" "dev assign 41:00.0 42:00.0 vm-a" \
		"dev assign 0000:41:00.0 0x7" "dev assign 0000:41:00.0 A.b_c:d@e+f/g-h --accept-no-reset" \
		"dev assign 0000:41:00.0 2147483647" "dev release 0000:41:00.0 --tenant $UUID" \
		"dev release 0000:41:00.0 --tenant 2147483648" "dev release 0000:41:00.0 --tenant 4294967295" \
		"tenant show 2147483648" "tenant show 4294967295" "tenant show $UUID" "tenant show $N63"; do
		# shellcheck disable=SC2086
		run $c
		if [ "$rc" = 2 ] && [[ $err == *"p2pfence module not loaded"* ]] && [[ $err != *usage:* ]]; then
			ok "names: accepted: $c"
		else
			not_ok "names: accepted: $c (exit $rc)"; indent <"$T/err"
		fi
	done
fi

# check --assign DEV=NAME, offline, on the fixtures: the would-be table by name
FXN=$FIX/mixed-6.12
expect 0 "names: check: one name on both devices behind the ACS-less switch is one tenant" \
	check --sysfs "$FXN" --assign "05:00.0=$UUID" --assign "06:00.0=$UUID" --assign 01:00.0=7
has "names: check: the tenant by its name, with its devices" "tenant $UUID: 0000:05:00.0 0000:06:00.0" "$out"
has "names: check: a numeric tenant as before" "tenant 7: 0000:01:00.0" "$out"
has "names: check: the summary" "isolated: 3 devices assigned, all fenced" "$out"
expect 1 "names: check: two names behind the switch are two tenants" \
	check --sysfs "$FXN" --assign 05:00.0=vm-a --assign 06:00.0=vm-b
has "names: check: acs-missing between the two named tenants" \
	"0000:05:00.0: acs-missing at 0000:04:00.0 (peer 0000:06:00.0) missing SV RR CR UF" "$out"
has "names: check: each named tenant listed" "tenant vm-a: 0000:05:00.0" "$out"
expect 1 "names: check: names are case-sensitive (vm-a and VM-a are two tenants)" \
	check --sysfs "$FXN" --assign 05:00.0=vm-a --assign 06:00.0=VM-a
expect 1 "names: check: a name and an id are two tenants" \
	check --sysfs "$FXN" --assign 05:00.0=7 --assign 06:00.0=vm-7
expect 0 "names: check: a name that starts with digits is a name (7a)" \
	check --sysfs "$FXN" --assign 05:00.0=7a --assign 06:00.0=7a
expect 0 "names: check: a 63-byte name" check --sysfs "$FXN" --assign "01:00.0=$N63"
has "names: check: the 63-byte name shown" "tenant $N63: 0000:01:00.0" "$out"
expect 1 "names: check -j with names" -j check --sysfs "$FXN" --assign 05:00.0=vm-a --assign 06:00.0=vm-b \
	--assign 01:00.0=7
json_is '[(t["tenant"], t.get("tenant_name"), t["devs"]) for t in d["tenants"]]' \
	"[(None, 'vm-a', ['0000:05:00.0']), (None, 'vm-b', ['0000:06:00.0']), (7, None, ['0000:01:00.0'])]" \
	"names: check -j: tenants (null id: the module gives it), tenant_name only when named"
json_is '"tenant_name" in d["tenants"][2]' False "names: check -j: no tenant_name for a numeric tenant"
json_is 'sorted(v["dev"] for v in d["violations"] if v["kind"] == "acs-missing")' "['0000:05:00.0', '0000:06:00.0']" \
	"names: check -j: the verdicts as with ids"
run -j check --sysfs "$FXN" --assign 05:00.0=1 --assign 06:00.0=2 --assign 01:00.0=7
ids_v=$(json 'd["violations"]')
run -j check --sysfs "$FXN" --assign 05:00.0=vm-a --assign 06:00.0=vm-b --assign 01:00.0=7
[ "$(json 'd["violations"]')" = "$ids_v" ] && ok "names: check: named tenants give the verdicts the same ids give" ||
	not_ok "names: check: named tenants give the verdicts the same ids give"

# owners file with names
cat >"$T/names.conf" <<CONF
# VMs by UUID
0000:05:00.0 $UUID
0000:06:00.0 $UUID   # the same VM: one tenant
0000:01:00.0 7
0000:02:00.0 $N63
CONF
expect 0 "names: check --config: two devices of one name are one tenant (isolated)" \
	check --sysfs "$FXN" --config "$T/names.conf"
has "names: check --config: the table by name" "tenant $UUID: 0000:05:00.0 0000:06:00.0" "$out"
sed -i "s/^0000:06:00.0 .*/0000:06:00.0 vm-b/" "$T/names.conf"
expect 1 "names: check --config: another name is another tenant" check --sysfs "$FXN" --config "$T/names.conf"
cat >"$T/badnames.conf" <<CONF
0000:05:00.0 $UUID
0000:06:00.0 vm b
0000:07:00.0 -vm
0000:08:00.0 $N64
0000:01:00.0 2147483648
0000:02:00.0 vm!
0000:0a:01.0 $N63
CONF
expect 2 "names: apply: a file with bad names exits 2" apply "$T/badnames.conf"
has "names: apply: a blank in a name is a third field" "badnames.conf:2: expected 'DEV TENANT', got 3 fields" "$err"
has "names: apply: a leading '-' names file:line" "badnames.conf:3: invalid tenant name '-vm': it must start with a letter or a digit, not '-'" "$err"
has "names: apply: 64 bytes names file:line" "badnames.conf:4: tenant name '" "$err"
has "names: apply: ... and the length" "is 64 bytes long: at most 63" "$err"
has "names: apply: the module's id names file:line" "badnames.conf:5: $ASSIGN_NAMED" "$err"
has "names: apply: a bad character names file:line" "badnames.conf:6: invalid tenant name 'vm!': character '!' at position 3" "$err"
lacks "names: apply: good named lines not reported" "badnames.conf:1:" "$err"
lacks "names: apply: a 63-byte name is good" "badnames.conf:7:" "$err"
has "names: apply: nothing applied" "5 bad lines: nothing applied" "$err"
lacks "names: apply: a bad file never reaches netlink" "module not loaded" "$err"
expect 2 "names: check --config: the same file exits 2" check --sysfs "$FXN" --config "$T/badnames.conf"
has "names: check --config: names file:line too" "badnames.conf:6:" "$err"

# -batch: names as on the command line
printf 'check --sysfs %s --assign 05:00.0=%s --assign 06:00.0=%s\ncheck --sysfs %s --assign "01:00.0=vm a"\n' \
	"$FXN" "$UUID" "$UUID" "$FXN" >"$B"
expect 2 "names: batch: a good named line, then a bad name" -batch "$B"
has "names: batch: the named check ran" "tenant $UUID: 0000:05:00.0 0000:06:00.0" "$out"
has "names: batch: the bad name names the line and the character" \
	"batch line 2: check: --assign: invalid tenant name 'vm a': character ' ' at position 3" "$err"

# --- the sysfs reader on hand-built trees
tree() { rm -rf "$T/tree"; python3 "$here/mktree.py" "$T/tree" "$1"; }
# reader_err CASE WHAT: exit 2, error names a path in the tree and says WHAT
reader_err() {
	tree "$1"
	run check --sysfs "$T/tree" --assign 01:00.0=1
	if [ "$rc" = 2 ] && [[ $err == *"$T/tree/"* ]] && [[ $err == *"$2"* ]]; then
		ok "reader: $1: error names the path"
	else
		not_ok "reader: $1: error names the path (exit $rc)"; indent <"$T/err"
	fi
}
reader_err missing-config "0000:01:00.0/config: No such file"
reader_err truncated-config "config space truncated: 10 bytes"
reader_err config-64 "reading it needs root"
reader_err all-ones "vendor ID reads ffff"
reader_err bad-type "unknown IOMMU domain type 'auto'"
reader_err missing-type "iommu_groups/1/type: No such file"
reader_err bad-group-link "does not name an IOMMU group"
reader_err dangling-link "dangling link"
reader_err escape-link "leaves the tree"
reader_err absolute-link "is absolute"
reader_err not-a-link "not a symlink"
reader_err bad-name "gpu0: not a PCI address"
reader_err wrong-name "does not end in 0000:00:09.0"
reader_err parent-missing "is not in"
reader_err no-devices-dir "bus/pci/devices: No such file"
reader_err empty "no PCI devices"
expect 2 "reader: a ROOT that does not exist" check --sysfs "$T/none"
has "reader: names the missing ROOT" "$T/none/bus/pci/devices" "$err"

# warn CASE WHAT RC: runs, warns naming the config file
reader_warn() {
	tree "$1"
	run check --sysfs "$T/tree" --assign 01:00.0=1
	if [ "$rc" = "$3" ] && [[ $err == *"warning: $T/tree/"*"/config: "*"$2"* ]]; then
		ok "reader: $1: warns naming the file, exit $3"
	else
		not_ok "reader: $1: warns naming the file, exit $3 (exit $rc)"; indent <"$T/err"
	fi
}
reader_warn cap-loop "capability chain loops" 0
reader_warn ext-loop "capability chain loops (at 0x100)" 0
reader_warn short-256 "extended config space unreadable (256 bytes): ACS/ATS unknown" 1
reader_err root-bus-in-port "its root bus sits in 0000:00:03.0, which is no VMD endpoint"
tree zero-id
expect 0 "reader: ID-0 capabilities are stepped over" check --sysfs "$T/tree" --assign 01:00.0=1
[ -z "$err" ] && ok "reader: ID-0 capabilities: no warning" || { not_ok "reader: ID-0 capabilities: no warning"; indent <"$T/err"; }

# verdicts on the hand-built machine
tree healthy
expect 0 "tree: one endpoint behind an ACS root port is isolated" -j check --sysfs "$T/tree" --assign 01:00.0=1
json_is 'd["isolated"], d["violations"]' "True []" "tree: -j isolated true, no violations"
expect 1 "tree: acs-disabled root port is a violation" -j check --sysfs "$T/tree" --assign 02:00.0=1
json_is '[(v["kind"], v["dev"], v["at"], v["peer"], v["missing"]) for v in d["violations"]]' \
	"[('acs-disabled', '0000:02:00.0', '0000:00:02.0', '0000:01:00.0', ['SV', 'RR', 'CR', 'UF'])]" \
	"tree: acs-disabled verdict fields"
expect 1 "tree: text says fixable" check --sysfs "$T/tree" --assign 02:00.0=1
has "tree: text verdict line" "0000:02:00.0: acs-disabled at 0000:00:02.0 (peer 0000:01:00.0) missing SV RR CR UF (fixable by the module)" "$out"
expect 2 "tree: assigning a port is an error" check --sysfs "$T/tree" --assign 00:01.0=1
has "tree: says it is a port" "a port or bridge" "$err"
expect 2 "tree: assigning an absent device is an error" check --sysfs "$T/tree" --assign 07:00.0=1
for c in ats identity no-group; do
	tree $c
	expect 1 "tree: $c is a violation" -j check --sysfs "$T/tree" --assign 01:00.0=1
done
# ATS is judged by the capability, whatever its enable bit: the port must
# block translated requests (TB), which the module sets where it can
for c in ats ats-off; do
	tree $c; run -j check --sysfs "$T/tree" --assign 01:00.0=1
	json_is '[(v["kind"], v["at"], v["peer"], v["missing"], v["fixable"]) for v in d["violations"]]' \
		"[('acs-disabled', '0000:00:01.0', '0000:02:00.0', ['TB'], True)]" "tree $c: TB needed at the port, fixable"
done
# one tenant owns every device: TB alone, the whole host concerned (no peer)
run -j check --sysfs "$T/tree" --assign 01:00.0=1 --assign 02:00.0=1 --assign 05:00.0=1 --assign 06:00.0=1
json_is '[(v["kind"], v["at"], v["peer"], v["missing"]) for v in d["violations"]]' \
	"[('acs-disabled', '0000:00:01.0', None, ['TB'])]" "tree ats-off: one tenant everywhere: TB alone, peer null"
tree ats; expect 1 "tree ats: text" check --sysfs "$T/tree" --assign 01:00.0=1
has "tree ats: text names TB" "0000:01:00.0: acs-disabled at 0000:00:01.0 (peer 0000:02:00.0) missing TB (fixable by the module)" "$out"
tree ats-notb; run -j check --sysfs "$T/tree" --assign 01:00.0=1
json_is '[(v["kind"], v["at"], v["missing"], v["fixable"], v["why"]) for v in d["violations"]]' \
	"[('ats-enabled', '0000:00:01.0', ['TB'], False, 'cannot block translated requests')]" \
	"tree ats-notb: ats-enabled at the port, not fixable"
tree ats-tb; expect 0 "tree ats-tb: TB set at the port: isolated" check --sysfs "$T/tree" --assign 01:00.0=1

# the same-tenant GPUDirect opt-in: trust-ats accepts the tenant's ATS (no
# TB needed, never ats-enabled); other tenants are judged as before
tree ats-notb
expect 0 "trust-ats: --trust-ats 1 accepts ATS where TB cannot be set" \
	check --sysfs "$T/tree" --assign 01:00.0=1 --trust-ats 1
has "trust-ats: text explains what it trusts" \
	"ATS trusted (trust-ats): 0000:01:00.0 may send translated requests that reach host memory without the IOMMU" "$out"
run -j check --sysfs "$T/tree" --assign 01:00.0=1 --assign 02:00.0=2 --trust-ats 1
json_is '[(t["tenant"], t["trust_ats"], t.get("ats_devs")) for t in d["tenants"]]' \
	"[(1, True, ['0000:01:00.0']), (2, False, None)]" "trust-ats: JSON trust_ats and ats_devs per tenant"
expect 1 "trust-ats: another tenant's opt-in does not cover tenant 1" \
	check --sysfs "$T/tree" --assign 01:00.0=1 --trust-ats 2
has "trust-ats: tenant 1 still ats-enabled" "ats-enabled at 0000:00:01.0" "$out"
tree healthy
expect 0 "trust-ats: a trusted tenant without ATS devices: nothing changes" \
	check --sysfs "$T/tree" --assign 01:00.0=vm-a --trust-ats vm-a
has "trust-ats: says the opt-in changes nothing" "none of its devices has ATS here" "$out"
tree ats-notb
printf '0000:01:00.0 vm-b\ntrust-ats vm-b   # GPUDirect\n' >"$T/trust.conf"
expect 0 "trust-ats: owners.conf trust-ats line" check --sysfs "$T/tree" --config "$T/trust.conf"
printf 'trust-ats\ntrust-ats 1 2\ntrust-ats 0\ntrust-ats 0000:01:00.0\n' >"$T/trust-bad.conf"
expect 2 "trust-ats: bad trust-ats lines exit 2" check --sysfs "$T/tree" --config "$T/trust-bad.conf"
for l in 1 2 3 4; do has "trust-ats: bad line $l reported" "trust-bad.conf:$l:" "$err"; done
expect 2 "trust-ats: apply with bad trust-ats lines never reaches netlink" apply "$T/trust-bad.conf"
expect 2 "trust-ats: --trust-ats without an assignment is a usage error" check --sysfs "$T/tree" --trust-ats 1
has "trust-ats: says it goes with the assignment" "--trust-ats goes with the assignment" "$err"
expect 2 "trust-ats: --trust-ats with a bad tenant" check --sysfs "$T/tree" --assign 01:00.0=1 --trust-ats 0
expect 2 "tenant set: no option" tenant set vm-a
expect 2 "tenant set: unknown option" tenant set vm-a --trust
has "tenant set: names the options" "--trust-ats or --no-trust-ats" "$err"
expect 2 "tenant set: bad tenant" tenant set 0 --trust-ats
expect 2 "tenant set: too many arguments" tenant set vm-a --trust-ats x
tree no-group; run -j check --sysfs "$T/tree" --assign 01:00.0=1
json_is '[(v["kind"], v["peer"]) for v in d["violations"]]' "[('no-iommu', None)]" "tree: no-iommu verdict, peer null"

# --- Intel VMD and 32-bit domains (mktree.py vmd): a device behind a VMD
# DMAs with the VMD endpoint's requester id, so the endpoint and what is
# behind it go to one owner; domains 0001 and 10001 (low 16 bits equal)
# are distinct devices. The same answers from the lspci dump of the tree
# (the VMD endpoints 8086:467f by address host domains 10000, 10001).
tree vmd
VMDT=$T/vmd-tree
rm -rf "$VMDT"; mv "$T/tree" "$VMDT"
expect 1 "vmd: an NVMe behind a VMD alone is refused" -j check --sysfs "$VMDT" --assign 10000:01:00.0=1
json_is '[(v["kind"], v["dev"], v["at"], v["peer"], v.get("vmd")) for v in d["violations"]]' \
	"[('shared-iommu-group', '10000:01:00.0', '10000:01:00.0', '0000:00:0e.0', '0000:00:0e.0')]" \
	"vmd: shared-iommu-group with the VMD endpoint, JSON names the VMD"
expect 1 "vmd: text" check --sysfs "$VMDT" --assign 10000:01:00.0=1
has "vmd: text says behind VMD" "10000:01:00.0: shared-iommu-group at 10000:01:00.0 (peer 0000:00:0e.0): behind VMD 0000:00:0e.0" "$out"
expect 1 "vmd: the VMD endpoint alone is refused" check --sysfs "$VMDT" --assign 00:0e.0=1
has "vmd: ... naming what is behind it" "0000:00:0e.0: shared-iommu-group at 0000:00:0e.0 (peer 10000:01:00.0): 10000:01:00.0 is behind this VMD" "$out"
expect 0 "vmd: the VMD endpoint and its NVMe to one tenant: isolated" check --sysfs "$VMDT" --assign 00:0e.0=1 --assign 10000:01:00.0=1
expect 1 "vmd: the VMD endpoint and its NVMe to two tenants: refused" -j check --sysfs "$VMDT" --assign 00:0e.0=1 --assign 10000:01:00.0=2
json_is 'sorted((v["kind"], v["dev"]) for v in d["violations"])' \
	"[('shared-iommu-group', '0000:00:0e.0'), ('shared-iommu-group', '10000:01:00.0')]" "vmd: split: both sides named"
expect 1 "vmd: the NVMe behind the second VMD alone is refused" -j check --sysfs "$VMDT" --assign 10001:01:00.0=2
json_is '[(v["dev"], v["peer"], v.get("vmd")) for v in d["violations"]]' \
	"[('10001:01:00.0', '0000:00:0f.0', '0000:00:0f.0')]" "vmd: the second VMD is the peer"
expect 0 "domains 0001 and 10001: the GPU in 0001 alone is isolated" check --sysfs "$VMDT" --assign 0001:01:00.0=1
expect 0 "domains 0001 and 10001: 0001:01:00.0 and 10001:01:00.0 to two tenants, no collision" \
	-j check --sysfs "$VMDT" --assign 0001:01:00.0=1 --assign 00:0f.0=2 --assign 10001:01:00.0=2
json_is '[(t["tenant"], t["devs"]) for t in d["tenants"]]' \
	"[(1, ['0001:01:00.0']), (2, ['0000:00:0f.0', '10001:01:00.0'])]" "domains 0001 and 10001: two devices, whole domains"
expect 1 "domains 0001 and 10001: the units" -j check --sysfs "$VMDT"
json_is '[u for u in d["units"] if any(x[:5] in ("0001:", "10000", "10001") for x in u)]' \
	"[['0000:00:0e.0', '10000:01:00.0'], ['0000:00:0f.0', '10001:01:00.0'], ['0001:01:00.0']]" \
	"vmd: units: each VMD with its NVMe, the GPU in 0001 on its own"
# --- hand-over resets: check without assignments lists the devices that
# could not be reset between tenants (informational: never isolated, never
# the exit code)
tree healthy
run check --sysfs "$T/tree"
case $out in *"hand-over"*) not_ok "reset: healthy: every device is alone below its port (bus)"; indent <"$T/out" ;;
	*) ok "reset: healthy: every device is alone below its port (bus)" ;; esac
run -j check --sysfs "$T/tree"
json_is '[(r["dev"], r["methods"], r["method"], r["handover"], r["why"], r["peer"]) for r in d["reset"]]' \
	"[('0000:01:00.0', [], 'bus', True, None, None), ('0000:02:00.0', [], 'bus', True, None, None), ('0000:05:00.0', [], 'bus', True, None, None), ('0000:06:00.0', [], 'bus', True, None, None)]" \
	"reset: healthy: -j lists every device, methods empty, bus"
tree reset
expect 1 "reset: check runs (exit as for isolation)" check --sysfs "$T/tree"
printf '%s\n' "$out" >"$T/reset.txt"
cat >"$T/reset.want" <<'WANT'
no hand-over reset: 0000:00:05.0 (no reset method, on a root bus)
no hand-over reset: 0000:01:00.1 (only a bus reset, shared with 0000:01:00.0)
no hand-over reset: 0000:06:00.0 (only a bus reset, shared with 0000:06:00.1)
no hand-over reset: 0000:06:00.1 (only a bus reset, shared with 0000:06:00.0)
WANT
if grep 'hand-over' "$T/reset.txt" | diff "$T/reset.want" - >"$T/reset.diff"; then
	ok "reset: text lists exactly the devices without a hand-over reset, with why"
else
	not_ok "reset: text lists exactly the devices without a hand-over reset, with why"; indent <"$T/reset.diff"
fi
# the section: after the units, not-assignable and fix-first lines, before the summary
order=$(sed -E 's/^(unit|not assignable|fix first|no hand-over reset|[0-9]+ devices?:).*/\1/' "$T/reset.txt" | uniq | tr '\n' '|')
[ "$order" = "unit|not assignable|fix first|no hand-over reset|7 devices:|" ] &&
	ok "reset: the section comes after the isolation units, before the summary" ||
	{ not_ok "reset: the section comes after the isolation units, before the summary ($order)"; indent <"$T/reset.txt"; }
expect 1 "reset: -j" -j check --sysfs "$T/tree"
json_is 'list(d)' "['units', 'not_assignable', 'fix', 'isolated', 'reset']" "reset: -j keeps the keys, adds reset"
json_is '[(r["dev"], r["methods"], r["method"], r["handover"], r["why"], r["peer"]) for r in d["reset"]]' \
	"[('0000:00:05.0', [], None, False, 'no-method', None), ('0000:01:00.0', ['flr'], 'flr', True, None, None), ('0000:01:00.1', [], None, False, 'bus-shared', '0000:01:00.0'), ('0000:02:00.0', [], 'bus', True, None, None), ('0000:05:00.0', ['device-specific', 'af-flr'], 'device-specific', True, None, None), ('0000:06:00.0', [], None, False, 'bus-shared', '0000:06:00.1'), ('0000:06:00.1', [], None, False, 'bus-shared', '0000:06:00.0')]" \
	"reset: -j: flr; empty file below a bridge: bus; root bus: no-method; shared bus: bus-shared with the first other function; sysfs names as in the spec"
with=$out
find "$T/tree/devices" -name reset_method -delete
run -j check --sysfs "$T/tree"
[ "$rc" = 1 ] && [ "$(printf '%s' "$with" | python3 -c 'import json,sys; d=json.load(sys.stdin); d.pop("reset"); print(d)')" = \
	"$(json 'd.pop("reset") and d')" ] &&
	ok "reset: methods change neither the units, isolated nor the exit code" ||
	not_ok "reset: methods change neither the units, isolated nor the exit code"
json_is '[r["dev"] for r in d["reset"] if r["method"] == "bus"]' "['0000:02:00.0', '0000:05:00.0']" \
	"reset: without reset_method files, the devices alone below a bridge: bus"
tree reset
expect 1 "reset: --assign output has no reset list" -j check --sysfs "$T/tree" --assign 01:00.1=1
json_is 'list(d)' "['isolated', 'tenants', 'violations']" "reset: --assign keeps its keys (and lists the tenants)"
rm "$T/tree/devices/pci0000:00/0000:00:01.0/0000:01:00.0/reset_method"
mkdir "$T/tree/devices/pci0000:00/0000:00:01.0/0000:01:00.0/reset_method"
expect 1 "reset: an unreadable reset_method is not an error" check --sysfs "$T/tree"
has "reset: an unreadable reset_method is a warning naming it" \
	"warning: $T/tree/devices/pci0000:00/0000:00:01.0/0000:01:00.0/reset_method: Is a directory: taken as no reset method" "$err"
has "reset: ... and the device counts as without a method" \
	"no hand-over reset: 0000:01:00.0 (only a bus reset, shared with 0000:01:00.1)" "$out"

# --- fixtures from real kernels (tests/ctl/make-fixtures)
# fixture_units FX UNITS DESC: `check -j` on fixture FX finds violations
# (exit 1) and groups its devices into UNITS
fixture_units() {
	expect 1 "${1##*/}: units" -j check --sysfs "$1"
	json_is 'sorted(sorted(u) for u in d["units"])' "$2" "${1##*/}: $3"
}
for fx in "$FIX"/mixed-*; do
	[ -d "$fx" ] || continue
	k=${fx##*/}
	fixture_units "$fx" \
	  "[['0000:01:00.0'], ['0000:02:00.0'], ['0000:05:00.0', '0000:06:00.0'], ['0000:08:00.0', '0000:08:00.1'], ['0000:0a:01.0', '0000:0a:02.0']]" \
	  "units are the root-port devices, the switch pair, the multifunction pair, the conventional pair"
	json_is 'sorted(x["dev"] for x in d["not_assignable"])' \
	  "['0000:00:1f.0', '0000:00:1f.2', '0000:00:1f.3', '0000:07:00.0']" \
	  "$k: chipset functions and the disable-acs port's device are not assignable"
	json_is '[(r["dev"], r["why"], r["peer"]) for r in d["reset"] if not r["handover"]]' \
	  "[('0000:00:1f.0', 'no-method', None), ('0000:00:1f.2', 'no-method', None), ('0000:00:1f.3', 'no-method', None), ('0000:08:00.0', 'bus-shared', '0000:08:00.1'), ('0000:08:00.1', 'bus-shared', '0000:08:00.0'), ('0000:0a:01.0', 'bus-shared', '0000:0a:02.0'), ('0000:0a:02.0', 'bus-shared', '0000:0a:01.0')]" \
	  "$k: no reset_method files: chipset functions no-method, multifunction and conventional-bus devices bus-shared"
	expect 0 "$k: devices on ACS root ports, distinct tenants: isolated" check --sysfs "$fx" \
		--assign 01:00.0=1 --assign 02:00.0=2
	expect 0 "$k: same tenant twice behind the ACS-less switch: isolated" check --sysfs "$fx" \
		--assign 05:00.0=3 --assign 06:00.0=3
	expect 1 "$k: two tenants behind the ACS-less switch" -j check --sysfs "$fx" \
		--assign 05:00.0=1 --assign 06:00.0=2
	json_is 'sorted((v["kind"], v["dev"], v["at"], v["peer"], " ".join(v["missing"])) for v in d["violations"] if v["kind"] == "acs-missing")' \
	  "[('acs-missing', '0000:05:00.0', '0000:04:00.0', '0000:06:00.0', 'SV RR CR UF'), ('acs-missing', '0000:06:00.0', '0000:04:01.0', '0000:05:00.0', 'SV RR CR UF')]" \
	  "$k: acs-missing at each downstream port"
	expect 1 "$k: disable-acs root port" -j check --sysfs "$fx" --assign 07:00.0=1
	json_is '[(v["kind"], v["at"]) for v in d["violations"]][:1]' "[('acs-missing', '0000:00:05.0')]" \
		"$k: acs-missing at the disable-acs root port"
	expect 1 "$k: conventional bridge with two owners" -j check --sysfs "$fx" --assign 0a:01.0=1
	json_is 'sorted(set(v["kind"] for v in d["violations"]))' "['conventional-bridge', 'shared-iommu-group']" \
		"$k: conventional-bridge and shared-iommu-group"
	expect 1 "$k: multifunction functions to two tenants" -j check --sysfs "$fx" \
		--assign 08:00.0=1 --assign 08:00.1=2
	json_is '"multifunction-no-acs" in [v["kind"] for v in d["violations"]]' True "$k: multifunction-no-acs"
	printf '# tenants\n0000:01:00.0 1\n0000:02:00.0 2\n' >"$T/owners.conf"
	expect 0 "$k: --config with two ACS root-port devices" check --sysfs "$fx" --config "$T/owners.conf"
	expect 2 "$k: --assign on a root port" check --sysfs "$fx" --assign 00:02.0=1
done
for fx in "$FIX"/switch-*; do
	[ -d "$fx" ] || continue
	k=${fx##*/}
	fixture_units "$fx" "[['0000:03:00.0', '0000:04:00.0', '0000:05:00.0'], ['0000:06:00.0']]" \
		"the three devices behind the ACS-less switch are one unit"
	expect 1 "$k: two tenants behind the switch" check --sysfs "$fx" --assign 03:00.0=1 --assign 04:00.0=2
	expect 0 "$k: the switch unit vs the root-port device" check --sysfs "$fx" \
		--assign 03:00.0=1 --assign 04:00.0=1 --assign 05:00.0=1 --assign 06:00.0=2
	expect 1 "$k: a host device behind the switch is protected" check --sysfs "$fx" \
		--assign 03:00.0=1 --assign 06:00.0=2
done

# --- lspci dumps: check --lspci FILE [--groups FILE] reads what a customer
# sends (lspci -xxxx, the IOMMU groups) into the model the sysfs reader
# builds. The main test: on every snapshot fixture, check on the real
# lspci's dump of it gives what check gives on the snapshot itself.
. "$here/lspci-lib.sh"
LFIX=$FIX/lspci
have_lspci=
command -v lspci >/dev/null && have_lspci=1
usage_err "check --sysfs and --lspci" check --sysfs "$FIX/mixed-6.12" --lspci "$LFIX/mixed-6.12.xxxx"
has "check --sysfs and --lspci: exclude each other" "exclude each other" "$err"
usage_err "check --lspci and --sysfs (either order)" check --lspci "$LFIX/mixed-6.12.xxxx" --sysfs=/sys
usage_err "check --groups without --lspci" check --groups "$LFIX/mixed-6.12.groups"
has "check --groups without --lspci: says so" "--groups goes with --lspci" "$err"
usage_err "check --groups with --sysfs" check --sysfs "$FIX/mixed-6.12" --groups "$LFIX/mixed-6.12.groups"
usage_err "check --lspci without value" check --lspci
usage_err "check --lspci empty" check --lspci ""
usage_err "check --groups empty" check --lspci "$LFIX/mixed-6.12.xxxx" --groups=
usage_err "check --lspci twice" check --lspci "$LFIX/mixed-6.12.xxxx" --lspci "$LFIX/switch-6.12.xxxx"
usage_err "check --groups twice" check --lspci "$LFIX/mixed-6.12.xxxx" --groups a --groups b
usage_err "check --lspci - --groups -" check --lspci - --groups -
expect 2 "check --lspci of a missing FILE" check --lspci "$T/none"
has "check --lspci of a missing FILE names it" "$T/none: No such file" "$err"
expect 2 "check --groups of a missing FILE" check --lspci "$LFIX/mixed-6.12.xxxx" --groups "$T/none"
has "check --groups of a missing FILE names it" "$T/none: No such file" "$err"
expect 2 "check --lspci of a directory" check --lspci "$T"

# the committed dumps are what the real lspci makes of the snapshots
if [ -n "$have_lspci" ]; then
	for f in "$LFIX"/*-6.*.xxxx; do
		s=${f##*/}; s=${s%.xxxx}
		lspci_of "$FIX/$s" -xxxx >"$T/l.xxxx"; lspci_of "$FIX/$s" -xxx >"$T/l.xxx"; groups_of "$FIX/$s" >"$T/l.groups"
		cmp -s "$T/l.xxxx" "$f" && cmp -s "$T/l.xxx" "$LFIX/$s.xxx" && cmp -s "$T/l.groups" "$LFIX/$s.groups" &&
			ok "lspci: fixtures/lspci/$s.* are lspci's dump of fixtures/$s (tests/ctl/make-lspci-fixtures)" ||
			not_ok "lspci: fixtures/lspci/$s.* are lspci's dump of fixtures/$s (rerun tests/ctl/make-lspci-fixtures)"
	done
else
	skip "lspci: fixtures/lspci are lspci's dumps of the snapshots" "no lspci (apt-get install pciutils)"
fi

# same DESC ARGS...: check ARGS on the snapshot ($snap) and on its dump
# ($dump, $groups) print the same and exit the same; the dump's run says
# nothing on stderr but, without assignments, that reset methods are unknown
same() {
	local desc=$1 a arc ae
	shift
	run "$@" --sysfs "$snap"; a=$out; arc=$rc; ae=$err
	run "$@" --lspci "$dump" --groups "$groups"
	local want_err=
	case " $* " in *" --assign "*) ;; *) want_err="$PROG_NAME: warning: $dump: lspci does not show the kernel's reset methods: every device taken as without one (a bus reset where it is alone below a bridge)" ;; esac
	if [ "$a" = "$out" ] && [ "$arc" = "$rc" ] && [ "$rc" != 2 ] && [ -z "$ae" ] && [ "$err" = "$want_err" ]; then
		ok "lspci == sysfs: $desc (exit $rc)"
	else
		not_ok "lspci == sysfs: $desc (exit $arc / $rc)"
		{ diff <(echo "$a") <(echo "$out"); echo "$ae"; echo "$err"; } | head -20 | indent
	fi
}
PROG_NAME=p2pfencectl
for snap in "$FIX"/*-6.*; do
	[ -d "$snap/bus/pci/devices" ] || continue
	k=${snap##*/}
	dump=$LFIX/$k.xxxx groups=$LFIX/$k.groups
	if [ ! -f "$dump" ]; then
		if [ -z "$have_lspci" ]; then skip "lspci == sysfs: $k" "no lspci, no committed dump"; continue; fi
		lspci_of "$snap" -xxxx >"$T/$k.xxxx"; lspci_of "$snap" -xxx >"$T/$k.xxx"; groups_of "$snap" >"$T/$k.groups"
		dump=$T/$k.xxxx groups=$T/$k.groups
	fi
	xxx=${dump%.xxxx}.xxx
	case $k in
	mixed-*) sets=("--assign 01:00.0=1 --assign 02:00.0=2" "--assign 05:00.0=1 --assign 06:00.0=2"
		"--assign 05:00.0=3 --assign 06:00.0=3" "--assign 07:00.0=1" "--assign 0a:01.0=1"
		"--assign 08:00.0=1 --assign 08:00.1=2" "--assign 00:1f.2=4") ;;
	switch-*) sets=("--assign 03:00.0=1 --assign 04:00.0=2" "--assign 03:00.0=1 --assign 06:00.0=2"
		"--assign 03:00.0=1 --assign 04:00.0=1 --assign 05:00.0=1 --assign 06:00.0=2") ;;
	*) sets=() ;;
	esac
	# and three random ones over every device (seeded by the fixture's name)
	run -j check --sysfs "$snap"
	while IFS= read -r l; do sets+=("$l"); done < <(printf '%s' "$out" | python3 -c '
import json, random, sys
d = json.load(sys.stdin)
devs = sorted(r["dev"] for r in d["reset"])
rnd = random.Random(sys.argv[1])
for _ in range(3):
    pick = rnd.sample(devs, rnd.randint(1, min(4, len(devs))))
    print(" ".join("--assign %s=%d" % (x, rnd.randint(1, 3)) for x in sorted(pick)))' "$k")
	same "$k: -j check (the units)" -j check
	same "$k: check (the units, text)" check
	for s in "${sets[@]}"; do
		# shellcheck disable=SC2086 # words on purpose
		same "$k: -j check $s" -j check $s
	done
	# shellcheck disable=SC2086
	same "$k: check ${sets[0]} (text)" check ${sets[0]}
	# -xxx: 256 bytes, ACS not seen: never isolated, and said so per port
	if [ -f "$xxx" ]; then
		for s in "" "${sets[@]}"; do
			# shellcheck disable=SC2086
			run -j check --lspci "$xxx" --groups "$groups" $s
			[ "$rc" = 1 ] && [ "$(json 'd["isolated"]')" = False ] ||
				{ not_ok "lspci -xxx: $k: not isolated: check $s (exit $rc)"; continue; }
			[ -n "$s" ] || [ "$(json 'd["units"]')" = "[]" ] ||
				{ not_ok "lspci -xxx: $k: no unit can go to a tenant"; indent <"$T/out"; continue; }
		done
		ok "lspci -xxx: $k: nothing is isolated, with or without assignments (${#sets[@]} sets)"
		has "lspci -xxx: $k: the root port's note" \
			"$xxx:19: 0000:00:02.0: only 256 bytes of config space dumped (lspci -xxx); ACS cannot be seen: run lspci -xxxx as root" "$err"
	fi
done

# the -xxx dump of the mixed machine: a device alone on an ACS root port
dump=$LFIX/mixed-6.12.xxxx groups=$LFIX/mixed-6.12.groups xxx=$LFIX/mixed-6.12.xxx
expect 0 "lspci -xxxx: 01:00.0 alone on its ACS root port is isolated" check --lspci "$dump" --groups "$groups" --assign 01:00.0=1
expect 1 "lspci -xxx: the same is not" -j check --lspci "$xxx" --groups "$groups" --assign 01:00.0=1
json_is '[(v["kind"], v["at"], " ".join(v["missing"])) for v in d["violations"]]' "[('acs-missing', '0000:00:02.0', 'SV RR CR UF')]" \
	"lspci -xxx: acs-missing at the root port whose ACS was not seen (not acs-faked: the groups are not weighed against unseen registers)"
n=$(grep -c 'only 256 bytes of config space dumped (lspci -xxx); ACS cannot be seen: run lspci -xxxx as root' "$T/err")
[ "$n" = "$(grep -c ': 0000:' "$T/err")" ] && [ "$n" = 17 ] && ok "lspci -xxx: one note per PCIe function (17), nothing else" ||
	{ not_ok "lspci -xxx: one note per PCIe function (17), nothing else ($n)"; indent <"$T/err"; }
lacks "lspci -xxx: no note for the conventional host bridge" "0000:00:00.0" "$err"
# 64 bytes (lspci -x, or -xxx not as root): read, said, not isolated
if [ -n "$have_lspci" ]; then
	lspci_of "$FIX/mixed-6.12" -x >"$T/mixed.x"
	expect 1 "lspci -x: 64 bytes a function: read, not isolated" -j check --lspci "$T/mixed.x" --groups "$groups" --assign 01:00.0=1
	has "lspci -x: its note" "$T/mixed.x:7: 0000:00:02.0: only 64 bytes of config space dumped (lspci -x, or lspci -xxx not as root); its capabilities cannot be seen (PCI Express port type, ACS, ATS): run lspci -xxxx as root" "$err"
fi
expect 2 "lspci: assigning a device not in the dump" check --lspci "$dump" --groups "$groups" --assign 0b:00.0=1
has "lspci: names the dump" "0000:0b:00.0: no such device in $dump" "$err"
expect 2 "lspci: assigning a port" check --lspci "$dump" --groups "$groups" --assign 00:02.0=1
has "lspci: says it is a port" "a port or bridge" "$err"
# without --groups: said once, every device without an IOMMU
expect 1 "lspci without --groups: not isolated" -j check --lspci "$dump" --assign 01:00.0=1
json_is '[(v["kind"], v["dev"]) for v in d["violations"]]' "[('no-iommu', '0000:01:00.0')]" "lspci without --groups: no-iommu, as sysfs without an iommu_group link"
[ "$(grep -c 'no IOMMU groups given (check --groups FILE, the output of find /sys/kernel/iommu_groups/ -type l)' "$T/err")" = 1 ] &&
	ok "lspci without --groups: said once" || { not_ok "lspci without --groups: said once"; indent <"$T/err"; }
expect 1 "lspci without --groups, no assignments" -j check --lspci "$dump"
json_is 'd["units"], len(d["not_assignable"])' "[] 12" "lspci without --groups: every device stays with the host"
# groups without their types: the same verdicts here (no identity domain), and said so
grep -v /type: "$groups" >"$T/g.notype"
run -j check --lspci "$dump" --groups "$groups"; a=$out
run -j check --lspci "$dump" --groups "$T/g.notype"
[ "$a" = "$out" ] && ok "lspci: groups without types: the same answer here" || not_ok "lspci: groups without types: the same answer here"
has "lspci: groups without types: said so" "$T/g.notype: no IOMMU domain types (lines .../iommu_groups/N/type:TYPE): identity (passthrough) domains cannot be seen" "$err"
# an identity domain, when the listing says so
sed 's|/8/type:DMA-FQ|/8/type:identity|' "$groups" >"$T/g.ident"
expect 1 "lspci: an identity domain from the type lines" -j check --lspci "$dump" --groups "$T/g.ident" --assign 01:00.0=1
json_is '[v["kind"] for v in d["violations"]]' "['identity-domain']" "lspci: identity-domain verdict"
# the group listing in other shapes: the same answer
run -j check --lspci "$dump" --groups "$groups" --assign 05:00.0=1 --assign 06:00.0=2 --assign 0a:01.0=3; want=$out
awk -F/ '/devices/ {print $5, $7}' "$groups" >"$T/g.plain"; grep /type: "$groups" >>"$T/g.plain"
(cd "$FIX/mixed-6.12" && ls -l bus/pci/devices/*/iommu_group) >"$T/g.lsl"; grep /type: "$groups" >>"$T/g.lsl"
mkdir -p "$T/sys/kernel"
while IFS=/ read -r _ _ _ _ g _ d; do
	mkdir -p "$T/sys/kernel/iommu_groups/$g/devices" && ln -sf "../../../../devices/x/$d" "$T/sys/kernel/iommu_groups/$g/devices/$d"
done < <(grep /devices/ "$groups")
ls -l "$T"/sys/kernel/iommu_groups/*/devices >"$T/g.lsdir"
for g in g.plain g.lsl g.lsdir; do
	run -j check --lspci "$dump" --groups "$T/$g" --assign 05:00.0=1 --assign 06:00.0=2 --assign 0a:01.0=3
	[ "$out" = "$want" ] && [ "$rc" = 1 ] && ok "lspci: groups as $g: the same answer" ||
		{ not_ok "lspci: groups as $g: the same answer (exit $rc)"; indent <"$T/err"; }
done
# the dump from standard input
run_in "$dump" -j check --lspci - --groups "$groups" --assign 05:00.0=1 --assign 06:00.0=2 --assign 0a:01.0=3
[ "$out" = "$want" ] && ok "lspci: the dump from standard input (--lspci -)" || not_ok "lspci: the dump from standard input (--lspci -)"
# -D, -v text, -nn, -m: the same answer
if [ -n "$have_lspci" ]; then
	for o in "-D" "-vvv" "-nn -k" "-D -vv -nn" "-m"; do
		# shellcheck disable=SC2086
		lspci_of "$FIX/mixed-6.12" $o -xxxx >"$T/var.xxxx" 2>/dev/null
		run -j check --lspci "$T/var.xxxx" --groups "$groups" --assign 05:00.0=1 --assign 06:00.0=2 --assign 0a:01.0=3
		[ "$out" = "$want" ] && ok "lspci $o -xxxx: the same answer" ||
			{ not_ok "lspci $o -xxxx: the same answer (exit $rc)"; indent <"$T/err"; }
	done
fi

# malformed dumps: exit 2, FILE:LINE, nothing judged
# bad_dump DESC SED WANT: the mixed dump edited by SED
bad_dump() {
	sed "$2" "$dump" >"$T/bad.xxxx"
	run -j check --lspci "$T/bad.xxxx" --groups "$groups" --assign 01:00.0=1
	# WANT: LINE: MESSAGE, or *MESSAGE for any line
	local want="$T/bad.xxxx:$3" msg=
	[ "${3#\*}" = "$3" ] || { want="$T/bad.xxxx:"; msg=${3#\*}; }
	if [ "$rc" = 2 ] && [ -z "$out" ] && [[ $err == *"$want"*"$msg"* ]] && [[ $err == *"nothing checked"* ]]; then
		ok "lspci: malformed: $1: exit 2, names the line"
	else
		not_ok "lspci: malformed: $1: exit 2, names the line (exit $rc)"; { echo "want: $T/bad.xxxx:$3"; cat "$T/err"; } | indent
	fi
}
bad_dump "bad hex" '21s/^10: 00/10: 0g/' "21: bad hex byte '0g'"
bad_dump "short line" '21s/ 00$//' "21: short line: 15 bytes, 16 expected"
bad_dump "long line" '21s/$/ 00/' "21: long line: more than 16 bytes"
bad_dump "a line missing" '21d' "21: offset 20 where 10 was expected"
bad_dump "a line twice" '21p' "22: offset 10 where 20 was expected"
bad_dump "a line outside a function" '18s/^$/\n00: 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00/' "19: a hex dump line outside a function"
bad_dump "a function twice" '$r '"$LFIX/mixed-6.12.xxx" "$(($(wc -l <"$dump") + 1)): 0000:00:00.0 dumped twice (first on line 1)"
bad_dump "a shell prompt" '1i $ sudo lspci -xxxx' "1: not a line of lspci -xxxx output: '\$ sudo lspci -xxxx'"
bad_dump "a function cut short" '/^08:00.1/,/^$/ { /^400:/,/^ff0:/d }' "*: 0000:08:00.1: 1024 bytes of config space: lspci dumps 64, 128, 256 or 4096"
bad_dump "a bridge left out" '/^09:00.0/,/^$/d' "*: 0000:0a:01.0 is on bus 0a, inside the buses 09-0a of 0000:00:07.0"
# malformed group listings: exit 2, FILE:LINE
bad_groups() {
	sed "$2" "$groups" >"$T/bad.groups"
	run -j check --lspci "$dump" --groups "$T/bad.groups" --assign 01:00.0=1
	if [ "$rc" = 2 ] && [ -z "$out" ] && [[ $err == *"$T/bad.groups:$3"* ]]; then
		ok "lspci: malformed --groups: $1: exit 2, names the line"
	else
		not_ok "lspci: malformed --groups: $1: exit 2, names the line (exit $rc)"; { echo "want: $T/bad.groups:$3"; cat "$T/err"; } | indent
	fi
}
bad_groups "a bad group number" '2s|/1/|/x/|' "2: 'x': not an IOMMU group number"
bad_groups "a bad device" '2s|0000:00:02.0|0000:00:02|' "2: invalid device"
bad_groups "a device twice" '3s|0000:00:03.0|0000:00:02.0|' "3: 0000:00:02.0 listed twice (first on line 2)"
bad_groups "a device not dumped" '2s|0000:00:02.0|0000:00:09.0|' "2: 0000:00:09.0 is in IOMMU group 1 but not in $dump"
bad_groups "an unknown domain type" 's|/3/type:DMA-FQ|/3/type:auto|' "27: unknown IOMMU domain type 'auto'"
bad_groups "garbage" '1i hello world' "1: not an IOMMU group line: 'hello world'"

# pciutils' own test dumps: read (no groups: nothing isolated), and the
# hierarchy is the one lspci draws from the same dump (lspci -F -PP)
for f in "$LFIX"/tree-* "$LFIX"/PCI-X-bridges-and-domains "$LFIX"/*.xxxx "$LFIX"/*.xxx; do
	b=${f##*/}
	expect 1 "lspci: $b reads (no groups: not isolated)" check --lspci "$f"
	lacks "lspci: $b: no error" "p2pfencectl: $f" "$(grep -v 'warning:' "$T/err")"
	if [ -n "$have_lspci" ]; then
		"$build/unit" --lspci-tree "$f" 2>/dev/null >"$T/ours"
		lspci -F "$f" -D -PP | awk '{ n = split($1, p, "/"); d = substr(p[1], 1, index(p[1], ":"));
			print (n > 1 ? d p[n] : p[1]), (n > 1 ? (n > 2 ? d p[n - 1] : p[1]) : "-") }' | sort >"$T/theirs"
		diff "$T/theirs" "$T/ours" >"$T/tdiff" && [ -s "$T/ours" ] &&
			ok "lspci: $b: every function's parent is the one lspci -PP shows" ||
			{ not_ok "lspci: $b: every function's parent is the one lspci -PP shows"; indent <"$T/tdiff"; }
	fi
done
# -vv text from lspci -F, and -D: the same answer as the bare dump
if [ -n "$have_lspci" ]; then
	lspci -F "$LFIX/tree-fujitsu-p8010" -x >"$T/fj.x"
	expect 1 "lspci -x of pciutils/tree-fujitsu-p8010 (a CardBus bridge: 128 bytes) reads" check --lspci "$T/fj.x"
	has "lspci -x: the CardBus bridge's note" "0000:1c:03.0: only 128 bytes of config space dumped" "$err"
	for f in "$LFIX"/tree-fujitsu-p8010 "$LFIX"/PCI-X-bridges-and-domains; do
		run -j check --lspci "$f"; a=$out
		lspci -F "$f" -D -vv -xxxx >"$T/v.dump" 2>/dev/null
		run -j check --lspci "$T/v.dump"
		[ "$a" = "$out" ] && ok "lspci: ${f##*/} through lspci -F -D -vv -xxxx: the same answer" ||
			{ not_ok "lspci: ${f##*/} through lspci -F -D -vv -xxxx: the same answer"; indent <"$T/err"; }
	done
fi

# the reader's fuzzer, a fixed number of runs over its corpus
if [ -x "$build/lspci-fuzz" ]; then
	rm -rf "$T/lfz"; mkdir -p "$T/lfz"
	if "$build/lspci-fuzz" -runs=20000 -seed=1 -close_fd_mask=2 "$T/lfz" "$here/corpus-lspci" >"$T/lf.out" 2>&1; then
		ok "lspci reader fuzzed ($(grep -o 'Done [0-9]* runs' "$T/lf.out"))"
	else
		not_ok "lspci reader fuzzed"; grep -A30 -E 'ERROR|runtime error|deadly' "$T/lf.out" | indent
	fi
fi

# --- the VMD tree (mktree.py vmd, above) as an lspci dump
# the dump: committed (tests/ctl/make-lspci-fixtures), and lspci's dump of the tree
VFIX=$FIX/lspci/vmd-tree
if [ -n "$have_lspci" ]; then
	lspci_of "$VMDT" -xxxx >"$T/vmd.xxxx"; groups_of "$VMDT" >"$T/vmd.groups"
	cmp -s "$T/vmd.xxxx" "$VFIX.xxxx" && cmp -s "$T/vmd.groups" "$VFIX.groups" &&
		ok "vmd: fixtures/lspci/vmd-tree.* are lspci's dump of mktree.py vmd" ||
		not_ok "vmd: fixtures/lspci/vmd-tree.* are lspci's dump of mktree.py vmd (rerun tests/ctl/make-lspci-fixtures)"
else
	skip "vmd: fixtures/lspci/vmd-tree.* are lspci's dump of mktree.py vmd" "no lspci (apt-get install pciutils)"
fi
osnap=$snap odump=$dump ogroups=$groups
snap=$VMDT dump=$VFIX.xxxx groups=$VFIX.groups PROG_NAME=p2pfencectl
for s in "" "--assign 10000:01:00.0=1" "--assign 00:0e.0=1" "--assign 00:0e.0=1 --assign 10000:01:00.0=1" \
	"--assign 00:0e.0=1 --assign 10000:01:00.0=2" "--assign 10001:01:00.0=2" \
	"--assign 0001:01:00.0=1 --assign 00:0f.0=2 --assign 10001:01:00.0=2" \
	"--assign 0001:01:00.0=1 --assign 10001:01:00.0=1"; do
	# shellcheck disable=SC2086 # words on purpose
	same "vmd-tree: -j check $s" -j check $s
done
same "vmd-tree: check --assign 10000:01:00.0=1 (text)" check --assign 10000:01:00.0=1
snap=$osnap dump=$odump groups=$ogroups
# one VMD endpoint missing from a dump (on vfio-pci, say): which VMD hosts
# which domain cannot be told, and a wrong pairing could call a split
# isolated: refused, nothing judged
grep -v '^/sys/kernel/iommu_groups/30/' "$VFIX.groups" >"$T/vmd-noep.groups"
awk 'BEGIN { RS = ""; ORS = "\n\n" } !/^0000:00:0f\.0 /' "$VFIX.xxxx" >"$T/vmd-noep.xxxx"
expect 2 "vmd: dump without the second VMD endpoint: 2 domains, 1 VMD: refused (exit 2)" \
	check --lspci "$T/vmd-noep.xxxx" --groups "$T/vmd-noep.groups" --assign 10001:01:00.0=1
has "vmd: ... and why" "1 VMD endpoint but 2 PCI domains above ffff: which VMD hosts which domain cannot be told from a dump" "$err"
# no VMD endpoint at all: the wide domains are segments of their own, said so
awk 'BEGIN { RS = ""; ORS = "\n\n" } !/^0000:00:0[ef]\.0 /' "$VFIX.xxxx" >"$T/vmd-none.xxxx"
grep -v '/0000:00:0[ef]\.0$' "$VFIX.groups" >"$T/vmd-none.groups"
run check --lspci "$T/vmd-none.xxxx" --groups "$T/vmd-none.groups" --assign 10001:01:00.0=1
has "vmd: no VMD endpoint: a segment of its own, said so" "10001:01:00.0: PCI domain 10001 has no VMD endpoint in the dump: taken as a segment of its own" "$err"

# --- the boot-time ACS policy: pci=disable_acs_redir= and pci=config_acs=
# (ctl/bootacs.c; the kernel's parser itself is unit-tested in unit.c)
usage_err "check --cmdline without value" check --sysfs "$FIX/mixed-6.12" --cmdline
usage_err "check --cmdline empty" check --sysfs "$FIX/mixed-6.12" --cmdline=
usage_err "check --cmdline twice" check --sysfs "$FIX/mixed-6.12" --cmdline a --cmdline b
usage_err "check --cmdline - with --lspci -" check --lspci - --cmdline -
usage_err "check --emit-config-acs without an assignment" check --sysfs "$FIX/mixed-6.12" --emit-config-acs
has "check --emit-config-acs without an assignment: says what it needs" "needs the assignment (--assign, --config)" "$err"
usage_err "check --emit-config-acs=VALUE" check --sysfs "$FIX/mixed-6.12" --assign 01:00.0=1 --emit-config-acs=1
expect 2 "check --cmdline of a missing FILE" check --sysfs "$FIX/mixed-6.12" --cmdline "$T/none" --assign 01:00.0=1
has "check --cmdline of a missing FILE names it" "$T/none: No such file" "$err"

# the mixed machine as booted with pci=disable_acs_redir=0000:00:03.0: its
# root port's RR and CR clear (as 6.1 leaves them), the rest as it was
BR=$T/boot-redir
cp -a "$FIX/mixed-6.12" "$BR"
python3 - "$BR/devices/pci0000:00/0000:00:03.0/config" <<'PY'
import struct, sys
b = bytearray(open(sys.argv[1], 'rb').read())
pos = 0x100
while pos:                                  # the ACS capability's control register
    h = struct.unpack_from('<I', b, pos)[0]
    if h & 0xffff == 0x0d:
        struct.pack_into('<H', b, pos + 6, struct.unpack_from('<H', b, pos + 6)[0] & ~0x0c)
    pos = h >> 20
open(sys.argv[1], 'wb').write(b)
PY
printf 'BOOT_IMAGE=/vmlinuz-6.12 root=/dev/sda1 ro pci=noaer,disable_acs_redir=0000:00:03.0 quiet\n' >"$T/cl-redir"
printf 'BOOT_IMAGE=/vmlinuz-6.12 root=/dev/sda1 ro pci=disable_acs_redir=0000:00:02.0;0000:00:05.0\n' >"$T/cl-other"
NOTE="(relaxed at boot by disable_acs_redir=0000:00:03.0)"
expect 1 "boot: check --cmdline, a relaxed root port the fence needs" check --sysfs "$BR" --cmdline "$T/cl-redir" \
	--assign 01:00.0=1 --assign 02:00.0=2
has "boot: the verdict at the relaxed port names the option (text)" \
	"0000:02:00.0: acs-disabled at 0000:00:03.0 (peer 0000:01:00.0) missing RR CR (fixable by the module) $NOTE" "$out"
[ -z "$err" ] && ok "boot: a well-formed policy says nothing on stderr" || { not_ok "boot: a well-formed policy says nothing on stderr"; indent <"$T/err"; }
expect 1 "boot: check -j --cmdline, with a verdict at a port it does not touch" -j check --sysfs "$BR" \
	--cmdline "$T/cl-redir" --assign 01:00.0=1 --assign 02:00.0=2 --assign 07:00.0=3
json_is '[(v["kind"], v["at"], v["boot_policy"]) for v in d["violations"] if v["kind"] in ("acs-disabled", "acs-missing")][:2]' \
	"[('acs-disabled', '0000:00:03.0', 'disable_acs_redir=0000:00:03.0'), ('acs-missing', '0000:00:05.0', None)]" \
	"boot: -j: boot_policy on the relaxed port's verdict, null at the port it does not touch"
json_is 'all("boot_policy" in v for v in d["violations"])' True "boot: -j: every verdict has boot_policy"
expect 1 "boot: check units with the policy" -j check --sysfs "$BR" --cmdline "$T/cl-redir"
json_is '[(f["at"], f["missing"], f["boot_policy"]) for f in d["fix"]]' \
	"[('0000:00:03.0', ['RR', 'CR'], 'disable_acs_redir=0000:00:03.0')]" "boot: -j: the port to fix first names the option"
run check --sysfs "$BR" --cmdline "$T/cl-redir"
has "boot: the port to fix first names the option (text)" \
	"fix first: 0000:00:03.0: set RR CR (acs-disabled: fixable by the module at assign time) $NOTE" "$out"
run check --sysfs "$BR" --cmdline "$T/cl-other" --assign 01:00.0=1 --assign 02:00.0=2 --assign 07:00.0=3
lacks "boot: options naming other ports: no note" "relaxed at boot" "$out"
run check --sysfs "$BR" --assign 01:00.0=1 --assign 02:00.0=2
lacks "boot: a snapshot without proc/cmdline and no --cmdline: no note" "relaxed at boot" "$out"
# the snapshot's own command line, and --cmdline over it
mkdir -p "$BR/proc/sys/kernel" && cp "$T/cl-redir" "$BR/proc/cmdline"
run check --sysfs "$BR" --assign 01:00.0=1 --assign 02:00.0=2
has "boot: ROOT/proc/cmdline is the snapshot's policy" "$NOTE" "$out"
run check --sysfs "$BR" --cmdline "$T/cl-other" --assign 01:00.0=1 --assign 02:00.0=2
lacks "boot: --cmdline wins over ROOT/proc/cmdline" "relaxed at boot" "$out"
run -j check --lspci "$LFIX/mixed-6.12.xxxx" --groups "$LFIX/mixed-6.12.groups" --assign 01:00.0=1 --assign 02:00.0=2
json_is '[v["boot_policy"] for v in d["violations"]]' "[]" "boot: a dump has no command line of its own"
# config_acs=: by the kernel's release (the snapshot's proc/sys/kernel/osrelease)
printf 'pci=config_acs=xxxx0xx@0000:00:03.0\n' >"$BR/proc/cmdline"
echo 6.12.57+deb12-amd64 >"$BR/proc/sys/kernel/osrelease"
run check --sysfs "$BR" --assign 01:00.0=1 --assign 02:00.0=2
has "boot: config_acs= on 6.12 names the entry" "(relaxed at boot by config_acs=xxxx0xx@0000:00:03.0)" "$out"
[ -z "$err" ] && ok "boot: config_acs= on a known 6.12: nothing on stderr" || { not_ok "boot: config_acs= on a known 6.12: nothing on stderr"; indent <"$T/err"; }
echo 6.1.0-56-amd64 >"$BR/proc/sys/kernel/osrelease"
run check --sysfs "$BR" --assign 01:00.0=1 --assign 02:00.0=2
lacks "boot: config_acs= on 6.1: the kernel ignores it, no note" "relaxed at boot" "$out"
has "boot: config_acs= on 6.1: said" "pci=config_acs= is ignored by this kernel (before 6.11" "$err"
rm "$BR/proc/sys/kernel/osrelease"
run check --sysfs "$BR" --assign 01:00.0=1 --assign 02:00.0=2
has "boot: config_acs=, kernel unknown: taken as in effect" "(relaxed at boot by config_acs=" "$out"
has "boot: config_acs=, kernel unknown: said" "the kernel's version is unknown" "$err"
printf 'pci=config_acs=0xxxxxx@0000:00:03.0\n' >"$BR/proc/cmdline"
run check --sysfs "$BR" --assign 01:00.0=1 --assign 02:00.0=2
lacks "boot: config_acs= clearing only DT relaxes nothing the fence needs" "relaxed at boot" "$out"
# malformed: reported naming the file and the entry; the kernel's reading kept
printf 'pci=disable_acs_redir=bogus;0000:00:03.0\n' >"$T/cl-bad"
expect 1 "boot: a malformed policy is no error (exit as for the verdicts)" check --sysfs "$BR" --cmdline "$T/cl-bad" \
	--assign 01:00.0=1 --assign 02:00.0=2
has "boot: a malformed entry is reported, naming the file" \
	"warning: $T/cl-bad: pci=disable_acs_redir= entry 1 'bogus': 'bogus' is neither" "$err"
lacks "boot: ... and, as the kernel stops at it, the entry after it counts for nothing" "relaxed at boot" "$out"
# below a switch: a path, and pci:IDs (the bridges' SSVID capability)
tree acs-switch
printf 'pci=disable_acs_redir=0000:00:03.0/00.0/01.0\n' >"$T/cl-path"
run check --sysfs "$T/tree" --cmdline "$T/cl-path" --assign 05:00.0=1 --assign 06:00.0=2
has "boot: a port below a switch, by its path" \
	"0000:06:00.0: acs-disabled at 0000:04:01.0 (peer 0000:05:00.0) missing RR CR (fixable by the module) (relaxed at boot by disable_acs_redir=0000:00:03.0/00.0/01.0)" "$out"
printf 'pci=disable_acs_redir=pci:1af4:1044:1af4:1100\n' >"$T/cl-ids"
run check --sysfs "$T/tree" --cmdline "$T/cl-ids" --assign 05:00.0=1 --assign 06:00.0=2
has "boot: a port by vendor, device and subsystem" "(relaxed at boot by disable_acs_redir=pci:1af4:1044:1af4:1100)" "$out"
printf 'pci=disable_acs_redir=pci:1af4:1044:1af4:1101\n' >"$T/cl-ids2"
run check --sysfs "$T/tree" --cmdline "$T/cl-ids2" --assign 05:00.0=1 --assign 06:00.0=2
lacks "boot: another subsystem device: no note" "relaxed at boot" "$out"

# --emit-config-acs: exactly the bits the fences of the assignment need
# emit DESC WANT ARGS...: exit 0, stdout WANT
emit() {
	local desc=$1 want=$2
	shift 2
	run "$@" --emit-config-acs
	if [ "$rc" = 0 ] && [ "$out" = "$want" ]; then ok "emit: $desc"; else
		not_ok "emit: $desc (exit $rc)"; printf '%s\n' "want: $want" "got:  $out" | indent; indent <"$T/err"
	fi
}
emit "two root-port devices, two tenants" "pci=config_acs=00111x1@0000:00:02.0;00111x1@0000:00:03.0" \
	check --sysfs "$FIX/mixed-6.12" --assign 01:00.0=1 --assign 02:00.0=2
has "emit: config_acs needs 6.11, said" "pci=config_acs= needs Linux 6.11 or later" "$err"
has "emit: the naming chosen, said" "every function named by its address: all are on a root bus" "$err"
has "emit: 'x' is the firmware's value, said" "'x' leaves a bit as the firmware set it" "$err"
[ "$(grep -c 'pci=config_acs= needs Linux 6.11' "$T/err")" = 1 ] && ok "emit: the caveats once" || not_ok "emit: the caveats once"
emit "one tenant behind the ACS-less switch: its root port" "pci=config_acs=00111x1@0000:00:04.0" \
	check --sysfs "$FIX/mixed-6.12" --assign 05:00.0=3 --assign 06:00.0=3
emit "a multifunction device to one tenant" "pci=config_acs=00111x1@0000:00:06.0" \
	check --sysfs "$FIX/mixed-6.1" --assign 08:00.0=1 --assign 08:00.1=1
emit "the switch machine" "pci=config_acs=00111x1@0000:00:02.0;00111x1@0000:00:03.0" \
	check --sysfs "$FIX/switch-6.12" --assign 03:00.0=1 --assign 04:00.0=1 --assign 05:00.0=1 --assign 06:00.0=2
printf '0000:05:00.0 vm-a\n0000:06:00.0 vm-b\n' >"$T/emit.conf"
emit "ports below a switch, by their path from the root port (--config)" \
	"pci=config_acs=00111x1@0000:00:03.0;00111x1@0000:00:03.0/00.0/00.0;00111x1@0000:00:03.0/00.0/01.0" \
	check --sysfs "$T/tree" --config "$T/emit.conf"
has "emit: the path naming, said and why" "2 functions below a bridge named by their path of DEV.FN from the root port" "$err"
emit "nothing needed: nothing printed" "" check --sysfs "$FIX/switch-6.12" --assign 03:00.0=1 --assign 04:00.0=1 \
	--assign 05:00.0=1 --assign 06:00.0=1 --assign 00:1f.0=1 --assign 00:1f.2=1 --assign 00:1f.3=1
has "emit: nothing needed, said" "no function needs ACS bits for this assignment: nothing to emit" "$err"
emit "verdicts no bit fixes: the value still, and a warning" "pci=config_acs=00111x1@0000:00:04.0" \
	check --sysfs "$FIX/mixed-6.12" --assign 05:00.0=1 --assign 06:00.0=2
has "emit: ... the warning names the first" "2 verdicts no ACS bit can fix (the first: acs-missing at 0000:04:00.0)" "$err"
run -j check --sysfs "$T/tree" --config "$T/emit.conf" --emit-config-acs
json_is '(d["config_acs"], [(f["at"], f["flags"], f["spec"]) for f in d["functions"]])' \
	"('00111x1@0000:00:03.0;00111x1@0000:00:03.0/00.0/00.0;00111x1@0000:00:03.0/00.0/01.0', [('0000:00:03.0', '00111x1', '0000:00:03.0'), ('0000:04:00.0', '00111x1', '0000:00:03.0/00.0/00.0'), ('0000:04:01.0', '00111x1', '0000:00:03.0/00.0/01.0')])" \
	"emit -j: the value and each function"
run -j check --sysfs "$FIX/switch-6.12" --assign 06:00.0=1 --assign 03:00.0=1 --assign 04:00.0=1 --assign 05:00.0=1 \
	--assign 00:1f.0=1 --assign 00:1f.2=1 --assign 00:1f.3=1 --emit-config-acs
json_is 'd' "{'config_acs': None, 'functions': []}" "emit -j: nothing needed: null, []"
# what it emits, booted with, relaxes nothing the fence needs; one already there is to be merged
run check --sysfs "$T/tree" --config "$T/emit.conf" --emit-config-acs
printf '%s\n' "$out" >"$T/cl-emitted"
run check --sysfs "$T/tree" --config "$T/emit.conf" --cmdline "$T/cl-emitted"
lacks "emit: the emitted value relaxes nothing the fence needs" "relaxed at boot" "$out"
has "emit: ... and the kernel reads it without a complaint (but the unknown release)" "the kernel's version is unknown" "$err"
[ "$(wc -l <"$T/err")" = 1 ] && ok "emit: ... nothing else said" || { not_ok "emit: ... nothing else said"; indent <"$T/err"; }
run check --sysfs "$T/tree" --config "$T/emit.conf" --cmdline "$T/cl-emitted" --emit-config-acs
has "emit: a config_acs= already on the command line: merge" "has pci=config_acs=00111x1@0000:00:03.0;" "$err"
has "emit: ... the kernel keeps the last" "the kernel keeps only the last config_acs=: merge the two" "$err"

# snapshot keeps the command line (and the release) for check
rm -rf "$T/bsnap"
printf 'quiet pci=disable_acs_redir=0000:00:03.0\n' >"$BR/proc/cmdline"
echo 6.12.57+deb12-amd64 >"$BR/proc/sys/kernel/osrelease"
expect 0 "boot: snapshot of a tree with proc/cmdline" snapshot --sysfs "$BR" "$T/bsnap"
cmp -s "$BR/proc/cmdline" "$T/bsnap/proc/cmdline" && cmp -s "$BR/proc/sys/kernel/osrelease" "$T/bsnap/proc/sys/kernel/osrelease" &&
	ok "boot: snapshot copies proc/cmdline and proc/sys/kernel/osrelease" ||
	not_ok "boot: snapshot copies proc/cmdline and proc/sys/kernel/osrelease"
run check --sysfs "$T/bsnap" --assign 01:00.0=1 --assign 02:00.0=2
has "boot: check on the snapshot names the option" "$NOTE" "$out"
if [ -r /proc/cmdline ] && [ -d /sys/bus/pci/devices ]; then
	rm -rf "$T/lsnap"
	run snapshot "$T/lsnap"
	cmp -s /proc/cmdline "$T/lsnap/proc/cmdline" && ok "boot: snapshot of /sys keeps /proc/cmdline" ||
		not_ok "boot: snapshot of /sys keeps /proc/cmdline (exit $rc)"
fi

# the command-line parser's fuzzer, a fixed number of runs over its corpus
if [ -x "$build/bootacs-fuzz" ]; then
	rm -rf "$T/bfz"; mkdir -p "$T/bfz"
	if "$build/bootacs-fuzz" -runs=50000 -seed=1 -close_fd_mask=2 "$T/bfz" "$here/corpus-bootacs" >"$T/bf.out" 2>&1; then
		ok "boot policy parser fuzzed ($(grep -o 'Done [0-9]* runs' "$T/bf.out"))"
	else
		not_ok "boot policy parser fuzzed"; grep -A30 -E 'ERROR|runtime error|deadly' "$T/bf.out" | indent
	fi
fi

# --- snapshot: a copy of a tree reads the same, and lspci decodes it
rm -rf "$T/rtree"; python3 "$here/mktree.py" "$T/rtree" reset
for src in "$FIX"/mixed-6.12 "$T/rtree" /sys; do
	[ -d "$src/bus/pci/devices" ] || continue
	rm -rf "$T/snap"
	expect 0 "snapshot of $src" snapshot --sysfs "$src" "$T/snap"
	run -j check --sysfs "$src"; a=$out; ae=$err
	run -j check --sysfs "$T/snap"; b=$out; be=$err
	[ "$a" = "$b" ] && [ "${ae//$src/}" = "${be//$T\/snap/}" ] &&
		ok "snapshot of $src: check gives the same answer" ||
		{ not_ok "snapshot of $src: check gives the same answer"; diff <(echo "$a") <(echo "$b") | indent; }
	if command -v lspci >/dev/null; then
		if lspci -A linux-sysfs -O sysfs.path="$T/snap/bus/pci" -vvv >"$T/l2" 2>/dev/null &&
		   lspci -A linux-sysfs -O sysfs.path="$src/bus/pci" -vvv >"$T/l1" 2>/dev/null &&
		   [ -s "$T/l2" ] && diff "$T/l1" "$T/l2" >"$T/ldiff"; then
			ok "snapshot of $src: lspci -vvv decodes it as the original"
		else
			not_ok "snapshot of $src: lspci -vvv decodes it as the original"; head -20 "$T/ldiff" | indent
		fi
	fi
done
rm -rf "$T/snap"
run snapshot --sysfs "$T/rtree" "$T/snap"
r=$T/snap/devices/pci0000:00
[ "$(cat "$r/0000:00:01.0/0000:01:00.0/reset_method")" = flr ] && [ -f "$r/0000:00:02.0/0000:02:00.0/reset_method" ] &&
	[ ! -s "$r/0000:00:02.0/0000:02:00.0/reset_method" ] && [ ! -e "$r/0000:00:05.0/reset_method" ] &&
	ok "snapshot copies reset_method (empty as empty, absent as absent)" ||
	not_ok "snapshot copies reset_method (empty as empty, absent as absent)"
mkdir -p "$T/full" && touch "$T/full/x"
expect 2 "snapshot refuses a non-empty DIR" snapshot "$T/full"
tree dangling-link
expect 2 "snapshot of a tree with a dangling link fails naming it" snapshot --sysfs "$T/tree" "$T/snap2"

# --- libvirt-hook: domain XML (tests/ctl/libvirt/) -> the one command the
# hook would run (--print), and the hook's exits without the module
LV=$here/libvirt
# hook FIXTURE ARGS...: sets rc, out, err; the fixture on stdin
hook() {
	local f=$1
	shift
	"$CTL" libvirt-hook "$@" <"$f" >"$T/out" 2>"$T/err"
	rc=$?
	out=$(cat "$T/out")
	err=$(cat "$T/err")
	if grep -qE 'Sanitizer|runtime error:' "$T/err"; then
		not_ok "sanitizer clean: libvirt-hook $* <${f##*/}"
		indent <"$T/err"
	fi
}
# hook_is DESC FIXTURE OP SUBOP RC STDOUT [STDERR-SUBSTRING]: --print
hook_is() {
	local desc=$1 f=$LV/$2 op=$3 sub=$4 want_rc=$5 want=$6 want_err=${7:-}
	hook "$f" --print dom "$op" "$sub" -
	local err_ok=
	if [ -n "$want_err" ]; then [[ $err == *"$want_err"* ]] && err_ok=1
	else [ -z "$err" ] && err_ok=1; fi
	if [ "$rc" = "$want_rc" ] && [ "$out" = "$want" ] && [ -n "$err_ok" ]; then
		ok "libvirt-hook: $desc"
	else
		not_ok "libvirt-hook: $desc (exit $rc, want $want_rc)"
		printf '%s\n' "\$ p2pfencectl libvirt-hook --print dom $op $sub - <${f##*/}" \
			"stdout: $out" "want:   $want" "stderr: $err" "want:   ${want_err:-(nothing)}" | indent
	fi
}
U1=3f2504e0-4f89-11d3-9a0c-0305e82c3301
hook_is "several PCI hostdevs, source addresses only, once each, tenant = uuid" \
	hostdev-pci.xml prepare begin 0 \
	"p2pfencectl dev assign 0000:41:00.0 0000:41:00.1 0000:05:1f.7 $U1"
hook_is "release end: conditional release for the same tenant" hostdev-pci.xml release end 0 \
	"p2pfencectl dev release 0000:41:00.0 0000:41:00.1 0000:05:1f.7 --tenant $U1"
hook_is "reconnect begin: assign again (re-assert), never resetting the running VM's device" \
	hostdev-pci.xml reconnect begin 0 \
	"p2pfencectl dev assign 0000:41:00.0 0000:41:00.1 0000:05:1f.7 $U1 --accept-no-reset"
hook_is "start begin: assign again (a re-check, or the hand-over prepare left to it)" \
	hostdev-pci.xml start begin 0 \
	"p2pfencectl dev assign 0000:41:00.0 0000:41:00.1 0000:05:1f.7 $U1"
hook_is "interface type=hostdev: its source address, not the guest's" \
	interface-hostdev.xml prepare begin 0 \
	"p2pfencectl dev assign 0000:3b:10.2 8c2b6f1e-95a8-4f6e-8b7e-2d3a0c1f9e10"
hook_is "metadata p2pfence:tenant wins over the uuid (trimmed)" metadata-tenant.xml prepare begin 0 \
	"p2pfencectl dev assign 0000:06:00.0 7"
hook_is "metadata tenant for release too" metadata-tenant.xml release end 0 \
	"p2pfencectl dev release 0000:06:00.0 --tenant 7"
hook_is "a <tenant> of another namespace is not ours: the uuid" other-namespace.xml prepare begin 0 \
	"p2pfencectl dev assign 0000:06:00.0 1b4e28ba-2fa1-11d2-883f-0016d3cca427"
hook_is "hostdev without mode= is subsystem; mode=capabilities is not PCI" no-mode.xml prepare begin 0 \
	"p2pfencectl dev assign 0001:02:03.4 9a1b2c3d-4e5f-4a6b-8c7d-0e1f2a3b4c5d"
hook_is "no hostdev: nothing to run" no-hostdev.xml prepare begin 0 ""
hook_is "no hostdev, release: nothing to run" no-hostdev.xml release end 0 ""
hook_is "usb and scsi hostdevs: ignored, silently" usb-hostdev.xml prepare begin 0 ""
hook_is "mdev hostdev: not assigned, said on stderr" mdev.xml prepare begin 0 \
	"p2pfencectl dev assign 0000:41:00.0 e3c9a5f4-1d2b-4c3a-9f8e-7a6b5c4d3e2f" \
	"mdev hostdev c2177883-f1bb-47f0-914d-32a22e3a8804 is not a PCI function"
hook_is "only an mdev: noted, nothing to run" mdev-only.xml prepare begin 0 "" \
	"mdev hostdev c2177883-f1bb-47f0-914d-32a22e3a8804 is not a PCI function"
hook_is "malformed XML: exit 2 with the parser's reason" malformed.xml prepare begin 2 "" \
	"malformed domain XML: line 6: Opening and ending tag mismatch: source line 5 and hostdev"
hook_is "malformed XML at release: exit 2 too" malformed.xml release end 2 "" "malformed domain XML"
hook_is "not a <domain>: exit 2" not-domain.xml prepare begin 2 "" "not a domain XML (root element <network>)"
hook_is "slot beyond 1f: exit 2" bad-address.xml prepare begin 2 "" "bad PCI address slot='0x20'"
for op in "start end" "started begin" "stopped end" "release begin" "prepare end" \
	"migrate begin" "restore begin" "attach begin" "frob x"; do
	# shellcheck disable=SC2086 # OP SUBOP
	hook_is "$op: nothing to do, exit 0, nothing printed" hostdev-pci.xml $op 0 ""
done
hook_is "other ops do not even parse the XML" malformed.xml migrate begin 0 ""
hook "$LV/hostdev-pci.xml" --print dom prepare begin - extra
[ "$rc" = 2 ] && ok "libvirt-hook: five arguments are a usage error" ||
	not_ok "libvirt-hook: five arguments are a usage error (exit $rc)"
hook "$LV/hostdev-pci.xml" --print dom prepare
[ "$rc" = 2 ] && [[ $err == *"expected DOMAIN OP SUBOP"* ]] &&
	ok "libvirt-hook: two arguments are a usage error" ||
	not_ok "libvirt-hook: two arguments are a usage error (exit $rc: $err)"
hook /dev/null --print dom prepare begin -
[ "$rc" = 0 ] && [ -z "$out$err" ] &&
	ok "libvirt-hook: empty stdin at prepare: no host device, nothing to do" ||
	not_ok "libvirt-hook: empty stdin at prepare: no host device, nothing to do (exit $rc: $err)"
# the tenant is a tenant: never an option, a device or a bad name in the command
sed 's|>$|>|; s|^      7$|      --accept-no-reset|' "$LV/metadata-tenant.xml" >"$T/inject.xml"
hook "$T/inject.xml" --print dom prepare begin -
[ "$rc" = 2 ] && [ -z "$out" ] &&
	[[ $err == *"the domain's tenant (<p2pfence:tenant> in its <metadata>): invalid tenant name '--accept-no-reset'"* ]] &&
	ok "libvirt-hook: a metadata tenant that is an option: exit 2, nothing run" ||
	not_ok "libvirt-hook: a metadata tenant that is an option: exit 2, nothing run (exit $rc: $out $err)"
sed 's|^      7$|      0000:06:00.0|' "$LV/metadata-tenant.xml" >"$T/inject2.xml"
hook "$T/inject2.xml" --print dom prepare begin -
[ "$rc" = 2 ] && [[ $err == *"is a PCI address, not a tenant"* ]] &&
	ok "libvirt-hook: a metadata tenant that is a device: exit 2" ||
	not_ok "libvirt-hook: a metadata tenant that is a device: exit 2 (exit $rc: $err)"
sed 's|<uuid>.*</uuid>|<uuid>a b"c</uuid>|' "$LV/other-namespace.xml" >"$T/odd.xml"
hook "$T/odd.xml" --print dom prepare begin -
[ "$rc" = 2 ] && [[ $err == *"the domain's tenant (its <uuid>): invalid tenant name"* ]] &&
	ok "libvirt-hook: a uuid that is no tenant name: exit 2" ||
	not_ok "libvirt-hook: a uuid that is no tenant name: exit 2 (exit $rc: $err)"
sed "s|domain='0x0000' bus='0x06'|domain='0xffffffff' bus='0x06'|" "$LV/metadata-tenant.xml" >"$T/vmd.xml"
hook "$T/vmd.xml" --print dom prepare begin -
[ "$rc" = 2 ] && [[ $err == *"PCI domain 0xffffffff: p2pfence names devices in domains 0-ffff only"* ]] &&
	ok "libvirt-hook: a domain beyond ffff: exit 2, never truncated" ||
	not_ok "libvirt-hook: a domain beyond ffff: exit 2, never truncated (exit $rc: $err)"
# without the module: a start fails closed, a release has nothing to do,
# a domain without PCI hostdevs never asks
if [ ! -d /sys/module/p2pfence ]; then
	hook "$LV/metadata-tenant.xml" dom prepare begin -
	[ "$rc" = 1 ] && [[ $err == *"module is not loaded, so nothing would fence"* ]] &&
		ok "libvirt-hook: no module: prepare begin fails closed (exit 1, says why)" ||
		not_ok "libvirt-hook: no module: prepare begin fails closed (exit $rc: $err)"
	hook "$LV/metadata-tenant.xml" dom reconnect begin -
	[ "$rc" = 1 ] && ok "libvirt-hook: no module: reconnect begin fails closed" ||
		not_ok "libvirt-hook: no module: reconnect begin fails closed (exit $rc)"
	hook "$LV/metadata-tenant.xml" dom release end -
	[ "$rc" = 0 ] && [ -z "$err$out" ] && ok "libvirt-hook: no module: release end exits 0, quietly" ||
		not_ok "libvirt-hook: no module: release end exits 0, quietly (exit $rc: $err)"
	hook "$LV/no-hostdev.xml" dom prepare begin -
	[ "$rc" = 0 ] && [ -z "$err$out" ] &&
		ok "libvirt-hook: no module: a domain without PCI hostdevs starts" ||
		not_ok "libvirt-hook: no module: a domain without PCI hostdevs starts (exit $rc: $err)"
fi

# --- man pages and completion
for m in "$top/ctl/p2pfencectl.8" "$top/ctl/p2pfence.conf.5"; do
	if command -v groff >/dev/null; then
		w=$(LC_ALL=C.UTF-8 groff -man -Tutf8 -ww -z "$m" 2>&1)
		[ -z "$w" ] && ok "man page ${m##*/} renders without warnings" ||
			{ not_ok "man page ${m##*/} renders without warnings"; echo "$w" | indent; }
	fi
done
man8=$(cat "$top/ctl/p2pfencectl.8")
for s in SYNOPSIS "EXIT STATUS" EXAMPLES FILES; do has "man page has $s" ".SH $s" "$man8"; done
for c in "dev assign" "dev release" "dev show" "tenant show" audit check apply monitor "mode set" snapshot metrics; do
	has "man page documents $c" "$c" "$man8"
done
bash -n "$top/ctl/p2pfencectl.bash-completion" && ok "bash completion parses" || not_ok "bash completion parses"
comp=$(bash -c "source '$top/ctl/p2pfencectl.bash-completion'; COMP_WORDS=(p2pfencectl mode set ''); COMP_CWORD=3; _p2pfencectl; echo \"\${COMPREPLY[*]}\"")
[ "$comp" = "enforce audit" ] && ok "bash completion: mode set" || not_ok "bash completion: mode set ($comp)"
comp=$(bash -c "source '$top/ctl/p2pfencectl.bash-completion'; COMP_WORDS=(p2pfencectl dev assign 0000:01:00.0 7 ''); COMP_CWORD=5; _p2pfencectl; echo \"\${COMPREPLY[*]}\"")
case " $comp " in *" --accept-no-reset "*) true ;; *) false ;; esac &&
	ok "bash completion: dev assign DEV TENANT --accept-no-reset" ||
	not_ok "bash completion: dev assign DEV TENANT --accept-no-reset ($comp)"
# several devices and conditional release: usage errors (offline)
for args in "dev assign 0000:01:00.0|expected DEV... TENANT" \
	"dev release|expected DEV..." \
	"dev release 0000:01:00.0 --tenant|--tenant needs a TENANT" \
	"dev release 0000:01:00.0 --tenant 0|--tenant" \
	"dev assign 0000:01:00.0 zz:00.0 5|dev assign" \
	"dev release 0000:01:00.0 --accept-no-reset|unknown option"; do
	a=${args%%|*} want=${args#*|}
	# shellcheck disable=SC2086 # words on purpose
	out=$("$CTL" $a 2>&1); rc=$?
	case "$rc:$out" in
	2:*"$want"*) ok "usage: $a" ;;
	*) not_ok "usage: $a (rc $rc: $out)" ;;
	esac
done
comp=$(bash -c "source '$top/ctl/p2pfencectl.bash-completion'; COMP_WORDS=(p2pfencectl check --l); COMP_CWORD=2; _p2pfencectl; echo \"\${COMPREPLY[*]}\"")
[ "$comp" = "--lspci" ] && ok "bash completion: check --lspci" || not_ok "bash completion: check --lspci ($comp)"
comp=$(cd "$top/ctl" && bash -c "source ./p2pfencectl.bash-completion; COMP_WORDS=(p2pfencectl check --lspci x --groups p2pfencectl.bash-c); COMP_CWORD=5; _p2pfencectl; echo \"\${COMPREPLY[*]}\"")
[ "$comp" = "p2pfencectl.bash-completion" ] && ok "bash completion: check --groups FILE" || not_ok "bash completion: check --groups FILE ($comp)"
comp=$(bash -c "source '$top/ctl/p2pfencectl.bash-completion'; COMP_WORDS=(p2pfencectl check --cm); COMP_CWORD=2; _p2pfencectl; echo \"\${COMPREPLY[*]}\"")
[ "$comp" = "--cmdline" ] && ok "bash completion: check --cmdline" || not_ok "bash completion: check --cmdline ($comp)"
comp=$(bash -c "source '$top/ctl/p2pfencectl.bash-completion'; COMP_WORDS=(p2pfencectl check --assign 01:00.0=1 --em); COMP_CWORD=4; _p2pfencectl; echo \"\${COMPREPLY[*]}\"")
[ "$comp" = "--emit-config-acs" ] && ok "bash completion: check --emit-config-acs" || not_ok "bash completion: check --emit-config-acs ($comp)"
comp=$(cd "$top/ctl" && bash -c "source ./p2pfencectl.bash-completion; COMP_WORDS=(p2pfencectl check --cmdline p2pfencectl.bash-c); COMP_CWORD=3; _p2pfencectl; echo \"\${COMPREPLY[*]}\"")
[ "$comp" = "p2pfencectl.bash-completion" ] && ok "bash completion: check --cmdline FILE" || not_ok "bash completion: check --cmdline FILE ($comp)"
comp=$(bash -c "source '$top/ctl/p2pfencectl.bash-completion'; COMP_WORDS=(p2pfencectl met); COMP_CWORD=1; _p2pfencectl; echo \"\${COMPREPLY[*]}\"")
[ "$comp" = "metrics" ] && ok "bash completion: metrics" || not_ok "bash completion: metrics ($comp)"
comp=$(bash -c "source '$top/ctl/p2pfencectl.bash-completion'; COMP_WORDS=(p2pfencectl -ba); COMP_CWORD=1; _p2pfencectl; echo \"\${COMPREPLY[*]}\"")
[ "$comp" = "-batch" ] && ok "bash completion: -batch" || not_ok "bash completion: -batch ($comp)"
comp=$(cd "$top/ctl" && bash -c "source ./p2pfencectl.bash-completion; COMP_WORDS=(p2pfencectl -batch p2pfencectl.bash-c); COMP_CWORD=2; _p2pfencectl; echo \"\${COMPREPLY[*]}\"")
[ "$comp" = "p2pfencectl.bash-completion" ] && ok "bash completion: -batch FILE" || not_ok "bash completion: -batch FILE ($comp)"
comp=$(bash -c "source '$top/ctl/p2pfencectl.bash-completion'; COMP_WORDS=(p2pfencectl -batch f -f); COMP_CWORD=3; _p2pfencectl; echo \"\${COMPREPLY[*]}\"")
[ "$comp" = "-force" ] && ok "bash completion: -batch FILE -force" || not_ok "bash completion: -batch FILE -force ($comp)"
if command -v groff >/dev/null; then
	man8w=$(LC_ALL=C groff -man -Tascii -P-cbou -rLL=2000n "$top/ctl/p2pfencectl.8" 2>/dev/null)
	for s in "--lspci FILE" "--groups FILE" "lspci -xxxx" "lspci -xxx" "find /sys/kernel/iommu_groups/ -type l" \
		"grep -H . /sys/kernel/iommu_groups/*/type"; do
		has "man page documents $s" "$s" "$man8w"
	done
fi
for s in accept-no-reset no-reset bus-shared handover-reset reset_method last_tenant unreset EAGAIN \
	-batch -force "batch line" p2pfence_module_loaded p2pfence_violations p2pfence-metrics.timer \
	promtool libvirt-hook "SH LIBVIRT" /etc/libvirt/hooks/qemu.d/p2pfence urn:p2pfence:libvirt:1 \
	"prepare begin" "release end" "reconnect begin" attach-device "systemctl restart libvirtd" \
	"SH BOOT-TIME ACS POLICY" "--cmdline" "--emit-config-acs" "pci=disable_acs_redir=" "pci=config_acs=" \
	"relaxed at boot by" boot_policy boot_overrides /proc/cmdline "DIR/proc/cmdline" \
	"quirk show" "quirk trust" untrust --trust-quirk trusted_quirk faked_why kernel_belief \
	"trusted: quirk opt-in" quirk-trust pci_acs_flags_enabled pcie_acs_override; do
	has "man page documents $s" "$s" "$(sed 's/\\-/-/g' "$top/ctl/p2pfencectl.8")"
done
has "p2pfence.conf(5) documents trust-quirk" "trust-quirk VID:DID" \
	"$(sed 's/\\-/-/g; s/\\fI\|\\fP\|\\fB//g' "$top/ctl/p2pfence.conf.5" | tr '\n' ' ' | sed 's/^.B //; s/ .I / /g; s/\.B //g; s/\.I //g')"
comp=$(bash -c "source '$top/ctl/p2pfencectl.bash-completion'; COMP_WORDS=(p2pfencectl quirk ''); COMP_CWORD=2; _p2pfencectl; echo \"\${COMPREPLY[*]}\"")
[ "$comp" = "show trust untrust help" ] && ok "bash completion: quirk" || not_ok "bash completion: quirk ($comp)"
comp=$(bash -c "source '$top/ctl/p2pfencectl.bash-completion'; COMP_WORDS=(p2pfencectl check --trust-q); COMP_CWORD=2; _p2pfencectl; echo \"\${COMPREPLY[*]}\"")
[ "$comp" = "--trust-quirk" ] && ok "bash completion: check --trust-quirk" || not_ok "bash completion: check --trust-quirk ($comp)"

# --- unprivileged: config beyond 64 bytes needs root; say so, exit 2
if [ "$(id -u)" = 0 ] && command -v setpriv >/dev/null && [ -d /sys/bus/pci/devices ]; then
	chmod 755 "$T"
	nobody() { setpriv --reuid=65534 --regid=65534 --clear-groups "$@"; }
	if nobody test -x "$CTL"; then
		nobody "$CTL" check >"$T/out" 2>"$T/err"; rc=$?
		[ $rc = 2 ] && grep -q "reading it needs root" "$T/err" &&
			ok "unprivileged check: exit 2, says it needs root" ||
			{ not_ok "unprivileged check: exit 2, says it needs root (exit $rc)"; indent <"$T/err"; }
		mkdir -p "$T/nb" && chmod 777 "$T/nb"
		nobody "$CTL" snapshot "$T/nb/snap" >"$T/out" 2>"$T/err"; rc=$?
		[ $rc = 2 ] && grep -q "snapshot needs root" "$T/err" &&
			ok "unprivileged snapshot: exit 2, says it needs root" ||
			{ not_ok "unprivileged snapshot: exit 2, says it needs root (exit $rc)"; indent <"$T/err"; }
	fi
fi

# --- the quirk opt-in (trust-quirk): Intel PCH root ports without ACS that
# the kernel trusts by quirk (mktree.py pch-quirk)
tree pch-quirk
Q="--sysfs $T/tree"
expect 1 "quirk: acs-faked at a PCH root port refuses by default" check $Q --assign 07:00.0=1
has "quirk: the message says what the kernel believed and why (no ACS: quirk or override)" \
	"0000:07:00.0: acs-faked at 0000:00:1c.0 (peer 0000:01:00.0) missing SV RR CR UF: the kernel believes it isolated: the IOMMU groups below it are split without those ACS bits, so a vendor quirk (pci_dev_specific_acs_enabled) or pcie_acs_override vouches for it" "$out"
run check $Q --assign 0a:00.0=1
has "quirk: unimplemented capability bits are named, pci_acs_flags_enabled() said to take them" \
	"0000:0a:00.0: acs-faked at 0000:00:1d.0 (peer 0000:01:00.0) missing UF: the kernel believes it isolated: its ACS capability leaves UF unimplemented, which pci_acs_flags_enabled() takes as enforced" "$out"
expect 0 "quirk: --trust-quirk 8086:1c10 waives acs-faked at 00:1c.0 (exit 0)" check $Q --assign 07:00.0=1 --trust-quirk 8086:1c10
has "quirk: the waived verdict is still reported, marked" \
	"0000:07:00.0: acs-faked at 0000:00:1c.0 (trusted: quirk opt-in 8086:1c10) (peer" "$out"
has "quirk: ... and counted as waived" "1 acs-faked verdict waived by the quirk opt-in" "$out"
run -j check $Q --assign 07:00.0=1 --trust-quirk 8086:1c10
json_is "d['isolated'], d['violations'][0]['trusted_quirk'], d['violations'][0]['faked_why']" \
	"True 8086:1c10 quirk" "quirk: JSON isolated, trusted_quirk and faked_why"
run -j check $Q --assign 0a:00.0=1
json_is "d['isolated'], d['violations'][0]['trusted_quirk'], d['violations'][0]['faked_why']" \
	"False None unimplemented" "quirk: JSON without the opt-in: not isolated, trusted_quirk null"
expect 1 "quirk: another vendor:device (8086:1c12 at 00:1c.1) is not waived" check $Q --assign 08:00.0=1 --trust-quirk 8086:1c10
lacks "quirk: ... and not marked" "trusted:" "$out"
expect 1 "quirk: acs-missing at a trusted vendor:device the kernel does not believe (00:1c.2) refuses" \
	check $Q --assign 09:00.0=1 --trust-quirk 8086:1c10
has "quirk: ... as acs-missing, unmarked" "0000:09:00.0: acs-missing at 0000:00:1c.2 (peer 0000:01:00.0) missing SV RR CR UF" "$out"
lacks "quirk: ... never trusted" "trusted:" "$out"
printf 'trust-quirk 8086:1c10\n07:00.0 1\n' >"$T/q.conf"
expect 0 "quirk: trust-quirk in --config waives as --trust-quirk does" check $Q --config "$T/q.conf"
run -j check $Q
json_is "[x['kind'] for x in d['not_assignable'] if x['dev'] == '0000:07:00.0']" "['acs-faked']" \
	"quirk: without the opt-in, the PCH port's device cannot be a tenant's (units)"
run -j check $Q --trust-quirk 8086:1c10
json_is "[u for u in d['units'] if '0000:07:00.0' in u], [x['dev'] for x in d['not_assignable']]" \
	"[['0000:07:00.0']] ['0000:08:00.0', '0000:09:00.0', '0000:0a:00.0']" \
	"quirk: with the opt-in it is a unit of its own; 00:1c.1 and 00:1c.2 still are not"

usage_err "quirk: --trust-quirk without a colon" check $Q --trust-quirk 80861c10
usage_err "quirk: --trust-quirk with junk" check $Q --trust-quirk 8086:1c1x
usage_err "quirk: --trust-quirk with 5 hex digits" check $Q --trust-quirk 8086:1c100
usage_err "quirk: --trust-quirk vendor ffff" check $Q --trust-quirk ffff:1c10
usage_err "quirk: --trust-quirk vendor 0000" check $Q --trust-quirk 0:1c10
usage_err "quirk: --trust-quirk device ffff" check $Q --trust-quirk 8086:ffff
usage_err "quirk: --trust-quirk twice the same" check $Q --trust-quirk 8086:1c10 --trust-quirk 8086:1C10
for bad in 'trust-quirk' 'trust-quirk 8086:1c10 extra' 'trust-quirk 8086' 'trust-quirk ffff:0001'; do
	printf '%s\n07:00.0 1\n' "$bad" >"$T/qb.conf"
	expect 2 "quirk: config line '$bad' is a bad line, nothing checked" check $Q --config "$T/qb.conf"
	has "quirk: ... named with its line" "$T/qb.conf:1: " "$err"
done
printf 'trust-quirk 8086:1c10\ntrust-quirk 8086:1c10\n' >"$T/qd.conf"
expect 2 "quirk: config trust-quirk twice" check $Q --config "$T/qd.conf"
has "quirk: ... names both lines" "$T/qd.conf:2: trust-quirk 8086:1c10 given twice (first on line 1)" "$err"
: >"$T/q65.conf"
for i in $(seq 1 65); do printf 'trust-quirk 8086:%04x\n' "$i" >>"$T/q65.conf"; done
expect 2 "quirk: more than 64 trust-quirk lines" check $Q --config "$T/q65.conf"
usage_err "quirk trust: no VID:DID" quirk trust
usage_err "quirk trust: bad VID:DID" quirk trust 8086-1c10
usage_err "quirk untrust: two of them" quirk untrust 8086:1c10 8086:1c12
usage_err "quirk: unknown command" quirk allow 8086:1c10
usage_err "quirk show: an argument" quirk show 8086:1c10

# --- this machine
expect_live() {
	run check
	if [ "$rc" != 2 ] && ! grep -q "p2pfencectl: [^w]" "$T/err"; then ok "check on this machine's /sys runs (exit $rc)"; else
		not_ok "check on this machine's /sys runs (exit $rc)"; indent <"$T/err"; fi
	sed 's/^/# /' "$T/out"
	run -p check
	printf '%s' "$out" | python3 -m json.tool >/dev/null && ok "check -p on /sys is valid JSON" || not_ok "check -p on /sys is valid JSON"
}
expect_live

summary ctl
