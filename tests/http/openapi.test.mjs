// The OpenAPI 3.1 description (/openapi.json) against the started binary: it is valid OpenAPI
// 3.1, the server serves it as written, every route the server registers is documented and every
// documented operation exists, and real answers of every operation — success and failure — match
// their documented status, media type and schema. A server with Bochum's open sensor data.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Validator } from '@seriousme/openapi-schema-validator';
import { BIN, startServer } from '../support/server.mjs';
import { spec, check, documentedPath, operations, SPEC_PATH } from '../support/openapi.mjs';

const SOURCE = process.env.DATENWERK_SOURCE_DIR;
const REALDATA = join(SOURCE, '..', 'shared', 'realdata');
const MINUTE = 60_000;

test('the description is valid OpenAPI 3.1 and every route is documented, every documented operation routed', async () => {
  const result = await new Validator().validate(structuredClone(spec));
  assert.deepEqual(result, { valid: true }, JSON.stringify(result.errors)?.slice(0, 2000));
  const ops = operations();
  assert.equal(new Set(ops.map((o) => o.id)).size, ops.length, 'operationIds are unique');
  const tags = new Set(spec.tags.map((t) => t.name));
  for (const [path, item] of Object.entries(spec.paths)) {
    for (const [method, op] of Object.entries(item)) {
      assert.ok(op.summary && op.tags?.length && tags.has(op.tags[0]), `${method} ${path}: summary and a listed tag`);
      assert.ok(Object.keys(op.responses).some((s) => s.startsWith('2')), `${method} ${path}: a success answer`);
      const placeholders = [...path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]);
      const declared = (op.parameters || []).map((p) => (p.$ref ? spec.components.parameters[p.$ref.split('/').pop()] : p))
        .filter((p) => p.in === 'path').map((p) => p.name);
      assert.deepEqual(declared.sort(), placeholders.sort(), `${method} ${path}: path parameters declared`);
    }
  }

  const dataDir = mkdtempSync(join(tmpdir(), 'datenwerk-routes-'));
  try {
    const printed = spawnSync(BIN, ['--data-dir', dataDir, 'serve', '--port', '0', '--print-routes'], { encoding: 'utf8' });
    assert.equal(printed.status, 0, printed.stderr);
    const routes = printed.stdout.trim().split('\n').map((line) => line.split(' '));
    assert.ok(routes.length > 60, `${routes.length} routes`);
    // Everything a program calls: the API, SensorThings, the catalogue, the downloads. Pages for
    // people (/, /massnahmen, /klima, /verwaltung, …) are not an API.
    const isApi = (pattern) => /^\/(api\/v1|sta\/|catalog|openapi\.json|open311\/)/.test(pattern) || /^\/daten\/\{file\}$/.test(pattern) ||
      /^\/klima\/.*\.(csv|geojson)$/.test(pattern);
    // A router pattern covers a documented path when its placeholders ({file}) match the path's
    // literal or templated parts ("/open311/v2/{file}" covers "/open311/v2/services.{format}").
    const covers = (pattern, path) => documentedPath(pattern) === path ||
      new RegExp(`^${pattern.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{[^}]+\}/g, '[^/]+')}$`).test(path);
    const undocumented = [];
    for (const [method, pattern] of routes) {
      if (method === '*') {
        assert.ok(Object.keys(spec.paths).some((p) => p.startsWith(pattern)), `prefix ${pattern} documented`);
        continue;
      }
      if (!isApi(pattern)) continue;
      const documented = Object.keys(spec.paths).some((path) => covers(pattern, path) && spec.paths[path][method.toLowerCase()]);
      if (!documented) undocumented.push(`${method} ${pattern}`);
    }
    assert.deepEqual(undocumented, [], 'routes missing from openapi.json');
    // And the other way: no documented operation without a route (SensorThings paths go to its prefix).
    for (const { path, method } of operations()) {
      if (path.startsWith('/sta/v1.1')) continue;
      const routed = routes.some(([m, pattern]) => m === method.toUpperCase() && covers(pattern, path));
      assert.ok(routed, `${method.toUpperCase()} ${path} is documented but not routed`);
    }
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
});

test('real answers of every documented operation match the description', async () => {
  const server = await startServer({
    setup: (dataDir) => {
      const imported = spawnSync(BIN, ['--data-dir', dataDir, 'import-sensors', REALDATA], { encoding: 'utf8' });
      assert.equal(imported.status, 0, imported.stderr);
    },
  });
  const answered = new Map();  // operationId -> statuses seen
  const key = (role) => ({ Authorization: `Bearer ${server.keys[role]}` });
  // Calls, checks the answer against the description and remembers the operation as exercised.
  async function call(method, path, { role, json, body, headers = {}, expect } = {}) {
    const init = { method, headers: { ...(role ? key(role) : {}), ...headers } };
    if (json !== undefined) {
      init.body = JSON.stringify(json);
      init.headers['Content-Type'] = 'application/json';
    } else if (body !== undefined) {
      init.body = body;
    }
    const response = await fetch(server.base + path, init);
    const text = await response.text();
    const result = check(method, path, response.status, response.headers.get('content-type'), text);
    assert.deepEqual(result.errors, [], `${method} ${path}`);
    if (expect !== undefined) assert.equal(response.status, expect, `${method} ${path}: ${text.slice(0, 300)}`);
    if (!answered.has(result.operationId)) answered.set(result.operationId, new Set());
    answered.get(result.operationId).add(response.status);
    let parsed;
    try { parsed = JSON.parse(text); } catch { parsed = undefined; }
    return { status: response.status, json: parsed, text, headers: response.headers };
  }

  try {
    // The description as served is the file, with an ETag.
    const served = await call('GET', '/openapi.json', { expect: 200 });
    assert.deepEqual(served.json, spec, `/openapi.json differs from ${SPEC_PATH}`);
    await call('GET', '/openapi.json', { headers: { 'If-None-Match': served.headers.get('etag') }, expect: 304 });

    // The strategy: lists, filters, one of each, and what is wrong with bad parameters.
    await call('GET', '/api/v1', { expect: 200 });
    await call('GET', '/api/v1?x=1', { expect: 400 });
    await call('GET', '/api/v1/summary', { expect: 200 });
    await call('GET', '/api/v1/themes?limit=2', { expect: 200 });
    await call('GET', '/api/v1/themes?limit=0', { expect: 400 });
    await call('GET', '/api/v1/themes/ZI', { expect: 200 });
    await call('GET', '/api/v1/themes/XX', { expect: 404 });
    await call('GET', '/api/v1/fields?theme=ZI', { expect: 200 });
    await call('GET', '/api/v1/fields/ZI-DI', { expect: 200 });
    await call('GET', '/api/v1/fields/nichts', { expect: 404 });
    await call('GET', '/api/v1/measures?status=in_progress&q=daten', { expect: 200 });
    await call('GET', '/api/v1/measures?status=fertig', { expect: 400 });
    await call('GET', '/api/v1/measures/ZI-DI-6', { expect: 200 });
    await call('GET', '/api/v1/measures/nichts', { expect: 404 });
    const kpis = await call('GET', '/api/v1/kpis?limit=500', { expect: 200 });
    assert.equal(kpis.json.total, 130);
    await call('GET', '/api/v1/kpis?sdg=18', { expect: 400 });
    await call('GET', '/api/v1/kpis?reference=UN&progress=not_assessable', { expect: 200 });
    const withValues = kpis.json.items.find((k) => k.value_count > 0);
    assert.ok(withValues, 'a KPI with values');
    await call('GET', `/api/v1/kpis/${withValues.id}`, { expect: 200 });
    await call('GET', '/api/v1/kpis/nichts', { expect: 404 });
    const values = await call('GET', `/api/v1/kpis/${withValues.id}/values`, { expect: 200 });
    await call('GET', `/api/v1/kpis/${withValues.id}/values/${values.json.items[0].id}`, { expect: 200 });
    await call('GET', `/api/v1/kpis/${withValues.id}/values/999999`, { expect: 404 });
    await call('GET', `/api/v1/kpis/${withValues.id}/values.csv`, { expect: 200 });
    await call('GET', '/api/v1/kpis/nichts/values.csv', { expect: 404 });
    await call('GET', '/api/v1/public-indicators?theme=ZI', { expect: 200 });
    await call('GET', '/api/v1/context-facts', { expect: 200 });
    const downloads = await call('GET', '/api/v1/downloads', { expect: 200 });
    for (const d of downloads.json.items) await call('GET', d.url, { expect: 200 });

    // Writing KPIs: a value added, corrected, withdrawn; a target; a measure's status.
    const kpi = withValues.id;
    await call('POST', `/api/v1/kpis/${kpi}/values`, { json: { date: '2025-12-31', value: 1 }, expect: 401 });
    await call('POST', `/api/v1/kpis/${kpi}/values`, { role: 'viewer', json: { date: '2025-12-31', value: 1 }, expect: 403 });
    await call('POST', `/api/v1/kpis/${kpi}/values`, { role: 'editor', body: 'date=2025', headers: { 'Content-Type': 'text/plain' }, expect: 415 });
    await call('POST', `/api/v1/kpis/${kpi}/values`, { role: 'editor', json: { date: 'gestern', value: 1 }, expect: 400 });
    const added = await call('POST', `/api/v1/kpis/${kpi}/values`, { role: 'editor', json: { date: '2025-12-31', value: 42, unit: 'Datensätze', qualifier: 'at_least', source: 'Open-Data-Portal' }, expect: 201 });
    await call('PUT', `/api/v1/kpis/${kpi}/values/${added.json.id}`, { role: 'editor', json: { date: '2025-12-31', value: 43 }, expect: 200 });
    await call('PUT', `/api/v1/kpis/${kpi}/values/999999`, { role: 'editor', json: { date: '2025-12-31', value: 43 }, expect: 404 });
    await call('DELETE', `/api/v1/kpis/${kpi}/values/${added.json.id}`, { role: 'editor', expect: 204 });
    await call('DELETE', `/api/v1/kpis/${kpi}/values/x`, { role: 'editor', expect: 400 });
    await call('PUT', `/api/v1/kpis/${kpi}/target`, { role: 'editor', json: { baseline: { value: 10, date: '2022-01-01' }, target: { value: 100, date: '2030-12-31' }, direction: 'up' }, expect: 200 });
    await call('PUT', `/api/v1/kpis/${kpi}/target`, { role: 'editor', json: { direction: 'seitwärts' }, expect: 400 });
    await call('PUT', '/api/v1/measures/ZI-DI-6/status', { role: 'editor', json: { status: 'In Umsetzung' }, expect: 200 });
    await call('PUT', '/api/v1/measures/nichts/status', { role: 'editor', json: { status: 'In Umsetzung' }, expect: 404 });

    // SensorThings: a rain gauge of our own, beside the imported stations.
    const root = await call('GET', '/sta/v1.1', { expect: 200 });
    assert.ok(root.json.serverSettings.conformance.length > 3);
    await call('GET', '/sta/v1.1/Things?$top=2&$count=true', { expect: 200 });
    await call('GET', "/sta/v1.1/Things?$filter=name eq 'x' and", { expect: 400 });
    await call('POST', '/sta/v1.1/Things', { json: { name: 'x' }, expect: 401 });
    const thing = await call('POST', '/sta/v1.1/Things', { role: 'editor', expect: 201, json: {
      name: 'Regenmesser OpenAPI', description: 'Test',
      Locations: [{ name: 'Testort', description: 'd', encodingType: 'application/geo+json', location: { type: 'Point', coordinates: [7.2158, 51.4818] } }],
      Datastreams: [{ name: 'Niederschlag', description: 'd', unitOfMeasurement: { name: 'Millimeter', symbol: 'mm' }, observationType: 'OM_Measurement',
        Sensor: { name: 's', description: 'd', encodingType: 'text/html', metadata: 'm' },
        ObservedProperty: { name: 'Niederschlag', definition: 'd', description: 'd' } }] } });
    const thingId = thing.json['@iot.id'];
    const streams = await (await fetch(`${server.base}/sta/v1.1/Things(${thingId})/Datastreams`)).json();
    const ds = streams.value[0]['@iot.id'];
    await call('POST', '/api/v1/alert-rules', { role: 'editor', expect: 201, json: { name: 'Starkregen', kind: 'above', threshold: 10, scope: { datastream: ds }, severity: 'warnung' } });
    const t0 = Math.floor(Date.now() / MINUTE) * MINUTE - 60 * MINUTE;
    await call('POST', '/sta/v1.1/Observations', { role: 'editor', expect: 201, json: { Datastream: { '@iot.id': ds }, phenomenonTime: new Date(t0).toISOString(), result: 2 } });
    await call('POST', '/sta/v1.1/Observations', { role: 'editor', expect: 400, json: { Datastream: { '@iot.id': 999999 }, result: 2 } });
    // A rule judges readings from its creation on: the storm comes in the next minutes.
    const storm = Math.ceil((Date.now() + MINUTE) / MINUTE) * MINUTE;
    await call('POST', '/sta/v1.1/CreateObservations', { role: 'editor', expect: 201, json: [{ Datastream: { '@iot.id': ds }, components: ['phenomenonTime', 'result'],
      dataArray: Array.from({ length: 30 }, (_, i) => [new Date(storm + i * MINUTE).toISOString(), i < 20 ? i : 40 - i]) }] });
    const rows = await call('POST', '/sta/v1.1/CreateObservations', { role: 'editor', expect: 201, json: [{ Datastream: { '@iot.id': ds }, components: ['phenomenonTime', 'result'], dataArray: [['kaputt', 1]] }] });
    assert.deepEqual(rows.json, ['error']);
    await call('POST', '/sta/v1.1/CreateObservations', { role: 'editor', expect: 400, json: [{ Datastream: { '@iot.id': ds }, components: ['farbe'], dataArray: [['x']] }] });
    await call('POST', '/sta/v1.1/CreateObservations', { role: 'editor', expect: 204, headers: { Prefer: 'return=minimal' },
      json: [{ Datastream: { '@iot.id': ds }, components: ['phenomenonTime', 'result'], dataArray: [[new Date(t0 + 31 * MINUTE).toISOString(), 1]] }] });
    await call('GET', `/sta/v1.1/Datastreams(${ds})/Observations?$top=5&$orderby=phenomenonTime desc`, { expect: 200 });
    await call('GET', `/sta/v1.1/Datastreams(${ds})/Observations?$resultFormat=dataArray`, { expect: 200 });
    await call('GET', '/sta/v1.1/Datastreams(999999)/Observations', { expect: 404 });

    // Time series of the Datastream.
    const from = new Date(t0).toISOString(), to = new Date(t0 + 2 * 60 * MINUTE).toISOString();
    await call('GET', `/api/v1/datastreams/${ds}/aggregate?interval=15m&from=${from}&to=${to}`, { expect: 200 });
    await call('GET', `/api/v1/datastreams/${ds}/aggregate?interval=1h&from=${from}&to=${to}&fn=avg,max`, { expect: 200 });
    await call('GET', `/api/v1/datastreams/${ds}/aggregate?interval=1s&from=2000-01-01T00:00:00Z&to=${to}`, { expect: 400 });
    await call('GET', `/api/v1/datastreams/999999/aggregate?interval=1h&from=${from}&to=${to}`, { expect: 404 });
    await call('GET', `/api/v1/datastreams/aggregate?ids=${ds},1&interval=1h&from=${from}&to=${to}`, { expect: 200 });
    await call('GET', `/api/v1/datastreams/aggregate?interval=1h&from=${from}&to=${to}`, { expect: 400 });
    await call('GET', `/api/v1/datastreams/latest?ids=${ds},1`, { expect: 200 });
    await call('GET', '/api/v1/datastreams/latest', { expect: 200 });
    await call('GET', '/api/v1/datastreams/latest?ids=a', { expect: 400 });
    await call('GET', `/api/v1/datastreams/${ds}/latest`, { expect: 200 });
    await call('GET', '/api/v1/datastreams/0/latest', { expect: 400 });
    await call('GET', `/api/v1/datastreams/${ds}/retention`, { expect: 200 });
    await call('PUT', `/api/v1/datastreams/${ds}/retention`, { role: 'administrator', json: { rawDays: 365 }, expect: 200 });
    await call('PUT', `/api/v1/datastreams/${ds}/retention`, { role: 'editor', json: { rawDays: 365 }, expect: 403 });
    await call('PUT', `/api/v1/datastreams/${ds}/retention`, { role: 'administrator', json: { rawDays: 1.5 }, expect: 400 });

    // Alerts: the rule fired on the readings above 10 mm.
    const rules = await call('GET', '/api/v1/alert-rules', { role: 'viewer', expect: 200 });
    const rule = rules.json.value[0];
    await call('GET', `/api/v1/alert-rules/${rule.id}`, { role: 'viewer', expect: 200 });
    await call('GET', '/api/v1/alert-rules/999999', { role: 'viewer', expect: 404 });
    await call('POST', '/api/v1/alert-rules', { role: 'editor', expect: 400, json: { name: 'x', kind: 'above', scope: { datastream: ds } } });
    let alerts;
    for (let i = 0; i < 100; ++i) {
      alerts = await call('GET', '/api/v1/alerts?state=pending,firing,acknowledged,resolved', { role: 'viewer', expect: 200 });
      if (alerts.json.value.length) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    assert.ok(alerts.json.value.length > 0, 'the rule fired');
    await call('GET', '/api/v1/alerts?state=vorbei', { role: 'viewer', expect: 400 });
    await call('GET', '/api/v1/alerts', { expect: 401 });
    const alert = alerts.json.value[0];
    await call('GET', `/api/v1/alerts/${alert.id}`, { role: 'viewer', expect: 200 });
    await call('GET', '/api/v1/alerts/999999', { role: 'viewer', expect: 404 });
    await call('POST', `/api/v1/alerts/${alert.id}/acknowledge`, { role: 'editor', json: { note: 'Bauhof informiert' }, expect: 200 });
    await call('POST', `/api/v1/alerts/${alert.id}/resolve`, { role: 'editor', json: { note: 'erledigt' }, expect: 200 });
    await call('POST', '/api/v1/alerts/999999/resolve', { role: 'editor', json: {}, expect: 404 });
    await call('POST', `/api/v1/alerts/${alert.id}/acknowledge`, { role: 'editor', json: { note: 7 }, expect: 400 });
    await call('PUT', `/api/v1/alert-rules/${rule.id}`, { role: 'editor', expect: 200, json: { name: 'Starkregen', kind: 'above', threshold: 12, scope: { datastream: ds } } });
    await call('DELETE', `/api/v1/alert-rules/${rule.id}`, { role: 'editor', expect: 204 });
    await call('DELETE', `/api/v1/alert-rules/${rule.id}`, { role: 'editor', expect: 404 });
    const hook = await call('POST', '/api/v1/alert-webhooks', { role: 'administrator', json: { url: 'http://127.0.0.1:9/hook', label: 'Leitstelle' }, expect: 201 });
    await call('POST', '/api/v1/alert-webhooks', { role: 'administrator', json: { url: 'file:///etc/passwd' }, expect: 400 });
    await call('GET', '/api/v1/alert-webhooks', { role: 'administrator', expect: 200 });
    await call('GET', '/api/v1/alert-webhooks', { role: 'editor', expect: 403 });
    await call('DELETE', `/api/v1/alert-webhooks/${hook.json.id}`, { role: 'administrator', expect: 204 });

    // LoRaWAN: a device, its uplinks from both network servers, a dead letter.
    const eui = '0101010101010A0B';
    await call('PUT', `/api/v1/devices/${eui}`, { role: 'administrator', json: { name: 'Regenmesser', codec: 'object', fields: { rain: ds } }, expect: 200 });
    await call('PUT', `/api/v1/devices/${eui}`, { role: 'administrator', json: { name: 'Regenmesser' }, expect: 400 });
    await call('GET', '/api/v1/devices', { role: 'viewer', expect: 200 });
    await call('GET', `/api/v1/devices/${eui}`, { role: 'viewer', expect: 200 });
    await call('GET', '/api/v1/devices/FFFFFFFFFFFFFFFF', { role: 'viewer', expect: 404 });
    const uplink = { time: new Date(t0 + 40 * MINUTE).toISOString(), deviceInfo: { devEui: eui }, fPort: 2, fCnt: 5, object: { rain: 0.5 },
      rxInfo: [{ gatewayId: '0016c001f153a14c', rssi: -36, snr: 10.5 }] };
    await call('POST', '/api/v1/ingest/chirpstack?event=up', { role: 'editor', json: uplink, expect: 201 });
    await call('POST', '/api/v1/ingest/chirpstack?event=up', { role: 'editor', json: uplink, expect: 200 });
    await call('POST', '/api/v1/ingest/chirpstack?event=join', { role: 'editor', json: { deviceInfo: { devEui: eui } }, expect: 204 });
    await call('POST', '/api/v1/ingest/chirpstack?event=up', { role: 'editor', json: { ...uplink, deviceInfo: { devEui: 'FFFFFFFFFFFFFFFF' } }, expect: 202 });
    await call('POST', '/api/v1/ingest/chirpstack', { role: 'editor', body: '{"time":', headers: { 'Content-Type': 'application/json' }, expect: 400 });
    await call('POST', '/api/v1/ingest/tts', { role: 'editor', expect: 201, json: { end_device_ids: { device_id: 'regen', dev_eui: eui }, received_at: new Date(t0 + 41 * MINUTE).toISOString(),
      uplink_message: { f_port: 2, f_cnt: 6, decoded_payload: { rain: 0.25 }, received_at: new Date(t0 + 41 * MINUTE).toISOString(), rx_metadata: [{ gateway_ids: { gateway_id: 'gtw1' }, rssi: -59 }] } } });
    await call('POST', '/api/v1/ingest/tts', { role: 'viewer', json: {}, expect: 403 });
    await call('GET', `/api/v1/devices/${eui}/uplinks`, { role: 'viewer', expect: 200 });
    await call('GET', '/api/v1/devices/FFFFFFFFFFFFFFFF/uplinks', { role: 'viewer', expect: 404 });
    await call('GET', '/api/v1/ingest/dead-letters', { role: 'viewer', expect: 200 });
    await call('DELETE', `/api/v1/devices/${eui}`, { role: 'administrator', expect: 204 });
    await call('DELETE', `/api/v1/devices/${eui}`, { role: 'administrator', expect: 404 });
    await call('DELETE', `/api/v1/datastreams/${ds}/observations?from=${from}&to=${new Date(t0 + 10 * MINUTE).toISOString()}`, { role: 'editor', expect: 200 });
    await call('DELETE', `/api/v1/datastreams/${ds}/observations?from=gestern&to=${to}`, { role: 'editor', expect: 400 });

    // The automatically computed KPIs.
    await call('GET', '/api/v1/kpis-automatisch', { expect: 200 });
    await call('POST', '/api/v1/kpis-automatisch/berechnen?monat=2025-11', { role: 'editor', expect: 200 });
    await call('POST', '/api/v1/kpis-automatisch/berechnen?monat=November', { role: 'editor', expect: 400 });

    // Open data: curation, the catalogue in three syntaxes, the station downloads.
    await call('PUT', '/api/v1/open-data/curations/standard', { role: 'administrator', expect: 200,
      json: { license: 'http://dcat-ap.de/def/licenses/dl-by-de/2.0', attribution: 'Stadt Bochum' } });
    await call('PUT', '/api/v1/open-data/curations/standard', { role: 'administrator', json: { license: 'meine' }, expect: 400 });
    await call('GET', '/api/v1/open-data/curations', { role: 'viewer', expect: 200 });
    const turtle = await call('GET', '/catalog', { headers: { Accept: 'text/turtle' }, expect: 200 });
    await call('GET', '/catalog', { headers: { Accept: 'application/ld+json' }, expect: 200 });
    await call('GET', '/catalog', { headers: { 'If-None-Match': turtle.headers.get('etag') }, expect: 304 });
    await call('GET', '/catalog?page=0', { expect: 400 });
    await call('GET', '/catalog.ttl', { expect: 200 });
    await call('GET', '/catalog.jsonld?page=1', { expect: 200 });
    await call('GET', '/catalog.rdf', { expect: 200 });
    await call('GET', '/catalog.rdf?page=99', { expect: 404 });
    const station = thingId;
    for (const ext of ['csv', 'json', 'geojson']) await call('GET', `/daten/station-${station}.${ext}`, { expect: 200 });
    await call('GET', `/daten/station-${station}.csv?numbers=de&datastream=${ds}&from=${from}`, { expect: 200 });
    await call('GET', `/daten/station-${station}.csv?from=morgen`, { expect: 400 });
    await call('GET', '/daten/station-999999.json', { expect: 404 });
    // The alerts as open data: every one that fired, without what staff noted or who they were.
    const alertsJson = await call('GET', '/daten/warnmeldungen.json', { expect: 200 });
    assert.ok(alertsJson.json.alerts.some((a) => a.id === alert.id && a.state === 'resolved' && a.rule === 'Starkregen'));
    const alertsCsv = await call('GET', '/daten/warnmeldungen.csv', { expect: 200 });
    for (const text of [alertsJson.text, alertsCsv.text]) {
      assert.ok(!/Bauhof|erledigt|Testteam/.test(text), 'notes and names stay in the back office');
    }
    await call('GET', '/daten/warnmeldungen.csv', { headers: { 'If-None-Match': alertsCsv.headers.get('etag') }, expect: 304 });
    const catalogue = await (await fetch(`${server.base}/catalog.ttl`)).text();
    assert.match(catalogue, /daten\/warnmeldungen\.csv/, 'the catalogue lists the alerts');

    // The Klima-Dashboard's downloads.
    await call('GET', '/klima/sensoren.csv', { expect: 200 });
    await call('GET', '/klima/sensoren.geojson', { expect: 200 });
    await call('GET', '/klima/grenzen.geojson', { expect: 200 });
    const sensors = await (await fetch(`${server.base}/klima/sensoren.geojson`)).json();
    const klimaStream = sensors.features.flatMap((f) => f.properties.messreihen.map((m) => m.id))[0];
    assert.ok(klimaStream, 'the dashboard has a series');
    await call('GET', `/klima/messreihen/${klimaStream}/daten.csv?zeitraum=7d`, { expect: 200 });
    await call('GET', `/klima/messreihen/${klimaStream}/daten.geojson`, { expect: 200 });
    await call('GET', '/klima/messreihen/999999/daten.csv', { expect: 404 });

    // BürgerEcho's Open311 interface, in both formats.
    const form = { 'Content-Type': 'application/x-www-form-urlencoded' };
    for (const f of ['json', 'xml']) {
      await call('GET', `/open311/v2/discovery.${f}`, { expect: 200 });
      await call('GET', `/open311/v2/services.${f}?jurisdiction_id=bochum.de`, { expect: 200 });
      await call('GET', `/open311/v2/services.${f}?jurisdiction_id=berlin.de`, { expect: 404 });
      await call('GET', `/open311/v2/services/strasse.${f}`, { expect: 200 });
      await call('GET', `/open311/v2/services/nichts.${f}`, { expect: 404 });
      const filed = await call('POST', `/open311/v2/requests.${f}`, { headers: form, expect: 200,
        body: `api_key=${server.keys.viewer}&service_code=strasse&lat=51.4818&long=7.2162&description=Schlagloch&attribute%5Bgefahr%5D=ja&email=a%40b.de` });
      await call('GET', `/open311/v2/tokens/${filed.headers.get('datenwerk-token')}.${f}`, { expect: 200 });
      await call('POST', `/open311/v2/requests.${f}`, { headers: form, expect: 403, body: 'service_code=strasse&lat=51.48&long=7.21' });
      await call('POST', `/open311/v2/requests.${f}`, { headers: form, expect: 400, body: `api_key=${server.keys.viewer}&service_code=strasse&lat=52.5&long=13.4&attribute%5Bgefahr%5D=ja` });
      await call('GET', `/open311/v2/requests.${f}?extensions=true`, { expect: 200 });
      await call('GET', `/open311/v2/requests.${f}?status=vielleicht`, { expect: 400 });
      await call('GET', `/open311/v2/requests/1.${f}`, { expect: 200 });
      await call('GET', `/open311/v2/servicerequestupdates.${f}`, { expect: 200 });
      await call('GET', `/open311/v2/servicerequestupdates.${f}?end_date=bald`, { expect: 400 });
      await call('POST', `/open311/v2/servicerequestupdates.${f}`, { headers: form, expect: 200,
        body: `api_key=${server.keys.viewer}&service_request_id=1&description=Noch%20da&status=OPEN&update_id_ext=${f}` });
      await call('POST', `/open311/v2/servicerequestupdates.${f}`, { headers: form, expect: 400,
        body: `api_key=${server.keys.viewer}&service_request_id=1` });
      await call('POST', `/open311/v2/servicerequestupdates.${f}`, { headers: form, expect: 403, body: 'service_request_id=1&description=x' });
      await call('POST', `/open311/v2/servicerequestupdates.${f}`, { headers: form, expect: 404,
        body: `api_key=${server.keys.viewer}&service_request_id=99999&description=x` });
      await call('GET', `/open311/v2/requests/99999.${f}`, { expect: 404 });
      await call('GET', `/open311/v2/tokens/unbekannt.${f}`, { expect: 404 });
    }

    // The reports as open data (the city's licence was set above), without personal data.
    for (const ext of ['csv', 'json', 'geojson']) {
      const file = await call('GET', `/daten/buergerecho.${ext}`, { expect: 200 });
      assert.ok(!file.text.includes('a@b.de'), `e-mail in buergerecho.${ext}`);
      if (ext === 'json') assert.ok(file.json.reports.length >= 2);
    }
    assert.match(await (await fetch(`${server.base}/catalog.ttl`)).text(), /daten\/buergerecho-meldungen/);
    const staff = (role, body, id = 1) => call('POST', `/api/v1/buergerecho/reports/${id}/status`, { role, json: body });
    assert.equal((await staff('editor', { status: 'in_progress', note: 'Wir sehen es uns an.' })).status, 200);
    assert.equal((await staff('viewer', { status: 'done' })).status, 403);
    assert.equal((await staff('editor', { status: 'repariert' })).status, 400);
    assert.equal((await staff('editor', { status: 'done' }, 99999)).status, 404);
    assert.equal((await call('POST', '/api/v1/buergerecho/reports/1/status', { body: '{}', headers: { 'Content-Type': 'application/json' } })).status, 401);

    // The health checks of the load balancer: this node is ready (SQLite, one node).
    assert.equal((await call('GET', '/health/live', { expect: 200 })).json.status, 'live');
    assert.equal((await call('GET', '/health/ready', { expect: 200 })).json.status, 'ready');
    assert.equal((await call('GET', '/health/replica', { expect: 200 })).json.configured, false);

    // Every documented operation was called and answered with one of its successes.
    const missing = operations().filter((o) => ![...(answered.get(o.id) || [])].some((s) => s < 400));
    assert.deepEqual(missing.map((o) => `${o.method.toUpperCase()} ${o.path}`), [], 'operations never exercised');
  } finally {
    await server.stop();
  }
});

// Every documented operation, driven by the description itself, with hostile path values, query
// parameters and bodies: never a 5xx (but a bounded 503), every JSON error says what is wrong, the
// server stays up, and a 4xx answer of an API operation is one the description lists.
test('every documented operation refuses hostile input with a documented 4xx and stays up', async () => {
  const server = await startServer();
  const admin = { Authorization: `Bearer ${server.keys.administrator}` };
  const HOSTILE_SEGMENTS = ['0', '-1', '1e999', '9223372036854775808', '%00', '..%2F..%2Fetc%2Fpasswd', '%E2%80%AE',
    'x'.repeat(3000), "'%20OR%201=1--", '%C3%28'];
  const HOSTILE_QUERIES = ['limit=-1', 'offset=abc', 'from=zzz&to=1', 'ids=1,,2', 'interval=1x', 'page=-5', 'monat=13-2025',
    'state=%00', `q=${'%F0%9F%92%A9'.repeat(500)}`, 'datastream=1,a', 'fn=median', 'x=1&x=2'];
  const HOSTILE_BODIES = [['application/json', '{"name":'], ['application/json', '['.repeat(20000) + ']'.repeat(20000)],
    ['application/json', JSON.stringify({ value: 'x'.repeat(200000) })], ['application/json', '{"date":"2025-01-01","value":1e999}'],
    ['text/plain', 'hallo'], ['application/json', '\u0000\u0001\u0002'], ['application/json', '[]']];
  let calls = 0;
  const undocumented = new Set();
  try {
    for (const { path, method } of operations()) {
      const fill = (value) => path.replace(/\{[^}]+\}/g, value);
      const tries = [];
      for (const seg of HOSTILE_SEGMENTS) if (path.includes('{')) tries.push([fill(seg), undefined]);
      for (const q of HOSTILE_QUERIES) tries.push([`${fill('1')}?${q}`, undefined]);
      if (method !== 'get' && method !== 'delete') for (const b of HOSTILE_BODIES) tries.push([fill('1'), b]);
      for (const [url, body] of tries) {
        const headers = { ...admin };
        if (body) headers['Content-Type'] = body[0];
        const response = await fetch(server.base + url, { method: method.toUpperCase(), headers, body: body?.[1] });
        const text = await response.text();
        ++calls;
        const where = `${method.toUpperCase()} ${url.slice(0, 120)} ${body ? body[1].slice(0, 30) : ''}`;
        assert.ok(response.status < 500 || response.status === 503, `${where}: ${response.status} ${text.slice(0, 200)}`);
        const type = response.headers.get('content-type') || '';
        if (response.status >= 400 && type.includes('json')) {
          const parsed = JSON.parse(text);
          // Open311 answers with its own error list; everything else with Datenwerk's error object.
          const error = Array.isArray(parsed) ? { code: String(parsed[0]?.code), message: parsed[0]?.description } : parsed.error;
          assert.ok(error && typeof error.code === 'string' && typeof error.message === 'string', `${where}: ${text.slice(0, 200)}`);
        }
        if (response.status >= 400 && response.status !== 404 && response.status !== 405 && !path.startsWith('/sta/')) {
          const result = check(method.toUpperCase(), url, response.status, type, text);
          if (result.errors.length) undocumented.add(`${method.toUpperCase()} ${path} → ${response.status}: ${result.errors[0].split(': ').pop()}`);
        }
      }
    }
    assert.deepEqual([...undocumented].sort(), [], 'answers the description does not list');
    assert.ok(calls > 700, `${calls} hostile calls`);
    assert.ok(server.alive(), 'the server is still up');
    assert.equal((await fetch(`${server.base}/api/v1/summary`)).status, 200);
  } finally {
    await server.stop();
  }
});
