import type { Db } from '../database/kysely';

/**
 * What other modules may read of the outbox (architecture invariant 13), for the admin jobs page: each
 * row's progress from written to completed or failed. The payload comes along because its ids say what
 * a job is about; it holds ids and small facts only (invariant 6). A query over the caller's executor,
 * to be used as a subquery (`.selectFrom(queueReader.outbox(db).as('o'))`).
 */
export const queueReader = {
  outbox: (db: Db) =>
    db
      .selectFrom('outbox')
      .select([
        'id',
        'jobName',
        'queue',
        'payload',
        'runAt',
        'createdAt',
        'publishedAt',
        'completedAt',
        'failedAt',
        'failures',
        'jobError',
      ]),
};
