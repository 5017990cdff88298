// Spreadsheet import and export against the started binary: a German Excel file with errors is
// previewed with line numbers and changes nothing; the corrected file becomes drafts that a
// reviewer publishes at once; wrong encodings, binary files and a 50 MB upload get German
// answers; the exports keep formulas as text.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from '../support/server.mjs';
import { Client, createUser } from '../support/backoffice.mjs';
import { unzip } from '../support/zip.mjs';

const KPI = 'SCBOK-NMU-KK-K1.2';
let server;

before(async () => {
  server = await startServer({
    setup: (dataDir, db) => {
      createUser(dataDir, db, { email: 'eva@bochum.de', role: 'editor', name: 'Eva Erfasserin', scopes: ['NMU'] });
      createUser(dataDir, db, { email: 'rolf@bochum.de', role: 'reviewer', name: 'Rolf Prüfer' });
    },
  });
});
after(() => server.stop());

// Windows-1252, as German Excel saves "CSV (Trennzeichen-getrennt)".
function cp1252(text) {
  const bytes = [];
  for (const ch of text) {
    const code = ch.codePointAt(0);
    if (code < 0x80 || (code >= 0xa0 && code <= 0xff)) bytes.push(code);
    else if (ch === '€') bytes.push(0x80);
    else if (ch === '„') bytes.push(0x84);
    else if (ch === '“') bytes.push(0x93);
    else throw new Error(`not in Windows-1252: ${ch}`);
  }
  return Buffer.from(bytes);
}

async function upload(client, content, name = 'werte.csv') {
  const csrf = await client.csrf('/verwaltung/import');
  const form = new FormData();
  form.append('csrf', csrf);
  form.append('datei', new Blob([content]), name);
  const res = await fetch(`${client.base}/verwaltung/import`, {
    method: 'POST', body: form, redirect: 'manual', headers: { Cookie: client.cookieHeader() } });
  return { status: res.status, text: await res.text() };
}

async function publicValues() {
  return (await (await fetch(`${server.base}/api/v1/kpis/${KPI}/values`)).json()).items ?? [];
}

test('a file with errors is previewed line by line and changes nothing; fixed, it is imported and published', async () => {
  const eva = new Client(server.base);
  await eva.signIn('eva@bochum.de');
  const before = (await publicValues()).length;
  const rows = ['Kennung;Stichtag;Wert;Einheit;Genauigkeit;Quelle;Anmerkung'];
  for (let m = 1; m <= 9; m++) rows.push(`${KPI};28.0${m}.2025;${30 + m},5;Sensoren;ca.;Umweltamt;Zählung Größe`);
  const broken = [...rows,
    'SCBOK-GIBT-ES-NICHT;31.10.2025;1;;;;',
    `${KPI};31.11.2025;2;;;;`,
    `${KPI};30.12.2025;=1+2;;;;`,
    'SCBOK-ZI-NI-K1.1;31.12.2025;4;;;;'].join('\r\n');
  const preview = await upload(eva, cp1252(broken));
  assert.equal(preview.status, 422);
  assert.match(preview.text, /Windows-1252/);
  assert.match(preview.text, /9 neue Werte, 0 Änderungen, 0 unverändert, 4 fehlerhafte Zeilen/);
  assert.match(preview.text, /Es wurde nichts geändert/);
  for (const [line, message] of [[11, 'gibt es nicht'], [12, 'kein gültiges Datum'], [13, 'Formel'], [14, 'keine Werte eintragen']]) {
    assert.match(preview.text, new RegExp(`<td class="num">${line}</td>[^\\n]*${message}`), `line ${line}`);
  }
  assert.ok(!preview.text.includes('Werte als Entwürfe übernehmen'));
  assert.equal((await publicValues()).length, before);

  const fixed = await upload(eva, cp1252(rows.join('\r\n')));
  assert.equal(fixed.status, 200);
  assert.match(fixed.text, /Zählung Größe|9 neue Werte/);
  const action = fixed.text.match(/action="(\/verwaltung\/import\/[\w-]+)"/)[1];
  const confirmed = await eva.post(action, { csrf: await eva.csrf() });
  assert.equal(confirmed.status, 303);
  assert.equal(confirmed.headers.get('location'), '/verwaltung?hinweis=import');
  assert.equal((await eva.post(action, { csrf: await eva.csrf() })).status, 404, 'a preview is confirmed once');
  assert.equal((await publicValues()).length, before, 'drafts are not public');

  const rolf = new Client(server.base);
  await rolf.signIn('rolf@bochum.de');
  const queue = await rolf.get('/verwaltung/pruefung');
  assert.match(queue.text, /Import von Eva Erfasserin, [\d.]+, [\d:]+: 9 Werte/);
  const publish = queue.text.match(/action="(\/verwaltung\/stapel\/[\w-]+\/veroeffentlichen)"/)[1];
  assert.equal((await rolf.post(publish, { csrf: await rolf.csrf() })).status, 303);
  const after = await publicValues();
  assert.equal(after.length, before + 9);
  assert.ok(after.some((v) => v.date === '2025-03-28' && v.value === 33.5 && v.qualifier === 'approx'));
});

test('wrong encodings, binary files and oversized uploads get a German answer', async () => {
  const eva = new Client(server.base);
  await eva.signIn('eva@bochum.de');
  const cases = [
    [Buffer.from([0x50, 0x4b, 0x03, 0x04, 0, 0, 0x14, 0]), 'tabelle.xlsx', /keine Textdatei/],
    [Buffer.concat([Buffer.from('Kennung;Stichtag;Wert\r\nA'), Buffer.from([0x81]), Buffer.from('B;1;2')]), 'kaputt.csv',
      /keine Textdatei/],
    [Buffer.from('Kennung;Stichtag;Wert\r\nA\u001bB;1;2'), 'steuerzeichen.csv', /Steuerzeichen/],
    [Buffer.from(''), 'leer.csv', /Bitte wählen Sie eine CSV-Datei aus/],
    [Buffer.from('Name;Alter\r\nAnna;3\r\n'), 'falsch.csv', /Spalte „Name“ ist unbekannt/],
  ];
  for (const [content, name, message] of cases) {
    const res = await upload(eva, content, name);
    assert.equal(res.status, 422, name);
    assert.match(res.text, message, name);
    assert.match(res.text, /aria-invalid="true"/);
  }
  // UTF-16 with a byte order mark ("Unicode-Text") is fine.
  const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(`Kennung\tStichtag\tWert\r\n${KPI}\t31.10.2025\t12\r\n`, 'utf16le')]);
  const ok = await upload(eva, utf16, 'unicode.txt');
  assert.equal(ok.status, 200);
  assert.match(ok.text, /UTF-16LE/);
  // 50 MB: refused before it is read, with a German page.
  const big = await upload(eva, Buffer.alloc(50 << 20, 'a'), 'riesig.csv');
  assert.equal(big.status, 413);
  assert.match(big.text, /Die Datei ist größer als 16 MB/, big.text.slice(0, 2000));
  assert.ok(server.alive());
  assert.equal((await eva.get('/verwaltung')).status, 200);
});

test('exports: German CSV and XLSX, formulas stay text', async () => {
  // A value whose source a spreadsheet would run (entered through the API, which takes any text).
  const res = await fetch(`${server.base}/api/v1/kpis/${KPI}/values`, {
    method: 'POST', headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${server.keys.editor}` },
    body: JSON.stringify({ date: '2026-01-31', value: 1234.5, source: '=HYPERLINK("http://evil.example","Klick")' }) });
  assert.equal(res.status, 201);
  const viewer = new Client(server.base);
  await viewer.signIn('rolf@bochum.de');
  const csv = await viewer.get('/verwaltung/export/werte.csv');
  assert.equal(csv.status, 200);
  assert.match(csv.headers.get('content-disposition'), /attachment; filename="werte.csv"/);
  assert.ok(csv.text.startsWith('Kennung;Indikator;Stichtag'));
  const raw = Buffer.from(await (await fetch(`${server.base}/verwaltung/export/werte.csv`,
    { headers: { Cookie: viewer.cookieHeader() } })).arrayBuffer());
  assert.deepEqual([...raw.subarray(0, 3)], [0xef, 0xbb, 0xbf], 'a byte order mark, so that Excel reads UTF-8');
  assert.match(csv.text, /31\.01\.2026;;1234,5;;genau;"'=HYPERLINK\(""http:\/\/evil\.example"",""Klick""\)";/);
  const kpis = await viewer.get('/verwaltung/export/kennzahlen.csv');
  assert.equal(kpis.text.trim().split('\r\n').length, 131);
  const xlsxRes = await fetch(`${server.base}/verwaltung/export/bericht.xlsx`, { headers: { Cookie: viewer.cookieHeader() } });
  assert.equal(xlsxRes.status, 200);
  const files = unzip(Buffer.from(await xlsxRes.arrayBuffer()));
  assert.ok(files.has('xl/worksheets/sheet1.xml') && files.has('xl/worksheets/sheet2.xml'));
  assert.match(files.get('xl/workbook.xml'), /name="Kennzahlen"[\s\S]*name="Werte"/);
  assert.match(files.get('xl/sharedStrings.xml'), /<t>=HYPERLINK\((&quot;|")http:\/\/evil\.example(&quot;|"),(&quot;|")Klick(&quot;|")\)<\/t>/);
  for (const [name, xml] of files) assert.ok(!/<f>/.test(xml), `${name} holds no formula`);
  assert.match(files.get('xl/worksheets/sheet2.xml'), /<v>1234.5<\/v>/);
  assert.equal((await viewer.get('/verwaltung/export/geheim.csv')).status, 404);
  const anonymous = new Client(server.base);
  assert.equal((await anonymous.get('/verwaltung/export/bericht.xlsx')).status, 303);
});
