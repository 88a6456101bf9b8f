import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * The AIDA item bank as synced from question-bank/: items (stable ids) and their immutable
 * versions. An attempt will reference item versions, so versions are never updated or deleted.
 */
export class QuestionBank1764288000000 implements MigrationInterface {
  name = 'QuestionBank1764288000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE items (
        id text PRIMARY KEY,
        domain text NOT NULL,
        criterion text NOT NULL,
        status text NOT NULL,
        current_version_id uuid,
        source_file text,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        retired_at timestamptz,
        CONSTRAINT items_status_known CHECK (status IN ('draft', 'active', 'retired'))
      )`);
    await q.query(`CREATE INDEX items_domain_status_idx ON items (domain, status)`);

    await q.query(`
      CREATE TABLE item_versions (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        item_id text NOT NULL REFERENCES items(id),
        version integer NOT NULL,
        content_hash char(64) NOT NULL,
        content jsonb NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT item_versions_number_key UNIQUE (item_id, version),
        CONSTRAINT item_versions_hash_key UNIQUE (item_id, content_hash)
      )`);
    await q.query(
      `ALTER TABLE items ADD CONSTRAINT items_current_version_fk FOREIGN KEY (current_version_id) REFERENCES item_versions(id)`,
    );
    await q.query(`
      CREATE FUNCTION item_versions_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'item versions are immutable (% refused)', TG_OP;
      END $$`);
    await q.query(`
      CREATE TRIGGER item_versions_immutable BEFORE UPDATE OR DELETE ON item_versions
      FOR EACH ROW EXECUTE FUNCTION item_versions_refuse_change()`);

    await q.query(`
      CREATE TABLE bank_syncs (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        synced_at timestamptz NOT NULL DEFAULT now(),
        added integer NOT NULL,
        changed integer NOT NULL,
        retired integer NOT NULL,
        unchanged integer NOT NULL
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE bank_syncs`);
    await q.query(`ALTER TABLE items DROP CONSTRAINT items_current_version_fk`);
    await q.query(`DROP TABLE item_versions`);
    await q.query(`DROP FUNCTION item_versions_refuse_change()`);
    await q.query(`DROP TABLE items`);
  }
}
