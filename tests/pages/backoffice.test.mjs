// The back office in Debian's Chromium: the whole cycle (an editor signs in, sets the target,
// enters a value; a reviewer publishes it; the public KPI page shows it and its progress
// changes), zero axe violations on every back-office page, reflow at 320 px, the keyboard alone,
// and everything without JavaScript.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launchChromium, axeViolations } from '../support/browser.mjs';
import { startServer } from '../support/server.mjs';
import { createUser, PASSWORD } from '../support/backoffice.mjs';

const KPI = 'SCBOK-NMU-KK-K1.2';
let server;
let browser;
const visited = new Set();

before(async () => {
  server = await startServer({
    setup: (dataDir, db) => {
      createUser(dataDir, db, { email: 'admin@bochum.de', role: 'administrator', name: 'Anna Admin' });
      createUser(dataDir, db, { email: 'eva@bochum.de', role: 'editor', name: 'Eva Erfasserin', scopes: ['NMU-KK'] });
      createUser(dataDir, db, { email: 'rolf@bochum.de', role: 'reviewer', name: 'Rolf Prüfer' });
    },
  });
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

// A signed-in page of its own browser context (own cookies).
async function signedIn(email, { javaScriptEnabled = true, viewport } = {}) {
  const context = await browser.newContext({ bypassCSP: true, javaScriptEnabled, viewport });
  const page = await context.newPage();
  await page.goto(`${server.base}/verwaltung`);
  assert.match(page.url(), /\/verwaltung\/anmelden\?weiter=/);
  await page.fill('#f-email', email);
  await page.fill('#f-passwort', PASSWORD);
  await page.click('button:has-text("Anmelden")');
  assert.equal(new URL(page.url()).pathname, '/verwaltung');
  return page;
}

async function publicText(path) {
  const res = await fetch(server.base + path);
  assert.equal(res.status, 200);
  return res.text();
}

async function checkAxe(page) {
  const path = new URL(page.url()).pathname;
  visited.add(path.replace(/\d+/g, 'N'));
  const violations = await axeViolations(page);
  assert.deepEqual(violations, [], `axe on ${path}`);
}

test('the whole cycle: enter, review, publish, and the public page changes', async () => {
  const before = await publicText(`/indikatoren/${KPI}`);
  assert.ok(!before.includes('60 Sensoren'));

  const eva = await signedIn('eva@bochum.de');
  assert.match(await eva.locator('main').innerText(), /Guten Tag, Eva Erfasserin/);
  await eva.click('nav[aria-label="Hauptnavigation"] >> text=Indikatoren');
  assert.match(await eva.locator('main').innerText(), /Klimaschutz & Klimafolgenanpassung/);
  await eva.click(`a[href="/verwaltung/indikatoren/${KPI}"]`);
  assert.equal(new URL(eva.url()).pathname, `/verwaltung/indikatoren/${KPI}`);

  // The target first, with a mistake the form explains next to the field.
  await eva.click('text=Ausgangswert, Ziel und Richtung ändern');
  await eva.fill('#f-ausgangswert', '23');
  await eva.fill('#f-ausgangsdatum', '2022-06-30');
  await eva.fill('#f-zielwert', '100');
  await eva.fill('#f-zieldatum', '2030-12-31');
  await eva.fill('#f-einheit', 'Sensoren');
  await eva.click('button:has-text("Ziel speichern")');
  assert.match(await eva.locator('#f-richtung-fehler').innerText(), /Soll der Wert steigen oder sinken/);
  assert.equal(await eva.getAttribute('#f-richtung', 'aria-invalid'), 'true');
  assert.equal(await eva.inputValue('#f-zielwert'), '100');
  await checkAxe(eva);
  await eva.selectOption('#f-richtung', 'up');
  await eva.click('button:has-text("Ziel speichern")');
  assert.match(await eva.locator('.notice').innerText(), /gespeichert/);
  assert.match(await publicText(`/indikatoren/${KPI}`), /Nicht bewertbar/);

  // The value, first with errors, then right.
  await eva.fill('#f-datum', '31.02.2024');
  await eva.fill('#f-wert', 'sechzig');
  await eva.click('button:has-text("Als Entwurf speichern")');
  assert.match(await eva.locator('.error-summary').innerText(), /Bitte korrigieren Sie Ihre Angaben/);
  assert.match(await eva.locator('#f-datum-fehler').innerText(), /Das Datum ist ungültig/);
  assert.match(await eva.locator('#f-wert-fehler').innerText(), /keine Zahl/);
  await checkAxe(eva);
  await eva.fill('#f-datum', '28.08.2024');
  await eva.fill('#f-wert', '60');
  await eva.fill('#f-einheit', 'Sensoren');
  await eva.fill('#f-quelle', 'Umweltamt');
  await eva.click('button:has-text("Als Entwurf speichern")');
  assert.match(await eva.locator('.notice').innerText(), /als Entwurf gespeichert/);
  assert.match(await eva.locator('main').innerText(), /Wartet auf Prüfung/);
  await checkAxe(eva);
  assert.ok(!(await publicText(`/indikatoren/${KPI}`)).includes('60 Sensoren'), 'a draft is not public');
  const draftLink = eva.locator('a:text-matches("Entwurf [0-9]+ ansehen")').first();
  await draftLink.click();
  assert.match(await eva.locator('main').innerText(), /Neuer Wert/);
  assert.equal(await eva.locator('button:has-text("Prüfen und veröffentlichen")').count(), 0, 'editors do not publish');
  await checkAxe(eva);

  const rolf = await signedIn('rolf@bochum.de');
  assert.match(await rolf.locator('main').innerText(), /Warten auf Ihre Prüfung/);
  await checkAxe(rolf);
  await rolf.click('nav[aria-label="Hauptnavigation"] >> text=Prüfen');
  await checkAxe(rolf);
  await rolf.locator('a:text-matches("Entwurf [0-9]+ ansehen")').first().click();
  const draft = await rolf.locator('main').innerText();
  assert.match(draft, /Eva Erfasserin/);
  assert.match(draft, /60 Sensoren/);
  await checkAxe(rolf);
  await rolf.click('button:has-text("Prüfen und veröffentlichen")');
  assert.match(await rolf.locator('.notice').innerText(), /veröffentlicht/);

  const after = await publicText(`/indikatoren/${KPI}`);
  assert.match(after, /60 Sensoren/);
  assert.match(after, /Auf Kurs/);
  assert.ok(!after.includes('Eva Erfasserin'), 'no personal data on the public page');
  const api = await (await fetch(`${server.base}/api/v1/kpis/${KPI}/values`)).json();
  assert.ok(JSON.stringify(api).includes('2024-08-28'));
  await eva.context().close();
  await rolf.context().close();
});

test('a correction and a withdrawal go through review too, and the history stays', async () => {
  const eva = await signedIn('eva@bochum.de');
  await eva.goto(`${server.base}/verwaltung/indikatoren/${KPI}`);
  await eva.locator('a:has-text("korrigieren oder zurücknehmen")').last().click();
  await checkAxe(eva);
  await eva.fill('#f-wert', '61');
  await eva.click('button:has-text("Korrektur als Entwurf speichern")');
  assert.match(await eva.locator('#f-begruendung-fehler').innerText(), /begründen/);
  await eva.fill('#f-begruendung', 'Nachzählung');
  await eva.click('button:has-text("Korrektur als Entwurf speichern")');
  assert.match(await eva.locator('.notice').innerText(), /Entwurf/);
  const rolf = await signedIn('rolf@bochum.de');
  await rolf.goto(`${server.base}/verwaltung/pruefung`);
  await rolf.locator('a:text-matches("Entwurf [0-9]+ ansehen")').first().click();
  assert.match(await rolf.locator('main').innerText(), /Bisher veröffentlicht[\s\S]*60 Sensoren[\s\S]*Korrigierter Wert[\s\S]*61 Sensoren/);
  await rolf.click('button:has-text("Ablehnen")');
  assert.match(await rolf.locator('#f-anmerkung-fehler').innerText(), /was am Entwurf zu ändern ist/);
  await checkAxe(rolf);
  await rolf.fill('#f-anmerkung', 'Bitte Quelle der Nachzählung nennen');
  await rolf.click('button:has-text("Ablehnen")');
  await eva.goto(`${server.base}/verwaltung`);
  assert.match(await eva.locator('main').innerText(), /Zuletzt abgelehnt/);
  assert.match(await publicText(`/indikatoren/${KPI}`), /60 Sensoren/);
  await eva.context().close();
  await rolf.context().close();
});

test('a spreadsheet with errors is shown row by row, fixed and imported', async () => {
  const eva = await signedIn('eva@bochum.de');
  await eva.click('nav[aria-label="Hauptnavigation"] >> text=Import und Export');
  await checkAxe(eva);
  const header = 'Kennung;Stichtag;Wert;Einheit;Genauigkeit;Quelle';
  const good = [`${KPI};31.03.2025;62;Sensoren;genau;Umweltamt`, `${KPI};30.06.2025;63,5;Sensoren;ca.;Umweltamt`];
  const broken = [header, ...good, `${KPI};31.09.2025;64;Sensoren;genau;Umweltamt`, 'SCBOK-ZI-NI-K1.1;30.06.2025;1;;;'];
  await eva.setInputFiles('#f-datei', { name: 'werte.csv', mimeType: 'text/csv', buffer: Buffer.from(broken.join('\r\n')) });
  await eva.click('button:has-text("Vorschau anzeigen")');
  const preview = await eva.locator('main').innerText();
  assert.match(preview, /2 neue Werte, 0 Änderungen, 0 unverändert, 2 fehlerhafte Zeilen/);
  assert.match(preview, /4\s+[^\n]*Fehler: Der Stichtag „31.09.2025“ ist kein gültiges Datum/);
  assert.match(preview, /5\s+[^\n]*Fehler: Sie dürfen für diesen Indikator keine Werte eintragen/);
  assert.equal(await eva.locator('button:has-text("übernehmen")').count(), 0);
  await checkAxe(eva);
  await eva.click('text=Zurück zum Hochladen');
  await eva.setInputFiles('#f-datei', { name: 'werte.csv', mimeType: 'text/csv',
    buffer: Buffer.from([header, ...good, `${KPI};30.09.2025;64;Sensoren;genau;Umweltamt`].join('\r\n')) });
  await eva.click('button:has-text("Vorschau anzeigen")');
  assert.match(await eva.locator('main').innerText(), /3 neue Werte, 0 Änderungen, 0 unverändert, 0 fehlerhafte Zeilen/);
  await checkAxe(eva);
  await eva.click('button:has-text("3 Werte als Entwürfe übernehmen")');
  assert.match(await eva.locator('.notice').innerText(), /als Entwürfe gespeichert/);
  assert.ok(!(await publicText(`/indikatoren/${KPI}`)).includes('64 Sensoren'));
  const rolf = await signedIn('rolf@bochum.de');
  await rolf.goto(`${server.base}/verwaltung/pruefung`);
  assert.match(await rolf.locator('main').innerText(), /Import von Eva Erfasserin[^\n]*: 3 Werte/);
  await checkAxe(rolf);
  await rolf.click('button:has-text("Alle 3 Werte dieses Imports veröffentlichen")');
  assert.match(await rolf.locator('.notice').innerText(), /Alle Werte des Imports sind veröffentlicht/);
  const page = await publicText(`/indikatoren/${KPI}`);
  assert.match(page, /64 Sensoren/);
  assert.match(page, /ca\. 63,5 Sensoren/);
  await eva.context().close();
  await rolf.context().close();
});

test('a measure\'s status changes with a dated note, and the portal shows it', async () => {
  const eva = await signedIn('eva@bochum.de');
  await eva.click('nav[aria-label="Hauptnavigation"] >> text=Maßnahmen');
  await checkAxe(eva);
  await eva.click('a[href="/verwaltung/massnahmen/NMU-KK-1"]');
  await eva.selectOption('#f-stufe', 'Umgesetzt');
  await eva.fill('#f-zusatz', 'im Regelbetrieb');
  await eva.fill('#f-stand', '31.02.2026');
  await eva.click('button:has-text("Stand speichern")');
  assert.match(await eva.locator('#f-stand-fehler').innerText(), /Datum ist ungültig/);
  await checkAxe(eva);
  await eva.fill('#f-stand', '01.11.2026');
  await eva.fill('#f-anmerkung', 'Abnahme durch das Umweltamt');
  await eva.click('button:has-text("Stand speichern")');
  assert.match(await eva.locator('main').innerText(), /01\.11\.2026\s+Umgesetzt, im Regelbetrieb\s+Abnahme durch das Umweltamt/);
  await checkAxe(eva);
  assert.match(await publicText('/massnahmen/NMU-KK-1'), /Umgesetzt, im Regelbetrieb/);
  await eva.context().close();
});

test('administration pages: accounts and the audit trail', async () => {
  const admin = await signedIn('admin@bochum.de');
  await admin.click('nav[aria-label="Hauptnavigation"] >> text=Konten');
  await checkAxe(admin);
  await admin.fill('#f-email', 'neu@bochum.de');
  await admin.fill('#f-name', 'Nora Neu');
  await admin.selectOption('#f-rolle', 'editor');
  await admin.check('#s-DG');
  await admin.fill('#f-passwort', 'kurz');
  await admin.click('button:has-text("Konto anlegen")');
  assert.match(await admin.locator('#f-passwort-fehler').innerText(), /mindestens 12 Zeichen/);
  await checkAxe(admin);
  await admin.fill('#f-passwort', 'ein-langes-erstes-passwort');
  await admin.click('button:has-text("Konto anlegen")');
  assert.match(await admin.locator('main').innerText(), /Nora Neu[\s\S]*editor[\s\S]*DG/);
  await admin.click('a:has-text("Nora Neu")');
  await checkAxe(admin);
  await admin.uncheck('#f-aktiv');
  await admin.click('button:has-text("Konto speichern")');
  assert.match(await admin.locator('main').innerText(), /Nora Neu[\s\S]*nein/);
  await admin.click('nav[aria-label="Hauptnavigation"] >> text=Einstellungen');
  await checkAxe(admin);
  await admin.check('#t-NMU');
  await admin.click('button:has-text("Einstellungen speichern")');
  assert.equal(await admin.isChecked('#t-NMU'), true);
  await admin.click('nav[aria-label="Hauptnavigation"] >> text=Protokoll');
  await admin.click('text=Kette jetzt prüfen');
  const log = await admin.locator('main').innerText();
  assert.match(log, /Kette geprüft: \d+ Einträge, alle unverändert/);
  assert.match(log, /wert\.veroeffentlicht\.add/);
  assert.match(log, /konto\.angelegt/);
  await checkAxe(admin);
  await admin.goto(`${server.base}/verwaltung/protokoll?von=kein-datum`);
  assert.match(await admin.locator('#f-von-fehler').innerText(), /TT.MM.JJJJ/);
  await checkAxe(admin);
  await admin.context().close();
});

test('open data: the licence and a dataset\'s texts, set with the keyboard, pass axe', async () => {
  const admin = await signedIn('admin@bochum.de');
  await admin.click('nav[aria-label="Hauptnavigation"] >> text=Offene Daten');
  await checkAxe(admin);
  await admin.click('main >> text=ändern');
  await checkAxe(admin);
  await admin.focus('#f-lizenz');
  await admin.selectOption('#f-lizenz', 'http://dcat-ap.de/def/licenses/dl-zero-de/2.0');
  await admin.fill('#f-namensnennung', 'Stadt Bochum');
  await admin.keyboard.press('Enter');
  await admin.waitForURL(/hinweis=gespeichert/);
  assert.match(await admin.locator('main').innerText(), /Datenlizenz Deutschland – Zero – Version 2.0/);
  await admin.click('main a:has-text("Kennzahlen der Smart-City-Strategie Bochum")');
  await admin.fill('#f-titel', 'x'.repeat(201));
  await admin.click('button:has-text("Speichern")');
  assert.match(await admin.locator('#f-titel-fehler').innerText(), /höchstens 200 Zeichen/);
  await checkAxe(admin);
  await admin.context().close();
});

test('sign-in page and error pages pass axe', async () => {
  const context = await browser.newContext({ bypassCSP: true });
  const page = await context.newPage();
  await page.goto(`${server.base}/verwaltung/passwort-vergessen`);
  await checkAxe(page);
  await page.goto(`${server.base}/verwaltung/passwort-neu?token=irgendwas`);
  await checkAxe(page);
  await page.goto(`${server.base}/verwaltung/anmelden`);
  await checkAxe(page);
  await page.fill('#f-email', 'eva@bochum.de');
  await page.fill('#f-passwort', 'falsches-passwort');
  await page.click('button:has-text("Anmelden")');
  assert.match(await page.locator('#f-passwort-fehler').innerText(), /falsch/);
  await checkAxe(page);
  await context.close();
  const eva = await signedIn('eva@bochum.de', { javaScriptEnabled: true });
  const res = await eva.goto(`${server.base}/verwaltung/konten`);
  assert.equal(res.status(), 403);
  await checkAxe(eva);
  await eva.context().close();
});

test('without JavaScript: sign in, enter a value, sign out', async () => {
  const eva = await signedIn('eva@bochum.de', { javaScriptEnabled: false });
  await eva.goto(`${server.base}/verwaltung/indikatoren/${KPI}`);
  await eva.fill('#f-datum', '2024-12-31');
  await eva.check('#f-nicht_berichtet');
  await eva.click('button:has-text("Als Entwurf speichern")');
  assert.match(await eva.locator('.notice').innerText(), /als Entwurf gespeichert/);
  assert.match(await eva.locator('main').innerText(), /nicht berichtet/);
  await eva.click('button:has-text("Abmelden")');
  assert.match(await eva.locator('.notice').innerText(), /abgemeldet/);
  await eva.goto(`${server.base}/verwaltung`);
  assert.match(eva.url(), /anmelden/);
  await eva.context().close();
});

test('keyboard alone: sign in, reach a KPI and the value form', async () => {
  const context = await browser.newContext({ bypassCSP: true });
  const page = await context.newPage();
  await page.goto(`${server.base}/verwaltung/anmelden`);
  await page.keyboard.press('Tab');
  assert.equal(await page.evaluate(() => document.activeElement.textContent), 'Zum Inhalt springen');
  await page.keyboard.press('Enter');
  for (let i = 0; i < 20; i++) {
    await page.keyboard.press('Tab');
    if (await page.evaluate(() => document.activeElement.id) === 'f-email') break;
  }
  await page.keyboard.type('eva@bochum.de');
  await page.keyboard.press('Tab');
  assert.equal(await page.evaluate(() => document.activeElement.id), 'f-passwort');
  await page.keyboard.type(PASSWORD);
  await page.keyboard.press('Enter');
  await page.waitForURL(`${server.base}/verwaltung`);
  // A visible focus ring on links (WCAG 2.4.7).
  await page.keyboard.press('Tab');
  const outline = await page.evaluate(() => getComputedStyle(document.activeElement).outlineStyle);
  assert.notEqual(outline, 'none');
  await context.close();
});

test('BürgerEcho in the back office: the inbox and a report are handled with the keyboard and pass axe', async () => {
  const filed = await fetch(`${server.base}/open311/v2/requests.json`, {
    method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ api_key: server.keys.viewer, service_code: 'muell', lat: '51.4818', long: '7.2162',
      description: 'Sperrmüll am Straßenrand', email: 'bernd@example.org' }).toString() });
  assert.equal(filed.status, 200);
  const id = (await filed.json())[0].service_request_id;
  const admin = await signedIn('admin@bochum.de');
  await admin.click('nav a[href="/verwaltung/buergerecho"]');
  assert.equal(await admin.locator('h1').innerText(), 'BürgerEcho: Eingang');
  await checkAxe(admin);
  await admin.locator(`a[href="/verwaltung/buergerecho/${id}"]`).focus();
  await Promise.all([admin.waitForURL(`**/verwaltung/buergerecho/${id}`), admin.keyboard.press('Enter')]);
  await checkAxe(admin);
  await admin.selectOption('#f-stand', 'scheduled');
  await admin.locator('#f-notiz').focus();
  await admin.keyboard.type('Abholung am Montag.');
  await Promise.all([admin.waitForURL(/hinweis=meldung/), admin.click('button:has-text("Speichern")')]);
  assert.match(await admin.locator('main').innerText(), /Abholung am Montag/);
  assert.match(await admin.locator('[role=status]').first().innerText(), /Die Meldung ist geändert/);
  await checkAxe(admin);
  // A form sent with an error shows it next to the field, and still passes axe.
  await admin.check('#f-text');
  await Promise.all([admin.waitForNavigation(), admin.click('button:has-text("Sichtbarkeit speichern")')]);
  assert.match(await admin.locator('main').innerText(), /Bitte nennen Sie den Grund/);
  await checkAxe(admin);
  assert.match(await publicText(`/buergerecho/meldungen/${id}`), /Abholung am Montag/);

  // The responsibility areas: a broken upload shows its error next to the field, a good one its table.
  await admin.goto(`${server.base}/verwaltung/buergerecho`);
  await admin.click('a[href="/verwaltung/zustaendigkeitsgebiete"]');
  assert.equal(await admin.locator('h1').innerText(), 'BürgerEcho: Zuständigkeitsgebiete');
  await checkAxe(admin);
  const geojson = (properties) => ({ name: 'gebiete.geojson', mimeType: 'application/geo+json', buffer: Buffer.from(JSON.stringify({
    type: 'FeatureCollection', features: [{ type: 'Feature', properties, geometry: { type: 'Polygon',
      coordinates: [[[7.21, 51.47], [7.22, 51.47], [7.22, 51.49], [7.21, 51.49], [7.21, 51.47]]] } }] })) });
  await admin.setInputFiles('#f-datei', geojson({ name: 'Revier', stelle: 'niemand' }));
  await Promise.all([admin.waitForNavigation(), admin.click('button:has-text("Hochladen")')]);
  assert.match(await admin.locator('.error-summary').innerText(), /Gebiet 1/);
  await checkAxe(admin);
  await admin.setInputFiles('#f-datei', geojson({ name: 'Revier', stelle: 'gruen', kategorien: 'muell' }));
  await Promise.all([admin.waitForURL(/hinweis=gebiete/), admin.click('button:has-text("Hochladen")')]);
  assert.match(await admin.locator('table').innerText(), /Revier\s+Umwelt- und Grünflächenamt\s+Wilder Müll/);
  await checkAxe(admin);
  await admin.context().close();
});

const WIDE = ['/verwaltung', '/verwaltung/indikatoren', '/verwaltung/import', '/verwaltung/massnahmen',
  '/verwaltung/massnahmen/NMU-KK-1', '/verwaltung/einstellungen', '/verwaltung/konten/1', '/verwaltung/passwort-vergessen', `/verwaltung/indikatoren/${KPI}`, `/verwaltung/indikatoren/${KPI}/ziel`,
  '/verwaltung/pruefung', '/verwaltung/konten', '/verwaltung/protokoll', '/verwaltung/anmelden', '/verwaltung/offene-daten',
  '/verwaltung/offene-daten/standard', '/verwaltung/offene-daten/smart-city-kennzahlen', '/verwaltung/buergerecho',
  '/verwaltung/buergerecho/1', '/verwaltung/zustaendigkeitsgebiete'];

test('every back-office page reflows at 320 px without scrolling sideways', async () => {
  const admin = await signedIn('admin@bochum.de', { viewport: { width: 320, height: 640 } });
  for (const path of WIDE) {
    await admin.goto(server.base + path);
    const overflow = await admin.evaluate(() => {
      const width = document.documentElement.clientWidth;
      const wide = [...document.querySelectorAll('body *')].filter((e) => {
        if (e.parentElement?.closest('.table-wrap')) return false;
        const r = e.getBoundingClientRect();
        return r.right > width + 1 && getComputedStyle(e).position !== 'absolute';
      }).slice(0, 5).map((e) => `${e.tagName.toLowerCase()}.${e.className} ${Math.round(e.getBoundingClientRect().right)}px`);
      return { scroll: document.documentElement.scrollWidth, width, wide };
    });
    assert.ok(overflow.scroll <= overflow.width, `${path}: scrollWidth ${overflow.scroll} > ${overflow.width}: ${overflow.wide.join(', ')}`);
  }
  await admin.context().close();
});

test('axe saw every kind of back-office page', () => {
  for (const path of ['/verwaltung', '/verwaltung/anmelden', '/verwaltung/pruefung', '/verwaltung/konten',
    '/verwaltung/protokoll', '/verwaltung/import', '/verwaltung/massnahmen', '/verwaltung/einstellungen',
    '/verwaltung/konten/N', `/verwaltung/indikatoren/${KPI.replace(/\d+/g, 'N')}/ziel`,
    `/verwaltung/indikatoren/${KPI.replace(/\d+/g, 'N')}`, '/verwaltung/entwuerfe/N', '/verwaltung/offene-daten',
    '/verwaltung/offene-daten/standard', '/verwaltung/offene-daten/smart-city-kennzahlen', '/verwaltung/buergerecho',
    '/verwaltung/buergerecho/N', '/verwaltung/zustaendigkeitsgebiete']) {
    assert.ok(visited.has(path), `${path} not checked; checked: ${[...visited].join(', ')}`);
  }
});
