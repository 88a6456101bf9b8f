// CPU used by the API process and the embedded PostgreSQL while a bench runs: the cost of an operation in CPU,
// which other load on the machine does not change as it changes the rates.
import { existsSync, readFileSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import * as path from 'node:path';
import { listeningPid } from './lib.mjs';

const fixed = (v, digits = 1) => (Number.isFinite(v) ? v.toFixed(digits) : 'n/a');

/** utime + stime (seconds) and the parent of a process, from /proc/PID/stat; null once it is gone. */
async function statOf(pid) {
  const text = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => null);
  if (!text) return null;
  const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
  return { ppid: Number(fields[1]), cpu: (Number(fields[11]) + Number(fields[12])) / 100 };
}

/**
 * CPU seconds used so far by the API process and by the embedded PostgreSQL's backends (children of the
 * postmaster in DATA_DIR/postgres): the cost of a save in CPU, which other load on the machine does not
 * change as it changes the rates. Either is null when it cannot be read (another host, another user).
 */
export async function cpuMeter(baseUrl, dataDir) {
  const apiPid = await listeningPid(Number(new URL(baseUrl).port || 80));
  const pidFile = path.join(dataDir, 'postgres', 'postmaster.pid');
  const postmaster = existsSync(pidFile) ? Number(readFileSync(pidFile, 'utf8').split('\n')[0]) : null;
  return async () => {
    const api = apiPid ? ((await statOf(apiPid))?.cpu ?? null) : null;
    if (!postmaster) return { api, db: null };
    const db = new Map();
    for (const pid of (await readdir('/proc')).filter((d) => /^\d+$/.test(d))) {
      const stat = await statOf(pid);
      if (stat && (Number(pid) === postmaster || stat.ppid === postmaster)) db.set(pid, stat.cpu);
    }
    return { api, db };
  };
}

/** CPU seconds between two samples; a backend that ended in between takes its share with it (an underestimate). */
function cpuBetween(before, after, key) {
  if (before[key] === null || after[key] === null) return null;
  if (key === 'api') return after.api - before.api;
  let sum = 0;
  for (const [pid, cpu] of after.db) sum += cpu - (before.db.get(pid) ?? 0);
  return sum;
}

/** CPU milliseconds per completed operation between two samples, as text. */
export function cpuPer(before, after, count) {
  const per = (key) => {
    const seconds = cpuBetween(before, after, key);
    return seconds === null || !count ? 'n/a' : fixed((seconds * 1000) / count, 2);
  };
  return `CPU per op: API ${per('api')} ms, PostgreSQL ${per('db')} ms`;
}
