#!/usr/bin/env bash
# Several nodes on one PostgreSQL 15 database (fsync on, synchronous commits), behind HAProxy with
# deploy/haproxy.cfg as it stands, on this machine:
#   * ingest: single ChirpStack uplinks (the LoRaWAN webhook shape) through HAProxy with 64 wrk
#     connections, with 1, 2 and 3 nodes: stored per second (counted on the server), and the CPU
#     seconds the nodes and PostgreSQL spent meanwhile (where the time goes);
#   * the hourly average of one Datastream's day through HAProxy (8 connections): p50, p99;
#   * from a commit on one node to another node's cache showing it (a KPI value written on node 1,
#     read back from node 2 until it appears): p50, p99 over 200 changes;
#   * bytes on disk per stored observation in PostgreSQL after VACUUM: the series tables, and all
#     tables (with the idempotency record of each uplink);
#   * failover: tests/http/failover.test.mjs (Patroni pair, etcd, two nodes behind HAProxy; kill -9
#     of a node, then a switchover): how long after the switchover writes resumed.
# Usage: bench/cluster_bench.sh [seconds per ingest step = 10]
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-10}
scripts/setup.sh --bench >/dev/null
bin=${DATENWERK_BIN:-build/release/src/app/datenwerk}
if [[ -z "${DATENWERK_BIN:-}" ]]; then
  cmake -S . -B build/release -G Ninja -DCMAKE_BUILD_TYPE=Release -DDATENWERK_TESTS=OFF -DDATENWERK_BENCH=ON >/dev/null
  cmake --build build/release --target datenwerk >/dev/null
fi
work=$(mktemp -d /tmp/datenwerk-cluster-XXXXXX)
pg_bin=/usr/lib/postgresql/15/bin
run_as=()
if [[ $(id -u) -eq 0 ]]; then chown postgres: "$work"; run_as=(runuser -u postgres --); fi
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  "${run_as[@]}" "$pg_bin/pg_ctl" -D "$work/pg" -m fast stop >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT
"${run_as[@]}" "$pg_bin/initdb" -D "$work/pg" -U datenwerk --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null
"${run_as[@]}" "$pg_bin/pg_ctl" -D "$work/pg" -l "$work/pg.log" -w \
  -o "-c listen_addresses='' -c unix_socket_directories='$work' -c port=5434 -c shared_buffers=512MB" start >/dev/null
base_conninfo="host=$work port=5434 user=datenwerk dbname=postgres"

# CPU seconds (user + system) a process and its threads have used.
cpu() { awk '{printf "%.2f", ($14 + $15) / 100}' "/proc/$1/stat" 2>/dev/null || echo 0; }
# ... and all of PostgreSQL's processes (the backends come and go: summed from the cluster's own view).
pg_cpu() {
  local total=0
  for p in $(pgrep -u postgres -f "postgres" || true); do total=$(awk -v t="$total" -v c="$(cpu "$p")" 'BEGIN { print t + c }'); done
  echo "$total"
}

thing() { python3 bench/bench_thing.py; }

echo "== several nodes on one PostgreSQL, ${seconds} s per ingest step, $(nproc) cores"
for n in 1 2 3; do
  schema="nodes$n"
  psql "$base_conninfo" -qc "CREATE SCHEMA $schema"
  db="$base_conninfo options='-c search_path=$schema'"
  key=$("$bin" --data-dir "$work/keys$n" --database "$db" apikey create --role administrator --label bench 2>/dev/null)
  node_pids=()
  for i in $(seq "$n"); do
    "$bin" --data-dir "$work/n$n-$i" --database "$db" --port $((18100 + i)) --log-level warn \
      --trusted-proxy 127.0.0.1 >"$work/n$n-$i.log" 2>&1 &
    node_pids+=($!); pids+=($!)
    for _ in $(seq 100); do curl -sf "http://127.0.0.1:$((18100 + i))/health/ready" >/dev/null && break; sleep 0.2; done
  done
  # Nodes this step does not run point at a closed port: HAProxy marks them down.
  DATENWERK_LISTEN=127.0.0.1:18100 DATENWERK_NODE1=127.0.0.1:18101 \
    DATENWERK_NODE2=127.0.0.1:$(( n >= 2 ? 18102 : 18199 )) DATENWERK_NODE3=127.0.0.1:$(( n >= 3 ? 18103 : 18199 )) \
    haproxy -db -f deploy/haproxy.cfg >"$work/haproxy$n.log" 2>&1 &
  proxy=$!; pids+=($proxy)
  sleep 3
  thing >"$work/thing.json"
  curl -sf -o /dev/null -X POST -H "Authorization: Bearer $key" -H 'Content-Type: application/json' \
    --data @"$work/thing.json" http://127.0.0.1:18101/sta/v1.1/Things
  for d in $(seq 100); do
    curl -sf -o /dev/null -X PUT -H "Authorization: Bearer $key" -H 'Content-Type: application/json' \
      --data "{\"name\":\"Sonde $d\",\"codec\":\"object\",\"fields\":{\"value\":$d}}" \
      "http://127.0.0.1:18101/api/v1/devices/$(printf '%016X' "$d")"
  done
  count() { curl -s "http://127.0.0.1:18101/sta/v1.1/Observations?\$count=true&\$top=0" | python3 -c 'import json,sys; print(json.load(sys.stdin)["@iot.count"])'; }
  before=$(count)
  cpu_before=(); for p in "${node_pids[@]}"; do cpu_before+=("$(cpu "$p")"); done
  pg_before=$(pg_cpu)
  out=$(wrk -t2 -c64 -d"${seconds}s" --latency -s bench/lua/single_uplink.lua http://127.0.0.1:18100 \
    -- "$key" 100 $(( $(date +%s) - 300 * 86400 )) 2 2>&1)
  after=$(count)
  node_cpu=""; for i in "${!node_pids[@]}"; do
    node_cpu+=" $(awk -v a="$(cpu "${node_pids[$i]}")" -v b="${cpu_before[$i]}" 'BEGIN { printf "%.1f", a - b }')"
  done
  pg_used=$(awk -v a="$(pg_cpu)" -v b="$pg_before" 'BEGIN { printf "%.1f", a - b }')
  p50=$(awk '/ 50%/ {print $2}' <<<"$out"); p99=$(awk '/ 99%/ {print $2}' <<<"$out")
  failed=$(awk -F'status ' '/^errors/ {split($2, a, ","); print a[1]}' <<<"$out")
  printf "%d node(s): %6d uplinks stored/s (p50 %s, p99 %s, failed %s); CPU s in %d s: nodes%s, PostgreSQL %s\n" \
    "$n" $(( (after - before) / seconds )) "$p50" "$p99" "${failed:-0}" "$seconds" "$node_cpu" "$pg_used"
  psql "$db" -qc "VACUUM" >/dev/null
  psql "$db" -Atc "SELECT sum(pg_total_relation_size(c.oid)) FILTER (WHERE c.relname IN ('chunk', 'chunk_open', 'archive_hour', 'archive_day', 'latest')),
                          sum(pg_total_relation_size(c.oid)) FILTER (WHERE c.relname = 'uplink_seen'),
                          sum(pg_total_relation_size(c.oid))
                   FROM pg_class c JOIN pg_namespace s ON s.oid = c.relnamespace
                   WHERE s.nspname = '$schema' AND c.relkind IN ('r', 'm')" |
    awk -F'|' -v n="$after" '{ printf "          on disk after VACUUM, per observation: %.1f bytes in the series tables (open tail chunks), %.1f in the uplink records, %.1f in all tables (%d observations)\n", $1 / n, $2 / n, $3 / n, n }'
  # The hourly average of one Datastream's last day (the uplinks just stored lie ~300 days back).
  day=$(date -u -d "@$(( $(date +%s) - 300 * 86400 ))" +%Y-%m-%d)
  query=$(wrk -t2 -c8 -d5s --latency \
    "http://127.0.0.1:18100/api/v1/datastreams/1/aggregate?from=${day}T00:00:00Z&to=$(date -u -d "$day + 1 day" +%Y-%m-%d)T00:00:00Z&interval=1h" 2>&1)
  printf "          hourly average of a day: %s requests/s, p50 %s, p99 %s\n" \
    "$(awk '/Requests\/sec/ {printf "%d", $2}' <<<"$query")" "$(awk '/ 50%/ {print $2}' <<<"$query")" "$(awk '/ 99%/ {print $2}' <<<"$query")"
  if [[ $n -ge 2 ]]; then
    python3 - "$key" <<'PY'
import json, sys, time, urllib.request
key = sys.argv[1]
def call(port, method, path, body=None):
    req = urllib.request.Request(f"http://127.0.0.1:{port}{path}", method=method,
                                 data=None if body is None else json.dumps(body).encode(),
                                 headers={"Content-Type": "application/json", "Authorization": f"Bearer {key}"})
    with urllib.request.urlopen(req) as r:
        return json.loads(r.read() or b"null")
seen = []
for i in range(200):
    value = round(10 + i / 100, 2)
    call(18101, "POST", "/api/v1/kpis/SCBOK-ZI-NI-K1.1/values", {"date": "2026-01-01", "value": value})
    start = time.perf_counter()
    while True:
        items = call(18102, "GET", "/api/v1/kpis/SCBOK-ZI-NI-K1.1/values?limit=500")["items"]
        if any(v["value"] == value for v in items):
            break
        if time.perf_counter() - start > 5:
            raise SystemExit("node 2 never showed the value")
    seen.append((time.perf_counter() - start) * 1000)
seen.sort()
print("          commit on node 1 to node 2's cache: p50 %.1f ms, p99 %.1f ms (200 changes; node 2's reads included)" %
      (seen[len(seen) // 2], seen[int(len(seen) * 0.99) - 1]))
PY
  fi
  for p in "${node_pids[@]}" "$proxy"; do kill "$p"; wait "$p" 2>/dev/null || true; done
  pids=()
done

# Failover, with the test's own Patroni pair and nodes (it prints the figure).
bin_path=$(realpath "$bin")
for round in 1 2 3; do
  (cd tests/http && DATENWERK_BIN="$bin_path" DATENWERK_SOURCE_DIR="$(realpath ../..)" node --test failover.test.mjs 2>&1) |
    grep -o 'writes resumed after [0-9]* ms' | sed "s/^/failover, round $round (Patroni switchover, 2 nodes behind HAProxy): /" || true
done
