// bench:exam --mode spike (see exam.mjs): N candidates press Start at the same moment (issue #16: 1,000 simultaneous
// starts with p99 ≤ 1 s), then fresh candidates start at a steady --rate for --duration seconds (≥ 500 starts/s
// sustained).
import * as http from 'node:http';
import * as path from 'node:path';
import { cpuMeter, cpuPer } from './cpu-meter.mjs';
import { arg, Latencies, percentiles, request, sleep } from './lib.mjs';
import { countError, prepareCandidates } from './exam-setup.mjs';

const START = 'POST /api/exams/aida/attempts';
const fixed = (v, digits = 1) => (Number.isFinite(v) ? v.toFixed(digits) : 'n/a');
const wholeAtLeast = (name, value, min) => {
  if (!Number.isInteger(value) || value < min) throw new Error(`--${name} must be a whole number ≥ ${min}`);
  return value;
};

/** Starts of `sessions` at a steady `rate` per second (open loop: a slow answer does not hold the next start back). */
async function sustained(sessions, rate, { baseUrl, agent, latencies, errors }) {
  const ms = [];
  const inFlight = [];
  const t0 = performance.now();
  let lastAnswer = t0;
  for (let sent = 0; sent < sessions.length;) {
    const due = Math.min(sessions.length, Math.floor(((performance.now() - t0) / 1000) * rate) + 1);
    for (; sent < due; sent++) {
      inFlight.push(
        request(agent, 'POST', `${baseUrl}/api/exams/aida/attempts`, { token: sessions[sent].token }).then((res) => {
          latencies.add(`${START} (sustained)`, res.ms);
          lastAnswer = performance.now();
          if (res.status === 201) ms.push(res.ms);
          else countError(errors, `${START} (sustained)`, res.status);
        }),
      );
    }
    await sleep(Math.max(1, Math.min(10, 1000 / rate)));
  }
  await Promise.all(inFlight);
  return { ...percentiles(ms), rate: ms.length / ((lastAnswer - t0) / 1000), seconds: (lastAnswer - t0) / 1000 };
}

/** The spike mode after the health check; true when something failed. */
export async function spike({ baseUrl, mailDir, concurrency, run }) {
  const candidates = wholeAtLeast('candidates', Number(arg('candidates', 1000)), 1);
  const rate = wholeAtLeast('rate', Number(arg('rate', 500)), 0);
  const seconds = Number(arg('duration', 10));
  if (!(seconds >= 0)) throw new Error('--duration must be a number of seconds ≥ 0');
  const sustainedCount = Math.ceil(rate * seconds);
  console.log(
    `bench:exam --mode spike against ${baseUrl}: ${candidates} simultaneous starts` +
      (sustainedCount ? `, then ${rate} starts/s for ${seconds} s (${sustainedCount} more candidates)` : ''),
  );
  // One connection per candidate, kept open as a browser keeps the one its exam page came over.
  const agent = new http.Agent({ keepAlive: true, maxSockets: Infinity, maxFreeSockets: candidates + sustainedCount });
  const setup = await prepareCandidates({ baseUrl, agent, count: candidates + sustainedCount, concurrency, mailDir, run });
  const latencies = new Latencies();
  const errors = new Map();
  const ready = setup.sessions.slice(0, candidates).filter(Boolean);
  if (!ready.length) {
    console.error('no candidate signed in: nothing to measure');
    return true;
  }

  // Everyone has the exam page open (its GET opened the connection), then all press Start at once.
  const pages = await Promise.all(ready.map((s) => request(agent, 'GET', `${baseUrl}/api/exams/aida`, { token: s.token })));
  for (const res of pages) if (!res.ok) countError(errors, 'GET /api/exams/aida', res.status);
  const cpu = await cpuMeter(baseUrl, path.resolve(arg('data-dir', path.dirname(mailDir))));
  const before = await cpu();
  const t0 = performance.now();
  const starts = await Promise.all(ready.map((s) => request(agent, 'POST', `${baseUrl}/api/exams/aida/attempts`, { token: s.token })));
  const burstSeconds = (performance.now() - t0) / 1000;
  const okMs = [];
  for (const res of starts) {
    latencies.add(START, res.ms);
    if (res.status === 201) okMs.push(res.ms);
    else countError(errors, START, res.status);
  }
  const burst = percentiles(okMs);
  const burstCpu = cpuPer(before, await cpu(), okMs.length);
  const spikeErrors = ready.length - okMs.length;

  let steady = null;
  const steadySessions = setup.sessions.slice(candidates).filter(Boolean);
  if (sustainedCount) steady = await sustained(steadySessions, rate, { baseUrl, agent, latencies, errors });
  agent.destroy();

  latencies.print('Latency per endpoint');
  for (const [k, v] of errors) console.log(`  ${k}: ${v}`);
  const steadyErrors = steady ? steadySessions.length - steady.n : 0;
  const errorCount = spikeErrors + steadyErrors + [...errors.entries()].filter(([k]) => k.startsWith('GET')).reduce((a, [, v]) => a + v, 0);
  console.log(
    `\nbench:exam spike: ${candidates} simultaneous starts: ${burst.n} in ${fixed(burstSeconds, 2)} s (${fixed(burst.n / burstSeconds)} starts/s), ` +
      `p50 ${fixed(burst.p50)} / p95 ${fixed(burst.p95)} / p99 ${fixed(burst.p99)} / max ${fixed(burst.max)} ms, errors ${spikeErrors}; ` +
      (steady
        ? `sustained ${rate}/s offered for ${seconds} s: ${fixed(steady.rate)} starts/s achieved, p50 ${fixed(steady.p50)} / p99 ${fixed(steady.p99)} ms, errors ${steadyErrors}; `
        : 'sustained: not run (--rate 0 or --duration 0); ') +
      `set-up ${fixed(setup.accountsSeconds)} s accounts + ${fixed(setup.signInSeconds)} s sign-ins, ${setup.errors.size ? [...setup.errors.values()].reduce((a, b) => a + b, 0) : 0} set-up errors ` +
      `(targets: p99 ≤ 1000 ms, ≥ 500 starts/s sustained); simultaneous starts' ${burstCpu.replace('per op', 'per start')}`,
  );
  return errorCount > 0 || setup.errors.size > 0;
}
