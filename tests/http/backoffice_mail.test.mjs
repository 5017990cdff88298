// Mail of the back office through a real SMTP conversation with a local sink: a password reset
// by one-time link, and the daily reminder to the owner of a KPI that is due.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from '../support/server.mjs';
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
