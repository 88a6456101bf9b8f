#!/usr/bin/env node
// npm run bench:exam -- [--base-url http://localhost:3000] [--mail-dir .data/mail] [--candidates 500] [--concurrency 50] [--think-ms 0]
// N simulated candidates register, confirm their address from the stored mail and sign in (setup, timed
// apart), then each starts an AIDA attempt, answers 20 questions and submits. Prints attempts/s, answer
// saves/s, p50/p95/p99 per endpoint, errors. Run it against a throwaway instance that stores mail as files
// in --mail-dir and allows the registrations: it creates N accounts, e.g.
//   DATA_DIR=/tmp/psf-bench PORT=3300 DEMO_SEED=false REGISTER_MAX_PER_IP_PER_HOUR=100000 npm start
//   npm run bench:exam -- --base-url http://localhost:3300 --mail-dir /tmp/psf-bench/mail
//
// --mode saturate [--duration 10] [--database-url URL | --data-dir DIR]: after the same set-up every candidate
// starts an attempt, then --concurrency clients send answer saves back to back for --duration seconds (the
// saturating rate), then saves are paced at half that rate for --duration seconds (the latency at half load).
// In the same run a node-pg Pool of the same size does the same durable upsert (INSERT … ON CONFLICT DO
// UPDATE, synchronous_commit on) on a scratch table in the same database (--database-url, else the owner URL
// in DIR/runtime.json of the `npm start` instance; DIR defaults to the parent of --mail-dir). Prints one
// summary line: saves/s, p50/p95/p99, the ratio to the baseline, p99 at half rate, errors.
//
// --mode spike [--candidates 1000] [--rate 500] [--duration 10]: all N candidates press Start at once (starts/s,
// p50/p95/p99, errors), then rate × duration further candidates start at --rate per second (achieved rate, p99).
// --mode paced [--candidates 10000] [--ramp 60] [--save-every-ms 20000-40000] [--sockets 512]: candidates paced as
// real ones: each starts at a random moment of the ramp, saves an answer every MIN–MAX ms, submits after the 20th;
// prints start/save/submit p99, errors, achieved rates and what the client itself used (RSS, CPU, event-loop delay).
// Both sign every candidate in during set-up (timed apart). Accounts come through registration as above, or with
// --bulk-accounts from `users:bulk-create` on the instance's database (--database-url, else the `npm start` on
// --data-dir, by default the parent of --mail-dir), which then waits for the outbox to send their welcome mails.
import { randomUUID } from 'node:crypto';
import * as path from 'node:path';
import { arg, Latencies, pool } from './lib.mjs';
import { saturate } from './exam-saturate.mjs';
import { paced } from './exam-paced.mjs';
import { verificationLinks } from './exam-setup.mjs';
import { spike } from './exam-spike.mjs';

const baseUrl = arg('base-url', 'http://localhost:3000');
const candidates = Number(arg('candidates', 500));
const concurrency = Number(arg('concurrency', 50));
const thinkMs = Number(arg('think-ms', 0));
const mailDir = path.resolve(arg('mail-dir', '.data/mail'));
const mode = arg('mode', 'flow');
const run = randomUUID().slice(0, 8);
const MODES = { spike, paced };
if (mode !== 'flow' && mode !== 'saturate' && !MODES[mode]) {
  console.error(`--mode must be flow (the default), saturate, spike or paced, not ${mode}`);
  process.exit(2);
}

const latencies = new Latencies();
const errors = new Map();
const sleep = (ms) => (ms > 0 ? new Promise((r) => setTimeout(r, ms)) : Promise.resolve());

async function call(name, method, path, { token, body } = {}) {
  const started = performance.now();
  let res;
  try {
    res = await fetch(`${baseUrl}${path}`, {
      method,
      headers: { 'Content-Type': 'application/json', ...(token ? { Authorization: `Bearer ${token}` } : {}) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    latencies.add(name, performance.now() - started);
    if (!res.ok) throw new Error(`${res.status}`);
    return text ? JSON.parse(text) : undefined;
  } catch (error) {
    const key = `${name} ${error.message}`;
    errors.set(key, (errors.get(key) ?? 0) + 1);
    throw error;
  }
}

const health = await fetch(`${baseUrl}/api/health`)
  .then((r) => r.json())
  .catch(() => null);
if (health?.status !== 'ok') {
  console.error(`No healthy platform at ${baseUrl} (start one with npm start, or pass --base-url)`);
  process.exit(1);
}
if (MODES[mode]) {
  const failed = await MODES[mode]({ baseUrl, mailDir, concurrency, run }).catch((error) => {
    console.error(error.message);
    process.exit(2);
  });
  process.exit(failed ? 1 : 0);
}
if (mode === 'saturate') {
  console.log(`bench:exam --mode saturate against ${baseUrl}: ${candidates} candidates, concurrency ${concurrency}`);
} else {
  console.log(`bench:exam against ${baseUrl}: ${candidates} candidates, concurrency ${concurrency}, think time ${thinkMs} ms`);
}

const person = (i) => ({ email: `bench-${run}-${i}@example.org`, password: `bench password ${run}`, fullName: `Bench Candidate ${i}` });

const tokens = new Array(candidates);
const setupStart = performance.now();
await pool(candidates, concurrency, async (i) => {
  try {
    await call('POST /api/auth/register', 'POST', '/api/auth/register', { body: person(i) });
  } catch {
    // counted in errors
  }
});
// The worker mails the links through the outbox: wait for them (at most a minute without progress).
let links = new Map();
for (let idle = 0, seen = 0; links.size < candidates && idle < 60;) {
  await sleep(1000);
  links = await verificationLinks(mailDir, run);
  idle = links.size > seen ? 0 : idle + 1;
  seen = links.size;
}
if (links.size < candidates)
  console.error(`only ${links.size} of ${candidates} verification mails arrived in ${mailDir} (is --mail-dir right?)`);
await pool(candidates, concurrency, async (i) => {
  const { email, password } = person(i);
  try {
    const token = links.get(email);
    if (!token) throw new Error('no verification mail');
    await call('POST /api/auth/verify-email', 'POST', '/api/auth/verify-email', { body: { token } });
    tokens[i] = (await call('POST /api/auth/login', 'POST', '/api/auth/login', { body: { email, password } })).accessToken;
  } catch {
    // counted in errors
  }
});
const setupSeconds = (performance.now() - setupStart) / 1000;

if (mode === 'saturate') {
  const failed = await saturate({ baseUrl, mailDir, tokens, concurrency, setupSeconds, setupErrors: errors, run });
  process.exit(failed ? 1 : 0);
}

let attemptsDone = 0;
let saves = 0;
const examStart = performance.now();
await pool(candidates, concurrency, async (i) => {
  const token = tokens[i];
  if (!token) return;
  try {
    await call('GET /api/exams/aida', 'GET', '/api/exams/aida', { token });
    const attempt = await call('POST /api/exams/aida/attempts', 'POST', '/api/exams/aida/attempts', { token });
    let seq = 0;
    for (const q of attempt.questions) {
      await sleep(thinkMs);
      const option = q.options[Math.floor(Math.random() * q.options.length)];
      await call('PUT …/answers/:questionId', 'PUT', `/api/exams/aida/attempts/${attempt.id}/answers/${q.id}`, {
        token,
        body: { optionId: option.id, clientSeq: ++seq },
      });
      saves += 1;
    }
    await call('POST …/attempts/:id/submit', 'POST', `/api/exams/aida/attempts/${attempt.id}/submit`, { token });
    attemptsDone += 1;
  } catch {
    // counted in errors
  }
});
const examSeconds = (performance.now() - examStart) / 1000;

latencies.print('Latency per endpoint');
console.log(`\nsetup (register + verify + login): ${candidates} candidates in ${setupSeconds.toFixed(1)} s`);
console.log(`exam phase: ${attemptsDone} attempts completed in ${examSeconds.toFixed(1)} s`);
console.log(`  attempts/s:      ${(attemptsDone / examSeconds).toFixed(1)}`);
console.log(`  answer saves/s:  ${(saves / examSeconds).toFixed(1)}`);
const errorCount = [...errors.values()].reduce((a, b) => a + b, 0);
console.log(`errors: ${errorCount}`);
for (const [k, v] of errors) console.log(`  ${k}: ${v}`);
process.exit(errorCount ? 1 : 0);
