// A download of a whole station as the open-data catalogue names it (/daten/station-1.csv):
// STREAMS Datastreams x PER readings every 10 seconds (a random walk at 0.01 resolution),
// ingested through CreateObservations, then fetched once as CSV. Prints rows per second, bytes,
// and the peak RSS of a server started afresh on the ingested data for the download.
// The peer in the same run: PostgreSQL 15 exporting the same rows with COPY (SELECT … ORDER BY
// datastream, time) TO STDOUT (CSV) through psql, when DATENWERK_TEST_POSTGRES names a server
// (scripts/with-postgres.sh provides one).
// Usage: DATENWERK_BIN=… node bench/download_bench.mjs [streams=10] [per=10000000]
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import http from 'node:http';
import { spawnServer, BIN } from '../tests/support/server.mjs';

const STREAMS = Number(process.argv[2] || 10);
const PER = Number(process.argv[3] || 10_000_000);
const ROWS = 10_000;  // per Datastream and request
const START = Date.parse('2020-01-01T00:00:00Z');
const STEP = 10_000;  // ms

const dir = mkdtempSync(join(tmpdir(), 'datenwerk-download-bench-'));
const key = execFileSync(BIN, ['--data-dir', dir, 'apikey', 'create', '--label', 'bench', '--role', 'administrator'],
  { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
let server = await spawnServer(['--data-dir', dir, '--port', '0', '--body-limit', String(64 << 20)]);
let base = `http://127.0.0.1:${server.port}`;
const headers = { 'Content-Type': 'application/json', Authorization: `Bearer ${key}` };
const post = async (path, body) => {
  for (;;) {
    const r = await fetch(base + path, { method: 'POST', headers, body });
    const text = await r.text();
    if (r.status === 503) { await new Promise((res) => setTimeout(res, 1000)); continue; }
    if (r.status !== 201 && r.status !== 200) throw new Error(`${path}: ${r.status} ${text.slice(0, 300)}`);
    return text;
  }
};
const status = () => readFileSync(`/proc/${server.child.pid}/status`, 'utf8');
const mib = (field) => Number(new RegExp(`${field}:\\s+(\\d+)`).exec(status())[1]) / 1024;

await post('/sta/v1.1/Things', JSON.stringify({
  name: 'Messstation Bench', description: 'd',
  Locations: [{ name: 'Ort', description: 'd', encodingType: 'application/geo+json', location: { type: 'Point', coordinates: [7.2, 51.48] } }],
  Datastreams: Array.from({ length: STREAMS }, (_, i) => ({
    name: `Messgröße ${i}`, description: 'd', unitOfMeasurement: { name: 'Grad Celsius', symbol: '°C' }, observationType: 'OM_Measurement',
    Sensor: { name: 's', description: 'd', encodingType: 'text/html', metadata: 'm' },
    ObservedProperty: { name: `p${i}`, definition: 'd', description: 'd' } })),
}));

// Ingest: each request ROWS readings of every Datastream, two requests in flight.
const level = new Float64Array(STREAMS + 1).fill(20);
function* bodies() {
  for (let r0 = 0; r0 < PER; r0 += ROWS) {
    const times = [];
    for (let r = r0; r < Math.min(PER, r0 + ROWS); r++) times.push(`"${new Date(START + r * STEP).toISOString()}"`);
    const groups = [];
    for (let d = 1; d <= STREAMS; d++) {
      let v = level[d];
      const rows = new Array(times.length);
      for (let i = 0; i < times.length; i++) {
        v = Math.round((v + (Math.random() - 0.5) * 0.2) * 100) / 100;
        rows[i] = `[${times[i]},${v}]`;
      }
      level[d] = v;
      groups.push(`{"Datastream":{"@iot.id":${d}},"components":["phenomenonTime","result"],"dataArray":[${rows.join(',')}]}`);
    }
    yield `[${groups.join(',')}]`;
  }
}
const source = bodies();
const t0 = performance.now();
await Promise.all([0, 1].map(async () => {
  for (let next = source.next(); !next.done; next = source.next()) await post('/sta/v1.1/CreateObservations', next.value);
}));
const total = STREAMS * PER;
console.log(`ingested ${total.toLocaleString('en')} readings in ${((performance.now() - t0) / 1000).toFixed(0)} s ` +
            `(${STREAMS} Datastreams x ${PER.toLocaleString('en')}); server RSS ${mib('VmRSS').toFixed(0)} MiB`);

// The download from a server started afresh on the same data (its RSS is then the download's,
// not the ingest's caches), counted as it arrives.
server.child.kill('SIGTERM');
await new Promise((r) => server.child.once('exit', r));
server = await spawnServer(['--data-dir', dir, '--port', '0']);
base = `http://127.0.0.1:${server.port}`;
const before = mib('VmRSS');
const download = (url) => new Promise((resolve, reject) => {
  const started = performance.now();
  let bytes = 0, lines = 0;
  http.get(url, (res) => {
    if (res.statusCode !== 200) reject(new Error(`${url}: ${res.statusCode}`));
    res.on('data', (chunk) => {
      bytes += chunk.length;
      for (let i = chunk.indexOf(10); i !== -1; i = chunk.indexOf(10, i + 1)) ++lines;
    });
    res.on('end', () => resolve({ seconds: (performance.now() - started) / 1000, bytes, lines }));
    res.on('error', reject);
  }).on('error', reject);
});
const got = await download(`${base}/daten/station-1.csv`);
if (got.lines - 1 !== total) throw new Error(`${got.lines - 1} rows, not ${total}`);
const peak = mib('VmHWM');
console.log(`Datenwerk  /daten/station-1.csv: ${(got.lines - 1).toLocaleString('en')} rows, ${(got.bytes / 1e9).toFixed(2)} GB ` +
            `in ${got.seconds.toFixed(1)} s: ${Math.round((got.lines - 1) / got.seconds).toLocaleString('en')} rows/s, ` +
            `${(got.bytes / got.seconds / 1e6).toFixed(0)} MB/s; server peak RSS ${peak.toFixed(0)} MiB (${before.toFixed(0)} MiB before the download)`);
server.child.kill('SIGTERM');
await new Promise((r) => server.child.once('exit', r));
rmSync(dir, { recursive: true, force: true });

// The peer: PostgreSQL's COPY of the same rows.
const pg = process.env.DATENWERK_TEST_POSTGRES;
if (pg) {
  const psql = (sql) => execFileSync('psql', [pg, '-v', 'ON_ERROR_STOP=1', '-qAt', '-c', sql], { encoding: 'utf8' });
  psql('DROP TABLE IF EXISTS download_bench');
  psql('CREATE UNLOGGED TABLE download_bench (datastream_id int, datastream text, unit text, phenomenon_time timestamptz, result double precision)');
  const l0 = performance.now();
  psql(`INSERT INTO download_bench SELECT d, 'Messgröße ' || (d - 1), '°C', timestamptz '2020-01-01 00:00:00+00' + r * interval '10 seconds', ` +
       `round((20 + sin(r / 1000.0) * 5)::numeric, 2) FROM generate_series(1, ${STREAMS}) d, generate_series(0, ${PER - 1}) r`);
  psql('CREATE INDEX ON download_bench (datastream_id, phenomenon_time)');
  psql('VACUUM ANALYZE download_bench');
  console.log(`PostgreSQL loaded in ${((performance.now() - l0) / 1000).toFixed(0)} s`);
  const copy = await new Promise((resolve, reject) => {
    const started = performance.now();
    let bytes = 0, lines = 0;
    const child = spawn('psql', [pg, '-qAt', '-c', 'COPY (SELECT * FROM download_bench ORDER BY datastream_id, phenomenon_time) TO STDOUT WITH (FORMAT csv, HEADER)'],
      { env: { ...process.env, PGTZ: 'UTC' } });
    child.stdout.on('data', (chunk) => {
      bytes += chunk.length;
      for (let i = chunk.indexOf(10); i !== -1; i = chunk.indexOf(10, i + 1)) ++lines;
    });
    child.on('exit', (code) => (code === 0 ? resolve({ seconds: (performance.now() - started) / 1000, bytes, lines }) : reject(new Error(`psql ${code}`))));
  });
  console.log(`PostgreSQL COPY … TO STDOUT (CSV): ${(copy.lines - 1).toLocaleString('en')} rows, ${(copy.bytes / 1e9).toFixed(2)} GB ` +
              `in ${copy.seconds.toFixed(1)} s: ${Math.round((copy.lines - 1) / copy.seconds).toLocaleString('en')} rows/s`);
  console.log(`ratio Datenwerk / PostgreSQL COPY, rows per second: ${(((got.lines - 1) / got.seconds) / ((copy.lines - 1) / copy.seconds)).toFixed(2)} (higher is better)`);
  psql('DROP TABLE download_bench');
}
