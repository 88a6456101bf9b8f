import { type MigrationInterface, type QueryRunner } from 'typeorm';

/** Appeals against portfolio decisions: one per decided submission, handled by an uninvolved admin. */
export class PortfolioAppeals1764806400000 implements MigrationInterface {
  name = 'PortfolioAppeals1764806400000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE portfolio_appeals (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        submission_id uuid NOT NULL UNIQUE REFERENCES portfolio_submissions(id),
        user_id uuid NOT NULL REFERENCES users(id),
        grounds text NOT NULL,
        status text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'upheld', 'rejected')),
        filed_at timestamptz NOT NULL DEFAULT now(),
        handled_by uuid REFERENCES users(id),
        outcome_note text,
        handled_at timestamptz
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE portfolio_appeals`);
  }
}
