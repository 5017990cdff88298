// The back office against the started binary: nothing answers without a session of the right
// role, forms without their CSRF token change nothing, cookies carry their flags, a session
// planted before sign-in is worthless, failed sign-ins lock, and hostile forms get German answers.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from '../support/server.mjs';
import { Client, createUser } from '../support/backoffice.mjs';

const KPI = 'SCBOK-NMU-KK-K1.2';  // theme NMU, field NMU-KK
const OTHER_KPI = 'SCBOK-ZI-NI-K1.1';
let server;

before(async () => {
  server = await startServer({
    setup: (dataDir, db) => {
      createUser(dataDir, db, { email: 'admin@bochum.de', role: 'administrator', name: 'Anna Admin' });
      createUser(dataDir, db, { email: 'eva@bochum.de', role: 'editor', name: 'Eva Erfasserin', scopes: ['NMU-KK'] });
      createUser(dataDir, db, { email: 'rolf@bochum.de', role: 'reviewer', name: 'Rolf Prüfer' });
      createUser(dataDir, db, { email: 'vera@bochum.de', role: 'viewer', name: 'Vera Leserin' });
    },
  });
});
after(() => server.stop());

const PAGES = ['/verwaltung', '/verwaltung/indikatoren', `/verwaltung/indikatoren/${KPI}`, '/verwaltung/pruefung',
  '/verwaltung/entwuerfe/1', '/verwaltung/konten', '/verwaltung/protokoll', '/verwaltung/protokoll.csv',
  `/verwaltung/indikatoren/${KPI}/werte/1`];
const FORMS = [`/verwaltung/indikatoren/${KPI}/werte`, `/verwaltung/indikatoren/${KPI}/werte/1`,
  `/verwaltung/indikatoren/${KPI}/werte/1/ruecknahme`, '/verwaltung/entwuerfe/1/veroeffentlichen',
  '/verwaltung/entwuerfe/1/ablehnen', '/verwaltung/konten', '/verwaltung/abmelden'];

async function drafts() {
  const admin = new Client(server.base);
  await admin.signIn('admin@bochum.de');
  const page = await admin.get(`/verwaltung/indikatoren/${KPI}`);
  return (page.text.match(/Entwurf \d+ ansehen/g) ?? []).length;
}

test('without a session every page sends to the sign-in and every form is refused', async () => {
  const anonymous = new Client(server.base);
  for (const path of PAGES) {
    const res = await anonymous.get(path);
    assert.equal(res.status, 303, path);
    assert.match(res.headers.get('location'), /^\/verwaltung\/anmelden\?weiter=/, path);
    assert.equal(res.headers.get('cache-control'), 'no-store', path);
  }
  for (const path of FORMS) {
    const res = await anonymous.post(path, { datum: '2025-01-31', wert: '1', csrf: 'x' });
    assert.equal(res.status, 401, path);
    assert.match(res.text, /Bitte melden Sie sich an/);
  }
  // An unknown or forged session cookie is no session either.
  anonymous.cookies.set('dw_sitzung', 'A'.repeat(43));
  assert.equal((await anonymous.get('/verwaltung')).status, 303);
  assert.equal(await drafts(), 0);
});

test('sign-in sets a new HttpOnly SameSite session cookie, Secure behind TLS', async () => {
  const eva = new Client(server.base);
  const form = await eva.get('/verwaltung/anmelden');
  assert.equal(form.status, 200);
  assert.match(form.headers.get('set-cookie'), /^dw_vorab=[\w-]{43}; Path=\/verwaltung; HttpOnly; SameSite=Strict$/);
  const res = await eva.signIn('eva@bochum.de');
  assert.equal(res.status, 303);
  assert.equal(res.headers.get('location'), '/verwaltung');
  const cookie = res.headers.getSetCookie().find((c) => c.startsWith('dw_sitzung='));
  assert.match(cookie, /^dw_sitzung=[\w-]{43}; Path=\/verwaltung; HttpOnly; SameSite=Strict$/);
  const start = await eva.get('/verwaltung');
  assert.equal(start.status, 200);
  assert.match(start.text, /Guten Tag, Eva Erfasserin/);
  // Behind a TLS-terminating proxy the cookie is Secure.
  const tls = new Client(server.base);
  const page = await tls.get('/verwaltung/anmelden', { 'X-Forwarded-Proto': 'https' });
  assert.match(page.headers.get('set-cookie'), /; Secure$/);
});

test('a session planted before sign-in is not taken over', async () => {
  const victim = new Client(server.base);
  const planted = (await new Client(server.base).signIn('vera@bochum.de')).headers.getSetCookie()
    .find((c) => c.startsWith('dw_sitzung=')).split(';')[0].split('=')[1];
  victim.cookies.set('dw_sitzung', planted);  // an attacker's own valid session, or any made-up value
  await victim.signIn('eva@bochum.de');
  const now = victim.cookies.get('dw_sitzung');
  assert.notEqual(now, planted);
  const attacker = new Client(server.base);
  attacker.cookies.set('dw_sitzung', planted);
  assert.equal((await attacker.get('/verwaltung')).status, 303, 'the presented session ended at sign-in');
  assert.match((await victim.get('/verwaltung')).text, /Eva Erfasserin/);
});

test('forms without the session CSRF token change nothing', async () => {
  const eva = new Client(server.base);
  await eva.signIn('eva@bochum.de');
  const fields = { datum: '2025-01-31', wert: '12' };
  for (const csrf of [undefined, '', 'falsch', 'A'.repeat(43)]) {
    const res = await eva.post(`/verwaltung/indikatoren/${KPI}/werte`, csrf === undefined ? fields : { ...fields, csrf });
    assert.equal(res.status, 403);
    assert.match(res.text, /Formular abgelaufen/);
  }
  // Another person's token does not fit this session.
  const rolf = new Client(server.base);
  await rolf.signIn('rolf@bochum.de');
  const foreign = await rolf.csrf();
  assert.equal((await eva.post(`/verwaltung/indikatoren/${KPI}/werte`, { ...fields, csrf: foreign })).status, 403);
  // The sign-in form needs its pre-session token too.
  const stranger = new Client(server.base);
  const res = await stranger.post('/verwaltung/anmelden', { email: 'eva@bochum.de', passwort: 'ein-sicheres-test-passwort' });
  assert.equal(res.status, 403);
  assert.equal(stranger.cookies.has('dw_sitzung'), false);
  assert.equal(await drafts(), 0);
  // With the token the same form works.
  const ok = await eva.post(`/verwaltung/indikatoren/${KPI}/werte`, { ...fields, csrf: await eva.csrf() });
  assert.equal(ok.status, 303);
  assert.equal(await drafts(), 1);
});

test('roles: editors enter for their fields, reviewers review, administrators administer', async () => {
  const eva = new Client(server.base);
  await eva.signIn('eva@bochum.de');
  for (const path of ['/verwaltung/konten', '/verwaltung/protokoll', '/verwaltung/pruefung', '/verwaltung/protokoll.csv']) {
    const res = await eva.get(path);
    assert.equal(res.status, 403, path);
    assert.match(res.text, /Nicht erlaubt/);
  }
  const csrf = await eva.csrf();
  const outside = await eva.post(`/verwaltung/indikatoren/${OTHER_KPI}/werte`, { datum: '2025-01-31', wert: '1', csrf });
  assert.equal(outside.status, 403);
  assert.match(outside.text, /keine Werte eintragen/);
  const vera = new Client(server.base);
  await vera.signIn('vera@bochum.de');
  assert.equal((await vera.get(`/verwaltung/indikatoren/${KPI}`)).status, 200);  // internal read
  assert.equal((await vera.post(`/verwaltung/indikatoren/${KPI}/werte`,
    { datum: '2025-01-31', wert: '1', csrf: await vera.csrf() })).status, 403);
  const rolf = new Client(server.base);
  await rolf.signIn('rolf@bochum.de');
  assert.equal((await rolf.get('/verwaltung/pruefung')).status, 200);
  assert.equal((await rolf.get('/verwaltung/konten')).status, 403);
  // The internal API answers API keys of the right role as before, and nothing without one.
  assert.equal((await fetch(`${server.base}/api/v1/kpis/${KPI}/values`, { method: 'POST',
    headers: { 'Content-Type': 'application/json' }, body: '{"date":"2025-01-31","value":1}' })).status, 401);
  assert.equal((await fetch(`${server.base}/api/v1/kpis/${KPI}/values`, { method: 'POST',
    headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${server.keys.viewer}` },
    body: '{"date":"2025-01-31","value":1}' })).status, 403);
});

test('failed sign-ins lock the account with a German message and are in the audit trail', async () => {
  const mallory = new Client(server.base);
  for (let i = 0; i < 5; i++) {
    const res = await mallory.signIn('vera@bochum.de', 'falsch-geraten-' + i);
    assert.equal(res.status, 401);
    assert.match(res.text, /E-Mail-Adresse oder Passwort ist falsch/);
  }
  const locked = await mallory.signIn('vera@bochum.de');  // even the right password waits
  assert.equal(locked.status, 429);
  assert.match(locked.text, /Zu viele fehlgeschlagene Anmeldungen\. Bitte versuchen Sie es in \d+ Sekunden wieder/);
  const unknown = await mallory.signIn('niemand@bochum.de', 'falsch-geraten');
  assert.equal(unknown.status, 401);
  assert.match(unknown.text, /E-Mail-Adresse oder Passwort ist falsch/);
  const admin = new Client(server.base);
  await admin.signIn('admin@bochum.de');
  const log = await admin.get('/verwaltung/protokoll?aktion=anmeldung_fehlgeschlagen&pruefen=1');
  assert.equal(log.status, 200);
  assert.match(log.text, /Kette geprüft: \d+ Einträge, alle unverändert/);
  assert.ok((log.text.match(/<td>127\.0\.0\.1<\/td><td>anmeldung_fehlgeschlagen/g) ?? []).length >= 6);
  const csv = await admin.get('/verwaltung/protokoll.csv?aktion=anmeldung_gesperrt');
  assert.equal(csv.status, 200);
  assert.match(csv.headers.get('content-type'), /^text\/csv/);
  assert.match(csv.text, /anmeldung_gesperrt,konto:\d+/);
});

test('hostile forms get a German answer and change nothing', async () => {
  const eva = new Client(server.base);
  await eva.signIn('eva@bochum.de');
  const csrf = await eva.csrf();
  const before = await drafts();
  const path = `/verwaltung/indikatoren/${KPI}/werte`;
  const cases = [
    [{ raw: `csrf=${csrf}&datum=2025-01-31&wert=%E4` }, 400, /kein gültiger Text|kein UTF-8/],
    [{ raw: `csrf=${csrf}&datum=2025-01-31&wert=%zz` }, 400, /beschädigt/],
    [{ raw: `csrf=${csrf}&` + Array.from({ length: 300 }, (_, i) => `f${i}=1`).join('&') }, 400, /zu viele Felder/],
    [{ raw: JSON.stringify({ csrf, datum: '2025-01-31', wert: 1 }), headers: { 'Content-Type': 'application/json' } }, 415,
      /nur normale Formulardaten/],
    [{ fields: { csrf, datum: '31.02.2025', wert: '=1+2', angabe: 'x', anmerkung: 'x'.repeat(2001) } }, 422,
      /Das Datum ist ungültig[\s\S]*Der Wert ist keine Zahl/],
    [{ fields: { csrf, datum: '2025-01-31', wert: '5', nicht_berichtet: '1' } }, 422, /nicht beides/],
  ];
  for (const [{ raw, fields, headers }, status, message] of cases) {
    const res = await eva.post(path, fields ?? {}, { raw, headers });
    assert.equal(res.status, status, raw?.slice(0, 60) ?? JSON.stringify(fields).slice(0, 60));
    assert.match(res.text, message);
  }
  // Escaped, and kept in the form for correction.
  const res = await eva.post(path, { csrf, datum: '', wert: '"><script>alert(1)</script>' });
  assert.equal(res.status, 422);
  assert.ok(!res.text.includes('<script>alert(1)'));
  assert.match(res.text, /value="&quot;&gt;&lt;script&gt;alert\(1\)&lt;\/script&gt;"/);
  // Unknown ids, hostile paths, a body over the server's limit.
  assert.equal((await eva.get('/verwaltung/indikatoren/%3Cscript%3E')).status, 404);
  assert.equal((await eva.get('/verwaltung/entwuerfe/99999999999999999999')).status, 404);
  assert.equal((await eva.get('/verwaltung/entwuerfe/-1')).status, 404);
  const huge = await eva.post(path, {}, { raw: `csrf=${csrf}&wert=` + 'x'.repeat(2 << 20) });
  assert.equal(huge.status, 413);
  assert.equal(await drafts(), before);
  assert.ok(server.alive());
  // After sign-in only our own pages are followed (no open redirect).
  for (const weiter of ['https://evil.example/', '//evil.example/', '/verwaltung//evil', '/\\evil']) {
    const other = new Client(server.base);
    const form = await other.get(`/verwaltung/anmelden?weiter=${encodeURIComponent(weiter)}`);
    assert.ok(form.text.includes('name="weiter" value="/verwaltung"'), weiter);
    const pre = form.text.match(/name="vorab" value="([^"]+)"/)[1];
    const r = await other.post('/verwaltung/anmelden', { vorab: pre, email: 'rolf@bochum.de',
      passwort: 'ein-sicheres-test-passwort', weiter });
    assert.equal(r.headers.get('location'), '/verwaltung', weiter);
  }
});

test('the API\'s writes are in the audit trail, secrets blanked', async () => {
  const api = (method, path, body, key) => fetch(server.base + path, { method,
    headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${key}` }, body: JSON.stringify(body) });
  assert.equal((await api('POST', `/api/v1/kpis/${KPI}/values`, { date: '2026-02-28', value: 7, source: 'Amt' },
    server.keys.editor)).status, 201);
  assert.equal((await api('POST', '/api/v1/alert-webhooks',
    { url: 'http://127.0.0.1:9/hook', label: 'Leitstelle', secret: 'ganz-geheimes-webhook-secret' }, server.keys.administrator)).status, 201);
  assert.equal((await api('POST', '/sta/v1.1/Things', { name: 'Messstelle Test', description: 'x' }, server.keys.editor)).status, 201);
  assert.equal((await api('POST', '/api/v1/alert-webhooks', { url: 'ftp://x' }, server.keys.administrator)).status, 400);
  const admin = new Client(server.base);
  await admin.signIn('admin@bochum.de');
  const log = (await admin.get('/verwaltung/protokoll?wer=schluessel')).text;
  assert.match(log, /Testteam editor<\/td><td>127\.0\.0\.1<\/td><td>wert\.api\.add<\/td><td>kpi:SCBOK-NMU-KK-K1\.2\/wert:\d+/);
  assert.match(log, /Testteam administrator<\/td><td>127\.0\.0\.1<\/td><td>api\.post<\/td><td>\/api\/v1\/alert-webhooks/);
  assert.match(log, /&quot;secret&quot;:&quot;\*\*\*&quot;/);
  assert.ok(!log.includes('ganz-geheimes-webhook-secret'));
  assert.match(log, /api\.post<\/td><td>\/sta\/v1\.1\/Things/);
  assert.ok(!log.includes('ftp://x'), 'a refused write leaves no entry');
});

test('administrators set the licence of the open data; only then is the city\'s own data published', async () => {
  const catalogueTitles = async () => (await (await fetch(`${server.base}/daten`)).text());
  assert.ok(!(await catalogueTitles()).includes('Smart-City-Strategie Bochum'), 'published without a licence');
  const eva = new Client(server.base);
  await eva.signIn('eva@bochum.de');
  assert.equal((await eva.get('/verwaltung/offene-daten')).status, 403);
  const admin = new Client(server.base);
  await admin.signIn('admin@bochum.de');
  const list = await admin.get('/verwaltung/offene-daten');
  assert.equal(list.status, 200);
  assert.match(list.text, /Standardlizenz der eigenen Daten: <strong>keine<\/strong>/);
  assert.match(list.text, /Smart-City-Strategie Bochum: Themen, Handlungsfelder und Maßnahmen/);
  // Without the CSRF token nothing changes; a licence not on the list is refused in German.
  assert.equal((await admin.post('/verwaltung/offene-daten/standard', { lizenz: 'http://dcat-ap.de/def/licenses/dl-by-de/2.0' })).status, 403);
  const csrf = await admin.csrf('/verwaltung/offene-daten/standard');
  const wrong = await admin.post('/verwaltung/offene-daten/standard', { lizenz: 'http://example.org/frei', csrf });
  assert.equal(wrong.status, 422);
  assert.match(wrong.text, /Bitte wählen Sie eine der angebotenen Lizenzen/);
  assert.ok(!(await catalogueTitles()).includes('Smart-City-Strategie Bochum'));
  const saved = await admin.post('/verwaltung/offene-daten/standard',
    { lizenz: 'http://dcat-ap.de/def/licenses/dl-by-de/2.0', namensnennung: 'Stadt Bochum', csrf });
  assert.equal(saved.status, 303);
  assert.ok((await catalogueTitles()).includes('Smart-City-Strategie Bochum'), 'the licence publishes it');
  // A dataset's own title and keywords; hostile text is refused.
  const long = await admin.post('/verwaltung/offene-daten/smart-city-massnahmen', { titel: 'x'.repeat(300), csrf });
  assert.equal(long.status, 422);
  assert.match(long.text, /höchstens 200 Zeichen/);
  const titled = await admin.post('/verwaltung/offene-daten/smart-city-massnahmen',
    { titel: 'Maßnahmen der Smart City <Bochum>', schlagwoerter: 'Strategie\r\n Maßnahmen \r\n\r\n', csrf });
  assert.equal(titled.status, 303);
  const page = await (await fetch(`${server.base}/daten/smart-city-massnahmen`)).text();
  assert.match(page, /<h1>Maßnahmen der Smart City &lt;Bochum&gt;<\/h1>/);
  assert.match(page, /Strategie, Maßnahmen/);
  assert.equal((await admin.get('/verwaltung/offene-daten/gibt-es-nicht')).status, 404);
  // Both changes are in the audit trail.
  const trail = await admin.get('/verwaltung/protokoll');
  assert.match(trail.text, /offene_daten.kuratierung/);
  assert.match(trail.text, /datensatz:smart-city-massnahmen/);
});
