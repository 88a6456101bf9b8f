import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * Verified e-mail and recoverable passwords (issue #13). Accounts that exist before this migration
 * are taken as verified from their creation: the platform has not launched, so every one of them was
 * made by an operator (user:create or the demo seed), which vouches for the address. Self-registered
 * accounts start unverified from here on.
 *
 * account_tokens holds the single-use links mailed for e-mail verification and password reset,
 * only as SHA-256 hashes (the raw token exists only in the mail).
 */
export class EmailVerification1765238400000 implements MigrationInterface {
  name = 'EmailVerification1765238400000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE users ADD COLUMN email_verified_at timestamptz`);
    await q.query(`UPDATE users SET email_verified_at = created_at`);
    await q.query(`ALTER TABLE users ADD COLUMN password_changed_at timestamptz NOT NULL DEFAULT now()`);
    // The purge of stale unverified accounts looks for exactly these rows.
    await q.query(`CREATE INDEX users_unverified_idx ON users (created_at) WHERE email_verified_at IS NULL`);
    await q.query(`
      CREATE TABLE account_tokens (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        user_id uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        purpose text NOT NULL CHECK (purpose IN ('verify_email', 'reset_password')),
        token_hash char(64) NOT NULL UNIQUE,
        created_at timestamptz NOT NULL DEFAULT now(),
        expires_at timestamptz NOT NULL,
        used_at timestamptz
      )`);
    await q.query(`CREATE INDEX account_tokens_user_purpose_idx ON account_tokens (user_id, purpose)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE account_tokens`);
    await q.query(`DROP INDEX users_unverified_idx`);
    await q.query(`ALTER TABLE users DROP COLUMN password_changed_at`);
    await q.query(`ALTER TABLE users DROP COLUMN email_verified_at`);
  }
}
