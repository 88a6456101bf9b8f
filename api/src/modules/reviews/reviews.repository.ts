import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { LifecycleError } from '../../common/lifecycle/lifecycle';
import { ASSIGNMENT_STATES, assignmentLifecycle, type AssignmentState, OPEN_ASSIGNMENT_STATES } from './assignment-lifecycle';
import type { ReviewerCandidate, SubmissionParty } from './reviewer-selection';

export interface AssignmentRow {
  id: string;
  submission_id: string;
  reviewer_id: string;
  status: AssignmentState;
  offered_at: Date;
  respond_by: Date;
  due_at: Date | null;
  accepted_at: Date | null;
  now: Date;
}

/** The closed states: writing one stamps closed_at. */
const CLOSED_ASSIGNMENT_STATES = ASSIGNMENT_STATES.filter(assignmentLifecycle.isFinal);

@Injectable()
export class ReviewsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  private m(manager?: EntityManager) {
    return manager ?? this.dataSource.manager;
  }

  async saveProfile(
    userId: string,
    p: { organisation: string; expertise: string[]; maxConcurrent: number; away: object[] },
  ): Promise<void> {
    await this.dataSource.query(
      `INSERT INTO reviewer_profiles (user_id, organisation, expertise, max_concurrent, away) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (user_id) DO UPDATE SET organisation = $2, expertise = $3, max_concurrent = $4, away = $5, updated_at = now()`,
      [userId, p.organisation, p.expertise, p.maxConcurrent, JSON.stringify(p.away)],
    );
  }

  async profile(userId: string) {
    const [row] = await this.dataSource.query(
      `SELECT organisation, expertise, max_concurrent, away FROM reviewer_profiles WHERE user_id = $1`,
      [userId],
    );
    return row as
      { organisation: string; expertise: string[]; max_concurrent: number; away: Array<{ from: string; to: string }> } | undefined;
  }

  /** Every user with the reviewer role, with their profile (defaults when none) and open load. */
  async reviewerPool(tx: EntityManager): Promise<ReviewerCandidate[]> {
    const rows = await tx.query(
      `SELECT u.id, split_part(u.email, '@', 2) AS email_domain,
              coalesce(p.organisation, '') AS organisation, coalesce(p.expertise, ARRAY[]::text[]) AS expertise,
              coalesce(p.max_concurrent, 3) AS max_concurrent, coalesce(p.away, '[]'::jsonb) AS away,
              (SELECT count(*)::int FROM review_assignments a WHERE a.reviewer_id = u.id AND a.status = ANY($1::text[])) AS load
       FROM users u LEFT JOIN reviewer_profiles p ON p.user_id = u.id
       WHERE 'reviewer' = ANY(u.roles)`,
      [OPEN_ASSIGNMENT_STATES],
    );
    return rows.map((r: Record<string, unknown>) => ({
      id: r.id as string,
      organisation: r.organisation as string,
      emailDomain: r.email_domain as string,
      expertise: r.expertise as string[],
      maxConcurrent: r.max_concurrent as number,
      load: r.load as number,
      away: r.away as Array<{ from: string; to: string }>,
    }));
  }

  /** Locks the submission (one assignment run at a time per submission) and gathers who may not review it. */
  async submissionParty(tx: EntityManager, submissionId: string): Promise<(SubmissionParty & { credential: string; open: number }) | null> {
    const [row] = await tx.query(
      `SELECT s.id, s.credential, s.user_id, coalesce(p.context->>'organisation', '') AS organisation, split_part(u.email, '@', 2) AS email_domain,
              ARRAY(SELECT reviewer_id FROM portfolio_exclusions e WHERE e.portfolio_id = s.portfolio_id) AS excluded,
              ARRAY(SELECT reviewer_id FROM reviewer_conflicts c WHERE c.candidate_id = s.user_id) AS declared,
              ARRAY(SELECT reviewer_id FROM review_assignments a WHERE a.submission_id = s.id) AS offered,
              (SELECT count(*)::int FROM review_assignments a WHERE a.submission_id = s.id AND a.status = ANY($2::text[])) AS open
       FROM portfolio_submissions s JOIN portfolios p ON p.id = s.portfolio_id JOIN users u ON u.id = s.user_id
       WHERE s.id = $1 FOR UPDATE OF s`,
      [submissionId, [...OPEN_ASSIGNMENT_STATES, 'completed']],
    );
    if (!row) return null;
    return {
      candidateId: row.user_id,
      organisation: row.organisation,
      emailDomain: row.email_domain,
      excluded: row.excluded,
      declaredConflicts: row.declared,
      alreadyOffered: row.offered,
      credential: row.credential,
      open: row.open,
    };
  }

  async offer(
    tx: EntityManager,
    submissionId: string,
    reviewerId: string,
    respondWithinDays: number,
  ): Promise<{ id: string; respond_by: Date } | null> {
    const [row] = await tx.query(
      `INSERT INTO review_assignments (submission_id, reviewer_id, respond_by) VALUES ($1, $2, now() + make_interval(days => $3::int))
       ON CONFLICT (submission_id, reviewer_id) DO NOTHING RETURNING id, respond_by`,
      [submissionId, reviewerId, respondWithinDays],
    );
    return row ?? null;
  }

  async findAssignment(id: string, tx?: EntityManager, lock = ''): Promise<AssignmentRow | null> {
    const [row] = await this.m(tx).query(`SELECT *, now() AS now FROM review_assignments WHERE id = $1 ${lock}`, [id]);
    return row ?? null;
  }

  /** The one writer of an assignment's status: `a` is the caller's row, locked FOR UPDATE in `tx`. */
  async setStatus(
    tx: EntityManager,
    a: Pick<AssignmentRow, 'id' | 'status'>,
    to: AssignmentState,
    extra: { dueDays?: number; reason?: string } = {},
  ): Promise<AssignmentRow> {
    assignmentLifecycle.assert(assignmentLifecycle.parse(a.status), to);
    const [[row]] = await tx.query(
      `UPDATE review_assignments SET status = $2,
         accepted_at = CASE WHEN $2 = 'accepted' THEN now() ELSE accepted_at END,
         due_at = CASE WHEN $2 = 'accepted' THEN now() + make_interval(days => $3::int) ELSE due_at END,
         closed_at = CASE WHEN $2 = ANY($6::text[]) THEN now() ELSE closed_at END,
         close_reason = coalesce($4, close_reason)
       WHERE id = $1 AND status = $5 RETURNING *`,
      [a.id, to, extra.dueDays ?? 0, extra.reason ?? null, a.status, CLOSED_ASSIGNMENT_STATES],
    );
    if (!row) {
      // Only when the caller's row is stale (not the one locked in tx): refuse as the lifecycle would.
      const [current] = await tx.query(`SELECT status FROM review_assignments WHERE id = $1`, [a.id]);
      throw new LifecycleError(assignmentLifecycle.name, current?.status ?? a.status, to);
    }
    return row;
  }

  async declareConflict(tx: EntityManager, reviewerId: string, submissionId: string, reason: string | null): Promise<void> {
    await tx.query(
      `INSERT INTO reviewer_conflicts (reviewer_id, candidate_id, reason)
       SELECT $1, user_id, $3 FROM portfolio_submissions WHERE id = $2 ON CONFLICT DO NOTHING`,
      [reviewerId, submissionId, reason],
    );
  }

  async mine(reviewerId: string) {
    return this.dataSource.query(
      `SELECT a.*, s.credential, s.version, u.full_name AS candidate_name FROM review_assignments a
       JOIN portfolio_submissions s ON s.id = a.submission_id JOIN users u ON u.id = s.user_id
       WHERE a.reviewer_id = $1 AND a.status = ANY($2::text[]) ORDER BY a.offered_at DESC`,
      [reviewerId, [...OPEN_ASSIGNMENT_STATES, 'completed']],
    );
  }

  async adminEmails(): Promise<string[]> {
    return (await this.dataSource.query(`SELECT email FROM users WHERE 'admin' = ANY(roles) ORDER BY email`)).map(
      (r: { email: string }) => r.email,
    );
  }

  async reviewerEmail(id: string): Promise<{ email: string; full_name: string } | null> {
    const [row] = await this.dataSource.query(`SELECT email, full_name FROM users WHERE id = $1`, [id]);
    return row ?? null;
  }
}
