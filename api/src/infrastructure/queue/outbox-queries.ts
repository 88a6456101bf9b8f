import { sql } from 'kysely';
import type { EntityManager } from 'typeorm';
import { typed } from '../database/kysely';
import type { JobName } from './job-names';
import type { JobPayloads } from './job-payloads';

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
