#!/usr/bin/env node
// npm run bench:http -- [--base-url http://localhost:3000] [--duration 10] [--connections 50] [--warmup 1] [--workers 0]
//   [--certificate NUMBER] [--status-list PATH] [--email E --password P] [--conditional]
// Throughput of the public, cacheable endpoints against a bare node:http JSON server measured in the same run:
// the bare server (a child process answering the framework's JSON, serialised per request) first, then
// GET /api/framework, /.well-known/jwks.json, a status list and a certificate's public record, each for
// --duration seconds over --connections connections (autocannon, after --warmup seconds unmeasured). Prints
// one line per target (req/s, p50/p99 latency, non-2xx, errors, the ratio to the bare server) and one summary
// line with every ratio. --conditional measures each endpoint again with If-None-Match set to the ETag of a
// first answer (the 304 path). The certificate is --certificate, else the first of the candidate's (--email,
// --password; default the demo candidate); the status list is --status-list, else the one the certificate's
// credential names, else /api/public/status-lists/1; one that cannot be found is skipped, saying so.
// Run it against a throwaway instance whose public rate limit does not answer the load with 429s, e.g.
//   DATA_DIR=/tmp/psf-benchhttp PORT=3310 RATE_LIMIT_PUBLIC_PER_MINUTE=1000000 npm start
//   npm run bench:http -- --base-url http://localhost:3310 --duration 5
import autocannon from 'autocannon';
import { fork } from 'node:child_process';
import { createServer } from 'node:http';
import { fileURLToPath } from 'node:url';
import { arg } from './lib.mjs';

// The baseline's own process: what a bare Node server does for a JSON GET, and nothing else.
if (process.argv.includes('--bare-server')) {
  process.once('disconnect', () => process.exit(0));
  process.once('message', (value) => {
    const server = createServer((req, res) => {
      const body = JSON.stringify(value);
      res.writeHead(200, { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': Buffer.byteLength(body) });
      res.end(body);
    });
    server.listen(0, '127.0.0.1', () => process.send({ port: server.address().port }));
  });
} else {
  await main();
}

async function main() {
  const baseUrl = arg('base-url', 'http://localhost:3000').replace(/\/$/, '');
  const duration = Number(arg('duration', 10));
  const connections = Number(arg('connections', 50));
  const warmup = Number(arg('warmup', 1));
  const workers = Number(arg('workers', 0));
  const conditional = process.argv.includes('--conditional');

  const ready = await fetch(`${baseUrl}/api/health/ready`).then(
    (r) => r.ok,
    () => false,
  );
  if (!ready) {
    console.error(`No ready platform at ${baseUrl} (start one with npm start, or pass --base-url)`);
    process.exit(1);
  }
  const framework = await fetch(`${baseUrl}/api/framework`).then((r) => (r.ok ? r.json() : null));
  if (!framework) {
    console.error(`GET ${baseUrl}/api/framework did not answer 200`);
    process.exit(1);
  }

  const targets = [
    { name: 'framework', path: '/api/framework' },
    { name: 'jwks', path: '/.well-known/jwks.json' },
  ];
  const notes = [];
  const certificate = arg('certificate') ?? (await discoverCertificate(baseUrl, notes));
  const statusList = arg('status-list') ?? (await discoverStatusList(baseUrl, certificate, notes));
  if (statusList) targets.push({ name: 'status-list', path: statusList.replace(/^https?:\/\/[^/]+/, '') });
  if (certificate) targets.push({ name: 'certificate', path: `/api/public/certificates/${encodeURIComponent(certificate)}` });

  const bare = await startBareServer(framework);
  try {
    console.log(
      `bench:http against ${baseUrl}: ${duration} s per target after ${warmup} s warm-up, ${connections} connections` +
        `${workers ? `, ${workers} autocannon workers` : ''}; bare node:http server (pid ${bare.pid}) answers ` +
        `${Buffer.byteLength(JSON.stringify(framework)).toLocaleString('en')} bytes of JSON`,
    );
    for (const note of notes) console.log(`  note: ${note}`);

    const load = (url, headers = {}) =>
      autocannon({
        url,
        connections,
        duration,
        workers: workers || undefined,
        headers,
        warmup: warmup ? { connections, duration: warmup } : undefined,
      });
    const line = (name, r, ok, of) =>
      `${name.padEnd(22)} ${fmt(r.rps).padStart(8)} req/s  p50 ${ms(r.p50)} ms  p99 ${ms(r.p99)} ms  ` +
      `non-2xx ${r.non2xx}${ok ? ` (${ok})` : ''}  errors ${r.errors}${of ? `  = ${pct(r.rps / of)} % of bare` : ''}`;

    const base = summarise(await load(`http://127.0.0.1:${bare.port}/`));
    console.log(line('bare node:http', base));

    const ratios = [];
    for (const target of targets) {
      const url = `${baseUrl}${target.path}`;
      const first = await fetch(url);
      const etag = first.headers.get('etag');
      await first.arrayBuffer();
      if (!first.ok) {
        console.log(`${target.name.padEnd(22)} skipped: GET ${target.path} answered ${first.status}`);
        continue;
      }
      const plain = summarise(await load(url));
      console.log(line(target.name, plain, statusesOf(plain), base.rps));
      ratios.push([target.name, plain]);
      warnAbout(target.name, plain);
      if (!conditional) continue;
      if (!etag) {
        console.log(`${`${target.name} (304)`.padEnd(22)} skipped: no ETag in the answer`);
        continue;
      }
      const revalidated = summarise(await load(url, { 'if-none-match': etag }));
      console.log(line(`${target.name} (304)`, revalidated, statusesOf(revalidated), base.rps));
      ratios.push([`${target.name} (304)`, revalidated]);
      warnAbout(`${target.name} (304)`, revalidated, '304');
    }

    const best = Math.max(0, ...ratios.map(([, r]) => r.rps));
    console.log(
      `bench:http summary: bare ${fmt(base.rps)} req/s (p50 ${ms(base.p50)} ms, p99 ${ms(base.p99)} ms); ` +
        (ratios.map(([name, r]) => `${name} ${pct(r.rps / base.rps)} % (p50 ${ms(r.p50)}, p99 ${ms(r.p99)} ms)`).join(', ') ||
          'no platform endpoint measured') +
        '; target ≥ 25 % of bare',
    );
    if (best > 0 && base.rps < 5 * best) {
      console.log(
        `warning: the bare server did only ${(base.rps / best).toFixed(1)}× the best platform endpoint: the load generator may be ` +
          'the limit (try --workers 2, or run the bench on another machine)',
      );
    }
  } finally {
    bare.kill();
  }
}

/** Requests per second, latency percentiles (ms) and failures of one autocannon run. */
function summarise(result) {
  const completed = Object.values(result.statusCodeStats ?? {}).reduce((n, s) => n + Number(s.count), 0);
  return {
    rps: completed / result.duration,
    p50: result.latency.p50,
    p99: result.latency.p99,
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
    statuses: Object.fromEntries(Object.entries(result.statusCodeStats ?? {}).map(([code, s]) => [code, Number(s.count)])),
  };
}

/** "429: 1,200" for the non-2xx answers by status, or '' when there are none. */
function statusesOf(r) {
  return Object.entries(r.statuses)
    .filter(([code]) => !code.startsWith('2'))
    .map(([code, n]) => `${code}: ${fmt(n)}`)
    .join(', ');
}

function warnAbout(name, r, expected = '2xx') {
  const total = Object.values(r.statuses).reduce((a, b) => a + b, 0);
  const unexpected = Object.entries(r.statuses)
    .filter(([code]) => (expected === '2xx' ? !code.startsWith('2') : code !== expected))
    .reduce((n, [, count]) => n + count, 0);
  if (r.statuses['429']) {
    console.log(`  warning: ${name} answered 429 ${fmt(r.statuses['429'])} times: raise RATE_LIMIT_PUBLIC_PER_MINUTE on the instance`);
  } else if (total && unexpected / total > 0.01) {
    console.log(`  warning: ${name}: ${fmt(unexpected)} of ${fmt(total)} answers were not ${expected}`);
  }
  if (r.errors) console.log(`  warning: ${name}: ${r.errors} connection errors (${r.timeouts} timeouts)`);
}

/** The first certificate of the candidate (the demo candidate unless --email/--password), or undefined with a note. */
async function discoverCertificate(baseUrl, notes) {
  const email = arg('email', 'candidate@demo.psf.local');
  const password = arg('password', 'demo-candidate-password');
  const json = { 'Content-Type': 'application/json' };
  const login = await fetch(`${baseUrl}/api/auth/login`, { method: 'POST', headers: json, body: JSON.stringify({ email, password }) });
  if (!login.ok) {
    await login.arrayBuffer();
    notes.push(`certificate skipped: no --certificate, and ${email} could not sign in (${login.status}) to find one`);
    return undefined;
  }
  const { accessToken } = await login.json();
  const mine = await fetch(`${baseUrl}/api/certificates`, { headers: { Authorization: `Bearer ${accessToken}` } });
  const certificates = mine.ok ? await mine.json() : [];
  if (!certificates.length) {
    notes.push(`certificate skipped: no --certificate, and ${email} holds none (pass AIDA as them, or give --certificate NUMBER)`);
    return undefined;
  }
  return certificates[0].number;
}

/** The status list the certificate's credential points into, else list 1 when it exists, else undefined with a note. */
async function discoverStatusList(baseUrl, certificate, notes) {
  if (certificate) {
    const res = await fetch(`${baseUrl}/api/public/certificates/${encodeURIComponent(certificate)}/credential`);
    const jwt = res.ok ? await res.text() : '';
    try {
      const payload = JSON.parse(Buffer.from(jwt.split('.')[1], 'base64url').toString('utf8'));
      const url = payload.credentialStatus?.statusListCredential;
      if (url) return new URL(url).pathname;
    } catch {
      // not a JWT: fall back to list 1
    }
  }
  const first = await fetch(`${baseUrl}/api/public/status-lists/1`);
  await first.arrayBuffer();
  if (first.ok) return '/api/public/status-lists/1';
  notes.push(`status list skipped: no --status-list, no certificate to find one from, and list 1 answered ${first.status}`);
  return undefined;
}

/** The baseline in a child process of its own, so that it shares no event loop with the load generator. */
function startBareServer(body) {
  return new Promise((resolve, reject) => {
    const child = fork(fileURLToPath(import.meta.url), ['--bare-server'], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`the bare server exited (${code})`)));
    child.once('message', ({ port }) => resolve({ port, pid: child.pid, kill: () => child.kill() }));
    child.send(body);
  });
}

// Function declarations, not constants: the top-level `await main()` above runs before constants below it exist.
function fmt(n) {
  return Math.round(n).toLocaleString('en');
}
function ms(v) {
  return v >= 10 ? v.toFixed(0) : v.toFixed(1);
}
function pct(ratio) {
  return (ratio * 100).toFixed(1);
}
