// Sign-in against the city's directory: a real slapd holds the staff; Datenwerk finds the entry
// by e-mail address and binds as it. Wrong passwords, filter tricks and an unreachable directory
// are refused with German messages; local accounts keep their own passwords.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from '../support/server.mjs';
import { Client, createUser, PASSWORD } from '../support/backoffice.mjs';
import { startSlapd, ROOT_DN, ROOT_PASSWORD } from '../support/slapd.mjs';

let slapd;
let server;

before(async () => {
  slapd = await startSlapd([
    { uid: 'dirk', mail: 'dirk.dienst@bochum.de', cn: 'Dirk Dienst', displayName: 'Dirk Dienst (Amt 62)', password: 'Verzeichnis-Passwort-1' },
    { uid: 'doppelt1', mail: 'team@bochum.de', cn: 'Team Eins', password: 'Team-Passwort-123' },
    { uid: 'doppelt2', mail: 'team@bochum.de', cn: 'Team Zwei', password: 'Team-Passwort-123' },
  ]);
  server = await startServer({
    extraArgs: ['--ldap-url', slapd.url, '--ldap-base-dn', slapd.baseDn, '--ldap-bind-dn', ROOT_DN,
      '--ldap-bind-password', ROOT_PASSWORD, '--ldap-filter', '(mail=%s)'],
    setup: (dataDir, db) => {
      createUser(dataDir, db, { email: 'dirk.dienst@bochum.de', role: 'editor', name: 'Dirk Dienst', directory: true });
      createUser(dataDir, db, { email: 'team@bochum.de', role: 'editor', directory: true });
      createUser(dataDir, db, { email: 'lokal@bochum.de', role: 'viewer', name: 'Lokal' });
    },
  });
});
after(async () => {
  await server?.stop();
  await slapd?.stop();
});

test('a directory account signs in with its directory password', async () => {
  const dirk = new Client(server.base);
  const res = await dirk.signIn('Dirk.Dienst@bochum.de', 'Verzeichnis-Passwort-1');
  assert.equal(res.status, 303);
  assert.match((await dirk.get('/verwaltung')).text, /Guten Tag, Dirk Dienst/);
  const wrong = await new Client(server.base).signIn('dirk.dienst@bochum.de', 'falsches-passwort');
  assert.equal(wrong.status, 401);
  assert.match(wrong.text, /E-Mail-Adresse oder Passwort ist falsch/);
  // No unauthenticated bind with an empty password.
  const empty = await new Client(server.base).signIn('dirk.dienst@bochum.de', '');
  assert.equal(empty.status, 422);
  // The local password of an account marked as directory account does not exist.
  assert.equal((await new Client(server.base).signIn('dirk.dienst@bochum.de', PASSWORD)).status, 401);
  // Local accounts are unaffected.
  assert.equal((await new Client(server.base).signIn('lokal@bochum.de')).status, 303);
});

test('an address that is no single entry, or a filter trick, signs nobody in', async () => {
  assert.equal((await new Client(server.base).signIn('team@bochum.de', 'Team-Passwort-123')).status, 401);
  const trick = await new Client(server.base).signIn('*)(mail=*@bochum.de', 'Verzeichnis-Passwort-1');
  assert.ok([401, 422].includes(trick.status), String(trick.status));
  assert.ok(server.alive());
});

test('an unreachable directory is a German 503, and the server keeps serving', async () => {
  await slapd.stop();
  const res = await new Client(server.base).signIn('dirk.dienst@bochum.de', 'Verzeichnis-Passwort-1');
  assert.equal(res.status, 503);
  assert.match(res.text, /Verzeichnis der Stadt ist gerade nicht erreichbar/);
  assert.equal((await new Client(server.base).signIn('lokal@bochum.de')).status, 303);
});
