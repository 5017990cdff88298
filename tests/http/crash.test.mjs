// kill -9 under mixed writes, many times, on SQLite and on PostgreSQL: single Observations (the
// shape of one LoRaWAN uplink per request, group-committed), ChirpStack uplinks (the sighting and
// the reading commit together), CreateObservations batches, deep inserts of a Thing with its
// Datastream and Observations, and KPI values from several clients at once, with an alert rule
// firing on the readings. After every restart, every acknowledged write is there and whole, and
// of the unacknowledged ones nothing is half there.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BIN, spawnServer } from '../support/server.mjs';

const POSTGRES = process.env.DATENWERK_TEST_POSTGRES;
const STREAMS = 8;
const BATCH = 50;
const DEEP = 5;
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const iso = (s) => new Date(Date.UTC(2024, 0, 1) + s * 1000).toISOString().replace('.000Z', 'Z');

async function call(base, key, method, path, body, headers = {}) {
  const r = await fetch(`${base}${path}`, {
    method,
    headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${key}`, ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await r.text();
  return { status: r.status, text, json: text ? JSON.parse(text) : undefined };
}

async function allObservations(base, key, ds) {
  const out = new Map();
  let next = `/sta/v1.1/Datastreams(${ds})/Observations?$select=phenomenonTime,result&$top=10000`;
  while (next) {
    const r = await call(base, key, 'GET', next);
    assert.equal(r.status, 200, r.text);
    for (const o of r.json.value) out.set(o.phenomenonTime.replace('.000Z', 'Z'), o.result);
    next = r.json['@iot.nextLink'] ? r.json['@iot.nextLink'].replace(/^http:\/\/[^/]+/, '') : null;
  }
  return out;
}

async function crashRounds({ rounds, database }) {
  const dataDir = mkdtempSync(join(tmpdir(), 'datenwerk-crash-'));
  const db = database ? ['--database', database] : [];
  const key = execFileSync(BIN, ['--data-dir', dataDir, ...db, 'apikey', 'create', '--role', 'administrator', '--label', 'crash'],
    { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  const start = () => spawnServer(['--data-dir', dataDir, ...db, '--port', '0', '--log-level', 'info']);
  let server = await start();
  let base = `http://127.0.0.1:${server.port}`;
  const streams = Array.from({ length: STREAMS }, (_, i) => ({ name: `Reihe ${i}`, description: 'd',
    unitOfMeasurement: { name: 'Zentimeter', symbol: 'cm' }, observationType: 'OM_Measurement',
    Sensor: { name: 's', description: 'd', encodingType: 'text/html', metadata: 'm' },
    ObservedProperty: { name: 'p', definition: 'd', description: 'd' } }));
  assert.equal((await call(base, key, 'POST', '/sta/v1.1/Things', { name: 'Pegel', description: 'd',
    Locations: [{ name: 'l', description: 'd', encodingType: 'application/geo+json', location: { type: 'Point', coordinates: [7.2, 51.5] } }],
    Datastreams: streams })).status, 201);
  // Uplinks of one device go to a Datastream of their own (id STREAMS + 1).
  assert.equal((await call(base, key, 'POST', '/sta/v1.1/Things', { name: 'Sonde', description: 'd',
    Locations: [{ name: 'l', description: 'd', encodingType: 'application/geo+json', location: { type: 'Point', coordinates: [7.2, 51.5] } }],
    Datastreams: [{ ...streams[0], name: 'Sonde Wert' }] })).status, 201);
  const UPLINK_DS = STREAMS + 1;
  assert.equal((await call(base, key, 'PUT', '/api/v1/devices/0101010101010E0F', { name: 'Sonde', codec: 'object', fields: { value: UPLINK_DS } })).status, 200);
  const uplinkBase = Date.now() - 100 * 86400_000;  // the ingestor takes the last 400 days
  const uplink = (n) => ({ time: new Date(uplinkBase + n * 1000).toISOString(), deviceInfo: { devEui: '0101010101010E0F' },
    fCnt: n % 65536, object: { value: (n % 50) + 0.5 } });
  assert.equal((await call(base, key, 'POST', '/api/v1/alert-rules', { name: 'Hoch', kind: 'above', threshold: 90, scope: { datastream: 1 } })).status, 201);

  const acked = { singles: [], batches: [], deep: [], kpi: [], uplinks: [] };
  const attempted = { batches: [], deep: [], uplinks: [] };
  try {
    // At least `rounds` kills, and more (up to three times as many) until enough writes of every
    // kind were acknowledged for the checks to mean something (a sanitizer build is slower).
    const enough = () => acked.singles.length > 50 && acked.uplinks.length > 10 && acked.batches.length > 5 &&
      acked.deep.length > 2 && acked.kpi.length > 5;
    let round = 0;
    for (; round < rounds || (!enough() && round < 3 * rounds); ++round) {
      let stop = false;
      const clients = Array.from({ length: 13 }, async (_, c) => {
        for (let i = 0; !stop; ++i) {
          const n = round * 1_000_000 + c * 50_000 + i;
          try {
            if (c < 8) {  // single Observations
              const ds = 1 + (n % STREAMS);
              const obs = { t: iso(n), ds, v: (n % 100) + 0.5 };
              const r = await call(base, key, 'POST', '/sta/v1.1/Observations',
                { phenomenonTime: obs.t, result: obs.v, Datastream: { '@iot.id': ds } }, { Prefer: 'return=minimal' });
              if (r.status === 204) acked.singles.push(obs);
            } else if (c < 10) {  // batches, all or nothing
              const ds = 1 + (n % STREAMS);
              const batch = { ds, first: 40_000_000 + n * BATCH };
              attempted.batches.push(batch);
              const rows = Array.from({ length: BATCH }, (_, k) => [iso(batch.first + k), k]);
              const r = await call(base, key, 'POST', '/sta/v1.1/CreateObservations',
                [{ Datastream: { '@iot.id': ds }, components: ['phenomenonTime', 'result'], dataArray: rows }]);
              if (r.status === 201) acked.batches.push(batch);
            } else if (c === 10) {  // deep inserts
              const name = `Station ${n}`;
              attempted.deep.push(name);
              const r = await call(base, key, 'POST', '/sta/v1.1/Things', { name, description: 'd',
                Locations: [{ name: 'l', description: 'd', encodingType: 'application/geo+json', location: { type: 'Point', coordinates: [7.2, 51.5] } }],
                Datastreams: [{ ...streams[0], name: `Reihe von ${name}`,
                  Observations: Array.from({ length: DEEP }, (_, k) => ({ phenomenonTime: iso(k), result: k })) }] });
              if (r.status === 201) acked.deep.push(name);
            } else if (c === 12) {  // ChirpStack uplinks
              attempted.uplinks.push(n);
              const r = await call(base, key, 'POST', '/api/v1/ingest/chirpstack?event=up', uplink(n));
              if (r.status === 201) acked.uplinks.push(n);
            } else {  // KPI values (the catalogue)
              const value = n + 0.25;
              const r = await call(base, key, 'POST', '/api/v1/kpis/SCBOK-ZI-NI-K1.1/values', { date: '2024-01-01', value });
              if (r.status === 201) acked.kpi.push(value);
              await sleep(10);
            }
          } catch {
            await sleep(5);  // the server is gone: this write is not acknowledged
          }
        }
      });
      await sleep(300 + Math.floor(Math.random() * 900));
      server.child.kill('SIGKILL');
      await new Promise((r) => server.child.once('exit', r));
      stop = true;
      await Promise.all(clients);
      server = await start();
      base = `http://127.0.0.1:${server.port}`;

      // Every acknowledged single Observation is there with its value.
      const seen = [];
      for (let ds = 1; ds <= STREAMS; ++ds) seen[ds] = await allObservations(base, key, ds);
      for (const o of acked.singles) assert.equal(seen[o.ds].get(o.t), o.v, `acknowledged Observation ${o.t} of Datastream ${o.ds}`);
      // Each batch is there whole or not at all; acknowledged ones whole.
      for (const b of attempted.batches) {
        let present = 0;
        for (let k = 0; k < BATCH; ++k) present += seen[b.ds].has(iso(b.first + k)) ? 1 : 0;
        assert.ok(present === 0 || present === BATCH, `batch at ${b.first}: ${present} of ${BATCH}`);
      }
      for (const b of acked.batches) assert.ok(seen[b.ds].has(iso(b.first)), `acknowledged batch at ${b.first}`);
      // Each deep insert is there whole (Thing, Datastream, Observations) or not at all.
      const things = await call(base, key, 'GET', `/sta/v1.1/Things?$filter=startswith(name,'Station ')&$expand=Datastreams($expand=Observations($select=result))&$top=10000`);
      assert.equal(things.status, 200, things.text);
      const byName = new Map(things.json.value.map((t) => [t.name, t]));
      for (const name of attempted.deep) {
        const t = byName.get(name);
        if (!t) continue;
        assert.equal(t.Datastreams.length, 1, `${name}: its Datastream`);
        assert.equal(t.Datastreams[0].Observations.length, DEEP, `${name}: its Observations`);
      }
      for (const name of acked.deep) assert.ok(byName.has(name), `acknowledged deep insert ${name}`);
      // An uplink's sighting and reading are both there or neither: sent again, one that was
      // stored is a duplicate, one that was not is stored now. Acknowledged ones are there.
      const uplinkSeen = await allObservations(base, key, UPLINK_DS);
      const ackedUplinks = new Set(acked.uplinks);
      for (const n of attempted.uplinks.splice(0)) {
        const t = new Date(uplinkBase + n * 1000).toISOString().replace('.000Z', 'Z');
        const present = uplinkSeen.has(t);
        if (ackedUplinks.has(n)) assert.ok(present, `acknowledged uplink ${n}`);
        const again = await call(base, key, 'POST', '/api/v1/ingest/chirpstack?event=up', uplink(n));
        assert.equal(again.json.status, present ? 'duplicate' : 'stored', `uplink ${n} sent again (reading ${present ? 'present' : 'absent'}): ${again.text}`);
      }
      // Every acknowledged KPI value is there.
      const values = new Set();
      for (let offset = 0; ; offset += 500) {
        const page = await call(base, key, 'GET', `/api/v1/kpis/SCBOK-ZI-NI-K1.1/values?limit=500&offset=${offset}`);
        assert.equal(page.status, 200, page.text);
        for (const v of page.json.items) values.add(v.value);
        if (page.json.items.length < 500) break;
      }
      for (const v of acked.kpi) assert.ok(values.has(v), `acknowledged KPI value ${v}`);
      // The alert engine came back with its states.
      assert.equal((await call(base, key, 'GET', '/api/v1/alerts?state=firing,acknowledged,resolved')).status, 200);
    }
    console.log(`${round} kills: acknowledged ${acked.singles.length} single Observations, ${acked.uplinks.length} uplinks, ${acked.batches.length} batches, ` +
      `${acked.deep.length} deep inserts, ${acked.kpi.length} KPI values; checked ${attempted.batches.length} batches and ` +
      `${attempted.deep.length} deep inserts for all or nothing`);
    assert.ok(acked.singles.length > 50, `singles acknowledged: ${acked.singles.length}`);
    assert.ok(acked.uplinks.length > 10, `uplinks acknowledged: ${acked.uplinks.length}`);
    assert.ok(acked.batches.length > 5 && acked.deep.length > 2 && acked.kpi.length > 5,
      `acknowledged: ${acked.batches.length} batches, ${acked.deep.length} deep inserts, ${acked.kpi.length} KPI values`);
  } finally {
    server.child.kill('SIGKILL');
    await new Promise((r) => (server.child.exitCode === null ? server.child.once('exit', r) : r()));
    rmSync(dataDir, { recursive: true, force: true });
  }
}

test('kill -9 under mixed writes on SQLite: acknowledged writes complete, nothing half there', async () => {
  await crashRounds({ rounds: 6 });
});

test('kill -9 under mixed writes on PostgreSQL: acknowledged writes complete, nothing half there', { skip: !POSTGRES && !process.env.CI }, async () => {
  assert.ok(POSTGRES, 'CI runs this test through scripts/with-postgres.sh');
  const schema = `crash_${process.pid}`;
  execFileSync('psql', [POSTGRES, '-q', '-c', `CREATE SCHEMA ${schema}`]);
  await crashRounds({ rounds: 4, database: `${POSTGRES} options='-c search_path=${schema}'` });
});
