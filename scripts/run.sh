#!/usr/bin/env bash
# Builds Datenwerk and starts it on http://localhost:8080 with the embedded SQLite store in
# ./var; on first start it imports Bochum's catalogue from data/bochum.
#
# By default this is the demonstration a new user should see alive: Bochum's own open sensor
# data (../shared/realdata, CC0) is imported and replayed in the present ("Wiedergabe"), and the
# simulated fleet (soil moisture, rain, air, a lake probe, glass containers; "Simulierte Daten")
# is back-filled for 30 days and then keeps sending live. Open http://localhost:8080/klima.
#   scripts/run.sh --no-demo    a plain server for a real deployment: no replay, no simulation
# Other arguments go to the server, e.g. scripts/run.sh --port 9000 (see: datenwerk --help).
#
# Also built: the Mosquitto plugin for SensorThings MQTT topics with $select/$filter, at
# build/release/src/broker/libdatenwerk_mosquitto.so. The demonstration starts a Mosquitto with
# it on 127.0.0.1:1884 (DATENWERK_DEMO_MQTT_PORT) when Mosquitto is installed, and the server
# with --mqtt on it: e.g. mosquitto_sub -p 1884 -t 'v1.1/Datastreams(1)/Observations?$select=result'.
set -euo pipefail
cd "$(dirname "$0")/.."
demo=1
args=()
for arg in "$@"; do
  if [[ "$arg" == "--no-demo" ]]; then demo=0; else args+=("$arg"); fi
done
scripts/setup.sh
cmake -S . -B build/release -G Ninja -DCMAKE_BUILD_TYPE=Release -DDATENWERK_TESTS=OFF -DDATENWERK_BENCH=OFF >/dev/null
cmake --build build/release --target datenwerk datenwerk_mosquitto
bin=build/release/src/app/datenwerk
plugin="$PWD/build/release/src/broker/libdatenwerk_mosquitto.so"
echo "run.sh: the Mosquitto plugin for SensorThings MQTT topics with \$select/\$filter: $plugin" >&2

# Defaults only for what the caller did not set (a second --port is an error to the server).
port=8080
data=var
for ((i = 0; i < ${#args[@]}; i++)); do
  case "${args[$i]}" in
    --port) port="${args[$((i + 1))]:-$port}" ;;
    --port=*) port="${args[$i]#--port=}" ;;
    --data-dir) data="${args[$((i + 1))]:-$data}" ;;
    --data-dir=*) data="${args[$i]#--data-dir=}" ;;
  esac
done
defaults=()
[[ " ${args[*]-} " == *" --port "* || " ${args[*]-} " == *" --port="* ]] || defaults+=(--port "$port")
[[ " ${args[*]-} " == *" --data-dir "* || " ${args[*]-} " == *" --data-dir="* ]] || defaults+=(--data-dir "$data")

if [[ $demo == 0 ]]; then
  exec "$bin" "${defaults[@]}" "${args[@]}"
fi

realdata="${DATENWERK_REALDATA:-../shared/realdata}"
if [[ -d "$realdata" ]]; then
  "$bin" --data-dir "$data" import-sensors "$realdata"
else
  echo "run.sh: no open sensor data at $realdata (set DATENWERK_REALDATA): no replay" >&2
fi
key_file="$data/simulation.key"
if [[ ! -s "$key_file" ]]; then
  "$bin" --data-dir "$data" apikey create --role administrator --label "Simulation (run.sh)" > "$key_file"
  chmod 600 "$key_file"
fi
# A broker with the plugin, unless Mosquitto is missing, the caller named one, or the port is taken.
mqtt=()
if command -v mosquitto >/dev/null && [[ " ${args[*]-} " != *" --mqtt"* ]]; then
  mqtt_port="${DATENWERK_DEMO_MQTT_PORT:-1884}"
  mkdir -p "$data"
  printf 'listener %s 127.0.0.1\nallow_anonymous true\npersistence false\nplugin %s\n' \
    "$mqtt_port" "$plugin" > "$data/mosquitto.conf"
  mosquitto -c "$data/mosquitto.conf" > "$data/mosquitto.log" 2>&1 &
  broker=$!
  for _ in $(seq 1 50); do
    (exec 3<>"/dev/tcp/127.0.0.1/$mqtt_port") 2>/dev/null && break
    kill -0 "$broker" 2>/dev/null || break
    sleep 0.1
  done
  if kill -0 "$broker" 2>/dev/null; then
    mqtt=(--mqtt "127.0.0.1:$mqtt_port")
    echo "run.sh: Mosquitto with the plugin on 127.0.0.1:$mqtt_port (log: $data/mosquitto.log)" >&2
  else
    echo "run.sh: Mosquitto did not start on port $mqtt_port (see $data/mosquitto.log): no MQTT" >&2
    broker=
  fi
fi
"$bin" "${defaults[@]}" "${args[@]}" "${mqtt[@]}" --replay &
server=$!
trap 'kill $server ${simulator:-} ${broker:-} 2>/dev/null; wait' INT TERM EXIT
for _ in $(seq 1 100); do
  curl -fsS -o /dev/null "http://127.0.0.1:$port/" 2>/dev/null && break
  sleep 0.2
done
"$bin" simulate --url "http://127.0.0.1:$port" --key "$(cat "$key_file")" --backfill-days 30 --connections 2 --live &
simulator=$!
echo "run.sh: Datenwerk on http://localhost:$port/ – Klima-Dashboard: http://localhost:$port/klima" >&2
wait $server
