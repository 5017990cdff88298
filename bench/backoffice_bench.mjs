// The back office under a realistic load: sign-in (Argon2id hashing), a spreadsheet import of
// 10,000 values (preview, confirmation as drafts, publishing as one batch), and the latency of
// the back-office start page and the audit trail afterwards, each beside a peer measured in the
// same run (the sign-in form, the portal's start page).
// Usage: DATENWERK_BIN=build/release/src/app/datenwerk node bench/backoffice_bench.mjs [rows=10000] [requests=200] [postgres conninfo]
import { startServer } from '../tests/support/server.mjs';
import { Client, createUser } from '../tests/support/backoffice.mjs';

const ROWS = Number(process.argv[2] || 10000);
const REQUESTS = Number(process.argv[3] || 200);
const DATABASE = process.argv[4];
const server = await startServer({
  database: DATABASE,
  setup: (dataDir, db) => {
    createUser(dataDir, db, { email: 'admin@bochum.de', role: 'administrator', name: 'Anna Admin' });
    createUser(dataDir, db, { email: 'rolf@bochum.de', role: 'reviewer', name: 'Rolf Prüfer' });
    createUser(dataDir, db, { email: 'eva@bochum.de', role: 'editor', name: 'Eva Erfasserin', scopes: ['NMU'] });
  },
});

const stats = (xs) => {
  xs.sort((a, b) => a - b);
  return { p50: xs[Math.floor(xs.length / 2)], p99: xs[Math.min(xs.length - 1, Math.floor(xs.length * 0.99))] };
};
const appMs = (res) => Number(/app;dur=([\d.]+)/.exec(res.headers.get('server-timing'))?.[1] ?? NaN);

async function timeGets(client, path, n) {
  const wall = [];
  const app = [];
  let size = 0;
  for (let i = 0; i < n; i++) {
    const t = performance.now();
    const res = await fetch(server.base + path, { headers: { Cookie: client.cookieHeader() }, redirect: 'manual' });
    const body = await res.arrayBuffer();
    wall.push(performance.now() - t);
    app.push(appMs(res));
    size = body.byteLength;
    if (res.status !== 200) throw new Error(`${path}: ${res.status}`);
  }
  return { ...stats(wall), app: stats(app).p50, size };
}

try {
  console.log(`Datenwerk back office, ${DATABASE ? 'PostgreSQL' : 'SQLite'}`);
  // Sign-in: the form's POST hashes the password with Argon2id (2 passes over 64 MiB).
  const signIns = [];
  const forms = [];
  for (let i = 0; i < 20; i++) {
    const c = new Client(server.base);
    let t = performance.now();
    const form = await c.get('/verwaltung/anmelden');
    forms.push(performance.now() - t);
    const pre = form.text.match(/name="vorab" value="([^"]+)"/)[1];
    t = performance.now();
    const res = await fetch(`${server.base}/verwaltung/anmelden`, { method: 'POST', redirect: 'manual',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', Cookie: c.cookieHeader() },
      body: new URLSearchParams({ vorab: pre, email: 'eva@bochum.de', passwort: 'ein-sicheres-test-passwort' }).toString() });
    signIns.push({ wall: performance.now() - t, app: appMs(res) });
    if (res.status !== 303) throw new Error(`sign-in ${res.status}`);
  }
  const signIn = stats(signIns.map((s) => s.wall));
  const hashing = stats(signIns.map((s) => s.app));
  const form = stats(forms);
  console.log(`sign-in (Argon2id verify + session): p50 ${signIn.p50.toFixed(1)} ms, p99 ${signIn.p99.toFixed(1)} ms at the client; ` +
    `${hashing.p50.toFixed(1)} ms in the server; peer: the sign-in form p50 ${form.p50.toFixed(2)} ms (ratio ${(signIn.p50 / form.p50).toFixed(0)}x)`);

  // 10,000 values: every KPI, month by month backwards from 2025-12.
  const kpis = (await (await fetch(`${server.base}/api/v1/kpis?limit=500`)).json()).items.map((k) => k.id);
  const lines = ['Kennung;Stichtag;Wert;Einheit;Genauigkeit;Quelle;Anmerkung'];
  for (let i = 0; lines.length <= ROWS; i++) {
    const kpi = kpis[i % kpis.length];
    const month = Math.floor(i / kpis.length);
    const d = new Date(Date.UTC(2025, 11 - month + 1, 0));
    lines.push(`${kpi};${String(d.getUTCDate()).padStart(2, '0')}.${String(d.getUTCMonth() + 1).padStart(2, '0')}.${d.getUTCFullYear()};` +
      `${(i % 997) + 0.5}`.replace('.', ',') + `;;genau;Benchmark;Zeile ${i + 2}`);
  }
  const csv = lines.join('\r\n');
  const before = (await (await fetch(`${server.base}/api/v1/downloads/values.json`)).json()).length;
  const admin = new Client(server.base);
  await admin.signIn('admin@bochum.de');
  const csrf = await admin.csrf('/verwaltung/import');
  const body = new FormData();
  body.append('csrf', csrf);
  body.append('datei', new Blob([csv]), 'bench.csv');
  let t = performance.now();
  const preview = await fetch(`${server.base}/verwaltung/import`, { method: 'POST', body, headers: { Cookie: admin.cookieHeader() } });
  const previewText = await preview.text();
  const previewMs = performance.now() - t;
  if (preview.status !== 200) throw new Error(`preview ${preview.status}: ${previewText.slice(0, 500)}`);
  const action = previewText.match(/action="(\/verwaltung\/import\/[\w-]+)"/)[1];
  t = performance.now();
  const confirm = await admin.post(action, { csrf });
  const confirmMs = performance.now() - t;
  if (confirm.status !== 303) throw new Error(`confirm ${confirm.status}`);
  const rolf = new Client(server.base);
  await rolf.signIn('rolf@bochum.de');
  const queue = await rolf.get('/verwaltung/pruefung');
  const publishPath = queue.text.match(/action="(\/verwaltung\/stapel\/[\w-]+\/veroeffentlichen)"/)[1];
  t = performance.now();
  const published = await rolf.post(publishPath, { csrf: await rolf.csrf() });
  const publishMs = performance.now() - t;
  if (published.status !== 303) throw new Error(`publish ${published.status}: ${published.text.slice(0, 300)}`);
  const after = (await (await fetch(`${server.base}/api/v1/downloads/values.json`)).json()).length;
  console.log(`import of ${ROWS} values (${(csv.length / 1024).toFixed(0)} KiB CSV): preview ${previewMs.toFixed(0)} ms, ` +
    `confirmation as drafts ${confirmMs.toFixed(0)} ms, publishing the batch ${publishMs.toFixed(0)} ms; ` +
    `public values ${before} -> ${after}`);

  // Latency of the pages people open most, beside the portal's start page.
  const eva = new Client(server.base);
  await eva.signIn('eva@bochum.de');
  const portal = await timeGets(new Client(server.base), '/', REQUESTS);
  console.log('page (one client, one request at a time)            p50 ms   p99 ms   server p50   size    ratio p50 to portal /');
  for (const [who, client, path] of [['editor', eva, '/verwaltung'], ['reviewer', rolf, '/verwaltung'],
    ['editor', eva, '/verwaltung/indikatoren/SCBOK-NMU-KK-K1.2'], ['admin', admin, '/verwaltung/protokoll'],
    ['admin', admin, '/verwaltung/export/bericht.xlsx']]) {
    const r = await timeGets(client, path, path.includes('protokoll') || path.includes('xlsx') ? 20 : REQUESTS);
    console.log(`${(who + ' ' + path).padEnd(52)}${r.p50.toFixed(2).padStart(7)}${r.p99.toFixed(2).padStart(9)}${r.app.toFixed(2).padStart(12)}` +
      `${((r.size / 1024).toFixed(0) + ' KiB').padStart(9)}${(r.p50 / portal.p50).toFixed(1).padStart(8)}x`);
  }
  console.log(`${'portal / (peer)'.padEnd(52)}${portal.p50.toFixed(2).padStart(7)}${portal.p99.toFixed(2).padStart(9)}${portal.app.toFixed(2).padStart(12)}` +
    `${((portal.size / 1024).toFixed(0) + ' KiB').padStart(9)}`);
} finally {
  await server.stop();
}
