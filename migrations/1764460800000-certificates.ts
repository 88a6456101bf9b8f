import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * Certificates: one per source (attempt or decision), a public number, lifecycle status, a slot
 * in a signed Bitstring Status List, and the stored PDF.
 */
export class Certificates1764460800000 implements MigrationInterface {
  name = 'Certificates1764460800000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE status_lists (
        id integer PRIMARY KEY,
        purpose text NOT NULL DEFAULT 'revocation',
        size integer NOT NULL,
        next_index integer NOT NULL DEFAULT 0,
        bits bytea NOT NULL,
        credential_jwt text,
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);

    await q.query(`
      CREATE TABLE certificates (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        number text NOT NULL,
        user_id uuid NOT NULL REFERENCES users(id),
        credential text NOT NULL,
        source_type text NOT NULL,
        source_id uuid NOT NULL,
        holder_name text NOT NULL,
        psf_version text NOT NULL,
        issued_at timestamptz NOT NULL DEFAULT now(),
        expires_at timestamptz NOT NULL,
        status text NOT NULL DEFAULT 'active',
        status_reason text,
        status_changed_at timestamptz,
        status_list_id integer NOT NULL REFERENCES status_lists(id),
        status_list_index integer NOT NULL,
        pdf_file text,
        pdf_hash char(64),
        credential_jwt text,
        CONSTRAINT certificates_status_known CHECK (status IN ('active', 'suspended', 'revoked')),
        CONSTRAINT certificates_one_per_source UNIQUE (source_type, source_id),
        CONSTRAINT certificates_status_slot UNIQUE (status_list_id, status_list_index)
      )`);
    await q.query(`CREATE UNIQUE INDEX certificates_number_key ON certificates (number)`);
    await q.query(`CREATE INDEX certificates_user_idx ON certificates (user_id, issued_at DESC)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE certificates`);
    await q.query(`DROP TABLE status_lists`);
  }
}
