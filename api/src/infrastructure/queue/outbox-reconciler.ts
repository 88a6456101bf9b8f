import { Inject, Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { JobState } from 'bullmq';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { JobRecovery } from './job-recovery';
import { QueueName } from './job-names';
import { OutboxJob, OutboxJobsRepository, ScanCursor } from './outbox-jobs.repository';
import { QueueRegistry } from './queue-registry';

export type ReconcileAction = 'republish' | 'complete' | 'record_failure' | 'retry' | 'leave';

export interface OutboxReconcileResult {
  /** Redis had lost its data (or no pass had completed on it yet): every open row was checked, future ones too. */
  redisReset: boolean;
  /** Jobs Redis no longer had, published again. */
  lost: number;
  /** Failed jobs run again after their cool-off. */
  retried: number;
}

const BATCH_SIZE = 500;
// The relay marks a row published only once Redis holds its job, and the worker completes it within moments:
// a row younger than this is the normal path's business, so a scan never races it.
const RECENT_MS = 60_000;
const MARKER_DONE = 'done';

/**
 * What the reconciler does with an open, published row given the state of its job in Redis: a job Redis lost
 * is published again; one Redis completed or failed without the worker living to say so gets its outcome
 * recorded; a recorded failure is retried once it is `failedRetryMs` old. Anything queued or running is left.
 */
export function actionFor(
  state: JobState | 'unknown',
  row: Pick<OutboxJob, 'failedAt'>,
  now: Date,
  failedRetryMs: number,
): ReconcileAction {
  const retryDue = row.failedAt !== null && now.getTime() - row.failedAt.getTime() >= failedRetryMs;
  switch (state) {
    case 'unknown':
      if (row.failedAt === null) return 'republish';
      return retryDue ? 'retry' : 'leave';
    case 'completed':
      return 'complete';
    case 'failed':
      if (row.failedAt === null) return 'record_failure';
      return retryDue ? 'retry' : 'leave';
    default:
      return 'leave';
  }
}

/**
 * PostgreSQL is the system of record: every published row not yet completed must have its job in Redis
 * (waiting, delayed, running) or a recorded failure. One pass checks that and repairs what is not so.
 *
 * A marker key with no expiry tells whether Redis kept its data since the last complete pass: when it is
 * missing (a FLUSHALL, a restart without persistence, a new Redis), every open row is checked, including
 * delayed jobs due in years; otherwise only rows old enough that their job should have run.
 */
@Injectable()
export class OutboxReconciler {
  constructor(
    private readonly rows: OutboxJobsRepository,
    private readonly recovery: JobRecovery,
    private readonly queues: QueueRegistry,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async reconcile(now: Date): Promise<OutboxReconcileResult> {
    const redis = await this.queues.get(QueueName.Notifications).getBackend().client;
    const marker = `${this.config.redisPrefix}:psf:reconciled`;
    const passKey = `${marker}:pass`;
    const redisReset = (await redis.get(marker)) !== MARKER_DONE;
    // A reset during the scan takes this key with it: then the marker is not set, and the next pass checks everything.
    const pass = randomUUID();
    await redis.set(passKey, pass);
    const counts = { lost: 0, retried: 0 };

    // Failures due for a retry, whatever their age (one batch a pass: a retry that does not take stays failed).
    const failedBefore = new Date(now.getTime() - this.config.reconcile.failedRetryMs);
    await this.repair(await this.rows.failedBefore(failedBefore, BATCH_SIZE), now, counts);

    const dueBefore = redisReset ? null : new Date(now.getTime() - RECENT_MS);
    let cursor: ScanCursor | null = null;
    for (;;) {
      const batch = await this.rows.openPublished(dueBefore, cursor, BATCH_SIZE);
      await this.repair(batch, now, counts);
      if (batch.length < BATCH_SIZE) break;
      cursor = batch[batch.length - 1];
    }

    if ((await redis.get(passKey)) === pass) await redis.set(marker, MARKER_DONE);
    return { redisReset, ...counts };
  }

  private async repair(rows: OutboxJob[], now: Date, counts: { lost: number; retried: number }): Promise<void> {
    // Issued together: ioredis pipelines them on one connection.
    const states = await Promise.all(rows.map((row) => this.recovery.stateOf(row)));
    for (const [i, row] of rows.entries()) {
      switch (actionFor(states[i], row, now, this.config.reconcile.failedRetryMs)) {
        case 'republish':
          await this.recovery.publish(row);
          counts.lost += 1;
          break;
        case 'complete':
          await this.recovery.markCompleted(row.id);
          break;
        case 'record_failure':
          await this.recovery.recordFailure(row.id, await this.recovery.failedReason(row));
          break;
        case 'retry':
          if (await this.recovery.retry(row, states[i])) counts.retried += 1;
          break;
        case 'leave':
          break;
      }
    }
  }
}
