#!/usr/bin/env bash
# Builds the libFuzzer targets with clang (ASan+UBSan) and runs each for a bounded time on its
# seed corpus in tests/fuzz/corpus/<name>/. A crash fails the run and leaves its input in
# build/fuzz/crashes/<name>/; copy it into the corpus so it stays a regression test.
# Usage: scripts/fuzz.sh [seconds per target, default 30]
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-30}
scripts/setup.sh --fuzz >/dev/null
targets=(filter json_input measurement_batch lorawan csv forms value_sheet chunk_codec multipart json_patch opendata appended)
if grep -qs "DATENWERK_FUZZ:BOOL=ON" build/asan/CMakeCache.txt; then
  build=build/asan  # the sanitizer build of scripts/test.sh --sanitize carries the fuzz targets
else
  build=build/fuzz
  # -O1 and line tables only: libFuzzer's usual build, compiled in a fraction of -O2 -g's time.
  CC=clang CXX=clang++ cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    "-DCMAKE_CXX_FLAGS_RELWITHDEBINFO=-O1 -gline-tables-only -DNDEBUG" \
    -DDATENWERK_FUZZ=ON -DDATENWERK_TESTS=OFF -DDATENWERK_BENCH=OFF >/dev/null
fi
cmake --build "$build" --target "${targets[@]/%/_fuzz}"
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
for t in "${targets[@]}"; do
  work="$build/corpus/$t"   # what the fuzzer adds stays out of the repository
  crashes="$build/crashes/$t"
  mkdir -p "$work" "$crashes"
  echo "== fuzz $t for ${seconds}s"
  "$build/tests/fuzz/${t}_fuzz" "$work" "tests/fuzz/corpus/$t" -max_total_time="$seconds" \
    -max_len=65536 -timeout=10 -rss_limit_mb=2048 -artifact_prefix="$crashes/" -print_final_stats=1 \
    2>"$build/$t.log" || { tail -50 "$build/$t.log"; echo "fuzz: $t failed; input in $crashes" >&2; exit 1; }
  grep -E "^stat::(number_of_executed_units|average_exec_per_sec|peak_rss_mb)" "$build/$t.log" | tr '\n' ' '; echo
done
