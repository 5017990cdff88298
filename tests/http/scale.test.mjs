// SensorThings at a city's scale: a year of one-minute readings in one Datastream (525,600
// Observations) and three more Datastreams with some history. Time windows, newest-first pages,
// $count under filters, result filters with $top, the same inside $expand and across
// Datastreams: exact answers, where a $filter over more than 200,000 Observations answered 501.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from '../support/server.mjs';

const START = Date.parse('2023-01-01T00:00:00Z');
const MINUTE = 60000;
const YEAR = 525600;
// A reading per minute: the minute of the day / 10 (0 … 143.9), so values are easy to predict.
const reading = (m) => (m % 1440) / 10;

test('a year of one-minute readings: windows, pages, counts and result filters are exact', async () => {
  // The reads below scan a year; under the sanitizers that takes longer than the default budget.
  const server = await startServer({ extraArgs: ['--body-limit', String(32 << 20), '--read-budget-ms', '120000'] });
  const h = { 'Content-Type': 'application/json', Authorization: `Bearer ${server.apiKey}` };
  const post = async (path, body) => {
    const r = await fetch(server.base + path, { method: 'POST', headers: h, body: typeof body === 'string' ? body : JSON.stringify(body) });
    assert.equal(r.status, 201, await r.text());
  };
  const get = async (path) => {
    const r = await fetch(server.base + '/sta/v1.1' + path);
    const text = await r.text();
    assert.equal(r.status, 200, `${path}: ${text.slice(0, 300)}`);
    return JSON.parse(text);
  };
  try {
    await post('/sta/v1.1/Things', { name: 'Station', description: 'd',
      Locations: [{ name: 'Westpark', description: 'd', encodingType: 'application/geo+json', location: { type: 'Point', coordinates: [7.2, 51.48] } }],
      Datastreams: ['Jahr', 'B', 'C', 'D'].map((n) => ({ name: n, description: 'd', unitOfMeasurement: { name: '%' }, observationType: 'OM_Measurement',
        Sensor: { name: 's', description: 'd', encodingType: 'text/html', metadata: 'm' }, ObservedProperty: { name: n, definition: 'd', description: 'd' } })) });
    for (let m0 = 0; m0 < YEAR; m0 += 50000) {
      const rows = [];
      for (let m = m0; m < Math.min(YEAR, m0 + 50000); m++) rows.push(`["${new Date(START + m * MINUTE).toISOString()}",${reading(m)}]`);
      await post('/sta/v1.1/CreateObservations', `[{"Datastream":{"@iot.id":1},"components":["phenomenonTime","result"],"dataArray":[${rows.join(',')}]}]`);
    }
    // Datastreams 2-4: one day each, hourly, on 2023-06-01.
    for (const ds of [2, 3, 4]) {
      const rows = Array.from({ length: 24 }, (_, i) => [new Date(Date.parse('2023-06-01T00:00:00Z') + i * 3600000).toISOString(), ds * 100 + i]);
      await post('/sta/v1.1/CreateObservations', [{ Datastream: { '@iot.id': ds }, components: ['phenomenonTime', 'result'], dataArray: rows }]);
    }
    const minuteOf = (iso) => (Date.parse(iso) - START) / MINUTE;
    const f = (s) => encodeURIComponent(s);

    // A one-hour window: 60 readings, in order, with the right values.
    const hour = await get(`/Datastreams(1)/Observations?$filter=${f('phenomenonTime ge 2023-06-01T00:00:00Z and phenomenonTime lt 2023-06-01T01:00:00Z')}&$count=true&$orderby=phenomenonTime`);
    assert.equal(hour['@iot.count'], 60);
    assert.equal(hour.value.length, 60);
    hour.value.forEach((o, i) => {
      assert.equal(minuteOf(o.phenomenonTime), minuteOf('2023-06-01T00:00:00Z') + i);
      assert.equal(o.result, reading(minuteOf(o.phenomenonTime)));
    });
    // Newest first from an open window.
    const newest = await get(`/Datastreams(1)/Observations?$filter=${f('phenomenonTime ge 2023-12-30T00:00:00Z')}&$orderby=${f('phenomenonTime desc')}&$top=5`);
    assert.deepEqual(newest.value.map((o) => minuteOf(o.phenomenonTime)), [YEAR - 1, YEAR - 2, YEAR - 3, YEAR - 4, YEAR - 5]);
    // $count under a time filter: all of January (44,640 minutes), and of the whole year.
    const january = await get(`/Datastreams(1)/Observations?$filter=${f('phenomenonTime lt 2023-02-01T00:00:00Z')}&$count=true&$top=1`);
    assert.equal(january['@iot.count'], 31 * 1440);
    const all = await get(`/Datastreams(1)/Observations?$filter=${f('phenomenonTime ge 2023-01-01T00:00:00Z')}&$count=true&$top=1`);
    assert.equal(all['@iot.count'], YEAR);
    // A result filter with $top: the first three readings above 143.85 are 23:59 on the first days.
    const high = await get(`/Datastreams(1)/Observations?$filter=${f('result gt 143.85')}&$top=3`);
    assert.deepEqual(high.value.map((o) => minuteOf(o.phenomenonTime)), [1439, 2879, 4319]);
    assert.ok(high['@iot.nextLink'], 'there are more');
    // …and counted over the whole year: one a day.
    const highCount = await get(`/Datastreams(1)/Observations?$filter=${f('result gt 143.85')}&$count=true&$top=1`);
    assert.equal(highCount['@iot.count'], 365);
    // Inside $expand.
    const expanded = await get(`/Datastreams(1)?$expand=${f('Observations($filter=phenomenonTime ge 2023-06-01T00:00:00Z and phenomenonTime lt 2023-06-01T00:10:00Z;$count=true)')}`);
    assert.equal(expanded['Observations@iot.count'], 10);
    assert.equal(expanded.Observations.length, 10);
    // Across Datastreams: on 2023-06-01 between 10:00 and 12:00 there are 120 + 3 x 2 readings.
    const across = await get(`/Observations?$filter=${f('phenomenonTime ge 2023-06-01T10:00:00Z and phenomenonTime lt 2023-06-01T12:00:00Z')}&$count=true&$orderby=phenomenonTime&$top=1000`);
    assert.equal(across['@iot.count'], 126);
    assert.equal(across.value.length, 126);
    assert.equal(across.value.filter((o) => o.result >= 200).length, 6);
    for (let i = 1; i < across.value.length; i++) {
      assert.ok(across.value[i - 1].phenomenonTime <= across.value[i].phenomenonTime, 'in time order');
    }
    // Bounds are exact for series points and documents alike: gt leaves out the first instant,
    // le keeps the last; eq is one instant.
    const bounded = await get(`/Datastreams(1)/Observations?$filter=${f('phenomenonTime gt 2023-06-01T00:00:00Z and phenomenonTime le 2023-06-01T01:00:00Z')}&$orderby=phenomenonTime&$count=true`);
    assert.equal(bounded['@iot.count'], 60);
    assert.equal(minuteOf(bounded.value[0].phenomenonTime), minuteOf('2023-06-01T00:01:00Z'));
    assert.equal(minuteOf(bounded.value[59].phenomenonTime), minuteOf('2023-06-01T01:00:00Z'));
    const one = await get(`/Datastreams(1)/Observations?$filter=${f('phenomenonTime eq 2023-06-01T00:30:00Z')}`);
    assert.deepEqual(one.value.map((o) => o.result), [reading(minuteOf('2023-06-01T00:30:00Z'))]);
    await post('/sta/v1.1/Datastreams(2)/Observations', { phenomenonTime: '2023-06-01T10:30:00Z', result: 7, resultQuality: 'geprüft' });
    const mixed = await get(`/Datastreams(2)/Observations?$filter=${f('phenomenonTime gt 2023-06-01T10:00:00Z and phenomenonTime le 2023-06-01T11:00:00Z')}&$orderby=phenomenonTime`);
    assert.deepEqual(mixed.value.map((o) => [o.phenomenonTime, o.result]), [['2023-06-01T10:30:00.000Z', 7], ['2023-06-01T11:00:00.000Z', 211]]);
    // A plain page deep into the year.
    const deep = await get(`/Datastreams(1)/Observations?$orderby=phenomenonTime&$skip=500000&$top=2`);
    assert.deepEqual(deep.value.map((o) => minuteOf(o.phenomenonTime)), [500000, 500001]);
  } finally {
    await server.stop();
  }
});

test('a read past its time budget answers 503 and the server goes on', async () => {
  const server = await startServer({ extraArgs: ['--body-limit', String(32 << 20), '--read-budget-ms', '10'] });
  try {
    const h = { 'Content-Type': 'application/json', Authorization: `Bearer ${server.apiKey}` };
    let r = await fetch(`${server.base}/sta/v1.1/Things`, { method: 'POST', headers: h, body: JSON.stringify({ name: 'S', description: 'd',
      Locations: [{ name: 'W', description: 'd', encodingType: 'application/geo+json', location: { type: 'Point', coordinates: [7.2, 51.48] } }],
      Datastreams: [{ name: 'D', description: 'd', unitOfMeasurement: { name: '%' }, observationType: 'OM_Measurement',
        Sensor: { name: 's', description: 'd', encodingType: 'text/html', metadata: 'm' }, ObservedProperty: { name: 'p', definition: 'd', description: 'd' } }] }) });
    assert.equal(r.status, 201);
    const rows = Array.from({ length: 200000 }, (_, m) => `["${new Date(START + m * MINUTE).toISOString()}",${reading(m)}]`);
    r = await fetch(`${server.base}/sta/v1.1/CreateObservations`, { method: 'POST', headers: h, body: `[{"Datastream":{"@iot.id":1},"components":["phenomenonTime","result"],"dataArray":[${rows.join(',')}]}]` });
    assert.equal(r.status, 201);
    r = await fetch(`${server.base}/sta/v1.1/Datastreams(1)/Observations?$filter=${encodeURIComponent('result gt 1000')}&$count=true`);
    const body = await r.json();
    assert.equal(r.status, 503, JSON.stringify(body));
    assert.equal(body.error.code, 'deadline_exceeded');
    assert.ok(r.headers.get('retry-after'));
    assert.equal((await fetch(`${server.base}/sta/v1.1/Datastreams(1)/Observations?$top=1`)).status, 200);
    assert.ok(server.alive());
  } finally {
    await server.stop();
  }
});
