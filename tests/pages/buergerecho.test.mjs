// BürgerEcho's public pages in Debian's Chromium, as a citizen uses them: without JavaScript and
// with the keyboard alone a report is filed in two steps (a wrong position gets a German error
// next to the field), the thank-you page gives the private link, the public page shows the
// report, its photo without metadata and its history without the e-mail, staff set it to done, the citizen reopens it through
// the private link. Every page: axe-core WCAG 2.1 A/AA with zero violations, reflow at 320 px.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launchChromium, axeViolations } from '../support/browser.mjs';
import { startServer } from '../support/server.mjs';
import { makePhoto, metadataOf } from '../support/photos.mjs';
import { smtpSink } from '../support/smtp.mjs';

let server;
let browser;
let sink;

before(async () => {
  sink = smtpSink();
  const smtpPort = await sink.listen();
  server = await startServer({ extraArgs: ['--smtp-url', `smtp://127.0.0.1:${smtpPort}`, '--public-url', 'https://smartcity.bochum.example'] });
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
  await server?.stop();
  await sink?.close();
});

// axe needs JavaScript, the citizen here has none: the page as it stands is shown again in a
// second page with JavaScript (same URL, so the stylesheet loads as usual) and checked there.
async function checkPage(page, what) {
  assert.equal(await page.getAttribute('html', 'lang'), 'de');
  assert.equal(await page.locator('h1').count(), 1, `${what}: one h1`);
  const html = await page.content();
  const url = page.url();
  const check = await browser.newPage({ bypassCSP: true });
  await check.route(url, (route) => route.fulfill({ status: 200, contentType: 'text/html; charset=utf-8', body: html }));
  await check.goto(url);
  assert.deepEqual(await axeViolations(check), [], what);
  await check.setViewportSize({ width: 320, height: 640 });
  await check.waitForTimeout(50);
  const scroll = await check.evaluate(() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]);
  assert.ok(scroll[0] <= scroll[1], `${what} scrolls sideways at 320 px: ${scroll}`);
  await check.close();
}

test('a citizen files a report without JavaScript, by keyboard; staff finish it; the citizen reopens it', async () => {
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  await page.goto(`${server.base}/buergerecho`);
  assert.match(await page.locator('main').innerText(), /0 Meldungen/);
  await checkPage(page, '/buergerecho (empty)');

  // Step 1: the category, chosen with the keyboard.
  await page.goto(`${server.base}/buergerecho/melden`);
  await checkPage(page, '/buergerecho/melden');
  await page.locator('#k-strasse').focus();
  await page.keyboard.press('Space');
  await page.keyboard.press('Tab');
  await Promise.all([page.waitForNavigation(), page.keyboard.press('Enter')]);
  assert.match(page.url(), /kategorie=strasse/);
  assert.equal(await page.locator('h1').innerText(), 'Melden: Straßenschaden oder Schlagloch');
  await checkPage(page, 'form step 2');

  // Step 2 with a position in Berlin and no answer to the required question: refused, in German,
  // next to the fields, with what was typed kept.
  await page.fill('#feld-beschreibung', 'Tiefes Schlagloch <b>vor</b> dem Rathaus');
  await page.fill('#feld-breite', '52,52');
  await page.fill('#feld-laenge', '13,40');
  await page.fill('#feld-email', 'anna.muster@example.org');
  await page.fill('#feld-name', 'Anna Muster');
  // A photo from the phone, with the position it was taken at inside.
  const photo = makePhoto({ width: 800, height: 600, gps: [51.4818, 7.2162], artist: 'Anna Muster' });
  await page.setInputFiles('#feld-foto', photo);
  let response = await Promise.all([page.waitForNavigation(), page.click('button[type=submit]')]).then(([r]) => r);
  assert.equal(response.status(), 422);
  const summary = await page.locator('.error-summary').innerText();
  assert.match(summary, /außerhalb der Stadt/);
  assert.equal(await page.getAttribute('#feld-breite', 'aria-invalid'), 'true');
  assert.equal(await page.inputValue('#feld-beschreibung'), 'Tiefes Schlagloch <b>vor</b> dem Rathaus');
  // The photo is not kept while the form is refused: the citizen is asked for it again.
  assert.match(await page.locator('main').innerText(), /Bitte wählen Sie Ihre Fotos noch einmal aus/);
  await checkPage(page, 'form with errors');
  await page.setInputFiles('#feld-foto', photo);

  // Corrected: the town hall's neighbourhood, the question answered.
  await page.fill('#feld-breite', '51,4818');
  await page.fill('#feld-laenge', '7,2162');
  await page.check('#merkmal-gefahr-ja');
  response = await Promise.all([page.waitForNavigation(), page.click('button[type=submit]')]).then(([r]) => r);
  assert.equal(response.status(), 201);
  assert.match(await page.locator('main').innerText(), /Ihre Meldung 1 ist eingegangen und geht an: Tiefbauamt/);
  const privateLink = await page.getAttribute('a[href^="/buergerecho/privat/"]', 'href');
  await checkPage(page, 'thank-you page');

  // The public page: the text escaped, the district, no e-mail and no name (not asked to show it).
  await page.goto(`${server.base}/buergerecho/meldungen/1`);
  const text = await page.locator('main').innerText();
  assert.match(text, /Tiefes Schlagloch <b>vor<\/b> dem Rathaus/);
  assert.match(text, /Mitte/);
  assert.match(text, /Eingegangen/);
  assert.ok(!/anna|Muster/i.test(await page.content()), 'personal data on the public page');
  // The photo: a thumbnail that loads, with a German text alternative, leading to the photo, whose
  // metadata (the position, the name) are gone.
  const thumbnail = page.locator('ul.photos img');
  assert.equal(await thumbnail.getAttribute('alt'), 'Foto 1 zu Meldung 1 (vergrößern)');
  const small = await fetch(server.base + await thumbnail.getAttribute('src'));
  assert.equal(small.headers.get('content-type'), 'image/jpeg');
  assert.equal(metadataOf(Buffer.from(await small.arrayBuffer()))['File:ImageWidth'], 300);
  const full = await fetch(server.base + await page.getAttribute('ul.photos a', 'href'));
  const meta = metadataOf(Buffer.from(await full.arrayBuffer()));
  assert.equal(meta['File:ImageWidth'], 600, 'turned upright');
  assert.ok(!Object.keys(meta).some((k) => /GPS|Artist/.test(k)), JSON.stringify(meta));
  await checkPage(page, 'report page');

  // Staff mark it done (the API for the city's ticket system) with a public note.
  const done = await fetch(`${server.base}/api/v1/buergerecho/reports/1/status`, {
    method: 'POST', headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${server.apiKey}` },
    body: JSON.stringify({ status: 'done', note: 'Das Loch ist verfüllt.' }) });
  assert.equal(done.status, 200, await done.text());

  // The citizen disagrees, through the private link.
  await page.goto(server.base + privateLink);
  assert.match(await page.locator('main').innerText(), /Das Loch ist verfüllt/);
  await checkPage(page, 'private page');
  await page.fill('#feld-grund', 'Das Loch ist noch da.');
  response = await Promise.all([page.waitForNavigation(), page.click('text=Nein, wieder öffnen')]).then(([r]) => r);
  assert.equal(response.status(), 200);
  assert.match(await page.locator('main').innerText(), /wieder geöffnet/);
  await page.goto(`${server.base}/buergerecho/meldungen/1`);
  const history = await page.locator('main ol').innerText();
  assert.match(history, /Erledigt – Das Loch ist verfüllt/);
  assert.match(history, /Eingegangen – Von der meldenden Person wieder geöffnet: Das Loch ist noch da/);
  // Reopened, it is no longer done: a second answer is refused.
  const again = await fetch(`${server.base}${privateLink}/bestaetigen`, { method: 'POST' });
  assert.equal(again.status, 409);

  // The list with filters.
  await page.goto(`${server.base}/buergerecho?stand=offen&bezirk=Mitte&kategorie=strasse`);
  assert.match(await page.locator('main').innerText(), /1 Meldung\b/);
  await checkPage(page, 'filtered list');
  await page.goto(`${server.base}/buergerecho?stand=erledigt`);
  assert.match(await page.locator('main').innerText(), /0 Meldungen/);
  await context.close();
});

test('the same defect again: the form shows the open report nearby, the citizen supports it, or confirms theirs is another', async () => {
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  const fill = async () => {
    await page.goto(`${server.base}/buergerecho/melden?kategorie=strasse`);
    await page.fill('#feld-beschreibung', 'Schlagloch am Rathaus');
    await page.fill('#feld-breite', '51,48182');
    await page.fill('#feld-laenge', '7,21625');
    await page.check('#merkmal-gefahr-nein');
    return Promise.all([page.waitForNavigation(), page.click('button:has-text("Meldung absenden")')]).then(([r]) => r);
  };
  let response = await fill();
  assert.equal(response.status(), 200);
  assert.match(await page.locator('#schon-gemeldet').innerText(), /Schon gemeldet\?/);
  assert.equal(await page.locator('section.hinweis a[href="/buergerecho/meldungen/1"]').count(), 1);
  await checkPage(page, 'already reported?');
  // "Me too" instead of a second report.
  response = await Promise.all([page.waitForNavigation(), page.click('button:has-text("Meldung 1 unterstützen")')]).then(([r]) => r);
  assert.equal(response.status(), 200);
  assert.match(page.url(), /\/buergerecho\/meldungen\/1\?hinweis=unterstuetzt$/);
  assert.match(await page.locator('main').innerText(), /1 weitere Person ist ebenfalls betroffen/);
  // Another defect after all: confirmed, it is filed.
  const before = (await (await fetch(`${server.base}/open311/v2/requests.json`)).json()).length;
  response = await fill();
  await page.check('#feld-nahe');
  await page.check('#merkmal-gefahr-nein');
  response = await Promise.all([page.waitForNavigation(), page.click('button:has-text("Meldung absenden")')]).then(([r]) => r);
  assert.equal(response.status(), 201);
  assert.equal((await (await fetch(`${server.base}/open311/v2/requests.json`)).json()).length, before + 1);
  await context.close();
});

test('bots that fill the hidden field are thanked and nothing is stored; garbage gets an answer, not a crash', async () => {
  const form = (body) => fetch(`${server.base}/buergerecho/melden`, {
    method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body });
  const before = await (await fetch(`${server.base}/open311/v2/requests.json`)).json();
  let r = await form('kategorie=muell&beschreibung=Spam&breite=51.48&laenge=7.21&homepage=http%3A%2F%2Fspam.example');
  assert.equal(r.status, 201);
  const after = await (await fetch(`${server.base}/open311/v2/requests.json`)).json();
  assert.equal(after.length, before.length);
  for (const body of ['%zz', 'kategorie=%ff', 'kategorie=gibtsnicht', 'kategorie=muell&' + 'a=1&'.repeat(300), '']) {
    r = await form(body);
    assert.ok(r.status < 500, `${body.slice(0, 30)}: ${r.status}`);
  }
  r = await fetch(`${server.base}/buergerecho/privat/${'x'.repeat(5000)}`);
  assert.equal(r.status, 404);
  r = await fetch(`${server.base}/buergerecho/privat/unbekannt/wiederoeffnen`, { method: 'POST' });
  assert.equal(r.status, 404);
  r = await fetch(`${server.base}/buergerecho/meldungen/0`);
  assert.equal(r.status, 404);
  // Many filings from one address in a short time: a German page, 429, and when to come back.
  let statuses = [];
  for (let i = 0; i < 12 && !statuses.includes(429); ++i) {
    r = await form('kategorie=idee&beschreibung=Idee&adresse=Stadtpark');
    statuses.push(r.status);
    if (r.status === 429) {
      assert.ok(Number(r.headers.get('retry-after')) > 0);
      assert.match(await r.text(), /Bitte versuchen Sie es in \d+ Minuten? noch einmal/);
    }
  }
  assert.ok(statuses.includes(429), `no limit after ${statuses.length} filings: ${statuses}`);
  assert.ok(server.alive());
});

test('the public map groups reports into numbered circles, works with the keyboard, and the form picks a place on a map', async () => {
  // 400 reports in a tight group near the town hall, one alone in the south-west.
  const file = (fields) => fetch(`${server.base}/open311/v2/requests.json`, {
    method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ api_key: server.keys.viewer, description: 'Karte', ...fields }).toString() });
  for (let i = 0; i < 400; i += 20) {
    await Promise.all(Array.from({ length: 20 }, (_, j) => file({ service_code: 'muell', lat: String(51.4818 + ((i + j) % 20) * 2e-4),
      long: String(7.2162 + Math.floor((i + j) / 20) * 2e-4) }).then((r) => assert.equal(r.status, 200))));
  }
  const alone = await (await file({ service_code: 'idee', lat: '51.4301', long: '7.1502' })).json();
  const aloneId = alone[0].service_request_id;
  const located = (await (await fetch(`${server.base}/open311/v2/requests.json`)).json()).filter((r) => r.lat !== undefined).length;

  const page = await browser.newPage({ bypassCSP: true });
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('response', (r) => { if (r.status() >= 400) errors.push(`${r.status()} ${r.url()}`); });
  await page.goto(`${server.base}/buergerecho`);
  await page.locator('.report-cluster').first().waitFor({ timeout: 5000 });
  await page.waitForFunction(() => /im Kartenausschnitt/.test(document.getElementById('karte-stand').textContent));
  const counted = await page.evaluate(() => {
    let sum = 0;
    document.querySelectorAll('.report-cluster [aria-hidden]').forEach((e) => { sum += Number(e.textContent.replace(/\./g, '')); });
    return sum + document.querySelectorAll('.report-point').length;
  });
  const stated = Number((await page.locator('#karte-stand').innerText()).match(/^([\d.]+)/)[1].replace(/\./g, ''));
  assert.equal(counted, stated, 'circles and points add up to the stated number');
  assert.ok(stated >= 401 && stated <= located, `${stated} of ${located}`);
  assert.ok(await page.locator('.report-cluster').count() < 40, 'grouped, not 400 markers');
  assert.deepEqual(await axeViolations(page), [], '/buergerecho with the map');

  // The lone report is a point of its own: reached with Tab, opened with Enter.
  const name = new RegExp(`^Meldung ${aloneId}: .*, Eingegangen$`);
  let focused = '';
  for (let i = 0; i < 80 && !name.test(focused); i++) {
    await page.keyboard.press('Tab');
    focused = await page.evaluate(() => document.activeElement?.getAttribute('title') || '');
  }
  assert.match(focused, name, 'Tab reaches the lone report');
  await page.keyboard.press('Enter');
  await page.locator(`.leaflet-popup a[href="/buergerecho/meldungen/${aloneId}"]`).waitFor({ timeout: 3000 });
  // Choosing a circle zooms in: the group falls apart into smaller ones.
  const before = await page.locator('.report-cluster, .report-point').count();
  await page.locator('.report-cluster').first().click();
  await page.waitForFunction((n) => document.querySelectorAll('.report-cluster, .report-point').length !== n, before);
  await page.setViewportSize({ width: 320, height: 640 });
  await page.waitForTimeout(100);
  const scroll = await page.evaluate(() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]);
  assert.ok(scroll[0] <= scroll[1], `/buergerecho scrolls sideways at 320 px: ${scroll}`);
  assert.deepEqual(errors, []);

  // The form: a click on the map writes the place into the fields, with a decimal comma.
  await page.setViewportSize({ width: 1000, height: 900 });
  await page.goto(`${server.base}/buergerecho/melden?kategorie=muell`);
  await page.locator('#ortwahl.map-live').waitFor();
  await page.locator('#ortwahl').click({ position: { x: 200, y: 150 } });
  const [lat, lon] = [await page.inputValue('#feld-breite'), await page.inputValue('#feld-laenge')];
  assert.match(lat, /^51,\d{6}$/);
  assert.match(lon, /^7,\d{6}$/);
  assert.deepEqual(await axeViolations(page), [], 'form with the map');
  await page.close();

  // The map's data refuses what it cannot show, saying where.
  for (const [query, field] of [['bbox=1,2,3&zoom=12', 'bbox'], ['bbox=7.1,51.4,7.3,51.5&zoom=99', 'zoom'],
    ['bbox=-180,-85,180,85&zoom=18', 'bbox'], ['zoom=12', 'bbox']]) {
    const r = await fetch(`${server.base}/buergerecho/karte.json?${query}`);
    assert.equal(r.status, 400, query);
    assert.equal((await r.json()).error.field, field, query);
  }
});

test('an area subscription without JavaScript, by keyboard: the form and its errors, the confirmation and the leaving page', async () => {
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  await page.goto(`${server.base}/buergerecho`);
  await page.click('a[href="/buergerecho/benachrichtigungen"]');
  assert.equal(await page.locator('h1').innerText(), 'Benachrichtigungen für Ihr Gebiet');
  await checkPage(page, 'subscription form');
  // Neither a district nor a place: refused next to the field, the address kept.
  await page.locator('#feld-email').focus();
  await page.keyboard.type('erika@example.org');
  let response = await Promise.all([page.waitForNavigation(), page.keyboard.press('Enter')]).then(([r]) => r);
  assert.equal(response.status(), 422);
  assert.match(await page.locator('.error-summary').innerText(), /Stadtbezirk aus der Liste/);
  assert.equal(await page.getAttribute('#feld-bezirk', 'aria-invalid'), 'true');
  assert.equal(await page.inputValue('#feld-email'), 'erika@example.org');
  await checkPage(page, 'subscription form with errors');
  // The district chosen with the keyboard.
  await page.locator('#feld-bezirk').focus();
  await page.keyboard.press('ArrowDown');
  assert.equal(await page.inputValue('#feld-bezirk'), 'Mitte');
  await page.locator('#feld-email').focus();
  response = await Promise.all([page.waitForNavigation(), page.keyboard.press('Enter')]).then(([r]) => r);
  assert.equal(response.status(), 200);
  assert.equal(await page.locator('h1').innerText(), 'Bitte bestätigen Sie Ihre Adresse');
  await checkPage(page, 'check your mail');

  const mail = await sink.next((m) => m.to.includes('erika@example.org'));
  const confirm = mail.body.match(/https:\/\/smartcity\.bochum\.example(\/\S+)/)[1];
  await page.goto(`${server.base}${confirm}`);
  await checkPage(page, 'confirmation page');
  await page.locator('main button').focus();
  await Promise.all([page.waitForNavigation(), page.keyboard.press('Enter')]);
  assert.equal(await page.locator('h1').innerText(), 'Angemeldet');
  await checkPage(page, 'subscribed');
  await page.click('main a[href*="/abmelden/"]');
  assert.equal(await page.locator('h1').innerText(), 'Abmelden');
  await checkPage(page, 'leaving page');
  await page.locator('main button').focus();
  await Promise.all([page.waitForNavigation(), page.keyboard.press('Enter')]);
  assert.equal(await page.locator('h1').innerText(), 'Abgemeldet');
  await checkPage(page, 'left');
  await context.close();
});
