// BürgerEcho's area subscriptions against the started binary, with a real SMTP conversation
// (a local sink) and a local geocoder that answers like Nominatim: double opt-in through the
// mailed link (opening it changes nothing; its button does), a digest that lists exactly the
// area's reports and changes, leaving erases the subscription; an address the house
// coordinates do not know is found by the geocoder, one outside the city is not, a geocoder that
// hangs costs at most its timeout. Hostile input gets German answers; nothing crashes.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { startServer } from '../support/server.mjs';
import { smtpSink } from '../support/smtp.mjs';

const MITTE = { breite: '51,4818', laenge: '7,2162' };         // as in open311.test.mjs
const WATTENSCHEID = { breite: '51,4826', laenge: '7,1268' };
let server, sink, geocoder;
const asked = [];

before(async () => {
  sink = smtpSink();
  const smtpPort = await sink.listen();
  // Fictitious addresses only: "Musterweg 1" lies in Mitte, "Anderswo 5" far outside the city.
  geocoder = createServer((req, res) => {
    const q = new URL(req.url, 'http://x').searchParams.get('q') ?? '';
    asked.push({ q, agent: req.headers['user-agent'] });
    const answer = (body) => { res.setHeader('Content-Type', 'application/json'); res.end(JSON.stringify(body)); };
    if (q.startsWith('Musterweg 1')) return answer([{ place_id: 1, lat: '51.4818', lon: '7.2162', display_name: 'Musterweg 1' }]);
    if (q.startsWith('Anderswo 5')) return answer([{ place_id: 2, lat: '48.0', lon: '11.0', display_name: 'Anderswo 5' }]);
    if (q.startsWith('Kaputt')) { res.end('<html>Fehler</html>'); return; }
    if (q.startsWith('Langsam')) { setTimeout(() => answer([]), 6000); return; }
    return answer([]);
  });
  await new Promise((r) => geocoder.listen(0, '127.0.0.1', r));
  server = await startServer({
    extraArgs: ['--smtp-url', `smtp://127.0.0.1:${smtpPort}`, '--smtp-from', 'buergerecho@bochum.de',
      '--public-url', 'https://smartcity.bochum.example', '--buergerecho-digest-seconds', '2',
      '--geocoder', `http://127.0.0.1:${geocoder.address().port}/search?format=jsonv2&q={q}`,
      '--geocoder-user-agent', 'Datenwerk-Test (smart-city@bochum.de)', '--buergerecho-burst', '1000'],
  });
});
after(async () => {
  await server?.stop();
  await sink?.close();
  geocoder?.close();
});

async function post(path, fields) {
  const res = await fetch(`${server.base}${path}`, { method: 'POST', redirect: 'manual', body: new URLSearchParams(fields) });
  return { status: res.status, text: await res.text(), headers: res.headers };
}
async function get(path) {
  const res = await fetch(`${server.base}${path}`);
  return { status: res.status, text: await res.text() };
}
async function file(where, description) {
  const res = await post('/buergerecho/melden', { kategorie: 'strasse', beschreibung: description, nahe: 'gesehen',
    'merkmal-gefahr': 'nein', ...where });
  assert.equal(res.status, 201, res.text.slice(0, 2000));
  return res.text.match(/Ihre Meldung (\d+) ist eingegangen/)[1];
}
const linkIn = (mail, what) => mail.body.match(new RegExp(`https://smartcity\\.bochum\\.example(/buergerecho/benachrichtigungen/${what}/[\\w-]+)`))[1];
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

test('a district subscription: confirmed by the mailed link, digests of exactly its reports, ended by the link in each', async () => {
  const form = await get('/buergerecho/benachrichtigungen');
  assert.equal(form.status, 200);
  assert.match(form.text, /<option value="Mitte">Mitte<\/option>/);
  assert.match(form.text, /höchstens alle 2 Sekunden, und nur, wenn sich etwas getan hat/);
  assert.match((await get('/buergerecho')).text, /href="\/buergerecho\/benachrichtigungen"/);

  let res = await post('/buergerecho/benachrichtigungen', { email: 'anna@example.org', bezirk: 'Mitte', umkreis: '500' });
  assert.equal(res.status, 200);
  assert.match(res.text, /Bitte bestätigen Sie Ihre Adresse/);
  const confirmation = await sink.next((m) => m.to.includes('anna@example.org'));
  assert.equal(confirmation.subject, 'Bitte bestätigen: Benachrichtigungen von BürgerEcho');
  assert.match(confirmation.body, /„Stadtbezirk Mitte“/);
  const confirmLink = linkIn(confirmation, 'bestaetigen');
  // Asked again at once: the same answer, no second mail.
  res = await post('/buergerecho/benachrichtigungen', { email: 'ANNA@example.org', bezirk: 'Mitte' });
  assert.match(res.text, /Bitte bestätigen Sie Ihre Adresse/);

  // Opening the link (as a mail scanner would) confirms nothing: no digest follows a report.
  const page = await get(confirmLink);
  assert.equal(page.status, 200);
  assert.match(page.text, /<form method="post" action="\/buergerecho\/benachrichtigungen\/bestaetigen\/[\w-]+"><button type="submit">Ja, Benachrichtigungen erhalten/);
  await file(MITTE, 'Vor der Bestätigung');
  await sleep(4500);
  assert.equal(sink.mails.filter((m) => m.to.includes('anna@example.org')).length, 1, 'only the confirmation so far');

  res = await post(confirmLink, {});
  assert.equal(res.status, 200);
  assert.match(res.text, /Danke! Sie erfahren ab jetzt/);
  const mitte = await file(MITTE, 'Schlagloch vor Haus 7, gesehen von Max Mustermann');
  const wattenscheid = await file(WATTENSCHEID, 'Schlagloch in Wattenscheid');
  const digest = await sink.next((m) => m.to.includes('anna@example.org') && m.subject.startsWith('BürgerEcho'));
  assert.equal(digest.subject, 'BürgerEcho Stadtbezirk Mitte: 1 neu, 0 geändert');
  assert.match(digest.body, new RegExp(`Meldung ${mitte} \\(Straßenschaden oder Schlagloch\\): Eingegangen`));
  assert.match(digest.body, new RegExp(`https://smartcity\\.bochum\\.example/buergerecho/meldungen/${mitte}\\b`));
  assert.doesNotMatch(digest.body, new RegExp(`Meldung ${wattenscheid}\\b`));
  assert.doesNotMatch(digest.body, /Mustermann|Haus 7|Vor der Bestätigung/, 'no descriptions, no names');
  const endLink = linkIn(digest, 'abmelden');

  // Staff move it on: the next digest tells of the change.
  const changed = await fetch(`${server.base}/api/v1/buergerecho/reports/${mitte}/status`, {
    method: 'POST', headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${server.apiKey}` },
    body: JSON.stringify({ status: 'in_progress', note: 'Kolonne ist bestellt' }) });
  assert.equal(changed.status, 200, await changed.text());
  const second = await sink.next((m) => m.to.includes('anna@example.org') && m.subject.endsWith('0 neu, 1 geändert'));
  assert.match(second.body, new RegExp(`Meldung ${mitte} \\(Straßenschaden oder Schlagloch\\): jetzt In Bearbeitung`));

  // Leaving: the link shows a button, the button ends it; the links are dead afterwards.
  assert.match((await get(endLink)).text, /<button type="submit">Abmelden<\/button>/);
  res = await post(endLink, {});
  assert.equal(res.status, 200);
  assert.match(res.text, /Ihre Adresse ist gelöscht/);
  assert.equal((await post(endLink, {})).status, 404);
  assert.equal((await get(confirmLink)).status, 404);
  const before = sink.mails.length;
  await file(MITTE, 'Nach der Abmeldung');
  await sleep(4500);
  assert.equal(sink.mails.filter((m, i) => i >= before && m.to.includes('anna@example.org')).length, 0);
});

test('a circle around an address the geocoder finds; outside the city or unknown it is refused, a hanging geocoder costs its timeout', async () => {
  let res = await post('/buergerecho/benachrichtigungen', { email: 'bob@example.org', bezirk: '', adresse: 'Musterweg 1', umkreis: '1000' });
  assert.equal(res.status, 200, res.text.slice(0, 1500));
  const mail = await sink.next((m) => m.to.includes('bob@example.org'));
  assert.match(mail.body, /„1000 m um 51,48180 N, 7,21620 O“/);
  assert.ok(asked.some((a) => a.q === 'Musterweg 1' && a.agent === 'Datenwerk-Test (smart-city@bochum.de)'));

  res = await post('/buergerecho/benachrichtigungen', { email: 'carl@example.org', adresse: 'Anderswo 5', umkreis: '500' });
  assert.equal(res.status, 422);
  assert.match(res.text, /Diese Adresse finden wir in der Stadt nicht/);
  assert.match(res.text, /id="feld-adresse"[^>]*aria-invalid="true" aria-describedby="fehler-adresse hilfe-umkreis"/);
  assert.equal(res.text.match(/<input id="feld-adresse"[^>]*>/)[0].match(/aria-describedby/g).length, 1, 'one aria-describedby');
  res = await post('/buergerecho/benachrichtigungen', { email: 'carl@example.org', adresse: 'Kaputt 3', umkreis: '500' });
  assert.equal(res.status, 422, 'a geocoder that answers nonsense finds nothing');
  const started = Date.now();
  res = await post('/buergerecho/benachrichtigungen', { email: 'carl@example.org', adresse: 'Langsam 9', umkreis: '500' });
  assert.equal(res.status, 422);
  assert.ok(Date.now() - started < 5500, `answered after ${Date.now() - started} ms`);
  assert.equal((await get('/buergerecho/benachrichtigungen')).status, 200, 'still serving');

  // The report form finds the position of a typed address the same way.
  const id = await file({ adresse: 'Musterweg 1' }, 'Nur mit Adresse gemeldet');
  const report = await get(`/buergerecho/meldungen/${id}`);
  assert.match(report.text, /51,48180|51\.48180/);
  const sent = asked.filter((a) => a.q === 'Musterweg 1').length;
  await file({ adresse: 'Musterweg 1' }, 'Noch einmal');
  assert.equal(asked.filter((a) => a.q === 'Musterweg 1').length, sent, 'answered from the cache');
  // And an Open311 app that sends only address_string.
  const filed = await fetch(`${server.base}/open311/v2/requests.json`, { method: 'POST', body: new URLSearchParams({
    api_key: server.keys.viewer, service_code: 'muell', address_string: 'Musterweg 1, Bochum', description: 'Sperrmüll' }) });
  assert.equal(filed.status, 200);
  const placed = (await (await fetch(`${server.base}/open311/v2/requests/${(await filed.json())[0].service_request_id}.json`)).json())[0];
  assert.equal(placed.lat, 51.4818);
  assert.equal(placed.long, 7.2162);
});

test('hostile subscriptions get German answers naming the field, and nothing is stored', async () => {
  const cases = [
    [{ email: '', bezirk: 'Mitte' }, 'email', /gültige E-Mail-Adresse/],
    [{ email: 'x@y.de\r\nBcc: alle@example.org', bezirk: 'Mitte' }, 'email', /gültige E-Mail-Adresse/],
    [{ email: 'x@y.de', bezirk: "Mitte' OR 1=1 --" }, 'bezirk', /Stadtbezirk aus der Liste/],
    [{ email: 'x@y.de' }, 'bezirk', /Stadtbezirk aus der Liste/],
    [{ email: 'x@y.de', breite: '51,48', laenge: '7,21', umkreis: '300' }, 'umkreis', /angebotenen Umkreise/],
    [{ email: 'x@y.de', breite: 'abc', laenge: '7,21', umkreis: '500' }, 'breite', /als Zahlen/],
    [{ email: 'x@y.de', breite: '48', laenge: '11', umkreis: '500' }, 'breite', /außerhalb der Stadt/],
    [{ email: 'x@y.de', adresse: 'x'.repeat(5000), umkreis: '500' }, 'adresse', /finden wir in der Stadt nicht/],
  ];
  for (const [fields, field, message] of cases) {
    const res = await post('/buergerecho/benachrichtigungen', fields);
    assert.equal(res.status, 422, JSON.stringify(fields).slice(0, 100));
    assert.match(res.text, message);
    assert.match(res.text, new RegExp(`<a href="#feld-${field}">`));
  }
  // A bot fills the hidden field: the usual answer, no mail.
  const res = await post('/buergerecho/benachrichtigungen', { email: 'bot@example.org', bezirk: 'Mitte', homepage: 'http://spam' });
  assert.equal(res.status, 200);
  const upload = new FormData();
  upload.append('email', 'y@example.org');
  upload.append('datei', new Blob(['x']), 'x.txt');
  assert.equal((await fetch(`${server.base}/buergerecho/benachrichtigungen`, { method: 'POST', body: upload })).status, 400);
  for (const path of ['/buergerecho/benachrichtigungen/bestaetigen/' + 'a'.repeat(5000), '/buergerecho/benachrichtigungen/abmelden/x',
    '/buergerecho/benachrichtigungen/bestaetigen/%00%ff']) {
    // Unknown, or (bytes that are no UTF-8 text) refused by the router before.
    assert.ok([400, 404].includes((await get(path)).status), path.slice(0, 80));
    assert.ok([400, 404].includes((await post(path, {})).status), path.slice(0, 80));
  }
  await sleep(500);
  assert.equal(sink.mails.filter((m) => /bot@|x@y\.de|y@example/.test(m.to.join(' '))).length, 0);
});

test('subscribing is limited per client (ten at once by default): 429 in German with Retry-After', async () => {
  const limited = await startServer();
  try {
    const statuses = [];
    for (let i = 0; i < 11; ++i) {
      const res = await fetch(`${limited.base}/buergerecho/benachrichtigungen`, { method: 'POST',
        body: new URLSearchParams({ email: `viele${i}@example.org`, bezirk: 'Nord' }) });
      statuses.push(res.status);
      if (res.status === 429) {
        assert.match(await res.text(), /Bitte etwas später/);
        assert.ok(Number(res.headers.get('retry-after')) > 0);
      }
    }
    assert.deepEqual(statuses, [...Array(10).fill(200), 429]);
  } finally {
    await limited.stop();
  }
});
