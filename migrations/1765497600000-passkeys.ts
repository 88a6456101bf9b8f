import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * WebAuthn passkeys (issue #13): a second factor for staff and an opt-in for candidates, and a way to
 * sign in on its own (a passkey with user verification is possession plus PIN or biometric).
 * Only the public key is stored; counter is the authenticator's signature counter, kept so a cloned
 * authenticator shows itself. A challenge is single use and short-lived; user_id is null for a
 * sign-in challenge (the passkey names its user).
 */
export class Passkeys1765497600000 implements MigrationInterface {
  name = 'Passkeys1765497600000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE passkeys (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        credential_id text NOT NULL UNIQUE,
        public_key bytea NOT NULL,
        counter bigint NOT NULL DEFAULT 0,
        transports text[] NOT NULL DEFAULT '{}',
        name text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        last_used_at timestamptz
      )
    `);
    await q.query(`CREATE INDEX passkeys_user_idx ON passkeys (user_id)`);
    await q.query(`
      CREATE TABLE webauthn_challenges (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        user_id uuid REFERENCES users (id) ON DELETE CASCADE,
        purpose text NOT NULL CHECK (purpose IN ('register', 'sign_in', 'step_up')),
        challenge text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        expires_at timestamptz NOT NULL,
        used_at timestamptz
      )
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE webauthn_challenges`);
    await q.query(`DROP TABLE passkeys`);
  }
}
