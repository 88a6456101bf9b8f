import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * Public holder pages (issue #17 item 5): a candidate may opt in to one public page listing their active
 * certificates, at an unguessable slug. One row per person while the page is on; turning it off deletes the
 * row (the URL then answers 404), and turning it on again draws a new slug, so an old link never comes back
 * to life. Account deletion pseudonymises the users row instead of deleting it, so the erasure deletes this
 * row itself; ON DELETE CASCADE covers a users row that is really deleted.
 */
export class HolderPages1766000300000 implements MigrationInterface {
  name = 'HolderPages1766000300000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE holder_pages (
        user_id uuid PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
        slug text NOT NULL UNIQUE CHECK (slug ~ '^[A-Za-z0-9_-]{22}$'),
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE holder_pages`);
  }
}
