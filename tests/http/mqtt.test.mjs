// Datenwerk on a real Mosquitto broker (Debian's mosquitto, started here on loopback):
// LoRaWAN uplinks over MQTT, SensorThings creates over MQTT, notifications of new Observations,
// reconnection after a broker restart, and messages queued for Datenwerk while it was down.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnServer, BIN } from '../support/server.mjs';
import { freePort } from '../support/ports.mjs';

let dir, port, broker, server, apiKey;
const PLUGIN = process.env.DATENWERK_MOSQUITTO_PLUGIN;  // broker/mosquitto_plugin.cc
if (!PLUGIN) throw new Error('DATENWERK_MOSQUITTO_PLUGIN must name the Mosquitto plugin');

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function startBroker() {
  const conf = join(dir, 'mosquitto.conf');
  writeFileSync(conf, `listener ${port} 127.0.0.1\nallow_anonymous true\npersistence false\nplugin ${PLUGIN}\n`);
  broker = spawn('/usr/sbin/mosquitto', ['-c', conf], { stdio: 'ignore' });
  for (let i = 0; i < 50; i++) {
    try { execFileSync('mosquitto_pub', ['-h', '127.0.0.1', '-p', String(port), '-t', 'ping', '-m', 'x']); return; } catch { await sleep(100); }
  }
  throw new Error('mosquitto did not start');
}
async function stopBroker() {
  const exited = new Promise((r) => broker.once('exit', r));
  broker.kill('SIGTERM');
  await exited;
}
async function startDatenwerk() {
  server = await spawnServer(['--data-dir', join(dir, 'data'), '--port', '0', '--mqtt', `127.0.0.1:${port}`]);
  server.base = `http://127.0.0.1:${server.port}`;
  await waitFor(() => server.output().includes('MQTT connected'), 'datenwerk connects to the broker');
}
async function stopDatenwerk() {
  const exited = new Promise((r) => server.child.once('exit', r));
  server.child.kill('SIGTERM');
  await exited;
}
async function waitFor(check, what, ms = 10000) {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    if (await check()) return;
    await sleep(100);
  }
  assert.fail(`timed out waiting until ${what}\n${server?.output().split('\n').filter((l) => !/\] \[debug\]/.test(l)).slice(-8).join('\n')}`);
}
function publish(topic, body) {
  execFileSync('mosquitto_pub', ['-h', '127.0.0.1', '-p', String(port), '-q', '1', '-t', topic, '-m', JSON.stringify(body)]);
}
async function api(method, path, body) {
  const res = await fetch(server.base + path, {
    method, headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${apiKey}` },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  assert.ok(res.status < 300, `${method} ${path}: ${res.status} ${await res.clone().text()}`);
  return res.status === 204 ? null : res.json();
}
const observationCount = async () => (await (await fetch(`${server.base}/sta/v1.1/Datastreams(1)/Observations?$count=true&$top=0`)).json())['@iot.count'];
const uplink = (fCnt, value) => ({
  time: new Date(Date.now() - 60000 + fCnt).toISOString(), deviceInfo: { devEui: '0101010101010a0b', deviceName: 'boden-3' },
  fCnt, fPort: 2, object: { soilMoisture: value },
});

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'datenwerk-mqtt-'));
  port = await freePort();
  await startBroker();
  apiKey = execFileSync(BIN, ['--data-dir', join(dir, 'data'), 'apikey', 'create', '--role', 'administrator', '--label', 'MQTT-Test'],
    { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  await startDatenwerk();
  await api('POST', '/sta/v1.1/Things', {
    name: 'Bodensonde', description: 'LoRaWAN',
    Locations: [{ name: 'Westpark', description: 'd', encodingType: 'application/geo+json', location: { type: 'Point', coordinates: [7.19, 51.48] } }],
    Datastreams: [{ name: 'Bodenfeuchte', description: 'd', unitOfMeasurement: { name: 'Prozent', symbol: '%', definition: 'ucum:%' }, observationType: 'OM_Measurement',
      Sensor: { name: 'SMT100', description: 'd', encodingType: 'text/html', metadata: 'm' },
      ObservedProperty: { name: 'Bodenfeuchte', definition: 'd', description: 'd' } }],
  });
  await api('PUT', '/api/v1/devices/0101010101010A0B', { name: 'boden-3', codec: 'object', fields: { soilMoisture: 1 } });
});

after(async () => {
  if (server?.child.exitCode === null && server?.child.signalCode === null) await stopDatenwerk();
  if (broker?.exitCode === null && broker?.signalCode === null) await stopBroker();
  rmSync(dir, { recursive: true, force: true });
});

test('a new Observation is published to v1.1/Datastreams(1)/Observations', async () => {
  const sub = spawn('mosquitto_sub', ['-h', '127.0.0.1', '-p', String(port), '-t', 'v1.1/Datastreams(1)/Observations', '-C', '1', '-W', '10']);
  let got = '';
  sub.stdout.on('data', (d) => { got += d; });
  const done = new Promise((r) => sub.once('exit', r));
  await sleep(300);  // let the subscription settle
  await api('POST', '/sta/v1.1/Datastreams(1)/Observations', { phenomenonTime: new Date().toISOString(), result: 21.25 });
  await done;
  const message = JSON.parse(got);
  assert.equal(message.result, 21.25);
  assert.match(message['@iot.selfLink'], /\/sta\/v1\.1\/Observations\(\d+\)$/);
});

test('a PATCH is published to the entity, property and navigation topics, with the HistoricalLocation of a move', async () => {
  const location = await api('POST', '/sta/v1.1/Locations', { name: 'Rathaus', description: 'd', encodingType: 'application/geo+json',
    location: { type: 'Point', coordinates: [7.216, 51.482] } });
  const topics = ['v1.1/Things(1)', 'v1.1/Things(1)/name', 'v1.1/Datastreams(1)/Thing', 'v1.1/HistoricalLocations'];
  const sub = spawn('mosquitto_sub', ['-h', '127.0.0.1', '-p', String(port), '-v', '-C', String(topics.length), '-W', '10',
    ...topics.flatMap((t) => ['-t', t])]);
  let got = '';
  sub.stdout.on('data', (d) => { got += d; });
  const done = new Promise((r) => sub.once('exit', r));
  await sleep(300);
  await api('PATCH', '/sta/v1.1/Things(1)', { name: 'Bodensonde Rathaus', Locations: [{ '@iot.id': location['@iot.id'] }] });
  await done;
  const messages = Object.fromEntries(got.trim().split('\n').map((line) => {
    const space = line.indexOf(' ');
    return [line.slice(0, space), JSON.parse(line.slice(space + 1))];
  }));
  assert.deepEqual(Object.keys(messages).sort(), [...topics].sort(), got);
  assert.equal(messages['v1.1/Things(1)'].name, 'Bodensonde Rathaus');
  assert.deepEqual(messages['v1.1/Things(1)/name'], { name: 'Bodensonde Rathaus' });
  assert.equal(messages['v1.1/Datastreams(1)/Thing']['@iot.id'], 1);
  assert.match(messages['v1.1/HistoricalLocations']['Thing@iot.navigationLink'], /HistoricalLocations\(\d+\)\/Thing$/);
});

// Subscribes (mosquitto_sub, -v) to `topics` until `count` messages came; resolves to
// [topic, message] pairs once Datenwerk has learnt of the topics from the broker plugin.
async function subscribe(topics, count) {
  const mark = server.output().length;
  const sub = spawn('mosquitto_sub', ['-h', '127.0.0.1', '-p', String(port), '-v', '-C', String(count), '-W', '10',
    ...topics.flatMap((t) => ['-t', t])]);
  let got = '';
  sub.stdout.on('data', (d) => { got += d; });
  const done = new Promise((r) => sub.once('exit', r)).then(() => got.trim().split('\n').filter(Boolean).map((line) => {
    const brace = line.indexOf(' {');
    return [line.slice(0, brace), JSON.parse(line.slice(brace + 1))];
  }));
  // Whether Datenwerk logged, since this subscription, that it knows n topics with options.
  const known = (n) => server.output().slice(mark).includes(`MQTT: ${n} subscribed topics with query options`);
  return { done, known };
}

test('$select topics get only the selected properties (18-088 14.2, through the broker plugin)', async () => {
  const topics = ['v1.1/Things?$select=id,description', 'v1.1/Things(1)?$select=name'];
  const sub = await subscribe(topics, 3);
  await waitFor(() => sub.known(2), 'Datenwerk knows both topics');
  const created = await api('POST', '/sta/v1.1/Things', { name: 'Pegel', description: 'Teich im Westpark' });
  await api('PATCH', '/sta/v1.1/Things(1)', { name: 'Bodensonde Westpark' });
  // As FROST-Server does, the entity set's topic hears of the change too (issue 22).
  const messages = (await sub.done).map(([t, m]) => JSON.stringify([t, m])).sort();
  assert.deepEqual(messages, [
    ['v1.1/Things(1)?$select=name', { name: 'Bodensonde Westpark' }],
    ['v1.1/Things?$select=id,description', { '@iot.id': 1, description: 'LoRaWAN' }],
    ['v1.1/Things?$select=id,description', { '@iot.id': created['@iot.id'], description: 'Teich im Westpark' }],
  ].map((x) => JSON.stringify(x)).sort());
  await waitFor(() => sub.known(0), 'the topics are forgotten when the subscriber leaves');
});

test('$filter topics (FROST-Server extension) get only the matching entities, filters across navigation included', async () => {
  const topics = ["v1.1/Datastreams(1)/Observations?$filter=result gt 30&$select=result",
    "v1.1/Observations?$filter=Datastream/name eq 'Bodenfeuchte' and result lt 0&$select=result,phenomenonTime",
    'v1.1/Datastreams(1)/Observations?%24filter=result%20eq%2012'];
  const sub = await subscribe(topics, 3);
  await waitFor(() => sub.known(3), 'Datenwerk knows the three topics');
  for (const result of [12, 35, -4]) {
    await api('POST', '/sta/v1.1/Datastreams(1)/Observations', { phenomenonTime: '2024-05-01T10:00:00Z', result });
  }
  const messages = await sub.done;
  assert.deepEqual(messages.sort((a, b) => a[0].localeCompare(b[0])), [
    [topics[0], { result: 35 }],
    [topics[2], messages.find(([t]) => t === topics[2])[1]],
    [topics[1], { result: -4, phenomenonTime: '2024-05-01T10:00:00.000Z' }],
  ].sort((a, b) => a[0].localeCompare(b[0])));
  assert.equal(messages.find(([t]) => t === topics[2])[1].result, 12);
});

test('deep navigation topics hear of the entity at their end (through the broker plugin): two hops, and from an Observation', async () => {
  const observation = await api('POST', '/sta/v1.1/Datastreams(1)/Observations', { phenomenonTime: '2024-06-01T10:00:00Z', result: 7 });
  const id = observation['@iot.id'];
  const topics = [`v1.1/Observations(${id})/Datastream/Thing`, `v1.1/Observations(${id})/Datastream?$select=name`,
    `v1.1/Observations(${id})/Datastream/Thing/Locations`, 'v1.1/Observations(999999999)/Datastream/Thing'];
  const sub = await subscribe(topics, 3);
  await waitFor(() => sub.known(4), 'Datenwerk knows the four topics');
  await api('PATCH', '/sta/v1.1/Things(1)', { description: 'zwei Schritte entfernt' });
  await api('PATCH', '/sta/v1.1/Datastreams(1)', { name: 'Bodenfeuchte 10 cm' });
  const location = (await api('GET', '/sta/v1.1/Things(1)/Locations?$top=1')).value[0];
  await api('PATCH', `/sta/v1.1/Locations(${location['@iot.id']})`, { description: 'drei Schritte entfernt' });
  const messages = Object.fromEntries(await sub.done);
  assert.deepEqual(Object.keys(messages).sort(), topics.slice(0, 3).sort());  // no such Observation: nothing
  assert.equal(messages[topics[0]].description, 'zwei Schritte entfernt');
  assert.deepEqual(messages[topics[1]], { name: 'Bodenfeuchte 10 cm' });
  assert.equal(messages[topics[2]].description, 'drei Schritte entfernt');
});

test('an update reaches the collection topics of the entities it belongs to', async () => {
  const observation = await api('POST', '/sta/v1.1/Datastreams(1)/Observations', { phenomenonTime: '2024-06-02T10:00:00Z', result: 8 });
  const topics = ['v1.1/Datastreams(1)/Observations?$select=result', 'v1.1/Things(1)/Locations?$select=description'];
  const sub = await subscribe(topics, 2);
  await waitFor(() => sub.known(2), 'Datenwerk knows both topics');
  await api('PATCH', `/sta/v1.1/Observations(${observation['@iot.id']})`, { result: 9 });
  const location = (await api('GET', '/sta/v1.1/Things(1)/Locations?$top=1')).value[0];
  await api('PATCH', `/sta/v1.1/Locations(${location['@iot.id']})`, { description: 'geändert' });
  assert.deepEqual(Object.fromEntries(await sub.done), {
    [topics[0]]: { result: 9 }, [topics[1]]: { description: 'geändert' } });
});

test('hostile topics with query options are skipped, a forged list is refused, and Datenwerk keeps serving', async () => {
  const bad = ['v1.1/Things?$filter=((((', 'v1.1/Things?$top=3', 'v1.1/Bogus?$select=x', 'v1.1/Things?$select=nope',
    `v1.1/Things?$filter=${'not '.repeat(300)}true`, 'v1.1/Things(1)/name?$select=name',
    "v1.1/Things?$filter=Datastreams/Observations/result gt 0 and Datastreams/Observations/result gt 0&$select=id"];
  const sub = await subscribe([...bad, 'v1.1/Things?$select=name'], 1);
  // The last bad one is valid (a costly filter, bounded in time) and matches no new Thing.
  await waitFor(() => sub.known(2), 'only the well-formed topics are taken');
  execFileSync('mosquitto_pub', ['-h', '127.0.0.1', '-p', String(port), '-q', '1', '-t', 'datenwerk/subscriptions', '-s'],
    { input: Array.from({ length: 5000 }, (_, i) => `v1.1/Things(${i})?$select=name`).join('\n') });
  await api('POST', '/sta/v1.1/Things', { name: 'Nach dem Angriff', description: 'd' });
  assert.deepEqual(await sub.done, [['v1.1/Things?$select=name', { name: 'Nach dem Angriff' }]]);
  await sleep(300);  // time for a forged list to arrive, had the broker let it through
  assert.ok(!sub.known(1000), 'the forged list never reached Datenwerk');
  assert.equal((await fetch(`${server.base}/sta/v1.1/Things?$top=1`)).status, 200);
});

test('a ChirpStack uplink over MQTT becomes an Observation, once', async () => {
  const before = await observationCount();
  const message = uplink(1, 30.5);
  publish('application/klima/device/0101010101010a0b/event/up', message);
  publish('application/klima/device/0101010101010a0b/event/up', message);  // redelivered
  await waitFor(async () => (await observationCount()) === before + 1, 'the uplink is stored');
  await sleep(300);
  assert.equal(await observationCount(), before + 1);
});

test('CreateObservations published to v1.1/CreateObservations are stored as a batch', async () => {
  const before = await observationCount();
  const t0 = Date.now() - 3600e3;
  const rows = Array.from({ length: 500 }, (_, i) => [new Date(t0 + i * 1000).toISOString(), i / 10]);
  rows.push(['kaputt', 1]);
  publish('v1.1/CreateObservations', [{ Datastream: { '@iot.id': 1 }, components: ['phenomenonTime', 'result'], dataArray: rows }]);
  await waitFor(async () => (await observationCount()) === before + 500, 'the 500 good rows are stored');
});

test('an Observation published to the SensorThings topic is created', async () => {
  const before = await observationCount();
  publish('v1.1/Datastreams(1)/Observations', { phenomenonTime: new Date().toISOString(), result: 12 });
  await waitFor(async () => (await observationCount()) === before + 1, 'the MQTT create is stored');
});

test('the simulated fleet over MQTT: ChirpStack and The Things Stack topics through Mosquitto', async () => {
  const run = spawnSync(BIN, ['simulate', '--url', server.base, '--key', apiKey, '--mqtt', `127.0.0.1:${port}`,
    '--backfill-days', '0.1', '--seed', '3'], { encoding: 'utf8' });
  assert.equal(run.status, 0, run.stderr + run.stdout);
  const sent = Number(/(\d+) uplinks/.exec(run.stdout + run.stderr)[1]);
  assert.ok(sent > 100);
  // Over every device of the kind: the simulation lets single devices drop out for a while, and
  // which device gets the first Thing depends on the order the parallel setup ran in.
  const stored = async (kind) => {
    const things = await (await fetch(`${server.base}/sta/v1.1/Things?$filter=${encodeURIComponent(`properties/art eq '${kind}'`)}&$expand=Datastreams($select=id)&$top=100`)).json();
    let sum = 0;
    for (const t of things.value) {
      for (const ds of t.Datastreams) {
        sum += (await (await fetch(`${server.base}/sta/v1.1/Datastreams(${ds['@iot.id']})/Observations?$count=true&$top=0`)).json())['@iot.count'];
      }
    }
    return sum;
  };
  // Soil sensors speak ChirpStack, rain gauges The Things Stack with Cayenne LPP.
  await waitFor(async () => (await stored('Bodenfeuchte')) > 0 && (await stored('Regenmesser')) > 0, 'uplinks of both network servers are stored', 20000);
});

test('Datenwerk reconnects after the broker restarts', async () => {
  await stopBroker();
  await startBroker();
  const connects = () => server.output().split('MQTT connected').length - 1;
  await waitFor(() => connects() >= 2, 'datenwerk reconnected', 20000);
  const before = await observationCount();
  publish('application/klima/device/0101010101010a0b/event/up', uplink(2, 31));
  await waitFor(async () => (await observationCount()) === before + 1, 'the uplink after the restart is stored');
});

test('uplinks published while Datenwerk was down arrive when it is back', async () => {
  const before = await observationCount();
  await stopDatenwerk();
  publish('application/klima/device/0101010101010a0b/event/up', uplink(3, 32));
  publish('application/klima/device/0101010101010a0b/event/up', uplink(4, 33));
  await startDatenwerk();
  await waitFor(async () => (await observationCount()) === before + 2, 'the queued uplinks are stored', 15000);
});

test('an alert that fires is published to datenwerk/alerts/firing, without staff names', async () => {
  const rule = await api('POST', '/api/v1/alert-rules', { name: 'Zu nass', kind: 'above', threshold: 90, scope: { datastream: 1 } });
  const sub = spawn('mosquitto_sub', ['-h', '127.0.0.1', '-p', String(port), '-v', '-C', '1', '-W', '10', '-t', 'datenwerk/alerts/#']);
  let got = '';
  sub.stdout.on('data', (d) => { got += d; });
  const done = new Promise((r) => sub.once('exit', r));
  await sleep(300);
  await api('POST', '/sta/v1.1/Datastreams(1)/Observations', { phenomenonTime: new Date(Date.now() + 60000).toISOString(), result: 95 });
  await done;
  const space = got.indexOf(' ');
  assert.equal(got.slice(0, space), 'datenwerk/alerts/firing', got);
  const message = JSON.parse(got.slice(space + 1));
  assert.equal(message.event, 'firing');
  assert.equal(message.alert.rule.name, 'Zu nass');
  assert.equal(message.alert.value, 95);
  assert.equal(message.who, null);
  await api('DELETE', `/api/v1/alert-rules/${rule.id}`);
});
