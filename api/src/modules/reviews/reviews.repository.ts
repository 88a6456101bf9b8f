import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { type Selectable, sql } from 'kysely';
import { DataSource, EntityManager } from 'typeorm';
import { LifecycleError } from '../../common/lifecycle/lifecycle';
import { typed } from '../../infrastructure/database/kysely';
import type { ReviewAssignments } from '../../infrastructure/database/schema.generated';
import { portfoliosReader } from '../portfolios/portfolios.reader';
import { usersReader } from '../users/users.reader';
import { ASSIGNMENT_STATES, assignmentLifecycle, type AssignmentState, OPEN_ASSIGNMENT_STATES } from './assignment-lifecycle';
import type { Recommendation } from './consolidation';
import type { SubmissionParty } from './reviewer-selection';

/** An assignment as stored, its status narrowed to the lifecycle's states. */
export type Assignment = Omit<Selectable<ReviewAssignments>, 'status'> & { status: AssignmentState };

/** An assignment read with the database clock, to compare its deadlines against. */
export type TimedAssignment = Assignment & { now: Date };

/** A reviewer's own list: the assignment with what the reviewer may know of the submission. */
export type ReviewerAssignment = Assignment & { credential: string; version: number; candidateName: string };

export type AssignmentParty = SubmissionParty & { credential: string; open: number };

export interface NewOffer {
  id: string;
  respondBy: Date;
}

export interface CriterionScore {
  criterion: string;
  score: number;
  comment?: string;
}

export interface DomainJudgement {
  domain: string;
  met: boolean;
  comment?: string;
}

/** A submitted review, without when it came in. */
export interface StoredReview {
  reviewerId: string;
  criterionScores: CriterionScore[];
  domainJudgements: DomainJudgement[];
  recommendation: Recommendation;
}

export type NewReview = StoredReview & { assignmentId: string; submissionId: string };

export interface SubmissionContent {
  context: Record<string, string>;
  evidence: Array<{ criterion: string; narrative: string; attachments: Array<{ id: string; fileName: string; mediaType: string }> }>;
}

/** The frozen submission a reviewer reads, with the candidate's identity (hidden by the service in blind review). */
export interface ReviewableSubmission {
  id: string;
  credential: string;
  version: number;
  status: string;
  content: SubmissionContent;
  submittedAt: Date;
  fullName: string;
  email: string;
}

interface SubmissionPartyRow {
  id: string;
  credential: string;
  userId: string;
  organisation: string;
  emailDomain: string;
  excluded: string[];
  declared: string[];
  offered: string[];
  open: number;
}

/** The closed states: writing one stamps closed_at. */
const CLOSED_ASSIGNMENT_STATES: readonly AssignmentState[] = ASSIGNMENT_STATES.filter(assignmentLifecycle.isFinal);

const toAssignment = <T extends { status: string }>(row: T): T & { status: AssignmentState } => ({
  ...row,
  status: assignmentLifecycle.parse(row.status),
});

@Injectable()
export class ReviewsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  private db(tx?: EntityManager) {
    return typed(tx ?? this.dataSource);
  }

  /** Locks the submission (one assignment run at a time per submission) and gathers who may not review it. */
  async submissionParty(tx: EntityManager, submissionId: string): Promise<AssignmentParty | null> {
    const db = this.db(tx);
    const {
      rows: [row],
    } = await sql<SubmissionPartyRow>`
      SELECT s.id, s.credential, s.user_id, coalesce(p.context->>'organisation', '') AS organisation, split_part(u.email, '@', 2) AS email_domain,
             ARRAY(SELECT reviewer_id FROM ${portfoliosReader.exclusions(db)} e WHERE e.portfolio_id = s.portfolio_id) AS excluded,
             ARRAY(SELECT reviewer_id FROM reviewer_conflicts c WHERE c.candidate_id = s.user_id) AS declared,
             ARRAY(SELECT reviewer_id FROM review_assignments a WHERE a.submission_id = s.id) AS offered,
             (SELECT count(*)::int FROM review_assignments a WHERE a.submission_id = s.id AND a.status = ANY(${[...OPEN_ASSIGNMENT_STATES, 'completed']}::text[])) AS open
      FROM ${portfoliosReader.submissions(db)} s JOIN ${portfoliosReader.portfolios(db)} p ON p.id = s.portfolio_id
        JOIN ${usersReader.people(db)} u ON u.id = s.user_id
      WHERE s.id = ${submissionId} FOR UPDATE OF s`.execute(db);
    if (!row) return null;
    return {
      candidateId: row.userId,
      organisation: row.organisation,
      emailDomain: row.emailDomain,
      excluded: row.excluded,
      declaredConflicts: row.declared,
      alreadyOffered: row.offered,
      credential: row.credential,
      open: row.open,
    };
  }

  /**
   * Submissions in review with fewer than `places` live assignments (offered, accepted or completed), in which nothing
   * has happened since `quietSince` (submitted, or an assignment closed), oldest first.
   */
  async submissionsShortOfReviewers(places: number, quietSince: Date, limit: number): Promise<string[]> {
    const db = this.db();
    const live = [...OPEN_ASSIGNMENT_STATES, 'completed'];
    const { rows } = await sql<{ id: string }>`
      SELECT s.id FROM ${portfoliosReader.submissions(db)} s
      WHERE s.status = 'submitted'
        AND (SELECT count(*) FROM review_assignments a WHERE a.submission_id = s.id AND a.status = ANY(${live}::text[])) < ${places}
        AND greatest(s.submitted_at, (SELECT max(a.closed_at) FROM review_assignments a WHERE a.submission_id = s.id)) < ${quietSince}
      ORDER BY s.submitted_at LIMIT ${limit}`.execute(db);
    return rows.map((r) => r.id);
  }

  /** Offers made before `offeredBefore` still waiting for the reviewer's answer, oldest first. */
  async pendingOffers(offeredBefore: Date, limit: number): Promise<NewOffer[]> {
    return this.db()
      .selectFrom('reviewAssignments')
      .select(['id', 'respondBy'])
      .where('status', '=', 'offered')
      .where('offeredAt', '<', offeredBefore)
      .orderBy('offeredAt')
      .limit(limit)
      .execute();
  }

  /** Null when this reviewer already has an assignment for the submission. */
  async offer(tx: EntityManager, submissionId: string, reviewerId: string, respondWithinDays: number): Promise<NewOffer | null> {
    return (
      (await this.db(tx)
        .insertInto('reviewAssignments')
        .values({ submissionId, reviewerId, respondBy: sql<Date>`now() + make_interval(days => ${respondWithinDays}::int)` })
        .onConflict((oc) => oc.columns(['submissionId', 'reviewerId']).doNothing())
        .returning(['id', 'respondBy'])
        .executeTakeFirst()) ?? null
    );
  }

  /** `forUpdate` locks the row for the rest of the caller's transaction. */
  async findAssignment(id: string, tx?: EntityManager, forUpdate = false): Promise<TimedAssignment | null> {
    const query = this.db(tx)
      .selectFrom('reviewAssignments')
      .selectAll()
      .select(sql<Date>`now()`.as('now'))
      .where('id', '=', id);
    const row = await (forUpdate ? query.forUpdate() : query).executeTakeFirst();
    return row ? toAssignment(row) : null;
  }

  /** The reviewer's assignments not yet closed (offered or accepted), oldest first. */
  async openAssignmentIdsOf(tx: EntityManager, reviewerId: string): Promise<string[]> {
    const rows = await this.db(tx)
      .selectFrom('reviewAssignments')
      .select('id')
      .where('reviewerId', '=', reviewerId)
      .where('status', 'in', [...OPEN_ASSIGNMENT_STATES])
      .orderBy('offeredAt')
      .execute();
    return rows.map((r) => r.id);
  }

  /** The one writer of an assignment's status: `a` is the caller's row, locked FOR UPDATE in `tx`. */
  async setStatus(
    tx: EntityManager,
    a: Pick<Assignment, 'id' | 'status'>,
    to: AssignmentState,
    extra: { dueDays?: number; reason?: string } = {},
  ): Promise<Assignment> {
    assignmentLifecycle.assert(assignmentLifecycle.parse(a.status), to);
    const row = await this.db(tx)
      .updateTable('reviewAssignments')
      .set({
        status: to,
        ...(to === 'accepted'
          ? { acceptedAt: sql<Date>`now()`, dueAt: sql<Date>`now() + make_interval(days => ${extra.dueDays ?? 0}::int)` }
          : {}),
        ...(CLOSED_ASSIGNMENT_STATES.includes(to) ? { closedAt: sql<Date>`now()` } : {}),
        ...(extra.reason !== undefined ? { closeReason: extra.reason } : {}),
      })
      .where('id', '=', a.id)
      .where('status', '=', a.status)
      .returningAll()
      .executeTakeFirst();
    if (!row) {
      // Only when the caller's row is stale (not the one locked in tx): refuse as the lifecycle would.
      const current = await this.db(tx).selectFrom('reviewAssignments').select('status').where('id', '=', a.id).executeTakeFirst();
      throw new LifecycleError(assignmentLifecycle.name, current?.status ?? a.status, to);
    }
    return toAssignment(row);
  }

  async declareConflict(tx: EntityManager, reviewerId: string, submissionId: string, reason: string | null): Promise<void> {
    await this.db(tx)
      .insertInto('reviewerConflicts')
      .columns(['reviewerId', 'candidateId', 'reason'])
      .expression((eb) =>
        eb
          .selectFrom(portfoliosReader.submissions(this.db(tx)).as('s'))
          .select([eb.val(reviewerId).as('reviewerId'), 's.userId', eb.val(reason).as('reason')])
          .where('s.id', '=', submissionId),
      )
      .onConflict((oc) => oc.doNothing())
      .execute();
  }

  async mine(reviewerId: string): Promise<ReviewerAssignment[]> {
    const rows = await this.db()
      .selectFrom('reviewAssignments as a')
      .innerJoin(portfoliosReader.submissions(this.db()).as('s'), 's.id', 'a.submissionId')
      .innerJoin(usersReader.people(this.db()).as('u'), 'u.id', 's.userId')
      .selectAll('a')
      .select(['s.credential', 's.version', 'u.fullName as candidateName'])
      .where('a.reviewerId', '=', reviewerId)
      .where('a.status', 'in', [...OPEN_ASSIGNMENT_STATES, 'completed'])
      .orderBy('a.offeredAt', 'desc')
      .execute();
    return rows.map(toAssignment);
  }

  /** The submission as frozen, for its assigned reviewer. */
  async reviewableSubmission(submissionId: string): Promise<ReviewableSubmission | null> {
    const row = await this.db()
      .selectFrom(portfoliosReader.submissions(this.db()).as('s'))
      .innerJoin(usersReader.people(this.db()).as('u'), 'u.id', 's.userId')
      .select(['s.id', 's.credential', 's.version', 's.status', 's.content', 's.submittedAt', 'u.fullName', 'u.email'])
      .where('s.id', '=', submissionId)
      .executeTakeFirst();
    return row ? { ...row, content: row.content as unknown as SubmissionContent } : null;
  }

  async submissionCredential(tx: EntityManager, submissionId: string): Promise<string | null> {
    const row = await this.db(tx)
      .selectFrom(portfoliosReader.submissions(this.db(tx)).as('s'))
      .select('s.credential')
      .where('s.id', '=', submissionId)
      .executeTakeFirst();
    return row?.credential ?? null;
  }

  /** The reviewer's work in progress on an assignment, or null. */
  async draft(assignmentId: string): Promise<{ content: unknown; updatedAt: Date } | null> {
    return (
      (await this.db()
        .selectFrom('reviewDrafts')
        .select(['content', 'updatedAt'])
        .where('assignmentId', '=', assignmentId)
        .executeTakeFirst()) ?? null
    );
  }

  async saveDraft(tx: EntityManager, assignmentId: string, content: object): Promise<Date> {
    const row = await this.db(tx)
      .insertInto('reviewDrafts')
      .values({ assignmentId, content: JSON.stringify(content) })
      .onConflict((oc) => oc.column('assignmentId').doUpdateSet({ content: JSON.stringify(content), updatedAt: sql<Date>`now()` }))
      .returning('updatedAt')
      .executeTakeFirstOrThrow();
    return row.updatedAt;
  }

  async deleteDraft(tx: EntityManager, assignmentId: string): Promise<void> {
    await this.db(tx).deleteFrom('reviewDrafts').where('assignmentId', '=', assignmentId).execute();
  }

  async insertReview(tx: EntityManager, r: NewReview): Promise<void> {
    await this.db(tx)
      .insertInto('reviews')
      .values({
        assignmentId: r.assignmentId,
        submissionId: r.submissionId,
        reviewerId: r.reviewerId,
        criterionScores: JSON.stringify(r.criterionScores),
        domainJudgements: JSON.stringify(r.domainJudgements),
        recommendation: r.recommendation,
      })
      .execute();
  }

  /** The reviews of a submission in the order they came in. */
  async reviewsOf(submissionId: string, tx?: EntityManager): Promise<StoredReview[]> {
    const rows = await this.db(tx)
      .selectFrom('reviews')
      .select(['reviewerId', 'criterionScores', 'domainJudgements', 'recommendation'])
      .where('submissionId', '=', submissionId)
      .orderBy('submittedAt')
      .execute();
    return rows.map((r) => ({
      reviewerId: r.reviewerId,
      criterionScores: r.criterionScores as unknown as CriterionScore[],
      domainJudgements: r.domainJudgements as unknown as DomainJudgement[],
      recommendation: r.recommendation as Recommendation,
    }));
  }

  /** True when the user has (or had) an assignment for the submission, whatever its state. */
  async isAssigned(tx: EntityManager, submissionId: string, reviewerId: string): Promise<boolean> {
    const row = await this.db(tx)
      .selectFrom('reviewAssignments')
      .select(sql<number>`1`.as('one'))
      .where('submissionId', '=', submissionId)
      .where('reviewerId', '=', reviewerId)
      .executeTakeFirst();
    return Boolean(row);
  }
}
