// `datenwerk simulate` against a started server: the fleet is registered as a city's staff would
// (Things marked simuliert, Datastreams, device profiles), its uplinks go through the webhooks
// like real ChirpStack and The Things Stack traffic, a second run adds nothing, and the
// dashboard says "Simulierte Daten".
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { createServer } from 'node:http';
import { startServer, BIN } from '../support/server.mjs';

const f = (s) => encodeURIComponent(s);

test('six hours of the simulated fleet through the webhooks, twice: the same data once', async () => {
  const server = await startServer({ extraArgs: ['--dashboard-refresh', '1'] });
  try {
    const until = new Date(Math.floor(Date.now() / 60000) * 60000).toISOString();
    const simulate = () => spawnSync(BIN, ['simulate', '--url', server.base, '--key', server.keys.administrator,
      '--backfill-days', '0.25', '--until', until, '--connections', '2', '--seed', '7'], { encoding: 'utf8' });
    const first = simulate();
    assert.equal(first.status, 0, first.stderr + first.stdout);
    assert.match(first.stdout + first.stderr, /54 devices, \d+ uplinks for 0.25 days .* 0 refused/);
    const get = async (path) => (await fetch(`${server.base}/sta/v1.1${path}`)).json();
    const count = async (path) => (await get(`${path}${path.includes('?') ? '&' : '?'}$count=true&$top=0`))['@iot.count'];
    assert.equal(await count(`/Things?$filter=${f('properties/simuliert eq true')}`), 54);
    const observations = await count('/Observations');
    assert.ok(observations > 2500, `${observations} Observations`);
    // The eight soil sensors at Westpark: at the site's published reference point, 4 readings an
    // hour each unless offline (an outage may take one of them for the whole span, not all).
    const soils = (await get(`/Things?$filter=${f("properties/art eq 'Bodenfeuchte' and properties/standort eq 'Westpark'")}&$expand=Locations,Datastreams($select=id,properties)`)).value;
    assert.equal(soils.length, 8);
    let soil = null, most = -1;
    for (const candidate of soils) {
      assert.deepEqual(candidate.Locations[0].location.coordinates, [7.201856, 51.481141]);
      assert.match(candidate.properties.lage, /Sensorposition nicht veröffentlicht/);
      const moisture = candidate.Datastreams.find((d) => d.properties.groesse === 'bodenfeuchte');
      assert.equal(moisture.properties.schwellwert, 20);
      const readings = await count(`/Datastreams(${moisture['@iot.id']})/Observations`);
      assert.ok(readings <= 25, `${readings} soil readings in six hours`);
      if (readings > most) [soil, most] = [candidate, readings];
    }
    assert.ok(most >= 20, `the best-served soil sensor has ${most} readings in six hours`);
    // The uplinks' origin: the gateways that heard them, with RSSI and SNR.
    const uplinks = await (await fetch(`${server.base}/api/v1/devices/${soil.properties.devEui}/uplinks`, { headers: { Authorization: `Bearer ${server.keys.viewer}` } })).json();
    assert.ok(uplinks.items.length > 0);
    assert.ok(uplinks.items[0].gateways.length >= 1);
    assert.ok(uplinks.items[0].gateways[0].rssi < -50 && uplinks.items[0].gateways[0].rssi > -130);
    // The same again: nothing new.
    const second = simulate();
    assert.equal(second.status, 0, second.stderr);
    assert.equal(await count('/Things'), 54);
    assert.equal(await count('/Observations'), observations);
    // The dashboard says what is simulated, and shows the soils' outlook.
    let page = '';
    for (let i = 0; i < 30 && !page.includes('Bewässerungsbedarf'); i++) {
      await new Promise((r) => setTimeout(r, 200));
      page = await (await fetch(`${server.base}/klima`)).text();
    }
    assert.match(page, /<strong>Simulierte Daten:<\/strong>/);
    assert.match(page, /Bewässerungsbedarf/);
    assert.match(page, /Regenmesser Mitte 1 \(simuliert\)<\/a> <span class="stage">Simuliert<\/span>/);
    // A site's page: every station at Westpark, the eight soil sensors at three depths.
    const westpark = await (await fetch(`${server.base}/klima?standort=Westpark`)).text();
    assert.match(westpark, /8 Messstellen\./);
    assert.match(westpark, /Bodenfeuchte Westpark 8 \(30 cm\) \(simuliert\)/);
  } finally {
    await server.stop();
  }
});

test('simulate refuses a wrong key and an unreachable server with a clear message', async () => {
  const server = await startServer();
  try {
    const wrong = spawnSync(BIN, ['simulate', '--url', server.base, '--key', 'dwk_nope', '--backfill-days', '0'], { encoding: 'utf8' });
    assert.equal(wrong.status, 1);
    assert.match(wrong.stderr + wrong.stdout, /HTTP 401/);
    const viewer = spawnSync(BIN, ['simulate', '--url', server.base, '--key', server.keys.viewer, '--backfill-days', '0'], { encoding: 'utf8' });
    assert.equal(viewer.status, 1);
    assert.match(viewer.stderr + viewer.stdout, /HTTP 403/);
  } finally {
    await server.stop();
  }
  const gone = spawnSync(BIN, ['simulate', '--url', 'http://127.0.0.1:9', '--key', 'x', '--backfill-days', '0'], { encoding: 'utf8' });
  assert.equal(gone.status, 1);
  assert.match(gone.stderr + gone.stdout, /HTTP: /);
});

// RFC 9110 7.2: Host carries the port unless it is 80; the server builds its links (Location,
// MQTT notifications) from it.
test('the simulator names the port in Host', async () => {
  const hosts = [];
  const peer = createServer((req, res) => {
    hosts.push(req.headers.host);
    res.writeHead(401, { 'content-type': 'application/json' });
    res.end('{"error":{"code":401,"message":"API key missing"}}');
  });
  await new Promise((resolve) => peer.listen(0, '127.0.0.1', resolve));
  const { port } = peer.address();
  const child = spawn(BIN, ['simulate', '--url', `http://127.0.0.1:${port}`, '--key', 'dwk_x',
    '--backfill-days', '0.01', '--connections', '1'], { stdio: 'ignore' });
  try {
    for (let i = 0; i < 100 && hosts.length === 0; ++i) await new Promise((r) => setTimeout(r, 100));
  } finally {
    child.kill();
    peer.close();
  }
  assert.ok(hosts.length > 0, 'the simulator sent nothing');
  assert.equal(hosts[0], `127.0.0.1:${port}`);
});
