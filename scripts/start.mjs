#!/usr/bin/env node
// `npm start`: the whole platform on one machine with only Node and npm installed.
// Installs dependencies, builds, finds or starts PostgreSQL and Redis, migrates, seeds the demo
// accounts (unless production), then runs the API (serving the SPA) and the worker until Ctrl-C.
import { spawn } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { buildIfStale, DATA_DIR, die, ensureDependencies, log, ROOT, run } from './lib/env.mjs';

ensureDependencies();
const { ensureAppRole, findOrStartRedis, localSecrets, startEmbeddedPostgres } = await import('./lib/services.mjs');

const RUNTIME_FILE = path.join(DATA_DIR, 'runtime.json');
const production = process.env.NODE_ENV === 'production';
const seedDemo = (process.env.DEMO_SEED ?? (production ? 'false' : 'true')) === 'true';
const stops = [];
let shuttingDown = false;

async function shutdown(code = 0) {
  if (shuttingDown) return;
  shuttingDown = true;
  log('stopping…');
  // Children also received the terminal's Ctrl-C; each stop is bounded so none can hang the exit.
  for (const stop of stops.reverse()) {
    await Promise.race([stop().catch(() => undefined), new Promise((r) => setTimeout(r, 15_000).unref())]);
  }
  rmSync(RUNTIME_FILE, { force: true });
  log('stopped.');
  process.exit(code);
}
process.on('SIGINT', () => void shutdown(0));
process.on('SIGTERM', () => void shutdown(0));

buildIfStale();

const env = { ...process.env, NODE_ENV: process.env.NODE_ENV ?? 'development' };
if (!production) {
  const secrets = localSecrets();
  env.JWT_SECRET ??= secrets.jwtSecret;
}
// The embedded database's superuser owns the schema and runs migrations (DATABASE_OWNER_URL); the API,
// the worker and the app CLI connect as psf_app (DATABASE_URL), which cannot rewrite the audit log.
const embedded = !env.DATABASE_URL;
if (embedded) {
  const pg = await startEmbeddedPostgres({ dir: path.join(DATA_DIR, 'postgres'), password: localSecrets().postgresPassword });
  stops.push(pg.stop);
  env.DATABASE_OWNER_URL = pg.url;
  env.DATABASE_URL = pg.url; // until the migrations have created psf_app (below)
  log(`embedded PostgreSQL running on 127.0.0.1:${pg.port} (data in .data/postgres)`);
}
const redis = await findOrStartRedis({ dir: path.join(DATA_DIR, 'redis') });
stops.push(redis.stop);
env.REDIS_URL = redis.url;
if (redis.prefix) env.REDIS_PREFIX = redis.prefix;
env.PORT ??= '3000';

const node = (script, args = []) => [process.execPath, [path.join(ROOT, 'api/dist/api/src', script), ...args]];
const [nodeBin, migrateArgs] = node('cli.js', ['migrate']);
run(nodeBin, migrateArgs, { env });
if (embedded) env.DATABASE_URL = await ensureAppRole(env.DATABASE_OWNER_URL, localSecrets().appDbPassword);
if (seedDemo) {
  const [, seedArgs] = node('cli.js', ['seed:demo']);
  run(nodeBin, seedArgs, { env });
}

function startChild(name, script) {
  const [bin, args] = node(script);
  const child = spawn(bin, args, { env: { ...env, MIGRATIONS_RUN: 'false' }, stdio: 'inherit' });
  child.on('exit', (code, signal) => {
    if (!shuttingDown) {
      log(`${name} exited (${signal ?? code}); stopping everything`);
      void shutdown(1);
    }
  });
  stops.push(
    () =>
      new Promise((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  );
  return child;
}

startChild('worker', 'worker.js');
startChild('api', 'main.js');

// Lets `npm run user:create` reach the running platform's database (as psf_app; `migrate` as the owner).
writeFileSync(
  RUNTIME_FILE,
  JSON.stringify({
    pid: process.pid,
    DATABASE_URL: env.DATABASE_URL,
    DATABASE_OWNER_URL: env.DATABASE_OWNER_URL,
    REDIS_URL: env.REDIS_URL,
  }),
);

const url = env.PUBLIC_URL ?? `http://localhost:${env.PORT}`;
for (let i = 0; i < 120; i++) {
  const ok = await fetch(`http://127.0.0.1:${env.PORT}/api/health/ready`).then(
    (r) => r.ok,
    () => false,
  );
  if (ok) {
    log(`PSF Certification Platform is running at ${url}  (API docs: ${url}/api/docs) — Ctrl-C stops it`);
    break;
  }
  if (i === 119) die('the API did not become healthy within 60 s');
  await new Promise((r) => setTimeout(r, 500));
}
