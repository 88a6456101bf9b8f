import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * Credentials nobody can replay or fork (issue #14).
 *
 * - signing_keys: the certificate-signing keys in the system of record, so API and worker replicas never
 *   mint divergent keys. The private key is sealed (AES-256-GCM, SIGNING_KEY_ENCRYPTION_KEY or a key
 *   derived from JWT_SECRET; the kid is bound as additional data), so a copy of the database alone signs
 *   nothing. One key is current (a partial unique index); previous keys stay published; a retired key is
 *   withdrawn from the JWK Set.
 * - status_lists.next_index becomes allocated: slots are drawn at random (the count of drawn slots is what
 *   the sequential counter held), and a list takes new slots only while at most half full.
 * - status_lists.valid_until: when the stored, signed list credential stops being valid (its validUntil);
 *   NULL means it must be signed again before it is served (lists signed before this migration had none).
 */
export class CredentialIntegrity1765843600000 implements MigrationInterface {
  name = 'CredentialIntegrity1765843600000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE signing_keys (
        kid text PRIMARY KEY,
        alg text NOT NULL,
        public_jwk jsonb NOT NULL,
        private_key_sealed text NOT NULL,
        status text NOT NULL CHECK (status IN ('current', 'previous', 'retired')),
        created_at timestamptz NOT NULL DEFAULT now(),
        retired_at timestamptz,
        CONSTRAINT signing_keys_retired_when CHECK ((status = 'retired') = (retired_at IS NOT NULL))
      )`);
    await q.query(`CREATE UNIQUE INDEX signing_keys_one_current ON signing_keys ((true)) WHERE status = 'current'`);

    await q.query(`ALTER TABLE status_lists RENAME COLUMN next_index TO allocated`);
    await q.query(`ALTER TABLE status_lists ADD COLUMN valid_until timestamptz`);
    await q.query(`UPDATE status_lists SET credential_jwt = NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE status_lists DROP COLUMN valid_until`);
    await q.query(`ALTER TABLE status_lists RENAME COLUMN allocated TO next_index`);
    await q.query(`DROP TABLE signing_keys`);
  }
}
