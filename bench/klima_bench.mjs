// The Klima-Dashboard with a city-sized fleet: `datenwerk simulate --scale S` registers about
// 53·S+1 simulated stations (10,000 at the default S=189) with a short back-fill so each has
// latest values; then the dashboard's pages and downloads are timed at the client over
// loopback, one request at a time, with their sizes. Also printed: how long the simulator's
// registration and back-fill took, and how long the server needs to build the dashboard's view
// of all stations (its log).
// Usage: DATENWERK_BIN=build/release/src/app/datenwerk node bench/klima_bench.mjs [scale=189] [requests=100]
import { spawnSync } from 'node:child_process';
import { startServer, BIN } from '../tests/support/server.mjs';

const SCALE = Number(process.argv[2] || 189);
const REQUESTS = Number(process.argv[3] || 100);
const server = await startServer({ extraArgs: ['--dashboard-refresh', '5'] });
try {
  let t0 = performance.now();
  const sim = spawnSync(BIN, ['simulate', '--url', server.base, '--key', server.keys.administrator, '--scale', String(SCALE),
    '--backfill-days', '0.02', '--connections', '4'], { encoding: 'utf8', maxBuffer: 64 << 20 });
  if (sim.status !== 0) throw new Error(sim.stderr + sim.stdout);
  const simSeconds = (performance.now() - t0) / 1000;
  const line = /simulate: (\d+) devices, (\d+) uplinks .* in ([\d.]+) s \((\d+) uplinks\/s\)/.exec(sim.stdout + sim.stderr);
  console.log(`simulator: ${line[1]} devices registered and ${line[2]} uplinks back-filled in ${simSeconds.toFixed(1)} s (back-fill alone ${line[3]} s, ${line[4]} uplinks/s)`);
  const devices = Number(line[1]);
  // Wait until the dashboard's view holds the whole fleet.
  t0 = performance.now();
  while (!new RegExp(`Klima-Dashboard: ${devices} Messstellen, Übersicht in (\\d+) ms`).test(server.output())) {
    if (performance.now() - t0 > 120000) throw new Error('the dashboard did not take up the fleet');
    await new Promise((r) => setTimeout(r, 200));
  }
  const build = new RegExp(`Klima-Dashboard: ${devices} Messstellen, Übersicht in (\\d+) ms`).exec(server.output())[1];
  console.log(`dashboard view of ${devices} stations built in ${build} ms (in the background)`);
  const stations = await (await fetch(`${server.base}/klima/sensoren.geojson`)).json();
  const station = stations.features[Math.floor(stations.features.length / 2)].id;
  const series = stations.features[Math.floor(stations.features.length / 2)].properties.messreihen[0].id;
  const stats = (xs) => { xs.sort((a, b) => a - b); return [xs[Math.floor(xs.length / 2)], xs[Math.min(xs.length - 1, Math.floor(xs.length * 0.99))]]; };
  console.log('page                                      p50 ms   p99 ms   size');
  for (const path of ['/klima', '/klima?art=Regenmesser&seite=5', `/klima/stationen/${station}`, `/klima/messreihen/${series}?zeitraum=24h`,
    '/klima/sensoren.geojson', '/klima/sensoren.csv']) {
    const times = [];
    let size = 0;
    for (let i = 0; i < REQUESTS; i++) {
      const s = performance.now();
      const body = await (await fetch(server.base + path)).arrayBuffer();
      times.push(performance.now() - s);
      size = body.byteLength;
    }
    const [p50, p99] = stats(times);
    console.log(`${path.padEnd(42)}${p50.toFixed(2).padStart(7)}${p99.toFixed(2).padStart(9)}   ${(size / 1024).toFixed(0)} KiB`);
  }
} finally {
  await server.stop();
}
