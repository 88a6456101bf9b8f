#!/usr/bin/env node
// npm run bench:lists -- --database-url URL [--base-url http://localhost:3000] [--accounts 100000] [--attempts 100000]
//   [--data-dir DIR] [--requests 200] [--warmup 20] [--concurrency 1]
// Latency of the administrators' list endpoints (issue #18: "under 100 ms p95 with 100,000 accounts and 100,000
// attempts seeded"). Seeds, straight into the instance's database with SQL (a bench, not a test: registering
// 100,000 people through the API would take hours and mail each of them), --accounts candidates
// (bench-list-N@lists.bench.invalid, names drawn from a fixed list, joined over the past year; they cannot sign in)
// and --attempts scored AIDA attempts spread over the same year, unless the rows are there from an earlier run;
// then ANALYZE. Makes an administrator with `user:create` (TOTP) and signs in, then for each list query below sends
// --warmup unmeasured requests and --requests measured ones (--concurrency at a time) and prints p50/p95/p99/max in ms
// and any non-2xx. The list reads are audited, so every request also appends to the audit log, as in production.
// Against a throwaway instance, e.g.
//   DATA_DIR=/tmp/psf-benchlists PORT=3320 npm start        (prints its DATABASE_URL in .data/runtime.json)
//   npm run bench:lists -- --base-url http://localhost:3320 --data-dir /tmp/psf-benchlists --database-url postgres://…
// (--data-dir, default $DATA_DIR or .data: the instance's, whose keys seal the bench administrator's TOTP secret).
import { spawnSync } from 'node:child_process';
import { createHmac, randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import http from 'node:http';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { arg, percentiles, pool, request } from './lib.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(path.join(ROOT, 'api/package.json'));
const DOMAIN = 'lists.bench.invalid';

const baseUrl = arg('base-url', 'http://localhost:3000').replace(/\/$/, '');
const databaseUrl = arg('database-url', process.env.DATABASE_URL);
// user:create seals the TOTP secret with the instance's keys (its DATA_DIR's secrets.json).
const dataDir = arg('data-dir', process.env.DATA_DIR ?? path.join(ROOT, '.data'));
const accounts = Number(arg('accounts', 100_000));
const attempts = Number(arg('attempts', 100_000));
const requests = Number(arg('requests', 200));
const warmup = Number(arg('warmup', 20));
const concurrency = Number(arg('concurrency', 1));
if (!databaseUrl) {
  console.error('--database-url (or DATABASE_URL) is needed: the bench seeds the instance database');
  process.exit(2);
}

// user:create seals and audits with DATA_DIR's keys: another instance's folder would leave an administrator who
// cannot sign in and an audit row hashed under the wrong key (a broken chain). Refuse a folder whose running
// instance uses another database.
const where = (url) => {
  const u = new URL(url);
  return `${u.hostname}:${u.port || 5432}${u.pathname}`;
};
const runtimeFile = path.join(dataDir, 'runtime.json');
if (existsSync(runtimeFile)) {
  const runtime = JSON.parse(readFileSync(runtimeFile, 'utf8'));
  const theirs = [runtime.DATABASE_URL, runtime.DATABASE_OWNER_URL].filter(Boolean).map(where);
  if (theirs.length > 0 && !theirs.includes(where(databaseUrl))) {
    console.error(
      `--data-dir ${dataDir} is the folder of an instance on ${theirs[0]}, not ${where(databaseUrl)}: give the folder of the instance the bench seeds`,
    );
    process.exit(2);
  }
}

const { Client } = require('pg');
const db = new Client({ connectionString: databaseUrl });
await db.connect();
try {
  await seed();
  const token = await adminToken();
  const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });
  const day = (offset) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);
  const lastPage = (n) => Math.max(1, Math.floor(n / 25));
  const queries = [
    ['people: newest first', '/api/admin/users?pageSize=25'],
    ['people: search "smith"', '/api/admin/users?pageSize=25&query=smith'],
    ['people: search by address', `/api/admin/users?pageSize=25&query=bench-list-4242@`],
    ['people: by name, a deep page', `/api/admin/users?pageSize=25&sort=fullName&page=${lastPage(accounts / 2)}`],
    ['people: candidates joined in 30 days', `/api/admin/users?pageSize=25&role=candidate&createdFrom=${day(-30)}&createdTo=${day(0)}`],
    ['people: CSV, one search', '/api/admin/users/export.csv?query=ada%20smith'],
    ['attempts: latest first', '/api/admin/exams/aida/attempts?pageSize=25'],
    ['attempts: passed in 30 days', `/api/admin/exams/aida/attempts?pageSize=25&result=passed&from=${day(-30)}&to=${day(0)}`],
    ['attempts: search a candidate', '/api/admin/exams/aida/attempts?pageSize=25&query=grace%20jones'],
    ['attempts: by score, a deep page', `/api/admin/exams/aida/attempts?pageSize=25&sort=scorePercent&page=${lastPage(attempts / 2)}`],
    ['certificates: latest issued', '/api/admin/certificates?pageSize=25'],
    ['audit log: newest', '/api/admin/audit/entries?pageSize=25'],
    ['dashboard: last 30 days', '/api/admin/dashboard'],
    ['dashboard: a whole year', `/api/admin/dashboard?from=${day(-365)}&to=${day(0)}`],
  ];
  console.log(`list latency, ${requests} requests each (${concurrency} at a time, after ${warmup} unmeasured), ms:`);
  for (const [name, url] of queries) {
    const times = [];
    const failures = new Map();
    for (let i = 0; i < warmup; i++) await request(agent, 'GET', `${baseUrl}${url}`, { token });
    await pool(requests, concurrency, async () => {
      const res = await request(agent, 'GET', `${baseUrl}${url}`, { token });
      if (res.ok) times.push(res.ms);
      else failures.set(res.status, (failures.get(res.status) ?? 0) + 1);
    });
    const p = percentiles(times);
    const fmt = (v) => v.toFixed(1).padStart(7);
    const failed = failures.size ? `  non-2xx: ${[...failures].map(([s, n]) => `${s}×${n}`).join(', ')}` : '';
    console.log(`  ${name.padEnd(38)} p50 ${fmt(p.p50)}  p95 ${fmt(p.p95)}  p99 ${fmt(p.p99)}  max ${fmt(p.max)}${failed}`);
  }
  agent.destroy();
} finally {
  await db.end();
}

async function seed() {
  const count = async (sql) => (await db.query(sql)).rows[0].n;
  const t0 = performance.now();
  const haveAccounts = await count(`SELECT count(*)::int AS n FROM users WHERE email LIKE '%@${DOMAIN}'`);
  if (haveAccounts < accounts) {
    // First names × surnames: searches find a realistic share (about 1 in 20 for a surname).
    await db.query(
      `INSERT INTO users (email, password_hash, full_name, roles, email_verified_at, created_at)
       SELECT 'bench-list-' || n || '@${DOMAIN}', 'not-a-password-hash', f.name || ' ' || s.name, '{candidate}', now(),
              now() - (n % 365) * interval '1 day' - (n % 1440) * interval '1 minute'
       FROM generate_series($1::int + 1, $2::int) AS n
       CROSS JOIN LATERAL (SELECT (ARRAY['Ada','Grace','Alan','Edsger','Barbara','Donald','Frances','John','Margaret','Tim',
         'Radia','Ken','Dennis','Lynn','Niklaus','Hedy','Katherine','Guido','Linus','Sophie'])[1 + n % 20] AS name) f
       CROSS JOIN LATERAL (SELECT (ARRAY['Smith','Jones','Taylor','Brown','Williams','Wilson','Johnson','Davies','Robinson','Wright',
         'Thompson','Evans','Walker','White','Roberts','Green','Hall','Wood','Jackson','Clarke'])[1 + (n / 20) % 20] AS name) s
       ON CONFLICT (email) DO NOTHING`,
      [haveAccounts, accounts],
    );
  }
  const haveAttempts = await count(
    `SELECT count(*)::int AS n FROM attempts a JOIN users u ON u.id = a.user_id WHERE u.email LIKE '%@${DOMAIN}'`,
  );
  if (haveAttempts < attempts) {
    await db.query(
      `WITH people AS (SELECT id, row_number() OVER (ORDER BY email) AS k FROM users WHERE email LIKE '%@${DOMAIN}'),
            total AS (SELECT count(*) AS c FROM people)
       INSERT INTO attempts (user_id, exam_code, status, started_at, time_limit_seconds, deadline, pass_mark_percent,
                             submitted_at, correct, total, score_percent, passed)
       SELECT p.id, 'AIDA', 'submitted', t.started, 1800, t.started + interval '30 minutes', 70,
              t.started + interval '20 minutes', t.correct, 20, t.correct * 5, t.correct >= 14
       FROM generate_series($1::int + 1, $2::int) AS n
       CROSS JOIN total
       JOIN people p ON p.k = 1 + (n * 7919) % total.c
       CROSS JOIN LATERAL (SELECT now() - (n % 365) * interval '1 day' - (n % 600) * interval '1 minute' AS started,
                                  (n * 31) % 21 AS correct) t`,
      [haveAttempts, attempts],
    );
  }
  if (haveAccounts < accounts || haveAttempts < attempts) await db.query('ANALYZE users; ANALYZE attempts');
  const seconds = ((performance.now() - t0) / 1000).toFixed(1);
  const all = await count(`SELECT count(*)::int AS n FROM users`);
  const allAttempts = await count(`SELECT count(*)::int AS n FROM attempts`);
  console.log(`seeded in ${seconds} s: ${all} accounts and ${allAttempts} attempts in the database`);
}

/** A new administrator made by `user:create` (as README shows), signed in with a TOTP code computed here. */
async function adminToken() {
  const secret = base32(randomBytes(20));
  const email = `bench-lists-admin-${Date.now()}@bench.test`;
  const password = `bench lists ${randomBytes(6).toString('hex')}`;
  const made = spawnSync(
    process.execPath,
    [
      path.join(ROOT, 'scripts/cli.mjs'),
      'user:create',
      '--email',
      email,
      '--password',
      password,
      '--name',
      'Bench Admin',
      '--role',
      'admin',
      '--totp-secret',
      secret,
    ],
    { cwd: ROOT, env: { ...process.env, DATABASE_URL: databaseUrl, DATA_DIR: dataDir }, encoding: 'utf8' },
  );
  if (made.status !== 0) throw new Error(`user:create failed: ${made.stderr || made.stdout}`);
  const agent = new http.Agent({ keepAlive: false });
  const res = await request(agent, 'POST', `${baseUrl}/api/auth/login`, { body: { email, password, otp: totp(secret) } });
  if (!res.ok || !res.body?.accessToken) throw new Error(`admin sign-in failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.accessToken;
}

function base32(bytes) {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = 0;
  let value = 0;
  let out = '';
  for (const byte of bytes) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += alphabet[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  return bits > 0 ? out + alphabet[(value << (5 - bits)) & 31] : out;
}

/** RFC 6238: SHA-1, 6 digits, 30-second steps. */
function totp(secret) {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = 0;
  let value = 0;
  const bytes = [];
  for (const c of secret) {
    value = (value << 5) | alphabet.indexOf(c);
    bits += 5;
    if (bits >= 8) {
      bytes.push((value >>> (bits - 8)) & 255);
      bits -= 8;
    }
  }
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(Math.floor(Date.now() / 30_000)));
  const mac = createHmac('sha1', Buffer.from(bytes)).update(counter).digest();
  const offset = mac[mac.length - 1] & 15;
  return String((mac.readUInt32BE(offset) & 0x7fffffff) % 1_000_000).padStart(6, '0');
}
