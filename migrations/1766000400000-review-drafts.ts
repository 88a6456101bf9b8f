import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * A reviewer's work in progress (issue #18): the scores, comments, domain judgements and recommendation typed so far
 * for one accepted assignment, kept on the server so a reload or another device finds them. One row per assignment,
 * replaced on each autosave and deleted when the review is submitted (the review itself is then the record).
 */
export class ReviewDrafts1766000400000 implements MigrationInterface {
  name = 'ReviewDrafts1766000400000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE review_drafts (
        assignment_id uuid PRIMARY KEY REFERENCES review_assignments (id) ON DELETE CASCADE,
        content jsonb NOT NULL,
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE review_drafts`);
  }
}
