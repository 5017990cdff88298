#!/usr/bin/env bash
# Installs what Datenwerk needs to build, run and test on Debian 12 (bookworm): Debian packages
# and the npm packages of package-lock.json. Idempotent: installs only what is missing.
# Usage: scripts/setup.sh [--bench|--fuzz|--cluster]   (--bench adds wrk, nginx and victoria-metrics for bench/,
# --fuzz clang for the fuzzers and scripts/thread_safety.sh, --cluster HAProxy, Patroni and etcd for the tests of
# several nodes)
set -euo pipefail
cd "$(dirname "$0")/.."

packages=(
  g++ cmake ninja-build pkg-config
  libboost1.81-dev libboost-json1.81-dev
  libsqlite3-dev libpq-dev libssl-dev libsimdjson-dev
  libspdlog-dev libfmt-dev libcli11-dev
  libgtest-dev libgmock-dev libbenchmark-dev
  libmosquitto-dev mosquitto-dev mosquitto mosquitto-clients libgeos-dev curl
  libsodium-dev libzstd-dev libcurl4-openssl-dev libxlsxwriter-dev libldap2-dev slapd ldap-utils
  libtcmalloc-minimal4 zlib1g-dev libvips-dev libvips-tools libimage-exiftool-perl proj-bin
  postgresql chromium
)
if [[ "${1:-}" == "--bench" ]]; then packages+=(wrk nginx-light victoria-metrics sqlite3); fi
if [[ "${1:-}" == "--fuzz" ]]; then packages+=(clang libclang-rt-14-dev python3); fi
# The tests of several nodes (scripts/test.sh): HAProxy in front, Patroni with etcd for failover.
if [[ "${1:-}" == "--cluster" || "${1:-}" == "--bench" ]]; then packages+=(haproxy patroni etcd-server); fi
if ! command -v node >/dev/null 2>&1; then packages+=(nodejs npm); fi

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "setup: installing ${missing[*]}"
  sudo_cmd=()
  if [[ $(id -u) -ne 0 ]]; then sudo_cmd=(sudo); fi
  "${sudo_cmd[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

node_major=$(node -p 'process.versions.node.split(".")[0]')
if ((node_major < 18)); then
  echo "setup: Node.js 18 or newer is needed, found $(node --version)" >&2
  exit 1
fi
# The lock file pins uPlot, axe-core and playwright-core (which drives Debian's chromium; it
# downloads no browser of its own).
if ! npm ls --depth=0 >/dev/null 2>&1; then
  npm ci --no-audit --no-fund --loglevel=error
fi
