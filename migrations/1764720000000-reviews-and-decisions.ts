import { type MigrationInterface, type QueryRunner } from 'typeorm';

/** Submitted reviews (one per assignment) and decisions on portfolio submissions (one per submission). */
export class ReviewsAndDecisions1764720000000 implements MigrationInterface {
  name = 'ReviewsAndDecisions1764720000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE reviews (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        assignment_id uuid NOT NULL UNIQUE REFERENCES review_assignments(id),
        submission_id uuid NOT NULL REFERENCES portfolio_submissions(id),
        reviewer_id uuid NOT NULL REFERENCES users(id),
        criterion_scores jsonb NOT NULL,
        domain_judgements jsonb NOT NULL,
        recommendation text NOT NULL CHECK (recommendation IN ('pass', 'revise', 'fail')),
        submitted_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX reviews_submission_idx ON reviews (submission_id)`);
    await q.query(`
      CREATE TABLE portfolio_decisions (
        submission_id uuid PRIMARY KEY REFERENCES portfolio_submissions(id),
        outcome text NOT NULL CHECK (outcome IN ('pass', 'revise', 'fail')),
        route text NOT NULL CHECK (route IN ('consensus', 'adjudication', 'override')),
        decided_by uuid REFERENCES users(id),
        reason text,
        resubmit_until timestamptz,
        decided_at timestamptz NOT NULL DEFAULT now()
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE portfolio_decisions`);
    await q.query(`DROP TABLE reviews`);
  }
}
