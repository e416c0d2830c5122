#!/bin/bash
# scripts/p2pfence.service passes `systemd-analyze verify`.
#
# verify needs no running systemd (it loads the unit in a private manager
# in test mode), so it works in a container whose PID 1 is not systemd.
# It checks that every ExecStart= binary exists: the unit's are /sbin/modprobe
# and /bin/sh, and p2pfencectl is called by the shell only when the owners
# file exists, so the check does not depend on p2pfencectl being installed
# here (tests/pkg/deb.sh verifies the unit again inside a root where the
# package installed it). Documentation= man: links are checked against this
# tree's man pages (MANPATH pointed at a temporary man tree).
set -uo pipefail
. "$(dirname "$0")/lib.sh"

if ! command -v systemd-analyze >/dev/null; then
	skip "systemd-analyze verify" "systemd-analyze not installed (scripts/deps installs systemd)"
	exit 0
fi
tmp=$(mktemp -d /tmp/p2pfence-unit.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
cp "$top/scripts/p2pfence.service" "$tmp/p2pfence.service"

check "systemd-analyze verify p2pfence.service" \
	systemd-analyze verify --man=no "$tmp/p2pfence.service"

# negative control: verify does catch a bad unit in this environment
mkdir -p "$tmp/bad"
sed 's|^ExecStart=/sbin/modprobe|ExecStart=/nonexistent/modprobe|' \
	"$tmp/p2pfence.service" >"$tmp/bad/p2pfence.service"
if systemd-analyze verify --man=no "$tmp/bad/p2pfence.service" >/dev/null 2>&1; then
	not_ok "systemd-analyze verify rejects a unit with a missing binary"
else
	ok "systemd-analyze verify rejects a unit with a missing binary"
fi

# man pages the unit names (Documentation=) exist in this tree
mkdir -p "$tmp/man/man4" "$tmp/man/man5" "$tmp/man/man8"
for p in doc/p2pfence.4 ctl/p2pfence.conf.5 ctl/p2pfencectl.8; do
	[ ! -f "$top/$p" ] || cp "$top/$p" "$tmp/man/man${p##*.}/"
done
check "p2pfence.service Documentation= man pages exist" \
	env MANPATH="$tmp/man" systemd-analyze verify --man=yes "$tmp/p2pfence.service"

# the semantics the man page promises
u=$top/scripts/p2pfence.service
grep -q '^Type=oneshot$' "$u" && grep -q '^RemainAfterExit=yes$' "$u" &&
	grep -q '^WantedBy=multi-user.target$' "$u" && ! grep -q '^ExecStop' "$u" &&
	ok "p2pfence.service: oneshot, RemainAfterExit, no ExecStop, WantedBy multi-user" ||
	not_ok "p2pfence.service: oneshot, RemainAfterExit, no ExecStop, WantedBy multi-user"
before=$(sed -n 's/^Before=//p' "$u" | tr ' ' '\n')
miss=
for m in libvirtd.service virtqemud.service qemu-kvm.service; do
	grep -qx "$m" <<<"$before" || miss="$miss $m"
done
[ -z "$miss" ] && grep -q '^After=.*systemd-modules-load.service' "$u" &&
	ok "p2pfence.service ordered before VM managers, after systemd-modules-load" ||
	not_ok "p2pfence.service ordered before VM managers, after systemd-modules-load (missing:$miss)"
# every Before= unit is named in the man page's BOOT section
man=$(LC_ALL=C MANWIDTH=200 man -l "$top/doc/p2pfence.4" 2>/dev/null | sed -n '/^BOOT/,/^[A-Z]/p')
miss=
for m in $before; do grep -qF "$m" <<<"$man" || miss="$miss $m"; done
[ -z "$miss" ] && ok "p2pfence(4) BOOT documents every Before= unit" ||
	not_ok "p2pfence(4) BOOT documents every Before= unit (missing:$miss)"
tap_status; exit
