#!/usr/bin/env node
// npm run bench:slots -- [--assessors 60] [--bookings 6] [--runs 50]
// Times CPAA slot computation (the work behind GET /api/panels/me/slots and every booking check):
// N assessors spread over six IANA zones (weekday hours, date overrides, 20 % chairs, weekly caps)
// with existing bookings, four weeks ahead at 30-minute steps. Needs `npm run build` first.
import { createRequire } from 'node:module';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { arg, Latencies } from './lib.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(path.join(ROOT, 'api/package.json'));
const { computeSlots, panelFor } = require(path.join(ROOT, 'api/dist/api/src/modules/panels/slot-computation.js'));

const assessorCount = Number(arg('assessors', 60));
const bookingsEach = Number(arg('bookings', 6));
const runs = Number(arg('runs', 50));
const ZONES = ['Europe/Berlin', 'America/New_York', 'Asia/Tokyo', 'Australia/Sydney', 'UTC', 'Asia/Kolkata'];
const RULES = { durationMinutes: 90, bufferMinutes: 15, minNoticeHours: 48, horizonDays: 28, stepMinutes: 30 };

// A fixed pseudo-random sequence, so runs compare like with like.
let seed = 42;
const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
const now = Date.now();
const assessors = Array.from({ length: assessorCount }, (_, i) => {
  const startHour = 7 + Math.floor(random() * 4);
  const hours = (h) => `${String(h).padStart(2, '0')}:00`;
  const bookings = Array.from({ length: bookingsEach }, () => {
    const start = Math.floor((now + 2 * 86_400_000 + random() * 26 * 86_400_000) / 1_800_000) * 1_800_000;
    return { start, end: start + 90 * 60_000 };
  });
  const offDay = new Date(now + Math.floor(3 + random() * 20) * 86_400_000).toISOString().slice(0, 10);
  return {
    id: `assessor-${String(i).padStart(4, '0')}`,
    timeZone: ZONES[i % ZONES.length],
    isChair: random() < 0.2,
    weeklyCap: 3,
    weekly: [1, 2, 3, 4, 5].map((weekday) => ({ weekday, start: hours(startHour), end: hours(startHour + 8 + Math.floor(random() * 3)) })),
    overrides: [{ date: offDay, windows: [] }],
    bookings,
  };
});

const latencies = new Latencies();
// The first computation converts every assessor's wall times; later ones reuse the remembered instants.
const cold = performance.now();
let slots = computeSlots(assessors, now, RULES);
latencies.add('computeSlots, first (cold zone cache)', performance.now() - cold);
const started = performance.now();
for (let r = 0; r < runs; r++) {
  const t = performance.now();
  slots = computeSlots(assessors, now, RULES);
  latencies.add('computeSlots (4 weeks, all assessors)', performance.now() - t);
}
const elapsed = (performance.now() - started) / 1000;
for (let r = 0; r < runs * 20; r++) {
  const slot = slots[Math.floor(random() * slots.length)];
  if (!slot) break;
  const t = performance.now();
  panelFor(assessors, slot.start, now, RULES);
  latencies.add('panelFor (one slot, booking check)', performance.now() - t);
}
console.log(
  `${assessorCount} assessors in ${ZONES.length} zones, ${bookingsEach} bookings each; ${slots.length} bookable slots in the next 4 weeks`,
);
console.log(`${runs} full computations in ${elapsed.toFixed(2)} s: ${(runs / elapsed).toFixed(1)} slot lists/s`);
latencies.print('Slot computation latency');
