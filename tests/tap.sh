# shellcheck shell=sh
# tests/tap.sh - the TAP helpers of every shell test: sourced by bash on the
# host (tests/ctl/run.sh, tests/deps/run, tests/pkg/lib.sh, scripts/kunit)
# and by busybox sh in the guest (scripts/vm installs it as /p2pfence/tap.sh;
# tests/vm/lib.sh sources it).
#
#   ok DESC              "ok DESC"
#   not_ok DESC          "not ok DESC"
#   skip DESC [REASON]   "ok DESC # SKIP REASON" (a pass)
#   diag MSG...          "# MSG"  (a comment)
#   indent               filter: every line of stdin as "  | LINE"
#   plan                 "1..N"
#   finish               plan, then status 0 when nothing failed
#   summary NAME         "# NAME: N tests, N failed", then the same status
#   tap_status           status 0 when nothing failed
#
# scripts/check counts the lines that start with "ok " or "not ok "; diag
# and indent lines never count (docs/internals.md).
#
# TAP_NUMBERED=1 numbers the lines, "ok 3 - DESC" (the guest scripts, whose
# output the VM runner indents: numbered TAP with a plan at the end).
# TAP_PREFIX="ctl: " goes before every DESC.
# tap_n and tap_failed count the tests so far and the failures.

tap_n=0
tap_failed=0

# _tap STATUS DESC
_tap() {
	tap_n=$((tap_n + 1))
	if [ -n "${TAP_NUMBERED:-}" ]; then
		echo "$1 $tap_n - ${TAP_PREFIX:-}$2"
	else
		echo "$1 ${TAP_PREFIX:-}$2"
	fi
}

ok() {
	_tap ok "$*"
}

not_ok() {
	tap_failed=$((tap_failed + 1))
	_tap "not ok" "$*"
}

skip() {
	_tap ok "$1 # SKIP${2:+ $2}"
}

diag() {
	echo "# $*"
}

indent() {
	sed 's/^/  | /'
}

plan() {
	echo "1..$tap_n"
}

tap_status() {
	[ "$tap_failed" -eq 0 ]
}

finish() {
	plan
	tap_status
}

summary() {
	echo "# $1: $tap_n tests, $tap_failed failed"
	tap_status
}
