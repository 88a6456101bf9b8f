import {
  CamelCasePlugin,
  type CompiledQuery,
  type DatabaseConnection,
  type Driver,
  Kysely,
  PostgresAdapter,
  PostgresIntrospector,
  PostgresQueryCompiler,
  type QueryResult,
} from 'kysely';
import { type DataSource, EntityManager, type QueryRunner } from 'typeorm';
import type { DB } from './schema.generated';

/**
 * Typed queries (Kysely) over TypeORM's connection: TypeORM keeps the pool, the migrations and the
 * transactions (`dataSource.transaction(async (tx) => …)`), Kysely builds the SQL and types the rows
 * from `schema.generated.d.ts`, which kysely-codegen writes from the migrated database
 * (`npm run db:types`; the integration tier fails when it drifts from the migrations).
 *
 * `typed(tx)` runs inside the caller's transaction; `typed(dataSource)` takes a pooled connection per
 * query. Column names are camelCase in TypeScript and snake_case in PostgreSQL (CamelCasePlugin); the keys
 * inside jsonb values are left as stored.
 * Errors stay TypeORM's QueryFailedError, so the HTTP layer maps constraint violations as before.
 */
export type Db = Kysely<DB>;

const instances = new WeakMap<DataSource | EntityManager, Db>();

export function typed(source: DataSource | EntityManager): Db {
  let db = instances.get(source);
  if (!db) {
    db = new Kysely<DB>({
      dialect: {
        createAdapter: () => new PostgresAdapter(),
        createDriver: () => new TypeOrmDriver(source),
        createIntrospector: (k) => new PostgresIntrospector(k),
        createQueryCompiler: () => new PostgresQueryCompiler(),
      },
      // Column names only: jsonb values (audit data, item content, answers) come back exactly as stored.
      plugins: [new CamelCasePlugin({ maintainNestedObjectKeys: true })],
    });
    instances.set(source, db);
  }
  return db;
}

/** Takes a transaction-scoped advisory lock, held until the caller's transaction ends (serialises one kind of work across replicas). */
export async function advisoryXactLock(tx: EntityManager, key: number): Promise<void> {
  await typed(tx)
    .selectNoFrom((eb) => eb.fn<unknown>('pg_advisory_xact_lock', [eb.val(key)]).as('locked'))
    .execute();
}

const WRITES = new Set(['InsertQueryNode', 'UpdateQueryNode', 'DeleteQueryNode', 'MergeQueryNode']);

class TypeOrmConnection implements DatabaseConnection {
  constructor(
    readonly runner: QueryRunner,
    readonly owned: boolean,
  ) {}

  async executeQuery<R>(compiled: CompiledQuery): Promise<QueryResult<R>> {
    const result = await this.runner.query(compiled.sql, [...compiled.parameters], true);
    const rows = (result.records ?? []) as R[];
    return WRITES.has(compiled.query.kind) ? { rows, numAffectedRows: BigInt(result.affected ?? 0) } : { rows };
  }

  // eslint-disable-next-line require-yield
  async *streamQuery<R>(): AsyncIterableIterator<QueryResult<R>> {
    throw new Error('Streaming is not offered over TypeORM connections');
  }
}

class TypeOrmDriver implements Driver {
  constructor(private readonly source: DataSource | EntityManager) {}

  async init(): Promise<void> {}

  async acquireConnection(): Promise<DatabaseConnection> {
    if (this.source instanceof EntityManager && this.source.queryRunner) return new TypeOrmConnection(this.source.queryRunner, false);
    const dataSource = this.source instanceof EntityManager ? this.source.connection : this.source;
    return new TypeOrmConnection(dataSource.createQueryRunner(), true);
  }

  async releaseConnection(connection: DatabaseConnection): Promise<void> {
    const c = connection as TypeOrmConnection;
    if (c.owned) await c.runner.release();
  }

  // Transactions belong to TypeORM: one place opens them, and raw and typed queries share them.
  async beginTransaction(): Promise<void> {
    throw new Error('Open transactions with dataSource.transaction() and pass its EntityManager to typed(tx)');
  }
  async commitTransaction(): Promise<void> {
    throw new Error('Transactions are committed by dataSource.transaction()');
  }
  async rollbackTransaction(): Promise<void> {
    throw new Error('Transactions are rolled back by dataSource.transaction()');
  }

  async destroy(): Promise<void> {}
}
