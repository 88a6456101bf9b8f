import { Inject, Injectable, Logger } from '@nestjs/common';
import { DiscoveryService } from '@nestjs/core';
import { Job, Worker } from 'bullmq';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { assertOneHandlerPerJob, JOB_HANDLER, JobHandlerInstance } from './job-handler.decorator';
import { JobRecovery, isFinalFailure } from './job-recovery';
import { JOB_QUEUE, JobName, QueueName } from './job-names';
import { redisOptions } from './redis-connection';

const ERROR_LOG_INTERVAL_MS = 30_000;

/**
 * Consumer side: one BullMQ worker per queue, dispatching each job to its single handler, and recording each
 * outbox job's outcome on its row: completed once its handler returned, failed once BullMQ gives up on it.
 */
@Injectable()
export class JobWorker {
  private readonly logger = new Logger(JobWorker.name);
  private readonly workers: Worker[] = [];
  private handlers = new Map<string, JobHandlerInstance>();
  private readonly recording = new Set<Promise<void>>();
  private lastErrorLog = 0;

  constructor(
    private readonly discovery: DiscoveryService,
    private readonly recovery: JobRecovery,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** Finds every @JobHandler provider; throws (so boot fails) unless each job name has exactly one. */
  collectHandlers(): Map<string, JobHandlerInstance> {
    const found: Array<[string, JobHandlerInstance]> = [];
    for (const wrapper of this.discovery.getProviders()) {
      const { metatype, instance } = wrapper;
      if (!metatype || !instance) continue;
      const name = Reflect.getMetadata(JOB_HANDLER, metatype) as string | undefined;
      if (name) found.push([name, instance as JobHandlerInstance]);
    }
    assertOneHandlerPerJob(found.map(([name]) => name));
    return new Map(found);
  }

  start(options: { concurrency?: number } = {}): void {
    this.handlers = this.collectHandlers();
    const queues = new Set<QueueName>(Object.values(JOB_QUEUE));
    for (const queue of queues) {
      const worker = new Worker(queue, (job) => this.process(job), {
        prefix: this.config.redisPrefix,
        connection: redisOptions(this.config.redisUrl, { maxRetriesPerRequest: null }),
        concurrency: options.concurrency ?? 5,
        // A job whose worker died is found again within about two intervals (its lock lapses after one), and
        // a job that kills its worker more than maxStalledCount times is failed rather than run forever.
        stalledInterval: this.config.jobs.stalledIntervalMs,
        lockDuration: this.config.jobs.stalledIntervalMs,
        maxStalledCount: this.config.jobs.maxStalledCount,
      });
      // A worker without Redis emits errors in a loop: log them at a bounded rate.
      worker.on('error', (error) => this.logBounded(`worker ${queue}: ${error.message}`));
      worker.on('failed', (job, error) => {
        this.logger.warn(`job ${job?.name} ${job?.id} failed (attempt ${job?.attemptsMade}): ${error.message}`);
        if (job && isFinalFailure(job)) this.recordFailure(job.id, error.message);
      });
      this.workers.push(worker);
    }
    this.logger.log(`processing queues: ${[...queues].join(', ')}`);
    void this.registerPeriodicJobs();
  }

  /** Upserts the periodic schedulers; retried until Redis accepts them (the reconciler re-asserts them on every pass too). */
  private async registerPeriodicJobs(attempt = 0): Promise<void> {
    try {
      await this.recovery.upsertPeriodicJobs();
    } catch (error) {
      if (this.workers.length === 0) return; // stopped meanwhile
      this.logBounded(`cannot register periodic jobs yet: ${(error as Error).message}`);
      setTimeout(() => void this.registerPeriodicJobs(attempt + 1), Math.min(1_000 * 2 ** attempt, 30_000)).unref();
    }
  }

  /** Waits for running jobs to finish and their outcomes to be recorded, then disconnects. */
  async stop(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.close()));
    this.workers.length = 0;
    await Promise.all(this.recording);
  }

  /**
   * Runs the job's handler, then records on its outbox row that the promise is kept. If recording throws the
   * job fails and runs again (handlers are idempotent), so a completed job is never left looking owed.
   */
  private async process(job: Job): Promise<void> {
    const handler = this.handlers.get(job.name as JobName);
    if (!handler) throw new Error(`no handler for job ${job.name}`);
    await handler.handle(job.data);
    await this.recovery.markCompleted(job.id);
  }

  /**
   * The fast path for a final failure. A worker can die before this runs, or PostgreSQL can be down: the
   * reconciler finds the failed job in Redis later and records it then.
   */
  private recordFailure(jobId: string | undefined, error: string): void {
    const recording = this.recovery
      .recordFailure(jobId, error)
      .catch((e: Error) => this.logBounded(`cannot record the failure of job ${jobId}: ${e.message}`))
      .finally(() => this.recording.delete(recording));
    this.recording.add(recording);
  }

  private logBounded(message: string): void {
    const now = Date.now();
    if (now - this.lastErrorLog < ERROR_LOG_INTERVAL_MS) return;
    this.lastErrorLog = now;
    this.logger.warn(message);
  }
}
