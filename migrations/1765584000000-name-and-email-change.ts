import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * Name and e-mail changes (issue #13).
 *
 * name_change_requests (users module): a person asks for the name on their certificates to change,
 * with a reason; an administrator approves or refuses it. At most one request per person is pending
 * (a partial unique index, not only a check in code).
 *
 * certificates.superseded_by: an approved name change re-issues every active certificate under the
 * new name; the old one is revoked with reason 'superseded' (its status-list bit is set, so a verifier
 * holding the old badge sees it revoked) and points at its successor, so the verification page of the
 * old number can say "superseded by <new number>" rather than "revoked".
 *
 * account_tokens gains the purpose 'change_email': the link mailed to a new address, which carries
 * that address (new_email) until it is confirmed; replaced_email is the address it replaced, kept on
 * the spent link so the old address can be told the change is done.
 */
export class NameAndEmailChange1765584000000 implements MigrationInterface {
  name = 'NameAndEmailChange1765584000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE name_change_requests (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        current_name text NOT NULL,
        requested_name text NOT NULL,
        reason text NOT NULL,
        status text NOT NULL DEFAULT 'pending',
        decided_by uuid REFERENCES users (id),
        decided_at timestamptz,
        decision_note text,
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT name_change_requests_status_known CHECK (status IN ('pending', 'approved', 'refused', 'cancelled')),
        CONSTRAINT name_change_requests_decided CHECK ((status IN ('approved', 'refused')) = (decided_at IS NOT NULL))
      )`);
    await q.query(`CREATE UNIQUE INDEX name_change_requests_one_pending ON name_change_requests (user_id) WHERE status = 'pending'`);
    await q.query(`CREATE INDEX name_change_requests_user_idx ON name_change_requests (user_id, created_at DESC)`);
    await q.query(`CREATE INDEX name_change_requests_status_idx ON name_change_requests (status, created_at)`);

    await q.query(`ALTER TABLE certificates ADD COLUMN superseded_by uuid REFERENCES certificates (id)`);

    await q.query(`ALTER TABLE account_tokens DROP CONSTRAINT account_tokens_purpose_check`);
    await q.query(`
      ALTER TABLE account_tokens ADD CONSTRAINT account_tokens_purpose_check
        CHECK (purpose IN ('verify_email', 'reset_password', 'change_email'))`);
    await q.query(`ALTER TABLE account_tokens ADD COLUMN new_email text, ADD COLUMN replaced_email text`);
    await q.query(
      `ALTER TABLE account_tokens ADD CONSTRAINT account_tokens_new_email CHECK ((purpose = 'change_email') = (new_email IS NOT NULL))`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DELETE FROM account_tokens WHERE purpose = 'change_email'`);
    await q.query(`ALTER TABLE account_tokens DROP CONSTRAINT account_tokens_new_email`);
    await q.query(`ALTER TABLE account_tokens DROP COLUMN new_email, DROP COLUMN replaced_email`);
    await q.query(`ALTER TABLE account_tokens DROP CONSTRAINT account_tokens_purpose_check`);
    await q.query(
      `ALTER TABLE account_tokens ADD CONSTRAINT account_tokens_purpose_check CHECK (purpose IN ('verify_email', 'reset_password'))`,
    );
    await q.query(`ALTER TABLE certificates DROP COLUMN superseded_by`);
    await q.query(`DROP TABLE name_change_requests`);
  }
}
