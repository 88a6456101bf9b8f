import { randomBytes } from 'node:crypto';
import * as path from 'node:path';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { dataSourceOptions } from '../src/infrastructure/database/data-source-options';
import { runMigrations } from '../src/infrastructure/database/migrate';
import { appRoleUrl, ensureAppRoleLogin } from './app-role';

/**
 * One fresh database per run, with every migration applied (never the demo data), and a Redis
 * key prefix of its own so parallel runs and a running platform do not see each other's jobs.
 * Migrations run as the owner (TEST_PG_URL's user, DATABASE_OWNER_URL); the application under test
 * connects as psf_app (DATABASE_URL), as in production, so no test passes only because the app
 * could rewrite the audit log.
 */
export default async function globalSetup(): Promise<void> {
  const adminUrl = process.env.TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  const name = `psf_test_${Date.now()}_${randomBytes(3).toString('hex')}`;
  const admin = new Client({ connectionString: adminUrl });
  await admin.connect().catch((error) => {
    throw new Error(`Integration tests need PostgreSQL at ${adminUrl} (set TEST_PG_URL): ${error.message}`);
  });
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();

  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  process.env.DATABASE_OWNER_URL = url.toString();
  process.env.DATABASE_URL = appRoleUrl(url.toString());
  process.env.PSF_TEST_DATABASE = name;
  process.env.REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
  process.env.REDIS_PREFIX = `psftest${randomBytes(4).toString('hex')}`;
  process.env.JWT_SECRET = randomBytes(32).toString('hex');
  process.env.NODE_ENV = 'test';
  process.env.LOG_LEVEL = process.env.TEST_LOG_LEVEL ?? 'silent';
  process.env.SERVE_SPA = 'false';
  process.env.DATA_DIR = `/tmp/${name}`;
  process.env.OUTBOX_POLL_MS = '50';
  process.env.BANK_DIR = path.resolve(__dirname, '../../question-bank');

  const ds = await new DataSource(dataSourceOptions(process.env.DATABASE_OWNER_URL, 2)).initialize();
  await runMigrations(ds);
  await ds.destroy();
  await ensureAppRoleLogin(process.env.DATABASE_OWNER_URL);
}
