#!/usr/bin/env node
// npm run bench:upload -- --admin-email E --admin-password P --admin-totp-secret BASE32
//   [--base-url http://localhost:3000] [--mail-dir .data/mail] [--uploads 10] [--size-mb 20] [--rounds 2] [--pid PID]
// What attachment uploads cost the API in memory: N candidates (registered, verified from the stored mail,
// AIDA passed) each upload one M-MB PDF at the same time, --rounds times; prints the API process's RSS
// before, at its peak (sampled every 20 ms) and after, its VmHWM, upload throughput and latency p50/p95.
// Starts nothing: run it against a throwaway platform that stores mail as files in --mail-dir, allows the
// registrations and takes files of --size-mb (MAX_ATTACHMENT_MB, default 20), e.g.
//   DATA_DIR=/tmp/psf-bench-up PORT=3310 DEMO_SEED=false REGISTER_MAX_PER_IP_PER_HOUR=100000 MAX_ATTACHMENT_MB=20 npm start
//   DATA_DIR=/tmp/psf-bench-up npm run user:create -- --email bench-admin@example.org --password 'bench admin password' \
//     --name 'Bench Admin' --role admin --totp-secret JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP
//   npm run bench:upload -- --base-url http://localhost:3310 --mail-dir /tmp/psf-bench-up/mail \
//     --admin-email bench-admin@example.org --admin-password 'bench admin password' --admin-totp-secret JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP
// The admin lowers the AIDA pass mark to 1 % with no retake cool-down so the candidates pass by guessing
// (their portfolios open only after AIDA), and puts both back at the end.
import { Blob } from 'node:buffer';
import { createHmac, randomBytes, randomUUID } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import * as path from 'node:path';
import { arg, Latencies, listeningPid, pool } from './lib.mjs';

const baseUrl = arg('base-url', 'http://localhost:3000');
const mailDir = path.resolve(arg('mail-dir', '.data/mail'));
const uploads = Number(arg('uploads', 10));
const sizeMb = Number(arg('size-mb', 20));
const rounds = Number(arg('rounds', 2));
const admin = { email: arg('admin-email'), password: arg('admin-password'), totpSecret: arg('admin-totp-secret') };
const run = randomUUID().slice(0, 8);
const MB = 1_048_576;
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

if (!admin.email || !admin.password || !admin.totpSecret) {
  console.error(
    'Pass --admin-email, --admin-password and --admin-totp-secret of an admin made with user:create (see the top of this file)',
  );
  process.exit(1);
}

async function call(method, url, { token, body } = {}) {
  const res = await fetch(`${baseUrl}${url}`, {
    method,
    headers: { 'Content-Type': 'application/json', ...(token ? { Authorization: `Bearer ${token}` } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${url}: ${res.status} ${text.slice(0, 200)}`);
  return text ? JSON.parse(text) : undefined;
}

/** RFC 6238 code (SHA-1, 6 digits, 30 s) for a base32 secret, `ahead` steps from now. */
function totp(secret, ahead = 0) {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = '';
  for (const c of secret.replace(/=+$/, '').toUpperCase()) bits += alphabet.indexOf(c).toString(2).padStart(5, '0');
  const key = Buffer.from(bits.match(/.{8}/g).map((b) => parseInt(b, 2)));
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(Math.floor(Date.now() / 30_000) + ahead));
  const mac = createHmac('sha1', key).update(counter).digest();
  const offset = mac[mac.length - 1] & 0xf;
  return String((mac.readUInt32BE(offset) & 0x7fffffff) % 1_000_000).padStart(6, '0');
}

/** Signs the admin in. The server takes each code once: right after another run, the next step's code (it accepts one ahead). */
async function adminSignIn() {
  const signIn = (ahead) =>
    call('POST', '/api/auth/login', { body: { email: admin.email, password: admin.password, otp: totp(admin.totpSecret, ahead) } });
  return (await signIn(0).catch(() => signIn(1))).accessToken;
}

/** VmRSS and VmHWM of the process, in MB. */
async function memoryOf(pid) {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  const kb = (field) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)[1]);
  return { rss: kb('VmRSS') / 1024, hwm: kb('VmHWM') / 1024 };
}

const health = await fetch(`${baseUrl}/api/health`)
  .then((r) => r.json())
  .catch(() => null);
if (health?.status !== 'ok') {
  console.error(`No healthy platform at ${baseUrl} (start one with npm start, or pass --base-url)`);
  process.exit(1);
}
const pid = Number(arg('pid', 0)) || (await listeningPid(Number(new URL(baseUrl).port || 80)));
if (!pid) {
  console.error(`Found no process listening on ${baseUrl} that this user may inspect; pass --pid`);
  process.exit(1);
}
const atStart = await memoryOf(pid);
console.log(`bench:upload against ${baseUrl} (API pid ${pid}): ${uploads} concurrent uploads of ${sizeMb} MB, ${rounds} rounds`);

// Setup: the admin opens AIDA to guessers; the candidates register, verify, pass AIDA and open a CPAP draft.
const adminToken = await adminSignIn();
const settingsBefore = await call('GET', '/api/admin/exams/aida', { token: adminToken });
await call('PATCH', '/api/admin/exams/aida', {
  token: adminToken,
  body: { passMarkPercent: 1, retakeCooldownSeconds: 0, passMarkReason: `bench:upload ${run}` },
});

const person = (i) => ({ email: `bench-up-${run}-${i}@example.org`, password: `bench password ${run}`, fullName: `Bench Uploader ${i}` });

/** Verification tokens in the stored mail, by recipient (the worker writes one .eml file per message). */
async function verificationLinks() {
  const links = new Map();
  for (const file of (await readdir(mailDir).catch(() => [])).filter((f) => f.endsWith('.eml'))) {
    const text = await readFile(path.join(mailDir, file), 'utf8').catch(() => '');
    const to = text.match(/^To: (bench-up-\S+?)\r?$/m)?.[1];
    const token = text.match(/\/verify-email\?token=([A-Za-z0-9_-]+)/)?.[1];
    if (to?.startsWith(`bench-up-${run}-`) && token) links.set(to.trim(), token);
  }
  return links;
}

async function passAida(token) {
  for (;;) {
    const attempt = await call('POST', '/api/exams/aida/attempts', { token });
    for (const q of attempt.questions) {
      await call('PUT', `/api/exams/aida/attempts/${attempt.id}/answers/${q.id}`, { token, body: { optionId: q.options[0].id } });
    }
    if ((await call('POST', `/api/exams/aida/attempts/${attempt.id}/submit`, { token })).result.passed) return;
  }
}

const tokens = [];
try {
  await pool(uploads, uploads, (i) => call('POST', '/api/auth/register', { body: person(i) }));
  let links = new Map();
  for (let idle = 0, seen = 0; links.size < uploads && idle < 60;) {
    await sleep(500);
    links = await verificationLinks();
    idle = links.size > seen ? 0 : idle + 1;
    seen = links.size;
  }
  if (links.size < uploads) throw new Error(`only ${links.size} of ${uploads} verification mails arrived in ${mailDir}`);
  await pool(uploads, uploads, async (i) => {
    const { email, password } = person(i);
    await call('POST', '/api/auth/verify-email', { body: { token: links.get(email) } });
    const token = (await call('POST', '/api/auth/login', { body: { email, password } })).accessToken;
    await passAida(token);
    await call('GET', '/api/portfolios/CPAP', { token });
    tokens[i] = token;
  });
} finally {
  await call('PATCH', '/api/admin/exams/aida', {
    token: adminToken,
    body: {
      passMarkPercent: settingsBefore.passMarkPercent,
      retakeCooldownSeconds: settingsBefore.retakeCooldownSeconds,
      passMarkReason: `bench:upload ${run} done`,
    },
  }).catch((error) => console.error(`could not restore the AIDA settings: ${error.message}`));
}

// The measured part: every candidate uploads one file at the same time, `rounds` times.
const file = new Blob([Buffer.from('%PDF-1.7\n'), randomBytes(sizeMb * MB - 9)]);
const latencies = new Latencies();
const errors = new Map();
await sleep(2000);
const before = await memoryOf(pid);
let peak = before.rss;
let sampling = true;
const sampler = (async () => {
  while (sampling) {
    peak = Math.max(peak, (await memoryOf(pid)).rss);
    await sleep(20);
  }
})();
let stored = 0;
const started = performance.now();
for (let round = 0; round < rounds; round++) {
  await pool(uploads, uploads, async (i) => {
    const boundary = `bench-${run}-${round}-${i}`;
    const head = `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="bench-${round}-${i}.pdf"\r\nContent-Type: application/pdf\r\n\r\n`;
    const t0 = performance.now();
    const res = await fetch(`${baseUrl}/api/portfolios/CPAP/evidence/D04.2/attachments`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${tokens[i]}`, 'Content-Type': `multipart/form-data; boundary=${boundary}` },
      body: new Blob([head, file, `\r\n--${boundary}--\r\n`]),
    }).catch((error) => ({ ok: false, status: error.message, text: async () => '' }));
    const text = await res.text();
    latencies.add(`POST …/attachments (${sizeMb} MB)`, performance.now() - t0);
    if (res.ok) stored++;
    else {
      const key = `${res.status} ${text.slice(0, 160)}`;
      errors.set(key, (errors.get(key) ?? 0) + 1);
    }
  });
}
const seconds = (performance.now() - started) / 1000;
await sleep(2000);
sampling = false;
await sampler;
const after = await memoryOf(pid);

latencies.print('Upload latency');
console.log(`\n${stored} of ${uploads * rounds} uploads stored in ${seconds.toFixed(1)} s`);
console.log(`  throughput:       ${((stored * sizeMb) / seconds).toFixed(1)} MB/s`);
console.log(`API memory (pid ${pid}):`);
console.log(`  RSS at start:     ${atStart.rss.toFixed(0)} MB (before the setup: registrations, sign-ins, exams)`);
console.log(`  RSS before:       ${before.rss.toFixed(0)} MB (just before the uploads)`);
console.log(`  RSS peak:         ${peak.toFixed(0)} MB (sampled every 20 ms)`);
console.log(`  RSS after (+2 s): ${after.rss.toFixed(0)} MB`);
console.log(`  VmHWM:            ${after.hwm.toFixed(0)} MB (peak since the process started)`);
const errorCount = [...errors.values()].reduce((a, b) => a + b, 0);
console.log(`errors: ${errorCount}`);
for (const [k, v] of errors) console.log(`  ${k}: ${v}`);
if (errors.size && [...errors.keys()].some((k) => k.startsWith('413'))) {
  console.log(`(a 413 means the server's MAX_ATTACHMENT_MB is below --size-mb ${sizeMb}: start it with a larger limit)`);
}
process.exit(errorCount ? 1 : 0);
