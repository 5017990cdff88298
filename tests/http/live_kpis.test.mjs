// The KPIs Datenwerk computes from its own data, against the started binary with Bochum's
// imported open sensor data and the simulated fleet: the values match what the test counts
// itself through the SensorThings API, running again changes nothing, a value staff entered is
// never overwritten, and the KPI pages say "Automatisch ermittelt" with the method.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { startServer, BIN } from '../support/server.mjs';

const REALDATA = join(process.env.DATENWERK_SOURCE_DIR, '..', 'shared', 'realdata');
const f = (s) => encodeURIComponent(s);

test('live KPIs from the real data and the simulated fleet, monthly values, staff values kept', async () => {
  const server = await startServer({
    extraArgs: ['--containers-total', '24', '--read-budget-ms', '120000'],
    setup: (dataDir) => {
      const imported = spawnSync(BIN, ['--data-dir', dataDir, 'import-sensors', REALDATA], { encoding: 'utf8' });
      assert.equal(imported.status, 0, imported.stderr);
    },
  });
  try {
    const auth = (key) => ({ Authorization: `Bearer ${key}` });
    const get = async (path) => (await fetch(`${server.base}/sta/v1.1${path}`)).json();
    const compute = async (month) => {
      const r = await fetch(`${server.base}/api/v1/kpis-automatisch/berechnen${month ? `?monat=${month}` : ''}`,
        { method: 'POST', headers: auth(server.apiKey) });
      const body = await r.json();
      assert.equal(r.status, 200, JSON.stringify(body));
      return body;
    };
    const valueOf = (report, kpi) => report.written.find((w) => w.kpi === kpi)?.value;

    // A month of the real data: the one its Westpark weather station's newest reading falls in.
    const westpark = (await get(`/Things?$filter=${f("properties/importKey eq 'ecowitt:C4DD57CF66AB'")}&$expand=Datastreams($select=id,phenomenonTime;$top=1)`)).value[0];
    const end = westpark.Datastreams[0].phenomenonTime.split('/')[1];
    const month = end.slice(0, 7);
    const from = `${month}-01T00:00:00Z`;
    const next = new Date(Date.UTC(Number(month.slice(0, 4)), Number(month.slice(5, 7)), 1)).toISOString();
    // Counted here, through the API: stations with a reading in [from, to), by kind.
    const activeStations = async (from, to) => {
      const things = (await get('/Things?$select=id,properties&$expand=Datastreams($select=id)&$top=1000')).value;
      const counts = { climate: 0, containers: 0, projects: new Set() };
      for (const thing of things) {
        if (thing.properties?.wiedergabe) continue;
        for (const ds of thing.Datastreams) {
          const o = await get(`/Datastreams(${ds['@iot.id']})/Observations?$select=id&$top=1&$filter=${f(`phenomenonTime ge ${from} and phenomenonTime lt ${to}`)}`);
          if (!o.value.length) continue;
          ++counts[thing.properties?.art === 'Glascontainer' ? 'containers' : 'climate'];
          if (thing.properties?.devEui && thing.properties?.projekt) counts.projects.add(thing.properties.projekt);
          break;
        }
      }
      return counts;
    };
    const active = (await activeStations(from, next)).climate;
    assert.ok(active > 0, `real stations report in ${month}`);
    const past = await compute(month);
    assert.equal(past.date, new Date(Date.parse(next) - 86400000).toISOString().slice(0, 10));
    assert.equal(valueOf(past, 'SCBOK-NMU-KK-K1.2'), active);
    const coverage = valueOf(past, 'SCBOK-NMU-KK-K1.3');
    assert.ok(coverage > 0 && coverage < 100, `coverage ${coverage} %`);
    // The real stations are no LoRaWAN devices of the registry: the LoRaWAN KPIs are left alone.
    assert.equal(valueOf(past, 'SCBOK-ZI-NI-K5.2'), undefined);
    assert.ok(past.skipped.some((s) => s.kpi === 'SCBOK-ZI-NI-K5.1' && /LoRaWAN/.test(s.reason)));

    // The simulated fleet, six hours up to now, through the LoRaWAN webhooks.
    const sim = spawnSync(BIN, ['simulate', '--url', server.base, '--key', server.keys.administrator,
      '--backfill-days', '0.25', '--connections', '2', '--seed', '3'], { encoding: 'utf8' });
    assert.equal(sim.status, 0, sim.stderr + sim.stdout);
    const now = await compute();
    const thisMonth = new Date().toISOString().slice(0, 7);
    assert.equal(now.period, `${thisMonth.slice(5, 7)}/${thisMonth.slice(0, 4)}`);
    // Up to 42 simulated climate stations (23 soil, 12 rain, 6 air, 1 lake; the simulation has
    // outages) plus real ones reporting this month; 12 containers.
    const counted = await activeStations(`${thisMonth}-01T00:00:00Z`, new Date(Date.now() + 86400000).toISOString());
    assert.ok(counted.climate >= 35, `${counted.climate} active`);
    assert.equal(valueOf(now, 'SCBOK-NMU-KK-K1.2'), counted.climate);
    assert.equal(valueOf(now, 'SCBOK-NMU-ER-K-H3'), Math.round(counted.containers / 24 * 1000) / 10);
    // Four measures run on the fleet's LoRaWAN devices (all but a silent lake probe's, say).
    assert.ok(counted.projects.size >= 3);
    assert.equal(valueOf(now, 'SCBOK-ZI-NI-K5.2'), counted.projects.size);
    const lorawan = valueOf(now, 'SCBOK-ZI-NI-K5.1');
    assert.ok(lorawan > 0 && lorawan < 100, `LoRaWAN coverage ${lorawan} %`);
    assert.ok(valueOf(now, 'SCBOK-NMU-KK-K-H7') > 0);
    // Uplink records are kept 400 days (--uplink-retention-days): a month two years back gets no
    // LoRaWAN KPIs rather than a coverage of 0 % from records that are gone.
    const old = await compute(new Date(Date.now() - 730 * 86400000).toISOString().slice(0, 7));
    assert.equal(valueOf(old, 'SCBOK-ZI-NI-K5.1'), undefined);
    assert.ok(old.skipped.some((s) => s.kpi === 'SCBOK-ZI-NI-K5.1' && /400 Tage aufbewahrt/.test(s.reason)), JSON.stringify(old.skipped));

    // Once per KPI and month: computing again replaces the automatic values.
    const total = async (kpi) => (await (await fetch(`${server.base}/api/v1/kpis/${kpi}/values`)).json()).total;
    const before = await total('SCBOK-NMU-KK-K1.2');
    assert.ok(before >= 2, `${before} values`);  // the past month's and this month's
    await compute();
    assert.equal(await total('SCBOK-NMU-KK-K1.2'), before);

    // A value staff entered for the month is never overwritten.
    const staff = await fetch(`${server.base}/api/v1/kpis/SCBOK-ZI-NI-K5.2/values`, {
      method: 'POST', headers: { ...auth(server.apiKey), 'Content-Type': 'application/json' },
      body: JSON.stringify({ date: new Date().toISOString().slice(0, 10), period: now.period, value: 7, source: 'Amt für Digitalisierung' }) });
    assert.ok(staff.status === 201 || staff.status === 409, `staff value: ${staff.status} ${await staff.text()}`);
    const again = await compute();
    assert.ok(again.skipped.some((s) => s.kpi === 'SCBOK-ZI-NI-K5.2' && /Team/.test(s.reason)), JSON.stringify(again.skipped));

    // The portal: the method, and the value with its source.
    const page = await (await fetch(`${server.base}/indikatoren/SCBOK-NMU-KK-K1.3`)).text();
    assert.match(page, /Automatisch ermittelt/);
    assert.match(page, /höchstens 500 m von einer im Monat aktiven Messstelle/);
    assert.match(page, /Datenwerk \(automatisch\)/);
    const methods = await (await fetch(`${server.base}/api/v1/kpis-automatisch`)).json();
    assert.equal(methods.value.length, 6);
    // Hostile months.
    for (const bad of ['2026-13', '1e9', '9999-01', '']) {
      if (!bad) continue;
      const r = await fetch(`${server.base}/api/v1/kpis-automatisch/berechnen?monat=${bad}`, { method: 'POST', headers: auth(server.apiKey) });
      assert.equal(r.status, 400, bad);
      assert.equal((await r.json()).error.field, 'monat');
    }
    assert.equal((await fetch(`${server.base}/api/v1/kpis-automatisch/berechnen`, { method: 'POST' })).status, 401);
  } finally {
    await server.stop();
  }
});
