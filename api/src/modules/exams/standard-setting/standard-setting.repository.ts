import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import type { ItemContent } from '../../question-bank/item-content';

export type StudyStatus = 'round1' | 'round2' | 'closed' | 'adopted' | 'cancelled';

export interface StudyRow {
  id: string;
  title: string;
  status: StudyStatus;
  form_length: number;
  created_by: string;
  created_by_name: string;
  created_at: Date;
  round2_opened_at: Date | null;
  closed_at: Date | null;
  result: unknown;
  items: number;
}

export interface StudyItemRow {
  item_version_id: string;
  item_id: string;
  position: number;
  domain: string;
  content: ItemContent;
}

export interface RatingRow {
  round: number;
  rater_id: string;
  item_version_id: string;
  probability: string;
}

const STUDY_COLUMNS = `s.id, s.title, s.status, s.form_length, s.created_by, s.created_at, s.round2_opened_at, s.closed_at, s.result,
  (SELECT full_name FROM users u WHERE u.id = s.created_by) AS created_by_name,
  (SELECT count(*)::int FROM standard_setting_items i WHERE i.study_id = s.id) AS items`;

/** Modified-Angoff studies: the items rated, the raters invited and their ratings per round. */
@Injectable()
export class StandardSettingRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  private m(manager?: EntityManager): EntityManager {
    return manager ?? this.dataSource.manager;
  }

  /** Opens a study on the active pool as it is now: the current version of every active item. */
  async insertStudy(tx: EntityManager, s: { title: string; formLength: number; createdBy: string }): Promise<string> {
    const [row] = await tx.query(
      `INSERT INTO standard_setting_studies (exam_code, title, form_length, created_by) VALUES ('AIDA', $1, $2, $3) RETURNING id`,
      [s.title, s.formLength, s.createdBy],
    );
    await tx.query(
      `INSERT INTO standard_setting_items (study_id, item_version_id, item_id, position)
       SELECT $1, current_version_id, id, row_number() OVER (ORDER BY domain, id) FROM items WHERE status = 'active'`,
      [row.id],
    );
    return row.id;
  }

  async addRaters(tx: EntityManager, studyId: string, raterIds: string[], invitedBy: string): Promise<void> {
    await tx.query(
      `INSERT INTO standard_setting_raters (study_id, rater_id, invited_by) SELECT $1, unnest($2::uuid[]), $3 ON CONFLICT DO NOTHING`,
      [studyId, raterIds, invitedBy],
    );
  }

  async find(studyId: string, manager?: EntityManager, lock = ''): Promise<StudyRow | null> {
    const [row] = await this.m(manager).query(`SELECT ${STUDY_COLUMNS} FROM standard_setting_studies s WHERE s.id = $1 ${lock}`, [studyId]);
    return row ?? null;
  }

  async list(): Promise<StudyRow[]> {
    return this.dataSource.query(`SELECT ${STUDY_COLUMNS} FROM standard_setting_studies s ORDER BY s.created_at DESC`);
  }

  async listForRater(raterId: string): Promise<StudyRow[]> {
    return this.dataSource.query(
      `SELECT ${STUDY_COLUMNS} FROM standard_setting_studies s JOIN standard_setting_raters r ON r.study_id = s.id AND r.rater_id = $1
       ORDER BY s.created_at DESC`,
      [raterId],
    );
  }

  async raters(studyId: string, manager?: EntityManager): Promise<Array<{ rater_id: string; full_name: string; email: string }>> {
    return this.m(manager).query(
      `SELECT r.rater_id, u.full_name, u.email FROM standard_setting_raters r JOIN users u ON u.id = r.rater_id WHERE r.study_id = $1 ORDER BY u.full_name`,
      [studyId],
    );
  }

  async isRater(studyId: string, userId: string): Promise<boolean> {
    const [row] = await this.dataSource.query(`SELECT 1 FROM standard_setting_raters WHERE study_id = $1 AND rater_id = $2`, [
      studyId,
      userId,
    ]);
    return Boolean(row);
  }

  async items(studyId: string): Promise<StudyItemRow[]> {
    return this.dataSource.query(
      `SELECT si.item_version_id, si.item_id, si.position, i.domain, v.content
       FROM standard_setting_items si JOIN item_versions v ON v.id = si.item_version_id JOIN items i ON i.id = si.item_id
       WHERE si.study_id = $1 ORDER BY si.position`,
      [studyId],
    );
  }

  async ratings(studyId: string, manager?: EntityManager): Promise<RatingRow[]> {
    return this.m(manager).query(`SELECT round, rater_id, item_version_id, probability FROM standard_setting_ratings WHERE study_id = $1`, [
      studyId,
    ]);
  }

  /** Saves a rater's ratings for a round; items not in the study are refused by the foreign key. */
  async saveRatings(
    tx: EntityManager,
    studyId: string,
    round: number,
    raterId: string,
    ratings: Array<{ itemVersionId: string; probability: number }>,
  ): Promise<void> {
    await tx.query(
      `INSERT INTO standard_setting_ratings (study_id, round, rater_id, item_version_id, probability)
       SELECT $1, $2, $3, r.item_version_id, r.probability FROM jsonb_to_recordset($4::jsonb) AS r(item_version_id uuid, probability numeric)
       ON CONFLICT (study_id, round, rater_id, item_version_id) DO UPDATE SET probability = EXCLUDED.probability, updated_at = now()`,
      [studyId, round, raterId, JSON.stringify(ratings.map((r) => ({ item_version_id: r.itemVersionId, probability: r.probability })))],
    );
  }

  async studyItemVersions(studyId: string, versionIds: string[]): Promise<string[]> {
    const rows: Array<{ item_version_id: string }> = await this.dataSource.query(
      `SELECT item_version_id FROM standard_setting_items WHERE study_id = $1 AND item_version_id = ANY($2::uuid[])`,
      [studyId, versionIds],
    );
    return rows.map((r) => r.item_version_id);
  }

  async setStatus(
    tx: EntityManager,
    studyId: string,
    status: StudyStatus,
    extra: { round2?: boolean; closed?: boolean; result?: unknown } = {},
  ): Promise<void> {
    await tx.query(
      `UPDATE standard_setting_studies SET status = $2,
         round2_opened_at = CASE WHEN $3 THEN now() ELSE round2_opened_at END,
         closed_at = CASE WHEN $4 THEN now() ELSE closed_at END,
         result = coalesce($5::jsonb, result)
       WHERE id = $1`,
      [studyId, status, extra.round2 ?? false, extra.closed ?? false, extra.result === undefined ? null : JSON.stringify(extra.result)],
    );
  }

  /** Reviewers who may rate: the reviewer role, active, not a candidate themselves. */
  async eligibleRaters(ids: string[]): Promise<Array<{ id: string; roles: string[] }>> {
    return this.dataSource.query(`SELECT id, roles FROM users WHERE id = ANY($1::uuid[])`, [ids]);
  }
}
