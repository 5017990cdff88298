// How long the monthly live KPIs (src/livekpi) take over a year of data: D stations with one
// Datastream each and a reading a minute for 365 days (bench/workload.mjs), then each of the 12
// months computed through POST /api/v1/kpis-automatisch/berechnen?monat=…, and the month so far.
// Prints the ingest rate and the time per month (the server's own measure and the request's).
// Usage: DATENWERK_BIN=... node bench/live_kpi_bench.mjs [stations=100] [days=365]
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnServer, BIN } from '../tests/support/server.mjs';
import { setupThings, createObservationsBodies, poster } from './workload.mjs';

const [D, DAYS] = [Number(process.argv[2] || 100), Number(process.argv[3] || 365)];
const dir = mkdtempSync(join(tmpdir(), 'datenwerk-livekpi-bench-'));
const key = execFileSync(BIN, ['--data-dir', dir, 'apikey', 'create', '--label', 'bench'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
const server = await spawnServer(['--data-dir', dir, '--port', '0', '--body-limit', String(64 << 20), '--containers-total', '100']);
const base = `http://127.0.0.1:${server.port}`;
const post = poster(base, key);
try {
  await setupThings((p, b) => post('/sta/v1.1' + p, b), D);
  // A year up to the start of this month.
  const now = new Date();
  const end = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1);
  const start = end - DAYS * 86400000;
  const minutes = DAYS * 1440;
  const t0 = performance.now();
  const source = createObservationsBodies(D, minutes, 1440, 10, start);
  await Promise.all(Array.from({ length: 2 }, async () => {
    for (let next = source.next(); !next.done; next = source.next()) await post('/sta/v1.1/CreateObservations', next.value);
  }));
  const ingest = (performance.now() - t0) / 1000;
  console.log(`${D} stations x ${DAYS} days of one-minute readings: ${D * minutes} readings in ${ingest.toFixed(1)} s (${Math.round(D * minutes / ingest)}/s)`);
  const times = [];
  for (let m = 12; m >= 0; m--) {
    const month = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - m, 1)).toISOString().slice(0, 7);
    const t = performance.now();
    const report = JSON.parse(await post(`/api/v1/kpis-automatisch/berechnen?monat=${month}`, ''));
    const ms = performance.now() - t;
    times.push(ms);
    const k12 = report.written.find((w) => w.kpi === 'SCBOK-NMU-KK-K1.2')?.value;
    console.log(`  ${month}: ${ms.toFixed(0)} ms (server ${(report.seconds * 1000).toFixed(0)} ms), ${report.written.length} values, K1.2 = ${k12}`);
  }
  const sorted = [...times].sort((a, b) => a - b);
  console.log(`monthly KPIs over ${D} stations: median ${sorted[Math.floor(sorted.length / 2)].toFixed(0)} ms, max ${sorted.at(-1).toFixed(0)} ms per month`);
} finally {
  server.child.kill('SIGTERM');
  await new Promise((r) => server.child.once('exit', r));
  rmSync(dir, { recursive: true, force: true });
}
