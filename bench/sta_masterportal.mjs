// Latency of the Masterportal call on the SensorThings API:
//   GET /sta/v1.1/Things?$expand=Datastreams($expand=Observations($top=1;$orderby=phenomenonTime desc))
// with N Things of one Datastream each and M Observations per Datastream, paged as a client
// pages ($top=100 per request, following @iot.nextLink). Prints p50/p99 of a full walk and of a
// single page. Usage: DATENWERK_BIN=... node bench/sta_masterportal.mjs [N=1000] [M=10] [runs=20]
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnServer, BIN } from '../tests/support/server.mjs';

const [N, M, RUNS] = [Number(process.argv[2] || 1000), Number(process.argv[3] || 10), Number(process.argv[4] || 20)];
const dir = mkdtempSync(join(tmpdir(), 'datenwerk-sta-bench-'));
const key = execFileSync(BIN, ['--data-dir', dir, 'apikey', 'create', '--label', 'bench'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
const server = await spawnServer(['--data-dir', dir, '--port', '0']);
const base = `http://127.0.0.1:${server.port}/sta/v1.1`;
const post = async (path, body) => {
  const r = await fetch(base + path, { method: 'POST', headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${key}` }, body: JSON.stringify(body) });
  if (r.status !== 201) throw new Error(`${path}: ${r.status} ${await r.text()}`);
  return r.json();
};
const started = Date.now();
await post('/Sensors', { name: 's', description: 'd', encodingType: 'text/html', metadata: 'm' });
await post('/ObservedProperties', { name: 'p', definition: 'd', description: 'd' });
for (let i = 0; i < N; i++) {
  await post('/Things', { name: `Sensor ${i}`, description: 'd',
    Locations: [{ name: `Ort ${i}`, description: 'd', encodingType: 'application/geo+json', location: { type: 'Point', coordinates: [7 + i / N, 51.4] } }],
    Datastreams: [{ name: `DS ${i}`, description: 'd', unitOfMeasurement: { name: 'Grad', symbol: '°C', definition: 'ucum:Cel' }, observationType: 'OM_Measurement',
      Sensor: { '@iot.id': 1 }, ObservedProperty: { '@iot.id': 1 } }] });
}
const t0 = Date.parse('2024-01-01T00:00:00Z');
for (let d = 1; d <= N; d++) {
  const rows = [];
  for (let m = 0; m < M; m++) rows.push([new Date(t0 + m * 600000).toISOString(), Math.round(Math.random() * 3000) / 100]);
  await post('/CreateObservations', [{ Datastream: { '@iot.id': d }, components: ['phenomenonTime', 'result'], dataArray: rows }]);
}
const setup = (Date.now() - started) / 1000;
const query = '/Things?$expand=Datastreams($expand=Observations($top=1;$orderby=phenomenonTime%20desc))';
const page = [], walk = [];
for (let r = 0; r < RUNS; r++) {
  let url = base + query, first = true;
  const w0 = performance.now();
  while (url) {
    const p0 = performance.now();
    const body = await (await fetch(url)).json();
    if (first) { page.push(performance.now() - p0); first = false; }
    url = body['@iot.nextLink'];
  }
  walk.push(performance.now() - w0);
}
const pct = (xs, p) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(p * xs.length))].toFixed(1);
console.log(`Things/Datastreams ${N}, Observations per Datastream ${M} (setup ${setup.toFixed(1)} s through the HTTP API)`);
console.log(`first page ($top=100): p50 ${pct(page, 0.5)} ms, p99 ${pct(page, 0.99)} ms`);
console.log(`all ${Math.ceil(N / 100)} pages: p50 ${pct(walk, 0.5)} ms, p99 ${pct(walk, 0.99)} ms`);
server.child.kill('SIGTERM');
await new Promise((r) => server.child.once('exit', r));
rmSync(dir, { recursive: true, force: true });
