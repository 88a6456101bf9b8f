import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * CPAA scheduling that strands nobody (issue #17):
 *
 * - panel_waitlist: a candidate awaiting a booking who found no free slot asks to be told when one opens.
 *   One entry per interview while they wait (leaving deletes it; joining again makes a new entry, and so a
 *   new e-mail). notified_at is set, with the e-mail's job in the same transaction, when a slot opened.
 * - panel_interviews.wait_alerted_at: the administrators were alerted that this passed candidate has had
 *   no booking for PANEL_WAIT_ALERT_DAYS (once per interview).
 */
export class PanelWaitlist1766000100000 implements MigrationInterface {
  name = 'PanelWaitlist1766000100000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE panel_waitlist (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        interview_id uuid NOT NULL UNIQUE REFERENCES panel_interviews(id),
        time_zone text NOT NULL,
        joined_at timestamptz NOT NULL DEFAULT now(),
        notified_at timestamptz
      )`);
    // The check after an availability change reads the entries still waiting.
    await q.query(`CREATE INDEX panel_waitlist_waiting_idx ON panel_waitlist (joined_at) WHERE notified_at IS NULL`);
    await q.query(`ALTER TABLE panel_interviews ADD COLUMN wait_alerted_at timestamptz`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE panel_interviews DROP COLUMN wait_alerted_at`);
    await q.query(`DROP TABLE panel_waitlist`);
  }
}
