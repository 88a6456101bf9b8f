import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * Abuse resistance (issue #14).
 *
 * - rate_limit_counters.expires_at: when the counter's current window ends. A counter past it counts
 *   nothing any more, so the retention sweep deletes it (the table no longer grows forever). Rows from
 *   before this migration are given the longest window any limit uses (a day) from their start.
 * - rate_limit_counters.last_hit_at: the latest hit, from which a sign-in's progressive delay is
 *   measured (each failure past the free ones doubles the wait).
 */
export class RateLimitExpiry1765843500000 implements MigrationInterface {
  name = 'RateLimitExpiry1765843500000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE rate_limit_counters ADD COLUMN expires_at timestamptz`);
    await q.query(`ALTER TABLE rate_limit_counters ADD COLUMN last_hit_at timestamptz`);
    await q.query(`UPDATE rate_limit_counters SET expires_at = window_started_at + interval '1 day', last_hit_at = window_started_at`);
    await q.query(`ALTER TABLE rate_limit_counters ALTER COLUMN expires_at SET NOT NULL`);
    await q.query(`ALTER TABLE rate_limit_counters ALTER COLUMN last_hit_at SET NOT NULL`);
    await q.query(`ALTER TABLE rate_limit_counters ALTER COLUMN last_hit_at SET DEFAULT now()`);
    await q.query(`CREATE INDEX rate_limit_counters_expiry_idx ON rate_limit_counters (expires_at)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX rate_limit_counters_expiry_idx`);
    await q.query(`ALTER TABLE rate_limit_counters DROP COLUMN last_hit_at`);
    await q.query(`ALTER TABLE rate_limit_counters DROP COLUMN expires_at`);
  }
}
