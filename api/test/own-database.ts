import { rmSync } from 'node:fs';
import * as path from 'node:path';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { dataSourceOptions } from '../src/infrastructure/database/data-source-options';
import { runMigrations } from '../src/infrastructure/database/migrate';
import { appRoleUrl } from './app-role';

/**
 * A migrated database (and Redis key prefix and data directory) of a suite's own, for suites whose work
 * must not meet the rows other suites leave in the run's shared database: thousands of simulated
 * attempts, or a worker that would otherwise first work through every suite's pending jobs.
 * `use()` points DATABASE_URL (psf_app), DATABASE_OWNER_URL, REDIS_PREFIX and DATA_DIR at it; `release()`
 * restores them and drops it. The database is created and migrated as the owner, like the run's shared one.
 * The data directory must be its own too: the audit checkpoints written there describe one database's
 * chain, and another database's rows would fail verification against them.
 */
export class OwnDatabase {
  private readonly shared = {
    url: process.env.DATABASE_URL!,
    ownerUrl: process.env.DATABASE_OWNER_URL!,
    prefix: process.env.REDIS_PREFIX!,
    dataDir: process.env.DATA_DIR!,
  };
  private readonly name: string;

  private constructor(suffix: string) {
    this.name = `${process.env.PSF_TEST_DATABASE}_${suffix}`;
  }

  static async use(suffix: string): Promise<OwnDatabase> {
    const own = new OwnDatabase(suffix);
    await own.admin(`CREATE DATABASE ${own.name}`);
    const url = new URL(own.shared.ownerUrl);
    url.pathname = `/${own.name}`;
    process.env.DATABASE_OWNER_URL = url.toString();
    process.env.DATABASE_URL = appRoleUrl(url.toString());
    process.env.REDIS_PREFIX = `${own.shared.prefix}${suffix}`;
    process.env.DATA_DIR = own.dataDir;
    const ds = await new DataSource(dataSourceOptions(process.env.DATABASE_OWNER_URL, 2)).initialize();
    await runMigrations(ds);
    await ds.destroy();
    return own;
  }

  async release(): Promise<void> {
    process.env.DATABASE_URL = this.shared.url;
    process.env.DATABASE_OWNER_URL = this.shared.ownerUrl;
    process.env.REDIS_PREFIX = this.shared.prefix;
    process.env.DATA_DIR = this.shared.dataDir;
    rmSync(this.dataDir, { recursive: true, force: true });
    await this.admin(`DROP DATABASE IF EXISTS ${this.name} WITH (FORCE)`);
  }

  /** Inside the run's data directory, so the run's teardown removes it even when a suite never releases. */
  private get dataDir(): string {
    return path.join(this.shared.dataDir, 'own', this.name);
  }

  private async admin(sql: string): Promise<void> {
    const pg = new Client({ connectionString: this.shared.ownerUrl });
    await pg.connect();
    try {
      await pg.query(sql);
    } finally {
      await pg.end();
    }
  }
}
