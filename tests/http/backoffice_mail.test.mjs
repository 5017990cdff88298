// Mail of the back office through a real SMTP conversation with a local sink: a password reset
// by one-time link, the daily reminder to the owner of a KPI that is due, and BürgerEcho's
// reporters told of their report's new state.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { startServer, BIN } from '../support/server.mjs';
import { makePhoto } from '../support/photos.mjs';
import { Client, createUser, PASSWORD } from '../support/backoffice.mjs';
import { smtpSink } from '../support/smtp.mjs';

const KPI = 'SCBOK-NMU-KK-K1.2';
let server;
let sink;

before(async () => {
  sink = smtpSink();
  const port = await sink.listen();
  server = await startServer({
    extraArgs: ['--smtp-url', `smtp://127.0.0.1:${port}`, '--smtp-from', 'smart-city@bochum.de', '--reminder-hour', '0',
      '--public-url', 'https://smartcity.bochum.example'],
    setup: (dataDir, db) => {
      createUser(dataDir, db, { email: 'admin@bochum.de', role: 'administrator', name: 'Anna Admin' });
      createUser(dataDir, db, { email: 'eva@bochum.de', role: 'editor', name: 'Eva Erfasserin', scopes: ['NMU'] });
    },
  });
});
after(async () => {
  await server?.stop();
  await sink?.close();
});

async function publicForm(client, path) {
  const page = await client.get(path);
  return page.text.match(/name="vorab" value="([^"]+)"/)[1];
}

test('a forgotten password is reset by a one-time link from the mail', async () => {
  const eva = new Client(server.base);
  // Behind https the cookies are Secure; this test client sends them over http all the same.
  const unknown = await eva.post('/verwaltung/passwort-vergessen',
    { vorab: await publicForm(eva, '/verwaltung/passwort-vergessen'), email: 'niemand@bochum.de' });
  const known = await eva.post('/verwaltung/passwort-vergessen',
    { vorab: await publicForm(eva, '/verwaltung/passwort-vergessen'), email: 'Eva@Bochum.de' });
  for (const res of [unknown, known]) {
    assert.equal(res.status, 200);
    assert.match(res.text, /Wenn es zu dieser Adresse ein Konto gibt, ist eine E-Mail mit einem Link unterwegs/);
  }
  const mail = await sink.next((m) => m.to.includes('eva@bochum.de') && m.subject.includes('Passwort'));
  assert.equal(mail.from, 'smart-city@bochum.de');
  assert.match(mail.headers, /^Subject: =\?UTF-8\?B\?/m);
  assert.equal(mail.subject, 'Neues Passwort für die Verwaltung');
  const link = mail.body.match(/https:\/\/smartcity\.bochum\.example(\/verwaltung\/passwort-neu\?token=[\w-]+)/)[1];
  assert.equal(sink.mails.filter((m) => m.to.includes('niemand@bochum.de')).length, 0);

  const form = await eva.get(link);
  assert.equal(form.status, 200);
  const token = form.text.match(/name="token" value="([^"]+)"/)[1];
  const vorab = form.text.match(/name="vorab" value="([^"]+)"/)[1];
  const mismatch = await eva.post('/verwaltung/passwort-neu', { vorab, token, passwort: 'ein-neues-passwort-1', wiederholung: 'anders' });
  assert.equal(mismatch.status, 422);
  assert.match(mismatch.text, /stimmen nicht überein/);
  const weak = await eva.post('/verwaltung/passwort-neu', { vorab, token, passwort: 'kurz', wiederholung: 'kurz' });
  assert.equal(weak.status, 422);
  assert.match(weak.text, /mindestens 12 Zeichen/);
  const done = await eva.post('/verwaltung/passwort-neu',
    { vorab, token, passwort: 'ein-neues-passwort-1', wiederholung: 'ein-neues-passwort-1' });
  assert.equal(done.status, 303);
  assert.equal(done.headers.get('location'), '/verwaltung/anmelden?hinweis=passwort');
  const again = await eva.post('/verwaltung/passwort-neu',
    { vorab, token, passwort: 'noch-ein-passwort-2', wiederholung: 'noch-ein-passwort-2' });
  assert.equal(again.status, 404);
  assert.match(again.text, /ungültig oder abgelaufen/);
  assert.equal((await new Client(server.base).signIn('eva@bochum.de', PASSWORD)).status, 401);
  assert.equal((await new Client(server.base).signIn('eva@bochum.de', 'ein-neues-passwort-1')).status, 303);
  // The outbox shows the mail to administrators, without its secret link.
  const admin = new Client(server.base);
  await admin.signIn('admin@bochum.de');
  const settings = await admin.get('/verwaltung/einstellungen');
  assert.match(settings.text, /eva@bochum\.de<\/td><td>Neues Passwort für die Verwaltung<\/td><td>gesendet/);
  assert.ok(!settings.text.includes('token='));
});

test('the owner of a due KPI gets a reminder, once a day', async () => {
  const admin = new Client(server.base);
  await admin.signIn('admin@bochum.de');
  const accounts = await admin.get('/verwaltung/konten');
  const evaId = accounts.text.match(/href="\/verwaltung\/konten\/(\d+)">Eva Erfasserin/)[1];
  const csrf = await admin.csrf(`/verwaltung/indikatoren/${KPI}/ziel`);
  const bad = await admin.post(`/verwaltung/indikatoren/${KPI}/plan`, { csrf, verantwortlich: evaId, turnus: 'quarterly', faellig: '' });
  assert.equal(bad.status, 422);
  assert.match(bad.text, /wann die nächste Erhebung fällig ist/);
  const yesterday = new Date(Date.now() - 86400000).toISOString().slice(0, 10);
  const res = await admin.post(`/verwaltung/indikatoren/${KPI}/plan`, { csrf, verantwortlich: evaId, turnus: 'quarterly', faellig: yesterday });
  assert.equal(res.status, 303);
  const mail = await sink.next((m) => m.to.includes('eva@bochum.de') && m.subject.startsWith('Fällige Werte'));
  assert.equal(mail.subject, 'Fällige Werte: 1 Indikatoren');
  assert.match(mail.body, /Guten Tag Eva Erfasserin/);
  assert.match(mail.body, /Anzahl instrumentierter Sensoren \(SCBOK-NMU-KK-K1\.2\): überfällig seit/);
  assert.match(mail.body, /https:\/\/smartcity\.bochum\.example\/verwaltung\/indikatoren\/SCBOK-NMU-KK-K1\.2/);
  // The start page shows it too; a second trigger the same day sends nothing new.
  const eva = new Client(server.base);
  await eva.signIn('eva@bochum.de', 'ein-neues-passwort-1');
  const start = await eva.get('/verwaltung');
  assert.match(start.text, /Fällige und überfällige Erhebungen \(1\)[\s\S]*vierteljährlich[\s\S]*überfällig/);
  await admin.post(`/verwaltung/indikatoren/${KPI}/plan`, { csrf, verantwortlich: evaId, turnus: 'quarterly', faellig: yesterday });
  await new Promise((r) => setTimeout(r, 1500));
  assert.equal(sink.mails.filter((m) => m.subject.startsWith('Fällige Werte')).length, 1);
  const log = await admin.get('/verwaltung/protokoll?aktion=kpi.plan');
  assert.match(log.text, /kpi\.plan/);
});

test('BürgerEcho in the back office: the inbox, a new state and office with the reporter mailed, text and photo hidden with a reason', async () => {
  // A citizen's report with an e-mail address and a photo, filed by an app over Open311.
  const keyOut = execFileSync(BIN, ['--data-dir', server.dataDir, 'apikey', 'create', '--role', 'viewer', '--label', 'App'],
    { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  const body = new FormData();
  for (const [k, v] of Object.entries({ api_key: keyOut, service_code: 'strasse', lat: '51.4818', long: '7.2162',
    description: 'Schlagloch, Kennzeichen AB-CD 123 zu sehen', email: 'anna.muster@example.org', 'attribute[gefahr]': 'ja' })) {
    body.append(k, v);
  }
  body.append('media', new Blob([readFileSync(makePhoto({ width: 320, height: 240 }))], { type: 'image/jpeg' }), 'a.jpg');
  const filed = await fetch(`${server.base}/open311/v2/requests.json`, { method: 'POST', body });
  assert.equal(filed.status, 200, await filed.clone().text());
  const id = (await filed.json())[0].service_request_id;

  // (Eva's password was reset above: a colleague of the civil engineering office handles it.)
  createUser(server.dataDir, [], { email: 'tim@bochum.de', role: 'editor', name: 'Tim Tiefbau' });
  const tim = new Client(server.base);
  await tim.signIn('tim@bochum.de');
  const inbox = await tim.get('/verwaltung/buergerecho');
  assert.equal(inbox.status, 200);
  assert.match(inbox.text, new RegExp(`<a href="/verwaltung/buergerecho/${id}">${id}</a>`));
  assert.match(inbox.text, /Tiefbauamt/);
  const page = await tim.get(`/verwaltung/buergerecho/${id}`);
  assert.match(page.text, /anna\.muster@example\.org/, 'staff see the address to answer');
  const csrf = page.text.match(/name="csrf" value="([^"]+)"/)[1];

  // In progress, the note from the template: the reporter gets a mail with the public link.
  let res = await tim.post(`/verwaltung/buergerecho/${id}`, { csrf, stand: 'in_progress', stelle: 'tiefbau', notiz: '' });
  assert.equal(res.status, 303, res.text.slice(0, 300));
  assert.equal(res.headers.get('location'), `/verwaltung/buergerecho/${id}?hinweis=meldung`);
  let mail = await sink.next((m) => m.to.includes('anna.muster@example.org'));
  assert.equal(mail.subject, `Ihre Meldung ${id}: In Bearbeitung`);
  assert.match(mail.body, /Wir kümmern uns darum\./);
  assert.match(mail.body, new RegExp(`https://smartcity\\.bochum\\.example/buergerecho/meldungen/${id}`));
  // Passed to another office: public in the history and in Open311's agency.
  res = await tim.post(`/verwaltung/buergerecho/${id}`, { csrf, stand: 'in_progress', stelle: 'usb', notiz: '' });
  assert.equal(res.status, 303);
  mail = await sink.next((m) => m.to.includes('anna.muster@example.org') && /Zuständig ist jetzt/.test(m.body));
  const [request] = await (await fetch(`${server.base}/open311/v2/requests/${id}.json`)).json();
  assert.match(request.agency_responsible, /USB|Umweltservice/);
  assert.match(await (await fetch(`${server.base}/buergerecho/meldungen/${id}`)).text(), /Zuständig ist jetzt/);
  // Refusals in German, nothing changed.
  res = await tim.post(`/verwaltung/buergerecho/${id}`, { csrf, stand: 'erfunden', stelle: 'usb', notiz: '' });
  assert.equal(res.status, 422);
  assert.match(res.text, /Bitte wählen Sie einen der angebotenen Stände/);
  res = await tim.post(`/verwaltung/buergerecho/${id}`, { csrf, stand: 'in_progress', stelle: 'usb', notiz: 'x'.repeat(2001) });
  assert.equal(res.status, 422);
  assert.equal((await tim.post(`/verwaltung/buergerecho/999999`, { csrf, stand: 'done', stelle: 'usb' })).status, 404);
  assert.equal((await tim.get(`/verwaltung/buergerecho/abc`)).status, 404);
  assert.equal((await tim.post(`/verwaltung/buergerecho/${id}`, { stand: 'done', stelle: 'usb' })).status, 403, 'no CSRF token');

  // Moderation: the text and the photo show a number plate. Without a reason: refused.
  res = await tim.post(`/verwaltung/buergerecho/${id}/sichtbarkeit`, { csrf, text: 'aus', 'foto-1': 'aus', grund: '' });
  assert.equal(res.status, 422);
  assert.match(res.text, /Bitte nennen Sie den Grund/);
  assert.equal((await fetch(`${server.base}/buergerecho/fotos/${id}/1.jpg`)).status, 200);
  res = await tim.post(`/verwaltung/buergerecho/${id}/sichtbarkeit`, { csrf, text: 'aus', 'foto-1': 'aus', grund: 'Kennzeichen erkennbar' });
  assert.equal(res.status, 303);
  const [hidden] = await (await fetch(`${server.base}/open311/v2/requests/${id}.json`)).json();
  assert.equal(hidden.description, '');
  assert.equal(hidden.media_url, undefined);
  assert.equal((await fetch(`${server.base}/buergerecho/fotos/${id}/1.jpg`)).status, 404);
  const publicPage = await (await fetch(`${server.base}/buergerecho/meldungen/${id}`)).text();
  assert.ok(!publicPage.includes('AB-CD'), 'the hidden text is not on the public page');
  assert.match(publicPage, /Die Verwaltung hat den Text dieser Meldung ausgeblendet/);
  assert.equal(sink.mails.filter((m) => m.to.includes('anna.muster@example.org')).length, 2, 'moderation sends no mail');

  // The same pothole again, merged by staff: closed as a duplicate, the first one gains a supporter.
  const again = await fetch(`${server.base}/open311/v2/requests.json`, { method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ api_key: keyOut, service_code: 'strasse', lat: '51.4818', long: '7.2162',
      description: 'Schlagloch', 'attribute[gefahr]': 'nein' }).toString() });
  const second = (await again.json())[0].service_request_id;
  for (const [duplikat, message] of [['abc', /nur Ziffern/], [second, /ihrer selbst/], ['999999', /gibt es nicht/]]) {
    res = await tim.post(`/verwaltung/buergerecho/${second}`, { csrf, stand: 'received', stelle: 'tiefbau', notiz: '', duplikat });
    assert.equal(res.status, 422, duplikat);
    assert.match(res.text, message);
  }
  res = await tim.post(`/verwaltung/buergerecho/${second}`, { csrf, stand: 'received', stelle: 'tiefbau', notiz: '', duplikat: id });
  assert.equal(res.status, 303, res.text.slice(0, 500));
  const [merged] = await (await fetch(`${server.base}/open311/v2/requests/${second}.json?extensions=true`)).json();
  assert.equal(merged.extended_attributes.status, 'DUPLICATE');
  assert.equal(merged.status_notes, `Dieser Mangel ist bereits gemeldet: Meldung ${id}.`);
  assert.match(await (await fetch(`${server.base}/buergerecho/meldungen/${id}`)).text(), /1 weitere Person ist ebenfalls betroffen/);

  // Every change is in the audit trail with who and why.
  const admin = new Client(server.base);
  await admin.signIn('admin@bochum.de');
  const log = await admin.get('/verwaltung/protokoll?aktion=buergerecho.sichtbarkeit');
  assert.match(log.text, /Kennzeichen erkennbar/);
  assert.match(log.text, /tim@bochum\.de/);
  assert.match((await admin.get('/verwaltung/protokoll?aktion=buergerecho.bearbeitung')).text, new RegExp(`meldung:${id}`));
});

test('responsibility areas: an administrator uploads GeoJSON, the next report inside goes to its office; a broken file is refused naming the area; editors only look', async () => {
  const admin = new Client(server.base);
  await admin.signIn('admin@bochum.de');
  // A made-up rectangle around the test position: the parks office takes rubbish there.
  const ring = [[7.21, 51.47], [7.22, 51.47], [7.22, 51.49], [7.21, 51.49], [7.21, 51.47]];
  const area = (properties, coordinates = [ring]) => ({ type: 'Feature', properties, geometry: { type: 'Polygon', coordinates } });
  const upload = async (client, collection) => {
    const form = new FormData();
    form.append('csrf', await client.csrf('/verwaltung/zustaendigkeitsgebiete'));
    form.append('datei', new Blob([JSON.stringify(collection)]), 'gebiete.geojson');
    const res = await fetch(`${server.base}/verwaltung/zustaendigkeitsgebiete`, {
      method: 'POST', body: form, redirect: 'manual', headers: { Cookie: client.cookieHeader() } });
    return { status: res.status, text: await res.text(), location: res.headers.get('location') };
  };
  const fileRubbish = async () => {
    const res = await fetch(`${server.base}/open311/v2/requests.json`, { method: 'POST', body: new URLSearchParams({
      api_key: server.keys.viewer, service_code: 'muell', lat: '51.4818', long: '7.2162', description: 'Sperrmüll im Park' }) });
    assert.equal(res.status, 200);
    return (await res.json())[0].service_notice;
  };
  assert.match(await fileRubbish(), /USB Umweltservice/);

  const page = await admin.get('/verwaltung/zustaendigkeitsgebiete');
  assert.equal(page.status, 200);
  assert.match(page.text, /Es gelten keine eigenen Gebiete/);
  const bowtie = [[[7.2, 51.4], [7.3, 51.5], [7.3, 51.4], [7.2, 51.5], [7.2, 51.4]]];
  let res = await upload(admin, { type: 'FeatureCollection', features: [area({ name: 'Park', stelle: 'gruen' }),
    area({ name: 'Schleife', stelle: 'gruen' }, bowtie)] });
  assert.equal(res.status, 422);
  assert.match(res.text, /Gebiet 2 \(features\[1\]\): is not a valid polygon/);
  res = await upload(admin, { type: 'FeatureCollection', features: [area({ name: 'Park', stelle: 'stadtgaertnerei' })] });
  assert.equal(res.status, 422);
  assert.match(res.text, /Gebiet 1 \(features\[0\]\): properties\.stelle/);
  assert.match(await fileRubbish(), /USB Umweltservice/, 'a refused file changes nothing');

  res = await upload(admin, { type: 'FeatureCollection', features: [area({ name: 'Stadtpark-Revier', stelle: 'gruen', kategorien: ['muell'] })] });
  assert.equal(res.status, 303);
  const shown = await admin.get(res.location);
  assert.match(shown.text, /Die Zuständigkeitsgebiete sind geändert/);
  assert.match(shown.text, /<td>Stadtpark-Revier<\/td><td>Umwelt- und Grünflächenamt<\/td><td>Wilder Müll<\/td>/);
  assert.match(await fileRubbish(), /Umwelt- und Grünflächenamt/);
  const download = await admin.get('/verwaltung/zustaendigkeitsgebiete.geojson');
  assert.equal(download.headers.get('content-type'), 'application/geo+json');
  assert.equal(JSON.parse(download.text).features[0].properties.name, 'Stadtpark-Revier');
  assert.match((await admin.get('/verwaltung/protokoll?aktion=buergerecho.gebiete')).text, /zustaendigkeitsgebiete/);

  // An editor sees the areas but may not change them.
  const tim = new Client(server.base);
  await tim.signIn('tim@bochum.de');
  const timPage = await tim.get('/verwaltung/zustaendigkeitsgebiete');
  assert.equal(timPage.status, 200);
  assert.doesNotMatch(timPage.text, /Gebiete hochladen/);
  assert.equal((await upload(tim, { type: 'FeatureCollection', features: [area({ name: 'X', stelle: 'usb' })] })).status, 403);

  // Removed: rubbish goes to USB again.
  res = await admin.post('/verwaltung/zustaendigkeitsgebiete/entfernen', { csrf: await admin.csrf('/verwaltung/zustaendigkeitsgebiete') });
  assert.equal(res.status, 303);
  assert.match(await fileRubbish(), /USB Umweltservice/);
});

test('offices as scopes: an editor of the USB sees its reports first and may change only those; the overview counts open reports by office and age', async () => {
  createUser(server.dataDir, [], { email: 'ulla@bochum.de', role: 'editor', name: 'Ulla USB', scopes: ['stelle:usb'] });
  const file = async (service_code) => {
    const res = await fetch(`${server.base}/open311/v2/requests.json`, { method: 'POST', body: new URLSearchParams({
      api_key: server.keys.viewer, service_code, lat: '51.4818', long: '7.2162', description: 'Bereich',
      ...(service_code === 'strasse' ? { 'attribute[gefahr]': 'nein' } : {}) }) });
    assert.equal(res.status, 200);
    return (await res.json())[0].service_request_id;
  };
  const rubbish = await file('muell');   // USB
  const pothole = await file('strasse'); // Tiefbauamt
  const ulla = new Client(server.base);
  await ulla.signIn('ulla@bochum.de');
  const inbox = await ulla.get('/verwaltung/buergerecho');
  assert.match(inbox.text, /<option value="meine" selected>meine Stellen<\/option>/);
  assert.match(inbox.text, new RegExp(`<a href="/verwaltung/buergerecho/${rubbish}">`));
  assert.doesNotMatch(inbox.text, new RegExp(`<a href="/verwaltung/buergerecho/${pothole}">`));
  assert.match((await ulla.get('/verwaltung/buergerecho?stand=offen&stelle=')).text, new RegExp(`<a href="/verwaltung/buergerecho/${pothole}">`), 'all on request');
  // The overview: one row per office with open reports, the newest within a week.
  assert.match(inbox.text, /Offene Meldungen nach Stelle und Wartezeit/);
  assert.match(inbox.text, /<th scope="row"><a href="\/verwaltung\/buergerecho\?stand=offen&amp;stelle=tiefbau">Tiefbauamt<\/a><\/th><td class="num">[1-9]\d*<\/td>/);

  const page = await ulla.get(`/verwaltung/buergerecho/${pothole}`);
  assert.match(page.text, /Diese Meldung bearbeitet Tiefbauamt\. Sie sind für andere Stellen zuständig/);
  assert.doesNotMatch(page.text, /<h2>Bearbeiten<\/h2>/);
  const csrf = (await ulla.get(`/verwaltung/buergerecho/${rubbish}`)).text.match(/name="csrf" value="([^"]+)"/)[1];
  let res = await ulla.post(`/verwaltung/buergerecho/${pothole}`, { csrf, stand: 'done', stelle: 'tiefbau', notiz: '' });
  assert.equal(res.status, 403);
  res = await ulla.post(`/verwaltung/buergerecho/${pothole}/sichtbarkeit`, { csrf, text: 'aus', grund: 'Test' });
  assert.equal(res.status, 403);
  const json = await (await fetch(`${server.base}/open311/v2/requests/${pothole}.json`)).json();
  assert.equal(json[0].status, 'open', 'nothing changed');
  // Her own: she passes it on to the Tiefbauamt, after which it is no longer hers.
  res = await ulla.post(`/verwaltung/buergerecho/${rubbish}`, { csrf, stand: 'received', stelle: 'tiefbau', notiz: '' });
  assert.equal(res.status, 303);
  res = await ulla.post(`/verwaltung/buergerecho/${rubbish}`, { csrf, stand: 'done', stelle: 'tiefbau', notiz: '' });
  assert.equal(res.status, 403);

  // Administrators give the scope on the account page.
  const admin = new Client(server.base);
  await admin.signIn('admin@bochum.de');
  const accounts = await admin.get('/verwaltung/konten');
  assert.match(accounts.text, /name="stelle_usb"/);
  assert.match(accounts.text, /stelle:usb/);
});
