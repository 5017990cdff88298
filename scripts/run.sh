#!/usr/bin/env bash
# Builds Datenwerk and starts it on http://localhost:8080 with the embedded SQLite store in
# ./var; on first start it imports Bochum's catalogue from data/bochum.
# Extra arguments go to the server, e.g. scripts/run.sh --port 9000 (see: datenwerk --help).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
cmake -S . -B build/release -G Ninja -DCMAKE_BUILD_TYPE=Release -DDATENWERK_TESTS=OFF -DDATENWERK_BENCH=OFF >/dev/null
cmake --build build/release --target datenwerk
# Defaults only for what the caller did not set (a second --port is an error to the server).
defaults=()
[[ " $* " == *" --port "* || " $* " == *" --port="* ]] || defaults+=(--port 8080)
[[ " $* " == *" --data-dir "* || " $* " == *" --data-dir="* ]] || defaults+=(--data-dir var)
exec build/release/src/app/datenwerk "${defaults[@]}" "$@"
