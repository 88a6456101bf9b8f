import { randomBytes } from 'node:crypto';
import { appendFileSync, cpSync, mkdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { Client } from 'pg';
import { assertBuilt, freePort, platformEnv, ROOT, runCli, startProcess, writeState } from './platform';
import { newTotpSecret } from './totp';

export default async function globalSetup(): Promise<void> {
  assertBuilt();
  const adminUrl = process.env.TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  const databaseName = `psf_e2e_${Date.now()}_${randomBytes(3).toString('hex')}`;
  const pg = new Client({ connectionString: adminUrl });
  await pg.connect();
  await pg.query(`CREATE DATABASE ${databaseName}`);
  await pg.end();
  const url = new URL(adminUrl);
  url.pathname = `/${databaseName}`;

  const port = await freePort();
  const dataDir = `/tmp/${databaseName}`;
  mkdirSync(dataDir, { recursive: true });
  // The real bank has no draft: a copy of it with one more (D01-099) gives the item review test something to review.
  const bankDir = path.join(dataDir, 'bank');
  cpSync(path.join(ROOT, 'question-bank'), bankDir, { recursive: true });
  appendFileSync(path.join(bankDir, 'items/D01.yaml'), readFileSync(path.join(__dirname, 'draft-item.yaml')));
  const base = {
    // localhost, not 127.0.0.1: WebAuthn (passkeys) refuses an IP address as the relying party's domain.
    baseUrl: `http://localhost:${port}`,
    databaseName,
    databaseUrl: url.toString(),
    redisPrefix: `psfe2e${randomBytes(4).toString('hex')}`,
    dataDir,
    bankDir,
    jwtSecret: randomBytes(32).toString('hex'),
  };
  const env = platformEnv(base, port);
  runCli(env, ['migrate']);
  const admin = {
    email: `admin-${randomBytes(3).toString('hex')}@example.org`,
    password: `admin-${randomBytes(8).toString('hex')}`,
    totpSecret: newTotpSecret(),
  };
  runCli(env, [
    'user:create',
    '--email',
    admin.email,
    '--password',
    admin.password,
    '--name',
    'Avery Admin',
    '--role',
    'admin',
    '--totp-secret',
    admin.totpSecret,
  ]);

  const worker = startProcess({ ...env, MIGRATIONS_RUN: 'false' }, 'worker.js', dataDir);
  const api = startProcess({ ...env, MIGRATIONS_RUN: 'false' }, 'main.js', dataDir);
  writeState({ ...base, pids: [api.pid!, worker.pid!], admin });

  // A loaded machine can take a while (the bank sync runs the cue audit): wait up to 90 s.
  for (let i = 0; i < 450; i++) {
    const ok = await fetch(`${base.baseUrl}/api/health/ready`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) return;
    if (api.exitCode !== null) break;
    await new Promise((r) => setTimeout(r, 200));
  }
  // Teardown does not run when set-up fails: stop what was started here.
  for (const child of [api, worker]) child.kill('SIGKILL');
  throw new Error(`the platform did not become healthy; see ${dataDir}/main.js.log`);
}
