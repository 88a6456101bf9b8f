import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * The audit viewer (issue #18) filters the log by who acted and by day, newest first, and a person's page
 * lists what they did: without these, each such page read the whole log, which is kept indefinitely.
 * (Subject and action already have indexes.)
 */
export class AuditViewerIndexes1766000470000 implements MigrationInterface {
  name = 'AuditViewerIndexes1766000470000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX audit_log_actor_idx ON audit_log (actor_id, id)`);
    await q.query(`CREATE INDEX audit_log_occurred_at_idx ON audit_log (occurred_at)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX audit_log_occurred_at_idx`);
    await q.query(`DROP INDEX audit_log_actor_idx`);
  }
}
