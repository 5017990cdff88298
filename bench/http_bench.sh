#!/usr/bin/env bash
# Requests/s and p99 latency of GET /api/v1/kpis and of the start page with wrk at 64 and 1,000
# keep-alive connections, next to nginx serving a static file of the same size on the same
# machine in the same run. The ratio (Datenwerk / nginx) is the figure.
# Usage: bench/http_bench.sh [seconds per run, default 10]
set -euo pipefail
cd "$(dirname "$0")/.."
duration=${1:-10}
scripts/setup.sh --bench >/dev/null
cmake -S . -B build/release -G Ninja -DCMAKE_BUILD_TYPE=Release -DDATENWERK_TESTS=OFF -DDATENWERK_BENCH=OFF >/dev/null
cmake --build build/release --target datenwerk >/dev/null
ulimit -n "$(ulimit -Hn)"  # 1,000 connections need more than the usual 1,024 descriptors

work=$(mktemp -d /tmp/datenwerk-bench-XXXXXX)
dw_port=18080
ng_port=18081
cleanup() {
  [[ -n "${dw_pid:-}" ]] && kill "$dw_pid" 2>/dev/null || true
  [[ -f $work/nginx.pid ]] && kill "$(cat "$work/nginx.pid")" 2>/dev/null || true
  sleep 0.5
  rm -rf "$work"
}
trap cleanup EXIT

build/release/src/app/datenwerk --data-dir "$work/data" --port $dw_port --log-level warn &
dw_pid=$!
for _ in $(seq 50); do curl -sf "http://127.0.0.1:$dw_port/api/v1" >/dev/null && break; sleep 0.1; done

# The peer serves byte-for-byte the same documents as static files.
mkdir -p "$work/www/api/v1"
curl -sf "http://127.0.0.1:$dw_port/api/v1/kpis" -o "$work/www/api/v1/kpis"
curl -sf "http://127.0.0.1:$dw_port/" -o "$work/www/index.html"
cat > "$work/nginx.conf" <<CONF
worker_processes $(nproc);
pid $work/nginx.pid;
error_log $work/nginx-error.log;
events { worker_connections 4096; }
http {
  access_log off;
  keepalive_requests 10000000;
  keepalive_timeout 60;
  client_body_temp_path $work/tmp; proxy_temp_path $work/tmp; fastcgi_temp_path $work/tmp;
  uwsgi_temp_path $work/tmp; scgi_temp_path $work/tmp;
  server {
    listen 127.0.0.1:$ng_port;
    root $work/www;
    location = /api/v1/kpis { default_type application/json; }
    location = / { index index.html; }
  }
}
CONF
mkdir -p "$work/tmp"
chmod -R a+rX "$work"  # nginx workers run as www-data
nginx -c "$work/nginx.conf"
for _ in $(seq 50); do curl -sf "http://127.0.0.1:$ng_port/api/v1/kpis" >/dev/null && break; sleep 0.1; done

# wrk prints "Requests/sec: N" and, with --latency, a "99%  X.XXms" line.
measure() {
  local url=$1 conns=$2 out
  out=$(wrk -t2 -c"$conns" -d"${duration}s" --latency "$url")
  local rps p99
  rps=$(awk '/Requests\/sec/ {print $2}' <<<"$out")
  p99=$(awk '$1 == "99%" {print $2}' <<<"$out")
  local errors
  errors=$(awk '/Non-2xx|Socket errors/ {print}' <<<"$out" | tr '\n' ' ')
  echo "$rps $p99 ${errors:-}"
}
to_ms() {  # wrk prints us, ms or s
  awk -v v="$1" 'BEGIN { n = v + 0; if (v ~ /us$/) n /= 1000; else if (v ~ /ms$/) n += 0; else if (v ~ /s$/) n *= 1000; printf "%.2f", n }'
}

size_api=$(stat -c %s "$work/www/api/v1/kpis")
size_page=$(stat -c %s "$work/www/index.html")
echo "Datenwerk vs nginx (static copy of the same bytes), wrk -t2, ${duration}s per run, $(nproc) cores"
printf "%-22s %6s %12s %10s %12s %10s %9s %9s\n" target conns "dw req/s" "dw p99ms" "nginx req/s" "ng p99ms" "rps ratio" "p99 ratio"
for target in "/api/v1/kpis:$size_api" "/:$size_page"; do
  path=${target%%:*}
  for conns in 64 1000; do
    read -r dw_rps dw_p99 dw_err < <(measure "http://127.0.0.1:$dw_port$path" "$conns")
    read -r ng_rps ng_p99 ng_err < <(measure "http://127.0.0.1:$ng_port$path" "$conns")
    dw_ms=$(to_ms "$dw_p99")
    ng_ms=$(to_ms "$ng_p99")
    printf "%-22s %6s %12s %10s %12s %10s %9s %9s\n" "$path (${target##*:} B)" "$conns" "$dw_rps" "$dw_ms" "$ng_rps" "$ng_ms" \
      "$(awk -v a="$dw_rps" -v b="$ng_rps" 'BEGIN{printf "%.2f", a/b}')" \
      "$(awk -v a="$dw_ms" -v b="$ng_ms" 'BEGIN{printf "%.2f", a/b}')"
    [[ -n "$dw_err$ng_err" ]] && echo "  errors: datenwerk: ${dw_err:-none}; nginx: ${ng_err:-none}"
  done
done
echo "Datenwerk peak RSS: $(awk '/VmHWM/ {print $2, $3}' /proc/$dw_pid/status)"
