import type { Db } from '../../infrastructure/database/kysely';

/**
 * What other modules may read of the exams module (architecture invariant 13), composable into the
 * caller's query as subqueries over the caller's executor. Answers and item-level results stay private.
 */
export const examsReader = {
  /**
   * Attempts as an administrator's view of a person lists them, and as the administrator dashboard counts
   * them: when, status and result (never the questions or answers).
   */
  attempts: (db: Db) =>
    db
      .selectFrom('attempts')
      .select(['id', 'userId', 'examCode', 'status', 'startedAt', 'deadline', 'submittedAt', 'scorePercent', 'passed']),
  /** Exams each person has passed (one row per passed attempt). */
  passes: (db: Db) => db.selectFrom('attempts').select(['userId', 'examCode']).where('passed', '=', true),
  /** The item versions put to candidates in finished attempts: one row per question shown (the items' response counts). */
  finishedResponses: (db: Db) =>
    db
      .selectFrom('attemptQuestions as q')
      .innerJoin('attempts as a', 'a.id', 'q.attemptId')
      .select(['q.itemVersionId', 'q.itemId'])
      .where('a.status', '<>', 'in_progress'),
};
