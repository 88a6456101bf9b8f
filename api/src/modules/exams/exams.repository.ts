import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { type Selectable, sql } from 'kysely';
import { DataSource, EntityManager } from 'typeorm';
import { advisoryXactLock, typed } from '../../infrastructure/database/kysely';
import type { Attempts } from '../../infrastructure/database/schema.generated';
import { LifecycleError } from '../../common/lifecycle/lifecycle';
import { attemptLifecycle, type AttemptState } from './attempt-lifecycle';
import type { Difficulty, DrawnQuestion, PoolItem } from './form-draw';

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

/** A question of an attempt with its item version's stem and options (the key included: server side only). */
export interface AttemptQuestion {
  id: string;
  position: number;
  domain: string;
  scored: boolean;
  options: Array<{ id: string; source: string }>;
  stem: string;
  versionOptions: Array<{ id: string; text: string; key: boolean }>;
}

export interface Answer {
  questionId: string;
  optionId: string | null;
  flagged: boolean;
  savedAt: Date;
}

/** What a save needs to decide: null options when the question is not part of the attempt. */
export interface SaveState {
  status: AttemptState;
  open: boolean;
  options: Array<{ id: string }> | null;
}

export interface FinishedAttempt {
  passed: boolean | null;
  submittedAt: Date | null;
}

export interface StoredExamSettings {
  timeLimitSeconds: number;
  retakeCooldownSeconds: number;
  pretestCount: number;
}

interface CandidateRow {
  domain: string;
  id: string;
  currentVersionId: string;
  criterion: string;
  difficulty: Difficulty;
  seen: boolean;
}

const toPoolItem = (r: CandidateRow): PoolItem => ({
  itemId: r.id,
  versionId: r.currentVersionId,
  domain: r.domain,
  criterion: r.criterion,
  difficulty: r.difficulty,
  seen: r.seen,
});

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

const ANSWER_COLUMNS = ['questionId', 'optionId', 'flagged', 'savedAt'] as const;

@Injectable()
export class ExamsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  private m(manager?: EntityManager): EntityManager {
    return manager ?? this.dataSource.manager;
  }

  private db(tx?: EntityManager) {
    return typed(tx ?? this.dataSource);
  }

  /** Takes a transaction-scoped advisory lock: held until the caller's transaction ends. */
  lock(tx: EntityManager, key: number): Promise<void> {
    return advisoryXactLock(tx, key);
  }

  async userExists(userId: string, tx?: EntityManager): Promise<boolean> {
    return Boolean(await this.db(tx).selectFrom('users').select('id').where('id', '=', userId).executeTakeFirst());
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

  async listAll(examCode: string, limit: number): Promise<AdminAttempt[]> {
    const rows = await this.db()
      .selectFrom('attempts as a')
      .innerJoin('users as u', 'u.id', 'a.userId')
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
      .where('a.examCode', '=', examCode)
      .orderBy('a.startedAt', 'desc')
      .limit(limit)
      .execute();
    return rows.map((r) => ({ ...r, status: attemptLifecycle.parse(r.status) }));
  }

  /** Items the candidate was shown in earlier attempts, to avoid while the pool allows. */
  async itemsSeenBy(userId: string, tx?: EntityManager): Promise<string[]> {
    const rows = await this.db(tx)
      .selectFrom('attemptQuestions as q')
      .innerJoin('attempts as a', 'a.id', 'q.attemptId')
      .select('q.itemId')
      .distinct()
      .where('a.userId', '=', userId)
      .execute();
    return rows.map((r) => r.itemId);
  }

  /**
   * Each domain's active pool in order of preference: unseen before seen, then least exposed, random
   * among near-equals (the jitter is under two uses). The inner query walks items_draw_idx from the
   * front, so a huge pool costs no more than a small one.
   */
  async drawCandidates(
    tx: EntityManager,
    counts: Array<{ domain: string; count: number }>,
    seen: string[],
  ): Promise<Map<string, PoolItem[]>> {
    const { rows } = await sql<CandidateRow>`
      SELECT d.domain, c.id, c.current_version_id, c.criterion, c.difficulty, c.seen
        FROM unnest(${counts.map((c) => c.domain)}::text[], ${counts.map((c) => c.count)}::int[]) AS d(domain, n)
        CROSS JOIN LATERAL (
          SELECT w.*, w.id = ANY(${seen}::text[]) AS seen FROM (
            SELECT id, current_version_id, criterion, difficulty, exposure_count FROM items
            WHERE domain = d.domain AND status = 'active'
            ORDER BY exposure_count LIMIT d.n * 12 + 24
          ) w
          ORDER BY w.id = ANY(${seen}::text[]), w.exposure_count + random() * 1.5
        ) c`.execute(this.db(tx));
    const byDomain = new Map<string, PoolItem[]>();
    for (const r of rows) byDomain.set(r.domain, [...(byDomain.get(r.domain) ?? []), toPoolItem(r)]);
    return byDomain;
  }

  async pretestPoolSize(): Promise<number> {
    const row = await this.db()
      .selectFrom('items')
      .select(sql<number>`count(*)::int`.as('n'))
      .where('status', '=', 'pretest')
      .executeTakeFirstOrThrow();
    return row.n;
  }

  /** The least-exposed pretest items (any domain), unseen first, a few more than needed to choose among. */
  async pretestCandidates(tx: EntityManager, count: number, seen: string[]): Promise<PoolItem[]> {
    if (count <= 0) return [];
    const rows = await this.db(tx)
      .selectFrom('items')
      .select(['domain', 'id', 'currentVersionId', 'criterion', 'difficulty', sql<boolean>`id = ANY(${seen}::text[])`.as('seen')])
      .where('status', '=', 'pretest')
      .orderBy(sql`id = ANY(${seen}::text[])`)
      .orderBy(sql`exposure_count + random() * 1.5`)
      .limit(count * 4)
      .execute();
    return rows.map((r) => toPoolItem({ ...r, currentVersionId: r.currentVersionId as string, difficulty: r.difficulty as Difficulty }));
  }

  async optionIdsOf(tx: EntityManager, versionIds: string[]): Promise<Map<string, string[]>> {
    const rows = await this.db(tx)
      .selectFrom('itemVersions')
      .select(['id', sql<string[]>`jsonb_path_query_array(content, '$.options[*].id')`.as('ids')])
      .where(sql<boolean>`id = ANY(${versionIds}::uuid[])`)
      .execute();
    return new Map(rows.map((r) => [r.id, r.ids]));
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

  async insertQuestions(tx: EntityManager, attemptId: string, form: DrawnQuestion[]): Promise<void> {
    const recordset = JSON.stringify(
      form.map((q) => ({
        position: q.position,
        item_id: q.itemId,
        item_version_id: q.versionId,
        domain: q.domain,
        options: q.options,
        scored: q.scored,
      })),
    );
    await this.db(tx)
      .insertInto('attemptQuestions')
      .columns(['attemptId', 'position', 'itemId', 'itemVersionId', 'domain', 'options', 'scored'])
      .expression(
        sql`SELECT ${attemptId}::uuid, q.position, q.item_id, q.item_version_id, q.domain, q.options, q.scored
            FROM jsonb_to_recordset(${recordset}::jsonb)
              AS q(position int, item_id text, item_version_id uuid, domain text, options jsonb, scored boolean)`,
      )
      .execute();
  }

  async questionsOf(attemptId: string, tx?: EntityManager): Promise<AttemptQuestion[]> {
    const rows = await this.db(tx)
      .selectFrom('attemptQuestions as q')
      .innerJoin('itemVersions as v', 'v.id', 'q.itemVersionId')
      .select([
        'q.id',
        'q.position',
        'q.domain',
        'q.scored',
        sql<AttemptQuestion['options']>`q.options`.as('options'),
        sql<string>`v.content->>'stem'`.as('stem'),
        sql<AttemptQuestion['versionOptions']>`v.content->'options'`.as('versionOptions'),
      ])
      .where('q.attemptId', '=', attemptId)
      .orderBy('q.position')
      .execute();
    return rows;
  }

  async answersOf(attemptId: string, tx?: EntityManager): Promise<Answer[]> {
    return this.db(tx).selectFrom('attemptAnswers').select(ANSWER_COLUMNS).where('attemptId', '=', attemptId).execute();
  }

  /** Locks the attempt against a concurrent submit and returns what a save needs to decide. */
  async lockForSave(tx: EntityManager, attemptId: string, userId: string, questionId: string): Promise<SaveState | null> {
    const row = await this.db(tx)
      .selectFrom('attempts as a')
      .leftJoin('attemptQuestions as q', (join) => join.onRef('q.attemptId', '=', 'a.id').on('q.id', '=', questionId))
      .select(['a.status', sql<boolean>`a.deadline > now()`.as('open'), sql<SaveState['options']>`q.options`.as('options')])
      .where('a.id', '=', attemptId)
      .where('a.userId', '=', userId)
      .forShare('a')
      .executeTakeFirst();
    return row ? { ...row, status: attemptLifecycle.parse(row.status) } : null;
  }

  /** Applies the save unless a newer one (higher clientSeq) is stored; returns the stored answer either way. */
  async upsertAnswer(
    tx: EntityManager,
    a: { attemptId: string; questionId: string; optionId: string | null; flagged?: boolean; clientSeq?: number },
  ): Promise<Answer> {
    const flagged = a.flagged ?? null;
    const clientSeq = a.clientSeq ?? null;
    const applied = await this.db(tx)
      .insertInto('attemptAnswers')
      .values({
        questionId: a.questionId,
        attemptId: a.attemptId,
        optionId: a.optionId,
        flagged: sql<boolean>`coalesce(${flagged}::boolean, false)`,
        clientSeq: sql<string | null>`${clientSeq}::bigint`,
      })
      .onConflict((oc) =>
        oc
          .column('questionId')
          .doUpdateSet((eb) => ({
            optionId: eb.ref('excluded.optionId'),
            flagged: sql<boolean>`coalesce(${flagged}::boolean, attempt_answers.flagged)`,
            clientSeq: eb.fn.coalesce(eb.ref('excluded.clientSeq'), eb.ref('attemptAnswers.clientSeq')),
            savedAt: sql<Date>`now()`,
          }))
          .where((eb) =>
            eb.or([
              eb('attemptAnswers.clientSeq', 'is', null),
              sql<boolean>`${clientSeq}::bigint IS NULL`,
              sql<boolean>`${clientSeq}::bigint >= attempt_answers.client_seq`,
            ]),
          ),
      )
      .returning(ANSWER_COLUMNS)
      .executeTakeFirst();
    if (applied) return applied;
    return this.db(tx).selectFrom('attemptAnswers').select(ANSWER_COLUMNS).where('questionId', '=', a.questionId).executeTakeFirstOrThrow();
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

  async certificateNumberFor(attemptId: string): Promise<string | null> {
    const row = await this.db()
      .selectFrom('certificates')
      .select('number')
      .where('sourceType', '=', 'aida_attempt')
      .where('sourceId', '=', attemptId)
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

  async timeMultiplier(userId: string, tx?: EntityManager): Promise<number> {
    const row = await this.db(tx).selectFrom('accommodations').select('timeMultiplier').where('userId', '=', userId).executeTakeFirst();
    return row ? Number(row.timeMultiplier) : 1;
  }

  async setTimeMultiplier(tx: EntityManager, userId: string, multiplier: number, actorId: string): Promise<void> {
    await this.db(tx)
      .insertInto('accommodations')
      .values({ userId, timeMultiplier: multiplier, updatedBy: actorId })
      .onConflict((oc) => oc.column('userId').doUpdateSet({ timeMultiplier: multiplier, updatedBy: actorId, updatedAt: sql<Date>`now()` }))
      .execute();
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

  /** The exam window in force now: the latest one that has started. */
  async currentWindow(examCode: string, manager?: EntityManager): Promise<ExamWindowRow | null> {
    const [row] = await this.m(manager).query(
      `SELECT ${WINDOW_COLUMNS} FROM exam_windows WHERE exam_code = $1 AND starts_at <= now() ORDER BY starts_at DESC LIMIT 1`,
      [examCode],
    );
    return row ?? null;
  }

  async listWindows(examCode: string, manager?: EntityManager): Promise<ExamWindowRow[]> {
    return this.m(manager).query(`SELECT ${WINDOW_COLUMNS} FROM exam_windows WHERE exam_code = $1 ORDER BY starts_at DESC`, [examCode]);
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

  async insertWindow(
    manager: EntityManager,
    w: {
      examCode: string;
      startsAt: Date | null;
      passMarkPercent: number;
      source: ExamWindowRow['source'];
      studyId?: string;
      decidedBy: string;
      reason: string;
    },
  ): Promise<ExamWindowRow> {
    const [row] = await manager.query(
      `INSERT INTO exam_windows (exam_code, starts_at, pass_mark_percent, source, study_id, decided_by, reason)
       VALUES ($1, coalesce($2::timestamptz, now()), $3, $4, $5, $6, $7) RETURNING ${WINDOW_COLUMNS}`,
      [w.examCode, w.startsAt, w.passMarkPercent, w.source, w.studyId ?? null, w.decidedBy, w.reason],
    );
    return row;
  }
}

export interface ExamWindowRow {
  id: string;
  starts_at: Date;
  pass_mark_percent: string;
  source: 'blueprint' | 'admin_decision' | 'standard_setting';
  study_id: string | null;
  decided_by: string | null;
  decided_by_name: string | null;
  reason: string | null;
  created_at: Date;
  attempts: number;
}

const WINDOW_COLUMNS = `id, starts_at, pass_mark_percent, source, study_id, decided_by, reason, created_at,
  (SELECT full_name FROM users u WHERE u.id = exam_windows.decided_by) AS decided_by_name,
  (SELECT count(*)::int FROM attempts a WHERE a.window_id = exam_windows.id) AS attempts`;
