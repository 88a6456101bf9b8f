import { DataSource } from 'typeorm';
import { dataSourceOptions } from './data-source-options';

// Any fixed number: two processes booting at once take turns instead of racing the same DDL.
const MIGRATION_LOCK_KEY = 7_346_001;

export async function runMigrations(dataSource: DataSource): Promise<string[]> {
  const runner = dataSource.createQueryRunner();
  await runner.connect();
  try {
    await runner.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
    const applied = await dataSource.runMigrations({ transaction: 'each' });
    return applied.map((m) => m.name);
  } finally {
    await runner.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]).catch(() => undefined);
    await runner.release();
  }
}

/** Applies pending migrations as the owner role (DATABASE_OWNER_URL) on a connection of its own, closed after. */
export async function runMigrationsAsOwner(ownerUrl: string): Promise<string[]> {
  const owner = await new DataSource(dataSourceOptions(ownerUrl, 2)).initialize();
  try {
    return await runMigrations(owner);
  } finally {
    await owner.destroy();
  }
}
