import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { sql } from 'kysely';
import { DataSource } from 'typeorm';
import { typed } from '../../infrastructure/database/kysely';

export interface WindowCount {
  hits: number;
  /** When the current window ends and the counter starts again from zero. */
  resetsAt: Date;
}

/**
 * Fixed-window counters kept in PostgreSQL so that every API replica sees the same count.
 * The upsert is a single statement, so concurrent hits never lose an increment.
 */
@Injectable()
export class RateLimiter {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async hit(key: string, windowSeconds: number): Promise<WindowCount> {
    // A window that has run out starts again at this hit.
    const expired = sql<boolean>`rate_limit_counters.window_started_at <= now() - make_interval(secs => ${windowSeconds})`;
    const row = await typed(this.dataSource)
      .insertInto('rateLimitCounters')
      .values({ key, windowStartedAt: sql<Date>`now()`, hits: 1 })
      .onConflict((oc) =>
        oc.column('key').doUpdateSet({
          hits: sql<number>`CASE WHEN ${expired} THEN 1 ELSE rate_limit_counters.hits + 1 END`,
          windowStartedAt: sql<Date>`CASE WHEN ${expired} THEN now() ELSE rate_limit_counters.window_started_at END`,
        }),
      )
      .returning(['hits', sql<Date>`window_started_at + make_interval(secs => ${windowSeconds})`.as('resetsAt')])
      .executeTakeFirstOrThrow();
    return { hits: row.hits, resetsAt: row.resetsAt };
  }

  async peek(key: string, windowSeconds: number): Promise<WindowCount> {
    const row = await typed(this.dataSource)
      .selectFrom('rateLimitCounters')
      .select(['hits', sql<Date>`window_started_at + make_interval(secs => ${windowSeconds})`.as('resetsAt')])
      .where('key', '=', key)
      .where(sql<boolean>`window_started_at > now() - make_interval(secs => ${windowSeconds})`)
      .executeTakeFirst();
    return row ?? { hits: 0, resetsAt: new Date() };
  }

  async reset(key: string): Promise<void> {
    await typed(this.dataSource).deleteFrom('rateLimitCounters').where('key', '=', key).execute();
  }
}
