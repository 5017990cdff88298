// Reads while staff and machines write: W concurrent writers POST KPI values as fast as the
// server takes them, while R readers GET the portal's hot documents (the KPI list, a KPI page, a
// SensorThings list). Prints read latency p50/p99/max and write throughput, and, with the same
// readers and no writers, the same read figures as the peer of the run.
// Usage: DATENWERK_BIN=... node bench/write_load.mjs [writers=50] [readers=4] [seconds=10]
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnServer, BIN } from '../tests/support/server.mjs';

const [W, R, SECONDS] = [Number(process.argv[2] || 50), Number(process.argv[3] || 4), Number(process.argv[4] || 10)];
const dir = mkdtempSync(join(tmpdir(), 'datenwerk-write-load-'));
const key = execFileSync(BIN, ['--data-dir', dir, 'apikey', 'create', '--label', 'bench'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
const server = await spawnServer(['--data-dir', dir, '--port', '0']);
const base = `http://127.0.0.1:${server.port}`;
const reads = ['/api/v1/kpis', '/indikatoren/SCBOK-NMU-KK-K1.2', '/sta/v1.1/Things', '/'];

function percentile(sorted, p) { return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))]; }

async function phase(writers) {
  let stop = false;
  const latencies = [];
  const writeStatus = {};
  const writerLoops = Array.from({ length: writers }, async (_, w) => {
    for (let i = 0; !stop; ++i) {
      const r = await fetch(`${base}/api/v1/kpis/SCBOK-NMU-KK-K1.2/values`, {
        method: 'POST', headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${key}` },
        body: JSON.stringify({ date: '2024-08-28', value: w * 100000 + i }),
      });
      await r.arrayBuffer();
      writeStatus[r.status] = (writeStatus[r.status] || 0) + 1;
      if (r.status === 503) await new Promise((res) => setTimeout(res, 50));
    }
  });
  const readerLoops = Array.from({ length: R }, async (_, k) => {
    for (let i = 0; !stop; ++i) {
      const t0 = process.hrtime.bigint();
      const r = await fetch(base + reads[(i + k) % reads.length]);
      await r.arrayBuffer();
      latencies.push(Number(process.hrtime.bigint() - t0) / 1e6);
      if (r.status !== 200) throw new Error(`read ${r.status}`);
    }
  });
  await new Promise((res) => setTimeout(res, SECONDS * 1000));
  stop = true;
  await Promise.all([...writerLoops, ...readerLoops]);
  latencies.sort((a, b) => a - b);
  return { reads: latencies.length, p50: percentile(latencies, 0.5), p99: percentile(latencies, 0.99),
    max: latencies[latencies.length - 1], writes: writeStatus };
}

try {
  const quiet = await phase(0);
  const loaded = await phase(W);
  const f = (x) => x.toFixed(1);
  console.log(`reads alone (${R} readers): ${quiet.reads} reads, p50 ${f(quiet.p50)} ms, p99 ${f(quiet.p99)} ms, max ${f(quiet.max)} ms`);
  console.log(`reads with ${W} writers: ${loaded.reads} reads, p50 ${f(loaded.p50)} ms, p99 ${f(loaded.p99)} ms, max ${f(loaded.max)} ms`);
  const ok = loaded.writes[201] || 0;
  console.log(`writes: ${ok} stored (${f(ok / SECONDS)}/s), statuses ${JSON.stringify(loaded.writes)}`);
  console.log(`read p99 ratio loaded/alone: ${(loaded.p99 / quiet.p99).toFixed(2)}`);
} finally {
  server.child.kill('SIGTERM');
  rmSync(dir, { recursive: true, force: true });
}
