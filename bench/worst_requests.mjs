// The most expensive anonymous requests we know how to build against the bounds of issue #7:
// for each, the time until the server answers and its peak RSS (VmHWM) after it. The server
// holds a Thing with two Datastreams of 1,000 Observations each, so paths across to-many
// navigation have something to multiply.
// Usage: DATENWERK_BIN=... node bench/worst_requests.mjs
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnServer, BIN } from '../tests/support/server.mjs';

const dir = mkdtempSync(join(tmpdir(), 'datenwerk-worst-'));
const key = execFileSync(BIN, ['--data-dir', dir, 'apikey', 'create', '--label', 'bench'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
const server = await spawnServer(['--data-dir', dir, '--port', '0', '--body-limit', String(1 << 20)]);
const base = `http://127.0.0.1:${server.port}`;
const hwm = () => Number(/VmHWM:\s+(\d+)/.exec(readFileSync(`/proc/${server.child.pid}/status`, 'utf8'))[1]);
const post = (path, body, auth = true) => fetch(base + path, { method: 'POST',
  headers: { 'Content-Type': 'application/json', ...(auth ? { Authorization: `Bearer ${key}` } : {}) }, body: typeof body === 'string' ? body : JSON.stringify(body) });

try {
  await post('/sta/v1.1/Things', { name: 'Station', description: 'd',
    Locations: [{ name: 'Westpark', description: 'd', encodingType: 'application/geo+json', location: { type: 'Point', coordinates: [7.2, 51.48] } }],
    Datastreams: ['A', 'B'].map((n) => ({ name: n, description: 'd', unitOfMeasurement: { name: '%' }, observationType: 'OM_Measurement',
      Sensor: { name: 's', description: 'd', encodingType: 'text/html', metadata: 'm' }, ObservedProperty: { name: n, definition: 'd', description: 'd' } })) });
  for (const ds of [1, 2]) {
    const rows = Array.from({ length: 1000 }, (_, i) => [new Date(Date.UTC(2024, 4, 1) + i * 60000).toISOString(), i]);
    await post('/sta/v1.1/CreateObservations', [{ Datastream: { '@iot.id': ds }, components: ['phenomenonTime', 'result'], dataArray: rows }]);
  }
  const line = (n, off) => 'LINESTRING(' + Array.from({ length: n }, (_, i) => `${(7 + i * 1e-5).toFixed(5)} ${(51 + off + (i % 2) * 1e-5).toFixed(5)}`).join(', ') + ')';
  const path = 'Datastreams/Observations/result';
  const worst = {
    'fan-out: 11 paths across to-many (4^11 before)': `/sta/v1.1/Things?$filter=${encodeURIComponent(path + ` add ${path}`.repeat(10) + ' gt 0')}`,
    'fan-out: one path, 2,000 values x literal': `/sta/v1.1/Things?$filter=${encodeURIComponent(`${path} gt 500`)}`,
    'fan-out: two paths, 2,000 x 2,000 values': `/sta/v1.1/Things?$filter=${encodeURIComponent(`${path} add ${path} gt 0`)}`,
    '3,300 nested parentheses (crashed before)': `/sta/v1.1/Things?$filter=${'('.repeat(3300)}1${')'.repeat(3300)}`,
    'geometry: 10,000-point literal vs stored points': `/sta/v1.1/Locations?$filter=${encodeURIComponent(`geo.intersects(location, geography'${line(10000, 0)}')`)}`,
  };
  const batches = {
    'batch: 2 x 24,000-point LINESTRINGs (20.8 s before)': { requests: [{ id: '1', method: 'get', url: `Locations?$filter=geo.intersects(geography'${line(24000, 0)}', geography'${line(24000, 1)}')` }] },
    'batch: 1,000 fan-out reads of 2,000 x 2,000': { requests: Array.from({ length: 1000 }, (_, i) => ({ id: String(i), method: 'get', url: `Things?$filter=${path} add ${path} gt 0` })) },
    'batch: chain of 16,900 not': { requests: [{ id: '1', method: 'get', url: `Things?$filter=${'not '.repeat(16900)}true` }] },
  };
  console.log(`start: peak RSS ${(hwm() / 1024).toFixed(1)} MiB`);
  for (const [name, url] of Object.entries(worst)) {
    const t0 = performance.now();
    const r = await fetch(base + url);
    const text = await r.text();
    console.log(`${name}: ${r.status} in ${(performance.now() - t0).toFixed(1)} ms, request ${url.length} B, peak RSS ${(hwm() / 1024).toFixed(1)} MiB ${r.status >= 400 ? JSON.parse(text).error.message.slice(0, 70) : ''}`);
  }
  for (const [name, body] of Object.entries(batches)) {
    const text = JSON.stringify(body);
    const t0 = performance.now();
    const r = await post('/sta/v1.1/$batch', text, false);
    const answer = await r.json();
    const statuses = {};
    for (const s of answer.responses || []) statuses[s.status] = (statuses[s.status] || 0) + 1;
    console.log(`${name}: ${r.status} ${JSON.stringify(statuses)} in ${(performance.now() - t0).toFixed(1)} ms, body ${(text.length / 1024).toFixed(0)} kB, peak RSS ${(hwm() / 1024).toFixed(1)} MiB`);
  }
} finally {
  server.child.kill('SIGTERM');
  rmSync(dir, { recursive: true, force: true });
}
