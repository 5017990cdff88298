// The open-data catalogue (/catalog) against the started binary with Bochum's open sensor data
// imported: every page in all three syntaxes parses to the same graph, and the whole catalogue
// passes GovData's DCAT-AP.de 3.0 shapes (SEMIC's DCAT-AP 3.0 plus GovData's German additions,
// deprecations and controlled vocabularies, vendored in tests/opendata) with zero violations.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { Parser as TurtleParser } from 'n3';
import jsonld from 'jsonld';
import { RdfXmlParser } from 'rdfxml-streaming-parser';
import { isomorphic } from 'rdf-isomorphic';
import rdf from '@zazuko/env-node';
import SHACLValidator from 'rdf-validate-shacl';
import { startServer, BIN } from '../support/server.mjs';

const SOURCE = process.env.DATENWERK_SOURCE_DIR;
const REALDATA = join(SOURCE, '..', 'shared', 'realdata');
const MATERIAL = join(SOURCE, 'tests', 'opendata');
const RDF_TYPE = 'http://www.w3.org/1999/02/22-rdf-syntax-ns#type';
const DCAT = 'http://www.w3.org/ns/dcat#';
const DCT = 'http://purl.org/dc/terms/';
const HYDRA = 'http://www.w3.org/ns/hydra/core#';

const parseTurtle = (text) => new TurtleParser({ format: 'text/turtle' }).parse(text);
const parseJsonLd = async (text) =>
  new TurtleParser({ format: 'application/n-quads' }).parse(
    await jsonld.toRDF(JSON.parse(text), { format: 'application/n-quads' }));
const parseRdfXml = (text) => new Promise((resolve, reject) => {
  const quads = [];
  const parser = new RdfXmlParser();
  parser.on('data', (q) => quads.push(q)).on('error', reject).on('end', () => resolve(quads));
  Readable.from([text]).pipe(parser);
});
const PARSERS = { ttl: parseTurtle, jsonld: parseJsonLd, rdf: parseRdfXml };
const TYPES = { ttl: 'text/turtle', jsonld: 'application/ld+json', rdf: 'application/rdf+xml' };

// A page without its Hydra node: the paging links name the syntax's own URL (/catalog.ttl?page=2),
// everything else is the same graph in every syntax.
const withoutPaging = (quads) => quads.filter((q) => !q.predicate.value.startsWith(HYDRA) &&
  !(q.predicate.value === RDF_TYPE && q.object.value.startsWith(HYDRA)));
const sameGraph = (a, b) => isomorphic(withoutPaging(a), withoutPaging(b));

async function parseFile(path) {
  const text = readFileSync(path, 'utf8');
  return path.endsWith('.rdf') ? parseRdfXml(text) : parseTurtle(text);
}

// Every page of /catalog.<ext>, following the Hydra nextPage links as a harvester does.
async function harvest(base, ext) {
  const pages = [];
  let url = `${base}/catalog.${ext}`;
  for (let guard = 0; url && guard < 1000; guard++) {
    const r = await fetch(url);
    const text = await r.text();
    assert.equal(r.status, 200, `${url}: ${text}`);
    assert.ok(r.headers.get('content-type').startsWith(TYPES[ext]), r.headers.get('content-type'));
    const quads = await PARSERS[ext](text);
    pages.push(quads);
    const next = quads.find((q) => q.predicate.value === `${HYDRA}nextPage`);
    url = next ? next.object.value : null;
  }
  return pages;
}

// GovData's shapes with the vocabularies its validator imports; every page of every syntax must
// have zero violations. Returns the validator for further checks and the count of warnings.
async function validateAll(bySyntax) {
  const shapes = rdf.dataset();
  for (const f of readdirSync(join(MATERIAL, 'shapes'))) for (const q of await parseFile(join(MATERIAL, 'shapes', f))) shapes.add(q);
  const vocabularies = [];
  for (const f of readdirSync(join(MATERIAL, 'vocabularies'))) vocabularies.push(...await parseFile(join(MATERIAL, 'vocabularies', f)));
  const validator = new SHACLValidator(shapes, { factory: rdf });
  let warnings = 0;
  for (const [ext, pages] of Object.entries(bySyntax)) {
    for (let page = 0; page < pages.length; page++) {
      const report = await validator.validate(rdf.dataset([...pages[page], ...vocabularies]));
      const violations = report.results.filter((r) => r.severity?.value === 'http://www.w3.org/ns/shacl#Violation');
      warnings += report.results.length - violations.length;
      assert.deepEqual(violations.map((v) => `${v.focusNode?.value} ${v.path?.value}: ${v.message.map((m) => m.value).join(' | ')}`), [],
        `page ${page + 1} (${ext}) violates DCAT-AP.de`);
    }
  }
  return { validator, vocabularies, warnings };
}

test('the catalogue in Turtle, JSON-LD and RDF/XML: one graph, valid DCAT-AP.de 3.0 with zero violations', async () => {
  const server = await startServer({
    setup: (dataDir) => {
      const imported = spawnSync(BIN, ['--data-dir', dataDir, 'import-sensors', REALDATA], { encoding: 'utf8' });
      assert.equal(imported.status, 0, imported.stderr);
    },
  });
  try {
    const base = server.base.replace('127.0.0.1', 'localhost');
    // Nothing of the city's own is published before it has a licence: only the sensor data (CC0).
    const before = parseTurtle(await (await fetch(`${server.base}/catalog.ttl`)).text());
    const titles = (quads) => quads.filter((q) => q.predicate.value === `${DCT}title`).map((q) => q.object.value);
    assert.ok(!titles(before).some((t) => t.startsWith('Smart-City-Strategie')), 'unlicensed data published');
    assert.ok(titles(before).some((t) => t.endsWith(': Messwerte')));
    const curate = (dataset, body, key = server.keys.administrator) => fetch(`${server.base}/api/v1/open-data/curations/${dataset}`,
      { method: 'PUT', headers: { Authorization: `Bearer ${key}`, 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
    assert.equal((await curate('standard', { license: 'http://dcat-ap.de/def/licenses/dl-by-de/2.0', attribution: 'Stadt Bochum' }, server.keys.editor)).status, 403);
    for (const [body, field] of [[{ license: 'http://example.org/meine-lizenz' }, 'license'], [{ title: 'a\u0007b' }, 'title'],
      [{ keywords: ['x', 7] }, 'keywords[1]'], [{ keywords: 'x' }, 'keywords'], [{ colour: 'blau' }, 'colour'], [{ description: 'x'.repeat(5000) }, 'description']]) {
      const r = await curate('standard', body);
      assert.equal(r.status, 400, JSON.stringify(body));
      assert.equal((await r.json()).error.field, field, JSON.stringify(body));
    }
    assert.equal((await curate('ÄÖÜ', { license: 'http://dcat-ap.de/def/licenses/cc-zero' })).status, 400);
    // An alert that fires, so that the alerts' dataset is in the catalogue too and validated.
    const editor = { Authorization: `Bearer ${server.apiKey}`, 'Content-Type': 'application/json' };
    let r = await fetch(`${server.base}/api/v1/alert-rules`, { method: 'POST', headers: editor,
      body: JSON.stringify({ name: 'Pegel hoch', kind: 'above', threshold: -1e9, scope: { datastream: 1 }, severity: 'warnung' }) });
    assert.equal(r.status, 201, await r.text());
    r = await fetch(`${server.base}/sta/v1.1/Observations`, { method: 'POST', headers: editor,
      body: JSON.stringify({ Datastream: { '@iot.id': 1 }, phenomenonTime: new Date().toISOString(), result: 1 }) });
    assert.equal(r.status, 201, await r.text());
    for (let i = 0; i < 100 && (await (await fetch(`${server.base}/daten/warnmeldungen.json`)).json()).alerts.length === 0; ++i) {
      await new Promise((done) => setTimeout(done, 100));
    }
    // A BürgerEcho report, so that the reports' dataset is in the catalogue too.
    r = await fetch(`${server.base}/open311/v2/requests.json`, { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ api_key: server.apiKey, service_code: 'papierkorb', lat: '51.4818', long: '7.2162', description: 'voll' }).toString() });
    assert.equal(r.status, 200, await r.text());
    const set = await curate('standard', { license: 'http://dcat-ap.de/def/licenses/dl-by-de/2.0', attribution: 'Stadt Bochum' });
    assert.equal(set.status, 200, await set.text());
    // A dataset's own title and licence win over the generated ones and the defaults.
    assert.equal((await curate('smart-city-kennzahlen', { title: 'Kennzahlen der Smart City Bochum', keywords: ['Kennzahlen', 'Monitoring'],
      license: 'http://dcat-ap.de/def/licenses/dl-zero-de/2.0' })).status, 200);
    const listed = await (await fetch(`${server.base}/api/v1/open-data/curations`, { headers: { Authorization: `Bearer ${server.keys.viewer}` } })).json();
    assert.deepEqual(listed.items.map((c) => c.dataset).sort(), ['smart-city-kennzahlen', 'standard']);
    const bySyntax = {};
    for (const ext of Object.keys(PARSERS)) bySyntax[ext] = await harvest(base, ext);
    assert.equal(bySyntax.ttl.length, bySyntax.jsonld.length);
    assert.equal(bySyntax.ttl.length, bySyntax.rdf.length);
    for (let page = 0; page < bySyntax.ttl.length; page++) {
      assert.ok(sameGraph(bySyntax.ttl[page], bySyntax.jsonld[page]), `page ${page + 1}: Turtle and JSON-LD differ`);
      assert.ok(sameGraph(bySyntax.ttl[page], bySyntax.rdf[page]), `page ${page + 1}: Turtle and RDF/XML differ`);
    }

    // What it lists: the strategy, the KPIs, each KPI with values, and one dataset per station
    // with one distribution per Datastream.
    const all = bySyntax.ttl.flat();
    const subjectsOf = (type) => all.filter((q) => q.predicate.value === RDF_TYPE && q.object.value === type)
      .map((q) => q.subject.value);
    const datasets = subjectsOf(`${DCAT}Dataset`);
    assert.equal(new Set(datasets).size, datasets.length, 'a dataset appears twice');
    const things = (await (await fetch(`${server.base}/sta/v1.1/Things?$count=true&$top=0`)).json())['@iot.count'];
    const streams = (await (await fetch(`${server.base}/sta/v1.1/Datastreams?$count=true&$top=0`)).json())['@iot.count'];
    assert.ok(things > 0 && streams > 0);
    const stations = datasets.filter((d) => d.includes('/daten/station-'));
    assert.equal(stations.length, things, 'one dataset per station');
    const streamDistributions = subjectsOf(`${DCAT}Distribution`).filter((d) => d.includes('#messreihe-'));
    assert.equal(streamDistributions.length, streams, 'one distribution per Datastream');
    assert.ok(datasets.some((d) => d.endsWith('/daten/smart-city-massnahmen')));
    assert.ok(datasets.some((d) => d.endsWith('/daten/smart-city-kennzahlen')));
    assert.ok(datasets.some((d) => d.includes('/daten/kennzahl-')));
    assert.ok(datasets.some((d) => d.endsWith('/daten/warnmeldungen')), 'the alerts are a dataset');
    assert.ok(datasets.some((d) => d.endsWith('/daten/buergerecho-meldungen')), 'the reports are a dataset');
    const kpis = all.filter((q) => q.subject.value.endsWith('/daten/smart-city-kennzahlen'));
    assert.ok(kpis.some((q) => q.predicate.value === `${DCT}title` && q.object.value === 'Kennzahlen der Smart City Bochum'));
    assert.equal(all.find((q) => q.subject.value.endsWith('/daten/smart-city-kennzahlen#csv') && q.predicate.value === `${DCT}license`).object.value,
      'http://dcat-ap.de/def/licenses/dl-zero-de/2.0');
    // Every distribution has a licence; the sensor data is CC0.
    for (const d of subjectsOf(`${DCAT}Distribution`)) {
      const licences = all.filter((q) => q.subject.value === d && q.predicate.value === `${DCT}license`);
      assert.equal(licences.length, 1, `${d} has ${licences.length} licences`);
      if (d.includes('#messreihe-')) assert.equal(licences[0].object.value, 'http://dcat-ap.de/def/licenses/cc-zero');
    }
    // The byte size of the files made from the catalogue is the size they download with.
    for (const [subject, path] of [['/daten/smart-city-massnahmen#csv', '/api/v1/downloads/measures.csv'],
      ['/daten/smart-city-kennzahlen#json', '/api/v1/downloads/kpis.json']]) {
      const size = all.find((q) => q.subject.value.endsWith(subject) && q.predicate.value === `${DCAT}byteSize`);
      assert.ok(size, `${subject} has dcat:byteSize`);
      const bytes = Buffer.from(await (await fetch(`${server.base}${path}`)).arrayBuffer()).length;
      assert.equal(Number(size.object.value), bytes, subject);
    }
    // The distributions' URLs answer.
    for (const path of ['/api/v1/downloads/measures.csv', '/api/v1/downloads/kpis.json']) {
      assert.equal((await fetch(`${server.base}${path}`)).status, 200, path);
    }
    const kpiCsv = all.find((q) => q.predicate.value === `${DCAT}downloadURL` && q.object.value.includes('/values.csv'));
    assert.ok(kpiCsv, 'a KPI series as CSV');
    const csv = await fetch(kpiCsv.object.value.replace('localhost', '127.0.0.1'));
    assert.equal(csv.status, 200);
    assert.match(await csv.text(), /^kpi_id,date,period,value,unit/);

    // GovData's shapes, every page in every syntax.
    const { validator, vocabularies, warnings } = await validateAll(bySyntax);
    // The validator does check: without licences the same page violates.
    const unlicensed = rdf.dataset([...bySyntax.ttl[0].filter((q) => q.predicate.value !== `${DCT}license`), ...vocabularies]);
    const broken = await validator.validate(unlicensed);
    assert.ok(broken.results.some((r) => r.severity?.value === 'http://www.w3.org/ns/shacl#Violation'),
      'removing the licences must violate the shapes');
    console.log(`catalogue: ${datasets.length} datasets on ${bySyntax.ttl.length} page(s), ${all.length} triples, ${warnings} warnings`);

    // A harvester that sends the page's ETag back gets 304 until the data changes.
    const page1 = await fetch(`${server.base}/catalog.ttl`);
    const etag = page1.headers.get('etag');
    assert.ok(etag);
    await page1.text();
    assert.equal((await fetch(`${server.base}/catalog.ttl`, { headers: { 'If-None-Match': etag } })).status, 304);
    assert.equal((await curate('smart-city-massnahmen', { title: 'Maßnahmen der Smart City Bochum' })).status, 200);
    const changed = await fetch(`${server.base}/catalog.ttl`, { headers: { 'If-None-Match': etag } });
    assert.equal(changed.status, 200);
    assert.notEqual(changed.headers.get('etag'), etag);
    assert.match(await changed.text(), /"Maßnahmen der Smart City Bochum"@de/);

    // Content negotiation on /catalog, and bad pages.
    for (const [accept, type] of [['application/ld+json', 'application/ld+json'], ['application/rdf+xml;q=0.9, text/turtle;q=0.5', 'application/rdf+xml'], ['text/html,*/*;q=0.8', 'text/turtle']]) {
      const r = await fetch(`${server.base}/catalog`, { headers: { Accept: accept } });
      assert.equal(r.status, 200);
      assert.ok(r.headers.get('content-type').startsWith(type), `${accept} -> ${r.headers.get('content-type')}`);
      assert.equal(r.headers.get('vary'), 'Accept');
    }
    for (const [query, status] of [['page=0', 400], ['page=abc', 400], ['page=-1', 400], ['page=99999999999999999999', 400], ['page=1000', 404]]) {
      const r = await fetch(`${server.base}/catalog.ttl?${query}`);
      assert.equal(r.status, status, query);
      assert.equal((await r.json()).error.field, 'page');
    }
  } finally {
    await server.stop();
  }
});

test('downloads of a station: every reading, CSV in two number formats, JSON, GeoJSON, gzip, ETag, restart by time', async () => {
  const server = await startServer({
    setup: (dataDir) => {
      const imported = spawnSync(BIN, ['--data-dir', dataDir, 'import-sensors', REALDATA], { encoding: 'utf8' });
      assert.equal(imported.status, 0, imported.stderr);
    },
  });
  try {
    const things = (await (await fetch(`${server.base}/sta/v1.1/Things?$select=id&$expand=Datastreams($select=id)&$top=3`)).json()).value;
    const thing = things.find((t) => t.Datastreams.length > 1);
    const stationUrl = `${server.base}/daten/station-${thing['@iot.id']}`;
    let expected = 0;
    for (const d of thing.Datastreams) {
      expected += (await (await fetch(`${server.base}/sta/v1.1/Datastreams(${d['@iot.id']})/Observations?$count=true&$top=0`)).json())['@iot.count'];
    }
    assert.ok(expected > 1000, `${expected} readings`);

    const csv = await fetch(`${stationUrl}.csv`, { headers: { 'Accept-Encoding': 'identity' } });
    assert.equal(csv.status, 200);
    assert.equal(csv.headers.get('transfer-encoding'), 'chunked');
    const etag = csv.headers.get('etag');
    assert.ok(etag && csv.headers.get('last-modified'));
    const lines = (await csv.text()).split('\r\n').filter((l) => l);
    assert.equal(lines[0], 'datastream_id,datastream,unit,phenomenon_time,result');
    assert.equal(lines.length - 1, expected, 'every reading once');
    const last = lines[lines.length - 1].split(',');
    assert.match(last[3], /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);

    // German numbers: semicolons and a decimal comma; the same rows.
    const german = (await (await fetch(`${stationUrl}.csv?numbers=de`)).text()).split('\r\n').filter((l) => l);
    assert.equal(german[0], 'Messreihe;Bezeichnung;Einheit;Zeitpunkt (UTC);Messwert');
    assert.equal(german.length, lines.length);
    const decimal = lines.findIndex((l, i) => i > 0 && l.split(',').pop().includes('.'));
    assert.ok(decimal > 0);
    assert.equal(german[decimal].split(';').pop(), lines[decimal].split(',').pop().replace('.', ','));

    // gzip when asked (fetch decompresses): the same bytes.
    const zipped = await fetch(`${stationUrl}.csv`, { headers: { 'Accept-Encoding': 'gzip' } });
    assert.equal(zipped.headers.get('content-encoding'), 'gzip');
    assert.equal((await zipped.text()).split('\r\n').filter((l) => l).length, lines.length);

    // Unchanged data: 304 for the same ETag.
    const again = await fetch(`${stationUrl}.csv`, { headers: { 'If-None-Match': etag } });
    assert.equal(again.status, 304);

    // Restarted after the time of a row: the rest, nothing twice.
    const one = thing.Datastreams[0]['@iot.id'];
    const ofOne = lines.slice(1).filter((l) => l.startsWith(`${one},`));
    const cut = ofOne[Math.floor(ofOne.length / 2)].split(',')[3];
    const rest = (await (await fetch(`${stationUrl}.csv?datastream=${one}&from=${encodeURIComponent(cut)}`)).text())
      .split('\r\n').filter((l) => l).slice(1);
    assert.equal(rest.length, ofOne.length - Math.floor(ofOne.length / 2));
    assert.equal(rest[0].split(',')[3], cut);

    // JSON and GeoJSON parse, with every reading.
    const j = await (await fetch(`${stationUrl}.json`)).json();
    assert.equal(j.observations.length, expected);
    assert.equal(j.datastreams.length, thing.Datastreams.length);
    const g = await (await fetch(`${stationUrl}.geojson?datastream=${one}`)).json();
    assert.equal(g.type, 'FeatureCollection');
    assert.equal(g.features.length, ofOne.length);
    assert.equal(g.features[0].geometry.type, 'Point');

    // Hostile parameters: 4xx with the field named, the server still serving.
    for (const [query, field] of [['numbers=xx', 'numbers'], ['from=yesterday', 'from'], ['datastream=1;2', 'datastream'],
      ['datastream=999999', 'datastream'], ['from=2024-05-02&to=2024-05-01', 'from'], ['numbers=de&x=%00', 'numbers']]) {
      const url = query.startsWith('numbers=de') ? `${stationUrl}.json?${query}` : `${stationUrl}.csv?${query}`;
      const r = await fetch(url);
      assert.equal(r.status, 400, query);
      assert.equal((await r.json()).error.field, field, query);
    }
    for (const path of ['/daten/station-0.csv', '/daten/station-99999999999999999999.csv', '/daten/station-1.exe', '/daten/station-.csv']) {
      assert.equal((await fetch(`${server.base}${path}`)).status, 404, path);
    }
    assert.equal((await fetch(`${server.base}/catalog.ttl`)).status, 200);
  } finally {
    await server.stop();
  }
});

test('a long catalogue in pages with Hydra links; hostile names survive all three syntaxes', async () => {
  const server = await startServer();
  try {
    const auth = { Authorization: `Bearer ${server.keys.administrator}`, 'Content-Type': 'application/json' };
    const hostile = 'Sonde "A" <b>&amp; \\ \n\r\t ü 💧 \u0001 ]]> --> \u2028';
    const count = 130;
    for (let i = 0; i < count; i++) {
      const r = await fetch(`${server.base}/sta/v1.1/Things`, {
        method: 'POST', headers: auth,
        body: JSON.stringify({
          name: i === 7 ? hostile : `Station ${i}`, description: i === 7 ? hostile : 'Pegel',
          Datastreams: [{ name: i === 7 ? hostile : 'Wasserstand', description: 'd', observationType: 'OM_Measurement',
            unitOfMeasurement: { name: 'Zentimeter', symbol: i === 7 ? hostile : 'cm' },
            Sensor: { name: 's', description: 'd', encodingType: 'text/html', metadata: 'm' },
            ObservedProperty: { name: 'p', definition: 'd', description: 'd' } }],
        }),
      });
      assert.equal(r.status, 201, await r.text());
    }
    const pages = {};
    for (const ext of Object.keys(PARSERS)) pages[ext] = await harvest(server.base, ext);
    assert.ok(pages.ttl.length >= 2, `${pages.ttl.length} pages`);
    for (let page = 0; page < pages.ttl.length; page++) {
      assert.ok(sameGraph(pages.ttl[page], pages.jsonld[page]), `page ${page + 1}: Turtle and JSON-LD differ`);
      assert.ok(sameGraph(pages.ttl[page], pages.rdf[page]), `page ${page + 1}: Turtle and RDF/XML differ`);
    }
    const all = pages.ttl.flat();
    const stations = new Set(all.filter((q) => q.predicate.value === RDF_TYPE && q.object.value === `${DCAT}Dataset`)
      .map((q) => q.subject.value).filter((d) => d.includes('/daten/station-')));
    assert.equal(stations.size, count, 'every station on exactly one of the pages');
    const total = all.find((q) => q.predicate.value === `${HYDRA}totalItems`);
    assert.ok(Number(total.object.value) >= count);
    // The hostile name arrives as written, but for the control character XML cannot carry.
    const title = all.find((q) => q.predicate.value === `${DCT}title` && q.object.value.startsWith('Sonde'));
    assert.equal(title.object.value, hostile.replace('\u0001', '') + ': Messwerte');
    assert.equal(title.object.language, 'de');
    await validateAll(pages);
  } finally {
    await server.stop();
  }
});
