import { rmSync } from 'node:fs';
import { Client } from 'pg';
import { readState, stateFile } from './platform';

export default async function globalTeardown(): Promise<void> {
  const state = readState();
  for (const pid of state.pids) {
    try {
      process.kill(pid, 'SIGTERM');
    } catch {
      // already gone
    }
  }
  await new Promise((r) => setTimeout(r, 1500));
  const pg = new Client({ connectionString: process.env.TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres' });
  await pg.connect();
  await pg.query(`DROP DATABASE IF EXISTS ${state.databaseName} WITH (FORCE)`);
  await pg.end();
  if (!process.env.KEEP_E2E_DATA) rmSync(state.dataDir, { recursive: true, force: true });
  rmSync(stateFile(), { force: true });
  rmSync(`${stateFile()}.totp-steps.json`, { force: true });
}
