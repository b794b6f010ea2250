#!/bin/sh
# The built libraries link one way (docs/architecture.md), read from the ELF files themselves:
# each layer library NEEDs only layers of a lower rank (the ranks of cmake/check_layers.cmake),
# only echoforge_torch NEEDs libtorch, and no program NEEDs libtorch or the torch library.
#
#   layer_links_test.sh SOURCE_DIR BUILD_DIR
set -eu
SOURCE_DIR=$1
BUILD_DIR=$2
command -v readelf >/dev/null || { echo "layer links: readelf is missing (binutils)"; exit 1; }

rank_of() {   # the rank of an area, from the layer table
  sed -n "s/^set(rank_$1 \([0-9]*\))\$/\1/p" "$SOURCE_DIR/cmake/check_layers.cmake"
}
needed() {
  readelf -d "$1" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p'
}

failures=0
layers=0
for lib in "$BUILD_DIR"/lib/libechoforge_*.so; do
  area=$(basename "$lib" .so | sed 's/^libechoforge_//')
  [ "$area" = torch ] && continue
  layers=$((layers + 1))
  rank=$(rank_of "$area")
  [ -n "$rank" ] || { echo "$lib: the area '$area' has no rank in cmake/check_layers.cmake"; failures=$((failures + 1)); continue; }
  for dep in $(needed "$lib"); do
    case $dep in
      libechoforge_torch.so|libtorch*|libc10*)
        echo "$lib needs $dep: only libechoforge_torch.so may link libtorch"; failures=$((failures + 1)) ;;
      libechoforge_*.so)
        other=$(echo "$dep" | sed 's/^libechoforge_//; s/\.so$//')
        other_rank=$(rank_of "$other")
        if [ -z "$other_rank" ] || [ "$other_rank" -ge "$rank" ]; then
          echo "$lib (rank $rank) needs $dep (rank ${other_rank:-none}): a layer links only lower ones"
          failures=$((failures + 1))
        fi ;;
    esac
  done
done
# Twelve torch-free layers at the time of writing: far fewer means the glob found nothing real.
[ "$layers" -ge 10 ] || { echo "only $layers layer libraries in $BUILD_DIR/lib"; exit 1; }
needed "$BUILD_DIR/lib/libechoforge_torch.so" | grep -q '^libtorch' \
  || { echo "libechoforge_torch.so does not link libtorch: the check above would prove nothing"; exit 1; }

for program in echoforge echoforge-cli echoforge-server; do
  for dep in $(needed "$BUILD_DIR/bin/$program"); do
    case $dep in
      libechoforge_torch.so|libtorch*|libc10*)
        echo "$program needs $dep: programs open the torch library on first use"; failures=$((failures + 1)) ;;
    esac
  done
done
[ "$failures" -eq 0 ] || exit 1

# The check can fail: with the task engine put at rank 0 in a copy of the table, its links to
# the voices and audio layers must be refused.
if [ -z "${LAYER_LINKS_SELF_CHECK:-}" ]; then
  doctored=$(mktemp -d)
  trap 'rm -rf "$doctored"' EXIT
  mkdir -p "$doctored/cmake"
  sed 's/^set(rank_tasks [0-9]*)$/set(rank_tasks 0)/' "$SOURCE_DIR/cmake/check_layers.cmake" >"$doctored/cmake/check_layers.cmake"
  if out=$(LAYER_LINKS_SELF_CHECK=1 sh "$0" "$doctored" "$BUILD_DIR"); then
    echo "a task layer of rank 0 passed the check: $out"; exit 1
  fi
  echo "$out" | grep -q "libechoforge_tasks.so (rank 0) needs libechoforge_voices.so" \
    || { echo "the doctored table was refused for another reason: $out"; exit 1; }
fi
echo "layer links: $layers layers link one way; no program links libtorch"
