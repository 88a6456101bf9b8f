import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Job, JobState } from 'bullmq';
import { DataSource } from 'typeorm';
import { JOB_QUEUE, JobName, PERIODIC_JOBS, QueueName } from './job-names';
import { OutboxJob, OutboxJobsRepository } from './outbox-jobs.repository';
import { OutboxService } from './outbox.service';
import { QueueRegistry } from './queue-registry';

export type RetryOutcome = 'retried' | 'not_failed' | 'not_found';

// BullMQ waits for Redis forever rather than failing; a pass or an admin's retry must give up and say so.
const REDIS_READY_MS = 5_000;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const MAX_ERROR_LENGTH = 500;

/** Outbox jobs carry their row's id (a UUID); periodic scheduler jobs ("repeat:…") have no row. */
export function isOutboxId(jobId: string | undefined): jobId is string {
  return jobId !== undefined && UUID.test(jobId);
}

/** BullMQ's 'failed' event fires on every failed attempt; only a finished job (no retry left, or stalled too often) failed for good. */
export function isFinalFailure(job: Pick<Job, 'finishedOn' | 'attemptsMade' | 'opts'>): boolean {
  return Boolean(job.finishedOn) || job.attemptsMade >= (job.opts.attempts ?? 1);
}

/**
 * Admins hear of a job's first failure and then of every fifth (5, 10, …): a job failing each time the
 * reconciler retries it must not flood their inboxes. A failed alert is never alerted about (no loop).
 */
export function shouldAlert(jobName: string, failures: number): boolean {
  return jobName !== JobName.AlertJobFailed && (failures === 1 || failures % 5 === 0);
}

/**
 * Brings outbox jobs to their outcome in PostgreSQL and back to life in Redis: the worker records completion
 * and failure through it, the reconciler and the admin jobs page retry and re-publish through it.
 */
@Injectable()
export class JobRecovery {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly rows: OutboxJobsRepository,
    private readonly outbox: OutboxService,
    private readonly queues: QueueRegistry,
  ) {}

  async markCompleted(jobId: string | undefined): Promise<void> {
    if (isOutboxId(jobId)) await this.rows.markCompleted(jobId);
  }

  /** Records a final failure on the job's row (once) and, on the alert cadence, queues the admins' alert with it. */
  async recordFailure(jobId: string | undefined, error: string): Promise<void> {
    if (!isOutboxId(jobId)) return;
    await this.dataSource.transaction(async (tx) => {
      const failed = await this.rows.markFailed(tx, jobId, error.slice(0, MAX_ERROR_LENGTH));
      if (failed && shouldAlert(failed.jobName, failed.failures)) {
        await this.outbox.enqueue(tx, JobName.AlertJobFailed, { outboxId: jobId, failures: failed.failures });
      }
    });
  }

  /** The job behind an alert: what it is, since when it is due, and how it failed. */
  async describe(outboxId: string): Promise<OutboxJob | null> {
    return isOutboxId(outboxId) ? this.rows.find(outboxId) : null;
  }

  /** An administrator's retry: a failed job runs again now, with all its attempts. Throws when Redis cannot be reached. */
  async retryFailed(outboxId: string): Promise<RetryOutcome> {
    const row = isOutboxId(outboxId) ? await this.rows.find(outboxId) : null;
    if (!row) return 'not_found';
    if (row.completedAt || !row.publishedAt) return 'not_failed';
    await this.redisReady();
    return (await this.retry(row, await this.stateOf(row))) ? 'retried' : 'not_failed';
  }

  /** Resolves once every queue's connection to Redis is up; rejects after `ms` without one. */
  async redisReady(ms = REDIS_READY_MS): Promise<void> {
    const ready = Promise.all(Object.values(QueueName).map((name) => this.queues.get(name).waitUntilReady()));
    ready.catch(() => undefined); // a connection closed after the timeout must not surface as an unhandled rejection
    let timer: NodeJS.Timeout | undefined;
    try {
      await Promise.race([
        ready,
        new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(new Error(`Redis did not answer within ${ms} ms`)), ms);
        }),
      ]);
    } finally {
      clearTimeout(timer);
    }
  }

  async stateOf(row: Pick<OutboxJob, 'id' | 'queue'>): Promise<JobState | 'unknown'> {
    return this.queues.get(row.queue as QueueName).getJobState(row.id);
  }

  /**
   * Runs a failed job again: in place when Redis still holds it (its attempts start over), else published
   * anew under the same id. Returns false when the job turned out not to be failed (someone else retried it).
   */
  async retry(row: OutboxJob, state: JobState | 'unknown'): Promise<boolean> {
    if (state === 'unknown' && row.failedAt) {
      await this.publish(row);
    } else if (state === 'failed') {
      const job = await this.queues.get(row.queue as QueueName).getJob(row.id);
      if (!job) return false;
      try {
        await job.retry('failed', { resetAttemptsMade: true, resetAttemptsStarted: true });
      } catch (error) {
        if ((await this.stateOf(row)) !== 'failed') return false;
        throw error;
      }
    } else {
      return false;
    }
    await this.rows.clearFailure(row.id);
    return true;
  }

  /** Adds the row's job to Redis again, with what is left of its delay; a job still there under this id makes this a no-op. */
  async publish(row: OutboxJob): Promise<void> {
    const delay = Math.max(0, row.runAt.getTime() - Date.now());
    await this.queues.get(row.queue as QueueName).add(row.jobName, row.payload, { jobId: row.id, delay });
  }

  /** The reason Redis gives for a failed job (for a failure the worker did not live to record). */
  async failedReason(row: Pick<OutboxJob, 'id' | 'queue'>): Promise<string> {
    const job = await this.queues.get(row.queue as QueueName).getJob(row.id);
    return job?.failedReason || 'the job failed';
  }

  /** Upserts the periodic schedulers (idempotent: an existing one keeps its next run). Redis losing them loses every safety net. */
  async upsertPeriodicJobs(): Promise<void> {
    for (const job of PERIODIC_JOBS) {
      await this.queues.get(JOB_QUEUE[job.name]).upsertJobScheduler(job.name, { every: job.everyMs }, { name: job.name, data: {} });
    }
  }
}
