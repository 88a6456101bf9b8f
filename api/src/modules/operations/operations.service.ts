import { ConflictException, HttpException, Injectable, NotFoundException, ServiceUnavailableException } from '@nestjs/common';
import type { AuthUser } from '../../common/auth/auth-user';
import { RETRY_AFTER_SECONDS } from '../../common/errors/infrastructure-failure';
import { JobRecovery } from '../../infrastructure/queue/job-recovery';
import { QueueName } from '../../infrastructure/queue/job-names';
import { QueueRegistry } from '../../infrastructure/queue/queue-registry';
import { ReconciliationService } from '../../infrastructure/queue/reconciliation.service';
import { AuditService } from '../audit/audit.service';
import type { JobsOverviewDto, QueueBacklogDto, ReconcileResultDto, RetryOutcomeDto } from './dto/jobs.dto';
import { OperationsRepository } from './operations.repository';
import { payloadIds } from './payload-ids';

/** The page must answer while Redis does not: its backlog is given up on after this long (as the health check does). */
const REDIS_ANSWER_MS = 2_000;
const COUNTED = ['waiting', 'active', 'delayed', 'failed', 'completed'] as const;
const RUNS_SHOWN = 10;

function within<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<T>((_, reject) => (timer = setTimeout(() => reject(new Error('Redis did not answer in time')), ms)));
  return Promise.race([promise, late]).finally(() => clearTimeout(timer));
}

/**
 * The admin jobs page: what waits in Redis, what the outbox still owes, which jobs failed for good, and
 * what reconciliation found. PostgreSQL answers for the promises and Redis only for the backlog, so
 * the page works while Redis is down — that is when it is needed.
 */
@Injectable()
export class OperationsService {
  /** An administrator's pass is running in this replica: a second click is refused, not queued behind it. */
  private reconciling = false;

  constructor(
    private readonly repository: OperationsRepository,
    private readonly queues: QueueRegistry,
    private readonly recovery: JobRecovery,
    private readonly reconciliation: ReconciliationService,
    private readonly audit: AuditService,
  ) {}

  async overview(): Promise<JobsOverviewDto> {
    const [queues, outbox, failed, runs] = await Promise.all([
      this.backlog(),
      this.repository.outboxCounts(),
      this.repository.failedJobs(),
      this.reconciliation.lastRuns(RUNS_SHOWN),
    ]);
    return {
      queues,
      redisUp: queues !== null,
      outbox: { ...outbox, oldestUnpublishedAt: outbox.oldestUnpublishedAt?.toISOString() ?? null },
      failedJobs: failed.map((job) => ({
        id: job.id,
        jobName: job.jobName,
        queue: job.queue,
        runAt: job.runAt.toISOString(),
        failedAt: job.failedAt.toISOString(),
        failures: job.failures,
        error: job.jobError,
        payloadIds: payloadIds(job.payload),
      })),
      lastRuns: runs.map((run) => ({
        startedAt: run.startedAt.toISOString(),
        finishedAt: run.finishedAt.toISOString(),
        trigger: run.trigger,
        redisReset: run.redisReset,
        requeued: run.requeued,
        error: run.error,
      })),
    };
  }

  /**
   * Sends a failed job round again now rather than after the reconciler's cool-off. No step-up: it
   * reveals no personal data and does nothing the reconciler would not do by itself (and the handler is
   * idempotent), so the admin role and the staff second factor of the session are enough.
   */
  async retry(actor: AuthUser, outboxId: string): Promise<RetryOutcomeDto> {
    const outcome = await this.recovery.retryFailed(outboxId).catch((error) => this.whenRedisDown(error));
    if (outcome === 'not_found') throw new NotFoundException('No such job');
    if (outcome === 'not_failed') throw new ConflictException('This job has not failed: it completed, or it was retried already');
    await this.audit.appendAlone({ actorId: actor.id, action: 'job.retried', subjectType: 'job', subjectId: outboxId });
    return { outcome };
  }

  /** Runs a reconciliation pass now, as the worker does at start and on schedule; one at a time per replica. */
  async reconcile(actor: AuthUser): Promise<ReconcileResultDto> {
    if (this.reconciling) throw new ConflictException('A reconciliation is running already; its result shows when it ends');
    this.reconciling = true;
    const result = await this.reconciliation.run('admin').finally(() => (this.reconciling = false));
    await this.audit.appendAlone({ actorId: actor.id, action: 'jobs.reconciled', subjectType: 'job', data: { ...result } });
    return result;
  }

  /** A retry needs Redis: while it is down, say so (503, try again) rather than report a fault of ours. */
  private async whenRedisDown(error: unknown): Promise<never> {
    if (!(error instanceof HttpException) && (await this.backlog()) === null) {
      throw new ServiceUnavailableException({
        message: 'Redis is not answering, so the job cannot be queued again now: try again once it is back (reconciliation retries it too)',
        retryAfter: RETRY_AFTER_SECONDS,
      });
    }
    throw error;
  }

  /** Each queue's counts, or null when Redis does not answer in time. */
  private async backlog(): Promise<QueueBacklogDto[] | null> {
    const counts = Promise.all(
      Object.values(QueueName).map(async (name) => {
        const c = await this.queues.get(name).getJobCounts(...COUNTED);
        return {
          name,
          waiting: c.waiting ?? 0,
          active: c.active ?? 0,
          delayed: c.delayed ?? 0,
          failed: c.failed ?? 0,
          completed: c.completed ?? 0,
        };
      }),
    );
    return within(counts, REDIS_ANSWER_MS).catch(() => null);
  }
}
