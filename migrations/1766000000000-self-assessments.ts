import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * The public PSF self-assessment (issue #17): a signed-in person may keep their ratings of the 40 criteria
 * on their account. One row per person, replaced on every save; the ratings are a jsonb object of
 * criterion code → 0..3, checked against the framework by the service (the framework is not in tables).
 * Account deletion pseudonymises the users row instead of deleting it, so the erasure deletes this row
 * itself; ON DELETE CASCADE covers a users row that is really deleted.
 */
export class SelfAssessments1766000000000 implements MigrationInterface {
  name = 'SelfAssessments1766000000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE self_assessments (
        user_id uuid PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
        ratings jsonb NOT NULL CHECK (jsonb_typeof(ratings) = 'object'),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE self_assessments`);
  }
}
