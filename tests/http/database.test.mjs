// One database per deployment: on SQLite the data directory holds datenwerk.db and nothing else;
// on PostgreSQL it holds no database at all; and `datenwerk copy` moves a whole city from SQLite
// to PostgreSQL and back, every row compared, the API answering the same on each.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BIN, spawnServer, startServer } from '../support/server.mjs';

const POSTGRES = process.env.DATENWERK_TEST_POSTGRES;

function freshSchema(name) {
  const schema = `${name}_${process.pid}_${Date.now() % 100000}`;
  execFileSync('psql', [POSTGRES, '-q', '-c', `CREATE SCHEMA ${schema}`]);
  return `${POSTGRES} options='-c search_path=${schema}'`;
}

async function call(base, key, method, path, body) {
  const r = await fetch(`${base}${path}`, {
    method,
    headers: { 'Content-Type': 'application/json', ...(key ? { Authorization: `Bearer ${key}` } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await r.text();
  let json;
  try { json = JSON.parse(text); } catch { json = undefined; }
  return { status: r.status, text, json };
}

const READINGS = 20000;

// A Thing with a Datastream of READINGS one-minute readings, a text Observation (a document), a
// KPI value, an alert rule and a device profile.
async function fill(server) {
  const k = server.keys.administrator;
  assert.equal((await call(server.base, k, 'POST', '/sta/v1.1/Things', {
    name: 'Pegel Ölbach', description: 'd', properties: { art: 'Pegel' },
    Locations: [{ name: 'Ölbach', description: 'd', encodingType: 'application/geo+json', location: { type: 'Point', coordinates: [7.25, 51.45] } }],
    Datastreams: [{ name: 'Wasserstand', description: 'd', unitOfMeasurement: { name: 'Zentimeter', symbol: 'cm' }, observationType: 'OM_Measurement',
      Sensor: { name: 's', description: 'd', encodingType: 'text/html', metadata: 'm' },
      ObservedProperty: { name: 'Wasserstand', definition: 'd', description: 'd' } }] })).status, 201);
  for (let first = 0; first < READINGS; first += 5000) {
    const rows = Array.from({ length: 5000 }, (_, i) => [new Date(Date.UTC(2024, 0, 1) + (first + i) * 60000).toISOString(), 100 + ((first + i) % 37) * 0.5]);
    const r = await call(server.base, k, 'POST', '/sta/v1.1/CreateObservations', [{ Datastream: { '@iot.id': 1 }, components: ['phenomenonTime', 'result'], dataArray: rows }]);
    assert.equal(r.status, 201, r.text);
  }
  assert.equal((await call(server.base, k, 'POST', '/sta/v1.1/Observations', { phenomenonTime: '2024-02-01T00:00:00Z', result: 'Hochwasser', Datastream: { '@iot.id': 1 } })).status, 201);
  assert.equal((await call(server.base, k, 'POST', '/api/v1/kpis/SCBOK-ZI-NI-K1.1/values', { date: '2024-01-01', value: 42.5 })).status, 201);
  assert.equal((await call(server.base, k, 'POST', '/api/v1/alert-rules', { name: 'Hochwasser', kind: 'above', threshold: 500, scope: { datastream: 1 } })).status, 201);
  assert.equal((await call(server.base, k, 'PUT', '/api/v1/devices/70B3D57ED0001234', { name: 'Pegel', codec: 'object', fields: { level: 1 } })).status, 200);
}

// What a client sees of that city.
async function view(base, key) {
  const get = async (path) => {
    const r = await call(base, key, 'GET', path);
    assert.equal(r.status, 200, `${path}: ${r.text}`);
    return r.json;
  };
  const observations = await get('/sta/v1.1/Datastreams(1)/Observations?$count=true&$top=3&$orderby=phenomenonTime desc');
  const hourly = await get('/api/v1/datastreams/1/aggregate?from=2024-01-01T00:00:00Z&to=2024-01-15T00:00:00Z&interval=1h');
  const values = (await get('/api/v1/kpis/SCBOK-ZI-NI-K1.1/values?limit=500')).items.map((v) => [v.date, v.value]);
  const rules = (await get('/api/v1/alert-rules')).value.map((r) => [r.id, r.name, r.threshold]);
  const device = await get('/api/v1/devices/70B3D57ED0001234');
  const thing = await get('/sta/v1.1/Things(1)?$expand=Locations,Datastreams($select=name,unitOfMeasurement)');
  const strip = (o) => JSON.parse(JSON.stringify(o).replace(/http:\/\/127\.0\.0\.1:\d+/g, ''));
  return strip({ count: observations['@iot.count'], newest: observations.value.map((o) => [o.phenomenonTime, o.result]), hourly, values, rules, device, thing });
}

test('on SQLite the data directory holds the one database file and nothing else', async () => {
  const server = await startServer();
  try {
    await fill(server);
    const files = readdirSync(server.dataDir).filter((f) => !f.startsWith('.'));
    assert.deepEqual(files.filter((f) => !/^datenwerk\.db(-wal|-shm)?$/.test(f)), [], `only datenwerk.db: ${files}`);
  } finally {
    await server.stop();
  }
});

test('datenwerk copy moves a whole city from SQLite to PostgreSQL and back; the API answers the same', { skip: !POSTGRES && !process.env.CI }, async () => {
  assert.ok(POSTGRES, 'CI runs this test through scripts/with-postgres.sh');
  const server = await startServer();
  const work = mkdtempSync(join(tmpdir(), 'datenwerk-copy-'));
  try {
    await fill(server);
    const key = server.keys.viewer;
    const before = await view(server.base, key);
    assert.equal(before.count, READINGS + 1);
    server.child.kill('SIGTERM');
    await new Promise((r) => server.child.once('exit', r));

    // SQLite -> PostgreSQL: refused into a database that is not empty, then done into an empty one.
    const target = freshSchema('copy');
    execFileSync(BIN, ['--data-dir', server.dataDir, 'copy', '--to', target], { stdio: ['ignore', 'pipe', 'pipe'] });
    let again;
    try {
      execFileSync(BIN, ['--data-dir', server.dataDir, 'copy', '--to', target], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    } catch (e) { again = e; }
    assert.ok(again && again.status === 1 && /not empty; nothing was copied/.test(again.stdout + again.stderr), 'a second copy into the same database is refused');

    const pgDir = join(work, 'pg');
    const onPostgres = await spawnServer(['--data-dir', pgDir, '--database', target, '--port', '0']);
    try {
      assert.deepEqual(await view(`http://127.0.0.1:${onPostgres.port}`, key), before);
      assert.ok(!existsSync(pgDir) || readdirSync(pgDir).length === 0, 'with --database the data directory holds no database');
    } finally {
      onPostgres.child.kill('SIGTERM');
      await new Promise((r) => onPostgres.child.once('exit', r));
    }

    // PostgreSQL -> a new SQLite file.
    const backDir = join(work, 'back');
    execFileSync('mkdir', ['-p', backDir]);
    execFileSync(BIN, ['--data-dir', pgDir, '--database', target, 'copy', '--to', join(backDir, 'datenwerk.db')], { stdio: ['ignore', 'pipe', 'pipe'] });
    const onSqlite = await spawnServer(['--data-dir', backDir, '--port', '0']);
    try {
      assert.deepEqual(await view(`http://127.0.0.1:${onSqlite.port}`, key), before);
    } finally {
      onSqlite.child.kill('SIGTERM');
      await new Promise((r) => onSqlite.child.once('exit', r));
    }
  } finally {
    await server.stop();
    rmSync(work, { recursive: true, force: true });
  }
});
