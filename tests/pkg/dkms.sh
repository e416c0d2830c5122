#!/bin/bash
# Build p2pfence.ko through DKMS for both pinned kernels, against the unpacked
# headers (--kernelsourcedir), in private DKMS trees (scripts/dkms-install
# --tree): /usr/src, /var/lib/dkms and /lib/modules of this machine are not
# touched. Then `scripts/dkms-install --remove` must leave nothing behind.
set -uo pipefail
. "$(dirname "$0")/lib.sh"

if ! command -v dkms >/dev/null; then
	skip "dkms" "dkms not installed (scripts/deps installs it)"
	exit 0
fi
ver=$("$top/scripts/version")
tmp=$(mktemp -d /tmp/p2pfence-dkms.XXXXXX)
trap 'rm -rf "$tmp"' EXIT

for rel in "$KVER_61" "$KVER_612"; do
	hdr=$(headers_of "$rel")
	if [ ! -f "$hdr/Makefile" ]; then
		not_ok "dkms build $rel (no headers at $hdr: run scripts/deps)"
		continue
	fi
	t=$tmp/$rel
	if nice "$top/scripts/dkms-install" --tree "$t" -k "$rel" --kernelsourcedir "$hdr" \
		>"$t.log" 2>&1; then
		ok "dkms add/build/install $rel"
	else
		not_ok "dkms add/build/install $rel"
		tail -n 40 "$t.log" | indent
		# dkms keeps the compiler's output in make.log
		find "$t/var/lib/dkms" -name make.log -exec tail -n 40 {} \; 2>/dev/null | indent
		continue
	fi
	ko=$(find "$t/lib/modules/$rel/updates/dkms" -name 'p2pfence.ko*' 2>/dev/null | head -n 1)
	if [ -n "$ko" ] && modinfo -F vermagic "$ko" | grep -q "^$rel "; then
		ok "dkms module $rel in /updates/dkms, vermagic $rel"
	else
		not_ok "dkms module $rel in /updates/dkms, vermagic $rel"
		find "$t" -name 'p2pfence.ko*' | indent
	fi
	d=(--sourcetree "$t/usr/src" --dkmstree "$t/var/lib/dkms" --installtree "$t/lib/modules")
	if "$top/scripts/dkms-install" --remove --tree "$t" >"$t.rm.log" 2>&1 &&
		[ -z "$(find "$t/lib/modules" "$t/var/lib/dkms" -name 'p2pfence.ko*')" ] &&
		[ ! -e "$t/usr/src/p2pfence-$ver" ] &&
		[ -z "$(dkms status "${d[@]}" -m p2pfence 2>/dev/null)" ]; then
		ok "dkms-install --remove $rel leaves nothing behind"
	else
		not_ok "dkms-install --remove $rel leaves nothing behind"
		indent <"$t.rm.log"
	fi
done
tap_status; exit
