import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { sql } from 'kysely';
import { DataSource, EntityManager } from 'typeorm';
import { typed } from '../../infrastructure/database/kysely';
import { portfoliosReader } from '../portfolios/portfolios.reader';
import { usersReader } from '../users/users.reader';
import type { Recommendation } from './consolidation';

export interface BoardAssignment {
  assignmentId: string;
  reviewer: string;
  status: string;
  respondBy: string;
  dueAt: string | null;
  overdue: boolean;
}

/** One submission on the admin pipeline board, with its decision (if any) and every assignment. */
export interface BoardEntry {
  id: string;
  credential: string;
  version: number;
  status: string;
  submittedAt: Date;
  candidate: string;
  outcome: string | null;
  route: string | null;
  assignments: BoardAssignment[];
}

export interface OpenAppeal {
  id: string;
  submissionId: string;
  grounds: string;
  filedAt: Date;
  credential: string;
  version: number;
  candidate: string;
  outcome: string;
}

/** An appeal with the decision it contests. */
export interface AppealUnderDecision {
  id: string;
  submissionId: string;
  /** The candidate who filed it. */
  userId: string;
  status: string;
  decidedBy: string | null;
  outcome: string;
}

export interface NewDecision {
  submissionId: string;
  outcome: Recommendation;
  route: string;
  decidedBy: string | null;
  reason: string;
  /** Days the candidate has to resubmit; only a "revise" outcome opens the window. */
  resubmitWithinDays: number;
}

@Injectable()
export class DecisionsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  private db(tx?: EntityManager) {
    return typed(tx ?? this.dataSource);
  }

  /** The current decision's outcome, or null when the submission is undecided. */
  async outcomeOf(tx: EntityManager, submissionId: string): Promise<string | null> {
    const row = await this.db(tx)
      .selectFrom('portfolioDecisions')
      .select('outcome')
      .where('submissionId', '=', submissionId)
      .executeTakeFirst();
    return row?.outcome ?? null;
  }

  /** Records the decision, replacing an earlier one (override, upheld appeal). */
  async upsert(tx: EntityManager, d: NewDecision): Promise<void> {
    const resubmitUntil = d.outcome === 'revise' ? sql<Date>`now() + make_interval(days => ${d.resubmitWithinDays}::int)` : null;
    const values = { outcome: d.outcome, route: d.route, decidedBy: d.decidedBy, reason: d.reason, resubmitUntil };
    await this.db(tx)
      .insertInto('portfolioDecisions')
      .values({ submissionId: d.submissionId, ...values })
      .onConflict((oc) => oc.column('submissionId').doUpdateSet({ ...values, decidedAt: sql<Date>`now()` }))
      .execute();
  }

  /** The latest 500 submissions, newest first. */
  async board(): Promise<BoardEntry[]> {
    const db = this.db();
    const { rows } = await sql<BoardEntry>`
      SELECT s.id, s.credential, s.version, s.status, s.submitted_at, u.full_name AS candidate, d.outcome, d.route,
             coalesce(json_agg(json_build_object('assignmentId', a.id, 'reviewer', r.full_name, 'status', a.status,
               'respondBy', a.respond_by, 'dueAt', a.due_at,
               'overdue', (a.status = 'accepted' AND a.due_at < now()) OR (a.status = 'offered' AND a.respond_by < now())) ORDER BY a.offered_at)
               FILTER (WHERE a.id IS NOT NULL), '[]') AS assignments
      FROM ${portfoliosReader.submissions(db)} s JOIN ${usersReader.people(db)} u ON u.id = s.user_id
      LEFT JOIN portfolio_decisions d ON d.submission_id = s.id
      LEFT JOIN review_assignments a ON a.submission_id = s.id
      LEFT JOIN ${usersReader.people(db)} r ON r.id = a.reviewer_id
      GROUP BY s.id, s.credential, s.version, s.status, s.submitted_at, u.full_name, d.outcome, d.route
      ORDER BY s.submitted_at DESC LIMIT 500`.execute(db);
    return rows;
  }

  async openAppeals(): Promise<OpenAppeal[]> {
    return this.db()
      .selectFrom(portfoliosReader.appeals(this.db()).as('a'))
      .innerJoin(portfoliosReader.submissions(this.db()).as('s'), 's.id', 'a.submissionId')
      .innerJoin(usersReader.people(this.db()).as('u'), 'u.id', 'a.userId')
      .innerJoin('portfolioDecisions as d', 'd.submissionId', 'a.submissionId')
      .select(['a.id', 'a.submissionId', 'a.grounds', 'a.filedAt', 's.credential', 's.version', 'u.fullName as candidate', 'd.outcome'])
      .where('a.status', '=', 'open')
      .orderBy('a.filedAt')
      .execute();
  }

  /** Locks the appeal (not the decision) for the rest of the caller's transaction. */
  async lockAppeal(tx: EntityManager, appealId: string): Promise<AppealUnderDecision | null> {
    return (
      (await this.db(tx)
        .selectFrom(portfoliosReader.appeals(this.db(tx)).as('a'))
        .innerJoin('portfolioDecisions as d', 'd.submissionId', 'a.submissionId')
        .select(['a.id', 'a.submissionId', 'a.userId', 'a.status', 'd.decidedBy', 'd.outcome'])
        .where('a.id', '=', appealId)
        .forUpdate('a')
        .executeTakeFirst()) ?? null
    );
  }
}
