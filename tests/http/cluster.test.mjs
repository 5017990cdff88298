// Three nodes on one PostgreSQL database and one Mosquitto broker, behind HAProxy with the
// deployment's own configuration (deploy/haproxy.cfg): a change made through one node reaches
// the others' caches within a second (LISTEN/NOTIFY); uplinks published to the broker are shared
// between the nodes and each stored once; webhooks through HAProxy land on any node; the
// background jobs are held by one node, and when it is killed (kill -9) another takes them over
// once its leases run out, while every request through HAProxy still succeeds. Alert storms
// whose readings reach every node are evaluated by the one node that holds the "alerts" job:
// each alert fires and resolves once, across the kill too, and a SensorThings MQTT subscriber
// on the broker gets each new Observation once, whichever node stored it. With Patroni and etcd
// installed (as in CI) the database is a Patroni-managed pair (deploy/patroni.yml), and at the
// end its primary is switched over under all of that load at once.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer as createHttpServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BIN, spawnServer } from '../support/server.mjs';
import { Client, createUser } from '../support/backoffice.mjs';
import { patroniAvailable, startPatroniPair } from '../support/patroni.mjs';
import { freePort } from '../support/ports.mjs';

const SOURCE = process.env.DATENWERK_SOURCE_DIR;

const POSTGRES = process.env.DATENWERK_TEST_POSTGRES;
const LEASE_S = 3;
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

let dir, pair, database, brokerPort, broker, apiKey, proxy, proxyBase, hook, hookPort;
const hookKeys = [];  // the Idempotency-Key of each webhook delivery, in order
const nodes = [];

function sql(query) {
  return execFileSync('psql', [database, '-Atq', '-c', query], { encoding: 'utf8' }).trim();
}

async function startNode(name) {
  const node = await spawnServer(['--data-dir', join(dir, name), '--database', database, '--port', '0',
    '--mqtt', `127.0.0.1:${brokerPort}`, '--mqtt-share', 'datenwerk', '--lease-seconds', String(LEASE_S),
    '--trusted-proxy', '127.0.0.1']);
  node.base = `http://127.0.0.1:${node.port}`;
  node.name = node.output().match(/this node is (\S+)/)[1];
  await waitFor(() => node.output().includes('MQTT connected'), `${name} connects to the broker`);
  nodes.push(node);
  return node;
}

async function waitFor(check, what, ms = 10000) {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    if (await check()) return;
    await sleep(50);
  }
  assert.fail(`timed out waiting until ${what}\n${nodes.map((n) => n.output().split('\n').slice(-6).join('\n')).join('\n--\n')}`);
}

async function call(node, method, path, body) {
  const r = await fetch(node.base + path, {
    method, headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${apiKey}` },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await r.text();
  return { status: r.status, text, json: text ? JSON.parse(text) : null };
}

const uplink = (fCnt) => JSON.stringify({
  time: new Date(Date.UTC(2026, 0, 1) + fCnt * 60000).toISOString(),
  deviceInfo: { devEui: '0101010101010a0b', deviceName: 'boden-3' }, fCnt, fPort: 2, object: { soilMoisture: 20 + (fCnt % 50) / 10 },
});

// Publishes uplinks with f_cnt in [from, to) at QoS 1 through one mosquitto_pub (-l: a message a line).
function publish(from, to) {
  const lines = [];
  for (let f = from; f < to; f++) lines.push(uplink(f));
  execFileSync('mosquitto_pub', ['-h', '127.0.0.1', '-p', String(brokerPort), '-q', '1', '-l',
    '-t', 'application/7/device/0101010101010a0b/event/up'], { input: lines.join('\n') + '\n' });
}

const observationCount = async (node) =>
  (await call(node, 'GET', '/sta/v1.1/Datastreams(1)/Observations?$count=true&$top=0')).json['@iot.count'];

before(async () => {
  if (!POSTGRES) {
    if (process.env.CI) throw new Error('CI runs the PostgreSQL suite: use scripts/with-postgres.sh');
    return;
  }
  dir = mkdtempSync(join(tmpdir(), 'datenwerk-cluster-'));
  if (patroniAvailable()) {
    pair = await startPatroniPair(dir);
    database = pair.database;
  } else {
    if (process.env.CI) throw new Error('CI installs patroni and etcd-server (scripts/setup.sh)');
    const schema = `cluster_${process.pid}`;
    execFileSync('psql', [POSTGRES, '-q', '-c', `CREATE SCHEMA ${schema}`]);
    database = `${POSTGRES} options='-c search_path=${schema}'`;
  }
  brokerPort = await freePort();
  const conf = join(dir, 'mosquitto.conf');
  writeFileSync(conf, `listener ${brokerPort} 127.0.0.1\nallow_anonymous true\npersistence false\n`);
  broker = spawn('/usr/sbin/mosquitto', ['-c', conf], { stdio: 'ignore' });
  for (let i = 0; i < 50; i++) {
    try { execFileSync('mosquitto_pub', ['-h', '127.0.0.1', '-p', String(brokerPort), '-t', 'ping', '-m', 'x'], { stdio: 'ignore' }); break; } catch { await sleep(100); }
  }
  hook = createHttpServer((req, res) => {
    req.resume();
    req.on('end', () => { hookKeys.push(req.headers['idempotency-key']); res.writeHead(204).end(); });
  });
  hookPort = await new Promise((r) => hook.listen(0, '127.0.0.1', () => r(hook.address().port)));
  apiKey = execFileSync(BIN, ['--data-dir', join(dir, 'keys'), '--database', database, 'apikey', 'create',
    '--role', 'administrator', '--label', 'Cluster-Test'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  createUser(join(dir, 'keys'), ['--database', database], { email: 'eva@bochum.de', role: 'editor', name: 'Eva Erfasserin', scopes: ['NMU-KK'] });
  createUser(join(dir, 'keys'), ['--database', database], { email: 'rolf@bochum.de', role: 'reviewer', name: 'Rolf Prüfer' });
  await startNode('a');
  await startNode('b');
  await startNode('c');
  const proxyPort = await freePort();
  proxyBase = `http://127.0.0.1:${proxyPort}`;
  proxy = spawn('/usr/sbin/haproxy', ['-db', '-f', join(SOURCE, 'deploy/haproxy.cfg')], {
    stdio: 'ignore',
    env: { ...process.env, DATENWERK_LISTEN: `127.0.0.1:${proxyPort}`,
      ...Object.fromEntries(nodes.map((n, i) => [`DATENWERK_NODE${i + 1}`, `127.0.0.1:${n.port}`])) },
  });
  await waitFor(async () => {
    try { return (await fetch(`${proxyBase}/health/ready`)).status === 200; } catch { return false; }
  }, 'HAProxy forwards');
  await makeSensor(nodes[0], { thing: 'Bodensonde', description: 'LoRaWAN', place: 'Westpark', coordinates: [7.19, 51.48],
    stream: 'Bodenfeuchte', unit: ['Prozent', '%'], sensor: 'SMT100', property: 'Bodenfeuchte' });
});

// A Thing with one Location and one Datastream, made through `node`; resolves to the Datastream's id.
async function makeSensor(node, { thing, description, place, placeDescription = 'd', coordinates, stream, unit, sensor, property }) {
  const made = await call(node, 'POST', '/sta/v1.1/Things', {
    name: thing, description,
    Locations: [{ name: place, description: placeDescription, encodingType: 'application/geo+json', location: { type: 'Point', coordinates } }],
    Datastreams: [{ name: stream, description: 'd', unitOfMeasurement: { name: unit[0], symbol: unit[1], definition: `ucum:${unit[1]}` }, observationType: 'OM_Measurement',
      Sensor: { name: sensor, description: 'd', encodingType: 'text/html', metadata: 'm' },
      ObservedProperty: { name: property, definition: 'd', description: 'd' } }],
  });
  assert.equal(made.status, 201, made.text);
  return (await call(node, 'GET', `/sta/v1.1/Datastreams?$filter=name eq '${stream}'`)).json.value[0]['@iot.id'];
}

after(async () => {
  for (const n of nodes) {
    if (n.child.exitCode === null && n.child.signalCode === null) {
      const exited = new Promise((r) => n.child.once('exit', r));
      n.child.kill('SIGTERM');
      await exited;
    }
  }
  for (const p of [proxy].filter(Boolean)) {
    const exited = new Promise((r) => p.once('exit', r));
    p.kill('SIGTERM');
    await exited;
  }
  if (hook) await new Promise((r) => hook.close(r));
  if (broker) {
    const exited = new Promise((r) => broker.once('exit', r));
    broker.kill('SIGTERM');
    await exited;
  }
  await pair?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

test('every node is ready, and a KPI value entered on one node is shown by another within a second, its cache included', { skip: !POSTGRES }, async () => {
  const [a, b] = nodes;
  for (const n of nodes) assert.equal((await call(n, 'GET', '/health/ready')).json.status, 'ready');
  const path = '/api/v1/kpis/SCBOK-ZI-NI-K1.1/values?limit=500';
  const before = (await call(b, 'GET', path)).json.items.length;  // now in b's response cache
  assert.equal((await call(b, 'GET', path)).json.items.length, before);
  assert.equal((await call(a, 'POST', '/api/v1/kpis/SCBOK-ZI-NI-K1.1/values', { date: '2026-11-30', value: 42.5 })).status, 201);
  const written = Date.now();
  await waitFor(async () => (await call(b, 'GET', path)).json.items.length === before + 1, 'b shows the new value', 1000);
  const seen = Date.now() - written;
  assert.ok(seen < 1000, `seen after ${seen} ms`);
  // The portal's page too (the catalogue snapshot behind it).
  const page = await (await fetch(`${b.base}/indikatoren/SCBOK-ZI-NI-K1.1`)).text();
  assert.match(page, /42,5/);
});

test('a device profile stored through one node is used by the other at once', { skip: !POSTGRES }, async () => {
  const [a, b] = nodes;
  // b reads the profile before it exists (and would keep "no such device" for 10 s without the feed).
  const missing = await fetch(`${b.base}/api/v1/ingest/chirpstack`, {
    method: 'POST', headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${apiKey}` }, body: uplink(1),
  });
  assert.equal(missing.status, 202, 'an unknown device: a dead letter');
  assert.equal((await call(a, 'PUT', '/api/v1/devices/0101010101010A0B', { name: 'boden-3', codec: 'object', fields: { soilMoisture: 1 } })).status, 200);
  await sleep(300);
  const stored = await fetch(`${b.base}/api/v1/ingest/chirpstack`, {
    method: 'POST', headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${apiKey}` }, body: uplink(2),
  });
  assert.equal(stored.status, 201, await stored.text());
  assert.equal(await observationCount(a), 1);
});

test('uplinks over MQTT are shared between the nodes and each stored once; the jobs are held by one node', { skip: !POSTGRES }, async () => {
  const [a, b] = nodes;
  publish(100, 1100);
  await waitFor(async () => (await observationCount(a)) >= 1001, 'the thousand uplinks are stored', 30000);
  await sleep(500);
  assert.equal(await observationCount(b), 1001, 'each uplink once');
  const taken = (n) => (n.output().match(/this node now does/g) ?? []).length;
  const holders = sql('SELECT DISTINCT holder FROM cluster_leases').split('\n');
  assert.deepEqual(holders, [a.name], 'the first node holds every job');
  assert.equal(taken(b) + taken(nodes[2]), 0);
});

// Webhook uplinks with the f_cnts `counts` through HAProxy, `parallel` at a time; resolves to
// { status: [f_cnt, …] } ("failed" when the connection broke without an answer).
async function webhooks(counts, parallel = 16) {
  const by = {};
  let next = 0;
  await Promise.all(Array.from({ length: parallel }, async () => {
    while (next < counts.length) {
      const f = counts[next++];
      let status = 'failed';
      try {
        const r = await fetch(`${proxyBase}/api/v1/ingest/chirpstack`, {
          method: 'POST', headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${apiKey}` }, body: uplink(f),
        });
        await r.arrayBuffer();
        status = r.status;
      } catch { /* the node died with the request: no answer */ }
      (by[status] ??= []).push(f);
    }
  }));
  return by;
}
const range = (from, to) => Array.from({ length: to - from }, (_, i) => from + i);

test('webhooks through HAProxy land on every node and each is stored once, sent twice or not', { skip: !POSTGRES }, async () => {
  const [a] = nodes;
  const first = await webhooks(range(3000, 3300));
  assert.deepEqual(Object.keys(first), ['201']);
  const again = await webhooks(range(3000, 3300));  // redelivered: harmless
  assert.deepEqual(Object.keys(again), ['200']);
  assert.equal(await observationCount(a), 1301);
});

// The alert storm: a water level gauge whose uplinks, one a second of phenomenon time, go
// 10, 30, 30, 10, ... : each cycle of four fires a "Hochwasser" alert (above 20) and resolves it
// (at or below 15). Sent one after another through HAProxy, so they land on every node in turn
// and commit in time order; a request that got no answer is sent again (ingest is idempotent).
const LEVELS = [10, 30, 30, 10];
let stormStart, gauge, hochwasser;
const gaugeUplink = (i) => JSON.stringify({
  time: new Date(stormStart + i * 1000).toISOString(),
  deviceInfo: { devEui: '0202020202020a0b', deviceName: 'pegel-1' }, fCnt: i, fPort: 2, object: { level: LEVELS[i % 4] },
});
async function storm(from, to, pause = 0) {
  for (let i = from; i < to; i++) {
    for (let attempt = 0; ; attempt++) {
      let status = 'failed', text = '';
      try {
        const r = await fetch(`${proxyBase}/api/v1/ingest/chirpstack`, {
          method: 'POST', headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${apiKey}` }, body: gaugeUplink(i),
        });
        text = await r.text();
        status = r.status;
      } catch { /* the node died with the request */ }
      if (status === 201 || status === 200) break;
      assert.ok(attempt < 100 && status !== 202, `uplink ${i}: ${status} ${text}`);
      await sleep(100);
    }
    if (pause) await sleep(pause);
  }
}
const ruleAlerts = async (node) =>
  (await call(node, 'GET', '/api/v1/alerts?limit=500')).json.value.filter((a) => a.rule.id === hochwasser);

test('alert storms through every node: the node holding "alerts" evaluates them all; each alert fires and resolves once; an STA MQTT subscriber gets each Observation once', { skip: !POSTGRES }, async () => {
  const [a, b, c] = nodes;
  assert.equal(sql("SELECT holder FROM cluster_leases WHERE job = 'alerts'"), a.name);
  // The gauge, its device profile, a webhook and the rule are made on nodes that do not evaluate.
  gauge = await makeSensor(b, { thing: 'Prüfpegel', description: 'LoRaWAN; ein Prüfgerät mit erfundenen Werten, an keinem wirklichen Ort',
    place: 'Prüfstand', placeDescription: 'kein wirklicher Ort', coordinates: [0, 0],
    stream: 'Pegelstand Prüfpegel', unit: ['Zentimeter', 'cm'], sensor: 'Radar', property: 'Pegelstand' });
  assert.equal((await call(b, 'PUT', '/api/v1/devices/0202020202020A0B', { name: 'pegel-1', codec: 'object', fields: { level: gauge } })).status, 200);
  assert.equal((await call(c, 'POST', '/api/v1/alert-webhooks', { url: `http://127.0.0.1:${hookPort}/hook`, label: 'Leitstelle', secret: 's'.repeat(32) })).status, 201);
  const made = await call(c, 'POST', '/api/v1/alert-rules', { name: 'Hochwasser', kind: 'above', threshold: 20, hysteresis: 5, scope: { datastream: gauge }, severity: 'kritisch' });
  assert.equal(made.status, 201, made.text);
  hochwasser = made.json.id;
  await sleep(300);
  stormStart = Date.now() + 1000;
  // An STA MQTT subscriber on the broker, and one for the alerts.
  const subscriber = spawn('mosquitto_sub', ['-h', '127.0.0.1', '-p', String(brokerPort), '-q', '1', '-v',
    '-t', `v1.1/Datastreams(${gauge})/Observations`, '-t', 'datenwerk/alerts/#']);
  let received = '';
  subscriber.stdout.on('data', (d) => { received += d; });
  try {
    await sleep(500);
    await storm(0, 40);
    await waitFor(async () => (await ruleAlerts(a)).filter((x) => x.state === 'resolved').length === 10, 'ten alerts resolved', 15000);
    await waitFor(() => hookKeys.length >= 20, 'the webhook has every firing and resolution', 10000);
    await sleep(1000);
  } finally {
    subscriber.kill('SIGTERM');
  }
  const alerts = await ruleAlerts(b);
  assert.equal(alerts.length, 10, 'one alert per cycle, none twice');
  for (const alert of alerts) {
    const history = (await call(c, 'GET', `/api/v1/alerts/${alert.id}`)).json.history.map((e) => e.kind);
    assert.deepEqual(history, ['firing', 'resolved'], `alert ${alert.id}`);
  }
  assert.equal(new Set(hookKeys).size, 20);
  assert.equal(hookKeys.length, 20, 'each notification delivered once');
  const lines = received.trim().split('\n');
  const observations = lines.filter((l) => l.startsWith('v1.1/')).map((l) => JSON.parse(l.slice(l.indexOf(' ') + 1)));
  assert.equal(observations.length, 40, 'each Observation once');
  assert.equal(new Set(observations.map((o) => o.phenomenonTime)).size, 40);
  assert.equal(lines.filter((l) => l.startsWith('datenwerk/alerts/firing ')).length, 10);
  // The nodes that do not evaluate record nothing; the one that does said so at its start.
  for (const n of [b, c]) assert.doesNotMatch(n.output(), /this node evaluates the rules now/);
});

// The back office through HAProxy: each request lands on the next node, so the sign-in form, its
// session, each CSRF token and each draft cross nodes all the time.
const BACK_OFFICE_KPI = 'SCBOK-NMU-KK-K1.2';
let eva, rolf;
async function enterAndPublish(dates) {
  for (const datum of dates) {
    const entered = await eva.post(`/verwaltung/indikatoren/${BACK_OFFICE_KPI}/werte`, { datum, wert: '12,5', csrf: await eva.csrf() });
    assert.equal(entered.status, 303, entered.text.slice(0, 300));
  }
  const queue = await rolf.get('/verwaltung/pruefung');
  const actions = [...new Set([...queue.text.matchAll(/href="\/verwaltung\/entwuerfe\/(\d+)"/g)].map((m) => m[1]))]
    .map((id) => `/verwaltung/entwuerfe/${id}/veroeffentlichen`);
  assert.equal(actions.length, dates.length, queue.text.slice(0, 500));
  for (const action of actions) {
    const published = await rolf.post(action, { csrf: await rolf.csrf() });
    assert.equal(published.status, 303, published.text.slice(0, 300));
  }
}
const publicDates = async (node) =>
  (await call(node, 'GET', `/api/v1/kpis/${BACK_OFFICE_KPI}/values?limit=500`)).json.items.map((v) => v.date);

test('the back office through HAProxy: signed in on one node, entered and published through the others', { skip: !POSTGRES }, async () => {
  eva = new Client(proxyBase);
  rolf = new Client(proxyBase);
  assert.equal((await eva.signIn('eva@bochum.de')).status, 303);
  assert.equal((await rolf.signIn('rolf@bochum.de')).status, 303);
  const dates = ['2025-01-31', '2025-02-28', '2025-03-31', '2025-04-30', '2025-05-31', '2025-06-30'];
  await enterAndPublish(dates);
  // Each node's catalogue follows the publishing node's commit over the change feed.
  for (const n of nodes) {
    await waitFor(async () => { const shown = await publicDates(n); return dates.every((d) => shown.includes(d)); },
      `${n.name} shows the published values`, 5000);
  }
});

test('live KPIs computed on every node at once: each KPI has one value per month', { skip: !POSTGRES }, async () => {
  // Staff may press "compute now" on any node while the node holding "live-kpis" runs the month:
  // the check for an existing value and the write are one transaction.
  const runs = [];
  for (let round = 0; round < 3; round++) {
    for (const n of nodes) {
      for (const month of ['2026-10', '2026-11']) runs.push(call(n, 'POST', `/api/v1/kpis-automatisch/berechnen?monat=${month}`));
    }
  }
  const answers = await Promise.all(runs);
  for (const r of answers) assert.equal(r.status, 200, JSON.stringify(r.json));
  assert.ok(answers.every((r) => r.json.written.length > 0), 'every run wrote its KPIs');
  const twice = sql("SELECT kpi_id || ' ' || period FROM kpi_value WHERE source = 'Datenwerk (automatisch)' " +
    'GROUP BY kpi_id, period HAVING count(*) > 1');
  assert.equal(twice, '', 'no KPI with two automatic values for one month');
  const months = sql("SELECT count(DISTINCT period) FROM kpi_value WHERE source = 'Datenwerk (automatisch)' AND period IN ('10/2026', '11/2026')");
  assert.equal(months, '2');
});

test('after kill -9 of the node holding the jobs, another takes them over; HAProxy and MQTT lose nothing', { skip: !POSTGRES }, async () => {
  const [a, b, c] = nodes;
  const sending = webhooks(range(4000, 4600), 8);  // while the node dies
  const storming = storm(40, 100, 50);  // fifteen more alert cycles around the kill
  await sleep(100);
  const exited = new Promise((r) => a.child.once('exit', r));
  a.child.kill('SIGKILL');
  await exited;
  const killed = Date.now();
  publish(2000, 2500);  // while the leases of the dead node still run
  const live = `'${b.name}', '${c.name}'`;
  await waitFor(() => sql(`SELECT count(*) FROM cluster_leases WHERE holder IN (${live}) AND expires_ms > (extract(epoch FROM clock_timestamp()) * 1000)::bigint`) === '9',
    'the other nodes hold all nine jobs', (LEASE_S + 3) * 1000);
  const takeover = Date.now() - killed;
  assert.ok(takeover < (LEASE_S + 2) * 1000, `taken over after ${takeover} ms`);
  // Requests in flight on the killed node get no answer (or HAProxy's 502): not acknowledged, so
  // the network server sends them again, and each is then stored once. Every other one was
  // answered by a live node.
  const sent = await sending;
  const unanswered = Object.entries(sent).filter(([status]) => status !== '201').flatMap(([, f]) => f);
  assert.ok(unanswered.length <= 8, `at most the ${8} in flight unanswered: ${JSON.stringify(Object.keys(sent))}`);
  const resent = await webhooks(unanswered);
  assert.deepEqual(Object.keys(resent).filter((s) => s !== '201' && s !== '200'), [], 'sent again: stored, or found stored');
  await waitFor(async () => (await observationCount(b)) === 1301 + 600 + 500, 'every uplink sent around the kill is stored', 20000);
  // The storm: every cycle's alert fired and resolved once, whichever node evaluated it.
  await storming;
  await waitFor(async () => (await ruleAlerts(b)).filter((x) => x.state === 'resolved').length === 25, 'all 25 alerts resolved', 20000)
    .catch(async (e) => {
      const seen = (await ruleAlerts(b)).map((x) => `${x.id} ${x.state} ${x.started} ${x.resolved}`);
      const stored = sql(`SELECT count(*) FROM uplink_seen WHERE dev_eui ILIKE '0202020202020a0b'`);
      throw new Error(`${e.message}\nalerts:\n${seen.join('\n')}\nstored gauge uplinks: ${stored}`);
    });
  const alerts = await ruleAlerts(c);
  assert.equal(alerts.length, 25, 'none twice, none lost');
  const events = sql(`SELECT string_agg(kind, ',' ORDER BY id) FROM alert_events WHERE alert_id IN (SELECT id FROM alerts WHERE rule_id = ${hochwasser}) GROUP BY alert_id`).split('\n');
  assert.deepEqual([...new Set(events)], ['firing,resolved']);
  await waitFor(() => new Set(hookKeys).size === 50, 'the webhook has all 50 notifications', 15000);
  // A delivery in flight when its node died is sent again (the receiver sees the same key).
  assert.ok(hookKeys.length <= 52, `${hookKeys.length} deliveries`);
  assert.equal(Number(sql('SELECT count(*) FROM uplink_seen')), 1301 + 600 + 500 + 100, 'each once (the dead letter not among them)');
  // The back office goes on with the sessions made before the kill, on the nodes that live.
  await enterAndPublish(['2025-07-31', '2025-08-31']);
  await waitFor(async () => { const shown = await publicDates(b); return shown.includes('2025-07-31') && shown.includes('2025-08-31'); },
    'node b shows the values published after the kill', 5000);
  assert.equal(Number(sql(`SELECT count(*) FROM audit_log WHERE action LIKE '%veroeffentl%'`)) >= 8, true);
});

test('a switchover of the primary under MQTT and webhook uplinks, STA writes, an alert storm and publishing: writes resume within 45 s; everything acknowledged is there once', { skip: !POSTGRES || !patroniAvailable(), timeout: 240000 }, async () => {
  const [, b, c] = nodes;
  const stream = await makeSensor(b, { thing: 'Prüfsonde Umschaltung', description: 'ein Prüfgerät mit erfundenen Werten, an keinem wirklichen Ort',
    place: 'Prüfstand 2', placeDescription: 'kein wirklicher Ort', coordinates: [0, 0],
    stream: 'Temperatur Prüfsonde', unit: ['Grad Celsius', '°C'], sensor: 'PT100', property: 'Lufttemperatur' });
  const uplinksBefore = Number(sql('SELECT count(*) FROM uplink_seen'));
  const readingsBefore = await observationCount(b);
  const acked = [];  // [ms since the start, what]
  const unacked = { webhooks: [], sta: [] };
  const staTime = (i) => new Date(Date.UTC(2026, 5, 1) + i * 1000).toISOString();
  const staAcked = [];
  let stop = false, nextWebhook = 5000, nextSta = 0, nextMqtt = 6000;
  const started = Date.now();
  const post = async (path, body, extra = {}) => {
    try {
      const r = await fetch(proxyBase + path, {
        method: 'POST', headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${apiKey}`, ...extra }, body,
      });
      await r.arrayBuffer();
      return r.status;
    } catch { return 'no answer'; }
  };
  const load = [
    ...[0, 1].map(async () => {  // LoRaWAN webhooks
      while (!stop) {
        const f = nextWebhook++;
        const status = await post('/api/v1/ingest/chirpstack', uplink(f));
        if (status === 201 || status === 200) acked.push([Date.now() - started, 'webhook']); else unacked.webhooks.push(f);
        await sleep(20);
      }
    }),
    (async () => {  // SensorThings, one Observation a request
      while (!stop) {
        const i = nextSta++;
        const status = await post('/sta/v1.1/Observations', JSON.stringify({ phenomenonTime: staTime(i), result: 20 + (i % 10) / 10,
          Datastream: { '@iot.id': stream } }), { Prefer: 'return=minimal' });
        if (status === 201) { staAcked.push(i); acked.push([Date.now() - started, 'sta']); } else unacked.sta.push(i);
        await sleep(20);
      }
    })(),
    (async () => {  // MQTT, twenty uplinks each 200 ms through the broker
      while (!stop) {
        publish(nextMqtt, nextMqtt + 20);
        nextMqtt += 20;
        await sleep(200);
      }
    })(),
  ];
  await sleep(1500);
  const storming = storm(100, 160, 150);  // fifteen alert cycles across the switchover
  await sleep(1000);
  const switched = Date.now() - started;
  await pair.switchover();
  const led = Date.now() - started;
  await waitFor(() => acked.some(([t]) => t > led), 'a write acknowledged after the switchover', 45000);
  const resumed = acked.find(([t]) => t > led)[0] - switched;
  assert.ok(resumed < 45000, `writes resumed ${resumed} ms after the switchover began`);
  await sleep(2000);
  stop = true;
  await Promise.all(load);
  await storming;
  // Publishing with the sessions made before the switchover.
  await enterAndPublish(['2025-09-30']);
  // What got no answer is sent again, as a network server or client does; it is stored once.
  const resent = await webhooks(unacked.webhooks, 4);
  assert.deepEqual(Object.keys(resent).filter((k) => k !== '201' && k !== '200'), [], JSON.stringify(resent));
  const mqtt = nextMqtt - 6000, sent = nextWebhook - 5000;
  console.log(`switchover: writes resumed ${resumed} ms after it began; ${acked.length} writes acknowledged, ` +
    `${unacked.webhooks.length + unacked.sta.length} not (sent again); ${mqtt} MQTT uplinks`);

  // Every uplink once (MQTT ones are tried again by the node for a minute), every reading once.
  await waitFor(async () => Number(sql('SELECT count(*) FROM uplink_seen')) === uplinksBefore + sent + mqtt + 60,
    'every uplink recorded once', 60000).catch((e) => {
    throw new Error(`${e.message}: ${sql('SELECT count(*) FROM uplink_seen')} of ${uplinksBefore + sent + mqtt + 60}`);
  });
  await waitFor(async () => (await observationCount(c)) === readingsBefore + sent + mqtt, 'every reading stored once', 10000);
  const times = (await call(c, 'GET', `/sta/v1.1/Datastreams(${stream})/Observations?$select=phenomenonTime&$top=10000`)).json.value
    .map((o) => o.phenomenonTime);
  assert.equal(new Set(times).size, times.length, 'no Observation twice');
  for (const i of staAcked) assert.ok(times.includes(staTime(i).replace('.000Z', 'Z')) || times.includes(staTime(i)), `acknowledged Observation ${i}`);
  // Every alert of the storm once, firing then resolved; every notification delivered.
  await waitFor(async () => (await ruleAlerts(b)).filter((x) => x.state === 'resolved').length === 40, 'all 40 alerts resolved', 30000);
  assert.equal((await ruleAlerts(c)).length, 40, 'none twice, none lost');
  const events = sql(`SELECT string_agg(kind, ',' ORDER BY id) FROM alert_events WHERE alert_id IN (SELECT id FROM alerts WHERE rule_id = ${hochwasser}) GROUP BY alert_id`).split('\n');
  assert.deepEqual([...new Set(events)], ['firing,resolved']);
  await waitFor(() => new Set(hookKeys).size === 80, 'the webhook has all 80 notifications', 20000);
  // Live KPIs computed on both nodes at once after the switchover: once per KPI and month.
  const runs = await Promise.all([b, c, b, c].map((n) => call(n, 'POST', '/api/v1/kpis-automatisch/berechnen?monat=2026-11')));
  for (const r of runs) assert.equal(r.status, 200, r.text);
  assert.equal(sql("SELECT count(*) FROM (SELECT 1 FROM kpi_value WHERE source = 'Datenwerk (automatisch)' GROUP BY kpi_id, period HAVING count(*) > 1) twice"), '0');
  for (const n of [b, c]) {
    await waitFor(async () => (await publicDates(n)).includes('2025-09-30'), `${n.name} shows the value published after the switchover`, 5000);
  }
});
