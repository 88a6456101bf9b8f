import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * An assessor's panel score sheet in progress (issue #18): the domain scores and notes typed so far for one booking,
 * kept on the server so a reload or another device finds them. One row per seated assessor and booking, replaced on
 * each autosave and deleted when that assessor submits their scores (panel_scores is then the record).
 */
export class PanelScoreDrafts1766000500000 implements MigrationInterface {
  name = 'PanelScoreDrafts1766000500000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE panel_score_drafts (
        booking_id uuid NOT NULL,
        assessor_id uuid NOT NULL,
        content jsonb NOT NULL,
        updated_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (booking_id, assessor_id),
        FOREIGN KEY (booking_id, assessor_id) REFERENCES panel_members (booking_id, assessor_id) ON DELETE CASCADE
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE panel_score_drafts`);
  }
}
