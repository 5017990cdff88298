// The Klima-Dashboard in Debian's Chromium, on the city's real open data (../shared/realdata,
// imported before the server starts): every page type shows its content, passes axe-core with
// zero violations, reflows at 320 px, reads without JavaScript; the map works with the keyboard;
// the downloads carry source and licence.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { createServer } from 'node:http';
import { readFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { launchChromium, axeViolations } from '../support/browser.mjs';
import { startServer, BIN } from '../support/server.mjs';
import { makePhoto } from '../support/photos.mjs';

const SHOTS = process.env.SCREENSHOT_DIR;
const REALDATA = join(process.env.DATENWERK_SOURCE_DIR, '..', 'shared', 'realdata');
let server, browser, westpark, temperature;

before(async () => {
  server = await startServer({
    setup: (dataDir, db) => execFileSync(BIN, ['--data-dir', dataDir, ...db, 'import-sensors', REALDATA], { stdio: 'ignore' }),
  });
  const things = await (await fetch(`${server.base}/sta/v1.1/Things?$filter=${encodeURIComponent("properties/importKey eq 'ecowitt:C4DD57CF66AB'")}&$expand=Datastreams($select=id,properties)`)).json();
  westpark = things.value[0]['@iot.id'];
  temperature = things.value[0].Datastreams.find((d) => d.properties.spalte === 'outdoor_temperature')['@iot.id'];
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

const pages = () => [
  { path: '/klima', h1: 'Klima-Dashboard', text: ['32 Messstellen', 'Niederschlag: letzte Stunde und letzter Tag', 'Wetterstation Westpark', 'Gewässersensor Am Stadtpark', 'Baumsensor Esche 4 Bochum'] },
  { path: '/klima?art=Gewässer&seite=1', h1: 'Klima-Dashboard', text: ['15 Messstellen', 'Gewässersensor Kuehlteich'] },
  { path: `/klima/stationen/${westpark}`, h1: 'Wetterstation Westpark', text: ['Wetterstation', 'Lufttemperatur', 'Stadt Bochum, Open Data (CC0 1.0)', 'Mitte'] },
  { path: `/klima/messreihen/${temperature}?zeitraum=7d`, h1: 'Lufttemperatur – Wetterstation Westpark', text: ['7 Tage bis zur neuesten Messung', '°C', 'als CSV'] },
];

test('every Klima-Dashboard page: content, zero axe violations, reflow at 320 px', async () => {
  for (const spec of pages()) {
    const page = await browser.newPage({ bypassCSP: true });  // for axe's injected script
    const errors = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    page.on('response', (r) => { if (r.status() >= 400) errors.push(`${r.status()} ${r.url()}`); });
    const res = await page.goto(server.base + spec.path);
    assert.equal(res.status(), 200, spec.path);
    const h1 = await page.locator('h1').allInnerTexts();
    assert.deepEqual(h1.length, 1);
    assert.ok(h1[0].startsWith(spec.h1), `${spec.path}: h1 "${h1[0]}"`);
    const text = await page.locator('main').innerText();
    for (const t of spec.text) assert.ok(text.includes(t), `${spec.path}: main contains "${t}"`);
    if (spec.path === '/klima') await page.locator('.leaflet-marker-icon').first().waitFor({ timeout: 5000 });
    if (spec.path.startsWith('/klima/messreihen')) await page.locator('#series-chart canvas').waitFor({ timeout: 5000 });
    assert.deepEqual(await axeViolations(page), [], spec.path);
    assert.deepEqual(errors, [], spec.path);
    if (SHOTS) await page.screenshot({ path: `${SHOTS}/${spec.path.replace(/[^a-z0-9]+/gi, '_')}.png`, fullPage: true });
    await page.setViewportSize({ width: 320, height: 640 });
    await page.waitForTimeout(100);
    const scroll = await page.evaluate(() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]);
    assert.ok(scroll[0] <= scroll[1], `${spec.path} scrolls sideways at 320 px: ${scroll}`);
    await page.close();
  }
});

test('the chart axes speak German: 24-hour times and day.month. dates, never 2am or 12/5', async () => {
  for (const [range, expected] of [['24h', /^\d{2}:\d{2}$/], ['7d', /^\d{1,2}\.\d{1,2}\.$/]]) {
    const page = await browser.newPage();
    // uPlot draws its labels on a canvas: what it writes there is recorded as it is written.
    await page.addInitScript(() => {
      window.drawnTexts = [];
      const fillText = CanvasRenderingContext2D.prototype.fillText;
      CanvasRenderingContext2D.prototype.fillText = function (text, ...rest) {
        window.drawnTexts.push(String(text));
        return fillText.call(this, text, ...rest);
      };
    });
    await page.goto(`${server.base}/klima/messreihen/${temperature}?zeitraum=${range}`);
    await page.locator('#series-chart canvas').waitFor({ timeout: 5000 });
    const texts = await page.waitForFunction(() => window.drawnTexts.length > 3 && window.drawnTexts).then((h) => h.jsonValue());
    const firstLines = texts.map((t) => t.split('\n')[0]);
    assert.ok(firstLines.some((t) => expected.test(t)), `${range}: ${JSON.stringify(texts)}`);
    assert.ok(!texts.some((t) => /\d(am|pm)\b|\d+\/\d+/i.test(t)), `${range}: ${JSON.stringify(texts)}`);
    await page.close();
  }
});

test('the map: one marker per located station, named, reached with Tab, opened with Enter', async () => {
  const page = await browser.newPage();
  await page.goto(`${server.base}/klima`);
  const markers = page.locator('.leaflet-marker-icon');
  await markers.first().waitFor({ timeout: 5000 });
  assert.equal(await markers.count(), 32);
  const title = await markers.first().getAttribute('title');
  assert.match(title, /, (Wetterstation|Gewässer|Baum), (aktuell|veraltet|keine Daten)$/);
  // From the skip link on, Tab reaches the map and its markers.
  let focused = '';
  for (let i = 0; i < 60 && !focused.includes('leaflet-marker-icon'); i++) {
    await page.keyboard.press('Tab');
    focused = await page.evaluate(() => document.activeElement?.className || '');
  }
  assert.ok(focused.includes('leaflet-marker-icon'), 'Tab reaches a marker');
  const name = await page.evaluate(() => document.activeElement.getAttribute('title'));
  await page.keyboard.press('Enter');
  const popup = page.locator('.leaflet-popup-content');
  await popup.waitFor({ timeout: 3000 });
  assert.ok((await popup.innerText()).includes(name.split(',')[0]), 'the popup names the station');
  assert.ok(await popup.locator('a').count() === 1);
  await page.close();
});

test('without JavaScript the dashboard reads as tables', async () => {
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  await page.goto(`${server.base}/klima`);
  const main = await page.locator('main').innerText();
  assert.ok(main.includes('Die Karte braucht JavaScript'));
  assert.ok(await page.locator('table').count() >= 2);
  assert.ok(main.includes('Wetterstation Zeche Holland'));
  await page.goto(`${server.base}/klima/messreihen/${temperature}?zeitraum=24h`);
  assert.ok(await page.locator('#werte tbody tr').count() > 90);
  await context.close();
});

test('downloads carry source and licence; GeoJSON is a FeatureCollection of the stations', async () => {
  const csv = await fetch(`${server.base}/klima/messreihen/${temperature}/daten.csv?zeitraum=30d`);
  assert.match(csv.headers.get('content-type'), /text\/csv/);
  const lines = (await csv.text()).trim().split('\r\n');
  assert.equal(lines[0], 'beginn_utc,mittel,minimum,maximum,anzahl,einheit,messreihe,station,quelle,lizenz');
  assert.ok(lines.length > 40);
  assert.match(lines[1], /Stadt Bochum, Open Data \(CC0 1\.0\)/);
  const geo = await (await fetch(`${server.base}/klima/sensoren.geojson`)).json();
  assert.equal(geo.type, 'FeatureCollection');
  assert.equal(geo.features.length, 32);
  assert.match(geo.properties.lizenz, /CC0-1\.0/);
  const series = await (await fetch(`${server.base}/klima/messreihen/${temperature}/daten.geojson?zeitraum=1j`)).json();
  assert.equal(series.features[0].geometry.type, 'Point');
  assert.ok(series.features[0].properties.werte.length >= 14);
  const borders = await (await fetch(`${server.base}/klima/grenzen.geojson`)).json();
  assert.equal(borders.features.length, 7);  // the city and its six Stadtbezirke
  assert.equal((await fetch(`${server.base}/klima/stationen/999999`)).status, 404);
  assert.equal((await fetch(`${server.base}/klima/messreihen/abc`)).status, 404);
});

test('an active alert is listed on the dashboard: named, linked, accessible, reflowing', async () => {
  const headers = { 'Content-Type': 'application/json', Authorization: `Bearer ${server.apiKey}` };
  let r = await fetch(`${server.base}/api/v1/alert-rules`, { method: 'POST', headers,
    body: JSON.stringify({ name: 'Hitze am Westpark', kind: 'above', threshold: 30, severity: 'kritisch', scope: { datastream: temperature } }) });
  assert.equal(r.status, 201);
  const rule = await r.json();
  r = await fetch(`${server.base}/sta/v1.1/Datastreams(${temperature})/Observations`, { method: 'POST', headers,
    body: JSON.stringify({ phenomenonTime: new Date(Date.now() + 60000).toISOString(), result: 34.5 }) });
  assert.equal(r.status, 201);
  const page = await browser.newPage({ bypassCSP: true });
  let text = '';
  for (let i = 0; i < 50 && !text.includes('Hitze am Westpark'); i++) {
    await page.goto(`${server.base}/klima`);
    text = await page.locator('main').innerText();
    if (!text.includes('Hitze am Westpark')) await page.waitForTimeout(100);
  }
  assert.match(text, /Aktive Warnungen/);
  assert.match(text, /Hitze am Westpark\s+⚠ kritisch\s+Wetterstation Westpark/);
  assert.match(text, /34,5/);
  assert.equal(await page.locator('#warnungen + div table a').first().getAttribute('href'), `/klima/stationen/${westpark}`);
  assert.deepEqual(await axeViolations(page), []);
  await page.setViewportSize({ width: 320, height: 640 });
  await page.waitForTimeout(100);
  const scroll = await page.evaluate(() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]);
  assert.ok(scroll[0] <= scroll[1], `/klima with an alert scrolls sideways at 320 px: ${scroll}`);
  await page.close();
  await fetch(`${server.base}/api/v1/alert-rules/${rule.id}`, { method: 'DELETE', headers });
});

test('a configured base map: tiles come from its server only, with its attribution; a bad one stops the start', async () => {
  // A local tile server stands in for basemap.de: one PNG for every tile, each request noted.
  const tile = readFileSync(makePhoto({ width: 256, height: 256, format: 'png' }));
  const requested = [];
  const tiles = createServer((req, res) => {
    requested.push(req.url);
    res.writeHead(200, { 'Content-Type': 'image/png' });
    res.end(tile);
  });
  await new Promise((r) => tiles.listen(0, '127.0.0.1', r));
  const origin = `http://127.0.0.1:${tiles.address().port}`;
  const withMap = await startServer({ extraArgs: ['--basemap', `${origin}/wmts/{TileMatrix}/{TileRow}/{TileCol}.png`,
    '--basemap-attribution', 'Testkacheln <b>CC BY 4.0</b>'] });
  try {
    const page = await browser.newPage({ bypassCSP: false });
    const blocked = [];
    page.on('console', (m) => { if (/Content Security Policy/.test(m.text())) blocked.push(m.text()); });
    const res = await page.goto(`${withMap.base}/klima`);
    assert.match(res.headers()['content-security-policy'], new RegExp(`img-src 'self' data: ${origin};`));
    await page.locator('.leaflet-tile-loaded').first().waitFor({ timeout: 5000 });
    assert.ok(requested.length > 0 && requested.every((u) => /^\/wmts\/\d+\/\d+\/\d+\.png$/.test(u)), requested.join(' '));
    // The attribution is shown as the text it was configured as, not as HTML.
    assert.match(await page.locator('.leaflet-control-attribution').innerText(), /Testkacheln <b>CC BY 4\.0<\/b>/);
    assert.deepEqual(blocked, []);
    // The map stands in the first screen, before the long sections.
    const mapTop = await page.locator('#karte').evaluate((el) => el.getBoundingClientRect().top);
    assert.ok(mapTop < 900, `map starts at ${mapTop}px`);
    await page.close();
  } finally {
    await withMap.stop();
    tiles.close();
  }
  // Without a base map (the default) no page asks any other server for anything.
  const page = await browser.newPage();
  const elsewhere = [];
  page.on('request', (r) => { if (!r.url().startsWith(server.base) && !r.url().startsWith('data:')) elsewhere.push(r.url()); });
  await page.goto(`${server.base}/klima`);
  await page.locator('.leaflet-marker-icon').first().waitFor({ timeout: 5000 });
  assert.deepEqual(elsewhere, []);
  await page.close();
  const scratch = mkdtempSync(join(tmpdir(), 'datenwerk-basemap-'));
  for (const bad of ['ftp://kacheln.example/{z}/{x}/{y}.png', 'https://kacheln.example/{z}/{x}.png']) {
    const run = spawnSync(BIN, ['--data-dir', scratch, '--port', '0', '--basemap', bad, '--basemap-attribution', 'x'],
      { encoding: 'utf8', timeout: 10000 });
    assert.notEqual(run.status, 0, bad);
    assert.match(run.stdout + run.stderr, /--basemap: /, bad);
  }
  rmSync(scratch, { recursive: true, force: true });
});
