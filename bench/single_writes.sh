#!/usr/bin/env bash
# Single writes, the shape of LoRaWAN webhooks (one uplink per request), with 1, 8, 64 and 256
# keep-alive wrk connections, each for SECONDS seconds: one plain Observation per POST to
# /sta/v1.1/Observations (Prefer: return=minimal) over 100 Datastreams, and one ChirpStack v4
# uplink per POST to /api/v1/ingest/chirpstack from 100 devices (one mapped field each). Each
# Datastream gets its readings in time order, as a sensor sends them. Stored per second is
# counted on the server ($count before and after), 503s and other failures as wrk sees them.
# Durable: an answer comes after the group's commit is on disk (SQLite: the log synced after the
# commit, store/wal_sync.h; PostgreSQL with fsync as configured).
# Peer in the same run: InfluxDB 1.6 (Debian) with one point per /write request.
# Usage: bench/single_writes.sh [seconds=10]  (DATENWERK_BENCH_DATABASE=conninfo: also PostgreSQL;
#        CLIENTS="64": only these steps)
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-10}
scripts/setup.sh --bench >/dev/null
if ! command -v influxd >/dev/null; then
  sudo_cmd=(); [[ $(id -u) -ne 0 ]] && sudo_cmd=(sudo)
  "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends influxdb >/dev/null
fi
bin=${DATENWERK_BIN:-build/release/src/app/datenwerk}
if [[ -z "${DATENWERK_BIN:-}" ]]; then
  cmake -S . -B build/release -G Ninja -DCMAKE_BUILD_TYPE=Release -DDATENWERK_TESTS=OFF -DDATENWERK_BENCH=ON >/dev/null
  cmake --build build/release --target datenwerk >/dev/null
fi
work=$(mktemp -d /tmp/datenwerk-single-XXXXXX)
cleanup() {
  [[ -n "${dw_pid:-}" ]] && kill "$dw_pid" 2>/dev/null
  [[ -n "${influx_pid:-}" ]] && kill "$influx_pid" 2>/dev/null
  wait 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT
first=1600000000
clients=(${CLIENTS:-1 8 64 256})
declare -A rate

thing() { python3 bench/bench_thing.py; }

run_datenwerk() {  # label, extra args...
  local label=$1; shift
  local dir="$work/$label"
  key=$("$bin" --data-dir "$dir" "$@" apikey create --role administrator --label bench 2>/dev/null)
  "$bin" --data-dir "$dir" "$@" --port 18095 --log-level warn >"$work/$label.log" 2>&1 &
  dw_pid=$!
  for _ in $(seq 100); do curl -sf http://127.0.0.1:18095/ >/dev/null && break; sleep 0.2; done
  thing >"$work/thing.json"
  curl -sf -o /dev/null -X POST -H "Authorization: Bearer $key" -H 'Content-Type: application/json' \
    --data @"$work/thing.json" http://127.0.0.1:18095/sta/v1.1/Things
  for d in $(seq 100); do
    curl -sf -o /dev/null -X PUT -H "Authorization: Bearer $key" -H 'Content-Type: application/json' \
      --data "{\"name\":\"Sonde $d\",\"codec\":\"object\",\"fields\":{\"value\":$d}}" \
      "http://127.0.0.1:18095/api/v1/devices/$(printf '%016X' "$d")"
  done
  count() { curl -s "http://127.0.0.1:18095/sta/v1.1/Observations?\$count=true&\$top=0" | python3 -c 'import json,sys; print(json.load(sys.stdin)["@iot.count"])'; }
  local offset=0 uplink_first=$(( $(date +%s) - 300 * 86400 ))
  for kind in observation uplink; do
    for c in "${clients[@]}"; do
      local threads=$(( c < 2 ? 1 : 2 ))
      local before; before=$(count)
      local out
      if [[ $kind == observation ]]; then
        out=$(wrk -t"$threads" -c"$c" -d"${seconds}s" --latency -s bench/lua/single_observation.lua \
          http://127.0.0.1:18095 -- "$key" 100 $((first + offset)) "$threads" 2>&1)
      else
        out=$(wrk -t"$threads" -c"$c" -d"${seconds}s" --latency -s bench/lua/single_uplink.lua \
          http://127.0.0.1:18095 -- "$key" 100 $((uplink_first + offset)) "$threads" 2>&1)
      fi
      offset=$((offset + 1000000))
      local after; after=$(count)
      local stored=$(( (after - before) / seconds ))
      local p50 p99 failed
      p50=$(awk '/ 50%/ {print $2}' <<<"$out"); p99=$(awk '/ 99%/ {print $2}' <<<"$out")
      failed=$(awk -F'status ' '/^errors/ {split($2, a, ","); print a[1]}' <<<"$out")
      rate[$label,$kind,$c]=$stored
      printf "%-22s %-11s %4d clients: %7d stored/s, p50 %8s, p99 %8s, refused or failed %s\n" "$label" "$kind" "$c" "$stored" "$p50" "$p99" "$failed"
    done
  done
  kill "$dw_pid"; wait "$dw_pid" 2>/dev/null || true; dw_pid=
}

run_influx() {
  cat >"$work/influxdb.conf" <<CONF
reporting-disabled = true
bind-address = "127.0.0.1:18088"
[meta]
  dir = "$work/meta"
[data]
  dir = "$work/data"
  wal-dir = "$work/wal"
  query-log-enabled = false
[http]
  bind-address = "127.0.0.1:18086"
  log-enabled = false
[monitor]
  store-enabled = false
[continuous_queries]
  enabled = false
CONF
  influxd -config "$work/influxdb.conf" >"$work/influxd.log" 2>&1 &
  influx_pid=$!
  for _ in $(seq 100); do curl -sf http://127.0.0.1:18086/ping >/dev/null && break; sleep 0.2; done
  curl -sf -o /dev/null -XPOST http://127.0.0.1:18086/query --data-urlencode 'q=CREATE DATABASE bench'
  local offset=0
  for c in "${clients[@]}"; do
    local threads=$(( c < 2 ? 1 : 2 ))
    local out; out=$(wrk -t"$threads" -c"$c" -d"${seconds}s" --latency -s bench/lua/influx_single_point.lua \
      http://127.0.0.1:18086 -- 100 $((first + offset)) "$threads" 2>&1)
    offset=$((offset + 1000000))
    local req; req=$(awk '/Requests\/sec/ {printf "%d", $2}' <<<"$out")
    local p50 p99; p50=$(awk '/ 50%/ {print $2}' <<<"$out"); p99=$(awk '/ 99%/ {print $2}' <<<"$out")
    rate[influx,$c]=$req
    printf "%-22s %4d clients: %7d points/s, p50 %8s, p99 %8s\n" "InfluxDB 1.6" "$c" "$req" "$p50" "$p99"
  done
  kill "$influx_pid"; wait "$influx_pid" 2>/dev/null || true; influx_pid=
}

echo "== single writes, ${seconds} s per step, $(nproc) cores"
run_datenwerk "Datenwerk SQLite"
if [[ -n "${DATENWERK_BENCH_DATABASE:-}" ]]; then run_datenwerk "Datenwerk PostgreSQL" --database "$DATENWERK_BENCH_DATABASE"; fi
run_influx
echo "== ratio Datenwerk SQLite / InfluxDB 1.6 (stored per second): Observations, uplinks"
for c in "${clients[@]}"; do
  awk -v a="${rate[Datenwerk SQLite,observation,$c]}" -v u="${rate[Datenwerk SQLite,uplink,$c]}" \
    -v b="${rate[influx,$c]}" -v c="$c" 'BEGIN { printf "%4d clients: %.2f, %.2f\n", c, (b > 0 ? a / b : 0), (b > 0 ? u / b : 0) }'
done
