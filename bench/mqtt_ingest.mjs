// Batched ingest over MQTT: CreateObservations bodies (G Datastreams x R rows of one-minute
// readings) published with QoS 1 to v1.1/CreateObservations on a Mosquitto broker (Debian's, on
// loopback), one mosquitto_pub process streaming them. Datenwerk subscribes, stores each message
// in one transaction, acknowledges after the commit, and publishes every new Observation to its
// MQTT topics (the MQTT extension). Prints observations/s from the first publish until all are
// stored (polled through the API), bytes on disk per observation and the server's peak RSS.
// With notify=latest the server runs with --mqtt-bulk-notify latest (one notification per
// Datastream and message instead of one per Observation).
// Usage: DATENWERK_BIN=... node bench/mqtt_ingest.mjs [datastreams=100] [minutes=14400] [rows=1000] [groups=10] [notify=all]
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnServer, BIN } from '../tests/support/server.mjs';
import { setupThings, createObservationsBodies } from './workload.mjs';

const arg = (i, d) => Number(process.argv[i] || d);
const [D, MINUTES, ROWS, GROUPS] = [arg(2, 100), arg(3, 14400), arg(4, 1000), arg(5, 10)];
const NOTIFY = process.argv[6] || 'all';
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const dir = mkdtempSync(join(tmpdir(), 'datenwerk-mqtt-bench-'));
const port = await new Promise((resolve) => {
  const s = createServer().listen(0, '127.0.0.1', () => { const p = s.address().port; s.close(() => resolve(p)); });
});
writeFileSync(join(dir, 'mosquitto.conf'), `listener ${port} 127.0.0.1\nallow_anonymous true\npersistence false\nmax_queued_messages 100000\n`);
const broker = spawn('/usr/sbin/mosquitto', ['-c', join(dir, 'mosquitto.conf')], { stdio: 'ignore' });
for (let i = 0; i < 50; i++) {
  try { execFileSync('mosquitto_pub', ['-h', '127.0.0.1', '-p', String(port), '-t', 'ping', '-m', 'x'], { stdio: 'ignore' }); break; } catch { await sleep(100); }
}
const key = execFileSync(BIN, ['--data-dir', join(dir, 'data'), 'apikey', 'create', '--label', 'bench'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
const server = await spawnServer(['--data-dir', join(dir, 'data'), '--port', '0', '--mqtt', `127.0.0.1:${port}`, '--mqtt-bulk-notify', NOTIFY]);
const base = `http://127.0.0.1:${server.port}/sta/v1.1`;
const post = async (path, body) => {
  const r = await fetch(base + path, { method: 'POST', headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${key}` }, body: JSON.stringify(body) });
  if (r.status !== 201) throw new Error(`${path}: ${r.status} ${await r.text()}`);
};
await setupThings(post, D);

const total = D * MINUTES;
const count = async () => {
  let n = 0;
  for (let d = 1; d <= D; d++) {
    n += (await (await fetch(`${base}/Datastreams(${d})/Observations?$count=true&$top=0`)).json())['@iot.count'];
  }
  return n;
};

const started = performance.now();
const pub = spawn('mosquitto_pub', ['-h', '127.0.0.1', '-p', String(port), '-q', '1', '-t', 'v1.1/CreateObservations', '-l'],
  { stdio: ['pipe', 'ignore', 'inherit'] });
let messages = 0;
for (const body of createObservationsBodies(D, MINUTES, ROWS, GROUPS)) {
  ++messages;
  if (!pub.stdin.write(`${body}\n`)) await new Promise((r) => pub.stdin.once('drain', r));
}
pub.stdin.end();
await new Promise((r) => pub.once('exit', r));
let stored = 0;
for (let waited = 0; (stored = await count()) < total && waited < 600; waited++) await sleep(200);
const seconds = (performance.now() - started) / 1000;
const rss = Number(/VmHWM:\s+(\d+)/.exec(readFileSync(`/proc/${server.child.pid}/status`, 'utf8'))[1]) / 1024;
server.child.kill('SIGTERM');
await new Promise((r) => server.child.once('exit', r));
broker.kill('SIGTERM');
let disk = 0;
for (const suffix of ['', '-wal', '-shm']) {
  const f = join(dir, 'data', 'datenwerk.db' + suffix);
  if (existsSync(f)) disk += statSync(f).size;
}
console.log(`${total.toLocaleString('en')} observations (${D} Datastreams x ${MINUTES} minutes) in ${messages} MQTT messages of ${GROUPS} x ${ROWS} rows (QoS 1), notifications: ${NOTIFY}`);
console.log(`ingest over MQTT: ${Math.round(stored / seconds).toLocaleString('en')} observations/s (${stored.toLocaleString('en')} stored in ${seconds.toFixed(1)} s)`);
console.log(`disk: ${(disk / stored).toFixed(2)} bytes/observation; server peak RSS ${rss.toFixed(1)} MiB`);
rmSync(dir, { recursive: true, force: true });
if (stored !== total) process.exit(1);
