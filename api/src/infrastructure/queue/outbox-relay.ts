import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { sql } from 'kysely';
import { DataSource } from 'typeorm';
import { typed } from '../database/kysely';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { QueueName } from './job-names';
import { QueueRegistry } from './queue-registry';

const BATCH_SIZE = 100;
const MAX_BACKOFF_MS = 5_000;
const FAILURE_LOG_INTERVAL_MS = 30_000;
// BullMQ waits for a connection rather than failing; a bound keeps the relay's transaction short.
const PUBLISH_TIMEOUT_MS = 3_000;

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout;
  return Promise.race([
    promise,
    new Promise<T>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`Redis did not accept the job within ${ms} ms`)), ms);
    }),
  ]).finally(() => clearTimeout(timer));
}

/**
 * Publishes committed outbox rows to BullMQ with jobId = outbox id, so a row published twice
 * (crash between add and mark) is still one job. While Redis is down rows stay unpublished and
 * the relay keeps retrying with a capped backoff.
 */
@Injectable()
export class OutboxRelay {
  private readonly logger = new Logger(OutboxRelay.name);
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private stopped = true;
  private failures = 0;
  private lastFailureLog = 0;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly queues: QueueRegistry,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.schedule(0);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.running;
  }

  /** Publishes everything due now; returns how many rows were published. */
  async publishPending(): Promise<number> {
    let total = 0;
    for (;;) {
      const { published, error } = await this.dataSource.transaction(async (tx) => {
        const rows = await typed(tx)
          .selectFrom('outbox')
          .select(['id', 'queue', 'jobName', 'payload', 'runAt'])
          .where('publishedAt', 'is', null)
          .orderBy('createdAt')
          .limit(BATCH_SIZE)
          .forUpdate()
          .skipLocked()
          .execute();
        const done: string[] = [];
        let failure: Error | null = null;
        for (const row of rows) {
          const delay = Math.max(0, row.runAt.getTime() - Date.now());
          try {
            // If the timed-out add lands later anyway, the next publish reuses the same jobId: still one job.
            await withTimeout(
              this.queues.get(row.queue as QueueName).add(row.jobName, row.payload, { jobId: row.id, delay }),
              PUBLISH_TIMEOUT_MS,
            );
            done.push(row.id);
          } catch (e) {
            failure = e as Error;
            break;
          }
        }
        if (done.length) {
          await typed(tx)
            .updateTable('outbox')
            .set({ publishedAt: sql<Date>`now()` })
            .where('id', 'in', done)
            .execute();
        }
        if (failure) {
          const pending = rows.map((r) => r.id).filter((id) => !done.includes(id));
          const lastError = failure.message.slice(0, 500);
          await typed(tx)
            .updateTable('outbox')
            .set((eb) => ({ publishAttempts: eb('publishAttempts', '+', 1), lastError }))
            .where('id', 'in', pending)
            .execute();
        }
        return { published: done.length, error: failure };
      });
      total += published;
      if (error) throw error;
      if (published < BATCH_SIZE) return total;
    }
  }

  private schedule(delayMs: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.running = this.tick().finally(() => (this.running = null));
    }, delayMs);
  }

  private async tick(): Promise<void> {
    try {
      await this.publishPending();
      if (this.failures > 0) this.logger.log(`outbox relay recovered after ${this.failures} failed attempts`);
      this.failures = 0;
      this.schedule(this.config.outboxPollMs);
    } catch (error) {
      this.failures += 1;
      const now = Date.now();
      if (this.failures === 1 || now - this.lastFailureLog > FAILURE_LOG_INTERVAL_MS) {
        this.lastFailureLog = now;
        this.logger.warn(`outbox relay cannot publish (attempt ${this.failures}): ${(error as Error).message}`);
      }
      this.schedule(Math.min(this.config.outboxPollMs * 2 ** Math.min(this.failures, 6), MAX_BACKOFF_MS));
    }
  }
}
