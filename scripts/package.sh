#!/usr/bin/env bash
# Builds EchoForge's Debian package: build/package/echoforge_<version>_<arch>.deb (CPack, with the
# dependencies worked out from the binaries by dpkg-shlibdeps).
#   scripts/package.sh            (JOBS=1 on a machine short of memory)
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD_DIR=${BUILD_DIR:-build}
targets=(echoforge echoforge-cli echoforge-server echoforge_torch echoforge-package-data)
bash scripts/build.sh --target "${targets[@]}"
# dpkg-shlibdeps comes with dpkg-dev.
command -v dpkg-shlibdeps >/dev/null || { echo "package: dpkg-shlibdeps is missing (apt-get install dpkg-dev)" >&2; exit 1; }
rm -f "$BUILD_DIR"/package/echoforge_*.deb
(cd "$BUILD_DIR" && cpack -G DEB -B "$PWD/package")
ls -l "$BUILD_DIR"/package/echoforge_*.deb
