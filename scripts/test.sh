#!/usr/bin/env bash
# Builds Datenwerk and runs every test: unit tests per module, HTTP black-box tests against the
# started binary, page tests with axe-core in Chromium, and the store contract suite against
# SQLite and a temporary PostgreSQL cluster.
# Usage: scripts/test.sh [--sanitize]   (--sanitize: the same under ASan+UBSan, in build/asan)
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh

build=build/test
flags=(-DCMAKE_BUILD_TYPE=RelWithDebInfo)
if [[ "${1:-}" == "--sanitize" ]]; then
  build=build/asan
  # -O1 with line tables (ASan's own advice): the same reports as -O0, tests about twice as fast.
  flags=(-DCMAKE_BUILD_TYPE=Debug "-DCMAKE_CXX_FLAGS_DEBUG=-O1 -g1" -DDATENWERK_SANITIZE=ON -DDATENWERK_BENCH=OFF)
  export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
fi
cmake -S . -B "$build" -G Ninja "${flags[@]}" >/dev/null
cmake --build "$build"
scripts/with-postgres.sh ctest --test-dir "$build" --output-on-failure -j2
