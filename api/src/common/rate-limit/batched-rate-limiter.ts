import { Logger } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import { TooManyRequestsException } from '../errors/too-many-requests.exception';
import { RateLimiter, secondsUntil, type WindowCount } from './rate-limiter';

/** How often the hits counted in memory are added to the shared counters. */
const FLUSH_MS = 200;

/** This replica's view of one counter's window. */
interface LocalWindow {
  windowSeconds: number;
  /** When the window ends (ms since the epoch). */
  resetsAt: number;
  /** The shared count (every replica's hits) when this replica last wrote to it. */
  shared: number;
  /** Hits counted here and being written now: not yet in `shared`, no longer in `pending`. */
  writing: number;
  /** Hits counted here and not yet written. */
  pending: number;
}

/** A refusal to throw, null to let the request through, or a promise of either (the window's first hit here). */
export type RateVerdict = TooManyRequestsException | null;

/**
 * The limiter for high-volume public reads (RATE_LIMIT_PUBLIC_PER_MINUTE): the same PostgreSQL counters as
 * RateLimiter, but each replica counts hits in memory and adds them to the shared counter in one statement
 * every FLUSH_MS, reading back everybody's count. Only the first hit of a window on this replica is written
 * at once (so the shared window starts exactly and a counter row exists as soon as someone is counted).
 *
 * The count one replica sees is therefore at most FLUSH_MS behind the other replicas' hits, and hits still in
 * memory when the process stops are not written: a limit meant to stop scraping, not a security boundary. The
 * per-account and per-address limits on sign-in, password reset and uploads keep RateLimiter's exact count.
 */
export class BatchedRateLimiter {
  private static readonly byDataSource = new WeakMap<DataSource, BatchedRateLimiter>();
  private readonly logger = new Logger(BatchedRateLimiter.name);
  private readonly windows = new Map<string, LocalWindow>();
  private flushTimer: NodeJS.Timeout | null = null;

  /** Use `of` in the application; a limiter of its own only where a test controls the shared counter. */
  constructor(private readonly limiter: Pick<RateLimiter, 'hit'>) {}

  /** The one limiter of this database connection (one per application: the guard and the response cache share it). */
  static of(dataSource: DataSource): BatchedRateLimiter {
    let limiter = BatchedRateLimiter.byDataSource.get(dataSource);
    if (!limiter) {
      limiter = new BatchedRateLimiter(new RateLimiter(dataSource));
      BatchedRateLimiter.byDataSource.set(dataSource, limiter);
    }
    return limiter;
  }

  /**
   * Counts this request against the limit (`max` requests per window are let through). Synchronous unless the
   * window is new to this replica, so that an answer served from memory does not wait for the database.
   */
  check(key: string, max: number, windowSeconds: number, what: string): RateVerdict | Promise<RateVerdict> {
    const now = Date.now();
    const window = this.windows.get(key);
    if (window && now < window.resetsAt && window.windowSeconds === windowSeconds) {
      window.pending += 1;
      this.scheduleFlush();
      return verdict(counted(window), max, window.resetsAt, what);
    }
    return this.open(key, max, windowSeconds, what);
  }

  async consume(key: string, max: number, windowSeconds: number, what: string): Promise<void> {
    const refusal = await this.check(key, max, windowSeconds, what);
    if (refusal) throw refusal;
  }

  /** Writes the first hit at once; hits that arrive meanwhile are counted against the window being opened. */
  private async open(key: string, max: number, windowSeconds: number, what: string): Promise<RateVerdict> {
    const window: LocalWindow = { windowSeconds, resetsAt: Date.now() + windowSeconds * 1000, shared: 0, writing: 1, pending: 0 };
    this.windows.set(key, window);
    this.scheduleFlush(); // which also forgets the window once it has ended
    let count: WindowCount;
    try {
      count = await this.limiter.hit(key, windowSeconds);
    } finally {
      window.writing -= 1;
    }
    window.shared = count.hits;
    window.resetsAt = count.resetsAt.getTime();
    return verdict(count.hits, max, window.resetsAt, what);
  }

  private scheduleFlush(): void {
    if (this.flushTimer) return;
    this.flushTimer = setTimeout(() => void this.flush(), FLUSH_MS);
    this.flushTimer.unref();
  }

  /** Adds every window's pending hits to its shared counter and forgets the windows that have ended. */
  private async flush(): Promise<void> {
    this.flushTimer = null;
    const now = Date.now();
    const writes: Array<Promise<void>> = [];
    let failed: Error | null = null;
    for (const [key, window] of this.windows) {
      if (window.pending === 0) {
        if (now >= window.resetsAt && window.writing === 0) this.windows.delete(key);
        continue;
      }
      if (window.writing > 0) {
        // One write per window at a time, so the count read back holds exactly the hits written before it.
        this.scheduleFlush();
        continue;
      }
      const by = window.pending;
      window.pending = 0;
      window.writing += by; // still counted while the write is on its way
      writes.push(
        this.limiter.hit(key, window.windowSeconds, by).then(
          (count) => {
            window.writing -= by;
            window.shared = count.hits;
            window.resetsAt = count.resetsAt.getTime();
          },
          // Not retried: the hits are lost, and a database that is down answers the next window's first hit with 503.
          (error: Error) => {
            window.writing -= by;
            failed = error;
          },
        ),
      );
    }
    await Promise.all(writes);
    if (failed) this.logger.warn(`public rate limit hits not written: ${(failed as Error).message}`);
  }
}

/** Every hit this replica knows of in the window: the shared count it last read, and its own not yet in it. */
function counted(window: LocalWindow): number {
  return window.shared + window.writing + window.pending;
}

function verdict(hits: number, max: number, resetsAt: number, what: string): RateVerdict {
  if (hits <= max) return null;
  const retryAfter = secondsUntil(resetsAt);
  return new TooManyRequestsException(`Too many ${what}; try again in ${retryAfter} seconds`, retryAfter);
}
