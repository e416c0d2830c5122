# Sourced by the scripts (bash and sh): the pinned releases, the cache
# directory (P2PFENCE_CACHE overrides), and the releases scripts/deps
# actually fetched (a fallback, when a pinned release has left the archive),
# and the shared functions of scripts/lib.sh (ksrc_unpack: the kernel source).
# The caller sets P2PF_SCRIPTS to this directory first.
. "$P2PF_SCRIPTS/versions.mk"
KVER_61_PINNED=$KVER_61
KVER_612_PINNED=$KVER_612
CACHE_DIR=${P2PFENCE_CACHE:-$CACHE_DIR}
if [ -f "$CACHE_DIR/releases.mk" ]; then
	. "$CACHE_DIR/releases.mk"
fi
# the shared shell functions (ksrc_unpack, ...)
. "$P2PF_SCRIPTS/lib.sh"
