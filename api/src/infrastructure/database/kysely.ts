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
import { type DataSource, EntityManager, QueryFailedError, type QueryRunner } from 'typeorm';
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

/** The statement name each compiled query marked by `executePrepared` runs under. */
const preparedNames = new WeakMap<CompiledQuery, string>();
/** Statement names by SQL text: one name per text, so a pooled connection never sees one name for two texts. */
const namesByText = new Map<string, string>();
/** Bounds the names (and the statements each pooled connection keeps): beyond it, statements run unnamed. */
const MAX_PREPARED_TEXTS = 32;
let preparing = true;

/** DATABASE_PREPARED_STATEMENTS: false runs every statement unnamed (for a pooler that cannot keep prepared statements). */
export function usePreparedStatements(enabled: boolean): void {
  preparing = enabled;
}

/**
 * Runs one of the platform's hottest statements as a NAMED prepared statement: each pooled connection parses and
 * plans it once, then only binds and executes it. Unnamed (every other query), PostgreSQL plans it anew on every
 * call, and for these planning cost as much as running or more (pg_stat_statements with track_planning, during
 * bench:exam: the answer save 0.28 ms to plan against 0.21 ms to run, the session check 0.37 against 0.10, a start's
 * draw 1.05 against 1.08 and its read 0.35 against 0.17).
 *
 * Only for statements whose SQL text is fixed at the call site (values are parameters, never spliced in), and whose
 * result columns are named: a plan that no longer fits after a migration is re-planned by PostgreSQL. Behind a
 * connection pooler in transaction mode, the pooler must track prepared statements (PgBouncer ≥ 1.21 with
 * `max_prepared_statements`); the platform's own pool (pg-pool) keeps each statement on its connection.
 */
export async function executePrepared<R>(db: Db, name: string, query: { compile(db: Db): CompiledQuery<R> }): Promise<QueryResult<R>> {
  const compiled = query.compile(db);
  if (!preparing) return db.executeQuery(compiled);
  let statement = namesByText.get(compiled.sql);
  if (statement === undefined && namesByText.size < MAX_PREPARED_TEXTS) {
    statement = `psf_${name}_${namesByText.size}`;
    namesByText.set(compiled.sql, statement);
  }
  if (statement !== undefined) preparedNames.set(compiled, statement);
  return db.executeQuery(compiled);
}

const WRITES = new Set(['InsertQueryNode', 'UpdateQueryNode', 'DeleteQueryNode', 'MergeQueryNode']);

/** node-pg's client, as TypeORM's Postgres query runner holds it. */
interface PgClient {
  query(config: { name: string; text: string; values: unknown[] }): Promise<{ rows: unknown[]; rowCount: number | null }>;
}

/** Kysely's result: the rows, and for a write the number of rows it changed. */
function resultOf<R>(compiled: CompiledQuery, rows: unknown[], affected: number | null | undefined): QueryResult<R> {
  return WRITES.has(compiled.query.kind) ? { rows: rows as R[], numAffectedRows: BigInt(affected ?? 0) } : { rows: rows as R[] };
}

class TypeOrmConnection implements DatabaseConnection {
  constructor(
    readonly runner: QueryRunner,
    readonly owned: boolean,
  ) {}

  async executeQuery<R>(compiled: CompiledQuery): Promise<QueryResult<R>> {
    const statement = preparedNames.get(compiled);
    if (statement !== undefined) return this.executeNamed<R>(statement, compiled);
    const result = await this.runner.query(compiled.sql, [...compiled.parameters], true);
    return resultOf<R>(compiled, result.records ?? [], result.affected);
  }

  /** Straight on the runner's node-pg client (TypeORM's query() sends unnamed statements only); errors as TypeORM's. */
  private async executeNamed<R>(name: string, compiled: CompiledQuery): Promise<QueryResult<R>> {
    const parameters = [...compiled.parameters];
    const client = (await this.runner.connect()) as PgClient;
    let result: Awaited<ReturnType<PgClient['query']>>;
    try {
      result = await client.query({ name, text: compiled.sql, values: parameters });
    } catch (error) {
      throw new QueryFailedError(compiled.sql, parameters, error as Error);
    }
    return resultOf<R>(compiled, result.rows, result.rowCount);
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
