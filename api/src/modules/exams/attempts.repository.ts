import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { type Selectable, sql } from 'kysely';
import { DataSource, EntityManager } from 'typeorm';
import { executePrepared, typed } from '../../infrastructure/database/kysely';
import { containsPattern } from '../../common/lists/list-query';
import type { Attempts } from '../../infrastructure/database/schema.generated';
import { LifecycleError } from '../../common/lifecycle/lifecycle';
import { certificatesReader } from '../certificates/certificates.reader';
import { usersReader } from '../users/users.reader';
import { attemptLifecycle, type AttemptState } from './attempt-lifecycle';

export interface DomainResult {
  code: string;
  title: string;
  correct: number;
  total: number;
}

/** An attempt as stored (status narrowed to the lifecycle's states), with the database's clock at the time of reading. */
export type Attempt = Pick<
  Selectable<Attempts>,
  | 'id'
  | 'userId'
  | 'startedAt'
  | 'deadline'
  | 'timeLimitSeconds'
  | 'passMarkPercent'
  | 'submittedAt'
  | 'correct'
  | 'total'
  | 'scorePercent'
  | 'passed'
> & { status: AttemptState; domainResults: DomainResult[] | null; serverTime: Date };

/** An attempt in the admin list, with its candidate. */
export type AdminAttempt = Pick<
  Selectable<Attempts>,
  'id' | 'userId' | 'startedAt' | 'deadline' | 'timeLimitSeconds' | 'submittedAt' | 'scorePercent' | 'passed'
> & { status: AttemptState; fullName: string; email: string };

/** The administrators' attempt list: candidate text, status, result and the (half-open) range of start instants. */
export interface AttemptFilter {
  query?: string;
  status?: AttemptState;
  result?: 'passed' | 'failed';
  startedFrom?: Date;
  startedBefore?: Date;
  sort: 'startedAt' | 'submittedAt' | 'scorePercent' | 'candidate';
  order: 'asc' | 'desc';
}

export interface FinishedAttempt {
  passed: boolean | null;
  submittedAt: Date | null;
}

/**
 * Everything a start decides on, read in one statement: the stored settings, the window in force, the
 * candidate's attempt in progress and last finished attempt, and their time multiplier. Null fields: none
 * stored (the callers apply the defaults) or, for the window, none yet (a fresh platform; see currentWindow).
 */
export interface StartContext {
  timeLimitSeconds: number | null;
  retakeCooldownSeconds: number | null;
  pretestCount: number | null;
  windowId: string | null;
  /** numeric, as PostgreSQL returns it. */
  passMarkPercent: string | null;
  passMarkSource: string | null;
  inProgressId: string | null;
  lastFinished: FinishedAttempt | null;
  timeMultiplier: number;
}

interface StartContextRow extends Omit<StartContext, 'lastFinished' | 'timeMultiplier'> {
  finished: boolean;
  lastPassed: boolean | null;
  lastSubmittedAt: Date | null;
  timeMultiplier: string | null;
}

const ATTEMPT_COLUMNS = [
  'id',
  'userId',
  'status',
  'startedAt',
  'deadline',
  'timeLimitSeconds',
  'passMarkPercent',
  'submittedAt',
  'correct',
  'total',
  'scorePercent',
  'passed',
  'domainResults',
] as const;

const serverTime = sql<Date>`now()`.as('serverTime');

const toAttempt = <R extends Omit<Attempt, 'status' | 'domainResults'> & { status: string; domainResults: unknown }>(row: R): Attempt => ({
  ...row,
  status: attemptLifecycle.parse(row.status),
  domainResults: row.domainResults as DomainResult[] | null,
});

/** Attempts: opening, finding, listing and recording the result of one. */
@Injectable()
export class AttemptsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  private db(tx?: EntityManager) {
    return typed(tx ?? this.dataSource);
  }

  /** `userId` null: any candidate's attempt. `forUpdate` locks the row for the rest of the caller's transaction. */
  async findAttempt(attemptId: string, userId: string | null, tx?: EntityManager, forUpdate = false): Promise<Attempt | null> {
    let query = this.db(tx).selectFrom('attempts').select(ATTEMPT_COLUMNS).select(serverTime).where('id', '=', attemptId);
    if (userId !== null) query = query.where('userId', '=', userId);
    const row = await (forUpdate ? query.forUpdate() : query).executeTakeFirst();
    return row ? toAttempt(row) : null;
  }

  async findInProgress(userId: string, examCode: string, tx?: EntityManager): Promise<Attempt | null> {
    const row = await this.db(tx)
      .selectFrom('attempts')
      .select(ATTEMPT_COLUMNS)
      .select(serverTime)
      .where('userId', '=', userId)
      .where('examCode', '=', examCode)
      .where('status', '=', 'in_progress')
      .executeTakeFirst();
    return row ? toAttempt(row) : null;
  }

  async listForUser(userId: string, examCode: string): Promise<Attempt[]> {
    const rows = await this.db()
      .selectFrom('attempts')
      .select(ATTEMPT_COLUMNS)
      .select(serverTime)
      .where('userId', '=', userId)
      .where('examCode', '=', examCode)
      .orderBy('startedAt', 'desc')
      .execute();
    return rows.map(toAttempt);
  }

  /**
   * One page of an exam's attempts for the administrators' list, and the number of matches in all pages.
   * The count reads the attempts alone unless the search names the candidate (every attempt has its
   * person), so counting 100,000 attempts does not join 100,000 people.
   */
  async search(
    examCode: string,
    filter: AttemptFilter,
    window: { limit: number; offset: number },
  ): Promise<{ rows: AdminAttempt[]; total: number }> {
    const db = this.db();
    const conditions = [sql<boolean>`a.exam_code = ${examCode}`];
    if (filter.status) conditions.push(sql<boolean>`a.status = ${filter.status}`);
    if (filter.result) conditions.push(sql<boolean>`a.passed = ${filter.result === 'passed'}`);
    if (filter.startedFrom) conditions.push(sql<boolean>`a.started_at >= ${filter.startedFrom}`);
    if (filter.startedBefore) conditions.push(sql<boolean>`a.started_at < ${filter.startedBefore}`);
    const onAttempts = sql<boolean>`${sql.join(conditions, sql` AND `)}`;
    let matching = db.selectFrom('attempts as a').innerJoin(usersReader.people(db).as('u'), 'u.id', 'a.userId').where(onAttempts);
    if (filter.query) {
      const pattern = containsPattern(filter.query);
      matching = matching.where((eb) => eb.or([eb('u.fullName', 'ilike', pattern), eb('u.email', 'ilike', pattern)]));
    }
    const counted = filter.query ? matching : db.selectFrom('attempts as a').where(onAttempts);
    const sortColumn = (
      { startedAt: 'a.startedAt', submittedAt: 'a.submittedAt', scorePercent: 'a.scorePercent', candidate: 'u.fullName' } as const
    )[filter.sort];
    // Unscored (unsubmitted) attempts come after the scored ones high to low, before them low to high: the index's order.
    const nullable = filter.sort === 'submittedAt' || filter.sort === 'scorePercent';
    const nulls = !nullable ? sql`` : filter.order === 'asc' ? sql`NULLS FIRST` : sql`NULLS LAST`;
    const order = sql`${sql.ref(sortColumn)} ${sql.raw(filter.order)} ${nulls}`;
    // Unless the candidate is searched or sorted on, the page is chosen from the attempts alone (in an
    // index's order) and only its rows meet their people: a deep page does not join every attempt first.
    const paged =
      filter.query || filter.sort === 'candidate'
        ? matching.limit(window.limit).offset(window.offset)
        : matching.where(
            'a.id',
            'in',
            db
              .selectFrom('attempts as a')
              .where(onAttempts)
              .select('a.id')
              .orderBy(order)
              .orderBy('a.id', filter.order)
              .limit(window.limit)
              .offset(window.offset),
          );
    const [rows, count] = await Promise.all([
      paged
        .select([
          'a.id',
          'a.userId',
          'a.status',
          'a.startedAt',
          'a.deadline',
          'a.timeLimitSeconds',
          'a.submittedAt',
          'a.scorePercent',
          'a.passed',
          'u.fullName',
          'u.email',
        ])
        .orderBy(order)
        .orderBy('a.id', filter.order)
        .execute(),
      counted.select((eb) => eb.fn.countAll<string>().as('total')).executeTakeFirstOrThrow(),
    ]);
    return { rows: rows.map((r) => ({ ...r, status: attemptLifecycle.parse(r.status) })), total: Number(count.total) };
  }

  async insertAttempt(
    tx: EntityManager,
    a: { userId: string; examCode: string; timeLimitSeconds: number; passMarkPercent: number; windowId: string },
  ): Promise<Attempt> {
    const row = await this.db(tx)
      .insertInto('attempts')
      .values({
        userId: a.userId,
        examCode: a.examCode,
        timeLimitSeconds: sql<number>`${a.timeLimitSeconds}::int`,
        deadline: sql<Date>`now() + make_interval(secs => ${a.timeLimitSeconds}::int)`,
        passMarkPercent: a.passMarkPercent,
        windowId: a.windowId,
      })
      .returning(ATTEMPT_COLUMNS)
      .returning(serverTime)
      .executeTakeFirstOrThrow();
    return toAttempt(row);
  }

  async recordResult(
    tx: EntityManager,
    attemptId: string,
    status: Exclude<AttemptState, 'in_progress'>,
    r: { correct: number; total: number; scorePercent: number; passed: boolean; domains: unknown },
  ): Promise<void> {
    // Only from a state the lifecycle allows: a closed attempt is never scored twice.
    const { numUpdatedRows } = await this.db(tx)
      .updateTable('attempts')
      .set({
        status,
        submittedAt: sql<Date>`now()`,
        correct: r.correct,
        total: r.total,
        scorePercent: r.scorePercent,
        passed: r.passed,
        domainResults: JSON.stringify(r.domains),
      })
      .where('id', '=', attemptId)
      .where(sql<boolean>`status = ANY(${[...attemptLifecycle.from(status)]}::text[])`)
      .executeTakeFirst();
    if (numUpdatedRows === 0n) {
      const current = await this.db(tx).selectFrom('attempts').select('status').where('id', '=', attemptId).executeTakeFirst();
      throw new LifecycleError(attemptLifecycle.name, current?.status ?? 'missing', status);
    }
  }

  /** The number of the certificate a passed attempt issued, once the worker has issued it. */
  async certificateNumberFor(attemptId: string): Promise<string | null> {
    const db = this.db();
    const row = await db
      .selectFrom(certificatesReader.numbers(db).as('c'))
      .select('c.number')
      .where('c.sourceType', '=', 'aida_attempt')
      .where('c.sourceId', '=', attemptId)
      .executeTakeFirst();
    return row?.number ?? null;
  }

  async overdueAttemptIds(limit: number): Promise<string[]> {
    const rows = await this.db()
      .selectFrom('attempts')
      .select('id')
      .where('status', '=', 'in_progress')
      .where('deadline', '<=', sql<Date>`now()`)
      .orderBy('deadline')
      .limit(limit)
      .execute();
    return rows.map((r) => r.id);
  }

  /** Attempts still in progress that were started before `startedBefore`, soonest deadline first. */
  async inProgressStartedBefore(startedBefore: Date, limit: number): Promise<Array<{ id: string; deadline: Date }>> {
    return this.db()
      .selectFrom('attempts')
      .select(['id', 'deadline'])
      .where('status', '=', 'in_progress')
      .where('startedAt', '<', startedBefore)
      .orderBy('deadline')
      .limit(limit)
      .execute();
  }

  /** One round trip for what findInProgress, lastFinished, the settings, the window and the multiplier would read. */
  async startContext(userId: string, examCode: string): Promise<StartContext> {
    const db = this.db();
    const { rows } = await executePrepared(
      db,
      'start_context',
      sql<StartContextRow>`
      SELECT s.time_limit_seconds, s.retake_cooldown_seconds, s.pretest_count,
             w.id AS window_id, w.pass_mark_percent, w.source AS pass_mark_source,
             (SELECT a.id FROM attempts a
               WHERE a.user_id = ${userId} AND a.exam_code = ${examCode} AND a.status = 'in_progress' LIMIT 1) AS in_progress_id,
             f.found IS NOT NULL AS finished, f.passed AS last_passed, f.submitted_at AS last_submitted_at,
             (SELECT m.time_multiplier FROM accommodations m WHERE m.user_id = ${userId}) AS time_multiplier
        FROM (SELECT 1) AS one
        LEFT JOIN exam_settings s ON s.exam_code = ${examCode}
        LEFT JOIN LATERAL (
          SELECT ew.id, ew.pass_mark_percent, ew.source FROM exam_windows ew
           WHERE ew.exam_code = ${examCode} AND ew.starts_at <= now() ORDER BY ew.starts_at DESC LIMIT 1) w ON true
        LEFT JOIN LATERAL (
          SELECT true AS found, a.passed, a.submitted_at FROM attempts a
           WHERE a.user_id = ${userId} AND a.exam_code = ${examCode} AND a.status <> 'in_progress'
           ORDER BY a.passed DESC, a.submitted_at DESC LIMIT 1) f ON true`,
    );
    const { finished, lastPassed, lastSubmittedAt, timeMultiplier, ...row } = rows[0];
    return {
      ...row,
      lastFinished: finished ? { passed: lastPassed, submittedAt: lastSubmittedAt } : null,
      timeMultiplier: timeMultiplier === null ? 1 : Number(timeMultiplier),
    };
  }

  async lastFinished(userId: string, examCode: string): Promise<FinishedAttempt | null> {
    const row = await this.db()
      .selectFrom('attempts')
      .select(['passed', 'submittedAt'])
      .where('userId', '=', userId)
      .where('examCode', '=', examCode)
      .where('status', '<>', 'in_progress')
      .orderBy('passed', 'desc')
      .orderBy('submittedAt', 'desc')
      .limit(1)
      .executeTakeFirst();
    return row ?? null;
  }
}
