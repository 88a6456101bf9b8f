import type { Db } from '../../infrastructure/database/kysely';
import { portfoliosReader } from '../portfolios/portfolios.reader';

/**
 * What other modules may read of the reviews module (architecture invariant 13), composable into the
 * caller's query as subqueries over the caller's executor. Reviewers stay anonymous to candidates:
 * `feedback` carries no reviewer.
 */
export const reviewsReader = {
  /** Conflicts reviewers declared with candidates. */
  conflicts: (db: Db) => db.selectFrom('reviewerConflicts').select(['reviewerId', 'candidateId']),
  /** Reviewers who have taken on (accepted or completed) a submission: they may read it, and may not judge its candidate afresh. */
  engagedReviewers: (db: Db) =>
    db
      .selectFrom('reviewAssignments as a')
      .innerJoin(portfoliosReader.submissions(db).as('s'), 's.id', 'a.submissionId')
      .select(['a.reviewerId', 'a.submissionId', 's.userId as candidateId'])
      .where('a.status', 'in', ['accepted', 'completed']),
  /** The decision on each decided submission. */
  decisions: (db: Db) =>
    db.selectFrom('portfolioDecisions').select(['submissionId', 'outcome', 'route', 'decidedAt', 'decidedBy', 'resubmitUntil']),
  /** The reviews' scores and judgements, without the reviewer. */
  feedback: (db: Db) => db.selectFrom('reviews').select(['submissionId', 'criterionScores', 'domainJudgements']),
  /** Assignments' progress and dates, without the reviewer: the administrator dashboard's turnaround and overdue counts. */
  assignments: (db: Db) =>
    db.selectFrom('reviewAssignments').select(['id', 'submissionId', 'status', 'offeredAt', 'acceptedAt', 'dueAt', 'respondBy']),
  /** When each review was submitted, and for which assignment (no scores, no reviewer). */
  submittedReviews: (db: Db) => db.selectFrom('reviews').select(['assignmentId', 'submissionId', 'submittedAt']),
  /** Reviewers' organisations (for candidates naming whom to exclude). */
  profiles: (db: Db) => db.selectFrom('reviewerProfiles').select(['userId', 'organisation']),
};
