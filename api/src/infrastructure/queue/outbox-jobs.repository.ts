import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { sql } from 'kysely';
import { DataSource, EntityManager } from 'typeorm';
import { typed } from '../database/kysely';

/** An outbox row as the worker and the reconciler see it: what to run, and how far its promise got. */
export interface OutboxJob {
  id: string;
  queue: string;
  jobName: string;
  payload: Record<string, unknown>;
  runAt: Date;
  publishedAt: Date | null;
  completedAt: Date | null;
  failedAt: Date | null;
  failures: number;
  jobError: string | null;
}

/** Where a scan of open rows stopped: rows come in (run_at, id) order. */
export interface ScanCursor {
  runAt: Date;
  id: string;
}

const COLUMNS = ['id', 'queue', 'jobName', 'payload', 'runAt', 'publishedAt', 'completedAt', 'failedAt', 'failures', 'jobError'] as const;

/** The outbox's job outcomes: completion and failure recorded by the worker, and the reconciler's scans. */
@Injectable()
export class OutboxJobsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  private db(tx?: EntityManager) {
    return typed(tx ?? this.dataSource);
  }

  async find(id: string): Promise<OutboxJob | null> {
    const row = await this.db().selectFrom('outbox').select(COLUMNS).where('id', '=', id).executeTakeFirst();
    return (row as OutboxJob | undefined) ?? null;
  }

  /** The promise is kept; a failure recorded before (then retried) is over. */
  async markCompleted(id: string): Promise<void> {
    await this.db()
      .updateTable('outbox')
      .set({ completedAt: sql<Date>`now()`, failedAt: null })
      .where('id', '=', id)
      .where('completedAt', 'is', null)
      .execute();
  }

  /**
   * Records a final failure once: the worker's event and the reconciler may both see it, and only the first
   * counts (failed_at is cleared when the job is retried, so each failure after a retry counts again).
   * Returns the job's name and its failure count, or null when there was nothing to record.
   */
  async markFailed(tx: EntityManager, id: string, error: string): Promise<{ jobName: string; failures: number } | null> {
    const row = await this.db(tx)
      .updateTable('outbox')
      .set((eb) => ({ failedAt: sql<Date>`now()`, failures: eb('failures', '+', 1), jobError: error }))
      .where('id', '=', id)
      .where('failedAt', 'is', null)
      .where('completedAt', 'is', null)
      .returning(['jobName', 'failures'])
      .executeTakeFirst();
    return row ?? null;
  }

  /** The job is running again: it is no longer shown (nor retried) as failed; its last error stays for the record. */
  async clearFailure(id: string): Promise<void> {
    await this.db().updateTable('outbox').set({ failedAt: null }).where('id', '=', id).where('completedAt', 'is', null).execute();
  }

  /** Published rows whose job has not completed, due before `dueBefore` (all of them when null), after the cursor. */
  async openPublished(dueBefore: Date | null, after: ScanCursor | null, limit: number): Promise<OutboxJob[]> {
    let query = this.db().selectFrom('outbox').select(COLUMNS).where('publishedAt', 'is not', null).where('completedAt', 'is', null);
    if (dueBefore) query = query.where('runAt', '<', dueBefore);
    if (after) query = query.where((eb) => eb(eb.refTuple('runAt', 'id'), '>', eb.tuple(after.runAt, after.id)));
    return (await query.orderBy('runAt').orderBy('id').limit(limit).execute()) as OutboxJob[];
  }

  /** Rows whose job failed before `failedBefore` and has not been retried since, oldest failure first. */
  async failedBefore(failedBefore: Date, limit: number): Promise<OutboxJob[]> {
    return (await this.db()
      .selectFrom('outbox')
      .select(COLUMNS)
      .where('failedAt', '<', failedBefore)
      .where('completedAt', 'is', null)
      .orderBy('failedAt')
      .limit(limit)
      .execute()) as OutboxJob[];
  }
}
