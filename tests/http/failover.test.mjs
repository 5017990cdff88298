// A PostgreSQL pair managed by Patroni with one etcd (deploy/patroni.yml as it stands), two
// Datenwerk nodes on a multi-host connection string behind HAProxy (deploy/haproxy.cfg): while
// KPI values and uplinks keep coming through HAProxy, one node is killed with kill -9 and then
// the primary is switched over. Writes resume within 45 s of the switchover, and every
// acknowledged write is there exactly once afterwards.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, mkdirSync, existsSync, openSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BIN, spawnServer } from '../support/server.mjs';

const SOURCE = process.env.DATENWERK_SOURCE_DIR;
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const freePort = () => new Promise((resolve) => {
  const s = createServer().listen(0, '127.0.0.1', () => { const p = s.address().port; s.close(() => resolve(p)); });
});
const root = process.getuid() === 0;
const asPostgres = (cmd, args) => (root ? ['runuser', ['-u', 'postgres', '--', cmd, ...args]] : [cmd, args]);
const available = existsSync('/usr/bin/patroni') && existsSync('/usr/bin/etcd');

let dir, etcd, database, readDatabase, apiKey, proxy, proxyBase;
const members = [];
const nodes = [];
const children = () => [...nodes.map((n) => n.child), proxy, ...members.map((m) => m.child), etcd].filter(Boolean);

// Runs `cmd` as the postgres user (PostgreSQL refuses root), its output in `log` in the test's folder.
function start(cmd, args, env, log) {
  const [c, a] = asPostgres(cmd, args);
  const out = openSync(join(dir, log), 'a');
  return spawn(c, a, { env: { ...process.env, ...env }, stdio: ['ignore', out, out] });
}

async function waitFor(check, what, ms) {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    try { if (await check()) return; } catch { /* not yet */ }
    await sleep(200);
  }
  assert.fail(`timed out waiting until ${what}`);
}

// Patroni's REST API: 200 on /primary from the leader, on /replica from a streaming replica.
const role = async (m, what) => (await fetch(`http://127.0.0.1:${m.rest}/${what}`)).status === 200;

async function startMember(name) {
  const m = { name, rest: await freePort(), pg: await freePort() };
  m.child = start('patroni', [join(SOURCE, 'deploy/patroni.yml')], {
    PATRONI_NAME: name, PATRONI_ETCD3_HOSTS: `127.0.0.1:${etcd.client}`,
    PATRONI_RESTAPI_LISTEN: `127.0.0.1:${m.rest}`, PATRONI_RESTAPI_CONNECT_ADDRESS: `127.0.0.1:${m.rest}`,
    PATRONI_POSTGRESQL_LISTEN: `127.0.0.1:${m.pg}`, PATRONI_POSTGRESQL_CONNECT_ADDRESS: `127.0.0.1:${m.pg}`,
    PATRONI_POSTGRESQL_DATA_DIR: join(dir, name), PATRONI_POSTGRESQL_PGPASS: join(dir, `${name}.pgpass`),
    PATRONI_SCOPE: `datenwerk${process.pid}`,
  }, `${name}.log`);
  members.push(m);
  return m;
}

async function call(method, path, body) {
  const r = await fetch(proxyBase + path, {
    method, headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${apiKey}` },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await r.text();
  return { status: r.status, json: text ? JSON.parse(text) : null };
}

before(async () => {
  if (!available) {
    if (process.env.CI) throw new Error('CI installs patroni and etcd-server (scripts/setup.sh)');
    return;
  }
  dir = mkdtempSync(join(tmpdir(), 'datenwerk-failover-'));
  if (root) execFileSync('chown', ['postgres:', dir]);
  if (!existsSync('/var/run/postgresql')) {
    mkdirSync('/var/run/postgresql', { recursive: true });
    if (root) execFileSync('chown', ['postgres:', '/var/run/postgresql']);
  }
  etcd = { client: await freePort(), peer: await freePort() };
  etcd.child = start('etcd', ['--name', 'e1', '--data-dir', join(dir, 'etcd'),
    '--listen-client-urls', `http://127.0.0.1:${etcd.client}`, '--advertise-client-urls', `http://127.0.0.1:${etcd.client}`,
    '--listen-peer-urls', `http://127.0.0.1:${etcd.peer}`, '--initial-advertise-peer-urls', `http://127.0.0.1:${etcd.peer}`,
    '--initial-cluster', `e1=http://127.0.0.1:${etcd.peer}`], {}, 'etcd.log');
  await waitFor(async () => (await fetch(`http://127.0.0.1:${etcd.client}/health`)).ok, 'etcd is up', 20000);
  const pg1 = await startMember('pg1');
  await waitFor(() => role(pg1, 'primary'), 'pg1 leads', 60000);
  const pg2 = await startMember('pg2');
  await waitFor(() => role(pg2, 'replica'), 'pg2 streams from pg1', 90000);
  database = `host=127.0.0.1,127.0.0.1 port=${pg1.pg},${pg2.pg} user=postgres dbname=postgres ` +
    'target_session_attrs=read-write connect_timeout=2';
  apiKey = execFileSync(BIN, ['--data-dir', join(dir, 'keys'), '--database', database, 'apikey', 'create',
    '--role', 'administrator', '--label', 'Failover-Test'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  // SensorThings reads from the standby, as deploy/datenwerk@.service suggests; after the
  // switchover the new standby is found through the same multi-host conninfo.
  readDatabase = database.replace('target_session_attrs=read-write', 'target_session_attrs=prefer-standby');
  for (const name of ['a', 'b']) {
    const node = await spawnServer(['--data-dir', join(dir, name), '--database', database, '--port', '0',
      '--lease-seconds', '3', '--trusted-proxy', '127.0.0.1', '--read-database', readDatabase]);
    nodes.push(node);
  }
  const proxyPort = await freePort();
  proxyBase = `http://127.0.0.1:${proxyPort}`;
  proxy = spawn('/usr/sbin/haproxy', ['-db', '-f', join(SOURCE, 'deploy/haproxy.cfg')], {
    stdio: 'ignore',
    env: { ...process.env, DATENWERK_LISTEN: `127.0.0.1:${proxyPort}`, DATENWERK_NODE1: `127.0.0.1:${nodes[0].port}`,
      DATENWERK_NODE2: `127.0.0.1:${nodes[1].port}`, DATENWERK_NODE3: `127.0.0.1:${await freePort()}` },
  });
  await waitFor(async () => (await fetch(`${proxyBase}/health/ready`)).status === 200, 'HAProxy forwards', 20000);
  assert.equal((await call('POST', '/sta/v1.1/Things', {
    name: 'Bodensonde', description: 'LoRaWAN',
    Locations: [{ name: 'Westpark', description: 'd', encodingType: 'application/geo+json', location: { type: 'Point', coordinates: [7.19, 51.48] } }],
    Datastreams: [{ name: 'Wasserstand', description: 'd', unitOfMeasurement: { name: 'Zentimeter', symbol: 'cm' }, observationType: 'OM_Measurement',
      Sensor: { name: 's', description: 'd', encodingType: 'text/html', metadata: 'm' },
      ObservedProperty: { name: 'Wasserstand', definition: 'd', description: 'd' } }],
  })).status, 201);
  assert.equal((await call('PUT', '/api/v1/devices/0101010101010A0B', { name: 'pegel', codec: 'object', fields: { level: 1 } })).status, 200);
});

after(async () => {
  for (const c of children()) {
    if (c.exitCode === null && c.signalCode === null) {
      const exited = new Promise((r) => c.once('exit', r));
      c.kill('SIGTERM');
      await Promise.race([exited, sleep(15000)]);
      if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
    }
  }
  if (dir) rmSync(dir, { recursive: true, force: true });
});

test('kill -9 of a node, then a switchover of the primary: writes resume within 45 s, every acknowledged one there once', { skip: !available, timeout: 240000 }, async () => {
  const acked = { uplinks: [], values: [] };
  const failures = [];  // [ms since start, status]
  const started = Date.now();
  let stop = false;
  let n = 0;
  const writers = Array.from({ length: 4 }, async (_, w) => {
    while (!stop) {
      const i = n++;
      try {
        if (w % 2 === 0) {
          const r = await fetch(`${proxyBase}/api/v1/ingest/chirpstack`, {
            method: 'POST', headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${apiKey}` },
            body: JSON.stringify({ time: new Date(Date.UTC(2026, 0, 1) + i * 60000).toISOString(),
              deviceInfo: { devEui: '0101010101010a0b', deviceName: 'pegel' }, fCnt: i, fPort: 2, object: { level: 100 + (i % 50) } }),
          });
          await r.arrayBuffer();
          if (r.status === 201) acked.uplinks.push(i); else failures.push([Date.now() - started, r.status]);
        } else {
          const value = Math.round(i) / 100;
          const r = await call('POST', '/api/v1/kpis/SCBOK-ZI-NI-K1.1/values', { date: '2026-01-01', value });
          if (r.status === 201) acked.values.push(value); else failures.push([Date.now() - started, r.status]);
        }
      } catch {
        failures.push([Date.now() - started, 'no answer']);
      }
      await sleep(20);
    }
  });
  await sleep(2000);
  // One node dies; HAProxy sends everything to the other.
  const exited = new Promise((r) => nodes[0].child.once('exit', r));
  nodes[0].child.kill('SIGKILL');
  await exited;
  await sleep(3000);
  // The switchover, through Patroni's REST API.
  const [pg1, pg2] = members;
  const switched = Date.now();
  const r = await fetch(`http://127.0.0.1:${pg1.rest}/switchover`, {
    method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ leader: 'pg1', candidate: 'pg2' }),
  });
  assert.equal(r.status, 200, await r.text());
  await waitFor(() => role(pg2, 'primary'), 'pg2 leads', 60000);
  // Writes resume: the first acknowledged write after the switchover began.
  const before = acked.uplinks.length + acked.values.length;
  await waitFor(() => acked.uplinks.length + acked.values.length > before + 10, 'writes resume', 45000);
  const resumed = Date.now() - switched;
  assert.ok(resumed < 45000, `writes resumed ${resumed} ms after the switchover`);
  await sleep(2000);
  stop = true;
  await Promise.all(writers);
  const failedAfter = failures.filter(([t]) => t > switched - started).map(([t, s]) => `${t}:${s}`);
  console.log(`switchover: writes resumed after ${resumed} ms; acknowledged ${acked.uplinks.length} uplinks and ` +
    `${acked.values.length} KPI values; ${failures.length} writes failed (503 or no answer), ${failedAfter.length} of them after the switchover began`);

  // Every acknowledged write is there, once.
  await waitFor(async () => (await fetch(`${proxyBase}/health/ready`)).status === 200, 'the live node is ready', 30000);
  assert.ok(acked.uplinks.length > 20 && acked.values.length > 20, 'enough writes acknowledged to mean something');
  // The live node reads from the new standby (the old primary, rejoined), at most its bound behind.
  const replica = async () => (await (await fetch(`http://127.0.0.1:${nodes[1].port}/health/replica`)).json());
  await waitFor(async () => (await replica()).usable, 'the live node reads from the new standby', 60000);
  const readsBefore = (await replica()).replica_reads;
  let count = 0;
  await waitFor(async () => {
    count = (await call('GET', '/sta/v1.1/Datastreams(1)/Observations?$count=true&$top=0')).json['@iot.count'];
    return count >= acked.uplinks.length;
  }, `every acknowledged uplink readable (${count} of ${acked.uplinks.length})`, 10000);
  assert.ok((await replica()).replica_reads > readsBefore, 'the count came from the standby');
  const values = [];
  for (let offset = 0; ; offset += 500) {
    const page = (await call('GET', `/api/v1/kpis/SCBOK-ZI-NI-K1.1/values?limit=500&offset=${offset}`)).json.items;
    values.push(...page.map((v) => v.value));
    if (page.length < 500) break;
  }
  for (const v of acked.values) assert.ok(values.includes(v), `acknowledged KPI value ${v}`);
  assert.equal(new Set(values).size, values.length, 'no KPI value twice');
  // Each acknowledged uplink sent again is a duplicate: stored exactly once.
  for (const i of acked.uplinks.slice(0, 50)) {
    const again = await fetch(`${proxyBase}/api/v1/ingest/chirpstack`, {
      method: 'POST', headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${apiKey}` },
      body: JSON.stringify({ time: new Date(Date.UTC(2026, 0, 1) + i * 60000).toISOString(),
        deviceInfo: { devEui: '0101010101010a0b', deviceName: 'pegel' }, fCnt: i, fPort: 2, object: { level: 100 + (i % 50) } }),
    });
    assert.equal((await again.json()).status, 'duplicate', `uplink ${i}`);
  }
});
