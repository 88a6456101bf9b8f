import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * AIDA attempts: exam settings, per-candidate accommodations, item exposure counts, attempts
 * with the exact item versions and option orders they showed, answers, and pass events for
 * certificate issuing to consume.
 */
export class AidaExam1764374400000 implements MigrationInterface {
  name = 'AidaExam1764374400000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE items ADD COLUMN exposure_count integer NOT NULL DEFAULT 0`);
    // The draw reads the least-exposed active items of a domain from the front of this index.
    await q.query(`CREATE INDEX items_draw_idx ON items (domain, exposure_count) WHERE status = 'active'`);

    await q.query(`
      CREATE TABLE exam_settings (
        exam_code text PRIMARY KEY,
        time_limit_seconds integer NOT NULL CHECK (time_limit_seconds > 0),
        pass_mark_percent numeric(5,2) NOT NULL CHECK (pass_mark_percent > 0 AND pass_mark_percent <= 100),
        retake_cooldown_seconds integer NOT NULL CHECK (retake_cooldown_seconds >= 0),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);

    await q.query(`
      CREATE TABLE accommodations (
        user_id uuid PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
        time_multiplier numeric(3,2) NOT NULL CHECK (time_multiplier >= 1.0 AND time_multiplier <= 3.0),
        updated_at timestamptz NOT NULL DEFAULT now(),
        updated_by uuid REFERENCES users(id)
      )`);

    await q.query(`
      CREATE TABLE attempts (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        user_id uuid NOT NULL REFERENCES users(id),
        exam_code text NOT NULL,
        status text NOT NULL DEFAULT 'in_progress',
        started_at timestamptz NOT NULL DEFAULT now(),
        time_limit_seconds integer NOT NULL,
        deadline timestamptz NOT NULL,
        pass_mark_percent numeric(5,2) NOT NULL,
        submitted_at timestamptz,
        correct integer,
        total integer,
        score_percent numeric(5,2),
        passed boolean,
        domain_results jsonb,
        CONSTRAINT attempts_status_known CHECK (status IN ('in_progress', 'submitted', 'expired'))
      )`);
    // Invariant 4: one attempt in progress per candidate and exam, enforced by the database.
    await q.query(`CREATE UNIQUE INDEX attempts_one_in_progress ON attempts (user_id, exam_code) WHERE status = 'in_progress'`);
    await q.query(`CREATE INDEX attempts_user_idx ON attempts (user_id, exam_code, started_at DESC)`);
    await q.query(`CREATE INDEX attempts_overdue_idx ON attempts (deadline) WHERE status = 'in_progress'`);

    await q.query(`
      CREATE TABLE attempt_questions (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        attempt_id uuid NOT NULL REFERENCES attempts(id),
        position integer NOT NULL,
        item_id text NOT NULL REFERENCES items(id),
        item_version_id uuid NOT NULL REFERENCES item_versions(id),
        domain text NOT NULL,
        options jsonb NOT NULL,
        CONSTRAINT attempt_questions_position_key UNIQUE (attempt_id, position)
      )`);

    await q.query(`
      CREATE TABLE attempt_answers (
        question_id uuid PRIMARY KEY REFERENCES attempt_questions(id),
        attempt_id uuid NOT NULL REFERENCES attempts(id),
        option_id uuid,
        flagged boolean NOT NULL DEFAULT false,
        client_seq bigint,
        saved_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX attempt_answers_attempt_idx ON attempt_answers (attempt_id)`);

    await q.query(`
      CREATE TABLE credential_events (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        user_id uuid NOT NULL REFERENCES users(id),
        credential text NOT NULL,
        kind text NOT NULL,
        source_type text NOT NULL,
        source_id uuid NOT NULL,
        occurred_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT credential_events_source_key UNIQUE (source_type, source_id, kind)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE credential_events`);
    await q.query(`DROP TABLE attempt_answers`);
    await q.query(`DROP TABLE attempt_questions`);
    await q.query(`DROP TABLE attempts`);
    await q.query(`DROP TABLE accommodations`);
    await q.query(`DROP TABLE exam_settings`);
    await q.query(`DROP INDEX items_draw_idx`);
    await q.query(`ALTER TABLE items DROP COLUMN exposure_count`);
  }
}
