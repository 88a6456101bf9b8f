import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * Data rights (issue #13, GDPR Art. 15, 17 and 20).
 *
 * - data_exports: "Download my data". A job builds the zip under DATA_DIR; the e-mailed link carries a
 *   token of which only the SHA-256 is kept. One export is built at a time per person (partial unique
 *   index); an expired export's file is deleted by the retention job and the row says so.
 * - account_deletions: one row per erased account (when, and when its files were erased), so the
 *   erasure and the file clean-up that follows it can be checked and retried.
 * - users.deleted_at: the account was erased and pseudonymised; it can never sign in again.
 * - audit_personal_data: personal data that an audit entry refers to but the hash chain does not
 *   cover. The chained entry holds a salted digest of it, so the data can be erased (Art. 17) while
 *   the chain still verifies.
 * - portfolio_attachments.file_erased_at: the file of a removed attachment is gone from storage
 *   (retention or erasure); the row stays as the record of what was submitted.
 * - notifications (recipient) index: stored mail is found by address for export, erasure and retention.
 */
export class DataRights1765756800000 implements MigrationInterface {
  name = 'DataRights1765756800000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE data_exports (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        status text NOT NULL DEFAULT 'queued' CHECK (status IN ('queued', 'ready', 'failed', 'expired')),
        storage_key text,
        size_bytes bigint,
        token_hash char(64),
        created_at timestamptz NOT NULL DEFAULT now(),
        completed_at timestamptz,
        expires_at timestamptz,
        mailed_at timestamptz,
        downloaded_at timestamptz,
        CONSTRAINT data_exports_ready_has_file CHECK (status <> 'ready' OR (storage_key IS NOT NULL AND token_hash IS NOT NULL AND expires_at IS NOT NULL))
      )`);
    await q.query(`CREATE UNIQUE INDEX data_exports_one_in_progress ON data_exports (user_id) WHERE status = 'queued'`);
    await q.query(`CREATE INDEX data_exports_user_idx ON data_exports (user_id, created_at DESC)`);
    await q.query(`CREATE INDEX data_exports_expiry_idx ON data_exports (expires_at) WHERE status = 'ready'`);

    await q.query(`
      CREATE TABLE account_deletions (
        user_id uuid PRIMARY KEY REFERENCES users (id),
        requested_at timestamptz NOT NULL DEFAULT now(),
        files_erased_at timestamptz
      )`);
    await q.query(`ALTER TABLE users ADD COLUMN deleted_at timestamptz`);

    await q.query(`
      CREATE TABLE audit_personal_data (
        entry_id bigint PRIMARY KEY REFERENCES audit_log (id),
        user_id uuid NOT NULL,
        salt char(32) NOT NULL,
        data jsonb NOT NULL
      )`);
    await q.query(`CREATE INDEX audit_personal_data_user_idx ON audit_personal_data (user_id)`);

    await q.query(`ALTER TABLE portfolio_attachments ADD COLUMN file_erased_at timestamptz`);
    await q.query(
      `CREATE INDEX portfolio_attachments_removed_idx ON portfolio_attachments (removed_at) WHERE file_erased_at IS NULL AND removed_at IS NOT NULL`,
    );
    await q.query(`CREATE INDEX notifications_recipient_idx ON notifications (recipient)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX notifications_recipient_idx`);
    await q.query(`DROP INDEX portfolio_attachments_removed_idx`);
    await q.query(`ALTER TABLE portfolio_attachments DROP COLUMN file_erased_at`);
    await q.query(`DROP TABLE audit_personal_data`);
    await q.query(`ALTER TABLE users DROP COLUMN deleted_at`);
    await q.query(`DROP TABLE account_deletions`);
    await q.query(`DROP TABLE data_exports`);
  }
}
