// What alert rules cost at ingest: the same batched workload (bench/workload.mjs) into a server
// with no rules and into one with 1,000 rules, alternately, in the same run. The readings are
// taken after the rules were made (in the next days), so every one is evaluated.
// The 1,000 rules, as a city would have them: 980 on single Datastreams (thresholds above and
// below, rain sums over an hour, rates of change, sensors silent for 6 hours), 10 on the
// ObservedProperty all of these Datastreams share, 10 on other ObservedProperties, and 10 on an
// area holding half of the Datastreams: each reading meets about 20 rules ("dense").
// With "sparse", 1,000 Datastreams carry one rule each (the five kinds in turn): each reading
// meets one rule, as in a city where most rules watch one sensor.
// Usage: DATENWERK_BIN=... node bench/alert_ingest.mjs [datastreams=200] [minutes=2880] [rounds=2] [dense|sparse]
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnServer, BIN } from '../tests/support/server.mjs';
import { setupThings, createObservationsBodies, poster } from './workload.mjs';

const args = process.argv.slice(2);
const [D, MINUTES, ROUNDS] = [Number(args[0] || 200), Number(args[1] || 2880), Number(args[2] || 2)];
const SPARSE = args[3] === 'sparse';
const RULES = 1000;

function ruleBodies() {
  const kinds = [
    (d) => ({ kind: 'above', threshold: 25, hysteresis: 1, for: 'PT10M', scope: { datastream: d } }),
    (d) => ({ kind: 'below', threshold: 15, hysteresis: 1, scope: { datastream: d } }),
    (d) => ({ kind: 'accumulation', threshold: 1500, window: 'PT1H', scope: { datastream: d } }),
    (d) => ({ kind: 'rate_of_change', threshold: 5, window: 'PT30M', scope: { datastream: d } }),
    (d) => ({ kind: 'no_data', silence: 'PT6H', scope: { datastream: d } }),
  ];
  const rules = [];
  if (SPARSE) {
    for (let i = 0; i < RULES; i++) rules.push({ name: `Regel ${i}`, ...kinds[i % kinds.length]((i % D) + 1) });
    return rules;
  }
  for (let i = 0; i < 980; i++) rules.push({ name: `Regel ${i}`, ...kinds[i % kinds.length]((i % D) + 1) });
  for (let i = 0; i < 10; i++) rules.push({ name: `Größe ${i}`, kind: 'above', threshold: 30 + i, scope: { observedProperty: 1 } });
  for (let i = 0; i < 10; i++) rules.push({ name: `Andere ${i}`, kind: 'above', threshold: 30, scope: { observedProperty: 100 + i } });
  const west = { type: 'Polygon', coordinates: [[[6.9, 51.3], [7.5, 51.3], [7.5, 51.5], [6.9, 51.5], [6.9, 51.3]]] };
  for (let i = 0; i < 10; i++) rules.push({ name: `Gebiet ${i}`, kind: 'below', threshold: 10 - i, scope: { area: west } });
  return rules;
}

async function run(withRules) {
  const dir = mkdtempSync(join(tmpdir(), 'datenwerk-alert-bench-'));
  const key = execFileSync(BIN, ['--data-dir', dir, 'apikey', 'create', '--label', 'bench'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  const server = await spawnServer(['--data-dir', dir, '--port', '0', '--body-limit', String(64 << 20)]);
  const base = `http://127.0.0.1:${server.port}`;
  const headers = { 'Content-Type': 'application/json', Authorization: `Bearer ${key}` };
  const post = poster(base, key);
  try {
    await setupThings((p, b) => post('/sta/v1.1' + p, b), D);
    if (withRules) for (const rule of ruleBodies()) await post('/api/v1/alert-rules', rule);
    const start = Math.ceil(Date.now() / 3_600_000) * 3_600_000 + 3_600_000;
    const started = performance.now();
    let n = 0;
    const source = createObservationsBodies(D, MINUTES, 1000, 10, start);
    await Promise.all(Array.from({ length: 2 }, async () => {
      for (let next = source.next(); !next.done; next = source.next()) await post('/sta/v1.1/CreateObservations', next.value);
    }));
    n = D * MINUTES;
    const seconds = (performance.now() - started) / 1000;
    let fired = 0;
    if (withRules) {
      const alerts = await (await fetch(`${base}/api/v1/alerts?state=firing,pending,resolved,cancelled&limit=500`, { headers })).json();
      fired = alerts.value.length;
    }
    return { rate: n / seconds, seconds, n, fired };
  } finally {
    server.child.kill('SIGTERM');
    await new Promise((r) => server.child.once('exit', r));
    rmSync(dir, { recursive: true, force: true });
  }
}

const results = { none: [], rules: [] };
for (let round = 0; round < ROUNDS; round++) {
  for (const withRules of [false, true]) {
    const r = await run(withRules);
    results[withRules ? 'rules' : 'none'].push(r.rate);
    console.log(`round ${round + 1}, ${withRules ? `${RULES} rules` : 'no rules'}: ${r.n} readings in ${r.seconds.toFixed(2)} s, ` +
      `${Math.round(r.rate)} readings/s${withRules ? `, ${r.fired}${r.fired === 500 ? '+' : ''} alerts` : ''}`);
  }
}
// Rounds alternate, so drift of the machine hits both alike; the median of each is compared.
const median = (a) => [...a].sort((x, y) => x - y)[Math.floor(a.length / 2)];
const best = (a) => Math.max(...a);
for (const [label, f] of [['median', median], ['best', best]]) {
  console.log(`${label} of ${ROUNDS}: no rules ${Math.round(f(results.none))} readings/s, ${RULES} rules ${Math.round(f(results.rules))} readings/s, ` +
    `cost of the rules ${((1 - f(results.rules) / f(results.none)) * 100).toFixed(1)} %`);
}
