#!/usr/bin/env node
// `npm run db:types`: regenerates api/src/infrastructure/database/schema.generated.d.ts (the row
// types of every typed query) from a scratch database with every migration applied. Run it after
// writing a migration; the integration tier fails while the committed file and the migrations differ.
// PostgreSQL: TEST_PG_URL, else the local one, else an embedded one for the duration.
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import * as path from 'node:path';
import { buildIfStale, die, ensureDependencies, log, ROOT } from './lib/env.mjs';

ensureDependencies();
buildIfStale('api');
const { findOrStartTestServices } = await import('./lib/services.mjs');
const { default: pg } = await import('pg');

const services = await findOrStartTestServices();
const name = `psf_types_${randomBytes(4).toString('hex')}`;
const admin = async (sql) => {
  const client = new pg.Client({ connectionString: services.pgUrl });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
};

let status;
await admin(`CREATE DATABASE ${name}`);
try {
  const url = new URL(services.pgUrl);
  url.pathname = `/${name}`;
  const env = { ...process.env, DATABASE_URL: url.toString() };
  const migrate = spawnSync(process.execPath, [path.join(ROOT, 'api/dist/api/src/cli.js'), 'migrate'], {
    cwd: ROOT,
    env,
    stdio: 'inherit',
  });
  if (migrate.status !== 0) die('the migrations did not apply');
  const codegen = spawnSync(
    process.execPath,
    [
      path.join(ROOT, 'node_modules/kysely-codegen/dist/cli/bin.js'),
      '--config-file',
      path.join(ROOT, 'api/.kysely-codegenrc.json'),
      '--url',
      url.toString(),
    ],
    { cwd: ROOT, env, stdio: 'inherit' },
  );
  status = codegen.status ?? 1;
  if (status === 0) log('api/src/infrastructure/database/schema.generated.d.ts is up to date with the migrations');
} finally {
  await admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  for (const stop of services.stops) await stop().catch(() => undefined);
}
process.exit(status);
