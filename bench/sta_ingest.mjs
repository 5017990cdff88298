// Batched ingest through the SensorThings API into the embedded store, then (optionally) the
// Masterportal call on the result:
//   POST /CreateObservations, each request G Datastreams x R rows of one-minute readings,
//   C requests in flight (a 503 is retried after its Retry-After, and counted).
// Prints observations/s sustained over the whole run, bytes on disk per observation, the
// server's peak RSS, and with --masterportal the latency of
//   GET /Things?$expand=Datastreams($expand=Observations($top=1;$orderby=phenomenonTime desc))
// per page of 100 Things and for a walk over all pages (following @iot.nextLink); with
// --aggregate the hourly averages over the whole period per Datastream through
// /api/v1/datastreams/{id}/aggregate?interval=1h (the InfluxDB GROUP BY time(1h) comparison).
// With DATENWERK_BENCH_DATABASE=<conninfo> the server keeps everything in that PostgreSQL
// database (--database) and the bytes on disk are its pg_database_size after a VACUUM.
// Usage: DATENWERK_BIN=... node bench/sta_ingest.mjs [datastreams=100] [minutes=14400]
//          [rows=1000] [groups=10] [inflight=2] [--masterportal[=runs]] [--aggregate[=passes]]
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync, readFileSync, existsSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnServer, BIN } from '../tests/support/server.mjs';
import { setupThings, createObservationsBodies, workloadStart } from './workload.mjs';

const args = process.argv.slice(2).filter((a) => !a.startsWith('--'));
const portalFlag = process.argv.find((a) => a.startsWith('--masterportal'));
const PORTAL_RUNS = portalFlag ? Number(portalFlag.split('=')[1] || 20) : 0;
const aggregateFlag = process.argv.find((a) => a.startsWith('--aggregate'));
const AGGREGATE_PASSES = aggregateFlag ? Number(aggregateFlag.split('=')[1] || 1) : 0;
const arg = (i, d) => Number(args[i] || d);
const [D, MINUTES, ROWS, GROUPS, INFLIGHT] = [arg(0, 100), arg(1, 14400), arg(2, 1000), arg(3, 10), arg(4, 2)];
const dir = mkdtempSync(join(tmpdir(), 'datenwerk-ingest-bench-'));
const DATABASE = process.env.DATENWERK_BENCH_DATABASE || '';
const dbArgs = DATABASE ? ['--database', DATABASE] : [];
const key = execFileSync(BIN, ['--data-dir', dir, ...dbArgs, 'apikey', 'create', '--label', 'bench'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
const server = await spawnServer(['--data-dir', dir, ...dbArgs, '--port', '0', '--body-limit', String(64 << 20)]);
const base = `http://127.0.0.1:${server.port}/sta/v1.1`;
const headers = { 'Content-Type': 'application/json', Authorization: `Bearer ${key}` };
let busy = 0;
const post = async (path, body) => {
  for (;;) {
    const r = await fetch(base + path, { method: 'POST', headers, body: typeof body === 'string' ? body : JSON.stringify(body) });
    const text = await r.text();
    if (r.status === 503) {
      ++busy;
      await new Promise((res) => setTimeout(res, 1000 * Number(r.headers.get('retry-after') || 1)));
      continue;
    }
    if (r.status !== 201) throw new Error(`${path}: ${r.status} ${text.slice(0, 300)}`);
    return text;
  }
};
const peakRss = () => Number(/VmHWM:\s+(\d+)/.exec(readFileSync(`/proc/${server.child.pid}/status`, 'utf8'))[1]) / 1024;

const setupStart = performance.now();
await setupThings(post, D);
const setupSeconds = (performance.now() - setupStart) / 1000;

const t0 = workloadStart;
const total = D * MINUTES;
let requests = 0, bytes = 0;
const source = createObservationsBodies(D, MINUTES, ROWS, GROUPS);
const started = performance.now();
await Promise.all(Array.from({ length: INFLIGHT }, async () => {
  for (let next = source.next(); !next.done; next = source.next()) {
    ++requests;
    bytes += next.value.length;
    const text = await post('/CreateObservations', next.value);
    if (text.includes('"error"')) throw new Error('a row was refused');
  }
}));
const seconds = (performance.now() - started) / 1000;
const ingestRss = peakRss();

console.log(`${total.toLocaleString('en')} observations (${D} Datastreams x ${MINUTES} minutes; setup of ${D} Things ${setupSeconds.toFixed(1)} s), ` +
            `${requests} requests of ${GROUPS} x ${ROWS} rows, ${INFLIGHT} in flight, ${(bytes / 1e6).toFixed(0)} MB of JSON, ${busy} answered 503`);
console.log(`ingest: ${Math.round(total / seconds).toLocaleString('en')} observations/s (${seconds.toFixed(1)} s)`);
console.log(`server peak RSS while ingesting: ${ingestRss.toFixed(1)} MiB`);

if (PORTAL_RUNS) {
  const query = '/Things?$expand=Datastreams($expand=Observations($top=1;$orderby=phenomenonTime%20desc))';
  const page = [], walk = [];
  let checked = false;
  for (let r = 0; r < PORTAL_RUNS; r++) {
    let url = base + query, first = true, things = 0;
    const w0 = performance.now();
    while (url) {
      const p0 = performance.now();
      const body = await (await fetch(url)).json();
      page.push(performance.now() - p0);
      if (!checked) {  // the answer is the newest reading
        const obs = body.value[0].Datastreams[0].Observations[0];
        if (obs.phenomenonTime !== new Date(t0 + (MINUTES - 1) * 60000).toISOString()) throw new Error(`not the latest: ${JSON.stringify(obs)}`);
        checked = true;
      }
      things += body.value.length;
      url = body['@iot.nextLink'];
      first = false;
    }
    if (things !== D) throw new Error(`walked ${things} Things, not ${D}`);
    walk.push(performance.now() - w0);
  }
  const pct = (xs, p) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(p * xs.length))].toFixed(1);
  console.log(`Masterportal call, one page of 100 Things: p50 ${pct(page, 0.5)} ms, p99 ${pct(page, 0.99)} ms (${page.length} pages)`);
  console.log(`Masterportal call, all ${Math.ceil(D / 100)} pages: p50 ${pct(walk, 0.5)} ms, p99 ${pct(walk, 0.99)} ms (${PORTAL_RUNS} walks)`);
}

if (AGGREGATE_PASSES) {
  const from = new Date(t0).toISOString(), to = new Date(t0 + MINUTES * 60000).toISOString();
  const took = [];
  for (let pass = 0; pass < AGGREGATE_PASSES; pass++) for (let d = 1; d <= D; d++) {
    const q0 = performance.now();
    const body = await (await fetch(`http://127.0.0.1:${server.port}/api/v1/datastreams/${d}/aggregate?interval=1h&from=${from}&to=${to}`)).json();
    took.push(performance.now() - q0);
    if (body.buckets.length !== Math.ceil(MINUTES / 60)) throw new Error(`${body.buckets.length} buckets`);
  }
  const pct = (xs, p) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(p * xs.length))].toFixed(2);
  console.log(`hourly averages over the whole period, per Datastream over HTTP: p50 ${pct(took, 0.5)} ms, p99 ${pct(took, 0.99)} ms (${Math.ceil(MINUTES / 60)} buckets, ${AGGREGATE_PASSES} passes)`);
}

console.log(`server peak RSS overall: ${peakRss().toFixed(1)} MiB`);
server.child.kill('SIGTERM');
await new Promise((r) => server.child.once('exit', r));
let disk = 0;
if (DATABASE) {
  execFileSync('psql', [DATABASE, '-qAtc', 'VACUUM'], { stdio: 'ignore' });
  disk = Number(execFileSync('psql', [DATABASE, '-qAtc', 'SELECT pg_database_size(current_database())'], { encoding: 'utf8' }).trim());
  console.log(`disk: ${(disk / total).toFixed(2)} bytes/observation (the PostgreSQL database with the catalogue and all, ${(disk / 1e6).toFixed(1)} MB)`);
} else {
  // Every database file in the data directory (one since the one-database release; earlier
  // releases kept one per module), so a before/after run compares like with like.
  const files = readdirSync(dir).filter((f) => /\.db(-wal|-shm)?$/.test(f));
  for (const f of files) disk += statSync(join(dir, f)).size;
  console.log(`disk: ${(disk / total).toFixed(2)} bytes/observation (${files.filter((f) => f.endsWith('.db')).join(', ')} with the catalogue and all, after shutdown, ${(disk / 1e6).toFixed(1)} MB)`);
}
rmSync(dir, { recursive: true, force: true });
