import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { type ExpressionBuilder, sql } from 'kysely';
import { DataSource, EntityManager } from 'typeorm';
import { advisoryXactLock, type Db, typed } from '../../infrastructure/database/kysely';
import type { DB } from '../../infrastructure/database/schema.generated';
import { usersReader } from '../users/users.reader';

/** Where a window's pass mark comes from. */
export type PassMarkSource = 'blueprint' | 'admin_decision' | 'standard_setting';

/** An exam window: the pass mark in force from `startsAt` on, where it came from, and how many attempts were started in it. */
export interface ExamWindow {
  id: string;
  /** null for the window the platform started with (stored as '-infinity'). */
  startsAt: Date | null;
  /** numeric, as PostgreSQL returns it. */
  passMarkPercent: string;
  source: PassMarkSource;
  studyId: string | null;
  decidedBy: string | null;
  decidedByName: string | null;
  reason: string | null;
  createdAt: Date;
  attempts: number;
}

export interface StoredExamSettings {
  timeLimitSeconds: number;
  retakeCooldownSeconds: number;
  pretestCount: number;
}

/** A window's columns, with the name of whoever decided it and the number of attempts started in it. */
const windowColumns = (db: Db) => (eb: ExpressionBuilder<DB, 'examWindows'>) =>
  [
    'examWindows.id',
    'examWindows.startsAt',
    'examWindows.passMarkPercent',
    'examWindows.source',
    'examWindows.studyId',
    'examWindows.decidedBy',
    'examWindows.reason',
    'examWindows.createdAt',
    eb
      .selectFrom(usersReader.people(db).as('u'))
      .select('u.fullName')
      .whereRef('u.id', '=', 'examWindows.decidedBy')
      .$asScalar()
      .$castTo<string | null>()
      .as('decidedByName'),
    eb
      .selectFrom('attempts as a')
      .select(sql<number>`count(*)::int`.as('n'))
      .whereRef('a.windowId', '=', 'examWindows.id')
      .$asScalar()
      .$castTo<number>()
      .as('attempts'),
  ] as const;

type WindowRecord = Omit<ExamWindow, 'startsAt' | 'source'> & { startsAt: Date | number; source: string };

// node-postgres reads '-infinity' as the number -Infinity, not a Date.
const toExamWindow = (row: WindowRecord): ExamWindow => ({
  ...row,
  startsAt: row.startsAt instanceof Date && Number.isFinite(row.startsAt.getTime()) ? row.startsAt : null,
  source: row.source as PassMarkSource,
});

/** The exam's administration: its windows (pass marks), settings and per-candidate accommodations. */
@Injectable()
export class ExamWindowsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  private db(tx?: EntityManager) {
    return typed(tx ?? this.dataSource);
  }

  /** Takes a transaction-scoped advisory lock: held until the caller's transaction ends. */
  lock(tx: EntityManager, key: number): Promise<void> {
    return advisoryXactLock(tx, key);
  }

  /** The exam window in force now: the latest one that has started. */
  async currentWindow(examCode: string, tx?: EntityManager): Promise<ExamWindow | null> {
    const db = this.db(tx);
    const row = await db
      .selectFrom('examWindows')
      .select(windowColumns(db))
      .where('examWindows.examCode', '=', examCode)
      .where('examWindows.startsAt', '<=', sql<Date>`now()`)
      .orderBy('examWindows.startsAt', 'desc')
      .limit(1)
      .executeTakeFirst();
    return row ? toExamWindow(row) : null;
  }

  async listWindows(examCode: string, tx?: EntityManager): Promise<ExamWindow[]> {
    const db = this.db(tx);
    const rows = await db
      .selectFrom('examWindows')
      .select(windowColumns(db))
      .where('examWindows.examCode', '=', examCode)
      .orderBy('examWindows.startsAt', 'desc')
      .execute();
    return rows.map(toExamWindow);
  }

  /** The window a fresh platform starts with: the blueprint's pass mark, from the beginning of time (idempotent). */
  async ensureBlueprintWindow(examCode: string, passMarkPercent: number): Promise<void> {
    const db = this.db();
    await db
      .insertInto('examWindows')
      .columns(['examCode', 'startsAt', 'passMarkPercent', 'source', 'reason'])
      .expression(
        db
          .selectNoFrom([
            sql<string>`${examCode}::text`.as('examCode'),
            sql<Date>`'-infinity'::timestamptz`.as('startsAt'),
            sql<string>`${passMarkPercent}::numeric`.as('passMarkPercent'),
            sql<string>`'blueprint'`.as('source'),
            sql<string>`'the blueprint''s pass mark; no standard-setting study yet'`.as('reason'),
          ])
          .where((w) =>
            w.not(
              w.exists(
                w
                  .selectFrom('examWindows')
                  .select(sql`1`.as('one'))
                  .where('examCode', '=', examCode),
              ),
            ),
          ),
      )
      .onConflict((oc) => oc.doNothing())
      .execute();
  }

  /** Opens a window; `startsAt` null: now. */
  async insertWindow(
    tx: EntityManager,
    w: {
      examCode: string;
      startsAt: Date | null;
      passMarkPercent: number;
      source: PassMarkSource;
      studyId?: string;
      decidedBy: string;
      reason: string;
    },
  ): Promise<ExamWindow> {
    const db = this.db(tx);
    const row = await db
      .insertInto('examWindows')
      .values({
        examCode: w.examCode,
        startsAt: sql<Date>`coalesce(${w.startsAt}::timestamptz, now())`,
        passMarkPercent: w.passMarkPercent,
        source: w.source,
        studyId: w.studyId ?? null,
        decidedBy: w.decidedBy,
        reason: w.reason,
      })
      .returning(windowColumns(db))
      .executeTakeFirstOrThrow();
    return toExamWindow(row);
  }

  async settings(examCode: string, tx?: EntityManager): Promise<StoredExamSettings | null> {
    const row = await this.db(tx)
      .selectFrom('examSettings')
      .select(['timeLimitSeconds', 'retakeCooldownSeconds', 'pretestCount'])
      .where('examCode', '=', examCode)
      .executeTakeFirst();
    return row ?? null;
  }

  async saveSettings(tx: EntityManager, examCode: string, s: StoredExamSettings): Promise<void> {
    await this.db(tx)
      .insertInto('examSettings')
      .values({
        examCode,
        timeLimitSeconds: s.timeLimitSeconds,
        retakeCooldownSeconds: s.retakeCooldownSeconds,
        pretestCount: s.pretestCount,
      })
      .onConflict((oc) =>
        oc.column('examCode').doUpdateSet({
          timeLimitSeconds: s.timeLimitSeconds,
          retakeCooldownSeconds: s.retakeCooldownSeconds,
          pretestCount: s.pretestCount,
          updatedAt: sql<Date>`now()`,
        }),
      )
      .execute();
  }

  async userExists(userId: string, tx?: EntityManager): Promise<boolean> {
    const db = this.db(tx);
    return Boolean(await db.selectFrom(usersReader.people(db).as('u')).select('u.id').where('u.id', '=', userId).executeTakeFirst());
  }

  async timeMultiplier(userId: string, tx?: EntityManager): Promise<number> {
    const row = await this.db(tx).selectFrom('accommodations').select('timeMultiplier').where('userId', '=', userId).executeTakeFirst();
    return row ? Number(row.timeMultiplier) : 1;
  }

  /** The candidate's accommodation as set (null when none was ever set). */
  async accommodation(userId: string): Promise<{ timeMultiplier: number; updatedAt: Date } | null> {
    const row = await this.db()
      .selectFrom('accommodations')
      .select(['timeMultiplier', 'updatedAt'])
      .where('userId', '=', userId)
      .executeTakeFirst();
    return row ? { timeMultiplier: Number(row.timeMultiplier), updatedAt: row.updatedAt } : null;
  }

  async setTimeMultiplier(tx: EntityManager, userId: string, multiplier: number, actorId: string): Promise<void> {
    await this.db(tx)
      .insertInto('accommodations')
      .values({ userId, timeMultiplier: multiplier, updatedBy: actorId })
      .onConflict((oc) => oc.column('userId').doUpdateSet({ timeMultiplier: multiplier, updatedBy: actorId, updatedAt: sql<Date>`now()` }))
      .execute();
  }
}
