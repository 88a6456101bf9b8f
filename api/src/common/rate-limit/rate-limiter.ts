import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { sql } from 'kysely';
import { DataSource } from 'typeorm';
import { typed } from '../../infrastructure/database/kysely';
import { TooManyRequestsException } from '../errors/too-many-requests.exception';

export interface WindowCount {
  hits: number;
  /** When the current window ends and the counter starts again from zero. */
  resetsAt: Date;
  /** The latest hit of the current window (progressive delays are measured from it); null when there is none. */
  lastHitAt: Date | null;
}

/** Seconds until `at`, at least 1: the value of a Retry-After header. */
export function secondsUntil(at: Date | number): number {
  const ms = (typeof at === 'number' ? at : at.getTime()) - Date.now();
  return Math.max(1, Math.ceil(ms / 1000));
}

/**
 * Progressive delay: `free` failures cost nothing; from then on each failure doubles the wait before the
 * next attempt (base, 2×base, 4×base …), never more than `capSeconds`. 0 means "go ahead".
 */
export function progressiveDelaySeconds(failures: number, free: number, baseSeconds: number, capSeconds: number): number {
  if (failures < free) return 0;
  const doublings = Math.min(failures - free, 30);
  return Math.min(capSeconds, baseSeconds * 2 ** doublings);
}

/**
 * Fixed-window counters kept in PostgreSQL so that every API replica sees the same count.
 * The upsert is a single statement, so concurrent hits never lose an increment. Each row says when
 * its window ends (`expires_at`); rows past it count nothing and are deleted by `deleteExpired`.
 */
@Injectable()
export class RateLimiter {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Counts `by` hits (1 by default) on `key` in one statement; returns the window's count after them. */
  async hit(key: string, windowSeconds: number, by = 1): Promise<WindowCount> {
    // A window that has run out starts again at this hit.
    const expired = sql<boolean>`rate_limit_counters.window_started_at <= now() - make_interval(secs => ${windowSeconds})`;
    const row = await typed(this.dataSource)
      .insertInto('rateLimitCounters')
      .values({
        key,
        windowStartedAt: sql<Date>`now()`,
        hits: by,
        lastHitAt: sql<Date>`now()`,
        expiresAt: sql<Date>`now() + make_interval(secs => ${windowSeconds})`,
      })
      .onConflict((oc) =>
        oc.column('key').doUpdateSet({
          hits: sql<number>`CASE WHEN ${expired} THEN ${by}::int ELSE rate_limit_counters.hits + ${by}::int END`,
          windowStartedAt: sql<Date>`CASE WHEN ${expired} THEN now() ELSE rate_limit_counters.window_started_at END`,
          lastHitAt: sql<Date>`now()`,
          expiresAt: sql<Date>`CASE WHEN ${expired} THEN now() ELSE rate_limit_counters.window_started_at END + make_interval(secs => ${windowSeconds})`,
        }),
      )
      .returning(['hits', 'lastHitAt', sql<Date>`window_started_at + make_interval(secs => ${windowSeconds})`.as('resetsAt')])
      .executeTakeFirstOrThrow();
    return { hits: row.hits, resetsAt: row.resetsAt, lastHitAt: row.lastHitAt };
  }

  async peek(key: string, windowSeconds: number): Promise<WindowCount> {
    const row = await typed(this.dataSource)
      .selectFrom('rateLimitCounters')
      .select(['hits', 'lastHitAt', sql<Date>`window_started_at + make_interval(secs => ${windowSeconds})`.as('resetsAt')])
      .where('key', '=', key)
      .where(sql<boolean>`window_started_at > now() - make_interval(secs => ${windowSeconds})`)
      .executeTakeFirst();
    return row ?? { hits: 0, resetsAt: new Date(), lastHitAt: null };
  }

  /**
   * Counts this request against the limit and answers 429 (with Retry-After) once it is exceeded:
   * `max` requests per window are let through.
   */
  async consume(key: string, max: number, windowSeconds: number, what: string): Promise<void> {
    const count = await this.hit(key, windowSeconds);
    if (count.hits <= max) return;
    const retryAfter = secondsUntil(count.resetsAt);
    throw new TooManyRequestsException(`Too many ${what}; try again in ${retryAfter} seconds`, retryAfter);
  }

  async reset(key: string): Promise<void> {
    await typed(this.dataSource).deleteFrom('rateLimitCounters').where('key', '=', key).execute();
  }

  /** Deletes the counters whose window has ended (they count nothing any more); returns how many. */
  async deleteExpired(): Promise<number> {
    const result = await typed(this.dataSource)
      .deleteFrom('rateLimitCounters')
      .where('expiresAt', '<=', sql<Date>`now()`)
      .executeTakeFirst();
    return Number(result.numDeletedRows);
  }
}
