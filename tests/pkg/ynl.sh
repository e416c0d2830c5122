#!/bin/bash
# Interop with a client nobody here wrote: the kernel's tools/net/ynl/cli.py
# (linux-source-6.12) against p2pfence.ko in the VM, for both pinned
# kernels. The guest half is tests/pkg/ynl_guest.sh; python3 reaches the
# guest as an extra initramfs archive (scripts/ynlroot), which scripts/vm
# appends when it has the --cpio option.
set -uo pipefail
. "$(dirname "$0")/lib.sh"

if ! grep -q -- '--cpio' "$top/scripts/vm" 2>/dev/null; then
	skip "ynl cli.py interop" "scripts/vm has no --cpio option to add the python3 archive"
	exit 0
fi
if ! cpio=$("$top/scripts/ynlroot" 2>"/tmp/ynlroot.$$.log"); then
	not_ok "ynl: python3 + cli.py guest archive (scripts/ynlroot)"
	tail -n 20 "/tmp/ynlroot.$$.log" | indent
	rm -f "/tmp/ynlroot.$$.log"
	exit 1
fi
rm -f "/tmp/ynlroot.$$.log"
# guest script, topology, what it checks
for t in "ynl_guest two-rootports interop" "ynl_dump_guest many-functions dumps of 80 devices"; do
	set -- $t
	g=$1 topo=$2
	shift 2
	for k in 6.1 6.12; do
		out=$("$top/scripts/vm" --kernel "$k" --topology "$topo" \
			--cpio "$cpio" --run "$top/tests/pkg/$g.sh" 2>&1)
		rc=$?
		if [ $rc -eq 0 ]; then
			ok "ynl cli.py $* on $k"
		else
			not_ok "ynl cli.py $* on $k (exit $rc)"
		fi
		# the guest's TAP lines are details here, not counted
		indent <<<"$out" | { [ $rc -eq 0 ] && grep -E '^  \| (not ok|# monitor)' || cat; }
	done
done
tap_status; exit
