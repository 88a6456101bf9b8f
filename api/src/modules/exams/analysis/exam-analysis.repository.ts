import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { ItemContent } from '../../question-bank/item-content';

/** One question of one finished attempt: who, which item version, scored or pretest, and the option chosen (its file letter). */
export interface ResponseRow {
  /** The attempt: a candidate who sat twice in one window counts as two sittings. */
  candidate: string;
  user_id: string;
  version: string;
  scored: boolean;
  chosen: string | null;
}

export interface VersionRow {
  id: string;
  item_id: string;
  version: number;
  content: ItemContent;
  status: string;
  domain: string;
  current: boolean;
  exposure_count: number;
}

/** Reads the responses of finished attempts for item analysis; never writes. */
@Injectable()
export class ExamAnalysisRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Every question of every finished attempt in the window (all windows when null). */
  async responses(windowId: string | null): Promise<ResponseRow[]> {
    return this.dataSource.query(
      `SELECT a.id AS candidate, a.user_id, q.item_version_id AS version, q.scored,
              (SELECT o->>'source' FROM jsonb_array_elements(q.options) o WHERE o->>'id' = ans.option_id::text) AS chosen
       FROM attempts a
       JOIN attempt_questions q ON q.attempt_id = a.id
       LEFT JOIN attempt_answers ans ON ans.question_id = q.id
       WHERE a.exam_code = 'AIDA' AND a.status <> 'in_progress' AND ($1::uuid IS NULL OR a.window_id = $1)`,
      [windowId],
    );
  }

  async versions(ids: string[]): Promise<VersionRow[]> {
    return this.dataSource.query(
      `SELECT v.id, v.item_id, v.version, v.content, i.status, i.domain, i.current_version_id = v.id AS current, i.exposure_count
       FROM item_versions v JOIN items i ON i.id = v.item_id WHERE v.id = ANY($1::uuid[])`,
      [ids],
    );
  }

  /** The declared value of one attribute for each of the given candidates who declared it. */
  async attributeValues(attribute: string, candidates: string[]): Promise<Map<string, string>> {
    const rows: Array<{ user_id: string; value: string }> = await this.dataSource.query(
      `SELECT user_id, value FROM candidate_attributes WHERE attribute = $1 AND user_id = ANY($2::uuid[])`,
      [attribute, candidates],
    );
    return new Map(rows.map((r) => [r.user_id, r.value]));
  }

  async declared(userId: string): Promise<Record<string, string>> {
    const rows: Array<{ attribute: string; value: string }> = await this.dataSource.query(
      `SELECT attribute, value FROM candidate_attributes WHERE user_id = $1`,
      [userId],
    );
    return Object.fromEntries(rows.map((r) => [r.attribute, r.value]));
  }

  async declare(userId: string, changes: Array<{ attribute: string; value: string | null }>): Promise<void> {
    await this.dataSource.transaction(async (tx) => {
      for (const { attribute, value } of changes) {
        if (value === null) await tx.query(`DELETE FROM candidate_attributes WHERE user_id = $1 AND attribute = $2`, [userId, attribute]);
        else {
          await tx.query(
            `INSERT INTO candidate_attributes (user_id, attribute, value) VALUES ($1, $2, $3)
             ON CONFLICT (user_id, attribute) DO UPDATE SET value = $3, updated_at = now()`,
            [userId, attribute, value],
          );
        }
      }
    });
  }
}
