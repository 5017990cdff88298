#!/usr/bin/env bash
# The open-data catalogue (/catalog) as a harvester fetches it: every page of 100 datasets in
# Turtle, JSON-LD and RDF/XML, on two servers: the demo data (Bochum's catalogue and its imported
# open sensor data) and a large city (10,000 Datastreams in 1,000 stations). Prints datasets,
# pages, bytes and the time for one whole harvest (best of 5, warm: pages come from the page cache
# until the data changes), and the first request after start (cold: the sensor stations are read
# from the SensorThings store). The peer in the same
# run: nginx serving the very same pages as static files.
# Usage: bench/catalog_bench.sh [stations=1000] [datastreams per station=10]
set -euo pipefail
cd "$(dirname "$0")/.."
stations=${1:-1000}
per_station=${2:-10}
scripts/setup.sh --bench >/dev/null
bin=${DATENWERK_BIN:-build/release/src/app/datenwerk}
if [[ -z "${DATENWERK_BIN:-}" ]]; then
  cmake -S . -B build/release -G Ninja -DCMAKE_BUILD_TYPE=Release -DDATENWERK_TESTS=OFF >/dev/null
  cmake --build build/release --target datenwerk >/dev/null
fi
work=$(mktemp -d /tmp/datenwerk-catalog-XXXXXX)
port=18096
ng_port=18097
cleanup() {
  [[ -n "${dw_pid:-}" ]] && kill "$dw_pid" 2>/dev/null || true
  [[ -f $work/nginx.pid ]] && kill "$(cat "$work/nginx.pid")" 2>/dev/null || true
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

start() {  # data dir
  "$bin" --data-dir "$1" --port $port --log-level warn --public-url "http://127.0.0.1:$port" >"$1.log" 2>&1 &
  dw_pid=$!
  for _ in $(seq 100); do curl -sf "http://127.0.0.1:$port/api/v1" >/dev/null && break; sleep 0.1; done
}
stop() { kill "$dw_pid"; wait "$dw_pid" 2>/dev/null || true; dw_pid=; }

# One harvest of all pages of one syntax over one connection: "seconds bytes pages".
harvest() {  # base ext
  python3 - "$1" "$2" <<'PY'
import http.client, re, sys, time, urllib.parse
base, ext = sys.argv[1], sys.argv[2]
u = urllib.parse.urlparse(base)
conn = http.client.HTTPConnection(u.hostname, u.port)
path, total, pages = f"/catalog.{ext}", 0, 0
start = time.perf_counter()
while path:
    conn.request("GET", path)
    r = conn.getresponse()
    body = r.read()
    assert r.status == 200, (path, r.status, body[:200])
    total += len(body); pages += 1
    m = re.search(rb'catalog\.' + ext.encode() + rb'\?page=(\d+)', body[body.find(b'nextPage'):] if b'nextPage' in body else b'')
    path = f"/catalog.{ext}?page={m.group(1).decode()}" if m else None
print(f"{time.perf_counter() - start:.4f} {total} {pages}")
PY
}

report() {  # label base
  local label=$1 base=$2
  for ext in ttl jsonld rdf; do
    local best=999 bytes pages
    for _ in 1 2 3 4 5; do
      read -r t bytes pages < <(harvest "$base" "$ext")
      best=$(awk -v a="$t" -v b="$best" 'BEGIN { print (a < b) ? a : b }')
    done
    printf '%-34s %-7s %6d pages %10d bytes  harvest %8.1f ms\n' "$label" "$ext" "$pages" "$bytes" "$(awk -v t="$best" 'BEGIN { print t * 1000 }')"
    echo "$label $ext $best" >>"$work/times"
  done
}

cold() {  # label
  local t
  t=$(curl -s -o /dev/null -w '%{time_total}' "http://127.0.0.1:$port/catalog.ttl")
  printf '%-34s first page after start (cold)  %8.1f ms\n' "$1" "$(awk -v t="$t" 'BEGIN { print t * 1000 }')"
}

echo "== catalogue: demo data (Bochum's catalogue and open sensor data)"
"$bin" --data-dir "$work/demo" import-sensors ../shared/realdata >/dev/null 2>&1
demo_key=$("$bin" --data-dir "$work/demo" apikey create --role administrator --label bench 2>/dev/null)
start "$work/demo"
# The city's licence for its own data, so that the strategy and the KPIs are published too.
curl -sf -o /dev/null -X PUT -H "Authorization: Bearer $demo_key" -H 'Content-Type: application/json' \
  --data '{"license":"http://dcat-ap.de/def/licenses/dl-by-de/2.0","attribution":"Stadt Bochum"}' \
  "http://127.0.0.1:$port/api/v1/open-data/curations/standard"
cold "demo"
datasets=$(curl -s "http://127.0.0.1:$port/catalog.ttl" | grep -c '^    a dcat:Dataset' || true)
echo "demo: $datasets datasets, $(curl -s "http://127.0.0.1:$port/sta/v1.1/Datastreams?\$count=true&\$top=0" | python3 -c 'import json,sys; print(json.load(sys.stdin)["@iot.count"])') Datastreams"
report "demo" "http://127.0.0.1:$port"
stop

echo "== catalogue: $stations stations x $per_station Datastreams"
key=$("$bin" --data-dir "$work/city" apikey create --role administrator --label bench 2>/dev/null)
start "$work/city"
python3 - "http://127.0.0.1:$port" "$key" "$stations" "$per_station" <<'PY'
import http.client, json, sys, urllib.parse
base, key, stations, per = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
u = urllib.parse.urlparse(base)
conn = http.client.HTTPConnection(u.hostname, u.port)
for s in range(stations):
    thing = {"name": f"Messstelle {s}", "description": "Pegel und Wetter",
             "Datastreams": [{"name": f"Größe {d}", "description": "d", "observationType": "OM_Measurement",
                              "unitOfMeasurement": {"name": "Grad Celsius", "symbol": "°C"},
                              "Sensor": {"name": "s", "description": "d", "encodingType": "text/html", "metadata": "m"},
                              "ObservedProperty": {"name": f"p{d}", "definition": "d", "description": "d"}}
                             for d in range(per)]}
    conn.request("POST", "/sta/v1.1/Things", json.dumps(thing),
                 {"Authorization": f"Bearer {key}", "Content-Type": "application/json", "Prefer": "return=minimal"})
    r = conn.getresponse(); r.read()
    assert r.status in (200, 201, 204), r.status
PY
stop
start "$work/city"
cold "$stations stations"
report "$stations stations" "http://127.0.0.1:$port"

# The peer: nginx serving the same pages as files.
mkdir -p "$work/www" "$work/tmp"
for ext in ttl jsonld rdf; do
  n=1
  while :; do
    curl -sf "http://127.0.0.1:$port/catalog.$ext?page=$n" -o "$work/www/page-$ext-$n" || break
    n=$((n + 1))
  done
done
stop
cat >"$work/nginx.conf" <<CONF
worker_processes 2;
pid $work/nginx.pid;
error_log $work/nginx-error.log;
events { worker_connections 1024; }
http {
  access_log off;
  client_body_temp_path $work/tmp; proxy_temp_path $work/tmp; fastcgi_temp_path $work/tmp;
  uwsgi_temp_path $work/tmp; scgi_temp_path $work/tmp;
  map \$arg_page \$page { "" 1; default \$arg_page; }
  server {
    listen 127.0.0.1:$ng_port;
    root $work/www;
    location ~ ^/catalog\.(?<syntax>ttl|jsonld|rdf)$ {
      default_type text/plain;
      try_files /page-\$syntax-\$page =404;
    }
  }
}
CONF
chmod -R a+rX "$work"
nginx -c "$work/nginx.conf"
for _ in $(seq 50); do curl -sf "http://127.0.0.1:$ng_port/catalog.ttl" >/dev/null && break; sleep 0.1; done
report "nginx, the same pages as files" "http://127.0.0.1:$ng_port"
echo "== ratio Datenwerk / nginx, whole harvest (lower is better)"
for ext in ttl jsonld rdf; do
  awk -v e="$ext" -v l="$stations stations" '$0 ~ "^"l" "e" " { d = $NF } $1 == "nginx," && $(NF-1) == e { n = $NF } END { printf "  %-7s %.2f\n", e, d / n }' "$work/times"
done
