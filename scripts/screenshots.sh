#!/usr/bin/env bash
# Renders the studio's main screens in the light and dark themes into docs/images/, with the
# app's own --screenshot option on the offscreen platform (no display needed).
#   scripts/screenshots.sh [BUILD_DIR]      (default: build)
# Each run uses a fresh data folder, so the shots never show the user's own characters.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN="${1:-build}/bin/echoforge"
OUT=docs/images
[[ -x "$BIN" ]] || { echo "screenshots: $BIN is missing; build first (scripts/build.sh)" >&2; exit 1; }
mkdir -p "$OUT"
DATA=$(mktemp -d)
trap 'rm -rf "$DATA"' EXIT
export QT_QPA_PLATFORM=offscreen ECHOFORGE_DATA_DIR="$DATA" ECHOFORGE_MODEL_DIR="$DATA/models" ECHOFORGE_LOG_LEVEL=warn

TEXT="Once upon a time, in a town by the sea, there lived a lighthouse keeper who talked to the gulls."
shot() {   # name theme size [app options...]
  local name=$1 theme=$2 size=$3; shift 3
  "$BIN" --theme "$theme" --size "$size" --screenshot "$OUT/$name-$theme.png" "$@"
  echo "$OUT/$name-$theme.png"
}
for theme in light dark; do
  shot studio "$theme" 1280x800 --text "$TEXT"
  shot studio-small "$theme" 1024x640 --text "$TEXT"
  shot settings "$theme" 1280x800 --open settings
  shot models "$theme" 1280x800 --open models
  shot diagnostics "$theme" 1280x800 --open diagnostics
  shot shortcuts "$theme" 1280x800 --open shortcuts
  shot audition "$theme" 1280x800 --select ada --open audition
  shot pronunciations "$theme" 1280x800 --select ada --open pronunciations
done
# The user's guide (docs/user-guide.md): the panels it explains, in the light theme.
shot guide-clone light 1280x800 --open clone
shot guide-queue light 1280x800 --open queue --text "$TEXT"
shot guide-history light 1280x800 --open history --text "$TEXT"
# Keep the committed PNGs small: quantise when pngquant is there.
if command -v pngquant >/dev/null; then
  pngquant --force --skip-if-larger --ext .png --quality 70-95 "$OUT"/*.png || true
fi
