// The public portal in Debian's Chromium: every page type opens, shows its content, passes
// axe-core's WCAG 2.1 A/AA rules with zero violations, reads without JavaScript, and works
// with the keyboard.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launchChromium, axeViolations } from '../support/browser.mjs';
import { startServer } from '../support/server.mjs';

const SHOTS = process.env.SCREENSHOT_DIR;
let server;
let browser;

async function post(path, body, method = 'POST') {
  const res = await fetch(server.base + path, {
    method,
    headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${server.apiKey}` },
    body: JSON.stringify(body),
  });
  assert.ok(res.ok, `${method} ${path}: ${res.status} ${await res.text()}`);
}

before(async () => {
  server = await startServer();
  // A KPI with a target and a series, so that its page shows progress and a chart.
  await post('/api/v1/kpis/SCBOK-NMU-KK-K1.2/target', {
    baseline: { value: 23, date: '2022-06-30' }, target: { value: 100, date: '2030-12-31' },
    direction: 'up', unit: 'Sensoren' }, 'PUT');
  await post('/api/v1/kpis/SCBOK-NMU-KK-K1.2/values',
    { date: '2023-06-30', value: 41, unit: 'Sensoren', source: 'Umweltamt <Test>' });
  await post('/api/v1/kpis/SCBOK-NMU-KK-K1.2/values',
    { date: '2024-08-28', value: 60, unit: 'Sensoren', source: 'Fortschrittsseite' });
  // The city's licence for its own open data, and a station with readings, for the open-data pages.
  const licensed = await fetch(`${server.base}/api/v1/open-data/curations/standard`, {
    method: 'PUT',
    headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${server.keys.administrator}` },
    body: JSON.stringify({ license: 'http://dcat-ap.de/def/licenses/dl-by-de/2.0', attribution: 'Stadt Bochum' }),
  });
  assert.equal(licensed.status, 200, await licensed.text());
  const thing = await fetch(`${server.base}/sta/v1.1/Things`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${server.keys.administrator}` },
    body: JSON.stringify({ name: 'Pegel Ölbachtal', description: 'Wasserstand am Ölbach',
      Locations: [{ name: 'Ölbach', description: 'd', encodingType: 'application/geo+json', location: { type: 'Point', coordinates: [7.25, 51.45] } }],
      Datastreams: [{ name: 'Wasserstand', description: 'd', observationType: 'OM_Measurement',
        unitOfMeasurement: { name: 'Zentimeter', symbol: 'cm' },
        Sensor: { name: 's', description: 'd', encodingType: 'text/html', metadata: 'm' },
        ObservedProperty: { name: 'Wasserstand', definition: 'd', description: 'd' },
        Observations: [{ phenomenonTime: '2024-05-01T10:00:00Z', result: 41.5 }, { phenomenonTime: '2024-05-01T10:15:00Z', result: 42.25 }] }] }),
  });
  assert.equal(thing.status, 201, await thing.text());
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

const PAGES = [
  { path: '/', h1: 'Verfolge unseren Fortschritt', text: ['So weit ist das Konzept umgesetzt', 'Zukunftsfähige Infrastruktur', '101'] },
  { path: '/themen/NMU', h1: 'Nachhaltige Mobilität & Umwelt', text: ['Klimaschutz & Klimafolgenanpassung', 'Umsetzungsstand'] },
  { path: '/handlungsfelder/NMU-KK', h1: 'Klimaschutz & Klimafolgenanpassung', text: ['Maßnahmen', 'Indikatoren', 'NMU-KK-1'] },
  { path: '/massnahmen?thema=ZI&status=implemented', h1: 'Maßnahmen', text: ['7 von 101 Maßnahmen'] },
  { path: '/massnahmen/ZI-NI-1', h1: 'Flächendeckende Breitbandversorgung', text: ['2016-2025', 'In Umsetzung', 'Worum es geht'] },
  { path: '/indikatoren', h1: 'Indikatoren', text: ['130 von 130 Indikatoren', 'Auf Kurs'] },
  { path: '/indikatoren/SCBOK-NMU-KK-K1.2', h1: 'Anzahl', text: ['60 Sensoren', '28.08.2024', 'Auf Kurs', '100 Sensoren (31.12.2030)', 'Umweltamt <Test>'] },
  { path: '/indikatoren/SCBOK-ZI-NI-K7.2', h1: 'Abdeckung', text: ['ZI-NI-7 (im Katalog nicht enthalten)', 'Nicht bewertbar'] },
  { path: '/zahlen-und-fakten', h1: 'Zahlen und Fakten im Überblick', text: ['Installierte Klimasensoren', 'Erhebungszeitpunkt', '60 Sensoren', 'Rang im Bitkom Smart City Index'] },
  { path: '/daten', h1: 'Offene Daten', text: ['Smart-City-Strategie Bochum: Themen', 'Pegel Ölbachtal: Messwerte', 'Datensätze gefunden', 'DCAT-AP.de'] },
  { path: '/daten?q=%C3%96lbach&thema=ENVI&format=CSV', h1: 'Offene Daten', text: ['1 Datensatz gefunden', 'Pegel Ölbachtal'] },
  { path: '/daten/smart-city-massnahmen', h1: 'Smart-City-Strategie Bochum', text: ['Maßnahmen als CSV', 'Datenlizenz Deutschland Namensnennung 2.0', 'Vorschau', 'Die ersten Maßnahmen'] },
  { path: '/daten/kennzahl-scbok-nmu-kk-k1.2', h1: 'Kennzahl SCBOK-NMU-KK-K1.2', text: ['Werte als CSV', '28.08.2024', '60 Sensoren'] },
  { path: '/daten/station-1', h1: 'Pegel Ölbachtal: Messwerte', text: ['Creative Commons CC Zero', 'Alle Messwerte als CSV', '01.05.2024, 12:15 Uhr', '42,25'] },
  { path: '/api', h1: 'Programmierschnittstelle (API)', text: ['OpenAPI-3.1-Beschreibung', 'GET /api/v1/kpis', 'POST /api/v1/ingest/chirpstack', 'Berechtigung: API-Schlüssel mit der Rolle editor', 'Datenformate', 'Strategie und Kennzahlen'] },
];

for (const spec of PAGES) {
  test(`page ${spec.path}: content, landmarks, zero axe violations`, async () => {
    const page = await browser.newPage({ bypassCSP: true });
    const errors = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    const res = await page.goto(server.base + spec.path);
    assert.equal(res.status(), 200);
    assert.equal(await page.getAttribute('html', 'lang'), 'de');
    const h1 = await page.locator('h1').allInnerTexts();
    assert.equal(h1.length, 1, 'exactly one h1');
    assert.ok(h1[0].startsWith(spec.h1), `h1 "${h1[0]}" starts with "${spec.h1}"`);
    const text = await page.locator('main').innerText();
    for (const t of spec.text) assert.ok(text.includes(t), `main contains "${t}"`);
    assert.equal(await page.locator('main').count(), 1);
    assert.ok(await page.locator('nav[aria-label="Hauptnavigation"]').count() === 1);
    assert.deepEqual(await axeViolations(page), []);
    assert.deepEqual(errors, []);
    if (SHOTS) await page.screenshot({ path: `${SHOTS}/${spec.path.replace(/[^a-z0-9]+/gi, '_')}.png`, fullPage: true });
    // Reflow (WCAG 1.4.10): at 320 CSS pixels only a data table may scroll sideways, in its frame.
    await page.setViewportSize({ width: 320, height: 640 });
    await page.waitForTimeout(50);
    const scroll = await page.evaluate(() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]);
    assert.ok(scroll[0] <= scroll[1], `${spec.path} scrolls sideways at 320 px: ${scroll}`);
    await page.close();
  });
}

test('the 404 page is German, accessible and says so', async () => {
  const page = await browser.newPage({ bypassCSP: true });
  const res = await page.goto(`${server.base}/gibt-es-nicht`);
  assert.equal(res.status(), 404);
  assert.equal(await page.locator('h1').innerText(), 'Seite nicht gefunden');
  assert.deepEqual(await axeViolations(page), []);
  await page.close();
});

test('the KPI chart is drawn and its data is also in the table', async () => {
  const page = await browser.newPage();
  await page.goto(`${server.base}/indikatoren/SCBOK-NMU-KK-K1.2`);
  await page.locator('#kpi-chart canvas').waitFor({ timeout: 5000 });
  assert.equal(await page.getAttribute('#kpi-chart', 'role'), 'img');
  assert.match(await page.getAttribute('#kpi-chart', 'aria-label'), /Tabelle/);
  const rows = await page.locator('#werte tbody tr').count();
  assert.equal(rows, 3);  // the imported value and the two entered above
  await page.close();
});

test('core content reads without JavaScript', async () => {
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  await page.goto(`${server.base}/indikatoren/SCBOK-NMU-KK-K1.2`);
  const text = await page.locator('main').innerText();
  assert.ok(text.includes('60 Sensoren'));
  assert.equal(await page.locator('#werte tbody tr').count(), 3);
  assert.equal(await page.locator('#kpi-chart canvas').count(), 0);
  await page.goto(`${server.base}/massnahmen?thema=NMU`);
  assert.ok((await page.locator('main').innerText()).includes('20 von 101 Maßnahmen'));
  await context.close();
});

test('keyboard: the first Tab reaches the skip link, which moves focus to the content', async () => {
  const page = await browser.newPage();
  await page.goto(`${server.base}/`);
  await page.keyboard.press('Tab');
  assert.equal(await page.evaluate(() => document.activeElement.textContent), 'Zum Inhalt springen');
  assert.ok(await page.evaluate(() => {
    const r = document.activeElement.getBoundingClientRect();
    return r.left >= 0 && r.width > 0;  // visible when focused
  }));
  await page.keyboard.press('Enter');
  assert.equal(await page.evaluate(() => document.activeElement.id), 'inhalt');
  await page.close();
});

test('the dataset search works without JavaScript and with the keyboard alone', async () => {
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  await page.goto(`${server.base}/daten`);
  await page.focus('#f-q');
  await page.keyboard.type('ölbach');  // lower case finds the capital Ö
  await page.keyboard.press('Enter');
  await page.waitForURL(/q=/);
  const text = await page.locator('main').innerText();
  assert.ok(text.includes('1 Datensatz gefunden'), text);
  await page.locator('main a', { hasText: 'Pegel Ölbachtal' }).first().focus();
  await page.keyboard.press('Enter');
  await page.waitForURL(/\/daten\/station-1$/);
  const ld = JSON.parse(await page.locator('script[type="application/ld+json"]').textContent());
  assert.equal(ld['@type'], 'Dataset');
  assert.equal(ld.name, 'Pegel Ölbachtal: Messwerte');
  assert.ok(ld.distribution.some((d) => d.contentUrl.endsWith('/daten/station-1.csv')));
  await context.close();
});

test('the filter form works with the keyboard alone', async () => {
  const page = await browser.newPage();
  await page.goto(`${server.base}/massnahmen`);
  await page.focus('#f-status');
  await page.selectOption('#f-status', 'planned');
  await page.keyboard.press('Tab');
  await page.keyboard.press('Enter');
  await page.waitForURL(/status=planned/);
  assert.ok((await page.locator('main').innerText()).includes('12 von 101 Maßnahmen'));
  await page.close();
});

// WCAG 2.1 1.4.10 Reflow: at 320 CSS pixels (a phone, or a desktop at 400 %) no page may scroll
// sideways; a wide data table may scroll inside its own container. axe-core cannot see this.
for (const spec of PAGES) {
  test(`page ${spec.path} reflows at 320 px without scrolling sideways`, async () => {
    const page = await browser.newPage({ viewport: { width: 320, height: 640 } });
    await page.goto(server.base + spec.path);
    const overflow = await page.evaluate(() => {
      const width = document.documentElement.clientWidth;
      const wide = [...document.querySelectorAll('body *')].filter((e) => {
        if (e.parentElement?.closest('.table-wrap')) return false;  // scrolls inside its container
        const r = e.getBoundingClientRect();
        return r.right > width + 1 && getComputedStyle(e).position !== 'absolute';
      }).slice(0, 5).map((e) => `${e.tagName.toLowerCase()}.${e.className} ${Math.round(e.getBoundingClientRect().right)}px`);
      return { scroll: document.documentElement.scrollWidth, width, wide };
    });
    assert.ok(overflow.scroll <= overflow.width, `scrollWidth ${overflow.scroll} > ${overflow.width}: ${overflow.wide.join(', ')}`);
    await page.close();
  });
}
