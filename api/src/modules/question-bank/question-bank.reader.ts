import type { Db } from '../../infrastructure/database/kysely';

/**
 * What other modules may read of the question bank (architecture invariant 13), composable into the
 * caller's query as subqueries over the caller's executor. The exams module draws forms from
 * `items` and shows and scores `itemVersions`; authoring data (reviews, comments, stage changes,
 * syncs) stays private.
 */
export const questionBankReader = {
  /** Every item's place in the bank: domain, criterion, difficulty, stage and how often it has been drawn. */
  items: (db: Db) =>
    db.selectFrom('items').select(['id', 'domain', 'criterion', 'difficulty', 'status', 'currentVersionId', 'exposureCount']),
  /** Item versions as frozen: the content a candidate saw and was scored on. */
  itemVersions: (db: Db) => db.selectFrom('itemVersions').select(['id', 'itemId', 'version', 'content']),
};
