#!/usr/bin/env node
// `npm run exam:simulate -- --candidates N`: a synthetic population sits AIDA through the real
// attempt API in a throwaway database (created here, dropped at the end unless --keep), then the
// item analysis is compared with the parameters the simulation planted.
import { randomBytes } from 'node:crypto';
import { closeSync, mkdtempSync, openSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { spawn, spawnSync } from 'node:child_process';
import { buildIfStale, ensureDependencies, freePort, log, ROOT } from './lib/env.mjs';

ensureDependencies();
buildIfStale('api');
const { findOrStartTestServices } = await import('./lib/services.mjs');
const { default: pg } = await import('pg');

const args = process.argv.slice(2);
const keep = args.includes('--keep');
const services = await findOrStartTestServices();
const name = `psf_sim_${Date.now()}_${randomBytes(3).toString('hex')}`;
const admin = new pg.Client({ connectionString: services.pgUrl });
await admin.connect();
await admin.query(`CREATE DATABASE ${name}`);
const url = new URL(services.pgUrl);
url.pathname = `/${name}`;
const env = {
  ...process.env,
  NODE_ENV: 'test',
  DATABASE_URL: url.toString(),
  REDIS_URL: services.redisUrl,
  REDIS_PREFIX: `psfsim${randomBytes(4).toString('hex')}`,
  JWT_SECRET: randomBytes(32).toString('hex'),
  DATA_DIR: mkdtempSync(path.join(os.tmpdir(), 'psf-sim-')),
  LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn',
};
const cli = path.join(ROOT, 'api/dist/api/src/cli.js');
const step = (cliArgs) => spawnSync(process.execPath, [cli, ...cliArgs], { cwd: ROOT, env, stdio: 'inherit' }).status === 0;

/** The API in its own process (the candidates' side runs in the CLI process), its output in a log file. */
async function startApi() {
  const port = await freePort();
  const logFile = openSync(path.join(env.DATA_DIR, 'api.log'), 'a');
  const child = spawn(process.execPath, [path.join(ROOT, 'api/dist/api/src/main.js')], {
    cwd: ROOT,
    env: { ...env, PORT: String(port), PUBLIC_URL: `http://127.0.0.1:${port}`, SERVE_SPA: 'false', MIGRATIONS_RUN: 'false' },
    stdio: ['ignore', logFile, logFile],
  });
  closeSync(logFile);
  const baseUrl = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 300; i++) {
    if (child.exitCode !== null) break;
    if (
      await fetch(`${baseUrl}/api/framework`).then(
        (r) => r.ok,
        () => false,
      )
    )
      return { baseUrl, child };
    await new Promise((r) => setTimeout(r, 200));
  }
  child.kill('SIGTERM');
  throw new Error(`the API did not start; see ${path.join(env.DATA_DIR, 'api.log')}`);
}

let code = 1;
let api = null;
try {
  log(`throwaway database ${name}`);
  if (step(['migrate'])) {
    api = await startApi();
    if (step(['exam:simulate', '--base-url', api.baseUrl, ...args.filter((a) => a !== '--keep')])) code = 0;
  }
} catch (error) {
  log(String(error.message ?? error));
} finally {
  if (api) {
    api.child.kill('SIGTERM');
    await new Promise((r) => (api.child.exitCode !== null ? r() : api.child.once('exit', r)));
  }
  if (keep) log(`kept: DATABASE_URL=${url}`);
  else await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  await admin.end();
  for (const stop of services.stops) await stop().catch(() => undefined);
}
process.exit(code);
