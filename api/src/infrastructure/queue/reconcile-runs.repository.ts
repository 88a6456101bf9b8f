import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { typed } from '../database/kysely';

export type ReconcileTrigger = 'start' | 'schedule' | 'admin';

/** One reconciliation pass as recorded: what it found missing and queued again, per part. */
export interface ReconcileRun {
  id: string;
  startedAt: Date;
  finishedAt: Date;
  trigger: ReconcileTrigger;
  redisReset: boolean;
  requeued: Record<string, number>;
  error: string | null;
}

/** The reconcile_runs table, and the lock that keeps passes one at a time across workers. */
@Injectable()
export class ReconcileRunsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /**
   * Runs `work` in a transaction holding the transaction-scoped advisory lock `key`, or returns null at once
   * when another process holds it. The lock goes with the transaction, so a worker that dies mid-pass frees it.
   */
  async exclusively<T>(key: number, work: (tx: EntityManager) => Promise<T>): Promise<T | null> {
    return this.dataSource.transaction(async (tx) => {
      const { locked } = await typed(tx)
        .selectNoFrom((eb) => eb.fn<boolean>('pg_try_advisory_xact_lock', [eb.val(key)]).as('locked'))
        .executeTakeFirstOrThrow();
      return locked ? work(tx) : null;
    });
  }

  async record(tx: EntityManager, run: Omit<ReconcileRun, 'id' | 'finishedAt'>): Promise<void> {
    await typed(tx)
      .insertInto('reconcileRuns')
      .values({ ...run, requeued: JSON.stringify(run.requeued) })
      .execute();
  }

  async deleteStartedBefore(tx: EntityManager, before: Date): Promise<void> {
    await typed(tx).deleteFrom('reconcileRuns').where('startedAt', '<', before).execute();
  }

  /** The latest passes, newest first. */
  async latest(limit: number): Promise<ReconcileRun[]> {
    return (await typed(this.dataSource)
      .selectFrom('reconcileRuns')
      .selectAll()
      .orderBy('startedAt', 'desc')
      .limit(limit)
      .execute()) as ReconcileRun[];
  }
}
