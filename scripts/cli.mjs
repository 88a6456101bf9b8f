#!/usr/bin/env node
// Runs an API command-line task (`user:create`, `users:bulk-create` for benchmark accounts, `migrate`; the list is
// USAGE in api/src/cli.ts) against the configured database, or
// against the embedded one that `npm start` runs (or starts it for the duration of the task).
import * as path from 'node:path';
import { buildIfStale, DATA_DIR, die, ensureDependencies, log, ROOT, run, runningInstance } from './lib/env.mjs';

// Commands that only read files need no database.
const FILE_ONLY = new Set(['bank:check', 'bank:import', 'bank:adopt']);

ensureDependencies();
buildIfStale('api');
const cli = path.join(ROOT, 'api/dist/api/src/cli.js');

const env = { ...process.env };
let stop = async () => undefined;
if (!env.DATABASE_URL && !FILE_ONLY.has(process.argv[2])) {
  const runtime = runningInstance();
  // App commands connect as psf_app (DATABASE_URL); `migrate` uses the owner (DATABASE_OWNER_URL).
  if (runtime) {
    env.DATABASE_URL = runtime.DATABASE_URL;
    if (runtime.DATABASE_OWNER_URL) env.DATABASE_OWNER_URL ??= runtime.DATABASE_OWNER_URL;
    env.REDIS_URL ??= runtime.REDIS_URL;
  } else {
    const { ensureAppRole, localSecrets, startEmbeddedPostgres } = await import('./lib/services.mjs');
    const pg = await startEmbeddedPostgres({ dir: path.join(DATA_DIR, 'postgres'), password: localSecrets().postgresPassword });
    env.DATABASE_OWNER_URL = pg.url;
    env.DATABASE_URL = pg.url;
    stop = pg.stop;
    run(process.execPath, [cli, 'migrate'], { env });
    env.DATABASE_URL = await ensureAppRole(pg.url, localSecrets().appDbPassword);
  }
}
// The JWT secret `npm start` gives the API outside production. TOTP secrets from `user:create
// --totp-secret` are sealed under it unless TOTP_ENCRYPTION_KEY is set, so CLI and API must agree.
if (!FILE_ONLY.has(process.argv[2]) && !env.JWT_SECRET) {
  const sealsTotp = process.argv.includes('--totp-secret') && !env.TOTP_ENCRYPTION_KEY;
  if (sealsTotp && env.NODE_ENV === 'production') die('--totp-secret: set TOTP_ENCRYPTION_KEY (or JWT_SECRET) as the API has it');
  env.JWT_SECRET = (await import('./lib/services.mjs')).localSecrets().jwtSecret;
  if (sealsTotp) log('sealing the TOTP secret with the development JWT secret (.data/secrets.json), as `npm start` uses it');
}
try {
  run(process.execPath, [cli, ...process.argv.slice(2)], { env });
} finally {
  await stop();
}
