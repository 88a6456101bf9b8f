// bench:exam --mode saturate (see exam.mjs): how many answer saves the API sustains, against the database's
// own durable upsert measured in the same run, and the save latency at half that rate.
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import * as http from 'node:http';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { cpuMeter, cpuPer } from './cpu-meter.mjs';
import { arg, Latencies, pool } from './lib.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(path.join(ROOT, 'api/package.json'));

// The API allows 40 saves per attempt per 10 s (SaveRateLimiter): the clients keep under it with a margin for
// the time a request spends in flight, so a 429 means something else went wrong.
const LIMIT_SAVES = 38;
const LIMIT_WINDOW_MS = 10_500;

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const fixed = (v, digits = 1) => (Number.isFinite(v) ? v.toFixed(digits) : 'n/a');

/** The URL for the baseline's scratch schema: --database-url, else the owner URL `npm start` wrote to DATA_DIR/runtime.json. */
function baselineUrl(dataDir) {
  const explicit = arg('database-url', undefined);
  if (explicit) return explicit;
  try {
    const runtime = JSON.parse(readFileSync(path.join(dataDir, 'runtime.json'), 'utf8'));
    return runtime.DATABASE_OWNER_URL ?? runtime.DATABASE_URL;
  } catch {
    throw new Error(`no --database-url and no runtime.json in ${dataDir} (pass --data-dir of the npm start instance)`);
  }
}

/** A PUT over a keep-alive connection (node:http costs the client less CPU than fetch, and the client shares the cores). */
function putJson(agent, url, token, body, retried = false) {
  return new Promise((resolve) => {
    const payload = JSON.stringify(body);
    const req = http.request(
      url,
      {
        method: 'PUT',
        agent,
        headers: { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(payload), Authorization: `Bearer ${token}` },
      },
      (res) => {
        res.resume();
        res.on('end', () => resolve(String(res.statusCode)));
        res.on('error', () => resolve('aborted'));
      },
    );
    // A kept-alive connection the server closed as it was reused: send again once (a save is idempotent).
    req.on('error', (error) =>
      resolve(error.code === 'ECONNRESET' && !retried ? putJson(agent, url, token, body, true) : (error.code ?? 'error')),
    );
    req.end(payload);
  });
}

/** Hands out the next save: attempts in turn, each attempt's questions in turn, clientSeq rising per attempt, within the rate limit. */
class SaveSource {
  constructor(sittings) {
    this.sittings = sittings.map((s) => ({ ...s, seq: 0, sent: [] }));
    this.cursor = 0;
    this.limitedMs = 0;
  }

  async next() {
    for (;;) {
      const now = performance.now();
      let soonest = Infinity;
      for (let tried = 0; tried < this.sittings.length; tried++) {
        const s = this.sittings[this.cursor];
        this.cursor = (this.cursor + 1) % this.sittings.length;
        while (s.sent.length && now - s.sent[0] >= LIMIT_WINDOW_MS) s.sent.shift();
        if (s.sent.length >= LIMIT_SAVES) {
          soonest = Math.min(soonest, s.sent[0] + LIMIT_WINDOW_MS);
          continue;
        }
        s.sent.push(now);
        s.seq += 1;
        const question = s.attempt.questions[s.seq % s.attempt.questions.length];
        const option = question.options[Math.floor(Math.random() * question.options.length)];
        return {
          token: s.token,
          path: `/api/exams/aida/attempts/${s.attempt.id}/answers/${question.id}`,
          body: { optionId: option.id, clientSeq: s.seq },
        };
      }
      const wait = Math.max(1, soonest - now);
      this.limitedMs += wait;
      await sleep(wait);
    }
  }
}

function percentiles(values) {
  const sorted = Float64Array.from(values).sort();
  const p = (q) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] : NaN);
  return { n: sorted.length, p50: p(0.5), p95: p(0.95), p99: p(0.99), max: sorted.length ? sorted[sorted.length - 1] : NaN };
}

/** `concurrency` loops doing `task` back to back for `seconds`; returns completions/s and the latencies of the successes. */
async function closedLoop(concurrency, seconds, task) {
  const latencies = [];
  const statuses = new Map();
  const end = performance.now() + seconds * 1000;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (performance.now() < end) {
        const t0 = performance.now();
        const status = await task();
        if (status === 'ok') latencies.push(performance.now() - t0);
        else statuses.set(status, (statuses.get(status) ?? 0) + 1);
      }
    }),
  );
  const elapsed = (performance.now() - started) / 1000;
  return { rate: latencies.length / elapsed, ...percentiles(latencies), statuses, done: latencies.length };
}

/** Starts `task` at a steady `rate` per second for `seconds` (open loop: a slow answer does not slow the arrivals). */
async function paced(rate, seconds, task) {
  const latencies = [];
  const statuses = new Map();
  const inFlight = new Set();
  const started = performance.now();
  const total = Math.floor(rate * seconds);
  for (let sent = 0; sent < total;) {
    const due = Math.min(total, Math.floor(((performance.now() - started) / 1000) * rate) + 1);
    for (; sent < due; sent++) {
      const t0 = performance.now();
      const p = task().then((status) => {
        if (status === 'ok') latencies.push(performance.now() - t0);
        else statuses.set(status, (statuses.get(status) ?? 0) + 1);
        inFlight.delete(p);
      });
      inFlight.add(p);
    }
    await sleep(Math.max(1, 1000 / rate));
  }
  await Promise.all(inFlight);
  return { rate: latencies.length / ((performance.now() - started) / 1000), ...percentiles(latencies), statuses, done: latencies.length };
}

/** The database's own durable upsert of an answer, on a scratch copy of attempt_answers, through a node-pg Pool. */
async function baseline(databaseUrl, run, sittings, concurrency, seconds, cpu) {
  const { Pool } = require('pg');
  const db = new Pool({ connectionString: databaseUrl, max: concurrency, options: '-c synchronous_commit=on' });
  const schema = `bench_saves_${run.replace(/[^a-z0-9]/gi, '')}`;
  try {
    await db.query(`CREATE SCHEMA ${schema}`);
    await db.query(`
      CREATE TABLE ${schema}.answers (
        question_id uuid PRIMARY KEY,
        attempt_id uuid NOT NULL,
        option_id uuid,
        flagged boolean NOT NULL DEFAULT false,
        client_seq bigint,
        saved_at timestamptz NOT NULL DEFAULT now()
      )`);
    await db.query(`CREATE INDEX ON ${schema}.answers (attempt_id)`);
    const upsert = `
      INSERT INTO ${schema}.answers AS a (question_id, attempt_id, option_id, client_seq) VALUES ($1, $2, $3, $4)
      ON CONFLICT (question_id) DO UPDATE SET option_id = EXCLUDED.option_id, client_seq = EXCLUDED.client_seq, saved_at = now()
      WHERE a.client_seq IS NULL OR a.client_seq <= EXCLUDED.client_seq
      RETURNING question_id, option_id, flagged, saved_at`;
    // The same keys in the same turn as the API phase (real attempt and question ids), without the rate limit.
    const seqs = sittings.map(() => 0);
    let cursor = 0;
    const next = () => {
      const i = cursor;
      cursor = (cursor + 1) % sittings.length;
      const seq = ++seqs[i];
      const { attempt } = sittings[i];
      const question = attempt.questions[seq % attempt.questions.length];
      return [question.id, attempt.id, question.options[Math.floor(Math.random() * question.options.length)].id, seq];
    };
    await Promise.all(Array.from({ length: concurrency }, () => db.query('SELECT 1')));
    // CPU is sampled while the pool's backends live: an ended backend's CPU is no longer in /proc.
    const before = await cpu();
    const result = await closedLoop(concurrency, seconds, () =>
      db.query(upsert, next()).then(
        () => 'ok',
        (error) => `pg ${error.code ?? error.message}`,
      ),
    );
    return { ...result, cpu: cpuPer(before, await cpu(), result.done) };
  } finally {
    await db.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`).catch(() => undefined);
    await db.end();
  }
}

const describeStatuses = (statuses) => [...statuses].map(([status, n]) => `${status}×${n}`).join(', ');
const countOf = (statuses) => [...statuses.values()].reduce((a, b) => a + b, 0);

/**
 * The saturate mode, after the shared set-up (`tokens[i]`: a signed-in, verified candidate): starts one attempt
 * each, measures the baseline, the API's saturating rate and its latency at half that rate. True when it failed.
 */
export async function saturate({ baseUrl, mailDir, tokens, concurrency, setupSeconds, setupErrors, run }) {
  const seconds = Number(arg('duration', 10));
  const dataDir = path.resolve(arg('data-dir', path.dirname(mailDir)));
  const databaseUrl = baselineUrl(dataDir);
  const cpu = await cpuMeter(baseUrl, dataDir);
  const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency * 4 });
  const setupLatencies = new Latencies();

  const sittings = [];
  await pool(tokens.length, concurrency, async (i) => {
    if (!tokens[i]) return;
    const t0 = performance.now();
    const res = await fetch(`${baseUrl}/api/exams/aida/attempts`, { method: 'POST', headers: { Authorization: `Bearer ${tokens[i]}` } });
    setupLatencies.add('POST /api/exams/aida/attempts', performance.now() - t0);
    if (res.status !== 201) {
      const key = `POST /api/exams/aida/attempts ${res.status}`;
      setupErrors.set(key, (setupErrors.get(key) ?? 0) + 1);
      await res.body?.cancel();
      return;
    }
    sittings.push({ token: tokens[i], attempt: await res.json() });
  });
  setupLatencies.print('Set-up');
  const setupErrorCount = countOf(setupErrors);
  console.log(
    `\nset-up: ${tokens.filter(Boolean).length} candidates signed in in ${setupSeconds.toFixed(1)} s, ${sittings.length} attempts started`,
  );
  for (const [k, v] of setupErrors) console.log(`  ${k}: ${v}`);
  if (!sittings.length) {
    console.error('no attempt started: nothing to measure');
    return true;
  }

  const base = await baseline(databaseUrl, run, sittings, concurrency, seconds, cpu);
  console.log(
    `baseline (node-pg upsert, ${concurrency} connections, ${seconds} s): ${fixed(base.rate)}/s, ` +
      `p50 ${fixed(base.p50)} / p95 ${fixed(base.p95)} / p99 ${fixed(base.p99)} ms${base.statuses.size ? `; errors ${describeStatuses(base.statuses)}` : ''}`,
  );
  console.log(`  ${base.cpu}`);

  const source = new SaveSource(sittings);
  const save = async () => {
    const s = await source.next();
    const status = await putJson(agent, `${baseUrl}${s.path}`, s.token, s.body);
    return status === '200' ? 'ok' : status;
  };
  // A short warm-up so that the API's pool, JIT and the session check start from the state they run in.
  await closedLoop(concurrency, Math.min(2, seconds), save);
  source.limitedMs = 0;
  const before = await cpu();
  const full = await closedLoop(concurrency, seconds, save);
  const fullCpu = cpuPer(before, await cpu(), full.done);
  const cappedByLimit = source.limitedMs > 0;
  console.log(
    `API saturated (${concurrency} clients, ${seconds} s): ${fixed(full.rate)} saves/s, p50 ${fixed(full.p50)} / p95 ${fixed(full.p95)} / ` +
      `p99 ${fixed(full.p99)} ms${full.statuses.size ? `; errors ${describeStatuses(full.statuses)}` : ''}`,
  );
  console.log(`  ${fullCpu}`);
  if (cappedByLimit) {
    console.log(
      `  (capped by the per-attempt save limit: ${sittings.length} attempts allow about ${Math.floor((sittings.length * LIMIT_SAVES * 1000) / LIMIT_WINDOW_MS)} saves/s; use more --candidates)`,
    );
  }

  const half = await paced(full.rate / 2, seconds, save);
  console.log(
    `API at half rate (${fixed(full.rate / 2)}/s offered, ${seconds} s): ${fixed(half.rate)} saves/s, p50 ${fixed(half.p50)} / ` +
      `p95 ${fixed(half.p95)} / p99 ${fixed(half.p99)} ms${half.statuses.size ? `; errors ${describeStatuses(half.statuses)}` : ''}`,
  );
  agent.destroy();

  const errors = countOf(full.statuses) + countOf(half.statuses) + countOf(base.statuses) + setupErrorCount;
  console.log(
    `\nbench:exam saturate: ${fixed(full.rate)} saves/s p50 ${fixed(full.p50)} p95 ${fixed(full.p95)} p99 ${fixed(full.p99)} ms; ` +
      `baseline ${fixed(base.rate)}/s; ratio ${fixed(full.rate / base.rate, 2)}; p99 at half rate ${fixed(half.p99)} ms; ` +
      `errors ${errors}${cappedByLimit ? '; capped by the save limit' : ''}; saturated ${fullCpu}`,
  );
  return errors > 0;
}
