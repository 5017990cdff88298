// Hostile input against a started server, as an attacker would send it: every probe gets a
// clear 4xx (or a bounded 503), the server is alive after each, and at the end the data changed
// only where a valid write was intended. Each case here crashed, stalled or weakened the server
// before the hardening issue (#7).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { readFileSync } from 'node:fs';
import { startServer } from '../support/server.mjs';
import { ownCluster, postgresAvailable } from '../support/postgres.mjs';

function rawRequest(port, text, { waitMs = 3000 } = {}) {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1');
    const chunks = [];
    socket.on('data', (d) => chunks.push(d));
    socket.on('end', () => resolve(Buffer.concat(chunks).toString('latin1')));
    socket.on('error', reject);
    socket.setTimeout(waitMs, () => { socket.destroy(); resolve(Buffer.concat(chunks).toString('latin1')); });
    socket.write(text);
  });
}

const repeat = (s, n) => s.repeat(n);

function peakRssKiB(server) {
  const status = readFileSync(`/proc/${server.child.pid}/status`, 'utf8');
  return { hwm: Number(/VmHWM:\s+(\d+)/.exec(status)[1]), rss: Number(/VmRSS:\s+(\d+)/.exec(status)[1]) };
}

async function call(server, method, path, body, { key = server.apiKey, headers = {} } = {}) {
  const h = { ...headers };
  if (key) h.Authorization = `Bearer ${key}`;
  if (body !== undefined && !('Content-Type' in h)) h['Content-Type'] = 'application/json';
  const res = await fetch(server.base + path, {
    method, headers: h, body: body === undefined ? undefined : (typeof body === 'string' ? body : JSON.stringify(body)),
  });
  const text = await res.text();
  let json;
  try { json = JSON.parse(text); } catch { json = undefined; }
  return { status: res.status, text, json, headers: res.headers };
}

// A 4xx with the JSON error shape, and the server still serving.
async function refused(server, answer, status, where) {
  assert.equal(answer.status, status, `${where}: ${answer.text.slice(0, 300)}`);
  assert.ok(answer.json?.error?.code, `${where}: JSON error body, got ${answer.text.slice(0, 200)}`);
  assert.ok(server.alive(), `${where}: server alive`);
  assert.equal((await fetch(`${server.base}/api/v1/summary`)).status, 200, `${where}: still serving`);
}

const thing = (name, datastreams) => ({
  name, description: 'Messstation',
  Locations: [{ name: 'Westpark', description: 'd', encodingType: 'application/geo+json',
    location: { type: 'Point', coordinates: [7.2, 51.48] } }],
  Datastreams: datastreams.map((d) => ({
    name: d, description: 'd', unitOfMeasurement: { name: 'Prozent', symbol: '%', definition: 'ucum:%' },
    observationType: 'OM_Measurement',
    Sensor: { name: 's', description: 'd', encodingType: 'text/html', metadata: 'm' },
    ObservedProperty: { name: d, definition: 'd', description: 'd' },
  })),
});

async function counts(server) {
  const n = async (set) => (await call(server, 'GET', `/sta/v1.1/${set}?$count=true&$top=0`, undefined, { key: null })).json['@iot.count'];
  return { things: await n('Things'), locations: await n('Locations'), observations: await n('Observations'),
    datastreams: await n('Datastreams') };
}

test('hostile $filter, $batch, ids, numbers and HTTP framing: refused, alive, nothing written', async () => {
  const server = await startServer();
  try {
    // Data for paths across to-many navigation: one Thing, two Datastreams of two Observations.
    assert.equal((await call(server, 'POST', '/sta/v1.1/Things', thing('Station', ['A', 'B']))).status, 201);
    for (const ds of [1, 2]) {
      for (const t of ['2024-05-01T10:00:00Z', '2024-05-01T10:01:00Z']) {
        assert.equal((await call(server, 'POST', `/sta/v1.1/Datastreams(${ds})/Observations`, { phenomenonTime: t, result: 3 })).status, 201);
      }
    }
    const before = await counts(server);
    const anonymous = { key: null };

    // ---- $filter: recursion, terms, fan-out ----
    const parens = `/sta/v1.1/Things?$filter=${repeat('(', 3300)}1${repeat(')', 3300)}`;
    await refused(server, await call(server, 'GET', parens, undefined, anonymous), 400, 'parentheses');
    const calls = `/sta/v1.1/Things?$filter=${repeat('length(', 900)}name${repeat(')', 900)} eq 1`;
    const deep = await call(server, 'GET', calls, undefined, anonymous);
    await refused(server, deep, 400, 'nested calls');
    assert.equal(deep.json.error.field, '$filter');
    const fanOut = `/sta/v1.1/Things?$filter=${encodeURIComponent(
      'Datastreams/Observations/result' + repeat(' add Datastreams/Observations/result', 10) + ' gt 0')}`;
    const rssBefore = peakRssKiB(server);
    const t0 = Date.now();
    const fan = await call(server, 'GET', fanOut, undefined, anonymous);
    const refuseMs = Date.now() - t0;
    await refused(server, fan, 400, 'fan-out across to-many paths');
    assert.ok(refuseMs < 2000, `refused in ${refuseMs} ms`);
    const rssAfter = peakRssKiB(server);
    assert.ok(rssAfter.hwm - rssBefore.hwm < 50 * 1024, `peak RSS grew by ${rssAfter.hwm - rssBefore.hwm} KiB`);
    console.log(`# fan-out $filter refused in ${refuseMs} ms; peak RSS ${rssBefore.hwm} -> ${rssAfter.hwm} KiB`);

    // $skip near 2^63 would overflow skip + top.
    const skip = await call(server, 'GET', '/sta/v1.1/Observations?$skip=9223372036854775807', undefined, anonymous);
    await refused(server, skip, 400, 'huge $skip');
    assert.equal(skip.json.error.field, '$skip');

    // ---- $batch: deep expressions, huge geometries; anonymous reads take no write slot ----
    const batch = (url) => ({ requests: [{ id: '1', method: 'get', url }] });
    const nots = await call(server, 'POST', '/sta/v1.1/$batch', batch(`Things?$filter=${repeat('not ', 16900)}true`), anonymous);
    assert.equal(nots.status, 200);
    assert.equal(nots.json.responses[0].status, 400);
    const adds = await call(server, 'POST', '/sta/v1.1/$batch', batch(`Things?$filter=id${repeat(' add 1', 16900)} eq 1`), anonymous);
    assert.equal(adds.json.responses[0].status, 400);
    const line = (n, off) => 'LINESTRING(' + Array.from({ length: n }, (_, i) => `${(7 + i * 1e-5).toFixed(5)} ${(51 + off + (i % 2) * 1e-5).toFixed(5)}`).join(', ') + ')';
    const geo = `Locations?$filter=geo.intersects(geography'${line(24000, 0)}', geography'${line(24000, 1)}')`;
    const g0 = Date.now();
    const slow = await call(server, 'POST', '/sta/v1.1/$batch', batch(geo), anonymous);
    assert.equal(slow.json.responses[0].status, 400, JSON.stringify(slow.json.responses[0]).slice(0, 300));
    assert.ok(Date.now() - g0 < 3000, `geometry refused in ${Date.now() - g0} ms`);
    assert.ok(server.alive());

    // ---- ids beyond 2^63: 400 naming the member, and the next write is still all-or-nothing ----
    const huge = 18446744073709551615n.toString();
    const bigIds = [
      ['POST', '/sta/v1.1/Things', `{"name":"x","description":"d","Datastreams":[{"@iot.id":${huge}}]}`],
      ['PATCH', '/sta/v1.1/Things(1)', `{"Locations":[{"@iot.id":${huge}}]}`],
      ['POST', '/sta/v1.1/Observations', `{"result":1,"Datastream":{"@iot.id":${huge}}}`],
      ['POST', '/sta/v1.1/CreateObservations', `[{"Datastream":{"@iot.id":${huge}},"components":["result"],"dataArray":[[1]]}]`],
      ['PUT', '/api/v1/devices/0101010101010A0B', `{"codec":"object","fields":{"t":${huge}}}`],
    ];
    for (const [method, path, body] of bigIds) {
      const key = path.startsWith('/api/v1/devices') ? server.keys.administrator : server.apiKey;
      const answer = await call(server, method, path, body, { key });
      if (path.endsWith('CreateObservations')) {
        // A group whose Datastream cannot be used answers "error" in place of each row.
        assert.equal(answer.status, 201, answer.text);
        assert.deepEqual(answer.json, ['error']);
        continue;
      }
      await refused(server, answer, 400, `${method} ${path} with id 2^64-1`);
    }
    // Right after, on fresh connections and on the same thread: an invalid deep insert stores nothing.
    const invalidDeep = { ...thing('halb', ['C']), Datastreams: [{ name: 'missing everything' }] };
    for (let i = 0; i < 8; ++i) {
      await refused(server, await call(server, 'POST', '/sta/v1.1/Things', invalidDeep), 400, 'invalid deep insert');
    }
    assert.deepEqual(await counts(server), before, 'no Thing or Location of an invalid deep insert stored');

    // ---- numbers outside a double: 400 naming the member ----
    const inf = await call(server, 'POST', '/sta/v1.1/Things', '{"name":"x","description":"d","properties":{"depth":1e400}}');
    await refused(server, inf, 400, '1e400 in properties');
    assert.equal(inf.json.error.field, 'properties.depth');
    await refused(server, await call(server, 'POST', '/sta/v1.1/Datastreams(1)/Observations', '{"phenomenonTime":"2024-05-02T00:00:00Z","result":-1e400}'), 400, '-1e400 as result');
    const rows = await call(server, 'POST', '/sta/v1.1/CreateObservations', '[{"Datastream":{"@iot.id":1},"components":["phenomenonTime","result"],"dataArray":[["2024-05-03T00:00:00Z",1e400]]}]');
    await refused(server, rows, 400, '1e400 in CreateObservations');
    assert.equal(rows.json.error.field, '[0].dataArray[0][1]');
    await refused(server, await call(server, 'POST', '/api/v1/kpis/SCBOK-ZI-NI-K1.1/values', '{"date":"2024-01-01","value":1e400}'), 400, '1e400 as KPI value');

    // ---- JSON nested 10,000 deep on every endpoint that takes a body ----
    const deepJson = '['.repeat(10000) + ']'.repeat(10000);
    for (const [path, key] of [['/api/v1/kpis/SCBOK-ZI-NI-K1.1/values', server.apiKey], ['/sta/v1.1/Things', server.apiKey],
      ['/sta/v1.1/$batch', server.apiKey], ['/sta/v1.1/CreateObservations', server.apiKey],
      ['/api/v1/datastreams/1/retention', server.keys.administrator]]) {
      const method = path.endsWith('retention') ? 'PUT' : 'POST';
      await refused(server, await call(server, method, path, deepJson, { key }), 400, `deep JSON to ${path}`);
    }
    const deepDevice = await call(server, 'PUT', '/api/v1/devices/0101010101010A0B', deepJson, { key: server.keys.administrator });
    await refused(server, deepDevice, 400, 'deep JSON to a device profile');
    // An uplink is acknowledged (so the network server does not resend it) and kept as a dead letter.
    const deepUplink = await call(server, 'POST', '/api/v1/ingest/chirpstack', deepJson);
    assert.ok(deepUplink.status === 400 || deepUplink.status === 202, `deep uplink: ${deepUplink.status} ${deepUplink.text}`);
    assert.ok(server.alive());

    // ---- media types ----
    await refused(server, await call(server, 'POST', '/api/v1/kpis/SCBOK-ZI-NI-K1.1/values', '{"date":"2024-01-01","value":1}', { headers: { 'Content-Type': 'application/jsonx' } }), 415, 'application/jsonx on the KPI API');
    await refused(server, await call(server, 'POST', '/sta/v1.1/Things', thing('t', []), { headers: { 'Content-Type': 'text/plain' } }), 415, 'text/plain on SensorThings');
    assert.equal((await call(server, 'POST', '/api/v1/kpis/SCBOK-ZI-NI-K1.1/values', '{"date":"2024-01-01","value":5}', { headers: { 'Content-Type': 'application/json; charset=utf-8' } })).status, 201);

    // ---- HTTP framing (RFC 9112) ----
    for (const te of ['identity', 'xchunked', 'chunked, identity']) {
      const smuggled = 'GET /api/v1/summary HTTP/1.1\r\nHost: x\r\n\r\n';
      const answer = await rawRequest(server.port,
        `POST /api/v1/kpis/SCBOK-ZI-NI-K1.1/values HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: ${te}\r\n` +
        `Authorization: Bearer ${server.apiKey}\r\nContent-Type: application/json\r\n\r\n${smuggled}`);
      assert.match(answer, /^HTTP\/1\.1 400/, `Transfer-Encoding: ${te}`);
      assert.equal((answer.match(/HTTP\/1\.1 /g) || []).length, 1, `Transfer-Encoding: ${te}: the body did not run as a request`);
    }
    assert.match(await rawRequest(server.port, 'GET /api/v1/summary HTTP/1.1\r\n\r\n'), /^HTTP\/1\.1 400/, 'no Host');
    assert.match(await rawRequest(server.port, 'GET /api/v1/summary HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n'), /^HTTP\/1\.1 400/, 'two Host');
    assert.match(await rawRequest(server.port, 'GET http://localhost/api/v1/summary HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n'), /^HTTP\/1\.1 200/, 'absolute-form');
    const latin = await rawRequest(server.port, 'GET /api/v1/%FF%FEx HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n');
    const body = Buffer.from(latin.slice(latin.indexOf('\r\n\r\n') + 4), 'latin1');
    assert.doesNotThrow(() => new TextDecoder('utf-8', { fatal: true }).decode(body), 'error body is UTF-8');
    JSON.parse(body.toString('utf8'));

    // ---- at the end: only the intended writes happened ----
    assert.deepEqual(await counts(server), before);
    const values = await call(server, 'GET', '/api/v1/kpis/SCBOK-ZI-NI-K1.1/values', undefined, anonymous);
    assert.deepEqual(values.json.items.map((v) => v.value), [5]);
    assert.ok(server.alive());
  } finally {
    await server.stop();
  }
});

test('a long anonymous read batch holds no write slot and delays neither new connections nor writes', async () => {
  const server = await startServer({ extraArgs: ['--max-queued-writes', '1', '--threads', '2'] });
  try {
    assert.equal((await call(server, 'POST', '/sta/v1.1/Things', thing('Station', ['A', 'B']))).status, 201);
    for (const ds of [1, 2]) {
      const rows = Array.from({ length: 1000 }, (_, i) => [new Date(Date.UTC(2024, 4, 1) + i * 60000).toISOString(), i]);
      assert.equal((await call(server, 'POST', '/sta/v1.1/CreateObservations', [{ Datastream: { '@iot.id': ds }, components: ['phenomenonTime', 'result'], dataArray: rows }])).status, 201);
    }
    // 1,000 reads that each gather 2 x 2,000 values before the fan-out bound refuses them: seconds.
    const path = 'Datastreams/Observations/result';
    const requests = Array.from({ length: 1000 }, (_, i) => ({ id: String(i), method: 'get', url: `Things?$filter=${path} add ${path} gt 0` }));
    const t0 = Date.now();
    const slow = call(server, 'POST', '/sta/v1.1/$batch', { requests }, { key: null });
    await new Promise((r) => setTimeout(r, 200));
    const waits = await Promise.all(Array.from({ length: 8 }, async () => {
      const s = Date.now();
      const r = await fetch(`${server.base}/api/v1/summary`, { headers: { Connection: 'close' } });
      await r.text();
      return Date.now() - s;
    }));
    const write = await call(server, 'POST', '/sta/v1.1/Things', thing('während', []));
    const answered = await slow;
    const slowMs = Date.now() - t0;
    console.log(`# read batch ${slowMs} ms; new connections answered in ${waits.join(', ')} ms; write ${write.status}`);
    assert.equal(answered.status, 200);
    assert.ok(slowMs > 1000, `the batch should take a while (${slowMs} ms) for this test to mean anything`);
    for (const w of waits) assert.ok(w < 500, `a new connection waited ${w} ms`);
    assert.equal(write.status, 201, 'the read batch holds no write slot');
  } finally {
    await server.stop();
  }
});

test('anonymous cache busters cannot grow memory without bound', async () => {
  const server = await startServer();
  try {
    await fetch(`${server.base}/api/v1/downloads/measures.json`);
    // One round of 50 connections first: the threads that take them (up to 64 dedicated ones,
    // http/server.h) warm up their stacks and caches once, a cost bounded by their number and not
    // by the requests; what is measured after it is what the busters add.
    await Promise.all(Array.from({ length: 50 }, (_, k) => fetch(`${server.base}/api/v1/downloads/measures.json?warm=${k}`).then((r) => r.arrayBuffer())));
    const before = peakRssKiB(server).rss;
    for (let i = 0; i < 1500; i += 50) {
      await Promise.all(Array.from({ length: 50 }, (_, k) => fetch(`${server.base}/api/v1/downloads/measures.json?cb=${i + k}`).then((r) => r.arrayBuffer())));
    }
    const after = peakRssKiB(server).rss;
    console.log(`# 1,500 cache busters: RSS ${before} -> ${after} KiB`);
    // Under AddressSanitizer freed memory stays in its quarantine: RSS says nothing there.
    if (!process.env.ASAN_OPTIONS) assert.ok(after - before < 48 * 1024, `RSS grew by ${after - before} KiB`);
  } finally {
    await server.stop();
  }
});

test('every write route checks the role of the key', async () => {
  const server = await startServer();
  try {
    const routes = [
      // method, path, body, least role
      ['POST', '/api/v1/kpis/SCBOK-ZI-NI-K1.1/values', { date: '2024-01-01', value: 1 }, 'editor'],
      ['PUT', '/api/v1/kpis/SCBOK-ZI-NI-K1.1/target', { direction: 'up' }, 'editor'],
      ['PUT', '/api/v1/measures/SCBOK-ZI-NI-1/status', { status: 'In Planung' }, 'editor'],
      ['POST', '/sta/v1.1/Things', thing('r', []), 'editor'],
      ['POST', '/sta/v1.1/CreateObservations', [], 'editor'],
      ['POST', '/api/v1/ingest/chirpstack', {}, 'editor'],
      ['POST', '/api/v1/ingest/tts', {}, 'editor'],
      ['DELETE', '/api/v1/datastreams/1/observations?from=2024-01-01T00:00:00Z&to=2024-01-02T00:00:00Z', undefined, 'editor'],
      ['GET', '/api/v1/devices', undefined, 'viewer'],
      ['GET', '/api/v1/ingest/dead-letters', undefined, 'viewer'],
      ['PUT', '/api/v1/devices/0101010101010A0B', { codec: 'object', fields: { t: 1 } }, 'administrator'],
      ['DELETE', '/api/v1/devices/0101010101010A0B', undefined, 'administrator'],
      ['PUT', '/api/v1/datastreams/1/retention', { rawDays: 30 }, 'administrator'],
    ];
    const order = ['viewer', 'editor', 'reviewer', 'administrator'];
    for (const [method, path, body, least] of routes) {
      assert.equal((await call(server, method, path, body, { key: null })).status, 401, `${method} ${path} without key`);
      for (const role of order) {
        const r = await call(server, method, path, body, { key: server.keys[role] });
        const allowed = order.indexOf(role) >= order.indexOf(least);
        if (allowed) assert.notEqual(r.status, 403, `${method} ${path} as ${role}: ${r.text.slice(0, 200)}`);
        else {
          assert.equal(r.status, 403, `${method} ${path} as ${role}`);
          assert.equal(r.json.error.code, 'permission_denied');
        }
      }
    }
  } finally {
    await server.stop();
  }
});

test('extreme KPI values survive a restart on SQLite and on PostgreSQL', { skip: !postgresAvailable() }, async () => {
  const cluster = ownCluster();
  try {
    for (const database of [undefined, cluster.conninfo]) {
      const extremes = ['1e-310', '5e-324', '1.7976931348623157e308', '-1.7976931348623157e308', '-0', '2.2250738585072014e-308'];
      let server = await startServer({ database });
      const dataDir = server.dataDir;
      try {
        for (const v of extremes) {
          const r = await call(server, 'POST', '/api/v1/kpis/SCBOK-ZI-NI-K1.1/values', `{"date":"2024-01-01","value":${v}}`);
          assert.equal(r.status, 201, `${v}: ${r.text}`);
        }
        const read = async (s) => (await call(s, 'GET', '/api/v1/kpis/SCBOK-ZI-NI-K1.1/values?limit=500', undefined, { key: null })).json.items.map((i) => i.value);
        const first = await read(server);
        // -0 is kept as 0 on both stores (SQLite drops the sign).
        const expected = extremes.map((v) => (Number(v) === 0 ? 0 : Number(v)));
        assert.deepEqual(first, expected, database ? 'PostgreSQL' : 'SQLite');
        // Restart on the same data: the server starts and reads the same values.
        server.child.kill('SIGTERM');
        await new Promise((r) => server.child.once('exit', r));
        const { spawnServer } = await import('../support/server.mjs');
        const db = database ? ['--database', database] : [];
        const again = await spawnServer(['--data-dir', dataDir, ...db, '--port', '0']);
        const base = `http://127.0.0.1:${again.port}`;
        try {
          const items = (await (await fetch(`${base}/api/v1/kpis/SCBOK-ZI-NI-K1.1/values?limit=500`)).json()).items.map((i) => i.value);
          assert.deepEqual(items, extremes.map((v) => (Number(v) === 0 ? 0 : Number(v))));
          assert.equal((await fetch(`${base}/indikatoren/SCBOK-ZI-NI-K1.1`)).status, 200);
        } finally {
          again.child.kill('SIGTERM');
          await new Promise((r) => again.child.once('exit', r));
        }
      } finally {
        await server.stop();
      }
    }
  } finally {
    cluster.remove();
  }
});

test('after PostgreSQL restarts, writes answer 503 while it is away and then resume; nothing acknowledged is lost', { skip: !postgresAvailable() }, async () => {
  const cluster = ownCluster();
  const server = await startServer({ database: cluster.conninfo });
  try {
    const acknowledged = [];
    let stop = false;
    const statuses = {};
    const writer = (async () => {
      for (let i = 0; !stop; ++i) {
        const r = await call(server, 'POST', '/api/v1/kpis/SCBOK-ZI-NI-K1.1/values', { date: '2024-01-01', value: i });
        statuses[r.status] = (statuses[r.status] || 0) + 1;
        if (r.status === 201) acknowledged.push(i);
        else {
          assert.ok(r.status === 503, `while the database is away: ${r.status} ${r.text}`);
          assert.ok(r.headers.get('retry-after'), 'Retry-After');
          assert.doesNotMatch(r.text, /postgres:/, 'no internal detail to the client');
        }
        await new Promise((res) => setTimeout(res, 5));
      }
    })();
    await new Promise((r) => setTimeout(r, 300));
    cluster.stop();
    await new Promise((r) => setTimeout(r, 700));
    const during = await call(server, 'GET', '/sta/v1.1/Things', undefined, { key: null });
    assert.equal(during.status, 503, `a SensorThings read while the database is away: ${during.text}`);
    assert.equal((await fetch(`${server.base}/api/v1/summary`)).status, 200, 'the catalogue still reads from its snapshot');
    cluster.start();
    const resumedAfter = acknowledged.length;
    for (let k = 0; k < 100 && acknowledged.length === resumedAfter; ++k) await new Promise((r) => setTimeout(r, 100));
    stop = true;
    await writer;
    assert.ok(acknowledged.length > resumedAfter, `writes resumed (${JSON.stringify(statuses)})`);
    assert.ok(statuses[503] > 0, 'some writes saw the database away');
    const stored = (await call(server, 'GET', '/api/v1/kpis/SCBOK-ZI-NI-K1.1/values?limit=500', undefined, { key: null })).json.items.map((v) => v.value);
    for (const i of acknowledged) assert.ok(stored.includes(i), `acknowledged value ${i} is stored`);
    assert.equal((await call(server, 'POST', '/sta/v1.1/Things', thing('nach Neustart', []))).status, 201);
    assert.match(server.output(), /PostgreSQL: reconnected/);
    assert.match(server.output(), /-> 503: the database is not reachable.*: postgres:/, 'the detail is logged with the request');
  } finally {
    await server.stop();
    cluster.remove();
  }
});

test('hostile Klima-Dashboard and uplink-log requests: answered 2xx or 4xx, never 5xx, server alive', async () => {
  const server = await startServer();
  try {
    const long = 'x'.repeat(20000);
    const paths = [
      '/klima?seite=999999999999999999999', '/klima?seite=-1', '/klima?seite=0', `/klima?art=${long}`,
      '/klima?bezirk=%3Cscript%3Ealert(1)%3C%2Fscript%3E', '/klima?standort=%00%ff', '/klima?art=&bezirk=&standort=&seite=',
      '/klima/stationen/0', '/klima/stationen/-1', '/klima/stationen/99999999999999999999999', '/klima/stationen/1e3',
      '/klima/messreihen/1?zeitraum=%00', `/klima/messreihen/1?zeitraum=${long}`, '/klima/messreihen/9223372036854775807/daten.csv',
      '/klima/messreihen/abc/daten.geojson', '/klima/grenzen.geojson?x=1', '/klima/sensoren.geojson?zeitraum=1j',
      '/api/v1/devices/%2e%2e/uplinks', `/api/v1/devices/${long}/uplinks`, '/api/v1/devices/0101010101010A0B/uplinks',
    ];
    for (const path of paths) {
      const res = await fetch(server.base + path, { headers: { Authorization: `Bearer ${server.keys.viewer}` } });
      assert.ok(res.status < 500, `${path.slice(0, 80)}: ${res.status}`);
      const body = await res.text();
      assert.ok(!body.includes('<script>alert(1)'), `${path.slice(0, 80)} reflects markup unescaped`);
    }
    assert.equal((await fetch(`${server.base}/klima`)).status, 200);
  } finally {
    await server.stop();
  }
});
