// BürgerEcho's offline address search against the started binary: house coordinates in the
// nationwide HK-DE layout imported with `datenwerk import-addresses`, suggested to the form's
// script, and an address typed without a position filed at the house's position. The houses of
// the fixture stand where the real places of ../shared/geo/places.csv are (converted to
// ETRS89/UTM zone 32 with Debian's PROJ); their street, "Prüfweg", is made up.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer, BIN } from '../support/server.mjs';

const SOURCE = process.env.DATENWERK_SOURCE_DIR;
const places = readFileSync(join(SOURCE, '..', 'shared', 'geo', 'places.csv'), 'utf8').trim().split('\n').slice(1)
  .map((line) => line.match(/,(5\d\.\d+),(7\.\d+),/)).filter(Boolean).map((m) => [Number(m[1]), Number(m[2])]);

function hkLines(points) {
  const utm = execFileSync('cs2cs', ['+proj=longlat', '+ellps=GRS80', '+to', '+proj=utm', '+zone=32', '+ellps=GRS80', '-f', '%.3f'],
    { input: points.map(([lat, lon]) => `${lon} ${lat}`).join('\n') + '\n', encoding: 'utf8' }).trim().split('\n');
  return utm.map((row, i) => {
    const [east, north] = row.split(/\s+/);
    return ['A', `DENW${String(i).padStart(12, '0')}`, 'A', '05', '9', '11', '000', '0001', '01234', String(i + 1), '',
      east.replace('.', ','), north.replace('.', ','), 'Prüfweg', '44787', 'Bochum', '', ''].join(';');
  });
}

test('house coordinates are imported, suggested, and turn a typed address into a position', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'datenwerk-adressen-'));
  const file = join(dir, 'hauskoordinaten.txt');
  const houses = places.slice(0, 5);
  writeFileSync(file, hkLines(houses).join('\n') + '\n');
  const broken = join(dir, 'kaputt.txt');
  writeFileSync(broken, hkLines(houses.slice(0, 1)).join('\n') + '\nA;B;C\n');
  const server = await startServer({
    setup: (dataDir, db) => {
      // A broken file imports nothing and says where.
      const refused = spawnSync(BIN, ['--data-dir', dataDir, ...db, 'import-addresses', broken], { encoding: 'utf8' });
      assert.equal(refused.status, 2);
      assert.match(refused.stdout + refused.stderr, /line 2/);
      execFileSync(BIN, ['--data-dir', dataDir, ...db, 'import-addresses', file], { stdio: 'ignore' });
    },
  });
  try {
    let res = await fetch(`${server.base}/buergerecho/adressen.json?q=${encodeURIComponent('prüfweg')}`);
    assert.equal(res.status, 200);
    const all = await res.json();
    assert.equal(all.length, 5);
    assert.equal(all[0].label, 'Prüfweg 1, 44787 Bochum');
    assert.ok(Math.abs(all[0].lat - houses[0][0]) < 1e-6 && Math.abs(all[0].lon - houses[0][1]) < 1e-6, JSON.stringify(all[0]));
    assert.deepEqual(await (await fetch(`${server.base}/buergerecho/adressen.json?q=Pr`)).json(), []);
    assert.equal((await fetch(`${server.base}/buergerecho/adressen.json?q=${'x'.repeat(300)}`)).status, 400);

    // The form without a position: the typed address gives it, and with it the district's office.
    const body = new URLSearchParams({ kategorie: 'muell', beschreibung: 'Sperrmüll vor dem Haus', adresse: 'Prüfweg 3, Bochum',
      'merkmal-art': 'sperrmuell' }).toString();
    res = await fetch(`${server.base}/buergerecho/melden`, { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body });
    assert.equal(res.status, 201, (await res.text()).slice(0, 500));
    const [report] = await (await fetch(`${server.base}/open311/v2/requests.json`)).json();
    assert.ok(Math.abs(report.lat - houses[2][0]) < 1e-6 && Math.abs(report.long - houses[2][1]) < 1e-6, JSON.stringify(report));
    assert.equal(report.address, 'Prüfweg 3, Bochum');
    // An address the file does not know keeps the report without a position (the category's office).
    res = await fetch(`${server.base}/buergerecho/melden`, { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: body.replace('Pr%C3%BCfweg+3', 'Unbekannte+Gasse+9') });
    assert.equal(res.status, 201);
    assert.ok(server.alive());
  } finally {
    await server.stop();
  }
});
