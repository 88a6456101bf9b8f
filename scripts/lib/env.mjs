// Plain Node (no dependencies): runs before `npm ci` has installed anything.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { createServer, Socket } from 'node:net';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const DATA_DIR = path.resolve(ROOT, process.env.DATA_DIR ?? '.data');

export const log = (msg) => process.stdout.write(`[psf] ${msg}\n`);
export const die = (msg) => {
  process.stderr.write(`[psf] ${msg}\n`);
  process.exit(1);
};

export const isRoot = () => typeof process.getuid === 'function' && process.getuid() === 0;
export const isDebian = () => existsSync('/etc/debian_version');

export function which(bin) {
  const r = spawnSync('sh', ['-c', `command -v ${bin}`], { encoding: 'utf8' });
  return r.status === 0 ? r.stdout.trim() : null;
}

export function run(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { cwd: ROOT, stdio: 'inherit', ...opts });
  if (r.status !== 0) die(`${cmd} ${args.join(' ')} failed (exit ${r.status ?? r.signal})`);
}

/** Installs npm dependencies when node_modules is missing or older than package-lock.json. */
export function ensureDependencies() {
  const marker = path.join(ROOT, 'node_modules/.package-lock.json');
  const lock = path.join(ROOT, 'package-lock.json');
  if (existsSync(marker) && statSync(marker).mtimeMs >= statSync(lock).mtimeMs) return;
  log('installing npm dependencies (npm ci)…');
  run('npm', ['ci', '--no-audit', '--no-fund']);
}

export function aptInstall(pkg, why) {
  if (!isRoot() || !isDebian() || !which('apt-get')) return false;
  log(`${why}: installing Debian's ${pkg} package with apt-get…`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env });
  execFileSync('apt-get', ['install', '-y', '-qq', pkg], { stdio: 'inherit', env });
  return true;
}

export function freePort(preferred) {
  return new Promise((resolve) => {
    const server = createServer();
    server.unref();
    server.once('error', () => (preferred ? freePort().then(resolve) : resolve(0)));
    server.listen(preferred ?? 0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/** True when something answers a Redis PING on host:port. */
export function redisAnswers(host, port, timeoutMs = 1000) {
  return new Promise((resolve) => {
    const socket = new Socket();
    const done = (ok) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('error', () => done(false));
    socket.connect(port, host, () => socket.write('PING\r\n'));
    socket.once('data', (d) => done(d.toString().startsWith('+PONG')));
  });
}

export function readJson(file, fallback) {
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    return fallback;
  }
}

/** The runtime.json of the `npm start` running on DATA_DIR (its database and Redis URLs), or null when none runs. */
export function runningInstance() {
  const runtime = readJson(path.join(DATA_DIR, 'runtime.json'), null);
  try {
    return runtime && process.kill(runtime.pid, 0) ? runtime : null;
  } catch {
    return null;
  }
}

function newestMtime(target) {
  if (!existsSync(target)) return 0;
  if (!statSync(target).isDirectory()) return statSync(target).mtimeMs;
  let newest = 0;
  for (const entry of readdirSync(target, { withFileTypes: true })) {
    if (entry.name === 'node_modules' || entry.name === 'dist') continue;
    newest = Math.max(newest, newestMtime(path.join(target, entry.name)));
  }
  return newest;
}

const mtime = (f) => (existsSync(path.join(ROOT, f)) ? statSync(path.join(ROOT, f)).mtimeMs : 0);
const newestOf = (dirs) => Math.max(...dirs.map((d) => newestMtime(path.join(ROOT, d))));

/** Rebuilds what is older than its sources (`what`: 'api' or 'all'); the SPA's types come from the API. */
export function buildIfStale(what = 'all') {
  const apiStale = mtime('api/dist/api/src/main.js') <= newestOf(['api/src', 'migrations']);
  if (apiStale) {
    log('building the API…');
    run('npm', ['run', 'build', '-w', 'api']);
  }
  if (what === 'api') return;
  if (mtime('web/dist/index.html') <= Math.max(newestOf(['web/src', 'web/index.html']), mtime('api/dist/api/src/main.js'))) {
    log('building the SPA…');
    run('npm', ['run', 'build', '-w', 'web']);
  }
}
