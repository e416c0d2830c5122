#!/bin/bash
# make deb, then install the packages into a clean Debian root and use them.
#
#   p2pfencectl: apt installs the .deb (pulling libnl, libxml2 and kmod),
#     the tool runs, the libvirt hook is an executable conffile that runs it,
#     p2pfence.service is enabled, the unit's binaries exist where it
#     names them, and its apply step behaves as p2pfence(4) says (missing
#     owners file: success; bad file: failure naming the line).
#   p2pfence-dkms: apt installs it with dkms and a compiler; its postinst
#     builds p2pfence.ko for Debian 12's own kernel, the pinned 6.1 (its
#     unpacked headers are bind-mounted at the same path and
#     /lib/modules/<rel>/build points there; tests/pkg/dkms.sh builds for
#     both pinned kernels); purging both packages leaves nothing behind.
#
# The root is a fresh copy of a cached debootstrap (scripts/debroot); apt's
# downloads are cached too, so a warm run needs no network.
set -uo pipefail
. "$(dirname "$0")/lib.sh"
ver=$("$top/scripts/version")

for t in dpkg-buildpackage dh dh_dkms debootstrap unshare; do
	if ! command -v "$t" >/dev/null; then
		skip "deb packages" "$t not installed (scripts/deps installs it)"
		exit 0
	fi
done
if [ "$(id -u)" -ne 0 ]; then
	skip "deb packages" "needs root (chroot)"
	exit 0
fi

tmp=$(mktemp -d /tmp/p2pfence-deb.XXXXXX)
trap 'rm -rf "$tmp"' EXIT

# 1. build
if DEB_BUILD_OPTIONS="noautodbgsym ${DEB_BUILD_OPTIONS:-}" \
	"$top/scripts/mkdeb" "$tmp/out" >"$tmp/mkdeb.log" 2>&1; then
	ok "make deb builds p2pfence-dkms and p2pfencectl"
else
	not_ok "make deb builds p2pfence-dkms and p2pfencectl"
	tail -n 30 "$tmp/mkdeb.log" | indent
	exit 1
fi
dkmsdeb=$(ls "$tmp"/out/p2pfence-dkms_*_all.deb)
ctldeb=$(ls "$tmp"/out/p2pfencectl_*_"$(dpkg --print-architecture)".deb)

# 2. contents
has_all() { # deb path...
	local deb=$1 list miss=
	shift
	list=$(dpkg-deb -c "$deb" | awk '{print $6}' | sed 's|^\./|/|')
	for p; do grep -qx "$p" <<<"$list" || miss="$miss $p"; done
	[ -z "$miss" ] || { echo "missing:$miss"; return 1; }
}
src=/usr/src/p2pfence-$ver
check "p2pfence-dkms ships $src with dkms.conf, Kbuild, sources, p2pfence(4)" \
	has_all "$dkmsdeb" "$src/dkms.conf" "$src/Kbuild" "$src/kmod/main.c" \
	"$src/uapi/linux/p2pfence.h" /usr/share/man/man4/p2pfence.4.gz \
	/usr/share/doc/p2pfence-dkms/examples/p2pfence.conf
conf=$(dpkg-deb --fsys-tarfile "$dkmsdeb" | tar -xOf - ".$src/dkms.conf")
grep -qx "PACKAGE_VERSION=\"$ver\"" <<<"$conf" &&
	ok "p2pfence-dkms dkms.conf carries version $ver" ||
	not_ok "p2pfence-dkms dkms.conf carries version $ver"
check "p2pfencectl ships the tool, unit, man pages, completion, example, libvirt hook" \
	has_all "$ctldeb" /usr/sbin/p2pfencectl /lib/systemd/system/p2pfence.service \
	/etc/libvirt/hooks/qemu.d/p2pfence \
	/usr/share/man/man8/p2pfencectl.8.gz /usr/share/man/man5/p2pfence.conf.5.gz \
	/usr/share/bash-completion/completions/p2pfencectl \
	/usr/share/doc/p2pfencectl/examples/owners.conf

# 3. a clean root
root=$tmp/root
if "$top/scripts/debroot" "$root" >"$tmp/root.log" 2>&1; then
	ok "clean bookworm root (debootstrap minbase, cached)"
else
	not_ok "clean bookworm root (debootstrap minbase, cached)"
	tail -n 20 "$tmp/root.log" | indent
	exit 1
fi
in_root() { "$top/scripts/debroot" --run "$root" "$@"; }
cp "$dkmsdeb" "$ctldeb" "$root/tmp/"
apt_install() {
	in_root apt-get install -y -q --no-install-recommends "$@" >"$tmp/apt.log" 2>&1 ||
		{ tail -n 30 "$tmp/apt.log"; return 1; }
}

# 4. p2pfencectl
check "apt installs p2pfencectl into the clean root (pulls its dependencies)" \
	apt_install "/tmp/$(basename "$ctldeb")"
out=$(in_root p2pfencectl --version 2>&1)
[ "$out" = "p2pfencectl $ver" ] && ok "p2pfencectl --version in the root prints $ver" ||
	{ not_ok "p2pfencectl --version in the root prints $ver"; indent <<<"$out"; }
# the libvirt hook: executable, a conffile, and it reaches the installed tool
hook=/etc/libvirt/hooks/qemu.d/p2pfence
[ -f "$root$hook" ] && [ -x "$root$hook" ] &&
	grep -qx "$hook" "$root/var/lib/dpkg/info/p2pfencectl.conffiles" &&
	ok "libvirt hook $hook installed, executable, a conffile" ||
	not_ok "libvirt hook $hook installed, executable, a conffile"
printf '<domain><uuid>u</uuid><devices><hostdev mode="subsystem" type="pci"><source><address domain="0" bus="0x41" slot="0" function="0"/></source></hostdev></devices></domain>' \
	>"$root/tmp/dom.xml"
# libxml2 is loaded by the hook alone: without it (no libvirt here yet) the
# hook says what is missing and fails, as a start would
out=$(in_root /bin/sh -c "$hook --print vm prepare begin - </tmp/dom.xml" 2>&1)
rc=$?
[ $rc -eq 2 ] && grep -q 'cannot load libxml2 (install the libxml2 package)' <<<"$out" &&
	ok "libvirt hook without libxml2: exit 2, says what is missing" ||
	{ not_ok "libvirt hook without libxml2: exit 2, says what is missing (exit $rc)"; indent <<<"$out"; }
# ... as libvirt brings it
check "apt installs libxml2 (libvirt depends on it)" apt_install libxml2
out=$(in_root /bin/sh -c "$hook --print vm prepare begin - </tmp/dom.xml" 2>&1)
[ "$out" = "p2pfencectl dev assign 0000:41:00.0 u" ] &&
	ok "libvirt hook runs the installed p2pfencectl (--print)" ||
	{ not_ok "libvirt hook runs the installed p2pfencectl (--print)"; indent <<<"$out"; }
[ -L "$root/etc/systemd/system/multi-user.target.wants/p2pfence.service" ] &&
	ok "p2pfencectl enables p2pfence.service for multi-user.target" ||
	not_ok "p2pfencectl enables p2pfence.service for multi-user.target"
# systemd-analyze verify --root needs systemd in the root, and it cannot see
# a path inside `sh -c`: check every absolute path the Exec lines name.
unit=$root/lib/systemd/system/p2pfence.service
miss=
for p in $(grep -E '^Exec[A-Za-z]*=' "$unit" | grep -oE '/[a-z/]+/[a-z0-9.-]+' | grep -v '^/etc/' | sort -u); do
	[ -x "$root$p" ] || miss="$miss $p"
done
[ -z "$miss" ] && ok "every program p2pfence.service runs is installed in the root" ||
	not_ok "every program p2pfence.service runs is installed in the root (missing:$miss)"
apply=$(sed -n '2{s/^ExecStart=//;p}' <(grep '^ExecStart=' "$unit"))
rm -f "$root/etc/p2pfence/owners.conf"
if out=$(in_root /bin/sh -c "$apply" 2>&1); then
	ok "unit apply step: missing owners.conf is not an error"
else
	not_ok "unit apply step: missing owners.conf is not an error"
	indent <<<"$out"
fi
mkdir -p "$root/etc/p2pfence"
printf '# tenant 1\n0000:41:00.0 o n e\n' >"$root/etc/p2pfence/owners.conf"
if out=$(in_root /bin/sh -c "$apply" 2>&1); then
	not_ok "unit apply step: a bad owners.conf fails, naming the line"
	indent <<<"$out"
elif grep -q 'owners.conf:2' <<<"$out"; then
	ok "unit apply step: a bad owners.conf fails, naming the line"
else
	not_ok "unit apply step: a bad owners.conf fails, naming the line"
	indent <<<"$out"
fi

# 5. p2pfence-dkms, building as its postinst would on a bookworm host with
# the 6.1 headers installed (one kernel: dkms.sh covers both)
kernels=
for rel in "$KVER_61"; do
	hdr=$(headers_of "$rel")
	[ -f "$hdr/Makefile" ] || continue
	mkdir -p "$root/lib/modules/$rel"
	ln -sfn "$hdr" "$root/lib/modules/$rel/build"
	kernels="$kernels $rel"
done
if [ -z "$kernels" ]; then
	not_ok "p2pfence-dkms postinst builds the module (no unpacked headers: run scripts/deps)"
else
	# what linux-headers-<rel> would pull in for its build tools
	in_dkms() { "$top/scripts/debroot" --run-bind "$CACHE_DIR/kernels" "$root" "$@"; }
	if in_dkms apt-get install -y -q --no-install-recommends libelf1 libssl3 dwarves \
		"/tmp/$(basename "$dkmsdeb")" >"$tmp/apt-dkms.log" 2>&1; then
		ok "apt installs p2pfence-dkms (with dkms) into the root"
	else
		not_ok "apt installs p2pfence-dkms (with dkms) into the root"
		tail -n 30 "$tmp/apt-dkms.log" | indent
		find "$root/var/lib/dkms" -name make.log -exec tail -n 20 {} \; 2>/dev/null | indent
	fi
	for rel in $kernels; do
		if ls "$root/lib/modules/$rel/updates/dkms/"p2pfence.ko* >/dev/null 2>&1; then
			ok "p2pfence-dkms postinst built and installed p2pfence.ko for $rel"
		else
			not_ok "p2pfence-dkms postinst built and installed p2pfence.ko for $rel"
		fi
	done
fi

# 6. purge
if in_root dpkg --purge p2pfence-dkms p2pfencectl >"$tmp/purge.log" 2>&1 &&
	[ -z "$(find "$root/lib/modules" "$root/usr/src" "$root/var/lib/dkms" \
		-name 'p2pfence*' 2>/dev/null)" ] &&
	[ ! -e "$root/etc/systemd/system/multi-user.target.wants/p2pfence.service" ] &&
	[ ! -e "$root/usr/sbin/p2pfencectl" ] && [ ! -e "$root$hook" ]; then
	ok "purging both packages removes the module, sources, tool, hook and unit link"
else
	not_ok "purging both packages removes the module, sources, tool, hook and unit link"
	indent <"$tmp/purge.log"
	find "$root/lib/modules" "$root/usr/src" "$root/var/lib/dkms" -name 'p2pfence*' | indent
fi
tap_status; exit
