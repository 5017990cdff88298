#!/usr/bin/env bash
# Compiler-checked locking: the translation units whose mutexes are annotated (GUARDED_BY,
# REQUIRES, EXCLUDES; core/thread_annotations.h) through clang's thread-safety analysis with
# -Werror. Syntax only, with the include paths and definitions of a configured build, so it
# costs seconds, not a second full build. Installs Debian's clang when missing.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh --fuzz >/dev/null
build=build/thread-safety
cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Debug -DCMAKE_EXPORT_COMPILE_COMMANDS=ON -DDATENWERK_BENCH=OFF >/dev/null
files=(
  src/store/sql_connection.cc
  src/store/catalogue_service.cc
  src/series/observation_store.cc
  src/sta/tiered_store.cc
  src/sta/document_store.cc
  src/store/wal_sync.cc
  src/sensors/device_registry.cc
  src/opendata/inventory.cc
  src/opendata/curation.cc
  src/opendata/catalog_routes.cc
  src/cluster/lease_keeper.cc
  src/store/read_replica.cc
)
python3 - "$build/compile_commands.json" "${files[@]}" <<'PY'
import json, os, shlex, subprocess, sys
commands = {os.path.realpath(e["file"]): e for e in json.load(open(sys.argv[1]))}
failed = 0
for f in sys.argv[2:]:
    entry = commands[os.path.realpath(f)]
    args = shlex.split(entry["command"]) if "command" in entry else entry["arguments"]
    out, skip = ["clang++"], False
    for a in args[1:]:
        if skip:
            skip = False
            continue
        if a in ("-o", "-MF", "-MT", "-MQ"):
            skip = True
            continue
        if a in ("-c", "-MD", "-MMD") or a.startswith("-fconcepts-diagnostics"):
            continue
        out.append(a)
    out += ["-fsyntax-only", "-Wthread-safety", "-Werror=thread-safety", "-Wno-unknown-warning-option"]
    r = subprocess.run(out, cwd=entry["directory"])
    print(("ok   " if r.returncode == 0 else "FAIL ") + f)
    failed += r.returncode != 0
sys.exit(1 if failed else 0)
PY
