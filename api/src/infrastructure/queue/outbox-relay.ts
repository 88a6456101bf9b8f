import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
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

interface PendingRow {
  id: string;
  queue: QueueName;
  job_name: string;
  payload: Record<string, unknown>;
  run_at: Date;
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
        const rows: PendingRow[] = await tx.query(
          `SELECT id, queue, job_name, payload, run_at FROM outbox
           WHERE published_at IS NULL ORDER BY created_at LIMIT $1 FOR UPDATE SKIP LOCKED`,
          [BATCH_SIZE],
        );
        const done: string[] = [];
        let failure: Error | null = null;
        for (const row of rows) {
          const delay = Math.max(0, new Date(row.run_at).getTime() - Date.now());
          try {
            // If the timed-out add lands later anyway, the next publish reuses the same jobId: still one job.
            await withTimeout(this.queues.get(row.queue).add(row.job_name, row.payload, { jobId: row.id, delay }), PUBLISH_TIMEOUT_MS);
            done.push(row.id);
          } catch (e) {
            failure = e as Error;
            break;
          }
        }
        if (done.length) {
          await tx.query(`UPDATE outbox SET published_at = now() WHERE id = ANY($1::uuid[])`, [done]);
        }
        if (failure) {
          const pending = rows.map((r) => r.id).filter((id) => !done.includes(id));
          await tx.query(`UPDATE outbox SET publish_attempts = publish_attempts + 1, last_error = $2 WHERE id = ANY($1::uuid[])`, [
            pending,
            failure.message.slice(0, 500),
          ]);
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
