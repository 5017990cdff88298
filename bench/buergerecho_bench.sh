#!/usr/bin/env bash
# BürgerEcho at a city's volume: REPORTS reports (default 100,000: seven years of Bochum's
# ~15,000 a year) spread over seven years are loaded into the database, then measured with wrk
# (8 connections, 5 s each, latency p50 / p99):
#   Open311 GET requests.json as FixMyStreet asks (the default: last 90 days, at most 1,000),
#   with filters (a category, open, one year), a deep page, one request; the public list
#   (/buergerecho, filtered, page 1 of the district) and a report's page; the map's markers for
#   the whole city (zoom 12) and for a few streets (zoom 16);
# and filing through Open311 POST (2,000 reports, 50 in flight: reports/s, p50 / p99), then with
# a 12-megapixel phone photo of 5.3 MB each: 20 one after the other, and 200 with 50 in flight.
# The peer in the same run: nginx serving the very same answers as static files.
# Positions are the real places of ../shared/geo/places.csv, as given.
# Usage: bench/buergerecho_bench.sh [reports=100000]
set -euo pipefail
cd "$(dirname "$0")/.."
reports=${1:-100000}
scripts/setup.sh --bench >/dev/null
bin=${DATENWERK_BIN:-build/release/src/app/datenwerk}
if [[ -z "${DATENWERK_BIN:-}" ]]; then
  cmake -S . -B build/release -G Ninja -DCMAKE_BUILD_TYPE=Release -DDATENWERK_TESTS=OFF >/dev/null
  cmake --build build/release --target datenwerk >/dev/null
fi
places=${PLACES:-../shared/geo/places.csv}
work=$(mktemp -d /tmp/datenwerk-echo-bench-XXXXXX)
port=18098
ng_port=18099
cleanup() {
  [[ -n "${dw_pid:-}" ]] && kill "$dw_pid" 2>/dev/null || true
  [[ -f $work/nginx.pid ]] && kill "$(cat "$work/nginx.pid")" 2>/dev/null || true
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

# Four apps' keys: each may file 600 at once (the per-key limit), 2,000 in all.
keys=$(for i in 1 2 3 4; do "$bin" --data-dir "$work" apikey create --role viewer --label "bench $i" 2>/dev/null; done | paste -sd,)
"$bin" --data-dir "$work" migrate >/dev/null 2>&1
# The reports straight into the database: one every ~30 minutes back from now over seven years,
# categories in turn, older ones mostly done, positions from places.csv.
python3 - "$reports" "$places" >"$work/load.sql" <<'PY'
import csv, random, sys, time
n = int(sys.argv[1])
rows = list(csv.DictReader(open(sys.argv[2], encoding='utf-8')))
points = [(float(r['lat']), float(r['lon'])) for r in rows]
codes = [('strasse', 'tiefbau'), ('gehweg', 'tiefbau'), ('muell', 'usb'), ('papierkorb', 'usb'), ('gruen', 'gruen'),
         ('spielplatz', 'gruen'), ('sonstiges', 'koordination'), ('idee', 'koordination')]
districts = ['Mitte', 'Wattenscheid', 'Nord', 'Ost', 'Süd', 'Südwest']
random.seed(7)
now = int(time.time() * 1000)
span = 7 * 365 * 86400 * 1000
print('BEGIN;')
for i in range(1, n + 1):
    at = now - span + (span * i) // n
    code, office = codes[i % len(codes)]
    lat, lon = points[i % len(points)]
    age_days = (now - at) / 86400000
    status = 'done' if age_days > 60 and random.random() < 0.85 else random.choice(['received', 'in_progress', 'scheduled'])
    print(f"INSERT INTO echo_reports VALUES ({i},'t{i}','{code}','Meldung {i}: Beschreibung des Mangels',{lat},{lon},'',"
          f"'{districts[i % 6]}','{office}','{status}','',"
          f"'person{i}@example.org','',0,'{{}}','open311',{at},{at + 3600000},0);")
    print(f"INSERT INTO echo_report_events VALUES ({i},{i},{at},'received','','');")
print('COMMIT;')
PY
sqlite3 "$work/datenwerk.db" <"$work/load.sql"
echo "loaded $(sqlite3 "$work/datenwerk.db" 'SELECT COUNT(*) FROM echo_reports') reports over seven years"

"$bin" --data-dir "$work" --port "$port" --log-level warn &
dw_pid=$!
for _ in $(seq 100); do curl -sf "http://127.0.0.1:$port/api/v1" >/dev/null && break; sleep 0.1; done

year_start=$(date -u -d '1 year ago' +%Y-%m-%dT%H:%M:%SZ)
now_utc=$(date -u +%Y-%m-%dT%H:%M:%SZ)
declare -a names=(
  "open311 requests.json (default: 90 days, <=1000)"
  "open311 requests.json?service_code=strasse&status=open, one year"
  "open311 requests.json?page=50&page_size=100, one year"
  "open311 requests/50000.json"
  "page /buergerecho?stand=offen&bezirk=Mitte"
  "page /buergerecho/meldungen/50000"
  "map karte.json, whole city (zoom 12)"
  "map karte.json, a few streets around the Westpark (zoom 16)"
)
declare -a paths=(
  "/open311/v2/requests.json"
  "/open311/v2/requests.json?service_code=strasse&status=open&start_date=$year_start&end_date=$now_utc"
  "/open311/v2/requests.json?page=50&page_size=100&start_date=$year_start&end_date=$now_utc"
  "/open311/v2/requests/50000.json"
  "/buergerecho?stand=offen&bezirk=Mitte"
  "/buergerecho/meldungen/50000"
  "/buergerecho/karte.json?zoom=12&bbox=7.08,51.40,7.36,51.54"
  "/buergerecho/karte.json?zoom=16&bbox=7.185,51.478,7.205,51.490"
)
measure() {  # label base
  for i in "${!paths[@]}"; do
    out=$(wrk -t2 -c8 -d5s --latency "$2${paths[$i]}" 2>&1)
    p50=$(awk '$1 == "50%" { print $2 }' <<<"$out")
    p99=$(awk '$1 == "99%" { print $2 }' <<<"$out")
    rps=$(awk '/Requests\/sec/ { print $2 }' <<<"$out")
    printf '%-9s %-70s p50 %8s  p99 %8s  %8s req/s\n' "$1" "${names[$i]}" "$p50" "$p99" "$rps" | tee -a "$work/times"
  done
}
mkdir -p "$work/www" "$work/tmp"
for i in "${!paths[@]}"; do curl -sf "http://127.0.0.1:$port${paths[$i]}" -o "$work/www/f$i"; done
echo "bytes: $(for i in "${!paths[@]}"; do printf '%s ' "$(stat -c %s "$work/www/f$i")"; done)"
measure datenwerk "http://127.0.0.1:$port"

# Filing: 2,000 reports, 50 in flight, through Open311.
node bench/buergerecho_submit.mjs "http://127.0.0.1:$port" "$keys" 2000 50 "$places"
echo "peak RSS of the server: $(awk '/VmHWM/ { printf "%.0f MiB", $2 / 1024 }' /proc/$dw_pid/status)"
# Photos: a 12-megapixel JPEG of 5.3 MB, as a phone takes it (noise compresses like detail does).
vips gaussnoise "$work/g.v" 4000 3000 --mean 128 --sigma 12
vips bandjoin "$work/g.v $work/g.v $work/g.v" "$work/b.v"
vips copy "$work/b.v" "$work/c.v" --interpretation srgb
vips jpegsave "$work/c.v" "$work/photo.jpg" --Q 92
node bench/buergerecho_submit.mjs "http://127.0.0.1:$port" "$keys" 20 1 "$places" "$work/photo.jpg"
node bench/buergerecho_submit.mjs "http://127.0.0.1:$port" "$keys" 200 50 "$places" "$work/photo.jpg"
echo "peak RSS of the server after the photos: $(awk '/VmHWM/ { printf "%.0f MiB", $2 / 1024 }' /proc/$dw_pid/status)"

# The peer: nginx with the same answers as files, chosen by the whole request URI.
{
  echo "worker_processes 2; pid $work/nginx.pid; error_log $work/nginx-error.log; events { worker_connections 1024; }"
  echo "http { access_log off; client_body_temp_path $work/tmp; proxy_temp_path $work/tmp; fastcgi_temp_path $work/tmp;"
  echo "  uwsgi_temp_path $work/tmp; scgi_temp_path $work/tmp; default_type application/json; map_hash_bucket_size 256;"
  echo "  map \$request_uri \$file { default /none;"
  for i in "${!paths[@]}"; do echo "    \"${paths[$i]}\" /f$i;"; done
  echo "  }"
  echo "  server { listen 127.0.0.1:$ng_port; root $work/www; location / { try_files \$file =404; } }"
  echo "}"
} >"$work/nginx.conf"
chmod -R a+rX "$work"
nginx -c "$work/nginx.conf"
for _ in $(seq 50); do curl -sf "http://127.0.0.1:$ng_port/open311/v2/requests.json" >/dev/null && break; sleep 0.1; done
measure nginx "http://127.0.0.1:$ng_port"
echo "== ratio Datenwerk / nginx, p50 (lower is better)"
to_ms() { awk '{ v = $1; if (v ~ /us$/) { sub(/us$/, "", v); v /= 1000 } else if (v ~ /ms$/) { sub(/ms$/, "", v) } else if (v ~ /s$/) { sub(/s$/, "", v); v *= 1000 } printf "%.3f", v }' <<<"$1"; }
for i in "${!names[@]}"; do
  d=$(grep -F "datenwerk ${names[$i]}" "$work/times" | awk '{ for (k = 1; k <= NF; k++) if ($k == "p50") print $(k + 1) }')
  n=$(grep -F "nginx     ${names[$i]}" "$work/times" | awk '{ for (k = 1; k <= NF; k++) if ($k == "p50") print $(k + 1) }')
  printf '  %-70s %6.2f\n' "${names[$i]}" "$(awk -v a="$(to_ms "$d")" -v b="$(to_ms "$n")" 'BEGIN { print a / b }')"
done
