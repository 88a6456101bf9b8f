import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { type Selectable, sql } from 'kysely';
import { DataSource, EntityManager } from 'typeorm';
import { advisoryXactLock, type Db, typed } from '../../infrastructure/database/kysely';
import type { AuditLog } from '../../infrastructure/database/schema.generated';
import { usersReader } from '../users/users.reader';

/** An audit row as stored (`id` is a bigint, read as a string; `data` is the jsonb as parsed). */
export type AuditRow = Selectable<AuditLog>;

/** A row as the audit viewer lists it: with the acting account's name (null for the platform's own entries). */
export type AuditListRow = AuditRow & { actorName: string | null };

/** The viewer's filters, resolved (see AuditService.filterOf); every one given must hold. */
export interface AuditFilter {
  actorId?: string;
  /** Part of the acting account's name or address. */
  actorText?: string;
  /** Entries by this account or about it (subject `user`). */
  personId?: string;
  subjectType?: string;
  subjectId?: string;
  action?: { exact: string } | { prefix: string };
  /** occurred_at >= since */
  since?: Date;
  /** occurred_at < until */
  until?: Date;
  onlyActions?: string[];
  exceptActions?: string[];
}

const likeLiteral = (text: string) => text.replace(/[\\%_]/g, (c) => `\\${c}`);

/** The append-only audit log; appends themselves are written through the entity (see AuditService.append). */
@Injectable()
export class AuditRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  private db(tx?: EntityManager) {
    return typed(tx ?? this.dataSource);
  }

  /** Takes a transaction-scoped advisory lock: held until the caller's transaction ends. */
  lock(tx: EntityManager, key: number): Promise<void> {
    return advisoryXactLock(tx, key);
  }

  /**
   * Takes the append lock (transaction-scoped) and reads the newest row's hash in ONE round trip: two
   * statements in one simple-query message. Under READ COMMITTED each statement takes its own snapshot, so
   * the hash is read after the lock is granted and sees every append committed before it. (One round trip
   * less while holding the lock that every audited write on the platform waits for.)
   */
  async lockAndLastHash(tx: EntityManager, key: number): Promise<string | null> {
    if (!Number.isSafeInteger(key)) throw new Error(`advisory lock key ${key} is not an integer`);
    if (!tx.queryRunner?.isTransactionActive) throw new Error('lockAndLastHash needs the caller’s transaction');
    const client = (await tx.queryRunner.connect()) as { query(text: string): Promise<Array<{ rows: Array<{ hash: string }> }>> };
    const [, newest] = await client.query(`SELECT pg_advisory_xact_lock(${key}); SELECT hash FROM audit_log ORDER BY id DESC LIMIT 1`);
    return newest.rows[0]?.hash ?? null;
  }

  /** The hash of the newest row, null while the log is empty. */
  async lastHash(tx: EntityManager): Promise<string | null> {
    const row = await this.db(tx).selectFrom('auditLog').select('hash').orderBy('id', 'desc').limit(1).executeTakeFirst();
    return row?.hash ?? null;
  }

  /**
   * Writes one chained entry (under the append lock the caller holds) and answers it as stored. One INSERT … RETURNING,
   * where TypeORM's entity save built the same statement through its persistence machinery on every audited write.
   */
  async insertEntry(tx: EntityManager, row: Omit<AuditRow, 'id' | 'data'> & { data: Record<string, unknown> }): Promise<AuditRow> {
    return this.db(tx)
      .insertInto('auditLog')
      .values({ ...row, data: JSON.stringify(row.data) })
      .returningAll()
      .executeTakeFirstOrThrow();
  }

  async insertPersonalData(tx: EntityManager, row: { entryId: string; userId: string; salt: string; data: Record<string, unknown> }) {
    await this.db(tx)
      .insertInto('auditPersonalData')
      .values({ ...row, data: JSON.stringify(row.data) })
      .execute();
  }

  async deletePersonalData(tx: EntityManager, userId: string): Promise<number> {
    const result = await this.db(tx).deleteFrom('auditPersonalData').where('userId', '=', userId).executeTakeFirst();
    return Number(result.numDeletedRows);
  }

  /** Entries about the user (subject) or by them (actor), oldest first, with any personal data still held for them. */
  async rowsAbout(userId: string) {
    return this.db()
      .selectFrom('auditLog as a')
      .leftJoin('auditPersonalData as p', (join) => join.onRef('p.entryId', '=', 'a.id').on('p.userId', '=', userId))
      .select(['a.occurredAt', 'a.actorId', 'a.action', 'a.subjectType', 'a.subjectId', 'a.data', 'p.data as personal'])
      .where((eb) => eb.or([eb.and([eb('a.subjectType', '=', 'user'), eb('a.subjectId', '=', userId)]), eb('a.actorId', '=', userId)]))
      .orderBy('a.id', 'asc')
      .execute();
  }

  /** Up to `limit` rows after `afterId`, oldest first (the chain's order). */
  async rowsAfter(afterId: string, limit: number, tx?: EntityManager): Promise<AuditRow[]> {
    return this.db(tx).selectFrom('auditLog').selectAll().where('id', '>', afterId).orderBy('id', 'asc').limit(limit).execute();
  }

  async rowById(id: string, tx?: EntityManager): Promise<AuditRow | undefined> {
    return this.db(tx).selectFrom('auditLog').selectAll().where('id', '=', id).executeTakeFirst();
  }

  /** How many rows there are up to and including `id` (a checkpoint's row count). */
  async countUpTo(id: string, tx?: EntityManager): Promise<number> {
    const row = await this.db(tx)
      .selectFrom('auditLog')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .where('id', '<=', id)
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }

  /** The newest `limit` rows; `reads` picks the given actions only, `decisions` every other one. */
  async newest(limit: number, filter: { only?: string[]; except?: string[] }): Promise<AuditRow[]> {
    let query = this.db().selectFrom('auditLog').selectAll();
    if (filter.only) query = filter.only.length ? query.where('action', 'in', filter.only) : query.where(sql<boolean>`false`);
    if (filter.except?.length) query = query.where('action', 'not in', filter.except);
    return query.orderBy('id', 'desc').limit(limit).execute();
  }

  /** One page of the filtered entries, newest first. */
  async page(filter: AuditFilter, offset: number, limit: number): Promise<AuditListRow[]> {
    return this.filtered(filter)
      .selectAll('a')
      .select('u.fullName as actorName')
      .orderBy('a.id', 'desc')
      .limit(limit)
      .offset(offset)
      .execute();
  }

  async count(filter: AuditFilter): Promise<number> {
    const row = await this.filtered(filter)
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }

  /**
   * Every action the log holds, alphabetically: a loose index scan over (action, id) — one index probe per
   * distinct action instead of reading every row (PostgreSQL has no skip scan of its own).
   */
  async distinctActions(): Promise<string[]> {
    const { rows } = await sql<{ action: string }>`
      WITH RECURSIVE actions AS (
        (SELECT action FROM audit_log ORDER BY action LIMIT 1)
        UNION ALL
        SELECT (SELECT l.action FROM audit_log l WHERE l.action > actions.action ORDER BY l.action LIMIT 1)
        FROM actions WHERE actions.action IS NOT NULL
      )
      SELECT action FROM actions WHERE action IS NOT NULL`.execute(this.db());
    return rows.map((r) => r.action);
  }

  private filtered(f: AuditFilter) {
    const db: Db = this.db();
    let query = db.selectFrom('auditLog as a').leftJoin(usersReader.people(db).as('u'), 'u.id', 'a.actorId');
    if (f.actorId) query = query.where('a.actorId', '=', f.actorId);
    if (f.actorText) {
      const pattern = `%${likeLiteral(f.actorText)}%`;
      query = query.where((eb) => eb.or([eb('u.fullName', 'ilike', pattern), eb('u.email', 'ilike', pattern)]));
    }
    if (f.personId) {
      const id = f.personId;
      query = query.where((eb) =>
        eb.or([eb('a.actorId', '=', id), eb.and([eb('a.subjectType', '=', 'user'), eb('a.subjectId', '=', id)])]),
      );
    }
    if (f.subjectType) query = query.where('a.subjectType', '=', f.subjectType);
    if (f.subjectId) query = query.where('a.subjectId', '=', f.subjectId);
    if (f.action && 'exact' in f.action) query = query.where('a.action', '=', f.action.exact);
    if (f.action && 'prefix' in f.action) query = query.where('a.action', 'like', `${likeLiteral(f.action.prefix)}%`);
    if (f.since) query = query.where('a.occurredAt', '>=', f.since);
    if (f.until) query = query.where('a.occurredAt', '<', f.until);
    if (f.onlyActions) query = f.onlyActions.length ? query.where('a.action', 'in', f.onlyActions) : query.where(sql<boolean>`false`);
    if (f.exceptActions?.length) query = query.where('a.action', 'not in', f.exceptActions);
    return query;
  }
}
