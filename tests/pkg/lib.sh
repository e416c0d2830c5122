# Helpers for tests/pkg/*.sh (sourced). TAP-style lines on stdout
# (tests/tap.sh: ok, not_ok, skip, indent, tap_status), as docs/internals.md
# describes; everything else is indented ("  | ").
top=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
P2PF_SCRIPTS="$top/scripts"; . "$P2PF_SCRIPTS/versions.sh"
. "$top/tests/tap.sh"

# check NAME CMD...: run CMD quietly, ok/not ok by its status, output shown on failure
check() {
	local name=$1 out
	shift
	if out=$("$@" 2>&1); then
		ok "$name"
	else
		not_ok "$name"
		printf '%s\n' "$out" | tail -n 40 | indent
	fi
}
headers_of() { echo "$CACHE_DIR/kernels/$1/usr/src/linux-headers-$1"; }
