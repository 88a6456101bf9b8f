import { sql } from 'kysely';
import { DataSource, QueryFailedError } from 'typeorm';
import { dataSourceOptions } from './data-source-options';
import { executePrepared, typed, usePreparedStatements } from './kysely';

/** The hot statements run as named prepared statements (executePrepared); everything about them stays as before. */
describe('executePrepared', () => {
  let dataSource: DataSource;

  beforeAll(async () => {
    dataSource = await new DataSource(dataSourceOptions(process.env.DATABASE_URL!, 2)).initialize();
  });

  afterAll(async () => {
    await dataSource.destroy();
  });

  it('prepares the statement once on the connection and runs it again by name, with camelCased rows', async () => {
    await dataSource.transaction(async (tx) => {
      const db = typed(tx);
      const probe = (n: number) => sql<{ nextValue: number }>`SELECT ${n}::int + 1 AS next_value`;
      expect((await executePrepared(db, 'probe', probe(1))).rows).toEqual([{ nextValue: 2 }]);
      expect((await executePrepared(db, 'probe', probe(41))).rows).toEqual([{ nextValue: 42 }]);
      const { rows } = await sql<{ name: string; statement: string }>`
        SELECT name, statement FROM pg_prepared_statements WHERE name LIKE 'psf_probe_%'`.execute(db);
      expect(rows).toHaveLength(1);
      expect(rows[0].statement).toContain('AS next_value');
    });
  });

  it('gives two texts under one label two names, and counts the rows a write changed', async () => {
    await dataSource.transaction(async (tx) => {
      const db = typed(tx);
      await sql`CREATE TEMPORARY TABLE prepared_probe (n int) ON COMMIT DROP`.execute(db);
      const inserted = await executePrepared(
        db,
        'probe_write',
        db.insertInto('preparedProbe' as never).values([{ n: 1 }, { n: 2 }] as never),
      );
      expect(inserted.numAffectedRows).toBe(2n);
      await executePrepared(db, 'probe_write', db.insertInto('preparedProbe' as never).values({ n: 3 } as never));
      const { rows } = await sql<{
        n: number;
      }>`SELECT count(*)::int AS n FROM pg_prepared_statements WHERE name LIKE 'psf_probe_write_%'`.execute(db);
      expect(rows[0].n).toBe(2);
    });
  });

  it('runs unnamed with DATABASE_PREPARED_STATEMENTS=false (a pooler that cannot keep prepared statements)', async () => {
    usePreparedStatements(false);
    try {
      await dataSource.transaction(async (tx) => {
        const db = typed(tx);
        expect((await executePrepared(db, 'probe_off', sql<{ n: number }>`SELECT ${7}::int AS n`)).rows).toEqual([{ n: 7 }]);
        const { rows } = await sql<{
          n: number;
        }>`SELECT count(*)::int AS n FROM pg_prepared_statements WHERE name LIKE 'psf_probe_off_%'`.execute(db);
        expect(rows[0].n).toBe(0);
      });
    } finally {
      usePreparedStatements(true);
    }
  });

  it("fails as TypeORM's QueryFailedError with PostgreSQL's code, so the HTTP layer maps it as before", async () => {
    const db = typed(dataSource);
    const failing = executePrepared(db, 'probe_error', sql`SELECT ${'not-a-uuid'}::uuid AS id`);
    await expect(failing).rejects.toBeInstanceOf(QueryFailedError);
    await expect(executePrepared(db, 'probe_error', sql`SELECT ${'not-a-uuid'}::uuid AS id`)).rejects.toMatchObject({ code: '22P02' });
    // The pooled connection is usable afterwards, and the same statement then succeeds.
    const ok = await executePrepared(db, 'probe_error', sql<{ id: string }>`SELECT ${'00000000-0000-4000-8000-000000000000'}::uuid AS id`);
    expect(ok.rows[0].id).toBe('00000000-0000-4000-8000-000000000000');
  });
});
