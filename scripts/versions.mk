# The one place kernel versions are pinned. Shell scripts source this file too
# (it is valid sh and make): KVER_61 / KVER_612 are the `uname -r` strings,
# PKGVER_* the Debian package versions that ship them.
KVER_61=6.1.0-56-amd64
PKGVER_61=6.1.192-2
KVER_612=6.12.117+deb12-amd64
PKGVER_612=6.12.117-1~deb12u1
KSRC_612_PKG=linux-source-6.12
CACHE_DIR=/var/cache/p2pfence
