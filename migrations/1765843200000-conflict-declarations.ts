import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * Conflict-of-interest declarations instead of a reviewer directory (issue #14, ISO/IEC 17024 §5.2, §9.1).
 *
 * - portfolio_exclusions is dropped and nothing is migrated: candidates picked those reviewers from a
 *   directory, unexplained and unaudited, which let them decide who judged them.
 * - portfolio_conflict_declarations: a candidate declares, per portfolio, a PERSON (name and/or e-mail)
 *   or an ORGANISATION (name, optional e-mail domain), with a reason. Only an administrator's
 *   confirmation makes it exclude anyone; a withdrawn or rejected declaration stays as the record.
 * - portfolio_conflict_matches: the staff (reviewers/assessors) a declaration matches, worked out when
 *   it is declared and again when it is confirmed.
 */
export class ConflictDeclarations1765843200000 implements MigrationInterface {
  name = 'ConflictDeclarations1765843200000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE portfolio_exclusions`);
    await q.query(`
      CREATE TABLE portfolio_conflict_declarations (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        portfolio_id uuid NOT NULL REFERENCES portfolios(id),
        kind text NOT NULL,
        name text,
        email text,
        reason text NOT NULL,
        status text NOT NULL DEFAULT 'pending',
        created_at timestamptz NOT NULL DEFAULT now(),
        decided_at timestamptz,
        decided_by uuid REFERENCES users(id),
        decision_note text,
        CONSTRAINT portfolio_conflict_declarations_kind_known CHECK (kind IN ('person', 'organisation')),
        CONSTRAINT portfolio_conflict_declarations_status_known CHECK (status IN ('pending', 'confirmed', 'rejected', 'withdrawn')),
        CONSTRAINT portfolio_conflict_declarations_names_someone CHECK (
          (kind = 'person' AND (name IS NOT NULL OR email IS NOT NULL)) OR (kind = 'organisation' AND name IS NOT NULL)
        ),
        CONSTRAINT portfolio_conflict_declarations_decided CHECK (status IN ('pending', 'withdrawn') OR decided_at IS NOT NULL)
      )`);
    await q.query(
      `CREATE INDEX portfolio_conflict_declarations_portfolio_idx ON portfolio_conflict_declarations (portfolio_id, created_at)`,
    );
    await q.query(
      `CREATE INDEX portfolio_conflict_declarations_pending_idx ON portfolio_conflict_declarations (created_at) WHERE status = 'pending'`,
    );
    await q.query(`
      CREATE TABLE portfolio_conflict_matches (
        declaration_id uuid NOT NULL REFERENCES portfolio_conflict_declarations(id) ON DELETE CASCADE,
        reviewer_id uuid NOT NULL REFERENCES users(id),
        PRIMARY KEY (declaration_id, reviewer_id)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE portfolio_conflict_matches`);
    await q.query(`DROP TABLE portfolio_conflict_declarations`);
    await q.query(`
      CREATE TABLE portfolio_exclusions (
        portfolio_id uuid NOT NULL REFERENCES portfolios(id),
        reviewer_id uuid NOT NULL REFERENCES users(id),
        created_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (portfolio_id, reviewer_id)
      )`);
  }
}
