import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * CPAP/CPAA portfolios: one working draft per candidate and credential, evidence per criterion,
 * attachments (metadata here, bytes in file storage) and immutable submitted versions.
 */
export class Portfolios1764547200000 implements MigrationInterface {
  name = 'Portfolios1764547200000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE portfolios (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        user_id uuid NOT NULL REFERENCES users(id),
        credential text NOT NULL CHECK (credential IN ('CPAP', 'CPAA')),
        context jsonb NOT NULL DEFAULT '{}'::jsonb,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT portfolios_one_per_credential UNIQUE (user_id, credential)
      )`);
    await q.query(`
      CREATE TABLE portfolio_evidence (
        portfolio_id uuid NOT NULL REFERENCES portfolios(id),
        criterion text NOT NULL,
        narrative text NOT NULL DEFAULT '',
        updated_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (portfolio_id, criterion)
      )`);
    await q.query(`
      CREATE TABLE portfolio_attachments (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        portfolio_id uuid NOT NULL REFERENCES portfolios(id),
        criterion text NOT NULL,
        file_name text NOT NULL,
        media_type text NOT NULL,
        size_bytes integer NOT NULL,
        sha256 char(64) NOT NULL,
        storage_key text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        removed_at timestamptz
      )`);
    await q.query(`CREATE INDEX portfolio_attachments_portfolio_idx ON portfolio_attachments (portfolio_id, criterion)`);
    await q.query(`
      CREATE TABLE portfolio_submissions (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        portfolio_id uuid NOT NULL REFERENCES portfolios(id),
        user_id uuid NOT NULL REFERENCES users(id),
        credential text NOT NULL,
        version integer NOT NULL,
        content jsonb NOT NULL,
        status text NOT NULL DEFAULT 'submitted',
        submitted_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT portfolio_submissions_version_key UNIQUE (portfolio_id, version)
      )`);
    // A submitted version's content never changes (later edits go into the draft and a new version).
    await q.query(`
      CREATE FUNCTION portfolio_submissions_freeze() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP = 'DELETE' OR NEW.content IS DISTINCT FROM OLD.content OR NEW.version <> OLD.version THEN
          RAISE EXCEPTION 'submitted portfolio versions are immutable';
        END IF;
        RETURN NEW;
      END $$`);
    await q.query(`
      CREATE TRIGGER portfolio_submissions_frozen BEFORE UPDATE OR DELETE ON portfolio_submissions
      FOR EACH ROW EXECUTE FUNCTION portfolio_submissions_freeze()`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE portfolio_submissions`);
    await q.query(`DROP FUNCTION portfolio_submissions_freeze()`);
    await q.query(`DROP TABLE portfolio_attachments`);
    await q.query(`DROP TABLE portfolio_evidence`);
    await q.query(`DROP TABLE portfolios`);
  }
}
