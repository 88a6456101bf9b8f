import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { typed } from '../../infrastructure/database/kysely';
import { LifecycleError } from '../../common/lifecycle/lifecycle';
import { attemptLifecycle, type AttemptState } from './attempt-lifecycle';
import type { Difficulty, DrawnQuestion, PoolItem } from './form-draw';

export interface AttemptRow {
  id: string;
  user_id: string;
  status: AttemptState;
  started_at: Date;
  deadline: Date;
  time_limit_seconds: number;
  pass_mark_percent: string;
  submitted_at: Date | null;
  correct: number | null;
  total: number | null;
  score_percent: string | null;
  passed: boolean | null;
  domain_results: Array<{ code: string; title: string; correct: number; total: number }> | null;
  server_time: Date;
}

export interface QuestionRow {
  id: string;
  position: number;
  domain: string;
  scored: boolean;
  options: Array<{ id: string; source: string }>;
  stem: string;
  version_options: Array<{ id: string; text: string; key: boolean }>;
}

export interface AnswerRow {
  question_id: string;
  option_id: string | null;
  flagged: boolean;
  saved_at: Date;
}

const ATTEMPT_COLUMNS = `id, user_id, status, started_at, deadline, time_limit_seconds, pass_mark_percent, submitted_at,
  correct, total, score_percent, passed, domain_results, now() AS server_time`;

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
  async lock(tx: EntityManager, key: number): Promise<void> {
    await this.db(tx)
      .selectNoFrom((eb) => eb.fn<unknown>('pg_advisory_xact_lock', [eb.val(key)]).as('locked'))
      .execute();
  }

  async userExists(userId: string, tx?: EntityManager): Promise<boolean> {
    return Boolean(await this.db(tx).selectFrom('users').select('id').where('id', '=', userId).executeTakeFirst());
  }

  async findAttempt(attemptId: string, userId: string | null, manager?: EntityManager, lock = ''): Promise<AttemptRow | null> {
    const [row] = await this.m(manager).query(
      `SELECT ${ATTEMPT_COLUMNS} FROM attempts WHERE id = $1 AND ($2::uuid IS NULL OR user_id = $2) ${lock}`,
      [attemptId, userId],
    );
    return row ?? null;
  }

  async findInProgress(userId: string, examCode: string, manager?: EntityManager): Promise<AttemptRow | null> {
    const [row] = await this.m(manager).query(
      `SELECT ${ATTEMPT_COLUMNS} FROM attempts WHERE user_id = $1 AND exam_code = $2 AND status = 'in_progress'`,
      [userId, examCode],
    );
    return row ?? null;
  }

  async listForUser(userId: string, examCode: string): Promise<AttemptRow[]> {
    return this.dataSource.query(`SELECT ${ATTEMPT_COLUMNS} FROM attempts WHERE user_id = $1 AND exam_code = $2 ORDER BY started_at DESC`, [
      userId,
      examCode,
    ]);
  }

  async listAll(examCode: string, limit: number): Promise<Array<AttemptRow & { full_name: string; email: string }>> {
    return this.dataSource.query(
      `SELECT a.id, a.user_id, a.status, a.started_at, a.deadline, a.time_limit_seconds, a.submitted_at, a.score_percent, a.passed,
              u.full_name, u.email
       FROM attempts a JOIN users u ON u.id = a.user_id WHERE a.exam_code = $1 ORDER BY a.started_at DESC LIMIT $2`,
      [examCode, limit],
    );
  }

  /** Items the candidate was shown in earlier attempts, to avoid while the pool allows. */
  async itemsSeenBy(userId: string, manager?: EntityManager): Promise<string[]> {
    const rows: Array<{ item_id: string }> = await this.m(manager).query(
      `SELECT DISTINCT q.item_id FROM attempt_questions q JOIN attempts a ON a.id = q.attempt_id WHERE a.user_id = $1`,
      [userId],
    );
    return rows.map((r) => r.item_id);
  }

  /**
   * Each domain's active pool in order of preference: unseen before seen, then least exposed, random
   * among near-equals (the jitter is under two uses). The inner query walks items_draw_idx from the
   * front, so a huge pool costs no more than a small one.
   */
  async drawCandidates(
    manager: EntityManager,
    counts: Array<{ domain: string; count: number }>,
    seen: string[],
  ): Promise<Map<string, PoolItem[]>> {
    const rows: Array<{
      domain: string;
      id: string;
      current_version_id: string;
      criterion: string;
      difficulty: Difficulty;
      seen: boolean;
    }> = await manager.query(
      `SELECT d.domain, c.id, c.current_version_id, c.criterion, c.difficulty, c.seen
         FROM unnest($1::text[], $2::int[]) AS d(domain, n)
         CROSS JOIN LATERAL (
           SELECT w.*, w.id = ANY($3::text[]) AS seen FROM (
             SELECT id, current_version_id, criterion, difficulty, exposure_count FROM items
             WHERE domain = d.domain AND status = 'active'
             ORDER BY exposure_count LIMIT d.n * 12 + 24
           ) w
           ORDER BY w.id = ANY($3::text[]), w.exposure_count + random() * 1.5
         ) c`,
      [counts.map((c) => c.domain), counts.map((c) => c.count), seen],
    );
    const byDomain = new Map<string, PoolItem[]>();
    for (const r of rows) {
      const item = {
        itemId: r.id,
        versionId: r.current_version_id,
        domain: r.domain,
        criterion: r.criterion,
        difficulty: r.difficulty,
        seen: r.seen,
      };
      byDomain.set(r.domain, [...(byDomain.get(r.domain) ?? []), item]);
    }
    return byDomain;
  }

  async pretestPoolSize(): Promise<number> {
    const [row] = await this.dataSource.query(`SELECT count(*)::int AS n FROM items WHERE status = 'pretest'`);
    return row.n;
  }

  /** The least-exposed pretest items (any domain), unseen first, a few more than needed to choose among. */
  async pretestCandidates(manager: EntityManager, count: number, seen: string[]): Promise<PoolItem[]> {
    if (count <= 0) return [];
    const rows: Array<{
      domain: string;
      id: string;
      current_version_id: string;
      criterion: string;
      difficulty: Difficulty;
      seen: boolean;
    }> = await manager.query(
      `SELECT domain, id, current_version_id, criterion, difficulty, id = ANY($2::text[]) AS seen FROM items
         WHERE status = 'pretest'
         ORDER BY id = ANY($2::text[]), exposure_count + random() * 1.5 LIMIT $1`,
      [count * 4, seen],
    );
    return rows.map((r) => ({
      itemId: r.id,
      versionId: r.current_version_id,
      domain: r.domain,
      criterion: r.criterion,
      difficulty: r.difficulty,
      seen: r.seen,
    }));
  }

  async optionIdsOf(manager: EntityManager, versionIds: string[]): Promise<Map<string, string[]>> {
    const rows: Array<{ id: string; ids: string[] }> = await manager.query(
      `SELECT id, jsonb_path_query_array(content, '$.options[*].id') AS ids FROM item_versions WHERE id = ANY($1::uuid[])`,
      [versionIds],
    );
    return new Map(rows.map((r) => [r.id, r.ids]));
  }

  async insertAttempt(
    manager: EntityManager,
    a: { userId: string; examCode: string; timeLimitSeconds: number; passMarkPercent: number; windowId: string },
  ): Promise<AttemptRow> {
    const [row] = await manager.query(
      `INSERT INTO attempts (user_id, exam_code, time_limit_seconds, deadline, pass_mark_percent, window_id)
       VALUES ($1, $2, $3::int, now() + make_interval(secs => $3::int), $4, $5)
       RETURNING ${ATTEMPT_COLUMNS}`,
      [a.userId, a.examCode, a.timeLimitSeconds, a.passMarkPercent, a.windowId],
    );
    return row;
  }

  async insertQuestions(manager: EntityManager, attemptId: string, form: DrawnQuestion[]): Promise<void> {
    await manager.query(
      `INSERT INTO attempt_questions (attempt_id, position, item_id, item_version_id, domain, options, scored)
       SELECT $1, q.position, q.item_id, q.item_version_id, q.domain, q.options, q.scored
       FROM jsonb_to_recordset($2::jsonb) AS q(position int, item_id text, item_version_id uuid, domain text, options jsonb, scored boolean)`,
      [
        attemptId,
        JSON.stringify(
          form.map((q) => ({
            position: q.position,
            item_id: q.itemId,
            item_version_id: q.versionId,
            domain: q.domain,
            options: q.options,
            scored: q.scored,
          })),
        ),
      ],
    );
  }

  async questionsOf(attemptId: string, manager?: EntityManager): Promise<QuestionRow[]> {
    return this.m(manager).query(
      `SELECT q.id, q.position, q.domain, q.scored, q.options, v.content->>'stem' AS stem, v.content->'options' AS version_options
       FROM attempt_questions q JOIN item_versions v ON v.id = q.item_version_id
       WHERE q.attempt_id = $1 ORDER BY q.position`,
      [attemptId],
    );
  }

  async answersOf(attemptId: string, manager?: EntityManager): Promise<AnswerRow[]> {
    return this.m(manager).query(`SELECT question_id, option_id, flagged, saved_at FROM attempt_answers WHERE attempt_id = $1`, [
      attemptId,
    ]);
  }

  /** Locks the attempt against a concurrent submit and returns what a save needs to decide. */
  async lockForSave(
    manager: EntityManager,
    attemptId: string,
    userId: string,
    questionId: string,
  ): Promise<{ status: string; open: boolean; options: Array<{ id: string }> | null } | null> {
    const [row] = await manager.query(
      `SELECT a.status, a.deadline > now() AS open, q.options
       FROM attempts a LEFT JOIN attempt_questions q ON q.attempt_id = a.id AND q.id = $3
       WHERE a.id = $1 AND a.user_id = $2
       FOR SHARE OF a`,
      [attemptId, userId, questionId],
    );
    return row ?? null;
  }

  /** Applies the save unless a newer one (higher clientSeq) is stored; returns the stored answer either way. */
  async upsertAnswer(
    manager: EntityManager,
    a: { attemptId: string; questionId: string; optionId: string | null; flagged?: boolean; clientSeq?: number },
  ): Promise<AnswerRow> {
    const [applied] = await manager.query(
      `INSERT INTO attempt_answers (question_id, attempt_id, option_id, flagged, client_seq)
       VALUES ($1, $2, $3, coalesce($4::boolean, false), $5::bigint)
       ON CONFLICT (question_id) DO UPDATE SET
         option_id = EXCLUDED.option_id,
         flagged = coalesce($4::boolean, attempt_answers.flagged),
         client_seq = coalesce(EXCLUDED.client_seq, attempt_answers.client_seq),
         saved_at = now()
       WHERE attempt_answers.client_seq IS NULL OR $5::bigint IS NULL OR $5::bigint >= attempt_answers.client_seq
       RETURNING question_id, option_id, flagged, saved_at`,
      [a.questionId, a.attemptId, a.optionId, a.flagged ?? null, a.clientSeq ?? null],
    );
    if (applied) return applied;
    const [stored] = await manager.query(`SELECT question_id, option_id, flagged, saved_at FROM attempt_answers WHERE question_id = $1`, [
      a.questionId,
    ]);
    return stored;
  }

  async recordResult(
    manager: EntityManager,
    attemptId: string,
    status: Exclude<AttemptState, 'in_progress'>,
    r: { correct: number; total: number; scorePercent: number; passed: boolean; domains: unknown },
  ): Promise<void> {
    // Only from a state the lifecycle allows: a closed attempt is never scored twice.
    const [, count] = await manager.query(
      `UPDATE attempts SET status = $2, submitted_at = now(), correct = $3, total = $4, score_percent = $5, passed = $6, domain_results = $7
       WHERE id = $1 AND status = ANY($8::text[])`,
      [attemptId, status, r.correct, r.total, r.scorePercent, r.passed, JSON.stringify(r.domains), attemptLifecycle.from(status)],
    );
    if (count === 0) {
      const [current] = await manager.query(`SELECT status FROM attempts WHERE id = $1`, [attemptId]);
      throw new LifecycleError(attemptLifecycle.name, current?.status ?? 'missing', status);
    }
  }

  async certificateNumberFor(attemptId: string): Promise<string | null> {
    const [row] = await this.dataSource.query(`SELECT number FROM certificates WHERE source_type = 'aida_attempt' AND source_id = $1`, [
      attemptId,
    ]);
    return row?.number ?? null;
  }

  async overdueAttemptIds(limit: number): Promise<string[]> {
    const rows: Array<{ id: string }> = await this.dataSource.query(
      `SELECT id FROM attempts WHERE status = 'in_progress' AND deadline <= now() ORDER BY deadline LIMIT $1`,
      [limit],
    );
    return rows.map((r) => r.id);
  }

  async lastFinished(userId: string, examCode: string): Promise<{ passed: boolean; submitted_at: Date } | null> {
    const [row] = await this.dataSource.query(
      `SELECT passed, submitted_at FROM attempts WHERE user_id = $1 AND exam_code = $2 AND status <> 'in_progress'
       ORDER BY passed DESC, submitted_at DESC LIMIT 1`,
      [userId, examCode],
    );
    return row ?? null;
  }

  async timeMultiplier(userId: string, manager?: EntityManager): Promise<number> {
    const [row] = await this.m(manager).query(`SELECT time_multiplier FROM accommodations WHERE user_id = $1`, [userId]);
    return row ? Number(row.time_multiplier) : 1;
  }

  async setTimeMultiplier(manager: EntityManager, userId: string, multiplier: number, actorId: string): Promise<void> {
    await manager.query(
      `INSERT INTO accommodations (user_id, time_multiplier, updated_by) VALUES ($1, $2, $3)
       ON CONFLICT (user_id) DO UPDATE SET time_multiplier = $2, updated_by = $3, updated_at = now()`,
      [userId, multiplier, actorId],
    );
  }

  async settings(examCode: string, manager?: EntityManager) {
    const [row] = await this.m(manager).query(
      `SELECT time_limit_seconds, retake_cooldown_seconds, pretest_count FROM exam_settings WHERE exam_code = $1`,
      [examCode],
    );
    return row as { time_limit_seconds: number; retake_cooldown_seconds: number; pretest_count: number } | undefined;
  }

  async saveSettings(
    manager: EntityManager,
    examCode: string,
    s: { timeLimitSeconds: number; retakeCooldownSeconds: number; pretestCount: number },
  ): Promise<void> {
    await manager.query(
      `INSERT INTO exam_settings (exam_code, time_limit_seconds, retake_cooldown_seconds, pretest_count) VALUES ($1, $2, $3, $4)
       ON CONFLICT (exam_code) DO UPDATE SET time_limit_seconds = $2, retake_cooldown_seconds = $3, pretest_count = $4, updated_at = now()`,
      [examCode, s.timeLimitSeconds, s.retakeCooldownSeconds, s.pretestCount],
    );
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
    await this.dataSource.query(
      `INSERT INTO exam_windows (exam_code, starts_at, pass_mark_percent, source, reason)
       SELECT $1, '-infinity', $2, 'blueprint', 'the blueprint''s pass mark; no standard-setting study yet'
       WHERE NOT EXISTS (SELECT 1 FROM exam_windows WHERE exam_code = $1)
       ON CONFLICT DO NOTHING`,
      [examCode, passMarkPercent],
    );
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
