// Signed-in candidates for bench:exam's spike and paced modes (see exam.mjs), timed apart from what they measure:
// accounts through registration (the verification link read from the stored mail) or, with --bulk-accounts, made
// in one go by `users:bulk-create` on the instance's database; then one sign-in each with bounded concurrency.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { arg, Latencies, pool, request, sleep } from './lib.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(path.join(ROOT, 'api/package.json'));
// A token is refreshed this long before it expires, as the SPA does.
const REFRESH_MARGIN_MS = 60_000;

/** Candidate i (from 0) of this run; users:bulk-create numbers the same accounts from 1. */
export const benchPerson = (run, i) => ({
  email: `bench-${run}-${i + 1}@bench.test`,
  password: `bench password ${run}`,
  fullName: `Bench Candidate ${i + 1}`,
});

/** Verification tokens in the stored mail by recipient, for this run's addresses (the worker writes one .eml file per message). */
export async function verificationLinks(mailDir, run) {
  const links = new Map();
  const files = (await readdir(mailDir).catch(() => [])).filter((f) => f.endsWith('.eml'));
  for (const file of files) {
    const text = await readFile(path.join(mailDir, file), 'utf8').catch(() => '');
    const to = text.match(/^To: (bench-\S+?)\r?$/m)?.[1];
    const token = text.match(/\/verify-email\?token=([A-Za-z0-9_-]+)/)?.[1];
    if (to?.startsWith(`bench-${run}-`) && token) links.set(to.trim(), token);
  }
  return links;
}

/** Counts a failed call under "endpoint status". */
export function countError(errors, name, status) {
  const key = `${name} ${status}`;
  errors.set(key, (errors.get(key) ?? 0) + 1);
}

/** The database of the instance: --database-url, else the owner URL `npm start` wrote to DIR/runtime.json; null when neither. */
function databaseUrlOf(dataDir) {
  const explicit = arg('database-url', undefined);
  if (explicit) return explicit;
  try {
    const runtime = JSON.parse(readFileSync(path.join(dataDir, 'runtime.json'), 'utf8'));
    return runtime.DATABASE_OWNER_URL ?? runtime.DATABASE_URL ?? null;
  } catch {
    return null;
  }
}

/** `npm run users:bulk-create` on the instance's database (--database-url, else the `npm start` running on DIR). */
function bulkCreate(count, run, dataDir) {
  const databaseUrl = arg('database-url', undefined);
  const args = [
    path.join(ROOT, 'scripts/cli.mjs'),
    'users:bulk-create',
    '--count',
    String(count),
    '--email-pattern',
    `bench-${run}-{n}@bench.test`,
    '--name-pattern',
    'Bench Candidate {n}',
    '--password',
    benchPerson(run, 0).password,
  ];
  // DATA_DIR too with a database URL: the CLI reads the instance's development secrets there.
  const env = { ...process.env, DATA_DIR: dataDir, ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}) };
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { cwd: ROOT, env, stdio: ['ignore', 'inherit', 'inherit'] });
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`users:bulk-create failed (exit ${code})`))));
  });
}

/**
 * Waits until the outbox has no due work left (the bulk accounts' welcome mails), so the worker's catch-up does not
 * load the measured phase; gives up after 60 s without progress. Returns what it saw, for the set-up line.
 */
async function outboxDrained(dataDir) {
  const url = databaseUrlOf(dataDir);
  if (!url) return 'outbox not watched (no --database-url and no runtime.json in --data-dir)';
  const { Client } = require('pg');
  const db = new Client({ connectionString: url });
  await db.connect();
  try {
    const open = async () =>
      (await db.query(`SELECT count(*)::int AS n FROM outbox WHERE completed_at IS NULL AND failed_at IS NULL AND run_at <= now()`)).rows[0]
        .n;
    const t0 = performance.now();
    let last = await open();
    for (let idle = 0; last > 0 && idle < 60;) {
      await sleep(1000);
      const now = await open();
      idle = now < last ? 0 : idle + 1;
      last = now;
    }
    const seconds = ((performance.now() - t0) / 1000).toFixed(1);
    return last > 0 ? `${last} outbox jobs still open after ${seconds} s (is the worker running?)` : `outbox drained in ${seconds} s`;
  } finally {
    await db.end();
  }
}

/** Registers `count` candidates and confirms their addresses from the stored mail; failures are counted in `errors`. */
async function registerAccounts({ baseUrl, agent, count, concurrency, mailDir, run, latencies, errors }) {
  const call = async (name, method, url, options) => {
    const res = await request(agent, method, `${baseUrl}${url}`, options);
    latencies.add(name, res.ms);
    if (!res.ok) countError(errors, name, res.status);
    return res;
  };
  await pool(count, concurrency, (i) => call('POST /api/auth/register', 'POST', '/api/auth/register', { body: benchPerson(run, i) }));
  // The worker mails the links through the outbox: wait for them (at most a minute without progress).
  let links = new Map();
  for (let idle = 0, seen = 0; links.size < count && idle < 60;) {
    await sleep(1000);
    links = await verificationLinks(mailDir, run);
    idle = links.size > seen ? 0 : idle + 1;
    seen = links.size;
  }
  if (links.size < count) console.error(`only ${links.size} of ${count} verification mails arrived in ${mailDir} (is --mail-dir right?)`);
  await pool(count, concurrency, async (i) => {
    const token = links.get(benchPerson(run, i).email);
    if (!token) return countError(errors, 'verification mail', 'missing');
    await call('POST /api/auth/verify-email', 'POST', '/api/auth/verify-email', { body: { token } });
  });
}

/** The session of a sign-in or refresh answer: the access token, when to refresh it, and the refresh cookie. */
function sessionOf(res, previous) {
  const cookie = [res.headers['set-cookie'] ?? []].flat().find((c) => c.startsWith('psf_refresh='));
  const token = res.body.accessToken;
  const claims = JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString('utf8'));
  const lifetimeMs = (claims.exp - claims.iat) * 1000;
  return { token, refreshAt: Date.now() + lifetimeMs - REFRESH_MARGIN_MS, cookie: cookie?.split(';')[0] ?? previous?.cookie };
}

/**
 * Refreshes the session's access token when it is about to expire (a long paced run outlives it), in place.
 * False when the refresh failed (counted).
 */
export async function keepFresh(session, { baseUrl, agent, latencies, errors }) {
  if (Date.now() < session.refreshAt) return true;
  const name = 'POST /api/auth/refresh';
  const res = await request(agent, 'POST', `${baseUrl}/api/auth/refresh`, { cookie: session.cookie });
  latencies.add(name, res.ms);
  if (!res.ok) {
    countError(errors, name, res.status);
    return false;
  }
  Object.assign(session, sessionOf(res, session));
  return true;
}

/**
 * `count` signed-in candidates: sessions[i] is candidate i's session, or undefined when its set-up failed (counted
 * in `errors`). Prints the set-up's times: accounts, then sign-ins (an argon2 verify each on the server).
 */
export async function prepareCandidates({ baseUrl, agent, count, concurrency, mailDir, run }) {
  const latencies = new Latencies();
  const errors = new Map();
  const dataDir = path.resolve(arg('data-dir', path.dirname(mailDir)));
  const bulk = process.argv.includes('--bulk-accounts');
  const t0 = performance.now();
  let outbox = '';
  if (bulk) {
    await bulkCreate(count, run, dataDir);
    outbox = `; ${await outboxDrained(dataDir)}`;
  } else {
    await registerAccounts({ baseUrl, agent, count, concurrency, mailDir, run, latencies, errors });
  }
  const accountsSeconds = (performance.now() - t0) / 1000;

  const sessions = new Array(count);
  const t1 = performance.now();
  await pool(count, concurrency, async (i) => {
    const { email, password } = benchPerson(run, i);
    const name = 'POST /api/auth/login';
    const res = await request(agent, 'POST', `${baseUrl}/api/auth/login`, { body: { email, password } });
    latencies.add(name, res.ms);
    if (res.ok && res.body?.accessToken) sessions[i] = sessionOf(res);
    else countError(errors, name, res.status);
  });
  const signInSeconds = (performance.now() - t1) / 1000;
  latencies.print('Set-up');
  const signedIn = sessions.filter(Boolean).length;
  console.log(
    `set-up: ${count} accounts by ${bulk ? 'users:bulk-create' : 'registration'} in ${accountsSeconds.toFixed(1)} s${outbox}; ` +
      `${signedIn} signed in in ${signInSeconds.toFixed(1)} s (concurrency ${concurrency})`,
  );
  for (const [k, v] of errors) console.log(`  ${k}: ${v}`);
  return { sessions, errors, accountsSeconds, signInSeconds, setupSeconds: accountsSeconds + signInSeconds };
}
