// A read replica under write load: a primary and a streaming standby of it on this machine (the
// same setup as tests/http/replica.test.mjs, fsync on), one Datenwerk node with --read-database.
// For SECONDS, WRITERS clients post one-minute readings (CreateObservations, 60 a request) while
// READERS clients ask for the last hour of a Datastream; /health/replica is sampled every 50 ms.
// Prints how stale the standby was (the node's proven bound: p50, p99, max), how many reads it
// answered and how many fell back to the primary, the writes per second, and the read latency
// (p50, p99) with the standby against the same load with every read on the primary (a second
// run without --read-database).
// Usage: DATENWERK_BIN=... node bench/replica_bench.mjs [seconds=10] [writers=4] [readers=4]
import { execFileSync } from 'node:child_process';
import { ownPrimaryWithStandby } from '../tests/support/postgres.mjs';
import { startServer } from '../tests/support/server.mjs';

const SECONDS = Number(process.argv[2] || 10);
const WRITERS = Number(process.argv[3] || 4);
const READERS = Number(process.argv[4] || 4);
const STREAMS = 20;
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const pct = (sorted, p) => sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] : NaN;
const fmt = (n) => n.toLocaleString('de-DE', { maximumFractionDigits: 1 });

async function run(pair, withReplica) {
  // fsync on for the primary's commits, as in production (the test helper turns it off).
  pair.sql('primary', 'ALTER SYSTEM SET fsync = on');
  pair.sql('primary', 'SELECT pg_reload_conf()');
  pair.sql('primary', 'DROP SCHEMA IF EXISTS bench CASCADE; CREATE SCHEMA bench');
  const database = `${pair.primary} options='-c search_path=bench'`;
  const server = await startServer({
    database,
    extraArgs: withReplica ? ['--read-database', `${pair.standby} options='-c search_path=bench'`, '--dashboard-refresh', '3600']
      : ['--dashboard-refresh', '3600'],
  });
  const key = server.keys.administrator;
  const call = async (method, path, body) => {
    const r = await fetch(server.base + path, { method, headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${key}` },
      body: body === undefined ? undefined : JSON.stringify(body) });
    const text = await r.text();
    return { status: r.status, text };
  };
  const made = await call('POST', '/sta/v1.1/Things', {
    name: 'Messstelle', description: 'erfundene Werte',
    Locations: [{ name: 'kein wirklicher Ort', description: 'd', encodingType: 'application/geo+json', location: { type: 'Point', coordinates: [0, 0] } }],
    Datastreams: Array.from({ length: STREAMS }, (_, i) => ({ name: `Reihe ${i}`, description: 'd', unitOfMeasurement: { name: 'Grad Celsius', symbol: '°C' },
      observationType: 'OM_Measurement', Sensor: { name: 's', description: 'd', encodingType: 'text/html', metadata: 'm' },
      ObservedProperty: { name: 'Temperatur', definition: 'd', description: 'd' } })),
  });
  if (made.status !== 201) throw new Error(made.text);
  if (withReplica) {
    for (let i = 0; i < 100 && !(await (await fetch(`${server.base}/health/replica`)).json()).usable; i++) await sleep(100);
  }
  const start = Date.UTC(2026, 0, 1);
  let stop = false, writes = 0, nextMinute = 0;
  const latencies = [], lags = [];
  const writers = Array.from({ length: WRITERS }, async () => {
    while (!stop) {
      const first = nextMinute; nextMinute += 60;
      const rows = Array.from({ length: 60 }, (_, i) => [new Date(start + (first + i) * 60000).toISOString(), 20 + ((first + i) % 50) / 10]);
      const r = await call('POST', '/sta/v1.1/CreateObservations',
        Array.from({ length: STREAMS }, (_, d) => ({ Datastream: { '@iot.id': d + 1 }, components: ['phenomenonTime', 'result'], dataArray: rows })));
      if (r.status === 201) writes += 60 * STREAMS;
    }
  });
  const readers = Array.from({ length: READERS }, async (_, n) => {
    let i = n;
    while (!stop) {
      const from = new Date(start + Math.max(0, nextMinute - 60) * 60000).toISOString();
      const t0 = performance.now();
      const r = await fetch(`${server.base}/sta/v1.1/Datastreams(${(i++ % STREAMS) + 1})/Observations?$filter=phenomenonTime ge ${from}&$top=100`);
      await r.text();
      latencies.push(performance.now() - t0);
    }
  });
  const sampler = (async () => {
    while (!stop) {
      const s = await (await fetch(`${server.base}/health/replica`)).json();
      if (s.configured && s.lag_ms !== null) lags.push(s.lag_ms);
      await sleep(50);
    }
  })();
  const before = withReplica ? await (await fetch(`${server.base}/health/replica`)).json() : null;
  await sleep(SECONDS * 1000);
  stop = true;
  await Promise.all([...writers, ...readers, sampler]);
  const after = withReplica ? await (await fetch(`${server.base}/health/replica`)).json() : null;
  await server.stop();
  latencies.sort((a, b) => a - b);
  lags.sort((a, b) => a - b);
  return { writes: writes / SECONDS, reads: latencies.length / SECONDS, p50: pct(latencies, 0.5), p99: pct(latencies, 0.99), lags,
    replicaReads: after ? after.replica_reads - before.replica_reads : 0, primaryReads: after ? after.primary_reads - before.primary_reads : 0 };
}

const pair = ownPrimaryWithStandby();
try {
  console.log(`== read replica: ${SECONDS} s, ${WRITERS} writers (${STREAMS} × 60 readings a request), ${READERS} readers (the last hour of a Datastream), ${execFileSync('nproc').toString().trim()} cores`);
  const replica = await run(pair, true);
  const primary = await run(pair, false);
  for (const [label, r] of [['reads on the standby', replica], ['reads on the primary', primary]]) {
    console.log(`${label.padEnd(22)} writes ${fmt(r.writes)} readings/s, reads ${fmt(r.reads)}/s, read p50 ${fmt(r.p50)} ms, p99 ${fmt(r.p99)} ms`);
  }
  const l = replica.lags;
  console.log(`standby at most behind (bound proven by the node, ${l.length} samples): p50 ${pct(l, 0.5)} ms, p99 ${pct(l, 0.99)} ms, max ${l[l.length - 1]} ms`);
  console.log(`database reads (several a request) answered by the standby: ${replica.replicaReads}, by the primary: ${replica.primaryReads}`);
} finally {
  pair.remove();
}
