#!/bin/bash
# The libvirt hook with a real libvirtd: make deb, a guest root with
# libvirt, QEMU and that p2pfencectl package (scripts/lvroot, an extra
# initramfs archive through scripts/vm --cpio), and the guest half
# tests/pkg/libvirt_guest.sh on both kernels: a start refused with
# p2pfence's reason in virsh's error, a fenced start, a second domain
# refused without taking the first one's GPU, reconnect, release on
# destroy. Prints the guest's "# figure:" line (virsh start vs the hook).
#
# Cold (no cached root): scripts/debroot's monthly bookworm root plus the
# libvirt packages (~60 MB more from the archive); warm: the archive is
# rebuilt only when the .deb changes (seconds).
set -uo pipefail
. "$(dirname "$0")/lib.sh"

if ! grep -q -- '--cpio' "$top/scripts/vm" 2>/dev/null; then
	skip "libvirt hook with libvirtd" "scripts/vm has no --cpio option"
	exit 0
fi
for t in dpkg-buildpackage dh debootstrap unshare; do
	if ! command -v "$t" >/dev/null; then
		skip "libvirt hook with libvirtd" "$t not installed (scripts/deps installs it)"
		exit 0
	fi
done
if [ "$(id -u)" -ne 0 ]; then
	skip "libvirt hook with libvirtd" "needs root (chroot)"
	exit 0
fi

tmp=$(mktemp -d /tmp/p2pfence-libvirt.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
if ! DEB_BUILD_OPTIONS="noautodbgsym ${DEB_BUILD_OPTIONS:-}" \
	"$top/scripts/mkdeb" "$tmp/out" >"$tmp/mkdeb.log" 2>&1; then
	not_ok "libvirt: make deb"
	tail -n 30 "$tmp/mkdeb.log" | indent
	exit 1
fi
ctldeb=$(ls "$tmp"/out/p2pfencectl_*_"$(dpkg --print-architecture)".deb)
start=$(date +%s)
if ! cpio=$("$top/scripts/lvroot" "$ctldeb" 2>"$tmp/lvroot.log"); then
	not_ok "libvirt: guest root with libvirt and p2pfencectl (scripts/lvroot)"
	tail -n 30 "$tmp/lvroot.log" | indent
	exit 1
fi
indent <"$tmp/lvroot.log"
echo "  | libvirt: guest root ready in $(($(date +%s) - start))s"

for k in ${LIBVIRT_KERNELS:-6.1 6.12}; do
	out=$("$top/scripts/vm" --kernel "$k" --topology switch --timeout 900 \
		--kmods "vfio_pci vfio_iommu_type1 pci_stub" --cpio "$cpio" \
		--run "$top/tests/pkg/libvirt_guest.sh" 2>&1)
	rc=$?
	if [ $rc -eq 0 ]; then
		ok "libvirt hook with libvirtd on $k"
	else
		not_ok "libvirt hook with libvirtd on $k (exit $rc)"
	fi
	# the guest's TAP lines are details here, not counted
	indent <<<"$out" | { [ $rc -eq 0 ] && grep -E '^  \| (not ok|# figure|ok .*# SKIP|vm: )' || cat; }
done
tap_status; exit
