import { readdir, readFile, readlink } from 'node:fs/promises';
import * as http from 'node:http';
// Shared helpers for the benchmarks: latency recording and percentile reporting.
export class Latencies {
  constructor() {
    this.byName = new Map();
  }
  add(name, ms) {
    if (!this.byName.has(name)) this.byName.set(name, []);
    this.byName.get(name).push(ms);
  }
  report() {
    const rows = [];
    for (const [name, values] of this.byName) {
      const sorted = [...values].sort((a, b) => a - b);
      const p = (q) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
      rows.push({ name, n: sorted.length, p50: p(0.5), p95: p(0.95), p99: p(0.99), max: sorted[sorted.length - 1] });
    }
    return rows;
  }
  print(title) {
    console.log(`\n${title}`);
    console.log(
      '  endpoint'.padEnd(44) +
        'n'.padStart(7) +
        'p50 ms'.padStart(10) +
        'p95 ms'.padStart(10) +
        'p99 ms'.padStart(10) +
        'max ms'.padStart(10),
    );
    for (const r of this.report()) {
      console.log(
        `  ${r.name}`.padEnd(44) + String(r.n).padStart(7) + [r.p50, r.p95, r.p99, r.max].map((v) => v.toFixed(1).padStart(10)).join(''),
      );
    }
  }
}

/** Runs `task(i)` for i in [0, n) with at most `concurrency` at once. */
export async function pool(n, concurrency, task) {
  let next = 0;
  const workers = Array.from({ length: Math.min(concurrency, n) }, async () => {
    while (next < n) {
      const i = next++;
      await task(i);
    }
  });
  await Promise.all(workers);
}

export const arg = (name, fallback) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : (process.env[name.toUpperCase().replace(/-/g, '_')] ?? fallback);
};

/** The process listening on the base URL's port: the owner of the LISTEN socket in /proc/net/tcp(6). */
export async function listeningPid(port) {
  const inodes = new Set();
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    const rows = (await readFile(table, 'utf8').catch(() => '')).split('\n').slice(1);
    for (const row of rows) {
      const cols = row.trim().split(/\s+/);
      if (cols.length > 9 && cols[3] === '0A' && parseInt(cols[1].split(':')[1], 16) === port) inodes.add(cols[9]);
    }
  }
  for (const pid of (await readdir('/proc')).filter((d) => /^\d+$/.test(d))) {
    for (const fd of await readdir(`/proc/${pid}/fd`).catch(() => [])) {
      const inode = /^socket:\[(\d+)\]$/.exec(await readlink(`/proc/${pid}/fd/${fd}`).catch(() => ''))?.[1];
      if (inode && inodes.has(inode)) return Number(pid);
    }
  }
  return null;
}

export const sleep = (ms) => (ms > 0 ? new Promise((r) => setTimeout(r, ms)) : Promise.resolve());

/** n, p50, p95, p99 and max of a list of milliseconds (NaN for an empty list). */
export function percentiles(values) {
  const sorted = Float64Array.from(values).sort();
  const p = (q) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] : NaN);
  return { n: sorted.length, p50: p(0.5), p95: p(0.95), p99: p(0.99), max: sorted.length ? sorted[sorted.length - 1] : NaN };
}

/**
 * One API call over a keep-alive `agent` (node:http costs the client less CPU than fetch, which counts when one
 * process plays thousands of candidates). Never throws: `status` is the HTTP status, or the error code when no
 * answer came; `ms` runs from the call to the end of the answer, a resend included.
 */
export function request(agent, method, url, { token, body, cookie } = {}, started = performance.now(), resent = false) {
  return new Promise((resolve) => {
    const payload = body === undefined ? undefined : JSON.stringify(body);
    const headers = {
      ...(payload === undefined ? {} : { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(payload) }),
      ...(token ? { Authorization: `Bearer ${token}` } : {}),
      ...(cookie ? { Cookie: cookie } : {}),
    };
    const done = (status, res, text) => {
      let json;
      try {
        json = text ? JSON.parse(text) : undefined;
      } catch {
        json = undefined;
      }
      const ok = typeof status === 'number' && status >= 200 && status < 300;
      resolve({ status, ok, body: json, headers: res?.headers ?? {}, ms: performance.now() - started });
    };
    const req = http.request(url, { method, agent, headers }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => done(res.statusCode, res, Buffer.concat(chunks).toString('utf8')));
      res.on('error', () => done('aborted', res));
    });
    req.on('error', (error) => {
      // A kept-alive connection the server closed as it was reused: the request never reached it, send it once more.
      if (req.reusedSocket && error.code === 'ECONNRESET' && !resent) {
        resolve(request(agent, method, url, { token, body, cookie }, started, true));
      } else done(error.code ?? 'error');
    });
    req.end(payload);
  });
}
