#!/usr/bin/env bash
# Datenwerk against InfluxDB 1.6 (Debian's influxdb package) on the same machine in the same
# run: the same synthetic one-minute data (N datastreams over D days), ingest rate, bytes on disk
# and the hourly-average query (GROUP BY time(1h)) over the whole period. Datenwerk twice: its
# observation store in-process, and the server over HTTP (CreateObservations dataArray in, the
# aggregate extension out) driven by the same client as InfluxDB (line protocol in, InfluxQL
# out): one keep-alive connection, 10,000 observations per request, time in requests only.
# Usage: bench/influx_compare.sh [datastreams=100] [days=365]
set -euo pipefail
cd "$(dirname "$0")/.."
streams=${1:-100}
days=${2:-365}
scripts/setup.sh >/dev/null
if ! command -v influxd >/dev/null; then
  sudo_cmd=(); [[ $(id -u) -ne 0 ]] && sudo_cmd=(sudo)
  "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends influxdb >/dev/null
fi
cmake -S . -B build/release -G Ninja -DCMAKE_BUILD_TYPE=Release -DDATENWERK_TESTS=OFF -DDATENWERK_BENCH=ON >/dev/null
cmake --build build/release --target observation_bench datenwerk >/dev/null

work=$(mktemp -d /tmp/datenwerk-influx-XXXXXX)
cleanup() {
  [[ -n "${influx_pid:-}" ]] && kill "$influx_pid" 2>/dev/null
  [[ -n "${dw_pid:-}" ]] && kill "$dw_pid" 2>/dev/null
  wait 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT
cat > "$work/influxdb.conf" <<CONF
reporting-disabled = true
bind-address = "127.0.0.1:18088"
[meta]
  dir = "$work/meta"
[data]
  dir = "$work/data"
  wal-dir = "$work/wal"
  query-log-enabled = false
  # Reach the compacted steady state within the run, so its disk figure is InfluxDB at its best.
  cache-snapshot-write-cold-duration = "1s"
  compact-full-write-cold-duration = "5s"
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

echo "== Datenwerk observation store"
dw=$(build/release/bench/observation_bench "$streams" "$days" "$work")
echo "$dw"
echo "== Datenwerk server over HTTP"
build/release/src/app/datenwerk --data-dir "$work/dw" apikey create --label bench >"$work/key" 2>/dev/null
build/release/src/app/datenwerk --data-dir "$work/dw" --port 18090 --body-limit 67108864 >"$work/dw.log" 2>&1 &
dw_pid=$!
for _ in $(seq 100); do curl -sf http://127.0.0.1:18090/ >/dev/null && break; sleep 0.2; done
http=$(build/release/bench/observation_bench --datenwerk 127.0.0.1:18090 "$(cat "$work/key")" "$streams" "$days")
dw_rss=$(awk '/VmHWM/ {print $2}' /proc/$dw_pid/status)
kill "$dw_pid"; wait "$dw_pid" 2>/dev/null || true
http_bytes=$(du -cb "$work"/dw/datenwerk.db* | awk '/total/ {print $1}')
echo "$http"
echo "server disk: $http_bytes bytes in datenwerk.db (the one database), $(awk -v b="$http_bytes" -v n="$((streams * days * 1440))" 'BEGIN{printf "%.2f", b/n}') bytes/observation; peak RSS $((dw_rss / 1024)) MiB"
echo "== InfluxDB $(influxd version | awk '{print $2}')"
ix=$(build/release/bench/observation_bench --influx 127.0.0.1:18086 "$streams" "$days")
echo "$ix"
# Wait until InfluxDB has compacted (its size stays the same for three polls, at most 2 min).
influx_bytes=0 same=0
for _ in $(seq 60); do
  sleep 2
  now=$(du -sb "$work/data" "$work/wal" | awk '{s += $1} END {print s}')
  if [[ $now == "$influx_bytes" ]]; then same=$((same + 1)); else same=0; fi
  influx_bytes=$now
  ((same >= 3)) && break
done
influx_rss=$(awk '/VmHWM/ {print $2}' /proc/$influx_pid/status)
total=$(awk '/^influx observations/ {print $3}' <<<"$ix")
echo "influx disk: $influx_bytes bytes, $(awk -v b="$influx_bytes" -v n="$total" 'BEGIN{printf "%.2f", b/n}') bytes/observation; peak RSS $((influx_rss / 1024)) MiB"

dw_rate=$(awk '/^ingest:/ {print $2}' <<<"$dw")
ix_rate=$(awk '/^influx ingest:/ {print $3}' <<<"$ix")
dw_bytes=$(awk '/^disk:/ {print $2}' <<<"$dw")
dw_q=$(awk '/^hourly/ {print $7}' <<<"$dw")
ix_q=$(awk '/^influx hourly/ {print $8}' <<<"$ix")
http_rate=$(awk '/^server ingest:/ {print $3}' <<<"$http")
http_q=$(awk '/^server hourly/ {print $8}' <<<"$http")
echo "== ratios, server over HTTP (Datenwerk / InfluxDB)"
awk -v a="$http_rate" -v b="$ix_rate" 'BEGIN{printf "ingest rate:          %.2f (higher is better)\n", a/b}'
awk -v a="$http_q" -v b="$ix_q" 'BEGIN{printf "hourly query p50:     %.3f (lower is better)\n", a/b}'
awk -v a="$http_bytes" -v b="$influx_bytes" 'BEGIN{printf "bytes on disk:        %.2f (lower is better)\n", a/b}'
echo "== ratios, store in-process (Datenwerk / InfluxDB)"
awk -v a="$dw_rate" -v b="$ix_rate" 'BEGIN{printf "ingest rate:          %.2f (higher is better)\n", a/b}'
awk -v a="$dw_q" -v b="$ix_q" 'BEGIN{printf "hourly query p50:     %.3f (lower is better)\n", a/b}'
awk -v a="$dw_bytes" -v b="$influx_bytes" 'BEGIN{printf "bytes on disk:        %.2f (lower is better)\n", a/b}'
