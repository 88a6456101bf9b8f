import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * Sessions (issue #13): one row per sign-in, the "family" whose id access tokens carry as `fam` and
 * whose refresh tokens rotate. It records what the Sessions page shows (client, address, how the person
 * signed in, when it was last used) and what ends it: expires_at is the absolute lifetime from sign-in,
 * ended_at/end_reason say when and why it stopped (sign-out, idle, password change, ...).
 * second_factor_at is the last time this session proved a second factor (at sign-in or by a step-up).
 *
 * Existing families are kept signed in: one row each, expiring 30 days (the default lifetime) after
 * their first token; families with no unrevoked token left are recorded as ended. sign_in_method is
 * null for them (not recorded before this migration).
 */
export class Sessions1765411200000 implements MigrationInterface {
  name = 'Sessions1765411200000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE sessions (
        id uuid PRIMARY KEY,
        user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        created_at timestamptz NOT NULL DEFAULT now(),
        last_used_at timestamptz NOT NULL DEFAULT now(),
        expires_at timestamptz NOT NULL,
        ended_at timestamptz,
        end_reason text,
        user_agent text,
        ip text,
        sign_in_method text CHECK (sign_in_method IN ('password', 'totp', 'recovery_code', 'passkey')),
        second_factor_at timestamptz,
        CONSTRAINT sessions_ended_has_reason CHECK ((ended_at IS NULL) = (end_reason IS NULL))
      )
    `);
    await q.query(`CREATE INDEX sessions_user_idx ON sessions (user_id, created_at)`);
    await q.query(`
      INSERT INTO sessions (id, user_id, created_at, last_used_at, expires_at, ended_at, end_reason)
      SELECT family_id,
             (array_agg(user_id))[1],
             min(created_at),
             max(created_at),
             min(created_at) + interval '30 days',
             CASE WHEN bool_and(revoked_at IS NOT NULL) THEN max(revoked_at) END,
             CASE WHEN bool_and(revoked_at IS NOT NULL) THEN 'revoked' END
        FROM refresh_tokens
       GROUP BY family_id
    `);
    await q.query(`
      ALTER TABLE refresh_tokens
        ADD CONSTRAINT refresh_tokens_family_fkey FOREIGN KEY (family_id) REFERENCES sessions (id) ON DELETE CASCADE
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE refresh_tokens DROP CONSTRAINT refresh_tokens_family_fkey`);
    await q.query(`DROP TABLE sessions`);
  }
}
