// Alert rules against the started binary: a storm posted as Observations opens and closes exactly
// one alert; kill -9 mid-storm and a restart change nothing; a webhook receiver that was down
// gets every notification, signed; bad rules and missing rights get clear answers.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { createHmac } from 'node:crypto';
import { startServer, spawnServer } from '../support/server.mjs';
import { schemaErrors } from '../support/openapi.mjs';

const MINUTE = 60_000;
// Rain in mm per 5 minutes: the hour's sum passes 15 mm at minute 30, falls to 10 mm at minute 90.
const RAIN = [0, 0, 1, 2, 4, 6, 5, 3, 2, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0];

function receiver(secret) {
  const got = [];
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c) => { body += c; });
    req.on('end', () => {
      const ts = req.headers['x-datenwerk-timestamp'];
      const expected = 'sha256=' + createHmac('sha256', secret).update(`${ts}.${body}`).digest('hex');
      got.push({ key: req.headers['idempotency-key'], valid: req.headers['x-datenwerk-signature'] === expected,
        body: JSON.parse(body) });
      res.writeHead(204).end();
    });
  });
  return {
    got,
    listen: (port = 0) => new Promise((r) => server.listen(port, '127.0.0.1', () => r(server.address().port))),
    close: () => new Promise((r) => { server.close(r); server.closeAllConnections(); }),
  };
}

const json = (key, body, method = 'POST') => ({
  method, headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${key}` }, body: JSON.stringify(body) });

async function until(what, check, ms = 20000) {
  const end = Date.now() + ms;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > end) assert.fail(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

async function rainGauge(server) {
  const r = await fetch(`${server.base}/sta/v1.1/Things`, json(server.apiKey, {
    name: 'Regenmesser Test', description: 'd',
    Locations: [{ name: 'Testort', description: 'd', encodingType: 'application/geo+json', location: { type: 'Point', coordinates: [7.25, 51.45] } }],
    Datastreams: [{ name: 'Niederschlag', description: 'd', unitOfMeasurement: { name: 'Millimeter', symbol: 'mm' }, observationType: 'OM_Measurement',
      Sensor: { name: 's', description: 'd', encodingType: 'text/html', metadata: 'm' },
      ObservedProperty: { name: 'Niederschlag', definition: 'd', description: 'd' } }] }));
  assert.equal(r.status, 201);
}

async function allAlerts(base, key) {
  const r = await fetch(`${base}/api/v1/alerts?state=pending,firing,acknowledged,resolved,cancelled`, { headers: { Authorization: `Bearer ${key}` } });
  assert.equal(r.status, 200);
  return (await r.json()).value;
}

test('a storm opens and closes one alert, also across kill -9, and the webhook gets it all, signed', async () => {
  const secret = 'a-secret-of-the-leitstelle-0123456789';
  const hook = receiver(secret);
  const hookPort = await hook.listen();
  await hook.close();  // the receiver is down when the storm begins
  const server = await startServer();
  let restarted;
  try {
    const admin = server.keys.administrator;
    let r = await fetch(`${server.base}/api/v1/alert-webhooks`, json(admin, { url: `http://127.0.0.1:${hookPort}/hook`, label: 'Leitstelle', secret }));
    assert.equal(r.status, 201);
    await rainGauge(server);

    // Bad rules and missing rights.
    r = await fetch(`${server.base}/api/v1/alert-rules`, json(server.apiKey, { name: 'x', kind: 'above', scope: { datastream: 1 } }));
    assert.equal(r.status, 400);
    assert.equal((await r.json()).error.field, 'threshold');
    r = await fetch(`${server.base}/api/v1/alert-rules`, json(server.apiKey, { name: 'x', kind: 'above', threshold: 1, window: 'PT1X', scope: { datastream: 1 } }));
    assert.equal((await r.json()).error.field, 'window');
    r = await fetch(`${server.base}/api/v1/alert-rules`, { method: 'POST', headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${server.apiKey}` }, body: '{"name":' });
    assert.equal(r.status, 400);
    r = await fetch(`${server.base}/api/v1/alert-rules`, json(server.keys.viewer, { name: 'x', kind: 'above', threshold: 1, scope: { datastream: 1 } }));
    assert.equal(r.status, 403);
    // Hostile rules: a polygon that is none, a name of 10,000 characters, nesting 10,000 deep,
    // a threshold beyond double, a window of 1,000 years. Each is a 400 naming the member.
    for (const [body, field] of [
      [{ name: 'x', kind: 'below', threshold: 1, scope: { area: { type: 'Polygon', coordinates: [[['a', 'b']]] } } }, 'scope.area'],
      [{ name: 'x'.repeat(10000), kind: 'above', threshold: 1, scope: { datastream: 1 } }, 'name'],
      [{ name: 'x', kind: 'above', threshold: 1, scope: { datastream: 1, observedProperty: 2 } }, 'scope'],
      [{ name: 'x', kind: 'accumulation', threshold: 1, window: 'P365000D', scope: { datastream: 1 } }, 'window'],
    ]) {
      r = await fetch(`${server.base}/api/v1/alert-rules`, json(server.apiKey, body));
      assert.equal(r.status, 400, JSON.stringify(body).slice(0, 80));
      assert.equal((await r.json()).error.field, field);
    }
    for (const text of ['['.repeat(10000) + ']'.repeat(10000), '{"name":"x","kind":"above","threshold":1e999,"scope":{"datastream":1}}']) {
      r = await fetch(`${server.base}/api/v1/alert-rules`, { method: 'POST', headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${server.apiKey}` }, body: text });
      assert.equal(r.status, 400, text.slice(0, 40));
    }
    r = await fetch(`${server.base}/api/v1/alert-webhooks`, json(admin, { url: 'file:///etc/passwd' }));
    assert.equal((await r.json()).error.field, 'url');
    assert.equal((await fetch(`${server.base}/api/v1/alerts`)).status, 401);

    r = await fetch(`${server.base}/api/v1/alert-rules`, json(server.apiKey, {
      name: 'Starkregen', kind: 'accumulation', threshold: 15, window: 'PT1H', hysteresis: 5, scope: { datastream: 1 }, severity: 'kritisch' }));
    assert.equal(r.status, 201);
    const rule = await r.json();

    // The storm, one Observation per request as a gauge sends them; starts after the rule.
    const t0 = Math.ceil((Date.now() + MINUTE) / MINUTE) * MINUTE;
    const post = (base, i) => fetch(`${base}/sta/v1.1/Observations`, json(server.apiKey, {
      Datastream: { '@iot.id': 1 }, phenomenonTime: new Date(t0 + i * 5 * MINUTE).toISOString(), result: RAIN[i] }));
    for (let i = 0; i < 9; ++i) assert.equal((await post(server.base, i)).status, 201);
    // Recorded off the ingest path, within a moment.
    const firing = await until('the alert', async () => { const a = await allAlerts(server.base, server.apiKey); return a.length && a; });
    assert.equal(firing.length, 1);
    assert.equal(firing[0].state, 'firing');
    assert.equal(firing[0].fired, new Date(t0 + 30 * MINUTE).toISOString());

    // kill -9 mid-storm, and a restart on the same data.
    server.child.kill('SIGKILL');
    await new Promise((res) => server.child.once('exit', res));
    restarted = await spawnServer(['--data-dir', server.dataDir, '--port', '0']);
    const base = `http://127.0.0.1:${restarted.port}`;
    assert.deepEqual((await allAlerts(base, server.apiKey)).map((a) => a.state), ['firing']);
    for (let i = 9; i < RAIN.length; ++i) assert.equal((await post(base, i)).status, 201);
    const after = await until('the resolve', async () => {
      const a = await allAlerts(base, server.apiKey);
      return a.length && a[0].state === 'resolved' && a;
    });
    assert.equal(after.length, 1, 'none twice, none lost');
    assert.equal(after[0].state, 'resolved');
    assert.equal(after[0].started, new Date(t0 + 30 * MINUTE).toISOString());
    assert.equal(after[0].resolved, new Date(t0 + 90 * MINUTE).toISOString());
    assert.equal(after[0].peak, 24);
    const one = await (await fetch(`${base}/api/v1/alerts/${after[0].id}`, { headers: { Authorization: `Bearer ${server.keys.viewer}` } })).json();
    assert.deepEqual(one.history.map((e) => e.kind), ['firing', 'resolved']);
    const ruleNow = await (await fetch(`${base}/api/v1/alert-rules/${rule.id}`, { headers: { Authorization: `Bearer ${server.keys.viewer}` } })).json();
    assert.equal(ruleNow.series[0].phase, 'ok');

    // The receiver comes back: both notifications arrive, signed, each with its own key.
    await hook.listen(hookPort);
    await until('both notifications', () => new Set(hook.got.map((g) => g.key)).size === 2 && hook.got);
    assert.ok(hook.got.every((g) => g.valid), 'every signature verifies');
    // Each as openapi.json's webhook alertChanged describes it.
    for (const g of hook.got) assert.deepEqual(schemaErrors('Notification', g.body), []);
    const keys = [...new Set(hook.got.map((g) => g.key))].sort();
    assert.deepEqual(keys, [`alert-${after[0].id}-firing`, `alert-${after[0].id}-resolved`]);
    const fired = hook.got.find((g) => g.key.endsWith('firing')).body;
    assert.equal(fired.event, 'firing');
    assert.equal(fired.alert.rule.name, 'Starkregen');
    assert.equal(fired.alert.value, 18);

    // Staff cannot acknowledge a resolved alert; a hostile id is a 400.
    r = await fetch(`${base}/api/v1/alerts/${after[0].id}/acknowledge`, json(server.apiKey, { note: 'zu spät' }));
    assert.equal(r.status, 409);
    r = await fetch(`${base}/api/v1/alerts/1e99/resolve`, json(server.apiKey, {}));
    assert.equal(r.status, 400);
    assert.equal((await r.json()).error.field, 'id');
    r = await fetch(`${base}/api/v1/alerts?state=burning`, { headers: { Authorization: `Bearer ${server.apiKey}` } });
    assert.equal((await r.json()).error.field, 'state');
    // A note too long, a body that is no JSON, a body over the server's limit, a time that is none.
    r = await fetch(`${base}/api/v1/alerts/${after[0].id}/resolve`, json(server.apiKey, { note: 'x'.repeat(3000) }));
    assert.equal((await r.json()).error.field, 'note');
    r = await fetch(`${base}/api/v1/alerts/${after[0].id}/resolve`, { method: 'POST', headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${server.apiKey}` }, body: '{"note":' });
    assert.equal(r.status, 400);
    r = await fetch(`${base}/api/v1/alert-rules`, { method: 'POST', headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${server.apiKey}` }, body: `{"name":"${'x'.repeat(2 << 20)}"}` });
    assert.equal(r.status, 413);
    r = await fetch(`${base}/api/v1/alerts?from=gestern`, { headers: { Authorization: `Bearer ${server.apiKey}` } });
    assert.equal((await r.json()).error.field, 'from');
    assert.equal((await fetch(`${base}/api/v1/alerts?state=resolved`, { headers: { Authorization: `Bearer ${server.apiKey}` } })).status, 200);
  } finally {
    restarted?.child.kill('SIGTERM');
    await hook.close();
    await server.stop();
  }
});
