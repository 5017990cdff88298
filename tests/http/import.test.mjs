// The city's own open sensor data (../shared/realdata: a byte-for-byte slice of Bochum's
// published EcoWitt, TerraTransfer and TreeSense files) imported through the binary: what its
// README documents must come out, a second import must change nothing, and a folder with an
// unreadable row must import nothing and name the row.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync, appendFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BIN, spawnServer } from '../support/server.mjs';

const REALDATA = join(process.env.DATENWERK_SOURCE_DIR, '..', 'shared', 'realdata');
const f = (s) => encodeURIComponent(s);

function importSensors(dataDir, folder) {
  return spawnSync(BIN, ['--data-dir', dataDir, 'import-sensors', folder], { encoding: 'utf8' });
}

test('Bochum\'s open sensor data: stations, units, times, rain amounts, flags; a second import changes nothing', async () => {
  // Counting all 1.1 million Observations under the sanitizers takes longer than the default budget.
  const dataDir = mkdtempSync(join(tmpdir(), 'datenwerk-import-'));
  let server;
  try {
    const first = importSensors(dataDir, REALDATA);
    assert.equal(first.status, 0, first.stderr + first.stdout);
    server = await spawnServer(['--data-dir', dataDir, '--port', '0', '--read-budget-ms', '120000']);
    const get = async (path) => {
      const r = await fetch(`http://127.0.0.1:${server.port}/sta/v1.1${path}`);
      assert.equal(r.status, 200, path);
      return r.json();
    };
    const count = async (path) => (await get(`${path}${path.includes('?') ? '&' : '?'}$count=true&$top=0`))['@iot.count'];
    // 12 weather stations, 15 water loggers with data (900391 is listed without), 5 tree sensors.
    assert.equal(await count('/Things'), 32);
    assert.equal(await count(`/Things?$filter=${f("startswith(properties/importKey, 'ecowitt:')")}`), 12);
    assert.equal(await count(`/Things?$filter=${f("startswith(properties/importKey, 'terratransfer:')")}`), 15);
    assert.equal(await count(`/Things?$filter=${f("startswith(properties/importKey, 'treesense:')")}`), 5);
    const westpark = (await get(`/Things?$filter=${f("properties/importKey eq 'ecowitt:C4DD57CF66AB'")}&$expand=Locations,Datastreams($select=name,unitOfMeasurement,properties)`)).value[0];
    assert.equal(westpark.name, 'Wetterstation Westpark');
    assert.deepEqual(westpark.Locations[0].location.coordinates, [7.19535, 51.48431]);  // the city's README
    assert.equal(westpark.properties.lizenz, 'CC0-1.0');
    assert.equal(westpark.properties.art, 'Wetterstation');
    const temperature = westpark.Datastreams.find((d) => d.properties.spalte === 'outdoor_temperature');
    assert.deepEqual(temperature.unitOfMeasurement, { name: 'Grad Celsius', symbol: '°C', definition: 'ucum:Cel' });
    assert.ok(!westpark.Datastreams.some((d) => d.properties.spalte.startsWith('indoor_')), 'the gateway\'s own sensor is left out');

    // Rain: the 5-minute amounts of each station summed over a local day equal the day's
    // counter maximum that the README lists (min / median / max over the 12 stations).
    const rainStreams = (await get(`/Datastreams?$filter=${f("properties/spalte eq 'rainfall_piezo_daily'")}&$select=id&$top=100`)).value;
    assert.equal(rainStreams.length, 12);
    for (const [from, to, expected] of [['2024-04-19T22:00:00Z', '2024-04-20T22:00:00Z', [5.8, 8.3, 13.0]],
      ['2024-05-01T22:00:00Z', '2024-05-02T22:00:00Z', [4.8, 11.15, 15.5]]]) {
      const sums = [];
      for (const d of rainStreams) {
        const obs = await get(`/Datastreams(${d['@iot.id']})/Observations?$filter=${f(`phenomenonTime ge ${from} and phenomenonTime lt ${to}`)}&$select=result&$top=1000`);
        sums.push(Math.round(obs.value.reduce((s, o) => s + o.result, 0) * 100) / 100);
      }
      sums.sort((a, b) => a - b);
      assert.deepEqual([sums[0], Math.round((sums[5] + sums[6]) / 2 * 100) / 100, sums[11]], expected, `rain from ${from}: ${sums}`);
    }
    // Ruhrauenpark's daily counter fell to 0 one hour before midnight on 2024-04-20: no rain
    // counted, flagged; the file's 128-second times are back on the 5-minute grid.
    const fallBack = (await get(`/Observations?$filter=${f("resultQuality ne null and phenomenonTime eq 2024-04-20T21:00:00Z")}&$expand=Datastream($select=name)`)).value;
    assert.equal(fallBack.length, 1);
    assert.equal(fallBack[0].result, 0);
    assert.match(fallBack[0].resultQuality, /Zähler fiel von 7 auf 0/);
    assert.match(fallBack[0].Datastream.name, /Ruhrauenpark/);
    // TerraTransfer's naive times are UTC+1; the outliers of logger 900355 are kept and flagged.
    const stadtpark = (await get(`/Things?$filter=${f("properties/importKey eq 'terratransfer:900355'")}&$expand=Datastreams($select=id,properties)`)).value[0];
    const level = stadtpark.Datastreams.find((d) => d.properties.spalte === 'pegel');
    const firstLevel = (await get(`/Datastreams(${level['@iot.id']})/Observations?$orderby=phenomenonTime&$top=1`)).value[0];
    assert.deepEqual([firstLevel.phenomenonTime, firstLevel.result], ['2024-04-19T23:00:00.000Z', 88.168]);
    const oxygen = stadtpark.Datastreams.find((d) => d.properties.spalte === 'o');
    const outliers = await get(`/Datastreams(${oxygen['@iot.id']})/Observations?$filter=${f('result gt 300')}&$count=true&$top=1`);
    assert.ok(outliers['@iot.count'] > 0);
    assert.match(outliers.value[0].resultQuality, /unplausibel/);
    // TreeSense: German short dates read as UTC, the whole published series.
    const esche = (await get(`/Things?$filter=${f("properties/importKey eq 'treesense:A8404109918718E8'")}&$expand=Datastreams($filter=${f("properties/spalte eq 'resistance'")};$select=id)`)).value[0];
    const resistance = esche.Datastreams[0]['@iot.id'];
    assert.equal((await get(`/Datastreams(${resistance})/Observations?$orderby=phenomenonTime&$top=1`)).value[0].phenomenonTime, '2023-06-14T08:45:00.000Z');
    assert.equal(await count(`/Datastreams(${resistance})/Observations?$filter=${f('result eq 1000')}`), 86);  // the ceiling, as the README counts

    const before = { observations: await count('/Observations'), flagged: await count(`/Observations?$filter=${f('resultQuality ne null')}`), datastreams: await count('/Datastreams') };
    server.child.kill('SIGTERM');
    await new Promise((r) => server.child.once('exit', r));
    const second = importSensors(dataDir, REALDATA);
    assert.equal(second.status, 0, second.stderr);
    assert.match(second.stdout + second.stderr, /0 Things and 0 Datastreams new/);
    server = await spawnServer(['--data-dir', dataDir, '--port', '0', '--read-budget-ms', '120000']);
    const after = { observations: await count('/Observations'), flagged: await count(`/Observations?$filter=${f('resultQuality ne null')}`), datastreams: await count('/Datastreams') };
    assert.deepEqual(after, before);
  } finally {
    server?.child.kill('SIGTERM');
    rmSync(dataDir, { recursive: true, force: true });
  }
});

test('a folder with an unreadable row imports nothing and names file and line', () => {
  const work = mkdtempSync(join(tmpdir(), 'datenwerk-import-bad-'));
  try {
    const envi = join(work, 'data', 'ENVI');
    cpSync(join(REALDATA, 'data', 'ENVI', 'treesense'), join(envi, 'treesense'), { recursive: true });
    const file = join(envi, 'treesense', 'A840414AA18718B8', 'Bochum_TreeSense_2_Linde_A840414AA18718B8.csv');
    appendFileSync(file, '\r\n32.13.24 25:99;1;2;3;4');
    const dataDir = join(work, 'db');
    const run = importSensors(dataDir, work);
    assert.equal(run.status, 2, run.stderr);
    assert.match(run.stderr + run.stdout, /treesense\/A840414AA18718B8\/Bochum_TreeSense_2_Linde_A840414AA18718B8\.csv:\d+: time "32\.13\.24 25:99" cannot be read/);
    assert.match(run.stderr + run.stdout, /nothing imported/);
    const skipped = spawnSync(BIN, ['--data-dir', dataDir, 'import-sensors', '--skip-unreadable', work], { encoding: 'utf8' });
    assert.equal(skipped.status, 0, skipped.stderr);
    // Nothing was imported by the refused run: all five are new now.
    assert.match(skipped.stdout + skipped.stderr, /5 Things and \d+ Datastreams new/);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
});

test('replay ("Wiedergabe"): copies of the imported stations receive the recorded readings shifted to the present', async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'datenwerk-replay-'));
  let server;
  try {
    assert.equal(importSensors(dataDir, REALDATA).status, 0);
    server = await spawnServer(['--data-dir', dataDir, '--port', '0', '--replay', '--dashboard-refresh', '1']);
    const until = Date.now() + 60000;
    while (!server.output().includes('Wiedergabe:') && Date.now() < until) await new Promise((r) => setTimeout(r, 100));
    assert.match(server.output(), /Wiedergabe: 32 Stationen, 253 Messreihen/);
    const get = async (path) => (await fetch(`http://127.0.0.1:${server.port}/sta/v1.1${path}`)).json();
    assert.equal((await get('/Things?$count=true&$top=0'))['@iot.count'], 64);
    const copy = (await get(`/Things?$filter=${f("properties/importKey eq 'replay:ecowitt:C4DD57CF66AB'")}&$expand=Locations,Datastreams($select=id,properties)`)).value[0];
    assert.equal(copy.name, 'Wetterstation Westpark (Wiedergabe)');
    assert.equal(copy.properties.wiedergabe, true);
    assert.deepEqual(copy.Locations[0].location.coordinates, [7.19535, 51.48431]);
    const ds = copy.Datastreams.find((d) => d.properties.spalte === 'outdoor_temperature');
    const latest = (await get(`/Datastreams(${ds['@iot.id']})/Observations?$orderby=phenomenonTime desc&$top=1`)).value[0];
    const played = Date.parse(latest.phenomenonTime);
    assert.ok(played <= Date.now() && played > Date.now() - 15 * 60000, `the newest replayed reading is recent: ${latest.phenomenonTime}`);
    // It is the recorded reading of a whole number of 14-day cycles earlier.
    const period = 14 * 86400000;
    const source = ds.properties.quelleDatastream;
    const recordedLast = Date.parse((await get(`/Datastreams(${source})/Observations?$orderby=phenomenonTime desc&$top=1`)).value[0].phenomenonTime);
    let recorded = null;
    for (let k = Math.floor((played - recordedLast) / period); k <= Math.ceil((played - recordedLast) / period) + 1 && !recorded; k++) {
      const t = new Date(played - k * period).toISOString();
      recorded = (await get(`/Datastreams(${source})/Observations?$filter=${f(`phenomenonTime eq ${t}`)}`)).value[0];
    }
    assert.ok(recorded, 'a recorded reading matches');
    assert.equal(recorded.result, latest.result);
    // The originals are untouched, and the dashboard says what is replayed.
    assert.equal((await get(`/Datastreams(${source})/Observations?$filter=${f(`phenomenonTime gt ${new Date(recordedLast).toISOString()}`)}&$count=true&$top=0`))['@iot.count'], 0);
    let page = '';
    for (let i = 0; i < 50 && !page.includes('in Wiedergabe'); i++) {
      await new Promise((r) => setTimeout(r, 100));
      page = await (await fetch(`http://127.0.0.1:${server.port}/klima`)).text();
    }
    assert.match(page, /<strong>Wiedergabe:<\/strong>/);
    assert.match(page, /Wetterstation Westpark \(Wiedergabe\)<\/a> <span class="stage">Wiedergabe<\/span>/);
  } finally {
    server?.child.kill('SIGTERM');
    rmSync(dataDir, { recursive: true, force: true });
  }
});
