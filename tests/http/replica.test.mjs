// A read replica (--read-database): a real streaming standby of a real primary. SensorThings
// reads come from the standby while it is within its bound, and from the primary beyond it;
// writes and the back office never read it; a standby that stops or is of another database is
// not read, and the node stays ready.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ownPrimaryWithStandby, postgresAvailable } from '../support/postgres.mjs';
import { BIN, startServer } from '../support/server.mjs';
import { fetchChecked } from '../support/openapi.mjs';

const MAX_LAG_MS = 3000;
const READINGS = 20000;
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const skip = !postgresAvailable() && 'PostgreSQL 15 is not installed';

let pair, server;

async function call(method, path, body, key = server.keys.administrator) {
  const r = await fetch(`${server.base}${path}`, {
    method,
    headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${key}` },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await r.text();
  let json;
  try { json = JSON.parse(text); } catch { json = undefined; }
  return { status: r.status, text, json };
}

// /health/replica, checked against the OpenAPI description each time.
async function replicaState(base = server.base) {
  const r = await fetchChecked(`${base}/health/replica`);
  assert.deepEqual(r.errors, [], r.text);
  return r.json;
}

async function waitFor(check, what, ms = 15000) {
  const until = Date.now() + ms;
  let last;
  while (Date.now() < until) {
    last = await check();
    if (last) return last;
    await sleep(100);
  }
  assert.fail(`timed out waiting for ${what}: ${JSON.stringify(await replicaState())}`);
}

// The Datastream's Observation count, and who answered it.
async function countObservations() {
  const before = await replicaState();
  const r = await call('GET', '/sta/v1.1/Datastreams(1)/Observations?$count=true&$top=1');
  assert.equal(r.status, 200, r.text);
  const after = await replicaState();
  const byReplica = after.replica_reads > before.replica_reads;
  const byPrimary = after.primary_reads > before.primary_reads;
  assert.ok(byReplica !== byPrimary, `one of them answered: ${JSON.stringify([before, after])}`);
  return { count: r.json['@iot.count'], byReplica };
}

before(async () => {
  if (skip) return;
  pair = ownPrimaryWithStandby();
  server = await startServer({
    database: pair.primary,
    // The dashboard's own refresh reads from the replica too; once an hour keeps it out of the counts.
    extraArgs: ['--read-database', pair.standby, '--read-max-lag-ms', String(MAX_LAG_MS), '--dashboard-refresh', '3600'],
  });
  const thing = await call('POST', '/sta/v1.1/Things', {
    name: 'Testpegel', description: 'Testdaten',
    // Made-up readings: at [0, 0], no real place.
    Locations: [{ name: 'kein wirklicher Ort', description: 'd', encodingType: 'application/geo+json', location: { type: 'Point', coordinates: [0, 0] } }],
    Datastreams: [{ name: 'Wasserstand', description: 'd', unitOfMeasurement: { name: 'Zentimeter', symbol: 'cm' },
      observationType: 'OM_Measurement', Sensor: { name: 's', description: 'd', encodingType: 'text/html', metadata: 'm' },
      ObservedProperty: { name: 'Wasserstand', definition: 'd', description: 'd' } }],
  });
  assert.equal(thing.status, 201, thing.text);
  for (let first = 0; first < READINGS; first += 5000) {
    const rows = Array.from({ length: 5000 }, (_, i) => [new Date(Date.UTC(2025, 0, 1) + (first + i) * 60000).toISOString(), (first + i) % 97]);
    const r = await call('POST', '/sta/v1.1/CreateObservations', [{ Datastream: { '@iot.id': 1 }, components: ['phenomenonTime', 'result'], dataArray: rows }]);
    assert.equal(r.status, 201, r.text);
    assert.ok(r.json.every((link) => link !== 'error'), r.text.slice(0, 200));
  }
});

after(async () => {
  await server?.stop();
  pair?.remove();
});

test('reads come from the standby within the bound, from the primary beyond it, and never for writes', { skip }, async () => {
  await waitFor(async () => (await replicaState()).usable, 'the standby in use');
  const state = await replicaState();
  assert.equal(state.configured, true);
  assert.ok(state.lag_ms >= 0 && state.lag_ms < MAX_LAG_MS, JSON.stringify(state));
  await waitFor(async () => (await countObservations()).count === READINGS, 'the standby to hold every reading');
  const caughtUp = await countObservations();
  assert.deepEqual(caughtUp, { count: READINGS, byReplica: true });

  // The standby stops replaying: it holds what it has, and is trusted for at most the bound.
  pair.sql('standby', 'SELECT pg_wal_replay_pause()');
  const pausedAt = Date.now();
  const write = await call('POST', '/sta/v1.1/Observations', { phenomenonTime: '2026-01-01T00:00:00Z', result: 42, Datastream: { '@iot.id': 1 } });
  assert.equal(write.status, 201, write.text);
  // A write's own checks read the primary: a KPI value entered now is there at once.
  const kpi = await call('POST', '/api/v1/kpis/SCBOK-ZI-NI-K1.1/values', { date: '2026-01-01', value: 7.5 });
  assert.equal(kpi.status, 201, kpi.text);
  const values = await call('GET', '/api/v1/kpis/SCBOK-ZI-NI-K1.1/values');
  assert.ok(JSON.stringify(values.json).includes('7.5'), values.text);
  const stale = await countObservations();
  if (Date.now() - pausedAt < MAX_LAG_MS - 500) {
    // Within the bound the standby answers, one reading behind: the staleness the bound allows.
    assert.deepEqual(stale, { count: READINGS, byReplica: true });
  }
  // Beyond it every read goes to the primary and sees the new reading.
  const fresh = await waitFor(async () => {
    const seen = await countObservations();
    return seen.count === READINGS + 1 && seen;
  }, 'the primary to answer once the standby is behind its bound', MAX_LAG_MS + 5000);
  assert.equal(fresh.byReplica, false);
  assert.ok(Date.now() - pausedAt >= MAX_LAG_MS - 200, `the standby was given up only after its bound (${Date.now() - pausedAt} ms)`);
  const behind = await replicaState();
  assert.equal(behind.usable, false);
  assert.match(behind.reason, /behind|not caught up/);
  // Every read in between was either the standby's within the bound or the primary's.
  pair.sql('standby', 'SELECT pg_wal_replay_resume()');
  await waitFor(async () => (await replicaState()).usable, 'the standby in use again');
  assert.deepEqual(await countObservations(), { count: READINGS + 1, byReplica: true });
});

test('a standby that stops is not read; the node stays ready and answers every read', { skip }, async () => {
  await waitFor(async () => (await replicaState()).usable, 'the standby in use');
  pair.stopStandby();
  let refused = 0;
  const until = Date.now() + 2000;
  while (Date.now() < until) {
    const r = await call('GET', '/sta/v1.1/Datastreams(1)/Observations?$count=true&$top=1');
    if (r.status === 503) {
      refused += 1;  // a read that was on the standby as it stopped: "send again shortly"
      assert.equal(r.json.error.code, 'unavailable', r.text);
      continue;
    }
    assert.equal(r.status, 200, r.text);
    assert.equal(r.json['@iot.count'], READINGS + 1);
  }
  assert.ok(refused <= 2, `${refused} reads refused`);
  const state = await replicaState();
  assert.equal(state.usable, false);
  assert.match(state.reason, /not reachable|does not answer|failed a read/);
  assert.equal((await fetch(`${server.base}/health/ready`)).status, 200);
  const read = await countObservations();
  assert.deepEqual(read, { count: READINGS + 1, byReplica: false });
  pair.startStandby();
  await waitFor(async () => (await replicaState()).usable, 'the standby in use after its restart');
  assert.deepEqual(await countObservations(), { count: READINGS + 1, byReplica: true });
});

test('a standby of another database is never read', { skip }, async () => {
  const other = await startServer({
    database: pair.primary,
    extraArgs: ['--read-database', pair.standby.replace('dbname=postgres', 'dbname=template1')],
  });
  try {
    const state = await waitFor(async () => {
      const s = await replicaState(other.base);
      return /database or schema/.test(s.reason ?? '') && s;
    }, 'the mismatch named');
    assert.equal(state.usable, false);
    const r = await fetch(`${other.base}/sta/v1.1/Datastreams(1)/Observations?$count=true&$top=1`);
    assert.equal(r.status, 200);
    assert.equal((await r.json())['@iot.count'], READINGS + 1);
    const after = await replicaState(other.base);
    assert.equal(after.replica_reads, 0);
  } finally {
    await other.stop();
  }
});

test('without PostgreSQL a read replica is refused at start, naming the option', { skip }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'datenwerk-replica-'));
  try {
    let error;
    try {
      execFileSync(BIN, ['--data-dir', dir, '--port', '0', '--read-database', pair.standby], { encoding: 'utf8', stdio: 'pipe', timeout: 30000 });
    } catch (e) { error = e; }
    assert.ok(error, 'the server must not start');
    assert.equal(error.status, 1);
    assert.match(error.stdout + error.stderr, /--read-database: a read replica needs PostgreSQL/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a server without a replica says so', { skip }, async () => {
  const plain = await startServer({});
  try {
    assert.deepEqual(await replicaState(plain.base), { configured: false });
  } finally {
    await plain.stop();
  }
});
