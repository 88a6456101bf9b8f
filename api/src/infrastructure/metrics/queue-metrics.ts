import { Inject, Injectable, type OnModuleDestroy } from '@nestjs/common';
import { type Job, Queue } from 'bullmq';
import Redis from 'ioredis';
import { Gauge } from 'prom-client';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import { QueueName } from '../queue/job-names';
import { redisOptions } from '../queue/redis-connection';
import { METRIC_PREFIX, MetricsRegistry } from './metrics-registry';
import { ScrapeSource } from './scrape-source';

export const QUEUE_STATES = ['waiting', 'active', 'delayed', 'failed', 'completed'] as const;
type QueueState = (typeof QUEUE_STATES)[number];

export interface QueueSnapshot {
  queue: QueueName;
  jobs: Record<QueueState, number>;
  /** Seconds the job longest waiting for a worker has been due; 0 when none waits. */
  oldestWaitingAgeSeconds: number;
}

/**
 * When a waiting job became due: its creation plus its delay (the outbox relay publishes a future job
 * with a delay), or the start of its last run when it is back after a failure or a stall. BullMQ keeps no
 * "waiting since", so this is the closest it tells.
 */
export function dueAt(job: Pick<Job, 'timestamp' | 'delay' | 'processedOn'>): number {
  return Math.max(job.timestamp + (job.delay ?? 0), job.processedOn ?? 0);
}

/**
 * Every BullMQ queue's backlog, read from Redis at scrape time over one connection of its own that fails
 * fast while Redis is away (no offline queue): a scrape then leaves the queue series out instead of
 * waiting. Every API replica reports the same figures (they are Redis'); aggregate them with max, not sum.
 */
@Injectable()
export class QueueMetrics implements OnModuleDestroy {
  private readonly redis: Redis;
  /** Opened once Redis is first reached, sharing `redis`. */
  private queues: Queue[] | null = null;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    metrics: MetricsRegistry,
  ) {
    // Connected at the first scrape, so that an app that is never scraped (tests, `cli openapi`) needs no Redis.
    this.redis = new Redis(redisOptions(config.redisUrl, { lazyConnect: true, enableOfflineQueue: false, maxRetriesPerRequest: 1 }));
    this.redis.on('error', () => undefined); // a scrape without Redis counts in psf_metrics_collect_errors_total
    const source = new ScrapeSource('queues', () => this.read(), metrics.collectErrors);
    new Gauge({
      name: `${METRIC_PREFIX}queue_jobs`,
      help: 'Jobs in each BullMQ queue by state (Redis keeps completed jobs 7 days, at most 10,000, and failed ones 30 days)',
      labelNames: ['queue', 'state'],
      registers: [metrics.registry],
      async collect() {
        const snapshot = await source.get();
        this.reset();
        for (const q of snapshot ?? []) for (const state of QUEUE_STATES) this.set({ queue: q.queue, state }, q.jobs[state]);
      },
    });
    new Gauge({
      name: `${METRIC_PREFIX}queue_oldest_waiting_age_seconds`,
      help: 'How long the job longest waiting for a worker in each queue has been due (0 when none waits)',
      labelNames: ['queue'],
      registers: [metrics.registry],
      async collect() {
        const snapshot = await source.get();
        this.reset();
        for (const q of snapshot ?? []) this.set({ queue: q.queue }, q.oldestWaitingAgeSeconds);
      },
    });
  }

  private async read(): Promise<QueueSnapshot[]> {
    const queues = await this.open();
    try {
      return await Promise.all(
        queues.map(async (queue) => {
          const [counts, [oldest]] = await Promise.all([queue.getJobCounts(...QUEUE_STATES), queue.getWaiting(0, 0)]);
          const jobs = Object.fromEntries(QUEUE_STATES.map((s) => [s, counts[s] ?? 0])) as Record<QueueState, number>;
          const oldestWaitingAgeSeconds = oldest ? Math.max(0, (Date.now() - dueAt(oldest)) / 1000) : 0;
          return { queue: queue.name as QueueName, jobs, oldestWaitingAgeSeconds };
        }),
      );
    } catch (error) {
      // A set-up cut short by a lost connection fails for good: start afresh at the next scrape.
      this.closeQueues();
      throw error;
    }
  }

  private async open(): Promise<Queue[]> {
    if (this.redis.status === 'wait' || this.redis.status === 'end') await this.redis.connect().catch(() => undefined);
    if (this.redis.status !== 'ready') throw new Error('Redis is not reachable');
    // Opened on a ready connection: BullMQ's set-up then completes at once instead of waiting on Redis.
    return (this.queues ??= Object.values(QueueName).map((name) => {
      const queue = new Queue(name, { connection: this.redis, prefix: this.config.redisPrefix });
      queue.on('error', () => undefined);
      return queue;
    }));
  }

  /** The queues share `redis`: closing them leaves it open, and never waits on a Redis that is gone. */
  private closeQueues(): void {
    for (const queue of this.queues ?? []) void queue.close().catch(() => undefined);
    this.queues = null;
  }

  onModuleDestroy(): void {
    this.closeQueues();
    this.redis.disconnect();
  }
}
