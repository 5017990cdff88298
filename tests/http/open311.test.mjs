// Open311 GeoReport v2 against the started binary, as FixMyStreet and other clients call it: the
// discovery, services and definitions, POST requests form-encoded with an api_key, GET requests
// with the spec's filters and the common extensions, one request, tokens; every JSON answer
// validated against the Open311 schemas (tests/open311/), every XML answer parsed and compared
// with the JSON; no personal data in any answer; errors in the spec's list format.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv2020 from 'ajv/dist/2020.js';
import { XMLParser } from 'fast-xml-parser';
import { startServer } from '../support/server.mjs';
import { makePhoto, metadataOf, harmlessGroups, readPhoto } from '../support/photos.mjs';

const SOURCE = process.env.DATENWERK_SOURCE_DIR;
const schemas = JSON.parse(readFileSync(join(SOURCE, 'tests', 'open311', 'schemas.json'), 'utf8'));
const ajv = new Ajv2020({ strict: false, allErrors: true });
ajv.addSchema(schemas, 'open311');
const validator = (name) => ajv.getSchema(`open311#/${name}`);
// Lists are arrays in XML too: the parser keeps these elements as arrays even when one is there.
const xml = new XMLParser({ parseTagValue: false, isArray: (name) => ['service', 'request', 'attribute', 'value', 'error', 'endpoint', 'format', 'request_update'].includes(name) });

function valid(name, value) {
  const validate = validator(name);
  assert.ok(validate(value), `${name}: ${JSON.stringify(validate.errors?.slice(0, 3))} in ${JSON.stringify(value).slice(0, 300)}`);
}

async function getBoth(base, path) {
  const json = await fetch(`${base}${path.replace('{f}', 'json')}`);
  const x = await fetch(`${base}${path.replace('{f}', 'xml')}`);
  const xmlText = await x.text();
  assert.equal(json.headers.get('content-type'), 'application/json; charset=utf-8');
  assert.equal(x.headers.get('content-type'), 'text/xml; charset=utf-8');
  assert.ok(xmlText.startsWith('<?xml version="1.0" encoding="utf-8"?>'), xmlText.slice(0, 80));
  assert.equal(json.status, x.status, path);
  return { status: json.status, json: await json.json(), xml: xml.parse(xmlText), xmlText };
}

const form = (fields) => new URLSearchParams(fields).toString();

test('Open311 GeoReport v2: discovery, services, POST and GET requests in JSON and XML, errors, no personal data', async () => {
  const server = await startServer();
  const base = `${server.base}/open311/v2`;
  const post = (format, fields, headers = {}) => fetch(`${base}/requests.${format}`, {
    method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded; charset=utf-8', ...headers }, body: form(fields) });
  try {
    let r = await getBoth(base, '/discovery.{f}');
    valid('discovery', r.json);
    assert.equal(r.xml.discovery.endpoints.endpoint[0].specification, 'http://wiki.open311.org/GeoReport_v2');

    r = await getBoth(base, '/services.{f}');
    valid('services', r.json);
    assert.deepEqual(r.xml.services.service.map((s) => s.service_code), r.json.map((s) => s.service_code));
    assert.equal(r.json.find((s) => s.service_code === 'strasse').metadata, true);
    assert.equal(r.json.find((s) => s.service_code === 'idee').metadata, false);

    r = await getBoth(base, '/services/muell.{f}');
    valid('serviceDefinition', r.json);
    assert.deepEqual(r.xml.service_definition.attributes.attribute[0].values.value.map((v) => v.key), r.json.attributes[0].values.map((v) => v.key));
    r = await getBoth(base, '/services/gibtsnicht.{f}');
    assert.equal(r.status, 404);
    valid('errors', r.json);
    assert.equal(r.xml.errors.error[0].code, '404');

    // POST: the spec's form, an api_key of the city, personal data that must never come back.
    const key = server.keys.viewer;
    const pothole = { api_key: key, jurisdiction_id: 'bochum.de', service_code: 'strasse', lat: '51.4818', long: '7.2162',
      address_string: 'Rathausplatz, Bochum', email: 'anna.muster@example.org', first_name: 'Anna', last_name: 'Muster',
      phone: '0234 123456', device_id: 'geraet-42', account_id: 'konto-7', description: 'Tiefes Schlagloch vor dem Rathaus',
      'attribute[gefahr]': 'ja' };
    let res = await post('json', pothole);
    assert.equal(res.status, 200);
    const created = await res.json();
    valid('created', created);
    const id = created[0].service_request_id;
    // The report's private key reaches the submitting app in a header, and leads back to the id.
    const token = res.headers.get('datenwerk-token');
    assert.match(token, /^[A-Za-z0-9_-]{43}$/);
    const looked = await getBoth(base, `/tokens/${token}.{f}`);
    valid('tokens', looked.json);
    assert.deepEqual(looked.json, [{ service_request_id: id, token }]);
    assert.equal(looked.xml.service_requests.request[0].service_request_id, id);
    assert.match(created[0].service_notice, /Tiefbauamt/);
    res = await post('xml', { ...pothole, service_code: 'muell', 'attribute[art][]': 'sperrmuell', 'attribute[gefahr]': '' });
    const createdXml = xml.parse(await res.text());
    assert.equal(res.status, 200);
    const rubbishId = createdXml.service_requests.request[0].service_request_id;
    assert.ok(Number(rubbishId) > Number(id));
    // A playground in Wattenscheid goes to the district's office, not the category's.
    res = await post('json', { api_key: key, service_code: 'spielplatz', lat: '51.4826', long: '7.1268', description: 'Schaukel kaputt' });
    assert.match((await res.json())[0].service_notice, /Wattenscheid/);
    // An address without a position is taken (no geocoder configured).
    res = await post('json', { api_key: key, service_code: 'idee', address_string: 'Stadtpark', description: 'Mehr Bänke im Stadtpark' });
    assert.equal(res.status, 200);

    // Refusals, each in the error list naming what is wrong.
    for (const [fields, status, where, headers] of [
      [{ ...pothole, api_key: '' }, 403, 'api_key'],
      [{ ...pothole, api_key: 'falsch' }, 403, 'api_key'],
      [{ ...pothole, service_code: 'gibtsnicht' }, 404, 'service_code'],
      [{ ...pothole, jurisdiction_id: 'berlin.de' }, 404, 'jurisdiction_id'],
      [{ ...pothole, lat: '52.52', long: '13.40' }, 400, 'lat'],
      [{ ...pothole, lat: 'nördlich' }, 400, 'lat'],
      [{ ...pothole, long: '' }, 400, 'long'],
      [{ ...pothole, 'attribute[gefahr]': '' }, 400, 'attribute[gefahr]'],
      [{ ...pothole, 'attribute[gefahr]': 'vielleicht' }, 400, 'attribute[gefahr]'],
      [{ ...pothole, 'attribute[farbe]': 'rot' }, 400, 'attribute[farbe]'],
      [{ ...pothole, description: 'x'.repeat(4001) }, 400, 'description'],
      [{ ...pothole, description: 'a\u0001b' }, 400, 'description'],
      [{ ...pothole, email: 'keine-adresse' }, 400, 'email'],
      [{ ...pothole }, 400, 'body', { 'Content-Type': 'application/json' }],
    ]) {
      res = await post('json', fields, headers);
      const body = await res.json();
      assert.equal(res.status, status, `${where}: ${JSON.stringify(body)}`);
      valid('errors', body);
      assert.ok(body[0].description.startsWith(where), `${where}: ${body[0].description}`);
    }
    res = await fetch(`${base}/requests.json`, { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: 'a=1&'.repeat(201) });
    assert.equal(res.status, 400);
    res = await fetch(`${base}/requests.json`, { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: `api_key=${key}&service_code=strasse&description=%ff` });
    assert.equal(res.status, 400);

    // 300 more reports, so that filters and pages have something to do.
    for (let i = 0; i < 300; ++i) {
      res = await post('json', { api_key: key, service_code: i % 3 ? 'papierkorb' : 'beleuchtung', lat: String(51.45 + (i % 50) * 0.001),
        long: String(7.2 + (i % 7) * 0.01), description: `Meldung ${i}`, email: `person${i}@example.org`, first_name: `Vorname${i}` });
      assert.equal(res.status, 200, await res.text());
    }

    // GET requests: defaults (last 90 days, at most 1000), filters, pages, extensions.
    r = await getBoth(base, '/requests.{f}');
    valid('requests', r.json);
    assert.equal(r.json.length, 304);
    assert.deepEqual(r.xml.service_requests.request.map((x) => x.service_request_id), r.json.map((x) => x.service_request_id));
    assert.ok(Date.parse(r.json[0].requested_datetime) >= Date.parse(r.json.at(-1).requested_datetime), 'newest first');
    const byId = Object.fromEntries(r.json.map((x) => [x.service_request_id, x]));
    assert.equal(byId[id].agency_responsible, 'Tiefbauamt');
    assert.equal(byId[id].status, 'open');
    assert.equal(byId[id].lat, 51.4818);
    assert.equal(byId[id].address, 'Rathausplatz, Bochum');
    const everything = JSON.stringify(r.json) + r.xmlText;
    for (const secret of ['anna.muster@example.org', 'Anna', 'Muster', '0234 123456', 'geraet-42', 'konto-7', 'person1@', 'Vorname1']) {
      assert.ok(!everything.includes(secret), `${secret} is in a public answer`);
    }

    const count = async (query) => {
      const { json, xml: x } = await getBoth(base, `/requests.{f}?${query}`);
      valid('requests', json);
      assert.equal((x.service_requests.request || []).length, json.length, query);
      return json;
    };
    assert.equal((await count('service_code=beleuchtung')).length, 100);
    assert.equal((await count('service_code=beleuchtung,strasse')).length, 101);
    assert.equal((await count('status=open')).length, 304);
    assert.equal((await count('status=closed')).length, 0);
    assert.equal((await count('status=open,closed')).length, 304);
    assert.equal((await count(`service_request_id=${id},${rubbishId},999999&service_code=idee`)).length, 2);
    const now = Date.now();
    assert.equal((await count(`start_date=${new Date(now - 3600e3).toISOString()}&end_date=${new Date(now + 3600e3).toISOString()}`)).length, 304);
    assert.equal((await count(`start_date=${new Date(now + 3600e3).toISOString()}`)).length, 0);
    assert.equal((await count(`updated_after=${new Date(now - 3600e3).toISOString()}`)).length, 304);
    const page2 = await count('page_size=100&page=2');
    assert.equal(page2.length, 100);
    assert.equal(page2[0].service_request_id, r.json[100].service_request_id);
    assert.equal((await count('page_size=100&page=4')).length, 4);
    const extended = await count('extensions=true&service_code=spielplatz');
    assert.deepEqual(extended[0].extended_attributes, { status: 'OPEN', datenwerk_status: 'received', datenwerk_status_label: 'Eingegangen', district: 'Wattenscheid' });
    for (const bad of ['status=erledigt', 'start_date=gestern', 'page_size=0', 'page_size=1001', 'page=-1',
      'service_request_id=1,x', 'unbekannt=1', `end_date=2020-01-01T00:00:00Z&start_date=2021-01-01T00:00:00Z`]) {
      const { status, json } = await getBoth(base, `/requests.{f}?${bad}`);
      assert.equal(status, 400, bad);
      valid('errors', json);
    }
    assert.equal((await getBoth(base, '/requests.{f}?jurisdiction_id=berlin.de')).status, 404);
    assert.equal((await getBoth(base, '/requests.{f}?jurisdiction_id=bochum.de&api_key=x')).status, 200);

    // mySociety's servicerequestupdates: staff changes, with the public note, in FixMyStreet's states.
    const staffKey = { 'Content-Type': 'application/json', Authorization: `Bearer ${server.apiKey}` };
    for (const [status, note] of [['in_progress', 'Wir prüfen das.'], ['done', 'Verfüllt <heute>.']]) {
      res = await fetch(`${server.base}/api/v1/buergerecho/reports/${id}/status`, { method: 'POST', headers: staffKey, body: JSON.stringify({ status, note }) });
      assert.equal(res.status, 200, await res.text());
    }
    const span = `start_date=${new Date(Date.now() - 3600e3).toISOString()}&end_date=${new Date(Date.now() + 3600e3).toISOString()}`;
    r = await getBoth(base, `/servicerequestupdates.{f}?${span}`);
    valid('updates', r.json);
    assert.deepEqual(r.json.map((u) => [u.service_request_id, u.status, u.description]),
      [[id, 'IN_PROGRESS', 'Wir prüfen das.'], [id, 'FIXED', 'Verfüllt <heute>.']]);
    assert.deepEqual(r.xml.service_request_updates.request_update.map((u) => u.update_id), r.json.map((u) => u.update_id));
    assert.ok(r.xmlText.includes('Verfüllt &lt;heute&gt;.'));
    assert.ok(!r.xmlText.includes('schluessel'), 'who changed it stays internal');
    assert.equal((await getBoth(base, `/servicerequestupdates.{f}?start_date=${new Date(Date.now() + 3600e3).toISOString()}`)).json.length, 0);
    assert.equal((await getBoth(base, '/servicerequestupdates.{f}?start_date=gestern')).status, 400);
    assert.equal((await getBoth(base, '/servicerequestupdates.{f}?seite=2')).status, 400);
    r = await getBoth(base, `/requests/${id}.{f}?extensions=true`);
    assert.equal(r.json[0].status, 'closed');
    assert.equal(r.json[0].status_notes, 'Verfüllt <heute>.');
    assert.equal(r.json[0].extended_attributes.status, 'FIXED');

    // One request, and tokens (Datenwerk answers realtime: a token is only looked up, never needed).
    r = await getBoth(base, `/requests/${id}.{f}`);
    valid('requests', r.json);
    assert.equal(r.json.length, 1);
    assert.equal(r.xml.service_requests.request[0].description, 'Tiefes Schlagloch vor dem Rathaus');
    for (const path of ['/requests/999999.{f}', '/requests/abc.{f}', '/tokens/unbekannt.{f}', `/tokens/${'x'.repeat(500)}.{f}`]) {
      const { status, json } = await getBoth(base, path);
      assert.equal(status, 404, path);
      valid('errors', json);
    }
    assert.equal((await fetch(`${base}/requests`)).status, 404);
    assert.equal((await fetch(`${base}/requests.csv`)).status, 404);
    assert.ok(server.alive());
  } finally {
    await server.stop();
  }
});

test('the public list and map filter by the day of filing (Berlin time); a date that is none is no filter', async (t) => {
  const server = await startServer();
  t.after(() => server.stop());
  for (const [lat, long] of [['51.4818', '7.2162'], ['51.4826', '7.1268']]) {
    const filed = await fetch(`${server.base}/open311/v2/requests.json`, { method: 'POST',
      body: new URLSearchParams({ api_key: server.keys.viewer, service_code: 'muell', lat, long, description: 'Müll' }) });
    assert.equal(filed.status, 200);
  }
  const day = (offset) => {
    const d = new Date(Date.now() + offset * 86400000);
    return new Intl.DateTimeFormat('sv-SE', { timeZone: 'Europe/Berlin' }).format(d);  // YYYY-MM-DD
  };
  const count = async (query) => Number((await (await fetch(`${server.base}/buergerecho?${query}`)).text())
    .match(/<p role="status">([\d.]+) Meldung/)[1].replace('.', ''));
  const all = await count('');
  assert.equal(all, 2);
  assert.equal(await count(`von=${day(0)}`), all);
  assert.equal(await count(`von=${day(1)}`), 0);
  assert.equal(await count(`bis=${day(-1)}`), 0);
  const [y, m, d] = day(0).split('-');
  assert.equal(await count(`von=${Number(d)}.${Number(m)}.${y}&bis=${day(0)}`), all, 'German dates too');
  for (const bad of ['gestern', '2026-13-45', 'x'.repeat(500), '%00']) assert.equal(await count(`von=${bad}`), all, bad);
  const page = await (await fetch(`${server.base}/buergerecho?von=${day(1)}`)).text();
  assert.match(page, new RegExp(`<input type="date" id="f-von" name="von" value="${day(1)}">`));
  assert.match(page, new RegExp(`data-filter="von=${day(1)}"`));
  const map = async (query) => (await (await fetch(`${server.base}/buergerecho/karte.json?bbox=7.0,51.35,7.4,51.6&zoom=11&${query}`)).json()).total;
  assert.equal(await map(''), 2);
  assert.equal(await map(`von=${day(1)}`), 0);
});

test('mySociety servicerequestupdates: FixMyStreet posts a citizen\'s comment, and "OPEN" reopens a report done', async (t) => {
  const server = await startServer();
  t.after(() => server.stop());
  const base = `${server.base}/open311/v2`;
  const filed = await fetch(`${base}/requests.json`, { method: 'POST', body: new URLSearchParams({ api_key: server.keys.viewer,
    service_code: 'strasse', lat: '51.4818', long: '7.2162', description: 'Schlagloch', 'attribute[gefahr]': 'nein' }) });
  const id = (await filed.json())[0].service_request_id;
  const done = await fetch(`${server.base}/api/v1/buergerecho/reports/${id}/status`, { method: 'POST',
    headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${server.apiKey}` },
    body: JSON.stringify({ status: 'done', note: 'Ausgebessert' }) });
  assert.equal(done.status, 200);
  // What FixMyStreet's Open311.pm sends for a comment (perllib/Open311.pm, post_service_request_update).
  const fms = { jurisdiction_id: 'bochum.de', api_key: server.keys.viewer, update_id_ext: '4711', updated_datetime: '2026-12-07T10:00:00+01:00',
    service_request_id: id, service_request_id_ext: '99', status: 'OPEN', email: 'erika@example.org',
    description: 'Das Loch ist noch da.', last_name: 'Musterfrau', first_name: 'Erika', public_anonymity_required: 'FALSE',
    email_alerts_requested: 'FALSE', title: 'Frau' };
  const post = (format, fields) => fetch(`${base}/servicerequestupdates.${format}`, { method: 'POST', body: new URLSearchParams(fields) });
  let res = await post('xml', fms);
  assert.equal(res.status, 200);
  const answer = xml.parse(await res.text());
  const updateId = answer.service_request_updates.request_update[0].update_id;
  assert.match(String(updateId), /^\d+$/);
  let report = (await (await fetch(`${base}/requests/${id}.json?extensions=true`)).json())[0];
  assert.equal(report.status, 'open');
  assert.equal(report.extended_attributes.datenwerk_status, 'received');
  // Sent again (FixMyStreet retries): the same id, nothing twice.
  res = await post('xml', fms);
  assert.equal(String(xml.parse(await res.text()).service_request_updates.request_update[0].update_id), String(updateId));
  const updates = await getBoth(server.base, '/open311/v2/servicerequestupdates.{f}');
  const mine = updates.json.filter((u) => u.service_request_id === id);
  assert.deepEqual(mine.map((u) => u.description), ['Ausgebessert', 'Das Loch ist noch da.']);
  assert.equal(mine[1].update_id, String(updateId));
  for (const text of [JSON.stringify(updates.json), updates.xmlText]) assert.doesNotMatch(text, /erika|Musterfrau/i);
  // "CLOSED" on an open report is the citizen's comment; only staff close reports.
  res = await post('json', { ...fms, update_id_ext: '4712', status: 'CLOSED', description: 'Jetzt ist es gut.' });
  assert.equal(res.status, 200);
  assert.match((await res.json())[0].update_id, /^\d+$/);
  report = (await (await fetch(`${base}/requests/${id}.json`)).json())[0];
  assert.equal(report.status, 'open');
  // Refusals in the spec's error list, naming the field.
  for (const [fields, code, field] of [
    [{ ...fms, description: '' }, 400, 'description'], [{ ...fms, service_request_id: 'abc' }, 400, 'service_request_id'],
    [{ ...fms, service_request_id: '999999', update_id_ext: '5000' }, 404, 'service_request_id'],
    [{ ...fms, service_request_id: '999999' }, 400, 'update_id_ext'], [{ ...fms, api_key: 'falsch' }, 403, 'api_key'],
    [{ ...fms, updated_datetime: 'gestern' }, 400, 'updated_datetime'], [{ ...fms, status: 'VIELLEICHT' }, 400, 'status'],
    [{ ...fms, passwort: 'x' }, 400, 'passwort'], [{ ...fms, update_id_ext: 'x'.repeat(101) }, 400, 'update_id_ext'],
    [{ ...fms, update_id_ext: '4713', description: 'x'.repeat(2001) }, 400, 'description']]) {
    const r = await post('json', fields);
    assert.equal(r.status, code, JSON.stringify(fields).slice(0, 120));
    const body = await r.json();
    valid('errors', body);
    assert.match(body[0].description, new RegExp(field));
  }
});

test('BürgerEcho\'s KPIs K2.1 to K2.5 come out of the reports, with the monthly run of the automatic KPIs', async () => {
  const server = await startServer();
  const file = (fields) => fetch(`${server.base}/open311/v2/requests.json`, {
    method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: form({ api_key: server.keys.viewer, lat: '51.4818', long: '7.2162', ...fields }) });
  try {
    for (const fields of [{ service_code: 'idee', description: 'Mehr Bänke' }, { service_code: 'idee', description: 'Trinkbrunnen' },
      { service_code: 'muell', description: 'Sperrmüll' }, { service_code: 'beleuchtung', description: 'Laterne aus' },
      { service_code: 'papierkorb', description: 'voll' }]) {
      assert.equal((await file(fields)).status, 200);
    }
    const status = (id, s) => fetch(`${server.base}/api/v1/buergerecho/reports/${id}/status`, {
      method: 'POST', headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${server.apiKey}` },
      body: JSON.stringify({ status: s, note: 'bearbeitet' }) });
    assert.equal((await status(1, 'done')).status, 200);        // one suggestion implemented
    assert.equal((await status(3, 'in_progress')).status, 200); // one defect reacted to
    const month = new Date().toISOString().slice(0, 7);
    const r = await fetch(`${server.base}/api/v1/kpis-automatisch/berechnen?monat=${month}`, {
      method: 'POST', headers: { Authorization: `Bearer ${server.apiKey}` } });
    assert.equal(r.status, 200);
    const report = await r.json();
    const value = (kpi) => report.written.find((w) => w.kpi === kpi)?.value;
    assert.equal(value('SCBOK-ZI-KI-K2.1'), 2);
    assert.equal(value('SCBOK-ZI-KI-K2.2'), 50);
    assert.equal(value('SCBOK-ZI-KI-K2.3'), 5);
    assert.equal(value('SCBOK-ZI-KI-K2.4'), 3);
    assert.ok(value('SCBOK-ZI-KI-K2.5') >= 0 && value('SCBOK-ZI-KI-K2.5') < 1, JSON.stringify(report));
    // Written as KPI values with the automatic source, and the method on the KPI's page.
    const values = await (await fetch(`${server.base}/api/v1/kpis/SCBOK-ZI-KI-K2.4/values`)).json();
    assert.equal(values.items.at(-1).value, 3);
    assert.equal(values.items.at(-1).source, 'Datenwerk (automatisch)');
    const page = await (await fetch(`${server.base}/indikatoren/SCBOK-ZI-KI-K2.5`)).text();
    assert.match(page, /bis zur ersten Änderung ihres Stands durch die Verwaltung/);
  } finally {
    await server.stop();
  }
});

test('photos: filed with a report as multipart, re-encoded upright without any metadata, refused when not photos', async () => {
  const server = await startServer();
  const base = `${server.base}/open311/v2`;
  const fields = { api_key: server.keys.viewer, service_code: 'strasse', lat: '51.4818', long: '7.2162',
    description: 'Schlagloch mit Foto', 'attribute[gefahr]': 'nein' };
  const file = (path, type = 'image/jpeg') => new Blob([readPhoto(path)], { type });
  const postWith = (files, extra = {}) => {
    const body = new FormData();
    for (const [k, v] of Object.entries({ ...fields, ...extra })) body.append(k, v);
    for (const [field, blob, name] of files) body.append(field, blob, name);
    return fetch(`${base}/requests.json`, { method: 'POST', body });
  };
  try {
    // A phone's photo: taken turned, with the position and the photographer's name inside.
    const phone = makePhoto({ width: 1600, height: 1200, gps: [51.4818, 7.2162], artist: 'Erika Mustermann' });
    const before = metadataOf(readPhoto(phone));
    assert.ok(before['GPS:GPSLatitude'] && before['IFD0:Artist'], 'the test photo carries a position and a name');
    const png = makePhoto({ width: 300, height: 200, format: 'png' });
    let res = await postWith([['media', file(phone), 'IMG_0001.jpg'], ['media', file(png, 'image/png'), 'skizze.png']]);
    assert.equal(res.status, 200, await res.clone().text());
    const [{ service_request_id: id }] = await res.json();

    const [request] = await (await fetch(`${base}/requests/${id}.json`)).json();
    valid('requests', [request]);
    assert.equal(request.media_url, `${server.base}/buergerecho/fotos/${id}/1.jpg`);
    const xmlText = await (await fetch(`${base}/requests/${id}.xml`)).text();
    assert.equal(xml.parse(xmlText).service_requests.request[0].media_url, request.media_url);

    for (const [path, width, height] of [[`/buergerecho/fotos/${id}/1.jpg`, 1200, 1600],
      [`/buergerecho/fotos/${id}/1-klein.jpg`, 300, 400], [`/buergerecho/fotos/${id}/2.jpg`, 300, 200]]) {
      const photo = await fetch(`${server.base}${path}`);
      assert.equal(photo.status, 200, path);
      assert.equal(photo.headers.get('content-type'), 'image/jpeg');
      const bytes = Buffer.from(await photo.arrayBuffer());
      const after = metadataOf(bytes);
      // Upright (the orientation was applied to the pixels) and nothing but the picture left.
      assert.equal(after['File:ImageWidth'], width, path);
      assert.equal(after['File:ImageHeight'], height, path);
      const groups = new Set(Object.keys(after).map((k) => k.split(':')[0]));
      assert.deepEqual([...groups].filter((g) => !harmlessGroups.has(g)), [], `${path}: ${JSON.stringify(after)}`);
      assert.ok(!Object.keys(after).some((k) => /GPS|Artist|Orientation/.test(k)), path);
      assert.ok(!bytes.includes('Erika'), path);
    }
    for (const missing of [`/buergerecho/fotos/${id}/3.jpg`, `/buergerecho/fotos/${id}/0.jpg`, `/buergerecho/fotos/${id}/1.png`,
      '/buergerecho/fotos/999/1.jpg', `/buergerecho/fotos/${id}/1x.jpg`, `/buergerecho/fotos/${id}/99999999999999999999.jpg`]) {
      assert.equal((await fetch(`${server.base}${missing}`)).status, 404, missing);
    }

    // Refused, with the spec's error list naming the field, and nothing stored.
    const count = async () => (await (await fetch(`${base}/requests.json`)).json()).length;
    const stored = await count();
    const small = makePhoto({ width: 64, height: 48 });
    const cases = [
      [[['media', new Blob(['kein Foto, nur Text']), 'foto.jpg']], 400, 'media'],
      [[['media', new Blob(['<svg xmlns="http://www.w3.org/2000/svg"/>'], { type: 'image/svg+xml' }), 'a.svg']], 400, 'media'],
      [[['media', new Blob([readPhoto(phone).subarray(0, 20000)]), 'halb.jpg']], 400, 'media'],
      [[1, 2, 3, 4].map(() => ['media', file(small), 'a.jpg']), 400, 'media'],
      [[['bild', file(small), 'a.jpg']], 400, 'bild'],
      [[['media', new Blob([Buffer.alloc(11 << 20, 0xff)]), 'riesig.jpg']], 413, 'media'],
    ];
    for (const [files, status, field] of cases) {
      res = await postWith(files);
      assert.equal(res.status, status, `${field}: ${files.length} files`);
      const errors = await res.json();
      valid('errors', errors);
      assert.ok(errors[0].description.startsWith(`${field}: `), errors[0].description);
    }
    // Over the body limit for a filing (31 MB): refused before it is read to the end.
    res = await postWith([1, 2, 3].map(() => ['media', new Blob([Buffer.alloc(11 << 20, 0xff)]), 'a.jpg']));
    assert.equal(res.status, 413);
    assert.equal(await count(), stored, 'nothing half-written');
    assert.ok(server.alive());
  } finally {
    await server.stop();
  }
});
