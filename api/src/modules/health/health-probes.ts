import { Inject, Injectable, OnModuleDestroy } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Queue } from 'bullmq';
import Redis from 'ioredis';
import { DataSource } from 'typeorm';
import { APP_CONFIG, AppConfig } from '../../infrastructure/config/app-config';
import { JOB_QUEUE } from '../../infrastructure/queue/job-names';
import { redisOptions } from '../../infrastructure/queue/redis-connection';

const CHECK_TIMEOUT_MS = 2_000;

export type Reachability = 'up' | 'down';
export type MigrationState = 'applied' | 'pending' | 'unknown';
export type WorkerState = 'up' | 'down' | 'unknown';

function within<T>(promise: Promise<T>): Promise<T> {
  return Promise.race([promise, new Promise<T>((_, reject) => setTimeout(() => reject(new Error('timeout')), CHECK_TIMEOUT_MS).unref())]);
}

const upOrDown = (probe: Promise<unknown>): Promise<Reachability> =>
  within(probe).then(
    () => 'up' as const,
    () => 'down' as const,
  );

/** The checks behind the health endpoints, each answering within CHECK_TIMEOUT_MS. */
@Injectable()
export class HealthProbes implements OnModuleDestroy {
  private readonly redis: Redis;
  /** One per queue the worker consumes, sharing `redis`; opened once Redis is first reached (see `worker`). */
  private queues: Queue[] | null = null;
  /** Once every migration is applied it stays so for this process (a newer codebase is a new process). */
  private migrationsApplied = false;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    // Connected on the first check, so that describing the API (`cli openapi`) needs no Redis.
    this.redis = new Redis(redisOptions(config.redisUrl, { lazyConnect: true, enableOfflineQueue: false, maxRetriesPerRequest: 1 }));
    this.redis.on('error', () => undefined); // reported through the checks below
  }

  database(): Promise<Reachability> {
    return upOrDown(this.dataSource.query('SELECT 1'));
  }

  /** Whether every migration this codebase carries is recorded as applied (TypeORM matches them by name). */
  async migrations(): Promise<MigrationState> {
    if (this.migrationsApplied) return 'applied';
    const known = this.dataSource.migrations.map((m) => m.name ?? m.constructor.name);
    try {
      const rows: Array<{ name: string }> = await within(this.dataSource.query('SELECT name FROM schema_migrations'));
      const applied = new Set(rows.map((r) => r.name));
      this.migrationsApplied = known.every((name) => applied.has(name));
      return this.migrationsApplied ? 'applied' : 'pending';
    } catch {
      return 'unknown';
    }
  }

  redisReachable(): Promise<Reachability> {
    return upOrDown(this.ping());
  }

  /**
   * 'up' when every queue has a worker connected: BullMQ names its workers' Redis connections
   * (CLIENT SETNAME), and `getWorkers` finds them with CLIENT LIST — no heartbeat to keep.
   * 'unknown' when Redis cannot be asked, or does not support CLIENT LIST (BullMQ then returns one
   * placeholder without a connection id).
   */
  async worker(): Promise<WorkerState> {
    if (this.redis.status !== 'ready') return 'unknown';
    // Opened on a ready connection: BullMQ's set-up then completes at once instead of waiting on Redis.
    const queues = (this.queues ??= [...new Set(Object.values(JOB_QUEUE))].map((name) => {
      const queue = new Queue(name, { connection: this.redis, prefix: this.config.redisPrefix });
      queue.on('error', () => undefined);
      return queue;
    }));
    try {
      const perQueue = await within(Promise.all(queues.map((q) => q.getWorkers())));
      if (perQueue.some((workers) => workers.some((w) => !w.id))) return 'unknown';
      return perQueue.every((workers) => workers.length > 0) ? 'up' : 'down';
    } catch {
      // A set-up cut short by a lost connection fails for good: start afresh at the next check.
      this.closeQueues();
      return 'unknown';
    }
  }

  /** Without an offline queue, a ping fails at once while the connection is down. */
  private async ping(): Promise<void> {
    if (this.redis.status === 'wait' || this.redis.status === 'end') await this.redis.connect().catch(() => undefined);
    await this.redis.ping();
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
