#!/usr/bin/env bash
# Two builds in the same run, turn by turn, with the same clients: bench/sta_ingest.mjs
# (CreateObservations into the embedded store, then hourly averages per Datastream) and
# bench/backoffice_bench.mjs (sign-in, a 10,000-value spreadsheet import, publishing, page
# latencies). For a change's "before and after": BEFORE and AFTER are datenwerk binaries.
# Usage: bench/before_after.sh BEFORE_BIN AFTER_BIN [datastreams=100] [minutes=14400]
set -euo pipefail
cd "$(dirname "$0")/.."
before=${1:?before binary}
after=${2:?after binary}
datastreams=${3:-100}
minutes=${4:-14400}
for round in 1 2; do
  for label in before after; do
    bin=$before; [[ $label == after ]] && bin=$after
    echo "== $label (round $round): sta_ingest $datastreams x $minutes"
    DATENWERK_BIN=$bin node bench/sta_ingest.mjs "$datastreams" "$minutes" 1000 10 2 --aggregate | grep -E "^ingest|^disk|hourly"
  done
done
for label in before after; do
  bin=$before; [[ $label == after ]] && bin=$after
  echo "== $label: backoffice_bench"
  DATENWERK_BIN=$bin node bench/backoffice_bench.mjs
done
