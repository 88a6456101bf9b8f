#!/usr/bin/env node
// Runs an API command-line task (`user:create`, `migrate`) against the configured database, or
// against the embedded one that `npm start` runs (or starts it for the duration of the task).
import * as path from 'node:path';
import { buildIfStale, DATA_DIR, ensureDependencies, readJson, ROOT, run } from './lib/env.mjs';

// Commands that only read files need no database.
const FILE_ONLY = new Set(['bank:check', 'bank:import', 'bank:adopt', 'keys:rotate']);

ensureDependencies();
buildIfStale('api');
const cli = path.join(ROOT, 'api/dist/api/src/cli.js');

const env = { ...process.env };
let stop = async () => undefined;
if (!env.DATABASE_URL && !FILE_ONLY.has(process.argv[2])) {
  const runtime = readJson(path.join(DATA_DIR, 'runtime.json'), null);
  let alive;
  try {
    alive = runtime ? process.kill(runtime.pid, 0) : false;
  } catch {
    alive = false;
  }
  if (alive) {
    env.DATABASE_URL = runtime.DATABASE_URL;
    env.REDIS_URL ??= runtime.REDIS_URL;
  } else {
    const { localSecrets, startEmbeddedPostgres } = await import('./lib/services.mjs');
    const pg = await startEmbeddedPostgres({ dir: path.join(DATA_DIR, 'postgres'), password: localSecrets().postgresPassword });
    env.DATABASE_URL = pg.url;
    stop = pg.stop;
    run(process.execPath, [cli, 'migrate'], { env });
  }
  env.JWT_SECRET ??= (await import('./lib/services.mjs')).localSecrets().jwtSecret;
}
try {
  run(process.execPath, [cli, ...process.argv.slice(2)], { env });
} finally {
  await stop();
}
