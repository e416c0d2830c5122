# shellcheck shell=sh
# Shell functions shared by the scripts (POSIX sh: bash and dash source it).
# scripts/versions.sh sources it, so every script that sources versions.sh
# has them.

# ksrc_version: print the installed version of Debian's kernel source package
# ($KSRC_612_PKG), installing it first as ksrc_tarball does; status 2 when
# it cannot be had.
ksrc_version() {
	ksrc_tarball >/dev/null || return 2
	dpkg-query -W -f '${Version}' "$KSRC_612_PKG" 2>/dev/null
}

# ksrc_tarball: print the path of the source tarball; when the package is
# not installed, scripts/deps installs it first (unless a caller already ran
# deps: P2PFENCE_DEPS_DONE). Status 2 when it is still missing.
ksrc_tarball() {
	_ksrc_find && return 0
	if [ -z "${P2PFENCE_DEPS_DONE:-}" ]; then
		echo "${0##*/}: $KSRC_612_PKG is not installed: running scripts/deps" >&2
		DEPS_QUIET=1 "$P2PF_SCRIPTS/deps" >&2 && _ksrc_find && return 0
	fi
	echo "${0##*/}: $KSRC_612_PKG is not installed (no /usr/src/$KSRC_612_PKG.tar.*): run scripts/deps" >&2
	return 2
}
_ksrc_find() {
	case $(dpkg-query -W -f '${Status}' "$KSRC_612_PKG" 2>/dev/null) in
	*' installed') ;;
	*) return 1 ;;
	esac
	for _kt in /usr/src/"$KSRC_612_PKG".tar.*; do
		[ -f "$_kt" ] && { echo "$_kt"; return 0; }
	done
	return 1
}

# ksrc_unpack DEST [MEMBER...]: make DEST hold the kernel source tree of
# $KSRC_612_PKG (DEST/Makefile, DEST/tools/..., the tarball's top directory
# stripped), or only the MEMBERs given (paths in the tree: tools/net/ynl).
# Extracted once per package version and member list (DEST/.ksrc-unpacked
# records both; a new package version is unpacked afresh). Concurrent runs
# wait for each other (flock on DEST.lock); an extraction goes to a
# temporary directory beside DEST and is moved into place whole, so an
# interrupted one leaves nothing DEST would be taken for (its leftovers are
# removed by the next run). Progress on stderr. Status 2 on failure.
ksrc_unpack() (
	dest=${1:?ksrc_unpack DEST [MEMBER...]}
	shift
	tarball=$(ksrc_tarball) || exit 2
	want=$(printf '%s\n' "$KSRC_612_PKG $(ksrc_version)" "$@")
	[ "$(cat "$dest/.ksrc-unpacked" 2>/dev/null)" = "$want" ] && exit 0
	parent=$(dirname "$dest")
	base=$(basename "$dest")
	mkdir -p "$parent" || exit 2
	exec 8>"$dest.lock"
	flock 8 || exit 2
	[ "$(cat "$dest/.ksrc-unpacked" 2>/dev/null)" = "$want" ] && exit 0
	# what an interrupted run left (we hold the lock: nobody else's)
	rm -rf "$parent/.$base.unpack."* "$parent/.$base.old"
	tmp=$(mktemp -d "$parent/.$base.unpack.XXXXXX") || exit 2
	trap 'rm -rf "$tmp"' EXIT
	trap 'exit 2' INT TERM HUP
	echo "${0##*/}: unpacking ${*:-the whole tree} from $tarball into $dest" >&2
	# members are paths under the tarball's top directory
	top=$KSRC_612_PKG
	n=$#
	while [ "$n" -gt 0 ]; do
		set -- "$@" "$top/$1"
		shift
		n=$((n - 1))
	done
	nice -n 19 tar -xf "$tarball" -C "$tmp" "$@" || {
		echo "${0##*/}: unpacking $tarball failed" >&2; exit 2; }
	printf '%s\n' "$want" >"$tmp/$top/.ksrc-unpacked"
	if [ -e "$dest" ]; then
		mv "$dest" "$parent/.$base.old" || exit 2
	fi
	mv "$tmp/$top" "$dest" || exit 2
	rm -rf "$parent/.$base.old"
)

# the kernel's YNL tooling (tools/net/ynl with its specs' schemas), shared by
# scripts/ynl-regen and scripts/ynlroot; prints the tree's path
ksrc_ynl() {
	ksrc_unpack "$CACHE_DIR/ynl/$KSRC_612_PKG" tools/net/ynl Documentation/netlink &&
		echo "$CACHE_DIR/ynl/$KSRC_612_PKG"
}
