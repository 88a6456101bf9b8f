import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * The one status column without a CHECK: portfolio_submissions.status gets the values the code
 * writes (the submission lifecycle), like every other table's *_status_known. The freeze trigger
 * fires only on UPDATE and DELETE, so validating the existing rows does not trip it.
 */
export class SubmissionStatusCheck1765152000000 implements MigrationInterface {
  name = 'SubmissionStatusCheck1765152000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `ALTER TABLE portfolio_submissions ADD CONSTRAINT portfolio_submissions_status_known CHECK (status IN ('submitted', 'adjudication', 'decided_pass', 'decided_revise', 'decided_fail'))`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE portfolio_submissions DROP CONSTRAINT portfolio_submissions_status_known`);
  }
}
