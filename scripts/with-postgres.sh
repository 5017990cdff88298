#!/usr/bin/env bash
# Runs a command with a throw-away PostgreSQL 15 cluster (Unix socket only, no TCP) and
# DATENWERK_TEST_POSTGRES set to its connection string; the cluster is removed afterwards.
set -euo pipefail
pg_bin=/usr/lib/postgresql/15/bin
if [[ ! -x $pg_bin/initdb ]]; then
  echo "with-postgres: PostgreSQL 15 is not installed (scripts/setup.sh installs it)" >&2
  exit 1
fi
dir=$(mktemp -d /tmp/datenwerk-pg-XXXXXX)
run_as=()
if [[ $(id -u) -eq 0 ]]; then
  chown postgres: "$dir"
  run_as=(runuser -u postgres --)
fi
cleanup() {
  "${run_as[@]}" "$pg_bin/pg_ctl" -D "$dir/data" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$dir"
}
trap cleanup EXIT
"${run_as[@]}" "$pg_bin/initdb" -D "$dir/data" -U datenwerk --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null
"${run_as[@]}" "$pg_bin/pg_ctl" -D "$dir/data" -l "$dir/log" -w \
  -o "-c listen_addresses='' -c unix_socket_directories='$dir' -c port=5433 -c fsync=off" start >/dev/null
export DATENWERK_TEST_POSTGRES="host=$dir port=5433 user=datenwerk dbname=postgres"
"$@"
