// Files N reports through Open311 (POST requests.json, form-encoded) with C in flight, and prints
// reports per second and the latency p50 / p99 in ms. Positions: the real places of
// ../shared/geo/places.csv (as given, not jittered) that lie inside the city: a place the server
// refuses as outside (the Kemnader See lies on the border) is dropped and the report filed again.
// With PHOTO, each report carries that file as a photo (multipart/form-data, field media).
// Usage: node bench/buergerecho_submit.mjs BASE KEY[,KEY…] N C PLACES_CSV [PHOTO]   (keys used in turn)
import { readFileSync } from 'node:fs';

const [base, keyList, n, concurrency, placesFile, photoFile] = process.argv.slice(2);
const photo = photoFile ? new Blob([readFileSync(photoFile)], { type: 'image/jpeg' }) : null;
const keys = keyList.split(',');
const places = readFileSync(placesFile, 'utf8').trim().split('\n').slice(1)
  .map((line) => line.match(/,(5\d\.\d+),(7\.\d+),/)).filter(Boolean).map((m) => [m[1], m[2]]);
const codes = ['strasse', 'gehweg', 'muell', 'papierkorb', 'gruen', 'spielplatz', 'sonstiges', 'idee'];
const latencies = [];
let next = 0;
async function worker() {
  for (;;) {
    const i = next++;
    if (i >= Number(n)) return;
    await file(i);
  }
}
async function file(i) {
  for (;;) {
    const [lat, lon] = places[i % places.length];
    const code = codes[i % codes.length];
    const fields = { api_key: keys[i % keys.length], service_code: code, lat, long: lon, description: `Meldung ${i}: ${'x'.repeat(200)}`,
      email: `person${i}@example.org`, ...(code === 'strasse' ? { 'attribute[gefahr]': 'nein' } : {}) };
    let body = new URLSearchParams(fields).toString();
    const headers = photo ? {} : { 'Content-Type': 'application/x-www-form-urlencoded' };
    if (photo) {
      body = new FormData();
      for (const [k, v] of Object.entries(fields)) body.append(k, v);
      body.append('media', photo, 'IMG_0001.jpg');
    }
    const t = performance.now();
    const r = await fetch(`${base}/open311/v2/requests.json`, { method: 'POST', headers, body });
    const answer = await r.text();
    if (r.status === 400 && answer.includes('outside the city')) {
      places.splice(i % places.length, 1);
      continue;
    }
    if (r.status !== 200) throw new Error(`status ${r.status}: ${answer.slice(0, 200)} for report ${i}`);
    latencies.push(performance.now() - t);
    return;
  }
}
const start = performance.now();
await Promise.all(Array.from({ length: Number(concurrency) }, worker));
const seconds = (performance.now() - start) / 1000;
latencies.sort((a, b) => a - b);
const q = (p) => latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))].toFixed(1);
console.log(`submit ${n} reports${photo ? ` with a photo of ${(photo.size / 1e6).toFixed(1)} MB each` : ''}, ${concurrency} in flight: ${(Number(n) / seconds).toFixed(0)} reports/s, p50 ${q(0.5)} ms, p99 ${q(0.99)} ms`);
