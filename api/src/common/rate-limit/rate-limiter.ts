import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';

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
    const [row] = await this.dataSource.query(
      `INSERT INTO rate_limit_counters AS c (key, window_started_at, hits) VALUES ($1, now(), 1)
       ON CONFLICT (key) DO UPDATE SET
         hits = CASE WHEN c.window_started_at <= now() - make_interval(secs => $2) THEN 1 ELSE c.hits + 1 END,
         window_started_at = CASE WHEN c.window_started_at <= now() - make_interval(secs => $2) THEN now() ELSE c.window_started_at END
       RETURNING hits, window_started_at + make_interval(secs => $2) AS resets_at`,
      [key, windowSeconds],
    );
    return { hits: row.hits, resetsAt: row.resets_at };
  }

  async peek(key: string, windowSeconds: number): Promise<WindowCount> {
    const [row] = await this.dataSource.query(
      `SELECT hits, window_started_at + make_interval(secs => $2) AS resets_at FROM rate_limit_counters
       WHERE key = $1 AND window_started_at > now() - make_interval(secs => $2)`,
      [key, windowSeconds],
    );
    return row ? { hits: row.hits, resetsAt: row.resets_at } : { hits: 0, resetsAt: new Date() };
  }

  async reset(key: string): Promise<void> {
    await this.dataSource.query(`DELETE FROM rate_limit_counters WHERE key = $1`, [key]);
  }
}
