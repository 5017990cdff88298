// Batched ingest through the SensorThings API: POST /CreateObservations with dataArray bodies
// (each request: G Datastreams x R rows), C requests in flight, into the embedded store.
// Prints observations/s (sustained over the whole run, bodies prepared before the clock starts),
// bytes on disk per observation and the server's peak RSS.
// Usage: DATENWERK_BIN=... node bench/sta_ingest.mjs [datastreams=100] [minutes=14400] [rows=1000] [groups=10] [inflight=4]
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync, readFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnServer, BIN } from '../tests/support/server.mjs';

const arg = (i, d) => Number(process.argv[i] || d);
const [D, MINUTES, ROWS, GROUPS, INFLIGHT] = [arg(2, 100), arg(3, 14400), arg(4, 1000), arg(5, 10), arg(6, 4)];
const dir = mkdtempSync(join(tmpdir(), 'datenwerk-ingest-bench-'));
const key = execFileSync(BIN, ['--data-dir', dir, 'apikey', 'create', '--label', 'bench'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
const server = await spawnServer(['--data-dir', dir, '--port', '0']);
const base = `http://127.0.0.1:${server.port}/sta/v1.1`;
const headers = { 'Content-Type': 'application/json', Authorization: `Bearer ${key}` };
const post = async (path, body) => {
  const r = await fetch(base + path, { method: 'POST', headers, body: typeof body === 'string' ? body : JSON.stringify(body) });
  const text = await r.text();
  if (r.status !== 201) throw new Error(`${path}: ${r.status} ${text.slice(0, 300)}`);
  return text;
};

await post('/Sensors', { name: 's', description: 'd', encodingType: 'text/html', metadata: 'm' });
await post('/ObservedProperties', { name: 'p', definition: 'd', description: 'd' });
for (let i = 0; i < D; i++) {
  await post('/Things', { name: `Sensor ${i}`, description: 'd',
    Locations: [{ name: `Ort ${i}`, description: 'd', encodingType: 'application/geo+json', location: { type: 'Point', coordinates: [7 + i / D, 51.4] } }],
    Datastreams: [{ name: `DS ${i}`, description: 'd', unitOfMeasurement: { name: 'Grad', symbol: '°C', definition: 'ucum:Cel' }, observationType: 'OM_Measurement',
      Sensor: { '@iot.id': 1 }, ObservedProperty: { '@iot.id': 1 } }] });
}

// One-minute readings, a random walk with 0.01 resolution, as sensors report them.
const t0 = Date.parse('2024-01-01T00:00:00Z');
const level = new Array(D + 1).fill(20);
const bodies = [];
for (let m0 = 0; m0 < MINUTES; m0 += ROWS) {
  for (let d0 = 1; d0 <= D; d0 += GROUPS) {
    const groups = [];
    for (let d = d0; d < Math.min(D + 1, d0 + GROUPS); d++) {
      const rows = [];
      for (let m = m0; m < Math.min(MINUTES, m0 + ROWS); m++) {
        level[d] = Math.round((level[d] + (Math.random() - 0.5) * 0.2) * 100) / 100;
        rows.push(`["${new Date(t0 + m * 60000).toISOString()}",${level[d]}]`);
      }
      groups.push(`{"Datastream":{"@iot.id":${d}},"components":["phenomenonTime","result"],"dataArray":[${rows.join(',')}]}`);
    }
    bodies.push(`[${groups.join(',')}]`);
  }
}
const total = D * MINUTES;
const bytes = bodies.reduce((n, b) => n + b.length, 0);

const started = performance.now();
let next = 0;
await Promise.all(Array.from({ length: INFLIGHT }, async () => {
  while (next < bodies.length) {
    const text = await post('/CreateObservations', bodies[next++]);
    if (text.includes('"error"')) throw new Error('a row was refused');
  }
}));
const seconds = (performance.now() - started) / 1000;

const status = readFileSync(`/proc/${server.child.pid}/status`, 'utf8');
const hwm = Number(/VmHWM:\s+(\d+)/.exec(status)[1]) / 1024;
const check = await (await fetch(`${base}/Datastreams(1)/Observations?$count=true&$top=1`)).json();
server.child.kill('SIGTERM');
await new Promise((r) => server.child.once('exit', r));
let disk = 0;
for (const suffix of ['', '-wal', '-shm']) {
  const f = join(dir, 'observations.db' + suffix);
  if (existsSync(f)) disk += statSync(f).size;
}
console.log(`${total.toLocaleString('en')} observations (${D} Datastreams x ${MINUTES} minutes), ` +
            `${bodies.length} requests of ${GROUPS} x ${ROWS} rows, ${INFLIGHT} in flight, ${(bytes / 1e6).toFixed(0)} MB of JSON`);
console.log(`ingest: ${Math.round(total / seconds).toLocaleString('en')} observations/s (${seconds.toFixed(2)} s)`);
console.log(`disk: ${(disk / total).toFixed(2)} bytes/observation (observations.db after shutdown)`);
console.log(`server peak RSS: ${hwm.toFixed(1)} MiB; Datastreams(1) count ${check['@iot.count']}`);
rmSync(dir, { recursive: true, force: true });
