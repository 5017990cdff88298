// The synthetic sensor workload the ingest benchmarks share: D Things with one Datastream each,
// and CreateObservations bodies of one-minute readings (a random walk with 0.01 resolution, as
// sensors report them), G Datastreams x R rows per body, made as they are needed.

// Creates the Sensor, the ObservedProperty and D Things, each with a Location and a Datastream
// (ids 1..D), through `post(path, body)`.
export async function setupThings(post, D) {
  await post('/Sensors', { name: 's', description: 'd', encodingType: 'text/html', metadata: 'm' });
  await post('/ObservedProperties', { name: 'p', definition: 'd', description: 'd' });
  for (let i = 0; i < D; i++) {
    await post('/Things', { name: `Sensor ${i}`, description: 'd',
      Locations: [{ name: `Ort ${i}`, description: 'd', encodingType: 'application/geo+json', location: { type: 'Point', coordinates: [7 + i / D, 51.4] } }],
      Datastreams: [{ name: `DS ${i}`, description: 'd', unitOfMeasurement: { name: 'Grad', symbol: '°C', definition: 'ucum:Cel' }, observationType: 'OM_Measurement',
        Sensor: { '@iot.id': 1 }, ObservedProperty: { '@iot.id': 1 } }] });
  }
}

export const workloadStart = Date.parse('2024-01-01T00:00:00Z');

// CreateObservations bodies covering D Datastreams x MINUTES one-minute readings from `start`.
export function* createObservationsBodies(D, MINUTES, ROWS, GROUPS, start = workloadStart) {
  const times = Array.from({ length: MINUTES }, (_, m) => `"${new Date(start + m * 60000).toISOString()}"`);
  const level = new Float64Array(D + 1).fill(20);
  for (let m0 = 0; m0 < MINUTES; m0 += ROWS) {
    for (let d0 = 1; d0 <= D; d0 += GROUPS) {
      const groups = [];
      for (let d = d0; d < Math.min(D + 1, d0 + GROUPS); d++) {
        const rows = [];
        let v = level[d];
        for (let m = m0; m < Math.min(MINUTES, m0 + ROWS); m++) {
          v = Math.round((v + (Math.random() - 0.5) * 0.2) * 100) / 100;
          rows.push(`[${times[m]},${v}]`);
        }
        level[d] = v;
        groups.push(`{"Datastream":{"@iot.id":${d}},"components":["phenomenonTime","result"],"dataArray":[${rows.join(',')}]}`);
      }
      yield `[${groups.join(',')}]`;
    }
  }
}

// POST with an API key to a server under `base`; a 503 is tried again after a second, any other
// answer but 200/201 throws. Resolves to the answer's text.
export function poster(base, key) {
  const headers = { 'Content-Type': 'application/json', Authorization: `Bearer ${key}` };
  return async (path, body) => {
    for (;;) {
      const r = await fetch(base + path, { method: 'POST', headers, body: typeof body === 'string' ? body : JSON.stringify(body) });
      const text = await r.text();
      if (r.status === 503) { await new Promise((res) => setTimeout(res, 1000)); continue; }
      if (r.status !== 200 && r.status !== 201) throw new Error(`${path}: ${r.status} ${text.slice(0, 300)}`);
      return text;
    }
  };
}
