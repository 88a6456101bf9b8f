import type { Db } from '../../infrastructure/database/kysely';

/**
 * What other modules may read of the portfolios module (architecture invariant 13), composable into
 * the caller's query as subqueries over the caller's executor (so reads join, lock and stay in the
 * caller's transaction). Drafts, evidence being written and attachments' storage stay private.
 */
export const portfoliosReader = {
  /** Submissions as frozen for review: who, which credential, which version, the content, its status. */
  submissions: (db: Db) =>
    db
      .selectFrom('portfolioSubmissions')
      .select(['id', 'portfolioId', 'userId', 'credential', 'version', 'content', 'status', 'submittedAt']),
  /** Portfolios' owners and the deployment context they declared (the organisation a reviewer must not share). */
  portfolios: (db: Db) => db.selectFrom('portfolios').select(['id', 'userId', 'credential', 'context']),
  /**
   * Staff who may not judge a candidate: those matched by a conflict of interest the candidate
   * declared for a portfolio and an administrator confirmed (pending and rejected ones exclude nobody).
   */
  exclusions: (db: Db) =>
    db
      .selectFrom('portfolioConflictMatches as m')
      .innerJoin('portfolioConflictDeclarations as d', 'd.id', 'm.declarationId')
      .innerJoin('portfolios as p', 'p.id', 'd.portfolioId')
      .select(['m.reviewerId', 'd.portfolioId', 'p.userId as candidateId'])
      .where('d.status', '=', 'confirmed'),
  /** Candidates' appeals against decisions. */
  appeals: (db: Db) => db.selectFrom('portfolioAppeals').select(['id', 'submissionId', 'userId', 'grounds', 'filedAt', 'status']),
};
