#!/usr/bin/env bash
# Checks CSM's CUDA path on a machine with an NVIDIA GPU and a CUDA build of PyTorch (whose
# libtorch and headers this builds against); Debian's libtorch has no CUDA, so CI cannot.
# Builds the model code alone (core/model, three files of core/common, tests/gpu/gpu_check.cpp),
# runs the golden set on the GPU and times csm-1b frames.
#   scripts/gpu-check.sh DEBS_DIR [FRAMES]
# DEBS_DIR holds Debian 12 packages of what the model code needs besides torch, unpacked here:
#   apt-get download qt6-base-dev libqt6core6 libicu72 libdouble-conversion3 libpcre2-16-0 libb2-1 \
#     libspdlog-dev libspdlog1.10 libfmt-dev libfmt9 nlohmann-json3-dev
set -euo pipefail
cd "$(dirname "$0")/.."
DEBS=${1:?usage: scripts/gpu-check.sh DEBS_DIR [FRAMES]}
FRAMES=${2:-10}
WORK=${WORK:-/tmp/echoforge-gpu}
TORCH_DIR=${TORCH_DIR:-$(python3 -c 'import os, torch; print(os.path.dirname(torch.__file__))')}
mkdir -p "$WORK/root" "$WORK/obj"
for deb in "$DEBS"/*.deb; do dpkg -x "$deb" "$WORK/root"; done
QT="$WORK/root/usr/include/x86_64-linux-gnu/qt6"
LIBS="$WORK/root/usr/lib/x86_64-linux-gnu"

FLAGS=(-std=c++20 -O2 -fPIC -fopenmp -DQT_NO_KEYWORDS -DSPDLOG_SHARED_LIB -DSPDLOG_COMPILED_LIB -DSPDLOG_FMT_EXTERNAL -I.
       -I"$WORK/root/usr/include" -I"$QT" -I"$QT/QtCore" -I"$TORCH_DIR/include"
       -I"$TORCH_DIR/include/torch/csrc/api/include")
SOURCES=(core/model/*.cpp core/common/logging.cpp core/common/cpu_features.cpp tests/gpu/gpu_check.cpp)
export WORK
printf '%s\n' "${SOURCES[@]}" | xargs -P "$(nproc)" -I{} sh -c \
    'g++ "$@" -c {} -o "$WORK/obj/$(echo {} | tr / _).o"' _ "${FLAGS[@]}"
g++ -o "$WORK/gpu_check" "$WORK"/obj/*.o -fopenmp -L"$LIBS" -L"$TORCH_DIR/lib" \
    -Wl,--no-as-needed -ltorch_cuda -lc10_cuda -Wl,--as-needed -ltorch -ltorch_cpu -lc10 \
    -lQt6Core -lspdlog -lfmt -Wl,-rpath,"$TORCH_DIR/lib:$LIBS"
LD_LIBRARY_PATH="$LIBS" "$WORK/gpu_check" tests/data/golden/A cuda "$FRAMES"
