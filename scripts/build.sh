#!/usr/bin/env bash
# Sets up (installs missing Debian packages, fetches the tokenizer data) and builds into build/.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup-deps.sh
BUILD_DIR=${BUILD_DIR:-build}
cmake -S . -B "$BUILD_DIR" -G Ninja -DCMAKE_BUILD_TYPE=${BUILD_TYPE:-RelWithDebInfo}
# Two parallel jobs: a torch translation unit takes ~1.3 GB and ~20 s; more jobs than cores only thrash.
cmake --build "$BUILD_DIR" --parallel "${JOBS:-$(nproc)}" "$@"
