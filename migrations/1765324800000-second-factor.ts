import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * TOTP second factor (issue #13). users.totp_secret holds the seed sealed with AES-256-GCM (never the
 * plain base32); it is set when an enrolment starts and counts only once totp_enabled_at is set by a
 * confirmed code. totp_last_step is the last RFC 6238 time step accepted, so a code cannot be used twice.
 * Recovery codes are kept as SHA-256 hex of the user id and the code; a used one keeps its row with used_at.
 */
export class SecondFactor1765324800000 implements MigrationInterface {
  name = 'SecondFactor1765324800000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE users
        ADD COLUMN totp_secret text,
        ADD COLUMN totp_enabled_at timestamptz,
        ADD COLUMN totp_last_step bigint,
        ADD CONSTRAINT users_totp_enabled_has_secret CHECK (totp_enabled_at IS NULL OR totp_secret IS NOT NULL)
    `);
    await q.query(`
      CREATE TABLE recovery_codes (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        code_hash char(64) NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        used_at timestamptz,
        UNIQUE (user_id, code_hash)
      )
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE recovery_codes`);
    await q.query(`
      ALTER TABLE users
        DROP CONSTRAINT users_totp_enabled_has_secret,
        DROP COLUMN totp_last_step,
        DROP COLUMN totp_enabled_at,
        DROP COLUMN totp_secret
    `);
  }
}
