// Time windows in long series, the most common sensor query: Datastreams 1, 2 and 3 hold one,
// two and five years of one-minute readings; windows of 1 h and 24 h at random places in their
// first year are asked through
//   GET /sta/v1.1/Datastreams(d)/Observations?$filter=phenomenonTime ge A and phenomenonTime lt B
// and, in the same run, through VictoriaMetrics' raw export of the same window from the same
// data (Debian's victoria-metrics 1.79, fed through its InfluxDB line-protocol endpoint). Both
// are timed at the client over loopback, one request at a time (both bodies read as text); the
// answers are checked to hold the expected number of readings. Datenwerk's own time per request
// (its Server-Timing header: the handler, without the network) is printed beside it. The
// queries ask for $select=phenomenonTime,result, what VictoriaMetrics' export holds; the full
// representation (self and navigation links per Observation) is timed on the last Datastream.
// Usage: DATENWERK_BIN=... node bench/window_bench.mjs [queries per case=200]
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import net from 'node:net';
import { spawnServer, BIN } from '../tests/support/server.mjs';
import { setupThings } from './workload.mjs';

const QUERIES = Number(process.argv[2] || 200);
const YEARS = [1, 2, 5];
const START = Date.parse('2019-01-01T00:00:00Z');
const MINUTE = 60000;
const dir = mkdtempSync(join(tmpdir(), 'datenwerk-window-bench-'));
const key = execFileSync(BIN, ['--data-dir', join(dir, 'dw'), 'apikey', 'create', '--label', 'bench'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
const server = await spawnServer(['--data-dir', join(dir, 'dw'), '--port', '0', '--body-limit', String(64 << 20)]);
const base = `http://127.0.0.1:${server.port}/sta/v1.1`;

const freePort = () => new Promise((resolve) => {
  const s = net.createServer().listen(0, '127.0.0.1', () => { const { port } = s.address(); s.close(() => resolve(port)); });
});
const vmPort = await freePort();
const vm = spawn('victoria-metrics', [`-storageDataPath=${join(dir, 'vm')}`, `-httpListenAddr=127.0.0.1:${vmPort}`,
  '-retentionPeriod=100y', '-search.disableCache', '-loggerLevel=ERROR'], { stdio: 'ignore' });
const vmBase = `http://127.0.0.1:${vmPort}`;
for (let i = 0; i < 100; i++) {
  try { if ((await fetch(`${vmBase}/health`)).ok) break; } catch { /* starting */ }
  await new Promise((r) => setTimeout(r, 100));
}

const value = (d, m) => Math.round((20 + 10 * Math.sin(m / 1440 * 2 * Math.PI) + d) * 100) / 100;
const post = async (path, body) => {
  const r = await fetch(base + path, { method: 'POST', headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${key}` }, body });
  const text = await r.text();
  if (r.status !== 201) throw new Error(`${path}: ${r.status} ${text.slice(0, 200)}`);
};

try {
  await setupThings((p, b) => post(p, JSON.stringify(b)), YEARS.length);
  const t0 = performance.now();
  let total = 0;
  for (let d = 1; d <= YEARS.length; d++) {
    const minutes = YEARS[d - 1] * 525600;
    for (let m0 = 0; m0 < minutes; m0 += 20000) {
      const rows = [], lines = [];
      for (let m = m0; m < Math.min(minutes, m0 + 20000); m++) {
        const t = START + m * MINUTE;
        rows.push(`["${new Date(t).toISOString()}",${value(d, m)}]`);
        lines.push(`w,ds=${d} v=${value(d, m)} ${t}000000`);
      }
      await post('/CreateObservations', `[{"Datastream":{"@iot.id":${d}},"components":["phenomenonTime","result"],"dataArray":[${rows.join(',')}]}]`);
      const w = await fetch(`${vmBase}/write`, { method: 'POST', body: lines.join('\n') });
      if (w.status !== 204) throw new Error(`VictoriaMetrics /write: ${w.status}`);
      total += rows.length;
    }
  }
  await fetch(`${vmBase}/internal/force_flush`);
  await new Promise((r) => setTimeout(r, 2000));
  console.log(`loaded ${total.toLocaleString('en')} readings into both in ${((performance.now() - t0) / 1000).toFixed(1)} s (Datastreams of ${YEARS.join(', ')} years)`);

  const stats = (xs) => { xs.sort((a, b) => a - b); return { p50: xs[Math.floor(xs.length / 2)], p99: xs[Math.min(xs.length - 1, Math.floor(xs.length * 0.99))] }; };
  console.log('window  years  Datenwerk in server p50 ms  Datenwerk client p50/p99 ms  VictoriaMetrics export p50/p99 ms  ratio client p50');
  const cases = [1, 24].flatMap((hours) => YEARS.map((_, i) => ({ hours, d: i + 1, select: true })))
    .concat([1, 24].map((hours) => ({ hours, d: YEARS.length, select: false })));
  for (const { hours, d, select } of cases) {
    {
      const dw = [], inServer = [], vmt = [];
      for (let q = 0; q < QUERIES; q++) {
        const from = START + Math.floor(Math.random() * (525600 - hours * 60)) * MINUTE;
        const to = from + hours * 3600000;
        const a = new Date(from).toISOString(), b = new Date(to).toISOString();
        const url = `${base}/Datastreams(${d})/Observations?$filter=${encodeURIComponent(`phenomenonTime ge ${a} and phenomenonTime lt ${b}`)}&$top=10000&$orderby=phenomenonTime${select ? '&$select=phenomenonTime,result' : ''}`;
        let s = performance.now();
        const response = await fetch(url);
        const body = await response.text();
        dw.push(performance.now() - s);
        inServer.push(Number(/dur=([\d.]+)/.exec(response.headers.get('server-timing') ?? '')?.[1]));
        const page = JSON.parse(body);
        if (page.value.length !== hours * 60) throw new Error(`Datenwerk answered ${page.value.length} readings for ${hours} h`);
        s = performance.now();
        const text = await (await fetch(`${vmBase}/api/v1/export?match[]=${encodeURIComponent(`w_v{ds="${d}"}`)}&start=${from / 1000}&end=${(to - 1) / 1000}&nocache=1`)).text();
        vmt.push(performance.now() - s);
        const n = text.trim() ? JSON.parse(text.trim().split('\n')[0]).values.length : 0;
        if (n !== hours * 60) throw new Error(`VictoriaMetrics answered ${n} readings for ${hours} h`);
      }
      const x = stats(dw), y = stats(vmt), z = stats(inServer);
      console.log(`${String(hours).padStart(3)} h   ${YEARS[d - 1]}${select ? ' ' : '*'}     ${z.p50.toFixed(2).padStart(6)}                     ${x.p50.toFixed(2)} / ${x.p99.toFixed(2)}                 ${y.p50.toFixed(2)} / ${y.p99.toFixed(2)}                       ${(x.p50 / y.p50).toFixed(2)}`);
    }
  }
  console.log('* the full representation (no $select): self and navigation links with every Observation');
} finally {
  server.child.kill('SIGTERM');
  vm.kill('SIGTERM');
  await new Promise((r) => setTimeout(r, 500));
  rmSync(dir, { recursive: true, force: true });
}
