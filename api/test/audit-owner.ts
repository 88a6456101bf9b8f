import { Client } from 'pg';

/**
 * Runs `fn` connected as the database owner (DATABASE_OWNER_URL), the role migrations run as: what
 * someone with the owner's credentials could do behind the application's back. The application under
 * test connects as psf_app (DATABASE_URL), which cannot.
 */
export async function asOwner<T>(fn: (owner: Client) => Promise<T>): Promise<T> {
  const url = process.env.DATABASE_OWNER_URL;
  if (!url) throw new Error('DATABASE_OWNER_URL is not set (test/global-setup.ts sets it)');
  const owner = new Client({ connectionString: url });
  await owner.connect();
  try {
    return await fn(owner);
  } finally {
    await owner.end();
  }
}

/**
 * As the owner, runs `sql` on audit_log with its append-only triggers off, in one transaction (the
 * triggers are back on at commit, and other sessions wait meanwhile): the owner's way round them.
 */
export function tamperWithAuditLog(sql: string, params: unknown[] = []): Promise<number> {
  return asOwner(async (owner) => {
    await owner.query('BEGIN');
    try {
      await owner.query('ALTER TABLE audit_log DISABLE TRIGGER USER');
      const result = await owner.query(sql, params);
      await owner.query('ALTER TABLE audit_log ENABLE TRIGGER USER');
      await owner.query('COMMIT');
      return result.rowCount ?? 0;
    } catch (error) {
      await owner.query('ROLLBACK');
      throw error;
    }
  });
}
