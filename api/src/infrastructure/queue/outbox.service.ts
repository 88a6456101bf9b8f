import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager, In, IsNull } from 'typeorm';
import { JOB_QUEUE, JobName } from './job-names';
import { JobPayloads } from './job-payloads';
import { OutboxMessage } from './outbox-message.entity';
import { insertOutboxRow, openJobExists, settleWithdrawnJobs } from './outbox-queries';

/** The only way to enqueue work: a row written in the caller's transaction, published later by the relay. */
@Injectable()
export class OutboxService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async enqueue<N extends JobName>(
    manager: EntityManager,
    jobName: N,
    data: JobPayloads[N],
    options: { runAt?: Date } = {},
  ): Promise<string> {
    return insertOutboxRow(manager, {
      queue: JOB_QUEUE[jobName],
      jobName,
      payload: data as Record<string, unknown>,
      runAt: options.runAt ?? new Date(),
    });
  }

  /**
   * Whether a job of this name whose payload contains `match` is still owed (not completed: unpublished,
   * waiting, running, or failed and awaiting its retry). Module reconcilers ask this before queueing again.
   */
  async hasOpen<N extends JobName>(manager: EntityManager, jobName: N, match: Partial<JobPayloads[N]>): Promise<boolean> {
    return openJobExists(manager, jobName, match);
  }

  /**
   * A module reconciler's re-queue: in a transaction of its own, enqueues the job unless one whose payload contains
   * `match` (by default the whole payload) is still open. True when it queued one.
   */
  async enqueueUnlessOpen<N extends JobName>(
    jobName: N,
    data: JobPayloads[N],
    options: { match?: Partial<JobPayloads[N]>; runAt?: Date } = {},
  ): Promise<boolean> {
    return this.dataSource.transaction(async (tx) => {
      if (await this.hasOpen(tx, jobName, options.match ?? data)) return false;
      await this.enqueue(tx, jobName, data, { runAt: options.runAt });
      return true;
    });
  }

  /** Settles published jobs their producer withdrew from Redis, so the reconciler does not publish them again. */
  async settleWithdrawn(ids: string[], manager: EntityManager = this.dataSource.manager): Promise<void> {
    await settleWithdrawnJobs(manager, ids);
  }

  /** Withdraws rows the relay has not published yet (in the caller's transaction); published ones are the caller's to undo. */
  async cancelUnpublished(manager: EntityManager, ids: string[]): Promise<void> {
    if (ids.length === 0) return;
    await manager.delete(OutboxMessage, { id: In(ids), publishedAt: IsNull() });
  }
}
