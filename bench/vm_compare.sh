#!/usr/bin/env bash
# Datenwerk against VictoriaMetrics (Debian's victoria-metrics package) on the same machine in
# the same run, on the workload of bench/observation_bench.cc: N datastreams of one-minute
# readings over D days (a random walk at 0.01 resolution), 10,000 points per request on one
# keep-alive connection. Datenwerk three times: its observation store in-process, the server
# over HTTP on its embedded SQLite file, and the server on PostgreSQL 15 (a throw-away cluster
# with fsync on, when PostgreSQL is installed). Figures: ingest rate, bytes on disk, peak RSS,
# and query latency (hourly averages over the period per datastream and for all at once, the
# last 24 hours at one-minute buckets per datastream). Datenwerk answers a write after its
# commit is durable; VictoriaMetrics before (it buffers about a second).
# With --city, the second workload instead (bench/city_bench.cc): 100,000 datastreams reporting
# every 15 minutes with jitter, in arrival order, some late; ingest rate and bytes, SQLite only.
# Usage: bench/vm_compare.sh [datastreams=100] [days=90]
#        bench/vm_compare.sh --city [datastreams=100000] [days=1]
set -euo pipefail
cd "$(dirname "$0")/.."
city=0
if [[ "${1:-}" == "--city" ]]; then city=1; shift; fi
streams=${1:-100}
days=${2:-90}
if ((city)); then streams=${1:-100000}; days=${2:-1}; fi
scripts/setup.sh >/dev/null
sudo_cmd=(); [[ $(id -u) -ne 0 ]] && sudo_cmd=(sudo)
for tool in victoria-metrics sqlite3; do
  command -v "$tool" >/dev/null || "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "$tool" >/dev/null
done
cmake -S . -B build/release -G Ninja -DCMAKE_BUILD_TYPE=Release -DDATENWERK_TESTS=OFF -DDATENWERK_BENCH=ON >/dev/null
cmake --build build/release --target observation_bench city_bench datenwerk >/dev/null
bin=build/release/src/app/datenwerk
bench=build/release/bench/observation_bench
observations=$((streams * days * 1440))

work=$(mktemp -d /tmp/datenwerk-vm-XXXXXX)
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  if [[ -n "${pg_data:-}" ]]; then "${run_pg[@]}" "$pg_bin/pg_ctl" -D "$pg_data" -m immediate stop >/dev/null 2>&1 || true; fi
  rm -rf "$work"
}
trap cleanup EXIT
declare -A ingest bytes rss hourly50 hourly99 all50 day50 day99

# Reads "<who> <what>: p50 X ms, p99 Y ms" lines of observation_bench into the tables above.
record() {
  local name=$1 out=$2
  ingest[$name]=$(awk '/ingest:/ {for (i = 1; i <= NF; i++) if ($i ~ /^observations\/s/) print $(i - 1)}' <<<"$out" | head -1)
  hourly50[$name]=$(awk '$2 == "hourly:" {print $4}' <<<"$out")
  hourly99[$name]=$(awk '$2 == "hourly:" {print $7}' <<<"$out")
  all50[$name]=$(awk '$2 == "hourly-all:" {print $4}' <<<"$out")
  day50[$name]=$(awk '$2 == "day-1m:" {print $4}' <<<"$out")
  day99[$name]=$(awk '$2 == "day-1m:" {print $7}' <<<"$out")
}

wait_http() { for _ in $(seq 150); do curl -sf "$1" >/dev/null && return 0; sleep 0.2; done; echo "no answer from $1" >&2; exit 1; }

# Counts the series' tables and the free pages of a Datenwerk SQLite file (see below).
series_bytes() {
  sqlite3 "$1" "SELECT (SELECT SUM(pgsize) FROM dbstat WHERE name IN ('chunk', 'chunk_by_ds', 'chunk_open', 'chunk_open_by_ds', 'archive_hour',
    'archive_day', 'latest')) + (SELECT freelist_count FROM pragma_freelist_count) * (SELECT page_size FROM pragma_page_size)"
}
start_victoria() {
  victoria-metrics -storageDataPath "$work/vm" -retentionPeriod 100y -httpListenAddr 127.0.0.1:18428 \
    -search.disableCache -loggerLevel ERROR >"$work/vm.log" 2>&1 &
  vm_pid=$!
  pids+=("$vm_pid")
  wait_http http://127.0.0.1:18428/health
}
# VictoriaMetrics' size once its background merges are done (the same for three polls, at most 2 min).
settled_size() {
  local size=0 same=0 now
  for _ in $(seq 60); do
    sleep 2
    now=$(du -sb "$1" | awk '{print $1}')
    if [[ $now == "$size" ]]; then same=$((same + 1)); else same=0; fi
    size=$now
    ((same >= 3)) && break
  done
  echo "$size"
}

if ((city)); then
  echo "== Datenwerk server over HTTP, SQLite: $streams datastreams every 15 minutes for $days days"
  dir="$work/city"; mkdir -p "$dir"
  "$bin" --data-dir "$dir" apikey create --label bench >"$dir/key" 2>/dev/null
  "$bin" --data-dir "$dir" --port 18091 --body-limit 67108864 --log-level warn >"$dir/log" 2>&1 &
  pid=$!; pids+=("$pid")
  wait_http http://127.0.0.1:18091/
  out=$(build/release/bench/city_bench --datenwerk 127.0.0.1:18091 "$(cat "$dir/key")" "$streams" "$days")
  echo "$out"
  dw_rate=$(awk '/ingest:/ {print $3}' <<<"$out"); dw_total=$(awk '/observations [0-9]/ {print $3}' <<<"$out")
  dw_rss=$(( $(awk '/VmHWM/ {print $2}' "/proc/$pid/status") / 1024 ))
  kill "$pid"; wait "$pid" 2>/dev/null || true
  dw_bytes=$(series_bytes "$dir/datenwerk.db")
  echo "== VictoriaMetrics"
  start_victoria
  out=$(build/release/bench/city_bench --victoria 127.0.0.1:18428 "$streams" "$days")
  echo "$out"
  vm_rate=$(awk '/ingest:/ {print $3}' <<<"$out")
  vm_bytes=$(settled_size "$work/vm")
  vm_rss=$(( $(awk '/VmHWM/ {print $2}' "/proc/$vm_pid/status") / 1024 ))
  echo
  echo "== city workload: $streams datastreams x $days days every 15 minutes ($dw_total observations), one run"
  printf '%-34s%14s%14s%22s\n' "" sqlite victoria "sqlite/victoria"
  awk -v a="$dw_rate" -v b="$vm_rate" 'BEGIN {printf "%-34s%14.0f%14.0f%14.2f (higher is better)\n", "ingest, observations/s", a, b, a / b}'
  awk -v a="$dw_bytes" -v b="$vm_bytes" -v n="$dw_total" 'BEGIN {printf "%-34s%14.3f%14.3f%14.2f (lower is better)\n", "bytes on disk per observation", a / n, b / n, a / b}'
  awk -v a="$dw_rss" -v b="$vm_rss" 'BEGIN {printf "%-34s%14d%14d%14.2f (lower is better)\n", "peak RSS, MiB", a, b, a / b}'
  exit 0
fi

echo "== Datenwerk observation store, in-process ($streams datastreams x $days days = $observations observations)"
out=$("$bench" "$streams" "$days" "$work")
echo "$out"
record store "$out"
bytes[store]=$(awk '/^disk:/ {print $2}' <<<"$out")
rss[store]=$(awk '/^peak RSS:/ {print $3}' <<<"$out")

# Runs the server with extra flags ($2...), feeds and queries it, records figures under $1.
run_server() {
  local name=$1; shift
  local dir="$work/$name"
  mkdir -p "$dir"
  "$bin" --data-dir "$dir" "$@" apikey create --label bench >"$dir/key" 2>/dev/null
  "$bin" --data-dir "$dir" "$@" --port 18091 --body-limit 67108864 --log-level warn >"$dir/log" 2>&1 &
  local pid=$!
  pids+=("$pid")
  wait_http http://127.0.0.1:18091/
  local out
  out=$("$bench" --datenwerk 127.0.0.1:18091 "$(cat "$dir/key")" "$streams" "$days")
  echo "$out"
  record "$name" "$out"
  rss[$name]=$(( $(awk '/VmHWM/ {print $2}' "/proc/$pid/status") / 1024 ))
  kill "$pid"; wait "$pid" 2>/dev/null || true
}

echo "== Datenwerk server over HTTP, SQLite"
run_server sqlite
# The series' tables with their indexes, and the file's free pages (left by merged chunks), as
# PostgreSQL's figure below counts the series' relations; the whole file (the catalogue, the
# SensorThings entities and the back office live there too) is printed beside it.
db="$work/sqlite/datenwerk.db"
bytes[sqlite]=$(series_bytes "$db")
echo "server disk: series tables and free pages $(numfmt --grouping "${bytes[sqlite]}") bytes; the whole file with its log $(du -cb "$db"* | awk '/total/ {print $1}' | numfmt --grouping) bytes"

pg_bin=/usr/lib/postgresql/15/bin
if [[ -x $pg_bin/initdb ]]; then
  echo "== Datenwerk server over HTTP, PostgreSQL 15 (fsync on, synchronous_commit on)"
  pg_dir="$work/pg"; pg_data="$pg_dir/data"
  mkdir -p "$pg_dir"
  run_pg=()
  if [[ $(id -u) -eq 0 ]]; then chmod 755 "$work"; chown postgres: "$pg_dir"; run_pg=(runuser -u postgres --); fi
  "${run_pg[@]}" "$pg_bin/initdb" -D "$pg_data" -U datenwerk --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null
  "${run_pg[@]}" "$pg_bin/pg_ctl" -D "$pg_data" -l "$pg_dir/log" -w \
    -o "-c listen_addresses='' -c unix_socket_directories='$pg_dir' -c port=5434" start >/dev/null
  conninfo="host=$pg_dir port=5434 user=datenwerk dbname=postgres"
  run_server postgresql --database "$conninfo"
  bytes[postgresql]=$(psql "$conninfo" -Atc "SELECT pg_total_relation_size('chunk') + pg_total_relation_size('chunk_open') + pg_total_relation_size('archive_hour') + pg_total_relation_size('archive_day') + pg_total_relation_size('latest')")
fi

echo "== VictoriaMetrics $(dpkg-query -W -f '${Version}' victoria-metrics 2>/dev/null) (its query cache off: every query computed, as Datenwerk does)"
start_victoria
out=$("$bench" --victoria 127.0.0.1:18428 "$streams" "$days")
echo "$out"
record victoria "$out"
bytes[victoria]=$(settled_size "$work/vm")
rss[victoria]=$(( $(awk '/VmHWM/ {print $2}' "/proc/$vm_pid/status") / 1024 ))

echo
echo "== $streams datastreams x $days days of one-minute readings ($observations observations), one run"
names=(store sqlite); [[ -n "${bytes[postgresql]:-}" ]] && names+=(postgresql); names+=(victoria)
printf '%-34s' ""; for n in "${names[@]}"; do printf '%14s' "$n"; done; printf '%22s\n' "sqlite/victoria"
row() {  # label, table name, format, better
  local label=$1 table=$2 fmt=$3 better=$4
  local -n t=$table
  printf '%-34s' "$label"
  for n in "${names[@]}"; do printf "%14s" "$(printf "$fmt" "${t[$n]:-0}")"; done
  awk -v a="${t[sqlite]:-0}" -v b="${t[victoria]:-0}" -v w="$better" \
    'BEGIN { if (b > 0) printf "%14.2f (%s)\n", a / b, w; else print "" }'
}
declare -A bpo
for n in "${names[@]}"; do bpo[$n]=$(awk -v b="${bytes[$n]}" -v o="$observations" 'BEGIN {printf "%.3f", b / o}'); done
row "ingest, observations/s" ingest "%.0f" "higher is better"
row "bytes on disk per observation" bpo "%.3f" "lower is better"
row "peak RSS, MiB" rss "%d" "lower is better"
row "hourly avg per datastream p50, ms" hourly50 "%.2f" "lower is better"
row "hourly avg per datastream p99, ms" hourly99 "%.2f" "lower is better"
row "hourly avg of all at once p50, ms" all50 "%.2f" "lower is better"
row "last 24 h at 1 min p50, ms" day50 "%.2f" "lower is better"
row "last 24 h at 1 min p99, ms" day99 "%.2f" "lower is better"
