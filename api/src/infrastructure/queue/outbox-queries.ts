import { sql } from 'kysely';
import type { EntityManager } from 'typeorm';
import { typed } from '../database/kysely';
import type { JobName } from './job-names';
import type { JobPayloads } from './job-payloads';

/** Whether a job of this name whose payload contains `match` has an outbox row not yet completed. */
export async function openJobExists<N extends JobName>(manager: EntityManager, jobName: N, match: Partial<JobPayloads[N]>): Promise<boolean> {
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
