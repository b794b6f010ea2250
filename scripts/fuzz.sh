#!/usr/bin/env bash
# Builds the libFuzzer targets of tests/fuzz with clang-14 under AddressSanitizer and UBSan and
# runs each for a while (docs/fuzzing.md).
#
#   scripts/fuzz.sh [--seconds N] [--timeout S] [--jobs J] [target ...]
#                   (default: every target, 600 s each; an input running over S seconds, default
#                   10, is a hang: raise it on a loaded machine, where the timer is wall-clock time)
#
# Each target starts from its seeds (tests/fuzz/corpus/<target>) plus what earlier runs found
# (<build>/corpus/<target>, kept between runs). A crash, leak, UBSan report, timeout (see --timeout)
# or out-of-memory (> 2 GB) stops the target and leaves the input in
# <build>/findings/<target>/; the script then exits 1. Exits 77 when clang-14 or libFuzzer is
# missing (ctest counts that as skipped). The build folder is FUZZ_BUILD_DIR (default build-fuzz).
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=600
timeout=10
jobs=1
targets=()
while [ $# -gt 0 ]; do
  case "$1" in
    --seconds) seconds=$2; shift 2 ;;
    --jobs) jobs=$2; shift 2 ;;
    --timeout) timeout=$2; shift 2 ;;
    *) targets+=("$1"); shift ;;
  esac
done
build=${FUZZ_BUILD_DIR:-build-fuzz}

if ! command -v clang++-14 >/dev/null 2>&1 ||
   ! compgen -G "/usr/lib/llvm-14/lib/clang/*/lib/linux/libclang_rt.fuzzer-x86_64.a" >/dev/null; then
  echo "fuzz: clang-14 with libFuzzer is not installed (apt-get install clang-14 libfuzzer-14-dev); skipped"
  exit 77
fi

cmake -S . -B "$build" -G Ninja -DECHOFORGE_FUZZ=ON -DCMAKE_BUILD_TYPE=Debug \
  -DCMAKE_C_COMPILER=clang-14 -DCMAKE_CXX_COMPILER=clang++-14 >/dev/null
mkdir -p "$build/logs"
if ! cmake --build "$build" --parallel "$jobs" ${targets[@]:+--target "${targets[@]}"} >"$build/logs/build.log" 2>&1; then
  tail -n 40 "$build/logs/build.log"
  echo "fuzz: the fuzz targets do not build (clang-14); see $build/logs/build.log"
  exit 1
fi

if [ ${#targets[@]} -eq 0 ]; then
  for f in tests/fuzz/fuzz_*.cpp; do targets+=("$(basename "$f" .cpp)"); done
fi

export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1:symbolize=1
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
# A leak inside libvorbis on a malformed Ogg header (libsndfile 1.2 + libvorbis 1.3.7, Debian 12),
# not in EchoForge: docs/fuzzing.md.
export LSAN_OPTIONS=suppressions=$PWD/tests/fuzz/lsan.supp:print_suppressions=0
export ECHOFORGE_LOG_LEVEL=off
status=0
for t in "${targets[@]}"; do
  mkdir -p "$build/corpus/$t" "$build/findings/$t" "$build/logs"
  log="$build/logs/$t.log"
  start=$(date +%s)
  if "$build/bin/$t" -max_total_time="$seconds" -timeout="$timeout" -rss_limit_mb=2048 -max_len=65536 \
       -print_final_stats=1 -artifact_prefix="$build/findings/$t/" \
       "$build/corpus/$t" "tests/fuzz/corpus/$t" >"$log" 2>&1; then
    runs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$' || echo '?')
    echo "fuzz: $t: $runs runs in $(( $(date +%s) - start )) s, no finding"
  else
    echo "fuzz: $t: FINDING after $(( $(date +%s) - start )) s; see $log and $build/findings/$t/"
    tail -n 30 "$log"
    status=1
  fi
done
exit $status
