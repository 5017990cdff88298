#!/usr/bin/env bash
# Builds Datenwerk and runs every test: unit tests per module, HTTP black-box tests against the
# started binary, page tests with axe-core in Chromium, and the store contract suite against
# SQLite and a temporary PostgreSQL cluster.
# Usage: scripts/test.sh [--sanitize]   (--sanitize: the same under ASan+UBSan, built with clang in
# build/asan, which also holds the fuzz targets)
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh --cluster

build=build/test
flags=(-DCMAKE_BUILD_TYPE=RelWithDebInfo)
if [[ "${1:-}" == "--sanitize" ]]; then
  build=build/asan
  # With clang, and the libFuzzer targets in the same build (scripts/fuzz.sh uses them): one
  # sanitizer build instead of two. -O1 with line tables (ASan's own advice): the same reports as
  # -O0, tests about twice as fast.
  scripts/setup.sh --fuzz >/dev/null
  export CC=clang CXX=clang++
  flags=(-DCMAKE_BUILD_TYPE=Debug "-DCMAKE_CXX_FLAGS_DEBUG=-O1 -gline-tables-only" -DDATENWERK_SANITIZE=ON
         -DDATENWERK_FUZZ=ON -DDATENWERK_BENCH=OFF)
  export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
fi
cmake -S . -B "$build" -G Ninja "${flags[@]}" >/dev/null
cmake --build "$build"
scripts/with-postgres.sh ctest --test-dir "$build" --output-on-failure -j2
