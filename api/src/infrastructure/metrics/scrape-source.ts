import type { Counter } from 'prom-client';
import type { CollectSource } from './metrics-registry';

/** How long a scrape waits for Redis or PostgreSQL before leaving their series out (Prometheus' own timeout is 10 s). */
export const COLLECT_TIMEOUT_MS = 2_000;

/** Rejects when `promise` has not settled within `ms`; the work itself runs on, its outcome ignored. */
export function within<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
    timer.unref();
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/**
 * One read at scrape time, shared by the gauges it feeds. prom-client calls every gauge's `collect()`
 * at once when a scrape starts, so the first call starts the read and the others join it; once it has
 * settled, the next scrape reads afresh. A read that fails or outlasts `timeoutMs` gives null (the
 * gauges then leave their series out: a stale or zero value would look like a healthy queue) and counts
 * in psf_metrics_collect_errors_total.
 */
export class ScrapeSource<T> {
  private inFlight: Promise<T | null> | null = null;

  constructor(
    private readonly source: CollectSource,
    private readonly read: () => Promise<T>,
    private readonly errors: Counter<'source'>,
    private readonly timeoutMs = COLLECT_TIMEOUT_MS,
  ) {}

  get(): Promise<T | null> {
    this.inFlight ??= within(this.read(), this.timeoutMs)
      .catch(() => {
        this.errors.inc({ source: this.source });
        return null;
      })
      .finally(() => {
        this.inFlight = null;
      });
    return this.inFlight;
  }
}
