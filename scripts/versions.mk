# The one place the kernels p2pfence is built and tested against are named.
# Valid sh and make: the Makefile includes it, scripts source it through
# scripts/versions.sh (which also applies P2PFENCE_CACHE and the releases
# scripts/deps resolved).
#
# KVER_61 / KVER_612 are kernel *releases* (`uname -r`), not package
# versions: scripts/deps resolves each package's version from the archive
# when it fetches (kbuild and the common headers are rebuilt on their own
# cadence). If a pinned release has left the archive, deps falls back to
# the newest release of the same series, says so, and records the release
# it used in $CACHE_DIR/releases.mk, which overrides these two lines.
KVER_61=6.1.0-56-amd64
KVER_612=6.12.117+deb12-amd64
KSRC_612_PKG=linux-source-6.12
# default cache; P2PFENCE_CACHE=DIR in the environment moves it
CACHE_DIR=/var/cache/p2pfence
