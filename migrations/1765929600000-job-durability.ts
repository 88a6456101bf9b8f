import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * Durability (issue #15): a promise is kept when its job completed, not when it was handed to Redis.
 *
 * - outbox.completed_at: the job's handler returned (set by the worker, in the database, after the
 *   handler). A row published but not completed is work still owed; the reconciler looks for it in
 *   Redis and publishes it again when Redis lost it.
 * - outbox.failed_at / failures / job_error: the job exhausted its attempts (or stalled too often):
 *   when, how many times so far, and the last error. Shown on the admin jobs page and alerted; the
 *   reconciler retries it after a cool-off. Cleared (failed_at) when it is retried.
 * - reconcile_runs: what each reconciliation pass found missing and queued again (the admin jobs page
 *   shows the latest); each pass deletes runs older than 30 days.
 *
 * Rows published before this migration whose time has come are taken as completed (their jobs ran or
 * the domain reconcilers find what they owed); rows still due in the future (certificate expiry and
 * panel reminders) stay open, so a Redis that loses them gets them back.
 */
export class JobDurability1765929600000 implements MigrationInterface {
  name = 'JobDurability1765929600000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE outbox ADD COLUMN completed_at timestamptz`);
    await q.query(`ALTER TABLE outbox ADD COLUMN failed_at timestamptz`);
    await q.query(`ALTER TABLE outbox ADD COLUMN failures integer NOT NULL DEFAULT 0`);
    await q.query(`ALTER TABLE outbox ADD COLUMN job_error text`);
    await q.query(`UPDATE outbox SET completed_at = published_at WHERE published_at IS NOT NULL AND run_at <= now()`);
    // The reconciler's scan: published, not yet completed, by due time.
    await q.query(`CREATE INDEX outbox_open_idx ON outbox (run_at) WHERE published_at IS NOT NULL AND completed_at IS NULL`);
    // Domain reconcilers ask "is a job for this record still owed?" by name and payload.
    await q.query(`CREATE INDEX outbox_open_by_job_idx ON outbox (job_name) WHERE completed_at IS NULL`);
    await q.query(`CREATE INDEX outbox_failed_idx ON outbox (failed_at) WHERE failed_at IS NOT NULL AND completed_at IS NULL`);
    await q.query(`
      CREATE TABLE reconcile_runs (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        started_at timestamptz NOT NULL,
        finished_at timestamptz NOT NULL DEFAULT now(),
        trigger text NOT NULL CHECK (trigger IN ('start', 'schedule', 'admin')),
        redis_reset boolean NOT NULL DEFAULT false,
        requeued jsonb NOT NULL DEFAULT '{}'::jsonb,
        error text
      )`);
    await q.query(`CREATE INDEX reconcile_runs_started_idx ON reconcile_runs (started_at DESC)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE reconcile_runs`);
    await q.query(`DROP INDEX outbox_failed_idx`);
    await q.query(`DROP INDEX outbox_open_by_job_idx`);
    await q.query(`DROP INDEX outbox_open_idx`);
    await q.query(`ALTER TABLE outbox DROP COLUMN job_error`);
    await q.query(`ALTER TABLE outbox DROP COLUMN failures`);
    await q.query(`ALTER TABLE outbox DROP COLUMN failed_at`);
    await q.query(`ALTER TABLE outbox DROP COLUMN completed_at`);
  }
}
