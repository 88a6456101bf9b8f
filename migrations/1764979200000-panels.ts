import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * CPAA panel interviews: assessor availability, panel settings, the interview stage opened by a
 * passed CPAA portfolio, bookings with their three members, invitations, reminders, scores and
 * decisions. An exclusion constraint makes a double-booked assessor impossible, not just unlikely.
 */
export class Panels1764979200000 implements MigrationInterface {
  name = 'Panels1764979200000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE EXTENSION IF NOT EXISTS btree_gist`);
    await q.query(`
      CREATE TABLE assessor_profiles (
        user_id uuid PRIMARY KEY REFERENCES users(id),
        time_zone text NOT NULL DEFAULT 'UTC',
        is_chair boolean NOT NULL DEFAULT false,
        active boolean NOT NULL DEFAULT true,
        weekly_cap integer NOT NULL DEFAULT 3 CHECK (weekly_cap BETWEEN 1 AND 20),
        weekly_windows jsonb NOT NULL DEFAULT '[]'::jsonb,
        date_overrides jsonb NOT NULL DEFAULT '[]'::jsonb,
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`
      CREATE TABLE panel_settings (
        id boolean PRIMARY KEY DEFAULT true CHECK (id),
        duration_minutes integer NOT NULL DEFAULT 90 CHECK (duration_minutes BETWEEN 30 AND 240),
        buffer_minutes integer NOT NULL DEFAULT 15 CHECK (buffer_minutes BETWEEN 0 AND 120),
        min_notice_hours integer NOT NULL DEFAULT 48 CHECK (min_notice_hours BETWEEN 0 AND 720),
        horizon_days integer NOT NULL DEFAULT 28 CHECK (horizon_days BETWEEN 1 AND 180),
        step_minutes integer NOT NULL DEFAULT 30 CHECK (step_minutes IN (15, 30, 60)),
        max_reschedules integer NOT NULL DEFAULT 2 CHECK (max_reschedules BETWEEN 0 AND 10),
        change_cutoff_hours integer NOT NULL DEFAULT 24 CHECK (change_cutoff_hours BETWEEN 0 AND 720),
        met_score integer NOT NULL DEFAULT 2 CHECK (met_score BETWEEN 1 AND 3),
        domain_pass_votes integer NOT NULL DEFAULT 2 CHECK (domain_pass_votes BETWEEN 1 AND 3),
        candidate_no_show text NOT NULL DEFAULT 'fail' CHECK (candidate_no_show IN ('fail', 'rebook')),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`INSERT INTO panel_settings DEFAULT VALUES`);
    await q.query(`
      CREATE TABLE panel_interviews (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        candidate_id uuid NOT NULL REFERENCES users(id),
        submission_id uuid NOT NULL UNIQUE REFERENCES portfolio_submissions(id),
        status text NOT NULL DEFAULT 'awaiting_booking'
          CHECK (status IN ('awaiting_booking', 'booked', 'decided_pass', 'decided_fail')),
        time_zone text NOT NULL DEFAULT 'UTC',
        reschedules_used integer NOT NULL DEFAULT 0,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX panel_interviews_candidate_idx ON panel_interviews (candidate_id)`);
    await q.query(`
      CREATE TABLE panel_bookings (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        interview_id uuid NOT NULL REFERENCES panel_interviews(id),
        starts_at timestamptz NOT NULL,
        ends_at timestamptz NOT NULL,
        status text NOT NULL DEFAULT 'booked'
          CHECK (status IN ('booked', 'cancelled', 'completed', 'no_show_candidate', 'no_show_assessor')),
        sequence integer NOT NULL DEFAULT 0,
        meeting_url text NOT NULL,
        close_reason text,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CHECK (ends_at > starts_at)
      )`);
    // One live booking per interview: a second concurrent booking of the same interview fails here.
    await q.query(`CREATE UNIQUE INDEX panel_bookings_one_live ON panel_bookings (interview_id) WHERE status = 'booked'`);
    await q.query(`CREATE INDEX panel_bookings_starts_idx ON panel_bookings (starts_at)`);
    await q.query(`
      CREATE TABLE panel_members (
        booking_id uuid NOT NULL REFERENCES panel_bookings(id),
        assessor_id uuid NOT NULL REFERENCES users(id),
        is_chair boolean NOT NULL,
        active boolean NOT NULL DEFAULT true,
        -- the interview plus the buffer after it: two members' ranges never overlap, so bookings keep the buffer between them
        busy tstzrange NOT NULL,
        left_at timestamptz,
        left_reason text,
        no_show boolean NOT NULL DEFAULT false,
        PRIMARY KEY (booking_id, assessor_id),
        CONSTRAINT panel_members_no_double_booking EXCLUDE USING gist (assessor_id WITH =, busy WITH &&) WHERE (active)
      )`);
    await q.query(`CREATE INDEX panel_members_assessor_idx ON panel_members (assessor_id) WHERE active`);
    await q.query(`
      CREATE TABLE panel_invitations (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        booking_id uuid NOT NULL REFERENCES panel_bookings(id),
        recipient_id uuid NOT NULL REFERENCES users(id),
        method text NOT NULL CHECK (method IN ('REQUEST', 'CANCEL')),
        sequence integer NOT NULL,
        ics text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        sent_at timestamptz
      )`);
    await q.query(`CREATE INDEX panel_invitations_booking_idx ON panel_invitations (booking_id)`);
    await q.query(`
      CREATE TABLE panel_reminders (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        booking_id uuid NOT NULL REFERENCES panel_bookings(id),
        recipient_id uuid NOT NULL REFERENCES users(id),
        hours_before integer NOT NULL,
        run_at timestamptz NOT NULL,
        outbox_id uuid NOT NULL,
        status text NOT NULL DEFAULT 'scheduled' CHECK (status IN ('scheduled', 'sent', 'cancelled', 'removed')),
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX panel_reminders_booking_idx ON panel_reminders (booking_id, status)`);
    await q.query(`
      CREATE TABLE panel_scores (
        booking_id uuid NOT NULL,
        assessor_id uuid NOT NULL,
        domain_scores jsonb NOT NULL,
        submitted_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (booking_id, assessor_id),
        FOREIGN KEY (booking_id, assessor_id) REFERENCES panel_members (booking_id, assessor_id)
      )`);
    await q.query(`
      CREATE TABLE panel_decisions (
        interview_id uuid PRIMARY KEY REFERENCES panel_interviews(id),
        booking_id uuid REFERENCES panel_bookings(id),
        outcome text NOT NULL CHECK (outcome IN ('pass', 'fail')),
        route text NOT NULL CHECK (route IN ('panel', 'no_show')),
        domain_results jsonb NOT NULL DEFAULT '[]'::jsonb,
        decided_by uuid REFERENCES users(id),
        note text,
        decided_at timestamptz NOT NULL DEFAULT now()
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of [
      'panel_decisions',
      'panel_scores',
      'panel_reminders',
      'panel_invitations',
      'panel_members',
      'panel_bookings',
      'panel_interviews',
      'panel_settings',
      'assessor_profiles',
    ]) {
      await q.query(`DROP TABLE ${table}`);
    }
  }
}
