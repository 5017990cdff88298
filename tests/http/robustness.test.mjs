// Bad input at the socket level, load from many clients at once, and a crash during writes:
// the server answers clearly, keeps serving, and loses nothing it acknowledged.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { execFileSync } from 'node:child_process';
import { startServer, spawnServer, BIN } from '../support/server.mjs';

function rawRequest(port, text, { waitMs = 3000 } = {}) {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1');
    let data = '';
    socket.on('data', (d) => { data += d; });
    socket.on('end', () => resolve(data));
    socket.on('error', reject);
    socket.setTimeout(waitMs, () => { socket.destroy(); resolve(data); });
    socket.write(text);
  });
}

test('malformed HTTP gets a 400 with a JSON body and the server keeps serving', async () => {
  const server = await startServer();
  try {
    const garbage = await rawRequest(server.port, 'THIS IS NOT HTTP\r\n\r\n');
    assert.match(garbage, /^HTTP\/1\.1 400/);
    assert.match(garbage, /"code":"invalid_argument"/);
    const hugeHeader = await rawRequest(server.port,
      `GET / HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(40000)}\r\n\r\n`);
    assert.match(hugeHeader, /^HTTP\/1\.1 400/);
    const badLength = await rawRequest(server.port,
      'POST /api/v1/kpis/X/values HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\n');
    assert.match(badLength, /^HTTP\/1\.1 400/);
    const res = await fetch(`${server.base}/api/v1/summary`);
    assert.equal(res.status, 200);
    assert.ok(server.alive());
  } finally {
    await server.stop();
  }
});

test('a stalled client does not block others', async () => {
  const server = await startServer();
  try {
    const stalled = net.connect(server.port, '127.0.0.1');
    stalled.write('GET /api/v1/kpis HTTP/1.1\r\nHost: x\r\n');  // never finishes
    const started = Date.now();
    const res = await fetch(`${server.base}/api/v1/kpis`);
    assert.equal(res.status, 200);
    assert.ok(Date.now() - started < 2000, 'answered promptly');
    stalled.destroy();
  } finally {
    await server.stop();
  }
});

test('200 concurrent clients all get answers', async () => {
  const server = await startServer();
  try {
    const results = await Promise.all(Array.from({ length: 200 }, (_, i) =>
      fetch(`${server.base}/api/v1/kpis?limit=${1 + (i % 50)}`).then((r) => r.json())));
    results.forEach((body, i) => assert.equal(body.items.length, 1 + (i % 50)));
  } finally {
    await server.stop();
  }
});

test('concurrent writes are all stored exactly once', async () => {
  const server = await startServer();
  try {
    const writes = await Promise.all(Array.from({ length: 40 }, (_, i) =>
      fetch(`${server.base}/api/v1/kpis/SCBOK-ZI-NI-K1.1/values`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${server.apiKey}` },
        body: JSON.stringify({ date: '2024-01-01', value: i }),
      })));
    writes.forEach((r) => assert.equal(r.status, 201));
    const list = await (await fetch(`${server.base}/api/v1/kpis/SCBOK-ZI-NI-K1.1/values?limit=100`)).json();
    assert.equal(list.total, 40);
    assert.deepEqual(list.items.map((v) => v.value).sort((a, b) => a - b), [...Array(40).keys()]);
  } finally {
    await server.stop();
  }
});

test('values acknowledged before kill -9 are there after a restart', async () => {
  const server = await startServer();
  const acknowledged = [];
  let stopWriting = false;
  const writer = (async () => {
    for (let i = 0; !stopWriting; ++i) {
      try {
        const r = await fetch(`${server.base}/api/v1/kpis/SCBOK-ZI-NI-K1.2/values`, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${server.apiKey}` },
          body: JSON.stringify({ date: '2024-06-30', value: i }),
        });
        if (r.status === 201) acknowledged.push((await r.json()).id);
      } catch {
        return;  // the server is gone
      }
    }
  })();
  await new Promise((r) => setTimeout(r, 700));
  server.child.kill('SIGKILL');
  stopWriting = true;
  await writer;
  if (server.child.exitCode === null && server.child.signalCode === null) {
    await new Promise((r) => server.child.once('exit', r));
  }
  assert.ok(acknowledged.length > 5, `some writes were acknowledged (${acknowledged.length})`);

  const { child: restarted, port, output } = await spawnServer(['--data-dir', server.dataDir, '--port', '0']);
  try {
    const list = await (await fetch(`http://127.0.0.1:${port}/api/v1/kpis/SCBOK-ZI-NI-K1.2/values?limit=500`)).json();
    const stored = new Set(list.items.map((v) => v.id));
    for (const id of acknowledged) assert.ok(stored.has(id), `acknowledged value ${id} survived`);
  } finally {
    restarted.kill('SIGTERM');
    await server.stop();
  }
});

// A Thing with one Datastream, for the ingest tests below.
async function sensorThing(server) {
  const r = await fetch(`${server.base}/sta/v1.1/Things`, {
    method: 'POST', headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${server.apiKey}` },
    body: JSON.stringify({ name: 'Pegel', description: 'd',
      Locations: [{ name: 'Ölbach', description: 'd', encodingType: 'application/geo+json', location: { type: 'Point', coordinates: [7.25, 51.45] } }],
      Datastreams: [{ name: 'Wasserstand', description: 'd', unitOfMeasurement: { name: 'cm' }, observationType: 'OM_Measurement',
        Sensor: { name: 's', description: 'd', encodingType: 'text/html', metadata: 'm' },
        ObservedProperty: { name: 'p', definition: 'd', description: 'd' } }] }),
  });
  assert.equal(r.status, 201);
}
const batchOf = (first, rows) => JSON.stringify([{ Datastream: { '@iot.id': 1 }, components: ['phenomenonTime', 'result'],
  dataArray: Array.from({ length: rows }, (_, i) => [new Date(Date.UTC(2024, 0, 1) + (first + i) * 1000).toISOString(), i]) }]);
const postBatch = (server, body) => fetch(`${server.base}/sta/v1.1/CreateObservations`, {
  method: 'POST', headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${server.apiKey}` }, body });

test('too many writes at once get 503 with Retry-After, and reads go on', async () => {
  const server = await startServer({ extraArgs: ['--threads', '4', '--max-queued-writes', '1', '--body-limit', '8388608'] });
  try {
    await sensorThing(server);
    const bodies = Array.from({ length: 8 }, (_, k) => batchOf(k * 20000, 20000));
    const answers = await Promise.all(bodies.map((b) => postBatch(server, b)));
    const busy = answers.filter((a) => a.status === 503);
    assert.ok(busy.length > 0, `some of 8 concurrent writes were turned away (${answers.map((a) => a.status)})`);
    assert.equal(busy[0].headers.get('retry-after'), '1');
    assert.equal((await busy[0].json()).error.code, 'unavailable');
    const stored = answers.filter((a) => a.status === 201).length;
    assert.equal(stored + busy.length, 8);
    const count = await (await fetch(`${server.base}/sta/v1.1/Datastreams(1)/Observations?$count=true&$top=0`)).json();
    assert.equal(count['@iot.count'], stored * 20000, 'exactly the accepted batches are stored');
    assert.equal((await fetch(`${server.base}/`)).status, 200);
  } finally {
    await server.stop();
  }
});

test('observations acknowledged before kill -9 during ingest are there after a restart', async () => {
  const server = await startServer({ extraArgs: ['--body-limit', '8388608'] });
  await sensorThing(server);
  let acknowledged = 0, next = 0, stopWriting = false;
  const writer = async () => {
    while (!stopWriting) {
      const first = next;
      next += 2000;
      try {
        const r = await postBatch(server, batchOf(first, 2000));
        if (r.status === 201) acknowledged += 2000;
      } catch {
        return;  // the server is gone
      }
    }
  };
  const writers = [writer(), writer(), writer()];
  await new Promise((r) => setTimeout(r, 1500));
  server.child.kill('SIGKILL');
  stopWriting = true;
  await Promise.all(writers);
  if (server.child.exitCode === null && server.child.signalCode === null) {
    await new Promise((r) => server.child.once('exit', r));
  }
  assert.ok(acknowledged >= 10000, `batches were acknowledged (${acknowledged})`);
  const { child: restarted, port } = await spawnServer(['--data-dir', server.dataDir, '--port', '0']);
  try {
    const count = (await (await fetch(`http://127.0.0.1:${port}/sta/v1.1/Datastreams(1)/Observations?$count=true&$top=0`)).json())['@iot.count'];
    // Every acknowledged batch is there; a batch cut off by the kill is there whole or not at all.
    assert.ok(count >= acknowledged, `${count} stored >= ${acknowledged} acknowledged`);
    assert.equal(count % 2000, 0, `no batch half-written (${count})`);
    assert.ok(count <= acknowledged + 3 * 2000);
  } finally {
    restarted.kill('SIGTERM');
    await server.stop();
  }
});

test('the same server runs on PostgreSQL', { skip: !process.env.DATENWERK_TEST_POSTGRES && !process.env.CI }, async () => {
  const conninfo = process.env.DATENWERK_TEST_POSTGRES;
  assert.ok(conninfo, 'CI runs this test through scripts/with-postgres.sh');
  const schema = `http_${process.pid}`;
  execFileSync('psql', [conninfo, '-q', '-c', `CREATE SCHEMA ${schema}`]);
  const server = await startServer({ database: `${conninfo} options='-c search_path=${schema}'` });
  try {
    const summary = await (await fetch(`${server.base}/api/v1/summary`)).json();
    assert.equal(summary.kpis, 130);
    assert.equal(summary.measures, 101);
    const r = await fetch(`${server.base}/api/v1/kpis/SCBOK-ZI-NI-K1.1/values`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${server.apiKey}` },
      body: JSON.stringify({ date: '2024-01-01', value: 42.5 }),
    });
    assert.equal(r.status, 201);
    const page = await (await fetch(`${server.base}/indikatoren/SCBOK-ZI-NI-K1.1`)).text();
    assert.ok(page.includes('42,5'));
    // The SensorThings documents and the time series are in PostgreSQL too.
    await sensorThing(server);
    assert.equal((await postBatch(server, batchOf(0, 10))).status, 201);
    const text = await postBatch(server, JSON.stringify([{ Datastream: { '@iot.id': 1 },
      components: ['phenomenonTime', 'result'], dataArray: [['2024-01-01T00:00:00Z', 'hoch']] }]));
    assert.equal(text.status, 201);
    const things = execFileSync('psql', [conninfo, '-At', '-c', `SELECT count(*) FROM ${schema}.sta_entity WHERE type = 0`], { encoding: 'utf8' });
    assert.equal(things.trim(), '1');
    const chunks = execFileSync('psql', [conninfo, '-At', '-c', `SELECT sum(count) FROM ${schema}.chunks WHERE ds = 1`], { encoding: 'utf8' });
    assert.equal(chunks.trim(), '10', 'the series points are chunks in PostgreSQL');
    const list = await (await fetch(`${server.base}/sta/v1.1/Datastreams(1)/Observations?$count=true&$orderby=phenomenonTime`)).json();
    assert.equal(list['@iot.count'], 11);
    assert.equal(list.value[0].result, 'hoch');
  } finally {
    await server.stop();
  }
});

test('datenwerk import reports a malformed row with file and line and writes nothing', async () => {
  const { mkdtempSync, cpSync, readFileSync, writeFileSync, rmSync } = await import('node:fs');
  const { join } = await import('node:path');
  const { tmpdir } = await import('node:os');
  const dir = mkdtempSync(join(tmpdir(), 'datenwerk-import-'));
  try {
    const catalogue = join(dir, 'catalogue');
    cpSync(join(process.env.DATENWERK_SOURCE_DIR, 'data/bochum'), catalogue, { recursive: true });
    const data = join(dir, 'data');
    execFileSync(BIN, ['--data-dir', data, '--catalogue', catalogue, 'import'], { stdio: 'ignore' });
    const kpis = join(catalogue, 'kpis.csv');
    const lines = readFileSync(kpis, 'utf8').split('\n');
    lines[5] = lines[5].replace(',ZI-NI,', ',NO-SUCH-FIELD,');
    writeFileSync(kpis, lines.join('\n'));
    writeFileSync(join(catalogue, 'themes.csv'), 'theme_id,name\nZI,Umbenannt\n');
    let failed;
    try {
      execFileSync(BIN, ['--data-dir', data, '--catalogue', catalogue, 'import'], { encoding: 'utf8', stdio: 'pipe' });
    } catch (e) {
      failed = e;
    }
    assert.ok(failed, 'the import exits non-zero');
    assert.equal(failed.status, 1);
    assert.match(failed.stdout + failed.stderr, /failed at (fields|kpis)\.csv:\d+/);
    // The database still holds the first, complete import.
    const { child: check, port, output } = await spawnServer(['--data-dir', data, '--port', '0']);
    try {
      const summary = await (await fetch(`http://127.0.0.1:${port}/api/v1/summary`)).json();
      assert.equal(summary.themes, 5);
      assert.equal(summary.kpis, 130);
      const theme = await (await fetch(`http://127.0.0.1:${port}/api/v1/themes/ZI`)).json();
      assert.equal(theme.name, 'Zukunftsfähige Infrastruktur');
    } finally {
      check.kill('SIGTERM');
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a config file sets options; flags win over it', async () => {
  const { mkdtempSync, writeFileSync, rmSync } = await import('node:fs');
  const { join } = await import('node:path');
  const { tmpdir } = await import('node:os');
  const dir = mkdtempSync(join(tmpdir(), 'datenwerk-config-'));
  const config = join(dir, 'datenwerk.ini');
  writeFileSync(config, `data-dir = "${join(dir, 'data')}"\ncity-name = "Musterstadt"\nport = 1\n`);
  const { child: child, port, output } = await spawnServer(['--config', config, '--port', '0']);
  try {
    assert.ok(output().includes(join(dir, 'data')), 'data directory from the file');
    const page = await (await fetch(`http://127.0.0.1:${port}/`)).text();
    assert.ok(page.includes('Smart City Musterstadt'));
  } finally {
    child.kill('SIGTERM');
    rmSync(dir, { recursive: true, force: true });
  }
});
