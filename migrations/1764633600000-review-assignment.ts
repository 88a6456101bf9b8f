import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * Reviewer profiles, conflicts of interest (declared by candidates and by reviewers) and review
 * assignments of portfolio submissions (offer → accept/decline → due).
 */
export class ReviewAssignment1764633600000 implements MigrationInterface {
  name = 'ReviewAssignment1764633600000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE reviewer_profiles (
        user_id uuid PRIMARY KEY REFERENCES users(id),
        organisation text NOT NULL DEFAULT '',
        expertise text[] NOT NULL DEFAULT ARRAY[]::text[],
        max_concurrent integer NOT NULL DEFAULT 3 CHECK (max_concurrent BETWEEN 1 AND 50),
        away jsonb NOT NULL DEFAULT '[]'::jsonb,
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`
      CREATE TABLE portfolio_exclusions (
        portfolio_id uuid NOT NULL REFERENCES portfolios(id),
        reviewer_id uuid NOT NULL REFERENCES users(id),
        created_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (portfolio_id, reviewer_id)
      )`);
    await q.query(`
      CREATE TABLE reviewer_conflicts (
        reviewer_id uuid NOT NULL REFERENCES users(id),
        candidate_id uuid NOT NULL REFERENCES users(id),
        reason text,
        created_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (reviewer_id, candidate_id)
      )`);
    await q.query(`
      CREATE TABLE review_assignments (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        submission_id uuid NOT NULL REFERENCES portfolio_submissions(id),
        reviewer_id uuid NOT NULL REFERENCES users(id),
        status text NOT NULL DEFAULT 'offered',
        offered_at timestamptz NOT NULL DEFAULT now(),
        respond_by timestamptz NOT NULL,
        accepted_at timestamptz,
        due_at timestamptz,
        closed_at timestamptz,
        close_reason text,
        CONSTRAINT review_assignments_status_known CHECK (status IN ('offered', 'accepted', 'completed', 'declined', 'expired', 'overdue')),
        CONSTRAINT review_assignments_once UNIQUE (submission_id, reviewer_id)
      )`);
    await q.query(`CREATE INDEX review_assignments_reviewer_idx ON review_assignments (reviewer_id, status)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE review_assignments`);
    await q.query(`DROP TABLE reviewer_conflicts`);
    await q.query(`DROP TABLE portfolio_exclusions`);
    await q.query(`DROP TABLE reviewer_profiles`);
  }
}
