import { sql } from 'kysely';
import type { EntityManager } from 'typeorm';
import { typed } from '../database/kysely';
import type { JobName } from './job-names';
import type { JobPayloads } from './job-payloads';

/**
 * Writes one outbox row in the caller's transaction and answers its id: one INSERT … RETURNING id, where TypeORM's
 * entity save built the same statement through its persistence machinery (about 5 % of the API's CPU in a start
 * spike, with the audit append's).
 */
export async function insertOutboxRow(
  manager: EntityManager,
  row: { queue: string; jobName: JobName; payload: Record<string, unknown>; runAt: Date },
): Promise<string> {
  const { id } = await typed(manager)
    .insertInto('outbox')
    .values({ queue: row.queue, jobName: row.jobName, payload: JSON.stringify(row.payload), runAt: row.runAt })
    .returning('id')
    .executeTakeFirstOrThrow();
  return id;
}

/** Whether a job of this name whose payload contains `match` has an outbox row not yet completed. */
export async function openJobExists<N extends JobName>(
  manager: EntityManager,
  jobName: N,
  match: Partial<JobPayloads[N]>,
): Promise<boolean> {
  const row = await typed(manager)
    .selectFrom('outbox')
    .select('id')
    .where('jobName', '=', jobName)
    .where('completedAt', 'is', null)
    .where(sql<boolean>`payload @> ${JSON.stringify(match)}::jsonb`)
    .limit(1)
    .executeTakeFirst();
  return row !== undefined;
}

/**
 * Records that published jobs are owed no more because their producer withdrew them (a cancelled booking's
 * reminders, removed from Redis): the reconciler would otherwise publish them again as lost.
 */
export async function settleWithdrawnJobs(manager: EntityManager, ids: string[]): Promise<void> {
  if (ids.length === 0) return;
  await typed(manager)
    .updateTable('outbox')
    .set({ completedAt: sql<Date>`now()`, failedAt: null })
    .where('id', 'in', ids)
    .where('completedAt', 'is', null)
    .execute();
}
