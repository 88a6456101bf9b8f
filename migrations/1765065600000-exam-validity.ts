import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * An AIDA a certification body can defend: pretest items shown unscored, forms balanced by
 * criterion and difficulty, exam windows that record where each pass mark came from, declared
 * candidate attributes for differential item functioning, modified-Angoff standard-setting studies,
 * and the item review workflow (reviews, comments and stage changes of item versions).
 */
export class ExamValidity1765065600000 implements MigrationInterface {
  name = 'ExamValidity1765065600000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE items DROP CONSTRAINT items_status_known`);
    await q.query(`ALTER TABLE items ADD CONSTRAINT items_status_known CHECK (status IN ('draft', 'pretest', 'active', 'retired'))`);
    // The draw balances difficulty: the nominal level of the current version, kept beside the status it is drawn by.
    await q.query(
      `ALTER TABLE items ADD COLUMN difficulty text NOT NULL DEFAULT 'medium' CHECK (difficulty IN ('easy', 'medium', 'hard'))`,
    );
    await q.query(
      `UPDATE items i SET difficulty = coalesce(v.content->>'difficulty', 'medium') FROM item_versions v WHERE v.id = i.current_version_id`,
    );
    await q.query(`ALTER TABLE items ALTER COLUMN difficulty DROP DEFAULT`);
    await q.query(`CREATE INDEX items_pretest_idx ON items (exposure_count) WHERE status = 'pretest'`);
    // The current version is listed in an adoption of question-bank/reviews.yaml (in service without platform reviews).
    await q.query(`ALTER TABLE items ADD COLUMN adopted boolean NOT NULL DEFAULT false`);

    // A pretest question is shown like any other but never counts towards the result.
    await q.query(`ALTER TABLE attempt_questions ADD COLUMN scored boolean NOT NULL DEFAULT true`);
    await q.query(`ALTER TABLE exam_settings ADD COLUMN pretest_count integer NOT NULL DEFAULT 2 CHECK (pretest_count BETWEEN 0 AND 5)`);

    await q.query(`
      CREATE TABLE standard_setting_studies (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        exam_code text NOT NULL,
        title text NOT NULL,
        status text NOT NULL DEFAULT 'round1',
        form_length integer NOT NULL CHECK (form_length > 0),
        created_by uuid NOT NULL REFERENCES users(id),
        created_at timestamptz NOT NULL DEFAULT now(),
        round2_opened_at timestamptz,
        closed_at timestamptz,
        result jsonb,
        CONSTRAINT standard_setting_studies_status_known CHECK (status IN ('round1', 'round2', 'closed', 'adopted', 'cancelled'))
      )`);
    await q.query(`
      CREATE TABLE standard_setting_items (
        study_id uuid NOT NULL REFERENCES standard_setting_studies(id),
        item_version_id uuid NOT NULL REFERENCES item_versions(id),
        item_id text NOT NULL REFERENCES items(id),
        position integer NOT NULL,
        PRIMARY KEY (study_id, item_version_id)
      )`);
    await q.query(`
      CREATE TABLE standard_setting_raters (
        study_id uuid NOT NULL REFERENCES standard_setting_studies(id),
        rater_id uuid NOT NULL REFERENCES users(id),
        invited_by uuid NOT NULL REFERENCES users(id),
        invited_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (study_id, rater_id)
      )`);
    await q.query(`
      CREATE TABLE standard_setting_ratings (
        study_id uuid NOT NULL,
        round integer NOT NULL CHECK (round IN (1, 2)),
        rater_id uuid NOT NULL,
        item_version_id uuid NOT NULL,
        probability numeric(4,3) NOT NULL CHECK (probability >= 0 AND probability <= 1),
        updated_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (study_id, round, rater_id, item_version_id),
        FOREIGN KEY (study_id, rater_id) REFERENCES standard_setting_raters(study_id, rater_id),
        FOREIGN KEY (study_id, item_version_id) REFERENCES standard_setting_items(study_id, item_version_id)
      )`);

    // Every pass mark in use is traceable: to the blueprint it started from, an admin decision, or a study.
    await q.query(`
      CREATE TABLE exam_windows (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        exam_code text NOT NULL,
        starts_at timestamptz NOT NULL,
        pass_mark_percent numeric(5,2) NOT NULL CHECK (pass_mark_percent > 0 AND pass_mark_percent <= 100),
        source text NOT NULL CHECK (source IN ('blueprint', 'admin_decision', 'standard_setting')),
        study_id uuid REFERENCES standard_setting_studies(id),
        decided_by uuid REFERENCES users(id),
        reason text,
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT exam_windows_study_source CHECK ((source = 'standard_setting') = (study_id IS NOT NULL)),
        CONSTRAINT exam_windows_start_key UNIQUE (exam_code, starts_at)
      )`);
    await q.query(`
      INSERT INTO exam_windows (exam_code, starts_at, pass_mark_percent, source, reason)
      SELECT exam_code, coalesce((SELECT min(started_at) FROM attempts a WHERE a.exam_code = s.exam_code), now()), pass_mark_percent,
             'admin_decision', 'pass mark in use before exam windows were recorded'
      FROM exam_settings s`);
    await q.query(`ALTER TABLE exam_settings DROP COLUMN pass_mark_percent`);
    await q.query(`ALTER TABLE attempts ADD COLUMN window_id uuid REFERENCES exam_windows(id)`);
    await q.query(`
      UPDATE attempts a SET window_id = (
        SELECT w.id FROM exam_windows w WHERE w.exam_code = a.exam_code AND w.starts_at <= a.started_at ORDER BY w.starts_at DESC LIMIT 1)`);

    // Optional, declared by the candidate, used only for fairness (DIF) analysis.
    await q.query(`
      CREATE TABLE candidate_attributes (
        user_id uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        attribute text NOT NULL,
        value text NOT NULL,
        updated_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (user_id, attribute)
      )`);

    await q.query(`
      CREATE TABLE item_reviews (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        item_id text NOT NULL REFERENCES items(id),
        item_version_id uuid NOT NULL REFERENCES item_versions(id),
        reviewer_id uuid NOT NULL REFERENCES users(id),
        verdict text NOT NULL CHECK (verdict IN ('approve', 'changes_requested')),
        key_confirmed boolean NOT NULL,
        cueing_ok boolean NOT NULL,
        criterion text NOT NULL,
        difficulty text NOT NULL CHECK (difficulty IN ('easy', 'medium', 'hard')),
        comment text NOT NULL DEFAULT '',
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT item_reviews_one_per_reviewer UNIQUE (item_version_id, reviewer_id)
      )`);
    await q.query(`
      CREATE TABLE item_comments (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        item_id text NOT NULL REFERENCES items(id),
        item_version_id uuid NOT NULL REFERENCES item_versions(id),
        author_id uuid NOT NULL REFERENCES users(id),
        body text NOT NULL CHECK (length(body) BETWEEN 1 AND 4000),
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`
      CREATE TABLE item_stage_changes (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        item_id text NOT NULL REFERENCES items(id),
        item_version_id uuid NOT NULL REFERENCES item_versions(id),
        from_status text NOT NULL,
        to_status text NOT NULL CHECK (to_status IN ('pretest', 'active', 'retired')),
        actor_id uuid NOT NULL REFERENCES users(id),
        comment text NOT NULL DEFAULT '',
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX item_stage_changes_item_idx ON item_stage_changes (item_id, created_at)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE item_stage_changes`);
    await q.query(`DROP TABLE item_comments`);
    await q.query(`DROP TABLE item_reviews`);
    await q.query(`DROP TABLE candidate_attributes`);
    await q.query(
      `ALTER TABLE exam_settings ADD COLUMN pass_mark_percent numeric(5,2) NOT NULL DEFAULT 70 CHECK (pass_mark_percent > 0 AND pass_mark_percent <= 100)`,
    );
    await q.query(`
      UPDATE exam_settings s SET pass_mark_percent = (
        SELECT w.pass_mark_percent FROM exam_windows w WHERE w.exam_code = s.exam_code AND w.starts_at <= now() ORDER BY w.starts_at DESC LIMIT 1)
      WHERE EXISTS (SELECT 1 FROM exam_windows w WHERE w.exam_code = s.exam_code)`);
    await q.query(`ALTER TABLE attempts DROP COLUMN window_id`);
    await q.query(`DROP TABLE exam_windows`);
    await q.query(`DROP TABLE standard_setting_ratings`);
    await q.query(`DROP TABLE standard_setting_raters`);
    await q.query(`DROP TABLE standard_setting_items`);
    await q.query(`DROP TABLE standard_setting_studies`);
    await q.query(`ALTER TABLE exam_settings DROP COLUMN pretest_count`);
    await q.query(`ALTER TABLE attempt_questions DROP COLUMN scored`);
    await q.query(`ALTER TABLE items DROP COLUMN adopted`);
    await q.query(`DROP INDEX items_pretest_idx`);
    await q.query(`ALTER TABLE items DROP COLUMN difficulty`);
    await q.query(`UPDATE items SET status = 'draft' WHERE status = 'pretest'`);
    await q.query(`ALTER TABLE items DROP CONSTRAINT items_status_known`);
    await q.query(`ALTER TABLE items ADD CONSTRAINT items_status_known CHECK (status IN ('draft', 'active', 'retired'))`);
  }
}
